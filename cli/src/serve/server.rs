//! The HTTP glue: tokio, hyper and axum around the store and the actions.
//! Binds, prints the bound address, answers until SIGINT or SIGTERM, then
//! answers what is in flight, closes the rest and returns within
//! `--shutdown-seconds` (a second signal returns at once). Each connection
//! is bounded in time (headers, idle, body) and in number; every admin
//! endpoint but `health` goes through one guard (a layer on the nested
//! admin router); the actions are authenticated, then throttled per caller.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response as HttpResponse};
use axum::routing::{get, patch, post, put};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::actions::{self, error_response};
use super::app::{App, Clock, Limits, admin_error, body_status, kib, read_body};
use super::errors::ApiError;
use super::log::{Clean, LogSink};
use super::rate::RateLimit;
use super::records::json_response;
use super::signature::{AccessKeys, AdminToken, Nonces};
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
    /// `--admin-token`: admits a request to the admin endpoints that sends
    /// `Authorization: Bearer TOKEN`.
    pub admin_token: Option<AdminToken>,
    /// `--rate-limit N/SECONDS`.
    pub rate_limit: Option<RateLimit>,
    /// `--log-format`.
    pub log_format: LogFormat,
    /// `--manual-clock`: time moves only when told to.
    pub manual_clock: bool,
    /// The bounds on connections, bodies, nonces and the shutdown.
    pub limits: Limits,
    /// `--state FILE`: the world saved after every change and on shutdown
    /// (persist.rs), and what was read from the file at start.
    pub state: Option<super::persist::StateFile>,
    /// `--system-disk-detach`: how `DetachDisk` treats a system disk.
    pub system_disk_detach: reinit_disk::SystemDiskDetach,
}

/// The admin endpoints' prefix.
const ADMIN: &str = "/_reinit-disk";

/// Serves `scenario`'s world as `config` says, printing the bound address
/// on standard output first; returns when a shutdown signal has come and
/// the requests in flight are answered, or `--shutdown-seconds` have
/// passed, or a second signal has come. The error is the line to print.
pub fn run(config: Config, scenario: Scenario) -> Result<(), String> {
    let addr = config.addr;
    let log_format = config.log_format;
    let limits = config.limits;
    let app = app(config, scenario)?;
    let service = router(Arc::clone(&app));
    let log = LogSink::stderr();
    init_logging(log_format, log.clone());
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
        let mut signals = Signals::new()?;
        {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            writeln!(stdout, "{bound}")
                .and_then(|()| stdout.flush())
                .map_err(|e| format!("cannot write the bound address: {e}"))?;
        }
        serve_connections(listener, service, limits, &mut signals).await;
        Ok(())
    });
    // What is still running (a connection past the deadline) is dropped,
    // not waited for.
    runtime.shutdown_background();
    // --state: the last save, once nothing more is answered.
    let served = served.and(super::persist::shut_down(&*app));
    let dropped = log.dropped();
    if dropped > 0 {
        log.finish(
            &format!("reinit-disk: {dropped} log lines dropped (standard error was slow, full or closed)\n"),
            Duration::from_millis(200),
        );
    } else {
        log.finish("", Duration::from_millis(200));
    }
    served
}

/// What [`run`] serves, as an axum [`Router`] to put on a listener of
/// one's own (an emulator's server, a benchmark): every action and admin
/// endpoint over `scenario`'s world, as `config` says. `config.addr`,
/// `config.log_format` and the connection limits of `config.limits` are not
/// read (the caller binds and bounds its connections, and installs a
/// `tracing` subscriber if it wants the log lines); the real clock starts
/// now. The error is the line to print.
pub fn service(config: Config, scenario: Scenario) -> Result<Router, String> {
    app(config, scenario).map(router)
}

/// What the handlers share, built from `config`, and the `--state` writer
/// started.
fn app(config: Config, scenario: Scenario) -> Result<Arc<App>, String> {
    let store = Store::new(scenario, config.timings)
        .map_err(|e| format!("invalid world: {e}"))?
        .with_system_disk_detach(config.system_disk_detach);
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
        admin_token: config.admin_token,
        nonces: Nonces::with_capacity(config.limits.nonce_store_bytes),
        rate_limit: config.rate_limit,
        limits: config.limits,
        body_budget: Arc::new(tokio::sync::Semaphore::new(
            kib(config.limits.max_body_memory).min(tokio::sync::Semaphore::MAX_PERMITS),
        )),
        persist,
        state_documents: Arc::new(tokio::sync::Semaphore::new(super::app::STATE_DOCUMENTS)),
    });
    super::persist::start(&app)?;
    Ok(app)
}

fn init_logging(format: LogFormat, sink: LogSink) {
    let builder = tracing_subscriber::fmt()
        .with_writer(sink)
        .with_target(false)
        .with_ansi(false);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

/// SIGINT and SIGTERM, each as many times as they come.
struct Signals {
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> Result<Self, String> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let listen = |kind| signal(kind).map_err(|e| format!("cannot listen for signals: {e}"));
            Ok(Self {
                interrupt: listen(SignalKind::interrupt())?,
                terminate: listen(SignalKind::terminate())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Self {})
        }
    }

    /// The next SIGINT or SIGTERM.
    async fn next(&mut self) {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.interrupt.recv() => {},
                _ = self.terminate.recv() => {},
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// Accepts connections until a signal; then stops accepting, tells every
/// connection to finish its request in flight and close, and waits for
/// them until `limits.shutdown` has passed or a second signal comes.
async fn serve_connections(
    listener: tokio::net::TcpListener,
    router: Router,
    limits: Limits,
    signals: &mut Signals,
) {
    let permits = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let (stop, stopping) = tokio::sync::watch::channel(false);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let http = Arc::new(http);
    loop {
        tokio::select! {
            () = signals.next() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    // Past the limit the connection is closed at once: a
                    // client sees it refused rather than waiting.
                    let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
                        drop(stream);
                        continue;
                    };
                    tokio::spawn(connection(
                        stream,
                        router.clone(),
                        Arc::clone(&http),
                        stopping.clone(),
                        limits.idle_timeout,
                        permit,
                    ));
                }
                // Out of descriptors, or a connection reset before it was
                // accepted: wait a moment rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
        }
    }
    drop(listener);
    let _ = stop.send(true);
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    tokio::select! {
        _ = tokio::time::timeout(limits.shutdown, permits.acquire_many(all)) => {},
        () = signals.next() => {},
    }
}

/// Serves one connection until it closes, or until the shutdown: then
/// the request in flight is answered and the connection closed (an idle
/// or half-sent one at once).
async fn connection(
    stream: tokio::net::TcpStream,
    router: Router,
    http: Arc<hyper::server::conn::http1::Builder>,
    mut stopping: tokio::sync::watch::Receiver<bool>,
    idle_timeout: Duration,
    _permit: tokio::sync::OwnedSemaphorePermit,
) {
    let _ = stream.set_nodelay(true);
    let io = hyper_util::rt::TokioIo::new(Idle::new(stream, idle_timeout, stopping.clone()));
    let service = hyper_util::service::TowerToHyperService::new(router);
    let conn = http.serve_connection(io, service);
    tokio::pin!(conn);
    tokio::select! {
        _ = conn.as_mut() => return,
        _ = stopping.wait_for(|stop| *stop) => {},
    }
    conn.as_mut().graceful_shutdown();
    let _ = conn.await;
}

/// Once the server is stopping, how long a connection may wait for its
/// client (the rest of a half-sent request, the reading of an answer)
/// between two bytes: a request that is still arriving is finished, one
/// that stalls is closed rather than waited for until the deadline.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// A connection that fails (and so closes) when no byte has moved either
/// way for its timeout while it waits to read or write; the timeout is
/// [`SHUTDOWN_GRACE`] at most once the server is stopping.
struct Idle<T> {
    inner: T,
    timeout: Duration,
    deadline: Pin<Box<tokio::time::Sleep>>,
    stopping: tokio::sync::watch::Receiver<bool>,
}

impl<T> Idle<T> {
    fn new(inner: T, timeout: Duration, stopping: tokio::sync::watch::Receiver<bool>) -> Self {
        Self {
            inner,
            timeout,
            deadline: Box::pin(tokio::time::sleep(timeout)),
            stopping,
        }
    }

    fn moved(&mut self) {
        let next = tokio::time::Instant::now() + self.timeout;
        self.deadline.as_mut().reset(next);
    }

    /// Pending, unless the deadline has passed: then an error.
    fn waiting<R>(&mut self, cx: &mut Context<'_>) -> Poll<std::io::Result<R>> {
        if self.timeout > SHUTDOWN_GRACE && *self.stopping.borrow() {
            self.timeout = SHUTDOWN_GRACE;
            let soon = tokio::time::Instant::now() + SHUTDOWN_GRACE;
            if soon < self.deadline.deadline() {
                self.deadline.as_mut().reset(soon);
            }
        }
        match self.deadline.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "no byte moved within the idle timeout",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for Idle<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    this.moved();
                }
                Poll::Ready(result)
            }
            Poll::Pending => this.waiting(cx),
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for Idle<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_write(cx, buf) {
            Poll::Ready(result) => {
                if result.as_ref().is_ok_and(|n| *n > 0) {
                    this.moved();
                }
                Poll::Ready(result)
            }
            Poll::Pending => this.waiting(cx),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_flush(cx) {
            Poll::Ready(result) => Poll::Ready(result),
            Poll::Pending => this.waiting(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

fn router(app: Arc<App>) -> Router {
    // Every route under the prefix, and any added later, goes through the
    // guard; `health` stands outside it and says nothing of the world.
    let admin = Router::new()
        .route("/state", get(state))
        .route("/reset", post(reset))
        .route("/world", put(replace_world))
        .route("/clock", post(clock))
        .route("/{kind}/{id}", patch(super::admin::patch_record))
        .fallback(admin_not_found)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&app),
            admin_guard,
        ));
    Router::new()
        .route("/_reinit-disk/health", get(super::admin::health))
        .nest(ADMIN, admin)
        .fallback(api)
        .with_state(app)
}

/// `GET /_reinit-disk/state`: the world and its changes under way, read at
/// one moment and streamed ([`super::app::json_stream`]): at most
/// [`super::app::STATE_DOCUMENTS`] at once, each never held whole.
async fn state(State(app): State<Arc<App>>) -> HttpResponse {
    let Ok(turn) = Arc::clone(&app.state_documents).acquire_owned().await else {
        // The semaphore is never closed.
        return super::app::admin_error(StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    };
    super::app::json_stream(app.store.to_scenario(app.clock.now()), turn)
}

async fn reset(State(app): State<Arc<App>>) -> HttpResponse {
    match app.store.reset(app.clock.now()) {
        Ok(()) => match super::persist::admin_durable(&*app).await {
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

async fn replace_world(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    body: Body,
) -> HttpResponse {
    let (body, _budget) = match read_body(&app, &headers, body).await {
        Ok(read) => read,
        Err(e) => return admin_error(body_status(&e), &e.message()),
    };
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
        Ok(()) => match super::persist::admin_durable(&*app).await {
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

async fn admin_not_found(uri: Uri) -> HttpResponse {
    admin_error(
        StatusCode::NOT_FOUND,
        &format!(
            "no admin endpoint {}: there are health, state, reset, world, clock and PATCH {{disks,instances,images,snapshots,key-pairs,kms-keys}}/ID",
            Clean(uri.path())
        ),
    )
}

/// Whether `host` (a `Host` header: a name or an address, and a port) is
/// the loopback: `localhost`, `127.0.0.0/8` or `[::1]`.
fn loopback_host(host: &str) -> bool {
    let name = if let Some(bracketed) = host.strip_prefix('[') {
        match bracketed.split_once(']') {
            Some((address, rest)) if rest.is_empty() || valid_port(rest) => {
                return address
                    .parse::<std::net::Ipv6Addr>()
                    .is_ok_and(|ip| ip.is_loopback());
            }
            _ => return false,
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if valid_port(&format!(":{port}")) => name,
            Some(_) => return false,
            None => host,
        }
    };
    name.eq_ignore_ascii_case("localhost")
        || name
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// `:PORT`, the port 1 to 5 digits.
fn valid_port(text: &str) -> bool {
    text.strip_prefix(':').is_some_and(|port| {
        (1..=5).contains(&port.len()) && port.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Without keys or a token, what a request to an admin endpoint must be:
/// to a loopback `Host`, from no other origin, and JSON if it has a
/// content type. The refusal says which header and what is accepted.
fn local_only(headers: &HeaderMap) -> Result<(), String> {
    let text = |name| headers.get(name).map(|v| v.to_str().unwrap_or("\u{fffd}"));
    let Some(host) = text(header::HOST) else {
        return Err("no Host: without --access-key or --admin-token the admin endpoints answer only a loopback Host (localhost, 127.x.x.x, [::1], with a port or not)".to_owned());
    };
    if !loopback_host(host) {
        return Err(format!(
            "Host {}: without --access-key or --admin-token the admin endpoints answer only a loopback Host (localhost, 127.x.x.x, [::1], with a port or not)",
            reinit_disk::echo::Echo(host)
        ));
    }
    if let Some(origin) = text(header::ORIGIN) {
        let own = format!("http://{host}");
        if !origin.eq_ignore_ascii_case(&own) {
            return Err(format!(
                "Origin {}: the admin endpoints refuse a request from another origin than the server's own ({})",
                reinit_disk::echo::Echo(origin),
                reinit_disk::echo::Echo(&own)
            ));
        }
    }
    if let Some(content_type) = text(header::CONTENT_TYPE) {
        let media = content_type.split(';').next().unwrap_or_default().trim();
        if !media.eq_ignore_ascii_case("application/json") {
            return Err(format!(
                "Content-Type {}: the admin endpoints take application/json (or no Content-Type)",
                reinit_disk::echo::Echo(content_type)
            ));
        }
    }
    Ok(())
}

/// The guard of every admin endpoint but `health`. With access keys or an
/// admin token: a valid ACS3 signature by one of the keys (HMAC-SHA1 does
/// not sign the path), or `Authorization: Bearer TOKEN`. Without: [`local_only`]. Then the admin throttle, per
/// caller.
async fn admin_guard(State(app): State<Arc<App>>, request: Request, next: Next) -> HttpResponse {
    let (parts, body) = request.into_parts();
    let guarded = !app.access_keys.is_empty() || app.admin_token.is_some();
    let (caller, body) = if !guarded {
        if let Err(why) = local_only(&parts.headers) {
            return admin_error(StatusCode::FORBIDDEN, &why);
        }
        ("local".to_owned(), body)
    } else if let Some(token) = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        if !app.admin_token.as_ref().is_some_and(|t| t.admits(token)) {
            return admin_error(
                StatusCode::UNAUTHORIZED,
                "Authorization: the bearer token is not the --admin-token (the token is not shown)",
            );
        }
        ("token".to_owned(), body)
    } else if app.access_keys.is_empty() {
        return admin_error(
            StatusCode::UNAUTHORIZED,
            "the admin endpoints need Authorization: Bearer followed by the --admin-token",
        );
    } else if !parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("ACS3-HMAC-SHA256"))
    {
        // HMAC-SHA1 signs `/` whatever the path: a signed action could be
        // sent to an admin endpoint instead. ACS3 signs the path.
        return admin_error(
            StatusCode::UNAUTHORIZED,
            "the admin endpoints need an ACS3-HMAC-SHA256 signature (it covers the path) by one of the --access-key keys, or Authorization: Bearer followed by the --admin-token",
        );
    } else {
        let bytes = match read_body(&app, &parts.headers, body).await {
            // The share is given back here: the endpoint reads the body
            // again (from memory) and takes its own.
            Ok((bytes, _budget)) => bytes,
            Err(e) => return admin_error(body_status(&e), &e.message()),
        };
        let header_pairs: Vec<(&str, &str)> = parts
            .headers
            .iter()
            .filter_map(|(n, v)| v.to_str().ok().map(|v| (n.as_str(), v)))
            .collect();
        let http = HttpRequest {
            query: parts.uri.query().unwrap_or_default(),
            body: &bytes,
            headers: &header_pairs,
        };
        let path = format!("{ADMIN}{}", parts.uri.path());
        match super::signature::verify(
            &app.access_keys,
            &app.nonces,
            parts.method.as_str(),
            &path,
            &http,
            now_utc(),
        ) {
            Ok(id) => (format!("key:{id}"), Body::from(bytes.clone())),
            Err(e) => {
                let e = ApiError::Signature(e);
                return json_response(
                    StatusCode::UNAUTHORIZED,
                    &serde_json::json!({"Error": format!(
                        "the admin endpoints need a signature by one of the --access-key keys or Authorization: Bearer followed by the --admin-token; the signature was refused: {}",
                        e.code()
                    ), "Code": e.code(), "Message": e.message()}),
                );
            }
        }
    };
    if let Some(limit) = &app.rate_limit {
        if !limit.admit(&format!("admin:{caller}"), app.clock.now()) {
            return json_response(
                StatusCode::TOO_MANY_REQUESTS,
                &serde_json::json!({"Error": format!("throttled: past --rate-limit {} for the admin endpoints", limit.describe()), "Code": "Throttling"}),
            );
        }
    }
    next.run(Request::from_parts(parts, body)).await
}

/// The methods ECS's gateway runs an action for; any other is
/// `UnsupportedHTTPMethod` (ECS's common error).
fn runs_actions(method: &Method) -> bool {
    method == Method::GET || method == Method::POST
}

async fn api(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Body,
) -> HttpResponse {
    let started = Instant::now();
    let now = app.clock.now();
    let request_id = new_request_id();
    let ids = Ids::new(&request_id);
    let ((body, _budget), mut refused) = if runs_actions(&method) {
        match read_body(&app, &headers, body).await {
            Ok(read) => (read, None),
            Err(e) => ((Bytes::new(), None), Some(e)),
        }
    } else {
        ((Bytes::new(), None), Some(ApiError::UnsupportedHttpMethod))
    };
    let header_pairs: Vec<(&str, &str)> = headers
        .iter()
        .filter_map(|(n, v)| v.to_str().ok().map(|v| (n.as_str(), v)))
        .collect();
    let http = HttpRequest {
        query: uri.query().unwrap_or_default(),
        body: &body,
        headers: &header_pairs,
    };
    if refused.is_none() {
        // Authenticated first, then throttled by who signed: a request
        // that fails its signature counts against no one.
        let caller = if app.access_keys.is_empty() {
            Ok("")
        } else {
            super::signature::verify(
                &app.access_keys,
                &app.nonces,
                method.as_str(),
                uri.path(),
                &http,
                now_utc(),
            )
            .map_err(ApiError::Signature)
        };
        refused = match caller {
            Err(e) => Some(e),
            Ok(id) => app
                .rate_limit
                .as_ref()
                .filter(|limit| !limit.admit(&format!("api:{id}"), now))
                .map(|_| ApiError::Throttling),
        };
    }
    let closing = matches!(
        refused,
        Some(ApiError::BodyTooLarge(_) | ApiError::BodyTimeout | ApiError::BodyCut)
    );
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
    let (response, handled) = super::persist::acknowledged(&*app, response, handled, &ids).await;
    tracing::info!(
        action = %Clean(&handled.action),
        ids = %Clean(&handled.ids.join(",")),
        code = %Clean(handled.code.as_deref().unwrap_or("-")),
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
    if closing {
        // The rest of the body is not read: the connection cannot carry
        // another request.
        out.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    out
}

/// The wall-clock time, for the signatures' timestamps (seconds since the
/// epoch).
fn now_utc() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        reason = "test code: a failed assumption is a failed test"
    )]
    use super::*;

    #[test]
    fn a_loopback_host_is_a_loopback_name_or_address_with_or_without_a_port() {
        for host in [
            "localhost",
            "LocalHost:8080",
            "127.0.0.1",
            "127.255.0.9:1",
            "[::1]",
            "[::1]:65535",
            "[0:0:0:0:0:0:0:1]:80",
        ] {
            assert!(loopback_host(host), "{host}");
        }
        for host in [
            "",
            "evil.example",
            "localhost.",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "128.0.0.1",
            "0.0.0.0",
            "10.0.0.1:80",
            "::1",
            "[::2]",
            "[::1]x",
            "[::1]:",
            "[::1]:123456",
            "[::1",
            "localhost:",
            "localhost:80a",
            "localhost:123456",
            "127.0.0.1:80:80",
        ] {
            assert!(!loopback_host(host), "{host}");
        }
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(n, v)| {
                (
                    header::HeaderName::from_static(n),
                    HeaderValue::from_static(v),
                )
            })
            .collect()
    }

    #[test]
    fn local_only_wants_a_loopback_host_its_own_origin_and_json() {
        assert!(local_only(&headers(&[("host", "127.0.0.1:8080")])).is_ok());
        assert!(
            local_only(&headers(&[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:8080"),
                ("content-type", "Application/JSON; charset=utf-8"),
            ]))
            .is_ok()
        );
        let refused = |pairs: &[(&'static str, &'static str)], says: &str| {
            let error = local_only(&headers(pairs)).unwrap_err();
            assert!(error.contains(says), "{error}");
        };
        refused(&[], "no Host");
        refused(&[("host", "evil.example")], "Host \"evil.example\"");
        refused(
            &[
                ("host", "127.0.0.1:8080"),
                ("origin", "http://127.0.0.1:9090"),
            ],
            "Origin \"http://127.0.0.1:9090\"",
        );
        refused(&[("host", "localhost"), ("origin", "null")], "Origin");
        refused(
            &[("host", "localhost"), ("content-type", "text/plain")],
            "Content-Type \"text/plain\"",
        );
        refused(
            &[("host", "localhost"), ("content-type", "application/jsonx")],
            "application/json",
        );
    }

    #[test]
    fn only_get_and_post_run_actions() {
        assert!(runs_actions(&Method::GET));
        assert!(runs_actions(&Method::POST));
        for method in [Method::HEAD, Method::PUT, Method::DELETE, Method::OPTIONS] {
            assert!(!runs_actions(&method), "{method}");
        }
    }
}
