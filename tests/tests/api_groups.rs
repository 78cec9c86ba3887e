//! Groups through the transport: unique names, members of the organization only, SCIM groups
//! read-only, and permissions that reach the members.

use airbyte::mock::default_world;
use airbyte::models::ops::{ListParams, PageParams, public};
use airbyte::models::{
    GroupCreateRequest, GroupId, GroupMemberAddRequest, GroupPermissionCreateRequest,
    GroupUpdateRequest, OrganizationId, PermissionType, WorkspaceId,
};
use airbyte_e2e::*;

fn new_group(name: &str) -> GroupCreateRequest {
    GroupCreateRequest {
        name: name.to_owned(),
        description: Some("on call".to_owned()),
        organization_id: organization(),
    }
}

#[tokio::test]
async fn groups_are_created_listed_renamed_and_deleted() {
    let server = mock().await;
    let api = api(&server);
    let group = api
        .execute(public::groups::create(&new_group("Oncall")))
        .await
        .unwrap();
    assert_eq!((group.name.as_str(), group.member_count), ("Oncall", 0));
    let page = api
        .execute(public::groups::list(&organization(), PageParams::default()))
        .await
        .unwrap();
    let names: Vec<&str> = page.data.iter().map(|group| group.name.as_str()).collect();
    assert_eq!(names, ["Data engineers", "Okta: Analysts", "Oncall"]);
    let second = api
        .execute(public::groups::list(&organization(), PageParams::new(2, 2)))
        .await
        .unwrap();
    assert_eq!(second.data.len(), 1);
    assert!(
        second
            .previous
            .is_some_and(|link| link.contains("offset=0"))
    );
    let renamed = api
        .execute(public::groups::update(
            &group.group_id,
            &GroupUpdateRequest {
                name: Some("On call".to_owned()),
                description: None,
            },
        ))
        .await
        .unwrap();
    assert_eq!(renamed.name, "On call");
    assert_eq!(renamed.description.as_deref(), Some("on call"));
    api.execute(public::groups::delete(&group.group_id))
        .await
        .unwrap();
    assert_eq!(
        failed_with(api.execute(public::groups::get(&group.group_id)).await),
        404
    );
}

#[tokio::test]
async fn group_names_are_unique_in_their_organization() {
    let server = mock().await;
    let api = api(&server);
    let (status, title) = problem_of(
        api.execute(public::groups::create(&new_group("data ENGINEERS")))
            .await,
    );
    assert_eq!(
        (status, title.as_deref()),
        (409, Some("Group already exists"))
    );
    let other = api
        .execute(public::groups::create(&new_group("Finance")))
        .await
        .unwrap();
    assert_eq!(
        failed_with(
            api.execute(public::groups::update(
                &other.group_id,
                &GroupUpdateRequest {
                    name: Some("Data engineers".to_owned()),
                    description: None,
                },
            ))
            .await
        ),
        409
    );
}

#[tokio::test]
async fn members_are_added_listed_and_removed() {
    let server = mock().await;
    let api = api(&server);
    let engineers: GroupId = default_world::DATA_ENGINEERS_GROUP_ID.parse().unwrap();
    let dave = user(default_world::DAVE_USER_ID);
    let member = api
        .execute(public::groups::add_member(
            &engineers,
            &GroupMemberAddRequest {
                user_id: dave.clone(),
            },
        ))
        .await
        .unwrap();
    assert_eq!(member.user_email, "dave@acme.example");
    assert_eq!(member.user_name, "Dave Member");
    let (status, title) = problem_of(
        api.execute(public::groups::add_member(
            &engineers,
            &GroupMemberAddRequest {
                user_id: dave.clone(),
            },
        ))
        .await,
    );
    assert_eq!(
        (status, title.as_deref()),
        (409, Some("Group member already exists"))
    );
    let members = api
        .execute(public::groups::members(&engineers, PageParams::default()))
        .await
        .unwrap();
    assert_eq!(members.data.len(), 3);
    assert_eq!(
        api.execute(public::groups::get(&engineers))
            .await
            .unwrap()
            .member_count,
        3
    );
    api.execute(public::groups::remove_member(&engineers, &dave))
        .await
        .unwrap();
    assert_eq!(
        failed_with(
            api.execute(public::groups::remove_member(&engineers, &dave))
                .await
        ),
        404
    );
}

#[tokio::test]
async fn only_users_of_the_organization_join_its_groups() {
    let server = mock().await;
    let api = api(&server);
    let engineers: GroupId = default_world::DATA_ENGINEERS_GROUP_ID.parse().unwrap();
    let erin = GroupMemberAddRequest {
        user_id: user(default_world::ERIN_USER_ID),
    };
    assert_eq!(
        failed_with(
            api.execute(public::groups::add_member(&engineers, &erin))
                .await
        ),
        400
    );
    let nobody = GroupMemberAddRequest {
        user_id: user("00000000-0000-4000-8000-000000000000"),
    };
    assert_eq!(
        failed_with(
            api.execute(public::groups::add_member(&engineers, &nobody))
                .await
        ),
        404
    );
}

#[tokio::test]
async fn scim_groups_are_read_only() {
    let server = mock().await;
    let api = api(&server);
    let scim: GroupId = default_world::SCIM_GROUP_ID.parse().unwrap();
    assert_eq!(
        api.execute(public::groups::get(&scim))
            .await
            .unwrap()
            .member_count,
        1
    );
    let refused = [
        problem_of(
            api.execute(public::groups::update(
                &scim,
                &GroupUpdateRequest::default(),
            ))
            .await,
        ),
        problem_of(api.execute(public::groups::delete(&scim)).await),
        problem_of(
            api.execute(public::groups::add_member(
                &scim,
                &GroupMemberAddRequest {
                    user_id: user(default_world::BOB_USER_ID),
                },
            ))
            .await,
        ),
        problem_of(
            api.execute(public::groups::remove_member(
                &scim,
                &user(default_world::DAVE_USER_ID),
            ))
            .await,
        ),
    ];
    for (status, title) in refused {
        assert_eq!(
            (status, title.as_deref()),
            (409, Some("Group managed by SCIM"))
        );
    }
}

#[tokio::test]
async fn group_permissions_reach_the_members() {
    let server = mock().await;
    let api = api(&server);
    let carol = carol(&server);
    let production: WorkspaceId = WORKSPACE.parse().unwrap();
    assert_eq!(
        failed_with(carol.execute(public::workspaces::get(&production)).await),
        403
    );
    let engineers: GroupId = default_world::DATA_ENGINEERS_GROUP_ID.parse().unwrap();
    let granted = api
        .execute(public::groups::create_permission(
            &engineers,
            &GroupPermissionCreateRequest::on_workspace(
                PermissionType::WorkspaceReader,
                production.clone(),
            ),
        ))
        .await
        .unwrap();
    assert_eq!(granted.group_id, engineers);
    let listed = carol
        .execute(public::workspaces::list(&ListParams::default()))
        .await
        .unwrap();
    assert_eq!(listed.data.len(), 2, "{listed:?}");
    // The same permission twice is a conflict.
    let (status, title) = problem_of(
        api.execute(public::groups::create_permission(
            &engineers,
            &GroupPermissionCreateRequest::on_workspace(
                PermissionType::WorkspaceReader,
                production.clone(),
            ),
        ))
        .await,
    );
    assert_eq!(
        (status, title.as_deref()),
        (409, Some("Group permission already exists"))
    );
    let permissions = api
        .execute(public::groups::permissions(&engineers))
        .await
        .unwrap();
    assert_eq!(permissions.data.len(), 2);
    api.execute(public::groups::delete_permission(
        &engineers,
        &granted.permission_id,
    ))
    .await
    .unwrap();
    assert_eq!(
        failed_with(carol.execute(public::workspaces::get(&production)).await),
        403
    );
}

#[tokio::test]
async fn group_permissions_stay_inside_the_organization() {
    let server = mock().await;
    let api = api(&server);
    let engineers: GroupId = default_world::DATA_ENGINEERS_GROUP_ID.parse().unwrap();
    let other: OrganizationId = default_world::OTHER_ORGANIZATION_ID.parse().unwrap();
    assert_eq!(
        failed_with(
            api.execute(public::groups::create_permission(
                &engineers,
                &GroupPermissionCreateRequest::on_organization(
                    PermissionType::OrganizationReader,
                    other
                ),
            ))
            .await
        ),
        400
    );
    // A type that does not fit its scope is never sent.
    let error = api
        .execute(public::groups::create_permission(
            &engineers,
            &GroupPermissionCreateRequest::on_organization(
                PermissionType::WorkspaceReader,
                organization(),
            ),
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(error, airbyte::transport::Error::InvalidInput { .. }),
        "{error}"
    );
}

#[tokio::test]
async fn members_of_the_organization_read_groups_but_only_admins_change_them() {
    let server = mock().await;
    let carol = carol(&server);
    let page = carol
        .execute(public::groups::list(&organization(), PageParams::default()))
        .await
        .unwrap();
    assert_eq!(page.data.len(), 2);
    assert_eq!(
        failed_with(
            carol
                .execute(public::groups::create(&new_group("Mine")))
                .await
        ),
        403
    );
    let other: OrganizationId = default_world::OTHER_ORGANIZATION_ID.parse().unwrap();
    assert_eq!(
        failed_with(
            carol
                .execute(public::groups::list(&other, PageParams::default()))
                .await
        ),
        403
    );
}
