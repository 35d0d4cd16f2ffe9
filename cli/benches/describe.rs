//! What a `DescribeDisks` page costs against the world's size (issue 20:
//! the page, not the world), what paging a 100,000-disk world to its end
//! costs, and what loading a large world costs in time and memory.
//!
//!   cargo bench -p reinit-disk-cli --bench describe
//!   cargo bench -p reinit-disk-cli --bench describe -- --quick   # 1,000 to 100,000 only
//!
//! The store is called as `serve` calls it (`serve::handle`, no HTTP): a
//! page by `PageNumber` at the start and at the end of the world, and a
//! page by `MaxResults`/`NextToken`. Each figure is the median of many
//! calls. Resident memory is read from /proc/self/status (Linux).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::cast_precision_loss,
    reason = "a benchmark: a failed assumption is a failed run"
)]

use std::time::{Duration, Instant};

use reinit_disk::scenario::Scenario;
use reinit_disk::wire::{HttpRequest, Ids};
use reinit_disk_cli::serve::{Store, Timings, handle};

/// A world of `disks` data disks, 8 to an instance, as scenario JSON.
fn world_json(disks: usize) -> String {
    let mut out = String::from("{\"Disks\":[");
    for n in 0..disks {
        if n > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "{{\"DiskId\":\"d-{n:07}\",\"Type\":\"data\",\"Category\":\"cloud_essd\",\"Status\":\"In_use\",\"InstanceId\":\"i-{:07}\"}}",
            n / 8
        ));
    }
    out.push_str("],\"Instances\":[");
    for i in 0..disks.div_ceil(8) {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(
            "{{\"InstanceId\":\"i-{i:07}\",\"Status\":\"Stopped\"}}"
        ));
    }
    out.push_str("]}");
    out
}

fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// The median time of `query` answered by `store`, over `rounds` calls.
fn page(store: &Store, query: &str, rounds: usize) -> (Duration, String) {
    let ids = Ids::new("B0000000-0000-0000-0000-000000000000");
    let http = HttpRequest {
        query,
        body: b"",
        headers: &[],
    };
    let mut times = Vec::with_capacity(rounds);
    let mut body = String::new();
    for _ in 0..rounds {
        let start = Instant::now();
        let (response, _) = handle(store, None, &http, Duration::ZERO, &ids);
        times.push(start.elapsed());
        body = response.body;
    }
    (median(times), body)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes: &[usize] = if quick {
        &[1_000, 10_000, 100_000]
    } else {
        &[1_000, 10_000, 100_000, 1_000_000]
    };
    println!(
        "| disks | world JSON (MB) | load (s) | resident after load (MB) | first page (µs) | last page (µs) | a NextToken page (µs) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|");
    for &disks in sizes {
        let json = world_json(disks);
        let before = resident_kib().unwrap_or(0);
        let start = Instant::now();
        let scenario = Scenario::from_json(&json).unwrap();
        let store = Store::new(scenario, Timings::default()).unwrap();
        let load = start.elapsed();
        let resident = resident_kib().unwrap_or(0).saturating_sub(before);
        let last = disks.div_ceil(100);
        let (first, body) = page(&store, "Action=DescribeDisks&Format=JSON&PageSize=100", 200);
        assert!(body.contains("\"TotalCount\""), "{body}");
        let (end, body) = page(
            &store,
            &format!("Action=DescribeDisks&Format=JSON&PageSize=100&PageNumber={last}"),
            200,
        );
        assert!(body.contains("\"DiskId\""), "{body}");
        let (token, body) = page(
            &store,
            "Action=DescribeDisks&Format=JSON&MaxResults=100",
            200,
        );
        assert!(body.contains("\"NextToken\""), "{body}");
        println!(
            "| {disks} | {:.1} | {:.2} | {:.0} | {:.0} | {:.0} | {:.0} |",
            json.len() as f64 / 1e6,
            load.as_secs_f64(),
            resident as f64 / 1024.0,
            first.as_secs_f64() * 1e6,
            end.as_secs_f64() * 1e6,
            token.as_secs_f64() * 1e6,
        );
        drop(store);
    }

    // Paging a 100,000-disk world to its end by token, 500 a page.
    let store = Store::new(
        Scenario::from_json(&world_json(100_000)).unwrap(),
        Timings::default(),
    )
    .unwrap();
    let ids = Ids::new("B0000000-0000-0000-0000-000000000000");
    let start = Instant::now();
    let mut token = String::new();
    let mut pages = 0usize;
    let mut seen = 0usize;
    loop {
        let query = if token.is_empty() {
            "Action=DescribeDisks&Format=JSON&MaxResults=500".to_owned()
        } else {
            format!("Action=DescribeDisks&Format=JSON&MaxResults=500&NextToken={token}")
        };
        let http = HttpRequest {
            query: &query,
            body: b"",
            headers: &[],
        };
        let (response, _) = handle(&store, None, &http, Duration::ZERO, &ids);
        let body: serde_json::Value = serde_json::from_str(&response.body).unwrap();
        seen += body["Disks"]["Disk"].as_array().unwrap().len();
        pages += 1;
        token = body["NextToken"].as_str().unwrap_or_default().to_owned();
        if token.is_empty() || pages > 1_000 {
            break;
        }
    }
    assert_eq!(seen, 100_000);
    println!(
        "\npaging 100,000 disks by NextToken, 500 a page: {pages} pages in {:.2} s ({:.0} µs a page)",
        start.elapsed().as_secs_f64(),
        start.elapsed().as_secs_f64() * 1e6 / pages as f64
    );
}
