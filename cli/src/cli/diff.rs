//! `reinit-disk diff`: every class of situations whose decision changes
//! between two policies or revisions, with a count and one smallest
//! witness. The comparison is the library's ([`reinit_disk::analysis::diff()`]);
//! this module reads the sides and renders what it found.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use reinit_disk::analysis::{self, Change, Space};
use reinit_disk::scenario::{Decision, Scenario};
use reinit_disk::{Policy, Revision};

use super::load_scenario;

/// How `diff` prints what changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text, one class after the other, each witness as JSON.
    Text,
    /// Markdown (docs/revisions.md holds it for seed → 2025-02-27).
    Markdown,
    /// One JSON object.
    Json,
}

/// One side of the comparison: a revision under its default policy, or the
/// policy of a scenario-style file.
pub struct Side {
    /// How the output names it: the revision's name, or the file's path.
    pub label: String,
    /// The policy that decides on this side.
    pub policy: Policy,
    /// Whether the side is a revision by name (else a file).
    pub by_name: bool,
}

impl Side {
    /// `arg` as a revision name, else as a scenario-style file whose
    /// `Policy` decides (`flag` names the option in errors).
    pub fn parse(flag: &str, arg: &str) -> Result<Self, String> {
        if let Ok(revision) = Revision::by_name(arg) {
            return Ok(Self {
                label: revision.name.to_owned(),
                policy: Policy::new(revision),
                by_name: true,
            });
        }
        let path = Path::new(arg);
        if !path.exists() {
            let names: Vec<&str> = reinit_disk::revision::ALL.iter().map(|r| r.name).collect();
            return Err(format!(
                "{flag} {}: neither a revision ({}) nor a policy file that exists",
                reinit_disk::echo::Echo(arg),
                names.join(", ")
            ));
        }
        let scenario = load_scenario(Some(path), None).map_err(|e| format!("{flag}: {e}"))?;
        Ok(Self {
            label: path.display().to_string(),
            policy: scenario.policy,
            by_name: false,
        })
    }
}

/// The arguments of `diff`.
pub struct Args<'a> {
    /// `--from`.
    pub from: &'a str,
    /// `--to`.
    pub to: &'a str,
    /// `--format`.
    pub format: Format,
}

/// Runs the command: exit 0 when no decision changes, 1 when one does, 2
/// for a side it cannot use.
pub fn run(args: &Args<'_>) -> ExitCode {
    let sides = Side::parse("--from", args.from).and_then(|from| {
        let to = Side::parse("--to", args.to)?;
        Ok((from, to))
    });
    let (from, to) = match sides {
        Ok(sides) => sides,
        Err(message) => return super::fail(&message),
    };
    let report = compare(&from, &to);
    let text = match args.format {
        Format::Text => report.render(false),
        Format::Markdown => report.render(true),
        Format::Json => report.json(),
    };
    // Exit 1 means "something changes" here: an output that cannot be
    // written is 2, as diff(1) has it (a closed standard output too).
    let done = if report.classes.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    };
    super::print_then(text.as_bytes(), "the diff", done, ExitCode::from(2))
}

/// One class, as printed (and as `--format json` writes it).
#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
struct Class {
    situations: u64,
    from: Decision,
    to: Decision,
    /// The witness under the new side's policy.
    witness: Scenario,
}

/// Everything `diff` found, ready to render (`--format json` writes it
/// whole, its fields in this order).
#[derive(serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Report {
    from: String,
    to: String,
    situations: u64,
    /// How many situations change.
    changed: u64,
    /// How to decide a witness as the old side.
    replay_from: String,
    classes: Vec<Class>,
    not_enumerated: [&'static str; 3],
}

/// Compares the two sides (the library decides; this keeps what it prints).
pub fn compare(from: &Side, to: &Side) -> Report {
    let found = analysis::diff(&from.policy, &to.policy);
    let class = |change: &Change| Class {
        situations: change.situations,
        witness: change.witness.to_scenario(to.policy),
        from: Decision::from(&change.from),
        to: Decision::from(&change.to),
    };
    Report {
        from: from.label.clone(),
        to: to.label.clone(),
        situations: found.situations,
        changed: found.changed(),
        replay_from: replay_hint(from, to),
        classes: found.changes.iter().map(class).collect(),
        not_enumerated: Space::NOT_ENUMERATED,
    }
}

/// How to get the old side's decision from a witness that carries the new
/// side's policy: `eval --revision OLD` when that gives exactly the old
/// side's policy (both sides revisions by name), else the old policy
/// itself, to put in the witness's place.
fn replay_hint(from: &Side, to: &Side) -> String {
    let by_revision = to.policy.with_revision(from.policy.revision()).ok() == Some(from.policy);
    if from.by_name && by_revision {
        format!("`eval --revision {}` gives the old decision", from.label)
    } else {
        let policy = serde_json::to_string(&from.policy).unwrap_or_default();
        format!("with \"Policy\": {policy} in its place, `eval` gives the old decision")
    }
}

impl Report {
    /// Plain text, or Markdown (with a table of the classes by old and
    /// new answer first: a reviewer's summary).
    pub fn render(&self, markdown: bool) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} → {}: {} of {} situations change, in {} classes.",
            self.from,
            self.to,
            self.changed,
            self.situations,
            self.classes.len()
        );
        if markdown {
            let mut groups: Vec<(String, String, usize, u64)> = Vec::new();
            for class in &self.classes {
                let (old, new) = (headline(&class.from), headline(&class.to));
                match groups.iter_mut().find(|g| g.0 == old && g.1 == new) {
                    Some(group) => {
                        group.2 += 1;
                        group.3 += class.situations;
                    }
                    None => groups.push((old, new, 1, class.situations)),
                }
            }
            let _ = writeln!(out);
            let _ = writeln!(out, "| old answer | new answer | classes | situations |");
            let _ = writeln!(out, "|---|---|---:|---:|");
            for (old, new, classes, situations) in groups {
                let _ = writeln!(out, "| {old} | {new} | {classes} | {situations} |");
            }
        }
        let item = if markdown { "- " } else { "   " };
        for (n, class) in self.classes.iter().enumerate() {
            let title = class_title(class);
            let _ = writeln!(out);
            if markdown {
                let _ = writeln!(out, "### {}. {}", n + 1, super::table::cell(&title));
                let _ = writeln!(out);
            } else {
                let _ = writeln!(out, "{}. {title}", n + 1);
            }
            let _ = writeln!(out, "{item}situations: {}", class.situations);
            for (side, d) in [("from", &class.from), ("to", &class.to)] {
                let _ = writeln!(out, "{item}{side}: {}", decision_line(d));
            }
            let _ = writeln!(
                out,
                "{item}witness (its policy is the new side's; {}):",
                self.replay_from
            );
            let witness = serde_json::to_string(&class.witness).unwrap_or_default();
            if markdown {
                let _ = writeln!(out, "\n```json\n{witness}\n```");
            } else {
                let _ = writeln!(out, "   {witness}");
            }
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "Not enumerated:");
        if markdown {
            let _ = writeln!(out);
        }
        for limit in Space::NOT_ENUMERATED {
            let _ = writeln!(out, "- {limit}");
        }
        out
    }

    /// One JSON object.
    pub fn json(&self) -> String {
        // Strings, numbers and scenarios: it always serializes.
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}

/// A decision's code and HTTP status, or `accepted`.
fn headline(d: &Decision) -> String {
    match (&d.code, d.accepted) {
        (_, true) => "accepted".to_owned(),
        (Some(code), false) => format!("{code} ({})", d.http_status),
        (None, false) => format!("({})", d.http_status),
    }
}

/// `OLD → NEW`, and "message changed" when the code is the same.
fn class_title(class: &Class) -> String {
    let (old, new) = (headline(&class.from), headline(&class.to));
    if old != new {
        format!("{old} → {new}")
    } else if class.from.accepted {
        format!("{old} → {new}, target changed")
    } else {
        format!("{old} → {new}, message changed")
    }
}

/// A decision in one line: the code and message, or the target.
fn decision_line(d: &Decision) -> String {
    if d.accepted {
        let target = d
            .target
            .as_ref()
            .and_then(|t| serde_json::to_string(t).ok())
            .unwrap_or_default();
        format!("accepted, target {target}")
    } else {
        let code = d.code.map(<&str>::from).unwrap_or_default();
        let message = d.message.as_deref().unwrap_or_default();
        format!("{code} ({}) \"{message}\"", d.http_status)
    }
}
