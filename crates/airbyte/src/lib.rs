//! Manage [Airbyte](https://airbyte.com) from Rust: Airbyte Cloud and self-managed Airbyte.
//!
//! This crate is the one to depend on. It re-exports the layers it is made of, so each can be
//! used directly:
//!
//! | Module | Crate | What |
//! |---|---|---|
//! | [`cloud`] | `airbyte-cloud` | workspaces, sources, destinations, connections, syncs, logs, state, catalogs, custom definitions, organizations; many syncs at once under rate limits ([`cloud::fleet`]) |
//! | [`models`] | `airbyte-models` | typed models of the API and IO-free operation descriptions |
//! | [`transport`] | `airbyte-transport` | the HTTP client: auth with a token cache, retries, timeouts, errors |
//! | `mock` (feature `mock`) | `airbyte-mock-server` | an offline mock of the API |
//! | `workspace_files` (feature `workspace-files`) | `airbyte-workspace-files` | the workspace as reviewed YAML files: export, plan, apply |
//!
//! # Features
//!
//! - `yaml` (default): read declarative manifests from YAML.
//! - `mock`: the offline mock server as `airbyte::mock`, for local development and tests.
//! - `workspace-files`: configuration as code, as `airbyte::workspace_files`: a workspace
//!   exported as YAML files, planned against the live workspace and applied, with a lock file
//!   of IDs and salted secret fingerprints.
//!
//! # Quickstart
//!
//! Deploy a source and a destination, connect them, sync, read the logs, clean up. This
//! example runs (as a test) against the offline mock server; against Airbyte Cloud, build the
//! workspace with `CloudWorkspace::from_env()` and credentials in the environment.
//!
//! ```
//! use airbyte::prelude::*;
//! use serde_json::json;
//!
//! # #[tokio::main]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let server = airbyte_mock_server::MockServer::start(airbyte_mock_server::MockConfig {
//! #     job_duration: std::time::Duration::from_millis(300),
//! #     ..Default::default()
//! # }).await?;
//! # let api_root = server.public_api_root();
//! let workspace = CloudWorkspace::builder()
//!     .api_root(api_root) // e.g. http://localhost:8000/api/public/v1
//!     .workspace_id("9e4a3c1d-1b2f-4c5d-8e6f-7a8b9c0d1e01")
//!     .client_credentials("mock-client-id", "mock-client-secret")
//!     .build()?;
//!
//! let source = workspace
//!     .deploy_source("quickstart-source (delete-me)", "faker", json!({"count": 100}))
//!     .random_name_suffix(true)
//!     .await?;
//! let destination = workspace
//!     .deploy_destination("quickstart-destination (delete-me)", "dev-null", json!({}))
//!     .random_name_suffix(true)
//!     .await?;
//! assert!(source.check().await?.success);
//!
//! let connection = workspace
//!     .deploy_connection(&source, &destination)
//!     .name("quickstart (delete-me)")
//!     .streams(["users", "products"])
//!     .await?;
//!
//! let sync = connection
//!     .run_sync()
//!     .poll_interval(std::time::Duration::from_millis(50))
//!     .timeout(std::time::Duration::from_secs(30))
//!     .await?;
//! assert_eq!(sync.status().await?, JobStatus::Succeeded);
//! println!("synced {} records", sync.records_synced().await?);
//! for attempt in sync.attempts().await? {
//!     println!("attempt {}:\n{}", attempt.number(), attempt.log_text());
//! }
//!
//! // Deleting names everything it removes, and refuses (before any DELETE) when the source
//! // or destination carries other connections that the server would delete with it.
//! let plan = connection
//!     .delete()
//!     .cascade_source(true)
//!     .cascade_destination(true)
//!     .preview()
//!     .await?;
//! assert_eq!(plan.len(), 3);
//! assert_eq!(plan.dependents().count(), 0);
//! connection
//!     .permanently_delete(DeleteConnection {
//!         cascade_source: true,
//!         cascade_destination: true,
//!         ..DeleteConnection::default()
//!     })
//!     .await?;
//! # server.shutdown().await;
//! # Ok(())
//! # }
//! ```

pub use airbyte_cloud as cloud;
pub use airbyte_models as models;
pub use airbyte_transport as transport;

#[cfg(feature = "mock")]
pub use airbyte_mock_server as mock;

#[cfg(feature = "workspace-files")]
pub use airbyte_workspace_files as workspace_files;

#[doc(inline)]
pub use airbyte_cloud::{
    CloudConnection, CloudDestination, CloudOrganization, CloudSource, CloudWorkspace,
    CustomSourceDefinition, Error, Result, SyncResult,
};

/// The types most programs need: `use airbyte::prelude::*;`.
pub mod prelude {
    pub use airbyte_cloud::{
        CheckResult, CloudConnection, CloudDestination, CloudOrganization, CloudSource,
        CloudWorkspace, ConnectionSelection, CustomSourceDefinition, DefinitionKind,
        DeleteConnection, DeletePlan, Error, FleetEvent, FleetOutcome, ImportOptions, ListItems,
        Manifest, ResourceKind, Result, Schedule, SyncAttempt, SyncResult, WaitOptions,
    };
    pub use airbyte_models::{
        ConnectionStatus, ConnectorConfig, JobStatus, JobType, StreamConfiguration,
    };
    pub use airbyte_transport::{Credentials, RetryConfig, Timeouts};
}
