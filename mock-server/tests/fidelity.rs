//! What real clients send and expect: connector type keys never stored, seeded configurations
//! that typed clients can decode, wrong types refused anywhere in a body, links built from the
//! server's own host, Quartz cron validation, exact numbers, 409 for jobs on inactive
//! connections, real bodies as world seeds, and one reset for every state holder.

mod support;

use std::path::PathBuf;

use airbyte_mock_server::default_world::*;
use airbyte_mock_server::{MockConfig, MockServer};
use serde_json::{Value, json};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn connector_type_keys_are_never_stored() {
    let (_server, raw) = started().await;
    // A generated SDK sends the type key with the definition ID, on create, PATCH and PUT.
    let created = raw
        .post(
            "/api/public/v1/sources",
            json!({"name": "typed", "workspaceId": PRODUCTION_WORKSPACE_ID, "definitionId": FAKER_DEFINITION_ID,
                   "configuration": {"sourceType": "faker", "count": 3}}),
        )
        .await
        .json();
    assert_eq!(created["configuration"], json!({"count": 3}));
    let path = format!(
        "/api/public/v1/sources/{}",
        created["sourceId"].as_str().unwrap()
    );
    let patched = raw
        .send(
            "PATCH",
            &path,
            Some(json!({"configuration": {"sourceType": "faker", "seed": 1}})),
        )
        .await
        .json();
    assert_eq!(patched["configuration"], json!({"count": 3, "seed": 1}));
    let put = raw
        .send(
            "PUT",
            &path,
            Some(json!({"name": "t", "configuration": {"sourceType": "faker", "count": 9}})),
        )
        .await
        .json();
    assert_eq!(put["configuration"], json!({"count": 9}));
    let destination = raw
        .post(
            "/api/public/v1/destinations",
            json!({"name": "d", "workspaceId": PRODUCTION_WORKSPACE_ID, "definitionId": DEV_NULL_DEFINITION_ID,
                   "configuration": {"destinationType": "dev-null", "test_destination": {"test_destination_type": "SILENT"}}}),
        )
        .await
        .json();
    let path = format!(
        "/api/public/v1/destinations/{}",
        destination["destinationId"].as_str().unwrap()
    );
    let put = raw
        .send(
            "PUT",
            &path,
            Some(json!({"name": "d", "configuration": {"destinationType": "dev-null", "x": 1}})),
        )
        .await
        .json();
    assert_eq!(put["configuration"], json!({"x": 1}));
    assert_eq!(raw.get(&path).await.json()["destinationType"], "dev-null");
}

fn default_world() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/default-world.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The top-level and nested `required` fields a configuration lacks (a `oneOf` is satisfied by
/// any of its alternatives).
fn lacking(schema: &Value, value: &Value, path: &str) -> Vec<String> {
    if let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) {
        return alternatives
            .iter()
            .map(|alternative| lacking(alternative, value, path))
            .min_by_key(Vec::len)
            .unwrap_or_default();
    }
    let mut out = Vec::new();
    for name in schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if value.get(name).is_none_or(Value::is_null) {
            out.push(format!("{path}{name}"));
        }
    }
    for (name, property) in schema["properties"].as_object().into_iter().flatten() {
        if let Some(inner) = value.get(name) {
            out.extend(lacking(property, inner, &format!("{path}{name}.")));
        }
    }
    out
}

#[test]
fn every_seeded_configuration_has_what_its_connector_requires() {
    let world = default_world();
    let definitions = world["connectorDefinitions"].as_array().unwrap();
    let mut checked = 0;
    for kind in ["sources", "destinations"] {
        for actor in world[kind].as_array().unwrap() {
            let definition = definitions
                .iter()
                .find(|definition| definition["definitionId"] == actor["definitionId"])
                .unwrap_or_else(|| panic!("{}: no definition", actor["name"]));
            let specification = definition
                .get("connectionSpecification")
                .unwrap_or_else(|| panic!("{}: no connection specification", definition["name"]));
            let missing = lacking(specification, &actor["configuration"], "");
            assert!(missing.is_empty(), "{} lacks {missing:?}", actor["name"]);
            checked += 1;
        }
    }
    assert!(checked >= 8, "{checked}");
    // The warehouse in particular: typed clients need `dataset_location`.
    let warehouse = world["destinations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == WAREHOUSE_DESTINATION_ID)
        .unwrap();
    assert!(warehouse["configuration"]["dataset_location"].is_string());
}

#[tokio::test]
async fn a_world_with_a_configuration_its_connector_rejects_does_not_load() {
    let mut world = default_world();
    let warehouse = world["destinations"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|d| d["id"] == WAREHOUSE_DESTINATION_ID)
        .unwrap();
    warehouse["configuration"]
        .as_object_mut()
        .unwrap()
        .remove("dataset_location");
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("world.json");
    std::fs::write(&file, world.to_string()).unwrap();
    let error = MockServer::start(MockConfig {
        world_file: Some(file),
        ..MockConfig::default()
    })
    .await
    .unwrap_err()
    .to_string();
    assert!(
        error.contains("dataset_location") && error.contains("bigquery"),
        "{error}"
    );
}

#[tokio::test]
async fn wrong_types_anywhere_in_a_body_are_refused() {
    let (_server, raw) = started().await;
    let workspace = format!("/api/public/v1/workspaces/{PRODUCTION_WORKSPACE_ID}");
    for (method, path, body) in [
        (
            "PATCH",
            workspace.clone(),
            json!({"notifications": {"failure": {"webhook": {"url": {}}}}}),
        ),
        (
            "PATCH",
            workspace.clone(),
            json!({"notifications": {"success": {"email": {"enabled": "yes"}}}}),
        ),
        (
            "POST",
            "/api/public/v1/connections".to_owned(),
            json!({"sourceId": FAKER_SOURCE_ID, "destinationId": DEV_NULL_DESTINATION_ID,
            "configurations": {"streams": [{"name": "users", "primaryKey": "id"}]}}),
        ),
        (
            "POST",
            "/api/public/v1/tags".to_owned(),
            json!({"name": "t", "color": 123456, "workspaceId": PRODUCTION_WORKSPACE_ID}),
        ),
        (
            "POST",
            "/api/v1/state/get".to_owned(),
            json!({"connectionId": ["a"]}),
        ),
    ] {
        let answer = raw.send(method, &path, Some(body.clone())).await;
        assert!(
            matches!(answer.status, 400 | 422),
            "{method} {path} {body}: {} {}",
            answer.status,
            String::from_utf8_lossy(&answer.bytes)
        );
    }
    // Nothing was changed by the refused update.
    let read = raw.get(&workspace).await.json();
    assert!(read["notifications"].get("failure").is_none(), "{read}");
}

#[tokio::test]
async fn list_links_use_the_servers_host_never_the_clients() {
    let server = start_fast().await;
    let token = Raw::authenticated(&server.base_url()).await.token.unwrap();
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    stream
        .write_all(format!("GET /v1/sources?limit=1&offset=1 HTTP/1.1\r\nhost: evil.example\r\nauthorization: Bearer {token}\r\nconnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    let body: Value = serde_json::from_str(answer.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    let expected = format!(
        "http://{}/api/public/v1/sources?includeDeleted=false&",
        server.addr()
    );
    assert_eq!(body["next"], format!("{expected}limit=1&offset=2"));
    assert_eq!(body["previous"], format!("{expected}limit=1&offset=0"));
    // A configured API host is used as the real server uses AIRBYTE_API_HOST.
    let configured = MockServer::start(MockConfig {
        api_host: Some("https://airbyte.example/api/public".into()),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let raw = Raw::authenticated(&configured.base_url()).await;
    let page = raw
        .get("/api/public/v1/jobs?limit=1&connectionId=4c5d6e7f-8091-4a23-b4c5-d6e7f8091a01")
        .await
        .json();
    assert_eq!(
        page["next"],
        "https://airbyte.example/api/public/v1/jobs?connectionId=4c5d6e7f-8091-4a23-b4c5-d6e7f8091a01&limit=1&offset=1"
    );
}

#[tokio::test]
async fn cron_expressions_quartz_rejects_are_refused() {
    let (_server, raw) = started().await;
    let path = format!("/api/public/v1/connections/{FAKER_CONNECTION_ID}");
    for expression in ["a b c d e f", "0 0 * * *", "0 0 25 * * ?", "0 0 12 * * *"] {
        let answer = raw
            .send(
                "PATCH",
                &path,
                Some(json!({"schedule": {"scheduleType": "cron", "cronExpression": expression}})),
            )
            .await;
        assert_eq!(answer.status, 400, "{expression}");
        assert_eq!(
            answer.json()["type"],
            "error:cron-validation/invalid-expression"
        );
    }
    let accepted = raw
        .send("PATCH", &path, Some(json!({"schedule": {"scheduleType": "cron", "cronExpression": "0 0/15 8-18 ? * MON-FRI"}})))
        .await;
    assert_eq!(accepted.status, 200);
    assert_eq!(
        accepted.json()["schedule"]["cronExpression"],
        "0 0/15 8-18 ? * MON-FRI UTC"
    );
}

#[tokio::test]
async fn large_numbers_in_configurations_keep_their_precision() {
    let (_server, raw) = started().await;
    let body = format!(
        r#"{{"name": "n", "workspaceId": "{PRODUCTION_WORKSPACE_ID}", "configuration": {{"sourceType": "faker", "count": 1000000000000000000000000000000, "ratio": 0.1000000000000000055511151231257827}}}}"#
    );
    let created = raw
        .send_raw(
            "POST",
            "/api/public/v1/sources",
            Some(body.into()),
            Some("application/json"),
        )
        .await;
    let text = String::from_utf8_lossy(&created.bytes).into_owned();
    assert!(
        text.contains("\"count\":1000000000000000000000000000000"),
        "{text}"
    );
    assert!(
        text.contains("\"ratio\":0.1000000000000000055511151231257827"),
        "{text}"
    );
    let id = created.json()["sourceId"].as_str().unwrap().to_owned();
    let read = raw.get(&format!("/api/public/v1/sources/{id}")).await;
    assert!(String::from_utf8_lossy(&read.bytes).contains("1000000000000000000000000000000"));
}

#[tokio::test]
async fn jobs_on_an_inactive_connection_answer_409() {
    let (_server, raw) = started().await;
    // The default world's staging connection is inactive.
    let inactive = "4c5d6e7f-8091-4a23-b4c5-d6e7f8091a03";
    for job_type in ["sync", "reset", "clear"] {
        let answer = raw
            .post(
                "/api/public/v1/jobs",
                json!({"connectionId": inactive, "jobType": job_type}),
            )
            .await;
        assert_eq!(answer.status, 409, "{job_type}");
        assert!(
            answer.json()["data"]["message"]
                .as_str()
                .unwrap()
                .contains("inactive")
        );
    }
    let before = raw
        .get(&format!("/api/public/v1/jobs?connectionId={inactive}"))
        .await
        .json();
    assert_eq!(
        before["data"].as_array().unwrap().len(),
        1,
        "no job was started"
    );
    // Once active, it syncs.
    raw.send(
        "PATCH",
        &format!("/api/public/v1/connections/{inactive}"),
        Some(json!({"status": "active"})),
    )
    .await;
    let started = raw
        .post(
            "/api/public/v1/jobs",
            json!({"connectionId": inactive, "jobType": "sync"}),
        )
        .await;
    assert_eq!(started.status, 200);
}

fn corpus(name: &str) -> Option<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/corpus/real-responses")
        .join(name);
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

#[tokio::test]
async fn a_world_seeded_with_real_bodies_serves_them_back() {
    let (
        Some(organization),
        Some(workspace),
        Some(tag),
        Some(source),
        Some(destination),
        Some(connection),
    ) = (
        corpus("public-GET-organizations-dataitem__cartography.json"),
        corpus("public-GET-workspaces-dataitem__cartography.json"),
        corpus("public-GET-tags-dataitem__cartography.json"),
        corpus("public-GET-sources-dataitem__cartography.json"),
        corpus("public-GET-destinations-dataitem__cartography.json"),
        corpus("public-GET-connections-dataitem__cartography.json"),
    )
    else {
        eprintln!("SKIPPED: the corpus of real responses is not beside the repository");
        return;
    };
    let mut workspace_seed = workspace.clone();
    workspace_seed["organizationId"] = organization["organizationId"].clone();
    // The definitions the bodies name, with the streams the connection configures.
    let world = json!({
        "organizations": [organization],
        "workspaces": [workspace_seed],
        "connectorDefinitions": [
            {"definitionId": source["definitionId"], "type": "source", "name": "postgres",
             "streams": [{"name": "issues", "incremental": true, "defaultCursorField": ["updated_at"], "primaryKey": [["id"]]},
                         {"name": "users", "primaryKey": [["id"]]}]},
            {"definitionId": destination["definitionId"], "type": "destination", "name": "s3"},
        ],
        "tags": [tag],
        "sources": [source],
        "destinations": [destination],
        "connections": [connection],
    });
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("real.json");
    std::fs::write(&file, world.to_string()).unwrap();
    let server = MockServer::start(MockConfig {
        world_file: Some(file),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let raw = Raw::authenticated(&server.base_url()).await;
    let read = raw
        .get(&format!(
            "/v1/connections/{}",
            connection["connectionId"].as_str().unwrap()
        ))
        .await
        .json();
    for key in [
        "name",
        "sourceId",
        "destinationId",
        "workspaceId",
        "status",
        "createdAt",
        "tags",
        "schedule",
        "nonBreakingSchemaUpdatesBehavior",
    ] {
        assert_eq!(read[key], connection[key], "{key}");
    }
    assert_eq!(
        read["configurations"]["streams"],
        connection["configurations"]["streams"]
    );
    let read = raw
        .get(&format!(
            "/v1/destinations/{}",
            destination["destinationId"].as_str().unwrap()
        ))
        .await
        .json();
    assert_eq!(read, destination);
    let read = raw
        .get(&format!(
            "/v1/workspaces/{}",
            workspace["workspaceId"].as_str().unwrap()
        ))
        .await
        .json();
    assert_eq!(read, workspace);
    let read = raw
        .get(&format!(
            "/v1/sources/{}",
            source["sourceId"].as_str().unwrap()
        ))
        .await
        .json();
    assert_eq!(read["configuration"], source["configuration"]);
    assert_eq!(read["sourceType"], "postgres");
}

#[tokio::test]
async fn reset_restores_every_state_holder() {
    let scratch = tempfile::tempdir().unwrap();
    std::fs::write(
        scratch.path().join("x.json"),
        json!({"interactions": [{"request": {"method": "GET", "path": "/v1/jobs/77"}, "response": {"status": 200, "body": {"jobId": 77}}}]}).to_string(),
    )
    .unwrap();
    let server = MockServer::start(MockConfig {
        fixtures_dir: Some(scratch.path().to_path_buf()),
        job_duration: std::time::Duration::from_millis(400),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let raw = Raw::authenticated(&server.base_url()).await;
    let fresh = |raw: Raw| async move {
        (
            raw.get("/_mock/faults").await.json(),
            raw.get("/_mock/clock").await.json()["speed"].clone(),
            raw.get("/_mock/fixtures/unused").await.json(),
            raw.get(&format!("/api/public/v1/sources/{FAKER_SOURCE_ID}"))
                .await
                .status,
        )
    };
    let at_start = fresh(raw.clone()).await;
    // Change every holder: the world and its scripts, faults, the clock, fixture uses, the
    // journal and the counters.
    raw.send(
        "DELETE",
        &format!("/api/public/v1/sources/{FAKER_SOURCE_ID}"),
        None,
    )
    .await;
    raw.send(
        "PUT",
        &format!("/_mock/connections/{FAKER_CONNECTION_ID}/script"),
        Some(json!({"outcome": "fail"})),
    )
    .await;
    raw.send("PUT", "/_mock/faults", Some(json!({"latencyMaxMs": 1})))
        .await;
    raw.send("PUT", "/_mock/clock", Some(json!({"speed": 50.0})))
        .await;
    raw.post("/_mock/clock/advance", json!({"seconds": 86400}))
        .await;
    assert_eq!(raw.get("/v1/jobs/77").await.json()["jobId"], 77);
    assert_eq!(raw.post("/_mock/reset", json!({})).await.status, 200);
    // Tokens from before the reset are refused: a new one.
    let raw = Raw::authenticated(&server.base_url()).await;
    assert_eq!(fresh(raw.clone()).await, at_start);
    let clock = raw.get("/_mock/clock").await.json()["nowMs"]
        .as_i64()
        .unwrap();
    let wall = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    assert!(
        (clock - wall).abs() < 60_000,
        "the clock is back to wall time"
    );
    // The journal and counters were emptied (the reads above are the only requests since).
    assert!(server.journal().len() <= 5);
    // The job script went with the world: a sync succeeds again.
    let job = raw
        .post(
            "/api/public/v1/jobs",
            json!({"connectionId": FAKER_CONNECTION_ID, "jobType": "sync"}),
        )
        .await
        .json();
    assert_eq!(
        wait_for_job(&raw, job["jobId"].as_i64().unwrap()).await["status"],
        "succeeded"
    );
}
