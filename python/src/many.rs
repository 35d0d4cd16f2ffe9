//! `evaluate_many`: JSON lines in, decisions out, decided with the GIL
//! released.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError, TryLockError};

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyIterator, PyString};
use reinit_disk::Revision;
use reinit_disk::scenario::{MAX_INPUT_BYTES, Scenario, error_line};

use crate::convert::json_to_py;
use crate::convert::type_name;
use crate::revision_named;

/// How many lines are read from the iterable, then decided at once with
/// the GIL released.
const CHUNK: usize = 256;

/// The decisions on an iterable of scenario lines, in order: an iterator of
/// dicts, each the decision ``reinit-disk eval`` prints, or
/// ``{"Error": "...", "Line": N}`` for a line that is not a valid scenario
/// (as ``reinit-disk eval --lines`` prints it). One iterator may be shared
/// between threads: each decision is given to one of them, once.
#[pyclass(module = "reinit_disk", frozen)]
pub struct Decisions {
    /// Taken by one thread at a time; a thread that finds it taken waits
    /// with the GIL released (the holder may be deciding without it).
    state: Mutex<State>,
}

/// What the iterator has left: the lines, and the decisions made and not
/// yet given.
struct State {
    lines: Option<Py<PyIterator>>,
    revision: Option<&'static Revision>,
    ready: VecDeque<String>,
    /// The number of the next line read (from 1).
    next_line: u64,
}

/// The answer to line `number` (from 1), as JSON text: as `reinit-disk eval
/// --lines` writes it, an error with its `Line`.
fn decide_line(line: &[u8], number: u64, revision: Option<&'static Revision>) -> String {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    let decided = if line.len() as u64 > MAX_INPUT_BYTES {
        Err(format!(
            "line longer than {MAX_INPUT_BYTES} bytes, the limit for a scenario"
        ))
    } else {
        Scenario::parse_json_line(line, number, revision).map_err(|e| e.to_string())
    };
    match decided.map(|scenario| serde_json::to_string(&scenario.decide())) {
        Ok(Ok(json)) => json,
        Ok(Err(e)) => error_line(&e.to_string(), number),
        Err(error) => error_line(&error, number),
    }
}

/// A line: `str`, or `bytes` (a line that is not UTF-8 gets an error
/// line, as the CLI's).
enum Line {
    Text(String),
    Bytes(Vec<u8>),
}

#[pymethods]
impl Decisions {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let mut state = loop {
            match self.state.try_lock() {
                Ok(state) => break state,
                Err(TryLockError::Poisoned(poisoned)) => break poisoned.into_inner(),
                // Another thread has it: wait for it without the GIL, then
                // try again (the GIL first, then the state, always).
                Err(TryLockError::WouldBlock) => py.detach(|| {
                    drop(self.state.lock().unwrap_or_else(PoisonError::into_inner));
                }),
            }
        };
        if state.ready.is_empty() {
            state.fill(py)?;
        }
        match state.ready.pop_front() {
            Some(json) => json_to_py(py, &json).map(Some),
            None => Ok(None),
        }
    }
}

impl State {
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
                Line::Bytes(b.as_bytes().to_vec())
            } else {
                let found = type_name(&item);
                return Err(pyo3::exceptions::PyTypeError::new_err(format!(
                    "evaluate_many reads lines as str or bytes; got {found}"
                )));
            };
            chunk.push(line);
        }
        let revision = self.revision;
        let first = self.next_line;
        self.next_line = first.saturating_add(chunk.len() as u64);
        let decided: Vec<String> = py.detach(|| {
            chunk
                .iter()
                .zip(first..)
                .map(|(line, number)| match line {
                    Line::Text(text) => decide_line(text.as_bytes(), number, revision),
                    Line::Bytes(bytes) => decide_line(bytes, number, revision),
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
/// line, in order: the decision, or ``{"Error": "...", "Line": N}`` for a line that is
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
    let revision = revision.map(revision_named).transpose()?;
    let iter = lines.try_iter()?;
    Ok(Decisions {
        state: Mutex::new(State {
            lines: Some(iter.unbind()),
            revision,
            ready: VecDeque::new(),
            next_line: 1,
        }),
    })
}
