//! `evaluate` on a world of 100,000 disks, for accepted requests and for every
//! rejection, beside two baselines:
//!
//! - `by-hand/<case>`: the seed rules written by hand as one plain function
//!   of `if`s ([`by_hand`]) over the same world, through the same `World`
//!   trait, returning the same kind of answer (the target, or the code);
//! - `floor/<case>`: the same disk, instance, image and snapshot lookups
//!   `evaluate` makes for that request, and nothing else.
//!
//! - `revision-2025/<case>`: the same request decided under the 2025-02-27
//!   revision (its 21 world checks; the cases both revisions share).
//!
//! `cargo bench --bench evaluate` runs the four groups (`evaluate/<case>`,
//! `by-hand/<case>`, `floor/<case>`, `revision-2025/<case>`; case by case,
//! one after the other), then prints a table of medians and ratios
//! (docs/performance.md). Targets (issues 7 and 8): evaluate at most 1.25x
//! the hand-written function and at most 1.5x the floor, for every case; the
//! 2025-02-27 revision at most 1.25x the seed revision on the cases both
//! share. Before measuring, it also asserts every case of the 2025-02-27
//! revision (tests/alloc.rs proves none allocates).
//! Before measuring, it asserts that the hand-written function agrees with
//! `evaluate` on every case and on every disk of the world, so that the
//! baseline does the same work.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "evaluate/by_hand.rs"]
mod by_hand;
use by_hand::by_hand;
#[path = "evaluate/cases.rs"]
mod cases;
#[path = "evaluate/floor.rs"]
mod floor;

use floor::{Lookup, lookup_names, median, ratio};

use std::hint::black_box;
use std::time::Duration;

use criterion::Criterion;
use reinit_disk::revision::SEED;
use reinit_disk::{Code, InMemoryWorld, Policy, Request, Target, evaluate};

/// The number of disks in the benchmark world.
const DISKS: usize = 100_000;

/// The targets of issue 7.
const MAX_TO_BY_HAND: f64 = 1.25;
const MAX_TO_FLOOR: f64 = 1.5;
/// The target of issue 8.
const MAX_2025_TO_SEED: f64 = 1.25;

/// `evaluate`'s answer in `by_hand`'s terms.
fn answer<'w>(outcome: Result<Target<'w>, reinit_disk::Rejection>) -> Result<Target<'w>, Code> {
    outcome.map_err(|r| r.code())
}

/// The hand-written function answers as `evaluate` does: on every case, and
/// on every disk of the world with each strategy under each case's policy.
fn assert_by_hand_agrees(world: &InMemoryWorld, cases: &[cases::Case]) {
    for case in cases {
        assert!(
            case.policy.has_default_order() && case.policy.revision() == &SEED,
            "{}: by_hand knows the seed revision's default order only",
            case.name
        );
        assert_eq!(
            by_hand(&case.request, world, &case.policy),
            answer(evaluate(&case.request, world, &case.policy)),
            "{}: by_hand disagrees with evaluate",
            case.name
        );
    }
    let mut policies: Vec<Policy> = Vec::new();
    for case in cases {
        if !policies.contains(&case.policy) {
            policies.push(case.policy);
        }
    }
    let mut checked = 0;
    for disk in world.disks() {
        for strategy in [None, Some("Active"), Some("Deactive")] {
            let request = Request {
                security_enhancement_strategy: strategy,
                ..Request::new(&disk.id)
            };
            for policy in &policies {
                assert_eq!(
                    by_hand(&request, world, policy),
                    answer(evaluate(&request, world, policy)),
                    "{request:?} under {policy:?}: by_hand disagrees with evaluate"
                );
                checked += 1;
            }
        }
    }
    println!(
        "by_hand agrees with evaluate on {} cases and {checked} requests over every disk",
        cases.len()
    );
}

fn main() {
    let world = cases::world(DISKS);
    let cases = cases::cases();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();

    let mut lookups = Vec::new();
    for case in &cases {
        assert_eq!(
            evaluate(&case.request, &world, &case.policy)
                .err()
                .map(|r| r.code()),
            case.expect,
            "{}",
            case.name
        );
        lookups.push(floor::record(&case.request, &world, &case.policy));
    }
    assert_by_hand_agrees(&world, &cases);
    let account = cases::account_world();
    let cases_2025 = cases::cases_2025();
    for case in &cases_2025 {
        let w = if case.account_refuses {
            &account
        } else {
            &world
        };
        assert_eq!(
            evaluate(&case.request, w, &case.policy)
                .err()
                .map(|r| r.code()),
            case.expect,
            "2025-02-27 {}",
            case.name
        );
    }
    // The cases both revisions share: the seed's, under 2025-02-27.
    let shared = &cases_2025[..cases.len()];

    // Case by case, the three measurements one after the other: on a shared
    // machine the load changes from minute to minute, so each ratio compares
    // medians taken close together.
    for ((case, lookups), case_2025) in cases.iter().zip(&lookups).zip(shared) {
        let mut group = c.benchmark_group("evaluate");
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
        let mut group = c.benchmark_group("by-hand");
        group.bench_function(case.name, |b| {
            b.iter(|| {
                black_box(by_hand(
                    black_box(&case.request),
                    black_box(&world),
                    black_box(&case.policy),
                ))
            });
        });
        group.finish();
        let mut group = c.benchmark_group("floor");
        group.bench_function(case.name, |b| {
            b.iter(|| floor::floor(black_box(&world), lookups))
        });
        group.finish();
        let mut group = c.benchmark_group("revision-2025");
        group.bench_function(case.name, |b| {
            b.iter(|| {
                black_box(evaluate(
                    black_box(&case_2025.request),
                    black_box(&world),
                    black_box(&case_2025.policy),
                ))
            });
        });
        group.finish();
    }

    c.final_summary();
    summary(&cases, &lookups);
}

/// Prints the table docs/performance.md shows.
fn summary(cases: &[cases::Case], lookups: &[Vec<Lookup>]) {
    let mut rows = Vec::new();
    let (mut over_hand, mut over_floor, mut over_seed) = (0, 0, 0);
    for (case, lookups) in cases.iter().zip(lookups) {
        let (Some(e), Some(h), Some(f), Some(r)) = (
            median("evaluate", case.name),
            median("by-hand", case.name),
            median("floor", case.name),
            median("revision-2025", case.name),
        ) else {
            return; // Not measured (e.g. `--test`, or a filter).
        };
        let to_seed = ratio(r / e, MAX_2025_TO_SEED, &mut over_seed);
        let to_hand = ratio(e / h, MAX_TO_BY_HAND, &mut over_hand);
        let to_floor = if lookups.is_empty() {
            "n/a (no lookup)".to_owned()
        } else {
            ratio(e / f, MAX_TO_FLOOR, &mut over_floor)
        };
        rows.push(format!(
            "| {} | {} | {e:.1} | {h:.1} | {f:.1} | {r:.1} | {to_hand} | {to_floor} | {to_seed} |",
            case.name,
            lookup_names(lookups)
        ));
    }
    println!(
        "\n| case | lookups | evaluate median (ns) | by-hand median (ns) | floor median (ns) | 2025-02-27 median (ns) | evaluate / by-hand | evaluate / floor | 2025-02-27 / seed |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for row in rows {
        println!("{row}");
    }
    println!(
        "\nevaluate / by-hand <= {MAX_TO_BY_HAND}: {} of {} cases over; evaluate / floor <= {MAX_TO_FLOOR}: {} of {} cases with lookups over",
        over_hand,
        cases.len(),
        over_floor,
        lookups.iter().filter(|l| !l.is_empty()).count()
    );
    println!(
        "2025-02-27 / seed <= {MAX_2025_TO_SEED}: {over_seed} of {} cases over",
        cases.len()
    );
}
