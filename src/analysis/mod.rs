//! The analysis: the finite space of situations a revision's rules tell
//! apart, and what the engine decides on each class of it.
//!
//! Every check declares the facts and request values it reads, each with
//! the values it tells apart ([`CheckDecl::tells`](crate::checks::CheckDecl::tells)),
//! and the target declares what it reads ([`TARGET_TELLS`]). A [`Space`]
//! for one or more policies gathers those declarations: one [`Axis`] a
//! fact, its [`Class`]es the union of the values every check of those
//! policies' revisions declares (plus a class for the values none of them
//! names), the too-old boundaries taken from the revisions, and the
//! disk categories split as the policies' `UnsupportedCategories` split
//! them. A new check or revision extends the space through its own
//! declarations; nothing here names a check.
//!
//! A point of the space is one class of every axis; [`Space::witness`]
//! builds the plainest situation of that class (a [`Witness`]: a request
//! and a world of one disk and what it names). Some facts exist only when
//! another has a value (the instance's once the disk names one, the
//! image's on a system disk): their axes count only there.
//!
//! [`Space::explore`] decides every point of the space on each side
//! without visiting each point: it decides the plainest point of a region
//! of the space, asks each side which checks ran (and, when accepted, what
//! the target read), and splits the region only along the axes those read,
//! the first read first (so a check that fails is a leaf at once).
//! A region in which every axis read is fixed is decided alike at every
//! point (each check's verdict depends only on the facts it declares), so
//! it is one leaf, counted by its number of points. This is how the sweep
//! stays small while the product of the axes is large: completeness rests
//! on the declarations being true, which tests/analysis.rs holds against
//! the whole product of the seed revision's space and against `evaluate`
//! at random points of every region; tests/exhaustive.rs against the
//! reference model. Those catch a check that reads a fact it does not
//! declare when another check declares it (the fact varies in the space);
//! a fact no check declares is not in the space at all, and only the tests
//! that reach every code of a catalogue notice its absence.
//!
//! Built on it: [`diff()`] (two policies: every class of changed situations)
//! and [`decision_classes`] (one policy: one witness per decision, a
//! conformance corpus; [`corpus`](mod@corpus) writes it as scenarios with
//! their decisions and, with `wire`, as the official SDK's HTTP exchanges);
//! with `scenario`, [`preflight`] (the decision on captured Describe*
//! responses, every unknown fact at each of its classes).

mod witness;

#[cfg(feature = "scenario")]
pub mod corpus;
pub mod diff;
#[cfg(feature = "scenario")]
#[cfg_attr(docsrs, doc(cfg(feature = "scenario")))]
pub mod preflight;

use std::collections::HashMap;

use strum::VariantArray;

use crate::catalogue::Code;
use crate::checks::{Fact, Tells};
use crate::engine::TARGET_TELLS;
use crate::model::{
    CreationTime, DiskCategory, DiskStatus, ImageOwnerAlias, InstanceStatus, KeyState, LockReason,
    LockSet, OsType, SourceKind,
};
use crate::outcome::{OwnedTarget, Rejection};
use crate::policy::Policy;
use crate::request::Param;
use crate::{Step, evaluate_traced};

pub use diff::{Change, Diff, diff};

pub use witness::Witness;

/// One class of values of a fact: the value the witness takes for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Class {
    /// A request parameter's value (`None`: not given).
    Text(Option<&'static str>),
    /// A yes-or-no fact.
    Flag(bool),
    /// A disk category.
    Category(DiskCategory),
    /// The disk's status, and whether it names an instance.
    Attachment {
        /// `Status`.
        status: DiskStatus,
        /// Whether the disk names an instance.
        attached: bool,
    },
    /// A set of lock reasons.
    Locks(LockSet),
    /// What the disk was created from.
    Source(SourceKind),
    /// The image's owner.
    ImageOwner(ImageOwnerAlias),
    /// The source snapshot's creation time.
    Created(CreationTime),
    /// The instance's status.
    InstanceStatus(InstanceStatus),
    /// The instance's OS.
    OsType(OsType),
    /// The KMS key's state.
    KeyState(KeyState),
}

/// One fact of the space and its classes, the plainest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Axis {
    /// The fact.
    pub fact: Fact,
    /// The parameter, for [`Fact::Param`].
    pub param: Option<Param>,
    /// Its classes, the plainest (an accepted request's) first.
    pub classes: Vec<Class>,
    /// The axis this one exists under (the disk for its category, the
    /// attachment for the instance's facts, ...).
    parent: Option<usize>,
}

/// A point of the space: the index of a class of every axis, in the
/// space's axis order.
pub type Point = Vec<u8>;

/// What a client sees of a decision: the code, status and message of a
/// rejection (not the check that decided), or the target.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Answer {
    /// Refused.
    Rejected {
        /// The code.
        code: Code,
        /// The HTTP status.
        http_status: u16,
        /// The exact message.
        message: &'static str,
    },
    /// Accepted, with this target.
    Accepted(OwnedTarget),
}

/// A decision, owned: the target or the rejection.
pub type Decided = Result<OwnedTarget, Rejection>;

impl Answer {
    /// What a client sees of `decided`.
    pub fn of(decided: &Decided) -> Self {
        match decided {
            Ok(target) => Self::Accepted(target.clone()),
            Err(r) => Self::Rejected {
                code: r.code(),
                http_status: r.http_status(),
                message: r.message(),
            },
        }
    }
}

/// One region of the space that every side decides alike: its plainest
/// point, how many points it holds, and each side's decision.
#[derive(Clone, Debug)]
pub struct Leaf {
    /// The region's plainest point (unassigned axes at their first class).
    pub point: Point,
    /// How many points of the space the region holds.
    pub situations: u64,
    /// How many axes of the point are not at their plainest class (among
    /// those that exist at it): the witness's distance from the plainest
    /// situation.
    pub distance: u32,
    /// Each side's decision, in the order the sides were given.
    pub decided: Vec<Decided>,
    /// The axes the region fixes (the others are free: every class of
    /// them, where they exist, is in the region).
    pub fixed: Vec<bool>,
}

/// The finite space of situations the rules of some policies tell apart.
/// What it does not hold is [`Space::NOT_ENUMERATED`].
#[derive(Clone, Debug)]
pub struct Space {
    axes: Vec<Axis>,
    /// The axis of each fact.
    index: HashMap<Key, usize>,
    children: Vec<Vec<usize>>,
}

/// The fact a fact exists under, if any.
const fn parent_of(fact: Fact) -> Option<Fact> {
    match fact {
        Fact::Category
        | Fact::Attachment
        | Fact::DiskLocks
        | Fact::CreatingSnapshot
        | Fact::MultiAttach
        | Fact::InstantAccessSnapshot
        | Fact::Encrypted
        | Fact::Source => Some(Fact::DiskExists),
        Fact::KeyState | Fact::KmsAuthorized | Fact::KmsTagged => Some(Fact::Encrypted),
        Fact::ImageOwner
        | Fact::ImageDeleted
        | Fact::ImageNonRootSupported
        | Fact::TooOldBoundary
        | Fact::SnapshotDeleted => Some(Fact::Source),
        Fact::InstanceStatus
        | Fact::HasStarted
        | Fact::InstanceLocks
        | Fact::Hibernation
        | Fact::IoOptimized
        | Fact::OsType
        | Fact::LoginAsNonRoot => Some(Fact::Attachment),
        Fact::KeyPairListed => Some(Fact::Param),
        Fact::Param | Fact::WhiteListed | Fact::RegionSupportsNonRoot | Fact::DiskExists => None,
    }
}

/// Whether `child` exists when its parent has the class `parent`.
fn enables(parent: Class, child: Fact) -> bool {
    match parent {
        Class::Flag(yes) => yes,
        Class::Attachment { attached, .. } => attached,
        Class::Source(SourceKind::Image) => matches!(
            child,
            Fact::ImageOwner | Fact::ImageDeleted | Fact::ImageNonRootSupported
        ),
        Class::Source(SourceKind::Snapshot) => {
            matches!(child, Fact::TooOldBoundary | Fact::SnapshotDeleted)
        }
        Class::Text(value) => value.is_some_and(|v| !v.is_empty()),
        _ => false,
    }
}

/// The plainest value of a yes-or-no fact: an accepted request's.
const fn plain_flag(fact: Fact) -> bool {
    matches!(
        fact,
        Fact::WhiteListed
            | Fact::RegionSupportsNonRoot
            | Fact::DiskExists
            | Fact::KmsAuthorized
            | Fact::KmsTagged
            | Fact::ImageNonRootSupported
            | Fact::HasStarted
            | Fact::IoOptimized
            | Fact::KeyPairListed
    )
}

/// The values one fact's declarations name, gathered.
#[derive(Default)]
struct Declared {
    texts: Vec<Option<&'static str>>,
    statuses: Vec<DiskStatus>,
    disk_locks: Vec<LockReason>,
    instance_locks: Vec<LockReason>,
    owners: Vec<ImageOwnerAlias>,
    instance_statuses: Vec<InstanceStatus>,
    os_types: Vec<OsType>,
    key_states: Vec<KeyState>,
}

fn push_all<T: Copy + PartialEq>(into: &mut Vec<T>, values: &[T]) {
    for v in values {
        if !into.contains(v) {
            into.push(*v);
        }
    }
}

/// The declared values, then the first value none declares (standing for
/// every value no check tells apart), if there is one.
fn with_rest<T: Copy + PartialEq + VariantArray>(declared: &[T]) -> Vec<T> {
    let mut all = declared.to_vec();
    if let Some(rest) = T::VARIANTS.iter().find(|v| !declared.contains(v)) {
        all.push(*rest);
    }
    all
}

/// Every subset of `reasons`, the empty set first, smaller sets first.
fn subsets(reasons: &[LockReason]) -> Vec<LockSet> {
    let n = reasons.len().min(8);
    let mut all: Vec<LockSet> = (0u32..(1 << n))
        .map(|mask| {
            reasons
                .iter()
                .enumerate()
                .filter(|(bit, _)| mask & (1 << bit) != 0)
                .map(|(_, r)| *r)
                .collect()
        })
        .collect();
    all.sort_by_key(|set: &LockSet| set.iter().count());
    all
}

/// The key of a fact's axis: the fact, and the parameter's index.
type Key = (Fact, Option<usize>);

/// The key of the axis of what `tells` declares.
fn key_of(tells: &Tells) -> Key {
    match tells {
        Tells::Param(param, _) => (Fact::Param, Some(param.index())),
        other => (Fact::from(other), None),
    }
}

impl Space {
    /// What no space holds, said plainly (a report of an analysis ends
    /// with it: `reinit-disk diff`'s "Not enumerated").
    pub const NOT_ENUMERATED: [&'static str; 3] = [
        "Worlds the scenario format refuses (a disk naming an instance, image, snapshot or KMS key that is not listed): InternalError is only reachable there.",
        "Values beyond the classes the checks declare they tell apart (each declared value stands for every value its check cannot tell from it; docs/cli.md, \"diff\").",
        "Ids other than one disk d-1, one instance i-1, one image m-1, one snapshot s-1, one KMS key, one key pair (a DiskId that is not d-1 is the missing disk).",
    ];

    /// The space of `policies`: every fact some check of their revisions
    /// (or the target) reads, with the classes they tell apart; the
    /// too-old boundaries of their revisions; the categories as their
    /// `UnsupportedCategories` split them.
    pub fn new(policies: &[Policy]) -> Self {
        let mut declared: Vec<(Key, Option<Param>, Declared)> = Vec::new();
        let mut gather = |tells: &Tells| {
            let key = key_of(tells);
            let at = match declared.iter().position(|(k, _, _)| *k == key) {
                Some(at) => at,
                None => {
                    let param = match tells {
                        Tells::Param(p, _) => Some(*p),
                        _ => None,
                    };
                    declared.push((key, param, Declared::default()));
                    declared.len().saturating_sub(1)
                }
            };
            let Some((_, _, values)) = declared.get_mut(at) else {
                return;
            };
            match tells {
                Tells::Param(_, texts) => push_all(&mut values.texts, texts),
                Tells::Attachment(s) => push_all(&mut values.statuses, s),
                Tells::DiskLocks(r) => push_all(&mut values.disk_locks, r),
                Tells::InstanceLocks(r) => push_all(&mut values.instance_locks, r),
                Tells::ImageOwner(o) => push_all(&mut values.owners, o),
                Tells::InstanceStatus(s) => push_all(&mut values.instance_statuses, s),
                Tells::OsType(o) => push_all(&mut values.os_types, o),
                Tells::KeyState(k) => push_all(&mut values.key_states, k),
                _ => {}
            }
        };
        for policy in policies {
            for check in policy.revision().checks() {
                check.decl().tells.iter().for_each(&mut gather);
            }
        }
        // The target's reads, of the parameters some revision reads.
        TARGET_TELLS
            .iter()
            .filter(|t| match t {
                Tells::Param(p, _) => policies.iter().any(|policy| policy.revision().reads(*p)),
                _ => true,
            })
            .for_each(&mut gather);
        // A fact under a parameter no revision of these reads (whether the
        // key pair `KeyPairName` names is listed) is no fact of the space.
        let named = (Fact::Param, Some(Param::KeyPairName.index()));
        if !declared.iter().any(|(k, _, _)| *k == named) {
            declared.retain(|((fact, _), _, _)| parent_of(*fact) != Some(Fact::Param));
        }
        // Every fact's parent is in the space too.
        let mut parents = Vec::new();
        for ((fact, _), _, _) in &declared {
            let mut at = *fact;
            while let Some(parent) = parent_of(at) {
                if parent != Fact::Param {
                    parents.push(parent);
                }
                at = parent;
            }
        }
        for parent in parents {
            if !declared.iter().any(|((f, _), _, _)| *f == parent) {
                declared.push(((parent, None), None, Declared::default()));
            }
        }
        declared.sort_by_key(|(key, _, _)| *key);

        let mut axes: Vec<Axis> = declared
            .into_iter()
            .map(|((fact, _), param, values)| Axis {
                fact,
                param,
                classes: classes(fact, &values, policies),
                parent: None,
            })
            .collect();
        let mut index = HashMap::new();
        for (i, axis) in axes.iter().enumerate() {
            index.insert((axis.fact, axis.param.map(Param::index)), i);
        }
        let mut children = vec![Vec::new(); axes.len()];
        for (i, axis) in axes.iter_mut().enumerate() {
            let parent = match parent_of(axis.fact) {
                Some(Fact::Param) => index
                    .get(&(Fact::Param, Some(Param::KeyPairName.index())))
                    .copied(),
                Some(fact) => index.get(&(fact, None)).copied(),
                None => None,
            };
            axis.parent = parent;
            if let Some(list) = parent.and_then(|p| children.get_mut(p)) {
                list.push(i);
            }
        }
        Self {
            axes,
            index,
            children,
        }
    }

    /// The axes, in the order the exploration assigns them.
    pub fn axes(&self) -> &[Axis] {
        &self.axes
    }

    /// The axis of `fact` (with `param` for a parameter), if the space has
    /// it.
    pub fn axis(&self, fact: Fact, param: Option<Param>) -> Option<usize> {
        self.index.get(&(fact, param.map(Param::index))).copied()
    }

    /// The class `point` takes on `axis` (its first when the point does
    /// not say).
    pub fn class(&self, point: &[u8], axis: usize) -> Option<Class> {
        let classes = &self.axes.get(axis)?.classes;
        let at = point.get(axis).copied().unwrap_or(0);
        classes.get(usize::from(at)).copied()
    }

    /// The class `point` takes on `fact`, if the space has the fact and it
    /// exists at `point`.
    pub fn value(&self, point: &[u8], fact: Fact, param: Option<Param>) -> Option<Class> {
        let axis = self.axis(fact, param)?;
        self.exists(point, axis)
            .then(|| self.class(point, axis))
            .flatten()
    }

    /// Whether `axis` exists at `point` (its parent, if any, exists and
    /// has a class that has it).
    pub fn exists(&self, point: &[u8], axis: usize) -> bool {
        let Some(a) = self.axes.get(axis) else {
            return false;
        };
        match a.parent {
            None => true,
            Some(p) => {
                self.exists(point, p) && self.class(point, p).is_some_and(|c| enables(c, a.fact))
            }
        }
    }

    /// How many points the space holds (each axis counted only where it
    /// exists).
    pub fn size(&self) -> u64 {
        self.completions(&vec![None; self.axes.len()])
    }

    /// How many points agree with `assigned` (an axis `None` is free).
    fn completions(&self, assigned: &[Option<u8>]) -> u64 {
        self.axes
            .iter()
            .enumerate()
            .filter(|(_, a)| a.parent.is_none())
            .fold(1u64, |n, (i, _)| n.saturating_mul(self.count(i, assigned)))
    }

    fn count(&self, axis: usize, assigned: &[Option<u8>]) -> u64 {
        let (Some(a), Some(children)) = (self.axes.get(axis), self.children.get(axis)) else {
            return 1;
        };
        let under = |class: Class| {
            children
                .iter()
                .filter(|c| self.axes.get(**c).is_some_and(|c| enables(class, c.fact)))
                .fold(1u64, |n, c| n.saturating_mul(self.count(*c, assigned)))
        };
        match assigned.get(axis).copied().flatten() {
            Some(at) => a.classes.get(usize::from(at)).map_or(1, |c| under(*c)),
            None => a
                .classes
                .iter()
                .fold(0u64, |n, c| n.saturating_add(under(*c))),
        }
    }

    /// Every point of the space (each axis only where it exists), the
    /// plainest first: the whole product, for a test or a small space.
    pub fn points(&self) -> Vec<Point> {
        let mut all = Vec::new();
        let mut point = vec![0u8; self.axes.len()];
        self.each_point(0, &mut point, &mut all);
        all
    }

    fn each_point(&self, axis: usize, point: &mut Point, all: &mut Vec<Point>) {
        let Some(a) = self.axes.get(axis) else {
            all.push(point.clone());
            return;
        };
        let count = if self.exists(point, axis) {
            a.classes.len()
        } else {
            1
        };
        for at in 0..count {
            if let Some(slot) = point.get_mut(axis) {
                *slot = u8::try_from(at).unwrap_or(u8::MAX);
            }
            self.each_point(axis.saturating_add(1), point, all);
        }
        if let Some(slot) = point.get_mut(axis) {
            *slot = 0;
        }
    }

    /// How many existing axes of `point` are not at their first class.
    pub fn distance(&self, point: &[u8]) -> u32 {
        let far = (0..self.axes.len())
            .filter(|a| point.get(*a).is_some_and(|c| *c != 0) && self.exists(point, *a))
            .count();
        u32::try_from(far).unwrap_or(u32::MAX)
    }

    /// Adds to `order` the axes a decision read, in the order it read
    /// them: those of each check that ran, then the target's when
    /// accepted; each after the axes it exists under.
    fn read(
        &self,
        steps: &[crate::Check],
        accepted: bool,
        seen: &mut [bool],
        order: &mut Vec<usize>,
    ) {
        let tells = steps
            .iter()
            .flat_map(|c| c.decl().tells.iter())
            .chain(if accepted { TARGET_TELLS } else { &[] });
        let mut chain = Vec::new();
        for t in tells {
            chain.clear();
            let mut at = self.index.get(&key_of(t)).copied();
            while let Some(axis) = at {
                chain.push(axis);
                at = self.axes.get(axis).and_then(|a| a.parent);
            }
            for axis in chain.iter().rev() {
                if let Some(slot) = seen.get_mut(*axis) {
                    if !*slot {
                        *slot = true;
                        order.push(*axis);
                    }
                }
            }
        }
    }

    /// Decides every point of the space under each of `sides`, region by
    /// region (see the module's documentation), and tells `visit` each
    /// leaf: its plainest point, how many points it holds, and each side's
    /// decision. Returns how many regions were decided.
    pub fn explore(&self, sides: &[Policy], mut visit: impl FnMut(&Leaf)) -> u64 {
        let mut stack: Vec<Vec<Option<u8>>> = vec![vec![None; self.axes.len()]];
        let mut decided_regions = 0u64;
        let mut ran: Vec<crate::Check> = Vec::new();
        while let Some(assigned) = stack.pop() {
            decided_regions = decided_regions.saturating_add(1);
            let point: Point = assigned.iter().map(|a| a.unwrap_or(0)).collect();
            let witness = self.witness(&point);
            let request = witness.request();
            let mut seen = vec![false; self.axes.len()];
            let mut read = Vec::new();
            let mut decided = Vec::with_capacity(sides.len());
            for side in sides {
                ran.clear();
                let result = evaluate_traced(&request, &witness, side, |step: Step<'_>| {
                    ran.push(step.check);
                });
                self.read(&ran, result.is_ok(), &mut seen, &mut read);
                decided.push(result.map(crate::Target::into_owned));
            }
            // The first axis read, in the order the checks read them, that
            // the region leaves free: splitting in the engine's own order
            // makes each failing check a leaf at once.
            let split = read
                .iter()
                .copied()
                .find(|a| assigned.get(*a).is_some_and(Option::is_none) && self.exists(&point, *a));
            match split {
                Some(axis) => {
                    let count = self.axes.get(axis).map_or(0, |a| a.classes.len());
                    // Pushed last to first, so the first class is decided
                    // first (the leaves come plainest first).
                    for at in (0..count).rev() {
                        let mut child = assigned.clone();
                        if let Some(slot) = child.get_mut(axis) {
                            *slot = Some(u8::try_from(at).unwrap_or(u8::MAX));
                        }
                        stack.push(child);
                    }
                }
                None => visit(&Leaf {
                    fixed: assigned.iter().map(Option::is_some).collect(),
                    situations: self.completions(&assigned),
                    distance: self.distance(&point),
                    point,
                    decided,
                }),
            }
        }
        decided_regions
    }
}

/// The classes of `fact`, from what its checks declare, the revisions'
/// boundaries and the policies' answers.
fn classes(fact: Fact, declared: &Declared, policies: &[Policy]) -> Vec<Class> {
    let flag = |plain: bool| vec![Class::Flag(plain), Class::Flag(!plain)];
    match fact {
        Fact::Param => {
            let mut texts = declared.texts.clone();
            if texts.is_empty() {
                texts.push(None);
            }
            texts.into_iter().map(Class::Text).collect()
        }
        Fact::Category => {
            // Split by membership of each policy's set; the first of each
            // part stands for it; the part no policy refuses first.
            let mut parts: Vec<(Vec<bool>, DiskCategory)> = Vec::new();
            for category in DiskCategory::VARIANTS {
                let key: Vec<bool> = policies
                    .iter()
                    .map(|p| p.answers.unsupported_categories.contains(*category))
                    .collect();
                if !parts.iter().any(|(k, _)| *k == key) {
                    parts.push((key, *category));
                }
            }
            parts.sort_by_key(|(key, _)| key.iter().filter(|b| **b).count());
            parts.into_iter().map(|(_, c)| Class::Category(c)).collect()
        }
        Fact::Attachment => {
            let mut all = Vec::new();
            for status in with_rest(&declared.statuses) {
                all.push(Class::Attachment {
                    status,
                    attached: true,
                });
                // An In_use disk names its instance.
                if status != DiskStatus::InUse {
                    all.push(Class::Attachment {
                        status,
                        attached: false,
                    });
                }
            }
            all
        }
        Fact::DiskLocks => subsets(&declared.disk_locks)
            .into_iter()
            .map(Class::Locks)
            .collect(),
        Fact::InstanceLocks => subsets(&declared.instance_locks)
            .into_iter()
            .map(Class::Locks)
            .collect(),
        Fact::Source => [SourceKind::Empty, SourceKind::Image, SourceKind::Snapshot]
            .into_iter()
            .map(Class::Source)
            .collect(),
        Fact::ImageOwner => with_rest(&declared.owners)
            .into_iter()
            .map(Class::ImageOwner)
            .collect(),
        Fact::InstanceStatus => with_rest(&declared.instance_statuses)
            .into_iter()
            .map(Class::InstanceStatus)
            .collect(),
        Fact::OsType => with_rest(&declared.os_types)
            .into_iter()
            .map(Class::OsType)
            .collect(),
        Fact::KeyState => with_rest(&declared.key_states)
            .into_iter()
            .map(Class::KeyState)
            .collect(),
        Fact::TooOldBoundary => {
            // Each revision's boundary and the second before it, the
            // latest (too old nowhere) first.
            let mut times: Vec<CreationTime> = Vec::new();
            for policy in policies {
                let at = policy.revision().too_old_before;
                let before = CreationTime::from_unix_seconds(at.unix_seconds().saturating_sub(1));
                for t in [Some(at), before].into_iter().flatten() {
                    if !times.contains(&t) {
                        times.push(t);
                    }
                }
            }
            times.sort_by(|a, b| b.cmp(a));
            times.into_iter().map(Class::Created).collect()
        }
        other => flag(plain_flag(other)),
    }
}

/// One class of decisions of a policy's space: every situation decided
/// the same way (the same target, or the same rejection by the same
/// check), with how many situations it holds and its smallest witness.
#[derive(Clone, Debug)]
pub struct DecisionClass {
    /// How many situations of the space it holds.
    pub situations: u64,
    /// The witness with the fewest facts away from the plainest situation.
    pub witness: Witness,
    /// The decision on every situation of the class.
    pub decided: Decided,
}

/// Every class of decisions of `policy`'s space, one witness each: the
/// plainest first, in the order the exploration finds them. A conformance
/// corpus: an emulator that answers every witness as `evaluate` does
/// answers every class of situations the rules tell apart.
pub fn decision_classes(policy: &Policy) -> Vec<DecisionClass> {
    let space = Space::new(&[*policy]);
    let mut classes: Vec<(u32, DecisionClass)> = Vec::new();
    let mut index: HashMap<Decided, usize> = HashMap::new();
    space.explore(&[*policy], |leaf| {
        let Some(decided) = leaf.decided.first() else {
            return;
        };
        match index.get(decided).and_then(|at| classes.get_mut(*at)) {
            Some((distance, class)) => {
                class.situations = class.situations.saturating_add(leaf.situations);
                if leaf.distance < *distance {
                    *distance = leaf.distance;
                    class.witness = space.witness(&leaf.point);
                }
            }
            None => {
                index.insert(decided.clone(), classes.len());
                classes.push((
                    leaf.distance,
                    DecisionClass {
                        situations: leaf.situations,
                        witness: space.witness(&leaf.point),
                        decided: decided.clone(),
                    },
                ));
            }
        }
    });
    classes.into_iter().map(|(_, c)| c).collect()
}
