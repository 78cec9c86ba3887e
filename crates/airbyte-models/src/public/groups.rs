//! Groups of users in an organization, their members and the permissions they grant.

use serde::{Deserialize, Serialize};

use crate::{
    GroupId, ListResponse, OrganizationId, PermissionId, PermissionType, UserId, WorkspaceId,
};

/// A group (`GET /groups/{groupId}` and the other group routes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupResponse {
    /// The group's ID.
    pub group_id: GroupId,
    /// The name, unique within the organization.
    pub name: String,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The organization the group belongs to.
    pub organization_id: OrganizationId,
    /// How many users are members.
    #[serde(default)]
    pub member_count: i64,
}

/// A page of groups (`GET /groups`).
pub type GroupsResponse = ListResponse<GroupResponse>;

/// The body of `POST /groups`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupCreateRequest {
    /// The name, unique within the organization.
    pub name: String,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The organization to create the group in.
    pub organization_id: OrganizationId,
}

/// The body of `PATCH /groups/{groupId}`: absent fields stay unchanged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupUpdateRequest {
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A new description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A member of a group (`GroupMemberResponse`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupMemberResponse {
    /// The ID of the membership itself.
    pub member_id: String,
    /// The group.
    pub group_id: GroupId,
    /// The user.
    pub user_id: UserId,
    /// The user's email address.
    #[serde(default)]
    pub user_email: String,
    /// The user's name.
    #[serde(default)]
    pub user_name: String,
}

/// A page of the members of a group (`GET /groups/{groupId}/members`).
pub type GroupMembersResponse = ListResponse<GroupMemberResponse>;

/// The body of `POST /groups/{groupId}/members`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupMemberAddRequest {
    /// The user to add; a user of the group's organization.
    pub user_id: UserId,
}

/// A permission a group grants its members (`GroupPermissionResponse`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupPermissionResponse {
    /// The permission's ID.
    pub permission_id: PermissionId,
    /// The group.
    pub group_id: GroupId,
    /// What it entitles the members to.
    pub permission_type: PermissionType,
    /// The workspace, for a workspace permission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<WorkspaceId>,
    /// The organization, for an organization permission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<OrganizationId>,
}

/// The answer of `GET /groups/{groupId}/permissions` (not paginated).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupPermissionsResponse {
    /// The permissions.
    #[serde(default)]
    pub data: Vec<GroupPermissionResponse>,
}

/// The body of `POST /groups/{groupId}/permissions`: a workspace type with `workspace_id`, or
/// an organization type with `organization_id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupPermissionCreateRequest {
    /// What to grant.
    pub permission_type: PermissionType,
    /// The workspace, for a workspace type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<WorkspaceId>,
    /// The organization, for an organization type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<OrganizationId>,
}

impl GroupPermissionCreateRequest {
    /// Grants a workspace permission to the group's members.
    #[must_use]
    pub fn on_workspace(permission_type: PermissionType, workspace_id: WorkspaceId) -> Self {
        Self {
            permission_type,
            workspace_id: Some(workspace_id),
            organization_id: None,
        }
    }

    /// Grants an organization permission to the group's members.
    #[must_use]
    pub fn on_organization(
        permission_type: PermissionType,
        organization_id: OrganizationId,
    ) -> Self {
        Self {
            permission_type,
            workspace_id: None,
            organization_id: Some(organization_id),
        }
    }

    /// Why the server would refuse the request, when that is clear without asking it: a scope
    /// that does not fit the type (the specification's `oneOf`).
    #[must_use]
    pub fn problem(&self) -> Option<String> {
        self.permission_type
            .scope_problem(self.workspace_id.is_some(), self.organization_id.is_some())
    }
}
