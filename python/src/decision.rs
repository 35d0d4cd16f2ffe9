//! A decision as the `dict` `reinit-disk eval` prints, without JSON text on
//! each call.
//!
//! The reference is [`decision_to_py`]: the decision serialized by serde and
//! read back by `json_to_py`, the CLI's keys, order and spellings. Each
//! shape of answer is built through it once and kept as a template, keyed
//! by what the answer depends on ([`Shape`]); a call returns a copy:
//!
//! - a rejection's `dict` is its code, message, HTTP status and check;
//! - an accepted decision's `Target` holds ids, set on each copy, and the
//!   rest (what it resets to, the strategy, the statuses), which is the key.
//!
//! Copies are shallow: a template's values are `str`, `int`, `bool` and
//! `None`, except an accepted template's `Target`, which each call replaces
//! with a fresh copy of its own. No template is ever handed out.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};

use foldhash::fast::FixedState;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use reinit_disk::model::{DiskStatus, InstanceStatus, SourceKind};
use reinit_disk::scenario::Decision;
use reinit_disk::{Check, Code, Rejection, SecurityEnhancementStrategy, Target};

use crate::convert::json_to_py;

/// What a decision's `dict` depends on, besides an accepted target's ids.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Shape {
    Rejected {
        code: Code,
        message: &'static str,
        http_status: u16,
        check: Check,
    },
    Accepted {
        reset_to: SourceKind,
        has_source: bool,
        security_enhancement: Option<SecurityEnhancementStrategy>,
        password_reset: bool,
        has_key_pair: bool,
        instance_status_after: InstanceStatus,
        status_during: DiskStatus,
        status_after: DiskStatus,
    },
}

/// A template: the decision's `dict`, and its `Target`'s when accepted.
struct Template {
    decision: Py<PyDict>,
    target: Option<Py<PyDict>>,
}

/// The templates, by shape: finitely many (catalogue rows, checks, target
/// shapes). The lock is held only to look up or insert: templates are built
/// and copied outside it. foldhash with its fixed seed: the keys are the
/// crate's own values, never a caller's.
static TEMPLATES: LazyLock<Mutex<HashMap<Shape, Template, FixedState>>> =
    LazyLock::new(|| Mutex::new(HashMap::default()));

/// The decision as the `dict` `reinit-disk eval` prints: serialized by
/// serde and read back, the same keys in the same order.
pub fn decision_to_py<'py>(py: Python<'py>, decision: &Decision) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_string(decision).map_err(|e| {
        pyo3::exceptions::PyRuntimeError::new_err(format!("cannot encode the decision: {e}"))
    })?;
    json_to_py(py, &json)
}

/// The template of `shape`, built from `outcome` when it is not kept yet.
fn template<'py>(
    py: Python<'py>,
    shape: Shape,
    outcome: &Result<Target<'_>, Rejection>,
) -> PyResult<(Bound<'py, PyDict>, Option<Bound<'py, PyDict>>)> {
    let locked = || TEMPLATES.lock().unwrap_or_else(PoisonError::into_inner);
    let found = locked().get(&shape).map(|t| {
        (
            t.decision.clone_ref(py),
            t.target.as_ref().map(|t| t.clone_ref(py)),
        )
    });
    if let Some((decision, target)) = found {
        return Ok((decision.into_bound(py), target.map(|t| t.into_bound(py))));
    }
    let decision = decision_to_py(py, &Decision::from(outcome))?
        .cast_into::<PyDict>()
        .map_err(|_| pyo3::exceptions::PyRuntimeError::new_err("a decision is not a dict"))?;
    let target = decision
        .get_item(pyo3::intern!(py, "Target"))?
        .and_then(|t| t.cast_into::<PyDict>().ok());
    let kept = Template {
        decision: decision.clone().unbind(),
        target: target.as_ref().map(|t| t.clone().unbind()),
    };
    // Another thread may have kept one meanwhile: the same, either serves.
    let replaced = locked().insert(shape, kept);
    drop(replaced);
    Ok((decision, target))
}

/// The decision on a request, as `reinit-disk eval` prints it: a fresh
/// `dict` (the same keys, order and values as [`decision_to_py`] gives).
pub fn outcome_to_py<'py>(
    py: Python<'py>,
    outcome: &Result<Target<'_>, Rejection>,
) -> PyResult<Bound<'py, PyAny>> {
    let target = match outcome {
        Err(r) => {
            let shape = Shape::Rejected {
                code: r.code(),
                message: r.message(),
                http_status: r.http_status(),
                check: r.check(),
            };
            return Ok(template(py, shape, outcome)?.0.copy()?.into_any());
        }
        Ok(target) => target,
    };
    // Every field, by name: a field added to `Target` must be placed here,
    // as an id set on each copy or as a part of the shape.
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
    let shape = Shape::Accepted {
        reset_to: reset_to.kind(),
        has_source: reset_to.id().is_some(),
        security_enhancement,
        password_reset,
        has_key_pair: key_pair_name.is_some(),
        instance_status_after,
        status_during: transition.disk_during(),
        status_after: transition.disk_after(),
    };
    let (decision, inner) = template(py, shape, outcome)?;
    let inner = inner
        .ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("accepted without a Target"))?
        .copy()?;
    inner.set_item(pyo3::intern!(py, "DiskId"), disk_id)?;
    inner.set_item(pyo3::intern!(py, "InstanceId"), instance_id)?;
    if let Some(id) = reset_to.id() {
        inner.set_item(pyo3::intern!(py, "SourceId"), id)?;
    }
    if let Some(name) = key_pair_name {
        inner.set_item(pyo3::intern!(py, "KeyPairName"), name)?;
    }
    let out = decision.copy()?;
    out.set_item(pyo3::intern!(py, "Target"), inner)?;
    Ok(out.into_any())
}
