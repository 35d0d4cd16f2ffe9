//! `reinit-disk rules`: the checks of a revision in order, each with when it
//! fails, the codes it answers with and why it sits where it does, as
//! Markdown, from each check's declaration. docs/rules.md embeds its output.

use std::fmt::Write as _;
use std::process::ExitCode;

use reinit_disk::Revision;

use super::print;
use super::table::cell;

/// Runs the command.
pub fn run(revision: &Revision) -> ExitCode {
    print(rules(revision).as_bytes(), "the rules")
}

/// The table of `revision`'s checks in their default order.
pub fn rules(revision: &Revision) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "| # | check | fails when | code | why here |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for (i, check) in revision.checks().enumerate() {
        let decl = check.decl();
        let codes: Vec<String> = decl
            .codes
            .iter()
            .filter_map(|code| revision.entry_for(*code, check))
            .map(|e| format!("`{}` {}", e.code, e.http_status))
            .collect();
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} |",
            i + 1,
            check,
            cell(decl.fails_when),
            codes.join("; "),
            cell(decl.why)
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Too-old boundary of revision `{revision}`: a source snapshot created before `{}` is too old.",
        revision.too_old_before
    );
    out
}
