//! ECS's records (src/ecs/): every field of the official SDK's models, in
//! its order; a full record written from every shipped scenario's disks and
//! instances reads back to the same world record; captured answers read,
//! unknown fields ignored, absent facts named.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use reinit_disk::InMemoryWorld;
use reinit_disk::ecs::{self, Defaults, Describer, ReadError};
use reinit_disk::model::{
    Disk, DiskCategory, DiskSource, DiskStatus, DiskType, Image, Instance, InstanceStatus, KeyPair,
    LockReason, LockSet, MultiAttach, OsType, Snapshot,
};
use reinit_disk::scenario::Scenario;
use reinit_disk::wire::{Document, Format, encode_document, to_document};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// tests/ecs-fields.txt (`python scripts/ecs_records.py --names`): each
/// object's path and its fields in the SDK's order.
fn sdk_fields() -> BTreeMap<String, Vec<String>> {
    let text = fs::read_to_string(root().join("tests/ecs-fields.txt")).unwrap();
    text.lines()
        .map(|line| {
            let (path, names) = line.split_once(": ").unwrap();
            (
                path.to_owned(),
                names.split(' ').map(str::to_owned).collect(),
            )
        })
        .collect()
}

/// Every object of `doc` reached from `path`: its path and its keys in
/// order (a list's items under the list's own path).
fn objects(path: &str, doc: &Document, out: &mut BTreeMap<String, Vec<String>>) {
    match doc {
        Document::Object(fields) => {
            out.insert(
                path.to_owned(),
                fields.iter().map(|(k, _)| (*k).to_owned()).collect(),
            );
            for (key, value) in fields {
                objects(&format!("{path}.{key}"), value, out);
            }
        }
        Document::List(items) => {
            for item in items {
                objects(path, item, out);
            }
        }
        _ => {}
    }
}

/// A world with each kind of record: an instance with a system disk and
/// two data disks (one from a snapshot, one encrypted with a lock), a
/// multi-attach disk, a detached disk, an image, a snapshot.
fn sample_world() -> InMemoryWorld {
    let mut w = InMemoryWorld::new();
    w.insert_instance(Instance {
        id: "i-bp1first".into(),
        status: InstanceStatus::Running,
        operation_locks: LockSet::EMPTY.with(LockReason::Security),
        ..Instance::default()
    })
    .unwrap();
    w.insert_instance(Instance {
        id: "i-bp1second".into(),
        status: InstanceStatus::Stopped,
        has_started: false,
        os_type: OsType::Windows,
        hibernation_configured: true,
        login_as_non_root: true,
        io_optimized: false,
        ..Instance::default()
    })
    .unwrap();
    let disks = [
        Disk {
            id: "d-data1".into(),
            status: DiskStatus::InUse,
            instance_id: Some("i-bp1first".into()),
            source: DiskSource::Snapshot {
                snapshot_id: "s-1".into(),
            },
            creating_snapshot: true,
            ..Disk::default()
        },
        Disk {
            id: "d-system".into(),
            category: DiskCategory::CloudEfficiency,
            status: DiskStatus::InUse,
            instance_id: Some("i-bp1first".into()),
            source: DiskSource::Image {
                image_id: "m-1".into(),
                snapshot_id: Some("s-base".into()),
            },
            ..Disk::default()
        },
        Disk {
            id: "d-data2".into(),
            category: DiskCategory::Cloud,
            status: DiskStatus::InUse,
            instance_id: Some("i-bp1first".into()),
            operation_locks: LockSet::EMPTY.with(LockReason::Financial),
            kms_key_id: Some("key-1".into()),
            ..Disk::default()
        },
        Disk {
            id: "d-multi".into(),
            status: DiskStatus::InUse,
            instance_id: Some("i-bp1second".into()),
            multi_attach: MultiAttach::Enabled,
            ..Disk::default()
        },
        Disk {
            id: "d-loose".into(),
            category: DiskCategory::CloudAuto,
            ..Disk::default()
        },
    ];
    for d in disks {
        w.insert_disk(d).unwrap();
    }
    w.insert_image(Image {
        id: "m-1".into(),
        ..Image::default()
    })
    .unwrap();
    w.insert_snapshot(Snapshot {
        id: "s-1".into(),
        source_disk_id: Some("d-data1".into()),
        instant_access: true,
        ..Snapshot::default()
    })
    .unwrap();
    w.insert_key_pair(KeyPair {
        name: "deploy".into(),
    })
    .unwrap();
    w
}

#[test]
fn every_record_has_every_field_of_the_sdk_model_in_its_order() {
    let world = sample_world();
    let defaults = Defaults::default();
    let describer = Describer::new(&world, &defaults);
    let mut seen = BTreeMap::new();
    for d in world.disks() {
        objects("Disk", &to_document(&describer.disk(d)).unwrap(), &mut seen);
    }
    for i in world.instances() {
        objects(
            "Instance",
            &to_document(&describer.instance(i)).unwrap(),
            &mut seen,
        );
    }
    for i in world.images() {
        let image = describer.image(i).unwrap();
        objects("Image", &to_document(&image).unwrap(), &mut seen);
    }
    for s in world.snapshots() {
        let snapshot = describer.snapshot(s).unwrap();
        objects("Snapshot", &to_document(&snapshot).unwrap(), &mut seen);
    }
    for k in world.key_pairs() {
        let key_pair = describer.key_pair(k);
        objects("KeyPair", &to_document(&key_pair).unwrap(), &mut seen);
    }
    let sdk = sdk_fields();
    for (path, keys) in &seen {
        assert_eq!(
            Some(keys),
            sdk.get(path),
            "{path}: fields against the SDK's"
        );
    }
    // Every object the SDK declares is written, but the elements of the
    // lists a default record leaves empty (tags, detection items, IPv6).
    let unwritten: Vec<&String> = sdk.keys().filter(|p| !seen.contains_key(*p)).collect();
    assert_eq!(
        unwritten,
        [
            "Disk.Tags.Tag",
            "Image.DetectionOptions.Items.Item",
            "Image.Tags.Tag",
            "Instance.NetworkInterfaces.NetworkInterface.Ipv4PrefixSets.Ipv4PrefixSet",
            "Instance.NetworkInterfaces.NetworkInterface.Ipv6PrefixSets.Ipv6PrefixSet",
            "Instance.NetworkInterfaces.NetworkInterface.Ipv6Sets.Ipv6Set",
            "Instance.Tags.Tag",
            "KeyPair.Tags.Tag",
            "Snapshot.Tags.Tag",
        ]
    );
    assert_eq!(sdk["Disk"].len(), 51);
    assert_eq!(sdk["Instance"].len(), 69);
    assert_eq!(sdk["Image"].len(), 35);
    assert_eq!(sdk["Snapshot"].len(), 30);
    assert_eq!(sdk["KeyPair"].len(), 6);
}

#[test]
fn a_key_pairs_fingerprint_is_32_hex_digits_made_from_its_name_alone() {
    let print = reinit_disk::ecs::key_pair_fingerprint("deploy");
    assert_eq!(print.len(), 32);
    assert!(
        print
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert_eq!(print, reinit_disk::ecs::key_pair_fingerprint("deploy"));
    assert_ne!(print, reinit_disk::ecs::key_pair_fingerprint("deploy2"));
    assert_ne!(print, reinit_disk::ecs::key_pair_fingerprint(""));
    // FNV-1a's 128-bit offset basis, for the empty name.
    assert_eq!(
        reinit_disk::ecs::key_pair_fingerprint(""),
        "6c62272e07bb014262b821756295c58d"
    );
}

/// Every scenario file of tests/scenarios/ (decisions excluded).
fn scenario_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for revision in fs::read_dir(root().join("tests/scenarios")).unwrap() {
        for entry in fs::read_dir(revision.unwrap().path()).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".json") && !name.ends_with(".expected.json") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn world_of(path: &Path) -> Option<InMemoryWorld> {
    let json = fs::read_to_string(path).unwrap();
    Scenario::from_json(&json).ok()?.to_world().ok()
}

/// model -> ECS record -> JSON -> ECS record -> model, for every disk and
/// instance of `world`; the snapshots the disks are read against are the
/// world's own and the ones in progress, as DescribeSnapshots lists them.
fn assert_round_trip(world: &InMemoryWorld, what: &str) {
    let defaults = Defaults::default();
    let describer = Describer::new(world, &defaults);
    let snapshots: Vec<ecs::Snapshot> = world
        .snapshots()
        .filter_map(|s| describer.snapshot(s))
        .chain(world.disks().filter_map(|d| describer.creating_snapshot(d)))
        .map(|s| serde_json::from_str(&serde_json::to_string(&s).unwrap()).unwrap())
        .collect();
    for disk in world.disks() {
        let json = serde_json::to_string(&describer.disk(disk)).unwrap();
        let back: ecs::Disk = serde_json::from_str(&json).unwrap();
        let read = back.to_model(Some(&snapshots)).unwrap();
        assert_eq!(&read.record, disk, "{what}: disk {}", disk.id);
        assert!(read.absent.is_empty(), "{what}: {:?}", read.absent);
    }
    for instance in world.instances() {
        let json = serde_json::to_string(&describer.instance(instance)).unwrap();
        let back: ecs::Instance = serde_json::from_str(&json).unwrap();
        let read = back.to_model().unwrap();
        assert_eq!(&read.record, instance, "{what}: instance {}", instance.id);
        assert!(read.absent.is_empty(), "{what}: {:?}", read.absent);
    }
}

#[test]
fn every_shipped_scenario_round_trips_through_ecs_records() {
    let files = scenario_files();
    let mut worlds = 0;
    let mut disks = 0;
    for path in &files {
        if let Some(world) = world_of(path) {
            assert_round_trip(&world, &path.display().to_string());
            worlds += 1;
            disks += world.disks().count();
        }
    }
    // The shipped scenarios: 55 seed and 119 of 2025-02-27 at the time of
    // writing; a suite that found none would pass vacuously.
    assert!(worlds >= 150, "{worlds} worlds of {} files", files.len());
    assert!(disks >= 150, "{disks} disks");
}

#[test]
fn a_world_with_every_kind_of_fact_round_trips_through_ecs_records() {
    assert_round_trip(&sample_world(), "sample world");
}

#[test]
fn an_images_and_a_snapshots_record_read_back_as_the_world_holds_them() {
    let world = sample_world();
    let defaults = Defaults::default();
    let describer = Describer::new(&world, &defaults);
    for image in world.images() {
        let record = describer.image(image).unwrap();
        assert_eq!(&record.to_model().unwrap().record, image);
    }
    for snapshot in world.snapshots() {
        let record = describer.snapshot(snapshot).unwrap();
        assert_eq!(&record.to_model().unwrap().record, snapshot);
    }
    let deleted = Image {
        deleted: true,
        ..Image::default()
    };
    assert_eq!(
        describer.image(&deleted),
        None,
        "DescribeImages lists no deleted image"
    );
}

#[test]
fn devices_follow_the_worlds_order_system_disk_first() {
    let world = sample_world();
    let defaults = Defaults::default();
    let describer = Describer::new(&world, &defaults);
    let device = |id: &str| {
        describer
            .disk(world.disk_record(id).unwrap())
            .device
            .unwrap()
    };
    assert_eq!(device("d-system"), "/dev/xvda");
    assert_eq!(device("d-data1"), "/dev/xvdb");
    assert_eq!(device("d-data2"), "/dev/xvdc");
    assert_eq!(
        device("d-multi"),
        "/dev/xvdb",
        "the second instance's first data disk"
    );
    assert_eq!(device("d-loose"), "", "a detached disk has no device");
    assert_eq!(ecs::device_name(24), "/dev/xvdz");
    assert_eq!(ecs::device_name(25), "/dev/xvdaa");
    assert_eq!(ecs::device_name(26), "/dev/xvdab");
}

#[test]
fn a_store_that_places_its_records_itself_gets_the_layouts_records() {
    let world = sample_world();
    let defaults = Defaults::default();
    let whole = Describer::new(&world, &defaults);
    let unplaced = Describer::with_layout(ecs::Layout::default(), &defaults);
    for disk in world.disks() {
        let siblings = world
            .disks()
            .filter(|d| d.instance_id.is_some() && d.instance_id == disk.instance_id);
        let device = ecs::device_among(siblings, &disk.id).unwrap_or_default();
        assert_eq!(
            unplaced.disk_at(disk, &device),
            whole.disk(disk),
            "{}",
            disk.id
        );
    }
    for (position, instance) in world.instances().enumerate() {
        let image = whole.instance(instance).image_id.unwrap();
        assert_eq!(
            unplaced.instance_at(instance, &image, position),
            whole.instance(instance)
        );
    }
    assert_eq!(ecs::device_among(world.disks(), "d-none"), None);
}

#[test]
fn a_layout_of_some_instances_places_them_as_the_whole_one_does() {
    let world = sample_world();
    let defaults = Defaults::default();
    let whole = Describer::new(&world, &defaults);
    let some = Describer::with_layout(
        ecs::Layout::of_instances(&world, ["i-bp1second"]),
        &defaults,
    );
    let second = world.instance_record("i-bp1second").unwrap();
    assert_eq!(some.instance(second), whole.instance(second));
    let multi = world.disk_record("d-multi").unwrap();
    assert_eq!(some.disk(multi), whole.disk(multi));
}

#[test]
fn defaults_are_ecs_minimum_sizes_and_the_worlds_place() {
    use DiskCategory as C;
    let data = |c| ecs::disk_size(c, DiskType::Data);
    let system = |c| ecs::disk_size(c, DiskType::System);
    assert_eq!(data(C::Cloud), 5);
    assert_eq!(data(C::CloudEfficiency), 20);
    assert_eq!(data(C::CloudSsd), 20);
    assert_eq!(data(C::CloudEssd), 20);
    assert_eq!(data(C::CloudAuto), 40);
    assert_eq!(data(C::CloudEssdEntry), 10);
    assert_eq!(system(C::Cloud), 20, "a system disk is at least 20 GiB");
    assert_eq!(system(C::CloudEssdEntry), 20);
    assert_eq!(system(C::CloudAuto), 40);
    assert_eq!(ecs::disk_iops(C::CloudEssd, 20), 2800);
    assert_eq!(ecs::disk_iops(C::CloudEssd, 10_000), 50_000);
    assert_eq!(ecs::disk_throughput(C::CloudEssd, 20), 130);

    let world = sample_world();
    let defaults = Defaults::default();
    let describer = Describer::new(&world, &defaults);
    let system_disk = describer.disk(world.disk_record("d-system").unwrap());
    assert_eq!(system_disk.size, Some(20));
    assert_eq!(system_disk.region_id.as_deref(), Some("cn-hangzhou"));
    assert_eq!(system_disk.zone_id.as_deref(), Some("cn-hangzhou-i"));
    assert_eq!(system_disk.portable, Some(false));
    let data = describer.disk(world.disk_record("d-data1").unwrap());
    assert_eq!(data.portable, Some(true));
    let local = Disk {
        category: DiskCategory::LocalSsdPro,
        ..Disk::default()
    };
    assert_eq!(
        describer.disk(&local).portable,
        Some(false),
        "a local disk stays"
    );
    assert_eq!(system_disk.delete_with_instance, Some(true));
    assert_eq!(system_disk.disk_name.as_deref(), Some(""));
    let first = describer.instance(world.instance_record("i-bp1first").unwrap());
    assert_eq!(
        first.image_id.as_deref(),
        Some("m-1"),
        "its system disk's image"
    );
    assert_eq!(first.instance_type.as_deref(), Some("ecs.g7.large"));
    assert_eq!((first.cpu, first.memory), (Some(2), Some(8192)));
    let vpc = first.vpc_attributes.unwrap();
    assert_eq!(vpc.private_ip_address.unwrap().ip_address, ["172.16.0.1"]);
    let second = describer.instance(world.instance_record("i-bp1second").unwrap());
    let vpc = second.vpc_attributes.unwrap();
    assert_eq!(vpc.private_ip_address.unwrap().ip_address, ["172.16.0.2"]);
    assert_eq!(
        second.image_id.as_deref(),
        Some(""),
        "no system disk in the world"
    );
    assert_eq!(second.start_time.as_deref(), Some(""), "never started");
    assert_eq!(second.stopped_mode.as_deref(), Some("KeepCharging"));
}

#[test]
fn a_world_level_default_is_every_records() {
    let world = sample_world();
    let mut defaults = Defaults::default();
    defaults.region_id = "eu-central-1".into();
    defaults.zone_id = "eu-central-1a".into();
    let describer = Describer::new(&world, &defaults);
    for d in world.disks() {
        let disk = describer.disk(d);
        assert_eq!(disk.region_id.as_deref(), Some("eu-central-1"));
        assert_eq!(disk.zone_id.as_deref(), Some("eu-central-1a"));
    }
}

/// A `DescribeDisks` answer as `aliyun ecs DescribeDisks` prints it (the
/// shape of the API reference's example), with fields no model declares.
const CAPTURED_DISKS: &str = r#"{
  "TotalCount": 2, "NextToken": "", "PageSize": 10, "RequestId": "ACD9BBB0-A9D6-4CC6-99FA-0F1C1D1E2D8B", "PageNumber": 1,
  "Disks": {"Disk": [
    {"DetachedTime": "", "Category": "cloud_essd", "Description": "", "KMSKeyId": "", "ResourceGroupId": "",
     "DedicatedBlockStorageClusterId": "", "Encrypted": false, "Size": 40, "DeleteAutoSnapshot": false,
     "DiskChargeType": "PostPaid", "MultiAttach": "Disabled", "Attachments": {"Attachment": [
       {"AttachedTime": "2021-06-07T06:08:56Z", "InstanceId": "i-bp67acfmxazb4ph****", "Device": "/dev/xvda"}]},
     "IOPS": 2800, "ExpiredTime": "2999-09-08T16:00Z", "ImageId": "m-bp13aqm171qynt3u***", "StorageSetId": "",
     "Tags": {"Tag": [{"TagValue": "TestValue", "TagKey": "TestKey"}]}, "Status": "In_use", "AttachedTime": "2021-06-07T06:08:56Z",
     "ZoneId": "cn-hangzhou-i", "SourceSnapshotId": "", "ProductCode": "", "PerformanceLevel": "PL1", "Device": "/dev/xvda",
     "DeleteWithInstance": true, "EnableAutomatedSnapshotPolicy": false, "Type": "system", "DiskName": "",
     "OperationLocks": {"OperationLock": [{"LockReason": "security"}]}, "SerialNumber": "bp18um4r4f2fve2****",
     "Portable": false, "InstanceId": "i-bp67acfmxazb4ph****", "CreationTime": "2021-06-07T06:08:54Z",
     "RegionId": "cn-hangzhou", "DiskId": "d-bp18um4r4f2fve2****", "SomeFieldFromTheFuture": {"Nested": [1, 2]}},
    {"DiskId": "d-bp1bare", "Type": "data"}
  ]}
}"#;

#[derive(serde::Deserialize)]
struct DisksAnswer {
    #[serde(rename = "Disks")]
    disks: DisksList,
}

#[derive(serde::Deserialize)]
struct DisksList {
    #[serde(rename = "Disk")]
    disk: Vec<ecs::Disk>,
}

#[test]
fn a_captured_describe_disks_answer_reads_and_names_what_it_lacks() {
    let answer: DisksAnswer = serde_json::from_str(CAPTURED_DISKS).unwrap();
    let [full, bare] = &answer.disks.disk[..] else {
        panic!("two disks")
    };
    assert_eq!(full.size, Some(40));
    assert_eq!(
        full.tags.as_ref().unwrap().tag[0].tag_key.as_deref(),
        Some("TestKey")
    );
    let read = full.to_model(None).unwrap();
    assert_eq!(
        read.record,
        Disk {
            id: "d-bp18um4r4f2fve2****".into(),
            category: DiskCategory::CloudEssd,
            status: DiskStatus::InUse,
            instance_id: Some("i-bp67acfmxazb4ph****".into()),
            source: DiskSource::Image {
                image_id: "m-bp13aqm171qynt3u***".into(),
                snapshot_id: None,
            },
            operation_locks: LockSet::EMPTY.with(LockReason::Security),
            ..Disk::default()
        }
    );
    assert_eq!(read.absent, ["CreatingSnapshot"], "no snapshots given");
    let read = bare.to_model(Some(&[])).unwrap();
    assert_eq!(
        read.absent,
        [
            "Category",
            "Status",
            "OperationLocks",
            "MultiAttach",
            "Encrypted"
        ]
    );
    assert_eq!(read.record.status, DiskStatus::Available);
}

const CAPTURED_INSTANCE: &str = r#"{
  "InstanceId": "i-bp67acfmxazb4ph****", "Status": "Running", "OSType": "linux", "IoOptimized": true,
  "StartTime": "2017-12-10T04:04Z", "InstanceType": "ecs.g5.large", "Cpu": 2, "Memory": 8192,
  "SpotPriceLimit": 0.98, "VpcAttributes": {"NatIpAddress": "172.17.**.**", "PrivateIpAddress": {"IpAddress": ["172.17.**.**"]},
  "VSwitchId": "vsw-bp1s5fnvk4gn2tws03****", "VpcId": "v-bp67acfmxazb4ph****"},
  "OperationLocks": {"LockReason": [{"LockMsg": "", "LockReason": "financial"}]},
  "HibernationOptions": {"Configured": false}, "ImageOptions": {"LoginAsNonRoot": true},
  "ZoneId": "cn-hangzhou-g", "NotInTheSdk": "ignored"
}"#;

#[test]
fn a_captured_describe_instances_record_reads_unknown_fields_ignored() {
    let instance: ecs::Instance = serde_json::from_str(CAPTURED_INSTANCE).unwrap();
    assert_eq!(instance.spot_price_limit, Some(0.98));
    let read = instance.to_model().unwrap();
    assert_eq!(
        read.record,
        Instance {
            id: "i-bp67acfmxazb4ph****".into(),
            status: InstanceStatus::Running,
            operation_locks: LockSet::EMPTY.with(LockReason::Financial),
            login_as_non_root: true,
            ..Instance::default()
        }
    );
    assert!(read.absent.is_empty(), "{:?}", read.absent);
    let bare: ecs::Instance = serde_json::from_str(r#"{"InstanceId": "i-1"}"#).unwrap();
    assert_eq!(
        bare.to_model().unwrap().absent,
        [
            "Status",
            "StartTime",
            "OperationLocks",
            "OSType",
            "HibernationOptions.Configured",
            "ImageOptions.LoginAsNonRoot",
            "IoOptimized"
        ]
    );
}

#[test]
fn a_record_the_model_cannot_hold_is_refused_with_its_field() {
    let read = |json: &str| {
        serde_json::from_str::<ecs::Disk>(json)
            .unwrap()
            .to_model(None)
    };
    assert_eq!(
        read(r#"{"Type": "data"}"#),
        Err(ReadError::MissingId("DiskId"))
    );
    assert_eq!(
        read(r#"{"DiskId": ""}"#),
        Err(ReadError::MissingId("DiskId"))
    );
    assert_eq!(
        read(r#"{"DiskId": "d-1", "Category": "cloud_floppy"}"#),
        Err(ReadError::Value {
            id: "d-1".into(),
            field: "Category",
            value: "cloud_floppy".into()
        })
    );
    assert!(matches!(
        read(r#"{"DiskId": "d-1", "Type": "system"}"#),
        Err(ReadError::Shape(_))
    ));
    assert!(matches!(
        read(r#"{"DiskId": "d-1", "Encrypted": true}"#),
        Err(ReadError::Shape(_))
    ));
    assert!(matches!(
        read(
            r#"{"DiskId": "d-1", "OperationLocks": {"OperationLock": [{"LockReason": "mystery"}]}}"#
        ),
        Err(ReadError::Value {
            field: "OperationLocks",
            ..
        })
    ));
    let snapshot: ecs::Snapshot =
        serde_json::from_str(r#"{"SnapshotId": "s-1", "CreationTime": "yesterday"}"#).unwrap();
    assert!(matches!(
        snapshot.to_model(),
        Err(ReadError::Value {
            field: "CreationTime",
            ..
        })
    ));
}

#[test]
fn a_record_is_written_in_xml_in_ecs_wrapper_shape() {
    let world = sample_world();
    let defaults = Defaults::default();
    let describer = Describer::new(&world, &defaults);
    let disk = describer.disk(world.disk_record("d-data2").unwrap());
    let xml = encode_document(Format::Xml, "Disk", &to_document(&disk).unwrap()).unwrap();
    assert!(
        xml.contains("<OperationLocks><OperationLock><LockReason>financial</LockReason></OperationLock></OperationLocks>"),
        "{xml}"
    );
    assert!(xml.contains("<Size>5</Size>"), "{xml}");
    assert!(
        xml.contains("<Tags></Tags>") || xml.contains("<Tags/>"),
        "{xml}"
    );
    let instance = describer.instance(world.instance_record("i-bp1first").unwrap());
    let doc = to_document(&instance).unwrap();
    let xml = encode_document(Format::Xml, "Instance", &doc).unwrap();
    assert!(
        xml.contains("<VpcAttributes><NatIpAddress></NatIpAddress><PrivateIpAddress><IpAddress>172.16.0.1</IpAddress></PrivateIpAddress>"),
        "{xml}"
    );
    assert!(
        xml.contains("<SpotPriceLimit>0.0</SpotPriceLimit>"),
        "{xml}"
    );
    let json = encode_document(Format::Json, "Instance", &doc).unwrap();
    assert!(json.contains(r#""SpotPriceLimit":0.0"#), "{json}");
    assert!(
        json.contains(
            r#""OperationLocks":{"LockReason":[{"LockMsg":"","LockReason":"security"}]}"#
        ),
        "{json}"
    );
}

#[test]
fn a_negative_number_and_a_map_in_a_document() {
    #[derive(serde::Serialize)]
    struct Numbers {
        #[serde(rename = "Down")]
        down: i64,
    }
    let doc = to_document(&Numbers { down: -3 }).unwrap();
    assert_eq!(
        encode_document(Format::Json, "N", &doc).unwrap(),
        r#"{"Down":-3}"#
    );
    assert_eq!(
        encode_document(Format::Xml, "N", &doc).unwrap(),
        "<?xml version='1.0' encoding='UTF-8'?><N><Down>-3</Down></N>"
    );
    let map: BTreeMap<String, i64> = BTreeMap::new();
    assert!(to_document(&map).is_err(), "a map's keys are not names");
}

/// The sizes, IOPS and throughput docs/ecs.md gives each category, pinned
/// where the formulas differ (a small disk and one past the cap).
#[test]
fn each_category_has_its_own_documented_size_iops_and_throughput() {
    use reinit_disk::model::DiskType;
    let cases = [
        // category, data size, system size, IOPS at 20 GiB, at 10 TiB,
        // throughput at 20 GiB, at 10 TiB.
        (DiskCategory::CloudEssd, 20, 20, 2800, 50_000, 130, 350),
        (DiskCategory::CloudSsd, 20, 20, 2400, 25_000, 130, 300),
        (DiskCategory::CloudEfficiency, 20, 20, 1960, 5000, 102, 140),
        (DiskCategory::CloudEssdEntry, 10, 20, 1960, 6000, 102, 150),
        (DiskCategory::Cloud, 5, 20, 0, 0, 0, 0),
    ];
    for (category, data, system, iops, iops_max, mbps, mbps_max) in cases {
        assert_eq!(ecs::disk_size(category, DiskType::Data), data, "{category}");
        assert_eq!(
            ecs::disk_size(category, DiskType::System),
            system,
            "{category}"
        );
        assert_eq!(ecs::disk_iops(category, 20), iops, "{category}");
        assert_eq!(ecs::disk_iops(category, 10_240), iops_max, "{category}");
        assert_eq!(ecs::disk_throughput(category, 20), mbps, "{category}");
        assert_eq!(
            ecs::disk_throughput(category, 10_240),
            mbps_max,
            "{category}"
        );
    }
}

/// A store that places disks itself: the system disk is `/dev/xvda`
/// wherever it stands, data disks take `/dev/xvdb`.. in order.
#[test]
fn device_among_names_data_disks_in_order_whatever_the_system_disks_place() {
    let world = sample_world();
    // i-bp1first's disks in the world's order: d-data1, d-system, d-data2.
    let device = |id| ecs::device_among(world.disks_of("i-bp1first"), id);
    assert_eq!(device("d-data1").as_deref(), Some("/dev/xvdb"));
    assert_eq!(device("d-system").as_deref(), Some("/dev/xvda"));
    assert_eq!(device("d-data2").as_deref(), Some("/dev/xvdc"));
    assert_eq!(device("d-loose"), None);
    // Two data disks in a row, then the system disk.
    let data = |id: &str| Disk {
        id: id.into(),
        source: DiskSource::Empty,
        ..Disk::default()
    };
    let system = Disk {
        id: "d-c".into(),
        source: DiskSource::Image {
            image_id: "m-1".into(),
            snapshot_id: None,
        },
        ..Disk::default()
    };
    let disks = [data("d-a"), data("d-b"), system];
    assert_eq!(
        ecs::device_among(&disks, "d-b").as_deref(),
        Some("/dev/xvdc")
    );
    assert_eq!(
        ecs::device_among(&disks, "d-c").as_deref(),
        Some("/dev/xvda")
    );
}

/// Facts the full record derives from the world's: the serial number from
/// the id, `MountInstances` only for an attached multi-attach disk, `PL1`
/// only for ESSD, the cores from the vCPUs.
#[test]
fn derived_fields_follow_their_facts() {
    let world = sample_world();
    let defaults = Defaults::default();
    let describer = Describer::new(&world, &defaults);
    let disk = |id: &str| describer.disk(world.disk_record(id).unwrap());
    assert_eq!(disk("d-multi").serial_number.as_deref(), Some("multi"));
    let mounts = |id: &str| {
        disk(id)
            .mount_instances
            .map(|m| m.mount_instance.len())
            .unwrap_or_default()
    };
    assert_eq!(mounts("d-multi"), 1, "attached and multi-attach");
    assert_eq!(mounts("d-data1"), 0, "attached, not multi-attach");
    let mut loose_multi = world.disk_record("d-loose").unwrap().clone();
    loose_multi.multi_attach = MultiAttach::Enabled;
    let loose = describer.disk(&loose_multi);
    assert_eq!(
        loose
            .mount_instances
            .map(|m| m.mount_instance.len())
            .unwrap_or_default(),
        0,
        "multi-attach, attached to nothing"
    );
    assert_eq!(disk("d-data1").performance_level.as_deref(), Some("PL1"));
    assert_eq!(disk("d-system").performance_level.as_deref(), Some(""));
    let instance = describer.instance(world.instance_record("i-bp1first").unwrap());
    assert_eq!(instance.host_name.as_deref(), Some("iZbp1firstZ"));
    assert_eq!(
        instance.cpu_options.and_then(|c| c.core_count),
        Some(defaults.cpu / 2)
    );
}

/// What a world holds that is not a default reads back: an image's owner
/// and its lack of non-root login, a snapshot's creation time, a stopped instance's
/// `StopCharging`; a key on an unencrypted disk is refused.
#[test]
fn facts_that_are_not_defaults_read_back_and_a_key_without_encryption_is_refused() {
    use reinit_disk::model::{CreationTime, ImageOwnerAlias, StoppedMode};
    let world = sample_world();
    let defaults = Defaults::default();
    let describer = Describer::new(&world, &defaults);
    let image = Image {
        id: "m-2".into(),
        image_owner_alias: ImageOwnerAlias::Marketplace,
        // The default is `true`: an image that does not support it.
        login_as_non_root_supported: false,
        ..Image::default()
    };
    assert_eq!(
        describer.image(&image).unwrap().to_model().unwrap().record,
        image
    );
    let snapshot = Snapshot {
        id: "s-2".into(),
        creation_time: "2012-06-01T00:00:00Z".parse::<CreationTime>().unwrap(),
        ..Snapshot::default()
    };
    assert_eq!(
        describer
            .snapshot(&snapshot)
            .unwrap()
            .to_model()
            .unwrap()
            .record,
        snapshot
    );
    let stopped = Instance {
        id: "i-3".into(),
        status: InstanceStatus::Stopped,
        stopped_mode: Some(StoppedMode::StopCharging),
        ..Instance::default()
    };
    assert_eq!(
        describer
            .instance(&stopped)
            .to_model()
            .unwrap()
            .record
            .stopped_mode,
        Some(StoppedMode::StopCharging)
    );
    let mut keyed = describer.disk(world.disk_record("d-data2").unwrap());
    keyed.encrypted = Some(false);
    let refused = keyed.to_model(None).unwrap_err();
    assert!(refused.to_string().contains("KMS"), "{refused}");
}

#[test]
fn the_default_creation_time_is_the_instant_a_snapshot_made_by_the_model_carries() {
    // One date for every record the world does not date: the describer's
    // default, the snapshots CreateSnapshot makes, the unlisted snapshots
    // of captured answers.
    let default: reinit_disk::model::CreationTime =
        Defaults::default().creation_time.parse().unwrap();
    assert_eq!(default, reinit_disk::SNAPSHOT_TIME);
}
