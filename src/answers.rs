//! The product's answers to the questions the reference pages leave open, as
//! data: the knobs of a [`Policy`](crate::Policy) that the rules read.
//! [`Answers::default`] is the documented answer (docs/open-questions.md).

use serde::{Deserialize, Serialize};
use strum::{Display, EnumIter, EnumString, IntoStaticStr, VariantArray};

use crate::catalogue::Code;
use crate::model::{CategorySet, DiskCategory};

/// The answers the rules read. Every field has a documented default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Answers {
    /// `DeletedSnapshotCode`: the code for a deleted source snapshot.
    /// Open question 4.
    pub deleted_snapshot_code: DeletedSnapshotCode,
    /// `UnsupportedCategories`: the categories that answer
    /// `DiskCategory.OperationNotSupported`. Open question 5.
    pub unsupported_categories: UnsupportedCategories,
    /// `ActiveOnNonPublicImage`: what `SecurityEnhancementStrategy=Active`
    /// does on a system disk whose image is not public. Open question 6.
    pub active_on_non_public_image: ActiveOnNonPublicImage,
    /// `DeletedImageCode`: the code for a deleted image that is not shared
    /// by another account. Open question 12.
    pub deleted_image_code: DeletedImageCode,
}

/// The code a deleted image that is not shared by another account answers:
/// the current list has two for it, and no source says which.
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
pub enum DeletedImageCode {
    /// `InvalidDiskId.OperationNotSupported` (default): its message names
    /// exactly this case ("...due to image not exist.").
    #[default]
    #[strum(serialize = "InvalidDiskId.OperationNotSupported")]
    #[serde(rename = "InvalidDiskId.OperationNotSupported")]
    InvalidDiskIdOperationNotSupported,
    /// `InvalidImageId.NotFound`.
    #[strum(serialize = "InvalidImageId.NotFound")]
    #[serde(rename = "InvalidImageId.NotFound")]
    InvalidImageIdNotFound,
}

impl DeletedImageCode {
    /// The catalogue code.
    pub const fn code(self) -> Code {
        match self {
            Self::InvalidDiskIdOperationNotSupported => Code::InvalidDiskIdOperationNotSupported,
            Self::InvalidImageIdNotFound => Code::InvalidImageIdNotFound,
        }
    }
}

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
