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
