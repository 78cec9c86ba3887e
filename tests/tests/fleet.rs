//! Fleet operations against the mock server: many syncs at once under one scheduler, results
//! in the order jobs end, job ownership kept, 429s absorbed, every wait bounded; and the
//! failing connections at a glance.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use airbyte::cloud::{
    ConnectionSelection, FleetEvent, FleetOutcome, FleetSummary, Health, StopMode, SyncMany,
};
use airbyte::mock::{FaultAction, FaultConfig, Outcome, RateLimit};
use airbyte::prelude::*;
use airbyte_e2e::*;
use futures_util::StreamExt;
use serde_json::json;

/// Creates `count` connections named `{prefix} {index:02}` (one source and one destination
/// for all), with `tag` on them when given.
async fn fleet_of(
    workspace: &CloudWorkspace,
    prefix: &str,
    count: usize,
    tag: Option<&str>,
) -> Vec<CloudConnection> {
    let source = workspace
        .deploy_source(format!("{prefix} source"), "faker", json!({"count": 10}))
        .await
        .unwrap();
    let destination = workspace
        .deploy_destination(format!("{prefix} sink"), "dev-null", json!({}))
        .await
        .unwrap();
    let tags = match tag {
        Some(name) => vec![workspace.create_tag(name, "00AA00").await.unwrap()],
        None => Vec::new(),
    };
    let mut connections = Vec::new();
    for index in 0..count {
        connections.push(
            workspace
                .deploy_connection(&source, &destination)
                .name(format!("{prefix} {index:02}"))
                .streams(["users"])
                .tags(tags.clone())
                .await
                .unwrap(),
        );
    }
    connections
}

/// Makes the next jobs of these connections run until cancelled.
fn never_ending(server: &airbyte::mock::MockServer, connections: &[CloudConnection]) {
    for connection in connections {
        server
            .script_connection(connection.id().as_str(), Outcome::StayRunning, None)
            .unwrap();
    }
}

fn ids(connections: &[CloudConnection]) -> ConnectionSelection {
    ConnectionSelection::ids(connections.iter().map(|c| c.id().to_string())).unwrap()
}

fn fast(fleet: SyncMany) -> SyncMany {
    fleet.wait_options(fast_wait())
}

fn outcomes(summary: &FleetSummary) -> Vec<(String, &'static str)> {
    let mut outcomes: Vec<_> = summary
        .jobs()
        .iter()
        .map(|job| (job.name().to_owned(), job.outcome().label()))
        .collect();
    outcomes.sort();
    outcomes
}

/// A scripted server (for what the mock server will not do) whose workspace lists one
/// connection, `id` named `name`.
async fn scripted_with_one_connection(id: &str, name: &str) -> wiremock::MockServer {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};

    let server = wiremock::MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/public/v1/connections"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [
            connection_json(id, name, "1f2e3d4c-5b6a-4789-9abc-def012345601",
                            "2a3b4c5d-6e7f-4819-8a2b-3c4d5e6f7a01"),
        ]})))
        .mount(&server)
        .await;
    server
}

/// A sync job of `connection` as the Public API describes it.
fn job_json(job_id: i64, connection: &str, status: &str) -> serde_json::Value {
    json!({"jobId": job_id, "status": status, "jobType": "sync", "connectionId": connection,
           "startTime": "2024-05-01T12:30:00Z"})
}

/// Asserts that a job's wait timed out and the job was cancelled.
fn assert_cancelled_at_its_timeout(job: &airbyte::cloud::FleetJob) {
    assert!(
        matches!(job.outcome(), FleetOutcome::TimedOut { cancelled: true }),
        "{}: {:?}",
        job.name(),
        job.outcome()
    );
}

#[tokio::test]
async fn every_selected_connection_is_synced_and_reported_once() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "nightly", 6, None).await;
    let summary = fast(workspace.sync_many(ids(&connections)).parallel(3))
        .await
        .unwrap();
    assert_eq!(summary.jobs().len(), 6);
    assert!(
        summary.jobs().iter().all(|job| job.is_success()),
        "{:?}",
        outcomes(&summary)
    );
    assert!(!summary.has_failures());
    // One job per connection, each started by this run, each read until it ended.
    let mut seen = HashSet::new();
    for job in summary.jobs() {
        let sync = job.sync().expect("a job");
        assert!(sync.is_owned());
        assert!(seen.insert(sync.connection().id().clone()));
        assert_eq!(job.job().unwrap().status, JobStatus::Succeeded);
        assert!(job.polls() >= 1);
    }
    assert_eq!(requests(&server, "POST", "/jobs"), 6);
    let stats = summary.stats();
    assert_eq!(stats.throttled, 0);
    assert_eq!(stats.resends, 0);
}

#[tokio::test]
async fn no_more_than_parallel_jobs_run_at_once() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "bounded", 8, None).await;
    let mut run = fast(workspace.sync_many(ids(&connections)).parallel(3)).start();
    let (mut running, mut most) = (0usize, 0usize);
    while let Some(event) = run.next().await {
        match event.unwrap() {
            FleetEvent::Started { .. } => {
                running += 1;
                most = most.max(running);
            }
            FleetEvent::Finished(job) => {
                assert!(job.is_success());
                running -= 1;
            }
            _ => {}
        }
    }
    assert_eq!(most, 3);
    // The server agrees: no more than three of these jobs overlapped.
    let journal = server.journal();
    let starts = journal
        .iter()
        .filter(|entry| entry.method == "POST" && entry.path.ends_with("/jobs"))
        .count();
    assert_eq!(starts, 8);
}

#[tokio::test]
async fn results_come_in_the_order_jobs_end_not_the_order_of_the_selection() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "ordered", 3, None).await;
    // The first connection's sync is the slowest, the last one's the fastest.
    for (connection, millis) in connections.iter().zip([1_500, 800, 200]) {
        server
            .script_connection(
                connection.id().as_str(),
                Outcome::Succeed,
                Some(Duration::from_millis(millis)),
            )
            .unwrap();
    }
    let names: Vec<String> = fast(workspace.sync_many(ids(&connections)).parallel(3))
        .start()
        .results()
        .map(|job| job.unwrap().name().to_owned())
        .collect()
        .await;
    assert_eq!(names, ["ordered 02", "ordered 01", "ordered 00"]);
}

#[tokio::test]
async fn a_failed_job_is_a_result_with_its_status_not_an_error_of_the_run() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "mixed", 3, None).await;
    server
        .script_connection(connections[1].id().as_str(), Outcome::Fail, None)
        .unwrap();
    let summary = fast(workspace.sync_many(ids(&connections))).await.unwrap();
    assert!(summary.has_failures());
    assert_eq!(summary.count("failed"), 1);
    assert_eq!(summary.count("succeeded"), 2);
    let failed = summary
        .into_jobs()
        .into_iter()
        .find(|job| !job.is_success())
        .unwrap();
    assert_eq!(failed.name(), "mixed 01");
    assert_eq!(failed.job().unwrap().status, JobStatus::Failed);
    let error = failed.into_result().unwrap_err();
    assert!(matches!(error, Error::SyncFailed { .. }), "{error}");
}

#[tokio::test]
async fn a_tag_a_name_pattern_and_all_select_active_connections_and_skip_inactive_ones() {
    let server = mock().await;
    let workspace = workspace(&server);
    let tagged = fleet_of(&workspace, "tagged", 3, Some("fleet-nightly")).await;
    fleet_of(&workspace, "other", 2, None).await;
    tagged[2].set_enabled(false, false).await.unwrap();

    let by_tag = fast(workspace.sync_many(ConnectionSelection::tag("fleet-nightly").unwrap()))
        .await
        .unwrap();
    assert_eq!(
        outcomes(&by_tag),
        [
            ("tagged 00".to_owned(), "succeeded"),
            ("tagged 01".to_owned(), "succeeded"),
            ("tagged 02".to_owned(), "skipped"),
        ]
    );
    assert!(!by_tag.has_failures(), "a skipped connection is no failure");

    let by_name = fast(workspace.sync_many(ConnectionSelection::name("other *").unwrap()))
        .await
        .unwrap();
    assert_eq!(
        outcomes(&by_name),
        [
            ("other 00".to_owned(), "succeeded"),
            ("other 01".to_owned(), "succeeded"),
        ]
    );

    let all = fast(workspace.sync_many(ConnectionSelection::All).parallel(10))
        .await
        .unwrap();
    let listed = workspace.list_connections().collect().await.unwrap();
    assert_eq!(all.jobs().len(), listed.len());
    assert_eq!(all.count("skipped"), 1);
}

#[tokio::test]
async fn unknown_connections_and_bad_settings_are_refused_before_anything_is_sent() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "checked", 1, None).await;
    let writes_before = writes(&server);
    let unknown = ConnectionSelection::ids([
        connections[0].id().as_str(),
        "00000000-0000-4000-8000-000000000099",
    ])
    .unwrap();
    let error = workspace.sync_many(unknown).await.unwrap_err();
    assert!(
        matches!(&error, Error::MissingResource { id, .. } if id.contains("00000000-0000-4000-8000-000000000099")),
        "{error}"
    );
    // A connection of another workspace is unknown here.
    let staging_connection = staging(&server)
        .list_connections()
        .first()
        .await
        .unwrap()
        .unwrap();
    let error = workspace
        .sync_many(ConnectionSelection::ids([staging_connection.id().as_str()]).unwrap())
        .await
        .unwrap_err();
    assert!(error.is_not_found(), "{error}");
    for bad in [
        workspace.sync_many(ids(&connections)).parallel(0),
        workspace
            .sync_many(ids(&connections))
            .poll_interval(Duration::ZERO),
        workspace.sync_many(ids(&connections)).max_request_rate(0.0),
        workspace
            .sync_many(ids(&connections))
            .max_request_rate(f64::NAN),
    ] {
        let error = bad.await.unwrap_err();
        assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    }
    assert_eq!(writes(&server), writes_before, "nothing was started");
    assert!(ConnectionSelection::name("[unclosed").is_err());
}

#[tokio::test]
async fn settings_beyond_the_clock_are_refused_or_bounded_never_a_panic() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "extreme", 1, None).await;
    let writes_before = writes(&server);
    // So low a cap that not one request an hour would go: refused, nothing sent (it panicked
    // when the interval between two requests was computed).
    for rate in [1e-30, 1e-5] {
        let error = workspace
            .sync_many(ids(&connections))
            .max_request_rate(rate)
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    }
    assert_eq!(writes(&server), writes_before);
    // One request an hour is allowed: the first goes at once.
    let summary = workspace
        .sync_many(ids(&connections))
        .max_request_rate(1.0 / 3600.0)
        .poll_interval(Duration::from_millis(40))
        .timeout(Duration::from_millis(300))
        .await
        .unwrap();
    assert!(
        matches!(summary.jobs()[0].outcome(), FleetOutcome::TimedOut { .. }),
        "the start went, the pace held every poll back: {:?}",
        summary.jobs()[0].outcome()
    );
    // A poll interval too long for the clock: the job's timeout ends the wait (it panicked
    // when the first poll was scheduled).
    let started = Instant::now();
    let summary = workspace
        .sync_many(ids(&connections))
        .poll_interval(Duration::MAX)
        .timeout(Duration::from_millis(300))
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_cancelled_at_its_timeout(&summary.jobs()[0]);
}

#[tokio::test]
async fn a_second_callers_job_is_followed_but_never_cancelled() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "shared", 2, None).await;
    never_ending(&server, &connections);
    // Another caller started the first connection's sync.
    let theirs = connections[0].run_sync().wait(false).await.unwrap();
    let summary = workspace
        .sync_many(ids(&connections))
        .attach_if_running(true)
        .poll_interval(Duration::from_millis(30))
        .timeout(Duration::from_millis(400))
        .await
        .unwrap();
    let by_name = |name: &str| {
        summary
            .jobs()
            .iter()
            .find(|job| job.name() == name)
            .unwrap()
    };
    let attached = by_name("shared 00");
    assert!(!attached.sync().unwrap().is_owned());
    assert_eq!(attached.sync().unwrap().job_id(), theirs.job_id());
    assert!(matches!(
        attached.outcome(),
        FleetOutcome::TimedOut { cancelled: false }
    ));
    let started = by_name("shared 01");
    assert!(started.sync().unwrap().is_owned());
    assert!(matches!(
        started.outcome(),
        FleetOutcome::TimedOut { cancelled: true }
    ));
    assert!(
        theirs.status().await.unwrap().is_in_progress(),
        "theirs keeps running"
    );
    let cancels: Vec<String> = server
        .journal()
        .into_iter()
        .filter(|entry| entry.method == "DELETE" && entry.path.contains("/jobs/"))
        .map(|entry| entry.path)
        .collect();
    assert_eq!(cancels.len(), 1, "{cancels:?}");
    assert!(!cancels[0].ends_with(&theirs.job_id().to_string()));
    theirs.cancel().await.unwrap();
}

#[tokio::test]
async fn without_attaching_a_running_sync_is_an_error_for_its_connection_only() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "busy", 2, None).await;
    server
        .script_connection(connections[0].id().as_str(), Outcome::StayRunning, None)
        .unwrap();
    let theirs = connections[0].run_sync().wait(false).await.unwrap();
    let summary = fast(workspace.sync_many(ids(&connections))).await.unwrap();
    assert_eq!(
        outcomes(&summary),
        [
            ("busy 00".to_owned(), "error"),
            ("busy 01".to_owned(), "succeeded"),
        ]
    );
    let busy = summary
        .jobs()
        .iter()
        .find(|job| job.name() == "busy 00")
        .unwrap();
    assert!(matches!(
        busy.outcome(),
        FleetOutcome::Error(Error::SyncAlreadyRunning { .. })
    ));
    assert!(theirs.status().await.unwrap().is_in_progress());
    theirs.cancel().await.unwrap();
}

#[tokio::test]
async fn stopping_cancels_only_the_jobs_the_run_started() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "stop", 4, None).await;
    never_ending(&server, &connections);
    let theirs = connections[0].run_sync().wait(false).await.unwrap();
    // Two at a time: two connections are still waiting when the stop comes.
    let mut run = fast(workspace.sync_many(ids(&connections)))
        .attach_if_running(true)
        .parallel(2)
        .start();
    let handle = run.handle();
    let mut results = Vec::new();
    let mut started = 0;
    while let Some(event) = run.next().await {
        match event.unwrap() {
            FleetEvent::Started { .. } => {
                started += 1;
                if started == 2 {
                    handle.stop(StopMode::CancelStarted);
                }
            }
            FleetEvent::Finished(job) => results.push(*job),
            _ => {}
        }
    }
    assert_eq!(results.len(), 4);
    let label = |name: &str| {
        let job = results.iter().find(|job| job.name() == name).unwrap();
        match job.outcome() {
            FleetOutcome::Stopped { cancelled } => format!("stopped cancelled={cancelled}"),
            other => other.label().to_owned(),
        }
    };
    assert_eq!(
        label("stop 00"),
        "stopped cancelled=false",
        "attached: theirs"
    );
    assert_eq!(label("stop 01"), "stopped cancelled=true");
    assert_eq!(label("stop 02"), "not started");
    assert_eq!(label("stop 03"), "not started");
    assert!(theirs.status().await.unwrap().is_in_progress());
    assert_eq!(
        requests(&server, "POST", "/jobs"),
        3,
        "theirs, and two by the run"
    );
    assert!(handle.running().is_empty());
    theirs.cancel().await.unwrap();
}

#[tokio::test]
async fn cancel_started_works_after_the_run_was_dropped_and_spares_attached_jobs() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "dropped", 3, None).await;
    never_ending(&server, &connections);
    let theirs = connections[0].run_sync().wait(false).await.unwrap();
    let mut run = fast(workspace.sync_many(ids(&connections)))
        .attach_if_running(true)
        .start();
    let handle = run.handle();
    let mut started = 0;
    while let Some(event) = run.next().await {
        if let FleetEvent::Started { .. } = event.unwrap() {
            started += 1;
            if started == 3 {
                break;
            }
        }
    }
    // As a Ctrl-C does: the run is dropped, then the handle cancels what it started.
    drop(run);
    assert_eq!(handle.running().len(), 3);
    let cancelled = handle.cancel_started().await;
    assert_eq!(cancelled.len(), 2);
    assert!(
        cancelled
            .iter()
            .all(|(sync, job)| sync.is_owned() && job.is_some())
    );
    assert!(theirs.status().await.unwrap().is_in_progress());
    for (sync, _) in &cancelled {
        assert_eq!(sync.status().await.unwrap(), JobStatus::Cancelled);
    }
    theirs.cancel().await.unwrap();
}

#[tokio::test]
async fn a_start_in_flight_when_the_run_is_dropped_is_named_by_the_handle() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};

    const CONNECTION: &str = "4c5d6e7f-8091-4a23-b4c5-d6e7f8091aee";
    let server = scripted_with_one_connection(CONNECTION, "slow start").await;
    // The server takes the start and answers late: the job may well exist by then.
    Mock::given(method("POST"))
        .and(path("/api/public/v1/jobs"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(job_json(9, CONNECTION, "running"))
                .set_delay(Duration::from_secs(30)),
        )
        .mount(&server)
        .await;
    let workspace = scripted_workspace(&server.uri());
    let mut run = workspace.sync_many(ConnectionSelection::All).start();
    let handle = run.handle();
    assert!(matches!(
        run.next().await.unwrap().unwrap(),
        FleetEvent::Selected { total: 1, .. }
    ));
    // Read on until the start is on its way, then drop the run, as a Ctrl-C does.
    let _ = tokio::time::timeout(Duration::from_millis(300), run.next()).await;
    drop(run);
    assert!(handle.running().is_empty(), "no job is known");
    let starting = handle.starting();
    assert_eq!(starting.len(), 1, "the start in flight is named");
    assert_eq!(starting[0].id().as_str(), CONNECTION);
}

#[tokio::test]
async fn a_429_storm_lowers_the_pace_every_job_still_succeeds_and_the_run_ends() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "storm", 20, None).await;
    // 40 requests per second in bursts of 5: far less than 20 jobs polled every 40 ms ask.
    server.set_rate_limit(Some(RateLimit::per_second(40.0).unwrap().with_burst(5)));
    let control = workspace.clone();
    let mut run = fast(control.sync_many(ids(&connections)).parallel(20)).start();
    let mut throttled_events = 0;
    let mut results = Vec::new();
    while let Some(event) = run.next().await {
        match event.unwrap() {
            FleetEvent::Throttled { in_flight, .. } => {
                throttled_events += 1;
                assert!(in_flight >= 1);
            }
            FleetEvent::Finished(job) => results.push(job),
            _ => {}
        }
    }
    assert_eq!(results.len(), 20);
    assert!(
        results.iter().all(|job| job.is_success()),
        "{:?}",
        results.iter().map(|job| job.outcome()).collect::<Vec<_>>()
    );
    let stats = run.handle().stats();
    assert!(stats.throttled > 0, "{stats:?}");
    assert!(throttled_events > 0);
    assert!(stats.lowest_in_flight < stats.peak_in_flight, "{stats:?}");
    // Every refused request was sent again, and nothing more: no job was started twice.
    let refused = server
        .journal()
        .iter()
        .filter(|entry| entry.status == 429)
        .count() as u64;
    assert!(
        refused >= stats.throttled,
        "the server refused at least what the run saw"
    );
    assert_eq!(
        server
            .journal()
            .iter()
            .filter(|entry| entry.method == "POST"
                && entry.path.ends_with("/jobs")
                && entry.status == 200)
            .count(),
        20
    );
}

#[tokio::test]
async fn a_429_storm_that_never_ends_ends_the_run_within_its_budget() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "wall", 4, None).await;
    // After a burst of 3, nothing more gets through for the rest of the test.
    server.set_rate_limit(Some(RateLimit::per_second(0.001).unwrap().with_burst(3)));
    let started = Instant::now();
    let summary = fast(workspace.sync_many(ids(&connections)))
        .resend_budget(12)
        .await
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(summary.jobs().len(), 4);
    assert!(summary.has_failures());
    let stats = summary.stats();
    assert!(stats.resends <= 12, "{stats:?}");
    assert!(
        summary.jobs().iter().all(|job| !job.is_success()),
        "nothing can get through"
    );
}

/// The next request after the listing of connections (the start of the first job) is answered
/// `status`, with `Retry-After: secs` when given.
fn fail_the_first_start(server: &airbyte::mock::MockServer, status: u16, secs: Option<u64>) {
    server.set_faults(FaultConfig {
        include_token_endpoint: false,
        script: vec![
            FaultAction::Pass,
            FaultAction::Status {
                status,
                retry_after_secs: secs,
            },
        ],
        ..FaultConfig::default()
    });
}

/// Syncs one new connection whose first start is answered 429 with `Retry-After: secs`: the
/// server, the run's summary, and how long the run took.
async fn first_start_told_to_wait(
    secs: u64,
) -> (airbyte::mock::MockServer, FleetSummary, Duration) {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "told to wait", 1, None).await;
    fail_the_first_start(&server, 429, Some(secs));
    let started = Instant::now();
    let summary = fast(workspace.sync_many(ids(&connections))).await.unwrap();
    (server, summary, started.elapsed())
}

#[tokio::test]
async fn a_429_with_retry_after_holds_the_run_that_long() {
    let (_server, summary, elapsed) = first_start_told_to_wait(2).await;
    assert!(
        summary.jobs()[0].is_success(),
        "{:?}",
        summary.jobs()[0].outcome()
    );
    assert_eq!(summary.stats().throttled, 1);
    // The start was sent again no sooner than the server asked (it came back after 100 to
    // 200 ms, whatever the server said).
    assert!(elapsed >= Duration::from_secs(2), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
}

#[tokio::test]
async fn a_retry_after_beyond_two_minutes_ends_that_start_instead_of_waiting() {
    let (server, summary, elapsed) = first_start_told_to_wait(3_600).await;
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    let job = &summary.jobs()[0];
    assert!(job.sync().is_none(), "nothing was started");
    match job.outcome() {
        FleetOutcome::Error(error) => {
            assert_eq!(
                error
                    .transport()
                    .and_then(|e| e.api_error())
                    .map(|api| api.status.as_u16()),
                Some(429),
                "{error}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(requests(&server, "POST", "/jobs"), 1, "not sent again");
}

#[tokio::test]
async fn a_start_that_may_have_been_applied_is_not_sent_again() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "applied", 1, None).await;
    // A 500 may come after the job was made: sent again, it would start a second sync, or
    // find the first one running and report it as someone else's. A single `run_sync` does
    // not send it again either.
    for status in [500, 502, 504] {
        let before = requests(&server, "POST", "/jobs");
        fail_the_first_start(&server, status, None);
        let summary = fast(workspace.sync_many(ids(&connections))).await.unwrap();
        let job = &summary.jobs()[0];
        assert!(
            matches!(job.outcome(), FleetOutcome::Error(_)),
            "{status}: {:?}",
            job.outcome()
        );
        assert_eq!(requests(&server, "POST", "/jobs"), before + 1, "{status}");
    }
    // A 503 (and a 429) says the request was not handled: sent again.
    let before = requests(&server, "POST", "/jobs");
    fail_the_first_start(&server, 503, None);
    let summary = fast(workspace.sync_many(ids(&connections))).await.unwrap();
    assert!(
        summary.jobs()[0].is_success(),
        "{:?}",
        summary.jobs()[0].outcome()
    );
    assert_eq!(requests(&server, "POST", "/jobs"), before + 2);
}

#[tokio::test]
async fn a_rate_cap_keeps_the_run_under_the_servers_limit() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "paced", 6, None).await;
    // A burst of 3: what the cap lets through at once after the scheduler woke late (a tenth
    // of a second's worth, plus one), which a busy machine (the whole suite at once) causes.
    server.set_rate_limit(Some(RateLimit::per_second(25.0).unwrap().with_burst(3)));
    let summary = fast(workspace.sync_many(ids(&connections)).parallel(6))
        .max_request_rate(20.0)
        .await
        .unwrap();
    assert!(summary.jobs().iter().all(|job| job.is_success()));
    assert_eq!(summary.stats().throttled, 0, "{:?}", summary.stats());
}

#[tokio::test]
async fn a_job_that_ended_before_the_cancel_at_its_timeout_is_reported_as_it_ended() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "ended", 2, None).await;
    for (connection, outcome) in connections.iter().zip([Outcome::Succeed, Outcome::Fail]) {
        server
            .script_connection(
                connection.id().as_str(),
                outcome,
                Some(Duration::from_millis(200)),
            )
            .unwrap();
    }
    // No poll comes before the timeout; the jobs end before it; the cancel finds them ended
    // (409: not running). They were reported as timed out, "still running, not cancelled".
    let summary = workspace
        .sync_many(ids(&connections))
        .poll_interval(Duration::from_secs(30))
        .timeout(Duration::from_millis(800))
        .await
        .unwrap();
    assert_eq!(
        outcomes(&summary),
        [
            ("ended 00".to_owned(), "succeeded"),
            ("ended 01".to_owned(), "failed"),
        ]
    );
    for job in summary.jobs() {
        assert!(job.job().unwrap().status.is_final(), "{:?}", job.job());
    }
}

#[tokio::test]
async fn a_run_timeout_reports_what_was_not_started_and_times_out_what_runs() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "late", 3, None).await;
    never_ending(&server, &connections);
    let started = Instant::now();
    let summary = fast(workspace.sync_many(ids(&connections)).parallel(1))
        .run_timeout(Duration::from_millis(500))
        .await
        .unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        outcomes(&summary),
        [
            ("late 00".to_owned(), "timed out"),
            ("late 01".to_owned(), "not started"),
            ("late 02".to_owned(), "not started"),
        ]
    );
    assert!(matches!(
        summary
            .jobs()
            .iter()
            .find(|job| job.name() == "late 00")
            .unwrap()
            .outcome(),
        FleetOutcome::TimedOut { cancelled: true }
    ));
}

#[tokio::test]
async fn connections_status_lists_failures_first_with_their_latest_sync() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "health", 4, None).await;
    server
        .script_connection(connections[1].id().as_str(), Outcome::Fail, None)
        .unwrap();
    server
        .script_connection(connections[2].id().as_str(), Outcome::StayRunning, None)
        .unwrap();
    let first_three =
        ConnectionSelection::ids(connections[..3].iter().map(|c| c.id().to_string())).unwrap();
    let mut run = fast(workspace.sync_many(first_three)).start();
    // Wait for the two that end; the third keeps running.
    let mut ended = 0;
    while ended < 2 {
        if let FleetEvent::Finished(_) = run.next().await.unwrap().unwrap() {
            ended += 1;
        }
    }
    drop(run);
    let status = workspace.connections_status().await.unwrap();
    let ours: Vec<(&str, Health)> = status
        .iter()
        .filter(|health| health.name().starts_with("health"))
        .map(|health| (health.name(), health.health()))
        .collect();
    assert_eq!(
        ours,
        [
            ("health 01", Health::Failing),
            ("health 02", Health::Running),
            ("health 03", Health::NeverSynced),
            ("health 00", Health::Healthy),
        ]
    );
    assert_eq!(status[0].health(), Health::Failing, "failures come first");
    let failing = &status[0];
    let sync = failing.latest_sync().unwrap();
    assert!(!sync.is_owned());
    assert!(
        sync.attempts()
            .await
            .unwrap()
            .last()
            .unwrap()
            .failure_message()
            .is_some()
    );
    let only = workspace
        .connections_status()
        .only_failing(true)
        .await
        .unwrap();
    assert_eq!(only.len(), 1);
    // Reading one connection at a time gives the same answer as the workspace's job list.
    let slow = workspace.connections_status().scan_limit(0).await.unwrap();
    let health_of = |list: &[airbyte::cloud::ConnectionHealth]| {
        list.iter()
            .map(|health| (health.name().to_owned(), health.health()))
            .collect::<Vec<_>>()
    };
    assert_eq!(health_of(&slow), health_of(&status));
    let running = status.iter().find(|h| h.name() == "health 02").unwrap();
    running.latest_sync().unwrap().cancel().await.unwrap();
}

#[tokio::test]
async fn a_hung_status_endpoint_cannot_hold_the_run_past_each_jobs_timeout() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};

    const CONNECTION: &str = "4c5d6e7f-8091-4a23-b4c5-d6e7f8091aff";
    let server = scripted_with_one_connection(CONNECTION, "hung").await;
    let job = |status: &str| job_json(7, CONNECTION, status);
    Mock::given(method("POST"))
        .and(path("/api/public/v1/jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(job("running")))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/public/v1/jobs/7"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(job("running"))
                .set_delay(Duration::from_secs(120)),
        )
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/public/v1/jobs/7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(job("cancelled")))
        .mount(&server)
        .await;
    let workspace = scripted_workspace(&server.uri());
    let started = Instant::now();
    let summary = workspace
        .sync_many(ConnectionSelection::All)
        .poll_interval(Duration::from_millis(100))
        .timeout(Duration::from_secs(1))
        .await
        .unwrap();
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert_eq!(summary.jobs().len(), 1);
    assert_cancelled_at_its_timeout(&summary.jobs()[0]);
    assert_eq!(
        summary.jobs()[0].job().unwrap().status,
        JobStatus::Cancelled
    );
}

#[tokio::test]
async fn waits_and_intervals_beyond_the_clock_do_not_panic() {
    // `Duration::MAX` as "no practical limit" for the poll interval and the timeouts: adding it
    // to the clock (or to the spread of the first poll) panicked inside the scheduler.
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "endless", 2, None).await;
    never_ending(&server, &connections);
    let run = workspace
        .sync_many(ids(&connections))
        .wait_options(WaitOptions {
            poll_interval: Duration::MAX,
            max_poll_interval: Duration::MAX,
            timeout: Some(Duration::MAX),
            ..WaitOptions::default()
        })
        .run_timeout(Duration::from_millis(600));
    let started = Instant::now();
    let summary = tokio::time::timeout(
        Duration::from_secs(20),
        tokio::spawn(std::future::IntoFuture::into_future(run)),
    )
    .await
    .expect("the run ends at its run timeout")
    .expect("no panic")
    .unwrap();
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(
        outcomes(&summary),
        [
            ("endless 00".to_owned(), "timed out"),
            ("endless 01".to_owned(), "timed out"),
        ]
    );
}

#[tokio::test]
async fn a_job_whose_polls_kept_failing_is_reported_as_still_running_not_cancelled() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connections = fleet_of(&workspace, "unreadable", 2, None).await;
    never_ending(&server, &connections[..1]);
    let wait = WaitOptions {
        max_consecutive_poll_errors: 1,
        poll_interval: Duration::from_millis(10),
        ..fast_wait()
    };
    let mut run = workspace
        .sync_many(ids(&connections[..1]))
        .wait_options(wait)
        .start();
    let mut results = Vec::new();
    while let Some(event) = run.next().await {
        match event.unwrap() {
            // From now on every read of the job fails (the token endpoint spared).
            FleetEvent::Started { .. } => server.set_faults(FaultConfig {
                rate_503: 1.0,
                ..FaultConfig::default()
            }),
            FleetEvent::Finished(job) => results.push(*job),
            _ => {}
        }
    }
    server.set_faults(FaultConfig::default());
    let [job] = results.as_slice() else {
        panic!("{results:?}")
    };
    assert!(
        matches!(job.outcome(), FleetOutcome::Error(error) if error.is_transient()),
        "{:?}",
        job.outcome()
    );
    assert!(job.may_still_run(), "the job was left running");
    let sync = job.sync().unwrap();
    assert!(
        sync.status().await.unwrap().is_in_progress(),
        "still running on the server"
    );
    assert_eq!(
        requests(&server, "DELETE", &format!("/jobs/{}", sync.job_id())),
        0
    );
    sync.cancel().await.unwrap();

    // Jobs that ended, and connections never started, are not left running.
    let summary = fast(workspace.sync_many(ids(&connections[1..])))
        .await
        .unwrap();
    assert!(summary.jobs()[0].is_success());
    assert!(!summary.jobs()[0].may_still_run());
}
