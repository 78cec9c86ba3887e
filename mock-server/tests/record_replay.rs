//! Recording against a (second) mock server, then replaying the recording; strict replay names
//! the closest fixture for an unmatched request; invalid fixtures stop the server at start.

mod support;

use airbyte_mock_server::default_world::*;
use airbyte_mock_server::{Error, MockConfig, MockServer, Mode};
use serde_json::json;
use support::*;

/// A fresh directory, removed when dropped (also when the test fails).
fn temp_dir(name: &str) -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("airbyte-mock-{name}-"))
        .tempdir()
        .unwrap()
}

/// An upstream mock, a recorder in front of it writing into a fresh directory, and a client
/// of the recorder.
struct Recording {
    upstream: MockServer,
    recorder: MockServer,
    out_dir: tempfile::TempDir,
    client: Raw,
}

async fn recording(name: &str) -> Recording {
    let upstream = start_fast().await;
    let out_dir = temp_dir(name);
    let recorder = MockServer::record(
        MockConfig::default(),
        &upstream.base_url(),
        out_dir.path().to_path_buf(),
    )
    .await
    .unwrap();
    let client = Raw::authenticated(&recorder.base_url()).await;
    Recording {
        upstream,
        recorder,
        out_dir,
        client,
    }
}

/// A strict replay server of the fixtures in `dir`, and a client authenticated against it.
async fn strict_replay(dir: std::path::PathBuf) -> (MockServer, Raw) {
    let replay = MockServer::start(MockConfig {
        mode: Mode::Replay,
        strict: true,
        fixtures_dir: Some(dir),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let raw = Raw::authenticated(&replay.base_url()).await;
    (replay, raw)
}

#[tokio::test]
async fn a_recording_replays_and_strict_mode_reports_misses() {
    let Recording {
        upstream,
        recorder,
        out_dir,
        client: through_recorder,
    } = recording("record").await;
    let out = out_dir.path().to_path_buf();
    let source_path = format!("/api/public/v1/sources/{FAKER_SOURCE_ID}");
    let recorded_source = through_recorder.get(&source_path).await;
    assert_eq!(recorded_source.status, 200);
    let recorded_page = through_recorder
        .get("/api/public/v1/sources?limit=2&offset=0")
        .await
        .json();
    let created = through_recorder
        .post(
            "/api/public/v1/destinations",
            json!({"name": "rec", "workspaceId": PRODUCTION_WORKSPACE_ID,
            "configuration": {"destinationType": "dev-null", "api_key": "REC-SECRET-123"}}),
        )
        .await;
    assert_eq!(created.status, 200);
    let missing = through_recorder.get("/api/public/v1/sources/nope").await;
    assert_eq!(missing.status, 404);
    recorder.shutdown().await;

    // Secrets are scrubbed from what was written.
    let written = std::fs::read_to_string(out.join("recording.json")).unwrap();
    for secret in [
        CLIENT_SECRET,
        "REC-SECRET-123",
        through_recorder.token.as_deref().unwrap(),
    ] {
        assert!(!written.contains(secret), "the recording holds {secret}");
    }
    assert!(!written.to_ascii_lowercase().contains("bearer"));

    // Replay with the recording only: same answers, without the upstream.
    upstream.shutdown().await;
    let (replay, raw) = strict_replay(out.clone()).await;
    let replayed_source = raw.get(&source_path).await;
    assert_eq!(replayed_source.status, 200);
    assert_eq!(replayed_source.json(), recorded_source.json());
    // The Cloud prefix matches the same recording.
    assert_eq!(
        raw.get(&format!("/v1/sources/{FAKER_SOURCE_ID}"))
            .await
            .json(),
        recorded_source.json()
    );
    assert_eq!(
        raw.get("/api/public/v1/sources?offset=0&limit=2")
            .await
            .json(),
        recorded_page
    );
    assert_eq!(raw.get("/api/public/v1/sources/nope").await.status, 404);

    let unmatched = raw.get("/api/public/v1/sources?limit=3").await;
    assert_eq!(unmatched.status, 404);
    let detail = unmatched.json()["detail"].as_str().unwrap().to_owned();
    assert!(
        detail.contains("closest") && detail.contains("recording.json"),
        "{detail}"
    );

    let unused = raw.get("/_mock/fixtures/unused").await.json();
    let unused = unused.as_array().unwrap();
    assert_eq!(
        unused.len(),
        1,
        "only the create was never replayed: {unused:?}"
    );
    assert_eq!(unused[0]["method"], "POST");
    replay.shutdown().await;
}

#[tokio::test]
async fn recorded_interactions_take_precedence_in_emulate_mode_and_replay_in_order() {
    let scratch = temp_dir("precedence");
    let dir = scratch.path().to_path_buf();
    std::fs::write(
        dir.join("jobs.json"),
        json!({"description": "a job polled three times", "interactions": [
            {"request": {"method": "GET", "path": "/v1/jobs/424242"}, "response": {"status": 200, "body": {"jobId": 424242, "status": "pending", "jobType": "sync", "startTime": "2024-05-01T12:30Z", "connectionId": "c"}}},
            {"request": {"method": "GET", "path": "/v1/jobs/424242"}, "response": {"status": 200, "body": {"jobId": 424242, "status": "running", "jobType": "sync", "startTime": "2024-05-01T12:30Z", "connectionId": "c"}}},
            {"request": {"method": "GET", "path": "/v1/jobs/424242"}, "response": {"status": 200, "body": {"jobId": 424242, "status": "succeeded", "jobType": "sync", "startTime": "2024-05-01T12:30Z", "connectionId": "c"}}},
            {"request": {"method": "GET", "path": "/api/public/v1/workspaces", "query": {"limit": "1"}}, "response": {"status": 500, "body": {"message": "recorded outage"}}}
        ]}).to_string(),
    )
    .unwrap();
    let server = MockServer::start(MockConfig {
        fixtures_dir: Some(dir.clone()),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let raw = Raw::authenticated(&server.base_url()).await;
    let statuses: Vec<String> = {
        let mut out = Vec::new();
        for _ in 0..4 {
            out.push(
                raw.get("/api/public/v1/jobs/424242").await.json()["status"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
        }
        out
    };
    assert_eq!(statuses, ["pending", "running", "succeeded", "succeeded"]);
    assert_eq!(
        raw.get("/api/public/v1/workspaces?limit=1").await.status,
        500,
        "the recording wins"
    );
    assert_eq!(
        raw.get("/api/public/v1/workspaces?limit=2").await.status,
        200,
        "the emulation answers the rest"
    );
    server.shutdown().await;
}

#[tokio::test]
async fn invalid_fixtures_stop_the_server_at_start_naming_the_file() {
    for (file, content, expected) in [
        ("broken.json", "{ not json".to_owned(), "broken.json"),
        ("status.json", json!({"interactions": [{"request": {"method": "GET", "path": "/v1/x"}, "response": {"status": 999}}]}).to_string(), "invalid status"),
        ("path.json", json!({"interactions": [{"request": {"method": "GET", "path": "v1/x"}, "response": {"status": 200}}]}).to_string(), "must start with"),
        ("extra.json", json!({"interactions": [], "surprise": true}).to_string(), "unknown field"),
    ] {
        let scratch = temp_dir("invalid");
        let dir = scratch.path().to_path_buf();
        std::fs::write(dir.join(file), content).unwrap();
        let error = MockServer::start(MockConfig { fixtures_dir: Some(dir.clone()), ..MockConfig::default() })
            .await
            .unwrap_err();
        assert!(matches!(error, Error::Fixture { .. }), "{error}");
        let text = error.to_string();
        assert!(text.contains(file) && text.contains(expected), "{text}");
    }
    let scratch = temp_dir("world");
    let world = scratch.path().join("world.json");
    std::fs::write(
        &world,
        json!({"workspaces": [{"workspaceId": "w", "name": "n", "organizationId": "missing"}]})
            .to_string(),
    )
    .unwrap();
    let error = MockServer::start(MockConfig {
        world_file: Some(world.clone()),
        ..MockConfig::default()
    })
    .await
    .unwrap_err();
    assert!(
        error.to_string().contains("world.json")
            && error.to_string().contains("unknown organization"),
        "{error}"
    );
}

#[tokio::test]
async fn a_recorded_create_with_a_secret_replays() {
    let Recording {
        upstream,
        recorder,
        out_dir,
        client: through,
    } = recording("secret").await;
    let out = out_dir.path().to_path_buf();
    let create = json!({"name": "with-secret", "workspaceId": PRODUCTION_WORKSPACE_ID,
        "configuration": {"sourceType": "postgres", "host": "db", "password": "REPLAY-SECRET-1",
                          "url": "postgres://app:REPLAY-SECRET-2@db/x"}});
    let recorded = through.post("/api/public/v1/sources", create.clone()).await;
    assert_eq!(recorded.status, 200);
    let listed = through
        .get("/api/public/v1/sources?limit=1&client_secret=REPLAY-SECRET-3")
        .await;
    assert_eq!(listed.status, 200);
    recorder.shutdown().await;
    upstream.shutdown().await;
    let written = std::fs::read_to_string(out.join("recording.json")).unwrap();
    for secret in ["REPLAY-SECRET-1", "REPLAY-SECRET-2", "REPLAY-SECRET-3"] {
        assert!(!written.contains(secret), "the recording holds {secret}");
    }
    assert!(
        !written.contains("applications/token"),
        "token exchanges are not recorded"
    );

    let (_replay, raw) = strict_replay(out).await;
    // The same create, with the real secret, matches the masked recording.
    let replayed = raw.post("/api/public/v1/sources", create).await;
    assert_eq!(
        replayed.status,
        200,
        "{}",
        String::from_utf8_lossy(&replayed.bytes)
    );
    assert_eq!(replayed.json(), recorded.json());
    // So does the query with its secret parameter, whatever its value.
    let replayed = raw
        .get("/api/public/v1/sources?limit=1&client_secret=another-value")
        .await;
    assert_eq!(replayed.status, 200);
    // A different non-secret value does not.
    let mut other = json!({"name": "with-secret", "workspaceId": PRODUCTION_WORKSPACE_ID,
        "configuration": {"sourceType": "postgres", "host": "other", "password": "REPLAY-SECRET-1",
                          "url": "postgres://app:REPLAY-SECRET-2@db/x"}});
    assert_eq!(
        raw.post("/api/public/v1/sources", other.take())
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn recordings_keep_numbers_exactly_and_replay_them() {
    let Recording {
        upstream,
        recorder,
        out_dir,
        client: through,
    } = recording("numbers").await;
    let out = out_dir.path().to_path_buf();
    // Numbers that serde_json would change: a huge integer and a decimal's trailing zero.
    let create = format!(
        r#"{{"name":"exact","workspaceId":"{PRODUCTION_WORKSPACE_ID}","definitionId":"{FAKER_DEFINITION_ID}","configuration":{{"count":1000000000000000000000000000000,"ratio":2.50}}}}"#
    );
    let recorded = through
        .send_raw(
            "POST",
            "/api/public/v1/sources",
            Some(create.clone().into()),
            Some("application/json"),
        )
        .await;
    assert_eq!(recorded.status, 200);
    recorder.shutdown().await;
    upstream.shutdown().await;
    let written = std::fs::read_to_string(out.join("recording.json")).unwrap();
    let exact = r#""count": 1000000000000000000000000000000"#;
    assert!(
        written.contains(exact) && written.contains(r#""ratio": 2.50"#),
        "the recording changed the numbers: {written}"
    );
    assert!(!written.contains('\u{e000}'), "{written}");

    let (_replay, raw) = strict_replay(out).await;
    let replayed = raw
        .send_raw(
            "POST",
            "/api/public/v1/sources",
            Some(create.into()),
            Some("application/json"),
        )
        .await;
    assert_eq!(replayed.status, 200, "{:?}", replayed.bytes);
    assert_eq!(replayed.json(), recorded.json());
    let text = String::from_utf8_lossy(&replayed.bytes);
    assert!(
        text.contains(r#""configuration":{"count":1000000000000000000000000000000,"ratio":2.50}"#),
        "{text}"
    );
}
