//! `workspaces` and `organizations`.

mod support;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspaces_are_listed_with_credentials_only() {
    // B6: no workspace ID is needed to list workspaces.
    let server = mock().await;
    let root = server.public_api_root();
    let run = run_with_env(
        &["-o", "json", "workspaces", "list"],
        &[
            ("AIRBYTE_API_ROOT", &root),
            ("AIRBYTE_CLIENT_ID", CLIENT_ID),
            ("AIRBYTE_CLIENT_SECRET", SECRET),
        ],
    )
    .await;
    run.code(0);
    assert_eq!(run.json().as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspaces_list_filters_by_name_and_limit() {
    let server = mock().await;
    let named = ok(&server, &["workspaces", "list", "--name", "Staging"]).await;
    assert_eq!(named.as_array().unwrap().len(), 1);
    assert_eq!(named[0]["workspaceId"], STAGING_WORKSPACE_ID);
    let limited = ok(&server, &["workspaces", "list", "--limit", "1"]).await;
    assert_eq!(limited.as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workspace_is_shown_by_id_or_by_name() {
    let server = mock().await;
    assert_eq!(
        ok(&server, &["workspaces", "get"]).await["name"],
        "Production"
    );
    assert_eq!(
        ok(&server, &["workspaces", "get", STAGING_WORKSPACE_ID]).await["name"],
        "Staging"
    );
    assert_eq!(
        ok(&server, &["workspaces", "get", "Staging"]).await["workspaceId"],
        STAGING_WORKSPACE_ID
    );
    airbyte(&server, &["workspaces", "get", "Nowhere"])
        .await
        .code(6)
        .says("workspace \"Nowhere\" does not exist");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_malformed_workspace_id_is_refused_before_any_request() {
    // B7: not `(none)` and exit 0.
    let server = mock().await;
    let run = airbyte(
        &server,
        &["--workspace-id", "not-a-uuid", "sources", "list"],
    )
    .await;
    run.code(2).says("invalid workspace ID \"not-a-uuid\"");
    assert!(run.stdout.is_empty());
    assert!(
        server
            .journal()
            .iter()
            .all(|entry| !entry.path.contains("/sources")),
        "nothing is sent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_workspace_is_renamed_and_a_dry_run_changes_nothing() {
    let server = mock().await;
    let preview = ok(&server, &["workspaces", "rename", "Prod 2", "--dry-run"]).await;
    assert_eq!(preview["dryRun"], true);
    assert_eq!(preview["changes"][0]["action"], "update");
    assert_eq!(
        ok(&server, &["workspaces", "get"]).await["name"],
        "Production"
    );
    assert_eq!(
        ok(&server, &["workspaces", "rename", "Prod 2"]).await["name"],
        "Prod 2"
    );
    assert_eq!(ok(&server, &["workspaces", "get"]).await["name"], "Prod 2");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn organizations_are_listed() {
    let server = mock().await;
    let organizations = ok(&server, &["organizations", "list"]).await;
    assert_eq!(organizations[0]["organizationId"], ORGANIZATION_ID);
    let table = plain(&server, &["organizations", "list"]).await;
    table.code(0);
    assert!(table.stdout.starts_with("ID"), "{}", table.stdout);
    assert!(table.stdout.contains(ORGANIZATION_ID));
}
