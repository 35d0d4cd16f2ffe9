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
mod document;
mod encode;
mod http;
mod request_id;

pub use decode::{Fault, HttpRequest, Malformed, Params};
pub use document::to_document;
pub use encode::{
    Document, EncodeError, ErrorBody, encode_document, encode_error, encode_success,
    message_naming, not_xml_char, recommend_url,
};
pub use http::{Format, reason_phrase};
pub use request_id::new_request_id;

use crate::catalogue::{Code, INTERNAL_ERROR};
use crate::engine::evaluate;
use crate::outcome::{OwnedTarget, Rejection, Target};
use crate::policy::Policy;
use crate::transition::WorldMut;
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
/// // A control character XML could carry is refused too.
/// assert!(check_request_id("a\tb").is_err());
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
/// the answer, without changing the world: what the endpoint would answer.
///
/// A malformed request (bad percent-encoding, invalid UTF-8, a parameter
/// given twice with different values) gets `InvalidParameter` naming the
/// parameter. Fails only if the encoder fails: in XML, when an id holds a
/// character XML 1.0 cannot carry ([`EncodeError::NotXml`]); writing to
/// memory does not fail. [`exchange`] is the same answer, with the
/// accepted re-init begun.
pub fn respond<W: World + ?Sized>(
    http: &HttpRequest<'_>,
    world: &W,
    policy: &Policy,
    ids: &Ids<'_>,
) -> Result<Response, EncodeError> {
    answer(http, world, policy, ids).map(|(response, _)| response)
}

/// What one [`exchange`] did: the response, and the decision it carries
/// (`None` for a malformed request, which is refused before any decision).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Exchange {
    /// The response, exactly as ECS sends it.
    pub response: Response,
    /// The decision: the accepted target (its re-init begun) or the
    /// rejection; `None` when the request was malformed.
    pub outcome: Option<Result<OwnedTarget, Rejection>>,
}

/// Why an [`exchange`] answered nothing (the world is then unchanged,
/// unless the store itself failed half-way).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExchangeError<E> {
    /// The response could not be written (XML cannot carry an id).
    #[error(transparent)]
    Encode(EncodeError),
    /// The store refused the re-init's first stage.
    #[error("the store could not begin the re-init: {0}")]
    Store(E),
}

/// The one path from an ECS request to its response, for a store that
/// changes: decodes `http`, decides it against `world` under `policy`,
/// encodes the response and, only if the request is accepted and its
/// response was written, begins the re-init (the disk `ReIniting`) through
/// [`WorldMut`]. The caller holds the one lock that covers its world and
/// its policy for the whole call, so the decision, the change and the
/// policy belong to one moment. The wire format's answer to `ReInitDisk` in
/// `reinit-disk serve`, the Python package and examples/emulator.rs is
/// this function's.
///
/// ```
/// use reinit_disk::model::{Disk, DiskSource, DiskStatus, Instance, InstanceStatus};
/// use reinit_disk::wire::{exchange, HttpRequest, Ids};
/// use reinit_disk::{InMemoryWorld, Policy};
///
/// let mut world = InMemoryWorld::new();
/// world.insert_instance(Instance {
///     id: "i-1".into(), status: InstanceStatus::Stopped, ..Instance::default()
/// })?;
/// world.insert_disk(Disk {
///     id: "d-1".into(), status: DiskStatus::InUse, instance_id: Some("i-1".into()),
///     source: DiskSource::Empty, ..Disk::default()
/// })?;
/// let http = HttpRequest { query: "Action=ReInitDisk&DiskId=d-1&Format=JSON", ..HttpRequest::default() };
/// let done = exchange(&http, &mut world, &Policy::default(), &Ids::new("R-1"))?;
/// assert_eq!(done.response.status, 200);
/// assert_eq!(world.disk_record("d-1").map(|d| d.status), Some(DiskStatus::ReIniting));
/// let again = exchange(&http, &mut world, &Policy::default(), &Ids::new("R-2"))?;
/// assert_eq!(again.response.status, 403); // IncorrectDiskStatus: it is re-initializing
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn exchange<W>(
    http: &HttpRequest<'_>,
    world: &mut W,
    policy: &Policy,
    ids: &Ids<'_>,
) -> Result<Exchange, ExchangeError<W::Error>>
where
    W: World + WorldMut + ?Sized,
{
    let (response, outcome) = answer(http, &*world, policy, ids).map_err(ExchangeError::Encode)?;
    if let Some(Ok(target)) = &outcome {
        crate::reinit::begin(target, world).map_err(ExchangeError::Store)?;
    }
    Ok(Exchange { response, outcome })
}

/// Decode, decide, encode: what [`respond`] and [`exchange`] share.
fn answer<W: World + ?Sized>(
    http: &HttpRequest<'_>,
    world: &W,
    policy: &Policy,
    ids: &Ids<'_>,
) -> Result<(Response, Option<Result<OwnedTarget, Rejection>>), EncodeError> {
    let params = Params::decode(http);
    let format = params.format();
    match params.request() {
        Ok(request) => {
            let outcome = evaluate(&request, world, policy);
            let response = encode_outcome(format, ids, &outcome)?;
            Ok((response, Some(outcome.map(Target::into_owned))))
        }
        Err(malformed) => Ok((encode_malformed(format, ids, policy, malformed)?, None)),
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
