//! The exhaustive test: every combination of a finite part of the domain,
//! held against the plain reference model in testkit/src/reference.rs, for
//! each revision, under its default policy and under a policy that flips
//! every knob (every answer its alternative, the world checks reversed).
//!
//! The seed revision: every disk type and source state, category, disk
//! status, the disk's own locks, attachment, instance status, started flag,
//! the instance's lock set, snapshot in progress and strategy. The disk's
//! own locks are swept in two parts: the full sweep takes three of them
//! (none, `security`, `financial`; about 11.3 million requests per policy),
//! and a separate slice takes nine (each reason alone, mixed sets, all
//! five) against every status and attachment but only seven sources and two
//! categories (about 1.5 million per policy).
//!
//! The 2025-02-27 revision's whole cross product would not fit, so it is
//! swept in slices, each under its default policy and with every knob
//! flipped:
//!
//! - the facts it shares with the seed revision, the new ones at their
//!   defaults (the seed's full sweep under the later revision; about 11.3
//!   million requests per policy);
//! - the disk-side facts (multi-attach, encryption and the KMS key's state,
//!   snapshots with instant access: 140 combinations) crossed with 360 base
//!   situations and three strategies (151,200 per policy);
//! - the instance-side facts (white list, hibernation, I/O optimization, OS
//!   type, non-root logon and its region and image support: 128
//!   combinations) with the key pair (none, empty, listed, not listed) and
//!   the password (none, empty, valid, valid but starting with `/`), crossed
//!   with the same bases and three strategies (2,211,840 per policy);
//! - the request parameters (every request check, with the values at each
//!   edge) on four worlds that accept or refuse (699,072 per policy).
//!
//! The seed revision is swept over the same disk-side, instance-side and
//! request slices: it must ignore every new fact and parameter (the
//! reference says so). Each revision's catalogue is reached row by row.
//!
//! The exhaustive sweeps fix two orders per revision (the default and its
//! reverse); tests/properties.rs tries any order.
//!
//! Where a sweep takes the values a check tells apart, it takes them from
//! the declarations (the strategies from `TARGET_TELLS`, the source
//! snapshot's ages from the analysis's classes of every revision's
//! boundary); every other list sweeps wider than the declarations (every
//! variant of an enum, edges the checks do not name), which is how it
//! finds a declaration that misses a value.
//!
//! The analysis's space of each revision (src/analysis/, built from the
//! values each check declares it tells apart) is held against the
//! reference too: every region, at its witness and at random points of it,
//! under both policies, reaching every row but the `InternalError` of a
//! dangling instance.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use std::collections::BTreeSet;

use reinit_disk::analysis::{Class, Space};
use reinit_disk::answers::{
    ActiveOnNonPublicImage, Answers, DeletedImageCode, DeletedSnapshotCode, UnsupportedCategories,
};
use reinit_disk::checks::{Fact, Tells};
use reinit_disk::model::{
    Account, CategorySet, CreationTime, Disk, DiskCategory, DiskSource, DiskStatus, DiskView,
    Image, ImageOwnerAlias, ImageView, Instance, InstanceStatus, InstanceView, KeyPair,
    KeyPairView, KeyState, KmsKey, KmsKeyView, LockReason, LockSet, MultiAttach, OsType, Snapshot,
    SnapshotView,
};
use reinit_disk::revision::{ALL, SEED, V2025_02_27};
use reinit_disk::{Check, Code, Param, Policy, Request, Revision, TARGET_TELLS, World};
use reinit_disk_testkit::reference::{
    Expected, RefPolicy, TOO_OLD_BEFORE_UNIX, TOO_OLD_BEFORE_UNIX_2025, observed, reference,
};
use strum::VariantArray;

/// A world of one disk and what it names: the cheapest world to rebuild.
#[derive(Clone, Debug, Default)]
struct OneDisk {
    disk: Disk,
    instance: Option<Instance>,
    image: Option<Image>,
    snapshot: Option<Snapshot>,
    /// Snapshots made from disks, for instant access.
    made_from: Vec<Snapshot>,
    key_pair: Option<KeyPair>,
    kms_key: Option<KmsKey>,
    account: Account,
}

impl World for OneDisk {
    fn disk(&self, id: &str) -> Option<DiskView<'_>> {
        // The rule, stated here: a snapshot that exists, made from the disk,
        // with instant access.
        let instant_access = self
            .snapshot
            .iter()
            .chain(&self.made_from)
            .any(|s| !s.deleted && s.instant_access && s.source_disk_id.as_deref() == Some(id));
        (self.disk.id == id).then(|| {
            self.disk
                .view()
                .with_instant_access_snapshot(instant_access)
        })
    }
    fn instance(&self, id: &str) -> Option<InstanceView<'_>> {
        self.instance
            .as_ref()
            .filter(|i| i.id == id)
            .map(Instance::view)
    }
    fn image(&self, id: &str) -> Option<ImageView<'_>> {
        self.image.as_ref().filter(|i| i.id == id).map(Image::view)
    }
    fn snapshot(&self, id: &str) -> Option<SnapshotView<'_>> {
        self.snapshot
            .iter()
            .chain(&self.made_from)
            .find(|s| s.id == id)
            .map(Snapshot::view)
    }
    fn key_pair(&self, name: &str) -> Option<KeyPairView<'_>> {
        self.key_pair
            .as_ref()
            .filter(|k| k.name == name)
            .map(KeyPair::view)
    }
    fn kms_key(&self, id: &str) -> Option<KmsKeyView<'_>> {
        self.kms_key
            .as_ref()
            .filter(|k| k.id == id)
            .map(KmsKey::view)
    }
    fn account(&self) -> Account {
        self.account
    }
}

/// What a sweep saw: how many requests, and which (code, check) decided.
#[derive(Default)]
struct Tally {
    count: usize,
    reached: BTreeSet<(Code, Check)>,
}

impl Tally {
    fn codes(&self) -> BTreeSet<Code> {
        self.reached.iter().map(|(code, _)| *code).collect()
    }
}

/// `evaluate` under `policy` and the reference under `expected` agree on
/// `request` in `world`.
fn agree(
    world: &OneDisk,
    request: &Request<'_>,
    policy: &Policy,
    expected: &RefPolicy,
    tally: &mut Tally,
) {
    let want = reference(request, world, expected);
    let got = observed(request, world, policy);
    if got != want {
        panic!(
            "evaluate disagrees with the reference\n  evaluate:  {got:?}\n  reference: {want:?}\npolicy {policy:?}\nrequest {request:?}\nworld {world:#?}"
        );
    }
    if let Expected::Reject { code, check } = want {
        tally.reached.insert((code, check));
    }
    tally.count += 1;
}

/// The creation times swept: the classes the analysis gives the source
/// snapshot's age over every revision (each revision's too-old boundary and
/// the second before it, from the revisions themselves), then what no class
/// names: a time written in minutes, and times far from both boundaries.
fn creation_times() -> Vec<CreationTime> {
    let policies: Vec<Policy> = ALL.iter().map(|r| Policy::new(r)).collect();
    let space = Space::new(&policies);
    let axis = space.axis(Fact::TooOldBoundary, None).unwrap();
    let mut all: Vec<CreationTime> = space.axes()[axis]
        .classes
        .iter()
        .map(|c| match c {
            Class::Created(t) => *t,
            other => panic!("a creation time's class is a time: {other:?}"),
        })
        .collect();
    assert!(all.len() >= 2 * ALL.len(), "{all:?}");
    for beyond in [
        "2013-07-15T23:59Z",
        "2012-01-01T00:00:00Z",
        "2020-01-01T00:00:00Z",
    ] {
        all.push(beyond.parse().unwrap());
    }
    all
}

/// Every source a disk can have, in every state its image or snapshot can be in.
fn sources() -> Vec<(DiskSource, Option<Image>, Option<Snapshot>)> {
    let image = DiskSource::Image {
        image_id: "m-1".into(),
        snapshot_id: None,
    };
    let from_snapshot = DiskSource::Snapshot {
        snapshot_id: "s-1".into(),
    };
    let mut all = vec![
        (image.clone(), None, None),
        (from_snapshot.clone(), None, None),
        (DiskSource::Empty, None, None),
    ];
    for alias in ImageOwnerAlias::VARIANTS {
        for deleted in [false, true] {
            let i = Image {
                id: "m-1".into(),
                image_owner_alias: *alias,
                deleted,
                ..Default::default()
            };
            all.push((image.clone(), Some(i), None));
        }
    }
    for creation_time in creation_times() {
        for deleted in [false, true] {
            let s = Snapshot {
                id: "s-1".into(),
                creation_time,
                deleted,
                ..Default::default()
            };
            all.push((from_snapshot.clone(), None, Some(s)));
        }
    }
    all
}

/// Every attachment: none, to an instance the world lacks, and to an
/// instance in every status, started or not, with each of `lock_sets`.
fn attachments(lock_sets: &[LockSet]) -> Vec<(Option<String>, Option<Instance>)> {
    let mut all = vec![(None, None), (Some("i-1".to_owned()), None)];
    for status in InstanceStatus::VARIANTS {
        for has_started in [false, true] {
            for operation_locks in lock_sets {
                let i = Instance {
                    id: "i-1".into(),
                    status: *status,
                    has_started,
                    operation_locks: *operation_locks,
                    ..Default::default()
                };
                all.push((Some("i-1".to_owned()), Some(i)));
            }
        }
    }
    all
}

/// Lock sets, by name.
fn lock_set(reasons: &[LockReason]) -> LockSet {
    reasons.iter().copied().collect()
}

/// Every subset of the five lock reasons.
fn every_lock_set() -> Vec<LockSet> {
    (0u8..(1 << LockReason::VARIANTS.len()))
        .map(|mask| {
            LockReason::VARIANTS
                .iter()
                .enumerate()
                .filter(|(bit, _)| mask & (1 << bit) != 0)
                .map(|(_, r)| *r)
                .collect()
        })
        .collect()
}

/// The disk's own locks the full sweep takes: none, a security one (which
/// the rules ignore on a disk), a financial one.
fn disk_locks() -> Vec<LockSet> {
    vec![
        LockSet::EMPTY,
        lock_set(&[LockReason::Security]),
        lock_set(&[LockReason::Financial]),
    ]
}

/// The part of the domain a sweep covers: every combination of these.
struct Domain {
    sources: Vec<(DiskSource, Option<Image>, Option<Snapshot>)>,
    categories: Vec<DiskCategory>,
    disk_locks: Vec<LockSet>,
    attachments: Vec<(Option<String>, Option<Instance>)>,
}

impl Domain {
    /// Every dimension whole, the disk's own locks as `disk_locks`.
    fn full(disk_locks: Vec<LockSet>) -> Self {
        Self {
            sources: sources(),
            categories: DiskCategory::VARIANTS.to_vec(),
            disk_locks,
            attachments: attachments(&every_lock_set()),
        }
    }

    /// The disk's own locks beyond the full sweep's three (each reason alone,
    /// a security lock with a financial one, two financial ones, all five),
    /// against every status and attachment, on fewer sources (empty, an
    /// image shared by others and a snapshot not too old, each deleted or
    /// not) and two categories (`cloud`, `ephemeral`: one unsupported under
    /// each policy).
    fn disk_lock_slice() -> Self {
        let all = sources();
        let keep = |s: &(DiskSource, Option<Image>, Option<Snapshot>)| match s {
            (DiskSource::Empty, _, _) => true,
            (DiskSource::Image { .. }, Some(i), _) => {
                i.image_owner_alias == ImageOwnerAlias::Others
            }
            (DiskSource::Snapshot { .. }, _, Some(s)) => {
                s.creation_time.unix_seconds() >= TOO_OLD_BEFORE_UNIX
            }
            _ => false,
        };
        Self {
            sources: all.into_iter().filter(keep).collect(),
            categories: vec![DiskCategory::Cloud, DiskCategory::Ephemeral],
            disk_locks: vec![
                LockSet::EMPTY,
                lock_set(&[LockReason::Security]),
                lock_set(&[LockReason::Financial]),
                lock_set(&[LockReason::Recycling]),
                lock_set(&[LockReason::Dedicatedhostfinancial]),
                lock_set(&[LockReason::Refunded]),
                lock_set(&[LockReason::Security, LockReason::Recycling]),
                lock_set(&[LockReason::Financial, LockReason::Refunded]),
                LockReason::VARIANTS.iter().copied().collect(),
            ],
            attachments: attachments(&every_lock_set()),
        }
    }

    /// The full domain with the instance's locks cut to eight sets (none,
    /// each reason alone, `security` with `financial`, all five), for the
    /// sweeps that only need to reach every code.
    fn reduced() -> Self {
        let lock_sets = [
            vec![],
            vec![LockReason::Security],
            vec![LockReason::Financial],
            vec![LockReason::Recycling],
            vec![LockReason::Dedicatedhostfinancial],
            vec![LockReason::Refunded],
            vec![LockReason::Security, LockReason::Financial],
            LockReason::VARIANTS.to_vec(),
        ];
        let lock_sets: Vec<LockSet> = lock_sets.iter().map(|r| lock_set(r)).collect();
        Self {
            sources: sources(),
            categories: DiskCategory::VARIANTS.to_vec(),
            disk_locks: vec![LockSet::EMPTY, lock_set(&[LockReason::Financial])],
            attachments: attachments(&lock_sets),
        }
    }

    /// How many requests a sweep makes (three strategies each).
    fn size(&self) -> usize {
        self.sources.len()
            * self.categories.len()
            * DiskStatus::VARIANTS.len()
            * self.disk_locks.len()
            * self.attachments.len()
            * 2
            * 3
    }
}

/// The strategies every sweep tries: the values the target tells apart
/// (`TARGET_TELLS`: not given, `Active`, `Deactive`).
fn strategies() -> &'static [Option<&'static str>] {
    TARGET_TELLS
        .iter()
        .find_map(|t| match t {
            Tells::Param(Param::SecurityEnhancementStrategy, values) => Some(*values),
            _ => None,
        })
        .unwrap()
}

/// Runs every combination of `domain` through `evaluate` under `policy` and
/// through the reference under `expected` (the new facts and parameters at
/// their defaults).
fn sweep(domain: &Domain, policy: &Policy, expected: &RefPolicy) -> Tally {
    let mut tally = Tally::default();
    for (source, image, snapshot) in &domain.sources {
        for category in &domain.categories {
            for status in DiskStatus::VARIANTS {
                for operation_locks in &domain.disk_locks {
                    for (instance_id, instance) in &domain.attachments {
                        for creating_snapshot in [false, true] {
                            let world = OneDisk {
                                disk: Disk {
                                    id: "d-1".into(),
                                    category: *category,
                                    status: *status,
                                    instance_id: instance_id.clone(),
                                    source: source.clone(),
                                    creating_snapshot,
                                    operation_locks: *operation_locks,
                                    ..Default::default()
                                },
                                instance: instance.clone(),
                                image: image.clone(),
                                snapshot: snapshot.clone(),
                                ..Default::default()
                            };
                            for strategy in strategies().iter().copied() {
                                let request = Request {
                                    security_enhancement_strategy: strategy,
                                    ..Request::new("d-1")
                                };
                                agree(&world, &request, policy, expected, &mut tally);
                            }
                        }
                    }
                }
            }
        }
    }
    tally
}

/// `revision`'s world checks reversed, and every answer its alternative.
fn every_knob_flipped(revision: &'static Revision) -> Policy {
    let mut reversed = revision.world_checks.to_vec();
    reversed.reverse();
    Policy::new(revision)
        .with_answers(Answers {
            deleted_snapshot_code: DeletedSnapshotCode::OperationDenied,
            unsupported_categories: UnsupportedCategories(CategorySet::of(&[
                DiskCategory::Cloud,
                DiskCategory::CloudAuto,
            ])),
            active_on_non_public_image: ActiveOnNonPublicImage::Reject,
            deleted_image_code: DeletedImageCode::InvalidImageIdNotFound,
        })
        .with_order(&reversed)
        .unwrap()
}

/// `revision` under its default policy, then with every knob flipped.
fn both_policies(revision: &'static Revision) -> [Policy; 2] {
    [Policy::new(revision), every_knob_flipped(revision)]
}

/// The catalogue rows `tally` reached, as (code, message), in `revision`.
fn rows_reached(revision: &Revision, tally: &Tally) -> BTreeSet<(Code, &'static str)> {
    tally
        .reached
        .iter()
        .map(|(code, check)| {
            let row = revision.entry_for(*code, *check).unwrap();
            (row.code, row.message)
        })
        .collect()
}

/// Every row of `revision`'s catalogue, as (code, message).
fn every_row(revision: &Revision) -> BTreeSet<(Code, &'static str)> {
    revision
        .catalogue
        .iter()
        .map(|row| (row.code, row.message))
        .collect()
}

// ---------------------------------------------------------------------------
// The base situations the 2025-02-27 slices cross the new facts with.

/// One base situation: a disk, what it names, and a name to read in a
/// failure.
fn base(
    source: &(DiskSource, Option<Image>, Option<Snapshot>),
    category: DiskCategory,
    status: DiskStatus,
    attachment: &(Option<String>, Option<Instance>),
    creating_snapshot: bool,
) -> OneDisk {
    OneDisk {
        disk: Disk {
            id: "d-1".into(),
            category,
            status,
            instance_id: attachment.0.clone(),
            source: source.0.clone(),
            creating_snapshot,
            ..Default::default()
        },
        instance: attachment.1.clone(),
        image: source.1.clone(),
        snapshot: source.2.clone(),
        key_pair: Some(KeyPair {
            name: "kp-1".into(),
        }),
        ..Default::default()
    }
}

/// 360 base situations: six sources (a system disk from a public, a
/// self-owned, a deleted and a missing image; a data disk from a snapshot;
/// an empty one) x three categories (`cloud_essd`; `ephemeral`, unsupported
/// by default; `cloud`, unsupported with the knobs flipped) x `In_use` or
/// `Available` x five attachments (none; an instance the world lacks; one
/// stopped, healthy; one running; one stopped under a security lock) x a
/// snapshot in progress or not.
fn bases() -> Vec<OneDisk> {
    let image = |alias, deleted| {
        let i = Image {
            id: "m-1".into(),
            image_owner_alias: alias,
            deleted,
            ..Default::default()
        };
        (
            DiskSource::Image {
                image_id: "m-1".into(),
                snapshot_id: None,
            },
            Some(i),
            None,
        )
    };
    let sources = [
        image(ImageOwnerAlias::System, false),
        image(ImageOwnerAlias::SelfOwned, false),
        image(ImageOwnerAlias::SelfOwned, true),
        (
            DiskSource::Image {
                image_id: "m-1".into(),
                snapshot_id: None,
            },
            None,
            None,
        ),
        (
            DiskSource::Snapshot {
                snapshot_id: "s-1".into(),
            },
            None,
            Some(Snapshot {
                id: "s-1".into(),
                creation_time: "2020-01-01T00:00:00Z".parse().unwrap(),
                ..Default::default()
            }),
        ),
        (DiskSource::Empty, None, None),
    ];
    let instance = |status, locks: &[LockReason]| {
        Some(Instance {
            id: "i-1".into(),
            status,
            has_started: true,
            operation_locks: lock_set(locks),
            ..Default::default()
        })
    };
    let attached = Some("i-1".to_owned());
    let attachments = [
        (None, None),
        (attached.clone(), None),
        (attached.clone(), instance(InstanceStatus::Stopped, &[])),
        (attached.clone(), instance(InstanceStatus::Running, &[])),
        (
            attached,
            instance(InstanceStatus::Stopped, &[LockReason::Security]),
        ),
    ];
    let mut all = Vec::new();
    for source in &sources {
        for category in [
            DiskCategory::CloudEssd,
            DiskCategory::Ephemeral,
            DiskCategory::Cloud,
        ] {
            for status in [DiskStatus::InUse, DiskStatus::Available] {
                for attachment in &attachments {
                    for creating_snapshot in [false, true] {
                        all.push(base(
                            source,
                            category,
                            status,
                            attachment,
                            creating_snapshot,
                        ));
                    }
                }
            }
        }
    }
    all
}

/// The disk-side facts: multi-attach (2) x encryption (not encrypted; a key
/// the world lacks; a key in each state, ECS authorized or not, tagged or
/// not: 14) x snapshots made from the disk (none; one with instant access;
/// the same deleted; one without; one with instant access made from another
/// disk: 5). 140 in all.
fn disk_side(base: &OneDisk) -> Vec<OneDisk> {
    let mut keys: Vec<(Option<String>, Option<KmsKey>)> =
        vec![(None, None), (Some("key-1".into()), None)];
    for key_state in KeyState::VARIANTS {
        for ecs_authorized in [true, false] {
            for ecs_tagged in [true, false] {
                let key = KmsKey {
                    id: "key-1".into(),
                    key_state: *key_state,
                    ecs_authorized,
                    ecs_tagged,
                };
                keys.push((Some("key-1".into()), Some(key)));
            }
        }
    }
    let made_from = |disk: &str, instant_access, deleted| Snapshot {
        id: "s-made".into(),
        creation_time: "2024-01-01T00:00:00Z".parse().unwrap(),
        deleted,
        source_disk_id: Some(disk.to_owned()),
        instant_access,
    };
    let snapshots = [
        vec![],
        vec![made_from("d-1", true, false)],
        vec![made_from("d-1", true, true)],
        vec![made_from("d-1", false, false)],
        vec![made_from("d-2", true, false)],
    ];
    let mut all = Vec::new();
    for multi_attach in MultiAttach::VARIANTS {
        for (kms_key_id, kms_key) in &keys {
            for made_from in &snapshots {
                let mut world = base.clone();
                world.disk.multi_attach = *multi_attach;
                world.disk.kms_key_id.clone_from(kms_key_id);
                world.kms_key.clone_from(kms_key);
                world.made_from.clone_from(made_from);
                all.push(world);
            }
        }
    }
    all
}

/// The instance-side facts, each on or off: the account on the white list,
/// its region supporting non-root logon, the instance hibernation-configured,
/// I/O optimized, Windows, logging on as non-root, and the image supporting
/// non-root logon. 128 in all.
fn instance_side(base: &OneDisk) -> Vec<OneDisk> {
    (0u8..128)
        .map(|bits| {
            let on = |bit: u8| bits & (1 << bit) != 0;
            let mut world = base.clone();
            world.account = Account::DEFAULT
                .with_in_volume_white_list(on(0))
                .with_region_supports_login_as_non_root(on(1));
            if let Some(instance) = &mut world.instance {
                instance.hibernation_configured = on(2);
                instance.io_optimized = on(3);
                instance.os_type = if on(4) {
                    OsType::Windows
                } else {
                    OsType::Linux
                };
                instance.login_as_non_root = on(5);
            }
            if let Some(image) = &mut world.image {
                image.login_as_non_root_supported = on(6);
            }
            world
        })
        .collect()
}

/// The key pairs an instance-side request names: none, empty, listed, not
/// listed.
const KEY_PAIRS: [Option<&str>; 4] = [None, Some(""), Some("kp-1"), Some("kp-404")];

/// The passwords an instance-side request gives: none, empty, valid, valid
/// but starting with `/`.
const PASSWORDS: [Option<&str>; 4] = [None, Some(""), Some("Abcdef12"), Some("/Abcdef12")];

/// The disk-side slice under `policy`: 360 bases x 140 disk-side facts x 3
/// strategies.
fn disk_side_slice(policy: &Policy) -> Tally {
    let expected = RefPolicy::of(policy);
    let mut tally = Tally::default();
    for base in bases() {
        for world in disk_side(&base) {
            for strategy in strategies().iter().copied() {
                let request = Request {
                    security_enhancement_strategy: strategy,
                    ..Request::new("d-1")
                };
                agree(&world, &request, policy, &expected, &mut tally);
            }
        }
    }
    tally
}

/// The instance-side slice under `policy`: 360 bases x 128 instance-side
/// facts x 4 key pairs x 4 passwords x 3 strategies, `AutoStartInstance`
/// turning with the password.
fn instance_side_slice(policy: &Policy) -> Tally {
    let expected = RefPolicy::of(policy);
    let mut tally = Tally::default();
    for base in bases() {
        for world in instance_side(&base) {
            for key_pair_name in KEY_PAIRS {
                for (n, password) in PASSWORDS.into_iter().enumerate() {
                    for strategy in strategies().iter().copied() {
                        let request = Request {
                            security_enhancement_strategy: strategy,
                            password,
                            key_pair_name,
                            auto_start_instance: [None, Some("true"), Some("FALSE"), Some("True")]
                                [n],
                            ..Request::new("d-1")
                        };
                        agree(&world, &request, policy, &expected, &mut tally);
                    }
                }
            }
        }
    }
    tally
}

// ---------------------------------------------------------------------------
// The request parameters.

/// Worlds the request slice runs on: a healthy Linux system disk on a public
/// image; a healthy Windows system disk on a self-owned image; a healthy data
/// disk from a snapshot; a system disk refused by the account and the region
/// (not on the white list, non-root logon unsupported). Each lists the key
/// pair `kp-1`.
fn request_worlds() -> Vec<OneDisk> {
    let image = |alias| {
        (
            DiskSource::Image {
                image_id: "m-1".into(),
                snapshot_id: None,
            },
            Some(Image {
                id: "m-1".into(),
                image_owner_alias: alias,
                ..Default::default()
            }),
            None,
        )
    };
    let stopped = |os_type, login_as_non_root| {
        (
            Some("i-1".to_owned()),
            Some(Instance {
                id: "i-1".into(),
                status: InstanceStatus::Stopped,
                os_type,
                login_as_non_root,
                ..Default::default()
            }),
        )
    };
    let linux = base(
        &image(ImageOwnerAlias::System),
        DiskCategory::CloudEssd,
        DiskStatus::InUse,
        &stopped(OsType::Linux, false),
        false,
    );
    let windows = base(
        &image(ImageOwnerAlias::SelfOwned),
        DiskCategory::CloudEssd,
        DiskStatus::InUse,
        &stopped(OsType::Windows, false),
        false,
    );
    let data = base(
        &(
            DiskSource::Snapshot {
                snapshot_id: "s-1".into(),
            },
            None,
            Some(Snapshot {
                id: "s-1".into(),
                creation_time: "2020-01-01T00:00:00Z".parse().unwrap(),
                ..Default::default()
            }),
        ),
        DiskCategory::CloudEssd,
        DiskStatus::InUse,
        &stopped(OsType::Linux, false),
        false,
    );
    let mut refused = base(
        &image(ImageOwnerAlias::System),
        DiskCategory::CloudEssd,
        DiskStatus::InUse,
        &stopped(OsType::Linux, true),
        false,
    );
    refused.account = Account::DEFAULT
        .with_in_volume_white_list(false)
        .with_region_supports_login_as_non_root(false);
    vec![linux, windows, data, refused]
}

/// Each special character the page allows, in a password of three kinds.
fn passwords_with_each_special() -> Vec<String> {
    "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/"
        .chars()
        .map(|c| format!("Abcdefg{c}"))
        .collect()
}

/// Passwords at every edge of the page's rule.
fn passwords() -> Vec<String> {
    let mut all: Vec<String> = [
        "Abcdef12",                        // 8, three kinds
        "Abcde12",                         // 7
        "Abcdefghijklmnopqrstuvwxyz1234",  // 30
        "Abcdefghijklmnopqrstuvwxyz12345", // 31
        "abcdefgh",                        // one kind
        "abcdef12",                        // two kinds
        "ABCDEF!!",                        // two kinds
        "abcdef1!",                        // three kinds, no upper case
        "ABCDEF1!",                        // three kinds, no lower case
        "Abcdefg!",                        // three kinds, no digit
        "Abc12!@#",                        // four kinds
        "/Abcdef12",                       // valid, starts with /
        "Abc def12",                       // a space
        "Abcdef12\"",                      // a double quote
        "Abcdef12\\",                      // a backslash
        "Abcdéf12",                        // not ASCII
        "Abcdef1\u{ff01}",                 // a full-width !
        "Abcdef1\t",                       // a tab
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ1234",  // 30, two kinds
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    all.extend(passwords_with_each_special());
    all
}

/// `AutoStartInstance` values at every edge.
const AUTO_STARTS: [&str; 12] = [
    "true", "false", "True", "FALSE", "tRuE", "yes", "1", "0", " true", "true ", "truee", "T",
];

/// Region ids at every edge.
fn region_ids() -> Vec<String> {
    let mut all: Vec<String> = [
        "cn-hangzhou",
        "ap-southeast-1",
        "a",
        "a1",
        "a-1",
        "1a",
        "-a",
        "a-",
        "cn--hangzhou",
        "Cn-hangzhou",
        "cn_hangzhou",
        "cn hangzhou",
        "cn-hangzhou\n",
        "cn-hängzhou",
        "z",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    all.push(format!("a{}", "b".repeat(63))); // 64
    all.push(format!("a{}", "b".repeat(64))); // 65
    all.push(format!("a{}1", "-".repeat(62))); // 64, hyphens inside
    all
}

/// Every request check, and the world checks that read parameters, over
/// the request worlds under `policy`: every Action, DiskId and strategy
/// with a few passwords, auto-starts, region ids and key pairs; then every
/// password, auto-start and region id with the rest valid.
fn request_slice(policy: &Policy) -> Tally {
    let expected = RefPolicy::of(policy);
    let mut tally = Tally::default();
    let worlds = request_worlds();
    let actions = [None, Some("ReInitDisk"), Some(""), Some("DescribeDisks")];
    let disk_ids = [None, Some(""), Some("d-1"), Some("d-404")];
    let strategies = [
        None,
        Some(""),
        Some("Active"),
        Some("Deactive"),
        Some("active"),
        Some("On"),
    ];
    let some_passwords = [
        None,
        Some(""),
        Some("Abcdef12"),
        Some("/Abcdef12"),
        Some("abc"),
    ];
    let some_auto_starts = [None, Some(""), Some("TRUE"), Some("false"), Some("yes")];
    let some_regions = [None, Some(""), Some("cn-hangzhou"), Some("CN")];
    for world in &worlds {
        for action in actions {
            for disk_id in disk_ids {
                for strategy in strategies {
                    for password in some_passwords {
                        for auto_start_instance in some_auto_starts {
                            for region_id in some_regions {
                                for key_pair_name in KEY_PAIRS {
                                    let request = Request {
                                        action,
                                        disk_id,
                                        security_enhancement_strategy: strategy,
                                        password,
                                        key_pair_name,
                                        auto_start_instance,
                                        region_id,
                                    };
                                    agree(world, &request, policy, &expected, &mut tally);
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    let passwords = passwords();
    let region_ids = region_ids();
    for world in &worlds {
        for password in &passwords {
            for auto_start in AUTO_STARTS {
                for region_id in &region_ids {
                    for key_pair_name in [None, Some("kp-1")] {
                        let request = Request {
                            password: Some(password),
                            key_pair_name,
                            auto_start_instance: Some(auto_start),
                            region_id: Some(region_id),
                            ..Request::new("d-1")
                        };
                        agree(world, &request, policy, &expected, &mut tally);
                    }
                }
            }
        }
    }
    tally
}

// ---------------------------------------------------------------------------
// The seed revision.

#[test]
fn the_default_policy_is_the_newest_revisions_documented_one() {
    assert_eq!(
        RefPolicy::of(&Policy::default()),
        RefPolicy::documented_default()
    );
    assert_eq!(
        RefPolicy::documented_default(),
        RefPolicy::documented_default_of("2025-02-27")
    );
    assert_eq!(
        RefPolicy::of(&Policy::new(&SEED)),
        RefPolicy::documented_default_of("seed")
    );
}

#[test]
fn the_seed_revision_agrees_with_the_reference_on_every_combination_under_its_default_policy() {
    let domain = Domain::full(disk_locks());
    let tally = sweep(
        &domain,
        &Policy::new(&reinit_disk::revision::SEED),
        &RefPolicy::documented_default_of("seed"),
    );
    // 25 sources (3 bare, 8 images, 7 creation times x 2 snapshots) x 13
    // categories x 6 statuses x 3 disk lock sets x 322 attachments x 2 x 3
    // strategies.
    assert_eq!(tally.count, 25 * 13 * 6 * 3 * 322 * 2 * 3);
    assert_eq!(tally.count, domain.size());
    // Every world code the default policy can give is given somewhere.
    let expected: BTreeSet<Code> = [
        Code::DiskCategoryOperationNotSupported,
        Code::InstanceLockedForSecurity,
        Code::InstanceExpiredOrInArrears,
        Code::IncorrectDiskStatus,
        Code::IncorrectInstanceStatus,
        Code::DiskCreatingSnapshot,
        Code::InvalidSourceSnapshot,
        Code::InvalidSnapshotTooOld,
        Code::SharedImageDeleted,
        Code::InvalidDiskIdOperationNotSupported,
        Code::InternalError,
    ]
    .into();
    assert_eq!(tally.codes(), expected);
}

#[test]
fn the_seed_revision_agrees_with_the_reference_on_every_combination_under_every_alternative_answer()
{
    let policy = every_knob_flipped(&SEED);
    let tally = sweep(
        &Domain::full(disk_locks()),
        &policy,
        &RefPolicy::of(&policy),
    );
    let codes = tally.codes();
    assert!(codes.contains(&Code::OperationDenied));
    assert!(codes.contains(&Code::InvalidImageIdNotFound));
    assert!(codes.contains(&Code::InvalidParameter));
    assert!(!codes.contains(&Code::InvalidSourceSnapshot));
    assert!(!codes.contains(&Code::InvalidDiskIdOperationNotSupported));
}

#[test]
fn the_seed_revision_agrees_with_the_reference_on_every_disk_lock_set_under_both_policies() {
    let domain = Domain::disk_lock_slice();
    // 7 sources x 2 categories x 6 statuses x 9 disk lock sets x 322
    // attachments x 2 x 3 strategies.
    assert_eq!(domain.size(), 7 * 2 * 6 * 9 * 322 * 2 * 3);
    for policy in both_policies(&SEED) {
        let tally = sweep(&domain, &policy, &RefPolicy::of(&policy));
        assert_eq!(tally.count, domain.size());
        assert!(tally.codes().contains(&Code::InstanceExpiredOrInArrears));
    }
}

/// The seed revision reads none of the 2025-02-27 facts and parameters:
/// over the disk-side, instance-side and request slices it says what the
/// reference says, which ignores them.
#[test]
fn the_seed_revision_ignores_the_new_facts_and_parameters_on_every_slice() {
    for policy in both_policies(&SEED) {
        let disk = disk_side_slice(&policy);
        let instance = instance_side_slice(&policy);
        let request = request_slice(&policy);
        for tally in [&disk, &instance, &request] {
            let seed_codes: BTreeSet<Code> = SEED.catalogue.iter().map(|e| e.code).collect();
            assert!(tally.codes().is_subset(&seed_codes), "{:?}", tally.codes());
        }
        assert_eq!(disk.count, 360 * 140 * 3);
        assert_eq!(instance.count, 360 * 128 * 4 * 4 * 3);
    }
}

#[test]
fn every_row_of_the_seed_catalogue_is_reachable() {
    let mut tally = Tally::default();
    for policy in both_policies(&SEED) {
        let t = sweep(&Domain::reduced(), &policy, &RefPolicy::of(&policy));
        tally.reached.extend(t.reached);
        let t = request_slice(&policy);
        tally.reached.extend(t.reached);
    }
    assert_eq!(rows_reached(&SEED, &tally), every_row(&SEED));
}

// ---------------------------------------------------------------------------
// The 2025-02-27 revision.

#[test]
fn the_2025_revisions_default_policy_is_its_documented_one() {
    assert_eq!(
        RefPolicy::of(&Policy::new(&V2025_02_27)),
        RefPolicy::documented_default_of("2025-02-27")
    );
    // The reference's boundaries are the revisions'.
    assert_eq!(
        SEED.too_old_before.unix_seconds(),
        reinit_disk_testkit::reference::TOO_OLD_BEFORE_UNIX
    );
    assert_eq!(
        V2025_02_27.too_old_before.unix_seconds(),
        TOO_OLD_BEFORE_UNIX_2025
    );
}

/// The facts the 2025-02-27 revision shares with the seed, every
/// combination of the seed's full sweep, the new facts at their defaults.
fn shared_facts_agree(policy: &Policy) -> Tally {
    let domain = Domain::full(disk_locks());
    let tally = sweep(&domain, policy, &RefPolicy::of(policy));
    assert_eq!(tally.count, domain.size());
    tally
}

#[test]
fn the_2025_revision_agrees_with_the_reference_on_every_combination_of_the_shared_facts_under_the_default_policy()
 {
    let tally = shared_facts_agree(&Policy::new(&V2025_02_27));
    // The seed's codes, and no new one: the new facts are at their defaults.
    let expected: BTreeSet<Code> = [
        Code::DiskCategoryOperationNotSupported,
        Code::InstanceLockedForSecurity,
        Code::InstanceExpiredOrInArrears,
        Code::IncorrectDiskStatus,
        Code::IncorrectInstanceStatus,
        Code::DiskCreatingSnapshot,
        Code::InvalidSourceSnapshot,
        Code::InvalidSnapshotTooOld,
        Code::SharedImageDeleted,
        Code::InvalidDiskIdOperationNotSupported,
        Code::InternalError,
    ]
    .into();
    assert_eq!(tally.codes(), expected);
}

#[test]
fn the_2025_revision_agrees_with_the_reference_on_every_combination_of_the_shared_facts_under_every_alternative_answer()
 {
    let tally = shared_facts_agree(&every_knob_flipped(&V2025_02_27));
    let codes = tally.codes();
    assert!(codes.contains(&Code::OperationDenied));
    assert!(codes.contains(&Code::InvalidImageIdNotFound));
    assert!(codes.contains(&Code::InvalidParameter));
}

#[test]
fn the_2025_revision_agrees_with_the_reference_on_every_disk_side_fact_in_every_base_situation() {
    for policy in both_policies(&V2025_02_27) {
        let tally = disk_side_slice(&policy);
        // 360 bases x (2 multi-attach x 14 encryptions x 5 snapshot sets) x
        // 3 strategies.
        assert_eq!(tally.count, 360 * 140 * 3);
        let codes = tally.codes();
        for code in [
            Code::InvalidOperationMultiAttachDisk,
            Code::DiskHasSnapshotsWithInstantAccessEnabledOperationNotSupported,
            Code::InvalidParameterKmsKeyIdCmkNotEnabled,
            Code::InvalidParameterKmsKeyIdKmsUnauthorized,
            Code::InvalidParameterKmsKeyIdCmkUnauthorized,
        ] {
            assert!(codes.contains(&code), "{code} never answered");
        }
    }
}

#[test]
fn the_2025_revision_agrees_with_the_reference_on_every_instance_side_fact_in_every_base_situation()
{
    for policy in both_policies(&V2025_02_27) {
        let tally = instance_side_slice(&policy);
        // 360 bases x 128 instance-side facts x 4 key pairs x 4 passwords x
        // 3 strategies.
        assert_eq!(tally.count, 360 * 128 * 4 * 4 * 3);
        let codes = tally.codes();
        for code in [
            Code::UserNotInTheWhiteList,
            Code::HibernationConfiguredInstanceOperationForbidden,
            Code::DependencyViolationIoOptimize,
            Code::InvalidKeyPairNameNotFound,
            Code::DependencyViolationWindowsInstance,
            Code::InvalidPasswordMalformed,
            Code::LoginAsNonRootRegionNotSupport,
            Code::LoginAsNonRootImageNotSupport,
            Code::InternalError,
        ] {
            assert!(codes.contains(&code), "{code} never answered");
        }
    }
}

#[test]
fn the_2025_revision_agrees_with_the_reference_on_every_request_parameter_at_its_edges() {
    for policy in both_policies(&V2025_02_27) {
        let tally = request_slice(&policy);
        // 4 worlds x (4 actions x 4 disk ids x 6 strategies x 5 passwords x 5
        // auto-starts x 4 region ids x 4 key pairs + 49 passwords x 12
        // auto-starts x 18 region ids x 2 key pairs).
        assert_eq!(
            tally.count,
            4 * (4 * 4 * 6 * 5 * 5 * 4 * 4 + 49 * 12 * 18 * 2)
        );
        for (code, check) in [
            (Code::InvalidActionNotFound, Check::Action),
            (Code::MissingParameter, Check::DiskIdGiven),
            (Code::InvalidParameter, Check::StrategyValue),
            (Code::InvalidPasswordMalformed, Check::PasswordValue),
            (Code::InvalidParameter, Check::AutoStartValue),
            (Code::InvalidRegionIdMalFormed, Check::RegionIdValue),
            (Code::InvalidPasswordMalformed, Check::WindowsPasswordValue),
        ] {
            assert!(
                tally.reached.contains(&(code, check)),
                "{code} from {check} never answered"
            );
        }
    }
}

#[test]
fn the_2025_revisions_invalid_parameter_names_the_parameter_it_refuses() {
    let world = &request_worlds()[1];
    let active =
        Request::new("d-1").with_strategy(reinit_disk::SecurityEnhancementStrategy::Active);
    for (policy, request, parameter) in [
        (
            Policy::new(&V2025_02_27),
            Request {
                auto_start_instance: Some("yes"),
                ..Request::new("d-1")
            },
            "AutoStartInstance",
        ),
        (
            Policy::new(&V2025_02_27),
            Request {
                security_enhancement_strategy: Some("On"),
                ..Request::new("d-1")
            },
            "SecurityEnhancementStrategy",
        ),
        // Active on the self-owned image, refused by the flipped policy.
        (
            every_knob_flipped(&V2025_02_27),
            active,
            "SecurityEnhancementStrategy",
        ),
    ] {
        let rejection = reinit_disk::evaluate(&request, world, &policy).unwrap_err();
        assert_eq!(rejection.code(), Code::InvalidParameter);
        assert_eq!(
            rejection.message(),
            format!("The specified parameter \"{parameter}\" is not valid.")
        );
    }
}

#[test]
fn every_row_of_the_2025_catalogue_is_reachable() {
    let mut tally = Tally::default();
    for policy in both_policies(&V2025_02_27) {
        for t in [
            sweep(&Domain::reduced(), &policy, &RefPolicy::of(&policy)),
            disk_side_slice(&policy),
            instance_side_slice(&policy),
            request_slice(&policy),
        ] {
            tally.reached.extend(t.reached);
        }
    }
    assert_eq!(rows_reached(&V2025_02_27, &tally), every_row(&V2025_02_27));
}

/// The analysis's space of `policy` (src/analysis/: every fact at the
/// values the checks declare they tell apart), decided region by region;
/// each region's witness and `samples` random points of it held against
/// the reference. Returns the rows reached.
fn analysis_space_agrees(policy: &Policy, samples: usize) -> Tally {
    let space = Space::new(&[*policy]);
    let expected = RefPolicy::of(policy);
    let mut tally = Tally::default();
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut below = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let check = |point: &[u8], tally: &mut Tally| {
        let witness = space.witness(point);
        let request = witness.request();
        let want = reference(&request, &witness, &expected);
        let got = observed(&request, &witness, policy);
        assert_eq!(got, want, "{policy:?}\n{witness:#?}");
        if let Expected::Reject { code, check } = want {
            tally.reached.insert((code, check));
        }
        tally.count += 1;
    };
    space.explore(&[*policy], |leaf| {
        check(&leaf.point, &mut tally);
        for _ in 0..samples {
            let mut point = leaf.point.clone();
            for (axis, a) in space.axes().iter().enumerate() {
                if !leaf.fixed[axis] {
                    point[axis] = below(a.classes.len()) as u8;
                }
            }
            check(&point, &mut tally);
        }
    });
    tally
}

#[test]
fn every_region_of_each_revisions_analysis_space_agrees_with_the_reference_and_reaches_every_row() {
    for revision in [&SEED, &V2025_02_27] {
        let mut rows = BTreeSet::new();
        for policy in both_policies(revision) {
            let tally = analysis_space_agrees(&policy, 4);
            rows.extend(rows_reached(revision, &tally));
        }
        // Every row but the InternalError of a world the analysis does
        // not build (a disk naming an instance the world lacks).
        let missing: Vec<_> = every_row(revision)
            .difference(&rows)
            .map(|(code, _)| *code)
            .collect();
        assert!(
            missing.iter().all(|c| *c == Code::InternalError),
            "{revision}: {missing:?}"
        );
    }
}
