//! `evaluate_many`: JSON lines in, decisions out, decided with the GIL
//! released.

use std::collections::VecDeque;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyIterator, PyString};
use reinit_disk::Revision;
use reinit_disk::scenario::Scenario;

use crate::convert::{MAX_INPUT_BYTES, json_to_py};

/// How many lines are read from the iterable, then decided at once with
/// the GIL released.
const CHUNK: usize = 256;

/// The decisions on an iterable of scenario lines, in order: an iterator of
/// dicts, each the decision ``reinit-disk eval`` prints, or
/// ``{"Error": "..."}`` for a line that is not a valid scenario (as
/// ``reinit-disk eval --lines`` prints it).
#[pyclass(module = "reinit_disk")]
pub struct Decisions {
    lines: Option<Py<PyIterator>>,
    revision: Option<&'static Revision>,
    ready: VecDeque<String>,
}

/// One line's answer, as JSON text.
fn decide_line(line: &str, revision: Option<&'static Revision>) -> String {
    let line = line.strip_suffix('\n').unwrap_or(line);
    let line = line.strip_suffix('\r').unwrap_or(line);
    let decided = if line.len() > MAX_INPUT_BYTES {
        Err(format!(
            "line longer than {MAX_INPUT_BYTES} bytes, the limit for a scenario"
        ))
    } else if line.trim().is_empty() {
        Err("empty line: expected a scenario, one JSON object a line".to_owned())
    } else {
        Scenario::from_json(line)
            .and_then(|s| match revision {
                Some(r) => s.with_revision(r),
                None => Ok(s),
            })
            .map_err(|e| e.to_string())
    };
    let written = match decided {
        Ok(scenario) => serde_json::to_string(&scenario.decide()),
        Err(error) => serde_json::to_string(&serde_json::json!({ "Error": error })),
    };
    written.unwrap_or_else(|e| {
        format!(
            "{{\"Error\":{}}}",
            serde_json::to_string(&e.to_string()).unwrap_or_default()
        )
    })
}

/// A line: `str`, or UTF-8 `bytes` (a line that is not UTF-8 gets an error
/// line, as the CLI's).
enum Line {
    Text(String),
    NotUtf8(String),
}

#[pymethods]
impl Decisions {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&mut self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        if self.ready.is_empty() {
            self.fill(py)?;
        }
        match self.ready.pop_front() {
            Some(json) => json_to_py(py, &json).map(Some),
            None => Ok(None),
        }
    }
}

impl Decisions {
    /// Reads up to [`CHUNK`] lines and decides them with the GIL released.
    fn fill(&mut self, py: Python<'_>) -> PyResult<()> {
        let Some(lines) = &self.lines else {
            return Ok(());
        };
        let mut chunk = Vec::with_capacity(CHUNK);
        let mut iter = lines.bind(py).clone();
        while chunk.len() < CHUNK {
            let Some(item) = iter.next() else {
                self.lines = None;
                break;
            };
            let item = item?;
            let line = if let Ok(s) = item.cast::<PyString>() {
                Line::Text(s.to_cow()?.into_owned())
            } else if let Ok(b) = item.cast::<PyBytes>() {
                match String::from_utf8(b.as_bytes().to_vec()) {
                    Ok(s) => Line::Text(s),
                    Err(e) => Line::NotUtf8(e.utf8_error().to_string()),
                }
            } else {
                let found = item
                    .get_type()
                    .name()
                    .map_or_else(|_| "object".to_owned(), |n| n.to_string());
                return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                    "evaluate_many reads lines as str or bytes; got {found}"
                )));
            };
            chunk.push(line);
        }
        let revision = self.revision;
        let decided: Vec<String> = py.detach(|| {
            chunk
                .iter()
                .map(|line| match line {
                    Line::Text(text) => decide_line(text, revision),
                    Line::NotUtf8(e) => serde_json::json!({
                        "Error": format!("not valid UTF-8 ({e}): expected a scenario, one JSON object a line")
                    })
                    .to_string(),
                })
                .collect()
        });
        self.ready.extend(decided);
        Ok(())
    }
}

/// Decides each line of ``lines`` (an iterable of ``str`` or ``bytes``, one
/// scenario a line, a final newline allowed), under ``revision`` when given
/// instead of each scenario's own. Returns an iterator of dicts, one a
/// line, in order: the decision, or ``{"Error": "..."}`` for a line that is
/// not a valid scenario. Lines are read and decided 256 at a time, with the
/// GIL released while they are decided.
///
/// >>> import json, reinit_disk
/// >>> lines = [json.dumps({"Request": {"DiskId": "d-1"}}), "{"]
/// >>> [d.get("Code", d.get("Error", "")[:2]) for d in reinit_disk.evaluate_many(lines)]
/// ['InvalidDiskId.NotFound', '.:']
#[pyfunction]
#[pyo3(signature = (lines, *, revision = None))]
pub fn evaluate_many(lines: &Bound<'_, PyAny>, revision: Option<&str>) -> PyResult<Decisions> {
    let revision = revision
        .map(|name| {
            Revision::by_name(name)
                .map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
        })
        .transpose()?;
    let iter = lines.try_iter()?;
    Ok(Decisions {
        lines: Some(iter.unbind()),
        revision,
        ready: VecDeque::new(),
    })
}
