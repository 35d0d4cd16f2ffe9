//! A decision as the `dict` `reinit-disk eval` prints, built without JSON
//! text on each call (docs/performance.md#python).
//!
//! The reference is [`decision_to_py`](crate::decision_to_py): the decision
//! serialized by serde and read back by `json_to_py`, the CLI's keys, order
//! and spellings. This module builds each shape of answer through it once,
//! keeps it as a template, and answers with a copy:
//!
//! - a rejection's `dict` depends on nothing but its catalogue entry and
//!   its check: each call returns a fresh copy of the template;
//! - an accepted decision's `dict` depends on its target: on its ids (the
//!   disk, the instance, the image or snapshot, the key pair), which are set
//!   on each copy, and on the rest (what it resets to, the strategy,
//!   whether the password is reset, the statuses), which pick the template.
//!
//! Copies are shallow: a template's values are `str`, `int`, `bool` and
//! `None`, immutable, except an accepted template's `Target`, which each
//! call replaces with a fresh copy of its own. A caller may change the
//! `dict` it is given; no template is ever handed out.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

use foldhash::fast::FixedState;
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use reinit_disk::model::{DiskStatus, InstanceStatus, SourceKind};
use reinit_disk::scenario::Decision;
use reinit_disk::{Check, OwnedTarget, Rejection, SecurityEnhancementStrategy, Target};

use crate::decision_to_py;
use crate::request::Text;

/// A rejection's template, by its catalogue entry (its address) and its
/// check. A row may reach here at more than one address (the revision's
/// static catalogue, and the copy in the constant index the engine's
/// straight-line runs use): each address then has a template of its own,
/// built from the same row, so the answer is the same.
type RejectionKey = (usize, Check);

/// What an accepted decision's `dict` holds besides the target's ids.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct TargetKey {
    reset_to: SourceKind,
    has_source: bool,
    security_enhancement: Option<SecurityEnhancementStrategy>,
    password_reset: bool,
    has_key_pair: bool,
    instance_status_after: InstanceStatus,
    status_during: DiskStatus,
    status_after: DiskStatus,
}

/// An accepted decision's template, and its `Target`'s (which the
/// decision's holds, and each copy replaces with a copy of it).
pub struct Accepted {
    decision: Py<PyDict>,
    target: Py<PyDict>,
}

impl Accepted {
    fn clone_ref(&self, py: Python<'_>) -> Self {
        Self {
            decision: self.decision.clone_ref(py),
            target: self.target.clone_ref(py),
        }
    }

    /// A fresh copy: the decision's `dict` and its `Target`'s.
    pub fn fresh<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let out = self.decision.bind(py).copy()?;
        out.set_item(pyo3::intern!(py, "Target"), self.target.bind(py).copy()?)?;
        Ok(out.into_any())
    }
}

/// The templates' hasher: foldhash with its fixed seed, as the core
/// crate's in-memory world (the standard SipHash took a tenth of a call's
/// time). Not keyed: the keys are the crate's own (catalogue entries,
/// checks, enums) or, for a world's kept answers, its targets, whose ids the
/// caller chose; those are at most [`MAX_RENDERED`], one per hash, so ids
/// made to collide cost a look-up no more than that.
type KeyHasher = FixedState;

type Templates<K, V> = Mutex<HashMap<K, V, KeyHasher>>;

/// The templates. Both sets are bounded: there are finitely many catalogue
/// entries, checks, and target keys. Each lock is held only to look up or
/// insert (no Python code runs under it: templates are built and copied
/// outside it).
static REJECTIONS: LazyLock<Templates<RejectionKey, Py<PyDict>>> =
    LazyLock::new(|| Mutex::new(HashMap::default()));
static ACCEPTED: LazyLock<Templates<TargetKey, Accepted>> =
    LazyLock::new(|| Mutex::new(HashMap::default()));

fn locked<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The reference `dict` of a decision, as a `dict`.
fn reference<'py>(py: Python<'py>, decision: &Decision) -> PyResult<Bound<'py, PyDict>> {
    decision_to_py(py, decision)?
        .cast_into::<PyDict>()
        .map_err(|_| {
            pyo3::exceptions::PyRuntimeError::new_err("reinit_disk: a decision is not a dict")
        })
}

/// The decision on a request, as `reinit-disk eval` prints it: a fresh
/// `dict` (the same keys, order and values as [`decision_to_py`] gives).
///
/// `disk_id` is the request's `DiskId` as given (with its text): when it is
/// a `str` (not a subclass) equal to the target's, the answer holds it
/// rather than a copy.
pub fn outcome_to_py<'py>(
    py: Python<'py>,
    outcome: &Result<Target<'_>, Rejection>,
    disk_id: Option<&Text<'py>>,
) -> PyResult<Bound<'py, PyAny>> {
    match outcome {
        Err(rejection) => rejection_to_py(py, *rejection),
        Ok(target) => target_to_py(py, target, disk_id),
    }
}

/// The answer of a rejection: a copy of its template.
pub fn rejection_to_py(py: Python<'_>, rejection: Rejection) -> PyResult<Bound<'_, PyAny>> {
    Ok(rejection_template(py, rejection)?.copy()?.into_any())
}

fn rejection_key(rejection: Rejection) -> RejectionKey {
    (
        std::ptr::from_ref(rejection.entry()) as usize,
        rejection.check(),
    )
}

/// The template of a rejection's `dict` (never to hand out: to copy).
pub fn rejection_template(py: Python<'_>, rejection: Rejection) -> PyResult<Bound<'_, PyDict>> {
    let key = rejection_key(rejection);
    let found = locked(&REJECTIONS).get(&key).map(|t| t.clone_ref(py));
    Ok(match found {
        Some(template) => template.into_bound(py),
        None => {
            let built = reference(py, &Decision::from(&Err(rejection)))?;
            locked(&REJECTIONS)
                .entry(key)
                .or_insert_with(|| built.clone().unbind());
            built
        }
    })
}

fn target_to_py<'py>(
    py: Python<'py>,
    target: &Target<'_>,
    given_disk_id: Option<&Text<'py>>,
) -> PyResult<Bound<'py, PyAny>> {
    let (decision, _) = render_target(py, target, given_disk_id)?;
    Ok(decision.into_any())
}

/// A fresh accepted decision's `dict`, and its `Target`'s (which the
/// decision's holds).
fn render_target<'py>(
    py: Python<'py>,
    target: &Target<'_>,
    given_disk_id: Option<&Text<'py>>,
) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>)> {
    // Every field, by name: a field added to `Target` must be placed here,
    // as an id set on each copy or as a part of the key.
    let Target {
        disk_id,
        instance_id,
        reset_to,
        security_enhancement,
        password_reset,
        key_pair_name,
        instance_status_after,
    } = *target;
    let transition = target.transition();
    let source_id = reset_to.id();
    let key = TargetKey {
        reset_to: reset_to.kind(),
        has_source: source_id.is_some(),
        security_enhancement,
        password_reset,
        has_key_pair: key_pair_name.is_some(),
        instance_status_after,
        status_during: transition.disk_during(),
        status_after: transition.disk_after(),
    };
    let found = locked(&ACCEPTED).get(&key).map(|t| t.clone_ref(py));
    let template = match found {
        Some(template) => template,
        None => {
            let decision = reference(py, &Decision::from(&Ok(*target)))?;
            let inner = decision
                .get_item(pyo3::intern!(py, "Target"))?
                .and_then(|t| t.cast_into::<PyDict>().ok())
                .ok_or_else(|| {
                    pyo3::exceptions::PyRuntimeError::new_err(
                        "reinit_disk: an accepted decision without a Target",
                    )
                })?;
            let built = Accepted {
                decision: decision.unbind(),
                target: inner.unbind(),
            };
            let copy = built.clone_ref(py);
            locked(&ACCEPTED).entry(key).or_insert(built);
            copy
        }
    };
    let out_target = template.target.bind(py).copy()?;
    // The given string's text was read with the request: compared here, not
    // read again.
    match given_disk_id.filter(|given| {
        given.object().is_exact_instance_of::<PyString>() && given.as_str() == disk_id
    }) {
        Some(given) => out_target.set_item(pyo3::intern!(py, "DiskId"), given.object())?,
        None => out_target.set_item(pyo3::intern!(py, "DiskId"), disk_id)?,
    }
    out_target.set_item(pyo3::intern!(py, "InstanceId"), instance_id)?;
    if let Some(id) = source_id {
        out_target.set_item(pyo3::intern!(py, "SourceId"), id)?;
    }
    if let Some(name) = key_pair_name {
        out_target.set_item(pyo3::intern!(py, "KeyPairName"), name)?;
    }
    let out = template.decision.bind(py).copy()?;
    out.set_item(pyo3::intern!(py, "Target"), &out_target)?;
    Ok((out, out_target))
}

/// How many accepted answers a world keeps rendered, at most: past it, it
/// forgets them all and starts again.
const MAX_RENDERED: usize = 4096;

/// A world's accepted answers, rendered, by their target (disk, instance,
/// source ids and all): an accepted request's answer is a copy of its
/// target's, without building one. Kept in the world's state, under its
/// lock; a look-up there adds two reference counts and runs no Python code.
/// What it keeps depends on the target alone, never on the world's state,
/// so a change to the world does not make it stale.
///
/// It keeps the world's rejections' templates too (the module's, by
/// catalogue entry and check), so that an answer is looked up under the
/// lock the decision was made under, without taking another.
#[derive(Default)]
pub struct Rendered {
    by_hash: HashMap<u64, (OwnedTarget, Accepted), KeyHasher>,
    rejections: HashMap<RejectionKey, Py<PyDict>, KeyHasher>,
}

fn target_hash(target: &Target<'_>) -> u64 {
    KeyHasher::default().hash_one(target)
}

impl Rendered {
    /// The template of `rejection`'s answer, if it is kept.
    pub fn rejection(&self, py: Python<'_>, rejection: Rejection) -> Option<Py<PyDict>> {
        self.rejections
            .get(&rejection_key(rejection))
            .map(|t| t.clone_ref(py))
    }

    /// Keeps `template`, the template of `rejection`'s answer. Returns what
    /// it replaces, to be dropped once the world's lock is released. (There
    /// are finitely many: one per catalogue entry and check.)
    #[must_use]
    pub fn keep_rejection(
        &mut self,
        rejection: Rejection,
        template: Py<PyDict>,
    ) -> Option<Py<PyDict>> {
        self.rejections.insert(rejection_key(rejection), template)
    }

    /// The rendered answer of `target`, if it is kept.
    pub fn get(&self, py: Python<'_>, target: &Target<'_>) -> Option<Accepted> {
        let (kept, accepted) = self.by_hash.get(&target_hash(target))?;
        (kept.as_target() == *target).then(|| accepted.clone_ref(py))
    }

    /// Keeps `accepted`, the answer of `target` (in place of another
    /// target's of the same hash). Returns what it forgets, to be dropped
    /// once the world's lock is released.
    #[must_use]
    pub fn keep(
        &mut self,
        target: OwnedTarget,
        accepted: Accepted,
    ) -> Vec<(OwnedTarget, Accepted)> {
        let mut forgotten = Vec::new();
        if self.by_hash.len() >= MAX_RENDERED {
            forgotten.extend(std::mem::take(&mut self.by_hash).into_values());
        }
        let hash = target_hash(&target.as_target());
        forgotten.extend(self.by_hash.insert(hash, (target, accepted)));
        forgotten
    }
}

/// An accepted decision's `dict` and its `Target`'s, new: to keep as a
/// template (in a world's [`Rendered`]), never to hand out.
pub fn render_accepted<'py>(
    py: Python<'py>,
    target: &Target<'_>,
    given_disk_id: Option<&Text<'py>>,
) -> PyResult<Accepted> {
    let (decision, inner) = render_target(py, target, given_disk_id)?;
    Ok(Accepted {
        decision: decision.unbind(),
        target: inner.unbind(),
    })
}
