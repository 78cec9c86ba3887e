//! Who may do what: applications, permissions, the users of an organization, groups, and the
//! tokens of Airbyte Embedded.

use super::super::{Operation, PageParams, PermissionListParams, UserListParams, registry};
use super::id;

/// Applications: client credentials that mint tokens acting as their creator.
pub mod applications {
    use super::*;
    use crate::{ApplicationCreate, ApplicationId, ApplicationRead, ApplicationReadList};

    /// `GET /applications`: the caller's applications, secrets included.
    #[must_use]
    pub fn list() -> Operation<ApplicationReadList> {
        Operation::new(registry::LIST_APPLICATIONS, vec![])
    }

    /// `POST /applications`. Not idempotent: a re-sent create makes a second application.
    #[must_use]
    pub fn create(request: &ApplicationCreate) -> Operation<ApplicationRead> {
        let refused = request
            .name
            .trim()
            .is_empty()
            .then(|| "an application needs a name".to_owned());
        Operation::new(registry::CREATE_APPLICATION, vec![])
            .json(request)
            .invalid_if(refused)
    }

    /// `GET /applications/{applicationId}`.
    #[must_use]
    pub fn get(application_id: &ApplicationId) -> Operation<ApplicationRead> {
        Operation::new(registry::GET_APPLICATION, vec![id(application_id)])
    }

    /// `DELETE /applications/{applicationId}`: answers 200 with the deleted application; its
    /// tokens stop working.
    #[must_use]
    pub fn delete(application_id: &ApplicationId) -> Operation<ApplicationRead> {
        Operation::new(registry::DELETE_APPLICATION, vec![id(application_id)])
    }
}

/// Permissions of users on workspaces and organizations.
pub mod permissions {
    use super::*;
    use crate::{
        PermissionCreateRequest, PermissionId, PermissionResponse, PermissionUpdateRequest,
        PermissionsResponse,
    };

    /// `GET /permissions` (not paginated).
    #[must_use]
    pub fn list(params: &PermissionListParams) -> Operation<PermissionsResponse> {
        Operation::new(registry::LIST_PERMISSIONS, vec![])
            .query_opt("userId", params.user_id.as_ref())
            .query_opt("organizationId", params.organization_id.as_ref())
    }

    /// `GET /permissions/{permissionId}`.
    #[must_use]
    pub fn get(permission_id: &PermissionId) -> Operation<PermissionResponse> {
        Operation::new(registry::GET_PERMISSION, vec![id(permission_id)])
    }

    /// `POST /permissions`. A type that cannot be granted, or a scope that does not fit the
    /// type, makes the operation invalid: it is never sent.
    #[must_use]
    pub fn create(request: &PermissionCreateRequest) -> Operation<PermissionResponse> {
        Operation::new(registry::CREATE_PERMISSION, vec![])
            .json(request)
            .invalid_if(request.problem())
    }

    /// `PATCH /permissions/{permissionId}`: a new type of the same scope.
    #[must_use]
    pub fn update(
        permission_id: &PermissionId,
        request: &PermissionUpdateRequest,
    ) -> Operation<PermissionResponse> {
        Operation::new(registry::UPDATE_PERMISSION, vec![id(permission_id)]).json(request)
    }

    /// `DELETE /permissions/{permissionId}` (204).
    #[must_use]
    pub fn delete(permission_id: &PermissionId) -> Operation<()> {
        Operation::new(registry::DELETE_PERMISSION, vec![id(permission_id)]).empty_response()
    }
}

/// The users of an organization.
pub mod users {
    use super::*;
    use crate::UsersResponse;

    /// `GET /users?organizationId=...` (not paginated), optionally only some users by ID or
    /// email address.
    #[must_use]
    pub fn list(params: &UserListParams) -> Operation<UsersResponse> {
        let op = Operation::new(registry::LIST_USERS_WITHIN_AN_ORGANIZATION, vec![])
            .query("organizationId", &params.organization_id);
        let op = params
            .ids
            .iter()
            .fold(op, |op, user_id| op.query("ids", user_id));
        params
            .emails
            .iter()
            .fold(op, |op, email| op.query("emails", email))
    }
}

/// Groups of users, their members and their permissions.
pub mod groups {
    use super::*;
    use crate::{
        GroupCreateRequest, GroupId, GroupMemberAddRequest, GroupMemberResponse,
        GroupMembersResponse, GroupPermissionCreateRequest, GroupPermissionResponse,
        GroupPermissionsResponse, GroupResponse, GroupUpdateRequest, GroupsResponse,
        OrganizationId, PermissionId, UserId,
    };

    /// `GET /groups?organizationId=...`: one page of an organization's groups.
    #[must_use]
    pub fn list(organization_id: &OrganizationId, page: PageParams) -> Operation<GroupsResponse> {
        Operation::new(registry::LIST_GROUPS, vec![])
            .query("organizationId", organization_id)
            .query("limit", page.limit)
            .query("offset", page.offset)
            .invalid_if(page.validate())
    }

    /// `POST /groups` (201). Not idempotent.
    #[must_use]
    pub fn create(request: &GroupCreateRequest) -> Operation<GroupResponse> {
        Operation::new(registry::CREATE_GROUP, vec![]).json(request)
    }

    /// `GET /groups/{groupId}`.
    #[must_use]
    pub fn get(group_id: &GroupId) -> Operation<GroupResponse> {
        Operation::new(registry::GET_GROUP, vec![id(group_id)])
    }

    /// `PATCH /groups/{groupId}`.
    #[must_use]
    pub fn update(group_id: &GroupId, request: &GroupUpdateRequest) -> Operation<GroupResponse> {
        Operation::new(registry::UPDATE_GROUP, vec![id(group_id)]).json(request)
    }

    /// `DELETE /groups/{groupId}` (204): the members lose what the group granted them.
    #[must_use]
    pub fn delete(group_id: &GroupId) -> Operation<()> {
        Operation::new(registry::DELETE_GROUP, vec![id(group_id)]).empty_response()
    }

    /// `GET /groups/{groupId}/members`: one page of the members.
    #[must_use]
    pub fn members(group_id: &GroupId, page: PageParams) -> Operation<GroupMembersResponse> {
        Operation::new(registry::LIST_GROUP_MEMBERS, vec![id(group_id)])
            .query("limit", page.limit)
            .query("offset", page.offset)
            .invalid_if(page.validate())
    }

    /// `POST /groups/{groupId}/members` (201). Not idempotent: a second add answers 409.
    #[must_use]
    pub fn add_member(
        group_id: &GroupId,
        request: &GroupMemberAddRequest,
    ) -> Operation<GroupMemberResponse> {
        Operation::new(registry::ADD_GROUP_MEMBER, vec![id(group_id)]).json(request)
    }

    /// `DELETE /groups/{groupId}/members/{userId}` (204).
    #[must_use]
    pub fn remove_member(group_id: &GroupId, user_id: &UserId) -> Operation<()> {
        Operation::new(
            registry::REMOVE_GROUP_MEMBER,
            vec![id(group_id), id(user_id)],
        )
        .empty_response()
    }

    /// `GET /groups/{groupId}/permissions` (not paginated).
    #[must_use]
    pub fn permissions(group_id: &GroupId) -> Operation<GroupPermissionsResponse> {
        Operation::new(registry::LIST_GROUP_PERMISSIONS, vec![id(group_id)])
    }

    /// `POST /groups/{groupId}/permissions` (201). A scope that does not fit the type makes
    /// the operation invalid: it is never sent.
    #[must_use]
    pub fn create_permission(
        group_id: &GroupId,
        request: &GroupPermissionCreateRequest,
    ) -> Operation<GroupPermissionResponse> {
        Operation::new(registry::CREATE_GROUP_PERMISSION, vec![id(group_id)])
            .json(request)
            .invalid_if(request.problem())
    }

    /// `DELETE /groups/{groupId}/permissions/{permissionId}` (204).
    #[must_use]
    pub fn delete_permission(group_id: &GroupId, permission_id: &PermissionId) -> Operation<()> {
        Operation::new(
            registry::DELETE_GROUP_PERMISSION,
            vec![id(group_id), id(permission_id)],
        )
        .empty_response()
    }
}

/// Airbyte Embedded.
pub mod embedded {
    use super::*;
    use crate::{
        EmbeddedOrganizationsList, EmbeddedScopedTokenRequest, EmbeddedScopedTokenResponse,
        EmbeddedWidgetRequest, EmbeddedWidgetResponse,
    };

    /// `POST /embedded/widget_token`: a widget token for an end user of your product. Safe to
    /// repeat: the end user's workspace is found, not created, the second time.
    #[must_use]
    pub fn widget_token(request: &EmbeddedWidgetRequest) -> Operation<EmbeddedWidgetResponse> {
        Operation::new(registry::GET_EMBEDDED_WIDGET, vec![]).json(request)
    }

    /// `POST /embedded/scoped_token`: an access token that reaches one workspace only.
    #[must_use]
    pub fn scoped_token(
        request: &EmbeddedScopedTokenRequest,
    ) -> Operation<EmbeddedScopedTokenResponse> {
        Operation::new(registry::GENERATE_EMBEDDED_SCOPED_TOKEN, vec![]).json(request)
    }

    /// `GET /embedded/organizations`: the caller's organizations with its permission in each.
    #[must_use]
    pub fn organizations() -> Operation<EmbeddedOrganizationsList> {
        Operation::new(registry::LIST_EMBEDDED_ORGANIZATIONS_BY_USER, vec![])
    }
}
