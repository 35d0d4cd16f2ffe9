//! The revisions, held to what makes each one value whole: every check of a
//! revision answers only codes its catalogue has, every row of a catalogue
//! is answered by some check (or, for `InternalError`, by the engine
//! itself), no check is listed twice, request checks read the request alone
//! and world checks the world, each revision is found by its name, and the
//! policy's `Revision` field chooses one by that name.
use std::collections::BTreeSet;

use reinit_disk::policy::OrderError;
use reinit_disk::revision::{ALL, Revision, SEED};
use reinit_disk::{Check, Code, Policy};

/// The codes a catalogue answers outside the checks: `InternalError`, which
/// the engine answers for a code a revision lacks and a target it cannot
/// build (src/engine.rs), and every revision has (src/catalogue.rs).
const ANSWERED_OUTSIDE_THE_CHECKS: &[Code] = &[Code::InternalError];

/// The (check, code) pairs among `checks` whose code `catalogue` lacks.
fn unanswerable(catalogue: &[Code], checks: &[(Check, &[Code])]) -> Vec<(Check, Code)> {
    checks
        .iter()
        .flat_map(|(check, codes)| codes.iter().map(move |code| (*check, *code)))
        .filter(|(_, code)| !catalogue.contains(code))
        .collect()
}

/// The codes of `catalogue` that no check among `checks` answers and that
/// are not answered outside the checks.
fn unanswered(catalogue: &[Code], checks: &[(Check, &[Code])]) -> Vec<Code> {
    catalogue
        .iter()
        .copied()
        .filter(|code| !ANSWERED_OUTSIDE_THE_CHECKS.contains(code))
        .filter(|code| !checks.iter().any(|(_, codes)| codes.contains(code)))
        .collect()
}

fn codes(revision: &Revision) -> Vec<Code> {
    revision.catalogue.iter().map(|e| e.code).collect()
}

fn checks(revision: &Revision) -> Vec<(Check, &'static [Code])> {
    revision.checks().map(|c| (c, c.codes())).collect()
}

#[test]
fn every_check_of_every_revision_answers_only_codes_its_catalogue_has() {
    for revision in ALL {
        let checks = checks(revision);
        assert_eq!(
            checks.len(),
            revision.request_checks.len() + revision.world_checks.len(),
            "{revision}: request checks and world checks"
        );
        assert_eq!(
            unanswerable(&codes(revision), &checks),
            [],
            "{revision}: codes its checks answer and its catalogue lacks"
        );
        // And the engine finds each of them.
        for (check, codes) in &checks {
            for code in *codes {
                assert_eq!(
                    revision.entry(*code).map(|e| e.code),
                    Some(*code),
                    "{revision}: {check} answers {code}"
                );
            }
        }
    }
}

#[test]
fn the_code_check_reports_a_code_the_catalogue_lacks() {
    // A catalogue without InternalError: the instance checks can answer it.
    let seed = codes(&SEED);
    let without: Vec<Code> = seed
        .iter()
        .copied()
        .filter(|c| *c != Code::InternalError)
        .collect();
    let missing = unanswerable(&without, &checks(&SEED));
    assert!(missing.contains(&(Check::InstanceNotSecurityLocked, Code::InternalError)));
    assert!(missing.contains(&(Check::InstanceNotInArrears, Code::InternalError)));
    assert!(missing.contains(&(Check::InstanceStopped, Code::InternalError)));
    assert!(missing.iter().all(|(_, code)| *code == Code::InternalError));
    // A fabricated check list answering a code no catalogue row has.
    let fabricated: &[(Check, &[Code])] = &[
        (Check::DiskExists, &[Code::InvalidDiskIdNotFound]),
        (
            Check::DiskInUse,
            &[Code::IncorrectDiskStatus, Code::OperationDenied],
        ),
    ];
    let catalogue = [Code::InvalidDiskIdNotFound, Code::IncorrectDiskStatus];
    assert_eq!(
        unanswerable(&catalogue, fabricated),
        [(Check::DiskInUse, Code::OperationDenied)]
    );
}

#[test]
fn every_catalogue_row_is_answered_by_a_check_or_by_the_engine() {
    for revision in ALL {
        assert_eq!(
            unanswered(&codes(revision), &checks(revision)),
            [],
            "{revision}: rows no check answers"
        );
        for code in ANSWERED_OUTSIDE_THE_CHECKS {
            assert!(
                revision.entry(*code).is_some(),
                "{revision} lacks {code}, which the engine answers"
            );
        }
    }
    // And the check can fail: a row no check answers is reported.
    let catalogue = [
        Code::InvalidDiskIdNotFound,
        Code::IncorrectDiskStatus,
        Code::InternalError,
    ];
    let fabricated: &[(Check, &[Code])] = &[(Check::DiskExists, &[Code::InvalidDiskIdNotFound])];
    assert_eq!(
        unanswered(&catalogue, fabricated),
        [Code::IncorrectDiskStatus]
    );
}

#[test]
fn a_catalogue_has_one_row_per_code_and_parameter_with_a_codes_rows_together() {
    for revision in ALL {
        let keys: Vec<(Code, Option<reinit_disk::Param>)> = revision
            .catalogue
            .iter()
            .map(|e| (e.code, e.param))
            .collect();
        let unique: BTreeSet<String> = keys.iter().map(|k| format!("{k:?}")).collect();
        assert_eq!(
            unique.len(),
            keys.len(),
            "{revision}: a code twice for one parameter"
        );
        // The rows of one code are adjacent (the index finds the first and
        // looks on from there).
        for code in keys.iter().map(|k| k.0) {
            let at: Vec<usize> = keys
                .iter()
                .enumerate()
                .filter(|(_, k)| k.0 == code)
                .map(|(i, _)| i)
                .collect();
            assert_eq!(
                at.last().unwrap() - at.first().unwrap() + 1,
                at.len(),
                "{revision}: the rows of {code} are not together"
            );
        }
    }
}

#[test]
fn a_code_with_a_row_per_parameter_answers_with_the_failing_checks_parameter() {
    use reinit_disk::revision::V2025_02_27;
    let strategy = V2025_02_27
        .entry_for(Code::InvalidParameter, Check::StrategyValue)
        .unwrap();
    assert_eq!(
        strategy.message,
        "The specified parameter \"SecurityEnhancementStrategy\" is not valid."
    );
    let hardening = V2025_02_27
        .entry_for(Code::InvalidParameter, Check::HardeningSupported)
        .unwrap();
    assert_eq!(hardening, strategy);
    let auto_start = V2025_02_27
        .entry_for(Code::InvalidParameter, Check::AutoStartValue)
        .unwrap();
    assert_eq!(
        auto_start.message,
        "The specified parameter \"AutoStartInstance\" is not valid."
    );
    // A check about no parameter gets the code's first row.
    assert_eq!(
        V2025_02_27.entry_for(Code::InvalidParameter, Check::DiskExists),
        Some(strategy)
    );
}

#[test]
fn no_revision_lists_a_check_twice() {
    for revision in ALL {
        let all: Vec<Check> = revision.checks().collect();
        let unique: BTreeSet<Check> = all.iter().copied().collect();
        assert_eq!(unique.len(), all.len(), "{revision}: {all:?}");
        assert!(!revision.world_checks.is_empty(), "{revision}");
        assert!(!revision.request_checks.is_empty(), "{revision}");
    }
}

#[test]
fn request_checks_need_no_world_fact_and_world_checks_do() {
    for revision in ALL {
        for check in revision.request_checks {
            assert!(
                check.is_request_check(),
                "{revision}: {check} is listed as a request check but reads the world"
            );
            assert!(!revision.has_world_check(*check), "{revision}: {check}");
        }
        for check in revision.world_checks {
            assert!(
                !check.is_request_check(),
                "{revision}: {check} is listed as a world check but reads no world fact"
            );
            assert!(revision.has_world_check(*check), "{revision}: {check}");
        }
    }
}

#[test]
fn the_seed_revision_is_first_and_the_newest_the_default() {
    assert_eq!(ALL.first().copied(), Some(&SEED));
    assert_eq!(
        ALL.last().copied(),
        Some(&reinit_disk::revision::V2025_02_27)
    );
    assert_eq!(
        Policy::default().revision(),
        &reinit_disk::revision::V2025_02_27
    );
    assert_eq!(SEED.name, "seed");
    assert_eq!(SEED.to_string(), "seed");
    assert_eq!(format!("{SEED:?}"), "Revision(\"seed\")");
}

#[test]
fn every_revision_is_found_by_its_name_and_an_unknown_name_lists_the_accepted_ones() {
    let names: Vec<&str> = ALL.iter().map(|r| r.name).collect();
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "a name twice: {names:?}");
    for revision in ALL {
        assert_eq!(Revision::by_name(revision.name), Ok(*revision));
        assert_eq!(Revision::by_name(&revision.to_string()), Ok(*revision));
    }
    for unknown in ["Seed", "", "2014-05-26", "seed "] {
        let message = Revision::by_name(unknown).unwrap_err().to_string();
        assert!(
            message.starts_with(&format!("unknown revision {unknown:?}: expected one of ")),
            "{message}"
        );
        assert!(message.ends_with(&names.join(", ")), "{message}");
    }
}

#[test]
fn the_policy_chooses_a_revision_by_name_in_json() {
    let seed: Policy = serde_json::from_str(r#"{"Revision":"seed"}"#).unwrap();
    assert_eq!(seed, Policy::new(&reinit_disk::revision::SEED));
    let json = serde_json::to_value(seed).unwrap();
    assert_eq!(json["Revision"], "seed");
    assert_eq!(serde_json::from_value::<Policy>(json).unwrap(), seed);
    // No Revision is the newest revision, as `Policy::default()` is.
    assert_eq!(
        serde_json::from_str::<Policy>("{}").unwrap().revision(),
        &reinit_disk::revision::V2025_02_27
    );
    assert_eq!(
        Policy::default().revision(),
        &reinit_disk::revision::V2025_02_27
    );
    for revision in ALL {
        let policy = Policy::new(revision);
        let json = serde_json::to_string(&policy).unwrap();
        assert!(
            json.contains(&format!("\"Revision\":\"{}\"", revision.name)),
            "{json}"
        );
        assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), policy);
        // With an order of its own, too.
        let mut reversed = revision.world_checks.to_vec();
        reversed.reverse();
        let policy = policy.with_order(&reversed).unwrap();
        let json = serde_json::to_string(&policy).unwrap();
        assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), policy);
    }
}

#[test]
fn the_policy_refuses_an_unknown_revision_naming_the_accepted_ones() {
    let names: Vec<&str> = ALL.iter().map(|r| r.name).collect();
    for unknown in ["Seed", "2099-01-01", ""] {
        let message = serde_json::from_str::<Policy>(&format!(r#"{{"Revision":{unknown:?}}}"#))
            .unwrap_err()
            .to_string();
        assert!(
            message.contains(&format!("unknown revision {unknown:?}")),
            "{message}"
        );
        assert!(
            message.contains(&format!("expected one of {}", names.join(", "))),
            "{message}"
        );
    }
    // The old field is gone.
    let message = serde_json::from_str::<Policy>(r#"{"Catalogue":"Seed"}"#)
        .unwrap_err()
        .to_string();
    assert!(message.contains("unknown field `Catalogue`"), "{message}");
}

#[test]
fn the_policy_refuses_an_order_with_a_request_check() {
    for revision in ALL {
        let world: Vec<String> = revision
            .world_checks
            .iter()
            .map(|c| format!("{:?}", c.name()))
            .collect();
        for request in revision.request_checks {
            let json = format!(
                r#"{{"Revision":{:?},"Order":[{:?},{}]}}"#,
                revision.name,
                request.name(),
                world.join(",")
            );
            let message = serde_json::from_str::<Policy>(&json)
                .unwrap_err()
                .to_string();
            assert!(
                message.contains(&format!("Order: check \"{request}\" is a request check")),
                "{message}"
            );
            assert_eq!(
                Policy::new(revision).with_order(&[*request]),
                Err(OrderError::RequestCheck(revision, *request))
            );
        }
    }
}

#[test]
fn the_policy_refuses_an_order_of_another_revisions_checks() {
    // Between the revisions there are: a world check of one that another
    // lacks is refused in the other's order.
    for revision in ALL {
        for other in ALL {
            for check in other.world_checks {
                if revision.has_world_check(*check) || revision.request_checks.contains(check) {
                    continue;
                }
                let mut order = revision.world_checks.to_vec();
                order.push(*check);
                assert_eq!(
                    Policy::new(revision).with_order(&order),
                    Err(OrderError::NotInRevision(revision, *check)),
                    "{check} of {other} in {revision}'s order"
                );
            }
        }
    }
    // Only the seed exists yet: a revision with fewer checks stands in for
    // the next one, and the seed's order is not its order.
    let narrow: &'static Revision = Box::leak(Box::new(Revision {
        name: "narrow",
        title: "a test revision with two world checks",
        catalogue: SEED.catalogue,
        index: SEED.index,
        params: SEED.params,
        reads: SEED.reads,
        request_checks: SEED.request_checks,
        world_checks: &[Check::DiskExists, Check::DiskInUse],
        too_old_before: SEED.too_old_before,
        default_strategy: None,
    }));
    assert_eq!(
        Policy::new(narrow).with_order(SEED.world_checks),
        Err(OrderError::NotInRevision(narrow, Check::CategorySupported))
    );
    let seed_order = Policy::new(&reinit_disk::revision::SEED)
        .with_order(&[
            Check::DiskInUse,
            Check::DiskExists,
            Check::CategorySupported,
            Check::InstanceNotSecurityLocked,
            Check::InstanceNotInArrears,
            Check::InstanceStopped,
            Check::NoSnapshotInProgress,
            Check::SourceSnapshotExists,
            Check::SourceSnapshotNotTooOld,
            Check::SourceImageExists,
            Check::HardeningSupported,
        ])
        .unwrap();
    assert_eq!(
        seed_order.with_revision(narrow),
        Err(OrderError::NotInRevision(narrow, Check::CategorySupported))
    );
    assert!(
        Policy::new(&reinit_disk::revision::SEED)
            .with_revision(narrow)
            .is_ok(),
        "a default order fits any revision"
    );
    // A name that is no check at all lists the checks there are.
    let message = serde_json::from_str::<Policy>(r#"{"Order":["disk-exist"]}"#)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("unknown variant `disk-exist`, expected one of `action`"),
        "{message}"
    );
}

#[test]
fn each_revisions_index_finds_the_row_a_search_finds() {
    use strum::VariantArray;
    for revision in ALL {
        for code in Code::VARIANTS {
            let searched = revision.catalogue.iter().find(|e| e.code == *code);
            assert_eq!(revision.entry(*code), searched, "{revision} {code}");
        }
    }
}

/// Revisions are compared and hashed by their name: two of them differ.
#[test]
fn revisions_are_equal_and_hashed_by_their_name() {
    use std::collections::hash_map::DefaultHasher;
    use std::hash::{Hash, Hasher};
    let hash = |r: &Revision| {
        let mut h = DefaultHasher::new();
        r.hash(&mut h);
        h.finish()
    };
    let other: &'static Revision = Box::leak(Box::new(Revision {
        name: "other",
        title: "a test revision",
        catalogue: SEED.catalogue,
        index: SEED.index,
        params: SEED.params,
        reads: SEED.reads,
        request_checks: SEED.request_checks,
        world_checks: SEED.world_checks,
        too_old_before: SEED.too_old_before,
        default_strategy: None,
    }));
    let same: &'static Revision = Box::leak(Box::new(Revision {
        title: "the seed's name, another title",
        ..*other
    }));
    let same = Box::leak(Box::new(Revision {
        name: "seed",
        ..*same
    }));
    assert_ne!(&SEED, other);
    assert_ne!(hash(&SEED), hash(other));
    assert_eq!(&SEED, &*same);
    assert_eq!(hash(&SEED), hash(same));
}

#[test]
fn a_revision_reads_exactly_the_parameters_it_lists() {
    use strum::VariantArray;
    for revision in ALL {
        for param in reinit_disk::Param::VARIANTS {
            assert_eq!(
                revision.reads(*param),
                revision.params.contains(param),
                "{revision} {param}"
            );
        }
    }
    assert!(!reinit_disk::revision::SEED.reads(reinit_disk::Param::Password));
    assert!(reinit_disk::revision::V2025_02_27.reads(reinit_disk::Param::Password));
}
