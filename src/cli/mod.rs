//! The commands of the `reinit-disk` binary.

pub mod call;
pub mod eval;
pub mod explain;
pub mod lines;
pub mod table;

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use reinit_disk::scenario::Scenario;

/// Prints `reinit-disk: MESSAGE` on standard error; exit status 2.
pub fn fail(message: &str) -> ExitCode {
    let _ = writeln!(io::stderr(), "reinit-disk: {message}");
    ExitCode::from(2)
}

/// The input's name (the path, or `<stdin>`) and its text.
pub fn read_input(file: Option<&Path>) -> Result<(String, String), String> {
    let mut text = String::new();
    match file {
        Some(path) if path.as_os_str() != "-" => {
            let name = path.display().to_string();
            std::fs::File::open(path)
                .and_then(|mut f| f.read_to_string(&mut text))
                .map_err(|e| format!("cannot read {name}: {e}"))?;
            Ok((name, text))
        }
        _ => {
            io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| format!("cannot read standard input: {e}"))?;
            Ok(("<stdin>".to_owned(), text))
        }
    }
}

/// Reads and validates a scenario; the error is the one line to print.
pub fn load_scenario(file: Option<&Path>) -> Result<Scenario, String> {
    let (name, text) = read_input(file)?;
    Scenario::from_json(&text).map_err(|e| format!("invalid scenario {name}: {e}"))
}
