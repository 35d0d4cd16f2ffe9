//! `reinit-disk serve`: the whole stop, re-init, poll, start flow over HTTP
//! with a clock the tests move (nothing sleeps), every action's answers
//! and errors, the admin endpoints, throttling, signatures, the race on
//! one disk, a load run and a graceful shutdown. Every server binds
//! 127.0.0.1 with a free port; every read has a timeout.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use common::http::Server;
use serde_json::Value;

const WORLD: &str = "examples/serve-world.json";

fn disk_status(server: &Server, id: &str) -> String {
    let reply = server.get(&format!(
        "Action=DescribeDisks&Format=JSON&DiskIds=%5B%22{id}%22%5D"
    ));
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["Disks"]["Disk"][0]["Status"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn instance_status(server: &Server, id: &str) -> String {
    let reply = server.get(&format!(
        "Action=DescribeInstances&Format=JSON&InstanceIds=%5B%22{id}%22%5D"
    ));
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["Instances"]["Instance"][0]["Status"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn code(reply: &common::http::Reply) -> String {
    reply.json()["Code"].as_str().unwrap_or_default().to_owned()
}

#[test]
fn serve_runs_the_whole_stop_reinit_poll_start_flow_in_time() {
    let server = Server::start(&["--world", WORLD]);
    // A running instance's disk cannot be re-initialized.
    let refused = server.get("Action=ReInitDisk&DiskId=d-sys-1&Format=JSON");
    assert_eq!(
        (refused.status, code(&refused).as_str()),
        (403, "IncorrectInstanceStatus")
    );

    assert_eq!(
        server
            .get("Action=StopInstance&InstanceId=i-1&Format=JSON")
            .status,
        200
    );
    assert_eq!(instance_status(&server, "i-1"), "Stopping");
    server.advance(1.9);
    assert_eq!(instance_status(&server, "i-1"), "Stopping");
    server.advance(0.1);
    assert_eq!(instance_status(&server, "i-1"), "Stopped");

    let accepted = server.get("Action=ReInitDisk&DiskId=d-sys-1&Format=JSON");
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    assert!(accepted.json()["RequestId"].is_string());
    assert_eq!(disk_status(&server, "d-sys-1"), "ReIniting");
    // Meanwhile a second request finds it re-initializing.
    let again = server.get("Action=ReInitDisk&DiskId=d-sys-1&Format=JSON");
    assert_eq!(
        (again.status, code(&again).as_str()),
        (403, "IncorrectDiskStatus")
    );
    server.advance(2.0);
    assert_eq!(disk_status(&server, "d-sys-1"), "In_use");
    assert_eq!(
        instance_status(&server, "i-1"),
        "Stopped",
        "no AutoStartInstance: stays stopped"
    );

    assert_eq!(
        server
            .get("Action=StartInstance&InstanceId=i-1&Format=JSON")
            .status,
        200
    );
    assert_eq!(instance_status(&server, "i-1"), "Starting");
    server.advance(2.0);
    assert_eq!(instance_status(&server, "i-1"), "Running");
}

#[test]
fn serve_starts_the_instance_after_the_reinit_when_asked_to() {
    let server = Server::start(&[
        "--world",
        WORLD,
        "--reinit-seconds",
        "3",
        "--start-seconds",
        "1",
    ]);
    let accepted =
        server.get("Action=ReInitDisk&DiskId=d-sys-2&AutoStartInstance=true&Format=JSON");
    assert_eq!(accepted.status, 200, "{}", accepted.body);
    server.advance(2.9);
    assert_eq!(disk_status(&server, "d-sys-2"), "ReIniting");
    assert_eq!(instance_status(&server, "i-2"), "Stopped");
    server.advance(0.1);
    assert_eq!(disk_status(&server, "d-sys-2"), "In_use");
    assert_eq!(instance_status(&server, "i-2"), "Starting");
    server.advance(1.0);
    assert_eq!(instance_status(&server, "i-2"), "Running");
}

#[test]
fn serve_answers_each_action_in_json_and_xml_with_ecs_shapes() {
    let server = Server::start(&["--world", WORLD]);
    let json = server.get("Action=DescribeDisks&Format=JSON&InstanceId=i-1");
    assert_eq!(
        json.header("content-type"),
        Some("application/json;charset=utf-8")
    );
    let doc = json.json();
    let keys: Vec<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(doc["TotalCount"], 2);
    assert_eq!(doc["PageNumber"], 1);
    assert_eq!(doc["PageSize"], 10);
    assert!(keys.contains(&"RequestId"));
    let disk = &doc["Disks"]["Disk"][0];
    assert_eq!(disk["DiskId"], "d-sys-1");
    assert_eq!(disk["Type"], "system");
    assert_eq!(disk["Category"], "cloud_essd");
    assert_eq!(disk["Status"], "In_use");
    assert_eq!(disk["ImageId"], "m-ubuntu");
    assert_eq!(
        disk["OperationLocks"],
        serde_json::json!({"OperationLock": []})
    );
    assert_eq!(doc["Disks"]["Disk"][1]["SourceSnapshotId"], "s-1");
    // The library's full records: every field of the SDK's model
    // (tests/ecs-fields.txt), the world's facts and the documented defaults
    // (docs/ecs.md).
    assert_eq!(sorted_keys(disk), sdk_fields("Disk"));
    assert_eq!(disk["Size"], 20, "a system disk's minimum");
    assert_eq!(disk["Device"], "/dev/xvda");
    assert_eq!(doc["Disks"]["Disk"][1]["Device"], "/dev/xvdb");
    assert_eq!(disk["ZoneId"], "cn-hangzhou-i");
    // The body keeps ECS's order: the list first (each record's fields in
    // the SDK's order), the RequestId last.
    assert!(
        json.body
            .starts_with(r#"{"Disks":{"Disk":[{"AttachedTime":"2024-01-01T00:00:00Z","Attachments":{"Attachment":[{"#),
        "{}",
        json.body
    );
    assert!(json.body.ends_with(&format!(
        r#""RequestId":"{}"}}"#,
        doc["RequestId"].as_str().unwrap()
    )));

    let xml = server.get("Action=DescribeDisks&DiskIds=%5B%22d-data-1%22%5D");
    assert_eq!(xml.status, 200);
    assert_eq!(xml.header("content-type"), Some("text/xml;charset=utf-8"));
    let parsed = roxmltree::Document::parse(&xml.body).unwrap();
    let root = parsed.root_element();
    assert_eq!(root.tag_name().name(), "DescribeDisksResponse");
    let ids: Vec<&str> = root
        .descendants()
        .filter(|n| n.has_tag_name("DiskId"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(ids, ["d-data-1"]);
    assert!(
        xml.body
            .contains("<OperationLocks></OperationLocks><PerformanceLevel>"),
        "{}",
        xml.body
    );
    assert!(xml.body.contains("<Tags></Tags>"), "{}", xml.body);

    let instances = server
        .get("Action=DescribeInstances&Format=JSON&Status=Running")
        .json();
    assert_eq!(instances["TotalCount"], 1);
    let i = &instances["Instances"]["Instance"][0];
    assert_eq!(
        (i["InstanceId"].as_str(), i["OSType"].as_str()),
        (Some("i-1"), Some("linux"))
    );
    assert_eq!(i["HibernationOptions"]["Configured"], false);
    assert_eq!(sorted_keys(i), sdk_fields("Instance"));
    assert_eq!(i["ImageId"], "m-ubuntu", "its system disk's image");
    assert_eq!(
        i["VpcAttributes"]["PrivateIpAddress"],
        serde_json::json!({"IpAddress": ["172.16.0.1"]})
    );
    let xml = server.get("Action=DescribeInstances&InstanceIds=%5B%22i-1%22%5D");
    assert!(
        xml.body.contains(
            "<VpcAttributes><NatIpAddress></NatIpAddress><PrivateIpAddress><IpAddress>172.16.0.1</IpAddress></PrivateIpAddress>"
        ),
        "{}",
        xml.body
    );

    // Pages.
    let page = server
        .get("Action=DescribeDisks&Format=JSON&PageSize=2&PageNumber=2")
        .json();
    assert_eq!(
        (
            page["TotalCount"].as_u64(),
            page["Disks"]["Disk"].as_array().unwrap().len()
        ),
        (Some(3), 1)
    );

    // The action in a header (the current SDKs), the parameters in a form body.
    let reply = server.request(
        "POST",
        "/",
        &[
            ("x-acs-action", "StopInstance"),
            ("x-acs-version", "2014-05-26"),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        b"InstanceId=i-1",
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.header("content-type"),
        Some("application/json;charset=utf-8")
    );
}

#[test]
fn serve_refuses_what_ecs_refuses_with_its_code_status_and_message() {
    let server = Server::start(&["--world", WORLD]);
    let cases: [(&str, u16, &str, &str); 8] = [
        (
            "Action=DeleteDisk&DiskId=d-1",
            404,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.",
        ),
        (
            "DiskId=d-1",
            404,
            "InvalidAction.NotFound",
            "Specified api is not found, please check your url and method.",
        ),
        (
            "Action=StopInstance&InstanceId=i-404",
            404,
            "InvalidInstanceId.NotFound",
            "The specified InstanceId does not exist.",
        ),
        (
            "Action=StartInstance&InstanceId=i-1",
            403,
            "IncorrectInstanceStatus",
            "The current status of the resource does not support this operation.",
        ),
        (
            "Action=StopInstance&InstanceId=i-2",
            403,
            "IncorrectInstanceStatus",
            "The current status of the resource does not support this operation.",
        ),
        (
            "Action=StopInstance",
            400,
            "MissingParameter",
            "The input parameter \"InstanceId\" that is mandatory for processing this request is not supplied.",
        ),
        (
            "Action=DescribeDisks&DiskIds=d-1",
            400,
            "InvalidParameter.DiskIds",
            "The specified parameter diskIds is not valid.",
        ),
        (
            "Action=DescribeDisks&PageSize=101",
            400,
            "InvalidParam.PageSize",
            "The specified parameter is invalid.",
        ),
    ];
    for (query, status, want_code, message) in cases {
        let reply = server.get(&format!("{query}&Format=JSON"));
        assert_eq!(reply.status, status, "{query}: {}", reply.body);
        let body = reply.json();
        assert_eq!(body["Code"], want_code, "{query}");
        assert_eq!(body["Message"], message, "{query}");
        assert_eq!(body["HostId"], "ecs.aliyuncs.com");
    }
    // A malformed request is refused for every action as for ReInitDisk,
    // naming the parameter; an unknown action is still the gateway's 404.
    for (query, name) in [
        (
            "Action=DescribeDisks&Status=In_use&Status=Available",
            "Status",
        ),
        ("Action=StopInstance&InstanceId=%ff", "InstanceId"),
        ("Action=DescribeInstances&PageSize=%zz", "PageSize"),
    ] {
        let reply = server.get(&format!("{query}&Format=JSON"));
        assert_eq!(reply.status, 400, "{query}: {}", reply.body);
        assert_eq!(reply.json()["Code"], "InvalidParameter", "{query}");
        assert_eq!(
            reply.json()["Message"],
            format!("The specified parameter \"{name}\" is not valid."),
            "{query}"
        );
    }
    let reply = server.get("Action=Nothing&Status=a&Status=b&Format=JSON");
    assert_eq!(
        (reply.status, code(&reply).as_str()),
        (404, "InvalidAction.NotFound")
    );
    // ReInitDisk's own codes come from the engine, under the world's revision.
    let reply = server.get("Action=ReInitDisk&DiskId=d-404&Format=JSON");
    assert_eq!(
        (reply.status, code(&reply).as_str()),
        (404, "InvalidDiskId.NotFound")
    );
    let reply = server.get("Action=ReInitDisk&DiskId=d-sys-2&KeyPairName=kp-404&Format=JSON");
    assert_eq!(
        (reply.status, code(&reply).as_str()),
        (400, "InvalidKeyPairName.NotFound")
    );
}

#[test]
fn serve_admin_endpoints_show_reset_and_replace_the_world() {
    let server = Server::start(&["--world", WORLD]);
    let health = server.request("GET", "/_reinit-disk/health", &[], b"");
    assert_eq!(
        (health.status, health.json()["Status"].as_str()),
        (200, Some("ok"))
    );
    assert_eq!(
        server
            .get("Action=StopInstance&InstanceId=i-1&Format=JSON")
            .status,
        200
    );
    let state = server
        .request("GET", "/_reinit-disk/state", &[], b"")
        .json();
    assert_eq!(state["Instances"][0]["Status"], "Stopping");
    // The state is a scenario document `eval` takes.
    reinit_disk::scenario::Scenario::from_json(&state.to_string()).unwrap();

    assert_eq!(
        server
            .request("POST", "/_reinit-disk/reset", &[], b"")
            .status,
        200
    );
    assert_eq!(instance_status(&server, "i-1"), "Running");

    let bad = server.request(
        "PUT",
        "/_reinit-disk/world",
        &[],
        br#"{"Disks": [{"DiskId": "d-1", "Status": "Weird"}]}"#,
    );
    assert_eq!(bad.status, 400, "{}", bad.body);
    assert_eq!(bad.json()["Path"], "Disks[0].Status");
    let bad = server.request("PUT", "/_reinit-disk/world", &[], b"[1,2");
    assert_eq!(bad.status, 400);
    assert_eq!(
        instance_status(&server, "i-1"),
        "Running",
        "a bad document changes nothing"
    );

    let world =
        br#"{"Instances": [{"InstanceId": "i-9", "Status": "Stopped", "HasStarted": true}]}"#;
    assert_eq!(
        server
            .request("PUT", "/_reinit-disk/world", &[], world)
            .status,
        200
    );
    assert_eq!(instance_status(&server, "i-9"), "Stopped");
    let gone = server
        .get("Action=DescribeInstances&Format=JSON&InstanceIds=%5B%22i-1%22%5D")
        .json();
    assert_eq!(gone["TotalCount"], 0);

    let clock = server.request("POST", "/_reinit-disk/clock?advance=-1", &[], b"");
    assert_eq!(clock.status, 400);
}

#[test]
fn serve_throttles_past_the_rate_limit_with_ecs_answer() {
    let server = Server::start(&["--world", WORLD, "--rate-limit", "3/60"]);
    for _ in 0..3 {
        assert_eq!(server.get("Action=DescribeDisks&Format=JSON").status, 200);
    }
    let reply = server.get("Action=DescribeDisks&Format=JSON");
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["Code"], "Throttling");
    assert_eq!(
        reply.json()["Message"],
        "You have made too many requests within a short time; your request is denied due to request throttling."
    );
    server.advance(60.0);
    assert_eq!(
        server.get("Action=DescribeDisks&Format=JSON").status,
        200,
        "a new window"
    );
}

#[test]
fn of_64_simultaneous_reinits_of_one_disk_exactly_one_is_accepted() {
    let server = Arc::new(Server::start(&["--world", WORLD]));
    let barrier = Arc::new(Barrier::new(64));
    let threads: Vec<_> = (0..64)
        .map(|_| {
            let (server, barrier) = (Arc::clone(&server), Arc::clone(&barrier));
            std::thread::spawn(move || {
                let mut client = server.connect();
                barrier.wait();
                let reply = client.send(
                    "GET",
                    "/?Action=ReInitDisk&DiskId=d-sys-2&Format=JSON",
                    &[],
                    b"",
                );
                (reply.status, code(&reply))
            })
        })
        .collect();
    let answers: Vec<(u16, String)> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let accepted = answers.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!(accepted, 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .filter(|(s, _)| *s != 200)
            .all(|(s, c)| *s == 403 && c == "IncorrectDiskStatus"),
        "{answers:?}"
    );
    assert_eq!(disk_status(&server, "d-sys-2"), "ReIniting");
}

#[test]
fn a_load_run_gets_only_well_formed_answers_and_loses_no_state() {
    // 20,000 requests over 32 keep-alive connections: each connection stops
    // and starts nothing, but re-inits its own share of ... one disk of a
    // world of 32 (one per connection), and describes.
    let mut disks = vec![];
    let mut instances = vec![];
    for n in 0..32 {
        disks.push(serde_json::json!({"DiskId": format!("d-{n}"), "Type": "data", "Category": "cloud_essd", "Status": "In_use", "InstanceId": format!("i-{n}")}));
        instances.push(serde_json::json!({"InstanceId": format!("i-{n}"), "Status": "Stopped", "HasStarted": true}));
    }
    let world = std::env::temp_dir().join(format!("reinit-disk-load-{}.json", std::process::id()));
    std::fs::write(
        &world,
        serde_json::json!({"Disks": disks, "Instances": instances}).to_string(),
    )
    .unwrap();
    let server = Arc::new(Server::start(&["--world", world.to_str().unwrap()]));
    let started = Instant::now();
    let threads: Vec<_> = (0..32)
        .map(|n| {
            let server = Arc::clone(&server);
            std::thread::spawn(move || {
                let mut client = server.connect();
                let mut latencies = Vec::with_capacity(625);
                let mut accepted = 0;
                for k in 0..625 {
                    let target = if k % 2 == 0 {
                        format!("/?Action=ReInitDisk&DiskId=d-{n}&Format=JSON")
                    } else {
                        format!("/?Action=DescribeDisks&Format=JSON&DiskIds=%5B%22d-{n}%22%5D")
                    };
                    let t = Instant::now();
                    let reply = client.send("GET", &target, &[], b"");
                    latencies.push(t.elapsed());
                    let body: Value = serde_json::from_str(&reply.body).unwrap();
                    assert!(body["RequestId"].is_string(), "{}", reply.body);
                    match reply.status {
                        200 if k % 2 == 0 => accepted += 1,
                        200 => assert_eq!(body["Disks"]["Disk"][0]["DiskId"], format!("d-{n}")),
                        403 => assert_eq!(body["Code"], "IncorrectDiskStatus"),
                        other => panic!("{other}: {}", reply.body),
                    }
                }
                (accepted, latencies)
            })
        })
        .collect();
    let mut latencies = vec![];
    let mut accepted = 0;
    for t in threads {
        let (a, l) = t.join().unwrap();
        accepted += a;
        latencies.extend(l);
    }
    let elapsed = started.elapsed();
    // The clock never moved: each disk was accepted once, then found
    // re-initializing every time after.
    assert_eq!(accepted, 32);
    for n in 0..32 {
        assert_eq!(disk_status(&server, &format!("d-{n}")), "ReIniting");
    }
    latencies.sort();
    let p99 = latencies[latencies.len() * 99 / 100];
    eprintln!(
        "load run: {} requests in {:.2?} ({:.0}/s), p99 {:.2?}",
        latencies.len(),
        elapsed,
        latencies.len() as f64 / elapsed.as_secs_f64(),
        p99
    );
    assert_eq!(latencies.len(), 20_000);
}

#[test]
fn serve_finishes_a_request_in_flight_when_sigterm_arrives_then_exits_0() {
    let mut server = Server::start(&["--world", WORLD]);
    let mut client = server.connect();
    // Half a request, then SIGTERM, then the rest.
    use std::io::Write as _;
    client
        .stream
        .write_all(b"GET /?Action=DescribeDisks&Format=JSON HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    server.terminate();
    std::thread::sleep(Duration::from_millis(200));
    client
        .stream
        .write_all(b"Content-Length: 0\r\nConnection: close\r\n\r\n")
        .unwrap();
    let reply = client.read_reply();
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["TotalCount"], 3);
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not exit");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0));
}

/// `--addr` takes a host name and a port (`localhost:0`), resolved once: the
/// server listens on the loopback address it resolves to and says which.
#[test]
fn serve_listens_on_a_host_name_resolved_once() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_reinit-disk"))
        .args(["serve", "--addr", "localhost:0", "--manual-clock"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    let addr: std::net::SocketAddr = line.trim().parse().unwrap();
    assert!(addr.ip().is_loopback(), "listening on {addr}");
    assert_ne!(addr.port(), 0);
}

/// An `--addr` that is neither IP:PORT nor HOST:PORT is a usage error that
/// says what it takes.
#[test]
fn serve_refuses_an_address_without_a_port_and_says_what_it_takes() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_reinit-disk"))
        .args(["serve", "--addr", "localhost"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "expected IP:PORT or HOST:PORT (for example 127.0.0.1:8080 or localhost:8080)"
        ),
        "{stderr}"
    );
}

/// The keys of a JSON object, sorted.
fn sorted_keys(record: &serde_json::Value) -> Vec<String> {
    let mut keys: Vec<String> = record.as_object().unwrap().keys().cloned().collect();
    keys.sort();
    keys
}

/// The SDK model's fields of `record` (tests/ecs-fields.txt), sorted.
fn sdk_fields(record: &str) -> Vec<String> {
    let list =
        std::fs::read_to_string(reinit_disk_testkit::workspace_root().join("tests/ecs-fields.txt"))
            .unwrap();
    let line = list
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{record}: ")))
        .unwrap();
    let mut fields: Vec<String> = line.split(' ').map(str::to_owned).collect();
    fields.sort();
    fields
}
