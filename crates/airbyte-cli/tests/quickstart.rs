//! `quickstart` and `mock`.

mod support;

use std::time::Duration;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quickstart_runs_offline_end_to_end() {
    let run = run_with_env(&["--output", "json", "quickstart"], &[]).await;
    run.code(0).says("offline").says("Done.");
    let summary = run.json();
    assert_eq!(summary["offline"], true);
    assert_eq!(summary["job"]["status"], "succeeded");
    assert_eq!(summary["cleanedUp"], true);
    assert!(!summary["history"].as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mock_command_serves_in_the_foreground() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let mut child = tokio::process::Command::new(BINARY)
        .args([
            "mock",
            "--addr",
            "127.0.0.1:0",
            "--seed",
            "1",
            "--job-duration",
            "500ms",
        ])
        .env_clear()
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
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
        .unwrap()
        .to_owned();
    let root = format!("{base}/api/public/v1");
    let run = run_with_env(
        &["--output", "json", "workspaces", "list"],
        &[
            ("AIRBYTE_API_ROOT", &root),
            ("AIRBYTE_CLIENT_ID", CLIENT_ID),
            ("AIRBYTE_CLIENT_SECRET", SECRET),
        ],
    )
    .await;
    run.code(0);
    child.start_kill().unwrap();
}
