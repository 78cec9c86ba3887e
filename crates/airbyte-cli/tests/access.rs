//! `users`, `permissions`, `groups` and `applications` against the mock server.

mod support;

use support::*;

fn count(value: &Value) -> usize {
    value.as_array().map_or(0, Vec::len)
}

// Users.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_are_listed_in_the_workspaces_organization_and_filtered() {
    let server = mock().await;
    let all = ok(&server, &["users", "list"]).await;
    assert_eq!(count(&all), 4, "{all}");
    let by_email = ok(&server, &["users", "list", "--email", "carol@acme.example"]).await;
    assert_eq!(count(&by_email), 1);
    assert_eq!(by_email[0]["id"], CAROL_USER_ID);
    let by_id = ok(&server, &["users", "list", "--id", BOB_USER_ID]).await;
    assert_eq!(by_id[0]["email"], "bob@acme.example");
    let other = ok(
        &server,
        &["users", "list", "--organization", "Initech Analytics"],
    )
    .await;
    assert_eq!(other[0]["name"], "Erin Initech");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_is_shown_by_id_or_email_and_a_stranger_is_not_found() {
    let server = mock().await;
    assert_eq!(
        ok(&server, &["users", "get", "dave@acme.example"]).await["id"],
        DAVE_USER_ID
    );
    assert_eq!(
        ok(&server, &["users", "get", DAVE_USER_ID]).await["email"],
        "dave@acme.example"
    );
    airbyte(&server, &["users", "get", "erin@initech.example"])
        .await
        .code(6)
        .says("user \"erin@initech.example\" does not exist");
    airbyte(&server, &["users", "list", "--email", "not-an-address"])
        .await
        .code(2)
        .says("not an email address");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn users_me_is_the_user_behind_the_credentials_without_a_workspace() {
    let server = mock().await;
    let root = server.public_api_root();
    let run = run_with_env(
        &["-o", "json", "users", "me"],
        &[
            ("AIRBYTE_API_ROOT", &root),
            ("AIRBYTE_CLIENT_ID", CLIENT_ID),
            ("AIRBYTE_CLIENT_SECRET", SECRET),
        ],
    )
    .await;
    run.code(0);
    let me = run.json();
    assert_eq!(me["userId"], OPERATOR_USER_ID);
    assert_eq!(me["defaultWorkspaceId"], PRODUCTION_WORKSPACE_ID);
    let table = plain(&server, &["users", "me"]).await;
    table.code(0);
    table.prints("ada@acme.example");
}

// Permissions.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn permissions_are_listed_by_user_with_types_the_spec_does_not_list() {
    let server = mock().await;
    let own = ok(&server, &["permissions", "list"]).await;
    assert!(
        own.as_array()
            .unwrap()
            .iter()
            .all(|p| p["userId"] == OPERATOR_USER_ID)
    );
    let daves = ok(
        &server,
        &[
            "permissions",
            "list",
            "--user",
            "dave@acme.example",
            "--organization",
            ORGANIZATION_ID,
        ],
    )
    .await;
    assert_eq!(count(&daves), 1);
    assert_eq!(daves[0]["permissionType"], "workspace_member");
    let table = plain(
        &server,
        &["permissions", "list", "--organization", "Acme Data"],
    )
    .await;
    table.code(0);
    table.prints("workspace_member");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permission_is_granted_changed_and_revoked_with_dry_runs_that_change_nothing() {
    let server = mock().await;
    let args = [
        "permissions",
        "create",
        "--user",
        "dave@acme.example",
        "--type",
        "workspace_reader",
        "--workspace",
        STAGING_WORKSPACE_ID,
    ];
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    let preview = ok(&server, &dry).await;
    assert_eq!(preview["dryRun"], true);
    assert_eq!(
        preview["changes"][0]["request"]["workspaceId"],
        STAGING_WORKSPACE_ID
    );
    assert_unchanged(&server);

    let created = ok(&server, &args).await;
    let id = created["permissionId"].as_str().unwrap().to_owned();
    assert_eq!(created["userId"], DAVE_USER_ID);
    assert_eq!(ok(&server, &["permissions", "get", &id]).await, created);

    let preview = ok(
        &server,
        &[
            "permissions",
            "update",
            &id,
            "--type",
            "workspace_editor",
            "--dry-run",
        ],
    )
    .await;
    assert_eq!(preview["dryRun"], true);
    assert_eq!(
        ok(&server, &["permissions", "get", &id]).await["permissionType"],
        "workspace_reader"
    );
    let updated = ok(
        &server,
        &["permissions", "update", &id, "--type", "workspace_editor"],
    )
    .await;
    assert_eq!(updated["permissionType"], "workspace_editor");

    // Without --yes and without a terminal, a revoke is refused.
    airbyte(&server, &["permissions", "delete", &id])
        .await
        .code(5)
        .says("refusing without confirmation");
    ok(&server, &["permissions", "delete", &id, "--yes"]).await;
    airbyte(&server, &["permissions", "get", &id])
        .await
        .code(6)
        .says("does not exist");
    ok(
        &server,
        &["permissions", "delete", &id, "--yes", "--ignore-not-found"],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_permission_of_the_wrong_type_or_scope_is_refused_before_anything_is_sent() {
    let server = mock().await;
    refused_alike(
        &server,
        &[
            "permissions",
            "create",
            "--user",
            DAVE_USER_ID,
            "--type",
            "workspace_owner",
        ],
        2,
        "cannot be granted",
    )
    .await;
    refused_alike(
        &server,
        &[
            "permissions",
            "create",
            "--user",
            DAVE_USER_ID,
            "--type",
            "organization_reader",
            "--workspace",
            STAGING_WORKSPACE_ID,
        ],
        2,
        "needs an organization ID",
    )
    .await;
    // Bob's workspace_admin permission cannot become an organization one.
    refused_alike(
        &server,
        &[
            "permissions",
            "update",
            "6f2b1d4c-8e3a-4f9b-8c7d-2e3f4a5b6c03",
            "--type",
            "organization_admin",
        ],
        2,
        "needs an organization ID",
    )
    .await;
    assert_unchanged(&server);
}

// Groups.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_is_created_shown_renamed_and_deleted_by_name() {
    let server = mock().await;
    let created = ok(
        &server,
        &[
            "groups",
            "create",
            "auditors-delete-me",
            "--description",
            "Read only",
        ],
    )
    .await;
    assert_eq!(created["description"], "Read only");
    let shown = ok(&server, &["groups", "get", "auditors-delete-me"]).await;
    assert_eq!(shown["groupId"], created["groupId"]);
    let renamed = ok(
        &server,
        &[
            "groups",
            "update",
            "auditors-delete-me",
            "--name",
            "readers-delete-me",
        ],
    )
    .await;
    assert_eq!(renamed["name"], "readers-delete-me");
    let preview = ok(
        &server,
        &["groups", "delete", "readers-delete-me", "--dry-run"],
    )
    .await;
    assert_eq!(preview["changes"][0]["action"], "delete");
    ok(&server, &["groups", "delete", "readers-delete-me", "--yes"]).await;
    airbyte(&server, &["groups", "get", "readers-delete-me"])
        .await
        .code(6);
    ok(
        &server,
        &[
            "groups",
            "delete",
            "readers-delete-me",
            "--yes",
            "--ignore-not-found",
        ],
    )
    .await;
    let table = plain(&server, &["groups", "list"]).await;
    table.code(0);
    table.prints("Data engineers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn safe_mode_keeps_a_group_and_a_dry_run_says_so_alike() {
    let server = mock().await;
    refused_alike(
        &server,
        &["groups", "delete", "Data engineers", "--yes"],
        5,
        "safe mode",
    )
    .await;
    assert_unchanged(&server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn members_are_added_listed_and_removed_by_email() {
    let server = mock().await;
    ok(
        &server,
        &[
            "groups",
            "add-member",
            "Data engineers",
            "dave@acme.example",
        ],
    )
    .await;
    let members = ok(&server, &["groups", "members", "Data engineers"]).await;
    assert_eq!(count(&members), 3);
    ok(
        &server,
        &[
            "groups",
            "remove-member",
            "Data engineers",
            "dave@acme.example",
            "--yes",
        ],
    )
    .await;
    assert_eq!(
        count(&ok(&server, &["groups", "members", DATA_ENGINEERS_GROUP_ID]).await),
        2
    );
    airbyte(
        &server,
        &[
            "groups",
            "remove-member",
            "Data engineers",
            DAVE_USER_ID,
            "--yes",
        ],
    )
    .await
    .code(6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn group_permissions_are_granted_listed_and_revoked() {
    let server = mock().await;
    let before = count(&ok(&server, &["groups", "permissions", "Data engineers"]).await);
    let granted = ok(
        &server,
        &[
            "groups",
            "grant",
            "Data engineers",
            "--type",
            "workspace_reader",
        ],
    )
    .await;
    assert_eq!(granted["workspaceId"], PRODUCTION_WORKSPACE_ID);
    let id = granted["permissionId"].as_str().unwrap().to_owned();
    assert_eq!(
        count(&ok(&server, &["groups", "permissions", "Data engineers"]).await),
        before + 1
    );
    ok(
        &server,
        &["groups", "revoke", "Data engineers", &id, "--yes"],
    )
    .await;
    assert_eq!(
        count(&ok(&server, &["groups", "permissions", "Data engineers"]).await),
        before
    );
    airbyte(
        &server,
        &["groups", "revoke", "Data engineers", &id, "--yes"],
    )
    .await
    .code(6);
}

// Applications.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_secret_is_printed_once_on_creation_and_never_again() {
    let server = mock().await;
    let created = ok(&server, &["applications", "create", "ci-delete-me"]).await;
    let secret = created["clientSecret"].as_str().unwrap().to_owned();
    assert!(!secret.is_empty());
    let id = created["id"].as_str().unwrap().to_owned();
    for args in [
        vec!["applications", "list"],
        vec!["applications", "get", &id],
        vec!["applications", "get", "ci-delete-me"],
    ] {
        let json = airbyte(&server, &args).await;
        json.code(0);
        assert!(!json.stdout.contains(&secret), "{args:?}: {}", json.stdout);
        assert!(json.stdout.contains("ci-delete-me"));
        let yaml = plain(&server, &[&["-o", "yaml"], args.as_slice()].concat()).await;
        assert!(!yaml.stdout.contains(&secret), "{args:?}: {}", yaml.stdout);
        let table = plain(&server, &args).await;
        assert!(
            !table.stdout.contains(&secret),
            "{args:?}: {}",
            table.stdout
        );
    }
    let table = plain(&server, &["applications", "create", "other"]).await;
    table.code(0).says("not shown again");
    table.prints("CLIENT SECRET");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_is_deleted_by_name_after_safe_mode_and_a_dry_run() {
    let server = mock().await;
    ok(&server, &["applications", "create", "deploys"]).await;
    refused_alike(
        &server,
        &["applications", "delete", "deploys", "--yes"],
        5,
        "safe mode",
    )
    .await;
    let preview = ok(
        &server,
        &[
            "applications",
            "delete",
            "deploys",
            "--no-safe-mode",
            "--dry-run",
        ],
    )
    .await;
    assert_eq!(preview["changes"][0]["name"], "deploys");
    ok(
        &server,
        &[
            "applications",
            "delete",
            "deploys",
            "--no-safe-mode",
            "--yes",
        ],
    )
    .await;
    airbyte(&server, &["applications", "get", "deploys"])
        .await
        .code(6);
    airbyte(&server, &["applications", "get", CAROL_APPLICATION_ID])
        .await
        .code(6)
        .says("does not exist");
}

// Workspaces by privilege scope, and the default workspace.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspaces_are_listed_by_the_scope_of_the_permission_that_reaches_them() {
    let server = mock().await;
    let through_organization =
        ok(&server, &["workspaces", "list", "--scope", "organization"]).await;
    assert_eq!(count(&through_organization), 2);
    assert_eq!(
        through_organization[0]["permissionType"],
        "organization_admin"
    );
    assert_eq!(through_organization[0]["scope"], "organization");
    let direct = ok(&server, &["workspaces", "list", "--scope", "workspace"]).await;
    assert_eq!(count(&direct), 0, "{direct}");
    let named = ok(
        &server,
        &["workspaces", "list", "--scope", "all", "--name", "Staging"],
    )
    .await;
    assert_eq!(count(&named), 1);
    assert_eq!(named[0]["workspaceId"], STAGING_WORKSPACE_ID);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_workspace_is_shown_and_set_after_a_dry_run() {
    let server = mock().await;
    assert_eq!(
        ok(&server, &["workspaces", "default"]).await["defaultWorkspaceId"],
        PRODUCTION_WORKSPACE_ID
    );
    let staging = [
        "--workspace-id",
        STAGING_WORKSPACE_ID,
        "workspaces",
        "set-default",
    ];
    let preview = ok(&server, &[&staging[..], &["--dry-run"]].concat()).await;
    assert_eq!(preview["dryRun"], true);
    assert_eq!(
        ok(&server, &["workspaces", "default"]).await["defaultWorkspaceId"],
        PRODUCTION_WORKSPACE_ID
    );
    let user = ok(&server, &staging).await;
    assert_eq!(user["defaultWorkspaceId"], STAGING_WORKSPACE_ID);
    assert_eq!(
        ok(&server, &["workspaces", "default"]).await["defaultWorkspaceId"],
        STAGING_WORKSPACE_ID
    );
}
