//! What `serve --state` costs: requests per second of a state-changing
//! action with and without it (issue 21, item 5). Not a timed test: it
//! prints figures.
//!
//! In one process: the server's service (`reinit_disk_cli::serve::
//! service`, what `reinit-disk serve` runs, without its log lines), on a
//! tokio runtime of two workers on 127.0.0.1, over a world of W data disks
//! each `In_use` on its own stopped instance, every change taking 0 s. A
//! client of 32 keep-alive connections (32 threads, blocking sockets)
//! sends `ReInitDisk` of disk `d-(k mod W)` back to back (connection `n`
//! only ever names the disks `n mod 32`, so each re-init is accepted: the
//! previous one has settled by the next call). With `--state`, each
//! answer waits until a save holding its change is durable (a write of the
//! whole world to a temporary file, fsync, rename, fsync of the
//! directory, batched by one writer); the file is in the target
//! directory. Every answer is checked (200, no error code). Run:
//! `cargo bench -p reinit-disk-cli --bench state`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk_testkit::client;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use reinit_disk::scenario::Scenario;
use reinit_disk_cli::serve::{AccessKeys, Config, Limits, LogFormat, StateFile, Timings, service};

const CONNECTIONS: usize = 32;
const REQUESTS: usize = 8_000;
/// World sizes: multiples of `CONNECTIONS`.
const WORLDS: [usize; 3] = [32, 3_200, 19_200];

/// `size` data disks `d-K`, each `In_use` on its own stopped instance.
fn world(size: usize) -> Scenario {
    let disks: Vec<_> = (0..size)
        .map(|k| serde_json::json!({"DiskId": format!("d-{k}"), "Type": "data", "Category": "cloud_essd", "Status": "In_use", "InstanceId": format!("i-{k}")}))
        .collect();
    let instances: Vec<_> = (0..size)
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

/// Serves a world of `size` disks (saved to `state` if given) and sends
/// `REQUESTS` re-inits over `CONNECTIONS` connections.
fn run(runtime: &tokio::runtime::Runtime, size: usize, state: Option<PathBuf>) -> Run {
    let config = Config {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        timings: Timings {
            reinit: Duration::ZERO,
            start: Duration::ZERO,
            stop: Duration::ZERO,
            attach: Duration::ZERO,
            detach: Duration::ZERO,
            snapshot: Duration::ZERO,
        },
        revision: None,
        access_keys: AccessKeys::default(),
        admin_token: None,
        rate_limit: None,
        log_format: LogFormat::Text,
        manual_clock: false,
        state: state.map(|path| StateFile { path, saved: None }),
        system_disk_detach: reinit_disk::SystemDiskDetach::default(),
        limits: Limits::default(),
    };
    let served = service(config, world(size)).unwrap();
    let addr = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, served).await.unwrap() });
        addr
    });
    let addr = addr.to_string();
    let started = Instant::now();
    let threads: Vec<_> = (0..CONNECTIONS)
        .map(|n| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let mut client = client::Client::connect(&addr);
                let mut latencies = Vec::with_capacity(REQUESTS / CONNECTIONS + 1);
                for k in (n..REQUESTS).step_by(CONNECTIONS) {
                    let path = format!("/?Action=ReInitDisk&DiskId=d-{}&Format=JSON", k % size);
                    let t = Instant::now();
                    let reply = client.send("GET", &path, &[], b"");
                    latencies.push(t.elapsed());
                    assert!(
                        reply.status == 200 && !reply.body.contains("\"Code\""),
                        "{path}: {} {}",
                        reply.status,
                        reply.body
                    );
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
    latencies.sort_unstable();
    Run {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: latencies[latencies.len() / 2],
        p99: latencies[latencies.len() * 99 / 100],
    }
}

fn main() {
    if std::env::args().any(|a| a == "--test" || a == "--list") {
        // `cargo test --benches` runs benches once as tests: nothing to do.
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-state");
    std::fs::create_dir_all(&dir).unwrap();
    println!("{REQUESTS} ReInitDisk a run over {CONNECTIONS} connections\n");
    println!(
        "| disks | --state | requests/s | p50 (µs) | p99 (µs) | state file (bytes) | with / without |"
    );
    println!("|---:|---|---:|---:|---:|---:|---:|");
    for size in WORLDS {
        let without = run(&runtime, size, None);
        let file = dir.join(format!("state-{size}.json"));
        let _ = std::fs::remove_file(&file);
        let with = run(&runtime, size, Some(file.clone()));
        let bytes = std::fs::metadata(&file).map_or(0, |m| m.len());
        for (flag, r, bytes) in [("no", &without, 0), ("yes", &with, bytes)] {
            println!(
                "| {size} | {flag} | {:.0} | {:.0} | {:.0} | {} | {:.2} |",
                r.per_second,
                r.p50.as_secs_f64() * 1e6,
                r.p99.as_secs_f64() * 1e6,
                if bytes == 0 {
                    "-".to_owned()
                } else {
                    bytes.to_string()
                },
                r.per_second / without.per_second,
            );
        }
    }
}
