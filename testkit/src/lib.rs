//! The test kit of reinit-disk: what the library's tests, the command's
//! tests and the benches share, written once.
//!
//! - [`mod@reference`]: an independent reference model of both revisions, which
//!   the property tests and the exhaustive sweeps hold the engine to;
//! - [`arb`]: proptest generators of worlds, requests and policies;
//! - [`cases`]: the benchmark cases (one world and request per decision
//!   class), also used by the allocation test;
//! - [`by_hand`]: the seed revision's rules as one hand-written function,
//!   the benchmarks' yardstick;
//! - [`snapshot`]: exact-bytes snapshot files under tests/snapshots/;
//! - [`client`]: a small blocking HTTP/1.1 client for the server's tests and
//!   benches.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs,
    reason = "test code: a failed assumption is a failed test"
)]

pub mod arb;
pub mod by_hand;
pub mod cases;
pub mod client;
pub mod reference;
pub mod snapshot;

use std::path::PathBuf;

/// The workspace's root folder (where `tests/`, `examples/` and `docs/`
/// are), whichever member's test asks.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// A world of one disk `d-1` attached to `i-1`, both as given.
pub fn one_disk(
    status: reinit_disk::model::DiskStatus,
    disk_locks: reinit_disk::model::LockSet,
    instance_locks: reinit_disk::model::LockSet,
) -> reinit_disk::InMemoryWorld {
    let mut world = reinit_disk::InMemoryWorld::new();
    world
        .insert_instance(reinit_disk::model::Instance {
            id: "i-1".into(),
            status: reinit_disk::model::InstanceStatus::Stopped,
            has_started: true,
            operation_locks: instance_locks,
            ..Default::default()
        })
        .unwrap();
    world
        .insert_disk(reinit_disk::model::Disk {
            id: "d-1".into(),
            category: reinit_disk::model::DiskCategory::CloudEssd,
            status,
            instance_id: Some("i-1".into()),
            source: reinit_disk::model::DiskSource::Empty,
            creating_snapshot: false,
            operation_locks: disk_locks,
            ..Default::default()
        })
        .unwrap();
    world
}
