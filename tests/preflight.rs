//! The preflight (src/analysis/preflight.rs), in process: captured
//! Describe* responses, the unknown facts they leave, their values taken
//! from the analysis space, and every outcome those lead to.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk::analysis::preflight::{
    Captured, Document, Documents, Intent, Listed, Listing, ShownDisk, ShownImage, ShownInstance,
    ShownSnapshot, Situation, SnapshotFacts,
};
use reinit_disk::analysis::{Class, Space};
use reinit_disk::checks::Fact;
use reinit_disk::model::{
    CreationTime, DiskCategory, DiskStatus, DiskType, ImageOwnerAlias, InstanceStatus, LockReason,
    LockSet, MultiAttach, OsType,
};
use reinit_disk::revision::{SEED, V2025_02_27};
use reinit_disk::{Check, Code, Policy, Revision};

fn listing<T>(file: &str, records: Vec<(&str, Result<T, String>)>) -> Listing<T> {
    Listing {
        file: file.to_owned(),
        complete: true,
        records: records
            .into_iter()
            .map(|(id, read)| Listed {
                id: id.to_owned(),
                read,
            })
            .collect(),
    }
}

/// A system disk of a stopped instance, every field the rules read shown.
fn system_disk() -> ShownDisk {
    ShownDisk {
        path: "Disks.Disk[0]".to_owned(),
        disk_type: DiskType::System,
        category: Some(DiskCategory::CloudEssd),
        status: Some(DiskStatus::InUse),
        instance_id: Some("i-1".to_owned()),
        image_id: Some("m-1".to_owned()),
        source_snapshot_id: None,
        multi_attach: Some(MultiAttach::Disabled),
        encrypted: Some(false),
        kms_key_id: None,
        locks: Some(LockSet::EMPTY),
    }
}

fn stopped_instance() -> ShownInstance {
    ShownInstance {
        status: Some(InstanceStatus::Stopped),
        os_type: Some(OsType::Linux),
        hibernation_configured: Some(false),
        io_optimized: Some(true),
        login_as_non_root: Some(false),
        locks: Some(LockSet::EMPTY),
        has_started: Some(true),
    }
}

/// Every response given, every fact shown: one situation.
fn known() -> Captured {
    Captured {
        disks: listing("disks.json", vec![("d-1", Ok(system_disk()))]),
        instances: listing("instances.json", vec![("i-1", Ok(stopped_instance()))]),
        images: Some(listing(
            "images.json",
            vec![(
                "m-1",
                Ok(ShownImage {
                    owner: Some(ImageOwnerAlias::System),
                    login_as_non_root_supported: Some(true),
                }),
            )],
        )),
        snapshots: Some(listing("snapshots.json", vec![])),
        key_pairs: Some(listing("key-pairs.json", vec![])),
    }
}

fn intent(disk_id: &str) -> Intent<'_> {
    Intent {
        disk_id,
        password_given: false,
        key_pair_name: None,
        auto_start: false,
    }
}

fn build(captured: &Captured, revision: &'static Revision) -> Situation {
    Situation::build(captured, &intent("d-1"), revision).unwrap()
}

/// The codes of every outcome, in the order the preflight gives them.
fn codes(situation: &mut Situation) -> Vec<Option<Code>> {
    situation
        .outcomes()
        .unwrap()
        .iter()
        .map(|o| o.decision.code)
        .collect()
}

/// The values of the unknown fact named `fact`.
fn values<'s>(situation: &'s Situation, fact: &str) -> Vec<&'s str> {
    let unknown = situation
        .unknowns
        .iter()
        .find(|u| u.fact == fact)
        .unwrap_or_else(|| panic!("no unknown {fact}: {:?}", situation.unknowns));
    unknown.values.iter().map(|c| c.label.as_str()).collect()
}

/// The classes of `fact`'s axis in `revision`'s space.
fn classes(revision: &'static Revision, fact: Fact) -> Vec<Class> {
    let space = Space::new(&[Policy::new(revision)]);
    let axis = space.axis(fact, None).unwrap();
    space.axes()[axis].classes.clone()
}

#[test]
fn a_situation_whose_every_fact_is_shown_is_one_situation_decided_as_its_scenario() {
    for revision in [&SEED, &V2025_02_27] {
        let mut situation = build(&known(), revision);
        assert!(situation.unknowns.is_empty(), "{:?}", situation.unknowns);
        assert_eq!(situation.count(), 1);
        let decided = situation.scenario.decide();
        let outcomes = situation.outcomes().unwrap();
        assert_eq!(outcomes.len(), 1);
        assert_eq!(outcomes[0].decision, decided);
        assert!(decided.accepted, "{decided:?}");
    }
}

#[test]
fn an_unknown_fact_takes_one_value_per_class_of_its_axis_in_the_space() {
    let mut captured = known();
    captured.instances = listing("instances.json", vec![]);
    captured.disks.records[0].read = Ok(ShownDisk {
        category: None,
        ..system_disk()
    });
    for revision in [&SEED, &V2025_02_27] {
        let situation = build(&captured, revision);
        let statuses = values(&situation, "instance i-1 Status");
        assert_eq!(
            statuses.len(),
            classes(revision, Fact::InstanceStatus).len()
        );
        assert_eq!(statuses[0], "Stopped");
        let categories = values(&situation, "disk d-1 Category");
        let expected: Vec<String> = classes(revision, Fact::Category)
            .into_iter()
            .map(|c| match c {
                Class::Category(c) => c.to_string(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(categories, expected);
    }
}

#[test]
fn a_status_the_checks_do_not_name_stands_for_every_status_but_those_they_name() {
    let mut captured = known();
    captured.instances = listing("instances.json", vec![]);
    let situation = build(&captured, &SEED);
    assert_eq!(
        values(&situation, "instance i-1 Status"),
        ["Stopped", "Pending (or any status but Stopped)"]
    );
}

#[test]
fn the_situations_are_the_product_of_the_unknown_facts_values_and_each_is_counted_once() {
    let mut captured = known();
    captured.instances = listing("instances.json", vec![]);
    captured.images = None;
    let mut situation = build(&captured, &V2025_02_27);
    let product: u64 = situation
        .unknowns
        .iter()
        .map(|u| u.values.len() as u64)
        .product();
    assert_eq!(situation.count(), product);
    let decided: u64 = situation
        .outcomes()
        .unwrap()
        .iter()
        .map(|o| o.situations)
        .sum();
    assert_eq!(decided, product);
}

#[test]
fn an_unlisted_instance_leads_to_every_code_of_the_instance_checks_it_could_fail() {
    let mut captured = known();
    captured.instances = listing("instances.json", vec![]);
    let mut situation = build(&captured, &SEED);
    assert_eq!(
        codes(&mut situation),
        [
            Some(Code::InstanceLockedForSecurity),
            Some(Code::InstanceExpiredOrInArrears),
            Some(Code::IncorrectInstanceStatus),
            None
        ]
    );
}

#[test]
fn an_unknown_kms_key_leads_to_every_code_its_check_declares() {
    let mut captured = known();
    captured.disks.records[0].read = Ok(ShownDisk {
        encrypted: Some(true),
        kms_key_id: Some("key-1".to_owned()),
        ..system_disk()
    });
    let mut situation = build(&captured, &V2025_02_27);
    let found = codes(&mut situation);
    for code in Check::KmsKeyUsable.decl().codes {
        assert!(found.contains(&Some(*code)), "{code}: {found:?}");
    }
    // One value per class of the key, one fact at a time: the plainest,
    // then each other class of its state, its authorization, its tag.
    let expected = classes(&V2025_02_27, Fact::KeyState).len()
        + classes(&V2025_02_27, Fact::KmsAuthorized).len()
        + classes(&V2025_02_27, Fact::KmsTagged).len()
        - 2;
    assert_eq!(
        values(&situation, "KMS key key-1 of disk d-1").len(),
        expected
    );
}

#[test]
fn an_unlisted_image_is_there_or_deleted_with_each_owner_class_of_the_space() {
    let mut captured = known();
    captured.images = None;
    let mut situation = build(&captured, &SEED);
    let owners = classes(&SEED, Fact::ImageOwner).len();
    assert_eq!(values(&situation, "image m-1").len(), 1 + owners);
    // Each deleted one is named by whose it is.
    let shown = values(&situation, "image m-1");
    assert_eq!(shown[0], "exists");
    for label in ["deleted, shared by another account", "deleted (public)"] {
        assert!(shown.contains(&label), "{shown:?}");
    }
    assert_eq!(
        codes(&mut situation),
        [
            Some(Code::InvalidDiskIdOperationNotSupported),
            Some(Code::SharedImageDeleted),
            None
        ]
    );
}

#[test]
fn the_witness_of_an_outcome_changes_the_fewest_unknown_facts() {
    // A data disk whose snapshots are not given: a snapshot of it may be
    // being created, and its source snapshot may be anything. A snapshot
    // being created refuses whatever the source snapshot: the witness
    // changes that fact only.
    let mut captured = known();
    captured.disks.records[0].read = Ok(ShownDisk {
        disk_type: DiskType::Data,
        image_id: None,
        source_snapshot_id: Some("s-1".to_owned()),
        ..system_disk()
    });
    captured.snapshots = None;
    let mut situation = build(&captured, &SEED);
    let outcomes = situation.outcomes().unwrap();
    let creating = outcomes
        .iter()
        .find(|o| o.decision.code == Some(Code::DiskCreatingSnapshot))
        .unwrap();
    assert_eq!(creating.situations, 3);
    assert_eq!(
        situation.changed(&creating.witness),
        [("a snapshot of disk d-1 is being created", "yes")]
    );
    let accepted = outcomes.iter().find(|o| o.decision.accepted).unwrap();
    assert!(situation.changed(&accepted.witness).is_empty());
}

#[test]
fn the_report_lists_each_unknown_fact_with_its_values_and_each_outcome_with_what_leads_there() {
    let mut captured = known();
    captured.disks.records[0].read = Ok(ShownDisk {
        disk_type: DiskType::Data,
        image_id: None,
        source_snapshot_id: Some("s-1".to_owned()),
        ..system_disk()
    });
    captured.snapshots = None;
    let mut situation = build(&captured, &SEED);
    let outcomes = situation.outcomes().unwrap();
    let report = situation.report("d-1", &outcomes);
    assert_eq!((report.disk_id, report.revision), ("d-1", "seed"));
    assert!(!report.known);
    assert_eq!(report.decision, situation.scenario.decide());
    assert_eq!(report.assumed, situation.assumed.as_slice());
    let unknown: Vec<(&str, &str, Vec<&str>)> = (report.unknown.iter())
        .map(|u| (u.fact, u.why, u.values.clone()))
        .collect();
    let expected: Vec<(&str, &str, Vec<&str>)> = (situation.unknowns.iter())
        .map(|u| (u.fact.as_str(), u.why.as_str(), values(&situation, &u.fact)))
        .collect();
    assert_eq!(unknown, expected);
    assert_eq!(report.outcomes.len(), outcomes.len());
    for (shown, outcome) in report.outcomes.iter().zip(&outcomes) {
        let decision = &outcome.decision;
        assert_eq!(
            (shown.accepted, shown.http_status, shown.code, shown.check),
            (
                decision.accepted,
                decision.http_status,
                decision.code,
                decision.check
            )
        );
        assert_eq!(shown.situations, outcome.situations);
        let when: Vec<(&str, &str)> = shown.when.iter().map(|v| (v.fact, v.value)).collect();
        assert_eq!(when, situation.changed(&outcome.witness));
    }
    let creating = (report.outcomes.iter())
        .find(|o| o.code == Some(Code::DiskCreatingSnapshot))
        .unwrap();
    assert_eq!(creating.http_status, 403);
    assert_eq!(creating.when.len(), 1);
    // One JSON object, its fields in ECS's casing and in this order.
    let json = serde_json::to_string(&report).unwrap();
    assert!(
        json.starts_with(r#"{"DiskId":"d-1","Revision":"seed","Known":false,"Decision":{"#),
        "{json}"
    );
    assert!(json.contains(r#""Unknown":[{"Fact":"#), "{json}");
    assert!(
        json.contains(
            r#""When":[{"Fact":"a snapshot of disk d-1 is being created","Value":"yes"}]"#
        ),
        "{json}"
    );
    // Every fact known: one outcome, nothing unknown.
    let mut situation = build(&known(), &SEED);
    let outcomes = situation.outcomes().unwrap();
    let report = situation.report("d-1", &outcomes);
    assert!(report.known && report.unknown.is_empty());
    assert_eq!(report.outcomes.len(), 1);
    assert!(report.outcomes[0].accepted && report.outcomes[0].when.is_empty());
}

#[test]
fn a_source_snapshot_not_listed_is_on_each_side_of_the_revisions_boundary_or_deleted() {
    let mut captured = known();
    captured.disks.records[0].read = Ok(ShownDisk {
        disk_type: DiskType::Data,
        image_id: None,
        source_snapshot_id: Some("s-1".to_owned()),
        ..system_disk()
    });
    captured.snapshots = None;
    for revision in [&SEED, &V2025_02_27] {
        let mut situation = build(&captured, revision);
        let boundary = revision.too_old_before;
        assert_eq!(
            values(&situation, "snapshot s-1"),
            [
                format!("exists, created on or after {boundary}"),
                format!("exists, created before {boundary} (too old)"),
                "deleted".to_owned()
            ]
        );
        let found = codes(&mut situation);
        assert!(
            found.contains(&Some(Code::InvalidSnapshotTooOld)),
            "{found:?}"
        );
        assert!(
            found.contains(&Some(Code::InvalidSourceSnapshot)),
            "{found:?}"
        );
    }
}

#[test]
fn a_disk_the_responses_do_not_list_is_an_error_naming_the_file_and_the_disks_listed() {
    let error = Situation::build(&known(), &intent("d-9"), &SEED).unwrap_err();
    assert_eq!(
        error,
        "disks.json: Disks.Disk: no disk \"d-9\" (it lists \"d-1\"); give the DescribeDisks response that lists it"
    );
    // None listed; ten shown whole; past ten, the first ten and "...".
    let with_disks = |n: usize| {
        let mut captured = known();
        captured.disks = listing(
            "disks.json",
            (0..n)
                .map(|i| (&*format!("d-{i:02}").leak(), Ok(system_disk())))
                .collect(),
        );
        Situation::build(&captured, &intent("d-99"), &SEED).unwrap_err()
    };
    assert!(
        with_disks(0).contains("(it lists no disk)"),
        "{}",
        with_disks(0)
    );
    let ten = with_disks(10);
    assert!(ten.contains("\"d-09\")") && !ten.contains("..."), "{ten}");
    let eleven = with_disks(11);
    assert!(
        eleven.contains("\"d-08\", \"d-09\", ...)") && !eleven.contains("d-10"),
        "{eleven}"
    );
}

#[test]
fn an_unknown_lock_set_takes_none_then_each_reason_the_checks_tell_apart_once() {
    for revision in [&SEED, &V2025_02_27] {
        let mut captured = known();
        captured.disks.records[0].read = Ok(ShownDisk {
            locks: None,
            ..system_disk()
        });
        captured.instances.records[0].read = Ok(ShownInstance {
            locks: None,
            ..stopped_instance()
        });
        let situation = build(&captured, revision);
        for (fact, axis) in [
            ("disk d-1 OperationLocks", Fact::DiskLocks),
            ("instance i-1 OperationLocks", Fact::InstanceLocks),
        ] {
            let shown = values(&situation, fact);
            let alone: Vec<String> = classes(revision, axis)
                .into_iter()
                .filter_map(|c| match c {
                    Class::Locks(set) if set.iter().count() == 1 => set.iter().next(),
                    _ => None,
                })
                .map(|r| {
                    if r == LockReason::Financial {
                        "financial (or any overdue-payment lock)".to_owned()
                    } else {
                        r.to_string()
                    }
                })
                .collect();
            let mut expected = vec!["none".to_owned()];
            expected.extend(alone);
            assert_eq!(shown, expected, "{revision}");
            let mut distinct = shown.clone();
            distinct.sort_unstable();
            distinct.dedup();
            assert_eq!(distinct.len(), shown.len(), "{revision}: {shown:?}");
        }
    }
}

#[test]
fn a_record_that_cannot_be_read_stops_the_preflight_only_when_the_preflight_reads_it() {
    let mut captured = known();
    captured.instances.records.push(Listed {
        id: "i-other".to_owned(),
        read: Err("instances.json: Instances.Instance[1].Status: not a status".to_owned()),
    });
    captured.snapshots = Some(listing(
        "snapshots.json",
        vec![(
            "s-other",
            Ok(ShownSnapshot {
                source_disk_id: Some("d-other".to_owned()),
                facts: Err("snapshots.json: Snapshots.Snapshot[0].Status: strange".to_owned()),
            }),
        )],
    ));
    assert!(Situation::build(&captured, &intent("d-1"), &SEED).is_ok());
    captured.instances.records[0].read =
        Err("instances.json: Instances.Instance[0].Status: not a status".to_owned());
    assert_eq!(
        Situation::build(&captured, &intent("d-1"), &SEED).unwrap_err(),
        "instances.json: Instances.Instance[0].Status: not a status"
    );
}

#[test]
fn a_snapshot_of_the_disk_being_created_is_read_from_the_snapshots_listed() {
    let mut captured = known();
    captured.snapshots = Some(listing(
        "snapshots.json",
        vec![(
            "s-own",
            Ok(ShownSnapshot {
                source_disk_id: Some("d-1".to_owned()),
                facts: Ok(SnapshotFacts {
                    creation_time: Some(CreationTime::MIN),
                    progressing: Some(true),
                    instant_access: Some(false),
                }),
            }),
        )],
    ));
    let mut situation = build(&captured, &SEED);
    assert!(situation.unknowns.is_empty(), "{:?}", situation.unknowns);
    assert_eq!(codes(&mut situation), [Some(Code::DiskCreatingSnapshot)]);
}

#[test]
fn a_fact_only_a_later_revision_reads_is_unknown_only_under_that_revision() {
    let mut captured = known();
    captured.disks.records[0].read = Ok(ShownDisk {
        multi_attach: None,
        encrypted: None,
        ..system_disk()
    });
    captured.instances.records[0].read = Ok(ShownInstance {
        hibernation_configured: None,
        io_optimized: None,
        login_as_non_root: None,
        ..stopped_instance()
    });
    let facts = |revision: &'static Revision| -> Vec<String> {
        build(&captured, revision)
            .unknowns
            .iter()
            .map(|u| u.fact.clone())
            .collect()
    };
    // The seed revision reads none of them: every situation is one.
    assert_eq!(facts(&SEED), Vec::<String>::new());
    assert_eq!(
        facts(&V2025_02_27),
        [
            "disk d-1 MultiAttach",
            "disk d-1 Encrypted, and its KMS key",
            "instance i-1 HibernationOptions.Configured",
            "instance i-1 IoOptimized",
            "instance i-1 ImageOptions.LoginAsNonRoot"
        ]
    );
}

/// The answers of `known()`, as the official CLI prints them.
const DISKS: &str = r#"{"Disks": {"Disk": [
    {"DiskId": "d-1", "Type": "system", "Category": "cloud_essd", "Status": "In_use",
     "InstanceId": "i-1", "ImageId": "m-1", "MultiAttach": "Disabled", "Encrypted": false,
     "OperationLocks": {"OperationLock": []}},
    {"DiskId": "d-2", "Type": "data", "Status": "Weird", "InstanceId": "",
     "Attachments": {"Attachment": [{"InstanceId": "i-2"}]}, "ImageId": "m-9"}
]}, "TotalCount": 2, "RequestId": "r-1"}"#;
const INSTANCES: &str = r#"[{"Instances": {"Instance": [{"InstanceId": "i-1", "Status": "Stopped",
    "OSType": "linux", "HibernationOptions": {"Configured": false}, "IoOptimized": true,
    "ImageOptions": {"LoginAsNonRoot": false}, "OperationLocks": {"LockReason": []}}]},
    "TotalCount": 3}]"#;
const IMAGES: &str = r#"{"Images": {"Image": [{"ImageId": "m-1", "ImageOwnerAlias": "system",
    "LoginAsNonRootSupported": true}]}}"#;
const SNAPSHOTS: &str = r#"{"Snapshots": {"Snapshot": [{"SnapshotId": "s-1", "SourceDiskId": "d-1",
    "Status": "progressing", "CreationTime": "2024-05-01T00:00:00Z", "InstantAccess": false},
    {"SnapshotId": "s-2", "SourceDiskId": "d-2", "Status": "done"}]}}"#;
const KEY_PAIRS: &str = r#"{"KeyPairs": {"KeyPair": [{"KeyPairName": "kp-1"}]}}"#;

fn documents<'a>(disks: &'a str) -> Documents<'a> {
    let document = |file, text| Document { file, text };
    Documents {
        disks: document("disks.json", disks),
        instances: document("instances.json", INSTANCES),
        images: Some(document("images.json", IMAGES)),
        snapshots: Some(document("snapshots.json", SNAPSHOTS)),
        key_pairs: Some(document("key-pairs.json", KEY_PAIRS)),
    }
}

#[test]
fn captured_answers_are_read_down_to_what_the_rules_read() {
    let captured = Captured::from_documents(&documents(DISKS)).unwrap();
    let disk = captured.disks.get("d-1").unwrap().read.as_ref().unwrap();
    assert_eq!(disk.path, "Disks.Disk[0]");
    assert_eq!(disk.disk_type, DiskType::System);
    assert_eq!(disk.category, Some(DiskCategory::CloudEssd));
    assert_eq!(disk.status, Some(DiskStatus::InUse));
    assert_eq!(disk.instance_id.as_deref(), Some("i-1"));
    assert_eq!(disk.image_id.as_deref(), Some("m-1"));
    assert_eq!(disk.multi_attach, Some(MultiAttach::Disabled));
    assert_eq!(
        (disk.encrypted, disk.locks),
        (Some(false), Some(LockSet::EMPTY))
    );
    assert!(captured.disks.complete);
    // A second page of instances is not given: the listing is not complete.
    assert!(!captured.instances.complete);
    let instance = captured
        .instances
        .get("i-1")
        .unwrap()
        .read
        .as_ref()
        .unwrap();
    assert_eq!(instance.status, Some(InstanceStatus::Stopped));
    assert_eq!(instance.os_type, Some(OsType::Linux));
    assert_eq!(instance.locks, Some(LockSet::EMPTY));
    let image = captured.images.as_ref().unwrap().get("m-1").unwrap();
    assert_eq!(
        image.read.as_ref().unwrap().owner,
        Some(ImageOwnerAlias::System)
    );
    let snapshots = captured.snapshots.as_ref().unwrap();
    let s1 = snapshots.get("s-1").unwrap().read.as_ref().unwrap();
    assert_eq!(s1.source_disk_id.as_deref(), Some("d-1"));
    assert_eq!(s1.facts.as_ref().unwrap().progressing, Some(true));
    let ids: Vec<&str> = (captured.key_pairs.as_ref().unwrap().records.iter())
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(ids, ["kp-1"]);
    // Read as the hand-written `known()` is, with a snapshot being created.
    let mut situation = build(&captured, &SEED);
    assert!(situation.unknowns.is_empty(), "{:?}", situation.unknowns);
    assert_eq!(codes(&mut situation), [Some(Code::DiskCreatingSnapshot)]);
}

#[test]
fn a_record_the_preflight_reads_is_refused_by_file_path_and_field_and_others_only_when_read() {
    let captured = Captured::from_documents(&documents(DISKS)).unwrap();
    // d-2's strange Status and s-2's are kept with their records.
    let d2 = captured
        .disks
        .get("d-2")
        .unwrap()
        .read
        .as_ref()
        .unwrap_err();
    assert_eq!(
        d2,
        "disks.json: Disks.Disk[1].Status: \"Weird\" is not a disk Status: expected one of In_use, Available, Attaching, Detaching, Creating, ReIniting"
    );
    let s2 = captured.snapshots.as_ref().unwrap().get("s-2").unwrap();
    assert_eq!(
        s2.read.as_ref().unwrap().facts.as_ref().unwrap_err(),
        "snapshots.json: Snapshots.Snapshot[1].Status: \"done\" is not a snapshot Status: expected one of progressing, accomplished, failed"
    );
    assert!(Situation::build(&captured, &intent("d-1"), &SEED).is_ok());
    assert_eq!(
        Situation::build(&captured, &intent("d-2"), &SEED).unwrap_err(),
        d2.as_str()
    );
    for (disks, error) in [
        (
            INSTANCES,
            "disks.json: .: no \"Disks\" field (this looks like a DescribeInstances response): expected a DescribeDisks response, {\"Disks\": {\"Disk\": [...]}, ...}",
        ),
        (
            r#"{"Disks": {"Disk": [{"DiskId": ""}]}}"#,
            "disks.json: Disks.Disk[0].DiskId: an id cannot be empty",
        ),
        (
            r#"{"Disks": {"Disk": [{"Type": "data"}]}}"#,
            "disks.json: Disks.Disk[0]: no DiskId field",
        ),
        (
            "{",
            "disks.json: not valid JSON: EOF while parsing an object at line 1 column 1 (expected a DescribeDisks response)",
        ),
        // A field of the wrong type: its path, not "not valid JSON".
        (
            r#"{"Disks": {"Disk": [{"DiskId": "d-1", "Size": "forty"}]}}"#,
            "disks.json: Disks.Disk[0].Size: invalid type: string \"forty\", expected i64 at line 1 column 53",
        ),
    ] {
        assert_eq!(
            Captured::from_documents(&documents(disks)).unwrap_err(),
            error
        );
    }
}

#[test]
fn an_instance_whose_start_time_is_empty_never_started_and_one_without_it_is_assumed_started() {
    const ASSUMED: &str = "an instance that is Stopped has been started at least once";
    for revision in [&SEED, &V2025_02_27] {
        // StartTime shown, not empty: started, nothing assumed.
        let started = build(&known(), revision);
        assert!(!started.assumed.contains(&ASSUMED), "{:?}", started.assumed);
        assert!(started.scenario.decide().accepted);
        // StartTime shown empty: never started, as the world says.
        let mut captured = known();
        captured.instances.records[0].read = Ok(ShownInstance {
            has_started: Some(false),
            ..stopped_instance()
        });
        let never = build(&captured, revision);
        assert!(!never.assumed.contains(&ASSUMED), "{:?}", never.assumed);
        assert!(!never.scenario.instances[0].has_started);
        let decided = never.scenario.decide();
        assert!(!decided.accepted, "{}: {decided:?}", revision.name);
        // No StartTime: assumed started, and said so first.
        captured.instances.records[0].read = Ok(ShownInstance {
            has_started: None,
            ..stopped_instance()
        });
        let assumed = build(&captured, revision);
        assert_eq!(
            assumed.assumed.first(),
            Some(&ASSUMED),
            "{:?}",
            assumed.assumed
        );
        assert!(assumed.scenario.instances[0].has_started);
        assert!(assumed.scenario.decide().accepted);
    }
}

#[test]
fn the_locks_of_a_captured_disk_and_instance_are_read() {
    let disks = r#"{"Disks": {"Disk": [{"DiskId": "d-1", "Type": "system", "Category": "cloud_essd",
        "Status": "In_use", "InstanceId": "i-1", "ImageId": "m-1",
        "OperationLocks": {"OperationLock": [{"LockReason": "financial"}]}}]}}"#;
    let captured = Captured::from_documents(&documents(disks)).unwrap();
    let disk = captured.disks.get("d-1").unwrap().read.as_ref().unwrap();
    assert_eq!(disk.locks, Some(LockSet::EMPTY.with(LockReason::Financial)));
    let mut situation = build(&captured, &SEED);
    assert_eq!(
        codes(&mut situation),
        [Some(Code::InstanceExpiredOrInArrears)]
    );
}

#[test]
fn a_system_disk_without_its_image_or_an_in_use_disk_without_its_instance_is_refused_at_the_field()
{
    let disks = r#"{"Disks": {"Disk": [
        {"DiskId": "d-1", "Type": "system", "Status": "In_use", "InstanceId": "i-1"},
        {"DiskId": "d-2", "Type": "data", "Status": "In_use", "InstanceId": ""},
        {"DiskId": "d-3", "Type": "data", "Status": "Available", "InstanceId": ""}]}}"#;
    let captured = Captured::from_documents(&documents(disks)).unwrap();
    let read = |id: &str| captured.disks.get(id).unwrap().read.clone();
    assert_eq!(
        read("d-1").unwrap_err(),
        "disks.json: Disks.Disk[0].ImageId: missing: a system disk comes from an image (DescribeDisks shows its ImageId)"
    );
    assert_eq!(
        read("d-2").unwrap_err(),
        "disks.json: Disks.Disk[1].InstanceId: missing: a disk whose Status is In_use is attached, and DescribeDisks shows its InstanceId (or Attachments)"
    );
    // Available with an empty InstanceId is a detached disk, as ECS shows it.
    let d3 = read("d-3").unwrap();
    assert_eq!(
        (d3.status, d3.instance_id),
        (Some(DiskStatus::Available), None)
    );
}

#[test]
fn an_instance_start_time_is_read_as_whether_it_ever_started() {
    let instances = r#"{"Instances": {"Instance": [
        {"InstanceId": "i-1", "Status": "Stopped", "StartTime": "2024-06-03T08:16Z"},
        {"InstanceId": "i-2", "Status": "Stopped", "StartTime": ""},
        {"InstanceId": "i-3", "Status": "Stopped"}]}}"#;
    let mut docs = documents(DISKS);
    docs.instances = Document {
        file: "instances.json",
        text: instances,
    };
    let captured = Captured::from_documents(&docs).unwrap();
    let started = |id: &str| {
        let listed = captured.instances.get(id).unwrap();
        listed.read.as_ref().unwrap().has_started
    };
    assert_eq!(
        [started("i-1"), started("i-2"), started("i-3")],
        [Some(true), Some(false), None]
    );
}

/// `known()` with a complete snapshots listing of `snapshots`.
fn with_snapshots(snapshots: Vec<(&str, Option<&str>, Option<bool>)>) -> Captured {
    let mut captured = known();
    let records = snapshots
        .into_iter()
        .map(|(id, disk, progressing)| {
            (
                id,
                Ok(ShownSnapshot {
                    source_disk_id: disk.map(str::to_owned),
                    facts: Ok(SnapshotFacts {
                        creation_time: Some(CreationTime::MIN),
                        progressing,
                        instant_access: Some(false),
                    }),
                }),
            )
        })
        .collect();
    captured.snapshots = Some(listing("snapshots.json", records));
    captured
}

/// Whether the preflight of `captured` leaves "a snapshot of disk d-1 is
/// being created" unknown.
fn creating_unknown(captured: &Captured) -> bool {
    let situation = build(captured, &V2025_02_27);
    situation
        .unknowns
        .iter()
        .any(|u| u.fact == "a snapshot of disk d-1 is being created")
}

#[test]
fn whether_a_snapshot_of_the_disk_is_being_created_is_read_from_a_complete_listing() {
    // The disk's own snapshot, done: known, no snapshot under way.
    let done = with_snapshots(vec![("s-9", Some("d-1"), Some(false))]);
    assert!(!creating_unknown(&done));
    let mut situation = build(&done, &V2025_02_27);
    assert_eq!(situation.count(), 1);
    assert!(situation.outcomes().unwrap()[0].decision.accepted);
    // One under way: known, refused.
    let under_way = with_snapshots(vec![("s-9", Some("d-1"), Some(true))]);
    assert!(!creating_unknown(&under_way));
    let mut situation = build(&under_way, &V2025_02_27);
    assert_eq!(codes(&mut situation), [Some(Code::DiskCreatingSnapshot)]);
    // A snapshot that does not say its disk, or whose status is not
    // shown: unknown, even in a complete listing.
    for unsure in [
        with_snapshots(vec![("s-9", None, Some(true))]),
        with_snapshots(vec![("s-9", Some("d-1"), None)]),
        with_snapshots(vec![
            ("s-8", Some("d-1"), Some(false)),
            ("s-9", None, Some(true)),
        ]),
    ] {
        assert!(creating_unknown(&unsure), "{:?}", unsure.snapshots);
    }
    // A snapshot that does not say its disk but is done tells nothing
    // either way; another disk's snapshots say nothing of this one.
    assert!(!creating_unknown(&with_snapshots(vec![(
        "s-9",
        None,
        Some(false)
    )])));
    assert!(!creating_unknown(&with_snapshots(vec![(
        "s-9",
        Some("d-2"),
        Some(true)
    )])));
}

#[test]
fn a_choice_shows_its_label_when_debugged() {
    let mut captured = known();
    captured.snapshots = None;
    let situation = build(&captured, &SEED);
    let shown = format!("{:?}", situation.unknowns);
    assert!(shown.contains(r#"Choice { label: "yes", .. }"#), "{shown}");
}

#[test]
fn a_password_given_is_assumed_well_formed_only_where_the_revision_checks_it() {
    let with_password = Intent {
        password_given: true,
        ..intent("d-1")
    };
    let assumed = |revision: &'static Revision| {
        Situation::build(&known(), &with_password, revision)
            .unwrap()
            .assumed
            .contains(&"the password is well-formed for the instance")
    };
    assert!(assumed(&V2025_02_27));
    assert!(!assumed(&SEED));
    // Without one, nothing is assumed of it.
    let situation = build(&known(), &V2025_02_27);
    assert!(
        !situation
            .assumed
            .contains(&"the password is well-formed for the instance")
    );
}

#[test]
fn the_scenarios_disk_is_the_shown_disk_its_source_by_its_type() {
    let disk_of = |shown: ShownDisk| {
        let mut captured = known();
        captured.disks.records[0].read = Ok(shown);
        build(&captured, &V2025_02_27).scenario.disks[0].clone()
    };
    // Each fact shown, none the default.
    let disk = disk_of(ShownDisk {
        category: Some(DiskCategory::CloudEfficiency),
        status: Some(DiskStatus::ReIniting),
        multi_attach: Some(MultiAttach::Enabled),
        locks: Some(LockSet::EMPTY.with(LockReason::Financial)),
        ..system_disk()
    });
    assert_eq!(disk.id, "d-1");
    assert_eq!(disk.category, DiskCategory::CloudEfficiency);
    assert_eq!(disk.status, DiskStatus::ReIniting);
    assert_eq!(disk.instance_id.as_deref(), Some("i-1"));
    assert_eq!(disk.multi_attach, MultiAttach::Enabled);
    assert_eq!(
        disk.operation_locks,
        LockSet::EMPTY.with(LockReason::Financial)
    );
    // A status not shown: In_use on an instance, else Available.
    let unattached = disk_of(ShownDisk {
        status: None,
        instance_id: None,
        disk_type: DiskType::Data,
        image_id: None,
        ..system_disk()
    });
    assert_eq!(unattached.status, DiskStatus::Available);
    // A data disk is made from its snapshot even when it shows an image.
    let data = ShownDisk {
        disk_type: DiskType::Data,
        image_id: Some("m-1".to_owned()),
        source_snapshot_id: Some("s-1".to_owned()),
        ..system_disk()
    };
    assert_eq!(
        disk_of(data.clone()).source,
        reinit_disk::model::DiskSource::Snapshot {
            snapshot_id: "s-1".to_owned()
        }
    );
    // A data disk that shows only an image was made empty.
    let from_image_only = ShownDisk {
        source_snapshot_id: None,
        ..data
    };
    assert_eq!(
        disk_of(from_image_only).source,
        reinit_disk::model::DiskSource::Empty
    );
    // A system disk is made from its image, never from a snapshot it shows.
    let system = disk_of(ShownDisk {
        source_snapshot_id: Some("s-1".to_owned()),
        ..system_disk()
    });
    assert!(
        matches!(system.source, reinit_disk::model::DiskSource::Image { ref image_id, .. } if image_id == "m-1"),
        "{:?}",
        system.source
    );
    let no_image = disk_of(ShownDisk {
        image_id: None,
        source_snapshot_id: Some("s-1".to_owned()),
        ..system_disk()
    });
    assert_eq!(no_image.source, reinit_disk::model::DiskSource::Empty);
}

#[test]
fn an_attached_disks_unknown_status_takes_each_status_the_checks_tell_apart_for_an_attached_disk() {
    for revision in [&SEED, &V2025_02_27] {
        let mut captured = known();
        captured.disks.records[0].read = Ok(ShownDisk {
            status: None,
            ..system_disk()
        });
        let situation = build(&captured, revision);
        let expected: Vec<String> = classes(revision, Fact::Attachment)
            .into_iter()
            .filter_map(|c| match c {
                Class::Attachment {
                    status,
                    attached: true,
                } => Some(status.to_string()),
                _ => None,
            })
            .collect();
        assert!(expected.len() >= 2, "{expected:?}");
        assert_eq!(
            values(&situation, "disk d-1 Status"),
            expected,
            "{revision}"
        );
    }
}

#[test]
fn logon_as_non_root_in_the_region_is_assumed_for_a_system_disk_only() {
    let region = "the region supports logon as non-root";
    assert!(build(&known(), &V2025_02_27).assumed.contains(&region));
    let mut captured = known();
    captured.disks.records[0].read = Ok(ShownDisk {
        disk_type: DiskType::Data,
        image_id: None,
        ..system_disk()
    });
    assert!(!build(&captured, &V2025_02_27).assumed.contains(&region));
}

#[test]
fn a_snapshot_of_the_disk_with_instant_access_is_in_the_world_where_the_revision_reads_it() {
    let with_instant = |instant: Option<bool>| {
        let mut captured = with_snapshots(vec![("s-9", Some("d-1"), Some(false))]);
        if let Some(listing) = captured.snapshots.as_mut() {
            if let Ok(shown) = listing.records[0].read.as_mut() {
                if let Ok(facts) = shown.facts.as_mut() {
                    facts.instant_access = instant;
                }
            }
        }
        captured
    };
    let instant_fact = "a snapshot of disk d-1 has InstantAccess";
    // Shown with instant access: the world has a snapshot of the disk
    // with it, known.
    let situation = build(&with_instant(Some(true)), &V2025_02_27);
    let made: Vec<_> = (situation.scenario.snapshots.iter())
        .filter(|s| s.source_disk_id.as_deref() == Some("d-1"))
        .collect();
    assert_eq!(made.len(), 1, "{:?}", situation.scenario.snapshots);
    assert!(made[0].instant_access);
    assert!(!situation.unknowns.iter().any(|u| u.fact == instant_fact));
    // Shown without: no such snapshot.
    let situation = build(&with_instant(Some(false)), &V2025_02_27);
    assert!(
        !(situation.scenario.snapshots.iter()).any(|s| s.source_disk_id.as_deref() == Some("d-1"))
    );
    // Not shown: a snapshot of the disk, its instant access unknown (no
    // at first).
    let situation = build(&with_instant(None), &V2025_02_27);
    let made: Vec<_> = (situation.scenario.snapshots.iter())
        .filter(|s| s.source_disk_id.as_deref() == Some("d-1"))
        .collect();
    assert_eq!(made.len(), 1);
    assert!(!made[0].instant_access);
    assert_eq!(values(&situation, instant_fact), ["no", "yes"]);
    // The seed revision reads no instant access: no snapshot, no unknown.
    let situation = build(&with_instant(None), &SEED);
    assert!(
        !(situation.scenario.snapshots.iter()).any(|s| s.source_disk_id.as_deref() == Some("d-1"))
    );
    assert!(!situation.unknowns.iter().any(|u| u.fact == instant_fact));
}

#[test]
fn an_unlisted_source_snapshot_is_first_taken_not_too_old_and_not_deleted() {
    let mut captured = known();
    captured.disks.records[0].read = Ok(ShownDisk {
        disk_type: DiskType::Data,
        image_id: None,
        source_snapshot_id: Some("s-1".to_owned()),
        ..system_disk()
    });
    captured.snapshots = Some(listing("snapshots.json", vec![]));
    for revision in [&SEED, &V2025_02_27] {
        let situation = build(&captured, revision);
        let source = (situation.scenario.snapshots.iter())
            .find(|s| s.id == "s-1")
            .unwrap();
        let first = match classes(revision, Fact::TooOldBoundary)[0] {
            Class::Created(t) => t,
            ref other => panic!("{other:?}"),
        };
        assert_eq!(source.creation_time, first, "{revision}");
        assert!(
            source.creation_time >= revision.too_old_before,
            "{revision}"
        );
        assert!(!source.deleted, "{revision}");
    }
}

#[test]
fn an_instances_unknown_os_type_takes_each_os_the_checks_tell_apart_when_a_logon_is_set() {
    let mut captured = known();
    captured.instances.records[0].read = Ok(ShownInstance {
        os_type: None,
        ..stopped_instance()
    });
    let with_password = Intent {
        password_given: true,
        ..intent("d-1")
    };
    let situation = Situation::build(&captured, &with_password, &V2025_02_27).unwrap();
    let expected: Vec<String> = classes(&V2025_02_27, Fact::OsType)
        .into_iter()
        .filter_map(|c| match c {
            Class::OsType(os) => Some(os.to_string()),
            _ => None,
        })
        .collect();
    assert!(expected.len() >= 2, "{expected:?}");
    assert_eq!(values(&situation, "instance i-1 OSType"), expected);
    let first = expected[0].clone();
    assert_eq!(situation.scenario.instances[0].os_type.to_string(), first);
}

#[test]
fn the_scenarios_instance_is_the_shown_instance_fact_for_fact() {
    let mut captured = known();
    captured.instances.records[0].read = Ok(ShownInstance {
        status: Some(InstanceStatus::Running),
        os_type: Some(OsType::Windows),
        hibernation_configured: Some(true),
        io_optimized: Some(false),
        login_as_non_root: Some(true),
        locks: Some(LockSet::EMPTY.with(LockReason::Security)),
        has_started: Some(false),
    });
    let situation = build(&captured, &V2025_02_27);
    let instance = &situation.scenario.instances[0];
    assert_eq!(instance.id, "i-1");
    assert_eq!(instance.status, InstanceStatus::Running);
    assert_eq!(instance.os_type, OsType::Windows);
    assert!(instance.hibernation_configured);
    assert!(!instance.io_optimized);
    assert!(instance.login_as_non_root);
    assert_eq!(
        instance.operation_locks,
        LockSet::EMPTY.with(LockReason::Security)
    );
    assert!(!instance.has_started);
}

#[test]
fn a_key_pair_named_empty_is_no_key_pair_and_an_os_is_unknown_only_for_a_logon() {
    let mut captured = known();
    captured.instances.records[0].read = Ok(ShownInstance {
        os_type: None,
        ..stopped_instance()
    });
    let os_unknown = |intent: &Intent<'_>| {
        Situation::build(&captured, intent, &V2025_02_27)
            .unwrap()
            .unknowns
            .iter()
            .any(|u| u.fact == "instance i-1 OSType")
    };
    assert!(!os_unknown(&intent("d-1")));
    assert!(!os_unknown(&Intent {
        key_pair_name: Some(""),
        ..intent("d-1")
    }));
    assert!(os_unknown(&Intent {
        key_pair_name: Some("kp-1"),
        ..intent("d-1")
    }));
    assert!(os_unknown(&Intent {
        password_given: true,
        ..intent("d-1")
    }));
    // An empty KeyPairName names no key pair to look up.
    let situation = Situation::build(
        &known(),
        &Intent {
            key_pair_name: Some(""),
            ..intent("d-1")
        },
        &V2025_02_27,
    )
    .unwrap();
    assert!(situation.scenario.key_pairs.is_empty());
    assert!(
        !situation
            .unknowns
            .iter()
            .any(|u| u.fact.contains("key pair"))
    );
    // A named one the key pairs response lists is the account's.
    let mut captured = known();
    captured.key_pairs = Some(listing("key-pairs.json", vec![("kp-1", Ok(()))]));
    let situation = Situation::build(
        &captured,
        &Intent {
            key_pair_name: Some("kp-1"),
            ..intent("d-1")
        },
        &V2025_02_27,
    )
    .unwrap();
    let names: Vec<&str> = (situation.scenario.key_pairs.iter())
        .map(|k| k.name.as_str())
        .collect();
    assert_eq!(names, ["kp-1"]);
}

#[test]
fn a_key_pair_is_known_listed_or_not_from_a_complete_listing_and_else_unknown_on_a_system_disk() {
    let with_key = Intent {
        key_pair_name: Some("kp-1"),
        ..intent("d-1")
    };
    let outcome = |key_pairs: Option<Listing<()>>, disk: ShownDisk, revision: &'static Revision| {
        let mut captured = known();
        captured.key_pairs = key_pairs;
        captured.disks.records[0].read = Ok(disk);
        let situation = Situation::build(&captured, &with_key, revision).unwrap();
        let names: Vec<String> = (situation.scenario.key_pairs.iter())
            .map(|k| k.name.clone())
            .collect();
        let unknown = (situation.unknowns.iter())
            .find(|u| u.fact == "key pair kp-1")
            .map(|u| u.why.clone());
        (names, unknown)
    };
    let complete = |names: &[&str]| {
        Some(listing(
            "key-pairs.json",
            names.iter().map(|n| (*n, Ok(()))).collect(),
        ))
    };
    let partial = {
        let mut l = listing("key-pairs.json", vec![("kp-2", Ok(()))]);
        l.complete = false;
        Some(l)
    };
    let kp = vec!["kp-1".to_owned()];
    // Listed: known to exist.
    assert_eq!(
        outcome(complete(&["kp-1"]), system_disk(), &V2025_02_27),
        (kp.clone(), None)
    );
    // A complete listing without it: known not to exist.
    assert_eq!(
        outcome(complete(&["kp-2"]), system_disk(), &V2025_02_27),
        (vec![], None)
    );
    // A partial listing without it, or none: unknown (it exists at first).
    let (names, why) = outcome(partial.clone(), system_disk(), &V2025_02_27);
    assert_eq!(names, kp);
    assert!(why.unwrap().contains("TotalCount"));
    let (names, why) = outcome(None, system_disk(), &V2025_02_27);
    assert_eq!(names, kp);
    assert_eq!(why.as_deref(), Some("no --key-pairs response"));
    // Only a system disk's key pair matters, and only where the revision
    // reads it.
    let data = ShownDisk {
        disk_type: DiskType::Data,
        image_id: None,
        ..system_disk()
    };
    assert_eq!(outcome(None, data, &V2025_02_27).1, None);
    assert_eq!(outcome(None, system_disk(), &SEED).1, None);
}

#[test]
fn each_outcomes_witness_is_the_first_situation_of_its_fewest_unknown_facts_away() {
    let mut captured = known();
    captured.disks.records[0].read = Ok(ShownDisk {
        disk_type: DiskType::Data,
        image_id: None,
        source_snapshot_id: Some("s-1".to_owned()),
        status: None,
        locks: None,
        ..system_disk()
    });
    captured.snapshots = None;
    captured.instances.records[0].read = Ok(ShownInstance {
        status: None,
        locks: None,
        ..stopped_instance()
    });
    let mut situation = build(&captured, &V2025_02_27);
    let total = situation.count();
    assert!(total > 50, "{total}");
    // The situations in the preflight's order (the first fact fastest),
    // each outcome's first at its fewest facts away from the first values.
    let sizes: Vec<usize> = situation.unknowns.iter().map(|u| u.values.len()).collect();
    let mut digits = vec![0usize; sizes.len()];
    // (the outcome, its fewest facts away, its first witness there, its
    // situations)
    type First = (
        (Option<Code>, Option<reinit_disk::Check>),
        usize,
        Vec<usize>,
        u64,
    );
    let mut first: Vec<First> = Vec::new();
    for _ in 0..total {
        let d = situation.at(&digits).decide();
        let key = (d.code, d.check);
        let changed = digits.iter().filter(|x| **x != 0).count();
        match first.iter_mut().find(|f| f.0 == key) {
            Some(f) => {
                f.3 += 1;
                if changed < f.1 {
                    f.1 = changed;
                    f.2.clone_from(&digits);
                }
            }
            None => first.push((key, changed, digits.clone(), 1)),
        }
        for (digit, size) in digits.iter_mut().zip(&sizes) {
            *digit += 1;
            if *digit < *size {
                break;
            }
            *digit = 0;
        }
    }
    let outcomes = situation.outcomes().unwrap();
    assert_eq!(outcomes.len(), first.len());
    for outcome in &outcomes {
        let key = (outcome.decision.code, outcome.decision.check);
        let f = first.iter().find(|f| f.0 == key).unwrap();
        assert_eq!(outcome.witness, f.2, "{key:?}");
        assert_eq!(outcome.situations, f.3, "{key:?}");
    }
    // Two facts lead alone to the same outcome (the disk's and the
    // instance's financial lock): the first of them is the witness.
    let arrears = (outcomes.iter())
        .find(|o| o.decision.code == Some(Code::InstanceExpiredOrInArrears))
        .unwrap();
    assert_eq!(situation.changed(&arrears.witness).len(), 1);
    assert_eq!(
        situation.changed(&arrears.witness)[0].0,
        "disk d-1 OperationLocks"
    );
}
