//! The request: each parameter read by its name, and the strategy set as
//! its raw spelling.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk::{Param, Request, SecurityEnhancementStrategy};

/// `Request::get` reads the parameter it names.
#[test]
fn request_get_reads_each_parameter() {
    let request = Request {
        action: Some("ReInitDisk"),
        disk_id: Some("d-1"),
        security_enhancement_strategy: Some("Active"),
        ..Default::default()
    };
    assert_eq!(request.get(Param::Action), Some("ReInitDisk"));
    assert_eq!(request.get(Param::DiskId), Some("d-1"));
    assert_eq!(
        request.get(Param::SecurityEnhancementStrategy),
        Some("Active")
    );
    assert_eq!(Request::default().get(Param::DiskId), None);
}

#[test]
fn with_strategy_sets_the_raw_parameter() {
    let active = Request::new("d-1").with_strategy(SecurityEnhancementStrategy::Active);
    let deactive = Request::new("d-1").with_strategy(SecurityEnhancementStrategy::Deactive);
    assert_eq!(active.security_enhancement_strategy, Some("Active"));
    assert_eq!(deactive.security_enhancement_strategy, Some("Deactive"));
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

/// `Request::given` lists the parameters given, with their values, in
/// `Param::ALL`'s order, and nothing else.
#[test]
fn given_lists_each_parameter_given_in_declaration_order() {
    let request = Request {
        region_id: Some("cn-hangzhou"),
        password: Some("secret"),
        ..Request::new("d-1")
    };
    let given: Vec<(Param, &str)> = request.given().collect();
    assert_eq!(
        given,
        [
            (Param::Action, "ReInitDisk"),
            (Param::DiskId, "d-1"),
            (Param::Password, "secret"),
            (Param::RegionId, "cn-hangzhou"),
        ]
    );
    assert_eq!(Request::default().given().count(), 0);
}
