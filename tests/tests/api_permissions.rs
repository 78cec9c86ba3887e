//! Permissions and the users of an organization through the transport: types checked against
//! their scope (before sending where the model can tell), open types kept, the last admin
//! protected, other users' permissions only for organization admins.

use airbyte::mock::default_world;
use airbyte::models::ops::{PermissionListParams, UserListParams, public};
use airbyte::models::{
    OrganizationId, PermissionCreateRequest, PermissionId, PermissionScope, PermissionType,
    PermissionUpdateRequest, WorkspaceId,
};
use airbyte_e2e::*;

fn staging() -> WorkspaceId {
    STAGING.parse().unwrap()
}

#[tokio::test]
async fn a_permission_is_granted_updated_and_revoked() {
    let server = mock().await;
    let api = api(&server);
    let dave = user(default_world::DAVE_USER_ID);
    let granted = api
        .execute(public::permissions::create(
            &PermissionCreateRequest::on_workspace(
                dave.clone(),
                PermissionType::WorkspaceReader,
                staging(),
            ),
        ))
        .await
        .unwrap();
    assert_eq!(granted.permission_type, PermissionType::WorkspaceReader);
    assert_eq!(granted.workspace_id.as_ref(), Some(&staging()));
    let read = api
        .execute(public::permissions::get(&granted.permission_id))
        .await
        .unwrap();
    assert_eq!(read, granted);
    let updated = api
        .execute(public::permissions::update(
            &granted.permission_id,
            &PermissionUpdateRequest {
                permission_type: PermissionType::WorkspaceEditor,
            },
        ))
        .await
        .unwrap();
    assert_eq!(updated.permission_type, PermissionType::WorkspaceEditor);
    api.execute(public::permissions::delete(&granted.permission_id))
        .await
        .unwrap();
    assert_eq!(
        failed_with(
            api.execute(public::permissions::get(&granted.permission_id))
                .await
        ),
        404
    );
}

#[tokio::test]
async fn a_permission_reaches_its_workspace() {
    let server = mock().await;
    let carol = carol(&server);
    let production: WorkspaceId = WORKSPACE.parse().unwrap();
    assert_eq!(
        failed_with(carol.execute(public::workspaces::get(&production)).await),
        403
    );
    api(&server)
        .execute(public::permissions::create(
            &PermissionCreateRequest::on_workspace(
                user(default_world::CAROL_USER_ID),
                PermissionType::WorkspaceReader,
                production.clone(),
            ),
        ))
        .await
        .unwrap();
    // Her permissions are read at each request: the same token reaches Production now.
    assert_eq!(
        carol
            .execute(public::workspaces::get(&production))
            .await
            .unwrap()
            .name,
        "Production"
    );
}

#[tokio::test]
async fn types_that_do_not_fit_their_scope_are_refused() {
    let server = mock().await;
    let api = api(&server);
    // The model knows: nothing is sent.
    for request in [
        PermissionCreateRequest::on_workspace(
            user(default_world::DAVE_USER_ID),
            PermissionType::OrganizationAdmin,
            staging(),
        ),
        PermissionCreateRequest::on_organization(
            user(default_world::DAVE_USER_ID),
            PermissionType::InstanceAdmin,
            organization(),
        ),
        PermissionCreateRequest::on_workspace(
            user(default_world::DAVE_USER_ID),
            PermissionType::WorkspaceOwner,
            staging(),
        ),
    ] {
        let error = api
            .execute(public::permissions::create(&request))
            .await
            .unwrap_err();
        assert!(
            matches!(error, airbyte::transport::Error::InvalidInput { .. }),
            "{error}"
        );
    }
    assert_eq!(requests(&server, "POST", "/permissions"), 0);
    // The server knows too: an organization type on a workspace permission is a 400.
    let bob_on_production: PermissionId = "6f2b1d4c-8e3a-4f9b-8c7d-2e3f4a5b6c03".parse().unwrap();
    assert_eq!(
        failed_with(
            api.execute(public::permissions::update(
                &bob_on_production,
                &PermissionUpdateRequest {
                    permission_type: PermissionType::OrganizationEditor,
                },
            ))
            .await
        ),
        400
    );
    // A second permission of a user on the same workspace is refused.
    assert_eq!(
        failed_with(
            api.execute(public::permissions::create(
                &PermissionCreateRequest::on_workspace(
                    user(default_world::BOB_USER_ID),
                    PermissionType::WorkspaceReader,
                    WORKSPACE.parse().unwrap(),
                ),
            ))
            .await
        ),
        400
    );
}

#[tokio::test]
async fn unknown_users_and_scopes_are_not_found() {
    let server = mock().await;
    let api = api(&server);
    let nobody = user("00000000-0000-4000-8000-000000000000");
    assert_eq!(
        failed_with(
            api.execute(public::permissions::create(
                &PermissionCreateRequest::on_workspace(
                    nobody,
                    PermissionType::WorkspaceReader,
                    staging(),
                ),
            ))
            .await
        ),
        404
    );
    assert_eq!(
        failed_with(
            api.execute(public::permissions::create(
                &PermissionCreateRequest::on_organization(
                    user(default_world::DAVE_USER_ID),
                    PermissionType::OrganizationReader,
                    "00000000-0000-4000-8000-000000000001".parse().unwrap(),
                ),
            ))
            .await
        ),
        404
    );
}

#[tokio::test]
async fn the_last_organization_admin_stays() {
    let server = mock().await;
    let api = api(&server);
    let only_admin: PermissionId = default_world::OPERATOR_PERMISSION_ID.parse().unwrap();
    let (status, title) = problem_of(api.execute(public::permissions::delete(&only_admin)).await);
    assert_eq!((status, title.as_deref()), (409, Some("state-conflict")));
    assert_eq!(
        failed_with(
            api.execute(public::permissions::update(
                &only_admin,
                &PermissionUpdateRequest {
                    permission_type: PermissionType::OrganizationReader,
                },
            ))
            .await
        ),
        409
    );
    // With a second admin, the first may go.
    api.execute(public::permissions::update(
        &"6f2b1d4c-8e3a-4f9b-8c7d-2e3f4a5b6c02".parse().unwrap(),
        &PermissionUpdateRequest {
            permission_type: PermissionType::OrganizationAdmin,
        },
    ))
    .await
    .unwrap();
    api.execute(public::permissions::delete(&only_admin))
        .await
        .unwrap();
}

#[tokio::test]
async fn permission_lists_keep_types_the_specification_does_not_list() {
    let server = mock().await;
    let api = api(&server);
    let listed = api
        .execute(public::permissions::list(&PermissionListParams {
            organization_id: Some(organization()),
            ..PermissionListParams::default()
        }))
        .await
        .unwrap();
    let dave = listed
        .data
        .iter()
        .find(|permission| permission.user_id == default_world::DAVE_USER_ID)
        .expect("Dave's permission is listed");
    assert_eq!(dave.permission_type, PermissionType::WorkspaceMember);
    assert_eq!(dave.scope, PermissionScope::Workspace);
    assert_eq!(dave.scope_id.as_deref(), Some(WORKSPACE));
    // Only user permissions, only of the organization (not Erin's, not the groups').
    assert!(
        listed
            .data
            .iter()
            .all(|permission| permission.user_id != default_world::ERIN_USER_ID)
    );
    assert_eq!(listed.data.len(), 6);
    // Without filters: the caller's own.
    let own = api
        .execute(public::permissions::list(&PermissionListParams::default()))
        .await
        .unwrap();
    assert_eq!(own.data.len(), 1);
    assert_eq!(
        own.data[0].permission_type,
        PermissionType::OrganizationAdmin
    );
}

#[tokio::test]
async fn another_users_permissions_need_an_organization_admin() {
    let server = mock().await;
    let bob = user(default_world::BOB_USER_ID);
    let by_user = PermissionListParams {
        user_id: Some(bob.clone()),
        organization_id: None,
    };
    assert_eq!(
        failed_with(
            api(&server)
                .execute(public::permissions::list(&by_user))
                .await
        ),
        403
    );
    let in_organization = PermissionListParams {
        user_id: Some(bob),
        organization_id: Some(organization()),
    };
    let listed = api(&server)
        .execute(public::permissions::list(&in_organization))
        .await
        .unwrap();
    assert_eq!(listed.data.len(), 2);
    // Carol is no admin: refused, and she cannot grant herself anything either.
    let carol = carol(&server);
    assert_eq!(
        failed_with(
            carol
                .execute(public::permissions::list(&in_organization))
                .await
        ),
        403
    );
    assert_eq!(
        failed_with(
            carol
                .execute(public::permissions::create(
                    &PermissionCreateRequest::on_workspace(
                        user(default_world::CAROL_USER_ID),
                        PermissionType::WorkspaceAdmin,
                        WORKSPACE.parse().unwrap(),
                    ),
                ))
                .await
        ),
        403
    );
}

#[tokio::test]
async fn the_users_of_an_organization_are_filtered_by_id_and_email() {
    let server = mock().await;
    let api = api(&server);
    let all = api
        .execute(public::users::list(&UserListParams::in_organization(
            organization(),
        )))
        .await
        .unwrap();
    let names: Vec<&str> = all.data.iter().map(|user| user.name.as_str()).collect();
    assert_eq!(
        names,
        ["Ada Admin", "Bob Builder", "Carol Reader", "Dave Member"]
    );
    let by_id = api
        .execute(public::users::list(&UserListParams {
            ids: vec![user(default_world::BOB_USER_ID)],
            ..UserListParams::in_organization(organization())
        }))
        .await
        .unwrap();
    assert_eq!(by_id.data.len(), 1);
    assert_eq!(by_id.data[0].email, "bob@acme.example");
    let by_email = api
        .execute(public::users::list(&UserListParams {
            emails: vec!["CAROL@acme.example".to_owned()],
            ..UserListParams::in_organization(organization())
        }))
        .await
        .unwrap();
    assert_eq!(by_email.data[0].id, default_world::CAROL_USER_ID);
    let other: OrganizationId = default_world::OTHER_ORGANIZATION_ID.parse().unwrap();
    let initech = api
        .execute(public::users::list(&UserListParams::in_organization(other)))
        .await
        .unwrap();
    assert_eq!(initech.data.len(), 1);
    assert_eq!(initech.data[0].name, "Erin Initech");
}

#[tokio::test]
async fn users_of_an_unknown_or_unreachable_organization_are_refused() {
    let server = mock().await;
    let unknown: OrganizationId = "00000000-0000-4000-8000-00000000000a".parse().unwrap();
    assert_eq!(
        failed_with(
            api(&server)
                .execute(public::users::list(&UserListParams::in_organization(
                    unknown
                )))
                .await
        ),
        404
    );
    let other: OrganizationId = default_world::OTHER_ORGANIZATION_ID.parse().unwrap();
    assert_eq!(
        failed_with(
            carol(&server)
                .execute(public::users::list(&UserListParams::in_organization(other)))
                .await
        ),
        403
    );
}
