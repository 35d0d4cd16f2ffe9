//! The model: every enum spelled as ECS spells it, round-tripping through
//! Display/FromStr (strum) and serde; shapes the service cannot have refused.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::fmt::Display;
use std::str::FromStr;

use reinit_disk::model::{
    CategorySet, CreationTime, Disk, DiskCategory, DiskSource, DiskStatus, DiskType,
    ImageOwnerAlias, InstanceStatus, LockReason, LockSet,
};
use reinit_disk::policy::{ActiveOnNonPublicImage, DeletedSnapshotCode};
use reinit_disk::{Check, Revision, SecurityEnhancementStrategy};
use serde::Serialize;
use serde::de::DeserializeOwned;
use strum::VariantArray;

fn spelled<T>(expected: &[&str])
where
    T: VariantArray
        + Display
        + FromStr
        + Serialize
        + DeserializeOwned
        + PartialEq
        + std::fmt::Debug
        + Copy,
    <T as FromStr>::Err: std::fmt::Debug,
{
    let names: Vec<String> = T::VARIANTS.iter().map(ToString::to_string).collect();
    assert_eq!(names, expected);
    for v in T::VARIANTS {
        let name = v.to_string();
        assert_eq!(name.parse::<T>().unwrap(), *v);
        let json = serde_json::to_string(v).unwrap();
        assert_eq!(json, format!("\"{name}\""));
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), *v);
    }
}

#[test]
fn enums_are_spelled_exactly_as_ecs_spells_them() {
    spelled::<DiskType>(&["system", "data"]);
    spelled::<DiskCategory>(&[
        "cloud",
        "cloud_efficiency",
        "cloud_ssd",
        "cloud_essd",
        "cloud_auto",
        "cloud_regional_disk_auto",
        "cloud_essd_entry",
        "elastic_ephemeral_disk_standard",
        "elastic_ephemeral_disk_premium",
        "local_ssd_pro",
        "local_hdd_pro",
        "ephemeral",
        "ephemeral_ssd",
    ]);
    spelled::<DiskStatus>(&[
        "In_use",
        "Available",
        "Attaching",
        "Detaching",
        "Creating",
        "ReIniting",
    ]);
    spelled::<InstanceStatus>(&["Pending", "Running", "Starting", "Stopping", "Stopped"]);
    spelled::<LockReason>(&[
        "security",
        "financial",
        "recycling",
        "dedicatedhostfinancial",
        "refunded",
    ]);
    spelled::<ImageOwnerAlias>(&["system", "self", "others", "marketplace"]);
    spelled::<SecurityEnhancementStrategy>(&["Active", "Deactive"]);
    spelled::<DeletedSnapshotCode>(&["InvalidSourceSnapshot", "OperationDenied"]);
    spelled::<ActiveOnNonPublicImage>(&["Ignore", "Reject"]);
    spelled::<Revision>(&["Seed"]);
    spelled::<Check>(&[
        "action",
        "disk-id-given",
        "strategy-value",
        "disk-exists",
        "category-supported",
        "instance-not-security-locked",
        "instance-not-in-arrears",
        "disk-in-use",
        "instance-stopped",
        "no-snapshot-in-progress",
        "source-snapshot-exists",
        "source-snapshot-not-too-old",
        "source-image-exists",
        "hardening-supported",
    ]);
}

#[test]
fn enum_spellings_are_case_sensitive() {
    assert!("in_use".parse::<DiskStatus>().is_err());
    assert!("active".parse::<SecurityEnhancementStrategy>().is_err());
    assert!("System".parse::<DiskType>().is_err());
    assert!(serde_json::from_str::<DiskStatus>("\"IN_USE\"").is_err());
}

#[test]
fn only_public_images_are_public() {
    let public: Vec<ImageOwnerAlias> = ImageOwnerAlias::VARIANTS
        .iter()
        .copied()
        .filter(|a| a.is_public())
        .collect();
    assert_eq!(public, [ImageOwnerAlias::System]);
}

#[test]
fn every_lock_but_security_means_expired_or_in_arrears() {
    for reason in LockReason::VARIANTS {
        assert_eq!(
            reason.is_financial(),
            *reason != LockReason::Security,
            "{reason}"
        );
        let set = LockSet::EMPTY.with(*reason);
        assert!(set.contains(*reason));
        assert_eq!(set.any_financial(), reason.is_financial());
        assert!(set.without(*reason).is_empty());
    }
}

#[test]
fn lock_sets_and_category_sets_serialize_as_lists() {
    let locks: LockSet = serde_json::from_str(r#"["refunded","security","security"]"#).unwrap();
    assert_eq!(
        serde_json::to_string(&locks).unwrap(),
        r#"["security","refunded"]"#
    );
    let categories: CategorySet = serde_json::from_str(r#"["ephemeral","cloud"]"#).unwrap();
    assert_eq!(
        serde_json::to_string(&categories).unwrap(),
        r#"["cloud","ephemeral"]"#
    );
    let err = serde_json::from_str::<LockSet>(r#"["Security"]"#)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("unknown variant `Security`, expected one of `security`, `financial`"),
        "{err}"
    );
}

#[test]
fn creation_times_parse_in_both_ecs_forms_and_compare_in_utc() {
    let minute: CreationTime = "2013-07-15T10:00Z".parse().unwrap();
    let rfc: CreationTime = "2013-07-15T10:00:00Z".parse().unwrap();
    let offset: CreationTime = "2013-07-15T18:00:00+08:00".parse().unwrap();
    assert_eq!(minute, rfc);
    assert_eq!(rfc, offset);
    assert_eq!(rfc.to_string(), "2013-07-15T10:00:00Z");
    assert_eq!(offset.to_string(), "2013-07-15T10:00:00Z");
    assert_eq!(
        serde_json::to_string(&minute).unwrap(),
        "\"2013-07-15T10:00:00Z\""
    );
    for bad in [
        "2013-07-15",
        "2013-07-15 10:00:00",
        "yesterday",
        "",
        "2013-13-01T00:00Z",
    ] {
        let err = bad.parse::<CreationTime>().unwrap_err().to_string();
        assert!(err.contains("expected RFC 3339"), "{bad}: {err}");
    }
}

#[test]
fn snapshots_made_on_or_before_15_july_2013_are_too_old() {
    let t = |s: &str| s.parse::<CreationTime>().unwrap().is_too_old();
    assert!(t("2013-07-15T00:00:00Z"));
    assert!(t("2013-07-15T23:59:59Z"));
    assert!(t("2013-07-16T07:59:59+08:00"), "still 15 July in UTC");
    assert!(!t("2013-07-16T00:00:00Z"));
    assert!(!t("2013-07-16T08:00:00+08:00"));
    assert_eq!(
        CreationTime::TOO_OLD_BEFORE.to_string(),
        "2013-07-16T00:00:00Z"
    );
}

#[test]
fn a_disk_type_follows_from_its_source() {
    let disk = |json: &str| serde_json::from_str::<Disk>(json);
    let system = disk(r#"{"DiskId":"d","Type":"system","Category":"cloud","Status":"Available","ImageId":"m","SourceSnapshotId":"s"}"#).unwrap();
    assert_eq!(system.disk_type(), DiskType::System);
    assert_eq!(
        system.source,
        DiskSource::Image {
            image_id: "m".into(),
            snapshot_id: Some("s".into())
        }
    );
    let from_snapshot = disk(r#"{"DiskId":"d","Type":"data","Category":"cloud","Status":"Available","SourceSnapshotId":"s"}"#).unwrap();
    assert_eq!(
        from_snapshot.source,
        DiskSource::Snapshot {
            snapshot_id: "s".into()
        }
    );
    let empty =
        disk(r#"{"DiskId":"d","Type":"data","Category":"cloud","Status":"Available"}"#).unwrap();
    assert_eq!(empty.source, DiskSource::Empty);
    assert_eq!(empty.disk_type(), DiskType::Data);
    // Round trip through the flat ECS form.
    for d in [system, from_snapshot, empty] {
        assert_eq!(
            serde_json::from_str::<Disk>(&serde_json::to_string(&d).unwrap()).unwrap(),
            d
        );
    }
}

#[test]
fn impossible_disk_shapes_are_refused() {
    let err = serde_json::from_str::<Disk>(
        r#"{"DiskId":"d","Type":"system","Category":"cloud","Status":"Available"}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("a system disk needs an ImageId"), "{err}");
    let err = serde_json::from_str::<Disk>(
        r#"{"DiskId":"d","Type":"data","Category":"cloud","Status":"Available","ImageId":"m"}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("a data disk cannot have an ImageId"), "{err}");
}
