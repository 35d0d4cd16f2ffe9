//! `reinit-disk`: decide ECS `ReInitDisk` requests from the command line.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

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
#[command(name = "reinit-disk", version, about, long_about = None, after_help = exit_status!())]
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
    /// Print the decision table as Markdown: every check in order, the code
    /// it answers with, the HTTP status and the exact message.
    #[command(after_help = concat!(
        "Example:\n  \
        reinit-disk table --revision 2025-02-27 > decision-table.md\n\n",
        exit_status!()
    ))]
    Table {
        /// The API revision whose table to print.
        #[arg(long, value_name = "NAME", value_parser = cli::parse_revision, default_value = "seed")]
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
        /// The API revision whose checks to print.
        #[arg(long, value_name = "NAME", value_parser = cli::parse_revision, default_value = "seed")]
        revision: &'static Revision,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
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
        Command::Table { revision } => cli::table::run(revision),
        Command::Rules { revision } => cli::rules::run(revision),
    }
}
