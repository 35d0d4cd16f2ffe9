//! From an ECS record (written by [`Describer`](super::Describer) or read
//! from a captured answer) back to the world's record: the facts the engine
//! reads, and which of them the record did not give.

// Each record is built with struct update syntax even where every field is
// named, so that a fact the model gains keeps its default here (and this
// module compiles) until it is read.
#![allow(
    clippy::needless_update,
    reason = "a fact the model gains later takes its default"
)]

use core::str::FromStr;

use super::records::{Disk, Image, Instance, Snapshot};
use crate::model::{
    self, CreationTime, DiskCategory, DiskSource, DiskStatus, DiskType, ImageOwnerAlias,
    InstanceStatus, LockReason, LockSet, MultiAttach, OsType, ShapeError,
};

/// A world's record read from an ECS record, and the fields it needed that
/// the ECS record lacked (each took the model's default, which
/// docs/ecs.md lists), named as ECS names them (`Status`,
/// `HibernationOptions.Configured`).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Read<T> {
    /// The record.
    pub record: T,
    /// The needed fields that were absent, in the record's field order.
    pub absent: Vec<&'static str>,
}

/// Why an ECS record cannot be read as a world's record.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The record has no id (or an empty one): nothing can name it.
    #[error("a record without {0}")]
    MissingId(&'static str),
    /// A field holds a value the model does not know.
    #[error(
        "{}: {field} {} is not a value ECS gives it",
        crate::echo::Echo(.id),
        crate::echo::Echo(.value)
    )]
    Value {
        /// The record's id (shown as [`Echo`](crate::echo::Echo) shows it:
        /// quoted, escaped, capped).
        id: String,
        /// The field (`Category`).
        field: &'static str,
        /// Its value.
        value: String,
    },
    /// The disk's fields contradict each other (a system disk without an
    /// image, an encrypted disk without a key, ...).
    #[error(transparent)]
    Shape(#[from] ShapeError),
}

/// Collects absent fields and reads values.
struct Reader<'r> {
    id: &'r str,
    absent: Vec<&'static str>,
}

impl<'r> Reader<'r> {
    fn new(id: Option<&'r String>, field: &'static str) -> Result<Self, ReadError> {
        match id.filter(|i| !i.is_empty()) {
            Some(id) => Ok(Self {
                id,
                absent: Vec::new(),
            }),
            None => Err(ReadError::MissingId(field)),
        }
    }

    /// `value`, or the default (noted absent) when it is not given.
    fn or<T>(&mut self, field: &'static str, value: Option<T>, default: T) -> T {
        value.unwrap_or_else(|| {
            self.absent.push(field);
            default
        })
    }

    /// `text` parsed (an unknown value is an error), or the default (noted
    /// absent) when it is not given or empty.
    fn parse<T: FromStr>(
        &mut self,
        field: &'static str,
        text: Option<&String>,
        default: T,
    ) -> Result<T, ReadError> {
        match text.filter(|t| !t.is_empty()) {
            None => Ok(self.or(field, None, default)),
            Some(t) => t.parse().map_err(|_| ReadError::Value {
                id: self.id.to_owned(),
                field,
                value: t.clone(),
            }),
        }
    }

    fn locks<'a>(
        &mut self,
        field: &'static str,
        reasons: Option<impl Iterator<Item = Option<&'a String>>>,
    ) -> Result<LockSet, ReadError> {
        let Some(reasons) = reasons else {
            return Ok(self.or(field, None, LockSet::EMPTY));
        };
        let mut set = LockSet::EMPTY;
        for reason in reasons.flatten() {
            let reason = reason.parse::<LockReason>().map_err(|_| ReadError::Value {
                id: self.id.to_owned(),
                field,
                value: reason.clone(),
            })?;
            set = set.with(reason);
        }
        Ok(set)
    }

    fn done<T>(self, record: T) -> Read<T> {
        Read {
            record,
            absent: self.absent,
        }
    }
}

fn non_empty(value: Option<&String>) -> Option<String> {
    value.filter(|v| !v.is_empty()).cloned()
}

impl Disk {
    /// The world's disk this record describes. `snapshots` are the
    /// account's snapshots as `DescribeSnapshots` lists them: the disk is
    /// creating one when one of them has `SourceDiskId` the disk and
    /// `Status` `progressing` (`DescribeDisks` does not say it); `None`
    /// when they are not known (then `CreatingSnapshot` is absent).
    ///
    /// Absent `Type` is inferred from `ImageId` (a system disk has one);
    /// absent `Status` is `In_use` for an attached disk, `Available`
    /// otherwise; absent `Category` is `cloud_essd`. Each is named in
    /// [`Read::absent`].
    pub fn to_model(&self, snapshots: Option<&[Snapshot]>) -> Result<Read<model::Disk>, ReadError> {
        let mut r = Reader::new(self.disk_id.as_ref(), "DiskId")?;
        let id = r.id.to_owned();
        let image_id = non_empty(self.image_id.as_ref());
        let instance_id = non_empty(self.instance_id.as_ref());
        let inferred = if image_id.is_some() {
            DiskType::System
        } else {
            DiskType::Data
        };
        let disk_type = r.parse("Type", self.r#type.as_ref(), inferred)?;
        let category = r.parse("Category", self.category.as_ref(), DiskCategory::CloudEssd)?;
        let status_default = if instance_id.is_some() {
            DiskStatus::InUse
        } else {
            DiskStatus::Available
        };
        let status = r.parse("Status", self.status.as_ref(), status_default)?;
        let snapshot_id = non_empty(self.source_snapshot_id.as_ref());
        let source = match (disk_type, image_id) {
            (DiskType::System, Some(image_id)) => DiskSource::Image {
                image_id,
                snapshot_id,
            },
            (DiskType::System, None) => return Err(ShapeError::SystemDiskWithoutImage(id).into()),
            (DiskType::Data, Some(_)) => return Err(ShapeError::DataDiskWithImage(id).into()),
            (DiskType::Data, None) => snapshot_id.map_or(DiskSource::Empty, |snapshot_id| {
                DiskSource::Snapshot { snapshot_id }
            }),
        };
        let creating_snapshot = r.or(
            "CreatingSnapshot",
            snapshots.map(|all| {
                all.iter().any(|s| {
                    s.source_disk_id.as_deref() == Some(id.as_str())
                        && s.status.as_deref() == Some("progressing")
                })
            }),
            false,
        );
        let operation_locks = r.locks(
            "OperationLocks",
            self.operation_locks
                .as_ref()
                .map(|l| l.operation_lock.iter().map(|l| l.lock_reason.as_ref())),
        )?;
        let multi_attach = r.parse(
            "MultiAttach",
            self.multi_attach.as_ref(),
            MultiAttach::Disabled,
        )?;
        let encrypted = r.or("Encrypted", self.encrypted, false);
        let kms_key_id = non_empty(self.kms_key_id.as_ref());
        match (encrypted, &kms_key_id) {
            (true, None) => return Err(ShapeError::EncryptedWithoutKey(id).into()),
            (false, Some(_)) => return Err(ShapeError::KeyWithoutEncryption(id).into()),
            _ => {}
        }
        // Struct update: a fact the model gains later keeps its default
        // until this reads it.
        Ok(r.done(model::Disk {
            id,
            category,
            status,
            instance_id,
            source,
            creating_snapshot,
            operation_locks,
            multi_attach,
            kms_key_id,
            ..model::Disk::default()
        }))
    }
}

impl Instance {
    /// The world's instance this record describes. It has started when
    /// `StartTime` is not empty (ECS writes the last start there);
    /// absent fields take the model's defaults (`Stopped`, started, no
    /// lock, `linux`, not hibernating, root login, I/O optimized), each
    /// named in [`Read::absent`].
    pub fn to_model(&self) -> Result<Read<model::Instance>, ReadError> {
        let mut r = Reader::new(self.instance_id.as_ref(), "InstanceId")?;
        let id = r.id.to_owned();
        let status = r.parse("Status", self.status.as_ref(), InstanceStatus::Stopped)?;
        let has_started = r.or(
            "StartTime",
            self.start_time.as_ref().map(|t| !t.is_empty()),
            true,
        );
        let operation_locks = r.locks(
            "OperationLocks",
            self.operation_locks
                .as_ref()
                .map(|l| l.lock_reason.iter().map(|l| l.lock_reason.as_ref())),
        )?;
        let os_type = r.parse("OSType", self.os_type.as_ref(), OsType::Linux)?;
        let hibernation_configured = r.or(
            "HibernationOptions.Configured",
            self.hibernation_options.as_ref().and_then(|h| h.configured),
            false,
        );
        let login_as_non_root = r.or(
            "ImageOptions.LoginAsNonRoot",
            self.image_options
                .as_ref()
                .and_then(|o| o.login_as_non_root),
            false,
        );
        let io_optimized = r.or("IoOptimized", self.io_optimized, true);
        // `StopCharging` is the one mode that differs from what an instance
        // without a mode shows (`KeepCharging`, ECS's default): read as
        // that mode; any other value as none chosen.
        let stopped_mode = (self.stopped_mode.as_deref() == Some("StopCharging"))
            .then_some(model::StoppedMode::StopCharging);
        Ok(r.done(model::Instance {
            id,
            status,
            has_started,
            operation_locks,
            os_type,
            hibernation_configured,
            login_as_non_root,
            io_optimized,
            stopped_mode,
            ..model::Instance::default()
        }))
    }
}

impl Image {
    /// The world's image this record describes (listed, so not deleted).
    pub fn to_model(&self) -> Result<Read<model::Image>, ReadError> {
        let mut r = Reader::new(self.image_id.as_ref(), "ImageId")?;
        let id = r.id.to_owned();
        let image_owner_alias = r.parse(
            "ImageOwnerAlias",
            self.image_owner_alias.as_ref(),
            ImageOwnerAlias::System,
        )?;
        let login_as_non_root_supported = r.or(
            "LoginAsNonRootSupported",
            self.login_as_non_root_supported,
            true,
        );
        Ok(r.done(model::Image {
            id,
            image_owner_alias,
            deleted: false,
            login_as_non_root_supported,
            ..model::Image::default()
        }))
    }
}

impl Snapshot {
    /// The world's snapshot this record describes (listed, so not
    /// deleted). A `CreationTime` that is not a time is an error.
    pub fn to_model(&self) -> Result<Read<model::Snapshot>, ReadError> {
        let mut r = Reader::new(self.snapshot_id.as_ref(), "SnapshotId")?;
        let id = r.id.to_owned();
        let creation_time = r.parse::<CreationTime>(
            "CreationTime",
            self.creation_time.as_ref(),
            CreationTime::EPOCH,
        )?;
        let source_disk_id = non_empty(self.source_disk_id.as_ref());
        let instant_access = r.or("InstantAccess", self.instant_access, false);
        Ok(r.done(model::Snapshot {
            id,
            creation_time,
            deleted: false,
            source_disk_id,
            instant_access,
            ..model::Snapshot::default()
        }))
    }
}
