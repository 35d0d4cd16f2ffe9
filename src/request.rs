//! The request: the raw RPC parameters a client sent, borrowed, untyped.
//!
//! The seed revision reads three parameters, the 2025-02-27 revision seven;
//! the real requests carry many more (`Format`, `Version`, the signature
//! fields, ...), which are ignored. A revision lists the parameters it reads
//! ([`Revision::params`](crate::Revision)); the others are ignored as well. Values stay raw strings here: whether `DiskId` is missing or
//! `SecurityEnhancementStrategy` is valid is decided by the request checks
//! in [`crate::checks`], so that a bad request gets its ECS error.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumCount, EnumIter, EnumString, IntoStaticStr, VariantArray};

/// The name of the action this crate models, the only accepted `Action`.
pub const ACTION: &str = "ReInitDisk";

/// The request parameters `ReInitDisk` reads, spelled as ECS spells them
/// (case-sensitive).
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
)]
#[non_exhaustive]
pub enum Param {
    /// `Action`: must be `ReInitDisk` when given.
    Action,
    /// `DiskId`: required.
    DiskId,
    /// `SecurityEnhancementStrategy`: optional, `Active` or `Deactive`.
    SecurityEnhancementStrategy,
    /// `Password`: optional, the system disk's new logon password (the
    /// 2025-02-27 revision). Never echoed.
    Password,
    /// `KeyPairName`: optional, the key pair to bind (the 2025-02-27
    /// revision).
    KeyPairName,
    /// `AutoStartInstance`: optional, `true` or `false` in any case (the
    /// 2025-02-27 revision).
    AutoStartInstance,
    /// `RegionId`: sent by every SDK; the 2025-02-27 revision refuses a
    /// malformed one.
    RegionId,
}

/// A set of [`Param`]s (a bit set: `Copy`, no allocation): the parameters
/// a revision reads, asked about in one step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ParamSet(u16);

impl ParamSet {
    /// The set of `params`.
    pub const fn of(params: &[Param]) -> Self {
        let mut bits = 0u16;
        let mut rest = params;
        while let [first, tail @ ..] = rest {
            bits |= 1 << (*first as u16);
            rest = tail;
        }
        Self(bits)
    }

    /// Whether `param` is in the set.
    #[inline]
    pub const fn contains(self, param: Param) -> bool {
        self.0 & (1 << (param as u16)) != 0
    }
}

/// `SecurityEnhancementStrategy`: whether to turn on security hardening
/// (Cloud Shield) on a system disk.
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
pub enum SecurityEnhancementStrategy {
    /// `Active`: install Cloud Shield; public images only.
    Active,
    /// `Deactive`: uninstall Cloud Shield; all images.
    Deactive,
}

impl SecurityEnhancementStrategy {
    /// The strategy `value` names, exactly as sent (case-sensitive, as
    /// ECS's enum values are); `None` for anything else. What `FromStr`
    /// accepts, in a `match` the engine inlines.
    #[inline]
    pub const fn from_sent(value: &str) -> Option<Self> {
        match value.as_bytes() {
            b"Active" => Some(Self::Active),
            b"Deactive" => Some(Self::Deactive),
            _ => None,
        }
    }
}

/// A `ReInitDisk` request: the parameters it reads, as the raw strings the
/// client sent. `None` is a parameter the client did not send.
///
/// Cheap to build and to copy: it borrows the caller's strings. Its `Debug`
/// shows whether a `Password` was given, never the password.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Request<'a> {
    /// `Action`.
    pub action: Option<&'a str>,
    /// `DiskId`.
    pub disk_id: Option<&'a str>,
    /// `SecurityEnhancementStrategy`.
    pub security_enhancement_strategy: Option<&'a str>,
    /// `Password` (a secret: never shown).
    pub password: Option<&'a str>,
    /// `KeyPairName`.
    pub key_pair_name: Option<&'a str>,
    /// `AutoStartInstance`.
    pub auto_start_instance: Option<&'a str>,
    /// `RegionId`.
    pub region_id: Option<&'a str>,
}

impl core::fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Request")
            .field("action", &self.action)
            .field("disk_id", &self.disk_id)
            .field(
                "security_enhancement_strategy",
                &self.security_enhancement_strategy,
            )
            .field("password", &self.password.map(|_| Redacted))
            .field("key_pair_name", &self.key_pair_name)
            .field("auto_start_instance", &self.auto_start_instance)
            .field("region_id", &self.region_id)
            .finish()
    }
}

/// Stands for a secret in `Debug` output.
struct Redacted;

impl core::fmt::Debug for Redacted {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl<'a> Request<'a> {
    /// `Action=ReInitDisk&DiskId=<disk_id>`, the usual typed call.
    pub const fn new(disk_id: &'a str) -> Self {
        Self {
            action: Some(ACTION),
            disk_id: Some(disk_id),
            security_enhancement_strategy: None,
            password: None,
            key_pair_name: None,
            auto_start_instance: None,
            region_id: None,
        }
    }

    /// The same request with `SecurityEnhancementStrategy` set.
    #[must_use]
    pub const fn with_strategy(mut self, strategy: SecurityEnhancementStrategy) -> Self {
        self.security_enhancement_strategy = Some(match strategy {
            SecurityEnhancementStrategy::Active => "Active",
            SecurityEnhancementStrategy::Deactive => "Deactive",
        });
        self
    }

    /// The request in an RPC parameter map (name to value). Names are
    /// case-sensitive, unknown names are ignored, and of a name given twice
    /// the last value counts (the wire layer refuses conflicting repeats
    /// before it gets here).
    pub fn from_params<I>(params: I) -> Self
    where
        I: IntoIterator<Item = (&'a str, &'a str)>,
    {
        params
            .into_iter()
            .fold(Self::default(), |mut request, (name, value)| {
                match name.parse::<Param>() {
                    Ok(Param::Action) => request.action = Some(value),
                    Ok(Param::DiskId) => request.disk_id = Some(value),
                    Ok(Param::SecurityEnhancementStrategy) => {
                        request.security_enhancement_strategy = Some(value);
                    }
                    Ok(Param::Password) => request.password = Some(value),
                    Ok(Param::KeyPairName) => request.key_pair_name = Some(value),
                    Ok(Param::AutoStartInstance) => request.auto_start_instance = Some(value),
                    Ok(Param::RegionId) => request.region_id = Some(value),
                    Err(_) => {}
                }
                request
            })
    }

    /// The value of `param`, as sent.
    pub const fn get(&self, param: Param) -> Option<&'a str> {
        match param {
            Param::Action => self.action,
            Param::DiskId => self.disk_id,
            Param::SecurityEnhancementStrategy => self.security_enhancement_strategy,
            Param::Password => self.password,
            Param::KeyPairName => self.key_pair_name,
            Param::AutoStartInstance => self.auto_start_instance,
            Param::RegionId => self.region_id,
        }
    }

    /// `AutoStartInstance` read as ECS reads it: `true` in any letter case.
    /// (Whether the value is valid is the `auto-start-value` check's.)
    pub fn auto_start(&self) -> bool {
        self.auto_start_instance
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}
