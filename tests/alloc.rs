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
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk_testkit::cases;

use std::collections::BTreeSet;
use std::hint::black_box;

use allocation_counter::measure;
use reinit_disk::model::{DiskStatus, LockReason};
use reinit_disk::revision::ALL;
use reinit_disk::{Code, World, evaluate, evaluate_traced};

#[test]
fn the_counter_sees_an_allocation() {
    // Without this, a counter that counts nothing would pass every test below.
    let info = measure(|| {
        black_box(String::from("d-1"));
    });
    assert_eq!(info.count_total, 1);
}

#[test]
fn evaluate_allocates_nothing_for_any_case_of_either_revision() {
    let main = cases::world(1_000);
    let account = cases::account_world();
    for case in cases::cases().into_iter().chain(cases::cases_2025()) {
        let world = if case.account_refuses {
            &account
        } else {
            &main
        };
        let mut decided = None;
        let info = measure(|| {
            decided = Some(evaluate(
                black_box(&case.request),
                black_box(world),
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

        let mut traced = None;
        let mut steps = 0;
        let info = measure(|| {
            traced = Some(evaluate_traced(
                black_box(&case.request),
                black_box(world),
                black_box(&case.policy),
                |step| {
                    steps += 1;
                    black_box(step);
                },
            ));
        });
        assert_eq!(
            traced.expect("ran").err().map(|r| r.code()),
            case.expect,
            "{}: the traced run decides otherwise",
            case.name
        );
        assert!(steps > 0, "{}: no step traced", case.name);
        assert_eq!(
            info.count_total, 0,
            "{}: evaluate_traced allocated",
            case.name
        );
        assert_eq!(
            info.bytes_total, 0,
            "{}: evaluate_traced allocated",
            case.name
        );
    }
}

#[test]
fn the_cases_cover_the_two_rule_fixes() {
    // A disk's own financial lock, and a security-locked instance whose disk
    // is not In_use: evaluated above like every case.
    let world = cases::world(1_000);
    let cases = cases::cases();
    let disk_locked = cases.iter().any(|c| {
        c.expect == Some(Code::InstanceExpiredOrInArrears)
            && c.request
                .disk_id
                .and_then(|id| world.disk(id))
                .is_some_and(|d| d.operation_locks.any_financial())
    });
    assert!(disk_locked, "no case of a disk in arrears");
    let security_not_in_use = cases.iter().any(|c| {
        let disk = c.request.disk_id.and_then(|id| world.disk(id));
        let instance = disk
            .and_then(|d| d.instance_id)
            .and_then(|id| world.instance(id));
        disk.is_some_and(|d| d.status != DiskStatus::InUse)
            && instance.is_some_and(|i| i.operation_locks.contains(LockReason::Security))
    });
    assert!(
        security_not_in_use,
        "no case of a security lock on the instance of a disk not In_use"
    );
}

#[test]
fn the_cases_cover_acceptance_and_every_code() {
    for revision in ALL {
        let cases: Vec<_> = cases::cases()
            .into_iter()
            .chain(cases::cases_2025())
            .filter(|c| c.policy.revision() == *revision)
            .collect();
        assert!(cases.iter().any(|c| c.expect.is_none()));
        let covered: BTreeSet<Code> = cases.iter().filter_map(|c| c.expect).collect();
        let all: BTreeSet<Code> = revision.catalogue.iter().map(|e| e.code).collect();
        assert_eq!(covered, all, "{revision}: a code has no allocation case");
    }
}
