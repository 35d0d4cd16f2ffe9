//! The policy: the product's answer to each question the reference page
//! leaves open, as data. [`Policy::default`] is the documented answer
//! (docs/open-questions.md); a scenario or an emulator may choose another.

use core::fmt;

use serde::{Deserialize, Serialize};
use strum::{Display, EnumIter, EnumString, IntoStaticStr, VariantArray};

use crate::catalogue::{Code, Revision};
use crate::checks::{Check, REQUEST_CHECKS, WORLD_CHECKS};
use crate::model::{CategorySet, DiskCategory};

/// How `ReInitDisk` behaves where the reference page is silent.
///
/// Serialized in PascalCase; every field is optional and defaults to the
/// documented answer, so `{}` is the default policy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(
    remote = "Self",
    default,
    deny_unknown_fields,
    rename_all = "PascalCase"
)]
pub struct Policy {
    /// `Catalogue`: which API revision's codes and messages answer.
    pub catalogue: Revision,
    /// `Order`: the order of the world checks (the three request checks
    /// always run first). Open question 1.
    pub order: CheckOrder,
    /// `DeletedSnapshotCode`: the code for a deleted source snapshot.
    /// Open question 4.
    pub deleted_snapshot_code: DeletedSnapshotCode,
    /// `UnsupportedCategories`: the categories that answer
    /// `DiskCategory.OperationNotSupported`. Open question 5.
    pub unsupported_categories: UnsupportedCategories,
    /// `ActiveOnNonPublicImage`: what `SecurityEnhancementStrategy=Active`
    /// does on a system disk whose image is not public. Open question 6.
    pub active_on_non_public_image: ActiveOnNonPublicImage,
}

crate::map_only::map_only!(Policy, "a policy");

/// The code a deleted source snapshot answers: the page lists two with the
/// same message and the same cause.
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
pub enum DeletedSnapshotCode {
    /// `InvalidSourceSnapshot` (default): the code named for this cause.
    #[default]
    InvalidSourceSnapshot,
    /// `OperationDenied`.
    OperationDenied,
}

impl DeletedSnapshotCode {
    /// The catalogue code.
    pub const fn code(self) -> Code {
        match self {
            Self::InvalidSourceSnapshot => Code::InvalidSourceSnapshot,
            Self::OperationDenied => Code::OperationDenied,
        }
    }
}

/// What `SecurityEnhancementStrategy=Active` does on a system disk whose
/// image is not public (`ImageOwnerAlias` other than `system`).
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
pub enum ActiveOnNonPublicImage {
    /// `Ignore` (default): accepted, hardening not applied.
    #[default]
    Ignore,
    /// `Reject`: `InvalidParameter` naming `SecurityEnhancementStrategy`.
    Reject,
}

/// The categories that do not support `ReInitDisk`.
///
/// Default: the local and ephemeral ones (`local_ssd_pro`, `local_hdd_pro`,
/// `ephemeral`, `ephemeral_ssd`, `elastic_ephemeral_disk_standard`,
/// `elastic_ephemeral_disk_premium`), which have no image or snapshot to go
/// back to. Serialized as a list of category names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(transparent)]
pub struct UnsupportedCategories(pub CategorySet);

impl UnsupportedCategories {
    /// The default set.
    pub const DEFAULT: Self = Self(CategorySet::of(&[
        DiskCategory::ElasticEphemeralDiskStandard,
        DiskCategory::ElasticEphemeralDiskPremium,
        DiskCategory::LocalSsdPro,
        DiskCategory::LocalHddPro,
        DiskCategory::Ephemeral,
        DiskCategory::EphemeralSsd,
    ]));

    /// Whether `category` is unsupported.
    pub const fn contains(self, category: DiskCategory) -> bool {
        self.0.contains(category)
    }
}

impl Default for UnsupportedCategories {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// The order of the world checks: each of [`WORLD_CHECKS`] exactly once.
///
/// Serialized as a list of check names; deserializing refuses a list that
/// names a request check, repeats a check or leaves one out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "Vec<Check>", into = "Vec<Check>")]
pub struct CheckOrder([Check; WORLD_CHECKS.len()]);

impl CheckOrder {
    /// The default order (docs/rules.md gives the reason for each place).
    pub const DEFAULT: Self = Self(WORLD_CHECKS);

    /// An order from a list of world checks.
    pub fn new(checks: &[Check]) -> Result<Self, OrderError> {
        let mut order = WORLD_CHECKS;
        for (i, check) in checks.iter().enumerate() {
            if REQUEST_CHECKS.contains(check) {
                return Err(OrderError::RequestCheck(*check));
            }
            if checks.iter().take(i).any(|c| c == check) {
                return Err(OrderError::Repeated(*check));
            }
            match order.get_mut(i) {
                Some(slot) => *slot = *check,
                None => return Err(OrderError::Repeated(*check)),
            }
        }
        match WORLD_CHECKS.iter().find(|c| !checks.contains(c)) {
            Some(missing) => Err(OrderError::Missing(*missing)),
            None => Ok(Self(order)),
        }
    }

    /// The checks, in order.
    pub const fn checks(&self) -> &[Check] {
        &self.0
    }
}

impl Default for CheckOrder {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl TryFrom<Vec<Check>> for CheckOrder {
    type Error = OrderError;

    fn try_from(checks: Vec<Check>) -> Result<Self, OrderError> {
        Self::new(&checks)
    }
}

impl From<CheckOrder> for Vec<Check> {
    fn from(order: CheckOrder) -> Self {
        order.0.to_vec()
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for CheckOrder {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        // A Fisher-Yates shuffle of the default order.
        let mut order = WORLD_CHECKS;
        for i in (1..order.len()).rev() {
            let j = u.int_in_range(0..=i)?;
            order.swap(i, j);
        }
        Ok(Self(order))
    }
}

/// A check order that is not a permutation of the world checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OrderError {
    /// The order names a request check, which always runs first.
    #[error(
        "check \"{0}\" is a request check: the three request checks (action, disk-id-given, strategy-value) always run first and are not ordered; Order lists the world checks only: {world}",
        world = WorldChecks
    )]
    RequestCheck(Check),
    /// The order names a check twice.
    #[error("check \"{0}\" is listed twice; Order lists each world check exactly once: {world}", world = WorldChecks)]
    Repeated(Check),
    /// The order leaves a check out.
    #[error("check \"{0}\" is missing; Order lists each world check exactly once: {world}", world = WorldChecks)]
    Missing(Check),
}

/// Displays the world checks' names, comma-separated.
struct WorldChecks;

impl fmt::Display for WorldChecks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, check) in WORLD_CHECKS.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{check}")?;
        }
        Ok(())
    }
}
