//! What the handlers share ([`App`]: the store, the clock, the keys, the
//! bounds, the `--state` writer) and the pieces every handler uses to read
//! a body and answer in JSON. Below server.rs, admin.rs and persist.rs,
//! which all take an `App`; it holds persist.rs's writer and implements
//! its [`Saved`](super::persist::Saved) view.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response as HttpResponse;

use super::errors::ApiError;
use super::persist::{Persist, Saved};
use super::rate::RateLimit;
use super::records::json_response;
use super::signature::{AccessKeys, AdminToken, Nonces};
use super::store::Store;
use reinit_disk::revision::Revision;

/// The clock the store's changes run on.
#[derive(Debug)]
pub enum Clock {
    /// Real time since the server started.
    Real(Instant),
    /// Time moved by hand (`POST /_reinit-disk/clock?advance=SECONDS`),
    /// in milliseconds: for tests, which then never sleep.
    Manual(AtomicU64),
}

impl Clock {
    /// Now, since the server started.
    pub fn now(&self) -> Duration {
        match self {
            Self::Real(start) => start.elapsed(),
            Self::Manual(millis) => Duration::from_millis(millis.load(Ordering::SeqCst)),
        }
    }
}

/// The bounds on what a client can make the server hold (docs/serve.md,
/// "Security").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// `--max-connections`: connections past it are closed as accepted.
    pub max_connections: usize,
    /// `--header-timeout-seconds`: a request's headers must arrive within
    /// it (and a kept-alive connection's next request start within it).
    pub header_timeout: Duration,
    /// `--idle-timeout-seconds`: a connection on which no byte moves
    /// either way for this long is closed (a stalled upload, a response
    /// nobody reads).
    pub idle_timeout: Duration,
    /// `--body-timeout-seconds`: a request's whole body must arrive within
    /// it.
    pub body_timeout: Duration,
    /// `--max-body-bytes`: a larger `Content-Length` is refused before
    /// anything is read; a body without one is cut there.
    pub max_body_bytes: usize,
    /// `--max-body-memory`: what the bodies being read may hold together,
    /// each counted by its `Content-Length` (or `max_body_bytes` without
    /// one) from before its first byte is read; past it,
    /// `ServiceUnavailable`.
    pub max_body_memory: usize,
    /// `--nonce-store-bytes`: what the signature nonces remembered may
    /// cost.
    pub nonce_store_bytes: usize,
    /// `--shutdown-seconds`: how long a shutdown waits for the requests
    /// in flight.
    pub shutdown: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_connections: 512,
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(30),
            max_body_bytes: 2 << 20,
            max_body_memory: 64 << 20,
            nonce_store_bytes: super::signature::DEFAULT_NONCE_STORE_BYTES,
            shutdown: Duration::from_secs(10),
        }
    }
}

/// What the handlers share.
pub(super) struct App {
    pub(super) store: Store,
    pub(super) clock: Clock,
    pub(super) revision: Option<&'static Revision>,
    pub(super) access_keys: AccessKeys,
    pub(super) admin_token: Option<AdminToken>,
    pub(super) nonces: Nonces,
    pub(super) rate_limit: Option<RateLimit>,
    pub(super) limits: Limits,
    /// `--max-body-memory` in KiB, the bodies being read holding their
    /// share.
    pub(super) body_budget: Arc<tokio::sync::Semaphore>,
    /// `--state`: the writer's side (persist.rs).
    pub(super) persist: Option<Persist>,
    /// The `/state` documents being written at once ([`STATE_DOCUMENTS`]):
    /// each holds a copy of the world until it is sent.
    pub(super) state_documents: Arc<tokio::sync::Semaphore>,
}

/// How many `/state` documents are written at once; more requests wait
/// their turn. Each holds one copy of the world (taken at one moment, so
/// that the document is consistent) and [`CHUNKS_AHEAD`] chunks of its
/// text, never the whole text.
pub(super) const STATE_DOCUMENTS: usize = 2;

/// The size of one chunk of a streamed document.
const CHUNK_BYTES: usize = 64 << 10;

/// How many chunks a streamed document writes ahead of the client.
const CHUNKS_AHEAD: usize = 4;

impl Saved for App {
    fn persist(&self) -> Option<&Persist> {
        self.persist.as_ref()
    }
    fn store(&self) -> &Store {
        &self.store
    }
    fn now(&self) -> Duration {
        self.clock.now()
    }
}

pub(super) fn admin_error(status: StatusCode, message: &str) -> HttpResponse {
    json_response(status, &serde_json::json!({"Error": message}))
}

pub(super) fn body_status(error: &ApiError) -> StatusCode {
    StatusCode::from_u16(error.status()).unwrap_or(StatusCode::BAD_REQUEST)
}

/// `bytes` in whole KiB, rounded up.
pub(super) fn kib(bytes: usize) -> usize {
    bytes.div_ceil(1024)
}

/// A body read, and its share of `--max-body-memory` (held until the
/// request is answered).
pub(super) type ReadBody = (Bytes, Option<tokio::sync::OwnedSemaphorePermit>);

/// Reads a body of at most `--max-body-bytes` within
/// `--body-timeout-seconds`: a larger `Content-Length` is refused before a
/// byte is read, a body without one is cut at the limit; and only if the
/// bodies being read leave room for it in `--max-body-memory`.
pub(super) async fn read_body(
    app: &App,
    headers: &HeaderMap,
    body: Body,
) -> Result<ReadBody, ApiError> {
    let limits = &app.limits;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > u64::try_from(limits.max_body_bytes).unwrap_or(u64::MAX)) {
        return Err(ApiError::BodyTooLarge(limits.max_body_bytes));
    }
    // At most max_body_bytes here, so it fits a usize.
    let share = declared.map_or(limits.max_body_bytes, |n| {
        usize::try_from(n).unwrap_or(usize::MAX)
    });
    let permit = if share == 0 {
        None
    } else {
        let kib = u32::try_from(kib(share)).map_err(|_| ApiError::ServiceUnavailable)?;
        Some(
            Arc::clone(&app.body_budget)
                .try_acquire_many_owned(kib)
                .map_err(|_| ApiError::ServiceUnavailable)?,
        )
    };
    match tokio::time::timeout(
        limits.body_timeout,
        axum::body::to_bytes(body, limits.max_body_bytes),
    )
    .await
    {
        Ok(Ok(bytes)) => Ok((bytes, permit)),
        // Past the limit as it arrives (a chunked body, or one longer than
        // its `Content-Length`); any other error is a body cut short.
        Ok(Err(e)) if over_limit(&e) => Err(ApiError::BodyTooLarge(limits.max_body_bytes)),
        Ok(Err(_)) => Err(ApiError::BodyCut),
        Err(_) => Err(ApiError::BodyTimeout),
    }
}

/// Whether reading a body failed on its length limit (the error
/// `http_body_util::Limited` gives, somewhere in the chain), not on the
/// connection.
fn over_limit(error: &axum::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = e.source();
    }
    false
}

/// A chunk of a streamed body, or the error that ends it early (the
/// client then sees the body cut, not a well-formed document).
type Chunk = Result<Bytes, std::io::Error>;

/// `value` as a JSON answer (status 200) written as the client reads it:
/// serialized on a blocking thread into [`CHUNK_BYTES`] chunks, at most
/// [`CHUNKS_AHEAD`] ahead of the client, so the text is never held whole.
/// `permit` (a [`STATE_DOCUMENTS`] turn) is held until the last chunk is
/// sent or the client goes away.
pub(super) fn json_stream<T: serde::Serialize + Send + 'static>(
    value: T,
    permit: tokio::sync::OwnedSemaphorePermit,
) -> HttpResponse {
    let (sender, receiver) = tokio::sync::mpsc::channel::<Chunk>(CHUNKS_AHEAD);
    tokio::task::spawn_blocking(move || {
        let _turn = permit;
        let mut writer = ChunkWriter {
            sender,
            buffer: Vec::with_capacity(CHUNK_BYTES),
        };
        let written = serde_json::to_writer(&mut writer, &value)
            .map_err(std::io::Error::from)
            .and_then(|()| writer.send());
        if let Err(e) = written {
            // Serializing a scenario cannot fail but by the client going
            // away (then nobody reads this); say it to a client that
            // still reads, which sees the body cut.
            let _ = writer.sender.blocking_send(Err(e));
        }
    });
    let mut response = HttpResponse::new(Body::new(Chunks(receiver)));
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/json;charset=utf-8"),
    );
    response
}

/// Writes into chunks of [`CHUNK_BYTES`], each sent once full.
struct ChunkWriter {
    sender: tokio::sync::mpsc::Sender<Chunk>,
    buffer: Vec<u8>,
}

impl ChunkWriter {
    /// Sends what is buffered; an error once the client has gone.
    fn send(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK_BYTES));
        self.sender
            .blocking_send(Ok(Bytes::from(chunk)))
            .map_err(|_| {
                std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")
            })
    }
}

impl std::io::Write for ChunkWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The receiving end of a streamed body.
struct Chunks(tokio::sync::mpsc::Receiver<Chunk>);

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, std::io::Error>>> {
        self.0
            .poll_recv(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map(http_body::Frame::data)))
    }
}
