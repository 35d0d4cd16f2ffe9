//! The in-memory world's count of instant-access snapshots per disk: whatever
//! is inserted, in whatever order, and however snapshots are changed through
//! `snapshot_mut`, a disk's view says what a scan of every snapshot says.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use proptest::prelude::*;
#[allow(
    dead_code,
    reason = "each test uses its own part of the shared helpers"
)]
use reinit_disk_testkit::cases;
use reinit_disk_testkit::one_disk;

use reinit_disk::model::{Disk, DiskStatus, Instance, InstanceStatus, LockSet, Snapshot};
use reinit_disk::{Code, InMemoryWorld, Policy, Request, World, WorldMut, evaluate};

const DISKS: [&str; 3] = ["d-1", "d-2", "d-3"];

/// What the world's view of the disk says (`None`: no such disk).
fn indexed(world: &InMemoryWorld, disk_id: &str) -> Option<bool> {
    world.disk(disk_id).map(|d| d.has_instant_access_snapshot)
}

/// What a scan of every snapshot says.
fn scanned(world: &InMemoryWorld, disk_id: &str) -> bool {
    world.snapshots().any(|s| s.blocks_reinit_of(disk_id))
}

#[derive(Clone, Debug)]
enum Edit {
    InsertDisk(usize),
    Insert(usize, Option<usize>, bool, bool),
    SetDeleted(usize, bool),
    SetInstantAccess(usize, bool),
    SetSourceDisk(usize, Option<usize>),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0..3usize).prop_map(Edit::InsertDisk),
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
                Edit::InsertDisk(d) => {
                    // A repeated id is refused and must not lose its count.
                    let _ = world.insert_disk(Disk { id: DISKS[d].to_owned(), ..Disk::default() });
                }
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
                let listed = world.disks().any(|d| d.id == disk);
                prop_assert_eq!(indexed(&world, disk), listed.then(|| scanned(&world, disk)), "{}", disk);
            }
            // The disks the world lists are the disks inserted: an entry
            // kept only for its count is no disk.
            prop_assert!(world.disks().all(|d| DISKS.contains(&d.id.as_str())));
        }
    }
}

#[test]
fn a_snapshot_blocks_only_the_disk_it_was_made_from_while_it_exists() {
    let mut world = InMemoryWorld::new();
    // The snapshot comes first, its disk after: the count waits for it.
    world
        .insert_snapshot(Snapshot {
            id: "s-1".into(),
            source_disk_id: Some("d-1".into()),
            instant_access: true,
            ..Snapshot::default()
        })
        .unwrap();
    assert_eq!(indexed(&world, "d-1"), None);
    assert_eq!(world.disks().count(), 0);
    for id in ["d-1", "d-2"] {
        world
            .insert_disk(Disk {
                id: id.into(),
                ..Disk::default()
            })
            .unwrap();
    }
    assert_eq!(indexed(&world, "d-1"), Some(true));
    assert_eq!(indexed(&world, "d-2"), Some(false));
    world.snapshot_mut("s-1").unwrap().deleted = true;
    assert_eq!(indexed(&world, "d-1"), Some(false));
    world.snapshot_mut("s-1").unwrap().deleted = false;
    assert_eq!(indexed(&world, "d-1"), Some(true));
    world.snapshot_mut("s-1").unwrap().source_disk_id = Some("d-2".into());
    assert_eq!(indexed(&world, "d-1"), Some(false));
    assert_eq!(indexed(&world, "d-2"), Some(true));
}

#[test]
fn the_world_lists_the_key_pairs_and_kms_keys_inserted_into_it() {
    use reinit_disk::model::{KeyPair, KeyState, KmsKey};
    let mut world = InMemoryWorld::new();
    assert_eq!(world.key_pairs().count(), 0);
    assert_eq!(world.kms_keys().count(), 0);
    for name in ["kp-a", "kp-b"] {
        world
            .insert_key_pair(KeyPair {
                name: name.to_owned(),
            })
            .unwrap();
    }
    world
        .insert_kms_key(KmsKey {
            id: "key-1".to_owned(),
            key_state: KeyState::Disabled,
            ..KmsKey::default()
        })
        .unwrap();
    let mut names: Vec<_> = world.key_pairs().map(|k| k.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["kp-a", "kp-b"]);
    let keys: Vec<_> = world
        .kms_keys()
        .map(|k| (k.id.as_str(), k.key_state))
        .collect();
    assert_eq!(keys, [("key-1", KeyState::Disabled)]);
}

#[test]
fn a_snapshot_borrowed_to_change_reads_as_the_snapshot_it_is() {
    let mut world = InMemoryWorld::new();
    world
        .insert_snapshot(Snapshot {
            id: "s-1".to_owned(),
            source_disk_id: Some("d-1".to_owned()),
            ..Snapshot::default()
        })
        .unwrap();
    let guard = world.snapshot_mut("s-1").unwrap();
    assert_eq!(guard.id, "s-1");
    assert_eq!(guard.source_disk_id.as_deref(), Some("d-1"));
}

/// A world of disks `d-K` and instances `i-K`, inserted in `order`.
fn ordered(order: &[usize]) -> InMemoryWorld {
    let mut world = InMemoryWorld::new();
    for k in order {
        world
            .insert_disk(Disk {
                id: format!("d-{k}"),
                ..Disk::default()
            })
            .unwrap();
        world
            .insert_instance(Instance {
                id: format!("i-{k}"),
                ..Instance::default()
            })
            .unwrap();
    }
    world
}

#[test]
fn disks_and_instances_are_listed_in_the_order_inserted() {
    let world = ordered(&[3, 0, 2, 1]);
    let disks: Vec<&str> = world.disks().map(|d| d.id.as_str()).collect();
    assert_eq!(disks, ["d-3", "d-0", "d-2", "d-1"]);
    let instances: Vec<&str> = world.instances().map(|i| i.id.as_str()).collect();
    assert_eq!(instances, ["i-3", "i-0", "i-2", "i-1"]);
    // The order is part of the world.
    assert_ne!(world, ordered(&[0, 1, 2, 3]));
    assert_eq!(world, ordered(&[3, 0, 2, 1]));
    // A refused duplicate leaves the order as it was.
    let mut again = world.clone();
    assert!(
        again
            .insert_disk(Disk {
                id: "d-0".to_owned(),
                ..Disk::default()
            })
            .is_err()
    );
    assert!(
        again
            .insert_instance(Instance {
                id: "i-2".to_owned(),
                ..Instance::default()
            })
            .is_err()
    );
    assert_eq!(again, world);
}

#[test]
fn the_records_named_are_listed_each_once_in_the_order_inserted() {
    let world = ordered(&[3, 0, 2, 1]);
    let named = ["d-1", "nobody", "d-3", "", "d-1", "i-0"];
    let disks: Vec<&str> = world.disks_named(&named).map(|d| d.id.as_str()).collect();
    assert_eq!(disks, ["d-3", "d-1"]);
    let named = vec!["i-1".to_owned(), "i-2".to_owned(), "d-2".to_owned()];
    let instances: Vec<&str> = world
        .instances_named(&named)
        .map(|i| i.id.as_str())
        .collect();
    assert_eq!(instances, ["i-2", "i-1"]);
    assert_eq!(world.disks_named::<&str>(&[]).count(), 0);
}

#[test]
fn a_record_is_read_and_changed_by_its_id() {
    let mut world = ordered(&[0, 1]);
    assert_eq!(world.disk_record("d-1").unwrap().id, "d-1");
    assert!(world.disk_record("i-1").is_none());
    assert_eq!(world.instance_record("i-0").unwrap().id, "i-0");
    assert!(world.instance_record("d-0").is_none());
    world.disk_mut("d-1").unwrap().status = DiskStatus::ReIniting;
    world.instance_mut("i-0").unwrap().status = InstanceStatus::Stopping;
    assert_eq!(
        world.disk_record("d-1").unwrap().status,
        DiskStatus::ReIniting
    );
    assert_eq!(world.disk("d-1").unwrap().status, DiskStatus::ReIniting);
    assert_eq!(
        world.instance("i-0").unwrap().status,
        InstanceStatus::Stopping
    );
    // What was not changed reads as inserted.
    assert_eq!(
        world.disk_record("d-0").unwrap(),
        &Disk {
            id: "d-0".to_owned(),
            ..Disk::default()
        }
    );
}

#[test]
fn a_running_instance_has_started_and_stopping_does_not_undo_it() {
    let mut instance = Instance {
        id: "i-0".to_owned(),
        status: InstanceStatus::Stopped,
        has_started: false,
        ..Instance::default()
    };
    instance.set_status(InstanceStatus::Starting);
    assert!(!instance.has_started);
    instance.set_status(InstanceStatus::Running);
    assert_eq!(instance.status, InstanceStatus::Running);
    assert!(instance.has_started);
    instance.set_status(InstanceStatus::Stopped);
    assert!(instance.has_started);
    // Every world's status change is the model's.
    let mut world = InMemoryWorld::new();
    world
        .insert_instance(Instance {
            has_started: false,
            ..instance
        })
        .unwrap();
    world
        .set_instance_status("i-0", InstanceStatus::Running)
        .unwrap();
    assert!(world.instance("i-0").unwrap().has_started);
}

/// The `*_mut` accessors change the world `evaluate` reads.
#[test]
fn deleting_through_the_accessors_changes_the_decision() {
    let mut world = cases::world(100);
    let policy = Policy::new(&reinit_disk::revision::SEED);
    world.image_mut("m-bp100000000000000000").unwrap().deleted = true;
    let rejection = evaluate(&Request::new("d-accept-system-000000"), &world, &policy).unwrap_err();
    assert_eq!(rejection.code(), Code::InvalidDiskIdOperationNotSupported);

    world
        .snapshot_mut("s-bp100000000000000000")
        .unwrap()
        .deleted = true;
    let rejection = evaluate(&Request::new("d-accept-snapshot-0000"), &world, &policy).unwrap_err();
    assert_eq!(rejection.code(), Code::InvalidSourceSnapshot);

    assert!(world.image_mut("m-missing").is_none());
    assert!(world.snapshot_mut("s-missing").is_none());
}

/// `InMemoryWorld::disks` lists every disk once.
#[test]
fn disks_lists_every_disk() {
    let world = cases::world(100);
    let mut ids: Vec<&str> = world.disks().map(|d| d.id.as_str()).collect();
    assert_eq!(ids.len(), 100);
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 100);
    assert!(ids.contains(&"d-accept-system-000000"));
}

/// The in-memory world lists what was put in it, each kind apart.
#[test]
fn the_in_memory_world_lists_each_kind_it_holds() {
    use reinit_disk::model::{CreationTime, Image, ImageOwnerAlias, Snapshot};
    let mut world = one_disk(DiskStatus::InUse, LockSet::EMPTY, LockSet::EMPTY);
    world
        .insert_image(Image {
            id: "m-9".into(),
            image_owner_alias: ImageOwnerAlias::System,
            deleted: false,
            ..Default::default()
        })
        .unwrap();
    world
        .insert_snapshot(Snapshot {
            id: "s-9".into(),
            creation_time: "2020-01-01T00:00:00Z".parse::<CreationTime>().unwrap(),
            deleted: true,
            ..Default::default()
        })
        .unwrap();
    let ids = |ids: Vec<&str>| ids.into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(ids(world.disks().map(|d| d.id.as_str()).collect()), ["d-1"]);
    assert_eq!(
        ids(world.instances().map(|i| i.id.as_str()).collect()),
        ["i-1"]
    );
    assert_eq!(
        ids(world.images().map(|i| i.id.as_str()).collect()),
        ["m-9"]
    );
    assert_eq!(
        ids(world.snapshots().map(|s| s.id.as_str()).collect()),
        ["s-9"]
    );
}

#[test]
fn a_key_pair_and_a_kms_key_are_read_and_changed_by_their_name_and_id() {
    use reinit_disk::model::{KeyPair, KeyState, KmsKey};
    let mut world = InMemoryWorld::new();
    world
        .insert_key_pair(KeyPair {
            name: "kp-1".to_owned(),
        })
        .unwrap();
    world
        .insert_kms_key(KmsKey {
            id: "key-1".to_owned(),
            ..KmsKey::default()
        })
        .unwrap();
    assert_eq!(
        world
            .key_pair_mut("kp-1")
            .map(|k| k.name.clone())
            .as_deref(),
        Some("kp-1")
    );
    assert!(world.key_pair_mut("kp-2").is_none());
    assert!(world.kms_key_mut("key-2").is_none());
    world.kms_key_mut("key-1").unwrap().key_state = KeyState::PendingDeletion;
    assert_eq!(
        world.kms_key("key-1").map(|k| k.key_state),
        Some(KeyState::PendingDeletion)
    );
    // The record itself, as `PATCH` and `/state` read it.
    assert_eq!(
        world
            .kms_key_record("key-1")
            .map(|k| (k.id.as_str(), k.key_state)),
        Some(("key-1", KeyState::PendingDeletion))
    );
    assert!(world.kms_key_record("key-2").is_none());
}

#[test]
fn a_disk_replaced_keeps_its_place_and_follows_its_new_instance() {
    let mut world = ordered(&[0, 1, 2]);
    let moved = Disk {
        id: "d-1".to_owned(),
        status: DiskStatus::InUse,
        instance_id: Some("i-2".to_owned()),
        ..Disk::default()
    };
    let old = world.replace_disk(moved.clone()).unwrap();
    assert_eq!(old.id, "d-1");
    assert_eq!(old.instance_id, None);
    assert_eq!(world.disk_record("d-1"), Some(&moved));
    let order: Vec<_> = world.disks().map(|d| d.id.as_str()).collect();
    assert_eq!(order, ["d-0", "d-1", "d-2"]);
    let of_i2: Vec<_> = world.disks_of("i-2").map(|d| d.id.as_str()).collect();
    assert_eq!(of_i2, ["d-1"]);
    // Replaced again, still attached: listed once.
    world.replace_disk(moved.clone()).unwrap();
    let of_i2: Vec<_> = world.disks_of("i-2").map(|d| d.id.as_str()).collect();
    assert_eq!(of_i2, ["d-1"]);
    assert!(matches!(
        world.replace_disk(Disk {
            id: "d-9".to_owned(),
            ..Disk::default()
        }),
        Err(reinit_disk::TransitionError::UnknownDisk(id)) if id == "d-9"
    ));
}

#[test]
fn records_are_found_by_their_place_in_the_order_inserted() {
    let world = ordered(&[3, 0, 2]);
    assert_eq!((world.disk_count(), world.instance_count()), (3, 3));
    assert_eq!(InMemoryWorld::new().disk_count(), 0);
    assert_eq!(InMemoryWorld::new().instance_count(), 0);
    for (position, k) in [3, 0, 2].into_iter().enumerate() {
        let disk = format!("d-{k}");
        let instance = format!("i-{k}");
        assert_eq!(world.disk_position(&disk), Some(position), "{disk}");
        assert_eq!(world.instance_position(&instance), Some(position));
        assert_eq!(
            world.disk_at(position).map(|d| d.id.as_str()),
            Some(disk.as_str())
        );
        assert_eq!(
            world.instance_at(position).map(|i| i.id.as_str()),
            Some(instance.as_str())
        );
    }
    assert_eq!(world.disk_position("d-9"), None);
    assert_eq!(world.instance_position("d-0"), None);
    assert!(world.disk_at(3).is_none());
    assert!(world.instance_at(3).is_none());
}
