//! `sync`, `reset` and `clear`: starting jobs and waiting for them.

mod support;

use std::time::Duration;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_is_waited_for_and_its_result_printed() {
    let server = mock().await;
    let sync = ok(
        &server,
        &[
            "sync",
            "Faker → Warehouse",
            "--poll-interval",
            "50ms",
            "--timeout",
            "30s",
        ],
    )
    .await;
    assert_eq!(sync["status"], "succeeded");
    assert_eq!(sync["connectionId"], FAKER_CONNECTION_ID);
    assert!(sync["rowsSynced"].as_i64().unwrap() > 0);
    assert!(sync["jobId"].as_i64().is_some());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_goes_to_stderr_and_the_result_to_stdout() {
    let server = mock().await;
    let run = plain(
        &server,
        &["sync", FAKER_CONNECTION_ID, "--poll-interval", "50ms"],
    )
    .await;
    run.code(0);
    assert!(
        run.stderr.contains("running") || run.stderr.contains("succeeded"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .lines()
            .any(|line| line.starts_with("STATUS") && line.contains("succeeded"))
    );
    assert!(!run.stdout.contains("job ") || run.stdout.starts_with("JOB"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_sync_exits_3_with_its_reason() {
    let server = mock().await;
    server
        .script_connection(FAKER_CONNECTION_ID, Outcome::Fail, None)
        .unwrap();
    let failed = airbyte(
        &server,
        &["sync", FAKER_CONNECTION_ID, "--poll-interval", "50ms"],
    )
    .await;
    failed.code(3).says("failed");
    assert_eq!(failed.json()["status"], "failed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_sync_is_cancelled_and_exits_4() {
    let server = mock().await;
    keep_running(&server, FAKER_CONNECTION_ID);
    let run = airbyte(
        &server,
        &[
            "sync",
            FAKER_CONNECTION_ID,
            "--poll-interval",
            "50ms",
            "--timeout",
            "1",
        ],
    )
    .await;
    run.code(4).says("cancelled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timed_out_sync_left_running_prints_the_job() {
    // B15: exit 4 with the job (ID, status) on stdout, and the commands to follow it.
    let server = mock().await;
    keep_running(&server, FAKER_CONNECTION_ID);
    let run = airbyte(
        &server,
        &[
            "sync",
            FAKER_CONNECTION_ID,
            "--poll-interval",
            "50ms",
            "--timeout",
            "1s",
            "--cancel-on-timeout",
            "false",
        ],
    )
    .await;
    run.code(4).says("keeps running").says("airbyte jobs watch");
    let job = run.json();
    assert!(job["jobId"].as_i64().is_some(), "{job}");
    assert_eq!(job["status"], "running");
    let id = job["jobId"].as_i64().unwrap().to_string();
    assert_eq!(
        ok(&server, &["jobs", "get", &id]).await["status"],
        "running"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zero_timeout_means_no_limit() {
    // B14: `--timeout 0` does not start and cancel at once.
    let server = mock_with(Duration::from_millis(700)).await;
    let run = airbyte(
        &server,
        &[
            "sync",
            FAKER_CONNECTION_ID,
            "--poll-interval",
            "50ms",
            "--timeout",
            "0",
        ],
    )
    .await;
    run.code(0);
    assert_eq!(run.json()["status"], "succeeded");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn durations_are_for_people() {
    let server = mock().await;
    airbyte(&server, &["sync", FAKER_CONNECTION_ID, "--timeout", "soon"])
        .await
        .code(2)
        .says("30s, 10m, 2h");
    ok(
        &server,
        &[
            "sync",
            FAKER_CONNECTION_ID,
            "--timeout",
            "1m 30s",
            "--poll-interval",
            "50ms",
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_interval_of_nothing_is_refused_before_anything_is_sent() {
    // `--poll-interval 0` was raised to 10 ms without a word; the SDK refuses it too.
    let server = mock().await;
    for args in [
        vec!["sync", FAKER_CONNECTION_ID, "--poll-interval", "0"],
        vec!["sync", "--all", "--poll-interval", "0s"],
        vec!["jobs", "watch", "1", "--poll-interval", "0ms"],
        vec!["jobs", "logs", "1", "--follow", "--poll-interval", "0"],
        vec!["sync", FAKER_CONNECTION_ID, "--poll-interval", "5ms"],
    ] {
        airbyte(&server, &args)
            .await
            .code(2)
            .says("--poll-interval")
            .says("at least 10ms");
    }
    assert!(server.journal().is_empty(), "nothing was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_connection_is_named() {
    // B19.
    let server = mock().await;
    let missing = "00000000-0000-4000-8000-000000000000";
    airbyte(&server, &["sync", missing])
        .await
        .code(6)
        .says(&format!("connection {missing} does not exist"));
    airbyte(&server, &["sync", "No such connection"])
        .await
        .code(6)
        .says("connection \"No such connection\" does not exist");
    airbyte(&server, &["jobs", "list", missing])
        .await
        .code(6)
        .says(&format!("connection {missing} does not exist"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_wait_returns_the_started_job() {
    let server = mock_with(Duration::from_secs(30)).await;
    let run = airbyte(&server, &["sync", FAKER_CONNECTION_ID, "--no-wait"]).await;
    run.code(0).says("airbyte jobs watch");
    let job = run.json();
    assert!(
        matches!(job["status"].as_str(), Some("pending" | "running")),
        "{job}"
    );
    // A second sync conflicts, unless it attaches (which the error suggests).
    airbyte(&server, &["sync", FAKER_CONNECTION_ID, "--no-wait"])
        .await
        .code(1)
        .says("already running")
        .says(&format!("airbyte sync {FAKER_CONNECTION_ID} --attach"));
    let attached = airbyte(
        &server,
        &["sync", FAKER_CONNECTION_ID, "--no-wait", "--attach"],
    )
    .await;
    attached.code(0);
    assert_eq!(attached.json()["jobId"], job["jobId"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_starts_nothing() {
    let server = mock().await;
    let before = ok(&server, &["jobs", "list", FAKER_CONNECTION_ID]).await;
    let preview = ok(&server, &["sync", FAKER_CONNECTION_ID, "--dry-run"]).await;
    assert_eq!(preview["changes"][0]["action"], "start");
    let after = ok(&server, &["jobs", "list", FAKER_CONNECTION_ID]).await;
    assert_eq!(before, after);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_and_clear_ask_first_and_then_run() {
    let server = mock().await;
    for command in ["reset", "clear"] {
        airbyte(&server, &[command, FAKER_CONNECTION_ID])
            .await
            .code(5)
            .says("its data in the destination is removed");
        let preview = ok(&server, &[command, FAKER_CONNECTION_ID, "--dry-run"]).await;
        assert_eq!(preview["changes"][0]["name"], command);
        let job = ok(
            &server,
            &[
                "--yes",
                command,
                FAKER_CONNECTION_ID,
                "--poll-interval",
                "50ms",
            ],
        )
        .await;
        assert_eq!(job["status"], "succeeded", "{command}");
        // The server starts a reset for both (and reports it as one).
        assert_eq!(job["jobType"], "reset", "{command}");
    }
}

/// Starts `airbyte -o json sync C` on a job that never ends, sends SIGTERM once the job
/// runs, and returns the exit code, stdout and stderr.
#[cfg(unix)]
async fn terminated_sync(server: &MockServer, extra: &[&str]) -> Run {
    keep_running(server, FAKER_CONNECTION_ID);
    let mut args = vec!["--poll-interval", "50ms"];
    args.extend_from_slice(extra);
    terminated_when(server, &args, " running ", Duration::ZERO).await
}

/// Starts `airbyte -o json sync C EXTRA`, sends SIGTERM `delay` after stderr shows `ready`,
/// and returns the exit code, stdout and stderr.
#[cfg(unix)]
async fn terminated_when(server: &MockServer, extra: &[&str], ready: &str, delay: Duration) -> Run {
    let mut args = vec!["-o", "json", "sync", FAKER_CONNECTION_ID];
    args.extend_from_slice(extra);
    terminated(server, &args, |seen| seen.contains(ready), delay).await
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_reports_the_running_job_like_ctrl_c() {
    // A CI job cancelled (SIGTERM) killed the CLI silently: no job ID, the job left running
    // with nobody told.
    let server = mock().await;
    let run = terminated_sync(&server, &[]).await;
    run.code(143)
        .says("terminated: job")
        .says("keeps running")
        .says("airbyte jobs cancel");
    let job = run.json();
    assert_eq!(job["status"], "running");
    let id = job["jobId"].to_string();
    assert_eq!(
        ok(&server, &["jobs", "get", &id]).await["status"],
        "running"
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_cancels_the_job_with_cancel_on_interrupt() {
    let server = mock().await;
    let run = terminated_sync(&server, &["--cancel-on-interrupt"]).await;
    run.code(143).says("cancelled job");
    let id = run.json()["jobId"].to_string();
    assert_eq!(
        ok(&server, &["jobs", "get", &id]).await["status"],
        "cancelled"
    );
}

/// A sync whose job ends (300 ms) long before the CLI polls it again (a minute), stopped by
/// SIGTERM after the job is over.
#[cfg(unix)]
async fn terminated_after_the_job_ended(extra: &[&str]) -> (MockServer, Run) {
    let server = mock().await;
    let mut args = vec!["--poll-interval", "1m"];
    args.extend_from_slice(extra);
    let run = terminated_when(&server, &args, "job ", Duration::from_secs(2)).await;
    (server, run)
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stop_after_the_job_ended_does_not_say_it_keeps_running() {
    // The job had succeeded; the CLI printed it as succeeded and then claimed it "keeps
    // running", with commands to follow and cancel a finished job.
    let (_server, run) = terminated_after_the_job_ended(&[]).await;
    run.code(143).says("had already succeeded");
    assert!(!run.stderr.contains("keeps running"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("airbyte jobs cancel"),
        "{}",
        run.stderr
    );
    assert_eq!(run.json()["status"], "succeeded");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_on_interrupt_after_the_job_ended_cancels_nothing() {
    // It sent the cancel anyway and reported the server's 409 as "could not cancel".
    let (server, run) = terminated_after_the_job_ended(&["--cancel-on-interrupt"]).await;
    run.code(143).says("had already succeeded");
    assert!(!run.stderr.contains("could not cancel"), "{}", run.stderr);
    assert_eq!(run.json()["status"], "succeeded");
    let cancels = server
        .journal()
        .into_iter()
        .filter(|entry| entry.method == "DELETE")
        .count();
    assert_eq!(cancels, 0, "a cancel was sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attach_while_a_reset_runs_does_not_follow_the_reset() {
    // Issue 11: attaching followed the reset and reported it as the sync (succeeded, 0 rows).
    let server = mock().await;
    let reset = running_job(&server, "reset").await;
    let run = airbyte(
        &server,
        &[
            "sync",
            FAKER_CONNECTION_ID,
            "--attach",
            "--timeout",
            "2s",
            "--poll-interval",
            "50ms",
        ],
    )
    .await;
    run.code(1)
        .says(&format!("reset (job {reset}) is running"))
        .says("the sync was not started")
        .says(&format!("airbyte jobs watch {reset}"));
    assert!(
        run.stdout.is_empty(),
        "reported as the sync: {}",
        run.stdout
    );
    still_running(&server, &reset).await;
    let newest = ok(
        &server,
        &["jobs", "list", FAKER_CONNECTION_ID, "--limit", "1"],
    )
    .await;
    assert_eq!(newest[0]["jobId"].to_string(), reset, "a sync was started");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_attached_sync_is_never_cancelled_on_timeout_unless_asked() {
    // Issue 11: `--attach --timeout 1` cancelled a sync another caller had started.
    let server = mock().await;
    let job = running_job(&server, "sync").await;
    for cancel_on_timeout in ["true", "false"] {
        let run =
            attach_timing_out(&server, "sync", &["--cancel-on-timeout", cancel_on_timeout]).await;
        run.says("keeps running")
            .says("not started by this command");
        assert_eq!(run.json()["jobId"].to_string(), job);
        still_running(&server, &job).await;
    }
}

/// `COMMAND C --attach` (confirmed) with a one-second timeout, which it reaches (exit 4).
async fn attach_timing_out(server: &MockServer, command: &str, extra: &[&str]) -> Run {
    let mut args = vec![
        "--yes",
        command,
        FAKER_CONNECTION_ID,
        "--attach",
        "--timeout",
        "1",
        "--poll-interval",
        "50ms",
    ];
    args.extend_from_slice(extra);
    let run = airbyte(server, &args).await;
    run.code(4);
    run
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_attached_cancels_an_attached_sync_on_timeout() {
    let server = mock().await;
    let job = running_job(&server, "sync").await;
    attach_timing_out(&server, "sync", &["--cancel-attached"])
        .await
        .says("it was cancelled");
    assert_eq!(
        ok(&server, &["jobs", "get", &job]).await["status"],
        "cancelled"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_attach_follows_a_running_reset_without_cancelling_it() {
    let server = mock().await;
    let reset = running_job(&server, "reset").await;
    let run = attach_timing_out(&server, "reset", &[]).await;
    run.says("keeps running").says("started elsewhere");
    assert_eq!(run.json()["jobId"].to_string(), reset);
    still_running(&server, &reset).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clear_attach_does_not_follow_a_running_sync() {
    let server = mock().await;
    let sync = running_job(&server, "sync").await;
    airbyte(
        &server,
        &[
            "--yes",
            "clear",
            FAKER_CONNECTION_ID,
            "--attach",
            "--no-wait",
        ],
    )
    .await
    .code(1)
    .says(&format!("sync (job {sync}) is running"));
    still_running(&server, &sync).await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_leaves_an_attached_sync_running_even_with_cancel_on_interrupt() {
    let server = mock().await;
    let job = running_job(&server, "sync").await;
    let run = terminated_sync(&server, &["--attach", "--cancel-on-interrupt"]).await;
    run.code(143)
        .says("keeps running")
        .says("not started by this command");
    assert_eq!(run.json()["jobId"].to_string(), job);
    still_running(&server, &job).await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_cancels_an_attached_sync_with_cancel_attached() {
    let server = mock().await;
    let job = running_job(&server, "sync").await;
    let run = terminated_sync(
        &server,
        &["--attach", "--cancel-on-interrupt", "--cancel-attached"],
    )
    .await;
    run.code(143).says("cancelled job");
    assert_eq!(
        ok(&server, &["jobs", "get", &job]).await["status"],
        "cancelled"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_cut_short_by_the_timeout_is_not_a_warning() {
    // A wait that times out during a status poll is how a timeout happens: it was logged as a
    // warning (shown by default) on every such wait.
    let server = mock().await;
    keep_running(&server, FAKER_CONNECTION_ID);
    server.set_faults(airbyte_mock_server::FaultConfig {
        latency_min_ms: 1_500,
        latency_max_ms: 1_500,
        include_token_endpoint: false,
        ..Default::default()
    });
    let run = airbyte(
        &server,
        &[
            "sync",
            FAKER_CONNECTION_ID,
            "--timeout",
            "1s",
            "--cancel-on-timeout",
            "false",
        ],
    )
    .await;
    run.code(4).says("keeps running");
    assert!(!run.stderr.contains("status poll"), "{}", run.stderr);
    assert!(!run.stderr.contains("WARN"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_of_an_inactive_connection_says_to_enable_it() {
    let server = mock().await;
    airbyte(&server, &["connections", "disable", FAKER_CONNECTION_ID])
        .await
        .code(0);
    let run = airbyte(&server, &["sync", FAKER_CONNECTION_ID, "--no-wait"]).await;
    run.code(1)
        .says("not active")
        .says(&format!("airbyte connections enable {FAKER_CONNECTION_ID}"));
    assert!(!run.stderr.contains("already running"), "{}", run.stderr);
}
