//! Any serde-serializable record as a [`Document`], so that the wire layer
//! writes it in JSON or XML as ECS does (the records of
//! [`crate::ecs`] among them): a struct's fields in their order under their
//! serde names, a sequence as a list, `None` fields left out.

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::encode::{Document, EncodeError};

/// `value` as a [`Document`]: structs (their serde names are the keys),
/// sequences, strings, numbers and booleans. A map (whose keys are not
/// names known at compile time), a unit or a byte string is refused
/// ([`EncodeError::Document`]).
///
/// ```
/// use reinit_disk::wire::{to_document, encode_document, Document, Format};
///
/// #[derive(serde::Serialize)]
/// struct Lock { #[serde(rename = "LockReason")] reason: &'static str }
///
/// let doc = to_document(&Lock { reason: "security" })?;
/// assert_eq!(doc, Document::Object(vec![("LockReason", Document::Text("security".into()))]));
/// assert_eq!(
///     encode_document(Format::Xml, "Lock", &doc)?,
///     "<?xml version='1.0' encoding='UTF-8'?><Lock><LockReason>security</LockReason></Lock>"
/// );
/// # Ok::<(), reinit_disk::wire::EncodeError>(())
/// ```
pub fn to_document<T: Serialize + ?Sized>(value: &T) -> Result<Document, EncodeError> {
    value
        .serialize(ToDocument)
        .map_err(|e| EncodeError::Document(e.0))
}

/// Why a value is no document.
#[derive(Debug)]
pub struct Refused(String);

impl core::fmt::Display for Refused {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

impl ser::Error for Refused {
    fn custom<T: core::fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

fn refuse<T>(what: &str) -> Result<T, Refused> {
    Err(Refused(format!("{what} cannot be a response document")))
}

struct ToDocument;

fn signed(n: i64) -> Document {
    u64::try_from(n).map_or(Document::Signed(n), Document::Number)
}

impl ser::Serializer for ToDocument {
    type Ok = Document;
    type Error = Refused;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = Impossible<Document, Refused>;
    type SerializeMap = Impossible<Document, Refused>;
    type SerializeStruct = Struct;
    type SerializeStructVariant = Impossible<Document, Refused>;

    fn serialize_bool(self, v: bool) -> Result<Document, Refused> {
        Ok(Document::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Document, Refused> {
        Ok(signed(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Document, Refused> {
        Ok(signed(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Document, Refused> {
        Ok(signed(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Document, Refused> {
        Ok(signed(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Document, Refused> {
        Ok(Document::Number(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Document, Refused> {
        Ok(Document::Number(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Document, Refused> {
        Ok(Document::Number(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Document, Refused> {
        Ok(Document::Number(v))
    }
    fn serialize_f32(self, v: f32) -> Result<Document, Refused> {
        Ok(Document::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<Document, Refused> {
        Ok(Document::Float(v))
    }
    fn serialize_char(self, v: char) -> Result<Document, Refused> {
        Ok(Document::Text(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Document, Refused> {
        Ok(Document::Text(v.to_owned()))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Document, Refused> {
        refuse("a byte string")
    }
    fn serialize_none(self) -> Result<Document, Refused> {
        refuse("a None outside a struct")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Document, Refused> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Document, Refused> {
        refuse("a unit")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Document, Refused> {
        refuse("a unit struct")
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Document, Refused> {
        Ok(Document::Text(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Document, Refused> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Document, Refused> {
        refuse("an enum variant with data")
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq, Refused> {
        Ok(Seq(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq, Refused> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq, Refused> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Refused> {
        refuse("an enum variant with data")
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Refused> {
        refuse("a map (its keys are not names)")
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Struct, Refused> {
        Ok(Struct(Vec::with_capacity(len)))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Refused> {
        refuse("an enum variant with data")
    }
}

struct Seq(Vec<Document>);

impl ser::SerializeSeq for Seq {
    type Ok = Document;
    type Error = Refused;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
        self.0.push(value.serialize(ToDocument)?);
        Ok(())
    }
    fn end(self) -> Result<Document, Refused> {
        Ok(Document::List(self.0))
    }
}

impl ser::SerializeTuple for Seq {
    type Ok = Document;
    type Error = Refused;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Document, Refused> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Seq {
    type Ok = Document;
    type Error = Refused;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Refused> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Document, Refused> {
        ser::SerializeSeq::end(self)
    }
}

struct Struct(Vec<(&'static str, Document)>);

impl ser::SerializeStruct for Struct {
    type Ok = Document;
    type Error = Refused;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Refused> {
        self.0.push((key, value.serialize(ToDocument)?));
        Ok(())
    }
    fn end(self) -> Result<Document, Refused> {
        Ok(Document::Object(self.0))
    }
}
