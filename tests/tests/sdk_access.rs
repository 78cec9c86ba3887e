//! Organizations, users, permissions, groups, applications, Embedded tokens and the user behind
//! the credentials, through the SDK against the mock: every operation, and the failure that
//! matters for each (a missing resource named by kind and ID, input refused before anything is
//! sent, secrets that never show).

use airbyte::cloud::{AccessScope, ResourceKind};
use airbyte::mock::{DEFAULT_BASIC_PASSWORD, DEFAULT_BASIC_USER, default_world};
use airbyte::models::{
    ApplicationId, GroupId, GroupPermissionCreateRequest, OrganizationId, PermissionCreateRequest,
    PermissionId, PermissionScope, PermissionType, WorkspaceId,
};
use airbyte::prelude::*;
use airbyte_e2e::*;

fn staging_id() -> WorkspaceId {
    STAGING.parse().unwrap()
}

fn engineers() -> GroupId {
    default_world::DATA_ENGINEERS_GROUP_ID.parse().unwrap()
}

// Organizations and users.

#[tokio::test]
async fn organizations_are_listed_with_their_email() {
    let server = mock().await;
    let organizations = workspace(&server).list_organizations().await.unwrap();
    let acme = organizations
        .iter()
        .find(|listed| listed.organization_id == organization())
        .expect("the operator's organization is listed");
    assert_eq!(acme.organization_name, "Acme Data");
    assert_eq!(acme.email, "data-platform@acme.example");
    let by_name = workspace(&server)
        .list_organizations()
        .name("Acme Data")
        .first()
        .await
        .unwrap();
    assert_eq!(by_name.as_ref(), Some(acme));
}

#[tokio::test]
async fn users_of_an_organization_are_listed_and_filtered_by_id_and_email() {
    let server = mock().await;
    let workspace = workspace(&server);
    let all = workspace.list_users(&organization()).await.unwrap();
    let names: Vec<&str> = all.iter().map(|user| user.name.as_str()).collect();
    assert!(
        names.contains(&"Ada Admin") && names.contains(&"Dave Member"),
        "{names:?}"
    );
    assert!(
        !names.contains(&"Erin Initech"),
        "a user of another organization: {names:?}"
    );

    let carol = user(default_world::CAROL_USER_ID);
    let by_id = workspace
        .list_users(&organization())
        .ids([&carol])
        .await
        .unwrap();
    assert_eq!(by_id.len(), 1);
    assert_eq!(by_id[0].email, "carol@acme.example");

    let by_email = workspace
        .fetch_user_by_email(&organization(), "BOB@acme.example")
        .await
        .unwrap()
        .expect("Bob is found whatever the case");
    assert_eq!(by_email.id, default_world::BOB_USER_ID);
    let nobody = workspace
        .fetch_user_by_email(&organization(), "nobody@acme.example")
        .await
        .unwrap();
    assert_eq!(nobody, None);
}

#[tokio::test]
async fn an_email_filter_that_is_not_an_address_is_refused_before_it_is_sent() {
    let server = mock().await;
    let error = workspace(&server)
        .list_users(&organization())
        .emails(["bob"])
        .await
        .unwrap_err();
    assert_invalid(&error, "not an email address");
    assert_eq!(requests(&server, "GET", "/users"), 0);
}

#[tokio::test]
async fn the_users_of_an_unknown_organization_name_it() {
    let server = mock().await;
    let unknown = "0b0f2e52-6c8a-4d3e-9a4e-2f0c61b0a0ff";
    let error = workspace(&server)
        .list_users(&unknown.parse().unwrap())
        .await
        .unwrap_err();
    assert_missing(&error, ResourceKind::Organization, unknown);
}

// Permissions.

#[tokio::test]
async fn permissions_are_listed_by_user_and_by_organization_with_open_types() {
    let server = mock().await;
    let workspace = workspace(&server);
    let own = workspace.list_permissions().await.unwrap();
    assert!(
        own.iter()
            .all(|permission| permission.user_id == default_world::OPERATOR_USER_ID),
        "{own:?}"
    );
    assert!(
        own.iter()
            .any(|permission| permission.permission_type == PermissionType::OrganizationAdmin)
    );

    let dave = user(default_world::DAVE_USER_ID);
    let daves = workspace
        .list_permissions()
        .user(&dave)
        .organization(&organization())
        .await
        .unwrap();
    assert_eq!(daves.len(), 1, "{daves:?}");
    // A type the specifications do not list decodes as itself.
    assert_eq!(daves[0].permission_type, PermissionType::WorkspaceMember);
    assert_eq!(daves[0].scope, PermissionScope::Workspace);
    assert_eq!(daves[0].scope_id.as_deref(), Some(WORKSPACE));

    let in_organization = workspace
        .list_permissions()
        .organization(&organization())
        .await
        .unwrap();
    let holders: std::collections::HashSet<_> = in_organization
        .iter()
        .map(|permission| permission.user_id.to_string())
        .collect();
    assert!(holders.contains(default_world::BOB_USER_ID));
    assert!(!holders.contains(default_world::ERIN_USER_ID));
}

#[tokio::test]
async fn a_permission_is_granted_read_changed_and_revoked() {
    let server = mock().await;
    let workspace = workspace(&server);
    let dave = user(default_world::DAVE_USER_ID);
    let granted = workspace
        .create_permission(&PermissionCreateRequest::on_workspace(
            dave.clone(),
            PermissionType::WorkspaceReader,
            staging_id(),
        ))
        .await
        .unwrap();
    assert_eq!(granted.permission_type, PermissionType::WorkspaceReader);
    assert_eq!(granted.workspace_id, Some(staging_id()));

    let read = workspace
        .fetch_permission(&granted.permission_id)
        .await
        .unwrap();
    assert_eq!(read, granted);

    let changed = workspace
        .update_permission(&granted.permission_id, PermissionType::WorkspaceEditor)
        .await
        .unwrap();
    assert_eq!(changed.permission_type, PermissionType::WorkspaceEditor);

    workspace
        .delete_permission(&granted.permission_id)
        .await
        .unwrap();
    let error = workspace
        .fetch_permission(&granted.permission_id)
        .await
        .unwrap_err();
    assert_missing(
        &error,
        ResourceKind::Permission,
        granted.permission_id.as_str(),
    );
    // Revoking it again is not an error: it is gone either way.
    workspace
        .delete_permission(&granted.permission_id)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_permission_that_cannot_be_granted_is_refused_before_it_is_sent() {
    let server = mock().await;
    let workspace = workspace(&server);
    let dave = user(default_world::DAVE_USER_ID);
    let owner = PermissionCreateRequest::on_workspace(
        dave.clone(),
        PermissionType::WorkspaceOwner,
        staging_id(),
    );
    assert_invalid(
        &workspace.create_permission(&owner).await.unwrap_err(),
        "cannot be granted",
    );
    let misplaced = PermissionCreateRequest::on_workspace(
        dave,
        PermissionType::OrganizationReader,
        staging_id(),
    );
    assert_invalid(
        &workspace.create_permission(&misplaced).await.unwrap_err(),
        "needs an organization ID",
    );
    assert_eq!(requests(&server, "POST", "/permissions"), 0);
}

#[tokio::test]
async fn a_change_to_a_type_of_another_scope_is_refused_before_anything_changes() {
    let server = mock().await;
    let workspace = workspace(&server);
    // Bob's workspace_admin permission on Production.
    let bobs: PermissionId = "6f2b1d4c-8e3a-4f9b-8c7d-2e3f4a5b6c03".parse().unwrap();
    let error = workspace
        .update_permission(&bobs, PermissionType::OrganizationEditor)
        .await
        .unwrap_err();
    assert_invalid(&error, "does not apply to a workspace");
    let error = workspace
        .update_permission(&bobs, PermissionType::from_wire("workspace_overlord"))
        .await
        .unwrap_err();
    assert_invalid(&error, "cannot be granted");
    assert_eq!(requests(&server, "PATCH", bobs.as_str()), 0);
    let unchanged = workspace.fetch_permission(&bobs).await.unwrap();
    assert_eq!(unchanged.permission_type, PermissionType::WorkspaceAdmin);
}

#[tokio::test]
async fn the_last_administrator_of_an_organization_keeps_the_permission() {
    let server = mock().await;
    let only_admin: PermissionId = default_world::OPERATOR_PERMISSION_ID.parse().unwrap();
    let error = workspace(&server)
        .delete_permission(&only_admin)
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), 409, "{error}");
    workspace(&server)
        .fetch_permission(&only_admin)
        .await
        .unwrap();
}

#[tokio::test]
async fn an_unknown_permission_is_missing_by_kind_and_id() {
    let server = mock().await;
    let unknown = "6f2b1d4c-8e3a-4f9b-8c7d-2e3f4a5b6cff";
    let workspace = workspace(&server);
    let error = workspace
        .fetch_permission(&unknown.parse().unwrap())
        .await
        .unwrap_err();
    assert_missing(&error, ResourceKind::Permission, unknown);
    let error = workspace
        .update_permission(&unknown.parse().unwrap(), PermissionType::WorkspaceReader)
        .await
        .unwrap_err();
    assert_missing(&error, ResourceKind::Permission, unknown);
}

// Groups.

#[tokio::test]
async fn a_group_is_created_read_changed_and_deleted() {
    let server = mock().await;
    let workspace = workspace(&server);
    let created = workspace
        .create_group(&organization(), "analysts-delete-me")
        .description("Read the reports")
        .await
        .unwrap();
    assert_eq!(created.name, "analysts-delete-me");
    assert_eq!(created.description.as_deref(), Some("Read the reports"));
    assert_eq!(created.member_count, 0);

    let listed = workspace
        .list_groups(&organization())
        .name("analysts-delete-me")
        .first()
        .await
        .unwrap();
    assert_eq!(listed.as_ref(), Some(&created));
    assert_eq!(
        workspace.fetch_group(&created.group_id).await.unwrap(),
        created
    );

    let renamed = workspace
        .update_group(&created.group_id)
        .name("readers-delete-me")
        .await
        .unwrap();
    assert_eq!(renamed.name, "readers-delete-me");
    assert_eq!(renamed.description.as_deref(), Some("Read the reports"));

    workspace
        .delete_group(&created.group_id, true)
        .await
        .unwrap();
    let error = workspace.fetch_group(&created.group_id).await.unwrap_err();
    assert_missing(&error, ResourceKind::Group, created.group_id.as_str());
    // Gone is gone: a second delete is not an error.
    workspace
        .delete_group(&created.group_id, true)
        .await
        .unwrap();
}

#[tokio::test]
async fn safe_mode_keeps_a_group_whose_name_does_not_say_delete_me() {
    let server = mock().await;
    let error = workspace(&server)
        .delete_group(&engineers(), true)
        .await
        .unwrap_err();
    assert_safe_mode_refused(&error, ResourceKind::Group);
    assert_eq!(requests(&server, "DELETE", engineers().as_str()), 0);
}

#[tokio::test]
async fn a_group_change_without_anything_to_change_or_a_blank_name_is_refused_before_it_is_sent() {
    let server = mock().await;
    let workspace = workspace(&server);
    assert_invalid(
        &workspace.update_group(&engineers()).await.unwrap_err(),
        "nothing to change",
    );
    assert_invalid(
        &workspace
            .update_group(&engineers())
            .name("  ")
            .await
            .unwrap_err(),
        "must not be empty",
    );
    assert_invalid(
        &workspace
            .create_group(&organization(), " ")
            .await
            .unwrap_err(),
        "must not be empty",
    );
    assert_eq!(writes(&server), 0);
}

#[tokio::test]
async fn a_group_managed_by_scim_is_not_changed() {
    let server = mock().await;
    let scim: GroupId = default_world::SCIM_GROUP_ID.parse().unwrap();
    let error = workspace(&server)
        .update_group(&scim)
        .description("renamed by hand")
        .await
        .unwrap_err();
    assert!((400..500).contains(&status_of(&error)), "{error}");
    let group = workspace(&server).fetch_group(&scim).await.unwrap();
    assert_eq!(group.description.as_deref(), Some("Managed in Okta"));
}

#[tokio::test]
async fn group_members_are_added_listed_and_removed() {
    let server = mock().await;
    let workspace = workspace(&server);
    let dave = user(default_world::DAVE_USER_ID);
    let added = workspace
        .add_group_member(&engineers(), &dave)
        .await
        .unwrap();
    assert_eq!(added.user_id, dave);
    assert_eq!(added.user_email, "dave@acme.example");
    let members = workspace.list_group_members(&engineers()).await.unwrap();
    let emails: Vec<&str> = members
        .iter()
        .map(|member| member.user_email.as_str())
        .collect();
    assert_eq!(emails.len(), 3, "{emails:?}");
    assert!(emails.contains(&"dave@acme.example"));
    let again = workspace
        .add_group_member(&engineers(), &dave)
        .await
        .unwrap_err();
    assert_eq!(status_of(&again), 409, "{again}");

    workspace
        .remove_group_member(&engineers(), &dave)
        .await
        .unwrap();
    let members = workspace
        .list_group_members(&engineers())
        .name("Dave Member")
        .await
        .unwrap();
    assert!(members.is_empty());
    let not_a_member = workspace
        .remove_group_member(&engineers(), &dave)
        .await
        .unwrap_err();
    assert!(not_a_member.is_not_found(), "{not_a_member}");
}

#[tokio::test]
async fn the_members_and_permissions_of_an_unknown_group_name_it() {
    let server = mock().await;
    let unknown = "7a3c2e5d-9f4b-4a0c-9d8e-3f4a5b6c7dff";
    let group: GroupId = unknown.parse().unwrap();
    let workspace = workspace(&server);
    let error = workspace.list_group_members(&group).await.unwrap_err();
    assert_missing(&error, ResourceKind::Group, unknown);
    let error = workspace.list_group_permissions(&group).await.unwrap_err();
    assert_missing(&error, ResourceKind::Group, unknown);
    let error = workspace
        .delete_group_permission(
            &group,
            &"6f2b1d4c-8e3a-4f9b-8c7d-2e3f4a5b6c08".parse().unwrap(),
        )
        .await
        .unwrap_err();
    assert_missing(&error, ResourceKind::Group, unknown);
    let error = workspace
        .create_group_permission(
            &group,
            &GroupPermissionCreateRequest::on_workspace(
                PermissionType::WorkspaceReader,
                WORKSPACE.parse().unwrap(),
            ),
        )
        .await
        .unwrap_err();
    assert_missing(&error, ResourceKind::Group, unknown);
    let error = workspace
        .add_group_member(&group, &user(default_world::CAROL_USER_ID))
        .await
        .unwrap_err();
    assert_missing(&error, ResourceKind::Group, unknown);
    let error = workspace
        .remove_group_member(&group, &user(default_world::CAROL_USER_ID))
        .await
        .unwrap_err();
    assert_missing(&error, ResourceKind::Group, unknown);
}

#[tokio::test]
async fn adding_an_unknown_user_to_a_group_names_the_user() {
    let server = mock().await;
    let unknown = "7a3c2e5d-9f4b-4a0c-9d8e-3f4a5b6c7dee";
    let error = workspace(&server)
        .add_group_member(&engineers(), &user(unknown))
        .await
        .unwrap_err();
    assert_missing(&error, ResourceKind::User, unknown);
}

#[tokio::test]
async fn group_permissions_are_granted_listed_and_revoked() {
    let server = mock().await;
    let workspace = workspace(&server);
    let before = workspace
        .list_group_permissions(&engineers())
        .await
        .unwrap();
    assert!(!before.is_empty(), "the group is editor of Staging");
    let granted = workspace
        .create_group_permission(
            &engineers(),
            &GroupPermissionCreateRequest::on_workspace(
                PermissionType::WorkspaceReader,
                WORKSPACE.parse().unwrap(),
            ),
        )
        .await
        .unwrap();
    assert_eq!(granted.group_id, engineers());
    let after = workspace
        .list_group_permissions(&engineers())
        .await
        .unwrap();
    assert_eq!(after.len(), before.len() + 1);
    assert!(after.contains(&granted));

    workspace
        .delete_group_permission(&engineers(), &granted.permission_id)
        .await
        .unwrap();
    let last = workspace
        .list_group_permissions(&engineers())
        .await
        .unwrap();
    assert_eq!(last, before);
}

#[tokio::test]
async fn a_group_permission_whose_scope_does_not_fit_is_refused_before_it_is_sent() {
    let server = mock().await;
    let workspace = workspace(&server);
    let misplaced = GroupPermissionCreateRequest::on_organization(
        PermissionType::WorkspaceEditor,
        organization(),
    );
    assert_invalid(
        &workspace
            .create_group_permission(&engineers(), &misplaced)
            .await
            .unwrap_err(),
        "needs a workspace ID",
    );
    let owner =
        GroupPermissionCreateRequest::on_workspace(PermissionType::WorkspaceOwner, staging_id());
    assert_invalid(
        &workspace
            .create_group_permission(&engineers(), &owner)
            .await
            .unwrap_err(),
        "cannot be granted",
    );
    assert_eq!(writes(&server), 0);
}

#[tokio::test]
async fn a_group_permission_on_another_organization_is_refused_before_it_is_sent() {
    let server = mock().await;
    let other: OrganizationId = default_world::OTHER_ORGANIZATION_ID.parse().unwrap();
    let request =
        GroupPermissionCreateRequest::on_organization(PermissionType::OrganizationReader, other);
    assert_invalid(
        &workspace(&server)
            .create_group_permission(&engineers(), &request)
            .await
            .unwrap_err(),
        default_world::OTHER_ORGANIZATION_ID,
    );
    assert_eq!(writes(&server), 0);
}

#[tokio::test]
async fn a_group_permission_on_a_workspace_of_another_organization_is_refused_before_it_is_sent() {
    let server = mock().await;
    let workspace = workspace(&server);
    let other: OrganizationId = default_world::OTHER_ORGANIZATION_ID.parse().unwrap();
    let initech = workspace
        .create_workspace("Initech reports")
        .organization(other)
        .await
        .unwrap();
    let before = writes(&server);
    let request = GroupPermissionCreateRequest::on_workspace(
        PermissionType::WorkspaceReader,
        initech.workspace_id.clone(),
    );
    let error = workspace
        .create_group_permission(&engineers(), &request)
        .await
        .unwrap_err();
    assert_invalid(&error, default_world::OTHER_ORGANIZATION_ID);
    assert!(
        error.to_string().contains(initech.workspace_id.as_str()),
        "{error}"
    );
    assert_eq!(writes(&server), before, "nothing was sent");
    // A workspace of the group's own organization is still granted.
    let staging =
        GroupPermissionCreateRequest::on_workspace(PermissionType::WorkspaceReader, staging_id());
    workspace
        .create_group_permission(&engineers(), &staging)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_group_permission_on_an_unknown_workspace_names_the_workspace() {
    let server = mock().await;
    let unknown = "9e4a3c1d-1b2f-4c5d-8e6f-7a8b9c0d1eff";
    let request = GroupPermissionCreateRequest::on_workspace(
        PermissionType::WorkspaceReader,
        unknown.parse().unwrap(),
    );
    let error = workspace(&server)
        .create_group_permission(&engineers(), &request)
        .await
        .unwrap_err();
    assert_missing(&error, ResourceKind::Workspace, unknown);
    assert_eq!(writes(&server), 0);
}

#[tokio::test]
async fn without_the_config_api_a_group_permission_on_a_workspace_is_left_to_the_server() {
    // The workspace's organization cannot be read: the grant is sent, and the server judges.
    let server = mock().await;
    let workspace = builder(&server).without_config_api().build().unwrap();
    let request =
        GroupPermissionCreateRequest::on_workspace(PermissionType::WorkspaceReader, staging_id());
    let granted = workspace
        .create_group_permission(&engineers(), &request)
        .await
        .unwrap();
    assert_eq!(granted.workspace_id, Some(staging_id()));
}

// Applications.

#[tokio::test]
async fn an_application_hands_out_its_secret_once_on_creation() {
    let server = mock().await;
    let workspace = workspace(&server);
    let created = workspace.create_application("ci-delete-me").await.unwrap();
    let secret = created.client_secret.expose_secret().to_owned();
    assert!(!secret.is_empty());
    assert!(!format!("{created:?}").contains(&secret), "{created:?}");

    let listed = workspace.list_applications().await.unwrap();
    assert!(listed.contains(&created.application));
    let json = serde_json::to_string(&listed).unwrap();
    assert!(!json.contains(&secret), "{json}");
    let read = workspace
        .fetch_application(&created.application.id)
        .await
        .unwrap();
    assert_eq!(read, created.application);
    assert!(!serde_json::to_string(&read).unwrap().contains(&secret));
}

#[tokio::test]
async fn a_created_application_builds_a_workspace_that_mints_its_own_tokens() {
    let server = mock().await;
    let created = workspace(&server)
        .create_application("deploys")
        .await
        .unwrap();
    let tokens_before = requests(&server, "POST", "/applications/token");
    let as_application = builder(&server).application(&created).build().unwrap();
    let user = as_application.current_user().await.unwrap();
    assert_eq!(user.user_id, default_world::OPERATOR_USER_ID);
    as_application.connect().await.unwrap();
    assert!(requests(&server, "POST", "/applications/token") > tokens_before);

    // The same credentials, for a transport client of one's own.
    let client = airbyte::transport::Client::builder()
        .api_root(server.public_api_root())
        .credentials(created.credentials())
        .retry(fast_retry())
        .build()
        .unwrap();
    client.check_credentials().await.unwrap();
}

#[tokio::test]
async fn a_deleted_application_mints_no_more_tokens() {
    let server = mock().await;
    let workspace = workspace(&server);
    let created = workspace
        .create_application("short-lived-delete-me")
        .await
        .unwrap();
    let as_application = builder(&server).application(&created).build().unwrap();
    as_application.connect().await.unwrap();
    workspace
        .delete_application(&created.application.id, true)
        .await
        .unwrap();
    assert_eq!(status_of(&as_application.connect().await.unwrap_err()), 401);
    let error = workspace
        .fetch_application(&created.application.id)
        .await
        .unwrap_err();
    assert_missing(
        &error,
        ResourceKind::Application,
        created.application.id.as_str(),
    );
}

#[tokio::test]
async fn safe_mode_keeps_an_application_whose_name_does_not_say_delete_me() {
    let server = mock().await;
    let workspace = workspace(&server);
    let created = workspace
        .create_application("production-sync")
        .await
        .unwrap();
    let error = workspace
        .delete_application(&created.application.id, true)
        .await
        .unwrap_err();
    assert_safe_mode_refused(&error, ResourceKind::Application);
    workspace
        .fetch_application(&created.application.id)
        .await
        .unwrap();
}

#[tokio::test]
async fn another_users_application_is_missing_and_a_blank_name_is_refused() {
    let server = mock().await;
    let workspace = workspace(&server);
    let carols: ApplicationId = default_world::CAROL_APPLICATION_ID.parse().unwrap();
    let error = workspace.fetch_application(&carols).await.unwrap_err();
    assert_missing(&error, ResourceKind::Application, carols.as_str());
    assert_invalid(
        &workspace.create_application(" ").await.unwrap_err(),
        "must not be empty",
    );
    assert_eq!(requests(&server, "POST", "/applications"), 0);
}

// Embedded.

#[tokio::test]
async fn a_widget_token_is_issued_for_an_end_user() {
    let server = mock().await;
    let token = workspace(&server)
        .create_widget_token(&organization(), "customer-42", "https://app.example.com")
        .await
        .unwrap();
    assert!(!token.is_empty());
    assert!(!format!("{token:?}").contains(token.expose_secret()));
}

#[tokio::test]
async fn a_widget_token_for_a_bad_origin_or_no_user_is_refused_before_it_is_sent() {
    let server = mock().await;
    let workspace = workspace(&server);
    assert_invalid(
        &workspace
            .create_widget_token(&organization(), "customer-42", "app.example.com")
            .await
            .unwrap_err(),
        "allowed origin",
    );
    assert_invalid(
        &workspace
            .create_widget_token(&organization(), " ", "https://app.example.com")
            .await
            .unwrap_err(),
        "external user ID",
    );
    assert_eq!(requests(&server, "POST", "/embedded/widget_token"), 0);
}

#[tokio::test]
async fn a_scoped_token_reaches_its_workspace_only() {
    let server = mock().await;
    let token = staging(&server).create_scoped_token().await.unwrap();
    let scoped = |workspace_id: &str| {
        CloudWorkspace::builder()
            .api_root(server.public_api_root())
            .workspace_id(workspace_id)
            .bearer_token(token.expose_secret())
            .retry(fast_retry())
            .build()
            .unwrap()
    };
    scoped(STAGING).connect().await.unwrap();
    let error = scoped(WORKSPACE).connect().await.unwrap_err();
    assert!(matches!(status_of(&error), 403 | 404), "{error}");
}

#[tokio::test]
async fn embedded_organizations_carry_the_callers_permission() {
    let server = mock().await;
    let organizations = workspace(&server)
        .list_embedded_organizations()
        .await
        .unwrap();
    let acme = organizations
        .iter()
        .find(|item| item.organization_id == organization())
        .unwrap();
    assert_eq!(acme.permission, PermissionType::OrganizationAdmin);
    let carols = carol_workspace(&server, STAGING)
        .list_embedded_organizations()
        .await
        .unwrap();
    assert_eq!(carols.len(), 1);
    assert_eq!(carols[0].permission, PermissionType::OrganizationMember);
}

// The user behind the credentials.

#[tokio::test]
async fn the_current_user_is_the_user_behind_the_token() {
    let server = mock().await;
    let ada = workspace(&server).current_user().await.unwrap();
    assert_eq!(ada.user_id, default_world::OPERATOR_USER_ID);
    assert_eq!(ada.email, "ada@acme.example");
    let carol = carol_workspace(&server, STAGING)
        .current_user()
        .await
        .unwrap();
    assert_eq!(carol.user_id, default_world::CAROL_USER_ID);
}

#[tokio::test]
async fn credentials_without_a_token_are_refused_before_the_config_api_is_asked() {
    let server = mock().await;
    let basic = CloudWorkspace::builder()
        .api_root(server.public_api_root())
        .workspace_id(WORKSPACE)
        .basic_auth(DEFAULT_BASIC_USER, DEFAULT_BASIC_PASSWORD)
        .build()
        .unwrap();
    assert_invalid(&basic.current_user().await.unwrap_err(), "basic");
    let opaque = CloudWorkspace::builder()
        .api_root(server.public_api_root())
        .workspace_id(WORKSPACE)
        .bearer_token("not-a-jwt")
        .build()
        .unwrap();
    assert_invalid(
        &opaque.set_default_workspace().await.unwrap_err(),
        "names a user",
    );
    assert_eq!(requests(&server, "POST", "/users/get_by_auth_id"), 0);
    assert_eq!(requests(&server, "POST", "/users/update"), 0);
}

#[tokio::test]
async fn the_default_workspace_is_read_and_set() {
    let server = mock().await;
    let production = workspace(&server);
    assert_eq!(
        production.fetch_default_workspace_id().await.unwrap(),
        Some(WORKSPACE.parse().unwrap())
    );
    let user = staging(&server).set_default_workspace().await.unwrap();
    assert_eq!(user.default_workspace_id, Some(staging_id()));
    assert_eq!(
        user.name.as_deref(),
        Some("Ada Admin"),
        "nothing else changed"
    );
    assert_eq!(
        production.fetch_default_workspace_id().await.unwrap(),
        Some(staging_id())
    );
}

#[tokio::test]
async fn a_default_workspace_the_user_does_not_reach_is_refused() {
    let server = mock().await;
    let error = carol_workspace(&server, WORKSPACE)
        .set_default_workspace()
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), 403, "{error}");
    let carol = carol_workspace(&server, STAGING)
        .current_user()
        .await
        .unwrap();
    assert_eq!(carol.default_workspace_id, None);
}

#[tokio::test]
async fn workspaces_are_listed_by_the_scope_of_the_permission_that_reaches_them() {
    let server = mock().await;
    let ada = workspace(&server);
    let through_organization = ada
        .accessible_workspaces(AccessScope::Organization)
        .await
        .unwrap();
    let names: Vec<&str> = through_organization
        .iter()
        .map(|access| access.workspace.name.as_str())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(through_organization.iter().all(|access| {
        access.scope == PermissionScope::Organization
            && access.permission_type == PermissionType::OrganizationAdmin
    }));
    assert!(
        ada.accessible_workspaces(AccessScope::Workspace)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        ada.accessible_workspaces(AccessScope::All).await.unwrap(),
        through_organization
    );

    // Carol is an organization member (which reaches no workspace) and reader of Staging.
    let carol = carol_workspace(&server, STAGING);
    let direct = carol.accessible_workspaces(AccessScope::All).await.unwrap();
    assert_eq!(direct.len(), 1, "{direct:?}");
    assert_eq!(direct[0].workspace.workspace_id, staging_id());
    assert_eq!(direct[0].permission_type, PermissionType::WorkspaceReader);
    assert_eq!(direct[0].scope, PermissionScope::Workspace);
    assert!(
        carol
            .accessible_workspaces(AccessScope::Organization)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_users_permissions_and_organizations_come_from_the_config_api() {
    let server = mock().await;
    let workspace = workspace(&server);
    let ada = user(default_world::OPERATOR_USER_ID);
    let permissions = workspace.fetch_user_permissions(&ada).await.unwrap();
    assert!(
        permissions
            .iter()
            .any(|permission| permission.permission_type == PermissionType::OrganizationAdmin)
    );
    let organizations = workspace.list_user_organizations(&ada).await.unwrap();
    assert_eq!(organizations.len(), 1);
    assert_eq!(organizations[0].organization_name, "Acme Data");
    let none = workspace
        .list_user_organizations(&ada)
        .name_contains("initech")
        .await
        .unwrap();
    assert!(none.is_empty());
    let unknown = "5e1a0c3b-7d2f-4e8a-9b6c-1d2e3f4a5bff";
    let error = workspace
        .fetch_user_permissions(&user(unknown))
        .await
        .unwrap_err();
    assert_missing(&error, ResourceKind::User, unknown);
}
