//! `jobs`: list, get, cancel, watch and logs.

mod support;

use std::time::Duration;

use support::*;

async fn finished_job(server: &MockServer) -> String {
    let sync = ok(
        server,
        &["sync", FAKER_CONNECTION_ID, "--poll-interval", "50ms"],
    )
    .await;
    sync["jobId"].as_i64().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jobs_are_listed_newest_first_with_filters() {
    let server = mock().await;
    let job = finished_job(&server).await;
    let jobs = ok(&server, &["jobs", "list", "Faker → Warehouse"]).await;
    assert_eq!(jobs[0]["jobId"].to_string(), job);
    let limited = ok(
        &server,
        &["jobs", "list", FAKER_CONNECTION_ID, "--limit", "1"],
    )
    .await;
    assert_eq!(limited.as_array().unwrap().len(), 1);
    let succeeded = ok(
        &server,
        &["jobs", "list", FAKER_CONNECTION_ID, "--status", "succeeded"],
    )
    .await;
    assert!(
        succeeded
            .as_array()
            .unwrap()
            .iter()
            .all(|job| job["status"] == "succeeded")
    );
    let resets = ok(
        &server,
        &["jobs", "list", FAKER_CONNECTION_ID, "--type", "reset"],
    )
    .await;
    assert!(
        resets
            .as_array()
            .unwrap()
            .iter()
            .all(|job| job["jobType"] == "reset")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn job_tables_show_ages_durations_and_sizes() {
    let server = mock().await;
    let table = plain(&server, &["jobs", "list", FAKER_CONNECTION_ID]).await;
    table.code(0);
    assert!(table.stdout.starts_with("JOB"), "{}", table.stdout);
    // A history job of the default world: 5 minutes, 200 KiB, an hour ago.
    let row = table.stdout.lines().nth(1).unwrap();
    assert!(row.contains("KiB") || row.contains("MiB"), "{row}");
    assert!(
        row.split_whitespace()
            .any(|cell| cell.ends_with('h') || cell.ends_with('d') || cell.ends_with('m')),
        "{row}"
    );
    assert!(
        !row.contains("PT"),
        "ISO durations are shown for people: {row}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_shows_its_attempts_and_failure_reason() {
    let server = mock().await;
    server
        .script_connection(FAKER_CONNECTION_ID, Outcome::Fail, None)
        .unwrap();
    let failed = airbyte(
        &server,
        &["sync", FAKER_CONNECTION_ID, "--poll-interval", "50ms"],
    )
    .await;
    failed.code(3);
    let id = failed.json()["jobId"].as_i64().unwrap().to_string();
    let job = ok(&server, &["jobs", "get", &id]).await;
    assert_eq!(job["status"], "failed");
    let attempts = job["attempts"].as_array().unwrap();
    assert!(!attempts.is_empty());
    assert!(attempts.last().unwrap()["failure"].is_string(), "{job}");
    let table = plain(&server, &["jobs", "get", &id]).await;
    let failure = table.line("FAILURE");
    assert!(failure.len() > "FAILURE".len() + 4, "{failure}");
    assert!(
        table
            .stdout
            .lines()
            .any(|line| line.starts_with("ATTEMPTS"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_job_has_the_not_found_code() {
    let server = mock().await;
    for args in [
        vec!["jobs", "get", "999999"],
        vec!["jobs", "logs", "999999"],
        vec!["jobs", "watch", "999999"],
        vec!["jobs", "cancel", "999999"],
    ] {
        airbyte(&server, &args)
            .await
            .code(6)
            .says("job 999999 does not exist");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_are_text_or_json() {
    // B10: `-o json` gives JSON.
    let server = mock().await;
    let job = finished_job(&server).await;
    let text = plain(&server, &["jobs", "logs", &job, "--tail", "2"]).await;
    text.code(0);
    assert_eq!(text.stdout.lines().count(), 2);
    assert!(text.stdout.contains("succeeded"));
    let json = ok(&server, &["jobs", "logs", &job, "--tail", "2"]).await;
    assert_eq!(json["jobId"].to_string(), job);
    assert_eq!(json["attempt"], 1);
    assert_eq!(json["lines"].as_array().unwrap().len(), 2);
    let yaml = plain(&server, &["-o", "yaml", "jobs", "logs", &job]).await;
    yaml.code(0);
    yaml.prints("lines:");
    airbyte(&server, &["jobs", "logs", &job, "--attempt", "7"])
        .await
        .code(2)
        .says("1 attempt");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_follow_a_running_job_to_its_end() {
    let server = mock_with(Duration::from_millis(1_500)).await;
    let started = ok(&server, &["sync", FAKER_CONNECTION_ID, "--no-wait"]).await;
    let id = started["jobId"].as_i64().unwrap().to_string();
    let run = plain(
        &server,
        &["jobs", "logs", &id, "--follow", "--poll-interval", "100ms"],
    )
    .await;
    run.code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.len() > 3, "{}", run.stdout);
    // Every line once, in order, up to the end of the job.
    let unique: std::collections::HashSet<&&str> = lines.iter().collect();
    assert_eq!(unique.len(), lines.len(), "no line repeats: {}", run.stdout);
    assert!(
        lines.last().unwrap().contains("succeeded"),
        "{}",
        run.stdout
    );
    let all = ok(&server, &["jobs", "logs", &id]).await;
    assert_eq!(all["lines"].as_array().unwrap().len(), lines.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_follow_stops_when_nobody_reads_any_more() {
    // `airbyte jobs logs J -f | head -1` kept polling (for up to two days) after `head` left.
    let server = mock().await;
    server
        .script_connection(
            FAKER_CONNECTION_ID,
            Outcome::Succeed,
            Some(Duration::from_secs(40)),
        )
        .unwrap();
    let started = ok(&server, &["sync", FAKER_CONNECTION_ID, "--no-wait"]).await;
    let id = started["jobId"].as_i64().unwrap().to_string();
    let (output, code) = into_head(
        &server,
        &format!("jobs logs {id} -f --poll-interval 50ms"),
        false,
    )
    .await;
    assert_eq!(output.lines().count(), 1);
    assert_eq!(code, 0);
    let job = ok(&server, &["jobs", "get", &id]).await;
    assert_eq!(job["status"], "running", "stopped before the job ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_follow_as_json_lines() {
    let server = mock_with(Duration::from_millis(800)).await;
    let started = ok(&server, &["sync", FAKER_CONNECTION_ID, "--no-wait"]).await;
    let id = started["jobId"].as_i64().unwrap().to_string();
    let run = airbyte(
        &server,
        &["jobs", "logs", &id, "-f", "--poll-interval", "100ms"],
    )
    .await;
    run.code(0);
    for line in run.stdout.lines() {
        let event: Value = serde_json::from_str(line).unwrap();
        assert_eq!(event["jobId"].to_string(), id);
        assert!(event["line"].is_string());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_follows_a_job_and_exits_by_its_status() {
    let server = mock_with(Duration::from_millis(800)).await;
    let started = ok(&server, &["sync", FAKER_CONNECTION_ID, "--no-wait"]).await;
    let id = started["jobId"].as_i64().unwrap().to_string();
    let watched = ok(&server, &["jobs", "watch", &id, "--poll-interval", "50ms"]).await;
    assert_eq!(watched["status"], "succeeded");
    // A finished job is shown at once.
    assert_eq!(
        ok(&server, &["jobs", "watch", &id]).await["status"],
        "succeeded"
    );
    server
        .script_connection(FAKER_CONNECTION_ID, Outcome::Fail, None)
        .unwrap();
    let failing = ok(&server, &["sync", FAKER_CONNECTION_ID, "--no-wait"]).await;
    let failing = failing["jobId"].as_i64().unwrap().to_string();
    airbyte(
        &server,
        &["jobs", "watch", &failing, "--poll-interval", "50ms"],
    )
    .await
    .code(3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_times_out_without_cancelling_by_default() {
    let server = mock().await;
    let id = running_job(&server, "sync").await;
    watch_timing_out(&server, &id, &[])
        .await
        .says("keeps running");
    still_running(&server, &id).await;
}

/// `jobs watch ID` with a short timeout, which it reaches (exit 4).
async fn watch_timing_out(server: &MockServer, id: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "jobs",
        "watch",
        id,
        "--timeout",
        "500ms",
        "--poll-interval",
        "50ms",
    ];
    args.extend_from_slice(extra);
    let run = airbyte(server, &args).await;
    run.code(4);
    run
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_stops_a_running_job_and_refuses_a_finished_one() {
    let server = mock().await;
    let id = running_job(&server, "sync").await;
    let preview = ok(&server, &["jobs", "cancel", &id, "--dry-run"]).await;
    assert_eq!(preview["changes"][0]["action"], "cancel");
    let status = ok(&server, &["jobs", "get", &id]).await["status"].clone();
    assert!(
        status == "pending" || status == "running",
        "the dry run cancelled nothing: {status}"
    );
    assert_eq!(
        ok(&server, &["jobs", "cancel", &id]).await["status"],
        "cancelled"
    );
    airbyte(&server, &["jobs", "cancel", &id])
        .await
        .code(2)
        .says("already cancelled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_cancel_of_a_finished_job_says_there_is_nothing_to_cancel() {
    // It said it would cancel the job; the real command then refused.
    let server = mock().await;
    let job = finished_job(&server).await;
    refused_alike(
        &server,
        &["jobs", "cancel", &job],
        2,
        "there is nothing to cancel",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_of_another_workspace_is_refused() {
    // Issue 11: job commands read and changed jobs whatever their workspace.
    let server = mock().await;
    let id = running_job(&server, "sync").await;
    for args in [
        vec!["jobs", "get", id.as_str()],
        vec!["jobs", "cancel", id.as_str()],
        vec!["jobs", "cancel", id.as_str(), "--dry-run"],
        vec![
            "jobs",
            "watch",
            id.as_str(),
            "--timeout",
            "1",
            "--cancel-on-timeout",
            "true",
        ],
        vec!["jobs", "logs", id.as_str()],
        vec!["jobs", "logs", id.as_str(), "--follow"],
    ] {
        let mut full = vec!["--workspace-id", STAGING_WORKSPACE_ID];
        full.extend(&args);
        let run = airbyte(&server, &full).await;
        run.code(2).says("belongs to workspace");
        assert!(run.stdout.is_empty(), "{args:?} printed {}", run.stdout);
    }
    still_running(&server, &id).await;
}

/// The connection "Staging faker → DuckDB" of the Staging workspace.
const STAGING_CONNECTION_ID: &str = "4c5d6e7f-8091-4a23-b4c5-d6e7f8091a03";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staging_job_is_refused_from_production() {
    // A job of the Staging workspace was shown to `--workspace-id <Production> jobs get`.
    let server = mock().await;
    keep_running(&server, STAGING_CONNECTION_ID);
    let staging = ["--workspace-id", STAGING_WORKSPACE_ID];
    let enable = [
        &staging[..],
        &["connections", "enable", STAGING_CONNECTION_ID],
    ]
    .concat();
    airbyte(&server, &enable).await.code(0);
    let started = ok(
        &server,
        &[
            "--workspace-id",
            STAGING_WORKSPACE_ID,
            "sync",
            STAGING_CONNECTION_ID,
            "--no-wait",
        ],
    )
    .await;
    let id = started["jobId"].as_i64().unwrap().to_string();
    for args in [
        vec!["jobs", "get", id.as_str()],
        vec!["jobs", "cancel", id.as_str()],
        vec!["jobs", "cancel", id.as_str(), "--dry-run"],
        vec!["jobs", "watch", id.as_str(), "--timeout", "1"],
        vec!["jobs", "logs", id.as_str()],
        vec!["jobs", "logs", id.as_str(), "--follow"],
    ] {
        let mut full = vec!["--workspace-id", PRODUCTION_WORKSPACE_ID];
        full.extend(&args);
        let run = airbyte(&server, &full).await;
        run.code(2).says(&format!(
            "job {id} belongs to workspace {STAGING_WORKSPACE_ID}"
        ));
        assert!(run.stdout.is_empty(), "{args:?} printed {}", run.stdout);
    }
    let job = ok(
        &server,
        &["--workspace-id", STAGING_WORKSPACE_ID, "jobs", "get", &id],
    )
    .await;
    assert_eq!(job["status"], "running", "{job}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_cancels_on_timeout_when_asked() {
    // `jobs watch --cancel-on-timeout true` left the job running: the job was not started by
    // the command, and the flag did not count as asking.
    let server = mock().await;
    let id = running_job(&server, "sync").await;
    watch_timing_out(&server, &id, &["--cancel-on-timeout", "true"])
        .await
        .says("it was cancelled");
    assert_eq!(
        ok(&server, &["jobs", "get", &id]).await["status"],
        "cancelled"
    );
}

/// The log lines of every job's attempt, as a hostile server (or a connector that writes
/// terminal controls into its log) might send them.
const HOSTILE_LOG: [&str; 3] = [
    "title \u{1b}]0;pwned\u{7} set",
    "screen \u{1b}[2J cleared",
    "bell\u{7} c1\u{9b}31m tab\tkept",
];

/// A mock server whose Config API answers every job's details with [`HOSTILE_LOG`] (the jobs
/// themselves run as usual).
async fn mock_with_hostile_logs() -> (MockServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let interactions = json!({"interactions": [{
        "request": {"method": "POST", "path": "/api/v1/jobs/get"},
        "response": {"status": 200, "body": {
            "job": {"id": 1, "configType": "sync", "configId": FAKER_CONNECTION_ID,
                    "createdAt": 1_714_566_600, "updatedAt": 1_714_566_660, "status": "succeeded"},
            "attempts": [{
                "attempt": {"id": 0, "status": "succeeded", "createdAt": 1_714_566_600,
                            "updatedAt": 1_714_566_660, "endedAt": 1_714_566_660},
                "logs": {"logLines": HOSTILE_LOG},
            }],
        }},
    }]});
    std::fs::write(dir.path().join("logs.json"), interactions.to_string()).unwrap();
    let server = MockServer::start(MockConfig {
        job_duration: Duration::from_millis(300),
        fixtures_dir: Some(dir.path().to_owned()),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    (server, dir)
}

/// Whether `text` holds no terminal control but newlines (and tabs), and shows the hostile
/// log's controls as escapes.
fn assert_defused(text: &str) {
    let controls: Vec<char> = text
        .chars()
        .filter(|c| c.is_control() && *c != '\n' && *c != '\t')
        .collect();
    assert!(controls.is_empty(), "{controls:?} in {text:?}");
    for escaped in ["\\x1b]0;pwned\\x07", "\\x1b[2J", "bell\\x07", "\\x9b31m"] {
        assert!(text.contains(escaped), "{escaped} not in {text:?}");
    }
    assert!(text.contains("tab\tkept"), "{text:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_log_lines_cannot_drive_a_terminal_even_through_a_pipe() {
    // `airbyte jobs logs J | less -R` or `| tee log.txt`: the log reaches a terminal anyway.
    let (server, _fixtures) = mock_with_hostile_logs().await;
    let job = finished_job(&server).await;
    let logs = plain(&server, &["jobs", "logs", &job]).await;
    logs.code(0);
    assert_eq!(logs.stdout.lines().count(), 3, "{:?}", logs.stdout);
    assert_defused(&logs.stdout);
    let followed = plain(&server, &["jobs", "logs", &job, "--follow"]).await;
    followed.code(0);
    assert_defused(&followed.stdout);
}
