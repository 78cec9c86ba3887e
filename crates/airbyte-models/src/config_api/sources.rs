//! The Config API's view of a source, as `sources/get` and `sources/create` answer it.

use serde::{Deserialize, Serialize};

use crate::{
    ConnectorConfig, DefinitionId, EpochSeconds, ScopedResourceRequirements, SourceId, WorkspaceId,
};

/// A source as the Config API describes it (`SourceRead`). Unlike the Public API's
/// `SourceResponse` of older servers, it always names the definition the source runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceRead {
    /// The definition the source runs; `None` only when a server leaves it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_definition_id: Option<DefinitionId>,
    /// The source's ID.
    pub source_id: SourceId,
    /// The workspace the source belongs to.
    pub workspace_id: WorkspaceId,
    /// The configuration, with secrets masked by the server.
    #[serde(default)]
    pub connection_configuration: ConnectorConfig,
    /// The source's name.
    #[serde(default)]
    pub name: String,
    /// The name of the connector (its definition's name).
    #[serde(default)]
    pub source_name: String,
    /// When the source was created (epoch seconds).
    #[serde(default, skip_serializing_if = "EpochSeconds::is_absent")]
    pub created_at: EpochSeconds,
    /// Whether it is a draft whose credentials are still to be set (`None` from servers that
    /// predate drafts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_draft: Option<bool>,
    /// Resource allocation, when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_allocation: Option<ScopedResourceRequirements>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_read_decodes_with_or_without_its_definition() {
        let full: SourceRead = serde_json::from_value(serde_json::json!({
            "sourceDefinitionId": "def-1", "sourceId": "s-1", "workspaceId": "w-1",
            "connectionConfiguration": {"password": "**********"}, "name": "pg",
            "sourceName": "Postgres", "createdAt": 1_714_566_600, "icon": "<svg/>",
        }))
        .unwrap();
        assert_eq!(
            full.source_definition_id.as_ref().map(DefinitionId::as_str),
            Some("def-1")
        );
        let bare: SourceRead = serde_json::from_value(serde_json::json!({
            "sourceId": "s-1", "workspaceId": "w-1",
        }))
        .unwrap();
        assert!(bare.source_definition_id.is_none());
    }
}
