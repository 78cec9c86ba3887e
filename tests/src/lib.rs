//! Shared helpers of the end-to-end tests: a mock server per test, a workspace bound to it,
//! and fast wait settings.

use std::time::Duration;

use airbyte::mock::{MockConfig, MockServer, Outcome, default_world};
use airbyte::prelude::*;

/// The default world's production workspace.
pub const WORKSPACE: &str = default_world::PRODUCTION_WORKSPACE_ID;
/// The default world's staging workspace.
pub const STAGING: &str = default_world::STAGING_WORKSPACE_ID;

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
        .get_connection(default_world::FAKER_CONNECTION_ID)
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
