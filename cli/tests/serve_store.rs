//! The server's store lays the world out with each disk's references
//! resolved at load (src/serve/resolved.rs): its decisions must be exactly
//! the in-memory world's, on every shipped scenario of both revisions, on
//! generated worlds (dangling references included), and for look-ups of ids
//! the disk does not reference.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use std::fs;
use std::path::Path;

use proptest::prelude::*;
use reinit_disk::model::{Disk, DiskSource, Instance, Snapshot};
use reinit_disk::revision::V2025_02_27;
use reinit_disk::scenario::{Decision, Scenario, ScenarioError};
use std::time::Duration;

use reinit_disk::{InMemoryWorld, Policy, Request, World, evaluate};
use reinit_disk_cli::serve::{ResolvedWorld, Store, Timings};

/// Both worlds of `scenario`'s records, as they are: generated worlds may
/// reference records they lack, which a scenario document refuses but a
/// store must answer (dangling references are facts).
fn both(scenario: &Scenario) -> (InMemoryWorld, ResolvedWorld) {
    let mut in_memory = InMemoryWorld::new();
    for disk in &scenario.disks {
        in_memory.insert_disk(disk.clone()).unwrap();
    }
    for instance in &scenario.instances {
        in_memory.insert_instance(instance.clone()).unwrap();
    }
    for image in &scenario.images {
        in_memory.insert_image(image.clone()).unwrap();
    }
    for snapshot in &scenario.snapshots {
        in_memory.insert_snapshot(snapshot.clone()).unwrap();
    }
    for key_pair in &scenario.key_pairs {
        in_memory.insert_key_pair(key_pair.clone()).unwrap();
    }
    for key in &scenario.kms_keys {
        in_memory.insert_kms_key(key.clone()).unwrap();
    }
    in_memory.set_account(scenario.account);
    (in_memory, records_of(scenario).unwrap())
}

/// The store's world of `scenario`'s records, as they are (not validated
/// as a document: `from_records` checks only that ids are unique).
fn records_of(scenario: &Scenario) -> Result<ResolvedWorld, ScenarioError> {
    ResolvedWorld::from_records(
        scenario.disks.clone(),
        scenario.instances.clone(),
        scenario.images.clone(),
        scenario.snapshots.clone(),
        scenario.key_pairs.clone(),
        scenario.kms_keys.clone(),
        scenario.account,
    )
}

fn decide_both(
    scenario: &Scenario,
    request: &Request<'_>,
    policy: &Policy,
) -> (Decision, Decision) {
    let (in_memory, resolved) = both(scenario);
    (
        Decision::from(&evaluate(request, &in_memory, policy)),
        Decision::from(&evaluate(request, &resolved.reader(), policy)),
    )
}

/// Every id the world has, every id its records reference, and one nobody
/// has: the look-ups to compare.
fn ids(scenario: &Scenario) -> Vec<String> {
    let mut ids = vec!["nobody".to_owned(), String::new()];
    for disk in &scenario.disks {
        ids.push(disk.id.clone());
        ids.extend(disk.instance_id.clone());
        ids.extend(disk.kms_key_id.clone());
        match &disk.source {
            DiskSource::Image { image_id, .. } => ids.push(image_id.clone()),
            DiskSource::Snapshot { snapshot_id, .. } => ids.push(snapshot_id.clone()),
            DiskSource::Empty => {}
        }
    }
    ids.extend(scenario.instances.iter().map(|i| i.id.clone()));
    ids.extend(scenario.images.iter().map(|i| i.id.clone()));
    ids.extend(scenario.snapshots.iter().map(|s| s.id.clone()));
    ids.extend(scenario.kms_keys.iter().map(|k| k.id.clone()));
    ids.extend(scenario.key_pairs.iter().map(|k| k.name.clone()));
    ids
}

/// After the reader has found `disk_id`, every look-up answers what the
/// in-memory world answers: the disk's own references from the index
/// resolved at load, any other id by hashing.
fn assert_look_ups_agree(scenario: &Scenario, disk_id: &str) {
    let (in_memory, resolved) = both(scenario);
    let reader = resolved.reader();
    assert_eq!(
        reader.disk(disk_id),
        in_memory.disk(disk_id),
        "disk {disk_id}"
    );
    for id in ids(scenario) {
        assert_eq!(
            reader.instance(&id),
            in_memory.instance(&id),
            "instance {id:?} after {disk_id}"
        );
        assert_eq!(
            reader.image(&id),
            in_memory.image(&id),
            "image {id:?} after {disk_id}"
        );
        assert_eq!(
            reader.snapshot(&id),
            in_memory.snapshot(&id),
            "snapshot {id:?} after {disk_id}"
        );
        assert_eq!(
            reader.kms_key(&id),
            in_memory.kms_key(&id),
            "KMS key {id:?} after {disk_id}"
        );
        assert_eq!(
            reader.key_pair(&id),
            in_memory.key_pair(&id),
            "key pair {id:?} after {disk_id}"
        );
    }
    assert_eq!(reader.account(), in_memory.account());
}

#[test]
fn the_store_decides_every_shipped_scenario_as_the_in_memory_world() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("tests/scenarios");
    let mut decided = 0;
    for revision in fs::read_dir(&root).unwrap() {
        for entry in fs::read_dir(revision.unwrap().path()).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap();
            if !name.ends_with(".json") || name.ends_with(".expected.json") {
                continue;
            }
            let scenario = Scenario::from_json(&fs::read_to_string(&path).unwrap()).unwrap();
            // Loaded as the server loads it: validated.
            ResolvedWorld::from_scenario(&scenario).unwrap();
            let (in_memory, resolved) =
                decide_both(&scenario, &scenario.request(), &scenario.policy);
            assert_eq!(resolved, in_memory, "{}", path.display());
            for disk in &scenario.disks {
                assert_look_ups_agree(&scenario, &disk.id);
            }
            decided += 1;
        }
    }
    assert!(
        decided > 100,
        "only {decided} scenarios found under {}",
        root.display()
    );
}

#[test]
fn a_look_up_of_an_id_the_disk_does_not_reference_is_answered_by_hashing() {
    // d-0 references i-0, img-0 and s-0; the world also has i-1, s-1.
    let scenario = Scenario::from_json(
        r#"{
          "Request": {"DiskId": "d-0"},
          "Disks": [
            {"DiskId": "d-0", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-0",
             "Type": "data", "SourceSnapshotId": "s-0"},
            {"DiskId": "d-1", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-1",
             "Type": "data", "SourceSnapshotId": "s-1"}
          ],
          "Instances": [
            {"InstanceId": "i-0", "Status": "Stopped", "HasStarted": true},
            {"InstanceId": "i-1", "Status": "Running", "HasStarted": true}
          ],
          "Snapshots": [
            {"SnapshotId": "s-0", "CreationTime": "2020-01-01T00:00:00Z"},
            {"SnapshotId": "s-1", "CreationTime": "2020-01-01T00:00:00Z", "Deleted": true}
          ]
        }"#,
    )
    .unwrap();
    let resolved = ResolvedWorld::from_scenario(&scenario).unwrap();
    let reader = resolved.reader();
    assert!(reader.disk("d-0").is_some());
    // Not d-0's references, asked for after it: the other records, found.
    assert!(reader.instance("i-1").unwrap().has_started);
    assert_eq!(
        reader.instance("i-1").unwrap().status,
        reinit_disk::model::InstanceStatus::Running
    );
    assert!(reader.snapshot("s-1").unwrap().deleted);
    assert!(reader.instance("i-9").is_none());
    // d-0's own, by an equal string that is not the view's.
    let own = String::from("i-0");
    assert_eq!(
        reader.instance(&own).unwrap().status,
        reinit_disk::model::InstanceStatus::Stopped
    );
    assert_look_ups_agree(&scenario, "d-0");
    assert_look_ups_agree(&scenario, "d-1");
    assert_look_ups_agree(&scenario, "d-9");
}

#[test]
fn the_store_refuses_a_duplicate_id_naming_its_list() {
    let disk = Disk {
        id: "d-0".to_owned(),
        ..Disk::default()
    };
    let instance = Instance {
        id: "i-0".to_owned(),
        ..Instance::default()
    };
    let snapshot = Snapshot {
        id: "s-0".to_owned(),
        ..Snapshot::default()
    };
    let err = records_of(&Scenario {
        disks: vec![disk.clone(), disk],
        ..Scenario::default()
    })
    .unwrap_err();
    assert_eq!(err.path, "Disks");
    assert_eq!(err.message, "disk id \"d-0\" is already taken");
    let err = records_of(&Scenario {
        instances: vec![instance.clone(), instance],
        ..Scenario::default()
    })
    .unwrap_err();
    assert_eq!(err.path, "Instances");
    let err = records_of(&Scenario {
        snapshots: vec![snapshot.clone(), snapshot],
        ..Scenario::default()
    })
    .unwrap_err();
    assert_eq!(err.path, "Snapshots");
}

fn policy_2025() -> Policy {
    Policy::new(&V2025_02_27)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_store_decides_generated_worlds_as_the_in_memory_world(
        world in reinit_disk_testkit::arb::world(),
        request in reinit_disk_testkit::arb::request(),
        policy in reinit_disk_testkit::arb::policy(),
    ) {
        let (in_memory, resolved) = decide_both(&world, &request, &policy);
        prop_assert_eq!(&resolved, &in_memory);
        let (in_memory, resolved) = decide_both(&world, &request, &policy_2025());
        prop_assert_eq!(resolved, in_memory);
    }

    #[test]
    fn the_store_decides_attached_worlds_as_the_in_memory_world(
        world in reinit_disk_testkit::arb::attached_world(),
        request in reinit_disk_testkit::arb::valid_request(),
        policy in reinit_disk_testkit::arb::policy(),
    ) {
        let (in_memory, resolved) = decide_both(&world, &request, &policy);
        prop_assert_eq!(&resolved, &in_memory);
        let (in_memory, resolved) = decide_both(&world, &request, &policy_2025());
        prop_assert_eq!(resolved, in_memory);
        for disk in &world.disks {
            assert_look_ups_agree(&world, &disk.id);
        }
    }
}

/// A world of `n` data disks `d-K`, each `In_use` on its own stopped
/// instance `i-K` that has started once.
fn fleet(n: usize) -> Scenario {
    let disks: Vec<_> = (0..n)
        .map(|k| serde_json::json!({"DiskId": format!("d-{k}"), "Type": "data", "Category": "cloud_essd", "Status": "In_use", "InstanceId": format!("i-{k}")}))
        .collect();
    let instances: Vec<_> = (0..n)
        .map(|k| serde_json::json!({"InstanceId": format!("i-{k}"), "Status": "Stopped", "HasStarted": true}))
        .collect();
    Scenario::from_json(&serde_json::json!({"Disks": disks, "Instances": instances}).to_string())
        .unwrap()
}

fn statuses(store: &Store, now: Duration) -> Vec<String> {
    store
        .disks(now, None, |_| true)
        .iter()
        .map(|d| d.status.to_string())
        .collect()
}

#[test]
fn the_store_settles_each_reinit_when_due_and_not_before_in_the_order_made() {
    let timings = Timings {
        reinit: Duration::from_secs(2),
        ..Timings::default()
    };
    let store = Store::new(fleet(2_000), timings).unwrap();
    let policy = Policy::new(&reinit_disk::revision::SEED);
    // Disk k is re-initialized at k milliseconds: it settles at 2 s + k ms.
    for k in 0..2_000u64 {
        let id = format!("d-{k}");
        let request = Request::new(&id);
        store
            .reinit(&request, &policy, Duration::from_millis(k))
            .unwrap();
    }
    let at = |ms| Duration::from_millis(ms);
    assert!(statuses(&store, at(1_999)).iter().all(|s| s == "ReIniting"));
    // At 2.5 s, the disks made in the first 500 ms have settled (0..=500).
    let now = statuses(&store, at(2_500));
    assert!(
        now[..=500].iter().all(|s| s == "In_use"),
        "{:?}",
        &now[..=500]
    );
    assert!(now[501..].iter().all(|s| s == "ReIniting"));
    // Time does not go back: what settled stays settled.
    assert_eq!(statuses(&store, at(2_000)), now);
    assert!(statuses(&store, at(4_000)).iter().all(|s| s == "In_use"));
}

#[test]
fn describe_by_ids_lists_each_named_disk_once_in_the_loaded_order() {
    let store = Store::new(fleet(50), Timings::default()).unwrap();
    let ids: Vec<String> = ["d-7", "d-3", "nobody", "d-7", "", "d-49"]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    let listed: Vec<String> = store
        .disks(Duration::ZERO, Some(&ids), |_| true)
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(listed, ["d-3", "d-7", "d-49"]);
    let listed: Vec<String> = store
        .instances(
            Duration::ZERO,
            Some(&["i-9".to_owned(), "i-2".to_owned()]),
            |_| true,
        )
        .into_iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(listed, ["i-2", "i-9"]);
    assert!(store.disks(Duration::ZERO, Some(&[]), |_| true).is_empty());
    assert_eq!(store.disks(Duration::ZERO, None, |_| true).len(), 50);
}

#[test]
fn the_store_world_reads_and_changes_its_records_by_id() {
    use reinit_disk::WorldMut;
    use reinit_disk::model::{DiskStatus, InstanceStatus};
    use reinit_disk_cli::serve::resolved::ResolvedError;

    let mut scenario = fleet(3);
    scenario.instances[1].status = InstanceStatus::Running;
    scenario.instances[1].has_started = false;
    let mut world = ResolvedWorld::from_scenario(&scenario).unwrap();
    assert_eq!(world.disk("d-2").unwrap().id, "d-2");
    assert!(world.disk("i-2").is_none());
    assert_eq!(
        world.instance("i-1").unwrap().status,
        InstanceStatus::Running
    );
    assert!(world.instance("d-1").is_none());
    let ids: Vec<&str> = world.instances().map(|i| i.id.as_str()).collect();
    assert_eq!(ids, ["i-0", "i-1", "i-2"]);
    let ids: Vec<&str> = world.disks().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["d-0", "d-1", "d-2"]);

    world.instance_mut("i-2").unwrap().status = InstanceStatus::Starting;
    assert_eq!(
        world.instance("i-2").unwrap().status,
        InstanceStatus::Starting
    );
    assert!(world.instance_mut("nobody").is_none());

    // Stopping does not count as a start; Running does.
    world
        .set_instance_status("i-1", InstanceStatus::Stopped)
        .unwrap();
    assert!(!world.instance("i-1").unwrap().has_started);
    world
        .set_instance_status("i-1", InstanceStatus::Running)
        .unwrap();
    assert!(world.instance("i-1").unwrap().has_started);
    world.set_disk_status("d-0", DiskStatus::ReIniting).unwrap();
    assert_eq!(world.disk("d-0").unwrap().status, DiskStatus::ReIniting);
    // What a decision reads follows the change.
    assert_eq!(
        world.reader().disk("d-0").unwrap().status,
        DiskStatus::ReIniting
    );
    assert_eq!(
        world.set_instance_status("i-9", InstanceStatus::Running),
        Err(ResolvedError::UnknownInstance("i-9".to_owned()))
    );
    assert_eq!(
        world.set_disk_status("d-9", DiskStatus::InUse),
        Err(ResolvedError::UnknownDisk("d-9".to_owned()))
    );
    assert_eq!(
        ResolvedError::UnknownDisk("d-9".to_owned()).to_string(),
        "disk \"d-9\" does not exist"
    );
}
