//! Organizations: the workspace's organization with email and billing, its workspaces.

use airbyte::mock::default_world;
use airbyte::models::{OrganizationId, PaymentStatus, SubscriptionStatus};
use airbyte_e2e::*;

#[tokio::test]
async fn the_workspace_organization_has_name_email_and_billing() {
    let server = mock().await;
    let workspace = workspace(&server);
    let organization = workspace.organization().await.unwrap();
    assert_eq!(organization.id.as_str(), default_world::ORGANIZATION_ID);
    assert_eq!(organization.name, "Acme Data");
    assert_eq!(
        organization.email.as_deref(),
        Some("data-platform@acme.example")
    );
    assert_eq!(organization.payment_status(), Some(&PaymentStatus::Okay));
    assert_eq!(
        organization.subscription_status(),
        Some(&SubscriptionStatus::Subscribed)
    );
    assert!(!organization.is_account_locked());
    assert_eq!(workspace.try_organization().await, Some(organization));
}

#[tokio::test]
async fn an_organization_lists_its_workspaces() {
    let server = mock().await;
    let workspace = workspace(&server);
    let organization: OrganizationId = default_world::ORGANIZATION_ID.parse().unwrap();
    let all = workspace
        .list_organization_workspaces(&organization)
        .await
        .unwrap();
    assert_eq!(all.len(), 2);
    let staging = workspace
        .list_organization_workspaces(&organization)
        .name_contains("stag")
        .await
        .unwrap();
    assert_eq!(staging.len(), 1);
    assert_eq!(staging[0].name, "Staging");
}

#[tokio::test]
async fn without_the_config_api_the_organization_is_unavailable_but_not_fatal() {
    let server = mock().await;
    let workspace = builder(&server).without_config_api().build().unwrap();
    assert!(workspace.organization().await.is_err());
    assert_eq!(workspace.try_organization().await, None);
    workspace.connect().await.unwrap();
}
