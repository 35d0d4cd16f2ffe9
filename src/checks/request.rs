//! The request checks: they read the parameters alone, and always run first.

use core::fmt;

use super::{CheckDecl, Facts, Needs, Verdict};
use crate::catalogue::Code;
use crate::request::ACTION as REINIT_DISK;

/// `action`: an action other than `ReInitDisk` is not this API.
pub const ACTION: CheckDecl = CheckDecl {
    requires: "`Action`, when given, is `ReInitDisk`",
    fails_when: "`Action` is given and is not `ReInitDisk` (case-sensitive)",
    why: "Routing comes before anything: a request for another action is not this API at all.",
    codes: &[Code::InvalidActionNotFound],
    needs: Needs::NOTHING,
    rule: action,
    describe: |f, out| match f.request().action {
        Some(action) => write!(out, "Action = {action}, needs {REINIT_DISK}"),
        None => out.write_str("Action not given (only a given Action is checked)"),
    },
};

/// The rule of `action`.
#[inline]
fn action(f: &Facts<'_, '_>) -> Verdict {
    match f.request().action {
        Some(action) if action != REINIT_DISK => Verdict::Fail(Code::InvalidActionNotFound),
        _ => Verdict::Pass,
    }
}

/// `disk-id-given`: `DiskId` is mandatory; an empty value is no value.
pub const DISK_ID_GIVEN: CheckDecl = CheckDecl {
    requires: "`DiskId` is given and not empty",
    fails_when: "`DiskId` is absent or empty",
    why: "Parameters are validated before any resource is read; ECS treats an empty value as not supplied.",
    codes: &[Code::MissingParameter],
    needs: Needs::NOTHING,
    rule: disk_id_given,
    describe: |f, out| match f.request().disk_id {
        Some("") => out.write_str("DiskId is empty, needs a disk id"),
        Some(id) => write!(out, "DiskId = {id}"),
        None => out.write_str("DiskId not given, needs a disk id"),
    },
};

/// The rule of `disk-id-given`.
#[inline]
fn disk_id_given(f: &Facts<'_, '_>) -> Verdict {
    match f.request().disk_id {
        Some(id) if !id.is_empty() => Verdict::Pass,
        _ => Verdict::Fail(Code::MissingParameter),
    }
}

/// `strategy-value`: `SecurityEnhancementStrategy` is `Active` or
/// `Deactive`, exactly; an empty value is no value.
pub const STRATEGY_VALUE: CheckDecl = CheckDecl {
    requires: "`SecurityEnhancementStrategy`, when given, is `Active` or `Deactive` (case-sensitive)",
    fails_when: "`SecurityEnhancementStrategy` is given, not empty, and not exactly `Active` or `Deactive`",
    why: "Still parameter validation. ECS enum values are case-sensitive (`active` is invalid). An empty value is no value, as for `DiskId`.",
    codes: &[Code::InvalidParameter],
    needs: Needs::NOTHING,
    rule: strategy_value,
    describe: |f, out| strategy(f, out, ", needs Active or Deactive"),
};

/// The rule of `strategy-value`.
#[inline]
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
