//! The transition on the in-memory world, in two steps as the real service
//! runs it: begin (the disk goes `ReIniting`), then settle (back `In_use`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use reinit_disk::model::{
    CreationTime, Disk, DiskCategory, DiskSource, DiskStatus, Image, ImageOwnerAlias, Instance,
    InstanceStatus, LockSet, Snapshot,
};
use reinit_disk::world::{DuplicateId, TransitionError};
use reinit_disk::{
    Check, Code, InMemoryWorld, Policy, Request, ResetKind, SecurityEnhancementStrategy, World,
};

fn world() -> InMemoryWorld {
    let mut w = InMemoryWorld::new();
    w.insert_instance(Instance {
        id: "i-1".into(),
        status: InstanceStatus::Stopped,
        has_started: true,
        operation_locks: LockSet::EMPTY,
    })
    .unwrap();
    w.insert_image(Image {
        id: "m-1".into(),
        image_owner_alias: ImageOwnerAlias::System,
        deleted: false,
    })
    .unwrap();
    w.insert_snapshot(Snapshot {
        id: "s-1".into(),
        creation_time: "2020-01-01T00:00:00Z".parse::<CreationTime>().unwrap(),
        deleted: false,
    })
    .unwrap();
    let disk = |id: &str, source| Disk {
        id: id.into(),
        category: DiskCategory::CloudEssd,
        status: DiskStatus::InUse,
        instance_id: Some("i-1".into()),
        source,
        creating_snapshot: false,
    };
    w.insert_disk(disk(
        "d-sys",
        DiskSource::Image {
            image_id: "m-1".into(),
            snapshot_id: None,
        },
    ))
    .unwrap();
    w.insert_disk(disk(
        "d-snap",
        DiskSource::Snapshot {
            snapshot_id: "s-1".into(),
        },
    ))
    .unwrap();
    w.insert_disk(disk("d-empty", DiskSource::Empty)).unwrap();
    w
}

#[test]
fn an_accepted_reinit_puts_the_disk_in_reiniting_and_a_second_request_meanwhile_is_refused() {
    let mut w = world();
    let policy = Policy::default();
    let request = Request::new("d-sys").with_strategy(SecurityEnhancementStrategy::Active);
    let started = w.begin_reinit(&request, &policy).unwrap();
    assert_eq!(started.disk_id, "d-sys");
    assert_eq!(started.instance_id, "i-1");
    assert_eq!(started.reset_to, ResetKind::Image);
    assert_eq!(started.source_id.as_deref(), Some("m-1"));
    assert_eq!(
        started.security_enhancement,
        Some(SecurityEnhancementStrategy::Active)
    );
    assert_eq!(w.disk("d-sys").unwrap().status, DiskStatus::ReIniting);

    let second = w.begin_reinit(&request, &policy).unwrap_err();
    assert_eq!(second.code(), Code::IncorrectDiskStatus);
    assert_eq!(second.check(), Check::DiskInUse);
    assert_eq!(second.http_status(), 403);
    assert_eq!(
        second.message(),
        "The current disk status does not support this operation."
    );
}

#[test]
fn settling_puts_the_disk_back_in_use_on_the_same_instance_reset_to_its_source() {
    let mut w = world();
    let policy = Policy::default();
    for (disk, kind, source) in [
        ("d-sys", ResetKind::Image, Some("m-1")),
        ("d-snap", ResetKind::Snapshot, Some("s-1")),
        ("d-empty", ResetKind::Empty, None),
    ] {
        let before = w.disk(disk).unwrap().clone();
        w.begin_reinit(&Request::new(disk), &policy).unwrap();
        let (reset_to, source_id) = w.settle_reinit(disk).unwrap();
        assert_eq!((reset_to, source_id), (kind, source));
        let after = w.disk(disk).unwrap();
        assert_eq!(after.status, DiskStatus::InUse);
        assert_eq!(
            after, &before,
            "only the content changes, and it is not modelled beyond the source"
        );
        // And it can be re-initialized again.
        assert!(w.begin_reinit(&Request::new(disk), &policy).is_ok());
    }
}

#[test]
fn a_rejected_request_changes_nothing() {
    let mut w = world();
    w.instance_mut("i-1").unwrap().status = InstanceStatus::Running;
    let before = w.clone();
    let rejection = w
        .begin_reinit(&Request::new("d-sys"), &Policy::default())
        .unwrap_err();
    assert_eq!(rejection.code(), Code::IncorrectInstanceStatus);
    assert_eq!(w, before);
}

#[test]
fn only_a_disk_being_reinitialized_can_settle() {
    let mut w = world();
    assert_eq!(
        w.settle_reinit("d-sys").unwrap_err(),
        TransitionError::NotReIniting {
            disk_id: "d-sys".into(),
            status: DiskStatus::InUse
        }
    );
    assert_eq!(
        w.settle_reinit("d-none").unwrap_err(),
        TransitionError::UnknownDisk("d-none".into())
    );
}

#[test]
fn ids_are_unique_per_kind() {
    let mut w = world();
    let err = w
        .insert_image(Image {
            id: "m-1".into(),
            image_owner_alias: ImageOwnerAlias::Others,
            deleted: true,
        })
        .unwrap_err();
    assert_eq!(
        err,
        DuplicateId {
            kind: "image",
            id: "m-1".into()
        }
    );
    assert_eq!(err.to_string(), "image id \"m-1\" is already taken");
}

#[test]
fn a_disk_attached_to_an_instance_the_world_lacks_is_an_internal_error_not_a_panic() {
    let mut w = world();
    w.disk_mut("d-sys").unwrap().instance_id = Some("i-gone".into());
    let rejection = w
        .begin_reinit(&Request::new("d-sys"), &Policy::default())
        .unwrap_err();
    assert_eq!(rejection.code(), Code::InternalError);
    assert_eq!(rejection.http_status(), 500);
    assert_eq!(
        rejection.message(),
        "The request processing has failed due to some unknown error, exception or failure."
    );
    assert_eq!(rejection.check(), Check::InstanceNotSecurityLocked);
}

#[test]
fn an_image_or_snapshot_the_world_lacks_counts_as_deleted() {
    let mut w = world();
    w.disk_mut("d-sys").unwrap().source = DiskSource::Image {
        image_id: "m-dropped".into(),
        snapshot_id: None,
    };
    w.disk_mut("d-snap").unwrap().source = DiskSource::Snapshot {
        snapshot_id: "s-dropped".into(),
    };
    let policy = Policy::default();
    let image = w.begin_reinit(&Request::new("d-sys"), &policy).unwrap_err();
    assert_eq!(image.code(), Code::InvalidDiskIdOperationNotSupported);
    assert_eq!(image.http_status(), 404);
    assert_eq!(
        image.message(),
        "The operation is not supported due to image not exist."
    );
    let snapshot = w
        .begin_reinit(&Request::new("d-snap"), &policy)
        .unwrap_err();
    assert_eq!(snapshot.code(), Code::InvalidSourceSnapshot);
}
