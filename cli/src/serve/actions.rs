//! The actions the server answers, each a function of the request, the
//! store and the time: `ReInitDisk` (decided by the engine), the
//! `Describe*` calls a client polls, `StopInstance` and `StartInstance`.
//! No I/O here: the HTTP glue (server.rs) reads the request and writes the
//! response.

use std::sync::LazyLock;
use std::time::Duration;

use super::errors::ApiError;
use super::store::{InstanceError, Store};
use reinit_disk::ecs::{Defaults, Describer, Layout};
use reinit_disk::model::{Disk, DiskStatus, Instance, InstanceStatus};
use reinit_disk::revision::Revision;
use reinit_disk::wire::{
    Document, EncodeError, ErrorBody, ExchangeError, Format, HttpRequest, Ids, Params, Response,
    encode_document, encode_error, encode_malformed, to_document,
};

/// The world-level defaults of the records the server writes
/// (docs/ecs.md): `cn-hangzhou`, `cn-hangzhou-i`, ...
static DEFAULTS: LazyLock<Defaults> = LazyLock::new(Defaults::default);

/// What one request did, for the log line: the action, the ids it named,
/// and the code it answered with (`None`: success).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Handled {
    /// The action (`""` when none was given).
    pub action: String,
    /// The disk or instance ids the request named.
    pub ids: Vec<String>,
    /// The error code, if it failed.
    pub code: Option<String>,
}

/// The actions, by name.
pub const ACTIONS: [&str; 5] = [
    "ReInitDisk",
    "DescribeDisks",
    "DescribeInstances",
    "StopInstance",
    "StartInstance",
];

/// Answers `http` at `now`: the response, and what it did.
///
/// `revision`, when given, decides `ReInitDisk` instead of the loaded
/// world's policy's revision (`--revision`).
pub fn handle(
    store: &Store,
    revision: Option<&'static Revision>,
    http: &HttpRequest<'_>,
    now: Duration,
    ids: &Ids<'_>,
) -> (Response, Handled) {
    let params = Params::decode(http);
    let format = params.format();
    let action = params
        .get("Action")
        .or_else(|| http.header("x-acs-action"))
        .unwrap_or_default()
        .to_owned();
    let mut handled = Handled {
        action: action.clone(),
        ..Handled::default()
    };
    if !ACTIONS.contains(&action.as_str()) {
        let error = ApiError::ActionNotFound;
        handled.code = Some(error.code().to_owned());
        return (error_response(format, ids, &error), handled);
    }
    if action == "ReInitDisk" {
        // The library's one path, under the store's one lock: the policy,
        // the decision, the change and the response belong to one moment
        // (a malformed request is refused there as below).
        let result = reinit_disk(store, revision, http, &params, now, ids, &mut handled);
        return (finish(result, format, ids, &mut handled), handled);
    }
    let policy = store.policy(revision, now);
    // A malformed request (bad percent-encoding or UTF-8, a parameter given
    // twice with different values) is refused the same way for every
    // action, as the wire layer refuses it for ReInitDisk.
    if let Some(malformed) = params.malformed() {
        handled.code = Some("InvalidParameter".to_owned());
        let response = encode_malformed(format, ids, &policy, malformed)
            .unwrap_or_else(|e| error_response(format, ids, &ApiError::Encode(e)));
        return (response, handled);
    }
    let result = match action.as_str() {
        "DescribeDisks" => describe_disks(store, &params, format, now, ids, &mut handled),
        "DescribeInstances" => describe_instances(store, &params, format, now, ids, &mut handled),
        "StopInstance" => instance_action(store, &params, format, now, ids, &mut handled, true),
        "StartInstance" => instance_action(store, &params, format, now, ids, &mut handled, false),
        _ => Err(ApiError::ActionNotFound),
    };
    (finish(result, format, ids, &mut handled), handled)
}

/// The response of an action's result; an error's code is noted in
/// `handled`.
fn finish(
    result: Result<Response, ApiError>,
    format: Format,
    ids: &Ids<'_>,
    handled: &mut Handled,
) -> Response {
    match result {
        Ok(response) => response,
        Err(error) => {
            handled.code = Some(error.code().to_owned());
            error_response(format, ids, &error)
        }
    }
}

/// The response for `error`; an error that cannot be written in XML is
/// written in JSON (it can always be).
pub fn error_response(format: Format, ids: &Ids<'_>, error: &ApiError) -> Response {
    let message = error.message();
    let body = |format| {
        encode_error(
            format,
            &ErrorBody {
                request_id: ids.request_id,
                host_id: ids.host_id,
                code: error.code(),
                message: &message,
            },
        )
    };
    let (format, body) = match body(format) {
        Ok(body) => (format, body),
        Err(_) => (Format::Json, body(Format::Json).unwrap_or_default()),
    };
    Response {
        status: error.status(),
        format,
        body,
    }
}

fn document(format: Format, root: &str, value: &Document) -> Result<Response, ApiError> {
    let body = encode_document(format, root, value).map_err(ApiError::Encode)?;
    Ok(Response {
        status: 200,
        format,
        body,
    })
}

fn reinit_disk(
    store: &Store,
    revision: Option<&'static Revision>,
    http: &HttpRequest<'_>,
    params: &Params<'_>,
    now: Duration,
    ids: &Ids<'_>,
    handled: &mut Handled,
) -> Result<Response, ApiError> {
    let done = store
        .exchange(http, revision, now, ids)
        .map_err(|error| match error {
            ExchangeError::Encode(e) => ApiError::Encode(e),
            _ => ApiError::Internal,
        })?;
    match &done.outcome {
        None => handled.code = Some("InvalidParameter".to_owned()),
        Some(outcome) => {
            handled.ids.extend(params.get("DiskId").map(str::to_owned));
            if let Err(rejection) = outcome {
                handled.code = Some(rejection.code().as_str().to_owned());
            }
        }
    }
    Ok(done.response)
}

/// A list parameter as ECS takes it: a JSON array of strings in one
/// parameter (`DiskIds=["d-1","d-2"]`).
fn id_list(
    params: &Params<'_>,
    name: &'static str,
    invalid: ApiError,
) -> Result<Option<Vec<String>>, ApiError> {
    match params.get(name).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => match serde_json::from_str::<Vec<String>>(text) {
            Ok(ids) if ids.len() <= 100 => Ok(Some(ids)),
            _ => Err(invalid),
        },
    }
}

/// `PageNumber` (from 1) and `PageSize` (1 to `max`, default 10).
fn page(params: &Params<'_>, max: u64) -> Result<(u64, u64), ApiError> {
    let number =
        |name: &'static str, default: u64, range: core::ops::RangeInclusive<u64>| match params
            .get(name)
            .filter(|v| !v.is_empty())
        {
            None => Ok(default),
            Some(text) => text
                .parse::<u64>()
                .ok()
                .filter(|n| range.contains(n))
                .ok_or(ApiError::InvalidPage(name)),
        };
    Ok((
        number("PageNumber", 1, 1..=u64::from(u32::MAX))?,
        number("PageSize", 10, 1..=max)?,
    ))
}

/// The items of page `number` of `size`.
fn page_of<T>(items: Vec<T>, number: u64, size: u64) -> Vec<T> {
    let skip = usize::try_from(number.saturating_sub(1).saturating_mul(size)).unwrap_or(usize::MAX);
    let take = usize::try_from(size).unwrap_or(usize::MAX);
    items.into_iter().skip(skip).take(take).collect()
}

/// The `Status` filter: one of `statuses` by its ECS name.
fn status_filter<S: Copy + Into<&'static str>>(
    params: &Params<'_>,
    statuses: &[S],
) -> Result<Option<S>, ApiError> {
    match params.get("Status").filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(text) => statuses
            .iter()
            .copied()
            .find(|s| (*s).into() == text)
            .map(Some)
            .ok_or(ApiError::InvalidParameter("Status")),
    }
}

fn describe_disks(
    store: &Store,
    params: &Params<'_>,
    format: Format,
    now: Duration,
    ids: &Ids<'_>,
    handled: &mut Handled,
) -> Result<Response, ApiError> {
    let disk_ids = id_list(params, "DiskIds", ApiError::InvalidDiskIds)?;
    let instance_id = params.get("InstanceId").filter(|v| !v.is_empty());
    let status = status_filter(params, DISK_STATUSES)?;
    let (number, size) = page(params, 100)?;
    handled.ids.extend(disk_ids.iter().flatten().cloned());
    let disks = store.disks(now, disk_ids.as_deref(), |d| {
        instance_id.is_none_or(|i| d.instance_id.as_deref() == Some(i))
            && status.is_none_or(|s| d.status == s)
    });
    let layout = store.with_world(now, |world| {
        Layout::of_instances(world, disks.iter().filter_map(|d| d.instance_id.as_deref()))
    });
    let describer = Describer::with_layout(layout, &DEFAULTS);
    let page = Page {
        action: "DescribeDisks",
        list: ("Disks", "Disk"),
        number,
        size,
    };
    page.respond(format, ids, disks, |d| disk_document(d, &describer))
}

/// One page of a `Describe*` answer.
struct Page {
    action: &'static str,
    /// The list's element and each item's (`Disks`, `Disk`).
    list: (&'static str, &'static str),
    number: u64,
    size: u64,
}

impl Page {
    /// `{LIST: {ITEM: [...]}, "TotalCount", "PageNumber", "PageSize",
    /// "RequestId"}`, the items of this page of `all`, in ECS's order; in
    /// XML under `ACTIONResponse`.
    fn respond<T>(
        &self,
        format: Format,
        ids: &Ids<'_>,
        all: Vec<T>,
        item: impl Fn(&T) -> Result<Document, EncodeError>,
    ) -> Result<Response, ApiError> {
        let total = all.len();
        let items = page_of(all, self.number, self.size)
            .iter()
            .map(item)
            .collect::<Result<_, _>>()
            .map_err(ApiError::Encode)?;
        let (list, each) = self.list;
        document(
            format,
            &format!("{}Response", self.action),
            &Document::Object(vec![
                (list, Document::Object(vec![(each, Document::List(items))])),
                ("TotalCount", count(total)),
                ("PageNumber", Document::Number(self.number)),
                ("PageSize", Document::Number(self.size)),
                ("RequestId", text(ids.request_id)),
            ]),
        )
    }
}

fn describe_instances(
    store: &Store,
    params: &Params<'_>,
    format: Format,
    now: Duration,
    ids: &Ids<'_>,
    handled: &mut Handled,
) -> Result<Response, ApiError> {
    let instance_ids = id_list(params, "InstanceIds", ApiError::InvalidInstanceIds)?;
    let status = status_filter(params, INSTANCE_STATUSES)?;
    let (number, size) = page(params, 100)?;
    handled.ids.extend(instance_ids.iter().flatten().cloned());
    let instances = store.instances(now, instance_ids.as_deref(), |i| {
        status.is_none_or(|s| i.status == s)
    });
    let layout = store.with_world(now, |world| {
        Layout::of_instances(world, instances.iter().map(|i| i.id.as_str()))
    });
    let describer = Describer::with_layout(layout, &DEFAULTS);
    let page = Page {
        action: "DescribeInstances",
        list: ("Instances", "Instance"),
        number,
        size,
    };
    page.respond(format, ids, instances, |i| instance_document(i, &describer))
}

fn instance_action(
    store: &Store,
    params: &Params<'_>,
    format: Format,
    now: Duration,
    ids: &Ids<'_>,
    handled: &mut Handled,
    stop: bool,
) -> Result<Response, ApiError> {
    let id = params
        .get("InstanceId")
        .filter(|v| !v.is_empty())
        .ok_or(ApiError::MissingParameter("InstanceId"))?;
    handled.ids.push(id.to_owned());
    let done = if stop {
        store.stop_instance(id, now)
    } else {
        store.start_instance(id, now)
    };
    done.map_err(|e| match e {
        InstanceError::NotFound => ApiError::InstanceNotFound,
        InstanceError::IncorrectStatus => ApiError::IncorrectInstanceStatus,
    })?;
    let root = if stop {
        "StopInstanceResponse"
    } else {
        "StartInstanceResponse"
    };
    document(
        format,
        root,
        &Document::Object(vec![("RequestId", text(ids.request_id))]),
    )
}

const DISK_STATUSES: &[DiskStatus] = &[
    DiskStatus::InUse,
    DiskStatus::Available,
    DiskStatus::Attaching,
    DiskStatus::Detaching,
    DiskStatus::Creating,
    DiskStatus::ReIniting,
];

const INSTANCE_STATUSES: &[InstanceStatus] = &[
    InstanceStatus::Pending,
    InstanceStatus::Running,
    InstanceStatus::Starting,
    InstanceStatus::Stopping,
    InstanceStatus::Stopped,
];

fn text(value: &str) -> Document {
    Document::Text(value.to_owned())
}

fn count(n: usize) -> Document {
    Document::Number(u64::try_from(n).unwrap_or(u64::MAX))
}

/// A disk as `DescribeDisks` shows it: the library's full ECS record
/// (every field of the SDK's model; docs/ecs.md gives each default).
pub fn disk_document(disk: &Disk, describer: &Describer<'_>) -> Result<Document, EncodeError> {
    to_document(&describer.disk(disk))
}

/// An instance as `DescribeInstances` shows it: the library's full ECS
/// record.
pub fn instance_document(
    instance: &Instance,
    describer: &Describer<'_>,
) -> Result<Document, EncodeError> {
    to_document(&describer.instance(instance))
}
