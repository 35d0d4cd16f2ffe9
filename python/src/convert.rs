//! Python objects to JSON text, and JSON text to Python objects.
//!
//! The engine reads JSON (`Scenario::from_json`, the records' serde), so a
//! `dict` is written out as JSON text, in its own key order, and parsed by
//! the same code the CLI runs: the same checks, the same paths. The answers
//! (decisions, records) are serialized by serde and read back into `dict`s
//! by [`json_to_py`], keys in the order the CLI prints them.

use std::fmt::{self, Write as _};

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use reinit_disk::scenario::path_name;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

/// How deep a document may nest (serde_json refuses past 128 too).
pub const MAX_DEPTH: usize = 128;

/// A value that cannot be written as JSON: where, and why.
#[derive(Debug)]
pub struct Unwritable {
    /// The path, innermost segment first (reversed when shown).
    segments: Vec<Segment>,
    /// What is wrong.
    pub message: String,
}

#[derive(Debug)]
enum Segment {
    Key(String),
    Index(usize),
}

impl Unwritable {
    fn new(message: impl Into<String>) -> Self {
        Self {
            segments: Vec::new(),
            message: message.into(),
        }
    }

    fn at(mut self, segment: Segment) -> Self {
        self.segments.push(segment);
        self
    }

    /// The path as the CLI shows it: `Disks[0].Status`, `.` for the
    /// document; `prefix` goes first (`Request`, for a request's values).
    pub fn path(&self, prefix: &str) -> String {
        let mut out = prefix.to_owned();
        for segment in self.segments.iter().rev() {
            match segment {
                Segment::Index(i) => {
                    let _ = write!(out, "[{i}]");
                }
                Segment::Key(key) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(&path_name(key));
                }
            }
        }
        if out.is_empty() {
            out.push('.');
        }
        out
    }
}

/// Writes `value` as JSON text to `out`: `dict` (string keys), `list` and
/// `tuple`, `str`, `int`, `float` (finite), `bool` and `None`. Refuses
/// anything else, a key that is not a string, a string that is not valid
/// Unicode, nesting past [`MAX_DEPTH`] (a `dict` that holds itself, too) and
/// text past `limit` bytes.
pub fn write_json(
    value: &Bound<'_, PyAny>,
    out: &mut String,
    depth: usize,
    limit: usize,
) -> Result<(), Unwritable> {
    if out.len() > limit {
        return Err(Unwritable::new(format!(
            "the document is larger than {limit} bytes, the limit for a scenario"
        )));
    }
    if value.is_none() {
        out.push_str("null");
    } else if let Ok(b) = value.cast::<PyBool>() {
        out.push_str(if b.is_true() { "true" } else { "false" });
    } else if let Ok(s) = value.cast::<PyString>() {
        let text = s.to_cow().map_err(|_| {
            Unwritable::new("a string that is not valid Unicode (a lone surrogate)")
        })?;
        write_string(out, &text);
    } else if value.is_instance_of::<PyInt>() {
        // Any size: serde_json reads what it can, and says what it cannot.
        // Written by `int.__repr__` itself, never by a subclass's `__str__`
        // or `__repr__`: those run the caller's code, which could change
        // the document under the conversion or write text that is not a
        // number (JSON injected into the document).
        let text = value
            .py()
            .get_type::<PyInt>()
            .getattr(pyo3::intern!(value.py(), "__repr__"))
            .and_then(|repr| repr.call1((value,)))
            .and_then(|text| text.cast_into::<PyString>().map_err(Into::into))
            .map_err(|_| Unwritable::new("an integer that cannot be written"))?;
        let text = text
            .to_cow()
            .map_err(|_| Unwritable::new("an integer that cannot be written"))?;
        out.push_str(&text);
    } else if let Ok(f) = value.cast::<PyFloat>() {
        let n = serde_json::Number::from_f64(f.value()).ok_or_else(|| {
            Unwritable::new("a float that is not a JSON number (NaN or infinity)")
        })?;
        let _ = write!(out, "{n}");
    } else if let Ok(dict) = value.cast::<PyDict>() {
        let depth = deeper(depth)?;
        out.push('{');
        // A snapshot of the pairs (`dict.items()` copies them into a new
        // list): the caller's code that runs while they are converted (a
        // subclass's `__iter__`, say) may change the dict, which PyO3's
        // iterator over a dict would answer with a panic.
        for (i, pair) in dict.items().iter().enumerate() {
            let (key, item): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair
                .extract()
                .map_err(|_| Unwritable::new("a dict that cannot be read"))?;
            let Ok(key) = key.cast::<PyString>() else {
                return Err(Unwritable::new(format!(
                    "a key that is not a string ({}): JSON object keys are strings",
                    type_name(&key)
                )));
            };
            let key = key.to_cow().map_err(|_| {
                Unwritable::new("a key that is not valid Unicode (a lone surrogate)")
            })?;
            if i > 0 {
                out.push(',');
            }
            write_string(out, &key);
            out.push(':');
            write_json(&item, out, depth, limit)
                .map_err(|e| e.at(Segment::Key(key.clone().into_owned())))?;
        }
        out.push('}');
    } else if value.is_instance_of::<PyList>() || value.is_instance_of::<PyTuple>() {
        let depth = deeper(depth)?;
        out.push('[');
        let items = value
            .try_iter()
            .map_err(|_| Unwritable::new("a list that cannot be read"))?;
        for (i, item) in items.enumerate() {
            let item = item.map_err(|_| Unwritable::new("a list that cannot be read"))?;
            if i > 0 {
                out.push(',');
            }
            write_json(&item, out, depth, limit).map_err(|e| e.at(Segment::Index(i)))?;
        }
        out.push(']');
    } else {
        return Err(Unwritable::new(format!(
            "invalid type: {}, expected a JSON value (dict, list, str, int, float, bool or None)",
            type_name(value)
        )));
    }
    Ok(())
}

fn deeper(depth: usize) -> Result<usize, Unwritable> {
    if depth >= MAX_DEPTH {
        return Err(Unwritable::new(format!(
            "nested more than {MAX_DEPTH} levels deep"
        )));
    }
    Ok(depth.saturating_add(1))
}

fn write_string(out: &mut String, s: &str) {
    // serde_json escapes exactly as JSON requires; writing a str to a
    // String cannot fail.
    if let Ok(quoted) = serde_json::to_string(s) {
        out.push_str(&quoted);
    }
}

/// Reads JSON text (written by serde_json from the crate's own types) into
/// Python objects: objects become `dict`s with their keys in order.
pub fn json_to_py<'py>(py: Python<'py>, json: &str) -> PyResult<Bound<'py, PyAny>> {
    let mut de = serde_json::Deserializer::from_str(json);
    ToPy(py).deserialize(&mut de).map_err(|e| {
        pyo3::exceptions::PyRuntimeError::new_err(format!(
            "reinit_disk: cannot read an answer back into Python: {e}"
        ))
    })
}

/// Builds the Python object of one JSON value.
#[derive(Clone, Copy)]
struct ToPy<'py>(Python<'py>);

impl<'de, 'py> DeserializeSeed<'de> for ToPy<'py> {
    type Value = Bound<'py, PyAny>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

fn py_error<E: serde::de::Error>(e: &PyErr) -> E {
    E::custom(e)
}

impl<'de, 'py> Visitor<'de> for ToPy<'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.0, v).to_owned().into_any())
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(PyInt::new(self.0, v).into_any())
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(PyInt::new(self.0, v).into_any())
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(PyFloat::new(self.0, v).into_any())
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(PyString::new(self.0, v).into_any())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.0.None().into_bound(self.0))
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let list = PyList::empty(self.0);
        while let Some(item) = seq.next_element_seed(self)? {
            list.append(item).map_err(|e| py_error(&e))?;
        }
        Ok(list.into_any())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.0);
        // Keys are the format's few field names: interned, their hash is
        // computed once, not on every dict built.
        while let Some(key) = map.next_key_seed(Key(self.0))? {
            let value = map.next_value_seed(self)?;
            dict.set_item(key, value).map_err(|e| py_error(&e))?;
        }
        Ok(dict.into_any())
    }
}

/// A key: an interned Python string.
#[derive(Clone, Copy)]
struct Key<'py>(Python<'py>);

impl<'de, 'py> DeserializeSeed<'de> for Key<'py> {
    type Value = Bound<'py, PyString>;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, 'py> Visitor<'de> for Key<'py> {
    type Value = Bound<'py, PyString>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(PyString::intern(self.0, v))
    }
}

/// The name of a Python value's type, for an error message.
pub fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "object".to_owned(), |n| n.to_string())
}
