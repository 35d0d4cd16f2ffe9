//! `reinit-disk serve` under attack (issue 21), each class reproduced over
//! loopback: the admin endpoints without a signature, from a rebinding
//! `Host` or a CORS-simple POST; nonce replay after a flood; ACS3 over thin
//! `SignedHeaders`; a relabelled body; unsigned requests locking out a
//! signed client; forged log lines; any method running an action; slow
//! headers, an idle flood, stalled and oversized uploads, long nonces and
//! a full nonce store; and the shutdown and the log when standard error is
//! a pipe nobody reads or `/dev/full`. Every server binds 127.0.0.1; every
//! loop is bounded in count and time; every wait has a deadline.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::http::{Client, Reply, Server};
use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use sha2::{Digest, Sha256};

const WORLD: &str = "examples/serve-world.json";
const ID: &str = "LTAItestid";
const SECRET: &str = "testsecret";
const KEY: &str = "LTAItestid:testsecret";

const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

fn encode(text: &str) -> String {
    utf8_percent_encode(text, ENCODE).to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Now, as ECS writes a timestamp.
fn timestamp() -> String {
    time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .unwrap()
}

fn nonce() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "n-{}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        time::OffsetDateTime::now_utc().unix_timestamp_nanos()
    )
}

/// A query signed with HMAC-SHA1 1.0 (the older SDK's way): `params`
/// plus the signature's own parameters (`extra` replaces or removes
/// them: a value of `None` leaves the parameter out).
fn v1_query(method: &str, params: &[(&str, &str)], extra: &[(&str, Option<&str>)]) -> String {
    let ts = timestamp();
    let nonce = nonce();
    let mut all: Vec<(String, String)> = vec![
        ("AccessKeyId".into(), ID.into()),
        ("SignatureMethod".into(), "HMAC-SHA1".into()),
        ("SignatureVersion".into(), "1.0".into()),
        ("SignatureNonce".into(), nonce),
        ("Timestamp".into(), ts),
        ("Version".into(), "2014-05-26".into()),
    ];
    for (name, value) in extra {
        all.retain(|(n, _)| n != name);
        if let Some(value) = value {
            all.push(((*name).into(), (*value).into()));
        }
    }
    all.extend(params.iter().map(|(n, v)| ((*n).into(), (*v).into())));
    let mut pairs: Vec<(String, String)> =
        all.iter().map(|(n, v)| (encode(n), encode(v))).collect();
    pairs.sort();
    let canonical = pairs
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let to_sign = format!("{method}&{}&{}", encode("/"), encode(&canonical));
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(format!("{SECRET}&").as_bytes()).unwrap();
    mac.update(to_sign.as_bytes());
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    format!("{canonical}&Signature={}", encode(&signature))
}

/// An ACS3-HMAC-SHA256 request: the headers to send (`Authorization`
/// included), signing only the headers `signed` names (lower case,
/// sorted). `headers` are the request's own (lower-case names).
fn acs3_headers(
    method: &str,
    path: &str,
    query: &str,
    mut headers: Vec<(String, String)>,
    signed: &[&str],
    body: &[u8],
) -> Vec<(String, String)> {
    let mut query_pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    query_pairs.sort();
    let canonical_headers: String = signed
        .iter()
        .map(|name| {
            let value = headers
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_else(|| panic!("no header {name} to sign"));
            format!("{name}:{value}\n")
        })
        .collect();
    let signed_list = signed.join(";");
    let canonical = format!(
        "{method}\n{path}\n{}\n{canonical_headers}\n{signed_list}\n{}",
        query_pairs.join("&"),
        hex(&Sha256::digest(body))
    );
    let to_sign = format!(
        "ACS3-HMAC-SHA256\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(to_sign.as_bytes());
    let signature = hex(&mac.finalize().into_bytes());
    headers.push((
        "authorization".into(),
        format!(
            "ACS3-HMAC-SHA256 Credential={ID},SignedHeaders={signed_list},Signature={signature}"
        ),
    ));
    headers
}

/// The headers an SDK sends for an ACS3 request of `action` over `body`.
fn sdk_headers(host: &str, action: &str, body: &[u8]) -> Vec<(String, String)> {
    vec![
        ("host".into(), host.into()),
        ("x-acs-action".into(), action.into()),
        ("x-acs-content-sha256".into(), hex(&Sha256::digest(body))),
        ("x-acs-date".into(), timestamp()),
        ("x-acs-signature-nonce".into(), nonce()),
        ("x-acs-version".into(), "2014-05-26".into()),
    ]
}

const ALL_SIGNED: [&str; 6] = [
    "host",
    "x-acs-action",
    "x-acs-content-sha256",
    "x-acs-date",
    "x-acs-signature-nonce",
    "x-acs-version",
];

/// A request written byte for byte (the `Host` and every header as
/// given), and its reply.
fn raw(addr: &str, head: &str, body: &[u8]) -> Reply {
    let mut client = Client::connect(addr);
    client.stream.write_all(head.as_bytes()).unwrap();
    client.stream.write_all(body).unwrap();
    client.read_reply()
}

/// `METHOD TARGET` with `headers` (a `Host` among them, or none).
fn send(
    addr: &str,
    method: &str,
    target: &str,
    headers: &[(String, String)],
    body: &[u8],
) -> Reply {
    let mut head = format!(
        "{method} {target} HTTP/1.1\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    raw(addr, &head, body)
}

fn code(reply: &Reply) -> String {
    reply.json()["Code"].as_str().unwrap_or_default().to_owned()
}

fn instance_status(server: &Server, id: &str, signed: bool) -> String {
    let params = [
        ("Action", "DescribeInstances"),
        ("Format", "JSON"),
        ("InstanceIds", &format!("[\"{id}\"]")),
    ];
    let query = if signed {
        v1_query("GET", &params, &[])
    } else {
        params
            .iter()
            .map(|(n, v)| format!("{n}={}", encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    };
    let reply = server.get(&query);
    assert_eq!(reply.status, 200, "{}", reply.body);
    reply.json()["Instances"]["Instance"][0]["Status"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn wait_exit(child: &mut Child, within: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

fn kill_term(child: &Child) {
    assert!(
        Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap()
            .success()
    );
}

/// Whether the server closed `stream` (end of file or a reset) within
/// `within`, reading and dropping whatever it answered.
fn closed_within(stream: &mut TcpStream, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buf = [0u8; 4096];
    while Instant::now() < deadline {
        match stream.read(&mut buf) {
            Ok(0) => return true,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return true,
        }
    }
    false
}

// ---------------------------------------------------------------- admin

#[test]
fn with_keys_the_admin_endpoints_need_a_signature_or_the_token() {
    let server = Server::start(&["--world", WORLD, "--access-key", KEY]);
    for (method, path) in [
        ("GET", "/_reinit-disk/state"),
        ("POST", "/_reinit-disk/reset"),
        ("PUT", "/_reinit-disk/world"),
        ("POST", "/_reinit-disk/clock?advance=1"),
        ("GET", "/_reinit-disk/anything-added-later"),
    ] {
        let reply = server.request(method, path, &[], b"{}");
        assert_eq!(reply.status, 401, "{method} {path}: {}", reply.body);
        assert!(
            reply.json()["Error"]
                .as_str()
                .unwrap()
                .contains("signature")
        );
    }
    // Health stays open and says nothing of the world.
    let health = server.request("GET", "/_reinit-disk/health", &[], b"");
    assert_eq!(health.status, 200);
    // The server's own facts (version, revision, actions), no record's.
    let fields: Vec<String> = health.json().as_object().unwrap().keys().cloned().collect();
    assert_eq!(fields, ["Actions", "Revision", "Status", "Version"]);
    for id in ["d-", "i-", "m-", "s-"] {
        assert!(!health.body.contains(id), "{}", health.body);
    }
    // An HMAC-SHA1 signature does not cover the path: a signed action
    // sent to an admin endpoint is refused, its nonce unused.
    let v1 = v1_query(
        "POST",
        &[("Action", "DescribeDisks"), ("Format", "JSON")],
        &[],
    );
    let reply = server.request("POST", &format!("/_reinit-disk/reset?{v1}"), &[], b"");
    assert_eq!(reply.status, 401, "{}", reply.body);
    assert!(reply.json()["Error"].as_str().unwrap().contains("ACS3"));
    let reply = server.request("POST", &format!("/?{v1}"), &[], b"");
    assert_eq!(reply.status, 200, "{}", reply.body);
    // A signed request passes (ACS3 over the admin path).
    let host = "127.0.0.1";
    let headers = acs3_headers(
        "GET",
        "/_reinit-disk/state",
        "",
        sdk_headers(host, "State", b""),
        &ALL_SIGNED,
        b"",
    );
    let state = send(&server.addr, "GET", "/_reinit-disk/state", &headers, b"");
    assert_eq!(state.status, 200, "{}", state.body);
    assert!(state.json()["Disks"].is_array());
    // Replayed, the same signature is refused.
    let again = send(&server.addr, "GET", "/_reinit-disk/state", &headers, b"");
    assert_eq!(again.status, 401, "{}", again.body);
    assert_eq!(again.json()["Code"], "SignatureNonceUsed");
}

#[test]
fn the_admin_token_opens_the_admin_endpoints_and_a_wrong_one_does_not() {
    let token = "0123456789abcdef-token";
    let server = Server::start(&["--world", WORLD, "--admin-token", token]);
    let bearer = format!("Bearer {token}");
    let reply = server.request(
        "POST",
        "/_reinit-disk/clock?advance=1",
        &[("Authorization", &bearer)],
        b"",
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    for wrong in [
        "Bearer 0123456789abcdef-tokeN",
        "Bearer ",
        "Bearer 0123456789abcdef-token-longer",
    ] {
        let reply = server.request(
            "GET",
            "/_reinit-disk/state",
            &[("Authorization", wrong)],
            b"",
        );
        assert_eq!(reply.status, 401, "{wrong}: {}", reply.body);
        assert!(!reply.body.contains(token));
    }
    // Without keys the token is required too: no Host rule stands in.
    let reply = server.request("GET", "/_reinit-disk/state", &[], b"");
    assert_eq!(reply.status, 401, "{}", reply.body);
    assert!(!server.log().contains(token));
    // A token too short to guess is refused at start, never shown.
    let out = Command::new(env!("CARGO_BIN_EXE_reinit-disk"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--admin-token",
            "short-s3cret",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--admin-token: expected 16 to 256"),
        "{stderr}"
    );
    assert!(!stderr.contains("short-s3cret"), "{stderr}");
}

#[test]
fn without_keys_a_rebinding_host_is_refused() {
    let server = Server::start(&["--world", WORLD]);
    for host in [
        "evil.example",
        "evil.example:8080",
        "127.0.0.1.evil.example",
        "10.0.0.1",
        "[::2]:80",
        "localhost.evil",
    ] {
        let reply = raw(
            &server.addr,
            &format!(
                "GET /_reinit-disk/state HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\n\r\n"
            ),
            b"",
        );
        assert_eq!(reply.status, 403, "{host}: {}", reply.body);
        assert!(
            reply.json()["Error"]
                .as_str()
                .unwrap()
                .contains("loopback Host"),
            "{}",
            reply.body
        );
    }
    for host in [
        "localhost",
        "LOCALHOST:8080",
        "127.0.0.1",
        "127.1.2.3:80",
        "[::1]",
        "[::1]:8080",
    ] {
        let reply = raw(
            &server.addr,
            &format!(
                "GET /_reinit-disk/state HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\n\r\n"
            ),
            b"",
        );
        assert_eq!(reply.status, 200, "{host}: {}", reply.body);
    }
}

#[test]
fn without_keys_a_cors_simple_post_is_refused() {
    let server = Server::start(&["--world", WORLD]);
    // A page's `fetch(url, {method: "POST", mode: "no-cors"})`.
    let reply = server.request(
        "POST",
        "/_reinit-disk/reset",
        &[
            ("Origin", "http://evil.example"),
            ("Content-Type", "text/plain"),
        ],
        b"x",
    );
    assert_eq!(reply.status, 403, "{}", reply.body);
    assert!(reply.json()["Error"].as_str().unwrap().contains("Origin"));
    // Same origin but a form's content type.
    let reply = server.request(
        "PUT",
        "/_reinit-disk/world",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"{}",
    );
    assert_eq!(reply.status, 403, "{}", reply.body);
    assert!(
        reply.json()["Error"]
            .as_str()
            .unwrap()
            .contains("application/json")
    );
    // The server's own origin and JSON pass.
    let reply = server.request(
        "PUT",
        "/_reinit-disk/world",
        &[
            ("Origin", "http://127.0.0.1"),
            ("Content-Type", "application/json; charset=utf-8"),
        ],
        b"{}",
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
}

// ----------------------------------------------------------- signatures

#[test]
fn acs3_over_thin_signed_headers_is_refused_and_cannot_be_replayed() {
    let server = Server::start(&["--world", WORLD, "--access-key", KEY]);
    let query = "Action=DescribeDisks&Format=JSON";
    for left_out in ALL_SIGNED {
        let signed: Vec<&str> = ALL_SIGNED
            .iter()
            .copied()
            .filter(|h| *h != left_out)
            .collect();
        let headers = acs3_headers(
            "GET",
            "/",
            query,
            sdk_headers("127.0.0.1", "DescribeDisks", b""),
            &signed,
            b"",
        );
        let reply = send(&server.addr, "GET", &format!("/?{query}"), &headers, b"");
        assert_eq!(
            (reply.status, code(&reply).as_str()),
            (400, "IncompleteSignature"),
            "{left_out} left out: {}",
            reply.body
        );
    }
    // Signed over host and the action only, then sent again with a fresh
    // nonce the signature does not cover.
    let headers = acs3_headers(
        "GET",
        "/",
        query,
        sdk_headers("127.0.0.1", "DescribeDisks", b""),
        &["host", "x-acs-action"],
        b"",
    );
    let mut replay = headers.clone();
    for (name, value) in &mut replay {
        if name == "x-acs-signature-nonce" {
            *value = nonce();
        }
    }
    for headers in [headers, replay] {
        let reply = send(&server.addr, "GET", &format!("/?{query}"), &headers, b"");
        assert_eq!(code(&reply), "IncompleteSignature", "{}", reply.body);
    }
}

#[test]
fn a_signed_body_relabelled_with_another_content_type_is_refused() {
    let server = Server::start(&["--world", WORLD, "--access-key", KEY]);
    let body = b"Action=StopInstance&InstanceId=i-1&Format=JSON";
    let mut own = sdk_headers("127.0.0.1", "StopInstance", body);
    own.push((
        "content-type".into(),
        "application/x-www-form-urlencoded".into(),
    ));
    // Signed without content-type, then sent with another.
    let mut headers = acs3_headers("POST", "/", "", own.clone(), &ALL_SIGNED, body);
    for (name, value) in &mut headers {
        if name == "content-type" {
            *value = "text/plain".into();
        }
    }
    let reply = send(&server.addr, "POST", "/", &headers, body);
    assert_eq!(code(&reply), "IncompleteSignature", "{}", reply.body);
    // Signed with it, relabelled: the signature no longer matches.
    let mut signed = ALL_SIGNED.to_vec();
    signed.insert(0, "content-type");
    let mut headers = acs3_headers("POST", "/", "", own.clone(), &signed, body);
    for (name, value) in &mut headers {
        if name == "content-type" {
            *value = "application/json".into();
        }
    }
    let reply = send(&server.addr, "POST", "/", &headers, body);
    assert_eq!(code(&reply), "SignatureDoesNotMatch", "{}", reply.body);
    // A body whose x-acs-content-sha256 is not its hash.
    let mut lying = own.clone();
    for (name, value) in &mut lying {
        if name == "x-acs-content-sha256" {
            *value = hex(&Sha256::digest(b"another body"));
        }
    }
    let headers = acs3_headers("POST", "/", "", lying, &signed, body);
    let reply = send(&server.addr, "POST", "/", &headers, body);
    assert_eq!(code(&reply), "SignatureDoesNotMatch", "{}", reply.body);
    assert_eq!(instance_status(&server, "i-1", true), "Running");
    // Signed as the SDK signs it, it runs.
    let headers = acs3_headers("POST", "/", "", own, &signed, body);
    let reply = send(&server.addr, "POST", "/", &headers, body);
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(instance_status(&server, "i-1", true), "Stopping");
}

#[test]
fn v1_needs_its_method_version_and_an_exact_timestamp() {
    let server = Server::start(&["--world", WORLD, "--access-key", KEY]);
    let params = [("Action", "DescribeDisks"), ("Format", "JSON")];
    for (extra, expected) in [
        (("SignatureMethod", None), "MissingParameter"),
        (("SignatureVersion", None), "MissingParameter"),
        (("SignatureVersion", Some("2.0")), "InvalidParamater"),
        (
            ("Timestamp", Some("2026-12-06T10:00:00.000Z")),
            "InvalidTimeStamp.Format",
        ),
        (
            ("Timestamp", Some("2026-12-06T10:00:00+00:00")),
            "InvalidTimeStamp.Format",
        ),
        (
            ("Timestamp", Some("2026-12-06 10:00:00Z")),
            "InvalidTimeStamp.Format",
        ),
        (
            ("Timestamp", Some("2026-12-06t10:00:00z")),
            "InvalidTimeStamp.Format",
        ),
        (
            ("Timestamp", Some("+2026-12-06T10:00:00Z")),
            "InvalidTimeStamp.Format",
        ),
    ] {
        let reply = server.get(&v1_query("GET", &params, &[extra]));
        assert_eq!(code(&reply), expected, "{extra:?}: {}", reply.body);
    }
    let reply = server.get(&v1_query("GET", &params, &[]));
    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[test]
fn a_nonce_longer_than_128_bytes_is_refused_and_128_is_taken() {
    let server = Server::start(&["--world", WORLD, "--access-key", KEY]);
    let params = [("Action", "DescribeDisks"), ("Format", "JSON")];
    let long = "n".repeat(129);
    let reply = server.get(&v1_query(
        "GET",
        &params,
        &[("SignatureNonce", Some(&long))],
    ));
    assert_eq!(
        (reply.status, code(&reply).as_str()),
        (400, "InvalidParameter"),
        "{}",
        reply.body
    );
    let most = "m".repeat(128);
    let reply = server.get(&v1_query(
        "GET",
        &params,
        &[("SignatureNonce", Some(&most))],
    ));
    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[test]
fn a_nonce_replayed_after_a_flood_that_fills_the_store_is_still_refused() {
    // 4096 bytes hold 18 nonces of 128 bytes (each counted with 96 bytes
    // of overhead).
    let server = Server::start(&[
        "--world",
        WORLD,
        "--access-key",
        KEY,
        "--nonce-store-bytes",
        "4096",
    ]);
    let params = [("Action", "DescribeDisks"), ("Format", "JSON")];
    let first = v1_query(
        "GET",
        &params,
        &[("SignatureNonce", Some(&"0".repeat(128)))],
    );
    assert_eq!(server.get(&first).status, 200);
    let mut throttled = 0;
    for n in 0..40 {
        let nonce = format!("{n:x>128}");
        let nonce = &nonce[nonce.len() - 128..];
        let reply = server.get(&v1_query(
            "GET",
            &params,
            &[("SignatureNonce", Some(nonce))],
        ));
        match code(&reply).as_str() {
            "" => assert_eq!(reply.status, 200),
            "Throttling" => throttled += 1,
            other => panic!("{other}: {}", reply.body),
        }
    }
    assert!(throttled >= 20, "the store was never full: {throttled}");
    let replay = server.get(&first);
    assert_eq!(code(&replay), "SignatureNonceUsed", "{}", replay.body);
}

// ----------------------------------------------------------- throttling

#[test]
fn unsigned_requests_do_not_lock_out_a_signed_client() {
    let server = Server::start(&[
        "--world",
        WORLD,
        "--access-key",
        KEY,
        "--rate-limit",
        "3/60",
    ]);
    for _ in 0..10 {
        let reply = server.get("Action=DescribeDisks&Format=JSON");
        assert_eq!(code(&reply), "MissingParameter", "{}", reply.body);
    }
    let params = [("Action", "DescribeDisks"), ("Format", "JSON")];
    for _ in 0..3 {
        let reply = server.get(&v1_query("GET", &params, &[]));
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    let reply = server.get(&v1_query("GET", &params, &[]));
    assert_eq!(code(&reply), "Throttling", "{}", reply.body);
}

#[test]
fn the_admin_endpoints_are_throttled_apart_from_the_actions() {
    let server = Server::start(&["--world", WORLD, "--rate-limit", "2/60"]);
    for _ in 0..2 {
        assert_eq!(
            server
                .request("GET", "/_reinit-disk/state", &[], b"")
                .status,
            200
        );
    }
    let reply = server.request("GET", "/_reinit-disk/state", &[], b"");
    assert_eq!(reply.status, 429, "{}", reply.body);
    assert_eq!(reply.json()["Code"], "Throttling");
    assert_eq!(server.get("Action=DescribeDisks&Format=JSON").status, 200);
}

#[test]
fn only_get_and_post_run_an_action() {
    let server = Server::start(&["--world", WORLD]);
    for method in ["HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let mut client = server.connect();
        client
            .stream
            .write_all(
                format!("{method} /?Action=StopInstance&InstanceId=i-1&Format=JSON HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            )
            .unwrap();
        let mut reply = String::new();
        let _ = client.stream.read_to_string(&mut reply);
        assert!(reply.starts_with("HTTP/1.1 403"), "{method}: {reply}");
        if method != "HEAD" {
            assert!(
                reply.contains(r#""Code":"UnsupportedHTTPMethod","Message":"This http method is not supported.""#),
                "{method}: {reply}"
            );
        }
    }
    assert_eq!(instance_status(&server, "i-1", false), "Running");
    let reply = server.get("Action=StopInstance&InstanceId=i-1&Format=JSON");
    assert_eq!(reply.status, 200);
}

#[test]
fn request_values_reach_the_log_escaped() {
    let server = Server::start(&["--world", WORLD]);
    let reply = server.get("Action=Nope%0Afake%20status%3D200%1B%5B2J&Format=JSON");
    assert_eq!(reply.status, 404);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !server.log().contains("Nope") {
        assert!(Instant::now() < deadline, "no log line: {}", server.log());
        std::thread::sleep(Duration::from_millis(20));
    }
    let log = server.log();
    assert!(!log.contains('\u{1b}'), "{log:?}");
    assert!(!log.lines().any(|l| l.starts_with("fake")), "{log:?}");
    assert!(
        log.contains(r"Nope\u{a}fake\u{20}status\u{3d}200\u{1b}[2J"),
        "{log:?}"
    );
}

// ------------------------------------------------------------ resources

#[test]
fn slow_headers_are_cut_at_the_header_timeout() {
    let server = Server::start(&["--world", WORLD]);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    let started = Instant::now();
    let head = b"GET /?Action=DescribeDisks HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    // One byte every 250 ms: the whole head would take 20 s.
    let mut cut = false;
    for byte in head.iter().take(80) {
        if stream.write_all(&[*byte]).is_err() {
            cut = true;
            break;
        }
        if closed_within(&mut stream, Duration::from_millis(250)) {
            cut = true;
            break;
        }
    }
    assert!(cut, "still open after {:?}", started.elapsed());
    // The default header timeout is 10 s.
    assert!(
        started.elapsed() < Duration::from_secs(14),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn an_idle_flood_is_closed_and_health_still_answers() {
    let server = Server::start(&["--world", WORLD, "--max-connections", "100"]);
    let started = Instant::now();
    let mut idle: Vec<TcpStream> = (0..300)
        .filter_map(|_| TcpStream::connect(&server.addr).ok())
        .collect();
    assert!(idle.len() >= 250, "{}", idle.len());
    // Health answers within the header timeout's reach, though every
    // connection slot was taken.
    let deadline = Instant::now() + Duration::from_secs(15);
    let health = loop {
        assert!(Instant::now() < deadline, "health never answered");
        let attempt = std::panic::catch_unwind(|| {
            let mut client = Client::connect(&server.addr);
            client
                .stream
                .set_read_timeout(Some(Duration::from_secs(2)))
                .unwrap();
            client.send("GET", "/_reinit-disk/health", &[], b"")
        });
        if let Ok(reply) = attempt {
            break reply;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(health.status, 200);
    // Every idle connection is closed by the server (within the default
    // 10 s header timeout, with room).
    for stream in &mut idle {
        let left = Duration::from_secs(16).saturating_sub(started.elapsed());
        assert!(
            closed_within(stream, left.max(Duration::from_millis(1))),
            "an idle connection stayed open"
        );
    }
}

#[test]
fn a_content_length_over_the_limit_is_refused_at_once_in_ecs_shape() {
    let server = Server::start(&["--world", WORLD]);
    let mut client = server.connect();
    client
        .stream
        .write_all(b"POST /?Format=JSON HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 3000000\r\n\r\nAction=DescribeDisks&Format=JSON&")
        .unwrap();
    let reply = client.read_reply();
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert_eq!(code(&reply), "RequestTooLarge", "{}", reply.body);
    assert!(reply.json()["RequestId"].is_string());
    assert!(
        reply.json()["Message"]
            .as_str()
            .unwrap()
            .contains("2097152")
    );
}

#[test]
fn stalled_and_chunked_uploads_are_cut() {
    let server = Server::start(&[
        "--world",
        WORLD,
        "--body-timeout-seconds",
        "1",
        "--max-body-bytes",
        "1000",
    ]);
    // 20 uploads that stall after a few bytes: each answered or closed
    // within the body timeout, with room.
    let started = Instant::now();
    let mut stalled: Vec<TcpStream> = (0..20)
        .map(|_| {
            let mut s = TcpStream::connect(&server.addr).unwrap();
            s.write_all(
                b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 900\r\n\r\nAction=",
            )
            .unwrap();
            s
        })
        .collect();
    for s in &mut stalled {
        let left = Duration::from_secs(6).saturating_sub(started.elapsed());
        assert!(
            closed_within(s, left.max(Duration::from_millis(1))),
            "a stalled upload stayed open"
        );
    }
    // A chunked body past the limit is cut there.
    let mut client = server.connect();
    client
        .stream
        .write_all(
            b"POST /?Format=JSON HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n",
        )
        .unwrap();
    for _ in 0..3 {
        let _ = client.stream.write_all(b"200\r\n");
        let _ = client.stream.write_all(&[b'a'; 0x200]);
        let _ = client.stream.write_all(b"\r\n");
    }
    let reply = client.read_reply();
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert_eq!(code(&reply), "RequestTooLarge");
}

#[test]
fn the_bodies_being_read_share_a_bounded_budget() {
    let server = Server::start(&[
        "--world",
        WORLD,
        "--max-body-bytes",
        "4096",
        "--max-body-memory",
        "8192",
        "--body-timeout-seconds",
        "2",
    ]);
    let form = [("Content-Type", "application/x-www-form-urlencoded")];
    let stall = |length: usize| {
        let mut s = TcpStream::connect(&server.addr).unwrap();
        s.write_all(
            format!("POST /?Format=JSON HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n\r\nAction=")
                .as_bytes(),
        )
        .unwrap();
        s
    };
    // Two stalled uploads of 4 KiB and 3 KiB both fit 8 KiB (each is
    // being read: no answer yet)...
    let mut held = vec![stall(4000), stall(3000)];
    for s in &mut held {
        s.set_read_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        let mut byte = [0u8; 1];
        assert!(
            matches!(s.read(&mut byte), Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)),
            "an upload within the budget was answered at once"
        );
    }
    // ...so a third body of 2 KiB is refused at once,
    let refused = server.request("POST", "/?Format=JSON", &form, &[b'a'; 2000]);
    assert_eq!(
        (refused.status, code(&refused).as_str()),
        (503, "ServiceUnavailable"),
        "{}",
        refused.body
    );
    // while one without a body is answered.
    assert_eq!(server.get("Action=DescribeDisks&Format=JSON").status, 200);
    // Cut at their timeout, the stalled uploads give their shares back.
    for s in &mut held {
        assert!(closed_within(s, Duration::from_secs(6)));
    }
    // A body of exactly --max-body-bytes is taken; one byte more is not,
    // at the admin endpoints too.
    let mut exact = b"Action=DescribeDisks&Format=JSON&Pad=".to_vec();
    exact.resize(4096, b'x');
    let reply = server.request("POST", "/?Format=JSON", &form, &exact);
    assert_eq!(reply.status, 200, "{}", reply.body);
    exact.push(b'x');
    let reply = server.request("POST", "/?Format=JSON", &form, &exact);
    assert_eq!(code(&reply), "RequestTooLarge", "{}", reply.body);
    let reply = server.request(
        "PUT",
        "/_reinit-disk/world",
        &[("Content-Type", "application/json")],
        &exact,
    );
    assert_eq!(reply.status, 413, "{}", reply.body);
    assert!(
        reply.json()["Error"]
            .as_str()
            .unwrap()
            .contains("4096 bytes")
    );
    // A budget smaller than one body is refused at start, saying why.
    let out = Command::new(env!("CARGO_BIN_EXE_reinit-disk"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--max-body-memory",
            "1000",
            "--max-body-bytes",
            "2000",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--max-body-memory 1000: expected at least --max-body-bytes (2000)"),
        "{stderr}"
    );
}

#[test]
fn a_body_that_keeps_coming_outlives_the_idle_timeout_and_a_stalled_one_does_not() {
    let server = Server::start(&[
        "--world",
        WORLD,
        "--idle-timeout-seconds",
        "2",
        "--body-timeout-seconds",
        "30",
    ]);
    // Four bytes 1.3 s apart: 5.2 s in all, never 2 s without a byte.
    let mut client = server.connect();
    client
        .stream
        .write_all(b"POST /?Action=DescribeDisks&Format=JSON HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 4\r\n\r\n")
        .unwrap();
    for byte in b"a=bc" {
        std::thread::sleep(Duration::from_millis(1300));
        client.stream.write_all(&[*byte]).unwrap();
    }
    let reply = client.read_reply();
    assert_eq!(reply.status, 200, "{}", reply.body);
    // Three seconds without a byte: closed.
    let mut stalled = TcpStream::connect(&server.addr).unwrap();
    stalled
        .write_all(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\n\r\na")
        .unwrap();
    let started = Instant::now();
    assert!(closed_within(&mut stalled, Duration::from_secs(6)));
    assert!(
        started.elapsed() >= Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}

/// A world of 100 disks, and `count` pipelined `DescribeDisks` of all of
/// them (about 25 KB each) on one connection: what the server has to
/// write.
fn big_answers(server: &Server, count: usize) -> TcpStream {
    let disks: Vec<serde_json::Value> = (0..100)
        .map(|n| serde_json::json!({"DiskId": format!("d-{n:03}"), "Type": "data", "Category": "cloud_essd", "Status": "Available"}))
        .collect();
    let world = serde_json::json!({ "Disks": disks }).to_string();
    let reply = server.request(
        "PUT",
        "/_reinit-disk/world",
        &[("Content-Type", "application/json")],
        world.as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    let one = "GET /?Action=DescribeDisks&Format=JSON&PageSize=100 HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";
    stream.write_all(one.repeat(count).as_bytes()).unwrap();
    stream
}

/// Reads `stream` until it ends, at most `chunk` bytes every `pause`
/// (a slow reader), for at most `within`: the bytes read and whether it
/// ended.
fn read_slowly(
    stream: &mut TcpStream,
    chunk: usize,
    pause: Duration,
    within: Duration,
) -> (usize, bool) {
    stream
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let deadline = Instant::now() + within;
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0;
    while Instant::now() < deadline {
        let mut this_round = 0;
        while this_round < chunk {
            let want = buf.len().min(chunk - this_round);
            match stream.read(&mut buf[..want]) {
                Ok(0) => return (total, true),
                Ok(n) => {
                    total += n;
                    this_round += n;
                }
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    break;
                }
                Err(_) => return (total, true),
            }
        }
        std::thread::sleep(pause);
    }
    (total, false)
}

#[test]
fn answers_read_slowly_go_on_and_answers_not_read_are_cut_at_the_idle_timeout() {
    let server = Server::start(&["--world", WORLD, "--idle-timeout-seconds", "1"]);
    // About 30 MB: more than the loopback's buffers hold, so the server
    // waits on the reader many times.
    const COUNT: usize = 1200;
    // Read steadily, 2 MiB every 200 ms: everything arrives.
    let mut steady = big_answers(&server, COUNT);
    let mut probe = server.connect();
    let one = probe.send(
        "GET",
        "/?Action=DescribeDisks&Format=JSON&PageSize=100",
        &[],
        b"",
    );
    let expected = COUNT * one.body.len();
    let (read, _) = read_slowly(
        &mut steady,
        1 << 20,
        Duration::from_millis(200),
        Duration::from_secs(30),
    );
    assert!(read > expected, "{read} bytes of more than {expected}");
    // Not read for 3 s: the connection is closed, most of it unwritten.
    let mut stopped = big_answers(&server, COUNT);
    std::thread::sleep(Duration::from_secs(3));
    let (read, ended) = read_slowly(
        &mut stopped,
        usize::MAX,
        Duration::ZERO,
        Duration::from_secs(10),
    );
    assert!(ended, "still open");
    assert!(read < expected, "{read} bytes: all of it was written");
}

/// Replaces the world by `count` data disks with long names (about 400
/// bytes each in `/state`).
fn large_world(server: &Server, count: usize) {
    let disks: Vec<serde_json::Value> = (0..count)
        .map(|n| serde_json::json!({"DiskId": format!("d-{n:07}-{}", "x".repeat(300)), "Type": "data", "Category": "cloud_essd", "Status": "Available"}))
        .collect();
    let world = serde_json::json!({ "Disks": disks }).to_string();
    let reply = server.request(
        "PUT",
        "/_reinit-disk/world",
        &[("Content-Type", "application/json")],
        world.as_bytes(),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
}

#[test]
fn the_state_of_a_large_world_is_streamed_in_chunks_and_reads_back_whole() {
    let server = Server::start(&["--world", WORLD, "--max-body-bytes", "16777216"]);
    large_world(&server, 5_000);
    let reply = server.request("GET", "/_reinit-disk/state", &[], b"");
    assert_eq!(reply.status, 200);
    let header = |name: &str| {
        reply
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    // Streamed: no length known ahead, the text never built whole.
    assert_eq!(header("transfer-encoding"), Some("chunked"));
    assert_eq!(header("content-length"), None);
    assert_eq!(
        header("content-type"),
        Some("application/json;charset=utf-8")
    );
    assert!(reply.body.len() > 1 << 20, "{} bytes", reply.body.len());
    // In chunks of 64 KiB, the last one what is left.
    let (last, full) = reply.chunks.split_last().unwrap();
    assert!(
        full.iter().all(|n| (64 << 10..65 << 10).contains(n)),
        "{:?}",
        reply.chunks
    );
    assert!(*last <= 65 << 10, "{last}");
    let state = reply.json();
    let disks = state["Disks"].as_array().unwrap();
    assert_eq!(disks.len(), 5_000);
    assert!(
        disks[4_999]["DiskId"]
            .as_str()
            .unwrap()
            .starts_with("d-0004999-")
    );
    // And it loads back as the world it is.
    let again = server.request(
        "PUT",
        "/_reinit-disk/world",
        &[("Content-Type", "application/json")],
        reply.body.as_bytes(),
    );
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(
        server.request("GET", "/_reinit-disk/state", &[], b"").body,
        reply.body
    );
}

#[test]
fn state_documents_nobody_reads_hold_their_turn_only_until_the_idle_timeout() {
    let server = Server::start(&[
        "--world",
        WORLD,
        "--max-body-bytes",
        "67108864",
        "--max-body-memory",
        "134217728",
        "--idle-timeout-seconds",
        "2",
    ]);
    // About 40 MB a document: more than the loopback's buffers hold, so a
    // document nobody reads stays unwritten.
    large_world(&server, 100_000);
    let request =
        "GET /_reinit-disk/state HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n";
    // Three documents asked and never read: two write, one waits its turn.
    let mut stalled: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut stream = TcpStream::connect(&server.addr).unwrap();
            stream.write_all(request.as_bytes()).unwrap();
            stream
        })
        .collect();
    let asked = Instant::now();
    std::thread::sleep(Duration::from_millis(500));
    // Meanwhile the server answers everything else.
    let started = Instant::now();
    assert_eq!(
        server
            .request("GET", "/_reinit-disk/health", &[], b"")
            .status,
        200
    );
    let page = server.get("Action=DescribeDisks&Format=JSON&PageSize=10");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    // The stalled ones are closed at the idle timeout, and their turns
    // come back: a reader gets the whole document. (It asks 1.5 s after
    // them, so that its own wait for a turn is well within its idle
    // timeout.)
    std::thread::sleep(Duration::from_millis(1500).saturating_sub(asked.elapsed()));
    let reply = server.request("GET", "/_reinit-disk/state", &[], b"");
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["Disks"].as_array().unwrap().len(), 100_000);
    for stream in &mut stalled {
        assert!(closed_within(stream, Duration::from_secs(10)), "still open");
    }
}

// ---------------------------------------------------- shutdown and logs

fn spawn(args: &[&str], stderr: Stdio) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reinit-disk"))
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--manual-clock",
            "--world",
            WORLD,
        ])
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    (child, line.trim().to_owned())
}

/// Stops `child` if a test failed before it exited.
struct Reap(Child);

impl Drop for Reap {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn sigterm_with_a_half_sent_request_exits_0_within_the_deadline() {
    let (child, addr) = spawn(&[], Stdio::null());
    let mut child = Reap(child);
    let mut half = TcpStream::connect(&addr).unwrap();
    half.write_all(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nAction=")
        .unwrap();
    let mut head_only = TcpStream::connect(&addr).unwrap();
    head_only.write_all(b"GET / HTTP/1.1\r\nHost: 12").unwrap();
    let idle = TcpStream::connect(&addr).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    kill_term(&child.0);
    // Half-sent requests that stall are closed after a second's grace,
    // not waited for until the deadline (the default --shutdown-seconds
    // is 10).
    let status = wait_exit(&mut child.0, Duration::from_secs(5)).expect("no exit within 5 s");
    assert_eq!(status.code(), Some(0));
    eprintln!("exited {:?} after SIGTERM", started.elapsed());
    drop((half, head_only, idle));
}

#[test]
fn a_second_signal_exits_at_once() {
    let (child, addr) = spawn(&["--shutdown-seconds", "60"], Stdio::null());
    let mut child = Reap(child);
    let mut half = TcpStream::connect(&addr).unwrap();
    half.write_all(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nA")
        .unwrap();
    std::thread::sleep(Duration::from_millis(200));
    kill_term(&child.0);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        child.0.try_wait().unwrap().is_none(),
        "exited before its deadline"
    );
    kill_term(&child.0);
    let status =
        wait_exit(&mut child.0, Duration::from_secs(3)).expect("the second SIGTERM did not end it");
    assert_eq!(status.code(), Some(0));
    drop(half);
}

#[test]
fn with_standard_error_a_pipe_nobody_reads_it_answers_and_exits() {
    // The pipe is held open and never read: past its 64 KiB the writer
    // blocks; the answers must not.
    let (child, addr) = spawn(&[], Stdio::piped());
    let mut child = Reap(child);
    let started = Instant::now();
    let mut client = Client::connect(&addr);
    for n in 0..2000 {
        let reply = client.send(
            "GET",
            &format!("/?Action=DescribeDisks&Format=JSON&Pad={}", "x".repeat(200)),
            &[],
            b"",
        );
        assert_eq!(reply.status, 200, "request {n}");
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "too slow at {n}"
        );
    }
    kill_term(&child.0);
    let status = wait_exit(&mut child.0, Duration::from_secs(12)).expect("no exit");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn with_standard_error_full_every_answer_is_whole() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let (child, addr) = spawn(&[], Stdio::from(full));
    let mut child = Reap(child);
    let mut client = Client::connect(&addr);
    for _ in 0..50 {
        let reply = client.send("GET", "/?Action=DescribeDisks&Format=JSON", &[], b"");
        assert_eq!(reply.status, 200);
        assert_eq!(reply.json()["TotalCount"], 3);
    }
    let reply = client.send(
        "GET",
        "/?Action=StopInstance&InstanceId=i-1&Format=JSON",
        &[],
        b"",
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.json()["RequestId"].is_string());
    kill_term(&child.0);
    let status = wait_exit(&mut child.0, Duration::from_secs(12)).expect("no exit");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn with_standard_error_closed_every_answer_is_whole() {
    let (child, addr) = spawn(&[], Stdio::piped());
    let mut child = Reap(child);
    drop(child.0.stderr.take());
    let mut client = Client::connect(&addr);
    for _ in 0..50 {
        let reply = client.send("GET", "/?Action=DescribeDisks&Format=JSON", &[], b"");
        assert_eq!(reply.status, 200);
        assert_eq!(reply.json()["TotalCount"], 3);
    }
    kill_term(&child.0);
    let status = wait_exit(&mut child.0, Duration::from_secs(12)).expect("no exit");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn lines_dropped_for_a_slow_standard_error_are_counted_and_said_at_exit() {
    // Standard error not read until 5,000 lines were logged: past the
    // pipe's 64 KiB and the queue's 4,096 lines, lines are dropped.
    let (child, addr) = spawn(&[], Stdio::piped());
    let mut child = Reap(child);
    let mut stderr = child.0.stderr.take().unwrap();
    let mut client = Client::connect(&addr);
    for _ in 0..5000 {
        let reply = client.send("GET", "/?Action=DescribeDisks&Format=JSON", &[], b"");
        assert_eq!(reply.status, 200);
    }
    let (lines, read) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        let _ = lines.send(text);
    });
    // Once the queue has drained into the reader, the summary has room.
    std::thread::sleep(Duration::from_millis(500));
    kill_term(&child.0);
    let status = wait_exit(&mut child.0, Duration::from_secs(12)).expect("no exit");
    assert_eq!(status.code(), Some(0));
    let text = read.recv_timeout(Duration::from_secs(10)).unwrap();
    let last = text.lines().last().unwrap_or_default();
    let dropped: u64 = last
        .strip_prefix("reinit-disk: ")
        .and_then(|rest| {
            rest.strip_suffix(" log lines dropped (standard error was slow, full or closed)")
        })
        .unwrap_or_else(|| panic!("last line {last:?}"))
        .parse()
        .unwrap();
    let logged = text.lines().filter(|l| l.contains(" request ")).count();
    assert_eq!(
        logged as u64 + dropped,
        5000,
        "{logged} logged, {dropped} dropped"
    );
    assert!(dropped > 0);
}

#[test]
fn with_standard_error_read_every_line_is_written_and_nothing_said_dropped() {
    let (child, addr) = spawn(&[], Stdio::piped());
    let mut child = Reap(child);
    let mut stderr = child.0.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let mut client = Client::connect(&addr);
    for _ in 0..3 {
        assert_eq!(
            client
                .send("GET", "/?Action=DescribeDisks&Format=JSON", &[], b"")
                .status,
            200
        );
    }
    kill_term(&child.0);
    let status = wait_exit(&mut child.0, Duration::from_secs(12)).expect("no exit");
    assert_eq!(status.code(), Some(0));
    let text = reader.join().unwrap();
    assert_eq!(
        text.lines().filter(|l| l.contains(" request ")).count(),
        3,
        "{text}"
    );
    assert!(!text.contains("dropped"), "{text}");
}

#[test]
fn a_body_cut_short_is_answered_incomplete_not_too_large() {
    let server = Server::start(&[]);
    let mut cut = TcpStream::connect(&server.addr).unwrap();
    cut.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    cut.write_all(
        b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nAction=Describe",
    )
    .unwrap();
    cut.shutdown(std::net::Shutdown::Write).unwrap();
    let mut answer = String::new();
    let _ = cut.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("IncompleteBody"), "{answer}");
    assert!(
        answer.contains("The request body ended before the length it declared."),
        "{answer}"
    );
    // A body past the limit is still too large.
    let big = Server::start(&["--max-body-bytes", "16"]);
    let reply = big.request(
        "POST",
        "/",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"Action=DescribeDisks&Format=JSON",
    );
    assert_eq!(reply.status, 413, "{}", reply.body);
    // So is a chunked one, which declares no length: it is cut as it
    // passes the limit.
    let mut chunked = TcpStream::connect(&big.addr).unwrap();
    chunked
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    chunked
        .write_all(
            b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n20\r\nAction=DescribeDisks&Format=JSON\r\n0\r\n\r\n",
        )
        .unwrap();
    let mut answer = String::new();
    let _ = chunked.read_to_string(&mut answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("RequestTooLarge"), "{answer}");
    // And the server answers the next request.
    assert_eq!(server.get("Action=DescribeDisks&Format=JSON").status, 200);
}
