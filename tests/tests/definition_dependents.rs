//! A custom source definition's dependents on servers that leave a source's `definitionId` out
//! (older ones do): the Config API names the definition, and when it cannot, the delete is
//! refused naming those sources rather than letting the server delete them unnamed.

use airbyte::prelude::*;
use airbyte_e2e::{WORKSPACE, dependent_source_ids, scripted, scripted_workspace, source_json};
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const DEFINITION: &str = "00000000-0000-4000-9000-000000000001";
const OTHER_DEFINITION: &str = "dfd88b22-b603-4c3d-aad7-3701784586b1";
/// Runs the definition; its server says so only through the Config API.
const RUNS_IT: &str = "00000000-0000-4000-a000-000000000001";
/// Runs another definition; its server says so only through the Config API.
const RUNS_ANOTHER: &str = "00000000-0000-4000-a000-000000000002";
/// Runs another definition, and the Public API says so.
const NAMED: &str = "00000000-0000-4000-a000-000000000003";

fn source_read(id: &str, definition: &str) -> Value {
    json!({
        "sourceDefinitionId": definition,
        "sourceId": id,
        "workspaceId": WORKSPACE,
        "connectionConfiguration": {},
        "name": "n",
        "sourceName": "Issues API",
        "createdAt": 1_714_566_600,
    })
}

/// Two sources without `definitionId` and one with; the definition; no connections; every
/// `DELETE` answered (and counted).
async fn older_server() -> MockServer {
    let server = MockServer::start().await;
    let sources = [
        source_json(RUNS_IT, "issues (delete-me)", None),
        source_json(RUNS_ANOTHER, "orders (delete-me)", None),
        source_json(NAMED, "named (delete-me)", Some(OTHER_DEFINITION)),
    ];
    Mock::given(method("GET"))
        .and(path("/api/public/v1/sources"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": sources})))
        .mount(&server)
        .await;
    for source in &sources {
        let id = source["sourceId"].as_str().unwrap();
        Mock::given(method("GET"))
            .and(path(format!("/api/public/v1/sources/{id}")))
            .respond_with(ResponseTemplate::new(200).set_body_json(source.clone()))
            .mount(&server)
            .await;
    }
    scripted::no_connections(&server).await;
    scripted::declarative_definition(&server, DEFINITION, "issues api (delete-me)").await;
    scripted::accept_deletes(&server).await;
    server
}

/// The Config API's `sources/get` answers for `id` with `answer`.
async fn config_answers(server: &MockServer, id: &str, answer: ResponseTemplate) {
    Mock::given(method("POST"))
        .and(path("/api/v1/sources/get"))
        .and(body_partial_json(json!({"sourceId": id})))
        .respond_with(answer)
        .mount(server)
        .await;
}

/// The Config API's `sources/get` says that source `id` runs `definition`.
async fn config_says(server: &MockServer, id: &str, definition: &str) {
    let read = source_read(id, definition);
    config_answers(server, id, ResponseTemplate::new(200).set_body_json(read)).await;
}

async fn config_knows_both(server: &MockServer) {
    config_says(server, RUNS_IT, DEFINITION).await;
    config_says(server, RUNS_ANOTHER, OTHER_DEFINITION).await;
}

async fn config_lookups(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|request| request.url.path() == "/api/v1/sources/get")
        .map(|request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap();
            body["sourceId"].as_str().unwrap().to_owned()
        })
        .collect()
}

fn definition(server: &MockServer) -> CustomSourceDefinition {
    scripted_workspace(&server.uri())
        .custom_source_definition(DEFINITION, DefinitionKind::Yaml)
        .unwrap()
}

#[tokio::test]
async fn a_source_without_its_definition_id_is_found_through_the_config_api() {
    // Older servers leave `definitionId` out: such a source was never counted, and the server
    // deleted it with the definition unnamed.
    let server = older_server().await;
    config_knows_both(&server).await;
    assert_eq!(dependent_source_ids(&definition(&server)).await, [RUNS_IT]);
    let mut asked = config_lookups(&server).await;
    asked.sort();
    assert_eq!(
        asked,
        [RUNS_IT, RUNS_ANOTHER],
        "only sources without a definition"
    );
}

#[tokio::test]
async fn a_definition_delete_names_the_source_the_config_api_found() {
    let server = older_server().await;
    config_knows_both(&server).await;
    let error = definition(&server)
        .delete()
        .await
        .expect_err("a source runs the definition");
    let Error::DependentsExist { dependents, .. } = &error else {
        panic!("expected the source to refuse the delete, got {error}");
    };
    let ids: Vec<&str> = dependents.iter().map(|d| d.resource.id.as_str()).collect();
    assert_eq!(ids, [RUNS_IT], "{error}");
    assert_eq!(scripted::deletes(&server).await, 0);
}

#[tokio::test]
async fn a_source_whose_definition_cannot_be_determined_refuses_the_delete() {
    // The Config API is not reachable (a server without it, or an outage): the source may run
    // the definition, so nothing is deleted, even with its dependents asked for.
    let server = older_server().await;
    config_says(&server, RUNS_IT, OTHER_DEFINITION).await;
    config_answers(&server, RUNS_ANOTHER, ResponseTemplate::new(404)).await;
    for delete_dependents in [false, true] {
        let error = definition(&server)
            .delete()
            .safe_mode(false)
            .delete_dependents(delete_dependents)
            .await
            .expect_err("a source may run the definition");
        let Error::DependentsUnknown {
            definition_id,
            sources,
            cause,
        } = &error
        else {
            panic!("expected the unknown source to refuse the delete, got {error}");
        };
        assert_eq!(definition_id.as_str(), DEFINITION);
        let named: Vec<(&str, &str)> = sources
            .iter()
            .map(|source| (source.id.as_str(), source.name.as_str()))
            .collect();
        assert_eq!(named, [(RUNS_ANOTHER, "orders (delete-me)")], "{error}");
        assert!(
            cause.as_ref().is_some_and(|cause| cause.is_not_found()),
            "{error}"
        );
        assert!(error.to_string().contains("orders (delete-me)"), "{error}");
    }
    assert_eq!(scripted::deletes(&server).await, 0);
}

#[tokio::test]
async fn a_config_api_answer_without_a_definition_is_no_answer() {
    let server = older_server().await;
    config_says(&server, RUNS_IT, OTHER_DEFINITION).await;
    let mut bare = source_read(RUNS_ANOTHER, OTHER_DEFINITION);
    bare.as_object_mut().unwrap().remove("sourceDefinitionId");
    config_answers(
        &server,
        RUNS_ANOTHER,
        ResponseTemplate::new(200).set_body_json(bare),
    )
    .await;
    let error = definition(&server).dependent_sources().await.unwrap_err();
    assert!(
        matches!(&error, Error::DependentsUnknown { sources, cause: None, .. } if sources.len() == 1),
        "{error}"
    );
}
