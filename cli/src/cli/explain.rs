//! `reinit-disk explain [FILE]`: every check in policy order, what it found
//! and the facts it read, then the decision. With `--all`, every check runs,
//! even after the first failure (which still decides).

use std::fmt::Write as _;
use std::io::{self, IsTerminal};
use std::path::Path;
use std::process::ExitCode;

use reinit_disk::model::Source;
use reinit_disk::scenario::Scenario;
use reinit_disk::{Check, Rejection, Revision, Target, Verdict, evaluate_all, evaluate_traced};

use super::{fail, load_scenario, print};

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

impl Color {
    /// Whether standard output is coloured.
    pub fn on(self) -> bool {
        match self {
            Self::Always => true,
            Self::Never => false,
            Self::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        }
    }
}

/// How one check ended.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Passed,
    Failed,
    NotApplicable,
    NotReached,
    /// `--all`: failed after the deciding check.
    AlsoFailed,
    /// `--all`: after the deciding check, a fact it needs is missing (no
    /// disk, no instance, no image, ...), so it has no verdict of its own.
    CouldNotRun,
}

impl Status {
    /// Its label, and its ANSI style: green, bold red, red, yellow, dim.
    const fn look(self) -> (&'static str, &'static str) {
        match self {
            Self::Passed => ("passed", "\x1b[32m"),
            Self::Failed => ("failed", "\x1b[1;31m"),
            Self::AlsoFailed => ("also failed", "\x1b[31m"),
            Self::NotApplicable => ("not applicable", "\x1b[33m"),
            Self::NotReached => ("not reached", "\x1b[2m"),
            Self::CouldNotRun => ("could not run", "\x1b[2m"),
        }
    }
}

const RESET: &str = "\x1b[0m";

/// Runs the command.
pub fn run(
    file: Option<&Path>,
    color: Color,
    all: bool,
    revision: Option<&'static Revision>,
) -> ExitCode {
    let scenario = match load_scenario(file, revision) {
        Ok(s) => s,
        Err(message) => return fail(&message),
    };
    let text = if all {
        explain_all(&scenario, color.on())
    } else {
        explain(&scenario, color.on())
    };
    print(text.as_bytes(), "the explanation")
}

/// The explanation of a scenario's decision: each check's verdict and the
/// facts it read, as the trace reports them (the world is not read again).
pub fn explain(scenario: &Scenario, colored: bool) -> String {
    let policy = &scenario.policy;
    let mut out = head(scenario, "");
    let mut n = 0;
    let outcome = evaluate_traced(&scenario.request(), scenario, policy, |step| {
        let status = match step.verdict {
            Verdict::Pass => Status::Passed,
            Verdict::Fail(_) => Status::Failed,
            // A verdict a later engine adds (Verdict is non-exhaustive)
            // shows as not applicable until this command learns it.
            _ => Status::NotApplicable,
        };
        n += 1;
        check_line(
            &mut out,
            colored,
            n,
            step.check,
            status,
            &step.describe().to_string(),
        );
    });
    let checks = policy
        .revision()
        .request_checks
        .iter()
        .chain(policy.order());
    for check in checks.skip(n) {
        n += 1;
        check_line(&mut out, colored, n, *check, Status::NotReached, "");
    }
    decision_line(&mut out, colored, &outcome);
    out
}

/// The first two lines: the request, and the checks' title (`all`: what
/// follows the revision).
fn head(scenario: &Scenario, all: &str) -> String {
    format!(
        "Request: {}\nChecks, in policy order (revision {}){all}:\n",
        describe_request(scenario),
        scenario.policy.revision()
    )
}

/// One check's line: its place, name, status and the facts it read.
fn check_line(
    out: &mut String,
    colored: bool,
    n: usize,
    check: Check,
    status: Status,
    facts: &str,
) {
    let label = paint(colored, status, &format!("{:<14}", status.look().0));
    let facts = super::terminal_safe(facts.to_owned());
    let line = format!("{n:>3}. {:<28}  {label}  {facts}", check.name());
    let _ = writeln!(out, "{}", line.trim_end());
}

/// The decision's line.
fn decision_line(out: &mut String, colored: bool, outcome: &Result<Target<'_>, Rejection>) {
    let decision = match outcome {
        Ok(target) => paint(colored, Status::Passed, &describe_accepted(target)),
        Err(rejection) => paint(colored, Status::Failed, &describe_rejected(rejection)),
    };
    let _ = writeln!(out, "Decision: {decision}");
}

/// `text` in `status`'s colour when `colored`.
fn paint(colored: bool, status: Status, text: &str) -> String {
    if colored {
        format!("{}{text}{RESET}", status.look().1)
    } else {
        text.to_owned()
    }
}

/// The explanation with every check run (`--all`): each check's own
/// verdict on the facts, even after the first failure, in the order the
/// engine runs them, as [`evaluate_all`] reports them (the CLI runs no
/// check). The decision is still the engine's, the first failure's; the
/// lines after it say what else fails, and which checks could not run for
/// want of a fact an earlier failure reported missing.
pub fn explain_all(scenario: &Scenario, colored: bool) -> String {
    let mut out = head(scenario, ", every one run (--all)");
    let mut decided = false;
    let mut also_failed: Vec<String> = Vec::new();
    let mut n = 0usize;
    let outcome = evaluate_all(&scenario.request(), scenario, &scenario.policy, |step| {
        n = n.saturating_add(1);
        let missing = step.missing();
        let status = match step.verdict {
            Verdict::Pass => Status::Passed,
            Verdict::Fail(_) if !decided => Status::Failed,
            Verdict::Fail(code) => {
                also_failed.push(format!("{} ({code})", step.check));
                Status::AlsoFailed
            }
            Verdict::NotApplicable if decided && missing.is_some() => Status::CouldNotRun,
            // NotApplicable, or a verdict a later engine adds.
            _ => Status::NotApplicable,
        };
        decided |= status == Status::Failed;
        let mut facts = step.describe().to_string();
        if let (Status::CouldNotRun, Some(missing)) = (status, missing) {
            let _ = write!(facts, " (needs {missing}, which the world does not have)");
        }
        check_line(&mut out, colored, n, step.check, status, &facts);
    });
    decision_line(&mut out, colored, &outcome);
    // (A rejection that no check made, the target's InternalError, has
    // nothing to add.)
    if let (Err(rejection), true) = (&outcome, decided) {
        let after = match also_failed.len() {
            0 => "no other check fails".to_owned(),
            n => format!(
                "{n} more {} after it: {}",
                super::plural(n, "check fails", "checks fail"),
                also_failed.join(", ")
            ),
        };
        let _ = writeln!(
            out,
            "The first failure decides (ECS answers with {} alone); {after}.",
            rejection.check()
        );
    }
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
    super::terminal_safe(params.join(", "))
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
    super::terminal_safe(format!(
        "accepted (200): disk {} on instance {} is reset to {to}, security hardening {hardening}{logon}; {} while it runs, then {}{instance}",
        target.disk_id,
        target.instance_id,
        transition.disk_during(),
        transition.disk_after()
    ))
}

fn describe_rejected(rejection: &Rejection) -> String {
    super::terminal_safe(format!(
        "rejected ({}) by check {}: {} \"{}\"",
        rejection.http_status(),
        rejection.check(),
        rejection.code(),
        rejection.message()
    ))
}
