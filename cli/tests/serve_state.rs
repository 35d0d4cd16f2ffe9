//! State that survives (issue 21, item 5): `/_reinit-disk/state` holds the
//! changes under way and loading it resumes them; a world loaded in a
//! transitional status settles; `serve --state FILE` keeps the world
//! across a restart, and across `kill -9` in the middle of a load run
//! keeps every change whose response was sent. Every server binds
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

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

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

/// Waits (at most 20 s) for the server to exit; its status.
fn exit_status(server: &mut Server) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(20));
    }
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

#[test]
fn serve_state_keeps_the_world_and_its_changes_across_a_restart() {
    let dir = scratch("restart");
    let file = dir.join("state.json");
    let path = file.to_str().unwrap();
    let args = ["--world", WORLD, "--state", path];
    let mut server = Server::start(&args);
    // Saved at start, before any change.
    let at_start: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        status_of(&at_start, "Instances", "InstanceId", "i-1"),
        "Running"
    );
    ok(
        &server,
        "Action=StopInstance&InstanceId=i-1&StoppedMode=StopCharging&Format=JSON",
    );
    ok(&server, "Action=ReInitDisk&DiskId=d-sys-2&Format=JSON");
    let patched = server.request(
        "PATCH",
        "/_reinit-disk/snapshots/s-1",
        &[("content-type", "application/json")],
        br#"{"Deleted": true}"#,
    );
    assert_eq!(patched.status, 200, "{}", patched.body);
    // No change after this: the time left is saved on shutdown.
    server.advance(1.5);
    server.terminate();
    assert_eq!(exit_status(&mut server).code(), Some(0), "{}", server.log());
    // Reaped: its drop must not signal a pid that may be reused.
    std::mem::forget(server);

    let restarted = Server::start(&args);
    let now = state(&restarted);
    assert_eq!(
        status_of(&now, "Instances", "InstanceId", "i-1"),
        "Stopping"
    );
    assert_eq!(now["Instances"][0]["StoppedMode"], "StopCharging");
    assert_eq!(status_of(&now, "Disks", "DiskId", "d-sys-2"), "ReIniting");
    assert_eq!(now["Snapshots"][0]["Deleted"], true);
    restarted.advance(0.499);
    assert_eq!(instance(&restarted, "i-1"), "Stopping");
    restarted.advance(0.001);
    assert_eq!(instance(&restarted, "i-1"), "Stopped");
    assert_eq!(disk(&restarted, "d-sys-2"), "In_use");
    // A reset goes back to the --world, not to the saved state, and is
    // saved too.
    let reset = restarted.request("POST", "/_reinit-disk/reset", &[], b"");
    assert_eq!(reset.status, 200, "{}", reset.body);
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        status_of(&saved, "Instances", "InstanceId", "i-1"),
        "Running"
    );
    assert_ne!(saved["Snapshots"][0]["Deleted"], true, "{saved}");
}

/// `reinit-disk serve --addr 127.0.0.1:0 --state FILE`, expected to stop
/// at once: its output, or a failed test (the server killed) if it is
/// still running after 20 s.
fn serve_refusing(state: &Path) -> std::process::Output {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_reinit-disk"))
        .args(["serve", "--addr", "127.0.0.1:0", "--state"])
        .arg(state)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            let out = child.wait_with_output().unwrap();
            panic!(
                "the server started with --state {}: {out:?}",
                state.display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn a_state_file_that_cannot_be_used_stops_the_server_naming_it() {
    let dir = scratch("corrupt");
    let file = dir.join("state.json");
    std::fs::write(&file, "{\"Disks\": [}").unwrap();
    let out = serve_refusing(&file);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(stderr.contains(file.to_str().unwrap()), "{stderr}");
    assert!(stderr.contains("not valid JSON"), "{stderr}");
    assert!(out.stdout.is_empty(), "never started: {out:?}");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "{\"Disks\": [}",
        "the file is left as it was"
    );

    // A directory where the file should be: named, exit 2.
    let out = serve_refusing(&dir);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(stderr.contains(dir.to_str().unwrap()), "{stderr}");

    // A file that cannot be written: named at start, exit 2.
    let missing = dir.join("no-such-directory").join("state.json");
    let out = serve_refusing(&missing);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8(out.stderr.clone()).unwrap();
    assert!(stderr.contains(missing.to_str().unwrap()), "{stderr}");
}

#[test]
fn a_change_that_cannot_be_saved_is_answered_internal_error_not_a_crash() {
    let dir = scratch("unwritable");
    let file = dir.join("state.json");
    let server = Server::start(&["--world", WORLD, "--state", file.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    let failed = server.get("Action=StopInstance&InstanceId=i-1&Format=JSON");
    assert_eq!(failed.status, 500, "{}", failed.body);
    assert_eq!(failed.json()["Code"], "InternalError");
    // A read changes nothing and is answered.
    let read = server.get("Action=DescribeDisks&Format=JSON");
    assert_eq!(read.status, 200, "{}", read.body);
    // The directory back: the next change is saved, with the earlier one.
    std::fs::create_dir_all(&dir).unwrap();
    ok(&server, "Action=StartInstance&InstanceId=i-2&Format=JSON");
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        status_of(&saved, "Instances", "InstanceId", "i-1"),
        "Stopping"
    );
    assert_eq!(
        status_of(&saved, "Instances", "InstanceId", "i-2"),
        "Starting"
    );
    let log = server.log();
    assert!(log.contains("the state could not be saved"), "{log}");
    assert!(log.contains(file.to_str().unwrap()), "{log}");
}

/// A keep-alive connection that reports errors instead of panicking (the
/// server is killed under it).
struct Conn {
    stream: TcpStream,
    reader: BufReader<TcpStream>,
}

impl Conn {
    fn open(addr: &str) -> std::io::Result<Self> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(20)))?;
        stream.set_write_timeout(Some(Duration::from_secs(20)))?;
        Ok(Self {
            reader: BufReader::new(stream.try_clone()?),
            stream,
        })
    }

    /// `GET /?QUERY`: the status and body, or the I/O error.
    fn get(&mut self, query: &str) -> std::io::Result<(u16, String)> {
        // One write: a request in pieces waits on Nagle and delayed ACKs.
        let request =
            format!("GET /?{query} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n");
        self.stream.write_all(request.as_bytes())?;
        let mut line = String::new();
        if self.reader.read_line(&mut line)? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let status = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or(std::io::ErrorKind::InvalidData)?;
        let mut length = 0;
        loop {
            line.clear();
            if self.reader.read_line(&mut line)? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value
                        .trim()
                        .parse()
                        .map_err(|_| std::io::ErrorKind::InvalidData)?;
                }
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body)?;
        Ok((status, String::from_utf8_lossy(&body).into_owned()))
    }
}

/// An instance and its disk as the load run sees them once every change
/// has settled: the instance's status and its `StoppedMode`.
type Seen = (String, Option<String>);

/// The load run's operations on one instance and its disk: cycle `c` stops
/// it with `StoppedMode` alternating (so that two stops leave different
/// marks), then re-initializes its disk: with `AutoStartInstance` in even
/// cycles (the instance ends `Running`), without in odd ones, then starts
/// it. Operation `k`'s query, and the state once it has settled.
fn operation(instance: usize, k: usize) -> (String, Seen) {
    let (mut cycle, mut step) = (0, k);
    loop {
        let length = if cycle % 2 == 0 { 2 } else { 3 };
        if step < length {
            break;
        }
        step -= length;
        cycle += 1;
    }
    let mode = if cycle % 2 == 0 {
        "KeepCharging"
    } else {
        "StopCharging"
    };
    let seen = |status: &str| (status.to_owned(), Some(mode.to_owned()));
    match (cycle % 2, step) {
        (_, 0) => (
            format!("Action=StopInstance&InstanceId=i-{instance}&StoppedMode={mode}&Format=JSON"),
            seen("Stopped"),
        ),
        (0, _) => (
            format!("Action=ReInitDisk&DiskId=d-{instance}&AutoStartInstance=true&Format=JSON"),
            seen("Running"),
        ),
        (_, 1) => (
            format!("Action=ReInitDisk&DiskId=d-{instance}&Format=JSON"),
            seen("Stopped"),
        ),
        _ => (
            format!("Action=StartInstance&InstanceId=i-{instance}&Format=JSON"),
            seen("Running"),
        ),
    }
}

/// The state once the first `done` operations have settled.
fn after(instance: usize, done: usize) -> Seen {
    match done.checked_sub(1) {
        None => ("Running".to_owned(), None),
        Some(last) => operation(instance, last).1,
    }
}

/// What one client thread did to one instance: how many operations were
/// acknowledged (200), and whether the next one was sent without an
/// answer when the server died.
#[derive(Clone, Copy, Debug, Default)]
struct Record {
    acknowledged: usize,
    in_flight: bool,
}

const THREADS: usize = 8;
const PER_THREAD: usize = 2;

/// `kill -9` in the middle of a load run of `total` requests (killed once
/// `total / 2` are answered), then a restart with the same `--state`:
/// every acknowledged change is there (or the one sent after it, whose
/// answer the kill cut).
fn kill_9_keeps_every_acknowledged_change(total: usize) {
    let dir = scratch(&format!("kill-9-{total}"));
    let world_file = dir.join("world.json");
    let state_file = dir.join("state.json");
    let instances = THREADS * PER_THREAD;
    let world = json!({
        "Disks": (0..instances).map(|i| json!({"DiskId": format!("d-{i}"), "Type": "data",
            "Category": "cloud_essd", "Status": "In_use", "InstanceId": format!("i-{i}")})).collect::<Vec<_>>(),
        "Instances": (0..instances).map(|i| json!({"InstanceId": format!("i-{i}"), "Status": "Running"})).collect::<Vec<_>>(),
    });
    std::fs::write(&world_file, world.to_string()).unwrap();
    let args = [
        "--world",
        world_file.to_str().unwrap(),
        "--state",
        state_file.to_str().unwrap(),
        "--reinit-seconds",
        "0",
        "--stop-seconds",
        "0",
        "--start-seconds",
        "0",
    ];
    let mut server = Server::start(&args);
    let answered = Arc::new(AtomicUsize::new(0));
    let sent = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let threads: Vec<_> = (0..THREADS)
        .map(|t| {
            let addr = server.addr.clone();
            let answered = Arc::clone(&answered);
            let sent = Arc::clone(&sent);
            std::thread::spawn(move || {
                let mut records = [Record::default(); PER_THREAD];
                let Ok(mut conn) = Conn::open(&addr) else {
                    return records;
                };
                // Bounded: at most `total` requests in all.
                for turn in 0..total {
                    if sent.fetch_add(1, Ordering::SeqCst) >= total {
                        break;
                    }
                    let slot = turn % PER_THREAD;
                    let instance = t * PER_THREAD + slot;
                    let record = &mut records[slot];
                    let (query, _) = operation(instance, record.acknowledged);
                    record.in_flight = true;
                    match conn.get(&query) {
                        Ok((200, _)) => {
                            record.in_flight = false;
                            record.acknowledged += 1;
                            answered.fetch_add(1, Ordering::SeqCst);
                        }
                        Ok((status, body)) => panic!("{query}: {status} {body}"),
                        Err(_) => break,
                    }
                }
                records
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(120);
    while answered.load(Ordering::SeqCst) < total / 2 {
        assert!(Instant::now() < deadline, "the load run stalled");
        std::thread::sleep(Duration::from_millis(5));
    }
    server.child.kill().unwrap();
    let killed_at = answered.load(Ordering::SeqCst);
    let elapsed = started.elapsed();
    let records: Vec<Record> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let _ = server.child.wait();
    // Reaped: its drop must not signal a pid that may be reused.
    std::mem::forget(server);
    let acknowledged: usize = records.iter().map(|r| r.acknowledged).sum();
    eprintln!(
        "kill -9 after {killed_at} answers ({acknowledged} acknowledged in all) in {elapsed:.2?} ({:.0} changes/s)",
        acknowledged as f64 / elapsed.as_secs_f64()
    );
    assert!(acknowledged >= total / 2);

    let restarted = Server::start(&args);
    let now = state(&restarted);
    let mut lost = Vec::new();
    for (instance, record) in records.iter().enumerate() {
        let found = now["Instances"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["InstanceId"] == format!("i-{instance}"))
            .unwrap();
        let seen: Seen = (
            found["Status"].as_str().unwrap().to_owned(),
            found["StoppedMode"].as_str().map(str::to_owned),
        );
        let mut allowed = vec![after(instance, record.acknowledged)];
        if record.in_flight {
            allowed.push(after(instance, record.acknowledged + 1));
        }
        if !allowed.contains(&seen) {
            lost.push(format!(
                "i-{instance}: {seen:?} after {} acknowledged (in flight: {}), expected one of {allowed:?}",
                record.acknowledged, record.in_flight
            ));
        }
        assert_eq!(
            status_of(&now, "Disks", "DiskId", &format!("d-{instance}")),
            "In_use"
        );
    }
    assert!(
        lost.is_empty(),
        "acknowledged changes lost:\n{}",
        lost.join("\n")
    );
}

#[test]
fn kill_9_in_the_middle_of_a_20000_request_run_loses_no_acknowledged_change() {
    kill_9_keeps_every_acknowledged_change(20_000);
}
