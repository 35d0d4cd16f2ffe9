//! The world `ReInitDisk` reads: disks, the instances they are attached to,
//! the images system disks come from and the snapshots data disks come from.
//!
//! Every enum is spelled exactly as ECS spells it, and round-trips through
//! `Display`/`FromStr` (strum) and serde. Shapes the real service cannot have
//! are not representable: a disk's type follows from its [`DiskSource`], so a
//! system disk always names an image and a data disk never does.

mod disk;
mod image;
mod instance;
mod snapshot;

pub use disk::{CategorySet, Disk, DiskCategory, DiskSource, DiskStatus, DiskType, ShapeError};
pub use image::{Image, ImageOwnerAlias};
pub use instance::{Instance, InstanceStatus, LockReason, LockSet};
pub use snapshot::{CreationTime, CreationTimeError, Snapshot};
