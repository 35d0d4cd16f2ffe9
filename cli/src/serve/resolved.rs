//! The server's world laid out for `evaluate`: every record in a vector,
//! and each disk's instance, image, source snapshot and KMS key resolved to
//! an index once, when the world is loaded.
//!
//! `evaluate` asks a [`World`] for the disk by the request's id, then for
//! its instance, image or snapshot by the ids the disk's view holds. On an
//! [`reinit_disk::InMemoryWorld`] each of those is a hash lookup. Here only the
//! first one is: [`ResolvedWorld::reader`] gives a [`Reader`] (one per
//! decision) that remembers the disk it found, and answers a look-up of that
//! disk's own instance, image, snapshot or key from the index resolved at
//! load, after checking that the id asked for is the one resolved (the same
//! string, which the engine passes straight from the disk's view, so the
//! check is a pointer comparison). Any other id falls back to a hash lookup,
//! so the answers are exactly the in-memory world's.
//!
//! Which records exist never changes after loading (the server has no
//! action that creates or deletes one; a new world replaces this one
//! whole); statuses do, through [`WorldMut`], and no index depends on them.

use std::cell::Cell;
use std::collections::HashMap;

use foldhash::fast::FixedState;

use reinit_disk::World;
use reinit_disk::WorldMut;
use reinit_disk::model::{
    Account, Disk, DiskSource, DiskStatus, DiskView, Image, ImageView, Instance, InstanceStatus,
    InstanceView, KeyPair, KeyPairView, KmsKey, KmsKeyView, Snapshot, SnapshotView,
};
use reinit_disk::scenario::{Scenario, ScenarioError};

/// Ids to positions. foldhash with its fixed seed, as the in-memory world.
type Index = HashMap<String, usize, FixedState>;

/// A disk, with what `evaluate` reads beside it resolved to positions.
#[derive(Clone, Debug)]
struct DiskEntry {
    disk: Disk,
    /// The position of the instance it is attached to, if the world has it.
    instance: Option<usize>,
    /// The position of its image (a system disk), if the world has it.
    image: Option<usize>,
    /// The position of its source snapshot (a data disk), if the world has it.
    snapshot: Option<usize>,
    /// The position of its KMS key, if it has one and the world has it.
    kms_key: Option<usize>,
    /// Whether a snapshot of it blocks its re-init through instant access.
    blocked_by_instant_access: bool,
}

/// A world whose references are resolved at load (see the module's text).
#[derive(Clone, Debug, Default)]
pub struct ResolvedWorld {
    disks: Vec<DiskEntry>,
    instances: Vec<Instance>,
    images: Vec<Image>,
    snapshots: Vec<Snapshot>,
    key_pairs: Vec<KeyPair>,
    kms_keys: Vec<KmsKey>,
    account: Account,
    disk_index: Index,
    instance_index: Index,
    image_index: Index,
    snapshot_index: Index,
    key_pair_index: Index,
    kms_key_index: Index,
}

fn index_of<T>(
    records: &[T],
    id: impl Fn(&T) -> &str,
    list: &str,
    kind: &str,
) -> Result<Index, ScenarioError> {
    let mut index = Index::with_capacity_and_hasher(records.len(), FixedState::default());
    for (position, record) in records.iter().enumerate() {
        let id = id(record);
        if index.insert(id.to_owned(), position).is_some() {
            return Err(ScenarioError::new(
                list,
                format!("{kind} id {id:?} is already taken"),
            ));
        }
    }
    Ok(index)
}

/// The positions of the ids `index` has, sorted, each once.
fn named(index: &Index, ids: &[String]) -> Vec<usize> {
    let mut positions: Vec<usize> = ids.iter().filter_map(|id| index.get(id).copied()).collect();
    positions.sort_unstable();
    positions.dedup();
    positions
}

/// `a` and `b` are the same id: the same string (what the engine passes
/// from a view), or equal text.
fn same(a: &str, b: &str) -> bool {
    core::ptr::eq(a, b) || a == b
}

impl ResolvedWorld {
    /// The world of `scenario`, validated as `eval` validates it (a bad
    /// document names its field, a duplicate id its list), in the
    /// scenario's order.
    pub fn from_scenario(scenario: &Scenario) -> Result<Self, ScenarioError> {
        // The validation `eval` makes, duplicate ids included.
        scenario.validate()?;
        Self::from_records(
            scenario.disks.clone(),
            scenario.instances.clone(),
            scenario.images.clone(),
            scenario.snapshots.clone(),
            scenario.key_pairs.clone(),
            scenario.kms_keys.clone(),
            scenario.account,
        )
    }

    /// The world of these records, in this order, which the listings keep.
    /// A duplicate id is refused, naming the list (`Disks`, `Instances`,
    /// ...) as a scenario would.
    pub fn from_records(
        disks: Vec<Disk>,
        instances: Vec<Instance>,
        images: Vec<Image>,
        snapshots: Vec<Snapshot>,
        key_pairs: Vec<KeyPair>,
        kms_keys: Vec<KmsKey>,
        account: Account,
    ) -> Result<Self, ScenarioError> {
        let disk_index = index_of(&disks, |d| &d.id, "Disks", "disk")?;
        let instance_index = index_of(&instances, |i| &i.id, "Instances", "instance")?;
        let image_index = index_of(&images, |i| &i.id, "Images", "image")?;
        let snapshot_index = index_of(&snapshots, |s| &s.id, "Snapshots", "snapshot")?;
        let key_pair_index = index_of(&key_pairs, |k| &k.name, "KeyPairs", "key pair")?;
        let kms_key_index = index_of(&kms_keys, |k| &k.id, "KmsKeys", "KMS key")?;
        let mut blocked = Index::default();
        for snapshot in &snapshots {
            if let Some(disk_id) = snapshot.source_disk_id.as_deref() {
                if snapshot.blocks_reinit_of(disk_id) {
                    blocked.insert(disk_id.to_owned(), 0);
                }
            }
        }
        let find = |index: &Index, id: Option<&str>| id.and_then(|id| index.get(id).copied());
        let disks = disks
            .into_iter()
            .map(|disk| {
                let (image, snapshot) = match &disk.source {
                    DiskSource::Image { image_id, .. } => {
                        (find(&image_index, Some(image_id)), None)
                    }
                    DiskSource::Snapshot { snapshot_id, .. } => {
                        (None, find(&snapshot_index, Some(snapshot_id)))
                    }
                    DiskSource::Empty => (None, None),
                };
                DiskEntry {
                    instance: find(&instance_index, disk.instance_id.as_deref()),
                    kms_key: find(&kms_key_index, disk.kms_key_id.as_deref()),
                    blocked_by_instant_access: blocked.contains_key(&disk.id),
                    image,
                    snapshot,
                    disk,
                }
            })
            .collect();
        Ok(Self {
            disks,
            instances,
            images,
            snapshots,
            key_pairs,
            kms_keys,
            account,
            disk_index,
            instance_index,
            image_index,
            snapshot_index,
            key_pair_index,
            kms_key_index,
        })
    }

    /// The [`World`] one decision reads: it remembers the disk it finds, so
    /// that the look-ups of that disk's instance, image, snapshot and key
    /// need no hashing. Make one per decision (it is cheap: two words).
    pub fn reader(&self) -> Reader<'_> {
        Reader {
            world: self,
            disk: Cell::new(None),
        }
    }

    /// The disks, in the loaded order.
    pub fn disks(&self) -> impl Iterator<Item = &Disk> {
        self.disks.iter().map(|entry| &entry.disk)
    }

    /// The instances, in the loaded order.
    pub fn instances(&self) -> impl Iterator<Item = &Instance> {
        self.instances.iter()
    }

    /// The disks named in `ids` that the world has, each once, in the
    /// loaded order: one hash lookup an id, not a scan of the world.
    pub fn disks_named<'a>(&'a self, ids: &[String]) -> impl Iterator<Item = &'a Disk> + 'a {
        named(&self.disk_index, ids)
            .into_iter()
            .filter_map(|i| self.disks.get(i))
            .map(|entry| &entry.disk)
    }

    /// The instances named in `ids` that the world has, each once, in the
    /// loaded order.
    pub fn instances_named<'a>(
        &'a self,
        ids: &[String],
    ) -> impl Iterator<Item = &'a Instance> + 'a {
        named(&self.instance_index, ids)
            .into_iter()
            .filter_map(|i| self.instances.get(i))
    }

    /// The disk `id`.
    pub fn disk(&self, id: &str) -> Option<&Disk> {
        self.entry(id).map(|entry| &entry.disk)
    }

    /// The instance `id`.
    pub fn instance(&self, id: &str) -> Option<&Instance> {
        self.instance_index
            .get(id)
            .and_then(|&i| self.instances.get(i))
    }

    /// The instance `id`, to change it.
    pub fn instance_mut(&mut self, id: &str) -> Option<&mut Instance> {
        let position = *self.instance_index.get(id)?;
        self.instances.get_mut(position)
    }

    fn entry(&self, id: &str) -> Option<&DiskEntry> {
        self.disk_index.get(id).and_then(|&i| self.disks.get(i))
    }
}

/// A look-up the world cannot make (see [`WorldMut`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolvedError {
    /// No such disk.
    #[error("disk {0:?} does not exist")]
    UnknownDisk(String),
    /// No such instance.
    #[error("instance {0:?} does not exist")]
    UnknownInstance(String),
}

impl WorldMut for ResolvedWorld {
    type Error = ResolvedError;

    fn set_disk_status(&mut self, disk_id: &str, status: DiskStatus) -> Result<(), ResolvedError> {
        let entry = self
            .disk_index
            .get(disk_id)
            .copied()
            .and_then(|i| self.disks.get_mut(i))
            .ok_or_else(|| ResolvedError::UnknownDisk(disk_id.to_owned()))?;
        entry.disk.status = status;
        Ok(())
    }

    fn set_instance_status(
        &mut self,
        instance_id: &str,
        status: InstanceStatus,
    ) -> Result<(), ResolvedError> {
        let instance = self
            .instance_mut(instance_id)
            .ok_or_else(|| ResolvedError::UnknownInstance(instance_id.to_owned()))?;
        instance.status = status;
        if status == InstanceStatus::Running {
            instance.has_started = true;
        }
        Ok(())
    }
}

/// The [`World`] of one decision on a [`ResolvedWorld`]: the disk found
/// first answers the look-ups of what it references without hashing.
#[derive(Debug)]
pub struct Reader<'w> {
    world: &'w ResolvedWorld,
    disk: Cell<Option<&'w DiskEntry>>,
}

impl<'w> Reader<'w> {
    /// The record at the position the current disk resolved, if `id` is its
    /// id; otherwise `None` (the caller then hashes).
    fn resolved<T>(
        &self,
        position: impl Fn(&DiskEntry) -> Option<usize>,
        records: &'w [T],
        record_id: impl Fn(&T) -> &str,
        id: &str,
    ) -> Option<&'w T> {
        let entry = self.disk.get()?;
        let record = records.get(position(entry)?)?;
        same(record_id(record), id).then_some(record)
    }
}

fn look_up<'w, T>(index: &Index, records: &'w [T], id: &str) -> Option<&'w T> {
    index.get(id).and_then(|&i| records.get(i))
}

impl World for Reader<'_> {
    #[inline]
    fn disk(&self, id: &str) -> Option<DiskView<'_>> {
        let entry = self.world.entry(id);
        self.disk.set(entry);
        let entry = entry?;
        Some(
            entry
                .disk
                .view()
                .with_instant_access_snapshot(entry.blocked_by_instant_access),
        )
    }

    #[inline]
    fn instance(&self, id: &str) -> Option<InstanceView<'_>> {
        let world = self.world;
        self.resolved(|e| e.instance, &world.instances, |i| &i.id, id)
            .or_else(|| look_up(&world.instance_index, &world.instances, id))
            .map(Instance::view)
    }

    #[inline]
    fn image(&self, id: &str) -> Option<ImageView<'_>> {
        let world = self.world;
        self.resolved(|e| e.image, &world.images, |i| &i.id, id)
            .or_else(|| look_up(&world.image_index, &world.images, id))
            .map(Image::view)
    }

    #[inline]
    fn snapshot(&self, id: &str) -> Option<SnapshotView<'_>> {
        let world = self.world;
        self.resolved(|e| e.snapshot, &world.snapshots, |s| &s.id, id)
            .or_else(|| look_up(&world.snapshot_index, &world.snapshots, id))
            .map(Snapshot::view)
    }

    fn key_pair(&self, name: &str) -> Option<KeyPairView<'_>> {
        look_up(&self.world.key_pair_index, &self.world.key_pairs, name).map(KeyPair::view)
    }

    #[inline]
    fn kms_key(&self, id: &str) -> Option<KmsKeyView<'_>> {
        let world = self.world;
        self.resolved(|e| e.kms_key, &world.kms_keys, |k| &k.id, id)
            .or_else(|| look_up(&world.kms_key_index, &world.kms_keys, id))
            .map(KmsKey::view)
    }

    fn account(&self) -> Account {
        self.world.account
    }
}
