//! `reinit-disk eval --lines`: one scenario a line in, one decision a line
//! out, in order, each the same object as single-scenario `eval`; an invalid
//! line gives `{"Error": "..."}` on its line and the run goes on; exit 2 if
//! any line was invalid, else 0.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use serde_json::{Value, json};

use common::cli::run;

fn scenario(disk_status: &str, instance_status: &str) -> String {
    json!({
        "Request": {"DiskId": "d-1"},
        "Disks": [{"DiskId": "d-1", "Type": "data", "Category": "cloud_essd",
                   "Status": disk_status, "InstanceId": "i-1"}],
        "Instances": [{"InstanceId": "i-1", "Status": instance_status}]
    })
    .to_string()
}

/// What single-scenario `eval` prints for `line`.
fn single_eval(line: &str) -> String {
    let out = run(&["eval"], line.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).unwrap().trim_end().to_owned()
}

#[test]
fn a_mix_of_valid_and_invalid_lines_gives_one_output_line_each_in_order() {
    let valid = [
        scenario("In_use", "Stopped"),
        scenario("Detaching", "Stopped"),
        scenario("In_use", "Running"),
    ];
    let lines: Vec<String> = vec![
        valid[0].clone(),
        r#"{"Disks": [{"DiskId": "d-1", "Type": "data", "Category": "cloud_essd", "Status": "Broken"}]}"#.to_owned(),
        valid[1].clone(),
        "not json".to_owned(),
        String::new(),
        r#"{"Request": {"DiskId": "d-1"}, "Extra": 1}"#.to_owned(),
        valid[2].clone(),
    ];
    let input = lines.join("\n") + "\n";
    let out = run(&["eval", "--lines"], input.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let got: Vec<&str> = stdout.lines().collect();
    assert_eq!(got.len(), lines.len());
    // Valid lines: exactly what single eval prints.
    assert_eq!(got[0], single_eval(&valid[0]));
    assert_eq!(got[2], single_eval(&valid[1]));
    assert_eq!(got[6], single_eval(&valid[2]));
    let decision: Value = serde_json::from_str(got[2]).unwrap();
    assert_eq!(decision["Code"], "IncorrectDiskStatus");
    // Invalid lines: {"Error": ...} naming the field, and the run went on.
    let errors: Vec<Value> = [1, 3, 4, 5]
        .iter()
        .map(|&i| serde_json::from_str(got[i]).unwrap())
        .collect();
    for (e, line) in errors.iter().zip([2, 4, 5, 6]) {
        assert_eq!(e.as_object().unwrap().len(), 2, "{e}");
        assert_eq!(e["Line"], line, "{e}");
    }
    let text = |i: usize| errors[i]["Error"].as_str().unwrap().to_owned();
    assert!(
        text(0).starts_with("Disks[0].Status: unknown variant `Broken`, expected one of `In_use`"),
        "{}",
        text(0)
    );
    assert!(text(1).starts_with(".: not valid JSON"), "{}", text(1));
    assert!(text(2).starts_with("empty line"), "{}", text(2));
    assert!(text(3).contains("Extra"), "{}", text(3));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(
        stderr,
        "reinit-disk: <stdin>: 4 of 7 lines are not valid scenarios (the first is line 2); each has {\"Error\": ...} on its line\n"
    );
}

#[test]
fn all_valid_lines_exit_0_and_crlf_or_a_missing_final_newline_are_fine() {
    let input = format!(
        "{}\r\n{}",
        scenario("In_use", "Stopped"),
        scenario("Available", "Stopped")
    );
    let out = run(&["eval", "--lines", "-"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let got: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0]["Accepted"], true);
    assert_eq!(got[1]["Code"], "IncorrectDiskStatus");
}

#[test]
fn empty_input_prints_nothing_and_exits_0() {
    let out = run(&["eval", "--lines"], b"");
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    assert!(out.stderr.is_empty());
}

#[test]
fn a_line_that_is_not_utf8_is_an_error_on_its_line() {
    let mut input = scenario("In_use", "Stopped").into_bytes();
    input.extend_from_slice(b"\n{\"Request\": \"\xff\"}\n");
    input.extend_from_slice(scenario("In_use", "Stopped").as_bytes());
    let out = run(&["eval", "--lines"], &input);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let got: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got.len(), 3);
    assert!(
        got[1]["Error"]
            .as_str()
            .unwrap()
            .starts_with("not valid UTF-8")
    );
    assert_eq!(got[2]["Accepted"], true);
}

#[test]
fn many_lines_stream_through_one_process() {
    let line = scenario("In_use", "Stopped");
    let n = 20_000;
    let input = format!("{line}\n").repeat(n);
    let out = run(&["eval", "--lines"], input.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), n);
    assert!(stdout.lines().all(|l| l == single_eval_cached()));
}

fn single_eval_cached() -> &'static str {
    static ONCE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    ONCE.get_or_init(|| single_eval(&scenario("In_use", "Stopped")))
}

#[test]
fn a_file_that_cannot_be_read_exits_2_with_one_line() {
    let out = run(&["eval", "--lines", "no/such/file.jsonl"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1);
    assert!(
        stderr.starts_with("reinit-disk: cannot read no/such/file.jsonl"),
        "{stderr}"
    );
}

#[test]
fn eval_lines_error_carries_its_line_number() {
    let good = scenario("In_use", "Stopped");
    let input = format!("{good}\n{good}\nnot json\n{good}\n\n{{\"Extra\": 1}}\n");
    let out = run(&["eval", "--lines"], input.as_bytes());
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let got: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(got.len(), 6);
    for (i, line) in got.iter().enumerate() {
        match i + 1 {
            3 | 5 | 6 => assert_eq!(line["Line"], json!(i + 1), "{line}"),
            _ => assert!(line.get("Line").is_none(), "a decision has no Line: {line}"),
        }
    }
    // The key order: Error, then Line.
    assert!(
        stdout.lines().nth(2).unwrap().starts_with("{\"Error\":"),
        "{stdout}"
    );
}

#[test]
fn eval_lines_error_positions_count_in_the_whole_input() {
    let good = scenario("In_use", "Stopped");
    let bad_status = r#"{"Disks": [{"DiskId": "d-1", "Type": "data", "Category": "cloud_essd", "Status": "Broken"}]}"#;
    let input = format!(
        "{good}\n{good}\n{good}\n{bad_status}\n{{\"Disks\": 1}}\n\u{feff}{{\"Disks\": 1}}\n{{}} x\n"
    );
    let out = run(&["eval", "--lines"], input.as_bytes());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let got: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let error = |i: usize| got[i]["Error"].as_str().unwrap().to_owned();
    // The same text alone on one line says line 1.
    let alone = run(&["eval", "--lines"], format!("{bad_status}\n").as_bytes());
    let alone: Value =
        serde_json::from_slice(alone.stdout.split(|&b| b == b'\n').next().unwrap()).unwrap();
    let alone = alone["Error"].as_str().unwrap();
    assert!(alone.ends_with(" at line 1 column 89"), "{alone}");
    assert_eq!(error(3), alone.replace("at line 1 ", "at line 4 "));
    assert_eq!(got[3]["Line"], 4);
    assert!(
        error(4).ends_with("expected a sequence at line 5 column 11"),
        "{}",
        error(4)
    );
    // A byte-order mark is 3 bytes of its line.
    assert!(
        error(5).ends_with("expected a sequence at line 6 column 14"),
        "{}",
        error(5)
    );
    assert!(
        error(6).ends_with("trailing characters at line 7 column 4"),
        "{}",
        error(6)
    );
    // Bytes that are not UTF-8: their line and column.
    let mut input = format!("{good}\n{good}\n").into_bytes();
    input.extend_from_slice(b"{\"Request\": \"\xff\"}\n");
    let out = run(&["eval", "--lines"], &input);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let third: Value = serde_json::from_str(stdout.lines().nth(2).unwrap()).unwrap();
    assert!(
        third["Error"]
            .as_str()
            .unwrap()
            .starts_with("not valid UTF-8 at line 3 column 14 "),
        "{third}"
    );
    assert_eq!(third["Line"], 3);
}
