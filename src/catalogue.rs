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

pub(crate) use index::CodeIndex;

/// The index, in a module of its own: [`Revision`](crate::Revision)'s
/// `index` field has its type, which no path outside the crate names (a
/// public type in a private module), so that it can be copied out of a
/// revision and never built or read outside the crate.
mod index {
    use super::{Code, Entry, Param};
    use strum::EnumCount;

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
        #[expect(
            clippy::indexing_slicing,
            reason = "evaluated in each revision's `const INDEX`: a position out of range would fail the build, not a call"
        )]
        pub(crate) const fn of(rows: &'static [Entry]) -> Self {
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
        pub(crate) fn get(&self, code: Code) -> Option<&'static Entry> {
            let position = *self.first.get(code as usize)?;
            self.rows
                .get(usize::from(position))
                .filter(|r| r.code == code)
        }

        /// The row for `code` when the failure is about `param`: of the rows
        /// of `code`, the one made for `param`; else the first row of `code`.
        #[inline]
        pub(crate) fn get_for(&self, code: Code, param: Option<Param>) -> Option<&'static Entry> {
            let position = *self.for_param.get(code as usize)?.get(column(param))?;
            self.rows
                .get(usize::from(position))
                .filter(|r| r.code == code)
        }
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

    /// A catalogue row for the index tests.
    fn entry(code: Code, param: Option<Param>) -> Entry {
        Entry {
            code,
            param,
            message: "m",
            http_status: 400,
            meaning: "",
            source: Source::CommonErrors,
        }
    }

    #[test]
    fn a_failure_about_a_parameter_gets_the_row_made_for_it_else_the_codes_first_row() {
        let rows: &'static [Entry] = Box::leak(Box::new([
            entry(Code::MissingParameter, None),
            entry(
                Code::InvalidParameter,
                Some(Param::SecurityEnhancementStrategy),
            ),
            entry(Code::InvalidParameter, Some(Param::AutoStartInstance)),
            entry(Code::InternalError, Some(Param::AutoStartInstance)),
        ]));
        let index = CodeIndex::of(rows);
        let at = |e: Option<&'static Entry>| rows.iter().position(|r| core::ptr::eq(r, e.unwrap()));
        assert_eq!(
            at(index.get_for(Code::InvalidParameter, Some(Param::AutoStartInstance))),
            Some(2)
        );
        assert_eq!(
            at(index.get_for(
                Code::InvalidParameter,
                Some(Param::SecurityEnhancementStrategy)
            )),
            Some(1)
        );
        // No row made for it: the code's first row, never a later code's.
        assert_eq!(
            at(index.get_for(Code::InvalidParameter, Some(Param::Password))),
            Some(1)
        );
        assert_eq!(at(index.get_for(Code::InvalidParameter, None)), Some(1));
        assert_eq!(
            at(index.get_for(Code::MissingParameter, Some(Param::DiskId))),
            Some(0)
        );
        assert_eq!(
            at(index.get_for(Code::MissingParameter, Some(Param::AutoStartInstance))),
            Some(0),
            "a later code's row made for the parameter is not this code's"
        );
        assert!(index.get_for(Code::InvalidDiskIdNotFound, None).is_none());
    }

    #[test]
    fn every_parameter_and_no_parameter_each_get_their_own_row_of_a_code() {
        use strum::VariantArray;
        // A code with a row for no parameter first, then one for each
        // parameter: each failure gets its own row, the one about no parameter
        // included (it is told apart from every parameter's).
        let mut rows = vec![entry(Code::InvalidParameter, None)];
        rows.extend(
            Param::VARIANTS
                .iter()
                .map(|p| entry(Code::InvalidParameter, Some(*p))),
        );
        rows.push(entry(Code::MissingParameter, None));
        let rows: &'static [Entry] = Box::leak(rows.into_boxed_slice());
        let index = CodeIndex::of(rows);
        let at = |e: Option<&'static Entry>| rows.iter().position(|r| core::ptr::eq(r, e.unwrap()));
        assert_eq!(at(index.get_for(Code::InvalidParameter, None)), Some(0));
        for (i, param) in Param::VARIANTS.iter().enumerate() {
            assert_eq!(
                at(index.get_for(Code::InvalidParameter, Some(*param))),
                Some(1 + i),
                "{param}"
            );
            // A code with no row made for any parameter: its only row, for
            // every parameter (the last one's included).
            assert_eq!(
                at(index.get_for(Code::MissingParameter, Some(*param))),
                Some(rows.len() - 1),
                "{param}"
            );
        }
    }

    #[test]
    fn an_index_over_more_rows_than_it_can_count_never_answers_with_another_codes_row() {
        // 300 rows: the index counts positions in a byte, so it indexes the
        // first 256 rows; a code whose first row comes later is not found
        // (None), never mistaken for another code's row.
        let mut rows = vec![entry(Code::MissingParameter, None); 300];
        rows[299] = entry(Code::InvalidParameter, None);
        rows[255] = entry(Code::InvalidDiskIdNotFound, None);
        let rows: &'static [Entry] = Box::leak(rows.into_boxed_slice());
        let index = CodeIndex::of(rows);
        assert_eq!(
            index.get(Code::MissingParameter).unwrap().code,
            Code::MissingParameter
        );
        assert!(index.get(Code::InvalidParameter).is_none());
        assert!(index.get_for(Code::InvalidParameter, None).is_none());
        // Position 255 is the index's "none", and also the row at 255: that
        // row is found (its code is checked), so rows 0 to 255 are indexed.
        assert_eq!(
            index.get(Code::InvalidDiskIdNotFound).unwrap().code,
            Code::InvalidDiskIdNotFound
        );
    }
}
