//! The seed rules written by hand, the baseline `evaluate` is measured
//! against (issue 7): shared by benches/evaluate.rs and nothing in src/.

use reinit_disk::answers::ActiveOnNonPublicImage;
use reinit_disk::model::{
    DiskStatus, ImageOwnerAlias, InstanceStatus, InstanceView, LockReason, Source,
};
use reinit_disk::revision::SEED;
use reinit_disk::{Code, Policy, Request, SecurityEnhancementStrategy, Target, World};

/// The seed rules, by hand: one function of `if`s in the seed revision's
/// default order, reading the world through the `World` trait (views) and
/// looking each record up at most once, when first needed. It reads the
/// policy's answers (the unsupported categories, the deleted-snapshot code,
/// `Active` on a non-public image) but not its order: the cases use the
/// default order (asserted in `main`).
pub fn by_hand<'w, W: World + ?Sized>(
    request: &Request<'_>,
    world: &'w W,
    policy: &Policy,
) -> Result<Target<'w>, Code> {
    // The request checks.
    if request.action.is_some_and(|action| action != "ReInitDisk") {
        return Err(Code::InvalidActionNotFound);
    }
    let disk_id = match request.disk_id {
        Some(id) if !id.is_empty() => id,
        _ => return Err(Code::MissingParameter),
    };
    let strategy = match request.security_enhancement_strategy {
        None | Some("") => None,
        Some("Active") => Some(SecurityEnhancementStrategy::Active),
        Some("Deactive") => Some(SecurityEnhancementStrategy::Deactive),
        Some(_) => return Err(Code::InvalidParameter),
    };

    // The disk.
    let Some(disk) = world.disk(disk_id) else {
        return Err(Code::InvalidDiskIdNotFound);
    };
    if policy
        .answers
        .unsupported_categories
        .contains(disk.category)
    {
        return Err(Code::DiskCategoryOperationNotSupported);
    }

    // Its instance: `None` attached to nothing, `Some(None)` dangling.
    let instance: Option<Option<InstanceView<'w>>> = disk.instance_id.map(|id| world.instance(id));
    if disk.status == DiskStatus::InUse {
        match instance {
            Some(None) => return Err(Code::InternalError),
            Some(Some(i)) if i.operation_locks.contains(LockReason::Security) => {
                return Err(Code::InstanceLockedForSecurity);
            }
            _ => {}
        }
    }
    if disk.operation_locks.any_financial() {
        return Err(Code::InstanceExpiredOrInArrears);
    }
    match instance {
        Some(None) => return Err(Code::InternalError),
        Some(Some(i)) if i.operation_locks.any_financial() => {
            return Err(Code::InstanceExpiredOrInArrears);
        }
        _ => {}
    }
    let (Some(instance_id), Some(Some(instance))) = (disk.instance_id, instance) else {
        return Err(Code::IncorrectDiskStatus);
    };
    if disk.status != DiskStatus::InUse {
        return Err(Code::IncorrectDiskStatus);
    }
    if instance.status != InstanceStatus::Stopped || !instance.has_started {
        return Err(Code::IncorrectInstanceStatus);
    }
    if disk.creating_snapshot {
        return Err(Code::DiskCreatingSnapshot);
    }

    // What it was created from.
    let mut security_enhancement = None;
    match disk.source {
        Source::Snapshot(id) => match world.snapshot(id) {
            Some(s) if !s.deleted => {
                if s.creation_time < SEED.too_old_before {
                    return Err(Code::InvalidSnapshotTooOld);
                }
            }
            _ => return Err(policy.answers.deleted_snapshot_code.code()),
        },
        Source::Image(id) => {
            let Some(image) = world.image(id) else {
                return Err(policy.answers.deleted_image_code.code());
            };
            if image.deleted {
                if image.image_owner_alias == ImageOwnerAlias::Others {
                    return Err(Code::SharedImageDeleted);
                }
                return Err(policy.answers.deleted_image_code.code());
            }
            let public = image.image_owner_alias == ImageOwnerAlias::System;
            security_enhancement = strategy.or(SEED.default_strategy);
            if strategy == Some(SecurityEnhancementStrategy::Active) && !public {
                if policy.answers.active_on_non_public_image == ActiveOnNonPublicImage::Reject {
                    return Err(Code::InvalidParameter);
                }
                security_enhancement = None;
            }
        }
        Source::Empty => {}
    }
    Ok(Target {
        disk_id: disk.id,
        instance_id,
        reset_to: disk.source,
        security_enhancement,
        password_reset: false,
        key_pair_name: None,
        instance_status_after: InstanceStatus::Stopped,
    })
}
