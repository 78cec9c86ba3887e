//! Secrets never leak: not in `Debug` of configurations, credentials or errors, and not in the
//! complete `TRACE` output of a run with token requests, retries and API errors.

mod support;

use std::time::Duration;

use airbyte_models::{ConnectorConfig, SourceCreateRequest, SourceId, WorkspaceId, ops};
use airbyte_transport::{Client, Credentials, Error};
use serde_json::json;
use support::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "PASSW0RD-config-sentinel";
const SENTINELS: [&str; 3] = [SECRET, TOKEN, PASSWORD];

fn assert_clean(what: &str, text: &str) {
    for sentinel in SENTINELS {
        assert!(
            !text.contains(sentinel),
            "{what} leaked {sentinel}:\n{text}"
        );
    }
}

#[test]
fn credentials_builders_and_clients_hide_secrets_in_debug() {
    let all = [
        Credentials::client_credentials("id", SECRET),
        Credentials::bearer_token(TOKEN),
        Credentials::basic("user", PASSWORD),
        Credentials::None,
    ];
    for credentials in all {
        assert_clean("credentials", &format!("{credentials:?}"));
        let builder = Client::builder().credentials(credentials);
        assert_clean("builder", &format!("{builder:?}"));
        let client = builder.build().unwrap();
        assert_clean("client", &format!("{client:?}"));
    }
}

async fn leaky_server() -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server, TOKEN, 900, Duration::ZERO).await;
    // One refused token, one transient failure, then success.
    Mock::given(path("/api/public/v1/sources"))
        .respond_with(ResponseTemplate::new(401))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/api/public/v1/sources"))
        .respond_with(ResponseTemplate::new(503).set_body_json(json!({"message": "busy"})))
        .up_to_n_times(1)
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/public/v1/sources"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "sourceId": "s1", "name": "pg", "sourceType": "postgres", "definitionId": "d",
            "workspaceId": "w1", "configuration": {"host": "h", "password": PASSWORD}, "createdAt": 1
        })))
        .mount(&server)
        .await;
    // Errors that echo the credentials and the configuration of the request back.
    Mock::given(path("/api/public/v1/sources/bad"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "status": 400, "title": "bad-request", "type": "x",
            "detail": format!("refused {SECRET} and {TOKEN}"),
            "data": {"message": format!("refused {TOKEN}"), "password": PASSWORD}
        })))
        .mount(&server)
        .await;
    Mock::given(path("/api/public/v1/destinations"))
        .respond_with(ResponseTemplate::new(422).set_body_json(json!({
            "status": 422, "title": "unprocessable-entity", "type": "x",
            "data": {"message": format!("configuration invalid: password {PASSWORD} too short")}
        })))
        .mount(&server)
        .await;
    // A success that does not decode, with a secret in it.
    Mock::given(path("/api/public/v1/sources/odd"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"sourceId": 5, "api_key": PASSWORD})),
        )
        .mount(&server)
        .await;
    server
}

async fn run_workflow(server_uri: &str) -> Vec<Error> {
    let client = client_with_credentials(server_uri);
    let create = SourceCreateRequest::new(
        "pg",
        WorkspaceId::new("w1").unwrap(),
        ConnectorConfig::from(
            json!({"sourceType": "postgres", "host": "h", "password": PASSWORD,
                                      "tunnel": {"ssh_key": PASSWORD}}),
        ),
    );
    let created = client
        .execute(ops::public::sources::create(&create))
        .await
        .unwrap();
    assert_clean("a decoded source", &format!("{created:?}"));
    let mut errors = Vec::new();
    let destination = airbyte_models::DestinationCreateRequest::new(
        "dest",
        WorkspaceId::new("w1").unwrap(),
        ConnectorConfig::from(
            json!({"destinationType": "postgres", "credentials": {"password": PASSWORD}}),
        ),
    );
    errors.push(
        client
            .execute(ops::public::destinations::create(&destination))
            .await
            .unwrap_err(),
    );
    for id in ["bad", "odd"] {
        errors.push(
            client
                .execute(ops::public::sources::get(&SourceId::new(id).unwrap()))
                .await
                .unwrap_err(),
        );
    }
    let refused = MockServer::start().await;
    Mock::given(path("/api/public/v1/applications/token"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(json!({"errorId": "e", "message": SECRET})),
        )
        .mount(&refused)
        .await;
    errors.push(
        client_with_credentials(&refused.uri())
            .execute(ops::public::sources::get(&SourceId::new("x").unwrap()))
            .await
            .unwrap_err(),
    );
    errors
}

/// Runs `work` on a runtime of its own with every event and span written at `TRACE`; its
/// output and the text written.
fn traced<T>(work: impl std::future::Future<Output = T>) -> (T, String) {
    let logs = CapturedLogs::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(logs.clone())
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let output = tracing::subscriber::with_default(subscriber, || runtime.block_on(work));
    (output, logs.text())
}

#[test]
fn errors_and_the_complete_trace_output_hold_no_secret() {
    let (errors, text) = traced(async {
        let server = leaky_server().await;
        run_workflow(&server.uri()).await
    });
    assert_eq!(errors.len(), 4);
    for error in &errors {
        assert_clean("error Display", &error.to_string());
        assert_clean("error Debug", &format!("{error:?}"));
        let mut source = std::error::Error::source(error);
        while let Some(inner) = source {
            assert_clean("error source", &inner.to_string());
            source = inner.source();
        }
    }
    assert!(
        errors[0].to_string().contains("configuration invalid"),
        "{}",
        errors[0]
    );
    assert!(matches!(errors[2], Error::Decode { .. }));
    assert!(errors[3].is_authentication());
    // The run really was traced: token, retry and error events are all there.
    for expected in [
        "airbyte.token",
        "retrying",
        "airbyte.attempt",
        "request body",
        "response body",
        "status=400",
    ] {
        assert!(
            text.contains(expected),
            "missing {expected:?} in the trace output"
        );
    }
    assert_clean("trace output", &text);
}

const OAUTH_CODE: &str = "C0DE-oauth-code-sentinel";
const OAUTH_STATE: &str = "ST4TE-oauth-state-sentinel";

/// An OAuth callback that fails with an answer echoing the code and the state, as servers do.
async fn echoing_callback() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/public/v1/oauth/callback"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "status": 400, "title": "bad-request", "type": "x",
            "detail": format!("code {OAUTH_CODE} is not valid for state {OAUTH_STATE}"),
            "data": {"code": OAUTH_CODE, "state": OAUTH_STATE}
        })))
        .mount(&server)
        .await;
    server
}

#[test]
fn an_oauth_callbacks_code_and_state_never_show() {
    let operation = ops::public::oauth::callback(OAUTH_STATE, OAUTH_CODE);
    let (error, text) = traced(async {
        let server = echoing_callback().await;
        client_with_credentials(&server.uri())
            .execute(operation.clone())
            .await
            .unwrap_err()
    });
    let clean = |what: &str, text: &str| {
        for sentinel in [OAUTH_CODE, OAUTH_STATE] {
            assert!(
                !text.contains(sentinel),
                "{what} leaked {sentinel}:\n{text}"
            );
        }
    };
    clean("operation Debug", &format!("{operation:?}"));
    clean("error Display", &error.to_string());
    clean("error Debug", &format!("{error:?}"));
    assert!(error.to_string().contains("is not valid"), "{error}");
    assert!(text.contains("response body"), "the run was traced");
    clean("trace output", &text);
}
