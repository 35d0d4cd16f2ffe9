//! The checks: every rule of `ReInitDisk`, each declared once.
//!
//! A check is a [`Check`] (its identity and stable kebab-case name) and its
//! [`CheckDecl`]: what it requires, when it fails, the codes it can answer,
//! why it sits where it does, the facts it needs, the rule itself, and how to
//! describe the facts it read. The engine ([`crate::evaluate`]) runs a
//! revision's checks in order; `explain`, `table`, `rules` and docs/rules.md
//! are all printed from these declarations.
//!
//! The declarations are grouped, in private modules, by what they read:
//! `request` (the parameters), `account`, `disk`, `instance`, `source` (the
//! image or snapshot a disk comes from) and `login` (the key pair, password
//! and non-root logon of a system disk's instance). Each is reached one way:
//! [`Check::decl`]. This module's surface is [`Check`], [`CheckDecl`],
//! [`Verdict`], [`Described`], [`Tells`] (the values a check tells apart,
//! which the [`analysis`](crate::analysis) builds its fact space from), and
//! what a rule reads: [`Facts`], [`Needs`], [`Attached`], [`Boundary`].

mod facts;

mod account;
mod disk;
mod instance;
mod login;
mod request;
mod source;

use core::fmt;

use serde::{Deserialize, Serialize};
use strum::{Display, EnumCount, EnumIter, EnumString, IntoStaticStr, VariantArray};

use crate::catalogue::{Code, CodeIndex};
use crate::model::{DiskStatus, ImageOwnerAlias, InstanceStatus, KeyState, LockReason, OsType};
use crate::request::Param;

pub use facts::{Attached, Boundary, Facts, Needs};

/// Declares [`Check`] from one table: each row a variant, its declaration
/// (a `CheckDecl` constant of a group module) and what it requires, written
/// once. The requirement is the variant's doc and [`Check::requirement`];
/// the declaration is [`Check::decl`], whose `requires` names the
/// requirement back (`requires: Check::X.requirement()`; a test holds each
/// declaration to its own variant's).
macro_rules! checks {
    ($($variant:ident => $decl:path, $requires:literal;)*) => {
        /// A check, by its stable kebab-case name.
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
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        #[strum(serialize_all = "kebab-case")]
        #[serde(rename_all = "kebab-case")]
        #[non_exhaustive]
        pub enum Check {
            $(
                #[doc = concat!("Passes when ", $requires, ".")]
                $variant,
            )*
        }

        impl Check {
            /// The declaration: the one place this check is described.
            #[inline]
            pub const fn decl(self) -> &'static CheckDecl {
                match self {
                    $(Self::$variant => &$decl,)*
                }
            }

            /// What the check requires, in a line (the decision table's
            /// "Passes when").
            pub const fn requirement(self) -> &'static str {
                match self {
                    $(Self::$variant => $requires,)*
                }
            }
        }
    };
}

checks! {
    Action => request::ACTION, "`Action`, when given, is `ReInitDisk`";
    DiskIdGiven => request::DISK_ID_GIVEN, "`DiskId` is given and not empty";
    StrategyValue => request::STRATEGY_VALUE, "`SecurityEnhancementStrategy`, when given, is `Active` or `Deactive` (case-sensitive)";
    PasswordValue => request::PASSWORD_VALUE, "`Password`, when given, is 8 to 30 letters, digits and specials with at least three of the four kinds";
    AutoStartValue => request::AUTO_START_VALUE, "`AutoStartInstance`, when given, is `true` or `false` (any letter case)";
    RegionIdValue => request::REGION_ID_VALUE, "`RegionId`, when given, is lower-case letters, digits and hyphens (at most 64), starting with a letter";
    DiskExists => disk::DISK_EXISTS, "the disk exists";
    CategorySupported => disk::CATEGORY_SUPPORTED, "the disk's category is not in the policy's `UnsupportedCategories`";
    UserInWhiteList => account::USER_IN_WHITE_LIST, "the account is on the volume white list (`Account.InVolumeWhiteList`)";
    NotMultiAttach => disk::NOT_MULTI_ATTACH, "the disk is not a multi-attach disk";
    InstanceNotSecurityLocked => instance::INSTANCE_NOT_SECURITY_LOCKED, "while the disk is `In_use`, its instance has no `security` lock";
    InstanceNotInArrears => instance::INSTANCE_NOT_IN_ARREARS, "neither the disk nor its instance has a `financial`, `recycling`, `dedicatedhostfinancial` or `refunded` lock";
    DiskInUse => disk::DISK_IN_USE, "the disk is `In_use` (attached)";
    InstanceStopped => instance::INSTANCE_STOPPED, "the disk's instance is `Stopped` and has started once";
    NotHibernationConfigured => instance::NOT_HIBERNATION_CONFIGURED, "the disk's instance has no hibernation configured";
    IoOptimized => instance::IO_OPTIMIZED, "the disk's instance is I/O optimized";
    NoSnapshotInProgress => disk::NO_SNAPSHOT_IN_PROGRESS, "no snapshot of the disk is being created";
    NoInstantAccessSnapshot => disk::NO_INSTANT_ACCESS_SNAPSHOT, "no snapshot made from the disk (existing, not deleted) has instant access enabled";
    KmsKeyUsable => disk::KMS_KEY_USABLE, "an encrypted disk's KMS key exists and is `Enabled`, ECS is authorized to use KMS, and the key carries the ECS tag";
    SourceSnapshotExists => source::SOURCE_SNAPSHOT_EXISTS, "a data disk's source snapshot exists";
    SourceSnapshotNotTooOld => source::SOURCE_SNAPSHOT_NOT_TOO_OLD, "a data disk's source snapshot was created on or after the revision's too-old boundary";
    SourceImageExists => source::SOURCE_IMAGE_EXISTS, "a system disk's image exists";
    KeyPairUsable => login::KEY_PAIR_USABLE, "on a system disk, a given `KeyPairName` is a key pair the account has, and the instance is not Windows";
    WindowsPasswordValue => login::WINDOWS_PASSWORD_VALUE, "on a system disk of a Windows instance, a given `Password` does not start with `/`";
    NonRootRegionSupported => login::NON_ROOT_REGION_SUPPORTED, "on a system disk of an instance with `LoginAsNonRoot`, the region supports logon as non-root";
    NonRootImageSupported => login::NON_ROOT_IMAGE_SUPPORTED, "on a system disk of an instance with `LoginAsNonRoot`, the image supports logon as non-root";
    HardeningSupported => source::HARDENING_SUPPORTED, "`Active` is asked for on a public image only (checked only when the policy's `ActiveOnNonPublicImage` is `Reject`)";
}

/// What one check found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Verdict {
    /// The check holds.
    Pass,
    /// The check needs a fact the world lacks (no disk, no instance, no
    /// snapshot), or its condition does not arise, so it does not apply.
    NotApplicable,
    /// The check fails with this code.
    Fail(Code),
}

/// Everything about one check, in one place.
#[derive(Clone, Copy)]
pub struct CheckDecl {
    /// What it requires, in a line (the decision table's "Passes when").
    pub requires: &'static str,
    /// When it fails, in a line (docs/rules.md's "fails when").
    pub fails_when: &'static str,
    /// Why the rule holds and why it sits where it does, with its source.
    pub why: &'static str,
    /// Every code it can answer with when it fails, under any policy: its
    /// own first, then the alternatives (the policy's choice, or
    /// `InternalError` for an instance the world does not have).
    pub codes: &'static [Code],
    /// The facts it reads, looked up before it runs.
    pub needs: Needs,
    /// The request parameter a failure is about, for a code whose message
    /// names it (`InvalidParameter`): the revision's row for that parameter
    /// answers.
    pub param: Option<Param>,
    /// The rule: the verdict on the facts.
    pub rule: fn(&Facts<'_, '_>) -> Verdict,
    /// The facts it read and what it needs of them, in a line (`explain`).
    pub describe: fn(&Facts<'_, '_>, &mut fmt::Formatter<'_>) -> fmt::Result,
    /// Every fact and request value the rule reads, each with the values
    /// it tells apart: its verdict is the same on any two situations that
    /// agree on these. The [`analysis`](crate::analysis) builds the fact
    /// space from the declarations of a revision's checks.
    pub tells: &'static [Tells],
}

/// A fact of the world or a request value that a rule reads, with the
/// values it tells apart (one value for each class of values the rule
/// cannot tell apart, the plainest first: the one an accepted request
/// has). A variant without values is a fact of two values (yes or no), or
/// one whose classes come from elsewhere (the policy, the revision).
///
/// A fact that only exists when another has a value (the instance's, once
/// the disk names one) is declared after it: the analysis keeps its axes in
/// this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, strum::EnumDiscriminants)]
#[strum_discriminants(name(Fact), derive(PartialOrd, Ord, Hash, Display, IntoStaticStr))]
#[strum_discriminants(doc = "A fact of the space, without the values a check tells apart.")]
#[non_exhaustive]
pub enum Tells {
    /// A request parameter: these values (`None`: not given), each
    /// standing for every value the rule cannot tell apart from it.
    Param(Param, &'static [Option<&'static str>]),
    /// The account's `InVolumeWhiteList`.
    WhiteListed,
    /// The account's `RegionSupportsLoginAsNonRoot`.
    RegionSupportsNonRoot,
    /// Whether the disk `DiskId` names exists.
    DiskExists,
    /// The disk's category, as the policy's `UnsupportedCategories` splits
    /// the categories (the classes come from the policy).
    Category,
    /// The disk's `Status` (these values apart from the rest), and whether
    /// it names an instance.
    Attachment(&'static [DiskStatus]),
    /// The disk's own lock reasons: these (each standing for its kind).
    DiskLocks(&'static [LockReason]),
    /// Whether a snapshot of the disk is being created.
    CreatingSnapshot,
    /// Whether the disk is a multi-attach disk.
    MultiAttach,
    /// Whether a snapshot made from the disk has instant access.
    InstantAccessSnapshot,
    /// Whether the disk is encrypted (names a KMS key).
    Encrypted,
    /// The KMS key's state: these values apart from the rest.
    KeyState(&'static [KeyState]),
    /// Whether ECS is authorized to use KMS.
    KmsAuthorized,
    /// Whether the KMS key carries the ECS tag.
    KmsTagged,
    /// What the disk was created from: nothing, an image, a snapshot.
    Source,
    /// The image's `ImageOwnerAlias`: these values apart from the rest.
    ImageOwner(&'static [ImageOwnerAlias]),
    /// Whether the image is deleted.
    ImageDeleted,
    /// Whether the image supports logon as non-root.
    ImageNonRootSupported,
    /// The source snapshot's creation time, at the revision's too-old
    /// boundary (the classes come from the revision).
    TooOldBoundary,
    /// Whether the source snapshot is deleted.
    SnapshotDeleted,
    /// The instance's `Status`: these values apart from the rest.
    InstanceStatus(&'static [InstanceStatus]),
    /// Whether the instance has started once.
    HasStarted,
    /// The instance's lock reasons: these (each standing for its kind).
    InstanceLocks(&'static [LockReason]),
    /// Whether the instance has hibernation configured.
    Hibernation,
    /// Whether the instance is I/O optimized.
    IoOptimized,
    /// The instance's `OSType`: these values apart from the rest.
    OsType(&'static [OsType]),
    /// Whether the instance logs on as non-root.
    LoginAsNonRoot,
    /// Whether the account has the key pair `KeyPairName` names.
    KeyPairListed,
}

impl fmt::Debug for CheckDecl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CheckDecl")
            .field("requires", &self.requires)
            .field("codes", &self.codes)
            .field("needs", &self.needs)
            .finish_non_exhaustive()
    }
}

impl Check {
    /// The stable name, as decisions and policies spell it.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Every code this check can answer with (see [`CheckDecl::codes`]).
    pub const fn codes(self) -> &'static [Code] {
        self.decl().codes
    }

    /// Whether this check reads the request alone (it needs no fact of the
    /// world).
    pub const fn is_request_check(self) -> bool {
        self.decl().needs.is_empty()
    }

    /// The verdict of the rule on `facts` (which must hold what the check
    /// needs: the engine looks it up first).
    #[inline(always)]
    pub fn verdict(self, facts: &Facts<'_, '_>) -> Verdict {
        (self.decl().rule)(facts)
    }

    /// The facts this check reads in `facts`, displayable (`explain`).
    pub const fn describe<'a>(self, facts: &'a Facts<'a, 'a>) -> Described<'a> {
        Described { check: self, facts }
    }
}

/// Runs checks one at a time: the engine. A revision drives it through its
/// default order laid out one check after the other (see
/// `revision::checks_in_order!`), so that each check is a constant and its
/// rule a direct call.
pub(crate) trait Runner {
    /// Why a run stops early (the rejection).
    type Stop;
    /// What a run that never stopped comes to (the target).
    type Done;
    /// Runs `check`, whose declaration is `decl`; a failure answers with
    /// the row `index` (the revision's catalogue index) gives.
    fn step(&mut self, check: Check, decl: CheckDecl, index: &CodeIndex) -> Result<(), Self::Stop>;
    /// Once every check has passed: what the run comes to. Called in each
    /// branch of a dispatch, so that each keeps its own run in registers.
    fn finish(self) -> Result<Self::Done, Self::Stop>;
}

/// The facts a check read, as [`Check::describe`] shows them.
#[derive(Clone, Copy)]
pub struct Described<'a> {
    check: Check,
    facts: &'a Facts<'a, 'a>,
}

impl fmt::Display for Described<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (self.check.decl().describe)(self.facts, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each declaration names its own variant's requirement back (one
    /// naming another check's would read that check's text).
    #[test]
    fn each_declaration_requires_what_its_variant_declares() {
        for check in Check::VARIANTS {
            assert_eq!(check.decl().requires, check.requirement(), "{check}");
        }
        let mut texts: Vec<&str> = Check::VARIANTS.iter().map(|c| c.requirement()).collect();
        texts.sort_unstable();
        texts.dedup();
        assert_eq!(texts.len(), Check::COUNT, "two checks require the same");
    }
}
