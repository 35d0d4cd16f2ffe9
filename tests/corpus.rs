//! The conformance corpus in-process (docs/corpus.md): every class of each
//! revision's space, its witness scenario read back from its JSON line and
//! decided by the library, gives the decision the corpus expects; and its
//! HTTP exchange (the official Python SDK's request for the witness)
//! answered by the wire layer against the exchange's world gives the
//! exchange's response byte for byte. `eval --lines` replays the same
//! corpus in cli/tests/cli_corpus.rs, `serve` in cli/tests/serve_corpus.rs,
//! the Python package in python/tests/test_corpus.py.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use reinit_disk::analysis::corpus::{
    HttpCorpusError, SdkRequest, corpus, corpus_request_id, http_corpus, http_exchange,
};
use reinit_disk::revision::ALL;
use reinit_disk::scenario::Scenario;
use reinit_disk::wire::{HttpRequest, Ids, respond};
use reinit_disk::{Param, Policy, evaluate};

/// Each revision's default policy, and the seed's with the knobs flipped
/// (the policy file cli/tests/cli_corpus.rs gives `--policy`).
fn policies() -> Vec<(String, Policy)> {
    let mut all: Vec<(String, Policy)> = ALL
        .iter()
        .map(|r| (r.name.to_owned(), Policy::new(r)))
        .collect();
    let flipped = Scenario::from_json(
        r#"{"Policy": {"Revision": "seed", "DeletedSnapshotCode": "OperationDenied", "ActiveOnNonPublicImage": "Reject"}}"#,
    )
    .unwrap();
    all.push(("seed, knobs flipped".to_owned(), flipped.policy));
    all
}

#[test]
fn every_witness_of_each_revision_decides_in_process_as_the_corpus_expects() {
    for (revision, policy) in policies() {
        let entries = corpus(&policy);
        assert!(entries.len() >= 15, "{revision}: {} classes", entries.len());
        for entry in &entries {
            let line = serde_json::to_string(&entry.scenario).unwrap();
            let scenario = Scenario::from_json(&line).unwrap();
            let what = scenario.description.clone().unwrap();
            assert_eq!(scenario.decide(), entry.decision, "{revision}: {what}");
            // The witness itself, a World, through `evaluate`.
            let witness = entry.witness();
            let decided = evaluate(&witness.request(), witness, &policy);
            assert_eq!(
                decided.map(reinit_disk::Target::into_owned),
                entry.class.decided,
                "{revision}: {what}"
            );
        }
    }
}

#[test]
fn every_http_exchange_of_each_revision_is_the_wire_layers_answer_to_it() {
    for (revision, policy) in policies() {
        let entries = corpus(&policy);
        let exchanges = http_corpus(&policy).unwrap();
        assert_eq!(exchanges.len(), entries.len(), "{revision}");
        for (exchange, entry) in exchanges.iter().zip(&entries) {
            let what = &exchange.description;
            assert_eq!(exchange.class, entry.number);
            // The world as a harness reads it from the line.
            let line = serde_json::to_value(exchange).unwrap();
            let world = Scenario::from_json(&line["World"].to_string()).unwrap();
            assert!(world.request.is_empty(), "{what}");
            let store = world.to_world().unwrap();
            let request = &line["Request"];
            assert_eq!(request["Method"], "POST");
            assert_eq!(request["Path"], "/");
            let headers: Vec<(String, String)> = request["Headers"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect();
            let headers: Vec<(&str, &str)> = headers
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let http = HttpRequest {
                query: request["Query"].as_str().unwrap(),
                body: request["Body"].as_str().unwrap().as_bytes(),
                headers: &headers,
            };
            let want = &exchange.response;
            assert_eq!(want.request_id, corpus_request_id(entry.number));
            let got = respond(&http, &store, &world.policy, &Ids::new(&want.request_id)).unwrap();
            assert_eq!(got.status, want.status, "{revision}: {what}");
            assert_eq!(got.content_type(), want.content_type, "{what}");
            assert_eq!(got.body, want.body, "{revision}: {what}");
            // And the response says what the scenario's decision says.
            let decision = &entry.decision;
            assert_eq!(want.status, decision.http_status, "{what}");
            assert_eq!(want.code, decision.code.map(|c| c.as_str()), "{what}");
            assert_eq!(want.message, decision.message.as_deref(), "{what}");
            let body: serde_json::Value = serde_json::from_str(&want.body).unwrap();
            assert_eq!(body["RequestId"], want.request_id.as_str());
            if let Some(code) = want.code {
                assert_eq!(body["Code"], code, "{what}");
                assert_eq!(body["Message"], want.message.unwrap(), "{what}");
            }
        }
    }
}

#[test]
fn the_sdk_request_is_what_the_python_sdk_sends() {
    // Observed from alibabacloud-ecs20140526 7.11.8 (re_init_disk with these
    // values): `POST /?AutoStartInstance=True&DiskId=d-1+x&KeyPairName=kp-1&
    // Password=Ab1%21%2F+x%2B&SecurityEnhancementStrategy=Active`, no body.
    let request = SdkRequest::of(&[
        (Param::Action, "ReInitDisk"),
        (Param::SecurityEnhancementStrategy, "Active"),
        (Param::DiskId, "d-1 x"),
        (Param::Password, "Ab1!/ x+"),
        (Param::KeyPairName, "kp-1"),
        (Param::AutoStartInstance, "true"),
    ]);
    assert_eq!(
        request.target(),
        "/?AutoStartInstance=True&DiskId=d-1+x&KeyPairName=kp-1&Password=Ab1%21%2F+x%2B&SecurityEnhancementStrategy=Active"
    );
    assert_eq!(request.method, "POST");
    assert_eq!(request.body, "");
    assert_eq!(
        request.headers,
        [
            ("x-acs-action", "ReInitDisk"),
            ("x-acs-version", "2014-05-26"),
            ("accept", "application/json"),
        ]
    );
    let off = SdkRequest::of(&[(Param::AutoStartInstance, "FALSE"), (Param::Action, "X")]);
    assert_eq!(off.target(), "/?AutoStartInstance=False");
    assert_eq!(off.headers[0], ("x-acs-action", "X"));
    assert_eq!(SdkRequest::of(&[]).target(), "/");
    assert_eq!(
        SdkRequest::of(&[]).headers[0],
        ("x-acs-action", "ReInitDisk")
    );
}

#[test]
fn an_entry_whose_decision_the_http_request_contradicts_is_refused() {
    let policy = Policy::default();
    let mut entry = corpus(&policy).into_iter().next().unwrap();
    assert!(entry.decision.accepted);
    let mut rejected = corpus(&policy)
        .into_iter()
        .find(|e| !e.decision.accepted)
        .unwrap();
    entry.decision = rejected.decision.clone();
    let error = http_exchange(&entry, &policy).unwrap_err();
    let text = error.to_string();
    assert!(
        matches!(error, HttpCorpusError::Disagrees { class: 1, .. }),
        "{text}"
    );
    assert!(
        text.starts_with("class 1: the SDK's request gets accepted, the scenario "),
        "{text}"
    );
    assert!(
        text.ends_with("the corpus would contradict itself"),
        "{text}"
    );
    // The same entry with its own decision is written.
    rejected.number = 7;
    let exchange = http_exchange(&rejected, &policy).unwrap();
    assert_eq!(exchange.class, 7);
    assert_eq!(exchange.response.request_id, corpus_request_id(7));
}

#[test]
fn each_class_is_described_by_its_number_answer_and_count_and_carries_a_fixed_request_id() {
    // The RequestId a harness swaps for the one it got: ECS's UUID form,
    // the class number in its last 12 digits.
    assert_eq!(corpus_request_id(1), "00000000-0000-4000-8000-000000000001");
    assert_eq!(
        corpus_request_id(58),
        "00000000-0000-4000-8000-000000000058"
    );
    for (revision, policy) in policies() {
        let entries = corpus(&policy);
        let mut refused = 0;
        for entry in &entries {
            let description = entry.scenario.description.as_deref().unwrap();
            let answer = match (&entry.decision.code, &entry.decision.check) {
                (Some(code), Some(check)) => {
                    refused += 1;
                    format!("{code} by {check}")
                }
                _ => "accepted".to_owned(),
            };
            assert_eq!(
                description,
                format!(
                    "class {}: {answer} ({} situations)",
                    entry.number, entry.class.situations
                ),
                "{revision}"
            );
        }
        assert!(refused > 0 && refused < entries.len(), "{revision}");
    }
}
