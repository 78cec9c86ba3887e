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
