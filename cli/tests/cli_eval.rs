//! `reinit-disk eval`: how it reads a scenario (a file, `-`, standard input)
//! and how it refuses one that is not valid: exit 2, one line on stderr
//! naming the field at fault (and, for an enum, the accepted values),
//! nothing on stdout, never a panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use std::path::Path;
use std::process::Output;

use serde_json::{Value, json};

const EXAMPLE: &str = "examples/accepted-system-disk.json";

/// Runs `reinit-disk` with `args`, feeding `stdin` to it.
fn run(args: &[&str], stdin: &str) -> Output {
    common::cli::run(args, stdin.as_bytes())
}

/// `reinit-disk eval` on `scenario` (given on standard input).
fn eval(scenario: &str) -> Output {
    run(&["eval"], scenario)
}

/// Asserts that `out` refuses the scenario the way every invalid scenario is
/// refused, and returns its one stderr line.
fn refused(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "exit status; stderr: {stderr}");
    assert!(stdout.is_empty(), "stdout must stay empty, got {stdout:?}");
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(
        stderr.ends_with('\n') && stderr.lines().count() == 1,
        "one line on stderr, got {stderr:?}"
    );
    stderr.trim_end().to_owned()
}

/// Asserts the scenario is refused with a line naming `path` and containing
/// every one of `words`.
fn assert_refused(scenario: &str, path: &str, words: &[&str]) {
    let line = refused(&eval(scenario));
    assert!(
        line.contains(&format!("{path}: ")),
        "stderr should name {path}: {line}"
    );
    for word in words {
        assert!(line.contains(word), "stderr should say {word:?}: {line}");
    }
}

/// A valid scenario (a data disk created empty, accepted), to break one
/// piece at a time.
fn valid() -> Value {
    json!({
        "Request": {"Action": "ReInitDisk", "DiskId": "d-1"},
        "Disks": [{"DiskId": "d-1", "Type": "data", "Category": "cloud_essd", "Status": "In_use",
                   "InstanceId": "i-1", "CreatingSnapshot": false}],
        "Instances": [{"InstanceId": "i-1", "Status": "Stopped", "HasStarted": true, "OperationLocks": []}],
        "Images": [{"ImageId": "m-1", "ImageOwnerAlias": "system", "Deleted": false}],
        "Snapshots": [{"SnapshotId": "s-1", "CreationTime": "2014-01-01T00:00:00Z", "Deleted": false}],
        "Policy": {}
    })
}

/// `valid()` changed by `edit`, as text.
fn with(edit: impl FnOnce(&mut Value)) -> String {
    let mut scenario = valid();
    edit(&mut scenario);
    scenario.to_string()
}

fn accepted(out: &Output) -> Value {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.is_empty(), "stderr: {stderr}");
    let stdout = String::from_utf8(out.stdout.clone()).unwrap();
    assert_eq!(stdout.lines().count(), 1, "one JSON line: {stdout:?}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn the_valid_base_scenario_is_accepted() {
    // The invalid scenarios below each break one piece of this one.
    let decision = accepted(&eval(&with(|_| {})));
    assert_eq!(decision["Accepted"], json!(true));
    assert_eq!(decision["Target"]["ResetTo"], json!("Empty"));
}

#[test]
fn bad_json_is_refused() {
    assert_refused(r#"{"Request": {"DiskId": "d-1"}"#, ".", &["not valid JSON"]);
    assert_refused(
        r#"{"Request": {"DiskId": 'd-1'}}"#,
        ".",
        &["not valid JSON"],
    );
    assert_refused("{} {}", ".", &["not valid JSON", "trailing"]);
}

#[test]
fn an_empty_file_is_refused() {
    assert_refused(
        "",
        ".",
        &["the scenario is empty", "expected a JSON object"],
    );
    assert_refused("  \n", ".", &["the scenario is empty"]);
}

#[test]
fn a_document_that_is_not_an_object_is_refused() {
    assert_refused("null", ".", &["expected a scenario (a JSON object)"]);
    assert_refused("\"d-1\"", ".", &["expected a scenario (a JSON object)"]);
}

#[test]
fn a_list_in_place_of_an_object_is_refused() {
    // serde would otherwise read a struct from a list of its fields in order.
    assert_refused(
        "[]",
        ".",
        &[
            "invalid type: sequence",
            "expected a scenario (a JSON object)",
        ],
    );
    assert_refused(r#"["text"]"#, ".", &["expected a scenario (a JSON object)"]);
    assert_refused(
        r#"{"Disks": [["d-1", "data", "cloud", "Available"]]}"#,
        "Disks[0]",
        &["expected a disk (a JSON object)"],
    );
    assert_refused(
        r#"{"Instances": [["i-1", "Stopped"]]}"#,
        "Instances[0]",
        &["expected an instance (a JSON object)"],
    );
    assert_refused(
        r#"{"Images": [["m-1", "system"]]}"#,
        "Images[0]",
        &["expected an image (a JSON object)"],
    );
    assert_refused(
        r#"{"Snapshots": [["s-1", "2014-01-01T00:00:00Z"]]}"#,
        "Snapshots[0]",
        &["expected a snapshot (a JSON object)"],
    );
    assert_refused(
        r#"{"Policy": []}"#,
        "Policy",
        &["expected a policy (a JSON object)"],
    );
}

#[test]
fn an_unknown_top_level_field_is_refused_with_the_known_ones() {
    assert_refused(
        &with(|s| s["Disk"] = json!([])),
        "Disk",
        &["unknown field `Disk`", "`Disks`", "`Instances`", "`Policy`"],
    );
}

#[test]
fn an_unknown_field_inside_a_disk_is_refused() {
    assert_refused(
        &with(|s| s["Disks"][0]["Sise"] = json!(40)),
        "Disks[0].Sise",
        &[
            "unknown field `Sise`",
            "`DiskId`",
            "`SourceSnapshotId`",
            "other fields of ECS's DescribeDisks record",
        ],
    );
    // A field of ECS's record spelled in another case is named.
    assert_refused(
        &with(|s| s["Disks"][0]["size"] = json!(40)),
        "Disks[0].size",
        &["unknown field `size`", "did you mean `Size`?"],
    );
}

#[test]
fn a_disk_field_written_from_the_facts_is_refused() {
    // `Device` follows the disk's attachment: the describer writes it.
    assert_refused(
        &with(|s| s["Disks"][0]["Device"] = json!("/dev/xvdz")),
        "Disks[0].Device",
        &["`Device` is written from a disk's facts", "cannot be given"],
    );
}

#[test]
fn unknown_fields_inside_the_other_lists_and_the_policy_are_refused() {
    assert_refused(
        &with(|s| s["Instances"][0]["Locks"] = json!([])),
        "Instances[0].Locks",
        &["unknown field"],
    );
    assert_refused(
        &with(|s| s["Images"][0]["OwnerAlias"] = json!("self")),
        "Images[0].OwnerAlias",
        &["unknown field"],
    );
    assert_refused(
        &with(|s| s["Snapshots"][0]["Created"] = json!("2014-01-01T00:00:00Z")),
        "Snapshots[0].Created",
        &["unknown field"],
    );
    assert_refused(
        &with(|s| s["Policy"]["Strict"] = json!(true)),
        "Policy.Strict",
        &["unknown field", "`Order`", "`DeletedSnapshotCode`"],
    );
}

#[test]
fn an_unknown_disk_status_is_refused_with_the_accepted_values() {
    assert_refused(
        &with(|s| s["Disks"][0]["Status"] = json!("in_use")),
        "Disks[0].Status",
        &[
            "unknown variant `in_use`",
            "`In_use`, `Available`, `Attaching`, `Detaching`, `Creating`, `ReIniting`",
        ],
    );
}

/// A field path, an edit that puts a bad value there, the accepted values.
type EnumCase = (&'static str, fn(&mut Value), &'static [&'static str]);

#[test]
fn every_enum_field_names_its_accepted_values() {
    let cases: [EnumCase; 8] = [
        (
            "Disks[0].Type",
            |s| s["Disks"][0]["Type"] = json!("System"),
            &["`system`", "`data`"],
        ),
        (
            "Disks[0].Category",
            |s| s["Disks"][0]["Category"] = json!("essd"),
            &[
                "`cloud`",
                "`cloud_essd`",
                "`local_ssd_pro`",
                "`ephemeral_ssd`",
            ],
        ),
        (
            "Instances[0].Status",
            |s| s["Instances"][0]["Status"] = json!("stopped"),
            &[
                "`Pending`",
                "`Running`",
                "`Starting`",
                "`Stopping`",
                "`Stopped`",
            ],
        ),
        (
            "Instances[0].OperationLocks[0]",
            |s| s["Instances"][0]["OperationLocks"] = json!(["Security"]),
            &[
                "`security`",
                "`financial`",
                "`recycling`",
                "`dedicatedhostfinancial`",
                "`refunded`",
            ],
        ),
        (
            "Images[0].ImageOwnerAlias",
            |s| s["Images"][0]["ImageOwnerAlias"] = json!("public"),
            &["`system`", "`self`", "`others`", "`marketplace`"],
        ),
        (
            "Policy.DeletedSnapshotCode",
            |s| s["Policy"]["DeletedSnapshotCode"] = json!("Denied"),
            &["`InvalidSourceSnapshot`", "`OperationDenied`"],
        ),
        (
            "Policy.ActiveOnNonPublicImage",
            |s| s["Policy"]["ActiveOnNonPublicImage"] = json!("Refuse"),
            &["`Ignore`", "`Reject`"],
        ),
        (
            "Policy.UnsupportedCategories[0]",
            |s| s["Policy"]["UnsupportedCategories"] = json!(["local"]),
            &["`local_ssd_pro`", "`elastic_ephemeral_disk_premium`"],
        ),
    ];
    for (path, edit, values) in cases {
        assert_refused(&with(edit), path, values);
    }
}

#[test]
fn a_duplicate_id_is_refused() {
    assert_refused(
        &with(|s| {
            let again = s["Instances"][0].clone();
            s["Instances"].as_array_mut().unwrap().push(again);
        }),
        "Instances[1].InstanceId",
        &["duplicate id \"i-1\"", "Instances[0]"],
    );
    assert_refused(
        &with(|s| {
            let again = s["Disks"][0].clone();
            s["Disks"].as_array_mut().unwrap().push(again);
        }),
        "Disks[1].DiskId",
        &["duplicate id \"d-1\""],
    );
    assert_refused(
        &with(|s| {
            let again = s["Images"][0].clone();
            s["Images"].as_array_mut().unwrap().push(again);
        }),
        "Images[1].ImageId",
        &["duplicate id \"m-1\""],
    );
    assert_refused(
        &with(|s| {
            let again = s["Snapshots"][0].clone();
            s["Snapshots"].as_array_mut().unwrap().push(again);
        }),
        "Snapshots[1].SnapshotId",
        &["duplicate id \"s-1\""],
    );
}

#[test]
fn an_empty_id_is_refused() {
    assert_refused(
        &with(|s| s["Instances"][0]["InstanceId"] = json!("")),
        "Instances[0].InstanceId",
        &["empty"],
    );
}

#[test]
fn a_disk_naming_an_instance_not_listed_is_refused() {
    assert_refused(
        &with(|s| s["Disks"][0]["InstanceId"] = json!("i-9")),
        "Disks[0].InstanceId",
        &["\"i-9\" is not listed in Instances"],
    );
}

#[test]
fn a_disk_naming_an_image_not_listed_is_refused() {
    assert_refused(
        &with(|s| {
            s["Disks"][0]["Type"] = json!("system");
            s["Disks"][0]["ImageId"] = json!("m-9");
        }),
        "Disks[0].ImageId",
        &["\"m-9\" is not listed in Images", "\"Deleted\": true"],
    );
}

#[test]
fn a_disk_naming_a_snapshot_not_listed_is_refused() {
    assert_refused(
        &with(|s| s["Disks"][0]["SourceSnapshotId"] = json!("s-9")),
        "Disks[0].SourceSnapshotId",
        &["\"s-9\" is not listed in Snapshots"],
    );
    // A system disk's SourceSnapshotId is ignored by the rules, but must
    // still be listed.
    assert_refused(
        &with(|s| {
            s["Disks"][0]["Type"] = json!("system");
            s["Disks"][0]["ImageId"] = json!("m-1");
            s["Disks"][0]["SourceSnapshotId"] = json!("s-9");
        }),
        "Disks[0].SourceSnapshotId",
        &["\"s-9\" is not listed in Snapshots"],
    );
}

#[test]
fn an_in_use_disk_without_an_instance_is_refused() {
    assert_refused(
        &with(|s| {
            s["Disks"][0].as_object_mut().unwrap().remove("InstanceId");
        }),
        "Disks[0].InstanceId",
        &["In_use"],
    );
}

#[test]
fn a_system_disk_without_an_image_is_refused() {
    assert_refused(
        &with(|s| s["Disks"][0]["Type"] = json!("system")),
        "Disks[0]",
        &["system disk needs an ImageId"],
    );
}

#[test]
fn a_data_disk_with_an_image_is_refused() {
    assert_refused(
        &with(|s| s["Disks"][0]["ImageId"] = json!("m-1")),
        "Disks[0]",
        &["data disk cannot have an ImageId"],
    );
}

#[test]
fn a_bad_creation_time_is_refused_with_the_accepted_forms() {
    for bad in [
        "2013-07-15",
        "2013-07-15 10:00:00",
        "2013-07-15T10Z",
        "yesterday",
    ] {
        assert_refused(
            &with(|s| s["Snapshots"][0]["CreationTime"] = json!(bad)),
            "Snapshots[0].CreationTime",
            &[bad, "RFC 3339", "2013-07-15T10:00Z"],
        );
    }
}

#[test]
fn a_policy_order_that_omits_a_check_is_refused() {
    assert_refused(
        &with(|s| s["Policy"]["Order"] = json!(["disk-exists"])),
        "Policy.Order",
        &["\"category-supported\" is missing", "hardening-supported"],
    );
}

#[test]
fn a_policy_order_that_repeats_a_check_is_refused() {
    let mut order = reinit_disk::revision::SEED
        .world_checks
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>();
    order.push("disk-exists");
    assert_refused(
        &with(|s| s["Policy"]["Order"] = json!(order)),
        "Policy.Order",
        &["\"disk-exists\" is listed twice"],
    );
}

#[test]
fn a_policy_order_that_names_a_request_check_is_refused() {
    let mut order = reinit_disk::revision::SEED
        .world_checks
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>();
    order[0] = "strategy-value";
    assert_refused(
        &with(|s| s["Policy"]["Order"] = json!(order)),
        "Policy.Order",
        &["\"strategy-value\" is a request check"],
    );
}

#[test]
fn a_policy_order_naming_an_unknown_check_is_refused_with_the_names() {
    assert_refused(
        &with(|s| s["Policy"]["Order"] = json!(["disk-found"])),
        "Policy.Order[0]",
        &[
            "unknown variant `disk-found`",
            "`disk-exists`",
            "`hardening-supported`",
        ],
    );
}

#[test]
fn a_non_string_request_value_is_refused() {
    assert_refused(
        &with(|s| s["Request"]["DiskId"] = json!(1)),
        "Request.DiskId",
        &["expected a string"],
    );
    assert_refused(
        &with(|s| s["Request"]["SecurityEnhancementStrategy"] = json!(null)),
        "Request.SecurityEnhancementStrategy",
        &["expected a string"],
    );
    // Unknown parameters are ignored, but they are still strings.
    assert_refused(
        &with(|s| s["Request"]["RegionId"] = json!(["cn-hangzhou"])),
        "Request.RegionId",
        &["expected a string"],
    );
}

#[test]
fn a_wrongly_typed_field_is_refused() {
    assert_refused(
        &with(|s| s["Instances"][0]["HasStarted"] = json!("yes")),
        "Instances[0].HasStarted",
        &["expected a boolean"],
    );
    assert_refused(
        &with(|s| s["Disks"] = json!({})),
        "Disks",
        &["expected a sequence"],
    );
}

#[test]
fn a_missing_required_field_is_refused() {
    assert_refused(
        &with(|s| {
            s["Instances"][0].as_object_mut().unwrap().remove("Status");
        }),
        "Instances[0]",
        &["missing field `Status`"],
    );
}

#[test]
fn it_reads_standard_input_without_a_file_or_with_a_dash() {
    let scenario = std::fs::read_to_string(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join(EXAMPLE),
    )
    .expect("the README's example scenario");
    let from_file = accepted(&run(&["eval", EXAMPLE], ""));
    let from_stdin = accepted(&run(&["eval"], &scenario));
    let from_dash = accepted(&run(&["eval", "-"], &scenario));
    assert_eq!(from_file["Accepted"], json!(true));
    assert_eq!(from_file["Target"]["SecurityEnhancement"], json!("Active"));
    assert_eq!(from_stdin, from_file);
    assert_eq!(from_dash, from_file);
}

#[test]
fn a_rejection_is_still_exit_0() {
    let out = eval(&with(|s| s["Request"]["DiskId"] = json!("d-404")));
    let decision = accepted(&out);
    assert_eq!(decision["Code"], json!("InvalidDiskId.NotFound"));
}

#[test]
fn an_invalid_file_names_the_file() {
    let dir = std::env::temp_dir().join(format!("reinit-disk-cli-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("broken-scenario.json");
    std::fs::write(&path, "{\"Disks\": 3}").unwrap();
    let line = refused(&run(&["eval", path.to_str().unwrap()], ""));
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(line.contains("broken-scenario.json"), "{line}");
    assert!(line.contains("Disks: "), "{line}");
}

#[test]
fn a_missing_file_is_refused_naming_it() {
    let line = refused(&run(&["eval", "no/such/scenario.json"], ""));
    assert!(line.contains("no/such/scenario.json"), "{line}");
}

#[test]
fn eval_help_shows_an_example() {
    let out = run(&["eval", "--help"], "");
    let help = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(help.contains("Usage: reinit-disk eval "), "{help}");
    assert!(help.contains("[FILE]"), "{help}");
    assert!(help.contains("Example"), "{help}");
    assert!(help.contains("| reinit-disk eval\n"), "{help}");
    assert!(help.contains("reinit-disk eval my-scenario.json"), "{help}");
    assert!(help.contains("docs/scenario.md"), "{help}");
}

#[test]
fn an_unknown_subcommand_or_extra_argument_is_a_usage_error() {
    for args in [&["evaluate"][..], &["eval", "a.json", "b.json"][..]] {
        let out = run(args, "");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn every_shipped_example_is_a_valid_scenario() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("examples");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let decision = accepted(&run(&["eval", path.to_str().unwrap()], ""));
            assert!(decision["Accepted"].is_boolean(), "{}", path.display());
            seen += 1;
        }
    }
    assert!(seen >= 1, "no example in examples/");
    let code =
        |name: &str| accepted(&run(&["eval", &format!("examples/{name}")], ""))["Code"].clone();
    assert_eq!(
        code("rejected-instance-never-started.json"),
        json!("IncorrectInstanceStatus")
    );
    assert_eq!(
        code("policy-deleted-snapshot-operation-denied.json"),
        json!("OperationDenied")
    );
}

#[test]
fn the_policy_names_its_revision_and_seed_is_the_default() {
    let default = accepted(&eval(&valid().to_string()));
    let named = accepted(&eval(&with(|s| {
        s["Policy"]["Revision"] = json!("seed");
    })));
    assert_eq!(default, named);
    assert_eq!(default["Accepted"], json!(true));
}

#[test]
fn an_unknown_revision_in_the_policy_is_refused_with_the_accepted_ones() {
    assert_refused(
        &with(|s| s["Policy"]["Revision"] = json!("2013-01-01")),
        "Policy.Revision",
        &["unknown revision \"2013-01-01\"", "expected one of seed"],
    );
    assert_refused(
        &with(|s| s["Policy"]["Revision"] = json!(7)),
        "Policy.Revision",
        &[
            "invalid type: integer `7`",
            "expected a revision name, one of seed",
        ],
    );
}

#[test]
fn the_old_catalogue_field_is_refused_naming_revision() {
    assert_refused(
        &with(|s| s["Policy"]["Catalogue"] = json!("Seed")),
        "Policy.Catalogue",
        &["unknown field `Catalogue`", "`Revision`"],
    );
}

#[test]
fn revision_on_the_command_line_decides_every_command() {
    let scenario = with(|s| s["Disks"][0]["Status"] = json!("Detaching"));
    let plain = run(&["eval"], &scenario);
    // No Revision in the scenario: the newest revision decides, as with the flag.
    let flagged = run(&["eval", "--revision", "2025-02-27"], &scenario);
    assert_eq!(plain.status.code(), Some(0));
    assert_eq!(plain.stdout, flagged.stdout);
    let lines = run(&["eval", "--lines", "--revision", "2025-02-27"], &scenario);
    assert_eq!(lines.stdout, plain.stdout);
    let explained = run(&["explain", "--revision", "seed"], &scenario);
    let text = String::from_utf8(explained.stdout).unwrap();
    assert!(
        text.contains("Checks, in policy order (revision seed):"),
        "{text}"
    );
    for command in ["table", "rules"] {
        let out = run(&[command, "--revision", "2025-02-27"], "");
        assert_eq!(out.status.code(), Some(0), "{command}");
        assert_eq!(out.stdout, run(&[command], "").stdout, "{command}");
    }
}

#[test]
fn an_unknown_revision_on_the_command_line_exits_2_with_the_accepted_ones() {
    for command in [
        &["eval", "--revision", "2099"][..],
        &["explain", "--revision", "2099"],
        &["table", "--revision", "2099"],
        &["rules", "--revision", "2099"],
        &["call", "--revision", "2099", "-", "DiskId=d-1"],
    ] {
        let out = run(command, &valid().to_string());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{command:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{command:?}");
        assert!(
            stderr.contains("unknown revision \"2099\": expected one of seed"),
            "{command:?}: {stderr}"
        );
    }
}

#[test]
fn operation_locks_in_ecs_shape_decide_as_the_plain_list_and_name_their_path_when_wrong() {
    for (instance_locks, disk_locks, code) in [
        (
            json!([{"LockReason": "security"}]),
            json!([]),
            "InstanceLockedForSecurity",
        ),
        (
            json!([]),
            json!([{"LockReason": "financial"}]),
            "InstanceExpiredOrInArrears",
        ),
        (
            json!(["security", {"LockReason": "refunded"}]),
            json!([]),
            "InstanceLockedForSecurity",
        ),
    ] {
        let ecs = with(|v| {
            v["Instances"][0]["OperationLocks"] = instance_locks.clone();
            v["Disks"][0]["OperationLocks"] = disk_locks.clone();
        });
        let plain_of = |locks: &Value| -> Value {
            locks
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.get("LockReason").unwrap_or(l).clone())
                .collect()
        };
        let plain = with(|v| {
            v["Instances"][0]["OperationLocks"] = plain_of(&instance_locks);
            v["Disks"][0]["OperationLocks"] = plain_of(&disk_locks);
        });
        let a = eval(&ecs);
        let b = eval(&plain);
        assert_eq!(
            a.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&a.stderr)
        );
        assert_eq!(a.stdout, b.stdout);
        let decision: Value = serde_json::from_slice(&a.stdout).unwrap();
        assert_eq!(decision["Code"], code, "{decision}");
    }
    assert_refused(
        &with(|v| v["Instances"][0]["OperationLocks"] = json!([{"LockReason": "bogus"}])),
        "Instances[0].OperationLocks[0].LockReason",
        &["unknown variant `bogus`", "`financial`"],
    );
}
