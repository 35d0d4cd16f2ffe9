//! What the account has beyond disks, instances, images and snapshots: its
//! key pairs, its KMS keys, and the account itself in its region.

use serde::{Deserialize, Serialize};
use strum::{Display, EnumCount, EnumIter, EnumString, IntoStaticStr, VariantArray};

/// A key pair of the account (`DescribeKeyPairs`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct KeyPair {
    /// `KeyPairName`.
    pub name: String,
}

/// The serialized shape of [`KeyPair`], field for field: serde's derive
/// sits here, on a private type, so that the helper functions it makes
/// (`serialize`, `deserialize`) are not public API; `map_only!` gives
/// `KeyPair` its `Serialize` and `Deserialize`.
#[derive(Serialize, Deserialize)]
#[serde(remote = "KeyPair", deny_unknown_fields, rename_all = "PascalCase")]
struct KeyPairFields {
    #[serde(rename = "KeyPairName")]
    name: String,
}

crate::map_only::map_only!(KeyPair, KeyPairFields, "a key pair");

#[cfg(feature = "ecs")]
impl KeyPair {
    /// The keys a key pair record is read from in a scenario, as its serde derive
    /// declares them (the rest of a record's keys are ECS's own fields:
    /// `crate::ecs::Fields`).
    pub(crate) fn record_keys() -> &'static [&'static str] {
        crate::map_only::struct_fields(|d| KeyPairFields::deserialize(d))
    }
}

impl KeyPair {
    /// The key pair as the checks read it.
    pub fn view(&self) -> KeyPairView<'_> {
        KeyPairView::new(&self.name)
    }
}

/// A key pair as the checks read it, borrowed from whatever store holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct KeyPairView<'a> {
    /// `KeyPairName`.
    pub name: &'a str,
}

impl<'a> KeyPairView<'a> {
    /// The key pair `name`.
    pub const fn new(name: &'a str) -> Self {
        Self { name }
    }
}

/// `KeyState` of a KMS key.
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
#[non_exhaustive]
pub enum KeyState {
    /// `Enabled` (default).
    #[default]
    Enabled,
    /// `Disabled`.
    Disabled,
    /// `PendingDeletion`.
    PendingDeletion,
}

/// A KMS key (customer master key) of the account, as far as ECS's use of it
/// goes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
pub struct KmsKey {
    /// `KeyId`.
    pub id: String,
    /// `KeyState` (default `Enabled`).
    pub key_state: KeyState,
    /// `EcsAuthorized`: whether ECS may use KMS on the account's behalf
    /// (default `true`).
    pub ecs_authorized: bool,
    /// `EcsTagged`: whether the key carries the tag that lets ECS use it
    /// (default `true`).
    pub ecs_tagged: bool,
}

/// The serialized shape of [`KmsKey`], field for field: serde's derive
/// sits here, on a private type, so that the helper functions it makes
/// (`serialize`, `deserialize`) are not public API; `map_only!` gives
/// `KmsKey` its `Serialize` and `Deserialize`.
#[derive(Serialize, Deserialize)]
#[serde(remote = "KmsKey", deny_unknown_fields, rename_all = "PascalCase")]
struct KmsKeyFields {
    #[serde(rename = "KeyId")]
    id: String,
    #[serde(default)]
    key_state: KeyState,
    #[serde(default = "yes")]
    ecs_authorized: bool,
    #[serde(default = "yes")]
    ecs_tagged: bool,
}

crate::map_only::map_only!(KmsKey, KmsKeyFields, "a KMS key");

/// A blank usable key: no id, `Enabled`, authorized and tagged.
impl Default for KmsKey {
    fn default() -> Self {
        Self {
            id: String::new(),
            key_state: KeyState::Enabled,
            ecs_authorized: true,
            ecs_tagged: true,
        }
    }
}

impl KmsKey {
    /// The key as the checks read it.
    pub fn view(&self) -> KmsKeyView<'_> {
        KmsKeyView::new(&self.id)
            .with_key_state(self.key_state)
            .with_ecs_authorized(self.ecs_authorized)
            .with_ecs_tagged(self.ecs_tagged)
    }
}

/// A KMS key as the checks read it, borrowed from whatever store holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct KmsKeyView<'a> {
    /// `KeyId`.
    pub id: &'a str,
    /// `KeyState` (default `Enabled`).
    pub key_state: KeyState,
    /// Whether ECS may use KMS (default `true`).
    pub ecs_authorized: bool,
    /// Whether the key carries the ECS tag (default `true`).
    pub ecs_tagged: bool,
}

impl<'a> KmsKeyView<'a> {
    /// An enabled key that ECS may use.
    pub const fn new(id: &'a str) -> Self {
        Self {
            id,
            key_state: KeyState::Enabled,
            ecs_authorized: true,
            ecs_tagged: true,
        }
    }

    /// The same key, in this state.
    #[must_use]
    pub const fn with_key_state(mut self, key_state: KeyState) -> Self {
        self.key_state = key_state;
        self
    }

    /// The same key, ECS authorized to use KMS or not.
    #[must_use]
    pub const fn with_ecs_authorized(mut self, authorized: bool) -> Self {
        self.ecs_authorized = authorized;
        self
    }

    /// The same key, carrying the ECS tag or not.
    #[must_use]
    pub const fn with_ecs_tagged(mut self, tagged: bool) -> Self {
        self.ecs_tagged = tagged;
        self
    }
}

/// The account, in the region the world is: what the 2025-02-27 revision's
/// account-wide codes read. Every field defaults to the value under which
/// no such code answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
#[non_exhaustive]
pub struct Account {
    /// `InVolumeWhiteList`: whether the account is on the volume white list
    /// that re-initializing disks needs (default `true`;
    /// `UserNotInTheWhiteList` otherwise).
    pub in_volume_white_list: bool,
    /// `RegionSupportsLoginAsNonRoot`: whether the region supports logon as a
    /// non-root user (default `true`; `LoginAsNonRoot.RegionNotSupport`
    /// otherwise).
    pub region_supports_login_as_non_root: bool,
}

/// The serialized shape of [`Account`], field for field: serde's derive
/// sits here, on a private type, so that the helper functions it makes
/// (`serialize`, `deserialize`) are not public API; `map_only!` gives
/// `Account` its `Serialize` and `Deserialize`.
#[derive(Serialize, Deserialize)]
#[serde(remote = "Account", deny_unknown_fields, rename_all = "PascalCase")]
struct AccountFields {
    // Each field's default is `Account::DEFAULT`'s (a container `default`
    // would need the mirror itself to have one).
    #[serde(default = "yes")]
    in_volume_white_list: bool,
    #[serde(default = "yes")]
    region_supports_login_as_non_root: bool,
}

crate::map_only::map_only!(Account, AccountFields, "the account");

impl Account {
    /// The account as every present scenario has it: nothing refused.
    pub const DEFAULT: Self = Self {
        in_volume_white_list: true,
        region_supports_login_as_non_root: true,
    };

    /// The same account, on the volume white list or not.
    #[must_use]
    pub const fn with_in_volume_white_list(mut self, listed: bool) -> Self {
        self.in_volume_white_list = listed;
        self
    }

    /// The same account, in a region that supports non-root logon or not.
    #[must_use]
    pub const fn with_region_supports_login_as_non_root(mut self, supported: bool) -> Self {
        self.region_supports_login_as_non_root = supported;
        self
    }
}

impl Default for Account {
    fn default() -> Self {
        Self::DEFAULT
    }
}

const fn yes() -> bool {
    true
}
