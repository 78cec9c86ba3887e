//! Who may do what: permissions (`/permissions`), the users of an organization (`/users`),
//! the Config API's view of users (`users/get_by_auth_id`, `users/update`,
//! `permissions/list_by_user`, `organizations/list_by_user_id`) and the caller's organizations
//! for Airbyte Embedded.

use airbyte_models::{
    ListOrganizationsByUserRequest, PermissionCreateRequest, PermissionType,
    PermissionUpdateRequest, UserAuthIdRequest, UserIdRequest, UserStatus, UserUpdate,
};
use http::StatusCode;
use serde_json::{Value, json};

use super::{Ctx, Outcome, find_organization, query_required};
use crate::answer::Resp;
use crate::auth::CallerKind;
use crate::world::access::{ADMIN, MEMBER, rank};
use crate::world::{Holder, PermissionRec, Scope, UserRec, World};

/// The permission types of the Public API's `PermissionType` (what an update accepts).
const UPDATABLE: &[PermissionType] = &[
    PermissionType::InstanceAdmin,
    PermissionType::OrganizationAdmin,
    PermissionType::OrganizationEditor,
    PermissionType::OrganizationRunner,
    PermissionType::OrganizationReader,
    PermissionType::OrganizationMember,
    PermissionType::WorkspaceOwner,
    PermissionType::WorkspaceAdmin,
    PermissionType::WorkspaceRunner,
    PermissionType::WorkspaceEditor,
    PermissionType::WorkspaceReader,
];

pub(crate) fn find_user<'w>(world: &'w World, id: &str) -> Result<&'w UserRec, Resp> {
    world
        .users
        .get(id)
        .ok_or_else(|| Resp::not_found("USER", id))
}

/// The organization a scope belongs to.
fn organization_of_scope<'w>(world: &'w World, scope: &'w Scope) -> Option<&'w str> {
    match scope {
        Scope::Organization(id) => Some(id),
        Scope::Workspace(id) => world.organization_of(id),
        Scope::Instance => None,
    }
}

/// A user permission the caller may see: its own, or any in an organization it administers.
fn find_permission<'w>(ctx: &Ctx, world: &'w World, id: &str) -> Result<&'w PermissionRec, Resp> {
    let permission = world
        .permissions
        .get(id)
        .filter(|permission| matches!(permission.holder, Holder::User(_)))
        .ok_or_else(|| Resp::not_found("PERMISSION", id))?;
    let own = matches!(&permission.holder, Holder::User(user) if Some(user.as_str()) == ctx.principal.user_id.as_deref());
    if !own {
        check_scope_admin(ctx, world, &permission.scope)?;
    }
    Ok(permission)
}

/// 403 unless the caller administers the organization a scope belongs to.
fn check_scope_admin(ctx: &Ctx, world: &World, scope: &Scope) -> Result<(), Resp> {
    match organization_of_scope(world, scope) {
        Some(organization) => ctx.check_organization(world, organization, ADMIN),
        None if ctx.principal.is_unrestricted() => Ok(()),
        None => Err(Resp::forbidden(
            "Caller does not have the required INSTANCE_ADMIN permissions to access the resource(s).",
        )),
    }
}

/// 409 when removing (or demoting) `permission` would leave its organization without an
/// administrator.
fn keep_an_admin(world: &World, permission: &PermissionRec) -> Result<(), Resp> {
    let Scope::Organization(organization) = &permission.scope else {
        return Ok(());
    };
    if rank(&permission.permission_type) < ADMIN {
        return Ok(());
    }
    let others = world.permissions.iter().any(|other| {
        other.id != permission.id
            && matches!(other.holder, Holder::User(_))
            && other.scope == permission.scope
            && rank(&other.permission_type) >= ADMIN
    });
    if others {
        Ok(())
    } else {
        Err(Resp::problem(
            StatusCode::CONFLICT,
            "state-conflict",
            Some("409-state-conflict"),
            "State conflict",
            json!({"message": format!("Organization {organization} would be left without an organization admin.")}),
        ))
    }
}

/// The scope of a new permission, checked against its type: a workspace type needs a
/// workspace, an organization type an organization (400), and the scope must exist (404).
pub(crate) fn scope_for(
    ctx: &Ctx,
    world: &World,
    permission_type: &PermissionType,
    workspace_id: Option<String>,
    organization_id: Option<String>,
) -> Result<Scope, Resp> {
    if let Some(problem) =
        permission_type.scope_problem(workspace_id.is_some(), organization_id.is_some())
    {
        return Err(Resp::bad_request(&problem));
    }
    match (workspace_id, organization_id) {
        (Some(workspace), _) => {
            ctx.check_workspace(&workspace)?;
            if world.workspace(&workspace).is_none() {
                return Err(Resp::not_found("STANDARD_WORKSPACE", &workspace));
            }
            Ok(Scope::Workspace(workspace))
        }
        (_, Some(organization)) => {
            find_organization(world, &organization)?;
            Ok(Scope::Organization(organization))
        }
        (None, None) => Err(Resp::bad_request("give a workspace or an organization")),
    }
}

pub(crate) fn list_permissions(ctx: &Ctx) -> Outcome {
    let user_filter = ctx.req.query_one("userId").map(str::to_owned);
    let organization = ctx.req.query_one("organizationId").map(str::to_owned);
    let world = ctx.world();
    if let Some(organization) = &organization {
        ctx.check_organization(&world, organization, ADMIN)?;
        find_organization(&world, organization)?;
    }
    let user = match (&user_filter, &organization) {
        (Some(user), _) => {
            find_user(&world, user)?;
            if organization.is_none() && ctx.principal.user_id.as_deref() != Some(user) {
                return Err(Resp::forbidden(
                    "Reading another user's permissions needs organizationId and an organization admin.",
                ));
            }
            Some(user.clone())
        }
        (None, None) => Some(ctx.caller_user()?.to_owned()),
        (None, Some(_)) => None,
    };
    let data: Vec<Value> = world
        .permissions
        .iter()
        .filter(|permission| match (&permission.holder, &user) {
            (Holder::User(holder), Some(user)) => holder == user,
            (Holder::User(_), None) => true,
            (Holder::Group(_), _) => false,
        })
        .filter(|permission| {
            organization.as_deref().is_none_or(|organization| {
                organization_of_scope(&world, &permission.scope) == Some(organization)
            })
        })
        .map(PermissionRec::read_json)
        .collect();
    Ok(Resp::ok(&json!({"data": data})))
}

pub(crate) fn get_permission(ctx: &Ctx, id: &str) -> Outcome {
    let world = ctx.world();
    Ok(Resp::ok(&find_permission(ctx, &world, id)?.public_json()))
}

pub(crate) fn create_permission(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<PermissionCreateRequest>()?;
    let permission_type = body.enum_req("permissionType", PermissionType::GRANTABLE)?;
    let user_id = body.str_req("userId")?;
    let workspace_id = body.str_opt("workspaceId")?;
    let organization_id = body.str_opt("organizationId")?;
    let mut world = ctx.world();
    let scope = scope_for(ctx, &world, &permission_type, workspace_id, organization_id)?;
    check_scope_admin(ctx, &world, &scope)?;
    find_user(&world, &user_id)?;
    if world
        .own_permissions(&user_id)
        .any(|existing| existing.scope == scope)
    {
        return Err(Resp::bad_request(&format!(
            "User {user_id} already has a permission on this {}; update it instead.",
            scope.kind()
        )));
    }
    let permission = PermissionRec {
        id: world.new_id(),
        holder: Holder::User(user_id),
        permission_type,
        scope,
    };
    let answer = permission.public_json();
    world.permissions.insert(permission);
    Ok(Resp::ok(&answer))
}

pub(crate) fn update_permission(ctx: &Ctx, id: &str) -> Outcome {
    let body = ctx.body::<PermissionUpdateRequest>()?;
    let permission_type = body.enum_req("permissionType", UPDATABLE)?;
    let mut world = ctx.world();
    let permission = find_permission(ctx, &world, id)?.clone();
    check_scope_admin(ctx, &world, &permission.scope)?;
    if permission_type.scope() != permission.scope.kind() {
        return Err(Resp::bad_request(&format!(
            "Permission type {permission_type} does not apply to a {}.",
            permission.scope.kind()
        )));
    }
    if rank(&permission_type) < ADMIN {
        keep_an_admin(&world, &permission)?;
    }
    let stored = world
        .permissions
        .get_mut(id)
        .ok_or_else(|| Resp::not_found("PERMISSION", id))?;
    stored.permission_type = permission_type;
    Ok(Resp::ok(&stored.public_json()))
}

pub(crate) fn delete_permission(ctx: &Ctx, id: &str) -> Outcome {
    let mut world = ctx.world();
    let permission = find_permission(ctx, &world, id)?.clone();
    check_scope_admin(ctx, &world, &permission.scope)?;
    keep_an_admin(&world, &permission)?;
    world.permissions.remove(id);
    Ok(Resp::no_content())
}

/// Splits `a,b` and repeated parameters.
fn query_list(ctx: &Ctx, key: &str) -> Vec<String> {
    ctx.req.query_all(key)
}

pub(crate) fn list_users(ctx: &Ctx) -> Outcome {
    let organization = query_required(&ctx.req, "organizationId")?.to_owned();
    let ids = query_list(ctx, "ids");
    let emails = query_list(ctx, "emails");
    if emails.iter().any(|email| !email.contains('@')) {
        return Err(Resp::error_id(StatusCode::BAD_REQUEST));
    }
    let world = ctx.world();
    ctx.check_organization(&world, &organization, MEMBER)?;
    find_organization(&world, &organization)?;
    let data: Vec<Value> = world
        .users
        .iter()
        .filter(|user| world.belongs_to(&user.id, &organization))
        .filter(|user| ids.is_empty() || ids.contains(&user.id))
        .filter(|user| {
            emails.is_empty()
                || emails
                    .iter()
                    .any(|email| email.eq_ignore_ascii_case(&user.email))
        })
        .map(UserRec::public_json)
        .collect();
    Ok(Resp::ok(&json!({"data": data})))
}

/// 403 unless the caller is the user, or may do anything.
fn check_self(ctx: &Ctx, user_id: &str) -> Result<(), Resp> {
    if ctx.principal.is_unrestricted() || ctx.principal.user_id.as_deref() == Some(user_id) {
        Ok(())
    } else {
        Err(Resp::forbidden(&format!(
            "Caller may not read or change user {user_id}."
        )))
    }
}

/// `users/get_by_auth_id` (Config API).
pub(crate) fn user_by_auth_id(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<UserAuthIdRequest>()?;
    let auth_user_id = body.str_req("authUserId")?;
    body.str_opt("authProvider")?;
    let world = ctx.world();
    let user = world
        .user_by_auth_id(&auth_user_id)
        .ok_or_else(|| super::config::not_found("user", &auth_user_id))?;
    check_self(ctx, &user.id)?;
    Ok(Resp::ok(&user.config_json()))
}

/// `users/update` (Config API): the user's own settings, its default workspace among them.
pub(crate) fn update_user(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<UserUpdate>()?;
    let user_id = body.str_req("userId")?;
    let name = body.str_opt("name")?;
    let default_workspace = body.str_opt("defaultWorkspaceId")?;
    let status = body.enum_opt("status", UserStatus::KNOWN)?;
    let company_name = body.str_opt("companyName")?;
    let news = body.bool_opt("news")?;
    let metadata = body.object_opt("metadata")?;
    let mut world = ctx.world();
    if world.users.get(&user_id).is_none() {
        return Err(super::config::not_found("user", &user_id));
    }
    check_self(ctx, &user_id)?;
    if let Some(workspace) = &default_workspace {
        if world.workspace(workspace).is_none() {
            return Err(super::config::not_found("workspace", workspace));
        }
        let reaches = world
            .reach(&user_id)
            .is_none_or(|reached| reached.contains(workspace));
        if !reaches {
            return Err(Resp::forbidden(&format!(
                "User {user_id} has no access to workspace {workspace}."
            )));
        }
    }
    let user = world
        .users
        .get_mut(&user_id)
        .ok_or_else(|| super::config::not_found("user", &user_id))?;
    if let Some(name) = name {
        user.name = name;
    }
    if default_workspace.is_some() {
        user.default_workspace_id = default_workspace;
    }
    if let Some(status) = status {
        user.status = status.to_string();
    }
    if company_name.is_some() {
        user.company_name = company_name;
    }
    if news.is_some() {
        user.news = news;
    }
    if let Some(metadata) = metadata {
        user.metadata = Value::Object(metadata);
    }
    Ok(Resp::ok(&user.config_json()))
}

/// `permissions/list_by_user` (Config API): the user's own permissions.
pub(crate) fn permissions_by_user(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<UserIdRequest>()?;
    let user_id = body.str_req("userId")?;
    let world = ctx.world();
    if world.users.get(&user_id).is_none() {
        return Err(super::config::not_found("user", &user_id));
    }
    check_self(ctx, &user_id)?;
    let permissions: Vec<Value> = world
        .own_permissions(&user_id)
        .map(PermissionRec::public_json)
        .collect();
    Ok(Resp::ok(&json!({"permissions": permissions})))
}

/// `organizations/list_by_user_id` (Config API): one page of the user's organizations.
pub(crate) fn organizations_by_user(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<ListOrganizationsByUserRequest>()?;
    let user_id = body.str_req("userId")?;
    let name_contains = body
        .str_opt("nameContains")?
        .map(|text| text.to_lowercase());
    let pagination = body.object_opt("pagination")?.unwrap_or_default();
    let number = |key: &str| pagination.get(key).and_then(Value::as_u64);
    let page_size = number("pageSize").map_or(usize::MAX, |size| size as usize);
    let offset = number("rowOffset").map_or(0, |offset| offset as usize);
    let world = ctx.world();
    if world.users.get(&user_id).is_none() {
        return Err(super::config::not_found("user", &user_id));
    }
    check_self(ctx, &user_id)?;
    let organizations: Vec<Value> = world
        .organizations
        .iter()
        .filter(|organization| world.belongs_to(&user_id, &organization.id))
        .filter(|organization| {
            name_contains
                .as_deref()
                .is_none_or(|text| organization.name.to_lowercase().contains(text))
        })
        .skip(offset)
        .take(page_size)
        .map(|organization| {
            json!({
                "organizationId": organization.id,
                "organizationName": organization.name,
                "email": organization.email,
            })
        })
        .collect();
    Ok(Resp::ok(&json!({"organizations": organizations})))
}

/// `GET /embedded/organizations`: the caller's organizations, each with the caller's highest
/// organization permission (`organization_member` when it holds only workspace ones).
pub(crate) fn embedded_organizations(ctx: &Ctx) -> Outcome {
    if ctx.principal.kind == CallerKind::Scoped {
        return Err(Resp::forbidden("Scoped tokens cannot list organizations."));
    }
    let user = ctx.caller_user()?;
    let world = ctx.world();
    let organizations: Vec<Value> = world
        .organizations
        .iter()
        .filter(|organization| world.belongs_to(user, &organization.id))
        .map(|organization| {
            let permission = world
                .permissions_of(user)
                .filter(|permission| {
                    permission.scope == Scope::Organization(organization.id.clone())
                })
                .max_by_key(|permission| rank(&permission.permission_type))
                .map_or(PermissionType::OrganizationMember, |permission| {
                    permission.permission_type.clone()
                });
            json!({
                "organizationId": organization.id,
                "organizationName": organization.name,
                "permission": permission,
            })
        })
        .collect();
    Ok(Resp::ok(&json!({"organizations": organizations})))
}
