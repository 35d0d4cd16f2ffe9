//! `reinit-disk explain [FILE]`: every check in policy order, what it found
//! and the facts it read, then the decision.

use std::fmt::Write as _;
use std::io::{self, IsTerminal};
use std::path::Path;
use std::process::ExitCode;

use reinit_disk::model::Source;
use reinit_disk::scenario::Scenario;
use reinit_disk::{Check, Rejection, Revision, Target, Verdict, evaluate_traced};

use super::{fail, load_scenario, write_failed, write_stdout};

/// When to colour the output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    /// When standard output is a terminal and NO_COLOR is not set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// How one check ended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Passed,
    Failed,
    NotApplicable,
    NotReached,
}

impl Status {
    const fn label(self) -> &'static str {
        match self {
            Self::Passed => "passed",
            Self::Failed => "failed",
            Self::NotApplicable => "not applicable",
            Self::NotReached => "not reached",
        }
    }

    /// The ANSI style: green, bold red, yellow, dim.
    const fn style(self) -> &'static str {
        match self {
            Self::Passed => "\x1b[32m",
            Self::Failed => "\x1b[1;31m",
            Self::NotApplicable => "\x1b[33m",
            Self::NotReached => "\x1b[2m",
        }
    }
}

const RESET: &str = "\x1b[0m";

/// Runs the command.
pub fn run(file: Option<&Path>, color: Color, revision: Option<&'static Revision>) -> ExitCode {
    let scenario = match load_scenario(file, revision) {
        Ok(s) => s,
        Err(message) => return fail(&message),
    };
    let colored = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let text = explain(&scenario, colored);
    match write_stdout(text.as_bytes(), "the explanation") {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => write_failed(&message),
    }
}

/// The explanation of a scenario's decision: each check's verdict and the
/// facts it read, as the trace reports them (the world is not read again).
pub fn explain(scenario: &Scenario, colored: bool) -> String {
    let request = scenario.request();
    let policy = &scenario.policy;
    let mut steps: Vec<(Verdict, String)> = Vec::new();
    let outcome = evaluate_traced(&request, scenario, policy, |step| {
        steps.push((step.verdict, step.describe().to_string()));
    });
    let paint = |status: Status, text: &str| {
        if colored {
            format!("{}{text}{RESET}", status.style())
        } else {
            text.to_owned()
        }
    };

    let mut out = String::new();
    let _ = writeln!(out, "Request: {}", describe_request(scenario));
    let _ = writeln!(
        out,
        "Checks, in policy order (revision {}):",
        policy.revision()
    );
    let checks: Vec<Check> = policy
        .revision()
        .request_checks
        .iter()
        .chain(policy.order())
        .copied()
        .collect();
    for (i, check) in checks.iter().enumerate() {
        let (status, facts) = match steps.get(i) {
            Some((Verdict::Pass, facts)) => (Status::Passed, facts.as_str()),
            Some((Verdict::Fail(_), facts)) => (Status::Failed, facts.as_str()),
            Some((Verdict::NotApplicable, facts)) => (Status::NotApplicable, facts.as_str()),
            None => (Status::NotReached, ""),
        };
        let label = paint(status, &format!("{:<14}", status.label()));
        let line = format!("{:>3}. {:<28}  {label}  {facts}", i + 1, check.name());
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let decision = match &outcome {
        Ok(target) => paint(Status::Passed, &describe_accepted(target)),
        Err(rejection) => paint(Status::Failed, &describe_rejected(rejection)),
    };
    let _ = writeln!(out, "Decision: {decision}");
    out
}

fn describe_request(scenario: &Scenario) -> String {
    if scenario.request.is_empty() {
        return "no parameters".to_owned();
    }
    let params: Vec<String> = scenario
        .request
        .iter()
        .map(|(name, value)| {
            // A password is a secret: said to be given, never shown.
            if name == <&str>::from(reinit_disk::Param::Password) {
                format!("{name}=(given, not shown)")
            } else {
                format!("{name}={value}")
            }
        })
        .collect();
    params.join(", ")
}

fn describe_accepted(target: &Target<'_>) -> String {
    let to = match target.reset_to {
        Source::Image(id) => format!("image {id}"),
        Source::Snapshot(id) => format!("snapshot {id}"),
        Source::Empty => "empty".to_owned(),
    };
    let hardening = target
        .security_enhancement
        .map_or_else(|| "none".to_owned(), |s| s.to_string());
    let transition = target.transition();
    let mut logon = String::new();
    if target.password_reset {
        logon.push_str(", password reset");
    }
    if let Some(name) = target.key_pair_name {
        let _ = write!(logon, ", key pair {name} bound");
    }
    let instance = match transition.instance_after() {
        Some(status) => format!("; then the instance is started: {status}"),
        None => String::new(),
    };
    format!(
        "accepted (200): disk {} on instance {} is reset to {to}, security hardening {hardening}{logon}; {} while it runs, then {}{instance}",
        target.disk_id,
        target.instance_id,
        transition.disk_during(),
        transition.disk_after()
    )
}

fn describe_rejected(rejection: &Rejection) -> String {
    format!(
        "rejected ({}) by check {}: {} \"{}\"",
        rejection.http_status(),
        rejection.check(),
        rejection.code(),
        rejection.message()
    )
}
