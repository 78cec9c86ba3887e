//! The parts of a world file about people and places: users (one of them the operator the
//! configured credentials act as), permissions, groups, regions and data planes.

use airbyte_models::PermissionType;
use serde::Deserialize;
use serde_json::json;

use super::World;
use super::access::{ApplicationRec, GroupRec, Holder, MemberRec, PermissionRec, Scope, UserRec};
use super::platform::{DataplaneRec, RegionRec};

/// A user.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct UserSeed {
    user_id: String,
    name: String,
    email: String,
    /// The identity-provider ID (the `user_id` claim of the user's tokens); the email
    /// address when absent.
    #[serde(default)]
    auth_user_id: Option<String>,
    #[serde(default)]
    default_workspace_id: Option<String>,
    #[serde(default)]
    company_name: Option<String>,
    /// The user the credentials of the settings act as (at most one).
    #[serde(default)]
    operator: bool,
}

/// A permission of a user, or of a group (`groupId`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PermissionSeed {
    permission_id: String,
    #[serde(default)]
    user_id: Option<String>,
    #[serde(default)]
    group_id: Option<String>,
    /// Any type, including those the specifications do not list (`workspace_member`).
    permission_type: String,
    #[serde(default)]
    workspace_id: Option<String>,
    #[serde(default)]
    organization_id: Option<String>,
}

/// A group with its members.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct GroupSeed {
    group_id: String,
    name: String,
    organization_id: String,
    #[serde(default)]
    description: Option<String>,
    /// Managed by an identity provider: the API refuses to change it.
    #[serde(default)]
    scim: bool,
    #[serde(default)]
    members: Vec<String>,
}

/// An application of a user, with its client credentials.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct ApplicationSeed {
    application_id: String,
    user_id: String,
    name: String,
    client_id: String,
    client_secret: String,
}

/// A region of an organization.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct RegionSeed {
    region_id: String,
    name: String,
    organization_id: String,
    #[serde(default = "enabled")]
    enabled: bool,
}

/// A data plane of a region.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct DataplaneSeed {
    dataplane_id: String,
    name: String,
    region_id: String,
    #[serde(default = "enabled")]
    enabled: bool,
}

fn enabled() -> bool {
    true
}

fn scope_of(world: &World, what: &str, seed: &PermissionSeed) -> Result<Scope, String> {
    match (&seed.workspace_id, &seed.organization_id) {
        (Some(workspace), None) if world.workspace(workspace).is_some() => {
            Ok(Scope::Workspace(workspace.clone()))
        }
        (None, Some(organization)) if world.organizations.get(organization).is_some() => {
            Ok(Scope::Organization(organization.clone()))
        }
        (None, None) if seed.permission_type == "instance_admin" => Ok(Scope::Instance),
        _ => Err(format!(
            "{what}: give one known workspaceId or organizationId"
        )),
    }
}

/// Adds the users, permissions, groups, regions and data planes, checking every reference.
pub(crate) fn build(
    world: &mut World,
    users: &[UserSeed],
    permissions: &[PermissionSeed],
    groups: &[GroupSeed],
    applications: &[ApplicationSeed],
    (regions, dataplanes): (&[RegionSeed], &[DataplaneSeed]),
    now_ms: i64,
) -> Result<(), String> {
    for user in users {
        if let Some(workspace) = &user.default_workspace_id
            && world.workspace(workspace).is_none()
        {
            return Err(format!(
                "user {}: unknown workspace {workspace}",
                user.user_id
            ));
        }
        if user.operator {
            if let Some(other) = &world.operator {
                return Err(format!(
                    "users {other} and {} are both the operator",
                    user.user_id
                ));
            }
            world.operator = Some(user.user_id.clone());
        }
        world.users.insert(UserRec {
            id: user.user_id.clone(),
            auth_user_id: user
                .auth_user_id
                .clone()
                .unwrap_or_else(|| user.email.clone()),
            name: user.name.clone(),
            email: user.email.clone(),
            default_workspace_id: user.default_workspace_id.clone(),
            status: "registered".to_owned(),
            company_name: user.company_name.clone(),
            news: None,
            metadata: json!({}),
        });
    }
    for group in groups {
        if world.organizations.get(&group.organization_id).is_none() {
            return Err(format!(
                "group {}: unknown organization {}",
                group.group_id, group.organization_id
            ));
        }
        let mut members = Vec::new();
        for user in &group.members {
            if world.users.get(user).is_none() {
                return Err(format!("group {}: unknown user {user}", group.group_id));
            }
            members.push(MemberRec {
                id: world.new_id(),
                user_id: user.clone(),
            });
        }
        world.groups.insert(GroupRec {
            id: group.group_id.clone(),
            name: group.name.clone(),
            description: group.description.clone(),
            organization_id: group.organization_id.clone(),
            scim: group.scim,
            members,
        });
    }
    for permission in permissions {
        let what = format!("permission {}", permission.permission_id);
        let holder = match (&permission.user_id, &permission.group_id) {
            (Some(user), None) if world.users.get(user).is_some() => Holder::User(user.clone()),
            (None, Some(group)) if world.groups.get(group).is_some() => {
                Holder::Group(group.clone())
            }
            _ => return Err(format!("{what}: give one known userId or groupId")),
        };
        let scope = scope_of(world, &what, permission)?;
        world.permissions.insert(PermissionRec {
            id: permission.permission_id.clone(),
            holder,
            permission_type: PermissionType::from_wire(&permission.permission_type),
            scope,
        });
    }
    for application in applications {
        if world.users.get(&application.user_id).is_none() {
            return Err(format!(
                "application {}: unknown user {}",
                application.application_id, application.user_id
            ));
        }
        if world
            .application_by_client(&application.client_id)
            .is_some()
        {
            return Err(format!(
                "application {}: client ID {} is taken",
                application.application_id, application.client_id
            ));
        }
        world.applications.insert(ApplicationRec {
            id: application.application_id.clone(),
            name: application.name.clone(),
            client_id: application.client_id.clone(),
            client_secret: application.client_secret.clone(),
            user_id: application.user_id.clone(),
            created_at: now_ms / 1000,
        });
    }
    for region in regions {
        if world.organizations.get(&region.organization_id).is_none() {
            return Err(format!(
                "region {}: unknown organization {}",
                region.region_id, region.organization_id
            ));
        }
        world.regions.insert(RegionRec {
            id: region.region_id.clone(),
            name: region.name.clone(),
            organization_id: region.organization_id.clone(),
            enabled: region.enabled,
            created_ms: now_ms,
            updated_ms: now_ms,
        });
    }
    for dataplane in dataplanes {
        if world.regions.get(&dataplane.region_id).is_none() {
            return Err(format!(
                "dataplane {}: unknown region {}",
                dataplane.dataplane_id, dataplane.region_id
            ));
        }
        let (client_id, client_secret) = (world.new_id(), world.new_secret());
        world.dataplanes.insert(DataplaneRec {
            id: dataplane.dataplane_id.clone(),
            name: dataplane.name.clone(),
            region_id: dataplane.region_id.clone(),
            enabled: dataplane.enabled,
            created_ms: now_ms,
            updated_ms: now_ms,
            client_id,
            client_secret,
        });
    }
    Ok(())
}
