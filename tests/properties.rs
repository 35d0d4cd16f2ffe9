//! Property tests: the rules of `ReInitDisk`, stated as properties over
//! generated worlds, requests and policies (10,000 cases each). The first
//! part holds the seed revision on worlds of its own facts; the last part
//! (`later`) holds both revisions against the reference on worlds with every
//! fact and requests with every parameter of the 2025-02-27 revision, under
//! any order, and the seed revision's decisions to their independence from
//! what it does not read.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use proptest::prelude::*;
use proptest::sample::select;
use reinit_disk::answers::{ActiveOnNonPublicImage, Answers, DeletedSnapshotCode};
use reinit_disk::model::{
    CreationTime, Disk, DiskCategory, DiskSource, DiskStatus, Image, ImageOwnerAlias, Instance,
    InstanceStatus, LockReason, LockSet, Snapshot, Source,
};
use reinit_disk::scenario::Scenario;
use reinit_disk::{Check, Code, Policy, Rejection, Request, World, evaluate};
use reinit_disk_testkit::arb;
use reinit_disk_testkit::reference::{RefPolicy, TOO_OLD_BEFORE_UNIX, observed, reference};
use strum::VariantArray;

/// 10,000 cases per property, as CI requires; `PROPTEST_CASES` may ask for
/// more (or fewer, for a quick mutation run).
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// What a disk is made from, in a healthy world.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    System,
    FromSnapshot,
    Empty,
}

/// One broken precondition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Break {
    UnsupportedCategory(DiskCategory),
    SecurityLock,
    Arrears(LockReason),
    DiskArrears(LockReason),
    DiskNotInUse(DiskStatus),
    InstanceNotStopped(InstanceStatus),
    NeverStarted,
    CreatingSnapshot,
    SnapshotDeleted,
    SnapshotTooOld,
    ImageDeleted(ImageOwnerAlias),
    ActiveOnNonPublicImage,
}

impl Break {
    fn check(self) -> Check {
        match self {
            Break::UnsupportedCategory(_) => Check::CategorySupported,
            Break::SecurityLock => Check::InstanceNotSecurityLocked,
            Break::Arrears(_) | Break::DiskArrears(_) => Check::InstanceNotInArrears,
            Break::DiskNotInUse(_) => Check::DiskInUse,
            Break::InstanceNotStopped(_) | Break::NeverStarted => Check::InstanceStopped,
            Break::CreatingSnapshot => Check::NoSnapshotInProgress,
            Break::SnapshotDeleted => Check::SourceSnapshotExists,
            Break::SnapshotTooOld => Check::SourceSnapshotNotTooOld,
            Break::ImageDeleted(_) => Check::SourceImageExists,
            Break::ActiveOnNonPublicImage => Check::HardeningSupported,
        }
    }

    /// The code it answers, in the world `h` it was applied to.
    fn code(self, h: &Healthy) -> Code {
        match self {
            Break::UnsupportedCategory(_) => Code::DiskCategoryOperationNotSupported,
            Break::SecurityLock => Code::InstanceLockedForSecurity,
            Break::Arrears(_) | Break::DiskArrears(_) => Code::InstanceExpiredOrInArrears,
            Break::DiskNotInUse(_) => Code::IncorrectDiskStatus,
            Break::InstanceNotStopped(_) | Break::NeverStarted => Code::IncorrectInstanceStatus,
            Break::CreatingSnapshot => Code::DiskCreatingSnapshot,
            Break::SnapshotDeleted => match h.policy.answers.deleted_snapshot_code {
                DeletedSnapshotCode::InvalidSourceSnapshot => Code::InvalidSourceSnapshot,
                DeletedSnapshotCode::OperationDenied => Code::OperationDenied,
            },
            Break::SnapshotTooOld => Code::InvalidSnapshotTooOld,
            Break::ImageDeleted(_)
                if h.world.images[0].image_owner_alias == ImageOwnerAlias::Others =>
            {
                Code::SharedImageDeleted
            }
            Break::ImageDeleted(_) => Code::InvalidDiskIdOperationNotSupported,
            Break::ActiveOnNonPublicImage => Code::InvalidParameter,
        }
    }

    fn applies_to(self, kind: Kind) -> bool {
        match self {
            Break::SnapshotDeleted | Break::SnapshotTooOld => kind == Kind::FromSnapshot,
            Break::ImageDeleted(_) | Break::ActiveOnNonPublicImage => kind == Kind::System,
            _ => true,
        }
    }

    /// Whether its check fails alongside `breaks`: a security lock answers
    /// only while the disk is `In_use`.
    fn fails_with(self, breaks: &[Break]) -> bool {
        match self {
            Break::SecurityLock => !breaks.iter().any(|b| matches!(b, Break::DiskNotInUse(_))),
            _ => true,
        }
    }
}

/// A world where the request for `d-0` meets every precondition, with other
/// disks around it.
#[derive(Clone, Debug)]
struct Healthy {
    kind: Kind,
    world: Scenario,
    strategy: Option<&'static str>,
    policy: Policy,
}

impl Healthy {
    fn request(&self) -> Request<'_> {
        Request {
            action: Some("ReInitDisk"),
            disk_id: Some("d-0"),
            security_enhancement_strategy: self.strategy,
            ..Default::default()
        }
    }

    fn apply(&mut self, b: Break) {
        let disk = &mut self.world.disks[0];
        let instance = &mut self.world.instances[0];
        match b {
            Break::UnsupportedCategory(c) => {
                disk.category = c;
                let unsupported = &mut self.policy.answers.unsupported_categories;
                unsupported.0 = unsupported.0.with(c);
            }
            Break::SecurityLock => {
                instance.operation_locks = instance.operation_locks.with(LockReason::Security)
            }
            Break::Arrears(r) => instance.operation_locks = instance.operation_locks.with(r),
            Break::DiskArrears(r) => disk.operation_locks = disk.operation_locks.with(r),
            Break::DiskNotInUse(s) => disk.status = s,
            Break::InstanceNotStopped(s) => instance.status = s,
            Break::NeverStarted => instance.has_started = false,
            Break::CreatingSnapshot => disk.creating_snapshot = true,
            Break::SnapshotDeleted => self.world.snapshots[0].deleted = true,
            Break::SnapshotTooOld => {
                self.world.snapshots[0].creation_time =
                    CreationTime::from_unix_seconds(1_373_932_799).unwrap();
            }
            Break::ImageDeleted(alias) => {
                self.world.images[0].deleted = true;
                self.world.images[0].image_owner_alias = alias;
            }
            Break::ActiveOnNonPublicImage => {
                self.strategy = Some("Active");
                self.policy.answers.active_on_non_public_image = ActiveOnNonPublicImage::Reject;
                if self.world.images[0].image_owner_alias.is_public() {
                    self.world.images[0].image_owner_alias = ImageOwnerAlias::SelfOwned;
                }
            }
        }
    }
}

fn supported_category() -> impl Strategy<Value = DiskCategory> {
    let supported: Vec<DiskCategory> = DiskCategory::VARIANTS
        .iter()
        .copied()
        .filter(|c| !reinit_disk_testkit::reference::DEFAULT_UNSUPPORTED.contains(c))
        .collect();
    select(supported)
}

fn healthy() -> impl Strategy<Value = Healthy> {
    (
        select(&[Kind::System, Kind::FromSnapshot, Kind::Empty][..]),
        supported_category(),
        arb::alias(),
        (1_373_932_800i64..2_000_000_000).prop_map(|s| CreationTime::from_unix_seconds(s).unwrap()),
        proptest::option::of(select(&["Active", "Deactive"][..])),
        arb::order(),
        select(DeletedSnapshotCode::VARIANTS),
        proptest::collection::vec(arb::disk("other"), 0..3),
    )
        .prop_map(
            |(kind, category, alias, time, strategy, order, deleted, others)| {
                let source = match kind {
                    Kind::System => DiskSource::Image {
                        image_id: "m-0".into(),
                        snapshot_id: None,
                    },
                    Kind::FromSnapshot => DiskSource::Snapshot {
                        snapshot_id: "s-0".into(),
                    },
                    Kind::Empty => DiskSource::Empty,
                };
                let mut disks = vec![Disk {
                    id: "d-0".into(),
                    category,
                    status: DiskStatus::InUse,
                    instance_id: Some("i-0".into()),
                    source,
                    creating_snapshot: false,
                    operation_locks: LockSet::EMPTY,
                    ..Default::default()
                }];
                // Other disks, with ids of their own, on the same or other instances.
                for (n, mut d) in others.into_iter().enumerate() {
                    d.id = format!("d-{}", n + 1);
                    disks.push(d);
                }
                Healthy {
                    kind,
                    world: Scenario {
                        disks,
                        instances: vec![Instance {
                            id: "i-0".into(),
                            status: InstanceStatus::Stopped,
                            has_started: true,
                            operation_locks: LockSet::EMPTY,
                            ..Default::default()
                        }],
                        images: vec![Image {
                            id: "m-0".into(),
                            image_owner_alias: alias,
                            deleted: false,
                            ..Default::default()
                        }],
                        snapshots: vec![Snapshot {
                            id: "s-0".into(),
                            creation_time: time,
                            deleted: false,
                            ..Default::default()
                        }],
                        ..Scenario::default()
                    },
                    strategy,
                    policy: Policy::new(&reinit_disk::revision::SEED)
                        .with_answers(Answers {
                            deleted_snapshot_code: deleted,
                            ..Answers::default()
                        })
                        .with_order(&order)
                        .unwrap(),
                }
            },
        )
}

/// A healthy world and breaks that apply to its kind of disk, applied in an
/// order where a later break never undoes an earlier one.
fn broken(count: std::ops::Range<usize>) -> impl Strategy<Value = (Healthy, Vec<Break>)> {
    healthy()
        .prop_flat_map(move |h| {
            let kind = h.kind;
            let breaks = proptest::collection::vec(
                a_break().prop_filter("applies", move |b| b.applies_to(kind)),
                count.clone(),
            );
            (Just(h), breaks)
        })
        .prop_map(|(mut h, mut breaks)| {
            // Hardening breaks the image's alias only if it is public: apply it last.
            breaks.sort_by_key(|b| *b == Break::ActiveOnNonPublicImage);
            for b in &breaks {
                h.apply(*b);
            }
            (h, breaks)
        })
}

fn a_break() -> impl Strategy<Value = Break> {
    let unsupported: Vec<DiskCategory> = DiskCategory::VARIANTS.to_vec();
    let not_in_use: Vec<DiskStatus> = DiskStatus::VARIANTS
        .iter()
        .copied()
        .filter(|s| *s != DiskStatus::InUse)
        .collect();
    let not_stopped: Vec<InstanceStatus> = InstanceStatus::VARIANTS
        .iter()
        .copied()
        .filter(|s| *s != InstanceStatus::Stopped)
        .collect();
    let financial: Vec<LockReason> = LockReason::VARIANTS
        .iter()
        .copied()
        .filter(|r| *r != LockReason::Security)
        .collect();
    prop_oneof![
        select(unsupported).prop_map(Break::UnsupportedCategory),
        Just(Break::SecurityLock),
        select(financial.clone()).prop_map(Break::Arrears),
        select(financial).prop_map(Break::DiskArrears),
        select(not_in_use).prop_map(Break::DiskNotInUse),
        select(not_stopped).prop_map(Break::InstanceNotStopped),
        Just(Break::NeverStarted),
        Just(Break::CreatingSnapshot),
        Just(Break::SnapshotDeleted),
        Just(Break::SnapshotTooOld),
        arb::alias().prop_map(Break::ImageDeleted),
        Just(Break::ActiveOnNonPublicImage),
    ]
}

proptest! {
    #![proptest_config(config())]

    /// `evaluate` and the plain reference model give the same answer, on any
    /// world (consistent or not), request and policy.
    #[test]
    fn evaluate_agrees_with_the_reference_model(
        world in arb::world(), request in arb::request(), policy in arb::policy(),
    ) {
        prop_assert_eq!(observed(&request, &world, &policy), reference(&request, &world, &RefPolicy::of(&policy)));
    }

    /// Under the default policy, `evaluate` gives what the reference gives
    /// under the documented defaults.
    #[test]
    fn the_default_policy_agrees_with_the_documented_defaults(
        world in arb::world(), request in arb::request(),
    ) {
        let documented = RefPolicy::documented_default();
        prop_assert_eq!(observed(&request, &world, &Policy::default()), reference(&request, &world, &documented));
    }

    /// The request checks always run first: a bad Action, then a missing
    /// DiskId, then a bad strategy, whatever the world and the policy.
    #[test]
    fn the_request_checks_always_run_first(
        world in arb::world(), request in arb::request(), policy in arb::policy(),
    ) {
        let result = evaluate(&request, &world, &policy);
        let bad_action = request.action.is_some_and(|a| a != "ReInitDisk");
        let no_disk_id = request.disk_id.is_none_or(str::is_empty);
        let bad_strategy = !matches!(request.security_enhancement_strategy, None | Some("" | "Active" | "Deactive"));
        let expected = if bad_action {
            Some(Code::InvalidActionNotFound)
        } else if no_disk_id {
            Some(Code::MissingParameter)
        } else if bad_strategy {
            Some(Code::InvalidParameter)
        } else {
            None
        };
        if let Some(code) = expected {
            let rejection = result.unwrap_err();
            prop_assert_eq!(rejection.code(), code);
            prop_assert!(rejection.check().is_request_check());
        } else if let Err(rejection) = result {
            prop_assert!(!rejection.check().is_request_check());
        }
    }

    /// An accepted request meets every precondition of the page and the
    /// product's decisions.
    #[test]
    fn accepted_only_if_every_precondition_holds(
        world in arb::world(), request in arb::valid_request(), policy in arb::policy(),
    ) {
        if let Ok(target) = evaluate(&request, &world, &policy) {
            let disk = world.disk(request.disk_id.unwrap()).expect("the disk exists");
            prop_assert!(!policy.answers.unsupported_categories.contains(disk.category));
            prop_assert_eq!(disk.status, DiskStatus::InUse);
            prop_assert!(!disk.creating_snapshot);
            prop_assert!(!disk.operation_locks.any_financial());
            let instance = world.instance(disk.instance_id.expect("attached")).expect("the instance exists");
            prop_assert_eq!(target.instance_id, instance.id);
            prop_assert!(instance.operation_locks.is_empty());
            prop_assert_eq!(instance.status, InstanceStatus::Stopped);
            prop_assert!(instance.has_started);
            match disk.source {
                Source::Image(image_id) => {
                    let image = world.image(image_id).expect("the image exists");
                    prop_assert!(!image.deleted);
                    if policy.answers.active_on_non_public_image == ActiveOnNonPublicImage::Reject
                        && request.security_enhancement_strategy == Some("Active") {
                        prop_assert!(image.image_owner_alias.is_public());
                    }
                }
                Source::Snapshot(snapshot_id) => {
                    let snapshot = world.snapshot(snapshot_id).expect("the snapshot exists");
                    prop_assert!(!snapshot.deleted);
                    prop_assert!(snapshot.creation_time.unix_seconds() >= TOO_OLD_BEFORE_UNIX);
                }
                Source::Empty => {}
            }
        }
    }

    /// A request that meets every precondition is accepted, whatever the
    /// check order, the deleted-snapshot code and the other disks.
    #[test]
    fn accepted_whenever_every_precondition_holds(h in healthy()) {
        let result = evaluate(&h.request(), &h.world, &h.policy);
        prop_assert!(result.is_ok(), "{:?}", result);
    }

    /// One broken precondition yields exactly its code and check, whatever
    /// the order of the checks.
    #[test]
    fn a_single_broken_precondition_yields_exactly_its_code_whatever_the_order(
        (h, breaks) in broken(1..2),
    ) {
        let b = breaks[0];
        let rejection = evaluate(&h.request(), &h.world, &h.policy).unwrap_err();
        prop_assert_eq!(rejection.code(), b.code(&h));
        prop_assert_eq!(rejection.check(), b.check());
    }

    /// With several preconditions broken, the first failing check in the
    /// policy's order decides (a security lock fails only while the disk is
    /// `In_use`).
    #[test]
    fn with_several_broken_the_first_in_the_policy_order_wins(
        (h, breaks) in broken(2..6),
    ) {
        let first = h.policy.order().iter()
            .find_map(|c| breaks.iter().rev().find(|b| b.check() == *c && b.fails_with(&breaks)))
            .copied()
            .unwrap();
        let rejection = evaluate(&h.request(), &h.world, &h.policy).unwrap_err();
        prop_assert_eq!(rejection.check(), first.check());
        prop_assert_eq!(rejection.code(), first.code(&h));
    }

    /// The target is the disk's own source: its image, its snapshot, or empty,
    /// on the instance it is attached to.
    #[test]
    fn the_target_matches_the_disk_source(h in healthy()) {
        let target = evaluate(&h.request(), &h.world, &h.policy).unwrap();
        let disk = &h.world.disks[0];
        prop_assert_eq!(target.disk_id, "d-0");
        prop_assert_eq!(Some(target.instance_id), disk.instance_id.as_deref());
        prop_assert_eq!(target.reset_to, disk.source.as_source());
        match (&disk.source, target.reset_to) {
            (DiskSource::Image { image_id, .. }, Source::Image(id)) => prop_assert_eq!(image_id.as_str(), id),
            (DiskSource::Snapshot { snapshot_id }, Source::Snapshot(id)) => prop_assert_eq!(snapshot_id.as_str(), id),
            (DiskSource::Empty, Source::Empty) => {}
            (source, reset_to) => prop_assert!(false, "{source:?} reset to {reset_to:?}"),
        }
        // Hardening: only on a system disk, and Active only on a public image.
        let public = h.world.images[0].image_owner_alias.is_public();
        let expected = match (h.kind, h.strategy) {
            (Kind::System, Some("Active")) if public => Some(reinit_disk::SecurityEnhancementStrategy::Active),
            (Kind::System, Some("Deactive")) => Some(reinit_disk::SecurityEnhancementStrategy::Deactive),
            _ => None,
        };
        prop_assert_eq!(target.security_enhancement, expected);
    }

    /// Under the default policy, a valid SecurityEnhancementStrategy (or none)
    /// never changes whether a request is accepted, nor the code if not.
    #[test]
    fn a_valid_hardening_strategy_never_changes_acceptance_under_the_default_policy(
        world in arb::world(), disk_id in select(&arb::DISK_IDS),
    ) {
        let policy = Policy::new(&reinit_disk::revision::SEED);
        let code = |strategy| {
            let request = Request { action: Some("ReInitDisk"), disk_id: Some(disk_id), security_enhancement_strategy: strategy,
..Default::default()
};
            evaluate(&request, &world, &policy).map(|_| ()).map_err(|e| e.code())
        };
        let none = code(None);
        prop_assert_eq!(&code(Some("Active")), &none);
        prop_assert_eq!(&code(Some("Deactive")), &none);
    }

    /// The same inputs always give the same answer.
    #[test]
    fn evaluate_is_deterministic(world in arb::world(), request in arb::request(), policy in arb::policy()) {
        let first = evaluate(&request, &world, &policy);
        let clone = world.clone();
        prop_assert_eq!(first, evaluate(&request, &world, &policy));
        prop_assert_eq!(first, evaluate(&request, &clone, &policy));
    }

    /// What other disks are like never changes the answer for this one.
    #[test]
    fn facts_about_other_disks_never_change_the_answer(
        world in arb::world(), request in arb::valid_request(), policy in arb::policy(),
        replacement in arb::world(),
    ) {
        let before = observed(&request, &world, &policy);
        let asked = request.disk_id.unwrap();
        let mut changed = world.clone();
        changed.disks.retain(|d| d.id == asked);
        changed.disks.extend(replacement.disks.into_iter().filter(|d| d.id != asked));
        prop_assert_eq!(before, observed(&request, &changed, &policy));
    }

    /// A rejection says exactly what its catalogue row says.
    #[test]
    fn a_rejection_carries_its_catalogue_row(
        world in arb::world(), request in arb::request(), policy in arb::policy(),
    ) {
        if let Err(rejection) = evaluate(&request, &world, &policy) {
            let row = policy.revision().entry(rejection.code()).unwrap();
            prop_assert_eq!(rejection.message(), row.message);
            prop_assert_eq!(rejection.http_status(), row.http_status);
            prop_assert!(rejection.check().codes().contains(&rejection.code()));
        }
    }

    /// The model types round-trip through serde (JSON) unchanged.
    #[test]
    fn model_types_round_trip_through_serde(world in arb::world(), policy in arb::policy()) {
        let scenario = Scenario { policy, ..world };
        let json = serde_json::to_string(&scenario).unwrap();
        let back: Scenario = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &scenario);
        for disk in &scenario.disks {
            let back: Disk = serde_json::from_str(&serde_json::to_string(disk).unwrap()).unwrap();
            prop_assert_eq!(&back, disk);
        }
    }
}

/// Whether `check` runs before `other` under `policy`.
fn runs_before(policy: &Policy, check: Check, other: Check) -> bool {
    let at = |c| policy.order().iter().position(|x| *x == c);
    check.is_request_check() || at(check) < at(other)
}

/// What adding a lock decided by `check` to a world that answered `before`
/// must answer: the same rejection if an earlier check already refused, else
/// `code` from `check`.
fn refused_by(
    before: &Result<(), Rejection>,
    policy: &Policy,
    check: Check,
    code: Code,
) -> (Code, Check) {
    match before {
        Err(r) if runs_before(policy, r.check(), check) => (r.code(), r.check()),
        _ => (code, check),
    }
}

proptest! {
    #![proptest_config(config())]

    /// A security lock on the instance refuses a re-init only while the disk
    /// is `In_use` (the operation-locks appendix); a disk in any other status
    /// gets what it would get unlocked.
    #[test]
    fn a_security_lock_answers_only_while_the_disk_is_in_use(
        world in arb::attached_world(), strategy in proptest::option::of(select(&["Active", "Deactive"][..])),
        policy in arb::policy(),
    ) {
        let request = Request { security_enhancement_strategy: strategy, ..Request::new("d-0") };
        let mut unlocked = world.clone();
        let locks = unlocked.instances[0].operation_locks;
        unlocked.instances[0].operation_locks = locks.without(LockReason::Security);
        let mut locked = world.clone();
        locked.instances[0].operation_locks = locks.with(LockReason::Security);

        let got = evaluate(&request, &locked, &policy).map(|_| ());
        if world.disks[0].status == DiskStatus::InUse {
            let before = evaluate(&request, &unlocked, &policy).map(|_| ());
            let (code, check) = refused_by(&before, &policy, Check::InstanceNotSecurityLocked, Code::InstanceLockedForSecurity);
            let rejection = got.unwrap_err();
            prop_assert_eq!((rejection.code(), rejection.check()), (code, check));
        } else {
            prop_assert_eq!(observed(&request, &locked, &policy), observed(&request, &unlocked, &policy));
            prop_assert!(got.is_err_and(|r| r.code() != Code::InstanceLockedForSecurity));
        }
    }

    /// A disk's own financial, recycling, dedicatedhostfinancial or refunded
    /// lock answers `InstanceExpiredOrInArrears` at `instance-not-in-arrears`
    /// as its instance's would, and first: attached to nothing, to an
    /// instance the world lacks, or to one it has.
    #[test]
    fn a_disk_in_arrears_is_refused_like_its_instance(
        world in arb::world_with_disk(), strategy in proptest::option::of(select(&["Active", "Deactive"][..])),
        policy in arb::policy(),
        reason in select(&[LockReason::Financial, LockReason::Recycling, LockReason::Dedicatedhostfinancial, LockReason::Refunded][..]),
    ) {
        let request = Request { security_enhancement_strategy: strategy, ..Request::new("d-0") };
        let mut unlocked = world.clone();
        let locks = unlocked.disks[0].operation_locks;
        unlocked.disks[0].operation_locks = locks
            .without(LockReason::Financial)
            .without(LockReason::Recycling)
            .without(LockReason::Dedicatedhostfinancial)
            .without(LockReason::Refunded);
        let mut locked = unlocked.clone();
        locked.disks[0].operation_locks = unlocked.disks[0].operation_locks.with(reason);

        let before = evaluate(&request, &unlocked, &policy).map(|_| ());
        let (code, check) = refused_by(&before, &policy, Check::InstanceNotInArrears, Code::InstanceExpiredOrInArrears);
        let rejection = evaluate(&request, &locked, &policy).unwrap_err();
        prop_assert_eq!((rejection.code(), rejection.check()), (code, check));

        // Like its instance: the same lock on the instance decides the same.
        let instance = unlocked.disks[0].instance_id.clone();
        if let Some(i) = unlocked.instances.iter().position(|i| Some(&i.id) == instance.as_ref()) {
            let mut instance_locked = unlocked.clone();
            let locks = instance_locked.instances[i].operation_locks;
            instance_locked.instances[i].operation_locks = locks.with(reason);
            prop_assert_eq!(observed(&request, &locked, &policy), observed(&request, &instance_locked, &policy));
        }
    }

    /// A disk's own security lock is no rule of `ReInitDisk`: it changes
    /// nothing.
    #[test]
    fn a_security_lock_on_the_disk_itself_changes_nothing(
        world in arb::world_with_disk(), request in arb::valid_request(), policy in arb::policy(),
    ) {
        let mut locked = world.clone();
        let mut unlocked = world.clone();
        let locks = world.disks[0].operation_locks;
        locked.disks[0].operation_locks = locks.with(LockReason::Security);
        unlocked.disks[0].operation_locks = locks.without(LockReason::Security);
        prop_assert_eq!(observed(&request, &locked, &policy), observed(&request, &unlocked, &policy));
    }
}

// ---------------------------------------------------------------------------
// Both revisions: worlds with the facts the 2025-02-27 revision added,
// requests with its parameters, policies of either revision.

/// A parameter's value, `None` when absent or empty.
fn given(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.is_empty())
}

/// Generators for the 2025-02-27 revision's facts and parameters, over the
/// same small id pools as `arb`, mostly at their defaults so that requests
/// are accepted as well as refused.
mod later {
    use super::*;
    use reinit_disk::model::{Account, KeyPair, KeyState, KmsKey, MultiAttach, OsType};
    use reinit_disk::revision::{SEED, V2025_02_27};

    pub const KMS_KEY_IDS: [&str; 2] = ["key-0", "key-1"];
    pub const KEY_PAIR_NAMES: [&str; 2] = ["kp-0", "kp-1"];

    /// True about one time in `n`.
    fn one_in(n: u32) -> impl Strategy<Value = bool> {
        proptest::bool::weighted(1.0 / f64::from(n))
    }

    pub fn disk(id: &'static str) -> impl Strategy<Value = Disk> {
        (
            arb::disk(id),
            one_in(8),
            proptest::option::weighted(0.3, select(&KMS_KEY_IDS[..])),
        )
            .prop_map(|(disk, multi_attach, key)| Disk {
                multi_attach: if multi_attach {
                    MultiAttach::Enabled
                } else {
                    MultiAttach::Disabled
                },
                kms_key_id: key.map(str::to_owned),
                ..disk
            })
    }

    pub fn instance(id: &'static str) -> impl Strategy<Value = Instance> {
        (
            arb::instance(id),
            any::<bool>(),
            one_in(8),
            one_in(3),
            one_in(8),
        )
            .prop_map(
                |(instance, windows, hibernation_configured, login_as_non_root, not_optimized)| {
                    Instance {
                        os_type: if windows {
                            OsType::Windows
                        } else {
                            OsType::Linux
                        },
                        hibernation_configured,
                        login_as_non_root,
                        io_optimized: !not_optimized,
                        ..instance
                    }
                },
            )
    }

    pub fn image(id: &'static str) -> impl Strategy<Value = Image> {
        (arb::image(id), one_in(4)).prop_map(|(image, unsupported)| Image {
            login_as_non_root_supported: !unsupported,
            ..image
        })
    }

    pub fn snapshot(id: &'static str) -> impl Strategy<Value = Snapshot> {
        (
            arb::snapshot(id),
            proptest::option::of(select(&arb::DISK_IDS[..])),
            one_in(3),
        )
            .prop_map(|(snapshot, source_disk_id, instant_access)| Snapshot {
                source_disk_id: source_disk_id.map(str::to_owned),
                instant_access,
                ..snapshot
            })
    }

    pub fn kms_key(id: &'static str) -> impl Strategy<Value = KmsKey> {
        (
            prop_oneof![
                3 => Just(KeyState::Enabled),
                1 => select(KeyState::VARIANTS),
            ],
            proptest::bool::weighted(0.85),
            proptest::bool::weighted(0.85),
        )
            .prop_map(move |(key_state, ecs_authorized, ecs_tagged)| KmsKey {
                id: id.to_owned(),
                key_state,
                ecs_authorized,
                ecs_tagged,
            })
    }

    pub fn account() -> impl Strategy<Value = Account> {
        (proptest::bool::weighted(0.9), proptest::bool::weighted(0.8)).prop_map(
            |(listed, supported)| {
                Account::DEFAULT
                    .with_in_volume_white_list(listed)
                    .with_region_supports_login_as_non_root(supported)
            },
        )
    }

    fn some_of<T: std::fmt::Debug>(
        ids: &'static [&'static str],
        each: impl Fn(&'static str) -> BoxedStrategy<T>,
    ) -> impl Strategy<Value = Vec<T>> {
        let parts: Vec<_> = ids
            .iter()
            .map(|id| proptest::option::of(each(id)))
            .collect();
        parts.prop_map(|v| v.into_iter().flatten().collect())
    }

    /// A world with every kind of fact, unique ids, any of which may be
    /// absent (disks may name instances, images, snapshots and KMS keys the
    /// world lacks).
    pub fn world() -> impl Strategy<Value = Scenario> {
        (
            some_of(&arb::DISK_IDS, |id| disk(id).boxed()),
            some_of(&arb::INSTANCE_IDS, |id| instance(id).boxed()),
            some_of(&arb::IMAGE_IDS, |id| image(id).boxed()),
            some_of(&arb::SNAPSHOT_IDS, |id| snapshot(id).boxed()),
            some_of(&KMS_KEY_IDS, |id| kms_key(id).boxed()),
            proptest::sample::subsequence(&KEY_PAIR_NAMES[..], 0..=2),
            account(),
        )
            .prop_map(
                |(disks, instances, images, snapshots, kms_keys, key_pairs, account)| Scenario {
                    disks,
                    instances,
                    images,
                    snapshots,
                    kms_keys,
                    key_pairs: key_pairs
                        .into_iter()
                        .map(|name| KeyPair {
                            name: name.to_owned(),
                        })
                        .collect(),
                    account,
                    ..Scenario::default()
                },
            )
    }

    /// A value from `pool` most of the time, else any short printable
    /// string (or one with a character the rules refuse).
    fn text(pool: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop_oneof![
            4 => select(pool).prop_map(str::to_owned),
            1 => "[ -~]{0,34}",
            1 => "[a-zA-Z0-9()`~!@#$%^&*_+=|{}:;'<>,.?/\\[\\]\\-]{6,32}",
            1 => "[a-z0-9-]{0,66}",
            1 => "[a-zA-Z0-9\u{e9}\u{ff01}\t ]{7,9}",
        ]
    }

    const PASSWORDS: &[&str] = &[
        "Abcdef12",
        "/Abcdef12",
        "Abcde12",
        "abcdef12",
        "Abcdefghijklmnopqrstuvwxyz1234",
        "Abcdefghijklmnopqrstuvwxyz12345",
        "",
    ];
    const AUTO_STARTS: &[&str] = &["true", "false", "TRUE", "False", "yes", ""];
    const REGION_IDS: &[&str] = &["cn-hangzhou", "ap-southeast-1", "CN", "a-", "1a", ""];
    const KEY_PAIRS: &[&str] = &["kp-0", "kp-1", "kp-9", ""];

    /// Any request, with the 2025-02-27 revision's parameters too.
    pub fn request() -> impl Strategy<Value = (Request<'static>, [Option<String>; 4])> {
        (
            arb::request(),
            proptest::option::weighted(0.5, text(PASSWORDS)),
            proptest::option::weighted(0.4, text(KEY_PAIRS)),
            proptest::option::weighted(0.4, text(AUTO_STARTS)),
            proptest::option::weighted(0.5, text(REGION_IDS)),
        )
            .prop_map(|(request, password, key_pair, auto_start, region)| {
                (request, [password, key_pair, auto_start, region])
            })
    }

    /// `request` with the parameters `owned` holds.
    pub fn with_params<'a>(request: Request<'a>, owned: &'a [Option<String>; 4]) -> Request<'a> {
        let [password, key_pair_name, auto_start_instance, region_id] = owned;
        Request {
            password: password.as_deref(),
            key_pair_name: key_pair_name.as_deref(),
            auto_start_instance: auto_start_instance.as_deref(),
            region_id: region_id.as_deref(),
            ..request
        }
    }

    /// `revision` under any order of its world checks and any answers.
    pub fn policy_of(revision: &'static reinit_disk::Revision) -> impl Strategy<Value = Policy> {
        (
            Just(revision.world_checks.to_vec()).prop_shuffle(),
            any::<bool>(),
            select(DeletedSnapshotCode::VARIANTS),
            proptest::sample::subsequence(DiskCategory::VARIANTS, 0..=DiskCategory::VARIANTS.len()),
            select(ActiveOnNonPublicImage::VARIANTS),
            select(reinit_disk::answers::DeletedImageCode::VARIANTS),
        )
            .prop_map(
                move |(order, default_order, deleted_snapshot_code, unsupported, active, image)| {
                    let policy = Policy::new(revision).with_answers(Answers {
                        deleted_snapshot_code,
                        unsupported_categories: reinit_disk::answers::UnsupportedCategories(
                            reinit_disk::model::CategorySet::from(unsupported),
                        ),
                        active_on_non_public_image: active,
                        deleted_image_code: image,
                    });
                    if default_order {
                        policy
                    } else {
                        policy.with_order(&order).unwrap()
                    }
                },
            )
    }

    pub fn seed_policy() -> impl Strategy<Value = Policy> {
        policy_of(&SEED)
    }

    pub fn v2025_policy() -> impl Strategy<Value = Policy> {
        policy_of(&V2025_02_27)
    }

    /// `good` most of the time, `other` one time in `n`.
    fn mostly<T: Clone + std::fmt::Debug + 'static>(
        good: T,
        n: u32,
        other: impl Strategy<Value = T> + 'static,
    ) -> BoxedStrategy<T> {
        prop_oneof![n - 1 => Just(good), 1 => other].boxed()
    }

    /// A disk `d-0` that is nearly healthy: each precondition, old or new,
    /// holds most of the time, so that every check, in any order, often gets
    /// to decide. Its instance `i-0`, image `m-0`, snapshot `s-0`, KMS key
    /// `key-0`, a snapshot `s-9` made from it, the key pair `kp-0` and the
    /// account are each nearly healthy too; other disks are any.
    pub fn near_healthy_world() -> impl Strategy<Value = Scenario> {
        let disk = (
            mostly(DiskCategory::CloudEssd, 8, arb::category()),
            mostly(DiskStatus::InUse, 8, arb::disk_status()),
            mostly(Some("i-0"), 10, select(&[None, Some("i-9")][..])),
            select(&[0u8, 1, 2][..]),
            one_in(10),
            mostly(LockSet::EMPTY, 10, arb::locks()),
            one_in(10),
            proptest::option::of(Just("key-0")),
        );
        let instance = (
            mostly(InstanceStatus::Stopped, 8, arb::instance_status()),
            proptest::bool::weighted(0.9),
            mostly(LockSet::EMPTY, 8, arb::locks()),
            any::<bool>(),
            one_in(10),
            one_in(3),
            one_in(10),
        );
        let image = (
            proptest::bool::weighted(0.9),
            arb::alias(),
            one_in(10),
            proptest::bool::weighted(0.75),
        );
        let snapshot = (
            proptest::bool::weighted(0.9),
            prop_oneof![
                4 => Just(1_600_000_000i64),
                1 => (-2i64..=2).prop_map(|d| reinit_disk_testkit::reference::TOO_OLD_BEFORE_UNIX + d),
                1 => (-2i64..=2).prop_map(|d| reinit_disk_testkit::reference::TOO_OLD_BEFORE_UNIX_2025 + d),
            ],
            one_in(10),
        );
        let kms_key = (
            proptest::bool::weighted(0.9),
            mostly(KeyState::Enabled, 4, select(KeyState::VARIANTS)),
            proptest::bool::weighted(0.9),
            proptest::bool::weighted(0.9),
        );
        let extras = (
            one_in(8),
            any::<bool>(),
            proptest::bool::weighted(0.75),
            account(),
            proptest::collection::vec(arb::disk("other"), 0..3),
        );
        (disk, instance, image, snapshot, kms_key, extras).prop_map(
            |(disk, instance, image, snapshot, kms_key, extras)| {
                let (category, status, instance_id, source, creating, locks, multi, key) = disk;
                let (i_status, started, i_locks, windows, hibernation, non_root, not_optimized) =
                    instance;
                let (image_present, alias, image_deleted, non_root_supported) = image;
                let (snapshot_present, seconds, snapshot_deleted) = snapshot;
                let (key_present, key_state, authorized, tagged) = kms_key;
                let (instant, instant_deleted, key_pair_listed, account, others) = extras;
                let source = match source {
                    0 => DiskSource::Image {
                        image_id: "m-0".into(),
                        snapshot_id: None,
                    },
                    1 => DiskSource::Snapshot {
                        snapshot_id: "s-0".into(),
                    },
                    _ => DiskSource::Empty,
                };
                let mut disks = vec![Disk {
                    id: "d-0".into(),
                    category,
                    status,
                    instance_id: instance_id.map(str::to_owned),
                    source,
                    creating_snapshot: creating,
                    operation_locks: locks,
                    multi_attach: if multi {
                        MultiAttach::Enabled
                    } else {
                        MultiAttach::Disabled
                    },
                    kms_key_id: key.map(str::to_owned),
                }];
                for (n, mut d) in others.into_iter().enumerate() {
                    d.id = format!("d-{}", n + 1);
                    disks.push(d);
                }
                let mut snapshots = vec![Snapshot {
                    id: "s-9".into(),
                    creation_time: CreationTime::from_unix_seconds(1_700_000_000).unwrap(),
                    deleted: instant_deleted,
                    source_disk_id: Some("d-0".into()),
                    instant_access: instant,
                }];
                if snapshot_present {
                    snapshots.push(Snapshot {
                        id: "s-0".into(),
                        creation_time: CreationTime::from_unix_seconds(seconds).unwrap(),
                        deleted: snapshot_deleted,
                        ..Default::default()
                    });
                }
                Scenario {
                    disks,
                    instances: vec![Instance {
                        id: "i-0".into(),
                        status: i_status,
                        has_started: started,
                        operation_locks: i_locks,
                        os_type: if windows {
                            OsType::Windows
                        } else {
                            OsType::Linux
                        },
                        hibernation_configured: hibernation,
                        login_as_non_root: non_root,
                        io_optimized: !not_optimized,
                        stopped_mode: None,
                    }],
                    images: if image_present {
                        vec![Image {
                            id: "m-0".into(),
                            image_owner_alias: alias,
                            deleted: image_deleted,
                            login_as_non_root_supported: non_root_supported,
                        }]
                    } else {
                        vec![]
                    },
                    snapshots,
                    kms_keys: if key_present {
                        vec![KmsKey {
                            id: "key-0".into(),
                            key_state,
                            ecs_authorized: authorized,
                            ecs_tagged: tagged,
                        }]
                    } else {
                        vec![]
                    },
                    key_pairs: if key_pair_listed {
                        vec![KeyPair {
                            name: "kp-0".into(),
                        }]
                    } else {
                        vec![]
                    },
                    account,
                    ..Scenario::default()
                }
            },
        )
    }

    /// A request for `d-0` that the request checks mostly accept, with the
    /// 2025-02-27 revision's parameters (the key pair `kp-0` or `kp-9`).
    pub fn near_valid_request() -> impl Strategy<Value = (Request<'static>, [Option<String>; 4])> {
        (
            mostly(
                Some("ReInitDisk"),
                20,
                select(&[None, Some(""), Some("reinitdisk")][..]),
            ),
            mostly(
                Some("d-0"),
                20,
                select(&[None, Some(""), Some("d-1"), Some("d-9")][..]),
            ),
            prop_oneof![
                10 => select(&[None, Some("Active"), Some("Deactive"), Some("")][..]),
                1 => select(&[Some("active"), Some("On")][..]),
            ],
            proptest::option::weighted(0.5, mostly("Abcdef12".to_owned(), 4, text(PASSWORDS))),
            proptest::option::weighted(0.5, mostly("kp-0".to_owned(), 3, text(KEY_PAIRS))),
            proptest::option::weighted(0.4, mostly("true".to_owned(), 4, text(AUTO_STARTS))),
            proptest::option::weighted(0.5, mostly("cn-hangzhou".to_owned(), 8, text(REGION_IDS))),
        )
            .prop_map(
                |(action, disk_id, strategy, password, key_pair, auto_start, region)| {
                    let request = Request {
                        action,
                        disk_id,
                        security_enhancement_strategy: strategy,
                        ..Default::default()
                    };
                    (request, [password, key_pair, auto_start, region])
                },
            )
    }

    /// The same world with every fact the 2025-02-27 revision added at its
    /// default (the disk's own locks, a seed fact, stay).
    pub fn without_new_facts(world: &Scenario) -> Scenario {
        let mut plain = world.clone();
        for d in &mut plain.disks {
            d.multi_attach = MultiAttach::Disabled;
            d.kms_key_id = None;
        }
        for i in &mut plain.instances {
            i.os_type = OsType::Linux;
            i.hibernation_configured = false;
            i.login_as_non_root = false;
            i.io_optimized = true;
        }
        for i in &mut plain.images {
            i.login_as_non_root_supported = true;
        }
        for s in &mut plain.snapshots {
            s.source_disk_id = None;
            s.instant_access = false;
        }
        plain.key_pairs.clear();
        plain.kms_keys.clear();
        plain.account = Account::DEFAULT;
        plain
    }
}

proptest! {
    #![proptest_config(config())]

    /// The 2025-02-27 revision and the reference agree on any world (with
    /// every kind of fact, consistent or not), any request (with every
    /// parameter, valid or not) and any policy of the revision (any order of
    /// its world checks, any answers).
    #[test]
    fn the_2025_revision_agrees_with_the_reference_on_any_world_request_and_policy(
        world in later::world(), (request, owned) in later::request(), policy in later::v2025_policy(),
    ) {
        let request = later::with_params(request, &owned);
        prop_assert_eq!(observed(&request, &world, &policy), reference(&request, &world, &RefPolicy::of(&policy)));
    }

    /// Under its default policy, the 2025-02-27 revision gives what the
    /// reference gives under the documented defaults.
    #[test]
    fn the_2025_revisions_default_policy_agrees_with_its_documented_defaults(
        world in later::world(), (request, owned) in later::request(),
    ) {
        let request = later::with_params(request, &owned);
        let documented = RefPolicy::documented_default_of("2025-02-27");
        let policy = Policy::new(&reinit_disk::revision::V2025_02_27);
        prop_assert_eq!(observed(&request, &world, &policy), reference(&request, &world, &documented));
    }

    /// The 2025-02-27 revision and the reference agree on nearly healthy
    /// worlds and requests, where each check, in any order, often decides.
    #[test]
    fn the_2025_revision_agrees_with_the_reference_where_every_check_gets_to_decide(
        world in later::near_healthy_world(), (request, owned) in later::near_valid_request(),
        policy in later::v2025_policy(),
    ) {
        let request = later::with_params(request, &owned);
        prop_assert_eq!(observed(&request, &world, &policy), reference(&request, &world, &RefPolicy::of(&policy)));
    }

    /// The seed revision and the reference agree on the same nearly healthy
    /// worlds and requests, new facts and parameters included.
    #[test]
    fn the_seed_revision_agrees_with_the_reference_where_every_check_gets_to_decide(
        world in later::near_healthy_world(), (request, owned) in later::near_valid_request(),
        policy in later::seed_policy(),
    ) {
        let request = later::with_params(request, &owned);
        prop_assert_eq!(observed(&request, &world, &policy), reference(&request, &world, &RefPolicy::of(&policy)));
    }

    /// The seed revision and the reference agree on the same worlds and
    /// requests, with the new facts and parameters in them, under any seed
    /// policy.
    #[test]
    fn the_seed_revision_agrees_with_the_reference_on_any_world_and_request_with_the_new_facts(
        world in later::world(), (request, owned) in later::request(), policy in later::seed_policy(),
    ) {
        let request = later::with_params(request, &owned);
        prop_assert_eq!(observed(&request, &world, &policy), reference(&request, &world, &RefPolicy::of(&policy)));
    }

    /// The seed revision's decision, to its message, does not depend on the
    /// facts and parameters the 2025-02-27 revision added: without them it
    /// decides the same, and its target keeps their defaults.
    #[test]
    fn the_seed_revisions_decisions_do_not_depend_on_the_new_facts_or_parameters(
        (world, (request, owned)) in prop_oneof![
            (later::world(), later::request()),
            (later::near_healthy_world(), later::near_valid_request()),
        ],
        policy in later::seed_policy(),
    ) {
        let full = later::with_params(request, &owned);
        let plain_world = later::without_new_facts(&world);
        let decided = evaluate(&full, &world, &policy);
        let plain = evaluate(&request, &plain_world, &policy);
        prop_assert_eq!(
            reinit_disk::scenario::Decision::from(&decided),
            reinit_disk::scenario::Decision::from(&plain)
        );
        if let Ok(target) = decided {
            prop_assert!(!target.password_reset);
            prop_assert_eq!(target.key_pair_name, None);
            prop_assert_eq!(target.instance_status_after, InstanceStatus::Stopped);
        }
    }

    /// In the 2025-02-27 revision, the request checks run first whatever the
    /// world and the order: a malformed Password, then AutoStartInstance,
    /// then RegionId, once Action, DiskId and the strategy are fine.
    #[test]
    fn the_2025_parameter_checks_run_before_any_world_check(
        world in later::world(), (request, owned) in later::request(), policy in later::v2025_policy(),
    ) {
        let request = later::with_params(request, &owned);
        if let Err(rejection) = evaluate(&request, &world, &policy) {
            let early = request.action.is_some_and(|a| a != "ReInitDisk")
                || given(request.disk_id).is_none()
                || !matches!(given(request.security_enhancement_strategy), None | Some("Active" | "Deactive"));
            let expected = if early {
                None
            } else if given(request.password).is_some_and(|p| !reinit_disk_testkit::reference::password_is_acceptable(p)) {
                Some((Code::InvalidPasswordMalformed, Check::PasswordValue))
            } else if given(request.auto_start_instance)
                .is_some_and(|a| !a.eq_ignore_ascii_case("true") && !a.eq_ignore_ascii_case("false"))
            {
                Some((Code::InvalidParameter, Check::AutoStartValue))
            } else if given(request.region_id).is_some_and(|r| !reinit_disk_testkit::reference::region_id_is_acceptable(r)) {
                Some((Code::InvalidRegionIdMalFormed, Check::RegionIdValue))
            } else {
                None
            };
            if let Some(expected) = expected {
                prop_assert_eq!((rejection.code(), rejection.check()), expected);
            } else if !early {
                prop_assert!(!rejection.check().is_request_check());
            }
        }
    }

    /// A scenario's disk has a snapshot with instant access exactly when a
    /// snapshot that exists (not deleted), made from it, has instant access:
    /// the fact the reference reads from the disk's view.
    #[test]
    fn a_scenarios_instant_access_fact_is_a_live_snapshot_of_the_disk_with_instant_access(
        world in later::world(),
    ) {
        for disk in &world.disks {
            let expected = world.snapshots.iter().any(|s| {
                !s.deleted && s.instant_access && s.source_disk_id.as_deref() == Some(disk.id.as_str())
            });
            prop_assert_eq!(world.disk(&disk.id).unwrap().has_instant_access_snapshot, expected);
        }
    }
}

/// The near-healthy generators are strong enough: over 10,000 cases under
/// the revision's default policy and with every knob flipped, every row of
/// the 2025-02-27 catalogue is answered, and one request in twenty or more
/// is accepted.
#[test]
fn the_near_healthy_generators_reach_every_row_of_the_2025_catalogue() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    use reinit_disk::revision::V2025_02_27;
    let mut runner = TestRunner::deterministic();
    let mut flipped_order = V2025_02_27.world_checks.to_vec();
    flipped_order.reverse();
    let policies = [
        Policy::new(&V2025_02_27),
        Policy::new(&V2025_02_27)
            .with_answers(Answers {
                deleted_snapshot_code: DeletedSnapshotCode::OperationDenied,
                active_on_non_public_image: ActiveOnNonPublicImage::Reject,
                deleted_image_code: reinit_disk::answers::DeletedImageCode::InvalidImageIdNotFound,
                ..Answers::default()
            })
            .with_order(&flipped_order)
            .unwrap(),
    ];
    let worlds = later::near_healthy_world();
    let requests = later::near_valid_request();
    let mut rows = std::collections::BTreeSet::new();
    let mut accepted = 0;
    let cases = 10_000;
    for n in 0..cases {
        let world = worlds.new_tree(&mut runner).unwrap().current();
        let (request, owned) = requests.new_tree(&mut runner).unwrap().current();
        let request = later::with_params(request, &owned);
        match evaluate(&request, &world, &policies[n % 2]) {
            Ok(_) => accepted += 1,
            Err(r) => {
                rows.insert((r.code(), r.message().to_owned()));
            }
        }
    }
    let every: std::collections::BTreeSet<_> = V2025_02_27
        .catalogue
        .iter()
        .map(|e| (e.code, e.message.to_owned()))
        .collect();
    let missing: Vec<_> = every.difference(&rows).collect();
    assert!(missing.is_empty(), "never answered: {missing:?}");
    assert!(
        accepted * 20 >= cases,
        "only {accepted} of {cases} accepted"
    );
}
