//! The `Describe*` actions: `DescribeDisks` and `DescribeInstances` with
//! ECS's filters and both of its ways of paging (`PageNumber`/`PageSize`,
//! `MaxResults`/`NextToken`), `DescribeInstanceStatus`,
//! `DescribeInstanceAttribute`, `DescribeSnapshots`, `DescribeImages` and
//! `DescribeKeyPairs`. No I/O; docs/serve.md gives the source of
//! every range, default and error.
//!
//! A page is read under the store's lock straight from the world's records
//! in their order, and only the records on it are written out: nothing
//! is copied for the records that are not. Unfiltered, a page costs time in
//! proportion to the page; a filter costs one test a record it passes
//! over (and `TotalCount` one a record).

use std::time::Duration;

use super::errors::ApiError;
use super::records::{
    DEFAULTS, boolean, count, disk_document, document, given, image_of, instance_document,
    instance_record, text,
};
use super::store::{Store, Tokens};
use reinit_disk::InMemoryWorld;
use reinit_disk::ecs::{
    self, Describer, Fields, Layout, delete_with_instance, portable, source_snapshot,
};
use reinit_disk::model::{
    Disk, DiskCategory, DiskStatus, DiskType, Image, ImageOwnerAlias, Instance, InstanceStatus,
    KeyPair,
};
use reinit_disk::wire::{Document, Format, Ids, Params, Response};
use reinit_disk::wire::{EncodeError, to_document};

/// The region the world is in (`Defaults::region_id`, docs/ecs.md): a
/// `RegionId` other than this one lists nothing.
fn region_id() -> &'static str {
    &DEFAULTS.region_id
}

/// The zone of a disk or an instance that was given none
/// (`Defaults::zone_id`).
fn zone_id() -> &'static str {
    &DEFAULTS.zone_id
}

/// The zone of the disk `id`: its own `ZoneId` ([`Fields`]), or
/// [`zone_id`].
fn disk_zone<'a>(fields: &'a Fields, id: &str) -> &'a str {
    fields
        .disk(id)
        .and_then(|g| g.zone_id.as_deref())
        .unwrap_or(zone_id())
}

/// The zone of the instance `id`: its own `ZoneId` ([`Fields`]), or
/// [`zone_id`].
fn instance_zone<'a>(fields: &'a Fields, id: &str) -> &'a str {
    fields
        .instance(id)
        .and_then(|g| g.zone_id.as_deref())
        .unwrap_or(zone_id())
}

/// The most ids `DiskIds` and `InstanceIds` take.
const MAX_IDS: usize = 100;

/// A list of ids as ECS takes it: a JSON array of strings in one parameter
/// (`DiskIds=["d-1","d-2"]`); an empty array lists nothing.
fn id_list(
    params: &Params<'_>,
    name: &'static str,
    invalid: ApiError,
    too_many: ApiError,
) -> Result<Option<Vec<String>>, ApiError> {
    match given(params, name) {
        None => Ok(None),
        Some(text) => match serde_json::from_str::<Vec<String>>(text) {
            Ok(ids) if ids.len() <= MAX_IDS => Ok(Some(ids)),
            Ok(_) => Err(too_many),
            Err(_) => Err(invalid),
        },
    }
}

/// A parameter that names one of ECS's values, or `all`/`All` for any.
fn one_of<T: core::str::FromStr>(
    params: &Params<'_>,
    name: &str,
    invalid: ApiError,
) -> Result<Option<T>, ApiError> {
    match given(params, name) {
        None => Ok(None),
        Some(v) if v.eq_ignore_ascii_case("all") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| invalid),
    }
}

/// How a listing is paged, as asked.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Paging {
    /// `PageNumber` (from 1) and `PageSize`.
    Pages { number: u64, size: u64 },
    /// `MaxResults` and, after the first page, the `NextToken` issued.
    Tokens { max: usize, token: Option<String> },
}

/// What each listing takes.
struct Limits {
    action: &'static str,
    /// `PageSize`'s maximum (its minimum is 1, its default 10).
    page_max: u64,
    /// `MaxResults`' range; `None` for a listing paged by number only
    /// (`MaxResults` and `NextToken` are not among its parameters, so they
    /// are not read).
    results: Option<core::ops::RangeInclusive<u64>>,
    /// Whether a `MaxResults` out of range is brought into it (`DescribeDisks`
    /// documents so) rather than refused.
    clamp: bool,
}

const DISKS: Limits = Limits {
    action: "DescribeDisks",
    page_max: 100,
    results: Some(10..=500),
    clamp: true,
};

const INSTANCES: Limits = Limits {
    action: "DescribeInstances",
    page_max: 100,
    results: Some(1..=100),
    clamp: false,
};

const SNAPSHOTS: Limits = Limits {
    action: "DescribeSnapshots",
    page_max: 100,
    results: Some(10..=100),
    clamp: false,
};

const IMAGES: Limits = Limits {
    action: "DescribeImages",
    page_max: 100,
    results: None,
    clamp: false,
};

const KEY_PAIRS: Limits = Limits {
    action: "DescribeKeyPairs",
    page_max: 50,
    results: None,
    clamp: false,
};

const INSTANCE_STATUSES: Limits = Limits {
    action: "DescribeInstanceStatus",
    page_max: 50,
    results: Some(1..=50),
    clamp: false,
};

impl Limits {
    /// The paging `params` ask for: by token when `MaxResults` or
    /// `NextToken` is given, else by page.
    fn paging(&self, params: &Params<'_>) -> Result<Paging, ApiError> {
        let (max, token) = (given(params, "MaxResults"), given(params, "NextToken"));
        if let (Some(results), true) = (&self.results, max.is_some() || token.is_some()) {
            let max = match max {
                None => 10,
                Some(text) => {
                    let n = text
                        .parse::<u64>()
                        .map_err(|_| ApiError::InvalidMaxResults)?;
                    if self.clamp {
                        n.clamp(*results.start(), *results.end())
                    } else if results.contains(&n) {
                        n
                    } else {
                        return Err(ApiError::InvalidMaxResults);
                    }
                }
            };
            return Ok(Paging::Tokens {
                max: usize::try_from(max).unwrap_or(usize::MAX),
                token: token.map(str::to_owned),
            });
        }
        let number =
            |name: &'static str, default: u64, range: core::ops::RangeInclusive<u64>| match given(
                params, name,
            ) {
                None => Ok(default),
                Some(text) => text
                    .parse::<u64>()
                    .ok()
                    .filter(|n| range.contains(n))
                    .ok_or(ApiError::InvalidPage(name)),
            };
        Ok(Paging::Pages {
            number: number("PageNumber", 1, 1..=u64::from(u32::MAX))?,
            size: number("PageSize", 10, 1..=self.page_max)?,
        })
    }
}

/// One page of a listing: its items, the number of records that pass the
/// filters, and the token of the next page.
struct Listed {
    items: Vec<Document>,
    total: usize,
    next: Option<String>,
}

/// Lists the records at `candidates` (positions in the world's order,
/// ascending; `None`: every position from 0 to `len`, with no filter) that
/// pass `keep`, paged as `paging` says. Without a filter a page is found by
/// its position, without reading the records before it.
#[allow(
    clippy::too_many_arguments,
    reason = "one private helper called three times, each argument a different part of the listing"
)]
fn list<'w, T: 'w>(
    limits: &Limits,
    paging: &Paging,
    tokens: &mut Tokens,
    len: usize,
    candidates: Option<Vec<usize>>,
    at: impl Fn(usize) -> Option<&'w T>,
    keep: impl Fn(&T) -> bool,
    item: impl Fn(&T) -> Result<Document, EncodeError>,
) -> Result<Listed, ApiError> {
    let (size, skip, from) = match paging {
        Paging::Pages { number, size } => {
            let size = usize::try_from(*size).unwrap_or(usize::MAX);
            let skip = usize::try_from(number.saturating_sub(1))
                .unwrap_or(usize::MAX)
                .saturating_mul(size);
            (size, skip, 0)
        }
        Paging::Tokens { max, token } => {
            let from = match token {
                None => 0,
                Some(token) => tokens
                    .resume(limits.action, token)
                    .ok_or(ApiError::InvalidNextToken)?,
            };
            (*max, 0, from)
        }
    };
    let Some(candidates) = candidates else {
        // No filter: the page is the positions it covers.
        let first = from.saturating_add(skip);
        let last = first.saturating_add(size).min(len);
        let items = (first..last)
            .filter_map(|p| at(p).map(&item))
            .collect::<Result<_, _>>()
            .map_err(ApiError::Encode)?;
        let next = match paging {
            Paging::Tokens { .. } if last < len => Some(tokens.issue(limits.action, last)),
            _ => None,
        };
        return Ok(Listed {
            items,
            total: len,
            next,
        });
    };
    let mut total = 0usize;
    let mut items = Vec::new();
    let mut next = None;
    for position in candidates {
        let Some(record) = at(position).filter(|r| keep(r)) else {
            continue;
        };
        if position >= from {
            let index = items.len();
            // `total` counts the records before this one (all of them: in
            // token paging `skip` is 0 and the page starts at `from`).
            if total >= skip && index < size {
                items.push(item(record).map_err(ApiError::Encode)?);
            } else if index >= size && next.is_none() && matches!(paging, Paging::Tokens { .. }) {
                next = Some(tokens.issue(limits.action, position));
            }
        }
        total = total.saturating_add(1);
    }
    Ok(Listed { items, total, next })
}

/// What a dry run of a listing answers: its `NextToken`, if any, checked
/// (and no token issued), then `DryRunOperation`.
fn dry_run_answer(store: &Store, now: Duration, limits: &Limits, paging: &Paging) -> ApiError {
    let unissued = match paging {
        Paging::Tokens {
            token: Some(token), ..
        } => store.read(now, |_, _, tokens| {
            tokens.resume(limits.action, token).is_none()
        }),
        _ => false,
    };
    if unissued {
        ApiError::InvalidNextToken
    } else {
        ApiError::DryRunOperation
    }
}

/// The positions of `ids` the world knows, ascending, each once.
fn positions(ids: &[String], position: impl Fn(&str) -> Option<usize>) -> Vec<usize> {
    let mut positions: Vec<usize> = ids.iter().filter_map(|id| position(id)).collect();
    positions.sort_unstable();
    positions.dedup();
    positions
}

/// `{LIST: {ITEM: [...]}, "TotalCount", "PageNumber", "PageSize",
/// ["NextToken"], "RequestId"}`, in XML under `ACTIONResponse`.
fn respond(
    format: Format,
    ids: &Ids<'_>,
    action: &str,
    (list, each): (&'static str, &'static str),
    paging: &Paging,
    listed: Listed,
) -> Result<Response, ApiError> {
    let mut fields = vec![
        (
            list,
            Document::Object(vec![(each, Document::List(listed.items))]),
        ),
        ("TotalCount", count(listed.total)),
    ];
    match paging {
        Paging::Pages { number, size } => {
            fields.push(("PageNumber", Document::Number(*number)));
            fields.push(("PageSize", Document::Number(*size)));
        }
        Paging::Tokens { max, .. } => {
            fields.push(("PageSize", count(*max)));
            fields.push((
                "NextToken",
                text(listed.next.as_deref().unwrap_or_default()),
            ));
        }
    }
    if action == "DescribeImages" {
        fields.push(("RegionId", text(region_id())));
    }
    fields.push(("RequestId", text(ids.request_id)));
    document(
        format,
        &format!("{action}Response"),
        &Document::Object(fields),
    )
}

/// Whether `RegionId`, when given, is the world's region.
fn in_region(params: &Params<'_>) -> bool {
    given(params, "RegionId").is_none_or(|r| r == region_id())
}

/// The filters `DescribeDisks` reads.
struct DiskFilter<'p> {
    instance_id: Option<&'p str>,
    zone_id: Option<&'p str>,
    disk_type: Option<DiskType>,
    category: Option<DiskCategory>,
    status: Option<DiskStatus>,
    disk_name: Option<&'p str>,
    portable: Option<bool>,
    encrypted: Option<bool>,
    snapshot_id: Option<&'p str>,
    delete_with_instance: Option<bool>,
}

impl<'p> DiskFilter<'p> {
    fn read(params: &'p Params<'_>) -> Result<Self, ApiError> {
        Ok(Self {
            instance_id: given(params, "InstanceId"),
            zone_id: given(params, "ZoneId"),
            disk_type: one_of(params, "DiskType", ApiError::InvalidDiskType)?,
            category: one_of(params, "Category", ApiError::InvalidCategory)?,
            status: one_of(params, "Status", ApiError::InvalidDiskStatus)?,
            disk_name: given(params, "DiskName"),
            portable: boolean(params, "Portable")?,
            encrypted: boolean(params, "Encrypted")?,
            snapshot_id: given(params, "SnapshotId"),
            delete_with_instance: boolean(params, "DeleteWithInstance")?,
        })
    }

    fn is_empty(&self) -> bool {
        self.instance_id.is_none()
            && self.zone_id.is_none()
            && self.disk_type.is_none()
            && self.category.is_none()
            && self.status.is_none()
            && self.disk_name.is_none()
            && self.portable.is_none()
            && self.encrypted.is_none()
            && self.snapshot_id.is_none()
            && self.delete_with_instance.is_none()
    }

    /// Whether `d` passes, its ECS fields (`fields`) read where the
    /// record shows them (`ZoneId`, `DiskName`, `Portable`,
    /// `DeleteWithInstance`), as `DescribeDisks` writes the disk.
    fn keep(&self, fields: &Fields, d: &Disk) -> bool {
        let given = fields.disk(&d.id);
        self.instance_id
            .is_none_or(|i| d.instance_id.as_deref() == Some(i))
            && self.zone_id.is_none_or(|z| z == disk_zone(fields, &d.id))
            && self.disk_type.is_none_or(|t| d.disk_type() == t)
            && self.category.is_none_or(|c| d.category == c)
            && self.status.is_none_or(|s| d.status == s)
            // A disk given no name has an empty one: a name asked for
            // matches none.
            && self.disk_name.is_none_or(|n| {
                given.and_then(|g| g.disk_name.as_deref()) == Some(n)
            })
            && self.portable.is_none_or(|p| {
                given.and_then(|g| g.portable).unwrap_or_else(|| portable(d)) == p
            })
            && self.encrypted.is_none_or(|e| d.kms_key_id.is_some() == e)
            && self
                .snapshot_id
                .is_none_or(|s| source_snapshot(d) == Some(s))
            && self.delete_with_instance.is_none_or(|w| {
                given
                    .and_then(|g| g.delete_with_instance)
                    .unwrap_or_else(|| delete_with_instance(d))
                    == w
            })
    }
}

/// `DescribeDisks`.
pub fn describe_disks(
    store: &Store,
    params: &Params<'_>,
    format: Format,
    now: Duration,
    ids: &Ids<'_>,
    dry_run: bool,
    named: &mut Vec<String>,
) -> Result<Response, ApiError> {
    let disk_ids = id_list(
        params,
        "DiskIds",
        ApiError::InvalidDiskIds,
        ApiError::TooManyDiskIds,
    )?;
    let filter = DiskFilter::read(params)?;
    let paging = DISKS.paging(params)?;
    named.extend(disk_ids.iter().flatten().cloned());
    if dry_run {
        return Err(dry_run_answer(store, now, &DISKS, &paging));
    }
    let region = in_region(params);
    let listed = store.read(now, |world: &InMemoryWorld, fields, tokens| {
        let candidates = match (&disk_ids, region) {
            (_, false) => Some(Vec::new()),
            (Some(ids), true) => Some(positions(ids, |id| world.disk_position(id))),
            (None, true) if filter.is_empty() => None,
            (None, true) => Some((0..world.disk_count()).collect()),
        };
        list(
            &DISKS,
            &paging,
            tokens,
            world.disk_count(),
            candidates,
            |p| world.disk_at(p),
            |d| filter.keep(fields, d),
            |d| disk_document(world, fields, d),
        )
    })?;
    respond(
        format,
        ids,
        "DescribeDisks",
        ("Disks", "Disk"),
        &paging,
        listed,
    )
}

/// A snapshot `DescribeSnapshots` lists: made (the world's record) or
/// still being made (its id and its disk's).
enum Listing<'w> {
    Made(&'w reinit_disk::model::Snapshot),
    InProgress(&'w str, &'w str),
}

impl Listing<'_> {
    fn id(&self) -> &str {
        match self {
            Self::Made(s) => &s.id,
            Self::InProgress(id, _) => id,
        }
    }

    fn disk_id(&self) -> Option<&str> {
        match self {
            Self::Made(s) => s.source_disk_id.as_deref(),
            Self::InProgress(_, disk) => Some(disk),
        }
    }

    fn done(&self) -> bool {
        matches!(self, Self::Made(_))
    }
}

/// `DescribeSnapshots`' `Status`: `progressing`, `accomplished`, `failed`
/// or `all` (any case); `None` for all.
fn snapshot_status(params: &Params<'_>) -> Result<Option<&'static str>, ApiError> {
    match given(params, "Status") {
        None => Ok(None),
        Some(v) => ["progressing", "accomplished", "failed", "all"]
            .into_iter()
            .find(|s| s.eq_ignore_ascii_case(v))
            .map(|s| (s != "all").then_some(s))
            .ok_or(ApiError::InvalidInstanceStatus),
    }
}

/// `DescribeSnapshots`: the world's snapshots (not deleted) and those
/// still being made, ordered by id, each the library's full ECS record,
/// filtered by `SnapshotIds`, `DiskId`, `InstanceId`, `SourceDiskType`,
/// `Status` and `SnapshotType`, and paged as `DescribeDisks` is.
pub fn describe_snapshots(
    store: &Store,
    params: &Params<'_>,
    format: Format,
    now: Duration,
    ids: &Ids<'_>,
    dry_run: bool,
    named: &mut Vec<String>,
) -> Result<Response, ApiError> {
    let snapshot_ids = id_list(
        params,
        "SnapshotIds",
        ApiError::InvalidParameter("SnapshotIds"),
        ApiError::TooManySnapshotIds,
    )?;
    let disk_id = given(params, "DiskId");
    let instance_id = given(params, "InstanceId");
    let source_disk_type = match given(params, "SourceDiskType") {
        None => None,
        Some(v) if v.eq_ignore_ascii_case("system") => Some(DiskType::System),
        Some(v) if v.eq_ignore_ascii_case("data") => Some(DiskType::Data),
        Some(_) => return Err(ApiError::InvalidParameter("SourceDiskType")),
    };
    let status = snapshot_status(params)?;
    // Every snapshot is one a user made (`SnapshotType` `user`).
    let user = match given(params, "SnapshotType") {
        None => true,
        Some(v) if v.eq_ignore_ascii_case("all") || v.eq_ignore_ascii_case("user") => true,
        Some(v) if v.eq_ignore_ascii_case("auto") => false,
        Some(_) => return Err(ApiError::InvalidSnapshotType),
    };
    let paging = SNAPSHOTS.paging(params)?;
    named.extend(snapshot_ids.iter().flatten().cloned());
    named.extend(disk_id.map(str::to_owned));
    if dry_run {
        return Err(dry_run_answer(store, now, &SNAPSHOTS, &paging));
    }
    let region = in_region(params);
    let unfiltered = snapshot_ids.is_none()
        && disk_id.is_none()
        && instance_id.is_none()
        && source_disk_type.is_none()
        && status.is_none()
        && user;
    let listed = store.read_snapshots(now, |world: &InMemoryWorld, fields, pending, tokens| {
        let mut all: Vec<Listing<'_>> = world
            .snapshots()
            .filter(|s| !s.deleted)
            .map(Listing::Made)
            .chain(
                pending
                    .iter()
                    .map(|(disk, id)| Listing::InProgress(id.as_str(), disk.as_str())),
            )
            .collect();
        all.sort_by(|a, b| a.id().cmp(b.id()));
        let keep = |s: &Listing<'_>| {
            let disk = s.disk_id().and_then(|d| world.disk_record(d));
            user && snapshot_ids
                .as_ref()
                .is_none_or(|ids| ids.iter().any(|i| i == s.id()))
                && disk_id.is_none_or(|d| s.disk_id() == Some(d))
                && instance_id
                    .is_none_or(|i| disk.and_then(|d| d.instance_id.as_deref()) == Some(i))
                && source_disk_type.is_none_or(|t| disk.map(Disk::disk_type) == Some(t))
                && status.is_none_or(|st| (st == "accomplished") == s.done() && st != "failed")
        };
        let candidates = match (region, unfiltered) {
            (false, _) => Some(Vec::new()),
            (true, true) => None,
            (true, false) => Some((0..all.len()).collect()),
        };
        let describer = Describer::with_layout(Layout::default(), &DEFAULTS).with_fields(fields);
        list(
            &SNAPSHOTS,
            &paging,
            tokens,
            all.len(),
            candidates,
            |p| all.get(p),
            keep,
            |s| match s {
                Listing::Made(snapshot) => {
                    to_document(&describer.snapshot(snapshot).unwrap_or_default())
                }
                Listing::InProgress(id, disk) => {
                    to_document(&describer.snapshot_in_progress(id, disk))
                }
            },
        )
    })?;
    respond(
        format,
        ids,
        "DescribeSnapshots",
        ("Snapshots", "Snapshot"),
        &paging,
        listed,
    )
}

/// `DescribeImages`' `ImageOwnerAlias`: the owners listed. Absent, ECS
/// lists `system`, `self` and `others` (not `marketplace`).
fn image_owners(params: &Params<'_>) -> Result<Vec<ImageOwnerAlias>, ApiError> {
    use ImageOwnerAlias::{Marketplace, Others, SelfOwned, System};
    match given(params, "ImageOwnerAlias") {
        None => Ok(vec![System, SelfOwned, Others]),
        Some(v) => [System, SelfOwned, Others, Marketplace]
            .into_iter()
            .find(|o| <&str>::from(*o).eq_ignore_ascii_case(v))
            .map(|o| vec![o])
            .ok_or(ApiError::InvalidParameter("ImageOwnerAlias")),
    }
}

/// The image statuses ECS names (`Status`, comma-separated; default
/// `Available`).
const IMAGE_STATUSES: [&str; 6] = [
    "Creating",
    "Waiting",
    "Available",
    "UnAvailable",
    "CreateFailed",
    "Deprecated",
];

/// `DescribeImages`: the world's images (not deleted), ordered by id, each the library's full ECS record
/// (`reinit_disk::ecs::Describer::image`), filtered by `ImageId` (ids
/// separated by commas), `ImageName`, `ImageOwnerAlias`, `OSType`,
/// `Architecture`, `SnapshotId` and `Status`, and paged by
/// `PageNumber`/`PageSize` (at most 100). Every image the world holds is
/// `Available`, `linux`, `x86_64`, made from no snapshot, named as its id.
pub fn describe_images(
    store: &Store,
    params: &Params<'_>,
    format: Format,
    now: Duration,
    ids: &Ids<'_>,
    dry_run: bool,
    named: &mut Vec<String>,
) -> Result<Response, ApiError> {
    let image_ids: Option<Vec<&str>> = given(params, "ImageId").map(|v| {
        v.split(',')
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .collect()
    });
    let image_name = given(params, "ImageName");
    let owners = image_owners(params)?;
    let os_type = match given(params, "OSType") {
        None => None,
        Some(v) if v.eq_ignore_ascii_case("linux") || v.eq_ignore_ascii_case("windows") => {
            Some(v.eq_ignore_ascii_case("linux"))
        }
        Some(_) => return Err(ApiError::InvalidOsType),
    };
    let architecture = given(params, "Architecture");
    let snapshot_id = given(params, "SnapshotId");
    let statuses: Vec<&str> = match given(params, "Status") {
        None => vec!["Available"],
        Some(v) => {
            let mut statuses = Vec::new();
            for status in v.split(',').map(str::trim) {
                let known = IMAGE_STATUSES
                    .iter()
                    .find(|s| s.eq_ignore_ascii_case(status));
                match known {
                    Some(s) => statuses.push(*s),
                    None => return Err(ApiError::InvalidParameter("Status")),
                }
            }
            statuses
        }
    };
    let paging = IMAGES.paging(params)?;
    named.extend(image_ids.iter().flatten().map(|i| (*i).to_owned()));
    if dry_run {
        return Err(ApiError::DryRunOperation);
    }
    let region = in_region(params);
    let listed = store.read(now, |world: &InMemoryWorld, fields, tokens| {
        let mut images: Vec<&Image> = world.images().filter(|i| !i.deleted).collect();
        images.sort_by(|a, b| a.id.cmp(&b.id));
        // Each image as `DescribeImages` writes it (a world holds few): the
        // filters read the record, its own fields ([`Fields`]) included.
        let describer = Describer::with_layout(Layout::default(), &DEFAULTS).with_fields(fields);
        let all: Vec<(&Image, ecs::Image)> = images
            .into_iter()
            .filter_map(|i| describer.image(i).map(|record| (i, record)))
            .collect();
        let keep = |(image, record): &(&Image, ecs::Image)| {
            let shown = |field: &Option<String>| field.as_deref().unwrap_or_default().to_owned();
            statuses.iter().any(|s| shown(&record.status) == *s)
                && snapshot_id.is_none_or(|s| {
                    record.disk_device_mappings.as_ref().is_some_and(|m| {
                        m.disk_device_mapping
                            .iter()
                            .any(|d| d.snapshot_id.as_deref() == Some(s))
                    })
                })
                && os_type.is_none_or(|linux| {
                    shown(&record.os_type).eq_ignore_ascii_case(if linux {
                        "linux"
                    } else {
                        "windows"
                    })
                })
                && architecture.is_none_or(|a| shown(&record.architecture) == a)
                && owners.contains(&image.image_owner_alias)
                && image_ids
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&image.id.as_str()))
                && image_name.is_none_or(|n| shown(&record.image_name) == n)
        };
        // Always filtered: even unasked, the owner filter leaves out the
        // marketplace's images. A world holds few images.
        let candidates = Some(if region {
            (0..all.len()).collect()
        } else {
            Vec::new()
        });
        list(
            &IMAGES,
            &paging,
            tokens,
            all.len(),
            candidates,
            |p| all.get(p),
            keep,
            |(_, record)| to_document(record),
        )
    })?;
    respond(
        format,
        ids,
        "DescribeImages",
        ("Images", "Image"),
        &paging,
        listed,
    )
}

/// `DescribeKeyPairs`: the account's key pairs, ordered by name, each the
/// library's full record (`reinit_disk::ecs::Describer::key_pair`; its
/// `PublicKey` only with `IncludePublicKey=true`, empty: the world holds
/// none), filtered by `KeyPairName` (`*` any run of characters) and
/// `KeyPairFingerPrint`, and paged by `PageNumber`/`PageSize` (at most
/// 50). Its SDK model has no `DryRun`.
pub fn describe_key_pairs(
    store: &Store,
    params: &Params<'_>,
    format: Format,
    now: Duration,
    ids: &Ids<'_>,
    named: &mut Vec<String>,
) -> Result<Response, ApiError> {
    let name = given(params, "KeyPairName");
    let fingerprint = given(params, "KeyPairFingerPrint");
    let public_key = boolean(params, "IncludePublicKey")?.unwrap_or(false);
    let paging = KEY_PAIRS.paging(params)?;
    named.extend(name.map(str::to_owned));
    let region = in_region(params);
    let listed = store.read(now, |world: &InMemoryWorld, fields, tokens| {
        let mut key_pairs: Vec<&KeyPair> = world.key_pairs().collect();
        key_pairs.sort_by(|a, b| a.name.cmp(&b.name));
        // Each key pair as `DescribeKeyPairs` writes it: the fingerprint
        // filter reads the record's (a captured one's own, or one made
        // from the name).
        let describer = Describer::with_layout(Layout::default(), &DEFAULTS).with_fields(fields);
        let all: Vec<ecs::KeyPair> = key_pairs
            .into_iter()
            .map(|k| describer.key_pair(k))
            .collect();
        let keep = |record: &ecs::KeyPair| {
            name.is_none_or(|pattern| {
                wildcard(pattern, record.key_pair_name.as_deref().unwrap_or_default())
            }) && fingerprint.is_none_or(|f| record.key_pair_finger_print.as_deref() == Some(f))
        };
        let candidates = match (region, name.is_none() && fingerprint.is_none()) {
            (false, _) => Some(Vec::new()),
            (true, true) => None,
            (true, false) => Some((0..all.len()).collect()),
        };
        list(
            &KEY_PAIRS,
            &paging,
            tokens,
            all.len(),
            candidates,
            |p| all.get(p),
            keep,
            |record| {
                let mut record = record.clone();
                if !public_key {
                    record.public_key = None;
                }
                to_document(&record)
            },
        )
    })?;
    respond(
        format,
        ids,
        "DescribeKeyPairs",
        ("KeyPairs", "KeyPair"),
        &paging,
        listed,
    )
}

/// Whether `name` matches `pattern`, whose `*` stands for any run of
/// characters (ECS's `InstanceName` filter).
fn wildcard(pattern: &str, name: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == name,
        Some((head, rest)) => {
            let Some(mut left) = name.strip_prefix(head) else {
                return false;
            };
            let parts: Vec<&str> = rest.split('*').collect();
            let Some((last, middle)) = parts.split_last() else {
                return true;
            };
            for part in middle {
                match left.find(part) {
                    Some(i) => left = left.get(i.saturating_add(part.len())..).unwrap_or_default(),
                    None => return false,
                }
            }
            left.len() >= last.len() && left.ends_with(last)
        }
    }
}

/// The filters `DescribeInstances` reads.
struct InstanceFilter<'p> {
    zone_id: Option<&'p str>,
    status: Option<InstanceStatus>,
    instance_name: Option<&'p str>,
    image_id: Option<&'p str>,
    instance_type: Option<&'p str>,
}

impl<'p> InstanceFilter<'p> {
    fn read(params: &'p Params<'_>) -> Result<Self, ApiError> {
        Ok(Self {
            zone_id: given(params, "ZoneId"),
            status: match given(params, "Status") {
                None => None,
                Some(v) => Some(v.parse().map_err(|_| ApiError::InvalidInstanceStatus)?),
            },
            instance_name: given(params, "InstanceName"),
            image_id: given(params, "ImageId"),
            instance_type: given(params, "InstanceType"),
        })
    }

    fn is_empty(&self) -> bool {
        self.zone_id.is_none()
            && self.status.is_none()
            && self.instance_name.is_none()
            && self.image_id.is_none()
            && self.instance_type.is_none()
    }

    /// Whether `i` passes, its ECS fields (`fields`) read where the
    /// record shows them (`ZoneId`, `InstanceName`, `InstanceType`), as
    /// `DescribeInstances` writes the instance.
    fn keep(&self, world: &InMemoryWorld, fields: &Fields, i: &Instance) -> bool {
        let given = fields.instance(&i.id);
        self.zone_id.is_none_or(|z| z == instance_zone(fields, &i.id))
            && self.status.is_none_or(|s| i.status == s)
            // An instance given no name is named as its id (docs/ecs.md).
            && self.instance_name.is_none_or(|n| {
                wildcard(n, given.and_then(|g| g.instance_name.as_deref()).unwrap_or(&i.id))
            })
            && self.image_id.is_none_or(|m| image_of(world, &i.id) == m)
            // An instance given no type is of the world's default type
            // (docs/ecs.md).
            && self.instance_type.is_none_or(|t| {
                t == given
                    .and_then(|g| g.instance_type.as_deref())
                    .unwrap_or(&DEFAULTS.instance_type)
            })
    }
}

/// `DescribeInstances`.
pub fn describe_instances(
    store: &Store,
    params: &Params<'_>,
    format: Format,
    now: Duration,
    ids: &Ids<'_>,
    dry_run: bool,
    named: &mut Vec<String>,
) -> Result<Response, ApiError> {
    let instance_ids = id_list(
        params,
        "InstanceIds",
        ApiError::InvalidInstanceIds,
        ApiError::InvalidInstanceIds,
    )?;
    let filter = InstanceFilter::read(params)?;
    let paging = INSTANCES.paging(params)?;
    named.extend(instance_ids.iter().flatten().cloned());
    if dry_run {
        return Err(dry_run_answer(store, now, &INSTANCES, &paging));
    }
    let region = in_region(params);
    let listed = store.read(now, |world: &InMemoryWorld, fields, tokens| {
        let candidates = match (&instance_ids, region) {
            (_, false) => Some(Vec::new()),
            (Some(ids), true) => Some(positions(ids, |id| world.instance_position(id))),
            (None, true) if filter.is_empty() => None,
            (None, true) => Some((0..world.instance_count()).collect()),
        };
        list(
            &INSTANCES,
            &paging,
            tokens,
            world.instance_count(),
            candidates,
            |p| world.instance_at(p),
            |i| filter.keep(world, fields, i),
            |i| instance_document(world, fields, i),
        )
    })?;
    respond(
        format,
        ids,
        "DescribeInstances",
        ("Instances", "Instance"),
        &paging,
        listed,
    )
}

/// The ids of a repeated parameter (`InstanceId.1`, `InstanceId.2`, ...),
/// as the SDKs send a list; at most 100.
fn repeated(params: &Params<'_>, name: &str) -> Result<Option<Vec<String>>, ApiError> {
    let mut ids = Vec::new();
    for n in 1..=MAX_IDS.saturating_add(1) {
        match given(params, &format!("{name}.{n}")) {
            Some(id) if n <= MAX_IDS => ids.push(id.to_owned()),
            Some(_) => return Err(ApiError::InvalidInstanceIds),
            None => break,
        }
    }
    Ok((!ids.is_empty()).then_some(ids))
}

/// `DescribeInstanceStatus`: each instance's id and status, paged by
/// `PageNumber`/`PageSize` (1 to 50).
pub fn describe_instance_status(
    store: &Store,
    params: &Params<'_>,
    format: Format,
    now: Duration,
    ids: &Ids<'_>,
    named: &mut Vec<String>,
) -> Result<Response, ApiError> {
    let instance_ids = repeated(params, "InstanceId")?;
    let zone = given(params, "ZoneId");
    let paging = match INSTANCE_STATUSES.paging(params)? {
        // DescribeInstanceStatus takes no MaxResults/NextToken: by page.
        Paging::Tokens { .. } => Paging::Pages {
            number: 1,
            size: 10,
        },
        pages => pages,
    };
    named.extend(instance_ids.iter().flatten().cloned());
    let region = in_region(params);
    let listed = store.read(now, |world: &InMemoryWorld, fields, tokens| {
        let candidates = match (&instance_ids, region) {
            (_, false) => Some(Vec::new()),
            (Some(ids), true) => Some(positions(ids, |id| world.instance_position(id))),
            (None, true) if zone.is_none() => None,
            (None, true) => Some((0..world.instance_count()).collect()),
        };
        list(
            &INSTANCE_STATUSES,
            &paging,
            tokens,
            world.instance_count(),
            candidates,
            |p| world.instance_at(p),
            |i| zone.is_none_or(|z| z == instance_zone(fields, &i.id)),
            |i| {
                Ok(Document::Object(vec![
                    ("InstanceId", text(&i.id)),
                    ("Status", text(i.status.into())),
                ]))
            },
        )
    })?;
    respond(
        format,
        ids,
        "DescribeInstanceStatus",
        ("InstanceStatuses", "InstanceStatus"),
        &paging,
        listed,
    )
}

/// The fields of the SDK's `DescribeInstanceAttributeResponseBody`
/// (alibabacloud-ecs20140526 7.11.8), in its order, `RequestId` left out: each
/// is taken from the full record `DescribeInstances` writes when that record
/// has a field of the name (the shapes are the same), but `IoOptimized`,
/// which this answer writes as a string ([`io_optimized`]).
const ATTRIBUTE_FIELDS: [&str; 35] = [
    "ClusterId",
    "Cpu",
    "CreationTime",
    "CreditSpecification",
    "DedicatedHostAttribute",
    "Description",
    "EipAddress",
    "EnableJumboFrame",
    "EnableNetworkEncryption",
    "ExpiredTime",
    "HostName",
    "ImageId",
    "InnerIpAddress",
    "InstanceChargeType",
    "InstanceId",
    "InstanceName",
    "InstanceNetworkType",
    "InstanceType",
    "InternetChargeType",
    "InternetMaxBandwidthIn",
    "InternetMaxBandwidthOut",
    "IoOptimized",
    "Memory",
    "NetworkOptions",
    "OperationLocks",
    "PublicIpAddress",
    "RegionId",
    "SecurityGroupIds",
    "SecurityOptions",
    "SerialNumber",
    "Status",
    "StoppedMode",
    "VlanId",
    "VpcAttributes",
    "ZoneId",
];

/// `IoOptimized` as `DescribeInstanceAttribute` writes it: the SDK model
/// declares a string, which ECS's page gives as `optimized` or `none`
/// (where `DescribeInstances` writes a boolean).
fn io_optimized(value: &Document) -> Document {
    text(if matches!(value, Document::Bool(true)) {
        "optimized"
    } else {
        "none"
    })
}

/// `DescribeInstanceAttribute`: one instance, the fields of
/// [`ATTRIBUTE_FIELDS`] taken from the same full record `DescribeInstances`
/// writes, then `RequestId`.
pub fn describe_instance_attribute(
    store: &Store,
    params: &Params<'_>,
    format: Format,
    now: Duration,
    ids: &Ids<'_>,
    named: &mut Vec<String>,
) -> Result<Response, ApiError> {
    let id = given(params, "InstanceId").ok_or(ApiError::MissingParameter("InstanceId"))?;
    named.push(id.to_owned());
    let found = store.read(now, |world: &InMemoryWorld, fields, _| {
        world
            .instance_record(id)
            .map(|i| instance_record(world, fields, i))
    });
    let Some(record) = found else {
        return Err(ApiError::InstanceNotFound);
    };
    let Document::Object(all) = to_document(&record).map_err(ApiError::Encode)? else {
        return Err(ApiError::Internal);
    };
    let mut fields: Vec<(&'static str, Document)> = ATTRIBUTE_FIELDS
        .iter()
        .filter_map(|name| {
            all.iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| match *name {
                    "IoOptimized" => (*name, io_optimized(value)),
                    _ => (*name, value.clone()),
                })
        })
        .collect();
    fields.push(("RequestId", text(ids.request_id)));
    document(
        format,
        "DescribeInstanceAttributeResponse",
        &Document::Object(fields),
    )
}

#[cfg(test)]
mod tests {
    use super::wildcard;

    #[test]
    fn wildcard_matches_as_ecs_instance_name_filter() {
        assert!(wildcard("web*", "web-1"));
        assert!(wildcard("*", ""));
        assert!(wildcard("a*b*c", "a-x-b-y-c"));
        assert!(!wildcard("a*b*c", "a-x-c"));
        assert!(!wildcard("web", "web-1"));
        assert!(wildcard("", ""));
        assert!(!wildcard("x*", ""));
    }
}
