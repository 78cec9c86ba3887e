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
