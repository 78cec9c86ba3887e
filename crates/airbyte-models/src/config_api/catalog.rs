//! `web_backend/connections/get` and `update`: a connection's full sync catalog.
//!
//! These types keep every field they do not name in `other`, so a catalog read, edited and
//! written back loses nothing the server added after this crate was written.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::macros::open_enum;
use crate::{ConnectionId, DestinationId, EpochSeconds, JobStatus, SourceId};

/// The body of `web_backend/connections/get`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebBackendConnectionRequest {
    /// The connection.
    pub connection_id: ConnectionId,
    /// Whether to re-discover the source schema first (slow; can change the catalog).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_refreshed_catalog: Option<bool>,
}

open_enum!(
    /// A source-side sync mode.
    SyncMode {
        /// Read everything every time.
        FullRefresh = "full_refresh",
        /// Read what changed since the cursor.
        Incremental = "incremental",
    }
);

open_enum!(
    /// A destination-side sync mode.
    DestinationSyncMode {
        /// Append.
        Append = "append",
        /// Overwrite.
        Overwrite = "overwrite",
        /// Append and deduplicate.
        AppendDedup = "append_dedup",
        /// Overwrite and deduplicate.
        OverwriteDedup = "overwrite_dedup",
        /// Update.
        Update = "update",
        /// Soft delete.
        SoftDelete = "soft_delete",
    }
);

open_enum!(
    /// Where destination namespaces come from (Config API spelling: `customformat`).
    ConfigNamespaceDefinition {
        /// The source's namespace.
        Source = "source",
        /// The destination's default.
        Destination = "destination",
        /// A custom format.
        CustomFormat = "customformat",
    }
);

open_enum!(
    /// A connection's status (Config API).
    ConfigConnectionStatus {
        /// Running on schedule.
        Active = "active",
        /// Paused.
        Inactive = "inactive",
        /// Off for good.
        Deprecated = "deprecated",
        /// Temporarily disabled.
        Locked = "locked",
    }
);

/// A stream as the source describes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AirbyteStream {
    /// The name.
    pub name: String,
    /// The JSON schema of the records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json_schema: Option<Value>,
    /// The sync modes the source supports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supported_sync_modes: Option<Vec<SyncMode>>,
    /// Whether the source defines the cursor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_defined_cursor: Option<bool>,
    /// The default cursor field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_cursor_field: Option<Vec<String>>,
    /// The primary key the source defines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_defined_primary_key: Option<Vec<Vec<String>>>,
    /// The namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// Whether the stream can resume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_resumable: Option<bool>,
    /// Whether the stream carries files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_file_based: Option<bool>,
    /// Fields this crate does not name, kept for a faithful write-back.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// How a stream is synced.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AirbyteStreamConfiguration {
    /// The source-side mode.
    pub sync_mode: SyncMode,
    /// The destination-side mode.
    pub destination_sync_mode: DestinationSyncMode,
    /// The cursor field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor_field: Option<Vec<String>>,
    /// The namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The primary key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<Vec<Vec<String>>>,
    /// The destination name of the stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias_name: Option<String>,
    /// Whether the stream is synced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected: Option<bool>,
    /// Whether the server suggests syncing it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested: Option<bool>,
    /// The destination object name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_object_name: Option<String>,
    /// Whether files are included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_files: Option<bool>,
    /// Whether only some fields are synced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_selection_enabled: Option<bool>,
    /// The synced fields, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_fields: Option<Value>,
    /// The hashed fields, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hashed_fields: Option<Value>,
    /// Mappers, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mappers: Option<Vec<Value>>,
    /// The minimum generation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_generation_id: Option<i64>,
    /// The generation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation_id: Option<i64>,
    /// The sync.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_id: Option<i64>,
    /// Fields this crate does not name, kept for a faithful write-back.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// A stream with its configuration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AirbyteStreamAndConfiguration {
    /// The stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<AirbyteStream>,
    /// Its configuration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config: Option<AirbyteStreamConfiguration>,
}

/// A connection's sync catalog.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AirbyteCatalog {
    /// The streams.
    #[serde(default)]
    pub streams: Vec<AirbyteStreamAndConfiguration>,
}

/// The answer of `web_backend/connections/get` and `update`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebBackendConnectionRead {
    /// The connection.
    pub connection_id: ConnectionId,
    /// The name.
    pub name: String,
    /// The source.
    pub source_id: SourceId,
    /// The destination.
    pub destination_id: DestinationId,
    /// The catalog.
    #[serde(default)]
    pub sync_catalog: AirbyteCatalog,
    /// The status.
    pub status: ConfigConnectionStatus,
    /// Whether a sync is running.
    #[serde(default)]
    pub is_syncing: bool,
    /// The detected schema change (`no_change`, `non_breaking`, `breaking`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_change: Option<String>,
    /// Whether schema changes are notified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_schema_changes: Option<bool>,
    /// Whether schema changes are notified by email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_schema_changes_by_email: Option<bool>,
    /// What happens on non-breaking changes (`ignore`, `disable`, `propagate_columns`,
    /// `propagate_fully`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_breaking_changes_preference: Option<String>,
    /// The source, as JSON (it includes the masked configuration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Value>,
    /// The destination, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<Value>,
    /// The source connector version, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_actor_definition_version: Option<Value>,
    /// The destination connector version, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_actor_definition_version: Option<Value>,
    /// Tags, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Value>>,
    /// Whether on-demand syncs are enabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_demand_enabled: Option<bool>,
    /// Where destination namespaces come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace_definition: Option<ConfigNamespaceDefinition>,
    /// The custom namespace format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace_format: Option<String>,
    /// The table prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// The schedule type (`manual`, `basic`, `cron`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_type: Option<String>,
    /// The schedule data, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule_data: Option<Value>,
    /// The status of the latest sync job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_sync_job_status: Option<JobStatus>,
    /// When the latest sync job was created (epoch seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_sync_job_created_at: Option<EpochSeconds>,
    /// When the connection was created (epoch seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<EpochSeconds>,
    /// Fields this crate does not name.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

/// The body of `web_backend/connections/update`: absent fields stay unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebBackendConnectionUpdate {
    /// The connection.
    pub connection_id: ConnectionId,
    /// The new catalog.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_catalog: Option<AirbyteCatalog>,
    /// Whether to skip the reset a catalog change may trigger. Clients should send `true`
    /// unless a reset is explicitly wanted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skip_reset: Option<bool>,
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new prefix.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// A new status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ConfigConnectionStatus>,
    /// Other fields to send as they are.
    #[serde(flatten)]
    pub other: Map<String, Value>,
}

impl WebBackendConnectionUpdate {
    /// An update that replaces the catalog without triggering a reset.
    #[must_use]
    pub fn catalog(connection_id: ConnectionId, catalog: AirbyteCatalog) -> Self {
        Self {
            connection_id,
            sync_catalog: Some(catalog),
            skip_reset: Some(true),
            name: None,
            prefix: None,
            status: None,
            other: Map::new(),
        }
    }
}
