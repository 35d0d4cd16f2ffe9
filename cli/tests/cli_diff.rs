//! `reinit-disk diff`: every class of situations whose answer changes, with
//! its count and a witness; held to what the library's diff finds (itself
//! held to the whole space in tests/analysis.rs), its witnesses replayed
//! through `eval` as its hint says, and docs/revisions.md kept in sync with
//! its output.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::cli::run;
use reinit_disk::model::{
    Disk, DiskSource, DiskStatus, Image, Instance, InstanceStatus, LockReason, LockSet, Snapshot,
};
use reinit_disk::scenario::{Decision, Scenario};
use reinit_disk::{OwnedTarget, Policy, Request};
use serde_json::Value;
use strum::VariantArray;

fn diff_json(from: &str, to: &str) -> (Option<i32>, Value) {
    let out = run(
        &["diff", "--from", from, "--to", to, "--format", "json"],
        b"",
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        out.status.code(),
        serde_json::from_slice(&out.stdout).unwrap(),
    )
}

fn write_policy(dir: &Path, name: &str, policy: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::json!({ "Policy": policy }).to_string()).unwrap();
    path.display().to_string()
}

fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("reinit-disk-diff-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A decision as a client sees it: without the check that decided.
fn seen(decision: &Value) -> Value {
    let mut d = decision.clone();
    d.as_object_mut().unwrap().remove("Check");
    d
}

/// What `diff --format json` reported: the situations, and each class's
/// count keyed by both decisions as a client sees them.
fn reported(report: &Value) -> (u64, BTreeMap<(String, String), u64>) {
    let classes = report["Classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let key = (seen(&c["From"]).to_string(), seen(&c["To"]).to_string());
            (key, c["Situations"].as_u64().unwrap())
        })
        .collect();
    (report["Situations"].as_u64().unwrap(), classes)
}

/// What the library's diff finds, keyed as [`reported`] keys it.
fn library(from: &Policy, to: &Policy) -> (u64, BTreeMap<(String, String), u64>) {
    let found = reinit_disk::analysis::diff(from, to);
    let decision = |d: &reinit_disk::analysis::Decided| {
        let d = Decision::from(&d.as_ref().map(OwnedTarget::as_target).map_err(|r| *r));
        seen(&serde_json::to_value(d).unwrap()).to_string()
    };
    let classes = found
        .changes
        .iter()
        .map(|c| ((decision(&c.from), decision(&c.to)), c.situations))
        .collect();
    (found.situations, classes)
}

/// Replays each witness through `eval`: the new side's decision as it is
/// (its policy is the new side's), the old side's with `from_policy` in
/// its place, as the report's hint says.
fn witnesses_replay(report: &Value, from_policy: &Value, dir: &Path) {
    let hint = report["ReplayFrom"].as_str().unwrap();
    for (n, class) in report["Classes"].as_array().unwrap().iter().enumerate() {
        let mut witness = class["Witness"].clone();
        let path = dir.join(format!("witness-{n}.json"));
        std::fs::write(&path, witness.to_string()).unwrap();
        let out = run(&["eval", path.to_str().unwrap()], b"");
        let new: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            new, class["To"],
            "witness {n}: eval disagrees with the new side"
        );
        let old: Value = if let Some(revision) = hint
            .strip_prefix("`eval --revision ")
            .and_then(|h| h.split('`').next())
        {
            let out = run(
                &["eval", "--revision", revision, path.to_str().unwrap()],
                b"",
            );
            serde_json::from_slice(&out.stdout).unwrap()
        } else {
            let given = hint
                .strip_prefix("with \"Policy\": ")
                .and_then(|h| h.split(" in its place").next())
                .unwrap();
            assert_eq!(
                &serde_json::from_str::<Value>(given).unwrap(),
                from_policy,
                "{hint}"
            );
            witness["Policy"] = from_policy.clone();
            std::fs::write(&path, witness.to_string()).unwrap();
            let out = run(&["eval", path.to_str().unwrap()], b"");
            serde_json::from_slice(&out.stdout).unwrap()
        };
        assert_eq!(
            old, class["From"],
            "witness {n}: the hint's replay disagrees with the old side"
        );
    }
}

#[test]
fn diff_of_a_revision_with_itself_finds_nothing_and_exits_0() {
    for revision in ["seed", "2025-02-27"] {
        let (status, report) = diff_json(revision, revision);
        assert_eq!(status, Some(0), "{revision}");
        assert_eq!(report["Changed"], 0);
        assert_eq!(report["Classes"].as_array().unwrap().len(), 0);
        assert!(report["Situations"].as_u64().unwrap() > 10_000);
    }
}

#[test]
fn diff_of_policies_one_knob_apart_prints_what_the_library_finds_and_its_witnesses_replay() {
    let dir = temp_dir("knob");
    let default = serde_json::to_value(Policy::new(&reinit_disk::revision::SEED)).unwrap();
    let mut flipped = default.clone();
    flipped["DeletedSnapshotCode"] = "OperationDenied".into();
    flipped["ActiveOnNonPublicImage"] = "Reject".into();
    let mut categories = default.clone();
    categories["UnsupportedCategories"] = serde_json::json!(["cloud_essd", "cloud"]);
    for (name, policy) in [("flipped", &flipped), ("categories", &categories)] {
        let to_file = write_policy(&dir, &format!("{name}.json"), policy);
        let (status, report) = diff_json("seed", &to_file);
        assert_eq!(status, Some(1), "{name}: a change exits 1");
        let to: Policy = serde_json::from_value(policy.clone()).unwrap();
        let found = library(&Policy::new(&reinit_disk::revision::SEED), &to);
        assert!(!found.1.is_empty(), "{name}: the knob changes something");
        assert_eq!(reported(&report), found, "{name}");
        witnesses_replay(&report, &default, &dir);
    }
}

#[test]
fn diff_of_two_policy_files_says_how_to_replay_the_old_side() {
    // `eval --revision` would keep the new file's answers: the hint gives
    // the old file's policy instead, and it replays.
    let dir = temp_dir("files");
    let old = serde_json::to_value(Policy::new(&reinit_disk::revision::SEED)).unwrap();
    let mut old_flipped = old.clone();
    old_flipped["DeletedSnapshotCode"] = "OperationDenied".into();
    let mut new = serde_json::to_value(Policy::new(&reinit_disk::revision::V2025_02_27)).unwrap();
    new["ActiveOnNonPublicImage"] = "Reject".into();
    let from = write_policy(&dir, "old.json", &old_flipped);
    let to = write_policy(&dir, "new.json", &new);
    let (status, report) = diff_json(&from, &to);
    assert_eq!(status, Some(1));
    assert!(
        !report["ReplayFrom"]
            .as_str()
            .unwrap()
            .contains("--revision"),
        "{}",
        report["ReplayFrom"]
    );
    witnesses_replay(&report, &old_flipped, &dir);
    // A revision by name against a file with other answers: the same.
    let (_, report) = diff_json("seed", &to);
    assert!(
        !report["ReplayFrom"]
            .as_str()
            .unwrap()
            .contains("--revision")
    );
    witnesses_replay(&report, &old, &dir);
}

#[test]
fn diff_of_seed_to_2025_has_a_class_for_every_code_only_2025_answers_and_its_witnesses_replay() {
    let dir = temp_dir("revisions");
    let (status, report) = diff_json("seed", "2025-02-27");
    assert_eq!(status, Some(1));
    let seed = Policy::new(&reinit_disk::revision::SEED);
    let v2025 = Policy::new(&reinit_disk::revision::V2025_02_27);
    assert_eq!(reported(&report), library(&seed, &v2025));
    let to_codes: Vec<String> = report["Classes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["To"]["Code"].as_str().map(str::to_owned))
        .collect();
    for entry in reinit_disk::revision::V2025_02_27.catalogue {
        if reinit_disk::revision::SEED.entry(entry.code).is_none() {
            let code = <&str>::from(entry.code);
            assert!(
                to_codes.iter().any(|c| c == code),
                "no class answers {code}"
            );
        }
    }
    assert!(
        report["ReplayFrom"]
            .as_str()
            .unwrap()
            .contains("`eval --revision seed`")
    );
    witnesses_replay(&report, &serde_json::to_value(seed).unwrap(), &dir);
}

#[test]
fn docs_revisions_md_holds_the_diff_of_seed_to_2025() {
    let doc = std::fs::read_to_string(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("docs/revisions.md"),
    )
    .unwrap();
    let begin = "<!-- BEGIN reinit-disk diff --from seed --to 2025-02-27 --format markdown -->\n";
    let start = doc.find(begin).expect("begin marker") + begin.len();
    let end = doc
        .find("<!-- END reinit-disk diff -->")
        .expect("end marker");
    let out = run(
        &[
            "diff",
            "--from",
            "seed",
            "--to",
            "2025-02-27",
            "--format",
            "markdown",
        ],
        b"",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        &doc[start..end],
        String::from_utf8(out.stdout).unwrap(),
        "docs/revisions.md is out of date: regenerate it with the command in its marker"
    );
}

#[test]
fn diff_refuses_a_side_it_cannot_use_naming_it_with_exit_2() {
    let dir = temp_dir("bad");
    let not_json = dir.join("not.json");
    std::fs::write(&not_json, "{").unwrap();
    let bad_policy = dir.join("bad-policy.json");
    std::fs::write(&bad_policy, r#"{"Policy": {"Revision": "2099-01-01"}}"#).unwrap();
    let cases: [(&str, &str, &[&str]); 4] = [
        ("--from", "sed", &["--from", "\"sed\"", "seed, 2025-02-27"]),
        ("--to", "\u{202e}evil", &["--to", "neither a revision"]),
        ("--to", not_json.to_str().unwrap(), &["--to", "not.json"]),
        (
            "--from",
            bad_policy.to_str().unwrap(),
            &["--from", "bad-policy.json", "Revision"],
        ),
    ];
    for (flag, value, wanted) in cases {
        let args = if flag == "--from" {
            ["diff", "--from", value, "--to", "seed"]
        } else {
            ["diff", "--from", "seed", "--to", value]
        };
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        assert!(out.stdout.is_empty(), "no partial output");
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        for w in wanted {
            assert!(err.contains(w), "{flag} {value}: {err} lacks {w}");
        }
        assert!(
            !err.contains('\u{202e}'),
            "a control character is escaped: {err}"
        );
    }
    let out = run(
        &["diff", "--from", "seed", "--to", "seed", "--format", "yaml"],
        b"",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("text, markdown, json")
    );
}

#[test]
fn diff_formats_agree_on_what_changes() {
    let text = run(&["diff", "--from", "seed", "--to", "2025-02-27"], b"");
    let markdown = run(
        &[
            "diff",
            "--from",
            "seed",
            "--to",
            "2025-02-27",
            "--format",
            "markdown",
        ],
        b"",
    );
    let (_, json) = diff_json("seed", "2025-02-27");
    let summary = format!(
        "seed → 2025-02-27: {} of {} situations change, in {} classes.",
        json["Changed"],
        json["Situations"],
        json["Classes"].as_array().unwrap().len()
    );
    for out in [&text, &markdown] {
        assert_eq!(out.status.code(), Some(1));
        let out = String::from_utf8(out.stdout.clone()).unwrap();
        assert_eq!(out.lines().next().unwrap(), summary);
        for class in json["Classes"].as_array().unwrap() {
            assert!(
                out.contains(&format!("situations: {}", class["Situations"])),
                "{out}"
            );
        }
    }
}

/// The class `diff` sweeps for a lock set: whether it holds `security`, and
/// whether it holds any financial-kind lock.
fn representative(set: LockSet, keep_security: bool) -> LockSet {
    let financial = [
        LockReason::Financial,
        LockReason::Recycling,
        LockReason::Dedicatedhostfinancial,
        LockReason::Refunded,
    ]
    .iter()
    .any(|r| set.contains(*r));
    let mut reasons = vec![];
    if keep_security && set.contains(LockReason::Security) {
        reasons.push(LockReason::Security);
    }
    if financial {
        reasons.push(LockReason::Financial);
    }
    reasons.into_iter().collect()
}

#[test]
fn diff_sweeps_lock_sets_by_the_classes_the_rules_tell_apart() {
    // Every subset of the five lock reasons, on an instance and on a disk,
    // decides as its class's representative (the instance's: security and
    // any financial-kind lock; the disk's: any financial-kind lock), in
    // both revisions, in the default order and reversed: so sweeping the
    // representatives loses no answer.
    let every_set: Vec<LockSet> = (0u8..32)
        .map(|mask| {
            LockReason::VARIANTS
                .iter()
                .enumerate()
                .filter(|(bit, _)| mask & (1 << bit) != 0)
                .map(|(_, r)| *r)
                .collect()
        })
        .collect();
    let mut policies = vec![];
    for revision in reinit_disk::revision::ALL {
        let mut reversed = revision.world_checks.to_vec();
        reversed.reverse();
        policies.push(Policy::new(revision));
        policies.push(Policy::new(revision).with_order(&reversed).unwrap());
    }
    let sources = [
        (DiskSource::Empty, vec![], vec![]),
        (
            DiskSource::Image {
                image_id: "m-1".into(),
                snapshot_id: None,
            },
            vec![Image {
                id: "m-1".into(),
                ..Image::default()
            }],
            vec![],
        ),
        (
            DiskSource::Snapshot {
                snapshot_id: "s-1".into(),
            },
            vec![],
            vec![Snapshot {
                id: "s-1".into(),
                ..Snapshot::default()
            }],
        ),
    ];
    let mut compared = 0;
    for policy in &policies {
        for (source, images, snapshots) in &sources {
            for disk_status in DiskStatus::VARIANTS {
                for status in InstanceStatus::VARIANTS {
                    for has_started in [false, true] {
                        for set in &every_set {
                            for (instance_locks, disk_locks, rep) in [
                                (
                                    *set,
                                    LockSet::EMPTY,
                                    (representative(*set, true), LockSet::EMPTY),
                                ),
                                (
                                    LockSet::EMPTY,
                                    *set,
                                    (LockSet::EMPTY, representative(*set, false)),
                                ),
                            ] {
                                let world = |instance_locks, disk_locks| Scenario {
                                    request: [("DiskId".to_owned(), "d-1".to_owned())].into(),
                                    disks: vec![Disk {
                                        id: "d-1".into(),
                                        status: *disk_status,
                                        instance_id: Some("i-1".into()),
                                        source: source.clone(),
                                        operation_locks: disk_locks,
                                        ..Disk::default()
                                    }],
                                    instances: vec![Instance {
                                        id: "i-1".into(),
                                        status: *status,
                                        has_started,
                                        operation_locks: instance_locks,
                                        ..Instance::default()
                                    }],
                                    images: images.clone(),
                                    snapshots: snapshots.clone(),
                                    policy: *policy,
                                    ..Scenario::default()
                                };
                                let concrete = world(instance_locks, disk_locks);
                                let swept = world(rep.0, rep.1);
                                let request = Request::new("d-1");
                                assert_eq!(
                                    Decision::from(&reinit_disk::evaluate(
                                        &request, &concrete, policy
                                    )),
                                    Decision::from(&reinit_disk::evaluate(
                                        &request, &swept, policy
                                    )),
                                    "{concrete:?}"
                                );
                                compared += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    assert_eq!(compared, 4 * 3 * 6 * 5 * 2 * 32 * 2);
}
