//! Retries: what is retried, how long the client waits, what is never re-sent, and the budget.

mod support;

use std::time::{Duration, Instant};

use airbyte_models::{ConnectorConfig, SourceCreateRequest, WorkspaceId, ops};
use airbyte_transport::{Credentials, Error, RetryBudgetConfig, RetryConfig};
use serde_json::json;
use support::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const WORKSPACE_PATH: &str = "/api/public/v1/workspaces/w1";

fn get_workspace() -> ops::Operation<airbyte_models::WorkspaceResponse> {
    ops::public::workspaces::get(&WorkspaceId::new("w1").unwrap())
}

fn create_source() -> ops::Operation<airbyte_models::SourceResponse> {
    ops::public::sources::create(&SourceCreateRequest::new(
        "pg",
        WorkspaceId::new("w1").unwrap(),
        ConnectorConfig::from(json!({"sourceType": "faker"})),
    ))
}

async fn mount_failures(server: &MockServer, route: &str, status: u16, times: u64) {
    Mock::given(path(route))
        .respond_with(ResponseTemplate::new(status).set_body_json(json!({"message": "transient"})))
        .up_to_n_times(times)
        .with_priority(1)
        .mount(server)
        .await;
}

async fn mount_workspace(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path(WORKSPACE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"workspaceId": "w1", "name": "main", "dataResidency": "auto", "notifications": {}}),
        ))
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_503_then_a_200_succeeds() {
    let server = MockServer::start().await;
    mount_failures(&server, WORKSPACE_PATH, 503, 1).await;
    mount_workspace(&server).await;
    let client = builder(&server.uri()).build().unwrap();
    let workspace = client.execute(get_workspace()).await.unwrap();
    assert_eq!(workspace.name, "main");
    assert_eq!(count(&server, WORKSPACE_PATH).await, 2);
    assert_eq!(client.stats().retries, 1);
}

#[tokio::test]
async fn every_retryable_status_is_retried_for_reads() {
    for status in [429, 502, 503, 504] {
        let server = MockServer::start().await;
        mount_failures(&server, WORKSPACE_PATH, status, 2).await;
        mount_workspace(&server).await;
        let client = builder(&server.uri()).build().unwrap();
        client.execute(get_workspace()).await.unwrap();
        assert_eq!(count(&server, WORKSPACE_PATH).await, 3, "status {status}");
    }
}

#[tokio::test]
async fn other_errors_are_not_retried() {
    for status in [400, 403, 404, 409, 422, 500] {
        let server = MockServer::start().await;
        mount_failures(&server, WORKSPACE_PATH, status, 5).await;
        let client = builder(&server.uri()).build().unwrap();
        let error = client.execute(get_workspace()).await.unwrap_err();
        assert_eq!(error.status().unwrap().as_u16(), status);
        assert_eq!(count(&server, WORKSPACE_PATH).await, 1, "status {status}");
    }
}

#[tokio::test]
async fn retry_after_is_waited_for() {
    let server = MockServer::start().await;
    Mock::given(path(WORKSPACE_PATH))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_workspace(&server).await;
    let client = builder(&server.uri()).build().unwrap();
    let started = Instant::now();
    client.execute(get_workspace()).await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(count(&server, WORKSPACE_PATH).await, 2);
}

#[tokio::test]
async fn a_retry_after_longer_than_allowed_returns_the_error() {
    let server = MockServer::start().await;
    Mock::given(path(WORKSPACE_PATH))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "3600"))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let started = Instant::now();
    let error = client.execute(get_workspace()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(
        error.api_error().unwrap().retry_after,
        Some(Duration::from_secs(3600))
    );
    assert_eq!(count(&server, WORKSPACE_PATH).await, 1);
}

#[tokio::test]
async fn a_create_whose_answer_is_lost_is_not_sent_again() {
    let server = RawServer::start(RawBehaviour::DropAfterRead).await;
    let client = builder(&server.uri).build().unwrap();
    let error = client.execute(create_source()).await.unwrap_err();
    assert!(error.may_have_been_applied(), "{error}");
    assert!(
        error.to_string().contains("may have been applied"),
        "{error}"
    );
    assert_eq!(
        server.requests(),
        1,
        "the create reached the server exactly once"
    );
}

#[tokio::test]
async fn a_read_whose_answer_is_lost_is_retried() {
    let server = RawServer::start(RawBehaviour::DropAfterRead).await;
    let client = builder(&server.uri).build().unwrap();
    let error = client.execute(get_workspace()).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Transport {
                may_have_been_applied: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(server.requests(), 4);
}

#[tokio::test]
async fn a_create_refused_with_429_or_503_is_retried() {
    for status in [429, 503] {
        let server = MockServer::start().await;
        mount_failures(&server, "/api/public/v1/sources", status, 1).await;
        Mock::given(method("POST"))
            .and(path("/api/public/v1/sources"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "sourceId": "s1", "name": "pg", "sourceType": "faker", "definitionId": "d",
                "workspaceId": "w1", "configuration": {}, "createdAt": 1
            })))
            .mount(&server)
            .await;
        let client = builder(&server.uri()).build().unwrap();
        client.execute(create_source()).await.unwrap();
        assert_eq!(
            count(&server, "/api/public/v1/sources").await,
            2,
            "status {status}"
        );
    }
}

#[tokio::test]
async fn a_create_answered_with_502_or_504_is_not_retried() {
    for status in [502, 504] {
        let server = MockServer::start().await;
        mount_failures(&server, "/api/public/v1/sources", status, 5).await;
        let client = builder(&server.uri()).build().unwrap();
        let error = client.execute(create_source()).await.unwrap_err();
        assert_eq!(error.status().unwrap().as_u16(), status);
        assert_eq!(
            count(&server, "/api/public/v1/sources").await,
            1,
            "status {status}"
        );
    }
}

#[tokio::test]
async fn a_create_is_retried_when_the_connection_could_not_be_established() {
    // Nothing listens on this port: the request is never written, so retrying is safe.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = builder(&format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let error = client.execute(create_source()).await.unwrap_err();
    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    assert!(!error.may_have_been_applied());
    assert_eq!(error.request().unwrap().attempts, 4);
    assert_eq!(client.stats().retries, 3);
}

#[tokio::test]
async fn disabled_retries_send_once() {
    let server = MockServer::start().await;
    mount_failures(&server, WORKSPACE_PATH, 503, 5).await;
    let client = builder(&server.uri())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let error = client.execute(get_workspace()).await.unwrap_err();
    assert_eq!(error.status().unwrap().as_u16(), 503);
    assert_eq!(count(&server, WORKSPACE_PATH).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_retry_budget_stops_a_storm() {
    let server = MockServer::start().await;
    mount_failures(&server, WORKSPACE_PATH, 503, 10_000).await;
    // Room for exactly four retries in all, whatever the number of callers.
    let retry = RetryConfig {
        budget: RetryBudgetConfig {
            capacity: 20,
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refund: 1,
        },
        ..fast_retries()
    };
    let client = builder(&server.uri()).retry(retry).build().unwrap();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.execute(get_workspace()).await })
        })
        .collect();
    for task in tasks {
        assert!(task.await.unwrap().is_err());
    }
    assert_eq!(
        count(&server, WORKSPACE_PATH).await,
        24,
        "20 first attempts + 4 budgeted retries"
    );
    assert_eq!(client.stats().retries, 4);
    assert!(client.stats().budget_exhausted >= 16);
}

#[tokio::test]
async fn retries_stop_at_max_attempts_and_report_them() {
    let server = MockServer::start().await;
    mount_failures(&server, WORKSPACE_PATH, 502, 100).await;
    let client = builder(&server.uri())
        .credentials(Credentials::bearer_token(TOKEN))
        .build()
        .unwrap();
    let error = client.execute(get_workspace()).await.unwrap_err();
    assert_eq!(count(&server, WORKSPACE_PATH).await, 4);
    assert_eq!(error.request().unwrap().attempts, 4);
    assert!(error.to_string().contains("after 4 attempts"), "{error}");
    assert!(error.is_transient());
}

#[tokio::test]
async fn a_retried_delete_that_finds_nothing_succeeded_earlier() {
    let server = RawServer::start_sequence(vec![
        RawBehaviour::DropAfterRead,
        RawBehaviour::Respond {
            status: 404,
            content_type: "application/json".into(),
            body: br#"{"status":404,"title":"resource-not-found"}"#.to_vec(),
        },
    ])
    .await;
    let client = builder(&server.uri).build().unwrap();
    let source = airbyte_models::SourceId::new("s1").unwrap();
    client
        .execute(ops::public::sources::delete(&source))
        .await
        .unwrap();
    assert_eq!(server.requests(), 2);

    // A first-time 404 is still an error.
    let fresh = RawServer::start(RawBehaviour::Respond {
        status: 404,
        content_type: "application/json".into(),
        body: b"{}".to_vec(),
    })
    .await;
    let client = builder(&fresh.uri).build().unwrap();
    assert!(
        client
            .execute(ops::public::sources::delete(&source))
            .await
            .unwrap_err()
            .is_not_found()
    );
}

#[tokio::test]
async fn a_gateway_error_on_a_create_may_have_been_applied() {
    let server = MockServer::start().await;
    mount_failures(&server, "/api/public/v1/sources", 502, 5).await;
    mount_failures(&server, WORKSPACE_PATH, 502, 1).await;
    let client = builder(&server.uri())
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let error = client.execute(create_source()).await.unwrap_err();
    assert!(error.may_have_been_applied(), "{error}");
    let read = client.execute(get_workspace()).await.unwrap_err();
    assert!(!read.may_have_been_applied(), "a read changes nothing");
}
