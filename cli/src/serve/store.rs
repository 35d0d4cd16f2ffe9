//! The server's store: the world behind one lock, the changes under way
//! (a re-init settling, an instance stopping or starting) with the time
//! each is due, and the world it was loaded with.
//!
//! Time is an argument (`now`, since the server started): the store never
//! reads a clock, so a test moves time by hand and nothing sleeps. Every
//! call first applies the changes due by `now`, so a client that polls sees
//! `ReIniting`, then `In_use`, without anything else asking.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use reinit_disk::catalogue::INTERNAL_ERROR;
use reinit_disk::model::{Disk, DiskStatus, Instance, InstanceStatus};
use reinit_disk::policy::Policy;
use reinit_disk::revision::Revision;
use reinit_disk::scenario::{Scenario, ScenarioError};
use reinit_disk::wire::{Exchange, ExchangeError, HttpRequest, Ids, exchange};
use reinit_disk::{Check, InMemoryWorld, Request, TransitionError, decide_and_begin};
use reinit_disk::{OwnedTarget, Rejection};
use reinit_disk::{Stage, WorldMut};

/// How long each change takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timings {
    /// A re-init: `ReIniting` to `In_use` (`--reinit-seconds`, default 2).
    pub reinit: Duration,
    /// An instance starting: `Starting` to `Running` (`--start-seconds`).
    pub start: Duration,
    /// An instance stopping: `Stopping` to `Stopped` (`--stop-seconds`).
    pub stop: Duration,
}

impl Default for Timings {
    fn default() -> Self {
        Self {
            reinit: Duration::from_secs(2),
            start: Duration::from_secs(2),
            stop: Duration::from_secs(2),
        }
    }
}

/// A change due at a time; `seq` keeps the changes due at the same time in
/// the order they were made.
#[derive(Clone, Debug)]
struct Due {
    at: Duration,
    seq: u64,
    change: Change,
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

#[derive(Clone, Debug)]
enum Change {
    Disk(String, DiskStatus),
    Instance(String, InstanceStatus),
}

/// The world and the changes under way.
struct State {
    world: InMemoryWorld,
    scenario: Scenario,
    /// The changes under way, earliest first: a call finds what is due in
    /// constant time, whatever the number under way.
    due: BinaryHeap<Due>,
    /// The next change's `seq`.
    seq: u64,
}

impl State {
    /// Applies every change due by `now`, in the order they fall due.
    fn advance(&mut self, now: Duration) {
        while self.due.peek().is_some_and(|d| d.at <= now) {
            let Some(due) = self.due.pop() else {
                break;
            };
            // A change whose disk or instance was replaced meanwhile (a new
            // world PUT) is dropped with the world: nothing to apply.
            let _ = match &due.change {
                Change::Disk(id, status) => self.world.set_disk_status(id, *status),
                Change::Instance(id, status) => self.world.set_instance_status(id, *status),
            };
        }
    }

    /// Schedules `change` at `at`.
    fn schedule(&mut self, at: Duration, change: Change) {
        let seq = self.seq;
        self.seq = self.seq.wrapping_add(1);
        self.due.push(Due { at, seq, change });
    }
}

fn collect<'a, T: Clone + 'a>(
    records: impl Iterator<Item = &'a T>,
    keep: impl Fn(&T) -> bool,
) -> Vec<T> {
    records.filter(|r| keep(r)).cloned().collect()
}

/// The world a server answers from, safe to share between threads.
pub struct Store {
    state: Mutex<State>,
    loaded: Scenario,
    timings: Timings,
}

/// Why a stop or a start is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstanceError {
    /// No such instance (`InvalidInstanceId.NotFound`).
    NotFound,
    /// Not in the status the action needs (`IncorrectInstanceStatus`).
    IncorrectStatus,
}

impl Store {
    /// The store of `scenario`'s world (validated as `eval` validates it).
    pub fn new(scenario: Scenario, timings: Timings) -> Result<Self, ScenarioError> {
        let world = scenario.to_world()?;
        Ok(Self {
            state: Mutex::new(State {
                world,
                scenario: scenario.clone(),
                due: BinaryHeap::new(),
                seq: 0,
            }),
            loaded: scenario,
            timings,
        })
    }

    /// The timings.
    pub const fn timings(&self) -> Timings {
        self.timings
    }

    fn lock(&self, now: Duration) -> MutexGuard<'_, State> {
        // A panic while the lock was held cannot leave the world half
        // changed (each change is one field), so a poisoned lock is used.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        state.advance(now);
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
        Ok(target)
    }

    /// Schedules the stages of `target`'s re-init after its first (begun
    /// at `now`): the disk settles after [`Timings::reinit`]; an instance
    /// started afterwards is `Running` [`Timings::start`] later.
    fn schedule_stages(&self, state: &mut State, target: &OwnedTarget, now: Duration) {
        let transition = target.as_target().transition();
        let settled = now + self.timings.reinit;
        let mut at = settled;
        for stage in transition.stages().iter().skip(1) {
            if let Stage {
                instance: Some(InstanceStatus::Running),
                ..
            } = stage
            {
                at = settled + self.timings.start;
            }
            if let Some(status) = stage.disk {
                state.schedule(at, Change::Disk(target.disk_id.clone(), status));
            }
            if let Some(status) = stage.instance {
                state.schedule(at, Change::Instance(target.instance_id.clone(), status));
            }
        }
    }

    /// `StopInstance`: `Running` to `Stopping`, then `Stopped` after
    /// [`Timings::stop`].
    pub fn stop_instance(&self, id: &str, now: Duration) -> Result<(), InstanceError> {
        self.instance_change(
            id,
            now,
            InstanceStatus::Running,
            [InstanceStatus::Stopping, InstanceStatus::Stopped],
            self.timings.stop,
        )
    }

    /// `StartInstance`: `Stopped` to `Starting`, then `Running` (started
    /// once, from then on) after [`Timings::start`].
    pub fn start_instance(&self, id: &str, now: Duration) -> Result<(), InstanceError> {
        self.instance_change(
            id,
            now,
            InstanceStatus::Stopped,
            [InstanceStatus::Starting, InstanceStatus::Running],
            self.timings.start,
        )
    }

    fn instance_change(
        &self,
        id: &str,
        now: Duration,
        from: InstanceStatus,
        [during, after]: [InstanceStatus; 2],
        takes: Duration,
    ) -> Result<(), InstanceError> {
        let mut state = self.lock(now);
        let instance = state
            .world
            .instance_mut(id)
            .ok_or(InstanceError::NotFound)?;
        if instance.status != from {
            return Err(InstanceError::IncorrectStatus);
        }
        instance.status = during;
        state.schedule(now + takes, Change::Instance(id.to_owned(), after));
        Ok(())
    }

    /// The disks that pass `keep`, as they are at `now`, in the order the
    /// loaded world lists them (the world gains none but by a new world);
    /// with `ids`, only those (looked up by id, not found by a scan).
    pub fn disks(
        &self,
        now: Duration,
        ids: Option<&[String]>,
        keep: impl Fn(&Disk) -> bool,
    ) -> Vec<Disk> {
        let state = self.lock(now);
        match ids {
            Some(ids) => collect(state.world.disks_named(ids), keep),
            None => collect(state.world.disks(), keep),
        }
    }

    /// The instances that pass `keep`, in the loaded world's order; with
    /// `ids`, only those.
    pub fn instances(
        &self,
        now: Duration,
        ids: Option<&[String]>,
        keep: impl Fn(&Instance) -> bool,
    ) -> Vec<Instance> {
        let state = self.lock(now);
        match ids {
            Some(ids) => collect(state.world.instances_named(ids), keep),
            None => collect(state.world.instances(), keep),
        }
    }

    /// `read` applied to the world as it is at `now`, under the store's
    /// lock (what a `Describe*` answer's records need beyond the page:
    /// the layout of devices and addresses, reinit_disk::ecs::Layout).
    pub fn with_world<R>(&self, now: Duration, read: impl FnOnce(&InMemoryWorld) -> R) -> R {
        read(&self.lock(now).world)
    }

    /// The world as it is at `now`, as a scenario document (its policy the
    /// loaded one; no request).
    pub fn to_scenario(&self, now: Duration) -> Scenario {
        // One lock: the disks and instances as they are at one moment.
        let state = self.lock(now);
        let mut scenario = state.scenario.clone();
        scenario.request.clear();
        scenario.disks = state.world.disks().cloned().collect();
        scenario.instances = state.world.instances().cloned().collect();
        scenario
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
        state.world = world;
        state.scenario = scenario;
        state.due.clear();
        state.seq = 0;
        Ok(())
    }
}

/// `policy` under `revision`, when one is given: its answers kept, and its
/// order if that order fits the revision (else the revision's own).
fn policy_under(policy: Policy, revision: Option<&'static Revision>) -> Policy {
    match revision {
        Some(r) => policy.with_revision(r).unwrap_or_else(|_| Policy::new(r)),
        None => policy,
    }
}
