//! State and catalog: dump and import, per-stream state, the 423 while a sync runs, protocol
//! messages.

use std::time::Duration;

use airbyte::mock::{Outcome, default_world};
use airbyte::models::{ConnectionStateType, DestinationSyncMode, SyncMode};
use airbyte::prelude::*;
use airbyte_e2e::*;
use serde_json::json;

#[tokio::test]
async fn state_is_dumped_imported_and_edited_per_stream() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connection = workspace
        .connection(default_world::FAKER_CONNECTION_ID)
        .unwrap();
    // A successful incremental sync leaves a stream state.
    connection
        .run_sync()
        .wait_options(fast_wait())
        .await
        .unwrap();
    let state = connection.dump_raw_state().await.unwrap();
    assert_eq!(state.state_type, ConnectionStateType::Stream);
    assert!(
        connection
            .fetch_stream_state("users", None)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        connection
            .fetch_stream_state("products", None)
            .await
            .unwrap()
            .is_none(),
        "full refresh keeps no state"
    );

    let updated = connection
        .set_stream_state("users", Some(""), json!({"cursor": "2030-01-01"}))
        .await
        .unwrap();
    assert_eq!(updated.stream_states().len(), 2);
    assert_eq!(
        connection.fetch_stream_state("users", None).await.unwrap(),
        Some(json!({"cursor": "2030-01-01"}))
    );
    // A stream of the connection without state yet gets one.
    connection
        .set_stream_state("products", None, json!({"n": 1}))
        .await
        .unwrap();
    assert_eq!(
        connection
            .dump_raw_state()
            .await
            .unwrap()
            .stream_states()
            .len(),
        3
    );

    let messages = connection.dump_state_messages().await.unwrap();
    assert_eq!(messages.len(), 3);
    assert!(messages.iter().all(|message| message["type"] == "STREAM"));
    let global = vec![
        json!({"type": "GLOBAL", "global": {"shared_state": {"lsn": 7}, "stream_states": []}}),
    ];
    let imported = connection.import_state_messages(&global).await.unwrap();
    assert_eq!(imported.state_type, ConnectionStateType::Global);
    assert_eq!(connection.dump_state_messages().await.unwrap(), global);
    connection
        .set_stream_state("users", None, json!({"c": 2}))
        .await
        .unwrap();

    let legacy = vec![json!({"type": "LEGACY", "data": {"blob": true}})];
    connection.import_state_messages(&legacy).await.unwrap();
    let error = connection
        .set_stream_state("users", None, json!({}))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
}

#[tokio::test]
async fn state_cannot_change_while_a_sync_runs() {
    let server = mock().await;
    script_faker(&server, Outcome::StayRunning);
    let workspace = workspace(&server);
    let connection = workspace
        .connection(default_world::FAKER_CONNECTION_ID)
        .unwrap();
    let sync = connection.run_sync().wait(false).await.unwrap();
    let state = connection.dump_raw_state().await.unwrap();
    let error = connection
        .import_raw_state(state.clone())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::SyncActive { .. }), "{error}");
    sync.cancel().await.unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;
    connection.import_raw_state(state).await.unwrap();
}

#[tokio::test]
async fn the_catalog_is_dumped_and_imported_without_a_reset() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connection = workspace
        .connection(default_world::FAKER_CONNECTION_ID)
        .unwrap();
    let mut catalog = connection.dump_raw_catalog().await.unwrap().unwrap();
    assert_eq!(catalog.streams.len(), 3);
    // Deselect purchases, make products incremental.
    for entry in &mut catalog.streams {
        let name = entry.stream.as_ref().unwrap().name.clone();
        let config = entry.config.as_mut().unwrap();
        match name.as_str() {
            "purchases" => config.selected = Some(false),
            "products" => {
                config.sync_mode = SyncMode::Incremental;
                config.destination_sync_mode = DestinationSyncMode::Append;
            }
            _ => {}
        }
    }
    connection.import_raw_catalog(catalog).await.unwrap();
    assert_eq!(
        connection.stream_names().await.unwrap(),
        ["users", "products"]
    );
    let journal = server.journal();
    let update = journal
        .iter()
        .find(|entry| entry.path.ends_with("/web_backend/connections/update"))
        .unwrap();
    assert_eq!(update.body["skipReset"], true);
}
