//! The in-memory world's index of instant-access snapshots: whatever is
//! inserted and however snapshots are changed through `snapshot_mut`, the
//! indexed answer is the answer a scan of every snapshot gives.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use proptest::prelude::*;
use reinit_disk::model::Snapshot;
use reinit_disk::{InMemoryWorld, World};

const DISKS: [&str; 3] = ["d-1", "d-2", "d-3"];

/// What a scan of every snapshot says.
fn scanned(world: &InMemoryWorld, disk_id: &str) -> bool {
    world.snapshots().any(|s| s.blocks_reinit_of(disk_id))
}

#[derive(Clone, Debug)]
enum Edit {
    Insert(usize, Option<usize>, bool, bool),
    SetDeleted(usize, bool),
    SetInstantAccess(usize, bool),
    SetSourceDisk(usize, Option<usize>),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (
            0..6usize,
            proptest::option::of(0..3usize),
            any::<bool>(),
            any::<bool>()
        )
            .prop_map(|(i, d, a, x)| Edit::Insert(i, d, a, x)),
        (0..6usize, any::<bool>()).prop_map(|(i, x)| Edit::SetDeleted(i, x)),
        (0..6usize, any::<bool>()).prop_map(|(i, a)| Edit::SetInstantAccess(i, a)),
        (0..6usize, proptest::option::of(0..3usize)).prop_map(|(i, d)| Edit::SetSourceDisk(i, d)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn the_instant_access_index_answers_as_a_scan_does(edits in proptest::collection::vec(edit(), 0..30)) {
        let mut world = InMemoryWorld::new();
        for e in edits {
            match e {
                Edit::Insert(i, disk, instant_access, deleted) => {
                    // A repeated id is refused and must not count twice.
                    let _ = world.insert_snapshot(Snapshot {
                        id: format!("s-{i}"),
                        source_disk_id: disk.map(|d| DISKS[d].to_owned()),
                        instant_access,
                        deleted,
                        ..Snapshot::default()
                    });
                }
                Edit::SetDeleted(i, x) => {
                    if let Some(mut s) = world.snapshot_mut(&format!("s-{i}")) {
                        s.deleted = x;
                    }
                }
                Edit::SetInstantAccess(i, a) => {
                    if let Some(mut s) = world.snapshot_mut(&format!("s-{i}")) {
                        s.instant_access = a;
                    }
                }
                Edit::SetSourceDisk(i, d) => {
                    if let Some(mut s) = world.snapshot_mut(&format!("s-{i}")) {
                        s.source_disk_id = d.map(|d| DISKS[d].to_owned());
                    }
                }
            }
            for disk in DISKS {
                prop_assert_eq!(world.has_instant_access_snapshot(disk), scanned(&world, disk), "{}", disk);
            }
        }
    }
}

#[test]
fn a_snapshot_blocks_only_the_disk_it_was_made_from_while_it_exists() {
    let mut world = InMemoryWorld::new();
    world
        .insert_snapshot(Snapshot {
            id: "s-1".into(),
            source_disk_id: Some("d-1".into()),
            instant_access: true,
            ..Snapshot::default()
        })
        .unwrap();
    assert!(world.has_instant_access_snapshot("d-1"));
    assert!(!world.has_instant_access_snapshot("d-2"));
    world.snapshot_mut("s-1").unwrap().deleted = true;
    assert!(!world.has_instant_access_snapshot("d-1"));
    world.snapshot_mut("s-1").unwrap().deleted = false;
    assert!(world.has_instant_access_snapshot("d-1"));
    world.snapshot_mut("s-1").unwrap().source_disk_id = Some("d-2".into());
    assert!(!world.has_instant_access_snapshot("d-1"));
    assert!(world.has_instant_access_snapshot("d-2"));
}
