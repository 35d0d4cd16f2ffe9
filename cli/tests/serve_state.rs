//! State that survives (issue 21, item 5): `/_reinit-disk/state` holds the
//! changes under way and loading it resumes them; a world loaded in a
//! transitional status settles. Every server binds
//! 127.0.0.1 with a free port; every read has a timeout; every loop is
//! bounded.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use std::path::{Path, PathBuf};

use common::http::Server;
use serde_json::{Value, json};

const WORLD: &str = "examples/serve-world.json";

fn status_of(state: &Value, list: &str, field: &str, id: &str) -> String {
    state[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[field] == id)
        .unwrap_or_else(|| panic!("{id} in {state}"))["Status"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn state(server: &Server) -> Value {
    let reply = server.request("GET", "/_reinit-disk/state", &[], b"");
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()
}

fn disk(server: &Server, id: &str) -> String {
    status_of(&state(server), "Disks", "DiskId", id)
}

fn instance(server: &Server, id: &str) -> String {
    status_of(&state(server), "Instances", "InstanceId", id)
}

fn ok(server: &Server, query: &str) {
    let reply = server.get(query);
    assert_eq!(reply.status, 200, "{query}: {}", reply.body);
}

fn put_world(server: &Server, document: &Value) -> common::http::Reply {
    server.request(
        "PUT",
        "/_reinit-disk/world",
        &[("content-type", "application/json")],
        document.to_string().as_bytes(),
    )
}

/// A fresh directory under the target directory, for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("serve_state-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn state_holds_the_changes_under_way_and_a_fresh_server_resumes_them() {
    let server = Server::start(&["--world", WORLD, "--reinit-seconds", "3"]);
    ok(
        &server,
        "Action=ReInitDisk&DiskId=d-sys-2&AutoStartInstance=true&Format=JSON",
    );
    ok(&server, "Action=StopInstance&InstanceId=i-1&Format=JSON");
    server.advance(1.0);
    let saved = state(&server);
    assert_eq!(
        saved["Changes"],
        json!([
            {"InMillis": 1000, "Change": {"Instance": {"InstanceId": "i-1", "Expects": "Stopping", "Then": "Stopped"}}},
            {"InMillis": 2000, "Change": {"Disk": {"DiskId": "d-sys-2", "Expects": "ReIniting", "Then": "In_use"}}},
            {"InMillis": 2000, "Change": {"AutoStart": {"InstanceId": "i-2"}}},
        ]),
        "{saved}"
    );

    // PUT into a fresh server (its clock elsewhere): the changes resume
    // from the time left.
    let fresh = Server::start(&["--world", WORLD, "--reinit-seconds", "3"]);
    fresh.advance(50.0);
    assert_eq!(put_world(&fresh, &saved).status, 200);
    assert_eq!(disk(&fresh, "d-sys-2"), "ReIniting");
    assert_eq!(instance(&fresh, "i-1"), "Stopping");
    fresh.advance(0.999);
    assert_eq!(instance(&fresh, "i-1"), "Stopping");
    fresh.advance(0.001);
    assert_eq!(instance(&fresh, "i-1"), "Stopped");
    fresh.advance(0.999);
    assert_eq!(disk(&fresh, "d-sys-2"), "ReIniting");
    assert_eq!(instance(&fresh, "i-2"), "Stopped");
    fresh.advance(0.001);
    assert_eq!(disk(&fresh, "d-sys-2"), "In_use");
    assert_eq!(
        instance(&fresh, "i-2"),
        "Starting",
        "the auto-start resumed"
    );
    fresh.advance(2.0);
    assert_eq!(instance(&fresh, "i-2"), "Running");

    // The same document as --world.
    let dir = scratch("round-trip");
    let file = dir.join("saved.json");
    std::fs::write(&file, saved.to_string()).unwrap();
    let loaded = Server::start(&["--world", file.to_str().unwrap(), "--reinit-seconds", "3"]);
    assert_eq!(disk(&loaded, "d-sys-2"), "ReIniting");
    loaded.advance(2.0);
    assert_eq!(disk(&loaded, "d-sys-2"), "In_use");
    assert_eq!(instance(&loaded, "i-2"), "Starting");
    assert_eq!(instance(&loaded, "i-1"), "Stopped");
}

#[test]
fn state_shows_patched_records_of_every_kind() {
    let server = Server::start(&["--world", WORLD]);
    let patched = server.request(
        "PATCH",
        "/_reinit-disk/images/m-ubuntu",
        &[("content-type", "application/json")],
        br#"{"Deleted": true}"#,
    );
    assert_eq!(patched.status, 200, "{}", patched.body);
    let patched = server.request(
        "PATCH",
        "/_reinit-disk/key-pairs/kp-1",
        &[("content-type", "application/json")],
        br#"{"KeyPairName": "kp-1"}"#,
    );
    assert_eq!(patched.status, 200, "{}", patched.body);
    let saved = state(&server);
    assert_eq!(saved["Images"][0]["Deleted"], true, "{saved}");
    assert_eq!(saved["KeyPairs"][0]["KeyPairName"], "kp-1", "{saved}");
}

#[test]
fn a_world_loaded_in_transitional_statuses_settles_after_the_configured_times() {
    let world = json!({
        "Disks": [
            {"DiskId": "d-1", "Type": "data", "Category": "cloud_essd", "Status": "ReIniting", "InstanceId": "i-1"},
            {"DiskId": "d-2", "Type": "data", "Category": "cloud_essd", "Status": "ReIniting", "InstanceId": "i-2"}
        ],
        "Instances": [
            {"InstanceId": "i-1", "Status": "Stopping"},
            {"InstanceId": "i-2", "Status": "Starting"},
            {"InstanceId": "i-3", "Status": "Pending", "HasStarted": false}
        ],
        // d-2 has its change under way: it keeps its own time.
        "Changes": [
            {"InMillis": 500, "Change": {"Disk": {"DiskId": "d-2", "Expects": "ReIniting", "Then": "In_use"}}}
        ]
    });
    let args = [
        "--reinit-seconds",
        "3",
        "--stop-seconds",
        "1",
        "--start-seconds",
        "2",
    ];
    let check = |server: &Server| {
        assert_eq!(instance(server, "i-1"), "Stopping");
        assert_eq!(disk(server, "d-2"), "ReIniting");
        server.advance(0.5);
        assert_eq!(disk(server, "d-2"), "In_use");
        server.advance(0.5);
        assert_eq!(instance(server, "i-1"), "Stopped");
        assert_eq!(instance(server, "i-2"), "Starting");
        server.advance(1.0);
        assert_eq!(instance(server, "i-2"), "Running");
        assert_eq!(instance(server, "i-3"), "Stopped");
        assert_eq!(disk(server, "d-1"), "ReIniting");
        server.advance(1.0);
        assert_eq!(disk(server, "d-1"), "In_use");
        // Settled: the actions those statuses refused now run.
        ok(server, "Action=StartInstance&InstanceId=i-1&Format=JSON");
        ok(server, "Action=StartInstance&InstanceId=i-3&Format=JSON");
    };
    // As --world.
    let dir = scratch("transitional");
    let file = dir.join("world.json");
    std::fs::write(&file, world.to_string()).unwrap();
    let mut args_world = vec!["--world", file.to_str().unwrap()];
    args_world.extend(args);
    check(&Server::start(&args_world));
    // As PUT.
    let server = Server::start(&args);
    server.advance(7.0);
    assert_eq!(put_world(&server, &world).status, 200);
    check(&server);
}

#[test]
fn a_change_under_way_must_name_a_record_and_eval_decides_without_them() {
    let server = Server::start(&[]);
    let refused = put_world(
        &server,
        &json!({"Changes": [{"InMillis": 1, "Change": {"Disk": {"DiskId": "d-9", "Expects": "ReIniting", "Then": "In_use"}}}]}),
    );
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert_eq!(refused.json()["Path"], "Changes[0].Change.Disk.DiskId");
    let unknown = put_world(
        &server,
        &json!({"Changes": [{"InMillis": 1, "Soon": true, "Change": {"AutoStart": {"InstanceId": "i-1"}}}]}),
    );
    assert_eq!(unknown.status, 400, "{}", unknown.body);
    assert_eq!(
        unknown.json()["Path"],
        "Changes[0].Soon",
        "{}",
        unknown.body
    );

    // eval reads a saved state and decides on the world as it is now.
    let document = json!({
        "Request": {"DiskId": "d-1"},
        "Disks": [{"DiskId": "d-1", "Type": "data", "Category": "cloud_essd", "Status": "ReIniting", "InstanceId": "i-1"}],
        "Instances": [{"InstanceId": "i-1", "Status": "Stopped"}],
        "Changes": [{"InMillis": 5, "Change": {"Disk": {"DiskId": "d-1", "Expects": "ReIniting", "Then": "In_use"}}}]
    });
    let out = common::cli::run(&["eval", "-"], document.to_string().as_bytes());
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let decision: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(decision["Code"], "IncorrectDiskStatus");
}
