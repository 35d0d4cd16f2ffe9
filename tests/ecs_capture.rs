//! `reinit_disk::ecs::capture`: a world from captured `Describe*` answers
//! (issue 20, item 2). Each kind recognised by its content, pages (a list
//! in one file, or several files), the facts the answers lack reported with
//! the value each took, hostile inputs refused with the file and the path;
//! and every shipped scenario's world, written as ECS answers by the
//! `Describer` and read back, decides as the scenario does.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use std::fs;
use std::path::{Path, PathBuf};

use reinit_disk::ecs::capture::{self, Answers, CaptureError, Kind, MAX_FILE_BYTES};
use reinit_disk::ecs::{Defaults, Describer};
use reinit_disk::model::{DiskSource, DiskStatus, InstanceStatus, LockReason};
use reinit_disk::scenario::Scenario;
use serde_json::{Value, json};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn disks(records: Value) -> String {
    json!({"Disks": {"Disk": records}, "TotalCount": records.as_array().unwrap().len(), "RequestId": "r"}).to_string()
}

fn instances(records: Value) -> String {
    json!({"Instances": {"Instance": records}, "TotalCount": records.as_array().unwrap().len()})
        .to_string()
}

fn system_disk() -> Value {
    json!({"DiskId": "d-1", "Type": "system", "Category": "cloud_essd", "Status": "In_use",
           "InstanceId": "i-1", "ImageId": "m-1", "MultiAttach": "Disabled", "Encrypted": false,
           "OperationLocks": {"OperationLock": []}})
}

fn instance() -> Value {
    json!({"InstanceId": "i-1", "Status": "Stopped", "StartTime": "2024-01-01T00:00Z",
           "OSType": "linux", "IoOptimized": true, "HibernationOptions": {"Configured": false},
           "ImageOptions": {"LoginAsNonRoot": false}, "OperationLocks": {"LockReason": []}})
}

fn error(docs: &[(&str, &str)]) -> String {
    match capture::from_documents(docs.iter().copied()) {
        Ok(c) => panic!("read: {:?}", c.scenario),
        Err(e) => e.to_string(),
    }
}

#[test]
fn each_kind_is_recognised_by_its_content_whatever_the_file_is_called() {
    let d = disks(json!([system_disk()]));
    let i = instances(json!([instance()]));
    let images = json!({"Images": {"Image": [{"ImageId": "m-1", "ImageOwnerAlias": "self", "LoginAsNonRootSupported": false}]}}).to_string();
    let snapshots = json!({"Snapshots": {"Snapshot": [{"SnapshotId": "s-1", "SourceDiskId": "d-1", "Status": "progressing", "CreationTime": "2024-05-01T00:00:00Z", "InstantAccess": false}]}}).to_string();
    let key_pairs = json!({"KeyPairs": {"KeyPair": [{"KeyPairName": "kp-1", "KeyPairFingerPrint": "ab"}]}, "TotalCount": 1}).to_string();
    // Names that say nothing, in an order that is not the kinds'.
    let mut answers = Answers::new();
    for (name, text) in [
        ("5", key_pairs.as_str()),
        ("4.txt", snapshots.as_str()),
        ("3", i.as_str()),
        ("instances.json", d.as_str()),
        ("x", images.as_str()),
    ] {
        answers.add(name, text).unwrap();
    }
    assert_eq!(
        answers.kinds,
        [
            Kind::KeyPairs,
            Kind::Snapshots,
            Kind::Instances,
            Kind::Disks,
            Kind::Images
        ]
    );
    assert_eq!(answers.disks[0].0.file, "instances.json");
    assert_eq!(answers.disks[0].0.path, "Disks.Disk[0]");
    let capture = answers.to_world().unwrap();
    let s = &capture.scenario;
    assert_eq!(s.disks.len(), 1);
    assert!(
        s.disks[0].creating_snapshot,
        "told by the progressing snapshot"
    );
    assert_eq!(s.instances[0].status, InstanceStatus::Stopped);
    assert!(!s.images[0].login_as_non_root_supported);
    assert_eq!(s.key_pairs[0].name, "kp-1");
    assert_eq!(s.snapshots[0].id, "s-1");
    // Every fact given: only the account is assumed.
    let missing: Vec<String> = capture.missing.iter().map(ToString::to_string).collect();
    assert_eq!(missing.len(), 1, "{missing:?}");
    assert!(
        missing[0].starts_with("the account Account:"),
        "{missing:?}"
    );
}

#[test]
fn pages_in_a_list_and_across_files_make_one_world_in_their_order() {
    let disk = |id: &str| {
        let mut d = system_disk();
        d["DiskId"] = json!(id);
        d
    };
    let pages = json!([
        {"Disks": {"Disk": [disk("d-1"), disk("d-2")]}, "TotalCount": 5, "PageNumber": 1, "PageSize": 2},
        {"Disks": {"Disk": [disk("d-3"), disk("d-4")]}, "TotalCount": 5, "PageNumber": 2, "PageSize": 2}
    ])
    .to_string();
    let last = json!({"Disks": {"Disk": [disk("d-5")]}, "TotalCount": 5}).to_string();
    let mut answers = Answers::new();
    answers.add("a.json", &pages).unwrap();
    assert!(!answers.complete(Kind::Disks), "4 of 5 read");
    answers.add("b.json", &last).unwrap();
    assert!(answers.complete(Kind::Disks));
    assert_eq!(answers.disks[3].0.path, "[1].Disks.Disk[1]");
    answers
        .add("c.json", &instances(json!([instance()])))
        .unwrap();
    let ids: Vec<String> = answers
        .to_world()
        .unwrap()
        .scenario
        .disks
        .iter()
        .map(|d| d.id.clone())
        .collect();
    assert_eq!(ids, ["d-1", "d-2", "d-3", "d-4", "d-5"]);
}

#[test]
fn the_facts_the_answers_lack_are_reported_with_the_value_each_took() {
    let d = disks(json!([
        {"DiskId": "d-1", "InstanceId": "i-1", "ImageId": "m-1"},
        {"DiskId": "d-2", "Type": "data", "Status": "In_use", "InstanceId": "i-9", "SourceSnapshotId": "s-1", "Encrypted": true, "KMSKeyId": "key-1"}
    ]));
    let i = instances(json!([{"InstanceId": "i-1"}]));
    let capture =
        capture::from_documents([("d.json", d.as_str()), ("i.json", i.as_str())]).unwrap();
    let shown: Vec<String> = capture.missing.iter().map(ToString::to_string).collect();
    let has = |line: &str| {
        assert!(
            shown.iter().any(|m| m == line),
            "{line}\nnot in:\n{}",
            shown.join("\n")
        );
    };
    has("disk \"d-1\" Type: d.json: Disks.Disk[0] does not give it; taken as \"system\"");
    has("disk \"d-1\" Status: d.json: Disks.Disk[0] does not give it; taken as \"In_use\"");
    has("disk \"d-1\" Category: d.json: Disks.Disk[0] does not give it; taken as \"cloud_essd\"");
    has(
        "disk \"d-1\" CreatingSnapshot: no DescribeSnapshots answer (a snapshot of the disk with Status progressing tells it); taken as not creating a snapshot (false)",
    );
    has(
        "instance \"i-1\" Status: i.json: Instances.Instance[0] does not give it; taken as \"Stopped\"",
    );
    has(
        "instance \"i-1\" StartTime: i.json: Instances.Instance[0] does not give it; taken as true",
    );
    has(
        "instance \"i-9\" listed: no DescribeInstances answer lists it (named by d.json: Disks.Disk[1].InstanceId; it may be outside the query, or gone); taken as an instance Stopped that has started, every other fact at its default",
    );
    has(
        "image \"m-1\" listed: no DescribeImages answer (named by d.json: Disks.Disk[0].ImageId); taken as an image of the system (ImageOwnerAlias system), not deleted, LoginAsNonRootSupported true",
    );
    has(
        "snapshot \"s-1\" listed: no DescribeSnapshots answer (named by d.json: Disks.Disk[1].SourceSnapshotId); taken as a snapshot not deleted, CreationTime 2024-01-01T00:00:00Z, InstantAccess false",
    );
    has(
        "KMS key \"key-1\" listed: no Describe* answer read shows KMS keys (named by d.json: Disks.Disk[1].KMSKeyId); taken as a key Enabled, authorized for ECS and tagged",
    );
    has("the account KeyPairs: no DescribeKeyPairs answer; taken as no key pair");
    let s = &capture.scenario;
    assert_eq!(s.disks[0].status, DiskStatus::InUse);
    assert!(matches!(&s.disks[0].source, DiskSource::Image { image_id, .. } if image_id == "m-1"));
    assert_eq!(
        s.instances
            .iter()
            .map(|i| i.id.as_str())
            .collect::<Vec<_>>(),
        ["i-1", "i-9"]
    );
    s.validate().unwrap();
}

#[test]
fn locks_are_read_in_both_of_ecs_shapes() {
    let mut disk = system_disk();
    disk["OperationLocks"] = json!({"OperationLock": [{"LockReason": "financial"}]});
    let mut inst = instance();
    inst["OperationLocks"] = json!({"LockReason": [{"LockReason": "security", "LockMsg": "m"}]});
    let capture = capture::from_documents([
        ("d", disks(json!([disk])).as_str()),
        ("i", instances(json!([inst])).as_str()),
    ])
    .unwrap();
    assert!(
        capture.scenario.disks[0]
            .operation_locks
            .contains(LockReason::Financial)
    );
    assert!(
        capture.scenario.instances[0]
            .operation_locks
            .contains(LockReason::Security)
    );
}

#[test]
fn a_duplicate_id_is_refused_in_a_page_across_pages_and_across_files() {
    let i = instances(json!([instance()]));
    let d = disks(json!([system_disk()]));
    let err = error(&[("i.json", &i), ("d.json", &d), ("again.json", &d)]);
    assert_eq!(
        err,
        "again.json: Disks.Disk[0].DiskId: duplicate id \"d-1\" (also d.json: Disks.Disk[0])"
    );
    let pages = json!([
        {"Instances": {"Instance": [instance()]}},
        {"Instances": {"Instance": [instance()]}}
    ])
    .to_string();
    let err = error(&[("pages.json", &pages), ("d.json", &d)]);
    assert_eq!(
        err,
        "pages.json: [1].Instances.Instance[0].InstanceId: duplicate id \"i-1\" (also [0].Instances.Instance[0])"
    );
    // The same id in two kinds is no duplicate.
    let image = json!({"Images": {"Image": [{"ImageId": "d-1"}]}}).to_string();
    capture::from_documents([("i", i.as_str()), ("d", d.as_str()), ("m", image.as_str())]).unwrap();
}

#[test]
fn a_file_that_is_none_of_the_answers_is_refused_naming_the_accepted_ones() {
    let d = disks(json!([system_disk()]));
    for (text, found) in [
        (r#"{"Hello": 1}"#, ".: an object with none of these lists"),
        (
            r#"{"Code": "Forbidden.RAM", "Message": "no", "RequestId": "r"}"#,
            ".: an ECS error answer (Code \"Forbidden.RAM\")",
        ),
        (
            r#"{"Disks": {"Disk": []}, "Images": {"Image": []}}"#,
            ".: an object with several lists (Disks, Images)",
        ),
        ("[]", ".: an empty list of answers"),
        (
            r#"[{"Disks": {"Disk": []}}, {}]"#,
            "[1]: an object with none of these lists",
        ),
    ] {
        let err = error(&[("d.json", &d), ("notes.json", text)]);
        assert_eq!(
            err,
            format!(
                "notes.json: {found}; expected a DescribeDisks, DescribeInstances, DescribeImages, DescribeSnapshots or DescribeKeyPairs answer: an object with one of Disks, Instances, Images, Snapshots, KeyPairs"
            ),
            "{text}"
        );
    }
    assert_eq!(
        error(&[("d.json", &d)]),
        "no DescribeInstances answer among the captured answers (the world needs one, even with an empty list)"
    );
}

#[test]
fn wrong_types_and_bad_json_are_refused_with_the_file_and_the_path() {
    let i = instances(json!([instance()]));
    for (text, expected) in [
        ("", "x.json: .: not valid JSON: EOF while parsing a value"),
        ("Disks: d-1", "x.json: .: not valid JSON: expected value"),
        (
            "5",
            "x.json: .: invalid type: integer `5`, expected a Describe* answer (an object)",
        ),
        (
            r#"{"Disks": {"Disk": [{"DiskId": "d-1", "Size": "big"}]}}"#,
            "x.json: Disks.Disk[0].Size: invalid type: string \"big\", expected i64",
        ),
        (
            r#"{"Disks": {"Disk": [{"DiskId": "d-1", "Size": 1e400}]}}"#,
            "x.json: Disks.Disk[0].Size: a number too large to read (number out of range",
        ),
        (
            r#"{"Disks": {"Disk": {"DiskId": "d-1"}}}"#,
            "x.json: Disks.Disk: invalid type: map, expected a sequence",
        ),
        (
            r#"{"Disks": {"Disk": [], "Disk": []}}"#,
            "x.json: Disks: duplicate field `Disk`",
        ),
        (
            r#"{"Disks": {"Disk": []}} {}"#,
            "x.json: .: not valid JSON: trailing characters",
        ),
        (
            r#"{"Disks": ["d-1"]}"#,
            "x.json: Disks: invalid type: sequence, expected an object {\"Disk\": [...]}",
        ),
        (
            r#"{"TotalCount": -1, "Disks": {"Disk": []}}"#,
            "x.json: TotalCount: invalid value: integer `-1`, expected u64",
        ),
    ] {
        let err = error(&[("i.json", &i), ("x.json", text)]);
        assert!(err.starts_with(expected), "{text}: {err}");
    }
}

/// Found by the `capture` fuzz target (a disk id with a DEL character,
/// echoed raw): a record's id in a refusal is shown as a value is, quoted,
/// escaped and capped, whether the refusal is a value ECS does not give or
/// a disk's shape.
#[test]
fn a_hostile_record_id_is_echoed_escaped_and_capped_on_one_line() {
    let i = instances(json!([instance()]));
    let odd = "d-1\u{7f}\n\u{1b}[31m";
    let long = format!("d-{}", "9".repeat(100_000));
    for (disk, expected) in [
        (
            json!({"DiskId": odd, "Category": "cloud_floppy"}),
            r#"d.json: Disks.Disk[0]: "d-1\u{7f}\n\u{1b}[31m": Category "cloud_floppy" is not a value ECS gives it"#.to_owned(),
        ),
        (
            json!({"DiskId": odd, "Type": "system"}),
            r#"d.json: Disks.Disk[0]: disk "d-1\u{7f}\n\u{1b}[31m": a system disk needs an ImageId"#.to_owned(),
        ),
        (
            json!({"DiskId": long, "Type": "system"}),
            format!(
                "d.json: Disks.Disk[0]: disk \"d-{}\"… (100002 bytes): a system disk needs an ImageId",
                "9".repeat(98)
            ),
        ),
    ] {
        let d = json!({"Disks": {"Disk": [disk]}}).to_string();
        let err = error(&[("i.json", &i), ("d.json", &d)]);
        assert_eq!(err, expected);
        assert!(!err.contains(char::is_control), "{err:?}");
    }
}

#[test]
fn a_huge_value_of_the_wrong_type_is_echoed_capped_on_one_line() {
    let i = instances(json!([instance()]));
    let value = format!("{}\n{}", "x".repeat(100_000), "y".repeat(10));
    let d = json!({"Disks": {"Disk": [{"DiskId": "d-1", "Size": value}]}}).to_string();
    let err = error(&[("i.json", &i), ("d.json", &d)]);
    assert!(
        err.starts_with("d.json: Disks.Disk[0].Size: invalid type: string \"xxx"),
        "{err}"
    );
    assert!(err.len() < 2_000, "{} bytes", err.len());
    assert!(!err.contains('\n'), "{err}");
    // A huge key on the path to the error: quoted, capped.
    let d = format!(
        r#"{{"Disks": {{"Disk": [{{"DiskId": "d-1", "{}\n": [1, }}"#,
        "k".repeat(100_000)
    );
    let err = error(&[("i.json", &i), ("d.json", &d)]);
    assert!(err.starts_with("d.json: Disks.Disk[0].\"kkk"), "{err}");
    assert!(err.len() < 2_000, "{} bytes", err.len());
    assert!(!err.contains('\n'), "{err}");
}

#[test]
fn a_record_the_model_cannot_hold_is_refused_with_its_file_and_path() {
    let i = instances(json!([instance()]));
    for (record, expected) in [
        (
            json!({"Type": "data"}),
            "d.json: Disks.Disk[0]: a record without DiskId",
        ),
        (
            json!({"DiskId": "", "Type": "data"}),
            "d.json: Disks.Disk[0]: a record without DiskId",
        ),
        (
            json!({"DiskId": "d-1", "Category": "cloud_floppy"}),
            "d.json: Disks.Disk[0]: \"d-1\": Category \"cloud_floppy\" is not a value ECS gives it",
        ),
        (
            json!({"DiskId": "d-1", "Type": "system"}),
            "d.json: Disks.Disk[0]: ",
        ),
    ] {
        let err = error(&[("i.json", &i), ("d.json", &disks(json!([record])))]);
        assert!(err.starts_with(expected), "{err}");
    }
    // A world the records make no valid one of: where the disk was read.
    let err = error(&[
        ("i.json", &i),
        (
            "d.json",
            &disks(json!([{"DiskId": "d-1", "Type": "data", "Status": "In_use"}])),
        ),
    ]);
    assert!(
        err.starts_with("the world read from the captured answers is not valid: Disks[0].InstanceId (d.json: Disks.Disk[0]): "),
        "{err}"
    );
}

#[test]
fn deep_nesting_and_huge_inputs_are_refused_or_skipped_never_a_panic() {
    let i = instances(json!([instance()]));
    // In a field no record has: skipped unread.
    let deep = format!(
        r#"{{"Disks": {{"Disk": [{{"DiskId": "d-1", "Type": "data", "Junk": {}{}}}]}}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    capture::from_documents([("i", i.as_str()), ("d", deep.as_str())]).unwrap();
    // Where a value is read whole (an error answer's Code): refused.
    let deep = format!(
        r#"{{"Code": {}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let err = error(&[("i", &i), ("d", &deep)]);
    assert!(err.contains("recursion limit exceeded"), "{err}");
    // A list of 100 000 pages, each empty.
    let many = format!("[{}]", vec![r#"{"Disks":{"Disk":[]}}"#; 100_000].join(","));
    let c = capture::from_documents([("i", i.as_str()), ("d", many.as_str())]).unwrap();
    assert!(c.scenario.disks.is_empty());
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "reinit-disk-ecs-capture-{}-{name}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_directory_is_read_file_by_file_in_the_order_of_their_names() {
    let dir = temp_dir("dir");
    let disk = |id: &str| {
        let mut d = system_disk();
        d["DiskId"] = json!(id);
        d
    };
    fs::write(dir.join("b.json"), disks(json!([disk("d-2")]))).unwrap();
    fs::write(dir.join("a.json"), disks(json!([disk("d-1")]))).unwrap();
    fs::write(dir.join("c"), instances(json!([instance()]))).unwrap();
    // Hidden files and folders are not read.
    fs::write(dir.join(".DS_Store"), b"\x00\x01").unwrap();
    fs::create_dir_all(dir.join("old")).unwrap();
    fs::write(dir.join("old/x.json"), "not json").unwrap();
    let c = capture::from_dir(&dir, MAX_FILE_BYTES).unwrap();
    let ids: Vec<&str> = c.scenario.disks.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["d-1", "d-2"]);

    // Bounded: a file of exactly the limit is read, one over it is
    // refused, naming it.
    let largest = ["a.json", "b.json", "c"]
        .iter()
        .map(|f| fs::metadata(dir.join(f)).unwrap().len())
        .max()
        .unwrap();
    assert!(capture::from_dir(&dir, largest).is_ok());
    assert!(matches!(
        capture::from_dir(&dir, largest - 1),
        Err(CaptureError::TooLarge { .. })
    ));
    let err = capture::from_dir(&dir, 64).unwrap_err();
    assert!(
        matches!(err, CaptureError::TooLarge { limit: 64, .. }),
        "{err}"
    );
    assert!(
        err.to_string().contains("a.json: 65 bytes or more"),
        "{err}"
    );

    fs::write(dir.join("d.json"), b"{\"Disks\": \xff}").unwrap();
    let err = capture::from_dir(&dir, MAX_FILE_BYTES)
        .unwrap_err()
        .to_string();
    assert!(err.contains("d.json: not valid UTF-8"), "{err}");

    // At most MAX_FILES files.
    let many = temp_dir("many");
    for n in 0..=capture::MAX_FILES {
        fs::write(many.join(format!("{n:05}.json")), "{}").unwrap();
    }
    let err = capture::from_dir(&many, MAX_FILE_BYTES)
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with(": more than 4096 files: a directory of captured answers holds at most 4096"),
        "{err}"
    );
    let _ = fs::remove_dir_all(&many);

    let err = capture::from_dir(Path::new("/nonexistent/captures"), MAX_FILE_BYTES)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("cannot read /nonexistent/captures: "),
        "{err}"
    );
    let _ = fs::remove_dir_all(&dir);
}

/// Every scenario file of tests/scenarios/ (decisions excluded).
fn scenario_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for revision in fs::read_dir(root().join("tests/scenarios")).unwrap() {
        for entry in fs::read_dir(revision.unwrap().path()).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".json") && !name.ends_with(".expected.json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Whether every fact of `scenario`'s world is one the answers show (no
/// deleted image or snapshot, which no answer lists; KMS keys and the
/// account at their defaults, which no answer read shows).
fn shown_by_answers(s: &Scenario) -> bool {
    s.images.iter().all(|i| !i.deleted)
        && s.snapshots.iter().all(|x| !x.deleted)
        && s.kms_keys.iter().all(|k| {
            *k == reinit_disk::model::KmsKey {
                id: k.id.clone(),
                ..Default::default()
            }
        })
        && s.account == reinit_disk::model::Account::default()
        && s.changes.is_empty()
}

#[test]
fn every_shipped_world_written_as_answers_and_read_back_decides_as_the_scenario() {
    let defaults = Defaults::default();
    let mut compared = 0;
    for path in scenario_files() {
        let Ok(original) = Scenario::from_json(&fs::read_to_string(&path).unwrap()) else {
            continue;
        };
        let Ok(world) = original.to_world() else {
            continue;
        };
        if !shown_by_answers(&original) {
            continue;
        }
        let describer = Describer::new(&world, &defaults);
        let disk_records: Vec<_> = world.disks().map(|d| describer.disk(d)).collect();
        // The disks in pages of one.
        let pages: Vec<Value> = disk_records
            .iter()
            .map(|d| json!({"Disks": {"Disk": [d]}, "TotalCount": disk_records.len()}))
            .collect();
        let documents = [
            serde_json::to_string(&pages).unwrap(),
            json!({"Instances": {"Instance": world.instances().map(|i| describer.instance(i)).collect::<Vec<_>>()}}).to_string(),
            json!({"Images": {"Image": world.images().filter_map(|i| describer.image(i)).collect::<Vec<_>>()}}).to_string(),
            json!({"Snapshots": {"Snapshot": world.snapshots().filter_map(|s| describer.snapshot(s))
                .chain(world.disks().filter_map(|d| describer.creating_snapshot(d))).collect::<Vec<_>>()}}).to_string(),
            json!({"KeyPairs": {"KeyPair": original.key_pairs.iter().map(|k| json!({"KeyPairName": k.name})).collect::<Vec<_>>()}}).to_string(),
        ];
        let what = path.display().to_string();
        let capture =
            capture::from_documents(documents.iter().map(|d| (what.as_str(), d.as_str())))
                .unwrap_or_else(|e| panic!("{what}: {e}"));
        let mut read = capture.scenario;
        read.request.clone_from(&original.request);
        read.policy = original.policy;
        assert_eq!(read.decide(), original.decide(), "{what}");
        compared += 1;
    }
    assert!(compared > 120, "{compared} scenarios compared");
}

/// A valid answer's text with one cut, one byte replaced and one fragment
/// inserted: the hostile inputs the reader meets.
fn mangled() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let answer =
        disks(json!([system_disk(), {"DiskId": "d-2", "Type": "data", "Status": "Available"}]));
    let fragments = prop::sample::select(vec![
        "[",
        "]",
        "{",
        "}",
        ",",
        ":",
        "\"",
        "null",
        "1e400",
        "-1",
        "true",
        "\"Disks\"",
        "\"Disk\"",
        "\"DiskId\"",
        "\"Instances\"",
        "{\"Disk\":[]}",
        "[[[[",
        "\u{feff}",
        "\\u0000",
    ]);
    (
        0..answer.len(),
        0..answer.len(),
        any::<u8>(),
        fragments,
        any::<bool>(),
    )
        .prop_map(move |(cut, at, byte, fragment, list)| {
            let mut bytes = answer.clone().into_bytes();
            if let Some(b) = bytes.get_mut(at) {
                *b = if byte.is_ascii() { byte } else { b'x' };
            }
            let mut text = String::from_utf8(bytes).unwrap();
            let cut = (0..=cut)
                .rev()
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(0);
            text.insert_str(cut, fragment);
            if list { format!("[{text}]") } else { text }
        })
}

proptest::proptest! {
    #![proptest_config(proptest::test_runner::Config::with_cases(2000))]
    #[test]
    fn a_mangled_answer_is_read_or_refused_naming_its_file_never_a_panic(text in mangled()) {
        let i = instances(json!([instance()]));
        match capture::from_documents([("i.json", i.as_str()), ("mangled.json", text.as_str())]) {
            Ok(c) => c.scenario.validate().unwrap(),
            Err(e) => {
                let e = e.to_string();
                proptest::prop_assert!(
                    e.starts_with("mangled.json: ")
                        || e.starts_with("the world read from")
                        || e.starts_with("no DescribeDisks answer"),
                    "{e}"
                );
            }
        }
    }
}

#[test]
fn an_unlisted_record_named_by_two_disks_is_added_once_with_its_documented_default() {
    let shared = |id: &str| {
        json!({"DiskId": id, "Type": "data", "Category": "cloud_essd", "Status": "Available",
               "SourceSnapshotId": "s-1", "Encrypted": true, "KMSKeyId": "key-1",
               "MultiAttach": "Disabled", "OperationLocks": {"OperationLock": []}})
    };
    let capture = capture::from_documents([
        (
            "d.json",
            disks(json!([shared("d-1"), shared("d-2")])).as_str(),
        ),
        ("i.json", instances(json!([])).as_str()),
    ])
    .unwrap();
    let s = &capture.scenario;
    assert_eq!(s.snapshots.len(), 1, "{:?}", s.snapshots);
    assert_eq!(s.kms_keys.len(), 1, "{:?}", s.kms_keys);
    // The snapshot's CreationTime is the documented default (not the
    // model's 1970, which would make every such snapshot too old).
    assert_eq!(
        s.snapshots[0].creation_time,
        "2024-01-01T00:00:00Z".parse().unwrap()
    );
    for record in ["snapshot \"s-1\" listed", "KMS key \"key-1\" listed"] {
        let lines = capture
            .missing
            .iter()
            .filter(|m| m.to_string().starts_with(record))
            .count();
        assert_eq!(lines, 1, "{record}");
    }
    s.validate().unwrap();
}
