//! The catalogue, pinned: every code with its exact message and HTTP status,
//! copied character for character from the reference page (seed table) and
//! from the product's decisions (issue 2) — not from src/.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use reinit_disk::catalogue::{Code, INTERNAL_ERROR, Source};
use reinit_disk::revision::SEED;
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
        "InternalError",
        "The request processing has failed due to some unknown error, exception or failure.",
        500,
        Source::CommonErrors,
    ),
];

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
fn every_code_has_exactly_one_row() {
    for code in Code::VARIANTS {
        let rows = SEED.catalogue.iter().filter(|e| e.code == *code).count();
        assert_eq!(rows, 1, "{code}");
        assert_eq!(SEED.entry(*code).unwrap().code, *code);
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
