//! Deletes that check every dependent: connections that use a source or destination, sources
//! that use a custom definition, fresh names under safe mode.

use airbyte::cloud::{DeletionReason, ResourceKind, ResourceRef};
use airbyte::mock::{FaultAction, FaultConfig};
use airbyte::prelude::*;
use airbyte_e2e::*;
use serde_json::json;

/// A source and a destination carrying two connections: one to delete, one that matters.
struct Shared {
    source: CloudSource,
    destination: CloudDestination,
    temp: CloudConnection,
    important: CloudConnection,
}

async fn shared(workspace: &CloudWorkspace) -> Shared {
    let source = workspace
        .deploy_source("shared (delete-me)", "faker", json!({"count": 5}))
        .await
        .unwrap();
    let destination = workspace
        .deploy_destination("sink (delete-me)", "dev-null", json!({}))
        .await
        .unwrap();
    let temp = workspace
        .deploy_connection(&source, &destination)
        .name("temp (delete-me)")
        .await
        .unwrap();
    let important = workspace
        .deploy_connection(&source, &destination)
        .name("IMPORTANT production pipeline")
        .await
        .unwrap();
    Shared {
        source,
        destination,
        temp,
        important,
    }
}

/// A mock server, and the shared source and destination in its production workspace.
async fn shared_world() -> (airbyte::mock::MockServer, Shared) {
    let server = mock().await;
    let world = shared(&workspace(&server)).await;
    (server, world)
}

fn deletes(server: &airbyte::mock::MockServer) -> usize {
    server
        .journal()
        .iter()
        .filter(|entry| entry.method == "DELETE")
        .count()
}

/// The names of dependents in a refusal.
fn dependent_names(error: &Error) -> Vec<String> {
    match error {
        Error::DependentsExist { dependents, .. } => dependents
            .iter()
            .map(|dependent| dependent.resource.name.clone())
            .collect(),
        other => panic!("expected a refusal naming dependents, got {other}"),
    }
}

#[tokio::test]
async fn a_cascade_to_a_shared_destination_refuses_and_deletes_nothing() {
    let (server, world) = shared_world().await;
    let error = world
        .temp
        .permanently_delete(DeleteConnection {
            cascade_destination: true,
            ..DeleteConnection::default()
        })
        .await
        .unwrap_err();
    assert_eq!(dependent_names(&error), ["IMPORTANT production pipeline"]);
    let Error::DependentsExist {
        resource,
        dependents,
    } = &error
    else {
        unreachable!()
    };
    assert_eq!(resource.id, world.temp.id().as_str());
    assert_eq!(dependents[0].resource.id, world.important.id().as_str());
    assert_eq!(
        dependents[0].reason,
        DeletionReason::DependentOf(ResourceRef {
            kind: ResourceKind::Destination,
            id: world.destination.id().to_string(),
            name: "sink (delete-me)".to_owned(),
        })
    );
    let message = error.to_string();
    assert!(
        message.contains("IMPORTANT production pipeline")
            && message.contains(world.important.id().as_str()),
        "{message}"
    );
    assert_eq!(deletes(&server), 0, "nothing was deleted");
    world.important.info().await.unwrap();
    world.temp.info().await.unwrap();
    world.destination.info().await.unwrap();
}

#[tokio::test]
async fn a_cascade_to_a_shared_source_refuses_and_deletes_nothing() {
    let (server, world) = shared_world().await;
    let error = world
        .temp
        .permanently_delete(DeleteConnection {
            cascade_source: true,
            cascade_destination: true,
            ..DeleteConnection::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        dependent_names(&error),
        ["IMPORTANT production pipeline"],
        "named once, though it uses both"
    );
    assert_eq!(deletes(&server), 0);
    world.important.info().await.unwrap();
    world.source.info().await.unwrap();
}

#[tokio::test]
async fn a_source_with_connections_is_not_deleted_and_they_are_named() {
    let (server, world) = shared_world().await;
    let error = world.source.permanently_delete(true).await.unwrap_err();
    let mut names = dependent_names(&error);
    names.sort();
    assert_eq!(names, ["IMPORTANT production pipeline", "temp (delete-me)"]);
    assert_eq!(deletes(&server), 0);
    world.important.info().await.unwrap();
    let exposed: Vec<String> = world
        .source
        .dependent_connections()
        .await
        .unwrap()
        .iter()
        .map(|connection| connection.id().to_string())
        .collect();
    assert_eq!(exposed.len(), 2);
    assert!(exposed.contains(&world.important.id().to_string()));
    assert_eq!(
        world
            .destination
            .dependent_connections()
            .await
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn a_preview_names_everything_and_deletes_nothing() {
    let (server, world) = shared_world().await;
    let delete = world
        .temp
        .delete()
        .cascade_source(true)
        .cascade_destination(true)
        .delete_dependents(true);
    let plan = delete.preview().await.unwrap();
    let items: Vec<(ResourceKind, String, bool)> = plan
        .items()
        .map(|item| {
            (
                item.resource.kind,
                item.resource.name.clone(),
                item.is_dependent(),
            )
        })
        .collect();
    assert_eq!(
        items,
        [
            (
                ResourceKind::Connection,
                "IMPORTANT production pipeline".to_owned(),
                true
            ),
            (
                ResourceKind::Connection,
                "temp (delete-me)".to_owned(),
                false
            ),
            (ResourceKind::Source, "shared (delete-me)".to_owned(), false),
            (
                ResourceKind::Destination,
                "sink (delete-me)".to_owned(),
                false
            ),
        ],
        "dependents first, then what was asked for"
    );
    assert!(plan.contains(world.important.id().as_str()));
    assert_eq!(plan.requested().count(), 3);
    // Under safe mode, the dependent's name refuses the delete.
    let refusal = plan.check().unwrap_err();
    assert!(
        matches!(&refusal, Error::SafeModeRefusal { name, .. } if name == "IMPORTANT production pipeline"),
        "{refusal}"
    );
    assert_eq!(deletes(&server), 0, "a preview deletes nothing");
    let error = delete.await.unwrap_err();
    assert!(matches!(error, Error::SafeModeRefusal { .. }), "{error}");
    assert_eq!(deletes(&server), 0);
    world.important.info().await.unwrap();
}

#[tokio::test]
async fn dependents_are_deleted_when_asked_and_the_result_names_them() {
    let (server, world) = shared_world().await;
    world
        .important
        .rename("old pipeline (delete-me)")
        .await
        .unwrap();
    let deleted = world
        .temp
        .delete()
        .cascade_source(true)
        .delete_dependents(true)
        .await
        .unwrap();
    let names: Vec<&str> = deleted
        .items()
        .map(|item| item.resource.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "old pipeline (delete-me)",
            "temp (delete-me)",
            "shared (delete-me)"
        ]
    );
    for gone in [world.important.info().await, world.temp.info().await] {
        assert!(gone.unwrap_err().is_not_found());
    }
    assert!(world.source.info().await.unwrap_err().is_not_found());
    world.destination.info().await.unwrap();
    // Each was deleted explicitly, dependents first: the server's cascade removed nothing
    // unnamed.
    let deleted_paths: Vec<String> = server
        .journal()
        .iter()
        .filter(|entry| entry.method == "DELETE")
        .map(|entry| entry.path.clone())
        .collect();
    assert_eq!(deleted_paths.len(), 3);
    assert!(deleted_paths[0].ends_with(world.important.id().as_str()));
    assert!(deleted_paths[2].ends_with(world.source.id().as_str()));
}

#[tokio::test]
async fn a_source_and_its_connections_are_deleted_when_asked() {
    let (server, world) = shared_world().await;
    let deletes_before = deletes(&server);
    world.important.rename("second (delete-me)").await.unwrap();
    let plan = world.source.delete().delete_dependents(true).await.unwrap();
    assert_eq!(plan.dependents().count(), 2);
    assert_eq!(plan.len(), 3);
    assert_eq!(
        deletes(&server),
        deletes_before + 3,
        "each one deleted explicitly"
    );
    assert!(world.source.info().await.unwrap_err().is_not_found());
    world.destination.info().await.unwrap();
}

#[tokio::test]
async fn a_failure_part_way_says_what_was_deleted_and_what_was_not() {
    let (server, world) = shared_world().await;
    world.important.rename("second (delete-me)").await.unwrap();
    // The source's delete reads the source and lists its connections, deletes the first one,
    // and fails on the second.
    server.set_faults(FaultConfig {
        script: vec![
            FaultAction::Pass,
            FaultAction::Pass,
            FaultAction::Pass,
            FaultAction::Status {
                status: 500,
                retry_after_secs: None,
            },
        ],
        ..FaultConfig::default()
    });
    let error = world
        .source
        .delete()
        .delete_dependents(true)
        .await
        .unwrap_err();
    let Error::DeleteIncomplete {
        deleted,
        not_deleted,
        ..
    } = &error
    else {
        panic!("{error}")
    };
    assert_eq!(deleted.len(), 1);
    assert_eq!(not_deleted.len(), 2);
    assert_eq!(not_deleted[1].id, world.source.id().as_str());
    assert!(
        error.to_string().contains("after deleting 1 of 3"),
        "{error}"
    );
    world.source.info().await.unwrap();
}

#[tokio::test]
async fn safe_mode_reads_the_name_at_the_moment_of_the_delete() {
    let server = mock().await;
    let workspace = workspace(&server);
    workspace
        .deploy_source("tmp (delete-me)", "faker", json!({}))
        .await
        .unwrap();
    let listed = workspace
        .list_sources()
        .name("tmp (delete-me)")
        .first()
        .await
        .unwrap()
        .unwrap();
    // Renamed by someone else between the list and the delete.
    workspace
        .source(listed.id())
        .unwrap()
        .rename("customer orders")
        .await
        .unwrap();
    let error = listed.permanently_delete(true).await.unwrap_err();
    assert!(
        matches!(&error, Error::SafeModeRefusal { name, .. } if name == "customer orders"),
        "{error}"
    );
    assert_eq!(deletes(&server), 0);
    assert_eq!(listed.info().await.unwrap().name, "customer orders");
}

#[tokio::test]
async fn a_connection_renamed_since_it_was_listed_is_not_deleted_under_safe_mode() {
    let (server, world) = shared_world().await;
    let listed = world
        .temp
        .workspace()
        .list_connections()
        .name("temp (delete-me)")
        .first()
        .await
        .unwrap()
        .unwrap();
    world.temp.rename("now in production").await.unwrap();
    let error = listed
        .permanently_delete(DeleteConnection::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::SafeModeRefusal { .. }), "{error}");
    assert_eq!(deletes(&server), 0);
}

#[tokio::test]
async fn an_approved_plan_is_not_widened_by_a_connection_created_since() {
    // What the operator approved is what may be deleted: a plain send plans afresh and would
    // delete the newcomer too, unseen.
    let (server, world) = shared_world().await;
    world.important.rename("second (delete-me)").await.unwrap();
    let delete = world.source.delete().delete_dependents(true);
    let approved = delete.preview().await.unwrap();
    assert_eq!(approved.len(), 3);
    let workspace = world.source.workspace();
    let late = workspace
        .deploy_connection(&world.source, &world.destination)
        .name("late (delete-me)")
        .await
        .unwrap();
    let error = delete.send_approved(&approved).await.unwrap_err();
    let Error::PlanChanged { added, renamed } = &error else {
        panic!("{error}")
    };
    assert_eq!(added.len(), 1);
    assert_eq!(added[0].resource.id, late.id().as_str());
    assert!(renamed.is_empty());
    assert!(error.to_string().contains("late (delete-me)"), "{error}");
    assert_eq!(deletes(&server), 0, "nothing deleted");
    late.info().await.unwrap();
    world.source.info().await.unwrap();
}

#[tokio::test]
async fn an_approved_plan_is_refused_when_a_resource_was_renamed_since() {
    let (server, world) = shared_world().await;
    let delete = world.temp.delete().safe_mode(false);
    let approved = delete.preview().await.unwrap();
    world.temp.rename("orders (production)").await.unwrap();
    let error = delete.send_approved(&approved).await.unwrap_err();
    let Error::PlanChanged { added, renamed } = &error else {
        panic!("{error}")
    };
    assert!(added.is_empty());
    assert_eq!(renamed.len(), 1);
    assert_eq!(renamed[0].0.name, "temp (delete-me)");
    assert_eq!(renamed[0].1, "orders (production)");
    assert!(error.to_string().contains("orders (production)"), "{error}");
    assert_eq!(deletes(&server), 0);
}

#[tokio::test]
async fn an_approved_plan_that_still_holds_is_deleted() {
    let (server, world) = shared_world().await;
    world.important.rename("second (delete-me)").await.unwrap();
    let delete = world
        .temp
        .delete()
        .cascade_destination(true)
        .delete_dependents(true);
    let approved = delete.preview().await.unwrap();
    // Another caller deletes a dependent meanwhile: less to delete is fine.
    world
        .important
        .permanently_delete(DeleteConnection::default())
        .await
        .unwrap();
    let deleted = delete.send_approved(&approved).await.unwrap();
    assert_eq!(deleted.len(), 2, "the connection and the destination");
    assert!(world.destination.info().await.unwrap_err().is_not_found());
    assert_eq!(deletes(&server), 3);
}

/// A source and a destination carrying `count` connections, so that the workspace's list of
/// connections spans two pages; the source, the first connection and the last.
async fn crowded(
    workspace: &CloudWorkspace,
    count: usize,
) -> (CloudSource, CloudConnection, CloudConnection) {
    let source = workspace
        .deploy_source("crowded (delete-me)", "faker", json!({}))
        .await
        .unwrap();
    let destination = workspace
        .deploy_destination("crowded sink (delete-me)", "dev-null", json!({}))
        .await
        .unwrap();
    let mut connections = Vec::new();
    for index in 0..count {
        connections.push(
            workspace
                .deploy_connection(&source, &destination)
                .name(format!("pipeline {index} (delete-me)"))
                .await
                .unwrap(),
        );
    }
    let last = connections.pop().unwrap();
    (source, connections.swap_remove(0), last)
}

#[tokio::test]
async fn a_dependent_on_page_two_of_the_connections_refuses_the_delete() {
    let server = mock().await;
    let workspace = workspace(&server);
    let (source, first, on_page_two) = crowded(&workspace, 105).await;
    let error = first
        .delete()
        .cascade_source(true)
        .await
        .expect_err("the source carries 104 other connections");
    let Error::DependentsExist { dependents, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!(dependents.len(), 104);
    assert!(
        dependents
            .iter()
            .any(|dependent| dependent.resource.id == on_page_two.id().as_str()),
        "the last one, on page two, is named"
    );
    assert_eq!(deletes(&server), 0);
    assert_eq!(source.dependent_connections().await.unwrap().len(), 105);
}

#[tokio::test]
async fn a_connection_list_failing_on_page_two_deletes_nothing() {
    let server = mock().await;
    let workspace = workspace(&server);
    let (source, first, _) = crowded(&workspace, 105).await;
    // The source is read, page one of the connections listed; page two fails (a 500 is not
    // retried).
    let fail_page_two = || FaultConfig {
        script: vec![
            FaultAction::Pass,
            FaultAction::Pass,
            FaultAction::Status {
                status: 500,
                retry_after_secs: None,
            },
        ],
        ..FaultConfig::default()
    };
    server.set_faults(fail_page_two());
    let error = source
        .delete()
        .delete_dependents(true)
        .await
        .expect_err("the plan could not be made");
    assert_eq!(
        error
            .transport()
            .and_then(|e| e.status())
            .map(|s| s.as_u16()),
        Some(500),
        "{error}"
    );
    // The connection's cascade: the connection and the source are read, then the list fails.
    server.set_faults(FaultConfig {
        script: [vec![FaultAction::Pass], fail_page_two().script].concat(),
        ..FaultConfig::default()
    });
    let error = first
        .delete()
        .cascade_source(true)
        .delete_dependents(true)
        .await
        .expect_err("the plan could not be made");
    assert!(error.transport().is_some(), "{error}");
    assert_eq!(deletes(&server), 0, "nothing deleted");
    assert_eq!(source.dependent_connections().await.unwrap().len(), 105);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_callers_deleting_overlapping_plans_at_once_both_succeed_and_report_nothing_unplanned()
{
    for _ in 0..5 {
        let (server, world) = shared_world().await;
        world.important.rename("second (delete-me)").await.unwrap();
        // Both plans hold both connections; each deletes what the other may delete first.
        let by_source = tokio::spawn({
            let source = world.source.clone();
            async move { source.delete().delete_dependents(true).await }
        });
        let by_destination = tokio::spawn({
            let destination = world.destination.clone();
            async move { destination.delete().delete_dependents(true).await }
        });
        for outcome in [by_source.await.unwrap(), by_destination.await.unwrap()] {
            // A plan made after the other caller's deletes holds only its connector.
            let plan = outcome.unwrap_or_else(|error| panic!("{error}"));
            assert!((1..=3).contains(&plan.len()));
        }
        assert!(world.source.info().await.unwrap_err().is_not_found());
        assert!(world.destination.info().await.unwrap_err().is_not_found());
        assert!(deletes(&server) >= 4);
    }
}
