//! `connections`.

use airbyte::prelude::*;

use super::confirm;
use crate::cli::{ConnectionsCommand, GlobalArgs};
use crate::error::CliResult;
use crate::output::{Column, Out};

pub(crate) const COLUMNS: &[Column] = &[
    ("ID", "/connectionId"),
    ("NAME", "/name"),
    ("STATUS", "/status"),
    ("SCHEDULE", "/schedule/scheduleType"),
    ("SOURCE", "/sourceId"),
    ("DESTINATION", "/destinationId"),
];

pub(crate) async fn run(
    workspace: &CloudWorkspace,
    global: &GlobalArgs,
    out: &Out,
    command: ConnectionsCommand,
) -> CliResult {
    match command {
        ConnectionsCommand::List { name } => {
            let mut list = workspace.list_connections();
            if let Some(name) = name {
                list = list.name(name);
            }
            let mut items = Vec::new();
            for connection in list.collect().await? {
                items.push(connection.details().await?);
            }
            out.list(&items, COLUMNS)
        }
        ConnectionsCommand::Get { id } => {
            out.one(&workspace.get_connection(&id)?.info().await?, COLUMNS)
        }
        ConnectionsCommand::Create {
            source,
            destination,
            name,
            streams,
            prefix,
            cron,
        } => {
            let source = workspace.get_source(&source)?;
            let destination = workspace.get_destination(&destination)?;
            let mut deploy = workspace
                .deploy_connection(&source, &destination)
                .streams(streams);
            if let Some(name) = name {
                deploy = deploy.name(name);
            }
            if let Some(prefix) = prefix {
                deploy = deploy.table_prefix(prefix);
            }
            if let Some(cron) = cron {
                deploy = deploy.schedule(Schedule::cron(&cron)?);
            }
            let connection = deploy.send().await?;
            out.one(&connection.details().await?, COLUMNS)
        }
        ConnectionsCommand::Rename { id, name } => out.one(
            &workspace.get_connection(&id)?.rename(&name).await?,
            COLUMNS,
        ),
        ConnectionsCommand::SetStreams { id, streams } => out.one(
            &workspace
                .get_connection(&id)?
                .set_selected_streams(streams)
                .await?,
            COLUMNS,
        ),
        ConnectionsCommand::SetPrefix { id, prefix } => out.one(
            &workspace
                .get_connection(&id)?
                .set_table_prefix(&prefix)
                .await?,
            COLUMNS,
        ),
        ConnectionsCommand::SetSchedule { id, cron, manual } => {
            let connection = workspace.get_connection(&id)?;
            let updated = match (cron, manual) {
                (Some(cron), _) => connection.set_schedule(&cron).await?,
                (None, _) => connection.set_manual_schedule().await?,
            };
            out.one(&updated, COLUMNS)
        }
        ConnectionsCommand::Enable { id } => out.one(
            &workspace
                .get_connection(&id)?
                .set_enabled(true, true)
                .await?,
            COLUMNS,
        ),
        ConnectionsCommand::Disable { id } => out.one(
            &workspace
                .get_connection(&id)?
                .set_enabled(false, true)
                .await?,
            COLUMNS,
        ),
        ConnectionsCommand::Delete {
            id,
            cascade,
            no_safe_mode,
        } => {
            let connection = workspace.get_connection(&id)?;
            let name = connection.name().await?;
            let what = if cascade {
                " with its source and destination"
            } else {
                ""
            };
            confirm(global, &format!("delete connection {name:?} ({id}){what}"))?;
            connection
                .permanently_delete(DeleteConnection {
                    cascade_source: cascade,
                    cascade_destination: cascade,
                    safe_mode: !no_safe_mode,
                    delete_dependents: false,
                })
                .await?;
            out.note(&format!("deleted connection {id}"));
            Ok(())
        }
    }
}
