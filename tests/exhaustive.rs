//! The exhaustive test: every combination of the finite part of the domain
//! (disk type and source state, category, disk status, the disk's own locks,
//! attachment, instance status, started flag, the instance's lock set,
//! snapshot in progress, strategy), held against the plain reference model in
//! tests/common/reference.rs, under the default policy and under a policy
//! that flips every knob.
//!
//! The disk's own locks are swept in two parts, to keep the run near
//! fifteen seconds on a two-core machine: the full sweep takes three of them
//! (none, `security`, `financial`; about 8.6 million requests per policy),
//! and a separate slice takes nine (each reason alone, mixed sets, all five)
//! against every status and attachment but only seven sources and two
//! categories (about 1.5 million per policy).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeSet;

use common::reference::{Expected, RefPolicy, observed, reference};
use reinit_disk::answers::{
    ActiveOnNonPublicImage, Answers, DeletedSnapshotCode, UnsupportedCategories,
};
use reinit_disk::model::{
    CategorySet, CreationTime, Disk, DiskCategory, DiskSource, DiskStatus, DiskView, Image,
    ImageOwnerAlias, ImageView, Instance, InstanceStatus, InstanceView, LockReason, LockSet,
    Snapshot, SnapshotView,
};
use reinit_disk::revision::{SEED, seed::WORLD_CHECKS};
use reinit_disk::{Code, Policy, Request, World};
use strum::VariantArray;

/// A world of one disk and what it names: the cheapest world to rebuild.
struct OneDisk {
    disk: Disk,
    instance: Option<Instance>,
    image: Option<Image>,
    snapshot: Option<Snapshot>,
}

impl World for OneDisk {
    fn disk(&self, id: &str) -> Option<DiskView<'_>> {
        (self.disk.id == id).then(|| self.disk.view())
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
            .as_ref()
            .filter(|s| s.id == id)
            .map(Snapshot::view)
    }
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
    // Just before, at, and after the cut-off; in both minute and second forms.
    for time in [
        "2013-07-15T23:59Z",
        "2013-07-16T00:00:00Z",
        "2012-01-01T00:00:00Z",
        "2020-01-01T00:00:00Z",
    ] {
        for deleted in [false, true] {
            let s = Snapshot {
                id: "s-1".into(),
                creation_time: time.parse::<CreationTime>().unwrap(),
                deleted,
                ..Default::default()
            };
            all.push((from_snapshot.clone(), None, Some(s)));
        }
    }
    all
}

/// Every attachment: none, to an instance the world lacks, and to an
/// instance in every status, started or not, with every set of locks.
fn attachments() -> Vec<(Option<String>, Option<Instance>)> {
    let mut all = vec![(None, None), (Some("i-1".to_owned()), None)];
    for status in InstanceStatus::VARIANTS {
        for has_started in [false, true] {
            for operation_locks in every_lock_set() {
                let i = Instance {
                    id: "i-1".into(),
                    status: *status,
                    has_started,
                    operation_locks,
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
            attachments: attachments(),
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
                s.creation_time.unix_seconds() >= common::reference::TOO_OLD_BEFORE_UNIX
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
            attachments: attachments(),
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

/// Runs every combination of `domain` through `evaluate` under `policy` and
/// through the reference under `expected`; returns how many ran and the codes
/// seen.
fn sweep(domain: &Domain, policy: &Policy, expected: &RefPolicy) -> (usize, BTreeSet<Code>) {
    let strategies = [None, Some("Active"), Some("Deactive")];
    let mut count = 0;
    let mut codes = BTreeSet::new();
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
                            };
                            for strategy in strategies {
                                let request = Request {
                                    action: Some("ReInitDisk"),
                                    disk_id: Some("d-1"),
                                    security_enhancement_strategy: strategy,
                                    ..Default::default()
                                };
                                let expected = reference(&request, &world, expected);
                                let got = observed(&request, &world, policy);
                                assert_eq!(
                                    got, expected,
                                    "policy {policy:?}\nrequest {request:?}\ndisk {:?}\ninstance {:?}\nimage {:?}\nsnapshot {:?}",
                                    world.disk, world.instance, world.image, world.snapshot
                                );
                                if let Expected::Reject { code, .. } = expected {
                                    codes.insert(code);
                                }
                                count += 1;
                            }
                        }
                    }
                }
            }
        }
    }
    (count, codes)
}

#[test]
fn the_default_policy_is_the_documented_one() {
    assert_eq!(
        RefPolicy::of(&Policy::default()),
        RefPolicy::documented_default()
    );
}

#[test]
fn every_combination_agrees_with_the_reference_under_the_default_policy() {
    let domain = Domain::full(disk_locks());
    let (count, codes) = sweep(
        &domain,
        &Policy::default(),
        &RefPolicy::documented_default(),
    );
    // 19 sources x 13 categories x 6 statuses x 3 disk lock sets x 322
    // attachments x 2 x 3 strategies.
    assert_eq!(count, 19 * 13 * 6 * 3 * 322 * 2 * 3);
    assert_eq!(count, domain.size());
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
    assert_eq!(codes, expected);
}

#[test]
fn every_combination_agrees_with_the_reference_under_every_alternative_answer() {
    let policy = every_knob_flipped();
    let (_, codes) = sweep(
        &Domain::full(disk_locks()),
        &policy,
        &RefPolicy::of(&policy),
    );
    assert!(codes.contains(&Code::OperationDenied));
    assert!(codes.contains(&Code::InvalidParameter));
    assert!(!codes.contains(&Code::InvalidSourceSnapshot));
}

#[test]
fn every_disk_lock_set_agrees_with_the_reference_under_both_policies() {
    let domain = Domain::disk_lock_slice();
    // 7 sources x 2 categories x 6 statuses x 9 disk lock sets x 322
    // attachments x 2 x 3 strategies.
    assert_eq!(domain.size(), 7 * 2 * 6 * 9 * 322 * 2 * 3);
    for policy in [Policy::default(), every_knob_flipped()] {
        let (count, codes) = sweep(&domain, &policy, &RefPolicy::of(&policy));
        assert_eq!(count, domain.size());
        assert!(codes.contains(&Code::InstanceExpiredOrInArrears));
    }
}

#[test]
fn every_code_in_the_catalogue_is_reachable() {
    let mut seen: BTreeSet<Code> = BTreeSet::new();
    for policy in [
        Policy::default(),
        Policy::default().with_answers(Answers {
            deleted_snapshot_code: DeletedSnapshotCode::OperationDenied,
            ..Answers::default()
        }),
    ] {
        let domain = Domain::full(vec![LockSet::EMPTY]);
        seen.extend(sweep(&domain, &policy, &RefPolicy::of(&policy)).1);
    }
    let world = OneDisk {
        disk: Disk {
            id: "d-1".into(),
            category: DiskCategory::Cloud,
            status: DiskStatus::Available,
            instance_id: None,
            source: DiskSource::Empty,
            creating_snapshot: false,
            operation_locks: LockSet::EMPTY,
            ..Default::default()
        },
        instance: None,
        image: None,
        snapshot: None,
    };
    let requests = [
        Request {
            action: Some("DescribeDisks"),
            ..Request::new("d-1")
        },
        Request {
            disk_id: None,
            ..Request::new("d-1")
        },
        Request {
            security_enhancement_strategy: Some("On"),
            ..Request::new("d-1")
        },
        Request::new("d-404"),
    ];
    for request in requests {
        seen.insert(
            reinit_disk::evaluate(&request, &world, &Policy::default())
                .unwrap_err()
                .code(),
        );
    }
    let all: BTreeSet<Code> = SEED.catalogue.iter().map(|e| e.code).collect();
    assert_eq!(seen, all);
}

/// The seed revision's world checks reversed, and every answer its
/// alternative.
fn every_knob_flipped() -> Policy {
    let mut reversed = WORLD_CHECKS;
    reversed.reverse();
    Policy::default()
        .with_answers(Answers {
            deleted_snapshot_code: DeletedSnapshotCode::OperationDenied,
            unsupported_categories: UnsupportedCategories(CategorySet::of(&[
                DiskCategory::Cloud,
                DiskCategory::CloudAuto,
            ])),
            active_on_non_public_image: ActiveOnNonPublicImage::Reject,
            ..Default::default()
        })
        .with_order(&reversed)
        .unwrap()
}
