//! Instructions per decision, not seconds: `evaluate` under each revision
//! and the hand-written seed rules (benches/evaluate/by_hand.rs), each in a
//! function of its own, 100,000 times on one case, for callgrind to count
//! (load-independent, unlike wall-clock medians on a shared machine).
//! `scripts/instructions.sh` builds it, runs it under callgrind for every
//! case and prints the table docs/performance.md quotes; run by `cargo
//! bench` without a case, it only says so.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs,
    dead_code,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk_testkit::by_hand;
use reinit_disk_testkit::cases;

use std::hint::black_box;

use reinit_disk::{InMemoryWorld, Policy, Request, evaluate};

/// The calls counted per run.
const CALLS: u32 = 100_000;

#[inline(never)]
fn evaluated(request: &Request<'_>, world: &InMemoryWorld, policy: &Policy) -> bool {
    evaluate(request, world, policy).is_ok()
}

#[inline(never)]
fn by_hand_decided(request: &Request<'_>, world: &InMemoryWorld, policy: &Policy) -> bool {
    by_hand::by_hand(request, world, policy).is_ok()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (Some(case), Some(mode)) = (args.first(), args.get(1)) else {
        if args.first().map(String::as_str) == Some("--list") {
            for case in cases::cases() {
                println!("{}", case.name);
            }
        } else {
            println!(
                "instructions: run scripts/instructions.sh (callgrind counts this bench's calls)"
            );
        }
        return;
    };
    let world = cases::world(1_000);
    let list = if mode == "2025" {
        cases::cases_2025()
    } else {
        cases::cases()
    };
    let case = list.iter().find(|c| c.name == *case).expect("no such case");
    let mut accepted = 0u32;
    for _ in 0..CALLS {
        let (r, w, p) = (
            black_box(&case.request),
            black_box(&world),
            black_box(&case.policy),
        );
        accepted += u32::from(if mode == "by-hand" {
            by_hand_decided(r, w, p)
        } else {
            evaluated(r, w, p)
        });
    }
    println!("{accepted}");
}
