//! Both client styles, for every outcome: the RPC style of older SDKs and
//! the seed page (`GET /?Action=ReInitDisk&...`, `Format` or XML), and the
//! current official SDKs (`POST /` with the parameters in the query and
//! `x-acs-action`, `accept: application/json` and an ACS3-HMAC-SHA256
//! `Authorization` header; and their v2 signature mode, which adds `Action`,
//! `Format=json`, `Version` and the signature fields to the query). Each
//! gets the exact status, content type and body.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk::Code;
use reinit_disk::revision::SEED;
use reinit_disk::scenario::Scenario;
use reinit_disk::wire::{
    ErrorBody, Format, HOST_ID, HttpRequest, Ids, encode_error, encode_success, respond,
};
use serde_json::{Value, json};

const REQUEST_ID: &str = "0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9";

fn base_world() -> Value {
    json!({
        "Disks": [
            {"DiskId": "d-sys", "Type": "system", "Category": "cloud_essd", "Status": "In_use",
             "InstanceId": "i-1", "ImageId": "m-1"},
            {"DiskId": "d-snap", "Type": "data", "Category": "cloud_auto", "Status": "In_use",
             "InstanceId": "i-1", "SourceSnapshotId": "s-1"},
            {"DiskId": "d-empty", "Type": "data", "Category": "cloud_ssd", "Status": "In_use",
             "InstanceId": "i-1"}
        ],
        "Instances": [{"InstanceId": "i-1", "Status": "Stopped", "HasStarted": true}],
        "Images": [{"ImageId": "m-1", "ImageOwnerAlias": "system"}],
        "Snapshots": [{"SnapshotId": "s-1", "CreationTime": "2014-01-01T00:00:00Z"}]
    })
}

/// One outcome: the request's parameters, how the world differs from the
/// base, and the code expected (`None`: accepted).
struct Case {
    name: &'static str,
    action: &'static str,
    disk_id: Option<&'static str>,
    strategy: Option<&'static str>,
    change: fn(&mut Value),
    expected: Option<Code>,
}

fn same(_: &mut Value) {}

fn cases() -> Vec<Case> {
    let case = |name, disk_id, change, expected| Case {
        name,
        action: "ReInitDisk",
        disk_id: Some(disk_id),
        strategy: None,
        change,
        expected,
    };
    vec![
        Case {
            strategy: Some("Active"),
            ..case("accepted, system disk", "d-sys", same, None)
        },
        case("accepted, data disk from a snapshot", "d-snap", same, None),
        case("accepted, data disk created empty", "d-empty", same, None),
        Case {
            action: "DescribeDisks",
            ..case(
                "another action",
                "d-sys",
                same,
                Some(Code::InvalidActionNotFound),
            )
        },
        Case {
            disk_id: None,
            ..case("no DiskId", "", same, Some(Code::MissingParameter))
        },
        Case {
            strategy: Some("active"),
            ..case(
                "a bad strategy",
                "d-sys",
                same,
                Some(Code::InvalidParameter),
            )
        },
        case(
            "no such disk",
            "d-404",
            same,
            Some(Code::InvalidDiskIdNotFound),
        ),
        case(
            "a local disk",
            "d-empty",
            |w| w["Disks"][2]["Category"] = json!("local_ssd_pro"),
            Some(Code::DiskCategoryOperationNotSupported),
        ),
        case(
            "a security lock",
            "d-sys",
            |w| w["Instances"][0]["OperationLocks"] = json!(["security"]),
            Some(Code::InstanceLockedForSecurity),
        ),
        case(
            "a financial lock",
            "d-sys",
            |w| w["Instances"][0]["OperationLocks"] = json!(["financial"]),
            Some(Code::InstanceExpiredOrInArrears),
        ),
        case(
            "a detaching disk",
            "d-sys",
            |w| w["Disks"][0]["Status"] = json!("Detaching"),
            Some(Code::IncorrectDiskStatus),
        ),
        case(
            "a running instance",
            "d-sys",
            |w| w["Instances"][0]["Status"] = json!("Running"),
            Some(Code::IncorrectInstanceStatus),
        ),
        case(
            "a snapshot in progress",
            "d-sys",
            |w| w["Disks"][0]["CreatingSnapshot"] = json!(true),
            Some(Code::DiskCreatingSnapshot),
        ),
        case(
            "a deleted source snapshot",
            "d-snap",
            |w| w["Snapshots"][0]["Deleted"] = json!(true),
            Some(Code::InvalidSourceSnapshot),
        ),
        case(
            "a deleted source snapshot, OperationDenied by policy",
            "d-snap",
            |w| {
                w["Snapshots"][0]["Deleted"] = json!(true);
                w["Policy"] = json!({"DeletedSnapshotCode": "OperationDenied"});
            },
            Some(Code::OperationDenied),
        ),
        case(
            "a snapshot of 15 July 2013",
            "d-snap",
            |w| w["Snapshots"][0]["CreationTime"] = json!("2013-07-15T10:00Z"),
            Some(Code::InvalidSnapshotTooOld),
        ),
        case(
            "a deleted shared image",
            "d-sys",
            |w| {
                w["Images"][0] =
                    json!({"ImageId": "m-1", "ImageOwnerAlias": "others", "Deleted": true})
            },
            Some(Code::SharedImageDeleted),
        ),
        case(
            "a deleted own image",
            "d-sys",
            |w| {
                w["Images"][0] =
                    json!({"ImageId": "m-1", "ImageOwnerAlias": "self", "Deleted": true})
            },
            Some(Code::InvalidDiskIdOperationNotSupported),
        ),
        case(
            "a deleted own image, InvalidImageId.NotFound by policy",
            "d-sys",
            |w| {
                w["Images"][0] =
                    json!({"ImageId": "m-1", "ImageOwnerAlias": "self", "Deleted": true});
                w["Policy"] = json!({"DeletedImageCode": "InvalidImageId.NotFound"});
            },
            Some(Code::InvalidImageIdNotFound),
        ),
        case(
            "an instance the world does not have",
            "d-sys",
            |w| w["Instances"] = json!([]),
            Some(Code::InternalError),
        ),
        Case {
            strategy: Some("Active"),
            ..case(
                "Active on a non-public image, refused by policy",
                "d-sys",
                |w| {
                    w["Images"][0]["ImageOwnerAlias"] = json!("self");
                    w["Policy"] = json!({"ActiveOnNonPublicImage": "Reject"});
                },
                Some(Code::InvalidParameter),
            )
        },
    ]
}

/// The case's world (not validated: a dangling instance is a case).
fn world(case: &Case) -> Scenario {
    let mut w = base_world();
    (case.change)(&mut w);
    // These cases are the seed revision's (the default is the newest).
    if w.get("Policy").is_none() {
        w["Policy"] = json!({});
    }
    w["Policy"]["Revision"] = json!("seed");
    serde_json::from_value(w).unwrap()
}

/// The business parameters, percent-encoded.
fn business(case: &Case) -> String {
    let mut q = String::new();
    if let Some(id) = case.disk_id {
        q.push_str(&format!("DiskId={id}"));
    }
    if let Some(s) = case.strategy {
        q.push_str(&format!("&SecurityEnhancementStrategy={s}"));
    }
    q.push_str("&RegionId=cn-hangzhou");
    q
}

const ACS3_HEADERS: [(&str, &str); 7] = [
    ("host", "ecs.cn-hangzhou.aliyuncs.com"),
    ("x-acs-version", "2014-05-26"),
    ("accept", "application/json"),
    ("x-acs-signature-nonce", "5f2b8c1e9a7d4e3f"),
    ("x-acs-date", "2024-05-01T08:00:00Z"),
    (
        "x-acs-content-sha256",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    ),
    (
        "Authorization",
        "ACS3-HMAC-SHA256 Credential=LTAI5tExample,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=0f6e5d4c3b2a19081726354453627180a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4",
    ),
];

/// A style: its name, the query, the headers, and the format it must get.
type Style = (
    &'static str,
    String,
    Vec<(&'static str, &'static str)>,
    Format,
);

/// The request as each style sends it, and the format it must get back.
fn styles(case: &Case) -> Vec<Style> {
    let common_rpc = "Version=2014-05-26&AccessKeyId=LTAI5tExample&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&Timestamp=2024-05-01T08%3A00%3A00Z&Signature=Pq%2B7r%2Fk%3D";
    let action = case.action;
    let b = business(case);
    let mut acs3 = ACS3_HEADERS.to_vec();
    acs3.insert(0, ("x-acs-action", action));
    let mut v2 = vec![("x-acs-action", action), ("accept", "application/json")];
    v2.push(("x-acs-version", "2014-05-26"));
    vec![
        (
            "RPC GET, no Format (XML)",
            format!("Action={action}&{b}&{common_rpc}"),
            vec![],
            Format::Xml,
        ),
        (
            "RPC GET, Format=JSON",
            format!("Format=JSON&Action={action}&{b}&{common_rpc}"),
            vec![],
            Format::Json,
        ),
        (
            "RPC GET, Format=XML, spaces as +",
            format!("Action={action}&{b}&Format=XML&Note=a+b%20c&{common_rpc}"),
            vec![],
            Format::Xml,
        ),
        ("SDK POST, ACS3-HMAC-SHA256", b.clone(), acs3, Format::Json),
        (
            "SDK POST, v2 signature mode",
            format!("Action={action}&Format=json&{b}&{common_rpc}"),
            v2,
            Format::Json,
        ),
    ]
}

#[test]
fn both_client_styles_get_the_exact_response_for_every_outcome() {
    let cases = cases();
    // Every code of the catalogue, and acceptance, is covered.
    for entry in SEED.catalogue.iter() {
        assert!(
            cases.iter().any(|c| c.expected == Some(entry.code)),
            "no case for {}",
            entry.code
        );
    }
    for case in &cases {
        let scenario = world(case);
        // The engine's own decision, for the same parameters.
        let mut with_request = scenario.clone();
        with_request
            .request
            .insert("Action".into(), case.action.into());
        if let Some(id) = case.disk_id {
            with_request.request.insert("DiskId".into(), id.into());
        }
        if let Some(s) = case.strategy {
            with_request
                .request
                .insert("SecurityEnhancementStrategy".into(), s.into());
        }
        let decision = with_request.decide();
        assert_eq!(decision.code, case.expected, "{}: the engine", case.name);

        for (style, query, headers, format) in styles(case) {
            let http = HttpRequest {
                query: &query,
                body: b"",
                headers: &headers,
            };
            let response =
                respond(&http, &scenario, &scenario.policy, &Ids::new(REQUEST_ID)).unwrap();
            let context = format!("{} / {style}", case.name);
            assert_eq!(response.format, format, "{context}");
            let (status, body) = match case.expected {
                None => (200, encode_success(format, REQUEST_ID).unwrap()),
                Some(code) => {
                    let entry = SEED.entry(code).unwrap();
                    let body = ErrorBody {
                        request_id: REQUEST_ID,
                        host_id: HOST_ID,
                        code: entry.code.as_str(),
                        message: entry.message,
                    };
                    (entry.http_status, encode_error(format, &body).unwrap())
                }
            };
            assert_eq!(response.status, status, "{context}");
            assert_eq!(response.status, decision.http_status, "{context}");
            assert_eq!(response.body, body, "{context}");
            assert_eq!(response.content_type(), format.content_type(), "{context}");
        }
    }
}

#[test]
fn a_form_body_carries_the_parameters_as_well_as_the_query() {
    let case = &cases()[0];
    let scenario = world(case);
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    let http = HttpRequest {
        query: "Action=ReInitDisk&Format=JSON",
        body: b"DiskId=d-sys&SecurityEnhancementStrategy=Active",
        headers: &headers,
    };
    let response = respond(&http, &scenario, &scenario.policy, &Ids::new(REQUEST_ID)).unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(
        response.body,
        r#"{"RequestId":"0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9"}"#
    );
}

/// A query, its headers, and the format the answer must be in.
type SdkStyle<'a> = (&'a str, &'a [(&'a str, &'a str)], Format);

/// The 2025-02-27 revision through the wire layer, in the current SDKs'
/// style (`POST`, `x-acs-action`, JSON) and the RPC style (XML): the new
/// parameters as SDKs send them, each answer exact, and the password in no
/// response.
#[test]
fn the_2025_revision_answers_its_new_parameters_in_both_styles() {
    let mut w = base_world();
    w["Policy"] = json!({"Revision": "2025-02-27"});
    w["KeyPairs"] = json!([{"KeyPairName": "kp-1"}]);
    let scenario: Scenario = serde_json::from_value(w).unwrap();
    let password = "Sup3r%2BSecret%21"; // Sup3r+Secret!
    let cases: &[(&str, u16, Option<&str>)] = &[
        (
            "DiskId=d-sys&Password=Sup3r%2BSecret%21&KeyPairName=kp-1&AutoStartInstance=true&RegionId=cn-hangzhou",
            200,
            None,
        ),
        (
            "DiskId=d-sys&AutoStartInstance=True&RegionId=cn-hangzhou",
            200,
            None,
        ),
        (
            "DiskId=d-sys&AutoStartInstance=yes",
            400,
            Some("The specified parameter \"AutoStartInstance\" is not valid."),
        ),
        (
            "DiskId=d-sys&Password=abc%2Bdef",
            400,
            Some("The specified parameter \"Password\" is not valid."),
        ),
        (
            "DiskId=d-sys&KeyPairName=kp-2",
            400,
            Some("The specified KeyPairName does not exist."),
        ),
        (
            "DiskId=d-sys&RegionId=CN_HANGZHOU",
            400,
            Some("The specified RegionId is not valid."),
        ),
    ];
    for (query, status, message) in cases {
        let sdk_headers = [
            ("x-acs-action", "ReInitDisk"),
            ("accept", "application/json"),
        ];
        let rpc_query = format!("Action=ReInitDisk&{query}");
        let styles: [SdkStyle<'_>; 2] = [
            (query, &sdk_headers, Format::Json),
            (&rpc_query, &[], Format::Xml),
        ];
        for (q, headers, format) in styles {
            let http = HttpRequest {
                query: q,
                body: b"",
                headers,
            };
            let response =
                respond(&http, &scenario, &scenario.policy, &Ids::new(REQUEST_ID)).unwrap();
            assert_eq!(response.status, *status, "{q}");
            assert_eq!(response.format, format, "{q}");
            if let Some(message) = message {
                let shown = message.replace(
                    '"',
                    if format == Format::Xml {
                        "&quot;"
                    } else {
                        "\\\""
                    },
                );
                assert!(
                    response.body.contains(&shown) || response.body.contains(message),
                    "{q}: {}",
                    response.body
                );
            }
            for secret in [password, "Sup3r+Secret!", "abc+def", "abc%2Bdef"] {
                assert!(
                    !response.body.contains(secret),
                    "{q}: the password is in {}",
                    response.body
                );
            }
        }
    }
}
