//! `reinit_disk` for Python: the ECS `ReInitDisk` engine, its JSON
//! scenarios and its wire layer, built with PyO3 (docs/python.md).

#![forbid(unsafe_code)]

mod convert;
mod decision;
mod errors;
mod many;
mod request;
mod world;

use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyString};
use reinit_disk::scenario::Scenario;
use reinit_disk::wire::{HttpRequest, Ids, check_request_id, exchange, new_request_id, query_of};
use reinit_disk::{Policy, Revision};

use crate::convert::write_json;
use crate::errors::{
    DuplicateIdError, ScenarioError, TransitionError, from_scenario, from_unwritable,
    scenario_error,
};
use crate::world::PyWorld;

/// The largest document (or line) read, in bytes: the core's limit, the
/// CLI's default `--max-input-bytes` (64 MiB).
pub const MAX_INPUT_BYTES: usize = reinit_disk::scenario::MAX_INPUT_BYTES as usize;

/// A document given as a `dict` (written out as JSON), a `str` or UTF-8
/// `bytes` (JSON text, at most [`MAX_INPUT_BYTES`]).
pub fn document_text(py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<String> {
    let text = if let Ok(dict) = document.cast::<PyDict>() {
        let mut json = String::new();
        write_json(dict.as_any(), &mut json, 0, MAX_INPUT_BYTES)
            .map_err(|e| from_unwritable(py, &e, ""))?;
        json
    } else if let Ok(s) = document.cast::<PyString>() {
        s.to_cow()
            .map_err(|_| scenario_error(py, ".", "not valid Unicode (a lone surrogate)"))?
            .into_owned()
    } else if let Ok(b) = document.cast::<PyBytes>() {
        String::from_utf8(b.as_bytes().to_vec())
            .map_err(|e| scenario_error(py, ".", &format!("not valid UTF-8: {e}")))?
    } else {
        let found = convert::type_name(document);
        return Err(pyo3::exceptions::PyTypeError::new_err(format!(
            "expected a scenario as a dict, or JSON text as str or bytes; got {found}"
        )));
    };
    if text.len() > MAX_INPUT_BYTES {
        return Err(scenario_error(
            py,
            ".",
            &format!(
                "the scenario is larger than {MAX_INPUT_BYTES} bytes ({} bytes), the limit for a scenario",
                text.len()
            ),
        ));
    }
    Ok(text)
}

/// A revision by name, or a `ValueError` listing the names.
pub fn revision_named(name: &str) -> PyResult<&'static Revision> {
    Revision::by_name(name).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}

/// A policy argument: `None` (`default`), a revision name, or a scenario's
/// `Policy` object as a dict.
pub fn policy_of(
    py: Python<'_>,
    policy: Option<&Bound<'_, PyAny>>,
    default: Policy,
) -> PyResult<Policy> {
    let Some(policy) = policy.filter(|p| !p.is_none()) else {
        return Ok(default);
    };
    if let Ok(name) = policy.cast::<PyString>() {
        return Ok(Policy::new(revision_named(&name.to_cow()?)?));
    }
    let Ok(dict) = policy.cast::<PyDict>() else {
        return Err(pyo3::exceptions::PyTypeError::new_err(
            "expected a policy as None, a revision name (str) or a Policy object (dict)",
        ));
    };
    let mut json = String::from("{\"Policy\":");
    write_json(dict.as_any(), &mut json, 1, MAX_INPUT_BYTES)
        .map_err(|e| from_unwritable(py, &e, "Policy"))?;
    json.push('}');
    Scenario::from_json(&json)
        .map(|s| s.policy)
        .map_err(|e| from_scenario(py, &e))
}

/// Decides a scenario: its request against its world under its policy.
///
/// ``scenario`` is a dict, or JSON text (``str`` or ``bytes``), in the
/// format of docs/scenario.md. ``revision`` decides under that revision
/// instead of the scenario's own (``reinit-disk eval --revision``).
/// Returns the decision as a dict with the keys ``reinit-disk eval``
/// prints: ``Accepted``, ``HttpStatus``, ``Code``, ``Message``, ``Check``,
/// ``Target``.
///
/// Raises ``ScenarioError`` (a ``ValueError``; ``.path`` names the field)
/// when the scenario is not valid, ``TypeError`` when it is neither a dict
/// nor text, ``ValueError`` for an unknown revision.
///
/// >>> import reinit_disk
/// >>> decision = reinit_disk.evaluate({
/// ...     "Request": {"DiskId": "d-1"},
/// ...     "Disks": [{"DiskId": "d-1", "Type": "data", "Category": "cloud_essd",
/// ...                "Status": "In_use", "InstanceId": "i-1"}],
/// ...     "Instances": [{"InstanceId": "i-1", "Status": "Running"}]})
/// >>> decision["Code"], decision["HttpStatus"]
/// ('IncorrectInstanceStatus', 403)
#[pyfunction]
#[pyo3(signature = (scenario, *, revision = None))]
fn evaluate<'py>(
    py: Python<'py>,
    scenario: &Bound<'py, PyAny>,
    revision: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let revision = revision.map(revision_named).transpose()?;
    let text = document_text(py, scenario)?;
    let mut scenario = Scenario::from_json(&text).map_err(|e| from_scenario(py, &e))?;
    if let Some(revision) = revision {
        scenario = scenario
            .with_revision(revision)
            .map_err(|e| from_scenario(py, &e))?;
    }
    decision::outcome_to_py(py, &scenario.evaluate())
}

/// Text or bytes, as a string (headers) or as bytes (a body).
fn text_of(value: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(s.to_cow()?.into_owned());
    }
    if let Ok(b) = value.cast::<PyBytes>() {
        return Ok(String::from_utf8_lossy(b.as_bytes()).into_owned());
    }
    Err(pyo3::exceptions::PyTypeError::new_err(format!(
        "expected {what} as str or bytes"
    )))
}

/// The most headers [`headers_of`] reads, and the most bytes of names and
/// values: more than any HTTP server takes (hyper's default is 100 headers),
/// so that an endless iterable is an error, not the interpreter's memory.
const MAX_HEADERS: usize = 1_000;
const MAX_HEADER_BYTES: usize = 1024 * 1024;

/// The headers: a mapping (anything with ``items()``, such as
/// ``requests``' ``CaseInsensitiveDict``) or an iterable of pairs.
fn headers_of(headers: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<(String, String)>> {
    let Some(headers) = headers.filter(|h| !h.is_none()) else {
        return Ok(Vec::new());
    };
    let pairs = if headers.hasattr("items")? {
        headers.call_method0("items")?
    } else {
        headers.clone()
    };
    let mut out = Vec::new();
    let mut bytes = 0usize;
    for pair in pairs.try_iter()? {
        if out.len() >= MAX_HEADERS || bytes > MAX_HEADER_BYTES {
            return Err(pyo3::exceptions::PyValueError::new_err(format!(
                "too many headers: at most {MAX_HEADERS} pairs of at most {MAX_HEADER_BYTES} bytes in all"
            )));
        }
        let (name, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) =
            pair?.extract().map_err(|_| {
                pyo3::exceptions::PyTypeError::new_err(
                    "expected headers as a mapping or an iterable of (name, value) pairs",
                )
            })?;
        let pair = (
            text_of(&name, "a header name")?,
            text_of(&value, "a header value")?,
        );
        bytes = bytes.saturating_add(pair.0.len().saturating_add(pair.1.len()));
        out.push(pair);
    }
    Ok(out)
}

/// Answers an ECS HTTP request exactly as ECS does, against ``world``, and
/// applies the re-init's first stage when the request is accepted (as
/// ``World.begin_reinit``).
///
/// ``method`` is the HTTP method (not read: ECS answers ``GET`` and
/// ``POST`` alike). ``query`` is the query string, or the whole URL.
/// ``headers`` is a mapping or pairs (``x-acs-action``, ``Accept`` and
/// ``Content-Type`` are read). ``body`` is the body (``bytes``,
/// ``bytearray``, ``str`` or ``None``, else ``TypeError``; a form body's
/// parameters join the query's). ``request_id``
/// is the response's ``RequestId`` (default: a fresh one in ECS's form).
/// ``policy`` as for ``World()``; ``None`` is the world's.
///
/// Returns ``(status, headers, body)``: the HTTP status, a dict with the
/// ``Content-Type``, and the body's exact bytes (JSON or XML).
///
/// >>> world = reinit_disk.World()
/// >>> status, headers, body = reinit_disk.respond(
/// ...     world, "POST", "/?DiskId=d-9&RegionId=cn-hangzhou",
/// ...     {"x-acs-action": "ReInitDisk"}, b"", request_id="R-1")
/// >>> status, headers["Content-Type"]
/// (404, 'application/json;charset=utf-8')
#[pyfunction]
#[pyo3(signature = (world, method, query, headers = None, body = None, *, request_id = None, policy = None))]
#[expect(
    clippy::too_many_arguments,
    reason = "the Python signature: each argument is a keyword the caller names"
)]
fn respond<'py>(
    py: Python<'py>,
    world: &Bound<'py, PyWorld>,
    method: &Bound<'py, PyString>,
    query: &str,
    headers: Option<&Bound<'py, PyAny>>,
    body: Option<&Bound<'py, PyAny>>,
    request_id: Option<&str>,
    policy: Option<&Bound<'py, PyAny>>,
) -> PyResult<(u16, Bound<'py, PyDict>, Bound<'py, PyBytes>)> {
    let _ = method;
    let headers = headers_of(headers)?;
    let body: Vec<u8> = match body.filter(|b| !b.is_none()) {
        None => Vec::new(),
        Some(b) => {
            // Only `str`, `bytes` and `bytearray`: extracting any other
            // sequence as bytes would reserve room for its `len()` first (a
            // `range(10**15)` aborts the interpreter).
            if let Ok(s) = b.cast::<PyString>() {
                s.to_cow()?.as_bytes().to_vec()
            } else if let Ok(bytes) = b.cast::<PyBytes>() {
                bytes.as_bytes().to_vec()
            } else if let Ok(array) = b.cast::<PyByteArray>() {
                array.to_vec()
            } else {
                return Err(pyo3::exceptions::PyTypeError::new_err(
                    "expected the body as bytes, bytearray, str or None",
                ));
            }
        }
    };
    let fresh;
    let request_id = match request_id {
        Some(id) => {
            check_request_id(id).map_err(|e| {
                pyo3::exceptions::PyValueError::new_err(format!("invalid request_id {e}"))
            })?;
            id
        }
        None => {
            fresh = new_request_id();
            fresh.as_str()
        }
    };
    let chosen = match policy {
        Some(p) if !p.is_none() => Some(policy_of(py, Some(p), Policy::default())?),
        _ => None,
    };
    let header_refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let http = HttpRequest {
        query: query_of(query),
        body: &body,
        headers: &header_refs,
    };
    let ids = Ids::new(request_id);
    // The library's one path, under the world's one lock (its policy read
    // under it too).
    let response = {
        let world = world.get();
        let mut state = world.lock();
        let policy = chosen.unwrap_or(state.policy);
        exchange(&http, &mut state.world, &policy, &ids)
    }
    .map(|done| done.response)
    .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))?;
    let out_headers = PyDict::new(py);
    out_headers.set_item("Content-Type", response.content_type())?;
    Ok((
        response.status,
        out_headers,
        PyBytes::new(py, response.body.as_bytes()),
    ))
}

/// The `reinit_disk` module.
#[pymodule]
#[pyo3(name = "_native")]
fn reinit_disk_python(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_function(wrap_pyfunction!(evaluate, m)?)?;
    m.add_function(wrap_pyfunction!(respond, m)?)?;
    m.add_function(wrap_pyfunction!(many::evaluate_many, m)?)?;
    m.add_class::<PyWorld>()?;
    m.add_class::<many::Decisions>()?;
    m.add("ScenarioError", py.get_type::<ScenarioError>())?;
    m.add("DuplicateIdError", py.get_type::<DuplicateIdError>())?;
    m.add("TransitionError", py.get_type::<TransitionError>())?;
    let names: Vec<&str> = reinit_disk::revision::ALL.iter().map(|r| r.name).collect();
    m.add("REVISIONS", names)?;
    m.add("MAX_INPUT_BYTES", MAX_INPUT_BYTES)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
