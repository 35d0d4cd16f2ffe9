//! The request checks: they read the parameters alone, and always run first.

use core::fmt;

use super::{Check, CheckDecl, Facts, Needs, Tells, Verdict};
use crate::catalogue::Code;
use crate::request::{ACTION as REINIT_DISK, Param};

/// `action`: an action other than `ReInitDisk` is not this API.
pub(super) const ACTION: CheckDecl = CheckDecl {
    requires: Check::Action.requirement(),
    fails_when: "`Action` is given and is not `ReInitDisk` (case-sensitive)",
    why: "Routing comes before anything: a request for another action is not this API at all.",
    codes: &[Code::InvalidActionNotFound],
    needs: Needs::NOTHING,
    param: None,
    // The other action is one ECS does not have: an emulator of more
    // actions than this one answers `InvalidAction.NotFound` to it too.
    tells: &[Tells::Param(
        Param::Action,
        &[Some(REINIT_DISK), Some("NoSuchAction")],
    )],
    rule: action,
    describe: |f, out| match f.request().action {
        Some(action) => write!(out, "Action = {action}, needs {REINIT_DISK}"),
        None => out.write_str("Action not given (only a given Action is checked)"),
    },
};

/// The rule of `action`.
#[inline(always)]
fn action(f: &Facts<'_, '_>) -> Verdict {
    match f.request().action {
        Some(action) if action != REINIT_DISK => Verdict::Fail(Code::InvalidActionNotFound),
        _ => Verdict::Pass,
    }
}

/// `disk-id-given`: `DiskId` is mandatory; an empty value is no value.
pub(super) const DISK_ID_GIVEN: CheckDecl = CheckDecl {
    requires: Check::DiskIdGiven.requirement(),
    fails_when: "`DiskId` is absent or empty",
    why: "Parameters are validated before any resource is read; ECS treats an empty value as not supplied.",
    codes: &[Code::MissingParameter],
    needs: Needs::NOTHING,
    param: Some(Param::DiskId),
    tells: &[Tells::Param(Param::DiskId, &[Some("d-1"), None])],
    rule: disk_id_given,
    describe: |f, out| match f.request().disk_id {
        Some("") => out.write_str("DiskId is empty, needs a disk id"),
        Some(id) => write!(out, "DiskId = {id}"),
        None => out.write_str("DiskId not given, needs a disk id"),
    },
};

/// The rule of `disk-id-given`.
#[inline(always)]
fn disk_id_given(f: &Facts<'_, '_>) -> Verdict {
    match f.request().disk_id {
        Some(id) if !id.is_empty() => Verdict::Pass,
        _ => Verdict::Fail(Code::MissingParameter),
    }
}

/// `strategy-value`: `SecurityEnhancementStrategy` is `Active` or
/// `Deactive`, exactly; an empty value is no value.
pub(super) const STRATEGY_VALUE: CheckDecl = CheckDecl {
    requires: Check::StrategyValue.requirement(),
    fails_when: "`SecurityEnhancementStrategy` is given, not empty, and not exactly `Active` or `Deactive`",
    why: "Still parameter validation. ECS enum values are case-sensitive (`active` is invalid). An empty value is no value, as for `DiskId`.",
    codes: &[Code::InvalidParameter],
    needs: Needs::NOTHING,
    param: Some(Param::SecurityEnhancementStrategy),
    tells: &[Tells::Param(
        Param::SecurityEnhancementStrategy,
        &[None, Some("active")],
    )],
    rule: strategy_value,
    describe: |f, out| strategy(f, out, ", needs Active or Deactive"),
};

/// The rule of `strategy-value`.
#[inline(always)]
fn strategy_value(f: &Facts<'_, '_>) -> Verdict {
    match (f.request().security_enhancement_strategy, f.strategy()) {
        (None | Some(""), _) | (Some(_), Some(_)) => Verdict::Pass,
        (Some(_), None) => Verdict::Fail(Code::InvalidParameter),
    }
}

/// `SecurityEnhancementStrategy` as sent, then `needs`.
pub(super) fn strategy(
    f: &Facts<'_, '_>,
    out: &mut fmt::Formatter<'_>,
    needs: &str,
) -> fmt::Result {
    match f.request().security_enhancement_strategy {
        None | Some("") => out.write_str("SecurityEnhancementStrategy not given"),
        Some(value) => write!(out, "SecurityEnhancementStrategy = {value}{needs}"),
    }
}

/// The special characters a `Password` may contain (the reference page's
/// list; the backslash it shows before `|` is markdown escaping).
const PASSWORD_SPECIALS: &str = "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/";

/// Whether `password` is well formed: 8 to 30 characters, each a letter, a
/// digit or one of [`PASSWORD_SPECIALS`], with at least three of the four
/// kinds (upper case, lower case, digit, special).
fn password_is_well_formed(password: &str) -> bool {
    let mut kinds = [false; 4];
    let mut count = 0usize;
    for c in password.chars() {
        count += 1;
        let kind = if c.is_ascii_uppercase() {
            0
        } else if c.is_ascii_lowercase() {
            1
        } else if c.is_ascii_digit() {
            2
        } else if PASSWORD_SPECIALS.contains(c) {
            3
        } else {
            return false;
        };
        if let Some(seen) = kinds.get_mut(kind) {
            *seen = true;
        }
    }
    (8..=30).contains(&count) && kinds.iter().filter(|k| **k).count() >= 3
}

/// `password-value`: a given `Password` is well formed.
pub(super) const PASSWORD_VALUE: CheckDecl = CheckDecl {
    requires: Check::PasswordValue.requirement(),
    fails_when: "`Password` is given, not empty, and too short, too long, has a character outside the list, or fewer than three kinds",
    why: "The 2025-02-27 page's parameter table: 8 to 30 characters, at least three of upper case, lower case, digits and the listed special characters. A parameter check, so it runs before the world is read. The password is never shown, not even here.",
    codes: &[Code::InvalidPasswordMalformed],
    needs: Needs::NOTHING,
    param: Some(Param::Password),
    tells: &[Tells::Param(Param::Password, &[None, Some("abc")])],
    rule: password_value,
    describe: |f, out| {
        match f.request().password {
        None | Some("") => out.write_str("Password not given"),
        Some(_) => out.write_str(
            "Password given (not shown), needs 8 to 30 letters, digits and specials, at least three of the four kinds",
        ),
    }
    },
};

/// The rule of `password-value`.
#[inline(always)]
fn password_value(f: &Facts<'_, '_>) -> Verdict {
    match f.request().password {
        None | Some("") => Verdict::Pass,
        Some(p) if password_is_well_formed(p) => Verdict::Pass,
        Some(_) => Verdict::Fail(Code::InvalidPasswordMalformed),
    }
}

/// `auto-start-value`: a given `AutoStartInstance` is a boolean.
pub(super) const AUTO_START_VALUE: CheckDecl = CheckDecl {
    requires: Check::AutoStartValue.requirement(),
    fails_when: "`AutoStartInstance` is given, not empty, and neither `true` nor `false` in any letter case",
    why: "A Boolean parameter, sent as text: the current SDKs send `true`/`false`, the older Python SDK `True`/`False`, so the letter case does not matter.",
    codes: &[Code::InvalidParameter],
    needs: Needs::NOTHING,
    param: Some(Param::AutoStartInstance),
    tells: &[Tells::Param(
        Param::AutoStartInstance,
        &[None, Some("maybe")],
    )],
    rule: auto_start_value,
    describe: |f, out| match f.request().auto_start_instance {
        None | Some("") => out.write_str("AutoStartInstance not given (false)"),
        Some(value) => write!(out, "AutoStartInstance = {value}, needs true or false"),
    },
};

/// The rule of `auto-start-value`.
#[inline(always)]
fn auto_start_value(f: &Facts<'_, '_>) -> Verdict {
    match f.request().auto_start_instance {
        None | Some("") => Verdict::Pass,
        Some(v) if v.eq_ignore_ascii_case("true") || v.eq_ignore_ascii_case("false") => {
            Verdict::Pass
        }
        Some(_) => Verdict::Fail(Code::InvalidParameter),
    }
}

/// Whether `region_id` is well formed: 1 to 64 lower-case ASCII letters,
/// digits and hyphens, starting with a letter and not ending with a hyphen
/// (`cn-hangzhou`, `ap-southeast-1`, `cn-shanghai-finance-1`).
fn region_id_is_well_formed(region_id: &str) -> bool {
    let bytes = region_id.as_bytes();
    (1..=64).contains(&bytes.len())
        && bytes.first().is_some_and(u8::is_ascii_lowercase)
        && bytes.last().is_some_and(|b| *b != b'-')
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
}

/// `region-id-value`: a given `RegionId` is well formed.
pub(super) const REGION_ID_VALUE: CheckDecl = CheckDecl {
    requires: Check::RegionIdValue.requirement(),
    fails_when: "`RegionId` is given, not empty, and not of the shape every region id has",
    why: "The 2025-02-27 page lists `InvalidRegionId.MalFormed` and no condition. Every region id ECS has is lower-case letters, digits and hyphens (`cn-hangzhou`, `ap-southeast-1`); one of another shape is malformed, whatever the region list. Last of the parameter checks, so the page's named parameters decide first (docs/open-questions.md).",
    codes: &[Code::InvalidRegionIdMalFormed],
    needs: Needs::NOTHING,
    param: Some(Param::RegionId),
    tells: &[Tells::Param(Param::RegionId, &[None, Some("Bad_Region")])],
    rule: region_id_value,
    describe: |f, out| match f.request().region_id {
        None | Some("") => out.write_str("RegionId not given"),
        Some(value) => write!(
            out,
            "RegionId = {value}, needs lower-case letters, digits and hyphens, starting with a letter"
        ),
    },
};

/// The rule of `region-id-value`.
#[inline(always)]
fn region_id_value(f: &Facts<'_, '_>) -> Verdict {
    match f.request().region_id {
        None | Some("") => Verdict::Pass,
        Some(r) if region_id_is_well_formed(r) => Verdict::Pass,
        Some(_) => Verdict::Fail(Code::InvalidRegionIdMalFormed),
    }
}
