//! The situation the Describe* responses show, as a scenario, with the
//! facts they leave unknown, and the decision on every plausible value of
//! those facts.
//!
//! Each unknown fact has a small list of values, the first the one
//! assumed when a single situation is shown (the likely one: a listed
//! snapshot exists, an instance is stopped and unlocked). Each value
//! stands for every value the rules cannot tell apart from it (`Running`
//! stands for every instance status but `Stopped`), so the situations
//! decided are every class of situation the rules distinguish.

use std::collections::BTreeMap;

use reinit_disk::analysis::{Class, Space};
use reinit_disk::checks::Fact;
use reinit_disk::model::{
    Account, CreationTime, Disk, DiskCategory, DiskSource, DiskStatus, DiskType, Image,
    ImageOwnerAlias, Instance, InstanceStatus, KeyPair, KeyState, KmsKey, LockReason, LockSet,
    MultiAttach, OsType, Snapshot,
};
use reinit_disk::scenario::{Decision, Scenario};
use reinit_disk::{Check, Code, Policy, Revision};

use super::documents::{DiskDoc, ImageDoc, InstanceDoc, Response, SnapshotDoc, SnapshotStatus};

/// The most situations a preflight decides: the product of the unknown
/// facts' value counts. The facts the rules read give at most 245,760
/// (every one unknown: a system disk under 2025-02-27 with a key pair and
/// a password, about a second), so the cap is never reached today; it keeps
/// a fact added later from making a run unbounded.
pub(super) const MAX_SITUATIONS: u64 = 1 << 20;

/// The password sent in place of the one the operator will send: a
/// well-formed one (`--password-given` says a password is sent, never
/// which). Never shown: the explanation redacts every `Password`.
const ASSUMED_PASSWORD: &str = "Preflight-Assumed-1";

/// The id of the snapshot that stands for one of the disk's snapshots the
/// responses do not settle (its instant access).
const UNLISTED_SNAPSHOT: &str = "(a snapshot of the disk)";

/// The id of the KMS key of an encrypted disk whose `KMSKeyId` is not shown.
const UNSHOWN_KEY: &str = "(the disk's KMS key)";

/// Sets a Boolean fact of an instance.
type SetFlag = fn(&mut Instance, bool);

/// A change to the scenario: one value of an unknown fact.
type Apply = Box<dyn Fn(&mut Scenario)>;

/// One value an unknown fact may have.
pub(super) struct Choice {
    /// How the output names it (`Running`, `deleted`).
    pub label: String,
    apply: Apply,
}

/// A fact the rules read that the responses do not show.
pub(super) struct Unknown {
    /// `instance i-1 Status`.
    pub fact: String,
    /// Why it is unknown: `i-1 is not in instances.json`.
    pub why: String,
    /// Its values, the assumed one first.
    pub values: Vec<Choice>,
}

fn choice(label: impl Into<String>, apply: impl Fn(&mut Scenario) + 'static) -> Choice {
    Choice {
        label: label.into(),
        apply: Box::new(apply),
    }
}

/// What the operator will send: the flags of `preflight`.
pub(super) struct Intent<'a> {
    pub disk_id: &'a str,
    pub password_given: bool,
    pub key_pair_name: Option<&'a str>,
    pub auto_start: bool,
}

/// The responses given.
pub(super) struct Responses {
    pub disks: Response,
    pub instances: Response,
    pub images: Option<Response>,
    pub snapshots: Option<Response>,
    pub key_pairs: Option<Response>,
}

/// The situation: a scenario with every unknown fact at its first value,
/// and the unknown facts.
pub(super) struct Situation {
    pub scenario: Scenario,
    pub unknowns: Vec<Unknown>,
    /// What no Describe* response shows and the preflight takes as the
    /// documents say it usually is.
    pub assumed: Vec<&'static str>,
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

impl Situation {
    /// Builds the situation of disk `intent.disk_id` from the responses,
    /// under `revision`.
    pub fn build(
        responses: &Responses,
        intent: &Intent<'_>,
        revision: &'static Revision,
    ) -> Result<Self, String> {
        let reads = |check: Check| revision.checks().any(|c| c == check);
        // The values of each unknown fact: the classes the revision's
        // checks tell apart (src/analysis/), under the policy decided.
        let space = Space::new(&[Policy::new(revision)]);
        let categories: Vec<DiskCategory> = classes(&space, Fact::Category)
            .into_iter()
            .filter_map(|c| match c {
                Class::Category(c) => Some(c),
                _ => None,
            })
            .collect();
        let statuses: Vec<DiskStatus> = classes(&space, Fact::Attachment)
            .into_iter()
            .filter_map(|c| match c {
                Class::Attachment {
                    status,
                    attached: true,
                } => Some(status),
                _ => None,
            })
            .collect();
        let os_types: Vec<OsType> = classes(&space, Fact::OsType)
            .into_iter()
            .filter_map(|c| match c {
                Class::OsType(os) => Some(os),
                _ => None,
            })
            .collect();
        let disks = &responses.disks;
        let record = disks.get(intent.disk_id).ok_or_else(|| {
            let ids = disks.ids();
            let listed = if ids.is_empty() {
                "it lists no disk".to_owned()
            } else {
                let shown: Vec<String> = ids
                    .iter()
                    .take(10)
                    .map(|id| reinit_disk::echo::Echo(id).to_string())
                    .collect();
                let more = if ids.len() > 10 { ", ..." } else { "" };
                format!("it lists {}{more}", shown.join(", "))
            };
            format!(
                "{}: Disks.Disk: no disk {} ({listed}); give the DescribeDisks response that lists it",
                disks.file,
                reinit_disk::echo::Echo(intent.disk_id)
            )
        })?;
        let doc = DiskDoc::read(record)?;
        let system = doc.disk_type == DiskType::System;
        let disk_id = intent.disk_id.to_owned();
        let mut unknowns = Vec::new();
        let mut assumed = Vec::new();
        if doc.instance_id.is_some() {
            assumed.push("an instance that is Stopped has been started at least once");
        }
        if reads(Check::UserInWhiteList) {
            assumed.push("the account is in the volume white list");
        }
        if system && reads(Check::NonRootRegionSupported) {
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
        let mut disk = Disk {
            id: disk_id.clone(),
            category: doc
                .category
                .or_else(|| categories.first().copied())
                .unwrap_or(DiskCategory::Cloud),
            status: doc.status.unwrap_or(if doc.instance_id.is_some() {
                DiskStatus::InUse
            } else {
                DiskStatus::Available
            }),
            instance_id: doc.instance_id.clone(),
            source,
            operation_locks: doc.locks.unwrap_or(LockSet::EMPTY),
            multi_attach: doc.multi_attach.unwrap_or(MultiAttach::Disabled),
            ..Disk::default()
        };
        if doc.category.is_none() {
            unknowns.push(Unknown {
                fact: format!("disk {disk_id} Category"),
                why: in_disks.clone(),
                values: categories
                    .iter()
                    .copied()
                    .map(|c| {
                        choice(c.to_string(), move |s| {
                            if let Some(d) = first_disk(s) {
                                d.category = c;
                            }
                        })
                    })
                    .collect(),
            });
        }
        // A disk that names no instance is not In_use: every other status
        // is one to the rules, so its missing Status is no unknown.
        if doc.status.is_none() && doc.instance_id.is_some() {
            unknowns.push(Unknown {
                fact: format!("disk {disk_id} Status"),
                why: in_disks.clone(),
                values: statuses
                    .iter()
                    .copied()
                    .map(|status| {
                        choice(status.to_string(), move |s| {
                            if let Some(d) = first_disk(s) {
                                d.status = status;
                            }
                        })
                    })
                    .collect(),
            });
        }
        if doc.locks.is_none() {
            unknowns.push(locks_unknown(
                format!("disk {disk_id} OperationLocks"),
                in_disks.clone(),
                &lock_reasons(&space, Fact::DiskLocks),
                |s, locks| {
                    if let Some(d) = first_disk(s) {
                        d.operation_locks = locks;
                    }
                },
            ));
        }
        if doc.multi_attach.is_none() && reads(Check::NotMultiAttach) {
            unknowns.push(Unknown {
                fact: format!("disk {disk_id} MultiAttach"),
                why: in_disks.clone(),
                values: [MultiAttach::Disabled, MultiAttach::Enabled]
                    .into_iter()
                    .map(|m| {
                        choice(m.to_string(), move |s| {
                            if let Some(d) = first_disk(s) {
                                d.multi_attach = m;
                            }
                        })
                    })
                    .collect(),
            });
        }
        let mut kms_keys = Vec::new();
        if reads(Check::KmsKeyUsable) && doc.encrypted != Some(false) {
            let key_id = doc
                .kms_key_id
                .clone()
                .unwrap_or_else(|| UNSHOWN_KEY.to_owned());
            kms_keys.push(KmsKey {
                id: key_id.clone(),
                ..KmsKey::default()
            });
            let mut values = Vec::new();
            if doc.encrypted.is_none() {
                values.push(choice("not encrypted", |s| {
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
            let states: [(&str, KeyState, bool, bool); 4] = [
                ("usable", KeyState::Enabled, true, true),
                ("not enabled", KeyState::Disabled, true, true),
                ("not authorized for ECS", KeyState::Enabled, false, true),
                ("without the ECS tag", KeyState::Enabled, true, false),
            ];
            for (label, state, authorized, tagged) in states {
                let key = key_id.clone();
                values.push(choice(format!("{prefix}{label}"), move |s| {
                    if let Some(d) = first_disk(s) {
                        d.kms_key_id = Some(key.clone());
                    }
                    if let Some(k) = s.kms_keys.first_mut() {
                        k.key_state = state;
                        k.ecs_authorized = authorized;
                        k.ecs_tagged = tagged;
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
            unknowns.push(Unknown { fact, why, values });
        }

        // The disk's own snapshots: one being created, one with instant
        // access.
        let (creating, instant_access, snapshots_why) = own_snapshots(responses, &disk_id)?;
        disk.creating_snapshot = creating == Told::Yes;
        if creating == Told::Unknown {
            unknowns.push(Unknown {
                fact: format!("a snapshot of disk {disk_id} is being created"),
                why: snapshots_why.clone(),
                values: [false, true]
                    .into_iter()
                    .map(|creating| {
                        choice(if creating { "yes" } else { "no" }, move |s| {
                            if let Some(d) = first_disk(s) {
                                d.creating_snapshot = creating;
                            }
                        })
                    })
                    .collect(),
            });
        }
        let mut snapshots = Vec::new();
        if reads(Check::NoInstantAccessSnapshot) && instant_access != Told::No {
            snapshots.push(Snapshot {
                id: UNLISTED_SNAPSHOT.to_owned(),
                source_disk_id: Some(disk_id.clone()),
                instant_access: instant_access == Told::Yes,
                ..Snapshot::default()
            });
            if instant_access == Told::Unknown {
                unknowns.push(Unknown {
                    fact: format!("a snapshot of disk {disk_id} has InstantAccess"),
                    why: snapshots_why.clone(),
                    values: [false, true]
                        .into_iter()
                        .map(|on| {
                            choice(if on { "yes" } else { "no" }, move |s| {
                                if let Some(snap) = snapshot_named(s, UNLISTED_SNAPSHOT) {
                                    snap.instant_access = on;
                                }
                            })
                        })
                        .collect(),
                });
            }
        }

        // The source snapshot of a data disk.
        if let DiskSource::Snapshot { snapshot_id } = &disk.source {
            let boundary = revision.too_old_before;
            let before = CreationTime::from_unix_seconds(boundary.unix_seconds().saturating_sub(1))
                .unwrap_or(CreationTime::MIN);
            let listed = match &responses.snapshots {
                Some(r) => r.get(snapshot_id).map(SnapshotDoc::read).transpose()?,
                None => None,
            };
            let mut snapshot = Snapshot {
                id: snapshot_id.clone(),
                creation_time: boundary,
                ..Snapshot::default()
            };
            let id = snapshot_id.clone();
            let set = move |time: CreationTime, deleted: bool| {
                let id = id.clone();
                move |s: &mut Scenario| {
                    if let Some(snap) = snapshot_named(s, &id) {
                        snap.creation_time = time;
                        snap.deleted = deleted;
                    }
                }
            };
            match listed {
                Some(SnapshotDoc {
                    creation_time: Some(time),
                    ..
                }) => snapshot.creation_time = time,
                Some(_) => unknowns.push(Unknown {
                    fact: format!("snapshot {snapshot_id} CreationTime"),
                    why: format!(
                        "{} lists the snapshot without it",
                        responses.snapshots.as_ref().map_or("", |r| r.file.as_str())
                    ),
                    values: vec![
                        choice(format!("on or after {boundary}"), set(boundary, false)),
                        choice(format!("before {boundary} (too old)"), set(before, false)),
                    ],
                }),
                None => unknowns.push(Unknown {
                    fact: format!("snapshot {snapshot_id}"),
                    why: match &responses.snapshots {
                        Some(r) => format!(
                            "{} does not list it (it may be deleted, or outside the query)",
                            r.file
                        ),
                        None => "no --snapshots response".to_owned(),
                    },
                    values: vec![
                        choice(
                            format!("exists, created on or after {boundary}"),
                            set(boundary, false),
                        ),
                        choice(
                            format!("exists, created before {boundary} (too old)"),
                            set(before, false),
                        ),
                        choice("deleted", set(boundary, true)),
                    ],
                }),
            }
            snapshots.insert(0, snapshot);
        }

        // The image of a system disk.
        let mut images = Vec::new();
        if let DiskSource::Image { image_id, .. } = &disk.source {
            let non_root = reads(Check::NonRootImageSupported);
            let listed = match &responses.images {
                Some(r) => r.get(image_id).map(ImageDoc::read).transpose()?,
                None => None,
            };
            let mut image = Image {
                id: image_id.clone(),
                ..Image::default()
            };
            match listed {
                Some(found) => {
                    image.image_owner_alias = found.owner.unwrap_or(ImageOwnerAlias::System);
                    image.login_as_non_root_supported =
                        found.login_as_non_root_supported.unwrap_or(true);
                    if found.login_as_non_root_supported.is_none() && non_root {
                        unknowns.push(Unknown {
                            fact: format!("image {image_id} LoginAsNonRootSupported"),
                            why: format!(
                                "{} lists the image without it",
                                responses.images.as_ref().map_or("", |r| r.file.as_str())
                            ),
                            values: [true, false]
                                .into_iter()
                                .map(|on| {
                                    choice(on.to_string(), move |s| {
                                        if let Some(i) = first_image(s) {
                                            i.login_as_non_root_supported = on;
                                        }
                                    })
                                })
                                .collect(),
                        });
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
                    let mut values =
                        vec![choice("exists", set(ImageOwnerAlias::System, false, true))];
                    if non_root {
                        values.push(choice(
                            "exists, without logon as non-root",
                            set(ImageOwnerAlias::System, false, false),
                        ));
                    }
                    values.push(choice(
                        "deleted (not shared)",
                        set(ImageOwnerAlias::SelfOwned, true, true),
                    ));
                    values.push(choice(
                        "deleted, shared by another account",
                        set(ImageOwnerAlias::Others, true, true),
                    ));
                    unknowns.push(Unknown {
                        fact: format!("image {image_id}"),
                        why: match &responses.images {
                            Some(r) => format!(
                                "{} does not list it (it may be deleted, or outside the query)",
                                r.file
                            ),
                            None => "no --images response".to_owned(),
                        },
                        values,
                    });
                }
            }
            images.push(image);
        }

        // The instance.
        let mut instances = Vec::new();
        if let Some(instance_id) = &doc.instance_id {
            let found = responses
                .instances
                .get(instance_id)
                .map(InstanceDoc::read)
                .transpose()?;
            let why = match &found {
                Some(_) => format!("{} lists the instance without it", responses.instances.file),
                None => format!("{} does not list {instance_id}", responses.instances.file),
            };
            let found = found.unwrap_or(InstanceDoc {
                status: None,
                os_type: None,
                hibernation_configured: None,
                io_optimized: None,
                login_as_non_root: None,
                locks: None,
            });
            let instance = Instance {
                id: instance_id.clone(),
                status: found.status.unwrap_or(InstanceStatus::Stopped),
                operation_locks: found.locks.unwrap_or(LockSet::EMPTY),
                os_type: found.os_type.unwrap_or(OsType::Linux),
                hibernation_configured: found.hibernation_configured.unwrap_or(false),
                io_optimized: found.io_optimized.unwrap_or(true),
                login_as_non_root: found.login_as_non_root.unwrap_or(false),
                ..Instance::default()
            };
            let named = |field: &str| format!("instance {instance_id} {field}");
            if found.status.is_none() {
                unknowns.push(Unknown {
                    fact: named("Status"),
                    why: why.clone(),
                    values: vec![
                        choice("Stopped", |s| {
                            if let Some(i) = first_instance(s) {
                                i.status = InstanceStatus::Stopped;
                            }
                        }),
                        choice("Running (or any status but Stopped)", |s| {
                            if let Some(i) = first_instance(s) {
                                i.status = InstanceStatus::Running;
                            }
                        }),
                    ],
                });
            }
            if found.locks.is_none() {
                unknowns.push(locks_unknown(
                    named("OperationLocks"),
                    why.clone(),
                    &lock_reasons(&space, Fact::InstanceLocks),
                    |s, locks| {
                        if let Some(i) = first_instance(s) {
                            i.operation_locks = locks;
                        }
                    },
                ));
            }
            let key_pair_or_password =
                intent.key_pair_name.is_some_and(|n| !n.is_empty()) || intent.password_given;
            if found.os_type.is_none()
                && system
                && key_pair_or_password
                && reads(Check::KeyPairUsable)
            {
                unknowns.push(Unknown {
                    fact: named("OSType"),
                    why: why.clone(),
                    values: os_types
                        .iter()
                        .copied()
                        .map(|os| {
                            choice(os.to_string(), move |s| {
                                if let Some(i) = first_instance(s) {
                                    i.os_type = os;
                                }
                            })
                        })
                        .collect(),
                });
            }
            let flags: [(bool, bool, &str, bool, SetFlag); 3] = [
                (
                    found.hibernation_configured.is_none(),
                    reads(Check::NotHibernationConfigured),
                    "HibernationOptions.Configured",
                    false,
                    |i, v| i.hibernation_configured = v,
                ),
                (
                    found.io_optimized.is_none(),
                    reads(Check::IoOptimized),
                    "IoOptimized",
                    true,
                    |i, v| i.io_optimized = v,
                ),
                (
                    found.login_as_non_root.is_none(),
                    system && reads(Check::NonRootImageSupported),
                    "ImageOptions.LoginAsNonRoot",
                    false,
                    |i, v| i.login_as_non_root = v,
                ),
            ];
            for (missing, read, field, first, set) in flags {
                if missing && read {
                    unknowns.push(Unknown {
                        fact: named(field),
                        why: why.clone(),
                        values: [first, !first]
                            .into_iter()
                            .map(|v| {
                                choice(v.to_string(), move |s| {
                                    if let Some(i) = first_instance(s) {
                                        set(i, v);
                                    }
                                })
                            })
                            .collect(),
                    });
                }
            }
            instances.push(instance);
        }

        // The key pair to bind.
        let mut key_pairs = Vec::new();
        if let Some(name) = intent.key_pair_name.filter(|n| !n.is_empty()) {
            let listed = match &responses.key_pairs {
                Some(r) if r.get(name).is_some() => Told::Yes,
                Some(r) if r.complete => Told::No,
                _ => Told::Unknown,
            };
            if listed != Told::No {
                key_pairs.push(KeyPair {
                    name: name.to_owned(),
                });
            }
            if listed == Told::Unknown && system && reads(Check::KeyPairUsable) {
                let owned = name.to_owned();
                unknowns.push(Unknown {
                    fact: format!("key pair {name}"),
                    why: match &responses.key_pairs {
                        Some(r) => format!(
                            "{} does not list it, and its TotalCount says it lists only part of the key pairs",
                            r.file
                        ),
                        None => "no --key-pairs response".to_owned(),
                    },
                    values: vec![
                        choice("exists", move |s| {
                            if s.key_pairs.is_empty() {
                                s.key_pairs.push(KeyPair {
                                    name: owned.clone(),
                                });
                            }
                        }),
                        choice("does not exist", |s| s.key_pairs.clear()),
                    ],
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
        self.unknowns
            .iter()
            .fold(1u64, |n, u| n.saturating_mul(u.values.len() as u64))
    }

    /// The scenario with the unknown facts at `digits` (one value index
    /// per fact).
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
    pub fn outcomes(&mut self) -> Vec<Outcome> {
        let total = self.count();
        let mut digits = vec![0usize; self.unknowns.len()];
        let mut outcomes: Vec<Outcome> = Vec::new();
        for _ in 0..total {
            let decision = self.at(&digits).decide();
            let changed = digits.iter().filter(|d| **d != 0).count();
            let key = (decision.code, decision.check);
            match outcomes.iter_mut().find(|o| o.key == key) {
                Some(o) => {
                    o.situations += 1;
                    if changed < o.changed {
                        o.changed = changed;
                        o.witness.clone_from(&digits);
                    }
                }
                None => outcomes.push(Outcome {
                    key,
                    decision,
                    situations: 1,
                    changed,
                    witness: digits.clone(),
                }),
            }
            // The next situation: the first fact varies fastest.
            for (digit, unknown) in digits.iter_mut().zip(&self.unknowns) {
                *digit += 1;
                if *digit < unknown.values.len() {
                    break;
                }
                *digit = 0;
            }
        }
        let zeros = vec![0usize; self.unknowns.len()];
        self.at(&zeros);
        let position = |o: &Outcome| {
            o.decision
                .check
                .and_then(|c| {
                    self.scenario
                        .policy
                        .revision()
                        .checks()
                        .position(|k| k == c)
                })
                .unwrap_or(usize::MAX)
        };
        outcomes.sort_by_key(|o| position(o));
        outcomes
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

/// One outcome of the situations decided.
pub(super) struct Outcome {
    key: (Option<Code>, Option<Check>),
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
fn own_snapshots(responses: &Responses, disk_id: &str) -> Result<(Told, Told, String), String> {
    let Some(snapshots) = &responses.snapshots else {
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
    let (mut creating, mut instant) = (whole, whole);
    for record in snapshots.iter() {
        let of_disk = match SnapshotDoc::source_disk_id(&record)? {
            Some(id) if id == disk_id => Told::Yes,
            Some(_) => continue,
            None => Told::Unknown,
        };
        let snapshot = SnapshotDoc::read(record)?;
        let progressing = match snapshot.status {
            Some(SnapshotStatus::Progressing) => Told::Yes,
            Some(_) => Told::No,
            None => Told::Unknown,
        };
        let on = match snapshot.instant_access {
            Some(true) => Told::Yes,
            Some(false) => Told::No,
            None => Told::Unknown,
        };
        creating = creating.or(both(of_disk, progressing));
        instant = instant.or(both(of_disk, on));
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

/// Both yes: yes; either no: no; else unknown.
const fn both(a: Told, b: Told) -> Told {
    match (a, b) {
        (Told::No, _) | (_, Told::No) => Told::No,
        (Told::Yes, Told::Yes) => Told::Yes,
        _ => Told::Unknown,
    }
}

/// The classes of `fact` in `space` (none when no check of its policy
/// reads it): the values the checks tell apart, from their declarations.
fn classes(space: &Space, fact: Fact) -> Vec<Class> {
    space
        .axis(fact, None)
        .and_then(|axis| space.axes().get(axis))
        .map(|axis| axis.classes.clone())
        .unwrap_or_default()
}

/// The lock reasons the checks tell apart in `fact`'s lock sets (each
/// standing for its kind), in the order the analysis gives them.
fn lock_reasons(space: &Space, fact: Fact) -> Vec<LockReason> {
    classes(space, fact)
        .into_iter()
        .filter_map(|c| match c {
            Class::Locks(set) if set.iter().count() == 1 => set.iter().next(),
            _ => None,
        })
        .collect()
}
