//! Shared by the integration tests: the reference model and the generators.
#![allow(dead_code)]

pub mod arb;
pub mod reference;
