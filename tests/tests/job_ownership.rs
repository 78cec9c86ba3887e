//! Jobs: attaching only to a running job of the requested type, never cancelling a job this
//! call did not start, and wait settings checked before anything is sent.

use std::time::Duration;

use airbyte::cloud::RunSync;
use airbyte::mock::Outcome;
use airbyte::prelude::*;
use airbyte_e2e::*;

fn assert_timed_out_without_cancelling(error: &Error) {
    assert!(
        matches!(
            error,
            Error::SyncTimedOut {
                cancelled: false,
                ..
            }
        ),
        "{error}"
    );
}

#[tokio::test]
async fn a_sync_never_attaches_to_a_running_reset() {
    let server = mock().await;
    script_faker(&server, Outcome::StayRunning);
    let workspace = workspace(&server);
    let reset = faker(&workspace).reset().wait(false).await.unwrap();
    let result = faker(&workspace)
        .run_sync()
        .attach_if_running(true)
        .wait_options(fast_wait())
        .await;
    let error = result.expect_err("a reset is not the sync that was asked for");
    let Error::OtherJobRunning {
        job_id,
        running_type,
        requested,
        ..
    } = &error
    else {
        panic!("{error}")
    };
    assert_eq!(*job_id, reset.job_id());
    assert_eq!(*running_type, JobType::Reset);
    assert_eq!(*requested, JobType::Sync);
    // Without attaching, the answer names the reset too.
    let error = faker(&workspace).run_sync().wait(false).await.unwrap_err();
    assert!(matches!(error, Error::OtherJobRunning { .. }), "{error}");
    // A clear is the same kind as a reset: attaching follows it.
    let attached = faker(&workspace)
        .clear()
        .attach_if_running(true)
        .wait(false)
        .await
        .unwrap();
    assert_eq!(attached.job_id(), reset.job_id());
    assert!(!attached.is_owned());
    assert!(reset.status().await.unwrap().is_in_progress());
    reset.cancel().await.unwrap();
}

#[tokio::test]
async fn a_timeout_never_cancels_a_job_this_call_did_not_start() {
    let server = mock().await;
    script_faker(&server, Outcome::StayRunning);
    let workspace = workspace(&server);
    // Another caller started this sync.
    let theirs = faker(&workspace).run_sync().wait(false).await.unwrap();
    let error = faker(&workspace)
        .run_sync()
        .attach_if_running(true)
        .poll_interval(Duration::from_millis(30))
        .timeout(Duration::from_millis(300))
        .await
        .unwrap_err();
    assert_timed_out_without_cancelling(&error);
    assert!(theirs.status().await.unwrap().is_in_progress());
    assert_eq!(
        requests(&server, "DELETE", &format!("/jobs/{}", theirs.job_id())),
        0,
        "no cancel was sent"
    );

    // Asked explicitly, the attached job is cancelled.
    let error = faker(&workspace)
        .run_sync()
        .attach_if_running(true)
        .cancel_attached_on_timeout(true)
        .poll_interval(Duration::from_millis(30))
        .timeout(Duration::from_millis(200))
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
    assert_eq!(theirs.status().await.unwrap(), JobStatus::Cancelled);
}

#[tokio::test]
async fn a_job_looked_up_by_id_is_not_cancelled_on_timeout_by_default() {
    let server = mock().await;
    script_faker(&server, Outcome::StayRunning);
    let workspace = workspace(&server);
    let started = faker(&workspace).run_sync().wait(false).await.unwrap();
    let looked_up = faker(&workspace).sync_result(started.job_id());
    let error = looked_up
        .wait_for_completion(&WaitOptions {
            poll_interval: Duration::from_millis(30),
            timeout: Some(Duration::from_millis(200)),
            ..WaitOptions::default()
        })
        .await
        .unwrap_err();
    assert_timed_out_without_cancelling(&error);
    assert!(started.status().await.unwrap().is_in_progress());
    started.cancel().await.unwrap();
}

#[tokio::test]
async fn invalid_wait_settings_are_refused_before_the_job_starts() {
    let server = mock().await;
    let workspace = workspace(&server);
    // Every rule is covered by the unit tests of `WaitOptions`; here, that a bad setting
    // stops the call before anything is sent, at once.
    for options in [
        WaitOptions {
            poll_interval: Duration::ZERO,
            ..WaitOptions::default()
        },
        WaitOptions {
            backoff_factor: f64::NAN,
            ..WaitOptions::default()
        },
        // A zero timeout started the sync and cancelled it before its first poll.
        WaitOptions {
            timeout: Some(Duration::ZERO),
            ..WaitOptions::default()
        },
    ] {
        let outcome = tokio::time::timeout(
            Duration::from_secs(5),
            faker(&workspace).run_sync().wait_options(options.clone()),
        )
        .await
        .expect("refused at once, never a busy loop");
        let error = outcome.expect_err("invalid wait settings");
        assert!(
            matches!(error, Error::InvalidInput { .. }),
            "{options:?}: {error}"
        );
        let looked_up = faker(&workspace).sync_result(airbyte::models::JobId::new(1).unwrap());
        assert!(matches!(
            looked_up.wait_for_completion(&options).await,
            Err(Error::InvalidInput { .. })
        ));
    }
    assert_eq!(server.journal().len(), 0, "nothing was sent");
}

/// A scripted server whose `POST /jobs` answers with a job of another connection; any read or
/// cancel of that job fails the test when the server is dropped.
async fn server_starting_a_foreign_job() -> wiremock::MockServer {
    use wiremock::matchers::{method, path, path_regex};
    use wiremock::{Mock, ResponseTemplate};
    let server = wiremock::MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/public/v1/connections/{OWN_CONNECTION}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(connection_json(
            OWN_CONNECTION,
            "mine",
            "00000000-0000-4000-a000-000000000001",
            "00000000-0000-4000-b000-000000000001",
        )))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/public/v1/jobs"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "jobId": 77,
            "status": "running",
            "jobType": "sync",
            "startTime": "2024-05-01T12:30:00Z",
            "connectionId": FOREIGN_CONNECTION,
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path_regex("^/api/(public/)?v1/jobs/.+$"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .named("no read or cancel of the foreign job")
        .mount(&server)
        .await;
    server
}

const OWN_CONNECTION: &str = "00000000-0000-4000-8000-000000000001";
const FOREIGN_CONNECTION: &str = "00000000-0000-4000-8000-000000000002";

fn is_foreign_job(error: &Error) -> bool {
    matches!(
        error,
        Error::JobMismatch { job_id, expected, actual }
            if job_id.get() == 77 && expected.as_str() == OWN_CONNECTION && actual == FOREIGN_CONNECTION
    )
}

/// Starts a sync (`configure`d) against a server that answers with another connection's job:
/// it must be refused, and the job neither read nor cancelled.
async fn a_foreign_start_is_refused(configure: impl FnOnce(RunSync) -> RunSync) {
    let server = server_starting_a_foreign_job().await;
    let connection = scripted_workspace(&server.uri())
        .connection(OWN_CONNECTION)
        .unwrap();
    let error = configure(connection.run_sync())
        .await
        .expect_err("the job is another connection's");
    assert!(is_foreign_job(&error), "{error}");
    server.verify().await;
}

#[tokio::test]
async fn a_started_job_of_another_connection_is_refused_and_left_alone() {
    // The server answered `POST /jobs` with another connection's job: it was followed as
    // this connection's, and cancelled when the wait timed out.
    a_foreign_start_is_refused(|run| {
        run.wait_options(WaitOptions {
            timeout: Some(Duration::from_secs(2)),
            ..fast_wait()
        })
    })
    .await;
}

#[tokio::test]
async fn a_started_job_of_another_connection_is_refused_without_waiting_too() {
    a_foreign_start_is_refused(|run| run.wait(false)).await;
}

#[tokio::test]
async fn a_job_on_an_inactive_connection_is_refused_as_inactive_not_as_already_running() {
    // The server answers 409 both when a job runs and when the connection is inactive; the
    // second used to be reported as "a job is already running".
    let server = mock().await;
    let workspace = workspace(&server);
    let connection = faker(&workspace);
    connection.set_enabled(false, true).await.unwrap();
    let error = connection.run_sync().wait(false).await.unwrap_err();
    let Error::ConnectionInactive {
        connection_id,
        status,
        ..
    } = &error
    else {
        panic!("{error}")
    };
    assert_eq!(connection_id, connection.id());
    assert_eq!(*status, ConnectionStatus::Inactive);
    assert!(error.to_string().contains("enable it first"), "{error}");
    assert!(error.transport().is_some_and(|e| e.is_conflict()));
    // Enabled again, the same call starts a sync.
    connection.set_enabled(true, true).await.unwrap();
    let started = connection.run_sync().wait(false).await.unwrap();
    assert!(started.is_owned());
}
