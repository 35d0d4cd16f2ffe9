//! The checks and their order: every rule of `ReInitDisk`, in one place, in
//! the order they run, and [`evaluate`], which runs them.
//!
//! The three request checks run first, always in the same order. The world
//! checks follow in the policy's order (default: the order of
//! [`WORLD_CHECKS`]). The first check that fails decides. A world check that
//! needs a fact the world lacks (no such disk, a disk attached to nothing, a
//! disk with no snapshot) does not apply and passes, so every order is
//! meaningful. docs/rules.md gives the reason for each rule and each place.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumCount, EnumIter, EnumString, IntoStaticStr, VariantArray};

use crate::catalogue::{Code, INTERNAL_ERROR};
use crate::model::{
    Disk, DiskSource, DiskStatus, Image, ImageOwnerAlias, Instance, InstanceStatus, LockReason,
    Snapshot,
};
use crate::outcome::{Reinit, Rejection, ResetTo};
use crate::policy::{ActiveOnNonPublicImage, CheckOrder, Policy};
use crate::request::{ACTION, Request, SecurityEnhancementStrategy};
use crate::world::World;

/// A check, by its stable kebab-case name.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Display,
    EnumString,
    EnumIter,
    EnumCount,
    IntoStaticStr,
    VariantArray,
    Serialize,
    Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[strum(serialize_all = "kebab-case")]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// `Action`, when given, is `ReInitDisk`.
    Action,
    /// `DiskId` is given and not empty.
    DiskIdGiven,
    /// `SecurityEnhancementStrategy`, when given, is `Active` or `Deactive`.
    StrategyValue,
    /// The disk exists.
    DiskExists,
    /// The disk's category supports re-init.
    CategorySupported,
    /// The disk's instance is not locked for security.
    InstanceNotSecurityLocked,
    /// The disk's instance is not expired or in arrears.
    InstanceNotInArrears,
    /// The disk is `In_use` (attached).
    DiskInUse,
    /// The disk's instance is `Stopped` and has started once.
    InstanceStopped,
    /// No snapshot of the disk is being created.
    NoSnapshotInProgress,
    /// A data disk's source snapshot still exists.
    SourceSnapshotExists,
    /// A data disk's source snapshot was made after 15 July 2013.
    SourceSnapshotNotTooOld,
    /// A system disk's image still exists.
    SourceImageExists,
    /// `Active` is asked for on a public image only (when the policy says so).
    HardeningSupported,
}

impl Check {
    /// The stable name, as decisions and policies spell it.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// Every code this check can answer with when it fails, under any
    /// policy: its own first, then the alternatives (the policy's choice of
    /// deleted-snapshot code, the shared-image code, or `InternalError` for an
    /// instance the world does not have).
    pub const fn codes(self) -> &'static [Code] {
        match self {
            Self::Action => &[Code::InvalidActionNotFound],
            Self::DiskIdGiven => &[Code::MissingParameter],
            Self::StrategyValue => &[Code::InvalidParameter],
            Self::DiskExists => &[Code::InvalidDiskIdNotFound],
            Self::CategorySupported => &[Code::DiskCategoryOperationNotSupported],
            Self::InstanceNotSecurityLocked => {
                &[Code::InstanceLockedForSecurity, Code::InternalError]
            }
            Self::InstanceNotInArrears => &[Code::InstanceExpiredOrInArrears, Code::InternalError],
            Self::DiskInUse => &[Code::IncorrectDiskStatus],
            Self::InstanceStopped => &[Code::IncorrectInstanceStatus, Code::InternalError],
            Self::NoSnapshotInProgress => &[Code::DiskCreatingSnapshot],
            Self::SourceSnapshotExists => &[Code::InvalidSourceSnapshot, Code::OperationDenied],
            Self::SourceSnapshotNotTooOld => &[Code::InvalidSnapshotTooOld],
            Self::SourceImageExists => &[
                Code::SharedImageDeleted,
                Code::InvalidDiskIdOperationNotSupported,
            ],
            Self::HardeningSupported => &[Code::InvalidParameter],
        }
    }

    /// What the check requires, in a line (the decision table's "Passes
    /// when" column).
    pub const fn requirement(self) -> &'static str {
        match self {
            Check::Action => "`Action`, when given, is `ReInitDisk`",
            Check::DiskIdGiven => "`DiskId` is given and not empty",
            Check::StrategyValue => {
                "`SecurityEnhancementStrategy`, when given, is `Active` or `Deactive` (case-sensitive)"
            }
            Check::DiskExists => "the disk exists",
            Check::CategorySupported => {
                "the disk's category is not in the policy's `UnsupportedCategories`"
            }
            Check::InstanceNotSecurityLocked => "the disk's instance has no `security` lock",
            Check::InstanceNotInArrears => {
                "the disk's instance has no `financial`, `recycling`, `dedicatedhostfinancial` or `refunded` lock"
            }
            Check::DiskInUse => "the disk is `In_use` (attached)",
            Check::InstanceStopped => "the disk's instance is `Stopped` and has started once",
            Check::NoSnapshotInProgress => "no snapshot of the disk is being created",
            Check::SourceSnapshotExists => "a data disk's source snapshot exists",
            Check::SourceSnapshotNotTooOld => {
                "a data disk's source snapshot was created on or after 2013-07-16T00:00:00Z"
            }
            Check::SourceImageExists => "a system disk's image exists",
            Check::HardeningSupported => {
                "`Active` is asked for on a public image only (checked only when the policy's `ActiveOnNonPublicImage` is `Reject`)"
            }
        }
    }

    /// Whether this is one of the three request checks, which always run
    /// first.
    pub fn is_request_check(self) -> bool {
        REQUEST_CHECKS.contains(&self)
    }
}

/// The request checks, in the order they always run.
pub const REQUEST_CHECKS: [Check; 3] = [Check::Action, Check::DiskIdGiven, Check::StrategyValue];

/// The world checks, in the default order.
pub const WORLD_CHECKS: [Check; 11] = [
    Check::DiskExists,
    Check::CategorySupported,
    Check::InstanceNotSecurityLocked,
    Check::InstanceNotInArrears,
    Check::DiskInUse,
    Check::InstanceStopped,
    Check::NoSnapshotInProgress,
    Check::SourceSnapshotExists,
    Check::SourceSnapshotNotTooOld,
    Check::SourceImageExists,
    Check::HardeningSupported,
];

/// What one check found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// The check holds.
    Pass,
    /// The check needs a fact the world lacks, so it does not apply.
    NotApplicable,
    /// The check fails with this code.
    Fail(Code),
}

/// One step of an evaluation, as [`evaluate_traced`] reports it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Step {
    /// The check that ran.
    pub check: Check,
    /// What it found.
    pub verdict: Verdict,
}

/// Decides a `ReInitDisk` request: the state the disk is re-initialized to,
/// or the exact rejection.
///
/// Pure: no I/O, no clock, no randomness, no allocation, no panic. The same
/// inputs always give the same answer.
///
/// ```
/// use reinit_disk::{evaluate, Code, InMemoryWorld, Policy, Request};
///
/// let world = InMemoryWorld::new();
/// let rejection = evaluate(&Request::new("d-missing"), &world, &Policy::default()).unwrap_err();
/// assert_eq!(rejection.code(), Code::InvalidDiskIdNotFound);
/// assert_eq!(rejection.http_status(), 404);
/// assert_eq!(rejection.message(), "The specified disk does not exist.");
/// ```
pub fn evaluate<'w, W: World + ?Sized>(
    request: &Request<'_>,
    world: &'w W,
    policy: &Policy,
) -> Result<Reinit<'w>, Rejection> {
    evaluate_traced(request, world, policy, |_| {})
}

/// [`evaluate`], telling `trace` each check that ran and what it found, in
/// order (the failing check last). Checks after the deciding one do not run.
pub fn evaluate_traced<'w, W: World + ?Sized>(
    request: &Request<'_>,
    world: &'w W,
    policy: &Policy,
    mut trace: impl FnMut(Step),
) -> Result<Reinit<'w>, Rejection> {
    let mut facts = Facts::new(request, world, policy);
    let mut step = |check: Check| facts.step(check, &mut trace);
    for check in REQUEST_CHECKS {
        step(check)?;
    }
    // The same loop either way; over the default order, a constant, the
    // compiler can lay the checks out one after the other.
    if policy.order == CheckOrder::DEFAULT {
        for check in WORLD_CHECKS {
            step(check)?;
        }
    } else {
        for check in policy.order.checks() {
            step(*check)?;
        }
    }
    facts
        .target()
        .ok_or_else(|| Rejection::new(&INTERNAL_ERROR, Check::DiskInUse))
}

/// The instance a disk is attached to, as far as the world knows it.
#[derive(Clone, Copy)]
enum Attached<'w> {
    /// There is no disk, or it is attached to nothing.
    Nothing,
    /// The disk names an instance the world does not have.
    Dangling,
    /// The instance.
    To(&'w Instance),
}

/// The facts the checks read, each looked up at most once, when first needed.
struct Facts<'r, 'w, W: ?Sized> {
    request: &'r Request<'r>,
    world: &'w W,
    policy: &'r Policy,
    strategy: Option<SecurityEnhancementStrategy>,
    disk: Option<Option<&'w Disk>>,
    instance: Option<Attached<'w>>,
    image: Option<Option<&'w Image>>,
    snapshot: Option<Option<&'w Snapshot>>,
}

impl<'r, 'w, W: World + ?Sized> Facts<'r, 'w, W> {
    fn new(request: &'r Request<'r>, world: &'w W, policy: &'r Policy) -> Self {
        Self {
            request,
            world,
            policy,
            strategy: None,
            disk: None,
            instance: None,
            image: None,
            snapshot: None,
        }
    }

    /// Runs `check`, tells `trace`, and turns a failure into its rejection.
    #[inline(always)]
    fn step(&mut self, check: Check, trace: &mut impl FnMut(Step)) -> Result<(), Rejection> {
        let verdict = self.run(check);
        trace(Step { check, verdict });
        match verdict {
            Verdict::Fail(code) => Err(Rejection::new(
                self.policy.catalogue.entry(code).unwrap_or(&INTERNAL_ERROR),
                check,
            )),
            Verdict::Pass | Verdict::NotApplicable => Ok(()),
        }
    }

    /// The rules, in the default order. Each arm reads as the rule it is.
    #[inline(always)]
    fn run(&mut self, check: Check) -> Verdict {
        use Verdict::{Fail, NotApplicable, Pass};
        match check {
            // 1. An action other than ReInitDisk is not this API.
            Check::Action => match self.request.action {
                Some(action) if action != ACTION => Fail(Code::InvalidActionNotFound),
                _ => Pass,
            },
            // 2. DiskId is mandatory; an empty value is no value.
            Check::DiskIdGiven => match self.request.disk_id {
                Some(id) if !id.is_empty() => Pass,
                _ => Fail(Code::MissingParameter),
            },
            // 3. SecurityEnhancementStrategy is Active or Deactive, exactly;
            //    an empty value is no value.
            Check::StrategyValue => match self.request.security_enhancement_strategy {
                None | Some("") => Pass,
                Some(value) => match value.parse() {
                    Ok(strategy) => {
                        self.strategy = Some(strategy);
                        Pass
                    }
                    Err(_) => Fail(Code::InvalidParameter),
                },
            },
            // 4. The disk exists.
            Check::DiskExists => match self.disk() {
                Some(_) => Pass,
                None => Fail(Code::InvalidDiskIdNotFound),
            },
            // 5. The disk's category supports re-init.
            Check::CategorySupported => match self.disk() {
                None => NotApplicable,
                Some(disk) if self.policy.unsupported_categories.contains(disk.category) => {
                    Fail(Code::DiskCategoryOperationNotSupported)
                }
                Some(_) => Pass,
            },
            // 6. Its instance is not locked for security.
            Check::InstanceNotSecurityLocked => match self.instance() {
                Attached::Nothing => NotApplicable,
                Attached::Dangling => Fail(Code::InternalError),
                Attached::To(i) if i.operation_locks.contains(LockReason::Security) => {
                    Fail(Code::InstanceLockedForSecurity)
                }
                Attached::To(_) => Pass,
            },
            // 7. Its instance is not expired or in arrears (any other lock).
            Check::InstanceNotInArrears => match self.instance() {
                Attached::Nothing => NotApplicable,
                Attached::Dangling => Fail(Code::InternalError),
                Attached::To(i) if i.operation_locks.any_financial() => {
                    Fail(Code::InstanceExpiredOrInArrears)
                }
                Attached::To(_) => Pass,
            },
            // 8. The disk is In_use: attached to an instance.
            Check::DiskInUse => match self.disk() {
                None => NotApplicable,
                Some(disk) if disk.status == DiskStatus::InUse && disk.instance_id.is_some() => {
                    Pass
                }
                Some(_) => Fail(Code::IncorrectDiskStatus),
            },
            // 9. Its instance is Stopped, and has been started once.
            Check::InstanceStopped => match self.instance() {
                Attached::Nothing => NotApplicable,
                Attached::Dangling => Fail(Code::InternalError),
                Attached::To(i) if i.status == InstanceStatus::Stopped && i.has_started => Pass,
                Attached::To(_) => Fail(Code::IncorrectInstanceStatus),
            },
            // 10. No snapshot of the disk is being created.
            Check::NoSnapshotInProgress => match self.disk() {
                None => NotApplicable,
                Some(disk) if disk.creating_snapshot => Fail(Code::DiskCreatingSnapshot),
                Some(_) => Pass,
            },
            // 11a. A data disk's source snapshot still exists (one the world
            //      does not have counts as deleted).
            Check::SourceSnapshotExists => match self.disk().map(|d| &d.source) {
                Some(DiskSource::Snapshot { .. }) => match self.snapshot() {
                    Some(s) if !s.deleted => Pass,
                    _ => Fail(self.policy.deleted_snapshot_code.code()),
                },
                _ => NotApplicable,
            },
            // 11b. ... and was made after 15 July 2013.
            Check::SourceSnapshotNotTooOld => match self.snapshot() {
                None => NotApplicable,
                Some(s) if s.creation_time.is_too_old() => Fail(Code::InvalidSnapshotTooOld),
                Some(_) => Pass,
            },
            // 12. A system disk's image still exists; a deleted image shared
            //     by another account has its own code. An image the world
            //     does not have counts as deleted, owner unknown.
            Check::SourceImageExists => match self.disk().map(|d| &d.source) {
                Some(DiskSource::Image { .. }) => match self.image() {
                    Some(image) if !image.deleted => Pass,
                    Some(image) if image.image_owner_alias == ImageOwnerAlias::Others => {
                        Fail(Code::SharedImageDeleted)
                    }
                    _ => Fail(Code::InvalidDiskIdOperationNotSupported),
                },
                _ => NotApplicable,
            },
            // 13. Active asks for hardening, which public images alone
            //     support: ignored elsewhere, or refused if the policy says so.
            Check::HardeningSupported => match (self.strategy, self.image()) {
                (Some(SecurityEnhancementStrategy::Active), Some(image))
                    if !image.image_owner_alias.is_public()
                        && self.policy.active_on_non_public_image
                            == ActiveOnNonPublicImage::Reject =>
                {
                    Fail(Code::InvalidParameter)
                }
                (_, None) => NotApplicable,
                _ => Pass,
            },
        }
    }

    /// The target state, once every check has passed.
    fn target(&mut self) -> Option<Reinit<'w>> {
        let disk = self.disk()?;
        let instance_id = disk.instance_id.as_deref()?;
        let (reset_to, security_enhancement) = match &disk.source {
            DiskSource::Image { image_id, .. } => {
                let public = self
                    .image()
                    .is_some_and(|i| i.image_owner_alias.is_public());
                let applied = match self.strategy {
                    Some(SecurityEnhancementStrategy::Active) if !public => None,
                    other => other,
                };
                (ResetTo::Image(image_id), applied)
            }
            DiskSource::Snapshot { snapshot_id } => (ResetTo::Snapshot(snapshot_id), None),
            DiskSource::Empty => (ResetTo::Empty, None),
        };
        Some(Reinit {
            disk_id: &disk.id,
            instance_id,
            reset_to,
            security_enhancement,
        })
    }

    fn disk(&mut self) -> Option<&'w Disk> {
        let world = self.world;
        let disk_id = self.request.disk_id;
        // Only asked once disk-id-given has passed: the id is not empty.
        *self
            .disk
            .get_or_insert_with(|| disk_id.and_then(|id| world.disk(id)))
    }

    fn instance(&mut self) -> Attached<'w> {
        let world = self.world;
        let disk = self.disk();
        *self
            .instance
            .get_or_insert_with(|| match disk.and_then(|d| d.instance_id.as_deref()) {
                None => Attached::Nothing,
                Some(id) => world.instance(id).map_or(Attached::Dangling, Attached::To),
            })
    }

    fn image(&mut self) -> Option<&'w Image> {
        let world = self.world;
        let disk = self.disk();
        *self
            .image
            .get_or_insert_with(|| match disk.map(|d| &d.source) {
                Some(DiskSource::Image { image_id, .. }) => world.image(image_id),
                _ => None,
            })
    }

    fn snapshot(&mut self) -> Option<&'w Snapshot> {
        let world = self.world;
        let disk = self.disk();
        *self
            .snapshot
            .get_or_insert_with(|| match disk.map(|d| &d.source) {
                Some(DiskSource::Snapshot { snapshot_id }) => world.snapshot(snapshot_id),
                _ => None,
            })
    }
}
