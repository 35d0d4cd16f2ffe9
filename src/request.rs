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

/// Declares the request parameters once: each parameter's name (the
/// [`Param`] variant, spelled as ECS spells it), the [`Request`] field that
/// holds its value, whether its value is a secret (never shown), and its
/// documentation. It generates [`Param`], [`Request`]'s fields,
/// [`Param::as_str`], [`Param::field_name`], [`Param::is_secret`],
/// [`Request::get`], [`Request::set`] and [`Request`]'s redacting `Debug`;
/// everything else that names the parameters ([`Param::ALL`],
/// [`Request::from_params`], the Python package, the fuzzers) walks these.
macro_rules! params {
    ($(
        $(#[doc = $doc:literal])*
        $param:ident => $field:ident $(, $secret:ident)?;
    )*) => {
        /// The request parameters `ReInitDisk` reads, spelled as ECS spells
        /// them (case-sensitive).
        ///
        /// [`Param::ALL`] lists them (in [`Request`]'s field order); a name
        /// is read with `str::parse` (`"DiskId".parse::<Param>()`, exact
        /// case) and written with [`Param::as_str`] (or `Display`, or
        /// `<&str>::from`); [`Param::index`] numbers them for a table of
        /// [`Param::COUNT`](strum::EnumCount) slots.
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
            $( $(#[doc = $doc])* $param, )*
        }

        impl Param {
            /// The name, as ECS spells it (what `Display` and
            /// `<&str>::from` give, in a `const fn`).
            #[inline]
            pub const fn as_str(self) -> &'static str {
                match self {
                    $( Self::$param => stringify!($param), )*
                }
            }

            /// The name of the [`Request`] field that holds its value
            /// (`disk_id` for `DiskId`), as `Request`'s `Debug` shows it.
            #[inline]
            pub const fn field_name(self) -> &'static str {
                match self {
                    $( Self::$param => stringify!($field), )*
                }
            }

            /// Whether its value is a secret (`Password`): never shown, in
            /// a `Debug`, an error message or a trace.
            #[inline]
            pub const fn is_secret(self) -> bool {
                match self {
                    $( Self::$param => params!(@secret $($secret)?), )*
                }
            }
        }

        /// A `ReInitDisk` request: the parameters it reads, as the raw
        /// strings the client sent. `None` is a parameter the client did not
        /// send.
        ///
        /// Cheap to build and to copy: it borrows the caller's strings. Its
        /// `Debug` shows whether a secret (`Password`) was given, never its
        /// value.
        ///
        /// A caller that reads parameters by name need not name the fields:
        /// [`Request::from_params`] takes `(name, value)` pairs, and
        /// [`Request::get`] and [`Request::set`] take a [`Param`].
        #[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        pub struct Request<'a> {
            $(
                #[doc = concat!("`", stringify!($param), "`", params!(@secret_doc $($secret)?))]
                pub $field: Option<&'a str>,
            )*
        }

        impl<'a> Request<'a> {
            /// No parameter given (what `Default` gives, as a constant).
            const NONE: Self = Self { $( $field: None, )* };

            /// The value of `param`, as sent.
            #[inline]
            pub const fn get(&self, param: Param) -> Option<&'a str> {
                match param {
                    $( Param::$param => self.$field, )*
                }
            }

            /// Sets the value of `param` to `value`, as sent (the last value
            /// given counts).
            #[inline]
            pub const fn set(&mut self, param: Param, value: &'a str) {
                match param {
                    $( Param::$param => self.$field = Some(value), )*
                }
            }
        }

        impl core::fmt::Debug for Request<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_struct("Request")
                    $( .field(stringify!($field), &params!(@shown self.$field $(, $secret)?)) )*
                    .finish()
            }
        }
    };
    (@secret) => { false };
    (@secret secret) => { true };
    (@secret_doc) => { "." };
    (@secret_doc secret) => { " (a secret: never shown)." };
    (@shown $value:expr) => { $value };
    (@shown $value:expr, secret) => { $value.map(|_| Redacted) };
}

params! {
    /// `Action`: must be `ReInitDisk` when given.
    Action => action;
    /// `DiskId`: required.
    DiskId => disk_id;
    /// `SecurityEnhancementStrategy`: optional, `Active` or `Deactive`.
    SecurityEnhancementStrategy => security_enhancement_strategy;
    /// `Password`: optional, the system disk's new logon password (the
    /// 2025-02-27 revision). Never echoed.
    Password => password, secret;
    /// `KeyPairName`: optional, the key pair to bind (the 2025-02-27
    /// revision).
    KeyPairName => key_pair_name;
    /// `AutoStartInstance`: optional, `true` or `false` in any case (the
    /// 2025-02-27 revision).
    AutoStartInstance => auto_start_instance;
    /// `RegionId`: sent by every SDK; the 2025-02-27 revision refuses a
    /// malformed one.
    RegionId => region_id;
}

impl Param {
    /// Every parameter, in [`Request`]'s field order (the same list as
    /// [`VariantArray::VARIANTS`], without importing the trait): what a
    /// binding or a fuzzer walks instead of naming the parameters again.
    pub const ALL: &'static [Self] = <Self as VariantArray>::VARIANTS;

    /// Its position in [`Param::ALL`], below [`Param::COUNT`]: an index
    /// for a table with a slot per parameter (an `as` cast of a
    /// `#[non_exhaustive]` enum is refused outside this crate).
    #[inline]
    pub const fn index(self) -> usize {
        self as usize
    }
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
            ..Self::NONE
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
            .fold(Self::NONE, |mut request, (name, value)| {
                if let Ok(param) = name.parse::<Param>() {
                    request.set(param, value);
                }
                request
            })
    }

    /// The parameters given, with their values, in [`Param::ALL`]'s
    /// order.
    pub fn given(&self) -> impl Iterator<Item = (Param, &'a str)> + use<'a> {
        let request = *self;
        Param::ALL
            .iter()
            .filter_map(move |&param| Some((param, request.get(param)?)))
    }

    /// `AutoStartInstance` read as ECS reads it: `true` in any letter case.
    /// (Whether the value is valid is the `auto-start-value` check's.)
    pub fn auto_start(&self) -> bool {
        self.auto_start_instance
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each parameter's value, distinct: its name in lower case.
    fn value_of(param: Param) -> &'static str {
        match param {
            Param::Action => "action",
            Param::DiskId => "diskid",
            Param::SecurityEnhancementStrategy => "securityenhancementstrategy",
            Param::Password => "password",
            Param::KeyPairName => "keypairname",
            Param::AutoStartInstance => "autostartinstance",
            Param::RegionId => "regionid",
        }
    }

    #[test]
    fn every_parameter_is_listed_once_in_order_and_spelled_as_ecs_spells_it() {
        assert_eq!(Param::ALL.len(), Param::COUNT);
        let names: Vec<&str> = Param::ALL.iter().map(|p| p.as_str()).collect();
        assert_eq!(
            names,
            [
                "Action",
                "DiskId",
                "SecurityEnhancementStrategy",
                "Password",
                "KeyPairName",
                "AutoStartInstance",
                "RegionId",
            ]
        );
        for (i, &param) in Param::ALL.iter().enumerate() {
            assert_eq!(param.index(), i);
            assert_eq!(param.as_str(), <&str>::from(param));
            assert_eq!(param.as_str(), param.to_string());
            assert_eq!(param.as_str().parse::<Param>(), Ok(param));
            assert_eq!(param.is_secret(), param == Param::Password, "{param}");
        }
    }

    #[test]
    fn set_and_get_reach_the_parameters_own_field() {
        let full = Request {
            action: Some("action"),
            disk_id: Some("diskid"),
            security_enhancement_strategy: Some("securityenhancementstrategy"),
            password: Some("password"),
            key_pair_name: Some("keypairname"),
            auto_start_instance: Some("autostartinstance"),
            region_id: Some("regionid"),
        };
        let mut built = Request::default();
        for &param in Param::ALL {
            let mut one = Request::default();
            one.set(param, value_of(param));
            assert_eq!(one.get(param), Some(value_of(param)));
            assert_eq!(one.given().collect::<Vec<_>>(), [(param, value_of(param))]);
            assert_eq!(full.get(param), Some(value_of(param)));
            built.set(param, value_of(param));
        }
        assert_eq!(built, full);
        let by_name = Request::from_params(Param::ALL.iter().map(|&p| (p.as_str(), value_of(p))));
        assert_eq!(by_name, full);
        assert_eq!(full.given().map(|(p, _)| p).collect::<Vec<_>>(), Param::ALL);
    }

    #[test]
    fn from_params_ignores_unknown_names_and_keeps_the_last_value() {
        let request = Request::from_params([
            ("DiskId", "d-1"),
            ("diskid", "d-2"),
            ("Format", "JSON"),
            ("DiskId", "d-3"),
        ]);
        assert_eq!(
            request,
            Request {
                disk_id: Some("d-3"),
                ..Request::default()
            }
        );
    }

    #[test]
    fn debug_shows_every_field_but_a_secret() {
        let request = Request::from_params(Param::ALL.iter().map(|&p| (p.as_str(), value_of(p))));
        assert_eq!(
            format!("{request:?}"),
            "Request { action: Some(\"action\"), disk_id: Some(\"diskid\"), \
             security_enhancement_strategy: Some(\"securityenhancementstrategy\"), \
             password: Some(<redacted>), key_pair_name: Some(\"keypairname\"), \
             auto_start_instance: Some(\"autostartinstance\"), region_id: Some(\"regionid\") }"
        );
        assert_eq!(
            format!("{:?}", Request::new("d-1")),
            "Request { action: Some(\"ReInitDisk\"), disk_id: Some(\"d-1\"), \
             security_enhancement_strategy: None, password: None, key_pair_name: None, \
             auto_start_instance: None, region_id: None }"
        );
        for &param in Param::ALL {
            assert!(!param.field_name().is_empty());
            assert!(format!("{request:?}").contains(param.field_name()));
        }
    }

    #[test]
    fn the_decode_fuzzers_dictionary_holds_every_parameter() {
        let dict = include_str!("../fuzz/dict/decode.dict");
        for &param in Param::ALL {
            let entry = format!("\"{param}=\"");
            assert!(dict.lines().any(|line| line == entry), "{entry}");
        }
    }
}
