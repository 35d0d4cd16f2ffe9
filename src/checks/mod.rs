//! The checks: every rule of `ReInitDisk`, each declared once.
//!
//! A check is a [`Check`] (its identity and stable kebab-case name) and its
//! [`CheckDecl`]: what it requires, when it fails, the codes it can answer,
//! why it sits where it does, the facts it needs, the rule itself, and how to
//! describe the facts it read. The engine ([`crate::evaluate`]) runs a
//! revision's checks in order; `explain`, `table`, `rules` and docs/rules.md
//! are all printed from these declarations.
//!
//! The declarations are grouped by what they read: [`request`] (the
//! parameters), [`account`], [`disk`], [`instance`], [`source`] (the image or
//! snapshot a disk comes from) and [`login`] (the key pair, password and
//! non-root logon of a system disk's instance).

mod facts;

pub mod account;
pub mod disk;
pub mod instance;
pub mod login;
pub mod request;
pub mod source;

use core::fmt;

use serde::{Deserialize, Serialize};
use strum::{Display, EnumCount, EnumIter, EnumString, IntoStaticStr, VariantArray};

use crate::catalogue::{Code, CodeIndex};
use crate::request::Param;

pub use facts::{Attached, Facts, Needs};

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
    /// `Action`, when given, is `ReInitDisk`.
    Action,
    /// `DiskId` is given and not empty.
    DiskIdGiven,
    /// `SecurityEnhancementStrategy`, when given, is `Active` or `Deactive`.
    StrategyValue,
    /// `Password`, when given, is well formed.
    PasswordValue,
    /// `AutoStartInstance`, when given, is `true` or `false`.
    AutoStartValue,
    /// `RegionId`, when given, is well formed.
    RegionIdValue,
    /// The disk exists.
    DiskExists,
    /// The disk's category supports re-init.
    CategorySupported,
    /// The account is on the volume white list.
    UserInWhiteList,
    /// The disk is not a multi-attach disk.
    NotMultiAttach,
    /// The disk's instance is not locked for security (while the disk is
    /// `In_use`).
    InstanceNotSecurityLocked,
    /// Neither the disk nor its instance is expired or in arrears.
    InstanceNotInArrears,
    /// The disk is `In_use` (attached).
    DiskInUse,
    /// The disk's instance is `Stopped` and has started once.
    InstanceStopped,
    /// The disk's instance has no hibernation configured.
    NotHibernationConfigured,
    /// The disk's instance is I/O optimized.
    IoOptimized,
    /// No snapshot of the disk is being created.
    NoSnapshotInProgress,
    /// No snapshot made from the disk has instant access.
    NoInstantAccessSnapshot,
    /// An encrypted disk's KMS key is usable by ECS.
    KmsKeyUsable,
    /// A data disk's source snapshot still exists.
    SourceSnapshotExists,
    /// A data disk's source snapshot is not older than the revision's
    /// boundary.
    SourceSnapshotNotTooOld,
    /// A system disk's image still exists.
    SourceImageExists,
    /// A given `KeyPairName` is listed, and the instance is not Windows.
    KeyPairUsable,
    /// A Windows instance's `Password` does not start with `/`.
    WindowsPasswordValue,
    /// Non-root logon is supported in the region.
    NonRootRegionSupported,
    /// Non-root logon is supported by the image.
    NonRootImageSupported,
    /// `Active` is asked for on a public image only (when the policy says so).
    HardeningSupported,
}

/// What one check found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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

    /// The declaration: the one place this check is described.
    #[inline]
    pub const fn decl(self) -> &'static CheckDecl {
        match self {
            Self::Action => &request::ACTION,
            Self::DiskIdGiven => &request::DISK_ID_GIVEN,
            Self::StrategyValue => &request::STRATEGY_VALUE,
            Self::PasswordValue => &request::PASSWORD_VALUE,
            Self::AutoStartValue => &request::AUTO_START_VALUE,
            Self::RegionIdValue => &request::REGION_ID_VALUE,
            Self::DiskExists => &disk::DISK_EXISTS,
            Self::CategorySupported => &disk::CATEGORY_SUPPORTED,
            Self::UserInWhiteList => &account::USER_IN_WHITE_LIST,
            Self::NotMultiAttach => &disk::NOT_MULTI_ATTACH,
            Self::InstanceNotSecurityLocked => &instance::INSTANCE_NOT_SECURITY_LOCKED,
            Self::InstanceNotInArrears => &instance::INSTANCE_NOT_IN_ARREARS,
            Self::DiskInUse => &disk::DISK_IN_USE,
            Self::InstanceStopped => &instance::INSTANCE_STOPPED,
            Self::NotHibernationConfigured => &instance::NOT_HIBERNATION_CONFIGURED,
            Self::IoOptimized => &instance::IO_OPTIMIZED,
            Self::NoSnapshotInProgress => &disk::NO_SNAPSHOT_IN_PROGRESS,
            Self::NoInstantAccessSnapshot => &disk::NO_INSTANT_ACCESS_SNAPSHOT,
            Self::KmsKeyUsable => &disk::KMS_KEY_USABLE,
            Self::SourceSnapshotExists => &source::SOURCE_SNAPSHOT_EXISTS,
            Self::SourceSnapshotNotTooOld => &source::SOURCE_SNAPSHOT_NOT_TOO_OLD,
            Self::SourceImageExists => &source::SOURCE_IMAGE_EXISTS,
            Self::KeyPairUsable => &login::KEY_PAIR_USABLE,
            Self::WindowsPasswordValue => &login::WINDOWS_PASSWORD_VALUE,
            Self::NonRootRegionSupported => &login::NON_ROOT_REGION_SUPPORTED,
            Self::NonRootImageSupported => &login::NON_ROOT_IMAGE_SUPPORTED,
            Self::HardeningSupported => &source::HARDENING_SUPPORTED,
        }
    }

    /// Every code this check can answer with (see [`CheckDecl::codes`]).
    pub const fn codes(self) -> &'static [Code] {
        self.decl().codes
    }

    /// What the check requires, in a line.
    pub const fn requirement(self) -> &'static str {
        self.decl().requires
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
    /// Runs `check`, whose declaration is `decl`; a failure answers with
    /// the row `index` (the revision's catalogue index) gives.
    fn step(&mut self, check: Check, decl: CheckDecl, index: &CodeIndex) -> Result<(), Self::Stop>;
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
