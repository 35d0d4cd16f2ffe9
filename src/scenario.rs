//! Scenarios: a request and a small world in one JSON document, and the
//! decision `evaluate` takes on it. The CLI's input and output format.
//!
//! ```json
//! {"Request": {"Action": "ReInitDisk", "DiskId": "d-1"},
//!  "Disks": [{"DiskId": "d-1", "Type": "data", "Category": "cloud_essd",
//!             "Status": "In_use", "InstanceId": "i-1"}],
//!  "Instances": [{"InstanceId": "i-1", "Status": "Stopped"}]}
//! ```
//!
//! Field names are PascalCase and values are spelled as ECS spells them.
//! Unknown fields are refused, except in `Request`, which holds the raw
//! parameters a client sent (all strings; unknown ones are ignored as the
//! real service ignores `RegionId`, `Format` and the like).

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};

use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use serde_path_to_error::{Path, Segment};

use crate::catalogue::Code;
use crate::checks::Check;
use crate::echo::{Echo, cap_message};
use crate::ecs::{Entry, Fields, Kind, Records};
use crate::engine::evaluate;
use crate::model::{
    Account, Disk, DiskSource, DiskStatus, DiskView, Image, ImageView, Instance, InstanceView,
    KeyPair, KeyPairView, KmsKey, KmsKeyView, Snapshot, SnapshotView,
};
use crate::outcome::{OwnedTarget, Rejection, Target};
use crate::policy::Policy;
use crate::request::{Param, Request};
use crate::revision::Revision;
use crate::transition::Scheduled;
use crate::world::World;

/// A request and the world it runs against.
///
/// Its `Debug` never shows a `Password` value.
#[derive(Clone, Default, PartialEq)]
pub struct Scenario {
    /// `Description`: what the scenario shows, for the reader; not read.
    pub description: Option<String>,
    /// `Request`: the raw request parameters, name to value. A name given
    /// twice is refused.
    pub request: BTreeMap<String, String>,
    /// `Disks`.
    pub disks: Vec<Disk>,
    /// `Instances`.
    pub instances: Vec<Instance>,
    /// `Images`, deleted ones included (`"Deleted": true`).
    pub images: Vec<Image>,
    /// `Snapshots`, deleted ones included (`"Deleted": true`).
    pub snapshots: Vec<Snapshot>,
    /// `KeyPairs`: the account's key pairs (`[{"KeyPairName": ".."}]`).
    pub key_pairs: Vec<KeyPair>,
    /// `KmsKeys`: the account's KMS keys.
    pub kms_keys: Vec<KmsKey>,
    /// `Account`: the account in its region (default: nothing refused).
    pub account: Account,
    /// `Policy`: the revision, the order of its checks, and the answers to
    /// the pages' open questions (default `{}`: the seed revision).
    pub policy: Policy,
    /// ECS's own fields of the records (`"DiskName"`, `"Size"`, `"ZoneId"`
    /// on a disk; [`Fields`]): written in each record beside the model's
    /// keys, kept here by id, each stored once.
    pub ecs: Fields,
    /// `Changes`: the changes under way (a re-init settling, an instance
    /// stopping or starting), each with the time left until it falls due,
    /// as `reinit-disk serve` saves them (`GET /_reinit-disk/state`,
    /// `--state`) and resumes them when the document is loaded. A decision
    /// does not read them: `eval` decides on the world as it is now.
    pub changes: Vec<ChangeUnderWay>,
}

/// A change under way (`Changes[]`): the library's [`Scheduled`] change and
/// how long until it falls due, counted from the moment the document was
/// written (a server that loads it counts from the moment it loads it).
///
/// ```json
/// {"InMillis": 1500, "Change": {"Disk": {"DiskId": "d-1", "Expects": "ReIniting", "Then": "In_use"}}}
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ChangeUnderWay {
    /// `InMillis`: milliseconds until the change falls due (a writer rounds
    /// up, so that a resumed change never falls due early).
    pub in_millis: u64,
    /// `Change`: the change, guarded by the status it expects.
    pub change: Scheduled,
}

/// The serialized shape of [`ChangeUnderWay`] (see [`ScenarioFields`]).
#[derive(Serialize, Deserialize)]
#[serde(
    remote = "ChangeUnderWay",
    deny_unknown_fields,
    rename_all = "PascalCase"
)]
struct ChangeUnderWayFields {
    #[serde(deserialize_with = "millis")]
    in_millis: u64,
    change: Scheduled,
}

crate::map_only::map_only!(ChangeUnderWay, ChangeUnderWayFields, "a change under way");

/// `InMillis`: a whole number of milliseconds from 0 to `u64::MAX`,
/// refused as what it is otherwise (a JSON reader takes an integer past
/// `u64::MAX` for a float: it is said to be out of range, not "a floating
/// point").
fn millis<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    struct Millis;
    const EXPECTED: &str = "milliseconds, a whole number from 0 to 18446744073709551615";
    impl Visitor<'_> for Millis {
        type Value = u64;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(EXPECTED)
        }

        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
            Ok(v)
        }

        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
            u64::try_from(v)
                .map_err(|_| E::custom(format_args!("{v} is below 0; expected {EXPECTED}")))
        }

        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            reason = "a whole number from 0 to below 2^64, checked just before"
        )]
        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u64, E> {
            // 2^64, the first whole number past `u64::MAX`.
            const PAST_MAX: f64 = 18_446_744_073_709_551_616.0;
            let why = if v.fract() != 0.0 || !v.is_finite() {
                "not a whole number"
            } else if v < 0.0 {
                "below 0"
            } else if v >= PAST_MAX {
                "too large"
            } else {
                // `1e3`: a whole number written as a float.
                return Ok(v as u64);
            };
            Err(E::custom(format_args!("{v} is {why}; expected {EXPECTED}")))
        }
    }
    deserializer.deserialize_u64(Millis)
}

/// The serialized shape of [`Scenario`], as it is read: each record with
/// its ECS fields ([`Entry`]), split into the model's record and
/// [`Scenario::ecs`] once read. [`DocumentRef`] is the same shape, written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct Document {
    #[serde(default)]
    description: Option<String>,
    #[serde(default, deserialize_with = "parameters_once")]
    request: BTreeMap<String, String>,
    #[serde(default)]
    disks: Vec<Entry<Disk>>,
    #[serde(default)]
    instances: Vec<Entry<Instance>>,
    #[serde(default)]
    images: Vec<Entry<Image>>,
    #[serde(default)]
    snapshots: Vec<Entry<Snapshot>>,
    #[serde(default)]
    key_pairs: Vec<Entry<KeyPair>>,
    #[serde(default)]
    kms_keys: Vec<KmsKey>,
    #[serde(default)]
    account: Account,
    #[serde(default)]
    policy: Policy,
    #[serde(default)]
    changes: Vec<ChangeUnderWay>,
}

/// [`Document`] as it is written, borrowed from the scenario: each record
/// its model's fields, then its ECS fields.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct DocumentRef<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    description: &'a Option<String>,
    request: &'a BTreeMap<String, String>,
    disks: Records<'a, Disk>,
    instances: Records<'a, Instance>,
    images: Records<'a, Image>,
    snapshots: Records<'a, Snapshot>,
    #[serde(skip_serializing_if = "Records::is_empty")]
    key_pairs: Records<'a, KeyPair>,
    #[serde(skip_serializing_if = "<[KmsKey]>::is_empty")]
    kms_keys: &'a [KmsKey],
    #[serde(skip_serializing_if = "is_default_account")]
    account: &'a Account,
    policy: &'a Policy,
    #[serde(skip_serializing_if = "<[ChangeUnderWay]>::is_empty")]
    changes: &'a [ChangeUnderWay],
}

impl Serialize for Scenario {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        DocumentRef {
            description: &self.description,
            request: &self.request,
            disks: Records::new(&self.disks, &self.ecs),
            instances: Records::new(&self.instances, &self.ecs),
            images: Records::new(&self.images, &self.ecs),
            snapshots: Records::new(&self.snapshots, &self.ecs),
            key_pairs: Records::new(&self.key_pairs, &self.ecs),
            kms_keys: &self.kms_keys,
            account: &self.account,
            policy: &self.policy,
            changes: &self.changes,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Scenario {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor;
        impl<'de> Visitor<'de> for ObjectVisitor {
            type Value = Document;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a scenario (a JSON object)")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Document, A::Error> {
                Document::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        let document = deserializer.deserialize_map(ObjectVisitor)?;
        let mut ecs = Fields::default();
        let disks = split(document.disks, &mut ecs);
        let instances = split(document.instances, &mut ecs);
        let images = split(document.images, &mut ecs);
        let snapshots = split(document.snapshots, &mut ecs);
        let key_pairs = split(document.key_pairs, &mut ecs);
        Ok(Self {
            description: document.description,
            request: document.request,
            disks,
            instances,
            images,
            snapshots,
            key_pairs,
            kms_keys: document.kms_keys,
            account: document.account,
            policy: document.policy,
            changes: document.changes,
            ecs,
        })
    }
}

/// The model's records of `entries`, their ECS fields put in `ecs` (a
/// record with none has no entry there).
fn split<M: Kind>(entries: Vec<Entry<M>>, ecs: &mut Fields) -> Vec<M> {
    entries
        .into_iter()
        .map(|entry| {
            if entry.ecs != M::Ecs::default() {
                M::of_mut(ecs).insert(entry.model.id().to_owned(), entry.ecs);
            }
            entry.model
        })
        .collect()
}

#[expect(
    clippy::trivially_copy_pass_by_ref,
    reason = "serde's skip_serializing_if passes a reference"
)]
fn is_default_account(account: &Account) -> bool {
    *account == Account::DEFAULT
}

impl fmt::Debug for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let request: BTreeMap<&str, &str> = self
            .request
            .iter()
            .map(|(k, v)| {
                let shown = if k == <&str>::from(Param::Password) {
                    "<redacted>"
                } else {
                    v
                };
                (k.as_str(), shown)
            })
            .collect();
        f.debug_struct("Scenario")
            .field("description", &self.description)
            .field("request", &request)
            .field("disks", &self.disks)
            .field("instances", &self.instances)
            .field("images", &self.images)
            .field("snapshots", &self.snapshots)
            .field("key_pairs", &self.key_pairs)
            .field("kms_keys", &self.kms_keys)
            .field("account", &self.account)
            .field("policy", &self.policy)
            .field("changes", &self.changes)
            .field("ecs", &self.ecs)
            .finish()
    }
}

/// A scenario that is not valid: where, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ScenarioError {
    /// The field at fault, as a path (`Disks[0].Status`); `.` for the
    /// document itself.
    pub path: String,
    /// What is wrong, with the accepted values where there is a list.
    pub message: String,
}

impl ScenarioError {
    /// The error at `path`; the values either quotes are capped
    /// ([`cap_message`]), so that a huge value cannot make a huge line.
    pub fn new(path: impl AsRef<str>, message: impl AsRef<str>) -> Self {
        Self {
            path: cap_message(path.as_ref()),
            message: cap_message(message.as_ref()),
        }
    }
}

/// A line of a JSON Lines input that is not a scenario
/// ([`Scenario::parse_json_line`]): what was found, and what was expected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LineError {
    /// The line is not UTF-8 text.
    #[error(
        "not valid UTF-8 at line {line} column {column} ({source}): expected a scenario, one JSON object a line"
    )]
    NotUtf8 {
        /// The line's number (from 1).
        line: u64,
        /// The column (in bytes, from 1) of the first byte that is not
        /// UTF-8.
        column: usize,
        /// What is wrong with it.
        source: std::str::Utf8Error,
    },
    /// The line is empty, or white space only.
    #[error("empty line: expected a scenario, one JSON object a line")]
    Empty {
        /// The line's number (from 1).
        line: u64,
    },
    /// The line is JSON text but not a valid scenario (or its policy does
    /// not fit the revision asked for); any position in its message is
    /// counted in the whole input.
    #[error(transparent)]
    Invalid(ScenarioError),
}

impl Scenario {
    /// Parses and validates a scenario. A UTF-8 byte-order mark at the start
    /// is skipped (error positions then count from after it).
    pub fn from_json(json: &str) -> Result<Self, ScenarioError> {
        let json = json.strip_prefix('\u{feff}').unwrap_or(json);
        if json.trim().is_empty() {
            return Err(ScenarioError::new(
                ".",
                "the scenario is empty: expected a JSON object",
            ));
        }
        // Most documents are valid: parse them as they are, and parse again,
        // tracking the path, only to say where an invalid one goes wrong.
        let scenario = serde_json::from_str(json).or_else(|_| Self::parse_tracking_path(json))?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Parses `json`, naming the field at fault when it fails.
    fn parse_tracking_path(json: &str) -> Result<Self, ScenarioError> {
        let mut de = serde_json::Deserializer::from_str(json);
        let scenario: Self = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().clone();
            let shown = path_text(&path);
            let inner = e.into_inner();
            if !(inner.is_syntax() || inner.is_eof()) && shown != "?" {
                let message = inner.to_string();
                // A policy is checked whole (its Order against its
                // Revision); its error names the field: "Order: ...".
                return match message.strip_prefix("Order: ") {
                    Some(rest) if shown == "Policy" => ScenarioError::new("Policy.Order", rest),
                    _ => ScenarioError::new(shown, message),
                };
            }
            // serde_json reports a number, a boolean, null or an array where
            // an enum's string is expected as a syntax error ("expected
            // value"): in a document that is valid JSON, it is a type error
            // at the path.
            match serde_json::from_str::<Value>(json) {
                Ok(document) => type_error(document, &path, shown, &inner),
                // A number too large for a float (`1e400`) is valid JSON that
                // serde_json cannot read, as a value too: name its field.
                Err(e) if e.to_string().starts_with("number out of range") && shown != "?" => {
                    ScenarioError::new(
                        shown,
                        format!(
                            "number out of range (a JSON number too large for this field): {inner}"
                        ),
                    )
                }
                Err(_) => ScenarioError::new(".", format!("not valid JSON: {inner}")),
            }
        })?;
        de.end()
            .map_err(|e| ScenarioError::new(".", format!("not valid JSON: {e}")))?;
        Ok(scenario)
    }

    /// Checks what the types cannot: ids are unique and not empty, every id a
    /// disk names is listed (its instance, image, source snapshot, KMS key),
    /// and an `In_use` disk names its instance. A snapshot's `SourceDiskId`
    /// need not be listed (the disk may be gone).
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let instances = unique(
            "Instances",
            "InstanceId",
            self.instances.iter().map(|i| i.id.as_str()),
        )?;
        let images = unique(
            "Images",
            "ImageId",
            self.images.iter().map(|i| i.id.as_str()),
        )?;
        let snapshots = unique(
            "Snapshots",
            "SnapshotId",
            self.snapshots.iter().map(|s| s.id.as_str()),
        )?;
        unique(
            "KeyPairs",
            "KeyPairName",
            self.key_pairs.iter().map(|k| k.name.as_str()),
        )?;
        let kms_keys = unique(
            "KmsKeys",
            "KeyId",
            self.kms_keys.iter().map(|k| k.id.as_str()),
        )?;
        let disks = unique("Disks", "DiskId", self.disks.iter().map(|d| d.id.as_str()))?;
        for (i, disk) in self.disks.iter().enumerate() {
            let listed = |field: &str, id: &str, list: &str, ids: &HashMap<&str, usize>| {
                if ids.contains_key(id) {
                    Ok(())
                } else {
                    Err(ScenarioError::new(
                        format!("Disks[{i}].{field}"),
                        format!(
                            "{} is not listed in {list} (list every id a disk names; mark a deleted one \"Deleted\": true)",
                            Echo(id)
                        ),
                    ))
                }
            };
            check_disk(disk)
                .map_err(|e| ScenarioError::new(format!("Disks[{i}].{}", e.path), e.message))?;
            if let Some(id) = &disk.instance_id {
                listed("InstanceId", id, "Instances", &instances)?;
            }
            match &disk.source {
                DiskSource::Image {
                    image_id,
                    snapshot_id,
                } => {
                    listed("ImageId", image_id, "Images", &images)?;
                    if let Some(id) = snapshot_id {
                        listed("SourceSnapshotId", id, "Snapshots", &snapshots)?;
                    }
                }
                DiskSource::Snapshot { snapshot_id } => {
                    listed("SourceSnapshotId", snapshot_id, "Snapshots", &snapshots)?;
                }
                DiskSource::Empty => {}
            }
            if let Some(id) = &disk.kms_key_id {
                listed("KMSKeyId", id, "KmsKeys", &kms_keys)?;
            }
        }
        self.validate_changes(&disks, &instances)
    }

    /// Checks that each change under way names a record the world lists
    /// (a change to a record that is not there would be dropped unseen: a
    /// typo in a hand-written document is refused instead).
    fn validate_changes(
        &self,
        disks: &HashMap<&str, usize>,
        instances: &HashMap<&str, usize>,
    ) -> Result<(), ScenarioError> {
        for (i, under_way) in self.changes.iter().enumerate() {
            let (variant, field, id, known) = match &under_way.change {
                Scheduled::Disk { id, .. } => {
                    ("Disk", "DiskId", id, disks.contains_key(id.as_str()))
                }
                Scheduled::Detached { id } => {
                    ("Detached", "DiskId", id, disks.contains_key(id.as_str()))
                }
                Scheduled::Snapshot { id, .. } => {
                    ("Snapshot", "DiskId", id, disks.contains_key(id.as_str()))
                }
                Scheduled::Instance { id, .. } => (
                    "Instance",
                    "InstanceId",
                    id,
                    instances.contains_key(id.as_str()),
                ),
                Scheduled::AutoStart { id } => (
                    "AutoStart",
                    "InstanceId",
                    id,
                    instances.contains_key(id.as_str()),
                ),
            };
            if !known {
                let list = if field == "DiskId" {
                    "Disks"
                } else {
                    "Instances"
                };
                return Err(ScenarioError::new(
                    format!("Changes[{i}].Change.{variant}.{field}"),
                    format!(
                        "{} is not listed in {list}: a change under way names a record of the world",
                        Echo(id)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The scenario on line `number` (from 1) of a JSON Lines input
    /// (`reinit-disk eval --lines`, Python's `evaluate_many`), under
    /// `revision` when given; or why it is not one, with any position
    /// counted in the whole input (the line's number; the column in bytes
    /// from the line's start, a byte-order mark included).
    pub fn parse_json_line(
        line: &[u8],
        number: u64,
        revision: Option<&'static Revision>,
    ) -> Result<Self, LineError> {
        let text = std::str::from_utf8(line).map_err(|source| LineError::NotUtf8 {
            line: number,
            column: source.valid_up_to().saturating_add(1),
            source,
        })?;
        if text.trim().is_empty() {
            return Err(LineError::Empty { line: number });
        }
        // Scenario::from_json counts columns after a byte-order mark.
        let skipped = if text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        let scenario = Scenario::from_json(text).map_err(|e| {
            LineError::Invalid(ScenarioError {
                message: in_whole_input(&e.message, number, skipped),
                path: e.path,
            })
        })?;
        match revision {
            Some(revision) => scenario.with_revision(revision).map_err(LineError::Invalid),
            None => Ok(scenario),
        }
    }

    /// The same scenario decided under `revision` (the CLI's `--revision`):
    /// its policy keeps its answers, and its order if that fits.
    pub fn with_revision(mut self, revision: &'static Revision) -> Result<Self, ScenarioError> {
        self.policy = self
            .policy
            .with_revision(revision)
            .map_err(|e| ScenarioError::new("Policy.Order", e.to_string()))?;
        Ok(self)
    }

    /// The scenario's world as an [`InMemoryWorld`](crate::InMemoryWorld) (its disks,
    /// instances, images, snapshots, key pairs, KMS keys and account),
    /// validated first as [`Scenario::validate`] validates it.
    pub fn to_world(&self) -> Result<crate::in_memory::InMemoryWorld, ScenarioError> {
        self.validate()?;
        let mut world = crate::in_memory::InMemoryWorld::new();
        let duplicate = |list: &str, e: crate::DuplicateId| ScenarioError::new(list, e.to_string());
        for disk in &self.disks {
            world
                .insert_disk(disk.clone())
                .map_err(|e| duplicate("Disks", e))?;
        }
        for instance in &self.instances {
            world
                .insert_instance(instance.clone())
                .map_err(|e| duplicate("Instances", e))?;
        }
        for image in &self.images {
            world
                .insert_image(image.clone())
                .map_err(|e| duplicate("Images", e))?;
        }
        for snapshot in &self.snapshots {
            world
                .insert_snapshot(snapshot.clone())
                .map_err(|e| duplicate("Snapshots", e))?;
        }
        for key_pair in &self.key_pairs {
            world
                .insert_key_pair(key_pair.clone())
                .map_err(|e| duplicate("KeyPairs", e))?;
        }
        for key in &self.kms_keys {
            world
                .insert_kms_key(key.clone())
                .map_err(|e| duplicate("KmsKeys", e))?;
        }
        world.set_account(self.account);
        Ok(world)
    }

    /// The request, as `evaluate` takes it.
    pub fn request(&self) -> Request<'_> {
        Request::from_params(self.request.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// Evaluates the scenario's request against its world under its policy.
    pub fn evaluate(&self) -> Result<Target<'_>, Rejection> {
        evaluate(&self.request(), self, &self.policy)
    }

    /// The decision on the scenario, as `reinit-disk eval` prints it.
    pub fn decide(&self) -> Decision {
        Decision::from(&self.evaluate())
    }
}

/// The path of `path` as errors show it: `Disks[0].Status`, `.` for the
/// document. A field name that is empty, or holds anything but letters,
/// digits, `-` and `_`, is quoted and capped (`Request."a b"`,
/// `Disks[0].""`), so that a path is always one short line.
pub(crate) fn path_text(path: &Path) -> String {
    let mut out = String::new();
    for segment in path {
        if let Segment::Seq { index } = segment {
            let _ = write!(out, "[{index}]");
            continue;
        }
        if !out.is_empty() {
            out.push('.');
        }
        let name = match segment {
            Segment::Map { key } | Segment::Enum { variant: key } => key.as_str(),
            // Serde's "unknown" place (a key that is not a string): `?`.
            _ => {
                out.push('?');
                continue;
            }
        };
        out.push_str(&path_name(name));
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// A field name as an error's path shows it (`Disks[0].Status`,
/// `Request."a b"`): as it is when it is plain (letters, digits, `-` and
/// `_`; at most 100 bytes), quoted and capped otherwise, so that a path is
/// always one short line.
pub fn path_name(name: &str) -> String {
    let plain = !name.is_empty()
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if plain {
        name.to_owned()
    } else {
        Echo(name).to_string()
    }
}

/// The largest scenario read by default, in bytes (64 MiB): a document, or
/// a line of JSON Lines. The CLI's `--max-input-bytes` default; Python's
/// limit.
pub const MAX_INPUT_BYTES: u64 = 64 * 1024 * 1024;

/// Checks one disk on its own, as [`Scenario::validate`] checks each of a
/// scenario's disks (for a world built record by record, whose ids may come
/// later): its id is not empty, the instance it names (if any) is not an
/// empty id, and an `In_use` disk names its instance.
/// The path is inside the record (`DiskId`, `InstanceId`).
pub fn check_disk(disk: &Disk) -> Result<(), ScenarioError> {
    not_empty("DiskId", &disk.id)?;
    if let Some(instance_id) = &disk.instance_id {
        not_empty("InstanceId", instance_id)?;
    }
    if disk.status == DiskStatus::InUse && disk.instance_id.is_none() {
        return Err(ScenarioError::new(
            "InstanceId",
            "a disk whose Status is In_use is attached: give its InstanceId",
        ));
    }
    Ok(())
}

/// The line `reinit-disk eval --lines` (and Python's `evaluate_many`)
/// writes for input line `line` (from 1) that is not a valid scenario:
/// `{"Error":"...","Line":N}`, in that order.
///
/// ```
/// use reinit_disk::scenario::error_line;
/// assert_eq!(error_line("empty \"line\"", 3), r#"{"Error":"empty \"line\"","Line":3}"#);
/// ```
pub fn error_line(error: &str, line: u64) -> String {
    format!("{{\"Error\":{},\"Line\":{line}}}", Value::from(error))
}

/// The error for a value of the wrong JSON type where an enum's string is
/// expected (serde_json calls it a syntax error): what was found, and the
/// accepted values, learnt by putting `""` in its place and reading the
/// "unknown variant" error that gives.
fn type_error(
    mut document: Value,
    path: &Path,
    shown: String,
    inner: &serde_json::Error,
) -> ScenarioError {
    let at = format!("at line {} column {}", inner.line(), inner.column());
    let Some(slot) = value_at(&mut document, path) else {
        return ScenarioError::new(shown, format!("invalid type, expected a string {at}"));
    };
    let found = match slot {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) if n.is_f64() => format!("floating point `{n}`"),
        Value::Number(n) => format!("integer `{n}`"),
        Value::String(s) => format!("string {}", Echo(s)),
        Value::Array(_) => "sequence".to_owned(),
        Value::Object(_) => "map".to_owned(),
    };
    *slot = Value::String(String::new());
    // The document is pruned to the way to the slot: its first error is
    // at the slot.
    let accepted = match serde_json::from_value::<Scenario>(document) {
        Err(e) => e
            .to_string()
            .strip_prefix("unknown variant ``, expected ")
            .map(str::to_owned),
        Ok(_) => None,
    };
    let expected = accepted.unwrap_or_else(|| "a string".to_owned());
    ScenarioError::new(
        shown,
        format!("invalid type: {found}, expected {expected} {at}"),
    )
}

/// The value at `path` in `document`, the document pruned to the way
/// there: at each level only the key on the path, and the elements up to
/// it, are kept. Everything kept before the slot parsed (the first error
/// was at the slot), so the first error the pruned document gives is at the
/// slot, whatever order the fields are read in.
fn value_at<'v>(document: &'v mut Value, path: &Path) -> Option<&'v mut Value> {
    path.iter()
        .try_fold(document, |value, segment| match (segment, value) {
            (Segment::Seq { index }, Value::Array(items)) => {
                items.truncate(index.saturating_add(1));
                items.get_mut(*index)
            }
            (Segment::Map { key }, Value::Object(fields)) => {
                fields.retain(|name, _| name == key);
                fields.get_mut(key.as_str())
            }
            _ => None,
        })
}

/// `Request`: an object of parameter names to string values, each name
/// once (a repeated name is refused at `Request.<name>`, as every other
/// object of a scenario refuses a repeated field).
fn parameters_once<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<BTreeMap<String, String>, D::Error> {
    struct Parameters;
    impl<'de> Visitor<'de> for Parameters {
        type Value = BTreeMap<String, String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object of parameter names to string values")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut parameters = BTreeMap::new();
            while let Some(name) = map.next_key::<String>()? {
                let given = parameters.contains_key(&name);
                let value = map.next_value_seed(Once { name: &name, given })?;
                parameters.insert(name, value);
            }
            Ok(parameters)
        }
    }
    deserializer.deserialize_map(Parameters)
}

/// The value of a parameter, refused (with the path at the value) when the
/// parameter was given before.
struct Once<'n> {
    name: &'n str,
    given: bool,
}

impl<'de> DeserializeSeed<'de> for Once<'_> {
    type Value = String;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        let value = if self.name == <&str>::from(Param::Password) {
            deserializer.deserialize_any(Secret)?
        } else {
            String::deserialize(deserializer)?
        };
        if self.given {
            return Err(serde::de::Error::custom(format_args!(
                "duplicate parameter {}: a scenario gives each parameter once",
                Echo(self.name)
            )));
        }
        Ok(value)
    }
}

/// A secret's value (`Password`): a string; anything else is refused
/// without showing what it was.
struct Secret;

impl Secret {
    fn refuse<E: serde::de::Error>(found: &str) -> Result<String, E> {
        Err(E::custom(format_args!(
            "invalid type: {found}, expected a string (the value of Password is a secret and is not shown)"
        )))
    }
}

impl<'de> Visitor<'de> for Secret {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<String, E> {
        Self::refuse("a boolean")
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<String, E> {
        Self::refuse("a number")
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<String, E> {
        Self::refuse("a number")
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<String, E> {
        Self::refuse("a number")
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<String, E> {
        Self::refuse("null")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Self::refuse("a sequence")
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<String, A::Error> {
        Self::refuse("a map")
    }
}

/// An id is not empty: the rule every record's id follows, at `path`.
fn not_empty(path: impl AsRef<str>, id: &str) -> Result<(), ScenarioError> {
    if id.is_empty() {
        return Err(ScenarioError::new(path, "an id cannot be empty"));
    }
    Ok(())
}

fn unique<'a>(
    list: &str,
    field: &str,
    ids: impl Iterator<Item = &'a str>,
) -> Result<HashMap<&'a str, usize>, ScenarioError> {
    let mut seen = HashMap::new();
    for (i, id) in ids.enumerate() {
        not_empty(format!("{list}[{i}].{field}"), id)?;
        if let Some(first) = seen.insert(id, i) {
            return Err(ScenarioError::new(
                format!("{list}[{i}].{field}"),
                format!("duplicate id {} (also {list}[{first}])", Echo(id)),
            ));
        }
    }
    Ok(seen)
}

/// A scenario is a world: lookups are linear, which is fastest for the few
/// resources a scenario lists.
impl World for Scenario {
    fn disk(&self, id: &str) -> Option<DiskView<'_>> {
        let disk = self.disks.iter().find(|d| d.id == id)?;
        let instant_access = self.snapshots.iter().any(|s| s.blocks_reinit_of(id));
        Some(disk.view().with_instant_access_snapshot(instant_access))
    }
    fn instance(&self, id: &str) -> Option<InstanceView<'_>> {
        self.instances
            .iter()
            .find(|i| i.id == id)
            .map(Instance::view)
    }
    fn image(&self, id: &str) -> Option<ImageView<'_>> {
        self.images.iter().find(|i| i.id == id).map(Image::view)
    }
    fn snapshot(&self, id: &str) -> Option<SnapshotView<'_>> {
        self.snapshots
            .iter()
            .find(|s| s.id == id)
            .map(Snapshot::view)
    }
    fn key_pair(&self, name: &str) -> Option<KeyPairView<'_>> {
        self.key_pairs
            .iter()
            .find(|k| k.name == name)
            .map(KeyPair::view)
    }
    fn kms_key(&self, id: &str) -> Option<KmsKeyView<'_>> {
        self.kms_keys.iter().find(|k| k.id == id).map(KmsKey::view)
    }
    fn account(&self) -> Account {
        self.account
    }
}

/// The decision on a scenario: accepted with a target, or rejected with the
/// exact code, message, HTTP status and deciding check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
pub struct Decision {
    /// `Accepted`.
    pub accepted: bool,
    /// `HttpStatus`: 200 when accepted.
    pub http_status: u16,
    /// `Code`: `null` when accepted.
    pub code: Option<Code>,
    /// `Message`: `null` when accepted.
    pub message: Option<String>,
    /// `Check`: the deciding check; `null` when accepted.
    pub check: Option<Check>,
    /// `Target`: the state the disk goes to; `null` when rejected.
    pub target: Option<OwnedTarget>,
}

/// A decision made earlier and kept owned (the analysis's
/// [`Decided`](crate::analysis::Decided)).
impl From<&Result<OwnedTarget, Rejection>> for Decision {
    fn from(result: &Result<OwnedTarget, Rejection>) -> Self {
        Self::from(&result.as_ref().map(OwnedTarget::as_target).map_err(|r| *r))
    }
}

impl From<&Result<Target<'_>, Rejection>> for Decision {
    fn from(result: &Result<Target<'_>, Rejection>) -> Self {
        match result {
            Ok(reinit) => Self {
                accepted: true,
                http_status: 200,
                code: None,
                message: None,
                check: None,
                target: Some(reinit.to_owned()),
            },
            Err(rejection) => Self {
                accepted: false,
                http_status: rejection.http_status(),
                code: Some(rejection.code()),
                message: Some(rejection.message().to_owned()),
                check: Some(rejection.check()),
                target: None,
            },
        }
    }
}

/// `message` with its closing position (` at line L column C`, serde_json's
/// form, counted in the line alone) counted in the whole input instead:
/// line `number + L - 1`, and on the line's first line `skipped` more
/// columns. A message without a position is returned as it is.
fn in_whole_input(message: &str, number: u64, skipped: usize) -> String {
    let Some((head, position)) = message.rsplit_once(" at line ") else {
        return message.to_owned();
    };
    let Some((line, column)) = position.split_once(" column ") else {
        return message.to_owned();
    };
    let (Ok(line), Ok(column)) = (line.parse::<u64>(), column.parse::<u64>()) else {
        return message.to_owned();
    };
    let column = if line == 1 {
        column.saturating_add(skipped as u64)
    } else {
        column
    };
    let line = number.saturating_add(line).saturating_sub(1);
    format!("{head} at line {line} column {column}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_that_is_not_a_scenario_says_what_was_found_and_what_was_expected() {
        let not_utf8 = Scenario::parse_json_line(b"{\"a\xff", 7, None).unwrap_err();
        assert!(
            matches!(
                not_utf8,
                LineError::NotUtf8 {
                    line: 7,
                    column: 4,
                    ..
                }
            ),
            "{not_utf8:?}"
        );
        assert_eq!(
            not_utf8.to_string(),
            "not valid UTF-8 at line 7 column 4 (invalid utf-8 sequence of 1 bytes from index 3): expected a scenario, one JSON object a line"
        );
        let empty = Scenario::parse_json_line(b" \t", 3, None).unwrap_err();
        assert_eq!(empty, LineError::Empty { line: 3 });
        assert_eq!(
            empty.to_string(),
            "empty line: expected a scenario, one JSON object a line"
        );
        let invalid = Scenario::parse_json_line(b"{\"Disks\": 1}", 4, None).unwrap_err();
        let LineError::Invalid(error) = &invalid else {
            panic!("{invalid:?}");
        };
        assert_eq!(error.path, "Disks");
        assert!(error.message.ends_with(" at line 4 column 11"), "{error}");
        assert_eq!(invalid.to_string(), error.to_string());
    }
}
