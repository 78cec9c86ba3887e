//! `sources` and `destinations`, and the streams a source offers.

use airbyte::cloud::{CloudConnector, DeployConnector, Destination, Source};
use airbyte::models::{DefinitionId, redact_json};
use airbyte::prelude::*;
use futures_util::TryStreamExt;
use serde_json::{Value, json};

use crate::cli::{ConnectorCommand, ConnectorFilters, DeleteArgs, GlobalArgs};
use crate::delete::{self, found_or_skip};
use crate::error::{CliError, CliResult};
use crate::input::{not_blank, read_object};
use crate::output::{Column, Kind, Out, col, escape, escaped, text, to_value};
use crate::plan::{Action, Change, Plan};
use crate::resolve::{self, Connector};

/// What the commands need of sources and destinations besides resolving them.
pub(crate) trait CliKind: Connector {
    const COLUMNS: &'static [Column];
    const DETAIL_COLUMNS: &'static [Column];
    fn deploy(
        workspace: &CloudWorkspace,
        name: String,
        connector_type: String,
        configuration: Value,
    ) -> DeployConnector<Self>;
}

impl CliKind for Source {
    const COLUMNS: &'static [Column] = &[
        text("ID", "/sourceId"),
        text("NAME", "/name"),
        text("TYPE", "/sourceType"),
        col("CREATED", "/createdAt", Kind::Time),
    ];
    const DETAIL_COLUMNS: &'static [Column] = &[
        text("ID", "/sourceId"),
        text("NAME", "/name"),
        text("TYPE", "/sourceType"),
        text("DEFINITION", "/definitionId"),
        text("WORKSPACE", "/workspaceId"),
        col("CREATED", "/createdAt", Kind::Time),
    ];
    fn deploy(
        workspace: &CloudWorkspace,
        name: String,
        connector_type: String,
        configuration: Value,
    ) -> DeployConnector<Self> {
        workspace.deploy_source(name, connector_type, configuration)
    }
}

impl CliKind for Destination {
    const COLUMNS: &'static [Column] = &[
        text("ID", "/destinationId"),
        text("NAME", "/name"),
        text("TYPE", "/destinationType"),
        col("CREATED", "/createdAt", Kind::Time),
    ];
    const DETAIL_COLUMNS: &'static [Column] = &[
        text("ID", "/destinationId"),
        text("NAME", "/name"),
        text("TYPE", "/destinationType"),
        text("DEFINITION", "/definitionId"),
        text("WORKSPACE", "/workspaceId"),
        col("CREATED", "/createdAt", Kind::Time),
    ];
    fn deploy(
        workspace: &CloudWorkspace,
        name: String,
        connector_type: String,
        configuration: Value,
    ) -> DeployConnector<Self> {
        workspace.deploy_destination(name, connector_type, configuration)
    }
}

const CHECK_COLUMNS: &[Column] = &[
    col("SUCCESS", "/success", Kind::Status),
    text("MESSAGE", "/message"),
    text("INTERNAL ERROR", "/internalError"),
];

const STREAM_COLUMNS: &[Column] = &[
    text("STREAM", "/streamName"),
    text("NAMESPACE", "/streamnamespace"),
    text("SYNC MODES", "/syncModes"),
    text("CURSOR", "/defaultCursorField"),
    text("PRIMARY KEY", "/sourceDefinedPrimaryKey"),
];

fn short_type<K: CliKind>(connector_type: &str) -> &str {
    let trimmed = connector_type.trim();
    trimmed.strip_prefix(K::NAME_PREFIX).unwrap_or(trimmed)
}

async fn list<K: CliKind>(
    workspace: &CloudWorkspace,
    out: &Out,
    filters: ConnectorFilters,
) -> CliResult {
    let mut list = K::all(workspace);
    if let Some(name) = filters.name {
        list = list.name(name);
    }
    if let Some(connector_type) = filters.connector_type {
        let wanted = short_type::<K>(&connector_type).to_owned();
        list = list.filter(move |item| short_type::<K>(K::type_of(item)) == wanted);
    }
    if let Some(limit) = filters.limit {
        list = list.limit(limit);
    }
    let items: Vec<K::Response> = list
        .stream()
        .and_then(|item| async move { item.details().await })
        .try_collect()
        .await?;
    out.list(&items, K::COLUMNS)
}

/// Prints an existing connector of the name when its type matches (`--if-not-exists`);
/// `false` when there is none.
async fn existing<K: CliKind>(
    workspace: &CloudWorkspace,
    out: &Out,
    name: &str,
    connector_type: Option<&str>,
    definition_id: Option<&DefinitionId>,
) -> CliResult<bool> {
    let found = K::all(workspace).name(name).collect().await?;
    let connector = match found.as_slice() {
        [] => return Ok(false),
        [one] => one.clone(),
        many => {
            return Err(CliError::bad(format!(
                "{} {}s are named \"{}\"; give another name",
                many.len(),
                K::KIND,
                escape(name)
            )));
        }
    };
    let details = connector.details().await?;
    let same = match (connector_type, definition_id) {
        (_, Some(definition)) => K::definition_of(&details) == definition.as_str(),
        (Some(wanted), None) => short_type::<K>(K::type_of(&details)) == short_type::<K>(wanted),
        (None, None) => true,
    };
    if !same {
        return Err(CliError::bad(format!(
            "a {} named \"{}\" exists ({}) with type {}, not the one asked for",
            K::KIND,
            escape(name),
            escaped(connector.id()),
            escape(K::type_of(&details))
        )));
    }
    out.note(&format!(
        "{} \"{}\" ({}) already exists; nothing was created",
        K::KIND,
        escape(name),
        escaped(connector.id())
    ));
    out.one(&details, K::DETAIL_COLUMNS)?;
    Ok(true)
}

pub(crate) async fn run<K: CliKind>(
    workspace: &CloudWorkspace,
    global: &GlobalArgs,
    out: &Out,
    command: ConnectorCommand,
) -> CliResult {
    match command {
        ConnectorCommand::List(filters) => list::<K>(workspace, out, filters).await,
        ConnectorCommand::Get { id } => {
            let connector = resolve::connector::<K>(workspace, &id).await?;
            out.one(&connector.details().await?, K::DETAIL_COLUMNS)
        }
        ConnectorCommand::Create {
            name,
            connector_type,
            definition_id,
            config,
            allow_duplicate,
            if_not_exists,
            dry_run,
        } => {
            not_blank(&format!("a {} name", K::KIND), &name)?;
            if let Some(connector_type) = &connector_type {
                not_blank(
                    &format!("a {} connector type", K::KIND),
                    short_type::<K>(connector_type),
                )?;
            }
            let configuration = read_object(&config, "configuration")?;
            let definition = definition_id
                .map(|id| {
                    crate::session::check_uuid("definition ID", &id, "--definition-id")?;
                    DefinitionId::new(id.to_ascii_lowercase())
                        .map_err(|error| CliError::bad(error.to_string()))
                })
                .transpose()?;
            if if_not_exists
                && existing::<K>(
                    workspace,
                    out,
                    &name,
                    connector_type.as_deref(),
                    definition.as_ref(),
                )
                .await?
            {
                return Ok(());
            }
            let what = match (&connector_type, &definition) {
                (_, Some(definition)) => format!("definition {definition}"),
                (Some(connector_type), None) => format!("type {connector_type}"),
                (None, None) => String::new(),
            };
            let plan = Plan::of(
                Change::new(Action::Create, K::KIND.as_str())
                    .name(name.clone())
                    .detail(what)
                    .request(json!({"configuration": redact_json(&configuration)})),
            );
            if dry_run.dry_run && !allow_duplicate {
                // What the real create checks first: a name already taken.
                if let Some(existing) = K::all(workspace).name(name.clone()).first().await? {
                    return Err(airbyte::Error::DuplicateResource {
                        kind: K::KIND,
                        name,
                        existing_id: existing.id().to_string(),
                    }
                    .into());
                }
            }
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            let mut deploy = K::deploy(
                workspace,
                name,
                connector_type.unwrap_or_else(|| "custom".to_owned()),
                configuration,
            )
            .unique(!allow_duplicate);
            if let Some(definition) = definition {
                deploy = deploy.definition_id(definition);
            }
            let created = deploy.send().await?;
            out.one(&created.details().await?, K::DETAIL_COLUMNS)
        }
        ConnectorCommand::Rename {
            id,
            name,
            allow_duplicate,
            dry_run,
        } => {
            not_blank(&format!("a {} name", K::KIND), &name)?;
            let connector = resolve::connector::<K>(workspace, &id).await?;
            let current = connector.name().await?;
            if !allow_duplicate {
                // Like a create: a name that stands for another one is refused.
                let taken = K::all(workspace).name(name.clone()).collect().await?;
                if let Some(other) = taken.iter().find(|other| other.id() != connector.id()) {
                    return Err(airbyte::Error::DuplicateResource {
                        kind: K::KIND,
                        name,
                        existing_id: other.id().to_string(),
                    }
                    .into());
                }
            }
            let plan = Plan::of(
                Change::new(Action::Update, K::KIND.as_str())
                    .id(connector.id())
                    .name(current.clone())
                    .detail(format!("name \"{current}\" -> \"{name}\"")),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            out.one(&connector.rename(&name).await?, K::DETAIL_COLUMNS)
        }
        ConnectorCommand::UpdateConfig {
            id,
            config,
            dry_run,
        } => {
            let changes = read_object(&config, "configuration")?;
            let connector = resolve::connector::<K>(workspace, &id).await?;
            let keys: Vec<&str> = changes
                .as_object()
                .map(|map| map.keys().map(String::as_str).collect())
                .unwrap_or_default();
            if keys.is_empty() {
                return Err(CliError::bad(
                    "the configuration changes no key: give the keys to change (key: value)",
                ));
            }
            let plan = Plan::of(
                Change::new(Action::Update, K::KIND.as_str())
                    .id(connector.id())
                    .name(connector.name().await?)
                    .detail(format!("configuration keys {}", keys.join(", ")))
                    .request(json!({"configuration": redact_json(&changes)})),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            out.one(&connector.update_config(changes).await?, K::DETAIL_COLUMNS)
        }
        ConnectorCommand::Check { id } => {
            let connector = resolve::connector::<K>(workspace, &id).await?;
            let result = connector.check().await?;
            let summary = json!({
                "success": result.success,
                "message": result.message,
                "internalError": result.internal_error,
            });
            out.one(&summary, CHECK_COLUMNS)?;
            if result.success {
                Ok(())
            } else {
                Err(airbyte::Error::CheckFailed {
                    kind: K::KIND,
                    id: connector.id().to_string(),
                    message: result.reason(),
                }
                .into())
            }
        }
        ConnectorCommand::Delete { id, delete } => {
            delete_one::<K>(workspace, global, out, &id, &delete).await
        }
    }
}

async fn delete_one<K: CliKind>(
    workspace: &CloudWorkspace,
    global: &GlobalArgs,
    out: &Out,
    id: &str,
    args: &DeleteArgs,
) -> CliResult {
    let found = resolve::connector::<K>(workspace, id).await;
    let Some(connector): Option<CloudConnector<K>> =
        found_or_skip(found, args, out, K::KIND.as_str(), id)?
    else {
        return Ok(());
    };
    delete::run(connector.delete(), args, global, out).await
}

/// `sources streams`: what a source offers.
pub(crate) async fn streams(
    workspace: &CloudWorkspace,
    out: &Out,
    id: &str,
    destination: Option<String>,
    refresh: bool,
) -> CliResult {
    let source = resolve::connector::<Source>(workspace, id).await?;
    let destination = match destination {
        Some(destination) => Some(
            resolve::connector::<Destination>(workspace, &destination)
                .await?
                .id()
                .clone(),
        ),
        None => None,
    };
    let streams = source
        .stream_properties(destination.as_ref(), refresh)
        .await?;
    let values: Vec<Value> = streams.iter().map(to_value).collect::<CliResult<_>>()?;
    out.list(&values, STREAM_COLUMNS)
}

/// Checks stream names against what the source offers, naming the valid ones when one is
/// unknown. When the source cannot say (discovery unsupported or failing), the server judges.
pub(crate) async fn check_streams(source: &CloudSource, names: &[String]) -> CliResult {
    let available = match source.available_streams().await {
        Ok(available) if !available.is_empty() => available,
        Ok(_) => return Ok(()),
        Err(error) => {
            tracing::debug!(%error, "could not list the source's streams; the server will check");
            return Ok(());
        }
    };
    let unknown: Vec<&String> = names
        .iter()
        .filter(|name| !available.contains(name))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    Err(CliError::bad(format!(
        "source {} has no stream{} {}; its streams are: {}",
        escaped(source.id()),
        if unknown.len() > 1 { "s" } else { "" },
        unknown
            .iter()
            .map(|name| format!("\"{}\"", escape(name)))
            .collect::<Vec<_>>()
            .join(", "),
        available
            .iter()
            .map(|name| escape(name))
            .collect::<Vec<_>>()
            .join(", ")
    )))
}
