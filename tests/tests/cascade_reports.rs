//! A delete that stops part way still names every connection the server deleted besides its
//! plan, or says that it could not look.
//!
//! Deleting a source or destination makes the server delete the connections that use it. A
//! connection another caller creates between the last check and the `DELETE` is deleted too;
//! the delete lists the connections again afterwards and names it. These tests make the delete
//! stop at that moment or later (another step refused, the `DELETE`'s answer lost, the listing
//! afterwards failing): the connection must still be named, or the caller told that it could
//! not be listed. The soak found the first case (a connection deleted that no caller was told
//! of).

use std::future::Future;
use std::time::Duration;

use airbyte::cloud::ResourceKind;
use airbyte::mock::{FaultAction, FaultConfig, MockServer};
use airbyte::prelude::*;
use airbyte_e2e::*;
use serde_json::json;

async fn source(workspace: &CloudWorkspace, name: &str) -> CloudSource {
    workspace
        .deploy_source(name, "faker", json!({}))
        .await
        .unwrap()
}

async fn destination(workspace: &CloudWorkspace, name: &str) -> CloudDestination {
    workspace
        .deploy_destination(name, "dev-null", json!({}))
        .await
        .unwrap()
}

async fn connect(
    source: &CloudSource,
    destination: &CloudDestination,
    name: &str,
) -> CloudConnection {
    source
        .workspace()
        .deploy_connection(source, destination)
        .name(name)
        .await
        .unwrap()
}

/// Waits (bounded) until the server has received `count` requests `method` whose path ends
/// with `suffix`.
async fn until_requests(server: &MockServer, method: &str, suffix: &str, count: usize) {
    for _ in 0..500 {
        if requests(server, method, suffix) >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the server never received {count} {method} …{suffix}");
}

/// Starts the delete of `source` (no connections), whose `DELETE` waits 1.5 s at the server
/// after the checks before it; returns once it waits there, so that another caller can act in
/// the instant between the last check and the delete.
async fn delete_slowly(
    server: &MockServer,
    source: &CloudSource,
) -> tokio::task::JoinHandle<airbyte::Result<airbyte::cloud::DeletePlan>> {
    let lists_before = requests(server, "GET", "/connections");
    // The delete reads the source, lists its connections (the plan), lists them again right
    // before the DELETE, which then waits.
    server.set_faults(FaultConfig {
        script: vec![
            FaultAction::Pass,
            FaultAction::Pass,
            FaultAction::Pass,
            FaultAction::Latency { ms: 1_500 },
        ],
        ..FaultConfig::default()
    });
    let deleting = tokio::spawn({
        let source = source.clone();
        async move { source.delete().await }
    });
    until_requests(server, "GET", "/connections", lists_before + 2).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    deleting
}

/// Requests a custom source definition's delete sends before its `DELETE`: the definition's
/// name and the sources (the plan), the sources deleted ones included, then again without
/// (the check).
const SOURCE_DEFINITION_PASSES: usize = 4;

/// The same for a custom destination definition.
const DESTINATION_DEFINITION_PASSES: usize = 4;

/// The fields of a delete that stopped part way.
fn incomplete(error: &Error) -> (Vec<String>, Vec<String>, Vec<String>, Option<String>) {
    let Error::DeleteIncomplete {
        deleted,
        not_deleted,
        unplanned,
        unchecked,
        ..
    } = error
    else {
        panic!("expected a delete stopped part way, got {error}")
    };
    let names = |resources: &Vec<airbyte::cloud::ResourceRef>| {
        resources
            .iter()
            .map(|resource| resource.name.clone())
            .collect()
    };
    (
        names(deleted),
        names(not_deleted),
        names(unplanned),
        unchecked.as_ref().map(|resource| resource.name.clone()),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_deleted_with_the_source_is_named_when_a_later_step_stops_the_delete() {
    let server = mock().await;
    let workspace = workspace(&server);
    let shared_source = source(&workspace, "shared source (delete-me)").await;
    let shared_sink = destination(&workspace, "shared sink (delete-me)").await;
    let other_source = source(&workspace, "other source").await;
    let other_sink = destination(&workspace, "other sink").await;
    let temp = connect(&shared_source, &shared_sink, "temp (delete-me)").await;
    let lists_before = requests(&server, "GET", "/connections");
    // The cascade reads the connection, its source and its destination, lists the connections
    // (the plan), deletes the connection, lists them again right before the source's DELETE,
    // which then waits 1.5 s.
    let mut script = vec![FaultAction::Pass; 6];
    script.push(FaultAction::Latency { ms: 1_500 });
    server.set_faults(FaultConfig {
        script,
        ..FaultConfig::default()
    });
    let deleting = tokio::spawn(async move {
        temp.delete()
            .cascade_source(true)
            .cascade_destination(true)
            .await
    });
    until_requests(&server, "GET", "/connections", lists_before + 2).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Meanwhile another caller connects the source (the server deletes that connection with
    // it) and the destination (which stops the delete before the destination's DELETE).
    let on_source = connect(&shared_source, &other_sink, "late on the source").await;
    let on_sink = connect(&other_source, &shared_sink, "late on the sink").await;

    let error = deleting.await.unwrap().unwrap_err();
    assert!(
        error.to_string().contains("late on the source"),
        "the connection the server deleted with the source is named: {error}"
    );
    let (deleted, not_deleted, unplanned, unchecked) = incomplete(&error);
    assert_eq!(
        deleted,
        ["temp (delete-me)", "shared source (delete-me)"],
        "{error}"
    );
    assert_eq!(not_deleted, ["shared sink (delete-me)"], "{error}");
    assert_eq!(unplanned, ["late on the source"], "{error}");
    assert_eq!(unchecked, None, "{error}");
    let Error::DeleteIncomplete { source, .. } = &error else {
        unreachable!()
    };
    assert!(
        matches!(&**source, Error::DependentsExist { dependents, .. }
            if dependents.len() == 1 && dependents[0].resource.name == "late on the sink"),
        "what stopped it is the new connection on the destination: {source}"
    );
    // As reported: one connection gone, the other and the destination still there.
    assert!(on_source.info().await.unwrap_err().is_not_found());
    on_sink.info().await.unwrap();
    shared_sink.info().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_deleted_by_a_delete_whose_answer_was_lost_is_named() {
    let server = mock().await;
    let workspace = workspace(&server);
    let flaky = source(&workspace, "flaky source (delete-me)").await;
    let sink = destination(&workspace, "sink").await;
    // The delete reads the source, lists its connections (the plan), lists them again, then
    // sends the DELETE: refused for a second (429), during which another caller connects the
    // source. The retry is applied but its answer lost; the next retry fails for good.
    server.set_faults(FaultConfig {
        script: vec![
            FaultAction::Pass,
            FaultAction::Pass,
            FaultAction::Pass,
            FaultAction::Status {
                status: 429,
                retry_after_secs: Some(1),
            },
        ],
        ..FaultConfig::default()
    });
    let deleting = tokio::spawn({
        let flaky = flaky.clone();
        async move { flaky.delete().await }
    });
    until_requests(&server, "DELETE", flaky.id().as_str(), 1).await;
    let late = connect(&flaky, &sink, "created meanwhile").await;
    server.set_faults(FaultConfig {
        script: vec![
            FaultAction::ResetAfterRead,
            FaultAction::Status {
                status: 500,
                retry_after_secs: None,
            },
        ],
        ..FaultConfig::default()
    });

    let error = deleting.await.unwrap().unwrap_err();
    assert!(
        error.to_string().contains("created meanwhile"),
        "the connection the server deleted with the source is named: {error}"
    );
    let (deleted, not_deleted, unplanned, unchecked) = incomplete(&error);
    assert!(deleted.is_empty(), "{error}");
    assert_eq!(not_deleted, ["flaky source (delete-me)"], "{error}");
    assert_eq!(unplanned, ["created meanwhile"], "{error}");
    assert_eq!(unchecked, None, "{error}");
    assert!(late.info().await.unwrap_err().is_not_found());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_created_during_the_delete_is_reported() {
    let server = mock().await;
    let workspace = workspace(&server);
    let racy = source(&workspace, "racy source (delete-me)").await;
    let sink = destination(&workspace, "racy sink (delete-me)").await;
    let deleting = delete_slowly(&server, &racy).await;
    let late = connect(&racy, &sink, "late arrival").await;
    let error = deleting.await.unwrap().unwrap_err();
    let Error::UnplannedDeletion { deleted, unplanned } = &error else {
        panic!("{error}")
    };
    assert_eq!(deleted.len(), 1);
    assert_eq!(unplanned.len(), 1);
    assert_eq!(unplanned[0].id, late.id().as_str());
    assert!(error.to_string().contains("late arrival"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_that_cannot_list_the_connections_afterwards_says_so() {
    let server = mock().await;
    let workspace = workspace(&server);
    let lonely = source(&workspace, "lonely source (delete-me)").await;
    let sink = destination(&workspace, "sink").await;
    // Another caller connects the source while its DELETE waits, then the listing after the
    // DELETE fails.
    let deleting = delete_slowly(&server, &lonely).await;
    let late = connect(&lonely, &sink, "created meanwhile").await;
    server.set_faults(FaultConfig {
        script: vec![FaultAction::Status {
            status: 500,
            retry_after_secs: None,
        }],
        ..FaultConfig::default()
    });

    let error = deleting.await.unwrap().unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains(
            "the server may also have deleted connections that use source \"lonely source (delete-me)\""
        ),
        "the caller is told that connections may be gone unnamed: {text}"
    );
    let (deleted, not_deleted, unplanned, unchecked) = incomplete(&error);
    assert_eq!(deleted, ["lonely source (delete-me)"], "{error}");
    assert!(not_deleted.is_empty(), "{error}");
    assert!(unplanned.is_empty(), "nothing could be listed: {error}");
    assert_eq!(
        unchecked.as_deref(),
        Some("lonely source (delete-me)"),
        "{error}"
    );
    assert!(late.info().await.unwrap_err().is_not_found());
    let Error::DeleteIncomplete {
        unchecked: Some(resource),
        ..
    } = &error
    else {
        unreachable!()
    };
    assert_eq!(resource.kind, ResourceKind::Source);
    assert_eq!(resource.id, lonely.id().as_str());
}

/// Starts `delete` (of a custom definition without dependents), whose `DELETE` waits 1.5 s at
/// the server after the `passes` requests before it (the plan, then the check of the
/// connectors that run the definition); returns once it waits there, so that another caller
/// can act in the instant between that check and the delete.
async fn delete_definition_slowly(
    server: &MockServer,
    list: &str,
    passes: usize,
    delete: impl Future<Output = airbyte::Result<airbyte::cloud::DeletePlan>> + Send + 'static,
) -> tokio::task::JoinHandle<airbyte::Result<airbyte::cloud::DeletePlan>> {
    let lists_before = requests(server, "GET", list);
    let mut script = vec![FaultAction::Pass; passes];
    script.push(FaultAction::Latency { ms: 1_500 });
    server.set_faults(FaultConfig {
        script,
        ..FaultConfig::default()
    });
    let deleting = tokio::spawn(delete);
    // The plan lists the connectors, and the check lists them twice.
    until_requests(server, "GET", list, lists_before + 3).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    deleting
}

/// The names of what the server deleted besides a plan that went through.
fn unplanned_names(error: &Error) -> Vec<String> {
    let Error::UnplannedDeletion { unplanned, .. } = error else {
        panic!("expected a delete that removed more than planned, got {error}")
    };
    unplanned
        .iter()
        .map(|resource| resource.name.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_created_with_the_definition_during_its_delete_is_named() {
    let server = mock().await;
    let workspace = workspace(&server);
    let definition = workspace
        .publish_docker_source_definition("crm (delete-me)", "acme/source-crm", "1.0.0")
        .await
        .unwrap();
    let sink = destination(&workspace, "sink").await;
    let deleting = delete_definition_slowly(&server, "/sources", SOURCE_DEFINITION_PASSES, {
        let definition = definition.clone();
        async move { definition.delete().await }
    })
    .await;
    // Meanwhile another caller deploys a source with the definition, and connects it: the
    // server deletes both with the definition.
    let late = definition
        .deploy_source("late crm", json!({}))
        .await
        .unwrap();
    let connection = connect(&late, &sink, "late crm to sink").await;

    let error = deleting.await.unwrap().unwrap_err();
    assert_eq!(
        unplanned_names(&error),
        ["late crm", "late crm to sink"],
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("the server also deleted 2 resources that appeared after the check"),
        "{error}"
    );
    assert!(late.info().await.unwrap_err().is_not_found());
    assert!(connection.info().await.unwrap_err().is_not_found());
    sink.info().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_destination_created_with_the_definition_during_its_delete_is_named() {
    let server = mock().await;
    let workspace = workspace(&server);
    let definition = workspace
        .publish_docker_destination_definition("Lake (delete-me)", "acme/destination-lake", "0.1.0")
        .await
        .unwrap();
    let deleting =
        delete_definition_slowly(&server, "/destinations", DESTINATION_DEFINITION_PASSES, {
            let definition = definition.clone();
            async move { definition.delete().await }
        })
        .await;
    let late = definition
        .deploy_destination("late lake", json!({}))
        .await
        .unwrap();

    let error = deleting.await.unwrap().unwrap_err();
    assert_eq!(unplanned_names(&error), ["late lake"], "{error}");
    assert!(late.info().await.unwrap_err().is_not_found());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_definition_delete_that_cannot_list_the_sources_afterwards_says_so() {
    let server = mock().await;
    let workspace = workspace(&server);
    let definition = workspace
        .publish_docker_source_definition("crm (delete-me)", "acme/source-crm", "1.0.0")
        .await
        .unwrap();
    let deleting = delete_definition_slowly(&server, "/sources", SOURCE_DEFINITION_PASSES, {
        let definition = definition.clone();
        async move { definition.delete().await }
    })
    .await;
    let late = definition
        .deploy_source("late crm", json!({}))
        .await
        .unwrap();
    // The listing after the DELETE fails.
    server.set_faults(FaultConfig {
        script: vec![FaultAction::Status {
            status: 500,
            retry_after_secs: None,
        }],
        ..FaultConfig::default()
    });

    let error = deleting.await.unwrap().unwrap_err();
    let (deleted, not_deleted, unplanned, unchecked) = incomplete(&error);
    assert_eq!(deleted, ["crm (delete-me)"], "{error}");
    assert!(not_deleted.is_empty(), "{error}");
    assert!(unplanned.is_empty(), "{error}");
    assert_eq!(unchecked.as_deref(), Some("crm (delete-me)"), "{error}");
    assert!(
        error
            .to_string()
            .contains("the server may also have deleted sources (and their connections) that run"),
        "the caller is told that sources may be gone unnamed: {error}"
    );
    assert!(late.info().await.unwrap_err().is_not_found());
}
