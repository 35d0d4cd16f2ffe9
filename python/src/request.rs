//! A request `dict` (parameter name to value, all strings) as the engine's
//! `Request`. CPython 3.10's stable ABI (the package's floor) lends a
//! `str`'s UTF-8 text, so the request borrows its values from the Python
//! strings: nothing is copied.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use reinit_disk::scenario::path_name;
use reinit_disk::{Param, Request};

use crate::convert::type_name;
use crate::errors::scenario_error;

/// A request's parameters as given: each name and value a checked `str`
/// (valid Unicode), in the dict's order.
pub struct RequestParams<'py> {
    pairs: Vec<(Bound<'py, PyString>, Bound<'py, PyString>)>,
}

impl RequestParams<'_> {
    /// The request, its strings borrowed from the Python strings.
    pub fn request(&self) -> Request<'_> {
        // Each name and value was read when it was checked: reading it
        // again does not fail (CPython keeps its UTF-8 text).
        Request::from_params(
            self.pairs
                .iter()
                .filter_map(|(name, value)| Some((name.to_str().ok()?, value.to_str().ok()?))),
        )
    }
}

/// A request `dict` as its parameters. Every name and value is checked, in
/// the dict's order: a name that is not a string or not valid Unicode is a
/// `ScenarioError` at `Request`, a value that is not a string or not valid
/// Unicode one at `Request.<name>` (a `Password` value is never shown).
pub fn request_params<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyDict>,
) -> PyResult<RequestParams<'py>> {
    let mut pairs = Vec::with_capacity(request.len());
    // A snapshot of the pairs (see `write_json`): converting a value may
    // run the caller's code, which may change the dict.
    for pair in request.items().iter() {
        let (name, value): (Bound<'py, PyAny>, Bound<'py, PyAny>) = pair.extract()?;
        let Ok(name) = name.cast_into::<PyString>() else {
            return Err(scenario_error(
                py,
                "Request",
                "a parameter name that is not a string: parameter names are strings",
            ));
        };
        let Ok(text) = name.to_str() else {
            return Err(scenario_error(
                py,
                "Request",
                "a parameter name that is not valid Unicode",
            ));
        };
        let path = || format!("Request.{}", path_name(text));
        let value = match value.cast_into::<PyString>() {
            Ok(value) => value,
            Err(e) => {
                let secret = if text == <&str>::from(Param::Password) {
                    " (the value of Password is a secret and is not shown)"
                } else {
                    ""
                };
                let found = type_name(&e.into_inner());
                return Err(scenario_error(
                    py,
                    &path(),
                    &format!(
                        "invalid type: {found}, expected a string (a client sends strings){secret}"
                    ),
                ));
            }
        };
        if value.to_str().is_err() {
            return Err(scenario_error(
                py,
                &path(),
                "a value that is not valid Unicode (not shown)",
            ));
        }
        pairs.push((name, value));
    }
    Ok(RequestParams { pairs })
}
