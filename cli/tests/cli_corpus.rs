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
