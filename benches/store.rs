//! `evaluate` on the server's store (`reinit_disk::serve::ResolvedWorld`,
//! each disk's references resolved at load) against the in-memory world's
//! lookup floor (issue 10, item 8: target at most 1.0x).
//!
//! For each case of benches/evaluate/cases.rs, on the same 100,000-disk
//! world held both ways, one right after the other:
//! - `store/<case>`: `evaluate` on a `Reader` of the resolved world (the
//!   reader made in the iteration, as the server makes one per decision);
//! - `in-memory/<case>`: `evaluate` on the `InMemoryWorld`, for reference;
//! - `in-memory-floor/<case>`: the lookups `evaluate` makes on the
//!   `InMemoryWorld` for that case, and nothing else.
//!
//! Then prints the table docs/performance.md shows. Run:
//! `cargo bench --bench store`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "evaluate/cases.rs"]
#[allow(dead_code)]
mod cases;
#[path = "evaluate/floor.rs"]
mod floor;

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use reinit_disk::serve::ResolvedWorld;
use reinit_disk::{World, evaluate};

const DISKS: usize = 100_000;
const MAX_TO_FLOOR: f64 = 1.0;

fn main() {
    let started = std::time::SystemTime::now();
    let world = cases::world(DISKS);
    let resolved = ResolvedWorld::from_records(
        world.disks().cloned().collect(),
        world.instances().cloned().collect(),
        world.images().cloned().collect(),
        world.snapshots().cloned().collect(),
        world.key_pairs().cloned().collect(),
        world.kms_keys().cloned().collect(),
        world.account(),
    )
    .unwrap();
    let cases = cases::cases();
    let mut lookups = Vec::new();
    for case in &cases {
        assert_eq!(
            evaluate(&case.request, &world, &case.policy)
                .err()
                .map(|r| r.code()),
            case.expect,
            "{} on the in-memory world",
            case.name
        );
        assert_eq!(
            evaluate(&case.request, &world, &case.policy).map(|t| t.to_owned()),
            evaluate(&case.request, &resolved.reader(), &case.policy).map(|t| t.to_owned()),
            "{}: the store decides otherwise",
            case.name
        );
        lookups.push(floor::record(&case.request, &world, &case.policy));
    }

    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    for (case, lookups) in cases.iter().zip(&lookups) {
        let mut group = c.benchmark_group("store");
        group.bench_function(case.name, |b| {
            b.iter(|| {
                let reader = black_box(&resolved).reader();
                black_box(evaluate(
                    black_box(&case.request),
                    &reader,
                    black_box(&case.policy),
                ))
                .is_ok()
            });
        });
        group.finish();
        let mut group = c.benchmark_group("in-memory");
        group.bench_function(case.name, |b| {
            b.iter(|| {
                black_box(evaluate(
                    black_box(&case.request),
                    black_box(&world),
                    black_box(&case.policy),
                ))
            });
        });
        group.finish();
        let mut group = c.benchmark_group("in-memory-floor");
        group.bench_function(case.name, |b| {
            b.iter(|| floor::floor(black_box(&world), lookups));
        });
        group.finish();
    }
    c.final_summary();
    summary(&cases, &lookups, started);
}

/// Prints the table docs/performance.md shows.
fn summary(cases: &[cases::Case], lookups: &[Vec<floor::Lookup>], started: std::time::SystemTime) {
    let mut rows = Vec::new();
    let mut over = 0;
    for (case, lookups) in cases.iter().zip(lookups) {
        let (Some(s), Some(m), Some(f)) = (
            floor::median("store", case.name, started),
            floor::median("in-memory", case.name, started),
            floor::median("in-memory-floor", case.name, started),
        ) else {
            return; // Not measured (e.g. `--test`, or a filter).
        };
        let to_floor = if lookups.is_empty() {
            "n/a (no lookup)".to_owned()
        } else {
            floor::ratio(s / f, MAX_TO_FLOOR, &mut over)
        };
        rows.push(format!(
            "| {} | {} | {s:.1} | {m:.1} | {f:.1} | {to_floor} | {:.2} |",
            case.name,
            floor::lookup_names(lookups),
            s / m
        ));
    }
    println!(
        "\n| case | in-memory lookups | store median (ns) | in-memory median (ns) | in-memory floor median (ns) | store / floor | store / in-memory |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|");
    for row in rows {
        println!("{row}");
    }
    println!(
        "\nstore / in-memory floor <= {MAX_TO_FLOOR}: {over} of {} cases with lookups over",
        lookups.iter().filter(|l| !l.is_empty()).count()
    );
}
