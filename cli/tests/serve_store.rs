//! The server's store keeps its world in the library's
//! [`InMemoryWorld`]: its decisions must be exactly the scenario's own
//! (`Scenario::decide`, a world read by linear scans), on every shipped
//! scenario of both revisions and on generated worlds; a world the
//! scenario format refuses, the store refuses with the same error; and it
//! settles, lists and changes its records as the server answers them.
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
use reinit_disk::model::{Disk, DiskStatus, Instance};
use reinit_disk::revision::V2025_02_27;
use reinit_disk::scenario::{Decision, Scenario};
use std::time::Duration;

use reinit_disk::{OwnedTarget, Policy, Request, evaluate};
use reinit_disk_cli::serve::{Store, Timings};

/// The store's decision on `request` in `scenario`'s world under `policy`
/// (the store's first: a decision changes the world), or why the store
/// refuses the world.
fn store_decides(
    scenario: &Scenario,
    request: &Request<'_>,
    policy: &Policy,
) -> Result<Decision, String> {
    let store = Store::new(scenario.clone(), Timings::default()).map_err(|e| e.to_string())?;
    let decided = store.reinit(request, policy, Duration::ZERO);
    Ok(Decision::from(
        &decided
            .as_ref()
            .map(OwnedTarget::as_target)
            .map_err(Clone::clone),
    ))
}

/// The decision the scenario's own world (linear scans) makes, or why the
/// scenario format refuses the world.
fn scenario_decides(
    scenario: &Scenario,
    request: &Request<'_>,
    policy: &Policy,
) -> Result<Decision, String> {
    scenario.validate().map_err(|e| e.to_string())?;
    Ok(Decision::from(&evaluate(request, scenario, policy)))
}

#[test]
fn the_store_decides_every_shipped_scenario_as_the_scenario() {
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
            let store = store_decides(&scenario, &scenario.request(), &scenario.policy);
            assert_eq!(store, Ok(scenario.decide()), "{}", path.display());
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
fn the_store_refuses_a_duplicate_or_empty_id_as_the_scenario_does() {
    let refused = |scenario: &Scenario| {
        Store::new(scenario.clone(), Timings::default())
            .err()
            .map(|e| e.to_string())
    };
    let instance = Instance {
        id: "i-0".to_owned(),
        ..Instance::default()
    };
    let duplicate = Scenario {
        instances: vec![instance.clone(), instance],
        ..Scenario::default()
    };
    let empty = Scenario {
        disks: vec![Disk::default()],
        ..Scenario::default()
    };
    let unattached = Scenario {
        disks: vec![Disk {
            id: "d-0".to_owned(),
            status: DiskStatus::InUse,
            instance_id: None,
            ..Disk::default()
        }],
        ..Scenario::default()
    };
    for world in [duplicate, empty, unattached] {
        let expected = world.validate().unwrap_err().to_string();
        assert_eq!(refused(&world), Some(expected));
    }
}

fn policy_2025() -> Policy {
    Policy::new(&V2025_02_27)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn the_store_decides_generated_worlds_as_the_scenario(
        world in reinit_disk_testkit::arb::world(),
        request in reinit_disk_testkit::arb::request(),
        policy in reinit_disk_testkit::arb::policy(),
    ) {
        prop_assert_eq!(
            store_decides(&world, &request, &policy),
            scenario_decides(&world, &request, &policy)
        );
        prop_assert_eq!(
            store_decides(&world, &request, &policy_2025()),
            scenario_decides(&world, &request, &policy_2025())
        );
    }

    #[test]
    fn the_store_decides_attached_worlds_as_the_scenario(
        world in reinit_disk_testkit::arb::attached_world(),
        request in reinit_disk_testkit::arb::valid_request(),
        policy in reinit_disk_testkit::arb::policy(),
    ) {
        prop_assert_eq!(
            store_decides(&world, &request, &policy),
            scenario_decides(&world, &request, &policy)
        );
        prop_assert_eq!(
            store_decides(&world, &request, &policy_2025()),
            scenario_decides(&world, &request, &policy_2025())
        );
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
    store.read(now, |world, _, _| {
        world.disks().map(|d| d.status.to_string()).collect()
    })
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
    store.read(Duration::ZERO, |world, _, _| {
        let listed: Vec<&str> = world.disks_named(&ids).map(|d| d.id.as_str()).collect();
        assert_eq!(listed, ["d-3", "d-7", "d-49"]);
        let listed: Vec<&str> = world
            .instances_named(&["i-9", "i-2"])
            .map(|i| i.id.as_str())
            .collect();
        assert_eq!(listed, ["i-2", "i-9"]);
        assert_eq!(world.disks_named::<&str>(&[]).count(), 0);
        assert_eq!(world.disks().count(), 50);
    });
}

#[test]
fn the_store_remembers_its_latest_next_tokens_and_forgets_the_oldest_past_its_cap() {
    use reinit_disk_cli::serve::Tokens;
    let mut tokens = Tokens::default();
    let first = tokens.issue("DescribeDisks", 10);
    let second = tokens.issue("DescribeDisks", 20);
    assert_ne!(first, second);
    assert_eq!(tokens.resume("DescribeDisks", &first), Some(10));
    assert_eq!(tokens.resume("DescribeDisks", &second), Some(20));
    // A token answers only the action it was issued for.
    assert_eq!(tokens.resume("DescribeInstances", &first), None);
    // Past the cap, the oldest is forgotten first.
    for n in 2..Tokens::CAP {
        tokens.issue("DescribeDisks", n);
    }
    assert_eq!(tokens.resume("DescribeDisks", &first), Some(10));
    let newest = tokens.issue("DescribeDisks", 7);
    assert_eq!(tokens.resume("DescribeDisks", &first), None);
    assert_eq!(tokens.resume("DescribeDisks", &second), Some(20));
    assert_eq!(tokens.resume("DescribeDisks", &newest), Some(7));
}

/// A world with one standalone snapshot `s-9` and a data disk `d-1`
/// encrypted with the second of two KMS keys.
fn keyed_world() -> Scenario {
    Scenario::from_json(
        &serde_json::json!({
            "Disks": [{"DiskId": "d-1", "Type": "data", "Category": "cloud_essd", "Status": "In_use",
                       "InstanceId": "i-1", "Encrypted": true, "KMSKeyId": "key-2"}],
            "Instances": [{"InstanceId": "i-1", "Status": "Stopped"}],
            "Snapshots": [{"SnapshotId": "s-9", "CreationTime": "2020-01-01T00:00:00Z"}],
            "KmsKeys": [
                {"KeyId": "key-1", "KeyState": "Enabled", "EcsAuthorized": true, "EcsTagged": true},
                {"KeyId": "key-2", "KeyState": "Enabled", "EcsAuthorized": true, "EcsTagged": true}
            ]
        })
        .to_string(),
    )
    .unwrap()
}

#[test]
fn a_dry_run_delete_of_a_snapshot_is_checked_and_is_not_a_change() {
    let store = Store::new(keyed_world(), Timings::default()).unwrap();
    // A deleted snapshot keeps its record, marked deleted (what a
    // scenario's `"Deleted"` sets).
    let exists = |store: &Store| {
        store.read(Duration::ZERO, |world, _, _| {
            !world.snapshot_record("s-9").unwrap().deleted
        })
    };
    let before = store.version();
    store
        .delete_snapshot("s-9", false, Duration::ZERO, true)
        .unwrap();
    // Nothing changed, so nothing for `--state` to save.
    assert_eq!(store.version(), before);
    assert!(exists(&store));
    store
        .delete_snapshot("s-9", false, Duration::ZERO, false)
        .unwrap();
    assert_eq!(store.version(), before + 1);
    assert!(!exists(&store));
}

#[test]
fn a_patched_disk_is_validated_with_the_kms_key_it_names_and_no_other() {
    use reinit_disk_cli::serve::{PatchError, RecordKind};
    let store = Store::new(keyed_world(), Timings::default()).unwrap();
    store
        .patch(
            RecordKind::Disk,
            "d-1",
            &serde_json::json!({"DiskName": "data", "Portable": true}),
            Duration::ZERO,
        )
        .unwrap();
    let (name, portable) = store.read(Duration::ZERO, |_, fields, _| {
        let own = fields.disk("d-1").unwrap();
        (own.disk_name.clone(), own.portable)
    });
    assert_eq!(name.as_deref(), Some("data"));
    assert_eq!(portable, Some(true));
    // A key the world lacks is still refused, by its path.
    let refused = store
        .patch(
            RecordKind::Disk,
            "d-1",
            &serde_json::json!({"KMSKeyId": "key-3"}),
            Duration::ZERO,
        )
        .unwrap_err();
    match refused {
        PatchError::Invalid(e) => assert_eq!(e.path, "KMSKeyId", "{e}"),
        PatchError::NotFound => panic!("d-1 not found"),
    }
}
