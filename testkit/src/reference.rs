//! The reference model: a second, deliberately naive statement of the rules of
//! `ReInitDisk`, kept short and plain so a reviewer can check it against
//! docs/rules.md and docs/rules-2025-02-27.md line by line. It shares no rule
//! code with src/checks/: it reads the world through the same `World` trait,
//! finds every failing check on its own, then lets the first one in the
//! policy's order decide.
//!
//! It states two revisions, keyed by name: `seed` and `2025-02-27` (their
//! default orders, too-old boundaries, parameters and documented answers). A
//! policy of any other revision is refused loudly, so that a new revision
//! cannot pass unchecked.
//!
//! Used by the exhaustive test, the property tests and the fuzz targets
//! (fuzz/ includes this file by path).

use reinit_disk::answers::{
    ActiveOnNonPublicImage, DeletedImageCode, DeletedSnapshotCode, UnsupportedCategories,
};
use reinit_disk::model::{
    DiskCategory, DiskStatus, ImageOwnerAlias, InstanceStatus, KeyState, LockReason, LockSet,
    MultiAttach, OsType, Source, SourceKind,
};
use reinit_disk::{Check, Code, Policy, Request, SecurityEnhancementStrategy, World};

/// The seed revision's name.
pub const SEED: &str = "seed";

/// The 2025-02-27 revision's name.
pub const V2025_02_27: &str = "2025-02-27";

/// The seed revision's boundary, 2013-07-16T00:00:00Z in Unix seconds:
/// snapshots made before it are too old (the seed page: "on or before 15
/// July 2013").
pub const TOO_OLD_BEFORE_UNIX: i64 = 1_373_932_800;

/// The 2025-02-27 revision's boundary, 2013-07-15T00:00:00Z in Unix seconds
/// (its page: "before July 15, 2013").
pub const TOO_OLD_BEFORE_UNIX_2025: i64 = 1_373_846_400;

/// The default policy's unsupported categories (docs/open-questions.md).
/// In declaration order, as `RefPolicy::of` lists them.
pub const DEFAULT_UNSUPPORTED: [DiskCategory; 6] = [
    DiskCategory::ElasticEphemeralDiskStandard,
    DiskCategory::ElasticEphemeralDiskPremium,
    DiskCategory::LocalSsdPro,
    DiskCategory::LocalHddPro,
    DiskCategory::Ephemeral,
    DiskCategory::EphemeralSsd,
];

/// The seed revision's default order of the world checks (docs/rules.md).
pub const DEFAULT_ORDER: [Check; 11] = [
    Check::DiskExists,
    Check::CategorySupported,
    Check::InstanceNotSecurityLocked,
    Check::InstanceNotInArrears,
    Check::DiskInUse,
    Check::InstanceStopped,
    Check::NoSnapshotInProgress,
    Check::SourceSnapshotExists,
    Check::SourceSnapshotNotTooOld,
    Check::SourceImageExists,
    Check::HardeningSupported,
];

/// The 2025-02-27 revision's default order of the world checks
/// (docs/rules-2025-02-27.md).
pub const DEFAULT_ORDER_2025: [Check; 21] = [
    Check::DiskExists,
    Check::CategorySupported,
    Check::UserInWhiteList,
    Check::NotMultiAttach,
    Check::InstanceNotSecurityLocked,
    Check::InstanceNotInArrears,
    Check::DiskInUse,
    Check::InstanceStopped,
    Check::NotHibernationConfigured,
    Check::IoOptimized,
    Check::NoSnapshotInProgress,
    Check::NoInstantAccessSnapshot,
    Check::KmsKeyUsable,
    Check::SourceSnapshotExists,
    Check::SourceSnapshotNotTooOld,
    Check::SourceImageExists,
    Check::KeyPairUsable,
    Check::WindowsPasswordValue,
    Check::NonRootRegionSupported,
    Check::NonRootImageSupported,
    Check::HardeningSupported,
];

/// What the reference knows of one revision.
#[derive(Debug)]
pub struct RefRevision {
    /// Its name.
    pub name: &'static str,
    /// Its world checks, in the default order.
    pub default_order: &'static [Check],
    /// Snapshots made before this instant (Unix seconds) are too old.
    pub too_old_before_unix: i64,
    /// Whether it reads `Password`, `KeyPairName`, `AutoStartInstance`,
    /// `RegionId` and the facts the 2025-02-27 page added (multi-attach, KMS,
    /// instant access, hibernation, I/O optimization, OS type, non-root
    /// logon, the account, key pairs).
    pub reads_2025_additions: bool,
    /// `SecurityEnhancement` of an accepted system disk whose request gave
    /// no strategy.
    pub default_strategy: Option<SecurityEnhancementStrategy>,
}

/// The revisions the reference states.
pub const REVISIONS: [RefRevision; 2] = [
    RefRevision {
        name: SEED,
        default_order: &DEFAULT_ORDER,
        too_old_before_unix: TOO_OLD_BEFORE_UNIX,
        reads_2025_additions: false,
        default_strategy: None,
    },
    RefRevision {
        name: V2025_02_27,
        default_order: &DEFAULT_ORDER_2025,
        too_old_before_unix: TOO_OLD_BEFORE_UNIX_2025,
        reads_2025_additions: true,
        default_strategy: Some(SecurityEnhancementStrategy::Deactive),
    },
];

/// The revision called `name`; any other name is refused loudly.
pub fn ref_revision(name: &str) -> &'static RefRevision {
    match REVISIONS.iter().find(|r| r.name == name) {
        Some(r) => r,
        None => panic!(
            "the reference model states the revisions seed and 2025-02-27 only, not {name:?}: extend it for another"
        ),
    }
}

/// The reference's own statement of a policy: plain lists, no bit sets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefPolicy {
    /// The revision's name.
    pub revision: String,
    /// The world checks, in the order they run.
    pub order: Vec<Check>,
    /// The categories that answer `DiskCategory.OperationNotSupported`.
    pub unsupported: Vec<DiskCategory>,
    /// The code of a deleted source snapshot.
    pub deleted_snapshot_code: Code,
    /// The code of a deleted image not shared by another account.
    pub deleted_image_code: Code,
    /// Whether `Active` on a non-public image is refused.
    pub reject_active_on_non_public_image: bool,
}

impl RefPolicy {
    /// The documented default policy: the newest revision's.
    pub fn documented_default() -> Self {
        Self::documented_default_of(V2025_02_27)
    }

    /// The documented default of the revision `name`, written out here
    /// independently of src/, so that a changed default in src/ disagrees
    /// with it.
    pub fn documented_default_of(name: &str) -> Self {
        let revision = ref_revision(name);
        Self {
            revision: revision.name.to_owned(),
            order: revision.default_order.to_vec(),
            unsupported: DEFAULT_UNSUPPORTED.to_vec(),
            deleted_snapshot_code: Code::InvalidSourceSnapshot,
            deleted_image_code: Code::InvalidDiskIdOperationNotSupported,
            reject_active_on_non_public_image: false,
        }
    }

    /// The same answers as `policy`, read field by field.
    pub fn of(policy: &Policy) -> Self {
        use strum::VariantArray;
        let answers = &policy.answers;
        let UnsupportedCategories(unsupported) = answers.unsupported_categories;
        Self {
            revision: policy.revision().name.to_owned(),
            order: policy.order().to_vec(),
            unsupported: DiskCategory::VARIANTS
                .iter()
                .copied()
                .filter(|c| unsupported.contains(*c))
                .collect(),
            deleted_snapshot_code: match answers.deleted_snapshot_code {
                DeletedSnapshotCode::InvalidSourceSnapshot => Code::InvalidSourceSnapshot,
                DeletedSnapshotCode::OperationDenied => Code::OperationDenied,
            },
            deleted_image_code: match answers.deleted_image_code {
                DeletedImageCode::InvalidDiskIdOperationNotSupported => {
                    Code::InvalidDiskIdOperationNotSupported
                }
                DeletedImageCode::InvalidImageIdNotFound => Code::InvalidImageIdNotFound,
            },
            reject_active_on_non_public_image: answers.active_on_non_public_image
                == ActiveOnNonPublicImage::Reject,
        }
    }
}

/// What the reference says a request does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expected {
    /// Accepted: the disk is reset to this.
    Accept {
        disk_id: String,
        instance_id: String,
        reset_to: SourceKind,
        source_id: Option<String>,
        security_enhancement: Option<SecurityEnhancementStrategy>,
        password_reset: bool,
        key_pair_name: Option<String>,
        instance_status_after: InstanceStatus,
    },
    /// Rejected with this code, decided by this check.
    Reject { code: Code, check: Check },
}

fn reject(code: Code, check: Check) -> Expected {
    Expected::Reject { code, check }
}

/// Whether `locks` says expired or in arrears: any lock but `security`.
fn in_arrears(locks: LockSet) -> bool {
    locks.contains(LockReason::Financial)
        || locks.contains(LockReason::Recycling)
        || locks.contains(LockReason::Dedicatedhostfinancial)
        || locks.contains(LockReason::Refunded)
}

/// A parameter's value, `None` when absent or empty (`""` counts as absent).
fn given(value: Option<&str>) -> Option<&str> {
    match value {
        Some("") | None => None,
        Some(v) => Some(v),
    }
}

/// The 2025-02-27 page's password: 8 to 30 characters, each an ASCII letter,
/// a digit or one of the specials, of at least three of the four kinds.
pub fn password_is_acceptable(password: &str) -> bool {
    let specials = "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/";
    let length = password.chars().count();
    let allowed = password
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || specials.contains(c));
    let kinds = [
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| specials.contains(c)),
    ];
    let kinds = kinds.iter().filter(|k| **k).count();
    (8..=30).contains(&length) && allowed && kinds >= 3
}

/// A region id: 1 to 64 of `a-z`, `0-9` and `-`, a lower-case letter first,
/// no `-` last.
pub fn region_id_is_acceptable(region_id: &str) -> bool {
    let length = region_id.chars().count();
    let allowed = region_id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    let first_is_letter = region_id
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase());
    let last_is_not_hyphen = !region_id.ends_with('-');
    (1..=64).contains(&length) && allowed && first_is_letter && last_is_not_hyphen
}

/// `AutoStartInstance` is `true` or `false` in any letter case.
fn auto_start_is_acceptable(value: &str) -> bool {
    value.eq_ignore_ascii_case("true") || value.eq_ignore_ascii_case("false")
}

/// The rules, as plainly as they can be written.
pub fn reference<W: World + ?Sized>(
    request: &Request<'_>,
    world: &W,
    policy: &RefPolicy,
) -> Expected {
    let revision = ref_revision(&policy.revision);
    let later = revision.reads_2025_additions;

    // The request checks, always first, in this order. An empty Action is
    // an action ECS cannot route (docs/open-questions.md): it is refused.
    if let Some(action) = request.action {
        if action != "ReInitDisk" {
            return reject(Code::InvalidActionNotFound, Check::Action);
        }
    }
    let Some(disk_id) = given(request.disk_id) else {
        return reject(Code::MissingParameter, Check::DiskIdGiven);
    };
    let strategy = match given(request.security_enhancement_strategy) {
        None => None,
        Some("Active") => Some(SecurityEnhancementStrategy::Active),
        Some("Deactive") => Some(SecurityEnhancementStrategy::Deactive),
        Some(_) => return reject(Code::InvalidParameter, Check::StrategyValue),
    };
    // The seed revision reads none of the later parameters.
    let password = given(request.password).filter(|_| later);
    let key_pair_name = given(request.key_pair_name).filter(|_| later);
    let auto_start = given(request.auto_start_instance).filter(|_| later);
    let region_id = given(request.region_id).filter(|_| later);
    if password.is_some_and(|p| !password_is_acceptable(p)) {
        return reject(Code::InvalidPasswordMalformed, Check::PasswordValue);
    }
    if auto_start.is_some_and(|a| !auto_start_is_acceptable(a)) {
        return reject(Code::InvalidParameter, Check::AutoStartValue);
    }
    if region_id.is_some_and(|r| !region_id_is_acceptable(r)) {
        return reject(Code::InvalidRegionIdMalFormed, Check::RegionIdValue);
    }

    // Every world check that fails, each on its own.
    let mut failing: Vec<(Check, Code)> = Vec::new();
    let first_failing = |failing: &[(Check, Code)]| {
        policy.order.iter().find_map(|check| {
            failing
                .iter()
                .find(|(c, _)| c == check)
                .map(|(check, code)| reject(*code, *check))
        })
    };

    // The account: known whatever the disk.
    if later && !world.account().in_volume_white_list {
        failing.push((Check::UserInWhiteList, Code::UserNotInTheWhiteList));
    }

    let Some(disk) = world.disk(disk_id) else {
        // No disk: nothing else about it can fail.
        failing.push((Check::DiskExists, Code::InvalidDiskIdNotFound));
        return first_failing(&failing).unwrap_or(reject(Code::InternalError, Check::DiskExists));
    };

    if policy.unsupported.contains(&disk.category) {
        failing.push((
            Check::CategorySupported,
            Code::DiskCategoryOperationNotSupported,
        ));
    }

    if later && disk.multi_attach == MultiAttach::Enabled {
        failing.push((Check::NotMultiAttach, Code::InvalidOperationMultiAttachDisk));
    }

    // A security lock on the instance answers only while the disk is In_use;
    // a disk in any other status gets what it would get unlocked.
    let disk_in_use = disk.status == DiskStatus::InUse;
    // The disk's own arrears lock decides first, whatever it is attached to.
    let disk_in_arrears = in_arrears(disk.operation_locks);
    if disk_in_arrears {
        failing.push((
            Check::InstanceNotInArrears,
            Code::InstanceExpiredOrInArrears,
        ));
    }

    let system_disk = matches!(disk.source, Source::Image(_));
    let image = match disk.source {
        Source::Image(image_id) => world.image(image_id),
        _ => None,
    };

    if let Some(instance_id) = disk.instance_id {
        match world.instance(instance_id) {
            None => {
                // An instance the world lacks: every check that needs it
                // answers InternalError.
                if disk_in_use {
                    failing.push((Check::InstanceNotSecurityLocked, Code::InternalError));
                }
                if !disk_in_arrears {
                    failing.push((Check::InstanceNotInArrears, Code::InternalError));
                }
                failing.push((Check::InstanceStopped, Code::InternalError));
                if later {
                    failing.push((Check::NotHibernationConfigured, Code::InternalError));
                    failing.push((Check::IoOptimized, Code::InternalError));
                }
                // The logon checks need the instance of a system disk only.
                if later && system_disk {
                    if key_pair_name.is_some() {
                        failing.push((Check::KeyPairUsable, Code::InternalError));
                    }
                    if password.is_some() {
                        failing.push((Check::WindowsPasswordValue, Code::InternalError));
                    }
                    failing.push((Check::NonRootRegionSupported, Code::InternalError));
                    failing.push((Check::NonRootImageSupported, Code::InternalError));
                }
            }
            Some(instance) => {
                if disk_in_use && instance.operation_locks.contains(LockReason::Security) {
                    failing.push((
                        Check::InstanceNotSecurityLocked,
                        Code::InstanceLockedForSecurity,
                    ));
                }
                if !disk_in_arrears && in_arrears(instance.operation_locks) {
                    failing.push((
                        Check::InstanceNotInArrears,
                        Code::InstanceExpiredOrInArrears,
                    ));
                }
                if instance.status != InstanceStatus::Stopped || !instance.has_started {
                    failing.push((Check::InstanceStopped, Code::IncorrectInstanceStatus));
                }
                if later && instance.hibernation_configured {
                    failing.push((
                        Check::NotHibernationConfigured,
                        Code::HibernationConfiguredInstanceOperationForbidden,
                    ));
                }
                if later && !instance.io_optimized {
                    failing.push((Check::IoOptimized, Code::DependencyViolationIoOptimize));
                }
                // The logon checks: system disks only.
                if later && system_disk {
                    let windows = instance.os_type == OsType::Windows;
                    if let Some(name) = key_pair_name {
                        if world.key_pair(name).is_none() {
                            failing.push((Check::KeyPairUsable, Code::InvalidKeyPairNameNotFound));
                        } else if windows {
                            failing.push((
                                Check::KeyPairUsable,
                                Code::DependencyViolationWindowsInstance,
                            ));
                        }
                    }
                    if windows && password.is_some_and(|p| p.starts_with('/')) {
                        failing.push((Check::WindowsPasswordValue, Code::InvalidPasswordMalformed));
                    }
                    if instance.login_as_non_root
                        && !world.account().region_supports_login_as_non_root
                    {
                        failing.push((
                            Check::NonRootRegionSupported,
                            Code::LoginAsNonRootRegionNotSupport,
                        ));
                    }
                    if instance.login_as_non_root
                        && image.is_some_and(|i| !i.login_as_non_root_supported)
                    {
                        failing.push((
                            Check::NonRootImageSupported,
                            Code::LoginAsNonRootImageNotSupport,
                        ));
                    }
                }
            }
        }
    }

    if !disk_in_use || disk.instance_id.is_none() {
        failing.push((Check::DiskInUse, Code::IncorrectDiskStatus));
    }

    if disk.creating_snapshot {
        failing.push((Check::NoSnapshotInProgress, Code::DiskCreatingSnapshot));
    }

    // Whether a snapshot made from the disk has instant access is a fact the
    // world gives on the disk's view.
    if later && disk.has_instant_access_snapshot {
        failing.push((
            Check::NoInstantAccessSnapshot,
            Code::DiskHasSnapshotsWithInstantAccessEnabledOperationNotSupported,
        ));
    }

    if later {
        if let Some(key_id) = disk.kms_key_id {
            let key = world.kms_key(key_id);
            let code = match key {
                None => Some(Code::InvalidParameterKmsKeyIdCmkNotEnabled),
                Some(k) if k.key_state != KeyState::Enabled => {
                    Some(Code::InvalidParameterKmsKeyIdCmkNotEnabled)
                }
                Some(k) if !k.ecs_authorized => Some(Code::InvalidParameterKmsKeyIdKmsUnauthorized),
                Some(k) if !k.ecs_tagged => Some(Code::InvalidParameterKmsKeyIdCmkUnauthorized),
                Some(_) => None,
            };
            if let Some(code) = code {
                failing.push((Check::KmsKeyUsable, code));
            }
        }
    }

    if let Source::Snapshot(snapshot_id) = disk.source {
        let snapshot = world.snapshot(snapshot_id);
        let deleted_code = policy.deleted_snapshot_code;
        match snapshot {
            None => failing.push((Check::SourceSnapshotExists, deleted_code)),
            Some(s) if s.deleted => failing.push((Check::SourceSnapshotExists, deleted_code)),
            Some(_) => {}
        }
        if let Some(s) = snapshot {
            if s.creation_time.unix_seconds() < revision.too_old_before_unix {
                failing.push((Check::SourceSnapshotNotTooOld, Code::InvalidSnapshotTooOld));
            }
        }
    }

    let mut image_is_public = false;
    if let Source::Image(_) = disk.source {
        match image {
            None => failing.push((Check::SourceImageExists, policy.deleted_image_code)),
            Some(i) if i.deleted && i.image_owner_alias == ImageOwnerAlias::Others => {
                failing.push((Check::SourceImageExists, Code::SharedImageDeleted));
            }
            Some(i) if i.deleted => {
                failing.push((Check::SourceImageExists, policy.deleted_image_code));
            }
            Some(_) => {}
        }
        if let Some(i) = image {
            image_is_public = i.image_owner_alias == ImageOwnerAlias::System;
            if strategy == Some(SecurityEnhancementStrategy::Active)
                && !image_is_public
                && policy.reject_active_on_non_public_image
            {
                failing.push((Check::HardeningSupported, Code::InvalidParameter));
            }
        }
    }

    // The first failing check in the policy's order decides.
    if let Some(rejected) = first_failing(&failing) {
        return rejected;
    }

    // Accepted.
    let (reset_to, source_id, security_enhancement) = match disk.source {
        Source::Image(image_id) => {
            let applied = match strategy {
                Some(SecurityEnhancementStrategy::Active) if image_is_public => {
                    Some(SecurityEnhancementStrategy::Active)
                }
                Some(SecurityEnhancementStrategy::Active) => None,
                Some(SecurityEnhancementStrategy::Deactive) => {
                    Some(SecurityEnhancementStrategy::Deactive)
                }
                None => revision.default_strategy,
            };
            (SourceKind::Image, Some(image_id.to_owned()), applied)
        }
        Source::Snapshot(snapshot_id) => (SourceKind::Snapshot, Some(snapshot_id.to_owned()), None),
        Source::Empty => (SourceKind::Empty, None, None),
    };
    let starts = auto_start.is_some_and(|a| a.eq_ignore_ascii_case("true"));
    Expected::Accept {
        disk_id: disk.id.to_owned(),
        instance_id: disk.instance_id.unwrap_or_default().to_owned(),
        reset_to,
        source_id,
        security_enhancement,
        password_reset: system_disk && password.is_some(),
        key_pair_name: key_pair_name.filter(|_| system_disk).map(str::to_owned),
        instance_status_after: if starts {
            InstanceStatus::Running
        } else {
            InstanceStatus::Stopped
        },
    }
}

/// What `evaluate` said, in the reference's terms.
pub fn observed<W: World + ?Sized>(request: &Request<'_>, world: &W, policy: &Policy) -> Expected {
    match reinit_disk::evaluate(request, world, policy) {
        Ok(t) => Expected::Accept {
            disk_id: t.disk_id.to_owned(),
            instance_id: t.instance_id.to_owned(),
            reset_to: t.reset_to.kind(),
            source_id: t.reset_to.id().map(str::to_owned),
            security_enhancement: t.security_enhancement,
            password_reset: t.password_reset,
            key_pair_name: t.key_pair_name.map(str::to_owned),
            instance_status_after: t.instance_status_after,
        },
        Err(e) => Expected::Reject {
            code: e.code(),
            check: e.check(),
        },
    }
}
