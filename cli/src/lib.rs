//! The `reinit-disk` command's library part: [`serve`], the ECS endpoint
//! (`reinit-disk serve`) built around the `reinit-disk` engine, and
//! [`lines`], the JSON Lines runner of `eval --lines`.
//!
//! The engine itself is the `reinit-disk` crate, which depends on none of
//! this (no tokio, axum, clap or tracing): an emulator that embeds the
//! engine depends on `reinit-disk`; one that wants the whole endpoint in its
//! own process depends on this crate and calls [`serve::service`].

#![forbid(unsafe_code)]

pub mod io;
pub mod lines;
pub mod serve;
