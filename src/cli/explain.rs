//! `reinit-disk explain [FILE]`: every check in policy order, what it found
//! and the facts it read, then the decision.

use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use reinit_disk::checks::REQUEST_CHECKS;
use reinit_disk::model::CreationTime;
use reinit_disk::model::{Disk, DiskSource, ImageOwnerAlias, Instance, LockReason, LockSet};
use reinit_disk::policy::ActiveOnNonPublicImage;
use reinit_disk::scenario::Scenario;
use reinit_disk::{
    Check, Policy, Reinit, Rejection, Request, ResetTo, Step, Verdict, World, evaluate_traced,
};
use strum::VariantArray;

use super::{fail, load_scenario};

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
pub fn run(file: Option<&Path>, color: Color) -> ExitCode {
    let scenario = match load_scenario(file) {
        Ok(s) => s,
        Err(message) => return fail(&message),
    };
    let colored = match color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    let text = explain(&scenario, colored);
    match io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&format!("cannot write the explanation: {e}")),
    }
}

/// The explanation of a scenario's decision.
pub fn explain(scenario: &Scenario, colored: bool) -> String {
    let request = scenario.request();
    let policy = &scenario.policy;
    let mut steps: Vec<Step> = Vec::new();
    let outcome = evaluate_traced(&request, scenario, policy, |step| steps.push(step));
    let paint = |status: Status, text: &str| {
        if colored {
            format!("{}{text}{RESET}", status.style())
        } else {
            text.to_owned()
        }
    };

    let mut out = String::new();
    let _ = writeln!(out, "Request: {}", describe_request(scenario));
    let _ = writeln!(out, "Checks, in policy order:");
    let checks = REQUEST_CHECKS.iter().chain(policy.order.checks());
    for (i, check) in checks.enumerate() {
        let status = match steps.get(i).map(|s| s.verdict) {
            Some(Verdict::Pass) => Status::Passed,
            Some(Verdict::Fail(_)) => Status::Failed,
            Some(Verdict::NotApplicable) => Status::NotApplicable,
            None => Status::NotReached,
        };
        let label = paint(status, &format!("{:<14}", status.label()));
        let line = if status == Status::NotReached {
            format!("{:>3}. {:<28}  {label}", i + 1, check.name())
        } else {
            let facts = facts(*check, scenario, &request, policy);
            format!("{:>3}. {:<28}  {label}  {facts}", i + 1, check.name())
        };
        let _ = writeln!(out, "{}", line.trim_end());
    }
    let decision = match &outcome {
        Ok(reinit) => paint(Status::Passed, &describe_accepted(reinit)),
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
        .map(|(name, value)| format!("{name}={value}"))
        .collect();
    params.join(", ")
}

fn describe_accepted(reinit: &Reinit<'_>) -> String {
    let to = match reinit.reset_to {
        ResetTo::Image(id) => format!("image {id}"),
        ResetTo::Snapshot(id) => format!("snapshot {id}"),
        ResetTo::Empty => "empty".to_owned(),
    };
    let hardening = reinit
        .security_enhancement
        .map_or_else(|| "none".to_owned(), |s| s.to_string());
    format!(
        "accepted (200): disk {} on instance {} is reset to {to}, security hardening {hardening}; {} while it runs, then {}",
        reinit.disk_id,
        reinit.instance_id,
        Reinit::STATUS_DURING,
        Reinit::STATUS_AFTER
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

/// What the disk is attached to, as the world has it.
enum Attached<'w> {
    NoDisk,
    Nothing(&'w Disk),
    Dangling(&'w Disk, &'w str),
    To(&'w Instance),
}

fn attached<'w>(disk: Option<&'w Disk>, world: &'w Scenario) -> Attached<'w> {
    match disk {
        None => Attached::NoDisk,
        Some(d) => match d.instance_id.as_deref() {
            None => Attached::Nothing(d),
            Some(id) => world
                .instance(id)
                .map_or(Attached::Dangling(d, id), Attached::To),
        },
    }
}

fn locks(set: LockSet) -> String {
    let names: Vec<&str> = set.iter().map(<&str>::from).collect();
    format!("[{}]", names.join(", "))
}

/// The facts `check` reads, and what it needs.
fn facts(check: Check, world: &Scenario, request: &Request<'_>, policy: &Policy) -> String {
    let disk_id = request.disk_id.filter(|id| !id.is_empty());
    let disk = disk_id.and_then(|id| world.disk(id));
    let no_disk = || match disk_id {
        Some(id) => format!("no disk {id}"),
        None => "no DiskId".to_owned(),
    };
    let instance_fact = |read: &dyn Fn(&Instance) -> String| match attached(disk, world) {
        Attached::NoDisk => no_disk(),
        Attached::Nothing(d) => format!("disk {} is attached to no instance", d.id),
        Attached::Dangling(d, id) => format!(
            "disk {} InstanceId = {id}, an instance the world does not have (InternalError)",
            d.id
        ),
        Attached::To(i) => read(i),
    };
    match check {
        Check::Action => match request.action {
            Some(action) => format!("Action = {action}, needs ReInitDisk"),
            None => "Action not given (only a given Action is checked)".to_owned(),
        },
        Check::DiskIdGiven => match request.disk_id {
            Some("") => "DiskId is empty, needs a disk id".to_owned(),
            Some(id) => format!("DiskId = {id}"),
            None => "DiskId not given, needs a disk id".to_owned(),
        },
        Check::StrategyValue => match request.security_enhancement_strategy {
            None | Some("") => "SecurityEnhancementStrategy not given".to_owned(),
            Some(value) => {
                format!("SecurityEnhancementStrategy = {value}, needs Active or Deactive")
            }
        },
        Check::DiskExists => match disk {
            Some(d) => format!("disk {} exists ({} disk)", d.id, d.disk_type()),
            None => no_disk(),
        },
        Check::CategorySupported => match disk {
            Some(d) => {
                let unsupported: Vec<&str> = policy
                    .unsupported_categories
                    .0
                    .iter()
                    .map(<&str>::from)
                    .collect();
                format!(
                    "disk {} Category = {}, needs one not in UnsupportedCategories [{}]",
                    d.id,
                    d.category,
                    unsupported.join(", ")
                )
            }
            None => no_disk(),
        },
        Check::InstanceNotSecurityLocked => instance_fact(&|i| {
            format!(
                "instance {} OperationLocks = {}, needs no {} lock",
                i.id,
                locks(i.operation_locks),
                LockReason::Security
            )
        }),
        Check::InstanceNotInArrears => instance_fact(&|i| {
            let financial: Vec<&str> = LockReason::VARIANTS
                .iter()
                .filter(|r| r.is_financial())
                .map(|r| <&str>::from(*r))
                .collect();
            format!(
                "instance {} OperationLocks = {}, needs none of {}",
                i.id,
                locks(i.operation_locks),
                financial.join(", ")
            )
        }),
        Check::DiskInUse => match disk {
            Some(d) => match &d.instance_id {
                Some(_) => format!("disk {} Status = {}, needs In_use", d.id, d.status),
                None => format!(
                    "disk {} Status = {} and attached to no instance, needs In_use",
                    d.id, d.status
                ),
            },
            None => no_disk(),
        },
        Check::InstanceStopped => instance_fact(&|i| {
            format!(
                "instance {} Status = {}, HasStarted = {}, needs Stopped and HasStarted = true",
                i.id, i.status, i.has_started
            )
        }),
        Check::NoSnapshotInProgress => match disk {
            Some(d) => format!(
                "disk {} CreatingSnapshot = {}, needs false",
                d.id, d.creating_snapshot
            ),
            None => no_disk(),
        },
        Check::SourceSnapshotExists => match disk.map(|d| (d, &d.source)) {
            Some((_, DiskSource::Snapshot { snapshot_id })) => match world.snapshot(snapshot_id) {
                Some(s) => format!("snapshot {} Deleted = {}, needs false", s.id, s.deleted),
                None => format!(
                    "snapshot {snapshot_id} is not in the world (counts as deleted), needs a snapshot that exists"
                ),
            },
            Some((d, _)) => source(d),
            None => no_disk(),
        },
        Check::SourceSnapshotNotTooOld => match disk.map(|d| (d, &d.source)) {
            Some((_, DiskSource::Snapshot { snapshot_id })) => match world.snapshot(snapshot_id) {
                Some(s) => format!(
                    "snapshot {} CreationTime = {}, needs on or after {}",
                    s.id,
                    s.creation_time,
                    CreationTime::TOO_OLD_BEFORE
                ),
                None => format!("snapshot {snapshot_id} is not in the world"),
            },
            Some((d, _)) => source(d),
            None => no_disk(),
        },
        Check::SourceImageExists => match disk.map(|d| (d, &d.source)) {
            Some((_, DiskSource::Image { image_id, .. })) => match world.image(image_id) {
                Some(i) => format!(
                    "image {} Deleted = {}, ImageOwnerAlias = {}, needs Deleted = false",
                    i.id, i.deleted, i.image_owner_alias
                ),
                None => format!(
                    "image {image_id} is not in the world (counts as deleted, owner unknown), needs an image that exists"
                ),
            },
            Some((d, _)) => source(d),
            None => no_disk(),
        },
        Check::HardeningSupported => {
            let strategy = match request.security_enhancement_strategy {
                None | Some("") => "SecurityEnhancementStrategy not given".to_owned(),
                Some(value) => format!("SecurityEnhancementStrategy = {value}"),
            };
            let image = match disk.map(|d| &d.source) {
                Some(DiskSource::Image { image_id, .. }) => match world.image(image_id) {
                    Some(i) => format!(
                        "image {} ImageOwnerAlias = {} ({})",
                        i.id,
                        i.image_owner_alias,
                        if i.image_owner_alias == ImageOwnerAlias::System {
                            "public"
                        } else {
                            "not public"
                        }
                    ),
                    None => format!("image {image_id} is not in the world"),
                },
                Some(_) => "a data disk has no image".to_owned(),
                None => no_disk(),
            };
            let rule = match policy.active_on_non_public_image {
                ActiveOnNonPublicImage::Ignore => "Active on a non-public image is ignored",
                ActiveOnNonPublicImage::Reject => "Active needs a public image",
            };
            format!(
                "{strategy}, {image}; policy ActiveOnNonPublicImage = {}: {rule}",
                policy.active_on_non_public_image
            )
        }
    }
}

/// A disk's source, for the checks that read another kind.
fn source(disk: &Disk) -> String {
    match &disk.source {
        DiskSource::Image { image_id, .. } => {
            format!("disk {} is a system disk, from image {image_id}", disk.id)
        }
        DiskSource::Snapshot { snapshot_id } => {
            format!(
                "disk {} is a data disk, from snapshot {snapshot_id}",
                disk.id
            )
        }
        DiskSource::Empty => format!("disk {} is a data disk, created empty", disk.id),
    }
}
