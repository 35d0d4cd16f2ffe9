//! Property tests: the rules of `ReInitDisk`, stated as properties over
//! generated worlds, requests and policies (10,000 cases each).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::arb;
use common::reference::{RefPolicy, TOO_OLD_BEFORE_UNIX, observed, reference};
use proptest::prelude::*;
use proptest::sample::select;
use reinit_disk::answers::{ActiveOnNonPublicImage, Answers, DeletedSnapshotCode};
use reinit_disk::model::{
    CreationTime, Disk, DiskCategory, DiskSource, DiskStatus, Image, ImageOwnerAlias, Instance,
    InstanceStatus, LockReason, LockSet, Snapshot, Source,
};
use reinit_disk::scenario::Scenario;
use reinit_disk::{Check, Code, Policy, Rejection, Request, World, evaluate};
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
        .filter(|c| !common::reference::DEFAULT_UNSUPPORTED.contains(c))
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
                    policy: Policy::default()
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
        let policy = Policy::default();
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
