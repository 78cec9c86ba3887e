//! Export, apply to an empty workspace, export again: the same files.

mod support;

use airbyte_workspace_files::{ExportOptions, export};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_then_apply_to_an_empty_workspace_then_export_gives_the_same_files() {
    let server = mock().await;
    let first = directory();
    export(&production(&server), first.path(), ExportOptions::default())
        .await
        .unwrap();
    let env = env_for_template(first.path());
    assert!(
        env.len() >= 4,
        "every masked secret of the default world has a variable: {env:?}"
    );
    let target = empty_workspace(&server, "copy").await;
    plan_and_apply(&target, first.path(), &env, 4)
        .await
        .unwrap();
    let second = directory();
    export(&target, second.path(), ExportOptions::default())
        .await
        .unwrap();
    let (before, after) = (files_of(first.path()), files_of(second.path()));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (name, text) in &before {
        assert_eq!(text, &after[name], "{name} differs after the round trip");
    }
    assert_no_changes(&target, first.path(), &env).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exporting_an_unchanged_workspace_twice_gives_the_same_bytes() {
    let server = mock().await;
    let out = directory();
    let workspace = production(&server);
    export(&workspace, out.path(), ExportOptions::default())
        .await
        .unwrap();
    let once = files_of(out.path());
    let lock_once =
        std::fs::read_to_string(out.path().join(airbyte_workspace_files::LOCK_FILE)).unwrap();
    export(&workspace, out.path(), ExportOptions::default())
        .await
        .unwrap();
    assert_eq!(once, files_of(out.path()));
    assert_eq!(
        lock_once,
        std::fs::read_to_string(out.path().join(airbyte_workspace_files::LOCK_FILE)).unwrap()
    );
    let sources = &once["sources.yaml"];
    assert!(
        sources.contains("password: \"${env:SOURCE_ORDERS_DATABASE_PASSWORD}\""),
        "{sources}"
    );
    assert!(!sources.contains("mock-password"), "{sources}");
    assert!(!sources.contains("**********"), "{sources}");
    for text in once.values() {
        assert!(
            !text.contains(PRODUCTION),
            "no ID in the resource files:\n{text}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_into_hand_written_files_writes_each_resource_back_where_it_is() {
    let server = mock().await;
    let dir = directory();
    // One file per team, sections mixed, as any directory of files may be laid out.
    write(
        dir.path(),
        "team-a.yml",
        "sources:\n  a source:\n    type: faker\n    configuration: {count: 1}\ndestinations:\n  a sink:\n    type: dev-null\n    configuration: {}\nconnections:\n  a flow:\n    source: a source\n    destination: a sink\n    streams:\n      - name: users\n",
    );
    write(
        dir.path(),
        "team-b.yaml",
        "sources:\n  b source:\n    type: faker\n    configuration: {count: 2}\n",
    );
    let workspace = empty_workspace(&server, "layout").await;
    plan_and_apply(&workspace, dir.path(), &env(&[]), 2)
        .await
        .unwrap();
    export(&workspace, dir.path(), ExportOptions::default())
        .await
        .unwrap();
    let files = files_of(dir.path());
    assert!(files["team-a.yml"].contains("  a flow:\n"), "{files:#?}");
    assert!(files["team-a.yml"].contains("  a sink:\n"), "{files:#?}");
    assert!(files["team-b.yaml"].contains("  b source:\n"), "{files:#?}");
    assert!(
        !files["sources.yaml"].contains("source:\n"),
        "nothing is defined twice: {files:#?}"
    );
    // The directory reads (no resource defined twice) and plans clean.
    assert_no_changes(&workspace, dir.path(), &env(&[])).await;
    // A resource created outside goes to its section's file.
    workspace
        .deploy_source("c source", "faker", serde_json::json!({"count": 3}))
        .await
        .unwrap();
    export(&workspace, dir.path(), ExportOptions::default())
        .await
        .unwrap();
    let again = files_of(dir.path());
    assert!(
        again["sources.yaml"].contains("  c source:\n"),
        "{again:#?}"
    );
    assert_eq!(again["team-a.yml"], files["team-a.yml"]);
    assert_no_changes(&workspace, dir.path(), &env(&[])).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_refuses_a_directory_whose_files_it_cannot_read_and_writes_nothing() {
    let server = mock().await;
    let dir = directory();
    write(dir.path(), "broken.yaml", "sources:\n  pg: [\n");
    let error = export(&production(&server), dir.path(), ExportOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(error, airbyte_workspace_files::Error::Invalid { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("broken.yaml:"), "{error}");
    assert_eq!(
        files_of(dir.path()).keys().collect::<Vec<_>>(),
        ["broken.yaml"],
        "nothing is written"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_keeps_the_manifest_files_the_directory_chose() {
    let server = mock().await;
    let workspace = production(&server);
    let dir = directory();
    export(&workspace, dir.path(), ExportOptions::default())
        .await
        .unwrap();
    // The manifest moved where the team keeps manifests.
    let manifest =
        std::fs::read_to_string(dir.path().join("manifests/rick-and-morty-yaml.yaml")).unwrap();
    std::fs::remove_file(dir.path().join("manifests/rick-and-morty-yaml.yaml")).unwrap();
    write(dir.path(), "connectors/rick.yaml", &manifest);
    let definitions = files_of(dir.path())["definitions.yaml"].replace(
        "manifest_file: manifests/rick-and-morty-yaml.yaml",
        "manifest_file: connectors/rick.yaml",
    );
    write(dir.path(), "definitions.yaml", &definitions);
    export(&workspace, dir.path(), ExportOptions::default())
        .await
        .unwrap();
    let files = files_of(dir.path());
    assert_eq!(files["definitions.yaml"], definitions);
    assert_eq!(files["connectors/rick.yaml"], manifest);
    assert!(
        !files.contains_key("manifests/rick-and-morty-yaml.yaml"),
        "no second copy of the manifest: {:?}",
        files.keys().collect::<Vec<_>>()
    );
}
