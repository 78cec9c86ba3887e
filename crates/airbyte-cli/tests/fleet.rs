//! `sync --all | --tag | --name` and `connections status`: many connections at once.

mod support;

use std::time::Duration;

use support::*;

/// The default world's other active connection of the Production workspace.
const ORDERS: &str = "Orders → Black hole";

fn fast() -> Vec<&'static str> {
    vec!["--poll-interval", "50ms", "--timeout", "60s"]
}

fn args<'a>(head: &[&'a str]) -> Vec<&'a str> {
    let mut all = head.to_vec();
    all.extend(fast());
    all
}

/// The results of a run (`-o json`) by connection name.
fn by_name(results: &Value) -> std::collections::BTreeMap<String, Value> {
    results
        .as_array()
        .unwrap_or_else(|| panic!("a list of results: {results}"))
        .iter()
        .map(|result| (result["name"].as_str().unwrap().to_owned(), result.clone()))
        .collect()
}

async fn connection_id(server: &MockServer, name: &str) -> String {
    ok(server, &["connections", "get", name]).await["connectionId"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_all_runs_every_active_connection_and_prints_a_summary() {
    let server = mock().await;
    let run = airbyte(&server, &args(&["sync", "--all", "--parallel", "2"])).await;
    run.code(0).says("2 connection(s): 2 succeeded, 0 failed");
    let results = by_name(&run.json());
    assert_eq!(results.len(), 2);
    for name in ["Faker → Warehouse", ORDERS] {
        let result = &results[name];
        assert_eq!(result["result"], "succeeded", "{result}");
        assert_eq!(result["status"], "succeeded");
        assert_eq!(result["startedHere"], true);
        assert!(result["jobId"].as_i64().is_some());
        assert!(result["rowsSynced"].as_i64().unwrap() > 0);
    }
    // Progress, a line per event, went to stderr.
    assert!(run.stderr.contains("started"), "{}", run.stderr);
    assert!(run.stderr.contains("succeeded"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_sync_among_many_exits_3_and_names_it_with_its_reason() {
    let server = mock().await;
    server
        .script_connection(FAKER_CONNECTION_ID, Outcome::Fail, None)
        .unwrap();
    let run = airbyte(&server, &args(&["sync", "--all"])).await;
    run.code(3).says("1 of 2 sync(s) failed").says("Faker");
    let results = by_name(&run.json());
    let failed = &results["Faker → Warehouse"];
    assert_eq!(failed["result"], "failed");
    assert!(
        failed["failure"]
            .as_str()
            .is_some_and(|reason| !reason.is_empty()),
        "the reason of the failed attempt: {failed}"
    );
    assert_eq!(results[ORDERS]["result"], "succeeded");
    // As a table: one row per connection, the failure shown.
    server
        .script_connection(FAKER_CONNECTION_ID, Outcome::Fail, None)
        .unwrap();
    let table = plain(&server, &args(&["sync", "--all"])).await;
    table.code(3);
    assert!(table.stdout.starts_with("CONNECTION"), "{}", table.stdout);
    assert!(table.line("Faker").contains("failed"), "{}", table.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tag_or_a_name_pattern_selects_the_connections() {
    let server = mock().await;
    let tagged = airbyte(&server, &args(&["sync", "--tag", "critical"])).await;
    tagged.code(0);
    assert_eq!(
        by_name(&tagged.json()).keys().collect::<Vec<_>>(),
        ["Faker → Warehouse"]
    );
    let named = airbyte(&server, &args(&["sync", "--name", "Orders*"])).await;
    named.code(0);
    assert_eq!(by_name(&named.json()).keys().collect::<Vec<_>>(), [ORDERS]);
    let none = airbyte(&server, &args(&["sync", "--name", "nothing-*"])).await;
    none.code(0)
        .says("0 connection(s)")
        .says("no connection matched --name \"nothing-*\"");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_combinations_are_refused_before_anything_is_sent() {
    let server = mock().await;
    for (bad, message) in [
        (&["sync"][..], "required"),
        (
            &["sync", FAKER_CONNECTION_ID, "--all"],
            "cannot be used with",
        ),
        (
            &["sync", "--all", "--tag", "critical"],
            "cannot be used with",
        ),
        (&["sync", "--all", "--parallel", "0"], "at least 1"),
        (&["sync", "--all", "--max-rate", "0"], "above zero"),
        (&["sync", "--all", "--max-rate", "1e-30"], "one an hour"),
        (
            &["sync", "--all", "--no-wait"],
            "--no-wait takes one connection",
        ),
        (&["sync", "--name", "[oops"], "malformed"),
        // Ignored without a word before: one connection has nothing to run in parallel.
        (&["sync", FAKER_CONNECTION_ID, "--parallel", "4"], "--all"),
        (&["sync", FAKER_CONNECTION_ID, "--max-rate", "4"], "--all"),
    ] {
        airbyte(&server, bad).await.code(2).says(message);
    }
    assert_unchanged(&server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_lists_the_syncs_and_starts_none() {
    let server = mock().await;
    let run = plain(&server, &["sync", "--all", "--dry-run"]).await;
    run.code(0);
    run.prints("dry run: nothing was changed");
    run.prints("Faker → Warehouse");
    run.prints(ORDERS);
    assert_unchanged(&server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn syncs_still_running_at_the_timeout_exit_4_and_are_cancelled() {
    let server = mock().await;
    keep_running(&server, FAKER_CONNECTION_ID);
    let run = airbyte(
        &server,
        &[
            "sync",
            "--all",
            "--poll-interval",
            "50ms",
            "--timeout",
            "1s",
        ],
    )
    .await;
    run.code(4).says("still running at the timeout");
    let results = by_name(&run.json());
    assert_eq!(results["Faker → Warehouse"]["result"], "timed out");
    let job = results["Faker → Warehouse"]["jobId"].to_string();
    assert_eq!(
        ok(&server, &["jobs", "get", &job]).await["status"],
        "cancelled"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_pipe_ends_a_fleet_sync_cleanly() {
    let server = mock_with(Duration::from_millis(800)).await;
    let (output, code) = into_head(&server, "sync --all --poll-interval 50ms", true).await;
    assert_eq!(output.lines().count(), 1);
    assert_eq!(code, 0, "every sync was watched to its end");
    let (output, code) = into_head(&server, "sync --all --poll-interval 50ms", false).await;
    assert_eq!(output.lines().count(), 1, "{output}");
    assert_eq!(code, 0);
    let jobs = ok(
        &server,
        &["jobs", "list", FAKER_CONNECTION_ID, "--limit", "1"],
    )
    .await;
    assert_eq!(jobs[0]["status"], "succeeded");
}

/// Runs `sync --all` (both connections' jobs never end, the Orders one started elsewhere
/// first), sends SIGTERM once both run, and returns the run and the two job IDs.
#[cfg(unix)]
async fn terminated_fleet(server: &MockServer, extra: &[&str]) -> (Run, String, String) {
    let orders = connection_id(server, ORDERS).await;
    keep_running(server, FAKER_CONNECTION_ID);
    keep_running(server, &orders);
    let theirs = ok(server, &["sync", &orders, "--no-wait"]).await["jobId"].to_string();
    let mut args = vec![
        "-o",
        "json",
        "sync",
        "--all",
        "--attach",
        "--poll-interval",
        "50ms",
    ];
    args.extend_from_slice(extra);
    let run = terminated(
        server,
        &args,
        |seen| {
            let begins = |word: &str| seen.lines().any(|line| line.starts_with(word));
            begins("started") && begins("following")
        },
        Duration::ZERO,
    )
    .await;
    let ours = run
        .stderr
        .lines()
        .find(|line| line.starts_with("started"))
        .and_then(|line| line.split("job ").nth(1))
        .map(|rest| rest.trim().to_owned());
    (run, ours.unwrap(), theirs)
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupt_cancels_only_the_syncs_this_command_started() {
    let server = mock().await;
    let (run, ours, theirs) = terminated_fleet(&server, &["--cancel-on-interrupt"]).await;
    run.code(143)
        .says("cancelling 1 job(s) started here")
        .says(&format!("cancelled job {ours}"))
        .says("not cancelled without --cancel-attached");
    assert_eq!(
        ok(&server, &["jobs", "get", &ours]).await["status"],
        "cancelled"
    );
    still_running(&server, &theirs).await;
    ok(&server, &["jobs", "cancel", &theirs]).await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupt_leaves_every_sync_running_and_names_them() {
    let server = mock().await;
    let (run, ours, theirs) = terminated_fleet(&server, &[]).await;
    run.code(143)
        .says("terminated: 2 job(s) keep running")
        .says(&format!("job {ours}"))
        .says(&format!("job {theirs}"))
        .says("airbyte jobs cancel");
    still_running(&server, &ours).await;
    still_running(&server, &theirs).await;
    for job in [&ours, &theirs] {
        ok(&server, &["jobs", "cancel", job]).await;
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupt_while_starts_are_unanswered_names_their_connections() {
    let server = mock().await;
    let orders = connection_id(&server, ORDERS).await;
    // Every request takes 1.5 s: the two starts are on their way when SIGTERM comes.
    server.set_faults(airbyte_mock_server::FaultConfig {
        latency_min_ms: 1_500,
        latency_max_ms: 1_500,
        include_token_endpoint: false,
        ..airbyte_mock_server::FaultConfig::default()
    });
    let run = terminated(
        &server,
        &[
            "sync",
            "--all",
            "--cancel-on-interrupt",
            "--poll-interval",
            "50ms",
        ],
        |seen| seen.contains("selected 2 connection(s)"),
        Duration::from_millis(500),
    )
    .await;
    // It said "0 job(s) keep running" and nothing of the starts in flight, whose jobs may
    // well run.
    run.code(143)
        .says("2 sync start(s) were sent but not answered")
        .says(&format!("connection {FAKER_CONNECTION_ID}"))
        .says(&format!("connection {orders}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_status_lists_failing_connections_first_with_why() {
    let server = mock().await;
    server
        .script_connection(FAKER_CONNECTION_ID, Outcome::Fail, None)
        .unwrap();
    airbyte(&server, &args(&["sync", "--all"])).await.code(3);
    let status = ok(&server, &["connections", "status"]).await;
    let rows = status.as_array().unwrap();
    assert_eq!(rows[0]["name"], "Faker → Warehouse");
    assert_eq!(rows[0]["health"], "failing");
    assert_eq!(rows[0]["jobStatus"], "failed");
    assert!(
        rows[0]["failure"]
            .as_str()
            .is_some_and(|text| !text.is_empty())
    );
    let orders = rows.iter().find(|row| row["name"] == ORDERS).unwrap();
    assert_eq!(orders["health"], "healthy");
    let failing = ok(&server, &["connections", "status", "--failing"]).await;
    assert_eq!(failing.as_array().unwrap().len(), 1);
    let table = plain(&server, &["connections", "status"]).await;
    table.code(0);
    assert!(table.stdout.starts_with("CONNECTION"), "{}", table.stdout);
    let first_row = table.stdout.lines().nth(1).unwrap();
    assert!(
        first_row.contains("Faker") && first_row.contains("failing"),
        "{}",
        table.stdout
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_shows_a_line_per_running_sync_under_a_header() {
    let server = mock_with(Duration::from_millis(1_500)).await;
    let env: Vec<(String, String)> = env_for(&server)
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value))
        .collect();
    let (text, code) = tokio::task::spawn_blocking(move || {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        in_terminal(&["sync", "--all", "--poll-interval", "100ms"], &env, finish)
    })
    .await
    .unwrap();
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("syncs: 0/2 done"), "the header: {text}");
    assert!(text.contains("2 running"), "{text}");
    assert!(
        text.contains("Faker → Warehouse  job ") && text.contains("running"),
        "a line per running job: {text}"
    );
    assert!(
        text.contains("\u{1b}[2K") || text.contains('\r'),
        "redrawn in place: {text:?}"
    );
    assert!(
        text.contains("succeeded   Faker → Warehouse"),
        "a line per result: {text}"
    );
    assert!(text.contains("CONNECTION"), "the summary table: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_whose_status_could_not_be_read_is_named_as_maybe_still_running() {
    let server = mock().await;
    keep_running(&server, FAKER_CONNECTION_ID);
    let run = acted_on(
        &server,
        &args(&["-o", "json", "sync", "--tag", "critical"]),
        |seen| seen.contains("started"),
        |_| async {
            // From now on the job's status cannot be read.
            server.set_faults(airbyte_mock_server::FaultConfig {
                script: vec![airbyte_mock_server::FaultAction::Status {
                    status: 404,
                    retry_after_secs: None,
                }],
                ..airbyte_mock_server::FaultConfig::default()
            });
        },
    )
    .await;
    let results = run.json();
    let result = &by_name(&results)["Faker → Warehouse"];
    let job = result["jobId"].as_i64().unwrap().to_string();
    let said = format!("job {job} may still be running; not cancelled");
    run.code(3).says(&said);
    assert_eq!(result["result"], "error", "{result}");
    assert_eq!(result["mayStillRun"], true, "{result}");
    assert!(
        result["failure"].as_str().unwrap().ends_with(&said),
        "{result}"
    );
    assert!(
        run.stderr.contains("may still be running; not cancelled"),
        "the result line: {}",
        run.stderr
    );
    still_running(&server, &job).await;
    ok(&server, &["jobs", "cancel", &job]).await;
}
