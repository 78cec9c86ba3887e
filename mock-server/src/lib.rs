//! A standalone mock of the Airbyte API for offline development and tests.
//!
//! The mock serves the Public API under both `/api/public/v1` (self-managed layout) and `/v1`
//! (Cloud layout), the client-facing Config API under `/api/v1`, and mock control under
//! `/_mock/`. It runs in two modes:
//!
//! - **emulate** (default): a stateful, validated emulation. What one request creates, the next
//!   lists, patches and deletes. Responses carry the real API's quirks (epoch-second
//!   `createdAt`, `startTime` without zero seconds, cron expressions with ` UTC`, problem bodies
//!   sent as `application/json`, `next` links that drop filters). Jobs move through `pending`,
//!   `running`, `incomplete` and a final status on a virtual clock, with attempts, counts and
//!   logs that grow as they run. A recorded interaction that matches a request takes
//!   precedence, so error cases and real payloads can be replayed inside a stateful run.
//! - **replay**: only recorded interactions answer; `strict` names the closest fixture for an
//!   unmatched request.
//!
//! It can also **record**: proxy to a real Airbyte and write fixtures with secrets scrubbed.
//! Faults (latency, 429/500/502/503, dropped connections, truncated or malformed bodies, an
//! `expires_in` that overstates the token's life) are injected from settings or at run time,
//! deterministically under a seed. A rate limit per credential ([`RateLimit`], a token bucket)
//! answers 429 as Airbyte Cloud does, without `Retry-After`.
//!
//! The routes are built from `airbyte_models::ops::registry`, the one table of operations: the
//! operations it counts as not yet described answer 501. Requests pass tower layers, each in
//! one place: the journal (bounded in entries and bytes, secrets redacted), faults,
//! authentication (client credentials, basic auth when enabled, each with its workspace scope),
//! the rate limit, the body (bounded in size and time) and recorded interactions; faults that act on the
//! connection itself are carried out by the connection. Mock control is open on loopback and
//! needs [`MockConfig::control_token`] anywhere else.
//!
//! ```no_run
//! use airbyte_mock_server::{MockConfig, MockServer};
//!
//! # async fn demo() -> Result<(), airbyte_mock_server::Error> {
//! let server = MockServer::start(MockConfig::default()).await?;
//! println!("Public API: {}", server.public_api_root());
//! println!("Config API: {}", server.config_api_root());
//! server.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod answer;
mod auth;
mod clock;
mod config;
mod control;
mod error;
mod faults;
mod fixtures;
mod handlers;
mod jobs;
mod journal;
mod json;
mod layers;
mod listener;
mod lossless;
mod rate_limit;
mod request;
mod routes;
mod server;
mod state;
mod stop;
mod tls;
mod world;

pub use config::{
    BasicCredential, CONTROL_TOKEN_HEADER, ClientCredential, DEFAULT_BASIC_PASSWORD,
    DEFAULT_BASIC_USER, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, MockConfig, Mode,
};
pub use error::Error;
pub use faults::{FaultAction, FaultConfig};
pub use fixtures::{FixtureFile, Interaction, QueryValue, RecordedRequest, RecordedResponse};
pub use jobs::Outcome;
pub use journal::JournalEntry;
pub use rate_limit::RateLimit;
pub use server::MockServer;
pub use stop::StopSignals;
pub use tls::{TlsConfig, TlsFiles, TlsMaterial};
pub use world::CheckScript;

/// IDs of the built-in default world, for tests and examples.
pub mod default_world {
    /// The organization.
    pub const ORGANIZATION_ID: &str = "0b0f2e52-6c8a-4d3e-9a4e-2f0c61b0a001";
    /// The "Production" workspace.
    pub const PRODUCTION_WORKSPACE_ID: &str = "9e4a3c1d-1b2f-4c5d-8e6f-7a8b9c0d1e01";
    /// The "Staging" workspace.
    pub const STAGING_WORKSPACE_ID: &str = "9e4a3c1d-1b2f-4c5d-8e6f-7a8b9c0d1e02";
    /// The faker source "Faker demo" (Production).
    pub const FAKER_SOURCE_ID: &str = "1f2e3d4c-5b6a-4789-9abc-def012345601";
    /// The source "GitHub issues", whose connection check fails.
    pub const FAILING_CHECK_SOURCE_ID: &str = "1f2e3d4c-5b6a-4789-9abc-def012345603";
    /// The BigQuery destination "Warehouse" (Production).
    pub const WAREHOUSE_DESTINATION_ID: &str = "2a3b4c5d-6e7f-4819-8a2b-3c4d5e6f7a01";
    /// The dev-null destination "Black hole" (Production).
    pub const DEV_NULL_DESTINATION_ID: &str = "2a3b4c5d-6e7f-4819-8a2b-3c4d5e6f7a02";
    /// The connection "Faker → Warehouse", with a job history.
    pub const FAKER_CONNECTION_ID: &str = "4c5d6e7f-8091-4a23-b4c5-d6e7f8091a01";
    /// The declarative definition "Rick and Morty (YAML)", with a builder project.
    pub const DECLARATIVE_DEFINITION_ID: &str = "7d3b8f2a-6e1c-4b9d-a0f5-3c2e1d0b9a01";
    /// Its builder project.
    pub const BUILDER_PROJECT_ID: &str = "4a2b6c8d-0e1f-4a3b-8c5d-7e9f1a2b3c01";
    /// The custom Docker source definition "Acme Internal API".
    pub const DOCKER_DEFINITION_ID: &str = "5c1a9e0e-3f4b-4a8e-9d6c-2b7a1e0f0c01";
    /// The faker source definition.
    pub const FAKER_DEFINITION_ID: &str = "dfd88b22-b603-4c3d-aad7-3701784586b1";
    /// The dev-null destination definition.
    pub const DEV_NULL_DEFINITION_ID: &str = "a7bcc9d8-13b3-4e49-b80d-d020b90045e3";
}
