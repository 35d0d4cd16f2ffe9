//! Arbitrary bytes into the scenario parser.
//!
//! Properties: never a panic; an invalid scenario gets an error that names a
//! place and says what is wrong; a valid one evaluates, agrees with the
//! reference model, decides the same in an `InMemoryWorld`, gives a decision
//! that round-trips through JSON, and re-serialised parses to an equal
//! scenario.

#![no_main]

use libfuzzer_sys::fuzz_target;
use reinit_disk::evaluate;
use reinit_disk::scenario::{Decision, Scenario};
use reinit_disk_fuzz::{check_decision, in_memory};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match Scenario::from_json(&text) {
        Err(e) => {
            assert!(!e.path.is_empty(), "an error names no place: {e:?}");
            assert!(!e.message.is_empty(), "an error says nothing: {e:?}");
            assert_eq!(e.to_string(), format!("{}: {}", e.path, e.message));
        }
        Ok(scenario) => {
            let request = scenario.request();
            check_decision(&request, &scenario, &scenario.policy);
            let memory = in_memory(&scenario);
            let result = scenario.evaluate();
            assert_eq!(evaluate(&request, &memory, &scenario.policy), result);

            let decision = scenario.decide();
            assert_eq!(decision, Decision::from(&result));
            assert_eq!(decision.accepted, result.is_ok());
            assert_eq!(decision.accepted, decision.code.is_none());
            assert_eq!(decision.accepted, decision.target.is_some());
            let printed = serde_json::to_string(&decision).expect("a decision serializes");
            let reread: Decision = serde_json::from_str(&printed).expect("a decision parses");
            assert_eq!(reread, decision);

            let json = serde_json::to_string(&scenario).expect("a scenario serializes");
            let again = Scenario::from_json(&json)
                .unwrap_or_else(|e| panic!("re-serialised scenario {json} is refused: {e}"));
            assert_eq!(again, scenario, "re-serialised scenario differs: {json}");
        }
    }
});
