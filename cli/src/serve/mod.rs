//! `reinit-disk serve`: an ECS endpoint over HTTP that the official SDKs
//! talk to for the whole stop, re-init, poll, start flow.
//!
//! Built around the engine, never inside it: the [`Store`] keeps the world
//! behind a lock and the changes under way with their due times (time is
//! an argument, so tests move it by hand); [`handle`] answers each action
//! from the store; [`verify`] (signatures) and [`RateLimit`] are the
//! gateway's checks; [`run`] and [`service`] are the only parts that do
//! I/O (tokio, hyper, axum; [`LogSink`] writes the log from its own
//! thread), with the bounds of [`Limits`]. An emulator that has its own
//! server can use the store and [`handle`] without them. docs/serve.md
//! describes every action, flag and endpoint, and what bounds each threat
//! ("Security").

mod actions;
mod admin;
mod app;
mod describe;
mod errors;
mod flags;
mod log;
mod persist;
mod rate;
mod records;
mod server;
mod signature;
mod store;

pub use actions::{
    ACTIONS, CHANGING_ACTIONS, DRY_RUN_ACTIONS, Handled, changes_world, error_response, handle,
};
pub use app::{Clock, Limits};
pub use errors::{ApiError, SignatureError};
pub use flags::{Flags, LimitArgs, LogFormatArg, SystemDiskDetachArg, run_flags};
pub use log::{Clean, LogSink};
pub use persist::{StateFile, save as save_state};
pub use rate::{MAX_RATE_LIMIT, RateLimit};
pub use records::{disk_document, instance_document};
pub use server::{Config, LogFormat, run, service};
pub use signature::{
    AccessKeys, AdminToken, DEFAULT_NONCE_STORE_BYTES, MAX_NONCE_BYTES, MAX_SKEW_SECONDS,
    NONCE_OVERHEAD_BYTES, Nonces, REQUIRED_SIGNED_HEADERS, verify,
};
pub use store::{PatchError, RecordKind, SnapshotRefusal, Store, Timings, Tokens};
