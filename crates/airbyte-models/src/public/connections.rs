//! Connections: a source, a destination, the streams between them and a schedule.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::macros::open_enum;
use crate::{ConnectionId, DestinationId, EpochSeconds, ListResponse, SourceId, Tag, WorkspaceId};

open_enum!(
    /// Whether a connection runs.
    ConnectionStatus {
        /// Data flows on schedule.
        Active = "active",
        /// The connection is paused.
        Inactive = "inactive",
        /// The connection is off and cannot be re-activated.
        Deprecated = "deprecated",
        /// The connection is temporarily disabled (payment issues and the like).
        Locked = "locked",
    }
);

open_enum!(
    /// The kind of schedule. `basic` is read-only in the Public API: it appears in responses but
    /// cannot be written.
    ScheduleType {
        /// Syncs run only when triggered.
        Manual = "manual",
        /// Syncs run on a Quartz cron expression.
        Cron = "cron",
        /// Syncs run every N time units (legacy, read-only).
        Basic = "basic",
    }
);

open_enum!(
    /// Where the destination namespace of a stream comes from.
    NamespaceDefinition {
        /// The source's namespace.
        Source = "source",
        /// The destination's default namespace.
        Destination = "destination",
        /// A custom format (`namespaceFormat`).
        CustomFormat = "custom_format",
    }
);

open_enum!(
    /// What happens when the source schema changes in a non-breaking way.
    NonBreakingSchemaUpdatesBehavior {
        /// Ignore the change.
        Ignore = "ignore",
        /// Disable the connection.
        DisableConnection = "disable_connection",
        /// Propagate new columns.
        PropagateColumns = "propagate_columns",
        /// Propagate columns and streams.
        PropagateFully = "propagate_fully",
    }
);

open_enum!(
    /// A stream's combined source and destination sync mode.
    ConnectionSyncMode {
        /// Full refresh, overwrite.
        FullRefreshOverwrite = "full_refresh_overwrite",
        /// Full refresh, overwrite with deduplication.
        FullRefreshOverwriteDeduped = "full_refresh_overwrite_deduped",
        /// Full refresh, append.
        FullRefreshAppend = "full_refresh_append",
        /// Full refresh, update.
        FullRefreshUpdate = "full_refresh_update",
        /// Full refresh, soft delete.
        FullRefreshSoftDelete = "full_refresh_soft_delete",
        /// Incremental, append.
        IncrementalAppend = "incremental_append",
        /// Incremental, deduplicated with history.
        IncrementalDedupedHistory = "incremental_deduped_history",
        /// Incremental, update.
        IncrementalUpdate = "incremental_update",
        /// Incremental, soft delete.
        IncrementalSoftDelete = "incremental_soft_delete",
    }
);

impl ConnectionSyncMode {
    /// Whether the mode reads incrementally (and so needs a cursor).
    #[must_use]
    pub fn is_incremental(&self) -> bool {
        self.as_str().starts_with("incremental")
    }
}

open_enum!(
    /// The kind of a stream mapper.
    StreamMapperType {
        /// Hash a field.
        Hashing = "hashing",
        /// Rename a field.
        FieldRenaming = "field-renaming",
        /// Filter rows.
        RowFiltering = "row-filtering",
        /// Encrypt a field.
        Encryption = "encryption",
        /// Filter fields.
        FieldFiltering = "field-filtering",
    }
);

/// A schedule as written in create and patch requests (`manual` or `cron`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionSchedule {
    /// The kind of schedule.
    pub schedule_type: ScheduleType,
    /// The Quartz cron expression, for `cron`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cron_expression: Option<String>,
}

impl ConnectionSchedule {
    /// A manual schedule.
    #[must_use]
    pub fn manual() -> Self {
        Self {
            schedule_type: ScheduleType::Manual,
            cron_expression: None,
        }
    }

    /// A cron schedule. The expression is not validated here.
    #[must_use]
    pub fn cron(expression: impl Into<String>) -> Self {
        Self {
            schedule_type: ScheduleType::Cron,
            cron_expression: Some(expression.into()),
        }
    }
}

/// A schedule as returned in connection responses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionScheduleResponse {
    /// The kind of schedule.
    pub schedule_type: ScheduleType,
    /// The cron expression, which the server returns with ` UTC` appended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cron_expression: Option<String>,
    /// For `basic` schedules, text such as `Every 24 HOURS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basic_timing: Option<String>,
}

impl ConnectionScheduleResponse {
    /// The cron expression without the time zone the server appends (`"0 0 12 * * ? UTC"` gives
    /// `"0 0 12 * * ?"`), and the time zone itself when there was one.
    #[must_use]
    pub fn cron_expression_and_zone(&self) -> Option<(&str, Option<&str>)> {
        let expression = self.cron_expression.as_deref()?.trim();
        match expression.rsplit_once(' ') {
            Some((rest, zone)) if looks_like_time_zone(zone) => Some((rest.trim_end(), Some(zone))),
            _ => Some((expression, None)),
        }
    }
}

/// A trailing cron field is a time zone when it is not a valid cron field: it has letters but is
/// not a day or month name list, `L`, `W`, `?` or the like.
fn looks_like_time_zone(field: &str) -> bool {
    let region_style = field.contains('/')
        && field.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && field.chars().any(|c| c.is_ascii_lowercase());
    field == "UTC" || field == "GMT" || region_style
}

/// One selected field of a stream.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SelectedFieldInfo {
    /// The path of the field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_path: Option<Vec<String>>,
}

/// A mapper applied to a stream before it is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConfiguredStreamMapper {
    /// The mapper's ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The kind of mapper.
    #[serde(rename = "type")]
    pub mapper_type: StreamMapperType,
    /// The mapper's configuration (a union keyed by the kind), kept as JSON.
    #[serde(default)]
    pub mapper_configuration: Value,
}

/// The configuration of one stream of a connection.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamConfiguration {
    /// The stream's name.
    pub name: String,
    /// The stream's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The sync mode.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_mode: Option<ConnectionSyncMode>,
    /// The cursor field path, for incremental modes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor_field: Option<Vec<String>>,
    /// The primary key: a list of field paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<Vec<Vec<String>>>,
    /// Whether raw files move from source to destination.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_files: Option<bool>,
    /// The destination object name (data activation destinations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination_object_name: Option<String>,
    /// The fields to sync; all fields when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selected_fields: Option<Vec<SelectedFieldInfo>>,
    /// Mappers applied before writing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mappers: Option<Vec<ConfiguredStreamMapper>>,
}

impl StreamConfiguration {
    /// A stream with only its name set: the server picks its defaults.
    #[must_use]
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            ..Self::default()
        }
    }
}

/// The streams of a connection.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamConfigurations {
    /// The configured streams. The server sends `{}` when there is no catalog.
    #[serde(default)]
    pub streams: Vec<StreamConfiguration>,
}

/// A connection, as returned by `GET /connections/{connectionId}` and the other routes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionResponse {
    /// The connection's ID.
    pub connection_id: ConnectionId,
    /// The connection's name.
    pub name: String,
    /// The source.
    pub source_id: SourceId,
    /// The destination.
    pub destination_id: DestinationId,
    /// The workspace the connection belongs to.
    pub workspace_id: WorkspaceId,
    /// Whether the connection runs.
    pub status: ConnectionStatus,
    /// The schedule.
    pub schedule: ConnectionScheduleResponse,
    /// What happens on non-breaking schema changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_breaking_schema_updates_behavior: Option<NonBreakingSchemaUpdatesBehavior>,
    /// Where destination namespaces come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace_definition: Option<NamespaceDefinition>,
    /// The custom namespace format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace_format: Option<String>,
    /// The prefix of destination table names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// The streams.
    #[serde(default)]
    pub configurations: StreamConfigurations,
    /// When the connection was created (epoch seconds).
    #[serde(default, skip_serializing_if = "EpochSeconds::is_absent")]
    pub created_at: EpochSeconds,
    /// The connection's tags.
    #[serde(default)]
    pub tags: Vec<Tag>,
    /// Why the connection has its status (for example why it is locked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
}

/// A page of connections (`GET /connections`).
pub type ConnectionsResponse = ListResponse<ConnectionResponse>;

/// The body of `POST /connections`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionCreateRequest {
    /// The source.
    pub source_id: SourceId,
    /// The destination.
    pub destination_id: DestinationId,
    /// The name; the server derives one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The streams; without them the server enables every stream as `full_refresh_overwrite`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configurations: Option<StreamConfigurations>,
    /// The schedule; manual when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<ConnectionSchedule>,
    /// Deprecated: connections use their workspace's data residency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_residency: Option<String>,
    /// Where destination namespaces come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace_definition: Option<NamespaceDefinition>,
    /// The custom namespace format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace_format: Option<String>,
    /// The prefix of destination table names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// What happens on non-breaking schema changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_breaking_schema_updates_behavior: Option<NonBreakingSchemaUpdatesBehavior>,
    /// The initial status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ConnectionStatus>,
    /// Tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

impl ConnectionCreateRequest {
    /// A request with the required fields; everything else takes the server's defaults.
    #[must_use]
    pub fn new(source_id: SourceId, destination_id: DestinationId) -> Self {
        Self {
            source_id,
            destination_id,
            name: None,
            configurations: None,
            schedule: None,
            data_residency: None,
            namespace_definition: None,
            namespace_format: None,
            prefix: None,
            non_breaking_schema_updates_behavior: None,
            status: None,
            tags: None,
        }
    }
}

/// The body of `PATCH /connections/{connectionId}`: absent fields stay unchanged.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionPatchRequest {
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The complete new stream list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configurations: Option<StreamConfigurations>,
    /// A new schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<ConnectionSchedule>,
    /// Deprecated: connections use their workspace's data residency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_residency: Option<String>,
    /// Where destination namespaces come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace_definition: Option<NamespaceDefinition>,
    /// The custom namespace format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace_format: Option<String>,
    /// The prefix of destination table names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// What happens on non-breaking schema changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_breaking_schema_updates_behavior: Option<NonBreakingSchemaUpdatesBehavior>,
    /// A new status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ConnectionStatus>,
    /// New tags.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<Tag>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(expression: &str) -> ConnectionScheduleResponse {
        ConnectionScheduleResponse {
            schedule_type: ScheduleType::Cron,
            cron_expression: Some(expression.to_owned()),
            basic_timing: None,
        }
    }

    #[test]
    fn the_appended_time_zone_is_split_off() {
        assert_eq!(
            schedule("0 0 12 * * ? UTC").cron_expression_and_zone(),
            Some(("0 0 12 * * ?", Some("UTC")))
        );
        assert_eq!(
            schedule("0 0 12 * * ?").cron_expression_and_zone(),
            Some(("0 0 12 * * ?", None))
        );
        assert_eq!(
            schedule("0 0 12 ? * MON-FRI Europe/Paris").cron_expression_and_zone(),
            Some(("0 0 12 ? * MON-FRI", Some("Europe/Paris")))
        );
        assert_eq!(
            schedule("0 0 12 ? * MON").cron_expression_and_zone(),
            Some(("0 0 12 ? * MON", None))
        );
    }
}
