//! The Config API calls PyAirbyte 0.71.3 makes about the caller, through the transport: the
//! user behind the token (`users/get_by_auth_id`, from the token's `user_id` claim), its
//! default workspace (`users/update`), its permissions (`permissions/list_by_user`) and
//! organizations (`organizations/list_by_user_id`), and a source definition
//! (`source_definitions/get`).

use airbyte::mock::default_world;
use airbyte::models::ops::{config, public};
use airbyte::models::{
    AccessTokenRequest, DefinitionId, ListOrganizationsByUserRequest, Pagination, PermissionType,
    UserAuthIdRequest, UserId, UserStatus, UserUpdate, WorkspaceId,
};
use airbyte::prelude::Credentials;
use airbyte_e2e::*;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

fn by_auth_id(auth_user_id: &str) -> UserAuthIdRequest {
    UserAuthIdRequest {
        auth_user_id: auth_user_id.to_owned(),
        auth_provider: Some("keycloak".to_owned()),
    }
}

fn operator() -> UserId {
    default_world::OPERATOR_USER_ID.parse().unwrap()
}

#[tokio::test]
async fn the_user_behind_a_token_is_found_by_its_user_id_claim() {
    let server = mock().await;
    let token = api_as(&server, Credentials::None)
        .execute(public::auth::token(
            &AccessTokenRequest::client_credentials(
                airbyte::mock::DEFAULT_CLIENT_ID,
                airbyte::mock::DEFAULT_CLIENT_SECRET,
            ),
        ))
        .await
        .unwrap()
        .access_token;
    let payload = token.split('.').nth(1).unwrap();
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    let auth_user_id = claims["user_id"].as_str().unwrap();
    let user = api(&server)
        .execute(config::get_user_by_auth_id(&by_auth_id(auth_user_id)))
        .await
        .unwrap();
    assert_eq!(user.user_id, operator());
    assert_eq!(user.email, "ada@acme.example");
    assert_eq!(user.status, Some(UserStatus::Registered));
    assert_eq!(
        user.default_workspace_id.as_ref().map(WorkspaceId::as_str),
        Some(WORKSPACE)
    );
}

#[tokio::test]
async fn unknown_and_other_users_are_refused() {
    let server = mock().await;
    assert_eq!(
        failed_with(
            api(&server)
                .execute(config::get_user_by_auth_id(&by_auth_id("mock-auth|nobody")))
                .await
        ),
        404
    );
    let carol = carol(&server);
    let herself = carol
        .execute(config::get_user_by_auth_id(&by_auth_id("mock-auth|carol")))
        .await
        .unwrap();
    assert_eq!(herself.user_id, default_world::CAROL_USER_ID);
    assert_eq!(
        failed_with(
            carol
                .execute(config::get_user_by_auth_id(&by_auth_id("mock-auth|ada")))
                .await
        ),
        403
    );
    assert_eq!(
        failed_with(
            carol
                .execute(config::list_permissions_by_user(&operator()))
                .await
        ),
        403
    );
}

#[tokio::test]
async fn the_default_workspace_is_set_among_those_the_user_reaches() {
    let server = mock().await;
    let staging: WorkspaceId = STAGING.parse().unwrap();
    let updated = api(&server)
        .execute(config::update_user(&UserUpdate::default_workspace(
            operator(),
            staging.clone(),
        )))
        .await
        .unwrap();
    assert_eq!(updated.default_workspace_id, Some(staging));
    assert_eq!(
        updated.name.as_deref(),
        Some("Ada Admin"),
        "other fields unchanged"
    );
    let again = api(&server)
        .execute(config::get_user_by_auth_id(&by_auth_id("mock-auth|ada")))
        .await
        .unwrap();
    assert_eq!(again, updated);
    // Carol cannot make Production her default: she does not reach it.
    let carol = carol(&server);
    let carol_id: UserId = default_world::CAROL_USER_ID.parse().unwrap();
    assert_eq!(
        failed_with(
            carol
                .execute(config::update_user(&UserUpdate::default_workspace(
                    carol_id.clone(),
                    WORKSPACE.parse().unwrap(),
                )))
                .await
        ),
        403
    );
    assert_eq!(
        failed_with(
            carol
                .execute(config::update_user(&UserUpdate::default_workspace(
                    carol_id,
                    "00000000-0000-4000-8000-000000000011".parse().unwrap(),
                )))
                .await
        ),
        404
    );
}

#[tokio::test]
async fn a_users_permissions_and_organizations_are_listed() {
    let server = mock().await;
    let api = api(&server);
    let bob: UserId = default_world::BOB_USER_ID.parse().unwrap();
    let permissions = api
        .execute(config::list_permissions_by_user(&bob))
        .await
        .unwrap();
    let mut types: Vec<&PermissionType> = permissions
        .permissions
        .iter()
        .map(|permission| &permission.permission_type)
        .collect();
    types.sort_by_key(|kind| kind.as_str());
    assert_eq!(
        types,
        [
            &PermissionType::OrganizationMember,
            &PermissionType::WorkspaceAdmin
        ]
    );
    let request = |name: Option<&str>, page_size: Option<i32>, row_offset: Option<i32>| {
        ListOrganizationsByUserRequest {
            user_id: operator(),
            pagination: Some(Pagination {
                page_size,
                row_offset,
            }),
            name_contains: name.map(str::to_owned),
        }
    };
    let organizations = api
        .execute(config::list_organizations_by_user(&request(
            None,
            Some(100),
            Some(0),
        )))
        .await
        .unwrap();
    assert_eq!(organizations.organizations.len(), 1);
    assert_eq!(
        organizations.organizations[0].email,
        "data-platform@acme.example"
    );
    let past_the_end = api
        .execute(config::list_organizations_by_user(&request(
            None,
            Some(100),
            Some(1),
        )))
        .await
        .unwrap();
    assert!(past_the_end.organizations.is_empty());
    let filtered = api
        .execute(config::list_organizations_by_user(&request(
            Some("INITECH"),
            None,
            None,
        )))
        .await
        .unwrap();
    assert!(filtered.organizations.is_empty(), "Ada is not in Initech");
    let nobody: UserId = "00000000-0000-4000-8000-000000000012".parse().unwrap();
    assert_eq!(
        failed_with(api.execute(config::list_permissions_by_user(&nobody)).await),
        404
    );
}

#[tokio::test]
async fn a_source_definition_is_read_from_the_config_api() {
    let server = mock().await;
    let faker: DefinitionId = default_world::FAKER_DEFINITION_ID.parse().unwrap();
    let definition = api(&server)
        .execute(config::get_source_definition(&faker))
        .await
        .unwrap();
    assert_eq!(definition.name, "faker");
    assert!(!definition.custom);
    assert!(!definition.docker_repository.is_empty());
    let custom: DefinitionId = default_world::DOCKER_DEFINITION_ID.parse().unwrap();
    assert!(
        api(&server)
            .execute(config::get_source_definition(&custom))
            .await
            .unwrap()
            .custom
    );
    let destination: DefinitionId = default_world::DEV_NULL_DEFINITION_ID.parse().unwrap();
    assert_eq!(
        failed_with(
            api(&server)
                .execute(config::get_source_definition(&destination))
                .await
        ),
        404
    );
}
