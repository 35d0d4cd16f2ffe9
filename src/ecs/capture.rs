//! A world from captured ECS answers: the `DescribeDisks`,
//! `DescribeInstances` and, when given, `DescribeImages`,
//! `DescribeSnapshots` and `DescribeKeyPairs` answers exactly as the
//! `aliyun` CLI prints them (and as `reinit-disk serve` answers them).
//!
//! Each document holds one answer or a JSON list of answers (the pages of
//! one query); each answer is recognised by what it holds (`Disks`,
//! `Instances`, `Images`, `Snapshots`, `KeyPairs`), whatever its file is
//! called. The records are read through the SDK's records
//! ([`Disk`], [`Instance`], [`Image`], [`Snapshot`]) and turned into the
//! world's by their `to_model`; a fact the engine reads that the answers do
//! not give takes the documented default (docs/ecs.md) and is reported in
//! [`Capture::missing`].
//!
//! ```
//! use reinit_disk::ecs::capture::Answers;
//!
//! let mut answers = Answers::new();
//! answers.add("disks.json", r#"{"Disks": {"Disk": [{"DiskId": "d-1", "Type": "data",
//!     "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-1"}]}, "TotalCount": 1}"#)?;
//! answers.add("instances.json", r#"{"Instances": {"Instance": [{"InstanceId": "i-1",
//!     "Status": "Running", "StartTime": "2024-01-01T00:00Z"}]}}"#)?;
//! let capture = answers.to_world()?;
//! assert_eq!(capture.scenario.disks.len(), 1);
//! // No DescribeSnapshots answer: whether d-1 is creating a snapshot is not known.
//! assert!(capture.missing.iter().any(|m| m.field == "CreatingSnapshot"));
//! # Ok::<(), reinit_disk::ecs::capture::CaptureError>(())
//! ```

#![forbid(unsafe_code)]

use std::collections::HashMap;
use std::fmt;
use std::io::Read as _;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;

use super::read::ReadError;
use super::records::{Disk, Image, Instance, Snapshot};
use crate::echo::Echo;
use crate::model;
use crate::scenario::Scenario;

/// The most bytes a file of a directory may have ([`Answers::add_dir`]):
/// 64 MiB, as `reinit-disk`'s `--max-input-bytes` by default.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The most files a directory may hold ([`Answers::add_dir`]).
pub const MAX_FILES: usize = 4096;

/// What the answers can be, in the order they are read: each answer's
/// action, and the field that holds its list.
const KINDS: &str = "a DescribeDisks, DescribeInstances, DescribeImages, DescribeSnapshots or DescribeKeyPairs answer: an object with one of Disks, Instances, Images, Snapshots, KeyPairs";

/// A key pair as `DescribeKeyPairs` lists it (`KeyPairs.KeyPair[]`): the
/// record generated from the SDK, of which the engine reads the name.
pub use super::records::KeyPair;

/// The kind of an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Kind {
    /// `DescribeDisks`: `{"Disks": {"Disk": [...]}}`.
    Disks,
    /// `DescribeInstances`: `{"Instances": {"Instance": [...]}}`.
    Instances,
    /// `DescribeImages`: `{"Images": {"Image": [...]}}`.
    Images,
    /// `DescribeSnapshots`: `{"Snapshots": {"Snapshot": [...]}}`.
    Snapshots,
    /// `DescribeKeyPairs`: `{"KeyPairs": {"KeyPair": [...]}}`.
    KeyPairs,
}

impl Kind {
    /// The action that answers it (`DescribeDisks`).
    pub const fn action(self) -> &'static str {
        match self {
            Self::Disks => "DescribeDisks",
            Self::Instances => "DescribeInstances",
            Self::Images => "DescribeImages",
            Self::Snapshots => "DescribeSnapshots",
            Self::KeyPairs => "DescribeKeyPairs",
        }
    }

    /// The answer's list, outer and inner (`Disks`, `Disk`).
    pub const fn list(self) -> (&'static str, &'static str) {
        match self {
            Self::Disks => ("Disks", "Disk"),
            Self::Instances => ("Instances", "Instance"),
            Self::Images => ("Images", "Image"),
            Self::Snapshots => ("Snapshots", "Snapshot"),
            Self::KeyPairs => ("KeyPairs", "KeyPair"),
        }
    }

    /// The field that names a record (`DiskId`).
    pub const fn id_field(self) -> &'static str {
        match self {
            Self::Disks => "DiskId",
            Self::Instances => "InstanceId",
            Self::Images => "ImageId",
            Self::Snapshots => "SnapshotId",
            Self::KeyPairs => "KeyPairName",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.action())
    }
}

/// Why captured answers cannot be read as a world. Every variant names the
/// file (and the JSON path in it where there is one).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaptureError {
    /// The file (or directory) cannot be read.
    #[error("cannot read {file}: {message}")]
    Io {
        /// The file.
        file: String,
        /// Why.
        message: String,
    },
    /// The file is larger than the bound.
    #[error("{file}: {bytes} bytes or more, over the limit of {limit} bytes for a captured answer")]
    TooLarge {
        /// The file.
        file: String,
        /// Its size (at least).
        bytes: u64,
        /// The bound.
        limit: u64,
    },
    /// The directory holds more files than the bound.
    #[error(
        "{dir}: more than {limit} files: a directory of captured answers holds at most {limit}"
    )]
    TooManyFiles {
        /// The directory.
        dir: String,
        /// The bound.
        limit: usize,
    },
    /// The file is not UTF-8 JSON, or a value in it has the wrong type.
    #[error("{file}: {path}: {message}")]
    Json {
        /// The file.
        file: String,
        /// The JSON path (`Disks.Disk[0].Size`; `.` for the document).
        path: String,
        /// Serde's message.
        message: String,
    },
    /// An answer is none of the kinds read (or more than one).
    #[error("{file}: {path}: {found}; expected {KINDS}")]
    Unrecognised {
        /// The file.
        file: String,
        /// The answer's path (`.`, or `[2]` in a list of pages).
        path: String,
        /// What was found instead.
        found: String,
    },
    /// Two records of one kind have the same id (in one page, or across
    /// pages or files).
    #[error("{file}: {path}.{field}: duplicate id {id} (also {first})")]
    Duplicate {
        /// The file of the second.
        file: String,
        /// Its path.
        path: String,
        /// The id's field (`DiskId`).
        field: &'static str,
        /// The id, escaped.
        id: String,
        /// Where the first is (`disks.json: Disks.Disk[0]`).
        first: String,
    },
    /// A record cannot be read as a world's record (no id, a value the
    /// model does not know, fields that contradict each other).
    #[error("{file}: {path}: {source}")]
    Record {
        /// The file.
        file: String,
        /// The record's path.
        path: String,
        /// Why.
        source: ReadError,
    },
    /// A kind of answer the world needs is not among the documents.
    #[error(
        "no {0} answer among the captured answers (the world needs one, even with an empty list)"
    )]
    Absent(Kind),
    /// The records read make no valid world.
    #[error("the world read from the captured answers is not valid: {path}{origin}: {message}")]
    World {
        /// The scenario's path (`Disks[3].Status`).
        path: String,
        /// Where the record was read (` (disks.json: Disks.Disk[3])`), or empty.
        origin: String,
        /// Why.
        message: String,
    },
}

/// A fact the engine reads that the captured answers did not give, and the
/// value it took.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Missing {
    /// The record (`disk d-1`, `image m-1`, `the account`).
    pub record: String,
    /// The ECS field (`Status`, `HibernationOptions.Configured`), or the
    /// record itself when none of the answers lists it (`listed`).
    pub field: String,
    /// Why it is missing (`disks.json: Disks.Disk[0] does not give it`).
    pub why: String,
    /// The value taken (`In_use`, `true`, `exists`), as the scenario
    /// format spells it.
    pub taken: String,
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}; taken as {}",
            self.record, self.field, self.why, self.taken
        )
    }
}

/// The world read from captured answers, and what it had to assume.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Capture {
    /// The world (its request empty, its policy the default: the newest
    /// revision). Valid ([`Scenario::validate`]).
    pub scenario: Scenario,
    /// The facts the answers lacked, each with the value it took, in the
    /// order the records were read.
    pub missing: Vec<Missing>,
}

/// Where a record was read: its file and its JSON path.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Origin {
    /// The file (as given to [`Answers::add`]).
    pub file: String,
    /// The path (`Disks.Disk[3]`, `[1].Disks.Disk[0]` in a list of pages).
    pub path: String,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.path)
    }
}

/// One answer's fields, as read (private: the kinds are told apart after).
#[derive(Deserialize)]
#[serde(expecting = "a Describe* answer (an object)")]
struct Page {
    #[serde(rename = "Disks", default)]
    disks: Option<List<Disk, DiskTag>>,
    #[serde(rename = "Instances", default)]
    instances: Option<List<Instance, InstanceTag>>,
    #[serde(rename = "Images", default)]
    images: Option<List<Image, ImageTag>>,
    #[serde(rename = "Snapshots", default)]
    snapshots: Option<List<Snapshot, SnapshotTag>>,
    #[serde(rename = "KeyPairs", default)]
    key_pairs: Option<List<KeyPair, KeyPairTag>>,
    #[serde(rename = "TotalCount", default)]
    total_count: Option<u64>,
    #[serde(rename = "Code", default)]
    code: Option<Value>,
}

/// The inner list's name of each kind (`Disk`): serde needs it at compile
/// time.
trait Inner {
    const NAME: &'static str;
}
struct DiskTag;
struct InstanceTag;
struct ImageTag;
struct SnapshotTag;
struct KeyPairTag;
impl Inner for DiskTag {
    const NAME: &'static str = "Disk";
}
impl Inner for InstanceTag {
    const NAME: &'static str = "Instance";
}
impl Inner for ImageTag {
    const NAME: &'static str = "Image";
}
impl Inner for SnapshotTag {
    const NAME: &'static str = "Snapshot";
}
impl Inner for KeyPairTag {
    const NAME: &'static str = "KeyPair";
}

/// `{"Disk": [...]}`: the one field `T::NAME`, a list (absent: empty;
/// another field: ignored; given twice: refused).
struct List<R, T> {
    records: Vec<R>,
    tag: core::marker::PhantomData<T>,
}

impl<'de, R: Deserialize<'de>, T: Inner> Deserialize<'de> for List<R, T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<R, T>(core::marker::PhantomData<(R, T)>);
        impl<'de, R: Deserialize<'de>, T: Inner> serde::de::Visitor<'de> for Visit<R, T> {
            type Value = List<R, T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "an object {{\"{}\": [...]}}", T::NAME)
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut records: Option<Vec<R>> = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key == T::NAME {
                        if records.is_some() {
                            return Err(serde::de::Error::custom(format_args!(
                                "duplicate field `{}`",
                                T::NAME
                            )));
                        }
                        records = Some(map.next_value()?);
                    } else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                    }
                }
                Ok(List {
                    records: records.unwrap_or_default(),
                    tag: core::marker::PhantomData,
                })
            }
        }
        deserializer.deserialize_map(Visit(core::marker::PhantomData))
    }
}

/// One page (answer) or a list of them.
enum Pages {
    One(Page),
    Many(Vec<Page>),
}

/// The records of every answer read so far, each with where it was read,
/// in the order read.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct Answers {
    /// `DescribeDisks`' disks.
    pub disks: Vec<(Origin, Disk)>,
    /// `DescribeInstances`' instances.
    pub instances: Vec<(Origin, Instance)>,
    /// `DescribeImages`' images.
    pub images: Vec<(Origin, Image)>,
    /// `DescribeSnapshots`' snapshots.
    pub snapshots: Vec<(Origin, Snapshot)>,
    /// `DescribeKeyPairs`' key pairs.
    pub key_pairs: Vec<(Origin, KeyPair)>,
    /// The kinds of answer read (an answer with an empty list counts).
    pub kinds: Vec<Kind>,
    /// The kinds of which a page's `TotalCount` says there are more records
    /// than the pages read hold together, after every page is read (see
    /// [`Answers::complete`]).
    totals: Vec<(Kind, u64)>,
    /// Every id read, by kind: where it was first read.
    ids: HashMap<(Kind, String), Origin>,
}

impl Answers {
    /// No answers yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads `text`, the content of `file` (a name for errors): one answer,
    /// or a JSON list of answers; a byte-order mark is skipped.
    pub fn add(&mut self, file: &str, text: &str) -> Result<(), CaptureError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let pages = parse(file, text)?;
        match pages {
            Pages::One(page) => self.page(file, "", page),
            Pages::Many(pages) => {
                if pages.is_empty() {
                    return Err(CaptureError::Unrecognised {
                        file: file.to_owned(),
                        path: ".".to_owned(),
                        found: "an empty list of answers".to_owned(),
                    });
                }
                pages
                    .into_iter()
                    .enumerate()
                    .try_for_each(|(i, page)| self.page(file, &format!("[{i}]"), page))
            }
        }
    }

    /// Reads every regular file of `dir` (not those whose name starts
    /// with `.`), in the order of their names, each of at most `max_bytes`
    /// bytes ([`MAX_FILE_BYTES`] is the usual bound); at most
    /// [`MAX_FILES`] files.
    pub fn add_dir(&mut self, dir: &Path, max_bytes: u64) -> Result<(), CaptureError> {
        let shown = dir.display().to_string();
        let io = |file: &str, e: std::io::Error| CaptureError::Io {
            file: file.to_owned(),
            message: e.to_string(),
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| io(&shown, e))? {
            let entry = entry.map_err(|e| io(&shown, e))?;
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            // Followed through a symbolic link: a link to a file is read.
            let meta = std::fs::metadata(&path).map_err(|e| io(&path.display().to_string(), e))?;
            if !meta.is_file() {
                continue;
            }
            if files.len() >= MAX_FILES {
                return Err(CaptureError::TooManyFiles {
                    dir: shown,
                    limit: MAX_FILES,
                });
            }
            files.push(path);
        }
        files.sort();
        for path in files {
            let name = path.display().to_string();
            let file = std::fs::File::open(&path).map_err(|e| io(&name, e))?;
            let mut bytes = Vec::new();
            let read = file
                .take(max_bytes.saturating_add(1))
                .read_to_end(&mut bytes)
                .map_err(|e| io(&name, e))?;
            if read as u64 > max_bytes {
                return Err(CaptureError::TooLarge {
                    file: name,
                    bytes: read as u64,
                    limit: max_bytes,
                });
            }
            let text = String::from_utf8(bytes).map_err(|e| CaptureError::Io {
                file: name.clone(),
                message: format!("not valid UTF-8 ({})", e.utf8_error()),
            })?;
            self.add(&name, &text)?;
        }
        Ok(())
    }

    /// Whether the pages read of `kind` hold every record their
    /// `TotalCount` counts (true when no page gives one).
    pub fn complete(&self, kind: Kind) -> bool {
        let read = match kind {
            Kind::Disks => self.disks.len(),
            Kind::Instances => self.instances.len(),
            Kind::Images => self.images.len(),
            Kind::Snapshots => self.snapshots.len(),
            Kind::KeyPairs => self.key_pairs.len(),
        } as u64;
        self.totals
            .iter()
            .filter(|(k, _)| *k == kind)
            .all(|(_, total)| *total <= read)
    }

    fn page(&mut self, file: &str, at: &str, page: Page) -> Result<(), CaptureError> {
        let shown_at = if at.is_empty() { "." } else { at };
        let mut found = Vec::new();
        if page.disks.is_some() {
            found.push(Kind::Disks);
        }
        if page.instances.is_some() {
            found.push(Kind::Instances);
        }
        if page.images.is_some() {
            found.push(Kind::Images);
        }
        if page.snapshots.is_some() {
            found.push(Kind::Snapshots);
        }
        if page.key_pairs.is_some() {
            found.push(Kind::KeyPairs);
        }
        let kind = match found.as_slice() {
            [kind] => *kind,
            [] => {
                let found = match &page.code {
                    Some(code) => {
                        let code = code
                            .as_str()
                            .map_or_else(|| code.to_string(), str::to_owned);
                        format!("an ECS error answer (Code {})", Echo(&code))
                    }
                    None => "an object with none of these lists".to_owned(),
                };
                return Err(CaptureError::Unrecognised {
                    file: file.to_owned(),
                    path: shown_at.to_owned(),
                    found,
                });
            }
            several => {
                let names: Vec<&str> = several.iter().map(|k| k.list().0).collect();
                return Err(CaptureError::Unrecognised {
                    file: file.to_owned(),
                    path: shown_at.to_owned(),
                    found: format!("an object with several lists ({})", names.join(", ")),
                });
            }
        };
        if !self.kinds.contains(&kind) {
            self.kinds.push(kind);
        }
        if let Some(total) = page.total_count {
            self.totals.push((kind, total));
        }
        let (outer, inner) = kind.list();
        let prefix = if at.is_empty() {
            format!("{outer}.{inner}")
        } else {
            format!("{at}.{outer}.{inner}")
        };
        let origin = |i: usize| Origin {
            file: file.to_owned(),
            path: format!("{prefix}[{i}]"),
        };
        macro_rules! take {
            ($list:expr, $into:ident, $id:ident) => {
                for (i, record) in $list.into_iter().flat_map(|l| l.records).enumerate() {
                    let origin = origin(i);
                    self.note(kind, record.$id.as_deref(), &origin)?;
                    self.$into.push((origin, record));
                }
            };
        }
        take!(page.disks, disks, disk_id);
        take!(page.instances, instances, instance_id);
        take!(page.images, images, image_id);
        take!(page.snapshots, snapshots, snapshot_id);
        take!(page.key_pairs, key_pairs, key_pair_name);
        Ok(())
    }

    /// Notes the id of a record; a second record of the same kind and id
    /// is refused. A record without an id is refused later, by `to_model`.
    fn note(&mut self, kind: Kind, id: Option<&str>, origin: &Origin) -> Result<(), CaptureError> {
        let Some(id) = id.filter(|id| !id.is_empty()) else {
            return Ok(());
        };
        match self.ids.get(&(kind, id.to_owned())) {
            Some(first) => Err(CaptureError::Duplicate {
                file: origin.file.clone(),
                path: origin.path.clone(),
                field: kind.id_field(),
                id: Echo(id).to_string(),
                // The same file: its path alone.
                first: if first.file == origin.file {
                    first.path.clone()
                } else {
                    first.to_string()
                },
            }),
            None => {
                self.ids.insert((kind, id.to_owned()), origin.clone());
                Ok(())
            }
        }
    }

    /// The world the answers describe, and the facts they lacked.
    ///
    /// Needs a `DescribeDisks` and a `DescribeInstances` answer (their lists
    /// may be empty). Each record is read by its `to_model`; a fact it
    /// lacks takes the model's default (docs/ecs.md, "Reading back"). Then:
    ///
    /// - an instance, image or snapshot a disk names that no answer lists,
    ///   and a KMS key a disk names (no answer read lists KMS keys), is
    ///   added with its defaults (an instance `Stopped` that has started;
    ///   an image of the system, not deleted, that allows logon as
    ///   non-root; a snapshot not deleted, created at
    ///   [`Defaults::creation_time`](super::Defaults) (2024-01-01), after
    ///   every revision's too-old boundary; a KMS key `Enabled`, authorized
    ///   and tagged for ECS), each reported;
    /// - without a `DescribeSnapshots` answer, no disk is known to be
    ///   creating a snapshot (reported for each disk);
    /// - without a `DescribeKeyPairs` answer, the account has no key pair
    ///   (reported once);
    /// - the account (white list, region) is the scenario's default: nothing
    ///   refused (reported once).
    pub fn to_world(&self) -> Result<Capture, CaptureError> {
        for kind in [Kind::Disks, Kind::Instances] {
            if !self.kinds.contains(&kind) {
                return Err(CaptureError::Absent(kind));
            }
        }
        let mut missing = Vec::new();
        let record_error = |origin: &Origin, source: ReadError| CaptureError::Record {
            file: origin.file.clone(),
            path: origin.path.clone(),
            source,
        };
        let snapshots_given = self.kinds.contains(&Kind::Snapshots);
        let snapshot_records: Vec<Snapshot> =
            self.snapshots.iter().map(|(_, s)| s.clone()).collect();
        let mut scenario = Scenario::default();
        for (origin, record) in &self.snapshots {
            let read = record.to_model().map_err(|e| record_error(origin, e))?;
            note_absent(&mut missing, "snapshot", origin, &read.record, &read.absent);
            scenario
                .ecs
                .set_snapshot(read.record.id.clone(), record.clone());
            scenario.snapshots.push(read.record);
        }
        for (origin, record) in &self.images {
            let read = record.to_model().map_err(|e| record_error(origin, e))?;
            note_absent(&mut missing, "image", origin, &read.record, &read.absent);
            scenario
                .ecs
                .set_image(read.record.id.clone(), record.clone());
            scenario.images.push(read.record);
        }
        for (origin, record) in &self.instances {
            let read = record.to_model().map_err(|e| record_error(origin, e))?;
            note_absent(&mut missing, "instance", origin, &read.record, &read.absent);
            scenario
                .ecs
                .set_instance(read.record.id.clone(), record.clone());
            scenario.instances.push(read.record);
        }
        for (origin, record) in &self.disks {
            let read = record
                .to_model(snapshots_given.then_some(snapshot_records.as_slice()))
                .map_err(|e| record_error(origin, e))?;
            note_absent(&mut missing, "disk", origin, &read.record, &read.absent);
            scenario
                .ecs
                .set_disk(read.record.id.clone(), record.clone());
            scenario.disks.push(read.record);
        }
        for (origin, record) in &self.key_pairs {
            let name = record
                .key_pair_name
                .as_deref()
                .filter(|n| !n.is_empty())
                .ok_or_else(|| record_error(origin, ReadError::MissingId("KeyPairName")))?;
            scenario.ecs.set_key_pair(name, record.clone());
            scenario.key_pairs.push(model::KeyPair {
                name: name.to_owned(),
            });
        }
        self.add_unlisted(&mut scenario, &mut missing);
        if !self.kinds.contains(&Kind::KeyPairs) {
            missing.push(Missing {
                record: "the account".to_owned(),
                field: "KeyPairs".to_owned(),
                why: "no DescribeKeyPairs answer".to_owned(),
                taken: "no key pair".to_owned(),
            });
        }
        missing.push(Missing {
            record: "the account".to_owned(),
            field: "Account".to_owned(),
            why: "no Describe* answer shows the account's white list or region".to_owned(),
            taken: "the scenario's default (nothing refused)".to_owned(),
        });
        scenario.validate().map_err(|e| {
            let origin = e
                .path
                .strip_prefix("Disks[")
                .and_then(|rest| rest.split(']').next())
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| self.disks.get(n))
                .map(|(origin, _)| format!(" ({origin})"))
                .unwrap_or_default();
            CaptureError::World {
                path: e.path,
                origin,
                message: e.message,
            }
        })?;
        Ok(Capture { scenario, missing })
    }

    /// Adds the records the disks name that no answer lists.
    fn add_unlisted(&self, scenario: &mut Scenario, missing: &mut Vec<Missing>) {
        let why = |kind: Kind, given: bool, origin: &Origin, field: &str| {
            let by = format!("named by {origin}.{field}");
            if given {
                format!("no {kind} answer lists it ({by}; it may be outside the query, or gone)")
            } else {
                format!("no {kind} answer ({by})")
            }
        };
        // Defaults::creation_time's instant (tests/ecs.rs holds them equal).
        let creation_time = crate::transition::SNAPSHOT_TIME;
        for ((origin, _), disk) in self.disks.iter().zip(scenario.disks.clone()) {
            if let Some(id) = &disk.instance_id {
                if !scenario.instances.iter().any(|i| &i.id == id) {
                    let given = self.kinds.contains(&Kind::Instances);
                    missing.push(Missing {
                        record: format!("instance {}", Echo(id)),
                        field: "listed".to_owned(),
                        why: why(Kind::Instances, given, origin, "InstanceId"),
                        taken:
                            "an instance Stopped that has started, every other fact at its default"
                                .to_owned(),
                    });
                    scenario.instances.push(model::Instance {
                        id: id.clone(),
                        ..model::Instance::default()
                    });
                }
            }
            let (image_id, snapshot_id) = match &disk.source {
                model::DiskSource::Image {
                    image_id,
                    snapshot_id,
                } => (Some(image_id), snapshot_id.as_ref()),
                model::DiskSource::Snapshot { snapshot_id } => (None, Some(snapshot_id)),
                model::DiskSource::Empty => (None, None),
            };
            if let Some(id) = image_id {
                if !scenario.images.iter().any(|i| &i.id == id) {
                    let given = self.kinds.contains(&Kind::Images);
                    missing.push(Missing {
                        record: format!("image {}", Echo(id)),
                        field: "listed".to_owned(),
                        why: why(Kind::Images, given, origin, "ImageId"),
                        taken: "an image of the system (ImageOwnerAlias system), not deleted, LoginAsNonRootSupported true".to_owned(),
                    });
                    scenario.images.push(model::Image {
                        id: id.clone(),
                        ..model::Image::default()
                    });
                }
            }
            if let Some(id) = snapshot_id {
                if !scenario.snapshots.iter().any(|s| &s.id == id) {
                    let given = self.kinds.contains(&Kind::Snapshots);
                    missing.push(Missing {
                        record: format!("snapshot {}", Echo(id)),
                        field: "listed".to_owned(),
                        why: why(Kind::Snapshots, given, origin, "SourceSnapshotId"),
                        taken: format!(
                            "a snapshot not deleted, CreationTime {creation_time}, InstantAccess false"
                        ),
                    });
                    scenario.snapshots.push(model::Snapshot {
                        id: id.clone(),
                        creation_time,
                        ..model::Snapshot::default()
                    });
                }
            }
            if let Some(id) = &disk.kms_key_id {
                if !scenario.kms_keys.iter().any(|k| &k.id == id) {
                    missing.push(Missing {
                        record: format!("KMS key {}", Echo(id)),
                        field: "listed".to_owned(),
                        why: format!(
                            "no Describe* answer read shows KMS keys (named by {origin}.KMSKeyId)"
                        ),
                        taken: "a key Enabled, authorized for ECS and tagged".to_owned(),
                    });
                    scenario.kms_keys.push(model::KmsKey {
                        id: id.clone(),
                        ..model::KmsKey::default()
                    });
                }
            }
        }
    }
}

/// The scenario field (and value) an absent ECS field took.
fn scenario_field(field: &str) -> &str {
    match field {
        "StartTime" => "HasStarted",
        "HibernationOptions.Configured" => "HibernationConfigured",
        "ImageOptions.LoginAsNonRoot" => "LoginAsNonRoot",
        "Encrypted" => "KMSKeyId",
        other => other,
    }
}

fn note_absent<T: serde::Serialize>(
    missing: &mut Vec<Missing>,
    noun: &str,
    origin: &Origin,
    record: &T,
    absent: &[&str],
) {
    if absent.is_empty() {
        return;
    }
    let written = serde_json::to_value(record).unwrap_or(Value::Null);
    let id = ["DiskId", "InstanceId", "ImageId", "SnapshotId"]
        .iter()
        .find_map(|f| written.get(f).and_then(Value::as_str))
        .unwrap_or_default()
        .to_owned();
    for field in absent {
        let taken = match (*field, written.get(scenario_field(field))) {
            ("Encrypted", _) => "not encrypted (false)".to_owned(),
            ("CreatingSnapshot", _) => "not creating a snapshot (false)".to_owned(),
            (_, Some(value)) => value.to_string(),
            (_, None) => "its default (docs/ecs.md)".to_owned(),
        };
        let why = if *field == "CreatingSnapshot" {
            "no DescribeSnapshots answer (a snapshot of the disk with Status progressing tells it)"
                .to_owned()
        } else {
            format!("{origin} does not give it")
        };
        missing.push(Missing {
            record: format!("{noun} {}", Echo(&id)),
            field: (*field).to_owned(),
            why,
            taken,
        });
    }
}

/// The world of the captured answers in `documents` (each a file's name,
/// for errors, and its text), read in the order given.
pub fn from_documents<'a>(
    documents: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Result<Capture, CaptureError> {
    let mut answers = Answers::new();
    for (file, text) in documents {
        answers.add(file, text)?;
    }
    answers.to_world()
}

/// The world of the captured answers in the regular files of `dir`, read
/// in the order of their names (see [`Answers::add_dir`]), each of at most
/// `max_bytes` bytes.
pub fn from_dir(dir: &Path, max_bytes: u64) -> Result<Capture, CaptureError> {
    let mut answers = Answers::new();
    answers.add_dir(dir, max_bytes)?;
    answers.to_world()
}

/// One answer or a list of them, with the JSON path of any error.
fn parse(file: &str, text: &str) -> Result<Pages, CaptureError> {
    let error = |path: String, e: &serde_json::Error| {
        let message = if e.to_string().starts_with("number out of range") {
            format!("a number too large to read ({e})")
        } else if e.is_syntax() || e.is_eof() {
            format!("not valid JSON: {e}")
        } else {
            e.to_string()
        };
        CaptureError::Json {
            file: file.to_owned(),
            path,
            // A value quoted in serde's message is cut, and the message
            // kept on one line.
            message: crate::echo::cap_message(&message),
        }
    };
    let list = text.trim_start().starts_with('[');
    let mut json = serde_json::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    let pages = {
        let de = serde_path_to_error::Deserializer::new(&mut json, &mut track);
        if list {
            Vec::<Page>::deserialize(de).map(Pages::Many)
        } else {
            Page::deserialize(de).map(Pages::One)
        }
    };
    // A key in the path is quoted and capped when it is not plain, as a
    // scenario's error paths are.
    let pages = pages.map_err(|e| error(crate::scenario::path_text(&track.path()), &e))?;
    json.end().map_err(|e| error(".".to_owned(), &e))?;
    Ok(pages)
}
