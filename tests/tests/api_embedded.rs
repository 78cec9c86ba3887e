//! Airbyte Embedded through the transport: scoped tokens that reach one workspace, widget
//! tokens that give each external user a workspace of their own, and the caller's
//! organizations with its permission in each.

use airbyte::mock::default_world;
use airbyte::models::ops::{ListParams, public};
use airbyte::models::{
    EmbeddedScopedTokenRequest, EmbeddedWidgetRequest, OrganizationId, PermissionType, SourceId,
    WorkspaceId,
};
use airbyte::prelude::Credentials;
use airbyte_e2e::*;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

fn widget(external_user: &str) -> EmbeddedWidgetRequest {
    EmbeddedWidgetRequest {
        allowed_origin: "https://app.example.com".to_owned(),
        external_user_id: external_user.to_owned(),
        organization_id: default_world::ORGANIZATION_ID.parse().unwrap(),
    }
}

#[tokio::test]
async fn a_scoped_token_reaches_its_workspace_only() {
    let server = mock().await;
    let staging: WorkspaceId = STAGING.parse().unwrap();
    let token = api(&server)
        .execute(public::embedded::scoped_token(
            &EmbeddedScopedTokenRequest {
                workspace_id: staging.clone(),
            },
        ))
        .await
        .unwrap()
        .token;
    assert!(!format!("{token:?}").contains(token.expose_secret()));
    let scoped = api_as(&server, Credentials::bearer_token(token.expose_secret()));
    let listed = scoped
        .execute(public::workspaces::list(&ListParams::default()))
        .await
        .unwrap();
    assert_eq!(listed.data.len(), 1);
    assert_eq!(listed.data[0].workspace_id, staging);
    let production_source: SourceId = default_world::FAKER_SOURCE_ID.parse().unwrap();
    assert_eq!(
        failed_with(
            scoped
                .execute(public::sources::get(&production_source))
                .await
        ),
        403
    );
    // A scoped token reaches no organization.
    assert_eq!(
        failed_with(scoped.execute(public::embedded::organizations()).await),
        403
    );
}

#[tokio::test]
async fn a_scoped_token_of_an_unknown_or_unreachable_workspace_is_refused() {
    let server = mock().await;
    let unknown: WorkspaceId = "00000000-0000-4000-8000-00000000000f".parse().unwrap();
    assert_eq!(
        failed_with(
            api(&server)
                .execute(public::embedded::scoped_token(
                    &EmbeddedScopedTokenRequest {
                        workspace_id: unknown,
                    }
                ))
                .await
        ),
        404
    );
    let carol = carol(&server);
    assert_eq!(
        failed_with(
            carol
                .execute(public::embedded::scoped_token(
                    &EmbeddedScopedTokenRequest {
                        workspace_id: WORKSPACE.parse().unwrap(),
                    }
                ))
                .await
        ),
        403
    );
}

#[tokio::test]
async fn a_widget_token_gives_each_external_user_a_workspace() {
    let server = mock().await;
    let api = api(&server);
    let first = api
        .execute(public::embedded::widget_token(&widget("customer-42")))
        .await
        .unwrap();
    let decoded: serde_json::Value =
        serde_json::from_slice(&STANDARD.decode(first.token.expose_secret()).unwrap()).unwrap();
    let widget_url = decoded["widgetUrl"].as_str().unwrap();
    assert!(
        widget_url.contains("allowedOrigin=https%3A%2F%2Fapp%2Eexample%2Ecom"),
        "{widget_url}"
    );
    let inner = decoded["token"].as_str().unwrap();
    let scoped = api_as(&server, Credentials::bearer_token(inner));
    let listed = scoped
        .execute(public::workspaces::list(&ListParams::default()))
        .await
        .unwrap();
    assert_eq!(listed.data.len(), 1);
    assert_eq!(listed.data[0].name, "customer-42");
    assert!(widget_url.contains(listed.data[0].workspace_id.as_str()));
    // The same external user gets the same workspace; another one a new workspace.
    api.execute(public::embedded::widget_token(&widget("customer-42")))
        .await
        .unwrap();
    api.execute(public::embedded::widget_token(&widget("customer-43")))
        .await
        .unwrap();
    let all = api
        .execute(public::workspaces::list(&ListParams::default()))
        .await
        .unwrap();
    let names: Vec<&str> = all
        .data
        .iter()
        .map(|workspace| workspace.name.as_str())
        .collect();
    assert_eq!(
        names,
        ["Production", "Staging", "customer-42", "customer-43"]
    );
}

#[tokio::test]
async fn a_widget_token_needs_an_origin_and_an_organization_admin() {
    let server = mock().await;
    let mut bad_origin = widget("customer-1");
    bad_origin.allowed_origin = "https://app.example.com/embed".to_owned();
    assert_eq!(
        failed_with(
            api(&server)
                .execute(public::embedded::widget_token(&bad_origin))
                .await
        ),
        400
    );
    let mut unknown = widget("customer-1");
    unknown.organization_id = "00000000-0000-4000-8000-000000000010".parse().unwrap();
    assert_eq!(
        failed_with(
            api(&server)
                .execute(public::embedded::widget_token(&unknown))
                .await
        ),
        404
    );
    let carol = carol(&server);
    assert_eq!(
        failed_with(
            carol
                .execute(public::embedded::widget_token(&widget("customer-1")))
                .await
        ),
        403
    );
}

#[tokio::test]
async fn embedded_organizations_name_the_callers_permission() {
    let server = mock().await;
    let listed = api(&server)
        .execute(public::embedded::organizations())
        .await
        .unwrap();
    assert_eq!(listed.organizations.len(), 1);
    let acme: OrganizationId = default_world::ORGANIZATION_ID.parse().unwrap();
    assert_eq!(listed.organizations[0].organization_id, acme);
    assert_eq!(
        listed.organizations[0].permission,
        PermissionType::OrganizationAdmin
    );
    let carol = carol(&server);
    let hers = carol
        .execute(public::embedded::organizations())
        .await
        .unwrap();
    assert_eq!(
        hers.organizations[0].permission,
        PermissionType::OrganizationMember
    );
}
