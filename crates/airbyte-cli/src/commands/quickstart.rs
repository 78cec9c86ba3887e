//! `quickstart`: the whole lifecycle in one command, offline on the embedded mock server when
//! no Airbyte is configured.

use std::time::Duration;

use airbyte::mock::{MockConfig, MockServer, default_world};
use airbyte::prelude::*;
use serde_json::json;

use super::jobs::JOB_COLUMNS;
use crate::cli::{GlobalArgs, OutputFormat, QuickstartArgs, WaitArgs};
use crate::error::CliResult;
use crate::output::{Out, human};
use crate::session::Session;
use crate::settings::Settings;

const STREAMS: [&str; 2] = ["users", "products"];

struct Created {
    source: Option<CloudSource>,
    destination: Option<CloudDestination>,
    connection: Option<CloudConnection>,
}

impl Created {
    /// Deletes what was created, newest first; failures are reported, not fatal.
    async fn clean_up(&self, out: &Out) {
        if let Some(connection) = &self.connection {
            let options = DeleteConnection {
                cascade_source: true,
                cascade_destination: true,
                safe_mode: true,
                delete_dependents: false,
            };
            match connection.permanently_delete(options).await {
                Ok(()) => {
                    out.note("  deleted the connection, its source and its destination");
                    return;
                }
                Err(error) => out.note(&format!("  could not delete the connection: {error}")),
            }
        }
        let leftovers: [(&str, Option<airbyte::Result<()>>); 2] = [
            (
                "source",
                match &self.source {
                    Some(source) => Some(source.permanently_delete(true).await),
                    None => None,
                },
            ),
            (
                "destination",
                match &self.destination {
                    Some(destination) => Some(destination.permanently_delete(true).await),
                    None => None,
                },
            ),
        ];
        for (what, outcome) in leftovers {
            if let Some(Err(error)) = outcome {
                out.note(&format!("  could not delete the {what}: {error}"));
            }
        }
    }
}

pub(crate) async fn run(global: &GlobalArgs, out: &Out, args: &QuickstartArgs) -> CliResult {
    let settings = Settings::resolve(global)?;
    let mut server = None;
    let workspace = if args.offline || !settings.is_configured() {
        out.note(
            "No Airbyte is configured, so the quickstart runs offline on the embedded mock server.",
        );
        out.note("(Set AIRBYTE_CLIENT_ID, AIRBYTE_CLIENT_SECRET and AIRBYTE_WORKSPACE_ID to run it against your Airbyte.)\n");
        let mock = MockServer::start(MockConfig {
            job_duration: Duration::from_millis(3_000),
            ..MockConfig::default()
        })
        .await
        .map_err(|error| crate::error::CliError::bad(error.to_string()))?;
        let workspace = CloudWorkspace::builder()
            .api_root(mock.public_api_root())
            .workspace_id(default_world::PRODUCTION_WORKSPACE_ID)
            .client_credentials(
                airbyte::mock::DEFAULT_CLIENT_ID,
                airbyte::mock::DEFAULT_CLIENT_SECRET,
            )
            .build()?;
        server = Some(mock);
        workspace
    } else {
        Session::new(&settings, global.request_timeout)?.workspace()?
    };
    let offline = server.is_some();
    let mut created = Created {
        source: None,
        destination: None,
        connection: None,
    };
    let result = lifecycle(&workspace, out, args, offline, &mut created).await;
    if result.is_err() && !args.keep {
        out.note("\nCleaning up after the failure:");
        created.clean_up(out).await;
    }
    if let Some(server) = server {
        server.shutdown().await;
    }
    result
}

async fn lifecycle(
    workspace: &CloudWorkspace,
    out: &Out,
    args: &QuickstartArgs,
    offline: bool,
    created: &mut Created,
) -> CliResult {
    out.note("1/8 Connecting");
    let info = workspace.connect().await?;
    out.note(&format!(
        "  workspace {:?} ({}){}",
        info.name,
        info.workspace_id,
        workspace
            .workspace_url()
            .map(|url| format!(" {url}"))
            .unwrap_or_default()
    ));

    out.note("2/8 Deploying a source and a destination");
    let source = workspace
        .deploy_source(
            "quickstart-source (delete-me)",
            "faker",
            json!({"count": 1000, "seed": 42}),
        )
        .random_name_suffix(true)
        .send()
        .await?;
    created.source = Some(source.clone());
    let destination = workspace
        .deploy_destination(
            "quickstart-destination (delete-me)",
            "dev-null",
            json!({"test_destination": {"test_destination_type": "SILENT"}}),
        )
        .random_name_suffix(true)
        .send()
        .await?;
    created.destination = Some(destination.clone());
    out.note(&format!(
        "  source {:?} ({})",
        source.name().await?,
        source.id()
    ));
    out.note(&format!(
        "  destination {:?} ({})",
        destination.name().await?,
        destination.id()
    ));

    out.note("3/8 Checking both");
    for (what, check) in [
        ("source", source.check().await?),
        ("destination", destination.check().await?),
    ] {
        out.note(&format!(
            "  {what}: {}",
            if check.success {
                "ok".to_owned()
            } else {
                format!("FAILED: {}", check.reason())
            }
        ));
    }

    out.note(&format!(
        "4/8 Connecting them, streams {}",
        STREAMS.join(", ")
    ));
    let connection = workspace
        .deploy_connection(&source, &destination)
        .name(format!(
            "quickstart (delete-me) {}",
            airbyte::cloud::random_suffix()
        ))
        .streams(STREAMS)
        .send()
        .await?;
    created.connection = Some(connection.clone());
    out.note(&format!(
        "  connection {} {}",
        connection.id(),
        connection.connection_url().unwrap_or_default()
    ));

    out.note("5/8 Syncing");
    let sync = connection.run_sync().wait(false).send().await?;
    let wait = WaitArgs {
        timeout: args.timeout,
        poll_interval: Duration::from_millis(if offline { 250 } else { 2_000 }),
        cancel_on_interrupt: false,
    };
    let cancel = crate::wait::Cancel {
        on_timeout: true,
        not_started_here: false,
    };
    let job = crate::wait::wait(out, &sync, &wait, cancel).await?;
    let job = sync.success_or_error(job).await?;
    out.note(&format!(
        "  {}: {} rows, {} in {}",
        job.status,
        job.rows_synced.unwrap_or(0),
        human::bytes(job.bytes_synced.unwrap_or(0)),
        job.duration
            .as_ref()
            .and_then(|d| d.to_duration())
            .map(human::duration)
            .unwrap_or_default()
    ));

    out.note("6/8 The last log lines");
    let log = sync.log_text().await?;
    let lines: Vec<&str> = log.lines().collect();
    for line in &lines[lines.len().saturating_sub(8)..] {
        out.note(&format!("  | {}", human::escape_log_line(line)));
    }

    out.note("7/8 Job history");
    let history = connection.job_history().limit(Some(5)).collect().await?;
    let mut jobs = Vec::new();
    for entry in &history {
        jobs.push(entry.job().await?);
    }
    if out.format == OutputFormat::Table {
        out.list(&jobs, JOB_COLUMNS)?;
    }

    if args.keep {
        out.note("8/8 Keeping the resources (--keep)");
    } else {
        out.note("8/8 Cleaning up");
        created.clean_up(out).await;
    }
    if out.format == OutputFormat::Json {
        out.document(&json!({
            "offline": offline,
            "workspaceId": workspace.id(),
            "sourceId": source.id(),
            "destinationId": destination.id(),
            "connectionId": connection.id(),
            "job": job,
            "history": jobs,
            "cleanedUp": !args.keep,
        }));
    }
    out.note("\nDone.");
    Ok(())
}
