//! # reinit-disk
//!
//! An exact, pure model of the Alibaba Cloud ECS API action `ReInitDisk`,
//! which resets a disk to the state it had when created: a system disk to its
//! image, a data disk to its source snapshot or to empty.
//!
//! [`evaluate`] takes a [`Request`], a read-only [`World`] and a [`Policy`],
//! and returns either the [`Reinit`] target state or the exact [`Rejection`]
//! (code, message, HTTP status, and the [`Check`] that decided it). It does no
//! I/O, reads no clock, draws no random number, allocates nothing and never
//! panics.
//!
//! ```
//! use reinit_disk::model::{Disk, DiskCategory, DiskSource, DiskStatus, Instance, InstanceStatus, LockSet};
//! use reinit_disk::{evaluate, InMemoryWorld, Policy, Request, ResetTo};
//!
//! let mut world = InMemoryWorld::new();
//! world.insert_instance(Instance {
//!     id: "i-1".into(), status: InstanceStatus::Stopped, has_started: true,
//!     operation_locks: LockSet::EMPTY,
//! })?;
//! world.insert_disk(Disk {
//!     id: "d-1".into(), category: DiskCategory::CloudEssd, status: DiskStatus::InUse,
//!     instance_id: Some("i-1".into()), source: DiskSource::Empty, creating_snapshot: false,
//! })?;
//!
//! let target = evaluate(&Request::new("d-1"), &world, &Policy::default())?;
//! assert_eq!(target.reset_to, ResetTo::Empty);
//! assert_eq!(target.instance_id, "i-1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The rules and their order are in [`checks`]; the codes and messages in
//! [`catalogue`]; the product's answers to the reference page's open
//! questions in [`policy`]. docs/ gives the reason for each.
//!
//! Features: `scenario` (JSON scenarios and decisions), `wire` (ECS HTTP
//! requests in, byte-exact responses out: [`wire`]), `cli` (the
//! `reinit-disk` binary; default), `arbitrary` (fuzzing). With
//! `default-features = false` the crate depends on serde, strum, thiserror,
//! time and foldhash only.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod map_only;

pub mod catalogue;
pub mod checks;
pub mod echo;
pub mod model;
pub mod outcome;
pub mod policy;
pub mod request;
#[cfg(feature = "scenario")]
pub mod scenario;
#[cfg(feature = "wire")]
pub mod wire;
pub mod world;

pub use catalogue::{Code, Entry, Revision};
pub use checks::{Check, Step, Verdict, evaluate, evaluate_traced};
pub use outcome::{Reinit, Rejection, ResetKind, ResetTo};
pub use policy::Policy;
pub use request::{Request, SecurityEnhancementStrategy};
pub use world::{InMemoryWorld, World};
