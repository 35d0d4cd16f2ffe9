//! Where output goes wrong: a reader that goes away (a closed pipe) ends the
//! run quietly with exit status 0; standard output that cannot be written
//! (full) is exit 1 with one line naming standard output, never the input
//! file; and every command's `--help` states the exit statuses.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]
#![cfg(unix)]

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

const EXAMPLE: &str = "examples/accepted-system-disk.json";

/// Runs `reinit-disk ARGS` with its standard output a pipe whose reading end
/// is closed before the child writes anything: the input goes in only once
/// that end is closed, and each command reads its whole input (or its first
/// line) before it writes.
fn with_reader_gone(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reinit-disk"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // The child may stop reading once its output is gone.
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

fn scenario() -> String {
    std::fs::read_to_string(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join(EXAMPLE),
    )
    .unwrap()
}

#[test]
fn a_reader_that_goes_away_ends_every_command_quietly_with_exit_0() {
    let one = scenario();
    let line: String = one.lines().map(str::trim).collect();
    let many = format!("{line}\n").repeat(50_000);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["eval"], one.as_str()),
        (vec!["eval", "--lines"], many.as_str()),
        (vec!["explain"], one.as_str()),
        (vec!["explain", "--all"], one.as_str()),
        (vec!["call", "-", "DiskId=d-1"], one.as_str()),
    ];
    for (args, input) in cases {
        let out = with_reader_gone(&args, input.as_bytes());
        assert_eq!(
            out.stderr,
            b"",
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(0), "{args:?}");
    }
}

#[test]
fn a_closed_pipe_in_a_shell_pipeline_is_quiet_for_the_commands_that_read_no_input() {
    // The writer waits until `true` has exited, so that its reader is gone.
    let dir = std::env::temp_dir().join(format!("reinit-disk-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // `diff` too (issue 21: it exited 1, its "changes" status, when its
    // reader had gone).
    for (n, command) in ["table", "rules", "diff --from seed --to 2025-02-27"]
        .iter()
        .enumerate()
    {
        let status = dir.join(format!("{n}.status"));
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "{{ sleep 0.5; \"$0\" {command}; echo $? > \"$1\"; }} | true"
            ))
            .arg(env!("CARGO_BIN_EXE_reinit-disk"))
            .arg(&status)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "",
            "{command} said something"
        );
        assert_eq!(
            std::fs::read_to_string(&status).unwrap().trim(),
            "0",
            "{command}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Runs `reinit-disk ARGS > /dev/full`.
fn into_full_disk(args: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("exec \"$0\" {args} > /dev/full"))
        .arg(env!("CARGO_BIN_EXE_reinit-disk"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn an_output_error_is_exit_1_and_names_standard_output_not_the_input_file() {
    if !std::path::Path::new("/dev/full").exists() {
        return;
    }
    for (args, what) in [
        (format!("eval {EXAMPLE}"), "the decision"),
        (
            "eval --lines tests/snapshots/batch.jsonl".to_owned(),
            "the decisions",
        ),
        (format!("explain {EXAMPLE}"), "the explanation"),
        (format!("explain --all {EXAMPLE}"), "the explanation"),
        (format!("call {EXAMPLE} DiskId=d-1"), "the response"),
        ("table".to_owned(), "the table"),
        ("rules".to_owned(), "the rules"),
    ] {
        let out = into_full_disk(&args);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{args}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{args}: {stderr}");
        assert!(
            stderr.starts_with(&format!(
                "reinit-disk: cannot write {what} to standard output: "
            )),
            "{args}: {stderr}"
        );
        assert!(
            !stderr.contains("examples/") && !stderr.contains("batch.jsonl"),
            "{args}: the input file is not at fault: {stderr}"
        );
    }
}

#[test]
fn a_read_error_names_the_input_and_exits_2() {
    for args in [["eval", "tests"], ["eval", "--lines"]] {
        let args: Vec<&str> = if args[1] == "--lines" {
            vec!["eval", "--lines", "tests"]
        } else {
            args.to_vec()
        };
        let out = common::cli::run(&args, b"");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("reinit-disk: cannot read tests"),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn every_help_states_the_exit_statuses() {
    for command in [
        &["--help"][..],
        &["eval", "--help"],
        &["call", "--help"],
        &["explain", "--help"],
        &["table", "--help"],
        &["rules", "--help"],
    ] {
        let out = common::cli::run(command, b"");
        assert_eq!(out.status.code(), Some(0));
        let help = String::from_utf8(out.stdout).unwrap().replace('\n', " ");
        for words in [
            "0 the command did its work",
            "1 an I/O error that is not the input's fault",
            "2 an input it cannot use",
            "(a closed pipe: `... | head -1`) ends the run quietly, exit status 0",
        ] {
            assert!(help.contains(words), "{command:?}: no {words:?} in {help}");
        }
    }
}
