//! Shared by the fuzz targets: small structured worlds, requests and policies
//! built from the fuzzer's bytes, and the properties every decision must have.
//!
//! Ids come mostly from small pools (`d-0`..`d-3`, `i-0`..`i-2`, ...) so that
//! a disk's instance, image and snapshot are usually found, and sometimes not.
//! The reference model is the one the ordinary tests use (the workspace's
//! test kit, testkit/src/reference.rs).

#![allow(clippy::missing_panics_doc)]

pub use reinit_disk_testkit::reference;

use arbitrary::{Arbitrary, Result, Unstructured};
use reinit_disk::answers::ActiveOnNonPublicImage;
use reinit_disk::model::{
    Account, CreationTime, Disk, DiskSource, DiskStatus, Image, ImageOwnerAlias, Instance,
    InstanceStatus, KeyPair, KmsKey, LockReason, LockSet, MultiAttach, OsType, Snapshot, Source,
};
use reinit_disk::scenario::Scenario;
use reinit_disk::{
    InMemoryWorld, Policy, Rejection, Request, SecurityEnhancementStrategy, Step, Target, Verdict,
    World, evaluate, evaluate_traced, revision,
};

use reference::{RefPolicy, observed, reference};

/// The disk ids most disks and requests use.
pub const DISK_IDS: [&str; 4] = ["d-0", "d-1", "d-2", "d-3"];
/// The instance ids most disks name.
pub const INSTANCE_IDS: [&str; 3] = ["i-0", "i-1", "i-2"];
/// The image ids most system disks name.
pub const IMAGE_IDS: [&str; 3] = ["m-0", "m-1", "m-2"];
/// The snapshot ids most data disks name.
pub const SNAPSHOT_IDS: [&str; 3] = ["s-0", "s-1", "s-2"];
/// The KMS key ids encrypted disks name.
pub const KMS_KEY_IDS: [&str; 3] = ["k-0", "k-1", "k-2"];
/// The key pair names requests name.
pub const KEY_PAIR_NAMES: [&str; 3] = ["kp-0", "kp-1", "kp-2"];

/// An id from `pool`, or once in a while any string.
pub fn id(u: &mut Unstructured<'_>, pool: &[&str]) -> Result<String> {
    if u.ratio(1, 16)? {
        String::arbitrary(u)
    } else {
        Ok((*u.choose(pool)?).to_owned())
    }
}

fn maybe<T>(
    u: &mut Unstructured<'_>,
    num: u8,
    den: u8,
    f: impl FnOnce(&mut Unstructured<'_>) -> Result<T>,
) -> Result<Option<T>> {
    if u.ratio(num, den)? {
        f(u).map(Some)
    } else {
        Ok(None)
    }
}

/// A disk, biased towards the shapes that get far through the checks; one
/// time in four with locks of its own (a financial one refuses the re-init
/// as its instance's does; a security one is not the disk's to answer).
pub fn disk(u: &mut Unstructured<'_>) -> Result<Disk> {
    let disk_id = id(u, &DISK_IDS)?;
    let category = u.arbitrary()?;
    let status = if u.ratio(1, 2)? {
        DiskStatus::InUse
    } else {
        u.arbitrary()?
    };
    let instance_id = maybe(u, 7, 8, |u| id(u, &INSTANCE_IDS))?;
    let source = match u.int_in_range(0..=2u8)? {
        0 => DiskSource::Image {
            image_id: id(u, &IMAGE_IDS)?,
            snapshot_id: maybe(u, 1, 4, |u| id(u, &SNAPSHOT_IDS))?,
        },
        1 => DiskSource::Snapshot {
            snapshot_id: id(u, &SNAPSHOT_IDS)?,
        },
        _ => DiskSource::Empty,
    };
    Ok(Disk {
        id: disk_id,
        category,
        status,
        instance_id,
        source,
        creating_snapshot: u.ratio(1, 8)?,
        operation_locks: if u.ratio(3, 4)? {
            LockSet::EMPTY
        } else {
            u.arbitrary()?
        },
        // The 2025-02-27 revision's facts: usually at their defaults.
        multi_attach: if u.ratio(1, 8)? {
            MultiAttach::Enabled
        } else {
            MultiAttach::Disabled
        },
        kms_key_id: maybe(u, 1, 4, |u| id(u, &KMS_KEY_IDS))?,
    })
}

/// An instance, usually stopped, started once and unlocked.
pub fn instance(u: &mut Unstructured<'_>) -> Result<Instance> {
    Ok(Instance {
        id: id(u, &INSTANCE_IDS)?,
        status: if u.ratio(1, 2)? {
            InstanceStatus::Stopped
        } else {
            u.arbitrary()?
        },
        has_started: !u.ratio(1, 8)?,
        operation_locks: if u.ratio(2, 3)? {
            LockSet::EMPTY
        } else {
            u.arbitrary()?
        },
        os_type: if u.ratio(1, 4)? {
            OsType::Windows
        } else {
            OsType::Linux
        },
        hibernation_configured: u.ratio(1, 8)?,
        login_as_non_root: u.ratio(1, 4)?,
        io_optimized: !u.ratio(1, 8)?,
        stopped_mode: None,
    })
}

/// An image, deleted one time in four.
pub fn image(u: &mut Unstructured<'_>) -> Result<Image> {
    Ok(Image {
        id: id(u, &IMAGE_IDS)?,
        image_owner_alias: u.arbitrary()?,
        deleted: u.ratio(1, 4)?,
        login_as_non_root_supported: !u.ratio(1, 4)?,
    })
}

/// A snapshot, deleted one time in four, made around the 2013 cut-off one
/// time in four, at either end of the representable range one time in
/// about eleven.
pub fn snapshot(u: &mut Unstructured<'_>) -> Result<Snapshot> {
    let creation_time = if u.ratio(1, 4)? {
        // At the 2013-07-16T00:00:00Z cut-off, a second either side, or
        // within two days of it.
        let offset = if u.ratio(1, 2)? {
            *u.choose(&[-1i64, 0, 1])?
        } else {
            u.int_in_range(-172_800i64..=172_800)?
        };
        let at = reference::TOO_OLD_BEFORE_UNIX + offset;
        CreationTime::from_unix_seconds(at).ok_or(arbitrary::Error::IncorrectFormat)?
    } else if u.ratio(1, 8)? {
        // The ends of the representable range (issue 9).
        *u.choose(&[CreationTime::MIN, CreationTime::MAX])?
    } else {
        u.arbitrary()?
    };
    Ok(Snapshot {
        id: id(u, &SNAPSHOT_IDS)?,
        creation_time,
        deleted: u.ratio(1, 4)?,
        source_disk_id: maybe(u, 1, 2, |u| id(u, &DISK_IDS))?,
        instant_access: u.ratio(1, 4)?,
    })
}

/// A KMS key, usually usable.
pub fn kms_key(u: &mut Unstructured<'_>) -> Result<KmsKey> {
    Ok(KmsKey {
        id: id(u, &KMS_KEY_IDS)?,
        key_state: if u.ratio(2, 3)? {
            reinit_disk::model::KeyState::Enabled
        } else {
            u.arbitrary()?
        },
        ecs_authorized: !u.ratio(1, 6)?,
        ecs_tagged: !u.ratio(1, 6)?,
    })
}

/// A key pair of the pool.
pub fn key_pair(u: &mut Unstructured<'_>) -> Result<KeyPair> {
    Ok(KeyPair {
        name: id(u, &KEY_PAIR_NAMES)?,
    })
}

/// The resources of a world, each id once (a repeated id is dropped, as
/// `InMemoryWorld` refuses it). Doubles as a second `World` implementation
/// (a scenario, with linear lookups).
pub fn world(u: &mut Unstructured<'_>) -> Result<Scenario> {
    Ok(Scenario {
        disks: unique(u, 4, disk, |d| &d.id)?,
        instances: unique(u, 3, instance, |i| &i.id)?,
        images: unique(u, 3, image, |i| &i.id)?,
        snapshots: unique(u, 3, snapshot, |s| &s.id)?,
        key_pairs: unique(u, 2, key_pair, |k| &k.name)?,
        kms_keys: unique(u, 3, kms_key, |k| &k.id)?,
        account: Account::DEFAULT
            .with_in_volume_white_list(!u.ratio(1, 8)?)
            .with_region_supports_login_as_non_root(!u.ratio(1, 4)?),
        ..Scenario::default()
    })
}

/// Up to `most` resources made by `make`, a repeated id dropped.
fn unique<T>(
    u: &mut Unstructured<'_>,
    most: u8,
    make: fn(&mut Unstructured<'_>) -> Result<T>,
    id: fn(&T) -> &String,
) -> Result<Vec<T>> {
    let mut all: Vec<T> = Vec::new();
    for _ in 0..u.int_in_range(0..=most)? {
        let item = make(u)?;
        if all.iter().all(|x| id(x) != id(&item)) {
            all.push(item);
        }
    }
    Ok(all)
}

/// The same resources in an `InMemoryWorld`.
pub fn in_memory(s: &Scenario) -> InMemoryWorld {
    let mut w = InMemoryWorld::new();
    for d in &s.disks {
        w.insert_disk(d.clone()).expect("ids are unique");
    }
    for i in &s.instances {
        w.insert_instance(i.clone()).expect("ids are unique");
    }
    for i in &s.images {
        w.insert_image(i.clone()).expect("ids are unique");
    }
    for sn in &s.snapshots {
        w.insert_snapshot(sn.clone()).expect("ids are unique");
    }
    for k in &s.key_pairs {
        w.insert_key_pair(k.clone()).expect("names are unique");
    }
    for k in &s.kms_keys {
        w.insert_kms_key(k.clone()).expect("ids are unique");
    }
    w.set_account(s.account);
    w
}

/// The raw parameters of a request, owned (a [`Request`] borrows them).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    /// `Action`.
    pub action: Option<String>,
    /// `DiskId`.
    pub disk_id: Option<String>,
    /// `SecurityEnhancementStrategy`.
    pub strategy: Option<String>,
    /// `Password`.
    pub password: Option<String>,
    /// `KeyPairName`.
    pub key_pair_name: Option<String>,
    /// `AutoStartInstance`.
    pub auto_start_instance: Option<String>,
    /// `RegionId`.
    pub region_id: Option<String>,
}

impl Params {
    /// The request.
    pub fn request(&self) -> Request<'_> {
        Request {
            action: self.action.as_deref(),
            disk_id: self.disk_id.as_deref(),
            security_enhancement_strategy: self.strategy.as_deref(),
            password: self.password.as_deref(),
            key_pair_name: self.key_pair_name.as_deref(),
            auto_start_instance: self.auto_start_instance.as_deref(),
            region_id: self.region_id.as_deref(),
        }
    }
}

/// Request parameters: mostly well-formed, naming a disk of the pool.
pub fn params(u: &mut Unstructured<'_>) -> Result<Params> {
    let action = match u.int_in_range(0..=7u8)? {
        0 => None,
        1 => Some(String::arbitrary(u)?),
        2 => Some("reinitdisk".to_owned()),
        _ => Some("ReInitDisk".to_owned()),
    };
    let disk_id = match u.int_in_range(0..=15u8)? {
        0 => None,
        1 => Some(String::new()),
        _ => Some(id(u, &DISK_IDS)?),
    };
    let strategy = match u.int_in_range(0..=7u8)? {
        0 => Some(String::arbitrary(u)?),
        1 => Some(String::new()),
        2 => Some("active".to_owned()),
        3 | 4 => Some("Active".to_owned()),
        5 => Some("Deactive".to_owned()),
        _ => None,
    };
    // The 2025-02-27 revision's parameters: usually absent or well formed.
    let password = match u.int_in_range(0..=7u8)? {
        0 => Some(String::arbitrary(u)?),
        1 => Some("Passw0rd!".to_owned()),
        2 => Some("/Passw0rd!".to_owned()),
        3 => Some("short".to_owned()),
        _ => None,
    };
    let key_pair_name = match u.int_in_range(0..=7u8)? {
        0 => Some(String::arbitrary(u)?),
        1 | 2 => Some(id(u, &KEY_PAIR_NAMES)?),
        _ => None,
    };
    let auto_start_instance = match u.int_in_range(0..=7u8)? {
        0 => Some(String::arbitrary(u)?),
        1 => Some("true".to_owned()),
        2 => Some("True".to_owned()),
        3 => Some("false".to_owned()),
        _ => None,
    };
    let region_id = match u.int_in_range(0..=7u8)? {
        0 => Some(String::arbitrary(u)?),
        1 | 2 => Some("cn-hangzhou".to_owned()),
        _ => None,
    };
    Ok(Params {
        action,
        disk_id,
        strategy,
        password,
        key_pair_name,
        auto_start_instance,
        region_id,
    })
}

/// A policy of any revision (`revision::ALL`): its defaults one time in
/// four, else any (a shuffled order, any category set, either
/// deleted-snapshot code, either hardening answer).
pub fn policy(u: &mut Unstructured<'_>) -> Result<Policy> {
    if u.ratio(1, 4)? {
        Ok(Policy::new(u.choose(revision::ALL)?))
    } else {
        u.arbitrary()
    }
}

/// Every property of one decision. Panics (a fuzz crash) on the first that
/// does not hold.
pub fn check_decision<W: World + ?Sized>(request: &Request<'_>, world: &W, policy: &Policy) {
    // The defaults are the documented ones (caught here if src/ changes them).
    assert_eq!(
        RefPolicy::of(&Policy::default()),
        RefPolicy::documented_default()
    );

    let first = evaluate(request, world, policy);

    // Deterministic.
    assert_eq!(first, evaluate(request, world, policy), "evaluate twice");

    // Agrees with the reference model.
    let expected = reference(request, world, &RefPolicy::of(policy));
    assert_eq!(
        observed(request, world, policy),
        expected,
        "evaluate disagrees with the reference model on {request:?} under {policy:?}"
    );

    // The trace runs the request checks, then the policy's order, and stops
    // at the deciding check.
    let mut steps: Vec<(reinit_disk::Check, Verdict)> = Vec::new();
    let traced = evaluate_traced(request, world, policy, |s: Step<'_>| {
        // Every step can say what it read (explain prints this).
        assert!(!s.describe().to_string().is_empty());
        steps.push((s.check, s.verdict));
    });
    assert_eq!(traced, first, "evaluate_traced and evaluate differ");
    let order: Vec<_> = policy
        .revision()
        .request_checks
        .iter()
        .chain(policy.order())
        .copied()
        .collect();
    assert!(steps.len() <= order.len());
    for ((check, _), expected) in steps.iter().zip(&order) {
        assert_eq!(check, expected, "checks ran out of the policy's order");
    }
    let ((last_check, last_verdict), before) =
        steps.split_last().expect("the request checks always run");
    assert!(
        before.iter().all(|(_, v)| !matches!(v, Verdict::Fail(_))),
        "a check failed without deciding: {steps:?}"
    );

    match first {
        Ok(target) => {
            assert_eq!(steps.len(), order.len(), "accepted before every check ran");
            assert!(!matches!(last_verdict, Verdict::Fail(_)));
            accepted_satisfies_every_precondition(request, world, policy, &target);
        }
        Err(rejection) => {
            assert_eq!(*last_check, rejection.check());
            assert_eq!(*last_verdict, Verdict::Fail(rejection.code()));
            rejection_is_from_the_catalogue(&rejection, policy);
        }
    }
}

/// The rejection's code, message and status are its catalogue row (for a
/// code with a row per parameter, the row of the deciding check's
/// parameter), and its check is one that answers with that code.
fn rejection_is_from_the_catalogue(rejection: &Rejection, policy: &Policy) {
    let entry = policy
        .revision()
        .entry_for(rejection.code(), rejection.check())
        .expect("every code the checks give is in the revision's catalogue");
    assert_eq!(rejection.entry(), entry);
    assert_eq!(rejection.message(), entry.message);
    assert_eq!(rejection.http_status(), entry.http_status);
    assert!(
        rejection.check().codes().contains(&rejection.code()),
        "{} answered {}, not one of its codes",
        rejection.check(),
        rejection.code()
    );
}

/// An accepted request satisfies every precondition of the rules, restated
/// here one by one against the world.
pub fn accepted_satisfies_every_precondition<W: World + ?Sized>(
    request: &Request<'_>,
    world: &W,
    policy: &Policy,
    target: &Target<'_>,
) {
    assert!(request.action.is_none_or(|a| a == "ReInitDisk"));
    // The revision's boundary and default strategy, as the reference states
    // them.
    let revision = reference::ref_revision(policy.revision().name);
    let strategy = match request.security_enhancement_strategy {
        None | Some("") => None,
        Some("Active") => Some(SecurityEnhancementStrategy::Active),
        Some("Deactive") => Some(SecurityEnhancementStrategy::Deactive),
        Some(other) => panic!("accepted an invalid strategy {other:?}"),
    };
    let disk_id = request.disk_id.expect("accepted without a DiskId");
    assert_eq!(target.disk_id, disk_id);
    let disk = world
        .disk(disk_id)
        .expect("accepted a disk that does not exist");
    assert!(
        !policy
            .answers
            .unsupported_categories
            .contains(disk.category)
    );
    assert_eq!(disk.status, DiskStatus::InUse, "accepted a disk not In_use");
    assert!(!disk.creating_snapshot, "accepted during a snapshot");
    assert!(
        disk.operation_locks
            .iter()
            .all(|reason| reason == LockReason::Security),
        "accepted a disk with its own financial lock"
    );
    let instance_id = disk.instance_id.expect("accepted a detached disk");
    assert_eq!(target.instance_id, instance_id);
    let instance = world
        .instance(instance_id)
        .expect("accepted with a dangling instance");
    assert!(
        instance.operation_locks.is_empty(),
        "accepted a locked instance of an In_use disk"
    );
    assert_eq!(instance.status, InstanceStatus::Stopped);
    assert!(instance.has_started, "accepted a never-started instance");
    assert_eq!(target.reset_to, disk.source, "reset to another source");
    match disk.source {
        Source::Image(image_id) => {
            let image = world.image(image_id).expect("accepted without its image");
            assert!(!image.deleted, "accepted with a deleted image");
            let public = image.image_owner_alias == ImageOwnerAlias::System;
            let active = strategy == Some(SecurityEnhancementStrategy::Active);
            if active && !public {
                assert_eq!(
                    policy.answers.active_on_non_public_image,
                    ActiveOnNonPublicImage::Ignore
                );
                assert_eq!(target.security_enhancement, None);
            } else {
                assert_eq!(
                    target.security_enhancement,
                    strategy.or(revision.default_strategy)
                );
            }
        }
        Source::Snapshot(snapshot_id) => {
            let snapshot = world
                .snapshot(snapshot_id)
                .expect("accepted without its snapshot");
            assert!(!snapshot.deleted, "accepted with a deleted snapshot");
            assert!(
                snapshot.creation_time.unix_seconds() >= revision.too_old_before_unix,
                "accepted a snapshot made before the revision's too-old boundary"
            );
            assert_eq!(target.security_enhancement, None);
        }
        Source::Empty => {
            assert_eq!(target.security_enhancement, None);
        }
    }
    // The transition an emulator applies: ReIniting, then In_use again.
    let transition = target.transition();
    assert_eq!(transition.disk_id, disk_id);
    assert_eq!(transition.instance_id, instance_id);
    assert_eq!(transition.disk_during(), DiskStatus::ReIniting);
    assert_eq!(transition.disk_after(), DiskStatus::InUse);
    // The owned copy round-trips.
    let owned = target.to_owned();
    assert_eq!(owned.as_target(), *target);
}
