//! The outcome of a request: the target an accepted request re-initializes
//! the disk to, or the exact rejection.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::catalogue::{Code, Entry};
use crate::checks::Check;
use crate::model::{DiskStatus, InstanceStatus, Source, SourceKind};
use crate::request::SecurityEnhancementStrategy;
use crate::transition::Transition;

/// What an accepted request re-initializes the disk to. Borrows its ids from
/// the world, so building it allocates nothing; [`Target::to_owned`] makes
/// an [`OwnedTarget`] that outlives the world.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Target<'w> {
    /// The disk being re-initialized.
    pub disk_id: &'w str,
    /// The instance it is attached to, and stays attached to.
    pub instance_id: &'w str,
    /// What its content is reset to.
    pub reset_to: Source<'w>,
    /// The security-hardening strategy applied: only on a system disk;
    /// `None` where none was asked for (and the revision has no default) or
    /// the request's `Active` was ignored.
    pub security_enhancement: Option<SecurityEnhancementStrategy>,
    /// Whether the instance's password is reset: a `Password` was given, the
    /// revision reads it, and the disk is a system disk.
    pub password_reset: bool,
    /// The key pair bound to the instance (`KeyPairName` on a system disk,
    /// in a revision that reads it), as the world spells it.
    pub key_pair_name: Option<&'w str>,
    /// The instance's status once the re-init is done: `Running` when
    /// `AutoStartInstance` is true (in a revision that reads it), else
    /// `Stopped`.
    pub instance_status_after: InstanceStatus,
}

impl<'w> Target<'w> {
    /// What the re-init does to the world, stage by stage.
    pub const fn transition(&self) -> Transition<'w> {
        Transition::reinit(self.disk_id, self.instance_id).with_auto_start(matches!(
            self.instance_status_after,
            InstanceStatus::Running
        ))
    }

    /// An owned copy.
    pub fn to_owned(&self) -> OwnedTarget {
        OwnedTarget {
            disk_id: self.disk_id.to_owned(),
            instance_id: self.instance_id.to_owned(),
            reset_to: self.reset_to.kind(),
            source_id: self.reset_to.id().map(str::to_owned),
            security_enhancement: self.security_enhancement,
            password_reset: self.password_reset,
            key_pair_name: self.key_pair_name.map(str::to_owned),
            instance_status_after: self.instance_status_after,
        }
    }
}

/// A [`Target`] that owns its ids: to keep between the two stages of a
/// re-init, or to serialize (a decision's `Target`).
///
/// Serialized as `{"DiskId", "InstanceId", "ResetTo", "SourceId",
/// "SecurityEnhancement", "PasswordReset", "KeyPairName", "StatusDuring",
/// "StatusAfter", "InstanceStatusAfter"}`; `StatusDuring` and `StatusAfter`
/// come from the [`Transition`].
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "TargetRecord", try_from = "TargetRecord")]
pub struct OwnedTarget {
    /// The disk being re-initialized.
    pub disk_id: String,
    /// The instance it stays attached to.
    pub instance_id: String,
    /// What its content is reset to.
    pub reset_to: SourceKind,
    /// The image or snapshot id; `None` for an empty disk.
    pub source_id: Option<String>,
    /// The security-hardening strategy applied.
    pub security_enhancement: Option<SecurityEnhancementStrategy>,
    /// Whether the instance's password is reset.
    pub password_reset: bool,
    /// The key pair bound to the instance.
    pub key_pair_name: Option<String>,
    /// The instance's status once the re-init is done (`Running` or
    /// `Stopped`).
    pub instance_status_after: InstanceStatus,
}

impl OwnedTarget {
    /// The target, borrowed.
    pub fn as_target(&self) -> Target<'_> {
        let reset_to = match (self.reset_to, self.source_id.as_deref()) {
            (SourceKind::Image, Some(id)) => Source::Image(id),
            (SourceKind::Snapshot, Some(id)) => Source::Snapshot(id),
            // A record without its id is refused when deserialized, and
            // `Target::to_owned` always keeps it.
            (SourceKind::Image | SourceKind::Snapshot, None) | (SourceKind::Empty, _) => {
                Source::Empty
            }
        };
        Target {
            disk_id: &self.disk_id,
            instance_id: &self.instance_id,
            reset_to,
            security_enhancement: self.security_enhancement,
            password_reset: self.password_reset,
            key_pair_name: self.key_pair_name.as_deref(),
            instance_status_after: self.instance_status_after,
        }
    }
}

/// The serialized shape of a target.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "PascalCase")]
struct TargetRecord {
    disk_id: String,
    instance_id: String,
    reset_to: SourceKind,
    source_id: Option<String>,
    security_enhancement: Option<SecurityEnhancementStrategy>,
    // The three fields the 2025-02-27 revision added default to what a
    // target written before them meant.
    #[serde(default)]
    password_reset: bool,
    #[serde(default)]
    key_pair_name: Option<String>,
    status_during: DiskStatus,
    status_after: DiskStatus,
    #[serde(default = "stopped")]
    instance_status_after: InstanceStatus,
}

const fn stopped() -> InstanceStatus {
    InstanceStatus::Stopped
}

impl From<OwnedTarget> for TargetRecord {
    fn from(t: OwnedTarget) -> Self {
        let transition = t.as_target().transition();
        Self {
            status_during: transition.disk_during(),
            status_after: transition.disk_after(),
            disk_id: t.disk_id,
            instance_id: t.instance_id,
            reset_to: t.reset_to,
            source_id: t.source_id,
            security_enhancement: t.security_enhancement,
            password_reset: t.password_reset,
            key_pair_name: t.key_pair_name,
            instance_status_after: t.instance_status_after,
        }
    }
}

/// A serialized target whose parts disagree.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("ResetTo {reset_to} {needs}")]
pub struct TargetError {
    reset_to: SourceKind,
    needs: &'static str,
}

impl TryFrom<TargetRecord> for OwnedTarget {
    type Error = TargetError;

    fn try_from(r: TargetRecord) -> Result<Self, TargetError> {
        match (r.reset_to, &r.source_id) {
            (SourceKind::Image | SourceKind::Snapshot, None) => Err(TargetError {
                reset_to: r.reset_to,
                needs: "needs a SourceId",
            }),
            (SourceKind::Empty, Some(_)) => Err(TargetError {
                reset_to: r.reset_to,
                needs: "has no SourceId",
            }),
            _ => Ok(Self {
                disk_id: r.disk_id,
                instance_id: r.instance_id,
                reset_to: r.reset_to,
                source_id: r.source_id,
                security_enhancement: r.security_enhancement,
                password_reset: r.password_reset,
                key_pair_name: r.key_pair_name,
                instance_status_after: r.instance_status_after,
            }),
        }
    }
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
