//! Deletes that check every dependent: connections that use a source or destination, sources
//! that use a custom definition, fresh names under safe mode.

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

fn deletes(server: &airbyte::mock::MockServer) -> usize {
    server
        .journal()
        .iter()
        .filter(|entry| entry.method == "DELETE")
        .count()
}

#[tokio::test]
async fn a_cascade_to_a_shared_destination_refuses_and_deletes_nothing() {
    let server = mock().await;
    let workspace = workspace(&server);
    let world = shared(&workspace).await;
    let result = world
        .temp
        .permanently_delete(DeleteConnection {
            cascade_destination: true,
            ..DeleteConnection::default()
        })
        .await;
    assert!(result.is_err(), "the destination carries another connection");
    assert_eq!(deletes(&server), 0, "nothing was deleted");
    world.important.info().await.unwrap();
    world.temp.info().await.unwrap();
    world.destination.info().await.unwrap();
}

#[tokio::test]
async fn a_cascade_to_a_shared_source_refuses_and_deletes_nothing() {
    let server = mock().await;
    let workspace = workspace(&server);
    let world = shared(&workspace).await;
    let result = world
        .temp
        .permanently_delete(DeleteConnection {
            cascade_source: true,
            cascade_destination: true,
            ..DeleteConnection::default()
        })
        .await;
    assert!(result.is_err());
    assert_eq!(deletes(&server), 0);
    world.important.info().await.unwrap();
    world.source.info().await.unwrap();
}

#[tokio::test]
async fn a_source_with_connections_is_not_deleted_silently() {
    let server = mock().await;
    let workspace = workspace(&server);
    let world = shared(&workspace).await;
    assert!(world.source.permanently_delete(true).await.is_err());
    assert_eq!(deletes(&server), 0);
    world.important.info().await.unwrap();
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
        .get_source(listed.id())
        .unwrap()
        .rename("customer orders")
        .await
        .unwrap();
    assert!(listed.permanently_delete(true).await.is_err());
    assert_eq!(deletes(&server), 0);
    assert_eq!(listed.info().await.unwrap().name, "customer orders");
}
