//! Applies interrupted by resets, 502s and lost answers converge when run again: nothing
//! created twice, nothing lost.

mod support;

use std::fmt::Write as _;

use airbyte_workspace_files::{Error, PlanOptions};
use serde_json::json;
use support::*;

/// `count` sources, destinations and connections between them.
fn many(count: usize) -> String {
    let mut text = String::from("sources:\n");
    for index in 0..count {
        let _ = writeln!(
            text,
            "  source {index}:\n    type: faker\n    configuration:\n      count: {index}"
        );
    }
    text.push_str("destinations:\n");
    for index in 0..count {
        let _ = writeln!(
            text,
            "  destination {index}:\n    type: dev-null\n    configuration: {{}}"
        );
    }
    text.push_str("connections:\n");
    for index in 0..count {
        let _ = writeln!(
            text,
            "  connection {index}:\n    source: source {index}\n    destination: destination {index}\n    streams:\n      - name: users\n        sync_mode: incremental_append"
        );
    }
    text
}

/// Plans the files, then applies them with `faults` injected from the first request of the
/// apply on.
async fn apply_under(
    server: &airbyte_mock_server::MockServer,
    workspace: &airbyte_cloud::CloudWorkspace,
    dir: &std::path::Path,
    faults: serde_json::Value,
    parallel: usize,
) -> airbyte_workspace_files::Result<airbyte_workspace_files::ApplyReport> {
    let (files, plan) = support::plan(workspace, dir, &env(&[]), PlanOptions::default())
        .await
        .unwrap();
    set_faults(server, faults).await;
    let applied = airbyte_workspace_files::apply(
        workspace,
        &files,
        &plan,
        airbyte_workspace_files::ApplyOptions { parallel },
    )
    .await;
    set_faults(server, json!({})).await;
    applied
}

/// The statuses of the creates of sources, in order.
fn source_creates(server: &airbyte_mock_server::MockServer) -> Vec<u16> {
    server
        .journal()
        .iter()
        .filter(|entry| entry.method == "POST" && entry.path.ends_with("/sources"))
        .map(|entry| entry.status)
        .collect()
}

async fn assert_each_once(workspace: &airbyte_cloud::CloudWorkspace, count: usize) {
    let sources = workspace.list_sources().collect().await.unwrap();
    let destinations = workspace.list_destinations().collect().await.unwrap();
    let connections = workspace.list_connections().collect().await.unwrap();
    assert_eq!(sources.len(), count, "no source created twice or lost");
    assert_eq!(
        destinations.len(),
        count,
        "no destination created twice or lost"
    );
    assert_eq!(
        connections.len(),
        count,
        "no connection created twice or lost"
    );
    for index in 0..count {
        assert_eq!(
            named(workspace, "source", &format!("source {index}")).await,
            1
        );
        assert_eq!(
            named(workspace, "connection", &format!("connection {index}")).await,
            1
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_apply_interrupted_by_faults_converges_on_a_rerun_without_duplicates() {
    let server = mock().await;
    let (dir, workspace) = files_and_workspace(&server, &many(12), "faults").await;
    let faults = json!({"rate502": 0.15, "rateResetAfter": 0.15, "rateResetBefore": 0.1, "includeTokenEndpoint": false});
    let first = apply_under(&server, &workspace, dir.path(), faults, 4).await;
    let injected = server
        .journal()
        .iter()
        .filter(|entry| entry.status == 502 || entry.status == 0)
        .count();
    assert!(
        injected > 3,
        "faults were injected during the apply ({injected})"
    );
    if let Err(error) = &first {
        assert!(matches!(error, Error::ApplyIncomplete { .. }), "{error}");
    }
    // Run again until done: each run finishes what the last one left.
    let no_secrets = env(&[]);
    for _ in 0..3 {
        if plan_and_apply(&workspace, dir.path(), &no_secrets, 4)
            .await
            .is_ok()
        {
            break;
        }
    }
    assert_each_once(&workspace, 12).await;
    assert_no_changes(&workspace, dir.path(), &no_secrets).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_whose_answer_is_lost_is_found_by_name_and_not_created_twice() {
    let server = mock().await;
    let (dir, workspace) = files_and_workspace(&server, &many(1), "lost answers").await;
    // The next request (the source's create) is handled, then its answer is lost.
    let report = apply_under(
        &server,
        &workspace,
        dir.path(),
        json!({"script": [{"kind": "reset_after_read"}]}),
        1,
    )
    .await
    .unwrap();
    assert!(report.is_complete());
    assert_eq!(
        source_creates(&server),
        [0],
        "the create's answer was lost, and it was not sent again: it was found by name"
    );
    assert_each_once(&workspace, 1).await;
    let lock =
        std::fs::read_to_string(dir.path().join(airbyte_workspace_files::LOCK_FILE)).unwrap();
    let source = workspace.list_sources().first().await.unwrap().unwrap();
    assert!(
        lock.contains(source.id().as_str()),
        "the adopted source is in the lock file"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_create_refused_by_a_502_is_sent_again_once() {
    let server = mock().await;
    let (dir, workspace) = files_and_workspace(&server, &many(1), "502").await;
    apply_under(
        &server,
        &workspace,
        dir.path(),
        json!({"script": [{"kind": "status", "status": 502}]}),
        1,
    )
    .await
    .unwrap();
    assert_eq!(
        source_creates(&server),
        [502, 200],
        "looked for by name (not found), then sent again"
    );
    assert_each_once(&workspace, 1).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_lock_file_is_rebuilt_by_name_without_duplicates() {
    let server = mock().await;
    let (dir, workspace) = files_and_workspace(&server, &many(3), "lost lock").await;
    let no_secrets = env(&[]);
    plan_and_apply(&workspace, dir.path(), &no_secrets, 2)
        .await
        .unwrap();
    std::fs::remove_file(dir.path().join(airbyte_workspace_files::LOCK_FILE)).unwrap();
    let plan = planned(&workspace, dir.path(), &no_secrets).await;
    assert_eq!(changes(&plan), Vec::<String>::new());
    assert!(plan.items.iter().all(|item| {
        item.reason
            .as_deref()
            .is_some_and(|reason| reason.contains("found by name"))
    }));
    plan_and_apply(&workspace, dir.path(), &no_secrets, 2)
        .await
        .unwrap();
    assert!(
        dir.path().join(airbyte_workspace_files::LOCK_FILE).exists(),
        "the lock file is written again"
    );
    assert_each_once(&workspace, 3).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_source_skips_its_connections_and_a_rerun_finishes() {
    let server = mock().await;
    let (dir, workspace) = files_and_workspace(&server, &many(1), "partial").await;
    // The source's create fails outright (a 500 is not retried and was not applied).
    let error = apply_under(
        &server,
        &workspace,
        dir.path(),
        json!({"script": [{"kind": "status", "status": 500}]}),
        1,
    )
    .await
    .unwrap_err();
    let Error::ApplyIncomplete { report } = &error else {
        panic!("{error}")
    };
    let text = error.to_string();
    assert!(
        text.contains("create source \"source 0\": failed"),
        "{text}"
    );
    assert!(
        text.contains("create connection \"connection 0\": skipped"),
        "{text}"
    );
    assert_eq!(report.done(), 1, "the destination was created: {report:?}");
    plan_and_apply(&workspace, dir.path(), &env(&[]), 1)
        .await
        .unwrap();
    assert_each_once(&workspace, 1).await;
}
