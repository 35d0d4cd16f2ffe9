//! The Describe* responses, read as the official CLI and SDKs print them
//! (`{"Disks": {"Disk": [...]}, "TotalCount": .., "RequestId": ..}`, or a
//! JSON list of such pages) through the library's captured-answer reader
//! (`reinit_disk::ecs::capture`): each record is one of the SDK's records
//! (`reinit_disk::ecs::Disk`, ...), every field typed as the SDK types it.
//!
//! A field the rules read that a record lacks is `None` (an unknown fact,
//! not an error); a field of the wrong type (anywhere in a record), or an
//! enum value ECS does not have (in a record the preflight reads), is an
//! error naming the file, the JSON path and the accepted values. Only the
//! records the preflight reads are read past their id: a strange value in
//! another disk's `Status` does not stop a preflight of this one.

use std::collections::HashMap;
use std::str::FromStr;

use reinit_disk::echo::Echo;
use reinit_disk::ecs;
use reinit_disk::ecs::capture::{Answers, CaptureError, Kind as AnswerKind};
use reinit_disk::model::{
    CreationTime, DiskCategory, DiskStatus, DiskType, ImageOwnerAlias, InstanceStatus, LockReason,
    LockSet, MultiAttach, OsType,
};

use strum::VariantArray;

/// One record of a response, as the SDK types it (boxed: the records
/// differ in size by hundreds of bytes).
enum Item {
    Disk(Box<ecs::Disk>),
    Instance(Box<ecs::Instance>),
    Image(Box<ecs::Image>),
    Snapshot(Box<ecs::Snapshot>),
    /// A key pair: only its name is read, and that is its id.
    KeyPair,
}

/// One Describe* response (one page, or a list of pages): its file's name,
/// and its records by id.
pub(super) struct Response {
    /// The file, as errors name it.
    pub file: String,
    /// The records and where each is (`Disks.Disk[3]`, `[1].Disks.Disk[0]`),
    /// in document order.
    records: Vec<(String, Item)>,
    /// The position of each id in `records`.
    by_id: HashMap<String, usize>,
    /// Whether the response lists every record its query matched: false
    /// when a `TotalCount` says there are more than the pages hold.
    pub complete: bool,
}

/// What a Describe* response is.
#[derive(Clone, Copy)]
pub(super) struct Kind(AnswerKind);

pub(super) const DISKS: Kind = Kind(AnswerKind::Disks);
pub(super) const INSTANCES: Kind = Kind(AnswerKind::Instances);
pub(super) const IMAGES: Kind = Kind(AnswerKind::Images);
pub(super) const SNAPSHOTS: Kind = Kind(AnswerKind::Snapshots);
pub(super) const KEY_PAIRS: Kind = Kind(AnswerKind::KeyPairs);

impl Response {
    /// Parses `text`, the content of `file`, as a `kind` response.
    pub fn parse(kind: Kind, file: &str, text: &str) -> Result<Self, String> {
        let Kind(kind) = kind;
        let (outer, inner) = kind.list();
        let shape = format!(
            "expected a {} response, {{\"{outer}\": {{\"{inner}\": [...]}}, ...}}",
            kind.action()
        );
        let mut answers = Answers::new();
        answers.add(file, text).map_err(|e| match e {
            CaptureError::Json {
                file,
                path: _,
                message,
            } if message.starts_with("not valid JSON") => {
                format!("{file}: {message} (expected a {} response)", kind.action())
            }
            CaptureError::Unrecognised { file, path, found } => {
                format!("{file}: {path}: {found}: {shape}")
            }
            other => other.to_string(),
        })?;
        if !answers.kinds.contains(&kind) {
            let looks_like = answers
                .kinds
                .first()
                .map(|k| format!(" (this looks like a {} response)", k.action()))
                .unwrap_or_default();
            return Err(format!(
                "{file}: .: no \"{outer}\" field{looks_like}: {shape}"
            ));
        }
        if let Some(other) = answers.kinds.iter().find(|k| **k != kind) {
            return Err(format!(
                "{file}: a {} page among the {} pages: {shape}",
                other.action(),
                kind.action()
            ));
        }
        let complete = answers.complete(kind);
        let records: Vec<(String, Item, Option<String>)> = match kind {
            AnswerKind::Disks => take(
                answers.disks,
                |r| r.disk_id.clone(),
                |r| Item::Disk(Box::new(r)),
            ),
            AnswerKind::Instances => take(
                answers.instances,
                |r| r.instance_id.clone(),
                |r| Item::Instance(Box::new(r)),
            ),
            AnswerKind::Images => take(
                answers.images,
                |r| r.image_id.clone(),
                |r| Item::Image(Box::new(r)),
            ),
            AnswerKind::Snapshots => take(
                answers.snapshots,
                |r| r.snapshot_id.clone(),
                |r| Item::Snapshot(Box::new(r)),
            ),
            _ => take(
                answers.key_pairs,
                |r| r.key_pair_name.clone(),
                |_| Item::KeyPair,
            ),
        };
        let mut by_id = HashMap::new();
        let mut kept = Vec::with_capacity(records.len());
        for (i, (path, item, id)) in records.into_iter().enumerate() {
            let field = kind.id_field();
            match id {
                Some(id) if !id.is_empty() => {
                    // Duplicates were refused by the reader.
                    by_id.insert(id, i);
                }
                Some(_) => {
                    return Err(format!("{file}: {path}.{field}: an id cannot be empty"));
                }
                None => return Err(format!("{file}: {path}: no {field} field")),
            }
            kept.push((path, item));
        }
        Ok(Self {
            file: file.to_owned(),
            records: kept,
            by_id,
            complete,
        })
    }

    /// Every record, in document order.
    pub fn iter(&self) -> impl Iterator<Item = Record<'_>> {
        self.records.iter().map(|(path, item)| Record {
            file: &self.file,
            path,
            item,
        })
    }

    /// The ids, in document order (for an error that lists them).
    pub fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<(&str, usize)> =
            self.by_id.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        ids.sort_by_key(|(_, i)| *i);
        ids.into_iter().map(|(id, _)| id).collect()
    }
}

/// The records of one kind with their paths and ids.
fn take<R>(
    records: Vec<(ecs::capture::Origin, R)>,
    id: impl Fn(&R) -> Option<String>,
    item: impl Fn(R) -> Item,
) -> Vec<(String, Item, Option<String>)> {
    records
        .into_iter()
        .map(|(origin, record)| {
            let id = id(&record);
            (origin.path, item(record), id)
        })
        .collect()
}

/// One record of a response: reads its fields, naming the file and the
/// path in every error.
#[derive(Clone, Copy)]
pub(super) struct Record<'a> {
    file: &'a str,
    /// `Disks.Disk[0]`.
    pub path: &'a str,
    item: &'a Item,
}

impl Record<'_> {
    fn error(&self, field: &str, message: impl std::fmt::Display) -> String {
        format!("{}: {}.{field}: {message}", self.file, self.path)
    }

    fn not_a(&self, what: &str) -> String {
        format!("{}: {}: not {what}", self.file, self.path)
    }

    /// An enum field, spelled as ECS spells it; `None` when absent or
    /// empty.
    fn enumerated<T>(
        &self,
        field: &str,
        text: Option<&String>,
        what: &str,
    ) -> Result<Option<T>, String>
    where
        T: FromStr + VariantArray + Copy + Into<&'static str>,
    {
        let Some(text) = string(text) else {
            return Ok(None);
        };
        text.parse().map(Some).map_err(|_| {
            self.error(
                field,
                format_args!(
                    "{} is not {what}: expected one of {}",
                    Echo(text),
                    accepted::<T>()
                ),
            )
        })
    }

    /// `OperationLocks`' reasons (`None` when the field is absent), at
    /// `list` (`OperationLocks.OperationLock`).
    fn locks<'r>(
        &self,
        list: &str,
        reasons: Option<impl Iterator<Item = Option<&'r String>>>,
    ) -> Result<Option<LockSet>, String> {
        let Some(reasons) = reasons else {
            return Ok(None);
        };
        let mut locks = LockSet::EMPTY;
        for (i, reason) in reasons.enumerate() {
            let at = format!("{list}[{i}].LockReason");
            let Some(reason) = reason else {
                return Err(self.error(&at, "missing: a lock names its reason"));
            };
            let reason: LockReason = reason.parse().map_err(|_| {
                self.error(
                    &at,
                    format_args!(
                        "{} is not a lock reason: expected one of {}",
                        Echo(reason),
                        accepted::<LockReason>()
                    ),
                )
            })?;
            locks = locks.with(reason);
        }
        Ok(Some(locks))
    }
}

/// A string field; `None` when absent or empty (ECS prints `""` for a
/// field that has no value, as `InstanceId` of a detached disk).
fn string(value: Option<&String>) -> Option<&str> {
    value.map(String::as_str).filter(|s| !s.is_empty())
}

/// `In_use, Available, ...`: an enum's values as ECS spells them.
fn accepted<T: VariantArray + Copy + Into<&'static str>>() -> String {
    T::VARIANTS
        .iter()
        .map(|v| (*v).into())
        .collect::<Vec<&str>>()
        .join(", ")
}

/// A disk of DescribeDisks, down to what the rules read.
pub(super) struct DiskDoc {
    pub path: String,
    pub disk_type: DiskType,
    pub category: Option<DiskCategory>,
    pub status: Option<DiskStatus>,
    pub instance_id: Option<String>,
    pub image_id: Option<String>,
    pub source_snapshot_id: Option<String>,
    pub multi_attach: Option<MultiAttach>,
    pub encrypted: Option<bool>,
    pub kms_key_id: Option<String>,
    pub locks: Option<LockSet>,
}

impl DiskDoc {
    pub fn read(r: Record<'_>) -> Result<Self, String> {
        let Item::Disk(d) = r.item else {
            return Err(r.not_a("a disk"));
        };
        let disk_type = r
            .enumerated::<DiskType>("Type", d.r#type.as_ref(), "a disk Type")?
            .ok_or_else(|| {
                r.error(
                    "Type",
                    "missing: a disk is a system or a data disk, and the rules depend on which",
                )
            })?;
        let image_id = string(d.image_id.as_ref()).map(str::to_owned);
        if disk_type == DiskType::System && image_id.is_none() {
            return Err(r.error(
                "ImageId",
                "missing: a system disk comes from an image (DescribeDisks shows its ImageId)",
            ));
        }
        // A multi-attach disk shows its instances under Attachments, its
        // InstanceId empty: the first attachment stands for it.
        let instance_id = string(d.instance_id.as_ref())
            .or_else(|| {
                d.attachments
                    .as_ref()
                    .and_then(|a| a.attachment.first())
                    .and_then(|a| string(a.instance_id.as_ref()))
            })
            .map(str::to_owned);
        let status = r.enumerated("Status", d.status.as_ref(), "a disk Status")?;
        if status == Some(DiskStatus::InUse) && instance_id.is_none() {
            return Err(r.error(
                "InstanceId",
                "missing: a disk whose Status is In_use is attached, and DescribeDisks shows its InstanceId (or Attachments)",
            ));
        }
        Ok(Self {
            path: r.path.to_owned(),
            disk_type,
            category: r.enumerated("Category", d.category.as_ref(), "a disk Category")?,
            status,
            instance_id,
            // A data disk's ImageId is the image of the instance it was
            // made with, if any: the rules do not read it.
            image_id: image_id.filter(|_| disk_type == DiskType::System),
            source_snapshot_id: string(d.source_snapshot_id.as_ref()).map(str::to_owned),
            multi_attach: r.enumerated(
                "MultiAttach",
                d.multi_attach.as_ref(),
                "a MultiAttach value",
            )?,
            encrypted: d.encrypted,
            kms_key_id: string(d.kms_key_id.as_ref()).map(str::to_owned),
            locks: r.locks(
                "OperationLocks.OperationLock",
                d.operation_locks
                    .as_ref()
                    .map(|l| l.operation_lock.iter().map(|l| l.lock_reason.as_ref())),
            )?,
        })
    }
}

/// An instance of DescribeInstances, down to what the rules read.
pub(super) struct InstanceDoc {
    pub status: Option<InstanceStatus>,
    pub os_type: Option<OsType>,
    pub hibernation_configured: Option<bool>,
    pub io_optimized: Option<bool>,
    pub login_as_non_root: Option<bool>,
    pub locks: Option<LockSet>,
}

impl InstanceDoc {
    pub fn read(r: Record<'_>) -> Result<Self, String> {
        let Item::Instance(i) = r.item else {
            return Err(r.not_a("an instance"));
        };
        Ok(Self {
            status: r.enumerated("Status", i.status.as_ref(), "an instance Status")?,
            os_type: r.enumerated("OSType", i.os_type.as_ref(), "an OSType")?,
            hibernation_configured: i.hibernation_options.as_ref().and_then(|h| h.configured),
            io_optimized: i.io_optimized,
            login_as_non_root: i.image_options.as_ref().and_then(|o| o.login_as_non_root),
            locks: r.locks(
                "OperationLocks.LockReason",
                i.operation_locks
                    .as_ref()
                    .map(|l| l.lock_reason.iter().map(|l| l.lock_reason.as_ref())),
            )?,
        })
    }
}

/// An image of DescribeImages, down to what the rules read.
pub(super) struct ImageDoc {
    pub owner: Option<ImageOwnerAlias>,
    pub login_as_non_root_supported: Option<bool>,
}

impl ImageDoc {
    pub fn read(r: Record<'_>) -> Result<Self, String> {
        let Item::Image(i) = r.item else {
            return Err(r.not_a("an image"));
        };
        Ok(Self {
            owner: r.enumerated(
                "ImageOwnerAlias",
                i.image_owner_alias.as_ref(),
                "an ImageOwnerAlias",
            )?,
            login_as_non_root_supported: i.login_as_non_root_supported,
        })
    }
}

/// `Status` of a snapshot in DescribeSnapshots.
#[derive(
    Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr, strum::VariantArray,
)]
#[strum(serialize_all = "lowercase")]
pub(super) enum SnapshotStatus {
    /// Being created.
    Progressing,
    /// Created.
    Accomplished,
    /// Its creation failed.
    Failed,
}

/// A snapshot of DescribeSnapshots, down to what the rules read.
pub(super) struct SnapshotDoc {
    pub creation_time: Option<CreationTime>,
    pub status: Option<SnapshotStatus>,
    pub instant_access: Option<bool>,
}

impl SnapshotDoc {
    pub fn read(r: Record<'_>) -> Result<Self, String> {
        let Item::Snapshot(s) = r.item else {
            return Err(r.not_a("a snapshot"));
        };
        let creation_time =
            match string(s.creation_time.as_ref()) {
                None => None,
                Some(text) => Some(text.parse().map_err(
                    |e: reinit_disk::model::CreationTimeError| r.error("CreationTime", e),
                )?),
            };
        Ok(Self {
            creation_time,
            status: r.enumerated("Status", s.status.as_ref(), "a snapshot Status")?,
            instant_access: s.instant_access,
        })
    }

    /// The id of the disk it was made from, if the record says.
    pub fn source_disk_id<'r>(r: &Record<'r>) -> Result<Option<&'r str>, String> {
        match r.item {
            Item::Snapshot(s) => Ok(string(s.source_disk_id.as_ref())),
            _ => Err(r.not_a("a snapshot")),
        }
    }
}
