//! Hard time bounds: the operation timeout covers the wait for a token, a failed mint is shared
//! by every waiting caller, and a job wait's timeout covers a status poll that hangs.

use std::time::{Duration, Instant};

use airbyte::mock::{FaultAction, FaultConfig, MockServer, Outcome, default_world};
use airbyte::prelude::*;
use airbyte_e2e::*;

fn token_requests(server: &MockServer) -> usize {
    server
        .journal()
        .iter()
        .filter(|entry| entry.path.ends_with("/applications/token"))
        .count()
}

/// Twenty calls at once through one workspace with a 2 s operation timeout; how long they took.
async fn twenty_calls(server: &MockServer) -> (Vec<airbyte::Result<String>>, Duration) {
    let workspace = builder(server)
        .timeouts(Timeouts {
            operation: Duration::from_secs(2),
            ..Timeouts::default()
        })
        .build()
        .unwrap();
    let started = Instant::now();
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let workspace = workspace.clone();
            tokio::spawn(async move { workspace.info().await.map(|info| info.name) })
        })
        .collect();
    let mut results = Vec::new();
    for call in calls {
        results.push(call.await.unwrap());
    }
    (results, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_token_endpoint_fails_twenty_callers_with_one_mint() {
    let server = mock().await;
    server.set_faults(FaultConfig {
        rate_503: 1.0,
        ..FaultConfig::default()
    });
    let (results, elapsed) = tokio::time::timeout(Duration::from_secs(30), twenty_calls(&server))
        .await
        .expect("the calls end");
    assert!(results.iter().all(Result::is_err));
    assert!(elapsed < Duration::from_millis(2_800), "{elapsed:?}");
    let mints = token_requests(&server);
    assert!(
        (1..=fast_retry().max_attempts as usize).contains(&mints),
        "one mint with its retries, not one per caller: {mints}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_token_endpoint_is_bounded_by_the_operation_timeout() {
    let server = mock().await;
    // Every answer takes 1.5 s: the token leaves half a second of the 2 s for the call itself,
    // which then takes 1.5 s more.
    server.set_faults(FaultConfig {
        latency_min_ms: 1_500,
        latency_max_ms: 1_500,
        ..FaultConfig::default()
    });
    let (results, elapsed) = tokio::time::timeout(Duration::from_secs(30), twenty_calls(&server))
        .await
        .expect("the calls end");
    for result in &results {
        let error = result.as_ref().unwrap_err();
        assert!(
            error
                .transport()
                .is_some_and(airbyte::transport::Error::is_timeout),
            "{error}"
        );
    }
    assert!(elapsed < Duration::from_millis(2_800), "{elapsed:?}");
    assert_eq!(token_requests(&server), 1, "one mint for twenty callers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_status_poll_is_bounded_by_the_wait_timeout() {
    let server = mock().await;
    script_faker(&server, Outcome::StayRunning);
    let workspace = workspace(&server);
    let connection = workspace
        .connection(default_world::FAKER_CONNECTION_ID)
        .unwrap();
    let sync = connection.run_sync().wait(false).await.unwrap();
    // The next request (the first status poll) hangs for a minute.
    server.set_faults(FaultConfig {
        script: vec![FaultAction::Latency { ms: 60_000 }],
        ..FaultConfig::default()
    });
    let started = Instant::now();
    let outcome = tokio::time::timeout(
        Duration::from_secs(30),
        sync.wait_for_completion(&WaitOptions {
            poll_interval: Duration::from_millis(100),
            timeout: Some(Duration::from_secs(5)),
            ..WaitOptions::default()
        }),
    )
    .await
    .expect("the wait ends near its 5 s timeout, not after the hung poll");
    let elapsed = started.elapsed();
    let error = outcome.unwrap_err();
    assert!(matches!(error, Error::SyncTimedOut { .. }), "{error}");
    assert!(
        elapsed < Duration::from_millis(6_500),
        "the 5 s wait took {elapsed:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wait_timeout_beyond_the_clock_does_not_panic() {
    // `Duration::MAX` as "no practical limit": adding it to the clock panicked.
    let server = mock().await;
    let connection = faker(&workspace(&server));
    let options = WaitOptions {
        poll_interval: Duration::from_millis(40),
        max_poll_interval: Duration::MAX,
        backoff_factor: 1.0,
        timeout: Some(Duration::MAX),
        ..WaitOptions::default()
    };
    let waited = tokio::spawn(async move {
        connection
            .run_sync()
            .wait_options(options)
            .await
            .map(|sync| sync.job_id())
    });
    let outcome = tokio::time::timeout(Duration::from_secs(20), waited)
        .await
        .expect("the sync ends");
    assert!(outcome.expect("no panic").is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_that_ended_after_its_last_poll_is_no_timeout() {
    // The job ends at 200 ms, the wait times out at 800 ms before its first poll: the cancel
    // finds the job ended (409, not running). That was a timeout "and the job keeps running".
    let server = mock().await;
    let connection = faker(&workspace(&server));
    server
        .script_connection(
            connection.id().as_str(),
            Outcome::Succeed,
            Some(Duration::from_millis(200)),
        )
        .unwrap();
    let sync = connection
        .run_sync()
        .poll_interval(Duration::from_secs(30))
        .timeout(Duration::from_millis(800))
        .await
        .expect("the job succeeded");
    assert_eq!(sync.status().await.unwrap(), JobStatus::Succeeded);
    // A job that did not end is still a timeout, and is cancelled.
    server
        .script_connection(connection.id().as_str(), Outcome::StayRunning, None)
        .unwrap();
    let error = connection
        .run_sync()
        .poll_interval(Duration::from_secs(30))
        .timeout(Duration::from_millis(300))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::SyncTimedOut {
                cancelled: true,
                ..
            }
        ),
        "{error}"
    );
}
