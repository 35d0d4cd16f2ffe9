//! `reinit-disk preflight`: would ECS re-initialize this disk, and if not,
//! why? Decided from the Describe* responses an operator already has
//! (DescribeDisks, DescribeInstances, and optionally DescribeImages,
//! DescribeSnapshots, DescribeKeyPairs), as the official CLI and SDKs print
//! them.
//!
//! The files are read here; the library reads them as Describe* answers
//! ([`Captured::from_documents`]), makes of them a scenario (the world
//! `explain` and `eval` read) and decides it once per class of every
//! unknown fact ([`reinit_disk::analysis::preflight`]); this module renders
//! every outcome those situations lead to, each with the unknown facts that
//! lead there. docs/cli.md,
//! `## preflight`, says which facts are read from where, and why.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use reinit_disk::Policy;
use reinit_disk::Revision;
use reinit_disk::analysis::preflight::{Captured, Document, Documents, Intent, Report, Situation};

use super::explain::{Color, explain};
use super::{fail, max_input_bytes, plural, print, read_input};

/// How to print the preflight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The decision and its explanation as `explain` prints them, then the
    /// unknown facts and every outcome they lead to.
    Text,
    /// One JSON object: the decision as `eval` prints it, the unknown facts,
    /// the outcomes.
    Json,
}

/// The command's arguments.
pub struct Args<'a> {
    /// `--disk-id`.
    pub disk_id: &'a str,
    /// `--disks`: a DescribeDisks response.
    pub disks: &'a Path,
    /// `--instances`: a DescribeInstances response.
    pub instances: &'a Path,
    /// `--images`: a DescribeImages response.
    pub images: Option<&'a Path>,
    /// `--snapshots`: a DescribeSnapshots response.
    pub snapshots: Option<&'a Path>,
    /// `--key-pairs`: a DescribeKeyPairs response.
    pub key_pairs: Option<&'a Path>,
    /// `--revision` (default `seed`).
    pub revision: Option<&'static Revision>,
    /// `--password-given`: a password will be sent (never which).
    pub password_given: bool,
    /// `--key-pair-name`.
    pub key_pair_name: Option<&'a str>,
    /// `--auto-start`.
    pub auto_start: bool,
    /// `--color`.
    pub color: Color,
    /// `--format`.
    pub format: Format,
}

/// Refuses a value given to `--password-given` (`--password-given=...`, or
/// any word after it that is not an option of `preflight`) before the
/// arguments are parsed, without showing it: the flag says a password will
/// be sent and never takes one, and the parser's error would echo the word
/// it refuses. `options`: `preflight`'s options as its parser declares
/// them (`--disk-id`, `-h`), those that may follow `--password-given`.
pub fn refuse_password_value(args: &[OsString], options: &[String]) -> Option<ExitCode> {
    let is_option = |word: &OsString| {
        word.to_str().is_some_and(|w| {
            (options.iter()).any(|o| {
                w == o
                    || w.strip_prefix(o.as_str())
                        .is_some_and(|r| r.starts_with('='))
            })
        })
    };
    let mut words = args.iter().skip_while(|a| *a != "preflight").skip(1);
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        let given = word
            .to_str()
            .is_some_and(|w| w.starts_with("--password-given="))
            || (word == "--password-given"
                && words.clone().next().is_some_and(|next| !is_option(next)));
        if given {
            return Some(fail(
                "--password-given takes no value: it says a password will be sent, and the preflight never reads one (the value given is not shown)",
            ));
        }
    }
    None
}

/// Runs the command.
pub fn run(args: &Args<'_>) -> ExitCode {
    let revision = args
        .revision
        .unwrap_or_else(|| Policy::default().revision());
    let mut situation = match load(args, revision) {
        Ok(s) => s,
        Err(message) => return fail(&message),
    };
    let outcomes = match situation.outcomes() {
        Ok(outcomes) => outcomes,
        Err(message) => return fail(&message),
    };
    let report = situation.report(args.disk_id, &outcomes);
    let text = match args.format {
        Format::Text => text(&report, &situation, args.color.on()),
        // Strings, numbers and enums only: it always serializes.
        Format::Json => serde_json::to_string(&report).unwrap_or_default() + "\n",
    };
    print(text.as_bytes(), "the preflight")
}

fn load(args: &Args<'_>, revision: &'static Revision) -> Result<Situation, String> {
    let read = |flag: &str, path: &Path| {
        read_input(Some(path), max_input_bytes()).map_err(|e| format!("{flag}: {e}"))
    };
    let optional = |flag: &str, path: Option<&Path>| path.map(|p| read(flag, p)).transpose();
    let (disks, instances) = (
        read("--disks", args.disks)?,
        read("--instances", args.instances)?,
    );
    let images = optional("--images", args.images)?;
    let snapshots = optional("--snapshots", args.snapshots)?;
    let key_pairs = optional("--key-pairs", args.key_pairs)?;
    let captured = Captured::from_documents(&Documents {
        disks: document(&disks),
        instances: document(&instances),
        images: images.as_ref().map(document),
        snapshots: snapshots.as_ref().map(document),
        key_pairs: key_pairs.as_ref().map(document),
    })?;
    let intent = Intent {
        disk_id: args.disk_id,
        password_given: args.password_given,
        key_pair_name: args.key_pair_name,
        auto_start: args.auto_start,
    };
    Situation::build(&captured, &intent, revision)
}

/// A file read ([`read_input`]'s name and text) as the library reads it.
fn document((file, text): &(String, String)) -> Document<'_> {
    Document { file, text }
}

/// The text report: `explain`'s explanation of the situation's scenario
/// between the report's lines.
fn text(report: &Report<'_>, situation: &Situation, colored: bool) -> String {
    let mut out = String::new();
    let disk = super::terminal_safe(report.disk_id.to_owned());
    let (revision, unknown) = (report.revision, report.unknown.len());
    let count = situation.count();
    if report.known {
        let _ = writeln!(
            out,
            "Preflight of disk {disk} (revision {revision}): every fact the rules read is known."
        );
    } else {
        let _ = writeln!(
            out,
            "Preflight of disk {disk} (revision {revision}): {unknown} {} the rules read {} unknown; {count} situations decided, {} possible {}.\nExplained with every unknown fact at its first value:",
            plural(unknown, "fact", "facts"),
            plural(unknown, "is", "are"),
            report.outcomes.len(),
            plural(report.outcomes.len(), "outcome", "outcomes"),
        );
    }
    out.push_str(&explain(&situation.scenario, colored));
    if !report.assumed.is_empty() {
        let assumed = super::terminal_safe(report.assumed.join("; "));
        let _ = writeln!(out, "Assumed (no Describe* response shows it): {assumed}.");
    }
    if report.known {
        return out;
    }
    let _ = writeln!(
        out,
        "Unknown facts (their values, the first assumed above):"
    );
    for u in &report.unknown {
        let line = format!("  - {} ({}): {}", u.fact, u.why, u.values.join(" | "));
        let _ = writeln!(out, "{}", super::terminal_safe(line));
    }
    let _ = writeln!(
        out,
        "Possible outcomes (each with the fewest unknown facts away from their first value that lead to it):"
    );
    for o in &report.outcomes {
        let what = match (o.code, o.check) {
            (Some(code), Some(check)) => {
                format!("rejected ({}) by check {check}: {code}", o.http_status)
            }
            _ => "accepted (200)".to_owned(),
        };
        let when = if o.when.is_empty() {
            "with every unknown fact at its first value".to_owned()
        } else {
            let parts: Vec<String> = (o.when.iter())
                .map(|v| format!("{}: {}", v.fact, v.value))
                .collect();
            super::terminal_safe(format!("when {}", parts.join("; ")))
        };
        let situations = o.situations;
        let _ = writeln!(
            out,
            "  - {what}, in {situations} of {count} situations, {when}"
        );
    }
    out
}
