//! The catalogue: every error code `ReInitDisk` can return, one row per code,
//! with its exact message, HTTP status, meaning and where it comes from.
//!
//! The rules in [`crate::checks`] decide *which* code answers; a revision's
//! catalogue decides *what that code says*: each [`Revision`](crate::Revision)
//! holds its own rows (`src/revision/<name>.rs`), so a later revision may
//! change a message or add codes without touching the rules. [`Code`] names
//! every code of every revision.

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
#[non_exhaustive]
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

/// A revision's catalogue rows indexed by code, built at compile time: the
/// row of a code in one step instead of a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CodeIndex {
    rows: &'static [Entry],
    /// The position of each code's row in `rows`; `u8::MAX` for none.
    positions: [u8; Code::COUNT],
}

impl CodeIndex {
    /// The index of `rows` (a revision's catalogue, at most 255 rows; the
    /// last row of a code wins, and tests/revisions.rs holds each catalogue
    /// to one row per code).
    // Evaluated in each revision's `static`: a position out of range would
    // fail the build, not a call.
    #[allow(clippy::indexing_slicing, clippy::cast_possible_truncation)]
    pub const fn of(rows: &'static [Entry]) -> Self {
        let mut positions = [u8::MAX; Code::COUNT];
        let mut i = 0;
        while i < rows.len() && i < u8::MAX as usize {
            positions[rows[i].code as usize] = i as u8;
            i += 1;
        }
        Self { rows, positions }
    }

    /// The row for `code`, if there is one.
    #[inline]
    pub fn get(&self, code: Code) -> Option<&'static Entry> {
        let position = *self.positions.get(code as usize)?;
        self.rows.get(usize::from(position))
    }
}

/// `InternalError`, the row every revision has (a test holds each to it): a
/// real service that cannot name its error answers with it.
pub const INTERNAL_ERROR: Entry = Entry {
    code: Code::InternalError,
    message: "The request processing has failed due to some unknown error, exception or failure.",
    http_status: 500,
    meaning: "The world view is inconsistent (a disk names an instance it does not have).",
    source: Source::CommonErrors,
};

/// A row (for the revisions' catalogues, which are `const` tables).
pub(crate) const fn row(
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
