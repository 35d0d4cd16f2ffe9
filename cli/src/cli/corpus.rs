//! `reinit-disk corpus`: one witness per decision class of a policy's
//! space (the library's [`reinit_disk::analysis::corpus`]), as scenarios
//! that `eval --lines` replays with the decisions expected, or as the
//! official SDK's HTTP exchanges. The library builds both; this renders.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use reinit_disk::analysis::corpus::{corpus, http_exchange};
use reinit_disk::{Policy, Revision};

use super::{fail, load_scenario, print};

/// What `corpus` writes on standard output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One scenario a line, as `eval --lines` reads them (docs/scenario.md).
    Scenarios,
    /// One HTTP exchange a line: the world to load, the request the
    /// official Python SDK sends, the exact response (docs/corpus.md).
    Http,
}

/// The arguments of `corpus`.
pub struct Args<'a> {
    /// `--revision`.
    pub revision: Option<&'static Revision>,
    /// `--policy`: a scenario-style file whose `Policy` decides.
    pub policy: Option<&'a Path>,
    /// `--expected`: where to write the expected decisions.
    pub expected: Option<&'a Path>,
    /// `--format`.
    pub format: Format,
}

/// Runs the command: the corpus on standard output, the decisions to
/// `--expected` (line for line).
pub fn run(args: &Args<'_>) -> ExitCode {
    let policy = match args.policy {
        Some(path) => match load_scenario(Some(path), args.revision) {
            Ok(scenario) => scenario.policy,
            Err(message) => return fail(&format!("--policy: {message}")),
        },
        None => args.revision.map_or_else(Policy::default, Policy::new),
    };
    let (mut lines, mut decisions) = (String::new(), String::new());
    for entry in corpus(&policy) {
        let line = match args.format {
            Format::Scenarios => serde_json::to_string(&entry.scenario),
            Format::Http => match http_exchange(&entry, &policy) {
                Ok(exchange) => serde_json::to_string(&exchange),
                Err(e) => {
                    // No witness gives this (docs/corpus.md): a bug, not
                    // a bad argument.
                    let _ = fail(&format!("the HTTP corpus: {e}"));
                    return ExitCode::FAILURE;
                }
            },
        };
        let _ = writeln!(lines, "{}", line.unwrap_or_default());
        let _ = writeln!(
            decisions,
            "{}",
            serde_json::to_string(&entry.decision).unwrap_or_default()
        );
    }
    if let Some(path) = args.expected {
        if let Err(e) = std::fs::write(path, decisions) {
            return fail(&format!("--expected {}: {e}", path.display()));
        }
    }
    print(lines.as_bytes(), "the corpus")
}
