//! The readable scenario suites, one per revision: every
//! `tests/scenarios/REVISION/NAME.json` is a scenario (a request and its
//! world, with a `Description` quoting the sentence of the page or the rule
//! it shows, and that revision in its policy), and `NAME.expected.json` is
//! the exact decision `ReInitDisk` takes on it.
//!
//! Each case is run twice: through the library
//! (`Scenario::from_json(..)?.decide()`) and through the CLI
//! (`reinit-disk eval NAME.json`). Every mismatch is reported at once, by
//! case name.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use reinit_disk::catalogue::Code;
use reinit_disk::revision::{ALL, Revision};
use reinit_disk::scenario::{Decision, Scenario};
use serde_json::Value;

const EXPECTED: &str = ".expected.json";

/// One case: its revision, its name, the scenario file and the expected
/// decision.
struct Case {
    revision: &'static Revision,
    name: String,
    scenario: PathBuf,
    expected: Value,
}

fn root() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("tests/scenarios")
}

/// Every case of every revision.
fn cases() -> Vec<Case> {
    let mut dirs: Vec<String> = fs::read_dir(root())
        .expect("tests/scenarios is readable")
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    dirs.sort();
    let names: Vec<&str> = ALL.iter().map(|r| r.name).collect();
    let mut wanted = names.clone();
    wanted.sort_unstable();
    assert_eq!(
        dirs, wanted,
        "tests/scenarios holds one directory per revision, named as the revision"
    );
    ALL.iter().flat_map(|r| cases_of(r)).collect()
}

/// Loads every case of `revision`, failing if a scenario has no expected
/// decision or an expected decision has no scenario.
fn cases_of(revision: &'static Revision) -> Vec<Case> {
    let dir = root().join(revision.name);
    let mut scenarios = BTreeSet::new();
    let mut expected = BTreeSet::new();
    for entry in fs::read_dir(&dir).expect("tests/scenarios/REVISION is readable") {
        let file = entry.unwrap().file_name().into_string().unwrap();
        if let Some(name) = file.strip_suffix(EXPECTED) {
            expected.insert(name.to_owned());
        } else if let Some(name) = file.strip_suffix(".json") {
            scenarios.insert(name.to_owned());
        } else {
            panic!("{}/{file}: not NAME.json or NAME{EXPECTED}", dir.display());
        }
    }
    let lonely: Vec<_> = scenarios.symmetric_difference(&expected).collect();
    assert!(
        lonely.is_empty(),
        "each NAME.json needs its NAME{EXPECTED} and the other way round; unpaired: {lonely:?}"
    );
    assert!(!scenarios.is_empty(), "no scenario in {}", dir.display());
    scenarios
        .into_iter()
        .map(|name| {
            let path = dir.join(format!("{name}{EXPECTED}"));
            let text = fs::read_to_string(&path).unwrap();
            let expected = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{}: not JSON: {e}", path.display()));
            Case {
                revision,
                scenario: dir.join(format!("{name}.json")),
                name: format!("{}/{name}", revision.name),
                expected,
            }
        })
        .collect()
}

/// What the library decides on a case, as JSON, or why it could not.
fn library_decision(case: &Case) -> Result<Value, String> {
    let text = fs::read_to_string(&case.scenario).map_err(|e| e.to_string())?;
    let scenario = Scenario::from_json(&text).map_err(|e| format!("invalid scenario: {e}"))?;
    serde_json::to_value(scenario.decide()).map_err(|e| e.to_string())
}

/// The decision on a case's world copied into an `InMemoryWorld`
/// (`Scenario::to_world`, what an emulator loading a scenario does).
fn in_memory_decision(case: &Case) -> Result<Value, String> {
    let text = fs::read_to_string(&case.scenario).map_err(|e| e.to_string())?;
    let scenario = Scenario::from_json(&text).map_err(|e| format!("invalid scenario: {e}"))?;
    let world = scenario
        .to_world()
        .map_err(|e| format!("no in-memory world: {e}"))?;
    let outcome = reinit_disk::evaluate(&scenario.request(), &world, &scenario.policy);
    serde_json::to_value(Decision::from(&outcome)).map_err(|e| e.to_string())
}

/// What `reinit-disk eval` prints on a case, or why that is wrong.
fn cli_decision(case: &Case) -> Result<Value, String> {
    let out = Command::new(env!("CARGO_BIN_EXE_reinit-disk"))
        .arg("eval")
        .arg(&case.scenario)
        .output()
        .map_err(|e| format!("cannot run reinit-disk: {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() != Some(0) || !stderr.is_empty() {
        return Err(format!("exit {:?}, stderr {stderr:?}", out.status.code()));
    }
    if stdout.lines().count() != 1 {
        return Err(format!("expected one line on stdout, got {stdout:?}"));
    }
    serde_json::from_str(&stdout).map_err(|e| format!("stdout is not JSON ({e}): {stdout:?}"))
}

/// Fails, naming every case where `decide` differs from the expected
/// decision, and `what` that means.
fn assert_all_match(decide: impl Fn(&Case) -> Result<Value, String>, what: &str) {
    let failed = mismatches(decide);
    assert!(
        failed.is_empty(),
        "{} case(s) {what}:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

/// Runs `decide` on every case and returns one line per mismatch.
fn mismatches(decide: impl Fn(&Case) -> Result<Value, String>) -> Vec<String> {
    cases()
        .iter()
        .filter_map(|case| match decide(case) {
            Ok(actual) if actual == case.expected => None,
            Ok(actual) => Some(format!(
                "{}:\n  expected {}\n  actual   {}",
                case.name, case.expected, actual
            )),
            Err(e) => Some(format!("{}: {e}", case.name)),
        })
        .collect()
}

#[test]
fn every_scenario_gets_its_expected_decision() {
    assert_all_match(library_decision, "decided otherwise than expected");
}

#[test]
fn every_scenario_gets_its_expected_decision_on_its_in_memory_world() {
    assert_all_match(
        in_memory_decision,
        "decided otherwise on Scenario::to_world",
    );
}

#[test]
fn the_cli_prints_the_expected_decision_for_every_scenario() {
    assert_all_match(cli_decision, "where `reinit-disk eval` differs");
}

#[test]
fn every_scenario_is_decided_under_the_revision_of_its_directory() {
    for case in cases() {
        let text = fs::read_to_string(&case.scenario).unwrap();
        let scenario = Scenario::from_json(&text).unwrap();
        assert_eq!(
            scenario.policy.revision(),
            case.revision,
            "{}: its Policy.Revision must be its directory's",
            case.name
        );
    }
}

#[test]
fn every_code_of_each_revision_has_a_case() {
    let cases = cases();
    for revision in ALL {
        let covered: BTreeSet<&str> = cases
            .iter()
            .filter(|case| case.revision == *revision)
            .filter_map(|case| case.expected["Code"].as_str())
            .collect();
        let uncovered: Vec<&str> = revision
            .catalogue
            .iter()
            .map(|row| row.code)
            // A valid scenario cannot produce InternalError: it takes a disk
            // attached to an instance the world lacks, which validation
            // refuses.
            .filter(|code| *code != Code::InternalError)
            .map(Code::as_str)
            .filter(|code| !covered.contains(*code))
            .collect();
        assert!(
            uncovered.is_empty(),
            "no scenario in tests/scenarios/{revision} answers {uncovered:?}"
        );
    }
}

#[test]
fn every_message_of_each_revision_has_a_case() {
    let cases = cases();
    for revision in ALL {
        let covered: BTreeSet<&str> = cases
            .iter()
            .filter(|case| case.revision == *revision)
            .filter_map(|case| case.expected["Message"].as_str())
            .collect();
        let uncovered: Vec<&str> = revision
            .catalogue
            .iter()
            .filter(|row| row.code != Code::InternalError)
            .map(|row| row.message)
            .filter(|message| !covered.contains(*message))
            .collect();
        assert!(
            uncovered.is_empty(),
            "no scenario in tests/scenarios/{revision} answers with {uncovered:?}"
        );
    }
}

#[test]
fn every_case_has_a_description_and_a_well_formed_decision() {
    let keys = [
        "Accepted",
        "HttpStatus",
        "Code",
        "Message",
        "Check",
        "Target",
    ];
    for case in cases() {
        let text = fs::read_to_string(&case.scenario).unwrap();
        let scenario: Value = serde_json::from_str(&text).unwrap();
        let description = scenario["Description"].as_str().unwrap_or_default();
        assert!(
            !description.trim().is_empty(),
            "{}: the scenario needs a Description quoting the sentence or rule it shows",
            case.name
        );
        let object = case.expected.as_object().unwrap();
        let actual: BTreeSet<&str> = object.keys().map(String::as_str).collect();
        let wanted: BTreeSet<&str> = keys.into_iter().collect();
        assert_eq!(actual, wanted, "{}: decision fields", case.name);
    }
}

#[test]
fn docs_scenario_md_lists_every_code_message_and_check_of_each_revision() {
    let doc = fs::read_to_string(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("docs/scenario.md"),
    )
    .expect("docs/scenario.md");
    for revision in ALL {
        for row in revision.catalogue {
            let line = format!(
                "| `{}` | {} | `{}` |",
                row.code, row.http_status, row.message
            );
            assert!(
                doc.contains(&line),
                "docs/scenario.md should have the row {line} ({revision})"
            );
        }
        for check in revision.checks() {
            assert!(
                doc.contains(&format!("`{check}`")),
                "docs/scenario.md should name the check {check}"
            );
        }
    }
}
