//! A world held in memory: hash maps keyed by id. For tests, small
//! emulators, and the CLI.

use std::collections::HashMap;

use foldhash::fast::FixedState;

use crate::catalogue::INTERNAL_ERROR;
use crate::checks::Check;
use crate::model::{
    Account, Disk, DiskStatus, DiskType, DiskView, Image, ImageView, Instance, InstanceStatus,
    InstanceView, KeyPair, KeyPairView, KmsKey, KmsKeyView, LockReason, Snapshot, SnapshotView,
    Source, StoppedMode,
};
use crate::outcome::{OwnedTarget, Rejection};
use crate::policy::Policy;
use crate::reinit::decide_and_begin;
use crate::request::Request;
use crate::transition::{Transition, WorldMut, WorldStatus};
use crate::world::World;

/// A hash map keyed by id. foldhash with its fixed seed: several times
/// faster than the default SipHash on short ids, and deterministic (the same
/// inserts give the same iteration order in every process).
type Map<T> = HashMap<String, T, FixedState>;

/// A world held in hash maps, keyed by id. The disks and the instances are
/// also kept in the order they were inserted, which [`InMemoryWorld::disks`]
/// and [`InMemoryWorld::instances`] follow (a listing answers in the order
/// its world was loaded); two worlds are equal when they hold the same
/// records, disks and instances in the same order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InMemoryWorld {
    /// The disks, in the order inserted.
    disks: Vec<Disk>,
    /// Per disk id, the disk's position in `disks` and how many snapshots
    /// block its re-init through instant access (kept by `insert_snapshot`
    /// and [`SnapshotMut`]): one hash probe reads both.
    disk_slots: Map<DiskSlot>,
    /// The instances, in the order inserted.
    instances: Vec<Instance>,
    /// Per instance id, its position in `instances`.
    instance_index: Map<usize>,
    /// Per instance id, the positions of the disks inserted attached to it
    /// (a disk moved since by [`InMemoryWorld::disk_mut`] is checked
    /// again when read: see [`InMemoryWorld::disks_of`]).
    instance_disks: Map<Vec<usize>>,
    images: Map<Image>,
    snapshots: Map<Snapshot>,
    key_pairs: Map<KeyPair>,
    kms_keys: Map<KmsKey>,
    account: Account,
    /// The disks being re-initialized whose instance starts once they settle.
    auto_start: Map<()>,
}

/// A disk id's entry: the disk's position, if there is one, and how many snapshots
/// block its re-init ([`Snapshot::blocks_reinit_of`]; a snapshot may name a
/// disk the world does not have, or not yet). An entry with neither is
/// removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct DiskSlot {
    disk: Option<usize>,
    blocking: usize,
}

/// A snapshot of an [`InMemoryWorld`], to read or change: when it is
/// dropped, the world's index of instant-access snapshots is brought up to
/// date with whatever was changed.
#[derive(Debug)]
pub struct SnapshotMut<'a> {
    snapshot: &'a mut Snapshot,
    disks: &'a mut Map<DiskSlot>,
}

impl core::ops::Deref for SnapshotMut<'_> {
    type Target = Snapshot;
    fn deref(&self) -> &Snapshot {
        self.snapshot
    }
}

impl core::ops::DerefMut for SnapshotMut<'_> {
    fn deref_mut(&mut self) -> &mut Snapshot {
        self.snapshot
    }
}

impl Drop for SnapshotMut<'_> {
    fn drop(&mut self) {
        count_blocking(self.disks, self.snapshot, true);
    }
}

/// Counts `snapshot` in (or, with `add` false, out of) the entry of the
/// disk whose re-init it blocks.
fn count_blocking(disks: &mut Map<DiskSlot>, snapshot: &Snapshot, add: bool) {
    let Some(disk_id) = snapshot.source_disk_id.as_deref() else {
        return;
    };
    if !snapshot.blocks_reinit_of(disk_id) {
        return;
    }
    if add {
        let slot = disks.entry(disk_id.to_owned()).or_default();
        slot.blocking = slot.blocking.saturating_add(1);
    } else if let Some(slot) = disks.get_mut(disk_id) {
        slot.blocking = slot.blocking.saturating_sub(1);
        if slot.blocking == 0 && slot.disk.is_none() {
            disks.remove(disk_id);
        }
    }
}

/// An id that is already taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind} id {id:?} is already taken")]
pub struct DuplicateId {
    /// `disk`, `instance`, `image`, `snapshot`, `key pair` or `KMS key`.
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
    /// No such snapshot.
    #[error("snapshot {0:?} does not exist")]
    UnknownSnapshot(String),
    /// A snapshot id that is already taken.
    #[error("snapshot id {0:?} is already taken")]
    SnapshotTaken(String),
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

/// The positions `position` gives the ids it knows, sorted, each once.
fn positions<S: AsRef<str>>(ids: &[S], position: impl Fn(&str) -> Option<usize>) -> Vec<usize> {
    let mut positions: Vec<usize> = ids.iter().filter_map(|id| position(id.as_ref())).collect();
    positions.sort_unstable();
    positions.dedup();
    positions
}

impl InMemoryWorld {
    /// An empty world.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a disk, after the disks already there.
    pub fn insert_disk(&mut self, disk: Disk) -> Result<(), DuplicateId> {
        let slot = self.disk_slots.entry(disk.id.clone()).or_default();
        if slot.disk.is_some() {
            return Err(DuplicateId {
                kind: "disk",
                id: disk.id,
            });
        }
        slot.disk = Some(self.disks.len());
        if let Some(instance_id) = &disk.instance_id {
            self.instance_disks
                .entry(instance_id.clone())
                .or_default()
                .push(self.disks.len());
        }
        self.disks.push(disk);
        Ok(())
    }

    /// Adds an instance, after the instances already there.
    pub fn insert_instance(&mut self, instance: Instance) -> Result<(), DuplicateId> {
        let id = instance.id.clone();
        insert(
            &mut self.instance_index,
            "instance",
            &id,
            self.instances.len(),
        )?;
        self.instances.push(instance);
        Ok(())
    }

    /// Adds an image.
    pub fn insert_image(&mut self, image: Image) -> Result<(), DuplicateId> {
        let id = image.id.clone();
        insert(&mut self.images, "image", &id, image)
    }

    /// Adds a snapshot.
    pub fn insert_snapshot(&mut self, snapshot: Snapshot) -> Result<(), DuplicateId> {
        let id = snapshot.id.clone();
        if !self.snapshots.contains_key(&id) {
            count_blocking(&mut self.disk_slots, &snapshot, true);
        }
        insert(&mut self.snapshots, "snapshot", &id, snapshot)
    }

    /// Adds a key pair.
    pub fn insert_key_pair(&mut self, key_pair: KeyPair) -> Result<(), DuplicateId> {
        let name = key_pair.name.clone();
        insert(&mut self.key_pairs, "key pair", &name, key_pair)
    }

    /// Adds a KMS key.
    pub fn insert_kms_key(&mut self, key: KmsKey) -> Result<(), DuplicateId> {
        let id = key.id.clone();
        insert(&mut self.kms_keys, "KMS key", &id, key)
    }

    /// Sets the account (default [`Account::DEFAULT`]).
    pub fn set_account(&mut self, account: Account) {
        self.account = account;
    }

    /// The disk `id`, to read or change it.
    pub fn disk_mut(&mut self, id: &str) -> Option<&mut Disk> {
        let position = self.disk_slots.get(id)?.disk?;
        self.disks.get_mut(position)
    }

    /// Replaces the disk whose id is `disk.id` by `disk`, in its place in
    /// the order (the index of each instance's disks follows a new
    /// `InstanceId`); returns the disk it replaced. No such disk:
    /// [`TransitionError::UnknownDisk`].
    pub fn replace_disk(&mut self, disk: Disk) -> Result<Disk, TransitionError> {
        let position = self
            .disk_position(&disk.id)
            .ok_or_else(|| TransitionError::UnknownDisk(disk.id.clone()))?;
        if let Some(instance_id) = &disk.instance_id {
            let positions = self.instance_disks.entry(instance_id.clone()).or_default();
            if !positions.contains(&position) {
                positions.push(position);
                positions.sort_unstable();
            }
        }
        let slot = self
            .disks
            .get_mut(position)
            .ok_or_else(|| TransitionError::UnknownDisk(disk.id.clone()))?;
        Ok(core::mem::replace(slot, disk))
    }

    /// The instance `id`, to read or change it.
    pub fn instance_mut(&mut self, id: &str) -> Option<&mut Instance> {
        let position = *self.instance_index.get(id)?;
        self.instances.get_mut(position)
    }

    /// The disk record `id` (as inserted and changed since; the
    /// [`World::disk`] view adds what other records say of it).
    pub fn disk_record(&self, id: &str) -> Option<&Disk> {
        self.disks.get(self.disk_slots.get(id)?.disk?)
    }

    /// The instance record `id`.
    pub fn instance_record(&self, id: &str) -> Option<&Instance> {
        self.instances.get(*self.instance_index.get(id)?)
    }

    /// The image record `id`.
    pub fn image_record(&self, id: &str) -> Option<&Image> {
        self.images.get(id)
    }

    /// The snapshot record `id`.
    pub fn snapshot_record(&self, id: &str) -> Option<&Snapshot> {
        self.snapshots.get(id)
    }

    /// The key pair record `name`.
    pub fn key_pair_record(&self, name: &str) -> Option<&KeyPair> {
        self.key_pairs.get(name)
    }

    /// The KMS key record `id`.
    pub fn kms_key_record(&self, id: &str) -> Option<&KmsKey> {
        self.kms_keys.get(id)
    }

    /// The image `id`, to read or change it.
    pub fn image_mut(&mut self, id: &str) -> Option<&mut Image> {
        self.images.get_mut(id)
    }

    /// The key pair `name`, to read or change it.
    pub fn key_pair_mut(&mut self, name: &str) -> Option<&mut KeyPair> {
        self.key_pairs.get_mut(name)
    }

    /// The KMS key `id`, to read or change it.
    pub fn kms_key_mut(&mut self, id: &str) -> Option<&mut KmsKey> {
        self.kms_keys.get_mut(id)
    }

    /// The snapshot `id`, to read or change it (the world's index of
    /// instant-access snapshots follows the change when the guard drops).
    pub fn snapshot_mut(&mut self, id: &str) -> Option<SnapshotMut<'_>> {
        let snapshot = self.snapshots.get_mut(id)?;
        count_blocking(&mut self.disk_slots, snapshot, false);
        Some(SnapshotMut {
            snapshot,
            disks: &mut self.disk_slots,
        })
    }

    /// The disks, in the order they were inserted.
    pub fn disks(&self) -> impl Iterator<Item = &Disk> {
        self.disks.iter()
    }

    /// The instances, in the order they were inserted.
    pub fn instances(&self) -> impl Iterator<Item = &Instance> {
        self.instances.iter()
    }

    /// The disks named in `ids` that the world has, each once, in the order
    /// they were inserted (not the order of `ids`): one hash look-up an id,
    /// not a scan of the world.
    pub fn disks_named<S: AsRef<str>>(&self, ids: &[S]) -> impl Iterator<Item = &Disk> {
        let positions = positions(ids, |id| self.disk_slots.get(id).and_then(|s| s.disk));
        positions.into_iter().filter_map(|i| self.disks.get(i))
    }

    /// The instances named in `ids` that the world has, each once, in the
    /// order they were inserted.
    pub fn instances_named<S: AsRef<str>>(&self, ids: &[S]) -> impl Iterator<Item = &Instance> {
        let positions = positions(ids, |id| self.instance_index.get(id).copied());
        positions.into_iter().filter_map(|i| self.instances.get(i))
    }

    /// The disks inserted attached to the instance `instance_id` that are
    /// still attached to it, in the order inserted: one hash look-up, not a
    /// scan of the world. (A disk attached to it later through
    /// [`Self::disk_mut`] is not listed.)
    pub fn disks_of<'a>(&'a self, instance_id: &'a str) -> impl Iterator<Item = &'a Disk> {
        self.instance_disks
            .get(instance_id)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.disks.get(i))
            .filter(move |d| d.instance_id.as_deref() == Some(instance_id))
    }

    /// The position of the disk `id` in the order inserted (0 first).
    pub fn disk_position(&self, id: &str) -> Option<usize> {
        self.disk_slots.get(id)?.disk
    }

    /// The position of the instance `id` in the order inserted.
    pub fn instance_position(&self, id: &str) -> Option<usize> {
        self.instance_index.get(id).copied()
    }

    /// The disk at `position` in the order inserted (0 first).
    pub fn disk_at(&self, position: usize) -> Option<&Disk> {
        self.disks.get(position)
    }

    /// The instance at `position` in the order inserted.
    pub fn instance_at(&self, position: usize) -> Option<&Instance> {
        self.instances.get(position)
    }

    /// How many disks the world has.
    pub fn disk_count(&self) -> usize {
        self.disks.len()
    }

    /// How many instances the world has.
    pub fn instance_count(&self) -> usize {
        self.instances.len()
    }

    /// The images, in no particular order.
    pub fn images(&self) -> impl Iterator<Item = &Image> {
        self.images.values()
    }

    /// The snapshots, in no particular order.
    pub fn snapshots(&self) -> impl Iterator<Item = &Snapshot> {
        self.snapshots.values()
    }

    /// The key pairs, in no particular order.
    pub fn key_pairs(&self) -> impl Iterator<Item = &KeyPair> {
        self.key_pairs.values()
    }

    /// The KMS keys, in no particular order.
    pub fn kms_keys(&self) -> impl Iterator<Item = &KmsKey> {
        self.kms_keys.values()
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
        let target = match decide_and_begin(request, self, policy) {
            Ok(outcome) => outcome?,
            // The disk and its instance were just read from this world, so
            // the stage applies; were it ever refused, the request fails as
            // ECS fails what it cannot do, with InternalError.
            Err(_) => return Err(Rejection::new(&INTERNAL_ERROR, Check::DiskExists)),
        };
        Ok(target)
    }

    /// Stage two: the re-init of `disk_id` settles. The disk is back
    /// `In_use` on the same instance, its content reset to its source (which
    /// does not change); if the request asked for it (`AutoStartInstance`),
    /// the instance is started (`Running`). Returns what it was reset to.
    pub fn settle_reinit(&mut self, disk_id: &str) -> Result<Source<'_>, TransitionError> {
        let disk = self
            .disk_record(disk_id)
            .ok_or_else(|| TransitionError::UnknownDisk(disk_id.to_owned()))?;
        if disk.status != DiskStatus::ReIniting {
            return Err(TransitionError::NotReIniting {
                disk_id: disk_id.to_owned(),
                status: disk.status,
            });
        }
        let instance_id = disk.instance_id.clone().unwrap_or_default();
        let auto_start = self.auto_start.remove(disk_id).is_some();
        Transition::reinit(disk_id, &instance_id)
            .with_auto_start(auto_start)
            .settle(self)?;
        Ok(self
            .disk_record(disk_id)
            .map_or(Source::Empty, |d| d.source.as_source()))
    }
}

impl World for InMemoryWorld {
    fn disk(&self, id: &str) -> Option<DiskView<'_>> {
        let slot = self.disk_slots.get(id)?;
        let view = self.disks.get(slot.disk?)?.view();
        Some(view.with_instant_access_snapshot(slot.blocking > 0))
    }
    fn instance(&self, id: &str) -> Option<InstanceView<'_>> {
        self.instance_record(id).map(Instance::view)
    }
    fn image(&self, id: &str) -> Option<ImageView<'_>> {
        self.images.get(id).map(Image::view)
    }
    fn snapshot(&self, id: &str) -> Option<SnapshotView<'_>> {
        self.snapshots.get(id).map(Snapshot::view)
    }
    fn key_pair(&self, name: &str) -> Option<KeyPairView<'_>> {
        self.key_pairs.get(name).map(KeyPair::view)
    }
    fn kms_key(&self, id: &str) -> Option<KmsKeyView<'_>> {
        self.kms_keys.get(id).map(KmsKey::view)
    }
    fn account(&self) -> Account {
        self.account
    }
}

impl WorldStatus for InMemoryWorld {
    fn disk_status(&self, disk_id: &str) -> Option<DiskStatus> {
        self.disk_record(disk_id).map(|d| d.status)
    }
    fn instance_status(&self, instance_id: &str) -> Option<InstanceStatus> {
        self.instance_record(instance_id).map(|i| i.status)
    }
    fn has_disk_reiniting(&self, instance_id: &str) -> bool {
        self.disks_of(instance_id)
            .any(|d| d.status == DiskStatus::ReIniting)
    }
    fn locked_for_security(&self, instance_id: &str) -> bool {
        self.instance_record(instance_id)
            .is_some_and(|i| i.operation_locks.contains(LockReason::Security))
    }
    fn creating_snapshot(&self, disk_id: &str) -> bool {
        self.disk_record(disk_id)
            .is_some_and(|d| d.creating_snapshot)
    }
    /// One test a disk: a scan of the world.
    fn snapshot_used_by_disk(&self, snapshot_id: &str) -> bool {
        self.disks.iter().any(|d| {
            d.source.as_source().id() == Some(snapshot_id) && d.disk_type() == DiskType::Data
        })
    }
}

impl WorldMut for InMemoryWorld {
    type Error = TransitionError;

    fn set_stopped_mode(
        &mut self,
        instance_id: &str,
        mode: StoppedMode,
    ) -> Result<(), TransitionError> {
        let instance = self
            .instance_mut(instance_id)
            .ok_or_else(|| TransitionError::UnknownInstance(instance_id.to_owned()))?;
        instance.stopped_mode = Some(mode);
        Ok(())
    }

    fn set_disk_status(
        &mut self,
        disk_id: &str,
        status: DiskStatus,
    ) -> Result<(), TransitionError> {
        let disk = self
            .disk_mut(disk_id)
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
            .instance_mut(instance_id)
            .ok_or_else(|| TransitionError::UnknownInstance(instance_id.to_owned()))?;
        instance.set_status(status);
        Ok(())
    }

    /// Attaches the disk to `instance_id` (or to nothing), keeping the index
    /// of each instance's disks ([`Self::disks_of`]) up to date.
    fn set_disk_instance(
        &mut self,
        disk_id: &str,
        instance_id: Option<&str>,
    ) -> Result<(), TransitionError> {
        let position = self
            .disk_position(disk_id)
            .ok_or_else(|| TransitionError::UnknownDisk(disk_id.to_owned()))?;
        if let Some(instance_id) = instance_id {
            let positions = self
                .instance_disks
                .entry(instance_id.to_owned())
                .or_default();
            if !positions.contains(&position) {
                positions.push(position);
                positions.sort_unstable();
            }
        }
        let disk = self
            .disks
            .get_mut(position)
            .ok_or_else(|| TransitionError::UnknownDisk(disk_id.to_owned()))?;
        disk.instance_id = instance_id.map(str::to_owned);
        Ok(())
    }

    fn set_creating_snapshot(
        &mut self,
        disk_id: &str,
        creating: bool,
    ) -> Result<(), TransitionError> {
        let disk = self
            .disk_mut(disk_id)
            .ok_or_else(|| TransitionError::UnknownDisk(disk_id.to_owned()))?;
        disk.creating_snapshot = creating;
        Ok(())
    }

    /// Adds the snapshot; one whose id is taken is refused
    /// ([`TransitionError::SnapshotTaken`]).
    fn add_snapshot(&mut self, snapshot: Snapshot) -> Result<(), TransitionError> {
        let id = snapshot.id.clone();
        self.insert_snapshot(snapshot)
            .map_err(|_| TransitionError::SnapshotTaken(id))
    }

    fn delete_snapshot(&mut self, snapshot_id: &str) -> Result<(), TransitionError> {
        let mut snapshot = self
            .snapshot_mut(snapshot_id)
            .ok_or_else(|| TransitionError::UnknownSnapshot(snapshot_id.to_owned()))?;
        snapshot.deleted = true;
        Ok(())
    }

    /// Remembers whether the instance is started once the re-init of the
    /// transition's disk settles ([`Self::settle_reinit`] reads it).
    fn began(&mut self, transition: &Transition<'_>) -> Result<(), TransitionError> {
        if transition.starts_instance() {
            self.auto_start.insert(transition.disk_id.to_owned(), ());
        } else {
            self.auto_start.remove(transition.disk_id);
        }
        Ok(())
    }
}
