//! `state` and `catalog`: export to a file, import from a file.

use std::path::Path;

use airbyte::models::{AirbyteCatalog, ConnectionState};
use airbyte::prelude::*;
use serde_json::Value;

use super::read_document_text;
use crate::cli::TransferCommand;
use crate::error::{CliError, CliResult};
use crate::output::Out;

fn write(out: &Out, value: &Value, path: Option<&Path>) -> CliResult {
    match path {
        Some(path) => {
            let text = serde_json::to_string_pretty(value)
                .map_err(|error| CliError::bad(error.to_string()))?;
            std::fs::write(path, format!("{text}\n")).map_err(|error| {
                CliError::bad(format!("cannot write {}: {error}", path.display()))
            })?;
            out.note(&format!("wrote {}", path.display()));
            Ok(())
        }
        None => {
            out.document(value);
            Ok(())
        }
    }
}

fn read<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> CliResult<T> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| CliError::bad(format!("cannot read {}: {error}", path.display())))?;
    serde_json::from_value(read_document_text(&text)?)
        .map_err(|error| CliError::bad(format!("{} is not a {what}: {error}", path.display())))
}

pub(crate) async fn state(
    workspace: &CloudWorkspace,
    out: &Out,
    command: TransferCommand,
) -> CliResult {
    match command {
        TransferCommand::Export {
            connection,
            out: path,
        } => {
            let state = workspace
                .get_connection(&connection)?
                .dump_raw_state()
                .await?;
            write(
                out,
                &serde_json::to_value(state).unwrap_or_default(),
                path.as_deref(),
            )
        }
        TransferCommand::Import { connection, file } => {
            let state: ConnectionState = read(&file, "connection state")?;
            let stored = workspace
                .get_connection(&connection)?
                .import_raw_state(state)
                .await?;
            out.note(&format!(
                "imported a {} state into connection {connection}",
                stored.state_type
            ));
            Ok(())
        }
    }
}

pub(crate) async fn catalog(
    workspace: &CloudWorkspace,
    out: &Out,
    command: TransferCommand,
) -> CliResult {
    match command {
        TransferCommand::Export {
            connection,
            out: path,
        } => {
            let catalog = workspace
                .get_connection(&connection)?
                .dump_raw_catalog()
                .await?
                .ok_or_else(|| CliError::bad(format!("connection {connection} has no catalog")))?;
            write(
                out,
                &serde_json::to_value(catalog).unwrap_or_default(),
                path.as_deref(),
            )
        }
        TransferCommand::Import { connection, file } => {
            let catalog: AirbyteCatalog = read(&file, "catalog")?;
            let streams = catalog.streams.len();
            workspace
                .get_connection(&connection)?
                .import_raw_catalog(catalog)
                .await?;
            out.note(&format!(
                "imported a catalog of {streams} stream(s) into connection {connection} (no reset)"
            ));
            Ok(())
        }
    }
}
