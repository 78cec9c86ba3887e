//! Airbyte Cloud and self-managed Airbyte, as Rust objects.
//!
//! The entry point is a [`CloudWorkspace`], built from explicit settings or the environment.
//! From it: sources and destinations ([`CloudSource`], [`CloudDestination`]), connections
//! ([`CloudConnection`]) with their streams, schedules, state and catalogs, syncs and other jobs
//! ([`SyncResult`]) with attempts and logs, custom source definitions
//! ([`CustomSourceDefinition`]) and the organization ([`CloudOrganization`]).
//!
//! It offers what PyAirbyte's `airbyte.cloud` offers, and fixes what it gets wrong: one
//! transport with retries, timeouts and a shared token cache; lists that read every page,
//! lazily, and always end; waits that back off, time out and cancel only the job they started;
//! one typed error; workspace checks on every resource before any write; cron schedules checked
//! before they are sent; Docker definitions. And what it lacks: many syncs at once under one
//! scheduler that adapts to rate limits, and the failing connections at a glance
//! ([`fleet`]).
//!
//! Deletes name everything they remove. Deleting a source or a destination makes the server
//! delete the connections that use it (deleting a custom definition, the sources that run it),
//! so every delete is planned first with every dependent, read fresh; it refuses
//! ([`Error::DependentsExist`]) unless asked to delete the dependents too, applies safe mode
//! to every name it would delete, and checks everything before the first `DELETE`. A plan can
//! be previewed without deleting anything ([`ConnectionDeletion::preview`],
//! [`Deletion::preview`]).
//!
//! ```no_run
//! use airbyte_cloud::{CloudWorkspace, Result};
//! use serde_json::json;
//!
//! # async fn demo() -> Result<()> {
//! let workspace = CloudWorkspace::from_env()?;
//! let source = workspace.deploy_source("faker", "faker", json!({"count": 100})).await?;
//! let destination = workspace.deploy_destination("sink", "dev-null", json!({})).await?;
//! let connection = workspace
//!     .deploy_connection(&source, &destination)
//!     .streams(["users"])
//!     .await?;
//! let sync = connection.run_sync().await?;
//! println!("synced {} records", sync.records_synced().await?);
//! # Ok(())
//! # }
//! ```

mod connection;
mod connector;
pub mod cron;
mod definitions;
mod deletion;
mod discovery;
mod error;
pub mod fleet;
mod listing;
mod naming;
mod organization;
mod paging;
pub mod settings;
pub mod state;
mod sync;
mod tags;
mod workspace;

pub use connection::{
    CloudConnection, ConnectionEndpoint, DeleteConnection, DeployConnection, Schedule,
};
pub use connector::{
    CheckResult, CloudConnector, CloudDestination, CloudSource, ConnectorKind, DeployConnector,
    Destination, Source,
};
pub use definitions::{CustomSourceDefinition, DefinitionKind, Manifest, PublishDefinition};
pub use deletion::{
    ConnectionDeletion, DeletePlan, Deletion, DeletionReason, PlannedDeletion, ResourceKind,
    ResourceRef,
};
pub use error::{Error, Result};
pub use fleet::{
    ConnectionHealth, ConnectionSelection, ConnectionsStatus, FleetEvent, FleetHandle, FleetJob,
    FleetOutcome, FleetRun, FleetStats, FleetSummary, Health, NameGlob, SelectedConnections,
    StopMode, SyncMany,
};
pub use listing::{ListItems, Predicate, ResultStream};
pub use naming::{is_safe_to_delete, random_suffix};
pub use organization::CloudOrganization;
pub use paging::{DEFAULT_MAX_LIST_ITEMS, DEFAULT_PAGE_SIZE, PagingProblem};
pub use settings::CloudWorkspaceBuilder;
pub use state::ImportOptions;
pub use sync::{
    CANCEL_AFTER_TIMEOUT_LIMIT, JobHistory, RunSync, SyncAttempt, SyncResult, WaitOptions,
};
pub use tags::{MAX_TAG_NAME_CHARS, check_tag};
pub use workspace::CloudWorkspace;
