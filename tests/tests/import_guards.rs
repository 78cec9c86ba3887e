//! State and catalog imports that would damage a connection are refused unless forced: state of
//! another connection, state of streams the connection does not have or does not sync, a catalog
//! that selects no stream. The same checks run without importing (`check_state_import`,
//! `check_catalog_import`), refusing exactly as the import would.

use airbyte::mock::default_world;
use airbyte::models::AirbyteCatalog;
use airbyte::prelude::*;
use airbyte_e2e::*;
use serde_json::json;

const ORDERS_CONNECTION_ID: &str = "4c5d6e7f-8091-4a23-b4c5-d6e7f8091a02";

async fn synced_faker(workspace: &CloudWorkspace) -> CloudConnection {
    let faker = workspace
        .connection(default_world::FAKER_CONNECTION_ID)
        .unwrap();
    faker.run_sync().wait_options(fast_wait()).await.unwrap();
    faker
}

/// Asserts that an import of state was refused, saying `why`.
fn refused_state(error: &Error, why: &str) {
    assert!(
        matches!(error, Error::ImportRefused { what: "state", .. }),
        "{error}"
    );
    assert!(error.to_string().contains(why), "{error}");
}

fn state_writes(server: &airbyte::mock::MockServer) -> usize {
    requests(server, "POST", "/state/create_or_update_safe")
}

#[tokio::test]
async fn state_of_another_connection_is_refused() {
    let server = mock().await;
    let workspace = workspace(&server);
    let faker_state = synced_faker(&workspace)
        .await
        .dump_raw_state()
        .await
        .unwrap();
    let orders = workspace.connection(ORDERS_CONNECTION_ID).unwrap();
    let before = orders.dump_raw_state().await.unwrap();
    let error = orders
        .import_raw_state(faker_state.clone())
        .await
        .unwrap_err();
    refused_state(&error, default_world::FAKER_CONNECTION_ID);
    assert_eq!(state_writes(&server), 0);
    assert_eq!(orders.dump_raw_state().await.unwrap(), before);

    // Forced, it is imported (under this connection's ID).
    let forced = orders
        .import_raw_state_with(faker_state, ImportOptions::default().force(true))
        .await
        .unwrap();
    assert_eq!(forced.connection_id.as_str(), ORDERS_CONNECTION_ID);
    assert_eq!(state_writes(&server), 1);
}

#[tokio::test]
async fn state_of_streams_the_connection_does_not_have_is_refused() {
    let server = mock().await;
    let workspace = workspace(&server);
    let orders = workspace.connection(ORDERS_CONNECTION_ID).unwrap();
    let messages = [
        json!({"type": "STREAM", "stream": {"stream_descriptor": {"name": "users"}, "stream_state": {"cursor": 1}}}),
    ];
    let error = orders.import_state_messages(&messages).await.unwrap_err();
    assert!(matches!(error, Error::ImportRefused { .. }), "{error}");
    assert!(error.to_string().contains("stream users is not"), "{error}");
    let error = orders
        .set_stream_state("userz", None, json!({"cursor": 1}))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("userz"), "{error}");
    assert_eq!(state_writes(&server), 0);
}

#[tokio::test]
async fn a_catalog_that_selects_no_stream_is_refused() {
    let server = mock().await;
    let workspace = workspace(&server);
    let faker = workspace
        .connection(default_world::FAKER_CONNECTION_ID)
        .unwrap();
    let mut catalog = faker.dump_raw_catalog().await.unwrap().unwrap();
    for entry in &mut catalog.streams {
        entry.config.as_mut().unwrap().selected = Some(false);
    }
    let error = faker.import_raw_catalog(catalog.clone()).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::ImportRefused {
                what: "catalog",
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("no stream"), "{error}");
    assert_eq!(
        requests(&server, "POST", "/web_backend/connections/update"),
        0
    );
    assert_eq!(faker.stream_names().await.unwrap().len(), 3);
    faker
        .import_raw_catalog_with(catalog, ImportOptions::default().force(true))
        .await
        .unwrap();
    assert_eq!(
        requests(&server, "POST", "/web_backend/connections/update"),
        1
    );
}

/// The faker connection's catalog with every known stream deselected and a stream the source
/// does not offer (a typo) selected.
async fn catalog_selecting_only(faker: &CloudConnection, unknown: &str) -> AirbyteCatalog {
    let mut catalog = faker.dump_raw_catalog().await.unwrap().unwrap();
    let mut typo = catalog.streams[0].clone();
    for entry in &mut catalog.streams {
        entry.config.as_mut().unwrap().selected = Some(false);
    }
    typo.stream.as_mut().unwrap().name = unknown.to_owned();
    typo.config.as_mut().unwrap().selected = Some(true);
    catalog.streams.push(typo);
    catalog
}

#[tokio::test]
async fn a_catalog_that_selects_only_streams_the_connection_does_not_have_is_refused() {
    let server = mock().await;
    let faker = faker(&workspace(&server));
    let catalog = catalog_selecting_only(&faker, "userz").await;
    let error = faker.import_raw_catalog(catalog).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::ImportRefused {
                what: "catalog",
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("userz"), "{error}");
    assert_eq!(
        requests(&server, "POST", "/web_backend/connections/update"),
        0,
        "nothing sent"
    );
    assert_eq!(faker.stream_names().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_catalog_selecting_an_unknown_stream_besides_known_ones_is_refused_unless_forced() {
    let server = mock().await;
    let faker = faker(&workspace(&server));
    let mut catalog = catalog_selecting_only(&faker, "userz").await;
    catalog.streams[0].config.as_mut().unwrap().selected = Some(true);
    let error = faker.import_raw_catalog(catalog.clone()).await.unwrap_err();
    assert!(
        matches!(error, Error::ImportRefused { .. }) && error.to_string().contains("userz"),
        "{error}"
    );
    assert_eq!(
        requests(&server, "POST", "/web_backend/connections/update"),
        0
    );
    // Forced, it goes to the server, which judges it (the mock refuses the unknown stream).
    let forced = faker
        .import_raw_catalog_with(catalog, ImportOptions::default().force(true))
        .await;
    assert_eq!(
        requests(&server, "POST", "/web_backend/connections/update"),
        1,
        "{forced:?}"
    );
}

#[tokio::test]
async fn state_that_mixes_shapes_is_refused() {
    // A global state that also carries per-stream state: the check read the per-stream list
    // (here empty) while the server keeps the global one, which names a stream of another
    // source.
    let server = mock().await;
    let faker = synced_faker(&workspace(&server)).await;
    let mut state = faker.dump_raw_state().await.unwrap();
    let foreign = airbyte::models::StreamState {
        stream_descriptor: airbyte::models::StreamDescriptor::new("orders", None),
        stream_state: Some(json!({"cursor": 1})),
    };
    state.state_type = airbyte::models::ConnectionStateType::Global;
    state.global_state = Some(airbyte::models::GlobalState {
        shared_state: Some(json!({"lsn": 1})),
        stream_states: vec![foreign.clone()],
    });
    state.stream_state = Some(Vec::new());
    let error = faker.import_raw_state(state.clone()).await.unwrap_err();
    refused_state(&error, "orders");

    // A stream state that also carries a global one with streams of its own.
    let mut mixed = faker.dump_raw_state().await.unwrap();
    assert_eq!(
        mixed.state_type,
        airbyte::models::ConnectionStateType::Stream
    );
    mixed.global_state = Some(airbyte::models::GlobalState {
        shared_state: None,
        stream_states: vec![foreign],
    });
    let error = faker.import_raw_state(mixed).await.unwrap_err();
    assert!(
        matches!(error, Error::ImportRefused { what: "state", .. }),
        "{error}"
    );
    assert_eq!(state_writes(&server), 0);
}

/// The faker connection with its stream `products` deselected (before any sync: no state).
async fn faker_without_products(workspace: &CloudWorkspace) -> CloudConnection {
    let faker = faker(workspace);
    let mut catalog = faker.dump_raw_catalog().await.unwrap().unwrap();
    let products = catalog
        .streams
        .iter_mut()
        .find(|entry| entry.stream.as_ref().unwrap().name == "products")
        .expect("the faker source offers products");
    products.config.as_mut().unwrap().selected = Some(false);
    faker.import_raw_catalog(catalog).await.unwrap();
    assert!(
        !faker
            .stream_names()
            .await
            .unwrap()
            .contains(&"products".to_owned())
    );
    faker
}

fn products_state() -> [serde_json::Value; 1] {
    [
        json!({"type": "STREAM", "stream": {"stream_descriptor": {"name": "products"}, "stream_state": {"cursor": 1}}}),
    ]
}

#[tokio::test]
async fn state_of_a_stream_the_connection_does_not_select_is_refused_unless_forced() {
    // The stream is in the connection's catalog but not selected: no sync would use its state
    // until it is selected, so it most likely comes from another connection.
    let server = mock().await;
    let faker = faker_without_products(&workspace(&server)).await;
    let error = faker
        .import_state_messages(&products_state())
        .await
        .unwrap_err();
    refused_state(&error, "stream products is not selected in this connection");
    assert_eq!(state_writes(&server), 0);
    let state = airbyte::cloud::state::state_from_messages(faker.id(), &products_state()).unwrap();
    faker
        .import_raw_state_with(state, ImportOptions::default().force(true))
        .await
        .unwrap();
    assert_eq!(state_writes(&server), 1);
}

#[tokio::test]
async fn state_the_connection_holds_for_a_stream_it_no_longer_selects_is_accepted() {
    // Its own state, dumped and imported again after a stream was deselected.
    let server = mock().await;
    let faker = synced_faker(&workspace(&server)).await;
    let state = faker.dump_raw_state().await.unwrap();
    let mut catalog = faker.dump_raw_catalog().await.unwrap().unwrap();
    for entry in &mut catalog.streams {
        let selected = entry.stream.as_ref().unwrap().name != "purchases";
        entry.config.as_mut().unwrap().selected = Some(selected);
    }
    faker.import_raw_catalog(catalog).await.unwrap();
    let held = faker.dump_raw_state().await.unwrap();
    assert!(
        held.stream_states()
            .iter()
            .any(|stream| stream.stream_descriptor.name == "purchases"),
        "{held:?}"
    );
    faker.import_raw_state(state).await.unwrap();
}

#[tokio::test]
async fn the_state_checks_run_without_importing_and_refuse_as_the_import_does() {
    let server = mock().await;
    let workspace = workspace(&server);
    let faker = synced_faker(&workspace).await;
    let faker_state = faker.dump_raw_state().await.unwrap();
    let orders = workspace.connection(ORDERS_CONNECTION_ID).unwrap();
    let mut unknown = faker_state.clone();
    unknown.stream_state.as_mut().unwrap()[0]
        .stream_descriptor
        .name = "invoices".to_owned();
    let mut mixed = faker_state.clone();
    mixed.global_state = Some(airbyte::models::GlobalState {
        shared_state: Some(json!({"lsn": 1})),
        stream_states: Vec::new(),
    });
    let cases = [
        (&orders, faker_state.clone(), "belongs to connection"),
        (&faker, unknown, "invoices is not a stream"),
        (&faker, mixed, "a global shared state"),
    ];
    let strict = ImportOptions::default();
    let forced = ImportOptions::default().force(true);
    for (connection, state, reason) in cases {
        let checked = connection
            .check_state_import(&state, &strict)
            .await
            .unwrap_err();
        assert!(checked.to_string().contains(reason), "{checked}");
        let imported = connection
            .import_raw_state(state.clone())
            .await
            .unwrap_err();
        assert_eq!(checked.to_string(), imported.to_string());
        connection
            .check_state_import(&state, &forced)
            .await
            .unwrap();
    }
    faker
        .check_state_import(&faker_state, &strict)
        .await
        .unwrap();
    assert_eq!(state_writes(&server), 0, "checks import nothing");
}

#[tokio::test]
async fn the_catalog_checks_run_without_importing_and_refuse_as_the_import_does() {
    let server = mock().await;
    let faker = faker(&workspace(&server));
    let current = faker.dump_raw_catalog().await.unwrap().unwrap();
    let mut nothing = current.clone();
    for entry in &mut nothing.streams {
        entry.config.as_mut().unwrap().selected = Some(false);
    }
    let typo = catalog_selecting_only(&faker, "userz").await;
    let strict = ImportOptions::default();
    let forced = ImportOptions::default().force(true);
    for (catalog, reason) in [(nothing, "selects no stream"), (typo, "userz")] {
        let checked = faker
            .check_catalog_import(&catalog, &strict)
            .await
            .unwrap_err();
        assert!(
            matches!(
                checked,
                Error::ImportRefused {
                    what: "catalog",
                    ..
                }
            ) && checked.to_string().contains(reason),
            "{checked}"
        );
        let imported = faker.import_raw_catalog(catalog.clone()).await.unwrap_err();
        assert_eq!(checked.to_string(), imported.to_string());
        faker.check_catalog_import(&catalog, &forced).await.unwrap();
    }
    faker.check_catalog_import(&current, &strict).await.unwrap();
    assert_eq!(
        requests(&server, "POST", "/web_backend/connections/update"),
        0,
        "checks import nothing"
    );
}
