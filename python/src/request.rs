//! A request `dict` (parameter name to value, all strings) as the engine's
//! `Request`. Under the stable ABI of CPython 3.9 (the package's floor) a
//! `str`'s text cannot be borrowed, so each value the engine reads is
//! copied once, into the [`Text`] kept beside the string, unless it equals
//! a string the package already holds: `Action`'s `ReInitDisk`, the
//! strategies, `true` and `false` ([`known_value`]), or one of the world's
//! disk ids ([`DiskIds`]). Those are known by identity or by Python's string
//! equality (a `dict` look-up, which uses the string's cached hash), without
//! reading their text.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString};
use reinit_disk::{ACTION, Param, Request};

use crate::convert::path_name;
use crate::errors::scenario_error;

/// Strings the package holds, interned, each with what it stands for: a
/// string written in Python source is the same object, so it is known by
/// identity, without reading its text; an exact `str` equal to one (read by
/// `json.loads`, say) is known by a look-up in `by_text`, each string to
/// itself, in which `str`'s own hash (cached in the string) and equality
/// compare the texts without copying them. Any other string, a subclass
/// (which may define its own `__eq__` and `__hash__`) or a lone surrogate
/// (equal to no valid string) included, is not known.
struct Interned<T: 'static> {
    strings: Vec<(Py<PyString>, T)>,
    by_text: Py<PyDict>,
}

impl<T: Copy> Interned<T> {
    /// `texts`, interned, with what each stands for.
    fn new(py: Python<'_>, texts: impl Iterator<Item = (&'static str, T)>) -> Self {
        let strings: Vec<(Py<PyString>, T)> = texts
            .map(|(text, meaning)| (PyString::intern(py, text).unbind(), meaning))
            .collect();
        let by_text = PyDict::new(py);
        for (string, _) in &strings {
            // Setting a `str` key in a new `dict` does not fail; a key that
            // did would only be missing, and its strings read by their text.
            let _ = by_text.set_item(string, string);
        }
        Self {
            strings,
            by_text: by_text.unbind(),
        }
    }

    /// What `string` stands for, if it is one of the strings held.
    fn find(&self, string: &Bound<'_, PyString>) -> Option<T> {
        let of = |held: &Bound<'_, PyAny>| {
            self.strings
                .iter()
                .find(|(interned, _)| held.is(interned))
                .map(|(_, meaning)| *meaning)
        };
        if let Some(meaning) = of(string.as_any()) {
            return Some(meaning);
        }
        if !string.is_exact_instance_of::<PyString>() {
            return None;
        }
        let held = self.by_text.bind(string.py()).get_item(string).ok()??;
        of(&held)
    }
}

/// The parameters `ReInitDisk` reads, by their names. (A parameter missing
/// here is still read, by its text.)
static PARAM_NAMES: PyOnceLock<Interned<Param>> = PyOnceLock::new();

fn param_names(py: Python<'_>) -> &Interned<Param> {
    PARAM_NAMES.get_or_init(py, || {
        Interned::new(
            py,
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
            .map(|p| (p.into(), p)),
        )
    })
}

/// The parameter `name` is, if the engine reads it: by identity with an
/// interned name, else by its text (an error when the text is not valid
/// Unicode).
fn param_of(py: Python<'_>, name: &Bound<'_, PyString>) -> PyResult<Option<Param>> {
    let names = param_names(py);
    if let Some(param) = names.find(name) {
        return Ok(Some(param));
    }
    let text = name
        .to_cow()
        .map_err(|_| scenario_error(py, "Request", "a parameter name that is not valid Unicode"))?;
    let text: &str = &text;
    let known = names
        .strings
        .iter()
        .map(|(_, param)| *param)
        .find(|param| <&str>::from(*param) == text);
    Ok(known.or_else(|| text.parse::<Param>().ok()))
}

/// The values of `Action`, `SecurityEnhancementStrategy` and
/// `AutoStartInstance` the engine knows (the action, the strategies, an
/// empty strategy, `true` and `false`; other spellings are read by their
/// text), each standing for its own text.
static KNOWN_VALUES: PyOnceLock<Interned<&'static str>> = PyOnceLock::new();

/// The text of `value` if it is one of the known values.
fn known_value(py: Python<'_>, value: &Bound<'_, PyString>) -> Option<&'static str> {
    KNOWN_VALUES
        .get_or_init(py, || {
            Interned::new(
                py,
                [ACTION, "Active", "Deactive", "", "true", "false"]
                    .into_iter()
                    .map(|v| (v, v)),
            )
        })
        .find(value)
}

/// A disk id's text, held by a world's [`DiskIds`] for its `str`.
#[pyclass(frozen, module = "reinit_disk", name = "_DiskIdText")]
pub struct DiskIdText {
    text: Box<str>,
}

/// A world's disk ids: each id's `str` to its text ([`DiskIdText`]), so
/// that a request's `DiskId` equal to one is known by a look-up instead of
/// a copy. A world's disks are only ever added (never removed, never
/// renamed), so the world adds each disk's id here as it adds the disk.
/// An id here that the world did not hold would still give its own text:
/// the engine would find no disk, as for a copy.
pub struct DiskIds {
    by_id: Py<PyDict>,
}

impl DiskIds {
    /// No ids.
    pub fn new(py: Python<'_>) -> Self {
        Self {
            by_id: PyDict::new(py).unbind(),
        }
    }

    /// Adds `id`.
    pub fn add(&self, py: Python<'_>, id: &str) -> PyResult<()> {
        let text = Bound::new(py, DiskIdText { text: id.into() })?;
        self.by_id.bind(py).set_item(PyString::new(py, id), text)
    }

    /// The text held for `value` (an exact `str`) if it is one of the
    /// ids: a look-up. `None` for any other string, a lone surrogate's
    /// included (it equals no valid string).
    fn get<'py>(&self, value: &Bound<'py, PyString>) -> Option<Bound<'py, DiskIdText>> {
        let py = value.py();
        self.by_id
            .bind(py)
            .get_item(value)
            .ok()??
            .cast_into::<DiskIdText>()
            .ok()
    }
}

/// The text of a value: copied, or held by the package.
enum Held<'py> {
    /// Copied from the string (any value not known below).
    Copied(String),
    /// A known value (`known_value`).
    Known(&'static str),
    /// One of the world's disk ids.
    DiskId(Bound<'py, DiskIdText>),
}

/// A value as given: the Python string, and its text (copied when it was
/// read, which checked that it is valid Unicode, or held by the package,
/// when the string equals one it holds).
pub struct Text<'py> {
    object: Bound<'py, PyString>,
    text: Held<'py>,
}

impl<'py> Text<'py> {
    /// The value's text.
    pub fn as_str(&self) -> &str {
        match &self.text {
            Held::Copied(text) => text,
            Held::Known(text) => text,
            Held::DiskId(id) => &id.get().text,
        }
    }

    /// The value as the Python string given.
    pub fn object(&self) -> &Bound<'py, PyString> {
        &self.object
    }
}

/// A value, if the parameter was given.
type Value<'py> = Option<Text<'py>>;

/// The text of a value.
fn text<'a>(value: &'a Value<'_>) -> Option<&'a str> {
    value.as_ref().map(Text::as_str)
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
                        .map(|(param, value)| ((*param).into(), value.as_str())),
                ),
        )
    }

    /// The value of `DiskId`: the Python string given, and its text.
    pub fn disk_id(&self) -> Option<&Text<'py>> {
        self.disk_id.as_ref()
    }
}

/// The text of `value` (an exact `str`, the value of `param`) when it
/// equals a string the package holds: for `Action`,
/// `SecurityEnhancementStrategy` and `AutoStartInstance` a known value, for
/// `DiskId` one of `disk_ids`. `None` otherwise: the value is copied.
fn held_text<'py>(
    py: Python<'py>,
    param: Param,
    value: &Bound<'py, PyString>,
    disk_ids: Option<&DiskIds>,
) -> Option<Held<'py>> {
    match param {
        Param::Action | Param::SecurityEnhancementStrategy | Param::AutoStartInstance => {
            known_value(py, value).map(Held::Known)
        }
        Param::DiskId => disk_ids?.get(value).map(Held::DiskId),
        _ => None,
    }
}

/// A request `dict` as its parameters: names and values are strings. Every
/// name and value is checked, in the dict's order (the values of names the
/// engine does not read too): a name that is not a string or not valid
/// Unicode is a `ScenarioError` at `Request`, a value that is not a string
/// or not valid Unicode one at `Request.<name>`.
///
/// A value the engine reads is copied, unless it is an exact `str` equal
/// to a string the package holds ([`held_text`]; `disk_ids` are the
/// world's, if there is one): such a value is valid Unicode. A value the
/// engine does not read is only checked (encoded, not kept).
pub fn request_params<'py>(
    py: Python<'py>,
    request: &Bound<'py, PyDict>,
    disk_ids: Option<&DiskIds>,
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
        // Only an exact `str` is compared with the strings held: a
        // subclass may define its own `__eq__` and `__hash__`.
        let (text, exact) = match value.cast_into_exact::<PyString>() {
            Ok(text) => (text, true),
            Err(e) => match e.into_inner().cast_into::<PyString>() {
                Ok(text) => (text, false),
                Err(e) => return Err(wrong_type(py, name, &e.into_inner())),
            },
        };
        let Some(param) = param else {
            if text.encode_utf8().is_err() {
                return Err(not_unicode(py, name));
            }
            continue;
        };
        let held = match exact
            .then(|| held_text(py, param, &text, disk_ids))
            .flatten()
        {
            Some(held) => held,
            None => match text.to_cow() {
                Ok(copied) => Held::Copied(copied.into_owned()),
                Err(_) => return Err(not_unicode(py, name)),
            },
        };
        params.set(
            param,
            Text {
                object: text,
                text: held,
            },
        );
    }
    Ok(params)
}

/// The error for the value of `name`, which is not valid Unicode (not
/// shown).
fn not_unicode(py: Python<'_>, name: &Bound<'_, PyString>) -> PyErr {
    scenario_error(
        py,
        &request_path(name),
        "a value that is not valid Unicode (not shown)",
    )
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
