//! The access-token cache: shared, refreshed ahead of expiry, single-flight, re-minted on 401.

mod support;

use std::time::Duration;

use airbyte_models::{SourceId, WorkspaceId, ops};
use airbyte_transport::{Client, Credentials, Error};
use serde_json::json;
use support::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const WORKSPACE_PATH: &str = "/api/public/v1/workspaces/w1";
const TOKEN_PATH: &str = "/api/public/v1/applications/token";

fn workspace_body() -> serde_json::Value {
    json!({"workspaceId": "w1", "name": "main", "dataResidency": "auto", "notifications": {}})
}

async fn mount_workspace(server: &MockServer, token: &str) {
    Mock::given(method("GET"))
        .and(path(WORKSPACE_PATH))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(workspace_body()))
        .mount(server)
        .await;
}

fn get_workspace() -> ops::Operation<airbyte_models::WorkspaceResponse> {
    ops::public::workspaces::get(&WorkspaceId::new("w1").unwrap())
}

#[tokio::test]
async fn the_token_is_cached_across_requests_and_apis() {
    let server = MockServer::start().await;
    mount_token(&server, TOKEN, 900, Duration::ZERO).await;
    mount_workspace(&server, TOKEN).await;
    Mock::given(method("POST"))
        .and(path("/api/v1/state/get"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"stateType": "not_set", "connectionId": "c1"})),
        )
        .mount(&server)
        .await;
    let client = client_with_credentials(&server.uri());
    for _ in 0..5 {
        client.execute(get_workspace()).await.unwrap();
    }
    let state = client
        .execute(ops::config::get_state(&"c1".parse().unwrap()))
        .await
        .unwrap();
    assert_eq!(state.connection_id, "c1");
    assert_eq!(count(&server, TOKEN_PATH).await, 1);
    assert_eq!(client.stats().token_requests, 1);

    // The token request is a JSON body with the credentials and the grant.
    let requests = server.received_requests().await.unwrap();
    let token_request = requests
        .iter()
        .find(|r| r.url.path() == TOKEN_PATH)
        .unwrap();
    let body: serde_json::Value = serde_json::from_slice(&token_request.body).unwrap();
    assert_eq!(body["client_id"], "client-id");
    assert_eq!(body["client_secret"], SECRET);
    assert_eq!(body["grant-type"], "client_credentials");
    assert!(token_request.headers.get("authorization").is_none());
}

#[tokio::test]
async fn the_token_is_refreshed_before_it_expires() {
    let server = MockServer::start().await;
    // A 2 s token is refreshed a fifth of its life early, at 1.6 s.
    mount_token(&server, TOKEN, 2, Duration::ZERO).await;
    mount_workspace(&server, TOKEN).await;
    let client = client_with_credentials(&server.uri());
    client.execute(get_workspace()).await.unwrap();
    client.execute(get_workspace()).await.unwrap();
    assert_eq!(count(&server, TOKEN_PATH).await, 1);
    tokio::time::sleep(Duration::from_millis(1_700)).await;
    // The call uses the token, still valid, and starts its refresh in the background.
    client.execute(get_workspace()).await.unwrap();
    for _ in 0..100 {
        if count(&server, TOKEN_PATH).await == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        count(&server, TOKEN_PATH).await,
        2,
        "refreshed before the 2 s expiry"
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    client.execute(get_workspace()).await.unwrap();
    assert_eq!(
        count(&server, TOKEN_PATH).await,
        2,
        "the refreshed token serves the calls after the old one's expiry"
    );
}

#[tokio::test]
async fn a_jwt_exp_earlier_than_expires_in_wins() {
    let server = MockServer::start().await;
    // The server claims 900 s, but the JWT says it dies in 2 s.
    let token = jwt_expiring_at(now_secs() + 2, "sig");
    mount_token(&server, &token, 900, Duration::ZERO).await;
    mount_workspace(&server, &token).await;
    let client = client_with_credentials(&server.uri());
    client.execute(get_workspace()).await.unwrap();
    client.execute(get_workspace()).await.unwrap();
    assert_eq!(count(&server, TOKEN_PATH).await, 1);
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    client.execute(get_workspace()).await.unwrap();
    assert_eq!(
        count(&server, TOKEN_PATH).await,
        2,
        "the JWT exp forced an early refresh"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_requests_with_an_expired_token_mint_once() {
    let server = MockServer::start().await;
    // A slow token endpoint makes every caller arrive while the refresh is in flight.
    mount_token(&server, TOKEN, 1, Duration::from_millis(200)).await;
    mount_workspace(&server, TOKEN).await;
    let client = client_with_credentials(&server.uri());
    client.execute(get_workspace()).await.unwrap();
    assert_eq!(count(&server, TOKEN_PATH).await, 1);
    tokio::time::sleep(Duration::from_millis(1_100)).await; // the token has expired

    let tasks: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.execute(get_workspace()).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(
        count(&server, TOKEN_PATH).await,
        2,
        "one refresh for 100 callers"
    );
    assert_eq!(count(&server, WORKSPACE_PATH).await, 101);
}

#[tokio::test]
async fn a_401_drops_the_token_mints_once_and_retries_once() {
    let server = MockServer::start().await;
    mount_token(&server, TOKEN, 900, Duration::ZERO).await;
    Mock::given(method("GET"))
        .and(path(WORKSPACE_PATH))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_workspace(&server, TOKEN).await;
    let client = client_with_credentials(&server.uri());
    let workspace = client.execute(get_workspace()).await.unwrap();
    assert_eq!(workspace.name, "main");
    assert_eq!(count(&server, TOKEN_PATH).await, 2);
    assert_eq!(count(&server, WORKSPACE_PATH).await, 2);
    assert_eq!(client.stats().reauthentications, 1);
}

#[tokio::test]
async fn two_401s_are_an_authentication_error() {
    let server = MockServer::start().await;
    mount_token(&server, TOKEN, 900, Duration::ZERO).await;
    Mock::given(method("GET"))
        .and(path(WORKSPACE_PATH))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let client = client_with_credentials(&server.uri());
    let error = client.execute(get_workspace()).await.unwrap_err();
    assert!(error.is_authentication(), "{error}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(count(&server, TOKEN_PATH).await, 2);
    assert_eq!(count(&server, WORKSPACE_PATH).await, 2);
}

#[tokio::test]
async fn refused_credentials_are_an_authentication_error_naming_the_token_endpoint() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"errorId": "e-1"})))
        .mount(&server)
        .await;
    let client = client_with_credentials(&server.uri());
    let error = client.execute(get_workspace()).await.unwrap_err();
    let Error::Authentication { reason, api } = &error else {
        panic!("{error:?}")
    };
    assert!(reason.contains("/applications/token"), "{reason}");
    assert_eq!(api.as_ref().unwrap().error_id(), Some("e-1"));
    assert_eq!(count(&server, WORKSPACE_PATH).await, 0);
    // A refused token request is not retried: credentials do not fix themselves.
    assert_eq!(count(&server, TOKEN_PATH).await, 1);
}

#[tokio::test]
async fn token_type_is_compared_case_insensitively_and_odd_types_are_refused() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": 900}),
        ))
        .mount(&server)
        .await;
    mount_workspace(&server, TOKEN).await;
    client_with_credentials(&server.uri())
        .execute(get_workspace())
        .await
        .unwrap();

    let odd = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": TOKEN, "token_type": "MAC"})),
        )
        .mount(&odd)
        .await;
    let error = client_with_credentials(&odd.uri())
        .execute(get_workspace())
        .await
        .unwrap_err();
    assert!(
        error.is_authentication() && error.to_string().contains("MAC"),
        "{error}"
    );
}

#[tokio::test]
async fn bearer_and_basic_credentials_are_sent_as_given_and_never_minted() {
    let server = MockServer::start().await;
    mount_workspace(&server, TOKEN).await;
    // Anything without the right credentials is refused.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(10)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/public/v1/sources/s1"))
        .and(header("authorization", "Basic YWlyYnl0ZTpwYXNzd29yZA=="))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "sourceId": "s1", "name": "n", "sourceType": "faker", "definitionId": "d",
            "workspaceId": "w1", "configuration": {}, "createdAt": 1
        })))
        .mount(&server)
        .await;
    let bearer = builder(&server.uri())
        .credentials(Credentials::bearer_token(TOKEN))
        .build()
        .unwrap();
    bearer.execute(get_workspace()).await.unwrap();
    let basic = builder(&server.uri())
        .credentials(Credentials::basic("airbyte", "password"))
        .build()
        .unwrap();
    basic
        .execute(ops::public::sources::get(&SourceId::new("s1").unwrap()))
        .await
        .unwrap();
    assert_eq!(count(&server, TOKEN_PATH).await, 0);

    // A refused bearer token cannot be re-minted: one request, then an authentication error.
    let refused = builder(&server.uri())
        .credentials(Credentials::bearer_token("stale"))
        .build()
        .unwrap();
    let error = refused.execute(get_workspace()).await.unwrap_err();
    assert!(error.is_authentication(), "{error}");
    assert!(
        error.to_string().contains("refused the bearer token"),
        "{error}"
    );
    assert_eq!(
        count(&server, WORKSPACE_PATH).await,
        2,
        "the refused bearer token was sent once"
    );
}

#[tokio::test]
async fn check_credentials_mints_a_token() {
    let server = MockServer::start().await;
    mount_token(&server, TOKEN, 900, Duration::ZERO).await;
    client_with_credentials(&server.uri())
        .check_credentials()
        .await
        .unwrap();
    assert_eq!(count(&server, TOKEN_PATH).await, 1);
    let none = Client::builder()
        .api_root(format!("{}/api/public/v1", server.uri()))
        .build()
        .unwrap();
    assert!(matches!(
        none.check_credentials().await,
        Err(Error::InvalidInput { .. })
    ));
}

/// Reads the workspace within two seconds, all attempts and waits included.
async fn within_two_seconds(client: &Client) -> Result<airbyte_models::WorkspaceResponse, Error> {
    client
        .execute_with(
            get_workspace(),
            &airbyte_transport::RequestOptions {
                operation_timeout: Some(Duration::from_secs(2)),
                ..Default::default()
            },
        )
        .await
}

/// Twenty callers with a 2 s operation timeout, all at once.
async fn twenty_calls(client: &Client) -> Vec<Result<airbyte_models::WorkspaceResponse, Error>> {
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { within_two_seconds(&client).await })
        })
        .collect();
    let mut results = Vec::new();
    for task in tasks {
        results.push(task.await.unwrap());
    }
    results
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_mint_is_shared_by_every_caller_waiting_on_it() {
    let server = MockServer::start().await;
    // A dead token endpoint: every answer is a 503, slow enough that all callers queue up.
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(503).set_delay(Duration::from_millis(100)))
        .mount(&server)
        .await;
    mount_workspace(&server, TOKEN).await;
    let client = client_with_credentials(&server.uri());
    let started = std::time::Instant::now();
    let results = twenty_calls(&client).await;
    let elapsed = started.elapsed();
    assert!(results.iter().all(Result::is_err), "{results:?}");
    assert!(
        elapsed < Duration::from_millis(2_600),
        "all twenty calls end within the 2 s bound: {elapsed:?}"
    );
    let mints = count(&server, TOKEN_PATH).await;
    assert!(
        (1..=fast_retries().max_attempts as usize).contains(&mints),
        "one mint with its retries, not one per caller: {mints} token requests"
    );
    assert_eq!(client.stats().token_requests, 1, "one mint");
    assert_eq!(count(&server, WORKSPACE_PATH).await, 0);

    // The failure is not cached: the next call tries again.
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 900}),
        ))
        .with_priority(1)
        .mount(&server)
        .await;
    client.execute(get_workspace()).await.unwrap();
    assert_eq!(client.stats().token_requests, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_for_a_slow_token_counts_against_the_operation_timeout() {
    let server = MockServer::start().await;
    mount_token(&server, TOKEN, 900, Duration::from_secs(4)).await;
    mount_workspace(&server, TOKEN).await;
    let client = client_with_credentials(&server.uri());
    let started = std::time::Instant::now();
    let results = twenty_calls(&client).await;
    let elapsed = started.elapsed();
    for result in &results {
        let error = result.as_ref().unwrap_err();
        assert!(
            matches!(
                error,
                Error::Timeout {
                    kind: airbyte_transport::TimeoutKind::Operation,
                    ..
                }
            ),
            "{error}"
        );
    }
    assert!(
        elapsed < Duration::from_millis(2_600),
        "the token wait is part of the 2 s: {elapsed:?}"
    );
    assert_eq!(
        count(&server, TOKEN_PATH).await,
        1,
        "one mint for twenty callers"
    );
}

#[tokio::test]
async fn an_attempt_after_a_token_wait_gets_only_the_time_left() {
    let server = MockServer::start().await;
    // The mint takes 1.5 s of the 2 s; the API answer would take 1.5 s more.
    mount_token(&server, TOKEN, 900, Duration::from_millis(1_500)).await;
    Mock::given(method("GET"))
        .and(path(WORKSPACE_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(workspace_body())
                .set_delay(Duration::from_millis(1_500)),
        )
        .mount(&server)
        .await;
    let client = client_with_credentials(&server.uri());
    let started = std::time::Instant::now();
    let error = within_two_seconds(&client).await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(error.is_timeout(), "{error}");
    assert!(
        elapsed < Duration::from_millis(2_500),
        "the attempt did not get a fresh 2 s: {elapsed:?}"
    );
}

/// A token endpoint that answers `status` (with `retry_after` seconds, when given).
async fn token_endpoint_answering(status: u16, retry_after: Option<&str>) -> MockServer {
    let server = MockServer::start().await;
    let mut answer = ResponseTemplate::new(status)
        .set_body_json(json!({"message": "You are being rate limited."}));
    if let Some(seconds) = retry_after {
        answer = answer.insert_header("retry-after", seconds);
    }
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(answer)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn an_outage_of_the_token_endpoint_is_an_outage_not_refused_credentials() {
    for status in [500, 502, 503] {
        let server = token_endpoint_answering(status, None).await;
        let error = client_with_credentials(&server.uri())
            .execute(get_workspace())
            .await
            .unwrap_err();
        let message = error.to_string();
        assert!(
            matches!(error, Error::TokenUnavailable { .. }),
            "HTTP {status}: {error:?}"
        );
        assert!(!message.contains("refused"), "HTTP {status}: {message}");
        assert!(
            message.contains("unavailable") && message.contains(&status.to_string()),
            "{message}"
        );
        assert!(
            !error.is_authentication(),
            "the credentials were not judged"
        );
        assert!(error.is_transient(), "an outage passes: {message}");
        assert!(error.is_server_error());
        assert_eq!(error.status().map(|status| status.as_u16()), Some(status));
        assert!(
            error
                .request()
                .unwrap()
                .path
                .ends_with("/applications/token")
        );
    }
}

#[tokio::test]
async fn rate_limiting_by_the_token_endpoint_is_rate_limiting() {
    let server = token_endpoint_answering(429, Some("3600")).await;
    let error = client_with_credentials(&server.uri())
        .execute(get_workspace())
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::TokenUnavailable { .. }), "{error:?}");
    assert!(error.is_rate_limited(), "{message}");
    assert!(error.is_transient(), "{message}");
    assert!(!error.is_authentication());
    assert!(
        message.contains("rate limit") && !message.contains("refused"),
        "{message}"
    );
    assert_eq!(
        error.api_error().and_then(|api| api.retry_after),
        Some(Duration::from_secs(3600)),
        "the wait the server asked for is kept"
    );
}

#[tokio::test]
async fn a_token_endpoint_refusing_the_credentials_is_still_an_authentication_error() {
    for status in [400, 401, 403] {
        let server = token_endpoint_answering(status, None).await;
        let error = client_with_credentials(&server.uri())
            .execute(get_workspace())
            .await
            .unwrap_err();
        assert!(error.is_authentication(), "HTTP {status}: {error}");
        assert!(!error.is_transient(), "HTTP {status}: {error}");
    }
}

/// A token endpoint that issues `body`, and a workspace route that takes any token.
async fn token_endpoint_issuing(body: serde_json::Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(WORKSPACE_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(workspace_body()))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_token_that_claims_to_live_forever_does_not_panic() {
    // `expires_in` at the largest integer, and a JWT whose `exp` is as far as it goes: adding
    // such a lifetime to the clock overflowed and panicked.
    let far = jwt_expiring_at(i64::MAX, "sig");
    for body in [
        json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": i64::MAX}),
        json!({"access_token": far, "token_type": "Bearer"}),
        json!({"access_token": far, "token_type": "Bearer", "expires_in": i64::MAX}),
    ] {
        let server = token_endpoint_issuing(body.clone()).await;
        let client = client_with_credentials(&server.uri());
        let outcome = tokio::spawn(async move {
            client.execute(get_workspace()).await?;
            client.execute(get_workspace()).await
        })
        .await;
        let workspace = outcome.unwrap_or_else(|panic| panic!("{body}: {panic}"));
        assert_eq!(workspace.unwrap().name, "main");
        assert_eq!(count(&server, TOKEN_PATH).await, 1, "{body}: cached");
    }
}

#[tokio::test]
async fn a_token_already_expired_or_without_expiry_is_still_used() {
    for body in [
        json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": -5}),
        json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 0}),
        json!({"access_token": jwt_expiring_at(now_secs() - 600, "old"), "token_type": "Bearer"}),
        json!({"access_token": TOKEN, "token_type": "Bearer"}),
    ] {
        let server = token_endpoint_issuing(body.clone()).await;
        let client = client_with_credentials(&server.uri());
        assert_eq!(
            client.execute(get_workspace()).await.unwrap().name,
            "main",
            "{body}"
        );
    }
}

#[tokio::test]
async fn garbage_from_the_token_endpoint_is_a_typed_error() {
    for (content_type, body) in [
        ("application/json", &b"{\"access_token\": 12"[..]),
        ("application/json", b"[]"),
        ("application/json", b"{\"token_type\": \"Bearer\"}"),
        ("text/html", b"<html>login</html>"),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .and(path(TOKEN_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, content_type))
            .mount(&server)
            .await;
        let error = client_with_credentials(&server.uri())
            .execute(get_workspace())
            .await
            .unwrap_err();
        assert!(
            error.to_string().contains("token endpoint"),
            "{}: {error}",
            String::from_utf8_lossy(body)
        );
        assert_eq!(count(&server, WORKSPACE_PATH).await, 0);
    }
}

#[tokio::test]
async fn timeouts_too_large_for_the_clock_do_not_panic() {
    let server = MockServer::start().await;
    mount_workspace(&server, TOKEN).await;
    // A client-wide operation timeout, and per-call ones, beyond what the clock can add.
    let client = builder(&server.uri())
        .credentials(Credentials::bearer_token(TOKEN))
        .operation_timeout(Duration::MAX)
        .attempt_timeout(Duration::MAX)
        .connect_timeout(Duration::MAX)
        .pool_idle_timeout(Duration::MAX)
        .build()
        .unwrap();
    let outcome = tokio::spawn({
        let client = client.clone();
        async move { client.execute(get_workspace()).await }
    })
    .await;
    assert_eq!(outcome.expect("no panic").unwrap().name, "main");
    let outcome = tokio::spawn(async move {
        client
            .execute_with(
                get_workspace(),
                &airbyte_transport::RequestOptions {
                    operation_timeout: Some(Duration::MAX),
                    attempt_timeout: Some(Duration::from_secs(u64::MAX)),
                    ..Default::default()
                },
            )
            .await
    })
    .await;
    assert_eq!(outcome.expect("no panic").unwrap().name, "main");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_refresh_does_not_hold_up_calls_while_the_current_token_is_valid() {
    // A 3 s token is refreshed from 2.4 s on; from then, the token endpoint hangs. The token
    // still works until 3 s, so a call at 2.5 s with a 400 ms budget must not wait for the
    // refresh (it timed out waiting for it).
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"access_token": TOKEN, "token_type": "Bearer", "expires_in": 3}),
            ),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mount_token(&server, "NEXT-token", 900, Duration::from_secs(5)).await;
    mount_workspace(&server, TOKEN).await;
    mount_workspace(&server, "NEXT-token").await;
    let client = client_with_credentials(&server.uri());
    client.execute(get_workspace()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    let quick = airbyte_transport::RequestOptions {
        operation_timeout: Some(Duration::from_millis(400)),
        ..Default::default()
    };
    let started = std::time::Instant::now();
    client
        .execute_with(get_workspace(), &quick)
        .await
        .expect("the current token still works");
    assert!(started.elapsed() < Duration::from_millis(400));
    // The refresh was started, in the background.
    for _ in 0..100 {
        if client.stats().token_requests == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(client.stats().token_requests, 2);
    // A second call meanwhile neither waits nor starts another refresh.
    client.execute_with(get_workspace(), &quick).await.unwrap();
    assert_eq!(client.stats().token_requests, 2);
}
