//! The request: the raw RPC parameters a client sent, borrowed, untyped.
//!
//! `ReInitDisk` reads three parameters; the real requests carry many more
//! (`RegionId`, `Format`, `Version`, the signature fields, ...), which are
//! ignored. Values stay raw strings here: whether `DiskId` is missing or
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

/// A `ReInitDisk` request: the parameters it reads, as the raw strings the
/// client sent. `None` is a parameter the client did not send.
///
/// Cheap to build and to copy: it borrows the caller's strings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct Request<'a> {
    /// `Action`.
    pub action: Option<&'a str>,
    /// `DiskId`.
    pub disk_id: Option<&'a str>,
    /// `SecurityEnhancementStrategy`.
    pub security_enhancement_strategy: Option<&'a str>,
}

impl<'a> Request<'a> {
    /// `Action=ReInitDisk&DiskId=<disk_id>`, the usual typed call.
    pub const fn new(disk_id: &'a str) -> Self {
        Self {
            action: Some(ACTION),
            disk_id: Some(disk_id),
            security_enhancement_strategy: None,
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
        }
    }
}
