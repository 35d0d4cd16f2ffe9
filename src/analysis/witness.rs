//! The plainest situation of a point of the space: a request and a world
//! of one disk and what it names.

use crate::checks::Fact;
use crate::model::{
    Account, Disk, DiskSource, DiskView, Image, ImageView, Instance, InstanceView, KeyPair,
    KeyPairView, KmsKey, KmsKeyView, Snapshot, SnapshotView, SourceKind,
};
use crate::request::{Param, Request};
use crate::world::World;

use super::{Class, Space};

/// The ids the witnesses use for what the disk names.
const INSTANCE_ID: &str = "i-1";
const IMAGE_ID: &str = "m-1";
const SNAPSHOT_ID: &str = "s-1";
const INSTANT_ACCESS_SNAPSHOT_ID: &str = "s-instant";
const KMS_KEY_ID: &str = "key-1";

/// A situation: the request's parameters and a world of at most one disk,
/// its instance, its image or source snapshot, a snapshot made from it,
/// its KMS key, a key pair and the account. A [`World`] itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Witness {
    /// The request's parameters, in declaration order.
    pub params: Vec<(Param, &'static str)>,
    /// The disk.
    pub disk: Option<Disk>,
    /// The instance it names.
    pub instance: Option<Instance>,
    /// The image it comes from.
    pub image: Option<Image>,
    /// Its source snapshot, and a snapshot made from it.
    pub snapshots: Vec<Snapshot>,
    /// The key pair the account has.
    pub key_pair: Option<KeyPair>,
    /// The disk's KMS key.
    pub kms_key: Option<KmsKey>,
    /// The account.
    pub account: Account,
}

impl Witness {
    /// The request.
    pub fn request(&self) -> Request<'_> {
        Request::from_params(self.params.iter().map(|(p, v)| (p.as_str(), *v)))
    }

    /// As a scenario under `policy` (what `eval` replays).
    #[cfg(feature = "scenario")]
    pub fn to_scenario(&self, policy: crate::Policy) -> crate::scenario::Scenario {
        crate::scenario::Scenario {
            request: self
                .params
                .iter()
                .map(|(p, v)| (p.as_str().to_owned(), (*v).to_owned()))
                .collect(),
            disks: self.disk.iter().cloned().collect(),
            instances: self.instance.iter().cloned().collect(),
            images: self.image.iter().cloned().collect(),
            snapshots: self.snapshots.clone(),
            key_pairs: self.key_pair.iter().cloned().collect(),
            kms_keys: self.kms_key.iter().cloned().collect(),
            account: self.account,
            policy,
            ..crate::scenario::Scenario::default()
        }
    }
}

impl World for Witness {
    fn disk(&self, id: &str) -> Option<DiskView<'_>> {
        let disk = self.disk.as_ref().filter(|d| d.id == id)?;
        let instant_access = self.snapshots.iter().any(|s| s.blocks_reinit_of(id));
        Some(disk.view().with_instant_access_snapshot(instant_access))
    }
    fn instance(&self, id: &str) -> Option<InstanceView<'_>> {
        self.instance
            .as_ref()
            .filter(|i| i.id == id)
            .map(Instance::view)
    }
    fn image(&self, id: &str) -> Option<ImageView<'_>> {
        self.image.as_ref().filter(|i| i.id == id).map(Image::view)
    }
    fn snapshot(&self, id: &str) -> Option<SnapshotView<'_>> {
        self.snapshots
            .iter()
            .find(|s| s.id == id)
            .map(Snapshot::view)
    }
    fn key_pair(&self, name: &str) -> Option<KeyPairView<'_>> {
        self.key_pair
            .as_ref()
            .filter(|k| k.name == name)
            .map(KeyPair::view)
    }
    fn kms_key(&self, id: &str) -> Option<KmsKeyView<'_>> {
        self.kms_key
            .as_ref()
            .filter(|k| k.id == id)
            .map(KmsKey::view)
    }
    fn account(&self) -> Account {
        self.account
    }
}

impl Space {
    /// The plainest situation of `point`: each fact at its class there,
    /// every fact the space does not hold at the model's default.
    pub fn witness(&self, point: &[u8]) -> Witness {
        let at = |fact: Fact| self.value(point, fact, None);
        let flag = |fact: Fact, default: bool| match at(fact) {
            Some(Class::Flag(yes)) => yes,
            _ => default,
        };
        let mut w = Witness::default();
        for param in Param::ALL {
            if let Some(Class::Text(Some(value))) = self.value(point, Fact::Param, Some(*param)) {
                w.params.push((*param, value));
            }
        }
        w.account.in_volume_white_list = flag(Fact::WhiteListed, w.account.in_volume_white_list);
        w.account.region_supports_login_as_non_root = flag(
            Fact::RegionSupportsNonRoot,
            w.account.region_supports_login_as_non_root,
        );
        // The disk `DiskId` names, if the request names one.
        let disk_id = self
            .axis(Fact::Param, Some(Param::DiskId))
            .and_then(|axis| self.axes.get(axis))
            .and_then(|axis| {
                axis.classes.iter().find_map(|c| match c {
                    Class::Text(Some(id)) if !id.is_empty() => Some(*id),
                    _ => None,
                })
            });
        if let (Some(id), true) = (disk_id, flag(Fact::DiskExists, true)) {
            let mut disk = Disk {
                id: id.to_owned(),
                ..Disk::default()
            };
            if let Some(Class::Category(c)) = at(Fact::Category) {
                disk.category = c;
            }
            if let Some(Class::Attachment { status, attached }) = at(Fact::Attachment) {
                disk.status = status;
                disk.instance_id = attached.then(|| INSTANCE_ID.to_owned());
            }
            if let Some(Class::Locks(locks)) = at(Fact::DiskLocks) {
                disk.operation_locks = locks;
            }
            disk.creating_snapshot = flag(Fact::CreatingSnapshot, disk.creating_snapshot);
            if flag(Fact::MultiAttach, false) {
                disk.multi_attach = crate::model::MultiAttach::Enabled;
            }
            if flag(Fact::InstantAccessSnapshot, false) {
                w.snapshots.push(Snapshot {
                    id: INSTANT_ACCESS_SNAPSHOT_ID.to_owned(),
                    source_disk_id: Some(id.to_owned()),
                    instant_access: true,
                    ..Snapshot::default()
                });
            }
            if flag(Fact::Encrypted, false) {
                disk.kms_key_id = Some(KMS_KEY_ID.to_owned());
                let mut key = KmsKey {
                    id: KMS_KEY_ID.to_owned(),
                    ..KmsKey::default()
                };
                if let Some(Class::KeyState(state)) = at(Fact::KeyState) {
                    key.key_state = state;
                }
                key.ecs_authorized = flag(Fact::KmsAuthorized, key.ecs_authorized);
                key.ecs_tagged = flag(Fact::KmsTagged, key.ecs_tagged);
                w.kms_key = Some(key);
            }
            match at(Fact::Source) {
                Some(Class::Source(SourceKind::Image)) => {
                    disk.source = DiskSource::Image {
                        image_id: IMAGE_ID.to_owned(),
                        snapshot_id: None,
                    };
                    let mut image = Image {
                        id: IMAGE_ID.to_owned(),
                        ..Image::default()
                    };
                    if let Some(Class::ImageOwner(owner)) = at(Fact::ImageOwner) {
                        image.image_owner_alias = owner;
                    }
                    image.deleted = flag(Fact::ImageDeleted, image.deleted);
                    image.login_as_non_root_supported = flag(
                        Fact::ImageNonRootSupported,
                        image.login_as_non_root_supported,
                    );
                    w.image = Some(image);
                }
                Some(Class::Source(SourceKind::Snapshot)) => {
                    disk.source = DiskSource::Snapshot {
                        snapshot_id: SNAPSHOT_ID.to_owned(),
                    };
                    let mut snapshot = Snapshot {
                        id: SNAPSHOT_ID.to_owned(),
                        ..Snapshot::default()
                    };
                    if let Some(Class::Created(time)) = at(Fact::TooOldBoundary) {
                        snapshot.creation_time = time;
                    }
                    snapshot.deleted = flag(Fact::SnapshotDeleted, snapshot.deleted);
                    w.snapshots.insert(0, snapshot);
                }
                _ => disk.source = DiskSource::Empty,
            }
            if disk.instance_id.is_some() {
                let mut instance = Instance {
                    id: INSTANCE_ID.to_owned(),
                    ..Instance::default()
                };
                if let Some(Class::InstanceStatus(status)) = at(Fact::InstanceStatus) {
                    instance.status = status;
                }
                instance.has_started = flag(Fact::HasStarted, instance.has_started);
                if let Some(Class::Locks(locks)) = at(Fact::InstanceLocks) {
                    instance.operation_locks = locks;
                }
                instance.hibernation_configured =
                    flag(Fact::Hibernation, instance.hibernation_configured);
                instance.io_optimized = flag(Fact::IoOptimized, instance.io_optimized);
                if let Some(Class::OsType(os)) = at(Fact::OsType) {
                    instance.os_type = os;
                }
                instance.login_as_non_root = flag(Fact::LoginAsNonRoot, instance.login_as_non_root);
                w.instance = Some(instance);
            }
            w.disk = Some(disk);
        }
        if flag(Fact::KeyPairListed, false) {
            if let Some(Class::Text(Some(name))) =
                self.value(point, Fact::Param, Some(Param::KeyPairName))
            {
                w.key_pair = Some(KeyPair {
                    name: name.to_owned(),
                });
            }
        }
        w
    }
}
