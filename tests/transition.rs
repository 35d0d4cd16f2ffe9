//! The transition as a value: what an accepted target does to the world,
//! stage by stage (`Target::transition`), applied through `WorldMut` to the
//! in-memory world and to a small store of the test's own, and the
//! in-memory world's two steps as the real service runs them: begin (the
//! disk goes `ReIniting`), then settle (back `In_use`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk::model::{
    CreationTime, Disk, DiskCategory, DiskSource, DiskStatus, DiskView, Image, ImageOwnerAlias,
    ImageView, Instance, InstanceStatus, InstanceView, LockReason, LockSet, Snapshot, SnapshotView,
    Source, SourceKind,
};
use reinit_disk::{
    Check, Code, DuplicateId, InMemoryWorld, OwnedTarget, Policy, Request,
    SecurityEnhancementStrategy, Stage, Transition, TransitionError, World, WorldMut, WorldStatus,
    evaluate,
};

fn world() -> InMemoryWorld {
    let mut w = InMemoryWorld::new();
    w.insert_instance(Instance {
        id: "i-1".into(),
        status: InstanceStatus::Stopped,
        has_started: true,
        operation_locks: LockSet::EMPTY,
        ..Default::default()
    })
    .unwrap();
    w.insert_image(Image {
        id: "m-1".into(),
        image_owner_alias: ImageOwnerAlias::System,
        deleted: false,
        ..Default::default()
    })
    .unwrap();
    w.insert_snapshot(Snapshot {
        id: "s-1".into(),
        creation_time: "2020-01-01T00:00:00Z".parse::<CreationTime>().unwrap(),
        deleted: false,
        ..Default::default()
    })
    .unwrap();
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

/// The disk record `id`, owned.
fn record(w: &InMemoryWorld, id: &str) -> Disk {
    w.disks().find(|d| d.id == id).cloned().unwrap()
}

#[test]
fn an_accepted_reinit_puts_the_disk_in_reiniting_and_a_second_request_meanwhile_is_refused() {
    let mut w = world();
    let policy = Policy::new(&reinit_disk::revision::SEED);
    let request = Request::new("d-sys").with_strategy(SecurityEnhancementStrategy::Active);
    let started = w.begin_reinit(&request, &policy).unwrap();
    assert_eq!(started.disk_id, "d-sys");
    assert_eq!(started.instance_id, "i-1");
    assert_eq!(started.reset_to, SourceKind::Image);
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
    let policy = Policy::new(&reinit_disk::revision::SEED);
    for (disk, source) in [
        ("d-sys", Source::Image("m-1")),
        ("d-snap", Source::Snapshot("s-1")),
        ("d-empty", Source::Empty),
    ] {
        let before = record(&w, disk);
        let started = w.begin_reinit(&Request::new(disk), &policy).unwrap();
        assert_eq!(started.reset_to, source.kind());
        assert_eq!(started.source_id.as_deref(), source.id());
        assert_eq!(w.settle_reinit(disk).unwrap(), source);
        let after = record(&w, disk);
        assert_eq!(after.status, DiskStatus::InUse);
        assert_eq!(
            after, before,
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
        .begin_reinit(
            &Request::new("d-sys"),
            &Policy::new(&reinit_disk::revision::SEED),
        )
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
            ..Default::default()
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
        .begin_reinit(
            &Request::new("d-sys"),
            &Policy::new(&reinit_disk::revision::SEED),
        )
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
    let policy = Policy::new(&reinit_disk::revision::SEED);
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

#[test]
fn a_disk_in_arrears_is_refused_and_left_as_it_was() {
    let mut w = world();
    w.disk_mut("d-sys").unwrap().operation_locks = LockSet::EMPTY.with(LockReason::Financial);
    let before = w.clone();
    let rejection = w
        .begin_reinit(
            &Request::new("d-sys"),
            &Policy::new(&reinit_disk::revision::SEED),
        )
        .unwrap_err();
    assert_eq!(rejection.code(), Code::InstanceExpiredOrInArrears);
    assert_eq!(rejection.check(), Check::InstanceNotInArrears);
    assert_eq!(w, before);
}

/// The re-init's two stages: the disk `ReIniting` at once, `In_use` when it
/// settles; the instance untouched.
const REINIT: [Stage; 2] = [
    Stage {
        disk: Some(DiskStatus::ReIniting),
        instance: None,
    },
    Stage {
        disk: Some(DiskStatus::InUse),
        instance: None,
    },
];

#[test]
fn a_target_gives_its_transition_stage_by_stage() {
    let w = world();
    let request = Request::new("d-snap");
    let target = evaluate(&request, &w, &Policy::new(&reinit_disk::revision::SEED)).unwrap();
    let transition = target.transition();
    assert_eq!(transition, Transition::reinit("d-snap", "i-1"));
    assert_eq!(transition.disk_id, "d-snap");
    assert_eq!(transition.instance_id, "i-1");
    assert_eq!(transition.stages(), REINIT);
    assert_eq!(transition.disk_during(), DiskStatus::ReIniting);
    assert_eq!(transition.disk_after(), DiskStatus::InUse);

    // The owned copy gives the same target and the same transition.
    let owned: OwnedTarget = target.to_owned();
    assert_eq!(owned.as_target(), target);
    assert_eq!(owned.as_target().transition(), transition);
    assert_eq!(
        serde_json::to_string(&owned).unwrap(),
        r#"{"DiskId":"d-snap","InstanceId":"i-1","ResetTo":"Snapshot","SourceId":"s-1","SecurityEnhancement":null,"PasswordReset":false,"KeyPairName":null,"StatusDuring":"ReIniting","StatusAfter":"In_use","InstanceStatusAfter":"Stopped"}"#
    );
    assert_eq!(
        serde_json::from_str::<OwnedTarget>(&serde_json::to_string(&owned).unwrap()).unwrap(),
        owned
    );
}

#[test]
fn begin_and_settle_apply_the_stages_to_the_in_memory_world() {
    let mut w = world();
    let target = evaluate(
        &Request::new("d-empty"),
        &w,
        &Policy::new(&reinit_disk::revision::SEED),
    )
    .unwrap()
    .to_owned();
    let transition = target.as_target().transition();
    transition.begin(&mut w).unwrap();
    assert_eq!(record(&w, "d-empty").status, DiskStatus::ReIniting);
    // Meanwhile, a second request is refused by the disk's status.
    let second = evaluate(
        &Request::new("d-empty"),
        &w,
        &Policy::new(&reinit_disk::revision::SEED),
    )
    .unwrap_err();
    assert_eq!(second.code(), Code::IncorrectDiskStatus);
    transition.settle(&mut w).unwrap();
    assert_eq!(record(&w, "d-empty").status, DiskStatus::InUse);
    assert!(
        evaluate(
            &Request::new("d-empty"),
            &w,
            &Policy::new(&reinit_disk::revision::SEED)
        )
        .is_ok()
    );

    // A stage that changes the instance reaches it through WorldMut; a
    // running instance has started.
    w.instance_mut("i-1").unwrap().has_started = false;
    let start = Stage {
        disk: None,
        instance: Some(InstanceStatus::Running),
    };
    transition.apply(&start, &mut w).unwrap();
    let instance = w.instances().find(|i| i.id == "i-1").unwrap();
    assert_eq!(instance.status, InstanceStatus::Running);
    assert!(instance.has_started);
    assert_eq!(record(&w, "d-empty").status, DiskStatus::InUse);

    // The world's own errors come back.
    let gone = Transition::reinit("d-gone", "i-gone");
    assert_eq!(
        gone.begin(&mut w),
        Err(TransitionError::UnknownDisk("d-gone".into()))
    );
    assert_eq!(
        gone.apply(&start, &mut w),
        Err(TransitionError::UnknownInstance("i-gone".into()))
    );
}

/// A store of the test's own: its records are not the crate's types, it
/// hands out views of its own strings, and it logs every change.
struct Store {
    /// (id, status, instance id).
    disks: Vec<(String, DiskStatus, String)>,
    /// (id, status).
    instances: Vec<(String, InstanceStatus)>,
    log: Vec<String>,
}

impl World for Store {
    fn disk(&self, id: &str) -> Option<DiskView<'_>> {
        self.disks
            .iter()
            .find(|d| d.0 == id)
            .map(|(id, status, instance)| {
                DiskView::new(id, DiskCategory::CloudEssd, *status, Source::Empty)
                    .with_instance(Some(instance))
            })
    }
    fn instance(&self, id: &str) -> Option<InstanceView<'_>> {
        self.instances
            .iter()
            .find(|i| i.0 == id)
            .map(|(id, status)| InstanceView::new(id, *status))
    }
    fn image(&self, _: &str) -> Option<ImageView<'_>> {
        None
    }
    fn snapshot(&self, _: &str) -> Option<SnapshotView<'_>> {
        None
    }
}

/// What the test's store reads before a change: it keeps no snapshots, so
/// the trait's defaults answer for them.
impl WorldStatus for Store {
    fn disk_status(&self, disk_id: &str) -> Option<DiskStatus> {
        self.disks.iter().find(|d| d.0 == disk_id).map(|d| d.1)
    }
    fn instance_status(&self, instance_id: &str) -> Option<InstanceStatus> {
        self.instances
            .iter()
            .find(|i| i.0 == instance_id)
            .map(|i| i.1)
    }
    fn has_disk_reiniting(&self, instance_id: &str) -> bool {
        self.disks
            .iter()
            .any(|d| d.2 == instance_id && d.1 == DiskStatus::ReIniting)
    }
    fn locked_for_security(&self, _: &str) -> bool {
        false
    }
}

impl WorldMut for Store {
    type Error = String;

    fn set_disk_status(&mut self, disk_id: &str, status: DiskStatus) -> Result<(), String> {
        let disk = self
            .disks
            .iter_mut()
            .find(|d| d.0 == disk_id)
            .ok_or_else(|| format!("no disk {disk_id}"))?;
        disk.1 = status;
        self.log.push(format!("{disk_id} {status}"));
        Ok(())
    }

    fn set_instance_status(
        &mut self,
        instance_id: &str,
        status: InstanceStatus,
    ) -> Result<(), String> {
        let instance = self
            .instances
            .iter_mut()
            .find(|i| i.0 == instance_id)
            .ok_or_else(|| format!("no instance {instance_id}"))?;
        instance.1 = status;
        self.log.push(format!("{instance_id} {status}"));
        Ok(())
    }
}

/// A store that keeps no snapshots (the traits' defaults): none is being
/// created, so a disk of its own may start one; none made a disk; and the
/// instance actions are decided from the statuses it keeps.
#[test]
fn a_store_that_keeps_no_snapshots_is_answered_by_the_defaults() {
    use reinit_disk::{DiskAction, InstanceAction};
    let mut store = Store {
        disks: vec![("d-1".into(), DiskStatus::InUse, "i-1".into())],
        instances: vec![("i-1".into(), InstanceStatus::Stopped)],
        log: Vec::new(),
    };
    assert!(!store.creating_snapshot("d-1"));
    assert!(!store.snapshot_used_by_disk("s-1"));
    let create = DiskAction::CreateSnapshot { snapshot_id: "s-9" };
    assert_eq!(create.check(&store, "d-1"), Ok(()));
    let end = InstanceAction::Start
        .begin(&mut store, "i-1")
        .unwrap()
        .unwrap();
    end.apply(&mut store).unwrap();
    assert_eq!(store.log, ["i-1 Starting", "i-1 Running"]);
}

#[test]
fn any_store_decides_and_applies_the_transition_through_the_traits() {
    let mut store = Store {
        disks: vec![("d-1".into(), DiskStatus::InUse, "i-1".into())],
        instances: vec![("i-1".into(), InstanceStatus::Stopped)],
        log: Vec::new(),
    };
    let policy = Policy::new(&reinit_disk::revision::SEED);
    let target = evaluate(&Request::new("d-1"), &store, &policy).unwrap();
    assert_eq!(target.reset_to, Source::Empty);
    assert_eq!(target.instance_id, "i-1");
    // The target borrows the store: keep an owned copy across the change.
    let target = target.to_owned();
    let transition = target.as_target().transition();

    transition.begin(&mut store).unwrap();
    assert_eq!(store.log, ["d-1 ReIniting"]);
    let second = evaluate(&Request::new("d-1"), &store, &policy).unwrap_err();
    assert_eq!(second.code(), Code::IncorrectDiskStatus);

    transition.settle(&mut store).unwrap();
    assert_eq!(store.log, ["d-1 ReIniting", "d-1 In_use"]);
    assert!(evaluate(&Request::new("d-1"), &store, &policy).is_ok());

    // The store's own error comes back as it is.
    assert_eq!(
        Transition::reinit("d-2", "i-1").begin(&mut store),
        Err("no disk d-2".to_owned())
    );
    let start = Stage {
        disk: None,
        instance: Some(InstanceStatus::Starting),
    };
    transition.apply(&start, &mut store).unwrap();
    assert_eq!(store.instances[0].1, InstanceStatus::Starting);
    assert_eq!(store.log.last().map(String::as_str), Some("i-1 Starting"));
    assert_eq!(
        Transition::reinit("d-1", "i-2").apply(&start, &mut store),
        Err("no instance i-2".to_owned())
    );
}

/// `evaluate` looks each fact up at most once, and only when a check needs
/// it: an accepted system disk reads the disk, its instance and its image,
/// once each.
#[test]
fn evaluate_looks_each_fact_up_once() {
    use std::cell::RefCell;

    use reinit_disk::model::{DiskView, ImageView, InstanceView, SnapshotView};

    struct Counting<'w> {
        world: &'w reinit_disk::InMemoryWorld,
        log: RefCell<Vec<&'static str>>,
    }
    impl reinit_disk::World for Counting<'_> {
        fn disk(&self, id: &str) -> Option<DiskView<'_>> {
            self.log.borrow_mut().push("disk");
            self.world.disk(id)
        }
        fn instance(&self, id: &str) -> Option<InstanceView<'_>> {
            self.log.borrow_mut().push("instance");
            self.world.instance(id)
        }
        fn image(&self, id: &str) -> Option<ImageView<'_>> {
            self.log.borrow_mut().push("image");
            self.world.image(id)
        }
        fn snapshot(&self, id: &str) -> Option<SnapshotView<'_>> {
            self.log.borrow_mut().push("snapshot");
            self.world.snapshot(id)
        }
    }
    let world = world();
    let counting = Counting {
        world: &world,
        log: RefCell::new(Vec::new()),
    };
    let decided = reinit_disk::evaluate(
        &reinit_disk::Request::new("d-sys"),
        &counting,
        &reinit_disk::Policy::new(&reinit_disk::revision::SEED),
    );
    assert!(decided.is_ok(), "{decided:?}");
    assert_eq!(*counting.log.borrow(), ["disk", "instance", "image"]);
    counting.log.borrow_mut().clear();
    let decided = reinit_disk::evaluate(
        &reinit_disk::Request::new("d-snap"),
        &counting,
        &reinit_disk::Policy::new(&reinit_disk::revision::SEED),
    );
    assert!(decided.is_ok(), "{decided:?}");
    assert_eq!(*counting.log.borrow(), ["disk", "instance", "snapshot"]);
}

#[test]
fn auto_start_starts_the_instance_once_the_disk_has_settled() {
    use reinit_disk::revision::V2025_02_27;
    let mut w = world();
    let policy = Policy::new(&V2025_02_27);
    let request = Request {
        auto_start_instance: Some("TRUE"),
        ..Request::new("d-sys")
    };
    let target = w.begin_reinit(&request, &policy).unwrap();
    assert_eq!(target.instance_status_after, InstanceStatus::Running);
    // While the disk re-initializes, the instance is still Stopped.
    assert_eq!(record(&w, "d-sys").status, DiskStatus::ReIniting);
    assert_eq!(
        w.instance(&target.instance_id).unwrap().status,
        InstanceStatus::Stopped
    );
    let transition = target.as_target().transition();
    assert!(transition.starts_instance());
    assert_eq!(transition.instance_after(), Some(InstanceStatus::Running));
    assert_eq!(
        transition
            .stages()
            .iter()
            .map(|s| (s.disk, s.instance))
            .collect::<Vec<_>>(),
        [
            (Some(DiskStatus::ReIniting), None),
            (Some(DiskStatus::InUse), None),
            (None, Some(InstanceStatus::Starting)),
            (None, Some(InstanceStatus::Running)),
        ]
    );
    // Settling runs the disk back In_use, then starts the instance.
    w.settle_reinit("d-sys").unwrap();
    assert_eq!(record(&w, "d-sys").status, DiskStatus::InUse);
    let instance = w.instance_mut("i-1").unwrap();
    assert_eq!(instance.status, InstanceStatus::Running);
    assert!(instance.has_started);
}

#[test]
fn without_auto_start_the_instance_stays_stopped_and_the_seed_revision_never_starts_it() {
    use reinit_disk::revision::V2025_02_27;
    for (policy, value) in [
        (Policy::new(&V2025_02_27), Some("false")),
        (Policy::new(&V2025_02_27), None),
        // The seed revision does not read AutoStartInstance.
        (Policy::new(&reinit_disk::revision::SEED), Some("true")),
    ] {
        let mut w = world();
        let request = Request {
            auto_start_instance: value,
            ..Request::new("d-sys")
        };
        let target = w.begin_reinit(&request, &policy).unwrap();
        assert_eq!(target.instance_status_after, InstanceStatus::Stopped);
        assert!(!target.as_target().transition().starts_instance());
        assert_eq!(target.as_target().transition().instance_after(), None);
        w.settle_reinit("d-sys").unwrap();
        assert_eq!(
            w.instance_mut("i-1").unwrap().status,
            InstanceStatus::Stopped,
            "{value:?} under {}",
            policy.revision()
        );
    }
}

#[test]
fn an_owned_target_keeps_the_new_fields_and_an_old_record_reads_with_their_defaults() {
    use reinit_disk::revision::V2025_02_27;
    let mut w = world();
    w.insert_key_pair(reinit_disk::model::KeyPair {
        name: "kp-1".into(),
    })
    .unwrap();
    let request = Request {
        password: Some("Passw0rd!"),
        key_pair_name: Some("kp-1"),
        auto_start_instance: Some("true"),
        ..Request::new("d-sys")
    };
    let target = evaluate(&request, &w, &Policy::new(&V2025_02_27)).unwrap();
    assert!(target.password_reset);
    assert_eq!(target.key_pair_name, Some("kp-1"));
    assert_eq!(
        target.security_enhancement,
        Some(SecurityEnhancementStrategy::Deactive)
    );
    let owned = target.to_owned();
    let json = serde_json::to_string(&owned).unwrap();
    assert!(
        json.contains(r#""PasswordReset":true,"KeyPairName":"kp-1""#),
        "{json}"
    );
    assert!(
        json.contains(r#""InstanceStatusAfter":"Running""#),
        "{json}"
    );
    assert!(!json.contains("Passw0rd"), "{json}");
    assert_eq!(serde_json::from_str::<OwnedTarget>(&json).unwrap(), owned);
    // A target written before the three fields existed reads with their
    // defaults: no password reset, no key pair, the instance stopped.
    let old = r#"{"DiskId":"d-1","InstanceId":"i-1","ResetTo":"Empty","SourceId":null,"SecurityEnhancement":null,"StatusDuring":"ReIniting","StatusAfter":"In_use"}"#;
    let read: OwnedTarget = serde_json::from_str(old).unwrap();
    assert!(!read.password_reset);
    assert_eq!(read.key_pair_name, None);
    assert_eq!(read.instance_status_after, InstanceStatus::Stopped);
}

/// The one state machine's values (issue 20): an instance action checks,
/// then begins, and returns its end as a change guarded by the status it
/// expects; a change that finds its record changed since is dropped.
mod machine {
    use super::world;
    use reinit_disk::model::{DiskStatus, InstanceStatus, LockReason, LockSet};
    use reinit_disk::{
        Applied, DiskAction, DiskRefusal, InstanceAction, Refusal, Scheduled, SystemDiskDetach,
        Wait, WorldMut, WorldStatus,
    };

    fn instance_status(w: &reinit_disk::InMemoryWorld) -> InstanceStatus {
        w.instance_status("i-1").unwrap()
    }

    #[test]
    fn an_instance_action_begins_and_its_end_is_guarded() {
        let mut w = world();
        assert_eq!(
            InstanceAction::Stop.check(&w, "i-1"),
            Err(Refusal::IncorrectStatus)
        );
        assert_eq!(
            InstanceAction::Start.check(&w, "i-404"),
            Err(Refusal::NotFound)
        );
        let end = InstanceAction::Start.begin(&mut w, "i-1").unwrap().unwrap();
        assert_eq!(instance_status(&w), InstanceStatus::Starting);
        assert_eq!(
            end,
            Scheduled::Instance {
                id: "i-1".into(),
                expects: InstanceStatus::Starting,
                then: InstanceStatus::Running
            }
        );
        assert_eq!(InstanceAction::Start.wait(), Wait::Start);
        // Changed since (set Stopping by hand): the end is dropped.
        w.set_instance_status("i-1", InstanceStatus::Stopping)
            .unwrap();
        assert_eq!(end.apply(&mut w).unwrap(), Applied::Dropped);
        assert_eq!(instance_status(&w), InstanceStatus::Stopping);
        // As expected: applied.
        w.set_instance_status("i-1", InstanceStatus::Starting)
            .unwrap();
        assert_eq!(end.apply(&mut w).unwrap(), Applied::Done(None));
        assert_eq!(instance_status(&w), InstanceStatus::Running);
        // A reboot: Running, Starting, Running.
        let end = InstanceAction::Reboot
            .begin(&mut w, "i-1")
            .unwrap()
            .unwrap();
        assert_eq!(instance_status(&w), InstanceStatus::Starting);
        end.apply(&mut w).unwrap();
        assert_eq!(instance_status(&w), InstanceStatus::Running);
        // Locked for security: refused before the status is read.
        w.instance_mut("i-1").unwrap().operation_locks = LockSet::EMPTY.with(LockReason::Security);
        assert_eq!(
            InstanceAction::Stop.check(&w, "i-1"),
            Err(Refusal::LockedForSecurity)
        );
        assert_eq!(
            InstanceAction::Start.check(&w, "i-1"),
            Err(Refusal::LockedForSecurity)
        );
    }

    #[test]
    fn a_disk_change_is_dropped_when_its_disk_changed_and_a_start_waits_for_reiniting_disks() {
        let mut w = world();
        let settle = Scheduled::Disk {
            id: "d-sys".into(),
            expects: DiskStatus::ReIniting,
            then: DiskStatus::InUse,
        };
        // Not ReIniting: dropped, the disk left as it is.
        w.set_disk_status("d-sys", DiskStatus::Available).unwrap();
        assert_eq!(settle.apply(&mut w).unwrap(), Applied::Dropped);
        assert_eq!(w.disk_status("d-sys"), Some(DiskStatus::Available));
        // One disk of i-1 re-initializing: no start, the auto-start waits.
        w.set_disk_status("d-snap", DiskStatus::ReIniting).unwrap();
        assert!(w.has_disk_reiniting("i-1"));
        assert_eq!(
            InstanceAction::Start.check(&w, "i-1"),
            Err(Refusal::DiskReIniting)
        );
        let start = Scheduled::AutoStart { id: "i-1".into() };
        assert_eq!(start.apply(&mut w).unwrap(), Applied::Deferred);
        assert_eq!(w.instance_status("i-1"), Some(InstanceStatus::Stopped));
        let settle_snap = Scheduled::Disk {
            id: "d-snap".into(),
            expects: DiskStatus::ReIniting,
            then: DiskStatus::InUse,
        };
        assert_eq!(settle_snap.apply(&mut w).unwrap(), Applied::Done(None));
        let owner = settle_snap
            .settles_disk_of(|id| w.disk_record(id).and_then(|d| d.instance_id.as_deref()));
        assert_eq!(owner, Some("i-1"));
        assert!(matches!(
            start.apply(&mut w).unwrap(),
            Applied::Done(Some((Wait::Start, Scheduled::Instance { .. })))
        ));
        assert_eq!(w.instance_status("i-1"), Some(InstanceStatus::Starting));
        // An auto-start that finds the instance started already: dropped.
        assert_eq!(start.apply(&mut w).unwrap(), Applied::Dropped);
    }

    /// A world with a second instance, `i-2` (`Running`), and an
    /// unattached data disk `d-free`.
    fn with_free_disk() -> reinit_disk::InMemoryWorld {
        let mut w = world();
        w.insert_instance(reinit_disk::model::Instance {
            id: "i-2".into(),
            status: InstanceStatus::Running,
            ..Default::default()
        })
        .unwrap();
        w.insert_disk(reinit_disk::model::Disk {
            id: "d-free".into(),
            status: DiskStatus::Available,
            ..Default::default()
        })
        .unwrap();
        w
    }

    #[test]
    fn attach_takes_an_available_disk_through_attaching_to_in_use_on_its_instance() {
        let mut w = with_free_disk();
        let attach = DiskAction::Attach { instance_id: "i-2" };
        assert_eq!(attach.wait(), Wait::Attach);
        let end = attach.begin(&mut w, "d-free").unwrap().unwrap();
        let disk = w.disk_record("d-free").unwrap();
        assert_eq!(disk.status, DiskStatus::Attaching);
        assert_eq!(disk.instance_id.as_deref(), Some("i-2"));
        // Listed among its instance's disks from the start.
        assert!(w.disks_of("i-2").any(|d| d.id == "d-free"));
        assert_eq!(end.apply(&mut w).unwrap(), Applied::Done(None));
        assert_eq!(w.disk_status("d-free"), Some(DiskStatus::InUse));
        // Attached now: a second attach is refused for its status.
        assert_eq!(
            attach.check(&w, "d-free"),
            Err(DiskRefusal::IncorrectDiskStatus)
        );
    }

    #[test]
    fn attach_refuses_a_missing_disk_then_a_missing_or_locked_instance_then_the_disk_then_the_instance_status()
     {
        let mut w = with_free_disk();
        let attach = |i| DiskAction::Attach { instance_id: i };
        assert_eq!(
            attach("i-404").check(&w, "d-404"),
            Err(DiskRefusal::DiskNotFound)
        );
        assert_eq!(
            attach("i-404").check(&w, "d-free"),
            Err(DiskRefusal::InstanceNotFound)
        );
        // d-sys is In_use: its status is told after the lock.
        w.instance_mut("i-2").unwrap().operation_locks = LockSet::EMPTY.with(LockReason::Security);
        assert_eq!(
            attach("i-2").check(&w, "d-sys"),
            Err(DiskRefusal::LockedForSecurity)
        );
        w.instance_mut("i-2").unwrap().operation_locks = LockSet::EMPTY;
        assert_eq!(
            attach("i-2").check(&w, "d-sys"),
            Err(DiskRefusal::IncorrectDiskStatus)
        );
        for passing in [
            InstanceStatus::Starting,
            InstanceStatus::Stopping,
            InstanceStatus::Pending,
        ] {
            w.set_instance_status("i-2", passing).unwrap();
            assert_eq!(
                attach("i-2").check(&w, "d-free"),
                Err(DiskRefusal::IncorrectInstanceStatus),
                "{passing}"
            );
        }
        // Refused: nothing changed.
        assert_eq!(w.disk_status("d-free"), Some(DiskStatus::Available));
    }

    #[test]
    fn a_system_disk_attaches_only_to_a_stopped_instance() {
        let mut w = with_free_disk();
        w.set_disk_status("d-sys", DiskStatus::Available).unwrap();
        w.set_disk_instance("d-sys", None).unwrap();
        assert_eq!(
            DiskAction::Attach { instance_id: "i-2" }.check(&w, "d-sys"),
            Err(DiskRefusal::IncorrectInstanceStatus)
        );
        assert_eq!(
            DiskAction::Attach { instance_id: "i-1" }.check(&w, "d-sys"),
            Ok(())
        );
    }

    #[test]
    fn detach_takes_an_in_use_data_disk_through_detaching_to_available_on_no_instance() {
        let mut w = world();
        let detach = DiskAction::Detach {
            instance_id: "i-1",
            system_disk: SystemDiskDetach::Refused,
        };
        let end = detach.begin(&mut w, "d-empty").unwrap().unwrap();
        assert_eq!(
            end,
            Scheduled::Detached {
                id: "d-empty".into()
            }
        );
        let disk = w.disk_record("d-empty").unwrap();
        assert_eq!(
            (disk.status, disk.instance_id.as_deref()),
            (DiskStatus::Detaching, Some("i-1"))
        );
        assert_eq!(end.apply(&mut w).unwrap(), Applied::Done(None));
        let disk = w.disk_record("d-empty").unwrap();
        assert_eq!(
            (disk.status, disk.instance_id.as_deref()),
            (DiskStatus::Available, None)
        );
        assert!(!w.disks_of("i-1").any(|d| d.id == "d-empty"));
        // Applied again, it finds the disk changed: dropped.
        assert_eq!(end.apply(&mut w).unwrap(), Applied::Dropped);
    }

    #[test]
    fn detach_refuses_another_instances_disk_a_system_disk_and_a_passing_instance() {
        let mut w = with_free_disk();
        let detach = |i| DiskAction::Detach {
            instance_id: i,
            system_disk: SystemDiskDetach::Refused,
        };
        assert_eq!(
            detach("i-1").check(&w, "d-free"),
            Err(DiskRefusal::IncorrectDiskStatus)
        );
        assert_eq!(
            detach("i-2").check(&w, "d-empty"),
            Err(DiskRefusal::NotAttachedToInstance)
        );
        assert_eq!(
            detach("i-1").check(&w, "d-sys"),
            Err(DiskRefusal::SystemDisk)
        );
        w.set_instance_status("i-1", InstanceStatus::Stopping)
            .unwrap();
        assert_eq!(
            detach("i-1").check(&w, "d-empty"),
            Err(DiskRefusal::IncorrectInstanceStatus)
        );
        // Under today's rule, a system disk leaves a stopped instance only.
        let today = |i| DiskAction::Detach {
            instance_id: i,
            system_disk: SystemDiskDetach::WhenStopped,
        };
        assert_eq!(
            today("i-1").check(&w, "d-sys"),
            Err(DiskRefusal::IncorrectInstanceStatus)
        );
        w.set_instance_status("i-1", InstanceStatus::Running)
            .unwrap();
        assert_eq!(
            today("i-1").check(&w, "d-sys"),
            Err(DiskRefusal::IncorrectInstanceStatus)
        );
        assert_eq!(today("i-1").check(&w, "d-empty"), Ok(()));
        w.set_instance_status("i-1", InstanceStatus::Stopped)
            .unwrap();
        assert_eq!(today("i-1").check(&w, "d-sys"), Ok(()));
        // A re-initializing disk is not In_use: refused for its status.
        w.set_instance_status("i-1", InstanceStatus::Stopped)
            .unwrap();
        w.set_disk_status("d-empty", DiskStatus::ReIniting).unwrap();
        assert_eq!(
            detach("i-1").check(&w, "d-empty"),
            Err(DiskRefusal::IncorrectDiskStatus)
        );
    }

    #[test]
    fn a_snapshot_in_progress_refuses_the_reinit_then_exists_with_its_source_disk() {
        use reinit_disk::{Code, Policy, Request, World, evaluate};
        let mut w = world();
        let create = DiskAction::CreateSnapshot {
            snapshot_id: "s-new",
        };
        assert_eq!(create.wait(), Wait::Snapshot);
        let end = create.begin(&mut w, "d-empty").unwrap().unwrap();
        assert!(w.creating_snapshot("d-empty"));
        assert_eq!(
            create.check(&w, "d-empty"),
            Err(DiskRefusal::SnapshotInProgress)
        );
        for policy in [Policy::default(), Policy::new(&reinit_disk::revision::SEED)] {
            let refused = evaluate(&Request::new("d-empty"), &w, &policy).unwrap_err();
            assert_eq!(refused.code(), Code::DiskCreatingSnapshot);
        }
        assert!(w.snapshot("s-new").is_none());
        assert_eq!(end.apply(&mut w).unwrap(), Applied::Done(None));
        assert!(!w.creating_snapshot("d-empty"));
        let made = w.snapshot_record("s-new").unwrap();
        assert_eq!(made.source_disk_id.as_deref(), Some("d-empty"));
        assert_eq!(made.creation_time, reinit_disk::SNAPSHOT_TIME);
        assert!(!made.deleted);
        // Its end again: the disk no longer creates one, dropped.
        assert_eq!(end.apply(&mut w).unwrap(), Applied::Dropped);
    }

    #[test]
    fn a_snapshot_is_refused_for_a_disk_in_a_passing_status_or_on_a_locked_or_passing_instance() {
        let mut w = world();
        let create = DiskAction::CreateSnapshot {
            snapshot_id: "s-new",
        };
        assert_eq!(create.check(&w, "d-404"), Err(DiskRefusal::DiskNotFound));
        w.set_disk_status("d-empty", DiskStatus::ReIniting).unwrap();
        assert_eq!(
            create.check(&w, "d-empty"),
            Err(DiskRefusal::IncorrectDiskStatus)
        );
        w.set_disk_status("d-empty", DiskStatus::InUse).unwrap();
        w.set_instance_status("i-1", InstanceStatus::Starting)
            .unwrap();
        assert_eq!(
            create.check(&w, "d-empty"),
            Err(DiskRefusal::IncorrectInstanceStatus)
        );
        w.instance_mut("i-1").unwrap().operation_locks = LockSet::EMPTY.with(LockReason::Security);
        assert_eq!(
            create.check(&w, "d-empty"),
            Err(DiskRefusal::LockedForSecurity)
        );
    }

    #[test]
    fn delete_snapshot_marks_it_deleted_and_refuses_one_a_disk_was_made_from_unless_forced() {
        use reinit_disk::{DeleteRefusal, delete_snapshot};
        let mut w = world();
        // d-snap was made from s-1.
        assert_eq!(
            delete_snapshot(&mut w, "s-1", false, false).unwrap(),
            Err(DeleteRefusal::CreatedDisk)
        );
        assert_eq!(
            delete_snapshot(&mut w, "s-404", true, false).unwrap(),
            Err(DeleteRefusal::NotFound)
        );
        // A snapshot no disk was made from is deleted without force.
        w.insert_snapshot(reinit_disk::model::Snapshot {
            id: "s-2".into(),
            ..Default::default()
        })
        .unwrap();
        assert!(!w.snapshot_used_by_disk("s-2"));
        assert_eq!(
            delete_snapshot(&mut w, "s-2", false, false).unwrap(),
            Ok(())
        );
        assert!(w.snapshot_record("s-2").unwrap().deleted);
        // A dry run changes nothing.
        assert_eq!(delete_snapshot(&mut w, "s-1", true, true).unwrap(), Ok(()));
        assert!(!w.snapshot_record("s-1").unwrap().deleted);
        assert_eq!(delete_snapshot(&mut w, "s-1", true, false).unwrap(), Ok(()));
        assert!(w.snapshot_record("s-1").unwrap().deleted);
        assert_eq!(
            delete_snapshot(&mut w, "s-1", true, false).unwrap(),
            Err(DeleteRefusal::NotFound)
        );
    }
}

/// Issue 21: a record loaded in a transitional status with no change under
/// way settles (`Scheduled::settling_disk`, `settling_instance`); the
/// statuses that are not transitional have nothing to settle.
#[test]
fn a_record_loaded_in_a_transitional_status_has_a_change_that_settles_it() {
    use reinit_disk::{Scheduled, Wait};
    assert_eq!(
        Scheduled::settling_disk("d-1", DiskStatus::ReIniting),
        Some((
            Wait::Reinit,
            Scheduled::Disk {
                id: "d-1".into(),
                expects: DiskStatus::ReIniting,
                then: DiskStatus::InUse,
            }
        ))
    );
    assert_eq!(
        Scheduled::settling_disk("d-1", DiskStatus::Attaching),
        Some((
            Wait::Attach,
            Scheduled::Disk {
                id: "d-1".into(),
                expects: DiskStatus::Attaching,
                then: DiskStatus::InUse,
            }
        ))
    );
    assert_eq!(
        Scheduled::settling_disk("d-1", DiskStatus::Detaching),
        Some((Wait::Detach, Scheduled::Detached { id: "d-1".into() }))
    );
    for status in [
        DiskStatus::InUse,
        DiskStatus::Available,
        DiskStatus::Creating,
    ] {
        assert_eq!(Scheduled::settling_disk("d-1", status), None, "{status}");
    }
    assert_eq!(
        Scheduled::settling_snapshot("d-1", true),
        Some((
            Wait::Snapshot,
            Scheduled::Snapshot {
                id: "d-1".into(),
                snapshot_id: "s-progressing-d-1".into(),
            }
        ))
    );
    assert_eq!(Scheduled::settling_snapshot("d-1", false), None);
    let settles = |status| Scheduled::settling_instance("i-1", status);
    let to = |wait, expects, then| {
        Some((
            wait,
            Scheduled::Instance {
                id: "i-1".into(),
                expects,
                then,
            },
        ))
    };
    assert_eq!(
        settles(InstanceStatus::Stopping),
        to(
            Wait::Stop,
            InstanceStatus::Stopping,
            InstanceStatus::Stopped
        )
    );
    assert_eq!(
        settles(InstanceStatus::Starting),
        to(
            Wait::Start,
            InstanceStatus::Starting,
            InstanceStatus::Running
        )
    );
    assert_eq!(
        settles(InstanceStatus::Pending),
        to(
            Wait::Start,
            InstanceStatus::Pending,
            InstanceStatus::Stopped
        )
    );
    assert_eq!(settles(InstanceStatus::Running), None);
    assert_eq!(settles(InstanceStatus::Stopped), None);
}

/// Issue 21: a `Scheduled` change is written as a scenario's `Changes`
/// write it, in ECS's spellings, and read back the same; an unknown field
/// is refused.
#[cfg(feature = "scenario")]
#[test]
fn a_scheduled_change_is_written_in_ecs_spellings_and_read_back() {
    use reinit_disk::Scheduled;
    let changes = [
        (
            Scheduled::Disk {
                id: "d-1".into(),
                expects: DiskStatus::ReIniting,
                then: DiskStatus::InUse,
            },
            r#"{"Disk":{"DiskId":"d-1","Expects":"ReIniting","Then":"In_use"}}"#,
        ),
        (
            Scheduled::Instance {
                id: "i-1".into(),
                expects: InstanceStatus::Stopping,
                then: InstanceStatus::Stopped,
            },
            r#"{"Instance":{"InstanceId":"i-1","Expects":"Stopping","Then":"Stopped"}}"#,
        ),
        (
            Scheduled::AutoStart { id: "i-1".into() },
            r#"{"AutoStart":{"InstanceId":"i-1"}}"#,
        ),
    ];
    for (change, json) in changes {
        assert_eq!(serde_json::to_string(&change).unwrap(), json);
        assert_eq!(serde_json::from_str::<Scheduled>(json).unwrap(), change);
    }
    assert!(
        serde_json::from_str::<Scheduled>(r#"{"AutoStart":{"InstanceId":"i-1","Soon":1}}"#)
            .is_err()
    );
}

/// What a begun re-init schedules: the disk settling after the re-init's
/// wait, and, with `AutoStartInstance`, the instance's start after it.
#[test]
fn a_reinit_schedules_the_disk_settling_and_with_auto_start_the_start() {
    use reinit_disk::revision::V2025_02_27;
    use reinit_disk::{Scheduled, Wait, WorldStatus};
    let policy = Policy::new(&V2025_02_27);
    let settle = (
        Wait::Reinit,
        Scheduled::Disk {
            id: "d-sys".into(),
            expects: DiskStatus::ReIniting,
            then: DiskStatus::InUse,
        },
    );
    let mut w = world();
    assert!(!w.has_disk_reiniting("i-1"));
    let plain = w.begin_reinit(&Request::new("d-sys"), &policy).unwrap();
    assert!(w.has_disk_reiniting("i-1"));
    assert_eq!(
        Scheduled::after_reinit(&plain.as_target().transition()),
        std::slice::from_ref(&settle)
    );
    let mut w = world();
    let request = Request {
        auto_start_instance: Some("true"),
        ..Request::new("d-sys")
    };
    let starting = w.begin_reinit(&request, &policy).unwrap();
    assert_eq!(
        Scheduled::after_reinit(&starting.as_target().transition()),
        [
            settle,
            (Wait::Reinit, Scheduled::AutoStart { id: "i-1".into() })
        ]
    );
}

#[test]
fn a_scheduled_change_names_the_disk_or_the_instance_it_is_to() {
    use reinit_disk::Scheduled;
    let disk = Scheduled::Disk {
        id: "d-1".into(),
        expects: DiskStatus::ReIniting,
        then: DiskStatus::InUse,
    };
    let instance = Scheduled::Instance {
        id: "i-1".into(),
        expects: InstanceStatus::Stopping,
        then: InstanceStatus::Stopped,
    };
    let auto = Scheduled::AutoStart { id: "i-2".into() };
    assert_eq!((disk.disk_id(), disk.instance_id()), (Some("d-1"), None));
    assert_eq!(
        (instance.disk_id(), instance.instance_id()),
        (None, Some("i-1"))
    );
    assert_eq!((auto.disk_id(), auto.instance_id()), (None, Some("i-2")));
}

/// `StoppedMode` as `DescribeInstances` shows it: the mode an instance was
/// stopped with (`KeepCharging` when none was given) while it is stopping
/// or stopped, `Not-applicable` otherwise; kept by the in-memory world.
#[test]
fn the_stopped_mode_is_kept_and_shown_only_while_stopping_or_stopped() {
    use reinit_disk::model::StoppedMode;
    let mut w = world();
    let shown = |w: &InMemoryWorld| w.instance_record("i-1").unwrap().stopped_mode_shown();
    assert_eq!(shown(&w), "KeepCharging");
    w.set_stopped_mode("i-1", StoppedMode::StopCharging)
        .unwrap();
    assert_eq!(
        w.instance_record("i-1").unwrap().stopped_mode,
        Some(StoppedMode::StopCharging)
    );
    assert_eq!(shown(&w), "StopCharging");
    w.set_instance_status("i-1", InstanceStatus::Stopping)
        .unwrap();
    assert_eq!(shown(&w), "StopCharging");
    w.set_instance_status("i-1", InstanceStatus::Running)
        .unwrap();
    assert_eq!(shown(&w), "Not-applicable");
    assert!(
        w.set_stopped_mode("i-9", StoppedMode::KeepCharging)
            .is_err()
    );
}
