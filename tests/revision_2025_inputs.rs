//! The 2025-02-27 revision's new scenario fields and parameters, given
//! hostile or invalid values: each invalid one is refused at its field with
//! the accepted values, never a panic; each valid one displays, serializes
//! and reads back to itself; huge and odd values are decided, not echoed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk::scenario::Scenario;
use serde_json::{Value, json};

fn base() -> Value {
    json!({
        "Request": {"Action": "ReInitDisk", "DiskId": "d-1"},
        "Disks": [{"DiskId": "d-1", "Type": "system", "Category": "cloud_essd",
                   "Status": "In_use", "InstanceId": "i-1", "ImageId": "m-1"}],
        "Instances": [{"InstanceId": "i-1", "Status": "Stopped"}],
        "Images": [{"ImageId": "m-1", "ImageOwnerAlias": "system"}],
        "Policy": {"Revision": "2025-02-27"}
    })
}

fn refused(doc: &Value) -> (String, String) {
    let e = Scenario::from_json(&doc.to_string()).unwrap_err();
    (e.path, e.message)
}

fn decided(doc: &Value) -> Value {
    let s = Scenario::from_json(&doc.to_string()).unwrap();
    serde_json::to_value(s.decide()).unwrap()
}

#[test]
fn an_encrypted_disk_needs_a_listed_key_and_only_an_encrypted_disk_has_one() {
    let mut doc = base();
    doc["Disks"][0]["Encrypted"] = json!(true);
    let (path, message) = refused(&doc);
    assert_eq!(path, "Disks[0]");
    assert!(
        message.contains("an encrypted disk (Encrypted: true) needs a KMSKeyId"),
        "{message}"
    );

    doc["Disks"][0]["KMSKeyId"] = json!("key-1");
    let (path, message) = refused(&doc);
    assert_eq!(path, "Disks[0].KMSKeyId");
    assert!(
        message.contains("\"key-1\" is not listed in KmsKeys"),
        "{message}"
    );

    doc["KmsKeys"] = json!([{"KeyId": "key-1"}]);
    assert_eq!(decided(&doc)["Accepted"], json!(true));

    let mut plain = base();
    plain["Disks"][0]["KMSKeyId"] = json!("key-1");
    plain["KmsKeys"] = json!([{"KeyId": "key-1"}]);
    let (_, message) = refused(&plain);
    assert!(
        message.contains("a KMSKeyId needs Encrypted: true"),
        "{message}"
    );
    // An empty KMSKeyId, as DescribeDisks shows one, is no key.
    plain["Disks"][0]["KMSKeyId"] = json!("");
    assert_eq!(decided(&plain)["Accepted"], json!(true));
}

#[test]
fn key_pairs_and_kms_keys_are_unique_and_not_empty() {
    let mut doc = base();
    doc["KeyPairs"] = json!([{"KeyPairName": "kp"}, {"KeyPairName": "kp"}]);
    assert_eq!(refused(&doc).0, "KeyPairs[1].KeyPairName");
    doc["KeyPairs"] = json!([{"KeyPairName": ""}]);
    let (path, message) = refused(&doc);
    assert_eq!(path, "KeyPairs[0].KeyPairName");
    assert!(message.contains("an id cannot be empty"), "{message}");
    let mut doc = base();
    doc["KmsKeys"] = json!([{"KeyId": "k"}, {"KeyId": "k"}]);
    assert_eq!(refused(&doc).0, "KmsKeys[1].KeyId");
}

#[test]
fn a_wrong_enum_or_field_names_the_accepted_ones() {
    let mut doc = base();
    doc["KmsKeys"] = json!([{"KeyId": "k", "KeyState": "enabled"}]);
    let (path, message) = refused(&doc);
    assert_eq!(path, "KmsKeys[0].KeyState");
    assert!(
        message.contains("`Enabled`, `Disabled`, `PendingDeletion`"),
        "{message}"
    );

    let mut doc = base();
    doc["Instances"][0]["OSType"] = json!("Windows");
    let (path, message) = refused(&doc);
    assert_eq!(path, "Instances[0].OSType");
    assert!(
        message.contains("expected `linux` or `windows`"),
        "{message}"
    );

    let mut doc = base();
    doc["Disks"][0]["MultiAttach"] = json!(true);
    let (path, message) = refused(&doc);
    assert_eq!(path, "Disks[0].MultiAttach");
    assert!(message.contains("`Disabled` or `Enabled`"), "{message}");

    let mut doc = base();
    doc["Account"] = json!({"InWhiteList": false});
    let (path, message) = refused(&doc);
    assert_eq!(path, "Account.InWhiteList");
    assert!(
        message.contains("expected `InVolumeWhiteList` or `RegionSupportsLoginAsNonRoot`"),
        "{message}"
    );

    let mut doc = base();
    doc["Account"] = json!([true, true]);
    assert_eq!(refused(&doc).0, "Account");

    let mut doc = base();
    doc["Policy"]["DeletedImageCode"] = json!("InvalidImageId");
    let (path, message) = refused(&doc);
    assert_eq!(path, "Policy.DeletedImageCode");
    assert!(
        message.contains(
            "expected `InvalidDiskId.OperationNotSupported` or `InvalidImageId.NotFound`"
        ),
        "{message}"
    );
}

#[test]
fn huge_and_odd_parameter_values_are_decided_and_not_echoed() {
    let huge = "x".repeat(1 << 20);
    let cases = [
        ("Password", huge.clone(), "InvalidPassword.Malformed"),
        ("KeyPairName", huge.clone(), "InvalidKeyPairName.NotFound"),
        (
            "AutoStartInstance",
            "TRUE\u{0}".to_owned(),
            "InvalidParameter",
        ),
        (
            "AutoStartInstance",
            "ｔｒｕｅ".to_owned(),
            "InvalidParameter",
        ),
        (
            "RegionId",
            "cn-\u{202e}hangzhou".to_owned(),
            "InvalidRegionId.MalFormed",
        ),
        ("RegionId", huge.clone(), "InvalidRegionId.MalFormed"),
        (
            "Password",
            "Pässw0rd!x".to_owned(),
            "InvalidPassword.Malformed",
        ),
        (
            "Password",
            "Passw0rd!\u{301}".to_owned(),
            "InvalidPassword.Malformed",
        ),
    ];
    for (param, value, code) in cases {
        let mut doc = base();
        doc["Request"][param] = json!(value);
        let decision = decided(&doc);
        assert_eq!(decision["Code"], json!(code), "{param}");
        let text = decision.to_string();
        assert!(text.len() < 1_000, "{param}: the decision echoes the value");
    }
}

#[test]
fn every_new_field_reads_back_to_itself() {
    let doc = json!({
        "Request": {"Action": "ReInitDisk", "DiskId": "d-1", "Password": "Passw0rd!",
                    "KeyPairName": "kp-1", "AutoStartInstance": "True", "RegionId": "cn-hangzhou"},
        "Disks": [{"DiskId": "d-1", "Type": "system", "Category": "cloud_essd", "Status": "In_use",
                   "InstanceId": "i-1", "ImageId": "m-1", "MultiAttach": "Enabled",
                   "Encrypted": true, "KMSKeyId": "key-1"}],
        "Instances": [{"InstanceId": "i-1", "Status": "Stopped", "OSType": "windows",
                       "HibernationConfigured": true, "LoginAsNonRoot": true, "IoOptimized": false}],
        "Images": [{"ImageId": "m-1", "ImageOwnerAlias": "self", "LoginAsNonRootSupported": false}],
        "Snapshots": [{"SnapshotId": "s-1", "CreationTime": "2020-01-01T00:00:00Z",
                       "SourceDiskId": "d-gone", "InstantAccess": true}],
        "KeyPairs": [{"KeyPairName": "kp-1"}],
        "KmsKeys": [{"KeyId": "key-1", "KeyState": "PendingDeletion", "EcsAuthorized": false,
                     "EcsTagged": false}],
        "Account": {"InVolumeWhiteList": false, "RegionSupportsLoginAsNonRoot": false},
        "Policy": {"Revision": "2025-02-27", "DeletedImageCode": "InvalidImageId.NotFound"}
    });
    let first = Scenario::from_json(&doc.to_string()).unwrap();
    let written = serde_json::to_string(&first).unwrap();
    let second = Scenario::from_json(&written).unwrap();
    assert_eq!(first, second);
    assert_eq!(serde_json::to_string(&second).unwrap(), written);
    // Each fact kept its value (not its default).
    let again: Value = serde_json::from_str(&written).unwrap();
    assert_eq!(again["Disks"][0]["MultiAttach"], "Enabled");
    assert_eq!(again["Instances"][0]["OSType"], "windows");
    assert_eq!(again["Instances"][0]["IoOptimized"], false);
    assert_eq!(again["Images"][0]["LoginAsNonRootSupported"], false);
    assert_eq!(again["Snapshots"][0]["SourceDiskId"], "d-gone");
    assert_eq!(again["KmsKeys"][0]["KeyState"], "PendingDeletion");
    assert_eq!(again["Account"]["InVolumeWhiteList"], false);
    assert_eq!(
        again["Policy"]["DeletedImageCode"],
        "InvalidImageId.NotFound"
    );
}
