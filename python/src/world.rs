//! `World`: an `InMemoryWorld` behind a mutex, shared by Python threads.

use std::sync::{Mutex, MutexGuard, PoisonError};

use pyo3::prelude::*;
use pyo3::types::PyDict;
use reinit_disk::model::{Account, Disk, DiskStatus, Instance};
use reinit_disk::scenario::Scenario;
use reinit_disk::{InMemoryWorld, OwnedTarget, Policy, Rejection, World as _};
use serde::Serialize;

use crate::convert::{MAX_INPUT_BYTES, json_to_py, write_json};
use crate::decision::{Accepted, Rendered, outcome_to_py, rejection_template, render_accepted};
use crate::errors::{duplicate, from_scenario, from_unwritable, scenario_error, transition};
use crate::request::{DiskIds, request_params};
use crate::{document_text, policy_of};

/// What a `World` holds: the resources, the policy its calls use when they
/// name none, and its accepted answers as Python objects.
pub struct State {
    pub world: InMemoryWorld,
    pub policy: Policy,
    pub rendered: Rendered,
}

/// `World.evaluate`'s answer, as the world's lock is released.
enum Answer {
    /// The template of the rejection's answer, kept.
    KeptRejection(Py<PyDict>),
    /// A rejection whose answer's template is not kept.
    Rejected(Rejection),
    /// A copy of the kept answer of the target.
    Kept(Accepted),
    /// A target whose answer is not kept.
    New(OwnedTarget),
}

/// An ECS region's resources, held in memory, to decide and apply
/// ``ReInitDisk`` requests against.
///
/// Safe to share between threads: every call takes the world's lock for the
/// time it reads or changes the world, never while Python code runs.
///
/// >>> import reinit_disk
/// >>> world = reinit_disk.World()
/// >>> world.add_instance({"InstanceId": "i-1", "Status": "Stopped"})
/// >>> world.add_disk({"DiskId": "d-1", "Type": "data", "Category": "cloud_essd",
/// ...                 "Status": "In_use", "InstanceId": "i-1"})
/// >>> world.evaluate({"DiskId": "d-1"})["Accepted"]
/// True
#[pyclass(frozen, name = "World", module = "reinit_disk")]
pub struct PyWorld {
    state: Mutex<State>,
    /// The ids of the world's disks, each `str` to its text: a request's
    /// `DiskId` equal to one is not copied (python/src/request.rs). Every
    /// disk the world adds, it adds here (`from_scenario`, `add_disk`; no
    /// disk is ever removed or renamed).
    disk_ids: DiskIds,
}

impl PyWorld {
    /// The world's state, locked. A poisoned lock (a panic while it was
    /// held, which the crate's code does not do) still gives the state.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A record `dict` as one of the scenario's lists would hold it (`list` is
/// `Disks`, `Instances`, ...; `None` for the `Account` object): the
/// scenario's own parser reads it, so errors read as the CLI's, with the
/// path from inside the record (`Status`, not `Instances[0].Status`).
fn parse_in_scenario(
    py: Python<'_>,
    field: &str,
    listed: bool,
    record: &Bound<'_, PyDict>,
) -> PyResult<Scenario> {
    let mut json = String::new();
    write_json(record.as_any(), &mut json, 1, MAX_INPUT_BYTES)
        .map_err(|e| from_unwritable(py, &e, ""))?;
    let document = if listed {
        format!("{{\"{field}\":[{json}]}}")
    } else {
        format!("{{\"{field}\":{json}}}")
    };
    Scenario::from_json(&document).map_err(|e| {
        let prefix = if listed {
            format!("{field}[0]")
        } else {
            field.to_owned()
        };
        let path = match e.path.strip_prefix(&prefix) {
            Some(rest) => rest.strip_prefix('.').unwrap_or(rest),
            None => e.path.as_str(),
        };
        let path = if path.is_empty() { "." } else { path };
        scenario_error(py, path, &e.message)
    })
}

/// Serializes `value` and reads it back as Python objects.
fn to_py<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_string(value)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(format!("cannot serialize: {e}")))?;
    json_to_py(py, &json)
}

#[pymethods]
impl PyWorld {
    /// An empty world. ``policy`` is the policy its calls use when they name
    /// none: ``None`` (the default policy: the seed revision), a revision
    /// name (``"2025-02-27"``) or a scenario's ``Policy`` object as a dict
    /// (``{"Revision": "2025-02-27", "Order": [...]}``).
    ///
    /// >>> reinit_disk.World(policy="2025-02-27")
    /// World(disks=0, instances=0, images=0, snapshots=0, key_pairs=0, kms_keys=0, revision='2025-02-27')
    #[new]
    #[pyo3(signature = (policy = None))]
    fn new(py: Python<'_>, policy: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let policy = policy_of(py, policy, Policy::default())?;
        Ok(Self {
            state: Mutex::new(State {
                world: InMemoryWorld::new(),
                policy,
                rendered: Rendered::default(),
            }),
            disk_ids: DiskIds::new(py),
        })
    }

    /// The world of a scenario (a dict or JSON text): its disks, instances,
    /// images, snapshots, key pairs, KMS keys, account, and its policy as the
    /// world's. The scenario is validated whole, as ``evaluate`` does (every
    /// id a disk names must be listed); its ``Request`` is not read.
    ///
    /// >>> world = reinit_disk.World.from_scenario({
    /// ...     "Disks": [{"DiskId": "d-1", "Type": "data", "Category": "cloud_essd",
    /// ...                "Status": "Available"}]})
    /// >>> world.evaluate({"DiskId": "d-1"})["Code"]
    /// 'IncorrectDiskStatus'
    #[staticmethod]
    fn from_scenario(py: Python<'_>, scenario: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text = document_text(py, scenario)?;
        let scenario = Scenario::from_json(&text).map_err(|e| from_scenario(py, &e))?;
        let mut world = InMemoryWorld::new();
        let disk_ids = DiskIds::new(py);
        // The scenario is valid: its ids are unique, so no insert fails.
        for d in scenario.disks {
            disk_ids.add(py, &d.id)?;
            world.insert_disk(d).map_err(|e| duplicate(py, &e))?;
        }
        for i in scenario.instances {
            world.insert_instance(i).map_err(|e| duplicate(py, &e))?;
        }
        for i in scenario.images {
            world.insert_image(i).map_err(|e| duplicate(py, &e))?;
        }
        for s in scenario.snapshots {
            world.insert_snapshot(s).map_err(|e| duplicate(py, &e))?;
        }
        for k in scenario.key_pairs {
            world.insert_key_pair(k).map_err(|e| duplicate(py, &e))?;
        }
        for k in scenario.kms_keys {
            world.insert_kms_key(k).map_err(|e| duplicate(py, &e))?;
        }
        world.set_account(scenario.account);
        Ok(Self {
            state: Mutex::new(State {
                world,
                policy: scenario.policy,
                rendered: Rendered::default(),
            }),
            disk_ids,
        })
    }

    /// Adds a disk, spelled as in a scenario's ``Disks``. Raises
    /// ``ScenarioError`` (``.path`` inside the record, such as ``Status``)
    /// when it is not valid, ``DuplicateIdError`` when its id is taken. The
    /// ids it names (instance, image, snapshot, KMS key) need not be added
    /// yet: a disk whose instance is missing when a request is decided is
    /// answered ``InternalError``, as an emulator's inconsistent store.
    ///
    /// >>> world = reinit_disk.World()
    /// >>> world.add_disk({"DiskId": "d-1", "Type": "data", "Category": "cloud_essd",
    /// ...                 "Status": "Available"})
    fn add_disk(&self, py: Python<'_>, disk: &Bound<'_, PyDict>) -> PyResult<()> {
        let mut json = String::new();
        write_json(disk.as_any(), &mut json, 1, MAX_INPUT_BYTES)
            .map_err(|e| from_unwritable(py, &e, ""))?;
        let disk: Disk = match serde_json::from_str(&json) {
            Ok(disk) => disk,
            // The scenario's parser says where and why, as the CLI would.
            Err(_) => {
                let dict = disk;
                return match parse_in_scenario(py, "Disks", true, dict) {
                    Err(e) => Err(e),
                    Ok(_) => Err(scenario_error(py, ".", "not a valid disk")),
                };
            }
        };
        if disk.id.is_empty() {
            return Err(scenario_error(py, "DiskId", "an id cannot be empty"));
        }
        if disk.status == DiskStatus::InUse && disk.instance_id.is_none() {
            return Err(scenario_error(
                py,
                "InstanceId",
                "a disk whose Status is In_use is attached: give its InstanceId",
            ));
        }
        // Before the disk: an id refused as a duplicate is there already,
        // and an id maps only to its own text.
        self.disk_ids.add(py, &disk.id)?;
        self.lock()
            .world
            .insert_disk(disk)
            .map_err(|e| duplicate(py, &e))
    }

    /// Adds an instance, spelled as in a scenario's ``Instances``.
    ///
    /// >>> reinit_disk.World().add_instance({"InstanceId": "i-1", "Status": "Running"})
    fn add_instance(&self, py: Python<'_>, instance: &Bound<'_, PyDict>) -> PyResult<()> {
        let mut s = parse_in_scenario(py, "Instances", true, instance)?;
        let instance: Instance = s
            .instances
            .pop()
            .ok_or_else(|| scenario_error(py, ".", "not a valid instance"))?;
        self.lock()
            .world
            .insert_instance(instance)
            .map_err(|e| duplicate(py, &e))
    }

    /// Adds an image, spelled as in a scenario's ``Images``
    /// (``{"ImageId": "m-1", "ImageOwnerAlias": "system"}``).
    fn add_image(&self, py: Python<'_>, image: &Bound<'_, PyDict>) -> PyResult<()> {
        let mut s = parse_in_scenario(py, "Images", true, image)?;
        let image = s
            .images
            .pop()
            .ok_or_else(|| scenario_error(py, ".", "not a valid image"))?;
        self.lock()
            .world
            .insert_image(image)
            .map_err(|e| duplicate(py, &e))
    }

    /// Adds a snapshot, spelled as in a scenario's ``Snapshots``
    /// (``{"SnapshotId": "s-1", "CreationTime": "2014-01-01T00:00:00Z"}``).
    fn add_snapshot(&self, py: Python<'_>, snapshot: &Bound<'_, PyDict>) -> PyResult<()> {
        let mut s = parse_in_scenario(py, "Snapshots", true, snapshot)?;
        let snapshot = s
            .snapshots
            .pop()
            .ok_or_else(|| scenario_error(py, ".", "not a valid snapshot"))?;
        self.lock()
            .world
            .insert_snapshot(snapshot)
            .map_err(|e| duplicate(py, &e))
    }

    /// Adds a key pair (``{"KeyPairName": "kp-1"}``; 2025-02-27 revision).
    fn add_key_pair(&self, py: Python<'_>, key_pair: &Bound<'_, PyDict>) -> PyResult<()> {
        let mut s = parse_in_scenario(py, "KeyPairs", true, key_pair)?;
        let key_pair = s
            .key_pairs
            .pop()
            .ok_or_else(|| scenario_error(py, ".", "not a valid key pair"))?;
        self.lock()
            .world
            .insert_key_pair(key_pair)
            .map_err(|e| duplicate(py, &e))
    }

    /// Adds a KMS key, spelled as in a scenario's ``KmsKeys`` (2025-02-27).
    fn add_kms_key(&self, py: Python<'_>, key: &Bound<'_, PyDict>) -> PyResult<()> {
        let mut s = parse_in_scenario(py, "KmsKeys", true, key)?;
        let key = s
            .kms_keys
            .pop()
            .ok_or_else(|| scenario_error(py, ".", "not a valid KMS key"))?;
        self.lock()
            .world
            .insert_kms_key(key)
            .map_err(|e| duplicate(py, &e))
    }

    /// Sets the account, spelled as a scenario's ``Account`` (2025-02-27).
    fn set_account(&self, py: Python<'_>, account: &Bound<'_, PyDict>) -> PyResult<()> {
        let s = parse_in_scenario(py, "Account", false, account)?;
        let account: Account = s.account;
        self.lock().world.set_account(account);
        Ok(())
    }

    /// Decides ``request`` (the raw parameters, name to value, all strings)
    /// against the world, without changing it; the decision ``dict`` has the
    /// keys ``reinit-disk eval`` prints. ``policy`` as for ``World()``;
    /// ``None`` is the world's.
    ///
    /// >>> world = reinit_disk.World()
    /// >>> world.evaluate({"DiskId": "d-9"})["Code"]
    /// 'InvalidDiskId.NotFound'
    #[pyo3(signature = (request, policy = None))]
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyDict>,
        policy: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let params = request_params(py, request, Some(&self.disk_ids))?;
        let chosen = match policy {
            Some(p) => Some(policy_of(py, Some(p), Policy::default())?),
            None => None,
        };
        let request = params.request();
        let disk_id = params.disk_id();
        // Under the lock, the decision, and the answer kept for its target
        // if there is one (a look-up); the ids of a new target are copied
        // out, so that no dict is built under the lock.
        let answer = {
            let state = self.lock();
            let policy = chosen.as_ref().unwrap_or(&state.policy);
            match reinit_disk::evaluate(&request, &state.world, policy) {
                Err(rejection) => match state.rendered.rejection(py, rejection) {
                    Some(template) => Answer::KeptRejection(template),
                    None => Answer::Rejected(rejection),
                },
                Ok(target) => match state.rendered.get(py, &target) {
                    Some(kept) => Answer::Kept(kept),
                    None => Answer::New(target.to_owned()),
                },
            }
        };
        match answer {
            Answer::KeptRejection(template) => Ok(template.bind(py).copy()?.into_any()),
            Answer::Rejected(rejection) => {
                let template = rejection_template(py, rejection)?;
                let out = template.copy()?.into_any();
                let replaced = self
                    .lock()
                    .rendered
                    .keep_rejection(rejection, template.unbind());
                // Dropped once the lock is released.
                drop(replaced);
                Ok(out)
            }
            Answer::Kept(kept) => kept.fresh(py),
            Answer::New(target) => {
                let template = render_accepted(py, &target.as_target(), disk_id)?;
                let out = template.fresh(py);
                let forgotten = self.lock().rendered.keep(target, template);
                // Dropped once the lock is released.
                drop(forgotten);
                out
            }
        }
    }

    /// Decides ``request`` and, if it is accepted, applies the first stage
    /// of the re-init at once, under the same lock: the disk is
    /// ``ReIniting`` (a second request meanwhile gets
    /// ``IncorrectDiskStatus``) and its instance ``Stopped``... as the
    /// target says. Returns the decision; ``settle_reinit`` ends the re-init.
    ///
    /// >>> decision = world.begin_reinit({"DiskId": "d-1"})
    #[pyo3(signature = (request, policy = None))]
    fn begin_reinit<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyDict>,
        policy: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let params = request_params(py, request, Some(&self.disk_ids))?;
        let chosen = match policy {
            Some(p) => Some(policy_of(py, Some(p), Policy::default())?),
            None => None,
        };
        let request = params.request();
        let begun = {
            let mut state = self.lock();
            let policy = chosen.unwrap_or(state.policy);
            state.world.begin_reinit(&request, &policy)
        };
        outcome_to_py(
            py,
            &begun.as_ref().map(OwnedTarget::as_target).map_err(|r| *r),
            params.disk_id(),
        )
    }

    /// Ends the re-init of ``disk_id``: the disk is back ``In_use`` on its
    /// instance (which is started if the request asked for it). Returns
    /// what it was reset to: ``{"ResetTo": "Image"|"Snapshot"|"Empty",
    /// "SourceId": str|None}``. Raises ``TransitionError`` when the disk
    /// does not exist or is not ``ReIniting``.
    fn settle_reinit<'py>(&self, py: Python<'py>, disk_id: &str) -> PyResult<Bound<'py, PyAny>> {
        let (kind, id) = {
            let mut state = self.lock();
            let source = state
                .world
                .settle_reinit(disk_id)
                .map_err(|e| transition(&e))?;
            (source.kind(), source.id().map(str::to_owned))
        };
        let out = PyDict::new(py);
        out.set_item("ResetTo", to_py(py, &kind)?)?;
        out.set_item("SourceId", id)?;
        Ok(out.into_any())
    }

    /// The disk ``disk_id`` as a scenario spells it, or ``None``.
    fn disk<'py>(&self, py: Python<'py>, disk_id: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        let disk = self.lock().world.disk_mut(disk_id).map(|d| d.clone());
        disk.map(|d| to_py(py, &d)).transpose()
    }

    /// The instance ``instance_id`` as a scenario spells it, or ``None``.
    fn instance<'py>(
        &self,
        py: Python<'py>,
        instance_id: &str,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let instance = self
            .lock()
            .world
            .instance_mut(instance_id)
            .map(|i| i.clone());
        instance.map(|i| to_py(py, &i)).transpose()
    }

    /// The world as a scenario ``dict`` (each list sorted by id; an empty
    /// ``Request``), which ``World.from_scenario`` and ``evaluate`` read.
    fn to_scenario<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let scenario = {
            let state = self.lock();
            let w = &state.world;
            let mut s = Scenario {
                disks: w.disks().cloned().collect(),
                instances: w.instances().cloned().collect(),
                images: w.images().cloned().collect(),
                snapshots: w.snapshots().cloned().collect(),
                key_pairs: w.key_pairs().cloned().collect(),
                kms_keys: w.kms_keys().cloned().collect(),
                account: w.account(),
                policy: state.policy,
                ..Scenario::default()
            };
            s.disks.sort_by(|a, b| a.id.cmp(&b.id));
            s.instances.sort_by(|a, b| a.id.cmp(&b.id));
            s.images.sort_by(|a, b| a.id.cmp(&b.id));
            s.snapshots.sort_by(|a, b| a.id.cmp(&b.id));
            s.key_pairs.sort_by(|a, b| a.name.cmp(&b.name));
            s.kms_keys.sort_by(|a, b| a.id.cmp(&b.id));
            s
        };
        to_py(py, &scenario)
    }

    /// The name of the revision the world's policy decides under.
    #[getter]
    fn revision(&self) -> &'static str {
        self.lock().policy.revision().name
    }

    fn __repr__(&self) -> String {
        let state = self.lock();
        let w = &state.world;
        format!(
            "World(disks={}, instances={}, images={}, snapshots={}, key_pairs={}, kms_keys={}, revision='{}')",
            w.disks().count(),
            w.instances().count(),
            w.images().count(),
            w.snapshots().count(),
            w.key_pairs().count(),
            w.kms_keys().count(),
            state.policy.revision().name
        )
    }
}
