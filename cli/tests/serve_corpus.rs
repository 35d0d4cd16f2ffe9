//! The conformance corpus through `reinit-disk serve` (docs/corpus.md): one
//! server on 127.0.0.1 (manual clock: nothing settles meanwhile); for every
//! line of `reinit-disk corpus --format http` of each revision, its world
//! loaded at `PUT /_reinit-disk/world`, its request sent as the SDK sends
//! it, and the answer compared with the line's response: status, content
//! type, code, message, and the body byte for byte once the server's
//! RequestId stands in for the corpus's. tests/corpus.rs replays the same
//! exchanges in-process.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use std::time::{Duration, Instant};

use common::cli::run;
use common::http::Server;
use reinit_disk::revision::ALL;
use serde_json::Value;

#[test]
fn serve_answers_every_http_exchange_of_each_revisions_corpus_as_the_corpus_expects() {
    let server = Server::start(&[]);
    let mut client = server.connect();
    let started = Instant::now();
    // Each revision's default policy, and the seed's with the knobs flipped
    // (a policy file): the world carries the policy, serve decides under it.
    let dir = std::env::temp_dir().join(format!("reinit-disk-serve-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("policy.json");
    std::fs::write(
        &policy,
        r#"{"Policy": {"Revision": "seed", "DeletedSnapshotCode": "OperationDenied", "ActiveOnNonPublicImage": "Reject"}}"#,
    )
    .unwrap();
    let policy = policy.display().to_string();
    let mut cases: Vec<(String, Vec<&str>)> = ALL
        .iter()
        .map(|r| (r.name.to_owned(), vec!["--revision", r.name]))
        .collect();
    cases.push(("seed, knobs flipped".to_owned(), vec!["--policy", &policy]));
    for (revision, args) in &cases {
        let mut all = vec!["corpus", "--format", "http"];
        all.extend(args);
        let out = run(&all, b"");
        assert_eq!(out.status.code(), Some(0), "{revision}");
        let lines = String::from_utf8(out.stdout).unwrap();
        let count = lines.lines().count();
        assert!(count >= 15, "{revision}: {count} exchanges");
        // Bounded: a few hundred requests on one connection.
        assert!(count < 500, "{revision}: {count} exchanges");
        for line in lines.lines() {
            assert!(
                started.elapsed() < Duration::from_secs(120),
                "the corpus took too long"
            );
            let exchange: Value = serde_json::from_str(line).unwrap();
            let what = format!("{revision}: {}", exchange["Description"]);
            let world = exchange["World"].to_string();
            let loaded = client.send(
                "PUT",
                "/_reinit-disk/world",
                &[("Content-Type", "application/json")],
                world.as_bytes(),
            );
            assert_eq!(loaded.status, 200, "{what}: {}", loaded.body);

            let request = &exchange["Request"];
            let target = match request["Query"].as_str().unwrap() {
                "" => request["Path"].as_str().unwrap().to_owned(),
                query => format!("{}?{query}", request["Path"].as_str().unwrap()),
            };
            let headers: Vec<(&str, &str)> = request["Headers"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str().unwrap()))
                .collect();
            let got = client.send(
                request["Method"].as_str().unwrap(),
                &target,
                &headers,
                request["Body"].as_str().unwrap().as_bytes(),
            );

            let want = &exchange["Response"];
            assert_eq!(
                u64::from(got.status),
                want["Status"],
                "{what}: {}",
                got.body
            );
            assert_eq!(
                got.header("content-type"),
                want["ContentType"].as_str(),
                "{what}"
            );
            let body = got.json();
            assert_eq!(body["Code"], want["Code"], "{what}: {}", got.body);
            assert_eq!(body["Message"], want["Message"], "{what}: {}", got.body);
            // The body, once the server's RequestId stands for the corpus's.
            let id = body["RequestId"].as_str().unwrap();
            let expected = want["Body"]
                .as_str()
                .unwrap()
                .replace(want["RequestId"].as_str().unwrap(), id);
            assert_eq!(got.body, expected, "{what}");
        }
    }
}
