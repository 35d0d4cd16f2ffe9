//! `reinit-disk serve` (feature `serve`): an ECS endpoint over HTTP that
//! the official SDKs talk to for the whole stop, re-init, poll, start flow.
//!
//! Built around the engine, never inside it: the [`store`] keeps the world
//! behind a lock and the changes under way with their due times (time is
//! an argument, so tests move it by hand); [`actions`] answers each action
//! from the store; [`signature`] and [`rate`] are the gateway's checks;
//! [`server`] is the only part that does I/O (tokio, axum). An emulator
//! that has its own server can use the store and the actions without it.
//! docs/serve.md describes every action, flag and endpoint.

pub mod actions;
pub mod errors;
pub mod rate;
pub mod server;
pub mod signature;
pub mod store;

pub use errors::{ApiError, SignatureError};
pub use store::{InstanceError, Store, Timings};
