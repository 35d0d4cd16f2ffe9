//! The server's store: the world behind one lock, the changes under way
//! (a re-init settling, an instance stopping or starting) with the time
//! each is due, and the world it was loaded with.
//!
//! Time is an argument (`now`, since the server started): the store never
//! reads a clock, so a test moves time by hand and nothing sleeps. Every
//! call first applies the changes due by `now`, so a client that polls sees
//! `ReIniting`, then `In_use`, without anything else asking.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicU64, Ordering as AtomicOrdering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use reinit_disk::catalogue::INTERNAL_ERROR;
use reinit_disk::ecs::{Fields, Kind, entry_to_serialize};
use reinit_disk::model::StoppedMode;
use reinit_disk::policy::Policy;
use reinit_disk::revision::Revision;
use reinit_disk::scenario::{ChangeUnderWay, Scenario, ScenarioError};
use reinit_disk::wire::{Exchange, ExchangeError, HttpRequest, Ids, exchange};
use reinit_disk::{Applied, InstanceAction, Refusal, Scheduled, Wait, WorldMut};
use reinit_disk::{Check, InMemoryWorld, Request, TransitionError, decide_and_begin};
use reinit_disk::{DeleteRefusal, DiskAction, DiskRefusal, SystemDiskDetach, delete_snapshot};
use reinit_disk::{OwnedTarget, Rejection, World as _};

/// How long each change takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timings {
    /// A re-init: `ReIniting` to `In_use` (`--reinit-seconds`, default 2).
    pub reinit: Duration,
    /// An instance starting: `Starting` to `Running` (`--start-seconds`).
    pub start: Duration,
    /// An instance stopping: `Stopping` to `Stopped` (`--stop-seconds`).
    pub stop: Duration,
    /// A disk attaching: `Attaching` to `In_use` (`--attach-seconds`).
    pub attach: Duration,
    /// A disk detaching: `Detaching` to `Available` (`--detach-seconds`).
    pub detach: Duration,
    /// A snapshot being made: the disk `CreatingSnapshot` until the
    /// snapshot exists (`--snapshot-seconds`).
    pub snapshot: Duration,
}

impl Timings {
    /// How long `wait` is.
    pub const fn of(&self, wait: Wait) -> Duration {
        match wait {
            Wait::Reinit => self.reinit,
            Wait::Start => self.start,
            Wait::Stop => self.stop,
            Wait::Attach => self.attach,
            Wait::Detach => self.detach,
            Wait::Snapshot => self.snapshot,
        }
    }
}

impl Default for Timings {
    fn default() -> Self {
        Self {
            reinit: Duration::from_secs(2),
            start: Duration::from_secs(2),
            stop: Duration::from_secs(2),
            attach: Duration::from_secs(2),
            detach: Duration::from_secs(2),
            snapshot: Duration::from_secs(2),
        }
    }
}

/// A change due at a time; `seq` keeps the changes due at the same time in
/// the order they were made.
#[derive(Clone, Debug)]
struct Due {
    at: Duration,
    seq: u64,
    change: Scheduled,
}

/// The earliest change first: [`BinaryHeap`] pops its greatest element.
impl Ord for Due {
    fn cmp(&self, other: &Self) -> Ordering {
        (other.at, other.seq).cmp(&(self.at, self.seq))
    }
}

impl PartialOrd for Due {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Due {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Due {}

/// The world and the changes under way.
struct State {
    world: InMemoryWorld,
    /// ECS's own fields of the world's records (a scenario's `"DiskName"`,
    /// a capture's `Size`): what the records show beyond the model's facts.
    fields: Fields,
    /// The scenario the world was loaded from (its `Ecs` fields moved to
    /// `fields`).
    scenario: Scenario,
    /// The changes under way, earliest first: a call finds what is due in
    /// constant time, whatever the number under way.
    due: BinaryHeap<Due>,
    /// The next change's `seq`.
    seq: u64,
    /// The instances whose auto-start waits for a disk to settle
    /// ([`Applied::Deferred`]).
    deferred: HashSet<String>,
    /// The `NextToken`s issued.
    tokens: Tokens,
    /// The number in the id of the next snapshot `CreateSnapshot` makes.
    next_snapshot: u64,
}

impl State {
    /// Applies every change due by `now`, in the order they fall due; a
    /// change that follows another is scheduled from the time the first
    /// fell due, not from `now`, so a chain due by `now` is done by `now`.
    fn advance(&mut self, now: Duration, timings: &Timings) {
        while self.due.peek().is_some_and(|d| d.at <= now) {
            let Some(due) = self.due.pop() else {
                break;
            };
            // A change whose record was replaced meanwhile (a new world
            // PUT) or has changed since is dropped: the library's guard.
            match due.change.apply(&mut self.world) {
                Ok(Applied::Done(Some((wait, next)))) => {
                    self.schedule(due.at + timings.of(wait), next);
                }
                Ok(Applied::Done(None)) => {
                    let world = &self.world;
                    let waiting = due
                        .change
                        .settles_disk_of(|id| {
                            world.disk_record(id).and_then(|d| d.instance_id.as_deref())
                        })
                        .filter(|id| self.deferred.contains(*id))
                        .map(str::to_owned);
                    if let Some(id) = waiting {
                        self.deferred.remove(&id);
                        self.schedule(due.at, Scheduled::AutoStart { id });
                    }
                }
                Ok(Applied::Deferred) => {
                    if let Scheduled::AutoStart { id } = due.change {
                        self.deferred.insert(id);
                    }
                }
                Ok(Applied::Dropped) | Err(_) => {}
            }
        }
    }

    /// Whether `snapshot_id` is a snapshot in progress (a `CreateSnapshot`
    /// whose change is under way, its disk still creating it).
    fn pending_snapshot(&self, snapshot_id: &str) -> bool {
        self.due.iter().any(|d| match &d.change {
            Scheduled::Snapshot { id, snapshot_id: s } => {
                s == snapshot_id
                    && self
                        .world
                        .disk_record(id)
                        .is_some_and(|d| d.creating_snapshot)
            }
            _ => false,
        })
    }

    /// Schedules `change` at `at`.
    fn schedule(&mut self, at: Duration, change: Scheduled) {
        let seq = self.seq;
        self.seq = self.seq.wrapping_add(1);
        self.due.push(Due { at, seq, change });
    }

    /// A state of `world`, built from `scenario`, loaded at `now`: the
    /// scenario's changes under way resume (each due its `InMillis` from
    /// `now`, in the order listed), and a disk or an instance in a
    /// transitional status with no change under way for it settles after
    /// its time (the library's [`Scheduled::settling_disk`] and
    /// [`Scheduled::settling_instance`]).
    fn load(
        world: InMemoryWorld,
        mut scenario: Scenario,
        now: Duration,
        timings: &Timings,
    ) -> Self {
        let changes = std::mem::take(&mut scenario.changes);
        let fields = std::mem::take(&mut scenario.ecs);
        let mut state = Self {
            world,
            fields,
            scenario,
            due: BinaryHeap::new(),
            seq: 0,
            deferred: HashSet::new(),
            tokens: Tokens::default(),
            next_snapshot: 0,
        };
        let mut disks: HashSet<&str> = HashSet::new();
        let mut instances: HashSet<&str> = HashSet::new();
        let mut snapshotting: HashSet<&str> = HashSet::new();
        for under_way in &changes {
            match &under_way.change {
                Scheduled::Disk { id, .. } | Scheduled::Detached { id } => {
                    disks.insert(id);
                }
                Scheduled::Snapshot { id, .. } => {
                    snapshotting.insert(id);
                }
                Scheduled::Instance { id, .. } => {
                    instances.insert(id);
                }
                Scheduled::AutoStart { .. } => {}
            }
        }
        let mut settling = Vec::new();
        for disk in state.world.disks() {
            if !disks.contains(disk.id.as_str()) {
                settling.extend(Scheduled::settling_disk(&disk.id, disk.status));
            }
            if !snapshotting.contains(disk.id.as_str()) {
                settling.extend(Scheduled::settling_snapshot(
                    &disk.id,
                    disk.creating_snapshot,
                ));
            }
        }
        for instance in state
            .world
            .instances()
            .filter(|i| !instances.contains(i.id.as_str()))
        {
            settling.extend(Scheduled::settling_instance(&instance.id, instance.status));
        }
        for under_way in &changes {
            let at = now.saturating_add(Duration::from_millis(under_way.in_millis));
            state.schedule(at, under_way.change.clone());
        }
        for (wait, change) in settling {
            state.schedule(now.saturating_add(timings.of(wait)), change);
        }
        state
    }

    /// The changes under way at `now` (which [`Self::advance`] has
    /// reached), as a scenario writes them: each with the milliseconds
    /// left, rounded up, earliest first (ties in the order they were made);
    /// an auto-start waiting for a disk to settle is due at once (loaded
    /// again, it waits again while a disk of its instance is `ReIniting`).
    fn changes_under_way(&self, now: Duration) -> Vec<ChangeUnderWay> {
        let mut deferred: Vec<&String> = self.deferred.iter().collect();
        deferred.sort();
        let mut due: Vec<&Due> = self.due.iter().collect();
        due.sort_by_key(|d| (d.at, d.seq));
        let waiting = deferred.into_iter().map(|id| ChangeUnderWay {
            in_millis: 0,
            change: Scheduled::AutoStart { id: id.clone() },
        });
        let timed = due.into_iter().map(|d| ChangeUnderWay {
            in_millis: millis_up(d.at.saturating_sub(now)),
            change: d.change.clone(),
        });
        waiting.chain(timed).collect()
    }
}

/// The records of `loaded`, in its order, each as the world has it now
/// (`current`: a patched record as patched).
fn now_of<'w, T: Clone + 'w>(loaded: &[T], current: impl Fn(&T) -> Option<&'w T>) -> Vec<T> {
    loaded
        .iter()
        .map(|r| current(r).unwrap_or(r).clone())
        .collect()
}

/// The snapshots of `world` as a scenario lists them: those `loaded` had,
/// in its order, as they are now, then those made since
/// (`CreateSnapshot`), by id.
fn snapshots_now(loaded: &Scenario, world: &InMemoryWorld) -> Vec<reinit_disk::model::Snapshot> {
    let mut snapshots = now_of(&loaded.snapshots, |s| world.snapshot_record(&s.id));
    let had: HashSet<&str> = loaded.snapshots.iter().map(|s| s.id.as_str()).collect();
    let mut made: Vec<_> = world
        .snapshots()
        .filter(|s| !had.contains(s.id.as_str()))
        .cloned()
        .collect();
    made.sort_by(|a, b| a.id.cmp(&b.id));
    snapshots.extend(made);
    snapshots
}

/// `record` as a scenario writes it, with its ECS fields in `fields`.
fn entry_to_value<M: Kind>(record: &M, fields: &Fields) -> serde_json::Result<serde_json::Value> {
    serde_json::to_value(entry_to_serialize(record, fields))
}

/// `duration` in whole milliseconds, rounded up.
fn millis_up(duration: Duration) -> u64 {
    let nanos = duration.as_nanos();
    u64::try_from(nanos.div_ceil(1_000_000)).unwrap_or(u64::MAX)
}

/// The `NextToken`s the store has issued, each naming the position in the
/// world's order a listing resumes from; at most [`Tokens::CAP`], the
/// oldest forgotten first. A new world forgets them all.
#[derive(Debug, Default)]
pub struct Tokens {
    issued: HashMap<String, (&'static str, usize)>,
    order: VecDeque<String>,
    next: u64,
}

impl Tokens {
    /// How many tokens are remembered.
    pub const CAP: usize = 100_000;

    /// A new token for `action`, resuming at `position`.
    pub fn issue(&mut self, action: &'static str, position: usize) -> String {
        self.next = self.next.wrapping_add(1);
        let token = format!("AAAAA{:016x}", self.next);
        if self.order.len() >= Self::CAP {
            if let Some(old) = self.order.pop_front() {
                self.issued.remove(&old);
            }
        }
        self.issued.insert(token.clone(), (action, position));
        self.order.push_back(token.clone());
        token
    }

    /// The position `token` resumes `action` at, if the store issued it
    /// for that action.
    pub fn resume(&self, action: &str, token: &str) -> Option<usize> {
        self.issued
            .get(token)
            .filter(|(a, _)| *a == action)
            .map(|(_, position)| *position)
    }
}

/// The world a server answers from, safe to share between threads.
pub struct Store {
    state: Mutex<State>,
    loaded: Scenario,
    timings: Timings,
    /// How many changes requests have made (an accepted action, a patch,
    /// a new world), counted under the lock: a snapshot taken at version
    /// `v` holds every change counted up to `v` (`--state`'s group
    /// commit).
    version: AtomicU64,
    /// How `DetachDisk` treats a system disk (`--system-disk-detach`).
    system_disk_detach: SystemDiskDetach,
}

impl Store {
    /// The store of `scenario`'s world (validated as `eval` validates it),
    /// at time zero: its changes under way (`Changes`) resume, and its
    /// transitional statuses with no change under way settle after their
    /// time.
    pub fn new(scenario: Scenario, timings: Timings) -> Result<Self, ScenarioError> {
        let world = scenario.to_world()?;
        Ok(Self {
            state: Mutex::new(State::load(
                world,
                scenario.clone(),
                Duration::ZERO,
                &timings,
            )),
            loaded: scenario,
            timings,
            version: AtomicU64::new(0),
            system_disk_detach: SystemDiskDetach::default(),
        })
    }

    /// The same store, `DetachDisk` treating a system disk as `rule` says
    /// (`--system-disk-detach`; default [`SystemDiskDetach::Refused`]).
    #[must_use]
    pub fn with_system_disk_detach(mut self, rule: SystemDiskDetach) -> Self {
        self.system_disk_detach = rule;
        self
    }

    /// How `DetachDisk` treats a system disk.
    pub const fn system_disk_detach(&self) -> SystemDiskDetach {
        self.system_disk_detach
    }

    /// How many changes requests have made so far (an accepted
    /// `ReInitDisk`, stop, start or reboot, a patch, a new world, a reset).
    /// A change made before this call is counted in the value it returns.
    pub fn version(&self) -> u64 {
        self.version.load(AtomicOrdering::SeqCst)
    }

    /// Counts a change, under the lock (`_state` proves it is held).
    fn changed(&self, _state: &State) {
        self.version.fetch_add(1, AtomicOrdering::SeqCst);
    }

    /// The world and its changes under way at `now` ([`Self::to_scenario`])
    /// with the [`Self::version`] it holds, read at one moment.
    pub fn snapshot(&self, now: Duration) -> (u64, Scenario) {
        let state = self.lock(now);
        let version = self.version();
        (version, Self::scenario_of(&state, now))
    }

    /// The timings.
    pub const fn timings(&self) -> Timings {
        self.timings
    }

    fn lock(&self, now: Duration) -> MutexGuard<'_, State> {
        // A panic while the lock was held cannot leave the world half
        // changed (each change is one field), so a poisoned lock is used.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.advance(now, &self.timings);
        state
    }

    /// The policy of the world loaded last, under `revision` when one is
    /// given (`--revision`; the policy's order is kept if it fits).
    pub fn policy(&self, revision: Option<&'static Revision>, now: Duration) -> Policy {
        policy_under(self.lock(now).scenario.policy, revision)
    }

    /// Answers a `ReInitDisk` request in one step under the store's one
    /// lock: the policy of the world loaded last (under `revision`, when
    /// given), the decision, the response and, when it is accepted, the
    /// re-init begun and its later stages scheduled. The library's
    /// [`exchange`] does all but the timing.
    pub fn exchange(
        &self,
        http: &HttpRequest<'_>,
        revision: Option<&'static Revision>,
        now: Duration,
        ids: &Ids<'_>,
    ) -> Result<Exchange, ExchangeError<TransitionError>> {
        let mut state = self.lock(now);
        let policy = policy_under(state.scenario.policy, revision);
        let done = exchange(http, &mut state.world, &policy, ids)?;
        if let Some(Ok(target)) = &done.outcome {
            self.schedule_stages(&mut state, target, now);
            self.changed(&state);
        }
        Ok(done)
    }

    /// Decides `request` and, if it is accepted, starts the re-init, in one
    /// step: of simultaneous requests for one disk, one is accepted and the
    /// others find it `ReIniting`. The disk settles `In_use` after
    /// [`Timings::reinit`]; with `AutoStartInstance`, the instance then
    /// starts (`Starting`, then `Running` after [`Timings::start`]).
    pub fn reinit(
        &self,
        request: &Request<'_>,
        policy: &Policy,
        now: Duration,
    ) -> Result<OwnedTarget, Rejection> {
        let mut state = self.lock(now);
        let target = match decide_and_begin(request, &mut state.world, policy) {
            Ok(outcome) => outcome?,
            // The disk and its instance were just read under this lock: the
            // stage applies; were it ever refused, InternalError.
            Err(_) => return Err(Rejection::new(&INTERNAL_ERROR, Check::DiskExists)),
        };
        self.schedule_stages(&mut state, &target, now);
        self.changed(&state);
        Ok(target)
    }

    /// Schedules what follows the re-init of `target` begun at `now`
    /// (the library's [`Scheduled::after_reinit`]): the disk settles after
    /// [`Timings::reinit`]; an auto-started instance then starts.
    fn schedule_stages(&self, state: &mut State, target: &OwnedTarget, now: Duration) {
        let transition = target.as_target().transition();
        for (wait, change) in Scheduled::after_reinit(&transition) {
            state.schedule(now + self.timings.of(wait), change);
        }
    }

    /// `StopInstance`, `StartInstance` or `RebootInstance` of the instance
    /// `id` at `now`, as the library's [`InstanceAction`] decides it: begun
    /// (its end scheduled), or, with `dry_run`, only checked. A stop keeps
    /// `stopped_mode` on the instance.
    pub fn instance_action(
        &self,
        action: InstanceAction,
        id: &str,
        now: Duration,
        dry_run: bool,
        stopped_mode: Option<StoppedMode>,
    ) -> Result<(), Refusal> {
        let mut state = self.lock(now);
        if dry_run {
            return action.check(&state.world, id);
        }
        let next = match action.begin(&mut state.world, id) {
            Ok(next) => next?,
            // The instance was just read under this lock: cannot happen.
            Err(_) => return Err(Refusal::NotFound),
        };
        if let Some(mode) = stopped_mode.filter(|_| action == InstanceAction::Stop) {
            let _ = state.world.set_stopped_mode(id, mode);
        }
        state.schedule(now + self.timings.of(action.wait()), next);
        self.changed(&state);
        Ok(())
    }

    /// `AttachDisk` or `DetachDisk` of the disk `disk_id` at `now`, as the
    /// library's [`DiskAction`] decides it: begun (its end scheduled), or,
    /// with `dry_run`, only checked.
    pub fn disk_action(
        &self,
        action: DiskAction<'_>,
        disk_id: &str,
        now: Duration,
        dry_run: bool,
    ) -> Result<(), DiskRefusal> {
        let mut state = self.lock(now);
        if dry_run {
            return action.check(&state.world, disk_id);
        }
        let next = match action.begin(&mut state.world, disk_id) {
            Ok(next) => next?,
            // The disk was just read under this lock: cannot happen.
            Err(_) => return Err(DiskRefusal::DiskNotFound),
        };
        state.schedule(now + self.timings.of(action.wait()), next);
        self.changed(&state);
        Ok(())
    }

    /// `CreateSnapshot` of the disk `disk_id` at `now`: the library's
    /// [`DiskAction::CreateSnapshot`] with a new snapshot id (`s-` and 20
    /// hexadecimal digits, none the world or a snapshot in progress has),
    /// which it returns; with `dry_run`, only checked (an empty id).
    pub fn create_snapshot(
        &self,
        disk_id: &str,
        now: Duration,
        dry_run: bool,
    ) -> Result<String, DiskRefusal> {
        let mut state = self.lock(now);
        let probe = DiskAction::CreateSnapshot { snapshot_id: "" };
        if dry_run {
            return probe.check(&state.world, disk_id).map(|()| String::new());
        }
        probe.check(&state.world, disk_id)?;
        let snapshot_id = loop {
            state.next_snapshot = state.next_snapshot.wrapping_add(1);
            let id = format!("s-{:020x}", state.next_snapshot);
            if state.world.snapshot_record(&id).is_none() && !state.pending_snapshot(&id) {
                break id;
            }
        };
        let action = DiskAction::CreateSnapshot {
            snapshot_id: &snapshot_id,
        };
        let next = match action.begin(&mut state.world, disk_id) {
            Ok(next) => next?,
            Err(_) => return Err(DiskRefusal::DiskNotFound),
        };
        state.schedule(now + self.timings.of(action.wait()), next);
        self.changed(&state);
        Ok(snapshot_id)
    }

    /// `DeleteSnapshot` of `snapshot_id` at `now` (the library's
    /// [`delete_snapshot`]); a snapshot still in progress is refused with
    /// [`SnapshotRefusal::InProgress`]. With `dry_run`, only checked.
    pub fn delete_snapshot(
        &self,
        snapshot_id: &str,
        force: bool,
        now: Duration,
        dry_run: bool,
    ) -> Result<(), SnapshotRefusal> {
        let mut state = self.lock(now);
        if state.pending_snapshot(snapshot_id) {
            return Err(SnapshotRefusal::InProgress);
        }
        match delete_snapshot(&mut state.world, snapshot_id, force, dry_run) {
            Ok(Ok(())) => {}
            Ok(Err(refusal)) => return Err(SnapshotRefusal::Refused(refusal)),
            Err(_) => return Err(SnapshotRefusal::Refused(DeleteRefusal::NotFound)),
        }
        if !dry_run {
            self.changed(&state);
        }
        Ok(())
    }

    /// Reads the world at `now` with the snapshots in progress (each its
    /// disk's id and its own, in the order they fall due) and the
    /// `NextToken`s issued, under the store's lock (`DescribeSnapshots`).
    pub fn read_snapshots<R>(
        &self,
        now: Duration,
        read: impl FnOnce(&InMemoryWorld, &Fields, &[(String, String)], &mut Tokens) -> R,
    ) -> R {
        let mut state = self.lock(now);
        let state = &mut *state;
        let mut due: Vec<&Due> = state.due.iter().collect();
        due.sort_by_key(|d| (d.at, d.seq));
        let pending: Vec<(String, String)> = due
            .into_iter()
            .filter_map(|d| match &d.change {
                Scheduled::Snapshot { id, snapshot_id } => Some((id.clone(), snapshot_id.clone())),
                _ => None,
            })
            .filter(|(disk, _)| {
                state
                    .world
                    .disk_record(disk)
                    .is_some_and(|d| d.creating_snapshot)
            })
            .collect();
        read(&state.world, &state.fields, &pending, &mut state.tokens)
    }

    /// Sets facts of one record (`PATCH /_reinit-disk/KIND/ID`): `patch` is
    /// a JSON object of the record's fields in the scenario format, laid
    /// over the record as it is at `now`; the result is validated as a
    /// scenario record is (with the records it names, as the world has
    /// them), then replaces the record. A patch that sets `Status` drops
    /// the changes under way for that record (it has changed since). An
    /// invalid patch changes nothing.
    pub fn patch(
        &self,
        kind: RecordKind,
        id: &str,
        patch: &serde_json::Value,
        now: Duration,
    ) -> Result<(), PatchError> {
        let serde_json::Value::Object(fields) = patch else {
            return Err(PatchError::Invalid(ScenarioError::new(
                ".",
                "a patch is a JSON object of the record's fields, as a scenario spells them",
            )));
        };
        let mut guard = self.lock(now);
        let state: &mut State = &mut guard;
        let world = &mut state.world;
        // The record as a scenario writes it: the model's fields, then its
        // ECS fields.
        let own = &state.fields;
        let current = match kind {
            RecordKind::Disk => world.disk_record(id).map(|r| entry_to_value(r, own)),
            RecordKind::Instance => world.instance_record(id).map(|r| entry_to_value(r, own)),
            RecordKind::Image => world.image_record(id).map(|r| entry_to_value(r, own)),
            RecordKind::Snapshot => world.snapshot_record(id).map(|r| entry_to_value(r, own)),
            RecordKind::KeyPair => world.key_pair_record(id).map(|r| entry_to_value(r, own)),
            RecordKind::KmsKey => world.kms_key_record(id).map(serde_json::to_value),
        };
        let Some(Ok(serde_json::Value::Object(mut record))) = current else {
            return Err(PatchError::NotFound);
        };
        for (name, value) in fields {
            record.insert(name.clone(), value.clone());
        }
        if record
            .get(kind.id_field())
            .and_then(serde_json::Value::as_str)
            != Some(id)
        {
            return Err(PatchError::Invalid(ScenarioError::new(
                kind.id_field(),
                "a record's id cannot be changed",
            )));
        }
        let mut document = serde_json::Map::new();
        if kind == RecordKind::Disk {
            named_by(world, &record, &mut document);
        }
        document.insert(
            kind.list().to_owned(),
            serde_json::Value::Array(vec![serde_json::Value::Object(record)]),
        );
        let prefix = format!("{}[0].", kind.list());
        let mut scenario = Scenario::from_json(&serde_json::Value::Object(document).to_string())
            .map_err(|e| {
                let path = e.path.strip_prefix(&prefix).unwrap_or(&e.path).to_owned();
                PatchError::Invalid(ScenarioError::new(path, e.message))
            })?;
        let sets_status = fields.contains_key("Status");
        let sets_snapshot = kind == RecordKind::Disk && fields.contains_key("CreatingSnapshot");
        let replaced = match kind {
            RecordKind::Disk => scenario
                .disks
                .pop()
                .map(|disk| world.replace_disk(disk).is_ok()),
            RecordKind::Instance => scenario
                .instances
                .pop()
                .and_then(|new| world.instance_mut(id).map(|old| *old = new))
                .map(|()| true),
            RecordKind::Image => scenario
                .images
                .pop()
                .and_then(|new| world.image_mut(id).map(|old| *old = new))
                .map(|()| true),
            RecordKind::Snapshot => scenario
                .snapshots
                .pop()
                .and_then(|new| world.snapshot_mut(id).map(|mut old| *old = new))
                .map(|()| true),
            RecordKind::KeyPair => scenario
                .key_pairs
                .pop()
                .and_then(|new| world.key_pair_mut(id).map(|old| *old = new))
                .map(|()| true),
            RecordKind::KmsKey => scenario
                .kms_keys
                .pop()
                .and_then(|new| world.kms_key_mut(id).map(|old| *old = new))
                .map(|()| true),
        };
        if replaced != Some(true) {
            return Err(PatchError::NotFound);
        }
        // The record's ECS fields are the patched record's, all of them (a
        // field patched to `null` is unset).
        let given = &scenario.ecs;
        let own = &mut state.fields;
        match kind {
            RecordKind::Disk => {
                own.set_disk(id, given.disk(id).cloned().unwrap_or_default());
            }
            RecordKind::Instance => {
                own.set_instance(id, given.instance(id).cloned().unwrap_or_default());
            }
            RecordKind::Image => {
                own.set_image(id, given.image(id).cloned().unwrap_or_default());
            }
            RecordKind::Snapshot => {
                own.set_snapshot(id, given.snapshot(id).cloned().unwrap_or_default());
            }
            RecordKind::KeyPair => {
                own.set_key_pair(id, given.key_pair(id).cloned().unwrap_or_default());
            }
            RecordKind::KmsKey => {}
        }
        if sets_status || sets_snapshot {
            let concerns = |change: &Scheduled| match kind {
                RecordKind::Disk => {
                    change.disk_id() == Some(id)
                        && match change {
                            Scheduled::Snapshot { .. } => sets_snapshot,
                            _ => sets_status,
                        }
                }
                RecordKind::Instance => change.instance_id() == Some(id),
                RecordKind::Image
                | RecordKind::Snapshot
                | RecordKind::KeyPair
                | RecordKind::KmsKey => false,
            };
            let due = std::mem::take(&mut state.due);
            state.due = due.into_iter().filter(|d| !concerns(&d.change)).collect();
            if kind == RecordKind::Instance {
                state.deferred.remove(id);
            }
        }
        self.changed(state);
        Ok(())
    }

    /// Reads the world as it is at `now`, under the store's lock, with the
    /// `NextToken`s issued: `read` pages a listing without copying the
    /// records that are not on the page.
    pub fn read<R>(
        &self,
        now: Duration,
        read: impl FnOnce(&InMemoryWorld, &Fields, &mut Tokens) -> R,
    ) -> R {
        let mut state = self.lock(now);
        let state = &mut *state;
        read(&state.world, &state.fields, &mut state.tokens)
    }

    /// The world as it is at `now`, as a scenario document (its policy the
    /// loaded one; no request), with its changes under way (`Changes`, the
    /// time left counted from `now`): loaded again, the changes resume.
    pub fn to_scenario(&self, now: Duration) -> Scenario {
        // One lock: the records and the changes as they are at one moment.
        let state = self.lock(now);
        Self::scenario_of(&state, now)
    }

    /// `state` at `now` as a scenario document: every record as the world
    /// has it now (patched ones included), in the order loaded.
    fn scenario_of(state: &State, now: Duration) -> Scenario {
        let world = &state.world;
        let loaded = &state.scenario;
        Scenario {
            description: loaded.description.clone(),
            request: BTreeMap::new(),
            disks: world.disks().cloned().collect(),
            instances: world.instances().cloned().collect(),
            images: now_of(&loaded.images, |i| world.image_record(&i.id)),
            snapshots: snapshots_now(loaded, world),
            key_pairs: now_of(&loaded.key_pairs, |k| world.key_pair_record(&k.name)),
            kms_keys: now_of(&loaded.kms_keys, |k| world.kms_key_record(&k.id)),
            account: world.account(),
            policy: loaded.policy,
            changes: state.changes_under_way(now),
            ecs: state.fields.clone(),
        }
    }

    /// Back to the world loaded at start; the changes under way are
    /// dropped.
    pub fn reset(&self, now: Duration) -> Result<(), ScenarioError> {
        self.replace(self.loaded.clone(), now)
    }

    /// Replaces the world (and its policy) by `scenario`'s; the changes
    /// under way are dropped. A scenario that is not valid changes nothing.
    pub fn replace(&self, scenario: Scenario, now: Duration) -> Result<(), ScenarioError> {
        let world = scenario.to_world()?;
        let mut state = self.lock(now);
        *state = State::load(world, scenario, now, &self.timings);
        self.changed(&state);
        Ok(())
    }
}

/// The kinds of record `PATCH /_reinit-disk/KIND/ID` sets facts of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordKind {
    /// `disks`.
    Disk,
    /// `instances`.
    Instance,
    /// `images`.
    Image,
    /// `snapshots`.
    Snapshot,
    /// `key-pairs`.
    KeyPair,
    /// `kms-keys`.
    KmsKey,
}

impl RecordKind {
    /// The kind a path segment names (`disks`, `instances`, `images`,
    /// `snapshots`, `key-pairs`, `kms-keys`).
    pub fn from_path(segment: &str) -> Option<Self> {
        match segment {
            "disks" => Some(Self::Disk),
            "instances" => Some(Self::Instance),
            "images" => Some(Self::Image),
            "snapshots" => Some(Self::Snapshot),
            "key-pairs" => Some(Self::KeyPair),
            "kms-keys" => Some(Self::KmsKey),
            _ => None,
        }
    }

    /// The scenario's list of this kind.
    pub const fn list(self) -> &'static str {
        match self {
            Self::Disk => "Disks",
            Self::Instance => "Instances",
            Self::Image => "Images",
            Self::Snapshot => "Snapshots",
            Self::KeyPair => "KeyPairs",
            Self::KmsKey => "KmsKeys",
        }
    }

    /// The record's id field.
    pub const fn id_field(self) -> &'static str {
        match self {
            Self::Disk => "DiskId",
            Self::Instance => "InstanceId",
            Self::Image => "ImageId",
            Self::Snapshot => "SnapshotId",
            Self::KeyPair => "KeyPairName",
            Self::KmsKey => "KeyId",
        }
    }
}

/// Why `DeleteSnapshot` is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SnapshotRefusal {
    /// The snapshot is still being made (`Operation.Conflict`).
    InProgress,
    /// The library's refusal.
    Refused(DeleteRefusal),
}

/// Why a patch is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatchError {
    /// No such record.
    NotFound,
    /// The patched record is not a valid scenario record (the path inside
    /// the record).
    Invalid(ScenarioError),
}

/// Adds to `document` the records a patched disk `record` names that the
/// world has (its instance, image, source snapshot, KMS key), so that the
/// scenario format checks the disk's references as it checks a world's.
fn named_by(
    world: &mut InMemoryWorld,
    record: &serde_json::Map<String, serde_json::Value>,
    document: &mut serde_json::Map<String, serde_json::Value>,
) {
    let named = |field: &str| record.get(field).and_then(serde_json::Value::as_str);
    let mut add = |list: &str, value: Option<Result<serde_json::Value, serde_json::Error>>| {
        if let Some(Ok(value)) = value {
            document.insert(list.to_owned(), serde_json::Value::Array(vec![value]));
        }
    };
    add(
        "Instances",
        named("InstanceId")
            .and_then(|id| world.instance_record(id))
            .map(serde_json::to_value),
    );
    add(
        "Images",
        named("ImageId")
            .and_then(|id| world.image_mut(id))
            .map(|i| serde_json::to_value(&*i)),
    );
    add(
        "Snapshots",
        named("SourceSnapshotId")
            .and_then(|id| world.snapshot_mut(id))
            .map(|s| serde_json::to_value(&*s)),
    );
    add(
        "KmsKeys",
        named("KMSKeyId")
            .and_then(|id| world.kms_keys().find(|k| k.id == id))
            .map(serde_json::to_value),
    );
}

/// `policy` under `revision`, when one is given: its answers kept, and its
/// order if that order fits the revision (else the revision's own).
fn policy_under(policy: Policy, revision: Option<&'static Revision>) -> Policy {
    match revision {
        Some(r) => policy.with_revision(r).unwrap_or_else(|_| Policy::new(r)),
        None => policy,
    }
}
