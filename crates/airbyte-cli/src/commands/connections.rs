//! `connections`.

use std::collections::HashMap;

use airbyte::cloud::{Destination, Source};
use airbyte::models::ConnectionResponse;
use airbyte::prelude::*;
use serde_json::{Value, json};

use super::connectors::check_streams;
use crate::cli::{ConnectionStatusArg, ConnectionsCommand, DeleteArgs, DryRun, GlobalArgs};
use crate::delete::{self, found_or_skip};
use crate::error::{CliError, CliResult};
use crate::input::{names, not_blank};
use crate::output::{Column, Kind, Out, col, escape, escaped, text, to_value};
use crate::plan::{Action, Change, Plan};
use crate::resolve;

const COLUMNS: &[Column] = &[
    text("ID", "/connectionId"),
    text("NAME", "/name"),
    col("STATUS", "/status", Kind::Status),
    text("SOURCE", "/_source"),
    text("DESTINATION", "/_destination"),
    text("SCHEDULE", "/_schedule"),
    col("CREATED", "/createdAt", Kind::Time),
];

const DETAIL_COLUMNS: &[Column] = &[
    text("ID", "/connectionId"),
    text("NAME", "/name"),
    col("STATUS", "/status", Kind::Status),
    text("SOURCE", "/_source"),
    text("DESTINATION", "/_destination"),
    text("SCHEDULE", "/_schedule"),
    text("PREFIX", "/prefix"),
    text("NAMESPACE", "/namespaceDefinition"),
    text("STREAMS", "/_streams"),
    text("WORKSPACE", "/workspaceId"),
    col("CREATED", "/createdAt", Kind::Time),
];

/// The schedule as people read it: `cron 0 0 12 * * ? UTC`, `manual`, `basic Every 24 HOURS`.
fn schedule_text(connection: &ConnectionResponse) -> String {
    let schedule = &connection.schedule;
    match (&schedule.cron_expression, &schedule.basic_timing) {
        (Some(cron), _) => format!("cron {cron}"),
        (None, Some(basic)) => format!("{} {basic}", schedule.schedule_type),
        (None, None) => schedule.schedule_type.to_string(),
    }
}

/// Names of sources and destinations by ID, for tables.
struct Names {
    sources: HashMap<String, String>,
    destinations: HashMap<String, String>,
}

impl Names {
    async fn read(workspace: &CloudWorkspace) -> CliResult<Self> {
        let sources = workspace.list_sources().collect().await?;
        let destinations = workspace.list_destinations().collect().await?;
        let mut names = Self {
            sources: HashMap::new(),
            destinations: HashMap::new(),
        };
        for source in sources {
            names
                .sources
                .insert(source.id().to_string(), source.name().await?);
        }
        for destination in destinations {
            names
                .destinations
                .insert(destination.id().to_string(), destination.name().await?);
        }
        Ok(names)
    }

    fn label(map: &HashMap<String, String>, id: &str, with_id: bool) -> String {
        match (map.get(id), with_id) {
            (Some(name), true) => format!("{name} ({id})"),
            (Some(name), false) => name.clone(),
            (None, _) => id.to_owned(),
        }
    }
}

/// The API's object, with the columns people read added when showing a table.
fn view(connection: &ConnectionResponse, names: Option<&Names>, detail: bool) -> CliResult<Value> {
    let mut value = to_value(connection)?;
    let Some(names) = names else {
        return Ok(value);
    };
    if let Some(map) = value.as_object_mut() {
        let source = Names::label(&names.sources, connection.source_id.as_str(), detail);
        let destination = Names::label(
            &names.destinations,
            connection.destination_id.as_str(),
            detail,
        );
        let streams: Vec<String> = connection
            .configurations
            .streams
            .iter()
            .map(|stream| match &stream.sync_mode {
                Some(mode) => format!("{} ({mode})", stream.name),
                None => stream.name.clone(),
            })
            .collect();
        map.insert("_source".to_owned(), Value::from(source));
        map.insert("_destination".to_owned(), Value::from(destination));
        map.insert(
            "_schedule".to_owned(),
            Value::from(schedule_text(connection)),
        );
        map.insert("_streams".to_owned(), json!(streams));
    }
    Ok(value)
}

/// Prints one connection; tables show names of its source and destination, and its streams.
async fn show(workspace: &CloudWorkspace, out: &Out, connection: &ConnectionResponse) -> CliResult {
    let names = if out.is_table() {
        Some(Names::read(workspace).await?)
    } else {
        None
    };
    out.one(&view(connection, names.as_ref(), true)?, DETAIL_COLUMNS)
}

fn status_of(arg: ConnectionStatusArg) -> ConnectionStatus {
    match arg {
        ConnectionStatusArg::Active => ConnectionStatus::Active,
        ConnectionStatusArg::Inactive => ConnectionStatus::Inactive,
        ConnectionStatusArg::Deprecated => ConnectionStatus::Deprecated,
    }
}

async fn update(
    out: &Out,
    connection: &CloudConnection,
    dry_run: DryRun,
    detail: String,
) -> CliResult<bool> {
    let plan = Plan::of(
        Change::new(Action::Update, "connection")
            .id(connection.id())
            .name(connection.name().await?)
            .detail(detail),
    );
    Ok(plan.preview(dry_run, out))
}

#[allow(clippy::too_many_lines)]
pub(crate) async fn run(
    workspace: &CloudWorkspace,
    global: &GlobalArgs,
    out: &Out,
    command: ConnectionsCommand,
) -> CliResult {
    match command {
        ConnectionsCommand::List {
            name,
            status,
            source,
            destination,
            limit,
        } => {
            let mut list = workspace.list_connections();
            if let Some(name) = name {
                list = list.name(name);
            }
            let source = match source {
                Some(source) => Some(
                    resolve::connector::<Source>(workspace, &source)
                        .await?
                        .id()
                        .clone(),
                ),
                None => None,
            };
            let destination = match destination {
                Some(destination) => Some(
                    resolve::connector::<Destination>(workspace, &destination)
                        .await?
                        .id()
                        .clone(),
                ),
                None => None,
            };
            let status = status.map(status_of);
            list = list.filter(move |connection| {
                status
                    .as_ref()
                    .is_none_or(|status| &connection.status == status)
                    && source.as_ref().is_none_or(|id| &connection.source_id == id)
                    && destination
                        .as_ref()
                        .is_none_or(|id| &connection.destination_id == id)
            });
            if let Some(limit) = limit {
                list = list.limit(limit);
            }
            let mut items = Vec::new();
            for connection in list.collect().await? {
                items.push(connection.details().await?);
            }
            let names = if out.is_table() {
                Some(Names::read(workspace).await?)
            } else {
                None
            };
            let values: Vec<Value> = items
                .iter()
                .map(|item| view(item, names.as_ref(), false))
                .collect::<CliResult<_>>()?;
            out.list(&values, COLUMNS)
        }
        ConnectionsCommand::Status { failing } => {
            super::fleet::status(workspace, out, failing).await
        }
        ConnectionsCommand::Get { id } => {
            let connection = resolve::connection(workspace, &id).await?;
            show(workspace, out, &connection.details().await?).await
        }
        ConnectionsCommand::Create {
            source,
            destination,
            name,
            streams,
            prefix,
            cron,
            if_not_exists,
            dry_run,
        } => {
            if let Some(name) = &name {
                not_blank("a connection name", name)?;
            }
            let streams = names(&streams, "stream")?;
            let schedule = cron.as_deref().map(Schedule::cron).transpose()?;
            let source = resolve::connector::<Source>(workspace, &source).await?;
            let destination = resolve::connector::<Destination>(workspace, &destination).await?;
            if !streams.is_empty() {
                check_streams(&source, &streams).await?;
            }
            if if_not_exists && let Some(name) = &name {
                let found = workspace
                    .list_connections()
                    .name(name.clone())
                    .collect()
                    .await?;
                if found.len() > 1 {
                    return Err(CliError::bad(format!(
                        "{} connections are named \"{}\": {}; give another name",
                        found.len(),
                        escape(name),
                        found
                            .iter()
                            .map(|connection| escaped(connection.id()))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
                if let Some(existing) = found.first() {
                    let details = existing.details().await?;
                    if &details.source_id != source.id()
                        || &details.destination_id != destination.id()
                    {
                        return Err(CliError::bad(format!(
                            "a connection named \"{}\" exists ({}) between another source and destination",
                            escape(name),
                            escaped(existing.id())
                        )));
                    }
                    out.note(&format!(
                        "connection \"{}\" ({}) already exists; nothing was created",
                        escape(name),
                        escaped(existing.id())
                    ));
                    return show(workspace, out, &details).await;
                }
            }
            let mut detail = format!(
                "from source \"{}\" to destination \"{}\"",
                source.name().await?,
                destination.name().await?
            );
            if !streams.is_empty() {
                detail.push_str(&format!(", streams {}", streams.join(", ")));
            }
            if let Some(prefix) = &prefix {
                detail.push_str(&format!(", prefix \"{prefix}\""));
            }
            if let Some(cron) = &cron {
                detail.push_str(&format!(", cron \"{cron}\""));
            }
            let mut change = Change::new(Action::Create, "connection").detail(detail);
            if let Some(name) = &name {
                change = change.name(name.clone());
            }
            if Plan::of(change).preview(dry_run, out) {
                return Ok(());
            }
            let mut deploy = workspace
                .deploy_connection(&source, &destination)
                .streams(streams);
            if let Some(name) = name {
                deploy = deploy.name(name);
            }
            if let Some(prefix) = prefix {
                deploy = deploy.table_prefix(prefix);
            }
            if let Some(schedule) = schedule {
                deploy = deploy.schedule(schedule);
            }
            let connection = deploy.send().await?;
            show(workspace, out, &connection.details().await?).await
        }
        ConnectionsCommand::Rename { id, name, dry_run } => {
            not_blank("a connection name", &name)?;
            let connection = resolve::connection(workspace, &id).await?;
            let current = connection.name().await?;
            if update(
                out,
                &connection,
                dry_run,
                format!("name \"{current}\" -> \"{name}\""),
            )
            .await?
            {
                return Ok(());
            }
            show(workspace, out, &connection.rename(&name).await?).await
        }
        ConnectionsCommand::SetStreams {
            id,
            streams,
            dry_run,
        } => {
            let streams = names(&streams, "stream")?;
            let connection = resolve::connection(workspace, &id).await?;
            check_streams(&connection.source().await?, &streams).await?;
            let current = connection.stream_names().await?;
            let detail = format!("streams {} -> {}", current.join(", "), streams.join(", "));
            if update(out, &connection, dry_run, detail).await? {
                return Ok(());
            }
            show(
                workspace,
                out,
                &connection.set_selected_streams(streams).await?,
            )
            .await
        }
        ConnectionsCommand::SetPrefix {
            id,
            prefix,
            dry_run,
        } => {
            let connection = resolve::connection(workspace, &id).await?;
            let current = connection.details().await?.prefix.unwrap_or_default();
            if update(
                out,
                &connection,
                dry_run,
                format!("prefix \"{current}\" -> \"{prefix}\""),
            )
            .await?
            {
                return Ok(());
            }
            show(workspace, out, &connection.set_table_prefix(&prefix).await?).await
        }
        ConnectionsCommand::SetSchedule {
            id,
            cron,
            manual: _,
            dry_run,
        } => {
            let schedule = match &cron {
                Some(cron) => Schedule::cron(cron)?,
                None => Schedule::Manual,
            };
            let connection = resolve::connection(workspace, &id).await?;
            let current = schedule_text(&connection.details().await?);
            let wanted = match &cron {
                Some(cron) => format!("cron {cron}"),
                None => "manual".to_owned(),
            };
            if update(
                out,
                &connection,
                dry_run,
                format!("schedule {current} -> {wanted}"),
            )
            .await?
            {
                return Ok(());
            }
            show(
                workspace,
                out,
                &connection.set_schedule_to(&schedule).await?,
            )
            .await
        }
        ConnectionsCommand::Enable { id, dry_run } => {
            set_enabled(workspace, out, &id, true, dry_run).await
        }
        ConnectionsCommand::Disable { id, dry_run } => {
            set_enabled(workspace, out, &id, false, dry_run).await
        }
        ConnectionsCommand::Delete {
            id,
            cascade,
            delete,
        } => delete_connection(workspace, global, out, &id, cascade, &delete).await,
    }
}

async fn set_enabled(
    workspace: &CloudWorkspace,
    out: &Out,
    id: &str,
    enabled: bool,
    dry_run: DryRun,
) -> CliResult {
    let connection = resolve::connection(workspace, id).await?;
    let current = connection.details().await?.status;
    let wanted = if enabled {
        ConnectionStatus::Active
    } else {
        ConnectionStatus::Inactive
    };
    let detail = if current == wanted {
        format!("nothing: it is already {current}")
    } else {
        format!("status {current} -> {wanted}")
    };
    if update(out, &connection, dry_run, detail).await? {
        return Ok(());
    }
    show(
        workspace,
        out,
        &connection.set_enabled(enabled, true).await?,
    )
    .await
}

async fn delete_connection(
    workspace: &CloudWorkspace,
    global: &GlobalArgs,
    out: &Out,
    id: &str,
    cascade: bool,
    args: &DeleteArgs,
) -> CliResult {
    let found = resolve::connection(workspace, id).await;
    let Some(connection) = found_or_skip(found, args, out, "connection", id)? else {
        return Ok(());
    };
    let request = connection
        .delete()
        .cascade_source(cascade)
        .cascade_destination(cascade);
    delete::run(request, args, global, out).await
}
