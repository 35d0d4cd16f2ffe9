//! The commands of the `reinit-disk` binary.

pub mod call;
pub mod eval;
pub mod explain;
pub mod lines;
pub mod rules;
pub mod table;

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use reinit_disk::Revision;
use reinit_disk::scenario::Scenario;

/// Prints `reinit-disk: MESSAGE` on standard error; exit status 2.
pub fn fail(message: &str) -> ExitCode {
    let _ = writeln!(io::stderr(), "reinit-disk: {message}");
    ExitCode::from(2)
}

/// The input's name (the path, or `<stdin>`) and a buffered reader of it:
/// FILE, or standard input when FILE is absent or `-`.
pub fn open_input(file: Option<&Path>) -> Result<(String, Box<dyn BufRead>), String> {
    match file {
        Some(path) if path.as_os_str() != "-" => {
            let name = path.display().to_string();
            match File::open(path) {
                Ok(f) => Ok((name, Box::new(BufReader::with_capacity(64 * 1024, f)))),
                Err(e) => Err(format!("cannot read {name}: {e}")),
            }
        }
        _ => Ok(("<stdin>".to_owned(), Box::new(io::stdin().lock()))),
    }
}

/// The input's name and its whole text.
pub fn read_input(file: Option<&Path>) -> Result<(String, String), String> {
    let (name, mut reader) = open_input(file)?;
    let mut text = String::new();
    match reader.read_to_string(&mut text) {
        Ok(_) => Ok((name, text)),
        Err(e) if name == "<stdin>" => Err(format!("cannot read standard input: {e}")),
        Err(e) => Err(format!("cannot read {name}: {e}")),
    }
}

/// Reads and validates a scenario, under `revision` when given (instead of
/// its own policy's); the error is the one line to print.
pub fn load_scenario(
    file: Option<&Path>,
    revision: Option<&'static Revision>,
) -> Result<Scenario, String> {
    let (name, text) = read_input(file)?;
    let scenario =
        Scenario::from_json(&text).map_err(|e| format!("invalid scenario {name}: {e}"))?;
    match revision {
        Some(revision) => scenario
            .with_revision(revision)
            .map_err(|e| format!("--revision {revision} does not fit scenario {name}: {e}")),
        None => Ok(scenario),
    }
}

/// `--revision NAME`: a revision by name, or the error that lists them.
pub fn parse_revision(name: &str) -> Result<&'static Revision, String> {
    Revision::by_name(name).map_err(|e| e.to_string())
}
