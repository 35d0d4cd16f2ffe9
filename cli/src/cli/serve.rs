//! `reinit-disk serve`: the flags, then the server (src/serve/).

use std::path::Path;
use std::process::ExitCode;
use std::time::Duration;

use reinit_disk::Revision;
use reinit_disk::scenario::Scenario;
use reinit_disk_cli::serve::{AccessKeys, Config, LogFormat, RateLimit, run as serve};
use reinit_disk_cli::serve::{StateFile, Timings, save_state};

use super::{fail, load_scenario};

/// `--log-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormatArg {
    /// `key=value` text.
    Text,
    /// One JSON object a line.
    Json,
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

/// The arguments of `serve`.
pub struct Args<'a> {
    /// `--world`.
    pub world: Option<&'a Path>,
    /// `--addr`.
    pub addr: std::net::SocketAddr,
    /// `--revision`.
    pub revision: Option<&'static Revision>,
    /// `--reinit-seconds`, `--start-seconds`, `--stop-seconds`.
    pub seconds: [f64; 3],
    /// `--access-key`.
    pub access_keys: &'a [String],
    /// `--rate-limit`.
    pub rate_limit: Option<&'a str>,
    /// `--log-format`.
    pub log_format: LogFormatArg,
    /// `--manual-clock`.
    pub manual_clock: bool,
    /// `--state`.
    pub state: Option<&'a Path>,
}

/// Runs the server: exit 0 after a shutdown signal, 2 for a flag, a
/// world or a `--state` file it cannot use, 1 if it cannot listen.
pub fn run(args: &Args<'_>) -> ExitCode {
    let scenario = match args.world {
        Some(path) => match load_scenario(Some(path), args.revision) {
            Ok(scenario) => scenario,
            Err(message) => return fail(&message),
        },
        None => Scenario::default(),
    };
    let state = match args
        .state
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
    let rate_limit = match args.rate_limit.map(RateLimit::parse).transpose() {
        Ok(limit) => limit,
        Err(message) => return fail(&message),
    };
    let [reinit, start, stop] = args.seconds.map(Duration::from_secs_f64);
    let config = Config {
        addr: args.addr,
        timings: Timings {
            reinit,
            start,
            stop,
        },
        revision: args.revision,
        access_keys,
        rate_limit,
        log_format: match args.log_format {
            LogFormatArg::Text => LogFormat::Text,
            LogFormatArg::Json => LogFormat::Json,
        },
        manual_clock: args.manual_clock,
        state,
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
