//! Organization info and the workspaces of an organization.

use serde::{Deserialize, Serialize};

use crate::macros::open_enum;
use crate::{OrganizationId, WorkspaceId};

/// `{"workspaceId": ...}`: the body of `workspaces/get_organization_info` and `workspaces/get`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceIdRequest {
    /// The workspace.
    pub workspace_id: WorkspaceId,
    /// Whether to include a deleted workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub include_tombstone: Option<bool>,
}

/// `{"organizationId": ...}`: the body of `organizations/get_organization_info`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationIdRequest {
    /// The organization.
    pub organization_id: OrganizationId,
}

open_enum!(
    /// The payment status of an organization.
    PaymentStatus {
        /// No billing yet.
        Uninitialized = "uninitialized",
        /// Paid up.
        Okay = "okay",
        /// In a grace period.
        GracePeriod = "grace_period",
        /// Disabled.
        Disabled = "disabled",
        /// Locked: syncs do not run.
        Locked = "locked",
        /// Billed manually.
        Manual = "manual",
    }
);

open_enum!(
    /// The subscription status of an organization.
    SubscriptionStatus {
        /// Not subscribed yet.
        PreSubscription = "pre_subscription",
        /// Unsubscribed.
        Unsubscribed = "unsubscribed",
        /// Subscribed.
        Subscribed = "subscribed",
    }
);

open_enum!(
    /// The account type of an organization.
    AccountType {
        /// A free account.
        Free = "free",
        /// An internal account.
        Internal = "internal",
    }
);

/// Billing information of an organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationBilling {
    /// The payment status.
    pub payment_status: PaymentStatus,
    /// The subscription status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_status: Option<SubscriptionStatus>,
    /// The account type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_type: Option<AccountType>,
    /// When the grace period ends (epoch seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grace_period_ends_at: Option<i64>,
}

/// The answer of `workspaces/get_organization_info` and `organizations/get_organization_info`.
/// It has no email: that comes from the Public API's `GET /organizations`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationInfoRead {
    /// The organization's ID.
    pub organization_id: OrganizationId,
    /// The name.
    pub organization_name: String,
    /// Whether single sign-on is on.
    #[serde(default)]
    pub sso: bool,
    /// Whether SCIM provisioning is on.
    #[serde(default)]
    pub scim: bool,
    /// Billing information, where the server has it (Cloud).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing: Option<OrganizationBilling>,
    /// The plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_plan_id: Option<String>,
}

/// Page size and offset of a Config API list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    /// Rows per page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_size: Option<i32>,
    /// Rows to skip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_offset: Option<i32>,
}

/// The body of `workspaces/list_by_organization_id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListWorkspacesInOrganizationRequest {
    /// The organization.
    pub organization_id: OrganizationId,
    /// The page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// A server-side substring filter on names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_contains: Option<String>,
}

/// A workspace as the Config API describes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceRead {
    /// The workspace's ID.
    pub workspace_id: WorkspaceId,
    /// The organization.
    pub organization_id: OrganizationId,
    /// The customer ID.
    #[serde(default)]
    pub customer_id: String,
    /// The name.
    pub name: String,
    /// The slug.
    #[serde(default)]
    pub slug: String,
    /// Whether initial setup is complete.
    #[serde(default)]
    pub initial_setup_complete: bool,
    /// The contact email.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The data plane group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataplane_group_id: Option<String>,
    /// Whether the workspace is deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tombstone: Option<bool>,
}

/// The answer of `workspaces/list_by_organization_id`; stop paging on a short page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceReadList {
    /// The workspaces.
    #[serde(default)]
    pub workspaces: Vec<WorkspaceRead>,
}
