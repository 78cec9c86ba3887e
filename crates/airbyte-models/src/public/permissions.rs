//! Permissions of users on workspaces and organizations, and the users of an organization.

use serde::{Deserialize, Serialize};

use crate::macros::open_enum;
use crate::{OrganizationId, PermissionId, UserId, WorkspaceId};

open_enum!(
    /// What a permission entitles to. The type is open: real servers send values that neither
    /// specification lists (`workspace_member`), which decode as known variants where this
    /// crate has met them and as `Unknown` otherwise.
    PermissionType {
        /// Everything, on the whole instance (self-managed).
        InstanceAdmin = "instance_admin",
        /// Administers an organization.
        OrganizationAdmin = "organization_admin",
        /// Edits everything in an organization.
        OrganizationEditor = "organization_editor",
        /// Runs syncs in an organization.
        OrganizationRunner = "organization_runner",
        /// Reads an organization.
        OrganizationReader = "organization_reader",
        /// Belongs to an organization without access to its workspaces.
        OrganizationMember = "organization_member",
        /// Owns a workspace (not grantable through the Public API).
        WorkspaceOwner = "workspace_owner",
        /// Administers a workspace.
        WorkspaceAdmin = "workspace_admin",
        /// Runs syncs in a workspace.
        WorkspaceRunner = "workspace_runner",
        /// Edits a workspace.
        WorkspaceEditor = "workspace_editor",
        /// Edits the sources of a workspace (Config API).
        WorkspaceSourceEditor = "workspace_source_editor",
        /// Edits the destinations of a workspace (Config API).
        WorkspaceDestinationEditor = "workspace_destination_editor",
        /// Reads a workspace.
        WorkspaceReader = "workspace_reader",
        /// Belongs to a workspace: sent by real servers, in neither specification.
        WorkspaceMember = "workspace_member",
    }
);

impl PermissionType {
    /// The types `POST /permissions` accepts (`PublicPermissionType`): every organization and
    /// workspace type but `workspace_owner` and the Config API's source and destination
    /// editors; never `instance_admin`.
    pub const GRANTABLE: &'static [Self] = &[
        Self::OrganizationAdmin,
        Self::OrganizationEditor,
        Self::OrganizationRunner,
        Self::OrganizationReader,
        Self::OrganizationMember,
        Self::WorkspaceAdmin,
        Self::WorkspaceEditor,
        Self::WorkspaceRunner,
        Self::WorkspaceReader,
    ];

    /// The kind of scope the type applies to, read from its prefix so that values this crate
    /// does not know are placed too: `workspace_*` on a workspace, `organization_*` on an
    /// organization, anything else (`instance_admin`) on none.
    #[must_use]
    pub fn scope(&self) -> PermissionScope {
        let wire = self.as_str();
        if wire.starts_with("workspace_") {
            PermissionScope::Workspace
        } else if wire.starts_with("organization_") {
            PermissionScope::Organization
        } else {
            PermissionScope::None
        }
    }

    /// Whether `POST /permissions` accepts the type (it is in [`GRANTABLE`](Self::GRANTABLE)).
    #[must_use]
    pub fn is_grantable(&self) -> bool {
        Self::GRANTABLE.contains(self)
    }

    /// Why the type does not fit a permission given on a workspace and/or an organization, if
    /// it does not: a workspace type needs exactly a workspace, an organization type exactly
    /// an organization.
    #[must_use]
    pub fn scope_problem(&self, workspace: bool, organization: bool) -> Option<String> {
        match (self.scope(), workspace, organization) {
            (_, true, true) => Some("give a workspace or an organization, not both".to_owned()),
            (PermissionScope::Workspace, true, false)
            | (PermissionScope::Organization, false, true) => None,
            (PermissionScope::Workspace, _, _) => {
                Some(format!("permission type {self} needs a workspace ID"))
            }
            (PermissionScope::Organization, _, _) => {
                Some(format!("permission type {self} needs an organization ID"))
            }
            _ => Some(format!(
                "permission type {self} applies to no workspace or organization"
            )),
        }
    }
}

open_enum!(
    /// The kind of resource a permission applies to.
    PermissionScope {
        /// A workspace.
        Workspace = "workspace",
        /// An organization.
        Organization = "organization",
        /// Nothing in particular (instance-wide).
        None = "none",
    }
);

/// A permission, as `GET /permissions/{permissionId}` and the writes answer it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionResponse {
    /// The permission's ID.
    pub permission_id: PermissionId,
    /// What it entitles to.
    pub permission_type: PermissionType,
    /// The user who holds it.
    pub user_id: UserId,
    /// The workspace, for a workspace permission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<WorkspaceId>,
    /// The organization, for an organization permission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<OrganizationId>,
}

/// A permission as `GET /permissions` lists it (`PermissionResponseRead`): the scope is named
/// by kind and ID rather than by field.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionResponseRead {
    /// The permission's ID.
    pub permission_id: PermissionId,
    /// What it entitles to.
    pub permission_type: PermissionType,
    /// The user who holds it.
    pub user_id: UserId,
    /// The ID of the workspace or organization; absent for an instance-wide permission.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope_id: Option<String>,
    /// What kind of resource `scope_id` is.
    #[serde(default = "no_scope")]
    pub scope: PermissionScope,
}

fn no_scope() -> PermissionScope {
    PermissionScope::None
}

/// The answer of `GET /permissions` (not paginated).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermissionsResponse {
    /// The permissions.
    #[serde(default)]
    pub data: Vec<PermissionResponseRead>,
}

/// The body of `POST /permissions`: a workspace type with `workspace_id`, or an organization
/// type with `organization_id`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionCreateRequest {
    /// What to grant; one of [`PermissionType::GRANTABLE`].
    pub permission_type: PermissionType,
    /// The user to grant it to.
    pub user_id: UserId,
    /// The workspace, for a workspace type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_id: Option<WorkspaceId>,
    /// The organization, for an organization type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<OrganizationId>,
}

impl PermissionCreateRequest {
    /// Grants a workspace permission.
    #[must_use]
    pub fn on_workspace(
        user_id: UserId,
        permission_type: PermissionType,
        workspace_id: WorkspaceId,
    ) -> Self {
        Self {
            permission_type,
            user_id,
            workspace_id: Some(workspace_id),
            organization_id: None,
        }
    }

    /// Grants an organization permission.
    #[must_use]
    pub fn on_organization(
        user_id: UserId,
        permission_type: PermissionType,
        organization_id: OrganizationId,
    ) -> Self {
        Self {
            permission_type,
            user_id,
            workspace_id: None,
            organization_id: Some(organization_id),
        }
    }

    /// Why the server would refuse the request, when that is clear without asking it: a type
    /// that cannot be granted, or a scope that does not fit the type.
    #[must_use]
    pub fn problem(&self) -> Option<String> {
        if !self.permission_type.is_grantable() {
            return Some(format!(
                "permission type {} cannot be granted through the Public API",
                self.permission_type
            ));
        }
        self.permission_type
            .scope_problem(self.workspace_id.is_some(), self.organization_id.is_some())
    }
}

/// The body of `PATCH /permissions/{permissionId}`: the new type, of the same scope.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionUpdateRequest {
    /// The new type.
    pub permission_type: PermissionType,
}

/// A user of an organization (`UserResponse`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserResponse {
    /// The user's ID.
    pub id: UserId,
    /// The name (empty when the server has none).
    #[serde(default)]
    pub name: String,
    /// The email address.
    #[serde(default)]
    pub email: String,
}

/// The answer of `GET /users` (not paginated).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsersResponse {
    /// The users.
    #[serde(default)]
    pub data: Vec<UserResponse>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_place_themselves_by_prefix_even_when_unknown() {
        assert_eq!(
            PermissionType::WorkspaceReader.scope(),
            PermissionScope::Workspace
        );
        assert_eq!(
            PermissionType::from_wire("workspace_future_role").scope(),
            PermissionScope::Workspace
        );
        assert_eq!(
            PermissionType::OrganizationMember.scope(),
            PermissionScope::Organization
        );
        assert_eq!(PermissionType::InstanceAdmin.scope(), PermissionScope::None);
        assert!(!PermissionType::WorkspaceOwner.is_grantable());
        assert!(!PermissionType::WorkspaceMember.is_grantable());
    }

    #[test]
    fn create_requests_name_what_the_server_would_refuse() {
        let user = UserId::new("u").unwrap();
        let workspace = WorkspaceId::new("w").unwrap();
        let organization = OrganizationId::new("o").unwrap();
        let fine = PermissionCreateRequest::on_workspace(
            user.clone(),
            PermissionType::WorkspaceReader,
            workspace.clone(),
        );
        assert_eq!(fine.problem(), None);
        let mismatched = PermissionCreateRequest::on_workspace(
            user.clone(),
            PermissionType::OrganizationAdmin,
            workspace,
        );
        assert!(mismatched.problem().unwrap().contains("organization ID"));
        let owner = PermissionCreateRequest::on_organization(
            user,
            PermissionType::InstanceAdmin,
            organization,
        );
        assert!(owner.problem().unwrap().contains("cannot be granted"));
    }
}
