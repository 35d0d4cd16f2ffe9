//! `reinit-disk diff`: every class of situations whose answer changes, with
//! its count and a witness; held against a brute-force comparison written
//! here, its witnesses replayed through `eval`, and docs/revisions.md kept
//! in sync with its output.
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
    CreationTime, Disk, DiskCategory, DiskSource, DiskStatus, Image, ImageOwnerAlias, Instance,
    InstanceStatus, LockReason, LockSet, Snapshot,
};
use reinit_disk::scenario::{Decision, Scenario};
use reinit_disk::{Policy, Request};
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

/// The brute force: every situation of the space docs/cli.md describes,
/// built afresh and decided under both policies; the changed ones counted
/// by (old answer, new answer).
fn brute_force(from: &Policy, to: &Policy) -> (u64, BTreeMap<(String, String), u64>) {
    let decide = |scenario: &Scenario, policy: &Policy| {
        let mut s = scenario.clone();
        s.policy = *policy;
        seen(&serde_json::to_value(Decision::from(&s.evaluate())).unwrap()).to_string()
    };
    let mut total = 0;
    let mut changed = BTreeMap::new();
    let mut visit = |scenario: Scenario| {
        total += 1;
        let (old, new) = (decide(&scenario, from), decide(&scenario, to));
        if old != new {
            *changed.entry((old, new)).or_insert(0) += 1;
        }
    };
    let with_request = |params: &[(&str, &str)], world: Scenario| Scenario {
        request: params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
        ..world
    };
    let accepted_world = || Scenario {
        disks: vec![Disk {
            id: "d-1".into(),
            category: DiskCategory::CloudEssd,
            status: DiskStatus::InUse,
            instance_id: Some("i-1".into()),
            ..Disk::default()
        }],
        instances: vec![Instance {
            id: "i-1".into(),
            status: InstanceStatus::Stopped,
            has_started: true,
            ..Instance::default()
        }],
        ..Scenario::default()
    };
    // The request alone.
    for action in [None, Some("ReInitDisk"), Some("DescribeDisks")] {
        for disk_id in [None, Some(""), Some("d-1")] {
            for strategy in [
                None,
                Some(""),
                Some("Active"),
                Some("Deactive"),
                Some("active"),
            ] {
                if action == Some("ReInitDisk")
                    && disk_id == Some("d-1")
                    && matches!(strategy, None | Some("Active" | "Deactive"))
                {
                    continue;
                }
                let mut params = vec![];
                for (name, value) in [
                    ("Action", action),
                    ("DiskId", disk_id),
                    ("SecurityEnhancementStrategy", strategy),
                ] {
                    if let Some(value) = value {
                        params.push((name, value));
                    }
                }
                visit(with_request(&params, accepted_world()));
            }
        }
    }
    let strategies = [None, Some("Active"), Some("Deactive")];
    let request = |strategy: Option<&'static str>| {
        let mut p = vec![("Action", "ReInitDisk"), ("DiskId", "d-1")];
        if let Some(s) = strategy {
            p.push(("SecurityEnhancementStrategy", s));
        }
        p
    };
    // No disk.
    for strategy in strategies {
        visit(with_request(&request(strategy), Scenario::default()));
    }
    // Every disk.
    let mut sources: Vec<(DiskSource, Vec<Image>, Vec<Snapshot>)> =
        vec![(DiskSource::Empty, vec![], vec![])];
    for alias in ImageOwnerAlias::VARIANTS {
        for deleted in [false, true] {
            let image = Image {
                id: "m-1".into(),
                image_owner_alias: *alias,
                deleted,
                ..Image::default()
            };
            sources.push((
                DiskSource::Image {
                    image_id: "m-1".into(),
                    snapshot_id: None,
                },
                vec![image],
                vec![],
            ));
        }
    }
    for time in [
        "2020-01-01T00:00:00Z",
        "2012-01-01T00:00:00Z",
        "2013-07-14T23:59:59Z",
        "2013-07-15T00:00:00Z",
        "2013-07-15T23:59Z",
        "2013-07-16T00:00:00Z",
    ] {
        for deleted in [false, true] {
            let snapshot = Snapshot {
                id: "s-1".into(),
                creation_time: time.parse::<CreationTime>().unwrap(),
                deleted,
                ..Snapshot::default()
            };
            sources.push((
                DiskSource::Snapshot {
                    snapshot_id: "s-1".into(),
                },
                vec![],
                vec![snapshot],
            ));
        }
    }
    let locks = |r: &[LockReason]| r.iter().copied().collect::<LockSet>();
    let mut instances = vec![None];
    for status in InstanceStatus::VARIANTS {
        for has_started in [false, true] {
            for operation_locks in [
                LockSet::EMPTY,
                locks(&[LockReason::Security]),
                locks(&[LockReason::Financial]),
                locks(&[LockReason::Security, LockReason::Financial]),
            ] {
                instances.push(Some(Instance {
                    id: "i-1".into(),
                    status: *status,
                    has_started,
                    operation_locks,
                    ..Instance::default()
                }));
            }
        }
    }
    for (source, images, snapshots) in &sources {
        for category in DiskCategory::VARIANTS {
            for status in DiskStatus::VARIANTS {
                for disk_locks in [LockSet::EMPTY, locks(&[LockReason::Financial])] {
                    for instance in &instances {
                        if instance.is_none() && *status == DiskStatus::InUse {
                            continue;
                        }
                        for creating_snapshot in [false, true] {
                            for strategy in strategies {
                                visit(Scenario {
                                    request: request(strategy)
                                        .iter()
                                        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                                        .collect(),
                                    disks: vec![Disk {
                                        id: "d-1".into(),
                                        category: *category,
                                        status: *status,
                                        instance_id: instance.as_ref().map(|_| "i-1".to_owned()),
                                        source: source.clone(),
                                        creating_snapshot,
                                        operation_locks: disk_locks,
                                        ..Disk::default()
                                    }],
                                    instances: instance.iter().cloned().collect(),
                                    images: images.clone(),
                                    snapshots: snapshots.clone(),
                                    ..Scenario::default()
                                });
                            }
                        }
                    }
                }
            }
        }
    }
    (total, changed)
}

/// What `diff --format json` reported, keyed as [`brute_force`] keys it.
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

/// Replays each witness through `eval`: the new side's decision as it is
/// (its policy is the new side's), the old side's with `from_policy` in
/// its place.
fn witnesses_replay(report: &Value, from_policy: &Value, dir: &Path) {
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
        witness["Policy"] = from_policy.clone();
        std::fs::write(&path, witness.to_string()).unwrap();
        let out = run(&["eval", path.to_str().unwrap()], b"");
        let old: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            old, class["From"],
            "witness {n}: eval disagrees with the old side"
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
        assert!(report["Situations"].as_u64().unwrap() > 800_000);
    }
}

#[test]
fn diff_of_policies_one_knob_apart_reports_exactly_what_brute_force_finds() {
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
        let (total, classes) = brute_force(&Policy::new(&reinit_disk::revision::SEED), &to);
        assert!(!classes.is_empty(), "{name}: the knob changes something");
        assert_eq!(reported(&report), (total, classes), "{name}");
        witnesses_replay(&report, &default, &dir);
    }
}

#[test]
fn diff_of_seed_to_2025_is_what_brute_force_finds_and_its_witnesses_replay() {
    let dir = temp_dir("revisions");
    let (status, report) = diff_json("seed", "2025-02-27");
    assert_eq!(status, Some(1));
    let v2025 = Policy::new(&reinit_disk::revision::V2025_02_27);
    assert_eq!(
        reported(&report),
        brute_force(&Policy::new(&reinit_disk::revision::SEED), &v2025)
    );
    witnesses_replay(
        &report,
        &serde_json::to_value(Policy::new(&reinit_disk::revision::SEED)).unwrap(),
        &dir,
    );
    // Said plainly: the later revision's own facts were not enumerated.
    let limits = report["NotEnumerated"].to_string();
    assert!(
        limits.contains("complete only for the facts both revisions share"),
        "{limits}"
    );
    let (_, same) = diff_json("seed", "seed");
    assert!(
        !same["NotEnumerated"]
            .to_string()
            .contains("both revisions share")
    );
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
