//! `reinit-disk corpus`: one witness scenario per decision class of a
//! policy's space (the library's [`reinit_disk::analysis::decision_classes`]),
//! as JSON Lines that `eval --lines` replays, and the decisions expected.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use reinit_disk::analysis::decision_classes;
use reinit_disk::scenario::Decision;
use reinit_disk::{Policy, Revision};

use super::{fail, load_scenario, print};

/// The arguments of `corpus`.
pub struct Args<'a> {
    /// `--revision`.
    pub revision: Option<&'static Revision>,
    /// `--policy`: a scenario-style file whose `Policy` decides.
    pub policy: Option<&'a Path>,
    /// `--expected`: where to write the expected decisions.
    pub expected: Option<&'a Path>,
}

/// Runs the command: the scenarios on standard output, the decisions to
/// `--expected` (line for line).
pub fn run(args: &Args<'_>) -> ExitCode {
    let policy = match args.policy {
        Some(path) => match load_scenario(Some(path), args.revision) {
            Ok(scenario) => scenario.policy,
            Err(message) => return fail(&format!("--policy: {message}")),
        },
        None => args.revision.map_or_else(Policy::default, Policy::new),
    };
    let (mut scenarios, mut decisions) = (String::new(), String::new());
    for (n, class) in decision_classes(&policy).iter().enumerate() {
        let mut scenario = class.witness.to_scenario(policy);
        let decision = Decision::from(
            &class
                .decided
                .as_ref()
                .map(reinit_disk::OwnedTarget::as_target)
                .map_err(|r| *r),
        );
        let answer = match (&decision.code, &decision.check) {
            (Some(code), Some(check)) => format!("{code} by {check}"),
            _ => "accepted".to_owned(),
        };
        scenario.description = Some(format!(
            "class {}: {answer} ({} situations)",
            n + 1,
            class.situations
        ));
        let _ = writeln!(
            scenarios,
            "{}",
            serde_json::to_string(&scenario).unwrap_or_default()
        );
        let _ = writeln!(
            decisions,
            "{}",
            serde_json::to_string(&decision).unwrap_or_default()
        );
    }
    if let Some(path) = args.expected {
        if let Err(e) = std::fs::write(path, decisions) {
            return fail(&format!("--expected {}: {e}", path.display()));
        }
    }
    print(scenarios.as_bytes(), "the corpus")
}
