//! JSON Lines: one scenario a line in, one decision a line out, streaming
//! with a reused buffer so that memory stays constant whatever the input's
//! length. (benches/wire.rs includes this file to measure it.)

use std::io::{self, BufRead, Read, Write};

use reinit_disk::Revision;
use reinit_disk::scenario::{Scenario, error_line};

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

/// Why a run stopped: the input could not be read, or the output written.
#[derive(Debug)]
pub enum Failure {
    /// Reading the input failed.
    Read(io::Error),
    /// Writing the output failed.
    Write(io::Error),
}

/// Decides each line of `input` (under `revision`, when given, instead of
/// each scenario's own), writing one JSON line per input line to `output`,
/// in order. A line of more than `limit` bytes is not read whole: it gets an
/// error line, and the run goes on at the next line. Fails only if reading or
/// writing fails.
pub fn run<R: BufRead, W: Write>(
    mut input: R,
    mut output: W,
    limit: u64,
    revision: Option<&'static Revision>,
) -> Result<Summary, Failure> {
    let mut summary = Summary::default();
    let mut buffer = Vec::with_capacity(4096);
    loop {
        buffer.clear();
        let read = Read::take(&mut input, limit.saturating_add(1))
            .read_until(b'\n', &mut buffer)
            .map_err(Failure::Read)?;
        if read == 0 {
            break;
        }
        summary.lines += 1;
        let decided = if read as u64 > limit && !buffer.ends_with(b"\n") {
            skip_line(&mut input).map_err(Failure::Read)?;
            Err(format!(
                "line longer than {limit} bytes, the limit for a scenario (--max-input-bytes BYTES raises it)"
            ))
        } else {
            Scenario::parse_json_line(trim_newline(&buffer), summary.lines, revision)
                .map_err(|e| e.to_string())
        };
        let written = match decided {
            Ok(scenario) => serde_json::to_writer(&mut output, &scenario.decide()),
            Err(error) => {
                summary.invalid += 1;
                summary.first_invalid.get_or_insert(summary.lines);
                output
                    .write_all(error_line(&error, summary.lines).as_bytes())
                    .map_err(serde_json::Error::io)
            }
        };
        written
            .map_err(io::Error::from)
            .and_then(|()| output.write_all(b"\n"))
            .map_err(Failure::Write)?;
    }
    output.flush().map_err(Failure::Write)?;
    Ok(summary)
}

/// Reads and drops the rest of a line, up to and including its `\n`.
fn skip_line<R: BufRead>(input: &mut R) -> io::Result<()> {
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok(());
        }
        match chunk.iter().position(|&b| b == b'\n') {
            Some(end) => {
                input.consume(end.saturating_add(1));
                return Ok(());
            }
            None => {
                let len = chunk.len();
                input.consume(len);
            }
        }
    }
}

fn trim_newline(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}
