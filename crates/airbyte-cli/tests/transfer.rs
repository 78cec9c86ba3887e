//! `state` and `catalog`.

mod support;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_is_exported_and_imported() {
    let server = mock().await;
    ok(
        &server,
        &["sync", FAKER_CONNECTION_ID, "--poll-interval", "50ms"],
    )
    .await;
    let home = home();
    let path = home.path().join("state.json");
    let path = path.to_str().unwrap();
    ok(
        &server,
        &["state", "export", "Faker → Warehouse", "--out", path],
    )
    .await;
    let state: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(state["connectionId"], FAKER_CONNECTION_ID);
    let preview = ok(
        &server,
        &[
            "state",
            "import",
            FAKER_CONNECTION_ID,
            "--file",
            path,
            "--dry-run",
        ],
    )
    .await;
    assert_eq!(preview["changes"][0]["action"], "import");
    ok(
        &server,
        &["state", "import", FAKER_CONNECTION_ID, "--file", path],
    )
    .await;
    assert_eq!(
        ok(&server, &["state", "export", FAKER_CONNECTION_ID]).await["connectionId"],
        FAKER_CONNECTION_ID
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn catalogs_are_exported_as_json_or_yaml_and_imported() {
    let server = mock().await;
    let home = home();
    let json_path = home.path().join("catalog.json");
    let json_path = json_path.to_str().unwrap();
    ok(
        &server,
        &["catalog", "export", FAKER_CONNECTION_ID, "--out", json_path],
    )
    .await;
    let catalog: Value =
        serde_json::from_str(&std::fs::read_to_string(json_path).unwrap()).unwrap();
    assert_eq!(catalog["streams"].as_array().unwrap().len(), 3);
    let yaml_path = home.path().join("catalog.yaml");
    let yaml_path = yaml_path.to_str().unwrap();
    plain(
        &server,
        &[
            "-o",
            "yaml",
            "catalog",
            "export",
            FAKER_CONNECTION_ID,
            "--out",
            yaml_path,
        ],
    )
    .await
    .code(0);
    let yaml: Value =
        serde_yaml_ng::from_str(&std::fs::read_to_string(yaml_path).unwrap()).unwrap();
    assert_eq!(yaml, catalog);
    ok(
        &server,
        &[
            "catalog",
            "import",
            FAKER_CONNECTION_ID,
            "--file",
            yaml_path,
        ],
    )
    .await;
    airbyte(
        &server,
        &[
            "catalog",
            "import",
            FAKER_CONNECTION_ID,
            "--file",
            "/nope.json",
        ],
    )
    .await
    .code(2)
    .says("does not exist");
}

/// Syncs the faker connection and writes its state into `dir/state.json`; returns the path
/// and the state.
async fn synced_state(server: &MockServer, dir: &std::path::Path) -> (String, Value) {
    ok(
        server,
        &["sync", FAKER_CONNECTION_ID, "--poll-interval", "50ms"],
    )
    .await;
    let state = ok(server, &["state", "export", FAKER_CONNECTION_ID]).await;
    assert!(
        state["streamState"]
            .as_array()
            .is_some_and(|s| !s.is_empty()),
        "{state}"
    );
    (file(dir, "state.json", &state.to_string()), state)
}

/// The import with `--force`, after checking that its dry run passes and prints the plan.
async fn forced_previews<'a>(server: &MockServer, import: &[&'a str]) -> Vec<&'a str> {
    let mut forced = import.to_vec();
    forced.push("--force");
    let mut dry = forced.clone();
    dry.push("--dry-run");
    let preview = ok(server, &dry).await;
    assert_eq!(preview["dryRun"], true, "{preview}");
    forced
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_of_another_connection_is_refused_unless_forced() {
    // B9: `state import $B --file state-of-A.json` was accepted.
    let server = mock().await;
    let dir = home();
    let (path, _) = synced_state(&server, dir.path()).await;
    let other = new_connection(&server, FAKER_SOURCE_ID, DEV_NULL_DESTINATION_ID, "another").await;
    let before = ok(&server, &["state", "export", &other]).await;
    let import = ["state", "import", other.as_str(), "--file", path.as_str()];
    let refusal = format!("belongs to connection {FAKER_CONNECTION_ID}");
    refused_alike(&server, &import, 5, &refusal).await;
    airbyte(&server, &import).await.says("--force");
    assert_eq!(ok(&server, &["state", "export", &other]).await, before);
    let forced = forced_previews(&server, &import).await;
    ok(&server, &forced).await;
    let after = ok(&server, &["state", "export", &other]).await;
    assert_eq!(after["connectionId"], other.as_str());
    assert_ne!(after, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_of_streams_the_connection_lacks_is_refused_unless_forced() {
    // B9: state of a stream the connection does not have (in its catalog or its state).
    let server = mock().await;
    let dir = home();
    let (_, mut state) = synced_state(&server, dir.path()).await;
    state["streamState"][0]["streamDescriptor"]["name"] = json!("invoices");
    let path = file(dir.path(), "invoices.json", &state.to_string());
    let import = [
        "state",
        "import",
        FAKER_CONNECTION_ID,
        "--file",
        path.as_str(),
    ];
    let refusal = "stream invoices is not a stream of this connection";
    refused_alike(&server, &import, 5, refusal).await;
    let forced = forced_previews(&server, &import).await;
    ok(&server, &forced).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalog_that_selects_nothing_is_refused_unless_forced() {
    // B8: `catalog import $C --file e.json` with `{}` deselected every stream silently.
    let server = mock().await;
    let dir = home();
    let empty = file(dir.path(), "e.json", "{}");
    let before = ok(&server, &["catalog", "export", FAKER_CONNECTION_ID]).await;
    let import = [
        "catalog",
        "import",
        FAKER_CONNECTION_ID,
        "--file",
        empty.as_str(),
    ];
    refused_alike(&server, &import, 5, "selects no stream").await;
    airbyte(&server, &import).await.says("--force");
    assert_eq!(
        ok(&server, &["catalog", "export", FAKER_CONNECTION_ID]).await,
        before
    );
    let forced = forced_previews(&server, &import).await;
    ok(&server, &forced).await;
}
