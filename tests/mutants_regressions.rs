//! Tests added for mutants cargo-mutants found uncaught (docs/testing.md):
//! each pins a behaviour the rest of the suite did not look at.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

#[allow(
    dead_code,
    reason = "each test uses its own part of the shared helpers"
)]
use reinit_disk_testkit::cases;

use reinit_disk::model::{
    Disk, DiskCategory, DiskSource, DiskStatus, Instance, InstanceStatus, LockReason, LockSet,
};
use reinit_disk::{
    Check, Code, InMemoryWorld, Param, Policy, Request, Step, Verdict, World, evaluate,
    evaluate_traced,
};

fn trace(request: &Request<'_>, world: &InMemoryWorld, policy: &Policy) -> Vec<(Check, Verdict)> {
    let mut steps = Vec::new();
    let _ = evaluate_traced(request, world, policy, |s: Step| {
        steps.push((s.check, s.verdict));
    });
    steps
}

fn verdict(steps: &[(Check, Verdict)], check: Check) -> Verdict {
    steps
        .iter()
        .find(|(c, _)| *c == check)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| panic!("{check} did not run: {steps:?}"))
}

/// A check that needs a fact the world lacks does not apply: the trace says
/// so (`NotApplicable`), not `Pass`.
#[test]
fn checks_without_their_fact_do_not_apply() {
    let world = cases::world(100);
    let policy = Policy::new(&reinit_disk::revision::SEED);
    use Verdict::{NotApplicable, Pass};

    // An empty data disk: no snapshot, no image.
    let steps = trace(&Request::new("d-accept-empty-0000000"), &world, &policy);
    assert_eq!(steps.len(), 14);
    assert_eq!(verdict(&steps, Check::SourceSnapshotExists), NotApplicable);
    assert_eq!(
        verdict(&steps, Check::SourceSnapshotNotTooOld),
        NotApplicable
    );
    assert_eq!(verdict(&steps, Check::SourceImageExists), NotApplicable);
    assert_eq!(verdict(&steps, Check::HardeningSupported), NotApplicable);
    assert_eq!(verdict(&steps, Check::DiskInUse), Pass);

    // A data disk from a snapshot: the image checks do not apply, even
    // when Active is asked for.
    let request = Request {
        security_enhancement_strategy: Some("Active"),
        ..Request::new("d-accept-snapshot-0000")
    };
    let steps = trace(&request, &world, &policy);
    assert_eq!(verdict(&steps, Check::SourceSnapshotExists), Pass);
    assert_eq!(verdict(&steps, Check::SourceSnapshotNotTooOld), Pass);
    assert_eq!(verdict(&steps, Check::SourceImageExists), NotApplicable);
    assert_eq!(verdict(&steps, Check::HardeningSupported), NotApplicable);

    // A system disk: the snapshot checks do not apply; the image ones pass.
    let steps = trace(&Request::new("d-accept-system-000000"), &world, &policy);
    assert_eq!(verdict(&steps, Check::SourceSnapshotExists), NotApplicable);
    assert_eq!(verdict(&steps, Check::SourceImageExists), Pass);
    assert_eq!(verdict(&steps, Check::HardeningSupported), Pass);

    // No disk, with disk-exists last: every other world check does not apply.
    let mut order: Vec<Check> = reinit_disk::revision::SEED.world_checks.to_vec();
    order.rotate_left(1);
    let last = policy.with_order(&order).unwrap();
    let steps = trace(&Request::new("d-not-in-the-world-000"), &world, &last);
    let (decided, before) = steps.split_last().unwrap();
    assert_eq!(
        *decided,
        (
            Check::DiskExists,
            Verdict::Fail(Code::InvalidDiskIdNotFound)
        )
    );
    for (check, v) in before.iter().skip(3) {
        assert_eq!(*v, NotApplicable, "{check} without a disk");
    }

    // A detached disk, disk-in-use last: the instance checks do not apply,
    // but arrears reads the disk's own locks (none): it passes.
    let mut order: Vec<Check> = reinit_disk::revision::SEED
        .world_checks
        .iter()
        .copied()
        .filter(|c| *c != Check::DiskInUse)
        .collect();
    order.push(Check::DiskInUse);
    let last = policy.with_order(&order).unwrap();
    let steps = trace(&Request::new("d-detached-00000000000"), &world, &last);
    for check in [Check::InstanceNotSecurityLocked, Check::InstanceStopped] {
        assert_eq!(verdict(&steps, check), NotApplicable, "{check} detached");
    }
    assert_eq!(verdict(&steps, Check::InstanceNotInArrears), Pass);
    assert_eq!(
        verdict(&steps, Check::DiskInUse),
        Verdict::Fail(Code::IncorrectDiskStatus)
    );
}

/// A world of one disk `d-1` attached to `i-1`, both as given.
fn one_disk(status: DiskStatus, disk_locks: LockSet, instance_locks: LockSet) -> InMemoryWorld {
    let mut world = InMemoryWorld::new();
    world
        .insert_instance(Instance {
            id: "i-1".into(),
            status: InstanceStatus::Stopped,
            has_started: true,
            operation_locks: instance_locks,
            ..Default::default()
        })
        .unwrap();
    world
        .insert_disk(Disk {
            id: "d-1".into(),
            category: DiskCategory::CloudEssd,
            status,
            instance_id: Some("i-1".into()),
            source: DiskSource::Empty,
            creating_snapshot: false,
            operation_locks: disk_locks,
            ..Default::default()
        })
        .unwrap();
    world
}

/// The security check does not apply to a disk that is not `In_use`, even
/// on a locked instance (only the trace tells `NotApplicable` from `Pass`);
/// on an `In_use` disk of an unlocked instance it passes.
#[test]
fn the_security_check_does_not_apply_to_a_disk_not_in_use() {
    let security = LockSet::EMPTY.with(LockReason::Security);
    let policy = Policy::new(&reinit_disk::revision::SEED);
    for status in [
        DiskStatus::Available,
        DiskStatus::Detaching,
        DiskStatus::ReIniting,
    ] {
        let world = one_disk(status, LockSet::EMPTY, security);
        let steps = trace(&Request::new("d-1"), &world, &policy);
        assert_eq!(
            verdict(&steps, Check::InstanceNotSecurityLocked),
            Verdict::NotApplicable,
            "{status}"
        );
    }
    let world = one_disk(DiskStatus::InUse, LockSet::EMPTY, LockSet::EMPTY);
    let steps = trace(&Request::new("d-1"), &world, &policy);
    assert_eq!(
        verdict(&steps, Check::InstanceNotSecurityLocked),
        Verdict::Pass
    );
    let world = one_disk(DiskStatus::InUse, LockSet::EMPTY, security);
    let steps = trace(&Request::new("d-1"), &world, &policy);
    assert_eq!(
        verdict(&steps, Check::InstanceNotSecurityLocked),
        Verdict::Fail(Code::InstanceLockedForSecurity)
    );
}

/// The disk's own arrears lock decides before its instance is looked at:
/// even attached to an instance the world lacks, it answers
/// `InstanceExpiredOrInArrears`, not `InternalError`.
#[test]
fn the_disks_own_arrears_lock_decides_before_a_dangling_instance() {
    let mut world = one_disk(
        DiskStatus::Available,
        LockSet::EMPTY.with(LockReason::Refunded),
        LockSet::EMPTY,
    );
    world.disk_mut("d-1").unwrap().instance_id = Some("i-gone".into());
    let steps = trace(
        &Request::new("d-1"),
        &world,
        &Policy::new(&reinit_disk::revision::SEED),
    );
    assert_eq!(
        verdict(&steps, Check::InstanceNotInArrears),
        Verdict::Fail(Code::InstanceExpiredOrInArrears)
    );
    // Without it, the dangling instance is an internal error.
    world.disk_mut("d-1").unwrap().operation_locks = LockSet::EMPTY;
    let steps = trace(
        &Request::new("d-1"),
        &world,
        &Policy::new(&reinit_disk::revision::SEED),
    );
    assert_eq!(
        verdict(&steps, Check::InstanceNotInArrears),
        Verdict::Fail(Code::InternalError)
    );
}

/// `Request::get` reads the parameter it names.
#[test]
fn request_get_reads_each_parameter() {
    let request = Request {
        action: Some("ReInitDisk"),
        disk_id: Some("d-1"),
        security_enhancement_strategy: Some("Active"),
        ..Default::default()
    };
    assert_eq!(request.get(Param::Action), Some("ReInitDisk"));
    assert_eq!(request.get(Param::DiskId), Some("d-1"));
    assert_eq!(
        request.get(Param::SecurityEnhancementStrategy),
        Some("Active")
    );
    assert_eq!(Request::default().get(Param::DiskId), None);
}

/// A reference to a world is the same world (`impl World for &W`).
#[test]
fn a_world_behind_a_reference_decides_the_same() {
    let world = cases::world(100);
    let by_ref: &InMemoryWorld = &world;
    for case in cases::cases() {
        assert_eq!(
            evaluate(&case.request, &by_ref, &case.policy),
            evaluate(&case.request, &world, &case.policy),
            "{}",
            case.name
        );
    }
    // The 2025-02-27 revision's cases read the key pairs, the KMS keys and
    // the account through the reference too (one of them needs an account
    // that refuses).
    let account_world = cases::account_world();
    let account_by_ref: &InMemoryWorld = &account_world;
    for case in cases::cases_2025() {
        let (world, by_ref) = if case.account_refuses {
            (&account_world, &account_by_ref)
        } else {
            (&world, &by_ref)
        };
        assert_eq!(
            evaluate(&case.request, by_ref, &case.policy),
            evaluate(&case.request, world, &case.policy),
            "{}",
            case.name
        );
    }
    for id in ["d-accept-system-000000", "d-accept-snapshot-0000"] {
        let disk = World::disk(&by_ref, id).unwrap();
        assert_eq!(disk.id, id);
        let instance = disk.instance_id.unwrap();
        assert_eq!(World::instance(&by_ref, instance).unwrap().id, instance);
    }
    assert!(World::image(&by_ref, "m-bp100000000000000000").is_some());
    assert!(World::snapshot(&by_ref, "s-bp100000000000000000").is_some());
}

/// The `*_mut` accessors change the world `evaluate` reads.
#[test]
fn deleting_through_the_accessors_changes_the_decision() {
    let mut world = cases::world(100);
    let policy = Policy::new(&reinit_disk::revision::SEED);
    world.image_mut("m-bp100000000000000000").unwrap().deleted = true;
    let rejection = evaluate(&Request::new("d-accept-system-000000"), &world, &policy).unwrap_err();
    assert_eq!(rejection.code(), Code::InvalidDiskIdOperationNotSupported);

    world
        .snapshot_mut("s-bp100000000000000000")
        .unwrap()
        .deleted = true;
    let rejection = evaluate(&Request::new("d-accept-snapshot-0000"), &world, &policy).unwrap_err();
    assert_eq!(rejection.code(), Code::InvalidSourceSnapshot);

    assert!(world.image_mut("m-missing").is_none());
    assert!(world.snapshot_mut("s-missing").is_none());
}

/// `InMemoryWorld::disks` lists every disk once.
#[test]
fn disks_lists_every_disk() {
    let world = cases::world(100);
    let mut ids: Vec<&str> = world.disks().map(|d| d.id.as_str()).collect();
    assert_eq!(ids.len(), 100);
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 100);
    assert!(ids.contains(&"d-accept-system-000000"));
}

/// `LockSet::is_empty` is true of no lock only.
#[test]
fn a_lock_set_is_empty_without_locks_only() {
    use reinit_disk::model::{LockReason, LockSet};
    use strum::VariantArray;
    assert!(LockSet::EMPTY.is_empty());
    for reason in LockReason::VARIANTS {
        assert!(!LockSet::EMPTY.with(*reason).is_empty(), "{reason}");
        assert!(LockSet::EMPTY.with(*reason).without(*reason).is_empty());
    }
}

/// The fuzzers' input generators (feature `arbitrary`): every value they make
/// is valid, and they can make every value. Run with
/// `cargo test --features arbitrary --test mutants_regressions` (the mutation
/// run turns the feature on).
#[cfg(feature = "arbitrary")]
mod arbitrary_inputs {
    use std::collections::BTreeSet;

    use arbitrary::{Arbitrary, Unstructured};
    use reinit_disk::Policy;
    use reinit_disk::model::{CategorySet, CreationTime, DiskCategory, LockReason, LockSet};
    use reinit_disk::revision::SEED;
    use strum::VariantArray;

    #[test]
    fn category_sets_are_every_subset_of_the_thirteen() {
        let mut seen = BTreeSet::new();
        for n in 0..=u16::MAX {
            let bytes = n.to_le_bytes();
            let set = CategorySet::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
            // No stray bit: the set is exactly its members.
            let members: Vec<DiskCategory> = set.iter().collect();
            assert_eq!(set, CategorySet::of(&members));
            seen.insert(members.iter().map(|c| c.to_string()).collect::<Vec<_>>());
        }
        assert_eq!(seen.len(), 1 << DiskCategory::VARIANTS.len());
    }

    #[test]
    fn lock_sets_are_every_subset_of_the_five() {
        let mut seen = BTreeSet::new();
        for n in 0..=u8::MAX {
            let set = LockSet::arbitrary(&mut Unstructured::new(&[n])).unwrap();
            let members: Vec<LockReason> = set.iter().collect();
            assert_eq!(set, members.iter().copied().collect::<LockSet>());
            seen.insert(members.iter().map(|r| r.to_string()).collect::<Vec<_>>());
        }
        assert_eq!(seen.len(), 1 << LockReason::VARIANTS.len());
    }

    #[test]
    fn creation_times_span_2000_to_2100_across_the_cut_off() {
        let (mut old, mut new) = (false, false);
        for n in 0..=u16::MAX {
            let bytes = [n.to_le_bytes(), n.to_be_bytes()].concat();
            let t = CreationTime::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
            assert!(
                (946_684_800..=4_102_444_800).contains(&t.unix_seconds()),
                "{t}"
            );
            old |= t < SEED.too_old_before;
            new |= t >= SEED.too_old_before;
        }
        assert!(old && new);
        let first = CreationTime::arbitrary(&mut Unstructured::new(&[])).unwrap();
        assert_eq!(first.unix_seconds(), 946_684_800);
    }

    #[test]
    fn policies_have_orders_that_are_permutations_and_vary() {
        let mut seen = BTreeSet::new();
        let mut default_order = 0;
        // A small linear congruential generator: 64 varied bytes a draw.
        let mut state: u64 = 1;
        for _ in 0..20_000 {
            let bytes: Vec<u8> = (0..64)
                .map(|_| {
                    state = state
                        .wrapping_mul(6_364_136_223_846_793_005)
                        .wrapping_add(1_442_695_040_888_963_407);
                    (state >> 56) as u8
                })
                .collect();
            let policy = Policy::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
            let order = policy.order();
            // Each of the revision's world checks exactly once.
            assert!(Policy::new(policy.revision()).with_order(order).is_ok());
            let mut sorted = order.to_vec();
            sorted.sort();
            let mut all = policy.revision().world_checks.to_vec();
            all.sort();
            assert_eq!(sorted, all);
            default_order += usize::from(policy.has_default_order());
            seen.insert(order.to_vec());
        }
        assert!(seen.len() > 1000, "{} orders", seen.len());
        assert!(default_order > 0, "never the default order");
        assert!(
            seen.iter()
                .any(|o| o.first() != reinit_disk::revision::SEED.world_checks.first())
        );
        assert!(
            seen.iter()
                .any(|o| o.last() != reinit_disk::revision::SEED.world_checks.last())
        );
    }
}

/// A check's declaration shows, in `{:?}`, what it requires, its codes and
/// the facts it needs (the rule and the describer are functions and left
/// out).
#[test]
fn a_check_declaration_debugs_as_its_description() {
    let shown = format!("{:?}", reinit_disk::Check::SourceImageExists.decl());
    assert!(shown.starts_with("CheckDecl {"), "{shown}");
    assert!(shown.contains("a system disk's image exists"), "{shown}");
    assert!(
        shown.contains("SharedImageDeleted")
            && shown.contains("InvalidDiskIdOperationNotSupported"),
        "{shown}"
    );
    assert!(
        shown.contains("\"disk\"") && shown.contains("\"image\""),
        "{shown}"
    );
}

/// The in-memory world lists what was put in it, each kind apart.
#[test]
fn the_in_memory_world_lists_each_kind_it_holds() {
    use reinit_disk::model::{CreationTime, Image, ImageOwnerAlias, Snapshot};
    let mut world = one_disk(DiskStatus::InUse, LockSet::EMPTY, LockSet::EMPTY);
    world
        .insert_image(Image {
            id: "m-9".into(),
            image_owner_alias: ImageOwnerAlias::System,
            deleted: false,
            ..Default::default()
        })
        .unwrap();
    world
        .insert_snapshot(Snapshot {
            id: "s-9".into(),
            creation_time: "2020-01-01T00:00:00Z".parse::<CreationTime>().unwrap(),
            deleted: true,
            ..Default::default()
        })
        .unwrap();
    let ids = |ids: Vec<&str>| ids.into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(ids(world.disks().map(|d| d.id.as_str()).collect()), ["d-1"]);
    assert_eq!(
        ids(world.instances().map(|i| i.id.as_str()).collect()),
        ["i-1"]
    );
    assert_eq!(
        ids(world.images().map(|i| i.id.as_str()).collect()),
        ["m-9"]
    );
    assert_eq!(
        ids(world.snapshots().map(|s| s.id.as_str()).collect()),
        ["s-9"]
    );
}

/// What a check needs shows, in `{:?}`, as the set of facts.
#[test]
fn needs_debug_as_the_facts_they_name() {
    use reinit_disk::checks::Needs;
    assert_eq!(format!("{:?}", Needs::NOTHING), "{}");
    assert_eq!(format!("{:?}", Needs::DISK), r#"{"disk"}"#);
    assert_eq!(format!("{:?}", Needs::INSTANCE), r#"{"disk", "instance"}"#);
    assert_eq!(format!("{:?}", Needs::IMAGE), r#"{"disk", "image"}"#);
    assert_eq!(
        format!("{:?}", Needs::SNAPSHOT.and(Needs::INSTANCE)),
        r#"{"disk", "instance", "snapshot"}"#
    );
}

/// What each source check says it read, on worlds the scenario format cannot
/// hold (an image or a snapshot the world lacks) and on ordinary ones: each
/// trace step's facts, as `explain` shows them.
#[test]
fn source_checks_describe_what_they_read() {
    use reinit_disk::model::{CreationTime, Image, ImageOwnerAlias, Snapshot};
    let described = |world: &InMemoryWorld, disk: &str| {
        let mut lines = Vec::new();
        let _ = evaluate_traced(
            &Request::new(disk),
            world,
            &Policy::new(&reinit_disk::revision::SEED),
            |s: Step| {
                lines.push(format!("{}: {}", s.check, s.describe()));
            },
        );
        lines
    };
    let has = |lines: &[String], line: &str| {
        assert!(
            lines.iter().any(|l| l == line),
            "{line:?} not in {lines:#?}"
        );
    };
    let mut world = one_disk(DiskStatus::InUse, LockSet::EMPTY, LockSet::EMPTY);
    let disk = |id: &str, source| Disk {
        id: id.into(),
        category: DiskCategory::CloudEssd,
        status: DiskStatus::InUse,
        instance_id: Some("i-1".into()),
        source,
        creating_snapshot: false,
        operation_locks: LockSet::EMPTY,
        ..Default::default()
    };
    let snapshot_of = |id: &str| DiskSource::Snapshot {
        snapshot_id: id.into(),
    };
    let image_of = |id: &str| DiskSource::Image {
        image_id: id.into(),
        snapshot_id: None,
    };
    world
        .insert_disk(disk("d-lost-snap", snapshot_of("s-lost")))
        .unwrap();
    world
        .insert_disk(disk("d-snap", snapshot_of("s-1")))
        .unwrap();
    world
        .insert_disk(disk("d-lost-image", image_of("m-lost")))
        .unwrap();
    world.insert_disk(disk("d-image", image_of("m-1"))).unwrap();
    world
        .insert_snapshot(Snapshot {
            id: "s-1".into(),
            creation_time: "2020-01-01T00:00:00Z".parse::<CreationTime>().unwrap(),
            deleted: false,
            ..Default::default()
        })
        .unwrap();
    world
        .insert_image(Image {
            id: "m-1".into(),
            image_owner_alias: ImageOwnerAlias::Others,
            deleted: false,
            ..Default::default()
        })
        .unwrap();

    let lost_snap = described(&world, "d-lost-snap");
    has(
        &lost_snap,
        "source-snapshot-exists: snapshot s-lost is not in the world (counts as deleted), needs a snapshot that exists",
    );
    let snap = described(&world, "d-snap");
    has(
        &snap,
        "source-snapshot-exists: snapshot s-1 Deleted = false, needs false",
    );
    has(
        &snap,
        "source-snapshot-not-too-old: snapshot s-1 CreationTime = 2020-01-01T00:00:00Z, needs on or after 2013-07-16T00:00:00Z",
    );
    has(
        &snap,
        "source-image-exists: disk d-snap is a data disk, from snapshot s-1",
    );
    let lost_image = described(&world, "d-lost-image");
    has(
        &lost_image,
        "source-image-exists: image m-lost is not in the world (counts as deleted, owner unknown), needs an image that exists",
    );
    let image = described(&world, "d-image");
    has(
        &image,
        "source-snapshot-not-too-old: disk d-image is a system disk, from image m-1",
    );
    has(
        &image,
        "source-image-exists: image m-1 Deleted = false, ImageOwnerAlias = others, needs Deleted = false",
    );
    has(
        &image,
        "hardening-supported: SecurityEnhancementStrategy not given, image m-1 ImageOwnerAlias = others (not public); policy ActiveOnNonPublicImage = Ignore: Active on a non-public image is ignored",
    );
    // Hardening before the image check: it reads an image the world lacks.
    let mut order = reinit_disk::revision::SEED.world_checks.to_vec();
    order.retain(|c| *c != Check::HardeningSupported);
    order.insert(0, Check::HardeningSupported);
    let policy = Policy::new(&reinit_disk::revision::SEED)
        .with_order(&order)
        .unwrap();
    let mut hardening = None;
    let _ = evaluate_traced(&Request::new("d-lost-image"), &world, &policy, |s: Step| {
        if s.check == Check::HardeningSupported {
            hardening = Some(s.describe().to_string());
        }
    });
    assert_eq!(
        hardening.as_deref(),
        Some(
            "SecurityEnhancementStrategy not given, image m-lost is not in the world; policy ActiveOnNonPublicImage = Ignore: Active on a non-public image is ignored"
        )
    );
    // The snapshot the world lacks: the too-old check reads nothing.
    let mut world = InMemoryWorld::new();
    world
        .insert_instance(Instance {
            id: "i-1".into(),
            status: InstanceStatus::Stopped,
            has_started: true,
            operation_locks: LockSet::EMPTY,
            ..Default::default()
        })
        .unwrap();
    world
        .insert_disk(disk("d-x", snapshot_of("s-gone")))
        .unwrap();
    let mut order = reinit_disk::revision::SEED.world_checks.to_vec();
    order.retain(|c| *c != Check::SourceSnapshotNotTooOld);
    order.insert(0, Check::SourceSnapshotNotTooOld);
    let policy = Policy::new(&reinit_disk::revision::SEED)
        .with_order(&order)
        .unwrap();
    let mut first = None;
    let _ = evaluate_traced(&Request::new("d-x"), &world, &policy, |s: Step| {
        if s.check == Check::SourceSnapshotNotTooOld {
            first = Some(s.describe().to_string());
        }
    });
    assert_eq!(
        first.as_deref(),
        Some("snapshot s-gone is not in the world")
    );
}

/// A system disk whose instance the world lacks: a check of the instance
/// run before any other (a reordered policy) answers `InternalError`, as
/// the world checks do for a dangling instance, not "does not apply".
#[test]
fn a_login_check_first_on_a_system_disk_of_a_dangling_instance_answers_internal_error() {
    use reinit_disk::model::{Disk, DiskSource, DiskStatus};
    use reinit_disk::revision::V2025_02_27;
    let mut world = InMemoryWorld::new();
    world
        .insert_disk(Disk {
            id: "d-1".into(),
            status: DiskStatus::InUse,
            instance_id: Some("i-gone".into()),
            source: DiskSource::Image {
                image_id: "m-1".into(),
                snapshot_id: None,
            },
            ..Disk::default()
        })
        .unwrap();
    let request = Request {
        key_pair_name: Some("kp-1"),
        password: Some("/Abcdef12"),
        ..Request::new("d-1")
    };
    for first in [
        Check::KeyPairUsable,
        Check::WindowsPasswordValue,
        Check::NonRootRegionSupported,
        Check::NonRootImageSupported,
    ] {
        let mut order = vec![first];
        order.extend(V2025_02_27.world_checks.iter().filter(|c| **c != first));
        let policy = Policy::new(&V2025_02_27).with_order(&order).unwrap();
        let rejection = evaluate(&request, &world, &policy).unwrap_err();
        assert_eq!(
            (rejection.code(), rejection.check()),
            (Code::InternalError, first),
            "{first:?}"
        );
    }
}
