//! ECS's own fields on a world's records: what a scenario (or a captured
//! `Describe*` answer) gives beyond the facts the model holds, each field
//! stored once.
//!
//! A scenario's disk may carry any field of ECS's `DescribeDisks` record
//! (`"DiskName"`, `"Size"`, `"ZoneId"`, ...) beside the model's own keys
//! (`DiskId`, `Type`, `Status`, ...). When the record is read, its keys
//! split in two: the model's keys (the names the model's serde derive
//! declares) make the model's record, as before; every other key must be a
//! field of the record's ECS type ([`super::Disk`], [`super::Instance`],
//! [`super::Image`], [`super::Snapshot`], [`super::KeyPair`]) and is kept
//! here, by the record's id. A field the describer writes from the model's
//! facts ([`Kind::FACTS`]: a disk's `Device` follows its attachment) is
//! refused, as is any other key, naming both lists.
//!
//! [`Describer::with_fields`](super::Describer::with_fields) writes a
//! record in full, then these fields over it ([`super::Disk::overlay`]):
//! they never hold one of the model's keys or a fact, so the facts stay the
//! model's.

use std::collections::BTreeMap;
use std::marker::PhantomData;
use std::sync::OnceLock;

use serde::de::value::{MapAccessDeserializer, StrDeserializer};
use serde::de::{DeserializeSeed, Error as _, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::records::{Disk, Image, Instance, KeyPair, Snapshot};
use crate::model;

/// The fields of a `DescribeDisks` record written from the disk's facts
/// beyond the model's own keys: they follow its attachment (its
/// `InstanceId` and the world's order), so a record cannot be given them
/// ([`Kind::FACTS`]).
pub const DISK_FACTS: &[&str] = &[
    "AttachedTime",
    "Attachments",
    "Device",
    "MountInstanceNum",
    "MountInstances",
];

/// The fields of a `DescribeInstances` record written from the instance's
/// facts beyond the model's own keys: its system disk's image, whether it
/// has started, its hibernation and logon options.
pub const INSTANCE_FACTS: &[&str] = &["HibernationOptions", "ImageId", "ImageOptions", "StartTime"];

/// The fields of a `DescribeImages` record written from the image's facts
/// beyond the model's own keys: `IsPublic` follows `ImageOwnerAlias`.
pub const IMAGE_FACTS: &[&str] = &["IsPublic"];

/// The fields of a `DescribeSnapshots` record written from the snapshot's
/// facts beyond the model's own keys: a snapshot of the world is done
/// (`accomplished`, `100%`, available); one being made is another record.
pub const SNAPSHOT_FACTS: &[&str] = &["Available", "Progress", "Status"];

/// The fields of a `DescribeKeyPairs` record written from the key pair's
/// facts beyond the model's own keys: none.
pub const KEY_PAIR_FACTS: &[&str] = &[];

/// ECS's own fields of a world's records, by record id: for each kind, the
/// fields a record was given beyond the model's facts (never one of the
/// model's own keys, never a field written from the facts). A record with
/// none has no entry.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fields {
    disks: BTreeMap<String, Disk>,
    instances: BTreeMap<String, Instance>,
    images: BTreeMap<String, Image>,
    snapshots: BTreeMap<String, Snapshot>,
    key_pairs: BTreeMap<String, KeyPair>,
}

/// A kind of record that carries ECS's own fields: the model's record and
/// its ECS type. Implemented for the five kinds this module names
/// (`model::Disk`, `Instance`, `Image`, `Snapshot`, `KeyPair`); generic
/// code reads through it.
pub trait Kind: Sized + Serialize + for<'de> Deserialize<'de> {
    /// The record's ECS type.
    type Ecs: Clone + Default + PartialEq + Serialize + for<'de> Deserialize<'de>;
    /// What the record is, for messages (`a disk`).
    const WHAT: &'static str;
    /// The `Describe*` action whose record [`Kind::Ecs`] is.
    const ACTION: &'static str;
    /// The fields of [`Kind::Ecs`] the describer writes from the model's
    /// facts beyond the model's own keys (they follow the record's state:
    /// a disk's `Device` its attachment): a record cannot be given them.
    const FACTS: &'static [&'static str];
    /// The record's id.
    fn id(&self) -> &str;
    /// The keys the model's record is read from (its serde derive's).
    fn model_keys() -> &'static [&'static str];
    /// The fields of [`Kind::Ecs`], as its serde derive declares them.
    fn ecs_keys() -> &'static [&'static str];
    /// `other`'s fields over `fields` ([`super::Disk::overlay`]).
    fn overlay(fields: &mut Self::Ecs, other: Self::Ecs);
    /// Unsets the field `name` of `fields` ([`super::Disk::clear`]).
    fn clear(fields: &mut Self::Ecs, name: &str);
    /// `fields` without the model's own keys and [`Kind::FACTS`]: the ECS
    /// fields a record keeps.
    fn own(mut fields: Self::Ecs) -> Self::Ecs {
        for name in Self::model_keys().iter().chain(Self::FACTS) {
            Self::clear(&mut fields, name);
        }
        fields
    }
    /// The fields of this kind, by id.
    fn of(fields: &Fields) -> &BTreeMap<String, Self::Ecs>;
    /// The fields of this kind, by id, to change.
    fn of_mut(fields: &mut Fields) -> &mut BTreeMap<String, Self::Ecs>;
}

macro_rules! kinds {
    ($($model:ty => $ecs:ty, $list:ident, $get:ident, $set:ident, $id:ident,
        $what:literal, $action:literal, $facts:expr;)*) => {
        impl Fields {
            $(
                #[doc = concat!("The ECS fields ", $what, " was given, if any.")]
                pub fn $get(&self, id: &str) -> Option<&$ecs> {
                    self.$list.get(id)
                }

                #[doc = concat!(
                    "Sets the ECS fields of ", $what, " `id`, without the model's own ",
                    "keys and [`Kind::FACTS`] (the model holds those; a record left ",
                    "with no field set removes its entry); the former ones, if any."
                )]
                pub fn $set(&mut self, id: impl Into<String>, fields: $ecs) -> Option<$ecs> {
                    let id = id.into();
                    let fields = <$model as Kind>::own(fields);
                    if fields == <$ecs>::default() {
                        self.$list.remove(&id)
                    } else {
                        self.$list.insert(id, fields)
                    }
                }
            )*

            /// Moves every record's fields of `other` into this one (a
            /// record in both takes `other`'s).
            pub fn append(&mut self, other: Self) {
                $(self.$list.extend(other.$list);)*
            }

            /// Whether no record has an ECS field.
            pub fn is_empty(&self) -> bool {
                true $(&& self.$list.is_empty())*
            }
        }

        $(
            impl Kind for $model {
                type Ecs = $ecs;
                const WHAT: &'static str = $what;
                const ACTION: &'static str = $action;
                const FACTS: &'static [&'static str] = $facts;

                fn id(&self) -> &str {
                    &self.$id
                }

                fn model_keys() -> &'static [&'static str] {
                    static KEYS: OnceLock<&'static [&'static str]> = OnceLock::new();
                    KEYS.get_or_init(<$model>::record_keys)
                }

                fn ecs_keys() -> &'static [&'static str] {
                    static KEYS: OnceLock<&'static [&'static str]> = OnceLock::new();
                    KEYS.get_or_init(|| {
                        crate::map_only::struct_fields(|d| <$ecs as Deserialize>::deserialize(d))
                    })
                }

                fn overlay(fields: &mut $ecs, other: $ecs) {
                    fields.overlay(other);
                }

                fn clear(fields: &mut $ecs, name: &str) {
                    fields.clear(name);
                }

                fn of(fields: &Fields) -> &BTreeMap<String, $ecs> {
                    &fields.$list
                }

                fn of_mut(fields: &mut Fields) -> &mut BTreeMap<String, $ecs> {
                    &mut fields.$list
                }
            }
        )*
    };
}

kinds! {
    model::Disk => Disk, disks, disk, set_disk, id, "a disk", "DescribeDisks",
        DISK_FACTS;
    model::Instance => Instance, instances, instance, set_instance, id, "an instance",
        "DescribeInstances", INSTANCE_FACTS;
    model::Image => Image, images, image, set_image, id, "an image", "DescribeImages",
        IMAGE_FACTS;
    model::Snapshot => Snapshot, snapshots, snapshot, set_snapshot, id, "a snapshot",
        "DescribeSnapshots", SNAPSHOT_FACTS;
    model::KeyPair => KeyPair, key_pairs, key_pair, set_key_pair, name, "a key pair",
        "DescribeKeyPairs", KEY_PAIR_FACTS;
}

/// A record as a scenario writes it: the model's record and its ECS fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry<M: Kind> {
    /// The model's record.
    pub model: M,
    /// Its ECS fields (none set: `Default`).
    pub ecs: M::Ecs,
}

impl<M: Kind> Entry<M> {
    /// The keys a record of this kind may have, for a message about `key`:
    /// the model's, and ECS's own (how many, and where they are listed),
    /// with the one `key` differs from only in case, if any.
    fn accepted(key: &str) -> String {
        let own = M::ecs_keys()
            .iter()
            .filter(|k| !M::model_keys().contains(k) && !M::FACTS.contains(k));
        let count = own.clone().count();
        let close = M::model_keys()
            .iter()
            .chain(own)
            .find(|k| k.eq_ignore_ascii_case(key))
            .map(|k| format!(" (did you mean `{k}`?)"))
            .unwrap_or_default();
        format!(
            "one of the model's fields `{}`, or one of the {count} other fields of ECS's {} record (docs/ecs.md lists them){close}",
            M::model_keys().join("`, `"),
            M::ACTION,
        )
    }
}

impl<'de, M: Kind> Deserialize<'de> for Entry<M> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct EntryVisitor<M>(PhantomData<M>);

        impl<'de, M: Kind> Visitor<'de> for EntryVisitor<M> {
            type Value = Entry<M>;

            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                write!(f, "{} (a JSON object)", M::WHAT)
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Entry<M>, A::Error> {
                let mut ecs = M::Ecs::default();
                let mut seen = Vec::new();
                let model = M::deserialize(MapAccessDeserializer::new(Split::<A, M> {
                    inner: map,
                    ecs: &mut ecs,
                    seen: &mut seen,
                    kind: PhantomData,
                }))?;
                Ok(Entry { model, ecs })
            }
        }

        deserializer.deserialize_map(EntryVisitor(PhantomData))
    }
}

/// A record's map as the model reads it: the model's keys pass, ECS's own
/// fields are read into `ecs` on the way (each value where it stands, so
/// that an error names its path), anything else is refused.
struct Split<'a, A, M: Kind> {
    inner: A,
    ecs: &'a mut M::Ecs,
    seen: &'a mut Vec<&'static str>,
    kind: PhantomData<M>,
}

impl<'de, A: MapAccess<'de>, M: Kind> MapAccess<'de> for Split<'_, A, M> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        loop {
            // The key is judged as it is read, so that an error names it in
            // its path (`Disks[0].Sise`), as serde's own unknown-field
            // error does.
            let Some(key) = self.inner.next_key_seed(KeySeed::<M>(PhantomData))? else {
                return Ok(None);
            };
            let name = match key {
                Key::Model(name) => {
                    return seed
                        .deserialize(StrDeserializer::<A::Error>::new(name))
                        .map(Some);
                }
                Key::Ecs(name) => name,
            };
            if self.seen.contains(&name) {
                return Err(A::Error::custom(format_args!("duplicate field `{name}`")));
            }
            self.seen.push(name);
            let one = self.inner.next_value_seed(OneField::<M> {
                name,
                kind: PhantomData,
            })?;
            M::overlay(self.ecs, one);
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.inner.next_value_seed(seed)
    }
}

/// A record's key: one of the model's, or one of ECS's own fields.
enum Key {
    Model(&'static str),
    Ecs(&'static str),
}

/// Reads a record's key, refusing one that is neither the model's nor
/// ECS's own (or that is one of [`Kind::FACTS`]), naming both lists.
struct KeySeed<M>(PhantomData<M>);

impl<'de, M: Kind> DeserializeSeed<'de> for KeySeed<M> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<M: Kind> Visitor<'_> for KeySeed<M> {
    type Value = Key;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "a field of {}", M::WHAT)
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key, E> {
        if let Some(name) = M::model_keys().iter().find(|k| **k == key) {
            return Ok(Key::Model(name));
        }
        let Some(name) = M::ecs_keys().iter().copied().find(|k| *k == key) else {
            return Err(E::custom(format_args!(
                "unknown field `{key}`, expected {}",
                Entry::<M>::accepted(key)
            )));
        };
        if M::FACTS.contains(&name) {
            return Err(E::custom(format_args!(
                "`{name}` is written from {}'s facts (it follows its state) and cannot be given; expected {}",
                M::WHAT,
                Entry::<M>::accepted(name)
            )));
        }
        Ok(Key::Ecs(name))
    }
}

/// One field of a record's ECS type, read from its value alone: the
/// record's type reads a map of that one field.
struct OneField<M> {
    name: &'static str,
    kind: PhantomData<M>,
}

impl<'de, M: Kind> DeserializeSeed<'de> for OneField<M> {
    type Value = M::Ecs;

    fn deserialize<D: Deserializer<'de>>(self, value: D) -> Result<M::Ecs, D::Error> {
        M::Ecs::deserialize(MapAccessDeserializer::new(OneEntry {
            name: Some(self.name),
            value: Some(value),
        }))
    }
}

/// A map of one entry: `name` and the value `value` deserializes.
struct OneEntry<D> {
    name: Option<&'static str>,
    value: Option<D>,
}

impl<'de, D: Deserializer<'de>> MapAccess<'de> for OneEntry<D> {
    type Error = D::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, D::Error> {
        match self.name.take() {
            Some(name) => seed
                .deserialize(StrDeserializer::<D::Error>::new(name))
                .map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, D::Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(value),
            None => Err(D::Error::custom("a field's value was read twice")),
        }
    }
}

/// A record as a scenario writes it: the model's fields, then its ECS
/// fields.
#[derive(Serialize)]
struct EntryRef<'a, M, E> {
    #[serde(flatten)]
    model: &'a M,
    #[serde(flatten)]
    ecs: Option<&'a E>,
}

/// A list of records as a scenario writes it, each with its ECS fields.
#[cfg(feature = "scenario")]
pub(crate) struct Records<'a, M> {
    list: &'a [M],
    fields: &'a Fields,
}

#[cfg(feature = "scenario")]
impl<'a, M> Records<'a, M> {
    /// The records `list`, their ECS fields in `fields`.
    pub(crate) const fn new(list: &'a [M], fields: &'a Fields) -> Self {
        Self { list, fields }
    }

    /// Whether there is no record.
    pub(crate) const fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

#[cfg(feature = "scenario")]
impl<M: Kind> Serialize for Records<'_, M> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let of = M::of(self.fields);
        serializer.collect_seq(self.list.iter().map(|model| EntryRef {
            model,
            ecs: of.get(model.id()),
        }))
    }
}

/// One record as a scenario writes it (`PATCH` reads a record back so).
pub fn entry_to_serialize<'a, M: Kind>(model: &'a M, fields: &'a Fields) -> impl Serialize + 'a {
    EntryRef {
        model,
        ecs: M::of(fields).get(model.id()),
    }
}
