//! The reference model: a second, deliberately naive statement of the rules of
//! `ReInitDisk`, kept short and plain so a reviewer can check it against
//! docs/rules.md line by line. It shares no rule code with src/checks/: it
//! reads the world through the same `World` trait, finds every failing check
//! on its own, then lets the first one in the policy's order decide.
//!
//! It states the seed revision only (its default order, its too-old
//! boundary, the documented answers); a policy of another revision is
//! refused loudly, so that a new revision cannot pass unchecked.
//!
//! Used by the exhaustive test, the property tests and the `evaluate` fuzz
//! target (fuzz/ includes this file by path).

use reinit_disk::answers::{ActiveOnNonPublicImage, DeletedSnapshotCode};
use reinit_disk::model::{
    DiskCategory, DiskStatus, ImageOwnerAlias, InstanceStatus, LockReason, LockSet, Source,
    SourceKind,
};
use reinit_disk::{Check, Code, Policy, Request, SecurityEnhancementStrategy, World};

/// The revision this model states.
pub const REVISION: &str = "seed";

/// 2013-07-16T00:00:00Z in Unix seconds: snapshots made before it are too old
/// (the page: "on or before 15 July 2013").
pub const TOO_OLD_BEFORE_UNIX: i64 = 1_373_932_800;

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

/// The default order of the world checks (docs/rules.md).
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
    /// Whether `Active` on a non-public image is refused.
    pub reject_active_on_non_public_image: bool,
}

impl RefPolicy {
    /// The documented default, written out here independently of src/, so
    /// that a changed default in src/ disagrees with it.
    pub fn documented_default() -> Self {
        Self {
            revision: REVISION.to_owned(),
            order: DEFAULT_ORDER.to_vec(),
            unsupported: DEFAULT_UNSUPPORTED.to_vec(),
            deleted_snapshot_code: Code::InvalidSourceSnapshot,
            reject_active_on_non_public_image: false,
        }
    }

    /// The same answers as `policy`, read field by field.
    pub fn of(policy: &Policy) -> Self {
        use strum::VariantArray;
        let answers = &policy.answers;
        Self {
            revision: policy.revision().name.to_owned(),
            order: policy.order().to_vec(),
            unsupported: DiskCategory::VARIANTS
                .iter()
                .copied()
                .filter(|c| answers.unsupported_categories.contains(*c))
                .collect(),
            deleted_snapshot_code: match answers.deleted_snapshot_code {
                DeletedSnapshotCode::InvalidSourceSnapshot => Code::InvalidSourceSnapshot,
                DeletedSnapshotCode::OperationDenied => Code::OperationDenied,
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

/// The rules, as plainly as they can be written.
pub fn reference<W: World + ?Sized>(
    request: &Request<'_>,
    world: &W,
    policy: &RefPolicy,
) -> Expected {
    assert_eq!(
        policy.revision, REVISION,
        "the reference model states the seed revision only: extend it for another"
    );

    // 1-3. The request checks, always first, in this order.
    if let Some(action) = request.action {
        if action != "ReInitDisk" {
            return reject(Code::InvalidActionNotFound, Check::Action);
        }
    }
    let disk_id = match request.disk_id {
        Some(id) if !id.is_empty() => id,
        _ => return reject(Code::MissingParameter, Check::DiskIdGiven),
    };
    let strategy = match request.security_enhancement_strategy {
        None | Some("") => None,
        Some("Active") => Some(SecurityEnhancementStrategy::Active),
        Some("Deactive") => Some(SecurityEnhancementStrategy::Deactive),
        Some(_) => return reject(Code::InvalidParameter, Check::StrategyValue),
    };

    // 4-14. Every world check that fails, each on its own.
    let mut failing: Vec<(Check, Code)> = Vec::new();
    let Some(disk) = world.disk(disk_id) else {
        // No disk: only disk-exists can fail.
        return reject(Code::InvalidDiskIdNotFound, Check::DiskExists);
    };

    if policy.unsupported.contains(&disk.category) {
        failing.push((
            Check::CategorySupported,
            Code::DiskCategoryOperationNotSupported,
        ));
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

    if let Some(instance_id) = disk.instance_id {
        match world.instance(instance_id) {
            None => {
                if disk_in_use {
                    failing.push((Check::InstanceNotSecurityLocked, Code::InternalError));
                }
                if !disk_in_arrears {
                    failing.push((Check::InstanceNotInArrears, Code::InternalError));
                }
                failing.push((Check::InstanceStopped, Code::InternalError));
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
            }
        }
    }

    if !disk_in_use || disk.instance_id.is_none() {
        failing.push((Check::DiskInUse, Code::IncorrectDiskStatus));
    }

    if disk.creating_snapshot {
        failing.push((Check::NoSnapshotInProgress, Code::DiskCreatingSnapshot));
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
            if s.creation_time.unix_seconds() < TOO_OLD_BEFORE_UNIX {
                failing.push((Check::SourceSnapshotNotTooOld, Code::InvalidSnapshotTooOld));
            }
        }
    }

    let mut image_is_public = false;
    if let Source::Image(image_id) = disk.source {
        let image = world.image(image_id);
        match image {
            None => failing.push((
                Check::SourceImageExists,
                Code::InvalidDiskIdOperationNotSupported,
            )),
            Some(i) if i.deleted && i.image_owner_alias == ImageOwnerAlias::Others => {
                failing.push((Check::SourceImageExists, Code::SharedImageDeleted));
            }
            Some(i) if i.deleted => {
                failing.push((
                    Check::SourceImageExists,
                    Code::InvalidDiskIdOperationNotSupported,
                ));
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
    for check in &policy.order {
        if let Some((check, code)) = failing.iter().find(|(c, _)| c == check) {
            return reject(*code, *check);
        }
    }

    // Accepted.
    let (reset_to, source_id, security_enhancement) = match disk.source {
        Source::Image(image_id) => {
            let applied = match strategy {
                Some(SecurityEnhancementStrategy::Active) if image_is_public => {
                    Some(SecurityEnhancementStrategy::Active)
                }
                Some(SecurityEnhancementStrategy::Active) => None,
                other => other,
            };
            (SourceKind::Image, Some(image_id.to_owned()), applied)
        }
        Source::Snapshot(snapshot_id) => (SourceKind::Snapshot, Some(snapshot_id.to_owned()), None),
        Source::Empty => (SourceKind::Empty, None, None),
    };
    Expected::Accept {
        disk_id: disk.id.to_owned(),
        instance_id: disk.instance_id.unwrap_or_default().to_owned(),
        reset_to,
        source_id,
        security_enhancement,
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
        },
        Err(e) => Expected::Reject {
            code: e.code(),
            check: e.check(),
        },
    }
}
