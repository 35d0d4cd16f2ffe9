//! The world `ReInitDisk` reads: disks, the instances they are attached to,
//! the images system disks come from and the snapshots data disks come from;
//! and, for the 2025-02-27 revision, the account's key pairs, its KMS keys
//! and the account itself.
//!
//! Every enum is spelled exactly as ECS spells it, and round-trips through
//! `Display`/`FromStr` (strum) and serde. Shapes the real service cannot have
//! are not representable: a disk's type follows from its [`DiskSource`], so a
//! system disk always names an image and a data disk never does.
//!
//! Each noun has an owned record (`Disk`, ...), the shape scenarios hold, and
//! a borrowed view (`DiskView`, ...), the shape the checks read: the
//! [`World`](crate::World) trait hands out views, so an emulator whose
//! records are its own builds them without copying.

/// The common part of a set of an enum's values kept as bits (`Copy`, no
/// allocation), written once for [`CategorySet`] and [`LockSet`]: `EMPTY`,
/// `contains`, `with`, `iter` (declaration order), `Display` as
/// `[a, b]`, the conversions to and from a list, `FromIterator`, and
/// `Arbitrary` (every subset). `$bit` is the element's `const fn` giving its
/// bit; `$plural` names the elements in the docs.
macro_rules! bit_set {
    ($set:ident, $elem:ident, $bits:ty, $plural:literal) => {
        impl $set {
            #[doc = concat!("No ", $plural, ".")]
            pub const EMPTY: Self = Self(0);

            #[doc = concat!("Whether `value` is among the ", $plural, ".")]
            pub const fn contains(self, value: $elem) -> bool {
                self.0 & value.bit() != 0
            }

            #[doc = concat!("The ", $plural, " with `value` added.")]
            #[must_use]
            pub const fn with(self, value: $elem) -> Self {
                Self(self.0 | value.bit())
            }

            #[doc = concat!("The ", $plural, ", in declaration order.")]
            pub fn iter(self) -> impl Iterator<Item = $elem> {
                <$elem as strum::VariantArray>::VARIANTS
                    .iter()
                    .copied()
                    .filter(move |v| self.contains(*v))
            }
        }

        #[doc = concat!("`[a, b]`: the ", $plural, " in declaration order.")]
        impl core::fmt::Display for $set {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("[")?;
                crate::model::write_names(f, self.iter().map(<&str>::from))?;
                f.write_str("]")
            }
        }

        impl FromIterator<$elem> for $set {
            fn from_iter<I: IntoIterator<Item = $elem>>(iter: I) -> Self {
                iter.into_iter().fold(Self::EMPTY, Self::with)
            }
        }

        impl From<Vec<$elem>> for $set {
            fn from(v: Vec<$elem>) -> Self {
                v.into_iter().collect()
            }
        }

        impl From<$set> for Vec<$elem> {
            fn from(s: $set) -> Self {
                s.iter().collect()
            }
        }

        #[cfg(feature = "arbitrary")]
        #[cfg_attr(docsrs, doc(cfg(feature = "arbitrary")))]
        impl<'a> arbitrary::Arbitrary<'a> for $set {
            fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
                let all: $bits = (1 << <$elem as strum::EnumCount>::COUNT) - 1;
                Ok(Self(<$bits>::arbitrary(u)? & all))
            }
        }
    };
}
pub(crate) use bit_set;

mod account;
mod disk;
mod image;
mod instance;
mod snapshot;

pub use account::{Account, KeyPair, KeyPairView, KeyState, KmsKey, KmsKeyView};
pub use disk::{
    CategorySet, Disk, DiskCategory, DiskSource, DiskStatus, DiskType, DiskView, MultiAttach,
    ShapeError, Source, SourceKind,
};
pub use image::{Image, ImageOwnerAlias, ImageView};
pub use instance::{
    Instance, InstanceStatus, InstanceView, LockReason, LockSet, OsType, StoppedMode,
};
pub use snapshot::{CreationTime, CreationTimeError, Snapshot, SnapshotView};

/// Writes `names` separated by `, ` (the one way lists of names are shown:
/// lock sets, category sets, checks, revisions).
pub(crate) fn write_names<'a>(
    f: &mut core::fmt::Formatter<'_>,
    names: impl IntoIterator<Item = &'a str>,
) -> core::fmt::Result {
    for (i, name) in names.into_iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        f.write_str(name)?;
    }
    Ok(())
}
