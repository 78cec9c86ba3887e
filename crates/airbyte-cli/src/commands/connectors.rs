//! `workspaces`, `sources` and `destinations`.

use airbyte::cloud::{
    CloudConnector, ConnectorKind, DeployConnector, Destination, ListItems, Source,
};
use airbyte::models::{DestinationResponse, SourceResponse};
use airbyte::prelude::*;
use futures_util::TryStreamExt;
use serde::Serialize;

use super::{confirm, read_document};
use crate::cli::{ConnectorCommand, GlobalArgs, WorkspacesCommand};
use crate::error::CliResult;
use crate::output::{Column, Out};

/// What the commands need of sources and destinations.
pub(crate) trait CliKind: ConnectorKind<Response: Serialize> + Sized {
    const COLUMNS: &'static [Column];
    fn deploy(
        workspace: &CloudWorkspace,
        name: String,
        connector_type: String,
        configuration: serde_json::Value,
    ) -> DeployConnector<Self>;
    fn one(workspace: &CloudWorkspace, id: &str) -> airbyte::Result<CloudConnector<Self>>;
    fn all(workspace: &CloudWorkspace) -> ListItems<Self::Response, CloudConnector<Self>>;
}

impl CliKind for Source {
    const COLUMNS: &'static [Column] = &[
        ("ID", "/sourceId"),
        ("NAME", "/name"),
        ("TYPE", "/sourceType"),
        ("CREATED", "/createdAt"),
    ];
    fn deploy(
        workspace: &CloudWorkspace,
        name: String,
        connector_type: String,
        configuration: serde_json::Value,
    ) -> DeployConnector<Self> {
        workspace.deploy_source(name, connector_type, configuration)
    }
    fn one(workspace: &CloudWorkspace, id: &str) -> airbyte::Result<CloudSource> {
        workspace.get_source(id)
    }
    fn all(workspace: &CloudWorkspace) -> ListItems<SourceResponse, CloudSource> {
        workspace.list_sources()
    }
}

impl CliKind for Destination {
    const COLUMNS: &'static [Column] = &[
        ("ID", "/destinationId"),
        ("NAME", "/name"),
        ("TYPE", "/destinationType"),
        ("CREATED", "/createdAt"),
    ];
    fn deploy(
        workspace: &CloudWorkspace,
        name: String,
        connector_type: String,
        configuration: serde_json::Value,
    ) -> DeployConnector<Self> {
        workspace.deploy_destination(name, connector_type, configuration)
    }
    fn one(workspace: &CloudWorkspace, id: &str) -> airbyte::Result<CloudDestination> {
        workspace.get_destination(id)
    }
    fn all(workspace: &CloudWorkspace) -> ListItems<DestinationResponse, CloudDestination> {
        workspace.list_destinations()
    }
}

const WORKSPACE_COLUMNS: &[Column] = &[
    ("ID", "/workspaceId"),
    ("NAME", "/name"),
    ("RESIDENCY", "/dataResidency"),
];
const CHECK_COLUMNS: &[Column] = &[
    ("SUCCESS", "/success"),
    ("MESSAGE", "/message"),
    ("INTERNAL ERROR", "/internalError"),
];

pub(crate) async fn workspaces(
    workspace: &CloudWorkspace,
    out: &Out,
    command: WorkspacesCommand,
) -> CliResult {
    match command {
        WorkspacesCommand::List => {
            let all: Vec<_> = workspace.list_workspaces().try_collect().await?;
            out.list(&all, WORKSPACE_COLUMNS)
        }
        WorkspacesCommand::Get { id } => {
            let target = match id {
                Some(id) => CloudWorkspace::with_client(
                    workspace.client().clone(),
                    id.parse().map_err(|e: airbyte::models::Error| {
                        crate::error::CliError::bad(e.to_string())
                    })?,
                ),
                None => workspace.clone(),
            };
            out.one(&target.info().await?, WORKSPACE_COLUMNS)
        }
    }
}

pub(crate) async fn run<K: CliKind>(
    workspace: &CloudWorkspace,
    global: &GlobalArgs,
    out: &Out,
    command: ConnectorCommand,
) -> CliResult {
    match command {
        ConnectorCommand::List { name } => {
            let mut list = K::all(workspace);
            if let Some(name) = name {
                list = list.name(name);
            }
            let items: Vec<K::Response> = list
                .stream()
                .and_then(|item| async move { item.details().await })
                .try_collect()
                .await?;
            out.list(&items, K::COLUMNS)
        }
        ConnectorCommand::Get { id } => out.one(&K::one(workspace, &id)?.info().await?, K::COLUMNS),
        ConnectorCommand::Create {
            name,
            connector_type,
            definition_id,
            config,
            allow_duplicate,
        } => {
            let configuration = read_document(&config)?;
            let mut deploy = K::deploy(
                workspace,
                name,
                connector_type.unwrap_or_else(|| "custom".to_owned()),
                configuration,
            )
            .unique(!allow_duplicate);
            if let Some(definition) = definition_id {
                deploy = deploy.definition_id(definition.parse().map_err(
                    |e: airbyte::models::Error| crate::error::CliError::bad(e.to_string()),
                )?);
            }
            let created = deploy.send().await?;
            out.one(&created.details().await?, K::COLUMNS)
        }
        ConnectorCommand::Rename { id, name } => {
            out.one(&K::one(workspace, &id)?.rename(&name).await?, K::COLUMNS)
        }
        ConnectorCommand::UpdateConfig { id, config } => {
            let changes = read_document(&config)?;
            out.one(
                &K::one(workspace, &id)?.update_config(changes).await?,
                K::COLUMNS,
            )
        }
        ConnectorCommand::Check { id } => {
            let result = K::one(workspace, &id)?.check().await?;
            let summary = serde_json::json!({
                "success": result.success,
                "message": result.message,
                "internalError": result.internal_error,
            });
            out.one(&summary, CHECK_COLUMNS)?;
            if result.success {
                Ok(())
            } else {
                Err(airbyte::Error::CheckFailed {
                    resource_type: K::KIND,
                    id,
                    message: result.reason(),
                }
                .into())
            }
        }
        ConnectorCommand::Delete { id, no_safe_mode } => {
            let connector = K::one(workspace, &id)?;
            let name = connector.name().await?;
            confirm(global, &format!("delete {} {name:?} ({id})", K::KIND))?;
            connector.permanently_delete(!no_safe_mode).await?;
            out.note(&format!("deleted {} {id}", K::KIND));
            Ok(())
        }
    }
}
