//! Prune: what the workspace has and the files do not is deleted only when asked, under safe
//! mode, naming every dependent; replaced resources are deleted under the same rules.

mod support;

use airbyte_workspace_files::{Action, Error, Kind, PlanOptions};
use serde_json::json;
use support::*;

const FILES: &str = r#"
sources:
  kept source:
    type: faker
    configuration: {count: 1}
destinations:
  kept destination:
    type: dev-null
    configuration: {}
connections:
  kept connection:
    source: kept source
    destination: kept destination
    streams:
      - name: users
"#;

async fn setup(
    server: &airbyte_mock_server::MockServer,
) -> (tempfile::TempDir, airbyte_cloud::CloudWorkspace) {
    let (dir, workspace) = files_and_workspace(server, FILES, "prune").await;
    plan_and_apply(&workspace, dir.path(), &env(&[]), 2)
        .await
        .unwrap();
    (dir, workspace)
}

fn pruning() -> PlanOptions {
    PlanOptions {
        prune: true,
        ..PlanOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_refuses_names_that_fail_safe_mode_and_names_every_dependent() {
    let server = mock().await;
    let (dir, workspace) = setup(&server).await;
    let legacy = workspace
        .deploy_source("legacy pg", "faker", json!({}))
        .await
        .unwrap();
    let sink = workspace
        .deploy_destination("legacy sink", "dev-null", json!({}))
        .await
        .unwrap();
    for name in ["legacy daily", "legacy hourly"] {
        workspace
            .deploy_connection(&legacy, &sink)
            .name(name)
            .streams(["users"])
            .await
            .unwrap();
    }
    let (files, plan) = support::plan(&workspace, dir.path(), &env(&[]), pruning())
        .await
        .unwrap();
    let deletes: Vec<_> = plan
        .items
        .iter()
        .filter(|item| item.action == Action::Delete)
        .collect();
    assert_eq!(deletes.len(), 4, "{deletes:#?}");
    assert_eq!(
        deletes[0].kind,
        Kind::Connection,
        "connections are deleted first"
    );
    let source = deletes
        .iter()
        .find(|item| item.name == "legacy pg")
        .unwrap();
    let dependents: Vec<&str> = source
        .dependents
        .iter()
        .map(|dependent| dependent.name.as_str())
        .collect();
    assert_eq!(dependents, ["legacy daily", "legacy hourly"]);
    assert!(
        source.refusal.as_deref().unwrap().contains("safe mode"),
        "{source:#?}"
    );
    assert_eq!(plan.refusals().len(), 4);
    let before = writes(&server);
    let error = airbyte_workspace_files::apply(
        &workspace,
        &files,
        &plan,
        airbyte_workspace_files::ApplyOptions::default(),
    )
    .await
    .unwrap_err();
    let Error::Refused { refusals } = &error else {
        panic!("{error}")
    };
    assert_eq!(refusals.len(), 4);
    let text = error.to_string();
    for name in ["legacy pg", "legacy sink", "legacy daily", "legacy hourly"] {
        assert!(text.contains(name), "{name} is named: {text}");
    }
    assert_eq!(writes(&server), before, "nothing was sent");
    assert_eq!(
        workspace.list_connections().collect().await.unwrap().len(),
        3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prune_deletes_what_the_files_do_not_have_when_names_allow_it() {
    let server = mock().await;
    let (dir, workspace) = setup(&server).await;
    let old = workspace
        .deploy_source("old (delete-me)", "faker", json!({}))
        .await
        .unwrap();
    let kept_destination = workspace
        .list_destinations()
        .name("kept destination")
        .first()
        .await
        .unwrap()
        .unwrap();
    workspace
        .deploy_connection(&old, &kept_destination)
        .name("old link (delete-me)")
        .streams(["users"])
        .await
        .unwrap();
    let (files, plan) = support::plan(&workspace, dir.path(), &env(&[]), pruning())
        .await
        .unwrap();
    assert_eq!(
        changes(&plan),
        [
            "delete connection old link (delete-me)",
            "delete source old (delete-me)"
        ]
    );
    assert!(plan.refusals().is_empty());
    airbyte_workspace_files::apply(
        &workspace,
        &files,
        &plan,
        airbyte_workspace_files::ApplyOptions::default(),
    )
    .await
    .unwrap();
    assert_eq!(named(&workspace, "source", "old (delete-me)").await, 0);
    assert_eq!(named(&workspace, "connection", "kept connection").await, 1);
    let (_, plan) = support::plan(&workspace, dir.path(), &env(&[]), pruning())
        .await
        .unwrap();
    assert_eq!(changes(&plan), Vec::<String>::new());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_prune_what_the_files_do_not_have_is_listed_and_kept() {
    let server = mock().await;
    let (dir, workspace) = setup(&server).await;
    workspace
        .deploy_source("someone else's (delete-me)", "faker", json!({}))
        .await
        .unwrap();
    let plan = planned(&workspace, dir.path(), &env(&[])).await;
    assert_eq!(changes(&plan), Vec::<String>::new());
    let unmanaged: Vec<&str> = plan
        .unmanaged
        .iter()
        .map(|item| item.name.as_str())
        .collect();
    assert_eq!(unmanaged, ["someone else's (delete-me)"]);
    plan_and_apply(&workspace, dir.path(), &env(&[]), 2)
        .await
        .unwrap();
    assert_eq!(
        named(&workspace, "source", "someone else's (delete-me)").await,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_whose_type_changes_is_replaced_under_the_delete_rules() {
    let server = mock().await;
    let dir = directory();
    write(
        dir.path(),
        "workspace.yaml",
        &FILES
            .replace("kept source", "src (delete-me)")
            .replace("kept connection", "link (delete-me)"),
    );
    let workspace = empty_workspace(&server, "replace").await;
    plan_and_apply(&workspace, dir.path(), &env(&[]), 2)
        .await
        .unwrap();
    let old_source = workspace.list_sources().first().await.unwrap().unwrap();
    write(
        dir.path(),
        "workspace.yaml",
        &FILES
            .replace("kept source", "src (delete-me)")
            .replace("kept connection", "link (delete-me)")
            .replace(
                "type: faker\n    configuration: {count: 1}",
                "type: github\n    configuration: {repositories: [acme/x]}",
            )
            .replace("- name: users", "- name: issues"),
    );
    let plan = planned(&workspace, dir.path(), &env(&[])).await;
    assert_eq!(
        changes(&plan),
        [
            "replace source src (delete-me)",
            "replace connection link (delete-me)",
            "delete connection link (delete-me)",
            "delete source src (delete-me)",
        ]
    );
    plan_and_apply(&workspace, dir.path(), &env(&[]), 2)
        .await
        .unwrap();
    assert!(old_source.info().await.unwrap_err().is_not_found());
    assert_eq!(named(&workspace, "source", "src (delete-me)").await, 1);
    assert_eq!(named(&workspace, "connection", "link (delete-me)").await, 1);
    assert_no_changes(&workspace, dir.path(), &env(&[])).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replace_of_a_name_that_fails_safe_mode_is_refused_before_anything_is_sent() {
    let server = mock().await;
    let (dir, workspace) = setup(&server).await;
    write(
        dir.path(),
        "workspace.yaml",
        &FILES
            .replace(
                "type: faker\n    configuration: {count: 1}",
                "type: github\n    configuration: {}",
            )
            .replace("- name: users", "- name: issues"),
    );
    let before = writes(&server);
    let error = plan_and_apply(&workspace, dir.path(), &env(&[]), 2)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Refused { .. }), "{error}");
    assert!(error.to_string().contains("kept source"), "{error}");
    assert_eq!(writes(&server), before);
}
