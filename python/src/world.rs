//! `World`: an `InMemoryWorld` behind a mutex, shared by Python threads.

use std::sync::{Mutex, MutexGuard, PoisonError};

use pyo3::prelude::*;
use pyo3::types::PyDict;
use reinit_disk::ecs::{Entry, Fields, entry_to_serialize};
use reinit_disk::model::Disk;
use reinit_disk::scenario::{Scenario, check_disk};
use reinit_disk::{DuplicateId, InMemoryWorld, OwnedTarget, Policy, World as _};
use serde::Serialize;

use crate::convert::{json_to_py, write_json};
use crate::decision::outcome_to_py;
use crate::errors::{duplicate, from_scenario, from_unwritable, scenario_error, transition};
use crate::request::request_params;
use crate::{MAX_INPUT_BYTES, document_text, policy_of};

/// What a `World` holds: the resources, and the policy its calls use when
/// they name none.
pub struct State {
    pub world: InMemoryWorld,
    pub policy: Policy,
    /// ECS's own fields of the records (a disk's `DiskName`, `Size`): kept
    /// by id, written back by `to_scenario`, `disk` and `instance`.
    pub fields: Fields,
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
}

impl PyWorld {
    /// The world's state, locked. A poisoned lock (a panic while it was
    /// held, which the crate's code does not do) still gives the state.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn with(world: InMemoryWorld, policy: Policy, fields: Fields) -> Self {
        Self {
            state: Mutex::new(State {
                world,
                policy,
                fields,
            }),
        }
    }

    /// Adds the one record of `field` that `dict` is (read by the
    /// scenario's parser, taken out by `take`) with `insert`: what every
    /// `add_*` method but `add_disk` does.
    fn add<T>(
        &self,
        py: Python<'_>,
        field: &str,
        dict: &Bound<'_, PyDict>,
        take: impl FnOnce(&mut Scenario) -> Option<T>,
        insert: fn(&mut InMemoryWorld, T) -> Result<(), DuplicateId>,
    ) -> PyResult<()> {
        let (value, fields) = record(py, field, dict, take)?;
        let mut state = self.lock();
        insert(&mut state.world, value).map_err(|e| duplicate(py, &e))?;
        state.fields.append(fields);
        Ok(())
    }

    /// A call's policy: the one it names, else the world's (`None` here).
    fn chosen(py: Python<'_>, policy: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Policy>> {
        match policy.filter(|p| !p.is_none()) {
            Some(p) => policy_of(py, Some(p), Policy::default()).map(Some),
            None => Ok(None),
        }
    }
}

/// A record `dict` as one of a scenario's lists holds it (`field` is
/// `Disks`, `Instances`, ...; `listed` false for the `Account` object), read
/// by the scenario's own parser: errors read as the CLI's, with the path
/// from inside the record (`Status`, not `Instances[0].Status`).
fn parse_in_scenario(py: Python<'_>, field: &str, listed: bool, json: &str) -> PyResult<Scenario> {
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
        scenario_error(py, if path.is_empty() { "." } else { path }, &e.message)
    })
}

/// A record `dict` as JSON text.
fn record_json(py: Python<'_>, record: &Bound<'_, PyDict>) -> PyResult<String> {
    let mut json = String::new();
    write_json(record.as_any(), &mut json, 1, MAX_INPUT_BYTES)
        .map_err(|e| from_unwritable(py, &e, ""))?;
    Ok(json)
}

/// The one record of `field` a record `dict` is, read by the scenario's
/// parser and taken out of the scenario by `take`, with its ECS fields.
fn record<T>(
    py: Python<'_>,
    field: &str,
    record: &Bound<'_, PyDict>,
    take: impl FnOnce(&mut Scenario) -> Option<T>,
) -> PyResult<(T, Fields)> {
    let mut scenario = parse_in_scenario(py, field, true, &record_json(py, record)?)?;
    let fields = std::mem::take(&mut scenario.ecs);
    take(&mut scenario)
        .map(|value| (value, fields))
        .ok_or_else(|| scenario_error(py, ".", &format!("not one of {field}")))
}

/// Serializes `value` and reads it back as Python objects.
fn to_py<'py, T: Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    json_to_py(py, &record_text(value)?)
}

/// `value` as JSON text.
fn record_text<T: Serialize>(value: &T) -> PyResult<String> {
    serde_json::to_string(value)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(format!("cannot serialize: {e}")))
}

#[pymethods]
impl PyWorld {
    /// An empty world. ``policy`` is the policy its calls use when they name
    /// none: ``None`` (the default policy), a revision name
    /// (``"2025-02-27"``) or a scenario's ``Policy`` object as a dict
    /// (``{"Revision": "2025-02-27", "Order": [...]}``).
    ///
    /// >>> reinit_disk.World(policy="2025-02-27")
    /// World(disks=0, instances=0, images=0, snapshots=0, key_pairs=0, kms_keys=0, revision='2025-02-27')
    #[new]
    #[pyo3(signature = (policy = None))]
    fn new(py: Python<'_>, policy: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let policy = policy_of(py, policy, Policy::default())?;
        Ok(Self::with(InMemoryWorld::new(), policy, Fields::default()))
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
        let world = scenario.to_world().map_err(|e| from_scenario(py, &e))?;
        Ok(Self::with(world, scenario.policy, scenario.ecs))
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
    /// >>> world.add_disk({"DiskId": "d-2", "Type": "data", "Category": "cloud_essd",
    /// ...                 "Status": "In_use"})
    /// Traceback (most recent call last):
    /// ...
    /// reinit_disk.ScenarioError: InstanceId: a disk whose Status is In_use is attached: give its InstanceId
    fn add_disk(&self, py: Python<'_>, disk: &Bound<'_, PyDict>) -> PyResult<()> {
        let json = record_json(py, disk)?;
        // A disk alone (its ids need not be listed yet): read by serde, and
        // by the scenario's parser to say where and why when it is not one.
        let Entry { model: disk, ecs } = match serde_json::from_str::<Entry<Disk>>(&json) {
            Ok(entry) => entry,
            Err(_) => {
                return Err(parse_in_scenario(py, "Disks", true, &json)
                    .err()
                    .unwrap_or_else(|| scenario_error(py, ".", "not a valid disk")));
            }
        };
        check_disk(&disk).map_err(|e| from_scenario(py, &e))?;
        let id = disk.id.clone();
        let mut state = self.lock();
        state
            .world
            .insert_disk(disk)
            .map_err(|e| duplicate(py, &e))?;
        state.fields.set_disk(id, ecs);
        Ok(())
    }

    /// Adds an instance, spelled as in a scenario's ``Instances``.
    ///
    /// >>> reinit_disk.World().add_instance({"InstanceId": "i-1", "Status": "Running"})
    fn add_instance(&self, py: Python<'_>, instance: &Bound<'_, PyDict>) -> PyResult<()> {
        self.add(
            py,
            "Instances",
            instance,
            |s| s.instances.pop(),
            InMemoryWorld::insert_instance,
        )
    }

    /// Adds an image, spelled as in a scenario's ``Images``.
    ///
    /// >>> reinit_disk.World().add_image({"ImageId": "m-1", "ImageOwnerAlias": "system"})
    fn add_image(&self, py: Python<'_>, image: &Bound<'_, PyDict>) -> PyResult<()> {
        self.add(
            py,
            "Images",
            image,
            |s| s.images.pop(),
            InMemoryWorld::insert_image,
        )
    }

    /// Adds a snapshot, spelled as in a scenario's ``Snapshots``.
    ///
    /// >>> reinit_disk.World().add_snapshot(
    /// ...     {"SnapshotId": "s-1", "CreationTime": "2014-01-01T00:00:00Z"})
    fn add_snapshot(&self, py: Python<'_>, snapshot: &Bound<'_, PyDict>) -> PyResult<()> {
        self.add(
            py,
            "Snapshots",
            snapshot,
            |s| s.snapshots.pop(),
            InMemoryWorld::insert_snapshot,
        )
    }

    /// Adds a key pair, spelled as in a scenario's ``KeyPairs`` (read by
    /// the 2025-02-27 revision).
    ///
    /// >>> reinit_disk.World().add_key_pair({"KeyPairName": "kp-1"})
    fn add_key_pair(&self, py: Python<'_>, key_pair: &Bound<'_, PyDict>) -> PyResult<()> {
        self.add(
            py,
            "KeyPairs",
            key_pair,
            |s| s.key_pairs.pop(),
            InMemoryWorld::insert_key_pair,
        )
    }

    /// Adds a KMS key, spelled as in a scenario's ``KmsKeys`` (read by the
    /// 2025-02-27 revision).
    ///
    /// >>> reinit_disk.World().add_kms_key({"KeyId": "key-1"})
    fn add_kms_key(&self, py: Python<'_>, key: &Bound<'_, PyDict>) -> PyResult<()> {
        self.add(
            py,
            "KmsKeys",
            key,
            |s| s.kms_keys.pop(),
            InMemoryWorld::insert_kms_key,
        )
    }

    /// Sets the account, spelled as a scenario's ``Account`` (read by the
    /// 2025-02-27 revision).
    ///
    /// >>> reinit_disk.World().set_account({})
    fn set_account(&self, py: Python<'_>, account: &Bound<'_, PyDict>) -> PyResult<()> {
        let scenario = parse_in_scenario(py, "Account", false, &record_json(py, account)?)?;
        self.lock().world.set_account(scenario.account);
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
        let params = request_params(py, request)?;
        let chosen = Self::chosen(py, policy)?;
        let request = params.request();
        // Under the lock, the decision alone: the answer is built after it
        // is released (a rejection is a copy; a target's ids are copied out).
        let outcome = {
            let state = self.lock();
            let policy = chosen.as_ref().unwrap_or(&state.policy);
            reinit_disk::evaluate(&request, &state.world, policy).map(|t| t.to_owned())
        };
        outcome_to_py(
            py,
            &outcome.as_ref().map(OwnedTarget::as_target).map_err(|r| *r),
        )
    }

    /// Decides ``request`` and, if it is accepted, applies the first stage
    /// of the re-init at once, under the same lock: the disk is
    /// ``ReIniting`` (a second request meanwhile gets
    /// ``IncorrectDiskStatus``) and its instance as the target says.
    /// Returns the decision; ``settle_reinit`` ends the re-init.
    ///
    /// >>> world = reinit_disk.World.from_scenario({
    /// ...     "Disks": [{"DiskId": "d-1", "Type": "data", "Category": "cloud_essd",
    /// ...                "Status": "In_use", "InstanceId": "i-1"}],
    /// ...     "Instances": [{"InstanceId": "i-1", "Status": "Stopped"}]})
    /// >>> world.begin_reinit({"DiskId": "d-1"})["Accepted"]
    /// True
    /// >>> world.begin_reinit({"DiskId": "d-1"})["Code"]
    /// 'IncorrectDiskStatus'
    #[pyo3(signature = (request, policy = None))]
    fn begin_reinit<'py>(
        &self,
        py: Python<'py>,
        request: &Bound<'py, PyDict>,
        policy: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let params = request_params(py, request)?;
        let chosen = Self::chosen(py, policy)?;
        let request = params.request();
        let begun = {
            let mut state = self.lock();
            let policy = chosen.unwrap_or(state.policy);
            state.world.begin_reinit(&request, &policy)
        };
        outcome_to_py(
            py,
            &begun.as_ref().map(OwnedTarget::as_target).map_err(|r| *r),
        )
    }

    /// Ends the re-init of ``disk_id``: the disk is back ``In_use`` on its
    /// instance (which is started if the request asked for it). Returns
    /// what it was reset to: ``{"ResetTo": "Image"|"Snapshot"|"Empty",
    /// "SourceId": str|None}``. Raises ``TransitionError`` when the disk
    /// does not exist or is not ``ReIniting``.
    ///
    /// >>> world = reinit_disk.World.from_scenario({
    /// ...     "Disks": [{"DiskId": "d-1", "Type": "data", "Category": "cloud_essd",
    /// ...                "Status": "In_use", "InstanceId": "i-1"}],
    /// ...     "Instances": [{"InstanceId": "i-1", "Status": "Stopped"}]})
    /// >>> world.begin_reinit({"DiskId": "d-1"})["Accepted"]
    /// True
    /// >>> world.settle_reinit("d-1")
    /// {'ResetTo': 'Empty', 'SourceId': None}
    /// >>> world.disk("d-1")["Status"]
    /// 'In_use'
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
    ///
    /// >>> world = reinit_disk.World()
    /// >>> world.add_disk({"DiskId": "d-1", "Type": "data", "Category": "cloud_essd",
    /// ...                 "Status": "Available"})
    /// >>> world.disk("d-1")["Status"], world.disk("d-2")
    /// ('Available', None)
    fn disk<'py>(&self, py: Python<'py>, disk_id: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        // Written under the lock, read into Python objects after it.
        let json = {
            let state = self.lock();
            state
                .world
                .disk_record(disk_id)
                .map(|d| record_text(&entry_to_serialize(d, &state.fields)))
        };
        json.map(|j| j.and_then(|j| json_to_py(py, &j))).transpose()
    }

    /// The instance ``instance_id`` as a scenario spells it, or ``None``.
    ///
    /// >>> world = reinit_disk.World()
    /// >>> world.add_instance({"InstanceId": "i-1", "Status": "Running"})
    /// >>> world.instance("i-1")["Status"], world.instance("i-2")
    /// ('Running', None)
    fn instance<'py>(
        &self,
        py: Python<'py>,
        instance_id: &str,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        let json = {
            let state = self.lock();
            state
                .world
                .instance_record(instance_id)
                .map(|i| record_text(&entry_to_serialize(i, &state.fields)))
        };
        json.map(|j| j.and_then(|j| json_to_py(py, &j))).transpose()
    }

    /// The world as a scenario ``dict`` (each list sorted by id; an empty
    /// ``Request``), which ``World.from_scenario`` and ``evaluate`` read.
    ///
    /// >>> world = reinit_disk.World(policy="2025-02-27")
    /// >>> world.add_instance({"InstanceId": "i-1", "Status": "Running"})
    /// >>> [i["InstanceId"] for i in world.to_scenario()["Instances"]]
    /// ['i-1']
    /// >>> reinit_disk.World.from_scenario(world.to_scenario()).revision
    /// '2025-02-27'
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
                ecs: state.fields.clone(),
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
    ///
    /// >>> reinit_disk.World(policy="2025-02-27").revision
    /// '2025-02-27'
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
