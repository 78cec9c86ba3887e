//! Creating sources and destinations through the Config API (`sources/create`,
//! `destinations/create`), the one way to create a draft whose credentials a person completes
//! later, and reading a source definition (`source_definitions/get`).

use serde::{Deserialize, Serialize};

use crate::macros::open_enum;
use crate::{
    ConnectorConfig, DefinitionId, DestinationId, EpochSeconds, ScopedResourceRequirements,
    WorkspaceId,
};

/// The body of `sources/create` (`SourceCreate`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceCreate {
    /// The workspace to create the source in.
    pub workspace_id: WorkspaceId,
    /// The name.
    pub name: String,
    /// The connector definition.
    pub source_definition_id: DefinitionId,
    /// The configuration; for a draft, without its secrets.
    pub connection_configuration: ConnectorConfig,
    /// A secret ID obtained from the OAuth flow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret_id: Option<String>,
    /// Resource allocation (self-managed only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_allocation: Option<ScopedResourceRequirements>,
    /// Creates a draft: the configuration leaves out the credentials, which a person sets
    /// later in the web app; the server refuses a draft that carries a secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_as_draft: Option<bool>,
}

/// The body of `destinations/create` (`DestinationCreate`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationCreate {
    /// The workspace to create the destination in.
    pub workspace_id: WorkspaceId,
    /// The name.
    pub name: String,
    /// The connector definition.
    pub destination_definition_id: DefinitionId,
    /// The configuration; for a draft, without its secrets.
    pub connection_configuration: ConnectorConfig,
    /// Resource allocation (self-managed only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_allocation: Option<ScopedResourceRequirements>,
    /// Creates a draft whose credentials a person sets later; the server refuses a draft that
    /// carries a secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_as_draft: Option<bool>,
}

/// A destination as the Config API describes it (`DestinationRead`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DestinationRead {
    /// The destination's ID.
    pub destination_id: DestinationId,
    /// The connector definition.
    pub destination_definition_id: DefinitionId,
    /// The workspace.
    pub workspace_id: WorkspaceId,
    /// The configuration, secrets masked.
    #[serde(default)]
    pub connection_configuration: ConnectorConfig,
    /// The name.
    pub name: String,
    /// The connector's name (`BigQuery`).
    #[serde(default)]
    pub destination_name: String,
    /// When it was created (epoch seconds).
    #[serde(default, skip_serializing_if = "EpochSeconds::is_absent")]
    pub created_at: EpochSeconds,
    /// Whether it is a draft whose credentials are still to be set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_draft: Option<bool>,
    /// Resource allocation, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_allocation: Option<ScopedResourceRequirements>,
}

/// `{"sourceDefinitionId": ...}`: the body of `source_definitions/get`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceDefinitionIdRequest {
    /// The definition.
    pub source_definition_id: DefinitionId,
}

open_enum!(
    /// What kind of system a source connector reads.
    SourceKind {
        /// An API.
        Api = "api",
        /// Files.
        File = "file",
        /// A database.
        Database = "database",
        /// A custom connector.
        Custom = "custom",
    }
);

/// A source definition as the Config API describes it (`SourceDefinitionRead`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceDefinitionRead {
    /// The definition's ID.
    pub source_definition_id: DefinitionId,
    /// The connector's name (`Postgres`).
    pub name: String,
    /// The Docker repository.
    #[serde(default)]
    pub docker_repository: String,
    /// The Docker image tag.
    #[serde(default)]
    pub docker_image_tag: String,
    /// A documentation link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_url: Option<String>,
    /// The Airbyte protocol version the connector speaks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protocol_version: Option<String>,
    /// Whether the connector is custom.
    #[serde(default)]
    pub custom: bool,
    /// What it reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_type: Option<SourceKind>,
    /// The support level (`certified`, `community`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_level: Option<String>,
    /// The release stage (`generally_available`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_stage: Option<String>,
}
