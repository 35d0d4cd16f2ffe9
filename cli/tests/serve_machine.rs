//! The store's one state machine (the library's `InstanceAction` and
//! `Scheduled` values, timed by the store) against a simple reference model
//! written here, over random interleavings of StopInstance, StartInstance,
//! RebootInstance, ReInitDisk (with and without AutoStartInstance) and
//! clock advances: the same answers and the same statuses at every step; no
//! disk `ReIniting` on a `Running` or `Starting` instance; nothing left in
//! a passing status once its time has passed; no accepted change lost.
//! 10,000 interleavings by default (`PROPTEST_CASES` overrides). And a
//! state saved at any step and loaded into a new store goes on as the
//! model does (2,500 interleavings).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use proptest::prelude::*;
use reinit_disk::model::{DiskStatus, InstanceStatus};
use reinit_disk::policy::Policy;
use reinit_disk::scenario::Scenario;
use reinit_disk::{InstanceAction, Refusal, Request};
use reinit_disk_cli::serve::{Store, Timings};

const REINIT_MS: u64 = 2_000;
const START_MS: u64 = 1_000;
const STOP_MS: u64 = 1_500;

/// Two instances: `i-0` with a system disk `d-0` and a data disk `d-1`,
/// `i-1` with a system disk `d-2`.
const DISKS: [(&str, usize); 3] = [("d-0", 0), ("d-1", 0), ("d-2", 1)];
const INSTANCES: [&str; 2] = ["i-0", "i-1"];

fn world(running: [bool; 2]) -> Scenario {
    let status = |r: bool| if r { "Running" } else { "Stopped" };
    Scenario::from_json(
        &serde_json::json!({
            "Disks": [
                {"DiskId": "d-0", "Type": "system", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-0", "ImageId": "m-1"},
                {"DiskId": "d-1", "Type": "data", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-0"},
                {"DiskId": "d-2", "Type": "system", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-1", "ImageId": "m-1"}
            ],
            "Instances": [
                {"InstanceId": "i-0", "Status": status(running[0])},
                {"InstanceId": "i-1", "Status": status(running[1])}
            ],
            "Images": [{"ImageId": "m-1", "ImageOwnerAlias": "system"}]
        })
        .to_string(),
    )
    .unwrap()
}

#[derive(Clone, Debug)]
enum Step {
    Instance(InstanceAction, usize),
    ReInit(usize, bool),
    Advance(u64),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (0..3usize, 0..2usize).prop_map(|(a, i)| {
            let action = [
                InstanceAction::Stop,
                InstanceAction::Start,
                InstanceAction::Reboot,
            ][a];
            Step::Instance(action, i)
        }),
        (0..3usize, any::<bool>()).prop_map(|(d, auto)| Step::ReInit(d, auto)),
        prop_oneof![0..10u64, 0..3_000u64].prop_map(Step::Advance),
    ]
}

/// What the reference model schedules.
#[derive(Clone, Debug)]
enum Due {
    Disk(usize),
    Instance(usize, InstanceStatus, InstanceStatus),
    AutoStart(usize),
}

/// The reference model: statuses and a list of due changes, applied in
/// (time, order made) order by a scan, each only if its record is still in
/// the status it expects.
#[derive(Clone, Debug)]
struct Model {
    disks: [DiskStatus; 3],
    instances: [InstanceStatus; 2],
    due: BTreeMap<(u64, u64), Due>,
    seq: u64,
    waiting: BTreeSet<usize>,
    now: u64,
}

impl Model {
    fn new(running: [bool; 2]) -> Self {
        let status = |r| {
            if r {
                InstanceStatus::Running
            } else {
                InstanceStatus::Stopped
            }
        };
        Self {
            disks: [DiskStatus::InUse; 3],
            instances: [status(running[0]), status(running[1])],
            due: BTreeMap::new(),
            seq: 0,
            waiting: BTreeSet::new(),
            now: 0,
        }
    }

    fn schedule(&mut self, at: u64, due: Due) {
        self.seq += 1;
        self.due.insert((at, self.seq), due);
    }

    fn reiniting(&self, instance: usize) -> bool {
        DISKS
            .iter()
            .zip(self.disks)
            .any(|((_, i), s)| *i == instance && s == DiskStatus::ReIniting)
    }

    fn start(&mut self, i: usize, at: u64) -> Result<(), Refusal> {
        if self.instances[i] != InstanceStatus::Stopped {
            return Err(Refusal::IncorrectStatus);
        }
        if self.reiniting(i) {
            return Err(Refusal::DiskReIniting);
        }
        self.instances[i] = InstanceStatus::Starting;
        self.schedule(
            at + START_MS,
            Due::Instance(i, InstanceStatus::Starting, InstanceStatus::Running),
        );
        Ok(())
    }

    fn instance(&mut self, action: InstanceAction, i: usize) -> Result<(), Refusal> {
        let now = self.now;
        let (from, during, after, ms) = match action {
            InstanceAction::Start => return self.start(i, now),
            InstanceAction::Stop => (
                InstanceStatus::Running,
                InstanceStatus::Stopping,
                InstanceStatus::Stopped,
                STOP_MS,
            ),
            InstanceAction::Reboot => (
                InstanceStatus::Running,
                InstanceStatus::Starting,
                InstanceStatus::Running,
                START_MS,
            ),
        };
        if self.instances[i] != from {
            return Err(Refusal::IncorrectStatus);
        }
        self.instances[i] = during;
        self.schedule(now + ms, Due::Instance(i, during, after));
        Ok(())
    }

    /// ReInitDisk as the engine decides it for this world: the disk
    /// `In_use`, its instance `Stopped`.
    fn reinit(&mut self, d: usize, auto: bool) -> bool {
        let i = DISKS[d].1;
        if self.disks[d] != DiskStatus::InUse || self.instances[i] != InstanceStatus::Stopped {
            return false;
        }
        self.disks[d] = DiskStatus::ReIniting;
        self.schedule(self.now + REINIT_MS, Due::Disk(d));
        if auto {
            self.schedule(self.now + REINIT_MS, Due::AutoStart(i));
        }
        true
    }

    fn advance(&mut self, to: u64) {
        while let Some(entry) = self.due.first_entry() {
            let (at, _) = *entry.key();
            if at > to {
                break;
            }
            let due = entry.remove();
            match due {
                Due::Disk(d) => {
                    if self.disks[d] == DiskStatus::ReIniting {
                        self.disks[d] = DiskStatus::InUse;
                        let i = DISKS[d].1;
                        if self.waiting.remove(&i) {
                            self.schedule(at, Due::AutoStart(i));
                        }
                    }
                }
                Due::Instance(i, expects, then) => {
                    if self.instances[i] == expects {
                        self.instances[i] = then;
                    }
                }
                Due::AutoStart(i) => {
                    if self.start(i, at) == Err(Refusal::DiskReIniting) {
                        self.waiting.insert(i);
                    }
                }
            }
        }
        self.now = to;
    }
}

fn statuses(store: &Store, now: u64) -> ([DiskStatus; 3], [InstanceStatus; 2]) {
    store.read(Duration::from_millis(now), |world, _| {
        let disk = |id| world.disk_record(id).unwrap().status;
        let instance = |id| world.instance_record(id).unwrap().status;
        (
            [disk("d-0"), disk("d-1"), disk("d-2")],
            [instance(INSTANCES[0]), instance(INSTANCES[1])],
        )
    })
}

fn check_invariants(disks: [DiskStatus; 3], instances: [InstanceStatus; 2]) {
    for ((id, i), status) in DISKS.iter().zip(disks) {
        if status == DiskStatus::ReIniting {
            assert!(
                !matches!(
                    instances[*i],
                    InstanceStatus::Running | InstanceStatus::Starting
                ),
                "{id} ReIniting on a {} instance",
                instances[*i]
            );
        }
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn the_store_follows_the_reference_model_in_any_interleaving(
        running in any::<[bool; 2]>(),
        steps in proptest::collection::vec(step(), 1..40),
    ) {
        let timings = Timings {
            reinit: Duration::from_millis(REINIT_MS),
            start: Duration::from_millis(START_MS),
            stop: Duration::from_millis(STOP_MS),
        };
        let store = Store::new(world(running), timings).unwrap();
        let policy = Policy::default();
        let mut model = Model::new(running);
        for step in &steps {
            match step {
                Step::Advance(ms) => model.advance(model.now + ms),
                Step::Instance(action, i) => {
                    let now = Duration::from_millis(model.now);
                    let got = store.instance_action(*action, INSTANCES[*i], now, false, None);
                    prop_assert_eq!(got, model.instance(*action, *i), "{:?} {}", action, i);
                }
                Step::ReInit(d, auto) => {
                    let mut request = Request::new(DISKS[*d].0);
                    if *auto {
                        request.auto_start_instance = Some("true");
                    }
                    let got = store.reinit(&request, &policy, Duration::from_millis(model.now));
                    prop_assert_eq!(got.is_ok(), model.reinit(*d, *auto), "{:?}", got);
                }
            }
            let (disks, instances) = statuses(&store, model.now);
            prop_assert_eq!((disks, instances), (model.disks, model.instances), "after {:?}", step);
            check_invariants(disks, instances);
        }
        // Long after the last change was due, nothing is passing.
        let end = model.now + 100 * (REINIT_MS + START_MS + STOP_MS);
        model.advance(end);
        let (disks, instances) = statuses(&store, end);
        prop_assert_eq!((disks, instances), (model.disks, model.instances));
        prop_assert!(disks.iter().all(|s| *s == DiskStatus::InUse), "{:?}", disks);
        prop_assert!(
            instances
                .iter()
                .all(|s| matches!(s, InstanceStatus::Running | InstanceStatus::Stopped)),
            "{:?}",
            instances
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases() / 4, ..ProptestConfig::default() })]

    /// `/_reinit-disk/state` and `--state` (issue 21): the world and its
    /// changes under way, saved at any moment (written as JSON and read
    /// back) and loaded into a new store whose clock starts there, go on
    /// exactly as the reference model does: the same answers and the same
    /// statuses at every later step.
    #[test]
    fn a_saved_state_loaded_into_a_new_store_goes_on_as_the_model_does(
        running in any::<[bool; 2]>(),
        steps in proptest::collection::vec(step(), 1..40),
        cut in any::<prop::sample::Index>(),
    ) {
        let timings = Timings {
            reinit: Duration::from_millis(REINIT_MS),
            start: Duration::from_millis(START_MS),
            stop: Duration::from_millis(STOP_MS),
        };
        let store = Store::new(world(running), timings).unwrap();
        let policy = Policy::default();
        let mut model = Model::new(running);
        let cut = cut.index(steps.len());
        let mut resumed: Option<(Store, u64)> = None;
        for (n, step) in steps.iter().enumerate() {
            if n == cut {
                let saved = store.to_scenario(Duration::from_millis(model.now));
                let text = serde_json::to_string(&saved).unwrap();
                let loaded = Scenario::from_json(&text).unwrap();
                prop_assert_eq!(&loaded, &saved);
                resumed = Some((Store::new(loaded, timings).unwrap(), model.now));
            }
            let (active, offset) = match &resumed {
                Some((store, offset)) => (store, *offset),
                None => (&store, 0),
            };
            let now = Duration::from_millis(model.now - offset);
            match step {
                Step::Advance(ms) => model.advance(model.now + ms),
                Step::Instance(action, i) => {
                    let got = active.instance_action(*action, INSTANCES[*i], now, false, None);
                    prop_assert_eq!(got, model.instance(*action, *i), "{:?} {}", action, i);
                }
                Step::ReInit(d, auto) => {
                    let mut request = Request::new(DISKS[*d].0);
                    if *auto {
                        request.auto_start_instance = Some("true");
                    }
                    let got = active.reinit(&request, &policy, now);
                    prop_assert_eq!(got.is_ok(), model.reinit(*d, *auto), "{:?}", got);
                }
            }
            let got = statuses(active, model.now - offset);
            prop_assert_eq!(got, (model.disks, model.instances), "after {:?} (saved before step {})", step, cut);
        }
        let end = model.now + 100 * (REINIT_MS + START_MS + STOP_MS);
        model.advance(end);
        let (active, offset) = resumed.as_ref().map_or((&store, 0), |(s, o)| (s, *o));
        prop_assert_eq!(statuses(active, end - offset), (model.disks, model.instances));
    }
}

/// The accepted changes are not lost: a re-init asked to start its instance
/// while the instance's other disk still re-inits starts it once the last
/// disk settles, not before and not never.
#[test]
fn an_auto_start_waits_for_the_last_disk_and_is_not_lost() {
    let timings = Timings {
        reinit: Duration::from_millis(REINIT_MS),
        start: Duration::from_millis(START_MS),
        stop: Duration::from_millis(STOP_MS),
    };
    let store = Store::new(world([false, false]), timings).unwrap();
    let policy = Policy::default();
    let mut first = Request::new("d-0");
    first.auto_start_instance = Some("true");
    store.reinit(&first, &policy, Duration::ZERO).unwrap();
    store
        .reinit(&Request::new("d-1"), &policy, Duration::from_millis(1_500))
        .unwrap();
    let at = |ms| statuses(&store, ms);
    assert_eq!(at(2_000).1[0], InstanceStatus::Stopped);
    assert_eq!(at(3_499).1[0], InstanceStatus::Stopped);
    assert_eq!(
        at(3_500),
        (
            [DiskStatus::InUse; 3],
            [InstanceStatus::Starting, InstanceStatus::Stopped]
        )
    );
    assert_eq!(at(4_500).1[0], InstanceStatus::Running);
}
