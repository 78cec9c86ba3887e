//! Groups of users (`/groups`), their members and the permissions they grant. Groups managed
//! by an identity provider (SCIM) cannot be changed through the API.

use airbyte_models::{
    GroupCreateRequest, GroupMemberAddRequest, GroupPermissionCreateRequest, GroupUpdateRequest,
    PermissionType,
};
use http::StatusCode;
use serde_json::{Value, json};

use super::access::{find_user, scope_for};
use super::{Ctx, Outcome, envelope, find_organization, page, query_required};
use crate::answer::Resp;
use crate::world::access::{ADMIN, MEMBER};
use crate::world::{GroupRec, Holder, MemberRec, PermissionRec, Scope, World};

/// The group, once the caller is known to reach its organization with `needed`.
fn find_group<'w>(ctx: &Ctx, world: &'w World, id: &str, needed: u8) -> Result<&'w GroupRec, Resp> {
    let group = world
        .groups
        .get(id)
        .ok_or_else(|| Resp::not_found("GROUP", id))?;
    ctx.check_organization(world, &group.organization_id, needed)?;
    Ok(group)
}

/// 409 for a group an identity provider manages.
fn not_scim(group: &GroupRec) -> Result<(), Resp> {
    if group.scim {
        Err(Resp::problem(
            StatusCode::CONFLICT,
            "Group managed by SCIM",
            Some("error:group-managed-by-scim"),
            "This group is managed by SCIM and cannot be modified.",
            json!({"groupId": group.id}),
        ))
    } else {
        Ok(())
    }
}

/// 409 when another group of the organization has the name.
fn unique_name(
    world: &World,
    organization: &str,
    name: &str,
    except: Option<&str>,
) -> Result<(), Resp> {
    let taken = world.groups.iter().any(|group| {
        group.organization_id == organization
            && group.name.eq_ignore_ascii_case(name)
            && Some(group.id.as_str()) != except
    });
    if taken {
        Err(Resp::problem(
            StatusCode::CONFLICT,
            "Group already exists",
            Some("error:group-already-exists"),
            "A group with this name already exists in this organization.",
            json!({"name": name}),
        ))
    } else {
        Ok(())
    }
}

fn non_blank(name: &str) -> Result<(), Resp> {
    if name.trim().is_empty() {
        Err(Resp::error_id(StatusCode::BAD_REQUEST))
    } else {
        Ok(())
    }
}

pub(crate) fn list(ctx: &Ctx) -> Outcome {
    let organization = query_required(&ctx.req, "organizationId")?.to_owned();
    let (limit, offset) = page(&ctx.req)?;
    let world = ctx.world();
    ctx.check_organization(&world, &organization, MEMBER)?;
    find_organization(&world, &organization)?;
    let data: Vec<Value> = world
        .groups
        .iter()
        .filter(|group| group.organization_id == organization)
        .skip(offset)
        .take(limit)
        .map(GroupRec::public_json)
        .collect();
    let link = format!("organizationId={organization}&");
    Ok(Resp::ok(&envelope(
        ctx, "groups", data, limit, offset, &link,
    )))
}

pub(crate) fn create(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<GroupCreateRequest>()?;
    let name = body.str_req("name")?;
    let description = body.str_opt("description")?;
    let organization = body.str_req("organizationId")?;
    non_blank(&name)?;
    let mut world = ctx.world();
    ctx.check_organization(&world, &organization, ADMIN)?;
    find_organization(&world, &organization)?;
    unique_name(&world, &organization, &name, None)?;
    let group = GroupRec {
        id: world.new_id(),
        name,
        description,
        organization_id: organization,
        scim: false,
        members: Vec::new(),
    };
    let answer = group.public_json();
    world.groups.insert(group);
    Ok(Resp::json(StatusCode::CREATED, &answer))
}

pub(crate) fn get(ctx: &Ctx, id: &str) -> Outcome {
    let world = ctx.world();
    Ok(Resp::ok(
        &find_group(ctx, &world, id, MEMBER)?.public_json(),
    ))
}

pub(crate) fn update(ctx: &Ctx, id: &str) -> Outcome {
    let body = ctx.body::<GroupUpdateRequest>()?;
    let name = body.str_opt("name")?;
    let description = body.str_opt("description")?;
    let mut world = ctx.world();
    let group = find_group(ctx, &world, id, ADMIN)?;
    not_scim(group)?;
    if let Some(name) = &name {
        non_blank(name)?;
        unique_name(&world, &group.organization_id, name, Some(id))?;
    }
    let group = world
        .groups
        .get_mut(id)
        .ok_or_else(|| Resp::not_found("GROUP", id))?;
    if let Some(name) = name {
        group.name = name;
    }
    if description.is_some() {
        group.description = description;
    }
    Ok(Resp::ok(&group.public_json()))
}

pub(crate) fn delete(ctx: &Ctx, id: &str) -> Outcome {
    let mut world = ctx.world();
    not_scim(find_group(ctx, &world, id, ADMIN)?)?;
    world.groups.remove(id);
    // What the group granted goes with it.
    let granted: Vec<String> = world
        .permissions
        .iter()
        .filter(|permission| permission.holder == Holder::Group(id.to_owned()))
        .map(|permission| permission.id.clone())
        .collect();
    for permission in granted {
        world.permissions.remove(&permission);
    }
    Ok(Resp::no_content())
}

fn member_json(world: &World, group: &GroupRec, member: &MemberRec) -> Value {
    let user = world.users.get(&member.user_id);
    json!({
        "memberId": member.id,
        "groupId": group.id,
        "userId": member.user_id,
        "userEmail": user.map_or("", |user| user.email.as_str()),
        "userName": user.map_or("", |user| user.name.as_str()),
    })
}

pub(crate) fn members(ctx: &Ctx, id: &str) -> Outcome {
    let (limit, offset) = page(&ctx.req)?;
    let world = ctx.world();
    let group = find_group(ctx, &world, id, MEMBER)?;
    let data: Vec<Value> = group
        .members
        .iter()
        .skip(offset)
        .take(limit)
        .map(|member| member_json(&world, group, member))
        .collect();
    let resource = format!("groups/{id}/members");
    Ok(Resp::ok(&envelope(ctx, &resource, data, limit, offset, "")))
}

pub(crate) fn add_member(ctx: &Ctx, id: &str) -> Outcome {
    let body = ctx.body::<GroupMemberAddRequest>()?;
    let user_id = body.str_req("userId")?;
    let mut world = ctx.world();
    let group = find_group(ctx, &world, id, ADMIN)?;
    not_scim(group)?;
    find_user(&world, &user_id)?;
    if !world.belongs_to(&user_id, &group.organization_id) {
        return Err(Resp::bad_request(&format!(
            "User {user_id} is not a user of organization {}.",
            group.organization_id
        )));
    }
    if group.members.iter().any(|member| member.user_id == user_id) {
        return Err(Resp::problem(
            StatusCode::CONFLICT,
            "Group member already exists",
            Some("error:group-member-already-exists"),
            "This user is already a member of this group.",
            json!({"userId": user_id}),
        ));
    }
    let member = MemberRec {
        id: world.new_id(),
        user_id,
    };
    let group = world
        .groups
        .get_mut(id)
        .ok_or_else(|| Resp::not_found("GROUP", id))?;
    group.members.push(member.clone());
    let group = group.clone();
    Ok(Resp::json(
        StatusCode::CREATED,
        &member_json(&world, &group, &member),
    ))
}

pub(crate) fn remove_member(ctx: &Ctx, id: &str, user_id: &str) -> Outcome {
    let mut world = ctx.world();
    let group = find_group(ctx, &world, id, ADMIN)?;
    not_scim(group)?;
    if !group.members.iter().any(|member| member.user_id == user_id) {
        return Err(Resp::not_found("GROUP_MEMBER", user_id));
    }
    if let Some(group) = world.groups.get_mut(id) {
        group.members.retain(|member| member.user_id != user_id);
    }
    Ok(Resp::no_content())
}

fn granted_by<'w>(world: &'w World, id: &'w str) -> impl Iterator<Item = &'w PermissionRec> {
    world
        .permissions
        .iter()
        .filter(move |permission| permission.holder == Holder::Group(id.to_owned()))
}

pub(crate) fn permissions(ctx: &Ctx, id: &str) -> Outcome {
    let world = ctx.world();
    find_group(ctx, &world, id, MEMBER)?;
    let data: Vec<Value> = granted_by(&world, id)
        .map(PermissionRec::group_json)
        .collect();
    Ok(Resp::ok(&json!({"data": data})))
}

/// The Public API's `PermissionType`: what a group permission may be.
const GROUP_TYPES: &[PermissionType] = &[
    PermissionType::OrganizationAdmin,
    PermissionType::OrganizationEditor,
    PermissionType::OrganizationRunner,
    PermissionType::OrganizationReader,
    PermissionType::OrganizationMember,
    PermissionType::WorkspaceAdmin,
    PermissionType::WorkspaceEditor,
    PermissionType::WorkspaceRunner,
    PermissionType::WorkspaceReader,
];

pub(crate) fn create_permission(ctx: &Ctx, id: &str) -> Outcome {
    let body = ctx.body::<GroupPermissionCreateRequest>()?;
    let permission_type = body.enum_req("permissionType", GROUP_TYPES)?;
    let workspace = body.str_opt("workspaceId")?;
    let organization = body.str_opt("organizationId")?;
    let mut world = ctx.world();
    let group = find_group(ctx, &world, id, ADMIN)?.clone();
    let scope = scope_for(ctx, &world, &permission_type, workspace, organization)?;
    let in_organization = match &scope {
        Scope::Organization(organization) => *organization == group.organization_id,
        Scope::Workspace(workspace) => {
            world.organization_of(workspace) == Some(group.organization_id.as_str())
        }
        Scope::Instance => false,
    };
    if !in_organization {
        return Err(Resp::bad_request(&format!(
            "A group of organization {} can only grant permissions within it.",
            group.organization_id
        )));
    }
    if granted_by(&world, id)
        .any(|existing| existing.scope == scope && existing.permission_type == permission_type)
    {
        return Err(Resp::problem(
            StatusCode::CONFLICT,
            "Group permission already exists",
            Some("error:group-permission-already-exists"),
            "An equivalent permission already exists for this group.",
            json!({"groupId": id}),
        ));
    }
    let permission = PermissionRec {
        id: world.new_id(),
        holder: Holder::Group(id.to_owned()),
        permission_type,
        scope,
    };
    let answer = permission.group_json();
    world.permissions.insert(permission);
    Ok(Resp::json(StatusCode::CREATED, &answer))
}

pub(crate) fn delete_permission(ctx: &Ctx, id: &str, permission_id: &str) -> Outcome {
    let mut world = ctx.world();
    find_group(ctx, &world, id, ADMIN)?;
    if !granted_by(&world, id).any(|permission| permission.id == permission_id) {
        return Err(Resp::not_found("PERMISSION", permission_id));
    }
    world.permissions.remove(permission_id);
    Ok(Resp::no_content())
}
