//! Every error type, built once: each says what was expected and what was
//! found, in words a user can act on.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use reinit_disk::checks::{Check, WORLD_CHECKS};
use reinit_disk::model::{CreationTime, Disk, DiskStatus};
use reinit_disk::policy::{CheckOrder, OrderError};
use reinit_disk::scenario::Scenario;
use reinit_disk::world::{DuplicateId, TransitionError};
use reinit_disk::{Code, Rejection, Revision};

#[test]
fn every_error_variant_says_what_is_wrong() {
    let order_missing = CheckOrder::new(&WORLD_CHECKS[1..]).unwrap_err();
    let order_repeated = CheckOrder::new(&[Check::DiskExists, Check::DiskExists]).unwrap_err();
    let order_request = CheckOrder::new(&[Check::StrategyValue]).unwrap_err();
    assert_eq!(order_missing, OrderError::Missing(Check::DiskExists));
    assert_eq!(order_repeated, OrderError::Repeated(Check::DiskExists));
    assert_eq!(
        order_request,
        OrderError::RequestCheck(Check::StrategyValue)
    );
    let cases: Vec<(String, &str)> = vec![
        (order_missing.to_string(), "check \"disk-exists\" is missing; Order lists each world check exactly once: disk-exists, category-supported,"),
        (order_repeated.to_string(), "check \"disk-exists\" is listed twice"),
        (order_request.to_string(), "check \"strategy-value\" is a request check"),
        ("x".parse::<CreationTime>().unwrap_err().to_string(), "\"x\" is not a valid CreationTime: expected RFC 3339"),
        (
            serde_json::from_str::<Disk>(r#"{"DiskId":"d","Type":"system","Category":"cloud","Status":"Available"}"#).unwrap_err().to_string(),
            "disk \"d\": a system disk needs an ImageId",
        ),
        (
            serde_json::from_str::<Disk>(r#"{"DiskId":"d","Type":"data","Category":"cloud","Status":"Available","ImageId":"m"}"#).unwrap_err().to_string(),
            "disk \"d\": a data disk cannot have an ImageId",
        ),
        (DuplicateId { kind: "disk", id: "d-1".into() }.to_string(), "disk id \"d-1\" is already taken"),
        (TransitionError::UnknownDisk("d-1".into()).to_string(), "disk \"d-1\" does not exist"),
        (
            TransitionError::NotReIniting { disk_id: "d-1".into(), status: DiskStatus::InUse }.to_string(),
            "disk \"d-1\" is In_use, not ReIniting",
        ),
        (Scenario::from_json("{\"Disks\": [").unwrap_err().to_string(), ".: not valid JSON"),
        (Scenario::from_json("[]").unwrap_err().to_string(), ".: invalid type: sequence, expected a scenario (a JSON object)"),
        (
            Rejection::new(Revision::Seed.entry(Code::IncorrectDiskStatus).unwrap(), Check::DiskInUse).to_string(),
            "403 IncorrectDiskStatus: The current disk status does not support this operation. (check disk-in-use)",
        ),
    ];
    for (got, expected) in cases {
        assert!(
            got.starts_with(expected),
            "{got:?} does not start with {expected:?}"
        );
    }
}

#[test]
fn a_check_order_may_be_any_permutation_of_the_world_checks() {
    let mut reversed = WORLD_CHECKS;
    reversed.reverse();
    assert_eq!(CheckOrder::new(&reversed).unwrap().checks(), reversed);
    assert_eq!(
        CheckOrder::new(&WORLD_CHECKS).unwrap(),
        CheckOrder::default()
    );
}
