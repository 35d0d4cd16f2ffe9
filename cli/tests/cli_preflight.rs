//! `reinit-disk preflight`: decided from Describe* responses in ECS's own
//! shapes. Each fully known situation is decided exactly as `eval` decides
//! the equivalent scenario (built here from the same responses, by a
//! second, independent reading); each unknown fact leads to every code its
//! values can; input it cannot use is refused with the file and the JSON
//! path, exit 2.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

#[path = "common/cli.rs"]
mod cli;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::{Value, json};

// ---------------------------------------------------------------- helpers

/// The responses of one case, in ECS's shapes.
#[derive(Clone)]
struct Docs {
    disks: Vec<Value>,
    instances: Vec<Value>,
    images: Option<Vec<Value>>,
    snapshots: Option<Vec<Value>>,
    key_pairs: Option<Vec<Value>>,
}

/// A response as the aliyun CLI prints it: the list under its two keys,
/// with the paging fields and a RequestId.
fn response(outer: &str, inner: &str, records: &[Value]) -> Value {
    json!({
        "RequestId": "473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E",
        "TotalCount": records.len(),
        "PageNumber": 1,
        "PageSize": 50,
        outer: {inner: records},
    })
}

/// A fresh directory for one case's files.
fn case_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cli_preflight")
        .join(format!("{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

impl Docs {
    /// Writes the responses and returns the arguments that name them.
    fn args(&self) -> Vec<String> {
        let dir = case_dir();
        let mut args = vec![
            "--disks".to_owned(),
            write(
                &dir,
                "disks.json",
                &response("Disks", "Disk", &self.disks).to_string(),
            ),
            "--instances".to_owned(),
            write(
                &dir,
                "instances.json",
                &response("Instances", "Instance", &self.instances).to_string(),
            ),
        ];
        let optional = [
            ("--images", "Images", "Image", &self.images),
            ("--snapshots", "Snapshots", "Snapshot", &self.snapshots),
            ("--key-pairs", "KeyPairs", "KeyPair", &self.key_pairs),
        ];
        for (flag, outer, inner, records) in optional {
            if let Some(records) = records {
                args.push(flag.to_owned());
                let name = format!("{outer}.json");
                args.push(write(
                    &dir,
                    &name,
                    &response(outer, inner, records).to_string(),
                ));
            }
        }
        args
    }
}

fn run(args: &[&str]) -> Output {
    cli::run(args, b"")
}

fn run_owned(args: &[String]) -> Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args)
}

/// `preflight --format json` of `disk` with `extra` flags: the report.
fn preflight(docs: &Docs, disk: &str, extra: &[&str]) -> Value {
    let mut args: Vec<String> = ["preflight", "--format", "json", "--disk-id", disk]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    args.extend(docs.args());
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let out = run_owned(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `preflight` of `disk` that must fail: its one line of standard error.
fn refused(args: &[String]) -> String {
    let out = run_owned(args);
    assert_eq!(
        out.status.code(),
        Some(2),
        "stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(out.stdout.is_empty(), "partial output");
    let err = String::from_utf8(out.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    err
}

fn refused_docs(docs: &Docs, disk: &str) -> String {
    let mut args = vec![
        "preflight".to_owned(),
        "--disk-id".to_owned(),
        disk.to_owned(),
    ];
    args.extend(docs.args());
    refused(&args)
}

/// The codes of the outcomes (`None` for accepted), in order.
fn outcome_codes(report: &Value) -> Vec<Option<String>> {
    report["Outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["Code"].as_str().map(str::to_owned))
        .collect()
}

fn codes(list: &[Option<&str>]) -> Vec<Option<String>> {
    list.iter().map(|c| c.map(str::to_owned)).collect()
}

/// The outcome whose code is `code` (`None`: accepted).
fn outcome<'r>(report: &'r Value, code: Option<&str>) -> &'r Value {
    report["Outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["Code"].as_str() == code)
        .unwrap_or_else(|| panic!("no outcome {code:?}: {report:#}"))
}

/// `eval` of `scenario`: the decision.
fn eval(scenario: &Value) -> Value {
    let out = cli::run(&["eval"], scenario.to_string().as_bytes());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}\n{scenario:#}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The lock reasons of an `OperationLocks` value in any of ECS's shapes.
fn lock_reasons(locks: Option<&Value>) -> Vec<Value> {
    let list = match locks {
        Some(Value::Array(list)) => list.clone(),
        Some(Value::Object(o)) => o
            .values()
            .next()
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    list.iter().map(|l| l["LockReason"].clone()).collect()
}

fn text(v: &Value, field: &str) -> Option<String> {
    v[field]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The scenario a fully known case stands for, read from the responses
/// independently of the preflight: what `eval` must decide alike.
fn equivalent_scenario(
    docs: &Docs,
    disk: &str,
    revision: &str,
    key_pair: Option<&str>,
    password: bool,
    auto_start: bool,
) -> Value {
    let d = docs
        .disks
        .iter()
        .find(|d| d["DiskId"] == disk)
        .unwrap()
        .clone();
    let snapshots = docs.snapshots.clone().unwrap_or_default();
    let creating = snapshots
        .iter()
        .any(|s| s["SourceDiskId"] == disk && s["Status"] == "progressing");
    let system = d["Type"] == "system";
    let mut sd = json!({
        "DiskId": disk,
        "Type": d["Type"],
        "Category": d["Category"],
        "Status": d["Status"],
        "CreatingSnapshot": creating,
        "OperationLocks": lock_reasons(d.get("OperationLocks")),
        "MultiAttach": d["MultiAttach"],
    });
    if let Some(i) = text(&d, "InstanceId") {
        sd["InstanceId"] = json!(i);
    }
    if system {
        sd["ImageId"] = d["ImageId"].clone();
    } else if let Some(s) = text(&d, "SourceSnapshotId") {
        sd["SourceSnapshotId"] = json!(s);
    }
    let mut kms = Vec::new();
    if d["Encrypted"] == true {
        sd["Encrypted"] = json!(true);
        sd["KMSKeyId"] = d["KMSKeyId"].clone();
        kms.push(json!({"KeyId": d["KMSKeyId"]}));
    }
    let instances: Vec<Value> = docs
        .instances
        .iter()
        .map(|i| {
            json!({
                "InstanceId": i["InstanceId"],
                "Status": i["Status"],
                "OperationLocks": lock_reasons(i.get("OperationLocks")),
                "OSType": i["OSType"],
                "HibernationConfigured": i["HibernationOptions"]["Configured"],
                "LoginAsNonRoot": i["ImageOptions"]["LoginAsNonRoot"],
                "IoOptimized": i["IoOptimized"],
            })
        })
        .collect();
    let images: Vec<Value> = docs
        .images
        .clone()
        .unwrap_or_default()
        .iter()
        .map(|i| {
            json!({
                "ImageId": i["ImageId"],
                "ImageOwnerAlias": i["ImageOwnerAlias"],
                "LoginAsNonRootSupported": i["LoginAsNonRootSupported"],
            })
        })
        .collect();
    let snapshots: Vec<Value> = snapshots
        .iter()
        .map(|s| {
            json!({
                "SnapshotId": s["SnapshotId"],
                "CreationTime": s["CreationTime"],
                "SourceDiskId": s["SourceDiskId"],
                "InstantAccess": s["InstantAccess"],
            })
        })
        .collect();
    let key_pairs: Vec<Value> = docs
        .key_pairs
        .clone()
        .unwrap_or_default()
        .iter()
        .map(|k| json!({"KeyPairName": k["KeyPairName"]}))
        .collect();
    let mut request = json!({"Action": "ReInitDisk", "DiskId": disk});
    if let Some(name) = key_pair {
        request["KeyPairName"] = json!(name);
    }
    if password {
        request["Password"] = json!("Equivalent-Pass-1");
    }
    if auto_start {
        request["AutoStartInstance"] = json!("true");
    }
    json!({
        "Request": request,
        "Disks": [sd],
        "Instances": instances,
        "Images": images,
        "Snapshots": snapshots,
        "KeyPairs": key_pairs,
        "KmsKeys": kms,
        "Policy": {"Revision": revision},
    })
}

// ------------------------------------------------------------- the world

/// A stopped Linux instance, every fact the rules read shown, and plenty
/// they do not read.
fn instance() -> Value {
    json!({
        "InstanceId": "i-1",
        "InstanceName": "web-1",
        "Status": "Stopped",
        "OSType": "linux",
        "OSName": "Alibaba Cloud Linux 3",
        "IoOptimized": true,
        "InstanceType": "ecs.g7.large",
        "Cpu": 2,
        "Memory": 8192,
        "StartTime": "2024-06-03T08:16Z",
        "HibernationOptions": {"Configured": false},
        "ImageOptions": {"LoginAsNonRoot": false},
        "OperationLocks": {"LockReason": []},
        "VpcAttributes": {"VpcId": "vpc-1", "PrivateIpAddress": {"IpAddress": ["172.16.0.1"]}},
        "Tags": {"Tag": [{"TagKey": "team", "TagValue": "web"}]},
    })
}

fn system_disk() -> Value {
    json!({
        "DiskId": "d-1",
        "Type": "system",
        "Category": "cloud_essd",
        "Status": "In_use",
        "InstanceId": "i-1",
        "ImageId": "m-1",
        "SourceSnapshotId": "",
        "MultiAttach": "Disabled",
        "Encrypted": false,
        "KMSKeyId": "",
        "Size": 40,
        "Device": "/dev/xvda",
        "PerformanceLevel": "PL0",
        "OperationLocks": {"OperationLock": []},
        "Attachments": {"Attachment": [{"InstanceId": "i-1", "Device": "/dev/xvda"}]},
    })
}

fn data_disk() -> Value {
    json!({
        "DiskId": "d-2",
        "Type": "data",
        "Category": "cloud_essd",
        "Status": "In_use",
        "InstanceId": "i-1",
        "ImageId": "",
        "SourceSnapshotId": "s-1",
        "MultiAttach": "Disabled",
        "Encrypted": false,
        "KMSKeyId": "",
        "Size": 100,
        "OperationLocks": {"OperationLock": []},
    })
}

fn image() -> Value {
    json!({
        "ImageId": "m-1",
        "ImageOwnerAlias": "system",
        "Status": "Available",
        "LoginAsNonRootSupported": true,
        "OSType": "linux",
        "Architecture": "x86_64",
        "DiskDeviceMappings": {"DiskDeviceMapping": [{"Size": "20"}]},
    })
}

fn source_snapshot() -> Value {
    json!({
        "SnapshotId": "s-1",
        "SourceDiskId": "d-0",
        "CreationTime": "2020-01-01T00:00:00Z",
        "Status": "accomplished",
        "InstantAccess": false,
        "Progress": "100%",
        "RetentionDays": 30,
    })
}

/// A finished snapshot of the system disk.
fn own_snapshot() -> Value {
    json!({
        "SnapshotId": "s-9",
        "SourceDiskId": "d-1",
        "CreationTime": "2024-06-10T01:00:00Z",
        "Status": "accomplished",
        "InstantAccess": false,
    })
}

/// Every response, every fact known: both disks are accepted.
fn world() -> Docs {
    Docs {
        disks: vec![system_disk(), data_disk()],
        instances: vec![instance()],
        images: Some(vec![image()]),
        snapshots: Some(vec![source_snapshot(), own_snapshot()]),
        key_pairs: Some(vec![
            json!({"KeyPairName": "kp-1", "KeyPairFingerPrint": "89:f0"}),
        ]),
    }
}

/// The flags of a case.
#[derive(Clone, Copy, Default)]
struct Flags {
    key_pair: Option<&'static str>,
    password: bool,
    auto_start: bool,
}

impl Flags {
    fn args(self, revision: &'static str) -> Vec<&'static str> {
        let mut args = vec!["--revision", revision];
        if let Some(name) = self.key_pair {
            args.extend(["--key-pair-name", name]);
        }
        if self.password {
            args.push("--password-given");
        }
        if self.auto_start {
            args.push("--auto-start");
        }
        args
    }
}

/// Decides `disk` under `revision` with every fact known: the report says
/// so, its decision is `eval`'s on the equivalent scenario, and its code is
/// `expected` (`None`: accepted).
fn decided(docs: &Docs, disk: &str, revision: &'static str, flags: Flags, expected: Option<&str>) {
    let report = preflight(docs, disk, &flags.args(revision));
    assert_eq!(report["Known"], true, "{report:#}");
    assert_eq!(report["Unknown"], json!([]));
    assert_eq!(
        report["Decision"]["Code"].as_str(),
        expected,
        "{revision}: {report:#}"
    );
    assert_eq!(outcome_codes(&report), codes(&[expected]));
    let scenario = equivalent_scenario(
        docs,
        disk,
        revision,
        flags.key_pair,
        flags.password,
        flags.auto_start,
    );
    assert_eq!(
        report["Decision"],
        eval(&scenario),
        "{revision}: preflight and eval differ on {scenario:#}"
    );
}

const BOTH: [&str; 2] = ["seed", "2025-02-27"];

fn edit(docs: &mut [Value], id_field: &str, id: &str, f: impl FnOnce(&mut Value)) {
    f(docs.iter_mut().find(|d| d[id_field] == id).unwrap());
}

// ------------------------------------------------------------ accepted

#[test]
fn preflight_accepts_a_system_disk_of_a_stopped_instance_in_both_revisions() {
    for revision in BOTH {
        decided(&world(), "d-1", revision, Flags::default(), None);
    }
}

#[test]
fn preflight_accepts_a_data_disk_from_a_listed_snapshot_in_both_revisions() {
    for revision in BOTH {
        decided(&world(), "d-2", revision, Flags::default(), None);
    }
}

#[test]
fn preflight_accepts_a_key_pair_password_and_auto_start_under_2025_as_eval_does() {
    let flags = Flags {
        key_pair: Some("kp-1"),
        password: true,
        auto_start: true,
    };
    decided(&world(), "d-1", "2025-02-27", flags, None);
    let report = preflight(&world(), "d-1", &flags.args("2025-02-27"));
    let target = &report["Decision"]["Target"];
    assert_eq!(target["KeyPairName"], "kp-1");
    assert_eq!(target["PasswordReset"], true);
    assert_eq!(target["InstanceStatusAfter"], "Running");
}

#[test]
fn preflight_accepts_a_detached_data_disk_only_as_eval_does_with_incorrect_disk_status() {
    let mut docs = world();
    edit(&mut docs.disks, "DiskId", "d-2", |d| {
        d["Status"] = json!("Available");
        d["InstanceId"] = json!("");
    });
    for revision in BOTH {
        decided(
            &docs,
            "d-2",
            revision,
            Flags::default(),
            Some("IncorrectDiskStatus"),
        );
    }
}

// ------------------------------------- every code the facts can show

/// One case: a change to the world, the disk, and the code it shows.
fn rejects(
    revisions: &[&'static str],
    disk: &str,
    flags: Flags,
    change: impl Fn(&mut Docs),
    code: &str,
) {
    let mut docs = world();
    change(&mut docs);
    for revision in revisions {
        decided(&docs, disk, revision, flags, Some(code));
    }
}

#[test]
fn preflight_rejects_an_unsupported_category_with_disk_category_operation_not_supported() {
    rejects(
        &BOTH,
        "d-1",
        Flags::default(),
        |d| {
            edit(&mut d.disks, "DiskId", "d-1", |x| {
                x["Category"] = json!("local_ssd_pro")
            })
        },
        "DiskCategory.OperationNotSupported",
    );
}

#[test]
fn preflight_rejects_a_security_locked_instance_in_ecs_instance_lock_shape() {
    rejects(
        &BOTH,
        "d-1",
        Flags::default(),
        |d| {
            edit(&mut d.instances, "InstanceId", "i-1", |x| {
                x["OperationLocks"] = json!({"LockReason": [{"LockReason": "security"}]});
            });
        },
        "InstanceLockedForSecurity",
    );
}

#[test]
fn preflight_refuses_a_plain_lock_list_which_is_not_the_shape_ecs_prints() {
    // The SDK's record is `{"LockReason": [{"LockReason": ..}]}`: a plain
    // list is refused at its path (it was read before the responses were
    // read through the SDK's records, issue 20).
    let mut docs = world();
    edit(&mut docs.instances, "InstanceId", "i-1", |x| {
        x["OperationLocks"] = json!([{"LockReason": "financial"}]);
    });
    let err = refused_docs(&docs, "d-1");
    assert!(
        err.contains("instances.json: Instances.Instance[0].OperationLocks[0]: invalid type"),
        "{err}"
    );
}

#[test]
fn preflight_rejects_a_disk_with_its_own_financial_lock_in_describe_disks_shape() {
    rejects(
        &BOTH,
        "d-2",
        Flags::default(),
        |d| {
            edit(&mut d.disks, "DiskId", "d-2", |x| {
                x["OperationLocks"] =
                    json!({"OperationLock": [{"LockReason": "recycling", "LockMsg": "overdue"}]});
            });
        },
        "InstanceExpiredOrInArrears",
    );
}

#[test]
fn preflight_rejects_a_detaching_disk_with_incorrect_disk_status() {
    rejects(
        &BOTH,
        "d-1",
        Flags::default(),
        |d| {
            edit(&mut d.disks, "DiskId", "d-1", |x| {
                x["Status"] = json!("Detaching")
            })
        },
        "IncorrectDiskStatus",
    );
}

#[test]
fn preflight_rejects_a_running_instance_with_incorrect_instance_status() {
    rejects(
        &BOTH,
        "d-1",
        Flags::default(),
        |d| {
            edit(&mut d.instances, "InstanceId", "i-1", |x| {
                x["Status"] = json!("Running")
            })
        },
        "IncorrectInstanceStatus",
    );
}

#[test]
fn preflight_rejects_a_disk_whose_snapshot_is_progressing_with_disk_creating_snapshot() {
    rejects(
        &BOTH,
        "d-1",
        Flags::default(),
        |d| {
            edit(d.snapshots.as_mut().unwrap(), "SnapshotId", "s-9", |x| {
                x["Status"] = json!("progressing");
            });
        },
        "DiskCreatingSnapshot",
    );
}

#[test]
fn preflight_rejects_a_source_snapshot_from_before_the_boundary_with_invalid_snapshot_too_old() {
    rejects(
        &BOTH,
        "d-2",
        Flags::default(),
        |d| {
            edit(d.snapshots.as_mut().unwrap(), "SnapshotId", "s-1", |x| {
                x["CreationTime"] = json!("2013-07-14T23:59Z");
            });
        },
        "InvalidSnapshot.TooOld",
    );
}

#[test]
fn preflight_puts_the_15_july_2013_on_the_side_of_each_revisions_boundary() {
    let mut docs = world();
    edit(docs.snapshots.as_mut().unwrap(), "SnapshotId", "s-1", |x| {
        x["CreationTime"] = json!("2013-07-15T10:00:00Z");
    });
    decided(
        &docs,
        "d-2",
        "seed",
        Flags::default(),
        Some("InvalidSnapshot.TooOld"),
    );
    decided(&docs, "d-2", "2025-02-27", Flags::default(), None);
}

#[test]
fn preflight_rejects_a_multi_attach_disk_under_2025_only() {
    let change = |d: &mut Docs| {
        edit(&mut d.disks, "DiskId", "d-2", |x| {
            x["MultiAttach"] = json!("Enabled")
        });
    };
    rejects(
        &["2025-02-27"],
        "d-2",
        Flags::default(),
        change,
        "InvalidOperation.MultiAttachDisk",
    );
    let mut docs = world();
    change(&mut docs);
    decided(&docs, "d-2", "seed", Flags::default(), None);
}

#[test]
fn preflight_rejects_a_hibernation_configured_instance_under_2025() {
    rejects(
        &["2025-02-27"],
        "d-1",
        Flags::default(),
        |d| {
            edit(&mut d.instances, "InstanceId", "i-1", |x| {
                x["HibernationOptions"]["Configured"] = json!(true);
            });
        },
        "HibernationConfigured.InstanceOperationForbidden",
    );
}

#[test]
fn preflight_rejects_an_instance_that_is_not_io_optimized_under_2025() {
    rejects(
        &["2025-02-27"],
        "d-1",
        Flags::default(),
        |d| {
            edit(&mut d.instances, "InstanceId", "i-1", |x| {
                x["IoOptimized"] = json!(false)
            })
        },
        "DependencyViolation.IoOptimize",
    );
}

#[test]
fn preflight_rejects_a_disk_with_an_instant_access_snapshot_under_2025() {
    rejects(
        &["2025-02-27"],
        "d-1",
        Flags::default(),
        |d| {
            edit(d.snapshots.as_mut().unwrap(), "SnapshotId", "s-9", |x| {
                x["InstantAccess"] = json!(true);
            });
        },
        "DiskHasSnapshotsWithInstantAccessEnabled.OperationNotSupported",
    );
}

#[test]
fn preflight_rejects_a_key_pair_a_complete_describe_key_pairs_does_not_list() {
    let flags = Flags {
        key_pair: Some("kp-gone"),
        ..Flags::default()
    };
    rejects(
        &["2025-02-27"],
        "d-1",
        flags,
        |_| {},
        "InvalidKeyPairName.NotFound",
    );
}

#[test]
fn preflight_rejects_a_key_pair_on_a_windows_instance_under_2025() {
    let flags = Flags {
        key_pair: Some("kp-1"),
        ..Flags::default()
    };
    rejects(
        &["2025-02-27"],
        "d-1",
        flags,
        |d| {
            edit(&mut d.instances, "InstanceId", "i-1", |x| {
                x["OSType"] = json!("windows")
            })
        },
        "DependencyViolation.WindowsInstance",
    );
}

#[test]
fn preflight_rejects_a_non_root_instance_whose_image_cannot_log_on_as_non_root() {
    rejects(
        &["2025-02-27"],
        "d-1",
        Flags::default(),
        |d| {
            edit(&mut d.instances, "InstanceId", "i-1", |x| {
                x["ImageOptions"]["LoginAsNonRoot"] = json!(true);
            });
            edit(d.images.as_mut().unwrap(), "ImageId", "m-1", |x| {
                x["LoginAsNonRootSupported"] = json!(false);
            });
        },
        "LoginAsNonRoot.ImageNotSupport",
    );
}

// ------------------------------------------------------- unknown facts

/// The facts named in an outcome's `When`.
fn when(outcome: &Value) -> Vec<(String, String)> {
    outcome["When"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["Fact"].as_str().unwrap().to_owned(),
                w["Value"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn preflight_reports_unknown_image_with_every_code_it_could_lead_to() {
    let mut docs = world();
    docs.images = None;
    let report = preflight(&docs, "d-1", &["--revision", "seed"]);
    assert_eq!(report["Known"], false);
    assert_eq!(
        report["Unknown"],
        json!([{"Fact": "image m-1", "Why": "no --images response",
                "Values": ["exists", "deleted (public)", "deleted, shared by another account", "deleted (not shared)"]}])
    );
    assert_eq!(
        outcome_codes(&report),
        codes(&[
            Some("InvalidDiskId.OperationNotSupported"),
            Some("SharedImageDeleted"),
            None
        ])
    );
    assert_eq!(
        when(outcome(&report, Some("SharedImageDeleted"))),
        [(
            "image m-1".to_owned(),
            "deleted, shared by another account".to_owned()
        )]
    );
    // The image is assumed to exist in the explanation.
    assert_eq!(report["Decision"]["Accepted"], true);
}

#[test]
fn preflight_reports_an_image_missing_from_describe_images_as_unknown_too() {
    let mut docs = world();
    docs.images = Some(vec![
        json!({"ImageId": "m-other", "ImageOwnerAlias": "self"}),
    ]);
    let report = preflight(&docs, "d-1", &["--revision", "2025-02-27"]);
    let unknown = &report["Unknown"][0];
    assert_eq!(unknown["Fact"], "image m-1");
    assert!(
        unknown["Why"]
            .as_str()
            .unwrap()
            .contains("does not list it")
    );
    assert_eq!(
        outcome_codes(&report),
        codes(&[
            Some("InvalidDiskId.OperationNotSupported"),
            Some("SharedImageDeleted"),
            None
        ])
    );
}

#[test]
fn preflight_reports_the_unlisted_instance_of_an_in_use_disk_with_every_code_it_could_lead_to() {
    let mut docs = world();
    docs.instances = vec![];
    let report = preflight(&docs, "d-1", &["--revision", "seed"]);
    let facts: Vec<&str> = report["Unknown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["Fact"].as_str().unwrap())
        .collect();
    assert_eq!(
        facts,
        ["instance i-1 Status", "instance i-1 OperationLocks"]
    );
    assert_eq!(
        outcome_codes(&report),
        codes(&[
            Some("InstanceLockedForSecurity"),
            Some("InstanceExpiredOrInArrears"),
            Some("IncorrectInstanceStatus"),
            None
        ])
    );
    assert_eq!(
        when(outcome(&report, Some("IncorrectInstanceStatus"))),
        [(
            "instance i-1 Status".to_owned(),
            "Pending (or any status but Stopped)".to_owned()
        )]
    );
    // 2 statuses x 3 lock sets.
    let situations: u64 = report["Outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["Situations"].as_u64().unwrap())
        .sum();
    assert_eq!(situations, 6);
}

#[test]
fn preflight_reports_the_2025_instance_facts_of_an_unlisted_instance() {
    let mut docs = world();
    docs.instances = vec![];
    let report = preflight(
        &docs,
        "d-1",
        &["--revision", "2025-02-27", "--key-pair-name", "kp-1"],
    );
    let all = outcome_codes(&report);
    for code in [
        "InstanceLockedForSecurity",
        "InstanceExpiredOrInArrears",
        "IncorrectInstanceStatus",
        "HibernationConfigured.InstanceOperationForbidden",
        "DependencyViolation.IoOptimize",
        "DependencyViolation.WindowsInstance",
    ] {
        assert!(all.contains(&Some(code.to_owned())), "{code}: {all:?}");
    }
    assert!(all.contains(&None));
    // The image is listed, so its non-root support is known (true): an
    // instance that logs on as non-root is still accepted.
    assert!(!all.contains(&Some("LoginAsNonRoot.ImageNotSupport".to_owned())));
}

#[test]
fn preflight_reports_an_unknown_source_snapshot_with_every_code_it_could_lead_to() {
    let mut docs = world();
    docs.snapshots = None;
    let report = preflight(&docs, "d-2", &["--revision", "seed"]);
    assert_eq!(
        outcome_codes(&report),
        codes(&[
            Some("DiskCreatingSnapshot"),
            Some("InvalidSourceSnapshot"),
            Some("InvalidSnapshot.TooOld"),
            None
        ])
    );
    assert_eq!(
        when(outcome(&report, Some("InvalidSnapshot.TooOld"))),
        [(
            "snapshot s-1".to_owned(),
            "exists, created before 2013-07-16T00:00:00Z (too old)".to_owned()
        )]
    );
    // Three situations end so; the simplest changes one fact only.
    let creating = outcome(&report, Some("DiskCreatingSnapshot"));
    assert_eq!(creating["Situations"], 3);
    assert_eq!(
        when(creating),
        [(
            "a snapshot of disk d-2 is being created".to_owned(),
            "yes".to_owned()
        )]
    );
    let report = preflight(&docs, "d-2", &["--revision", "2025-02-27"]);
    assert_eq!(
        outcome_codes(&report),
        codes(&[
            Some("DiskCreatingSnapshot"),
            Some("DiskHasSnapshotsWithInstantAccessEnabled.OperationNotSupported"),
            Some("InvalidSourceSnapshot"),
            Some("InvalidSnapshot.TooOld"),
            None
        ])
    );
    assert_eq!(
        when(outcome(&report, Some("InvalidSnapshot.TooOld"))),
        [(
            "snapshot s-1".to_owned(),
            "exists, created before 2013-07-15T00:00:00Z (too old)".to_owned()
        )]
    );
}

#[test]
fn preflight_reports_a_missing_creation_time_on_both_sides_of_the_revisions_boundary() {
    let mut docs = world();
    edit(docs.snapshots.as_mut().unwrap(), "SnapshotId", "s-1", |x| {
        x.as_object_mut().unwrap().remove("CreationTime");
    });
    for (revision, boundary) in [
        ("seed", "2013-07-16T00:00:00Z"),
        ("2025-02-27", "2013-07-15T00:00:00Z"),
    ] {
        let report = preflight(&docs, "d-2", &["--revision", revision]);
        assert_eq!(report["Unknown"][0]["Fact"], "snapshot s-1 CreationTime");
        assert_eq!(
            report["Unknown"][0]["Values"],
            json!([
                format!("on or after {boundary}"),
                format!("before {boundary} (too old)")
            ])
        );
        assert_eq!(
            outcome_codes(&report),
            codes(&[Some("InvalidSnapshot.TooOld"), None]),
            "{revision}"
        );
    }
}

#[test]
fn preflight_reports_every_kms_code_for_an_encrypted_disk_as_no_response_shows_the_key() {
    let mut docs = world();
    edit(&mut docs.disks, "DiskId", "d-2", |x| {
        x["Encrypted"] = json!(true);
        x["KMSKeyId"] = json!("key-1");
    });
    let report = preflight(&docs, "d-2", &["--revision", "2025-02-27"]);
    assert_eq!(report["Unknown"][0]["Fact"], "KMS key key-1 of disk d-2");
    assert_eq!(
        outcome_codes(&report),
        codes(&[
            Some("InvalidParameter.KMSKeyId.CMKNotEnabled"),
            Some("InvalidParameter.KMSKeyId.KMSUnauthorized"),
            Some("InvalidParameter.KMSKeyId.CMKUnauthorized"),
            None
        ])
    );
    // The seed revision does not read encryption: decided, accepted.
    decided(&docs, "d-2", "seed", Flags::default(), None);
}

#[test]
fn preflight_reports_a_key_pair_without_describe_key_pairs_as_unknown() {
    let mut docs = world();
    docs.key_pairs = None;
    let report = preflight(
        &docs,
        "d-1",
        &["--revision", "2025-02-27", "--key-pair-name", "kp-1"],
    );
    assert_eq!(
        outcome_codes(&report),
        codes(&[Some("InvalidKeyPairName.NotFound"), None])
    );
}

#[test]
fn preflight_reads_a_response_whose_total_count_exceeds_its_page_as_incomplete() {
    let mut docs = world();
    docs.key_pairs = Some(vec![json!({"KeyPairName": "kp-other"})]);
    let mut args = vec![
        "preflight".to_owned(),
        "--format".to_owned(),
        "json".to_owned(),
        "--disk-id".to_owned(),
        "d-1".to_owned(),
        "--revision".to_owned(),
        "2025-02-27".to_owned(),
        "--key-pair-name".to_owned(),
        "kp-1".to_owned(),
    ];
    let mut given = docs.clone();
    given.key_pairs = None;
    args.extend(given.args());
    let mut page = response("KeyPairs", "KeyPair", docs.key_pairs.as_ref().unwrap());
    page["TotalCount"] = json!(120);
    args.push("--key-pairs".to_owned());
    args.push(write(&case_dir(), "kp.json", &page.to_string()));
    let out = run_owned(&args);
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["Unknown"][0]["Fact"], "key pair kp-1");
    assert_eq!(
        outcome_codes(&report),
        codes(&[Some("InvalidKeyPairName.NotFound"), None])
    );
}

#[test]
fn preflight_reads_missing_fields_of_a_listed_disk_as_unknown() {
    let mut docs = world();
    edit(&mut docs.disks, "DiskId", "d-2", |x| {
        let o = x.as_object_mut().unwrap();
        o.remove("Category");
        o.remove("OperationLocks");
    });
    let report = preflight(&docs, "d-2", &["--revision", "seed"]);
    assert_eq!(
        outcome_codes(&report),
        codes(&[
            Some("DiskCategory.OperationNotSupported"),
            Some("InstanceExpiredOrInArrears"),
            None
        ])
    );
}

#[test]
fn preflight_shows_the_simplest_situation_leading_to_each_code() {
    // Both the image and the instance are unknown: SharedImageDeleted
    // needs only the image changed, whatever the instance.
    let mut docs = world();
    docs.images = None;
    docs.instances = vec![];
    let report = preflight(&docs, "d-1", &["--revision", "seed"]);
    assert_eq!(
        when(outcome(&report, Some("SharedImageDeleted"))),
        [(
            "image m-1".to_owned(),
            "deleted, shared by another account".to_owned()
        )]
    );
    assert_eq!(when(outcome(&report, None)), []);
}

#[test]
fn preflight_decides_every_situation_of_the_worst_case_within_the_documented_bound() {
    let docs = Docs {
        disks: vec![
            json!({"DiskId": "d-1", "Type": "system", "ImageId": "m-1", "InstanceId": "i-1"}),
        ],
        instances: vec![],
        images: None,
        snapshots: None,
        key_pairs: None,
    };
    let report = preflight(
        &docs,
        "d-1",
        &[
            "--revision",
            "2025-02-27",
            "--key-pair-name",
            "kp",
            "--password-given",
        ],
    );
    let situations: u64 = report["Outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["Situations"].as_u64().unwrap())
        .sum();
    // docs/cli.md: "it is 307,200".
    assert_eq!(situations, 307_200);
    let doc = std::fs::read_to_string(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("docs/cli.md"),
    )
    .unwrap();
    assert!(doc.contains("it is 307,200"));
}

// ------------------------------------------------------ the text output

#[test]
fn preflight_text_prints_the_explanation_then_the_unknown_facts_and_outcomes() {
    let mut docs = world();
    docs.images = None;
    let mut args = vec![
        "preflight".to_owned(),
        "--disk-id".to_owned(),
        "d-1".to_owned(),
        "--revision".to_owned(),
        "seed".to_owned(),
    ];
    args.extend(docs.args());
    let out = run_owned(&args);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("Preflight of disk d-1 (revision seed): 1 fact the rules read is unknown; 4 situations decided, 3 possible outcomes."));
    let at = |prefix: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix}: {text}"))
    };
    assert!(at("Request:") < at("Decision: accepted"));
    assert!(at("Decision:") < at("Unknown facts"));
    assert!(at("Unknown facts") < at("Possible outcomes"));
    assert!(text.contains(
        "  - rejected (403) by check source-image-exists: SharedImageDeleted, in 1 of 4 situations, when image m-1: deleted, shared by another account\n"
    ));
}

#[test]
fn preflight_text_with_every_fact_known_is_the_explanation_explain_prints() {
    let docs = world();
    let mut args = vec![
        "preflight".to_owned(),
        "--disk-id".to_owned(),
        "d-1".to_owned(),
        "--revision".to_owned(),
        "2025-02-27".to_owned(),
    ];
    args.extend(docs.args());
    let out = run_owned(&args);
    let text = String::from_utf8(out.stdout).unwrap();
    let scenario = equivalent_scenario(&docs, "d-1", "2025-02-27", None, false, false);
    let explained = cli::run(&["explain"], scenario.to_string().as_bytes());
    let explained = String::from_utf8(explained.stdout).unwrap();
    let body: Vec<&str> = text
        .lines()
        .skip(1)
        .take(explained.lines().count())
        .collect();
    assert_eq!(body, explained.lines().collect::<Vec<_>>());
}

// -------------------------------------------------------------- secrets

#[test]
fn preflight_never_takes_a_password_value_nor_echoes_one() {
    let docs = world();
    for bad in [
        vec!["--password-given=hunter2-Secret"],
        vec!["--password-given", "hunter2-Secret"],
    ] {
        let mut args = vec![
            "preflight".to_owned(),
            "--disk-id".to_owned(),
            "d-1".to_owned(),
        ];
        args.extend(bad.iter().map(|s| (*s).to_owned()));
        args.extend(docs.args());
        let err = refused(&args);
        assert!(!err.contains("hunter2"), "{err}");
        assert!(err.contains("--password-given takes no value"), "{err}");
    }
    let mut args = vec![
        "preflight".to_owned(),
        "--disk-id".to_owned(),
        "d-1".to_owned(),
        "--password-given".to_owned(),
        "--revision".to_owned(),
        "2025-02-27".to_owned(),
    ];
    args.extend(docs.args());
    let out = run_owned(&args);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Password=(given, not shown)"), "{text}");
    assert!(!text.contains("Preflight-Assumed"), "{text}");
    assert!(text.contains("the password is well-formed"), "{text}");
}

// -------------------------------------------------------- bad input

#[test]
fn preflight_refuses_a_file_that_is_not_json_naming_it() {
    let dir = case_dir();
    let bad = write(&dir, "disks.txt", "Disks: d-1\n");
    let mut args = vec![
        "preflight".to_owned(),
        "--disk-id".to_owned(),
        "d-1".to_owned(),
    ];
    let docs = world();
    args.extend(docs.args());
    args[4] = bad.clone();
    let err = refused(&args);
    assert!(
        err.starts_with(&format!("reinit-disk: {bad}: not valid JSON")),
        "{err}"
    );
    assert!(err.contains("expected a DescribeDisks response"), "{err}");
}

#[test]
fn preflight_refuses_a_describe_instances_response_given_as_disks() {
    let docs = world();
    let mut args = vec![
        "preflight".to_owned(),
        "--disk-id".to_owned(),
        "d-1".to_owned(),
    ];
    args.extend(docs.args());
    args[4] = args[6].clone();
    let err = refused(&args);
    assert!(err.contains(": .: no \"Disks\" field (this looks like a DescribeInstances response): expected a DescribeDisks response"), "{err}");
}

#[test]
fn preflight_refuses_responses_of_the_wrong_shape_with_the_json_path() {
    let dir = case_dir();
    let docs = world();
    for (text, path) in [
        // A list is a list of pages (answers): each an object.
        (
            r#"[1, 2]"#,
            "[0]: invalid type: integer `1`, expected a Describe* answer (an object)",
        ),
        (r#"[]"#, ".: an empty list of answers"),
        (
            r#"{"Disks": [{"DiskId": "d-1"}]}"#,
            "Disks: invalid type: sequence, expected an object {\"Disk\": [...]}",
        ),
        (
            r#"{"Disks": {"Disk": {"DiskId": "d-1"}}}"#,
            "Disks.Disk: invalid type: map, expected a sequence",
        ),
        (
            r#"{"Disks": {"Disk": ["d-1"]}}"#,
            "Disks.Disk[0]: invalid type: string \"d-1\", expected struct Disk",
        ),
        (
            r#"{"Disks": {"Disk": [{"DiskId": 7}]}}"#,
            "Disks.Disk[0].DiskId: invalid type: integer `7`, expected a string",
        ),
        (
            r#"{"Disks": {"Disk": [{"DiskId": "d-1", "Type": "system"}]}}"#,
            "Disks.Disk[0].ImageId: missing",
        ),
        (
            r#"{"Disks": {"Disk": [{"DiskId": "d-1"}]}}"#,
            "Disks.Disk[0].Type: missing",
        ),
        (
            r#"{"Disks": {"Disk": [{"DiskId": "d-1", "Type": "data", "Encrypted": "yes"}]}}"#,
            "Disks.Disk[0].Encrypted: invalid type: string \"yes\", expected a boolean",
        ),
        (
            r#"{"Disks": {"Disk": [{"DiskId": "d-1", "Type": "data", "OperationLocks": "none"}]}}"#,
            "Disks.Disk[0].OperationLocks: invalid type: string \"none\", expected struct DiskOperationLocks",
        ),
        (
            r#"{"TotalCount": "2", "Disks": {"Disk": []}}"#,
            "TotalCount: invalid type: string \"2\", expected u64",
        ),
        (
            r#"{"Code": "Forbidden.RAM", "Message": "..."}"#,
            ".: an ECS error answer (Code \"Forbidden.RAM\"): expected a DescribeDisks response",
        ),
        (
            r#"{"Disks": {"Disk": []}, "Instances": {"Instance": []}}"#,
            ".: an object with several lists (Disks, Instances)",
        ),
        (
            r#"[{"Disks": {"Disk": []}}, {"Instances": {"Instance": []}}]"#,
            "a DescribeInstances page among the DescribeDisks pages",
        ),
    ] {
        let mut args = vec![
            "preflight".to_owned(),
            "--disk-id".to_owned(),
            "d-1".to_owned(),
        ];
        args.extend(docs.args());
        args[4] = write(&dir, "shape.json", text);
        let err = refused(&args);
        assert!(
            err.contains(&format!("shape.json: {path}")),
            "{text}: {err}"
        );
    }
}

#[test]
fn preflight_refuses_an_unknown_enum_value_with_the_path_and_the_accepted_values() {
    let mut docs = world();
    edit(&mut docs.disks, "DiskId", "d-1", |x| {
        x["Status"] = json!("Weird")
    });
    let err = refused_docs(&docs, "d-1");
    assert!(err.contains("disks.json: Disks.Disk[0].Status: \"Weird\" is not a disk Status: expected one of In_use, Available, Attaching, Detaching, Creating, ReIniting"), "{err}");

    let mut docs = world();
    edit(&mut docs.instances, "InstanceId", "i-1", |x| {
        x["OperationLocks"] = json!({"LockReason": [{"LockReason": "Weird"}]});
    });
    let err = refused_docs(&docs, "d-1");
    assert!(err.contains("instances.json: Instances.Instance[0].OperationLocks.LockReason[0].LockReason: \"Weird\" is not a lock reason: expected one of security, financial, recycling, dedicatedhostfinancial, refunded"), "{err}");

    let mut docs = world();
    edit(docs.snapshots.as_mut().unwrap(), "SnapshotId", "s-9", |x| {
        x["Status"] = json!("done");
    });
    let err = refused_docs(&docs, "d-1");
    assert!(err.contains("Snapshots.Snapshot[1].Status: \"done\" is not a snapshot Status: expected one of progressing, accomplished, failed"), "{err}");
}

#[test]
fn preflight_ignores_strange_values_in_records_it_does_not_read() {
    let mut docs = world();
    // Another disk's status, and fields no rule reads.
    edit(&mut docs.disks, "DiskId", "d-2", |x| {
        x["Status"] = json!("Weird")
    });
    edit(&mut docs.disks, "DiskId", "d-1", |x| {
        x["Future"] = json!({"Deep": [[[{"x": null}]]]});
    });
    decided(&docs, "d-1", "seed", Flags::default(), None);
    // A field of the SDK's record holding the wrong type is refused, even
    // one no rule reads: the record is read whole, as the SDK types it.
    edit(&mut docs.disks, "DiskId", "d-1", |x| {
        x["Size"] = json!("forty")
    });
    let err = refused_docs(&docs, "d-1");
    assert!(
        err.contains(
            "disks.json: Disks.Disk[0].Size: invalid type: string \"forty\", expected i64"
        ),
        "{err}"
    );
}

#[test]
fn preflight_refuses_a_disk_id_not_in_the_disks_response_listing_those_it_has() {
    let err = refused_docs(&world(), "d-404");
    assert!(
        err.contains("disks.json: Disks.Disk: no disk \"d-404\" (it lists \"d-1\", \"d-2\")"),
        "{err}"
    );
}

#[test]
fn preflight_refuses_an_id_given_twice_in_a_response_naming_both_places() {
    let mut docs = world();
    docs.instances.push(instance());
    let err = refused_docs(&docs, "d-1");
    assert!(err.contains("instances.json: Instances.Instance[1].InstanceId: duplicate id \"i-1\" (also Instances.Instance[0])"), "{err}");
    let mut docs = world();
    let mut d = system_disk();
    d["DiskId"] = json!("");
    docs.disks.push(d);
    let err = refused_docs(&docs, "d-1");
    assert!(
        err.contains("Disks.Disk[2].DiskId: an id cannot be empty"),
        "{err}"
    );
}

#[test]
fn preflight_refuses_a_field_given_twice_in_a_record_it_reads() {
    let dir = case_dir();
    let docs = world();
    let mut args = vec![
        "preflight".to_owned(),
        "--disk-id".to_owned(),
        "d-1".to_owned(),
    ];
    args.extend(docs.args());
    args[4] = write(
        &dir,
        "twice.json",
        r#"{"Disks": {"Disk": [{"DiskId": "d-1", "Type": "data", "Status": "In_use", "Status": "Available", "Size": 1, "Size": 2}]}}"#,
    );
    let err = refused(&args);
    assert!(
        err.contains("twice.json: Disks.Disk[0]: duplicate field `Status`"),
        "{err}"
    );
}

#[test]
fn preflight_refuses_a_missing_file_naming_its_flag_and_path() {
    let mut args = vec![
        "preflight".to_owned(),
        "--disk-id".to_owned(),
        "d-1".to_owned(),
    ];
    let mut docs = world();
    docs.images = None;
    args.extend(docs.args());
    args.push("--images".to_owned());
    args.push("/nonexistent/images.json".to_owned());
    let err = refused(&args);
    assert!(
        err.starts_with("reinit-disk: --images: cannot read /nonexistent/images.json: "),
        "{err}"
    );
}

#[test]
fn preflight_skips_huge_numbers_in_unknown_fields_and_refuses_those_in_the_records() {
    let dir = case_dir();
    let docs = world();
    // Fields the SDK's record does not have are skipped unread.
    let disks = r#"{"TotalCount": 1, "Disks": {"Disk": [{"DiskId": "d-1", "Type": "system", "ImageId": "m-1", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-1", "FutureSize": 1e400, "FutureIOPS": 123456789012345678901234567890, "FutureThroughput": -1e999}]}}"#;
    let mut args = vec![
        "preflight".to_owned(),
        "--format".to_owned(),
        "json".to_owned(),
        "--disk-id".to_owned(),
        "d-1".to_owned(),
    ];
    args.extend(docs.args());
    args[6] = write(&dir, "huge.json", disks);
    let out = run_owned(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // In a field of the record, read or not, they are refused at the path.
    for (text, path) in [
        (
            r#"{"Disks": {"Disk": [{"DiskId": "d-1", "Type": "data", "Status": 1e400}]}}"#,
            "Disks.Disk[0].Status: a number too large to read",
        ),
        (
            r#"{"Disks": {"Disk": [{"DiskId": "d-1", "Type": "data", "Size": 1e400}]}}"#,
            "Disks.Disk[0].Size: a number too large to read",
        ),
        (
            r#"{"Disks": {"Disk": [{"DiskId": "d-1", "Type": "data", "IOPS": 123456789012345678901234567890}]}}"#,
            "Disks.Disk[0].IOPS: invalid type: floating point `1.2345678901234568e+29`, expected i64",
        ),
        (
            r#"{"TotalCount": 1e30, "Disks": {"Disk": []}}"#,
            "TotalCount: invalid type: floating point `1e+30`, expected u64",
        ),
        (
            r#"{"Disks": {"Disk": [{"DiskId": "d-1", "Type": "data", "Status": 12345678901234567890123}]}}"#,
            "Disks.Disk[0].Status: invalid type: floating point",
        ),
    ] {
        args[6] = write(&dir, "huge.json", text);
        let err = refused(&args);
        assert!(err.contains(&format!("huge.json: {path}")), "{text}: {err}");
    }
}

#[test]
fn preflight_decides_despite_deep_nesting_in_fields_it_does_not_read() {
    let dir = case_dir();
    let docs = world();
    let deep = format!(
        r#"{{"Disks": {{"Disk": [{{"DiskId": "d-1", "Type": "data", "Junk": {}{}}}]}}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let mut args = vec![
        "preflight".to_owned(),
        "--disk-id".to_owned(),
        "d-1".to_owned(),
    ];
    args.extend(docs.args());
    args[4] = write(&dir, "deep.json", &deep);
    let out = run_owned(&args);
    // Skipped unread: decided.
    assert_eq!(out.status.code(), Some(0), "{out:?}");
}

#[test]
fn preflight_handles_odd_unicode_in_ids_and_escapes_it_in_errors() {
    let odd = "d-\u{202e}1\u{7}\u{1F4BE}\n";
    let mut docs = world();
    edit(&mut docs.disks, "DiskId", "d-2", |x| {
        x["DiskId"] = json!(odd)
    });
    let report = preflight(&docs, odd, &["--revision", "seed"]);
    assert_eq!(report["Decision"]["Target"]["DiskId"], odd);
    assert_eq!(report["Decision"]["Accepted"], true);

    let err = refused_docs(&world(), "d-\u{202e}404\u{7}\n");
    assert!(err.contains(r#"no disk "d-\u{202e}404\u{7}\n""#), "{err}");
}

#[test]
fn preflight_skips_a_byte_order_mark_at_the_start_of_a_response() {
    let dir = case_dir();
    let docs = world();
    let mut args = vec![
        "preflight".to_owned(),
        "--format".to_owned(),
        "json".to_owned(),
        "--disk-id".to_owned(),
        "d-1".to_owned(),
    ];
    args.extend(docs.args());
    let with_bom = format!("\u{feff}{}", response("Disks", "Disk", &docs.disks));
    args[6] = write(&dir, "bom.json", &with_bom);
    let out = run_owned(&args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ------------------------------------------------ help, docs, examples

#[test]
fn preflight_help_states_the_exit_statuses_and_its_example_is_in_docs_cli_md() {
    let out = run(&["preflight", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("Exits 0 when decided (accepted, rejected, or several outcomes possible), 2 if a response cannot be used, 1 if the output cannot be written"), "{help}");
    let examples: Vec<&str> = help
        .lines()
        .skip_while(|l| !l.starts_with("Example"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(str::trim)
        .collect();
    assert!(!examples.is_empty());
    let doc = std::fs::read_to_string(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("docs/cli.md"),
    )
    .unwrap();
    for example in examples {
        assert!(example.starts_with("reinit-disk preflight "));
        // Not a path into the checkout.
        assert!(!example.contains("examples/"), "{example}");
        assert!(doc.contains(example), "not in docs/cli.md: {example}");
    }
    assert!(doc.contains("## `preflight`"));
    assert!(doc.contains("$ reinit-disk preflight "));
}

#[test]
fn the_shipped_describe_examples_are_real_response_shapes_and_decide_both_disks() {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("examples/describe");
    for (file, outer, inner) in [
        ("DescribeDisks.json", "Disks", "Disk"),
        ("DescribeInstances.json", "Instances", "Instance"),
        ("DescribeImages.json", "Images", "Image"),
        ("DescribeSnapshots.json", "Snapshots", "Snapshot"),
        ("DescribeKeyPairs.json", "KeyPairs", "KeyPair"),
    ] {
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap();
        for field in ["RequestId", "TotalCount", "PageNumber", "PageSize"] {
            assert!(doc.get(field).is_some(), "{file}: {field}");
        }
        let records = doc[outer][inner].as_array().unwrap();
        assert_eq!(doc["TotalCount"].as_u64().unwrap(), records.len() as u64);
        for record in records {
            assert!(record.as_object().unwrap().len() >= 4, "{file}");
        }
    }
    let path = |f: &str| dir.join(f).to_str().unwrap().to_owned();
    for (disk, revision) in [
        ("d-bp67acfmxazb4p0001", "2025-02-27"),
        ("d-bp67acfmxazb4p0002", "seed"),
        ("d-bp67acfmxazb4p0002", "2025-02-27"),
    ] {
        let args = [
            "preflight".to_owned(),
            "--format".to_owned(),
            "json".to_owned(),
            "--disk-id".to_owned(),
            disk.to_owned(),
            "--revision".to_owned(),
            revision.to_owned(),
            "--disks".to_owned(),
            path("DescribeDisks.json"),
            "--instances".to_owned(),
            path("DescribeInstances.json"),
            "--images".to_owned(),
            path("DescribeImages.json"),
            "--snapshots".to_owned(),
            path("DescribeSnapshots.json"),
            "--key-pairs".to_owned(),
            path("DescribeKeyPairs.json"),
        ];
        let out = run_owned(&args);
        assert_eq!(out.status.code(), Some(0));
        let report: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["Known"], true, "{disk} {revision}: {report:#}");
        assert_eq!(report["Decision"]["Accepted"], true, "{report:#}");
    }
}

#[test]
fn preflight_refuses_an_in_use_disk_that_names_no_instance() {
    let mut docs = world();
    edit(&mut docs.disks, "DiskId", "d-2", |x| {
        x["InstanceId"] = json!("")
    });
    let err = refused_docs(&docs, "d-2");
    assert!(
        err.contains("disks.json: Disks.Disk[1].InstanceId: missing: a disk whose Status is In_use is attached"),
        "{err}"
    );
}

#[test]
fn preflight_takes_a_multi_attach_disks_instance_from_its_first_attachment() {
    let mut docs = world();
    edit(&mut docs.disks, "DiskId", "d-2", |x| {
        x["InstanceId"] = json!("");
        x["MultiAttach"] = json!("Enabled");
        x["Attachments"] = json!({"Attachment": [{"InstanceId": "i-1", "Device": "/dev/vdb"}]});
    });
    let report = preflight(&docs, "d-2", &["--revision", "seed"]);
    assert_eq!(report["Known"], true, "{report:#}");
    assert_eq!(report["Decision"]["Target"]["InstanceId"], "i-1");
    let report = preflight(&docs, "d-2", &["--revision", "2025-02-27"]);
    assert_eq!(
        report["Decision"]["Code"],
        "InvalidOperation.MultiAttachDisk"
    );
}

#[test]
fn preflight_refuses_any_word_after_password_given_that_is_not_an_option_without_showing_it() {
    let docs = world();
    for word in [
        "-Secret-1",
        "--Secret-1",
        "Secret-1",
        "--password-given=Secret-1",
    ] {
        let mut args = vec![
            "preflight".to_owned(),
            "--disk-id".to_owned(),
            "d-1".to_owned(),
            "--password-given".to_owned(),
            word.to_owned(),
        ];
        args.extend(docs.args());
        let err = refused(&args);
        assert!(!err.contains("Secret"), "{err}");
    }
    // Every option of preflight may follow it.
    let help = String::from_utf8(run(&["preflight", "--help"]).stdout).unwrap();
    let options: Vec<&str> = help
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix("-h, ").unwrap_or(l);
            l.starts_with("--")
                .then(|| l.split([' ', ',']).next().unwrap())
        })
        .collect();
    assert!(options.len() >= 14, "{options:?}");
    for option in options {
        let mut args = vec!["preflight".to_owned()];
        args.extend(docs.args());
        args.extend(["--password-given".to_owned(), option.to_owned()]);
        let out = run_owned(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("takes no value"), "{option}: {err}");
    }
}

#[test]
fn preflight_reads_a_missing_status_as_unknown_only_for_a_disk_that_names_an_instance() {
    let mut docs = world();
    edit(&mut docs.disks, "DiskId", "d-2", |x| {
        x.as_object_mut().unwrap().remove("Status");
    });
    let report = preflight(&docs, "d-2", &["--revision", "seed"]);
    assert_eq!(report["Unknown"][0]["Fact"], "disk d-2 Status");
    assert_eq!(
        outcome_codes(&report),
        codes(&[Some("IncorrectDiskStatus"), None])
    );
    edit(&mut docs.disks, "DiskId", "d-2", |x| {
        x["InstanceId"] = json!("")
    });
    let report = preflight(&docs, "d-2", &["--revision", "seed"]);
    assert_eq!(report["Known"], true, "{report:#}");
    assert_eq!(report["Decision"]["Code"], "IncorrectDiskStatus");
}

#[test]
fn preflight_takes_an_unknown_facts_values_from_the_classes_the_checks_declare() {
    // The category's values: one category of each side of the policy's
    // UnsupportedCategories, as the library's analysis space has them; the
    // instance's lock reasons likewise.
    let mut docs = world();
    edit(&mut docs.disks, "DiskId", "d-2", |x| {
        let o = x.as_object_mut().unwrap();
        o.remove("Category");
    });
    docs.instances = vec![];
    for revision in ["seed", "2025-02-27"] {
        let report = preflight(&docs, "d-2", &["--revision", revision]);
        let policy = reinit_disk::Policy::new(reinit_disk::Revision::by_name(revision).unwrap());
        let space = reinit_disk::analysis::Space::new(&[policy]);
        let axis = space
            .axis(reinit_disk::checks::Fact::Category, None)
            .unwrap();
        let wanted: Vec<String> = space.axes()[axis]
            .classes
            .iter()
            .map(|c| match c {
                reinit_disk::analysis::Class::Category(c) => c.to_string(),
                other => panic!("{other:?}"),
            })
            .collect();
        let unknowns = report["Unknown"].as_array().unwrap();
        let category = unknowns
            .iter()
            .find(|u| u["Fact"] == "disk d-2 Category")
            .unwrap();
        assert_eq!(category["Values"], json!(wanted), "{revision}");
        let locks = unknowns
            .iter()
            .find(|u| u["Fact"] == "instance i-1 OperationLocks")
            .unwrap();
        assert_eq!(
            locks["Values"],
            json!([
                "none",
                "security",
                "financial (or any overdue-payment lock)"
            ]),
            "{revision}"
        );
    }
}

/// An id holding a terminal escape and a newline (from a Describe*
/// response or the command line) reaches the text report escaped: it can
/// neither colour the terminal nor forge a line (issue 21).
#[test]
fn preflight_text_escapes_control_characters_from_ids() {
    let hostile = "d-1\u{1b}[31m\nForged: line";
    let mut docs = world();
    let mut disk = system_disk();
    disk["DiskId"] = json!(hostile);
    docs.disks = vec![disk];
    let mut args: Vec<String> = ["preflight", "--disk-id", hostile]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    args.extend(docs.args());
    let out = run_owned(&args);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("d-1\\u{1b}[31m\\u{a}Forged"), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "{stdout:?}");
    assert!(!stdout.lines().any(|l| l.starts_with("Forged")), "{stdout}");
}
