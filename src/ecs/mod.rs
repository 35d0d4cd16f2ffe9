//! ECS's own records: the disk, instance, image, snapshot and key pair as
//! `DescribeDisks`, `DescribeInstances`, `DescribeImages`,
//! `DescribeSnapshots` and `DescribeKeyPairs` return them.
//!
//! Every field the official SDK's models declare (alibabacloud-ecs20140526),
//! in the order its `to_map` writes them, PascalCase as ECS spells them,
//! nested lists in ECS's wrapper shape (`OperationLocks: {OperationLock:
//! [...]}`, `Tags: {Tag: [...]}`). The types are generated from the
//! installed SDK by scripts/ecs_records.py (tests/ecs.rs holds them to it).
//! Every field is optional, and a field the types do not know is ignored,
//! so a captured answer of any API version reads.
//!
//! Two conversions join them to the world's records ([`crate::model`]):
//!
//! - [`Describer`] writes the full record of a model record, with
//!   documented, deterministic defaults ([`Defaults`]) for what the world
//!   does not hold (size, zone, device, instance type, addresses, ...);
//!   docs/ecs.md tables each default and its source.
//! - `to_model` ([`Disk::to_model`], [`Instance::to_model`],
//!   [`Image::to_model`], [`Snapshot::to_model`]) reads back the facts the
//!   engine reads, and names each one the record lacked ([`Read::absent`]).
//!
//! ```
//! use reinit_disk::ecs::{Defaults, Describer};
//! use reinit_disk::model::{Disk, DiskSource, DiskStatus, Instance};
//! use reinit_disk::InMemoryWorld;
//!
//! let mut world = InMemoryWorld::new();
//! world.insert_instance(Instance { id: "i-1".into(), ..Instance::default() })?;
//! world.insert_disk(Disk {
//!     id: "d-1".into(), status: DiskStatus::InUse, instance_id: Some("i-1".into()),
//!     source: DiskSource::Image { image_id: "m-1".into(), snapshot_id: None },
//!     ..Disk::default()
//! })?;
//! let defaults = Defaults::default();
//! let describer = Describer::new(&world, &defaults);
//! let disk = world.disk_record("d-1").map(|d| describer.disk(d)).unwrap_or_default();
//! assert_eq!(disk.size, Some(20));
//! assert_eq!(disk.device.as_deref(), Some("/dev/xvda"));
//! assert_eq!(disk.zone_id.as_deref(), Some("cn-hangzhou-i"));
//!
//! // And back: the facts the engine reads, none missing.
//! let read = disk.to_model(Some(&[]))?;
//! assert_eq!(Some(&read.record), world.disk_record("d-1"));
//! assert!(read.absent.is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "scenario")]
#[cfg_attr(docsrs, doc(cfg(feature = "scenario")))]
pub mod capture;
mod describe;
mod fields;
mod read;
mod records;

pub use describe::{
    Defaults, Describer, Layout, delete_with_instance, device_among, device_name, disk_iops,
    disk_size, disk_throughput, key_pair_fingerprint, portable, source_snapshot,
};
#[cfg(feature = "scenario")]
pub(crate) use fields::Records;
pub use fields::{
    DISK_FACTS, Entry, Fields, IMAGE_FACTS, INSTANCE_FACTS, KEY_PAIR_FACTS, Kind, SNAPSHOT_FACTS,
    entry_to_serialize,
};
pub use read::{Read, ReadError};
pub use records::*;
