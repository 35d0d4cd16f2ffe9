//! `reinit-disk eval [FILE]` and `reinit-disk eval --lines [FILE]`.

use std::io::{self, BufWriter};
use std::path::Path;
use std::process::ExitCode;

use reinit_disk::Revision;

use super::lines::Failure;
use super::{
    fail, lines, load_scenario, max_input_bytes, open_input, print, stdout_closed,
    stdout_was_closed, write_failed,
};

/// One scenario in, one decision out.
pub fn single(file: Option<&Path>, revision: Option<&'static Revision>) -> ExitCode {
    let scenario = match load_scenario(file, revision) {
        Ok(s) => s,
        Err(message) => return fail(&message),
    };
    let decision = scenario.decide();
    let mut line = match serde_json::to_string(&decision) {
        Ok(line) => line,
        Err(e) => return fail(&format!("cannot encode the decision: {e}")),
    };
    line.push('\n');
    print(line.as_bytes(), "the decision")
}

/// JSON Lines in (each line at most [`max_input_bytes`]), JSON Lines out,
/// streaming.
pub fn lines(file: Option<&Path>, revision: Option<&'static Revision>) -> ExitCode {
    if stdout_was_closed() {
        return stdout_closed("the decisions");
    }
    let stdout = io::stdout();
    let output = BufWriter::with_capacity(64 * 1024, stdout.lock());
    let (name, input) = match open_input(file) {
        Ok(opened) => opened,
        Err(message) => return fail(&message),
    };
    match lines::run(input, output, max_input_bytes(), revision) {
        Err(Failure::Read(e)) => fail(&format!("cannot read {name}: {e}")),
        Err(Failure::Write(e)) => write_failed("the decisions", &e),
        Ok(summary) => match summary.first_invalid {
            None => ExitCode::SUCCESS,
            Some(first) => fail(&format!(
                "{name}: {} of {} lines are not valid scenarios (the first is line {first}); each has {{\"Error\": ...}} on its line",
                summary.invalid, summary.lines
            )),
        },
    }
}
