//! The fuzzers' input generators (`impl Arbitrary`, feature `arbitrary`):
//! every value they make is valid, and they can make every value. Run with
//! `cargo test --features arbitrary --test generators` (the mutation run
//! turns the feature on); without the feature this file has no test.
#![cfg(feature = "arbitrary")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use std::collections::BTreeSet;

use arbitrary::{Arbitrary, Unstructured};
use reinit_disk::Policy;
use reinit_disk::model::{CategorySet, CreationTime, DiskCategory, LockReason, LockSet};
use reinit_disk::revision::SEED;
use strum::VariantArray;

#[test]
fn category_sets_are_every_subset_of_the_thirteen() {
    let mut seen = BTreeSet::new();
    for n in 0..=u16::MAX {
        let bytes = n.to_le_bytes();
        let set = CategorySet::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
        // No stray bit: the set is exactly its members.
        let members: Vec<DiskCategory> = set.iter().collect();
        assert_eq!(set, CategorySet::of(&members));
        seen.insert(members.iter().map(|c| c.to_string()).collect::<Vec<_>>());
    }
    assert_eq!(seen.len(), 1 << DiskCategory::VARIANTS.len());
}

#[test]
fn lock_sets_are_every_subset_of_the_five() {
    let mut seen = BTreeSet::new();
    for n in 0..=u8::MAX {
        let set = LockSet::arbitrary(&mut Unstructured::new(&[n])).unwrap();
        let members: Vec<LockReason> = set.iter().collect();
        assert_eq!(set, members.iter().copied().collect::<LockSet>());
        seen.insert(members.iter().map(|r| r.to_string()).collect::<Vec<_>>());
    }
    assert_eq!(seen.len(), 1 << LockReason::VARIANTS.len());
}

#[test]
fn creation_times_span_2000_to_2100_across_the_cut_off() {
    let (mut old, mut new) = (false, false);
    for n in 0..=u16::MAX {
        let bytes = [n.to_le_bytes(), n.to_be_bytes()].concat();
        let t = CreationTime::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
        assert!(
            (946_684_800..=4_102_444_800).contains(&t.unix_seconds()),
            "{t}"
        );
        old |= t < SEED.too_old_before;
        new |= t >= SEED.too_old_before;
    }
    assert!(old && new);
    let first = CreationTime::arbitrary(&mut Unstructured::new(&[])).unwrap();
    assert_eq!(first.unix_seconds(), 946_684_800);
}

#[test]
fn policies_have_orders_that_are_permutations_and_vary() {
    let mut seen = BTreeSet::new();
    let mut default_order = 0;
    // A small linear congruential generator: 64 varied bytes a draw.
    let mut state: u64 = 1;
    for _ in 0..20_000 {
        let bytes: Vec<u8> = (0..64)
            .map(|_| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                (state >> 56) as u8
            })
            .collect();
        let policy = Policy::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
        let order = policy.order();
        // Each of the revision's world checks exactly once.
        assert!(Policy::new(policy.revision()).with_order(order).is_ok());
        let mut sorted = order.to_vec();
        sorted.sort();
        let mut all = policy.revision().world_checks.to_vec();
        all.sort();
        assert_eq!(sorted, all);
        default_order += usize::from(policy.has_default_order());
        seen.insert(order.to_vec());
    }
    assert!(seen.len() > 1000, "{} orders", seen.len());
    assert!(default_order > 0, "never the default order");
    assert!(
        seen.iter()
            .any(|o| o.first() != reinit_disk::revision::SEED.world_checks.first())
    );
    assert!(
        seen.iter()
            .any(|o| o.last() != reinit_disk::revision::SEED.world_checks.last())
    );
}
