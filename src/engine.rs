//! [`evaluate`]: runs a revision's checks in the policy's order; the first
//! that fails decides.

use crate::catalogue::{Code, CodeIndex, INTERNAL_ERROR};
use crate::checks::{Attached, Check, CheckDecl, Described, Facts, Needs, Runner, Tells, Verdict};
use crate::model::{DiskType, ImageOwnerAlias, InstanceStatus, Source};
use crate::outcome::{Rejection, Target};
use crate::policy::Policy;
use crate::request::{Param, Request, SecurityEnhancementStrategy};
use crate::revision::{self, Revision};
use crate::world::World;

/// One step of an evaluation, as [`evaluate_traced`] reports it: the check,
/// what it found, and the facts read so far (so that nothing need read the
/// world again to explain it).
#[derive(Clone, Copy, Debug)]
pub struct Step<'a> {
    /// The check that ran.
    pub check: Check,
    /// What it found.
    pub verdict: Verdict,
    /// The facts read so far, this check's included.
    pub facts: &'a Facts<'a, 'a>,
}

impl<'a> Step<'a> {
    /// The facts this check read and what it needs of them, displayable.
    pub const fn describe(&self) -> Described<'a> {
        self.check.describe(self.facts)
    }

    /// The fact this check needs that the world does not have, if any
    /// (`the disk`, `the disk's instance`, ...): what leaves a check after
    /// the deciding one ([`evaluate_all`]) without a verdict of its own.
    pub fn missing(&self) -> Option<&'static str> {
        let (needs, facts) = (self.check.decl().needs, self.facts);
        let disk = facts.disk();
        let source = disk.map(|d| d.source);
        let given = |name: Option<&str>| name.is_some_and(|n| !n.is_empty());
        let lacks = [
            (Needs::DISK, disk.is_none(), "the disk"),
            (
                Needs::INSTANCE,
                !matches!(facts.instance(), Attached::To(_)),
                "the disk's instance",
            ),
            (
                Needs::IMAGE,
                matches!(source, Some(Source::Image(_))) && facts.image().is_none(),
                "the disk's image",
            ),
            (
                Needs::SNAPSHOT,
                matches!(source, Some(Source::Snapshot(_))) && facts.snapshot().is_none(),
                "the disk's source snapshot",
            ),
            (
                Needs::KEY_PAIR,
                given(facts.request().key_pair_name) && facts.key_pair().is_none(),
                "the key pair",
            ),
            (
                Needs::KMS_KEY,
                disk.is_some_and(|d| d.kms_key_id.is_some()) && facts.kms_key().is_none(),
                "the disk's KMS key",
            ),
        ];
        lacks
            .into_iter()
            .find(|(need, lacking, _)| needs.contains(*need) && *lacking)
            .map(|(_, _, name)| name)
    }
}

/// What the target of an accepted request reads, as a check declares what
/// it tells apart ([`CheckDecl::tells`]): the source, the strategy and
/// whether the image is public, whether a password is given, the key pair
/// bound, and `AutoStartInstance`. The [`analysis`](crate::analysis) reads
/// it with the checks' declarations.
pub const TARGET_TELLS: &[Tells] = &[
    Tells::DiskExists,
    Tells::Attachment(&[]),
    Tells::Source,
    Tells::Param(
        Param::SecurityEnhancementStrategy,
        &[None, Some("Active"), Some("Deactive")],
    ),
    Tells::ImageOwner(&[ImageOwnerAlias::System]),
    Tells::Param(Param::Password, &[None, Some("Abcdef12")]),
    Tells::Param(Param::KeyPairName, &[None, Some("kp-1")]),
    Tells::KeyPairListed,
    Tells::Param(Param::AutoStartInstance, &[None, Some("true")]),
];

/// Decides a `ReInitDisk` request: the target the disk is re-initialized
/// to, or the exact rejection.
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
) -> Result<Target<'w>, Rejection> {
    evaluate_traced(request, world, policy, |_| {})
}

/// [`evaluate`], telling `trace` each check that ran, what it found and the
/// facts it read, in order (the failing check last). Checks after the
/// deciding one do not run.
#[inline]
pub fn evaluate_traced<'r, 'w, W: World + ?Sized>(
    request: &'r Request<'r>,
    world: &'w W,
    policy: &Policy,
    mut trace: impl FnMut(Step<'_>),
) -> Result<Target<'w>, Rejection> {
    let revision = policy.revision();
    // The request checks read the request alone. Each branch (one per
    // revision `revision::revisions!` declares, and the general loop) runs
    // them on facts of its own, which the compiler keeps in registers: a request
    // they refuse costs its checks and nothing of the world part below.
    let facts = || Facts::new(request, policy.answers, revision);
    revision::run_request_checks(
        revision,
        || Run::new(facts(), revision, world, &mut trace),
        |run| run_in_order(revision.request_checks, &revision.index, run),
    )?;
    decide_world(request, world, policy, trace)
}

/// [`evaluate`], running every check even after the first failure (which
/// still decides): `each` is told every check in the order the engine runs
/// them (the revision's request checks, then the policy's world checks),
/// its own verdict and the facts read so far. After the deciding check, a
/// check whose fact the world lacks says so ([`Step::missing`]).
///
/// A function of its own, not a mode of [`evaluate`]: the engine's path is
/// not touched. The answer is [`evaluate`]'s (a test holds the two equal).
pub fn evaluate_all<'r, 'w, W: World + ?Sized>(
    request: &'r Request<'r>,
    world: &'w W,
    policy: &Policy,
    mut each: impl FnMut(Step<'_>),
) -> Result<Target<'w>, Rejection> {
    let revision = policy.revision();
    let mut facts = Facts::new(request, policy.answers, revision);
    let mut first: Option<Rejection> = None;
    for check in revision.request_checks.iter().chain(policy.order()) {
        let decl = check.decl();
        facts.look_up(decl.needs, world);
        let verdict = (decl.rule)(&facts);
        each(Step {
            check: *check,
            verdict,
            facts: &facts,
        });
        if let (Verdict::Fail(code), None) = (verdict, first) {
            first = Some(rejection(&revision.index, code, *check, *decl));
        }
    }
    match first {
        Some(rejection) => Err(rejection),
        None => {
            facts.look_up(Needs::IMAGE.and(Needs::KEY_PAIR), world);
            target(&facts, revision)
                .ok_or_else(|| Rejection::new(&INTERNAL_ERROR, Check::DiskInUse))
        }
    }
}

/// The world checks of [`evaluate_traced`], once the request checks have
/// passed, and the target. The world's facts are built here, after the
/// request checks' branches, so that a request they refuse never builds
/// them (measured in docs/performance.md).
#[inline(always)]
fn decide_world<'r, 'w, W: World + ?Sized>(
    request: &'r Request<'r>,
    world: &'w W,
    policy: &Policy,
    trace: impl FnMut(Step<'_>),
) -> Result<Target<'w>, Rejection> {
    let revision = policy.revision();
    let run = || {
        Run::new(
            Facts::new(request, policy.answers, revision),
            revision,
            world,
            trace,
        )
    };
    // A revision's default order runs laid out one check after the other
    // (each check a constant: its rule is a direct call); any other order
    // runs through the same step in a loop. Each branch (one per revision
    // `revision::revisions!` declares, and the loop) has a run of its own, so that the default orders' facts never reach `run_in_order`
    // (never inlined): they stay in registers, and a view the world returns
    // is read field by field where the world wrote it instead of copied
    // whole (measured in docs/performance.md).
    revision::run_world_checks(revision, policy.has_default_order(), run, |run| {
        run_in_order(policy.order(), &revision.index, run)
    })
}

/// One evaluation under way: the facts read so far, where to read more, the
/// revision that answers, and the trace.
struct Run<'r, 'w, W: ?Sized, T> {
    facts: Facts<'r, 'w>,
    world: &'w W,
    revision: &'static Revision,
    trace: T,
}

impl<'r, 'w, W: World + ?Sized, T: FnMut(Step<'_>)> Run<'r, 'w, W, T> {
    /// A run from `facts` (under `revision`), nothing looked up yet.
    #[inline(always)]
    const fn new(
        facts: Facts<'r, 'w>,
        revision: &'static Revision,
        world: &'w W,
        trace: T,
    ) -> Self {
        Self {
            revision,
            facts,
            world,
            trace,
        }
    }
}

/// Runs `checks` in this order (an order other than a revision's default,
/// or a revision other than the crate's): each rule through its
/// declaration's function pointer. Never inlined, so that the default
/// orders' straight-line runs keep their facts in registers.
#[inline(never)]
fn run_in_order<R: Runner>(
    checks: &[Check],
    index: &CodeIndex,
    run: &mut R,
) -> Result<(), R::Stop> {
    for check in checks {
        run.step(*check, *check.decl(), index)?;
    }
    Ok(())
}

impl<'w, W: World + ?Sized, T: FnMut(Step<'_>)> Runner for Run<'_, 'w, W, T> {
    type Stop = Rejection;
    type Done = Target<'w>;

    /// The target, once every world check has passed.
    #[inline(always)]
    fn finish(mut self) -> Result<Target<'w>, Rejection> {
        // The image decides whether `Active` applies, the key pair what is
        // bound: looked up already by the checks that read them, and by
        // nothing else.
        self.facts
            .look_up(Needs::IMAGE.and(Needs::KEY_PAIR), self.world);
        target(&self.facts, self.revision)
            .ok_or_else(|| Rejection::new(&INTERNAL_ERROR, Check::DiskInUse))
    }

    /// Looks up what the check needs, runs its rule, tells the trace, and
    /// turns a failure into the revision's rejection.
    #[inline(always)]
    fn step(&mut self, check: Check, decl: CheckDecl, index: &CodeIndex) -> Result<(), Rejection> {
        self.facts.look_up(decl.needs, self.world);
        let verdict = (decl.rule)(&self.facts);
        (self.trace)(Step {
            check,
            verdict,
            facts: &self.facts,
        });
        match verdict {
            Verdict::Fail(code) => Err(rejection(index, code, check, decl)),
            Verdict::Pass | Verdict::NotApplicable => Ok(()),
        }
    }
}

/// The rejection `code` answers in the revision whose catalogue `index`
/// indexes. Every code a revision's checks can answer is in its catalogue
/// (tests/revisions.rs holds each revision to it), so the fallback is never
/// taken. Inlined: in a default order's straight-line run, `index` is the
/// revision's constant and the code the check's, so the row is found at
/// compile time.
#[inline(always)]
fn rejection(index: &CodeIndex, code: Code, check: Check, decl: CheckDecl) -> Rejection {
    let entry = index.get_for(code, decl.param);
    Rejection::new(entry.unwrap_or(&INTERNAL_ERROR), check)
}

/// The target, once every check has passed: the disk and its instance are
/// known (disk-exists and disk-in-use passed). Always inlined: built in a
/// function of its own, the target was written field by field there and
/// copied whole by the caller, a copy that waits on those writes (a
/// store-forwarding stall, docs/performance.md).
#[inline(always)]
fn target<'w>(facts: &Facts<'_, 'w>, revision: &Revision) -> Option<Target<'w>> {
    let disk = facts.disk()?;
    let instance_id = disk.instance_id?;
    let security_enhancement = match disk.source {
        Source::Image(_) => match facts.strategy() {
            Some(SecurityEnhancementStrategy::Active)
                if !facts
                    .image()
                    .is_some_and(|i| i.image_owner_alias.is_public()) =>
            {
                None
            }
            Some(strategy) => Some(strategy),
            None => revision.default_strategy,
        },
        Source::Snapshot(_) | Source::Empty => None,
    };
    let system = disk.source.disk_type() == DiskType::System;
    let request = facts.request();
    let password_reset = system
        && revision.reads(Param::Password)
        && request.password.is_some_and(|p| !p.is_empty());
    let key_pair_name = if system && revision.reads(Param::KeyPairName) {
        facts.key_pair().map(|k| k.name)
    } else {
        None
    };
    let instance_status_after = if revision.reads(Param::AutoStartInstance) && request.auto_start()
    {
        InstanceStatus::Running
    } else {
        InstanceStatus::Stopped
    };
    Some(Target {
        disk_id: disk.id,
        instance_id,
        reset_to: disk.source,
        security_enhancement,
        password_reset,
        key_pair_name,
        instance_status_after,
    })
}
