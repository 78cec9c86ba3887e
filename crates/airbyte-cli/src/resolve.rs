//! Resources named on the command line by ID or by exact name.
//!
//! A UUID is an ID; anything else is a name, looked up among the workspace's resources. No
//! match is "not found" (exit 6); several are an error that lists them (exit 2). Resources
//! named by ID are read once, so a missing one is reported as missing before anything else
//! is sent.

use airbyte::cloud::{
    CloudConnector, ConnectorKind, CustomSourceDefinition, DefinitionKind, ListItems,
};
use airbyte::models::{DefinitionId, ops};
use airbyte::prelude::*;
use serde::Serialize;
use serde_json::Value;

use crate::cli::KindArg;
use crate::error::{CliError, CliResult, or_not_found};
use crate::output::escape;
use crate::session::uuid_of;

/// What resolving needs of sources and destinations.
pub(crate) trait Connector: ConnectorKind<Response: Serialize> + Sized {
    /// Every item of the kind.
    fn all(workspace: &CloudWorkspace) -> ListItems<Self::Response, CloudConnector<Self>>;
    /// One by ID, without a request.
    fn by_id(workspace: &CloudWorkspace, id: &str) -> airbyte::Result<CloudConnector<Self>>;
    /// The connector type (`faker`) of an item.
    fn type_of(response: &Self::Response) -> &str;
    /// The definition of an item.
    fn definition_of(response: &Self::Response) -> &str;
}

impl Connector for airbyte::cloud::Source {
    fn all(workspace: &CloudWorkspace) -> ListItems<Self::Response, CloudSource> {
        workspace.list_sources()
    }
    fn by_id(workspace: &CloudWorkspace, id: &str) -> airbyte::Result<CloudSource> {
        workspace.source(id)
    }
    fn type_of(response: &Self::Response) -> &str {
        &response.source_type
    }
    fn definition_of(response: &Self::Response) -> &str {
        response.definition_id.as_ref().map_or("", |id| id.as_str())
    }
}

impl Connector for airbyte::cloud::Destination {
    fn all(workspace: &CloudWorkspace) -> ListItems<Self::Response, CloudDestination> {
        workspace.list_destinations()
    }
    fn by_id(workspace: &CloudWorkspace, id: &str) -> airbyte::Result<CloudDestination> {
        workspace.destination(id)
    }
    fn type_of(response: &Self::Response) -> &str {
        &response.destination_type
    }
    fn definition_of(response: &Self::Response) -> &str {
        response.definition_id.as_ref().map_or("", |id| id.as_str())
    }
}

/// One match, or an error for none or several.
pub(crate) fn single<T>(
    kind: &'static str,
    name: &str,
    mut matches: Vec<(String, T)>,
) -> CliResult<T> {
    match matches.len() {
        0 => Err(CliError::not_found(kind, name)),
        1 => Ok(matches.remove(0).1),
        count => Err(CliError::bad(format!(
            "{count} {kind}s are named \"{}\": {}; give an ID",
            escape(name),
            matches
                .iter()
                .map(|(id, _)| escape(id))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

/// A source or destination by ID or exact name, read from the server.
pub(crate) async fn connector<K: Connector>(
    workspace: &CloudWorkspace,
    arg: &str,
) -> CliResult<CloudConnector<K>> {
    if let Some(id) = uuid_of(arg) {
        let connector = K::by_id(workspace, &id)?;
        or_not_found(connector.info().await, K::KIND.as_str(), &id)?;
        return Ok(connector);
    }
    let matches = K::all(workspace).name(arg).collect().await?;
    let matches = matches
        .into_iter()
        .map(|connector| (connector.id().to_string(), connector))
        .collect();
    single(K::KIND.as_str(), arg, matches)
}

/// A connection by ID or exact name, read from the server.
pub(crate) async fn connection(
    workspace: &CloudWorkspace,
    arg: &str,
) -> CliResult<CloudConnection> {
    if let Some(id) = uuid_of(arg) {
        let connection = workspace.connection(&id)?;
        or_not_found(connection.info().await, "connection", &id)?;
        return Ok(connection);
    }
    let matches = workspace.list_connections().name(arg).collect().await?;
    let matches = matches
        .into_iter()
        .map(|connection| (connection.id().to_string(), connection))
        .collect();
    single("connection", arg, matches)
}

fn kinds(kind: Option<KindArg>) -> Vec<DefinitionKind> {
    match kind {
        Some(KindArg::Yaml) => vec![DefinitionKind::Yaml],
        Some(KindArg::Docker) => vec![DefinitionKind::Docker],
        None => vec![DefinitionKind::Yaml, DefinitionKind::Docker],
    }
}

/// The name of a definition kind in output.
pub(crate) fn kind_name(kind: DefinitionKind) -> &'static str {
    match kind {
        DefinitionKind::Yaml => "yaml",
        DefinitionKind::Docker => "docker",
    }
}

/// A custom definition as the API describes it, with its kind.
#[derive(Clone, Debug)]
pub(crate) struct DefinitionRow {
    pub(crate) kind: DefinitionKind,
    pub(crate) id: String,
    pub(crate) name: String,
    /// The API's object with `kind` added (the manifest left out: it can be large).
    pub(crate) value: Value,
}

fn row(kind: DefinitionKind, response: impl Serialize) -> CliResult<DefinitionRow> {
    let mut value = crate::output::to_value(&response)?;
    if let Some(map) = value.as_object_mut() {
        map.remove("manifest");
        map.insert("kind".to_owned(), Value::from(kind_name(kind)));
    }
    let text = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    Ok(DefinitionRow {
        kind,
        id: text("id"),
        name: text("name"),
        value,
    })
}

/// Every custom definition of the kinds asked for (both by default), one request per kind.
pub(crate) async fn definitions(
    workspace: &CloudWorkspace,
    kind: Option<KindArg>,
) -> CliResult<Vec<DefinitionRow>> {
    let mut rows = Vec::new();
    for kind in kinds(kind) {
        match kind {
            DefinitionKind::Yaml => {
                let list = workspace
                    .client()
                    .execute(ops::public::declarative_source_definitions::list(
                        workspace.id(),
                    ))
                    .await?;
                for definition in list.data {
                    rows.push(row(kind, definition)?);
                }
            }
            DefinitionKind::Docker => {
                let list = workspace
                    .client()
                    .execute(ops::public::source_definitions::list(workspace.id()))
                    .await?;
                for definition in list.data {
                    rows.push(row(kind, definition)?);
                }
            }
        }
    }
    Ok(rows)
}

/// Reads one definition of a kind by ID; `None` when there is none of that kind.
pub(crate) async fn definition_row(
    workspace: &CloudWorkspace,
    id: &DefinitionId,
    kind: DefinitionKind,
) -> CliResult<Option<DefinitionRow>> {
    let client = workspace.client();
    let result = match kind {
        DefinitionKind::Yaml => client
            .execute(ops::public::declarative_source_definitions::get(
                workspace.id(),
                id,
            ))
            .await
            .map(|response| row(kind, response)),
        DefinitionKind::Docker => client
            .execute(ops::public::source_definitions::get(workspace.id(), id))
            .await
            .map(|response| row(kind, response)),
    };
    match result {
        Ok(row) => row.map(Some),
        Err(error) if error.is_not_found() => Ok(None),
        Err(error) => Err(error.into()),
    }
}

/// A custom definition by ID or exact name, of either kind unless one is given.
pub(crate) async fn definition(
    workspace: &CloudWorkspace,
    arg: &str,
    kind: Option<KindArg>,
) -> CliResult<(CustomSourceDefinition, DefinitionRow)> {
    const KIND: &str = "custom source definition";
    let found = if let Some(id) = uuid_of(arg) {
        let id = DefinitionId::new(&id).map_err(|error| CliError::bad(error.to_string()))?;
        let mut found = None;
        for kind in kinds(kind) {
            if let Some(row) = definition_row(workspace, &id, kind).await? {
                found = Some(row);
                break;
            }
        }
        found.ok_or_else(|| CliError::not_found(KIND, arg))?
    } else {
        let matches = definitions(workspace, kind)
            .await?
            .into_iter()
            .filter(|row| row.name == arg)
            .map(|row| (format!("{} ({})", row.id, kind_name(row.kind)), row))
            .collect();
        single(KIND, arg, matches)?
    };
    let definition = workspace.custom_source_definition(&found.id, found.kind)?;
    Ok((definition, found))
}
