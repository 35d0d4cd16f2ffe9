//! The transition: what an accepted re-init does to the world, stage by
//! stage, as a value any store applies.
//!
//! The disk goes `In_use` → `ReIniting` (stage 1, at once) → `In_use`
//! (stage 2, when the re-init settles), on the same instance, its id, source
//! and attachment kept. Asked to (`AutoStartInstance=true`), the instance
//! then goes `Starting` (stage 3) → `Running` (stage 4). A store applies a stage through [`WorldMut`]; the
//! crate's [`InMemoryWorld`](crate::InMemoryWorld) does, and so does any
//! emulator's (examples/emulator.rs).

use serde::{Deserialize, Serialize};

use crate::model::{DiskStatus, InstanceStatus, StoppedMode};

/// One stage of a transition: the statuses the disk and its instance take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Stage {
    /// The disk's new status, if it changes.
    pub disk: Option<DiskStatus>,
    /// The instance's new status, if it changes.
    pub instance: Option<InstanceStatus>,
}

/// A re-init: the disk is `ReIniting`, then `In_use` again.
const REINIT: &[Stage] = &[
    Stage {
        disk: Some(DiskStatus::ReIniting),
        instance: None,
    },
    Stage {
        disk: Some(DiskStatus::InUse),
        instance: None,
    },
];

/// A re-init, then the instance started: `Starting`, then `Running`.
const REINIT_AND_START: &[Stage] = &[
    Stage {
        disk: Some(DiskStatus::ReIniting),
        instance: None,
    },
    Stage {
        disk: Some(DiskStatus::InUse),
        instance: None,
    },
    Stage {
        disk: None,
        instance: Some(InstanceStatus::Starting),
    },
    Stage {
        disk: None,
        instance: Some(InstanceStatus::Running),
    },
];

/// What an accepted re-init does, stage by stage. The first stage happens
/// as the request is accepted, so that a second request meanwhile gets
/// `IncorrectDiskStatus`; the later ones as the re-init settles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Transition<'a> {
    /// The disk.
    pub disk_id: &'a str,
    /// The instance it is attached to.
    pub instance_id: &'a str,
    stages: &'static [Stage],
}

impl<'a> Transition<'a> {
    /// The re-init of `disk_id`, attached to `instance_id`.
    pub const fn reinit(disk_id: &'a str, instance_id: &'a str) -> Self {
        Self {
            disk_id,
            instance_id,
            stages: REINIT,
        }
    }

    /// The same re-init, then the instance started (`Starting`, then
    /// `Running`) if `auto_start`.
    #[must_use]
    pub const fn with_auto_start(mut self, auto_start: bool) -> Self {
        self.stages = if auto_start { REINIT_AND_START } else { REINIT };
        self
    }

    /// Whether the instance is started once the disk has settled.
    pub const fn starts_instance(&self) -> bool {
        self.stages.len() > REINIT.len()
    }

    /// The stages, in order.
    pub const fn stages(&self) -> &'static [Stage] {
        self.stages
    }

    /// The disk's status while the re-init runs (`ReIniting`).
    pub fn disk_during(&self) -> DiskStatus {
        self.stages
            .first()
            .and_then(|s| s.disk)
            .unwrap_or(DiskStatus::ReIniting)
    }

    /// The disk's status once the re-init has settled (`In_use`).
    pub fn disk_after(&self) -> DiskStatus {
        self.stages
            .iter()
            .rev()
            .find_map(|s| s.disk)
            .unwrap_or(DiskStatus::InUse)
    }

    /// The instance's status once every stage is applied, if a stage changes
    /// it (`Running` for an auto-started instance).
    pub fn instance_after(&self) -> Option<InstanceStatus> {
        self.stages.iter().rev().find_map(|s| s.instance)
    }

    /// Applies the first stage, then tells the store the re-init has
    /// begun ([`WorldMut::began`]): call it as the request is accepted,
    /// under the same lock as the decision.
    pub fn begin<S: WorldMut + ?Sized>(&self, store: &mut S) -> Result<(), S::Error> {
        if let Some(stage) = self.stages.first() {
            self.apply(stage, store)?;
        }
        store.began(self)
    }

    /// Applies the remaining stages: call it when the re-init settles (an
    /// emulator that shows time passing applies them one by one, with
    /// [`Self::apply`], as each is due).
    pub fn settle<S: WorldMut + ?Sized>(&self, store: &mut S) -> Result<(), S::Error> {
        for stage in self.stages.iter().skip(1) {
            self.apply(stage, store)?;
        }
        Ok(())
    }

    /// Applies one stage.
    pub fn apply<S: WorldMut + ?Sized>(
        &self,
        stage: &Stage,
        store: &mut S,
    ) -> Result<(), S::Error> {
        if let Some(status) = stage.disk {
            store.set_disk_status(self.disk_id, status)?;
        }
        if let Some(status) = stage.instance {
            store.set_instance_status(self.instance_id, status)?;
        }
        Ok(())
    }
}

/// A store a transition can change: the statuses of its disks and
/// instances.
pub trait WorldMut {
    /// Why a change could not be made (no such disk, ...).
    type Error;
    /// Sets the status of the disk `disk_id`.
    fn set_disk_status(&mut self, disk_id: &str, status: DiskStatus) -> Result<(), Self::Error>;
    /// Sets the status of the instance `instance_id`.
    fn set_instance_status(
        &mut self,
        instance_id: &str,
        status: InstanceStatus,
    ) -> Result<(), Self::Error>;
    /// Told by [`Transition::begin`] once a re-init's first stage is
    /// applied, for a store that settles its re-inits later by itself and
    /// must remember the rest of the transition (`InMemoryWorld` remembers
    /// whether the instance is started afterwards). By default there is
    /// nothing to remember.
    fn began(&mut self, transition: &Transition<'_>) -> Result<(), Self::Error> {
        let _ = transition;
        Ok(())
    }
    /// Sets how the instance `instance_id` is stopped (`StopInstance`'s
    /// `StoppedMode`). By default the store does not keep it.
    fn set_stopped_mode(
        &mut self,
        instance_id: &str,
        mode: StoppedMode,
    ) -> Result<(), Self::Error> {
        let _ = (instance_id, mode);
        Ok(())
    }
}

/// What a store reads before it changes a status: the guards of the
/// instance actions and of the scheduled changes ([`Scheduled`]).
/// [`InMemoryWorld`](crate::InMemoryWorld) implements it.
pub trait WorldStatus {
    /// The status of the disk `disk_id`, if there is one.
    fn disk_status(&self, disk_id: &str) -> Option<DiskStatus>;
    /// The status of the instance `instance_id`, if there is one.
    fn instance_status(&self, instance_id: &str) -> Option<InstanceStatus>;
    /// Whether any disk attached to the instance `instance_id` is
    /// `ReIniting` (then the instance does not start).
    fn has_disk_reiniting(&self, instance_id: &str) -> bool;
    /// Whether the instance `instance_id` is locked for security reasons
    /// (`OperationLocks` has `security`): then it is not stopped, started
    /// or rebooted.
    fn locked_for_security(&self, instance_id: &str) -> bool;
}

/// An action on an instance: `StopInstance`, `StartInstance`,
/// `RebootInstance`. Each moves the instance from the status it needs to a
/// status it is in meanwhile, at once, and to its last status when the
/// scheduled change ([`InstanceAction::begin`]'s) falls due.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InstanceAction {
    /// `Running` → `Stopping` → `Stopped`.
    Stop,
    /// `Stopped` → `Starting` → `Running` (not while any of its disks is
    /// `ReIniting`).
    Start,
    /// `Running` → `Starting` → `Running`.
    Reboot,
}

/// Why an instance action is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// No such instance (`InvalidInstanceId.NotFound`).
    NotFound,
    /// The instance is locked for security reasons
    /// (`InstanceLockedForSecurity`).
    LockedForSecurity,
    /// The instance is not in the status the action needs
    /// (`IncorrectInstanceStatus`).
    IncorrectStatus,
    /// The instance would start while one of its disks is `ReIniting`
    /// (`StartInstance`'s `DiskError`).
    DiskReIniting,
}

/// How long a scheduled change waits; the store gives each its duration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Wait {
    /// A re-init settling (`ReIniting` to `In_use`).
    Reinit,
    /// An instance starting (`Starting` to `Running`).
    Start,
    /// An instance stopping (`Stopping` to `Stopped`).
    Stop,
}

impl InstanceAction {
    /// The status the instance must be in.
    pub const fn from(self) -> InstanceStatus {
        match self {
            Self::Stop | Self::Reboot => InstanceStatus::Running,
            Self::Start => InstanceStatus::Stopped,
        }
    }

    /// The status it is in while the action runs.
    pub const fn during(self) -> InstanceStatus {
        match self {
            Self::Stop => InstanceStatus::Stopping,
            Self::Start | Self::Reboot => InstanceStatus::Starting,
        }
    }

    /// The status it ends in.
    pub const fn after(self) -> InstanceStatus {
        match self {
            Self::Stop => InstanceStatus::Stopped,
            Self::Start | Self::Reboot => InstanceStatus::Running,
        }
    }

    /// How long the action takes.
    pub const fn wait(self) -> Wait {
        match self {
            Self::Stop => Wait::Stop,
            Self::Start | Self::Reboot => Wait::Start,
        }
    }

    /// Whether the action would be accepted for `instance_id` now (what a
    /// `DryRun` answers), changing nothing: the instance exists, is not
    /// locked for security, is in [`Self::from`], and, to start, has no disk
    /// `ReIniting` (in that order).
    pub fn check<W: WorldStatus + ?Sized>(
        self,
        world: &W,
        instance_id: &str,
    ) -> Result<(), Refusal> {
        let status = world
            .instance_status(instance_id)
            .ok_or(Refusal::NotFound)?;
        if world.locked_for_security(instance_id) {
            return Err(Refusal::LockedForSecurity);
        }
        if status != self.from() {
            return Err(Refusal::IncorrectStatus);
        }
        if self == Self::Start && world.has_disk_reiniting(instance_id) {
            return Err(Refusal::DiskReIniting);
        }
        Ok(())
    }

    /// Checks the action and, accepted, puts the instance in its status
    /// meanwhile; returns the change to schedule after [`Self::wait`]
    /// (guarded: dropped if the instance has changed since).
    pub fn begin<W: WorldStatus + WorldMut + ?Sized>(
        self,
        world: &mut W,
        instance_id: &str,
    ) -> Result<Result<Scheduled, Refusal>, W::Error> {
        if let Err(refusal) = self.check(world, instance_id) {
            return Ok(Err(refusal));
        }
        world.set_instance_status(instance_id, self.during())?;
        Ok(Ok(Scheduled::Instance {
            id: instance_id.to_owned(),
            expects: self.during(),
            then: self.after(),
        }))
    }
}

/// A change a store schedules and applies when it falls due, guarded by
/// the status it expects: a change whose record has changed since (another
/// action, a new world) is dropped, never applied over the newer status.
///
/// Serialized as a scenario's `Changes` write it (docs/scenario.md):
/// `{"Disk": {"DiskId": "d-1", "Expects": "ReIniting", "Then": "In_use"}}`,
/// `{"Instance": {"InstanceId": "i-1", "Expects": "Stopping", "Then":
/// "Stopped"}}`, `{"AutoStart": {"InstanceId": "i-1"}}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Scheduled {
    /// The disk `id` goes `then`, if it is still `expects`.
    Disk {
        /// The disk.
        #[serde(rename = "DiskId")]
        id: String,
        /// The status it must still be in.
        #[serde(rename = "Expects")]
        expects: DiskStatus,
        /// Its new status.
        #[serde(rename = "Then")]
        then: DiskStatus,
    },
    /// The instance `id` goes `then`, if it is still `expects`.
    Instance {
        /// The instance.
        #[serde(rename = "InstanceId")]
        id: String,
        /// The status it must still be in.
        #[serde(rename = "Expects")]
        expects: InstanceStatus,
        /// Its new status.
        #[serde(rename = "Then")]
        then: InstanceStatus,
    },
    /// A re-init's `AutoStartInstance`: the instance `id` starts if it is
    /// still `Stopped`; while any of its disks is `ReIniting`, the start
    /// waits ([`Applied::Deferred`]) for the last of them to settle.
    AutoStart {
        /// The instance.
        #[serde(rename = "InstanceId")]
        id: String,
    },
}

/// What applying a [`Scheduled`] change did.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Applied {
    /// Applied; with the next change to schedule after its wait, if any.
    Done(Option<(Wait, Scheduled)>),
    /// Dropped: its record is gone or has changed since.
    Dropped,
    /// An auto-start that waits for a disk of its instance to settle: apply
    /// it again once that disk has ([`Scheduled::settles_disk_of`]).
    Deferred,
}

impl Scheduled {
    /// The changes a re-init schedules once begun: the disk settles after
    /// [`Wait::Reinit`] and, with `auto_start`, its instance then starts.
    pub fn after_reinit(transition: &Transition<'_>) -> Vec<(Wait, Self)> {
        let mut due = vec![(
            Wait::Reinit,
            Self::Disk {
                id: transition.disk_id.to_owned(),
                expects: transition.disk_during(),
                then: transition.disk_after(),
            },
        )];
        if transition.starts_instance() {
            due.push((
                Wait::Reinit,
                Self::AutoStart {
                    id: transition.instance_id.to_owned(),
                },
            ));
        }
        due
    }

    /// The change that settles a disk found `status` with no change under
    /// way for it (a world loaded in the middle of a re-init): a
    /// `ReIniting` disk goes `In_use` after [`Wait::Reinit`]. Every other
    /// status stays as it is (`Attaching`, `Detaching` and `Creating` are
    /// statuses no action of the model enters or leaves).
    pub fn settling_disk(id: &str, status: DiskStatus) -> Option<(Wait, Self)> {
        match status {
            DiskStatus::ReIniting => Some((
                Wait::Reinit,
                Self::Disk {
                    id: id.to_owned(),
                    expects: DiskStatus::ReIniting,
                    then: DiskStatus::InUse,
                },
            )),
            _ => None,
        }
    }

    /// The change that settles an instance found `status` with no change
    /// under way for it: `Stopping` goes `Stopped` after [`Wait::Stop`],
    /// `Starting` goes `Running` after [`Wait::Start`], and `Pending` (being
    /// created) goes `Stopped` after [`Wait::Start`], as an instance made by
    /// `CreateInstance` does (docs/open-questions.md). `Running` and
    /// `Stopped` stay.
    pub fn settling_instance(id: &str, status: InstanceStatus) -> Option<(Wait, Self)> {
        let (wait, then) = match status {
            InstanceStatus::Stopping => (Wait::Stop, InstanceStatus::Stopped),
            InstanceStatus::Starting => (Wait::Start, InstanceStatus::Running),
            InstanceStatus::Pending => (Wait::Start, InstanceStatus::Stopped),
            _ => return None,
        };
        Some((
            wait,
            Self::Instance {
                id: id.to_owned(),
                expects: status,
                then,
            },
        ))
    }

    /// Applies the change, if its record is still as it expects.
    pub fn apply<W: WorldStatus + WorldMut + ?Sized>(
        &self,
        world: &mut W,
    ) -> Result<Applied, W::Error> {
        match self {
            Self::Disk { id, expects, then } => {
                if world.disk_status(id) != Some(*expects) {
                    return Ok(Applied::Dropped);
                }
                world.set_disk_status(id, *then)?;
                Ok(Applied::Done(None))
            }
            Self::Instance { id, expects, then } => {
                if world.instance_status(id) != Some(*expects) {
                    return Ok(Applied::Dropped);
                }
                world.set_instance_status(id, *then)?;
                Ok(Applied::Done(None))
            }
            Self::AutoStart { id } => match InstanceAction::Start.begin(world, id)? {
                Ok(next) => Ok(Applied::Done(Some((Wait::Start, next)))),
                Err(Refusal::DiskReIniting) => Ok(Applied::Deferred),
                Err(_) => Ok(Applied::Dropped),
            },
        }
    }

    /// The disk this change is to, if it is to a disk.
    pub fn disk_id(&self) -> Option<&str> {
        match self {
            Self::Disk { id, .. } => Some(id),
            Self::Instance { .. } | Self::AutoStart { .. } => None,
        }
    }

    /// The instance this change is to, if it is to an instance.
    pub fn instance_id(&self) -> Option<&str> {
        match self {
            Self::Instance { id, .. } | Self::AutoStart { id } => Some(id),
            Self::Disk { .. } => None,
        }
    }

    /// The instance whose deferred auto-start may now proceed once this
    /// change is applied: a disk settling out of `ReIniting` (its
    /// instance, read from `instance_of`).
    pub fn settles_disk_of<'w>(
        &self,
        instance_of: impl FnOnce(&str) -> Option<&'w str>,
    ) -> Option<&'w str> {
        match self {
            Self::Disk {
                id,
                expects: DiskStatus::ReIniting,
                ..
            } => instance_of(id),
            _ => None,
        }
    }
}
