//! `reinit-disk diff`: every class of situations whose decision changes
//! between two policies or revisions, with a count and one smallest witness.
//!
//! The situations are a finite space in which every fact is reduced to the
//! values the rules of both revisions can tell apart (the abstraction the
//! exhaustive test sweeps; docs/cli.md states it and what is left out).
//! Every situation of that space is decided on both sides: nothing is
//! sampled.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use reinit_disk::model::{
    CreationTime, Disk, DiskCategory, DiskSource, DiskStatus, Image, ImageOwnerAlias, Instance,
    InstanceStatus, LockReason, LockSet, Snapshot,
};
use reinit_disk::scenario::{Decision, Scenario};
use reinit_disk::{Policy, Rejection, Request, Revision, Target, evaluate};
use strum::VariantArray;

use super::{load_scenario, stdout_was_closed};

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
        Format::Text => report.text(),
        Format::Markdown => report.markdown(),
        Format::Json => report.json(),
    };
    // Exit 1 means "something changes" here: an output that cannot be
    // written is 2, as diff(1) has it (a closed standard output too).
    if stdout_was_closed() {
        return super::fail("cannot write the diff: standard output is closed");
    }
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) if report.classes.is_empty() => ExitCode::SUCCESS,
        Ok(()) => ExitCode::FAILURE,
        // A reader that goes away ends the run quietly, as everywhere.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        // Exit 1 means "something changes" here, so an I/O error is 2,
        // as diff(1) has it.
        Err(e) => super::fail(&format!("cannot write the diff to standard output: {e}")),
    }
}

/// What a side answers, as far as a client can tell: the code, HTTP status
/// and message of a rejection (not the check that decided), or the target.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Rejected {
        code: &'static str,
        status: u16,
        message: &'static str,
    },
    /// The target as JSON (the ids are the same in every situation).
    Accepted(String),
}

impl Outcome {
    fn of(result: &Result<Target<'_>, Rejection>) -> Self {
        match result {
            Err(r) => Self::Rejected {
                code: r.code().into(),
                status: r.http_status(),
                message: r.message(),
            },
            Ok(t) => Self::Accepted(serde_json::to_string(&t.to_owned()).unwrap_or_default()),
        }
    }
}

/// One class of situations: the same answer on each side.
struct Class {
    situations: u64,
    /// The smallest witness so far: how many facts differ from the plainest
    /// situation, and the scenario.
    witness: (u32, Scenario),
    from: Decision,
    to: Decision,
}

/// Everything `diff` found.
pub struct Report {
    /// How to decide a witness as the old side.
    replay_from: String,
    from: String,
    to: String,
    situations: u64,
    classes: Vec<Class>,
    complete: bool,
}

/// The values of each fact the sweep takes, the plainest first.
struct Space {
    categories: Vec<DiskCategory>,
    statuses: &'static [DiskStatus],
    disk_locks: Vec<LockSet>,
    instance_locks: Vec<LockSet>,
    creation_times: Vec<CreationTime>,
}

/// Creation times: each revision's too-old boundary, a second before and
/// at it (both forms ECS writes), and far from both.
const CREATION_TIMES: [&str; 6] = [
    "2020-01-01T00:00:00Z",
    "2012-01-01T00:00:00Z",
    "2013-07-14T23:59:59Z",
    "2013-07-15T00:00:00Z",
    "2013-07-15T23:59Z",
    "2013-07-16T00:00:00Z",
];

/// The strategies the world sweep takes (an empty value is the same request
/// as none, and the request-only part covers it).
const STRATEGIES: [Option<&str>; 3] = [None, Some("Active"), Some("Deactive")];

impl Space {
    fn new() -> Self {
        let set = |reasons: &[LockReason]| reasons.iter().copied().collect::<LockSet>();
        Self {
            categories: DiskCategory::VARIANTS.to_vec(),
            statuses: DiskStatus::VARIANTS,
            // The rules read a disk's own locks only as "any financial-kind
            // lock" (financial, recycling, dedicatedhostfinancial, refunded).
            disk_locks: vec![LockSet::EMPTY, set(&[LockReason::Financial])],
            // An instance's: "security" and "any financial-kind lock".
            instance_locks: vec![
                LockSet::EMPTY,
                set(&[LockReason::Security]),
                set(&[LockReason::Financial]),
                set(&[LockReason::Security, LockReason::Financial]),
            ],
            creation_times: CREATION_TIMES
                .iter()
                .filter_map(|t| t.parse().ok())
                .collect(),
        }
    }
}

/// A source: the disk's, with the image or snapshot it names, and how far
/// from the plainest it is.
struct SourceCase {
    source: DiskSource,
    image: Option<Image>,
    snapshot: Option<Snapshot>,
    distance: u32,
}

fn sources(space: &Space) -> Vec<SourceCase> {
    let image_source = DiskSource::Image {
        image_id: "m-1".to_owned(),
        snapshot_id: None,
    };
    let snapshot_source = DiskSource::Snapshot {
        snapshot_id: "s-1".to_owned(),
    };
    let mut all = vec![SourceCase {
        source: DiskSource::Empty,
        image: None,
        snapshot: None,
        distance: 0,
    }];
    for (a, alias) in ImageOwnerAlias::VARIANTS.iter().enumerate() {
        for deleted in [false, true] {
            all.push(SourceCase {
                source: image_source.clone(),
                image: Some(Image {
                    id: "m-1".to_owned(),
                    image_owner_alias: *alias,
                    deleted,
                    ..Image::default()
                }),
                snapshot: None,
                distance: u32::from(a > 0) + u32::from(deleted),
            });
        }
    }
    for (t, time) in space.creation_times.iter().enumerate() {
        for deleted in [false, true] {
            all.push(SourceCase {
                source: snapshot_source.clone(),
                image: None,
                snapshot: Some(Snapshot {
                    id: "s-1".to_owned(),
                    creation_time: *time,
                    deleted,
                    ..Snapshot::default()
                }),
                distance: u32::from(t > 0) + u32::from(deleted),
            });
        }
    }
    all
}

/// The request-only situations: every combination of `Action`, `DiskId`
/// and `SecurityEnhancementStrategy` at the values the request checks tell
/// apart, except those the world sweep decides (a `ReInitDisk` request for
/// the disk with no strategy, `Active` or `Deactive`).
fn request_only() -> Vec<(Vec<(&'static str, &'static str)>, u32)> {
    let actions: [Option<&str>; 3] = [Some("ReInitDisk"), None, Some("DescribeDisks")];
    let disk_ids: [Option<&str>; 3] = [Some("d-1"), None, Some("")];
    let strategies: [Option<&str>; 5] = [
        None,
        Some(""),
        Some("Active"),
        Some("Deactive"),
        Some("active"),
    ];
    let mut all = Vec::new();
    for (a, action) in actions.iter().enumerate() {
        for (d, disk_id) in disk_ids.iter().enumerate() {
            for (s, strategy) in strategies.iter().enumerate() {
                let swept = a == 0 && d == 0 && matches!(s, 0 | 2 | 3);
                if swept {
                    continue;
                }
                let mut params = Vec::new();
                if let Some(v) = action {
                    params.push(("Action", *v));
                }
                if let Some(v) = disk_id {
                    params.push(("DiskId", *v));
                }
                if let Some(v) = strategy {
                    params.push(("SecurityEnhancementStrategy", *v));
                }
                let distance = u32::from(a > 0) + u32::from(d > 0) + u32::from(s > 0);
                all.push((params, distance));
            }
        }
    }
    all
}

/// The plainest world: an accepted data disk of a stopped instance.
fn base_world() -> Scenario {
    Scenario {
        disks: vec![Disk {
            id: "d-1".to_owned(),
            category: DiskCategory::CloudEssd,
            status: DiskStatus::InUse,
            instance_id: Some("i-1".to_owned()),
            source: DiskSource::Empty,
            ..Disk::default()
        }],
        instances: vec![Instance {
            id: "i-1".to_owned(),
            status: InstanceStatus::Stopped,
            has_started: true,
            ..Instance::default()
        }],
        ..Scenario::default()
    }
}

/// Collects the classes of changed situations.
struct Collector<'a> {
    from: &'a Side,
    to: &'a Side,
    situations: u64,
    classes: BTreeMap<(Outcome, Outcome), Class>,
}

impl Collector<'_> {
    /// Decides `request` in `world` on both sides; a change is counted in
    /// its class, and `world` (with `request`) kept as its witness when it
    /// is smaller than the one kept.
    fn decide(
        &mut self,
        world: &Scenario,
        request: &Request<'_>,
        params: &[(&str, &str)],
        distance: u32,
    ) {
        self.situations += 1;
        let old = evaluate(request, world, &self.from.policy);
        let new = evaluate(request, world, &self.to.policy);
        let (old_outcome, new_outcome) = (Outcome::of(&old), Outcome::of(&new));
        if old_outcome == new_outcome {
            return;
        }
        let witness = || {
            let mut scenario = world.clone();
            scenario.request = params
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect();
            scenario.policy = self.to.policy;
            scenario
        };
        match self
            .classes
            .get_mut(&(old_outcome.clone(), new_outcome.clone()))
        {
            Some(class) => {
                class.situations += 1;
                if distance < class.witness.0 {
                    class.witness = (distance, witness());
                    class.from = Decision::from(&old);
                    class.to = Decision::from(&new);
                }
            }
            None => {
                let class = Class {
                    situations: 1,
                    witness: (distance, witness()),
                    from: Decision::from(&old),
                    to: Decision::from(&new),
                };
                self.classes.insert((old_outcome, new_outcome), class);
            }
        }
    }
}

/// Decides every situation of the space on both sides.
pub fn compare(from: &Side, to: &Side) -> Report {
    let space = Space::new();
    let mut collector = Collector {
        from,
        to,
        situations: 0,
        classes: BTreeMap::new(),
    };

    // The request checks read the request alone: one world each.
    let accepted_world = base_world();
    for (params, distance) in request_only() {
        let request = Request::from_params(params.iter().copied());
        collector.decide(&accepted_world, &request, &params, distance);
    }

    // No such disk.
    let mut world = base_world();
    world.disks.clear();
    world.instances.clear();
    for (s, strategy) in STRATEGIES.iter().enumerate() {
        let params = request_params(*strategy);
        let request = Request::from_params(params.iter().copied());
        collector.decide(&world, &request, &params, 1 + u32::from(s > 0));
    }

    // Every disk.
    let mut world = base_world();
    let sources = sources(&space);
    let instance_cases = instance_cases(&space);
    for source in &sources {
        world.images = source.image.iter().cloned().collect();
        world.snapshots = source.snapshot.iter().cloned().collect();
        if let Some(disk) = world.disks.first_mut() {
            disk.source = source.source.clone();
        }
        for category in &space.categories {
            for (st, status) in space.statuses.iter().enumerate() {
                for (l, locks) in space.disk_locks.iter().enumerate() {
                    for (instance, instance_distance) in &instance_cases {
                        if instance.is_none() && *status == DiskStatus::InUse {
                            continue; // an In_use disk names its instance
                        }
                        world.instances = instance.iter().cloned().collect();
                        for creating_snapshot in [false, true] {
                            if let Some(disk) = world.disks.first_mut() {
                                disk.category = *category;
                                disk.status = *status;
                                disk.operation_locks = *locks;
                                disk.creating_snapshot = creating_snapshot;
                                disk.instance_id = instance.as_ref().map(|i| i.id.clone());
                            }
                            let distance = source.distance
                                + u32::from(*category != DiskCategory::CloudEssd)
                                + u32::from(st > 0)
                                + u32::from(l > 0)
                                + instance_distance
                                + u32::from(creating_snapshot);
                            for (s, strategy) in STRATEGIES.iter().enumerate() {
                                let params = request_params(*strategy);
                                let request = Request::from_params(params.iter().copied());
                                collector.decide(
                                    &world,
                                    &request,
                                    &params,
                                    distance + u32::from(s > 0),
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    let shared_only = [&from.policy, &to.policy]
        .iter()
        .any(|p| !core::ptr::eq(p.revision(), &reinit_disk::revision::SEED));
    let replay_from = if from.by_name {
        format!("`eval --revision {}`", from.label)
    } else {
        format!("the \"Policy\" of {} in its place", from.label)
    };
    Report {
        replay_from,
        from: from.label.clone(),
        to: to.label.clone(),
        situations: collector.situations,
        classes: collector.classes.into_values().collect(),
        complete: !shared_only,
    }
}

/// A `ReInitDisk` request for `d-1` with `strategy`.
fn request_params(strategy: Option<&'static str>) -> Vec<(&'static str, &'static str)> {
    let mut params = vec![("Action", "ReInitDisk"), ("DiskId", "d-1")];
    if let Some(s) = strategy {
        params.push(("SecurityEnhancementStrategy", s));
    }
    params
}

/// Every instance the disk can be attached to (none first, then a stopped,
/// started, unlocked one, then the others), each with how far it is from
/// that plainest one (none counts 1; each lock reason, not having started
/// and another status 1 each).
fn instance_cases(space: &Space) -> Vec<(Option<Instance>, u32)> {
    let mut all = vec![(None, 1)];
    let mut statuses = vec![InstanceStatus::Stopped];
    statuses.extend(
        InstanceStatus::VARIANTS
            .iter()
            .filter(|s| **s != InstanceStatus::Stopped),
    );
    for status in statuses {
        for has_started in [true, false] {
            for locks in &space.instance_locks {
                let reasons = u32::try_from(locks.iter().count()).unwrap_or(u32::MAX);
                let distance = reasons
                    + u32::from(!has_started)
                    + u32::from(status != InstanceStatus::Stopped);
                let instance = Instance {
                    id: "i-1".to_owned(),
                    status,
                    has_started,
                    operation_locks: *locks,
                    ..Instance::default()
                };
                all.push((Some(instance), distance));
            }
        }
    }
    all
}

impl Report {
    /// What was not enumerated, said plainly.
    fn limits(&self) -> Vec<&'static str> {
        let mut out = vec![
            "Worlds the scenario format refuses (a disk naming an instance, image or snapshot that is not listed): InternalError is only reachable there.",
            "Lock reasons beyond the classes the rules tell apart: a disk's own locks as none or financial (any financial-kind lock reads the same), an instance's as none, security, financial, or both.",
            "Ids other than one disk d-1, one instance i-1, one image m-1, one snapshot s-1 (a DiskId that is not d-1 is the missing disk).",
        ];
        if !self.complete {
            out.push(
                "The 2025-02-27 revision's own facts and parameters (Password, KeyPairName, AutoStartInstance, RegionId, MultiAttach, encryption and KMS keys, instant access, hibernation, I/O optimization, OS type, non-root logon, the account): at their defaults, so the comparison is complete only for the facts both revisions share.",
            );
        }
        out
    }

    fn summary(&self) -> String {
        let changed: u64 = self.classes.iter().map(|c| c.situations).sum();
        format!(
            "{} → {}: {} of {} situations change, in {} classes.",
            self.from,
            self.to,
            changed,
            self.situations,
            self.classes.len()
        )
    }

    /// Plain text.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.summary());
        for (n, class) in self.classes.iter().enumerate() {
            let _ = writeln!(out);
            let _ = writeln!(out, "{}. {}", n + 1, class_title(class));
            let _ = writeln!(out, "   situations: {}", class.situations);
            for (side, d) in [("from", &class.from), ("to", &class.to)] {
                let _ = writeln!(out, "   {side}: {}", decision_line(d));
            }
            let _ = writeln!(
                out,
                "   witness (its policy is the new side's; {} gives the old decision):",
                self.replay_from
            );
            for line in pretty(&class.witness.1).lines() {
                let _ = writeln!(out, "   {line}");
            }
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "Not enumerated:");
        for limit in self.limits() {
            let _ = writeln!(out, "- {limit}");
        }
        out
    }

    /// Markdown.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.summary());
        for (n, class) in self.classes.iter().enumerate() {
            let _ = writeln!(out);
            let _ = writeln!(
                out,
                "### {}. {}",
                n + 1,
                super::table::cell(&class_title(class))
            );
            let _ = writeln!(out);
            let _ = writeln!(out, "- situations: {}", class.situations);
            for (side, d) in [("from", &class.from), ("to", &class.to)] {
                let _ = writeln!(out, "- {side}: {}", decision_line(d));
            }
            let _ = writeln!(
                out,
                "- witness (its policy is the new side's; {} gives the old decision):",
                self.replay_from
            );
            let _ = writeln!(out);
            let _ = writeln!(out, "```json");
            let _ = writeln!(out, "{}", pretty(&class.witness.1));
            let _ = writeln!(out, "```");
        }
        let _ = writeln!(out);
        let _ = writeln!(out, "Not enumerated:");
        let _ = writeln!(out);
        for limit in self.limits() {
            let _ = writeln!(out, "- {limit}");
        }
        out
    }

    /// One JSON object.
    pub fn json(&self) -> String {
        let classes: Vec<serde_json::Value> = self
            .classes
            .iter()
            .map(|c| {
                serde_json::json!({
                    "Situations": c.situations,
                    "From": c.from,
                    "To": c.to,
                    "Witness": c.witness.1,
                })
            })
            .collect();
        let changed: u64 = self.classes.iter().map(|c| c.situations).sum();
        let doc = serde_json::json!({
            "From": self.from,
            "To": self.to,
            "Situations": self.situations,
            "Changed": changed,
            "Classes": classes,
            "NotEnumerated": self.limits(),
        });
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
        text.push('\n');
        text
    }
}

/// `OLD → NEW`, and "message changed" when the code is the same.
fn class_title(class: &Class) -> String {
    let headline = |d: &Decision| match (&d.code, d.accepted) {
        (_, true) => "accepted".to_owned(),
        (Some(code), false) => format!("{code} ({})", d.http_status),
        (None, false) => format!("({})", d.http_status),
    };
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

fn pretty(scenario: &Scenario) -> String {
    serde_json::to_string_pretty(scenario).unwrap_or_default()
}
