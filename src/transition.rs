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

use crate::model::{
    CreationTime, DiskStatus, DiskType, InstanceStatus, LockReason, Snapshot, StoppedMode,
};
use crate::world::World;

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
    /// Sets the instance the disk `disk_id` is attached to (`AttachDisk`,
    /// `DetachDisk`). By default the store does not keep it.
    fn set_disk_instance(
        &mut self,
        disk_id: &str,
        instance_id: Option<&str>,
    ) -> Result<(), Self::Error> {
        let _ = (disk_id, instance_id);
        Ok(())
    }
    /// Sets whether a snapshot of the disk `disk_id` is being created
    /// (`CreateSnapshot`). By default the store does not keep it.
    fn set_creating_snapshot(&mut self, disk_id: &str, creating: bool) -> Result<(), Self::Error> {
        let _ = (disk_id, creating);
        Ok(())
    }
    /// Adds the snapshot a `CreateSnapshot` made. By default the store does
    /// not keep it.
    fn add_snapshot(&mut self, snapshot: Snapshot) -> Result<(), Self::Error> {
        let _ = snapshot;
        Ok(())
    }
    /// Marks the snapshot `snapshot_id` deleted (`DeleteSnapshot`). By
    /// default the store does not keep it.
    fn delete_snapshot(&mut self, snapshot_id: &str) -> Result<(), Self::Error> {
        let _ = snapshot_id;
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
    /// Whether a snapshot of the disk `disk_id` is being created (the guard
    /// of [`Scheduled::Snapshot`]; default no).
    fn creating_snapshot(&self, disk_id: &str) -> bool {
        let _ = disk_id;
        false
    }
    /// Whether a disk was created from the snapshot `snapshot_id`
    /// (`DeleteSnapshot`'s `SnapshotCreatedDisk`; default no).
    fn snapshot_used_by_disk(&self, snapshot_id: &str) -> bool {
        let _ = snapshot_id;
        false
    }
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
    /// A disk attaching (`Attaching` to `In_use`).
    Attach,
    /// A disk detaching (`Detaching` to `Available`).
    Detach,
    /// A snapshot being created (the disk's `CreatingSnapshot` to the
    /// snapshot made).
    Snapshot,
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
    /// A `DetachDisk`: the disk `id` goes `Available`, attached to nothing,
    /// if it is still `Detaching`.
    Detached {
        /// The disk.
        #[serde(rename = "DiskId")]
        id: String,
    },
    /// A `CreateSnapshot`: the snapshot `snapshot_id` of the disk `id` is
    /// made (it exists, its `SourceDiskId` the disk, made at
    /// [`SNAPSHOT_TIME`]) and the disk no longer creates a snapshot, if it
    /// still does.
    Snapshot {
        /// The disk.
        #[serde(rename = "DiskId")]
        id: String,
        /// The snapshot being made.
        #[serde(rename = "SnapshotId")]
        snapshot_id: String,
    },
}

/// `CreationTime` of a snapshot `CreateSnapshot` makes: the model has no
/// clock, so every one is dated `2024-01-01T00:00:00Z`, the date
/// docs/ecs.md gives the records the world does not date (after every
/// revision's too-old boundary, so a disk made from it re-inits).
pub const SNAPSHOT_TIME: CreationTime =
    CreationTime::of(time::macros::datetime!(2024-01-01 00:00:00 UTC));

/// The id of the snapshot in progress of a disk loaded with
/// `CreatingSnapshot` and no change under way for it: `s-progressing-`
/// and the disk's id (as `ecs::Describer::creating_snapshot` lists it).
pub fn progressing_snapshot_id(disk_id: &str) -> String {
    format!("s-progressing-{disk_id}")
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
    /// `ReIniting` disk goes `In_use` after [`Wait::Reinit`], an
    /// `Attaching` one `In_use` after [`Wait::Attach`], a `Detaching` one
    /// `Available` (attached to nothing) after [`Wait::Detach`]. Every other
    /// status stays as it is (`Creating` is a status no action of the model
    /// enters or leaves).
    pub fn settling_disk(id: &str, status: DiskStatus) -> Option<(Wait, Self)> {
        let (wait, expects) = match status {
            DiskStatus::ReIniting => (Wait::Reinit, DiskStatus::ReIniting),
            DiskStatus::Attaching => (Wait::Attach, DiskStatus::Attaching),
            DiskStatus::Detaching => {
                return Some((Wait::Detach, Self::Detached { id: id.to_owned() }));
            }
            _ => return None,
        };
        Some((
            wait,
            Self::Disk {
                id: id.to_owned(),
                expects,
                then: DiskStatus::InUse,
            },
        ))
    }

    /// The change that ends the snapshot in progress of a disk found
    /// creating one with no change under way for it: the snapshot
    /// [`progressing_snapshot_id`] is made after [`Wait::Snapshot`].
    pub fn settling_snapshot(id: &str, creating_snapshot: bool) -> Option<(Wait, Self)> {
        creating_snapshot.then(|| {
            (
                Wait::Snapshot,
                Self::Snapshot {
                    id: id.to_owned(),
                    snapshot_id: progressing_snapshot_id(id),
                },
            )
        })
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
            Self::Detached { id } => {
                if world.disk_status(id) != Some(DiskStatus::Detaching) {
                    return Ok(Applied::Dropped);
                }
                world.set_disk_instance(id, None)?;
                world.set_disk_status(id, DiskStatus::Available)?;
                Ok(Applied::Done(None))
            }
            Self::Snapshot { id, snapshot_id } => {
                if !world.creating_snapshot(id) {
                    return Ok(Applied::Dropped);
                }
                world.add_snapshot(Snapshot {
                    id: snapshot_id.clone(),
                    creation_time: SNAPSHOT_TIME,
                    source_disk_id: Some(id.clone()),
                    ..Snapshot::default()
                })?;
                world.set_creating_snapshot(id, false)?;
                Ok(Applied::Done(None))
            }
        }
    }

    /// The disk this change is to, if it is to a disk.
    pub fn disk_id(&self) -> Option<&str> {
        match self {
            Self::Disk { id, .. } | Self::Detached { id } | Self::Snapshot { id, .. } => Some(id),
            Self::Instance { .. } | Self::AutoStart { .. } => None,
        }
    }

    /// The instance this change is to, if it is to an instance.
    pub fn instance_id(&self) -> Option<&str> {
        match self {
            Self::Instance { id, .. } | Self::AutoStart { id } => Some(id),
            Self::Disk { .. } | Self::Detached { .. } | Self::Snapshot { .. } => None,
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

/// An action on a disk: `AttachDisk`, `DetachDisk`, `CreateSnapshot`. Each
/// is checked against the disk and its instance, moves the disk to the
/// status (or the fact) it is in meanwhile at once, and returns the
/// guarded change that ends it after its [`Wait`] (docs/serve.md gives the
/// source of each rule, and marks the ones chosen where ECS is silent).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DiskAction<'a> {
    /// `Available` → `Attaching` → `In_use`, attached to `instance_id`
    /// (its `InstanceId` from the start).
    Attach {
        /// The instance.
        instance_id: &'a str,
    },
    /// `In_use` → `Detaching` → `Available`, from `instance_id`.
    Detach {
        /// The instance it must be attached to.
        instance_id: &'a str,
        /// Whether a system disk is detached (docs/open-questions.md 35).
        system_disk: SystemDiskDetach,
    },
    /// The disk creates a snapshot (`CreatingSnapshot`, which a
    /// `ReInitDisk` meanwhile is refused for), then the snapshot
    /// `snapshot_id` exists, its `SourceDiskId` the disk.
    CreateSnapshot {
        /// The id of the snapshot made.
        snapshot_id: &'a str,
    },
}

/// How `DetachDisk` treats a system disk: ECS's reference pages differ
/// (docs/open-questions.md 35).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SystemDiskDetach {
    /// Refused with `DiskTypeViolation`, as DetachDisk's 2020 page lists
    /// (the default).
    #[default]
    Refused,
    /// Detached from a `Stopped` instance only (`IncorrectInstanceStatus`
    /// otherwise), as today's DetachDisk page says ("The instance from
    /// which you want to detach a system disk must be in the Stopped
    /// state").
    WhenStopped,
}

/// Why a disk action is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DiskRefusal {
    /// No such disk (`InvalidDiskId.NotFound`).
    DiskNotFound,
    /// No such instance (`InvalidInstanceId.NotFound`).
    InstanceNotFound,
    /// The instance is locked for security reasons
    /// (`InstanceLockedForSecurity`).
    LockedForSecurity,
    /// The disk is not in a status the action takes
    /// (`IncorrectDiskStatus`).
    IncorrectDiskStatus,
    /// `DetachDisk`: the disk is not attached to the instance named
    /// (`DependencyViolation`).
    NotAttachedToInstance,
    /// `DetachDisk` of a system disk under [`SystemDiskDetach::Refused`]
    /// (`DiskTypeViolation`).
    SystemDisk,
    /// The instance is not in a status the action takes
    /// (`IncorrectInstanceStatus`).
    IncorrectInstanceStatus,
    /// `CreateSnapshot` while a snapshot of the disk is being created
    /// (`IncorrectDiskStatus.CreatingSnapshot`).
    SnapshotInProgress,
}

/// Whether an instance in `status` takes a disk attached or detached, or a
/// snapshot of its disk: `Running` or `Stopped` (AttachDisk's and
/// DetachDisk's API references).
const fn settled(status: InstanceStatus) -> bool {
    matches!(status, InstanceStatus::Running | InstanceStatus::Stopped)
}

impl DiskAction<'_> {
    /// How long the action takes.
    pub const fn wait(self) -> Wait {
        match self {
            Self::Attach { .. } => Wait::Attach,
            Self::Detach { .. } => Wait::Detach,
            Self::CreateSnapshot { .. } => Wait::Snapshot,
        }
    }

    /// Whether the action would be accepted for `disk_id` now (what a
    /// `DryRun` answers), changing nothing. In order: the disk exists; the
    /// instance named exists (`CreateSnapshot`: the disk's, if any) and is
    /// not locked for security; then
    /// - attach: the disk is `Available`; the instance `Running` or
    ///   `Stopped` (a system disk: `Stopped`);
    /// - detach: the disk is `In_use`, on that instance; a data disk from
    ///   an instance `Running` or `Stopped`, a system disk refused or, under
    ///   [`SystemDiskDetach::WhenStopped`], from a `Stopped` instance;
    /// - snapshot: no snapshot of the disk in progress; the disk `In_use`
    ///   or `Available`; its instance, if any, `Running` or `Stopped`.
    pub fn check<W: World + ?Sized>(self, world: &W, disk_id: &str) -> Result<(), DiskRefusal> {
        let disk = world.disk(disk_id).ok_or(DiskRefusal::DiskNotFound)?;
        let instance_id = match self {
            Self::Attach { instance_id } | Self::Detach { instance_id, .. } => Some(instance_id),
            Self::CreateSnapshot { .. } => disk.instance_id,
        };
        let instance = match instance_id {
            Some(id) => Some(world.instance(id).ok_or(DiskRefusal::InstanceNotFound)?),
            None => None,
        };
        if instance.is_some_and(|i| i.operation_locks.contains(LockReason::Security)) {
            return Err(DiskRefusal::LockedForSecurity);
        }
        let instance_status = instance.map(|i| i.status);
        match self {
            Self::Attach { .. } => {
                if disk.status != DiskStatus::Available {
                    return Err(DiskRefusal::IncorrectDiskStatus);
                }
                let takes = match disk.disk_type() {
                    DiskType::System => instance_status == Some(InstanceStatus::Stopped),
                    DiskType::Data => instance_status.is_some_and(settled),
                };
                if !takes {
                    return Err(DiskRefusal::IncorrectInstanceStatus);
                }
            }
            Self::Detach {
                instance_id,
                system_disk,
            } => {
                if disk.status != DiskStatus::InUse {
                    return Err(DiskRefusal::IncorrectDiskStatus);
                }
                if disk.instance_id != Some(instance_id) {
                    return Err(DiskRefusal::NotAttachedToInstance);
                }
                let takes = match (disk.disk_type(), system_disk) {
                    (DiskType::System, SystemDiskDetach::Refused) => {
                        return Err(DiskRefusal::SystemDisk);
                    }
                    (DiskType::System, SystemDiskDetach::WhenStopped) => {
                        instance_status == Some(InstanceStatus::Stopped)
                    }
                    (DiskType::Data, _) => instance_status.is_some_and(settled),
                };
                if !takes {
                    return Err(DiskRefusal::IncorrectInstanceStatus);
                }
            }
            Self::CreateSnapshot { .. } => {
                if disk.creating_snapshot {
                    return Err(DiskRefusal::SnapshotInProgress);
                }
                if !matches!(disk.status, DiskStatus::InUse | DiskStatus::Available) {
                    return Err(DiskRefusal::IncorrectDiskStatus);
                }
                if instance_status.is_some_and(|s| !settled(s)) {
                    return Err(DiskRefusal::IncorrectInstanceStatus);
                }
            }
        }
        Ok(())
    }

    /// Checks the action and, accepted, begins it on `disk_id` (attach: the
    /// disk `Attaching` on its instance; detach: `Detaching`; snapshot: the
    /// disk creating a snapshot); returns the guarded change to schedule
    /// after [`Self::wait`].
    pub fn begin<W: World + WorldMut + ?Sized>(
        self,
        world: &mut W,
        disk_id: &str,
    ) -> Result<Result<Scheduled, DiskRefusal>, W::Error> {
        if let Err(refusal) = self.check(world, disk_id) {
            return Ok(Err(refusal));
        }
        let id = disk_id.to_owned();
        Ok(Ok(match self {
            Self::Attach { instance_id } => {
                world.set_disk_instance(disk_id, Some(instance_id))?;
                world.set_disk_status(disk_id, DiskStatus::Attaching)?;
                Scheduled::Disk {
                    id,
                    expects: DiskStatus::Attaching,
                    then: DiskStatus::InUse,
                }
            }
            Self::Detach { .. } => {
                world.set_disk_status(disk_id, DiskStatus::Detaching)?;
                Scheduled::Detached { id }
            }
            Self::CreateSnapshot { snapshot_id } => {
                world.set_creating_snapshot(disk_id, true)?;
                Scheduled::Snapshot {
                    id,
                    snapshot_id: snapshot_id.to_owned(),
                }
            }
        }))
    }
}

/// Why `DeleteSnapshot` is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeleteRefusal {
    /// No such snapshot, or deleted (`InvalidSnapshotId.NotFound`).
    NotFound,
    /// A disk was created from it and `Force` was not given
    /// (`SnapshotCreatedDisk`).
    CreatedDisk,
}

/// `DeleteSnapshot` of `snapshot_id`: checked (it exists and is not
/// deleted; unless `force`, no disk was created from it), then marked
/// deleted at once (kept as a tombstone, so that a disk created from it
/// gets `InvalidSourceSnapshot` from `ReInitDisk`). With `dry_run`, only
/// checked.
pub fn delete_snapshot<W: World + WorldStatus + WorldMut + ?Sized>(
    world: &mut W,
    snapshot_id: &str,
    force: bool,
    dry_run: bool,
) -> Result<Result<(), DeleteRefusal>, W::Error> {
    if world.snapshot(snapshot_id).is_none_or(|s| s.deleted) {
        return Ok(Err(DeleteRefusal::NotFound));
    }
    if !force && world.snapshot_used_by_disk(snapshot_id) {
        return Ok(Err(DeleteRefusal::CreatedDisk));
    }
    if !dry_run {
        world.delete_snapshot(snapshot_id)?;
    }
    Ok(Ok(()))
}
