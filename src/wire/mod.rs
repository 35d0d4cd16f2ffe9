//! The wire layer: an ECS HTTP request in, the exact ECS HTTP response out.
//!
//! Pure library code: no I/O, no clock, no randomness. The `RequestId` and
//! `HostId` of a response are inputs ([`Ids`]); [`new_request_id`] makes a
//! fresh one in ECS's form for callers that want one.
//!
//! ```
//! use reinit_disk::wire::{respond, HttpRequest, Ids};
//! use reinit_disk::{InMemoryWorld, Policy};
//!
//! let http = HttpRequest {
//!     query: "Action=ReInitDisk&DiskId=d-missing&Format=JSON&Version=2014-05-26",
//!     ..HttpRequest::default()
//! };
//! let ids = Ids::new("F3CD6886-D8D0-4FEE-B93E-1B73239673DE");
//! let response = respond(&http, &InMemoryWorld::new(), &Policy::default(), &ids)?;
//! assert_eq!(response.status, 404);
//! assert_eq!(response.content_type(), "application/json;charset=utf-8");
//! assert!(response.body.contains(r#""Code":"InvalidDiskId.NotFound""#));
//! # Ok::<(), reinit_disk::wire::EncodeError>(())
//! ```
//!
//! The two steps are public too, for an emulator that applies the
//! transition between them: [`Params::decode`] then [`Params::request`] to
//! get the [`Request`](crate::Request), and [`encode_outcome`] or
//! [`encode_malformed`] to answer. docs/wire.md describes the format.

mod decode;
mod encode;
mod http;
mod request_id;

pub use decode::{Fault, HttpRequest, Malformed, Params};
pub use encode::{
    Document, EncodeError, ErrorBody, encode_document, encode_error, encode_success,
    message_naming, not_xml_char, recommend_url,
};
pub use http::{Format, reason_phrase};
pub use request_id::new_request_id;

use crate::catalogue::{Code, INTERNAL_ERROR};
use crate::engine::evaluate;
use crate::outcome::{Rejection, Target};
use crate::policy::Policy;
use crate::world::World;

/// The `HostId` ECS puts in its error responses.
pub const HOST_ID: &str = "ecs.aliyuncs.com";

/// The identifiers a response carries, chosen by the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ids<'a> {
    /// `RequestId`: ECS's form is an uppercase UUID ([`new_request_id`]).
    pub request_id: &'a str,
    /// `HostId`: the endpoint that answered (errors only).
    pub host_id: &'a str,
}

impl<'a> Ids<'a> {
    /// `request_id`, answered by [`HOST_ID`].
    pub const fn new(request_id: &'a str) -> Self {
        Self {
            request_id,
            host_id: HOST_ID,
        }
    }
}

/// An HTTP response: status, body format and body.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Response {
    /// The HTTP status code.
    pub status: u16,
    /// The body's format.
    pub format: Format,
    /// The body, exactly as ECS sends it.
    pub body: String,
}

impl Response {
    /// The `Content-Type` header's value.
    pub const fn content_type(&self) -> &'static str {
        self.format.content_type()
    }

    /// The status line, `HTTP/1.1 403 Forbidden`.
    pub fn status_line(&self) -> String {
        format!("HTTP/1.1 {} {}", self.status, reason_phrase(self.status))
    }

    /// The response as a client receives it: the status line, the
    /// `Content-Type` header, a blank line and the body, lines ending in
    /// CRLF.
    pub fn to_http(&self) -> String {
        format!(
            "{}\r\nContent-Type: {}\r\n\r\n{}",
            self.status_line(),
            self.content_type(),
            self.body
        )
    }
}

/// The query string of `target`: for a URL (`https://...`, `http://...`,
/// `/...`) the part after its first `?` (empty without one); otherwise
/// `target` itself, without a leading `?`.
///
/// ```
/// use reinit_disk::wire::query_of;
/// assert_eq!(query_of("https://ecs.aliyuncs.com/?DiskId=d-1"), "DiskId=d-1");
/// assert_eq!(query_of("/"), "");
/// assert_eq!(query_of("?DiskId=d-1"), "DiskId=d-1");
/// ```
pub fn query_of(target: &str) -> &str {
    if target.starts_with("http://") || target.starts_with("https://") || target.starts_with('/') {
        target.split_once('?').map_or("", |(_, q)| q)
    } else {
        target.strip_prefix('?').unwrap_or(target)
    }
}

/// Checks a `RequestId` a caller chose: not empty, no control character,
/// nothing XML 1.0 cannot carry. The error shows the id and what is
/// expected (`"\"x\u{7}\": expected an id such as ..."`); the caller says
/// which argument it is about.
///
/// ```
/// use reinit_disk::wire::check_request_id;
/// assert!(check_request_id("F3CD6886-D8D0-4FEE-B93E-1B73239673DE").is_ok());
/// assert!(check_request_id("").is_err());
/// assert!(check_request_id("a\u{7}b").is_err());
/// ```
pub fn check_request_id(id: &str) -> Result<(), RequestIdError> {
    if id.is_empty() || id.chars().any(char::is_control) || not_xml_char(id).is_some() {
        return Err(RequestIdError {
            shown: crate::echo::Echo(id).to_string(),
        });
    }
    Ok(())
}

/// A `RequestId` a response cannot carry ([`check_request_id`]): the id as
/// shown (capped, control characters escaped) and what is expected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{shown}: expected an id such as F3CD6886-D8D0-4FEE-B93E-1B73239673DE (not empty, no control characters, no U+FFFE or U+FFFF: an XML body could not carry them)"
)]
pub struct RequestIdError {
    shown: String,
}

/// Decodes `http`, evaluates it against `world` under `policy` and encodes
/// the answer: the whole exchange in one call.
///
/// A malformed request (bad percent-encoding, invalid UTF-8, a parameter
/// given twice with different values) gets `InvalidParameter` naming the
/// parameter. Fails only if the encoder fails: in XML, when an id holds a
/// character XML 1.0 cannot carry ([`EncodeError::NotXml`]); writing to
/// memory does not fail.
pub fn respond<W: World + ?Sized>(
    http: &HttpRequest<'_>,
    world: &W,
    policy: &Policy,
    ids: &Ids<'_>,
) -> Result<Response, EncodeError> {
    let params = Params::decode(http);
    let format = params.format();
    match params.request() {
        Ok(request) => encode_outcome(format, ids, &evaluate(&request, world, policy)),
        Err(malformed) => encode_malformed(format, ids, policy, malformed),
    }
}

/// The response to an evaluated request: `200` and the `RequestId`, or the
/// rejection's status, code and message.
pub fn encode_outcome(
    format: Format,
    ids: &Ids<'_>,
    outcome: &Result<Target<'_>, Rejection>,
) -> Result<Response, EncodeError> {
    match outcome {
        Ok(_) => Ok(Response {
            status: 200,
            format,
            body: encode_success(format, ids.request_id)?,
        }),
        Err(rejection) => error_response(
            format,
            ids,
            rejection.http_status(),
            rejection.code().as_str(),
            rejection.message(),
        ),
    }
}

/// An error response: `status`, and the error body in `format`.
fn error_response(
    format: Format,
    ids: &Ids<'_>,
    status: u16,
    code: &str,
    message: &str,
) -> Result<Response, EncodeError> {
    Ok(Response {
        status,
        format,
        body: encode_error(
            format,
            &ErrorBody {
                request_id: ids.request_id,
                host_id: ids.host_id,
                code,
                message,
            },
        )?,
    })
}

/// The response to a malformed request: the policy's catalogue row for
/// `InvalidParameter`, its message naming the parameter at fault.
pub fn encode_malformed(
    format: Format,
    ids: &Ids<'_>,
    policy: &Policy,
    malformed: &Malformed,
) -> Result<Response, EncodeError> {
    let entry = policy
        .revision()
        .entry(Code::InvalidParameter)
        .unwrap_or(&INTERNAL_ERROR);
    let message = message_naming(entry, &malformed.parameter);
    error_response(
        format,
        ids,
        entry.http_status,
        entry.code.as_str(),
        &message,
    )
}
