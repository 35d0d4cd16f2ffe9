//! `reinit-disk eval [FILE]` and `reinit-disk eval --lines [FILE]`.

use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use reinit_disk::Revision;

use super::{fail, lines, load_scenario, open_input};

/// One scenario in, one decision out.
pub fn single(file: Option<&Path>, revision: Option<&'static Revision>) -> ExitCode {
    let scenario = match load_scenario(file, revision) {
        Ok(s) => s,
        Err(message) => return fail(&message),
    };
    let decision = scenario.decide();
    let line = match serde_json::to_string(&decision) {
        Ok(line) => line,
        Err(e) => return fail(&format!("cannot encode the decision: {e}")),
    };
    match writeln!(io::stdout().lock(), "{line}") {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("cannot write the decision: {e}")),
    }
}

/// JSON Lines in, JSON Lines out, streaming.
pub fn lines(file: Option<&Path>, revision: Option<&'static Revision>) -> ExitCode {
    let stdout = io::stdout();
    let output = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let (name, input) = match open_input(file) {
        Ok(opened) => opened,
        Err(message) => return fail(&message),
    };
    match lines::run(input, output, revision) {
        Err(e) => fail(&format!("{name}: {e}")),
        Ok(summary) => match summary.first_invalid {
            None => ExitCode::SUCCESS,
            Some(first) => fail(&format!(
                "{name}: {} of {} lines are not valid scenarios (the first is line {first}); each has {{\"Error\": ...}} on its line",
                summary.invalid, summary.lines
            )),
        },
    }
}
