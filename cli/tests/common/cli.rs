//! Running the `reinit-disk` binary from the tests.

use std::io::Write;
use std::process::{Command, Output, Stdio};

/// Runs `reinit-disk ARGS` in the crate's directory, feeding `stdin` to it
/// from another thread (so a large input cannot dead-lock against a full
/// stdout pipe), with `NO_COLOR` unset. A child that exits before reading
/// all its input (`--help`, a usage error) is fine.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reinit-disk"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&data);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}
