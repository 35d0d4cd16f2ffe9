//! The API revisions: each one value ([`Revision`]) that holds its
//! catalogue (code, HTTP status, exact message), the parameters it reads, its
//! checks in default order, its too-old boundary and its defaults.
//!
//! Adding a revision is adding one module here (`src/revision/<name>.rs`
//! with one `pub static`) and naming it in [`ALL`]; docs/architecture.md
//! walks through it. The policy chooses the revision
//! ([`Policy::new`](crate::Policy::new); `"Policy": {"Revision": "seed"}` in
//! a scenario; `--revision` on the CLI).

pub mod seed;

use core::fmt;
use core::hash::{Hash, Hasher};

use crate::catalogue::{Code, Entry};
use crate::checks::Check;
use crate::model::CreationTime;
use crate::request::{Param, SecurityEnhancementStrategy};

pub use seed::SEED;

/// Every revision, the default ([`SEED`]) first.
pub const ALL: &[&Revision] = &[&SEED];

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
    /// The request parameters it reads.
    pub params: &'static [Param],
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
    pub fn entry(&self, code: Code) -> Option<&'static Entry> {
        self.catalogue.iter().find(|e| e.code == code)
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
        for (i, revision) in ALL.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(revision.name)?;
        }
        Ok(())
    }
}
