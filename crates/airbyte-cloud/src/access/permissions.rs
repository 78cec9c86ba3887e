//! Permissions of users on workspaces and organizations (Public API `/permissions`).
//!
//! Permission types stay open: real servers send types the specifications do not list
//! (`workspace_member`), which list and read like any other. The checks the server applies to
//! a create or an update (a grantable type, a scope that fits it) run here first.

use airbyte_models::ops::{self, PermissionListParams};
use airbyte_models::{
    ListResponse, OrganizationId, PermissionCreateRequest, PermissionId, PermissionResponse,
    PermissionResponseRead, PermissionType, PermissionUpdateRequest, UserId,
};

use crate::error::missing_on_404;
use crate::listing::{ItemKeys, ListItems, ListRequest, Paging};
use crate::{CloudWorkspace, Error, ResourceKind, Result};

/// Permissions: returned by [`CloudWorkspace::list_permissions`], with the server's user and
/// organization filters besides those of every [`ListItems`]. Permissions have no name.
pub type Permissions = ListItems<PermissionResponseRead, PermissionResponseRead, PermissionSearch>;

/// The server-side filters of [`Permissions`]; set through its builder methods.
#[derive(Clone, Debug, Default)]
pub struct PermissionSearch {
    user_id: Option<UserId>,
    organization_id: Option<OrganizationId>,
}

impl Permissions {
    /// Only this user's permissions. Another user's need
    /// [`organization`](Self::organization) and an organization administrator.
    pub fn user(mut self, user_id: &UserId) -> Self {
        self.query_mut().user_id = Some(user_id.clone());
        self
    }

    /// Only permissions in this organization: on it, or on its workspaces.
    pub fn organization(mut self, organization_id: &OrganizationId) -> Self {
        self.query_mut().organization_id = Some(organization_id.clone());
        self
    }
}

impl CloudWorkspace {
    /// Permissions, answered in one request: without a filter the caller's own; see
    /// [`Permissions`] for the user and organization filters.
    pub fn list_permissions(&self) -> Permissions {
        let keys = ItemKeys {
            id: |permission: &PermissionResponseRead| permission.permission_id.to_string(),
            name: None,
        };
        ListItems::new(
            self,
            Paging::OneShot,
            "permissions",
            keys,
            PermissionSearch::default(),
            |request: ListRequest<PermissionSearch>| async move {
                let params = PermissionListParams {
                    user_id: request.query.user_id,
                    organization_id: request.query.organization_id,
                };
                let list = request
                    .workspace
                    .execute(ops::public::permissions::list(&params))
                    .await?;
                Ok(ListResponse::new(list.data))
            },
        )
    }

    /// Grants a permission: a workspace type on a workspace
    /// ([`PermissionCreateRequest::on_workspace`]) or an organization type on an organization
    /// ([`PermissionCreateRequest::on_organization`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (nothing sent) for a type the Public API cannot grant
    /// (`workspace_owner`, `instance_admin`, types it does not list) or a scope that does not
    /// fit the type; transport errors (404 for an unknown user or scope, 403 without the right
    /// to grant, 400 when the user already holds a permission there).
    pub async fn create_permission(
        &self,
        request: &PermissionCreateRequest,
    ) -> Result<PermissionResponse> {
        if let Some(problem) = request.problem() {
            return Err(Error::invalid(problem));
        }
        self.execute(ops::public::permissions::create(request))
            .await
    }

    /// Reads a permission.
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`] (also for a permission the caller may not see); transport
    /// errors.
    #[doc(alias = "get_permission")]
    pub async fn fetch_permission(
        &self,
        permission_id: &PermissionId,
    ) -> Result<PermissionResponse> {
        self.client()
            .execute(ops::public::permissions::get(permission_id))
            .await
            .map_err(missing_on_404(
                ResourceKind::Permission,
                permission_id.as_str(),
            ))
    }

    /// Changes a permission's type. The permission is read first: the new type must be
    /// grantable and of the same scope (a workspace permission stays a workspace one).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (nothing changed) for a type that cannot be granted or does
    /// not fit the permission's scope; [`Error::MissingResource`]; transport errors (409 when
    /// it would leave an organization without an administrator).
    pub async fn update_permission(
        &self,
        permission_id: &PermissionId,
        permission_type: PermissionType,
    ) -> Result<PermissionResponse> {
        if !permission_type.is_grantable() {
            return Err(Error::invalid(format!(
                "permission type {permission_type} cannot be granted through the Public API"
            )));
        }
        let current = self.fetch_permission(permission_id).await?;
        let current_scope = current.permission_type.scope();
        if permission_type.scope() != current_scope {
            return Err(Error::invalid(format!(
                "permission {permission_id} is a {current_scope} permission ({}); type {permission_type} does not apply to a {current_scope}",
                current.permission_type
            )));
        }
        let request = PermissionUpdateRequest { permission_type };
        self.client()
            .execute(ops::public::permissions::update(permission_id, &request))
            .await
            .map_err(missing_on_404(
                ResourceKind::Permission,
                permission_id.as_str(),
            ))
    }

    /// Revokes a permission. A permission already gone counts as revoked.
    ///
    /// # Errors
    ///
    /// Transport errors (403 without the right to revoke it, 409 when it is the last
    /// administrator permission of its organization).
    #[doc(alias = "revoke_permission")]
    pub async fn delete_permission(&self, permission_id: &PermissionId) -> Result<()> {
        match self
            .execute(ops::public::permissions::delete(permission_id))
            .await
        {
            Err(error) if error.is_not_found() => Ok(()),
            other => other,
        }
    }
}
