//! Errors say where a call failed: timeouts, wrong roots, API errors, decoding, limits and
//! input refused before sending.

mod support;

use std::time::{Duration, Instant};

use airbyte_models::{JobCreateRequest, JobType, SourceId, WorkspaceId, ops};
use airbyte_transport::{Error, RequestOptions, RetryConfig, TimeoutKind};
use serde_json::json;
use support::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const WORKSPACE_PATH: &str = "/api/public/v1/workspaces/w1";

fn get_workspace() -> ops::Operation<airbyte_models::WorkspaceResponse> {
    ops::public::workspaces::get(&WorkspaceId::new("w1").unwrap())
}

fn workspace_json() -> serde_json::Value {
    json!({"workspaceId": "w1", "name": "main", "dataResidency": "auto", "notifications": {}})
}

#[tokio::test]
async fn an_attempt_timeout_fires_for_a_slow_server() {
    let server = MockServer::start().await;
    Mock::given(path(WORKSPACE_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(workspace_json())
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .attempt_timeout(Duration::from_millis(200))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.execute(get_workspace()).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        matches!(
            error,
            Error::Timeout {
                kind: TimeoutKind::Attempt,
                may_have_been_applied: false,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_timeout() && error.is_transient());
}

#[tokio::test]
async fn the_operation_timeout_bounds_all_retries() {
    let server = MockServer::start().await;
    Mock::given(path(WORKSPACE_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(workspace_json())
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .attempt_timeout(Duration::from_millis(150))
        .operation_timeout(Duration::from_millis(400))
        .retry(RetryConfig {
            max_attempts: 50,
            ..fast_retries()
        })
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.execute(get_workspace()).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(1_500),
        "{:?}",
        started.elapsed()
    );
    assert!(error.is_timeout(), "{error:?}");
    let attempts = error.request().unwrap().attempts;
    assert!((2..=4).contains(&attempts), "{attempts} attempts");
}

#[tokio::test]
async fn per_call_options_override_the_client() {
    let server = MockServer::start().await;
    Mock::given(path(WORKSPACE_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(workspace_json())
                .set_delay(Duration::from_millis(300)),
        )
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let options = RequestOptions {
        attempt_timeout: Some(Duration::from_millis(50)),
        retry: Some(RetryConfig::disabled()),
        ..RequestOptions::default()
    };
    assert!(
        client
            .execute_with(get_workspace(), &options)
            .await
            .unwrap_err()
            .is_timeout()
    );
    client.execute(get_workspace()).await.unwrap();
}

#[tokio::test]
async fn an_html_page_gives_the_wrong_root_error() {
    let server = MockServer::start().await;
    Mock::given(path(WORKSPACE_PATH))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("<!doctype html><html>Airbyte</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let error = client.execute(get_workspace()).await.unwrap_err();
    let Error::UnexpectedContentType {
        hint, content_type, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert!(hint.contains("API root"), "{hint}");
    assert!(content_type.contains("html"));

    // The same for an HTML error page (a wrong root often answers 404 with HTML).
    let wrong = MockServer::start().await;
    Mock::given(path(WORKSPACE_PATH))
        .respond_with(ResponseTemplate::new(404).set_body_raw("<html>Not here</html>", "text/html"))
        .mount(&wrong)
        .await;
    let error = builder(&wrong.uri())
        .build()
        .unwrap()
        .execute(get_workspace())
        .await
        .unwrap_err();
    assert!(error.is_not_found());
    assert!(error.to_string().contains("API root"), "{error}");
}

#[tokio::test]
async fn a_404_maps_to_not_found_with_the_servers_message() {
    let server = MockServer::start().await;
    Mock::given(path("/api/public/v1/sources/s404"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({
            "status": 404, "type": "https://reference.airbyte.com/reference/errors#resource-not-found",
            "title": "resource-not-found", "detail": "The requested resource could not be found.",
            "documentationUrl": null, "data": {"resourceType": "SOURCE_CONNECTION", "resourceId": "s404"}
        })))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let error = client
        .execute(ops::public::sources::get(&SourceId::new("s404").unwrap()))
        .await
        .unwrap_err();
    assert!(error.is_not_found());
    let api = error.api_error().unwrap();
    assert_eq!(api.request.method, "GET");
    assert_eq!(api.request.path, "/api/public/v1/sources/s404");
    assert_eq!(api.title(), Some("resource-not-found"));
    assert_eq!(api.message, "The requested resource could not be found.");
    let text = error.to_string();
    assert!(
        text.contains("GET /api/public/v1/sources/s404") && text.contains("404"),
        "{text}"
    );
}

#[tokio::test]
async fn conflict_and_locked_helpers() {
    let server = MockServer::start().await;
    Mock::given(path("/api/public/v1/jobs"))
        .respond_with(ResponseTemplate::new(409).set_body_json(json!({
            "status": 409, "title": "try-again-later", "type": "x",
            "data": {"message": "A sync is already running for: c1"}
        })))
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/state/create_or_update_safe"))
        .respond_with(
            ResponseTemplate::new(423)
                .set_body_json(json!({"message": "sync running", "errorId": "e"})),
        )
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let error = client
        .execute(ops::public::jobs::create(&JobCreateRequest {
            connection_id: "c1".parse().unwrap(),
            job_type: JobType::Sync,
        }))
        .await
        .unwrap_err();
    assert!(error.is_conflict());
    assert_eq!(
        error.api_error().unwrap().message,
        "A sync is already running for: c1"
    );
    let state = airbyte_models::ConnectionStateCreateOrUpdate {
        connection_id: "c1".parse().unwrap(),
        connection_state: airbyte_models::ConnectionState::not_set("c1".parse().unwrap()),
    };
    let error = client
        .execute(ops::config::create_or_update_state_safe(&state))
        .await
        .unwrap_err();
    assert!(error.is_locked(), "{error}");
}

#[tokio::test]
async fn hostile_ids_stay_inside_one_path_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    assert!(
        SourceId::new("..").is_err(),
        "dot segments are refused as IDs"
    );
    for id in [
        "../../workspaces",
        "a/b",
        "x?limit=1",
        "frag#ment",
        "...",
        "sp ace",
    ] {
        let _ = client
            .execute(ops::public::sources::get(&SourceId::new(id).unwrap()))
            .await;
    }
    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 6);
    for request in requests {
        let raw_path = request.url.path();
        let segments: Vec<&str> = raw_path.trim_start_matches('/').split('/').collect();
        assert_eq!(
            segments,
            ["api", "public", "v1", "sources", segments[4]],
            "{raw_path}"
        );
        assert!(
            !segments[4].is_empty() && !segments[4].contains('/'),
            "{raw_path}"
        );
        assert!(request.url.query().is_none(), "{}", request.url);
        assert!(request.url.fragment().is_none(), "{}", request.url);
    }
}

#[tokio::test]
async fn answers_over_the_limit_are_refused() {
    let server = MockServer::start().await;
    Mock::given(path(WORKSPACE_PATH))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(vec![b' '; 10_000], "application/json"),
        )
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .max_response_bytes(1_000)
        .build()
        .unwrap();
    let error = client.execute(get_workspace()).await.unwrap_err();
    assert!(
        matches!(error, Error::BodyTooLarge { limit: 1_000, .. }),
        "{error:?}"
    );
}

/// A workspace answer in `pieces` chunks.
fn workspace_in_chunks(pieces: usize) -> Vec<Vec<u8>> {
    let body = serde_json::to_vec(&workspace_json()).unwrap();
    body.chunks(body.len().div_ceil(pieces))
        .map(<[u8]>::to_vec)
        .collect()
}

#[tokio::test]
async fn an_answer_in_many_chunks_is_read_whole() {
    let server = RawServer::start(RawBehaviour::Chunked {
        chunks: workspace_in_chunks(4),
        pause: Duration::from_millis(20),
    })
    .await;
    let client = builder(&server.uri).build().unwrap();
    let workspace = client.execute(get_workspace()).await.unwrap();
    assert_eq!(workspace.name, "main");
}

#[tokio::test]
async fn a_chunked_answer_over_the_limit_is_refused() {
    // No length is announced: the limit holds while the body arrives.
    let chunks = workspace_in_chunks(4);
    let total: usize = chunks.iter().map(Vec::len).sum();
    let server = RawServer::start(RawBehaviour::Chunked {
        chunks,
        pause: Duration::from_millis(20),
    })
    .await;
    let client = builder(&server.uri)
        .max_response_bytes(total - 1)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let error = client.execute(get_workspace()).await.unwrap_err();
    assert!(matches!(error, Error::BodyTooLarge { .. }), "{error:?}");
}

#[tokio::test]
async fn an_announced_length_over_the_limit_is_refused_before_reading() {
    // The server announces 10,000 bytes and sends none: a client that read before checking
    // would wait for the attempt timeout.
    let server = RawServer::start(RawBehaviour::AnnounceOnly { length: 10_000 }).await;
    let client = builder(&server.uri)
        .max_response_bytes(1_000)
        .attempt_timeout(Duration::from_secs(20))
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client.execute(get_workspace()).await.unwrap_err();
    assert!(
        matches!(error, Error::BodyTooLarge { limit: 1_000, .. }),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn decode_errors_name_the_json_path() {
    let server = MockServer::start().await;
    Mock::given(path("/api/public/v1/sources"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [
            {"sourceId": "s1", "name": "a", "sourceType": "x", "definitionId": "d", "workspaceId": "w", "configuration": {}, "createdAt": 1},
            {"sourceId": "", "name": "b", "sourceType": "x", "definitionId": "d", "workspaceId": "w", "configuration": {"password": "hunter2"}, "createdAt": 1}
        ]})))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    let error = client
        .execute(ops::public::sources::list(&Default::default()))
        .await
        .unwrap_err();
    let Error::Decode {
        json_path,
        body_excerpt,
        ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert_eq!(json_path, "data[1].sourceId");
    assert!(!body_excerpt.contains("hunter2"));
}

#[tokio::test]
async fn invalid_operations_are_refused_before_sending() {
    let server = MockServer::start().await;
    let client = builder(&server.uri()).build().unwrap();
    let refresh = JobCreateRequest {
        connection_id: "c1".parse().unwrap(),
        job_type: JobType::Refresh,
    };
    let error = client
        .execute(ops::public::jobs::create(&refresh))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidInput {
                operation: "jobs.create",
                ..
            }
        ),
        "{error:?}"
    );
    let bad_page = ops::ListParams {
        limit: 0,
        ..Default::default()
    };
    assert!(matches!(
        client.execute(ops::public::sources::list(&bad_page)).await,
        Err(Error::InvalidInput { .. })
    ));
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_disabled_config_api_refuses_config_operations() {
    let client = airbyte_transport::Client::builder()
        .api_root("https://proxy.example/airbyte")
        .without_config_api()
        .build()
        .unwrap();
    let error = client
        .execute(ops::config::get_state(&"c".parse().unwrap()))
        .await
        .unwrap_err();
    assert!(
        error.to_string().contains("Config API is disabled"),
        "{error}"
    );
}

#[tokio::test]
async fn empty_answers_decode_for_no_content_operations() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/public/v1/sources/s1"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = builder(&server.uri()).build().unwrap();
    client
        .execute(ops::public::sources::delete(&SourceId::new("s1").unwrap()))
        .await
        .unwrap();
}

#[test]
fn builder_errors_name_the_setting() {
    let error = airbyte_transport::Client::builder()
        .api_root("http://airbyte.example.com/api/public/v1")
        .build()
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Config {
                setting: "api_root",
                ..
            }
        ),
        "{error:?}"
    );
    let error = airbyte_transport::Client::builder()
        .attempt_timeout(Duration::ZERO)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Config {
                setting: "attempt_timeout",
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn requests_name_the_crate_and_version_in_the_user_agent() {
    let server = MockServer::start().await;
    Mock::given(path(WORKSPACE_PATH))
        .and(wiremock::matchers::header_regex(
            "user-agent",
            r"^airbyte-transport/\d+\.\d+\.\d+ my-tool/1\.0$",
        ))
        .and(wiremock::matchers::header("accept", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(workspace_json()))
        .mount(&server)
        .await;
    let client = builder(&server.uri())
        .user_agent_suffix("my-tool/1.0")
        .build()
        .unwrap();
    client.execute(get_workspace()).await.unwrap();
}
