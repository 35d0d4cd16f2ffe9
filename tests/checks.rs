//! The checks' declarations and descriptions: what a declaration and its
//! needs show in `{:?}`, and what each check says it read (the facts
//! `explain` shows for a trace step).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk::model::{
    Disk, DiskCategory, DiskSource, DiskStatus, Instance, InstanceStatus, LockSet,
};
use reinit_disk::{Check, InMemoryWorld, Policy, Request, Step, evaluate_traced};
use reinit_disk_testkit::one_disk;

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
