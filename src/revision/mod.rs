//! The API revisions: each one value ([`Revision`]) that holds its
//! catalogue (code, HTTP status, exact message), the parameters it reads, its
//! checks in default order, its too-old boundary and its defaults.
//!
//! Adding a revision is adding one module here (`src/revision/<name>.rs`
//! with one `pub static`) and naming it in `revisions!` (which makes
//! [`ALL`] and the engine's dispatch); docs/architecture.md
//! walks through it. The policy chooses the revision
//! ([`Policy::new`](crate::Policy::new); `"Policy": {"Revision": "seed"}` in
//! a scenario; `--revision` on the CLI).

/// Declares a revision's checks once: its catalogue's index (`INDEX`), its
/// request checks and its world checks in default order (`REQUEST_CHECKS`,
/// `WORLD_CHECKS`), and the same
/// order laid out one check after the other (`run_default_order`, the
/// engine's fast path: each check a constant, its declaration folded, its
/// rule a direct call the compiler can inline).
macro_rules! checks_in_order {
    (@count) => { 0 };
    (@count $head:ident $($tail:ident)*) => { 1 + checks_in_order!(@count $($tail)*) };
    (catalogue: $catalogue:ident, request: [$($r:ident),* $(,)?], world: [$($w:ident),* $(,)?] $(,)?) => {
        /// The catalogue's index, a constant: the straight-line runs below
        /// pass it to each step, so that a check's rejection row is found at
        /// compile time (a static's index would be read through memory on
        /// every rejection). The revision's `static` names it too.
        const INDEX: crate::catalogue::CodeIndex = crate::catalogue::CodeIndex::of($catalogue);

        /// The request checks, in the order they always run (the
        /// revision's `request_checks`).
        pub const REQUEST_CHECKS: [Check; checks_in_order!(@count $($r)*)] = [$(Check::$r),*];

        /// The world checks, in the default order (docs/rules.md gives the
        /// reason for each place).
        pub const WORLD_CHECKS: [Check; checks_in_order!(@count $($w)*)] = [$(Check::$w),*];

        /// Runs the request checks one after the other; stops at the
        /// first that stops.
        #[inline(always)]
        pub(super) fn run_request_checks<R: crate::checks::Runner>(
            runner: &mut R,
        ) -> Result<(), R::Stop> {
            $(runner.step(Check::$r, const { *Check::$r.decl() }, &INDEX)?;)*
            Ok(())
        }

        /// Runs the world checks in the default order, one after the
        /// other; stops at the first that stops.
        #[inline(always)]
        pub(super) fn run_world_checks<R: crate::checks::Runner>(
            runner: &mut R,
        ) -> Result<(), R::Stop> {
            $(runner.step(Check::$w, const { *Check::$w.decl() }, &INDEX)?;)*
            Ok(())
        }
    };
}

use core::fmt;
use core::hash::{Hash, Hasher};
use core::ptr;

use crate::catalogue::{Code, CodeIndex, Entry};
use crate::checks::{Boundary, Check, Runner};
use crate::model::CreationTime;
use crate::request::{Param, ParamSet, SecurityEnhancementStrategy};

/// Declares the revisions once, each as `module::STATIC` (the module
/// `src/revision/<module>.rs`, its `static` [`Revision`]): the modules, the
/// statics re-exported here, [`ALL`] in this order, and the engine's
/// dispatch to each one's default order laid out one check after the other
/// (`run_request_checks`, `run_world_checks`: a compile-time run of `if`s,
/// one per revision, each calling that revision's straight-line run). A
/// new revision is its module and its row here; the engine is not touched.
macro_rules! revisions {
    ($($(#[$attr:meta])* $vis:vis $module:ident::$revision:ident,)*) => {
        $($(#[$attr])* $vis mod $module;)*

        $(pub use $module::$revision;)*

        /// Every revision, the default ([`SEED`]) first.
        pub const ALL: &[&Revision] = &[$(&$revision),*];

        /// Runs `revision`'s request checks on the runner `make` builds:
        /// for a revision declared here, its checks one after the other
        /// (each a constant, its rule a direct call); for any other,
        /// through `general`. Each branch builds its own runner, so that
        /// the compiler keeps each one's facts in registers.
        #[inline(always)]
        pub(crate) fn run_request_checks<R: Runner>(
            revision: &'static Revision,
            make: impl FnOnce() -> R,
            general: impl FnOnce(&mut R) -> Result<(), R::Stop>,
        ) -> Result<(), R::Stop> {
            $(
                if ptr::eq(revision, &$revision) {
                    return $module::run_request_checks(&mut make());
                }
            )*
            general(&mut make())
        }

        /// Runs `revision`'s world checks on the runner `make` builds, then
        /// finishes it ([`Runner::finish`]): in the revision's default order laid out one
        /// check after the other when `default_order` holds and the
        /// revision is declared here; through `general` otherwise. Each
        /// branch builds and finishes its own runner (see
        /// [`run_request_checks`]).
        #[inline(always)]
        pub(crate) fn run_world_checks<R: Runner>(
            revision: &'static Revision,
            default_order: bool,
            make: impl FnOnce() -> R,
            general: impl FnOnce(&mut R) -> Result<(), R::Stop>,
        ) -> Result<R::Done, R::Stop> {
            $(
                if default_order && ptr::eq(revision, &$revision) {
                    let mut runner = make();
                    $module::run_world_checks(&mut runner)?;
                    return runner.finish();
                }
            )*
            let mut runner = make();
            general(&mut runner)?;
            runner.finish()
        }
    };
}

revisions! {
    seed::SEED,
    v2025_02_27::V2025_02_27,
}

/// The most world checks a revision may have (the capacity of a
/// [`CheckOrder`](crate::policy::CheckOrder), which allocates nothing).
pub const MAX_WORLD_CHECKS: usize = 32;

/// One API revision of `ReInitDisk`: everything that differs between the
/// pages, as data. Compared, hashed and serialized by its name (a policy
/// deserializes it by name through [`Revision::by_name`]).
pub struct Revision {
    /// The name a policy, a scenario and the CLI use (`seed`, ...).
    pub name: &'static str,
    /// Where it comes from, in a line.
    pub title: &'static str,
    /// The catalogue: one row per code this revision answers with.
    pub catalogue: &'static [Entry],
    /// The same rows by code (`CodeIndex::of(catalogue)`), built by the
    /// crate: outside it, a type no path names, copied from a revision of
    /// the crate (a test revision over its catalogue), never built.
    #[doc(hidden)]
    pub index: CodeIndex,
    /// The request parameters it reads.
    pub params: &'static [Param],
    /// The same, as a set (`ParamSet::of(params)`; tests/revisions.rs holds
    /// the two equal).
    pub reads: ParamSet,
    /// The request checks, in the order they always run (first).
    pub request_checks: &'static [Check],
    /// The world checks, in the default order.
    pub world_checks: &'static [Check],
    /// Snapshots created before this instant are too old to re-initialize
    /// to.
    pub too_old_before: CreationTime,
    /// `SecurityEnhancement` of an accepted system disk whose request gave no
    /// strategy.
    pub default_strategy: Option<SecurityEnhancementStrategy>,
}

impl Revision {
    /// The row for `code`, if this revision has that code.
    #[inline]
    pub fn entry(&self, code: Code) -> Option<&'static Entry> {
        self.index.get(code)
    }

    /// The revision called `name`.
    pub fn by_name(name: &str) -> Result<&'static Self, UnknownRevision> {
        ALL.iter()
            .copied()
            .find(|r| r.name == name)
            .ok_or_else(|| UnknownRevision(name.chars().take(64).collect()))
    }

    /// Every check, request checks first, in the default order.
    pub fn checks(&self) -> impl Iterator<Item = Check> + '_ {
        self.request_checks.iter().chain(self.world_checks).copied()
    }

    /// Whether `check` is one of this revision's world checks.
    pub fn has_world_check(&self, check: Check) -> bool {
        self.world_checks.contains(&check)
    }

    /// Whether this revision reads the request parameter `param` (the
    /// others are ignored).
    #[inline]
    pub const fn reads(&self, param: Param) -> bool {
        self.reads.contains(param)
    }

    /// The row that answers `code` when `check` fails with it: the row for
    /// the parameter the check is about, if the code has one per parameter.
    #[inline]
    pub fn entry_for(&self, code: Code, check: Check) -> Option<&'static Entry> {
        self.index.get_for(code, check.decl().param)
    }
}

/// What the checks read of a revision: its too-old boundary.
impl From<&'static Revision> for Boundary {
    #[inline]
    fn from(revision: &'static Revision) -> Self {
        Self::new(&revision.too_old_before)
    }
}

impl PartialEq for Revision {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Revision {}

impl Hash for Revision {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

impl serde::Serialize for Revision {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name)
    }
}

impl fmt::Debug for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Revision({:?})", self.name)
    }
}

impl fmt::Display for Revision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// A revision name that no revision has.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown revision {0:?}: expected one of {names}", names = Names)]
pub struct UnknownRevision(pub String);

/// The revisions' names, comma-separated.
struct Names;

impl fmt::Display for Names {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::model::write_names(f, ALL.iter().map(|r| r.name))
    }
}
