//! # reinit-disk
//!
//! An exact, pure model of the Alibaba Cloud ECS API action `ReInitDisk`,
//! which resets a disk to the state it had when created: a system disk to its
//! image, a data disk to its source snapshot or to empty.
//!
//! [`evaluate`] takes a [`Request`], a read-only [`World`] and a [`Policy`],
//! and returns either the [`Target`] state or the exact [`Rejection`]
//! (code, message, HTTP status, and the [`Check`] that decided it). It does no
//! I/O, reads no clock, draws no random number, allocates nothing and never
//! panics.
//!
//! ```
//! use reinit_disk::model::{Disk, DiskSource, DiskStatus, Instance, InstanceStatus, Source};
//! use reinit_disk::revision::V2025_02_27;
//! use reinit_disk::{evaluate, InMemoryWorld, Policy, Request};
//!
//! let mut world = InMemoryWorld::new();
//! // Every field not named keeps its default (a record's `Default`).
//! world.insert_instance(Instance {
//!     id: "i-1".into(), status: InstanceStatus::Stopped, ..Instance::default()
//! })?;
//! world.insert_disk(Disk {
//!     id: "d-1".into(), status: DiskStatus::InUse, instance_id: Some("i-1".into()),
//!     source: DiskSource::Empty, ..Disk::default()
//! })?;
//!
//! // The seed revision (the default policy).
//! let target = evaluate(&Request::new("d-1"), &world, &Policy::default())?;
//! assert_eq!(target.reset_to, Source::Empty);
//! assert_eq!(target.instance_id, "i-1");
//!
//! // The 2025-02-27 revision reads AutoStartInstance: the instance is
//! // started once the disk has settled.
//! let request = Request { auto_start_instance: Some("true"), ..Request::new("d-1") };
//! let target = evaluate(&request, &world, &Policy::new(&V2025_02_27))?;
//! assert_eq!(target.instance_status_after, InstanceStatus::Running);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Each rule is declared once in [`checks`]; each API revision is one value
//! in [`revision`] (its catalogue, parameters, checks in default order,
//! boundary and defaults); the policy ([`Policy`]) picks the revision, the
//! order and the [`answers`] to the pages' open questions. An accepted
//! request's [`Target`] gives the [`Transition`] any store applies
//! ([`WorldMut`]). docs/architecture.md maps it all.
//!
//! Features: `scenario` (JSON scenarios and decisions), `wire` (ECS HTTP
//! requests in, byte-exact responses out: [`wire`]), `cli` (the
//! `reinit-disk` binary; default), `arbitrary` (fuzzing). With
//! `default-features = false` the crate depends on serde, strum, thiserror,
//! time and foldhash only.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// docs.rs (Cargo.toml's `package.metadata.docs.rs` passes `--cfg docsrs`)
// labels every feature-gated item with its feature.
#![cfg_attr(docsrs, feature(doc_cfg))]

/// README.md's Rust examples, compiled and run by `cargo test` as doctests
/// (exists only when rustdoc collects doctests).
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod map_only;

pub mod analysis;
pub mod answers;
pub mod catalogue;
pub mod checks;
pub mod echo;
#[cfg(feature = "ecs")]
#[cfg_attr(docsrs, doc(cfg(feature = "ecs")))]
pub mod ecs;
mod engine;
mod in_memory;
pub mod model;
mod outcome;
pub mod policy;
mod reinit;
mod request;
pub mod revision;
#[cfg(feature = "scenario")]
#[cfg_attr(docsrs, doc(cfg(feature = "scenario")))]
pub mod scenario;
mod transition;
#[cfg(feature = "wire")]
#[cfg_attr(docsrs, doc(cfg(feature = "wire")))]
pub mod wire;
mod world;

pub use answers::Answers;
pub use catalogue::{Code, Entry};
pub use checks::{Check, Verdict};
pub use engine::{Step, TARGET_TELLS, evaluate, evaluate_all, evaluate_traced};
pub use in_memory::{DuplicateId, InMemoryWorld, SnapshotMut, TransitionError};
pub use outcome::{OwnedTarget, Rejection, Target, TargetError};
pub use policy::Policy;
pub use reinit::decide_and_begin;
pub use request::{ACTION, Param, ParamSet, Request, SecurityEnhancementStrategy};
pub use revision::Revision;
pub use transition::{
    Applied, DeleteRefusal, DiskAction, DiskRefusal, InstanceAction, Refusal, SNAPSHOT_TIME,
    Scheduled, Stage, SystemDiskDetach, Transition, Wait, WorldMut, WorldStatus, delete_snapshot,
    progressing_snapshot_id,
};
pub use world::World;
