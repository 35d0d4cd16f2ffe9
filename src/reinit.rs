//! One re-init, decided and begun in one step: what every store does with an
//! accepted `ReInitDisk`, written once.
//!
//! [`evaluate`] only reads the world, and its [`Target`](crate::Target)
//! borrows it; a store that then changes the world must first make the
//! target its own. [`decide_and_begin`] does both steps in the right order
//! over any world that can be read ([`World`]) and changed ([`WorldMut`]),
//! and returns an [`OwnedTarget`] that borrows nothing, so the caller is
//! free to change the world again (settle the re-init later, serve the next
//! request). The caller holds whatever lock covers its world and its policy
//! for the length of the call, so no other request sees the world between
//! the decision and the change (a second `ReInitDisk` of the same disk then
//! finds it `ReIniting` and gets `IncorrectDiskStatus`).
//!
//! The wire layer's [`exchange`](crate::wire::exchange) is the same step
//! with an HTTP request in and the ECS response out.
//!
//! ```
//! use reinit_disk::model::{Disk, DiskSource, DiskStatus, Instance, InstanceStatus};
//! use reinit_disk::{InMemoryWorld, Policy, Request, decide_and_begin};
//!
//! let mut world = InMemoryWorld::new();
//! world.insert_instance(Instance {
//!     id: "i-1".into(), status: InstanceStatus::Stopped, ..Instance::default()
//! })?;
//! world.insert_disk(Disk {
//!     id: "d-1".into(), status: DiskStatus::InUse, instance_id: Some("i-1".into()),
//!     source: DiskSource::Empty, ..Disk::default()
//! })?;
//! let target = decide_and_begin(&Request::new("d-1"), &mut world, &Policy::default())?
//!     .expect("accepted");
//! assert_eq!(target.disk_id, "d-1");
//! // The first stage applied: the disk is ReIniting, so a second request
//! // meanwhile is refused.
//! let again = decide_and_begin(&Request::new("d-1"), &mut world, &Policy::default())?;
//! assert_eq!(again.unwrap_err().code().as_str(), "IncorrectDiskStatus");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::engine::evaluate;
use crate::outcome::{OwnedTarget, Rejection};
use crate::policy::Policy;
use crate::request::Request;
use crate::transition::WorldMut;
use crate::world::World;

/// Decides `request` against `world` under `policy` and, if it is
/// accepted, applies the transition's first stage (the disk `ReIniting`)
/// through [`WorldMut`]: the owned target, or the rejection. The world is
/// changed only when the request is accepted.
///
/// The outer `Err` is the store's own failure to apply the stage (an
/// emulator's `WorldMut` that refused it, although the disk and its
/// instance were just read); the world may then be as it was.
pub fn decide_and_begin<W>(
    request: &Request<'_>,
    world: &mut W,
    policy: &Policy,
) -> Result<Result<OwnedTarget, Rejection>, W::Error>
where
    W: World + WorldMut + ?Sized,
{
    let target = match evaluate(request, &*world, policy) {
        Ok(target) => target.into_owned(),
        Err(rejection) => return Ok(Err(rejection)),
    };
    begin(&target, world)?;
    Ok(Ok(target))
}

/// Applies the first stage of `target`'s transition to `world`.
pub(crate) fn begin<W>(target: &OwnedTarget, world: &mut W) -> Result<(), W::Error>
where
    W: WorldMut + ?Sized,
{
    target.as_target().transition().begin(world)
}
