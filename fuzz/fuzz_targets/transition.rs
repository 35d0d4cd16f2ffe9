//! A sequence of operations on an in-memory world: re-init (begin and
//! settle, either through `InMemoryWorld::begin_reinit`/`settle_reinit` or as
//! an emulator does, `evaluate` then the target's `Transition` applied
//! through `WorldMut`), start, stop, lock and unlock an instance or a disk,
//! snapshot begin and end, delete image or snapshot, detach, attach.
//!
//! Invariants after every step: a disk is `ReIniting` exactly while a re-init
//! of it has begun and not settled; a disk being re-initialized is never
//! accepted again until it settles; settling leaves the disk `In_use` on the
//! same instance, its source unchanged, reset to what the start said; a
//! rejected request or a refused settle changes nothing; no operation ever
//! changes a disk's source; every decision agrees with the reference model.

#![no_main]

use std::collections::BTreeMap;

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use reinit_disk::model::{Disk, DiskSource, DiskStatus, InstanceStatus, LockReason};
use reinit_disk::{
    Check, Code, InMemoryWorld, OwnedTarget, Policy, Request, SecurityEnhancementStrategy,
    TransitionError, World, evaluate,
};
use reinit_disk_fuzz::reference::{Expected, RefPolicy, reference};
use reinit_disk_fuzz::{
    DISK_IDS, IMAGE_IDS, INSTANCE_IDS, SNAPSHOT_IDS, check_decision, in_memory, policy, world,
};

#[derive(Arbitrary, Debug)]
enum Op {
    Reinit {
        disk: u8,
        strategy: Option<SecurityEnhancementStrategy>,
        /// As an emulator does: `evaluate`, then the transition's first
        /// stage through `WorldMut` (else `begin_reinit`).
        by_transition: bool,
    },
    Settle {
        disk: u8,
        /// Through the pending target's transition (else `settle_reinit`).
        by_transition: bool,
    },
    Start {
        instance: u8,
    },
    Stop {
        instance: u8,
    },
    SetInstanceStatus {
        instance: u8,
        status: InstanceStatus,
    },
    Lock {
        instance: u8,
        reason: LockReason,
    },
    Unlock {
        instance: u8,
        reason: LockReason,
    },
    LockDisk {
        disk: u8,
        reason: LockReason,
    },
    UnlockDisk {
        disk: u8,
        reason: LockReason,
    },
    SnapshotBegin {
        disk: u8,
    },
    SnapshotEnd {
        disk: u8,
    },
    DeleteImage {
        image: u8,
    },
    DeleteSnapshot {
        snapshot: u8,
    },
    Detach {
        disk: u8,
    },
    Attach {
        disk: u8,
        instance: u8,
    },
}

fn pick(pool: &'static [&'static str], i: u8) -> &'static str {
    pool[usize::from(i) % pool.len()]
}

/// A re-init that has begun and not settled.
#[derive(Debug)]
struct Pending {
    /// What `begin_reinit` said (`None` for a disk that was already
    /// `ReIniting` in the initial world).
    started: Option<OwnedTarget>,
    /// The instance the disk was attached to when it began.
    instance_id: Option<String>,
}

struct Run {
    world: InMemoryWorld,
    policy: Policy,
    pending: BTreeMap<String, Pending>,
    sources: BTreeMap<String, DiskSource>,
}

impl Run {
    fn step(&mut self, op: &Op) {
        let w = &mut self.world;
        match *op {
            Op::Reinit {
                disk,
                strategy,
                by_transition,
            } => self.reinit(pick(&DISK_IDS, disk), strategy, by_transition),
            Op::Settle {
                disk,
                by_transition,
            } => self.settle(pick(&DISK_IDS, disk), by_transition),
            Op::Start { instance } => {
                if let Some(i) = w.instance_mut(pick(&INSTANCE_IDS, instance)) {
                    i.status = InstanceStatus::Running;
                    i.has_started = true;
                }
            }
            Op::Stop { instance } => {
                if let Some(i) = w.instance_mut(pick(&INSTANCE_IDS, instance)) {
                    i.status = InstanceStatus::Stopped;
                }
            }
            Op::SetInstanceStatus { instance, status } => {
                if let Some(i) = w.instance_mut(pick(&INSTANCE_IDS, instance)) {
                    i.status = status;
                }
            }
            Op::Lock { instance, reason } => {
                if let Some(i) = w.instance_mut(pick(&INSTANCE_IDS, instance)) {
                    i.operation_locks = i.operation_locks.with(reason);
                }
            }
            Op::Unlock { instance, reason } => {
                if let Some(i) = w.instance_mut(pick(&INSTANCE_IDS, instance)) {
                    i.operation_locks = i.operation_locks.without(reason);
                }
            }
            Op::LockDisk { disk, reason } => {
                if let Some(d) = w.disk_mut(pick(&DISK_IDS, disk)) {
                    d.operation_locks = d.operation_locks.with(reason);
                }
            }
            Op::UnlockDisk { disk, reason } => {
                if let Some(d) = w.disk_mut(pick(&DISK_IDS, disk)) {
                    d.operation_locks = d.operation_locks.without(reason);
                }
            }
            Op::SnapshotBegin { disk } => {
                if let Some(d) = w.disk_mut(pick(&DISK_IDS, disk)) {
                    d.creating_snapshot = true;
                }
            }
            Op::SnapshotEnd { disk } => {
                if let Some(d) = w.disk_mut(pick(&DISK_IDS, disk)) {
                    d.creating_snapshot = false;
                }
            }
            Op::DeleteImage { image } => {
                if let Some(i) = w.image_mut(pick(&IMAGE_IDS, image)) {
                    i.deleted = true;
                }
            }
            Op::DeleteSnapshot { snapshot } => {
                if let Some(mut s) = w.snapshot_mut(pick(&SNAPSHOT_IDS, snapshot)) {
                    s.deleted = true;
                }
            }
            Op::Detach { disk } => {
                // The service detaches an In_use disk only (not one being
                // re-initialized).
                if let Some(d) = w.disk_mut(pick(&DISK_IDS, disk))
                    && d.status == DiskStatus::InUse
                {
                    d.status = DiskStatus::Available;
                    d.instance_id = None;
                }
            }
            Op::Attach { disk, instance } => {
                let instance = pick(&INSTANCE_IDS, instance);
                let exists = w.instance(instance).is_some();
                if let Some(d) = w.disk_mut(pick(&DISK_IDS, disk))
                    && exists
                    && d.status == DiskStatus::Available
                    && d.instance_id.is_none()
                {
                    d.status = DiskStatus::InUse;
                    d.instance_id = Some(instance.to_owned());
                }
            }
        }
        self.invariants();
    }

    /// The disk `id`'s record.
    fn record(&self, id: &str) -> Option<&Disk> {
        self.world.disks().find(|d| d.id == id)
    }

    fn reinit(
        &mut self,
        disk_id: &str,
        strategy: Option<SecurityEnhancementStrategy>,
        by_transition: bool,
    ) {
        let mut request = Request::new(disk_id);
        if let Some(s) = strategy {
            request = request.with_strategy(s);
        }
        let before = self.world.clone();
        let expected = reference(&request, &before, &RefPolicy::of(&self.policy));
        let was_pending = self.pending.contains_key(disk_id);
        let begun = if by_transition {
            // Decide, keep an owned copy (the target borrows the world),
            // then apply the first stage.
            let decided = evaluate(&request, &self.world, &self.policy).map(|t| t.to_owned());
            if let Ok(started) = &decided {
                started
                    .as_target()
                    .transition()
                    .begin(&mut self.world)
                    .expect("the disk and its instance were just read");
            }
            decided
        } else {
            self.world.begin_reinit(&request, &self.policy)
        };
        match begun {
            Ok(started) => {
                assert!(!was_pending, "{disk_id} accepted again before it settled");
                assert_eq!(
                    expected,
                    Expected::Accept {
                        disk_id: started.disk_id.clone(),
                        instance_id: started.instance_id.clone(),
                        reset_to: started.reset_to,
                        source_id: started.source_id.clone(),
                        security_enhancement: started.security_enhancement,
                        password_reset: started.password_reset,
                        key_pair_name: started.key_pair_name.clone(),
                        instance_status_after: started.instance_status_after,
                    }
                );
                let disk = self.record(disk_id).expect("the disk exists");
                assert_eq!(disk.status, DiskStatus::ReIniting);
                assert_eq!(
                    disk.instance_id.as_deref(),
                    Some(started.instance_id.as_str())
                );
                let instance_id = disk.instance_id.clone();
                // Nothing else changed.
                let mut undo = self.world.clone();
                if let Some(d) = undo.disk_mut(disk_id) {
                    d.status = DiskStatus::InUse;
                }
                assert_eq!(undo, before, "begin changed more than the status");
                self.pending.insert(
                    disk_id.to_owned(),
                    Pending {
                        started: Some(started),
                        instance_id,
                    },
                );
            }
            Err(rejection) => {
                assert_eq!(
                    expected,
                    Expected::Reject {
                        code: rejection.code(),
                        check: rejection.check(),
                    }
                );
                if rejection.check() == Check::DiskInUse {
                    assert_eq!(rejection.code(), Code::IncorrectDiskStatus);
                }
                assert_eq!(self.world, before, "a rejected request changed the world");
            }
        }
    }

    fn settle(&mut self, disk_id: &str, by_transition: bool) {
        let before = self.world.clone();
        let pending = self.pending.remove(disk_id);
        let result = match pending.as_ref().and_then(|p| p.started.as_ref()) {
            // As an emulator does: the target's transition, second stage.
            Some(started) if by_transition => started
                .as_target()
                .transition()
                .settle(&mut self.world)
                .map(|()| (started.reset_to, started.source_id.clone())),
            _ => self
                .world
                .settle_reinit(disk_id)
                .map(|source| (source.kind(), source.id().map(str::to_owned))),
        };
        match pending {
            Some(pending) => {
                let (kind, source_id) = result.expect("a pending re-init settles");
                let disk = self.record(disk_id).expect("the disk exists");
                assert_eq!(disk.status, DiskStatus::InUse, "settled but not In_use");
                assert_eq!(disk.instance_id, pending.instance_id, "settled elsewhere");
                assert_eq!(Some(&disk.source), self.sources.get(disk_id));
                assert_eq!(kind, disk.source.as_source().kind());
                assert_eq!(source_id.as_deref(), disk.source.as_source().id());
                if let Some(started) = pending.started {
                    assert_eq!(kind, started.reset_to);
                    assert_eq!(source_id, started.source_id);
                }
                let mut undo = self.world.clone();
                if let Some(d) = undo.disk_mut(disk_id) {
                    d.status = DiskStatus::ReIniting;
                }
                assert_eq!(undo, before, "settling changed more than the status");
            }
            None => {
                match result {
                    Err(TransitionError::UnknownDisk(id)) => {
                        assert_eq!(id, disk_id);
                        assert!(self.world.disk(disk_id).is_none());
                    }
                    Err(TransitionError::NotReIniting { status, .. }) => {
                        assert_ne!(status, DiskStatus::ReIniting);
                    }
                    Err(other) => panic!("{disk_id}: settle refused with {other}"),
                    Ok(_) => panic!("{disk_id} settled with no re-init pending"),
                }
                assert_eq!(self.world, before, "a refused settle changed the world");
            }
        }
    }

    fn invariants(&self) {
        for disk in self.world.disks() {
            assert_eq!(
                disk.status == DiskStatus::ReIniting,
                self.pending.contains_key(&disk.id),
                "{} is {} with pending {:?}",
                disk.id,
                disk.status,
                self.pending.get(&disk.id)
            );
            assert_eq!(
                Some(&disk.source),
                self.sources.get(&disk.id),
                "a source changed"
            );
        }
        for (id, pending) in &self.pending {
            let disk = self.record(id).expect("a pending disk exists");
            assert_eq!(
                disk.instance_id, pending.instance_id,
                "moved while ReIniting"
            );
            for strategy in [None, Some("Active"), Some("Deactive")] {
                let request = Request {
                    security_enhancement_strategy: strategy,
                    ..Request::new(id)
                };
                assert!(
                    evaluate(&request, &self.world, &self.policy).is_err(),
                    "{id} would be accepted again while ReIniting"
                );
            }
        }
        for id in DISK_IDS {
            check_decision(&Request::new(id), &self.world, &self.policy);
        }
    }
}

fn run(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    let scenario = world(u)?;
    let policy = policy(u)?;
    let world = in_memory(&scenario);
    let mut run = Run {
        pending: world
            .disks()
            .filter(|d| d.status == DiskStatus::ReIniting)
            .map(|d| {
                let pending = Pending {
                    started: None,
                    instance_id: d.instance_id.clone(),
                };
                (d.id.clone(), pending)
            })
            .collect(),
        sources: world
            .disks()
            .map(|d| (d.id.clone(), d.source.clone()))
            .collect(),
        world,
        policy,
    };
    run.invariants();
    for _ in 0..64 {
        if u.is_empty() {
            break;
        }
        let op = Op::arbitrary(u)?;
        run.step(&op);
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
