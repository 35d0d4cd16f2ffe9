//! The lookup floor of a case and criterion's medians, shared by
//! benches/evaluate.rs and benches/store.rs.
//!
//! The floor of a case on an [`InMemoryWorld`]: exactly the disk, instance,
//! image and snapshot lookups `evaluate` makes for it (recorded by running it
//! once through a [`Recorder`]), and nothing else.

use std::cell::RefCell;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::SystemTime;

use reinit_disk::model::{DiskView, ImageView, InstanceView, SnapshotView};
use reinit_disk::{InMemoryWorld, Policy, Request, World, evaluate};

/// One lookup `evaluate` made.
pub enum Lookup {
    Disk(String),
    Instance(String),
    Image(String),
    Snapshot(String),
}

/// A world that records the lookups made through it.
pub struct Recorder<'w> {
    pub world: &'w InMemoryWorld,
    pub log: RefCell<Vec<Lookup>>,
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

/// The lookups `evaluate` makes for `request` on `world`.
pub fn record(request: &Request<'_>, world: &InMemoryWorld, policy: &Policy) -> Vec<Lookup> {
    let recorder = Recorder {
        world,
        log: RefCell::new(Vec::new()),
    };
    let _ = evaluate(request, &recorder, policy);
    recorder.log.into_inner()
}

/// Makes `lookups` on `world`, and nothing else.
pub fn floor(world: &InMemoryWorld, lookups: &[Lookup]) {
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

/// `disk + instance + image`, or `none`.
pub fn lookup_names(lookups: &[Lookup]) -> String {
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

/// The median of a benchmark criterion measured in this run (its estimates
/// written at or after `since`, the start of the run), in nanoseconds;
/// `None` for one not measured in this run (filtered out, or `--test`),
/// whose estimates on disk, if any, are an earlier run's.
pub fn median(group: &str, name: &str, since: SystemTime) -> Option<f64> {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target"),
        PathBuf::from,
    );
    let path = target
        .join("criterion")
        .join(group)
        .join(name)
        .join("new/estimates.json");
    let written = std::fs::metadata(&path).ok()?.modified().ok()?;
    if written < since {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json["median"]["point_estimate"].as_f64()
}

/// `ratio` with a mark when it misses `max`.
pub fn ratio(ratio: f64, max: f64, missed: &mut usize) -> String {
    if ratio <= max {
        format!("{ratio:.2}")
    } else {
        *missed += 1;
        format!("**{ratio:.2}**")
    }
}
