//! `reinit-disk table` and the docs: docs/decision-table.md is the command's
//! exact output, the table covers every check and code, every example in
//! docs/cli.md runs with the output shown, and every `--help` example is in
//! docs/cli.md.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption is a failed test"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use reinit_disk::Code;
use reinit_disk::revision::{ALL, Revision, SEED};
use strum::VariantArray;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reinit-disk"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn table(revision: &Revision) -> String {
    let out = run(&["table", "--revision", revision.name]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stderr.is_empty());
    String::from_utf8(out.stdout).unwrap()
}

/// docs/decision-table.md for the seed revision, and
/// docs/decision-table-REVISION.md for each later one.
fn doc_name(stem: &str, revision: &Revision) -> String {
    if revision == &SEED {
        format!("docs/{stem}.md")
    } else {
        format!("docs/{stem}-{}.md", revision.name)
    }
}

#[test]
fn the_table_without_a_revision_is_the_newest_revisions() {
    let out = run(&["table"]);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        table(&reinit_disk::revision::V2025_02_27)
    );
}

#[test]
fn docs_decision_tables_are_the_commands_exact_output_for_each_revision() {
    for revision in ALL {
        let name = doc_name("decision-table", revision);
        let doc = std::fs::read_to_string(root().join(&name)).unwrap();
        assert!(
            doc == table(revision),
            "{name} differs from `reinit-disk table --revision {revision}`: regenerate it with `reinit-disk table --revision {revision} > {name}`"
        );
    }
}

#[test]
fn docs_rules_embed_the_rules_commands_exact_output_for_each_revision() {
    for revision in ALL {
        let name = doc_name("rules", revision);
        let doc = std::fs::read_to_string(root().join(&name)).unwrap();
        let begin = format!("<!-- BEGIN reinit-disk rules --revision {revision} -->\n");
        let end = "<!-- END reinit-disk rules -->";
        let start = doc.find(&begin).expect("BEGIN marker") + begin.len();
        let stop = doc.find(end).expect("END marker");
        let out = run(&["rules", "--revision", revision.name]);
        assert_eq!(out.status.code(), Some(0));
        let rules = String::from_utf8(out.stdout).unwrap();
        assert!(
            doc[start..stop] == rules,
            "{name} differs from `reinit-disk rules --revision {revision}` between its markers: paste the command's output there"
        );
    }
}

#[test]
fn the_rules_list_every_check_of_the_revision_with_its_reason() {
    for revision in ALL {
        the_rules_list_every_check_of(revision);
    }
    let out = run(&["rules", "--revision", "seed"]);
    let rules = String::from_utf8(out.stdout).unwrap();
    assert!(rules.contains("before `2013-07-16T00:00:00Z` is too old"));
    let out = run(&["rules", "--revision", "2025-02-27"]);
    let rules = String::from_utf8(out.stdout).unwrap();
    assert!(rules.contains("before `2013-07-15T00:00:00Z` is too old"));
}

fn the_rules_list_every_check_of(revision: &Revision) {
    let out = run(&["rules", "--revision", revision.name]);
    let rules = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = rules.lines().filter(|l| l.starts_with("| ")).collect();
    let checks: Vec<_> = revision.checks().collect();
    assert_eq!(rows.len(), checks.len() + 1, "header and one row per check");
    for (i, check) in checks.iter().enumerate() {
        let row = rows[i + 1];
        assert!(
            row.starts_with(&format!("| {} | `{check}` |", i + 1)),
            "{row}"
        );
        assert!(row.contains(check.decl().why), "{row}");
        assert!(row.contains(check.decl().fails_when), "{row}");
        for code in check.codes() {
            let entry = revision.entry_for(*code, *check).unwrap();
            assert!(
                row.contains(&format!("`{}` {}", entry.code, entry.http_status)),
                "{row}"
            );
        }
    }
}

#[test]
fn the_table_lists_every_check_in_order_with_each_code_status_and_message() {
    for revision in ALL {
        the_table_lists_every_check_of(revision);
    }
    // Every code of every revision is in some revision's table.
    let tables: String = ALL.iter().map(|r| table(r)).collect();
    for code in Code::VARIANTS {
        assert!(tables.contains(&format!("`{code}`")), "{code} missing");
    }
}

fn the_table_lists_every_check_of(revision: &Revision) {
    let table = table(revision);
    let rows: Vec<&str> = table.lines().filter(|l| l.starts_with("| ")).collect();
    // Each check's row(s), numbered in the default order.
    let mut position = 0;
    for (i, check) in revision.checks().enumerate() {
        for code in check.codes() {
            let entry = revision.entry_for(*code, check).unwrap();
            let row = rows[position + 1];
            let cells: Vec<&str> = row.split(" | ").collect();
            assert_eq!(cells[0], format!("| {}", i + 1), "{row}");
            assert_eq!(cells[1], format!("`{check}`"), "{row}");
            assert_eq!(cells[3], format!("`{}`", entry.code), "{row}");
            assert_eq!(cells[4], entry.http_status.to_string(), "{row}");
            assert_eq!(cells[5], entry.message, "{row}");
            position += 1;
        }
    }
    // The header, the rows and the closing "every check passed" row.
    assert_eq!(rows.len(), position + 2, "{revision}");
    for entry in revision.catalogue {
        assert!(
            table.contains(&format!("`{}`", entry.code)),
            "{revision}: {} missing",
            entry.code
        );
    }
}

/// The `console` blocks of a Markdown file: each a command (`$ ...`) and
/// the output shown under it.
fn console_examples(markdown: &str) -> Vec<(String, String)> {
    let mut examples = Vec::new();
    let mut lines = markdown.lines();
    while let Some(line) = lines.next() {
        if line != "```console" {
            continue;
        }
        let command = lines.next().unwrap().strip_prefix("$ ").unwrap().to_owned();
        let output: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        examples.push((command, output.join("\n")));
    }
    examples
}

#[test]
fn docs_cli_md_examples_run_as_shown() {
    let doc = std::fs::read_to_string(root().join("docs/cli.md")).unwrap();
    let examples = console_examples(&doc);
    assert!(examples.len() >= 8, "{} examples", examples.len());
    for command in [
        "eval ",
        "eval --lines",
        "call ",
        "explain ",
        "explain --all",
        "table",
        "rules",
        "diff ",
    ] {
        assert!(
            examples
                .iter()
                .any(|(c, _)| c.contains(&format!("reinit-disk {command}"))),
            "no example of {command}"
        );
    }
    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_reinit-disk"))
        .parent()
        .unwrap()
        .to_owned();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    for (command, expected) in examples {
        let out = Command::new("sh")
            .args(["-c", &command])
            .current_dir(root())
            .env("PATH", &path)
            .env_remove("NO_COLOR")
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap().replace("\r\n", "\n");
        assert_eq!(
            stdout.trim_end_matches('\n'),
            expected,
            "docs/cli.md: `{command}` printed something else"
        );
    }
}

/// The example lines of `reinit-disk COMMAND --help`.
fn help_examples(command: &str) -> Vec<String> {
    let out = run(&[command, "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    help.lines()
        .skip_while(|l| !l.starts_with("Example"))
        .skip(1)
        .take_while(|l| !l.is_empty())
        .map(|l| l.trim().to_owned())
        .collect()
}

#[test]
fn help_examples_run_outside_a_checkout() {
    let elsewhere = std::env::temp_dir();
    let bin_dir = PathBuf::from(env!("CARGO_BIN_EXE_reinit-disk"))
        .parent()
        .unwrap()
        .to_owned();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    for command in ["eval", "call", "explain", "table", "rules"] {
        for example in help_examples(command) {
            for checkout_path in ["examples/", "tests/", "docs/"] {
                assert!(
                    !example.contains(checkout_path),
                    "`{command} --help` example needs a checkout: {example}"
                );
            }
            // A file the user supplies is named as such; every other example
            // runs as it is, from a directory that is not the checkout.
            if example.contains("my-scenario.json") || example.contains('>') {
                continue;
            }
            let out = Command::new("sh")
                .args(["-c", &example])
                .current_dir(&elsewhere)
                .env("PATH", &path)
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "`{command} --help` example failed outside the checkout: {example}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
}

#[test]
fn every_help_example_is_in_docs_cli_md() {
    let doc = std::fs::read_to_string(root().join("docs/cli.md")).unwrap();
    for command in [
        "eval",
        "call",
        "explain",
        "table",
        "rules",
        "diff",
        "serve",
        "preflight",
        "corpus",
    ] {
        let examples = help_examples(command);
        assert!(!examples.is_empty(), "`{command} --help` shows no example");
        for example in &examples {
            assert!(
                doc.contains(example),
                "`{command} --help` example not in docs/cli.md: {example}"
            );
        }
    }
}
