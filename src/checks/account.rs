//! The checks that read the account itself.

use super::{Check, CheckDecl, Facts, Needs, Tells, Verdict};
use crate::catalogue::Code;

/// `user-in-white-list`: the account is on the volume white list.
pub(super) const USER_IN_WHITE_LIST: CheckDecl = CheckDecl {
    requires: Check::UserInWhiteList.requirement(),
    fails_when: "the account's `InVolumeWhiteList` is false",
    why: "The 2025-02-27 page lists `UserNotInTheWhiteList` (\"The user is not in volume white list.\") without a condition: a feature gate of the account, as ECS's invitation-only disk features are. A property of the account that no waiting fixes, so it comes right after the disk's own static properties; no account the documents describe is off the list, so the fact defaults to true (docs/open-questions.md).",
    codes: &[Code::UserNotInTheWhiteList],
    needs: Needs::ACCOUNT,
    param: None,
    tells: &[Tells::WhiteListed],
    rule: user_in_white_list,
    describe: |f, out| {
        write!(
            out,
            "account InVolumeWhiteList = {}, needs true",
            f.account().in_volume_white_list
        )
    },
};

/// The rule of `user-in-white-list`.
#[inline(always)]
fn user_in_white_list(f: &Facts<'_, '_>) -> Verdict {
    if f.account().in_volume_white_list {
        Verdict::Pass
    } else {
        Verdict::Fail(Code::UserNotInTheWhiteList)
    }
}
