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
pub use instance::{Instance, InstanceStatus, InstanceView, LockReason, LockSet, OsType};
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
