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
}

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
        Ok(Err(_)) => Err(ApiError::BodyTooLarge(limits.max_body_bytes)),
        Err(_) => Err(ApiError::BodyTimeout),
    }
}
