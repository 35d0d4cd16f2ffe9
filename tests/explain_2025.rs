//! Every check of the 2025-02-27 revision describes the facts it read, in
//! every scenario of its suite, in the default order and in the reverse
//! one (where a check runs before the checks that would have stopped it,
//! so it meets worlds the default order never shows it): one non-empty line
//! that names the disk or the parameter, and never the password.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use std::fs;
use std::path::Path;

use reinit_disk::evaluate_traced;
use reinit_disk::scenario::Scenario;

#[test]
fn every_step_of_every_2025_scenario_describes_what_it_read() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/2025-02-27");
    let mut steps = 0;
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if name.ends_with(".expected.json") {
            continue;
        }
        let scenario = Scenario::from_json(&fs::read_to_string(&path).unwrap()).unwrap();
        let password = scenario.request.get("Password").cloned();
        let mut reversed: Vec<_> = scenario.policy.order().to_vec();
        reversed.reverse();
        let policies = [
            scenario.policy,
            scenario.policy.with_order(&reversed).unwrap(),
        ];
        for policy in policies {
            let request = scenario.request();
            let _ = evaluate_traced(&request, &scenario, &policy, |step| {
                let line = step.describe().to_string();
                assert!(
                    !line.trim().is_empty(),
                    "{name}: {} says nothing",
                    step.check
                );
                assert!(
                    !line.contains('\n'),
                    "{name}: {} is not one line",
                    step.check
                );
                if let Some(p) = password.as_deref().filter(|p| p.len() >= 4) {
                    assert!(
                        !line.contains(p),
                        "{name}: {} shows the password",
                        step.check
                    );
                }
                steps += 1;
            });
        }
    }
    assert!(steps > 1_000, "only {steps} steps described");
}
