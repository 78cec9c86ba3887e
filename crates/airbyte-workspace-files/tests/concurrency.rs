//! Two callers: a second apply from the same lock file, while one runs or after one ran since
//! its plan was made, is refused before anything is sent; a create whose answer was lost while
//! another caller created the same name is an error, never a third copy.

mod support;

use std::fmt::Write as _;
use std::time::Duration;

use airbyte_workspace_files::{ApplyOptions, Error, PlanOptions, apply};
use serde_json::json;
use support::*;

fn sources(count: usize) -> String {
    let mut text = String::from("sources:\n");
    for index in 0..count {
        let _ = writeln!(
            text,
            "  source {index}:\n    type: faker\n    configuration:\n      count: {index}"
        );
    }
    text
}

/// The files of a directory, and two plans of them made one after the other (two callers).
async fn two_plans(
    workspace: &airbyte_cloud::CloudWorkspace,
    dir: &std::path::Path,
) -> (
    airbyte_workspace_files::WorkspaceFiles,
    airbyte_workspace_files::Plan,
    airbyte_workspace_files::Plan,
) {
    let no_secrets = env(&[]);
    let (files, first) = plan(workspace, dir, &no_secrets, PlanOptions::default())
        .await
        .unwrap();
    let (_, second) = plan(workspace, dir, &no_secrets, PlanOptions::default())
        .await
        .unwrap();
    (files, first, second)
}

async fn count_named(workspace: &airbyte_cloud::CloudWorkspace, count: usize) -> Vec<usize> {
    let mut found = Vec::new();
    for index in 0..count {
        found.push(named(workspace, "source", &format!("source {index}")).await);
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_apply_of_a_plan_made_before_another_apply_ran_is_refused() {
    let server = mock().await;
    let (dir, workspace) = files_and_workspace(&server, &sources(3), "stale plan").await;
    let (files, first, second) = two_plans(&workspace, dir.path()).await;
    apply(&workspace, &files, &first, ApplyOptions::default())
        .await
        .unwrap();
    let before = writes(&server);
    let error = apply(&workspace, &files, &second, ApplyOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Conflict { .. }), "{error}");
    assert!(error.to_string().contains("plan again"), "{error}");
    assert_eq!(writes(&server), before, "nothing was sent");
    assert_eq!(count_named(&workspace, 3).await, [1, 1, 1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_apply_while_one_runs_from_the_same_directory_is_refused() {
    let server = mock().await;
    let (dir, workspace) = files_and_workspace(&server, &sources(4), "two at once").await;
    let (files, first, second) = two_plans(&workspace, dir.path()).await;
    // Slow answers keep the first apply running while the second starts.
    set_faults(&server, json!({"latencyMinMs": 150, "latencyMaxMs": 150})).await;
    let (done, refused) = tokio::join!(
        apply(&workspace, &files, &first, ApplyOptions { parallel: 1 }),
        async {
            tokio::time::sleep(Duration::from_millis(200)).await;
            apply(&workspace, &files, &second, ApplyOptions { parallel: 1 }).await
        }
    );
    set_faults(&server, json!({})).await;
    assert!(done.unwrap().is_complete());
    let error = refused.unwrap_err();
    assert!(matches!(error, Error::Conflict { .. }), "{error}");
    assert!(
        error.to_string().contains("another apply or export"),
        "{error}"
    );
    assert_eq!(count_named(&workspace, 4).await, [1, 1, 1, 1]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_create_beside_another_callers_copy_is_an_error_not_a_third_copy() {
    let server = mock().await;
    let (dir, workspace) = files_and_workspace(&server, &sources(1), "lost beside another").await;
    let no_secrets = env(&[]);
    let (files, plan) = plan(&workspace, dir.path(), &no_secrets, PlanOptions::default())
        .await
        .unwrap();
    // Another caller creates the same source after the plan...
    workspace
        .deploy_source("source 0", "faker", json!({"count": 0}))
        .unique(false)
        .await
        .unwrap();
    // ...and the answer to this apply's create is lost.
    set_faults(&server, json!({"script": [{"kind": "reset_after_read"}]})).await;
    let result = apply(&workspace, &files, &plan, ApplyOptions { parallel: 1 }).await;
    set_faults(&server, json!({})).await;
    let Err(Error::ApplyIncomplete { report }) = result else {
        panic!("the apply cannot know which copy is its own: {result:?}")
    };
    let text = report.to_string();
    assert!(text.contains("source 0"), "{text}");
    assert!(text.contains("2 sources"), "{text}");
    assert_eq!(
        count_named(&workspace, 1).await,
        [2],
        "the create was not sent a third time"
    );
}
