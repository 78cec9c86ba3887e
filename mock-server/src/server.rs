//! The HTTP server: accepting connections, applying faults, authenticating, dispatching,
//! journaling, and shutting down cleanly.

use std::borrow::Cow;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http::{Method, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::Error;
use crate::auth::{AuthFailure, AuthState, Principal, decode_basic};
use crate::clock::Clock;
use crate::config::{MockConfig, Mode};
use crate::faults::{Fault, FaultState};
use crate::fixtures::FixtureSet;
use crate::fixtures::record::Recorder;
use crate::handlers::{self, Ctx};
use crate::http_util::{ApiKind, Req, Resp, parse_query};
use crate::journal::{Journal, JournalEntry};
use crate::world::{World, WorldSeed};

/// State shared by all connections.
pub(crate) struct Shared {
    pub(crate) config: MockConfig,
    pub(crate) world: Mutex<World>,
    /// The world file's text, parsed again on reset.
    pub(crate) world_text: Cow<'static, str>,
    pub(crate) seed: u64,
    pub(crate) auth: Mutex<AuthState>,
    pub(crate) faults: Mutex<FaultState>,
    pub(crate) journal: Mutex<Journal>,
    pub(crate) clock: Clock,
    pub(crate) fixtures: Mutex<FixtureSet>,
    pub(crate) recorder: Option<Recorder>,
    pub(crate) connections_accepted: AtomicU64,
    pub(crate) requests: AtomicU64,
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl Shared {
    pub(crate) fn build(config: MockConfig, recorder: Option<Recorder>) -> Result<Self, Error> {
        let seed = config.seed.unwrap_or_else(|| fastrand::u64(..));
        // The text, not the parsed seed, is kept for resets: it is several times smaller.
        let world_text: Cow<'static, str> = match &config.world_file {
            Some(path) => {
                Cow::Owned(
                    std::fs::read_to_string(path).map_err(|error| Error::Fixture {
                        file: path.display().to_string(),
                        reason: error.to_string(),
                    })?,
                )
            }
            None => Cow::Borrowed(crate::world::seed::DEFAULT_WORLD),
        };
        let world_name = config.world_file.as_ref().map_or_else(
            || "the built-in default world".to_owned(),
            |path| path.display().to_string(),
        );
        let clock = Clock::new(config.clock_speed);
        let world = world_from(&world_text, &config, seed, clock.now_ms()).map_err(|reason| {
            Error::Fixture {
                file: world_name,
                reason,
            }
        })?;
        let fixtures = match &config.fixtures_dir {
            Some(dir) => FixtureSet::load_dir(dir).map_err(|reason| Error::Fixture {
                file: dir.display().to_string(),
                reason,
            })?,
            None => FixtureSet::default(),
        };
        if config.mode == Mode::Replay && fixtures.is_empty() && recorder.is_none() {
            return Err(Error::Fixture {
                file: config
                    .fixtures_dir
                    .as_ref()
                    .map_or_else(|| "(none)".to_owned(), |dir| dir.display().to_string()),
                reason: "replay mode needs recorded interactions (--fixtures DIR)".to_owned(),
            });
        }
        Ok(Self {
            faults: Mutex::new(FaultState::new(config.faults.clone(), seed)),
            journal: Mutex::new(Journal::new(config.journal_capacity)),
            world: Mutex::new(world),
            world_text,
            seed,
            auth: Mutex::new(AuthState::new()),
            clock,
            fixtures: Mutex::new(fixtures),
            recorder,
            connections_accepted: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            config,
        })
    }

    /// Puts the world back as it was at start.
    pub(crate) fn reset(&self) -> Result<(), String> {
        let world = world_from(
            &self.world_text,
            &self.config,
            self.seed,
            self.clock.now_ms(),
        )?;
        *lock(&self.world) = world;
        lock(&self.journal).clear();
        lock(&self.faults).replace(self.config.faults.clone());
        lock(&self.fixtures).reset_uses();
        Ok(())
    }
}

/// Builds the world from the world file's text: at start, and again on every reset.
fn world_from(text: &str, config: &MockConfig, seed: u64, now_ms: i64) -> Result<World, String> {
    let job_ms = i64::try_from(config.job_duration.as_millis()).unwrap_or(i64::MAX);
    WorldSeed::parse(text)?.build(seed, job_ms, now_ms)
}

/// Why a connection is dropped on purpose.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DropConnection {}

type ResponseBody =
    http_body_util::combinators::UnsyncBoxBody<Bytes, Box<dyn std::error::Error + Send + Sync>>;

fn full(bytes: Bytes) -> ResponseBody {
    Full::new(bytes)
        .map_err(|never| match never {})
        .boxed_unsync()
}

/// A body that sends half of `bytes` and then fails, so the connection ends mid-answer
/// although `Content-Length` announced the whole.
struct TruncatedBody {
    half: Option<Bytes>,
}

impl http_body::Body for TruncatedBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        std::task::Poll::Ready(Some(match self.half.take() {
            Some(half) => Ok(http_body::Frame::data(half)),
            None => Err(Box::new(DropConnection)),
        }))
    }
}

fn truncated(bytes: Bytes) -> ResponseBody {
    TruncatedBody {
        half: Some(bytes.slice(..bytes.len() / 2)),
    }
    .boxed_unsync()
}

fn into_response(
    resp: Resp,
    body: ResponseBody,
    content_length: Option<usize>,
) -> hyper::Response<ResponseBody> {
    let mut builder = hyper::Response::builder().status(resp.status);
    if let Some(content_type) = resp.content_type {
        builder = builder.header(http::header::CONTENT_TYPE, content_type);
    }
    for (name, value) in &resp.headers {
        builder = builder.header(*name, value.as_str());
    }
    if let Some(length) = content_length {
        builder = builder.header(http::header::CONTENT_LENGTH, length);
    }
    builder.body(body).unwrap_or_else(|_| {
        let mut fallback = hyper::Response::new(full(Bytes::new()));
        *fallback.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        fallback
    })
}

/// Handles one request.
async fn serve(
    shared: Arc<Shared>,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<ResponseBody>, DropConnection> {
    shared.requests.fetch_add(1, Ordering::Relaxed);
    let (parts, body) = request.into_parts();
    let raw_path = parts.uri.path().to_owned();
    let raw_query = parts.uri.query().unwrap_or_default().to_owned();
    let body = match Limited::new(body, shared.config.max_body_bytes)
        .collect()
        .await
    {
        Ok(collected) => collected.to_bytes(),
        Err(error) => {
            let resp = if error.is::<http_body_util::LengthLimitError>() {
                Resp::error_id(StatusCode::PAYLOAD_TOO_LARGE)
            } else {
                Resp::error_id(StatusCode::BAD_REQUEST)
            };
            let body = resp.body.clone();
            return Ok(into_response(
                resp.with_header("connection", "close".to_owned()),
                full(body),
                None,
            ));
        }
    };
    let Some((api, prefix, segments)) = Req::route(&raw_path) else {
        let req_like = Req {
            method: parts.method.clone(),
            api: ApiKind::Public,
            prefix: "",
            segments: Vec::new(),
            raw_path: raw_path.clone(),
            raw_query: raw_query.clone(),
            query: Vec::new(),
            headers: parts.headers.clone(),
            body: body.clone(),
        };
        let resp = handlers::unknown_route(&req_like);
        journal(&shared, &req_like, resp.status.as_u16(), false);
        let body = resp.body.clone();
        return Ok(into_response(resp, full(body), None));
    };
    let req = Req {
        method: parts.method,
        api,
        prefix,
        segments,
        query: parse_query(&raw_query),
        raw_path,
        raw_query,
        headers: parts.headers,
        body,
    };
    if api == ApiKind::Control {
        let resp = handlers::control::handle(&shared, &req);
        let body = resp.body.clone();
        return Ok(into_response(resp, full(body), None));
    }
    if let Some(recorder) = &shared.recorder {
        let resp = recorder.forward(&req).await;
        journal(
            &shared,
            &req,
            resp.status.as_u16(),
            req.headers.contains_key(http::header::AUTHORIZATION),
        );
        let body = resp.body.clone();
        return Ok(into_response(resp, full(body), None));
    }

    let token_route = handlers::is_token_route(api, &req.segments);
    let (fault, latency) = lock(&shared.faults).decide(token_route);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let authenticated = req.headers.contains_key(http::header::AUTHORIZATION);
    match &fault {
        Fault::ResetBeforeRead => {
            journal(&shared, &req, 0, authenticated);
            return Err(DropConnection);
        }
        Fault::Status {
            status,
            retry_after_secs,
        } => {
            let resp = injected_status(*status, *retry_after_secs);
            journal(&shared, &req, resp.status.as_u16(), authenticated);
            let body = resp.body.clone();
            return Ok(into_response(resp, full(body), None));
        }
        _ => {}
    }

    let resp = answer(&shared, &req, token_route);
    match fault {
        Fault::ResetAfterRead => {
            journal(&shared, &req, 0, authenticated);
            Err(DropConnection)
        }
        Fault::Truncated => {
            journal(&shared, &req, resp.status.as_u16(), authenticated);
            let length = resp.body.len();
            let body = resp.body.clone();
            Ok(into_response(resp, truncated(body), Some(length)))
        }
        Fault::Malformed => {
            journal(&shared, &req, 200, authenticated);
            let mut broken = resp.body.slice(..resp.body.len() / 2).to_vec();
            broken.extend_from_slice(b"\x00{]");
            let resp = Resp {
                status: StatusCode::OK,
                content_type: Some("application/json"),
                body: Bytes::from(broken),
                headers: Vec::new(),
            };
            let body = resp.body.clone();
            Ok(into_response(resp, full(body), None))
        }
        _ => {
            journal(&shared, &req, resp.status.as_u16(), authenticated);
            let body = resp.body.clone();
            Ok(into_response(resp, full(body), None))
        }
    }
}

/// The error bodies of injected statuses, as the real API sends them.
fn injected_status(status: u16, retry_after_secs: Option<u64>) -> Resp {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let resp = match status {
        429 => Resp::json(code, &json!({"message": "You are being rate limited."})),
        500 => Resp::problem(
            code,
            "unexpected-problem",
            None,
            "An unexpected problem has occurred.",
            json!({"message": "injected failure"}),
        ),
        _ => Resp::problem(
            code,
            "service-unavailable",
            None,
            "The server is currently unable to handle the request.",
            Value::Null,
        ),
    };
    match retry_after_secs {
        Some(seconds) => resp.with_header("retry-after", seconds.to_string()),
        None => resp,
    }
}

/// Answers an API request: recorded interactions first, then the emulation.
fn answer(shared: &Shared, req: &Req, token_route: bool) -> Resp {
    if let Some(recorded) = lock(&shared.fixtures).answer(req) {
        return recorded;
    }
    if shared.config.mode == Mode::Replay {
        let detail = if shared.config.strict {
            format!(
                "No recorded interaction matches {} {}; closest: {}",
                req.method,
                req.raw_path,
                lock(&shared.fixtures).closest(req)
            )
        } else {
            format!(
                "No recorded interaction matches {} {}",
                req.method, req.raw_path
            )
        };
        return Resp::problem(
            StatusCode::NOT_FOUND,
            "mock-no-matching-interaction",
            Some("error:mock/no-matching-interaction"),
            &detail,
            json!({"message": detail}),
        );
    }
    if token_route {
        return token(shared, req);
    }
    if req.api == ApiKind::Public && req.segments.len() == 1 && req.segments[0] == "health" {
        return if req.method == Method::GET {
            Resp::text(StatusCode::OK, "Successful operation")
        } else {
            Resp::error_id(StatusCode::METHOD_NOT_ALLOWED)
        };
    }
    let principal = match authenticate(shared, req) {
        Ok(principal) => principal,
        Err(resp) => return resp,
    };
    let ctx = Ctx {
        shared,
        req,
        principal,
        now_ms: shared.clock.now_ms(),
    };
    let outcome = match req.api {
        ApiKind::Config => handlers::config_api(&ctx),
        _ => handlers::public(&ctx),
    };
    outcome.unwrap_or_else(|resp| resp)
}

fn authenticate(shared: &Shared, req: &Req) -> Result<Principal, Resp> {
    let Some(header) = req
        .headers
        .get(http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
    else {
        return if shared.config.allow_anonymous {
            Ok(Principal::unrestricted())
        } else {
            Err(Resp::unauthorized())
        };
    };
    let (scheme, credentials) = header.split_once(' ').unwrap_or((header, ""));
    if scheme.eq_ignore_ascii_case("bearer") {
        return lock(&shared.auth)
            .check(credentials.trim())
            .map_err(|failure| match failure {
                AuthFailure::Unknown | AuthFailure::Expired => Resp::unauthorized(),
            });
    }
    if scheme.eq_ignore_ascii_case("basic")
        && let (Some((user, password)), Some((expected_user, expected_password))) =
            (decode_basic(credentials), shared.config.basic_auth.as_ref())
        && user == *expected_user
        && password == *expected_password
    {
        return Ok(Principal::unrestricted());
    }
    Err(Resp::unauthorized())
}

/// `POST /applications/token`, with a JSON or form body.
fn token(shared: &Shared, req: &Req) -> Resp {
    if req.method != Method::POST {
        return Resp::error_id(StatusCode::METHOD_NOT_ALLOWED);
    }
    let fields: Vec<(String, String)> = if req.content_type() == "application/x-www-form-urlencoded"
    {
        match std::str::from_utf8(&req.body) {
            Ok(text) => parse_query(text),
            Err(_) => return Resp::error_id(StatusCode::BAD_REQUEST),
        }
    } else {
        match req.json() {
            Ok(Value::Object(map)) => map
                .into_iter()
                .filter_map(|(key, value)| value.as_str().map(|text| (key, text.to_owned())))
                .collect(),
            Ok(_) => return Resp::error_id(StatusCode::UNPROCESSABLE_ENTITY),
            Err(resp) => return resp,
        }
    };
    let field = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    };
    let (Some(client_id), Some(client_secret)) = (field("client_id"), field("client_secret"))
    else {
        return Resp::error_id(StatusCode::BAD_REQUEST);
    };
    let Some(client) = shared
        .config
        .clients
        .iter()
        .find(|client| client.client_id == client_id && client.client_secret == client_secret)
    else {
        return Resp::error_id(StatusCode::UNAUTHORIZED);
    };
    let salt = lock(&shared.world).random_u64();
    let token = lock(&shared.auth).issue(client, shared.config.token_ttl, salt);
    if req.api == ApiKind::Config {
        return Resp::ok(&json!({"access_token": token}));
    }
    let claimed = shared
        .config
        .token_ttl_claimed
        .unwrap_or(shared.config.token_ttl);
    Resp::ok(
        &json!({"access_token": token, "token_type": "Bearer", "expires_in": claimed.as_secs()}),
    )
}

fn journal(shared: &Shared, req: &Req, status: u16, authenticated: bool) {
    let body = serde_json::from_slice::<Value>(&req.body)
        .map(|value| airbyte_models::redact_json(&value))
        .unwrap_or_else(|_| {
            if req.body.is_empty() {
                Value::Null
            } else {
                // Form bodies (token requests) are never kept: they hold credentials.
                Value::String(format!("<{} bytes, not JSON>", req.body.len()))
            }
        });
    lock(&shared.journal).record(JournalEntry {
        seq: 0,
        method: req.method.as_str().to_owned(),
        path: req.raw_path.clone(),
        query: req.raw_query.clone(),
        body,
        status,
        authenticated,
    });
}

/// A running mock server.
pub struct MockServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a server in emulate or replay mode.
    ///
    /// # Errors
    ///
    /// [`Error::Bind`] when the address cannot be bound; [`Error::Fixture`] naming the file and
    /// the reason when a world file or fixture is invalid.
    pub async fn start(config: MockConfig) -> Result<Self, Error> {
        Self::start_with(config, None).await
    }

    /// Starts a recording proxy: every request is forwarded to `upstream` (a base URL such as
    /// `https://api.airbyte.com`) and the exchanges are written, scrubbed, to
    /// `out_dir/recording.json`.
    ///
    /// # Errors
    ///
    /// As [`MockServer::start`], and [`Error::Fixture`] when the output directory is unusable.
    pub async fn record(
        config: MockConfig,
        upstream: &str,
        out_dir: std::path::PathBuf,
    ) -> Result<Self, Error> {
        let recorder =
            Recorder::new(upstream, out_dir.clone()).map_err(|reason| Error::Fixture {
                file: out_dir.display().to_string(),
                reason,
            })?;
        Self::start_with(config, Some(recorder)).await
    }

    async fn start_with(config: MockConfig, recorder: Option<Recorder>) -> Result<Self, Error> {
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| Error::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| Error::Bind {
            addr: config.addr,
            source,
        })?;
        let shared = Arc::new(Shared::build(config, recorder)?);
        let (shutdown, mut stopped) = watch::channel(false);
        let accept_shared = shared.clone();
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            loop {
                tokio::select! {
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let _ = stream.set_nodelay(true);
                        accept_shared.connections_accepted.fetch_add(1, Ordering::Relaxed);
                        let shared = accept_shared.clone();
                        connections.spawn(async move {
                            let service = service_fn(move |request| serve(shared.clone(), request));
                            let connection = hyper::server::conn::http1::Builder::new()
                                .timer(TokioTimer::new())
                                .header_read_timeout(Duration::from_secs(30))
                                .keep_alive(true)
                                .serve_connection(TokioIo::new(stream), service);
                            let _ = connection.await;
                        });
                        // Reap finished connections so the set stays small.
                        while connections.try_join_next().is_some() {}
                    }
                    _ = stopped.changed() => break,
                }
            }
            connections.shutdown().await;
        });
        Ok(Self {
            addr,
            shared,
            shutdown,
            task: Some(task),
        })
    }

    /// The address the server listens on.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Writes the announcement `airbyte-mock-server listening on http://HOST:PORT` as the first
    /// line of stdout, flushed, so that a parent process can wait for it.
    pub fn announce(&self) {
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(
            stdout,
            "airbyte-mock-server listening on {}",
            self.base_url()
        );
        let _ = stdout.flush();
    }

    /// `http://HOST:PORT`.
    #[must_use]
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The Public API root in the self-managed layout: `http://HOST:PORT/api/public/v1` (the
    /// Cloud layout `http://HOST:PORT/v1` is served too).
    #[must_use]
    pub fn public_api_root(&self) -> String {
        format!("{}/api/public/v1", self.base_url())
    }

    /// The Config API root: `http://HOST:PORT/api/v1`.
    #[must_use]
    pub fn config_api_root(&self) -> String {
        format!("{}/api/v1", self.base_url())
    }

    /// The journal of received API requests (mock-control requests are not journaled).
    #[must_use]
    pub fn journal(&self) -> Vec<JournalEntry> {
        lock(&self.shared.journal).entries()
    }

    /// How many TCP connections the server has accepted.
    #[must_use]
    pub fn connections_accepted(&self) -> u64 {
        self.shared.connections_accepted.load(Ordering::Relaxed)
    }

    /// Replaces the fault settings.
    pub fn set_faults(&self, faults: crate::faults::FaultConfig) {
        lock(&self.shared.faults).replace(faults);
    }

    /// Sets how fast the job clock runs.
    pub fn set_clock_speed(&self, speed: f64) {
        self.shared.clock.set_speed(speed);
    }

    /// Sets how the next jobs of a connection end, and optionally how long they run.
    ///
    /// # Errors
    ///
    /// When the connection does not exist.
    pub fn script_connection(
        &self,
        connection_id: &str,
        outcome: crate::jobs::Outcome,
        duration: Option<Duration>,
    ) -> Result<(), Error> {
        let mut world = lock(&self.shared.world);
        let connection =
            world
                .connections
                .get_mut(connection_id)
                .ok_or_else(|| Error::NotFound {
                    what: format!("connection {connection_id}"),
                })?;
        connection.outcome = outcome;
        connection.job_duration_ms =
            duration.map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        Ok(())
    }

    /// Sets how connection checks of a source or destination answer.
    ///
    /// # Errors
    ///
    /// When the source or destination does not exist.
    pub fn script_check(
        &self,
        actor_id: &str,
        script: crate::world::CheckScript,
    ) -> Result<(), Error> {
        let mut world = lock(&self.shared.world);
        let actor = world
            .actors
            .get_mut(actor_id)
            .ok_or_else(|| Error::NotFound {
                what: format!("source or destination {actor_id}"),
            })?;
        actor.check = Some(script);
        Ok(())
    }

    /// Stops accepting connections and closes the open ones.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
