//! Sources: configured source connectors.

use serde::{Deserialize, Serialize};

use crate::{
    ConnectorConfig, DefinitionId, EpochSeconds, ListResponse, ScopedResourceRequirements,
    SourceId, WorkspaceId,
};

/// A source, as returned by `GET /sources/{sourceId}` and the other source routes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceResponse {
    /// The source's ID.
    pub source_id: SourceId,
    /// The source's name.
    pub name: String,
    /// The connector type (`postgres`, `faker`, ...); `""` for custom connectors.
    #[serde(default)]
    pub source_type: String,
    /// The connector definition the source runs; servers older than 2024 leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition_id: Option<DefinitionId>,
    /// The workspace the source belongs to.
    pub workspace_id: WorkspaceId,
    /// The configuration, with secrets masked by the server as `**********`.
    #[serde(default)]
    pub configuration: ConnectorConfig,
    /// When the source was created (epoch seconds); some servers leave it out (absent then).
    #[serde(default, skip_serializing_if = "EpochSeconds::is_absent")]
    pub created_at: EpochSeconds,
    /// Resource allocation, when set (self-managed only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_allocation: Option<ScopedResourceRequirements>,
}

/// A page of sources (`GET /sources`).
pub type SourcesResponse = ListResponse<SourceResponse>;

/// The body of `POST /sources`.
///
/// Either `definition_id` or a `sourceType` key inside `configuration` must name the connector.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceCreateRequest {
    /// The name of the new source.
    pub name: String,
    /// The workspace to create it in.
    pub workspace_id: WorkspaceId,
    /// The connector configuration.
    pub configuration: ConnectorConfig,
    /// The connector definition; required for custom connectors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition_id: Option<DefinitionId>,
    /// A secret ID obtained from the OAuth flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_id: Option<String>,
    /// Resource allocation (self-managed only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_allocation: Option<ScopedResourceRequirements>,
}

impl SourceCreateRequest {
    /// A request with the required fields.
    #[must_use]
    pub fn new(
        name: impl Into<String>,
        workspace_id: WorkspaceId,
        configuration: ConnectorConfig,
    ) -> Self {
        Self {
            name: name.into(),
            workspace_id,
            configuration,
            definition_id: None,
            secret_id: None,
            resource_allocation: None,
        }
    }
}

/// The body of `PATCH /sources/{sourceId}`: absent fields stay unchanged, and `configuration`
/// is merged key by key into the stored one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourcePatchRequest {
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Move the source to another workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<WorkspaceId>,
    /// Configuration keys to change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration: Option<ConnectorConfig>,
    /// A secret ID obtained from the OAuth flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_id: Option<String>,
    /// Resource allocation (self-managed only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_allocation: Option<ScopedResourceRequirements>,
}

/// The body of `PUT /sources/{sourceId}`: replaces the name and the whole configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourcePutRequest {
    /// The name.
    pub name: String,
    /// The complete configuration.
    pub configuration: ConnectorConfig,
    /// Resource allocation (self-managed only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_allocation: Option<ScopedResourceRequirements>,
}
