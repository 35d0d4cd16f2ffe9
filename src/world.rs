//! The world view `evaluate` reads, an in-memory implementation of it, and
//! the two-step transition the real service runs.

use std::collections::HashMap;

use foldhash::fast::FixedState;

use crate::checks::evaluate;
use crate::model::{Disk, DiskSource, DiskStatus, Image, Instance, Snapshot};
use crate::outcome::{Rejection, ResetKind};
use crate::policy::Policy;
use crate::request::{Request, SecurityEnhancementStrategy};

/// A read-only view of the disks, instances, images and snapshots of one
/// account and region. An emulator implements it over its own store.
///
/// A lookup that finds nothing is a fact, not an error: no such disk answers
/// `InvalidDiskId.NotFound`; no such image or snapshot counts as deleted; a
/// disk attached to an instance the view lacks answers `InternalError`.
pub trait World {
    /// The disk `id`.
    fn disk(&self, id: &str) -> Option<&Disk>;
    /// The instance `id`.
    fn instance(&self, id: &str) -> Option<&Instance>;
    /// The image `id` (a deleted one may be kept, `deleted: true`).
    fn image(&self, id: &str) -> Option<&Image>;
    /// The snapshot `id` (a deleted one may be kept, `deleted: true`).
    fn snapshot(&self, id: &str) -> Option<&Snapshot>;
}

impl<W: World + ?Sized> World for &W {
    fn disk(&self, id: &str) -> Option<&Disk> {
        (**self).disk(id)
    }
    fn instance(&self, id: &str) -> Option<&Instance> {
        (**self).instance(id)
    }
    fn image(&self, id: &str) -> Option<&Image> {
        (**self).image(id)
    }
    fn snapshot(&self, id: &str) -> Option<&Snapshot> {
        (**self).snapshot(id)
    }
}

/// A hash map keyed by id. foldhash with its fixed seed: several times
/// faster than the default SipHash on short ids, and deterministic (the same
/// inserts give the same iteration order in every process).
type Map<T> = HashMap<String, T, FixedState>;

/// A world held in hash maps, keyed by id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InMemoryWorld {
    disks: Map<Disk>,
    instances: Map<Instance>,
    images: Map<Image>,
    snapshots: Map<Snapshot>,
}

/// An id that is already taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind} id {id:?} is already taken")]
pub struct DuplicateId {
    /// `disk`, `instance`, `image` or `snapshot`.
    pub kind: &'static str,
    /// The id.
    pub id: String,
}

/// A transition the world cannot make.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// No such disk.
    #[error("disk {0:?} does not exist")]
    UnknownDisk(String),
    /// Only a disk being re-initialized can settle.
    #[error("disk {disk_id:?} is {status}, not ReIniting: there is no re-init to settle")]
    NotReIniting {
        /// The disk.
        disk_id: String,
        /// Its status.
        status: DiskStatus,
    },
}

/// An accepted re-init that has started: the disk is `ReIniting`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Started {
    /// The disk.
    pub disk_id: String,
    /// The instance it stays attached to.
    pub instance_id: String,
    /// What it is being reset to.
    pub reset_to: ResetKind,
    /// The image or snapshot id; `None` for an empty disk.
    pub source_id: Option<String>,
    /// The security-hardening strategy applied.
    pub security_enhancement: Option<SecurityEnhancementStrategy>,
}

fn insert<T>(map: &mut Map<T>, kind: &'static str, id: &str, value: T) -> Result<(), DuplicateId> {
    if map.contains_key(id) {
        return Err(DuplicateId {
            kind,
            id: id.to_owned(),
        });
    }
    map.insert(id.to_owned(), value);
    Ok(())
}

impl InMemoryWorld {
    /// An empty world.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a disk.
    pub fn insert_disk(&mut self, disk: Disk) -> Result<(), DuplicateId> {
        let id = disk.id.clone();
        insert(&mut self.disks, "disk", &id, disk)
    }

    /// Adds an instance.
    pub fn insert_instance(&mut self, instance: Instance) -> Result<(), DuplicateId> {
        let id = instance.id.clone();
        insert(&mut self.instances, "instance", &id, instance)
    }

    /// Adds an image.
    pub fn insert_image(&mut self, image: Image) -> Result<(), DuplicateId> {
        let id = image.id.clone();
        insert(&mut self.images, "image", &id, image)
    }

    /// Adds a snapshot.
    pub fn insert_snapshot(&mut self, snapshot: Snapshot) -> Result<(), DuplicateId> {
        let id = snapshot.id.clone();
        insert(&mut self.snapshots, "snapshot", &id, snapshot)
    }

    /// The disk `id`, to change it.
    pub fn disk_mut(&mut self, id: &str) -> Option<&mut Disk> {
        self.disks.get_mut(id)
    }

    /// The instance `id`, to change it.
    pub fn instance_mut(&mut self, id: &str) -> Option<&mut Instance> {
        self.instances.get_mut(id)
    }

    /// The image `id`, to change it.
    pub fn image_mut(&mut self, id: &str) -> Option<&mut Image> {
        self.images.get_mut(id)
    }

    /// The snapshot `id`, to change it.
    pub fn snapshot_mut(&mut self, id: &str) -> Option<&mut Snapshot> {
        self.snapshots.get_mut(id)
    }

    /// The disks, in no particular order.
    pub fn disks(&self) -> impl Iterator<Item = &Disk> {
        self.disks.values()
    }

    /// Step one of a re-init, as the real service runs it: evaluates the
    /// request and, if it is accepted, puts the disk in `ReIniting`, so that
    /// a second request meanwhile gets `IncorrectDiskStatus`.
    pub fn begin_reinit(
        &mut self,
        request: &Request<'_>,
        policy: &Policy,
    ) -> Result<Started, Rejection> {
        let started = evaluate(request, &*self, policy).map(|r| Started {
            disk_id: r.disk_id.to_owned(),
            instance_id: r.instance_id.to_owned(),
            reset_to: r.reset_to.kind(),
            source_id: r.reset_to.source_id().map(str::to_owned),
            security_enhancement: r.security_enhancement,
        })?;
        if let Some(disk) = self.disks.get_mut(&started.disk_id) {
            disk.status = DiskStatus::ReIniting;
        }
        Ok(started)
    }

    /// Step two: the re-init of `disk_id` settles. The disk is back `In_use`
    /// on the same instance, its content reset to its source (which does not
    /// change). Returns what it was reset to.
    pub fn settle_reinit(
        &mut self,
        disk_id: &str,
    ) -> Result<(ResetKind, Option<&str>), TransitionError> {
        let disk = self
            .disks
            .get_mut(disk_id)
            .ok_or_else(|| TransitionError::UnknownDisk(disk_id.to_owned()))?;
        if disk.status != DiskStatus::ReIniting {
            return Err(TransitionError::NotReIniting {
                disk_id: disk_id.to_owned(),
                status: disk.status,
            });
        }
        disk.status = DiskStatus::InUse;
        Ok(match &disk.source {
            DiskSource::Image { image_id, .. } => (ResetKind::Image, Some(image_id.as_str())),
            DiskSource::Snapshot { snapshot_id } => {
                (ResetKind::Snapshot, Some(snapshot_id.as_str()))
            }
            DiskSource::Empty => (ResetKind::Empty, None),
        })
    }
}

impl World for InMemoryWorld {
    fn disk(&self, id: &str) -> Option<&Disk> {
        self.disks.get(id)
    }
    fn instance(&self, id: &str) -> Option<&Instance> {
        self.instances.get(id)
    }
    fn image(&self, id: &str) -> Option<&Image> {
        self.images.get(id)
    }
    fn snapshot(&self, id: &str) -> Option<&Snapshot> {
        self.snapshots.get(id)
    }
}
