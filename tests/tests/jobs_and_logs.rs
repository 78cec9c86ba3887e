//! Syncs and jobs: success with logs, failure, timeout with cancel, attaching to a running
//! sync, `incomplete` then success, history, resets.

use std::time::Duration;

use airbyte::mock::{Outcome, default_world};
use airbyte::prelude::*;
use airbyte_e2e::*;

#[tokio::test]
async fn a_sync_succeeds_with_counts_attempts_and_logs() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connection = faker(&workspace);
    let sync = connection
        .run_sync()
        .wait_options(fast_wait())
        .await
        .unwrap();
    let job = sync.job().await.unwrap();
    assert_eq!(job.status, JobStatus::Succeeded);
    assert!(sync.records_synced().await.unwrap() > 0);
    assert!(sync.bytes_synced().await.unwrap() > 0);
    assert!(sync.start_time().await.unwrap().is_some());
    let attempts = sync.attempts().await.unwrap();
    assert_eq!(attempts.len(), 1);
    let log = attempts[0].log_text();
    assert!(
        log.contains("Reading stream users") && log.contains("succeeded"),
        "{log}"
    );
    assert_eq!(sync.log_text().await.unwrap(), log);
    assert!(
        sync.job_url()
            .unwrap()
            .ends_with(&format!("/timeline#{}::0", sync.job_id()))
    );
    // A final status is not read again.
    let before = server.journal().len();
    sync.status().await.unwrap();
    assert_eq!(server.journal().len(), before);
}

#[tokio::test]
async fn a_failed_sync_is_an_error_with_the_reason() {
    let server = mock().await;
    script_faker(&server, Outcome::Fail);
    let workspace = workspace(&server);
    let error = faker(&workspace)
        .run_sync()
        .wait_options(fast_wait())
        .await
        .unwrap_err();
    let Error::SyncFailed {
        status,
        message,
        job_url,
        ..
    } = &error
    else {
        panic!("{error}")
    };
    assert_eq!(*status, JobStatus::Failed);
    assert!(
        message
            .as_deref()
            .unwrap_or_default()
            .contains("connection reset"),
        "{error}"
    );
    assert!(job_url.is_some());

    // Without failing, the result tells.
    let sync = faker(&workspace)
        .run_sync()
        .wait_options(fast_wait())
        .fail_on_failure(false)
        .await
        .unwrap();
    assert_eq!(sync.status().await.unwrap(), JobStatus::Failed);
    assert_eq!(sync.attempts().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_timeout_cancels_the_job() {
    let server = mock().await;
    script_faker(&server, Outcome::StayRunning);
    let workspace = workspace(&server);
    let connection = faker(&workspace);
    let error = connection
        .run_sync()
        .poll_interval(Duration::from_millis(30))
        .timeout(Duration::from_millis(300))
        .await
        .unwrap_err();
    let Error::SyncTimedOut {
        cancelled, job_id, ..
    } = &error
    else {
        panic!("{error}")
    };
    assert!(*cancelled);
    assert_eq!(
        connection.sync_result(*job_id).status().await.unwrap(),
        JobStatus::Cancelled
    );

    // With cancel on timeout off, the job keeps running.
    let error = connection
        .run_sync()
        .poll_interval(Duration::from_millis(30))
        .timeout(Duration::from_millis(200))
        .cancel_on_timeout(false)
        .await
        .unwrap_err();
    let Error::SyncTimedOut {
        cancelled: false,
        job_id,
        ..
    } = error
    else {
        panic!("{error}")
    };
    let running = connection.sync_result(job_id);
    assert_eq!(running.status().await.unwrap(), JobStatus::Running);
    running.cancel().await.unwrap();
}

#[tokio::test]
async fn a_second_sync_fails_or_attaches_to_the_running_one() {
    let server = mock().await;
    server
        .script_connection(
            default_world::FAKER_CONNECTION_ID,
            Outcome::Succeed,
            Some(Duration::from_millis(800)),
        )
        .unwrap();
    let workspace = workspace(&server);
    let connection = faker(&workspace);
    let first = connection.run_sync().wait(false).await.unwrap();
    let error = connection.run_sync().wait(false).await.unwrap_err();
    assert!(matches!(error, Error::SyncAlreadyRunning { .. }), "{error}");
    let attached = connection
        .run_sync()
        .attach_if_running(true)
        .wait_options(fast_wait())
        .await
        .unwrap();
    assert_eq!(attached.job_id(), first.job_id());
    assert_eq!(first.status().await.unwrap(), JobStatus::Succeeded);
}

#[tokio::test]
async fn incomplete_then_success_is_waited_through() {
    // The job clock stands still and the test moves it: each state of the job is seen in
    // turn, however slowly the machine answers (polling a 20 ms `incomplete` window on the
    // wall clock missed it under load).
    let server = mock().await;
    script_faker(&server, Outcome::IncompleteThenSucceed);
    server.set_clock_speed(0.0);
    let workspace = workspace(&server);
    let sync = faker(&workspace).run_sync().wait(false).await.unwrap();
    // The mock's job runs 400 ms: pending to 10 %, a first attempt that fails at 50 %, the
    // job `incomplete` until the second attempt starts at 55 %, success at 100 %.
    let mut seen = vec![sync.status().await.unwrap()];
    for step_ms in [120, 88] {
        server.advance_clock(Duration::from_millis(step_ms));
        seen.push(sync.status().await.unwrap());
    }
    assert_eq!(
        seen,
        [
            JobStatus::Pending,
            JobStatus::Running,
            JobStatus::Incomplete
        ]
    );

    // A wait started while the job is `incomplete` keeps polling: not a final status.
    let polls = || requests(&server, "GET", &format!("/jobs/{}", sync.job_id()));
    let polls_before = polls();
    let waiting = tokio::spawn({
        let sync = sync.clone();
        async move { sync.wait_for_success(&fast_wait()).await }
    });
    for _ in 0..500 {
        if polls() >= polls_before + 2 || waiting.is_finished() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(polls() >= polls_before + 2, "the wait polled");
    assert!(!waiting.is_finished(), "the wait stopped at `incomplete`");
    assert_eq!(sync.status().await.unwrap(), JobStatus::Incomplete);

    server.advance_clock(Duration::from_millis(80));
    assert_eq!(sync.status().await.unwrap(), JobStatus::Running);
    server.advance_clock(Duration::from_millis(112));
    let job = tokio::time::timeout(Duration::from_secs(20), waiting)
        .await
        .expect("the wait ends once the job has")
        .unwrap()
        .unwrap();
    assert_eq!(job.status, JobStatus::Succeeded);
    let attempts = sync.attempts().await.unwrap();
    assert_eq!(attempts.len(), 2);
    assert!(attempts[0].failure_message().is_some());
    assert_eq!(attempts[1].number(), 2);
}

#[tokio::test]
async fn job_history_pages_and_orders() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connection = faker(&workspace);
    for _ in 0..3 {
        connection
            .run_sync()
            .wait_options(fast_wait())
            .await
            .unwrap();
    }
    let newest = connection
        .job_history()
        .limit(None)
        .collect()
        .await
        .unwrap();
    assert_eq!(newest.len(), 6, "three from the default world, three new");
    let ids: Vec<i64> = newest.iter().map(|job| job.job_id().get()).collect();
    assert!(
        ids.windows(2).all(|pair| pair[0] > pair[1]),
        "newest first: {ids:?}"
    );
    let oldest = connection
        .job_history()
        .limit(2)
        .offset(1)
        .newest_first(false)
        .await
        .unwrap();
    assert_eq!(oldest.len(), 2);
    assert!(oldest[0].job_id() < oldest[1].job_id());
    let last = connection.last_sync_result().await.unwrap().unwrap();
    assert_eq!(last.job_id(), newest[0].job_id());
    // History items carry their job: a final one needs no request.
    let before = server.journal().len();
    assert_eq!(last.status().await.unwrap(), JobStatus::Succeeded);
    assert_eq!(server.journal().len(), before);
}

#[tokio::test]
async fn resets_and_clears_run_and_refresh_is_refused() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connection = faker(&workspace);
    let reset = connection.reset().wait_options(fast_wait()).await.unwrap();
    assert_eq!(reset.job().await.unwrap().job_type, JobType::Reset);
    let clear = connection.clear().wait_options(fast_wait()).await.unwrap();
    assert_eq!(clear.status().await.unwrap(), JobStatus::Succeeded);
    let before = server.journal().len();
    assert!(matches!(
        connection.refresh().await,
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(
        server.journal().len(),
        before,
        "refresh is refused before sending"
    );
}
