//! Contract: every covered operation's answer validates against the response schema of the
//! official specification (required properties, types, enum values), with the documented
//! status. Error bodies validate against the problem schema. Skipped, with a message, where the
//! specification files are absent.

mod support;

use airbyte_mock_server::default_world::*;
use airbyte_spec_testkit::{Spec, SpecFile};
use serde_json::{Value, json};
use support::*;

struct Check {
    spec_path: &'static str,
    method: &'static str,
    path: String,
    body: Option<Value>,
    status: u16,
}

fn check(
    spec_path: &'static str,
    method: &'static str,
    path: impl Into<String>,
    body: Option<Value>,
    status: u16,
) -> Check {
    Check {
        spec_path,
        method,
        path: path.into(),
        body,
        status,
    }
}

async fn run(
    raw: &Raw,
    spec: &Spec,
    prefix: &str,
    spec_prefix: &str,
    checks: Vec<Check>,
    failures: &mut Vec<String>,
) -> Vec<Value> {
    let mut bodies = Vec::new();
    for check in checks {
        let answer = raw
            .send(
                check.method,
                &format!("{prefix}{}", check.path),
                check.body.clone(),
            )
            .await;
        let label = format!("{} {}{}", check.method, prefix, check.path);
        if answer.status != check.status {
            failures.push(format!(
                "{label}: status {} (expected {}): {}",
                answer.status,
                check.status,
                String::from_utf8_lossy(&answer.bytes)
            ));
            bodies.push(Value::Null);
            continue;
        }
        let spec_path = format!("{spec_prefix}{}", check.spec_path);
        let documented = spec.response_statuses(&spec_path, &check.method.to_ascii_lowercase());
        if !documented.contains(&check.status.to_string()) {
            failures.push(format!(
                "{label}: the spec documents {documented:?} for {spec_path}, not {}",
                check.status
            ));
        }
        if answer.status == 204 {
            if !answer.bytes.is_empty() {
                failures.push(format!("{label}: 204 with a body"));
            }
            bodies.push(Value::Null);
            continue;
        }
        if answer.content_type.as_deref() != Some("application/json") {
            failures.push(format!("{label}: content type {:?}", answer.content_type));
        }
        let body = answer.json();
        match spec.response_schema(
            &spec_path,
            &check.method.to_ascii_lowercase(),
            &check.status.to_string(),
        ) {
            Some(schema) => {
                for problem in spec.validate(schema, &body) {
                    failures.push(format!("{label}: {problem}"));
                }
            }
            None => failures.push(format!(
                "{label}: no response schema for {spec_path} {}",
                check.status
            )),
        }
        bodies.push(body);
    }
    bodies
}

#[tokio::test]
async fn every_covered_operation_answers_as_the_spec_says() {
    let (Some(public), Some(config), Some(problems)) = (
        Spec::load(SpecFile::PublicApi),
        Spec::load(SpecFile::ConfigApi),
        Spec::load(SpecFile::Problems),
    ) else {
        return;
    };
    let server = start_fast().await;
    let raw = Raw::authenticated(&server.base_url()).await;
    let mut failures = Vec::new();
    let ws = PRODUCTION_WORKSPACE_ID;

    // Creates first, to have fresh IDs.
    let created = run(&raw, &public, "/api/public/v1", "", vec![
        check("/sources", "POST", "/sources", Some(json!({"name": "c-src", "workspaceId": ws, "configuration": {"sourceType": "faker"}})), 200),
        check("/destinations", "POST", "/destinations", Some(json!({"name": "c-dst", "workspaceId": ws, "configuration": {"destinationType": "dev-null"}})), 200),
        check("/workspaces", "POST", "/workspaces", Some(json!({"name": "c-ws"})), 200),
        check("/tags", "POST", "/tags", Some(json!({"name": "c-tag", "color": "00AAFF", "workspaceId": ws})), 200),
        check("/workspaces/{workspaceId}/definitions/declarative_sources", "POST", format!("/workspaces/{ws}/definitions/declarative_sources"),
            Some(json!({"name": "c-decl", "manifest": {"version": "6.0.0", "type": "DeclarativeSource", "streams": [{"name": "s"}], "spec": {"connection_specification": {}}}})), 200),
        check("/workspaces/{workspaceId}/definitions/sources", "POST", format!("/workspaces/{ws}/definitions/sources"),
            Some(json!({"name": "c-docker", "dockerRepository": "acme/source-x", "dockerImageTag": "1.0.0"})), 200),
        check("/workspaces/{workspaceId}/definitions/destinations", "POST", format!("/workspaces/{ws}/definitions/destinations"),
            Some(json!({"name": "c-docker-dst", "dockerRepository": "acme/destination-x", "dockerImageTag": "1.0.0"})), 200),
    ], &mut failures).await;
    let id = |index: usize, key: &str| created[index][key].as_str().unwrap_or("missing").to_owned();
    let (source, destination, workspace, tag) = (
        id(0, "sourceId"),
        id(1, "destinationId"),
        id(2, "workspaceId"),
        id(3, "tagId"),
    );
    let (declarative, docker, docker_destination) = (id(4, "id"), id(5, "id"), id(6, "id"));

    let connection = run(&raw, &public, "/api/public/v1", "", vec![
        check("/connections", "POST", "/connections", Some(json!({"sourceId": source, "destinationId": destination,
            "configurations": {"streams": [{"name": "users", "syncMode": "incremental_deduped_history"}]}})), 200),
    ], &mut failures).await;
    let connection = connection[0]["connectionId"]
        .as_str()
        .unwrap_or("missing")
        .to_owned();
    let job = run(
        &raw,
        &public,
        "/api/public/v1",
        "",
        vec![check(
            "/jobs",
            "POST",
            "/jobs",
            Some(json!({"connectionId": connection, "jobType": "sync"})),
            200,
        )],
        &mut failures,
    )
    .await;
    let job = job[0]["jobId"].as_i64().unwrap_or(0);

    run(&raw, &public, "/api/public/v1", "", vec![
        check("/workspaces", "GET", "/workspaces", None, 200),
        check("/workspaces/{workspaceId}", "GET", format!("/workspaces/{workspace}"), None, 200),
        check("/workspaces/{workspaceId}", "PATCH", format!("/workspaces/{workspace}"), Some(json!({"name": "renamed"})), 200),
        check("/sources", "GET", "/sources?limit=3", None, 200),
        check("/sources/{sourceId}", "GET", format!("/sources/{source}"), None, 200),
        check("/sources/{sourceId}", "PATCH", format!("/sources/{source}"), Some(json!({"name": "c-src-2"})), 200),
        check("/sources/{sourceId}", "PUT", format!("/sources/{source}"), Some(json!({"name": "c-src-3", "configuration": {"count": 5}})), 200),
        check("/destinations", "GET", "/destinations", None, 200),
        check("/destinations/{destinationId}", "GET", format!("/destinations/{destination}"), None, 200),
        check("/destinations/{destinationId}", "PATCH", format!("/destinations/{destination}"), Some(json!({"name": "c-dst-2"})), 200),
        check("/destinations/{destinationId}", "PUT", format!("/destinations/{destination}"), Some(json!({"name": "c-dst-3", "configuration": {}})), 200),
        check("/connections", "GET", "/connections", None, 200),
        check("/connections/{connectionId}", "GET", format!("/connections/{connection}"), None, 200),
        check("/connections/{connectionId}", "PATCH", format!("/connections/{connection}"), Some(json!({"schedule": {"scheduleType": "cron", "cronExpression": "0 15 * * * ?"}})), 200),
        check("/jobs", "GET", "/jobs?orderBy=createdAt%7CDESC", None, 200),
        check("/jobs/{jobId}", "GET", format!("/jobs/{job}"), None, 200),
        check("/jobs/{jobId}", "DELETE", format!("/jobs/{job}"), None, 200),
        check("/streams", "GET", format!("/streams?sourceId={FAKER_SOURCE_ID}"), None, 200),
        check("/organizations", "GET", "/organizations", None, 200),
        check("/tags", "GET", "/tags", None, 200),
        check("/tags/{tagId}", "GET", format!("/tags/{tag}"), None, 200),
        check("/tags/{tagId}", "PATCH", format!("/tags/{tag}"), Some(json!({"name": "c-tag-2", "color": "112233"})), 200),
        check("/connector_definitions", "GET", "/connector_definitions?type=source", None, 200),
        check("/workspaces/{workspaceId}/definitions/declarative_sources", "GET", format!("/workspaces/{ws}/definitions/declarative_sources"), None, 200),
        check("/workspaces/{workspaceId}/definitions/declarative_sources/{definitionId}", "GET", format!("/workspaces/{ws}/definitions/declarative_sources/{declarative}"), None, 200),
        check("/workspaces/{workspaceId}/definitions/declarative_sources/{definitionId}", "PUT", format!("/workspaces/{ws}/definitions/declarative_sources/{declarative}"),
            Some(json!({"manifest": {"version": "6.0.0", "type": "DeclarativeSource", "streams": [], "spec": {"connection_specification": {}}}})), 200),
        check("/workspaces/{workspaceId}/definitions/sources", "GET", format!("/workspaces/{ws}/definitions/sources"), None, 200),
        check("/workspaces/{workspaceId}/definitions/sources/{definitionId}", "GET", format!("/workspaces/{ws}/definitions/sources/{docker}"), None, 200),
        check("/workspaces/{workspaceId}/definitions/sources/{definitionId}", "PUT", format!("/workspaces/{ws}/definitions/sources/{docker}"), Some(json!({"name": "c-docker-2", "dockerImageTag": "1.1.0"})), 200),
        check("/workspaces/{workspaceId}/definitions/destinations", "GET", format!("/workspaces/{ws}/definitions/destinations"), None, 200),
        check("/workspaces/{workspaceId}/definitions/destinations/{definitionId}", "PUT", format!("/workspaces/{ws}/definitions/destinations/{docker_destination}"), Some(json!({"name": "d2", "dockerImageTag": "2.0.0"})), 200),
        check("/applications/token", "POST", "/applications/token", Some(json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "grant-type": "client_credentials"})), 200),
        // Deletes last.
        check("/workspaces/{workspaceId}/definitions/declarative_sources/{definitionId}", "DELETE", format!("/workspaces/{ws}/definitions/declarative_sources/{declarative}"), None, 200),
        check("/workspaces/{workspaceId}/definitions/sources/{definitionId}", "DELETE", format!("/workspaces/{ws}/definitions/sources/{docker}"), None, 200),
        check("/workspaces/{workspaceId}/definitions/destinations/{definitionId}", "DELETE", format!("/workspaces/{ws}/definitions/destinations/{docker_destination}"), None, 200),
        check("/tags/{tagId}", "DELETE", format!("/tags/{tag}"), None, 204),
        check("/connections/{connectionId}", "DELETE", format!("/connections/{connection}"), None, 204),
        check("/sources/{sourceId}", "DELETE", format!("/sources/{source}"), None, 204),
        check("/destinations/{destinationId}", "DELETE", format!("/destinations/{destination}"), None, 204),
        check("/workspaces/{workspaceId}", "DELETE", format!("/workspaces/{workspace}"), None, 204),
    ], &mut failures).await;

    // The Config API subset, against config.yaml (paths there start with /v1).
    let connection_id = FAKER_CONNECTION_ID;
    let last_job = raw
        .get(&format!(
            "/api/public/v1/jobs?connectionId={connection_id}&orderBy=createdAt%7CDESC&limit=1"
        ))
        .await
        .json()["data"][0]["jobId"]
        .as_i64()
        .unwrap();
    run(&raw, &config, "/api", "", vec![
        check("/v1/sources/check_connection", "POST", "/v1/sources/check_connection", Some(json!({"sourceId": FAKER_SOURCE_ID})), 200),
        check("/v1/sources/check_connection", "POST", "/v1/sources/check_connection", Some(json!({"sourceId": FAILING_CHECK_SOURCE_ID})), 200),
        check("/v1/destinations/check_connection", "POST", "/v1/destinations/check_connection", Some(json!({"destinationId": DEV_NULL_DESTINATION_ID})), 200),
        check("/v1/jobs/get", "POST", "/v1/jobs/get", Some(json!({"id": last_job})), 200),
        check("/v1/jobs/get", "POST", "/v1/jobs/get", Some(json!({"id": last_job - 1})), 200),
        check("/v1/state/get", "POST", "/v1/state/get", Some(json!({"connectionId": connection_id})), 200),
        check("/v1/state/create_or_update_safe", "POST", "/v1/state/create_or_update_safe", Some(json!({"connectionId": connection_id,
            "connectionState": {"stateType": "global", "connectionId": connection_id, "globalState": {"shared_state": {"lsn": 1}, "streamStates": [{"streamDescriptor": {"name": "users"}, "streamState": {"cursor": "x"}}]}}})), 200),
        check("/v1/web_backend/connections/get", "POST", "/v1/web_backend/connections/get", Some(json!({"connectionId": connection_id, "withRefreshedCatalog": false})), 200),
        check("/v1/web_backend/connections/update", "POST", "/v1/web_backend/connections/update", Some(json!({"connectionId": connection_id, "prefix": "p_", "skipReset": true})), 200),
        check("/v1/workspaces/get_organization_info", "POST", "/v1/workspaces/get_organization_info", Some(json!({"workspaceId": ws})), 200),
        check("/v1/organizations/get_organization_info", "POST", "/v1/organizations/get_organization_info", Some(json!({"organizationId": ORGANIZATION_ID})), 200),
        check("/v1/workspaces/list_by_organization_id", "POST", "/v1/workspaces/list_by_organization_id", Some(json!({"organizationId": ORGANIZATION_ID, "pagination": {"pageSize": 10, "rowOffset": 0}})), 200),
        check("/v1/workspaces/get", "POST", "/v1/workspaces/get", Some(json!({"workspaceId": ws})), 200),
        check("/v1/connector_builder_projects/get_for_definition_id", "POST", "/v1/connector_builder_projects/get_for_definition_id", Some(json!({"actorDefinitionId": DECLARATIVE_DEFINITION_ID, "workspaceId": ws})), 200),
        check("/v1/connector_builder_projects/get_with_manifest", "POST", "/v1/connector_builder_projects/get_with_manifest", Some(json!({"workspaceId": ws, "builderProjectId": BUILDER_PROJECT_ID})), 200),
        check("/v1/connector_builder_projects/update_testing_values", "POST", "/v1/connector_builder_projects/update_testing_values", Some(json!({"workspaceId": ws, "builderProjectId": BUILDER_PROJECT_ID, "spec": {}, "testingValues": {"base_url": "x"}})), 200),
    ], &mut failures).await;

    // Error bodies have the problem shape. The server writes absent optional fields as
    // explicit nulls in problem bodies (unlike 2xx bodies), which the schema does not declare:
    // those nulls are dropped before validating.
    let base = problems.schema("BaseProblemFields").unwrap();
    for (method, path, body) in [
        (
            "GET",
            "/api/public/v1/sources/00000000-0000-4000-8000-000000000000",
            None,
        ),
        (
            "POST",
            "/api/public/v1/jobs",
            Some(json!({"connectionId": FAKER_CONNECTION_ID, "jobType": "refresh"})),
        ),
        ("GET", "/api/public/v1/jobs?orderBy=name%7CUP", None),
        ("GET", "/api/public/v1/no/such/route", None),
    ] {
        let answer = raw.send(method, path, body).await;
        assert!(answer.status >= 400, "{path}");
        let mut body = answer.json();
        if let Some(map) = body.as_object_mut() {
            assert!(
                map.contains_key("documentationUrl"),
                "problem bodies spell out their nulls"
            );
            map.retain(|_, value| !value.is_null());
        }
        for problem in problems.validate(base, &body) {
            failures.push(format!("{method} {path}: error body: {problem}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} contract failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    server.shutdown().await;
}
