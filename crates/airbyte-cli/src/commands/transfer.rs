//! `state` and `catalog`: export to a file, import from a file.

use std::path::Path;

use airbyte::models::{AirbyteCatalog, ConnectionState};
use airbyte::prelude::*;
use serde_json::Value;

use crate::cli::TransferCommand;
use crate::error::{CliError, CliResult};
use crate::input::read_document_file;
use crate::output::{Out, escaped, to_value};
use crate::plan::{Action, Change, Plan};
use crate::resolve;

fn write(out: &Out, value: &Value, path: Option<&Path>) -> CliResult {
    match path {
        Some(path) => {
            std::fs::write(path, out.document_text(value)).map_err(|error| {
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
    serde_json::from_value(read_document_file(path, what)?)
        .map_err(|error| CliError::bad(format!("{} is not a {what}: {error}", path.display())))
}

/// An error of an import, with what to do when the SDK refused it.
fn refused(error: airbyte::Error) -> CliError {
    let refused = matches!(error, airbyte::Error::ImportRefused { .. });
    let error = CliError::from(error);
    if refused {
        error.hint("pass --force to import it anyway")
    } else {
        error
    }
}

fn import_plan(connection: &CloudConnection, name: String, detail: String) -> Plan {
    Plan::of(
        Change::new(Action::Import, "connection")
            .id(connection.id())
            .name(name)
            .detail(detail),
    )
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
            let connection = resolve::connection(workspace, &connection).await?;
            let state = connection.dump_raw_state().await?;
            write(out, &to_value(&state)?, path.as_deref())
        }
        TransferCommand::Import {
            connection,
            file,
            force,
            dry_run,
        } => {
            let state: ConnectionState = read(&file, "connection state")?;
            let connection = resolve::connection(workspace, &connection).await?;
            let options = ImportOptions::default().force(force);
            if dry_run.dry_run {
                // The import's own checks: a dry run refuses what the import would.
                connection
                    .check_state_import(&state, &options)
                    .await
                    .map_err(refused)?;
            }
            let plan = import_plan(
                &connection,
                connection.name().await?,
                format!("a {} state from {}", state.state_type, file.display()),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            let stored = connection
                .import_raw_state_with(state, options)
                .await
                .map_err(refused)?;
            out.note(&format!(
                "imported a {} state into connection {}",
                escaped(&stored.state_type),
                escaped(connection.id())
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
            let connection = resolve::connection(workspace, &connection).await?;
            let catalog = connection.dump_raw_catalog().await?.ok_or_else(|| {
                CliError::bad(format!(
                    "connection {} has no catalog",
                    escaped(connection.id())
                ))
            })?;
            write(out, &to_value(&catalog)?, path.as_deref())
        }
        TransferCommand::Import {
            connection,
            file,
            force,
            dry_run,
        } => {
            let catalog: AirbyteCatalog = read(&file, "catalog")?;
            let streams = catalog.streams.len();
            let connection = resolve::connection(workspace, &connection).await?;
            let options = ImportOptions::default().force(force);
            if dry_run.dry_run {
                // The import's own checks: a dry run refuses what the import would.
                connection
                    .check_catalog_import(&catalog, &options)
                    .await
                    .map_err(refused)?;
            }
            let plan = import_plan(
                &connection,
                connection.name().await?,
                format!(
                    "a catalog of {streams} stream(s) from {} (no reset)",
                    file.display()
                ),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            connection
                .import_raw_catalog_with(catalog, options)
                .await
                .map_err(refused)?;
            out.note(&format!(
                "imported a catalog of {streams} stream(s) into connection {} (no reset)",
                escaped(connection.id())
            ));
            Ok(())
        }
    }
}
