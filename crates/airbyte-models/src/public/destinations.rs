//! Destinations: configured destination connectors.

use serde::{Deserialize, Serialize};

use crate::{
    ConnectorConfig, DefinitionId, DestinationId, EpochSeconds, ListResponse,
    ScopedResourceRequirements, WorkspaceId,
};

/// A destination, as returned by `GET /destinations/{destinationId}` and the other destination routes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationResponse {
    /// The destination's ID.
    pub destination_id: DestinationId,
    /// The destination's name.
    pub name: String,
    /// The connector type (`bigquery`, `dev-null`, ...); `""` for custom connectors.
    #[serde(default)]
    pub destination_type: String,
    /// The connector definition the destination runs; servers older than 2024 leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition_id: Option<DefinitionId>,
    /// The workspace the destination belongs to.
    pub workspace_id: WorkspaceId,
    /// The configuration, with secrets masked by the server as `**********`.
    #[serde(default)]
    pub configuration: ConnectorConfig,
    /// When the destination was created (epoch seconds); some servers leave it out (absent then).
    #[serde(default, skip_serializing_if = "EpochSeconds::is_absent")]
    pub created_at: EpochSeconds,
    /// Resource allocation, when set (self-managed only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_allocation: Option<ScopedResourceRequirements>,
}

/// A page of destinations (`GET /destinations`).
pub type DestinationsResponse = ListResponse<DestinationResponse>;

/// The body of `POST /destinations`.
///
/// Either `definition_id` or a `destinationType` key inside `configuration` must name the connector.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationCreateRequest {
    /// The name of the new destination.
    pub name: String,
    /// The workspace to create it in.
    pub workspace_id: WorkspaceId,
    /// The connector configuration.
    pub configuration: ConnectorConfig,
    /// The connector definition; required for custom connectors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition_id: Option<DefinitionId>,
    /// Resource allocation (self-managed only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_allocation: Option<ScopedResourceRequirements>,
}

impl DestinationCreateRequest {
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
            resource_allocation: None,
        }
    }
}

/// The body of `PATCH /destinations/{destinationId}`: absent fields stay unchanged, and `configuration`
/// is merged key by key into the stored one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationPatchRequest {
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Configuration keys to change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configuration: Option<ConnectorConfig>,
    /// Resource allocation (self-managed only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_allocation: Option<ScopedResourceRequirements>,
}

/// The body of `PUT /destinations/{destinationId}`: replaces the name and the whole configuration.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationPutRequest {
    /// The name.
    pub name: String,
    /// The complete configuration.
    pub configuration: ConnectorConfig,
    /// Resource allocation (self-managed only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_allocation: Option<ScopedResourceRequirements>,
}
