//! The inputs that once broke the engine keep their recorded outcome: every
//! input fuzzing or hostile input found a bug with is kept under
//! tests/regressions/, and every scenario file there gets exactly its
//! recorded decision or error line; one with a `.query` file beside it is
//! the world of a wire request, which gets exactly its recorded HTTP
//! response or encoding error (tests/regressions/README.md).
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test code: a failed assumption is a failed test"
)]

use std::fs;
use std::path::Path;

use reinit_disk::scenario::{Decision, Scenario};
use reinit_disk::wire::{HttpRequest, Ids, respond};

/// The `.query` case `stem` in `dir`: its world, query (one line) and
/// request id (`<stem>.request-id`, or a fixed one) through `respond`.
fn check_wire(dir: &Path, stem: &str, scenario: &Scenario) {
    let read = |ext: &str| fs::read_to_string(dir.join(format!("{stem}.{ext}"))).ok();
    let query = read("query").unwrap();
    let request_id = read("request-id")
        .map(|id| id.trim_end_matches('\n').to_owned())
        .unwrap_or_else(|| "F3CD6886-D8D0-4FEE-B93E-1B73239673DE".to_owned());
    let http = HttpRequest {
        query: query.trim_end_matches('\n'),
        ..HttpRequest::default()
    };
    let got = respond(&http, scenario, &scenario.policy, &Ids::new(&request_id));
    match (got, read("expected-response"), read("expected-error")) {
        (Ok(response), Some(expected), _) => assert_eq!(response.to_http(), expected, "{stem}"),
        (Err(e), _, Some(expected)) => assert_eq!(e.to_string(), expected.trim_end(), "{stem}"),
        (got, _, _) => panic!(
            "{stem}: {got:?} is not what {stem}.expected-response or {stem}.expected-error holds"
        ),
    }
}

#[test]
fn every_input_that_once_broke_the_engine_keeps_its_recorded_outcome() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/regressions");
    let mut checked = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if !name.ends_with(".json") || name.ends_with(".expected.json") {
            continue;
        }
        let stem = name.trim_end_matches(".json");
        let text = fs::read_to_string(&path).unwrap();
        let parsed = Scenario::from_json(&text);
        let decision = dir.join(format!("{stem}.expected.json"));
        let error = dir.join(format!("{stem}.expected-error"));
        if dir.join(format!("{stem}.query")).exists() {
            let scenario = parsed.unwrap_or_else(|e| panic!("{name}: refused: {e}"));
            check_wire(&dir, stem, &scenario);
        } else if decision.exists() {
            let expected: Decision =
                serde_json::from_str(&fs::read_to_string(&decision).unwrap()).unwrap();
            let scenario = parsed.unwrap_or_else(|e| panic!("{name}: refused: {e}"));
            assert_eq!(scenario.decide(), expected, "{name}");
        } else if error.exists() {
            let expected = fs::read_to_string(&error).unwrap();
            let e = parsed.expect_err(&name);
            assert_eq!(e.to_string(), expected.trim_end(), "{name}");
        } else {
            panic!("{name} has neither {stem}.expected.json nor {stem}.expected-error");
        }
        checked += 1;
    }
    assert!(checked > 0, "no regression found under {}", dir.display());
}
