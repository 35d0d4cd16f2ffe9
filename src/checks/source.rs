//! The checks that read what a disk was created from: a data disk's source
//! snapshot, a system disk's image.

use core::fmt;

use super::disk::with_disk;
use super::request::strategy;
use super::{Check, CheckDecl, Facts, Needs, Tells, Verdict};
use crate::answers::ActiveOnNonPublicImage;
use crate::catalogue::Code;
use crate::model::{DiskView, ImageOwnerAlias, Source};
use crate::request::{Param, SecurityEnhancementStrategy};

/// `source-snapshot-exists`: a data disk's source snapshot still exists (one
/// the world does not have counts as deleted).
pub(super) const SOURCE_SNAPSHOT_EXISTS: CheckDecl = CheckDecl {
    requires: Check::SourceSnapshotExists.requirement(),
    fails_when: "a data disk's source snapshot is deleted (or unknown to the world)",
    why: "The page: \"if the source snapshot has been deleted, it cannot be re-initialized and an error is returned\". Deleted comes before too old: a deleted snapshot cannot be restored at all.",
    codes: &[Code::InvalidSourceSnapshot, Code::OperationDenied],
    needs: Needs::SNAPSHOT,
    param: None,
    tells: &[Tells::Source, Tells::SnapshotDeleted],
    rule: source_snapshot_exists,
    describe: |f, out| {
        with_disk(f, out, |d, out| match (d.source, f.snapshot()) {
            (Source::Snapshot(_), Some(s)) => {
                write!(
                    out,
                    "snapshot {} Deleted = {}, needs false",
                    s.id, s.deleted
                )
            }
            (Source::Snapshot(id), None) => write!(
                out,
                "snapshot {id} is not in the world (counts as deleted), needs a snapshot that exists"
            ),
            _ => source(d, out),
        })
    },
};

/// The rule of `source-snapshot-exists`.
#[inline(always)]
fn source_snapshot_exists(f: &Facts<'_, '_>) -> Verdict {
    match (f.disk().map(|d| d.source), f.snapshot()) {
        (Some(Source::Snapshot(_)), Some(s)) if !s.deleted => Verdict::Pass,
        (Some(Source::Snapshot(_)), _) => Verdict::Fail(f.answers().deleted_snapshot_code.code()),
        _ => Verdict::NotApplicable,
    }
}

/// `source-snapshot-not-too-old`: ... and was made on or after the
/// revision's boundary.
pub(super) const SOURCE_SNAPSHOT_NOT_TOO_OLD: CheckDecl = CheckDecl {
    requires: Check::SourceSnapshotNotTooOld.requirement(),
    fails_when: "a data disk's source snapshot was created before the revision's too-old boundary",
    why: "The page: snapshots made before 15 July 2013 cannot be re-initialized to; where the day itself falls is the revision's reading (its too-old boundary). The English message's \"since the detached first time\" is not a condition (open question 7).",
    codes: &[Code::InvalidSnapshotTooOld],
    needs: Needs::SNAPSHOT,
    param: None,
    tells: &[Tells::Source, Tells::TooOldBoundary],
    rule: source_snapshot_not_too_old,
    describe: |f, out| {
        with_disk(f, out, |d, out| match (d.source, f.snapshot()) {
            (Source::Snapshot(_), Some(s)) => write!(
                out,
                "snapshot {} CreationTime = {}, needs on or after {}",
                s.id,
                s.creation_time,
                f.too_old_before()
            ),
            (Source::Snapshot(id), None) => write!(out, "snapshot {id} is not in the world"),
            _ => source(d, out),
        })
    },
};

/// The rule of `source-snapshot-not-too-old`.
#[inline(always)]
fn source_snapshot_not_too_old(f: &Facts<'_, '_>) -> Verdict {
    match f.snapshot() {
        Some(s) if s.creation_time < f.too_old_before() => {
            Verdict::Fail(Code::InvalidSnapshotTooOld)
        }
        Some(_) => Verdict::Pass,
        None => Verdict::NotApplicable,
    }
}

/// `source-image-exists`: a system disk's image still exists; a deleted
/// image shared by another account has its own code. An image the world does
/// not have counts as deleted, owner unknown.
pub(super) const SOURCE_IMAGE_EXISTS: CheckDecl = CheckDecl {
    requires: Check::SourceImageExists.requirement(),
    fails_when: "a system disk's image is deleted (or unknown to the world); shared by another account: `SharedImageDeleted`",
    why: "The page: \"if the source image has been deleted, it cannot be re-initialized\". Only a shared image has a code of its own on the page; for the rest, the current API's code for exactly this case (message \"...due to image not exist.\"), or `InvalidImageId.NotFound` if the policy's `DeletedImageCode` says so.",
    codes: &[
        Code::SharedImageDeleted,
        Code::InvalidDiskIdOperationNotSupported,
        Code::InvalidImageIdNotFound,
    ],
    needs: Needs::IMAGE,
    param: None,
    tells: &[
        Tells::Source,
        Tells::ImageDeleted,
        Tells::ImageOwner(&[ImageOwnerAlias::System, ImageOwnerAlias::Others]),
    ],
    rule: source_image_exists,
    describe: |f, out| {
        with_disk(f, out, |d, out| match (d.source, f.image()) {
            (Source::Image(_), Some(i)) => write!(
                out,
                "image {} Deleted = {}, ImageOwnerAlias = {}, needs Deleted = false",
                i.id, i.deleted, i.image_owner_alias
            ),
            (Source::Image(id), None) => write!(
                out,
                "image {id} is not in the world (counts as deleted, owner unknown), needs an image that exists"
            ),
            _ => source(d, out),
        })
    },
};

/// The rule of `source-image-exists`.
#[inline(always)]
fn source_image_exists(f: &Facts<'_, '_>) -> Verdict {
    match (f.disk().map(|d| d.source), f.image()) {
        (Some(Source::Image(_)), Some(i)) if !i.deleted => Verdict::Pass,
        (Some(Source::Image(_)), Some(i)) if i.image_owner_alias == ImageOwnerAlias::Others => {
            Verdict::Fail(Code::SharedImageDeleted)
        }
        (Some(Source::Image(_)), _) => Verdict::Fail(f.answers().deleted_image_code.code()),
        _ => Verdict::NotApplicable,
    }
}

/// `hardening-supported`: `Active` asks for hardening, which public images
/// alone support: ignored elsewhere, or refused if the policy says so.
pub(super) const HARDENING_SUPPORTED: CheckDecl = CheckDecl {
    requires: Check::HardeningSupported.requirement(),
    fails_when: "`Active` on a system disk whose image is not public, and the policy says `Reject`",
    why: "By default `Active` is ignored there (hardening not applied), so this check passes; it is last because it only refines a request that is otherwise fine.",
    codes: &[Code::InvalidParameter],
    needs: Needs::IMAGE,
    param: Some(Param::SecurityEnhancementStrategy),
    tells: &[
        Tells::Param(Param::SecurityEnhancementStrategy, &[None, Some("Active")]),
        Tells::Source,
        Tells::ImageOwner(&[ImageOwnerAlias::System]),
    ],
    rule: hardening_supported,
    describe: |f, out| {
        strategy(f, out, "")?;
        out.write_str(", ")?;
        with_disk(f, out, |d, out| match (d.source, f.image()) {
            (Source::Image(_), Some(i)) => write!(
                out,
                "image {} ImageOwnerAlias = {} ({})",
                i.id,
                i.image_owner_alias,
                if i.image_owner_alias.is_public() {
                    "public"
                } else {
                    "not public"
                }
            ),
            (Source::Image(id), None) => write!(out, "image {id} is not in the world"),
            _ => out.write_str("a data disk has no image"),
        })?;
        let answer = f.answers().active_on_non_public_image;
        let rule = match answer {
            ActiveOnNonPublicImage::Ignore => "Active on a non-public image is ignored",
            ActiveOnNonPublicImage::Reject => "Active needs a public image",
        };
        write!(out, "; policy ActiveOnNonPublicImage = {answer}: {rule}")
    },
};

/// The rule of `hardening-supported`.
#[inline(always)]
fn hardening_supported(f: &Facts<'_, '_>) -> Verdict {
    match (f.strategy(), f.image()) {
        (_, None) => Verdict::NotApplicable,
        (Some(SecurityEnhancementStrategy::Active), Some(i))
            if !i.image_owner_alias.is_public()
                && f.answers().active_on_non_public_image == ActiveOnNonPublicImage::Reject =>
        {
            Verdict::Fail(Code::InvalidParameter)
        }
        _ => Verdict::Pass,
    }
}

/// A disk's source, for the checks that read another kind.
fn source(d: DiskView<'_>, out: &mut fmt::Formatter<'_>) -> fmt::Result {
    match d.source {
        Source::Image(id) => write!(out, "disk {} is a system disk, from image {id}", d.id),
        Source::Snapshot(id) => write!(out, "disk {} is a data disk, from snapshot {id}", d.id),
        Source::Empty => write!(out, "disk {} is a data disk, created empty", d.id),
    }
}
