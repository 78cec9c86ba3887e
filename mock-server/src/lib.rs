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
//! The routes are built from `airbyte_models::ops::registry`, the one table of operations; all
//! 92 operations of the Public API are emulated (an operation the registry counts as not yet
//! described would answer 501), with the Config API calls clients need. Requests pass tower layers, each in
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
mod ids;
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

pub use clock::MAX_CLOCK_SPEED;
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
    /// The Google Ads source definition, which authenticates with OAuth (as do `github`,
    /// `hubspot` and `salesforce`).
    pub const GOOGLE_ADS_DEFINITION_ID: &str = "253487c0-2246-43ba-a21f-5116b20a2c50";
    /// A second organization, "Initech Analytics", with no workspace and its own user.
    pub const OTHER_ORGANIZATION_ID: &str = "0b0f2e52-6c8a-4d3e-9a4e-2f0c61b0a002";
    /// "Ada Admin", organization admin: the user the configured credentials act as (its
    /// identity-provider ID, the tokens' `user_id` claim, is `mock-auth|ada`).
    pub const OPERATOR_USER_ID: &str = "5e1a0c3b-7d2f-4e8a-9b6c-1d2e3f4a5b01";
    /// "Bob Builder": organization member, admin of Production, in "Data engineers".
    pub const BOB_USER_ID: &str = "5e1a0c3b-7d2f-4e8a-9b6c-1d2e3f4a5b02";
    /// "Carol Reader": organization member, reader of Staging, in "Data engineers" (editor of
    /// Staging): she reaches Staging only.
    pub const CAROL_USER_ID: &str = "5e1a0c3b-7d2f-4e8a-9b6c-1d2e3f4a5b03";
    /// "Dave Member": `workspace_member` of Production (a type the specifications do not list),
    /// in the SCIM-managed group.
    pub const DAVE_USER_ID: &str = "5e1a0c3b-7d2f-4e8a-9b6c-1d2e3f4a5b04";
    /// "Erin Initech": admin of the other organization.
    pub const ERIN_USER_ID: &str = "5e1a0c3b-7d2f-4e8a-9b6c-1d2e3f4a5b05";
    /// Ada's organization-admin permission, the organization's only admin.
    pub const OPERATOR_PERMISSION_ID: &str = "6f2b1d4c-8e3a-4f9b-8c7d-2e3f4a5b6c01";
    /// The group "Data engineers" (Bob and Carol; editor of Staging).
    pub const DATA_ENGINEERS_GROUP_ID: &str = "7a3c2e5d-9f4b-4a0c-9d8e-3f4a5b6c7d01";
    /// The group "Okta: Analysts", managed by SCIM: read-only through the API.
    pub const SCIM_GROUP_ID: &str = "7a3c2e5d-9f4b-4a0c-9d8e-3f4a5b6c7d02";
    /// Carol's application "carol-ci".
    pub const CAROL_APPLICATION_ID: &str = "3d2c1b0a-9e8f-4d7c-8b6a-5f4e3d2c1b01";
    /// The client ID of Carol's application: its tokens act as Carol.
    pub const CAROL_CLIENT_ID: &str = "carol-app-client-id";
    /// The client secret of Carol's application (a mock credential).
    pub const CAROL_CLIENT_SECRET: &str = "carol-app-client-secret";
    /// The region "acme-private-eu" of the organization.
    pub const REGION_ID: &str = "8b4d3f6e-0a5c-4b1d-8e9f-4a5b6c7d8e01";
    /// Its data plane "acme-dp-eu-1".
    pub const DATAPLANE_ID: &str = "9c5e4a7f-1b6d-4c2e-9fa0-5b6c7d8e9f01";
}
