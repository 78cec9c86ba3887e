//! Who may do what: the organizations and users the credentials reach, permissions, groups,
//! applications, Airbyte Embedded tokens, and the user behind the credentials (its default
//! workspace and the workspaces it reaches).
//!
//! Everything here is reached from a [`CloudWorkspace`](crate::CloudWorkspace), which only
//! lends its client: these resources belong to organizations and users, not to the workspace,
//! so none of them is checked against it.

mod applications;
mod embedded;
mod groups;
mod identity;
mod permissions;
mod users;

pub use applications::{Application, CreatedApplication};
pub use embedded::check_allowed_origin;
pub use groups::{CreateGroup, GroupMembers, UpdateGroup};
pub use identity::{AccessScope, UserOrganizations, UserOrganizationsSearch, WorkspaceAccess};
pub use permissions::{PermissionSearch, Permissions};
pub use users::{OrganizationUsers, UserSearch};
