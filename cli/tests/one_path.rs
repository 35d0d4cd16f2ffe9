//! One path from request to response: the library's `wire::exchange`, the
//! read-only `wire::respond`, `reinit-disk call` and `reinit-disk serve`'s
//! store answer every shipped scenario's request with the same bytes, in
//! JSON and in XML (python/tests/test_wire.py's
//! `test_respond_is_the_cli_call` holds the Python package's `respond`, which
//! calls `wire::exchange`, to `reinit-disk call` on every scenario too).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use std::path::PathBuf;
use std::time::Duration;

use reinit_disk::model::DiskStatus;
use reinit_disk::scenario::Scenario;
use reinit_disk::wire::{HttpRequest, Ids, exchange, respond};
use reinit_disk_cli::serve::{Store, Timings, handle};

const REQUEST_ID: &str = "0F1E2D3C-4B5A-4978-8695-A4B3C2D1E0F9";

/// Every shipped scenario file, by revision directory.
fn scenarios() -> Vec<PathBuf> {
    let root = reinit_disk_testkit::workspace_root().join("tests/scenarios");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(root).unwrap() {
        for file in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let name = path.to_string_lossy().into_owned();
            if name.ends_with(".json") && !name.ends_with(".expected.json") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() > 100, "{} scenarios", files.len());
    files
}

/// Percent-encodes every byte but the unreserved ones.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The scenario's own request as a query string, in `format`.
fn query(scenario: &Scenario, format: &str) -> String {
    let mut query: Vec<String> = scenario
        .request
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    query.push(format!("Format={format}"));
    if !scenario.request.contains_key("Action") {
        query.push("Action=ReInitDisk".to_owned());
    }
    query.join("&")
}

#[test]
fn the_library_the_cli_and_the_server_answer_every_scenario_alike() {
    let ids = Ids::new(REQUEST_ID);
    let mut compared = 0;
    for path in scenarios() {
        let text = std::fs::read_to_string(&path).unwrap();
        let scenario = Scenario::from_json(&text).unwrap();
        for format in ["JSON", "XML"] {
            let query = query(&scenario, format);
            let http = HttpRequest {
                query: &query,
                ..HttpRequest::default()
            };
            let context = format!("{} ({format})", path.display());

            // The library, read-only and changing its world.
            let read_only = respond(&http, &scenario, &scenario.policy, &ids);
            let mut world = scenario.to_world().unwrap();
            let before = world.clone();
            let changed = exchange(&http, &mut world, &scenario.policy, &ids);
            let (Ok(read_only), Ok(changed)) = (read_only, changed) else {
                // An id XML cannot carry: every way refuses; the CLI too.
                continue;
            };
            assert_eq!(
                read_only, changed.response,
                "{context}: respond vs exchange"
            );
            // The world changed exactly when the request was accepted: its
            // disk is then ReIniting.
            let accepted = matches!(changed.outcome, Some(Ok(_)));
            assert_eq!(
                world != before,
                accepted,
                "{context}: the world changed iff accepted"
            );
            if accepted {
                let disk_id = scenario.request.get("DiskId").map(String::as_str);
                let disk = disk_id.and_then(|id| world.disk_record(id)).unwrap();
                assert_eq!(disk.status, DiskStatus::ReIniting, "{context}");
            }

            // The command.
            let out = common::cli::run(
                &[
                    "call",
                    &path.to_string_lossy(),
                    &query,
                    "--request-id",
                    REQUEST_ID,
                ],
                b"",
            );
            assert_eq!(out.status.code(), Some(0), "{context}: call");
            assert_eq!(
                String::from_utf8(out.stdout).unwrap(),
                read_only.to_http(),
                "{context}: reinit-disk call"
            );

            // The server's store (what `reinit-disk serve` answers), for the
            // requests that name ReInitDisk (the server answers other
            // actions as those actions).
            if scenario
                .request
                .get("Action")
                .is_some_and(|a| a != "ReInitDisk")
            {
                continue;
            }
            let store = Store::new(scenario.clone(), Timings::default()).unwrap();
            let (served, _) = handle(&store, None, &http, Duration::ZERO, &ids);
            assert_eq!(served, read_only, "{context}: serve");
            compared += 1;
        }
    }
    assert!(compared > 200, "{compared} exchanges compared");
}
