//! Request decoding: spaces as `+` or `%20`, the body joining the query,
//! headers without case, the format a request asks for, and malformed
//! requests answered with an ECS error, never a panic.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use proptest::prelude::*;
use reinit_disk::wire::{Fault, Format, HttpRequest, Ids, Malformed, Params, respond};
use reinit_disk::{InMemoryWorld, Policy, Request};

fn query(q: &str) -> Params<'_> {
    Params::decode(&HttpRequest {
        query: q,
        ..HttpRequest::default()
    })
}

fn malformed(http: &HttpRequest<'_>) -> Malformed {
    Params::decode(http)
        .malformed()
        .cloned()
        .expect("the request should be malformed")
}

fn malformed_query(q: &str) -> Malformed {
    malformed(&HttpRequest {
        query: q,
        ..HttpRequest::default()
    })
}

fn m(parameter: &str, fault: Fault) -> Malformed {
    Malformed {
        parameter: parameter.to_owned(),
        fault,
    }
}

#[test]
fn spaces_arrive_as_plus_or_percent_20_and_plus_itself_as_percent_2b() {
    let p = query("DiskId=d+1&RegionId=cn%20hangzhou&Signature=a%2Bb%3D&Name%20X=v");
    assert_eq!(p.get("DiskId"), Some("d 1"));
    assert_eq!(p.get("RegionId"), Some("cn hangzhou"));
    assert_eq!(p.get("Signature"), Some("a+b="));
    assert_eq!(p.get("Name X"), Some("v"));
    assert!(p.malformed().is_none());
}

#[test]
fn percent_encoded_utf8_decodes() {
    let p = query("DiskId=%E7%A3%81%E7%9B%98&Empty=&Bare");
    assert_eq!(p.get("DiskId"), Some("磁盘"));
    assert_eq!(p.get("Empty"), Some(""));
    assert_eq!(p.get("Bare"), Some(""));
}

#[test]
fn the_request_reads_its_seven_parameters_and_ignores_the_rest() {
    let p = query(
        "Action=ReInitDisk&DiskId=d-1&SecurityEnhancementStrategy=Active&RegionId=cn-hangzhou&Password=Passw0rd%21&KeyPairName=kp-1&AutoStartInstance=True&Format=JSON&Version=2014-05-26&Signature=x&OwnerId=1",
    );
    assert_eq!(
        p.request().unwrap(),
        Request {
            action: Some("ReInitDisk"),
            disk_id: Some("d-1"),
            security_enhancement_strategy: Some("Active"),
            password: Some("Passw0rd!"),
            key_pair_name: Some("kp-1"),
            auto_start_instance: Some("True"),
            region_id: Some("cn-hangzhou"),
        }
    );
    // Names are case-sensitive: diskid is not DiskId.
    assert_eq!(query("diskid=d-1").request().unwrap().disk_id, None);
}

#[test]
fn body_values_join_the_query() {
    let headers = [(
        "Content-Type",
        "application/x-www-form-urlencoded; charset=UTF-8",
    )];
    let http = HttpRequest {
        query: "Action=ReInitDisk",
        body: b"DiskId=d-1&SecurityEnhancementStrategy=Deactive",
        headers: &headers,
    };
    let p = Params::decode(&http);
    let r = p.request().unwrap();
    assert_eq!(r.action, Some("ReInitDisk"));
    assert_eq!(r.disk_id, Some("d-1"));
    assert_eq!(r.security_enhancement_strategy, Some("Deactive"));
    // No Content-Type: still a form.
    let bare = HttpRequest {
        body: b"DiskId=d-2",
        ..HttpRequest::default()
    };
    assert_eq!(Params::decode(&bare).get("DiskId"), Some("d-2"));
    // A body that says it is something else is not read.
    let json = [("content-type", "application/json")];
    let other = HttpRequest {
        body: br#"{"DiskId":"d-3"}"#,
        headers: &json,
        ..HttpRequest::default()
    };
    assert_eq!(Params::decode(&other).request().unwrap().disk_id, None);
    // Even one that would read as a form (a JSON body reads as nothing
    // either way; this one would not).
    let formlike = HttpRequest {
        body: b"DiskId=d-3",
        headers: &json,
        ..HttpRequest::default()
    };
    assert_eq!(Params::decode(&formlike).get("DiskId"), None);
}

#[test]
fn a_parameter_repeated_with_the_same_value_is_fine_with_another_is_invalid() {
    assert!(query("DiskId=d-1&DiskId=d%2D1").malformed().is_none());
    assert_eq!(
        malformed_query("DiskId=d-1&RegionId=x&DiskId=d-2"),
        m("DiskId", Fault::Conflicting)
    );
    // Across the query and the body.
    let http = HttpRequest {
        query: "DiskId=d-1",
        body: b"DiskId=d-9",
        ..HttpRequest::default()
    };
    assert_eq!(malformed(&http), m("DiskId", Fault::Conflicting));
    // The first conflict in the order sent is named.
    assert_eq!(
        malformed_query("Zone=a&DiskId=1&Zone=b&DiskId=2"),
        m("Zone", Fault::Conflicting)
    );
}

#[test]
fn among_many_parameters_the_first_conflict_in_the_order_sent_is_named() {
    // Above 32 parameters the check sorts instead of comparing each pair.
    let mut q: Vec<String> = (0..40).map(|i| format!("P{i}=v")).collect();
    q[0] = "A=x".into();
    q[3] = "B=1".into();
    q[4] = "B=2".into();
    q[30] = "A=x".into();
    q[31] = "A=y".into();
    assert_eq!(malformed_query(&q.join("&")), m("A", Fault::Conflicting));
    q[31] = "A=x".into();
    assert_eq!(malformed_query(&q.join("&")), m("B", Fault::Conflicting));
    q[4] = "B=1".into();
    assert!(query(&q.join("&")).malformed().is_none());
}

#[test]
fn bad_percent_encoding_is_invalid_naming_the_parameter() {
    for q in ["DiskId=d%2", "DiskId=d%", "DiskId=%G1", "DiskId=%%41"] {
        assert_eq!(
            malformed_query(q),
            m("DiskId", Fault::BadPercentEncoding),
            "{q}"
        );
    }
    // A name that does not decode is named as sent.
    assert_eq!(
        malformed_query("Disk%ZZId=d-1"),
        m("Disk%ZZId", Fault::BadPercentEncoding)
    );
}

#[test]
fn invalid_utf8_is_invalid_naming_the_parameter() {
    assert_eq!(
        malformed_query("DiskId=%FF"),
        m("DiskId", Fault::InvalidUtf8)
    );
    assert_eq!(
        malformed_query("DiskId=%C3%28"),
        m("DiskId", Fault::InvalidUtf8)
    );
    let http = HttpRequest {
        body: b"SecurityEnhancementStrategy=\xff",
        ..HttpRequest::default()
    };
    assert_eq!(
        malformed(&http),
        m("SecurityEnhancementStrategy", Fault::InvalidUtf8)
    );
    // Control characters in a name are shown percent-encoded, so that the
    // message stays valid in XML.
    assert_eq!(malformed_query("%01=a&%01=b"), m("%01", Fault::Conflicting));
}

#[test]
fn the_first_malformed_parameter_in_the_order_sent_is_named() {
    assert_eq!(
        malformed_query("RegionId=%ZZ&DiskId=%FF&DiskId=a&DiskId=b"),
        m("RegionId", Fault::BadPercentEncoding)
    );
}

#[test]
fn the_action_may_come_from_the_x_acs_action_header_in_any_case() {
    let headers = [("X-Acs-Action", "ReInitDisk")];
    let http = HttpRequest {
        query: "DiskId=d-1",
        headers: &headers,
        ..HttpRequest::default()
    };
    let p = Params::decode(&http);
    assert_eq!(p.request().unwrap().action, Some("ReInitDisk"));
    // The same action in both is fine; a different one is a conflict.
    let both = HttpRequest {
        query: "Action=ReInitDisk&DiskId=d-1",
        headers: &headers,
        ..HttpRequest::default()
    };
    assert!(Params::decode(&both).malformed().is_none());
    let other = [("x-acs-action", "DescribeDisks")];
    let conflict = HttpRequest {
        query: "Action=ReInitDisk&DiskId=d-1",
        headers: &other,
        ..HttpRequest::default()
    };
    assert_eq!(malformed(&conflict), m("Action", Fault::Conflicting));
}

fn format_of(q: &str, headers: &[(&str, &str)]) -> Format {
    Params::decode(&HttpRequest {
        query: q,
        headers,
        ..HttpRequest::default()
    })
    .format()
}

#[test]
fn format_in_any_case_chooses_then_the_headers_then_xml() {
    for q in ["Format=JSON", "Format=json", "Format=Json"] {
        assert_eq!(format_of(q, &[]), Format::Json, "{q}");
        assert_eq!(
            format_of(q, &[("x-acs-action", "ReInitDisk")]),
            Format::Json
        );
    }
    for q in ["Format=XML", "Format=xml"] {
        assert_eq!(format_of(q, &[]), Format::Xml, "{q}");
        // Format wins over the headers.
        assert_eq!(
            format_of(
                q,
                &[
                    ("x-acs-action", "ReInitDisk"),
                    ("accept", "application/json")
                ]
            ),
            Format::Xml
        );
    }
    assert_eq!(format_of("", &[]), Format::Xml);
    assert_eq!(format_of("Format=yaml", &[]), Format::Xml);
    assert_eq!(
        format_of("", &[("X-ACS-ACTION", "ReInitDisk")]),
        Format::Json
    );
    assert_eq!(
        format_of("", &[("Accept", "application/json")]),
        Format::Json
    );
    assert_eq!(
        format_of("", &[("accept", "text/plain, Application/JSON;q=0.9")]),
        Format::Json
    );
    assert_eq!(format_of("", &[("accept", "*/*")]), Format::Xml);
    assert_eq!(
        format_of("Format=yaml", &[("accept", "application/json")]),
        Format::Json
    );
}

#[test]
fn a_malformed_request_gets_invalid_parameter_in_the_format_it_asked_for() {
    let world = InMemoryWorld::new();
    let ids = Ids::new("F3CD6886-D8D0-4FEE-B93E-1B73239673DE");
    let http = HttpRequest {
        query: "Action=ReInitDisk&DiskId=%FF&Format=JSON",
        ..HttpRequest::default()
    };
    let response = respond(
        &http,
        &world,
        &Policy::new(&reinit_disk::revision::SEED),
        &ids,
    )
    .unwrap();
    assert_eq!(response.status, 400);
    assert_eq!(response.format, Format::Json);
    assert_eq!(
        response.body,
        r#"{"RequestId":"F3CD6886-D8D0-4FEE-B93E-1B73239673DE","HostId":"ecs.aliyuncs.com","Code":"InvalidParameter","Message":"The specified parameter \"DiskId\" is not valid.","Recommend":"https://api.aliyun.com/troubleshoot?q=InvalidParameter&product=Ecs&requestId=F3CD6886-D8D0-4FEE-B93E-1B73239673DE"}"#
    );
    let xml = HttpRequest {
        query: "Action=ReInitDisk&DiskId=a&DiskId=b",
        ..HttpRequest::default()
    };
    let response = respond(
        &xml,
        &world,
        &Policy::new(&reinit_disk::revision::SEED),
        &ids,
    )
    .unwrap();
    assert_eq!(response.status, 400);
    assert_eq!(response.content_type(), "text/xml;charset=utf-8");
    assert!(
        response
            .body
            .contains(r#"<Code>InvalidParameter</Code><Message>The specified parameter "DiskId" is not valid.</Message>"#),
        "{}",
        response.body
    );
    assert_eq!(
        response.to_http(),
        format!(
            "HTTP/1.1 400 Bad Request\r\nContent-Type: text/xml;charset=utf-8\r\n\r\n{}",
            response.body
        )
    );
}

fn any_query() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("DiskId".to_owned()),
        Just("Action".to_owned()),
        Just("Format".to_owned()),
        Just("SecurityEnhancementStrategy".to_owned()),
        Just("=".to_owned()),
        Just("&".to_owned()),
        Just("%".to_owned()),
        Just("+".to_owned()),
        Just("%FF".to_owned()),
        Just("%2".to_owned()),
        Just("json".to_owned()),
        "[a-zA-Z0-9%+=&<>\"'\\]\\[-]{0,6}",
        any::<String>(),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    /// Whatever arrives, the answer is a well-formed ECS response: a known
    /// status, and a body that parses in its format. Never a panic.
    #[test]
    fn any_request_gets_a_well_formed_response(
        q in any_query(),
        body in proptest::collection::vec(any::<u8>(), 0..40),
        action_header in proptest::option::of("[A-Za-z]{0,12}"),
        json in any::<bool>(),
    ) {
        let mut headers = Vec::new();
        if let Some(a) = &action_header {
            headers.push(("x-acs-action", a.as_str()));
        }
        if json {
            headers.push(("Accept", "application/json"));
        }
        let http = HttpRequest { query: &q, body: &body, headers: &headers };
        let response = respond(&http, &InMemoryWorld::new(), &Policy::new(&reinit_disk::revision::SEED), &Ids::new("R-1")).unwrap();
        prop_assert!([200, 400, 403, 404, 500].contains(&response.status));
        match response.format {
            Format::Json => {
                let v: serde_json::Value = serde_json::from_str(&response.body).unwrap();
                prop_assert!(v.get("Code").is_some());
            }
            Format::Xml => {
                let mut reader = quick_xml::Reader::from_str(&response.body);
                loop {
                    match reader.read_event() {
                        Ok(quick_xml::events::Event::Eof) => break,
                        Ok(_) => {}
                        Err(e) => prop_assert!(false, "{}: {}", response.body, e),
                    }
                }
            }
        }
    }
}

/// The decoder written as plainly as possible: split on `&`, drop empty
/// segments, split at the first `=`, `+` to space, percent-decode; `None`
/// when any `%` lacks two hex digits or a result is not UTF-8.
fn reference(query: &str) -> Option<Vec<(String, String)>> {
    let decode = |s: &str| -> Option<String> {
        let bytes = s.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'%' {
                let hex = bytes.get(i + 1..i + 3)?;
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return None;
                }
            }
        }
        let spaced = s.replace('+', " ");
        percent_encoding::percent_decode_str(&spaced)
            .decode_utf8()
            .ok()
            .map(|c| c.into_owned())
    };
    query
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|segment| {
            let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
            Some((decode(name)?, decode(value)?))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(5_000))]

    /// The decoder's fast paths give what the plain reference gives.
    #[test]
    fn decoding_matches_a_plain_reference(q in any_query()) {
        let params = query(&q);
        match reference(&q) {
            Some(pairs) => {
                let decoded: Vec<(String, String)> =
                    params.iter().map(|(n, v)| (n.to_owned(), v.to_owned())).collect();
                prop_assert_eq!(decoded, pairs);
            }
            None => prop_assert!(matches!(
                params.malformed().map(|m| m.fault),
                Some(Fault::BadPercentEncoding | Fault::InvalidUtf8)
            )),
        }
    }
}

#[test]
fn a_body_that_is_not_utf8_is_still_decoded_segment_by_segment() {
    // The body is read as bytes: its good segments decode (escapes and all),
    // an empty one (`&&`) is no parameter, and the bad one is named.
    let http = HttpRequest {
        body: b"DiskId=d%2D1&&Security+Enhancement=x&Bad=\xff",
        ..HttpRequest::default()
    };
    let params = Params::decode(&http);
    assert_eq!(
        params.iter().collect::<Vec<_>>(),
        [("DiskId", "d-1"), ("Security Enhancement", "x")]
    );
    assert_eq!(params.malformed(), Some(&m("Bad", Fault::InvalidUtf8)));
}
