//! ECS's own fields on a scenario's records (src/ecs/fields.rs): a disk's
//! `"DiskName"`, `"Size"`, `"ZoneId"` beside the model's keys, each stored
//! once; the describer shows them over its defaults; the facts stay the
//! model's; anything else is refused, naming the field.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk::ecs::{
    self, DISK_FACTS, Defaults, Describer, Fields, IMAGE_FACTS, INSTANCE_FACTS, KEY_PAIR_FACTS,
    Kind, SNAPSHOT_FACTS,
};
use reinit_disk::model::{Disk, Image, Instance, KeyPair, Snapshot};
use reinit_disk::scenario::Scenario;
use serde_json::{Value, json};

/// A scenario whose every kind of record carries ECS fields.
fn world() -> Value {
    json!({
        "Request": {"DiskId": "d-1"},
        "Disks": [
            {"DiskId": "d-1", "Type": "data", "Category": "cloud_essd", "Status": "In_use",
             "InstanceId": "i-1", "DiskName": "web-data", "Size": 100, "ZoneId": "cn-hangzhou-k",
             "Tags": {"Tag": [{"TagKey": "team", "TagValue": "web"}]}, "Portable": false},
            {"DiskId": "d-2", "Type": "system", "Category": "cloud_essd", "Status": "In_use",
             "InstanceId": "i-1", "ImageId": "m-1"}
        ],
        "Instances": [
            {"InstanceId": "i-1", "Status": "Stopped", "InstanceName": "web",
             "InstanceType": "ecs.g8i.xlarge", "Cpu": 4, "Memory": 16384,
             "SpotPriceLimit": 0.5}
        ],
        "Images": [{"ImageId": "m-1", "ImageOwnerAlias": "system", "ImageName": "aliyun_3_x64",
                     "Architecture": "arm64"}],
        "Snapshots": [{"SnapshotId": "s-1", "CreationTime": "2024-06-01T00:00:00Z",
                        "SnapshotName": "nightly"}],
        "KeyPairs": [{"KeyPairName": "kp-1", "KeyPairFingerPrint": "ab12"}]
    })
}

fn parse(doc: &Value) -> Result<Scenario, String> {
    Scenario::from_json(&doc.to_string()).map_err(|e| e.to_string())
}

#[test]
fn a_records_ecs_fields_are_kept_by_id_and_its_facts_are_the_models() {
    let scenario = parse(&world()).unwrap();
    let disk = scenario.ecs.disk("d-1").unwrap();
    assert_eq!(disk.disk_name.as_deref(), Some("web-data"));
    assert_eq!(disk.size, Some(100));
    assert_eq!(disk.zone_id.as_deref(), Some("cn-hangzhou-k"));
    assert_eq!(disk.portable, Some(false));
    // Stored once: the model's keys are the model's, not the ECS record's.
    assert_eq!(disk.disk_id, None);
    assert_eq!(disk.status, None);
    assert_eq!(disk.instance_id, None);
    assert_eq!(scenario.disks[0].id, "d-1");
    assert_eq!(scenario.disks[0].instance_id.as_deref(), Some("i-1"));
    // A record given no ECS field has no entry.
    assert!(scenario.ecs.disk("d-2").is_none());
    let instance = scenario.ecs.instance("i-1").unwrap();
    assert_eq!(instance.instance_type.as_deref(), Some("ecs.g8i.xlarge"));
    assert_eq!(instance.spot_price_limit, Some(0.5));
    assert_eq!(
        scenario.ecs.image("m-1").unwrap().architecture.as_deref(),
        Some("arm64")
    );
    assert_eq!(
        scenario
            .ecs
            .snapshot("s-1")
            .unwrap()
            .snapshot_name
            .as_deref(),
        Some("nightly")
    );
    assert_eq!(
        scenario
            .ecs
            .key_pair("kp-1")
            .unwrap()
            .key_pair_finger_print
            .as_deref(),
        Some("ab12")
    );
}

#[test]
fn ecs_fields_do_not_change_a_decision() {
    let with = parse(&world()).unwrap();
    let mut bare = world();
    for list in ["Disks", "Instances", "Images", "Snapshots", "KeyPairs"] {
        for record in bare[list].as_array_mut().unwrap() {
            let record = record.as_object_mut().unwrap();
            record.retain(|k, _| {
                [
                    "DiskId",
                    "Type",
                    "Category",
                    "Status",
                    "InstanceId",
                    "ImageId",
                    "SnapshotId",
                    "KeyPairName",
                    "ImageOwnerAlias",
                    "CreationTime",
                ]
                .contains(&k.as_str())
            });
        }
    }
    let bare = parse(&bare).unwrap();
    assert!(bare.ecs.is_empty());
    assert_eq!(with.disks, bare.disks);
    assert_eq!(with.instances, bare.instances);
    assert_eq!(with.decide(), bare.decide());
}

#[test]
fn a_scenario_writes_each_record_its_models_fields_then_its_ecs_fields() {
    let scenario = parse(&world()).unwrap();
    let text = serde_json::to_string(&scenario).unwrap();
    // The model's keys first, then ECS's, each in its type's order.
    let at = |key: &str| text.find(&format!("\"{key}\":")).unwrap();
    assert!(at("DiskId") < at("CreatingSnapshot"), "{text}");
    assert!(at("CreatingSnapshot") < at("DiskName"), "{text}");
    assert!(
        at("DiskName") < at("Portable") && at("Portable") < at("Size"),
        "{text}"
    );
    let written: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(written["Disks"][0]["Size"], 100);
    assert_eq!(written["Instances"][0]["InstanceType"], "ecs.g8i.xlarge");
    assert_eq!(written["KeyPairs"][0]["KeyPairFingerPrint"], "ab12");
    // And back: the same scenario.
    assert_eq!(parse(&written).unwrap(), scenario);
}

#[test]
fn the_describer_writes_a_records_own_fields_over_its_defaults() {
    let scenario = parse(&world()).unwrap();
    let world = scenario.to_world().unwrap();
    let defaults = Defaults::default();
    let plain = Describer::new(&world, &defaults);
    let given = Describer::new(&world, &defaults).with_fields(&scenario.ecs);
    let disk = world.disk_record("d-1").unwrap();
    let (before, after) = (plain.disk(disk), given.disk(disk));
    assert_eq!(before.size, Some(20));
    assert_eq!(after.size, Some(100));
    // IOPS and throughput follow the size given.
    assert_eq!(after.iops, Some(ecs::disk_iops(disk.category, 100)));
    assert_eq!(
        after.throughput,
        Some(ecs::disk_throughput(disk.category, 100))
    );
    assert_eq!(after.disk_name.as_deref(), Some("web-data"));
    assert_eq!(after.zone_id.as_deref(), Some("cn-hangzhou-k"));
    assert_eq!(after.portable, Some(false));
    assert_eq!(after.tags.unwrap().tag[0].tag_value.as_deref(), Some("web"));
    // The facts are the model's.
    assert_eq!(after.status, before.status);
    assert_eq!(after.device, before.device);
    assert_eq!(after.instance_id, before.instance_id);
    let instance = given.instance(world.instance_record("i-1").unwrap());
    assert_eq!(instance.instance_name.as_deref(), Some("web"));
    assert_eq!(instance.cpu, Some(4));
    assert_eq!(instance.image_id.as_deref(), Some("m-1"));
    let image = given.image(world.image_record("m-1").unwrap()).unwrap();
    assert_eq!(image.image_name.as_deref(), Some("aliyun_3_x64"));
    assert_eq!(image.architecture.as_deref(), Some("arm64"));
    let snapshot = given
        .snapshot(world.snapshot_record("s-1").unwrap())
        .unwrap();
    assert_eq!(snapshot.snapshot_name.as_deref(), Some("nightly"));
    assert_eq!(snapshot.status.as_deref(), Some("accomplished"));
    let key_pair = given.key_pair(world.key_pair_record("kp-1").unwrap());
    assert_eq!(key_pair.key_pair_finger_print.as_deref(), Some("ab12"));
}

#[test]
fn a_size_at_the_ends_of_the_range_describes_without_overflow() {
    for size in [i64::MIN, -1, 0, i64::MAX] {
        let mut doc = world();
        doc["Disks"][0]["Size"] = json!(size);
        let scenario = parse(&doc).unwrap();
        let world = scenario.to_world().unwrap();
        let defaults = Defaults::default();
        let disk = Describer::new(&world, &defaults)
            .with_fields(&scenario.ecs)
            .disk(world.disk_record("d-1").unwrap());
        assert_eq!(disk.size, Some(size));
        assert!(disk.iops.unwrap() <= 50_000, "{size}: {:?}", disk.iops);
    }
}

/// The error a scenario with `record` as its first disk (the rest as
/// [`world`]'s) gets.
fn disk_error(key: &str, value: Value) -> String {
    let mut doc = world();
    doc["Disks"][0][key] = value;
    parse(&doc).unwrap_err()
}

#[test]
fn a_key_that_is_neither_the_models_nor_ecss_is_refused_naming_both() {
    let e = disk_error("Sise", json!(1));
    assert!(e.starts_with("Disks[0].Sise: unknown field `Sise`"), "{e}");
    assert!(e.contains("`DiskId`") && e.contains("`KMSKeyId`"), "{e}");
    assert!(
        e.contains("35 other fields of ECS's DescribeDisks record"),
        "{e}"
    );
    assert!(!e.contains("did you mean"), "{e}");
    let e = disk_error("diskname", json!("x"));
    assert!(e.contains("did you mean `DiskName`?"), "{e}");
    let e = disk_error("kmskeyid", json!("x"));
    assert!(e.contains("did you mean `KMSKeyId`?"), "{e}");
}

#[test]
fn a_field_written_from_the_facts_is_refused() {
    for fact in DISK_FACTS {
        let e = disk_error(fact, json!(null));
        assert!(
            e.starts_with(&format!(
                "Disks[0].{fact}: `{fact}` is written from a disk's facts"
            )),
            "{e}"
        );
    }
    let mut doc = world();
    doc["Instances"][0]["ImageId"] = json!("m-1");
    let e = parse(&doc).unwrap_err();
    assert!(
        e.starts_with("Instances[0].ImageId: `ImageId` is written from an instance's facts"),
        "{e}"
    );
}

#[test]
fn an_ecs_field_of_the_wrong_type_is_refused_at_its_path() {
    let e = disk_error("Size", json!("big"));
    assert!(e.starts_with("Disks[0].Size: invalid type: string"), "{e}");
    let e = disk_error("Tags", json!({"Tag": [{"TagKey": 1}]}));
    assert!(e.starts_with("Disks[0].Tags"), "{e}");
    let e = disk_error("Size", json!(1.5));
    assert!(e.starts_with("Disks[0].Size"), "{e}");
    let mut doc = world().to_string();
    doc = doc.replace("\"Size\":100", "\"Size\":1e400");
    let e = Scenario::from_json(&doc).unwrap_err();
    assert_eq!(e.path, "Disks[0].Size", "{e}");
}

#[test]
fn an_ecs_field_given_twice_is_refused() {
    let doc = world()
        .to_string()
        .replace("\"Size\":100", "\"Size\":100,\"Size\":200");
    let e = Scenario::from_json(&doc).unwrap_err();
    assert!(e.message.contains("duplicate field `Size`"), "{e}");
}

#[test]
fn an_ecs_field_given_null_is_not_set() {
    let mut doc = world();
    doc["Disks"][0] = json!({"DiskId": "d-1", "Type": "data", "Category": "cloud_essd",
        "Status": "In_use", "InstanceId": "i-1", "DiskName": null});
    let scenario = parse(&doc).unwrap();
    assert!(scenario.ecs.disk("d-1").is_none());
}

#[test]
fn a_huge_or_odd_ecs_value_is_kept_as_given() {
    let name = "\u{202e}\u{0}é".repeat(100_000);
    let mut doc = world();
    doc["Disks"][0]["DiskName"] = json!(name);
    let scenario = parse(&doc).unwrap();
    assert_eq!(
        scenario.ecs.disk("d-1").unwrap().disk_name.as_deref(),
        Some(name.as_str())
    );
}

#[test]
fn the_fields_store_never_holds_a_models_key_or_a_fact() {
    let mut fields = Fields::default();
    let record: ecs::Disk = serde_json::from_value(json!({
        "DiskId": "d-1", "Status": "In_use", "Device": "/dev/xvdb", "Size": 40
    }))
    .unwrap();
    fields.set_disk("d-1", record);
    let kept = fields.disk("d-1").unwrap();
    assert_eq!(kept.size, Some(40));
    assert_eq!((kept.disk_id.as_ref(), kept.status.as_ref()), (None, None));
    assert_eq!(kept.device, None);
    // A record left with nothing has no entry.
    let facts_only: ecs::Disk = serde_json::from_value(json!({"Status": "In_use"})).unwrap();
    let former = fields.set_disk("d-1", facts_only);
    assert_eq!(former.unwrap().size, Some(40));
    assert!(fields.disk("d-1").is_none());
    assert!(fields.is_empty());
}

/// Every name of a kind's facts is a field of its ECS record and not one of
/// the model's keys (a typo there would let the field through).
fn facts_are_ecs_fields<M: Kind>(facts: &[&str]) {
    assert_eq!(M::FACTS, facts);
    for fact in facts {
        assert!(M::ecs_keys().contains(fact), "{}: {fact}", M::WHAT);
        assert!(!M::model_keys().contains(fact), "{}: {fact}", M::WHAT);
    }
}

#[test]
fn each_kinds_facts_are_fields_of_its_ecs_record() {
    facts_are_ecs_fields::<Disk>(DISK_FACTS);
    facts_are_ecs_fields::<Instance>(INSTANCE_FACTS);
    facts_are_ecs_fields::<Image>(IMAGE_FACTS);
    facts_are_ecs_fields::<Snapshot>(SNAPSHOT_FACTS);
    facts_are_ecs_fields::<KeyPair>(KEY_PAIR_FACTS);
    assert_eq!(Disk::model_keys()[0], "DiskId");
    assert_eq!(Disk::ecs_keys().len(), 51);
    assert_eq!(Instance::ecs_keys().len(), 69);
}

/// Each fact is written from the model: two model records that differ in
/// the fact's source describe it differently, whatever a record was given.
#[test]
fn each_disk_fact_follows_the_disks_attachment() {
    let doc = json!({
        "Disks": [
            {"DiskId": "d-on", "Type": "data", "Category": "cloud_essd", "Status": "In_use",
             "InstanceId": "i-1", "MultiAttach": "Enabled"},
            {"DiskId": "d-off", "Type": "data", "Category": "cloud_essd", "Status": "Available",
             "MultiAttach": "Enabled"}
        ],
        "Instances": [{"InstanceId": "i-1", "Status": "Stopped"}]
    });
    let scenario = parse(&doc).unwrap();
    let world = scenario.to_world().unwrap();
    let defaults = Defaults::default();
    let describer = Describer::new(&world, &defaults);
    let on = serde_json::to_value(describer.disk(world.disk_record("d-on").unwrap())).unwrap();
    let off = serde_json::to_value(describer.disk(world.disk_record("d-off").unwrap())).unwrap();
    for fact in DISK_FACTS {
        assert_ne!(on[fact], off[fact], "{fact}");
    }
}

/// Every field of `full` (a record with each field set) is cleared by its
/// name alone, and laid over an empty record by `overlay` alone: the
/// generated `clear` and `overlay` know every field (src/ecs/records.rs).
fn clear_and_overlay_know_every_field<M: Kind>(full: &M::Ecs)
where
    M::Ecs: std::fmt::Debug,
{
    let all = serde_json::to_value(full).unwrap();
    let all = all.as_object().unwrap();
    assert_eq!(all.len(), M::ecs_keys().len(), "{}: a full record", M::WHAT);
    for name in M::ecs_keys() {
        let mut cleared = full.clone();
        M::clear(&mut cleared, name);
        let left = serde_json::to_value(&cleared).unwrap();
        assert_eq!(left.get(name), None, "{}: {name} cleared", M::WHAT);
        assert_eq!(left.as_object().unwrap().len(), all.len() - 1, "{name}");
        // The same field alone, laid over an empty record.
        let mut one = full.clone();
        for other in M::ecs_keys().iter().filter(|k| *k != name) {
            M::clear(&mut one, other);
        }
        let mut laid = M::Ecs::default();
        M::overlay(&mut laid, one);
        let laid = serde_json::to_value(&laid).unwrap();
        assert_eq!(laid.as_object().unwrap().len(), 1, "{name}: {laid}");
        assert_eq!(laid.get(name), all.get(*name), "{name}");
        // An empty record laid over a full one changes nothing.
        let mut kept = full.clone();
        M::overlay(&mut kept, M::Ecs::default());
        assert_eq!(&kept, full);
    }
    let mut unknown = full.clone();
    M::clear(&mut unknown, "NotAField");
    assert_eq!(&unknown, full);
}

#[test]
fn clear_and_overlay_know_every_field_of_every_record() {
    let scenario = parse(&world()).unwrap();
    let world = scenario.to_world().unwrap();
    let defaults = Defaults::default();
    let describer = Describer::new(&world, &defaults);
    clear_and_overlay_know_every_field::<Disk>(&describer.disk(world.disk_record("d-1").unwrap()));
    clear_and_overlay_know_every_field::<Instance>(
        &describer.instance(world.instance_record("i-1").unwrap()),
    );
    clear_and_overlay_know_every_field::<Image>(
        &describer.image(world.image_record("m-1").unwrap()).unwrap(),
    );
    clear_and_overlay_know_every_field::<Snapshot>(
        &describer
            .snapshot(world.snapshot_record("s-1").unwrap())
            .unwrap(),
    );
    clear_and_overlay_know_every_field::<KeyPair>(
        &describer.key_pair(world.key_pair_record("kp-1").unwrap()),
    );
    // `clear` says whether the field was set.
    let mut disk = describer.disk(world.disk_record("d-1").unwrap());
    assert!(disk.clear("Size"));
    assert!(!disk.clear("Size"));
    assert!(!disk.clear("NotAField"));
}

#[test]
fn a_float_field_reads_back_as_the_same_float() {
    for price in [0.1 + 0.2, 5e-324, f64::MAX, 0.98, -0.0] {
        let mut doc = world();
        doc["Instances"][0]["SpotPriceLimit"] = json!(price);
        let scenario = parse(&doc).unwrap();
        let again = parse(&serde_json::to_value(&scenario).unwrap()).unwrap();
        assert_eq!(again, scenario, "{price}");
        let text = serde_json::to_string(&scenario).unwrap();
        let again = Scenario::from_json(&text).unwrap();
        assert_eq!(
            again
                .ecs
                .instance("i-1")
                .unwrap()
                .spot_price_limit
                .map(f64::to_bits),
            Some(price.to_bits()),
            "{price}"
        );
    }
}

#[test]
fn a_scenarios_debug_shows_its_ecs_fields_and_never_a_password() {
    let mut doc = world();
    doc["Request"]["Password"] = json!("Secret#123");
    let scenario = parse(&doc).unwrap();
    let shown = format!("{scenario:?}");
    assert!(shown.contains("web-data"), "{shown}");
    assert!(shown.contains("ecs.g8i.xlarge"), "{shown}");
    assert!(!shown.contains("Secret#123"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
}

#[test]
fn a_record_that_is_not_an_object_is_refused_as_what_it_is() {
    let mut doc = world();
    doc["Disks"][0] = json!("d-1");
    let e = parse(&doc).unwrap_err();
    assert!(e.starts_with("Disks[0]: invalid type: string"), "{e}");
    assert!(e.contains("expected a disk (a JSON object)"), "{e}");
    let mut doc = world();
    doc["KeyPairs"][0] = json!(["kp-1"]);
    let e = parse(&doc).unwrap_err();
    assert!(e.contains("expected a key pair (a JSON object)"), "{e}");
}

#[test]
fn a_scenario_without_key_pairs_writes_no_key_pairs() {
    let mut doc = world();
    doc.as_object_mut().unwrap().remove("KeyPairs");
    let text = serde_json::to_string(&parse(&doc).unwrap()).unwrap();
    assert!(!text.contains("KeyPairs"), "{text}");
    let text = serde_json::to_string(&parse(&world()).unwrap()).unwrap();
    assert!(text.contains("\"KeyPairs\":[{"), "{text}");
}
