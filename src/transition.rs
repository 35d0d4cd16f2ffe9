//! The transition: what an accepted re-init does to the world, stage by
//! stage, as a value any store applies.
//!
//! The disk goes `In_use` → `ReIniting` (stage 1, at once) → `In_use`
//! (stage 2, when the re-init settles), on the same instance, its id, source
//! and attachment kept. Asked to (`AutoStartInstance=true`), the instance
//! then goes `Starting` (stage 3) → `Running` (stage 4). A store applies a stage through [`WorldMut`]; the
//! crate's [`InMemoryWorld`](crate::InMemoryWorld) does, and so does any
//! emulator's (examples/emulator.rs).

use crate::model::{DiskStatus, InstanceStatus};

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
}
