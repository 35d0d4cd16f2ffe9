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

use std::cell::RefCell;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::Criterion;
use reinit_disk::model::{DiskView, ImageView, InstanceView, SnapshotView};
use reinit_disk::revision::SEED;
use reinit_disk::{Code, InMemoryWorld, Policy, Request, Target, World, evaluate};

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

/// One lookup `evaluate` made.
enum Lookup {
    Disk(String),
    Instance(String),
    Image(String),
    Snapshot(String),
}

/// A world that writes down every lookup made through it.
struct Recorder<'w> {
    world: &'w InMemoryWorld,
    log: RefCell<Vec<Lookup>>,
}

impl World for Recorder<'_> {
    fn disk(&self, id: &str) -> Option<DiskView<'_>> {
        self.log.borrow_mut().push(Lookup::Disk(id.to_owned()));
        self.world.disk(id)
    }
    fn instance(&self, id: &str) -> Option<InstanceView<'_>> {
        self.log.borrow_mut().push(Lookup::Instance(id.to_owned()));
        self.world.instance(id)
    }
    fn image(&self, id: &str) -> Option<ImageView<'_>> {
        self.log.borrow_mut().push(Lookup::Image(id.to_owned()));
        self.world.image(id)
    }
    fn snapshot(&self, id: &str) -> Option<SnapshotView<'_>> {
        self.log.borrow_mut().push(Lookup::Snapshot(id.to_owned()));
        self.world.snapshot(id)
    }
}

/// The floor: exactly these lookups.
fn floor(world: &InMemoryWorld, lookups: &[Lookup]) {
    for lookup in lookups {
        match lookup {
            Lookup::Disk(id) => {
                black_box(world.disk(black_box(id)));
            }
            Lookup::Instance(id) => {
                black_box(world.instance(black_box(id)));
            }
            Lookup::Image(id) => {
                black_box(world.image(black_box(id)));
            }
            Lookup::Snapshot(id) => {
                black_box(world.snapshot(black_box(id)));
            }
        }
    }
}

fn lookup_names(lookups: &[Lookup]) -> String {
    let names: Vec<&str> = lookups
        .iter()
        .map(|l| match l {
            Lookup::Disk(_) => "disk",
            Lookup::Instance(_) => "instance",
            Lookup::Image(_) => "image",
            Lookup::Snapshot(_) => "snapshot",
        })
        .collect();
    if names.is_empty() {
        "none".to_owned()
    } else {
        names.join(" + ")
    }
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
        let recorder = Recorder {
            world: &world,
            log: RefCell::new(Vec::new()),
        };
        let decided = evaluate(&case.request, &recorder, &case.policy);
        assert_eq!(
            decided.err().map(|r| r.code()),
            case.expect,
            "{}",
            case.name
        );
        lookups.push(recorder.log.into_inner());
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
        group.bench_function(case.name, |b| b.iter(|| floor(black_box(&world), lookups)));
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

/// The median of a benchmark criterion has just measured, in nanoseconds.
fn median(group: &str, name: &str) -> Option<f64> {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    );
    let path = target
        .join("criterion")
        .join(group)
        .join(name)
        .join("new/estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}

/// `ratio` with a mark when it misses `max`.
fn ratio(ratio: f64, max: f64, missed: &mut usize) -> String {
    if ratio <= max {
        format!("{ratio:.2}")
    } else {
        *missed += 1;
        format!("**{ratio:.2}**")
    }
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
