//! The `World` trait: a reference to a world is the same world, and a
//! world that implements only the seed revision's four look-ups gets the
//! defaults for the rest.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

#[allow(
    dead_code,
    reason = "each test uses its own part of the shared helpers"
)]
use reinit_disk_testkit::cases;

use reinit_disk::{Code, InMemoryWorld, Request, World, evaluate};

/// A reference to a world is the same world (`impl World for &W`).
#[test]
fn a_world_behind_a_reference_decides_the_same() {
    let world = cases::world(100);
    let by_ref: &InMemoryWorld = &world;
    for case in cases::cases() {
        assert_eq!(
            evaluate(&case.request, &by_ref, &case.policy),
            evaluate(&case.request, &world, &case.policy),
            "{}",
            case.name
        );
    }
    // The 2025-02-27 revision's cases read the key pairs, the KMS keys and
    // the account through the reference too (one of them needs an account
    // that refuses).
    let account_world = cases::account_world();
    let account_by_ref: &InMemoryWorld = &account_world;
    for case in cases::cases_2025() {
        let (world, by_ref) = if case.account_refuses {
            (&account_world, &account_by_ref)
        } else {
            (&world, &by_ref)
        };
        assert_eq!(
            evaluate(&case.request, by_ref, &case.policy),
            evaluate(&case.request, world, &case.policy),
            "{}",
            case.name
        );
    }
    for id in ["d-accept-system-000000", "d-accept-snapshot-0000"] {
        let disk = World::disk(&by_ref, id).unwrap();
        assert_eq!(disk.id, id);
        let instance = disk.instance_id.unwrap();
        assert_eq!(World::instance(&by_ref, instance).unwrap().id, instance);
    }
    assert!(World::image(&by_ref, "m-bp100000000000000000").is_some());
    assert!(World::snapshot(&by_ref, "s-bp100000000000000000").is_some());
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
