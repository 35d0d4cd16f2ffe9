//! `serve --describe DIR` (issue 20, item 2): the world read back from the
//! `Describe*` answers a server gave decides `ReInitDisk` as the world it
//! was given, on every disk; so does `preflight` over the same files. Every
//! server binds 127.0.0.1 with a free port; every loop over pages is
//! bounded.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use std::path::{Path, PathBuf};

use common::http::Server;
use serde_json::{Value, json};

/// A world whose disks get many different decisions under 2025-02-27, each
/// told by a fact `DescribeDisks` or `DescribeInstances` shows.
fn world() -> Value {
    json!({
        "Description": "serve --describe round trip",
        "Disks": [
            {"DiskId": "d-running", "Type": "system", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-running", "ImageId": "m-1"},
            {"DiskId": "d-sys", "Type": "system", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-stopped", "ImageId": "m-1"},
            {"DiskId": "d-data", "Type": "data", "Category": "cloud_auto", "Status": "In_use", "InstanceId": "i-stopped", "SourceSnapshotId": "s-1"},
            {"DiskId": "d-empty", "Type": "data", "Category": "cloud_efficiency", "Status": "In_use", "InstanceId": "i-stopped"},
            {"DiskId": "d-detached", "Type": "data", "Category": "cloud_essd", "Status": "Available"},
            {"DiskId": "d-locked", "Type": "data", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-stopped", "OperationLocks": ["financial"]},
            {"DiskId": "d-multi", "Type": "data", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-stopped", "MultiAttach": "Enabled"},
            {"DiskId": "d-local", "Type": "data", "Category": "ephemeral_ssd", "Status": "In_use", "InstanceId": "i-stopped"},
            {"DiskId": "d-encrypted", "Type": "data", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-stopped", "Encrypted": true, "KMSKeyId": "key-1"},
            {"DiskId": "d-hibernating", "Type": "system", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-hibernating", "ImageId": "m-1"},
            {"DiskId": "d-not-optimized", "Type": "data", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-not-optimized"},
            {"DiskId": "d-never-started", "Type": "system", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-never-started", "ImageId": "m-1"},
            {"DiskId": "d-instance-locked", "Type": "data", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-locked"}
        ],
        "Instances": [
            {"InstanceId": "i-running", "Status": "Running"},
            {"InstanceId": "i-stopped", "Status": "Stopped"},
            {"InstanceId": "i-hibernating", "Status": "Stopped", "HibernationConfigured": true},
            {"InstanceId": "i-not-optimized", "Status": "Stopped", "IoOptimized": false},
            {"InstanceId": "i-never-started", "Status": "Stopped", "HasStarted": false},
            {"InstanceId": "i-locked", "Status": "Stopped", "OperationLocks": ["security"]}
        ],
        "Images": [{"ImageId": "m-1", "ImageOwnerAlias": "system"}],
        "Snapshots": [{"SnapshotId": "s-1", "CreationTime": "2024-01-01T00:00:00Z"}],
        "KmsKeys": [{"KeyId": "key-1"}],
        "KeyPairs": [{"KeyPairName": "deploy"}, {"KeyPairName": "admin"}],
        "Policy": {"Revision": "2025-02-27"}
    })
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "reinit-disk-serve-describe-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every page of `action`'s answer, `size` records a page (at most 100
/// pages: the loop is bounded).
fn pages(server: &Server, action: &str, size: usize) -> Vec<Value> {
    let mut pages = Vec::new();
    for number in 1..=100 {
        let reply = server.get(&format!(
            "Action={action}&Format=JSON&RegionId=cn-hangzhou&PageSize={size}&PageNumber={number}"
        ));
        assert_eq!(reply.status, 200, "{action}: {}", reply.body);
        let page = reply.json();
        let total = page["TotalCount"].as_u64().unwrap() as usize;
        pages.push(page);
        if number * size >= total {
            return pages;
        }
    }
    panic!("{action}: more than 100 pages");
}

/// The server's log once it holds `text` (its standard error is read by
/// another thread), or as it is after 5 s.
fn log_with(server: &Server, text: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let log = server.log();
        if log.contains(text) || std::time::Instant::now() > deadline {
            return log;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// `ReInitDisk` on `disk`: (HTTP status, code, message).
fn decide(server: &Server, disk: &str) -> (u16, String, String) {
    let reply = server.get(&format!("Action=ReInitDisk&Format=JSON&DiskId={disk}"));
    let body = reply.json();
    let text = |field: &str| body[field].as_str().unwrap_or_default().to_owned();
    (reply.status, text("Code"), text("Message"))
}

/// Each record of `list` with only the keys its counterpart in `model`
/// (the same place) has: the model's facts, without the ECS fields a
/// capture adds.
fn model_part(list: &Value, model: &Value) -> Value {
    let (Some(list), Some(model)) = (list.as_array(), model.as_array()) else {
        return list.clone();
    };
    Value::Array(
        list.iter()
            .zip(model)
            .map(|(record, model)| {
                let keep = model.as_object().unwrap();
                Value::Object(
                    record
                        .as_object()
                        .unwrap()
                        .iter()
                        .filter(|(k, _)| keep.contains_key(*k))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                )
            })
            .chain(list.iter().skip(model.len()).cloned())
            .collect(),
    )
}

/// The records of a listing's pages, in order (their `RequestId`s left
/// out).
fn records(pages: &[Value]) -> Vec<Value> {
    let mut records = Vec::new();
    for page in pages {
        let object = page.as_object().unwrap();
        for (key, value) in object {
            if let Some(inner) = value.as_object().filter(|_| key != "RequestId") {
                for list in inner.values() {
                    records.extend(list.as_array().into_iter().flatten().cloned());
                }
            }
        }
    }
    records
}

fn disk_ids(world: &Value) -> Vec<String> {
    world["Disks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["DiskId"].as_str().unwrap().to_owned())
        .collect()
}

/// Saves the server's DescribeDisks pages (a JSON list, 5 a page, or `size`) and its
/// DescribeInstances answer (one page) in `dir`, under names that do not
/// say what they hold.
fn capture(server: &Server, dir: &Path) -> (PathBuf, PathBuf) {
    capture_in_pages_of(server, dir, 5)
}

fn capture_in_pages_of(server: &Server, dir: &Path, size: usize) -> (PathBuf, PathBuf) {
    let disks = pages(server, "DescribeDisks", size);
    assert!(disks.len() > 1, "the disks come in several pages");
    let instances = pages(server, "DescribeInstances", 100);
    assert_eq!(instances.len(), 1);
    let a = dir.join("a.json");
    let b = dir.join("b.json");
    std::fs::write(&a, serde_json::to_string_pretty(&instances[0]).unwrap()).unwrap();
    std::fs::write(&b, serde_json::to_string(&disks).unwrap()).unwrap();
    (b, a)
}

#[test]
fn serve_describe_decides_every_disk_as_the_world_it_was_captured_from() {
    let dir = temp_dir("round-trip");
    let world_file = dir.join("world.json");
    std::fs::write(&world_file, world().to_string()).unwrap();
    let answers = dir.join("answers");
    std::fs::create_dir_all(&answers).unwrap();

    let original = Server::start(&["--world", world_file.to_str().unwrap()]);
    let (disk_file, instance_file) = capture(&original, &answers);
    // Before any re-init changes it.
    let before = original
        .request("GET", "/_reinit-disk/state", &[], b"")
        .json();
    let ids = disk_ids(&world());
    let expected: Vec<_> = ids.iter().map(|d| decide(&original, d)).collect();
    // The world tells its disks apart: many decisions, not one.
    let mut codes: Vec<&str> = expected.iter().map(|(_, c, _)| c.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert!(codes.len() >= 8, "{expected:?}");

    let described = Server::start(&[
        "--describe",
        answers.to_str().unwrap(),
        "--revision",
        "2025-02-27",
    ]);
    let state = described
        .request("GET", "/_reinit-disk/state", &[], b"")
        .json();
    assert_eq!(disk_ids(&state), ids);
    // The disks and instances read back are the world's, fact for fact;
    // each also keeps every field of ECS's record the capture gave.
    assert_eq!(
        model_part(&state["Disks"], &before["Disks"]),
        before["Disks"]
    );
    assert_eq!(
        model_part(&state["Instances"], &before["Instances"]),
        before["Instances"]
    );
    assert_eq!(state["Disks"][0]["Size"], 20, "{}", state["Disks"][0]);
    assert_eq!(state["Disks"][0]["ZoneId"], "cn-hangzhou-i");
    // Served again, each record is the one captured, field for field.
    let read = |file: &Path| -> Vec<Value> {
        match serde_json::from_slice(&std::fs::read(file).unwrap()).unwrap() {
            Value::Array(pages) => pages,
            page => vec![page],
        }
    };
    for (action, file) in [
        ("DescribeDisks", &disk_file),
        ("DescribeInstances", &instance_file),
    ] {
        let (got, want) = (
            records(&pages(&described, action, 100)),
            records(&read(file)),
        );
        assert_eq!(got.len(), want.len(), "{action}");
        for (got, want) in got.iter().zip(&want) {
            for (key, value) in want.as_object().unwrap() {
                assert_eq!(&got[key], value, "{action} {key}: {got}");
            }
            assert_eq!(got, want, "{action}");
        }
    }
    for (disk, expected) in ids.iter().zip(&expected) {
        assert_eq!(&decide(&described, disk), expected, "{disk}");
    }
    // The facts the answers lack are reported at start.
    let log = log_with(&described, "facts the captured answers do not give");
    assert!(
        log.contains("facts the captured answers do not give"),
        "{log}"
    );
    assert!(
        log.contains("image \"m-1\" listed: no DescribeImages answer"),
        "{log}"
    );
    assert!(log.contains("CreatingSnapshot"), "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_describe_round_trips_the_shipped_serve_world() {
    let dir = temp_dir("shipped");
    let world: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/serve-world.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let original = Server::start(&["--world", "examples/serve-world.json"]);
    capture_in_pages_of(&original, &dir, 2);
    let ids = disk_ids(&world);
    let expected: Vec<_> = ids.iter().map(|d| decide(&original, d)).collect();
    let described = Server::start(&[
        "--describe",
        dir.to_str().unwrap(),
        "--revision",
        "2025-02-27",
    ]);
    for (disk, expected) in ids.iter().zip(&expected) {
        assert_eq!(&decide(&described, disk), expected, "{disk}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn preflight_decides_every_disk_of_the_captured_answers_as_the_server_did() {
    let dir = temp_dir("preflight");
    let world_file = dir.join("world.json");
    std::fs::write(&world_file, world().to_string()).unwrap();
    let original = Server::start(&["--world", world_file.to_str().unwrap()]);
    let (disks, instances) = capture(&original, &dir);
    for disk in disk_ids(&world()) {
        let (status, code, message) = decide(&original, &disk);
        let out = common::cli::run(
            &[
                "preflight",
                "--format",
                "json",
                "--revision",
                "2025-02-27",
                "--disk-id",
                &disk,
                "--disks",
                disks.to_str().unwrap(),
                "--instances",
                instances.to_str().unwrap(),
            ],
            b"",
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{disk}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        // The decision with every unknown fact at its first value (the
        // image and snapshots, which no answer here shows).
        let decision = &report["Decision"];
        let got = (
            decision["HttpStatus"].as_u64().unwrap(),
            decision["Code"].as_str().unwrap_or_default().to_owned(),
            decision["Message"].as_str().unwrap_or_default().to_owned(),
        );
        let served = (u64::from(status), code, message);
        assert_eq!(got, served, "{disk}: {report}");
        // Every instance's StartTime is in the answers: nothing assumed of it.
        assert!(
            !report["Assumed"]
                .to_string()
                .contains("has been started at least once"),
            "{disk}: {report}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_refuses_describe_with_world_and_a_directory_it_cannot_use() {
    let out = common::cli::run(
        &[
            "serve",
            "--world",
            "examples/serve-world.json",
            "--describe",
            "examples/describe",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--describe") && err.contains("--world"),
        "{err}"
    );

    let dir = temp_dir("refused");
    std::fs::write(dir.join("notes.txt"), "{\"Hello\": 1}").unwrap();
    let out = common::cli::run(
        &[
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--describe",
            dir.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(&format!("reinit-disk: --describe {}: ", dir.display())),
        "{err}"
    );
    assert!(err.contains("notes.txt: .: an object with none of these lists; expected a DescribeDisks, DescribeInstances"), "{err}");

    let out = common::cli::run(
        &[
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--describe",
            "/nonexistent/captures",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("cannot read /nonexistent/captures"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_help_teaches_describe() {
    let out = common::cli::run(&["serve", "--help"], b"");
    let help = String::from_utf8_lossy(&out.stdout);
    assert!(help.contains("--describe <DIR>"), "{help}");
    assert!(
        help.contains("reinit-disk serve --describe captured/"),
        "{help}"
    );
}

#[test]
fn serve_describe_on_the_shipped_answers_decides_as_preflight_does() {
    // examples/describe/ holds one real-shaped answer of each kind: the
    // account is the one fact they do not give.
    let server = Server::start(&[
        "--describe",
        "examples/describe",
        "--revision",
        "2025-02-27",
    ]);
    let log = log_with(&server, "the captured answers do not give");
    assert!(
        log.contains("--describe examples/describe: 1 fact the captured answers do not give"),
        "{log}"
    );
    let disks: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../examples/describe/DescribeDisks.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let ids: Vec<String> = disks["Disks"]["Disk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["DiskId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2);
    for disk in ids {
        let (status, code, message) = decide(&server, &disk);
        let out = common::cli::run(
            &[
                "preflight",
                "--format",
                "json",
                "--revision",
                "2025-02-27",
                "--disk-id",
                &disk,
                "--disks",
                "examples/describe/DescribeDisks.json",
                "--instances",
                "examples/describe/DescribeInstances.json",
                "--images",
                "examples/describe/DescribeImages.json",
                "--snapshots",
                "examples/describe/DescribeSnapshots.json",
                "--key-pairs",
                "examples/describe/DescribeKeyPairs.json",
            ],
            b"",
        );
        assert_eq!(out.status.code(), Some(0), "{disk}");
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        let decision = &report["Decision"];
        assert_eq!(
            (
                decision["HttpStatus"].as_u64().unwrap(),
                decision["Code"].as_str().unwrap_or_default(),
                decision["Message"].as_str().unwrap_or_default(),
            ),
            (u64::from(status), code.as_str(), message.as_str()),
            "{disk}: {report}"
        );
    }
}

#[test]
fn serve_describe_round_trips_the_images_snapshots_and_key_pairs_the_server_describes() {
    let dir = temp_dir("every-kind");
    let world_file = dir.join("world.json");
    std::fs::write(&world_file, world().to_string()).unwrap();
    let answers = dir.join("answers");
    std::fs::create_dir_all(&answers).unwrap();
    let original = Server::start(&["--world", world_file.to_str().unwrap()]);
    capture(&original, &answers);
    for (action, file) in [
        ("DescribeImages", "c.json"),
        ("DescribeSnapshots", "d.json"),
        ("DescribeKeyPairs", "e.json"),
    ] {
        let answer = pages(&original, action, 10);
        std::fs::write(answers.join(file), serde_json::to_string(&answer).unwrap()).unwrap();
    }
    let before = original
        .request("GET", "/_reinit-disk/state", &[], b"")
        .json();
    let ids = disk_ids(&world());
    let expected: Vec<_> = ids.iter().map(|d| decide(&original, d)).collect();
    let described = Server::start(&[
        "--describe",
        answers.to_str().unwrap(),
        "--revision",
        "2025-02-27",
    ]);
    let state = described
        .request("GET", "/_reinit-disk/state", &[], b"")
        .json();
    for kind in ["Disks", "Instances", "Images", "Snapshots"] {
        assert_eq!(
            model_part(&state[kind], &before[kind]),
            before[kind],
            "{kind}"
        );
    }
    for action in ["DescribeImages", "DescribeSnapshots", "DescribeKeyPairs"] {
        assert_eq!(
            records(&pages(&described, action, 10)),
            records(&pages(&original, action, 10)),
            "{action}"
        );
    }
    // The key pairs as a set: the server lists them by name.
    let names = |doc: &Value| -> Vec<String> {
        let mut names: Vec<String> = (doc["KeyPairs"].as_array().unwrap().iter())
            .map(|k| k["KeyPairName"].as_str().unwrap().to_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(names(&state), ["admin", "deploy"]);
    assert_eq!(names(&state), names(&before));
    for (disk, expected) in ids.iter().zip(&expected) {
        assert_eq!(&decide(&described, disk), expected, "{disk}");
    }
    // The image and the snapshot are read from their answers now.
    let log = log_with(&described, "facts the captured answers do not give");
    assert!(!log.contains("no DescribeImages answer"), "{log}");
    assert!(!log.contains("no DescribeSnapshots answer"), "{log}");
    assert!(!log.contains("no DescribeKeyPairs answer"), "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}
