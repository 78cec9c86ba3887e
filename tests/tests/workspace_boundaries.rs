//! Writes check the workspace of their target before anything is sent: a resource reached
//! through the wrong workspace is refused, and the other workspace is left unchanged.

use airbyte::mock::default_world;
use airbyte::prelude::*;
use airbyte_e2e::*;
use serde_json::json;

#[tokio::test]
async fn a_cross_workspace_rename_leaves_the_other_workspace_unchanged() {
    let server = mock().await;
    let production = workspace(&server);
    let staging = staging(&server);
    let source = staging.source(default_world::FAKER_SOURCE_ID).unwrap();
    let error = source.rename("renamed from staging").await.unwrap_err();
    assert!(
        matches!(
            &error,
            Error::WorkspaceMismatch {
                change_applied: false,
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("nothing was changed"), "{error}");
    assert_eq!(writes(&server), 0, "nothing was sent");
    let read_back = production
        .source(default_world::FAKER_SOURCE_ID)
        .unwrap()
        .info()
        .await
        .unwrap();
    assert_eq!(read_back.name, "Faker demo");
}

#[tokio::test]
async fn configuration_writes_to_another_workspace_are_refused_before_sending() {
    let server = mock().await;
    let staging = staging(&server);
    let source = staging.source(default_world::FAKER_SOURCE_ID).unwrap();
    assert!(source.update_config(json!({"count": 1})).await.is_err());
    assert!(
        source
            .replace_config("x", json!({"count": 1}))
            .await
            .is_err()
    );
    assert!(source.check().await.is_err());
    let destination = staging
        .destination(default_world::WAREHOUSE_DESTINATION_ID)
        .unwrap();
    assert!(destination.rename("x").await.is_err());
    assert_eq!(writes(&server), 0);
    let production = workspace(&server)
        .source(default_world::FAKER_SOURCE_ID)
        .unwrap()
        .info()
        .await
        .unwrap();
    assert_eq!(production.configuration.as_value()["count"], 1000);
}

#[tokio::test]
async fn connection_setters_to_another_workspace_are_refused_before_sending() {
    let server = mock().await;
    let staging = staging(&server);
    let connection = staging
        .connection(default_world::FAKER_CONNECTION_ID)
        .unwrap();
    assert!(connection.rename("x").await.is_err());
    assert!(connection.set_table_prefix("x_").await.is_err());
    assert!(connection.set_manual_schedule().await.is_err());
    assert!(connection.set_schedule("0 0 1 * * ?").await.is_err());
    assert!(connection.set_streams(Vec::new()).await.is_err());
    assert!(connection.run_sync().wait(false).await.is_err());
    assert!(connection.dump_raw_state().await.is_err());
    assert!(connection.dump_raw_catalog().await.is_err());
    assert_eq!(writes(&server), 0);
    let production = workspace(&server)
        .connection(default_world::FAKER_CONNECTION_ID)
        .unwrap();
    assert_eq!(production.name().await.unwrap(), "Faker → Warehouse");
    assert_eq!(production.table_prefix().await.unwrap(), "faker_");
}

#[tokio::test]
async fn state_and_catalog_imports_to_another_workspace_are_refused() {
    let server = mock().await;
    let production = workspace(&server)
        .connection(default_world::FAKER_CONNECTION_ID)
        .unwrap();
    let state = production.dump_raw_state().await.unwrap();
    let catalog = production.dump_raw_catalog().await.unwrap().unwrap();
    let before = writes(&server);
    let staging = staging(&server)
        .connection(default_world::FAKER_CONNECTION_ID)
        .unwrap();
    assert!(staging.import_raw_state(state).await.is_err());
    assert!(staging.import_raw_catalog(catalog).await.is_err());
    assert_eq!(writes(&server), before);
}

#[tokio::test]
async fn a_connection_to_a_source_of_another_workspace_is_never_created() {
    let server = mock().await;
    let staging = staging(&server);
    let result = staging
        .deploy_connection(
            airbyte::models::SourceId::new(default_world::FAKER_SOURCE_ID).unwrap(),
            airbyte::models::DestinationId::new(default_world::DEV_NULL_DESTINATION_ID).unwrap(),
        )
        .name("orphan (delete-me)")
        .await;
    let error = result.unwrap_err();
    assert!(matches!(error, Error::WorkspaceMismatch { .. }), "{error}");
    assert_eq!(writes(&server), 0, "nothing was created");
    for workspace in [staging, workspace(&server)] {
        assert!(
            workspace
                .list_connections()
                .name("orphan (delete-me)")
                .first()
                .await
                .unwrap()
                .is_none()
        );
    }
}

#[tokio::test]
async fn a_job_of_another_connection_is_never_cancelled_through_this_one() {
    let server = mock().await;
    script_faker(&server, airbyte::mock::Outcome::StayRunning);
    let workspace = workspace(&server);
    let running = faker(&workspace).run_sync().wait(false).await.unwrap();
    let other = workspace
        .list_connections()
        .filter(|connection| {
            connection.connection_id.as_str() != default_world::FAKER_CONNECTION_ID
        })
        .first()
        .await
        .unwrap()
        .unwrap();
    let foreign = other.sync_result(running.job_id());
    let error = foreign.cancel().await.unwrap_err();
    assert!(matches!(error, Error::JobMismatch { .. }), "{error}");
    assert!(
        matches!(foreign.status().await, Err(Error::JobMismatch { .. })),
        "reads check the job's connection too"
    );
    assert!(matches!(
        foreign.attempts().await,
        Err(Error::JobMismatch { .. })
    ));
    assert_eq!(
        requests(&server, "DELETE", &format!("/jobs/{}", running.job_id())),
        0
    );
    assert!(running.status().await.unwrap().is_in_progress());
    running.cancel().await.unwrap();
}

#[tokio::test]
async fn objects_of_this_workspace_are_not_read_again_before_a_write() {
    let server = mock().await;
    let workspace = workspace(&server);
    let source = workspace
        .list_sources()
        .name("Faker demo")
        .first()
        .await
        .unwrap()
        .unwrap();
    let before = server.journal().len();
    source.rename("Faker demo (renamed)").await.unwrap();
    assert_eq!(
        server.journal().len(),
        before + 1,
        "the workspace known from the list is reused: one PATCH"
    );
    // An object of another workspace given to deploy_connection is refused from what is known.
    let staging_source = staging(&server)
        .list_sources()
        .first()
        .await
        .unwrap()
        .unwrap();
    let dev_null = workspace
        .destination(default_world::DEV_NULL_DESTINATION_ID)
        .unwrap();
    let before = server.journal().len();
    let error = workspace
        .deploy_connection(&staging_source, &dev_null)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::WorkspaceMismatch { .. }), "{error}");
    assert_eq!(server.journal().len(), before, "no request at all");
}

#[tokio::test]
async fn a_job_of_another_workspace_is_not_handed_out_by_id() {
    // `airbyte --workspace-id <Production> jobs get <a Staging job>` showed the job: a job ID
    // alone names no workspace, so the lookup must check the job's connection.
    let server = mock().await;
    let staging = staging(&server);
    let staging_connection = staging.list_connections().first().await.unwrap().unwrap();
    // The seeded Staging connection is inactive, and the server starts no job on it.
    staging_connection.set_enabled(true, true).await.unwrap();
    server
        .script_connection(
            staging_connection.id().as_str(),
            airbyte::mock::Outcome::StayRunning,
            None,
        )
        .unwrap();
    let running = staging_connection.run_sync().wait(false).await.unwrap();
    let production = workspace(&server);
    let error = production.fetch_job(running.job_id()).await.unwrap_err();
    let Error::WorkspaceMismatch {
        kind, resource_id, ..
    } = &error
    else {
        panic!("{error}")
    };
    assert_eq!(*kind, ResourceKind::Job);
    assert_eq!(*resource_id, running.job_id().to_string());
    assert!(running.status().await.unwrap().is_in_progress());

    // Through its own workspace, the job is found, checked, and can be followed or cancelled.
    let found = staging.fetch_job(running.job_id()).await.unwrap();
    assert_eq!(found.connection().id(), staging_connection.id());
    assert!(!found.is_owned(), "looked up, not started here");
    assert_eq!(found.job().await.unwrap().job_id, running.job_id());
    found.cancel().await.unwrap();

    // A job that does not exist is missing, not a transport error.
    let missing = production
        .fetch_job(airbyte::models::JobId::new(987_654).unwrap())
        .await
        .unwrap_err();
    assert!(missing.is_not_found(), "{missing}");
}
