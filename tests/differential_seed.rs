//! The seed revision decides every seed scenario exactly as it did before the
//! 2025-02-27 revision existed, whatever new facts and parameters the
//! scenario carries.
//!
//! tests/regressions/seed-decisions-before-2025.jsonl holds, one line per
//! scenario of tests/scenarios/seed/, the decision the seed revision took on
//! it before the new revision was added (`{"Scenario": NAME, "Decision":
//! ...}`). Each scenario is decided by the seed revision as it is, and again
//! with the new request parameters added (valid and invalid values) and with
//! the new facts added to its world (a multi-attach disk, encryption with a
//! disabled KMS key, snapshots with instant access, hibernation, Windows,
//! non-root logon, an instance that is not I/O optimized, an image without
//! non-root support, an account off the white list in a region without
//! non-root logon, listed key pairs). The decision, less the three target
//! fields the new revision added (which must hold their seed values:
//! `PasswordReset` false, `KeyPairName` null, `InstanceStatusAfter`
//! `Stopped`), must equal the frozen one exactly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use reinit_disk::revision::SEED;
use reinit_disk::scenario::Scenario;
use serde_json::{Value, json};

/// Where the seed scenarios live.
fn scenario_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/seed")
}

/// The frozen decisions, by scenario name.
fn frozen() -> BTreeMap<String, Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/regressions/seed-decisions-before-2025.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut decisions = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let mut entry: Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), n + 1));
        let name = entry["Scenario"].as_str().unwrap().to_owned();
        let decision = entry["Decision"].take();
        assert!(!decision.is_null(), "line {}: no Decision", n + 1);
        assert!(
            decisions.insert(name.clone(), decision).is_none(),
            "{name} is frozen twice"
        );
    }
    decisions
}

/// Every seed scenario, by name, as JSON.
fn scenarios() -> BTreeMap<String, Value> {
    let mut all = BTreeMap::new();
    for entry in std::fs::read_dir(scenario_dir()).unwrap() {
        let path = entry.unwrap().path();
        let file = path.file_name().unwrap().to_str().unwrap().to_owned();
        let Some(name) = file.strip_suffix(".json") else {
            continue;
        };
        if name.ends_with(".expected") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        all.insert(name.to_owned(), serde_json::from_str(&text).unwrap());
    }
    all
}

/// Seed scenarios written after the freeze, each with why it has no frozen
/// decision and the JSON pointer of what it uses that the seed revision did
/// not have before (so that it cannot stand in for a scenario whose frozen
/// line went missing).
const ADDED_AFTER_THE_FREEZE: &[(&str, &str, &str)] = &[(
    "rejects-deleted-image-with-invalid-image-id-policy",
    "the policy knob DeletedImageCode came with the 2025-02-27 revision (commit a62fe7d): before it, this scenario did not parse",
    "/Policy/DeletedImageCode",
)];

/// The seed revision's decision on `scenario`, as JSON, with the three
/// target fields the 2025-02-27 revision added checked for their seed values
/// and removed.
fn seed_decision(name: &str, scenario: &Value) -> Value {
    let parsed = Scenario::from_json(&scenario.to_string())
        .unwrap_or_else(|e| panic!("{name}: {e}\n{scenario:#}"));
    assert_eq!(
        parsed.policy.revision().name,
        "seed",
        "{name} is a seed scenario"
    );
    let parsed = parsed.with_revision(&SEED).unwrap();
    let mut decision = serde_json::to_value(parsed.decide()).unwrap();
    if let Some(target) = decision.get_mut("Target").and_then(Value::as_object_mut) {
        for (field, seed_value) in [
            ("PasswordReset", json!(false)),
            ("KeyPairName", Value::Null),
            ("InstanceStatusAfter", json!("Stopped")),
        ] {
            assert_eq!(
                target.remove(field),
                Some(seed_value),
                "{name}: the seed revision's target has {field} at its seed value"
            );
        }
    }
    decision
}

/// Request parameters the seed revision does not read, each set a way the
/// 2025-02-27 revision would refuse or act on.
fn parameter_injections() -> Vec<(&'static str, Value)> {
    vec![
        ("a valid password", json!({"Password": "Abcdef12"})),
        ("a malformed password", json!({"Password": "short"})),
        (
            "a password starting with /",
            json!({"Password": "/Abcdef12"}),
        ),
        ("a listed key pair", json!({"KeyPairName": "kp-1"})),
        ("an unknown key pair", json!({"KeyPairName": "kp-404"})),
        ("auto-start true", json!({"AutoStartInstance": "true"})),
        ("auto-start TRUE", json!({"AutoStartInstance": "TRUE"})),
        ("an invalid auto-start", json!({"AutoStartInstance": "yes"})),
        ("a valid region", json!({"RegionId": "cn-hangzhou"})),
        ("a malformed region", json!({"RegionId": "CN_Hangzhou-"})),
        (
            "every new parameter, invalid",
            json!({"Password": "x", "KeyPairName": "kp-404", "AutoStartInstance": "maybe", "RegionId": "-"}),
        ),
        (
            "every new parameter, valid",
            json!({"Password": "/Abcdef12", "KeyPairName": "kp-1", "AutoStartInstance": "True", "RegionId": "ap-southeast-1"}),
        ),
    ]
}

/// Sets `params` in the scenario's Request (a value it gives is replaced).
fn with_parameters(mut scenario: Value, params: &Value) -> Value {
    let request = scenario
        .as_object_mut()
        .unwrap()
        .entry("Request")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .unwrap();
    for (name, value) in params.as_object().unwrap() {
        request.insert(name.clone(), value.clone());
    }
    scenario
}

/// Sets `field` to `value` in every object of the list `list`.
fn set_in_each(scenario: &mut Value, list: &str, field: &str, value: &Value) {
    if let Some(items) = scenario.get_mut(list).and_then(Value::as_array_mut) {
        for item in items {
            item.as_object_mut()
                .unwrap()
                .insert(field.to_owned(), value.clone());
        }
    }
}

/// The ids of the scenario's disks.
fn disk_ids(scenario: &Value) -> Vec<String> {
    scenario
        .get("Disks")
        .and_then(Value::as_array)
        .map(|disks| {
            disks
                .iter()
                .map(|d| d["DiskId"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Appends `items` to the list `list`, creating it.
fn append(scenario: &mut Value, list: &str, items: Vec<Value>) {
    let slot = scenario
        .as_object_mut()
        .unwrap()
        .entry(list)
        .or_insert_with(|| json!([]))
        .as_array_mut()
        .unwrap();
    slot.extend(items);
}

/// Changes a scenario's JSON in place.
type Injection = fn(&mut Value);

/// Facts the seed revision does not read, each added to a scenario's world
/// a way the 2025-02-27 revision would refuse.
fn fact_injections() -> Vec<(&'static str, Injection)> {
    vec![
        ("multi-attach disks", |s| {
            set_in_each(s, "Disks", "MultiAttach", &json!("Enabled"));
        }),
        ("disks encrypted with a disabled KMS key", |s| {
            set_in_each(s, "Disks", "Encrypted", &json!(true));
            set_in_each(s, "Disks", "KMSKeyId", &json!("key-off"));
            append(
                s,
                "KmsKeys",
                vec![
                    json!({"KeyId": "key-off", "KeyState": "Disabled", "EcsAuthorized": false, "EcsTagged": false}),
                ],
            );
        }),
        ("snapshots with instant access made from every disk", |s| {
            let snapshots = disk_ids(s)
                .iter()
                .map(|d| {
                    json!({"SnapshotId": format!("s-instant-{d}"), "CreationTime": "2024-01-01T00:00:00Z", "SourceDiskId": d, "InstantAccess": true})
                })
                .collect();
            append(s, "Snapshots", snapshots);
        }),
        ("hibernation-configured instances", |s| {
            set_in_each(s, "Instances", "HibernationConfigured", &json!(true));
        }),
        ("Windows instances", |s| {
            set_in_each(s, "Instances", "OSType", &json!("windows"));
        }),
        ("instances logging on as non-root", |s| {
            set_in_each(s, "Instances", "LoginAsNonRoot", &json!(true));
        }),
        ("instances that are not I/O optimized", |s| {
            set_in_each(s, "Instances", "IoOptimized", &json!(false));
        }),
        ("images without non-root support", |s| {
            set_in_each(s, "Images", "LoginAsNonRootSupported", &json!(false));
        }),
        (
            "an account off the white list, without non-root logon",
            |s| {
                s.as_object_mut().unwrap().insert(
                    "Account".to_owned(),
                    json!({"InVolumeWhiteList": false, "RegionSupportsLoginAsNonRoot": false}),
                );
            },
        ),
        ("listed key pairs", |s| {
            append(
                s,
                "KeyPairs",
                vec![
                    json!({"KeyPairName": "kp-1"}),
                    json!({"KeyPairName": "kp-2"}),
                ],
            );
        }),
    ]
}

/// Every variant of `scenario` the test decides: as it is, with each
/// parameter injection, with each fact injection, with every fact at once,
/// and with every fact and every parameter at once.
fn variants(scenario: &Value) -> Vec<(String, Value)> {
    let mut all = vec![("as it is".to_owned(), scenario.clone())];
    for (what, params) in parameter_injections() {
        all.push((what.to_owned(), with_parameters(scenario.clone(), &params)));
    }
    let mut every_fact = scenario.clone();
    for (what, inject) in fact_injections() {
        let mut changed = scenario.clone();
        inject(&mut changed);
        all.push((what.to_owned(), changed));
        inject(&mut every_fact);
    }
    all.push(("every new fact".to_owned(), every_fact.clone()));
    for (what, params) in parameter_injections() {
        all.push((
            format!("every new fact and {what}"),
            with_parameters(every_fact.clone(), &params),
        ));
    }
    all
}

#[test]
fn every_frozen_decision_has_its_seed_scenario_and_every_seed_scenario_its_frozen_decision() {
    let frozen = frozen();
    let scenarios = scenarios();
    let lost: Vec<&String> = frozen
        .keys()
        .filter(|name| !scenarios.contains_key(*name))
        .collect();
    assert!(lost.is_empty(), "frozen, but no seed scenario: {lost:?}");
    for (name, scenario) in &scenarios {
        if frozen.contains_key(name) {
            continue;
        }
        let Some((_, why, pointer)) = ADDED_AFTER_THE_FREEZE.iter().find(|(n, ..)| n == name)
        else {
            panic!("{name}: a seed scenario without a frozen decision");
        };
        assert!(
            scenario.pointer(pointer).is_some(),
            "{name} is said to be newer than the freeze ({why}) but has no {pointer}"
        );
    }
    for (name, ..) in ADDED_AFTER_THE_FREEZE {
        assert!(
            !frozen.contains_key(*name),
            "{name} is frozen: drop it from ADDED_AFTER_THE_FREEZE"
        );
    }
    assert_eq!(frozen.len(), 54);
}

#[test]
fn the_seed_revision_decides_every_seed_scenario_as_before_the_2025_revision() {
    let frozen = frozen();
    let scenarios = scenarios();
    for (name, before) in &frozen {
        assert_eq!(
            &seed_decision(name, &scenarios[name]),
            before,
            "{name}: the seed revision's decision changed"
        );
    }
}

#[test]
fn the_seed_revision_decides_every_seed_scenario_as_before_whatever_new_facts_and_parameters_it_carries()
 {
    let frozen = frozen();
    let scenarios = scenarios();
    let mut decided = 0;
    for (name, before) in &frozen {
        for (what, variant) in variants(&scenarios[name]) {
            let got = seed_decision(name, &variant);
            assert_eq!(
                &got, before,
                "{name} with {what}: the seed revision's decision changed\n{variant:#}"
            );
            decided += 1;
        }
    }
    // 54 scenarios x (1 + 12 parameter sets + 10 fact sets + 1 with every
    // fact + 12 with every fact and a parameter set).
    assert_eq!(decided, 54 * 36);
}

/// Injections that change no 2025-02-27 decision alone, and why: each acts
/// only with another fact or parameter (as in the variants with every new
/// fact), or, for a well-formed RegionId, is read by no rule.
const IDLE_ALONE: [&str; 5] = [
    // Needs a KeyPairName or a Password starting with `/`.
    "Windows instances",
    // Needs an instance logging on as non-root.
    "images without non-root support",
    // Needs the region or the image to lack non-root support.
    "instances logging on as non-root",
    // Needs a KeyPairName.
    "listed key pairs",
    "a valid region",
];

/// The injections are not idle: the 2025-02-27 revision, which reads them,
/// decides differently on some scenario with each injection than on the
/// same scenario without it (so the test above would see a seed revision
/// that read them); exactly the injections of `IDLE_ALONE` change nothing
/// alone.
#[test]
fn each_injection_changes_what_the_2025_revision_decides_on_some_seed_scenario() {
    let scenarios = scenarios();
    let decide = |scenario: &Value| {
        // A scenario whose Order lists the seed's checks has no 2025-02-27
        // reading.
        let parsed = Scenario::from_json(&scenario.to_string())
            .unwrap()
            .with_revision(&reinit_disk::revision::V2025_02_27)
            .ok()?;
        Some(serde_json::to_value(parsed.decide()).unwrap())
    };
    let mut changed = BTreeMap::<String, usize>::new();
    let mut tried = BTreeMap::<String, usize>::new();
    for scenario in scenarios.values() {
        let Some(as_it_is) = decide(scenario) else {
            continue;
        };
        for (what, variant) in variants(scenario).into_iter().skip(1) {
            *tried.entry(what.clone()).or_default() += 1;
            if decide(&variant).unwrap() != as_it_is {
                *changed.entry(what).or_default() += 1;
            }
        }
    }
    let idle: Vec<&str> = tried
        .keys()
        .filter(|what| !changed.contains_key(*what))
        .map(String::as_str)
        .collect();
    let mut expected_idle = IDLE_ALONE.to_vec();
    expected_idle.sort_unstable();
    assert_eq!(
        idle, expected_idle,
        "the injections that changed no decision"
    );
    assert_eq!(tried.len(), 35);
}
