//! A sequence of operations on an in-memory world: re-init (begin and
//! settle), start, stop, lock, unlock, snapshot begin and end, delete image or
//! snapshot, detach, attach.
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
use reinit_disk::model::{DiskSource, DiskStatus, InstanceStatus, LockReason};
use reinit_disk::world::{Started, TransitionError};
use reinit_disk::{
    Check, Code, InMemoryWorld, Policy, Request, SecurityEnhancementStrategy, World, evaluate,
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
    },
    Settle {
        disk: u8,
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
    started: Option<Started>,
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
            Op::Reinit { disk, strategy } => self.reinit(pick(&DISK_IDS, disk), strategy),
            Op::Settle { disk } => self.settle(pick(&DISK_IDS, disk)),
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
                if let Some(s) = w.snapshot_mut(pick(&SNAPSHOT_IDS, snapshot)) {
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

    fn reinit(&mut self, disk_id: &str, strategy: Option<SecurityEnhancementStrategy>) {
        let mut request = Request::new(disk_id);
        if let Some(s) = strategy {
            request = request.with_strategy(s);
        }
        let before = self.world.clone();
        let expected = reference(&request, &before, &RefPolicy::of(&self.policy));
        let was_pending = self.pending.contains_key(disk_id);
        match self.world.begin_reinit(&request, &self.policy) {
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
                    }
                );
                let disk = self.world.disk(disk_id).expect("the disk exists");
                assert_eq!(disk.status, DiskStatus::ReIniting);
                assert_eq!(
                    disk.instance_id.as_deref(),
                    Some(started.instance_id.as_str())
                );
                // Nothing else changed.
                let mut undo = self.world.clone();
                if let Some(d) = undo.disk_mut(disk_id) {
                    d.status = DiskStatus::InUse;
                }
                assert_eq!(undo, before, "begin_reinit changed more than the status");
                let instance_id = disk.instance_id.clone();
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

    fn settle(&mut self, disk_id: &str) {
        let before = self.world.clone();
        let result = self
            .world
            .settle_reinit(disk_id)
            .map(|(kind, id)| (kind, id.map(str::to_owned)));
        match self.pending.remove(disk_id) {
            Some(pending) => {
                let (kind, source_id) = result.expect("a pending re-init settles");
                let disk = self.world.disk(disk_id).expect("the disk exists");
                assert_eq!(disk.status, DiskStatus::InUse, "settled but not In_use");
                assert_eq!(disk.instance_id, pending.instance_id, "settled elsewhere");
                assert_eq!(Some(&disk.source), self.sources.get(disk_id));
                if let Some(started) = pending.started {
                    assert_eq!(kind, started.reset_to);
                    assert_eq!(source_id, started.source_id);
                }
                let mut undo = self.world.clone();
                if let Some(d) = undo.disk_mut(disk_id) {
                    d.status = DiskStatus::ReIniting;
                }
                assert_eq!(undo, before, "settle_reinit changed more than the status");
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
            let disk = self.world.disk(id).expect("a pending disk exists");
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
