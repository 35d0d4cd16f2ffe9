//! `reinit-disk`: decide ECS `ReInitDisk` requests from the command line.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

use cli::explain::Color;
use reinit_disk::Revision;

/// The exit statuses, stated in every command's `--help` (docs/cli.md).
macro_rules! exit_status {
    () => {
        "Exit status: 0 the command did its work, whatever the decision; 1 an I/O error \
        that is not the input's fault (standard output closed or full); 2 an input it \
        cannot use (with one line on standard error naming it). A reader that goes away \
        (a closed pipe: `... | head -1`) ends the run quietly, exit status 0."
    };
}

/// `--revision NAME`: which API revision decides (default: the scenario's
/// policy, itself the newest revision, `2025-02-27`, when it names none).
#[derive(clap::Args)]
struct RevisionArg {
    /// The API revision that decides, instead of the scenario's
    /// `Policy.Revision` (which is `2025-02-27`, the newest, when the
    /// scenario names none): `2025-02-27` or `seed`.
    #[arg(long, value_name = "NAME", value_parser = cli::parse_revision)]
    revision: Option<&'static Revision>,
}

/// Decide what Alibaba Cloud ECS `ReInitDisk` does to a disk: the state it is
/// re-initialized to, or the exact error code, message and HTTP status.
#[derive(Parser)]
#[command(
    name = "reinit-disk",
    version,
    about,
    long_about = None,
    after_help = "Exit status: 0 the command did its work, whatever the decision; 1 an I/O error \
        that is not the input's fault (standard output closed or full); 2 an input it cannot use \
        (with one line on standard error naming it). Two commands add their own: `diff` exits 1 \
        when something changes (as diff(1) does), `serve` 1 when it cannot listen. A reader that goes \
        away (a closed pipe: `... | head -1`) ends the run quietly, exit status 0. Each command's \
        --help states its own."
)]
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
        after_help = concat!(
            "Examples:\n  \
            echo '{\"Request\":{\"DiskId\":\"d-1\"}}' | reinit-disk eval\n  \
            printf '%s\\n' '{\"Request\":{\"DiskId\":\"d-1\"}}' '{\"Request\":{}}' | reinit-disk eval --lines\n  \
            reinit-disk eval my-scenario.json\n\n\
            The scenario format is described in the repository's docs/scenario.md; --lines in docs/cli.md.\n\n",
            exit_status!()
        )
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
    #[command(after_help = concat!(
        "Examples:\n  \
        echo '{}' | reinit-disk call - 'Action=ReInitDisk&DiskId=d-1&Format=JSON' --request-id 473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E\n  \
        echo '{}' | reinit-disk call - 'DiskId=d-9' --header 'x-acs-action: ReInitDisk' --request-id 473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E\n  \
        echo '{}' | reinit-disk call - --body 'Action=ReInitDisk&DiskId=d-1&Format=JSON' --request-id 473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E\n\n\
        The wire format is described in the repository's docs/wire.md.\n\n",
        exit_status!()
    ))]
    Call {
        /// The scenario file that holds the world (`-` for standard input).
        scenario: PathBuf,
        /// The query string, percent-encoded as sent (a leading `?` or a
        /// whole URL is fine); none when the request is all in --body.
        query: Option<String>,
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
    /// or not reached, with the facts it read, then the decision (--all: every
    /// check's verdict, even after the first failure).
    #[command(after_help = concat!(
        "Examples:\n  \
        echo '{\"Request\":{\"DiskId\":\"d-1\"}}' | reinit-disk explain\n  \
        echo '{\"Request\":{\"DiskId\":\"d-1\"}}' | reinit-disk explain --all --revision 2025-02-27\n\n\
        Colour is used only when standard output is a terminal (and NO_COLOR is not set), unless --color says otherwise.\n\n",
        exit_status!()
    ))]
    Explain {
        /// The scenario file; standard input when absent or `-`.
        file: Option<PathBuf>,
        /// When to colour the output.
        #[arg(long, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
        color: Color,
        /// Run every check, even after the first failure, and show each
        /// one's verdict (the first failure still decides, and the output
        /// says so); a check whose fact is missing says it could not run.
        #[arg(long)]
        all: bool,
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
        the witness carries the --to side's policy. docs/cli.md describes the space swept.\n\n\
        Exit status: 0 nothing changes; 1 something changes (like diff); 2 a side it cannot use, or an \
        I/O error (with one line on standard error naming it). A reader that goes away (a closed pipe: \
        `... | head -1`) ends the run quietly, exit status 0.")]
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
    /// Print one witness per decision class of a policy's space (each fact
    /// at the values the checks tell apart), as JSON Lines: scenarios that
    /// `eval --lines` replays, or (`--format http`) the HTTP exchange an
    /// official SDK has for each; `--expected` writes the decision of each,
    /// line for line: a conformance corpus for another emulator
    /// (docs/corpus.md).
    #[command(after_help = "Examples:\n  \
        reinit-disk corpus --revision seed --expected seed.expected.jsonl > seed.jsonl\n  \
        reinit-disk eval --lines seed.jsonl | diff - seed.expected.jsonl\n  \
        reinit-disk corpus --revision 2025-02-27 --format http > exchanges.jsonl\n\n\
        --format http: one line a class, {\"Class\", \"Description\", \"World\", \"Request\", \"Response\"}. \
        Load World into the emulator (reinit-disk serve: PUT /_reinit-disk/world), send Request \
        (Method, Path, Query, Headers, Body: what the Python SDK alibabacloud_ecs20140526 sends, \
        unsigned), and compare with Response (Status, ContentType, Code, Message, and Body byte for \
        byte once Response.RequestId is replaced by the RequestId the emulator answered).\n\n\
        Exit status: 0; 2 for a bad flag value, a policy file it cannot use or an --expected file it cannot write; 1 if an HTTP exchange cannot be written (the library refuses to write one whose response contradicts its scenario's decision; none does).")]
    Corpus {
        /// A scenario-style file whose `Policy` decides (else the revision's
        /// default policy).
        #[arg(long, value_name = "FILE")]
        policy: Option<PathBuf>,
        /// Where to write the expected decisions (JSON Lines, line for line
        /// with the corpus, whichever --format).
        #[arg(long, value_name = "FILE")]
        expected: Option<PathBuf>,
        /// What a line is: `scenarios` (a scenario, for `eval --lines`) or
        /// `http` (the world, the SDK's request and the exact response).
        #[arg(long, value_enum, default_value_t = cli::corpus::Format::Scenarios, value_name = "FORMAT")]
        format: cli::corpus::Format,
        #[command(flatten)]
        revision: RevisionArg,
    },
    /// Serve an ECS endpoint for the world of a scenario file (empty without
    /// one): ReInitDisk, the Describe* calls around it, and the instance,
    /// disk and snapshot actions (GET /_reinit-disk/health lists every
    /// one), in JSON and XML, with statuses that change in time.
    /// Prints the bound address first, then one log line a request on
    /// standard error; stops on SIGINT or SIGTERM once the requests in
    /// flight are answered, within --shutdown-seconds (exit 0; a second
    /// signal stops it at once). docs/serve.md has the details.
    #[command(after_help = "Examples:\n  \
        reinit-disk serve --world world.json --addr 127.0.0.1:8080\n  \
        reinit-disk serve --addr 127.0.0.1:0 --access-key LTAI-test:secret --rate-limit 500/60\n  \
        reinit-disk serve --world world.json --state state.json\n  \
        reinit-disk serve --describe captured/ --revision 2025-02-27\n\n\
        With --describe, captured/ holds answers saved with `aliyun ecs DescribeDisks --RegionId cn-hangzhou > captured/disks.json` \
        (and DescribeInstances, DescribeImages, DescribeSnapshots, DescribeKeyPairs; any file names; one answer or a JSON list of \
        pages each); the facts they do not give are listed on standard error with the default each took (docs/serve.md, \
        \"A world from captured answers\").\n\n\
        Point an SDK at http://ADDRESS (protocol HTTP); the admin endpoints are under /_reinit-disk/ \
        (health, state, reset, world, clock). docs/serve.md describes every action and flag.\n\n\
        Exit status: 0 after SIGINT or SIGTERM, once the requests in flight are answered (at most \
        --shutdown-seconds later; at once on a second signal); 1 it cannot listen; 2 a flag, a world, a --describe directory or a --state file it cannot use (with one line on standard error naming it).")]
    Serve(Box<reinit_disk_cli::serve::Flags>),
    /// Print the decision table as Markdown: every check in order, the code
    /// it answers with, the HTTP status and the exact message.
    #[command(after_help = concat!(
        "Example:\n  \
        reinit-disk table --revision seed > decision-table.md\n\n",
        exit_status!()
    ))]
    Table {
        /// The API revision whose table to print: `2025-02-27` or `seed`.
        #[arg(long, value_name = "NAME", value_parser = cli::parse_revision, default_value = "2025-02-27")]
        revision: &'static Revision,
    },
    /// Print the checks of a revision in order as Markdown: when each fails,
    /// the codes it answers with, and why it sits where it does (the table
    /// docs/rules.md embeds).
    #[command(after_help = concat!(
        "Example:\n  \
        reinit-disk rules --revision seed\n\n",
        exit_status!()
    ))]
    Rules {
        /// The API revision whose checks to print: `2025-02-27` or `seed`.
        #[arg(long, value_name = "NAME", value_parser = cli::parse_revision, default_value = "2025-02-27")]
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
    /// The API revision that decides: `2025-02-27` (the default, the
    /// newest) or `seed`.
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

/// `preflight`'s options, long and short, as clap declares them (with the
/// global ones and `--help`).
fn preflight_options() -> Vec<String> {
    let mut command = Cli::command();
    command.build();
    let Some(preflight) = command.find_subcommand("preflight") else {
        return Vec::new();
    };
    let long = preflight
        .get_arguments()
        .filter_map(|a| a.get_long().map(|l| format!("--{l}")));
    let short = preflight
        .get_arguments()
        .filter_map(|a| a.get_short().map(|s| format!("-{s}")));
    long.chain(short).collect()
}

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args
        .iter()
        .any(|a| a == "--password-given" || a.to_string_lossy().starts_with("--password-given="))
    {
        if let Some(code) = cli::preflight::refuse_password_value(&args, &preflight_options()) {
            return code;
        }
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
            query: query.as_deref().unwrap_or_default(),
            headers: &headers,
            body: body.as_deref(),
            request_id: request_id.as_deref(),
            revision: revision.revision,
        }),
        Command::Explain {
            file,
            color,
            all,
            revision,
        } => cli::explain::run(file.as_deref(), color, all, revision.revision),
        Command::Diff { from, to, format } => cli::diff::run(&cli::diff::Args {
            from: &from,
            to: &to,
            format,
        }),
        Command::Corpus {
            policy,
            expected,
            format,
            revision,
        } => cli::corpus::run(&cli::corpus::Args {
            revision: revision.revision,
            policy: policy.as_deref(),
            expected: expected.as_deref(),
            format,
        }),
        Command::Serve(flags) => reinit_disk_cli::serve::run_flags(&flags),
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
