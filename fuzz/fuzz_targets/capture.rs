//! Captured `Describe*` answers (`reinit_disk::ecs::capture`, what `serve
//! --describe` and `preflight` read): the input's bytes as they are (lossy
//! UTF-8), read as one file among valid answers, and the world built.
//!
//! Properties: never a panic; an input is read or refused, and a refusal
//! names the input's file (or, for a world the records make no valid one
//! of, says so), on one line of at most 2,000 characters (echoed values and
//! keys capped); a world read is valid (`Scenario::validate`), holds every
//! disk of the answers, decides every one of its disks, and each fact it
//! reports missing names a record.

#![no_main]

use libfuzzer_sys::fuzz_target;
use reinit_disk::ecs::capture::Answers;

/// A valid `DescribeInstances` answer read before the input.
const INSTANCES: &str =
    r#"{"Instances": {"Instance": [{"InstanceId": "i-1", "Status": "Stopped"}]}}"#;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut answers = Answers::new();
    if answers.add("instances.json", INSTANCES).is_err() {
        panic!("the fixed answer is refused");
    }
    let refusal = match answers.add("fuzz.json", &text) {
        Ok(()) => match answers.to_world() {
            Ok(capture) => {
                assert!(capture.scenario.validate().is_ok(), "an invalid world");
                assert_eq!(capture.scenario.disks.len(), answers.disks.len());
                for disk in &capture.scenario.disks {
                    let mut scenario = capture.scenario.clone();
                    scenario
                        .request
                        .insert("DiskId".to_owned(), disk.id.clone());
                    let _ = scenario.decide();
                }
                for missing in &capture.missing {
                    assert!(!missing.record.is_empty() && !missing.field.is_empty());
                }
                return;
            }
            Err(e) => e.to_string(),
        },
        Err(e) => e.to_string(),
    };
    assert!(
        refusal.starts_with("fuzz.json: ")
            || refusal.starts_with("the world read from the captured answers")
            || refusal.starts_with("no DescribeDisks answer"),
        "a refusal that names no file: {refusal}"
    );
    assert!(
        !refusal.contains(char::is_control),
        "not one line: {refusal:?}"
    );
    assert!(refusal.chars().count() <= 2_000, "not capped: {refusal}");
});
