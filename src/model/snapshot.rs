//! Snapshots: when they were made, and whether they still exist.

use core::fmt;
use core::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::{datetime, format_description};
use time::{OffsetDateTime, PrimitiveDateTime};

/// `CreationTime` of a snapshot: an instant, compared in UTC.
///
/// Parsed from RFC 3339 (`2013-07-15T10:00:00Z`, `2013-07-15T18:00:00+08:00`)
/// or ECS's minute form (`2013-07-15T10:00Z`); displayed as RFC 3339 in UTC.
/// Held as nanoseconds since the Unix epoch, so comparing two is comparing
/// two integers.
///
/// Every value is between [`Self::MIN`] (`0000-01-01T00:00:00Z`) and
/// [`Self::MAX`] (`9999-12-31T23:59:59.999999999Z`), the instants RFC 3339
/// can write in UTC: a text whose UTC instant falls outside (such as
/// `9999-12-31T23:00:00-02:00`, in the year 10000 once in UTC) is refused,
/// so that every value displays, serializes and parses back to itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CreationTime(i128);

impl CreationTime {
    /// The earliest creation time: `0000-01-01T00:00:00Z`.
    pub const MIN: Self = Self::of(datetime!(0000-01-01 00:00:00 UTC));

    /// The latest creation time: `9999-12-31T23:59:59.999999999Z`.
    pub const MAX: Self = Self::of(datetime!(9999-12-31 23:59:59.999_999_999 UTC));

    /// The Unix epoch, `1970-01-01T00:00:00Z`.
    pub const EPOCH: Self = Self(0);

    /// The instant `t` (for the revisions' `const` boundaries).
    pub(crate) const fn of(t: OffsetDateTime) -> Self {
        Self(t.unix_timestamp_nanos())
    }

    /// The instant `nanos` nanoseconds after the epoch, if it is between
    /// [`Self::MIN`] and [`Self::MAX`].
    fn checked(nanos: i128) -> Option<Self> {
        (Self::MIN.0..=Self::MAX.0)
            .contains(&nanos)
            .then_some(Self(nanos))
    }

    /// The instant in UTC. Every value is in range, so the fallback (the
    /// epoch) is never taken.
    fn date_time(self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(self.0).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }

    /// The instant `unix_seconds` seconds after 1970-01-01T00:00:00Z, if it
    /// is between [`Self::MIN`] and [`Self::MAX`] (years 0 to 9999 in UTC).
    pub fn from_unix_seconds(unix_seconds: i64) -> Option<Self> {
        Self::checked(i128::from(unix_seconds).saturating_mul(1_000_000_000))
    }

    /// Seconds since 1970-01-01T00:00:00Z.
    pub const fn unix_seconds(self) -> i64 {
        // Between MIN and MAX (years 0 to 9999), so the seconds fit an i64.
        self.0.div_euclid(1_000_000_000) as i64
    }
}

/// A `CreationTime` that is neither RFC 3339 nor ECS's minute form, or whose
/// UTC instant is outside years 0 to 9999.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CreationTimeError {
    /// Neither RFC 3339 nor ECS's minute form.
    #[error(
        "{} is not a valid CreationTime: expected RFC 3339 (2013-07-15T10:00:00Z) or ECS's minute form (2013-07-15T10:00Z)",
        crate::echo::Echo(.0)
    )]
    Format(String),
    /// A valid text whose instant, once in UTC, is outside years 0 to 9999.
    #[error(
        "{} is out of range: a CreationTime is between 0000-01-01T00:00:00Z and 9999-12-31T23:59:59.999999999Z once in UTC",
        crate::echo::Echo(.0)
    )]
    OutOfRange(String),
}

impl FromStr for CreationTime {
    type Err = CreationTimeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let minute = format_description!("[year]-[month]-[day]T[hour]:[minute]Z");
        let nanos = match OffsetDateTime::parse(s, &Rfc3339) {
            // The instant of the text as written, whatever its offset: no
            // conversion to UTC, which would panic past year 9999.
            Ok(t) => t.unix_timestamp_nanos(),
            Err(_) => match PrimitiveDateTime::parse(s, minute) {
                Ok(t) => t.assume_utc().unix_timestamp_nanos(),
                Err(_) => return Err(CreationTimeError::Format(s.to_owned())),
            },
        };
        Self::checked(nanos).ok_or_else(|| CreationTimeError::OutOfRange(s.to_owned()))
    }
}

impl fmt::Display for CreationTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // In range, RFC 3339 formatting cannot fail.
        match self.date_time().format(&Rfc3339) {
            Ok(s) => f.write_str(&s),
            Err(_) => Err(fmt::Error),
        }
    }
}

impl Serialize for CreationTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for CreationTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(feature = "arbitrary")]
#[cfg_attr(docsrs, doc(cfg(feature = "arbitrary")))]
impl<'a> arbitrary::Arbitrary<'a> for CreationTime {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        // 2000-01-01 to 2100-01-01, dense around the 2013 cut-off.
        let secs = u.int_in_range(946_684_800i64..=4_102_444_800)?;
        Self::from_unix_seconds(secs).ok_or(arbitrary::Error::IncorrectFormat)
    }
}

/// A snapshot, as `ReInitDisk` sees it. A deleted snapshot may be kept as a
/// tombstone (`Deleted: true`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Snapshot {
    /// `SnapshotId`.
    pub id: String,
    /// `CreationTime`.
    pub creation_time: CreationTime,
    /// Whether the snapshot has been deleted (default `false`).
    pub deleted: bool,
    /// `SourceDiskId`: the disk it was made from, if known (it need not be
    /// a listed disk).
    pub source_disk_id: Option<String>,
    /// `InstantAccess`: whether instant access is enabled (default `false`).
    pub instant_access: bool,
}

/// The serialized shape of [`Snapshot`], field for field: serde's derive
/// sits here, on a private type, so that the helper functions it makes
/// (`serialize`, `deserialize`) are not public API; `map_only!` gives
/// `Snapshot` its `Serialize` and `Deserialize`.
#[derive(Serialize, Deserialize)]
#[serde(remote = "Snapshot", deny_unknown_fields, rename_all = "PascalCase")]
struct SnapshotFields {
    #[serde(rename = "SnapshotId")]
    id: String,
    creation_time: CreationTime,
    #[serde(default)]
    deleted: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source_disk_id: Option<String>,
    #[serde(default)]
    instant_access: bool,
}

/// A blank snapshot: no id, made at the Unix epoch, not deleted, every other
/// fact at its default. Fill it with struct update syntax.
impl Default for Snapshot {
    fn default() -> Self {
        Self {
            id: String::new(),
            creation_time: CreationTime::EPOCH,
            deleted: false,
            source_disk_id: None,
            instant_access: false,
        }
    }
}

impl Snapshot {
    /// Whether this snapshot blocks a re-init of `disk_id`: it exists (not
    /// deleted), was made from that disk, and has instant access enabled.
    pub fn blocks_reinit_of(&self, disk_id: &str) -> bool {
        !self.deleted && self.instant_access && self.source_disk_id.as_deref() == Some(disk_id)
    }
}

crate::map_only::map_only!(Snapshot, SnapshotFields, "a snapshot");

#[cfg(feature = "ecs")]
impl Snapshot {
    /// The keys a snapshot record is read from in a scenario, as its serde derive
    /// declares them (the rest of a record's keys are ECS's own fields:
    /// `crate::ecs::Fields`).
    pub(crate) fn record_keys() -> &'static [&'static str] {
        crate::map_only::struct_fields(|d| SnapshotFields::deserialize(d))
    }
}

impl Snapshot {
    /// The snapshot as the checks read it.
    pub fn view(&self) -> SnapshotView<'_> {
        SnapshotView::new(&self.id, self.creation_time).with_deleted(self.deleted)
    }
}

/// A snapshot as the checks read it, borrowed from whatever store holds it.
///
/// Built with [`SnapshotView::new`] and the `with_*` methods, so that a fact
/// a later revision reads arrives with its default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct SnapshotView<'a> {
    /// `SnapshotId`.
    pub id: &'a str,
    /// `CreationTime`.
    pub creation_time: CreationTime,
    /// Whether it has been deleted (default `false`).
    pub deleted: bool,
}

impl<'a> SnapshotView<'a> {
    /// A snapshot that exists.
    pub const fn new(id: &'a str, creation_time: CreationTime) -> Self {
        Self {
            id,
            creation_time,
            deleted: false,
        }
    }

    /// The same snapshot, deleted or not.
    #[must_use]
    pub const fn with_deleted(mut self, deleted: bool) -> Self {
        self.deleted = deleted;
        self
    }
}
