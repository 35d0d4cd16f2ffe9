//! The outcome of a request: the target an accepted request re-initializes
//! the disk to, or the exact rejection.

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::catalogue::{Code, Entry};
use crate::checks::Check;
use crate::model::{DiskStatus, InstanceStatus, Source, SourceKind};
use crate::request::SecurityEnhancementStrategy;
use crate::transition::Transition;

/// Declares [`Target`], [`OwnedTarget`] and the serialized record from one
/// list of fields, and the conversions between them. Each field is written
/// with its type in a `Target<'w>` and in an `OwnedTarget` (converted by
/// [`Field`]), and, when a serialized target written before it existed
/// lacks it, `default` (`= "function"` for another default than
/// `Default`'s). `reset_to` is the field between `before` and `after`:
/// a [`Source`] in a `Target`, its kind and id in an `OwnedTarget` (the
/// id is `SourceId` in the record); the record also carries the disk's
/// statuses from the [`Transition`] (`StatusDuring`, `StatusAfter`), between
/// `after` and `last`.
macro_rules! targets {
    (
        before { $( $(#[doc = $b_doc:literal])* $b:ident: $b_ty:ty => $b_owned:ty $(, default $(= $b_def:literal)?)?; )* }
        after { $( $(#[doc = $a_doc:literal])* $a:ident: $a_ty:ty => $a_owned:ty $(, default $(= $a_def:literal)?)?; )* }
        last { $( $(#[doc = $l_doc:literal])* $l:ident: $l_ty:ty => $l_owned:ty $(, default $(= $l_def:literal)?)?; )* }
    ) => {
        /// What an accepted request re-initializes the disk to. Borrows its
        /// ids from the world, so building it allocates nothing;
        /// [`Target::into_owned`] makes an [`OwnedTarget`] that outlives
        /// the world.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub struct Target<'w> {
            $( $(#[doc = $b_doc])* pub $b: $b_ty, )*
            /// What its content is reset to.
            pub reset_to: Source<'w>,
            $( $(#[doc = $a_doc])* pub $a: $a_ty, )*
            $( $(#[doc = $l_doc])* pub $l: $l_ty, )*
        }

        /// A [`Target`] that owns its ids: to keep between the two stages
        /// of a re-init, or to serialize (a decision's `Target`).
        ///
        /// Serialized as `{"DiskId", "InstanceId", "ResetTo", "SourceId",
        /// "SecurityEnhancement", "PasswordReset", "KeyPairName",
        /// "StatusDuring", "StatusAfter", "InstanceStatusAfter"}`;
        /// `StatusDuring` and `StatusAfter` come from the [`Transition`].
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(into = "TargetRecord", try_from = "TargetRecord")]
        pub struct OwnedTarget {
            $( $(#[doc = $b_doc])* pub $b: $b_owned, )*
            /// What its content is reset to.
            pub reset_to: SourceKind,
            /// The image or snapshot id; `None` for an empty disk.
            pub source_id: Option<String>,
            $( $(#[doc = $a_doc])* pub $a: $a_owned, )*
            $( $(#[doc = $l_doc])* pub $l: $l_owned, )*
        }

        impl<'w> Target<'w> {
            /// An owned copy, which borrows nothing from the world: see
            /// [`Target::into_owned`].
            pub fn to_owned(&self) -> OwnedTarget {
                OwnedTarget {
                    $( $b: Field::own(self.$b), )*
                    reset_to: self.reset_to.kind(),
                    source_id: self.reset_to.id().map(str::to_owned),
                    $( $a: Field::own(self.$a), )*
                    $( $l: Field::own(self.$l), )*
                }
            }
        }

        impl OwnedTarget {
            /// The target, borrowed.
            pub fn as_target<'w>(&'w self) -> Target<'w> {
                let reset_to = match (self.reset_to, self.source_id.as_deref()) {
                    (SourceKind::Image, Some(id)) => Source::Image(id),
                    (SourceKind::Snapshot, Some(id)) => Source::Snapshot(id),
                    // A record without its id is refused when deserialized,
                    // and `Target::to_owned` always keeps it.
                    (SourceKind::Image | SourceKind::Snapshot, None) | (SourceKind::Empty, _) => {
                        Source::Empty
                    }
                };
                Target {
                    $( $b: <$b_ty as Field<'w>>::borrow(&self.$b), )*
                    reset_to,
                    $( $a: <$a_ty as Field<'w>>::borrow(&self.$a), )*
                    $( $l: <$l_ty as Field<'w>>::borrow(&self.$l), )*
                }
            }
        }

        /// The serialized shape of a target.
        #[derive(Serialize, Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "PascalCase")]
        struct TargetRecord {
            $( $(#[serde(default $(= $b_def)?)])? $b: $b_owned, )*
            reset_to: SourceKind,
            source_id: Option<String>,
            $( $(#[serde(default $(= $a_def)?)])? $a: $a_owned, )*
            status_during: DiskStatus,
            status_after: DiskStatus,
            $( $(#[serde(default $(= $l_def)?)])? $l: $l_owned, )*
        }

        impl From<OwnedTarget> for TargetRecord {
            fn from(t: OwnedTarget) -> Self {
                let transition = t.as_target().transition();
                Self {
                    status_during: transition.disk_during(),
                    status_after: transition.disk_after(),
                    $( $b: t.$b, )*
                    reset_to: t.reset_to,
                    source_id: t.source_id,
                    $( $a: t.$a, )*
                    $( $l: t.$l, )*
                }
            }
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
                        $( $b: r.$b, )*
                        reset_to: r.reset_to,
                        source_id: r.source_id,
                        $( $a: r.$a, )*
                        $( $l: r.$l, )*
                    }),
                }
            }
        }
    };
}

targets! {
    before {
        /// The disk being re-initialized.
        disk_id: &'w str => String;
        /// The instance it is attached to, and stays attached to.
        instance_id: &'w str => String;
    }
    after {
        /// The security-hardening strategy applied: only on a system disk;
        /// `None` where none was asked for (and the revision has no
        /// default) or the request's `Active` was ignored.
        security_enhancement: Option<SecurityEnhancementStrategy> => Option<SecurityEnhancementStrategy>;
        // The fields the 2025-02-27 revision added (these two and the last)
        // default, in a serialized target, to what a target written before
        // them meant.
        /// Whether the instance's password is reset: a `Password` was
        /// given, the revision reads it, and the disk is a system disk.
        password_reset: bool => bool, default;
        /// The key pair bound to the instance (`KeyPairName` on a system
        /// disk, in a revision that reads it), as the world spells it.
        key_pair_name: Option<&'w str> => Option<String>, default;
    }
    last {
        /// The instance's status once the re-init is done: `Running` when
        /// `AutoStartInstance` is true (in a revision that reads it), else
        /// `Stopped`.
        instance_status_after: InstanceStatus => InstanceStatus, default = "stopped";
    }
}

/// A field of a [`Target`] (`Self`, borrowing the world for `'w`) and its
/// type in an [`OwnedTarget`]: how one becomes the other.
trait Field<'w>: Copy {
    /// The field's type in an [`OwnedTarget`].
    type Owned;
    /// The owned value.
    fn own(self) -> Self::Owned;
    /// The value borrowed from an owned one.
    fn borrow(owned: &'w Self::Owned) -> Self;
}

impl<'w> Field<'w> for &'w str {
    type Owned = String;
    fn own(self) -> String {
        self.to_owned()
    }
    fn borrow(owned: &'w String) -> Self {
        owned
    }
}

impl<'w> Field<'w> for Option<&'w str> {
    type Owned = Option<String>;
    fn own(self) -> Option<String> {
        self.map(str::to_owned)
    }
    fn borrow(owned: &'w Option<String>) -> Self {
        owned.as_deref()
    }
}

/// Fields that borrow nothing: the same value in both.
macro_rules! plain_fields {
    ($($ty:ty),*) => {$(
        impl Field<'_> for $ty {
            type Owned = Self;
            fn own(self) -> Self {
                self
            }
            fn borrow(owned: &Self) -> Self {
                *owned
            }
        }
    )*};
}

plain_fields!(bool, InstanceStatus, Option<SecurityEnhancementStrategy>);

impl<'w> Target<'w> {
    /// What the re-init does to the world, stage by stage.
    pub const fn transition(&self) -> Transition<'w> {
        Transition::reinit(self.disk_id, self.instance_id).with_auto_start(matches!(
            self.instance_status_after,
            InstanceStatus::Running
        ))
    }

    /// The target as an [`OwnedTarget`], which borrows nothing.
    ///
    /// A `Target` borrows the world it was decided on (`evaluate` allocates
    /// nothing), so while it lives the world cannot be changed. An embedder
    /// that applies the decision (marks the disk `ReIniting` through
    /// [`WorldMut`](crate::WorldMut), or answers later) keeps this instead,
    /// and mutates the world freely; [`OwnedTarget::as_target`] borrows it
    /// back (to get its [`Transition`]).
    pub fn into_owned(self) -> OwnedTarget {
        self.to_owned()
    }
}

impl From<Target<'_>> for OwnedTarget {
    fn from(target: Target<'_>) -> Self {
        target.into_owned()
    }
}

const fn stopped() -> InstanceStatus {
    InstanceStatus::Stopped
}

/// A serialized target whose parts disagree.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("ResetTo {reset_to} {needs}")]
pub struct TargetError {
    reset_to: SourceKind,
    needs: &'static str,
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

#[cfg(test)]
mod tests {
    use super::*;

    const TARGET: Target<'static> = Target {
        disk_id: "d-1",
        instance_id: "i-1",
        reset_to: Source::Snapshot("s-1"),
        security_enhancement: Some(SecurityEnhancementStrategy::Deactive),
        password_reset: true,
        key_pair_name: Some("kp-1"),
        instance_status_after: InstanceStatus::Running,
    };

    const JSON: &str = r#"{"DiskId":"d-1","InstanceId":"i-1","ResetTo":"Snapshot","SourceId":"s-1","SecurityEnhancement":"Deactive","PasswordReset":true,"KeyPairName":"kp-1","StatusDuring":"ReIniting","StatusAfter":"In_use","InstanceStatusAfter":"Running"}"#;

    #[test]
    fn an_owned_target_holds_every_field_and_borrows_back_the_same_target() {
        let owned = TARGET.into_owned();
        assert_eq!(owned, TARGET.to_owned());
        assert_eq!(owned, OwnedTarget::from(TARGET));
        assert_eq!(owned.disk_id, "d-1");
        assert_eq!(owned.instance_id, "i-1");
        assert_eq!(owned.reset_to, SourceKind::Snapshot);
        assert_eq!(owned.source_id.as_deref(), Some("s-1"));
        assert_eq!(owned.key_pair_name.as_deref(), Some("kp-1"));
        assert!(owned.password_reset);
        assert_eq!(owned.instance_status_after, InstanceStatus::Running);
        assert_eq!(owned.as_target(), TARGET);
        for reset_to in [Source::Image("m-1"), Source::Empty] {
            let target = Target { reset_to, ..TARGET };
            assert_eq!(target.into_owned().as_target(), target);
        }
    }

    #[test]
    fn a_target_serializes_in_its_fields_order_and_reads_back() {
        let owned = TARGET.into_owned();
        let json = serde_json::to_string(&owned).unwrap();
        assert_eq!(json, JSON);
        assert_eq!(serde_json::from_str::<OwnedTarget>(&json).unwrap(), owned);
    }

    #[test]
    fn a_target_written_before_2025_02_27_reads_with_its_defaults() {
        let old = r#"{"DiskId":"d-1","InstanceId":"i-1","ResetTo":"Empty","SourceId":null,"SecurityEnhancement":null,"StatusDuring":"ReIniting","StatusAfter":"In_use"}"#;
        let owned: OwnedTarget = serde_json::from_str(old).unwrap();
        assert!(!owned.password_reset);
        assert_eq!(owned.key_pair_name, None);
        assert_eq!(owned.instance_status_after, InstanceStatus::Stopped);
        let refused = serde_json::from_str::<OwnedTarget>(
            &old.replace(r#""SourceId":null"#, r#""SourceId":"s-1""#),
        );
        assert!(
            refused
                .unwrap_err()
                .to_string()
                .contains("ResetTo Empty has no SourceId")
        );
    }
}
