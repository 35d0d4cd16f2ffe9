//! Public API pieces no other test reached (found by the coverage run,
//! docs/testing.md).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use reinit_disk::Rejection;
use reinit_disk::revision::SEED;
use reinit_disk::wire::reason_phrase;
use reinit_disk::{Check, Code, Request, SecurityEnhancementStrategy};

#[test]
fn a_rejection_exposes_its_catalogue_row() {
    let entry = SEED.entry(Code::DiskCreatingSnapshot).unwrap();
    let rejection = Rejection::new(entry, Check::NoSnapshotInProgress);
    assert_eq!(rejection.entry(), entry);
    assert_eq!(rejection.entry().code, Code::DiskCreatingSnapshot);
}

#[test]
fn with_strategy_sets_the_raw_parameter() {
    let active = Request::new("d-1").with_strategy(SecurityEnhancementStrategy::Active);
    let deactive = Request::new("d-1").with_strategy(SecurityEnhancementStrategy::Deactive);
    assert_eq!(active.security_enhancement_strategy, Some("Active"));
    assert_eq!(deactive.security_enhancement_strategy, Some("Deactive"));
}

#[test]
fn reason_phrases_are_rfc_9110s() {
    let phrases = [
        (200, "OK"),
        (400, "Bad Request"),
        (401, "Unauthorized"),
        (403, "Forbidden"),
        (404, "Not Found"),
        (409, "Conflict"),
        (429, "Too Many Requests"),
        (500, "Internal Server Error"),
        (502, "Bad Gateway"),
        (503, "Service Unavailable"),
        (504, "Gateway Timeout"),
        (418, ""),
    ];
    for (status, phrase) in phrases {
        assert_eq!(reason_phrase(status), phrase, "{status}");
    }
}
