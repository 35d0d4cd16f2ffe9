//! Requests per second and latency of `reinit-disk serve` against a
//! hello-world handler on the same HTTP stack (issue 10, item 8: target at
//! least half its throughput). Not a timed test: it prints figures.
//!
//! In one process: the server's service (`reinit_disk_cli::serve::
//! service`, what `reinit-disk serve` runs, without its log lines) over a
//! world of 20,000 data disks each on its own stopped instance, and a
//! hello-world axum router (one handler answering a fixed 60-byte JSON
//! body), both on the same tokio runtime (two workers) on 127.0.0.1. A
//! client of 32 keep-alive connections (32 threads, blocking sockets, the
//! same machine) sends 20,000 requests per run, back to back, and records
//! each latency:
//! - `hello`: `GET /` on the hello-world router;
//! - `ReInitDisk`: `GET /?Action=ReInitDisk&DiskId=d-K&Format=JSON`, a
//!   different disk each time, so every one is accepted and starts a
//!   re-init (the world is reset before each run);
//! - `DescribeDisks`: `GET /?Action=DescribeDisks&DiskIds=["d-K"]&Format=JSON`.
//!
//! Every answer is checked (status 200, a `RequestId`; a re-init's
//! accepted). Three rounds of the three runs, interleaved; the table shows
//! each round and the ratio to `hello` of the same round. Run:
//! `cargo bench --bench http`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk_testkit::client;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::http::header;
use reinit_disk::scenario::Scenario;
use reinit_disk_cli::serve::Timings;
use reinit_disk_cli::serve::{AccessKeys, Config, Limits, LogFormat, service};

const CONNECTIONS: usize = 32;
const REQUESTS: usize = 20_000;
const ROUNDS: usize = 3;
const MIN_TO_HELLO: f64 = 0.5;

/// 20,000 data disks `d-K`, each `In_use` on its own stopped instance.
fn fleet() -> Scenario {
    let disks: Vec<_> = (0..REQUESTS)
        .map(|k| serde_json::json!({"DiskId": format!("d-{k}"), "Type": "data", "Category": "cloud_essd", "Status": "In_use", "InstanceId": format!("i-{k}")}))
        .collect();
    let instances: Vec<_> = (0..REQUESTS)
        .map(|k| serde_json::json!({"InstanceId": format!("i-{k}"), "Status": "Stopped", "HasStarted": true}))
        .collect();
    Scenario::from_json(&serde_json::json!({"Disks": disks, "Instances": instances}).to_string())
        .unwrap()
}

/// What one run measured.
struct Run {
    per_second: f64,
    p50: Duration,
    p99: Duration,
}

/// Sends `REQUESTS` requests over `CONNECTIONS` connections to `addr`:
/// request `k` is `GET target(k)`; each answer must pass `check`.
fn run(addr: SocketAddr, target: fn(usize) -> String, check: fn(&client::Reply) -> bool) -> Run {
    let addr = addr.to_string();
    let started = Instant::now();
    let threads: Vec<_> = (0..CONNECTIONS)
        .map(|n| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let mut client = client::Client::connect(&addr);
                let mut latencies = Vec::with_capacity(REQUESTS / CONNECTIONS + 1);
                for k in (n..REQUESTS).step_by(CONNECTIONS) {
                    let path = target(k);
                    let t = Instant::now();
                    let reply = client.send("GET", &path, &[], b"");
                    latencies.push(t.elapsed());
                    assert!(check(&reply), "{path}: {} {}", reply.status, reply.body);
                }
                latencies
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let elapsed = started.elapsed();
    assert_eq!(latencies.len(), REQUESTS);
    latencies.sort_unstable();
    Run {
        per_second: REQUESTS as f64 / elapsed.as_secs_f64(),
        p50: latencies[REQUESTS / 2],
        p99: latencies[REQUESTS * 99 / 100],
    }
}

fn hello_target(_: usize) -> String {
    "/".to_owned()
}

fn reinit_target(k: usize) -> String {
    format!("/?Action=ReInitDisk&DiskId=d-{k}&Format=JSON")
}

fn describe_target(k: usize) -> String {
    format!("/?Action=DescribeDisks&Format=JSON&DiskIds=%5B%22d-{k}%22%5D")
}

fn answered(reply: &client::Reply) -> bool {
    reply.status == 200 && reply.body.contains("\"RequestId\"")
}

fn described(reply: &client::Reply) -> bool {
    answered(reply) && reply.body.contains("\"TotalCount\":1")
}

fn main() {
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        // `cargo test --benches` runs benches once as tests: nothing to do.
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let config = Config {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        timings: Timings::default(),
        revision: None,
        access_keys: AccessKeys::default(),
        admin_token: None,
        rate_limit: None,
        log_format: LogFormat::Text,
        manual_clock: false,
        state: None,
        system_disk_detach: reinit_disk::SystemDiskDetach::default(),
        limits: Limits::default(),
    };
    let served = service(config, fleet()).unwrap();
    let hello = Router::new().fallback(|| async {
        (
            [(header::CONTENT_TYPE, "application/json;charset=utf-8")],
            r#"{"RequestId":"473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E","x":1}"#,
        )
    });
    let (serve_addr, hello_addr) = runtime.block_on(async {
        let serve = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let hello_listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addrs = (
            serve.local_addr().unwrap(),
            hello_listener.local_addr().unwrap(),
        );
        tokio::spawn(async move { axum::serve(serve, served).await.unwrap() });
        tokio::spawn(async move { axum::serve(hello_listener, hello).await.unwrap() });
        addrs
    });
    let reset = Arc::new(serve_addr.to_string());

    println!("{REQUESTS} requests a run over {CONNECTIONS} connections, {ROUNDS} rounds\n");
    println!("| round | what | requests/s | p50 (µs) | p99 (µs) | requests/s / hello |");
    println!("|---:|---|---:|---:|---:|---:|");
    let mut missed = 0;
    for round in 1..=ROUNDS {
        let reply = client::Client::connect(&reset).send("POST", "/_reinit-disk/reset", &[], b"");
        assert_eq!(reply.status, 200, "reset: {}", reply.body);
        let hello = run(hello_addr, hello_target, answered);
        let reinit = run(serve_addr, reinit_target, |r| {
            answered(r) && !r.body.contains("\"Code\"")
        });
        let describe = run(serve_addr, describe_target, described);
        for (what, r) in [
            ("hello", &hello),
            ("ReInitDisk", &reinit),
            ("DescribeDisks", &describe),
        ] {
            let to_hello = r.per_second / hello.per_second;
            let mark = if what != "hello" && to_hello < MIN_TO_HELLO {
                missed += 1;
                format!("**{to_hello:.2}**")
            } else {
                format!("{to_hello:.2}")
            };
            println!(
                "| {round} | {what} | {:.0} | {:.0} | {:.0} | {mark} |",
                r.per_second,
                r.p50.as_secs_f64() * 1e6,
                r.p99.as_secs_f64() * 1e6,
            );
        }
    }
    println!(
        "\nrequests/s at least {MIN_TO_HELLO}x hello's: {missed} of {} runs under",
        ROUNDS * 2
    );
}
