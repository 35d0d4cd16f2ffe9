//! The catalogue: every error code `ReInitDisk` can return, one row per code,
//! with its exact message, HTTP status, meaning and where it comes from.
//!
//! The rules in [`crate::checks`] decide *which* code answers; a revision's
//! catalogue decides *what that code says*: each [`Revision`](crate::Revision)
//! holds its own rows (`src/revision/<name>.rs`), so a later revision may
//! change a message or add codes without touching the rules. [`Code`] names
//! every code of every revision.

use serde::{Deserialize, Serialize};

use crate::request::Param;
use strum::{Display, EnumCount, EnumIter, EnumString, IntoStaticStr, VariantArray};

/// Declares [`Code`] from one table: each row a variant and its ECS
/// spelling, written once. The spelling is the variant's doc, its
/// `as_str`, and (through attributes generated from the one literal, so
/// that they cannot disagree) its strum name (`Display`, `FromStr`,
/// `Into<&str>`) and its serde name.
macro_rules! codes {
    ($($variant:ident => $spelling:literal,)*) => {
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
            $(
                #[doc = concat!("`", $spelling, "`")]
                #[strum(serialize = $spelling)]
                #[serde(rename = $spelling)]
                $variant,
            )*
        }

        impl Code {
            /// The code as ECS spells it.
            #[inline]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $spelling,)*
                }
            }
        }
    };
}

codes! {
    InvalidActionNotFound => "InvalidAction.NotFound",
    MissingParameter => "MissingParameter",
    InvalidParameter => "InvalidParameter",
    InvalidDiskIdNotFound => "InvalidDiskId.NotFound",
    DiskCategoryOperationNotSupported => "DiskCategory.OperationNotSupported",
    InstanceLockedForSecurity => "InstanceLockedForSecurity",
    InstanceExpiredOrInArrears => "InstanceExpiredOrInArrears",
    IncorrectDiskStatus => "IncorrectDiskStatus",
    IncorrectInstanceStatus => "IncorrectInstanceStatus",
    DiskCreatingSnapshot => "DiskCreatingSnapshot",
    InvalidSourceSnapshot => "InvalidSourceSnapshot",
    OperationDenied => "OperationDenied",
    InvalidSnapshotTooOld => "InvalidSnapshot.TooOld",
    SharedImageDeleted => "SharedImageDeleted",
    InvalidDiskIdOperationNotSupported => "InvalidDiskId.OperationNotSupported",
    InvalidImageIdNotFound => "InvalidImageId.NotFound",
    InvalidRegionIdMalFormed => "InvalidRegionId.MalFormed",
    InvalidPasswordMalformed => "InvalidPassword.Malformed",
    UserNotInTheWhiteList => "UserNotInTheWhiteList",
    InvalidOperationMultiAttachDisk => "InvalidOperation.MultiAttachDisk",
    HibernationConfiguredInstanceOperationForbidden => "HibernationConfigured.InstanceOperationForbidden",
    DependencyViolationIoOptimize => "DependencyViolation.IoOptimize",
    DiskHasSnapshotsWithInstantAccessEnabledOperationNotSupported => "DiskHasSnapshotsWithInstantAccessEnabled.OperationNotSupported",
    InvalidParameterKmsKeyIdCmkNotEnabled => "InvalidParameter.KMSKeyId.CMKNotEnabled",
    InvalidParameterKmsKeyIdKmsUnauthorized => "InvalidParameter.KMSKeyId.KMSUnauthorized",
    InvalidParameterKmsKeyIdCmkUnauthorized => "InvalidParameter.KMSKeyId.CMKUnauthorized",
    InvalidKeyPairNameNotFound => "InvalidKeyPairName.NotFound",
    DependencyViolationWindowsInstance => "DependencyViolation.WindowsInstance",
    LoginAsNonRootRegionNotSupport => "LoginAsNonRoot.RegionNotSupport",
    LoginAsNonRootImageNotSupport => "LoginAsNonRoot.ImageNotSupport",
    InternalError => "InternalError",
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
    /// The current ECS API's list for this action (the 2025-02-27 revision's
    /// error table, `ReInitDisk-current.md`).
    #[strum(serialize = "current API")]
    CurrentApi,
}

/// One row of a catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Entry {
    /// The code.
    pub code: Code,
    /// The request parameter the message names, for a code whose message
    /// depends on it (`InvalidParameter`); `None` for a row that answers
    /// whatever the parameter.
    pub param: Option<Param>,
    /// The exact `Message`, character for character.
    pub message: &'static str,
    /// The HTTP status of the response.
    pub http_status: u16,
    /// What the code means, in a line.
    pub meaning: &'static str,
    /// Where the code and message come from.
    pub source: Source,
}

/// A revision's catalogue rows indexed by code and parameter, built at
/// compile time: the row for a failure in one load instead of a search.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CodeIndex {
    rows: &'static [Entry],
    /// The position in `rows` of each code's first row; `u8::MAX` for a
    /// code the catalogue lacks.
    first: [u8; Code::COUNT],
    /// For each code, the position of the row a failure about each
    /// parameter gets (column 0: about no parameter; column `1 + param`:
    /// about `param`): the code's row made for it, else its first row.
    for_param: [[u8; 1 + Param::COUNT]; Code::COUNT],
}

/// The column of [`CodeIndex::for_param`] for `param`.
const fn column(param: Option<Param>) -> usize {
    match param {
        None => 0,
        Some(p) => 1 + p as usize,
    }
}

impl CodeIndex {
    /// The index of `rows` (a revision's catalogue: tests/revisions.rs
    /// holds each catalogue to adjacent rows per code, one per parameter).
    /// Positions are bytes, and `u8::MAX` also means none: the rows from
    /// position 256 on are not indexed, and a look-up checks the code of
    /// the row it finds, so that it never answers with another code's.
    // Evaluated in each revision's `const INDEX`: a position out of range
    // would fail the build, not a call.
    #[allow(clippy::indexing_slicing, clippy::cast_possible_truncation)]
    pub const fn of(rows: &'static [Entry]) -> Self {
        let count = if rows.len() <= u8::MAX as usize {
            rows.len()
        } else {
            u8::MAX as usize + 1
        };
        let mut first = [u8::MAX; Code::COUNT];
        let mut for_param = [[u8::MAX; 1 + Param::COUNT]; Code::COUNT];
        // A code's first row answers every parameter...
        let mut i = 0;
        while i < count {
            let code = rows[i].code as usize;
            if first[code] == u8::MAX {
                first[code] = i as u8;
                for_param[code] = [i as u8; 1 + Param::COUNT];
            }
            i += 1;
        }
        // ... but one with a row made for it: walked from the last row, so
        // that the first such row is the one kept.
        while i > 0 {
            i -= 1;
            for_param[rows[i].code as usize][column(rows[i].param)] = i as u8;
        }
        Self {
            rows,
            first,
            for_param,
        }
    }

    /// The (first) row for `code`, if there is one.
    #[inline]
    pub fn get(&self, code: Code) -> Option<&'static Entry> {
        let position = *self.first.get(code as usize)?;
        self.rows
            .get(usize::from(position))
            .filter(|r| r.code == code)
    }

    /// The row for `code` when the failure is about `param`: of the rows
    /// of `code`, the one made for `param`; else the first row of `code`.
    #[inline]
    pub fn get_for(&self, code: Code, param: Option<Param>) -> Option<&'static Entry> {
        let position = *self.for_param.get(code as usize)?.get(column(param))?;
        self.rows
            .get(usize::from(position))
            .filter(|r| r.code == code)
    }
}

/// `InternalError`, the row every revision has (a test holds each to it): a
/// real service that cannot name its error answers with it.
pub const INTERNAL_ERROR: Entry = Entry {
    code: Code::InternalError,
    param: None,
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
        param: None,
        message,
        http_status,
        meaning,
        source,
    }
}

/// A row whose message names `param` (for a code several parameters share,
/// such as `InvalidParameter`).
pub(crate) const fn row_for(
    param: Param,
    code: Code,
    message: &'static str,
    http_status: u16,
    meaning: &'static str,
    source: Source,
) -> Entry {
    Entry {
        param: Some(param),
        ..row(code, message, http_status, meaning, source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The row builders, called at run time (the revisions call them at
    /// compile time, which a coverage run does not see): every field as
    /// given, the parameter only in `row_for`.
    #[test]
    fn a_row_holds_what_it_was_given_and_names_a_parameter_only_when_made_for_one() {
        let plain = std::hint::black_box(row)(
            Code::OperationDenied,
            "message",
            403,
            "meaning",
            Source::CurrentApi,
        );
        assert_eq!(
            plain,
            Entry {
                code: Code::OperationDenied,
                param: None,
                message: "message",
                http_status: 403,
                meaning: "meaning",
                source: Source::CurrentApi,
            }
        );
        let named = std::hint::black_box(row_for)(
            Param::RegionId,
            Code::InvalidParameter,
            "other",
            400,
            "why",
            Source::CommonErrors,
        );
        assert_eq!(
            named,
            Entry {
                code: Code::InvalidParameter,
                param: Some(Param::RegionId),
                message: "other",
                http_status: 400,
                meaning: "why",
                source: Source::CommonErrors,
            }
        );
    }

    /// The index, built at run time (the revisions build theirs at compile
    /// time, which a coverage run does not see), finds what a search finds.
    #[test]
    fn an_index_built_at_run_time_finds_each_row() {
        const ROWS: &[Entry] = &[
            row(Code::MissingParameter, "m", 400, "", Source::CommonErrors),
            row_for(
                Param::DiskId,
                Code::InvalidParameter,
                "a",
                400,
                "",
                Source::CommonErrors,
            ),
            row_for(
                Param::AutoStartInstance,
                Code::InvalidParameter,
                "b",
                400,
                "",
                Source::CommonErrors,
            ),
            INTERNAL_ERROR,
        ];
        let index = std::hint::black_box(CodeIndex::of)(ROWS);
        assert_eq!(
            index.get(Code::MissingParameter).map(|e| e.message),
            Some("m")
        );
        assert_eq!(
            index.get(Code::InvalidParameter).map(|e| e.message),
            Some("a")
        );
        let b = index.get_for(Code::InvalidParameter, Some(Param::AutoStartInstance));
        assert_eq!(b.map(|e| e.message), Some("b"));
        // A parameter with no row of its own gets the code's first row.
        let other = index.get_for(Code::InvalidParameter, Some(Param::Password));
        assert_eq!(other.map(|e| e.message), Some("a"));
        assert_eq!(index.get(Code::OperationDenied), None);
        assert_eq!(index.get_for(Code::OperationDenied, None), None);
        assert_eq!(index.get(Code::InternalError), Some(&INTERNAL_ERROR));
    }
}
