//! `reinit-disk call`: the HTTP response as a client receives it, byte for
//! byte (snapshots under tests/snapshots/, CRLF line ends; run with
//! `UPDATE_SNAPSHOTS=1` to rewrite them after a deliberate change), and
//! clear refusals of bad input.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use reinit_disk_testkit::snapshot::snapshot;
use std::process::Output;

const EXAMPLE: &str = "examples/accepted-system-disk.json";
const DETACHING: &str = "tests/snapshots/explain-detaching.json";
const ID: &str = "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E";

fn run(args: &[&str]) -> Output {
    common::cli::run(args, b"")
}

fn call(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty());
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn an_accepted_request_prints_200_and_the_request_id() {
    let json = call(&[
        "call",
        EXAMPLE,
        "Action=ReInitDisk&DiskId=d-1&Format=JSON",
        "--request-id",
        ID,
    ]);
    assert_eq!(
        json,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json;charset=utf-8\r\n\r\n{\"RequestId\":\"473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E\"}"
    );
    snapshot("call-accepted.json.http", &json);
    let xml = call(&[
        "call",
        EXAMPLE,
        "Action=ReInitDisk&DiskId=d-1",
        "--request-id",
        ID,
    ]);
    assert!(
        xml.starts_with("HTTP/1.1 200 OK\r\nContent-Type: text/xml;charset=utf-8\r\n\r\n<?xml")
    );
    snapshot("call-accepted.xml.http", &xml);
}

#[test]
fn a_rejected_request_prints_the_catalogue_status_code_and_message() {
    let xml = call(&[
        "call",
        DETACHING,
        "Action=ReInitDisk&DiskId=d-1",
        "--request-id",
        ID,
    ]);
    assert!(
        xml.starts_with("HTTP/1.1 403 Forbidden\r\nContent-Type: text/xml;charset=utf-8\r\n\r\n")
    );
    assert!(xml.contains("<Code>IncorrectDiskStatus</Code><Message>The current disk status does not support this operation.</Message>"));
    snapshot("call-rejected.xml.http", &xml);
    // The current SDKs: action in a header, JSON asked for with Accept.
    let json = call(&[
        "call",
        DETACHING,
        "DiskId=d-1&RegionId=cn-hangzhou",
        "-H",
        "x-acs-action: ReInitDisk",
        "--header",
        "Accept: application/json",
        "--request-id",
        ID,
    ]);
    assert!(json.starts_with(
        "HTTP/1.1 403 Forbidden\r\nContent-Type: application/json;charset=utf-8\r\n\r\n{"
    ));
    snapshot("call-rejected.json.http", &json);
    let missing = call(&[
        "call",
        EXAMPLE,
        "Action=ReInitDisk&Format=json",
        "--request-id",
        ID,
    ]);
    assert!(missing.starts_with("HTTP/1.1 400 Bad Request\r\n"));
    snapshot("call-missing-parameter.json.http", &missing);
}

#[test]
fn a_malformed_request_gets_invalid_parameter_naming_it() {
    let out = call(&[
        "call",
        EXAMPLE,
        "Action=ReInitDisk&DiskId=d%ZZ&Format=JSON",
        "--request-id",
        ID,
    ]);
    assert!(out.starts_with("HTTP/1.1 400 Bad Request\r\n"));
    assert!(out.contains(
        r#""Code":"InvalidParameter","Message":"The specified parameter \"DiskId\" is not valid.""#
    ));
    snapshot("call-malformed.json.http", &out);
}

#[test]
fn the_scenarios_own_request_is_ignored_and_a_url_or_body_is_fine() {
    // The example's Request asks for d-1 with Active; the query asks for d-2.
    let out = call(&[
        "call",
        EXAMPLE,
        "https://ecs.aliyuncs.com/?Action=ReInitDisk&Format=JSON",
        "--body",
        "DiskId=d-2",
        "--request-id",
        ID,
    ]);
    assert!(out.starts_with("HTTP/1.1 200 OK\r\n"), "{out}");
    let none = call(&["call", EXAMPLE, "Format=JSON", "--request-id", ID]);
    assert!(none.contains("MissingParameter"), "{none}");
}

#[test]
fn without_request_id_a_fresh_uppercase_uuid_is_used() {
    let out = call(&["call", EXAMPLE, "Action=ReInitDisk&DiskId=d-1&Format=JSON"]);
    let body = out.split("\r\n\r\n").nth(1).unwrap();
    let value: serde_json::Value = serde_json::from_str(body).unwrap();
    let id = value["RequestId"].as_str().unwrap();
    assert_eq!(id.len(), 36);
    assert_eq!(id, id.to_uppercase());
    assert_eq!(id.matches('-').count(), 4);
}

fn refused(args: &[&str], expected: &[&str]) {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    for part in expected {
        assert!(stderr.contains(part), "{stderr} should contain {part}");
    }
}

#[test]
fn bad_input_exits_2_with_one_line_naming_the_culprit() {
    refused(
        &["call", EXAMPLE, "DiskId=d-1", "--header", "no colon"],
        &["reinit-disk: invalid --header \"no colon\"", "Name: value"],
    );
    refused(
        &["call", EXAMPLE, "DiskId=d-1", "--request-id", ""],
        &[
            "invalid --request-id",
            "F3CD6886-D8D0-4FEE-B93E-1B73239673DE",
        ],
    );
    refused(
        &["call", "no/such/file.json", "DiskId=d-1"],
        &["reinit-disk: cannot read no/such/file.json"],
    );
    refused(
        &["call", "tests/snapshots/batch.jsonl", "DiskId=d-1"],
        &["reinit-disk: invalid scenario tests/snapshots/batch.jsonl"],
    );
}

#[test]
fn call_accepts_a_body_alone_without_a_query() {
    let body_only = call(&[
        "call",
        EXAMPLE,
        "--body",
        "Action=ReInitDisk&DiskId=d-1&Format=JSON",
        "--request-id",
        ID,
    ]);
    let with_query = call(&[
        "call",
        EXAMPLE,
        "Action=ReInitDisk&DiskId=d-1&Format=JSON",
        "--request-id",
        ID,
    ]);
    assert!(body_only.starts_with("HTTP/1.1 200 OK\r\n"), "{body_only}");
    assert_eq!(body_only, with_query);
    // The body's DiskId decides: d-9 is not in the world.
    let missing = call(&[
        "call",
        EXAMPLE,
        "--body",
        "Action=ReInitDisk&DiskId=d-9&Format=JSON",
        "--request-id",
        ID,
    ]);
    assert!(missing.contains("InvalidDiskId.NotFound"), "{missing}");
    // The world from standard input, the request from the body.
    let out = common::cli::run(
        &[
            "call",
            "-",
            "--body",
            "Action=ReInitDisk&DiskId=d-1&Format=JSON",
            "--request-id",
            ID,
        ],
        b"{}",
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("HTTP/1.1 404 Not Found\r\n")
    );
}
