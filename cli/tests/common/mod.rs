//! What the command's tests share: running the binary, and a server
//! started for a test. The rest (the reference model, the generators,
//! snapshots, the HTTP client) is the workspace's test kit.

#![allow(
    dead_code,
    reason = "each test uses its own part of the shared helpers"
)]

pub mod cli;
pub mod http;
