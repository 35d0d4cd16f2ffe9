//! `reinit-disk serve`'s flags, checked, and the server started from them.

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use super::{
    AccessKeys, AdminToken, Config, Limits, LogFormat, RateLimit, StateFile, Timings, run as serve,
    save_state,
};
use reinit_disk::Revision;
use reinit_disk::scenario::Scenario;

use std::path::PathBuf;

use crate::io::{fail, load_scenario};

/// `--log-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormatArg {
    /// `key=value` text.
    Text,
    /// One JSON object a line.
    Json,
}

/// `--system-disk-detach`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum SystemDiskDetachArg {
    /// `DiskTypeViolation`, as DetachDisk's 2020 reference page lists.
    #[default]
    Refused,
    /// Detached from a `Stopped` instance, as today's page says.
    WhenStopped,
}

/// The most seconds a change may take: a day.
const MAX_SECONDS: f64 = 86_400.0;

/// `--*-seconds S`: from 0 to a day, fractions allowed.
pub fn parse_seconds(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && (0.0..=MAX_SECONDS).contains(s))
        .ok_or_else(|| format!("expected seconds from 0 to {MAX_SECONDS} (for example 2 or 0.5)"))
}

/// `--*-timeout-seconds S`: more than 0, at most a day.
pub fn parse_timeout(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s <= MAX_SECONDS)
        .ok_or_else(|| {
            format!(
                "expected seconds more than 0 and at most {MAX_SECONDS} (for example 10 or 0.5)"
            )
        })
}

/// A whole number from `low` to `high`, said so when it is not.
fn parse_count(text: &str, low: u64, high: u64) -> Result<u64, String> {
    text.parse::<u64>()
        .ok()
        .filter(|n| (low..=high).contains(n))
        .ok_or_else(|| format!("expected a whole number from {low} to {high}"))
}

/// `--max-connections N`: 1 to 65536.
pub fn parse_connections(text: &str) -> Result<u64, String> {
    parse_count(text, 1, 65_536)
}

/// `--max-body-bytes N`: 1 to 1 GiB.
pub fn parse_body_bytes(text: &str) -> Result<u64, String> {
    parse_count(text, 1, 1 << 30)
}

/// `--nonce-store-bytes N`: 4 KiB to 64 GiB.
pub fn parse_nonce_bytes(text: &str) -> Result<u64, String> {
    parse_count(text, 4096, 1 << 36)
}

/// The bounds of `serve` (docs/serve.md, "Security").
#[derive(Debug, clap::Args)]
pub struct LimitArgs {
    /// A bearer token for the admin endpoints (`Authorization: Bearer
    /// TOKEN`), 16 to 256 visible ASCII characters; with it or an
    /// `--access-key`, every admin endpoint but health needs it or a
    /// signature.
    #[arg(long, value_name = "TOKEN")]
    pub admin_token: Option<String>,
    /// How long a shutdown waits for the requests in flight before it
    /// closes them and exits (0 to 86400).
    #[arg(long, value_name = "S", default_value_t = 10.0, value_parser = parse_seconds)]
    pub shutdown_seconds: f64,
    /// How long a request's headers may take to arrive (and a kept-alive
    /// connection may wait for its next request).
    #[arg(long, value_name = "S", default_value_t = 10.0, value_parser = parse_timeout)]
    pub header_timeout_seconds: f64,
    /// How long a connection may go with no byte moving either way while
    /// a request or its answer is under way.
    #[arg(long, value_name = "S", default_value_t = 30.0, value_parser = parse_timeout)]
    pub idle_timeout_seconds: f64,
    /// How long a request's whole body may take to arrive.
    #[arg(long, value_name = "S", default_value_t = 30.0, value_parser = parse_timeout)]
    pub body_timeout_seconds: f64,
    /// The most connections open at once; past it, a new one is closed as
    /// accepted.
    #[arg(long, value_name = "N", default_value_t = 512, value_parser = parse_connections)]
    pub max_connections: u64,
    /// The largest request body taken (a larger Content-Length is refused
    /// before it is read).
    #[arg(long, value_name = "BYTES", default_value_t = 2 << 20, value_parser = parse_body_bytes)]
    pub max_body_bytes: u64,
    /// What the bodies being read may hold together (each counted by its
    /// Content-Length from before it is read); past it, new requests with a
    /// body get `ServiceUnavailable`. At least --max-body-bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20, value_parser = parse_body_bytes)]
    pub max_body_memory: u64,
    /// What the signature nonces remembered may cost; when full of nonces
    /// that could still be replayed, new requests get `Throttling`.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20, value_parser = parse_nonce_bytes)]
    pub nonce_store_bytes: u64,
}

impl LimitArgs {
    fn limits(&self) -> Limits {
        let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        Limits {
            max_connections: size(self.max_connections),
            header_timeout: Duration::from_secs_f64(self.header_timeout_seconds),
            idle_timeout: Duration::from_secs_f64(self.idle_timeout_seconds),
            body_timeout: Duration::from_secs_f64(self.body_timeout_seconds),
            max_body_bytes: size(self.max_body_bytes),
            max_body_memory: size(self.max_body_memory),
            nonce_store_bytes: size(self.nonce_store_bytes),
            shutdown: Duration::from_secs_f64(self.shutdown_seconds),
        }
    }
}

/// `--addr HOST:PORT`: an address (`127.0.0.1:8080`, `[::1]:0`), or a host
/// name and a port (`localhost:8080`), resolved once at start; the first
/// address the name resolves to is the one listened on.
pub fn parse_addr(text: &str) -> Result<std::net::SocketAddr, String> {
    use std::net::ToSocketAddrs as _;
    if let Ok(addr) = text.parse() {
        return Ok(addr);
    }
    let expected = "expected IP:PORT or HOST:PORT (for example 127.0.0.1:8080 or localhost:8080)";
    match text.to_socket_addrs() {
        Ok(mut addrs) => addrs
            .next()
            .ok_or_else(|| format!("{expected}; the name resolves to no address")),
        Err(e) => Err(format!("{expected}; {e}")),
    }
}

/// The flags of `reinit-disk serve`, each declared once: the binary
/// flattens them into its `serve` command, and a program that embeds the
/// endpoint can flatten them into its own (`#[command(flatten)]`) to take
/// the same flags with the same checks, then call [`run_flags`].
#[derive(Debug, clap::Args)]
pub struct Flags {
    /// The scenario file whose world (and policy) the server starts
    /// from; an empty world when absent.
    #[arg(long, value_name = "FILE")]
    pub world: Option<PathBuf>,
    /// A directory of captured ECS answers (DescribeDisks and
    /// DescribeInstances, and DescribeImages, DescribeSnapshots and
    /// DescribeKeyPairs if there), as `aliyun ecs Describe...` prints
    /// them, one answer or a JSON list of pages a file, each recognised
    /// by its content: the world the server starts from, instead of
    /// --world. The facts the answers do not give are listed on
    /// standard error at start, each with the default it took.
    #[arg(long, value_name = "DIR", conflicts_with = "world")]
    pub describe: Option<PathBuf>,
    /// Where to listen: IP:PORT, or HOST:PORT (`localhost:8080`,
    /// resolved once); port 0 picks a free one.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8080", value_parser = parse_addr)]
    pub addr: std::net::SocketAddr,
    /// The API revision that decides, instead of the world's
    /// `Policy.Revision` (which is `2025-02-27`, the newest, when it names
    /// none): `2025-02-27` or `seed`.
    #[arg(long, value_name = "NAME", value_parser = crate::io::parse_revision)]
    pub revision: Option<&'static Revision>,
    /// How long a disk stays `ReIniting`.
    #[arg(long, value_name = "S", default_value_t = 2.0, value_parser = parse_seconds)]
    pub reinit_seconds: f64,
    /// How long an instance stays `Starting`.
    #[arg(long, value_name = "S", default_value_t = 2.0, value_parser = parse_seconds)]
    pub start_seconds: f64,
    /// How long an instance stays `Stopping`.
    #[arg(long, value_name = "S", default_value_t = 2.0, value_parser = parse_seconds)]
    pub stop_seconds: f64,
    /// How long a disk stays `Attaching`.
    #[arg(long, value_name = "S", default_value_t = 2.0, value_parser = parse_seconds)]
    pub attach_seconds: f64,
    /// How long a disk stays `Detaching`.
    #[arg(long, value_name = "S", default_value_t = 2.0, value_parser = parse_seconds)]
    pub detach_seconds: f64,
    /// How long a snapshot takes (the disk creating it meanwhile).
    #[arg(long, value_name = "S", default_value_t = 2.0, value_parser = parse_seconds)]
    pub snapshot_seconds: f64,
    /// How `DetachDisk` treats a system disk: `refused`
    /// (`DiskTypeViolation`) or `when-stopped` (today's page).
    #[arg(long, value_enum, default_value_t = SystemDiskDetachArg::Refused, value_name = "RULE")]
    pub system_disk_detach: SystemDiskDetachArg,
    /// An access key, `ID:SECRET` (repeatable): with any, every request
    /// must be signed (ACS3-HMAC-SHA256 or HMAC-SHA1 1.0) by one of them.
    #[arg(long = "access-key", value_name = "ID:SECRET")]
    pub access_keys: Vec<String>,
    /// At most N requests every SECONDS (`500/60`); past it, `Throttling`.
    #[arg(long, value_name = "N/SECONDS")]
    pub rate_limit: Option<String>,
    /// How the log lines are written.
    #[arg(long, value_enum, default_value_t = LogFormatArg::Text, value_name = "FORMAT")]
    pub log_format: LogFormatArg,
    /// Time moves only when told to (`POST /_reinit-disk/clock?advance=SECONDS`): for tests.
    #[arg(long)]
    pub manual_clock: bool,
    /// Keep the world in FILE: loaded at start if it exists (instead of
    /// --world), saved atomically after every change (answered once
    /// durable) and on shutdown, with the changes under way.
    #[arg(long, value_name = "FILE")]
    pub state: Option<PathBuf>,
    /// The bounds and `--admin-token`.
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// Runs the server: exit 0 after a shutdown signal, 2 for a flag, a
/// world or a `--state` file it cannot use, 1 if it cannot listen.
pub fn run_flags(args: &Flags) -> ExitCode {
    let loaded = match (args.world.as_deref(), args.describe.as_deref()) {
        (Some(path), _) => load_scenario(Some(path), args.revision),
        (None, Some(dir)) => load_described(dir, args.revision),
        (None, None) => Ok(Scenario::default()),
    };
    let scenario = match loaded {
        Ok(scenario) => scenario,
        Err(message) => return fail(&message),
    };
    let state = match args
        .state
        .as_deref()
        .map(|path| open_state(path, &scenario, args.revision))
    {
        Some(Ok(state)) => Some(state),
        Some(Err(message)) => return fail(&message),
        None => None,
    };
    let access_keys = match AccessKeys::parse(args.access_keys.iter().map(String::as_str)) {
        Ok(keys) => keys,
        Err(message) => return fail(&message),
    };
    let rate_limit = match args.rate_limit.as_deref().map(RateLimit::parse).transpose() {
        Ok(limit) => limit,
        Err(message) => return fail(&message),
    };
    if args.limits.max_body_memory < args.limits.max_body_bytes {
        return fail(&format!(
            "--max-body-memory {}: expected at least --max-body-bytes ({}), or no body that large could be read",
            args.limits.max_body_memory, args.limits.max_body_bytes
        ));
    }
    let admin_token = match args
        .limits
        .admin_token
        .as_deref()
        .map(AdminToken::parse)
        .transpose()
    {
        Ok(token) => token,
        Err(message) => return fail(&message),
    };
    let [reinit, start, stop, attach, detach, snapshot] = [
        args.reinit_seconds,
        args.start_seconds,
        args.stop_seconds,
        args.attach_seconds,
        args.detach_seconds,
        args.snapshot_seconds,
    ]
    .map(Duration::from_secs_f64);
    let config = Config {
        addr: args.addr,
        timings: Timings {
            reinit,
            start,
            stop,
            attach,
            detach,
            snapshot,
        },
        revision: args.revision,
        access_keys,
        admin_token,
        rate_limit,
        log_format: match args.log_format {
            LogFormatArg::Text => LogFormat::Text,
            LogFormatArg::Json => LogFormat::Json,
        },
        manual_clock: args.manual_clock,
        state,
        limits: args.limits.limits(),
        system_disk_detach: match args.system_disk_detach {
            SystemDiskDetachArg::Refused => reinit_disk::SystemDiskDetach::Refused,
            SystemDiskDetachArg::WhenStopped => reinit_disk::SystemDiskDetach::WhenStopped,
        },
    };
    match serve(config, scenario) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "reinit-disk: {}",
                reinit_disk::echo::cap_message(&message)
            );
            ExitCode::FAILURE
        }
    }
}

/// `--describe DIR`: the world of the captured answers in DIR (each file
/// at most `--max-input-bytes`), under `revision` when given; the facts
/// they lack are printed on standard error, one a line, before the server
/// starts.
fn load_described(dir: &Path, revision: Option<&'static Revision>) -> Result<Scenario, String> {
    use std::io::Write as _;
    let shown = dir.display();
    let capture = reinit_disk::ecs::capture::from_dir(dir, crate::io::max_input_bytes())
        .map_err(|e| format!("--describe {shown}: {e}"))?;
    let mut report = format!(
        "reinit-disk: --describe {shown}: {} {} the captured answers do not give, each taken as docs/serve.md says:\n",
        capture.missing.len(),
        if capture.missing.len() == 1 {
            "fact"
        } else {
            "facts"
        }
    );
    for missing in &capture.missing {
        report.push_str(&crate::io::terminal_safe(format!("  - {missing}")));
        report.push('\n');
    }
    let _ = std::io::stderr().write_all(report.as_bytes());
    match revision {
        Some(revision) => capture
            .scenario
            .with_revision(revision)
            .map_err(|e| format!("--revision {revision} does not fit --describe {shown}: {e}")),
        None => Ok(capture.scenario),
    }
}

/// `--state FILE`: the world saved in FILE if it exists (a file that
/// cannot be read or is not a valid scenario is an error naming it: the
/// server never starts from an empty world in its place), else `world`;
/// saved to FILE at once either way, so that a file that cannot be
/// written is found before the first request.
fn open_state(
    path: &Path,
    world: &Scenario,
    revision: Option<&'static Revision>,
) -> Result<StateFile, String> {
    let saved = match std::fs::metadata(path) {
        Ok(_) => Some(load_scenario(Some(path), revision).map_err(|e| format!("--state: {e}"))?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("--state {}: cannot read it: {e}", path.display())),
    };
    save_state(path, saved.as_ref().unwrap_or(world)).map_err(|e| format!("--state: {e}"))?;
    Ok(StateFile {
        path: path.to_owned(),
        saved,
    })
}
