//! The model: every enum spelled as ECS spells it, round-tripping through
//! Display/FromStr (strum) and serde; shapes the service cannot have refused.
#![expect(
    clippy::unwrap_used,
    reason = "the round-trip helper, not a #[test] itself, fails the test by unwrapping"
)]
use std::fmt::Display;
use std::str::FromStr;

use reinit_disk::answers::{ActiveOnNonPublicImage, DeletedImageCode, DeletedSnapshotCode};
use reinit_disk::model::{
    CategorySet, CreationTime, Disk, DiskCategory, DiskSource, DiskStatus, DiskType, DiskView,
    Image, ImageOwnerAlias, ImageView, Instance, InstanceStatus, InstanceView, LockReason, LockSet,
    Snapshot, SnapshotView, Source, SourceKind,
};
use reinit_disk::revision::{ALL, SEED};
use reinit_disk::{Check, SecurityEnhancementStrategy};
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
    spelled::<SourceKind>(&["Image", "Snapshot", "Empty"]);
    let revisions: Vec<String> = ALL.iter().map(ToString::to_string).collect();
    assert_eq!(revisions, ["seed", "2025-02-27"]);
    spelled::<DeletedImageCode>(&[
        "InvalidDiskId.OperationNotSupported",
        "InvalidImageId.NotFound",
    ]);
    spelled::<reinit_disk::model::MultiAttach>(&["Disabled", "Enabled"]);
    spelled::<reinit_disk::model::OsType>(&["linux", "windows"]);
    spelled::<reinit_disk::model::KeyState>(&["Enabled", "Disabled", "PendingDeletion"]);
    spelled::<Check>(&[
        "action",
        "disk-id-given",
        "strategy-value",
        "password-value",
        "auto-start-value",
        "region-id-value",
        "disk-exists",
        "category-supported",
        "user-in-white-list",
        "not-multi-attach",
        "instance-not-security-locked",
        "instance-not-in-arrears",
        "disk-in-use",
        "instance-stopped",
        "not-hibernation-configured",
        "io-optimized",
        "no-snapshot-in-progress",
        "no-instant-access-snapshot",
        "kms-key-usable",
        "source-snapshot-exists",
        "source-snapshot-not-too-old",
        "source-image-exists",
        "key-pair-usable",
        "windows-password-value",
        "non-root-region-supported",
        "non-root-image-supported",
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
fn a_sent_strategy_is_read_as_its_spelling_parses() {
    for value in [
        "Active",
        "Deactive",
        "active",
        "ACTIVE",
        "Deactivate",
        "",
        " Active",
        "Active ",
        "Activ",
        "Actíve",
        "Active\0",
        "Deactive\u{200b}",
    ] {
        assert_eq!(
            SecurityEnhancementStrategy::from_sent(value),
            value.parse::<SecurityEnhancementStrategy>().ok(),
            "{value:?}"
        );
    }
    for strategy in SecurityEnhancementStrategy::VARIANTS {
        assert_eq!(
            SecurityEnhancementStrategy::from_sent(&strategy.to_string()),
            Some(*strategy)
        );
    }
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
    let t = |s: &str| s.parse::<CreationTime>().unwrap() < SEED.too_old_before;
    assert!(t("2013-07-15T00:00:00Z"));
    assert!(t("2013-07-15T23:59:59Z"));
    assert!(t("2013-07-16T07:59:59+08:00"), "still 15 July in UTC");
    assert!(!t("2013-07-16T00:00:00Z"));
    assert!(!t("2013-07-16T08:00:00+08:00"));
    assert_eq!(SEED.too_old_before.to_string(), "2013-07-16T00:00:00Z");
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

#[test]
fn a_disk_has_operation_locks_spelled_as_an_instances_and_none_by_default() {
    let json =
        r#"{"DiskId":"d","Type":"data","Category":"cloud","Status":"In_use","InstanceId":"i"}"#;
    let unlocked = serde_json::from_str::<Disk>(json).unwrap();
    assert_eq!(unlocked.operation_locks, LockSet::EMPTY);
    // No lock, no field: a disk without locks serializes as before.
    assert!(
        !serde_json::to_string(&unlocked)
            .unwrap()
            .contains("OperationLocks")
    );
    let locked = serde_json::from_str::<Disk>(
        r#"{"DiskId":"d","Type":"data","Category":"cloud","Status":"In_use","InstanceId":"i","OperationLocks":["financial","security"]}"#,
    )
    .unwrap();
    assert_eq!(
        locked.operation_locks,
        LockSet::EMPTY
            .with(LockReason::Security)
            .with(LockReason::Financial)
    );
    let json = serde_json::to_string(&locked).unwrap();
    assert!(
        json.contains(r#""OperationLocks":["security","financial"]"#),
        "{json}"
    );
    assert_eq!(serde_json::from_str::<Disk>(&json).unwrap(), locked);
    let err = serde_json::from_str::<Disk>(
        r#"{"DiskId":"d","Type":"data","Category":"cloud","Status":"In_use","OperationLocks":["Financial"]}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("unknown variant `Financial`, expected one of `security`, `financial`"),
        "{err}"
    );
}

#[test]
fn views_start_from_the_defaults_and_records_view_as_themselves() {
    let view = DiskView::new(
        "d",
        DiskCategory::Cloud,
        DiskStatus::Available,
        Source::Empty,
    );
    assert_eq!(view.instance_id, None);
    assert!(!view.creating_snapshot);
    assert_eq!(view.operation_locks, LockSet::EMPTY);
    assert_eq!(view.disk_type(), DiskType::Data);

    let disk = Disk {
        id: "d".into(),
        category: DiskCategory::CloudEssd,
        status: DiskStatus::InUse,
        instance_id: Some("i".into()),
        source: DiskSource::Image {
            image_id: "m".into(),
            snapshot_id: Some("s".into()),
        },
        creating_snapshot: true,
        operation_locks: LockSet::EMPTY.with(LockReason::Refunded),
        ..Default::default()
    };
    assert_eq!(
        disk.view(),
        DiskView::new(
            "d",
            DiskCategory::CloudEssd,
            DiskStatus::InUse,
            Source::Image("m")
        )
        .with_instance(Some("i"))
        .with_creating_snapshot(true)
        .with_operation_locks(LockSet::EMPTY.with(LockReason::Refunded))
    );
    assert_eq!(disk.view().disk_type(), DiskType::System);

    let instance = InstanceView::new("i", InstanceStatus::Stopped);
    assert!(instance.has_started);
    assert_eq!(instance.operation_locks, LockSet::EMPTY);
    let record = Instance {
        id: "i".into(),
        status: InstanceStatus::Running,
        has_started: false,
        operation_locks: LockSet::EMPTY.with(LockReason::Security),
        ..Default::default()
    };
    assert_eq!(
        record.view(),
        InstanceView::new("i", InstanceStatus::Running)
            .with_has_started(false)
            .with_operation_locks(LockSet::EMPTY.with(LockReason::Security))
    );

    assert!(!ImageView::new("m", ImageOwnerAlias::Others).deleted);
    let image = Image {
        id: "m".into(),
        image_owner_alias: ImageOwnerAlias::Others,
        deleted: true,
        ..Default::default()
    };
    assert_eq!(
        image.view(),
        ImageView::new("m", ImageOwnerAlias::Others).with_deleted(true)
    );

    let time: CreationTime = "2020-01-01T00:00:00Z".parse().unwrap();
    assert!(!SnapshotView::new("s", time).deleted);
    let snapshot = Snapshot {
        id: "s".into(),
        creation_time: time,
        deleted: true,
        ..Default::default()
    };
    assert_eq!(
        snapshot.view(),
        SnapshotView::new("s", time).with_deleted(true)
    );
}

#[test]
fn a_source_names_its_kind_and_id() {
    for (source, kind, id, disk_type) in [
        (
            Source::Image("m"),
            SourceKind::Image,
            Some("m"),
            DiskType::System,
        ),
        (
            Source::Snapshot("s"),
            SourceKind::Snapshot,
            Some("s"),
            DiskType::Data,
        ),
        (Source::Empty, SourceKind::Empty, None, DiskType::Data),
    ] {
        assert_eq!(source.kind(), kind);
        assert_eq!(source.id(), id);
        assert_eq!(source.disk_type(), disk_type);
    }
    let system = DiskSource::Image {
        image_id: "m".into(),
        snapshot_id: Some("s".into()),
    };
    assert_eq!(system.as_source(), Source::Image("m"), "the image decides");
    let data = DiskSource::Snapshot {
        snapshot_id: "s".into(),
    };
    assert_eq!(data.as_source(), Source::Snapshot("s"));
    assert_eq!(DiskSource::Empty.as_source(), Source::Empty);
}

#[test]
fn operation_locks_accept_ecs_lock_reason_objects_as_well_as_the_plain_list() {
    let plain: LockSet = serde_json::from_str(r#"["financial","security"]"#).unwrap();
    let ecs: LockSet =
        serde_json::from_str(r#"[{"LockReason": "financial"}, {"LockReason": "security"}]"#)
            .unwrap();
    let mixed: LockSet =
        serde_json::from_str(r#"["security", {"LockReason": "financial"}, "security"]"#).unwrap();
    assert_eq!(plain, ecs);
    assert_eq!(plain, mixed);
    assert_eq!(
        plain,
        LockSet::EMPTY
            .with(LockReason::Financial)
            .with(LockReason::Security)
    );
    let empty: LockSet = serde_json::from_str("[]").unwrap();
    assert_eq!(empty, LockSet::EMPTY);
}

#[test]
fn operation_locks_are_written_back_as_the_plain_list_and_read_back_the_same() {
    for reason in LockReason::VARIANTS {
        let ecs = format!(r#"[{{"LockReason": "{reason}"}}]"#);
        let set: LockSet = serde_json::from_str(&ecs).unwrap();
        let written = serde_json::to_string(&set).unwrap();
        assert_eq!(written, format!(r#"["{reason}"]"#));
        let read_back: LockSet = serde_json::from_str(&written).unwrap();
        assert_eq!(read_back, set);
        // The display names the same reasons.
        assert_eq!(set.to_string(), format!("[{reason}]"));
    }
    // Through a whole disk record too.
    let disk: Disk = serde_json::from_str(
        r#"{"DiskId":"d","Type":"data","Category":"cloud","Status":"In_use","InstanceId":"i","OperationLocks":[{"LockReason":"refunded"},{"LockReason":"security"}]}"#,
    )
    .unwrap();
    let json = serde_json::to_string(&disk).unwrap();
    assert!(
        json.contains(r#""OperationLocks":["security","refunded"]"#),
        "{json}"
    );
    assert_eq!(serde_json::from_str::<Disk>(&json).unwrap(), disk);
}

#[test]
fn an_ecs_lock_object_that_is_not_exactly_lock_reason_is_refused_naming_it() {
    for (text, words) in [
        (
            r#"[{"LockReason": "Financial"}]"#,
            "unknown variant `Financial`, expected one of `security`, `financial`",
        ),
        (
            r#"[{"LockReasons": "financial"}]"#,
            "unknown field `LockReasons`, expected `LockReason`",
        ),
        (
            r#"[{"LockReason": "financial", "LockMsg": "x"}]"#,
            "unknown field `LockMsg`, expected `LockReason`",
        ),
        (r#"[{}]"#, "missing field `LockReason`"),
        (
            r#"[{"LockReason": "financial", "LockReason": "security"}]"#,
            "duplicate field `LockReason`",
        ),
        (
            r#"[{"LockReason": {"LockReason": "financial"}}]"#,
            "unknown variant `LockReason`, expected one of `security`",
        ),
        (
            r#"[1]"#,
            "invalid type: integer `1`, expected one of `security`, `financial`, `recycling`, `dedicatedhostfinancial`, `refunded`, plainly or as {\"LockReason\": \"...\"}",
        ),
        (
            r#"[null]"#,
            "invalid type: null, expected one of `security`",
        ),
        (r#"["ｆinancial"]"#, "unknown variant `ｆinancial`"),
        (r#"{"LockReason": ["financial"]}"#, "expected a sequence"),
    ] {
        let err = serde_json::from_str::<LockSet>(text)
            .unwrap_err()
            .to_string();
        assert!(err.contains(words), "{text}: {err}");
    }
}

#[test]
fn a_wrongly_typed_lock_reason_in_a_scenario_names_its_path_and_the_accepted_values() {
    let e = reinit_disk::scenario::Scenario::from_json(
        r#"{"Instances": [{"InstanceId": "i", "Status": "Running", "OperationLocks": [{"LockReason": 1}]}]}"#,
    )
    .unwrap_err();
    assert_eq!(e.path, "Instances[0].OperationLocks[0].LockReason", "{e}");
    assert!(
        e.message
            .starts_with("invalid type: integer `1`, expected one of `security`, `financial`"),
        "{e}"
    );
}

/// serde's `remote` derive makes `serialize`/`deserialize` inherent
/// functions with the type's own visibility: on a public type they would be
/// public API (and in the docs) that bypasses `map_only!`. A public record's
/// derive sits on a private mirror instead (`struct InstanceFields`).
#[test]
fn no_public_type_carries_serdes_remote_derive() {
    fn visit(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                visit(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for (at, _) in text.match_indices("remote = ") {
                    let after = &text[at..];
                    let item = after.find("struct ").unwrap();
                    let line_start = after[..item].rfind('\n').map_or(0, |i| i + 1);
                    let declaration = after[line_start..].lines().next().unwrap();
                    if declaration.trim_start().starts_with("pub") {
                        found.push(format!("{}: {declaration}", path.display()));
                    }
                }
            }
        }
    }
    let mut found = Vec::new();
    visit(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    assert!(found.is_empty(), "{found:#?}");
    // The mirrors still give the public records their serde impls.
    let instance: Instance =
        serde_json::from_str(r#"{"InstanceId": "i-1", "Status": "Running"}"#).unwrap();
    assert_eq!(
        serde_json::to_string(&instance).unwrap(),
        r#"{"InstanceId":"i-1","Status":"Running","HasStarted":true,"OperationLocks":[],"OSType":"linux","HibernationConfigured":false,"LoginAsNonRoot":false,"IoOptimized":true}"#
    );
    assert!(serde_json::from_str::<Instance>(r#"["i-1", "Running"]"#).is_err());
    let account: reinit_disk::model::Account = serde_json::from_str("{}").unwrap();
    assert_eq!(account, reinit_disk::model::Account::DEFAULT);
}

#[test]
fn a_huge_operation_locks_list_in_either_shape_is_one_small_set() {
    let n = 200_000;
    let ecs = format!("[{}]", vec![r#"{"LockReason":"financial"}"#; n].join(","));
    let plain = format!("[{}]", vec![r#""security""#; n].join(","));
    let ecs: LockSet = serde_json::from_str(&ecs).unwrap();
    let plain: LockSet = serde_json::from_str(&plain).unwrap();
    assert_eq!(ecs, LockSet::EMPTY.with(LockReason::Financial));
    assert_eq!(plain, LockSet::EMPTY.with(LockReason::Security));
    // A bad entry deep in the list is named by its index.
    let mut entries = vec![r#"{"LockReason":"refunded"}"#; 1000];
    entries[777] = r#"{"LockReason":"refunded","LockReason":"refunded"}"#;
    let text = format!(
        r#"{{"Instances": [{{"InstanceId": "i", "Status": "Running", "OperationLocks": [{}]}}]}}"#,
        entries.join(",")
    );
    let e = reinit_disk::scenario::Scenario::from_json(&text).unwrap_err();
    assert_eq!(e.path, "Instances[0].OperationLocks[777]", "{e}");
    assert!(e.message.starts_with("duplicate field `LockReason`"), "{e}");
}

/// `LockSet::is_empty` is true of no lock only.
#[test]
fn a_lock_set_is_empty_without_locks_only() {
    use reinit_disk::model::{LockReason, LockSet};
    use strum::VariantArray;
    assert!(LockSet::EMPTY.is_empty());
    for reason in LockReason::VARIANTS {
        assert!(!LockSet::EMPTY.with(*reason).is_empty(), "{reason}");
        assert!(LockSet::EMPTY.with(*reason).without(*reason).is_empty());
    }
}
