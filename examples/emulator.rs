//! A small ECS emulator built on `reinit-disk`, as an embedder would write
//! one: `cargo run --example emulator`.
//!
//! The emulator keeps its own records ([`Volume`], [`Vm`], [`Template`],
//! [`Backup`]: its own field names, its own state enums, ids as `String`s),
//! not the crate's `Disk` or `Instance`. It implements
//! [`reinit_disk::World`] over its store by handing out views that borrow
//! the store's strings (nothing is copied per call), and
//! [`reinit_disk::WorldMut`] so that the crate's [`Transition`] can change
//! it. Each call is one call of the library's one path,
//! [`reinit_disk::wire::exchange`], which goes, in this order:
//!
//! 1. **decide** (`evaluate`) against the store as it is;
//! 2. **answer**: encode the HTTP response with the wire layer;
//! 3. **mutate**: apply the transition's first stage (the disk is
//!    `ReIniting`) through `WorldMut`, only if the request was accepted and
//!    its response written; the emulator applies the second stage later,
//!    when the re-init settles.
//!
//! Every step is printed and asserted: a regression exits non-zero.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use std::collections::HashMap;
use std::error::Error;
use std::fmt;

use reinit_disk::model::{
    CreationTime, DiskCategory, DiskStatus, DiskView, ImageOwnerAlias, ImageView, InstanceStatus,
    InstanceView, LockReason, LockSet, SnapshotView, Source,
};
use reinit_disk::wire::{HttpRequest, Ids, Response, exchange};
use reinit_disk::{OwnedTarget, Policy, World, WorldMut};

// ---------------------------------------------------------------------------
// The emulator's own records.
// ---------------------------------------------------------------------------

/// The emulator's name for a disk's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum VolumeState {
    Provisioning,
    Attaching,
    Attached,
    Detaching,
    Free,
    Resetting,
}

/// The emulator's storage tiers.
#[allow(
    dead_code,
    reason = "each test uses its own part of the shared helpers"
)] // the whole vocabulary; not every value appears below
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tier {
    Essd,
    Ssd,
    LocalNvme,
}

/// Why the emulator holds a resource.
#[allow(
    dead_code,
    reason = "each test uses its own part of the shared helpers"
)] // the whole vocabulary; not every value appears below
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Hold {
    Security,
    Billing,
    Reclaim,
}

/// What a volume was made from.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Origin {
    Template(String),
    Backup(String),
    Blank,
}

/// A disk, as the emulator stores it.
#[derive(Clone, Debug)]
struct Volume {
    id: String,
    tier: Tier,
    state: VolumeState,
    attached_to: Option<String>,
    origin: Origin,
    backup_running: bool,
    holds: Vec<Hold>,
}

/// The emulator's name for an instance's power state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Power {
    Creating,
    Booting,
    On,
    ShuttingDown,
    Off,
}

/// An instance, as the emulator stores it.
#[derive(Clone, Debug)]
struct Vm {
    id: String,
    power: Power,
    ever_booted: bool,
    holds: Vec<Hold>,
}

/// Who publishes an image.
#[allow(
    dead_code,
    reason = "each test uses its own part of the shared helpers"
)] // the whole vocabulary; not every value appears below
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Publisher {
    Platform,
    ThisAccount,
    SharedWithUs,
}

/// An image.
#[derive(Clone, Debug)]
struct Template {
    id: String,
    publisher: Publisher,
    removed: bool,
}

/// A snapshot.
#[derive(Clone, Debug)]
struct Backup {
    id: String,
    taken_at_unix: i64,
    removed: bool,
}

/// The emulator's store: its records, keyed by id.
#[derive(Default)]
struct Store {
    volumes: HashMap<String, Volume>,
    vms: HashMap<String, Vm>,
    templates: HashMap<String, Template>,
    backups: HashMap<String, Backup>,
}

impl Store {
    fn add_volume(&mut self, v: Volume) {
        self.volumes.insert(v.id.clone(), v);
    }
    fn add_vm(&mut self, vm: Vm) {
        self.vms.insert(vm.id.clone(), vm);
    }
    fn add_template(&mut self, t: Template) {
        self.templates.insert(t.id.clone(), t);
    }
    /// Adds a backup; its time must be one `CreationTime` can hold (checked
    /// here, once, so that every view of it has one).
    fn add_backup(&mut self, b: Backup) {
        assert!(CreationTime::from_unix_seconds(b.taken_at_unix).is_some());
        self.backups.insert(b.id.clone(), b);
    }
    fn state(&self, volume: &str) -> VolumeState {
        self.volumes[volume].state
    }
}

// ---------------------------------------------------------------------------
// The crate's view of the store: small `Copy` views borrowing its strings.
// ---------------------------------------------------------------------------

impl VolumeState {
    const fn status(self) -> DiskStatus {
        match self {
            Self::Provisioning => DiskStatus::Creating,
            Self::Attaching => DiskStatus::Attaching,
            Self::Attached => DiskStatus::InUse,
            Self::Detaching => DiskStatus::Detaching,
            Self::Free => DiskStatus::Available,
            Self::Resetting => DiskStatus::ReIniting,
        }
    }
    const fn from_status(status: DiskStatus) -> Self {
        match status {
            DiskStatus::Creating => Self::Provisioning,
            DiskStatus::Attaching => Self::Attaching,
            DiskStatus::InUse => Self::Attached,
            DiskStatus::Detaching => Self::Detaching,
            DiskStatus::Available => Self::Free,
            DiskStatus::ReIniting => Self::Resetting,
        }
    }
}

impl Power {
    const fn status(self) -> InstanceStatus {
        match self {
            Self::Creating => InstanceStatus::Pending,
            Self::Booting => InstanceStatus::Starting,
            Self::On => InstanceStatus::Running,
            Self::ShuttingDown => InstanceStatus::Stopping,
            Self::Off => InstanceStatus::Stopped,
        }
    }
    const fn from_status(status: InstanceStatus) -> Self {
        match status {
            InstanceStatus::Pending => Self::Creating,
            InstanceStatus::Starting => Self::Booting,
            InstanceStatus::Running => Self::On,
            InstanceStatus::Stopping => Self::ShuttingDown,
            InstanceStatus::Stopped => Self::Off,
        }
    }
}

/// The crate's lock set of the emulator's holds (a bit set: no allocation).
fn locks(holds: &[Hold]) -> LockSet {
    holds
        .iter()
        .map(|h| match h {
            Hold::Security => LockReason::Security,
            Hold::Billing => LockReason::Financial,
            Hold::Reclaim => LockReason::Recycling,
        })
        .collect()
}

impl World for Store {
    fn disk(&self, id: &str) -> Option<DiskView<'_>> {
        let v = self.volumes.get(id)?;
        let category = match v.tier {
            Tier::Essd => DiskCategory::CloudEssd,
            Tier::Ssd => DiskCategory::CloudSsd,
            Tier::LocalNvme => DiskCategory::LocalSsdPro,
        };
        // The view borrows the volume's strings: its id, its instance's id,
        // its image's or snapshot's id.
        let source = match &v.origin {
            Origin::Template(id) => Source::Image(id),
            Origin::Backup(id) => Source::Snapshot(id),
            Origin::Blank => Source::Empty,
        };
        Some(
            DiskView::new(&v.id, category, v.state.status(), source)
                .with_instance(v.attached_to.as_deref())
                .with_creating_snapshot(v.backup_running)
                .with_operation_locks(locks(&v.holds)),
        )
    }

    fn instance(&self, id: &str) -> Option<InstanceView<'_>> {
        let vm = self.vms.get(id)?;
        Some(
            InstanceView::new(&vm.id, vm.power.status())
                .with_has_started(vm.ever_booted)
                .with_operation_locks(locks(&vm.holds)),
        )
    }

    fn image(&self, id: &str) -> Option<ImageView<'_>> {
        let t = self.templates.get(id)?;
        let alias = match t.publisher {
            Publisher::Platform => ImageOwnerAlias::System,
            Publisher::ThisAccount => ImageOwnerAlias::SelfOwned,
            Publisher::SharedWithUs => ImageOwnerAlias::Others,
        };
        Some(ImageView::new(&t.id, alias).with_deleted(t.removed))
    }

    fn snapshot(&self, id: &str) -> Option<SnapshotView<'_>> {
        let b = self.backups.get(id)?;
        // `add_backup` checked the time: this never drops a backup.
        let taken = CreationTime::from_unix_seconds(b.taken_at_unix)?;
        Some(SnapshotView::new(&b.id, taken).with_deleted(b.removed))
    }
}

/// A change the store cannot make.
#[derive(Debug)]
enum StoreError {
    NoVolume(String),
    NoVm(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoVolume(id) => write!(f, "no volume {id}"),
            Self::NoVm(id) => write!(f, "no vm {id}"),
        }
    }
}

impl Error for StoreError {}

/// The transition changes the store through this.
impl WorldMut for Store {
    type Error = StoreError;

    fn set_disk_status(&mut self, disk_id: &str, status: DiskStatus) -> Result<(), StoreError> {
        let v = self
            .volumes
            .get_mut(disk_id)
            .ok_or_else(|| StoreError::NoVolume(disk_id.to_owned()))?;
        v.state = VolumeState::from_status(status);
        Ok(())
    }

    fn set_instance_status(
        &mut self,
        instance_id: &str,
        status: InstanceStatus,
    ) -> Result<(), StoreError> {
        let vm = self
            .vms
            .get_mut(instance_id)
            .ok_or_else(|| StoreError::NoVm(instance_id.to_owned()))?;
        vm.power = Power::from_status(status);
        vm.ever_booted |= status == InstanceStatus::Running;
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// One call, end to end.
// ---------------------------------------------------------------------------

/// Handles one `ReInitDisk` HTTP request through the library's one path:
/// decide, answer, then mutate. Returns the response and, for an accepted
/// request, the target (owned: it borrows nothing) to settle later.
///
/// A real server makes this call under one write lock on the store (and
/// its policy), so that no other request changes the world between the
/// decision and the first stage of its transition. A malformed request (a
/// bad escape, a parameter given twice with two values) is answered without
/// deciding, and nothing changes; should encoding fail, nothing has changed
/// either, so the client's retry is decided afresh.
fn handle(
    store: &mut Store,
    policy: &Policy,
    http: &HttpRequest<'_>,
    request_id: &str,
) -> Result<(Response, Option<OwnedTarget>), Box<dyn Error>> {
    let done = exchange(http, store, policy, &Ids::new(request_id))?;
    let accepted = done.outcome.and_then(Result::ok);
    Ok((done.response, accepted))
}

/// Prints a response and holds it to what it must be.
fn check(response: &Response, status: u16, code: Option<&str>) {
    println!("{}\n", response.to_http());
    assert_eq!(response.status, status, "status of {}", response.body);
    match code {
        Some(code) => assert!(
            response.body.contains(&format!("\"Code\":\"{code}\""))
                || response.body.contains(&format!("<Code>{code}</Code>")),
            "expected code {code} in {}",
            response.body
        ),
        None => assert!(!response.body.contains("Code"), "{}", response.body),
    }
}

/// Prints a volume's state and holds it to what it must be.
fn check_state(store: &Store, volume: &str, state: VolumeState) {
    let now = store.state(volume);
    println!(
        "   volume {volume} is now {now:?} ({} to the crate)\n",
        now.status()
    );
    assert_eq!(store.state(volume), state, "state of {volume}");
}

fn get(query: &str) -> HttpRequest<'_> {
    println!(">> GET /?{query}");
    HttpRequest {
        query,
        ..HttpRequest::default()
    }
}

fn world() -> Store {
    let mut store = Store::default();
    store.add_vm(Vm {
        id: "i-web".into(),
        power: Power::Off,
        ever_booted: true,
        holds: vec![],
    });
    store.add_vm(Vm {
        id: "i-busy".into(),
        power: Power::On,
        ever_booted: true,
        holds: vec![],
    });
    store.add_template(Template {
        id: "m-ubuntu".into(),
        publisher: Publisher::Platform,
        removed: false,
    });
    store.add_backup(Backup {
        id: "s-gone".into(),
        taken_at_unix: 1_700_000_000,
        removed: true,
    });
    store.add_volume(Volume {
        id: "d-system".into(),
        tier: Tier::Essd,
        state: VolumeState::Attached,
        attached_to: Some("i-web".into()),
        origin: Origin::Template("m-ubuntu".into()),
        backup_running: false,
        holds: vec![],
    });
    store.add_volume(Volume {
        id: "d-restored".into(),
        tier: Tier::Ssd,
        state: VolumeState::Attached,
        attached_to: Some("i-web".into()),
        origin: Origin::Backup("s-gone".into()),
        backup_running: false,
        holds: vec![],
    });
    store.add_volume(Volume {
        id: "d-unpaid".into(),
        tier: Tier::Essd,
        state: VolumeState::Free,
        attached_to: None,
        origin: Origin::Blank,
        backup_running: false,
        holds: vec![Hold::Billing],
    });
    store.add_vm(Vm {
        id: "i-quarantined".into(),
        power: Power::Off,
        ever_booted: true,
        holds: vec![Hold::Security],
    });
    store.add_volume(Volume {
        id: "d-leaving".into(),
        tier: Tier::Essd,
        state: VolumeState::Detaching,
        attached_to: Some("i-quarantined".into()),
        origin: Origin::Blank,
        backup_running: false,
        holds: vec![],
    });
    store.add_volume(Volume {
        id: "d-busy".into(),
        tier: Tier::Essd,
        state: VolumeState::Attached,
        attached_to: Some("i-busy".into()),
        origin: Origin::Blank,
        backup_running: false,
        holds: vec![],
    });
    store
}

fn main() -> Result<(), Box<dyn Error>> {
    let mut store = world();
    let policy = Policy::default();

    println!("== 1. Re-init the system disk: accepted; the disk is ReIniting");
    let (response, target) = handle(
        &mut store,
        &policy,
        &get("Action=ReInitDisk&DiskId=d-system&SecurityEnhancementStrategy=Active&Format=JSON"),
        "00000000-0000-4000-8000-000000000001",
    )?;
    check(&response, 200, None);
    let target = target.expect("accepted");
    assert_eq!(target.source_id.as_deref(), Some("m-ubuntu"));
    assert_eq!(
        target.security_enhancement,
        Some(reinit_disk::SecurityEnhancementStrategy::Active)
    );
    check_state(&store, "d-system", VolumeState::Resetting);

    println!("== 2. The same request while it runs: IncorrectDiskStatus, nothing changes");
    let (response, again) = handle(
        &mut store,
        &policy,
        &get("Action=ReInitDisk&DiskId=d-system&Format=JSON"),
        "00000000-0000-4000-8000-000000000002",
    )?;
    check(&response, 403, Some("IncorrectDiskStatus"));
    assert!(again.is_none());
    check_state(&store, "d-system", VolumeState::Resetting);

    println!("== 3. The re-init settles: the disk is In_use again, on the same instance");
    target.as_target().transition().settle(&mut store)?;
    check_state(&store, "d-system", VolumeState::Attached);
    assert_eq!(
        store.volumes["d-system"].attached_to.as_deref(),
        Some("i-web")
    );

    println!("== 4. Accepted again once settled");
    let (response, target) = handle(
        &mut store,
        &policy,
        &get("Action=ReInitDisk&DiskId=d-system&Format=XML"),
        "00000000-0000-4000-8000-000000000004",
    )?;
    check(&response, 200, None);
    check_state(&store, "d-system", VolumeState::Resetting);
    target
        .expect("accepted")
        .as_target()
        .transition()
        .settle(&mut store)?;
    check_state(&store, "d-system", VolumeState::Attached);

    println!("== 5. A data disk whose source snapshot was deleted (XML, form body)");
    let body = b"Action=ReInitDisk&DiskId=d-restored";
    println!(">> POST / {}", String::from_utf8_lossy(body));
    let http = HttpRequest {
        query: "Format=XML",
        body,
        headers: &[("Content-Type", "application/x-www-form-urlencoded")],
    };
    let (response, none) = handle(
        &mut store,
        &policy,
        &http,
        "00000000-0000-4000-8000-000000000005",
    )?;
    check(&response, 403, Some("InvalidSourceSnapshot"));
    assert!(none.is_none());
    check_state(&store, "d-restored", VolumeState::Attached);

    println!("== 6. A disk with its own billing hold: InstanceExpiredOrInArrears");
    let (response, none) = handle(
        &mut store,
        &policy,
        &get("Action=ReInitDisk&DiskId=d-unpaid&Format=JSON"),
        "00000000-0000-4000-8000-000000000006",
    )?;
    check(&response, 403, Some("InstanceExpiredOrInArrears"));
    assert!(none.is_none());
    check_state(&store, "d-unpaid", VolumeState::Free);

    println!("== 7. A disk whose instance is running: IncorrectInstanceStatus");
    let (response, none) = handle(
        &mut store,
        &policy,
        &get("Action=ReInitDisk&DiskId=d-busy&Format=JSON"),
        "00000000-0000-4000-8000-000000000007",
    )?;
    check(&response, 403, Some("IncorrectInstanceStatus"));
    assert!(none.is_none());
    check_state(&store, "d-busy", VolumeState::Attached);

    println!(
        "== 8. A security hold on the instance answers only while the disk is In_use: this one is Detaching"
    );
    let (response, none) = handle(
        &mut store,
        &policy,
        &get("Action=ReInitDisk&DiskId=d-leaving&Format=JSON"),
        "00000000-0000-4000-8000-000000000008",
    )?;
    check(&response, 403, Some("IncorrectDiskStatus"));
    assert!(none.is_none());
    check_state(&store, "d-leaving", VolumeState::Detaching);

    println!("== 9. DiskId given twice, two values: InvalidParameter, nothing decided");
    let (response, none) = handle(
        &mut store,
        &policy,
        &get("Action=ReInitDisk&DiskId=d-system&DiskId=d-busy&Format=JSON"),
        "00000000-0000-4000-8000-000000000009",
    )?;
    check(&response, 400, Some("InvalidParameter"));
    assert!(none.is_none());
    check_state(&store, "d-system", VolumeState::Attached);

    println!("emulator: every response and every state as expected");
    Ok(())
}
