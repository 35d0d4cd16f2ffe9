//! The policy: which revision answers, in which order its world checks run,
//! and the product's answers to the questions the pages leave open.
//! [`Policy::default`] is the newest revision (`2025-02-27`, ECS's API
//! reference today), its default order and the documented answers
//! (docs/open-questions.md); the seed revision is chosen by name.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::answers::{
    ActiveOnNonPublicImage, Answers, DeletedImageCode, DeletedSnapshotCode, UnsupportedCategories,
};
use crate::checks::Check;
use crate::revision::{self, MAX_WORLD_CHECKS, Revision};

/// How `ReInitDisk` behaves: the revision, the order of its world checks,
/// and the answers to the open questions.
///
/// Serialized in PascalCase (`Revision`, `Order`, `DeletedSnapshotCode`,
/// `UnsupportedCategories`, `ActiveOnNonPublicImage`, `DeletedImageCode`); every field is
/// optional and defaults to the documented answer, so `{}` is the default
/// policy. Deserializing refuses an `Order` that is not a permutation of the
/// revision's world checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "PolicyRecord", into = "PolicyRecord")]
pub struct Policy {
    revision: &'static Revision,
    order: Option<CheckOrder>,
    /// The answers to the open questions, which the rules read.
    pub answers: Answers,
}

/// The newest revision ([`revision::V2025_02_27`]), what today's SDKs are
/// answered by, with its default order and the documented answers.
impl Default for Policy {
    fn default() -> Self {
        Self::new(&revision::V2025_02_27)
    }
}

impl Policy {
    /// `revision` with its default order and the documented answers.
    pub const fn new(revision: &'static Revision) -> Self {
        Self {
            revision,
            order: None,
            answers: Answers {
                deleted_snapshot_code: DeletedSnapshotCode::InvalidSourceSnapshot,
                unsupported_categories: UnsupportedCategories::DEFAULT,
                active_on_non_public_image: ActiveOnNonPublicImage::Ignore,
                deleted_image_code: DeletedImageCode::InvalidDiskIdOperationNotSupported,
            },
        }
    }

    /// The revision that answers.
    pub const fn revision(&self) -> &'static Revision {
        self.revision
    }

    /// The world checks in the order they run (the request checks always run
    /// first, in the revision's order).
    pub fn order(&self) -> &[Check] {
        match &self.order {
            Some(order) => order.checks(),
            None => self.revision.world_checks,
        }
    }

    /// Whether the world checks run in the revision's default order.
    pub const fn has_default_order(&self) -> bool {
        self.order.is_none()
    }

    /// The same policy with the world checks in this order: each of the
    /// revision's world checks exactly once.
    pub fn with_order(mut self, checks: &[Check]) -> Result<Self, OrderError> {
        let order = CheckOrder::new(self.revision, checks)?;
        self.order = (order.checks() != self.revision.world_checks).then_some(order);
        Ok(self)
    }

    /// The same policy under `revision`: the same answers, and the same
    /// order if it was not the default (then it must fit `revision`).
    pub fn with_revision(self, revision: &'static Revision) -> Result<Self, OrderError> {
        let policy = Self::new(revision).with_answers(self.answers);
        match &self.order {
            Some(order) => policy.with_order(order.checks()),
            None => Ok(policy),
        }
    }

    /// The same policy with these answers.
    #[must_use]
    pub const fn with_answers(mut self, answers: Answers) -> Self {
        self.answers = answers;
        self
    }
}

/// An order of a revision's world checks: each exactly once. Holds them
/// inline (no allocation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CheckOrder {
    checks: [Check; MAX_WORLD_CHECKS],
    len: usize,
}

impl CheckOrder {
    /// An order of `revision`'s world checks.
    pub fn new(revision: &'static Revision, checks: &[Check]) -> Result<Self, OrderError> {
        let mut order = Self {
            checks: [Check::Action; MAX_WORLD_CHECKS],
            len: 0,
        };
        for (i, check) in checks.iter().enumerate() {
            if revision.request_checks.contains(check) {
                return Err(OrderError::RequestCheck(revision, *check));
            }
            if !revision.has_world_check(*check) {
                return Err(OrderError::NotInRevision(revision, *check));
            }
            if checks.iter().take(i).any(|c| c == check) {
                return Err(OrderError::Repeated(revision, *check));
            }
            // Each is a distinct world check of the revision, so at most
            // MAX_WORLD_CHECKS fit.
            if let Some(slot) = order.checks.get_mut(i) {
                *slot = *check;
                order.len = i + 1;
            }
        }
        match revision.world_checks.iter().find(|c| !checks.contains(c)) {
            Some(missing) => Err(OrderError::Missing(revision, *missing)),
            None => Ok(order),
        }
    }

    /// The checks, in order.
    pub fn checks(&self) -> &[Check] {
        self.checks.get(..self.len).unwrap_or_default()
    }
}

/// A check order that is not a permutation of the revision's world checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OrderError {
    /// The order names a request check, which always runs first.
    #[error(
        "check \"{1}\" is a request check: the request checks ({requests}) always run first and are not ordered; Order lists the world checks of revision {0} only: {world}",
        requests = List(.0.request_checks),
        world = List(.0.world_checks)
    )]
    RequestCheck(&'static Revision, Check),
    /// The order names a check the revision does not have.
    #[error(
        "check \"{1}\" is not a check of revision {0}; Order lists each of its world checks exactly once: {world}",
        world = List(.0.world_checks)
    )]
    NotInRevision(&'static Revision, Check),
    /// The order names a check twice.
    #[error(
        "check \"{1}\" is listed twice; Order lists each world check of revision {0} exactly once: {world}",
        world = List(.0.world_checks)
    )]
    Repeated(&'static Revision, Check),
    /// The order leaves a check out.
    #[error(
        "check \"{1}\" is missing; Order lists each world check of revision {0} exactly once: {world}",
        world = List(.0.world_checks)
    )]
    Missing(&'static Revision, Check),
}

/// Checks' names, comma-separated.
struct List(&'static [Check]);

impl fmt::Display for List {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::model::write_names(f, self.0.iter().map(|c| c.name()))
    }
}

/// A policy that cannot be: its `Order` does not fit its `Revision`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Order: {0}")]
pub struct PolicyError(#[from] pub OrderError);

/// The serialized shape of a policy.
#[derive(Serialize, Deserialize)]
#[serde(
    remote = "Self",
    default,
    deny_unknown_fields,
    rename_all = "PascalCase"
)]
struct PolicyRecord {
    #[serde(with = "revision_name")]
    revision: &'static Revision,
    #[serde(skip_serializing_if = "Option::is_none")]
    order: Option<Vec<Check>>,
    deleted_snapshot_code: DeletedSnapshotCode,
    unsupported_categories: UnsupportedCategories,
    active_on_non_public_image: ActiveOnNonPublicImage,
    deleted_image_code: DeletedImageCode,
}

crate::map_only::map_only!(PolicyRecord, PolicyRecord, "a policy");

impl Default for PolicyRecord {
    fn default() -> Self {
        Self::from(Policy::default())
    }
}

impl TryFrom<PolicyRecord> for Policy {
    type Error = PolicyError;

    fn try_from(r: PolicyRecord) -> Result<Self, PolicyError> {
        let policy = Self::new(r.revision).with_answers(Answers {
            deleted_snapshot_code: r.deleted_snapshot_code,
            unsupported_categories: r.unsupported_categories,
            active_on_non_public_image: r.active_on_non_public_image,
            deleted_image_code: r.deleted_image_code,
        });
        match r.order {
            Some(order) => Ok(policy.with_order(&order)?),
            None => Ok(policy),
        }
    }
}

impl From<Policy> for PolicyRecord {
    fn from(p: Policy) -> Self {
        Self {
            revision: p.revision,
            order: p.order.map(|o| o.checks().to_vec()),
            deleted_snapshot_code: p.answers.deleted_snapshot_code,
            unsupported_categories: p.answers.unsupported_categories,
            active_on_non_public_image: p.answers.active_on_non_public_image,
            deleted_image_code: p.answers.deleted_image_code,
        }
    }
}

/// A revision, serialized by its name.
mod revision_name {
    use serde::{Deserializer, Serializer};

    use crate::revision::Revision;

    pub(super) fn serialize<S: Serializer>(r: &&'static Revision, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(r.name)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<&'static Revision, D::Error> {
        d.deserialize_str(Name)
    }

    /// Reads a revision's name; anything else is refused with the names.
    struct Name;

    impl serde::de::Visitor<'_> for Name {
        type Value = &'static Revision;

        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("a revision name, one of ")?;
            crate::model::write_names(f, crate::revision::ALL.iter().map(|r| r.name))
        }

        fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<&'static Revision, E> {
            Revision::by_name(name).map_err(E::custom)
        }
    }
}

#[cfg(feature = "arbitrary")]
#[cfg_attr(docsrs, doc(cfg(feature = "arbitrary")))]
impl<'a> arbitrary::Arbitrary<'a> for Policy {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let revision = *u.choose(revision::ALL)?;
        let mut policy = Self::new(revision).with_answers(Answers::arbitrary(u)?);
        if bool::arbitrary(u)? {
            // A Fisher-Yates shuffle of the default order.
            let mut order = [Check::Action; MAX_WORLD_CHECKS];
            let n = revision.world_checks.len().min(MAX_WORLD_CHECKS);
            for (slot, check) in order.iter_mut().zip(revision.world_checks) {
                *slot = *check;
            }
            for i in (1..n).rev() {
                let j = u.int_in_range(0..=i)?;
                order.swap(i, j);
            }
            let checks = order.get(..n).unwrap_or_default();
            policy = policy
                .with_order(checks)
                .map_err(|_| arbitrary::Error::IncorrectFormat)?;
        }
        Ok(policy)
    }
}
