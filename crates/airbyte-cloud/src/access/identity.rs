//! The user behind the credentials (Config API): who it is, its default workspace, its
//! organizations, and the workspaces its permissions reach. These are the calls PyAirbyte
//! 0.71.3 makes for "workspaces by privilege scope" and the default workspace.

use std::collections::HashSet;

use airbyte_models::ops;
use airbyte_models::{
    ListOrganizationsByUserRequest, OrganizationId, OrganizationRead, PermissionRead,
    PermissionScope, PermissionType, UserAuthIdRequest, UserId, UserRead, UserUpdate, WorkspaceId,
    WorkspaceRead,
};
use futures_util::TryStreamExt;

use crate::error::missing_on_404;
use crate::listing::{ItemKeys, ListItems, ListRequest, Paging};
use crate::organization::{config_list_response, config_page};
use crate::{CloudWorkspace, Error, ResourceKind, Result};

/// The identity provider PyAirbyte names when it looks a user up by its token.
const AUTH_PROVIDER: &str = "keycloak";

/// Which permissions count when listing the workspaces a user reaches
/// ([`CloudWorkspace::accessible_workspaces`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccessScope {
    /// Only workspaces the user holds a permission on itself.
    Workspace,
    /// Only workspaces of organizations the user holds a permission on that reaches their
    /// workspaces (every organization type but `organization_member`).
    Organization,
    /// Both.
    All,
}

/// A workspace a user reaches, and the permission that lets it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WorkspaceAccess {
    /// The workspace, as the Config API describes it.
    pub workspace: WorkspaceRead,
    /// The permission's type (`workspace_admin`, `organization_reader`, ...).
    pub permission_type: PermissionType,
    /// Whether it is held on the workspace itself or on its organization.
    pub scope: PermissionScope,
}

/// The organizations of a user (Config API): returned by
/// [`CloudWorkspace::list_user_organizations`], with a server-side name filter besides those
/// of every [`ListItems`].
pub type UserOrganizations = ListItems<OrganizationRead, OrganizationRead, UserOrganizationsSearch>;

/// The server-side filters of [`UserOrganizations`]; set through its builder methods.
#[derive(Clone, Debug)]
pub struct UserOrganizationsSearch {
    user_id: UserId,
    name_contains: Option<String>,
}

impl UserOrganizations {
    /// Only organizations whose name contains `text` (filtered by the server, without regard
    /// to case).
    pub fn name_contains(mut self, text: impl Into<String>) -> Self {
        self.query_mut().name_contains = Some(text.into());
        self
    }
}

impl CloudWorkspace {
    /// The user the credentials act as (Config API `users/get_by_auth_id`, looked up by the
    /// `user_id` claim of the access token, else its `sub` claim).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (nothing sent to the Config API) when the credentials carry no
    /// token naming a user (basic authentication, no authentication, an opaque token);
    /// [`Error::MissingResource`] when the server knows no such user; transport errors.
    #[doc(alias = "get_current_user")]
    #[doc(alias = "get_user_by_auth_id")]
    pub async fn current_user(&self) -> Result<UserRead> {
        let auth_user_id = self.client().token_user_id().await?.ok_or_else(|| {
            Error::invalid(format!(
                "the {} credentials carry no access token that names a user",
                self.client().credentials_kind()
            ))
        })?;
        let request = UserAuthIdRequest {
            auth_user_id: auth_user_id.clone(),
            auth_provider: Some(AUTH_PROVIDER.to_owned()),
        };
        self.client()
            .execute(ops::config::get_user_by_auth_id(&request))
            .await
            .map_err(missing_on_404(ResourceKind::User, &auth_user_id))
    }

    /// The default workspace of the user the credentials act as, if it has one.
    ///
    /// # Errors
    ///
    /// As [`CloudWorkspace::current_user`].
    #[doc(alias = "get_default_workspace")]
    pub async fn fetch_default_workspace_id(&self) -> Result<Option<WorkspaceId>> {
        Ok(self.current_user().await?.default_workspace_id)
    }

    /// Makes this workspace the default workspace of the user the credentials act as (Config
    /// API `users/update`, changing nothing else), and answers the user.
    ///
    /// # Errors
    ///
    /// As [`CloudWorkspace::current_user`]; a 403 when the user does not reach this workspace
    /// (nothing changed); transport errors.
    pub async fn set_default_workspace(&self) -> Result<UserRead> {
        let user = self.current_user().await?;
        let request = UserUpdate::default_workspace(user.user_id.clone(), self.id().clone());
        self.client()
            .execute(ops::config::update_user(&request))
            .await
            .map_err(missing_on_404(ResourceKind::Workspace, self.id().as_str()))
    }

    /// Every permission of a user, on workspaces and on organizations (Config API
    /// `permissions/list_by_user`; a user may read its own, an administrator anyone's).
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`] for an unknown user; transport errors (403 for another
    /// user's permissions without the right to read them).
    pub async fn fetch_user_permissions(&self, user_id: &UserId) -> Result<Vec<PermissionRead>> {
        let list = self
            .client()
            .execute(ops::config::list_permissions_by_user(user_id))
            .await
            .map_err(missing_on_404(ResourceKind::User, user_id.as_str()))?;
        Ok(list.permissions)
    }

    /// The organizations a user belongs to (Config API `organizations/list_by_user_id`), page
    /// by page; see [`UserOrganizations`] for its server-side name filter.
    pub fn list_user_organizations(&self, user_id: &UserId) -> UserOrganizations {
        let keys = ItemKeys {
            id: |organization: &OrganizationRead| organization.organization_id.to_string(),
            name: Some(|organization| &organization.organization_name),
        };
        let query = UserOrganizationsSearch {
            user_id: user_id.clone(),
            name_contains: None,
        };
        ListItems::new(
            self,
            Paging::Offset,
            "user organizations",
            keys,
            query,
            |request: ListRequest<UserOrganizationsSearch>| async move {
                let (page, pagination) = config_page(request.page);
                let search = request.query;
                let body = ListOrganizationsByUserRequest {
                    user_id: search.user_id.clone(),
                    pagination: Some(pagination),
                    name_contains: search.name_contains,
                };
                let list = request
                    .workspace
                    .client()
                    .execute(ops::config::list_organizations_by_user(&body))
                    .await
                    .map_err(missing_on_404(ResourceKind::User, search.user_id.as_str()))?;
                Ok(config_list_response(list.organizations, page))
            },
        )
    }

    /// The workspaces the user behind the credentials reaches, by the scope of the permission
    /// that lets it: its own workspace permissions, its organization permissions (every
    /// workspace of the organization; `organization_member` reaches none), or both. Each
    /// workspace is named once, with the permission held on the workspace itself when there
    /// is one. Permission types this crate does not know are placed by their prefix.
    ///
    /// # Errors
    ///
    /// As [`CloudWorkspace::current_user`]; [`Error::Paging`] when an organization holds more
    /// workspaces than the list limit; transport errors.
    #[doc(alias = "list_workspaces")]
    pub async fn accessible_workspaces(&self, scope: AccessScope) -> Result<Vec<WorkspaceAccess>> {
        let user = self.current_user().await?;
        let permissions = self.fetch_user_permissions(&user.user_id).await?;
        let mut seen = HashSet::new();
        let mut reached = Vec::new();
        if matches!(scope, AccessScope::Workspace | AccessScope::All) {
            for permission in &permissions {
                let Some(workspace_id) = workspace_of(permission) else {
                    continue;
                };
                if !seen.insert(workspace_id.clone()) {
                    continue;
                }
                let workspace = match self
                    .client()
                    .execute(ops::config::get_workspace(workspace_id))
                    .await
                {
                    // A permission may outlive its workspace.
                    Err(error) if error.is_not_found() => continue,
                    other => other?,
                };
                if workspace.tombstone == Some(true) {
                    continue;
                }
                reached.push(WorkspaceAccess {
                    workspace,
                    permission_type: permission.permission_type.clone(),
                    scope: PermissionScope::Workspace,
                });
            }
        }
        if matches!(scope, AccessScope::Organization | AccessScope::All) {
            let mut organizations = HashSet::new();
            for permission in &permissions {
                let Some(organization_id) = organization_reaching_workspaces(permission) else {
                    continue;
                };
                if !organizations.insert(organization_id.clone()) {
                    continue;
                }
                let mut workspaces = self.list_organization_workspaces(organization_id).stream();
                while let Some(workspace) = workspaces.try_next().await? {
                    if workspace.tombstone == Some(true)
                        || !seen.insert(workspace.workspace_id.clone())
                    {
                        continue;
                    }
                    reached.push(WorkspaceAccess {
                        workspace,
                        permission_type: permission.permission_type.clone(),
                        scope: PermissionScope::Organization,
                    });
                }
            }
        }
        Ok(reached)
    }
}

/// The workspace of a workspace permission.
fn workspace_of(permission: &PermissionRead) -> Option<&WorkspaceId> {
    (permission.permission_type.scope() == PermissionScope::Workspace)
        .then_some(permission.workspace_id.as_ref())
        .flatten()
}

/// The organization of an organization permission that reaches the organization's
/// workspaces (all but `organization_member`).
fn organization_reaching_workspaces(permission: &PermissionRead) -> Option<&OrganizationId> {
    let reaches = permission.permission_type.scope() == PermissionScope::Organization
        && permission.permission_type != PermissionType::OrganizationMember;
    reaches
        .then_some(permission.organization_id.as_ref())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn permission(
        kind: &str,
        workspace: Option<&str>,
        organization: Option<&str>,
    ) -> PermissionRead {
        PermissionRead {
            permission_id: "p".parse().unwrap(),
            permission_type: PermissionType::from_wire(kind),
            user_id: "u".parse().unwrap(),
            workspace_id: workspace.map(|id| id.parse().unwrap()),
            organization_id: organization.map(|id| id.parse().unwrap()),
        }
    }

    #[test]
    fn permissions_are_placed_by_their_scope() {
        let member = permission("workspace_member", Some("w"), None);
        assert_eq!(workspace_of(&member).map(WorkspaceId::as_str), Some("w"));
        let reader = permission("organization_reader", None, Some("o"));
        assert_eq!(workspace_of(&reader), None);
        assert_eq!(
            organization_reaching_workspaces(&reader).map(OrganizationId::as_str),
            Some("o")
        );
        let only_member = permission("organization_member", None, Some("o"));
        assert_eq!(organization_reaching_workspaces(&only_member), None);
        let future = permission("organization_auditor", None, Some("o"));
        assert!(organization_reaching_workspaces(&future).is_some());
        let instance = permission("instance_admin", None, None);
        assert_eq!(workspace_of(&instance), None);
        assert_eq!(organization_reaching_workspaces(&instance), None);
    }
}
