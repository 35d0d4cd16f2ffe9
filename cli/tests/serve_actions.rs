//! `reinit-disk serve` over HTTP: DryRun on every action whose SDK request
//! model has one, StopInstance's StoppedMode, RebootInstance,
//! DescribeInstanceStatus and DescribeInstanceAttribute, the one state
//! machine (no start while a disk re-inits; a stale auto-start never
//! overrides a later stop), and DescribeDisks/DescribeInstances filters and
//! paging (a 1,200-disk fleet paged by token and by page, each disk seen
//! once). Every server binds 127.0.0.1 with a free port and a manual clock.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use std::collections::HashSet;

use common::http::Server;
use serde_json::{Value, json};

const WORLD: &str = "examples/serve-world.json";

fn get(server: &Server, query: &str) -> (u16, Value) {
    let reply = server.get(&format!("{query}&Format=JSON"));
    let body = reply.json();
    (reply.status, body)
}

fn instance(server: &Server, id: &str) -> Value {
    let (status, body) = get(
        server,
        &format!("Action=DescribeInstances&InstanceIds=%5B%22{id}%22%5D"),
    );
    assert_eq!(status, 200, "{body}");
    body["Instances"]["Instance"][0].clone()
}

fn disk(server: &Server, id: &str) -> Value {
    let (status, body) = get(
        server,
        &format!("Action=DescribeDisks&DiskIds=%5B%22{id}%22%5D"),
    );
    assert_eq!(status, 200, "{body}");
    body["Disks"]["Disk"][0].clone()
}

fn assert_error(server: &Server, query: &str, status: u16, code: &str, message: &str) {
    let (got, body) = get(server, query);
    assert_eq!(
        (got, body["Code"].as_str(), body["Message"].as_str()),
        (status, Some(code), Some(message)),
        "{query}: {body}"
    );
}

const DRY_RUN: &str = "Request validation has been passed with DryRun flag set.";

#[test]
fn a_dry_run_answers_dry_run_operation_and_changes_nothing_or_answers_its_error() {
    let server = Server::start(&["--world", WORLD]);
    let before = server.request("GET", "/_reinit-disk/state", &[], b"").body;
    for query in [
        "Action=StopInstance&InstanceId=i-1&DryRun=true",
        "Action=StartInstance&InstanceId=i-2&DryRun=true",
        "Action=RebootInstance&InstanceId=i-1&DryRun=True",
        "Action=DescribeDisks&DryRun=true",
        "Action=DescribeInstances&DryRun=true",
    ] {
        assert_error(&server, query, 400, "DryRunOperation", DRY_RUN);
    }
    server.advance(10.0);
    let after = server.request("GET", "/_reinit-disk/state", &[], b"").body;
    assert_eq!(before, after, "a dry run changed the world");
    // One that would fail answers the error it would get.
    assert_error(
        &server,
        "Action=StopInstance&InstanceId=i-2&DryRun=true",
        403,
        "IncorrectInstanceStatus",
        "The current status of the resource does not support this operation.",
    );
    assert_error(
        &server,
        "Action=RebootInstance&InstanceId=i-404&DryRun=true",
        404,
        "InvalidInstanceId.NotFound",
        "The specified InstanceId does not exist.",
    );
    assert_error(
        &server,
        "Action=DescribeDisks&DryRun=true&PageSize=101",
        400,
        "InvalidParam.PageSize",
        "The specified parameter is invalid.",
    );
    assert_error(
        &server,
        "Action=StartInstance&InstanceId=i-2&DryRun=maybe",
        400,
        "InvalidParameter",
        "The specified parameter \"DryRun\" is not valid.",
    );
    // DryRun=false does the real thing; ReInitDisk's model has no DryRun,
    // so it is not read there (the request is decided as without it).
    let (status, _) = get(&server, "Action=StopInstance&InstanceId=i-1&DryRun=false");
    assert_eq!(status, 200);
    assert_eq!(instance(&server, "i-1")["Status"], "Stopping");
    let (status, body) = get(
        &server,
        "Action=DescribeInstanceAttribute&InstanceId=i-1&DryRun=true",
    );
    assert_eq!(
        (status, &body["InstanceId"]),
        (200, &json!("i-1")),
        "{body}"
    );
}

#[test]
fn stop_keeps_its_stopped_mode_which_describe_shows_while_stopped() {
    let server = Server::start(&["--world", WORLD]);
    assert_eq!(instance(&server, "i-1")["StoppedMode"], "Not-applicable");
    assert_eq!(instance(&server, "i-2")["StoppedMode"], "KeepCharging");
    assert_error(
        &server,
        "Action=StopInstance&InstanceId=i-1&StoppedMode=Cheap",
        400,
        "InvalidParameter",
        "The specified parameter \"StoppedMode\" is not valid.",
    );
    let (status, _) = get(
        &server,
        "Action=StopInstance&InstanceId=i-1&StoppedMode=StopCharging&ForceStop=true",
    );
    assert_eq!(status, 200);
    assert_eq!(instance(&server, "i-1")["StoppedMode"], "StopCharging");
    server.advance(2.0);
    let i = instance(&server, "i-1");
    assert_eq!(
        (&i["Status"], &i["StoppedMode"]),
        (&json!("Stopped"), &json!("StopCharging"))
    );
    let (status, _) = get(&server, "Action=StartInstance&InstanceId=i-1");
    assert_eq!(status, 200);
    server.advance(2.0);
    assert_eq!(instance(&server, "i-1")["StoppedMode"], "Not-applicable");
}

#[test]
fn reboot_status_and_attribute_answer_in_json_and_xml() {
    let server = Server::start(&["--world", WORLD]);
    let reply = server.get("Action=RebootInstance&InstanceId=i-1");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply.body.contains("<RebootInstanceResponse>"),
        "{}",
        reply.body
    );
    assert_eq!(instance(&server, "i-1")["Status"], "Starting");
    server.advance(1.9);
    assert_eq!(instance(&server, "i-1")["Status"], "Starting");
    server.advance(0.1);
    assert_eq!(instance(&server, "i-1")["Status"], "Running");
    assert_error(
        &server,
        "Action=RebootInstance&InstanceId=i-2",
        403,
        "IncorrectInstanceStatus",
        "The current status of the resource does not support this operation.",
    );
    assert_error(
        &server,
        "Action=RebootInstance",
        400,
        "MissingParameter",
        "The input parameter \"InstanceId\" that is mandatory for processing this request is not supplied.",
    );

    let (status, body) = get(
        &server,
        "Action=DescribeInstanceStatus&InstanceId.1=i-2&InstanceId.2=i-1&InstanceId.3=i-404",
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["InstanceStatuses"]["InstanceStatus"],
        json!([{"InstanceId": "i-1", "Status": "Running"}, {"InstanceId": "i-2", "Status": "Stopped"}])
    );
    assert_eq!(
        (&body["TotalCount"], &body["PageSize"]),
        (&json!(2), &json!(10))
    );
    let (_, all) = get(
        &server,
        "Action=DescribeInstanceStatus&PageSize=1&PageNumber=2",
    );
    assert_eq!(
        (
            &all["TotalCount"],
            &all["InstanceStatuses"]["InstanceStatus"]
        ),
        (
            &json!(2),
            &json!([{"InstanceId": "i-2", "Status": "Stopped"}])
        )
    );
    assert_error(
        &server,
        "Action=DescribeInstanceStatus&PageSize=51",
        400,
        "InvalidParam.PageSize",
        "The specified parameter is invalid.",
    );
    let xml = server.get("Action=DescribeInstanceStatus");
    let parsed = roxmltree::Document::parse(&xml.body).unwrap();
    assert_eq!(
        parsed.root_element().tag_name().name(),
        "DescribeInstanceStatusResponse"
    );

    let (status, body) = get(&server, "Action=DescribeInstanceAttribute&InstanceId=i-1");
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        (
            &body["InstanceId"],
            &body["Status"],
            &body["ImageId"],
            &body["RegionId"]
        ),
        (
            &json!("i-1"),
            &json!("Running"),
            &json!("m-ubuntu"),
            &json!("cn-hangzhou")
        )
    );
    assert!(body["RequestId"].is_string());
    // The same facts as DescribeInstances' record of the instance (one full
    // record writes both), IoOptimized as the attribute model's string.
    let (_, listed) = get(
        &server,
        "Action=DescribeInstances&InstanceIds=%5B%22i-1%22%5D",
    );
    let record = &listed["Instances"]["Instance"][0];
    for field in [
        "VpcAttributes",
        "InstanceName",
        "InstanceType",
        "Cpu",
        "Memory",
        "ZoneId",
    ] {
        assert_eq!(body[field], record[field], "{field}");
    }
    assert_eq!(
        body["VpcAttributes"]["PrivateIpAddress"],
        json!({"IpAddress": ["172.16.0.1"]})
    );
    assert_eq!(body["InstanceName"], json!("i-1"));
    assert_eq!(body["IoOptimized"], json!("optimized"));
    assert_eq!(record["IoOptimized"], json!(true));
    assert_eq!(body["OperationLocks"], json!({"LockReason": []}));
    // Only fields the SDK's DescribeInstanceAttributeResponseBody declares.
    assert!(body.get("OSType").is_none(), "{body}");
    let xml = server.get("Action=DescribeInstanceAttribute&InstanceId=i-2");
    assert!(
        xml.body.starts_with("<?xml") || xml.body.starts_with("<DescribeInstanceAttributeResponse"),
        "{}",
        xml.body
    );
    assert!(
        xml.body.contains("<Status>Stopped</Status>"),
        "{}",
        xml.body
    );
    assert_error(
        &server,
        "Action=DescribeInstanceAttribute&InstanceId=i-404",
        404,
        "InvalidInstanceId.NotFound",
        "The specified InstanceId does not exist.",
    );
    assert_error(
        &server,
        "Action=DescribeInstanceAttribute",
        400,
        "MissingParameter",
        "The input parameter \"InstanceId\" that is mandatory for processing this request is not supplied.",
    );
}

/// i-1 with two disks, stopped: both re-initialized, one asking to start.
const TWO_DISKS: &str = r#"{
  "Disks": [
    {"DiskId": "d-a", "Type": "system", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-1", "ImageId": "m-1"},
    {"DiskId": "d-b", "Type": "data", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-1"}
  ],
  "Instances": [{"InstanceId": "i-1", "Status": "Stopped"}],
  "Images": [{"ImageId": "m-1", "ImageOwnerAlias": "system"}]
}"#;

fn two_disk_server() -> Server {
    let server = Server::start(&[]);
    let reply = server.request("PUT", "/_reinit-disk/world", &[], TWO_DISKS.as_bytes());
    assert_eq!(reply.status, 200, "{}", reply.body);
    server
}

#[test]
fn no_instance_starts_while_one_of_its_disks_reinits() {
    let server = two_disk_server();
    let (status, body) = get(
        &server,
        "Action=ReInitDisk&DiskId=d-a&AutoStartInstance=true",
    );
    assert_eq!(status, 200, "{body}");
    server.advance(1.0);
    let (status, body) = get(&server, "Action=ReInitDisk&DiskId=d-b");
    assert_eq!(status, 200, "{body}");
    // StartInstance while a disk re-inits: StartInstance's DiskError.
    assert_error(
        &server,
        "Action=StartInstance&InstanceId=i-1",
        403,
        "DiskError",
        "IncorrectDiskStatus.",
    );
    assert_error(
        &server,
        "Action=StartInstance&InstanceId=i-1&DryRun=true",
        403,
        "DiskError",
        "IncorrectDiskStatus.",
    );
    // d-a settles at 2 s and asks to start i-1; d-b still re-inits until 3 s.
    server.advance(1.5);
    assert_eq!(disk(&server, "d-a")["Status"], "In_use");
    assert_eq!(disk(&server, "d-b")["Status"], "ReIniting");
    assert_eq!(instance(&server, "i-1")["Status"], "Stopped");
    // d-b settles at 3 s: the waiting auto-start starts i-1 then.
    server.advance(0.5);
    assert_eq!(disk(&server, "d-b")["Status"], "In_use");
    assert_eq!(instance(&server, "i-1")["Status"], "Starting");
    server.advance(2.0);
    assert_eq!(instance(&server, "i-1")["Status"], "Running");
}

#[test]
fn a_stale_scheduled_start_never_overrides_a_later_stop() {
    let server = two_disk_server();
    // Auto-start scheduled for 2 s; the instance is started by hand at 2 s
    // anyway (StartInstance first, in the same instant the re-init settles:
    // the settle is applied first, so the auto-start finds it Starting).
    let (status, _) = get(
        &server,
        "Action=ReInitDisk&DiskId=d-a&AutoStartInstance=true",
    );
    assert_eq!(status, 200);
    server.advance(2.0);
    assert_eq!(instance(&server, "i-1")["Status"], "Starting");
    server.advance(2.0);
    assert_eq!(instance(&server, "i-1")["Status"], "Running");
    let (status, _) = get(&server, "Action=StopInstance&InstanceId=i-1");
    assert_eq!(status, 200);
    for _ in 0..4 {
        server.advance(0.5);
        let status = instance(&server, "i-1")["Status"].clone();
        assert!(status == "Stopping" || status == "Stopped", "{status}");
    }
    assert_eq!(instance(&server, "i-1")["Status"], "Stopped");
    assert_error(
        &server,
        "Action=StopInstance&InstanceId=i-1",
        403,
        "IncorrectInstanceStatus",
        "The current status of the resource does not support this operation.",
    );
}

/// `n` data disks `d-K` on `n / 4` instances, every fourth encrypted, half
/// of them `Available`.
fn fleet(n: usize) -> String {
    let disks: Vec<Value> = (0..n)
        .map(|k| {
            let mut d = json!({"DiskId": format!("d-{k:04}"), "Type": "data",
                "Category": if k % 3 == 0 { "cloud_essd" } else { "cloud_auto" },
                "Status": if k % 2 == 0 { "In_use" } else { "Available" }});
            if k % 2 == 0 {
                d["InstanceId"] = json!(format!("i-{}", k / 4));
            }
            if k % 4 == 0 {
                d["Encrypted"] = json!(true);
                d["KMSKeyId"] = json!("key-1");
            }
            d
        })
        .collect();
    let instances: Vec<Value> = (0..n.div_ceil(4))
        .map(|k| json!({"InstanceId": format!("i-{k}"), "Status": "Stopped"}))
        .collect();
    json!({"Disks": disks, "Instances": instances, "KmsKeys": [{"KeyId": "key-1"}]}).to_string()
}

fn fleet_server(n: usize) -> Server {
    let server = Server::start(&[]);
    let reply = server.request("PUT", "/_reinit-disk/world", &[], fleet(n).as_bytes());
    assert_eq!(reply.status, 200, "{}", reply.body);
    server
}

fn ids_of(body: &Value) -> Vec<String> {
    body["Disks"]["Disk"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["DiskId"].as_str().unwrap().to_owned())
        .collect()
}

/// Pages `query` by `MaxResults`/`NextToken` to the end (at most `bound`
/// pages): every id, in order.
fn by_token(server: &Server, query: &str, bound: usize) -> Vec<String> {
    let mut seen = Vec::new();
    let mut token = String::new();
    for _ in 0..bound {
        let next = if token.is_empty() {
            String::new()
        } else {
            format!("&NextToken={token}")
        };
        let (status, body) = get(server, &format!("{query}{next}"));
        assert_eq!(status, 200, "{body}");
        seen.extend(ids_of(&body));
        token = body["NextToken"].as_str().unwrap().to_owned();
        if token.is_empty() {
            return seen;
        }
    }
    panic!("{query}: still a NextToken after {bound} pages");
}

#[test]
fn a_1200_disk_fleet_pages_by_token_and_by_page_each_disk_once() {
    let server = fleet_server(1_200);
    let all: Vec<String> = (0..1_200).map(|k| format!("d-{k:04}")).collect();

    // By token, 500 a page (cloudmux), then 10 (the default below 10).
    let seen = by_token(&server, "Action=DescribeDisks&MaxResults=500", 10);
    assert_eq!(seen, all);
    let seen = by_token(&server, "Action=DescribeDisks&MaxResults=3", 200);
    assert_eq!(seen, all);
    let (_, first) = get(&server, "Action=DescribeDisks&MaxResults=9000");
    assert_eq!(
        (ids_of(&first).len(), &first["TotalCount"]),
        (500, &json!(1200))
    );

    // By page, 100 a page, to TotalCount.
    let mut seen = Vec::new();
    for page in 1..=13 {
        let (status, body) = get(
            &server,
            &format!("Action=DescribeDisks&PageSize=100&PageNumber={page}"),
        );
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["TotalCount"], 1200);
        seen.extend(ids_of(&body));
    }
    assert_eq!(seen, all);
    let unique: HashSet<&String> = seen.iter().collect();
    assert_eq!(unique.len(), 1_200);

    // Filtered, by token and by page: the same disks.
    let want: Vec<String> = (0..1_200)
        .filter(|k| k % 2 == 1 && k % 3 == 0)
        .map(|k| format!("d-{k:04}"))
        .collect();
    let query = "Action=DescribeDisks&Status=Available&Category=cloud_essd";
    assert_eq!(
        by_token(&server, &format!("{query}&MaxResults=50"), 20),
        want
    );
    let mut seen = Vec::new();
    for page in 1..=3 {
        let (_, body) = get(&server, &format!("{query}&PageSize=100&PageNumber={page}"));
        assert_eq!(body["TotalCount"], want.len());
        seen.extend(ids_of(&body));
    }
    assert_eq!(seen, want);
}

#[test]
fn an_unissued_next_token_gets_ecs_error() {
    let server = fleet_server(30);
    for token in ["AAAAAdDWBF2", "AAAAA0000000000000001x", ""] {
        if token.is_empty() {
            continue;
        }
        assert_error(
            &server,
            &format!("Action=DescribeDisks&NextToken={token}"),
            400,
            "InvalidParameter.NextToken",
            "The specified parameter NextToken is not valid.",
        );
    }
    assert_error(
        &server,
        "Action=DescribeDisks&NextToken=AAAAAdDWBF2&DryRun=true",
        400,
        "InvalidParameter.NextToken",
        "The specified parameter NextToken is not valid.",
    );
    // A token issued for disks is not one for instances.
    let (_, body) = get(&server, "Action=DescribeDisks&MaxResults=10");
    let token = body["NextToken"].as_str().unwrap().to_owned();
    assert!(!token.is_empty());
    assert_error(
        &server,
        &format!("Action=DescribeDisks&NextToken={token}&DryRun=true"),
        400,
        "DryRunOperation",
        DRY_RUN,
    );
    assert_error(
        &server,
        &format!("Action=DescribeInstances&NextToken={token}"),
        400,
        "InvalidParameter.NextToken",
        "The specified parameter NextToken is not valid.",
    );
    // A new world forgets every token.
    let reply = server.request("POST", "/_reinit-disk/reset", &[], b"");
    assert_eq!(reply.status, 200);
    let reply = server.request("PUT", "/_reinit-disk/world", &[], fleet(30).as_bytes());
    assert_eq!(reply.status, 200);
    assert_error(
        &server,
        &format!("Action=DescribeDisks&NextToken={token}"),
        400,
        "InvalidParameter.NextToken",
        "The specified parameter NextToken is not valid.",
    );
    assert_error(
        &server,
        "Action=DescribeDisks&MaxResults=ten",
        400,
        "InvalidParameter.MaxResults",
        "The specified parameter MaxResults is not valid.",
    );
    assert_error(
        &server,
        "Action=DescribeInstances&MaxResults=101",
        400,
        "InvalidParameter.MaxResults",
        "The specified parameter MaxResults is not valid.",
    );
}

#[test]
fn describe_filters_as_ecs_documents_them() {
    let server = fleet_server(40);
    let count = |query: &str| -> u64 {
        let (status, body) = get(&server, &format!("Action=DescribeDisks&{query}"));
        assert_eq!(status, 200, "{query}: {body}");
        body["TotalCount"].as_u64().unwrap()
    };
    assert_eq!(count("PageSize=1"), 40);
    assert_eq!(count("RegionId=cn-hangzhou"), 40);
    assert_eq!(count("RegionId=cn-beijing"), 0);
    assert_eq!(count("ZoneId=cn-hangzhou-i"), 40);
    assert_eq!(count("ZoneId=cn-hangzhou-b"), 0);
    assert_eq!(count("DiskType=data"), 40);
    assert_eq!(count("DiskType=system"), 0);
    assert_eq!(count("DiskType=all"), 40);
    assert_eq!(count("Category=cloud_essd"), 14);
    assert_eq!(count("Category=all"), 40);
    assert_eq!(count("Status=Available"), 20);
    assert_eq!(count("Status=All"), 40);
    assert_eq!(count("InstanceId=i-3"), 2);
    assert_eq!(count("Encrypted=true"), 10);
    assert_eq!(count("Encrypted=false"), 30);
    assert_eq!(count("Portable=true"), 40);
    assert_eq!(count("DeleteWithInstance=true"), 0);
    assert_eq!(count("DiskName=db"), 0);
    assert_eq!(count("SnapshotId=s-1"), 0);
    assert_eq!(count("DiskIds=%5B%5D"), 0);
    assert_eq!(
        count("DiskIds=%5B%22d-0001%22,%22d-0002%22%5D&Status=Available"),
        1
    );
    for (query, status, code, message) in [
        (
            "DiskType=boot",
            400,
            "InvalidDiskType.ValueNotSupported",
            "The specified disk type is not supported.",
        ),
        (
            "Category=floppy",
            400,
            "InvalidCategory.ValueNotSupported",
            "The specified disk category is not supported.",
        ),
        (
            "Status=Broken",
            400,
            "InvalidStatus.ValueNotSupported",
            "The specified disk status is not supported.",
        ),
        (
            "Portable=yes",
            400,
            "InvalidParameter",
            "The specified parameter \"Portable\" is not valid.",
        ),
    ] {
        assert_error(
            &server,
            &format!("Action=DescribeDisks&{query}"),
            status,
            code,
            message,
        );
    }
    let many: Vec<String> = (0..101).map(|k| format!("%22d-{k}%22")).collect();
    assert_error(
        &server,
        &format!("Action=DescribeDisks&DiskIds=%5B{}%5D", many.join(",")),
        403,
        "InvalidDiskIds.Malformed",
        "The amount of specified disk Ids exceeds the limit.",
    );

    let instances = |query: &str| -> u64 {
        let (status, body) = get(&server, &format!("Action=DescribeInstances&{query}"));
        assert_eq!(status, 200, "{query}: {body}");
        body["TotalCount"].as_u64().unwrap()
    };
    assert_eq!(instances("PageSize=1"), 10);
    assert_eq!(instances("Status=Stopped"), 10);
    assert_eq!(instances("Status=Running"), 0);
    assert_eq!(instances("ZoneId=cn-hangzhou-i&InstanceName=*"), 10);
    assert_eq!(instances("InstanceName=web*"), 0);
    assert_eq!(instances("ImageId=m-1"), 0);
    assert_eq!(instances("InstanceType=ecs.g6.large"), 0);
    // Each instance is named by its id and of the world's one type, as
    // its record shows (docs/ecs.md).
    assert_eq!(instances("InstanceName=i-1"), 1);
    assert_eq!(instances("InstanceName=i-*"), 10);
    assert_eq!(instances("InstanceType=ecs.g7.large"), 10);
    assert_eq!(instances("RegionId=cn-beijing"), 0);
    assert_eq!(
        instances("InstanceIds=%5B%22i-2%22,%22i-9%22%5D&MaxResults=1"),
        2
    );
    assert_error(
        &server,
        "Action=DescribeInstances&Status=Sleeping",
        404,
        "InvalidStatus.NotFound",
        "The specified Status is not found",
    );
}

#[test]
fn an_instance_locked_for_security_is_not_stopped_started_or_rebooted() {
    let server = Server::start(&[]);
    let world = r#"{"Instances": [
        {"InstanceId": "i-run", "Status": "Running", "OperationLocks": [{"LockReason": "security"}]},
        {"InstanceId": "i-stop", "Status": "Stopped", "OperationLocks": ["security"]},
        {"InstanceId": "i-owes", "Status": "Stopped", "OperationLocks": ["financial"]}
    ]}"#;
    let reply = server.request("PUT", "/_reinit-disk/world", &[], world.as_bytes());
    assert_eq!(reply.status, 200, "{}", reply.body);
    let locked =
        "The specified operation is denied as your instance is locked for security reasons.";
    for query in [
        "Action=StopInstance&InstanceId=i-run",
        "Action=RebootInstance&InstanceId=i-run&DryRun=true",
        "Action=StartInstance&InstanceId=i-stop",
        // Locked and in the wrong status: the lock is told first.
        "Action=StopInstance&InstanceId=i-stop",
    ] {
        assert_error(&server, query, 403, "InstanceLockedForSecurity", locked);
    }
    assert_eq!(instance(&server, "i-run")["Status"], "Running");
    // Only a security lock: a financial one does not stop a start here.
    let (status, body) = get(&server, "Action=StartInstance&InstanceId=i-owes");
    assert_eq!(status, 200, "{body}");
}

#[test]
fn health_gives_the_version_the_revision_and_the_actions_served() {
    let server = Server::start(&["--world", WORLD]);
    let health = server
        .request("GET", "/_reinit-disk/health", &[], b"")
        .json();
    assert_eq!(health["Status"], "ok");
    assert_eq!(health["Version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(health["Revision"], "2025-02-27");
    assert_eq!(
        health["Actions"],
        json!(reinit_disk_cli::serve::ACTIONS.to_vec())
    );
    assert!(
        health["Actions"]
            .as_array()
            .unwrap()
            .contains(&json!("RebootInstance"))
    );
    let seed = Server::start(&["--world", WORLD, "--revision", "seed"]);
    let health = seed.request("GET", "/_reinit-disk/health", &[], b"").json();
    assert_eq!(health["Revision"], "seed");
}

fn patch(server: &Server, path: &str, body: &str) -> (u16, Value) {
    let reply = server.request("PATCH", path, &[], body.as_bytes());
    let json = reply.json();
    (reply.status, json)
}

#[test]
fn patch_sets_facts_of_one_record_validated_as_a_scenario_record() {
    let server = Server::start(&["--world", WORLD]);
    // A financial lock on a disk: ReInitDisk now answers as ECS would.
    let (status, body) = patch(
        &server,
        "/_reinit-disk/disks/d-sys-2",
        r#"{"OperationLocks": ["financial"]}"#,
    );
    assert_eq!(
        (status, &body["Status"]),
        (200, &json!("patched")),
        "{body}"
    );
    let (status, body) = get(&server, "Action=ReInitDisk&DiskId=d-sys-2");
    assert_eq!(
        (status, body["Code"].as_str()),
        (403, Some("InstanceExpiredOrInArrears")),
        "{body}"
    );
    // A deleted image.
    let (status, _) = patch(
        &server,
        "/_reinit-disk/disks/d-sys-2",
        r#"{"OperationLocks": []}"#,
    );
    assert_eq!(status, 200);
    let (status, _) = patch(
        &server,
        "/_reinit-disk/images/m-ubuntu",
        r#"{"Deleted": true}"#,
    );
    assert_eq!(status, 200);
    let (status, body) = get(&server, "Action=ReInitDisk&DiskId=d-sys-2");
    assert_eq!(
        (status, body["Code"].as_str()),
        (404, Some("InvalidDiskId.OperationNotSupported")),
        "{body}"
    );
    // Refused as the scenario format refuses it, naming the field; nothing
    // changed.
    for (path, body, want, field) in [
        (
            "/_reinit-disk/disks/d-sys-1",
            r#"{"Status": "Broken"}"#,
            400,
            "Status",
        ),
        (
            "/_reinit-disk/disks/d-sys-1",
            r#"{"InstanceId": "i-404"}"#,
            400,
            "InstanceId",
        ),
        (
            "/_reinit-disk/disks/d-sys-1",
            r#"{"DiskId": "d-other"}"#,
            400,
            "DiskId",
        ),
        (
            "/_reinit-disk/disks/d-sys-1",
            r#"{"Colour": "red"}"#,
            400,
            "Colour",
        ),
        ("/_reinit-disk/instances/i-1", r#"["Running"]"#, 400, "."),
        ("/_reinit-disk/disks/d-sys-1", "{", 400, "."),
    ] {
        let (status, got) = patch(&server, path, body);
        assert_eq!(status, want, "{body}: {got}");
        assert!(
            got["Path"].as_str().unwrap().starts_with(field),
            "{body}: {got}"
        );
    }
    // A value of the wrong type is refused as the value it is: the patch
    // is read number for number, not turned into something else first.
    for (body, found) in [
        (r#"{"Status": -1}"#, "integer `-1`"),
        (r#"{"Status": 7}"#, "integer `7`"),
        (r#"{"Status": 1.5}"#, "floating point `1.5`"),
        (r#"{"Status": true}"#, "boolean `true`"),
    ] {
        let (status, got) = patch(&server, "/_reinit-disk/disks/d-sys-1", body);
        assert_eq!(status, 400, "{body}: {got}");
        let error = got["Error"].as_str().unwrap();
        assert!(error.contains(found), "{body}: {error}");
        assert_eq!(got["Path"], "Status", "{body}: {got}");
    }
    assert_eq!(disk(&server, "d-sys-1")["Status"], "In_use");
    assert_eq!(patch(&server, "/_reinit-disk/disks/d-404", "{}").0, 404);
    assert_eq!(patch(&server, "/_reinit-disk/volumes/d-sys-1", "{}").0, 404);
    // A patch that sets a status drops the changes under way for its
    // record: a stopping instance set Running stays Running.
    let (status, _) = get(&server, "Action=StopInstance&InstanceId=i-1");
    assert_eq!(status, 200);
    let (status, _) = patch(
        &server,
        "/_reinit-disk/instances/i-1",
        r#"{"Status": "Running"}"#,
    );
    assert_eq!(status, 200);
    server.advance(5.0);
    assert_eq!(instance(&server, "i-1")["Status"], "Running");
    // And a stop made after the patch is not ended early by the one before
    // it: stop at 0 s, patch Running, stop again at 1 s: still Stopping at
    // 2 s (when the first stop would have ended), Stopped at 3 s.
    let (status, _) = get(&server, "Action=StopInstance&InstanceId=i-1");
    assert_eq!(status, 200);
    let (status, _) = patch(
        &server,
        "/_reinit-disk/instances/i-1",
        r#"{"Status": "Running"}"#,
    );
    assert_eq!(status, 200);
    server.advance(1.0);
    let (status, _) = get(&server, "Action=StopInstance&InstanceId=i-1");
    assert_eq!(status, 200);
    server.advance(1.0);
    assert_eq!(instance(&server, "i-1")["Status"], "Stopping");
    server.advance(1.0);
    assert_eq!(instance(&server, "i-1")["Status"], "Stopped");
    let (status, _) = get(&server, "Action=StartInstance&InstanceId=i-1");
    assert_eq!(status, 200);
    server.advance(2.0);
    // A disk moved to another instance by a patch counts as that
    // instance's: it blocks that instance's start while it re-inits.
    let (status, _) = patch(
        &server,
        "/_reinit-disk/disks/d-data-1",
        r#"{"InstanceId": "i-2"}"#,
    );
    assert_eq!(status, 200);
    let (status, _) = patch(
        &server,
        "/_reinit-disk/images/m-ubuntu",
        r#"{"Deleted": false}"#,
    );
    assert_eq!(status, 200);
    let (status, body) = get(&server, "Action=ReInitDisk&DiskId=d-data-1");
    assert_eq!(status, 200, "{body}");
    assert_error(
        &server,
        "Action=StartInstance&InstanceId=i-2",
        403,
        "DiskError",
        "IncorrectDiskStatus.",
    );
}

#[test]
fn patch_sets_a_kms_key_or_a_key_pair_too() {
    let server = fleet_server(8);
    let (status, body) = patch(
        &server,
        "/_reinit-disk/kms-keys/key-1",
        r#"{"KeyState": "Disabled"}"#,
    );
    assert_eq!(status, 200, "{body}");
    let (status, body) = get(&server, "Action=ReInitDisk&DiskId=d-0000");
    assert_eq!(
        (status, body["Code"].as_str()),
        (403, Some("InvalidParameter.KMSKeyId.CMKNotEnabled")),
        "{body}"
    );
    let (status, body) = patch(
        &server,
        "/_reinit-disk/kms-keys/key-1",
        r#"{"KeyState": "Off"}"#,
    );
    assert_eq!(
        (status, body["Path"].as_str()),
        (400, Some("KeyState")),
        "{body}"
    );
    let (status, _) = patch(
        &server,
        "/_reinit-disk/kms-keys/key-1",
        r#"{"KeyState": "Enabled"}"#,
    );
    assert_eq!(status, 200);
    let (status, body) = get(&server, "Action=ReInitDisk&DiskId=d-0000");
    assert_eq!(status, 200, "{body}");

    let server = Server::start(&["--world", WORLD]);
    assert_eq!(patch(&server, "/_reinit-disk/key-pairs/kp-1", "{}").0, 200);
    assert_eq!(patch(&server, "/_reinit-disk/key-pairs/kp-9", "{}").0, 404);
    let (status, body) = patch(
        &server,
        "/_reinit-disk/key-pairs/kp-1",
        r#"{"KeyPairName": "kp-2"}"#,
    );
    assert_eq!(
        (status, body["Path"].as_str()),
        (400, Some("KeyPairName")),
        "{body}"
    );
}

#[test]
fn a_patch_that_names_a_field_twice_is_refused_and_changes_nothing() {
    let server = Server::start(&["--world", WORLD]);
    for body in [
        r#"{"Status": "Available", "Status": "In_use"}"#,
        r#"{"Status": "In_use", "Nested": {"A": 1, "A": 2}}"#,
    ] {
        let (status, reply) = patch(&server, "/_reinit-disk/disks/d-sys-2", body);
        assert_eq!(status, 400, "{body}: {reply}");
        let error = reply["Error"].as_str().unwrap_or_default();
        assert!(error.contains("duplicate field"), "{error}");
    }
    // Nothing changed: the disk is as loaded.
    let (_, listed) = get(&server, "Action=DescribeDisks&DiskIds=%5B%22d-sys-2%22%5D");
    assert_eq!(listed["Disks"]["Disk"][0]["Status"], json!("In_use"));
}

#[test]
fn a_patch_over_the_body_limit_is_refused_before_it_is_read() {
    let server = Server::start(&["--world", WORLD, "--max-body-bytes", "1024"]);
    let big = format!(r#"{{"Status": "In_use", "Pad": "{}"}}"#, "x".repeat(2048));
    let (status, reply) = patch(&server, "/_reinit-disk/disks/d-sys-2", &big);
    assert_eq!(status, 413, "{reply}");
    assert!(
        reply["Error"].as_str().unwrap_or_default().contains("1024"),
        "{reply}"
    );
    // Within the limit, answered as before.
    let (status, reply) = patch(
        &server,
        "/_reinit-disk/disks/d-sys-2",
        r#"{"OperationLocks": []}"#,
    );
    assert_eq!(status, 200, "{reply}");
}

/// A world for the disk and snapshot actions: `i-1` running with a system
/// disk and a data disk made from `s-1`, `i-2` stopped with a system disk,
/// `i-lock` stopped and locked for security with a data disk, an
/// unattached data disk `d-free`, an unattached system disk `d-sys-free`,
/// and `s-2`, made from `d-data-1`, from which no disk was made.
const DISK_WORLD: &str = r#"{
  "Disks": [
    {"DiskId": "d-sys-1", "Type": "system", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-1", "ImageId": "m-1"},
    {"DiskId": "d-data-1", "Type": "data", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-1", "SourceSnapshotId": "s-1"},
    {"DiskId": "d-sys-2", "Type": "system", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-2", "ImageId": "m-1"},
    {"DiskId": "d-lock", "Type": "data", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-lock"},
    {"DiskId": "d-free", "Type": "data", "Category": "cloud_essd", "Status": "Available"},
    {"DiskId": "d-sys-free", "Type": "system", "Category": "cloud_essd", "Status": "Available", "ImageId": "m-1"}
  ],
  "Instances": [
    {"InstanceId": "i-1", "Status": "Running", "HasStarted": true},
    {"InstanceId": "i-2", "Status": "Stopped", "HasStarted": true},
    {"InstanceId": "i-lock", "Status": "Stopped", "HasStarted": true, "OperationLocks": ["security"]}
  ],
  "Images": [{"ImageId": "m-1", "ImageOwnerAlias": "system"}],
  "Snapshots": [
    {"SnapshotId": "s-1", "CreationTime": "2024-01-01T00:00:00Z"},
    {"SnapshotId": "s-2", "CreationTime": "2024-02-01T00:00:00Z", "SourceDiskId": "d-data-1"}
  ]
}"#;

fn disk_server(args: &[&str]) -> Server {
    let server = Server::start(args);
    let reply = server.request("PUT", "/_reinit-disk/world", &[], DISK_WORLD.as_bytes());
    assert_eq!(reply.status, 200, "{}", reply.body);
    server
}

fn ok(server: &Server, query: &str) -> Value {
    let (status, body) = get(server, query);
    assert_eq!(status, 200, "{query}: {body}");
    body
}

#[test]
fn attach_and_detach_move_a_disk_through_attaching_and_detaching_in_json_and_xml() {
    let server = disk_server(&["--attach-seconds", "3", "--detach-seconds", "4"]);
    // XML by default, under the action's response element; AttachDisk's
    // model has no DryRun, so it is not read: the disk is attached.
    let reply = server.get("Action=AttachDisk&DiskId=d-free&InstanceId=i-1&DryRun=true");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply.body.contains("<AttachDiskResponse>"),
        "{}",
        reply.body
    );
    let d = disk(&server, "d-free");
    assert_eq!(
        (&d["Status"], &d["InstanceId"]),
        (&json!("Attaching"), &json!("i-1"))
    );
    // Meanwhile it is neither attached again nor detached.
    assert_error(
        &server,
        "Action=AttachDisk&DiskId=d-free&InstanceId=i-2",
        403,
        "IncorrectDiskStatus",
        "The operation is not supported in this status.",
    );
    server.advance(2.9);
    assert_eq!(disk(&server, "d-free")["Status"], "Attaching");
    server.advance(0.1);
    let d = disk(&server, "d-free");
    assert_eq!(
        (&d["Status"], &d["InstanceId"]),
        (&json!("In_use"), &json!("i-1"))
    );
    let listed = ok(&server, "Action=DescribeDisks&InstanceId=i-1");
    assert_eq!(listed["TotalCount"], 3, "{listed}");

    let body = ok(&server, "Action=DetachDisk&DiskId=d-free&InstanceId=i-1");
    assert!(body["RequestId"].is_string(), "{body}");
    assert_eq!(disk(&server, "d-free")["Status"], "Detaching");
    server.advance(3.9);
    assert_eq!(disk(&server, "d-free")["Status"], "Detaching");
    server.advance(0.1);
    let d = disk(&server, "d-free");
    assert_eq!(
        (&d["Status"], &d["InstanceId"]),
        (&json!("Available"), &json!(""))
    );
    let listed = ok(&server, "Action=DescribeDisks&InstanceId=i-1");
    assert_eq!(listed["TotalCount"], 2, "{listed}");
}

#[test]
fn attach_answers_each_error_of_its_api_reference() {
    let server = disk_server(&[]);
    let missing = |name: &str| {
        format!(
            "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
        )
    };
    assert_error(
        &server,
        "Action=AttachDisk&InstanceId=i-1",
        400,
        "MissingParameter",
        &missing("DiskId"),
    );
    assert_error(
        &server,
        "Action=AttachDisk&DiskId=d-free",
        400,
        "MissingParameter",
        &missing("InstanceId"),
    );
    assert_error(
        &server,
        "Action=AttachDisk&DiskId=d-404&InstanceId=i-1",
        404,
        "InvalidDiskId.NotFound",
        "The specified disk does not exist.",
    );
    assert_error(
        &server,
        "Action=AttachDisk&DiskId=d-free&InstanceId=i-404",
        404,
        "InvalidInstanceId.NotFound",
        "The specified InstanceId does not exist.",
    );
    assert_error(
        &server,
        "Action=AttachDisk&DiskId=d-free&InstanceId=i-lock",
        403,
        "InstanceLockedForSecurity",
        "The instance is locked due to security.",
    );
    assert_error(
        &server,
        "Action=AttachDisk&DiskId=d-data-1&InstanceId=i-2",
        403,
        "IncorrectDiskStatus",
        "The operation is not supported in this status.",
    );
    // A system disk only onto a stopped instance (400 on AttachDisk's page).
    let incorrect = "The current status of the resource does not support this operation.";
    assert_error(
        &server,
        "Action=AttachDisk&DiskId=d-sys-free&InstanceId=i-1",
        400,
        "IncorrectInstanceStatus",
        incorrect,
    );
    // A data disk onto an instance that is stopping.
    ok(&server, "Action=StopInstance&InstanceId=i-1");
    assert_error(
        &server,
        "Action=AttachDisk&DiskId=d-free&InstanceId=i-1",
        400,
        "IncorrectInstanceStatus",
        incorrect,
    );
    assert_error(
        &server,
        "Action=AttachDisk&DiskId=d-free&InstanceId=i-2&DeleteWithInstance=soon",
        400,
        "InvalidParameter",
        "The specified parameter \"DeleteWithInstance\" is not valid.",
    );
    // None of them changed the disk.
    assert_eq!(disk(&server, "d-free")["Status"], "Available");
}

#[test]
fn detach_answers_each_error_of_its_api_reference() {
    let server = disk_server(&[]);
    assert_error(
        &server,
        "Action=DetachDisk&DiskId=d-404&InstanceId=i-1",
        404,
        "InvalidDiskId.NotFound",
        "The specified DiskId does not exist.",
    );
    assert_error(
        &server,
        "Action=DetachDisk&DiskId=d-data-1&InstanceId=i-404",
        404,
        "InvalidInstanceId.NotFound",
        "The specified InstanceId does not exist.",
    );
    assert_error(
        &server,
        "Action=DetachDisk&DiskId=d-lock&InstanceId=i-lock",
        403,
        "InstanceLockedForSecurity",
        "The instance is locked due to security.",
    );
    assert_error(
        &server,
        "Action=DetachDisk&DiskId=d-free&InstanceId=i-1",
        403,
        "IncorrectDiskStatus",
        "The current disk status does not support this operation.",
    );
    assert_error(
        &server,
        "Action=DetachDisk&DiskId=d-data-1&InstanceId=i-2",
        403,
        "DependencyViolation",
        "The specified disk has not been attached on the specified instance.",
    );
    assert_error(
        &server,
        "Action=DetachDisk&DiskId=d-sys-2&InstanceId=i-2",
        403,
        "DiskTypeViolation",
        "The specified disk is a system disk and cannot support the operation.",
    );
    ok(&server, "Action=StopInstance&InstanceId=i-1");
    assert_error(
        &server,
        "Action=DetachDisk&DiskId=d-data-1&InstanceId=i-1",
        403,
        "IncorrectInstanceStatus",
        "The current status of the resource does not support this operation.",
    );
    // A disk re-initializing is not In_use: not detached.
    server.advance(2.0);
    ok(&server, "Action=ReInitDisk&DiskId=d-data-1");
    assert_error(
        &server,
        "Action=DetachDisk&DiskId=d-data-1&InstanceId=i-1",
        403,
        "IncorrectDiskStatus",
        "The current disk status does not support this operation.",
    );
    assert_eq!(disk(&server, "d-data-1")["Status"], "ReIniting");
}

#[test]
fn a_snapshot_in_progress_refuses_the_reinit_then_exists_with_its_source_disk() {
    let server = disk_server(&["--snapshot-seconds", "3"]);
    let made = ok(&server, "Action=CreateSnapshot&DiskId=d-sys-2");
    let id = made["SnapshotId"].as_str().unwrap().to_owned();
    assert!(id.starts_with("s-"), "{made}");
    // ReInitDisk meanwhile: the revision's code for a snapshot in progress.
    assert_error(
        &server,
        "Action=ReInitDisk&DiskId=d-sys-2",
        403,
        "DiskCreatingSnapshot",
        "The operation is denied due to a snapshot of the specified disk is not completed yet.",
    );
    assert_error(
        &server,
        "Action=CreateSnapshot&DiskId=d-sys-2",
        403,
        "IncorrectDiskStatus.CreatingSnapshot",
        "A previous snapshot creation is in process.",
    );
    let query = format!("Action=DescribeSnapshots&SnapshotIds=%5B%22{id}%22%5D");
    let listed = ok(&server, &query);
    let snapshot = &listed["Snapshots"]["Snapshot"][0];
    assert_eq!(
        (
            &snapshot["Status"],
            &snapshot["SourceDiskId"],
            &snapshot["Progress"]
        ),
        (&json!("progressing"), &json!("d-sys-2"), &json!("0%")),
        "{listed}"
    );
    assert_error(
        &server,
        &format!("Action=DeleteSnapshot&SnapshotId={id}"),
        403,
        "Operation.Conflict",
        "The operation may conflicts with others, please retry later.",
    );
    server.advance(3.0);
    let listed = ok(&server, &query);
    let snapshot = &listed["Snapshots"]["Snapshot"][0];
    assert_eq!(
        (
            &snapshot["Status"],
            &snapshot["SourceDiskId"],
            &snapshot["SnapshotId"]
        ),
        (&json!("accomplished"), &json!("d-sys-2"), &json!(id)),
        "{listed}"
    );
    ok(&server, "Action=ReInitDisk&DiskId=d-sys-2");
    // In XML too: RequestId, then SnapshotId.
    server.advance(2.0);
    let reply = server.get("Action=CreateSnapshot&DiskId=d-free");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply.body.contains("<CreateSnapshotResponse>"),
        "{}",
        reply.body
    );
    let request = reply.body.find("<RequestId>").unwrap();
    let snapshot = reply.body.find("<SnapshotId>").unwrap();
    assert!(request < snapshot, "{}", reply.body);
}

#[test]
fn create_snapshot_answers_each_error_of_its_api_reference() {
    let server = disk_server(&[]);
    assert_error(
        &server,
        "Action=CreateSnapshot",
        400,
        "MissingParameter",
        "The input parameter \"DiskId\" that is mandatory for processing this request is not supplied.",
    );
    assert_error(
        &server,
        "Action=CreateSnapshot&DiskId=d-404",
        404,
        "InvalidDiskId.NotFound",
        "The specified DiskId does not exist.",
    );
    assert_error(
        &server,
        "Action=CreateSnapshot&DiskId=d-lock",
        403,
        "InstanceLockedForSecurity",
        "The disk attached instance is locked due to security.",
    );
    ok(&server, "Action=AttachDisk&DiskId=d-free&InstanceId=i-2");
    assert_error(
        &server,
        "Action=CreateSnapshot&DiskId=d-free",
        403,
        "IncorrectDiskStatus",
        "The current disk status does not support this operation.",
    );
    ok(&server, "Action=StopInstance&InstanceId=i-1");
    assert_error(
        &server,
        "Action=CreateSnapshot&DiskId=d-data-1",
        400,
        "IncorrectInstanceStatus",
        "The current status of the resource does not support this operation.",
    );
}

#[test]
fn delete_snapshot_answers_each_error_of_its_api_reference_and_deletes() {
    let server = disk_server(&[]);
    assert_error(
        &server,
        "Action=DeleteSnapshot",
        400,
        "MissingParameter",
        "The input parameter SnapshotId that is mandatory for processing this request is not supplied.",
    );
    assert_error(
        &server,
        "Action=DeleteSnapshot&SnapshotId=s-404",
        404,
        "InvalidSnapshotId.NotFound",
        "The specified snapshot is not found",
    );
    assert_error(
        &server,
        "Action=DeleteSnapshot&SnapshotId=s-1",
        403,
        "SnapshotCreatedDisk",
        "The snapshot has been used to create disk(s).",
    );
    let reply = server.get("Action=DeleteSnapshot&SnapshotId=s-2");
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply.body.contains("<DeleteSnapshotResponse>"),
        "{}",
        reply.body
    );
    ok(&server, "Action=DeleteSnapshot&SnapshotId=s-1&Force=true");
    let listed = ok(&server, "Action=DescribeSnapshots");
    assert_eq!(listed["TotalCount"], 0, "{listed}");
    assert_error(
        &server,
        "Action=DeleteSnapshot&SnapshotId=s-2",
        404,
        "InvalidSnapshotId.NotFound",
        "The specified snapshot is not found",
    );
    // d-data-1 was made from s-1, now deleted: its re-init is refused.
    ok(&server, "Action=StopInstance&InstanceId=i-1");
    server.advance(2.0);
    let (status, body) = get(&server, "Action=ReInitDisk&DiskId=d-data-1");
    assert_eq!(
        (status, &body["Code"]),
        (403, &json!("InvalidSourceSnapshot")),
        "{body}"
    );
}

#[test]
fn describe_snapshots_filters_and_pages_as_ecs_documents_them() {
    let server = disk_server(&[]);
    let ids = |body: &Value| -> Vec<String> {
        body["Snapshots"]["Snapshot"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["SnapshotId"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = ok(&server, "Action=DescribeSnapshots");
    assert_eq!(ids(&all), ["s-1", "s-2"]);
    assert_eq!(
        (&all["TotalCount"], &all["PageNumber"], &all["PageSize"]),
        (&json!(2), &json!(1), &json!(10))
    );
    assert_eq!(all["Snapshots"]["Snapshot"][1]["Status"], "accomplished");
    assert_eq!(
        ids(&ok(&server, "Action=DescribeSnapshots&DiskId=d-data-1")),
        ["s-2"]
    );
    assert_eq!(
        ids(&ok(&server, "Action=DescribeSnapshots&InstanceId=i-1")),
        ["s-2"]
    );
    assert_eq!(
        ids(&ok(&server, "Action=DescribeSnapshots&SourceDiskType=Data")),
        ["s-2"]
    );
    assert!(
        ids(&ok(
            &server,
            "Action=DescribeSnapshots&SourceDiskType=system"
        ))
        .is_empty()
    );
    assert!(ids(&ok(&server, "Action=DescribeSnapshots&Status=progressing")).is_empty());
    assert_eq!(
        ids(&ok(&server, "Action=DescribeSnapshots&Status=accomplished")).len(),
        2
    );
    assert!(ids(&ok(&server, "Action=DescribeSnapshots&SnapshotType=auto")).is_empty());
    assert!(ids(&ok(&server, "Action=DescribeSnapshots&RegionId=cn-beijing")).is_empty());
    let page = ok(&server, "Action=DescribeSnapshots&PageSize=1&PageNumber=2");
    assert_eq!(
        (ids(&page), &page["TotalCount"]),
        (vec!["s-2".to_owned()], &json!(2))
    );
    assert_error(
        &server,
        "Action=DescribeSnapshots&Status=done",
        404,
        "InvalidStatus.NotFound",
        "The specified Status is not found",
    );
    assert_error(
        &server,
        "Action=DescribeSnapshots&SnapshotType=manual",
        404,
        "InvalidSnapshotType.NotFound",
        "The specified SnapshotType is not found",
    );
    let many: Vec<String> = (0..101).map(|i| format!("s-{i}")).collect();
    let many = serde_json::to_string(&many)
        .unwrap()
        .replace('"', "%22")
        .replace('[', "%5B")
        .replace(']', "%5D")
        .replace(',', "%2C");
    assert_error(
        &server,
        &format!("Action=DescribeSnapshots&SnapshotIds={many}"),
        403,
        "InvalidSnapshotIds.Malformed",
        "The amount of specified snapshot Ids exceeds the limit.",
    );
    assert_error(
        &server,
        "Action=DescribeSnapshots&DryRun=true",
        400,
        "DryRunOperation",
        DRY_RUN,
    );
    // By token: MaxResults 10 to 100.
    assert_error(
        &server,
        "Action=DescribeSnapshots&MaxResults=5",
        400,
        "InvalidParameter.MaxResults",
        "The specified parameter MaxResults is not valid.",
    );
    for _ in 0..11 {
        ok(&server, "Action=CreateSnapshot&DiskId=d-sys-1");
        server.advance(2.0);
    }
    let first = ok(&server, "Action=DescribeSnapshots&MaxResults=10");
    let token = first["NextToken"].as_str().unwrap().to_owned();
    assert_eq!((ids(&first).len(), &first["TotalCount"]), (10, &json!(13)));
    let rest = ok(
        &server,
        &format!("Action=DescribeSnapshots&MaxResults=10&NextToken={token}"),
    );
    assert_eq!((ids(&rest).len(), &rest["NextToken"]), (3, &json!("")));
    let mut seen: HashSet<String> = ids(&first).into_iter().collect();
    seen.extend(ids(&rest));
    assert_eq!(seen.len(), 13);
}

#[test]
fn a_world_loaded_attaching_detaching_or_creating_a_snapshot_settles_after_its_time() {
    let server = Server::start(&[
        "--attach-seconds",
        "1",
        "--detach-seconds",
        "2",
        "--snapshot-seconds",
        "3",
    ]);
    let world = r#"{
      "Disks": [
        {"DiskId": "d-a", "Type": "data", "Category": "cloud_essd", "Status": "Attaching", "InstanceId": "i-1"},
        {"DiskId": "d-d", "Type": "data", "Category": "cloud_essd", "Status": "Detaching", "InstanceId": "i-1"},
        {"DiskId": "d-s", "Type": "data", "Category": "cloud_essd", "Status": "In_use", "InstanceId": "i-1", "CreatingSnapshot": true}
      ],
      "Instances": [{"InstanceId": "i-1", "Status": "Stopped", "HasStarted": true}]
    }"#;
    let reply = server.request("PUT", "/_reinit-disk/world", &[], world.as_bytes());
    assert_eq!(reply.status, 200, "{}", reply.body);
    let listed = ok(&server, "Action=DescribeSnapshots");
    assert_eq!(
        listed["Snapshots"]["Snapshot"][0]["SnapshotId"], "s-progressing-d-s",
        "{listed}"
    );
    assert_eq!(
        listed["Snapshots"]["Snapshot"][0]["Status"], "progressing",
        "{listed}"
    );
    server.advance(1.0);
    assert_eq!(disk(&server, "d-a")["Status"], "In_use");
    assert_eq!(disk(&server, "d-d")["Status"], "Detaching");
    server.advance(1.0);
    let d = disk(&server, "d-d");
    assert_eq!(
        (&d["Status"], &d["InstanceId"]),
        (&json!("Available"), &json!(""))
    );
    assert_error(
        &server,
        "Action=ReInitDisk&DiskId=d-s",
        403,
        "DiskCreatingSnapshot",
        "The operation is denied due to a snapshot of the specified disk is not completed yet.",
    );
    server.advance(1.0);
    let listed = ok(&server, "Action=DescribeSnapshots&Status=accomplished");
    assert_eq!(
        listed["Snapshots"]["Snapshot"][0]["SnapshotId"], "s-progressing-d-s",
        "{listed}"
    );
    ok(&server, "Action=ReInitDisk&DiskId=d-s");
}

#[test]
fn a_patch_that_sets_creating_snapshot_drops_the_snapshot_under_way() {
    let server = disk_server(&[]);
    let made = ok(&server, "Action=CreateSnapshot&DiskId=d-sys-2");
    let id = made["SnapshotId"].as_str().unwrap().to_owned();
    let (status, body) = patch(
        &server,
        "/_reinit-disk/disks/d-sys-2",
        r#"{"CreatingSnapshot": false}"#,
    );
    assert_eq!(status, 200, "{body}");
    // No longer in progress: not listed, and never made.
    let listed = ok(&server, "Action=DescribeSnapshots&Status=progressing");
    assert_eq!(listed["TotalCount"], 0, "{listed}");
    let (status, body) = patch(
        &server,
        "/_reinit-disk/disks/d-sys-2",
        r#"{"CreatingSnapshot": true}"#,
    );
    assert_eq!(status, 200, "{body}");
    server.advance(10.0);
    let query = format!("Action=DescribeSnapshots&SnapshotIds=%5B%22{id}%22%5D");
    assert_eq!(ok(&server, &query)["TotalCount"], 0);
    // The disk set creating one by hand stays so, as a patch leaves it.
    assert_error(
        &server,
        "Action=CreateSnapshot&DiskId=d-sys-2",
        403,
        "IncorrectDiskStatus.CreatingSnapshot",
        "A previous snapshot creation is in process.",
    );
}

#[test]
fn with_system_disk_detach_when_stopped_a_system_disk_leaves_only_a_stopped_instance() {
    let server = disk_server(&["--system-disk-detach", "when-stopped"]);
    assert_error(
        &server,
        "Action=DetachDisk&DiskId=d-sys-1&InstanceId=i-1",
        403,
        "IncorrectInstanceStatus",
        "The current status of the resource does not support this operation.",
    );
    ok(&server, "Action=DetachDisk&DiskId=d-sys-2&InstanceId=i-2");
    server.advance(2.0);
    let d = disk(&server, "d-sys-2");
    assert_eq!(
        (&d["Status"], &d["InstanceId"]),
        (&json!("Available"), &json!(""))
    );
    // Back onto a stopped instance only.
    assert_error(
        &server,
        "Action=AttachDisk&DiskId=d-sys-2&InstanceId=i-1",
        400,
        "IncorrectInstanceStatus",
        "The current status of the resource does not support this operation.",
    );
    ok(&server, "Action=AttachDisk&DiskId=d-sys-2&InstanceId=i-2");
    server.advance(2.0);
    assert_eq!(disk(&server, "d-sys-2")["Status"], "In_use");
}

#[test]
fn describe_images_lists_the_images_not_deleted_filtered_and_paged_as_ecs_documents_them() {
    let server = Server::start(&[]);
    let world = json!({
        "Images": [
            {"ImageId": "m-sys", "ImageOwnerAlias": "system"},
            {"ImageId": "m-own", "ImageOwnerAlias": "self"},
            {"ImageId": "m-gone", "ImageOwnerAlias": "self", "Deleted": true},
            {"ImageId": "m-shop", "ImageOwnerAlias": "marketplace"},
            {"ImageId": "m-shared", "ImageOwnerAlias": "others"}
        ]
    });
    let reply = server.request(
        "PUT",
        "/_reinit-disk/world",
        &[],
        world.to_string().as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let ids = |body: &Value| -> Vec<String> {
        body["Images"]["Image"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["ImageId"].as_str().unwrap().to_owned())
            .collect()
    };
    // By default: system, self and others, not marketplace; never a
    // deleted image; ordered by id.
    let all = ok(&server, "Action=DescribeImages&RegionId=cn-hangzhou");
    assert_eq!(ids(&all), ["m-own", "m-shared", "m-sys"]);
    assert_eq!(
        (
            &all["TotalCount"],
            &all["PageNumber"],
            &all["PageSize"],
            &all["RegionId"]
        ),
        (&json!(3), &json!(1), &json!(10), &json!("cn-hangzhou"))
    );
    let own = &all["Images"]["Image"][0];
    assert_eq!(
        (&own["ImageOwnerAlias"], &own["Status"], &own["OSType"]),
        (&json!("self"), &json!("Available"), &json!("linux"))
    );
    let query = |q: &str| ids(&ok(&server, &format!("Action=DescribeImages&{q}")));
    assert_eq!(query("ImageOwnerAlias=marketplace"), ["m-shop"]);
    assert_eq!(query("ImageOwnerAlias=self"), ["m-own"]);
    assert_eq!(query("ImageId=m-own,m-shop,m-gone"), ["m-own"]);
    assert_eq!(query("ImageName=m-shared"), ["m-shared"]);
    assert_eq!(query("OSType=linux").len(), 3);
    assert!(query("OSType=windows").is_empty());
    assert!(query("Architecture=i386").is_empty());
    assert!(query("SnapshotId=s-1").is_empty());
    assert!(query("Status=Creating,CreateFailed").is_empty());
    assert_eq!(query("Status=Creating,Available").len(), 3);
    assert!(query("RegionId=cn-beijing").is_empty());
    // Paged by number only: MaxResults and NextToken are not among its
    // parameters and are not read.
    let page = ok(&server, "Action=DescribeImages&PageSize=2&PageNumber=2");
    assert_eq!(
        (ids(&page), &page["TotalCount"]),
        (vec!["m-sys".to_owned()], &json!(3))
    );
    let tokens = ok(&server, "Action=DescribeImages&MaxResults=1&NextToken=x");
    assert_eq!(
        (ids(&tokens).len(), &tokens["NextToken"]),
        (3, &Value::Null)
    );
    assert_error(
        &server,
        "Action=DescribeImages&PageSize=101",
        400,
        "InvalidParam.PageSize",
        "The specified parameter is invalid.",
    );
    assert_error(
        &server,
        "Action=DescribeImages&OSType=beos",
        404,
        "InvalidOSType",
        "The specified OSType is not valid",
    );
    assert_error(
        &server,
        "Action=DescribeImages&ImageOwnerAlias=nobody",
        400,
        "InvalidParameter",
        "The specified parameter \"ImageOwnerAlias\" is not valid.",
    );
    assert_error(
        &server,
        "Action=DescribeImages&Status=Gone",
        400,
        "InvalidParameter",
        "The specified parameter \"Status\" is not valid.",
    );
    assert_error(
        &server,
        "Action=DescribeImages&DryRun=true",
        400,
        "DryRunOperation",
        DRY_RUN,
    );
    // In XML, under DescribeImagesResponse.
    let reply = server.get("Action=DescribeImages&ImageId=m-sys");
    assert_eq!(reply.status, 200);
    assert!(
        reply
            .body
            .contains("<DescribeImagesResponse><Images><Image>"),
        "{}",
        reply.body
    );
    assert!(
        reply.body.contains("<RegionId>cn-hangzhou</RegionId>"),
        "{}",
        reply.body
    );
}

#[test]
fn describe_key_pairs_lists_the_accounts_key_pairs_by_name_pattern_and_page() {
    let server = Server::start(&[]);
    let world = json!({
        "KeyPairs": [
            {"KeyPairName": "web-deploy"},
            {"KeyPairName": "admin"},
            {"KeyPairName": "web"}
        ]
    });
    let reply = server.request(
        "PUT",
        "/_reinit-disk/world",
        &[],
        world.to_string().as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let names = |body: &Value| -> Vec<String> {
        body["KeyPairs"]["KeyPair"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["KeyPairName"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = ok(&server, "Action=DescribeKeyPairs&RegionId=cn-hangzhou");
    assert_eq!(names(&all), ["admin", "web", "web-deploy"]);
    assert_eq!(
        (&all["TotalCount"], &all["PageNumber"], &all["PageSize"]),
        (&json!(3), &json!(1), &json!(10))
    );
    let admin = &all["KeyPairs"]["KeyPair"][0];
    let print = reinit_disk::ecs::key_pair_fingerprint("admin");
    assert_eq!(admin["KeyPairFingerPrint"], json!(print));
    assert_eq!(admin["CreationTime"], "2024-01-01T00:00:00Z");
    assert!(admin.get("PublicKey").is_none(), "{admin}");
    let with_key = ok(&server, "Action=DescribeKeyPairs&IncludePublicKey=true");
    assert_eq!(with_key["KeyPairs"]["KeyPair"][0]["PublicKey"], "");
    let query = |q: &str| names(&ok(&server, &format!("Action=DescribeKeyPairs&{q}")));
    assert_eq!(query("KeyPairName=web"), ["web"]);
    assert_eq!(query("KeyPairName=web*"), ["web", "web-deploy"]);
    assert_eq!(query("KeyPairName=*deploy"), ["web-deploy"]);
    assert_eq!(query("KeyPairName=*e*"), ["web", "web-deploy"]);
    assert_eq!(query(&format!("KeyPairFingerPrint={print}")), ["admin"]);
    assert!(query("RegionId=cn-beijing").is_empty());
    let page = ok(&server, "Action=DescribeKeyPairs&PageSize=2&PageNumber=2");
    assert_eq!(
        (names(&page), &page["TotalCount"]),
        (vec!["web-deploy".to_owned()], &json!(3))
    );
    assert_error(
        &server,
        "Action=DescribeKeyPairs&PageSize=51",
        400,
        "InvalidParam.PageSize",
        "The specified parameter is invalid.",
    );
    assert_error(
        &server,
        "Action=DescribeKeyPairs&IncludePublicKey=maybe",
        400,
        "InvalidParameter",
        "The specified parameter \"IncludePublicKey\" is not valid.",
    );
    // Its model has no DryRun: it is not read.
    assert_eq!(query("DryRun=true").len(), 3);
    let reply = server.get("Action=DescribeKeyPairs&KeyPairName=admin");
    assert!(
        reply
            .body
            .contains("<DescribeKeyPairsResponse><KeyPairs><KeyPair>"),
        "{}",
        reply.body
    );
}

#[test]
fn every_served_action_is_documented_in_docs_serve_md_and_named_in_the_readme() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let serve_md = std::fs::read_to_string(root.join("docs/serve.md")).unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    for action in reinit_disk_cli::serve::ACTIONS {
        assert!(
            serve_md.contains(&format!("\n| `{action}` |")),
            "docs/serve.md has no row for {action}"
        );
        assert!(
            readme.contains(&format!("`{action}`")),
            "README.md does not name {action}"
        );
    }
    // And every action the SDK's model gives a DryRun reads it there.
    for action in reinit_disk_cli::serve::DRY_RUN_ACTIONS {
        let row = serve_md
            .lines()
            .find(|l| l.starts_with(&format!("| `{action}` |")))
            .unwrap();
        assert!(row.contains("`DryRun`"), "{action}: {row}");
    }
}

#[test]
fn describe_snapshots_tells_one_in_progress_from_one_done_and_reads_its_types_in_any_case() {
    let server = disk_server(&["--snapshot-seconds", "3"]);
    let made = ok(&server, "Action=CreateSnapshot&DiskId=d-sys-2");
    let id = made["SnapshotId"].as_str().unwrap().to_owned();
    let ids = |query: &str| -> Vec<String> {
        ok(&server, &format!("Action=DescribeSnapshots&{query}"))["Snapshots"]["Snapshot"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["SnapshotId"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids("Status=progressing"), std::slice::from_ref(&id));
    assert_eq!(ids("Status=accomplished"), ["s-1", "s-2"]);
    assert_eq!(ids("Status=all").len(), 3);
    // `SnapshotType`: `all` and `user` (any case) list every snapshot.
    for kind in ["all", "User", "ALL", "user"] {
        assert_eq!(ids(&format!("SnapshotType={kind}")).len(), 3, "{kind}");
    }
    assert_eq!(ids("SourceDiskType=DATA"), ["s-2"]);
    assert_eq!(ids("SourceDiskType=System"), [id]);
    // Neither `System` nor `Data`: refused, naming it.
    assert_error(
        &server,
        "Action=DescribeSnapshots&SourceDiskType=boot",
        400,
        "InvalidParameter",
        "The specified parameter \"SourceDiskType\" is not valid.",
    );
}
