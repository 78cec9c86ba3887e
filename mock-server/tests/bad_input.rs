//! Bad input gets a 4xx with the API's error shape, and the server keeps serving.

mod support;

use airbyte_mock_server::default_world::PRODUCTION_WORKSPACE_ID;
use bytes::Bytes;
use serde_json::json;
use support::*;

/// What is sent, how, and the status expected: (case, method, path, body, content type, status).
type Case = (
    &'static str,
    &'static str,
    &'static str,
    Option<Bytes>,
    Option<&'static str>,
    u16,
);

#[tokio::test]
async fn every_kind_of_bad_input_is_refused_with_an_error_body() {
    let server = start_fast().await;
    let raw = Raw::authenticated(&server.base_url()).await;
    let sources = "/api/public/v1/sources";
    let cases: Vec<Case> = vec![
        ("malformed JSON", "POST", sources, Some(Bytes::from_static(b"{\"name\": ")), Some("application/json"), 422),
        ("not an object", "POST", sources, Some(Bytes::from_static(b"[1, 2]")), Some("application/json"), 422),
        ("missing required field", "POST", sources, Some(Bytes::from(json!({"name": "x", "configuration": {}}).to_string())), Some("application/json"), 400),
        ("wrong type", "POST", sources, Some(Bytes::from(json!({"name": 5, "workspaceId": PRODUCTION_WORKSPACE_ID, "configuration": {}}).to_string())), Some("application/json"), 422),
        ("no connector type", "POST", sources, Some(Bytes::from(json!({"name": "x", "workspaceId": PRODUCTION_WORKSPACE_ID, "configuration": {}}).to_string())), Some("application/json"), 422),
        ("unknown connector type", "POST", sources, Some(Bytes::from(json!({"name": "x", "workspaceId": PRODUCTION_WORKSPACE_ID, "configuration": {"sourceType": "nope"}}).to_string())), Some("application/json"), 400),
        ("unknown enum value", "POST", "/api/public/v1/jobs", Some(Bytes::from(json!({"connectionId": "c", "jobType": "explode"}).to_string())), Some("application/json"), 422),
        ("refresh refused", "POST", "/api/public/v1/jobs", Some(Bytes::from(json!({"connectionId": "c", "jobType": "refresh"}).to_string())), Some("application/json"), 422),
        ("invalid UTF-8", "POST", sources, Some(Bytes::from_static(&[0x7b, 0xff, 0xfe, 0x7d])), Some("application/json"), 400),
        ("wrong content type", "POST", sources, Some(Bytes::from_static(b"name=x")), Some("text/plain"), 415),
        ("empty body", "POST", sources, Some(Bytes::new()), Some("application/json"), 400),
        ("huge body", "POST", sources, Some(Bytes::from(vec![b' '; 3 * 1024 * 1024])), Some("application/json"), 413),
        ("unknown route", "GET", "/api/public/v1/nowhere", None, None, 404),
        ("unknown prefix", "GET", "/v2/sources", None, None, 404),
        ("wrong method", "PUT", "/api/public/v1/connections", Some(Bytes::from_static(b"{}")), Some("application/json"), 405),
        ("wrong method on the Config API", "GET", "/api/v1/state/get", None, None, 405),
        ("limit too large", "GET", "/api/public/v1/sources?limit=101", None, None, 400),
        ("limit zero", "GET", "/api/public/v1/sources?limit=0", None, None, 400),
        ("negative offset", "GET", "/api/public/v1/sources?offset=-1", None, None, 400),
        ("bad order", "GET", "/api/public/v1/jobs?orderBy=createdAt%7Cdown", None, None, 400),
        ("unknown ID", "GET", "/api/public/v1/destinations/does-not-exist", None, None, 404),
        ("non-numeric job ID", "GET", "/api/public/v1/jobs/abc", None, None, 400),
        ("invalid cron", "POST", "/api/public/v1/connections", Some(Bytes::from(json!({"sourceId": airbyte_mock_server::default_world::FAKER_SOURCE_ID, "destinationId": airbyte_mock_server::default_world::DEV_NULL_DESTINATION_ID, "schedule": {"scheduleType": "cron", "cronExpression": "every day"}}).to_string())), Some("application/json"), 400),
        ("basic schedules cannot be written", "POST", "/api/public/v1/connections", Some(Bytes::from(json!({"sourceId": "s", "destinationId": "d", "schedule": {"scheduleType": "basic"}}).to_string())), Some("application/json"), 422),
        ("unknown stream", "POST", "/api/public/v1/connections", Some(Bytes::from(json!({"sourceId": airbyte_mock_server::default_world::FAKER_SOURCE_ID, "destinationId": airbyte_mock_server::default_world::DEV_NULL_DESTINATION_ID, "configurations": {"streams": [{"name": "ghosts"}]}}).to_string())), Some("application/json"), 400),
        ("config API unknown job", "POST", "/api/v1/jobs/get", Some(Bytes::from(json!({"id": 999_999}).to_string())), Some("application/json"), 404),
        ("config API missing field", "POST", "/api/v1/state/get", Some(Bytes::from_static(b"{}")), Some("application/json"), 400),
    ];
    for (what, method, path, body, content_type, expected) in cases {
        let answer = raw.send_raw(method, path, body, content_type).await;
        assert_eq!(
            answer.status,
            expected,
            "{what}: {}",
            String::from_utf8_lossy(&answer.bytes)
        );
        assert_eq!(
            answer.content_type.as_deref(),
            Some("application/json"),
            "{what}"
        );
        let body = answer.json();
        assert!(
            body.get("errorId").is_some()
                || body.get("title").is_some()
                || body.get("message").is_some(),
            "{what}: {body}"
        );
    }
    // Still serving.
    assert_eq!(raw.get("/api/public/v1/workspaces").await.status, 200);
}

#[tokio::test]
async fn authentication_is_required_and_checked() {
    let server = start_fast().await;
    let anonymous = Raw::new(&server.base_url());
    assert_eq!(anonymous.get("/api/public/v1/sources").await.status, 401);
    assert_eq!(
        anonymous
            .post("/api/v1/state/get", json!({"connectionId": "c"}))
            .await
            .status,
        401
    );
    let mut forged = Raw::new(&server.base_url());
    forged.token = Some("forged".into());
    let answer = forged.get("/api/public/v1/sources").await;
    assert_eq!(answer.status, 401);
    assert_eq!(answer.json()["title"], "invalid-api-key");
    let refused = anonymous
        .post(
            "/api/public/v1/applications/token",
            json!({"client_id": CLIENT_ID, "client_secret": "wrong"}),
        )
        .await;
    assert_eq!(refused.status, 401);
    assert!(refused.json().get("errorId").is_some());
    // Form bodies are accepted by the token endpoint too, with or without a grant.
    let form = anonymous
        .send_raw(
            "POST",
            "/api/public/v1/applications/token",
            Some(Bytes::from(format!(
                "grant_type=client_credentials&client_id={CLIENT_ID}&client_secret={CLIENT_SECRET}"
            ))),
            Some("application/x-www-form-urlencoded"),
        )
        .await;
    assert_eq!(form.status, 200);
    assert_eq!(form.json()["token_type"], "Bearer");
    // Basic auth is off unless configured, even with self-managed Airbyte's default pair.
    let mut basic = Raw::new(&server.base_url());
    basic.authorization = Some("Basic YWlyYnl0ZTpwYXNzd29yZA==".into());
    assert_eq!(basic.get("/api/public/v1/workspaces").await.status, 401);
}

#[tokio::test]
async fn basic_auth_works_only_when_enabled() {
    let server = airbyte_mock_server::MockServer::start(airbyte_mock_server::MockConfig {
        basic_auth: Some(airbyte_mock_server::BasicCredential::airbyte_default()),
        ..airbyte_mock_server::MockConfig::default()
    })
    .await
    .unwrap();
    let mut basic = Raw::new(&server.base_url());
    basic.authorization = Some("Basic YWlyYnl0ZTpwYXNzd29yZA==".into());
    assert_eq!(basic.get("/api/public/v1/workspaces").await.status, 200);
    basic.authorization = Some("Basic YWlyYnl0ZTp3cm9uZw==".into());
    assert_eq!(basic.get("/api/public/v1/workspaces").await.status, 401);
}
