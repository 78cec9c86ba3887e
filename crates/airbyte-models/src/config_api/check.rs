//! `sources/check_connection` and `destinations/check_connection`.

use serde::{Deserialize, Serialize};

use crate::macros::open_enum;
use crate::{AttemptLogs, DestinationId, EpochMillis, EpochSeconds, SourceId, StreamDescriptor};

/// `{"sourceId": ...}`: the body of source routes such as `sources/check_connection`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceIdRequest {
    /// The source.
    pub source_id: SourceId,
}

/// `{"destinationId": ...}`: the body of `destinations/check_connection`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationIdRequest {
    /// The destination.
    pub destination_id: DestinationId,
}

open_enum!(
    /// The outcome of a connection check.
    CheckConnectionStatus {
        /// The connector could connect.
        Succeeded = "succeeded",
        /// The connector could not connect; `message` says why.
        Failed = "failed",
    }
);

open_enum!(
    /// The kind of a Config API job.
    JobConfigType {
        /// Checking a source.
        CheckConnectionSource = "check_connection_source",
        /// Checking a destination.
        CheckConnectionDestination = "check_connection_destination",
        /// Discovering a schema.
        DiscoverSchema = "discover_schema",
        /// Fetching a specification.
        GetSpec = "get_spec",
        /// Syncing.
        Sync = "sync",
        /// Resetting.
        ResetConnection = "reset_connection",
        /// Refreshing.
        Refresh = "refresh",
        /// Clearing.
        Clear = "clear",
    }
);

open_enum!(
    /// How logs are formatted.
    LogFormatType {
        /// Plain lines (`logLines`).
        Formatted = "formatted",
        /// Structured events (`events`).
        Structured = "structured",
    }
);

open_enum!(
    /// Where a failure came from.
    FailureOrigin {
        /// The source connector.
        Source = "source",
        /// The destination connector.
        Destination = "destination",
        /// Replication.
        Replication = "replication",
        /// Persistence.
        Persistence = "persistence",
        /// The Airbyte platform.
        AirbytePlatform = "airbyte_platform",
        /// Normalization.
        Normalization = "normalization",
        /// dbt.
        Dbt = "dbt",
        /// Not known.
        NotKnown = "unknown",
    }
);

open_enum!(
    /// The category of a failure.
    FailureType {
        /// A configuration error (fix the configuration).
        ConfigError = "config_error",
        /// A system error.
        SystemError = "system_error",
        /// Cancelled by a user.
        ManualCancellation = "manual_cancellation",
        /// A schema refresh is needed.
        RefreshSchema = "refresh_schema",
        /// A heartbeat timed out.
        HeartbeatTimeout = "heartbeat_timeout",
        /// The destination timed out.
        DestinationTimeout = "destination_timeout",
        /// A transient error.
        TransientError = "transient_error",
    }
);

/// Why a job or attempt failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FailureReason {
    /// Where the failure came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_origin: Option<FailureOrigin>,
    /// The category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_type: Option<FailureType>,
    /// The message meant for users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_message: Option<String>,
    /// The internal message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub internal_message: Option<String>,
    /// The stack trace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stacktrace: Option<String>,
    /// Whether retrying may help.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retryable: Option<bool>,
    /// When it happened (epoch milliseconds).
    #[serde(default, skip_serializing_if = "EpochMillis::is_absent")]
    pub timestamp: EpochMillis,
    /// Whether the failure came from a connector's trace message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_trace_message: Option<bool>,
    /// The stream that failed, if one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_descriptor: Option<StreamDescriptor>,
}

/// A synchronous job, such as a connection check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SynchronousJobRead {
    /// The job's ID (a UUID, unlike sync jobs).
    pub id: String,
    /// The kind of job.
    pub config_type: JobConfigType,
    /// The ID of the checked resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_id: Option<String>,
    /// When the job was created (epoch seconds).
    #[serde(default, skip_serializing_if = "EpochSeconds::is_absent")]
    pub created_at: EpochSeconds,
    /// When the job ended (epoch seconds).
    #[serde(default, skip_serializing_if = "EpochSeconds::is_absent")]
    pub ended_at: EpochSeconds,
    /// Whether the job itself ran (a failed check can still be a job that succeeded).
    pub succeeded: bool,
    /// Whether the connector updated its configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connector_configuration_updated: Option<bool>,
    /// The log format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_type: Option<LogFormatType>,
    /// The job's logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logs: Option<AttemptLogs>,
    /// Why the job failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<FailureReason>,
}

/// The answer of a connection check.
///
/// A failed check is HTTP 200 with `status: failed`. When the check job itself crashed,
/// `status` is absent, `job_info.succeeded` is false and `job_info.failure_reason` says why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckConnectionRead {
    /// The outcome, when the check ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<CheckConnectionStatus>,
    /// The connector's message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The check job.
    pub job_info: SynchronousJobRead,
}
