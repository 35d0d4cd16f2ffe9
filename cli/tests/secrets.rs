//! A password is a secret: no decision, explanation, error, response or
//! `Debug` output shows it, whatever the revision, whether it is well formed
//! or not, and whatever is wrong around it.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use reinit_disk::Request;
use reinit_disk::scenario::Scenario;
use reinit_disk::wire::{HttpRequest, Params};
use serde_json::json;

/// Passwords, well formed and not, each distinctive enough to find.
const SECRETS: [&str; 4] = [
    "Zq9!xK2#vB7m",
    "zq9xk2vb",
    "/Zq9!xK2#vB7m",
    "Zq9 xK2 vB7m ünïcode",
];

fn scenario(revision: &str, password: &serde_json::Value, disk_type: &str) -> String {
    let image = if disk_type == "system" {
        json!("m-1")
    } else {
        json!(null)
    };
    let mut disk = json!({"DiskId": "d-1", "Type": disk_type, "Category": "cloud_essd",
        "Status": "In_use", "InstanceId": "i-1"});
    if disk_type == "system" {
        disk["ImageId"] = image;
    }
    json!({
        "Request": {"Action": "ReInitDisk", "DiskId": "d-1", "Password": password},
        "Disks": [disk],
        "Instances": [{"InstanceId": "i-1", "Status": "Stopped", "OSType": "windows"}],
        "Images": [{"ImageId": "m-1", "ImageOwnerAlias": "system"}],
        "Policy": {"Revision": revision}
    })
    .to_string()
}

fn assert_hidden(secret: &str, text: &str, context: &str) {
    assert!(
        !text.contains(secret),
        "{context}: the password {secret:?} is shown in {text:?}"
    );
}

#[test]
fn no_command_shows_the_password() {
    let mut runs = 0;
    for revision in ["seed", "2025-02-27"] {
        for disk_type in ["system", "data"] {
            for secret in SECRETS {
                let doc = scenario(revision, &json!(secret), disk_type);
                let line = doc.clone() + "\n";
                let outputs = [
                    common::cli::run(&["eval", "-"], doc.as_bytes()),
                    common::cli::run(&["explain", "-"], doc.as_bytes()),
                    common::cli::run(&["eval", "--lines", "-"], line.as_bytes()),
                ];
                for out in outputs {
                    let shown = format!(
                        "{}{}",
                        String::from_utf8_lossy(&out.stdout),
                        String::from_utf8_lossy(&out.stderr)
                    );
                    assert_hidden(secret, &shown, &format!("{revision} {disk_type}"));
                    runs += 1;
                }
            }
        }
    }
    assert_eq!(runs, 2 * 2 * SECRETS.len() * 3);
}

#[test]
fn the_explanation_says_a_password_was_given_without_showing_it() {
    let doc = scenario("2025-02-27", &json!(SECRETS[2]), "system");
    let out = common::cli::run(&["explain", "-"], doc.as_bytes());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Password=(given, not shown)"), "{text}");
    assert!(text.contains("Password given (not shown)"), "{text}");
    // The Windows rule still decides on it.
    assert!(text.contains("windows-password-value"), "{text}");
    assert!(text.contains("InvalidPassword.Malformed"), "{text}");
}

#[test]
fn a_password_of_the_wrong_type_is_refused_without_showing_it() {
    for value in [
        json!(987_654_321),
        json!(true),
        json!(["Zq9!xK2#vB7m"]),
        json!({"a": "Zq9!xK2#vB7m"}),
    ] {
        let doc = scenario("2025-02-27", &value, "system");
        let out = common::cli::run(&["eval", "-"], doc.as_bytes());
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("Request.Password"), "{stderr}");
        assert!(stderr.contains("is a secret and is not shown"), "{stderr}");
        assert_hidden("987654321", &stderr, "a number");
        assert_hidden("Zq9!xK2#vB7m", &stderr, "a list or map");
    }
}

#[test]
fn a_response_on_the_wire_never_carries_the_password() {
    for revision in ["seed", "2025-02-27"] {
        let doc = scenario(revision, &json!("unused"), "system");
        for query in [
            "Action=ReInitDisk&DiskId=d-1&Password=Zq9%21xK2%23vB7m&Format=JSON",
            "Action=ReInitDisk&DiskId=d-1&Password=%2FZq9%21xK2%23vB7m",
            "Action=ReInitDisk&DiskId=d-1&Password=zq9xk2vb",
            "Action=ReInitDisk&DiskId=d-1&Password=a&Password=Zq9%21xK2%23vB7m",
        ] {
            let out = common::cli::run(
                &[
                    "call",
                    "-",
                    query,
                    "--request-id",
                    "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E",
                ],
                doc.as_bytes(),
            );
            let shown = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            for secret in ["Zq9!xK2#vB7m", "Zq9%21xK2%23vB7m", "zq9xk2vb"] {
                assert_hidden(secret, &shown, query);
            }
        }
    }
}

#[test]
fn debug_output_never_shows_the_password() {
    let request = Request {
        password: Some("Zq9!xK2#vB7m"),
        ..Request::new("d-1")
    };
    let debug = format!("{request:?}");
    assert_hidden("Zq9!xK2#vB7m", &debug, "Request");
    assert!(debug.contains("<redacted>"), "{debug}");
    // Without a password, nothing to redact.
    assert!(format!("{:?}", Request::new("d-1")).contains("password: None"));

    let doc = scenario("2025-02-27", &json!("Zq9!xK2#vB7m"), "system");
    let parsed = Scenario::from_json(&doc).unwrap();
    assert_hidden("Zq9!xK2#vB7m", &format!("{parsed:?}"), "Scenario");
    assert_hidden(
        "Zq9!xK2#vB7m",
        &format!("{:?}", parsed.request()),
        "Scenario::request",
    );

    let http = HttpRequest {
        query: "Action=ReInitDisk&DiskId=d-1&Password=Zq9%21xK2%23vB7m",
        body: b"Password=zq9xk2vb",
        headers: &[],
    };
    let debug = format!("{http:?}");
    assert_hidden("Zq9%21xK2%23vB7m", &debug, "HttpRequest");
    assert_hidden("zq9xk2vb", &debug, "HttpRequest body");
    assert!(debug.contains("Password=…"), "{debug}");
    let params = Params::decode(&http);
    let debug = format!("{params:?}");
    assert_hidden("Zq9!xK2#vB7m", &debug, "Params");
    assert_hidden("zq9xk2vb", &debug, "Params body");
    // The other values are still shown, for debugging.
    assert!(debug.contains("d-1"), "{debug}");
}
