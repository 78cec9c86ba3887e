//! Plans after applies are empty; one change, in the files or through the API, is one update.

mod support;

use airbyte_models::ConnectionPatchRequest;
use airbyte_workspace_files::Action;
use support::*;

/// Files with secrets, many streams in shuffled order and selected fields in shuffled order.
const FILES: &str = r#"
tags:
  critical:
    color: e53935
sources:
  Orders database:
    type: postgres
    configuration:
      host: db.internal
      port: 5432
      username: reader
      password: ${env:PG_PASSWORD}
      ssl:
        mode: require
        client_key: ${file:secrets/client-key.pem}
  Faker:
    type: faker
    configuration:
      count: 100
      seed: 1.0
destinations:
  Warehouse:
    type: bigquery
    configuration:
      project_id: acme
      credentials_json: ${env:BQ_CREDENTIALS}
connections:
  Orders to warehouse:
    source: Orders database
    destination: Warehouse
    schedule: 0 0 6 * * ?
    prefix: shop_
    tags: [critical]
    streams:
      - name: orders
        namespace: public
        sync_mode: incremental_append
        cursor_field: [created_at]
        selected_fields: [[total], [id], [created_at], [customer_id]]
      - name: audit_log
        sync_mode: full_refresh_append
      - name: customers
        sync_mode: incremental_deduped_history
        primary_key: [[id]]
        selected_fields: [[updated_at], [name], [id]]
  Faker to warehouse:
    source: Faker
    destination: Warehouse
    status: inactive
    streams:
      - name: users
        selected_fields: [[name], [email], [id]]
      - name: purchases
      - name: products
        sync_mode: full_refresh_overwrite
"#;

fn secrets() -> std::collections::BTreeMap<String, String> {
    env(&[
        ("PG_PASSWORD", "pg-secret"),
        ("BQ_CREDENTIALS", "{\"k\": 1}"),
    ])
}

/// Rewrites the files above in `dir` with one text replaced.
fn edit(dir: &std::path::Path, from: &str, to: &str) {
    assert!(FILES.contains(from), "the files hold {from:?}");
    write(dir, "workspace.yaml", &FILES.replace(from, to));
}

/// The files above, applied to a new workspace.
async fn applied(
    server: &airbyte_mock_server::MockServer,
) -> (tempfile::TempDir, airbyte_cloud::CloudWorkspace) {
    let dir = directory();
    write(dir.path(), "workspace.yaml", FILES);
    write(dir.path(), "secrets/client-key.pem", "-----KEY-----\n");
    let workspace = empty_workspace(server, "drift").await;
    let report = plan_and_apply(&workspace, dir.path(), &secrets(), 4)
        .await
        .unwrap();
    assert_eq!(report.done(), 6, "{report:?}");
    (dir, workspace)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_right_after_apply_is_empty_with_secrets_and_shuffled_streams_and_fields() {
    let server = mock().await;
    let (dir, workspace) = applied(&server).await;
    let plan = planned(&workspace, dir.path(), &secrets()).await;
    assert_eq!(changes(&plan), Vec::<String>::new(), "{:#?}", plan.items);
    assert!(!plan.has_changes());
    assert_eq!(plan.items.len(), 6);
    // The streams were sent with every setting the files give.
    let connection = workspace
        .list_connections()
        .name("Orders to warehouse")
        .first()
        .await
        .unwrap()
        .unwrap();
    let streams = connection.streams().await.unwrap();
    let orders = streams
        .iter()
        .find(|stream| stream.name == "orders")
        .unwrap();
    assert_eq!(orders.selected_fields.as_ref().unwrap().len(), 4);
    assert_eq!(
        orders.cursor_field.as_deref(),
        Some(&["created_at".to_owned()][..])
    );
    // The server (or the UI) keeps streams and fields in another order: still no change.
    let mut shuffled = streams.clone();
    shuffled.reverse();
    for stream in &mut shuffled {
        if let Some(fields) = &mut stream.selected_fields {
            fields.reverse();
        }
    }
    connection.set_streams(shuffled).await.unwrap();
    let live = connection.streams().await.unwrap();
    assert_ne!(live[0].name, streams[0].name, "the live order changed");
    assert_no_changes(&workspace, dir.path(), &secrets()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_apply_sends_nothing() {
    let server = mock().await;
    let (dir, workspace) = applied(&server).await;
    let before = writes(&server);
    let report = plan_and_apply(&workspace, dir.path(), &secrets(), 4)
        .await
        .unwrap();
    assert_eq!(report.outcomes.len(), 0);
    assert_eq!(
        writes(&server),
        before,
        "an apply without changes writes nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_field_changed_in_a_file_plans_exactly_one_update_of_that_field() {
    let server = mock().await;
    let (dir, workspace) = applied(&server).await;
    edit(dir.path(), "prefix: shop_", "prefix: store_");
    let plan = planned(&workspace, dir.path(), &secrets()).await;
    let changed = [only_change(&plan)];
    assert_eq!(changed[0].action, Action::Update);
    assert_eq!(changed[0].name, "Orders to warehouse");
    assert_eq!(changed[0].changes.len(), 1, "{:#?}", changed[0].changes);
    assert_eq!(changed[0].changes[0].field, "prefix");
    assert_eq!(changed[0].changes[0].old, Some(serde_json::json!("shop_")));
    assert_eq!(changed[0].changes[0].new, Some(serde_json::json!("store_")));
    plan_and_apply(&workspace, dir.path(), &secrets(), 4)
        .await
        .unwrap();
    assert_no_changes(&workspace, dir.path(), &secrets()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_stream_setting_changed_in_a_file_is_one_update_of_that_setting() {
    let server = mock().await;
    let (dir, workspace) = applied(&server).await;
    edit(
        dir.path(),
        "selected_fields: [[name], [email], [id]]",
        "selected_fields: [[id], [email]]",
    );
    let plan = planned(&workspace, dir.path(), &secrets()).await;
    let changed = [only_change(&plan)];
    let fields: Vec<&str> = changed[0]
        .changes
        .iter()
        .map(|change| change.field.as_str())
        .collect();
    assert_eq!(fields, ["streams[users].selected_fields"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_change_made_through_the_api_plans_exactly_one_update_back() {
    let server = mock().await;
    let (dir, workspace) = applied(&server).await;
    let connection = workspace
        .list_connections()
        .name("Faker to warehouse")
        .first()
        .await
        .unwrap()
        .unwrap();
    connection
        .update(ConnectionPatchRequest {
            prefix: Some("ui_".to_owned()),
            ..ConnectionPatchRequest::default()
        })
        .await
        .unwrap();
    let plan = planned(&workspace, dir.path(), &secrets()).await;
    // The files leave the prefix of this connection to the server: not a change.
    assert_eq!(changes(&plan), Vec::<String>::new());
    connection.set_enabled(true, false).await.unwrap();
    let plan = planned(&workspace, dir.path(), &secrets()).await;
    let changed = [only_change(&plan)];
    assert_eq!(changed[0].changes.len(), 1);
    assert_eq!(changed[0].changes[0].field, "status");
    assert_eq!(changed[0].changes[0].old, Some(serde_json::json!("active")));
    assert_eq!(
        changed[0].changes[0].new,
        Some(serde_json::json!("inactive"))
    );
    plan_and_apply(&workspace, dir.path(), &secrets(), 4)
        .await
        .unwrap();
    assert!(
        !connection.enabled().await.unwrap(),
        "the apply put it back"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_renamed_in_the_ui_is_renamed_back() {
    let server = mock().await;
    let (dir, workspace) = applied(&server).await;
    let source = workspace
        .list_sources()
        .name("Faker")
        .first()
        .await
        .unwrap()
        .unwrap();
    source.rename("Faker (edited in the UI)").await.unwrap();
    let plan = planned(&workspace, dir.path(), &secrets()).await;
    assert_eq!(changes(&plan), ["update source Faker"]);
    let item = plan
        .items
        .iter()
        .find(|item| item.action == Action::Update)
        .unwrap();
    assert_eq!(item.changes.len(), 1, "{:#?}", item.changes);
    assert_eq!(item.changes[0].field, "name");
    plan_and_apply(&workspace, dir.path(), &secrets(), 4)
        .await
        .unwrap();
    assert_eq!(source.info().await.unwrap().name, "Faker");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_is_a_change_only_when_its_value_changes() {
    let server = mock().await;
    let (dir, workspace) = applied(&server).await;
    let mut rotated = secrets();
    rotated.insert("PG_PASSWORD".to_owned(), "rotated".to_owned());
    let plan = planned(&workspace, dir.path(), &rotated).await;
    let changed = [only_change(&plan)];
    assert_eq!(changed[0].changes.len(), 1);
    assert_eq!(changed[0].changes[0].field, "configuration/password");
    assert_eq!(
        changed[0].changes[0].new,
        Some(serde_json::json!("${env:PG_PASSWORD}"))
    );
    let shown = serde_json::to_string(&plan.to_json()).unwrap();
    assert!(
        !shown.contains("rotated") && !shown.contains("pg-secret"),
        "{shown}"
    );
    plan_and_apply(&workspace, dir.path(), &rotated, 4)
        .await
        .unwrap();
    assert_no_changes(&workspace, dir.path(), &rotated).await;
    let lock =
        std::fs::read_to_string(dir.path().join(airbyte_workspace_files::LOCK_FILE)).unwrap();
    assert!(
        !lock.contains("rotated") && !lock.contains("pg-secret") && !lock.contains("-----KEY"),
        "{lock}"
    );
    assert!(lock.contains("pbkdf2-sha256$"), "{lock}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rename_in_the_files_is_an_update_of_the_same_resource() {
    let server = mock().await;
    let (dir, workspace) = applied(&server).await;
    edit(
        dir.path(),
        "  Faker:\n    type: faker",
        "  Faker:\n    name: Faker (renamed)\n    type: faker",
    );
    let plan = planned(&workspace, dir.path(), &secrets()).await;
    assert_eq!(changes(&plan), ["update source Faker (renamed)"]);
    plan_and_apply(&workspace, dir.path(), &secrets(), 4)
        .await
        .unwrap();
    assert_eq!(named(&workspace, "source", "Faker (renamed)").await, 1);
    assert_eq!(named(&workspace, "source", "Faker").await, 0);
    assert_no_changes(&workspace, dir.path(), &secrets()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_key_changed_in_the_files_leaves_no_stale_lock_entry_behind() {
    let server = mock().await;
    let dir = directory();
    let files = "sources:\n  pg:\n    type: faker\n    configuration: {count: 1}\n";
    write(dir.path(), "workspace.yaml", files);
    let workspace = empty_workspace(&server, "rekey").await;
    let no_secrets = env(&[]);
    plan_and_apply(&workspace, dir.path(), &no_secrets, 2)
        .await
        .unwrap();
    // The key changes, the name stays: the same source, found by its name.
    write(
        dir.path(),
        "workspace.yaml",
        "sources:\n  postgres:\n    name: pg\n    type: faker\n    configuration: {count: 1}\n",
    );
    plan_and_apply(&workspace, dir.path(), &no_secrets, 2)
        .await
        .unwrap();
    let lock = airbyte_workspace_files::LockFile::read(
        &dir.path().join(airbyte_workspace_files::LOCK_FILE),
    )
    .unwrap();
    let section = lock.workspace(workspace.id().as_str());
    assert_eq!(
        section.sources.keys().collect::<Vec<_>>(),
        ["postgres"],
        "one key per resource"
    );
    // A new resource under the old key is a new resource, not the old one renamed.
    write(
        dir.path(),
        "workspace.yaml",
        "sources:\n  postgres:\n    name: pg\n    type: faker\n    configuration: {count: 1}\n  pg:\n    name: pg (new)\n    type: faker\n    configuration: {count: 2}\n",
    );
    let plan = planned(&workspace, dir.path(), &no_secrets).await;
    assert_eq!(changes(&plan), ["create source pg (new)"]);
}
