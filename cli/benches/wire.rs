//! The wire layer and batch mode, each beside its floor, in one run:
//!
//! - `request/<case>/wire`: decode an RPC query string (with its signature
//!   fields), evaluate, encode the JSON body; `request/<case>/floor`:
//!   evaluate alone plus one serde_json serialization of the same body.
//!   Target: wire within 10x of floor.
//! - `lines/eval`: `reinit-disk eval --lines` (the binary's own code,
//!   src/cli/lines.rs) on scenarios of about 600 bytes, in memory;
//!   `lines/serde_json`: a plain serde_json parse-and-reserialize of the same
//!   lines. Targets: at least 100,000 scenarios/s, and at least half the
//!   speed of serde_json.
//!
//! - `adversarial/<n>`: `respond` on a query of `n` distinct parameters each
//!   given twice with different values (`P0=a&P1=a&...&P0=b&P1=b&...`,
//!   about 9 bytes a pair: 1.8 MB at n = 100,000), the worst case of the
//!   duplicate-parameter check (issue 9). It must grow as n log n: 10x the
//!   parameters, a little over 10x the time.
//!
//! `cargo bench --bench wire` runs them all and then prints the ratios
//! (docs/performance.md).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk_cli::lines;

use std::hint::black_box;
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use reinit_disk::scenario::Scenario;
use reinit_disk::wire::{HttpRequest, Ids, respond};
use reinit_disk::{Request, evaluate};
use serde::Serialize;
use serde_json::{Value, json};

const REQUEST_ID: &str = "F3CD6886-D8D0-4FEE-B93E-1B73239673DE";

/// The query an older SDK sends: the business parameters, then the common
/// ones and the signature.
const QUERY: &str = "Action=ReInitDisk&DiskId=d-1&SecurityEnhancementStrategy=Active&RegionId=cn-hangzhou&Format=JSON&Version=2014-05-26&AccessKeyId=LTAI5tExample&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&Timestamp=2024-05-01T08%3A00%3A00Z&Signature=Pq%2B7r%2Fk6Zt2bEXAMPLE%3D";

/// A success body, for the floor.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Success<'a> {
    request_id: &'a str,
}

/// An error body, for the floor.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct Failure<'a> {
    request_id: &'a str,
    host_id: &'a str,
    code: &'a str,
    message: &'a str,
    recommend: &'a str,
}

fn example() -> Value {
    serde_json::from_str(include_str!("../../examples/accepted-system-disk.json")).unwrap()
}

fn request_group(c: &mut Criterion) {
    let accepted: Scenario = serde_json::from_value(example()).unwrap();
    let mut detaching = example();
    detaching["Disks"][0]["Status"] = json!("Detaching");
    let rejected: Scenario = serde_json::from_value(detaching).unwrap();
    let request =
        Request::new("d-1").with_strategy(reinit_disk::SecurityEnhancementStrategy::Active);
    let http = HttpRequest {
        query: QUERY,
        ..HttpRequest::default()
    };
    let ids = Ids::new(REQUEST_ID);
    let recommend = format!(
        "https://api.aliyun.com/troubleshoot?q=IncorrectDiskStatus&product=Ecs&requestId={REQUEST_ID}"
    );

    let mut group = c.benchmark_group("request");
    for (case, world) in [("accepted", &accepted), ("rejected", &rejected)] {
        group.bench_function(format!("{case}/wire"), |b| {
            b.iter(|| respond(black_box(&http), world, &world.policy, &ids).unwrap());
        });
        group.bench_function(format!("{case}/floor"), |b| {
            b.iter(
                || match evaluate(black_box(&request), world, &world.policy) {
                    Ok(_) => serde_json::to_string(&Success {
                        request_id: REQUEST_ID,
                    })
                    .unwrap(),
                    Err(r) => serde_json::to_string(&Failure {
                        request_id: REQUEST_ID,
                        host_id: "ecs.aliyuncs.com",
                        code: r.code().as_str(),
                        message: r.message(),
                        recommend: &recommend,
                    })
                    .unwrap(),
                },
            );
        });
    }
    group.finish();
}

/// `n` distinct parameters, each given twice with different values.
fn adversarial_query(n: usize) -> String {
    let mut query = String::with_capacity(n * 24);
    for value in ["a", "b"] {
        for i in 0..n {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&format!("P{i}={value}"));
        }
    }
    query
}

fn adversarial_group(c: &mut Criterion) {
    let world: Scenario = serde_json::from_value(example()).unwrap();
    let ids = Ids::new(REQUEST_ID);
    let mut group = c.benchmark_group("adversarial");
    group.sample_size(10);
    for n in [1_000usize, 10_000, 100_000] {
        let query = adversarial_query(n);
        let http = HttpRequest {
            query: &query,
            ..HttpRequest::default()
        };
        group.throughput(Throughput::Bytes(query.len() as u64));
        group.bench_function(n.to_string(), |b| {
            b.iter(|| {
                let response = respond(black_box(&http), &world, &world.policy, &ids).unwrap();
                assert_eq!(response.status, 400);
                response
            });
        });
    }
    group.finish();
}

/// `n` scenarios of about 600 bytes, one a line, with a mix of decisions.
fn batch(n: usize) -> Vec<u8> {
    let statuses = ["In_use", "In_use", "In_use", "Detaching", "Available"];
    let instance = ["Stopped", "Stopped", "Running"];
    let mut out = Vec::new();
    for i in 0..n {
        let mut s = example();
        s["Request"]["DiskId"] = json!(if i % 2 == 0 { "d-1" } else { "d-2" });
        s["Disks"][0]["Status"] = json!(statuses[i % statuses.len()]);
        if statuses[i % statuses.len()] == "Available" {
            s["Disks"][0].as_object_mut().unwrap().remove("InstanceId");
        }
        s["Instances"][0]["Status"] = json!(instance[i % instance.len()]);
        s["Description"] = json!(format!("scenario {i}"));
        s["Request"].as_object_mut().unwrap().remove("RegionId");
        serde_json::to_writer(&mut out, &s).unwrap();
        out.push(b'\n');
    }
    out
}

/// A plain serde_json parse-and-reserialize of each line.
fn serde_json_lines(input: &[u8], output: &mut Vec<u8>) {
    let mut reader = input;
    let mut buffer = Vec::with_capacity(4096);
    loop {
        buffer.clear();
        if reader.read_until(b'\n', &mut buffer).unwrap() == 0 {
            break;
        }
        let value: Value = serde_json::from_slice(&buffer).unwrap();
        serde_json::to_writer(&mut *output, &value).unwrap();
        output.write_all(b"\n").unwrap();
    }
}

const LINES: usize = 10_000;

fn lines_group(c: &mut Criterion) {
    let input = batch(LINES);
    let mut output = Vec::with_capacity(input.len());
    let mut group = c.benchmark_group("lines");
    group.throughput(Throughput::Elements(LINES as u64));
    group.bench_function("eval", |b| {
        b.iter(|| {
            output.clear();
            let summary =
                lines::run(black_box(input.as_slice()), &mut output, u64::MAX, None).unwrap();
            assert_eq!(summary.invalid, 0);
        });
    });
    group.bench_function("serde_json", |b| {
        b.iter(|| {
            output.clear();
            serde_json_lines(black_box(&input), &mut output);
        });
    });
    group.finish();
}

/// The median of a finished benchmark, in nanoseconds, from criterion's
/// estimates.
fn median(id: &str) -> Option<f64> {
    let dir: PathBuf = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || [env!("CARGO_MANIFEST_DIR"), "target"].iter().collect(),
        PathBuf::from,
    );
    let path = dir
        .join("criterion")
        .join(id)
        .join("new")
        .join("estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let value: Value = serde_json::from_str(&text).ok()?;
    value["median"]["point_estimate"].as_f64()
}

fn report() {
    println!("\nwire: request, median ns (wire / floor, target <= 10x)");
    for case in ["accepted", "rejected"] {
        if let (Some(wire), Some(floor)) = (
            median(&format!("request/{case}_wire")),
            median(&format!("request/{case}_floor")),
        ) {
            println!(
                "  {case:<9} wire {wire:>8.0}  floor {floor:>8.0}  ratio {:.1}x",
                wire / floor
            );
        }
    }
    for n in ["1000", "10000", "100000"] {
        if let Some(ns) = median(&format!("adversarial/{n}")) {
            println!(
                "adversarial query, {n:>6} conflicting pairs: {:.2} ms",
                ns / 1e6
            );
        }
    }
    if let (Some(eval), Some(plain)) = (median("lines/eval"), median("lines/serde_json")) {
        let per_second = |ns: f64| LINES as f64 / (ns / 1e9);
        println!(
            "lines ({} bytes a scenario on average): eval --lines {:.0}/s, serde_json {:.0}/s, eval / serde_json speed {:.2} (targets: >= 100000/s, >= 0.5)",
            batch(LINES).len() / LINES,
            per_second(eval),
            per_second(plain),
            plain / eval
        );
    }
}

fn main() {
    let mut c = Criterion::default()
        .configure_from_args()
        .measurement_time(Duration::from_secs(5));
    request_group(&mut c);
    lines_group(&mut c);
    adversarial_group(&mut c);
    c.final_summary();
    report();
}
