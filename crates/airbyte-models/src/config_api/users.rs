//! Users, their permissions and organizations, as the Config API describes them: the calls
//! behind "who am I", the default workspace and workspaces by privilege.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::macros::open_enum;
use crate::{OrganizationId, Pagination, UserId, WorkspaceId};

/// The body of `users/get_by_auth_id`: the identity-provider ID of a user, which is the `sub`
/// (or `user_id`) claim of the access token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserAuthIdRequest {
    /// The user's ID at the identity provider.
    pub auth_user_id: String,
    /// The identity provider (`keycloak`); not in the specification, sent by PyAirbyte.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_provider: Option<String>,
}

open_enum!(
    /// Where a user's account stands.
    UserStatus {
        /// Invited, not signed up yet.
        Invited = "invited",
        /// Signed up.
        Registered = "registered",
        /// Disabled.
        Disabled = "disabled",
    }
);

/// A user (`UserRead`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserRead {
    /// The user's ID.
    pub user_id: UserId,
    /// The name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The email address.
    #[serde(default)]
    pub email: String,
    /// The workspace the user lands in by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_workspace_id: Option<WorkspaceId>,
    /// The account status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<UserStatus>,
    /// The user's company.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// Whether the user wants the newsletter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub news: Option<bool>,
    /// Web UI settings.
    #[serde(default)]
    pub metadata: Value,
}

/// The body of `users/update`: absent fields stay unchanged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserUpdate {
    /// The user to change.
    pub user_id: UserId,
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new default workspace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_workspace_id: Option<WorkspaceId>,
    /// A new status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<UserStatus>,
    /// A new company name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// Whether the user wants the newsletter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub news: Option<bool>,
    /// New web UI settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

impl UserUpdate {
    /// Sets a user's default workspace, changing nothing else.
    #[must_use]
    pub fn default_workspace(user_id: UserId, workspace_id: WorkspaceId) -> Self {
        Self {
            user_id,
            name: None,
            default_workspace_id: Some(workspace_id),
            status: None,
            company_name: None,
            news: None,
            metadata: None,
        }
    }
}

/// `{"userId": ...}`: the body of `permissions/list_by_user`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserIdRequest {
    /// The user.
    pub user_id: UserId,
}

/// A permission as the Config API describes it (`PermissionRead`): the same fields, in the same
/// words, as the Public API's [`PermissionResponse`](crate::PermissionResponse), so the same
/// type.
pub type PermissionRead = crate::PermissionResponse;

/// The answer of `permissions/list_by_user`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionReadList {
    /// The permissions.
    #[serde(default)]
    pub permissions: Vec<PermissionRead>,
}

/// The body of `organizations/list_by_user_id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListOrganizationsByUserRequest {
    /// The user.
    pub user_id: UserId,
    /// The page; stop on a short page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pagination: Option<Pagination>,
    /// A server-side substring filter on names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_contains: Option<String>,
}

/// An organization as the Config API describes it (`OrganizationRead`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationRead {
    /// The organization's ID.
    pub organization_id: OrganizationId,
    /// The name.
    #[serde(default)]
    pub organization_name: String,
    /// The contact email.
    #[serde(default)]
    pub email: String,
    /// The single sign-on realm, when SSO is set up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso_realm: Option<String>,
}

/// The answer of `organizations/list_by_user_id`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationReadList {
    /// The organizations.
    #[serde(default)]
    pub organizations: Vec<OrganizationRead>,
}
