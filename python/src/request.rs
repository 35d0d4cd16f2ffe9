//! A request `dict` (parameter name to value, all strings) as the engine's
//! `Request`. Under the stable ABI of CPython 3.9 (the package's floor) a
//! `str`'s text cannot be borrowed, so each value the engine reads is
//! copied once, into the [`Text`] kept beside the string.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString};
use reinit_disk::{Param, Request};

use crate::convert::path_name;
use crate::errors::scenario_error;

/// The parameters `ReInitDisk` reads, by their names as Python strings,
/// interned: a name written in Python source is the same object, so it is
/// known by identity, without reading its text. (A parameter missing here
/// is still read, by its text.)
static PARAM_NAMES: PyOnceLock<Vec<(Py<PyString>, Param)>> = PyOnceLock::new();

/// The parameters' names, interned, and their text.
fn param_names(py: Python<'_>) -> &[(Py<PyString>, Param)] {
    PARAM_NAMES.get_or_init(py, || {
        [
            Param::DiskId,
            Param::Action,
            Param::SecurityEnhancementStrategy,
            Param::Password,
            Param::KeyPairName,
            Param::AutoStartInstance,
            Param::RegionId,
        ]
        .into_iter()
        .map(|p| (PyString::intern(py, p.into()).unbind(), p))
        .collect()
    })
}

/// The parameter `name` is, if the engine reads it: by identity with an
/// interned name, else by its text (an error when the text is not valid
/// Unicode).
fn param_of(py: Python<'_>, name: &Bound<'_, PyString>) -> PyResult<Option<Param>> {
    let names = param_names(py);
    if let Some((_, param)) = names.iter().find(|(interned, _)| name.is(interned)) {
        return Ok(Some(*param));
    }
    let text = name
        .to_cow()
        .map_err(|_| scenario_error(py, "Request", "a parameter name that is not valid Unicode"))?;
    let text: &str = &text;
    let known = names
        .iter()
        .map(|(_, param)| *param)
        .find(|param| <&str>::from(*param) == text);
    Ok(known.or_else(|| text.parse::<Param>().ok()))
}

/// A value as given: the Python string, and its text (copied when it was
/// read, which checked that it is valid Unicode).
pub struct Text<'py> {
    object: Bound<'py, PyString>,
    text: String,
}

/// A value, if the parameter was given.
type Value<'py> = Option<Text<'py>>;

/// The text of a value.
fn text<'a>(value: &'a Value<'_>) -> Option<&'a str> {
    value.as_ref().map(|v| v.text.as_str())
}

/// A request's parameters, read from its dict: the values of the
/// parameters the engine reads, kept as the Python strings they are.
pub struct RequestParams<'py> {
    action: Value<'py>,
    disk_id: Value<'py>,
    security_enhancement_strategy: Value<'py>,
    password: Value<'py>,
    key_pair_name: Value<'py>,
    auto_start_instance: Value<'py>,
    region_id: Value<'py>,
    /// The values of parameters not named above (should the engine read
    /// more), in the dict's order.
    more: Vec<(Param, Text<'py>)>,
}

impl<'py> RequestParams<'py> {
    fn slot(&mut self, param: Param) -> Option<&mut Value<'py>> {
        match param {
            Param::Action => Some(&mut self.action),
            Param::DiskId => Some(&mut self.disk_id),
            Param::SecurityEnhancementStrategy => Some(&mut self.security_enhancement_strategy),
            Param::Password => Some(&mut self.password),
            Param::KeyPairName => Some(&mut self.key_pair_name),
            Param::AutoStartInstance => Some(&mut self.auto_start_instance),
            Param::RegionId => Some(&mut self.region_id),
            _ => None,
        }
    }

    fn set(&mut self, param: Param, value: Text<'py>) {
        match self.slot(param) {
            Some(slot) => *slot = Some(value),
            None => self.more.push((param, value)),
        }
    }

    /// The request: its strings borrowed from the Python strings.
    pub fn request(&self) -> Request<'_> {
        let request = Request {
            action: text(&self.action),
            disk_id: text(&self.disk_id),
            security_enhancement_strategy: text(&self.security_enhancement_strategy),
            password: text(&self.password),
            key_pair_name: text(&self.key_pair_name),
            auto_start_instance: text(&self.auto_start_instance),
            region_id: text(&self.region_id),
        };
        if self.more.is_empty() {
            return request;
        }
        // Parameters this code does not name: the engine reads them by
        // name, after the others (each name is in a dict once).
        let named = [
            (Param::Action, request.action),
            (Param::DiskId, request.disk_id),
            (
                Param::SecurityEnhancementStrategy,
                request.security_enhancement_strategy,
            ),
            (Param::Password, request.password),
            (Param::KeyPairName, request.key_pair_name),
            (Param::AutoStartInstance, request.auto_start_instance),
            (Param::RegionId, request.region_id),
        ];
        Request::from_params(
            named
                .into_iter()
                .filter_map(|(param, value)| Some((param.into(), value?)))
                .chain(
                    self.more
                        .iter()
                        .map(|(param, value)| ((*param).into(), value.text.as_str())),
                ),
        )
    }

    /// The value of `DiskId`, as the Python string given.
    pub fn disk_id(&self) -> Option<&Bound<'py, PyString>> {
        self.disk_id.as_ref().map(|v| &v.object)
    }
}

/// A request `dict` as its parameters: names and values are strings. Every
/// name and value is checked, in the dict's order (the values of names the
/// engine does not read too): a name that is not a string or not valid
/// Unicode is a `ScenarioError` at `Request`, a value that is not a string
/// or not valid Unicode one at `Request.<name>`.
pub fn request_params<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyDict>,
) -> PyResult<RequestParams<'py>> {
    let mut params = RequestParams {
        action: None,
        disk_id: None,
        security_enhancement_strategy: None,
        password: None,
        key_pair_name: None,
        auto_start_instance: None,
        region_id: None,
        more: Vec::new(),
    };
    for (name, value) in request.iter() {
        // A `str` is known by its type's address; a subclass of it by the
        // type's flags (a call into the interpreter).
        let Ok(name) = name
            .cast_exact::<PyString>()
            .or_else(|_| name.cast::<PyString>())
        else {
            return Err(scenario_error(
                py,
                "Request",
                "a parameter name that is not a string: parameter names are strings",
            ));
        };
        let param = param_of(py, name)?;
        let text = match value.cast_into_exact::<PyString>() {
            Ok(text) => text,
            Err(e) => match e.into_inner().cast_into::<PyString>() {
                Ok(text) => text,
                Err(e) => return Err(wrong_type(py, name, &e.into_inner())),
            },
        };
        let Ok(copied) = text.to_cow().map(String::from) else {
            return Err(scenario_error(
                py,
                &request_path(name),
                "a value that is not valid Unicode (not shown)",
            ));
        };
        if let Some(param) = param {
            params.set(
                param,
                Text {
                    object: text,
                    text: copied,
                },
            );
        }
    }
    Ok(params)
}

/// The path of the request's parameter `name` (a valid string).
fn request_path(name: &Bound<'_, PyString>) -> String {
    format!("Request.{}", path_name(&name.to_string_lossy()))
}

/// The error for the value of `name`, which is not a string.
fn wrong_type(py: Python<'_>, name: &Bound<'_, PyString>, value: &Bound<'_, PyAny>) -> PyErr {
    let found = value
        .get_type()
        .name()
        .map_or_else(|_| "object".to_owned(), |n| n.to_string());
    let secret = if name.to_string_lossy() == <&str>::from(Param::Password) {
        " (the value of Password is a secret and is not shown)"
    } else {
        ""
    };
    scenario_error(
        py,
        &request_path(name),
        &format!("invalid type: {found}, expected a string (a client sends strings){secret}"),
    )
}
