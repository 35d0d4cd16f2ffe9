//! `evaluate` on a world of 100,000 disks, for accepted requests and for every
//! rejection, beside its floor: the same disk, instance, image and snapshot
//! lookups `evaluate` makes for that request, and nothing else.
//!
//! `cargo bench --bench evaluate` runs both groups (`evaluate/<case>`,
//! `floor/<case>`), then prints a table of medians and ratios
//! (docs/performance.md).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "evaluate/cases.rs"]
mod cases;

use std::cell::RefCell;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::Criterion;
use reinit_disk::model::{Disk, Image, Instance, Snapshot};
use reinit_disk::{InMemoryWorld, World, evaluate};

/// The number of disks in the benchmark world.
const DISKS: usize = 100_000;

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
    fn disk(&self, id: &str) -> Option<&Disk> {
        self.log.borrow_mut().push(Lookup::Disk(id.to_owned()));
        self.world.disk(id)
    }
    fn instance(&self, id: &str) -> Option<&Instance> {
        self.log.borrow_mut().push(Lookup::Instance(id.to_owned()));
        self.world.instance(id)
    }
    fn image(&self, id: &str) -> Option<&Image> {
        self.log.borrow_mut().push(Lookup::Image(id.to_owned()));
        self.world.image(id)
    }
    fn snapshot(&self, id: &str) -> Option<&Snapshot> {
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

    let mut group = c.benchmark_group("evaluate");
    for case in &cases {
        group.bench_function(case.name, |b| {
            b.iter(|| {
                black_box(evaluate(
                    black_box(&case.request),
                    black_box(&world),
                    black_box(&case.policy),
                ))
            });
        });
    }
    group.finish();

    let mut group = c.benchmark_group("floor");
    for (case, lookups) in cases.iter().zip(&lookups) {
        group.bench_function(case.name, |b| b.iter(|| floor(black_box(&world), lookups)));
    }
    group.finish();

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

/// Prints the table docs/performance.md shows.
fn summary(cases: &[cases::Case], lookups: &[Vec<Lookup>]) {
    let mut rows = Vec::new();
    for (case, lookups) in cases.iter().zip(lookups) {
        let (Some(e), Some(f)) = (median("evaluate", case.name), median("floor", case.name)) else {
            return; // Not measured (e.g. `--test`, or a filter).
        };
        let ratio = if lookups.is_empty() {
            "n/a (no lookup)".to_owned()
        } else {
            format!("{:.2}", e / f)
        };
        rows.push(format!(
            "| {} | {} | {e:.1} | {f:.1} | {ratio} |",
            case.name,
            lookup_names(lookups)
        ));
    }
    println!("\n| case | lookups | evaluate median (ns) | floor median (ns) | ratio |");
    println!("|---|---|---:|---:|---:|");
    for row in rows {
        println!("{row}");
    }
}
