//! Secrets the server does not mask, secrets inside URLs and secrets removed from the files:
//! never written by an export, never replaced by the mask on a server that would store it, and
//! never a silent drift.

mod support;

use airbyte_workspace_files::{Action, ExportOptions, export};
use serde_json::{Value, json};
use support::*;

/// A source whose configuration holds a secret (a webhook URL) under a key that no server
/// masks: the server answers it as it is.
const WEBHOOK_FILES: &str = r#"
sources:
  hooky:
    type: faker
    configuration:
      count: 1
      seed: 1
      webhook: ${env:HOOK_URL}
"#;

const HOOK: &str = "https://hooks.example/T0/B0/hook-secret-path";

fn hook_env() -> std::collections::BTreeMap<String, String> {
    env(&[("HOOK_URL", HOOK)])
}

/// Every file of a directory, the lock file included, as one text.
fn everything_in(directory: &std::path::Path) -> String {
    let mut text: String = files_of(directory).into_values().collect();
    text.push_str(
        &std::fs::read_to_string(directory.join(airbyte_workspace_files::LOCK_FILE))
            .unwrap_or_default(),
    );
    text
}

/// The bodies of the `PUT` requests to sources, as the journal keeps them.
fn source_puts(server: &airbyte_mock_server::MockServer) -> Vec<Value> {
    server
        .journal()
        .into_iter()
        .filter(|entry| entry.method == "PUT" && entry.path.contains("/sources/"))
        .map(|entry| entry.body)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_the_server_does_not_mask_is_sent_as_its_value_on_update() {
    // Servers keep a stored value for the mask only where they mask (the connector's secret
    // fields); elsewhere the mask would be stored as the value.
    let server = mock().await;
    let (dir, workspace) = files_and_workspace(&server, WEBHOOK_FILES, "webhook").await;
    plan_and_apply(&workspace, dir.path(), &hook_env(), 2)
        .await
        .unwrap();
    write(
        dir.path(),
        "workspace.yaml",
        &WEBHOOK_FILES.replace("seed: 1", "seed: 2"),
    );
    plan_and_apply(&workspace, dir.path(), &hook_env(), 2)
        .await
        .unwrap();
    let puts = source_puts(&server);
    assert_eq!(puts.len(), 1, "one update, the create is a POST: {puts:?}");
    assert_eq!(
        puts[0]["configuration"]["webhook"],
        json!(HOOK),
        "a value the server shows is sent as it is, never as the mask"
    );
    assert_no_changes(&workspace, dir.path(), &hook_env()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_keeps_the_reference_of_a_secret_the_server_does_not_mask() {
    let server = mock().await;
    let (dir, workspace) = files_and_workspace(&server, WEBHOOK_FILES, "webhook export").await;
    plan_and_apply(&workspace, dir.path(), &hook_env(), 2)
        .await
        .unwrap();
    // Into the same directory: the reference the files chose stays.
    export(&workspace, dir.path(), ExportOptions::default())
        .await
        .unwrap();
    let text = everything_in(dir.path());
    assert!(!text.contains("hook-secret-path"), "{text}");
    assert!(
        files_of(dir.path())["workspace.yaml"].contains("webhook: \"${env:HOOK_URL}\""),
        "{text}"
    );
    assert_no_changes(&workspace, dir.path(), &hook_env()).await;
    // Into a new directory with only the lock file: the lock knows the field holds a secret.
    let fresh = directory();
    std::fs::copy(
        dir.path().join(airbyte_workspace_files::LOCK_FILE),
        fresh.path().join(airbyte_workspace_files::LOCK_FILE),
    )
    .unwrap();
    export(&workspace, fresh.path(), ExportOptions::default())
        .await
        .unwrap();
    let text = everything_in(fresh.path());
    assert!(!text.contains("hook-secret-path"), "{text}");
    assert!(
        files_of(fresh.path())["secrets.env.template"].contains("SOURCE_HOOKY_WEBHOOK="),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_inside_a_url_becomes_a_reference_and_plans_clean_once_applied() {
    let server = mock().await;
    let workspace = empty_workspace(&server, "url password").await;
    workspace
        .deploy_source(
            "Orders replica",
            "faker",
            json!({"count": 1, "jdbc_url": "postgres://app:hunter2@db:5432/shop"}),
        )
        .await
        .unwrap();
    let dir = directory();
    export(&workspace, dir.path(), ExportOptions::default())
        .await
        .unwrap();
    let sources = files_of(dir.path())["sources.yaml"].clone();
    assert!(!sources.contains("hunter2"), "{sources}");
    assert!(
        !sources.contains("**********"),
        "a masked URL is never written: applying it would store the mask: {sources}"
    );
    assert!(
        sources.contains("jdbc_url: \"${env:SOURCE_ORDERS_REPLICA_JDBC_URL}\""),
        "{sources}"
    );
    let secrets = env(&[(
        "SOURCE_ORDERS_REPLICA_JDBC_URL",
        "postgres://app:hunter2@db:5432/shop",
    )]);
    // The server never shows the password: set once, then never a change again.
    let plan = planned(&workspace, dir.path(), &secrets).await;
    let item = only_change(&plan);
    assert_eq!(item.changes.len(), 1, "{item:#?}");
    assert_eq!(item.changes[0].field, "configuration/jdbc_url");
    plan_and_apply(&workspace, dir.path(), &secrets, 2)
        .await
        .unwrap();
    assert_no_changes(&workspace, dir.path(), &secrets).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_password_inside_connection_parameters_is_never_written_and_plans_clean_once_applied() {
    let server = mock().await;
    let workspace = empty_workspace(&server, "jdbc params").await;
    let params = "password=hunter2-params&ssl=true";
    workspace
        .deploy_source(
            "Orders params",
            "faker",
            json!({"count": 1, "jdbc_url_params": params}),
        )
        .await
        .unwrap();
    let dir = directory();
    export(&workspace, dir.path(), ExportOptions::default())
        .await
        .unwrap();
    let text = everything_in(dir.path());
    assert!(!text.contains("hunter2-params"), "{text}");
    assert!(
        !text.contains("**********"),
        "masked parameters are never written: applying them would store the mask: {text}"
    );
    let sources = files_of(dir.path())["sources.yaml"].clone();
    assert!(
        sources.contains("jdbc_url_params: \"${env:SOURCE_ORDERS_PARAMS_JDBC_URL_PARAMS}\""),
        "{sources}"
    );
    assert!(
        files_of(dir.path())["secrets.env.template"]
            .contains("SOURCE_ORDERS_PARAMS_JDBC_URL_PARAMS="),
        "{text}"
    );
    let secrets = env(&[("SOURCE_ORDERS_PARAMS_JDBC_URL_PARAMS", params)]);
    plan_and_apply(&workspace, dir.path(), &secrets, 2)
        .await
        .unwrap();
    assert_no_changes(&workspace, dir.path(), &secrets).await;
    // Nothing the mock recorded shows the password either.
    let journal = format!("{:?}", server.journal());
    assert!(!journal.contains("hunter2-params"), "{journal}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_removed_from_the_files_is_a_change() {
    let server = mock().await;
    let dir = directory();
    let files = r#"
sources:
  pg:
    type: faker
    configuration:
      count: 1
      password: ${env:PG_PASSWORD}
"#;
    write(dir.path(), "workspace.yaml", files);
    let workspace = empty_workspace(&server, "secret removed").await;
    let secrets = env(&[("PG_PASSWORD", "pw")]);
    plan_and_apply(&workspace, dir.path(), &secrets, 2)
        .await
        .unwrap();
    write(
        dir.path(),
        "workspace.yaml",
        &files.replace("      password: ${env:PG_PASSWORD}\n", ""),
    );
    let plan = planned(&workspace, dir.path(), &secrets).await;
    let item = only_change(&plan);
    assert_eq!(item.action, Action::Update);
    assert_eq!(item.changes.len(), 1, "{item:#?}");
    assert_eq!(item.changes[0].field, "configuration/password");
    assert_eq!(item.changes[0].new, None);
    plan_and_apply(&workspace, dir.path(), &secrets, 2)
        .await
        .unwrap();
    assert_no_changes(&workspace, dir.path(), &secrets).await;
}
