//! Disks: their type, category, status and source.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumCount, EnumIter, EnumString, IntoStaticStr, VariantArray};

use super::LockSet;

/// `Type` of a disk in ECS.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Display,
    EnumString,
    EnumIter,
    EnumCount,
    IntoStaticStr,
    VariantArray,
    Serialize,
    Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum DiskType {
    /// `system`: the instance's boot disk, created from an image.
    #[strum(serialize = "system")]
    #[serde(rename = "system")]
    System,
    /// `data`: created empty or from a snapshot.
    #[strum(serialize = "data")]
    #[serde(rename = "data")]
    Data,
}

/// `Category` of a disk in ECS: all thirteen values ECS lists.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Display,
    EnumString,
    EnumIter,
    EnumCount,
    IntoStaticStr,
    VariantArray,
    Serialize,
    Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DiskCategory {
    /// `cloud`: basic disk.
    Cloud,
    /// `cloud_efficiency`: ultra disk.
    CloudEfficiency,
    /// `cloud_ssd`: standard SSD.
    CloudSsd,
    /// `cloud_essd`: enhanced SSD.
    CloudEssd,
    /// `cloud_auto`: ESSD AutoPL.
    CloudAuto,
    /// `cloud_regional_disk_auto`: regional ESSD.
    CloudRegionalDiskAuto,
    /// `cloud_essd_entry`: ESSD Entry.
    CloudEssdEntry,
    /// `elastic_ephemeral_disk_standard`: standard elastic ephemeral disk.
    ElasticEphemeralDiskStandard,
    /// `elastic_ephemeral_disk_premium`: premium elastic ephemeral disk.
    ElasticEphemeralDiskPremium,
    /// `local_ssd_pro`: I/O-intensive local disk.
    LocalSsdPro,
    /// `local_hdd_pro`: throughput-intensive local disk.
    LocalHddPro,
    /// `ephemeral`: retired local disk.
    Ephemeral,
    /// `ephemeral_ssd`: retired local SSD.
    EphemeralSsd,
}

impl DiskCategory {
    const fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

/// A set of disk categories (a bit set: `Copy`, no allocation).
///
/// Serialized as a list of category names.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "Vec<DiskCategory>", into = "Vec<DiskCategory>")]
pub struct CategorySet(u16);

super::bit_set!(CategorySet, DiskCategory, u16, "categories");

impl CategorySet {
    /// The set of `categories`.
    pub const fn of(categories: &[DiskCategory]) -> Self {
        let mut bits = 0;
        let mut rest = categories;
        while let [first, tail @ ..] = rest {
            bits |= first.bit();
            rest = tail;
        }
        Self(bits)
    }
}

/// `Status` of a disk in ECS.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Display,
    EnumString,
    EnumIter,
    EnumCount,
    IntoStaticStr,
    VariantArray,
    Serialize,
    Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum DiskStatus {
    /// `In_use`: attached to an instance.
    #[strum(serialize = "In_use")]
    #[serde(rename = "In_use")]
    InUse,
    /// `Available`: not attached.
    Available,
    /// `Attaching`: being attached.
    Attaching,
    /// `Detaching`: being detached.
    Detaching,
    /// `Creating`: being created.
    Creating,
    /// `ReIniting`: being re-initialized.
    ReIniting,
}

/// `MultiAttach` of a disk in ECS: whether it can be attached to several
/// instances at once.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Hash,
    Display,
    EnumString,
    EnumIter,
    EnumCount,
    IntoStaticStr,
    VariantArray,
    Serialize,
    Deserialize,
)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum MultiAttach {
    /// `Disabled` (default): attached to one instance at most.
    #[default]
    Disabled,
    /// `Enabled`: a multi-attach disk.
    Enabled,
}

/// What a disk was created from, and so what `ReInitDisk` resets it to.
///
/// The disk's [`DiskType`] follows from this: only a system disk has an image.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub enum DiskSource {
    /// A system disk, created from the image `image_id`.
    Image {
        /// `ImageId`: the image the system disk was created from.
        image_id: String,
        /// `SourceSnapshotId` as `DescribeDisks` may show it for a system
        /// disk; kept, never read: the image decides.
        snapshot_id: Option<String>,
    },
    /// A data disk created from the snapshot `snapshot_id`.
    Snapshot {
        /// `SourceSnapshotId`: the snapshot the data disk was created from.
        snapshot_id: String,
    },
    /// A data disk created empty.
    Empty,
}

impl DiskSource {
    /// The disk type this source implies.
    pub const fn disk_type(&self) -> DiskType {
        match self {
            Self::Image { .. } => DiskType::System,
            Self::Snapshot { .. } | Self::Empty => DiskType::Data,
        }
    }

    /// The source, borrowed: what a re-init resets the disk to.
    pub fn as_source(&self) -> Source<'_> {
        match self {
            Self::Image { image_id, .. } => Source::Image(image_id),
            Self::Snapshot { snapshot_id } => Source::Snapshot(snapshot_id),
            Self::Empty => Source::Empty,
        }
    }
}

/// What a disk was created from, borrowed: and so what a re-init resets it
/// to. The one source type of the crate: a [`DiskView`] has one, and so has
/// an accepted request's [`Target`](crate::Target).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source<'a> {
    /// A system disk: the image it was created from.
    Image(&'a str),
    /// A data disk created from a snapshot: that snapshot.
    Snapshot(&'a str),
    /// A data disk created empty.
    Empty,
}

impl<'a> Source<'a> {
    /// The disk type this source implies.
    pub const fn disk_type(self) -> DiskType {
        match self {
            Self::Image(_) => DiskType::System,
            Self::Snapshot(_) | Self::Empty => DiskType::Data,
        }
    }

    /// The kind of source, without its id.
    pub const fn kind(self) -> SourceKind {
        match self {
            Self::Image(_) => SourceKind::Image,
            Self::Snapshot(_) => SourceKind::Snapshot,
            Self::Empty => SourceKind::Empty,
        }
    }

    /// The image or snapshot id; `None` for an empty disk.
    pub const fn id(self) -> Option<&'a str> {
        match self {
            Self::Image(id) | Self::Snapshot(id) => Some(id),
            Self::Empty => None,
        }
    }
}

/// The kind of a [`Source`], as decisions spell it (`ResetTo`).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Display,
    EnumString,
    EnumIter,
    IntoStaticStr,
    VariantArray,
    Serialize,
    Deserialize,
)]
pub enum SourceKind {
    /// `Image`.
    Image,
    /// `Snapshot`.
    Snapshot,
    /// `Empty`.
    Empty,
}

/// A disk as the checks read it, borrowed from whatever store holds it: an
/// emulator builds one from its own record without copying a string.
///
/// Built with [`DiskView::new`] and the `with_*` methods, so that a fact a
/// later revision reads arrives with its default and no embedder breaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DiskView<'a> {
    /// `DiskId`.
    pub id: &'a str,
    /// `Category`.
    pub category: DiskCategory,
    /// `Status`.
    pub status: DiskStatus,
    /// `InstanceId`: the instance it is attached to, if any.
    pub instance_id: Option<&'a str>,
    /// What it was created from (and so its `Type`).
    pub source: Source<'a>,
    /// Whether a snapshot of it is being created.
    pub creating_snapshot: bool,
    /// `OperationLocks`: the disk's own locks (default none).
    pub operation_locks: LockSet,
    /// `MultiAttach` (default `Disabled`).
    pub multi_attach: MultiAttach,
    /// `KMSKeyId`: the key an encrypted disk is encrypted with; `None` for
    /// a disk that is not encrypted (default).
    pub kms_key_id: Option<&'a str>,
    /// Whether a snapshot made from this disk, not deleted, has instant
    /// access enabled (default `false`). Not a field ECS shows on the disk:
    /// the store derives it from its snapshots (`SourceDiskId`,
    /// `InstantAccess`), so that reading it costs no second look-up.
    pub has_instant_access_snapshot: bool,
}

impl<'a> DiskView<'a> {
    /// A disk attached to nothing, with no snapshot in progress and no lock.
    pub const fn new(
        id: &'a str,
        category: DiskCategory,
        status: DiskStatus,
        source: Source<'a>,
    ) -> Self {
        Self {
            id,
            category,
            status,
            instance_id: None,
            source,
            creating_snapshot: false,
            operation_locks: LockSet::EMPTY,
            multi_attach: MultiAttach::Disabled,
            kms_key_id: None,
            has_instant_access_snapshot: false,
        }
    }

    /// The same disk, attached to `instance_id` (or to nothing).
    #[must_use]
    pub const fn with_instance(mut self, instance_id: Option<&'a str>) -> Self {
        self.instance_id = instance_id;
        self
    }

    /// The same disk, with a snapshot of it in progress or not.
    #[must_use]
    pub const fn with_creating_snapshot(mut self, creating_snapshot: bool) -> Self {
        self.creating_snapshot = creating_snapshot;
        self
    }

    /// The same disk, with these locks.
    #[must_use]
    pub const fn with_operation_locks(mut self, operation_locks: LockSet) -> Self {
        self.operation_locks = operation_locks;
        self
    }

    /// The same disk, multi-attach or not.
    #[must_use]
    pub const fn with_multi_attach(mut self, multi_attach: MultiAttach) -> Self {
        self.multi_attach = multi_attach;
        self
    }

    /// The same disk, encrypted with the KMS key `kms_key_id` (or not
    /// encrypted).
    #[must_use]
    pub const fn with_kms_key(mut self, kms_key_id: Option<&'a str>) -> Self {
        self.kms_key_id = kms_key_id;
        self
    }

    /// The same disk, with a snapshot with instant access or not.
    #[must_use]
    pub const fn with_instant_access_snapshot(mut self, has: bool) -> Self {
        self.has_instant_access_snapshot = has;
        self
    }

    /// `Type`, from the source.
    pub const fn disk_type(&self) -> DiskType {
        self.source.disk_type()
    }

    /// `Encrypted`: whether it has a KMS key.
    pub const fn encrypted(&self) -> bool {
        self.kms_key_id.is_some()
    }
}

/// A disk, as `ReInitDisk` sees it.
///
/// Serialized in ECS's flat form (`DiskId`, `Type`, `Category`, `Status`,
/// `InstanceId`, `ImageId`, `SourceSnapshotId`, `CreatingSnapshot`,
/// `OperationLocks`, `MultiAttach`, `Encrypted`, `KMSKeyId`); deserializing
/// refuses a system disk without an `ImageId`, a data disk with one, an
/// encrypted disk without a `KMSKeyId` and a `KMSKeyId` on a disk that is
/// not encrypted.
///
/// [`Disk::default`] is a blank record with every fact at its default, to
/// fill with struct update syntax (`Disk { id: "d-1".into(), ..Disk::default() }`),
/// so that a fact a later revision adds does not break the code that builds
/// disks.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[serde(try_from = "DiskRecord", into = "DiskRecord")]
pub struct Disk {
    /// `DiskId`.
    pub id: String,
    /// `Category`.
    pub category: DiskCategory,
    /// `Status`.
    pub status: DiskStatus,
    /// `InstanceId`: the instance the disk is attached to, if any.
    pub instance_id: Option<String>,
    /// What the disk was created from.
    pub source: DiskSource,
    /// Whether a snapshot of this disk is being created right now.
    pub creating_snapshot: bool,
    /// `OperationLocks`: the disk's own locks (default none). A financial
    /// one refuses the re-init as the instance's do.
    pub operation_locks: LockSet,
    /// `MultiAttach` (default `Disabled`).
    pub multi_attach: MultiAttach,
    /// `KMSKeyId`: the KMS key of an encrypted disk (`Encrypted: true`);
    /// `None` for a disk that is not encrypted (default).
    pub kms_key_id: Option<String>,
}

/// A blank data disk: no id, `cloud_essd`, `Available`, created empty, every
/// other fact at its default.
impl Default for Disk {
    fn default() -> Self {
        Self {
            id: String::new(),
            category: DiskCategory::CloudEssd,
            status: DiskStatus::Available,
            instance_id: None,
            source: DiskSource::Empty,
            creating_snapshot: false,
            operation_locks: LockSet::EMPTY,
            multi_attach: MultiAttach::Disabled,
            kms_key_id: None,
        }
    }
}

impl Disk {
    /// `Type`, derived from the source.
    pub const fn disk_type(&self) -> DiskType {
        self.source.disk_type()
    }

    /// The disk as the checks read it.
    pub fn view(&self) -> DiskView<'_> {
        DiskView::new(
            &self.id,
            self.category,
            self.status,
            self.source.as_source(),
        )
        .with_instance(self.instance_id.as_deref())
        .with_creating_snapshot(self.creating_snapshot)
        .with_operation_locks(self.operation_locks)
        .with_multi_attach(self.multi_attach)
        .with_kms_key(self.kms_key_id.as_deref())
    }
}

/// The flat ECS shape of a disk, as scenarios and `DescribeDisks` spell it.
#[derive(Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields, rename_all = "PascalCase")]
struct DiskRecord {
    disk_id: String,
    #[serde(rename = "Type")]
    disk_type: DiskType,
    category: DiskCategory,
    status: DiskStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    instance_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    image_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source_snapshot_id: Option<String>,
    #[serde(default)]
    creating_snapshot: bool,
    #[serde(default, skip_serializing_if = "no_lock")]
    operation_locks: LockSet,
    #[serde(default, skip_serializing_if = "not_multi_attach")]
    multi_attach: MultiAttach,
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    encrypted: bool,
    #[serde(rename = "KMSKeyId", default, skip_serializing_if = "Option::is_none")]
    kms_key_id: Option<String>,
}

crate::map_only::map_only!(DiskRecord, DiskRecord, "a disk");

#[cfg(feature = "ecs")]
impl Disk {
    /// The keys a disk record is read from in a scenario, as its serde derive
    /// declares them (the rest of a record's keys are ECS's own fields:
    /// `crate::ecs::Fields`).
    pub(crate) fn record_keys() -> &'static [&'static str] {
        crate::map_only::struct_fields(|d| DiskRecord::deserialize(d))
    }
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn no_lock(locks: &LockSet) -> bool {
    locks.is_empty()
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn not_multi_attach(multi_attach: &MultiAttach) -> bool {
    *multi_attach == MultiAttach::Disabled
}

/// A disk shape the real service cannot have. Its message names the disk
/// as [`Echo`](crate::echo::Echo) shows a value (quoted, escaped, capped).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShapeError {
    /// A system disk always comes from an image.
    #[error("disk {}: a system disk needs an ImageId", crate::echo::Echo(.0))]
    SystemDiskWithoutImage(String),
    /// Only system disks come from an image.
    #[error(
        "disk {}: a data disk cannot have an ImageId (only system disks come from an image)",
        crate::echo::Echo(.0)
    )]
    DataDiskWithImage(String),
    /// An encrypted disk names its key.
    #[error("disk {}: an encrypted disk (Encrypted: true) needs a KMSKeyId", crate::echo::Echo(.0))]
    EncryptedWithoutKey(String),
    /// Only an encrypted disk has a key.
    #[error(
        "disk {}: a KMSKeyId needs Encrypted: true (a disk that is not encrypted has no key)",
        crate::echo::Echo(.0)
    )]
    KeyWithoutEncryption(String),
}

impl TryFrom<DiskRecord> for Disk {
    type Error = ShapeError;

    fn try_from(r: DiskRecord) -> Result<Self, ShapeError> {
        let source = match (r.disk_type, r.image_id, r.source_snapshot_id) {
            (DiskType::System, Some(image_id), snapshot_id) => DiskSource::Image {
                image_id,
                snapshot_id,
            },
            (DiskType::System, None, _) => {
                return Err(ShapeError::SystemDiskWithoutImage(r.disk_id));
            }
            (DiskType::Data, Some(_), _) => return Err(ShapeError::DataDiskWithImage(r.disk_id)),
            (DiskType::Data, None, Some(snapshot_id)) => DiskSource::Snapshot { snapshot_id },
            (DiskType::Data, None, None) => DiskSource::Empty,
        };
        // An empty KMSKeyId, as DescribeDisks shows it for a disk that is
        // not encrypted, is no key.
        let kms_key_id = r.kms_key_id.filter(|k| !k.is_empty());
        match (r.encrypted, &kms_key_id) {
            (true, None) => return Err(ShapeError::EncryptedWithoutKey(r.disk_id)),
            (false, Some(_)) => return Err(ShapeError::KeyWithoutEncryption(r.disk_id)),
            _ => {}
        }
        Ok(Self {
            id: r.disk_id,
            category: r.category,
            status: r.status,
            instance_id: r.instance_id,
            source,
            creating_snapshot: r.creating_snapshot,
            operation_locks: r.operation_locks,
            multi_attach: r.multi_attach,
            kms_key_id,
        })
    }
}

impl From<Disk> for DiskRecord {
    fn from(d: Disk) -> Self {
        let disk_type = d.disk_type();
        let (image_id, source_snapshot_id) = match d.source {
            DiskSource::Image {
                image_id,
                snapshot_id,
            } => (Some(image_id), snapshot_id),
            DiskSource::Snapshot { snapshot_id } => (None, Some(snapshot_id)),
            DiskSource::Empty => (None, None),
        };
        Self {
            disk_id: d.id,
            disk_type,
            category: d.category,
            status: d.status,
            instance_id: d.instance_id,
            image_id,
            source_snapshot_id,
            creating_snapshot: d.creating_snapshot,
            operation_locks: d.operation_locks,
            multi_attach: d.multi_attach,
            encrypted: d.kms_key_id.is_some(),
            kms_key_id: d.kms_key_id,
        }
    }
}
