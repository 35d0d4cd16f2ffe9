//! The checks of how the instance is logged on to after a system disk's
//! re-init: the key pair, the password, logon as a non-root user. They read
//! the request with the instance, and apply to system disks only (a data disk
//! ignores `KeyPairName` and `Password`, as it ignores `Active`).

use core::fmt;

use super::disk::with_disk;
use super::instance::with_instance;
use super::{Attached, Check, CheckDecl, Facts, Needs, Tells, Verdict};
use crate::catalogue::Code;
use crate::model::{InstanceView, OsType, Source};
use crate::request::Param;

/// The instance of a system disk: `Ok(Some(..))`, or the verdict when there
/// is none to check (a data disk, no disk, no instance, a dangling one).
#[inline]
fn system_disk_instance<'w>(f: &Facts<'_, 'w>) -> Result<InstanceView<'w>, Verdict> {
    match (f.disk().map(|d| d.source), f.instance()) {
        (Some(Source::Image(_)), Attached::To(i)) => Ok(*i),
        (Some(Source::Image(_)), Attached::Dangling(_)) => Err(Verdict::Fail(Code::InternalError)),
        _ => Err(Verdict::NotApplicable),
    }
}

/// `key-pair-usable`: a given `KeyPairName` names a key pair the account
/// has, and the instance is not Windows.
pub(super) const KEY_PAIR_USABLE: CheckDecl = CheckDecl {
    requires: Check::KeyPairUsable.requirement(),
    fails_when: "the key pair is not listed; else the instance's `OSType` is `windows`",
    why: "The 2025-02-27 page: the key pair to bind, Linux instances only. Whether the name exists is about the request's own value, so it is told first; whether this instance can take a key pair second. After the source checks: a disk that cannot be re-initialized at all says so before the logon is looked at.",
    codes: &[
        Code::InvalidKeyPairNameNotFound,
        Code::DependencyViolationWindowsInstance,
        Code::InternalError,
    ],
    needs: Needs::KEY_PAIR.and(Needs::INSTANCE),
    param: Some(Param::KeyPairName),
    tells: &[
        Tells::Param(Param::KeyPairName, &[None, Some("kp-1")]),
        Tells::KeyPairListed,
        Tells::Source,
        Tells::Attachment(&[]),
        Tells::OsType(&[OsType::Linux, OsType::Windows]),
    ],
    rule: key_pair_usable,
    describe: |f, out| match f.request().key_pair_name {
        None | Some("") => out.write_str("KeyPairName not given"),
        Some(name) => {
            write!(out, "KeyPairName = {name} ")?;
            out.write_str(if f.key_pair().is_some() {
                "(listed), "
            } else {
                "(not listed), "
            })?;
            logon_target(f, out, |i, out| {
                write!(out, "instance {} OSType = {}, needs linux", i.id, i.os_type)
            })
        }
    },
};

/// The rule of `key-pair-usable`.
#[inline(always)]
fn key_pair_usable(f: &Facts<'_, '_>) -> Verdict {
    let Some(_) = f.request().key_pair_name.filter(|n| !n.is_empty()) else {
        return Verdict::NotApplicable;
    };
    match system_disk_instance(f) {
        Err(verdict) => verdict,
        Ok(_) if f.key_pair().is_none() => Verdict::Fail(Code::InvalidKeyPairNameNotFound),
        Ok(i) if i.os_type == OsType::Windows => {
            Verdict::Fail(Code::DependencyViolationWindowsInstance)
        }
        Ok(_) => Verdict::Pass,
    }
}

/// `windows-password-value`: a Windows instance's password does not start
/// with `/`.
pub(super) const WINDOWS_PASSWORD_VALUE: CheckDecl = CheckDecl {
    requires: Check::WindowsPasswordValue.requirement(),
    fails_when: "the instance's `OSType` is `windows` and `Password` starts with `/`",
    why: "The 2025-02-27 page: \"A Windows instance's password may not start with `/`\". It depends on the instance, so it cannot run with the parameter checks; it runs with the other logon checks.",
    codes: &[Code::InvalidPasswordMalformed, Code::InternalError],
    needs: Needs::INSTANCE,
    param: Some(Param::Password),
    tells: &[
        Tells::Param(Param::Password, &[None, Some("/Abcdef12")]),
        Tells::Source,
        Tells::Attachment(&[]),
        Tells::OsType(&[OsType::Linux, OsType::Windows]),
    ],
    rule: windows_password_value,
    describe: |f, out| match f.request().password {
        None | Some("") => out.write_str("Password not given"),
        Some(p) => {
            out.write_str(if p.starts_with('/') {
                "Password given (not shown), starts with /, "
            } else {
                "Password given (not shown), does not start with /, "
            })?;
            logon_target(f, out, |i, out| {
                write!(
                    out,
                    "instance {} OSType = {}: a Windows password may not start with /",
                    i.id, i.os_type
                )
            })
        }
    },
};

/// The rule of `windows-password-value`.
#[inline(always)]
fn windows_password_value(f: &Facts<'_, '_>) -> Verdict {
    let Some(password) = f.request().password.filter(|p| !p.is_empty()) else {
        return Verdict::NotApplicable;
    };
    match system_disk_instance(f) {
        Err(verdict) => verdict,
        Ok(i) if i.os_type == OsType::Windows && password.starts_with('/') => {
            Verdict::Fail(Code::InvalidPasswordMalformed)
        }
        Ok(_) => Verdict::Pass,
    }
}

/// `non-root-region-supported`: an instance that logs on as a non-root user
/// is in a region that supports it.
pub(super) const NON_ROOT_REGION_SUPPORTED: CheckDecl = CheckDecl {
    requires: Check::NonRootRegionSupported.requirement(),
    fails_when: "the instance's `LoginAsNonRoot` is true and the account's `RegionSupportsLoginAsNonRoot` is false",
    why: "The 2025-02-27 page lists `LoginAsNonRoot.RegionNotSupport` without a condition; its text says the region does not support logon as non-root. Re-init rebuilds the logon setup, so an instance set for non-root logon in a region without it is refused. The region before the image: the broader reason first. The fact defaults to true (docs/open-questions.md).",
    codes: &[Code::LoginAsNonRootRegionNotSupport, Code::InternalError],
    needs: Needs::INSTANCE.and(Needs::ACCOUNT),
    param: None,
    tells: &[
        Tells::Source,
        Tells::Attachment(&[]),
        Tells::LoginAsNonRoot,
        Tells::RegionSupportsNonRoot,
    ],
    rule: non_root_region_supported,
    describe: |f, out| {
        logon_target(f, out, |i, out| {
            write!(
                out,
                "instance {} LoginAsNonRoot = {}, region supports it: {}",
                i.id,
                i.login_as_non_root,
                f.account().region_supports_login_as_non_root
            )
        })
    },
};

/// The rule of `non-root-region-supported`.
#[inline(always)]
fn non_root_region_supported(f: &Facts<'_, '_>) -> Verdict {
    match system_disk_instance(f) {
        Err(verdict) => verdict,
        Ok(i) if i.login_as_non_root && !f.account().region_supports_login_as_non_root => {
            Verdict::Fail(Code::LoginAsNonRootRegionNotSupport)
        }
        Ok(_) => Verdict::Pass,
    }
}

/// `non-root-image-supported`: an instance that logs on as a non-root user
/// is re-initialized to an image that supports it.
pub(super) const NON_ROOT_IMAGE_SUPPORTED: CheckDecl = CheckDecl {
    requires: Check::NonRootImageSupported.requirement(),
    fails_when: "the instance's `LoginAsNonRoot` is true and the image's `LoginAsNonRootSupported` is false",
    why: "The 2025-02-27 page: `LoginAsNonRoot.ImageNotSupport`, the image does not support logon as non-root. The system disk comes back from its image, so the image must keep the instance's logon setup. An image the world lacks was refused already (`source-image-exists`).",
    codes: &[Code::LoginAsNonRootImageNotSupport, Code::InternalError],
    needs: Needs::INSTANCE.and(Needs::IMAGE),
    param: None,
    tells: &[
        Tells::Source,
        Tells::Attachment(&[]),
        Tells::LoginAsNonRoot,
        Tells::ImageNonRootSupported,
    ],
    rule: non_root_image_supported,
    describe: |f, out| {
        logon_target(f, out, |i, out| {
            write!(
                out,
                "instance {} LoginAsNonRoot = {}",
                i.id, i.login_as_non_root
            )?;
            match f.image() {
                Some(image) => write!(
                    out,
                    ", image {} LoginAsNonRootSupported = {}",
                    image.id, image.login_as_non_root_supported
                ),
                None => out.write_str(", the image is not in the world"),
            }
        })
    },
};

/// The rule of `non-root-image-supported`.
#[inline(always)]
fn non_root_image_supported(f: &Facts<'_, '_>) -> Verdict {
    match system_disk_instance(f) {
        Err(verdict) => verdict,
        Ok(i) if i.login_as_non_root => match f.image() {
            Some(image) if !image.login_as_non_root_supported => {
                Verdict::Fail(Code::LoginAsNonRootImageNotSupport)
            }
            Some(_) => Verdict::Pass,
            None => Verdict::NotApplicable,
        },
        Ok(_) => Verdict::Pass,
    }
}

/// Describes the system disk's instance with `describe`, or says why the
/// logon checks do not apply.
fn logon_target(
    f: &Facts<'_, '_>,
    out: &mut fmt::Formatter<'_>,
    describe: impl FnOnce(InstanceView<'_>, &mut fmt::Formatter<'_>) -> fmt::Result,
) -> fmt::Result {
    with_disk(f, out, |d, out| match d.source {
        Source::Image(_) => with_instance(f, out, describe),
        Source::Snapshot(_) | Source::Empty => {
            write!(
                out,
                "disk {} is a data disk: logon settings do not apply",
                d.id
            )
        }
    })
}
