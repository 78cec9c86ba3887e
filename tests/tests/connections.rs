//! Connections: deploy, streams, prefix, schedule, status, cascade and safe-mode deletes.

use airbyte::mock::default_world;
use airbyte::models::{ConnectionSyncMode, StreamConfiguration};
use airbyte::prelude::*;
use airbyte_e2e::*;
use serde_json::json;

async fn pair(workspace: &CloudWorkspace, tag: &str) -> (CloudSource, CloudDestination) {
    let source = workspace
        .deploy_source(
            format!("{tag} source (delete-me)"),
            "faker",
            json!({"count": 10}),
        )
        .await
        .unwrap();
    let destination = workspace
        .deploy_destination(
            format!("{tag} destination (delete-me)"),
            "dev-null",
            json!({}),
        )
        .await
        .unwrap();
    (source, destination)
}

#[tokio::test]
async fn deploy_and_change_a_connection() {
    let server = mock().await;
    let workspace = workspace(&server);
    let (source, destination) = pair(&workspace, "c1").await;
    let connection = workspace
        .deploy_connection(&source, destination.id().clone())
        .name("c1 (delete-me)")
        .stream(StreamConfiguration {
            sync_mode: Some(ConnectionSyncMode::IncrementalDedupedHistory),
            cursor_field: Some(vec!["updated_at".into()]),
            ..StreamConfiguration::named("users")
        })
        .streams(["products"])
        .table_prefix("raw_")
        .schedule(Schedule::cron("0 0 12 * * ?").unwrap())
        .await
        .unwrap();
    assert_eq!(connection.name().await.unwrap(), "c1 (delete-me)");
    assert_eq!(
        connection.stream_names().await.unwrap(),
        ["users", "products"]
    );
    assert_eq!(connection.table_prefix().await.unwrap(), "raw_");
    assert_eq!(connection.source_id().await.unwrap(), *source.id());
    assert_eq!(
        connection.destination().await.unwrap().id(),
        destination.id()
    );
    assert_eq!(
        connection.schedule().await.unwrap(),
        Schedule::cron("0 0 12 * * ?").unwrap(),
        "the appended UTC is read back"
    );
    assert_eq!(
        connection.job_history_url().unwrap(),
        format!(
            "{}/workspaces/{WORKSPACE}/connections/{}/timeline",
            server.base_url(),
            connection.id()
        )
    );

    // Selecting streams keeps the settings of the streams that stay.
    connection
        .set_selected_streams(["users", "purchases"])
        .await
        .unwrap();
    let streams = connection.streams().await.unwrap();
    assert_eq!(streams.len(), 2);
    assert_eq!(
        streams[0].sync_mode,
        Some(ConnectionSyncMode::IncrementalDedupedHistory)
    );
    assert_eq!(
        streams[0].cursor_field.as_deref(),
        Some(&["updated_at".to_owned()][..])
    );
    assert_eq!(streams[1].name, "purchases");

    connection.set_table_prefix("stg_").await.unwrap();
    connection.rename("c1 renamed (delete-me)").await.unwrap();
    connection.set_manual_schedule().await.unwrap();
    assert_eq!(connection.schedule().await.unwrap(), Schedule::Manual);

    assert!(connection.enabled().await.unwrap());
    connection.set_enabled(true, true).await.unwrap();
    assert!(matches!(
        connection.set_enabled(true, false).await,
        Err(Error::InvalidInput { .. })
    ));
    connection.set_enabled(false, false).await.unwrap();
    assert!(!connection.enabled().await.unwrap());
}

#[tokio::test]
async fn invalid_schedules_and_streams_are_refused_before_sending() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connection = workspace
        .connection(default_world::FAKER_CONNECTION_ID)
        .unwrap();
    let before = requests(&server, "PATCH", default_world::FAKER_CONNECTION_ID);
    for bad in ["0 12 * * *", "0 0 25 * * ?", "0 0 12 * * *", "nonsense"] {
        let error = connection.set_schedule(bad).await.unwrap_err();
        assert!(
            matches!(error, Error::InvalidInput { .. }),
            "{bad}: {error}"
        );
    }
    assert!(
        connection
            .set_selected_streams(Vec::<String>::new())
            .await
            .is_err()
    );
    assert!(
        connection
            .set_selected_streams(["users", "users"])
            .await
            .is_err()
    );
    assert_eq!(
        requests(&server, "PATCH", default_world::FAKER_CONNECTION_ID),
        before
    );
    let error = connection.set_schedule("0 0 12 * * *").await.unwrap_err();
    assert!(error.to_string().contains('?'), "{error}");
}

#[tokio::test]
async fn cascade_delete_removes_the_source_and_destination() {
    let server = mock().await;
    let workspace = workspace(&server);
    let (source, destination) = pair(&workspace, "cascade").await;
    let connection = workspace
        .deploy_connection(&source, &destination)
        .name("cascade (delete-me)")
        .await
        .unwrap();
    workspace
        .permanently_delete_connection(
            &connection,
            DeleteConnection {
                cascade_source: true,
                cascade_destination: true,
                safe_mode: true,
                delete_dependents: false,
            },
        )
        .await
        .unwrap();
    assert!(connection.info().await.unwrap_err().is_not_found());
    assert!(source.info().await.unwrap_err().is_not_found());
    assert!(destination.info().await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn safe_mode_checks_every_name_before_the_first_delete() {
    let server = mock().await;
    let workspace = workspace(&server);
    // The source's name is not deletable; the connection's and destination's are.
    let source = workspace
        .deploy_source("precious source", "faker", json!({}))
        .await
        .unwrap();
    let destination = workspace
        .deploy_destination("sink (delete-me)", "dev-null", json!({}))
        .await
        .unwrap();
    let connection = workspace
        .deploy_connection(&source, &destination)
        .name("guarded (delete-me)")
        .await
        .unwrap();
    let error = connection
        .permanently_delete(DeleteConnection {
            cascade_source: true,
            cascade_destination: true,
            safe_mode: true,
            delete_dependents: false,
        })
        .await
        .unwrap_err();
    assert_safe_mode_refused(&error, ResourceKind::Source);
    assert_eq!(
        server
            .journal()
            .iter()
            .filter(|entry| entry.method == "DELETE")
            .count(),
        0,
        "nothing was deleted"
    );
    connection.info().await.unwrap();
    destination.info().await.unwrap();

    // Without safe mode and without cascade, the delete is one request: no lookup.
    let before = server.journal().len();
    connection
        .permanently_delete(DeleteConnection {
            safe_mode: false,
            ..DeleteConnection::default()
        })
        .await
        .unwrap();
    assert_eq!(server.journal().len(), before + 1);
}

#[tokio::test]
async fn connections_are_listed_by_name() {
    let server = mock().await;
    let workspace = workspace(&server);
    let all = workspace.list_connections().collect().await.unwrap();
    assert_eq!(all.len(), 2);
    let found = workspace
        .list_connections()
        .name("Faker → Warehouse")
        .first()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id().as_str(), default_world::FAKER_CONNECTION_ID);
    assert!(
        workspace
            .list_connections()
            .name("nope")
            .first()
            .await
            .unwrap()
            .is_none()
    );
}
