//! The process's input and output, shared by every command: scenarios
//! read with a bound, standard output written so that a reader gone away
//! ends quietly, text made safe for a terminal, and the one-line error
//! with exit status 2.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};

use reinit_disk::Revision;
use reinit_disk::echo::cap_message;
use reinit_disk::scenario::Scenario;

/// The most bytes a scenario may have (a file, standard input, or one line
/// of `eval --lines`) unless `--max-input-bytes` says otherwise: 64 MiB,
/// far above any real scenario, far below what would exhaust memory.
pub const DEFAULT_MAX_INPUT_BYTES: u64 = reinit_disk::scenario::MAX_INPUT_BYTES;

/// The limit `--max-input-bytes` set ([`DEFAULT_MAX_INPUT_BYTES`] unless
/// it was given), read by every command that reads a scenario.
static MAX_INPUT_BYTES: AtomicU64 = AtomicU64::new(DEFAULT_MAX_INPUT_BYTES);

/// `text` as a terminal may show it: every control character (C0 with
/// the newline, DEL, C1 with its escape sequences) and every bidirectional
/// override written `\u{..}`, so that an id from an input file can neither
/// start a line, nor move the cursor, nor colour or reorder what follows.
/// The colours a command paints itself are added after.
pub fn terminal_safe(text: String) -> String {
    let unsafe_char =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.chars().any(unsafe_char) {
        return text;
    }
    let mut safe = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            let _ =
                std::fmt::Write::write_fmt(&mut safe, format_args!("\\u{{{:x}}}", u32::from(c)));
        } else {
            safe.push(c);
        }
    }
    safe
}

/// Sets the most bytes a scenario may have (`--max-input-bytes`).
pub fn set_max_input_bytes(limit: u64) {
    MAX_INPUT_BYTES.store(limit, Ordering::Relaxed);
}

/// The most bytes a scenario may have.
pub fn max_input_bytes() -> u64 {
    MAX_INPUT_BYTES.load(Ordering::Relaxed)
}

/// Prints `reinit-disk: MESSAGE` on standard error; exit status 2.
pub fn fail(message: &str) -> ExitCode {
    let _ = writeln!(io::stderr(), "reinit-disk: {}", cap_message(message));
    ExitCode::from(2)
}

/// The exit status when the reader of standard output went away (a closed
/// pipe, EPIPE: `reinit-disk eval --lines big.jsonl | head -1`): 0, with no
/// message. The reader chose to stop reading; nothing went wrong with the
/// input or the tool, and under `set -o pipefail` (CI jobs) a status of 141
/// would fail a pipeline that did what it was asked. docs/cli.md.
pub const EXIT_READER_GONE: u8 = 0;

/// The exit status when standard output could not be written, for `what`
/// (`the decision`, `the response`, ...): a closed pipe ends quietly with
/// [`EXIT_READER_GONE`]; anything else prints `reinit-disk: cannot write
/// WHAT to standard output: ERROR` on standard error, exit status 1 (an I/O
/// error that is not the input's fault: a full disk).
pub fn write_failed(what: &str, error: &io::Error) -> ExitCode {
    if error.kind() == io::ErrorKind::BrokenPipe {
        return ExitCode::from(EXIT_READER_GONE);
    }
    let message = format!("cannot write {what} to standard output: {error}");
    let _ = writeln!(io::stderr(), "reinit-disk: {}", cap_message(&message));
    ExitCode::FAILURE
}

/// Standard output was closed when the program started (`>&-`): prints
/// `reinit-disk: cannot write WHAT: standard output is closed`, exit
/// status 1.
pub fn stdout_closed(what: &str) -> ExitCode {
    let _ = writeln!(
        io::stderr(),
        "reinit-disk: cannot write {what}: standard output is closed"
    );
    ExitCode::FAILURE
}

/// Writes `bytes` (`what`, for a message) to standard output and flushes
/// it: exit status 0, or what [`write_failed`] says. Standard output closed
/// when the program started counts as an error ([`stdout_was_closed`]).
pub fn print(bytes: &[u8], what: &str) -> ExitCode {
    print_then(bytes, what, ExitCode::SUCCESS, ExitCode::FAILURE)
}

/// [`print()`], with the exit statuses of a command whose own are others
/// (`diff`'s): `done` once written, `failed` when standard output is closed
/// or cannot be written (with the same messages); a reader gone is still
/// [`EXIT_READER_GONE`].
pub fn print_then(bytes: &[u8], what: &str, done: ExitCode, failed: ExitCode) -> ExitCode {
    if stdout_was_closed() {
        let _ = stdout_closed(what);
        return failed;
    }
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => done,
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(EXIT_READER_GONE),
        Err(e) => {
            let _ = write_failed(what, &e);
            failed
        }
    }
}

/// Whether standard output was closed when the program started.
///
/// Rust's runtime opens `/dev/null` (read-write) in place of a closed
/// standard output, so writing to it succeeds and the output is lost
/// without a word. A shell's `> /dev/null` opens it write-only. So
/// standard output is taken for closed when it is `/dev/null` and can be
/// read from; `> /dev/null` still works.
#[cfg(unix)]
pub fn stdout_was_closed() -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::{FileTypeExt, MetadataExt};
    let Ok(fd) = io::stdout().as_fd().try_clone_to_owned() else {
        return true;
    };
    let mut out = File::from(fd);
    match (out.metadata(), std::fs::metadata("/dev/null")) {
        (Ok(meta), Ok(null)) if meta.file_type().is_char_device() && meta.rdev() == null.rdev() => {
            out.read(&mut [0u8; 1]).is_ok()
        }
        _ => false,
    }
}

/// Elsewhere, standard output is taken for open.
#[cfg(not(unix))]
pub fn stdout_was_closed() -> bool {
    false
}

/// The refusal of an input over `limit` bytes: `size` when it is known (a
/// file), else it has more than `limit` (a stream, read no further).
pub fn too_large(name: &str, size: Option<u64>, limit: u64) -> String {
    match size {
        Some(size) => format!(
            "{name} is {size} bytes, over the limit of {limit} bytes for a scenario (--max-input-bytes BYTES raises it)"
        ),
        None => format!(
            "{name} has more than {limit} bytes, the limit for a scenario (--max-input-bytes BYTES raises it)"
        ),
    }
}

/// The input's name (the path, or `<stdin>`) and a buffered reader of it:
/// FILE, or standard input when FILE is absent or `-`.
pub fn open_input(file: Option<&Path>) -> Result<(String, Box<dyn BufRead>), String> {
    match file {
        Some(path) if path.as_os_str() != "-" => {
            let name = path.display().to_string();
            match File::open(path) {
                Ok(f) => Ok((name, Box::new(BufReader::with_capacity(64 * 1024, f)))),
                Err(e) => Err(format!("cannot read {name}: {e}")),
            }
        }
        _ => Ok(("<stdin>".to_owned(), Box::new(io::stdin().lock()))),
    }
}

/// The input's name and its whole text, refused without reading it whole
/// when it has more than `limit` bytes: a file by its size, standard input
/// once `limit + 1` bytes have come.
pub fn read_input(file: Option<&Path>, limit: u64) -> Result<(String, String), String> {
    if let Some(path) = file.filter(|p| p.as_os_str() != "-") {
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.is_file() && meta.len() > limit {
                let name = path.display().to_string();
                return Err(too_large(&name, Some(meta.len()), limit));
            }
        }
    }
    let (name, reader) = open_input(file)?;
    let shown = if name == "<stdin>" {
        "standard input"
    } else {
        name.as_str()
    };
    let mut bytes = Vec::new();
    match reader.take(limit.saturating_add(1)).read_to_end(&mut bytes) {
        Ok(read) if read as u64 > limit => Err(too_large(&name, None, limit)),
        Ok(_) => match String::from_utf8(bytes) {
            Ok(text) => Ok((name, text)),
            Err(e) => Err(format!(
                "cannot read {shown}: not valid UTF-8 ({})",
                e.utf8_error()
            )),
        },
        Err(e) => Err(format!("cannot read {shown}: {e}")),
    }
}

/// Reads and validates a scenario of at most [`max_input_bytes`], under
/// `revision` when given (instead of its own policy's); the error is the one
/// line to print.
pub fn load_scenario(
    file: Option<&Path>,
    revision: Option<&'static Revision>,
) -> Result<Scenario, String> {
    let (name, text) = read_input(file, max_input_bytes())?;
    let scenario =
        Scenario::from_json(&text).map_err(|e| format!("invalid scenario {name}: {e}"))?;
    match revision {
        Some(revision) => scenario
            .with_revision(revision)
            .map_err(|e| format!("--revision {revision} does not fit scenario {name}: {e}")),
        None => Ok(scenario),
    }
}

/// `--revision NAME`: a revision by name, or the error that lists them.
pub fn parse_revision(name: &str) -> Result<&'static Revision, String> {
    Revision::by_name(name).map_err(|e| e.to_string())
}
