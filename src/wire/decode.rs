//! Request decoding: a query string, a form body and headers to the
//! parameters `ReInitDisk` reads.

use std::borrow::Cow;

use percent_encoding::{CONTROLS, percent_decode, utf8_percent_encode};

use super::http::Format;
use crate::request::{Param, Request};

/// An HTTP request as a client sent it, borrowed.
///
/// Its `Debug` shows the query's and the body's parameter names, never
/// their values (a `Password` is a secret).
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct HttpRequest<'a> {
    /// The query string, without the `?` (percent-encoded).
    pub query: &'a str,
    /// The body: read as `application/x-www-form-urlencoded` unless a
    /// `Content-Type` header says it is something else; its values join the
    /// query's.
    pub body: &'a [u8],
    /// The headers, name and value; names are compared without case.
    pub headers: &'a [(&'a str, &'a str)],
}

impl core::fmt::Debug for HttpRequest<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("query", &NamesOnly(self.query.as_bytes()))
            .field("body", &NamesOnly(self.body))
            .field("headers", &self.headers)
            .finish()
    }
}

/// A form's parameter names, each value shown as `…`.
struct NamesOnly<'a>(&'a [u8]);

impl core::fmt::Debug for NamesOnly<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut list = f.debug_list();
        for pair in self.0.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
            let name = pair.split(|b| *b == b'=').next().unwrap_or_default();
            list.entry(&format_args!("{}=…", String::from_utf8_lossy(name)));
        }
        list.finish()
    }
}

impl<'a> HttpRequest<'a> {
    /// The value of the first header named `name` (without case), trimmed.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers
            .iter()
            .find(|(n, _)| n.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }

    /// Whether the body is a form: no `Content-Type`, or
    /// `application/x-www-form-urlencoded` with any parameters.
    fn body_is_form(&self) -> bool {
        self.header("content-type").is_none_or(|ct| {
            ct.split(';').next().is_some_and(|media| {
                media
                    .trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        })
    }
}

/// What is wrong with a malformed parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Fault {
    /// A `%` not followed by two hexadecimal digits.
    #[error("a % not followed by two hexadecimal digits")]
    BadPercentEncoding,
    /// The decoded bytes are not UTF-8.
    #[error("not valid UTF-8 once decoded")]
    InvalidUtf8,
    /// The parameter is given twice with different values (in the query,
    /// the body, or both; or `Action` and the `x-acs-action` header).
    #[error("given twice with different values")]
    Conflicting,
}

/// A malformed request: the first parameter at fault, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[error("parameter \"{parameter}\": {fault}")]
pub struct Malformed {
    /// The parameter's name as the error message names it: decoded when it
    /// decodes, as sent otherwise; control characters percent-encoded.
    pub parameter: String,
    /// What is wrong.
    pub fault: Fault,
}

/// The decoded parameters of a request, in the order sent (query first,
/// then body), and what the headers add. Its `Debug` never shows a
/// `Password` value.
#[derive(Clone, PartialEq, Eq)]
pub struct Params<'a> {
    pairs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    action_header: Option<&'a str>,
    format: Format,
    malformed: Option<Malformed>,
}

impl core::fmt::Debug for Params<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let pairs: Vec<(&str, &str)> = self
            .iter()
            .map(|(n, v)| {
                (
                    n,
                    if n == <&str>::from(Param::Password) {
                        "<redacted>"
                    } else {
                        v
                    },
                )
            })
            .collect();
        f.debug_struct("Params")
            .field("pairs", &pairs)
            .field("action_header", &self.action_header)
            .field("format", &self.format)
            .field("malformed", &self.malformed)
            .finish()
    }
}

impl<'a> Params<'a> {
    /// Decodes the query string, the form body and the headers.
    ///
    /// `+` decodes as a space, `%XX` as its byte; names are case-sensitive.
    /// Decoding never fails outright: a malformed parameter is kept aside
    /// ([`Params::malformed`]) so that the response can still be given in
    /// the format the request asks for.
    pub fn decode(http: &HttpRequest<'a>) -> Self {
        let body: &'a [u8] = if http.body_is_form() { http.body } else { &[] };
        let mut pairs = Vec::with_capacity(16);
        let mut malformed = None;
        add_text_pairs(&mut pairs, &mut malformed, http.query);
        match std::str::from_utf8(body) {
            Ok(text) => add_text_pairs(&mut pairs, &mut malformed, text),
            Err(_) => add_pairs(
                &mut pairs,
                &mut malformed,
                body.split(|&b| b == b'&').map(Text::Bytes),
            ),
        }
        let action_header = http.header("x-acs-action");
        let format_param = pairs
            .iter()
            .find(|(name, _)| name == "Format")
            .map(|(_, value)| value.as_ref());
        let format = Format::choose(format_param, action_header.is_some(), http.header("accept"));
        let mut params = Self {
            pairs,
            action_header,
            format,
            malformed: None,
        };
        params.malformed = malformed.or_else(|| params.conflict());
        params
    }

    /// The first parameter (in the order sent) given twice with different
    /// values, or `Action` contradicting the `x-acs-action` header.
    ///
    /// One path for any number of parameters, O(n log n): their positions
    /// sorted by name (a stable sort, so each name's positions stay in the
    /// order sent), each name's run compared with its first value, and the
    /// earliest first position of a run that differs named.
    fn conflict(&self) -> Option<Malformed> {
        let mut order: Vec<usize> = (0..self.pairs.len()).collect();
        order.sort_by(|&a, &b| self.name(a).cmp(self.name(b)));
        let first_conflict = order
            .chunk_by(|&a, &b| self.name(a) == self.name(b))
            .filter_map(|run| match run {
                [first, rest @ ..] if rest.iter().any(|&i| self.value(i) != self.value(*first)) => {
                    Some(*first)
                }
                _ => None,
            })
            .min();
        if let Some(i) = first_conflict {
            return Some(Malformed::new(self.name(i), Fault::Conflicting));
        }
        match (self.action_header, self.get("Action")) {
            (Some(header), Some(param)) if header != param => {
                Some(Malformed::new("Action", Fault::Conflicting))
            }
            _ => None,
        }
    }

    fn name(&self, i: usize) -> &str {
        self.pairs.get(i).map_or("", |(n, _)| n.as_ref())
    }

    fn value(&self, i: usize) -> &str {
        self.pairs.get(i).map_or("", |(_, v)| v.as_ref())
    }

    /// The value of the parameter `name` (case-sensitive), as decoded.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_ref())
    }

    /// The decoded parameters, in the order sent.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(n, v)| (n.as_ref(), v.as_ref()))
    }

    /// The format the response is given in ([`Format::choose`]).
    pub const fn format(&self) -> Format {
        self.format
    }

    /// The first malformed parameter, if any.
    pub const fn malformed(&self) -> Option<&Malformed> {
        self.malformed.as_ref()
    }

    /// The request `evaluate` takes: the parameters, with `Action` from the
    /// `x-acs-action` header when the query and body have none. Unknown
    /// parameters (`RegionId`, `Format`, `Version`, the signature fields)
    /// are ignored; signatures are not checked.
    pub fn request(&self) -> Result<Request<'_>, &Malformed> {
        if let Some(malformed) = &self.malformed {
            return Err(malformed);
        }
        let mut request = Request::from_params(self.iter());
        if request.action.is_none() {
            request.action = self.action_header;
        }
        Ok(request)
    }
}

impl Malformed {
    fn new(name: &str, fault: Fault) -> Self {
        Self {
            parameter: utf8_percent_encode(name, CONTROLS).to_string(),
            fault,
        }
    }
}

/// A segment of a query string or form body: text when it is known to be
/// UTF-8 (the query, a UTF-8 body), bytes otherwise.
#[derive(Clone, Copy)]
enum Text<'a> {
    Str(&'a str),
    Bytes(&'a [u8]),
}

impl<'a> Text<'a> {
    fn is_empty(self) -> bool {
        match self {
            Self::Str(s) => s.is_empty(),
            Self::Bytes(b) => b.is_empty(),
        }
    }

    /// The name and the value of `name=value` (a segment without `=` is a
    /// name with an empty value).
    fn name_value(self) -> (Self, Self) {
        match self {
            Self::Str(s) => {
                let (n, v) = s
                    .bytes()
                    .position(|b| b == b'=')
                    .and_then(|i| s.split_at_checked(i))
                    .map_or((s, ""), |(n, v)| (n, v.get(1..).unwrap_or_default()));
                (Self::Str(n), Self::Str(v))
            }
            Self::Bytes(b) => {
                let mut halves = b.splitn(2, |&c| c == b'=');
                let n = halves.next().unwrap_or_default();
                let v = halves.next().unwrap_or_default();
                (Self::Bytes(n), Self::Bytes(v))
            }
        }
    }

    fn as_bytes(self) -> &'a [u8] {
        match self {
            Self::Str(s) => s.as_bytes(),
            Self::Bytes(b) => b,
        }
    }

    /// Decodes the segment: `+` is a space, `%XX` a byte; a `%` without two
    /// hex digits, or bytes that are not UTF-8, are faults. Text with neither
    /// `%` nor `+` is borrowed as it is.
    fn decode(self) -> Result<Cow<'a, str>, Fault> {
        let raw = self.as_bytes();
        let escaped = raw.iter().any(|&b| b == b'%' || b == b'+');
        match self {
            Self::Str(s) if !escaped => return Ok(Cow::Borrowed(s)),
            Self::Bytes(b) if !escaped => {
                return std::str::from_utf8(b)
                    .map(Cow::Borrowed)
                    .map_err(|_| Fault::InvalidUtf8);
            }
            _ => {}
        }
        let mut bytes = raw.iter();
        while let Some(&b) = bytes.next() {
            if b == b'%' {
                match (bytes.next(), bytes.next()) {
                    (Some(h), Some(l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {}
                    _ => return Err(Fault::BadPercentEncoding),
                }
            }
        }
        if raw.contains(&b'+') {
            let spaced: Vec<u8> = raw
                .iter()
                .map(|&b| if b == b'+' { b' ' } else { b })
                .collect();
            percent_decode(&spaced)
                .decode_utf8()
                .map(|s| Cow::Owned(s.into_owned()))
                .map_err(|_| Fault::InvalidUtf8)
        } else {
            percent_decode(raw)
                .decode_utf8()
                .map_err(|_| Fault::InvalidUtf8)
        }
    }
}

/// Decodes the text of a query string or form body into `pairs`, keeping
/// the first fault in `malformed`. One pass over the bytes finds the
/// segments, their `=` and whether they hold an escape; a segment without
/// one is borrowed as it is, the others are decoded.
fn add_text_pairs<'a>(
    pairs: &mut Vec<(Cow<'a, str>, Cow<'a, str>)>,
    malformed: &mut Option<Malformed>,
    text: &'a str,
) {
    let mut start = 0;
    let mut equals = None;
    let mut escaped = false;
    let end = (text.len(), b'&');
    for (i, b) in text.bytes().enumerate().chain(std::iter::once(end)) {
        match b {
            b'&' => {
                let plain = match equals {
                    _ if escaped => None,
                    Some(eq) => text.get(start..eq).zip(text.get(eq.saturating_add(1)..i)),
                    None => text.get(start..i).map(|name| (name, "")),
                };
                match plain {
                    // An empty segment (`&&`) is no parameter.
                    Some(("", "")) if equals.is_none() => {}
                    Some((name, value)) => {
                        pairs.push((Cow::Borrowed(name), Cow::Borrowed(value)));
                    }
                    None => {
                        if let Some(segment) = text.get(start..i) {
                            add_pairs(pairs, malformed, std::iter::once(Text::Str(segment)));
                        }
                    }
                }
                start = i.saturating_add(1);
                equals = None;
                escaped = false;
            }
            b'=' if equals.is_none() => equals = Some(i),
            b'%' | b'+' => escaped = true,
            _ => {}
        }
    }
}

/// Decodes `segments` into `pairs`, keeping the first fault in `malformed`.
fn add_pairs<'a>(
    pairs: &mut Vec<(Cow<'a, str>, Cow<'a, str>)>,
    malformed: &mut Option<Malformed>,
    segments: impl Iterator<Item = Text<'a>>,
) {
    for segment in segments.filter(|s| !s.is_empty()) {
        let (raw_name, raw_value) = segment.name_value();
        match (raw_name.decode(), raw_value.decode()) {
            (Ok(name), Ok(value)) => pairs.push((name, value)),
            (Ok(name), Err(fault)) => {
                malformed.get_or_insert_with(|| Malformed::new(&name, fault));
            }
            (Err(fault), _) => {
                malformed.get_or_insert_with(|| {
                    Malformed::new(&String::from_utf8_lossy(raw_name.as_bytes()), fault)
                });
            }
        }
    }
}
