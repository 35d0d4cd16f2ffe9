//! The benchmark world and its cases, shared by benches/evaluate.rs and
//! tests/alloc.rs: one accepted request per kind of source and one request
//! per rejection (every code the checks can give, with the policy that
//! gives it), for the seed revision ([`cases`]) and for the 2025-02-27
//! revision ([`cases_2025`]: the seed's cases under it, then one per code
//! it adds). The two account-wide codes need an account that refuses:
//! their cases run against [`account_world`].

use reinit_disk::answers::{
    ActiveOnNonPublicImage, Answers, DeletedImageCode, DeletedSnapshotCode,
};
use reinit_disk::model::{
    Account, CreationTime, Disk, DiskCategory, DiskSource, DiskStatus, Image, ImageOwnerAlias,
    Instance, InstanceStatus, KeyPair, KeyState, KmsKey, LockReason, LockSet, MultiAttach, OsType,
    Snapshot,
};
use reinit_disk::revision::V2025_02_27;
use reinit_disk::{Code, InMemoryWorld, Policy, Request};

/// One request to decide, and what it must decide.
pub struct Case {
    /// The benchmark's name for it.
    pub name: &'static str,
    /// The request.
    pub request: Request<'static>,
    /// The policy.
    pub policy: Policy,
    /// `None`: accepted; `Some(code)`: rejected with `code`.
    pub expect: Option<Code>,
    /// Whether it runs against [`account_world`] instead of [`world`].
    pub account_refuses: bool,
}

const IMAGES: usize = 100;
const SNAPSHOTS: usize = 1_000;

fn ok_instance(id: String) -> Instance {
    Instance {
        id,
        status: InstanceStatus::Stopped,
        has_started: true,
        operation_locks: LockSet::EMPTY,
        ..Default::default()
    }
}

fn disk(id: &str, instance: &str, source: DiskSource) -> Disk {
    Disk {
        id: id.to_owned(),
        category: DiskCategory::CloudEssd,
        status: DiskStatus::InUse,
        instance_id: Some(instance.to_owned()),
        source,
        creating_snapshot: false,
        operation_locks: LockSet::EMPTY,
        ..Default::default()
    }
}

fn image_source(id: &str) -> DiskSource {
    DiskSource::Image {
        image_id: id.to_owned(),
        snapshot_id: None,
    }
}

fn snapshot_source(id: &str) -> DiskSource {
    DiskSource::Snapshot {
        snapshot_id: id.to_owned(),
    }
}

fn time(unix: i64) -> CreationTime {
    CreationTime::from_unix_seconds(unix).expect("in range")
}

/// A world of `disks` disks (at least the 17 the cases name): the cases'
/// disks, then ordinary ones, two per instance (a system disk from one of
/// 100 public images and a data disk from one of 1,000 snapshots), all
/// re-initializable. Ids are as long as ECS's (22 characters).
pub fn world(disks: usize) -> InMemoryWorld {
    let mut w = InMemoryWorld::new();
    for k in 0..IMAGES {
        w.insert_image(Image {
            id: format!("m-bp1{k:017}"),
            image_owner_alias: ImageOwnerAlias::System,
            deleted: false,
            ..Default::default()
        })
        .expect("unique");
    }
    for k in 0..SNAPSHOTS {
        w.insert_snapshot(Snapshot {
            id: format!("s-bp1{k:017}"),
            creation_time: time(1_600_000_000),
            deleted: false,
            ..Default::default()
        })
        .expect("unique");
    }

    // The cases' images, snapshots, instances and disks.
    let special_images = [
        ("m-self-image-000000000", ImageOwnerAlias::SelfOwned, false),
        ("m-shared-deleted-00000", ImageOwnerAlias::Others, true),
        ("m-own-deleted-00000000", ImageOwnerAlias::SelfOwned, true),
    ];
    for (id, alias, deleted) in special_images {
        w.insert_image(Image {
            id: id.to_owned(),
            image_owner_alias: alias,
            deleted,
            ..Default::default()
        })
        .expect("unique");
    }
    let special_snapshots = [
        ("s-deleted-000000000000", 1_600_000_000, true),
        ("s-too-old-000000000000", 1_300_000_000, false),
    ];
    for (id, at, deleted) in special_snapshots {
        w.insert_snapshot(Snapshot {
            id: id.to_owned(),
            creation_time: time(at),
            deleted,
            ..Default::default()
        })
        .expect("unique");
    }
    let special_instances = [
        (
            "i-ok-00000000000000000",
            InstanceStatus::Stopped,
            true,
            LockSet::EMPTY,
        ),
        (
            "i-security-00000000000",
            InstanceStatus::Stopped,
            true,
            LockSet::EMPTY.with(LockReason::Security),
        ),
        (
            "i-financial-0000000000",
            InstanceStatus::Stopped,
            true,
            LockSet::EMPTY.with(LockReason::Financial),
        ),
        (
            "i-running-000000000000",
            InstanceStatus::Running,
            true,
            LockSet::EMPTY,
        ),
    ];
    for (id, status, has_started, operation_locks) in special_instances {
        w.insert_instance(Instance {
            id: id.to_owned(),
            status,
            has_started,
            operation_locks,
            ..Default::default()
        })
        .expect("unique");
    }
    let ok = "i-ok-00000000000000000";
    let public = "m-bp100000000000000000";
    let snap = "s-bp100000000000000000";
    let mut special = vec![
        disk("d-accept-system-000000", ok, image_source(public)),
        disk("d-accept-snapshot-0000", ok, snapshot_source(snap)),
        disk("d-accept-empty-0000000", ok, DiskSource::Empty),
        disk(
            "d-self-image-000000000",
            ok,
            image_source("m-self-image-000000000"),
        ),
        Disk {
            category: DiskCategory::LocalSsdPro,
            ..disk("d-local-000000000000000", ok, DiskSource::Empty)
        },
        disk(
            "d-security-00000000000",
            "i-security-00000000000",
            DiskSource::Empty,
        ),
        disk(
            "d-financial-0000000000",
            "i-financial-0000000000",
            DiskSource::Empty,
        ),
        Disk {
            status: DiskStatus::Available,
            instance_id: None,
            ..disk("d-detached-00000000000", ok, DiskSource::Empty)
        },
        disk(
            "d-running-000000000000",
            "i-running-000000000000",
            DiskSource::Empty,
        ),
        Disk {
            creating_snapshot: true,
            ..disk("d-snapshotting-0000000", ok, DiskSource::Empty)
        },
        disk(
            "d-deleted-snapshot-000",
            ok,
            snapshot_source("s-deleted-000000000000"),
        ),
        disk(
            "d-too-old-000000000000",
            ok,
            snapshot_source("s-too-old-000000000000"),
        ),
        disk(
            "d-shared-deleted-00000",
            ok,
            image_source("m-shared-deleted-00000"),
        ),
        disk(
            "d-own-deleted-00000000",
            ok,
            image_source("m-own-deleted-00000000"),
        ),
        disk(
            "d-dangling-00000000000",
            "i-not-in-the-world-000",
            DiskSource::Empty,
        ),
        // The disk's own financial lock answers as its instance's would.
        Disk {
            operation_locks: LockSet::EMPTY.with(LockReason::Financial),
            ..disk("d-disk-financial-00000", ok, DiskSource::Empty)
        },
        // A security-locked instance answers only while its disk is In_use:
        // this disk, Detaching, gets what it would get unlocked.
        Disk {
            status: DiskStatus::Detaching,
            ..disk(
                "d-security-detaching-0",
                "i-security-00000000000",
                DiskSource::Empty,
            )
        },
    ];
    // The 2025-02-27 revision's facts.
    add_2025_facts(&mut w, &mut special);
    assert!(disks >= special.len());
    let bulk = disks - special.len();
    for n in 0..bulk {
        let instance = format!("i-bp1{:017}", n / 2);
        if n % 2 == 0 {
            w.insert_instance(ok_instance(instance.clone()))
                .expect("unique");
        }
        let source = if n % 2 == 0 {
            image_source(&format!("m-bp1{:017}", n % IMAGES))
        } else {
            snapshot_source(&format!("s-bp1{:017}", n % SNAPSHOTS))
        };
        special.push(disk(&format!("d-bp1{n:017}"), &instance, source));
    }
    for d in special {
        w.insert_disk(d).expect("unique");
    }
    w
}

/// Every case: three accepted, then one per rejection.
pub fn cases() -> Vec<Case> {
    let default = Policy::new(&reinit_disk::revision::SEED);
    let case = |name, request, expect| Case {
        name,
        request,
        policy: default,
        expect,
        account_refuses: false,
    };
    let strategy = |id, value| Request {
        security_enhancement_strategy: Some(value),
        ..Request::new(id)
    };
    vec![
        case(
            "accepted-system-disk",
            strategy("d-accept-system-000000", "Active"),
            None,
        ),
        case(
            "accepted-snapshot-data-disk",
            Request::new("d-accept-snapshot-0000"),
            None,
        ),
        case(
            "accepted-empty-data-disk",
            Request::new("d-accept-empty-0000000"),
            None,
        ),
        case(
            "accepted-bulk-disk",
            Request::new("d-bp100000000000000301"),
            None,
        ),
        case(
            "InvalidAction.NotFound",
            Request {
                action: Some("DescribeDisks"),
                ..Request::new("d-accept-system-000000")
            },
            Some(Code::InvalidActionNotFound),
        ),
        case(
            "MissingParameter",
            Request {
                disk_id: None,
                ..Request::new("")
            },
            Some(Code::MissingParameter),
        ),
        case(
            "InvalidParameter",
            strategy("d-accept-system-000000", "active"),
            Some(Code::InvalidParameter),
        ),
        case(
            "InvalidDiskId.NotFound",
            Request::new("d-not-in-the-world-000"),
            Some(Code::InvalidDiskIdNotFound),
        ),
        case(
            "DiskCategory.OperationNotSupported",
            Request::new("d-local-000000000000000"),
            Some(Code::DiskCategoryOperationNotSupported),
        ),
        case(
            "InstanceLockedForSecurity",
            Request::new("d-security-00000000000"),
            Some(Code::InstanceLockedForSecurity),
        ),
        case(
            "InstanceExpiredOrInArrears",
            Request::new("d-financial-0000000000"),
            Some(Code::InstanceExpiredOrInArrears),
        ),
        case(
            "IncorrectDiskStatus",
            Request::new("d-detached-00000000000"),
            Some(Code::IncorrectDiskStatus),
        ),
        case(
            "IncorrectInstanceStatus",
            Request::new("d-running-000000000000"),
            Some(Code::IncorrectInstanceStatus),
        ),
        case(
            "DiskCreatingSnapshot",
            Request::new("d-snapshotting-0000000"),
            Some(Code::DiskCreatingSnapshot),
        ),
        case(
            "InvalidSourceSnapshot",
            Request::new("d-deleted-snapshot-000"),
            Some(Code::InvalidSourceSnapshot),
        ),
        Case {
            name: "OperationDenied",
            request: Request::new("d-deleted-snapshot-000"),
            policy: default.with_answers(Answers {
                deleted_snapshot_code: DeletedSnapshotCode::OperationDenied,
                ..default.answers
            }),
            expect: Some(Code::OperationDenied),
            account_refuses: false,
        },
        case(
            "InvalidSnapshot.TooOld",
            Request::new("d-too-old-000000000000"),
            Some(Code::InvalidSnapshotTooOld),
        ),
        case(
            "SharedImageDeleted",
            Request::new("d-shared-deleted-00000"),
            Some(Code::SharedImageDeleted),
        ),
        case(
            "InvalidDiskId.OperationNotSupported",
            Request::new("d-own-deleted-00000000"),
            Some(Code::InvalidDiskIdOperationNotSupported),
        ),
        case(
            "InternalError",
            Request::new("d-dangling-00000000000"),
            Some(Code::InternalError),
        ),
        Case {
            name: "InvalidImageId.NotFound",
            request: Request::new("d-own-deleted-00000000"),
            policy: default.with_answers(Answers {
                deleted_image_code: DeletedImageCode::InvalidImageIdNotFound,
                ..default.answers
            }),
            expect: Some(Code::InvalidImageIdNotFound),
            account_refuses: false,
        },
        Case {
            name: "InvalidParameter-hardening",
            request: strategy("d-self-image-000000000", "Active"),
            policy: default.with_answers(Answers {
                active_on_non_public_image: ActiveOnNonPublicImage::Reject,
                ..default.answers
            }),
            expect: Some(Code::InvalidParameter),
            account_refuses: false,
        },
        case(
            "InstanceExpiredOrInArrears-disk-lock",
            Request::new("d-disk-financial-00000"),
            Some(Code::InstanceExpiredOrInArrears),
        ),
        case(
            "IncorrectDiskStatus-security-not-in-use",
            Request::new("d-security-detaching-0"),
            Some(Code::IncorrectDiskStatus),
        ),
    ]
}

/// The records the 2025-02-27 revision's cases name: instances, an image,
/// snapshots, key pairs and KMS keys, and their disks.
fn add_2025_facts(w: &mut InMemoryWorld, special: &mut Vec<Disk>) {
    let instances = [
        Instance {
            id: "i-hibernation-000000000".to_owned(),
            hibernation_configured: true,
            ..Default::default()
        },
        Instance {
            id: "i-not-io-optimized-0000".to_owned(),
            io_optimized: false,
            ..Default::default()
        },
        Instance {
            id: "i-windows-0000000000000".to_owned(),
            os_type: OsType::Windows,
            ..Default::default()
        },
        Instance {
            id: "i-non-root-000000000000".to_owned(),
            login_as_non_root: true,
            ..Default::default()
        },
    ];
    for i in instances {
        w.insert_instance(i).expect("unique");
    }
    w.insert_image(Image {
        id: "m-no-non-root-00000000".to_owned(),
        login_as_non_root_supported: false,
        ..Default::default()
    })
    .expect("unique");
    w.insert_snapshot(Snapshot {
        id: "s-instant-access-00000".to_owned(),
        creation_time: time(1_600_000_000),
        source_disk_id: Some("d-instant-access-00000".to_owned()),
        instant_access: true,
        ..Default::default()
    })
    .expect("unique");
    w.insert_snapshot(Snapshot {
        id: "s-15-july-2013-0000000".to_owned(),
        // 2013-07-15T12:00:00Z: too old for the seed revision only.
        creation_time: time(1_373_889_600),
        ..Default::default()
    })
    .expect("unique");
    w.insert_key_pair(KeyPair {
        name: "kp-1".to_owned(),
    })
    .expect("unique");
    let keys = [
        ("key-ok", KeyState::Enabled, true, true),
        ("key-disabled", KeyState::Disabled, true, true),
        ("key-unauthorized", KeyState::Enabled, false, true),
        ("key-untagged", KeyState::Enabled, true, false),
    ];
    for (id, key_state, ecs_authorized, ecs_tagged) in keys {
        w.insert_kms_key(KmsKey {
            id: id.to_owned(),
            key_state,
            ecs_authorized,
            ecs_tagged,
        })
        .expect("unique");
    }
    let ok = "i-ok-00000000000000000";
    let public = "m-bp100000000000000000";
    let encrypted = |id: &str, key: &str| Disk {
        kms_key_id: Some(key.to_owned()),
        ..disk(id, ok, DiskSource::Empty)
    };
    special.extend([
        Disk {
            multi_attach: MultiAttach::Enabled,
            ..disk("d-multi-attach-00000000", ok, DiskSource::Empty)
        },
        disk(
            "d-hibernation-000000000",
            "i-hibernation-000000000",
            DiskSource::Empty,
        ),
        disk(
            "d-not-io-optimized-0000",
            "i-not-io-optimized-0000",
            DiskSource::Empty,
        ),
        disk("d-instant-access-00000", ok, DiskSource::Empty),
        encrypted("d-encrypted-ok-0000000", "key-ok"),
        encrypted("d-key-disabled-0000000", "key-disabled"),
        encrypted("d-key-unauthorized-000", "key-unauthorized"),
        encrypted("d-key-untagged-0000000", "key-untagged"),
        disk(
            "d-windows-system-000000",
            "i-windows-0000000000000",
            image_source(public),
        ),
        disk(
            "d-non-root-system-0000",
            "i-non-root-000000000000",
            image_source(public),
        ),
        disk(
            "d-non-root-no-support-0",
            "i-non-root-000000000000",
            image_source("m-no-non-root-00000000"),
        ),
        disk(
            "d-15-july-2013-0000000",
            ok,
            snapshot_source("s-15-july-2013-0000000"),
        ),
    ]);
}

/// A small world whose account refuses: off the volume white list, in a
/// region without non-root logon.
pub fn account_world() -> InMemoryWorld {
    let mut w = InMemoryWorld::new();
    w.set_account(
        Account::DEFAULT
            .with_in_volume_white_list(false)
            .with_region_supports_login_as_non_root(false),
    );
    w.insert_image(Image {
        id: "m-1".to_owned(),
        ..Default::default()
    })
    .expect("unique");
    w.insert_instance(Instance {
        id: "i-non-root".to_owned(),
        login_as_non_root: true,
        ..Default::default()
    })
    .expect("unique");
    w.insert_disk(disk("d-system", "i-non-root", image_source("m-1")))
        .expect("unique");
    w
}

/// The 2025-02-27 revision's cases: the seed's cases under it (the same
/// codes, but for the snapshot of 15 July 2013, which is not too old here),
/// then one per code it adds, then its accepted requests with every new
/// parameter.
pub fn cases_2025() -> Vec<Case> {
    let policy = Policy::new(&V2025_02_27);
    let mut out: Vec<Case> = cases()
        .into_iter()
        .map(|c| Case {
            policy: policy.with_answers(c.policy.answers),
            ..c
        })
        .collect();
    let case = |name, request, expect| Case {
        name,
        request,
        policy,
        expect,
        account_refuses: false,
    };
    let system = "d-accept-system-000000";
    out.extend([
        case(
            "2025/accepted-system-disk-every-parameter",
            Request {
                password: Some("Passw0rd!"),
                key_pair_name: Some("kp-1"),
                auto_start_instance: Some("true"),
                region_id: Some("cn-hangzhou"),
                ..Request::new(system)
            },
            None,
        ),
        case(
            "2025/accepted-encrypted-disk",
            Request::new("d-encrypted-ok-0000000"),
            None,
        ),
        case(
            "2025/accepted-snapshot-of-15-july-2013",
            Request::new("d-15-july-2013-0000000"),
            None,
        ),
        case(
            "InvalidPassword.Malformed",
            Request {
                password: Some("short"),
                ..Request::new(system)
            },
            Some(Code::InvalidPasswordMalformed),
        ),
        case(
            "InvalidParameter-auto-start",
            Request {
                auto_start_instance: Some("yes"),
                ..Request::new(system)
            },
            Some(Code::InvalidParameter),
        ),
        case(
            "InvalidRegionId.MalFormed",
            Request {
                region_id: Some("CN_Hangzhou"),
                ..Request::new(system)
            },
            Some(Code::InvalidRegionIdMalFormed),
        ),
        case(
            "InvalidOperation.MultiAttachDisk",
            Request::new("d-multi-attach-00000000"),
            Some(Code::InvalidOperationMultiAttachDisk),
        ),
        case(
            "HibernationConfigured.InstanceOperationForbidden",
            Request::new("d-hibernation-000000000"),
            Some(Code::HibernationConfiguredInstanceOperationForbidden),
        ),
        case(
            "DependencyViolation.IoOptimize",
            Request::new("d-not-io-optimized-0000"),
            Some(Code::DependencyViolationIoOptimize),
        ),
        case(
            "DiskHasSnapshotsWithInstantAccessEnabled.OperationNotSupported",
            Request::new("d-instant-access-00000"),
            Some(Code::DiskHasSnapshotsWithInstantAccessEnabledOperationNotSupported),
        ),
        case(
            "InvalidParameter.KMSKeyId.CMKNotEnabled",
            Request::new("d-key-disabled-0000000"),
            Some(Code::InvalidParameterKmsKeyIdCmkNotEnabled),
        ),
        case(
            "InvalidParameter.KMSKeyId.KMSUnauthorized",
            Request::new("d-key-unauthorized-000"),
            Some(Code::InvalidParameterKmsKeyIdKmsUnauthorized),
        ),
        case(
            "InvalidParameter.KMSKeyId.CMKUnauthorized",
            Request::new("d-key-untagged-0000000"),
            Some(Code::InvalidParameterKmsKeyIdCmkUnauthorized),
        ),
        case(
            "InvalidKeyPairName.NotFound",
            Request {
                key_pair_name: Some("kp-missing"),
                ..Request::new(system)
            },
            Some(Code::InvalidKeyPairNameNotFound),
        ),
        case(
            "DependencyViolation.WindowsInstance",
            Request {
                key_pair_name: Some("kp-1"),
                ..Request::new("d-windows-system-000000")
            },
            Some(Code::DependencyViolationWindowsInstance),
        ),
        case(
            "InvalidPassword.Malformed-windows",
            Request {
                password: Some("/Passw0rd!"),
                ..Request::new("d-windows-system-000000")
            },
            Some(Code::InvalidPasswordMalformed),
        ),
        case(
            "LoginAsNonRoot.ImageNotSupport",
            Request::new("d-non-root-no-support-0"),
            Some(Code::LoginAsNonRootImageNotSupport),
        ),
        Case {
            name: "UserNotInTheWhiteList",
            request: Request::new("d-system"),
            policy,
            expect: Some(Code::UserNotInTheWhiteList),
            account_refuses: true,
        },
        Case {
            name: "LoginAsNonRoot.RegionNotSupport",
            request: Request::new("d-system"),
            // The white list first in the default order: moved last here.
            policy: policy
                .with_order(&order_with_white_list_last())
                .expect("a permutation"),
            expect: Some(Code::LoginAsNonRootRegionNotSupport),
            account_refuses: true,
        },
    ]);
    out
}

/// The 2025-02-27 revision's world checks, `user-in-white-list` last.
fn order_with_white_list_last() -> Vec<reinit_disk::Check> {
    let mut order: Vec<_> = V2025_02_27
        .world_checks
        .iter()
        .copied()
        .filter(|c| *c != reinit_disk::Check::UserInWhiteList)
        .collect();
    order.push(reinit_disk::Check::UserInWhiteList);
    order
}
