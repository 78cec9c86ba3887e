//! A whole workflow over plain HTTP, with no SDK: token, create, list across pages, sync, logs,
//! cancel, delete, 404.

mod support;

use airbyte_mock_server::default_world::{FAKER_DEFINITION_ID, PRODUCTION_WORKSPACE_ID};
use serde_json::json;
use support::*;

#[tokio::test]
async fn a_raw_http_workflow_runs_end_to_end() {
    let server = start_fast().await;
    let raw = Raw::authenticated(&server.base_url()).await;
    let public = "/api/public/v1";

    // Create a source (by connector type) and a destination (by definition ID).
    let source = raw
        .post(
            &format!("{public}/sources"),
            json!({
                "name": "wf-source", "workspaceId": PRODUCTION_WORKSPACE_ID,
                "configuration": {"sourceType": "faker", "count": 10, "api_key": "k-123456"}
            }),
        )
        .await;
    assert_eq!(source.status, 200, "{:?}", source.bytes);
    let source = source.json();
    assert_eq!(source["sourceType"], "faker");
    assert_eq!(source["definitionId"], FAKER_DEFINITION_ID);
    assert_eq!(
        source["configuration"]["api_key"], "**********",
        "secrets are masked"
    );
    assert!(
        source["configuration"].get("sourceType").is_none(),
        "the type key is consumed"
    );
    assert!(
        source["createdAt"].as_i64().unwrap() < 10_000_000_000,
        "createdAt is in seconds"
    );
    let source_id = source["sourceId"].as_str().unwrap().to_owned();

    let destination = raw
        .post(
            &format!("{public}/destinations"),
            json!({
                "name": "wf-destination", "workspaceId": PRODUCTION_WORKSPACE_ID,
                "configuration": {"destinationType": "dev-null"}
            }),
        )
        .await
        .json();
    let destination_id = destination["destinationId"].as_str().unwrap().to_owned();

    let connection = raw
        .post(&format!("{public}/connections"), json!({
            "sourceId": source_id, "destinationId": destination_id, "name": "wf-connection",
            "configurations": {"streams": [{"name": "users", "syncMode": "incremental_append"}]},
            "schedule": {"scheduleType": "cron", "cronExpression": "0 0 12 * * ?"}
        }))
        .await;
    assert_eq!(connection.status, 200, "{:?}", connection.bytes);
    let connection = connection.json();
    assert_eq!(connection["schedule"]["cronExpression"], "0 0 12 * * ? UTC");
    assert_eq!(
        connection["configurations"]["streams"][0]["cursorField"],
        json!(["updated_at"])
    );
    let connection_id = connection["connectionId"].as_str().unwrap().to_owned();

    // Pages: the default world has 4 sources in this workspace plus ours.
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = raw
            .get(&format!(
                "{public}/sources?workspaceIds={PRODUCTION_WORKSPACE_ID}&limit=2&offset={offset}"
            ))
            .await
            .json();
        let data = page["data"].as_array().unwrap().clone();
        if data.is_empty() {
            assert_eq!(page["next"], "", "no next link at the end");
            break;
        }
        assert!(
            page["next"]
                .as_str()
                .unwrap()
                .contains(&format!("offset={}", offset + 2))
        );
        assert!(
            page["next"]
                .as_str()
                .unwrap()
                .contains(&format!("workspaceIds={PRODUCTION_WORKSPACE_ID}"))
        );
        seen.extend(
            data.into_iter()
                .map(|source| source["sourceId"].as_str().unwrap().to_owned()),
        );
        offset += 2;
        assert!(offset < 100, "paging must end");
    }
    assert_eq!(seen.len(), 5);
    assert!(seen.contains(&source_id));

    // Run a sync to success, read its attempts and logs.
    let job = raw
        .post(
            &format!("{public}/jobs"),
            json!({"connectionId": connection_id, "jobType": "sync"}),
        )
        .await
        .json();
    let job_id = job["jobId"].as_i64().unwrap();
    assert!(matches!(
        job["status"].as_str(),
        Some("pending" | "running")
    ));
    let second = raw
        .post(
            &format!("{public}/jobs"),
            json!({"connectionId": connection_id, "jobType": "sync"}),
        )
        .await;
    assert_eq!(second.status, 409, "a second sync while one runs");
    assert_eq!(second.json()["title"], "try-again-later");
    let done = wait_for_job(&raw, job_id).await;
    assert_eq!(done["status"], "succeeded");
    assert!(done["rowsSynced"].as_i64().unwrap() > 0);
    assert!(done["duration"].as_str().unwrap().starts_with("PT"));
    let info = raw
        .post("/api/v1/jobs/get", json!({"id": job_id}))
        .await
        .json();
    assert_eq!(info["job"]["status"], "succeeded");
    let attempt = &info["attempts"][0];
    assert_eq!(attempt["attempt"]["status"], "succeeded");
    let logs = &attempt["logs"];
    let lines = logs
        .get("events")
        .or_else(|| logs.get("logLines"))
        .unwrap()
        .as_array()
        .unwrap();
    assert!(lines.len() >= 5, "{logs}");
    let state = raw
        .post("/api/v1/state/get", json!({"connectionId": connection_id}))
        .await
        .json();
    assert_eq!(
        state["stateType"], "stream",
        "a successful incremental sync leaves a state"
    );

    // Cancel a running job.
    server
        .script_connection(
            &connection_id,
            airbyte_mock_server::Outcome::StayRunning,
            None,
        )
        .unwrap();
    let running = raw
        .post(
            &format!("{public}/jobs"),
            json!({"connectionId": connection_id, "jobType": "sync"}),
        )
        .await
        .json();
    let running_id = running["jobId"].as_i64().unwrap();
    let locked = raw
        .post("/api/v1/state/create_or_update_safe", json!({"connectionId": connection_id, "connectionState": {"stateType": "not_set", "connectionId": connection_id}}))
        .await;
    assert_eq!(locked.status, 423, "state is locked while a sync runs");
    let cancelled = raw
        .send("DELETE", &format!("{public}/jobs/{running_id}"), None)
        .await;
    assert_eq!(cancelled.status, 200);
    assert_eq!(cancelled.json()["status"], "cancelled");
    let again = raw
        .send("DELETE", &format!("{public}/jobs/{running_id}"), None)
        .await;
    assert_eq!(again.status, 409, "cancelling a finished job");

    // Jobs list oldest first by default, newest first on request.
    let oldest = raw
        .get(&format!("{public}/jobs?connectionId={connection_id}"))
        .await
        .json();
    let newest = raw
        .get(&format!(
            "{public}/jobs?connectionId={connection_id}&orderBy=createdAt%7CDESC"
        ))
        .await
        .json();
    assert_eq!(oldest["data"][0]["jobId"], job_id);
    assert_eq!(newest["data"][0]["jobId"], running_id);

    // Delete everything; 404 afterwards.
    for path in [
        format!("{public}/connections/{connection_id}"),
        format!("{public}/sources/{source_id}"),
        format!("{public}/destinations/{destination_id}"),
    ] {
        let deleted = raw.send("DELETE", &path, None).await;
        assert_eq!(deleted.status, 204, "{path}");
        assert!(deleted.bytes.is_empty());
        let gone = raw.get(&path).await;
        assert_eq!(gone.status, 404, "{path}");
        assert_eq!(gone.json()["title"], "resource-not-found");
        assert_eq!(gone.content_type.as_deref(), Some("application/json"));
    }
    server.shutdown().await;
}

#[tokio::test]
async fn both_prefixes_serve_the_public_api() {
    let server = start_fast().await;
    let raw = Raw::authenticated(&server.base_url()).await;
    let cloud = raw.get("/v1/workspaces").await.json();
    let self_managed = raw.get("/api/public/v1/workspaces").await.json();
    assert_eq!(cloud["data"], self_managed["data"]);
    assert_eq!(cloud["data"].as_array().unwrap().len(), 2);
    let health = Raw::new(&server.base_url())
        .get("/api/public/v1/health")
        .await;
    assert_eq!(health.status, 200);
}
