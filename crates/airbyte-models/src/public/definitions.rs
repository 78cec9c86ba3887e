//! Connector definitions: custom Docker definitions, declarative (YAML) source definitions and
//! the catalog of connector definitions.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::macros::open_enum;
use crate::{DefinitionId, ListResponse, WorkspaceId};

/// A custom Docker connector definition (source or destination).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DefinitionResponse {
    /// The definition's ID.
    pub id: DefinitionId,
    /// The name.
    pub name: String,
    /// The Docker repository (`myorg/source-foo`).
    pub docker_repository: String,
    /// The Docker image tag (`1.2.3`).
    pub docker_image_tag: String,
    /// A documentation link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_url: Option<String>,
}

/// The definitions of a workspace. The server does not paginate it, but the envelope declares
/// `next`/`previous`.
pub type DefinitionsResponse = ListResponse<DefinitionResponse>;

/// The body that creates a custom Docker definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateDefinitionRequest {
    /// The name.
    pub name: String,
    /// The Docker repository.
    pub docker_repository: String,
    /// The Docker image tag.
    pub docker_image_tag: String,
    /// A documentation link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_url: Option<String>,
}

/// The body that updates a custom Docker definition: the name and the image tag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateDefinitionRequest {
    /// The name.
    pub name: String,
    /// The Docker image tag.
    pub docker_image_tag: String,
}

/// A declarative (YAML manifest) source definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeclarativeSourceDefinitionResponse {
    /// The definition's ID.
    pub id: DefinitionId,
    /// The name.
    pub name: String,
    /// The active manifest, as JSON.
    #[serde(default)]
    pub manifest: Value,
    /// The active manifest version (1 on creation, then one more per update).
    #[serde(default)]
    pub version: i64,
}

/// The declarative source definitions of a workspace.
pub type DeclarativeSourceDefinitionsResponse = ListResponse<DeclarativeSourceDefinitionResponse>;

/// The body that creates a declarative source definition.
///
/// The spec lists `workspaceId` as required although it is a path parameter; it is modelled as
/// optional and the server ignores it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateDeclarativeSourceDefinitionRequest {
    /// The name.
    pub name: String,
    /// The manifest, as JSON; it must contain `spec.connection_specification`.
    pub manifest: Value,
    /// The workspace (redundant with the path).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<WorkspaceId>,
}

/// The body that updates a declarative source definition: a new manifest, which becomes the
/// next version and the active one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateDeclarativeSourceDefinitionRequest {
    /// The manifest, as JSON.
    pub manifest: Value,
}

open_enum!(
    /// Whether a connector is a source or a destination.
    ConnectorType {
        /// A source.
        Source = "source",
        /// A destination.
        Destination = "destination",
    }
);

/// An entry of the connector-definition catalog (`GET /connector_definitions`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectorDefinitionResponse {
    /// The definition's ID.
    pub id: DefinitionId,
    /// The name.
    pub name: String,
    /// Source or destination.
    pub connector_definition_type: ConnectorType,
    /// The version.
    #[serde(default)]
    pub version: String,
}

/// The answer of `GET /connector_definitions` (not paginated).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectorDefinitionsResponse {
    /// The definitions.
    #[serde(default)]
    pub data: Vec<ConnectorDefinitionResponse>,
}
