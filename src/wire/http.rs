//! HTTP details: the body format and its `Content-Type`, and reason phrases.

use strum::{Display, EnumIter, IntoStaticStr, VariantArray};

/// The format of a response body.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Display, EnumIter, IntoStaticStr, VariantArray,
)]
pub enum Format {
    /// `JSON`.
    #[strum(serialize = "JSON")]
    Json,
    /// `XML`, ECS's documented default.
    #[strum(serialize = "XML")]
    Xml,
}

impl Format {
    /// The format a request asks for.
    ///
    /// `Format` (any case) decides: `JSON` or `XML`. Without it (or with a
    /// value that is neither), a request that names its action in the
    /// `x-acs-action` header, or whose `Accept` header lists
    /// `application/json`, gets JSON: the current SDKs send no `Format` and
    /// expect JSON. Anything else gets XML.
    pub fn choose(format_param: Option<&str>, action_header: bool, accept: Option<&str>) -> Self {
        match format_param {
            Some(f) if f.eq_ignore_ascii_case("json") => Self::Json,
            Some(f) if f.eq_ignore_ascii_case("xml") => Self::Xml,
            _ if action_header || accept.is_some_and(accepts_json) => Self::Json,
            _ => Self::Xml,
        }
    }

    /// The `Content-Type` of a body in this format. The official Python
    /// client parses XML only for exactly `text/xml;charset=utf-8`.
    pub const fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json;charset=utf-8",
            Self::Xml => "text/xml;charset=utf-8",
        }
    }
}

/// Whether an `Accept` header lists `application/json` (media types compared
/// without case, parameters ignored).
fn accepts_json(accept: &str) -> bool {
    accept.split(',').any(|item| {
        item.split(';')
            .next()
            .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
    })
}

/// The reason phrase of an HTTP status (RFC 9110), `""` for one not listed.
pub const fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        409 => "Conflict",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}
