//! A response read down to the fields the rules read: every other field is
//! skipped unread (a Describe* response has dozens), so that nothing in a
//! field the preflight does not read (a number too large for a float, a
//! deep structure) can refuse the response.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// What to keep of a JSON value.
#[derive(Clone, Copy)]
pub(super) enum Schema {
    /// The whole value.
    Leaf,
    /// Nothing but that it is there (`null` in its place).
    Skip,
    /// Of an object, these fields, each with its own schema; of a list,
    /// each element with this schema; any other value whole.
    Fields(&'static [(&'static str, Schema)]),
    /// As `Fields`, but every other field is kept as `null`: its name is
    /// there, for a reader that refuses an object of another shape.
    Keys(&'static [(&'static str, Schema)]),
}

impl<'de> DeserializeSeed<'de> for Schema {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        match self {
            Self::Leaf => serde::Deserialize::deserialize(deserializer),
            Self::Skip => {
                <IgnoredAny as serde::Deserialize>::deserialize(deserializer)?;
                Ok(Value::Null)
            }
            Self::Fields(_) | Self::Keys(_) => deserializer.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for Schema {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let (fields, keep_names) = match self {
            Self::Fields(fields) => (fields, false),
            Self::Keys(fields) => (fields, true),
            Self::Leaf | Self::Skip => (&[][..], false),
        };
        let mut kept = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            match fields.iter().find(|(name, _)| *name == key) {
                Some((_, schema)) => {
                    let value = map.next_value_seed(*schema)?;
                    if kept.contains_key(&key) {
                        return Err(de::Error::custom(format_args!(
                            "the field {key} is given twice"
                        )));
                    }
                    kept.insert(key, value);
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                    if keep_names {
                        kept.insert(key, Value::Null);
                    }
                }
            }
        }
        Ok(Value::Object(kept))
    }
}

/// `text` read with `schema`; the error names the JSON path where there is
/// one (`Disks.Disk[0].Status: ...`).
pub(super) fn read(text: &str, schema: Schema) -> Result<Value, String> {
    let mut json = serde_json::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    let value = schema
        .deserialize(serde_path_to_error::Deserializer::new(
            &mut json, &mut track,
        ))
        .map_err(|e| {
            let path = track.path().to_string();
            if e.to_string().starts_with("number out of range") {
                format!("{path}: a number too large to read ({e})")
            } else if e.is_syntax() || e.is_eof() || path == "." {
                format!("not valid JSON: {e}")
            } else {
                format!("{path}: {e}")
            }
        })?;
    json.end().map_err(|e| format!("not valid JSON: {e}"))?;
    Ok(value)
}
