//! `reinit-disk`: decide ECS `ReInitDisk` requests from the command line.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cli::explain::Color;
use reinit_disk::Revision;

/// `--revision NAME`: which API revision decides (default: the scenario's
/// policy, itself `seed` by default).
#[derive(clap::Args)]
struct RevisionArg {
    /// The API revision that decides, instead of the scenario's
    /// `Policy.Revision`: `seed` (the default) or `2025-02-27`.
    #[arg(long, value_name = "NAME", value_parser = cli::parse_revision)]
    revision: Option<&'static Revision>,
}

/// Decide what Alibaba Cloud ECS `ReInitDisk` does to a disk: the state it is
/// re-initialized to, or the exact error code, message and HTTP status.
#[derive(Parser)]
#[command(name = "reinit-disk", version, about, long_about = None)]
struct Cli {
    /// The most bytes a scenario may have (a file, standard input, or one
    /// line of `eval --lines`); a larger one is refused (exit 2) without
    /// being read whole.
    #[arg(
        long,
        global = true,
        value_name = "BYTES",
        default_value_t = cli::DEFAULT_MAX_INPUT_BYTES
    )]
    max_input_bytes: u64,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Evaluate a scenario (a request and its world, as JSON) and print the
    /// decision as one JSON object. Exits 0 whatever the decision, 2 if the
    /// scenario is not valid. With --lines: one scenario a line in, one
    /// decision a line out.
    #[command(
        after_help = "Examples:\n  reinit-disk eval examples/accepted-system-disk.json\n  \
        echo '{\"Request\":{\"DiskId\":\"d-1\"}}' | reinit-disk eval\n  \
        reinit-disk eval --lines tests/snapshots/batch.jsonl\n\n\
        The scenario format is described in docs/scenario.md; --lines in docs/cli.md."
    )]
    Eval {
        /// The scenario file; standard input when absent or `-`.
        file: Option<PathBuf>,
        /// JSON Lines: one scenario a line in, one decision a line out (an
        /// invalid line gives {"Error": "..."} and the run goes on; exit 2 if
        /// any line was invalid).
        #[arg(long)]
        lines: bool,
        #[command(flatten)]
        revision: RevisionArg,
    },
    /// Answer an ECS request as the real endpoint does: the world from the
    /// scenario file (its own Request is ignored), the request from QUERY and
    /// the headers. Prints the HTTP response: status line, Content-Type, a
    /// blank line, the body.
    #[command(after_help = "Examples:\n  \
        reinit-disk call examples/accepted-system-disk.json 'Action=ReInitDisk&DiskId=d-1&Format=JSON' --request-id 473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E\n  \
        reinit-disk call examples/accepted-system-disk.json 'DiskId=d-9' --header 'x-acs-action: ReInitDisk' --request-id 473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E\n\n\
        The wire format is described in docs/wire.md.")]
    Call {
        /// The scenario file that holds the world (`-` for standard input).
        scenario: PathBuf,
        /// The query string, percent-encoded as sent (a leading `?` or a
        /// whole URL is fine).
        query: String,
        /// A request header, `Name: value` (repeatable).
        #[arg(long = "header", short = 'H', value_name = "NAME: VALUE")]
        headers: Vec<String>,
        /// A form body (application/x-www-form-urlencoded), whose values
        /// join the query's.
        #[arg(long)]
        body: Option<String>,
        /// The RequestId of the response; a fresh uppercase UUID when absent.
        #[arg(long, value_name = "ID")]
        request_id: Option<String>,
        #[command(flatten)]
        revision: RevisionArg,
    },
    /// Show every check in policy order, each passed, failed, not applicable
    /// or not reached, with the facts it read, then the decision.
    #[command(after_help = "Example:\n  \
        reinit-disk explain tests/snapshots/explain-detaching.json\n\n\
        Colour is used only when standard output is a terminal (and NO_COLOR is not set), unless --color says otherwise.")]
    Explain {
        /// The scenario file; standard input when absent or `-`.
        file: Option<PathBuf>,
        /// When to colour the output.
        #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
        color: Color,
        #[command(flatten)]
        revision: RevisionArg,
    },
    /// Print every class of situations whose decision changes between two
    /// policies or revisions: old answer, new answer, how many situations,
    /// and one smallest witness scenario. Every situation of a finite space
    /// (each fact at the values the rules tell apart) is decided on both
    /// sides; the output ends with what was not enumerated. Exits 0 when
    /// nothing changes, 1 when something does (like `diff`), 2 for a side it
    /// cannot use.
    #[command(after_help = "Examples:\n  \
        reinit-disk diff --from seed --to 2025-02-27\n  \
        reinit-disk diff --from seed --to my-policy.json --format json\n\n\
        A side is a revision name (seed, 2025-02-27) or a scenario-style file whose \"Policy\" decides; \
        the witness carries the --to side's policy. docs/cli.md describes the space swept.")]
    Diff {
        /// The old side: a revision name, or a file whose `Policy` decides.
        #[arg(long, value_name = "REVISION_OR_FILE")]
        from: String,
        /// The new side: a revision name, or a file whose `Policy` decides.
        #[arg(long, value_name = "REVISION_OR_FILE")]
        to: String,
        /// How to print what changes.
        #[arg(long, value_enum, default_value_t = cli::diff::Format::Text, value_name = "FORMAT")]
        format: cli::diff::Format,
    },
    /// Print the decision table as Markdown: every check in order, the code
    /// it answers with, the HTTP status and the exact message.
    #[command(after_help = "Example:\n  \
        reinit-disk table --revision seed > docs/decision-table.md")]
    Table {
        /// The API revision whose table to print.
        #[arg(long, value_name = "NAME", value_parser = cli::parse_revision, default_value = "seed")]
        revision: &'static Revision,
    },
    /// Print the checks of a revision in order as Markdown: when each fails,
    /// the codes it answers with, and why it sits where it does (the table
    /// docs/rules.md embeds).
    #[command(after_help = "Example:\n  \
        reinit-disk rules --revision seed")]
    Rules {
        /// The API revision whose checks to print.
        #[arg(long, value_name = "NAME", value_parser = cli::parse_revision, default_value = "seed")]
        revision: &'static Revision,
    },
    /// Pre-flight: would ECS re-initialize this disk? Decided from the
    /// Describe* responses you have, as the aliyun CLI and the SDKs print
    /// them. A fact the rules read that the responses do not show is
    /// unknown: the decision is taken for each of its values and every
    /// outcome is listed. Exits 0 when decided (accepted, rejected, or
    /// several outcomes possible), 2 if a response cannot be used, 1 if
    /// the output cannot be written.
    #[command(
        after_help = "Example (responses saved with `aliyun ecs DescribeDisks --RegionId cn-hangzhou --DiskIds '[\"d-bp67acfmxazb4p0001\"]' > disks.json`, and so on):\n  \
        reinit-disk preflight --disk-id d-bp67acfmxazb4p0001 --disks disks.json --instances instances.json --images images.json --revision 2025-02-27\n\n\
        Which fields are read, and how unknown facts are decided: docs/cli.md, section preflight."
    )]
    Preflight(PreflightArgs),
}

/// The arguments of `preflight`.
#[derive(clap::Args)]
struct PreflightArgs {
    /// The disk to re-initialize.
    #[arg(long, value_name = "ID")]
    disk_id: String,
    /// A DescribeDisks response that lists the disk.
    #[arg(long, value_name = "FILE")]
    disks: PathBuf,
    /// A DescribeInstances response (the disk's instance, if it has one).
    #[arg(long, value_name = "FILE")]
    instances: PathBuf,
    /// A DescribeImages response (the image of a system disk).
    #[arg(long, value_name = "FILE")]
    images: Option<PathBuf>,
    /// A DescribeSnapshots response (the disk's own snapshots, and the
    /// source snapshot of a data disk).
    #[arg(long, value_name = "FILE")]
    snapshots: Option<PathBuf>,
    /// A DescribeKeyPairs response (the key pair of --key-pair-name).
    #[arg(long, value_name = "FILE")]
    key_pairs: Option<PathBuf>,
    /// The API revision that decides: `seed` (the default) or `2025-02-27`.
    #[arg(long, value_name = "NAME", value_parser = cli::parse_revision)]
    revision: Option<&'static Revision>,
    /// A password will be sent (a flag: the password itself is never
    /// given to, nor shown by, the preflight; it is taken as well-formed).
    #[arg(long)]
    password_given: bool,
    /// The key pair to bind (KeyPairName).
    #[arg(long, value_name = "NAME")]
    key_pair_name: Option<String>,
    /// AutoStartInstance=true will be sent.
    #[arg(long)]
    auto_start: bool,
    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    color: Color,
    /// `text` (the decision, its explanation, the unknown facts and every
    /// outcome) or `json` (the same as one JSON object).
    #[arg(long, value_enum, default_value_t = cli::preflight::Format::Text, value_name = "FORMAT")]
    format: cli::preflight::Format,
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(code) = cli::preflight::refuse_password_value(&args) {
        return code;
    }
    let cli = Cli::parse_from(args);
    cli::set_max_input_bytes(cli.max_input_bytes);
    match cli.command {
        Command::Eval {
            file,
            lines: false,
            revision,
        } => cli::eval::single(file.as_deref(), revision.revision),
        Command::Eval {
            file,
            lines: true,
            revision,
        } => cli::eval::lines(file.as_deref(), revision.revision),
        Command::Call {
            scenario,
            query,
            headers,
            body,
            request_id,
            revision,
        } => cli::call::run(&cli::call::Args {
            scenario: &scenario,
            query: &query,
            headers: &headers,
            body: body.as_deref(),
            request_id: request_id.as_deref(),
            revision: revision.revision,
        }),
        Command::Explain {
            file,
            color,
            revision,
        } => cli::explain::run(file.as_deref(), color, revision.revision),
        Command::Diff { from, to, format } => cli::diff::run(&cli::diff::Args {
            from: &from,
            to: &to,
            format,
        }),
        Command::Table { revision } => cli::table::run(revision),
        Command::Rules { revision } => cli::rules::run(revision),
        Command::Preflight(a) => cli::preflight::run(&cli::preflight::Args {
            disk_id: &a.disk_id,
            disks: &a.disks,
            instances: &a.instances,
            images: a.images.as_deref(),
            snapshots: a.snapshots.as_deref(),
            key_pairs: a.key_pairs.as_deref(),
            revision: a.revision,
            password_given: a.password_given,
            key_pair_name: a.key_pair_name.as_deref(),
            auto_start: a.auto_start,
            color: a.color,
            format: a.format,
        }),
    }
}
