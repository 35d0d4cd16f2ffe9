//! The checks that read the instance a disk is attached to (and, for
//! arrears, the disk's own locks).

use core::fmt;

use super::disk::with_disk;
use super::{Attached, Check, CheckDecl, Facts, Needs, Tells, Verdict};
use crate::catalogue::Code;
use crate::model::{DiskStatus, InstanceStatus, InstanceView, LockReason};

/// `instance-not-security-locked`: a security-locked instance refuses a
/// re-init of its `In_use` disk.
pub(super) const INSTANCE_NOT_SECURITY_LOCKED: CheckDecl = CheckDecl {
    requires: Check::InstanceNotSecurityLocked.requirement(),
    fails_when: "the disk is `In_use` and its instance has a `security` lock",
    why: "The operation-locks appendix: for ReInitDisk a security lock \"returns an error when the disk is in the In_use state; normal logic when the disk is in another state\". It is the strongest block, so it comes first among the instance checks. A disk in another status gets what it would get unlocked.",
    codes: &[Code::InstanceLockedForSecurity, Code::InternalError],
    needs: Needs::INSTANCE,
    param: None,
    tells: &[
        Tells::Attachment(&[DiskStatus::InUse]),
        Tells::InstanceLocks(&[LockReason::Security]),
    ],
    rule: instance_not_security_locked,
    describe: |f, out| match f.disk() {
        Some(d) if d.status != DiskStatus::InUse => write!(
            out,
            "disk {} Status = {}: a security lock answers only while the disk is In_use",
            d.id, d.status
        ),
        _ => with_instance(f, out, |i, out| {
            write!(
                out,
                "instance {} OperationLocks = {}, needs no {} lock",
                i.id,
                i.operation_locks,
                LockReason::Security
            )
        }),
    },
};

/// The rule of `instance-not-security-locked`.
#[inline(always)]
fn instance_not_security_locked(f: &Facts<'_, '_>) -> Verdict {
    match (f.disk(), f.instance()) {
        (None, _) | (_, Attached::Nothing) => Verdict::NotApplicable,
        (Some(d), _) if d.status != DiskStatus::InUse => Verdict::NotApplicable,
        (Some(_), Attached::Dangling(_)) => Verdict::Fail(Code::InternalError),
        (Some(_), Attached::To(i)) if i.operation_locks.contains(LockReason::Security) => {
            Verdict::Fail(Code::InstanceLockedForSecurity)
        }
        (Some(_), Attached::To(_)) => Verdict::Pass,
    }
}

/// `instance-not-in-arrears`: neither the disk nor its instance is expired
/// or in arrears.
pub(super) const INSTANCE_NOT_IN_ARREARS: CheckDecl = CheckDecl {
    requires: Check::InstanceNotInArrears.requirement(),
    fails_when: "the disk or its instance has a `financial`, `recycling`, `dedicatedhostfinancial` or `refunded` lock",
    why: "The overdue-payments appendix: the operation is refused when the instance or the disk is expired or in arrears. A locked instance is stopped, but must not pass as re-initializable: the lock is checked before its status. The disk's own lock is known without the instance, so it decides first.",
    codes: &[Code::InstanceExpiredOrInArrears, Code::InternalError],
    needs: Needs::INSTANCE,
    param: None,
    tells: &[
        Tells::DiskLocks(&[LockReason::Financial]),
        Tells::Attachment(&[]),
        Tells::InstanceLocks(&[LockReason::Financial]),
    ],
    rule: instance_not_in_arrears,
    describe: |f, out| {
        with_disk(f, out, |d, out| {
            write!(out, "disk {} OperationLocks = {}", d.id, d.operation_locks)?;
            match f.instance() {
                Attached::Nothing => out.write_str(", attached to no instance")?,
                Attached::Dangling(id) => write!(
                    out,
                    ", InstanceId = {id}, an instance the world does not have (InternalError)"
                )?,
                Attached::To(i) => {
                    write!(
                        out,
                        ", instance {} OperationLocks = {}",
                        i.id, i.operation_locks
                    )?;
                }
            }
            out.write_str(", needs none of ")?;
            financial(out)
        })
    },
};

/// The rule of `instance-not-in-arrears`.
#[inline(always)]
fn instance_not_in_arrears(f: &Facts<'_, '_>) -> Verdict {
    match (f.disk(), f.instance()) {
        (None, _) => Verdict::NotApplicable,
        (Some(d), _) if d.operation_locks.any_financial() => {
            Verdict::Fail(Code::InstanceExpiredOrInArrears)
        }
        (Some(_), Attached::Nothing) => Verdict::Pass,
        (Some(_), Attached::Dangling(_)) => Verdict::Fail(Code::InternalError),
        (Some(_), Attached::To(i)) if i.operation_locks.any_financial() => {
            Verdict::Fail(Code::InstanceExpiredOrInArrears)
        }
        (Some(_), Attached::To(_)) => Verdict::Pass,
    }
}

/// `instance-stopped`: the instance is `Stopped`, and has started once.
pub(super) const INSTANCE_STOPPED: CheckDecl = CheckDecl {
    requires: Check::InstanceStopped.requirement(),
    fails_when: "the instance's `Status` is not `Stopped`, or it has never started",
    why: "The page's first and second conditions. \"Never started\" is a state of the instance, and the code's message speaks of \"the current status of the resource\" (open question 2).",
    codes: &[Code::IncorrectInstanceStatus, Code::InternalError],
    needs: Needs::INSTANCE,
    param: None,
    tells: &[
        Tells::Attachment(&[]),
        Tells::InstanceStatus(&[InstanceStatus::Stopped]),
        Tells::HasStarted,
    ],
    rule: instance_stopped,
    describe: |f, out| {
        with_instance(f, out, |i, out| {
            write!(
                out,
                "instance {} Status = {}, HasStarted = {}, needs Stopped and HasStarted = true",
                i.id, i.status, i.has_started
            )
        })
    },
};

/// The rule of `instance-stopped`.
#[inline(always)]
fn instance_stopped(f: &Facts<'_, '_>) -> Verdict {
    match f.instance() {
        Attached::Nothing => Verdict::NotApplicable,
        Attached::Dangling(_) => Verdict::Fail(Code::InternalError),
        Attached::To(i) if i.status == InstanceStatus::Stopped && i.has_started => Verdict::Pass,
        Attached::To(_) => Verdict::Fail(Code::IncorrectInstanceStatus),
    }
}

/// The financial lock reasons, comma-separated.
fn financial(out: &mut fmt::Formatter<'_>) -> fmt::Result {
    use strum::VariantArray;
    let financial = LockReason::VARIANTS.iter().filter(|r| r.is_financial());
    crate::model::write_names(out, financial.map(|r| <&str>::from(*r)))
}

/// Describes the instance with `describe`, or says why there is none.
pub(super) fn with_instance(
    f: &Facts<'_, '_>,
    out: &mut fmt::Formatter<'_>,
    describe: impl FnOnce(InstanceView<'_>, &mut fmt::Formatter<'_>) -> fmt::Result,
) -> fmt::Result {
    with_disk(f, out, |d, out| match f.instance() {
        Attached::Nothing => write!(out, "disk {} is attached to no instance", d.id),
        Attached::Dangling(id) => write!(
            out,
            "disk {} InstanceId = {id}, an instance the world does not have (InternalError)",
            d.id
        ),
        Attached::To(i) => describe(*i, out),
    })
}

/// `not-hibernation-configured`: an instance with hibernation configured
/// refuses the operation.
pub(super) const NOT_HIBERNATION_CONFIGURED: CheckDecl = CheckDecl {
    requires: Check::NotHibernationConfigured.requirement(),
    fails_when: "the instance's `HibernationOptions.Configured` is true",
    why: "The 2025-02-27 page: the operation is not permitted on an instance with hibernation configured. A property of the instance that stopping does not change, checked once the instance's status is known to be right.",
    codes: &[
        Code::HibernationConfiguredInstanceOperationForbidden,
        Code::InternalError,
    ],
    needs: Needs::INSTANCE,
    param: None,
    tells: &[Tells::Attachment(&[]), Tells::Hibernation],
    rule: not_hibernation_configured,
    describe: |f, out| {
        with_instance(f, out, |i, out| {
            write!(
                out,
                "instance {} HibernationConfigured = {}, needs false",
                i.id, i.hibernation_configured
            )
        })
    },
};

/// The rule of `not-hibernation-configured`.
#[inline(always)]
fn not_hibernation_configured(f: &Facts<'_, '_>) -> Verdict {
    match f.instance() {
        Attached::Nothing => Verdict::NotApplicable,
        Attached::Dangling(_) => Verdict::Fail(Code::InternalError),
        Attached::To(i) if i.hibernation_configured => {
            Verdict::Fail(Code::HibernationConfiguredInstanceOperationForbidden)
        }
        Attached::To(_) => Verdict::Pass,
    }
}

/// `io-optimized`: the instance is I/O optimized.
pub(super) const IO_OPTIMIZED: CheckDecl = CheckDecl {
    requires: Check::IoOptimized.requirement(),
    fails_when: "the instance's `IoOptimized` is false",
    why: "The 2025-02-27 page lists `DependencyViolation.IoOptimize` (\"The specified parameter InstanceId is not valid.\") without a condition. Its name is the instance's `IoOptimized` attribute: the disk categories re-init writes need an I/O optimized instance, so a non-optimized (retired generation) instance is refused. Every instance made since 2017 is optimized: the fact defaults to true (docs/open-questions.md).",
    codes: &[Code::DependencyViolationIoOptimize, Code::InternalError],
    needs: Needs::INSTANCE,
    param: None,
    tells: &[Tells::Attachment(&[]), Tells::IoOptimized],
    rule: io_optimized,
    describe: |f, out| {
        with_instance(f, out, |i, out| {
            write!(
                out,
                "instance {} IoOptimized = {}, needs true",
                i.id, i.io_optimized
            )
        })
    },
};

/// The rule of `io-optimized`.
#[inline(always)]
fn io_optimized(f: &Facts<'_, '_>) -> Verdict {
    match f.instance() {
        Attached::Nothing => Verdict::NotApplicable,
        Attached::Dangling(_) => Verdict::Fail(Code::InternalError),
        Attached::To(i) if !i.io_optimized => Verdict::Fail(Code::DependencyViolationIoOptimize),
        Attached::To(_) => Verdict::Pass,
    }
}
