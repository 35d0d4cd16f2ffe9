//! Public API pieces no other test reached (found by the coverage run,
//! docs/testing.md).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
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

/// A world written for the seed revision (the four look-ups only) still
/// decides under the 2025-02-27 revision: no key pair, no KMS key, an
/// account nothing refuses; and a reference to a world is a world.
#[test]
fn a_world_without_the_new_look_ups_gets_their_defaults() {
    use reinit_disk::model::{
        DiskCategory, DiskStatus, DiskView, ImageOwnerAlias, ImageView, InstanceStatus,
        InstanceView, SnapshotView, Source,
    };
    use reinit_disk::revision::V2025_02_27;
    use reinit_disk::{Policy, World, evaluate};

    struct Old;
    impl World for Old {
        fn disk(&self, id: &str) -> Option<DiskView<'_>> {
            let disk = |id| {
                DiskView::new(
                    id,
                    DiskCategory::CloudEssd,
                    DiskStatus::InUse,
                    Source::Image("m-1"),
                )
                .with_instance(Some("i-1"))
            };
            match id {
                "d-1" => Some(disk("d-1")),
                "d-enc" => Some(disk("d-enc").with_kms_key(Some("key-1"))),
                _ => None,
            }
        }
        fn instance(&self, id: &str) -> Option<InstanceView<'_>> {
            (id == "i-1").then(|| InstanceView::new("i-1", InstanceStatus::Stopped))
        }
        fn image(&self, id: &str) -> Option<ImageView<'_>> {
            (id == "m-1").then(|| ImageView::new("m-1", ImageOwnerAlias::System))
        }
        fn snapshot(&self, _: &str) -> Option<SnapshotView<'_>> {
            None
        }
    }
    let policy = Policy::new(&V2025_02_27);
    let world = Old;
    assert!(world.key_pair("kp-1").is_none());
    assert!(world.kms_key("key-1").is_none());
    assert_eq!(world.account(), reinit_disk::model::Account::DEFAULT);
    // Through a reference, the same defaults.
    let by_ref: &Old = &world;
    assert!(World::key_pair(&by_ref, "kp-1").is_none());
    assert!(World::kms_key(&by_ref, "key-1").is_none());
    assert_eq!(
        World::account(&by_ref),
        reinit_disk::model::Account::DEFAULT
    );

    assert!(evaluate(&Request::new("d-1"), &by_ref, &policy).is_ok());
    let with_key_pair = Request {
        key_pair_name: Some("kp-1"),
        ..Request::new("d-1")
    };
    assert_eq!(
        evaluate(&with_key_pair, &by_ref, &policy)
            .unwrap_err()
            .code(),
        Code::InvalidKeyPairNameNotFound
    );
    assert_eq!(
        evaluate(&Request::new("d-enc"), &world, &policy)
            .unwrap_err()
            .code(),
        Code::InvalidParameterKmsKeyIdCmkNotEnabled
    );
}

#[test]
fn a_request_gives_each_parameter_it_reads_and_a_set_of_them_holds_what_it_was_given() {
    use reinit_disk::{Param, ParamSet};
    use strum::VariantArray;
    let request = Request::from_params([
        ("Action", "ReInitDisk"),
        ("DiskId", "d-1"),
        ("SecurityEnhancementStrategy", "Active"),
        ("Password", "Passw0rd!"),
        ("KeyPairName", "kp-1"),
        ("AutoStartInstance", "true"),
        ("RegionId", "cn-hangzhou"),
    ]);
    for param in Param::VARIANTS {
        assert!(request.get(*param).is_some(), "{param}");
    }
    assert_eq!(request.get(Param::KeyPairName), Some("kp-1"));
    assert_eq!(request.get(Param::RegionId), Some("cn-hangzhou"));
    let set = std::hint::black_box(ParamSet::of)(&[Param::DiskId, Param::RegionId]);
    assert!(set.contains(Param::DiskId) && set.contains(Param::RegionId));
    assert!(!set.contains(Param::Password));
    assert_eq!(ParamSet::default(), ParamSet::of(&[]));
}
