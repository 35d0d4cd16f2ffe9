//! The preflight: would ECS re-initialize this disk, decided from the
//! Describe* responses an operator already has, with every fact the rules
//! read that those responses do not show left unknown.
//!
//! The input is what the responses show ([`Captured`]: each record down to
//! the fields the rules read, a field absent from its record `None`; read
//! from the answers' text by [`Captured::from_documents`]) and
//! what the operator will send ([`Intent`]). [`Situation::build`] makes of
//! them a scenario (the world `explain` and `eval` read) and the list of
//! [`Unknown`] facts, each with its values, the first the one assumed when a
//! single situation is shown (the likely one: a listed snapshot exists, an
//! instance is stopped and unlocked). [`Situation::outcomes`] decides every
//! combination of those values and groups the decisions by code and check,
//! each with its simplest witness.
//!
//! The values of an unknown fact are the classes of its axis in the
//! policy's [`Space`]: the values the revision's checks declare they tell
//! apart ([`CheckDecl::tells`](crate::checks::CheckDecl::tells)), each
//! standing for every value the rules cannot tell from it; a fact is
//! unknown only when the space has its axis (some check of the revision,
//! or the target, reads it). Nothing here lists a fact's values: a check
//! that tells a new value apart, or reads a fact the revisions did not,
//! changes the preflight through its declaration. Where one unknown covers several
//! facts that one check reads in turn (a KMS key's state, authorization and
//! tag; a source snapshot's age and deletion), its values are the plainest
//! class of each and every other class of one fact at a time: the check
//! answers with the first fact that fails, so every outcome is reached. An
//! unlisted image is either there (its facts at their plainest, or its
//! non-root support off) or deleted with each owner class, as the check
//! of its deletion reads the owner.

use std::collections::BTreeMap;
use std::fmt;

#[cfg(feature = "ecs")]
mod read;
mod report;
#[cfg(feature = "ecs")]
pub use read::{Document, Documents};
pub use report::{FactValue, OutcomeReport, Report, UnknownFact};

use crate::analysis::{Class, Space};
use crate::checks::{Fact, Tells};
use crate::model::{
    Account, CreationTime, Disk, DiskCategory, DiskSource, DiskStatus, DiskType, Image,
    ImageOwnerAlias, Instance, InstanceStatus, KeyPair, KeyState, KmsKey, LockReason, LockSet,
    MultiAttach, OsType, Snapshot,
};
use crate::scenario::{Decision, Scenario};
use crate::{Check, Code, Policy, Revision};

/// The most situations a preflight decides: the product of the unknown
/// facts' value counts. The facts the rules read give at most 307,200
/// (every one unknown: a system disk under 2025-02-27 with a key pair and
/// a password, about a second), so the cap is never reached today; it keeps
/// a fact added later from making a run unbounded.
pub const MAX_SITUATIONS: u64 = 1 << 20;

/// The password sent in place of the one the operator will send: a
/// well-formed one (the operator says a password is sent, never which).
/// Never shown: the explanation redacts every `Password`.
const ASSUMED_PASSWORD: &str = "Preflight-Assumed-1";

/// The id of the snapshot that stands for one of the disk's snapshots the
/// responses do not settle (its instant access).
const UNLISTED_SNAPSHOT: &str = "(a snapshot of the disk)";

/// The id of the KMS key of an encrypted disk whose `KMSKeyId` is not shown.
const UNSHOWN_KEY: &str = "(the disk's KMS key)";

/// One captured Describe* response, down to what the preflight reads.
#[derive(Clone, Debug)]
pub struct Listing<T> {
    /// The file it was read from, as reasons and errors name it.
    pub file: String,
    /// Whether it lists every record its query matched (false when its
    /// `TotalCount` says there are more than it holds).
    pub complete: bool,
    /// Its records, in document order.
    pub records: Vec<Listed<T>>,
}

/// One record of a [`Listing`].
#[derive(Clone, Debug)]
pub struct Listed<T> {
    /// Its id (`DiskId`, `InstanceId`, ...).
    pub id: String,
    /// What it shows, or why it cannot be read (naming the file, the path
    /// and the field): an error only when the preflight reads the record.
    pub read: Result<T, String>,
}

impl<T> Listing<T> {
    /// The record whose id is `id`.
    pub fn get(&self, id: &str) -> Option<&Listed<T>> {
        self.records.iter().find(|r| r.id == id)
    }
}

impl<T> Listed<T> {
    /// What it shows, or why it cannot be read.
    fn shown(&self) -> Result<&T, String> {
        self.read.as_ref().map_err(Clone::clone)
    }
}

/// A disk of DescribeDisks, down to what the rules read (`None`: the record
/// does not show it).
#[derive(Clone, Debug)]
pub struct ShownDisk {
    /// Where it is in its file (`Disks.Disk[3]`), as reasons name it.
    pub path: String,
    /// `Type` (always shown: the rules depend on it).
    pub disk_type: DiskType,
    /// `Category`.
    pub category: Option<DiskCategory>,
    /// `Status`.
    pub status: Option<DiskStatus>,
    /// `InstanceId` (or the first of `Attachments`).
    pub instance_id: Option<String>,
    /// `ImageId` of a system disk.
    pub image_id: Option<String>,
    /// `SourceSnapshotId`.
    pub source_snapshot_id: Option<String>,
    /// `MultiAttach`.
    pub multi_attach: Option<MultiAttach>,
    /// `Encrypted`.
    pub encrypted: Option<bool>,
    /// `KMSKeyId`.
    pub kms_key_id: Option<String>,
    /// `OperationLocks`.
    pub locks: Option<LockSet>,
}

/// An instance of DescribeInstances, down to what the rules read.
#[derive(Clone, Debug, Default)]
pub struct ShownInstance {
    /// `Status`.
    pub status: Option<InstanceStatus>,
    /// `OSType`.
    pub os_type: Option<OsType>,
    /// `HibernationOptions.Configured`.
    pub hibernation_configured: Option<bool>,
    /// `IoOptimized`.
    pub io_optimized: Option<bool>,
    /// `ImageOptions.LoginAsNonRoot`.
    pub login_as_non_root: Option<bool>,
    /// `OperationLocks`.
    pub locks: Option<LockSet>,
    /// Whether it has ever started: `StartTime` not empty (ECS writes the
    /// last start there, and nothing before the first).
    pub has_started: Option<bool>,
}

/// An image of DescribeImages, down to what the rules read.
#[derive(Clone, Debug, Default)]
pub struct ShownImage {
    /// `ImageOwnerAlias`.
    pub owner: Option<ImageOwnerAlias>,
    /// `LoginAsNonRootSupported`.
    pub login_as_non_root_supported: Option<bool>,
}

/// A snapshot of DescribeSnapshots: the disk it was made from, then the
/// rest of what the rules read (which may fail to read on its own: a
/// strange field in a snapshot of another disk is never read).
#[derive(Clone, Debug)]
pub struct ShownSnapshot {
    /// `SourceDiskId`.
    pub source_disk_id: Option<String>,
    /// The rest, or why it cannot be read.
    pub facts: Result<SnapshotFacts, String>,
}

/// What a snapshot shows beside the disk it was made from.
#[derive(Clone, Debug, Default)]
pub struct SnapshotFacts {
    /// `CreationTime`.
    pub creation_time: Option<CreationTime>,
    /// Whether `Status` is `progressing` (being created).
    pub progressing: Option<bool>,
    /// `InstantAccess`.
    pub instant_access: Option<bool>,
}

/// The responses given: DescribeDisks and DescribeInstances always, the
/// others when the operator has them.
#[derive(Clone, Debug)]
pub struct Captured {
    /// DescribeDisks.
    pub disks: Listing<ShownDisk>,
    /// DescribeInstances.
    pub instances: Listing<ShownInstance>,
    /// DescribeImages.
    pub images: Option<Listing<ShownImage>>,
    /// DescribeSnapshots.
    pub snapshots: Option<Listing<ShownSnapshot>>,
    /// DescribeKeyPairs (only the names are read).
    pub key_pairs: Option<Listing<()>>,
}

/// What the operator will send.
#[derive(Clone, Copy, Debug)]
pub struct Intent<'a> {
    /// `DiskId`.
    pub disk_id: &'a str,
    /// Whether a password will be sent (never which).
    pub password_given: bool,
    /// `KeyPairName`.
    pub key_pair_name: Option<&'a str>,
    /// `AutoStartInstance`.
    pub auto_start: bool,
}

/// A change to the scenario: one value of an unknown fact.
type Apply = Box<dyn Fn(&mut Scenario)>;

/// One value an unknown fact may have.
pub struct Choice {
    /// How a report names it (`Stopped`, `deleted`).
    pub label: String,
    apply: Apply,
}

impl fmt::Debug for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Choice")
            .field("label", &self.label)
            .finish_non_exhaustive()
    }
}

fn choice(label: impl Into<String>, apply: impl Fn(&mut Scenario) + 'static) -> Choice {
    Choice {
        label: label.into(),
        apply: Box::new(apply),
    }
}

/// A fact the rules read that the responses do not show.
#[derive(Debug)]
pub struct Unknown {
    /// `instance i-1 Status`.
    pub fact: String,
    /// Why it is unknown: `instances.json does not list i-1`.
    pub why: String,
    /// Its values, the assumed one first.
    pub values: Vec<Choice>,
}

/// The situation: a scenario with every unknown fact at its first value,
/// and the unknown facts.
#[derive(Debug)]
pub struct Situation {
    /// The scenario, every unknown fact at its first value (between calls).
    pub scenario: Scenario,
    /// The unknown facts, in the order a report lists them.
    pub unknowns: Vec<Unknown>,
    /// What no Describe* response shows and the preflight takes as the
    /// documents say it usually is.
    pub assumed: Vec<&'static str>,
}

/// One outcome of the situations decided.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The decision, as `eval` prints it (of the witness).
    pub decision: Decision,
    /// How many situations end so.
    pub situations: u64,
    /// How many unknown facts the witness has away from their first value.
    changed: usize,
    /// The value of each unknown fact in the simplest situation that ends
    /// so: the fewest facts away from their first value.
    pub witness: Vec<usize>,
}

/// Three-valued: what the responses say of a yes-or-no fact.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Told {
    Yes,
    No,
    Unknown,
}

impl Told {
    /// Either is yes: yes; else either unknown: unknown.
    const fn or(self, other: Self) -> Self {
        match (self, other) {
            (Self::Yes, _) | (_, Self::Yes) => Self::Yes,
            (Self::Unknown, _) | (_, Self::Unknown) => Self::Unknown,
            _ => Self::No,
        }
    }
}

/// Both yes: yes; either no: no; else unknown.
const fn both(a: Told, b: Told) -> Told {
    match (a, b) {
        (Told::No, _) | (_, Told::No) => Told::No,
        (Told::Yes, Told::Yes) => Told::Yes,
        _ => Told::Unknown,
    }
}

fn first_disk(s: &mut Scenario) -> Option<&mut Disk> {
    s.disks.first_mut()
}

fn first_instance(s: &mut Scenario) -> Option<&mut Instance> {
    s.instances.first_mut()
}

fn first_image(s: &mut Scenario) -> Option<&mut Image> {
    s.images.first_mut()
}

fn snapshot_named<'s>(s: &'s mut Scenario, id: &str) -> Option<&'s mut Snapshot> {
    s.snapshots.iter_mut().find(|snapshot| snapshot.id == id)
}

/// The values the preflight gives each fact: the classes of its axis in
/// the policy's space.
struct Values {
    space: Space,
    revision: &'static Revision,
}

impl Values {
    /// The classes of `fact` (none when no check of the policy reads it).
    fn classes(&self, fact: Fact) -> Vec<Class> {
        self.space
            .axis(fact, None)
            .and_then(|axis| self.space.axes().get(axis))
            .map(|axis| axis.classes.clone())
            .unwrap_or_default()
    }

    /// Whether a check of the policy (or the target) reads `fact`: only
    /// then can it be unknown.
    fn has(&self, fact: Fact) -> bool {
        self.space.axis(fact, None).is_some()
    }

    /// The classes of `fact`, through `pick`.
    fn of<T>(&self, fact: Fact, pick: impl Fn(Class) -> Option<T>) -> Vec<T> {
        self.classes(fact).into_iter().filter_map(pick).collect()
    }

    /// The values of a yes-or-no fact, the plainest first.
    fn flags(&self, fact: Fact) -> Vec<bool> {
        self.of(fact, |c| match c {
            Class::Flag(yes) => Some(yes),
            _ => None,
        })
    }

    /// The plainest value of a yes-or-no fact (`or` if no check reads it).
    fn plain(&self, fact: Fact, or: bool) -> bool {
        self.flags(fact).first().copied().unwrap_or(or)
    }

    /// The lock reasons the checks tell apart in `fact`'s lock sets (each
    /// standing for its kind), in the order the analysis gives them.
    fn lock_reasons(&self, fact: Fact) -> Vec<LockReason> {
        self.of(fact, |c| match c {
            Class::Locks(set) if set.iter().count() == 1 => set.iter().next(),
            _ => None,
        })
    }

    /// The instance statuses the revision's checks name (the others are
    /// one class, that of the first of them the space takes).
    fn named_instance_statuses(&self) -> Vec<InstanceStatus> {
        let mut named = Vec::new();
        for check in self.revision.checks() {
            for tells in check.decl().tells {
                if let Tells::InstanceStatus(statuses) = tells {
                    for status in *statuses {
                        if !named.contains(status) {
                            named.push(*status);
                        }
                    }
                }
            }
        }
        named
    }
}

/// An unknown fact of one value per class of `values`, labelled by
/// `label`, set by `set`.
fn unknown_of<T: Copy + 'static>(
    fact: String,
    why: String,
    values: &[T],
    label: impl Fn(T) -> String,
    set: fn(&mut Scenario, T),
) -> Unknown {
    Unknown {
        fact,
        why,
        values: values
            .iter()
            .map(|v| {
                let v = *v;
                choice(label(v), move |s| set(s, v))
            })
            .collect(),
    }
}

impl Situation {
    /// Builds the situation of disk `intent.disk_id` from the responses,
    /// under `revision`. An error names the file, the record and the field
    /// at fault, or the disk the responses do not list.
    pub fn build(
        captured: &Captured,
        intent: &Intent<'_>,
        revision: &'static Revision,
    ) -> Result<Self, String> {
        let reads = |check: Check| revision.checks().any(|c| c == check);
        let values = Values {
            space: Space::new(&[Policy::new(revision)]),
            revision,
        };
        let disks = &captured.disks;
        let record = disks.get(intent.disk_id).ok_or_else(|| {
            let ids: Vec<&str> = disks.records.iter().map(|r| r.id.as_str()).collect();
            let listed = if ids.is_empty() {
                "it lists no disk".to_owned()
            } else {
                let shown: Vec<String> = ids
                    .iter()
                    .take(10)
                    .map(|id| crate::echo::Echo(id).to_string())
                    .collect();
                let more = if ids.len() > 10 { ", ..." } else { "" };
                format!("it lists {}{more}", shown.join(", "))
            };
            format!(
                "{}: Disks.Disk: no disk {} ({listed}); give the DescribeDisks response that lists it",
                disks.file,
                crate::echo::Echo(intent.disk_id)
            )
        })?;
        let doc = record.shown()?;
        let system = doc.disk_type == DiskType::System;
        let disk_id = intent.disk_id.to_owned();
        let mut unknowns = Vec::new();
        let mut assumed = Vec::new();
        if values.has(Fact::WhiteListed) {
            assumed.push("the account is in the volume white list");
        }
        if system && values.has(Fact::RegionSupportsNonRoot) {
            assumed.push("the region supports logon as non-root");
        }
        if intent.password_given && reads(Check::PasswordValue) {
            assumed.push("the password is well-formed for the instance");
        }

        // The request.
        let mut request = BTreeMap::new();
        request.insert("Action".to_owned(), "ReInitDisk".to_owned());
        request.insert("DiskId".to_owned(), disk_id.clone());
        if intent.password_given {
            request.insert("Password".to_owned(), ASSUMED_PASSWORD.to_owned());
        }
        if let Some(name) = intent.key_pair_name {
            request.insert("KeyPairName".to_owned(), name.to_owned());
        }
        if intent.auto_start {
            request.insert("AutoStartInstance".to_owned(), "true".to_owned());
        }

        // The disk.
        let in_disks = format!("{} does not show it ({})", disks.file, doc.path);
        let source = match (&doc.image_id, &doc.source_snapshot_id) {
            (Some(image_id), _) if system => DiskSource::Image {
                image_id: image_id.clone(),
                snapshot_id: None,
            },
            (_, Some(snapshot_id)) if !system => DiskSource::Snapshot {
                snapshot_id: snapshot_id.clone(),
            },
            _ => DiskSource::Empty,
        };
        let categories: Vec<DiskCategory> = values.of(Fact::Category, |c| match c {
            Class::Category(c) => Some(c),
            _ => None,
        });
        let statuses: Vec<DiskStatus> = values.of(Fact::Attachment, |c| match c {
            Class::Attachment {
                status,
                attached: true,
            } => Some(status),
            _ => None,
        });
        let multi_attach: Vec<MultiAttach> = values
            .flags(Fact::MultiAttach)
            .into_iter()
            .map(|on| {
                if on {
                    MultiAttach::Enabled
                } else {
                    MultiAttach::Disabled
                }
            })
            .collect();
        let mut disk = Disk {
            id: disk_id.clone(),
            category: doc
                .category
                .or_else(|| categories.first().copied())
                .unwrap_or_else(|| Disk::default().category),
            status: doc.status.unwrap_or(if doc.instance_id.is_some() {
                DiskStatus::InUse
            } else {
                DiskStatus::Available
            }),
            instance_id: doc.instance_id.clone(),
            source,
            operation_locks: doc.locks.unwrap_or(LockSet::EMPTY),
            multi_attach: doc
                .multi_attach
                .or_else(|| multi_attach.first().copied())
                .unwrap_or(MultiAttach::Disabled),
            ..Disk::default()
        };
        if doc.category.is_none() {
            unknowns.push(unknown_of(
                format!("disk {disk_id} Category"),
                in_disks.clone(),
                &categories,
                |c| c.to_string(),
                |s, c| {
                    if let Some(d) = first_disk(s) {
                        d.category = c;
                    }
                },
            ));
        }
        // A disk that names no instance is not In_use: every other status
        // is one to the rules, so its missing Status is no unknown.
        if doc.status.is_none() && doc.instance_id.is_some() {
            unknowns.push(unknown_of(
                format!("disk {disk_id} Status"),
                in_disks.clone(),
                &statuses,
                |status| status.to_string(),
                |s, status| {
                    if let Some(d) = first_disk(s) {
                        d.status = status;
                    }
                },
            ));
        }
        if doc.locks.is_none() {
            unknowns.push(locks_unknown(
                format!("disk {disk_id} OperationLocks"),
                in_disks.clone(),
                &values.lock_reasons(Fact::DiskLocks),
                |s, locks| {
                    if let Some(d) = first_disk(s) {
                        d.operation_locks = locks;
                    }
                },
            ));
        }
        if doc.multi_attach.is_none() && values.has(Fact::MultiAttach) {
            unknowns.push(unknown_of(
                format!("disk {disk_id} MultiAttach"),
                in_disks.clone(),
                &multi_attach,
                |m| m.to_string(),
                |s, m| {
                    if let Some(d) = first_disk(s) {
                        d.multi_attach = m;
                    }
                },
            ));
        }
        let mut kms_keys = Vec::new();
        if values.has(Fact::KeyState) && doc.encrypted != Some(false) {
            let key_id = doc
                .kms_key_id
                .clone()
                .unwrap_or_else(|| UNSHOWN_KEY.to_owned());
            let key_states: Vec<KeyState> = values.of(Fact::KeyState, |c| match c {
                Class::KeyState(k) => Some(k),
                _ => None,
            });
            let authorized = values.flags(Fact::KmsAuthorized);
            let tagged = values.flags(Fact::KmsTagged);
            let plain = KmsKey {
                id: key_id.clone(),
                key_state: key_states
                    .first()
                    .copied()
                    .unwrap_or_else(|| KmsKey::default().key_state),
                ecs_authorized: values.plain(Fact::KmsAuthorized, true),
                ecs_tagged: values.plain(Fact::KmsTagged, true),
            };
            kms_keys.push(plain.clone());
            let mut choices = Vec::new();
            if doc.encrypted.is_none() {
                choices.push(choice("not encrypted", |s| {
                    if let Some(d) = first_disk(s) {
                        d.kms_key_id = None;
                    }
                }));
            } else {
                disk.kms_key_id = Some(key_id.clone());
            }
            let prefix = if doc.encrypted.is_none() {
                "encrypted, its key "
            } else {
                ""
            };
            // The plainest key, then one fact at a time away from it: the
            // check tells them in turn, so each is an outcome of its own.
            let mut keys = vec![("usable".to_owned(), plain.clone())];
            for state in key_states.iter().skip(1) {
                keys.push((
                    format!("not {}", plain.key_state).to_lowercase(),
                    KmsKey {
                        key_state: *state,
                        ..plain.clone()
                    },
                ));
            }
            for on in authorized.iter().skip(1) {
                keys.push((
                    "not authorized for ECS".to_owned(),
                    KmsKey {
                        ecs_authorized: *on,
                        ..plain.clone()
                    },
                ));
            }
            for on in tagged.iter().skip(1) {
                keys.push((
                    "without the ECS tag".to_owned(),
                    KmsKey {
                        ecs_tagged: *on,
                        ..plain.clone()
                    },
                ));
            }
            for (label, key) in keys {
                choices.push(choice(format!("{prefix}{label}"), move |s| {
                    if let Some(d) = first_disk(s) {
                        d.kms_key_id = Some(key.id.clone());
                    }
                    if let Some(k) = s.kms_keys.first_mut() {
                        k.clone_from(&key);
                    }
                }));
            }
            let (fact, why) = if doc.encrypted.is_none() {
                (
                    format!("disk {disk_id} Encrypted, and its KMS key"),
                    in_disks.clone(),
                )
            } else {
                (
                    format!("KMS key {key_id} of disk {disk_id}"),
                    "no Describe* response shows a KMS key's state".to_owned(),
                )
            };
            unknowns.push(Unknown {
                fact,
                why,
                values: choices,
            });
        }

        // The disk's own snapshots: one being created, one with instant
        // access.
        let yes_no = |yes: bool| if yes { "yes" } else { "no" }.to_owned();
        let (creating, instant_access, snapshots_why) = own_snapshots(captured, &disk_id)?;
        disk.creating_snapshot = creating == Told::Yes;
        if creating == Told::Unknown {
            unknowns.push(unknown_of(
                format!("a snapshot of disk {disk_id} is being created"),
                snapshots_why.clone(),
                &values.flags(Fact::CreatingSnapshot),
                yes_no,
                |s, creating| {
                    if let Some(d) = first_disk(s) {
                        d.creating_snapshot = creating;
                    }
                },
            ));
        }
        let mut snapshots = Vec::new();
        if values.has(Fact::InstantAccessSnapshot) && instant_access != Told::No {
            snapshots.push(Snapshot {
                id: UNLISTED_SNAPSHOT.to_owned(),
                source_disk_id: Some(disk_id.clone()),
                instant_access: instant_access == Told::Yes,
                ..Snapshot::default()
            });
            if instant_access == Told::Unknown {
                unknowns.push(unknown_of(
                    format!("a snapshot of disk {disk_id} has InstantAccess"),
                    snapshots_why.clone(),
                    &values.flags(Fact::InstantAccessSnapshot),
                    yes_no,
                    |s, on| {
                        if let Some(snap) = snapshot_named(s, UNLISTED_SNAPSHOT) {
                            snap.instant_access = on;
                        }
                    },
                ));
            }
        }

        // The source snapshot of a data disk.
        if let DiskSource::Snapshot { snapshot_id } = &disk.source {
            let boundary = revision.too_old_before;
            // Each side of the boundary, the latest (not too old) first.
            let times: Vec<CreationTime> = values.of(Fact::TooOldBoundary, |c| match c {
                Class::Created(t) => Some(t),
                _ => None,
            });
            let side = |t: CreationTime| {
                if t < boundary {
                    format!("before {boundary} (too old)")
                } else {
                    format!("on or after {boundary}")
                }
            };
            let listed = match &captured.snapshots {
                Some(r) => match r.get(snapshot_id) {
                    Some(record) => Some(record.shown()?.facts.clone()?),
                    None => None,
                },
                None => None,
            };
            // Not deleted at first: a yes-or-no fact's plainest value is
            // no; the deleted value is one of the choices below.
            let mut snapshot = Snapshot {
                id: snapshot_id.clone(),
                creation_time: times.first().copied().unwrap_or(boundary),
                ..Snapshot::default()
            };
            let id = snapshot_id.clone();
            let set = |time: CreationTime, deleted: bool| {
                let id = id.clone();
                move |s: &mut Scenario| {
                    if let Some(snap) = snapshot_named(s, &id) {
                        snap.creation_time = time;
                        snap.deleted = deleted;
                    }
                }
            };
            match listed {
                Some(SnapshotFacts {
                    creation_time: Some(time),
                    ..
                }) => snapshot.creation_time = time,
                Some(_) => unknowns.push(Unknown {
                    fact: format!("snapshot {snapshot_id} CreationTime"),
                    why: format!(
                        "{} lists the snapshot without it",
                        captured.snapshots.as_ref().map_or("", |r| r.file.as_str())
                    ),
                    values: times
                        .iter()
                        .map(|t| choice(side(*t), set(*t, snapshot.deleted)))
                        .collect(),
                }),
                None => {
                    // It exists on each side of the boundary, or it is
                    // deleted (one fact at a time away from the plainest).
                    let mut choices: Vec<Choice> = times
                        .iter()
                        .map(|t| {
                            choice(
                                format!("exists, created {}", side(*t)),
                                set(*t, snapshot.deleted),
                            )
                        })
                        .collect();
                    for deleted in values.flags(Fact::SnapshotDeleted).into_iter().skip(1) {
                        choices.push(choice("deleted", set(snapshot.creation_time, deleted)));
                    }
                    unknowns.push(Unknown {
                        fact: format!("snapshot {snapshot_id}"),
                        why: match &captured.snapshots {
                            Some(r) => format!(
                                "{} does not list it (it may be deleted, or outside the query)",
                                r.file
                            ),
                            None => "no --snapshots response".to_owned(),
                        },
                        values: choices,
                    });
                }
            }
            snapshots.insert(0, snapshot);
        }

        // The image of a system disk.
        let mut images = Vec::new();
        if let DiskSource::Image { image_id, .. } = &disk.source {
            let owners: Vec<ImageOwnerAlias> = values.of(Fact::ImageOwner, |c| match c {
                Class::ImageOwner(o) => Some(o),
                _ => None,
            });
            let supported = values.flags(Fact::ImageNonRootSupported);
            let listed = match &captured.images {
                Some(r) => r.get(image_id).map(Listed::shown).transpose()?,
                None => None,
            };
            let mut image = Image {
                id: image_id.clone(),
                image_owner_alias: owners.first().copied().unwrap_or(ImageOwnerAlias::System),
                deleted: values.plain(Fact::ImageDeleted, false),
                login_as_non_root_supported: values.plain(Fact::ImageNonRootSupported, true),
            };
            match listed {
                Some(found) => {
                    image.image_owner_alias = found.owner.unwrap_or(image.image_owner_alias);
                    image.login_as_non_root_supported = found
                        .login_as_non_root_supported
                        .unwrap_or(image.login_as_non_root_supported);
                    if found.login_as_non_root_supported.is_none()
                        && values.has(Fact::ImageNonRootSupported)
                    {
                        unknowns.push(unknown_of(
                            format!("image {image_id} LoginAsNonRootSupported"),
                            format!(
                                "{} lists the image without it",
                                captured.images.as_ref().map_or("", |r| r.file.as_str())
                            ),
                            &supported,
                            |on| on.to_string(),
                            |s, on| {
                                if let Some(i) = first_image(s) {
                                    i.login_as_non_root_supported = on;
                                }
                            },
                        ));
                    }
                }
                None => {
                    let set = |owner: ImageOwnerAlias, deleted: bool, supported: bool| {
                        move |s: &mut Scenario| {
                            if let Some(i) = first_image(s) {
                                i.image_owner_alias = owner;
                                i.deleted = deleted;
                                i.login_as_non_root_supported = supported;
                            }
                        }
                    };
                    let plain = (
                        image.image_owner_alias,
                        image.deleted,
                        image.login_as_non_root_supported,
                    );
                    let mut choices = vec![choice("exists", set(plain.0, plain.1, plain.2))];
                    for on in supported.iter().skip(1) {
                        choices.push(choice(
                            "exists, without logon as non-root",
                            set(plain.0, plain.1, *on),
                        ));
                    }
                    // Deleted: the check of its deletion reads the owner.
                    for deleted in values.flags(Fact::ImageDeleted).into_iter().skip(1) {
                        for owner in &owners {
                            let label = match owner {
                                ImageOwnerAlias::Others => {
                                    "deleted, shared by another account".to_owned()
                                }
                                ImageOwnerAlias::System => "deleted (public)".to_owned(),
                                _ => "deleted (not shared)".to_owned(),
                            };
                            choices.push(choice(label, set(*owner, deleted, plain.2)));
                        }
                    }
                    unknowns.push(Unknown {
                        fact: format!("image {image_id}"),
                        why: match &captured.images {
                            Some(r) => format!(
                                "{} does not list it (it may be deleted, or outside the query)",
                                r.file
                            ),
                            None => "no --images response".to_owned(),
                        },
                        values: choices,
                    });
                }
            }
            images.push(image);
        }

        // The instance.
        let mut instances = Vec::new();
        if let Some(instance_id) = &doc.instance_id {
            let found = captured
                .instances
                .get(instance_id)
                .map(Listed::shown)
                .transpose()?;
            let why = match &found {
                Some(_) => format!("{} lists the instance without it", captured.instances.file),
                None => format!("{} does not list {instance_id}", captured.instances.file),
            };
            let found = found.cloned().unwrap_or_default();
            if found.has_started.is_none() && values.has(Fact::HasStarted) {
                // Said first, as it is the first fact of the instance.
                assumed.insert(
                    0,
                    "an instance that is Stopped has been started at least once",
                );
            }
            let instance_statuses: Vec<InstanceStatus> =
                values.of(Fact::InstanceStatus, |c| match c {
                    Class::InstanceStatus(s) => Some(s),
                    _ => None,
                });
            let os_types: Vec<OsType> = values.of(Fact::OsType, |c| match c {
                Class::OsType(os) => Some(os),
                _ => None,
            });
            let instance = Instance {
                id: instance_id.clone(),
                status: found
                    .status
                    .or_else(|| instance_statuses.first().copied())
                    .unwrap_or(InstanceStatus::Stopped),
                operation_locks: found.locks.unwrap_or(LockSet::EMPTY),
                os_type: found
                    .os_type
                    .or_else(|| os_types.first().copied())
                    .unwrap_or(OsType::Linux),
                hibernation_configured: found
                    .hibernation_configured
                    .unwrap_or_else(|| values.plain(Fact::Hibernation, false)),
                io_optimized: found
                    .io_optimized
                    .unwrap_or_else(|| values.plain(Fact::IoOptimized, true)),
                login_as_non_root: found
                    .login_as_non_root
                    .unwrap_or_else(|| values.plain(Fact::LoginAsNonRoot, false)),
                has_started: found.has_started.unwrap_or(true),
                ..Instance::default()
            };
            let named = |field: &str| format!("instance {instance_id} {field}");
            if found.status.is_none() {
                let told = values.named_instance_statuses();
                let others: Vec<String> = told.iter().map(ToString::to_string).collect();
                unknowns.push(unknown_of(
                    named("Status"),
                    why.clone(),
                    &instance_statuses,
                    move |status| {
                        if told.contains(&status) {
                            status.to_string()
                        } else {
                            format!("{status} (or any status but {})", others.join(", "))
                        }
                    },
                    |s, status| {
                        if let Some(i) = first_instance(s) {
                            i.status = status;
                        }
                    },
                ));
            }
            if found.locks.is_none() {
                unknowns.push(locks_unknown(
                    named("OperationLocks"),
                    why.clone(),
                    &values.lock_reasons(Fact::InstanceLocks),
                    |s, locks| {
                        if let Some(i) = first_instance(s) {
                            i.operation_locks = locks;
                        }
                    },
                ));
            }
            let key_pair_or_password =
                intent.key_pair_name.is_some_and(|n| !n.is_empty()) || intent.password_given;
            if found.os_type.is_none() && system && key_pair_or_password && values.has(Fact::OsType)
            {
                unknowns.push(unknown_of(
                    named("OSType"),
                    why.clone(),
                    &os_types,
                    |os| os.to_string(),
                    |s, os| {
                        if let Some(i) = first_instance(s) {
                            i.os_type = os;
                        }
                    },
                ));
            }
            /// Sets a yes-or-no fact of an instance.
            type SetFlag = fn(&mut Scenario, bool);
            let flags: [(bool, bool, &str, Fact, SetFlag); 3] = [
                (
                    found.hibernation_configured.is_none(),
                    values.has(Fact::Hibernation),
                    "HibernationOptions.Configured",
                    Fact::Hibernation,
                    |s, v| {
                        if let Some(i) = first_instance(s) {
                            i.hibernation_configured = v;
                        }
                    },
                ),
                (
                    found.io_optimized.is_none(),
                    values.has(Fact::IoOptimized),
                    "IoOptimized",
                    Fact::IoOptimized,
                    |s, v| {
                        if let Some(i) = first_instance(s) {
                            i.io_optimized = v;
                        }
                    },
                ),
                (
                    found.login_as_non_root.is_none(),
                    system && values.has(Fact::LoginAsNonRoot),
                    "ImageOptions.LoginAsNonRoot",
                    Fact::LoginAsNonRoot,
                    |s, v| {
                        if let Some(i) = first_instance(s) {
                            i.login_as_non_root = v;
                        }
                    },
                ),
            ];
            for (missing, read, field, fact, set) in flags {
                if missing && read {
                    unknowns.push(unknown_of(
                        named(field),
                        why.clone(),
                        &values.flags(fact),
                        |v| v.to_string(),
                        set,
                    ));
                }
            }
            instances.push(instance);
        }

        // The key pair to bind.
        let mut key_pairs = Vec::new();
        if let Some(name) = intent.key_pair_name.filter(|n| !n.is_empty()) {
            let listed = match &captured.key_pairs {
                Some(r) if r.get(name).is_some() => Told::Yes,
                Some(r) if r.complete => Told::No,
                _ => Told::Unknown,
            };
            if listed != Told::No {
                key_pairs.push(KeyPair {
                    name: name.to_owned(),
                });
            }
            if listed == Told::Unknown && system && values.has(Fact::KeyPairListed) {
                let owned = name.to_owned();
                unknowns.push(Unknown {
                    fact: format!("key pair {name}"),
                    why: match &captured.key_pairs {
                        Some(r) => format!(
                            "{} does not list it, and its TotalCount says it lists only part of the key pairs",
                            r.file
                        ),
                        None => "no --key-pairs response".to_owned(),
                    },
                    values: values
                        .flags(Fact::KeyPairListed)
                        .into_iter()
                        .map(|exists| {
                            let owned = owned.clone();
                            let label = if exists { "exists" } else { "does not exist" };
                            choice(label, move |s| {
                                s.key_pairs.clear();
                                if exists {
                                    s.key_pairs.push(KeyPair {
                                        name: owned.clone(),
                                    });
                                }
                            })
                        })
                        .collect(),
                });
            }
        }

        let scenario = Scenario {
            description: None,
            request,
            disks: vec![disk],
            instances,
            images,
            snapshots,
            key_pairs,
            kms_keys,
            account: Account::DEFAULT,
            policy: Policy::new(revision),
            changes: Vec::new(),
            ecs: crate::ecs::Fields::default(),
        };
        // Every value of every unknown fact keeps the scenario valid (each
        // id a disk names is listed); checked on the first values.
        scenario.validate().map_err(|e| {
            format!("the situation the responses show is not one the rules can decide: {e}")
        })?;
        Ok(Self {
            scenario,
            unknowns,
            assumed,
        })
    }

    /// The number of situations: the product of the unknown facts' value
    /// counts (saturating).
    pub fn count(&self) -> u64 {
        self.unknowns.iter().fold(1u64, |n, u| {
            n.saturating_mul(u64::try_from(u.values.len()).unwrap_or(u64::MAX))
        })
    }

    /// The scenario with the unknown facts at `digits` (one value index
    /// per fact, in the order of [`Situation::unknowns`]).
    pub fn at(&mut self, digits: &[usize]) -> &Scenario {
        for (unknown, &digit) in self.unknowns.iter().zip(digits) {
            if let Some(choice) = unknown.values.get(digit) {
                (choice.apply)(&mut self.scenario);
            }
        }
        &self.scenario
    }

    /// Decides every situation; the outcomes, in the order of the check
    /// that decides them (accepted last), each with its simplest witness.
    /// The scenario is left at the first values. Refuses more than
    /// [`MAX_SITUATIONS`] situations, saying how many facts are unknown.
    pub fn outcomes(&mut self) -> Result<Vec<Outcome>, String> {
        let total = self.count();
        within_limit(total, self.unknowns.len())?;
        let mut digits = vec![0usize; self.unknowns.len()];
        let mut outcomes: Vec<Outcome> = Vec::new();
        let key = |d: &Decision| -> (Option<Code>, Option<Check>) { (d.code, d.check) };
        for _ in 0..total {
            let decision = self.at(&digits).decide();
            let changed = digits.iter().filter(|d| **d != 0).count();
            match outcomes
                .iter_mut()
                .find(|o| key(&o.decision) == key(&decision))
            {
                Some(o) => {
                    o.situations = o.situations.saturating_add(1);
                    if changed < o.changed {
                        o.changed = changed;
                        o.witness.clone_from(&digits);
                    }
                }
                None => outcomes.push(Outcome {
                    decision,
                    situations: 1,
                    changed,
                    witness: digits.clone(),
                }),
            }
            // The next situation: the first fact varies fastest.
            for (digit, unknown) in digits.iter_mut().zip(&self.unknowns) {
                *digit = digit.saturating_add(1);
                if *digit < unknown.values.len() {
                    break;
                }
                *digit = 0;
            }
        }
        let zeros = vec![0usize; self.unknowns.len()];
        self.at(&zeros);
        let revision = self.scenario.policy.revision();
        let position = |o: &Outcome| {
            o.decision
                .check
                .and_then(|c| revision.checks().position(|k| k == c))
                .unwrap_or(usize::MAX)
        };
        outcomes.sort_by_key(|o| position(o));
        Ok(outcomes)
    }

    /// The values of the unknown facts at `digits` that are not their
    /// first: `(fact, value)`.
    pub fn changed<'s>(&'s self, digits: &[usize]) -> Vec<(&'s str, &'s str)> {
        self.unknowns
            .iter()
            .zip(digits)
            .filter(|(_, d)| **d != 0)
            .filter_map(|(u, &d)| Some((u.fact.as_str(), u.values.get(d)?.label.as_str())))
            .collect()
    }
}

/// `Ok` when `total` situations may be decided (at most
/// [`MAX_SITUATIONS`]); else the refusal, with how many facts (`unknown`)
/// are unknown.
fn within_limit(total: u64, unknown: usize) -> Result<(), String> {
    if total > MAX_SITUATIONS {
        return Err(format!(
            "{unknown} facts the rules read are unknown, {total} situations to decide, over the limit of {MAX_SITUATIONS}: give the responses that show them"
        ));
    }
    Ok(())
}

/// An unknown lock set: none, or one of `reasons`.
fn locks_unknown(
    fact: String,
    why: String,
    reasons: &[LockReason],
    set: fn(&mut Scenario, LockSet),
) -> Unknown {
    let mut values = vec![choice("none", move |s| set(s, LockSet::EMPTY))];
    for &reason in reasons {
        let locks = LockSet::EMPTY.with(reason);
        let label = if reason == LockReason::Financial {
            "financial (or any overdue-payment lock)".to_owned()
        } else {
            reason.to_string()
        };
        values.push(choice(label, move |s| set(s, locks)));
    }
    Unknown { fact, why, values }
}

/// What the snapshots response says of the disk's own snapshots: whether
/// one is being created (`Status` `progressing`), whether one has
/// `InstantAccess`, and why that is unknown when it is.
fn own_snapshots(captured: &Captured, disk_id: &str) -> Result<(Told, Told, String), String> {
    let Some(snapshots) = &captured.snapshots else {
        return Ok((
            Told::Unknown,
            Told::Unknown,
            "no --snapshots response".to_owned(),
        ));
    };
    let whole = if snapshots.complete {
        Told::No
    } else {
        Told::Unknown
    };
    let told = |b: Option<bool>| match b {
        Some(true) => Told::Yes,
        Some(false) => Told::No,
        None => Told::Unknown,
    };
    let (mut creating, mut instant) = (whole, whole);
    for record in &snapshots.records {
        let shown = record.shown()?;
        let of_disk = match &shown.source_disk_id {
            Some(id) if id == disk_id => Told::Yes,
            Some(_) => continue,
            None => Told::Unknown,
        };
        let facts = shown.facts.as_ref().map_err(Clone::clone)?;
        creating = creating.or(both(of_disk, told(facts.progressing)));
        instant = instant.or(both(of_disk, told(facts.instant_access)));
    }
    let why = if snapshots.complete {
        format!(
            "{} does not say it of every snapshot (SourceDiskId, Status or InstantAccess missing)",
            snapshots.file
        )
    } else {
        format!(
            "{} lists only part of the snapshots (its TotalCount says more)",
            snapshots.file
        )
    };
    Ok((creating, instant, why))
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    reason = "test code: a failed assumption is a failed test"
)]
mod tests {
    use super::{MAX_SITUATIONS, within_limit};

    #[test]
    fn at_most_max_situations_are_decided_and_more_are_refused_saying_how_many() {
        assert_eq!(within_limit(0, 0), Ok(()));
        assert_eq!(within_limit(MAX_SITUATIONS, 20), Ok(()));
        assert_eq!(
            within_limit(MAX_SITUATIONS + 1, 21).unwrap_err(),
            "21 facts the rules read are unknown, 1048577 situations to decide, over the limit of 1048576: give the responses that show them"
        );
    }
}
