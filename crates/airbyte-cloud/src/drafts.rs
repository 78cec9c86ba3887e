//! Drafts and checked deploys of sources and destinations.
//!
//! A draft is a source or destination created without its credentials, for a person to
//! complete later in Airbyte (the Config API's `createAsDraft`, which answers `isDraft:
//! true`). Its configuration must hold no secret: the server refuses one (422), and so does
//! this crate, before anything is sent. A checked deploy runs the connection check right after
//! the create and removes the new connector again when the check fails, so that a setup that
//! cannot connect is never left behind.

use airbyte_models::ops;
use airbyte_models::{
    ConnectorConfig, ConnectorType, DefinitionId, DestinationCreate, Secret, SourceCreate,
    WorkspaceId, is_secret_key,
};
use serde_json::Value;

use crate::connector::ConnectorKind;
use crate::{CloudConnector, CloudWorkspace, Error, ResourceKind, Result};

/// The JSON pointers of the secrets a configuration holds (non-null values under
/// secret-looking keys).
pub(crate) fn secret_pointers(value: &Value) -> Vec<String> {
    fn walk(value: &Value, pointer: &str, found: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    let here = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
                    if is_secret_key(key) && !item.is_null() && !item.is_object() {
                        found.push(here);
                    } else {
                        walk(item, &here, found);
                    }
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    walk(item, &format!("{pointer}/{index}"), found);
                }
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(value, "", &mut found);
    found
}

/// Refuses a draft configuration that holds secrets, naming each by JSON pointer only.
pub(crate) fn check_draft_configuration(
    kind: ResourceKind,
    configuration: &ConnectorConfig,
) -> Result<()> {
    let secrets = secret_pointers(configuration.as_value());
    if secrets.is_empty() {
        return Ok(());
    }
    Err(Error::invalid(format!(
        "a draft {kind} is completed by a person later and must hold no secret; leave out {}",
        secrets.join(", ")
    )))
}

/// The connector type of a kind, for the catalogue.
fn connector_type<K: ConnectorKind>() -> ConnectorType {
    match K::KIND {
        ResourceKind::Destination => ConnectorType::Destination,
        _ => ConnectorType::Source,
    }
}

/// The definition a draft runs: the one given, or the catalogue's definition of the type.
pub(crate) async fn draft_definition<K: ConnectorKind>(
    workspace: &CloudWorkspace,
    definition_id: Option<DefinitionId>,
    connector_type_name: Option<&str>,
) -> Result<DefinitionId> {
    match (definition_id, connector_type_name) {
        (Some(id), _) => Ok(id),
        (None, Some(name)) => {
            workspace
                .find_connector_definition(connector_type::<K>(), name)
                .await
        }
        (None, None) => Err(Error::invalid(format!(
            "a draft {} needs its connector type or definition ID",
            K::KIND
        ))),
    }
}

/// Creates a draft through the Config API and returns its ID.
pub(crate) async fn create_draft<K: ConnectorKind>(
    workspace: &CloudWorkspace,
    name: String,
    definition_id: DefinitionId,
    configuration: ConnectorConfig,
    secret_id: Option<Secret>,
) -> Result<K::Id> {
    let workspace_id: WorkspaceId = workspace.id().clone();
    let id = match K::KIND {
        ResourceKind::Destination => workspace
            .execute(ops::config::create_destination(&DestinationCreate {
                workspace_id,
                name,
                destination_definition_id: definition_id,
                connection_configuration: configuration,
                resource_allocation: None,
                create_as_draft: Some(true),
            }))
            .await?
            .destination_id
            .to_string(),
        _ => workspace
            .execute(ops::config::create_source(&SourceCreate {
                workspace_id,
                name,
                source_definition_id: definition_id,
                connection_configuration: configuration,
                secret_id: secret_id.map(|secret| secret.expose_secret().to_owned()),
                resource_allocation: None,
                create_as_draft: Some(true),
            }))
            .await?
            .source_id
            .to_string(),
    };
    K::parse_id(&id)
}

/// Runs the connection check of a connector just created; when it fails, deletes the
/// connector again (no connection can use it yet: the delete refuses if another caller made
/// one meanwhile) and returns [`Error::CheckFailed`].
pub(crate) async fn keep_if_it_connects<K: ConnectorKind>(
    connector: CloudConnector<K>,
) -> Result<CloudConnector<K>> {
    let result = match connector.check().await {
        Ok(result) => result,
        Err(error) => {
            remove_unchecked(&connector).await;
            return Err(error);
        }
    };
    if result.success {
        return Ok(connector);
    }
    let removed = connector.delete().safe_mode(false).send().await;
    let mut message = result.reason();
    if let Err(error) = removed {
        message.push_str(&format!(
            "; it could not be removed again and remains: {error}"
        ));
    } else {
        message.push_str("; it was removed again");
    }
    Err(Error::CheckFailed {
        kind: K::KIND,
        id: connector.id().to_string(),
        message,
    })
}

/// Removes a connector whose check could not run, logging a failure to do so.
async fn remove_unchecked<K: ConnectorKind>(connector: &CloudConnector<K>) {
    if let Err(error) = connector.delete().safe_mode(false).send().await {
        tracing::warn!(
            kind = %K::KIND,
            id = %connector.id(),
            %error,
            "the check could not run, and the new connector could not be removed again"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_found_by_pointer_wherever_they_are() {
        let configuration = json!({
            "host": "db",
            "password": "hunter2",
            "credentials": {"client_secret": "x", "client_id": "id"},
            "tunnels": [{"api_key": "k"}],
            "access_token": null,
        });
        let mut found = secret_pointers(&configuration);
        found.sort();
        assert_eq!(
            found,
            [
                "/credentials/client_secret",
                "/password",
                "/tunnels/0/api_key"
            ]
        );
        assert!(secret_pointers(&json!({"host": "db", "port": 5432})).is_empty());
    }
}
