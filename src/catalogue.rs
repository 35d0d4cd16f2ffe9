//! The catalogue: every error code `ReInitDisk` can return, one row per code,
//! with its exact message, HTTP status, meaning and where it comes from.
//!
//! The rules in [`crate::checks`] decide *which* code answers; the catalogue
//! decides *what that code says*. An API revision is a catalogue: a later
//! revision may change a message or add codes without touching the rules.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumCount, EnumIter, EnumString, IntoStaticStr, VariantArray};

/// An error code, spelled as ECS returns it in `Code`.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Display,
    EnumString,
    EnumIter,
    EnumCount,
    IntoStaticStr,
    VariantArray,
    Serialize,
    Deserialize,
)]
pub enum Code {
    /// `InvalidAction.NotFound`
    #[strum(serialize = "InvalidAction.NotFound")]
    #[serde(rename = "InvalidAction.NotFound")]
    InvalidActionNotFound,
    /// `MissingParameter`
    MissingParameter,
    /// `InvalidParameter`
    InvalidParameter,
    /// `InvalidDiskId.NotFound`
    #[strum(serialize = "InvalidDiskId.NotFound")]
    #[serde(rename = "InvalidDiskId.NotFound")]
    InvalidDiskIdNotFound,
    /// `DiskCategory.OperationNotSupported`
    #[strum(serialize = "DiskCategory.OperationNotSupported")]
    #[serde(rename = "DiskCategory.OperationNotSupported")]
    DiskCategoryOperationNotSupported,
    /// `InstanceLockedForSecurity`
    InstanceLockedForSecurity,
    /// `InstanceExpiredOrInArrears`
    InstanceExpiredOrInArrears,
    /// `IncorrectDiskStatus`
    IncorrectDiskStatus,
    /// `IncorrectInstanceStatus`
    IncorrectInstanceStatus,
    /// `DiskCreatingSnapshot`
    DiskCreatingSnapshot,
    /// `InvalidSourceSnapshot`
    InvalidSourceSnapshot,
    /// `OperationDenied`
    OperationDenied,
    /// `InvalidSnapshot.TooOld`
    #[strum(serialize = "InvalidSnapshot.TooOld")]
    #[serde(rename = "InvalidSnapshot.TooOld")]
    InvalidSnapshotTooOld,
    /// `SharedImageDeleted`
    SharedImageDeleted,
    /// `InvalidDiskId.OperationNotSupported`
    #[strum(serialize = "InvalidDiskId.OperationNotSupported")]
    #[serde(rename = "InvalidDiskId.OperationNotSupported")]
    InvalidDiskIdOperationNotSupported,
    /// `InternalError`
    InternalError,
}

impl Code {
    /// The code as ECS spells it.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Where a catalogue row's code and message were copied from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Display, IntoStaticStr)]
pub enum Source {
    /// The error table of the reference page (`ReInitDisk.zh-CN.md`).
    #[strum(serialize = "reference page")]
    ReferencePage,
    /// ECS's common error codes, as the product's decisions quote them.
    #[strum(serialize = "common error codes")]
    CommonErrors,
    /// The current ECS API's list for this action.
    #[strum(serialize = "current API")]
    CurrentApi,
}

/// One row of a catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    /// The code.
    pub code: Code,
    /// The exact `Message`, character for character.
    pub message: &'static str,
    /// The HTTP status of the response.
    pub http_status: u16,
    /// What the code means, in a line.
    pub meaning: &'static str,
    /// Where the code and message come from.
    pub source: Source,
}

/// An API revision, and so a catalogue. Chosen by the policy.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    Display,
    EnumString,
    EnumIter,
    IntoStaticStr,
    VariantArray,
    Serialize,
    Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum Revision {
    /// The revision of the reference page (API version 2014-05-26), with the
    /// common codes the product decided on.
    #[default]
    Seed,
}

impl Revision {
    /// The rows of this revision's catalogue.
    pub const fn rows(self) -> &'static [Entry] {
        match self {
            Self::Seed => SEED,
        }
    }

    /// The row for `code`, if this revision has that code.
    pub fn entry(self, code: Code) -> Option<&'static Entry> {
        self.rows().iter().find(|e| e.code == code)
    }
}

/// The row every revision falls back to for a code it lacks: a real service
/// that cannot name its error answers `InternalError`.
pub const INTERNAL_ERROR: Entry = Entry {
    code: Code::InternalError,
    message: "The request processing has failed due to some unknown error, exception or failure.",
    http_status: 500,
    meaning: "The world view is inconsistent (a disk names an instance it does not have).",
    source: Source::CommonErrors,
};

const fn row(
    code: Code,
    message: &'static str,
    http_status: u16,
    meaning: &'static str,
    source: Source,
) -> Entry {
    Entry {
        code,
        message,
        http_status,
        meaning,
        source,
    }
}

/// The seed revision: the reference page's eleven codes, three common codes
/// and one code of the current API list, in check order.
#[rustfmt::skip]
const SEED: &[Entry] = &[
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
    INTERNAL_ERROR,
];
