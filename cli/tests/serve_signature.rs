//! The signature checks of `reinit-disk serve`, held to the official
//! worked examples of both methods (ECS's "Request signatures" page for
//! HMAC-SHA1 1.0; the V3 signature page for ACS3-HMAC-SHA256), and to each
//! refusal: a tampered request, an unknown key, a reused nonce, a stale or
//! malformed timestamp, a missing signature, a secret never echoed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk::wire::HttpRequest;
use reinit_disk_cli::serve::{AccessKeys, ApiError, Nonces, SignatureError, verify};

/// 2016-02-23T12:46:24Z.
const V1_NOW: i64 = 1_456_231_584;
/// 2023-10-26T09:01:01Z.
const V3_NOW: i64 = 1_698_310_861;

const V1_QUERY: &str = "AccessKeyId=testid&Action=DescribeRegions&Format=XML&SignatureMethod=HMAC-SHA1&SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&SignatureVersion=1.0&Timestamp=2016-02-23T12%3A46%3A24Z&Version=2014-05-26&Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D";

fn keys(arg: &str) -> AccessKeys {
    AccessKeys::parse([arg]).unwrap()
}

fn v1(query: &str, nonces: &Nonces, now: i64) -> Result<(), SignatureError> {
    let http = HttpRequest {
        query,
        ..HttpRequest::default()
    };
    verify(&keys("testid:testsecret"), nonces, "GET", "/", &http, now).map(|_| ())
}

#[test]
fn serve_accepts_the_official_hmac_sha1_example_once() {
    let nonces = Nonces::default();
    assert_eq!(v1(V1_QUERY, &nonces, V1_NOW), Ok(()));
    assert_eq!(
        v1(V1_QUERY, &nonces, V1_NOW + 1),
        Err(SignatureError::NonceUsed)
    );
}

#[test]
fn serve_refuses_a_tampered_hmac_sha1_request_with_the_string_it_signed() {
    let tampered = V1_QUERY.replace("DescribeRegions", "DescribeDisks");
    let Err(SignatureError::DoesNotMatchV1(signed)) = v1(&tampered, &Nonces::default(), V1_NOW)
    else {
        panic!("not refused as not matching");
    };
    assert!(
        signed.starts_with("GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDisks"),
        "{signed}"
    );
    let error = ApiError::Signature(SignatureError::DoesNotMatchV1(signed.clone()));
    assert_eq!(
        (error.code(), error.status()),
        ("SignatureDoesNotMatch", 400)
    );
    assert_eq!(
        error.message(),
        format!(
            "Specified signature is not matched with our calculation. server string to sign is:{signed}"
        )
    );
    assert!(!error.message().contains("testsecret"));
}

#[test]
fn serve_refuses_stale_malformed_unsigned_and_unknown_key_requests() {
    let nonces = Nonces::default();
    assert_eq!(
        v1(V1_QUERY, &nonces, V1_NOW + 15 * 60 + 1),
        Err(SignatureError::TimestampExpired)
    );
    assert_eq!(
        v1(V1_QUERY, &Nonces::default(), V1_NOW - 15 * 60 - 1),
        Err(SignatureError::TimestampExpired)
    );
    assert_eq!(v1(V1_QUERY, &Nonces::default(), V1_NOW + 15 * 60), Ok(()));
    let unsigned = V1_QUERY.split("&Signature=").next().unwrap();
    assert_eq!(
        v1(unsigned, &Nonces::default(), V1_NOW),
        Err(SignatureError::Missing("Signature"))
    );
    let other_key = V1_QUERY.replace("AccessKeyId=testid", "AccessKeyId=nobody");
    assert_eq!(
        v1(&other_key, &Nonces::default(), V1_NOW),
        Err(SignatureError::UnknownAccessKey)
    );
    let sha256 = V1_QUERY.replace("HMAC-SHA1", "HMAC-SHA256");
    assert_eq!(
        v1(&sha256, &Nonces::default(), V1_NOW),
        Err(SignatureError::UnsupportedMethod("SignatureMethod"))
    );
    for (error, code, message) in [
        (
            SignatureError::TimestampExpired,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        ),
        (
            SignatureError::NonceUsed,
            "SignatureNonceUsed",
            "The request signature nonce has been used.",
        ),
        (
            SignatureError::UnknownAccessKey,
            "InvalidAccessKeyId.NotFound",
            "The specified Access Key ID does not exist.",
        ),
        (
            SignatureError::Missing("Signature"),
            "MissingParameter",
            "The input parameter \u{201c}Signature\u{201d} that is mandatory for processing the request is not supplied.",
        ),
    ] {
        let e = ApiError::Signature(error);
        assert_eq!(
            (e.code(), e.status(), e.message().as_str()),
            (code, 400, message)
        );
    }
}

fn v3(query: &str, authorization: &str, now: i64) -> Result<(), SignatureError> {
    let headers = [
        ("host", "ecs.cn-shanghai.aliyuncs.com"),
        ("x-acs-action", "RunInstances"),
        (
            "x-acs-content-sha256",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        ("x-acs-date", "2023-10-26T09:01:01Z"),
        ("x-acs-signature-nonce", "d410180a5abf7fe235dd9b74aca91fc0"),
        ("x-acs-version", "2014-05-26"),
        ("Authorization", authorization),
    ];
    let http = HttpRequest {
        query,
        headers: &headers,
        ..HttpRequest::default()
    };
    verify(
        &keys("YourAccessKeyId:YourAccessKeySecret"),
        &Nonces::default(),
        "POST",
        "/",
        &http,
        now,
    )
    .map(|_| ())
}

const V3_QUERY: &str =
    "ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai";
const V3_AUTHORIZATION: &str = "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804";

#[test]
fn serve_accepts_the_official_acs3_example_and_refuses_it_tampered() {
    assert_eq!(v3(V3_QUERY, V3_AUTHORIZATION, V3_NOW), Ok(()));
    // The query in another order, and `+` for a space, sign the same.
    let reordered =
        "RegionId=cn-shanghai&ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd";
    assert_eq!(v3(reordered, V3_AUTHORIZATION, V3_NOW), Ok(()));
    let tampered = V3_QUERY.replace("cn-shanghai", "cn-beijing");
    let Err(SignatureError::DoesNotMatchV3(signed)) = v3(&tampered, V3_AUTHORIZATION, V3_NOW)
    else {
        panic!("not refused as not matching");
    };
    assert!(signed.starts_with("ACS3-HMAC-SHA256\n"), "{signed}");
    assert_eq!(
        v3(
            V3_QUERY,
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId",
            V3_NOW
        ),
        Err(SignatureError::Incomplete)
    );
    assert_eq!(
        v3(V3_QUERY, V3_AUTHORIZATION, V3_NOW + 16 * 60),
        Err(SignatureError::TimestampExpired)
    );
}

#[test]
fn access_keys_are_refused_by_their_id_never_their_secret() {
    let error = AccessKeys::parse(["id:s3cret", "id:other"]).unwrap_err();
    assert!(
        error.contains("\"id\"") && !error.contains("s3cret") && !error.contains("other"),
        "{error}"
    );
    let error = AccessKeys::parse(["no-colon-s3cret"]).unwrap_err();
    assert!(!error.contains("s3cret"), "{error}");
    let keys = AccessKeys::parse(["id:s3cret"]).unwrap();
    assert!(!format!("{keys:?}").contains("s3cret"));
}
