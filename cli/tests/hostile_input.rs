//! Hostile input (issue 9): no input crashes the library or the CLI, or
//! makes them lie. One section per class of the issue; each test failed
//! before its fix.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use proptest::prelude::*;
use reinit_disk::model::CreationTime;
use reinit_disk::scenario::Scenario;
use serde_json::{Value, json};

/// A valid scenario: a data disk made from snapshot `s-1`, accepted.
fn base() -> Value {
    json!({
        "Request": {"DiskId": "d-1"},
        "Disks": [{"DiskId": "d-1", "Type": "data", "Category": "cloud_essd", "Status": "In_use",
                   "InstanceId": "i-1", "SourceSnapshotId": "s-1"}],
        "Instances": [{"InstanceId": "i-1", "Status": "Stopped", "OperationLocks": []}],
        "Images": [{"ImageId": "m-1", "ImageOwnerAlias": "system"}],
        "Snapshots": [{"SnapshotId": "s-1", "CreationTime": "2014-01-01T00:00:00Z"}],
        "Policy": {}
    })
}

fn with(change: impl FnOnce(&mut Value)) -> String {
    let mut v = base();
    change(&mut v);
    v.to_string()
}

fn with_time(text: &str) -> String {
    with(|v| v["Snapshots"][0]["CreationTime"] = json!(text))
}

// ---- Class 1: creation times at the edges of the representable range ----

/// Texts RFC 3339 or the minute form accept whose UTC instant is before
/// year 0 or after year 9999.
const OUT_OF_RANGE: &[&str] = &[
    "9999-12-31T23:59:59-00:01",
    "9999-12-31T23:00:00-23:59",
    "9999-12-31T23:59:59.999999999-00:01",
    "0000-01-01T00:00:00+00:01",
    "0000-01-01T23:58:00+23:59",
    "-0001-06-01T00:00Z",
];

/// The first and last instants that are in range, written several ways.
const AT_THE_EDGES: &[(&str, &str)] = &[
    ("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z"),
    ("0000-01-01T00:01:00+00:01", "0000-01-01T00:00:00Z"),
    ("0000-01-01T00:00Z", "0000-01-01T00:00:00Z"),
    ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z"),
    (
        "9999-12-31T23:59:59.999999999Z",
        "9999-12-31T23:59:59.999999999Z",
    ),
    ("9999-12-31T22:59:59-01:00", "9999-12-31T23:59:59Z"),
    ("9999-12-31T23:59Z", "9999-12-31T23:59:00Z"),
];

#[test]
fn a_creation_time_outside_years_0_to_9999_in_utc_is_refused_naming_it() {
    for text in OUT_OF_RANGE {
        let e = text.parse::<CreationTime>().unwrap_err().to_string();
        assert!(e.contains("out of range"), "{text}: {e}");
        assert!(e.contains(text), "{text}: {e}");
        let e = Scenario::from_json(&with_time(text)).unwrap_err();
        assert_eq!(e.path, "Snapshots[0].CreationTime", "{text}: {e}");
        assert!(e.message.contains("out of range"), "{text}: {e}");
    }
}

#[test]
fn a_creation_time_at_the_edges_displays_serializes_and_round_trips() {
    for (text, shown) in AT_THE_EDGES {
        let t: CreationTime = text.parse().unwrap();
        assert_eq!(t.to_string(), *shown, "{text}");
        assert_eq!(t.to_string().parse::<CreationTime>().unwrap(), t);
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<CreationTime>(&json).unwrap(), t);
        // The whole scenario round-trips too.
        let scenario = Scenario::from_json(&with_time(text)).unwrap();
        let again = Scenario::from_json(&serde_json::to_string(&scenario).unwrap()).unwrap();
        assert_eq!(again, scenario, "{text}");
    }
    let min: CreationTime = "0000-01-01T00:00:00Z".parse().unwrap();
    let max: CreationTime = "9999-12-31T23:59:59.999999999Z".parse().unwrap();
    assert_eq!(min, CreationTime::MIN);
    assert_eq!(max, CreationTime::MAX);
    let boundary = reinit_disk::revision::SEED.too_old_before;
    assert!(min < max && min < boundary && boundary <= max);
}

#[test]
fn from_unix_seconds_gives_only_values_that_display() {
    // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
    let (first, last) = (-62_167_219_200i64, 253_402_300_799i64);
    for secs in [first, first + 1, 0, last - 1, last] {
        let t = CreationTime::from_unix_seconds(secs).unwrap();
        assert_eq!(t.unix_seconds(), secs);
        assert_eq!(t.to_string().parse::<CreationTime>().unwrap(), t);
    }
    // Year -1, year -9999, year 10000, and the i64 extremes.
    for secs in [first - 1, -377_705_116_800, last + 1, i64::MIN, i64::MAX] {
        assert_eq!(CreationTime::from_unix_seconds(secs), None, "{secs}");
    }
}

proptest! {
    /// Any date and time with any offset, in and around the range: refused
    /// as out of range, or displayed in UTC and parsed back to itself.
    #[test]
    fn any_rfc_3339_text_is_refused_or_round_trips(
        (year, month, day) in prop_oneof![
            Just((0u32, 1u32, 1u32)),
            Just((9999, 12, 31)),
            (prop_oneof![0u32..=2, 9997u32..=9999, 0u32..=9999], 1u32..=12, 1u32..=28),
        ],
        (hour, minute, second) in prop_oneof![
            Just((0u32, 0u32, 0u32)),
            Just((23, 59, 59)),
            (0u32..=23, 0u32..=59, 0u32..=59),
        ],
        nanos in prop_oneof![Just(None), (0u32..1_000_000_000).prop_map(Some)],
        offset in prop_oneof![Just(None), (-1439i32..=1439).prop_map(Some)],
    ) {
        let fraction = nanos.map(|n| format!(".{n:09}")).unwrap_or_default();
        let zone = match offset {
            None => "Z".to_owned(),
            Some(m) => format!("{}{:02}:{:02}", if m < 0 { '-' } else { '+' }, m.abs() / 60, m.abs() % 60),
        };
        let text = format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{fraction}{zone}");
        match text.parse::<CreationTime>() {
            Ok(t) => {
                let shown = t.to_string();
                prop_assert_eq!(shown.parse::<CreationTime>().unwrap(), t);
                prop_assert_eq!(serde_json::from_str::<CreationTime>(&serde_json::to_string(&t).unwrap()).unwrap(), t);
                prop_assert!(CreationTime::MIN <= t && t <= CreationTime::MAX);
            }
            Err(e) => prop_assert!(e.to_string().contains("out of range"), "{}: {}", text, e),
        }
    }
}

// ---- Class 2: a wrong JSON type in an enum field names the field ----

#[test]
fn a_number_boolean_null_array_or_object_in_an_enum_field_names_the_field() {
    type Place = (&'static str, fn(&mut Value, Value));
    let places: &[Place] = &[
        ("Disks[0].Type", |v, x| v["Disks"][0]["Type"] = x),
        ("Disks[0].Category", |v, x| v["Disks"][0]["Category"] = x),
        ("Disks[0].Status", |v, x| v["Disks"][0]["Status"] = x),
        ("Instances[0].Status", |v, x| {
            v["Instances"][0]["Status"] = x
        }),
        ("Instances[0].OperationLocks[0]", |v, x| {
            v["Instances"][0]["OperationLocks"] = json!([x]);
        }),
        ("Images[0].ImageOwnerAlias", |v, x| {
            v["Images"][0]["ImageOwnerAlias"] = x;
        }),
        ("Policy.Revision", |v, x| v["Policy"]["Revision"] = x),
        ("Policy.DeletedSnapshotCode", |v, x| {
            v["Policy"]["DeletedSnapshotCode"] = x;
        }),
        ("Policy.ActiveOnNonPublicImage", |v, x| {
            v["Policy"]["ActiveOnNonPublicImage"] = x;
        }),
        ("Policy.UnsupportedCategories[0]", |v, x| {
            v["Policy"]["UnsupportedCategories"] = json!([x]);
        }),
        ("Policy.Order[0]", |v, x| v["Policy"]["Order"] = json!([x])),
    ];
    let values = [
        (json!(1), "integer `1`"),
        (json!(-2.5), "floating point `-2.5`"),
        (json!(true), "boolean `true`"),
        (json!(null), "null"),
        (json!([]), "sequence"),
        (json!(["system"]), "sequence"),
    ];
    for (path, put) in places {
        for (value, found) in &values {
            let text = with(|v| put(v, value.clone()));
            let e = Scenario::from_json(&text).unwrap_err();
            assert_eq!(e.path, *path, "{value} at {path}: {e}");
            assert!(
                e.message
                    .starts_with(&format!("invalid type: {found}, expected ")),
                "{value} at {path}: {e}"
            );
            assert!(
                e.message.contains("expected one of `")
                    || e.message.contains(" or `")
                    || e.message.contains("expected a revision name, one of seed"),
                "the accepted values, {value} at {path}: {e}"
            );
        }
    }
}

#[test]
fn a_document_that_is_not_json_is_still_named_as_such() {
    for bad in [
        "{\"Disks\": [",
        "{\"Disks\": [{\"Type\": tru}]}",
        "{} {}",
        "{\"Policy\": {\"Revision\": 1e}}",
    ] {
        let e = Scenario::from_json(bad).unwrap_err();
        assert_eq!(e.path, ".", "{bad}: {e}");
        assert!(e.message.starts_with("not valid JSON"), "{bad}: {e}");
    }
}

// ---- Class 3: a parameter given twice in Request ----

#[test]
fn a_parameter_given_twice_in_request_is_refused_naming_it() {
    for (text, path) in [
        (
            r#"{"Request": {"DiskId": "d-1", "DiskId": "d-2"}}"#,
            "Request.DiskId",
        ),
        (
            r#"{"Request": {"DiskId": "d-1", "DiskId": "d-1"}}"#,
            "Request.DiskId",
        ),
        (
            r#"{"Request": {"Action": "ReInitDisk", "DiskId": "d", "Action": "Other"}}"#,
            "Request.Action",
        ),
        (
            r#"{"Request": {"a b": "1", "a b": "2"}}"#,
            "Request.\"a b\"",
        ),
        (r#"{"Request": {"": "1", "": "2"}}"#, "Request.\"\""),
    ] {
        let e = Scenario::from_json(text).unwrap_err();
        assert_eq!(e.path, path, "{text}: {e}");
        assert!(e.message.starts_with("duplicate parameter "), "{text}: {e}");
    }
    // Distinct names are fine, and a value must still be a string.
    let ok = Scenario::from_json(r#"{"Request": {"DiskId": "d-1", "RegionId": "x"}}"#).unwrap();
    assert_eq!(ok.request.len(), 2);
    let e = Scenario::from_json(r#"{"Request": {"DiskId": 1}}"#).unwrap_err();
    assert_eq!(e.path, "Request.DiskId");
}

// ---- Class 6: echoed values capped, byte-order marks skipped ----

#[test]
fn a_refusal_echoes_at_most_a_capped_start_of_a_huge_value() {
    let huge = "x".repeat(1_000_000);
    let cases = [
        with(|v| v["Disks"][0]["Status"] = json!(huge)),
        with(|v| v["Disks"][0]["InstanceId"] = json!(huge)),
        with(|v| v["Disks"][0][huge.as_str()] = json!(1)),
        with_time(&huge),
        with(|v| {
            v["Disks"][0]["DiskId"] = json!(huge);
            let disk = v["Disks"][0].clone();
            v["Disks"].as_array_mut().unwrap().push(disk);
        }),
        format!(r#"{{"Request": {{"{huge}": "1", "{huge}": "2"}}}}"#),
    ];
    for text in cases {
        let e = Scenario::from_json(&text).unwrap_err().to_string();
        assert!(e.len() < 2_000, "{} bytes: {}", e.len(), &e[..200]);
        assert!(e.contains("… (1000000 bytes)"), "{e}");
        assert!(!e.contains('\n'));
    }
}

#[test]
fn a_byte_order_mark_at_the_start_of_a_scenario_is_skipped() {
    let text = base().to_string();
    let plain = Scenario::from_json(&text).unwrap();
    assert_eq!(
        Scenario::from_json(&format!("\u{feff}{text}")).unwrap(),
        plain
    );
    // Only one, and only at the start.
    assert!(Scenario::from_json(&format!("\u{feff}\u{feff}{text}")).is_err());
    assert!(Scenario::from_json(&format!(" \u{feff}{text}")).is_err());
    let e = Scenario::from_json("\u{feff}").unwrap_err();
    assert!(e.message.contains("empty"), "{e}");
}

// ---- Class 4: the duplicate-parameter check, any number of parameters ----

/// The first parameter (in the order sent) given again with another value:
/// the definition, compared pair by pair.
fn first_conflict_by_definition(pairs: &[(String, String)]) -> Option<String> {
    pairs
        .iter()
        .enumerate()
        .find(|(i, (n, v))| pairs[i + 1..].iter().any(|(m, w)| m == n && w != v))
        .map(|(_, (n, _))| n.clone())
}

proptest! {
    /// The wire layer's check (one sort, O(n log n)) names the parameter the
    /// definition names, for a few parameters and for many.
    #[test]
    fn the_conflict_named_is_the_first_by_definition(
        pairs in proptest::collection::vec(
            (prop_oneof![Just("A"), Just("B"), Just("C"), Just("DiskId"), Just("Action")],
             prop_oneof![Just("1"), Just("2"), Just("")]),
            0..120,
        ),
        tail in 0usize..60,
    ) {
        // A tail of distinct parameters, so that large queries are common.
        let mut pairs: Vec<(String, String)> =
            pairs.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
        pairs.extend((0..tail).map(|i| (format!("P{i}"), "x".to_owned())));
        let query = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("&");
        let http = reinit_disk::wire::HttpRequest { query: &query, ..Default::default() };
        let params = reinit_disk::wire::Params::decode(&http);
        let named = params.malformed().map(|m| m.parameter.clone());
        prop_assert_eq!(named, first_conflict_by_definition(&pairs));
    }
}

#[test]
fn a_large_adversarial_query_names_its_first_conflicting_parameter() {
    // 20,000 distinct names, each given twice with different values: the
    // benchmark `adversarial` (benches/wire.rs) times this shape.
    let n = 20_000;
    let query = ["a", "b"]
        .iter()
        .flat_map(|v| (0..n).map(move |i| format!("P{i}={v}")))
        .collect::<Vec<_>>()
        .join("&");
    let http = reinit_disk::wire::HttpRequest {
        query: &query,
        ..Default::default()
    };
    let params = reinit_disk::wire::Params::decode(&http);
    assert_eq!(params.malformed().unwrap().parameter, "P0");
}

// ---- Class 5: every XML body is well-formed, for every input ----

use reinit_disk::wire::{
    EncodeError, ErrorBody, Format, HttpRequest, Ids, encode_error, encode_success, respond,
};
use reinit_disk::{InMemoryWorld, Policy};

/// Parses `body` with a strict XML parser and returns the text of its
/// `RequestId` element.
fn strict_request_id(body: &str) -> String {
    let doc = roxmltree::Document::parse(body)
        .unwrap_or_else(|e| panic!("not well-formed XML ({e}): {body:?}"));
    let id = doc
        .descendants()
        .find(|n| n.has_tag_name("RequestId"))
        .expect("a RequestId element");
    id.text().unwrap_or_default().to_owned()
}

#[test]
fn a_character_xml_cannot_carry_is_refused_and_every_other_body_parses() {
    for bad in [
        "\u{FFFE}", "\u{FFFF}", "\u{0}", "\u{1}", "\u{8}", "\u{B}", "\u{C}", "\u{1F}",
    ] {
        let id = format!("A{bad}B");
        let e = encode_success(Format::Xml, &id).unwrap_err();
        assert!(
            matches!(e, EncodeError::NotXml { field: "RequestId", character } if character.to_string() == bad),
            "{bad:?}: {e}"
        );
        assert!(e.to_string().contains("RequestId holds U+"), "{e}");
        // JSON carries it.
        assert!(encode_success(Format::Json, &id).is_ok());
        for field in ["RequestId", "HostId", "Code", "Message"] {
            let put = |f: &str| if f == field { id.as_str() } else { "x" };
            let body = ErrorBody {
                request_id: put("RequestId"),
                host_id: put("HostId"),
                code: put("Code"),
                message: put("Message"),
            };
            match encode_error(Format::Xml, &body) {
                Err(EncodeError::NotXml { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field} with {bad:?}: {other:?}"),
            }
            assert!(encode_error(Format::Json, &body).is_ok());
        }
    }
    for odd in [
        "\t",
        "\n",
        "\r",
        "\r\n",
        "\u{85}",
        "\u{7F}",
        "\u{FDD0}",
        "\u{10FFFF}",
        "]]>",
        "<&>\"'",
        "\u{FEFF}",
    ] {
        let id = format!("A{odd}B");
        let body = encode_success(Format::Xml, &id).unwrap();
        assert_eq!(strict_request_id(&body), id, "{odd:?}");
        let body = encode_error(
            Format::Xml,
            &ErrorBody {
                request_id: &id,
                host_id: &id,
                code: &id,
                message: &id,
            },
        )
        .unwrap();
        assert_eq!(strict_request_id(&body), id, "{odd:?}");
    }
}

proptest! {
    /// Any query string, body and request id: the response is refused (only
    /// in XML, only for an id XML cannot carry) or its XML parses with a
    /// strict parser and carries the id.
    #[test]
    fn every_xml_response_parses_with_a_strict_parser(
        query in prop_oneof![
            "[a-zA-Z%+=&0-9\u{0}-\u{1f}\u{7f}\u{85}\u{fffe}\u{ffff}\u{fdd0}<>\\]&;]{0,40}",
            any::<String>(),
        ],
        id in prop_oneof![
            "[A-F0-9-]{36}",
            "[a-z\u{0}-\u{1f}\u{fffe}\u{ffff}\u{fdd0}<>&\\]]{1,12}",
            any::<String>(),
        ],
    ) {
        let http = HttpRequest { query: &query, ..HttpRequest::default() };
        match respond(&http, &InMemoryWorld::new(), &Policy::new(&reinit_disk::revision::SEED), &Ids::new(&id)) {
            Ok(response) => {
                prop_assert_eq!(response.format, Format::Xml);
                prop_assert_eq!(strict_request_id(&response.body), id);
            }
            Err(EncodeError::NotXml { field, character }) => {
                prop_assert_eq!(field, "RequestId");
                prop_assert!(id.contains(character));
                prop_assert_eq!(reinit_disk::wire::not_xml_char(&id), Some(character));
            }
            Err(e) => prop_assert!(false, "{}", e),
        }
    }
}

// ---- The CLI: hostile input gets exit 2 and one line, never a panic ----

use std::process::{Command, Output, Stdio};

const EXAMPLE: &str = "examples/accepted-system-disk.json";

/// `out` refused its input: exit 2, nothing on stdout, one line on stderr
/// (returned), no panic.
fn refused(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    stderr
}

#[test]
fn out_of_range_creation_times_are_refused_by_every_command() {
    let text = with_time("9999-12-31T23:59:59-23:59");
    let dir = std::env::temp_dir().join(format!("reinit-disk-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("edge.json");
    std::fs::write(&file, &text).unwrap();
    let path = file.to_str().unwrap();
    for args in [
        vec!["eval"],
        vec!["explain"],
        vec!["call", path, "DiskId=d-1"],
    ] {
        let line = refused(&common::cli::run(&args, text.as_bytes()));
        assert!(
            line.contains("Snapshots[0].CreationTime"),
            "{args:?}: {line}"
        );
        assert!(line.contains("out of range"), "{args:?}: {line}");
    }
    // --lines: the line gets its error, and the stream goes on.
    let good = base().to_string();
    let out = common::cli::run(&["eval", "--lines"], format!("{text}\n{good}\n").as_bytes());
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].contains("out of range"), "{stdout}");
    assert!(lines[1].starts_with("{\"Accepted\":true"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_request_id_xml_cannot_carry_is_refused() {
    for id in ["A\u{FFFE}B", "A\u{FFFF}", "A\u{1}"] {
        let line = refused(&common::cli::run(
            &["call", EXAMPLE, "DiskId=d-1", "--request-id", id],
            b"",
        ));
        assert!(line.contains("invalid --request-id"), "{line}");
    }
    // One a parser can read is fine, in both formats.
    for format in ["XML", "JSON"] {
        let out = common::cli::run(
            &[
                "call",
                EXAMPLE,
                &format!("DiskId=d-1&Format={format}"),
                "--request-id",
                "A\u{FDD0}<&>",
            ],
            b"",
        );
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8(out.stdout).unwrap();
        let body = text.split("\r\n\r\n").nth(1).unwrap();
        if format == "XML" {
            assert_eq!(strict_request_id(body), "A\u{FDD0}<&>");
        }
    }
}

#[test]
fn a_byte_order_mark_is_skipped_in_a_file_on_standard_input_and_on_each_line() {
    let text = base().to_string();
    let out = common::cli::run(&["eval"], format!("\u{feff}{text}").as_bytes());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = format!("\u{feff}{text}\n\u{feff}{text}\n");
    let out = common::cli::run(&["eval", "--lines"], lines.as_bytes());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 2);
}

#[test]
fn an_input_over_the_size_limit_is_refused_without_being_read_whole() {
    let text = base().to_string();
    let limit = (text.len() - 1).to_string();
    // A file, by its size; standard input, once past the limit.
    let line = refused(&common::cli::run(
        &["eval", "--max-input-bytes", "10", EXAMPLE],
        b"",
    ));
    assert!(
        line.contains("over the limit of 10 bytes") && line.contains("--max-input-bytes"),
        "{line}"
    );
    let line = refused(&common::cli::run(
        &["eval", "--max-input-bytes", &limit],
        text.as_bytes(),
    ));
    assert!(line.contains(&format!("more than {limit} bytes")), "{line}");
    let line = refused(&common::cli::run(
        &["--max-input-bytes", &limit, "explain"],
        text.as_bytes(),
    ));
    assert!(line.contains("--max-input-bytes"), "{line}");
    // At the limit it is read.
    let exact = text.len().to_string();
    let out = common::cli::run(&["eval", "--max-input-bytes", &exact], text.as_bytes());
    assert_eq!(out.status.code(), Some(0));
    // --lines: a line over the limit gets its error line, the next is read.
    let out = common::cli::run(
        &["eval", "--lines", "--max-input-bytes", &exact],
        format!("{text}x\n{text}\n").as_bytes(),
    );
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].contains(&format!("line longer than {exact} bytes")),
        "{stdout}"
    );
    assert!(lines[1].starts_with("{\"Accepted\":true"), "{stdout}");
    // A huge stream is refused after limit + 1 bytes.
    let big = vec![b' '; 3 * 1024 * 1024];
    let line = refused(&common::cli::run(
        &["eval", "--max-input-bytes", "1024"],
        &big,
    ));
    assert!(line.contains("more than 1024 bytes"), "{line}");
}

/// Runs `reinit-disk ARGS` through `sh -c`, with standard output redirected
/// as `redirect` says (`>&-` closes it).
#[cfg(unix)]
fn with_stdout(args: &str, redirect: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("exec \"$0\" {args} {redirect}"))
        .arg(env!("CARGO_BIN_EXE_reinit-disk"))
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

#[cfg(unix)]
#[test]
fn a_decision_that_cannot_be_written_is_an_error_exit_1() {
    for args in [
        format!("eval {EXAMPLE}"),
        "eval --lines tests/regressions/byte-order-mark.json".to_owned(),
        format!("call {EXAMPLE} DiskId=d-1"),
        format!("explain {EXAMPLE}"),
        "table".to_owned(),
        "rules".to_owned(),
    ] {
        let out = with_stdout(&args, ">&-");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args}: {stderr}");
        assert!(
            stderr.contains("standard output is closed"),
            "{args}: {stderr}"
        );
        // Sent to /dev/null on purpose, it is written.
        let out = with_stdout(&args, ">/dev/null");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    // `diff` exits 1 when something changes, so an output it cannot write
    // is 2 (a closed standard output was 1, read as "changes"; issue 21).
    for args in [
        "diff --from seed --to 2025-02-27",
        "diff --from seed --to seed",
    ] {
        let out = with_stdout(args, ">&-");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args}: {stderr}");
        assert!(
            stderr.contains("standard output is closed"),
            "{args}: {stderr}"
        );
    }
    if std::path::Path::new("/dev/full").exists() {
        let out = with_stdout(&format!("eval {EXAMPLE}"), ">/dev/full");
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write the decision"));
    }
}

#[test]
fn a_field_named_like_a_path_sign_is_quoted_and_named() {
    for (text, path) in [
        (r#"{"?": 1}"#, "\"?\""),
        (r#"{"Disks": [{"a.b": 1}]}"#, "Disks[0].\"a.b\""),
        (r#"{"Request": {"x": 1}}"#, "Request.x"),
    ] {
        let e = Scenario::from_json(text).unwrap_err();
        assert_eq!(e.path, path, "{text}: {e}");
        assert!(!e.message.starts_with("not valid JSON"), "{text}: {e}");
    }
}

#[test]
fn the_accepted_values_are_the_fields_own_whatever_follows_it() {
    // The accepted values are learnt from a second reading, field by field:
    // a later field that is wrong too must not lend its own list.
    let e = Scenario::from_json(
        r#"{"Disks": [{"DiskId": "d", "Type": 1, "Category": "bogus", "Status": "bogus"}]}"#,
    )
    .unwrap_err();
    assert_eq!(e.path, "Disks[0].Type");
    assert!(
        e.message
            .starts_with("invalid type: integer `1`, expected `system` or `data`"),
        "{e}"
    );
    let e = Scenario::from_json(
        r#"{"Snapshots": [], "Policy": {"Order": [true], "Revision": "x", "ActiveOnNonPublicImage": "y"}, "Disks": 1}"#,
    )
    .unwrap_err();
    assert_eq!(e.path, "Policy.Order[0]");
    assert!(e.message.contains("`disk-exists`"), "{e}");
    // A second element after a bad first one, and a bad second after a good first.
    let e = Scenario::from_json(
        r#"{"Instances": [{"InstanceId": "i", "Status": "Running", "OperationLocks": ["security", null, "bogus"]}]}"#,
    )
    .unwrap_err();
    assert_eq!(e.path, "Instances[0].OperationLocks[1]");
    assert!(e.message.contains("expected one of `security`"), "{e}");
}

#[test]
fn request_must_be_an_object_of_names_and_each_name_is_named_plainly() {
    let e = Scenario::from_json(r#"{"Request": 1}"#).unwrap_err();
    assert_eq!(e.path, "Request");
    assert!(
        e.message
            .contains("expected an object of parameter names to string values"),
        "{e}"
    );
    let e = Scenario::from_json(r#"{"Request": {"Region_Id-2": "1", "Region_Id-2": "2"}}"#)
        .unwrap_err();
    assert_eq!(e.path, "Request.Region_Id-2");
}

/// A number too large for a float (`1e400`) is valid JSON that serde_json
/// cannot read: it is refused at its field, not called invalid JSON (found
/// by the `scenario` fuzz target in a 300 s run).
#[test]
fn a_number_too_large_to_read_names_its_field() {
    for (text, path) in [
        (r#"{"Request": {"DiskId": 1e400}}"#, "Request.DiskId"),
        (r#"{"Disks": [{"Type": 1e999}]}"#, "Disks[0].Type"),
        (r#"{"Policy": {"Order": [-8E888]}}"#, "Policy.Order[0]"),
    ] {
        let e = Scenario::from_json(text).unwrap_err();
        assert_eq!(e.path, path, "{text}: {e}");
        assert!(e.message.starts_with("number out of range"), "{text}: {e}");
    }
}
