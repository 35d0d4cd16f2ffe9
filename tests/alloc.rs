//! `evaluate` allocates nothing: not when it accepts, not for any rejection.
//!
//! allocation-counter installs a counting global allocator in this test
//! binary (the crate forbids `unsafe`, so it cannot write its own) and counts
//! the allocations the current thread makes inside `measure`. The cases are
//! the benchmark's (benches/evaluate/cases.rs): every accepted kind and every
//! code the checks can give.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "../benches/evaluate/cases.rs"]
mod cases;

use std::collections::BTreeSet;
use std::hint::black_box;

use allocation_counter::measure;
use reinit_disk::checks::evaluate_traced;
use reinit_disk::{Code, evaluate};
use strum::VariantArray;

#[test]
fn the_counter_sees_an_allocation() {
    // Without this, a counter that counts nothing would pass every test below.
    let info = measure(|| {
        black_box(String::from("d-1"));
    });
    assert_eq!(info.count_total, 1);
}

#[test]
fn evaluate_allocates_nothing_for_any_case() {
    let world = cases::world(1_000);
    for case in cases::cases() {
        let mut decided = None;
        let info = measure(|| {
            decided = Some(evaluate(
                black_box(&case.request),
                black_box(&world),
                black_box(&case.policy),
            ));
        });
        let decided = decided.expect("ran");
        assert_eq!(
            decided.err().map(|r| r.code()),
            case.expect,
            "{}: not the case it claims to be",
            case.name
        );
        assert_eq!(info.count_total, 0, "{}: evaluate allocated", case.name);
        assert_eq!(info.bytes_total, 0, "{}: evaluate allocated", case.name);

        let info = measure(|| {
            black_box(evaluate_traced(
                black_box(&case.request),
                black_box(&world),
                black_box(&case.policy),
                |step| {
                    black_box(step);
                },
            ))
            .ok();
        });
        assert_eq!(
            info.count_total, 0,
            "{}: evaluate_traced allocated",
            case.name
        );
    }
}

#[test]
fn the_cases_cover_acceptance_and_every_code() {
    let cases = cases::cases();
    assert!(cases.iter().any(|c| c.expect.is_none()));
    let covered: BTreeSet<Code> = cases.iter().filter_map(|c| c.expect).collect();
    let all: BTreeSet<Code> = Code::VARIANTS.iter().copied().collect();
    assert_eq!(covered, all, "a code has no allocation case");
}
