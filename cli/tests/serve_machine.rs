//! The store's one state machine (the library's `InstanceAction`,
//! `DiskAction` and `Scheduled` values, timed by the store) against a
//! simple reference model written here, over random interleavings of
//! StopInstance, StartInstance, RebootInstance, ReInitDisk (with and without
//! AutoStartInstance), AttachDisk, DetachDisk, CreateSnapshot and clock
//! advances: the same answers, statuses, attachments and snapshots at every
//! step, under either rule for a system disk's detach; no disk `ReIniting`
//! on a `Running` or `Starting` instance; nothing
//! left in a passing status (nor a snapshot in progress) once its time has
//! passed; no accepted change lost (every accepted snapshot made).
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
use reinit_disk::{DiskAction, DiskRefusal, InstanceAction, Refusal, Request, SystemDiskDetach};
use reinit_disk_cli::serve::{RecordKind, Store, Timings};

const REINIT_MS: u64 = 2_000;
const START_MS: u64 = 1_000;
const STOP_MS: u64 = 1_500;
const ATTACH_MS: u64 = 700;
const DETACH_MS: u64 = 900;
const SNAPSHOT_MS: u64 = 2_500;

/// Two instances: `i-0` with a system disk `d-0` and a data disk `d-1`,
/// `i-1` with a system disk `d-2`; `d-3`, a data disk attached to none.
/// (The disk's instance as loaded; attach and detach change it.)
const DISKS: [(&str, Option<usize>); 4] = [
    ("d-0", Some(0)),
    ("d-1", Some(0)),
    ("d-2", Some(1)),
    ("d-3", None),
];
/// Which disks are system disks (detached only under
/// `SystemDiskDetach::WhenStopped`, from a stopped instance, and attached
/// only to a stopped one).
const SYSTEM: [bool; 4] = [true, false, true, false];
const INSTANCES: [&str; 2] = ["i-0", "i-1"];

const TIMINGS: Timings = Timings {
    reinit: Duration::from_millis(REINIT_MS),
    start: Duration::from_millis(START_MS),
    stop: Duration::from_millis(STOP_MS),
    attach: Duration::from_millis(ATTACH_MS),
    detach: Duration::from_millis(DETACH_MS),
    snapshot: Duration::from_millis(SNAPSHOT_MS),
};

fn world(running: [bool; 2]) -> Scenario {
    let status = |r: bool| if r { "Running" } else { "Stopped" };
    Scenario::from_json(
        &serde_json::json!({
            "Disks": [
                {"DiskId": "d-0", "Type": "system", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-0", "ImageId": "m-1"},
                {"DiskId": "d-1", "Type": "data", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-0"},
                {"DiskId": "d-2", "Type": "system", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-1", "ImageId": "m-1"},
                {"DiskId": "d-3", "Type": "data", "Category": "cloud_essd", "Status": "Available"}
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
    Attach(usize, usize),
    Detach(usize, usize),
    Snapshot(usize),
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
        (0..4usize, any::<bool>()).prop_map(|(d, auto)| Step::ReInit(d, auto)),
        (0..4usize, 0..2usize).prop_map(|(d, i)| Step::Attach(d, i)),
        (0..4usize, 0..2usize).prop_map(|(d, i)| Step::Detach(d, i)),
        (0..4usize).prop_map(Step::Snapshot),
        prop_oneof![0..10u64, 0..3_000u64].prop_map(Step::Advance),
    ]
}

/// Runs `step` on `store` at `now` and on `model`: their answers must be
/// the same.
fn run(store: &Store, model: &mut Model, step: &Step, now: Duration) -> Result<(), TestCaseError> {
    let policy = Policy::default();
    match step {
        Step::Advance(ms) => model.advance(model.now + ms),
        Step::Instance(action, i) => {
            let got = store.instance_action(*action, INSTANCES[*i], now, false, None);
            prop_assert_eq!(got, model.instance(*action, *i), "{:?} {}", action, i);
        }
        Step::ReInit(d, auto) => {
            let mut request = Request::new(DISKS[*d].0);
            if *auto {
                request.auto_start_instance = Some("true");
            }
            let got = store.reinit(&request, &policy, now);
            prop_assert_eq!(got.is_ok(), model.reinit(*d, *auto), "{:?}", got);
        }
        Step::Attach(d, i) => {
            let action = DiskAction::Attach {
                instance_id: INSTANCES[*i],
            };
            let got = store.disk_action(action, DISKS[*d].0, now, false);
            prop_assert_eq!(got, model.attach(*d, *i), "attach {} {}", d, i);
        }
        Step::Detach(d, i) => {
            let action = DiskAction::Detach {
                instance_id: INSTANCES[*i],
                system_disk: store.system_disk_detach(),
            };
            let got = store.disk_action(action, DISKS[*d].0, now, false);
            prop_assert_eq!(got, model.detach(*d, *i), "detach {} {}", d, i);
        }
        Step::Snapshot(d) => {
            let got = store.create_snapshot(DISKS[*d].0, now, false).map(|_| ());
            prop_assert_eq!(got, model.snapshot(*d), "snapshot {}", d);
        }
    }
    Ok(())
}

/// What the reference model schedules.
#[derive(Clone, Debug)]
enum Due {
    Disk(usize),
    Instance(usize, InstanceStatus, InstanceStatus),
    AutoStart(usize),
    Attached(usize),
    Detached(usize),
    Snapshot(usize),
}

/// The reference model: statuses and a list of due changes, applied in
/// (time, order made) order by a scan, each only if its record is still in
/// the status it expects.
#[derive(Clone, Debug)]
struct Model {
    disks: [DiskStatus; 4],
    /// Each disk's instance.
    attached: [Option<usize>; 4],
    /// Whether a snapshot of each disk is being made.
    creating: [bool; 4],
    /// How many snapshots were made.
    made: usize,
    /// How a system disk is detached.
    system_disk_detach: SystemDiskDetach,
    instances: [InstanceStatus; 2],
    due: BTreeMap<(u64, u64), Due>,
    seq: u64,
    waiting: BTreeSet<usize>,
    now: u64,
}

impl Model {
    fn new(running: [bool; 2], system_disk_detach: SystemDiskDetach) -> Self {
        let status = |r| {
            if r {
                InstanceStatus::Running
            } else {
                InstanceStatus::Stopped
            }
        };
        Self {
            disks: [
                DiskStatus::InUse,
                DiskStatus::InUse,
                DiskStatus::InUse,
                DiskStatus::Available,
            ],
            attached: DISKS.map(|(_, i)| i),
            creating: [false; 4],
            made: 0,
            system_disk_detach,
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
        self.attached
            .iter()
            .zip(self.disks)
            .any(|(i, s)| *i == Some(instance) && s == DiskStatus::ReIniting)
    }

    /// An instance a disk may be attached to or detached from, or snapshot
    /// on: `Running` or `Stopped`.
    fn settled(&self, i: usize) -> bool {
        matches!(
            self.instances[i],
            InstanceStatus::Running | InstanceStatus::Stopped
        )
    }

    fn attach(&mut self, d: usize, i: usize) -> Result<(), DiskRefusal> {
        if self.disks[d] != DiskStatus::Available {
            return Err(DiskRefusal::IncorrectDiskStatus);
        }
        let takes = if SYSTEM[d] {
            self.instances[i] == InstanceStatus::Stopped
        } else {
            self.settled(i)
        };
        if !takes {
            return Err(DiskRefusal::IncorrectInstanceStatus);
        }
        self.disks[d] = DiskStatus::Attaching;
        self.attached[d] = Some(i);
        self.schedule(self.now + ATTACH_MS, Due::Attached(d));
        Ok(())
    }

    fn detach(&mut self, d: usize, i: usize) -> Result<(), DiskRefusal> {
        if self.disks[d] != DiskStatus::InUse {
            return Err(DiskRefusal::IncorrectDiskStatus);
        }
        if self.attached[d] != Some(i) {
            return Err(DiskRefusal::NotAttachedToInstance);
        }
        let takes = match (SYSTEM[d], self.system_disk_detach) {
            (true, SystemDiskDetach::Refused) => return Err(DiskRefusal::SystemDisk),
            (true, SystemDiskDetach::WhenStopped) => self.instances[i] == InstanceStatus::Stopped,
            (false, _) => self.settled(i),
        };
        if !takes {
            return Err(DiskRefusal::IncorrectInstanceStatus);
        }
        self.disks[d] = DiskStatus::Detaching;
        self.schedule(self.now + DETACH_MS, Due::Detached(d));
        Ok(())
    }

    fn snapshot(&mut self, d: usize) -> Result<(), DiskRefusal> {
        if self.creating[d] {
            return Err(DiskRefusal::SnapshotInProgress);
        }
        if !matches!(self.disks[d], DiskStatus::InUse | DiskStatus::Available) {
            return Err(DiskRefusal::IncorrectDiskStatus);
        }
        if self.attached[d].is_some_and(|i| !self.settled(i)) {
            return Err(DiskRefusal::IncorrectInstanceStatus);
        }
        self.creating[d] = true;
        self.schedule(self.now + SNAPSHOT_MS, Due::Snapshot(d));
        Ok(())
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
    /// `In_use`, no snapshot of it in progress, its instance `Stopped`.
    fn reinit(&mut self, d: usize, auto: bool) -> bool {
        let Some(i) = self.attached[d] else {
            return false;
        };
        if self.disks[d] != DiskStatus::InUse
            || self.creating[d]
            || self.instances[i] != InstanceStatus::Stopped
        {
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
                        let i = self.attached[d].unwrap();
                        if self.waiting.remove(&i) {
                            self.schedule(at, Due::AutoStart(i));
                        }
                    }
                }
                Due::Attached(d) => {
                    if self.disks[d] == DiskStatus::Attaching {
                        self.disks[d] = DiskStatus::InUse;
                    }
                }
                Due::Detached(d) => {
                    if self.disks[d] == DiskStatus::Detaching {
                        self.disks[d] = DiskStatus::Available;
                        self.attached[d] = None;
                    }
                }
                Due::Snapshot(d) => {
                    if self.creating[d] {
                        self.creating[d] = false;
                        self.made += 1;
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

/// What the store and the model are compared on.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Seen {
    disks: [DiskStatus; 4],
    attached: [Option<usize>; 4],
    creating: [bool; 4],
    made: usize,
    instances: [InstanceStatus; 2],
}

impl Model {
    fn seen(&self) -> Seen {
        Seen {
            disks: self.disks,
            attached: self.attached,
            creating: self.creating,
            made: self.made,
            instances: self.instances,
        }
    }
}

/// The snapshots the world loaded with.
const LOADED_SNAPSHOTS: usize = 0;

fn statuses(store: &Store, now: u64) -> Seen {
    store.read(Duration::from_millis(now), |world, _, _| {
        let disk = |d: usize| world.disk_record(DISKS[d].0).unwrap();
        let instance = |id| world.instance_record(id).unwrap().status;
        let index = |id: &str| INSTANCES.iter().position(|i| *i == id).unwrap();
        Seen {
            disks: [0, 1, 2, 3].map(|d| disk(d).status),
            attached: [0, 1, 2, 3].map(|d| disk(d).instance_id.as_deref().map(index)),
            creating: [0, 1, 2, 3].map(|d| disk(d).creating_snapshot),
            made: world.snapshots().count() - LOADED_SNAPSHOTS,
            instances: [instance(INSTANCES[0]), instance(INSTANCES[1])],
        }
    })
}

fn check_invariants(seen: &Seen) {
    for (d, status) in seen.disks.iter().enumerate() {
        if *status == DiskStatus::ReIniting {
            let i = seen.attached[d].unwrap();
            assert!(
                !matches!(
                    seen.instances[i],
                    InstanceStatus::Running | InstanceStatus::Starting
                ),
                "{} ReIniting on a {} instance",
                DISKS[d].0,
                seen.instances[i]
            );
        }
    }
}

/// Long after the last change was due: nothing passing, no snapshot in
/// progress.
fn check_settled(seen: &Seen) -> Result<(), TestCaseError> {
    prop_assert!(
        seen.disks
            .iter()
            .all(|s| matches!(s, DiskStatus::InUse | DiskStatus::Available)),
        "{:?}",
        seen.disks
    );
    prop_assert!(seen.creating.iter().all(|c| !c), "{:?}", seen.creating);
    prop_assert!(
        seen.instances
            .iter()
            .all(|s| matches!(s, InstanceStatus::Running | InstanceStatus::Stopped)),
        "{:?}",
        seen.instances
    );
    Ok(())
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
        today in any::<bool>(),
        steps in proptest::collection::vec(step(), 1..40),
    ) {
        let rule = if today { SystemDiskDetach::WhenStopped } else { SystemDiskDetach::Refused };
        let store = Store::new(world(running), TIMINGS).unwrap().with_system_disk_detach(rule);
        let mut model = Model::new(running, rule);
        for step in &steps {
            let now = Duration::from_millis(model.now);
            run(&store, &mut model, step, now)?;
            let seen = statuses(&store, model.now);
            prop_assert_eq!(&seen, &model.seen(), "after {:?}", step);
            check_invariants(&seen);
        }
        // Long after the last change was due, nothing is passing, and every
        // snapshot accepted is made.
        let end = model.now + 100 * (REINIT_MS + START_MS + STOP_MS + SNAPSHOT_MS);
        model.advance(end);
        let seen = statuses(&store, end);
        prop_assert_eq!(&seen, &model.seen());
        check_settled(&seen)?;
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
        today in any::<bool>(),
        steps in proptest::collection::vec(step(), 1..40),
        cut in any::<prop::sample::Index>(),
    ) {
        let rule = if today { SystemDiskDetach::WhenStopped } else { SystemDiskDetach::Refused };
        let store = Store::new(world(running), TIMINGS).unwrap().with_system_disk_detach(rule);
        let mut model = Model::new(running, rule);
        let cut = cut.index(steps.len());
        let mut resumed: Option<(Store, u64)> = None;
        for (n, step) in steps.iter().enumerate() {
            if n == cut {
                let saved = store.to_scenario(Duration::from_millis(model.now));
                let text = serde_json::to_string(&saved).unwrap();
                let loaded = Scenario::from_json(&text).unwrap();
                prop_assert_eq!(&loaded, &saved);
                let store = Store::new(loaded, TIMINGS).unwrap().with_system_disk_detach(rule);
                resumed = Some((store, model.now));
            }
            let (active, offset) = match &resumed {
                Some((store, offset)) => (store, *offset),
                None => (&store, 0),
            };
            let now = Duration::from_millis(model.now - offset);
            run(active, &mut model, step, now)?;
            let got = statuses(active, model.now - offset);
            prop_assert_eq!(&got, &model.seen(), "after {:?} (saved before step {})", step, cut);
        }
        let end = model.now + 100 * (REINIT_MS + START_MS + STOP_MS + SNAPSHOT_MS);
        model.advance(end);
        let (active, offset) = resumed.as_ref().map_or((&store, 0), |(s, o)| (s, *o));
        let seen = statuses(active, end - offset);
        prop_assert_eq!(&seen, &model.seen());
        check_settled(&seen)?;
    }
}

/// The accepted changes are not lost: a re-init asked to start its instance
/// while the instance's other disk still re-inits starts it once the last
/// disk settles, not before and not never.
#[test]
fn an_auto_start_waits_for_the_last_disk_and_is_not_lost() {
    let store = Store::new(world([false, false]), TIMINGS).unwrap();
    let policy = Policy::default();
    let mut first = Request::new("d-0");
    first.auto_start_instance = Some("true");
    store.reinit(&first, &policy, Duration::ZERO).unwrap();
    store
        .reinit(&Request::new("d-1"), &policy, Duration::from_millis(1_500))
        .unwrap();
    let at = |ms| statuses(&store, ms);
    assert_eq!(at(2_000).instances[0], InstanceStatus::Stopped);
    assert_eq!(at(3_499).instances[0], InstanceStatus::Stopped);
    let settled = at(3_500);
    assert_eq!(&settled.disks[..3], &[DiskStatus::InUse; 3]);
    assert_eq!(
        settled.instances,
        [InstanceStatus::Starting, InstanceStatus::Stopped]
    );
    assert_eq!(at(4_500).instances[0], InstanceStatus::Running);
}

/// The changes under way at `ms`, as `--state` writes them: each the
/// record it is for (a disk's id, or an instance's) and whether it is an
/// auto-start.
fn under_way(store: &Store, ms: u64) -> Vec<(String, bool)> {
    use reinit_disk::Scheduled;
    store
        .to_scenario(Duration::from_millis(ms))
        .changes
        .iter()
        .map(|c| {
            let id = c.change.disk_id().or(c.change.instance_id()).unwrap_or("");
            (
                id.to_owned(),
                matches!(c.change, Scheduled::AutoStart { .. }),
            )
        })
        .collect()
}

fn patch(store: &Store, kind: RecordKind, id: &str, fields: serde_json::Value, ms: u64) {
    store
        .patch(kind, id, &fields, Duration::from_millis(ms))
        .unwrap();
}

/// A patch that sets a record's `Status` drops that record's changes under
/// way (it has changed since), and no other record's.
#[test]
fn a_patched_status_drops_that_records_changes_under_way_and_no_others() {
    let store = Store::new(world([false, false]), TIMINGS).unwrap();
    let policy = Policy::default();
    for id in ["d-0", "d-2"] {
        store
            .reinit(&Request::new(id), &policy, Duration::ZERO)
            .unwrap();
    }
    patch(
        &store,
        RecordKind::Disk,
        "d-0",
        serde_json::json!({"Status": "In_use"}),
        500,
    );
    assert_eq!(under_way(&store, 500), [("d-2".to_owned(), false)]);
    let settled = statuses(&store, REINIT_MS);
    assert_eq!(settled.disks[..3], [DiskStatus::InUse; 3]);
}

/// A patch that sets no `Status` (nor `CreatingSnapshot`) keeps every
/// change under way: the record's own fields are not its status.
#[test]
fn a_patch_without_a_status_keeps_the_records_changes_under_way() {
    let store = Store::new(world([false, false]), TIMINGS).unwrap();
    store
        .instance_action(InstanceAction::Start, "i-1", Duration::ZERO, false, None)
        .unwrap();
    store.create_snapshot("d-3", Duration::ZERO, false).unwrap();
    patch(
        &store,
        RecordKind::Instance,
        "i-1",
        serde_json::json!({"InstanceName": "web"}),
        100,
    );
    patch(
        &store,
        RecordKind::Disk,
        "d-3",
        serde_json::json!({"DiskName": "logs"}),
        100,
    );
    assert_eq!(
        under_way(&store, 100),
        [("i-1".to_owned(), false), ("d-3".to_owned(), false)]
    );
    let seen = statuses(&store, SNAPSHOT_MS);
    assert_eq!(seen.instances[1], InstanceStatus::Running);
    assert_eq!((seen.creating[3], seen.made), (false, 1));
}

/// An auto-start waiting for its instance's last disk is a change under
/// way for the instance: a patch of the instance's `Status` drops it, and
/// the instance is not started behind the test's back.
#[test]
fn a_patched_instance_status_drops_its_waiting_auto_start() {
    let store = Store::new(world([false, false]), TIMINGS).unwrap();
    let policy = Policy::default();
    let mut first = Request::new("d-0");
    first.auto_start_instance = Some("true");
    store.reinit(&first, &policy, Duration::ZERO).unwrap();
    store
        .reinit(&Request::new("d-1"), &policy, Duration::from_millis(1_500))
        .unwrap();
    // At 2.5 s, d-0 has settled and its auto-start waits for d-1.
    assert_eq!(
        under_way(&store, 2_500),
        [("i-0".to_owned(), true), ("d-1".to_owned(), false)]
    );
    patch(
        &store,
        RecordKind::Instance,
        "i-0",
        serde_json::json!({"Status": "Stopped"}),
        2_500,
    );
    assert_eq!(under_way(&store, 2_500), [("d-1".to_owned(), false)]);
    let later = statuses(&store, 3_500 + START_MS);
    assert_eq!(later.disks[..2], [DiskStatus::InUse; 2]);
    assert_eq!(later.instances[0], InstanceStatus::Stopped);
}
