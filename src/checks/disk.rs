//! The checks that read the disk alone.

use core::fmt;

use super::{CheckDecl, Facts, Needs, Verdict};
use crate::catalogue::Code;
use crate::model::{DiskStatus, DiskView};

/// `disk-exists`: nothing else can be said about a disk that does not exist.
pub const DISK_EXISTS: CheckDecl = CheckDecl {
    requires: "the disk exists",
    fails_when: "no disk has this id",
    why: "Nothing else can be said about a disk that does not exist.",
    codes: &[Code::InvalidDiskIdNotFound],
    needs: Needs::DISK,
    rule: disk_exists,
    describe: |f, out| {
        with_disk(f, out, |d, out| {
            write!(out, "disk {} exists ({} disk)", d.id, d.disk_type())
        })
    },
};

/// The rule of `disk-exists`.
#[inline]
fn disk_exists(f: &Facts<'_, '_>) -> Verdict {
    match f.disk() {
        Some(_) => Verdict::Pass,
        None => Verdict::Fail(Code::InvalidDiskIdNotFound),
    }
}

/// `category-supported`: the disk's category supports re-init.
pub const CATEGORY_SUPPORTED: CheckDecl = CheckDecl {
    requires: "the disk's category is not in the policy's `UnsupportedCategories`",
    fails_when: "the disk's category is unsupported (default: the local and ephemeral ones)",
    why: "A static property of the disk: no waiting or stopping will ever fix it, so it is reported before any transient state.",
    codes: &[Code::DiskCategoryOperationNotSupported],
    needs: Needs::DISK,
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
#[inline]
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
pub const DISK_IN_USE: CheckDecl = CheckDecl {
    requires: "the disk is `In_use` (attached)",
    fails_when: "the disk's `Status` is not `In_use`, or it names no instance",
    why: "The page's first condition. The disk is the subject of the request, so its own status comes before its instance's. An unattached disk fails here (it is not `In_use`). A disk being re-initialized (`ReIniting`) fails here too.",
    codes: &[Code::IncorrectDiskStatus],
    needs: Needs::DISK,
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
#[inline]
fn disk_in_use(f: &Facts<'_, '_>) -> Verdict {
    match f.disk() {
        None => Verdict::NotApplicable,
        Some(d) if d.status == DiskStatus::InUse && d.instance_id.is_some() => Verdict::Pass,
        Some(_) => Verdict::Fail(Code::IncorrectDiskStatus),
    }
}

/// `no-snapshot-in-progress`: no snapshot of the disk is being created.
pub const NO_SNAPSHOT_IN_PROGRESS: CheckDecl = CheckDecl {
    requires: "no snapshot of the disk is being created",
    fails_when: "a snapshot of the disk is being created",
    why: "A transient condition (\"try again later\"): reported only once everything that waiting cannot fix has passed.",
    codes: &[Code::DiskCreatingSnapshot],
    needs: Needs::DISK,
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
#[inline]
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
