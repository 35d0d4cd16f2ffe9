//! The exhaustive test: every combination of the finite part of the domain
//! (disk type and source state, category, disk status, attachment, instance
//! status, started flag, lock set, snapshot in progress, strategy), held
//! against the plain reference model in tests/common/reference.rs, under the
//! default policy and under a policy that flips every knob.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::BTreeSet;

use common::reference::{Expected, RefPolicy, observed, reference};
use reinit_disk::checks::WORLD_CHECKS;
use reinit_disk::model::{
    CategorySet, CreationTime, Disk, DiskCategory, DiskSource, DiskStatus, Image, ImageOwnerAlias,
    Instance, InstanceStatus, LockReason, LockSet, Snapshot,
};
use reinit_disk::policy::{
    ActiveOnNonPublicImage, CheckOrder, DeletedSnapshotCode, UnsupportedCategories,
};
use reinit_disk::{Code, Policy, Request, Revision, World};
use strum::VariantArray;

/// A world of one disk and what it names: the cheapest world to rebuild.
struct OneDisk {
    disk: Disk,
    instance: Option<Instance>,
    image: Option<Image>,
    snapshot: Option<Snapshot>,
}

impl World for OneDisk {
    fn disk(&self, id: &str) -> Option<&Disk> {
        (self.disk.id == id).then_some(&self.disk)
    }
    fn instance(&self, id: &str) -> Option<&Instance> {
        self.instance.as_ref().filter(|i| i.id == id)
    }
    fn image(&self, id: &str) -> Option<&Image> {
        self.image.as_ref().filter(|i| i.id == id)
    }
    fn snapshot(&self, id: &str) -> Option<&Snapshot> {
        self.snapshot.as_ref().filter(|s| s.id == id)
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
            for mask in 0u8..(1 << LockReason::VARIANTS.len()) {
                let operation_locks: LockSet = LockReason::VARIANTS
                    .iter()
                    .enumerate()
                    .filter(|(bit, _)| mask & (1 << bit) != 0)
                    .map(|(_, r)| *r)
                    .collect();
                let i = Instance {
                    id: "i-1".into(),
                    status: *status,
                    has_started,
                    operation_locks,
                };
                all.push((Some("i-1".to_owned()), Some(i)));
            }
        }
    }
    all
}

/// Runs every combination through `evaluate` under `policy` and through the
/// reference under `expected`; returns how many ran and the codes seen.
fn sweep(policy: &Policy, expected: &RefPolicy) -> (usize, BTreeSet<Code>) {
    let strategies = [None, Some("Active"), Some("Deactive")];
    let attachments = attachments();
    let mut count = 0;
    let mut codes = BTreeSet::new();
    for (source, image, snapshot) in sources() {
        for category in DiskCategory::VARIANTS {
            for status in DiskStatus::VARIANTS {
                for (instance_id, instance) in &attachments {
                    for creating_snapshot in [false, true] {
                        let world = OneDisk {
                            disk: Disk {
                                id: "d-1".into(),
                                category: *category,
                                status: *status,
                                instance_id: instance_id.clone(),
                                source: source.clone(),
                                creating_snapshot,
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
    let (count, codes) = sweep(&Policy::default(), &RefPolicy::documented_default());
    // 19 sources x 13 categories x 6 statuses x 322 attachments x 2 x 3 strategies.
    assert_eq!(count, 19 * 13 * 6 * 322 * 2 * 3);
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
    let mut reversed = WORLD_CHECKS;
    reversed.reverse();
    let policy = Policy {
        catalogue: Revision::Seed,
        order: CheckOrder::new(&reversed).unwrap(),
        deleted_snapshot_code: DeletedSnapshotCode::OperationDenied,
        unsupported_categories: UnsupportedCategories(CategorySet::of(&[
            DiskCategory::Cloud,
            DiskCategory::CloudAuto,
        ])),
        active_on_non_public_image: ActiveOnNonPublicImage::Reject,
    };
    let (_, codes) = sweep(&policy, &RefPolicy::of(&policy));
    assert!(codes.contains(&Code::OperationDenied));
    assert!(codes.contains(&Code::InvalidParameter));
    assert!(!codes.contains(&Code::InvalidSourceSnapshot));
}

#[test]
fn every_code_in_the_catalogue_is_reachable() {
    let mut seen: BTreeSet<Code> = BTreeSet::new();
    for policy in [
        Policy::default(),
        Policy {
            deleted_snapshot_code: DeletedSnapshotCode::OperationDenied,
            ..Policy::default()
        },
    ] {
        seen.extend(sweep(&policy, &RefPolicy::of(&policy)).1);
    }
    let world = OneDisk {
        disk: Disk {
            id: "d-1".into(),
            category: DiskCategory::Cloud,
            status: DiskStatus::Available,
            instance_id: None,
            source: DiskSource::Empty,
            creating_snapshot: false,
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
    let all: BTreeSet<Code> = Revision::Seed.rows().iter().map(|e| e.code).collect();
    assert_eq!(seen, all);
}
