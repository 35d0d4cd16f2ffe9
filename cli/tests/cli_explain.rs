//! `reinit-disk explain`: every check in policy order with what it found and
//! the facts it read, then the decision; colour only on request or on a
//! terminal.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use std::process::Output;

use reinit_disk::revision::SEED;
use serde_json::{Value, json};

fn run(args: &[&str], stdin: &str) -> Output {
    common::cli::run(args, stdin.as_bytes())
}

/// `explain` under the seed revision (these cases are the seed's; the
/// default is the newest revision).
fn explain(scenario: &Value) -> Vec<String> {
    let out = run(&["explain", "--revision", "seed"], &scenario.to_string());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

/// The line of check `name`.
fn line<'a>(lines: &'a [String], name: &str) -> &'a str {
    lines
        .iter()
        .find(|l| l.split_whitespace().nth(1) == Some(name))
        .unwrap_or_else(|| panic!("no line for {name}: {lines:#?}"))
}

fn world() -> Value {
    json!({
        "Request": {"Action": "ReInitDisk", "DiskId": "d-1"},
        "Disks": [{"DiskId": "d-1", "Type": "data", "Category": "cloud_essd", "Status": "In_use",
                   "InstanceId": "i-1", "SourceSnapshotId": "s-1"}],
        "Instances": [{"InstanceId": "i-1", "Status": "Stopped", "HasStarted": true}],
        "Snapshots": [{"SnapshotId": "s-1", "CreationTime": "2014-01-01T00:00:00Z"}]
    })
}

/// The check names, in the order printed.
fn check_names(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter(|l| {
            l.split_whitespace()
                .next()
                .is_some_and(|n| n.ends_with('.') && n.trim_end_matches('.').parse::<u32>().is_ok())
        })
        .map(|l| l.split_whitespace().nth(1).unwrap().to_owned())
        .collect()
}

#[test]
fn every_check_appears_in_policy_order() {
    let lines = explain(&world());
    let names = check_names(&lines);
    let expected: Vec<String> = SEED
        .request_checks
        .iter()
        .chain(SEED.world_checks.iter())
        .map(ToString::to_string)
        .collect();
    assert_eq!(names, expected);
    // A policy order is followed.
    let mut reordered = world();
    let mut order: Vec<String> = SEED.world_checks.iter().map(ToString::to_string).collect();
    order.reverse();
    reordered["Policy"] = json!({"Revision": "seed", "Order": order});
    let lines = explain(&reordered);
    let names = check_names(&lines);
    assert_eq!(names[3], "hardening-supported");
    assert_eq!(names[13], "disk-exists");
}

#[test]
fn an_accepted_request_shows_each_check_passed_or_not_applicable_with_its_facts() {
    let lines = explain(&world());
    assert_eq!(lines[0], "Request: Action=ReInitDisk, DiskId=d-1");
    assert!(
        line(&lines, "disk-in-use")
            .ends_with("passed          disk d-1 Status = In_use, needs In_use")
    );
    assert!(line(&lines, "instance-stopped").contains(
        "passed          instance i-1 Status = Stopped, HasStarted = true, needs Stopped and HasStarted = true"
    ));
    assert!(
        line(&lines, "source-snapshot-exists")
            .contains("passed          snapshot s-1 Deleted = false")
    );
    assert!(line(&lines, "source-snapshot-not-too-old").contains(
        "snapshot s-1 CreationTime = 2014-01-01T00:00:00Z, needs on or after 2013-07-16T00:00:00Z"
    ));
    assert!(
        line(&lines, "source-image-exists")
            .contains("not applicable  disk d-1 is a data disk, from snapshot s-1")
    );
    assert_eq!(
        lines.last().unwrap(),
        "Decision: accepted (200): disk d-1 on instance i-1 is reset to snapshot s-1, security hardening none; ReIniting while it runs, then In_use"
    );
}

#[test]
fn a_rejected_request_shows_the_failing_check_its_facts_and_nothing_after() {
    let mut w = world();
    w["Disks"][0]["Status"] = json!("Detaching");
    let lines = explain(&w);
    assert!(
        line(&lines, "disk-in-use")
            .ends_with("failed          disk d-1 Status = Detaching, needs In_use"),
        "{lines:#?}"
    );
    for later in [
        "instance-stopped",
        "no-snapshot-in-progress",
        "hardening-supported",
    ] {
        assert!(line(&lines, later).ends_with("not reached"), "{later}");
    }
    assert_eq!(
        lines.last().unwrap(),
        "Decision: rejected (403) by check disk-in-use: IncorrectDiskStatus \"The current disk status does not support this operation.\""
    );
}

#[test]
fn facts_name_locks_missing_resources_and_bad_parameters() {
    let mut locked = world();
    locked["Instances"][0]["OperationLocks"] = json!(["security", "financial"]);
    let lines = explain(&locked);
    assert!(line(&lines, "instance-not-security-locked")
        .contains("failed          instance i-1 OperationLocks = [security, financial], needs no security lock"));

    let mut missing = world();
    missing["Request"]["DiskId"] = json!("d-9");
    let lines = explain(&missing);
    assert!(line(&lines, "disk-exists").contains("failed          no disk d-9"));

    let mut bad = world();
    bad["Request"]["SecurityEnhancementStrategy"] = json!("active");
    let lines = explain(&bad);
    assert!(line(&lines, "strategy-value").contains(
        "failed          SecurityEnhancementStrategy = active, needs Active or Deactive"
    ));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let text = world().to_string();
    let piped = run(&["explain"], &text);
    assert!(!piped.stdout.contains(&0x1b), "no escape codes in a pipe");
    let always = run(&["explain", "--color", "always"], &text);
    let out = String::from_utf8(always.stdout).unwrap();
    assert!(out.contains("\x1b[32mpassed"), "{out}");
    let never = run(&["explain", "--color", "never"], &text);
    assert!(!never.stdout.contains(&0x1b));
}

#[test]
fn an_invalid_scenario_exits_2_with_one_line() {
    let out = run(&["explain", "-"], r#"{"Disks": [{"DiskId": "d-1"}]}"#);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1);
    assert!(
        stderr.starts_with("reinit-disk: invalid scenario <stdin>: Disks[0]"),
        "{stderr}"
    );
    let bad = run(&["explain", "--color", "sometimes"], "");
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8(bad.stderr).unwrap();
    assert!(
        stderr.contains("sometimes") && stderr.contains("auto, always, never"),
        "{stderr}"
    );
}

fn explain_all(scenario: &Value, extra: &[&str]) -> Vec<String> {
    let mut args = vec!["explain", "--all"];
    if !extra.contains(&"--revision") {
        args.extend_from_slice(&["--revision", "seed"]);
    }
    args.extend_from_slice(extra);
    let out = run(&args, &scenario.to_string());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn explain_all_shows_every_failure_but_the_first_still_decides() {
    let mut w = world();
    w["Disks"][0]["Status"] = json!("Detaching");
    w["Disks"][0]["CreatingSnapshot"] = json!(true);
    w["Instances"][0]["Status"] = json!("Running");
    let lines = explain_all(&w, &[]);
    assert_eq!(
        lines[1],
        "Checks, in policy order (revision seed), every one run (--all):"
    );
    assert!(
        line(&lines, "disk-in-use")
            .ends_with("failed          disk d-1 Status = Detaching, needs In_use"),
        "{lines:#?}"
    );
    assert!(
        line(&lines, "instance-stopped").contains("also failed     instance i-1 Status = Running"),
        "{lines:#?}"
    );
    assert!(
        line(&lines, "no-snapshot-in-progress")
            .contains("also failed     disk d-1 CreatingSnapshot = true"),
        "{lines:#?}"
    );
    assert!(line(&lines, "source-snapshot-exists").contains("passed"));
    let n = lines.len();
    assert_eq!(
        lines[n - 2],
        "Decision: rejected (403) by check disk-in-use: IncorrectDiskStatus \"The current disk status does not support this operation.\""
    );
    assert_eq!(
        lines[n - 1],
        "The first failure decides (ECS answers with disk-in-use alone); 2 more checks fail after it: instance-stopped (IncorrectInstanceStatus), no-snapshot-in-progress (DiskCreatingSnapshot)."
    );
    // The decision is the one plain `explain` and `eval` give.
    assert_eq!(explain(&w).last().unwrap(), &lines[n - 2]);
}

#[test]
fn explain_all_runs_the_world_checks_after_a_failed_request_check() {
    let mut w = world();
    w["Request"]["Action"] = json!("DescribeDisks");
    w["Instances"][0]["Status"] = json!("Running");
    let lines = explain_all(&w, &[]);
    assert!(line(&lines, "action").contains("failed"), "{lines:#?}");
    assert!(line(&lines, "disk-exists").contains("passed"), "{lines:#?}");
    assert!(
        line(&lines, "instance-stopped").contains("also failed"),
        "{lines:#?}"
    );
    assert!(
        lines
            .last()
            .unwrap()
            .starts_with("The first failure decides (ECS answers with action alone); 1 more check fails after it: instance-stopped (IncorrectInstanceStatus)"),
        "{lines:#?}"
    );
}

#[test]
fn explain_all_says_a_check_could_not_run_when_its_fact_is_missing() {
    let mut w = world();
    w["Request"]["DiskId"] = json!("d-9");
    let lines = explain_all(&w, &[]);
    assert!(line(&lines, "disk-exists").contains("failed          no disk d-9"));
    for later in [
        "category-supported",
        "disk-in-use",
        "instance-stopped",
        "source-snapshot-exists",
    ] {
        assert!(
            line(&lines, later).contains(
                "could not run   no disk d-9 (needs the disk, which the world does not have)"
            ),
            "{later}: {lines:#?}"
        );
    }
    assert!(
        lines.last().unwrap().ends_with("no other check fails."),
        "{lines:#?}"
    );
    // An unattached disk: the instance checks could not run, the disk's own did.
    let mut w = world();
    w["Disks"][0]["Status"] = json!("Available");
    w["Disks"][0].as_object_mut().unwrap().remove("InstanceId");
    let lines = explain_all(&w, &[]);
    assert!(line(&lines, "disk-in-use").contains("failed"), "{lines:#?}");
    assert!(
        line(&lines, "instance-stopped").contains("could not run")
            && line(&lines, "instance-stopped")
                .ends_with("(needs the disk's instance, which the world does not have)"),
        "{lines:#?}"
    );
    assert!(
        line(&lines, "source-snapshot-exists").contains("passed"),
        "{lines:#?}"
    );
}

#[test]
fn explain_all_under_2025_02_27_lists_its_checks_and_keeps_the_password_secret() {
    use reinit_disk::revision::V2025_02_27;
    let mut w = world();
    w["Request"]["Password"] = json!("Sup3r-Secret-Pw");
    w["Request"]["DiskId"] = json!("d-9");
    let lines = explain_all(&w, &["--revision", "2025-02-27"]);
    let text = lines.join("\n");
    assert!(!text.contains("Sup3r-Secret-Pw"), "{text}");
    assert!(text.contains("Password=(given, not shown)"), "{text}");
    assert!(
        line(&lines, "password-value").contains("Password given (not shown)"),
        "{text}"
    );
    let names = check_names(&lines);
    let expected: Vec<String> = V2025_02_27
        .request_checks
        .iter()
        .chain(V2025_02_27.world_checks.iter())
        .map(ToString::to_string)
        .collect();
    assert_eq!(names, expected);
    assert!(line(&lines, "disk-exists").contains("failed"), "{text}");
    assert!(
        line(&lines, "user-in-white-list").contains("passed"),
        "{text}"
    );
    assert!(
        line(&lines, "kms-key-usable").contains("could not run"),
        "{text}"
    );
}

#[test]
fn explain_all_of_an_accepted_request_is_the_plain_explanation() {
    let plain = explain(&world());
    let all = explain_all(&world(), &[]);
    assert_eq!(plain.len(), all.len());
    assert_eq!(plain[2..], all[2..]);
    assert!(all.last().unwrap().starts_with("Decision: accepted (200)"));
}

/// Ids holding a terminal escape, a newline or a bidirectional override
/// are written escaped (issue 21): no raw control character reaches the
/// terminal, and no line is forged.
#[test]
fn explain_escapes_control_characters_from_the_input() {
    let hostile = "d-\u{1b}[2J\u{9b}1m\nDecision: accepted\u{202e}";
    let scenario = json!({
        "Request": {"DiskId": hostile},
        "Disks": [{"DiskId": hostile, "Type": "data", "Category": "cloud_essd", "Status": "Available"}],
    });
    for extra in [&[][..], &["--all"][..]] {
        let mut args = vec!["explain"];
        args.extend_from_slice(extra);
        let out = run(&args, &scenario.to_string());
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(
            !stdout.chars().any(|c| c.is_control() && c != '\n'),
            "{stdout:?}"
        );
        assert!(!stdout.contains('\u{202e}'), "{stdout:?}");
        assert!(
            stdout.contains(r"d-\u{1b}[2J\u{9b}1m\u{a}Decision: accepted\u{202e}"),
            "{stdout}"
        );
        assert_eq!(
            stdout
                .lines()
                .filter(|l| l.starts_with("Decision:"))
                .count(),
            1,
            "{stdout}"
        );
    }
}

/// Every shipped test scenario (its path and text) under every revision
/// that fits it, as `--revision` names it.
fn shipped() -> Vec<(String, String, &'static str)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
    let mut all = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let name = path.display().to_string();
            if !name.ends_with(".json") || name.ends_with(".expected.json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let scenario = reinit_disk::scenario::Scenario::from_json(&text).unwrap();
            for revision in reinit_disk::revision::ALL {
                if scenario.clone().with_revision(revision).is_ok() {
                    all.push((name.clone(), text.clone(), revision.name));
                }
            }
        }
    }
    assert!(all.len() > 300, "{} scenarios", all.len());
    all
}

/// The status column of a check line.
fn status(line: &str) -> &str {
    let rest = line.get(35..).unwrap_or("");
    rest.get(..14).unwrap_or(rest).trim_end()
}

#[test]
fn explain_all_agrees_with_explain_up_to_the_deciding_check_and_on_the_decision() {
    let lines = |args: &[&str], text: &str| -> Vec<String> {
        let out = run(args, text);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_owned)
            .collect()
    };
    for (name, text, revision) in shipped() {
        let name = format!("{name} under {revision}");
        let plain = lines(&["explain", "--revision", revision], &text);
        let all = lines(&["explain", "--all", "--revision", revision], &text);
        // Request line, then one line a check, then the decision.
        assert_eq!(plain[0], all[0], "{name}");
        let checks = plain.len() - 3;
        let decision = plain.len() - 1;
        assert_eq!(plain[decision], all[decision], "{name}");
        let decider = (2..2 + checks).find(|&i| status(&plain[i]) == "failed");
        for i in 2..2 + checks {
            match decider {
                // Up to the deciding check (included), the same line.
                Some(d) if i <= d => assert_eq!(plain[i], all[i], "{name}"),
                // After it, every check ran.
                Some(_) => {
                    assert_eq!(status(&plain[i]), "not reached", "{name}");
                    assert!(
                        ["passed", "also failed", "not applicable", "could not run"]
                            .contains(&status(&all[i])),
                        "{name}: {}",
                        all[i]
                    );
                }
                None => assert_eq!(plain[i], all[i], "{name}"),
            }
        }
        // Exactly one check decides, and it is the engine's.
        let failed = all.iter().filter(|l| status(l) == "failed").count();
        match decider {
            Some(d) => {
                assert_eq!(failed, 1, "{name}");
                let check = all[d].split_whitespace().nth(1).unwrap();
                assert!(
                    all[decision].contains(&format!("by check {check}:")),
                    "{name}"
                );
                assert!(
                    all[decision + 1].starts_with(&format!(
                        "The first failure decides (ECS answers with {check} alone)"
                    )),
                    "{name}"
                );
            }
            None => {
                assert_eq!(failed, 0, "{name}");
                assert_eq!(all.len(), plain.len(), "{name}");
            }
        }
    }
}
