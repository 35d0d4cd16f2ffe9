//! A world held in memory: hash maps keyed by id. For tests, small
//! emulators, and the CLI.

use std::collections::HashMap;

use foldhash::fast::FixedState;

use crate::engine::evaluate;
use crate::model::{
    Disk, DiskStatus, DiskView, Image, ImageView, Instance, InstanceStatus, InstanceView, Snapshot,
    SnapshotView, Source,
};
use crate::outcome::{OwnedTarget, Rejection};
use crate::policy::Policy;
use crate::request::Request;
use crate::transition::{Transition, WorldMut};
use crate::world::World;

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
#[non_exhaustive]
pub enum TransitionError {
    /// No such disk.
    #[error("disk {0:?} does not exist")]
    UnknownDisk(String),
    /// No such instance.
    #[error("instance {0:?} does not exist")]
    UnknownInstance(String),
    /// Only a disk being re-initialized can settle.
    #[error("disk {disk_id:?} is {status}, not ReIniting: there is no re-init to settle")]
    NotReIniting {
        /// The disk.
        disk_id: String,
        /// Its status.
        status: DiskStatus,
    },
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

    /// The disk `id`, to read or change it.
    pub fn disk_mut(&mut self, id: &str) -> Option<&mut Disk> {
        self.disks.get_mut(id)
    }

    /// The instance `id`, to read or change it.
    pub fn instance_mut(&mut self, id: &str) -> Option<&mut Instance> {
        self.instances.get_mut(id)
    }

    /// The image `id`, to read or change it.
    pub fn image_mut(&mut self, id: &str) -> Option<&mut Image> {
        self.images.get_mut(id)
    }

    /// The snapshot `id`, to read or change it.
    pub fn snapshot_mut(&mut self, id: &str) -> Option<&mut Snapshot> {
        self.snapshots.get_mut(id)
    }

    /// The disks, in no particular order.
    pub fn disks(&self) -> impl Iterator<Item = &Disk> {
        self.disks.values()
    }

    /// The instances, in no particular order.
    pub fn instances(&self) -> impl Iterator<Item = &Instance> {
        self.instances.values()
    }

    /// The images, in no particular order.
    pub fn images(&self) -> impl Iterator<Item = &Image> {
        self.images.values()
    }

    /// The snapshots, in no particular order.
    pub fn snapshots(&self) -> impl Iterator<Item = &Snapshot> {
        self.snapshots.values()
    }

    /// Stage one of a re-init, as the real service runs it: evaluates the
    /// request and, if it is accepted, applies the transition's first stage
    /// (the disk is `ReIniting`, so that a second request meanwhile gets
    /// `IncorrectDiskStatus`). Returns the target, to settle later.
    pub fn begin_reinit(
        &mut self,
        request: &Request<'_>,
        policy: &Policy,
    ) -> Result<OwnedTarget, Rejection> {
        let target = evaluate(request, &*self, policy)?.to_owned();
        // The disk and its instance were just read: the stage applies.
        let _ = target.as_target().transition().begin(self);
        Ok(target)
    }

    /// Stage two: the re-init of `disk_id` settles. The disk is back
    /// `In_use` on the same instance, its content reset to its source (which
    /// does not change). Returns what it was reset to.
    pub fn settle_reinit(&mut self, disk_id: &str) -> Result<Source<'_>, TransitionError> {
        let disk = self
            .disks
            .get(disk_id)
            .ok_or_else(|| TransitionError::UnknownDisk(disk_id.to_owned()))?;
        if disk.status != DiskStatus::ReIniting {
            return Err(TransitionError::NotReIniting {
                disk_id: disk_id.to_owned(),
                status: disk.status,
            });
        }
        let instance_id = disk.instance_id.clone().unwrap_or_default();
        Transition::reinit(disk_id, &instance_id).settle(self)?;
        Ok(self
            .disks
            .get(disk_id)
            .map_or(Source::Empty, |d| d.source.as_source()))
    }
}

impl World for InMemoryWorld {
    fn disk(&self, id: &str) -> Option<DiskView<'_>> {
        self.disks.get(id).map(Disk::view)
    }
    fn instance(&self, id: &str) -> Option<InstanceView<'_>> {
        self.instances.get(id).map(Instance::view)
    }
    fn image(&self, id: &str) -> Option<ImageView<'_>> {
        self.images.get(id).map(Image::view)
    }
    fn snapshot(&self, id: &str) -> Option<SnapshotView<'_>> {
        self.snapshots.get(id).map(Snapshot::view)
    }
}

impl WorldMut for InMemoryWorld {
    type Error = TransitionError;

    fn set_disk_status(
        &mut self,
        disk_id: &str,
        status: DiskStatus,
    ) -> Result<(), TransitionError> {
        let disk = self
            .disks
            .get_mut(disk_id)
            .ok_or_else(|| TransitionError::UnknownDisk(disk_id.to_owned()))?;
        disk.status = status;
        Ok(())
    }

    fn set_instance_status(
        &mut self,
        instance_id: &str,
        status: InstanceStatus,
    ) -> Result<(), TransitionError> {
        let instance = self
            .instances
            .get_mut(instance_id)
            .ok_or_else(|| TransitionError::UnknownInstance(instance_id.to_owned()))?;
        instance.status = status;
        if status == InstanceStatus::Running {
            instance.has_started = true;
        }
        Ok(())
    }
}
