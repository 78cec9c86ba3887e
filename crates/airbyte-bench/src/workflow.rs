//! The standard workflow of the benchmarks.

use std::time::Duration;

use airbyte::prelude::*;
use serde_json::json;

/// Deploys a source and a destination, connects them, syncs and waits, reads the logs, lists
/// everything, and deletes what it created.
///
/// # Errors
///
/// The first error.
pub(crate) async fn standard(workspace: &CloudWorkspace, poll: Duration) -> airbyte::Result<()> {
    let tag = airbyte::cloud::random_suffix();
    let source = workspace
        .deploy_source(
            format!("wf-{tag} (delete-me)"),
            "faker",
            json!({"count": 10}),
        )
        .await?;
    let destination = workspace
        .deploy_destination(format!("wf-{tag} (delete-me)"), "dev-null", json!({}))
        .await?;
    let connection = workspace
        .deploy_connection(&source, &destination)
        .name(format!("wf-{tag} (delete-me)"))
        .streams(["users"])
        .await?;
    let sync = connection
        .run_sync()
        .wait_options(WaitOptions {
            poll_interval: poll,
            max_poll_interval: poll * 4,
            timeout: Some(Duration::from_secs(120)),
            ..WaitOptions::default()
        })
        .await?;
    for attempt in sync.attempts().await? {
        let _ = attempt.log_text();
    }
    workspace.list_sources().collect().await?;
    workspace.list_destinations().collect().await?;
    workspace.list_connections().collect().await?;
    connection.job_history().collect().await?;
    connection
        .permanently_delete(DeleteConnection {
            cascade_source: true,
            cascade_destination: true,
            safe_mode: true,
            delete_dependents: false,
        })
        .await
}
