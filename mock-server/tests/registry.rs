//! The mock serves every operation of the models' registry under each prefix of its API (all
//! 92 of the Public API: none is left answering 501), routes that share a prefix reach their
//! own handler, and wrong methods answer 405 with `Allow`.

mod support;

use airbyte_models::ops::Method;
use airbyte_models::ops::registry::{NOT_YET, OperationDef, REGISTRY};
use serde_json::json;
use support::*;

/// A path of the template with each parameter replaced by a placeholder ID.
fn concrete(def: &OperationDef) -> String {
    let mut path = def.path.to_owned();
    for name in def.path_params() {
        let value = if name == "jobId" {
            "12345"
        } else {
            "0f0f0f0f-aaaa-4bbb-8ccc-000000000001"
        };
        path = path.replace(&format!("{{{name}}}"), value);
    }
    path
}

fn prefixes(def: &OperationDef) -> &'static [&'static str] {
    match def.api {
        airbyte_models::ops::Api::Public => &["/api/public/v1", "/v1"],
        _ => &["/api/v1"],
    }
}

fn body_for(method: Method) -> Option<serde_json::Value> {
    (method != Method::Get && method != Method::Delete).then(|| json!({}))
}

#[tokio::test]
async fn every_registry_operation_is_routed_to_its_handler_under_each_prefix() {
    let (server, raw) = started().await;
    let mut sent = Vec::new();
    for def in REGISTRY {
        for prefix in prefixes(def) {
            let path = format!("{prefix}{}", concrete(def));
            let answer = raw
                .send(def.method.as_str(), &path, body_for(def.method))
                .await;
            assert!(
                ![405, 501].contains(&answer.status),
                "{} {path}: {} {}",
                def.method,
                answer.status,
                String::from_utf8_lossy(&answer.bytes)
            );
            sent.push((def.operation_id, def.method.as_str(), path));
        }
    }
    // The journal names the operation that served each request: a route missing from the
    // router (or bound to another handler) shows here.
    let journal = server.journal();
    for (operation_id, method, path) in &sent {
        let entry = journal
            .iter()
            .rev()
            .find(|entry| entry.method == *method && entry.path == *path)
            .unwrap_or_else(|| panic!("{method} {path} was not journaled"));
        assert_eq!(
            entry.operation.as_deref(),
            Some(*operation_id),
            "{method} {path} was served by {:?}",
            entry.operation
        );
    }
}

#[tokio::test]
async fn the_whole_public_api_is_emulated() {
    assert!(NOT_YET.is_empty(), "emulate {NOT_YET:?}");
    let public = REGISTRY
        .iter()
        .filter(|def| def.api == airbyte_models::ops::Api::Public)
        .count();
    assert_eq!(public, 92);
}

#[tokio::test]
async fn initiate_oauth_is_not_taken_for_a_source_id() {
    let (server, raw) = started().await;
    let answer = raw
        .post(
            "/api/public/v1/sources/initiateOAuth",
            json!({"sourceType": "github"}),
        )
        .await;
    // Routed to initiateOAuth, which refuses a body without its required fields.
    assert_eq!(answer.status, 400, "{:?}", answer.bytes);
    let journal = server.journal();
    let entry = journal.last().expect("journaled");
    assert_eq!(entry.operation.as_deref(), Some("initiateOAuth"));
    // A source ID is still a source ID.
    assert_eq!(
        raw.get("/api/public/v1/sources/initiateOAuth2")
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn wrong_methods_answer_405_with_allow_and_an_error_body() {
    let (_server, raw) = started().await;
    for (method, path, allowed) in [
        ("PUT", "/api/public/v1/connections", vec!["GET", "POST"]),
        (
            "POST",
            "/v1/sources/x",
            vec!["DELETE", "GET", "PATCH", "PUT"],
        ),
        ("GET", "/api/v1/state/get", vec!["POST"]),
        ("GET", "/_mock/reset", vec!["POST"]),
    ] {
        let answer = raw.send(method, path, Some(json!({}))).await;
        assert_eq!(answer.status, 405, "{method} {path}");
        let allow = answer.headers.get("allow").expect("an Allow header");
        let mut listed: Vec<String> = allow
            .to_str()
            .unwrap()
            .split(',')
            .map(|method| method.trim().to_owned())
            .filter(|method| method != "HEAD")
            .collect();
        listed.sort();
        assert_eq!(listed, allowed, "{method} {path}");
        assert!(answer.json()["errorId"].is_string(), "{method} {path}");
    }
}
