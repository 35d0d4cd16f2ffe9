//! The package's exceptions, and the crate's errors turned into them.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use crate::convert::Unwritable;

pyo3::create_exception!(
    reinit_disk,
    ScenarioError,
    PyValueError,
    "A scenario, record, request or policy that is not valid.\n\n\
     ``path`` names the field at fault as the CLI names it (``Disks[0].Status``;\n\
     ``.`` for the document itself) and ``message`` says what is wrong. A\n\
     ``Password`` value is never shown."
);

pyo3::create_exception!(
    reinit_disk,
    DuplicateIdError,
    PyValueError,
    "An id the world already holds (``add_disk`` of a disk id twice, ...).\n\n\
     ``kind`` is ``disk``, ``instance``, ``image``, ``snapshot``, ``key pair`` or\n\
     ``KMS key``; ``id`` is the id."
);

pyo3::create_exception!(
    reinit_disk,
    TransitionError,
    PyValueError,
    "A transition the world cannot make: settling a disk that does not exist\n\
     or is not ``ReIniting``."
);

/// A `ScenarioError` at `path` (its `.path` and `.message` set).
pub fn scenario_error(py: Python<'_>, path: &str, message: &str) -> PyErr {
    let err = ScenarioError::new_err(format!("{path}: {message}"));
    let value = err.value(py);
    // Setting an attribute on a fresh exception instance does not fail;
    // if it did, the message still names the path.
    let _ = value.setattr("path", path);
    let _ = value.setattr("message", message);
    err
}

/// The crate's scenario error as a `ScenarioError`.
pub fn from_scenario(py: Python<'_>, e: &reinit_disk::scenario::ScenarioError) -> PyErr {
    scenario_error(py, &e.path, &e.message)
}

/// A value that cannot be written as JSON, as a `ScenarioError` whose path
/// starts with `prefix`.
pub fn from_unwritable(py: Python<'_>, e: &Unwritable, prefix: &str) -> PyErr {
    scenario_error(py, &e.path(prefix), &e.message)
}

/// The in-memory world's duplicate id as a `DuplicateIdError`.
pub fn duplicate(py: Python<'_>, e: &reinit_disk::DuplicateId) -> PyErr {
    let err = DuplicateIdError::new_err(e.to_string());
    let value = err.value(py);
    let _ = value.setattr("kind", e.kind);
    let _ = value.setattr("id", e.id.as_str());
    err
}

/// The in-memory world's transition error as a `TransitionError`.
pub fn transition(e: &reinit_disk::TransitionError) -> PyErr {
    TransitionError::new_err(e.to_string())
}
