//! The checks that read the disk alone (and what belongs to it: its KMS key,
//! the snapshots made from it).

use core::fmt;

use super::{Check, CheckDecl, Facts, Needs, Tells, Verdict};
use crate::catalogue::Code;
use crate::model::{DiskStatus, DiskView, KeyState, MultiAttach};

/// `disk-exists`: nothing else can be said about a disk that does not exist.
pub(super) const DISK_EXISTS: CheckDecl = CheckDecl {
    requires: Check::DiskExists.requirement(),
    fails_when: "no disk has this id",
    why: "Nothing else can be said about a disk that does not exist.",
    codes: &[Code::InvalidDiskIdNotFound],
    needs: Needs::DISK,
    param: None,
    tells: &[Tells::DiskExists],
    rule: disk_exists,
    describe: |f, out| {
        with_disk(f, out, |d, out| {
            write!(out, "disk {} exists ({} disk)", d.id, d.disk_type())
        })
    },
};

/// The rule of `disk-exists`.
#[inline(always)]
fn disk_exists(f: &Facts<'_, '_>) -> Verdict {
    match f.disk() {
        Some(_) => Verdict::Pass,
        None => Verdict::Fail(Code::InvalidDiskIdNotFound),
    }
}

/// `category-supported`: the disk's category supports re-init.
pub(super) const CATEGORY_SUPPORTED: CheckDecl = CheckDecl {
    requires: Check::CategorySupported.requirement(),
    fails_when: "the disk's category is unsupported (default: the local and ephemeral ones)",
    why: "A static property of the disk: no waiting or stopping will ever fix it, so it is reported before any transient state.",
    codes: &[Code::DiskCategoryOperationNotSupported],
    needs: Needs::DISK,
    param: None,
    tells: &[Tells::DiskExists, Tells::Category],
    rule: category_supported,
    describe: |f, out| {
        with_disk(f, out, |d, out| {
            write!(
                out,
                "disk {} Category = {}, needs one not in UnsupportedCategories {}",
                d.id,
                d.category,
                f.answers().unsupported_categories.0
            )
        })
    },
};

/// The rule of `category-supported`.
#[inline(always)]
fn category_supported(f: &Facts<'_, '_>) -> Verdict {
    match f.disk() {
        None => Verdict::NotApplicable,
        Some(d) if f.answers().unsupported_categories.contains(d.category) => {
            Verdict::Fail(Code::DiskCategoryOperationNotSupported)
        }
        Some(_) => Verdict::Pass,
    }
}

/// `disk-in-use`: the disk is `In_use`, attached to an instance.
pub(super) const DISK_IN_USE: CheckDecl = CheckDecl {
    requires: Check::DiskInUse.requirement(),
    fails_when: "the disk's `Status` is not `In_use`, or it names no instance",
    why: "The page's first condition. The disk is the subject of the request, so its own status comes before its instance's. An unattached disk fails here (it is not `In_use`). A disk being re-initialized (`ReIniting`) fails here too.",
    codes: &[Code::IncorrectDiskStatus],
    needs: Needs::DISK,
    param: None,
    tells: &[Tells::DiskExists, Tells::Attachment(&[DiskStatus::InUse])],
    rule: disk_in_use,
    describe: |f, out| {
        with_disk(f, out, |d, out| match d.instance_id {
            Some(_) => write!(out, "disk {} Status = {}, needs In_use", d.id, d.status),
            None => write!(
                out,
                "disk {} Status = {} and attached to no instance, needs In_use",
                d.id, d.status
            ),
        })
    },
};

/// The rule of `disk-in-use`.
#[inline(always)]
fn disk_in_use(f: &Facts<'_, '_>) -> Verdict {
    match f.disk() {
        None => Verdict::NotApplicable,
        Some(d) if d.status == DiskStatus::InUse && d.instance_id.is_some() => Verdict::Pass,
        Some(_) => Verdict::Fail(Code::IncorrectDiskStatus),
    }
}

/// `no-snapshot-in-progress`: no snapshot of the disk is being created.
pub(super) const NO_SNAPSHOT_IN_PROGRESS: CheckDecl = CheckDecl {
    requires: Check::NoSnapshotInProgress.requirement(),
    fails_when: "a snapshot of the disk is being created",
    why: "A transient condition (\"try again later\"): reported only once everything that waiting cannot fix has passed.",
    codes: &[Code::DiskCreatingSnapshot],
    needs: Needs::DISK,
    param: None,
    tells: &[Tells::DiskExists, Tells::CreatingSnapshot],
    rule: no_snapshot_in_progress,
    describe: |f, out| {
        with_disk(f, out, |d, out| {
            write!(
                out,
                "disk {} CreatingSnapshot = {}, needs false",
                d.id, d.creating_snapshot
            )
        })
    },
};

/// The rule of `no-snapshot-in-progress`.
#[inline(always)]
fn no_snapshot_in_progress(f: &Facts<'_, '_>) -> Verdict {
    match f.disk() {
        None => Verdict::NotApplicable,
        Some(d) if d.creating_snapshot => Verdict::Fail(Code::DiskCreatingSnapshot),
        Some(_) => Verdict::Pass,
    }
}

/// Describes the disk with `describe`, or says there is none. (A world
/// check runs only once `disk-id-given` has passed: the id is not empty.)
pub(super) fn with_disk(
    f: &Facts<'_, '_>,
    out: &mut fmt::Formatter<'_>,
    describe: impl FnOnce(DiskView<'_>, &mut fmt::Formatter<'_>) -> fmt::Result,
) -> fmt::Result {
    match (f.disk(), f.request().disk_id) {
        (Some(d), _) => describe(*d, out),
        (None, Some(id)) => write!(out, "no disk {id}"),
        (None, None) => out.write_str("no DiskId"),
    }
}

/// `not-multi-attach`: a multi-attach disk cannot be re-initialized.
pub(super) const NOT_MULTI_ATTACH: CheckDecl = CheckDecl {
    requires: Check::NotMultiAttach.requirement(),
    fails_when: "the disk's `MultiAttach` is `Enabled`",
    why: "The 2025-02-27 page: multi-attach disks do not support this operation. A static property of the disk, like its category, so it comes before any transient state (and before the instance: a multi-attach disk has several).",
    codes: &[Code::InvalidOperationMultiAttachDisk],
    needs: Needs::DISK,
    param: None,
    tells: &[Tells::DiskExists, Tells::MultiAttach],
    rule: not_multi_attach,
    describe: |f, out| {
        with_disk(f, out, |d, out| {
            write!(
                out,
                "disk {} MultiAttach = {}, needs Disabled",
                d.id, d.multi_attach
            )
        })
    },
};

/// The rule of `not-multi-attach`.
#[inline(always)]
fn not_multi_attach(f: &Facts<'_, '_>) -> Verdict {
    match f.disk() {
        None => Verdict::NotApplicable,
        Some(d) if d.multi_attach == MultiAttach::Enabled => {
            Verdict::Fail(Code::InvalidOperationMultiAttachDisk)
        }
        Some(_) => Verdict::Pass,
    }
}

/// `no-instant-access-snapshot`: no snapshot of the disk has instant access.
pub(super) const NO_INSTANT_ACCESS_SNAPSHOT: CheckDecl = CheckDecl {
    requires: Check::NoInstantAccessSnapshot.requirement(),
    fails_when: "a snapshot whose `SourceDiskId` is the disk, not deleted, has `InstantAccess`",
    why: "The 2025-02-27 page: disks that have snapshots with instant access enabled do not support this operation (re-init would pull the data from under them). Snapshot state, like a snapshot in progress, so it comes right after that check.",
    codes: &[Code::DiskHasSnapshotsWithInstantAccessEnabledOperationNotSupported],
    needs: Needs::DISK,
    param: None,
    tells: &[Tells::DiskExists, Tells::InstantAccessSnapshot],
    rule: no_instant_access_snapshot,
    describe: |f, out| {
        with_disk(f, out, |d, out| {
            write!(
                out,
                "disk {} has a snapshot with InstantAccess = {}, needs false",
                d.id, d.has_instant_access_snapshot
            )
        })
    },
};

/// The rule of `no-instant-access-snapshot`.
#[inline(always)]
fn no_instant_access_snapshot(f: &Facts<'_, '_>) -> Verdict {
    match f.disk() {
        None => Verdict::NotApplicable,
        Some(d) if d.has_instant_access_snapshot => {
            Verdict::Fail(Code::DiskHasSnapshotsWithInstantAccessEnabledOperationNotSupported)
        }
        Some(_) => Verdict::Pass,
    }
}

/// `kms-key-usable`: an encrypted disk's KMS key is one ECS can use.
pub(super) const KMS_KEY_USABLE: CheckDecl = CheckDecl {
    requires: Check::KmsKeyUsable.requirement(),
    fails_when: "the key is missing or not `Enabled`; else ECS is not authorized; else the key lacks the ECS tag",
    why: "The 2025-02-27 page lists the three KMS codes; re-initializing an encrypted disk writes it with its key. Checked in that order: a key that is not enabled cannot be used whoever asks, then ECS's right to KMS, then the key's tag. A key the world lacks is a deleted key: not enabled.",
    codes: &[
        Code::InvalidParameterKmsKeyIdCmkNotEnabled,
        Code::InvalidParameterKmsKeyIdKmsUnauthorized,
        Code::InvalidParameterKmsKeyIdCmkUnauthorized,
    ],
    needs: Needs::KMS_KEY,
    param: None,
    tells: &[
        Tells::DiskExists,
        Tells::Encrypted,
        Tells::KeyState(&[KeyState::Enabled]),
        Tells::KmsAuthorized,
        Tells::KmsTagged,
    ],
    rule: kms_key_usable,
    describe: |f, out| {
        with_disk(f, out, |d, out| match (d.kms_key_id, f.kms_key()) {
            (None, _) => write!(out, "disk {} is not encrypted", d.id),
            (Some(id), None) => write!(
                out,
                "disk {} is encrypted with KMS key {id}, which the world does not have (counts as not enabled)",
                d.id
            ),
            (Some(_), Some(k)) => write!(
                out,
                "disk {} is encrypted with KMS key {}: KeyState = {}, EcsAuthorized = {}, EcsTagged = {}, needs Enabled, true, true",
                d.id, k.id, k.key_state, k.ecs_authorized, k.ecs_tagged
            ),
        })
    },
};

/// The rule of `kms-key-usable`.
#[inline(always)]
fn kms_key_usable(f: &Facts<'_, '_>) -> Verdict {
    match (f.disk().and_then(|d| d.kms_key_id), f.kms_key()) {
        (None, _) => Verdict::NotApplicable,
        (Some(_), None) => Verdict::Fail(Code::InvalidParameterKmsKeyIdCmkNotEnabled),
        (Some(_), Some(k)) if k.key_state != KeyState::Enabled => {
            Verdict::Fail(Code::InvalidParameterKmsKeyIdCmkNotEnabled)
        }
        (Some(_), Some(k)) if !k.ecs_authorized => {
            Verdict::Fail(Code::InvalidParameterKmsKeyIdKmsUnauthorized)
        }
        (Some(_), Some(k)) if !k.ecs_tagged => {
            Verdict::Fail(Code::InvalidParameterKmsKeyIdCmkUnauthorized)
        }
        (Some(_), Some(_)) => Verdict::Pass,
    }
}
