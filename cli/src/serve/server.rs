//! The HTTP glue: tokio and axum around the store and the actions. Binds,
//! prints the bound address, answers until SIGINT or SIGTERM, then lets the
//! requests in flight finish.

use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::routing::{get, patch, post, put};

use super::actions::{self, error_response};
use super::errors::ApiError;
use super::rate::RateLimit;
use super::signature::{AccessKeys, Nonces};
use super::store::{Store, Timings};
use reinit_disk::revision::Revision;
use reinit_disk::scenario::Scenario;
use reinit_disk::wire::{Format, HttpRequest, Ids, Params, new_request_id};

/// How the log lines are written (one a request, on standard error).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    /// `key=value` text.
    Text,
    /// One JSON object a line.
    Json,
}

/// The clock the store's changes run on.
#[derive(Debug)]
pub enum Clock {
    /// Real time since the server started.
    Real(Instant),
    /// Time moved by hand (`POST /_reinit-disk/clock?advance=SECONDS`),
    /// in milliseconds: for tests, which then never sleep.
    Manual(AtomicU64),
}

impl Clock {
    /// Now, since the server started.
    pub fn now(&self) -> Duration {
        match self {
            Self::Real(start) => start.elapsed(),
            Self::Manual(millis) => Duration::from_millis(millis.load(Ordering::SeqCst)),
        }
    }
}

/// Everything `serve` is told.
pub struct Config {
    /// Where to listen (`127.0.0.1:0` picks a free port).
    pub addr: SocketAddr,
    /// How long the changes take.
    pub timings: Timings,
    /// The revision that decides `ReInitDisk`, instead of the world's
    /// policy's.
    pub revision: Option<&'static Revision>,
    /// `--access-key ID:SECRET`: signatures are checked when any is given.
    pub access_keys: AccessKeys,
    /// `--rate-limit N/SECONDS`.
    pub rate_limit: Option<RateLimit>,
    /// `--log-format`.
    pub log_format: LogFormat,
    /// `--manual-clock`: time moves only when told to.
    pub manual_clock: bool,
    /// `--state FILE`: the world saved after every change and on shutdown
    /// (persist.rs), and what was read from the file at start.
    pub state: Option<super::persist::StateFile>,
}

/// What the handlers share.
pub(super) struct App {
    pub(super) store: Store,
    pub(super) clock: Clock,
    pub(super) revision: Option<&'static Revision>,
    access_keys: AccessKeys,
    nonces: Nonces,
    rate_limit: Option<RateLimit>,
    /// `--state`: the writer's side (persist.rs).
    pub(super) persist: Option<super::persist::Persist>,
}

/// Serves `scenario`'s world as `config` says, printing the bound address
/// on standard output first; returns when a shutdown signal has come and
/// the requests in flight are answered. The error is the line to print.
pub fn run(config: Config, scenario: Scenario) -> Result<(), String> {
    let addr = config.addr;
    let log_format = config.log_format;
    let app = app(config, scenario)?;
    let service = router(Arc::clone(&app));
    init_logging(log_format);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let bound = listener
            .local_addr()
            .map_err(|e| format!("cannot read the bound address: {e}"))?;
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "{bound}")
            .and_then(|()| stdout.flush())
            .map_err(|e| format!("cannot write the bound address: {e}"))?;
        drop(stdout);
        axum::serve(listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(|e| format!("the server stopped: {e}"))
    });
    // --state: the last save, once nothing more is answered.
    let saved = super::persist::shut_down(&app);
    served.and(saved)
}

/// What [`run`] serves, as an axum [`Router`] to put on a listener of
/// one's own (an emulator's server, a benchmark): every action and admin
/// endpoint over `scenario`'s world, as `config` says. `config.addr` and
/// `config.log_format` are not read (the caller binds, and installs a
/// `tracing` subscriber if it wants the log lines); the real clock starts
/// now. The error is the line to print.
pub fn service(config: Config, scenario: Scenario) -> Result<Router, String> {
    app(config, scenario).map(router)
}

fn app(config: Config, scenario: Scenario) -> Result<Arc<App>, String> {
    let store = Store::new(scenario, config.timings).map_err(|e| format!("invalid world: {e}"))?;
    let persist = super::persist::open(config.state, &store)?;
    let app = Arc::new(App {
        store,
        clock: if config.manual_clock {
            Clock::Manual(AtomicU64::new(0))
        } else {
            Clock::Real(Instant::now())
        },
        revision: config.revision,
        access_keys: config.access_keys,
        nonces: Nonces::default(),
        rate_limit: config.rate_limit,
        persist,
    });
    super::persist::start(&app)?;
    Ok(app)
}

fn init_logging(format: LogFormat) {
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(false);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {},
            _ = term.recv() => {},
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/_reinit-disk/health", get(super::admin::health))
        .route(
            "/_reinit-disk/{kind}/{id}",
            patch(super::admin::patch_record),
        )
        .route("/_reinit-disk/state", get(state))
        .route("/_reinit-disk/reset", post(reset))
        .route("/_reinit-disk/world", put(replace_world))
        .route("/_reinit-disk/clock", post(clock))
        .fallback(api)
        .with_state(app)
}

pub(super) fn json_response(status: StatusCode, body: &serde_json::Value) -> HttpResponse {
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json;charset=utf-8"),
    );
    response
}

async fn state(State(app): State<Arc<App>>) -> HttpResponse {
    let scenario = app.store.to_scenario(app.clock.now());
    match serde_json::to_value(&scenario) {
        Ok(value) => json_response(StatusCode::OK, &value),
        Err(e) => json_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            &serde_json::json!({"Error": e.to_string()}),
        ),
    }
}

async fn reset(State(app): State<Arc<App>>) -> HttpResponse {
    match app.store.reset(app.clock.now()) {
        Ok(()) => match super::persist::admin_durable(&app).await {
            Some(failed) => failed,
            None => json_response(StatusCode::OK, &serde_json::json!({"Status": "reset"})),
        },
        Err(e) => bad_document(&e),
    }
}

fn bad_document(e: &reinit_disk::scenario::ScenarioError) -> HttpResponse {
    json_response(
        StatusCode::BAD_REQUEST,
        &serde_json::json!({"Error": e.to_string(), "Path": e.path}),
    )
}

async fn replace_world(State(app): State<Arc<App>>, body: Bytes) -> HttpResponse {
    let text = match std::str::from_utf8(&body) {
        Ok(text) => text,
        Err(_) => {
            return json_response(
                StatusCode::BAD_REQUEST,
                &serde_json::json!({"Error": ".: the document is not valid UTF-8", "Path": "."}),
            );
        }
    };
    let scenario = match Scenario::from_json(text) {
        Ok(scenario) => scenario,
        Err(e) => return bad_document(&e),
    };
    match app.store.replace(scenario, app.clock.now()) {
        Ok(()) => match super::persist::admin_durable(&app).await {
            Some(failed) => failed,
            None => json_response(StatusCode::OK, &serde_json::json!({"Status": "replaced"})),
        },
        Err(e) => bad_document(&e),
    }
}

async fn clock(State(app): State<Arc<App>>, uri: Uri) -> HttpResponse {
    let advance = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("advance="))
        .and_then(|seconds| seconds.parse::<f64>().ok());
    let Clock::Manual(millis) = &app.clock else {
        return json_response(
            StatusCode::CONFLICT,
            &serde_json::json!({"Error": "the clock is real time: start the server with --manual-clock to move it"}),
        );
    };
    match advance {
        Some(seconds) if seconds.is_finite() && (0.0..=1e9).contains(&seconds) => {
            // Milliseconds, rounded: at most 1e12, far inside a u64.
            let add = (seconds * 1000.0).round() as u64;
            let now = millis.fetch_add(add, Ordering::SeqCst).saturating_add(add);
            json_response(StatusCode::OK, &serde_json::json!({"NowMillis": now}))
        }
        _ => json_response(
            StatusCode::BAD_REQUEST,
            &serde_json::json!({"Error": "advance: give the seconds to move the clock by, from 0 to 1e9 (?advance=2.5)"}),
        ),
    }
}

async fn api(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> HttpResponse {
    let started = Instant::now();
    let now = app.clock.now();
    let request_id = new_request_id();
    let ids = Ids::new(&request_id);
    let header_pairs: Vec<(&str, &str)> = headers
        .iter()
        .filter_map(|(n, v)| v.to_str().ok().map(|v| (n.as_str(), v)))
        .collect();
    let http = HttpRequest {
        query: uri.query().unwrap_or_default(),
        body: &body,
        headers: &header_pairs,
    };
    let refused = app
        .rate_limit
        .as_ref()
        .and_then(|limit| (!limit.admit(now)).then_some(ApiError::Throttling))
        .or_else(|| {
            if app.access_keys.is_empty() {
                return None;
            }
            super::signature::verify(
                &app.access_keys,
                &app.nonces,
                method.as_str(),
                uri.path(),
                &http,
                now_utc(),
            )
            .err()
            .map(ApiError::Signature)
        });
    let (response, handled) = match refused {
        Some(error) => {
            let params = Params::decode(&http);
            let format: Format = params.format();
            let action = params
                .get("Action")
                .or_else(|| http.header("x-acs-action"))
                .unwrap_or_default()
                .to_owned();
            let handled = actions::Handled {
                action,
                ids: Vec::new(),
                code: Some(error.code().to_owned()),
            };
            (error_response(format, &ids, &error), handled)
        }
        None => actions::handle(&app.store, app.revision, &http, now, &ids),
    };
    // --state: a change is answered once it is durable.
    let (response, handled) = super::persist::acknowledged(&app, response, handled, &ids).await;
    tracing::info!(
        action = %handled.action,
        ids = %handled.ids.join(","),
        code = %handled.code.as_deref().unwrap_or("-"),
        status = response.status,
        latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        request_id = %request_id,
        "request"
    );
    let status = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut out = (status, response.body).into_response();
    out.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(response.format.content_type()),
    );
    out
}

/// The wall-clock time, for the signatures' timestamps (seconds since the
/// epoch).
fn now_utc() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
