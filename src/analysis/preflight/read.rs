//! [`Captured::from_documents`]: the Describe* answers an operator has,
//! read through [`crate::ecs::capture`] (as the official CLI and SDKs print
//! them: one page, or a JSON list of pages) into the SDK's records, each
//! then taken down to what the rules read.
//!
//! A field the rules read that a record lacks is `None` (an unknown fact,
//! not an error); a field of the wrong type (anywhere in a record), or an
//! enum value ECS does not have (in a record the preflight reads), is an
//! error naming the file, the JSON path and the accepted values. Only the
//! records the preflight reads are read past their id (each record's
//! reading is kept in its [`Listed::read`]): a strange value in another
//! disk's `Status` does not stop a preflight of this one.

use std::str::FromStr;

use strum::VariantArray;

use super::{
    Captured, Listed, Listing, ShownDisk, ShownImage, ShownInstance, ShownSnapshot, SnapshotFacts,
};
use crate::echo::Echo;
use crate::ecs::capture::{Answers, CaptureError, Kind, Origin};
use crate::ecs::{Disk, Image, Instance, Snapshot};
use crate::model::{CreationTimeError, DiskStatus, DiskType, LockReason, LockSet};

/// One captured answer: the name its errors give its file, and its text.
#[derive(Clone, Copy, Debug)]
pub struct Document<'a> {
    /// The file (`disks.json`), as errors name it.
    pub file: &'a str,
    /// Its content: one Describe* answer, or a JSON list of them.
    pub text: &'a str,
}

/// The answers a preflight reads: DescribeDisks and DescribeInstances
/// always, the others when the operator has them.
#[derive(Clone, Copy, Debug)]
pub struct Documents<'a> {
    /// DescribeDisks.
    pub disks: Document<'a>,
    /// DescribeInstances.
    pub instances: Document<'a>,
    /// DescribeImages.
    pub images: Option<Document<'a>>,
    /// DescribeSnapshots.
    pub snapshots: Option<Document<'a>>,
    /// DescribeKeyPairs.
    pub key_pairs: Option<Document<'a>>,
}

impl Captured {
    /// Reads each document as the answer its place says (a DescribeDisks
    /// answer for `disks`, ...). An error is one line naming the file, the
    /// JSON path and what was expected; an error in a record is kept with
    /// it ([`Listed::read`]), as only the records the preflight reads stop
    /// it.
    pub fn from_documents(documents: &Documents<'_>) -> Result<Self, String> {
        Ok(Self {
            disks: listing(
                Kind::Disks,
                documents.disks,
                |a| a.disks,
                |r| &r.disk_id,
                disk,
            )?,
            instances: listing(
                Kind::Instances,
                documents.instances,
                |a| a.instances,
                |r| &r.instance_id,
                instance,
            )?,
            images: (documents.images)
                .map(|d| listing(Kind::Images, d, |a| a.images, |r| &r.image_id, image))
                .transpose()?,
            snapshots: (documents.snapshots)
                .map(|d| {
                    listing(
                        Kind::Snapshots,
                        d,
                        |a| a.snapshots,
                        |r| &r.snapshot_id,
                        snapshot,
                    )
                })
                .transpose()?,
            key_pairs: (documents.key_pairs)
                .map(|d| {
                    listing(
                        Kind::KeyPairs,
                        d,
                        |a| a.key_pairs,
                        |r| &r.key_pair_name,
                        |_, _| Ok(()),
                    )
                })
                .transpose()?,
        })
    }
}

/// Reads `document` as a `kind` answer, each record's id through `id` and
/// the rest through `shown`.
fn listing<R, T>(
    kind: Kind,
    document: Document<'_>,
    records: fn(Answers) -> Vec<(Origin, R)>,
    id: fn(&R) -> &Option<String>,
    shown: fn(&At<'_>, &R) -> Result<T, String>,
) -> Result<Listing<T>, String> {
    let Document { file, text } = document;
    let answers = answers(kind, file, text)?;
    let complete = answers.complete(kind);
    let field = kind.id_field();
    let records = records(answers)
        .into_iter()
        .map(|(origin, record)| {
            let at = At {
                file,
                path: &origin.path,
            };
            match id(&record).as_deref() {
                // Duplicates were refused by the reader.
                Some(id) if !id.is_empty() => Ok(Listed {
                    id: id.to_owned(),
                    read: shown(&at, &record),
                }),
                Some(_) => Err(at.error(field, "an id cannot be empty")),
                None => Err(format!("{file}: {}: no {field} field", origin.path)),
            }
        })
        .collect::<Result<_, _>>()?;
    Ok(Listing {
        file: file.to_owned(),
        complete,
        records,
    })
}

/// The answers of `text`, all of them `kind`'s, or why not.
fn answers(kind: Kind, file: &str, text: &str) -> Result<Answers, String> {
    let (outer, inner) = kind.list();
    let action = kind.action();
    let shape =
        format!("expected a {action} response, {{\"{outer}\": {{\"{inner}\": [...]}}, ...}}");
    let mut answers = Answers::new();
    answers.add(file, text).map_err(|e| match e {
        CaptureError::Json { file, message, .. } if message.starts_with("not valid JSON") => {
            format!("{file}: {message} (expected a {action} response)")
        }
        CaptureError::Unrecognised { file, path, found } => {
            format!("{file}: {path}: {found}: {shape}")
        }
        other => other.to_string(),
    })?;
    if !answers.kinds.contains(&kind) {
        let looks_like = (answers.kinds.first())
            .map(|k| format!(" (this looks like a {} response)", k.action()))
            .unwrap_or_default();
        return Err(format!(
            "{file}: .: no \"{outer}\" field{looks_like}: {shape}"
        ));
    }
    if let Some(other) = answers.kinds.iter().find(|k| **k != kind) {
        return Err(format!(
            "{file}: a {} page among the {action} pages: {shape}",
            other.action()
        ));
    }
    Ok(answers)
}

/// Where a record is: every error names its file, its path and the field.
struct At<'a> {
    file: &'a str,
    /// `Disks.Disk[0]`.
    path: &'a str,
}

impl At<'_> {
    fn error(&self, field: &str, message: impl std::fmt::Display) -> String {
        format!("{}: {}.{field}: {message}", self.file, self.path)
    }

    /// An enum field, spelled as ECS spells it (`what`: `a disk Status`);
    /// `None` when absent or empty.
    fn enumerated<T>(
        &self,
        field: &str,
        text: Option<&String>,
        what: &str,
    ) -> Result<Option<T>, String>
    where
        T: FromStr + VariantArray + Copy + Into<&'static str>,
    {
        string(text)
            .map(|text| {
                text.parse().map_err(|_| {
                    self.error(
                        field,
                        format_args!(
                            "{} is not {what}: expected one of {}",
                            Echo(text),
                            accepted::<T>()
                        ),
                    )
                })
            })
            .transpose()
    }

    /// `OperationLocks`' reasons (`None` when the field is absent), at
    /// `list` (`OperationLocks.OperationLock`).
    fn locks<'r>(
        &self,
        list: &str,
        reasons: Option<impl Iterator<Item = Option<&'r String>>>,
    ) -> Result<Option<LockSet>, String> {
        let Some(reasons) = reasons else {
            return Ok(None);
        };
        let mut locks = LockSet::EMPTY;
        for (i, reason) in reasons.enumerate() {
            let at = format!("{list}[{i}].LockReason");
            let reason = self
                .enumerated::<LockReason>(&at, reason, "a lock reason")?
                .ok_or_else(|| self.error(&at, "missing: a lock names its reason"))?;
            locks = locks.with(reason);
        }
        Ok(Some(locks))
    }
}

/// A string field; `None` when absent or empty (ECS prints `""` for a
/// field that has no value, as `InstanceId` of a detached disk).
fn string(value: Option<&String>) -> Option<&str> {
    value.map(String::as_str).filter(|s| !s.is_empty())
}

fn owned(value: Option<&String>) -> Option<String> {
    string(value).map(str::to_owned)
}

/// `In_use, Available, ...`: an enum's values as ECS spells them.
fn accepted<T: VariantArray + Copy + Into<&'static str>>() -> String {
    let names: Vec<&str> = T::VARIANTS.iter().map(|v| (*v).into()).collect();
    names.join(", ")
}

fn disk(at: &At<'_>, d: &Disk) -> Result<ShownDisk, String> {
    let disk_type = at
        .enumerated::<DiskType>("Type", d.r#type.as_ref(), "a disk Type")?
        .ok_or_else(|| {
            at.error(
                "Type",
                "missing: a disk is a system or a data disk, and the rules depend on which",
            )
        })?;
    let image_id = owned(d.image_id.as_ref());
    if disk_type == DiskType::System && image_id.is_none() {
        return Err(at.error(
            "ImageId",
            "missing: a system disk comes from an image (DescribeDisks shows its ImageId)",
        ));
    }
    // A multi-attach disk shows its instances under Attachments, its
    // InstanceId empty: the first attachment stands for it.
    let instance_id = owned(d.instance_id.as_ref()).or_else(|| {
        let first = d.attachments.as_ref().and_then(|a| a.attachment.first());
        first.and_then(|a| owned(a.instance_id.as_ref()))
    });
    let status = at.enumerated("Status", d.status.as_ref(), "a disk Status")?;
    if status == Some(DiskStatus::InUse) && instance_id.is_none() {
        return Err(at.error(
            "InstanceId",
            "missing: a disk whose Status is In_use is attached, and DescribeDisks shows its InstanceId (or Attachments)",
        ));
    }
    Ok(ShownDisk {
        path: at.path.to_owned(),
        disk_type,
        category: at.enumerated("Category", d.category.as_ref(), "a disk Category")?,
        status,
        instance_id,
        // A data disk's ImageId is the image of the instance it was made
        // with, if any: the rules do not read it.
        image_id: image_id.filter(|_| disk_type == DiskType::System),
        source_snapshot_id: owned(d.source_snapshot_id.as_ref()),
        multi_attach: at.enumerated(
            "MultiAttach",
            d.multi_attach.as_ref(),
            "a MultiAttach value",
        )?,
        encrypted: d.encrypted,
        kms_key_id: owned(d.kms_key_id.as_ref()),
        locks: at.locks(
            "OperationLocks.OperationLock",
            (d.operation_locks.as_ref())
                .map(|l| l.operation_lock.iter().map(|l| l.lock_reason.as_ref())),
        )?,
    })
}

fn instance(at: &At<'_>, i: &Instance) -> Result<ShownInstance, String> {
    Ok(ShownInstance {
        status: at.enumerated("Status", i.status.as_ref(), "an instance Status")?,
        os_type: at.enumerated("OSType", i.os_type.as_ref(), "an OSType")?,
        hibernation_configured: i.hibernation_options.as_ref().and_then(|h| h.configured),
        io_optimized: i.io_optimized,
        login_as_non_root: i.image_options.as_ref().and_then(|o| o.login_as_non_root),
        locks: at.locks(
            "OperationLocks.LockReason",
            (i.operation_locks.as_ref())
                .map(|l| l.lock_reason.iter().map(|l| l.lock_reason.as_ref())),
        )?,
        has_started: i.start_time.as_ref().map(|t| !t.is_empty()),
    })
}

fn image(at: &At<'_>, i: &Image) -> Result<ShownImage, String> {
    Ok(ShownImage {
        owner: at.enumerated(
            "ImageOwnerAlias",
            i.image_owner_alias.as_ref(),
            "an ImageOwnerAlias",
        )?,
        login_as_non_root_supported: i.login_as_non_root_supported,
    })
}

/// `Status` of a snapshot in DescribeSnapshots.
#[derive(
    Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr, strum::VariantArray,
)]
#[strum(serialize_all = "lowercase")]
enum SnapshotStatus {
    /// Being created.
    Progressing,
    /// Created.
    Accomplished,
    /// Its creation failed.
    Failed,
}

fn snapshot(at: &At<'_>, s: &Snapshot) -> Result<ShownSnapshot, String> {
    let facts = || -> Result<SnapshotFacts, String> {
        let creation_time = string(s.creation_time.as_ref())
            .map(|text| {
                text.parse()
                    .map_err(|e: CreationTimeError| at.error("CreationTime", e))
            })
            .transpose()?;
        let status =
            at.enumerated::<SnapshotStatus>("Status", s.status.as_ref(), "a snapshot Status")?;
        Ok(SnapshotFacts {
            creation_time,
            progressing: status.map(|st| st == SnapshotStatus::Progressing),
            instant_access: s.instant_access,
        })
    };
    Ok(ShownSnapshot {
        source_disk_id: owned(s.source_disk_id.as_ref()),
        facts: facts(),
    })
}
