//! Who may do what: users, their permissions (held directly or through groups), groups and
//! applications, and the questions the handlers ask of them (what a user reaches, what role a
//! user has on a workspace or an organization).

use airbyte_models::{PermissionScope, PermissionType};
use serde_json::{Value, json};

use super::World;
use super::table::Row;

/// A user.
#[derive(Clone, Debug)]
pub(crate) struct UserRec {
    pub(crate) id: String,
    /// The ID at the identity provider: the `user_id` claim of the user's tokens.
    pub(crate) auth_user_id: String,
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) default_workspace_id: Option<String>,
    pub(crate) status: String,
    pub(crate) company_name: Option<String>,
    pub(crate) news: Option<bool>,
    pub(crate) metadata: Value,
}

impl Row for UserRec {
    fn id(&self) -> &str {
        &self.id
    }
}

impl UserRec {
    /// `UserResponse` (Public API).
    pub(crate) fn public_json(&self) -> Value {
        json!({"id": self.id, "name": self.name, "email": self.email})
    }

    /// `UserRead` (Config API).
    pub(crate) fn config_json(&self) -> Value {
        let mut out = json!({
            "userId": self.id,
            "name": self.name,
            "email": self.email,
            "status": self.status,
            "metadata": self.metadata,
        });
        let map = out.as_object_mut().expect("an object");
        if let Some(workspace) = &self.default_workspace_id {
            map.insert("defaultWorkspaceId".into(), Value::from(workspace.as_str()));
        }
        if let Some(company) = &self.company_name {
            map.insert("companyName".into(), Value::from(company.as_str()));
        }
        if let Some(news) = self.news {
            map.insert("news".into(), Value::from(news));
        }
        out
    }
}

/// What a permission applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    Workspace(String),
    Organization(String),
    Instance,
}

impl Scope {
    pub(crate) fn kind(&self) -> PermissionScope {
        match self {
            Self::Workspace(_) => PermissionScope::Workspace,
            Self::Organization(_) => PermissionScope::Organization,
            Self::Instance => PermissionScope::None,
        }
    }

    pub(crate) fn id(&self) -> Option<&str> {
        match self {
            Self::Workspace(id) | Self::Organization(id) => Some(id),
            Self::Instance => None,
        }
    }
}

/// Who holds a permission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Holder {
    User(String),
    Group(String),
}

/// A permission of a user or of a group.
#[derive(Clone, Debug)]
pub(crate) struct PermissionRec {
    pub(crate) id: String,
    pub(crate) holder: Holder,
    pub(crate) permission_type: PermissionType,
    pub(crate) scope: Scope,
}

impl Row for PermissionRec {
    fn id(&self) -> &str {
        &self.id
    }
}

impl PermissionRec {
    fn scope_fields(&self, map: &mut serde_json::Map<String, Value>) {
        match &self.scope {
            Scope::Workspace(id) => {
                map.insert("workspaceId".into(), Value::from(id.as_str()));
            }
            Scope::Organization(id) => {
                map.insert("organizationId".into(), Value::from(id.as_str()));
            }
            Scope::Instance => {}
        }
    }

    fn holder_id(&self) -> &str {
        match &self.holder {
            Holder::User(id) | Holder::Group(id) => id,
        }
    }

    /// `PermissionResponse` (Public API), and the Config API's `PermissionRead`: the same
    /// fields.
    pub(crate) fn public_json(&self) -> Value {
        let mut out = json!({
            "permissionId": self.id,
            "permissionType": self.permission_type,
            "userId": self.holder_id(),
        });
        self.scope_fields(out.as_object_mut().expect("an object"));
        out
    }

    /// `PermissionResponseRead` (the items of `GET /permissions`).
    pub(crate) fn read_json(&self) -> Value {
        let mut out = json!({
            "permissionId": self.id,
            "permissionType": self.permission_type,
            "userId": self.holder_id(),
            "scope": self.scope.kind(),
        });
        if let Some(id) = self.scope.id() {
            out["scopeId"] = Value::from(id);
        }
        out
    }

    /// `GroupPermissionResponse`.
    pub(crate) fn group_json(&self) -> Value {
        let mut out = json!({
            "permissionId": self.id,
            "groupId": self.holder_id(),
            "permissionType": self.permission_type,
        });
        self.scope_fields(out.as_object_mut().expect("an object"));
        out
    }
}

/// A member of a group.
#[derive(Clone, Debug)]
pub(crate) struct MemberRec {
    pub(crate) id: String,
    pub(crate) user_id: String,
}

/// A group of users of an organization.
#[derive(Clone, Debug)]
pub(crate) struct GroupRec {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) organization_id: String,
    /// Managed by an identity provider through SCIM: read-only through the API.
    pub(crate) scim: bool,
    pub(crate) members: Vec<MemberRec>,
}

impl Row for GroupRec {
    fn id(&self) -> &str {
        &self.id
    }
}

impl GroupRec {
    /// `GroupResponse`.
    pub(crate) fn public_json(&self) -> Value {
        let mut out = json!({
            "groupId": self.id,
            "name": self.name,
            "organizationId": self.organization_id,
            "memberCount": self.members.len(),
        });
        if let Some(description) = &self.description {
            out["description"] = Value::from(description.as_str());
        }
        out
    }
}

/// An application: client credentials acting as the user who created them.
#[derive(Clone, Debug)]
pub(crate) struct ApplicationRec {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
    pub(crate) user_id: String,
    pub(crate) created_at: i64,
}

impl Row for ApplicationRec {
    fn id(&self) -> &str {
        &self.id
    }
}

impl ApplicationRec {
    /// `ApplicationRead`: the secret is part of every read, as on the real server.
    pub(crate) fn public_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "clientId": self.client_id,
            "clientSecret": self.client_secret,
            "createdAt": self.created_at,
        })
    }
}

/// How much a permission type allows, from its suffix, so that types the mock does not know
/// rank too: admin 5, editor 4, runner 3, reader 2, anything else (member) 1; `instance_admin`
/// is above everything.
pub(crate) fn rank(permission_type: &PermissionType) -> u8 {
    let wire = permission_type.as_str();
    if *permission_type == PermissionType::InstanceAdmin {
        6
    } else if wire.ends_with("_admin") || wire.ends_with("_owner") {
        5
    } else if wire.ends_with("_editor") {
        4
    } else if wire.ends_with("_runner") {
        3
    } else if wire.ends_with("_reader") || *permission_type == PermissionType::WorkspaceMember {
        2
    } else {
        1
    }
}

/// The rank of an organization member, who reaches none of its workspaces.
pub(crate) const MEMBER: u8 = 1;
/// The rank needed to read a workspace.
pub(crate) const READER: u8 = 2;
/// The rank of an editor.
pub(crate) const EDITOR: u8 = 4;
/// The rank of an administrator.
pub(crate) const ADMIN: u8 = 5;
/// The rank of an instance administrator.
pub(crate) const INSTANCE: u8 = 6;

impl World {
    /// The organization of a workspace (deleted or not).
    pub(crate) fn organization_of(&self, workspace_id: &str) -> Option<&str> {
        self.workspaces
            .get(workspace_id)
            .map(|workspace| workspace.organization_id.as_str())
    }

    /// The groups a user is a member of.
    fn groups_of<'w>(&'w self, user_id: &'w str) -> impl Iterator<Item = &'w GroupRec> {
        self.groups
            .iter()
            .filter(move |group| group.members.iter().any(|member| member.user_id == user_id))
    }

    /// Every permission a user holds, directly or through a group.
    pub(crate) fn permissions_of<'w>(
        &'w self,
        user_id: &'w str,
    ) -> impl Iterator<Item = &'w PermissionRec> {
        let groups: Vec<&str> = self
            .groups_of(user_id)
            .map(|group| group.id.as_str())
            .collect();
        self.permissions
            .iter()
            .filter(move |permission| match &permission.holder {
                Holder::User(holder) => holder == user_id,
                Holder::Group(group) => groups.contains(&group.as_str()),
            })
    }

    /// The permissions a user holds directly.
    pub(crate) fn own_permissions<'w>(
        &'w self,
        user_id: &'w str,
    ) -> impl Iterator<Item = &'w PermissionRec> {
        self.permissions
            .iter()
            .filter(move |permission| permission.holder == Holder::User(user_id.to_owned()))
    }

    /// A user's rank on an organization (0 when none); an instance admin ranks everywhere.
    pub(crate) fn organization_rank(&self, user_id: &str, organization_id: &str) -> u8 {
        self.permissions_of(user_id)
            .filter(|permission| match &permission.scope {
                Scope::Organization(id) => id == organization_id,
                Scope::Instance => true,
                Scope::Workspace(_) => false,
            })
            .map(|permission| rank(&permission.permission_type))
            .max()
            .unwrap_or(0)
    }

    /// A user's rank on a workspace: its own permissions there, and its organization's
    /// (an organization member alone reaches no workspace).
    pub(crate) fn workspace_rank(&self, user_id: &str, workspace_id: &str) -> u8 {
        let organization = self.organization_of(workspace_id).unwrap_or_default();
        self.permissions_of(user_id)
            .filter(|permission| match &permission.scope {
                Scope::Workspace(id) => id == workspace_id,
                Scope::Organization(id) => id == organization,
                Scope::Instance => true,
            })
            .map(|permission| rank(&permission.permission_type))
            .filter(|rank| *rank >= READER)
            .max()
            .unwrap_or(0)
    }

    /// The workspaces a user reaches; `None` for an instance admin, who reaches all.
    pub(crate) fn reach(&self, user_id: &str) -> Option<Vec<String>> {
        if self
            .permissions_of(user_id)
            .any(|permission| rank(&permission.permission_type) >= INSTANCE)
        {
            return None;
        }
        Some(
            self.workspaces
                .iter()
                .filter(|workspace| self.workspace_rank(user_id, &workspace.id) >= READER)
                .map(|workspace| workspace.id.clone())
                .collect(),
        )
    }

    /// Whether a user belongs to an organization: any permission in it or on one of its
    /// workspaces, or a membership of one of its groups.
    pub(crate) fn belongs_to(&self, user_id: &str, organization_id: &str) -> bool {
        self.groups_of(user_id)
            .any(|group| group.organization_id == organization_id)
            || self
                .own_permissions(user_id)
                .any(|permission| match &permission.scope {
                    Scope::Organization(id) => id == organization_id,
                    Scope::Workspace(id) => self.organization_of(id) == Some(organization_id),
                    Scope::Instance => false,
                })
    }

    /// The user with this identity-provider ID.
    pub(crate) fn user_by_auth_id(&self, auth_user_id: &str) -> Option<&UserRec> {
        self.users
            .iter()
            .find(|user| user.auth_user_id == auth_user_id)
    }

    /// The application with this client ID.
    pub(crate) fn application_by_client(&self, client_id: &str) -> Option<&ApplicationRec> {
        self.applications
            .iter()
            .find(|application| application.client_id == client_id)
    }
}
