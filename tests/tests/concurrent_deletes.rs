//! Dependents are found while another caller deletes: the connection list is paged by offset,
//! so a connection deleted on page one moves every later one forward by a place, and the first
//! connection of page two was never seen. Deleted connections stay in the list when deleted
//! ones are asked for (their status says so), so such a list does not move.

use std::sync::{Arc, Mutex};

use airbyte::prelude::*;
use airbyte_e2e::{
    connection_json, dependent_source_ids, scripted, scripted_workspace, source_json,
};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const SOURCE: &str = "00000000-0000-4000-a000-000000000001";
const OTHER_SOURCE: &str = "00000000-0000-4000-a000-000000000002";
const DESTINATION: &str = "00000000-0000-4000-b000-000000000001";
/// Page one holds the connection to delete and 99 others; the dependent is the first of page
/// two.
const DEPENDENT_INDEX: usize = 100;

fn connection_id(index: usize) -> String {
    format!("00000000-0000-4000-8000-{index:012}")
}

struct Row {
    index: usize,
    name: String,
    source: &'static str,
    deleted: bool,
}

impl Row {
    fn json(&self) -> Value {
        let mut connection = connection_json(
            &connection_id(self.index),
            &self.name,
            self.source,
            DESTINATION,
        );
        if self.deleted {
            connection["status"] = json!("deprecated");
        }
        connection
    }
}

/// A workspace whose connection list another caller changes: right after the first page is
/// served, connection 5 (of another source) is deleted.
#[derive(Clone)]
struct World {
    rows: Arc<Mutex<Vec<Row>>>,
    pages_served: Arc<Mutex<usize>>,
}

impl World {
    fn new() -> Self {
        let rows = (0..=DEPENDENT_INDEX)
            .map(|index| Row {
                index,
                name: match index {
                    0 => "temp (delete-me)".to_owned(),
                    DEPENDENT_INDEX => "IMPORTANT production pipeline".to_owned(),
                    other => format!("unrelated {other}"),
                },
                source: if index == 0 || index == DEPENDENT_INDEX {
                    SOURCE
                } else {
                    OTHER_SOURCE
                },
                deleted: false,
            })
            .collect();
        Self {
            rows: Arc::new(Mutex::new(rows)),
            pages_served: Arc::new(Mutex::new(0)),
        }
    }
}

fn query(request: &Request, key: &str) -> Option<String> {
    request
        .url
        .query_pairs()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value.into_owned())
}

impl Respond for World {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let offset: usize = query(request, "offset").map_or(0, |v| v.parse().unwrap());
        let limit: usize = query(request, "limit").map_or(20, |v| v.parse().unwrap());
        let include_deleted = query(request, "includeDeleted").as_deref() == Some("true");
        let mut rows = self.rows.lock().unwrap();
        let visible: Vec<Value> = rows
            .iter()
            .filter(|row| include_deleted || !row.deleted)
            .map(Row::json)
            .collect();
        let page: Vec<Value> = visible.iter().skip(offset).take(limit).cloned().collect();
        let more = offset + page.len() < visible.len();
        let mut served = self.pages_served.lock().unwrap();
        *served += 1;
        if *served == 1 {
            // Another caller deletes a connection of page one.
            rows[5].deleted = true;
        }
        let mut body = json!({"data": page});
        if more {
            body["next"] = json!(format!(
                "https://api.example/v1/connections?limit={limit}&offset={}",
                offset + limit
            ));
        }
        ResponseTemplate::new(200).set_body_json(body)
    }
}

async fn server() -> (MockServer, CloudWorkspace) {
    let server = MockServer::start().await;
    let world = World::new();
    Mock::given(method("GET"))
        .and(path("/api/public/v1/connections"))
        .respond_with(world.clone())
        .mount(&server)
        .await;
    let rows = world.rows.clone();
    Mock::given(method("GET"))
        .and(path_regex("^/api/public/v1/connections/.+$"))
        .respond_with(move |request: &Request| {
            let id = request.url.path().rsplit('/').next().unwrap().to_owned();
            let rows = rows.lock().unwrap();
            match rows.iter().find(|row| connection_id(row.index) == id) {
                Some(row) => ResponseTemplate::new(200).set_body_json(row.json()),
                None => ResponseTemplate::new(404),
            }
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/public/v1/sources/{SOURCE}")))
        .respond_with(ResponseTemplate::new(200).set_body_json(source_json(
            SOURCE,
            "shared (delete-me)",
            Some("dfd88b22-b603-4c3d-aad7-3701784586b1"),
        )))
        .mount(&server)
        .await;
    accept_deletes(server).await
}

/// Answers every `DELETE` with 204 (the tests count them), and a workspace of the server.
async fn accept_deletes(server: MockServer) -> (MockServer, CloudWorkspace) {
    scripted::accept_deletes(&server).await;
    let workspace = scripted_workspace(&server.uri());
    (server, workspace)
}

fn names_the_dependent(error: &Error) {
    let Error::DependentsExist { dependents, .. } = error else {
        panic!("expected the dependent to refuse the delete, got {error}");
    };
    assert_eq!(dependents.len(), 1, "{error}");
    assert_eq!(dependents[0].resource.id, connection_id(DEPENDENT_INDEX));
}

#[tokio::test]
async fn a_cascade_finds_the_dependent_on_page_two_while_page_one_shrinks() {
    let (server, workspace) = server().await;
    let temp = workspace.connection(connection_id(0)).unwrap();
    let error = temp
        .delete()
        .cascade_source(true)
        .await
        .expect_err("the source carries another connection");
    names_the_dependent(&error);
    assert_eq!(
        scripted::deletes(&server).await,
        0,
        "refused before the first DELETE"
    );
}

#[tokio::test]
async fn a_source_delete_finds_the_dependent_on_page_two_while_page_one_shrinks() {
    let (server, workspace) = server().await;
    let source = workspace.source(SOURCE).unwrap();
    let error = source
        .permanently_delete(true)
        .await
        .expect_err("two connections use the source");
    let Error::DependentsExist { dependents, .. } = &error else {
        panic!("expected a refusal naming the dependents, got {error}");
    };
    let ids: Vec<&str> = dependents.iter().map(|d| d.resource.id.as_str()).collect();
    assert_eq!(
        ids,
        [connection_id(0), connection_id(DEPENDENT_INDEX)],
        "{error}"
    );
    assert_eq!(scripted::deletes(&server).await, 0);
}

#[tokio::test]
async fn dependent_connections_include_page_two_while_page_one_shrinks() {
    let (_server, workspace) = server().await;
    let ids: Vec<String> = workspace
        .source(SOURCE)
        .unwrap()
        .dependent_connections()
        .await
        .unwrap()
        .iter()
        .map(|connection| connection.id().to_string())
        .collect();
    assert_eq!(ids, [connection_id(0), connection_id(DEPENDENT_INDEX)]);
}

const DEFINITION: &str = "00000000-0000-4000-9000-000000000001";
const OTHER_DEFINITION: &str = "dfd88b22-b603-4c3d-aad7-3701784586b1";

fn source_id(index: usize) -> String {
    format!("00000000-0000-4000-a000-{:012}", 1_000 + index)
}

fn indexed_source(index: usize) -> Value {
    let definition = if index == DEPENDENT_INDEX {
        DEFINITION
    } else {
        OTHER_DEFINITION
    };
    source_json(
        &source_id(index),
        &format!("source {index} (delete-me)"),
        Some(definition),
    )
}

/// 101 sources; the last, first of page two, runs the definition. Right after the first page
/// is served, another caller deletes source 5. Sources say nothing of their deletion, so a
/// list with deleted ones does not help here.
async fn sources_server() -> (MockServer, CloudWorkspace) {
    let server = MockServer::start().await;
    let deleted = Arc::new(Mutex::new(false));
    Mock::given(method("GET"))
        .and(path("/api/public/v1/sources"))
        .respond_with(move |request: &Request| {
            let offset: usize = query(request, "offset").map_or(0, |v| v.parse().unwrap());
            let limit: usize = query(request, "limit").map_or(20, |v| v.parse().unwrap());
            let include_deleted = query(request, "includeDeleted").as_deref() == Some("true");
            let mut gone = deleted.lock().unwrap();
            let visible: Vec<Value> = (0..=DEPENDENT_INDEX)
                .filter(|index| include_deleted || !(*gone && *index == 5))
                .map(indexed_source)
                .collect();
            *gone = true;
            let page: Vec<Value> = visible.iter().skip(offset).take(limit).cloned().collect();
            let mut body = json!({"data": page});
            if offset + limit < visible.len() {
                body["next"] = json!(format!(
                    "https://api.example/v1/sources?offset={}",
                    offset + limit
                ));
            }
            ResponseTemplate::new(200).set_body_json(body)
        })
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex("^/api/public/v1/sources/.+$"))
        .respond_with(|request: &Request| {
            let id = request.url.path().rsplit('/').next().unwrap().to_owned();
            match (0..=DEPENDENT_INDEX).find(|index| source_id(*index) == id) {
                Some(index) => ResponseTemplate::new(200).set_body_json(indexed_source(index)),
                None => ResponseTemplate::new(404),
            }
        })
        .mount(&server)
        .await;
    scripted::no_connections(&server).await;
    scripted::declarative_definition(&server, DEFINITION, "issues api (delete-me)").await;
    accept_deletes(server).await
}

#[tokio::test]
async fn a_definition_finds_the_source_on_page_two_while_page_one_shrinks() {
    let (server, workspace) = sources_server().await;
    let definition = workspace
        .custom_source_definition(DEFINITION, DefinitionKind::Yaml)
        .unwrap();
    assert_eq!(
        dependent_source_ids(&definition).await,
        [source_id(DEPENDENT_INDEX)]
    );
    assert_eq!(scripted::deletes(&server).await, 0);
}

#[tokio::test]
async fn a_definition_delete_refuses_with_the_source_on_page_two_while_page_one_shrinks() {
    let (server, workspace) = sources_server().await;
    let error = workspace
        .custom_source_definition(DEFINITION, DefinitionKind::Yaml)
        .unwrap()
        .delete()
        .await
        .expect_err("a source runs the definition");
    let Error::DependentsExist { dependents, .. } = &error else {
        panic!("expected the source to refuse the delete, got {error}");
    };
    assert_eq!(dependents.len(), 1, "{error}");
    assert_eq!(dependents[0].resource.id, source_id(DEPENDENT_INDEX));
    assert_eq!(scripted::deletes(&server).await, 0);
}
