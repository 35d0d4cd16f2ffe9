//! The catalogues, pinned: every code of each revision with its exact
//! message and HTTP status, copied character for character from the
//! reference pages (the seed table; the 2025-02-27 table in
//! ReInitDisk-current.md) and from the product's decisions (issues 2 and 8)
//! — not from src/.
use reinit_disk::Param;
use reinit_disk::catalogue::{Code, INTERNAL_ERROR, Source};
use reinit_disk::revision::{ALL, SEED, V2025_02_27};
use strum::VariantArray;

/// (code, message, HTTP status, source), in check order.
const PINNED: &[(&str, &str, u16, Source)] = &[
    (
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
        404,
        Source::CommonErrors,
    ),
    (
        "MissingParameter",
        "The input parameter \"DiskId\" that is mandatory for processing this request is not supplied.",
        400,
        Source::CommonErrors,
    ),
    (
        "InvalidParameter",
        "The specified parameter \"SecurityEnhancementStrategy\" is not valid.",
        400,
        Source::CommonErrors,
    ),
    (
        "InvalidDiskId.NotFound",
        "The specified disk does not exist.",
        404,
        Source::ReferencePage,
    ),
    (
        "DiskCategory.OperationNotSupported",
        "The operation is not supported to the specified disk due to its disk category",
        400,
        Source::ReferencePage,
    ),
    (
        "InstanceLockedForSecurity",
        "The instance is locked due to security.",
        403,
        Source::ReferencePage,
    ),
    (
        "InstanceExpiredOrInArrears",
        "The specified operation is denied as your prepay instance is expired (prepay mode) or in arrears (afterpay mode).",
        403,
        Source::ReferencePage,
    ),
    (
        "IncorrectDiskStatus",
        "The current disk status does not support this operation.",
        403,
        Source::ReferencePage,
    ),
    (
        "IncorrectInstanceStatus",
        "The current status of the resource does not support this operation.",
        403,
        Source::ReferencePage,
    ),
    (
        "DiskCreatingSnapshot",
        "The operation is denied due to a snapshot of the specified disk is not completed yet.",
        403,
        Source::ReferencePage,
    ),
    (
        "InvalidSourceSnapshot",
        "The snapshot which is used to create the specified disk has been deleted.",
        403,
        Source::ReferencePage,
    ),
    (
        "OperationDenied",
        "The snapshot which is used to create the specified disk has been deleted.",
        403,
        Source::ReferencePage,
    ),
    (
        "InvalidSnapshot.TooOld",
        "The disk is created from a snapshotId made before 2013-07-15, it cannot be re-initiated the specified disk any more since the detached first time.",
        403,
        Source::ReferencePage,
    ),
    (
        "SharedImageDeleted",
        "The specified image by others shared is deleted.",
        403,
        Source::ReferencePage,
    ),
    (
        "InvalidDiskId.OperationNotSupported",
        "The operation is not supported due to image not exist.",
        404,
        Source::CurrentApi,
    ),
    (
        "InvalidImageId.NotFound",
        "The specified ImageId does not exist.",
        404,
        Source::CurrentApi,
    ),
    (
        "InternalError",
        "The request processing has failed due to some unknown error, exception or failure.",
        500,
        Source::CommonErrors,
    ),
];

/// The 2025-02-27 revision: (code, message, HTTP status, the parameter the
/// row is for), in check order. The 28 codes of ReInitDisk-current.md and
/// the three common codes, `InvalidParameter` once per parameter.
#[rustfmt::skip]
const PINNED_2025: &[(&str, &str, u16, Option<Param>)] = &[
    ("InvalidAction.NotFound", "Specified api is not found, please check your url and method.", 404, None),
    ("MissingParameter", "The input parameter \"DiskId\" that is mandatory for processing this request is not supplied.", 400, None),
    ("InvalidParameter", "The specified parameter \"SecurityEnhancementStrategy\" is not valid.", 400, Some(Param::SecurityEnhancementStrategy)),
    ("InvalidParameter", "The specified parameter \"AutoStartInstance\" is not valid.", 400, Some(Param::AutoStartInstance)),
    ("InvalidPassword.Malformed", "The specified parameter \"Password\" is not valid.", 400, None),
    ("InvalidRegionId.MalFormed", "The specified RegionId is not valid.", 400, None),
    ("InvalidDiskId.NotFound", "The specified disk does not exist.", 404, None),
    ("DiskCategory.OperationNotSupported", "The operation is not supported to the specified disk due to its disk category.", 400, None),
    ("UserNotInTheWhiteList", "The user is not in volume white list.", 403, None),
    ("InvalidOperation.MultiAttachDisk", "Multi attach disk does not support this operation.", 403, None),
    ("InstanceLockedForSecurity", "The instance is locked due to security.", 403, None),
    ("InstanceExpiredOrInArrears", "The specified operation is denied as your prepay instance is expired (prepay mode) or in arrears (afterpay mode).", 403, None),
    ("IncorrectDiskStatus", "The current disk status does not support this operation.", 403, None),
    ("IncorrectInstanceStatus", "The current status of the resource does not support this operation.", 403, None),
    ("HibernationConfigured.InstanceOperationForbidden", "The operation is not permitted due to limit of the hibernation configured instance.", 403, None),
    ("DependencyViolation.IoOptimize", "The specified parameter InstanceId is not valid.", 400, None),
    ("DiskCreatingSnapshot", "The operation is denied due to a snapshot of the specified disk is not completed yet.", 403, None),
    ("DiskHasSnapshotsWithInstantAccessEnabled.OperationNotSupported", "The operation is not supported to the specified disk that have snapshots with InstantAccess enabled.", 400, None),
    ("InvalidParameter.KMSKeyId.CMKNotEnabled", "The CMK needs to be enabled.", 403, None),
    ("InvalidParameter.KMSKeyId.KMSUnauthorized", "ECS service have no right to access your KMS.", 403, None),
    ("InvalidParameter.KMSKeyId.CMKUnauthorized", "The CMK needs to be added ECS tag.", 403, None),
    ("InvalidSourceSnapshot", "The source snapshot of the disk has been deleted and cannot support the current operation.", 403, None),
    ("OperationDenied", "The snapshot which is used to create the specified disk has been deleted.", 403, None),
    ("InvalidSnapshot.TooOld", "The disk is created from a snapshotId made before 2013-07-15, it cannot be re-initiated the specified disk any more since the detached first time.", 403, None),
    ("SharedImageDeleted", "The specified image by others shared is deleted.", 403, None),
    ("InvalidDiskId.OperationNotSupported", "The operation is not supported due to image not exist.", 404, None),
    ("InvalidImageId.NotFound", "The specified ImageId does not exist.", 404, None),
    ("InvalidKeyPairName.NotFound", "The specified KeyPairName does not exist.", 400, None),
    ("DependencyViolation.WindowsInstance", "The instance creating is windows, cannot use ssh key pair to login.", 403, None),
    ("LoginAsNonRoot.RegionNotSupport", "The specified region does not support login as non-root.", 403, None),
    ("LoginAsNonRoot.ImageNotSupport", "The specified image does not support login as non-root.", 400, None),
    ("InternalError", "The request processing has failed due to some unknown error, exception or failure.", 500, None),
];

#[test]
fn the_2025_catalogue_has_exactly_the_pinned_rows_in_check_order() {
    let rows: Vec<(&str, &str, u16, Option<Param>)> = V2025_02_27
        .catalogue
        .iter()
        .map(|e| (e.code.as_str(), e.message, e.http_status, e.param))
        .collect();
    assert_eq!(rows, PINNED_2025);
}

#[test]
fn the_2025_catalogue_has_the_28_codes_of_its_page_and_the_common_three() {
    let codes: std::collections::BTreeSet<&str> = V2025_02_27
        .catalogue
        .iter()
        .map(|e| e.code.as_str())
        .collect();
    assert_eq!(codes.len(), 28 + 3);
}

#[test]
fn the_2025_page_codes_come_from_its_page_word_for_word() {
    let Ok(page) = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/reference/ReInitDisk-current.md"
    )) else {
        return; // the reference lives beside the repository, not in it
    };
    let seed_text = "(the seed page's text, unchanged)";
    let mut found = 0;
    for entry in V2025_02_27
        .catalogue
        .iter()
        .filter(|e| e.source != Source::CommonErrors || e.code == Code::InternalError)
    {
        let own = format!(
            "| {} | {} | {} |",
            entry.http_status, entry.code, entry.message
        );
        let unchanged = format!("| {} | {} | {seed_text} |", entry.http_status, entry.code);
        if page.contains(&own) {
            found += 1;
        } else {
            assert!(page.contains(&unchanged), "not on the page: {own}");
            let seed = SEED.entry(entry.code).unwrap();
            assert_eq!(
                entry.message, seed.message,
                "{}: the page keeps the seed text",
                entry.code
            );
            found += 1;
        }
    }
    assert_eq!(found, 28, "every row of the page's table");
}

#[test]
fn the_seed_catalogue_has_exactly_the_pinned_rows_in_check_order() {
    let rows: Vec<(&str, &str, u16, Source)> = SEED
        .catalogue
        .iter()
        .map(|e| (e.code.as_str(), e.message, e.http_status, e.source))
        .collect();
    assert_eq!(rows, PINNED);
}

#[test]
fn the_seed_page_codes_come_from_the_seed_page_word_for_word() {
    // The page's table, read from the seed file itself where it is at hand.
    let Ok(page) = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/seed/ReInitDisk.zh-CN.md"
    )) else {
        return; // the seed lives beside the repository, not in it
    };
    for entry in SEED
        .catalogue
        .iter()
        .filter(|e| e.source == Source::ReferencePage)
    {
        // The page escapes parentheses as \( \); the message is the text.
        let row = format!(
            "|{}|{}|{}|",
            entry.code,
            entry.message.replace('(', "\\(").replace(')', "\\)"),
            entry.http_status
        );
        assert!(page.contains(&row), "not on the page: {row}");
    }
}

#[test]
fn every_code_is_in_some_revision_with_one_row_per_parameter() {
    for code in Code::VARIANTS {
        let revisions = ALL.iter().filter(|r| r.entry(*code).is_some()).count();
        assert!(revisions > 0, "{code} is in no revision");
    }
    for revision in ALL {
        for code in Code::VARIANTS {
            let rows: Vec<_> = revision
                .catalogue
                .iter()
                .filter(|e| e.code == *code)
                .collect();
            let params: std::collections::BTreeSet<_> =
                rows.iter().map(|e| format!("{:?}", e.param)).collect();
            assert_eq!(
                params.len(),
                rows.len(),
                "{revision} {code}: a row per parameter"
            );
            if let Some(first) = rows.first() {
                assert_eq!(revision.entry(*code), Some(*first), "{revision} {code}");
            }
        }
    }
}

#[test]
fn codes_are_spelled_as_ecs_spells_them() {
    for code in Code::VARIANTS {
        let spelled = code.to_string();
        assert_eq!(spelled.parse::<Code>().unwrap(), *code);
        assert_eq!(
            serde_json::to_string(code).unwrap(),
            format!("\"{spelled}\"")
        );
        assert_eq!(code.as_str(), spelled);
    }
}

#[test]
fn the_fallback_row_is_internal_error() {
    assert_eq!(INTERNAL_ERROR.code, Code::InternalError);
    assert_eq!(SEED.entry(Code::InternalError), Some(&INTERNAL_ERROR));
}
