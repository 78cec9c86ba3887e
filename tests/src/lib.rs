//! Shared helpers of the end-to-end tests: a mock server per test, a workspace bound to it,
//! fast wait settings, and loopback proxies (HTTP and SOCKS5).

pub mod errors;
pub mod loopback;
pub mod proxy;
pub mod socks;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

pub use errors::*;

use airbyte::mock::{MockConfig, MockServer, Outcome, default_world};
use airbyte::prelude::*;
use serde_json::{Value, json};

/// The default world's production workspace.
pub const WORKSPACE: &str = default_world::PRODUCTION_WORKSPACE_ID;
/// The default world's staging workspace.
pub const STAGING: &str = default_world::STAGING_WORKSPACE_ID;

/// The default world's organization (Acme Data).
#[must_use]
pub fn organization() -> airbyte::models::OrganizationId {
    default_world::ORGANIZATION_ID.parse().unwrap()
}

/// A user ID from its text.
///
/// # Panics
///
/// When `id` is not a UUID.
#[must_use]
pub fn user(id: &str) -> airbyte::models::UserId {
    id.parse().unwrap()
}

/// A mock server with fast jobs and a fixed seed.
///
/// # Panics
///
/// When the server cannot start.
pub async fn mock() -> MockServer {
    mock_with(MockConfig::default()).await
}

/// A mock server with fast jobs, adjusting `config`.
///
/// # Panics
///
/// When the server cannot start.
pub async fn mock_with(config: MockConfig) -> MockServer {
    MockServer::start(MockConfig {
        job_duration: Duration::from_millis(400),
        seed: Some(11),
        ..config
    })
    .await
    .expect("the mock server starts")
}

/// Fast retries, so that fault-injection tests stay short.
#[must_use]
pub fn fast_retry() -> RetryConfig {
    RetryConfig {
        max_attempts: 6,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(50),
        seed: Some(3),
        ..RetryConfig::default()
    }
}

/// A mock server speaking TLS (HTTP/2 and HTTP/1.1 by ALPN), with client certificates
/// required when `mutual`.
///
/// # Panics
///
/// When the server cannot start.
pub async fn tls_mock(mutual: bool) -> MockServer {
    mock_with(MockConfig {
        tls: Some(if mutual {
            airbyte::mock::TlsConfig::mutual()
        } else {
            airbyte::mock::TlsConfig::new()
        }),
        ..MockConfig::default()
    })
    .await
}

/// The certificate authority of a TLS mock server.
///
/// # Panics
///
/// When the server does not speak TLS.
#[must_use]
pub fn ca_of(server: &MockServer) -> Vec<u8> {
    server
        .tls()
        .expect("a TLS mock server")
        .ca_pem()
        .as_bytes()
        .to_vec()
}

/// Lists the sources and the connections of a workspace (a few requests, the token's
/// included).
///
/// # Errors
///
/// The first that fails.
pub async fn read_some(workspace: &CloudWorkspace) -> Result<(), airbyte::cloud::Error> {
    workspace.list_sources().collect().await?;
    workspace.list_connections().collect().await?;
    Ok(())
}

/// Asserts that a read of the workspace at `api_root` (through `proxy` when given), whose
/// peer takes the connection and never answers, ends in a connect timeout well before the
/// attempt timeout: connects give up after 300 ms, attempts after 20 s, nothing is retried.
///
/// # Panics
///
/// When the read ends otherwise, or too late.
pub async fn assert_bounded_by_connect_timeout(api_root: &str, proxy: Option<String>) {
    let workspace = CloudWorkspace::builder()
        .api_root(api_root)
        .workspace_id(WORKSPACE)
        .bearer_token("test-token")
        .transport(move |transport| {
            let transport = transport
                .connect_timeout(Duration::from_millis(300))
                .attempt_timeout(Duration::from_secs(20))
                .retry(RetryConfig::disabled());
            match proxy {
                Some(proxy) => transport.proxy(proxy),
                None => transport,
            }
        })
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let error = read_some(&workspace)
        .await
        .expect_err("the peer never answers")
        .to_string();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(error.starts_with("connect timeout"), "{error}");
}

/// The HTTP versions of the requests the mock server received, in order.
#[must_use]
pub fn http_versions(server: &MockServer) -> Vec<String> {
    server
        .journal()
        .into_iter()
        .map(|entry| entry.http_version)
        .collect()
}

/// A workspace builder for the mock server's production workspace from these variables only
/// (the default credentials added), as `CloudWorkspaceBuilder::from_env` reads them.
#[must_use]
pub fn env_builder(vars: Vec<(&'static str, String)>) -> airbyte::cloud::CloudWorkspaceBuilder {
    let mut vars = vars;
    vars.extend([
        ("AIRBYTE_WORKSPACE_ID", WORKSPACE.to_owned()),
        (
            "AIRBYTE_CLIENT_ID",
            airbyte::mock::DEFAULT_CLIENT_ID.to_owned(),
        ),
        (
            "AIRBYTE_CLIENT_SECRET",
            airbyte::mock::DEFAULT_CLIENT_SECRET.to_owned(),
        ),
    ]);
    airbyte::cloud::CloudWorkspaceBuilder::from_env_source(move |name| {
        vars.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.clone())
    })
}

/// The production workspace at `http://HOST:8000`, a host no resolver knows, through the proxy
/// the variable `proxy_variable` (`ALL_PROXY`, `http_proxy`, ...) names: only that proxy can
/// reach it.
///
/// # Panics
///
/// When the workspace cannot be built.
#[must_use]
pub fn at_unknown_host_through(
    host: &str,
    proxy_variable: &'static str,
    proxy: String,
) -> CloudWorkspace {
    env_builder(vec![
        (proxy_variable, proxy),
        (
            "AIRBYTE_API_ROOT",
            format!("http://{host}:8000/api/public/v1"),
        ),
    ])
    .allow_insecure_http(true)
    .build()
    .expect("the workspace builds")
}

/// The log lines written while a [`capture_logs`] guard lived.
#[derive(Clone, Default)]
pub struct Logs(Arc<Mutex<Vec<u8>>>);

impl Logs {
    /// Everything logged so far.
    #[must_use]
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap_or_else(PoisonError::into_inner)).into_owned()
    }
}

impl std::io::Write for Logs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures every log line of this thread, `TRACE` included, while the guard lives (a
/// `#[tokio::test]` runs on one thread).
#[must_use]
pub fn capture_logs() -> (Logs, tracing::subscriber::DefaultGuard) {
    let logs = Logs::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    (logs, tracing::subscriber::set_default(subscriber))
}

/// Reads through a proxy that refuses the credentials of its URL (set in `builder`), and
/// asserts the refusal is final and hides `password` everywhere: in the `Debug` of the builder
/// and of the workspace, in the error, in the logs. The error names the proxy (`proxy_url`),
/// nothing reached `server`, and the proxy saw one connection (`seen`): nothing was retried.
/// Returns the error's message, for what only one kind of proxy says.
///
/// # Panics
///
/// When any of that does not hold.
pub async fn refused_proxy_credentials(
    server: &MockServer,
    builder: airbyte::cloud::CloudWorkspaceBuilder,
    proxy_url: &str,
    seen: impl Fn() -> usize,
    password: &str,
) -> String {
    let shown = format!("{builder:?}");
    assert!(!shown.contains(password), "{shown}");
    let (logs, _guard) = capture_logs();
    let workspace = builder.build().unwrap();
    assert!(!format!("{workspace:?}").contains(password));
    let error = read_some(&workspace).await.expect_err("refused");
    assert!(!error.is_transient(), "{error}");
    let text = format!("{error} / {error:?}");
    assert!(!text.contains(password), "{text}");
    let message = error.to_string();
    assert!(message.contains(proxy_url), "{message}");
    assert!(!message.contains("attempts"), "not retried: {message}");
    assert_eq!(seen(), 1);
    assert!(server.journal().is_empty());
    // No `!logs.is_empty()` here: under plain `cargo test` (CI without nextest) tests share a
    // process, and another test's thread-local subscriber coming and going can leave this
    // thread's capture empty (tracing's interest cache is global). The password check holds
    // whatever was captured.
    let logs = logs.text();
    assert!(!logs.contains(password), "{logs}");
    message
}

/// A workspace builder for the production workspace of a mock server.
#[must_use]
pub fn builder(server: &MockServer) -> airbyte::cloud::CloudWorkspaceBuilder {
    CloudWorkspace::builder()
        .api_root(server.public_api_root())
        .workspace_id(WORKSPACE)
        .client_credentials(
            airbyte::mock::DEFAULT_CLIENT_ID,
            airbyte::mock::DEFAULT_CLIENT_SECRET,
        )
        .retry(fast_retry())
}

/// A workspace of a mock server reached as Carol, through her seeded application: a member
/// of the organization who administers nothing and reads Staging only.
///
/// # Panics
///
/// When the workspace cannot be built.
#[must_use]
pub fn carol_workspace(server: &MockServer, workspace_id: &str) -> CloudWorkspace {
    builder(server)
        .workspace_id(workspace_id)
        .client_credentials(
            default_world::CAROL_CLIENT_ID,
            default_world::CAROL_CLIENT_SECRET,
        )
        .build()
        .unwrap()
}

/// The staging workspace of a mock server (same credentials, which reach both workspaces).
///
/// # Panics
///
/// When the workspace cannot be built.
#[must_use]
pub fn staging(server: &MockServer) -> CloudWorkspace {
    builder(server)
        .workspace_id(STAGING)
        .build()
        .expect("the workspace builds")
}

/// How many requests changed something (any method but `GET`, Config API reads aside).
#[must_use]
pub fn writes(server: &MockServer) -> usize {
    server
        .journal()
        .iter()
        .filter(|entry| is_write(&entry.method, &entry.path))
        .count()
}

/// Whether a request changes something: a Public API `POST`, `PUT`, `PATCH` or `DELETE`, or a
/// Config API route that writes.
#[must_use]
pub fn is_write(method: &str, path: &str) -> bool {
    if path.ends_with("/applications/token") {
        return false;
    }
    if path.contains("/api/v1/") {
        return ["update", "create", "cancel", "check_connection", "delete"]
            .iter()
            .any(|verb| {
                path.rsplit('/')
                    .next()
                    .is_some_and(|last| last.contains(verb))
            });
    }
    method != "GET"
}

/// The production workspace of a mock server.
///
/// # Panics
///
/// When the workspace cannot be built.
#[must_use]
pub fn workspace(server: &MockServer) -> CloudWorkspace {
    builder(server).build().expect("the workspace builds")
}

/// Wait settings for fast mock jobs: short polls, a bounded wait.
#[must_use]
pub fn fast_wait() -> WaitOptions {
    WaitOptions {
        poll_interval: Duration::from_millis(40),
        max_poll_interval: Duration::from_millis(200),
        timeout: Some(Duration::from_secs(20)),
        ..WaitOptions::default()
    }
}

/// How many requests the server received for a method and path.
#[must_use]
pub fn requests(server: &MockServer, method: &str, path_suffix: &str) -> usize {
    server
        .journal()
        .iter()
        .filter(|entry| entry.method == method && entry.path.ends_with(path_suffix))
        .count()
}

/// The default world's connection "Faker → Warehouse" of a workspace, without a request.
///
/// # Panics
///
/// Never: the ID is valid.
#[must_use]
pub fn faker(workspace: &CloudWorkspace) -> CloudConnection {
    workspace
        .connection(default_world::FAKER_CONNECTION_ID)
        .expect("a valid ID")
}

/// Scripts the jobs of "Faker → Warehouse": `outcome`, at the mock's job duration.
///
/// # Panics
///
/// When the mock refuses the script.
pub fn script_faker(server: &MockServer, outcome: Outcome) {
    server
        .script_connection(default_world::FAKER_CONNECTION_ID, outcome, None)
        .expect("the mock takes the script");
}

/// A transport client of a mock server, acting with the default credentials as the world's
/// operator: the operations of `airbyte::models::ops` go through it unchanged, so a test proves
/// that model, registry and route agree.
///
/// # Panics
///
/// When the client cannot be built.
#[must_use]
pub fn api(server: &MockServer) -> airbyte::transport::Client {
    api_as(
        server,
        Credentials::client_credentials(
            airbyte::mock::DEFAULT_CLIENT_ID,
            airbyte::mock::DEFAULT_CLIENT_SECRET,
        ),
    )
}

/// A transport client of a mock server with other credentials.
///
/// # Panics
///
/// When the client cannot be built.
#[must_use]
pub fn api_as(server: &MockServer, credentials: Credentials) -> airbyte::transport::Client {
    airbyte::transport::Client::builder()
        .api_root(server.public_api_root())
        .config_api_root(server.config_api_root())
        .credentials(credentials)
        .retry(fast_retry())
        .build()
        .expect("the client builds")
}

/// A transport client of a mock server acting as Carol, through her seeded application: a
/// member of the organization who reaches Staging only.
///
/// # Panics
///
/// When the client cannot be built.
#[must_use]
pub fn carol(server: &MockServer) -> airbyte::transport::Client {
    api_as(
        server,
        Credentials::client_credentials(
            default_world::CAROL_CLIENT_ID,
            default_world::CAROL_CLIENT_SECRET,
        ),
    )
}

/// The HTTP status a call failed with (0 when it failed before any answer).
///
/// # Panics
///
/// When the call succeeded.
pub fn failed_with<T: std::fmt::Debug>(result: Result<T, airbyte::transport::Error>) -> u16 {
    let error = result.expect_err("the call fails");
    error.status().map_or(0, |status| status.as_u16())
}

/// The problem title of a failed call (`resource-not-found`, ...).
///
/// # Panics
///
/// When the call succeeded.
pub fn problem_of<T: std::fmt::Debug>(
    result: Result<T, airbyte::transport::Error>,
) -> (u16, Option<String>) {
    match result.expect_err("the call fails") {
        airbyte::transport::Error::Api(api) => {
            (api.status.as_u16(), api.title().map(str::to_owned))
        }
        other => (other.status().map_or(0, |status| status.as_u16()), None),
    }
}

/// A workspace builder for the production workspace at a scripted loopback server (its base
/// URI, `http://127.0.0.1:PORT`, as `wiremock` gives it), with a fixed bearer token: no token
/// endpoint is involved.
#[must_use]
pub fn scripted_builder(base_uri: &str) -> airbyte::cloud::CloudWorkspaceBuilder {
    CloudWorkspace::builder()
        .api_root(format!("{base_uri}/api/public/v1"))
        .workspace_id(WORKSPACE)
        .bearer_token("test-token")
}

/// The production workspace at a scripted loopback server (see [`scripted_builder`]).
///
/// # Panics
///
/// When the workspace cannot be built.
#[must_use]
pub fn scripted_workspace(base_uri: &str) -> CloudWorkspace {
    scripted_builder(base_uri)
        .build()
        .expect("the workspace builds")
}

/// A connection as the Public API describes it (`ConnectionResponse`), in the production
/// workspace, active, manual, without streams.
#[must_use]
pub fn connection_json(id: &str, name: &str, source: &str, destination: &str) -> Value {
    json!({
        "connectionId": id,
        "name": name,
        "sourceId": source,
        "destinationId": destination,
        "workspaceId": WORKSPACE,
        "status": "active",
        "schedule": {"scheduleType": "manual"},
        "createdAt": 1_714_566_600,
        "configurations": {"streams": []},
    })
}

/// A source as the Public API describes it (`SourceResponse`), in the production workspace;
/// without `definitionId` when `definition` is `None` (as older servers send it).
#[must_use]
pub fn source_json(id: &str, name: &str, definition: Option<&str>) -> Value {
    let mut source = json!({
        "sourceId": id,
        "name": name,
        "sourceType": "faker",
        "workspaceId": WORKSPACE,
        "configuration": {},
        "createdAt": 1_714_566_600,
    });
    if let Some(definition) = definition {
        source["definitionId"] = json!(definition);
    }
    source
}

/// The IDs of the sources that run a custom source definition.
///
/// # Panics
///
/// When they cannot be listed.
pub async fn dependent_source_ids(definition: &CustomSourceDefinition) -> Vec<String> {
    definition
        .dependent_sources()
        .await
        .expect("the dependent sources are listed")
        .iter()
        .map(|source| source.id().to_string())
        .collect()
}

/// Pieces of scripted loopback servers (`wiremock`), for answers the mock server does not give
/// (older servers, hostile ones, lists that move while they are read).
pub mod scripted {
    use serde_json::json;
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::WORKSPACE;

    /// The production workspace has no connection.
    pub async fn no_connections(server: &MockServer) {
        Mock::given(method("GET"))
            .and(path("/api/public/v1/connections"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
            .mount(server)
            .await;
    }

    /// A declarative source definition of the production workspace.
    pub async fn declarative_definition(server: &MockServer, id: &str, name: &str) {
        Mock::given(method("GET"))
            .and(path(format!(
                "/api/public/v1/workspaces/{WORKSPACE}/definitions/declarative_sources/{id}"
            )))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "id": id,
                "name": name,
                "manifest": {"version": "6.7.0", "type": "DeclarativeSource", "streams": []},
                "version": 1,
            })))
            .mount(server)
            .await;
    }

    /// Every `DELETE` is answered with 204 (and counted by [`deletes`]).
    pub async fn accept_deletes(server: &MockServer) {
        Mock::given(method("DELETE"))
            .respond_with(ResponseTemplate::new(204))
            .mount(server)
            .await;
    }

    /// How many `DELETE` requests the server received.
    ///
    /// # Panics
    ///
    /// When the server does not record requests.
    pub async fn deletes(server: &MockServer) -> usize {
        server
            .received_requests()
            .await
            .expect("the server records requests")
            .iter()
            .filter(|request| request.method.as_str() == "DELETE")
            .count()
    }
}

/// A small valid declarative manifest with one stream and an `api_key` setting.
#[must_use]
pub fn manifest(stream: &str) -> Manifest {
    Manifest::from_json(json!({
        "version": "6.7.0",
        "type": "DeclarativeSource",
        "streams": [{"type": "DeclarativeStream", "name": stream}],
        "spec": {"type": "Spec", "connection_specification": {"type": "object", "properties": {"api_key": {"type": "string"}}}},
    }))
}
