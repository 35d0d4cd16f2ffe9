//! Images: who owns them, and whether they still exist.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumCount, EnumIter, EnumString, IntoStaticStr, VariantArray};

/// `ImageOwnerAlias` of an image in ECS.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
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
#[strum(serialize_all = "lowercase")]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum ImageOwnerAlias {
    /// `system`: a public image.
    System,
    /// `self`: a custom image of this account.
    #[strum(serialize = "self")]
    #[serde(rename = "self")]
    SelfOwned,
    /// `others`: a custom image shared by another account.
    Others,
    /// `marketplace`: an Alibaba Cloud Marketplace image.
    Marketplace,
}

impl ImageOwnerAlias {
    /// Whether this is a public image (`system`), the only kind security
    /// hardening (`Active`) supports.
    pub const fn is_public(self) -> bool {
        matches!(self, Self::System)
    }
}

/// An image, as `ReInitDisk` sees it. A deleted image may be kept as a
/// tombstone (`Deleted: true`) so that its owner is still known.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Image {
    /// `ImageId`.
    pub id: String,
    /// `ImageOwnerAlias`.
    pub image_owner_alias: ImageOwnerAlias,
    /// Whether the image has been deleted (default `false`).
    pub deleted: bool,
    /// `LoginAsNonRootSupported` (default `true`).
    pub login_as_non_root_supported: bool,
}

/// The serialized shape of [`Image`], field for field: serde's derive
/// sits here, on a private type, so that the helper functions it makes
/// (`serialize`, `deserialize`) are not public API; `map_only!` gives
/// `Image` its `Serialize` and `Deserialize`.
#[derive(Serialize, Deserialize)]
#[serde(remote = "Image", deny_unknown_fields, rename_all = "PascalCase")]
struct ImageFields {
    #[serde(rename = "ImageId")]
    id: String,
    image_owner_alias: ImageOwnerAlias,
    #[serde(default)]
    deleted: bool,
    #[serde(default = "yes")]
    login_as_non_root_supported: bool,
}

const fn yes() -> bool {
    true
}

/// A blank public image: no id, not deleted, every other fact at its
/// default. Fill it with struct update syntax.
impl Default for Image {
    fn default() -> Self {
        Self {
            id: String::new(),
            image_owner_alias: ImageOwnerAlias::System,
            deleted: false,
            login_as_non_root_supported: true,
        }
    }
}

crate::map_only::map_only!(Image, ImageFields, "an image");

#[cfg(feature = "ecs")]
impl Image {
    /// The keys an image record is read from in a scenario, as its serde derive
    /// declares them (the rest of a record's keys are ECS's own fields:
    /// `crate::ecs::Fields`).
    pub(crate) fn record_keys() -> &'static [&'static str] {
        crate::map_only::struct_fields(|d| ImageFields::deserialize(d))
    }
}

impl Image {
    /// The image as the checks read it.
    pub fn view(&self) -> ImageView<'_> {
        ImageView::new(&self.id, self.image_owner_alias)
            .with_deleted(self.deleted)
            .with_login_as_non_root_supported(self.login_as_non_root_supported)
    }
}

/// An image as the checks read it, borrowed from whatever store holds it.
///
/// Built with [`ImageView::new`] and the `with_*` methods, so that a fact a
/// later revision reads arrives with its default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ImageView<'a> {
    /// `ImageId`.
    pub id: &'a str,
    /// `ImageOwnerAlias`.
    pub image_owner_alias: ImageOwnerAlias,
    /// Whether it has been deleted (default `false`).
    pub deleted: bool,
    /// `LoginAsNonRootSupported` (default `true`).
    pub login_as_non_root_supported: bool,
}

impl<'a> ImageView<'a> {
    /// An image that exists.
    pub const fn new(id: &'a str, image_owner_alias: ImageOwnerAlias) -> Self {
        Self {
            id,
            image_owner_alias,
            deleted: false,
            login_as_non_root_supported: true,
        }
    }

    /// The same image, deleted or not.
    #[must_use]
    pub const fn with_deleted(mut self, deleted: bool) -> Self {
        self.deleted = deleted;
        self
    }

    /// The same image, supporting logon as a non-root user or not.
    #[must_use]
    pub const fn with_login_as_non_root_supported(mut self, supported: bool) -> Self {
        self.login_as_non_root_supported = supported;
        self
    }
}
