//! The outcome of a request: the state the disk is re-initialized to, or the
//! exact rejection.

use core::fmt;

use serde::{Deserialize, Serialize};
use strum::{Display, EnumString, IntoStaticStr};

use crate::catalogue::{Code, Entry};
use crate::checks::Check;
use crate::model::DiskStatus;
use crate::request::SecurityEnhancementStrategy;

/// What an accepted request re-initializes the disk to. Borrows its ids from
/// the world view, so building it allocates nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Reinit<'w> {
    /// The disk being re-initialized.
    pub disk_id: &'w str,
    /// The instance it is attached to, and stays attached to.
    pub instance_id: &'w str,
    /// What its content is reset to.
    pub reset_to: ResetTo<'w>,
    /// The security-hardening strategy applied: only on a system disk, and
    /// `None` where none was asked for or the request's `Active` was ignored.
    pub security_enhancement: Option<SecurityEnhancementStrategy>,
}

impl Reinit<'_> {
    /// The disk's status while the re-init runs.
    pub const STATUS_DURING: DiskStatus = DiskStatus::ReIniting;
    /// The disk's status once it has settled.
    pub const STATUS_AFTER: DiskStatus = DiskStatus::InUse;
}

/// The content a disk is reset to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResetTo<'w> {
    /// A system disk: its image.
    Image(&'w str),
    /// A data disk created from a snapshot: that snapshot.
    Snapshot(&'w str),
    /// A data disk created empty: empty.
    Empty,
}

impl<'w> ResetTo<'w> {
    /// The kind of source, without its id.
    pub const fn kind(self) -> ResetKind {
        match self {
            Self::Image(_) => ResetKind::Image,
            Self::Snapshot(_) => ResetKind::Snapshot,
            Self::Empty => ResetKind::Empty,
        }
    }

    /// The image or snapshot id; `None` for an empty disk.
    pub const fn source_id(self) -> Option<&'w str> {
        match self {
            Self::Image(id) | Self::Snapshot(id) => Some(id),
            Self::Empty => None,
        }
    }
}

/// The kind of content a disk is reset to, as decisions spell it (`ResetTo`).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Display,
    EnumString,
    IntoStaticStr,
    Serialize,
    Deserialize,
)]
pub enum ResetKind {
    /// `Image`.
    Image,
    /// `Snapshot`.
    Snapshot,
    /// `Empty`.
    Empty,
}

/// A refused request: the catalogue row that answers it, and the check that
/// decided it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rejection {
    entry: &'static Entry,
    check: Check,
}

impl Rejection {
    /// The rejection `entry` answers, decided by `check`.
    pub const fn new(entry: &'static Entry, check: Check) -> Self {
        Self { entry, check }
    }

    /// The error code.
    pub const fn code(&self) -> Code {
        self.entry.code
    }

    /// The exact message.
    pub const fn message(&self) -> &'static str {
        self.entry.message
    }

    /// The HTTP status.
    pub const fn http_status(&self) -> u16 {
        self.entry.http_status
    }

    /// The check that decided it.
    pub const fn check(&self) -> Check {
        self.check
    }

    /// The catalogue row.
    pub const fn entry(&self) -> &'static Entry {
        self.entry
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {} (check {})",
            self.http_status(),
            self.code(),
            self.message(),
            self.check
        )
    }
}

impl std::error::Error for Rejection {}
