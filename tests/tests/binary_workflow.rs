//! A full workflow through the facade against the `airbyte-mock-server` binary, started as a
//! separate process.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use airbyte::prelude::*;
use airbyte_e2e::{STAGING, fast_wait};
use serde_json::json;
use tokio::io::{AsyncBufReadExt, BufReader};

/// The mock server binary: next to this test's binary, or built on demand.
fn mock_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let target_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .unwrap()
        .to_path_buf();
    let binary = target_dir.join(format!(
        "airbyte-mock-server{}",
        std::env::consts::EXE_SUFFIX
    ));
    if !binary.exists() {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let status = std::process::Command::new(cargo)
            .args([
                "build",
                "--quiet",
                "-p",
                "airbyte-mock-server",
                "--bin",
                "airbyte-mock-server",
            ])
            .status()
            .unwrap();
        assert!(status.success(), "building the mock server failed");
    }
    binary
}

#[tokio::test]
async fn a_whole_workflow_runs_against_the_mock_server_binary() {
    let mut child = tokio::process::Command::new(mock_binary())
        .args([
            "--addr",
            "127.0.0.1:0",
            "--job-duration",
            "300",
            "--seed",
            "5",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let base = first
        .strip_prefix("airbyte-mock-server listening on ")
        .unwrap();

    let workspace = CloudWorkspace::builder()
        .api_root(format!("{base}/api/public/v1"))
        .workspace_id(STAGING)
        .client_credentials("mock-client-id", "mock-client-secret")
        .build()
        .unwrap();
    workspace.connect().await.unwrap();
    let source = workspace
        .deploy_source("bin source (delete-me)", "faker", json!({"count": 5}))
        .await
        .unwrap();
    let destination = workspace
        .deploy_destination(
            "bin destination (delete-me)",
            "duckdb",
            json!({"destination_path": "/tmp/x.duckdb"}),
        )
        .await
        .unwrap();
    assert!(source.check().await.unwrap().success);
    let connection = workspace
        .deploy_connection(&source, &destination)
        .name("bin (delete-me)")
        .streams(["users", "purchases"])
        .await
        .unwrap();
    let sync = connection
        .run_sync()
        .wait_options(fast_wait())
        .await
        .unwrap();
    assert_eq!(sync.status().await.unwrap(), JobStatus::Succeeded);
    assert!(!sync.log_text().await.unwrap().is_empty());
    assert_eq!(connection.job_history().collect().await.unwrap().len(), 1);
    connection
        .permanently_delete(DeleteConnection {
            cascade_source: true,
            cascade_destination: true,
            safe_mode: true,
            delete_dependents: false,
        })
        .await
        .unwrap();
    assert!(source.info().await.unwrap_err().is_not_found());

    child.start_kill().unwrap();
    let _ = tokio::time::timeout(Duration::from_secs(10), child.wait()).await;
}
