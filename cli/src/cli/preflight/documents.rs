//! The Describe* responses, read as the official CLI and SDKs print them
//! (`{"Disks": {"Disk": [...]}, "TotalCount": .., "RequestId": ..}`), down to
//! the fields the rules read; every other field is ignored.
//!
//! A field the rules read that a record lacks is `None` (an unknown fact,
//! not an error); a field of the wrong type, or an enum value ECS does not
//! have, is an error naming the file, the JSON path and the accepted values.
//! Only the records the preflight reads are read past their id: a strange
//! value in another disk's record does not stop a preflight of this one.

use std::collections::HashMap;
use std::str::FromStr;

use reinit_disk::echo::Echo;
use reinit_disk::model::{
    CreationTime, DiskCategory, DiskStatus, DiskType, ImageOwnerAlias, InstanceStatus, LockReason,
    LockSet, MultiAttach, OsType,
};
use serde_json::{Map, Value};

use super::pruned::{self, Schema};
use strum::VariantArray;

/// One Describe* response: its file's name, and its records by id.
pub(super) struct Response {
    /// The file, as errors name it.
    pub file: String,
    /// The records, in document order.
    records: Vec<Value>,
    /// Where each record is (`Disks.Disk[3]`), in document order.
    paths: Vec<String>,
    /// The position of each id in `records`.
    by_id: HashMap<String, usize>,
    /// Whether the response lists every record its query matched: false
    /// when `TotalCount` says there are more than this page holds.
    pub complete: bool,
}

/// What a Describe* response is: its outer and inner keys and the field
/// that names a record (`Disks`, `Disk`, `DiskId`).
#[derive(Clone, Copy)]
pub(super) struct Kind {
    action: &'static str,
    /// What to keep of the response.
    schema: Schema,
    outer: &'static str,
    inner: &'static str,
    id: &'static str,
}

pub(super) const DISKS: Kind = Kind {
    action: "DescribeDisks",
    schema: top!("Disks", "Disk", DISK_FIELDS),
    outer: "Disks",
    inner: "Disk",
    id: "DiskId",
};
pub(super) const INSTANCES: Kind = Kind {
    action: "DescribeInstances",
    schema: top!("Instances", "Instance", INSTANCE_FIELDS),
    outer: "Instances",
    inner: "Instance",
    id: "InstanceId",
};
pub(super) const IMAGES: Kind = Kind {
    action: "DescribeImages",
    schema: top!("Images", "Image", IMAGE_FIELDS),
    outer: "Images",
    inner: "Image",
    id: "ImageId",
};
pub(super) const SNAPSHOTS: Kind = Kind {
    action: "DescribeSnapshots",
    schema: top!("Snapshots", "Snapshot", SNAPSHOT_FIELDS),
    outer: "Snapshots",
    inner: "Snapshot",
    id: "SnapshotId",
};
pub(super) const KEY_PAIRS: Kind = Kind {
    action: "DescribeKeyPairs",
    schema: top!("KeyPairs", "KeyPair", KEY_PAIR_FIELDS),
    outer: "KeyPairs",
    inner: "KeyPair",
    id: "KeyPairName",
};

/// The fields the rules read, of each kind of record.
const DISK_FIELDS: &[(&str, Schema)] = &[
    ("DiskId", Schema::Leaf),
    ("Type", Schema::Leaf),
    ("Category", Schema::Leaf),
    ("Status", Schema::Leaf),
    ("InstanceId", Schema::Leaf),
    ("ImageId", Schema::Leaf),
    ("SourceSnapshotId", Schema::Leaf),
    ("MultiAttach", Schema::Leaf),
    ("Encrypted", Schema::Leaf),
    ("KMSKeyId", Schema::Leaf),
    ("OperationLocks", LOCKS),
    (
        "Attachments",
        Schema::Fields(&[(
            "Attachment",
            Schema::Fields(&[("InstanceId", Schema::Leaf)]),
        )]),
    ),
];
const INSTANCE_FIELDS: &[(&str, Schema)] = &[
    ("InstanceId", Schema::Leaf),
    ("Status", Schema::Leaf),
    ("OSType", Schema::Leaf),
    ("IoOptimized", Schema::Leaf),
    (
        "HibernationOptions",
        Schema::Fields(&[("Configured", Schema::Leaf)]),
    ),
    (
        "ImageOptions",
        Schema::Fields(&[("LoginAsNonRoot", Schema::Leaf)]),
    ),
    ("OperationLocks", LOCKS),
];
const IMAGE_FIELDS: &[(&str, Schema)] = &[
    ("ImageId", Schema::Leaf),
    ("ImageOwnerAlias", Schema::Leaf),
    ("LoginAsNonRootSupported", Schema::Leaf),
];
const SNAPSHOT_FIELDS: &[(&str, Schema)] = &[
    ("SnapshotId", Schema::Leaf),
    ("SourceDiskId", Schema::Leaf),
    ("CreationTime", Schema::Leaf),
    ("Status", Schema::Leaf),
    ("InstantAccess", Schema::Leaf),
];
const KEY_PAIR_FIELDS: &[(&str, Schema)] = &[("KeyPairName", Schema::Leaf)];

/// `OperationLocks` in either shape: `{"OperationLock": [{"LockReason":
/// ..}]}` (or `{"LockReason": [..]}`), or the list itself.
const LOCKS: Schema = Schema::Keys(&[("OperationLock", LOCK), ("LockReason", LOCK)]);
const LOCK: Schema = Schema::Fields(&[("LockReason", Schema::Leaf)]);

/// A response's schema: `TotalCount`, the list under `outer`, and whether
/// the other kinds' lists are there (to say what a misplaced response is;
/// `Fields` takes the first entry of a name, so its own list is read).
macro_rules! top {
    ($outer:literal, $inner:literal, $fields:expr) => {
        Schema::Fields(&[
            ("TotalCount", Schema::Leaf),
            ($outer, Schema::Fields(&[($inner, Schema::Fields($fields))])),
            ("Disks", Schema::Skip),
            ("Instances", Schema::Skip),
            ("Images", Schema::Skip),
            ("Snapshots", Schema::Skip),
            ("KeyPairs", Schema::Skip),
        ])
    };
}
use top;

const ALL_KINDS: [Kind; 5] = [DISKS, INSTANCES, IMAGES, SNAPSHOTS, KEY_PAIRS];

impl Response {
    /// Parses `text`, the content of `file`, as a `kind` response.
    pub fn parse(kind: Kind, file: &str, text: &str) -> Result<Self, String> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let document = pruned::read(text, kind.schema).map_err(|e| {
            if e.starts_with("not valid JSON") {
                format!("{file}: {e} (expected a {} response)", kind.action)
            } else {
                format!("{file}: {e}")
            }
        })?;
        let shape = format!(
            "expected a {} response, {{\"{}\": {{\"{}\": [...]}}, ...}}",
            kind.action, kind.outer, kind.inner
        );
        let Value::Object(mut top) = document else {
            return Err(format!(
                "{file}: .: {} found, {shape}",
                type_name(&document)
            ));
        };
        let complete = match top.get("TotalCount") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => match n.as_u64() {
                Some(total) => Some(total),
                None => {
                    return Err(format!(
                        "{file}: TotalCount: the number {n} found, expected a whole number of records"
                    ));
                }
            },
            Some(other) => {
                return Err(format!(
                    "{file}: TotalCount: {} found, expected a whole number of records",
                    type_name(other)
                ));
            }
        };
        let Some(outer) = top.remove(kind.outer) else {
            let looks_like = ALL_KINDS
                .iter()
                .find(|k| top.contains_key(k.outer))
                .map(|k| format!(" (this looks like a {} response)", k.action))
                .unwrap_or_default();
            return Err(format!(
                "{file}: .: no \"{}\" field{looks_like}: {shape}",
                kind.outer
            ));
        };
        let records = match outer {
            Value::Object(mut inner) => match inner.remove(kind.inner) {
                Some(Value::Array(records)) => records,
                Some(other) => {
                    return Err(format!(
                        "{file}: {}.{}: {} found, {shape}",
                        kind.outer,
                        kind.inner,
                        type_name(&other)
                    ));
                }
                None => {
                    return Err(format!(
                        "{file}: {}: no \"{}\" field, {shape}",
                        kind.outer, kind.inner
                    ));
                }
            },
            other => {
                return Err(format!(
                    "{file}: {}: {} found, {shape}",
                    kind.outer,
                    type_name(&other)
                ));
            }
        };
        let mut by_id = HashMap::new();
        let mut paths = Vec::with_capacity(records.len());
        for (i, record) in records.iter().enumerate() {
            let path = format!("{}.{}[{i}]", kind.outer, kind.inner);
            let Value::Object(fields) = record else {
                return Err(format!(
                    "{file}: {path}: {} found, expected an object",
                    type_name(record)
                ));
            };
            let id = match fields.get(kind.id) {
                Some(Value::String(id)) if !id.is_empty() => id.clone(),
                Some(Value::String(_)) => {
                    return Err(format!("{file}: {path}.{}: an id cannot be empty", kind.id));
                }
                Some(other) => {
                    return Err(format!(
                        "{file}: {path}.{}: {} found, expected a string",
                        kind.id,
                        type_name(other)
                    ));
                }
                None => return Err(format!("{file}: {path}: no {} field", kind.id)),
            };
            if let Some(first) = by_id.insert(id.clone(), i) {
                return Err(format!(
                    "{file}: {path}.{}: duplicate id {} (also {}.{}[{first}])",
                    kind.id,
                    Echo(&id),
                    kind.outer,
                    kind.inner
                ));
            }
            paths.push(path);
        }
        let complete = complete.is_none_or(|total| total <= records.len() as u64);
        Ok(Self {
            file: file.to_owned(),
            records,
            paths,
            by_id,
            complete,
        })
    }

    /// The record whose id is `id`, as a reader of its fields.
    pub fn get(&self, id: &str) -> Option<Record<'_>> {
        let i = *self.by_id.get(id)?;
        Some(Record {
            file: &self.file,
            path: self.paths.get(i)?,
            fields: self.records.get(i)?.as_object()?,
        })
    }

    /// Every record, in document order.
    pub fn iter(&self) -> impl Iterator<Item = Record<'_>> {
        self.records
            .iter()
            .zip(&self.paths)
            .filter_map(|(record, path)| {
                Some(Record {
                    file: &self.file,
                    path,
                    fields: record.as_object()?,
                })
            })
    }

    /// The ids, in document order (for an error that lists them).
    pub fn ids(&self) -> Vec<&str> {
        let mut ids: Vec<(&str, usize)> =
            self.by_id.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        ids.sort_by_key(|(_, i)| *i);
        ids.into_iter().map(|(id, _)| id).collect()
    }
}

/// One record of a response: reads its fields, naming the file and the
/// path in every error.
#[derive(Clone, Copy)]
pub(super) struct Record<'a> {
    file: &'a str,
    /// `Disks.Disk[0]`.
    pub path: &'a str,
    fields: &'a Map<String, Value>,
}

impl Record<'_> {
    fn error(&self, field: &str, message: impl std::fmt::Display) -> String {
        format!("{}: {}.{field}: {message}", self.file, self.path)
    }

    /// The field at `field` (dotted: `HibernationOptions.Configured`);
    /// `None` when it, or an object on the way, is absent or null.
    fn value(&self, field: &str) -> Result<Option<&Value>, String> {
        let mut value: Option<&Value> = None;
        let mut fields = self.fields;
        let mut walked = String::new();
        for part in field.split('.') {
            if let Some(v) = value {
                match v {
                    Value::Object(inner) => fields = inner,
                    other => {
                        return Err(self.error(
                            &walked,
                            format_args!("{} found, expected an object", type_name(other)),
                        ));
                    }
                }
            }
            if !walked.is_empty() {
                walked.push('.');
            }
            walked.push_str(part);
            match fields.get(part) {
                None | Some(Value::Null) => return Ok(None),
                Some(v) => value = Some(v),
            }
        }
        Ok(value)
    }

    /// A string field; `None` when absent, null or empty (ECS prints `""`
    /// for a field that has no value, as `InstanceId` of a detached disk).
    pub fn string(&self, field: &str) -> Result<Option<&str>, String> {
        match self.value(field)? {
            None => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.error(
                field,
                format_args!("{} found, expected a string", type_name(other)),
            )),
        }
    }

    /// The `InstanceId` of the first of `Attachments.Attachment`, if any.
    pub fn first_attachment(&self) -> Result<Option<&str>, String> {
        let field = "Attachments.Attachment";
        match self.value(field)? {
            None => Ok(None),
            Some(Value::Array(list)) => match list.first() {
                None => Ok(None),
                Some(Value::Object(a)) => match a.get("InstanceId") {
                    None | Some(Value::Null) => Ok(None),
                    Some(Value::String(id)) if id.is_empty() => Ok(None),
                    Some(Value::String(id)) => Ok(Some(id)),
                    Some(other) => Err(self.error(
                        &format!("{field}[0].InstanceId"),
                        format_args!("{} found, expected a string", type_name(other)),
                    )),
                },
                Some(other) => Err(self.error(
                    &format!("{field}[0]"),
                    format_args!("{} found, expected an object", type_name(other)),
                )),
            },
            Some(other) => Err(self.error(
                field,
                format_args!("{} found, expected a list", type_name(other)),
            )),
        }
    }

    /// A Boolean field (`true`/`false`, as ECS's JSON prints them).
    pub fn boolean(&self, field: &str) -> Result<Option<bool>, String> {
        match self.value(field)? {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.error(
                field,
                format_args!("{} found, expected true or false", type_name(other)),
            )),
        }
    }

    /// An enum field, spelled as ECS spells it.
    pub fn enumerated<T>(&self, field: &str, what: &str) -> Result<Option<T>, String>
    where
        T: FromStr + VariantArray + Copy + Into<&'static str>,
    {
        let Some(text) = self.string(field)? else {
            return Ok(None);
        };
        text.parse().map(Some).map_err(|_| {
            self.error(
                field,
                format_args!(
                    "{} is not {what}: expected one of {}",
                    Echo(text),
                    accepted::<T>()
                ),
            )
        })
    }

    /// A `CreationTime`.
    pub fn creation_time(&self, field: &str) -> Result<Option<CreationTime>, String> {
        let Some(text) = self.string(field)? else {
            return Ok(None);
        };
        text.parse()
            .map(Some)
            .map_err(|e: reinit_disk::model::CreationTimeError| self.error(field, e))
    }

    /// `OperationLocks`, in either of ECS's shapes: an object holding one
    /// list (`{"OperationLock": [{"LockReason": "financial"}]}` in
    /// DescribeDisks, `{"LockReason": [{"LockReason": "security"}]}` in
    /// DescribeInstances), or the list itself (`[{"LockReason": "..."}]`).
    pub fn locks(&self, field: &str) -> Result<Option<LockSet>, String> {
        let shapes = "expected [{\"LockReason\": \"...\"}] or {\"OperationLock\": [...]} (or {\"LockReason\": [...]})";
        let (list, list_path) = match self.value(field)? {
            None => return Ok(None),
            Some(Value::Array(list)) => (list, field.to_owned()),
            Some(Value::Object(inner)) => {
                let mut lists = inner.iter().filter(|(key, _)| {
                    key.as_str() == "OperationLock" || key.as_str() == "LockReason"
                });
                match (lists.next(), lists.next()) {
                    (None, _) if inner.is_empty() => return Ok(Some(LockSet::EMPTY)),
                    (Some((key, Value::Array(list))), None) => (list, format!("{field}.{key}")),
                    (Some((_, Value::Null)), None) => return Ok(Some(LockSet::EMPTY)),
                    _ => {
                        return Err(
                            self.error(field, format_args!("an object of another shape: {shapes}"))
                        );
                    }
                }
            }
            Some(other) => {
                return Err(self.error(field, format_args!("{} found, {shapes}", type_name(other))));
            }
        };
        let mut locks = LockSet::EMPTY;
        for (i, lock) in list.iter().enumerate() {
            let at = format!("{list_path}[{i}].LockReason");
            let reason = match lock.as_object().and_then(|o| o.get("LockReason")) {
                Some(Value::String(reason)) => reason,
                Some(other) => {
                    return Err(self.error(
                        &at,
                        format_args!("{} found, expected a string", type_name(other)),
                    ));
                }
                None => {
                    return Err(self.error(
                        &format!("{list_path}[{i}]"),
                        format_args!(
                            "{} found, expected {{\"LockReason\": \"...\"}}",
                            type_name(lock)
                        ),
                    ));
                }
            };
            let reason: LockReason = reason.parse().map_err(|_| {
                self.error(
                    &at,
                    format_args!(
                        "{} is not a lock reason: expected one of {}",
                        Echo(reason),
                        accepted::<LockReason>()
                    ),
                )
            })?;
            locks = locks.with(reason);
        }
        Ok(Some(locks))
    }
}

/// `In_use, Available, ...`: an enum's values as ECS spells them.
fn accepted<T: VariantArray + Copy + Into<&'static str>>() -> String {
    T::VARIANTS
        .iter()
        .map(|v| (*v).into())
        .collect::<Vec<&str>>()
        .join(", ")
}

/// What a JSON value is, for an error: `a string "x"`, `the number 5`, ...
fn type_name(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {}", Echo(s)),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// A disk of DescribeDisks, down to what the rules read.
pub(super) struct DiskDoc {
    pub path: String,
    pub disk_type: DiskType,
    pub category: Option<DiskCategory>,
    pub status: Option<DiskStatus>,
    pub instance_id: Option<String>,
    pub image_id: Option<String>,
    pub source_snapshot_id: Option<String>,
    pub multi_attach: Option<MultiAttach>,
    pub encrypted: Option<bool>,
    pub kms_key_id: Option<String>,
    pub locks: Option<LockSet>,
}

impl DiskDoc {
    pub fn read(r: Record<'_>) -> Result<Self, String> {
        let disk_type = r
            .enumerated::<DiskType>("Type", "a disk Type")?
            .ok_or_else(|| {
                r.error(
                    "Type",
                    "missing: a disk is a system or a data disk, and the rules depend on which",
                )
            })?;
        let image_id = r.string("ImageId")?.map(str::to_owned);
        if disk_type == DiskType::System && image_id.is_none() {
            return Err(r.error(
                "ImageId",
                "missing: a system disk comes from an image (DescribeDisks shows its ImageId)",
            ));
        }
        // A multi-attach disk shows its instances under Attachments, its
        // InstanceId empty: the first attachment stands for it.
        let instance_id = match r.string("InstanceId")? {
            Some(id) => Some(id.to_owned()),
            None => r.first_attachment()?.map(str::to_owned),
        };
        let status = r.enumerated("Status", "a disk Status")?;
        if status == Some(DiskStatus::InUse) && instance_id.is_none() {
            return Err(r.error(
                "InstanceId",
                "missing: a disk whose Status is In_use is attached, and DescribeDisks shows its InstanceId (or Attachments)",
            ));
        }
        Ok(Self {
            path: r.path.to_owned(),
            disk_type,
            category: r.enumerated("Category", "a disk Category")?,
            status,
            instance_id,
            // A data disk's ImageId is the image of the instance it was
            // made with, if any: the rules do not read it.
            image_id: image_id.filter(|_| disk_type == DiskType::System),
            source_snapshot_id: r.string("SourceSnapshotId")?.map(str::to_owned),
            multi_attach: r.enumerated("MultiAttach", "a MultiAttach value")?,
            encrypted: r.boolean("Encrypted")?,
            kms_key_id: r.string("KMSKeyId")?.map(str::to_owned),
            locks: r.locks("OperationLocks")?,
        })
    }
}

/// An instance of DescribeInstances, down to what the rules read.
pub(super) struct InstanceDoc {
    pub status: Option<InstanceStatus>,
    pub os_type: Option<OsType>,
    pub hibernation_configured: Option<bool>,
    pub io_optimized: Option<bool>,
    pub login_as_non_root: Option<bool>,
    pub locks: Option<LockSet>,
}

impl InstanceDoc {
    pub fn read(r: Record<'_>) -> Result<Self, String> {
        Ok(Self {
            status: r.enumerated("Status", "an instance Status")?,
            os_type: r.enumerated("OSType", "an OSType")?,
            hibernation_configured: r.boolean("HibernationOptions.Configured")?,
            io_optimized: r.boolean("IoOptimized")?,
            login_as_non_root: r.boolean("ImageOptions.LoginAsNonRoot")?,
            locks: r.locks("OperationLocks")?,
        })
    }
}

/// An image of DescribeImages, down to what the rules read.
pub(super) struct ImageDoc {
    pub owner: Option<ImageOwnerAlias>,
    pub login_as_non_root_supported: Option<bool>,
}

impl ImageDoc {
    pub fn read(r: Record<'_>) -> Result<Self, String> {
        Ok(Self {
            owner: r.enumerated("ImageOwnerAlias", "an ImageOwnerAlias")?,
            login_as_non_root_supported: r.boolean("LoginAsNonRootSupported")?,
        })
    }
}

/// `Status` of a snapshot in DescribeSnapshots.
#[derive(
    Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr, strum::VariantArray,
)]
#[strum(serialize_all = "lowercase")]
pub(super) enum SnapshotStatus {
    /// Being created.
    Progressing,
    /// Created.
    Accomplished,
    /// Its creation failed.
    Failed,
}

/// A snapshot of DescribeSnapshots, down to what the rules read.
pub(super) struct SnapshotDoc {
    pub creation_time: Option<CreationTime>,
    pub status: Option<SnapshotStatus>,
    pub instant_access: Option<bool>,
}

impl SnapshotDoc {
    pub fn read(r: Record<'_>) -> Result<Self, String> {
        Ok(Self {
            creation_time: r.creation_time("CreationTime")?,
            status: r.enumerated("Status", "a snapshot Status")?,
            instant_access: r.boolean("InstantAccess")?,
        })
    }

    /// The id of the disk it was made from, if the record says.
    pub fn source_disk_id<'r>(r: &Record<'r>) -> Result<Option<&'r str>, String> {
        match r.fields.get("SourceDiskId") {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if s.is_empty() => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(r.error(
                "SourceDiskId",
                format_args!("{} found, expected a string", type_name(other)),
            )),
        }
    }
}
