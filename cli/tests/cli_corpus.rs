//! `reinit-disk corpus`: one witness per decision class, replayed by `eval
//! --lines` to exactly the decisions it expects, and reaching every code of
//! each revision's catalogue that a valid world can give.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

mod common;

use std::collections::BTreeSet;

use common::cli::run;
use reinit_disk::Code;
use reinit_disk::revision::ALL;
use serde_json::Value;

/// The corpus and its expected decisions, for `args`.
fn corpus(name: &str, args: &[&str]) -> (Vec<u8>, Vec<u8>) {
    let dir =
        std::env::temp_dir().join(format!("reinit-disk-corpus-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let expected = dir.join("expected.jsonl");
    let mut all = vec!["corpus", "--expected", expected.to_str().unwrap()];
    all.extend(args);
    let out = run(&all, b"");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (out.stdout, std::fs::read(&expected).unwrap())
}

#[test]
fn every_corpus_replays_through_eval_lines_to_exactly_the_decisions_it_expects() {
    let dir =
        std::env::temp_dir().join(format!("reinit-disk-corpus-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("policy.json");
    std::fs::write(
        &policy,
        r#"{"Policy": {"Revision": "seed", "DeletedSnapshotCode": "OperationDenied", "ActiveOnNonPublicImage": "Reject"}}"#,
    )
    .unwrap();
    let mut cases: Vec<(String, Vec<String>)> = ALL
        .iter()
        .map(|r| {
            (
                r.name.to_owned(),
                vec!["--revision".to_owned(), r.name.to_owned()],
            )
        })
        .collect();
    cases.push((
        "policy".to_owned(),
        vec!["--policy".to_owned(), policy.display().to_string()],
    ));
    for (name, args) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (scenarios, expected) = corpus(&name, &args);
        let replayed = run(&["eval", "--lines"], &scenarios);
        assert_eq!(replayed.status.code(), Some(0), "{name}");
        assert_eq!(
            String::from_utf8(replayed.stdout).unwrap(),
            String::from_utf8(expected.clone()).unwrap(),
            "{name}: eval --lines disagrees with the corpus"
        );
        let lines = String::from_utf8(scenarios).unwrap();
        assert!(lines.lines().count() >= 15, "{name}");
        for line in lines.lines() {
            let scenario: Value = serde_json::from_str(line).unwrap();
            assert!(
                scenario["Description"]
                    .as_str()
                    .unwrap()
                    .starts_with("class ")
            );
        }
    }
}

#[test]
fn each_revisions_corpus_gives_every_code_of_its_catalogue_but_a_dangling_instances() {
    for revision in ALL {
        let (_, expected) = corpus(revision.name, &["--revision", revision.name]);
        let given: BTreeSet<String> = String::from_utf8(expected)
            .unwrap()
            .lines()
            .filter_map(|l| {
                let d: Value = serde_json::from_str(l).unwrap();
                d["Code"].as_str().map(str::to_owned)
            })
            .collect();
        for entry in revision.catalogue {
            // The policy's alternatives (OperationDenied, InvalidImageId.NotFound)
            // and a dangling instance's InternalError are not the default's.
            if matches!(
                entry.code,
                Code::InternalError | Code::OperationDenied | Code::InvalidImageIdNotFound
            ) {
                continue;
            }
            let code = <&str>::from(entry.code);
            assert!(given.contains(code), "{revision}: no class gives {code}");
        }
    }
}

#[test]
fn help_teaches_the_format_and_a_bad_value_names_the_accepted_ones() {
    let help = run(&["corpus", "--help"], b"");
    assert_eq!(help.status.code(), Some(0));
    let help = String::from_utf8(help.stdout).unwrap();
    for needle in [
        "--format <FORMAT>",
        "[default: scenarios]",
        "- scenarios: ",
        "- http: ",
        "--format http",
        "PUT /_reinit-disk/world",
        "Response.RequestId",
        "docs/corpus.md",
    ] {
        assert!(help.contains(needle), "no {needle:?} in:\n{help}");
    }
    for bad in ["HTTP", "json", ""] {
        let out = run(&["corpus", "--format", bad], b"");
        assert_eq!(out.status.code(), Some(2), "--format {bad:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.contains("[possible values: scenarios, http]"),
            "--format {bad:?}: {err}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn the_http_format_has_one_exchange_a_class_with_the_same_expected_decisions() {
    for revision in ALL {
        let (scenarios, expected) = corpus(revision.name, &["--revision", revision.name]);
        let (http, expected_http) = corpus(
            &format!("{}-http", revision.name),
            &["--revision", revision.name, "--format", "http"],
        );
        assert_eq!(expected, expected_http, "{revision}");
        let explicit = run(
            &[
                "corpus",
                "--revision",
                revision.name,
                "--format",
                "scenarios",
            ],
            b"",
        );
        assert_eq!(explicit.stdout, scenarios, "{revision}: the default format");
        let (scenarios, http) = (
            String::from_utf8(scenarios).unwrap(),
            String::from_utf8(http).unwrap(),
        );
        let expected = String::from_utf8(expected).unwrap();
        assert_eq!(http.lines().count(), scenarios.lines().count());
        for (n, ((line, scenario), decision)) in http
            .lines()
            .zip(scenarios.lines())
            .zip(expected.lines())
            .enumerate()
        {
            let exchange: Value = serde_json::from_str(line).unwrap();
            let scenario: Value = serde_json::from_str(scenario).unwrap();
            let decision: Value = serde_json::from_str(decision).unwrap();
            let mut keys: Vec<&str> = exchange
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            keys.sort_unstable();
            assert_eq!(
                keys,
                ["Class", "Description", "Request", "Response", "World"]
            );
            assert!(line.starts_with(r#"{"Class":"#), "{line}");
            assert_eq!(exchange["Class"], n + 1);
            assert_eq!(exchange["Description"], scenario["Description"]);
            let mut world = scenario.clone();
            world["Request"] = serde_json::json!({});
            assert_eq!(exchange["World"], world, "{revision}: class {}", n + 1);
            let response = &exchange["Response"];
            assert_eq!(response["Status"], decision["HttpStatus"]);
            assert_eq!(response["Code"], decision["Code"]);
            assert_eq!(response["Message"], decision["Message"]);
            assert_eq!(
                response["RequestId"],
                format!("00000000-0000-4000-8000-{:012}", n + 1)
            );
            // The request: the scenario's parameters, Action in the header.
            let request = &exchange["Request"];
            assert_eq!(
                request["Headers"]["x-acs-action"],
                scenario["Request"]["Action"]
            );
            let query = request["Query"].as_str().unwrap();
            let sent: Vec<&str> = query
                .split('&')
                .filter(|p| !p.is_empty())
                .map(|p| p.split('=').next().unwrap())
                .collect();
            let mut given: Vec<&str> = scenario["Request"]
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .filter(|k| *k != "Action")
                .collect();
            given.sort_unstable();
            assert_eq!(sent, given, "{revision}: class {}", n + 1);
        }
    }
}
