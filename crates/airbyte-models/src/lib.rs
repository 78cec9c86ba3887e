//! Typed models of the [Airbyte](https://airbyte.com) API, with no IO.
//!
//! This crate holds the request and response types of the Airbyte **Public API** and of the
//! parts of the **Config API** that clients need (connection checks, job logs, state, catalogs,
//! organization info, Connector Builder projects), typed IDs, and [`ops`]: descriptions of
//! every operation (method, path, query, body, idempotency) that a transport can execute.
//!
//! Field names, required fields and enum values follow the official OpenAPI specifications.
//! The models are built to survive a changing server:
//!
//! - every enum keeps values it does not know (`Unknown(String)`) and writes them back unchanged;
//! - unknown fields are ignored, and the Config API catalog types keep them for write-back;
//! - optional fields are `Option`, and timestamps ([`EpochSeconds`], [`ApiDateTime`], ...) keep
//!   the raw value, so an odd value never fails a whole response;
//! - connector configurations ([`ConnectorConfig`]) serialize exactly but hide secrets in
//!   `Debug`.
//!
//! ```
//! use airbyte_models::{JobResponse, JobStatus};
//!
//! let job: JobResponse = serde_json::from_str(r#"{
//!     "jobId": 1234, "status": "queued", "jobType": "sync",
//!     "startTime": "2024-05-01T12:30Z",
//!     "connectionId": "e735894a-e773-4938-969f-45f53957b75b"
//! }"#).unwrap();
//! assert_eq!(job.status, JobStatus::Queued);
//! assert!(!job.status.is_final());
//! assert_eq!(job.start_time.to_datetime().unwrap().minute(), 30);
//! ```

mod config_api;
mod cron;
mod error;
mod ids;
mod macros;
pub mod ops;
mod page;
mod problem;
mod public;
mod secret;
mod secret_config;
mod secrets;
mod serde_util;
mod time;

pub use config_api::*;
pub use cron::{CronError, QuartzCron};
pub use error::Error;
pub use ids::{
    ApplicationId, BuilderProjectId, ConnectionId, DataplaneId, DefinitionId, DestinationId,
    GroupId, JobId, OrganizationId, PermissionId, RegionId, SourceId, TagId, UserId, WorkspaceId,
};
pub use page::ListResponse;
pub use problem::{ApiErrorBody, InvalidInputProperty};
pub use public::*;
pub use secret::Secret;
pub use secret_config::ConnectorConfig;
pub use secrets::{
    Masked, REDACTED, SERVER_SECRET_MASK, is_secret_key, is_secret_query_key, mask_secrets,
    mask_text_secrets, mask_url_password, redact_json, redact_query, secret_values,
};
pub use time::{
    ApiDateTime, EpochMillis, EpochSeconds, IsoDuration, format_server_datetime, parse_datetime,
};

/// Re-exported so that users can name the date-time type of [`ApiDateTime::to_datetime`]
/// without depending on `time` themselves.
pub use ::time::OffsetDateTime;
