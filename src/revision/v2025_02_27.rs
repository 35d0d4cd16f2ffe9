//! The 2025-02-27 revision: ECS's API reference as it reads today
//! (`ReInitDisk-current.md`, the error-code change of 2025-02-27): 28 codes,
//! `Password`, `KeyPairName`, `AutoStartInstance`, and the facts they need.
//! Where it and the seed page disagree, this revision keeps its own texts.

use time::macros::datetime;

use super::Revision;
use crate::catalogue::{Code, Entry, INTERNAL_ERROR, Source, row, row_for};
use crate::checks::Check;
use crate::model::CreationTime;
use crate::request::{Param, ParamSet, SecurityEnhancementStrategy};

/// The 2025-02-27 revision.
pub static V2025_02_27: Revision = Revision {
    name: "2025-02-27",
    title: "ECS's API reference today (error codes of 2025-02-27): 28 codes, Password, KeyPairName, AutoStartInstance",
    catalogue: CATALOGUE,
    index: INDEX,
    params: PARAMS,
    reads: ParamSet::of(PARAMS),
    request_checks: &REQUEST_CHECKS,
    world_checks: &WORLD_CHECKS,
    // The page: "before July 15, 2013", the 15th (UTC) excluded.
    too_old_before: CreationTime::of(datetime!(2013-07-15 00:00:00 UTC)),
    // The page: the documented default of SecurityEnhancementStrategy.
    default_strategy: Some(SecurityEnhancementStrategy::Deactive),
};

/// The request parameters this revision reads.
const PARAMS: &[Param] = &[
    Param::Action,
    Param::DiskId,
    Param::SecurityEnhancementStrategy,
    Param::Password,
    Param::AutoStartInstance,
    Param::RegionId,
    Param::KeyPairName,
];

checks_in_order! {
    catalogue: CATALOGUE,
    request: [Action, DiskIdGiven, StrategyValue, PasswordValue, AutoStartValue, RegionIdValue],
    world: [
        DiskExists,
        CategorySupported,
        UserInWhiteList,
        NotMultiAttach,
        InstanceNotSecurityLocked,
        InstanceNotInArrears,
        DiskInUse,
        InstanceStopped,
        NotHibernationConfigured,
        IoOptimized,
        NoSnapshotInProgress,
        NoInstantAccessSnapshot,
        KmsKeyUsable,
        SourceSnapshotExists,
        SourceSnapshotNotTooOld,
        SourceImageExists,
        KeyPairUsable,
        WindowsPasswordValue,
        NonRootRegionSupported,
        NonRootImageSupported,
        HardeningSupported,
    ],
}

/// The 2025-02-27 revision: the page's 28 codes and the three common codes
/// (`InvalidParameter` once per parameter it names), in check order.
#[rustfmt::skip]
const CATALOGUE: &[Entry] = &[
    row(Code::InvalidActionNotFound, "Specified api is not found, please check your url and method.", 404,
        "Action is given and is not ReInitDisk.", Source::CommonErrors),
    row(Code::MissingParameter, "The input parameter \"DiskId\" that is mandatory for processing this request is not supplied.", 400,
        "DiskId is absent or empty.", Source::CommonErrors),
    row_for(Param::SecurityEnhancementStrategy, Code::InvalidParameter, "The specified parameter \"SecurityEnhancementStrategy\" is not valid.", 400,
        "SecurityEnhancementStrategy is neither Active nor Deactive (or, if the policy says so, Active on a non-public image).", Source::CommonErrors),
    row_for(Param::AutoStartInstance, Code::InvalidParameter, "The specified parameter \"AutoStartInstance\" is not valid.", 400,
        "AutoStartInstance is neither true nor false (any letter case).", Source::CommonErrors),
    row(Code::InvalidPasswordMalformed, "The specified parameter \"Password\" is not valid.", 400,
        "Password is not 8 to 30 allowed characters of three kinds, or starts with / on a Windows instance.", Source::CurrentApi),
    row(Code::InvalidRegionIdMalFormed, "The specified RegionId is not valid.", 400,
        "RegionId is not of the shape region ids have.", Source::CurrentApi),
    row(Code::InvalidDiskIdNotFound, "The specified disk does not exist.", 404,
        "The disk does not exist.", Source::ReferencePage),
    row(Code::DiskCategoryOperationNotSupported, "The operation is not supported to the specified disk due to its disk category.", 400,
        "The disk's category does not support this operation.", Source::CurrentApi),
    row(Code::UserNotInTheWhiteList, "The user is not in volume white list.", 403,
        "The account is not on the volume white list.", Source::CurrentApi),
    row(Code::InvalidOperationMultiAttachDisk, "Multi attach disk does not support this operation.", 403,
        "The disk is a multi-attach disk.", Source::CurrentApi),
    row(Code::InstanceLockedForSecurity, "The instance is locked due to security.", 403,
        "The instance the disk is attached to is under security control (locked).", Source::ReferencePage),
    row(Code::InstanceExpiredOrInArrears, "The specified operation is denied as your prepay instance is expired (prepay mode) or in arrears (afterpay mode).", 403,
        "The disk or the instance it is attached to is expired or in arrears.", Source::ReferencePage),
    row(Code::IncorrectDiskStatus, "The current disk status does not support this operation.", 403,
        "The disk's status must be In use (In_use).", Source::ReferencePage),
    row(Code::IncorrectInstanceStatus, "The current status of the resource does not support this operation.", 403,
        "The instance the disk is attached to must be Stopped (and have started once).", Source::ReferencePage),
    row(Code::HibernationConfiguredInstanceOperationForbidden, "The operation is not permitted due to limit of the hibernation configured instance.", 403,
        "The instance has hibernation configured.", Source::CurrentApi),
    row(Code::DependencyViolationIoOptimize, "The specified parameter InstanceId is not valid.", 400,
        "The instance is not I/O optimized.", Source::CurrentApi),
    row(Code::DiskCreatingSnapshot, "The operation is denied due to a snapshot of the specified disk is not completed yet.", 403,
        "A snapshot of the disk is being created; try again later.", Source::ReferencePage),
    row(Code::DiskHasSnapshotsWithInstantAccessEnabledOperationNotSupported, "The operation is not supported to the specified disk that have snapshots with InstantAccess enabled.", 400,
        "A snapshot made from the disk has instant access enabled.", Source::CurrentApi),
    row(Code::InvalidParameterKmsKeyIdCmkNotEnabled, "The CMK needs to be enabled.", 403,
        "The encrypted disk's KMS key is not enabled (or no longer exists).", Source::CurrentApi),
    row(Code::InvalidParameterKmsKeyIdKmsUnauthorized, "ECS service have no right to access your KMS.", 403,
        "ECS is not authorized to use KMS.", Source::CurrentApi),
    row(Code::InvalidParameterKmsKeyIdCmkUnauthorized, "The CMK needs to be added ECS tag.", 403,
        "The encrypted disk's KMS key lacks the ECS tag.", Source::CurrentApi),
    row(Code::InvalidSourceSnapshot, "The source snapshot of the disk has been deleted and cannot support the current operation.", 403,
        "The disk's source snapshot was deleted; it cannot be re-initialized.", Source::CurrentApi),
    row(Code::OperationDenied, "The snapshot which is used to create the specified disk has been deleted.", 403,
        "The disk's source snapshot was deleted (the policy's alternative code).", Source::ReferencePage),
    row(Code::InvalidSnapshotTooOld, "The disk is created from a snapshotId made before 2013-07-15, it cannot be re-initiated the specified disk any more since the detached first time.", 403,
        "The disk's source snapshot was created before 15 July 2013.", Source::ReferencePage),
    row(Code::SharedImageDeleted, "The specified image by others shared is deleted.", 403,
        "The image shared by another account that the disk was created from was deleted.", Source::ReferencePage),
    row(Code::InvalidDiskIdOperationNotSupported, "The operation is not supported due to image not exist.", 404,
        "The image the system disk was created from was deleted (not an image shared by another account).", Source::CurrentApi),
    row(Code::InvalidImageIdNotFound, "The specified ImageId does not exist.", 404,
        "The image the system disk was created from was deleted (the policy's alternative code).", Source::CurrentApi),
    row(Code::InvalidKeyPairNameNotFound, "The specified KeyPairName does not exist.", 400,
        "The key pair KeyPairName names does not exist.", Source::CurrentApi),
    row(Code::DependencyViolationWindowsInstance, "The instance creating is windows, cannot use ssh key pair to login.", 403,
        "A key pair was given for a Windows instance.", Source::CurrentApi),
    row(Code::LoginAsNonRootRegionNotSupport, "The specified region does not support login as non-root.", 403,
        "The instance logs on as non-root and the region does not support it.", Source::CurrentApi),
    row(Code::LoginAsNonRootImageNotSupport, "The specified image does not support login as non-root.", 400,
        "The instance logs on as non-root and its image does not support it.", Source::CurrentApi),
    INTERNAL_ERROR,
];
