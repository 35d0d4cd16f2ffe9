//! `reinit-disk serve` with ECS's own fields on a world's records (a disk's
//! `"DiskName"`, `"Size"`, `"ZoneId"`; an instance's `"InstanceName"`,
//! `"InstanceType"`; ...): the Describe* answers show them over the
//! defaults, the filters read them, `GET /_reinit-disk/state` returns them,
//! and `PATCH` sets and unsets them as a scenario record takes them. Every
//! server binds 127.0.0.1 with a free port and a manual clock.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use common::http::Server;
use serde_json::{Value, json};

fn world() -> Value {
    json!({
        "Disks": [
            {"DiskId": "d-web", "Type": "data", "Category": "cloud_essd", "Status": "In_use",
             "InstanceId": "i-web", "DiskName": "web-data", "Size": 100, "ZoneId": "cn-hangzhou-k",
             "Portable": false, "DeleteWithInstance": true,
             "Tags": {"Tag": [{"TagKey": "team", "TagValue": "web"}]}},
            {"DiskId": "d-sys", "Type": "system", "Category": "cloud_essd", "Status": "In_use",
             "InstanceId": "i-web", "ImageId": "m-1"},
            {"DiskId": "d-free", "Type": "data", "Category": "cloud_essd", "Status": "Available"}
        ],
        "Instances": [
            {"InstanceId": "i-web", "Status": "Stopped", "InstanceName": "web-1",
             "InstanceType": "ecs.g8i.xlarge", "ZoneId": "cn-hangzhou-k"},
            {"InstanceId": "i-other", "Status": "Running"}
        ],
        "Images": [
            {"ImageId": "m-1", "ImageOwnerAlias": "system", "ImageName": "aliyun_3_arm",
             "Architecture": "arm64"},
            {"ImageId": "m-old", "ImageOwnerAlias": "self", "Status": "Deprecated"}
        ],
        "KeyPairs": [{"KeyPairName": "kp-1", "KeyPairFingerPrint": "ab12"}, {"KeyPairName": "kp-2"}]
    })
}

fn server() -> Server {
    let server = Server::start(&[]);
    let reply = server.request(
        "PUT",
        "/_reinit-disk/world",
        &[],
        world().to_string().as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    server
}

fn get(server: &Server, query: &str) -> Value {
    let reply = server.get(&format!("{query}&Format=JSON"));
    assert_eq!(reply.status, 200, "{query}: {}", reply.body);
    reply.json()
}

/// The ids a listing answers, in order.
fn ids(server: &Server, query: &str, list: &str, item: &str, id: &str) -> Vec<String> {
    get(server, query)[list][item]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[id].as_str().unwrap().to_owned())
        .collect()
}

fn disks(server: &Server, filter: &str) -> Vec<String> {
    ids(
        server,
        &format!("Action=DescribeDisks&{filter}"),
        "Disks",
        "Disk",
        "DiskId",
    )
}

fn instances(server: &Server, filter: &str) -> Vec<String> {
    ids(
        server,
        &format!("Action=DescribeInstances&{filter}"),
        "Instances",
        "Instance",
        "InstanceId",
    )
}

#[test]
fn describe_disks_shows_a_disks_own_fields_and_filters_on_them() {
    let server = server();
    let body = get(&server, "Action=DescribeDisks&DiskIds=%5B%22d-web%22%5D");
    let disk = &body["Disks"]["Disk"][0];
    assert_eq!(disk["DiskName"], "web-data");
    assert_eq!(disk["Size"], 100);
    assert_eq!(disk["ZoneId"], "cn-hangzhou-k");
    assert_eq!(disk["Tags"]["Tag"][0]["TagValue"], "web");
    // The facts stay the model's.
    assert_eq!(disk["Status"], "In_use");
    assert_eq!(disk["Device"], "/dev/xvdb");
    let xml = server.get("Action=DescribeDisks&DiskIds=%5B%22d-web%22%5D");
    assert!(
        xml.body.contains("<DiskName>web-data</DiskName>"),
        "{}",
        xml.body
    );
    assert!(xml.body.contains("<Size>100</Size>"), "{}", xml.body);

    assert_eq!(disks(&server, "DiskName=web-data"), ["d-web"]);
    assert!(disks(&server, "DiskName=web").is_empty());
    assert_eq!(disks(&server, "ZoneId=cn-hangzhou-k"), ["d-web"]);
    assert_eq!(disks(&server, "ZoneId=cn-hangzhou-i"), ["d-sys", "d-free"]);
    assert_eq!(disks(&server, "Portable=false"), ["d-web", "d-sys"]);
    assert_eq!(
        disks(&server, "DeleteWithInstance=true"),
        ["d-web", "d-sys"]
    );
    assert_eq!(disks(&server, "DeleteWithInstance=false"), ["d-free"]);
}

#[test]
fn describe_instances_shows_an_instances_own_fields_and_filters_on_them() {
    let server = server();
    let body = get(
        &server,
        "Action=DescribeInstances&InstanceIds=%5B%22i-web%22%5D",
    );
    let instance = &body["Instances"]["Instance"][0];
    assert_eq!(instance["InstanceName"], "web-1");
    assert_eq!(instance["InstanceType"], "ecs.g8i.xlarge");
    assert_eq!(instance["ImageId"], "m-1", "written from the system disk");
    assert_eq!(instances(&server, "InstanceName=web-*"), ["i-web"]);
    assert_eq!(instances(&server, "InstanceName=i-other"), ["i-other"]);
    assert_eq!(instances(&server, "InstanceType=ecs.g8i.xlarge"), ["i-web"]);
    assert_eq!(instances(&server, "InstanceType=ecs.g7.large"), ["i-other"]);
    assert_eq!(instances(&server, "ZoneId=cn-hangzhou-k"), ["i-web"]);
    assert_eq!(
        ids(
            &server,
            "Action=DescribeInstanceStatus&ZoneId=cn-hangzhou-k",
            "InstanceStatuses",
            "InstanceStatus",
            "InstanceId"
        ),
        ["i-web"]
    );
    assert_eq!(
        ids(
            &server,
            "Action=DescribeInstanceStatus&ZoneId=cn-hangzhou-i",
            "InstanceStatuses",
            "InstanceStatus",
            "InstanceId"
        ),
        ["i-other"]
    );
    // `InstanceId.N`, as the SDKs send a list: those instances, at most 100.
    assert_eq!(
        ids(
            &server,
            "Action=DescribeInstanceStatus&InstanceId.1=i-other",
            "InstanceStatuses",
            "InstanceStatus",
            "InstanceId"
        ),
        ["i-other"]
    );
    let hundred: String = (1..=100)
        .map(|n| format!("&InstanceId.{n}=i-web"))
        .collect();
    assert_eq!(
        get(&server, &format!("Action=DescribeInstanceStatus{hundred}"))["TotalCount"],
        1
    );
    let reply = server.get(&format!(
        "Action=DescribeInstanceStatus{hundred}&InstanceId.101=i-web&Format=JSON"
    ));
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(reply.json()["Code"], "InvalidInstanceIds.Malformed");
    let attribute = get(&server, "Action=DescribeInstanceAttribute&InstanceId=i-web");
    assert_eq!(attribute["InstanceName"], "web-1");
    assert_eq!(attribute["ZoneId"], "cn-hangzhou-k");
}

#[test]
fn describe_images_and_key_pairs_filter_on_the_records_own_fields() {
    let server = server();
    let images = |filter: &str| {
        ids(
            &server,
            &format!("Action=DescribeImages&{filter}"),
            "Images",
            "Image",
            "ImageId",
        )
    };
    assert_eq!(images("ImageName=aliyun_3_arm"), ["m-1"]);
    assert_eq!(images("Architecture=arm64"), ["m-1"]);
    assert!(images("Architecture=x86_64").is_empty());
    // Status defaults to Available: a deprecated image is listed when asked.
    assert_eq!(images("ImageOwnerAlias=self"), Vec::<String>::new());
    assert_eq!(images("Status=Deprecated"), ["m-old"]);
    assert_eq!(images("Status=Available,Deprecated"), ["m-1", "m-old"]);
    let pairs = |filter: &str| {
        ids(
            &server,
            &format!("Action=DescribeKeyPairs&{filter}"),
            "KeyPairs",
            "KeyPair",
            "KeyPairName",
        )
    };
    assert_eq!(pairs("KeyPairFingerPrint=ab12"), ["kp-1"]);
    // `*` patterns: the end must match too.
    assert_eq!(pairs("KeyPairName=kp*2"), ["kp-2"]);
    assert!(pairs("KeyPairName=kp*9").is_empty());
    assert_eq!(pairs("KeyPairName=*p-*"), ["kp-1", "kp-2"]);
    let made = reinit_disk::ecs::key_pair_fingerprint("kp-2");
    assert_eq!(pairs(&format!("KeyPairFingerPrint={made}")), ["kp-2"]);
}

#[test]
fn the_state_returns_every_field_given_and_loads_back_the_same() {
    let server = server();
    let state = server
        .request("GET", "/_reinit-disk/state", &[], b"")
        .json();
    assert_eq!(state["Disks"][0]["DiskName"], "web-data");
    assert_eq!(state["Disks"][0]["Tags"]["Tag"][0]["TagKey"], "team");
    assert_eq!(state["Instances"][0]["InstanceType"], "ecs.g8i.xlarge");
    assert_eq!(state["KeyPairs"][0]["KeyPairFingerPrint"], "ab12");
    assert_eq!(state["Disks"][1].get("DiskName"), None);
    let again = Server::start(&[]);
    let reply = again.request(
        "PUT",
        "/_reinit-disk/world",
        &[],
        state.to_string().as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let query = "Action=DescribeDisks&PageSize=100";
    let (a, b) = (get(&server, query), get(&again, query));
    assert_eq!(a["Disks"], b["Disks"]);
    // A re-init changes the facts and keeps the fields.
    let reply = server.get("Action=ReInitDisk&DiskId=d-web&Format=JSON");
    assert_eq!(reply.status, 200, "{}", reply.body);
    let disk = &get(&server, "Action=DescribeDisks&DiskIds=%5B%22d-web%22%5D")["Disks"]["Disk"][0];
    assert_eq!(disk["Status"], "ReIniting");
    assert_eq!(disk["DiskName"], "web-data");
}

fn patch(server: &Server, path: &str, body: &str) -> (u16, Value) {
    let reply = server.request("PATCH", path, &[], body.as_bytes());
    let json = reply.json();
    (reply.status, json)
}

#[test]
fn patch_sets_and_unsets_a_records_own_fields_as_a_scenario_record_takes_them() {
    let server = server();
    let one = |id: &str| {
        get(
            &server,
            &format!("Action=DescribeDisks&DiskIds=%5B%22{id}%22%5D"),
        )["Disks"]["Disk"][0]
            .clone()
    };
    let (status, body) = patch(
        &server,
        "/_reinit-disk/disks/d-free",
        r#"{"DiskName": "spare", "Size": 500}"#,
    );
    assert_eq!(status, 200, "{body}");
    let disk = one("d-free");
    assert_eq!(
        (disk["DiskName"].clone(), disk["Size"].clone()),
        (json!("spare"), json!(500))
    );
    // The others stay: a patch lays its fields over the record.
    let (status, body) = patch(
        &server,
        "/_reinit-disk/disks/d-web",
        r#"{"DiskName": null}"#,
    );
    assert_eq!(status, 200, "{body}");
    let disk = one("d-web");
    assert_eq!(disk["DiskName"], "", "unset: the default again");
    assert_eq!(disk["Size"], 100);
    let (status, body) = patch(
        &server,
        "/_reinit-disk/instances/i-other",
        r#"{"InstanceName": "batch"}"#,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        get(&server, "Action=DescribeInstances&InstanceName=batch")["TotalCount"],
        1
    );
    // Refused, naming the field, and nothing changed.
    for (path, body, field, says) in [
        (
            "/_reinit-disk/disks/d-web",
            r#"{"Device": "/dev/xvdz"}"#,
            "Device",
            "written from a disk's facts",
        ),
        (
            "/_reinit-disk/disks/d-web",
            r#"{"Size": "big"}"#,
            "Size",
            "invalid type",
        ),
        (
            "/_reinit-disk/disks/d-web",
            r#"{"Sise": 1}"#,
            "Sise",
            "unknown field",
        ),
        (
            "/_reinit-disk/instances/i-web",
            r#"{"ImageId": "m-2"}"#,
            "ImageId",
            "written from an instance's facts",
        ),
        (
            "/_reinit-disk/images/m-1",
            r#"{"IsPublic": false}"#,
            "IsPublic",
            "written from an image's facts",
        ),
    ] {
        let (status, got) = patch(&server, path, body);
        assert_eq!(status, 400, "{body}: {got}");
        assert_eq!(got["Path"], field, "{body}: {got}");
        assert!(
            got["Error"].as_str().unwrap().contains(says),
            "{body}: {got}"
        );
    }
    assert_eq!(one("d-web")["Size"], 100);
}
