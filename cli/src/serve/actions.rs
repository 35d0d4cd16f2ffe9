//! The actions the server answers, each a function of the request, the
//! store and the time: `ReInitDisk` (decided by the engine), the
//! `Describe*` calls a client polls (describe.rs), `StopInstance`,
//! `StartInstance` and `RebootInstance` (the library's
//! [`InstanceAction`]s), `AttachDisk`, `DetachDisk` and `CreateSnapshot`
//! (its [`DiskAction`]s), `DeleteSnapshot` (its [`delete_snapshot`]
//! rule, through the store). No I/O here: the HTTP glue (server.rs) reads the
//! request and writes the response.

use std::time::Duration;

use super::describe;
use super::errors::ApiError;
use super::records::{boolean, document, given, text};
use super::store::Store;
use reinit_disk::model::StoppedMode;
use reinit_disk::revision::Revision;
use reinit_disk::wire::{
    Document, ErrorBody, ExchangeError, Format, HttpRequest, Ids, Params, Response, encode_error,
    encode_malformed,
};
use reinit_disk::{DeleteRefusal, DiskAction, DiskRefusal, InstanceAction, Refusal};

use super::store::SnapshotRefusal;

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
pub const ACTIONS: [&str; 15] = [
    "ReInitDisk",
    "DescribeDisks",
    "DescribeInstances",
    "DescribeInstanceStatus",
    "DescribeInstanceAttribute",
    "StopInstance",
    "StartInstance",
    "RebootInstance",
    "AttachDisk",
    "DetachDisk",
    "CreateSnapshot",
    "DeleteSnapshot",
    "DescribeSnapshots",
    "DescribeImages",
    "DescribeKeyPairs",
];

/// The actions whose request model in the official SDK
/// (alibabacloud-ecs20140526 7.11.8) has a `DryRun` field: each answers a
/// dry run that would be accepted with `DryRunOperation` and changes
/// nothing. (`ReInitDisk`, `DescribeInstanceStatus`,
/// `DescribeInstanceAttribute`, `AttachDisk`, `DetachDisk`,
/// `CreateSnapshot`, `DeleteSnapshot` and `DescribeKeyPairs` have none: their `DryRun` is not
/// read.)
pub const DRY_RUN_ACTIONS: [&str; 7] = [
    "DescribeDisks",
    "DescribeInstances",
    "StopInstance",
    "StartInstance",
    "RebootInstance",
    "DescribeSnapshots",
    "DescribeImages",
];

/// The actions that change the world when they succeed (a dry run
/// answers `DryRunOperation`, an error: neither changes anything).
pub const CHANGING_ACTIONS: [&str; 8] = [
    "ReInitDisk",
    "StopInstance",
    "StartInstance",
    "RebootInstance",
    "AttachDisk",
    "DetachDisk",
    "CreateSnapshot",
    "DeleteSnapshot",
];

/// Whether the request `handled` describes changed the world: one of
/// [`CHANGING_ACTIONS`], answered without an error.
pub fn changes_world(handled: &Handled) -> bool {
    handled.code.is_none() && CHANGING_ACTIONS.contains(&handled.action.as_str())
}

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
    let named = &mut handled.ids;
    let result = dry_run(&action, &params).and_then(|dry_run| match action.as_str() {
        "DescribeDisks" => {
            describe::describe_disks(store, &params, format, now, ids, dry_run, named)
        }
        "DescribeInstances" => {
            describe::describe_instances(store, &params, format, now, ids, dry_run, named)
        }
        "DescribeInstanceStatus" => {
            describe::describe_instance_status(store, &params, format, now, ids, named)
        }
        "DescribeInstanceAttribute" => {
            describe::describe_instance_attribute(store, &params, format, now, ids, named)
        }
        "StopInstance" => instance_action(
            store,
            &params,
            format,
            now,
            ids,
            named,
            InstanceAction::Stop,
            dry_run,
        ),
        "StartInstance" => instance_action(
            store,
            &params,
            format,
            now,
            ids,
            named,
            InstanceAction::Start,
            dry_run,
        ),
        "RebootInstance" => instance_action(
            store,
            &params,
            format,
            now,
            ids,
            named,
            InstanceAction::Reboot,
            dry_run,
        ),
        "AttachDisk" => disk_action(store, &params, format, now, ids, named, &ATTACH),
        "DetachDisk" => disk_action(store, &params, format, now, ids, named, &DETACH),
        "CreateSnapshot" => create_snapshot(store, &params, format, now, ids, named),
        "DeleteSnapshot" => delete_snapshot(store, &params, format, now, ids, named),
        "DescribeSnapshots" => {
            describe::describe_snapshots(store, &params, format, now, ids, dry_run, named)
        }
        "DescribeImages" => {
            describe::describe_images(store, &params, format, now, ids, dry_run, named)
        }
        "DescribeKeyPairs" => describe::describe_key_pairs(store, &params, format, now, ids, named),
        _ => Err(ApiError::ActionNotFound),
    });
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

/// Whether `action` is asked for a dry run: `DryRun=true` on an action
/// that reads it ([`DRY_RUN_ACTIONS`]).
fn dry_run(action: &str, params: &Params<'_>) -> Result<bool, ApiError> {
    if !DRY_RUN_ACTIONS.contains(&action) {
        return Ok(false);
    }
    Ok(boolean(params, "DryRun")?.unwrap_or(false))
}

/// `StoppedMode`: `KeepCharging` or `StopCharging`.
fn stopped_mode(params: &Params<'_>) -> Result<Option<StoppedMode>, ApiError> {
    match params.get("StoppedMode").filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => v
            .parse()
            .map(Some)
            .map_err(|_| ApiError::InvalidParameter("StoppedMode")),
    }
}

#[allow(
    clippy::too_many_arguments,
    reason = "the request's parts, the action and the dry run, as every action takes them"
)]
fn instance_action(
    store: &Store,
    params: &Params<'_>,
    format: Format,
    now: Duration,
    ids: &Ids<'_>,
    named: &mut Vec<String>,
    action: InstanceAction,
    dry_run: bool,
) -> Result<Response, ApiError> {
    let id = params
        .get("InstanceId")
        .filter(|v| !v.is_empty())
        .ok_or(ApiError::MissingParameter("InstanceId"))?;
    named.push(id.to_owned());
    // Read as ECS documents them; a forced stop or reboot takes as long.
    let _force = boolean(params, "ForceStop")?;
    let mode = match action {
        InstanceAction::Stop => stopped_mode(params)?,
        InstanceAction::Start | InstanceAction::Reboot => None,
    };
    store
        .instance_action(action, id, now, dry_run, mode)
        .map_err(|e| match e {
            Refusal::NotFound => ApiError::InstanceNotFound,
            Refusal::LockedForSecurity => ApiError::InstanceLockedForSecurity,
            Refusal::IncorrectStatus => ApiError::IncorrectInstanceStatus,
            Refusal::DiskReIniting => ApiError::DiskError,
        })?;
    if dry_run {
        return Err(ApiError::DryRunOperation);
    }
    let root = match action {
        InstanceAction::Stop => "StopInstanceResponse",
        InstanceAction::Start => "StartInstanceResponse",
        InstanceAction::Reboot => "RebootInstanceResponse",
    };
    document(
        format,
        root,
        &Document::Object(vec![("RequestId", text(ids.request_id))]),
    )
}

/// A disk action's texts, each copied from its API reference's error codes
/// (docs/serve.md gives the source of each).
struct DiskTexts {
    /// The action, and its response's root element.
    action: &'static str,
    root: &'static str,
    /// `InvalidDiskId.NotFound`'s message.
    not_found: &'static str,
    /// `InstanceLockedForSecurity`'s message.
    locked: &'static str,
    /// `IncorrectDiskStatus`'s message.
    disk_status: &'static str,
    /// `IncorrectInstanceStatus`'s HTTP status.
    instance_status: u16,
}

const ATTACH: DiskTexts = DiskTexts {
    action: "AttachDisk",
    root: "AttachDiskResponse",
    not_found: "The specified disk does not exist.",
    locked: "The instance is locked due to security.",
    disk_status: "The operation is not supported in this status.",
    instance_status: 400,
};

const DETACH: DiskTexts = DiskTexts {
    action: "DetachDisk",
    root: "DetachDiskResponse",
    not_found: "The specified DiskId does not exist.",
    locked: "The instance is locked due to security.",
    disk_status: "The current disk status does not support this operation.",
    instance_status: 403,
};

const SNAPSHOT: DiskTexts = DiskTexts {
    action: "CreateSnapshot",
    root: "CreateSnapshotResponse",
    not_found: "The specified DiskId does not exist.",
    locked: "The disk attached instance is locked due to security.",
    disk_status: "The current disk status does not support this operation.",
    instance_status: 400,
};

/// The error of a disk action's refusal, in its action's texts.
fn disk_error(refusal: DiskRefusal, texts: &DiskTexts) -> ApiError {
    match refusal {
        DiskRefusal::DiskNotFound => ApiError::DiskNotFound(texts.not_found),
        DiskRefusal::InstanceNotFound => ApiError::InstanceNotFound,
        DiskRefusal::LockedForSecurity => ApiError::DiskInstanceLocked(texts.locked),
        DiskRefusal::IncorrectDiskStatus => ApiError::IncorrectDiskStatus(texts.disk_status),
        DiskRefusal::NotAttachedToInstance => ApiError::DependencyViolation,
        DiskRefusal::SystemDisk => ApiError::DiskTypeViolation,
        DiskRefusal::IncorrectInstanceStatus => ApiError::DiskInstanceStatus(texts.instance_status),
        DiskRefusal::SnapshotInProgress => ApiError::CreatingSnapshot,
    }
}

/// `AttachDisk` or `DetachDisk`: `DiskId` and `InstanceId` required (in
/// that order); `DeleteWithInstance` (both), `Bootable` and `Force`
/// (attach) read as booleans and not kept; `Device`, `KeyPairName`,
/// `Password` not read. No `DryRun` in their SDK models.
fn disk_action(
    store: &Store,
    params: &Params<'_>,
    format: Format,
    now: Duration,
    ids: &Ids<'_>,
    named: &mut Vec<String>,
    texts: &DiskTexts,
) -> Result<Response, ApiError> {
    let disk_id = given(params, "DiskId").ok_or(ApiError::MissingParameter("DiskId"))?;
    let instance_id =
        given(params, "InstanceId").ok_or(ApiError::MissingParameter("InstanceId"))?;
    named.push(disk_id.to_owned());
    named.push(instance_id.to_owned());
    let _ = boolean(params, "DeleteWithInstance")?;
    let action = if texts.action == "AttachDisk" {
        let _ = boolean(params, "Bootable")?;
        let _ = boolean(params, "Force")?;
        DiskAction::Attach { instance_id }
    } else {
        DiskAction::Detach {
            instance_id,
            system_disk: store.system_disk_detach(),
        }
    };
    store
        .disk_action(action, disk_id, now, false)
        .map_err(|r| disk_error(r, texts))?;
    document(
        format,
        texts.root,
        &Document::Object(vec![("RequestId", text(ids.request_id))]),
    )
}

/// `CreateSnapshot`: `DiskId` required; the snapshot's id answered
/// (`RequestId`, then `SnapshotId`, as the SDK's model writes them). Its
/// name, description, retention, `InstantAccess` and tags are not read.
fn create_snapshot(
    store: &Store,
    params: &Params<'_>,
    format: Format,
    now: Duration,
    ids: &Ids<'_>,
    named: &mut Vec<String>,
) -> Result<Response, ApiError> {
    let disk_id = given(params, "DiskId").ok_or(ApiError::MissingParameter("DiskId"))?;
    named.push(disk_id.to_owned());
    let snapshot_id = store
        .create_snapshot(disk_id, now, false)
        .map_err(|r| disk_error(r, &SNAPSHOT))?;
    named.push(snapshot_id.clone());
    document(
        format,
        SNAPSHOT.root,
        &Document::Object(vec![
            ("RequestId", text(ids.request_id)),
            ("SnapshotId", Document::Text(snapshot_id)),
        ]),
    )
}

/// `DeleteSnapshot`: `SnapshotId` required, `Force` (`true`/`false`).
fn delete_snapshot(
    store: &Store,
    params: &Params<'_>,
    format: Format,
    now: Duration,
    ids: &Ids<'_>,
    named: &mut Vec<String>,
) -> Result<Response, ApiError> {
    let snapshot_id = given(params, "SnapshotId").ok_or(ApiError::MissingSnapshotId)?;
    named.push(snapshot_id.to_owned());
    let force = boolean(params, "Force")?.unwrap_or(false);
    store
        .delete_snapshot(snapshot_id, force, now, false)
        .map_err(|e| match e {
            SnapshotRefusal::InProgress => ApiError::OperationConflict,
            SnapshotRefusal::Refused(DeleteRefusal::NotFound) => ApiError::SnapshotNotFound,
            SnapshotRefusal::Refused(DeleteRefusal::CreatedDisk) => ApiError::SnapshotCreatedDisk,
        })?;
    document(
        format,
        "DeleteSnapshotResponse",
        &Document::Object(vec![("RequestId", text(ids.request_id))]),
    )
}
