//! Response encoding: the exact bytes of every catalogue code in JSON and
//! XML (snapshot files under tests/snapshots/, reviewed by eye once; run
//! with `UPDATE_SNAPSHOTS=1` to rewrite them after a deliberate change), and
//! the bodies parse with serde_json and an XML parser and carry the
//! catalogue's code and message.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk_testkit::snapshot::snapshot;
use std::collections::BTreeMap;

use quick_xml::events::Event;
use reinit_disk::Code;
use reinit_disk::Entry;
use reinit_disk::revision::{ALL, SEED};
use reinit_disk::wire::{
    ErrorBody, Format, HOST_ID, encode_error, encode_success, message_naming, new_request_id,
    reason_phrase, recommend_url,
};
use strum::VariantArray;

const REQUEST_ID: &str = "F3CD6886-D8D0-4FEE-B93E-1B73239673DE";

fn ext(format: Format) -> &'static str {
    match format {
        Format::Json => "json",
        Format::Xml => "xml",
    }
}

fn error_body(code: Code, format: Format) -> String {
    entry_body(SEED.entry(code).unwrap(), format)
}

fn entry_body(entry: &Entry, format: Format) -> String {
    encode_error(
        format,
        &ErrorBody {
            request_id: REQUEST_ID,
            host_id: HOST_ID,
            code: entry.code.as_str(),
            message: entry.message,
        },
    )
    .unwrap()
}

/// The children of an XML document's root, element name to text (text
/// unescaped, CDATA as is), and the root's name.
fn parse_xml(body: &str) -> (String, BTreeMap<String, String>) {
    let mut reader = quick_xml::Reader::from_str(body);
    let mut root = None;
    let mut current = None;
    let mut children = BTreeMap::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                if root.is_none() {
                    root = Some(name);
                } else {
                    children.insert(name.clone(), String::new());
                    current = Some(name);
                }
            }
            Event::Text(t) => {
                if let Some(name) = &current {
                    let text = t.xml_content().unwrap();
                    children.get_mut(name).unwrap().push_str(&text);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(name) = &current {
                    let entity = String::from_utf8(r.as_ref().to_vec()).unwrap();
                    let text = quick_xml::escape::resolve_xml_entity(&entity)
                        .unwrap_or_else(|| panic!("unknown entity &{entity};"));
                    children.get_mut(name).unwrap().push_str(text);
                }
            }
            Event::CData(c) => {
                if let Some(name) = &current {
                    let text = String::from_utf8(c.into_inner().to_vec()).unwrap();
                    children.get_mut(name).unwrap().push_str(&text);
                }
            }
            Event::End(_) => current = None,
            Event::Eof => break,
            Event::Decl(_) => {}
            other => panic!("unexpected XML event {other:?}"),
        }
    }
    (root.unwrap(), children)
}

#[test]
fn success_bodies_are_byte_exact() {
    let json = encode_success(Format::Json, REQUEST_ID).unwrap();
    assert_eq!(
        json,
        r#"{"RequestId":"F3CD6886-D8D0-4FEE-B93E-1B73239673DE"}"#
    );
    snapshot("success.json", &json);
    let xml = encode_success(Format::Xml, REQUEST_ID).unwrap();
    assert_eq!(
        xml,
        "<?xml version='1.0' encoding='UTF-8'?><ReInitDiskResponse><RequestId>F3CD6886-D8D0-4FEE-B93E-1B73239673DE</RequestId></ReInitDiskResponse>"
    );
    snapshot("success.xml", &xml);
}

#[test]
fn an_error_body_is_byte_exact_in_both_formats() {
    assert_eq!(
        error_body(Code::IncorrectDiskStatus, Format::Json),
        r#"{"RequestId":"F3CD6886-D8D0-4FEE-B93E-1B73239673DE","HostId":"ecs.aliyuncs.com","Code":"IncorrectDiskStatus","Message":"The current disk status does not support this operation.","Recommend":"https://api.aliyun.com/troubleshoot?q=IncorrectDiskStatus&product=Ecs&requestId=F3CD6886-D8D0-4FEE-B93E-1B73239673DE"}"#
    );
    assert_eq!(
        error_body(Code::IncorrectDiskStatus, Format::Xml),
        "<?xml version='1.0' encoding='UTF-8'?><Error><RequestId>F3CD6886-D8D0-4FEE-B93E-1B73239673DE</RequestId><HostId>ecs.aliyuncs.com</HostId><Code>IncorrectDiskStatus</Code><Message>The current disk status does not support this operation.</Message><Recommend><![CDATA[https://api.aliyun.com/troubleshoot?q=IncorrectDiskStatus&product=Ecs&requestId=F3CD6886-D8D0-4FEE-B93E-1B73239673DE]]></Recommend></Error>"
    );
}

#[test]
fn every_catalogue_row_of_every_revision_matches_its_snapshot_in_both_formats() {
    for revision in ALL {
        for entry in revision.catalogue {
            // The seed revision's rows are `error-CODE`; a later revision's,
            // `error-REVISION-CODE[-PARAMETER]`.
            let name = match (revision == &&SEED, entry.param) {
                (true, _) => format!("error-{}", entry.code),
                (false, None) => format!("error-{revision}-{}", entry.code),
                (false, Some(param)) => format!("error-{revision}-{}-{param}", entry.code),
            };
            for format in Format::VARIANTS {
                let body = entry_body(entry, *format);
                snapshot(&format!("{name}.{}", ext(*format)), &body);
            }
        }
    }
    // Every code is in some snapshot.
    for code in Code::VARIANTS {
        assert!(ALL.iter().any(|r| r.entry(*code).is_some()), "{code}");
    }
}

#[test]
fn json_error_bodies_parse_and_carry_the_catalogue_code_and_message() {
    for entry in SEED.catalogue.iter() {
        let body = error_body(entry.code, Format::Json);
        let value: serde_json::Value = serde_json::from_str(&body).unwrap();
        let object = value.as_object().unwrap();
        let keys: Vec<&str> = object.keys().map(String::as_str).collect();
        let mut sorted = vec!["RequestId", "HostId", "Code", "Message", "Recommend"];
        sorted.sort_unstable();
        assert_eq!(keys, sorted, "{}: exactly the five fields", entry.code);
        assert_eq!(value["Code"], entry.code.as_str());
        assert_eq!(value["Message"], entry.message);
        assert_eq!(value["RequestId"], REQUEST_ID);
        assert_eq!(value["HostId"], "ecs.aliyuncs.com");
        assert_eq!(
            value["Recommend"],
            format!(
                "https://api.aliyun.com/troubleshoot?q={}&product=Ecs&requestId={REQUEST_ID}",
                entry.code
            )
        );
        // The field order is ECS's.
        let positions: Vec<usize> = ["RequestId", "HostId", "Code", "Message", "Recommend"]
            .iter()
            .map(|k| body.find(&format!("\"{k}\"")).unwrap())
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{body}");
    }
}

#[test]
fn xml_error_bodies_parse_and_carry_the_catalogue_code_and_message() {
    for entry in SEED.catalogue.iter() {
        let body = error_body(entry.code, Format::Xml);
        assert!(body.starts_with("<?xml version='1.0' encoding='UTF-8'?><Error>"));
        let (root, children) = parse_xml(&body);
        assert_eq!(root, "Error");
        assert_eq!(children.len(), 5, "{body}");
        assert_eq!(children["Code"], entry.code.as_str());
        assert_eq!(children["Message"], entry.message);
        assert_eq!(children["RequestId"], REQUEST_ID);
        assert_eq!(children["HostId"], "ecs.aliyuncs.com");
        assert_eq!(
            children["Recommend"],
            recommend_url(entry.code.as_str(), REQUEST_ID)
        );
        assert!(body.contains("<Recommend><![CDATA[https://api.aliyun.com/troubleshoot?q="));
    }
}

#[test]
fn text_is_escaped_by_the_encoders_and_survives_a_round_trip() {
    let message = r#"a <b> & "c" 'd' ]]> é"#;
    let request_id = "id<&>]]>";
    let body = ErrorBody {
        request_id,
        host_id: "h&h",
        code: "Code.X",
        message,
    };
    let xml = encode_error(Format::Xml, &body).unwrap();
    assert!(
        xml.contains(r#"<Message>a &lt;b&gt; &amp; "c" 'd' ]]&gt; é</Message>"#),
        "{xml}"
    );
    let (_, children) = parse_xml(&xml);
    assert_eq!(children["Message"], message);
    assert_eq!(children["RequestId"], request_id);
    assert_eq!(children["HostId"], "h&h");
    // The URL's values are percent-encoded, so the CDATA section holds.
    assert_eq!(
        children["Recommend"],
        "https://api.aliyun.com/troubleshoot?q=Code.X&product=Ecs&requestId=id%3C%26%3E%5D%5D%3E"
    );
    let json = encode_error(Format::Json, &body).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["Message"], message);
    assert_eq!(value["RequestId"], request_id);
    let ok = encode_success(Format::Xml, request_id).unwrap();
    assert_eq!(parse_xml(&ok).1["RequestId"], request_id);
}

#[test]
fn one_function_names_any_parameter_as_the_catalogue_does() {
    let invalid = SEED.entry(Code::InvalidParameter).unwrap();
    let missing = SEED.entry(Code::MissingParameter).unwrap();
    // The catalogue's own rows come out unchanged for the parameter they name.
    assert_eq!(
        message_naming(invalid, "SecurityEnhancementStrategy"),
        invalid.message
    );
    assert_eq!(message_naming(missing, "DiskId"), missing.message);
    assert_eq!(
        message_naming(invalid, "DiskId"),
        r#"The specified parameter "DiskId" is not valid."#
    );
    assert_eq!(
        message_naming(missing, "Action"),
        r#"The input parameter "Action" that is mandatory for processing this request is not supplied."#
    );
    // A message that names no parameter is left as it is.
    let other = SEED.entry(Code::IncorrectDiskStatus).unwrap();
    assert_eq!(message_naming(other, "DiskId"), other.message);
}

#[test]
fn reason_phrases_and_content_types() {
    assert_eq!(reason_phrase(200), "OK");
    assert_eq!(reason_phrase(400), "Bad Request");
    assert_eq!(reason_phrase(403), "Forbidden");
    assert_eq!(reason_phrase(404), "Not Found");
    assert_eq!(reason_phrase(500), "Internal Server Error");
    for entry in SEED.catalogue.iter() {
        assert!(
            !reason_phrase(entry.http_status).is_empty(),
            "{}",
            entry.code
        );
    }
    assert_eq!(
        Format::Json.content_type(),
        "application/json;charset=utf-8"
    );
    assert_eq!(Format::Xml.content_type(), "text/xml;charset=utf-8");
}

#[test]
fn a_fresh_request_id_is_an_uppercase_uuid_v4() {
    let a = new_request_id();
    let b = new_request_id();
    assert_ne!(a, b);
    for id in [a, b] {
        let groups: Vec<&str> = id.split('-').collect();
        let lengths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
        assert_eq!(lengths, [8, 4, 4, 4, 12], "{id}");
        assert!(
            id.chars()
                .all(|c| c == '-' || c.is_ascii_digit() || ('A'..='F').contains(&c)),
            "{id}"
        );
        assert!(groups[2].starts_with('4'), "version 4: {id}");
    }
}

#[test]
fn reason_phrases_are_rfc_9110s() {
    let phrases = [
        (200, "OK"),
        (400, "Bad Request"),
        (401, "Unauthorized"),
        (403, "Forbidden"),
        (404, "Not Found"),
        (409, "Conflict"),
        (429, "Too Many Requests"),
        (500, "Internal Server Error"),
        (502, "Bad Gateway"),
        (503, "Service Unavailable"),
        (504, "Gateway Timeout"),
        (418, ""),
    ];
    for (status, phrase) in phrases {
        assert_eq!(reason_phrase(status), phrase, "{status}");
    }
}

/// `to_document` writes every serde shape a record can hold as its
/// document (numbers of every width, a negative one as signed, floats,
/// characters, unit variants as their names, newtypes as their content,
/// tuples as lists, `None` fields left out), and refuses the shapes a
/// response cannot carry, naming them.
#[test]
fn every_serde_shape_becomes_its_document_or_a_named_refusal() {
    use reinit_disk::wire::{Document, EncodeError, to_document};

    #[derive(serde::Serialize)]
    enum Kind {
        Plain,
        Tagged(u8),
        Pair(u8, u8),
        Named { n: u8 },
    }
    #[derive(serde::Serialize)]
    struct Wrapper(u16);
    #[derive(serde::Serialize)]
    struct Couple(u8, i8);
    #[derive(serde::Serialize)]
    struct Unit;
    #[derive(serde::Serialize)]
    struct All {
        a: i8,
        b: i16,
        c: i32,
        d: u8,
        e: u16,
        f: u32,
        g: f32,
        h: char,
        #[serde(skip_serializing_if = "Option::is_none")]
        i: Option<u8>,
        j: Option<u8>,
        k: Kind,
        l: Wrapper,
        m: (u8, bool),
        n: Couple,
    }
    let doc = to_document(&All {
        a: -1,
        b: 2,
        c: -3,
        d: 4,
        e: 5,
        f: 6,
        g: 0.5,
        h: 'x',
        i: None,
        j: Some(7),
        k: Kind::Plain,
        l: Wrapper(8),
        m: (9, true),
        n: Couple(10, -11),
    })
    .unwrap();
    assert_eq!(
        doc,
        Document::Object(vec![
            ("a", Document::Signed(-1)),
            ("b", Document::Number(2)),
            ("c", Document::Signed(-3)),
            ("d", Document::Number(4)),
            ("e", Document::Number(5)),
            ("f", Document::Number(6)),
            ("g", Document::Float(0.5)),
            ("h", Document::Text("x".into())),
            ("j", Document::Number(7)),
            ("k", Document::Text("Plain".into())),
            ("l", Document::Number(8)),
            (
                "m",
                Document::List(vec![Document::Number(9), Document::Bool(true)])
            ),
            (
                "n",
                Document::List(vec![Document::Number(10), Document::Signed(-11)])
            ),
        ])
    );
    let refused = |e: EncodeError| e.to_string();
    for (what, error) in [
        (
            "an enum variant with data",
            to_document(&Kind::Tagged(1)).unwrap_err(),
        ),
        (
            "an enum variant with data",
            to_document(&Kind::Pair(1, 2)).unwrap_err(),
        ),
        (
            "an enum variant with data",
            to_document(&Kind::Named { n: 1 }).unwrap_err(),
        ),
        ("a unit struct", to_document(&Unit).unwrap_err()),
        ("a unit", to_document(&()).unwrap_err()),
        (
            "a None outside a struct",
            to_document(&None::<u8>).unwrap_err(),
        ),
        (
            "a byte string",
            to_document(serde_bytes_like()).unwrap_err(),
        ),
    ] {
        let text = refused(error);
        assert!(text.contains(what), "{what}: {text}");
        assert!(text.contains("cannot be a response document"), "{text}");
    }
}

/// A value serde writes as a byte string.
fn serde_bytes_like() -> &'static Bytes {
    &Bytes
}

struct Bytes;

impl serde::Serialize for Bytes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(b"ab")
    }
}
