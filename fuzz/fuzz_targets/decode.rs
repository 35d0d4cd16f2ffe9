//! The wire layer: arbitrary query strings, form bodies and headers through
//! decode, evaluate and encode (`wire::respond`).
//!
//! Properties: encoding fails only for an XML body whose `RequestId` holds a
//! character XML 1.0 cannot carry; the same request answers the same; the
//! body is well-formed JSON or XML (read back, and parsed by a strict XML
//! parser, roxmltree) in the format the request asked for,
//! carrying the `RequestId` and either success (status 200) or a code from the
//! catalogue with that code's status; a request that decodes gets exactly the
//! decision `evaluate` (and the reference model) takes on it; a malformed one
//! gets `InvalidParameter` naming the parameter at fault.

#![no_main]

use std::sync::LazyLock;

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use quick_xml::events::Event;
use reinit_disk::wire::{
    EncodeError, Format, HttpRequest, Ids, Params, Response, message_naming, not_xml_char, respond,
};
use reinit_disk::{Code, Param, Policy, Rejection, evaluate};
use reinit_disk_fuzz::{DISK_IDS, check_decision, in_memory, policy, world};

/// Parameter names: every parameter `ReInitDisk` reads ([`Param::ALL`]),
/// then names it ignores, escaped ones and odd ones.
static NAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    Param::ALL
        .iter()
        .map(|param| param.as_str())
        .chain([
            "%EF%BF%BE",
            "%01a",
            "\u{FFFE}",
            "a]]>&<",
            "Format",
            "Version",
            "action",
            "Disk%49d",
        ])
        .collect()
});
const VALUES: [&str; 11] = [
    "ReInitDisk",
    "d-0",
    "d-1",
    "Active",
    "Deactive",
    "JSON",
    "xml",
    "",
    "d%2D0",
    "Re+Init",
    "%zz",
];
const HEADER_NAMES: [&str; 4] = ["Content-Type", "x-acs-action", "Accept", "X-ACS-ACTION"];
const HEADER_VALUES: [&str; 6] = [
    "application/x-www-form-urlencoded; charset=UTF-8",
    "application/json",
    "ReInitDisk",
    "text/xml, application/json;q=0.9",
    "DescribeDisks",
    "",
];
/// Request ids: ECS's form, text to escape, and characters XML 1.0 cannot
/// carry (U+FFFE, U+FFFF, controls) or carries only escaped (a carriage
/// return) or as it is (U+FDD0, U+0085).
const REQUEST_IDS: [&str; 9] = [
    "F3CD6886-D8D0-4FEE-B93E-1B73239673DE",
    "<&\"'>",
    "]]>",
    "A\u{FFFE}B",
    "A\u{FFFF}",
    "\u{1}",
    "A\rB\r\n",
    "\u{FDD0}\u{85}\t",
    "\u{FEFF}",
];

fn word(u: &mut Unstructured<'_>, pool: &[&str]) -> arbitrary::Result<String> {
    if u.ratio(1, 8)? {
        String::arbitrary(u)
    } else {
        Ok((*u.choose(pool)?).to_owned())
    }
}

/// `name=value&...`: mostly the parameters ECS reads, sometimes escaped,
/// sometimes odd.
fn form(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    if u.ratio(1, 6)? {
        return String::arbitrary(u);
    }
    let mut pairs = Vec::new();
    for _ in 0..u.int_in_range(0..=6u8)? {
        let mut name = word(u, &NAMES)?;
        if name == Param::DiskId.as_str() && u.ratio(1, 2)? {
            name.push('=');
            name.push_str(u.choose(&DISK_IDS)?);
            pairs.push(name);
            continue;
        }
        if u.ratio(1, 10)? {
            pairs.push(name); // no '='
        } else {
            pairs.push(format!("{name}={}", word(u, &VALUES)?));
        }
    }
    Ok(pairs.join("&"))
}

struct Input {
    query: String,
    body: Vec<u8>,
    headers: Vec<(String, String)>,
    request_id: String,
}

fn input(u: &mut Unstructured<'_>) -> arbitrary::Result<Input> {
    let query = form(u)?;
    let body = match u.int_in_range(0..=3u8)? {
        0 => form(u)?.into_bytes(),
        1 => Vec::<u8>::arbitrary(u)?,
        _ => Vec::new(),
    };
    let mut headers = Vec::new();
    for _ in 0..u.int_in_range(0..=3u8)? {
        headers.push((word(u, &HEADER_NAMES)?, word(u, &HEADER_VALUES)?));
    }
    Ok(Input {
        query,
        body,
        headers,
        request_id: word(u, &REQUEST_IDS)?,
    })
}

/// The fields of a response body, read back.
#[derive(Debug, Default, PartialEq, Eq)]
struct Body {
    root: Option<String>,
    fields: Vec<(String, String)>,
}

impl Body {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
    fn names(&self) -> Vec<&str> {
        self.fields.iter().map(|(n, _)| n.as_str()).collect()
    }
}

/// A JSON object of strings, its keys in the order written.
struct Ordered(Vec<(String, String)>);

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object of strings")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Ordered, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = map.next_entry::<String, String>()? {
                    fields.push(entry);
                }
                Ok(Ordered(fields))
            }
        }
        d.deserialize_map(Visitor)
    }
}

fn read_json(text: &str) -> Body {
    let Ordered(fields) = serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("not a JSON object of strings ({e}): {text}"));
    Body { root: None, fields }
}

/// Reads `<?xml ...?><Root><A>text</A>...</Root>`, refusing anything else.
fn read_xml(text: &str) -> Body {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut body = Body::default();
    let mut depth = 0;
    let mut current: Option<(String, String)> = None;
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed XML ({e}): {text}"));
        match event {
            Event::Decl(_) => assert!(body.root.is_none(), "declaration after the root"),
            Event::Start(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).expect("UTF-8 name");
                depth += 1;
                match depth {
                    1 => {
                        assert!(body.root.is_none(), "two roots: {text}");
                        body.root = Some(name);
                    }
                    2 => current = Some((name, String::new())),
                    _ => panic!("nested deeper than two: {text}"),
                }
            }
            Event::End(_) => {
                if depth == 2 {
                    body.fields.push(current.take().expect("an open field"));
                }
                depth -= 1;
            }
            Event::Text(t) => {
                let s = t.decode().expect("UTF-8 text");
                match current.as_mut() {
                    Some((_, v)) => v.push_str(&s),
                    None => assert!(s.trim().is_empty(), "text outside a field: {text}"),
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().expect("a valid reference") {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().expect("UTF-8 reference");
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .unwrap_or_else(|| panic!("unknown entity &{name}; in {text}"))
                            .to_owned()
                    }
                };
                current
                    .as_mut()
                    .expect("a reference inside a field")
                    .1
                    .push_str(&resolved);
            }
            Event::CData(c) => {
                let s = c.decode().expect("UTF-8 CDATA");
                current
                    .as_mut()
                    .expect("CDATA inside a field")
                    .1
                    .push_str(&s);
            }
            Event::Eof => break,
            other => panic!("unexpected XML event {other:?} in {text}"),
        }
    }
    assert_eq!(depth, 0, "unclosed elements: {text}");
    body
}

fn check_response(
    response: &Response,
    format: Format,
    request_id: &str,
    expected: &Result<(), (u16, Code, String)>,
) {
    assert_eq!(response.format, format, "not the format asked for");
    let body = match format {
        Format::Json => read_json(&response.body),
        Format::Xml => {
            let strict = roxmltree::Document::parse(&response.body).unwrap_or_else(|e| {
                panic!(
                    "a strict XML parser refuses the body ({e}): {:?}",
                    response.body
                )
            });
            let id = strict
                .descendants()
                .find(|n| n.has_tag_name("RequestId"))
                .and_then(|n| n.text());
            assert_eq!(
                id.unwrap_or_default(),
                request_id,
                "the strict parser reads another RequestId"
            );
            read_xml(&response.body)
        }
    };
    assert_eq!(body.get("RequestId"), Some(request_id));
    match expected {
        Ok(()) => {
            assert_eq!(response.status, 200);
            assert_eq!(body.names(), ["RequestId"]);
            if format == Format::Xml {
                assert_eq!(body.root.as_deref(), Some("ReInitDiskResponse"));
            }
        }
        Err((status, code, message)) => {
            assert_eq!(response.status, *status);
            assert_eq!(
                body.names(),
                ["RequestId", "HostId", "Code", "Message", "Recommend"]
            );
            if format == Format::Xml {
                assert_eq!(body.root.as_deref(), Some("Error"));
            }
            let sent: Code = body
                .get("Code")
                .and_then(|c| c.parse().ok())
                .expect("a code from the catalogue");
            assert_eq!(sent, *code);
            assert_eq!(body.get("Message"), Some(message.as_str()));
            let recommend = body.get("Recommend").expect("Recommend");
            assert!(recommend.starts_with("https://api.aliyun.com/troubleshoot?q="));
        }
    }
    let http = response.to_http();
    assert!(http.starts_with(&format!("HTTP/1.1 {} ", response.status)));
    assert!(http.ends_with(&response.body));
}

fn expected_rejection(r: &Rejection) -> (u16, Code, String) {
    (r.http_status(), r.code(), r.message().to_owned())
}

fn run(u: &mut Unstructured<'_>) -> arbitrary::Result<()> {
    let scenario = world(u)?;
    let policy: Policy = policy(u)?;
    let input = input(u)?;
    let world = in_memory(&scenario);
    let headers: Vec<(&str, &str)> = input
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let http = HttpRequest {
        query: &input.query,
        body: &input.body,
        headers: &headers,
    };
    let ids = Ids::new(&input.request_id);

    let params = Params::decode(&http);
    let response = match respond(&http, &world, &policy, &ids) {
        Ok(response) => response,
        Err(EncodeError::NotXml { field, character }) => {
            // Refused only in XML, only for a RequestId XML cannot carry.
            assert_eq!(params.format(), Format::Xml);
            assert_eq!(field, "RequestId");
            assert_eq!(not_xml_char(&input.request_id), Some(character));
            return Ok(());
        }
        Err(e) => panic!("encoding failed: {e}"),
    };
    assert_eq!(
        respond(&http, &world, &policy, &ids).ok(),
        Some(response.clone()),
        "the same request answered differently"
    );

    let expected = match params.request() {
        Ok(request) => {
            check_decision(&request, &world, &policy);
            evaluate(&request, &world, &policy)
                .map(|_| ())
                .map_err(|r| expected_rejection(&r))
        }
        Err(malformed) => {
            assert!(!malformed.parameter.chars().any(char::is_control));
            let entry = policy
                .revision()
                .entry(Code::InvalidParameter)
                .expect("InvalidParameter is in the catalogue");
            Err((
                entry.http_status,
                Code::InvalidParameter,
                message_naming(entry, &malformed.parameter),
            ))
        }
    };
    check_response(&response, params.format(), &input.request_id, &expected);
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = run(&mut Unstructured::new(data));
});
