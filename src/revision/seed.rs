//! The seed revision: the reference page `ReInitDisk.zh-CN.md` (API version
//! 2014-05-26) as the project started from it, with the common codes the
//! product decided on.

use time::macros::datetime;

use super::Revision;
use crate::catalogue::{Code, Entry, INTERNAL_ERROR, Source, row};
use crate::checks::Check;
use crate::model::CreationTime;
use crate::request::{Param, ParamSet};

/// The seed revision.
pub static SEED: Revision = Revision {
    name: "seed",
    title: "the reference page ReInitDisk.zh-CN.md (API 2014-05-26), with the common codes",
    catalogue: CATALOGUE,
    index: INDEX,
    params: PARAMS,
    reads: ParamSet::of(PARAMS),
    request_checks: &REQUEST_CHECKS,
    world_checks: &WORLD_CHECKS,
    // The page: "on or before 15 July 2013", the whole of the 15th (UTC).
    too_old_before: CreationTime::of(datetime!(2013-07-16 00:00:00 UTC)),
    default_strategy: None,
};

/// The request parameters this revision reads.
const PARAMS: &[Param] = &[
    Param::Action,
    Param::DiskId,
    Param::SecurityEnhancementStrategy,
];

checks_in_order! {
    catalogue: CATALOGUE,
    request: [Action, DiskIdGiven, StrategyValue],
    world: [
        DiskExists,
        CategorySupported,
        InstanceNotSecurityLocked,
        InstanceNotInArrears,
        DiskInUse,
        InstanceStopped,
        NoSnapshotInProgress,
        SourceSnapshotExists,
        SourceSnapshotNotTooOld,
        SourceImageExists,
        HardeningSupported,
    ],
}

/// The seed revision: the reference page's eleven codes, three common codes
/// and two codes of the current API list (a deleted image's, and the
/// policy's alternative to it), in check order.
#[rustfmt::skip]
const CATALOGUE: &[Entry] = &[
    row(Code::InvalidActionNotFound, "Specified api is not found, please check your url and method.", 404,
        "Action is given and is not ReInitDisk.", Source::CommonErrors),
    row(Code::MissingParameter, "The input parameter \"DiskId\" that is mandatory for processing this request is not supplied.", 400,
        "DiskId is absent or empty.", Source::CommonErrors),
    row(Code::InvalidParameter, "The specified parameter \"SecurityEnhancementStrategy\" is not valid.", 400,
        "SecurityEnhancementStrategy is neither Active nor Deactive (or, if the policy says so, Active on a non-public image).", Source::CommonErrors),
    row(Code::InvalidDiskIdNotFound, "The specified disk does not exist.", 404,
        "The disk does not exist.", Source::ReferencePage),
    row(Code::DiskCategoryOperationNotSupported, "The operation is not supported to the specified disk due to its disk category", 400,
        "The disk's category does not support this operation.", Source::ReferencePage),
    row(Code::InstanceLockedForSecurity, "The instance is locked due to security.", 403,
        "The instance the disk is attached to is under security control (locked).", Source::ReferencePage),
    row(Code::InstanceExpiredOrInArrears, "The specified operation is denied as your prepay instance is expired (prepay mode) or in arrears (afterpay mode).", 403,
        "The instance the disk is attached to was stopped for overdue payment.", Source::ReferencePage),
    row(Code::IncorrectDiskStatus, "The current disk status does not support this operation.", 403,
        "The disk's status must be In use (In_use).", Source::ReferencePage),
    row(Code::IncorrectInstanceStatus, "The current status of the resource does not support this operation.", 403,
        "The instance the disk is attached to must be Stopped (and have started once).", Source::ReferencePage),
    row(Code::DiskCreatingSnapshot, "The operation is denied due to a snapshot of the specified disk is not completed yet.", 403,
        "A snapshot of the disk is being created; try again later.", Source::ReferencePage),
    row(Code::InvalidSourceSnapshot, "The snapshot which is used to create the specified disk has been deleted.", 403,
        "The disk's source snapshot was deleted; it cannot be re-initialized.", Source::ReferencePage),
    row(Code::OperationDenied, "The snapshot which is used to create the specified disk has been deleted.", 403,
        "The disk's source snapshot was deleted (the policy's alternative code).", Source::ReferencePage),
    row(Code::InvalidSnapshotTooOld, "The disk is created from a snapshotId made before 2013-07-15, it cannot be re-initiated the specified disk any more since the detached first time.", 403,
        "The disk's source snapshot was created on or before 15 July 2013.", Source::ReferencePage),
    row(Code::SharedImageDeleted, "The specified image by others shared is deleted.", 403,
        "The image shared by another account that the disk was created from was deleted.", Source::ReferencePage),
    row(Code::InvalidDiskIdOperationNotSupported, "The operation is not supported due to image not exist.", 404,
        "The image the system disk was created from was deleted (not an image shared by another account).", Source::CurrentApi),
    row(Code::InvalidImageIdNotFound, "The specified ImageId does not exist.", 404,
        "The image the system disk was created from was deleted (the policy's alternative code).", Source::CurrentApi),
    INTERNAL_ERROR,
];
