//! The engine (`evaluate`, `evaluate_traced`): what the trace says of each
//! check (passed, failed, or not applicable for want of a fact), and what a
//! reordered policy decides when a check runs before the one that finds its
//! fact.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk_testkit::cases;
#[allow(
    dead_code,
    reason = "each test uses its own part of the shared helpers"
)]
use reinit_disk_testkit::one_disk;

use reinit_disk::model::{DiskStatus, LockReason, LockSet};
use reinit_disk::{
    Check, Code, InMemoryWorld, Policy, Request, Step, Verdict, evaluate, evaluate_traced,
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

/// Under the 2025-02-27 revision, `evaluate` looks the key pair, the KMS
/// key and the account up once each, however many checks read them (an
/// accepted encrypted system disk with a key pair to bind reads all
/// three).
#[test]
fn the_key_pair_the_kms_key_and_the_account_are_looked_up_once_each() {
    use std::cell::RefCell;

    use reinit_disk::World;
    use reinit_disk::model::{Account, DiskView, ImageView, InstanceView, KeyPairView, KmsKeyView};

    struct Counting<'w> {
        world: &'w InMemoryWorld,
        log: RefCell<Vec<&'static str>>,
    }
    impl World for Counting<'_> {
        fn disk(&self, id: &str) -> Option<DiskView<'_>> {
            self.world.disk(id)
        }
        fn instance(&self, id: &str) -> Option<InstanceView<'_>> {
            self.world.instance(id)
        }
        fn image(&self, id: &str) -> Option<ImageView<'_>> {
            self.world.image(id)
        }
        fn snapshot(&self, id: &str) -> Option<reinit_disk::model::SnapshotView<'_>> {
            self.world.snapshot(id)
        }
        fn key_pair(&self, name: &str) -> Option<KeyPairView<'_>> {
            self.log.borrow_mut().push("key pair");
            self.world.key_pair(name)
        }
        fn kms_key(&self, id: &str) -> Option<KmsKeyView<'_>> {
            self.log.borrow_mut().push("KMS key");
            self.world.kms_key(id)
        }
        fn account(&self) -> Account {
            self.log.borrow_mut().push("account");
            self.world.account()
        }
    }
    let scenario = reinit_disk::scenario::Scenario::from_json(
        r#"{"Request": {"DiskId": "d-1", "KeyPairName": "kp-1"},
            "Disks": [{"DiskId": "d-1", "Type": "system", "Category": "cloud_essd",
                       "Status": "In_use", "InstanceId": "i-1", "ImageId": "m-1",
                       "Encrypted": true, "KMSKeyId": "key-1"}],
            "Instances": [{"InstanceId": "i-1", "Status": "Stopped"}],
            "Images": [{"ImageId": "m-1", "ImageOwnerAlias": "system"}],
            "KeyPairs": [{"KeyPairName": "kp-1"}],
            "KmsKeys": [{"KeyId": "key-1", "KeyState": "Enabled",
                         "EcsAuthorized": true, "EcsTagged": true}],
            "Policy": {"Revision": "2025-02-27"}}"#,
    )
    .unwrap();
    let world = scenario.to_world().unwrap();
    let counting = Counting {
        world: &world,
        log: RefCell::new(Vec::new()),
    };
    let target =
        reinit_disk::evaluate(&scenario.request(), &counting, &scenario.policy).expect("accepted");
    assert_eq!(target.key_pair_name, Some("kp-1"));
    let mut log = counting.log.into_inner();
    log.sort_unstable();
    assert_eq!(log, ["KMS key", "account", "key pair"]);
}
