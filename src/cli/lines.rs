//! JSON Lines: one scenario a line in, one decision a line out, streaming
//! with a reused buffer so that memory stays constant whatever the input's
//! length. (benches/wire.rs includes this file to measure it.)

use std::io::{self, BufRead, Write};

use reinit_disk::Revision;
use reinit_disk::scenario::Scenario;
use serde::Serialize;

/// What a run saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Lines read.
    pub lines: u64,
    /// Lines that were not valid scenarios.
    pub invalid: u64,
    /// The number (from 1) of the first invalid line.
    pub first_invalid: Option<u64>,
}

/// The line printed for an invalid scenario.
#[derive(Serialize)]
struct ErrorLine<'a> {
    #[serde(rename = "Error")]
    error: &'a str,
}

/// Decides each line of `input` (under `revision`, when given, instead of
/// each scenario's own), writing one JSON line per input line to `output`,
/// in order. Fails only if reading or writing fails.
pub fn run<R: BufRead, W: Write>(
    mut input: R,
    mut output: W,
    revision: Option<&'static Revision>,
) -> io::Result<Summary> {
    let mut summary = Summary::default();
    let mut buffer = Vec::with_capacity(4096);
    loop {
        buffer.clear();
        if input.read_until(b'\n', &mut buffer)? == 0 {
            break;
        }
        summary.lines += 1;
        let line = trim_newline(&buffer);
        match decide(line, revision) {
            Ok(scenario) => serde_json::to_writer(&mut output, &scenario.decide())?,
            Err(error) => {
                summary.invalid += 1;
                summary.first_invalid.get_or_insert(summary.lines);
                serde_json::to_writer(&mut output, &ErrorLine { error: &error })?;
            }
        }
        output.write_all(b"\n")?;
    }
    output.flush()?;
    Ok(summary)
}

/// The scenario on one line, or why it is not one.
fn decide(line: &[u8], revision: Option<&'static Revision>) -> Result<Scenario, String> {
    let text = std::str::from_utf8(line).map_err(|e| {
        format!("not valid UTF-8 ({e}): expected a scenario, one JSON object a line")
    })?;
    if text.trim().is_empty() {
        return Err("empty line: expected a scenario, one JSON object a line".to_owned());
    }
    let scenario = Scenario::from_json(text).map_err(|e| e.to_string())?;
    match revision {
        Some(revision) => scenario.with_revision(revision).map_err(|e| e.to_string()),
        None => Ok(scenario),
    }
}

fn trim_newline(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}
