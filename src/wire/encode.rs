//! Response encoding: the exact bytes of ECS's success and error bodies, in
//! JSON and XML.

use std::io;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use quick_xml::Writer;
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesCData, BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde::Serialize;

use super::http::Format;
use crate::catalogue::Entry;

/// The XML declaration ECS writes, single quotes and all.
const XML_DECLARATION: &str = "xml version='1.0' encoding='UTF-8'";

/// Characters left as they are in the `Recommend` URL's query values: the
/// unreserved ones (RFC 3986). A `RequestId` or a code never needs more.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// An encoder that failed: writing JSON or XML to memory does not, so this
/// is for completeness.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// serde_json failed.
    #[error("cannot encode the JSON body: {0}")]
    Json(#[from] serde_json::Error),
    /// quick-xml failed.
    #[error("cannot encode the XML body: {0}")]
    Xml(#[from] io::Error),
    /// The XML writer wrote bytes that are not UTF-8.
    #[error("the XML body is not UTF-8: {0}")]
    Utf8(#[from] std::string::FromUtf8Error),
    /// A field of an XML body holds a character XML 1.0 cannot carry, even
    /// escaped (a control character other than tab, line feed and carriage
    /// return, or U+FFFE, U+FFFF): refused rather than written into a body
    /// no parser accepts.
    #[error(
        "cannot encode the XML body: {field} holds U+{:04X}, which XML 1.0 cannot carry",
        u32::from(*character)
    )]
    NotXml {
        /// The field: `RequestId`, `HostId`, `Code` or `Message`.
        field: &'static str,
        /// The first character it cannot carry.
        character: char,
    },
    /// A value [`to_document`](super::to_document) cannot write (a map, a
    /// unit, bytes).
    #[error("cannot encode the body: {0}")]
    Document(String),
}

/// The first character of `text` that XML 1.0 cannot carry, even as a
/// character reference: a control character other than tab, line feed and
/// carriage return, or U+FFFE, U+FFFF (the `Char` production of XML 1.0;
/// Rust strings hold no surrogates). `None` when every character can be
/// carried.
///
/// ```
/// use reinit_disk::wire::not_xml_char;
///
/// assert_eq!(not_xml_char("F3CD6886-D8D0-4FEE-B93E-1B73239673DE"), None);
/// assert_eq!(not_xml_char("a\u{FFFE}b"), Some('\u{FFFE}'));
/// assert_eq!(not_xml_char("tab\tok"), None);
/// ```
pub fn not_xml_char(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    })
}

/// `Ok` when XML 1.0 can carry every field, else the first that it cannot.
fn xml_carries(fields: &[(&'static str, &str)]) -> Result<(), EncodeError> {
    for &(field, text) in fields {
        if let Some(character) = not_xml_char(text) {
            return Err(EncodeError::NotXml { field, character });
        }
    }
    Ok(())
}

/// The fields of an error body (`Recommend` is derived from them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ErrorBody<'a> {
    /// `RequestId`.
    pub request_id: &'a str,
    /// `HostId`.
    pub host_id: &'a str,
    /// `Code`.
    pub code: &'a str,
    /// `Message`.
    pub message: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SuccessJson<'a> {
    request_id: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct ErrorJson<'a> {
    request_id: &'a str,
    host_id: &'a str,
    code: &'a str,
    message: &'a str,
    recommend: &'a str,
}

/// The `Recommend` URL of an error:
/// `https://api.aliyun.com/troubleshoot?q=<Code>&product=Ecs&requestId=<RequestId>`
/// (both values percent-encoded where they need it, which ECS's never do).
pub fn recommend_url(code: &str, request_id: &str) -> String {
    format!(
        "https://api.aliyun.com/troubleshoot?q={}&product=Ecs&requestId={}",
        utf8_percent_encode(code, QUERY_VALUE),
        utf8_percent_encode(request_id, QUERY_VALUE)
    )
}

/// `entry`'s message naming the parameter `name` instead of the one it
/// names: the text between its first pair of double quotes is replaced. The
/// catalogue's `InvalidParameter` and `MissingParameter` rows name
/// `SecurityEnhancementStrategy` and `DiskId`; this builds the same message
/// for any other parameter. A message without quotes is returned as it is.
///
/// ```
/// use reinit_disk::Code;
/// use reinit_disk::revision::SEED;
/// use reinit_disk::wire::message_naming;
///
/// let entry = SEED.entry(Code::InvalidParameter).unwrap();
/// assert_eq!(message_naming(entry, "DiskId"), r#"The specified parameter "DiskId" is not valid."#);
/// ```
pub fn message_naming(entry: &Entry, name: &str) -> String {
    let mut parts = entry.message.splitn(3, '"');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(before), Some(_), Some(after)) => format!("{before}\"{name}\"{after}"),
        _ => entry.message.to_owned(),
    }
}

/// The body of a successful `ReInitDisk`: `{"RequestId":"..."}`, or
/// `<?xml version='1.0' encoding='UTF-8'?><ReInitDiskResponse><RequestId>...</RequestId></ReInitDiskResponse>`.
///
/// In XML, a `request_id` holding a character XML 1.0 cannot carry
/// ([`not_xml_char`]) is refused ([`EncodeError::NotXml`]).
pub fn encode_success(format: Format, request_id: &str) -> Result<String, EncodeError> {
    match format {
        Format::Json => Ok(serde_json::to_string(&SuccessJson { request_id })?),
        Format::Xml => xml_carries(&[("RequestId", request_id)]).and_then(|()| {
            xml(|w| {
                w.create_element("ReInitDiskResponse")
                    .write_inner_content(|w| text_element(w, "RequestId", request_id))?;
                Ok(())
            })
        }),
    }
}

/// A response document of any action, its fields in the order ECS writes
/// them: what [`encode_document`] writes as JSON or XML. A serde record
/// becomes one through [`to_document`](super::to_document).
#[derive(Clone, Debug, PartialEq)]
pub enum Document {
    /// An object: its fields, in order.
    Object(Vec<(&'static str, Document)>),
    /// A list.
    List(Vec<Document>),
    /// Text.
    Text(String),
    /// A whole number.
    Number(u64),
    /// A negative whole number.
    Signed(i64),
    /// A number with a fraction (`SpotPriceLimit`), as serde_json writes
    /// it (`0.0`); JSON has no NaN or infinity, so these are `null` in JSON
    /// and their Rust spelling in XML.
    Float(f64),
    /// `true` or `false`.
    Bool(bool),
}

impl serde::Serialize for Document {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match self {
            Self::Object(fields) => {
                let mut map = serializer.serialize_map(Some(fields.len()))?;
                for (name, value) in fields {
                    map.serialize_entry(name, value)?;
                }
                map.end()
            }
            Self::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Self::Text(text) => serializer.serialize_str(text),
            Self::Number(n) => serializer.serialize_u64(*n),
            Self::Signed(n) => serializer.serialize_i64(*n),
            Self::Float(n) => serializer.serialize_f64(*n),
            Self::Bool(b) => serializer.serialize_bool(*b),
        }
    }
}

/// The body of a successful response of any action: `document` as JSON, or
/// as XML with `root` (`DescribeDisksResponse`) as the element and each
/// field a child element, as ECS writes them: a list repeats its element
/// (`Disk: [a, b]` is `<Disk>a</Disk><Disk>b</Disk>`). In XML, text holding
/// a character XML 1.0 cannot carry is refused ([`EncodeError::NotXml`]).
pub fn encode_document(
    format: Format,
    root: &str,
    document: &Document,
) -> Result<String, EncodeError> {
    match format {
        Format::Json => Ok(serde_json::to_string(document)?),
        Format::Xml => {
            xml_document_carries(document)?;
            xml(|w| xml_document(w, root, document))
        }
    }
}

/// Refuses a document whose text XML 1.0 cannot carry.
fn xml_document_carries(document: &Document) -> Result<(), EncodeError> {
    match document {
        Document::Text(text) => xml_carries(&[("text", text)]),
        Document::List(items) => items.iter().try_for_each(xml_document_carries),
        Document::Object(fields) => fields.iter().try_for_each(|(_, v)| xml_document_carries(v)),
        Document::Number(_) | Document::Signed(_) | Document::Float(_) | Document::Bool(_) => {
            Ok(())
        }
    }
}

/// `document` as the element `name` (a list as the element repeated).
fn xml_document(w: &mut Writer<Vec<u8>>, name: &str, document: &Document) -> io::Result<()> {
    match document {
        Document::Object(fields) => {
            w.create_element(name).write_inner_content(|w| {
                fields
                    .iter()
                    .try_for_each(|(child, v)| xml_document(w, child, v))
            })?;
            Ok(())
        }
        Document::List(items) => items.iter().try_for_each(|v| xml_document(w, name, v)),
        Document::Text(text) => text_element(w, name, text),
        Document::Number(n) => text_element(w, name, &n.to_string()),
        Document::Signed(n) => text_element(w, name, &n.to_string()),
        Document::Float(n) => text_element(w, name, &float_text(*n)),
        Document::Bool(b) => text_element(w, name, if *b { "true" } else { "false" }),
    }
}

/// A float as serde_json writes it (`0.0`, `1.5`), so that JSON and XML
/// agree.
fn float_text(n: f64) -> String {
    serde_json::to_string(&n).unwrap_or_else(|_| n.to_string())
}

/// The body of an error: JSON with `RequestId`, `HostId`, `Code`, `Message`
/// and `Recommend`, in that order; or XML, `<Error>` with the same five
/// children, text escaped, the `Recommend` URL in CDATA. In XML, a field
/// holding a character XML 1.0 cannot carry ([`not_xml_char`]) is refused
/// ([`EncodeError::NotXml`]).
pub fn encode_error(format: Format, body: &ErrorBody<'_>) -> Result<String, EncodeError> {
    let recommend = recommend_url(body.code, body.request_id);
    match format {
        Format::Json => Ok(serde_json::to_string(&ErrorJson {
            request_id: body.request_id,
            host_id: body.host_id,
            code: body.code,
            message: body.message,
            recommend: &recommend,
        })?),
        Format::Xml => xml_carries(&[
            ("RequestId", body.request_id),
            ("HostId", body.host_id),
            ("Code", body.code),
            ("Message", body.message),
        ])
        .and_then(|()| {
            xml(|w| {
                w.create_element("Error").write_inner_content(|w| {
                    text_element(w, "RequestId", body.request_id)?;
                    text_element(w, "HostId", body.host_id)?;
                    text_element(w, "Code", body.code)?;
                    text_element(w, "Message", body.message)?;
                    w.write_event(Event::Start(BytesStart::new("Recommend")))?;
                    for cdata in BytesCData::escaped(&recommend) {
                        w.write_event(Event::CData(cdata))?;
                    }
                    w.write_event(Event::End(BytesEnd::new("Recommend")))
                })?;
                Ok(())
            })
        }),
    }
}

/// An XML document: ECS's declaration, then what `content` writes.
fn xml(
    content: impl FnOnce(&mut Writer<Vec<u8>>) -> io::Result<()>,
) -> Result<String, EncodeError> {
    let mut writer = Writer::new(Vec::with_capacity(512));
    writer.write_event(Event::Decl(BytesDecl::from_start(
        BytesStart::from_content(XML_DECLARATION, 3),
    )))?;
    content(&mut writer)?;
    Ok(String::from_utf8(writer.into_inner())?)
}

/// `<name>text</name>`, the text escaped as ECS escapes it: `<`, `>` and
/// `&` only (quotes stay as they are in element text); a carriage return as
/// `&#13;`, which a parser would otherwise read back as a line feed.
fn text_element(w: &mut Writer<Vec<u8>>, name: &str, text: &str) -> io::Result<()> {
    let escaped = partial_escape(text);
    let escaped = if escaped.contains('\r') {
        escaped.replace('\r', "&#13;").into()
    } else {
        escaped
    };
    w.create_element(name)
        .write_text_content(BytesText::from_escaped(escaped))?;
    Ok(())
}
