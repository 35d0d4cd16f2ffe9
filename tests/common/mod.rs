//! Shared by the integration tests: the reference model, the generators and
//! the snapshot files.
#![allow(dead_code)]

pub mod arb;
pub mod cli;
pub mod client;
pub mod http;
pub mod reference;
pub mod snapshot;
