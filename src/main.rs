//! `reinit-disk`: decide ECS `ReInitDisk` requests from the command line.

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use reinit_disk::scenario::Scenario;

/// Decide what Alibaba Cloud ECS `ReInitDisk` does to a disk: the state it is
/// re-initialized to, or the exact error code, message and HTTP status.
#[derive(Parser)]
#[command(name = "reinit-disk", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate a scenario (a request and its world, as JSON) and print the
    /// decision as one JSON object. Exits 0 whatever the decision, 2 if the
    /// scenario is not valid.
    #[command(
        after_help = "Example:\n  reinit-disk eval examples/accepted-system-disk.json\n  \
        echo '{\"Request\":{\"DiskId\":\"d-1\"}}' | reinit-disk eval\n\n\
        The scenario format is described in docs/scenario.md."
    )]
    Eval {
        /// The scenario file; standard input when absent or `-`.
        file: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Eval { file } => eval(file),
    }
}

fn fail(message: &str) -> ExitCode {
    let _ = writeln!(io::stderr(), "reinit-disk: {message}");
    ExitCode::from(2)
}

fn read_input(file: Option<&PathBuf>) -> Result<(String, String), String> {
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

fn eval(file: Option<PathBuf>) -> ExitCode {
    let (name, text) = match read_input(file.as_ref()) {
        Ok(input) => input,
        Err(message) => return fail(&message),
    };
    let scenario = match Scenario::from_json(&text) {
        Ok(s) => s,
        Err(e) => return fail(&format!("invalid scenario {name}: {e}")),
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
