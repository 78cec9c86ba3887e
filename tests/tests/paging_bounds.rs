//! Paging a hostile or buggy server ends: a repeated page, an offset that does not advance, or
//! too many items end the stream with a typed error; memory holds one page.

use std::time::Duration;

use airbyte::cloud::PagingProblem;
use airbyte::prelude::*;
use airbyte_e2e::{WORKSPACE, connection_json, scripted_builder, scripted_workspace, source_json};
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn source(id: usize) -> Value {
    source_json(
        &format!("00000000-0000-4000-8000-{id:012}"),
        &format!("source {id}"),
        Some("dfd88b22-b603-4c3d-aad7-3701784586b1"),
    )
}

fn workspace_at(server: &MockServer) -> CloudWorkspace {
    scripted_workspace(&server.uri())
}

fn offset_of(request: &Request) -> usize {
    request
        .url
        .query_pairs()
        .find(|(key, _)| key == "offset")
        .and_then(|(_, value)| value.parse().ok())
        .unwrap_or(0)
}

#[tokio::test]
async fn a_server_that_repeats_its_page_ends_the_list_with_an_error() {
    let server = MockServer::start().await;
    let page: Vec<Value> = (0..100).map(source).collect();
    Mock::given(method("GET"))
        .and(path("/api/public/v1/sources"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": page,
            "next": "https://api.example/v1/sources?limit=100&offset=100",
        })))
        .mount(&server)
        .await;
    the_repeat_is_seen_on_the_second_page(&server).await;
}

/// Lists the server's sources: the second page must end the list as a repeat of the first.
async fn the_repeat_is_seen_on_the_second_page(server: &MockServer) {
    let listed = tokio::time::timeout(
        Duration::from_secs(20),
        workspace_at(server).list_sources().collect(),
    )
    .await
    .expect("paging ends");
    let error = listed.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Paging {
                list: "sources",
                problem: PagingProblem::RepeatedPage { offset: 100 },
            }
        ),
        "{error}"
    );
    let requests = server.received_requests().await.unwrap().len();
    assert_eq!(requests, 2, "the repeat is seen on the second page");
}

fn declarative(id: usize, name: &str) -> Value {
    json!({
        "id": format!("00000000-0000-4000-9000-{id:012}"),
        "name": name,
        "manifest": {"version": "6.7.0", "type": "DeclarativeSource", "streams": []},
        "version": 1,
    })
}

#[tokio::test]
async fn the_definition_uniqueness_check_reads_page_two() {
    let server = MockServer::start().await;
    let collection =
        format!("/api/public/v1/workspaces/{WORKSPACE}/definitions/declarative_sources");
    Mock::given(method("GET"))
        .and(path(collection.as_str()))
        .and(query_param("offset", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [declarative(2, "issues api (delete-me)")],
        })))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(collection.as_str()))
        .respond_with(move |request: &Request| {
            assert_eq!(offset_of(request), 0, "only page two names an offset");
            ResponseTemplate::new(200).set_body_json(json!({
                "data": [declarative(1, "another api")],
                "next": format!("https://api.example/v1/workspaces/{WORKSPACE}/definitions/declarative_sources?limit=1&offset=1"),
            }))
        })
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(collection.as_str()))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(declarative(3, "issues api (delete-me)")),
        )
        .mount(&server)
        .await;
    let manifest = Manifest::from_json(json!({
        "version": "6.7.0",
        "type": "DeclarativeSource",
        "streams": [{"type": "DeclarativeStream", "name": "issues"}],
        "spec": {"connection_specification": {"type": "object"}},
    }));
    let error = workspace_at(&server)
        .publish_yaml_source_definition("issues api (delete-me)", manifest)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::DuplicateResource { .. }), "{error}");
    let posts = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|request| request.method.as_str() == "POST")
        .count();
    assert_eq!(posts, 0, "nothing was created");
}

#[tokio::test]
async fn a_server_that_never_ends_stops_at_the_item_limit() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/public/v1/connections"))
        .respond_with(|request: &Request| {
            let offset = offset_of(request);
            let page: Vec<Value> = (offset..offset + 100)
                .map(|id| {
                    connection_json(
                        &format!("00000000-0000-4000-8000-{id:012}"),
                        &format!("connection {id}"),
                        "s",
                        "d",
                    )
                })
                .collect();
            ResponseTemplate::new(200)
                .set_body_json(json!({"data": page, "next": "https://x/?offset=1"}))
        })
        .mount(&server)
        .await;
    let workspace = scripted_builder(&server.uri())
        .max_list_items(1_000)
        .build()
        .unwrap();
    let error = tokio::time::timeout(
        Duration::from_secs(20),
        workspace.list_connections().collect(),
    )
    .await
    .expect("paging ends")
    .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Paging {
                problem: PagingProblem::TooManyItems { limit: 1_000 },
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(
        server.received_requests().await.unwrap().len(),
        11,
        "a thousand items are allowed; the page that goes past them ends the list"
    );
    // A per-list limit overrides the workspace's.
    let error = workspace
        .list_connections()
        .max_items(150)
        .collect()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("150"), "{error}");
    assert!(
        CloudWorkspace::builder()
            .workspace_id(WORKSPACE)
            .bearer_token("t")
            .max_list_items(0)
            .build()
            .is_err()
    );
}

#[tokio::test]
async fn a_next_link_that_does_not_advance_ends_the_definition_list() {
    let server = MockServer::start().await;
    let collection =
        format!("/api/public/v1/workspaces/{WORKSPACE}/definitions/declarative_sources");
    Mock::given(method("GET"))
        .and(path(collection.as_str()))
        .respond_with(move |request: &Request| {
            let offset = offset_of(request);
            ResponseTemplate::new(200).set_body_json(json!({
                "data": [declarative(offset + 1, &format!("api {offset}"))],
                "next": "https://api.example/v1/definitions?limit=1&offset=1",
            }))
        })
        .mount(&server)
        .await;
    let error = workspace_at(&server)
        .list_custom_source_definitions(DefinitionKind::Yaml)
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Paging {
                problem: PagingProblem::OffsetNotAdvancing {
                    offset: 1,
                    next_offset: 1
                },
                ..
            }
        ),
        "{error}"
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_server_that_repeats_its_page_in_another_order_ends_the_list_with_an_error() {
    // The same hundred sources at every offset, reversed every other time: compared in order,
    // no page repeated the one before, and paging went on towards ten million items.
    let server = MockServer::start().await;
    let counter = std::sync::atomic::AtomicUsize::new(0);
    Mock::given(method("GET"))
        .and(path("/api/public/v1/sources"))
        .respond_with(move |_: &Request| {
            let call = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut page: Vec<Value> = (0..100).map(source).collect();
            if call % 2 == 1 {
                page.reverse();
            }
            ResponseTemplate::new(200).set_body_json(json!({
                "data": page,
                "next": "https://api.example/v1/sources?limit=100&offset=100",
            }))
        })
        .mount(&server)
        .await;
    the_repeat_is_seen_on_the_second_page(&server).await;
}

#[tokio::test]
async fn a_page_larger_than_asked_for_is_taken_and_paging_goes_on_from_its_end() {
    // A server that ignores `limit` and sends 150 items: none is lost or read twice.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/public/v1/sources"))
        .respond_with(|request: &Request| {
            let offset = offset_of(request);
            let page: Vec<Value> = (offset..(offset + 150).min(320)).map(source).collect();
            ResponseTemplate::new(200).set_body_json(json!({"data": page, "next": "x?offset=1"}))
        })
        .mount(&server)
        .await;
    let sources = workspace_at(&server)
        .list_sources()
        .collect()
        .await
        .unwrap();
    assert_eq!(sources.len(), 320);
    let offsets: Vec<usize> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(offset_of)
        .collect();
    assert_eq!(offsets, [0, 150, 300]);
}
