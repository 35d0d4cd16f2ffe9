//! Instances: their status, whether they ever started, and their locks.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumCount, EnumIter, EnumString, IntoStaticStr, VariantArray};

/// `Status` of an instance in ECS.
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
pub enum InstanceStatus {
    /// `Pending`: being created.
    Pending,
    /// `Running`.
    Running,
    /// `Starting`.
    Starting,
    /// `Stopping`.
    Stopping,
    /// `Stopped`.
    Stopped,
}

/// `OSType` of an instance in ECS.
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
#[strum(serialize_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum OsType {
    /// `linux` (default).
    #[default]
    Linux,
    /// `windows`.
    Windows,
}

/// `StoppedMode` of a stopped instance in ECS, as `StopInstance` takes it and
/// `DescribeInstances` shows it.
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
pub enum StoppedMode {
    /// `KeepCharging`: standard mode, the instance's resources kept and
    /// billed (the default: the economical mode is an account setting the
    /// world does not have).
    #[default]
    KeepCharging,
    /// `StopCharging`: economical mode.
    StopCharging,
}

/// `LockReason` of an instance's or a disk's `OperationLocks` in ECS.
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
#[strum(serialize_all = "lowercase")]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum LockReason {
    /// `security`: locked for security.
    Security,
    /// `financial`: stopped for overdue payment.
    Financial,
    /// `recycling`: a preemptible instance about to be released.
    Recycling,
    /// `dedicatedhostfinancial`: its dedicated host is in arrears.
    Dedicatedhostfinancial,
    /// `refunded`: refunded.
    Refunded,
}

impl LockReason {
    const fn bit(self) -> u8 {
        1 << (self as u8)
    }

    /// Whether this lock means the instance is expired or in arrears
    /// (every reason but `security`).
    pub const fn is_financial(self) -> bool {
        !matches!(self, Self::Security)
    }
}

/// An instance's or a disk's `OperationLocks` (a bit set: `Copy`, no
/// allocation).
///
/// Deserialized from a list whose entries are each a `LockReason` value,
/// plainly (`["financial"]`) or in ECS's own shape
/// (`[{"LockReason": "financial"}]`), the two mixed as they come; a reason
/// listed twice counts once. Serialized as the plain list, in declaration
/// order (`["security","financial"]`): the scenario format's shape, which
/// reads back to the same set (docs/scenario.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "Vec<LockReason>")]
pub struct LockSet(u8);

impl<'de> Deserialize<'de> for LockSet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let entries = Vec::<LockEntry>::deserialize(deserializer)?;
        Ok(entries.into_iter().map(|entry| entry.0).collect())
    }
}

/// One entry of `OperationLocks`: `"financial"`, or ECS's
/// `{"LockReason": "financial"}`.
struct LockEntry(LockReason);

impl<'de> Deserialize<'de> for LockEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LockEntryVisitor)
    }
}

/// Reads a [`LockEntry`] from a string or a one-key object.
struct LockEntryVisitor;

/// The one key of ECS's shape of a lock.
const LOCK_REASON: &str = "LockReason";

impl<'de> serde::de::Visitor<'de> for LockEntryVisitor {
    type Value = LockEntry;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // As serde names an enum's values, so that the message reads like
        // every other field's.
        f.write_str("one of ")?;
        for (i, reason) in <LockReason as VariantArray>::VARIANTS.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "`{reason}`")?;
        }
        f.write_str(r#", plainly or as {"LockReason": "..."}"#)
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<LockEntry, E> {
        use serde::de::IntoDeserializer;
        LockReason::deserialize(value.into_deserializer()).map(LockEntry)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<LockEntry, A::Error> {
        use serde::de::Error;
        let mut reason = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key != LOCK_REASON {
                return Err(A::Error::unknown_field(&key, &[LOCK_REASON]));
            }
            if reason.is_some() {
                return Err(A::Error::duplicate_field(LOCK_REASON));
            }
            reason = Some(map.next_value::<LockReason>()?);
        }
        reason
            .map(LockEntry)
            .ok_or_else(|| A::Error::missing_field(LOCK_REASON))
    }
}

super::bit_set!(LockSet, LockReason, u8, "locks");

impl LockSet {
    /// Whether any lock means the instance is expired or in arrears.
    pub const fn any_financial(self) -> bool {
        self.0 & !LockReason::Security.bit() != 0
    }

    /// The locks with `reason` removed.
    #[must_use]
    pub const fn without(self, reason: LockReason) -> Self {
        Self(self.0 & !reason.bit())
    }

    /// Whether there is no lock.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// An instance, as `ReInitDisk` sees it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Instance {
    /// `InstanceId`.
    pub id: String,
    /// `Status`.
    pub status: InstanceStatus,
    /// Whether the instance has been started at least once since it was
    /// created (default `true`).
    pub has_started: bool,
    /// `OperationLocks`: the reasons the instance is locked (default none).
    pub operation_locks: LockSet,
    /// `OSType` (default `linux`).
    pub os_type: OsType,
    /// `HibernationOptions.Configured`: whether hibernation is configured
    /// (default `false`).
    pub hibernation_configured: bool,
    /// `ImageOptions.LoginAsNonRoot`: whether logon is as a non-root user
    /// (default `false`).
    pub login_as_non_root: bool,
    /// `IoOptimized` (default `true`).
    pub io_optimized: bool,
    /// `StoppedMode`: how it was last stopped (`StopInstance`'s
    /// `StoppedMode`; default none, shown as `KeepCharging` while the
    /// instance is stopped).
    pub stopped_mode: Option<StoppedMode>,
}

/// The serialized shape of [`Instance`], field for field: serde's derive
/// sits here, on a private type, so that the helper functions it makes
/// (`serialize`, `deserialize`) are not public API; `map_only!` gives
/// `Instance` its `Serialize` and `Deserialize`.
#[derive(Serialize, Deserialize)]
#[serde(remote = "Instance", deny_unknown_fields, rename_all = "PascalCase")]
struct InstanceFields {
    #[serde(rename = "InstanceId")]
    id: String,
    status: InstanceStatus,
    #[serde(default = "yes")]
    has_started: bool,
    #[serde(default)]
    operation_locks: LockSet,
    #[serde(default, rename = "OSType")]
    os_type: OsType,
    #[serde(default)]
    hibernation_configured: bool,
    #[serde(default)]
    login_as_non_root: bool,
    #[serde(default = "yes")]
    io_optimized: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stopped_mode: Option<StoppedMode>,
}

/// A blank instance: no id, `Stopped`, started before, every other fact at
/// its default. Fill it with struct update syntax
/// (`Instance { id: "i-1".into(), ..Instance::default() }`).
impl Default for Instance {
    fn default() -> Self {
        Self {
            id: String::new(),
            status: InstanceStatus::Stopped,
            has_started: true,
            operation_locks: LockSet::EMPTY,
            os_type: OsType::Linux,
            hibernation_configured: false,
            login_as_non_root: false,
            io_optimized: true,
            stopped_mode: None,
        }
    }
}

crate::map_only::map_only!(Instance, InstanceFields, "an instance");

#[cfg(feature = "ecs")]
impl Instance {
    /// The keys an instance record is read from in a scenario, as its serde derive
    /// declares them (the rest of a record's keys are ECS's own fields:
    /// `crate::ecs::Fields`).
    pub(crate) fn record_keys() -> &'static [&'static str] {
        crate::map_only::struct_fields(|d| InstanceFields::deserialize(d))
    }
}

impl Instance {
    /// Puts the instance in `status`: a `Running` instance has started, so
    /// `has_started` becomes `true` with it (and stays so: stopping does
    /// not undo a start). Every world's `set_instance_status` goes through
    /// here.
    pub fn set_status(&mut self, status: InstanceStatus) {
        self.status = status;
        if status == InstanceStatus::Running {
            self.has_started = true;
        }
    }

    /// The `StoppedMode` `DescribeInstances` shows: how it was stopped
    /// (default `KeepCharging`) while it is `Stopped` or `Stopping`,
    /// `Not-applicable` otherwise.
    pub fn stopped_mode_shown(&self) -> &'static str {
        match self.status {
            InstanceStatus::Stopped | InstanceStatus::Stopping => {
                self.stopped_mode.unwrap_or_default().into()
            }
            _ => "Not-applicable",
        }
    }

    /// The instance as the checks read it.
    pub fn view(&self) -> InstanceView<'_> {
        InstanceView::new(&self.id, self.status)
            .with_has_started(self.has_started)
            .with_operation_locks(self.operation_locks)
            .with_os_type(self.os_type)
            .with_hibernation_configured(self.hibernation_configured)
            .with_login_as_non_root(self.login_as_non_root)
            .with_io_optimized(self.io_optimized)
    }
}

/// An instance as the checks read it, borrowed from whatever store holds it.
///
/// Built with [`InstanceView::new`] and the `with_*` methods, so that a fact
/// a later revision reads arrives with its default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct InstanceView<'a> {
    /// `InstanceId`.
    pub id: &'a str,
    /// `Status`.
    pub status: InstanceStatus,
    /// Whether it has started at least once (default `true`).
    pub has_started: bool,
    /// `OperationLocks` (default none).
    pub operation_locks: LockSet,
    /// `OSType` (default `linux`).
    pub os_type: OsType,
    /// `HibernationOptions.Configured` (default `false`).
    pub hibernation_configured: bool,
    /// `ImageOptions.LoginAsNonRoot` (default `false`).
    pub login_as_non_root: bool,
    /// `IoOptimized` (default `true`).
    pub io_optimized: bool,
}

impl<'a> InstanceView<'a> {
    /// An instance that has started before and has no lock.
    pub const fn new(id: &'a str, status: InstanceStatus) -> Self {
        Self {
            id,
            status,
            has_started: true,
            operation_locks: LockSet::EMPTY,
            os_type: OsType::Linux,
            hibernation_configured: false,
            login_as_non_root: false,
            io_optimized: true,
        }
    }

    /// The same instance, started before or never.
    #[must_use]
    pub const fn with_has_started(mut self, has_started: bool) -> Self {
        self.has_started = has_started;
        self
    }

    /// The same instance, with these locks.
    #[must_use]
    pub const fn with_operation_locks(mut self, operation_locks: LockSet) -> Self {
        self.operation_locks = operation_locks;
        self
    }

    /// The same instance, of this OS type.
    #[must_use]
    pub const fn with_os_type(mut self, os_type: OsType) -> Self {
        self.os_type = os_type;
        self
    }

    /// The same instance, with hibernation configured or not.
    #[must_use]
    pub const fn with_hibernation_configured(mut self, configured: bool) -> Self {
        self.hibernation_configured = configured;
        self
    }

    /// The same instance, logging on as a non-root user or not.
    #[must_use]
    pub const fn with_login_as_non_root(mut self, login_as_non_root: bool) -> Self {
        self.login_as_non_root = login_as_non_root;
        self
    }

    /// The same instance, I/O optimized or not.
    #[must_use]
    pub const fn with_io_optimized(mut self, io_optimized: bool) -> Self {
        self.io_optimized = io_optimized;
        self
    }
}

const fn yes() -> bool {
    true
}
