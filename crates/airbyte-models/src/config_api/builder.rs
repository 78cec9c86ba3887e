//! Connector Builder projects behind declarative source definitions.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{BuilderProjectId, ConnectorConfig, DefinitionId, EpochSeconds, WorkspaceId};

/// The body of `connector_builder_projects/get_for_definition_id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuilderProjectForDefinitionRequest {
    /// The declarative source definition.
    pub actor_definition_id: DefinitionId,
    /// The caller's workspace.
    pub workspace_id: WorkspaceId,
}

/// The answer of `connector_builder_projects/get_for_definition_id`. Both fields are nullable:
/// a definition published without the Builder has no project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuilderProjectForDefinitionResponse {
    /// The project, when there is one.
    #[serde(default)]
    pub builder_project_id: Option<BuilderProjectId>,
    /// The workspace that owns the project, which may differ from the caller's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<WorkspaceId>,
}

/// `{"workspaceId", "builderProjectId", "version"?}`: the body of
/// `connector_builder_projects/get_with_manifest`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuilderProjectRequest {
    /// The workspace that owns the project.
    pub workspace_id: WorkspaceId,
    /// The project.
    pub builder_project_id: BuilderProjectId,
    /// A manifest version; the draft or active one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// A Builder project's details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuilderProjectDetails {
    /// The name.
    pub name: String,
    /// The project's ID.
    pub builder_project_id: BuilderProjectId,
    /// The published definition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_definition_id: Option<DefinitionId>,
    /// The active manifest version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_declarative_manifest_version: Option<i64>,
    /// Whether there is an unpublished draft.
    #[serde(default)]
    pub has_draft: bool,
    /// When the project last changed (epoch seconds).
    #[serde(default, skip_serializing_if = "EpochSeconds::is_absent")]
    pub updated_at: EpochSeconds,
    /// Custom Python components.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub components_file_content: Option<String>,
}

/// A manifest of a Builder project.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeclarativeManifestRead {
    /// The manifest, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<Value>,
    /// Whether this is the draft.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_draft: Option<bool>,
    /// The version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    /// The description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// The answer of `connector_builder_projects/get_with_manifest`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BuilderProjectRead {
    /// The project.
    pub builder_project: BuilderProjectDetails,
    /// The manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub declarative_manifest: Option<DeclarativeManifestRead>,
    /// The testing values: a connector configuration, so it may hold secrets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub testing_values: Option<ConnectorConfig>,
}

/// The body of `connector_builder_projects/update_testing_values`; the answer is the stored
/// testing values (a [`ConnectorConfig`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTestingValuesRequest {
    /// The workspace that owns the project.
    pub workspace_id: WorkspaceId,
    /// The project.
    pub builder_project_id: BuilderProjectId,
    /// The connector specification (`documentationUrl`, `connectionSpecification`,
    /// `advancedAuth`), or `{}`.
    pub spec: Value,
    /// The testing values.
    pub testing_values: ConnectorConfig,
}
