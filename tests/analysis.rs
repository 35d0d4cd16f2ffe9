//! The analysis (src/analysis/): the fact space each revision's checks
//! declare, decided region by region, held against the whole product of a
//! space, against `evaluate` at random points of every region, and the
//! diff's witnesses replayed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use std::collections::{BTreeMap, BTreeSet};

use reinit_disk::analysis::{Answer, Class, Leaf, Space, diff};
use reinit_disk::answers::{
    ActiveOnNonPublicImage, Answers, DeletedImageCode, DeletedSnapshotCode, UnsupportedCategories,
};
use reinit_disk::checks::Fact;
use reinit_disk::model::{CategorySet, DiskCategory};
use reinit_disk::revision::{ALL, SEED, V2025_02_27};
use reinit_disk::{Code, Policy, Revision, Verdict, evaluate, evaluate_all, evaluate_traced};

/// Every answer its alternative, some categories more refused, the world
/// checks reversed.
fn every_knob_flipped(revision: &'static Revision) -> Policy {
    let mut order = revision.world_checks.to_vec();
    order.reverse();
    Policy::new(revision)
        .with_answers(Answers {
            deleted_snapshot_code: DeletedSnapshotCode::OperationDenied,
            unsupported_categories: UnsupportedCategories(CategorySet::of(&[
                DiskCategory::Cloud,
                DiskCategory::CloudEssd,
                DiskCategory::Ephemeral,
            ])),
            active_on_non_public_image: ActiveOnNonPublicImage::Reject,
            deleted_image_code: DeletedImageCode::InvalidImageIdNotFound,
        })
        .with_order(&order)
        .unwrap()
}

fn policies() -> Vec<Policy> {
    ALL.iter()
        .flat_map(|r| [Policy::new(r), every_knob_flipped(r)])
        .collect()
}

/// Each revision's default policy, and the one with every knob flipped,
/// as pairs of sides.
fn pairs() -> Vec<[Policy; 2]> {
    ALL.iter()
        .map(|r| [Policy::new(r), every_knob_flipped(r)])
        .collect()
}

/// The answers of each side, as a key.
fn key(leaf_decided: &[reinit_disk::analysis::Decided]) -> Vec<String> {
    leaf_decided
        .iter()
        .map(|d| match d {
            Ok(t) => format!("{t:?}"),
            Err(r) => format!("{} {} {}", r.check(), r.code(), r.message()),
        })
        .collect()
}

#[test]
fn the_regions_of_a_space_count_every_point_of_it_once() {
    for policy in policies() {
        let space = Space::new(&[policy]);
        let mut total = 0u64;
        space.explore(&[policy], |leaf| total += leaf.situations);
        assert_eq!(total, space.size(), "{policy:?}");
        assert!(space.size() > 1000, "{policy:?}");
    }
}

#[test]
fn every_point_of_the_seed_space_is_decided_as_its_regions_say() {
    // The whole product, point by point, against the regions: the same
    // number of situations for each decision (the deciding check
    // included), under both policies and between them.
    let sides = [Policy::new(&SEED), every_knob_flipped(&SEED)];
    let space = Space::new(&sides);
    let mut by_regions: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    space.explore(&sides, |leaf| {
        *by_regions.entry(key(&leaf.decided)).or_default() += leaf.situations;
    });
    let mut by_points: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    let points = space.points();
    assert_eq!(points.len() as u64, space.size());
    for point in &points {
        let witness = space.witness(point);
        let request = witness.request();
        let decided: Vec<_> = sides
            .iter()
            .map(|p| evaluate(&request, &witness, p).map(reinit_disk::Target::into_owned))
            .collect();
        *by_points.entry(key(&decided)).or_default() += 1;
    }
    assert_eq!(by_regions, by_points);
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// A point of `leaf`'s region: its fixed axes as they are, every free one
/// at a random class (where it exists).
fn somewhere_in(space: &Space, leaf: &Leaf, rng: &mut Rng) -> Vec<u8> {
    let mut point = leaf.point.clone();
    for (axis, a) in space.axes().iter().enumerate() {
        if !leaf.fixed[axis] {
            point[axis] = rng.below(a.classes.len()) as u8;
        }
    }
    point
}

#[test]
fn every_region_of_both_revisions_decides_alike_at_random_points_of_it() {
    for sides in pairs() {
        let space = Space::new(&sides);
        let mut rng = Rng(0x2025_0227);
        let mut regions = 0;
        space.explore(&sides, |leaf| {
            regions += 1;
            for _ in 0..2 {
                let point = somewhere_in(&space, leaf, &mut rng);
                let witness = space.witness(&point);
                let request = witness.request();
                for (side, want) in sides.iter().zip(&leaf.decided) {
                    let got =
                        evaluate(&request, &witness, side).map(reinit_disk::Target::into_owned);
                    assert_eq!(&got, want, "{side:?} at {witness:?}");
                }
            }
        });
        assert!(regions > 1_000, "{regions}");
    }
}

#[test]
fn the_space_of_the_2025_revision_holds_its_own_facts_and_parameters() {
    let space = Space::new(&[Policy::new(&V2025_02_27)]);
    let facts: BTreeSet<Fact> = space.axes().iter().map(|a| a.fact).collect();
    for fact in [
        Fact::KeyPairListed,
        Fact::Encrypted,
        Fact::KeyState,
        Fact::KmsAuthorized,
        Fact::KmsTagged,
        Fact::MultiAttach,
        Fact::Hibernation,
        Fact::OsType,
        Fact::IoOptimized,
        Fact::LoginAsNonRoot,
        Fact::InstantAccessSnapshot,
        Fact::WhiteListed,
    ] {
        assert!(facts.contains(&fact), "{fact}");
    }
    for param in [
        reinit_disk::Param::Password,
        reinit_disk::Param::KeyPairName,
        reinit_disk::Param::AutoStartInstance,
    ] {
        assert!(space.axis(Fact::Param, Some(param)).is_some(), "{param}");
    }
    // The seed revision reads none of them.
    let seed = Space::new(&[Policy::new(&SEED)]);
    assert!(seed.axis(Fact::Encrypted, None).is_none());
    assert!(
        seed.axis(Fact::Param, Some(reinit_disk::Param::Password))
            .is_none()
    );
}

#[test]
fn the_too_old_boundary_is_each_revisions_own() {
    for revision in ALL {
        let space = Space::new(&[Policy::new(revision)]);
        let axis = &space.axes()[space.axis(Fact::TooOldBoundary, None).unwrap()];
        let times: Vec<i64> = axis
            .classes
            .iter()
            .map(|c| match c {
                reinit_disk::analysis::Class::Created(t) => t.unix_seconds(),
                other => panic!("{other:?}"),
            })
            .collect();
        let at = revision.too_old_before.unix_seconds();
        assert_eq!(times, [at, at - 1], "{revision}");
    }
}

#[test]
fn diff_of_seed_to_2025_has_a_class_for_every_code_only_2025_answers() {
    let (seed, newest) = (Policy::new(&SEED), Policy::new(&V2025_02_27));
    // Every code of the 2025 revision's catalogue the seed's lacks...
    let only_2025: BTreeSet<Code> = V2025_02_27
        .catalogue
        .iter()
        .map(|e| e.code)
        .filter(|c| SEED.entry(*c).is_none())
        .collect();
    assert!(only_2025.len() >= 14, "{only_2025:?}");
    // ... is answered somewhere in the 2025 revision's own space ...
    let space = Space::new(&[newest]);
    let mut answered: BTreeSet<Code> = BTreeSet::new();
    space.explore(&[newest], |leaf| {
        if let Some(Err(r)) = leaf.decided.first() {
            answered.insert(r.code());
        }
    });
    assert!(
        answered.is_superset(&only_2025),
        "{:?}",
        only_2025.difference(&answered)
    );
    // ... and has a class of the diff.
    let d = diff(&seed, &newest);
    let shown: BTreeSet<Code> = d
        .changes
        .iter()
        .filter_map(|c| c.to.as_ref().err().map(|r| r.code()))
        .collect();
    for code in &only_2025 {
        assert!(shown.contains(code), "no class answers {code}");
    }
    // What changes is the classes' situations together: some, not all.
    let sum: u64 = d.changes.iter().map(|c| c.situations).sum();
    assert_eq!(d.changed(), sum);
    assert!(sum > 1 && sum < d.situations, "{sum} of {}", d.situations);
}

#[test]
fn every_witness_of_a_diff_replays_to_both_decisions() {
    let pairs = [
        (Policy::new(&SEED), Policy::new(&V2025_02_27)),
        (Policy::new(&SEED), every_knob_flipped(&SEED)),
        (every_knob_flipped(&V2025_02_27), Policy::new(&V2025_02_27)),
    ];
    for (from, to) in pairs {
        let d = diff(&from, &to);
        assert!(!d.changes.is_empty());
        assert!(d.changed() <= d.situations);
        for change in &d.changes {
            let request = change.witness.request();
            let old =
                evaluate(&request, &change.witness, &from).map(reinit_disk::Target::into_owned);
            let new = evaluate(&request, &change.witness, &to).map(reinit_disk::Target::into_owned);
            assert_eq!(old, change.from);
            assert_eq!(new, change.to);
            assert_ne!(Answer::of(&old), Answer::of(&new));
        }
    }
    // A side against itself changes nothing.
    for policy in policies() {
        assert!(diff(&policy, &policy).changes.is_empty());
    }
}

#[test]
fn evaluate_all_decides_as_evaluate_and_reports_every_check_in_order() {
    for policy in policies() {
        let space = Space::new(&[policy]);
        let checks: Vec<_> = policy
            .revision()
            .request_checks
            .iter()
            .chain(policy.order())
            .copied()
            .collect();
        space.explore(&[policy], |leaf| {
            let witness = space.witness(&leaf.point);
            let request = witness.request();
            let (mut steps, mut described) = (Vec::new(), Vec::new());
            let all = evaluate_all(&request, &witness, &policy, |step| {
                steps.push((step.check, step.verdict));
                described.push((step.check, step.verdict, step.describe().to_string()));
            });
            assert_eq!(all, evaluate(&request, &witness, &policy));
            // Up to the deciding check, the trace of `evaluate` is the same
            // steps with the same facts read (explain prints both alike).
            let mut traced = Vec::new();
            let decided = evaluate_traced(&request, &witness, &policy, |step| {
                traced.push((step.check, step.verdict, step.describe().to_string()));
            });
            assert_eq!(decided, all);
            assert_eq!(traced, described[..traced.len()]);
            assert!(
                matches!(traced.last(), Some((_, Verdict::Fail(_), _)))
                    || traced.len() == steps.len()
            );
            let ran: Vec<_> = steps.iter().map(|(c, _)| *c).collect();
            assert_eq!(ran, checks);
            let first = steps.iter().find(|(_, v)| matches!(v, Verdict::Fail(_)));
            match (&all, first) {
                (Err(r), Some((check, Verdict::Fail(code)))) => {
                    assert_eq!((r.check(), r.code()), (*check, *code));
                }
                (Ok(_), None) => {}
                other => panic!("{other:?}"),
            }
        });
    }
}

#[test]
fn a_sweep_decides_far_fewer_regions_than_the_space_has_situations() {
    // The figures docs/cli.md gives (printed with --nocapture).
    for revision in ALL {
        let policy = Policy::new(revision);
        let space = Space::new(&[policy]);
        let start = std::time::Instant::now();
        let regions = space.explore(&[policy], |_| {});
        eprintln!(
            "{revision}: {} axes, {} situations, {regions} regions, {:?}",
            space.axes().len(),
            space.size(),
            start.elapsed()
        );
        assert!(regions < space.size());
    }
    let start = std::time::Instant::now();
    let d = diff(&Policy::new(&SEED), &Policy::new(&V2025_02_27));
    eprintln!(
        "seed → 2025-02-27: {} situations, {} regions, {} change in {} classes, {:?}",
        d.situations,
        d.regions,
        d.changed(),
        d.changes.len(),
        start.elapsed()
    );
    assert!(d.regions.saturating_mul(1000) < d.situations);
}

#[test]
fn every_decision_class_witness_decides_as_its_class_and_the_classes_cover_the_space() {
    for policy in policies() {
        let classes = reinit_disk::analysis::decision_classes(&policy);
        let space = Space::new(&[policy]);
        let total: u64 = classes.iter().map(|c| c.situations).sum();
        assert_eq!(total, space.size(), "{policy:?}");
        let mut seen = BTreeSet::new();
        for class in &classes {
            let request = class.witness.request();
            let got =
                evaluate(&request, &class.witness, &policy).map(reinit_disk::Target::into_owned);
            assert_eq!(got, class.decided);
            assert!(seen.insert(key(std::slice::from_ref(&class.decided))));
        }
    }
}

#[test]
fn the_seed_space_holds_no_fact_of_a_parameter_the_seed_revision_ignores() {
    let seed = Space::new(&[Policy::new(&SEED)]);
    assert!(seed.axis(Fact::KeyPairListed, None).is_none());
    let both = Space::new(&[Policy::new(&SEED), Policy::new(&V2025_02_27)]);
    assert!(both.axis(Fact::KeyPairListed, None).is_some());
}

#[test]
fn a_lock_axis_holds_every_set_of_the_declared_reasons_the_plainest_first_each_alone_in_declared_order()
 {
    use reinit_disk::checks::Tells;
    use reinit_disk::model::{LockReason, LockSet};
    for revision in ALL {
        let policy = Policy::new(revision);
        let space = Space::new(&[policy]);
        for fact in [Fact::DiskLocks, Fact::InstanceLocks] {
            // The reasons the checks declare, in the order they declare them.
            let mut reasons: Vec<LockReason> = Vec::new();
            for check in revision.checks() {
                for tells in check.decl().tells {
                    let named: &[LockReason] = match (fact, tells) {
                        (Fact::DiskLocks, Tells::DiskLocks(r))
                        | (Fact::InstanceLocks, Tells::InstanceLocks(r)) => r,
                        _ => &[],
                    };
                    for r in named {
                        if !reasons.contains(r) {
                            reasons.push(*r);
                        }
                    }
                }
            }
            let Some(axis) = space.axis(fact, None) else {
                assert!(reasons.is_empty(), "{revision} {fact}");
                continue;
            };
            let classes = &space.axes()[axis].classes;
            assert_eq!(classes.len(), 1 << reasons.len(), "{revision} {fact}");
            assert_eq!(
                classes[0],
                Class::Locks(LockSet::EMPTY),
                "{revision} {fact}"
            );
            let alone: Vec<Class> = (reasons.iter())
                .map(|r| Class::Locks(LockSet::EMPTY.with(*r)))
                .collect();
            assert_eq!(classes[1..=reasons.len()], alone[..], "{revision} {fact}");
            let all = reasons.iter().fold(LockSet::EMPTY, |set, r| set.with(*r));
            assert_eq!(
                classes.last(),
                Some(&Class::Locks(all)),
                "{revision} {fact}"
            );
        }
    }
}

#[test]
fn a_points_distance_counts_the_axes_it_has_away_from_their_first_class_where_they_exist() {
    for policy in policies() {
        let space = Space::new(&[policy]);
        let n = space.axes().len();
        let plainest = vec![0u8; n];
        assert_eq!(space.distance(&plainest), 0);
        let mut counted = Vec::new();
        let (mut present, mut absent) = (0, 0);
        for axis in 0..n {
            if space.axes()[axis].classes.len() < 2 {
                continue;
            }
            let mut point = plainest.clone();
            point[axis] = 1;
            let expected = u32::from(space.exists(&point, axis));
            assert_eq!(space.distance(&point), expected, "axis {axis}");
            if expected == 1 {
                present += 1;
                counted.push(axis);
            } else {
                absent += 1;
            }
        }
        // Both kinds are there: axes of the plainest situation, and axes
        // that exist only under another's value (an instance's facts).
        assert!(present >= 2 && absent >= 1, "{present} {absent}");
        let mut two = plainest.clone();
        for axis in counted.iter().take(2) {
            two[*axis] = 1;
        }
        assert_eq!(space.distance(&two), 2);
    }
}

/// A revision of the seed's with three world checks: a space small enough
/// to take point by point in a moment.
fn small() -> &'static Revision {
    Box::leak(Box::new(Revision {
        name: "small",
        title: "a test revision with three world checks",
        catalogue: SEED.catalogue,
        index: SEED.index,
        params: SEED.params,
        reads: SEED.reads,
        request_checks: SEED.request_checks,
        world_checks: &[
            reinit_disk::Check::DiskExists,
            reinit_disk::Check::DiskInUse,
            reinit_disk::Check::InstanceStopped,
        ],
        too_old_before: SEED.too_old_before,
        default_strategy: None,
    }))
}

#[test]
fn every_point_of_a_small_space_is_decided_as_its_regions_say_and_listed_once() {
    // every_point_of_the_seed_space_is_decided_as_its_regions_say, on a
    // space of a few thousand points.
    let policy = Policy::new(small());
    let space = Space::new(&[policy]);
    let points = space.points();
    assert_eq!(points.len() as u64, space.size());
    assert!(points.len() > 10, "{}", points.len());
    assert_eq!(points.first(), Some(&vec![0u8; space.axes().len()]));
    let distinct: BTreeSet<&Vec<u8>> = points.iter().collect();
    assert_eq!(distinct.len(), points.len());
    let mut by_regions: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    space.explore(&[policy], |leaf| {
        *by_regions.entry(key(&leaf.decided)).or_default() += leaf.situations;
    });
    let mut by_points: BTreeMap<Vec<String>, u64> = BTreeMap::new();
    for point in &points {
        let witness = space.witness(point);
        let request = witness.request();
        let decided =
            vec![evaluate(&request, &witness, &policy).map(reinit_disk::Target::into_owned)];
        *by_points.entry(key(&decided)).or_default() += 1;
    }
    assert_eq!(by_regions, by_points);
    assert!(by_points.len() >= 3, "{by_points:?}");
}

#[test]
fn each_decision_classs_witness_is_the_first_found_of_its_fewest_facts_away() {
    use reinit_disk::analysis::{Decided, Witness};
    for policy in policies() {
        let space = Space::new(&[policy]);
        // (decision, fewest facts away, its first witness, leaves at that
        // distance, whether a later leaf was farther)
        let mut best: Vec<(Decided, u32, Witness, u32, bool)> = Vec::new();
        space.explore(&[policy], |leaf| {
            let decided = leaf.decided[0].clone();
            match best.iter_mut().find(|b| b.0 == decided) {
                Some(b) if leaf.distance < b.1 => {
                    *b = (decided, leaf.distance, space.witness(&leaf.point), 1, true);
                }
                Some(b) if leaf.distance == b.1 => b.3 += 1,
                Some(b) => b.4 = true,
                None => best.push((decided, leaf.distance, space.witness(&leaf.point), 1, false)),
            }
        });
        let classes = reinit_disk::analysis::decision_classes(&policy);
        assert_eq!(classes.len(), best.len(), "{policy:?}");
        for (class, (decided, _, witness, _, _)) in classes.iter().zip(&best) {
            assert_eq!(&class.decided, decided);
            assert_eq!(&class.witness, witness, "{decided:?}");
        }
        // The choice is tested: some class has a farther leaf after its
        // first, and some has two leaves at its fewest.
        assert!(best.iter().any(|b| b.4), "{policy:?}");
        assert!(best.iter().any(|b| b.3 > 1), "{policy:?}");
    }
}

#[test]
fn the_category_axis_has_one_class_per_way_the_policies_split_the_categories() {
    use reinit_disk::model::DiskCategory;
    use strum::VariantArray as _;
    let seed = Policy::new(&SEED);
    for sides in [
        vec![seed],
        vec![seed, every_knob_flipped(&SEED)],
        vec![Policy::new(&V2025_02_27), seed],
    ] {
        let space = Space::new(&sides);
        let axis = space.axis(Fact::Category, None).unwrap();
        let classes = &space.axes()[axis].classes;
        // The ways: which sides refuse a category; the first category of
        // each way stands for it, those fewest refuse first.
        let way = |c: DiskCategory| -> Vec<bool> {
            sides
                .iter()
                .map(|p| p.answers.unsupported_categories.contains(c))
                .collect()
        };
        let mut expected: Vec<(Vec<bool>, DiskCategory)> = Vec::new();
        for c in DiskCategory::VARIANTS {
            if !expected.iter().any(|(w, _)| *w == way(*c)) {
                expected.push((way(*c), *c));
            }
        }
        expected.sort_by_key(|(w, _)| w.iter().filter(|b| **b).count());
        let expected: Vec<Class> = expected
            .into_iter()
            .map(|(_, c)| Class::Category(c))
            .collect();
        assert_eq!(classes, &expected, "{sides:?}");
        assert!(classes.len() >= 2, "{sides:?}");
        let Class::Category(first) = classes[0] else {
            panic!("{classes:?}")
        };
        assert!(way(first).iter().all(|b| !b), "the supported first");
    }
}

#[test]
fn each_class_of_a_diff_has_the_first_found_of_its_fewest_facts_away_for_witness() {
    use reinit_disk::analysis::Witness;
    let sides = [Policy::new(&SEED), Policy::new(&V2025_02_27)];
    let space = Space::new(&sides);
    // (the pair of answers, fewest facts away, first witness there, leaves
    // at that distance, whether a later leaf was farther)
    type Best = ((Answer, Answer), u32, Witness, u32, bool);
    let mut best: Vec<Best> = Vec::new();
    space.explore(&sides, |leaf| {
        let key = (Answer::of(&leaf.decided[0]), Answer::of(&leaf.decided[1]));
        if key.0 == key.1 {
            return;
        }
        match best.iter_mut().find(|b| b.0 == key) {
            Some(b) if leaf.distance < b.1 => {
                *b = (key, leaf.distance, space.witness(&leaf.point), 1, b.4);
            }
            Some(b) if leaf.distance == b.1 => b.3 += 1,
            Some(b) => b.4 = true,
            None => best.push((key, leaf.distance, space.witness(&leaf.point), 1, false)),
        }
    });
    let d = diff(&sides[0], &sides[1]);
    assert_eq!(d.changes.len(), best.len());
    for change in &d.changes {
        let key = (Answer::of(&change.from), Answer::of(&change.to));
        let (_, distance, witness, _, _) = best.iter().find(|b| b.0 == key).unwrap();
        assert_eq!(change.distance, *distance, "{key:?}");
        assert_eq!(&change.witness, witness, "{key:?}");
    }
    assert!(best.iter().any(|b| b.3 > 1) && best.iter().any(|b| b.4));
}
