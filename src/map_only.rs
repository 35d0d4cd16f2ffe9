//! Objects only: serde's derive accepts a struct written as a JSON array of
//! its fields in order, which no ECS document is, and which would let `[]`
//! pass for a scenario. A type whose serde derive sits on a private mirror
//! (`#[serde(remote = "Type")] struct TypeFields { ...same fields... }`,
//! which turns the derived code into the mirror's private inherent
//! functions, so that they are not public API) and which invokes
//! `map_only!(Type, TypeFields, "what it is")` deserializes from an object
//! alone, and serializes as its derive does. A private type can carry the
//! derive itself (`#[serde(remote = "Self")]`, `map_only!(Type, Type, ...)`).

macro_rules! map_only {
    ($ty:ty, $fields:ty, $what:literal) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ObjectVisitor;
                impl<'de> serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                        f.write_str(concat!($what, " (a JSON object)"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        map: A,
                    ) -> Result<$ty, A::Error> {
                        <$fields>::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    }
                }
                deserializer.deserialize_map(ObjectVisitor)
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                <$fields>::serialize(self, serializer)
            }
        }
    };
}

pub(crate) use map_only;

/// The field names serde's derive declares for a struct, read from its
/// `Deserialize` impl (the `fields` it hands `deserialize_struct`), so that
/// a list of a record's keys is never written again by hand.
/// `deserialize` is the derive's entry point, called with a deserializer
/// that records the names and stops there; a type that does not
/// deserialize as a struct gives no names.
#[cfg(feature = "ecs")]
pub(crate) fn struct_fields<T>(
    deserialize: impl FnOnce(FieldNames<'_>) -> Result<T, serde::de::value::Error>,
) -> &'static [&'static str] {
    let names = core::cell::Cell::new(&[][..]);
    // The deserializer always fails: it reads the names, not a value.
    let _ = deserialize(FieldNames(&names));
    names.get()
}

/// The deserializer of [`struct_fields`].
#[cfg(feature = "ecs")]
pub(crate) struct FieldNames<'a>(&'a core::cell::Cell<&'static [&'static str]>);

#[cfg(feature = "ecs")]
impl<'de> serde::Deserializer<'de> for FieldNames<'_> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(serde::de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: serde::de::Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        self.0.set(fields);
        Err(serde::de::Error::custom("field names read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}
