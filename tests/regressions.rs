//! The inputs fuzzing found a bug with, kept fixed: every scenario file under
//! tests/regressions/ gets exactly its recorded decision or error line
//! (tests/regressions/README.md).

use std::fs;
use std::path::Path;

use reinit_disk::scenario::{Decision, Scenario};

#[test]
fn every_regression_keeps_its_recorded_outcome() {
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
        if decision.exists() {
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
