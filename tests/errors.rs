//! Every error type, each variant built once: each message names the culprit
//! (the check, the id, the value, the field) and what is accepted instead,
//! in words a user can act on.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk::model::{
    CreationTime, Disk, DiskCategory, DiskSource, DiskStatus, InstanceStatus, LockSet,
};
use reinit_disk::policy::{CheckOrder, OrderError, PolicyError};
use reinit_disk::revision::{Revision, SEED, UnknownRevision};
use reinit_disk::scenario::Scenario;
use reinit_disk::wire::{Fault, Malformed};
use reinit_disk::{
    Check, Code, DuplicateId, InMemoryWorld, OwnedTarget, Policy, Rejection, TransitionError,
    WorldMut,
};

/// The seed's world checks, as the messages list them.
const SEED_WORLD: &str = "disk-exists, category-supported, instance-not-security-locked, instance-not-in-arrears, disk-in-use, instance-stopped, no-snapshot-in-progress, source-snapshot-exists, source-snapshot-not-too-old, source-image-exists, hardening-supported";

/// A revision with one world check, for the order that names a check the
/// revision lacks (the seed has every check there is).
fn narrow() -> &'static Revision {
    Box::leak(Box::new(Revision {
        name: "narrow",
        title: "a test revision with one world check",
        catalogue: SEED.catalogue,
        index: SEED.index,
        params: SEED.params,
        reads: SEED.reads,
        request_checks: SEED.request_checks,
        world_checks: &[Check::DiskExists],
        too_old_before: SEED.too_old_before,
        default_strategy: None,
    }))
}

fn disk(id: &str) -> Disk {
    Disk {
        id: id.into(),
        category: DiskCategory::CloudEssd,
        status: DiskStatus::InUse,
        instance_id: Some("i-1".into()),
        source: DiskSource::Empty,
        creating_snapshot: false,
        operation_locks: LockSet::EMPTY,
        ..Default::default()
    }
}

/// Asserts that `message` holds every one of `parts`.
fn says(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(message.contains(part), "{message:?} does not say {part:?}");
    }
}

#[test]
fn every_order_error_names_the_check_the_revision_and_its_world_checks() {
    let missing = CheckOrder::new(&SEED, &SEED.world_checks[1..]).unwrap_err();
    assert_eq!(missing, OrderError::Missing(&SEED, Check::DiskExists));
    says(
        &missing.to_string(),
        &[
            "check \"disk-exists\" is missing",
            "revision seed",
            SEED_WORLD,
        ],
    );

    let repeated = CheckOrder::new(&SEED, &[Check::DiskExists, Check::DiskExists]).unwrap_err();
    assert_eq!(repeated, OrderError::Repeated(&SEED, Check::DiskExists));
    says(
        &repeated.to_string(),
        &[
            "check \"disk-exists\" is listed twice",
            "revision seed",
            SEED_WORLD,
        ],
    );

    let request = CheckOrder::new(&SEED, &[Check::StrategyValue]).unwrap_err();
    assert_eq!(
        request,
        OrderError::RequestCheck(&SEED, Check::StrategyValue)
    );
    says(
        &request.to_string(),
        &[
            "check \"strategy-value\" is a request check",
            "(action, disk-id-given, strategy-value) always run first",
            "revision seed",
            SEED_WORLD,
        ],
    );

    let narrow = narrow();
    let foreign = CheckOrder::new(narrow, &[Check::CategorySupported]).unwrap_err();
    assert_eq!(
        foreign,
        OrderError::NotInRevision(narrow, Check::CategorySupported)
    );
    says(
        &foreign.to_string(),
        &[
            "check \"category-supported\" is not a check of revision narrow",
            "each of its world checks exactly once: disk-exists",
        ],
    );
    // The same through a policy.
    assert_eq!(
        Policy::new(narrow).with_order(&[Check::InstanceStopped]),
        Err(OrderError::NotInRevision(narrow, Check::InstanceStopped))
    );
}

#[test]
fn a_policy_error_names_the_field_and_an_unknown_revision_the_accepted_ones() {
    let policy = PolicyError(OrderError::Missing(&SEED, Check::HardeningSupported));
    says(
        &policy.to_string(),
        &[
            "Order: check \"hardening-supported\" is missing",
            SEED_WORLD,
        ],
    );
    let json = serde_json::from_str::<Policy>(r#"{"Revision":"seed","Order":["disk-exists"]}"#)
        .unwrap_err()
        .to_string();
    says(
        &json,
        &["Order: check \"category-supported\" is missing", SEED_WORLD],
    );

    let unknown = Revision::by_name("2099-01-01").unwrap_err();
    assert_eq!(unknown, UnknownRevision("2099-01-01".into()));
    says(
        &unknown.to_string(),
        &["unknown revision \"2099-01-01\"", "expected one of seed"],
    );
    let json = serde_json::from_str::<Policy>(r#"{"Revision":"Seed"}"#)
        .unwrap_err()
        .to_string();
    says(
        &json,
        &["unknown revision \"Seed\"", "expected one of seed"],
    );
}

#[test]
fn a_target_whose_parts_disagree_says_what_its_reset_needs() {
    let target = |reset_to: &str, source_id: &str| {
        serde_json::from_str::<OwnedTarget>(&format!(
            r#"{{"DiskId":"d-1","InstanceId":"i-1","ResetTo":"{reset_to}","SourceId":{source_id},"SecurityEnhancement":null,"StatusDuring":"ReIniting","StatusAfter":"In_use"}}"#
        ))
    };
    assert!(target("Image", "\"m-1\"").is_ok());
    says(
        &target("Image", "null").unwrap_err().to_string(),
        &["ResetTo Image needs a SourceId"],
    );
    says(
        &target("Snapshot", "null").unwrap_err().to_string(),
        &["ResetTo Snapshot needs a SourceId"],
    );
    says(
        &target("Empty", "\"s-1\"").unwrap_err().to_string(),
        &["ResetTo Empty has no SourceId"],
    );
    says(
        &target("Disk", "null").unwrap_err().to_string(),
        &["unknown variant `Disk`", "`Image`, `Snapshot`, `Empty`"],
    );
}

#[test]
fn every_world_error_names_the_id() {
    let mut world = InMemoryWorld::new();
    world.insert_disk(disk("d-1")).unwrap();
    let duplicate = world.insert_disk(disk("d-1")).unwrap_err();
    assert_eq!(
        duplicate,
        DuplicateId {
            kind: "disk",
            id: "d-1".into()
        }
    );
    says(
        &duplicate.to_string(),
        &["disk id \"d-1\" is already taken"],
    );

    let unknown_disk = world
        .set_disk_status("d-9", DiskStatus::ReIniting)
        .unwrap_err();
    assert_eq!(unknown_disk, TransitionError::UnknownDisk("d-9".into()));
    says(&unknown_disk.to_string(), &["disk \"d-9\" does not exist"]);

    let unknown_instance = world
        .set_instance_status("i-9", InstanceStatus::Running)
        .unwrap_err();
    assert_eq!(
        unknown_instance,
        TransitionError::UnknownInstance("i-9".into())
    );
    says(
        &unknown_instance.to_string(),
        &["instance \"i-9\" does not exist"],
    );

    let not_reiniting = world.settle_reinit("d-1").unwrap_err();
    assert_eq!(
        not_reiniting,
        TransitionError::NotReIniting {
            disk_id: "d-1".into(),
            status: DiskStatus::InUse
        }
    );
    says(
        &not_reiniting.to_string(),
        &[
            "disk \"d-1\" is In_use, not ReIniting",
            "there is no re-init to settle",
        ],
    );
}

#[test]
fn every_model_error_names_the_value_and_what_is_accepted() {
    says(
        &"x".parse::<CreationTime>().unwrap_err().to_string(),
        &[
            "\"x\" is not a valid CreationTime",
            "RFC 3339 (2013-07-15T10:00:00Z)",
            "minute form (2013-07-15T10:00Z)",
        ],
    );
    says(
        &serde_json::from_str::<Disk>(
            r#"{"DiskId":"d","Type":"system","Category":"cloud","Status":"Available"}"#,
        )
        .unwrap_err()
        .to_string(),
        &["disk \"d\": a system disk needs an ImageId"],
    );
    says(
        &serde_json::from_str::<Disk>(
            r#"{"DiskId":"d","Type":"data","Category":"cloud","Status":"Available","ImageId":"m"}"#,
        )
        .unwrap_err()
        .to_string(),
        &[
            "disk \"d\": a data disk cannot have an ImageId",
            "only system disks come from an image",
        ],
    );
}

#[test]
fn every_scenario_error_names_the_field_and_what_is_accepted() {
    let error = |json: &str| Scenario::from_json(json).unwrap_err().to_string();
    let disk =
        r#"{"DiskId":"d-1","Type":"data","Category":"cloud","Status":"In_use","InstanceId":"i-1"}"#;
    let instance = r#"{"InstanceId":"i-1","Status":"Stopped"}"#;
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            error(""),
            vec![".: the scenario is empty: expected a JSON object"],
        ),
        (error("{\"Disks\": ["), vec![".: not valid JSON"]),
        (
            error("[]"),
            vec![".: invalid type: sequence, expected a scenario (a JSON object)"],
        ),
        (
            error(r#"{"Disk": []}"#),
            vec!["unknown field `Disk`", "`Disks`"],
        ),
        (
            error(
                r#"{"Disks": [{"DiskId":"d-1","Type":"data","Category":"cloud","Status":"in_use"}]}"#,
            ),
            vec!["Disks[0].Status", "unknown variant `in_use`", "`In_use`"],
        ),
        (
            error(&format!(
                r#"{{"Disks": [{disk}], "Instances": [{instance}, {instance}]}}"#
            )),
            vec![
                "Instances[1].InstanceId",
                "duplicate id \"i-1\" (also Instances[0])",
            ],
        ),
        (
            error(&format!(r#"{{"Disks": [{disk}]}}"#)),
            vec!["Disks[0].InstanceId", "\"i-1\" is not listed in Instances"],
        ),
        (
            error(
                r#"{"Disks": [{"DiskId":"d-1","Type":"data","Category":"cloud","Status":"In_use"}]}"#,
            ),
            vec![
                "Disks[0].InstanceId",
                "Status is In_use",
                "give its InstanceId",
            ],
        ),
        (
            error(r#"{"Policy": {"Revision": "seed", "Order": ["disk-exists"]}}"#),
            vec![
                "Policy.Order: check \"category-supported\" is missing",
                SEED_WORLD,
            ],
        ),
        (
            error(r#"{"Policy": {"Revision": "2025"}}"#),
            vec![
                "Policy.Revision",
                "unknown revision \"2025\"",
                "expected one of seed",
            ],
        ),
        (
            error(r#"{"Policy": {"Catalogue": "Seed"}}"#),
            vec!["unknown field `Catalogue`", "`Revision`"],
        ),
    ];
    for (got, parts) in cases {
        says(&got, &parts);
    }
}

#[test]
fn a_rejection_and_a_malformed_parameter_say_what_they_are() {
    says(
        &Rejection::new(
            SEED.entry(Code::IncorrectDiskStatus).unwrap(),
            Check::DiskInUse,
        )
        .to_string(),
        &[
            "403 IncorrectDiskStatus: The current disk status does not support this operation. (check disk-in-use)",
        ],
    );
    for (fault, says_what) in [
        (
            Fault::BadPercentEncoding,
            "a % not followed by two hexadecimal digits",
        ),
        (Fault::InvalidUtf8, "not valid UTF-8 once decoded"),
        (Fault::Conflicting, "given twice with different values"),
    ] {
        let malformed = Malformed {
            parameter: "DiskId".into(),
            fault,
        };
        says(
            &malformed.to_string(),
            &["parameter \"DiskId\": ", says_what],
        );
    }
}

#[test]
fn a_check_order_may_be_any_permutation_of_the_world_checks() {
    let mut reversed = SEED.world_checks.to_vec();
    reversed.reverse();
    assert_eq!(
        CheckOrder::new(&SEED, &reversed).unwrap().checks(),
        reversed
    );
    assert_eq!(
        CheckOrder::new(&SEED, SEED.world_checks).unwrap().checks(),
        SEED.world_checks
    );
    let policy = Policy::new(&reinit_disk::revision::SEED)
        .with_order(&reversed)
        .unwrap();
    assert_eq!(policy.order(), reversed);
    assert!(!policy.has_default_order());
    // The default order given explicitly is the default.
    let policy = Policy::new(&reinit_disk::revision::SEED)
        .with_order(SEED.world_checks)
        .unwrap();
    assert!(policy.has_default_order());
    assert_eq!(policy, Policy::new(&reinit_disk::revision::SEED));
}

#[test]
fn a_rejection_exposes_its_catalogue_row() {
    let entry = SEED.entry(Code::DiskCreatingSnapshot).unwrap();
    let rejection = Rejection::new(entry, Check::NoSnapshotInProgress);
    assert_eq!(rejection.entry(), entry);
    assert_eq!(rejection.entry().code, Code::DiskCreatingSnapshot);
}

/// A disk that names an instance by an empty id is refused at its
/// `InstanceId`, by the scenario format and by the one record check an
/// emulator building a world record by record calls (`check_disk`): an empty
/// id is never an instance, whatever the world lists (issue 21).
#[test]
fn a_disk_naming_an_empty_instance_id_is_refused_at_its_instance_id() {
    use reinit_disk::model::{Disk, DiskStatus};
    use reinit_disk::scenario::{Scenario, check_disk};
    for status in ["In_use", "Available", "Detaching"] {
        let doc = format!(
            r#"{{"Disks":[{{"DiskId":"d-1","Type":"data","Category":"cloud_essd","Status":"{status}","InstanceId":""}}]}}"#
        );
        let error = Scenario::from_json(&doc).unwrap_err();
        assert_eq!(error.path, "Disks[0].InstanceId", "{status}");
        says(&error.message, &["an id cannot be empty"]);
    }
    let disk = Disk {
        id: "d-1".into(),
        status: DiskStatus::InUse,
        instance_id: Some(String::new()),
        ..Disk::default()
    };
    let error = check_disk(&disk).unwrap_err();
    assert_eq!(error.path, "InstanceId");
    says(&error.message, &["an id cannot be empty"]);
    // A named instance passes this check (its existence is the world's).
    let named = Disk {
        instance_id: Some("i-1".into()),
        ..disk
    };
    assert!(check_disk(&named).is_ok());
}

/// A `Revision` that is not a string is refused with the accepted names.
#[test]
fn a_revision_of_the_wrong_type_is_refused_with_the_accepted_names() {
    for doc in [
        r#"{"Revision": 5}"#,
        r#"{"Revision": null}"#,
        r#"{"Revision": ["seed"]}"#,
    ] {
        let error = serde_json::from_str::<Policy>(doc).unwrap_err().to_string();
        says(&error, &["a revision name, one of seed, 2025-02-27"]);
    }
}

#[test]
fn a_change_under_way_whose_in_millis_is_no_whole_number_of_milliseconds_says_what_it_is() {
    let change = |millis: &str| {
        format!(
            r#"{{"Disks":[{{"DiskId":"d-1","Type":"data","Category":"cloud_essd","Status":"ReIniting","InstanceId":"i-1"}}],"Instances":[{{"InstanceId":"i-1","Status":"Stopped"}}],"Changes":[{{"InMillis":{millis},"Change":{{"Disk":{{"DiskId":"d-1","Expects":"ReIniting","Then":"In_use"}}}}}}]}}"#
        )
    };
    let expected = "expected milliseconds, a whole number from 0 to 18446744073709551615";
    for (millis, what) in [
        ("18446744073709551616", "18446744073709552000 is too large"),
        ("-1", "-1 is below 0"),
        ("-2e3", "-2000 is below 0"),
        ("1.5", "1.5 is not a whole number"),
    ] {
        let error = Scenario::from_json(&change(millis))
            .unwrap_err()
            .to_string();
        says(&error, &["Changes[0].InMillis", what, expected]);
    }
    // A whole number, however written, and the largest one are taken.
    for (millis, taken) in [("1e3", 1000), ("18446744073709551615", u64::MAX), ("0", 0)] {
        let scenario = Scenario::from_json(&change(millis)).unwrap();
        assert_eq!(scenario.changes[0].in_millis, taken, "{millis}");
    }
}
