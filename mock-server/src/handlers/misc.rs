//! Workspaces, organizations and tags.

use airbyte_models::{
    TagCreateRequest, TagPatchRequest, WorkspaceCreateRequest, WorkspaceUpdateRequest,
};
use http::StatusCode;
use serde_json::{Value, json};

use super::{Ctx, Outcome, envelope, page, query_bool};
use crate::answer::Resp;
use crate::auth::CallerKind;
use crate::world::access::EDITOR;
use crate::world::{OrganizationRec, TagRec, WorkspaceRec, World};

fn find_workspace<'w>(
    ctx: &Ctx,
    world: &'w crate::world::World,
    id: &str,
) -> Result<&'w WorkspaceRec, Resp> {
    let workspace = world
        .workspace(id)
        .ok_or_else(|| Resp::not_found("STANDARD_WORKSPACE", id))?;
    ctx.check_workspace(id)?;
    Ok(workspace)
}

/// The data residency a region gives a workspace of `organization`: the region's name in
/// lower case, as the server reports data plane groups. 404 for an unknown region, 400 for
/// another organization's.
fn region_residency(world: &World, region: &str, organization: &str) -> Result<String, Resp> {
    let region = world
        .regions
        .get(region)
        .ok_or_else(|| Resp::not_found("DATAPLANE_GROUP", region))?;
    if region.organization_id != organization {
        return Err(Resp::bad_request(&format!(
            "Region {} belongs to another organization.",
            region.id
        )));
    }
    Ok(region.name.to_lowercase())
}

pub(crate) fn list_workspaces(ctx: &Ctx) -> Outcome {
    let (limit, offset) = page(&ctx.req)?;
    let include_deleted = query_bool(&ctx.req, "includeDeleted")?;
    let world = ctx.world();
    let requested = super::workspace_filter(ctx, &world)?;
    let data: Vec<Value> = world
        .workspaces
        .iter()
        .filter(|workspace| include_deleted || !workspace.deleted)
        .filter(|workspace| {
            requested
                .as_ref()
                .is_none_or(|ids| ids.contains(&workspace.id))
        })
        .skip(offset)
        .take(limit)
        .map(WorkspaceRec::public_json)
        .collect();
    let link = super::workspace_link_query(ctx, include_deleted);
    Ok(Resp::ok(&envelope(
        ctx,
        "workspaces",
        data,
        limit,
        offset,
        &link,
    )))
}

pub(crate) fn get_workspace(ctx: &Ctx, id: &str) -> Outcome {
    let world = ctx.world();
    Ok(Resp::ok(&find_workspace(ctx, &world, id)?.public_json()))
}

pub(crate) fn create_workspace(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<WorkspaceCreateRequest>()?;
    let name = body.str_req("name")?;
    let organization_id = body.str_opt("organizationId")?;
    let notifications = body.object_opt("notifications")?;
    let region_id = body.str_opt("regionId")?;
    if ctx.principal.kind == CallerKind::Operator && ctx.principal.workspaces.is_some() {
        return Err(Resp::forbidden(
            "These credentials are limited to some workspaces and cannot create workspaces.",
        ));
    }
    let mut world = ctx.world();
    let organization_id = match organization_id {
        Some(id) => id,
        None => world
            .organizations
            .iter()
            .next()
            .map(|organization| organization.id.clone())
            .ok_or_else(|| {
                Resp::bad_request("organizationId is required: there is no default organization")
            })?,
    };
    ctx.check_organization(&world, &organization_id, EDITOR)?;
    super::find_organization(&world, &organization_id)?;
    let data_residency = match &region_id {
        Some(region) => region_residency(&world, region, &organization_id)?,
        None => "auto".to_owned(),
    };
    let workspace = WorkspaceRec {
        id: world.new_id(),
        name,
        organization_id,
        data_residency,
        notifications: notifications.map_or_else(|| json!({}), Value::Object),
        deleted: false,
    };
    let response = workspace.public_json();
    world.workspaces.insert(workspace);
    Ok(Resp::ok(&response))
}

pub(crate) fn update_workspace(ctx: &Ctx, id: &str) -> Outcome {
    let body = ctx.body::<WorkspaceUpdateRequest>()?;
    let name = body.str_opt("name")?;
    let notifications = body.object_opt("notifications")?;
    let region_id = body.str_opt("regionId")?;
    let mut world = ctx.world();
    let organization = find_workspace(ctx, &world, id)?.organization_id.clone();
    let residency = match &region_id {
        Some(region) => Some(region_residency(&world, region, &organization)?),
        None => None,
    };
    let workspace = world
        .workspaces
        .get_mut(id)
        .ok_or_else(|| Resp::not_found("STANDARD_WORKSPACE", id))?;
    if let Some(name) = name {
        workspace.name = name;
    }
    if let Some(residency) = residency {
        workspace.data_residency = residency;
    }
    if let Some(notifications) = notifications {
        workspace.notifications = Value::Object(notifications);
    }
    Ok(Resp::ok(&workspace.public_json()))
}

pub(crate) fn delete_workspace(ctx: &Ctx, id: &str) -> Outcome {
    let mut world = ctx.world();
    find_workspace(ctx, &world, id)?;
    if let Some(workspace) = world.workspaces.get_mut(id) {
        workspace.deleted = true;
    }
    for actor in world
        .actors
        .iter_mut()
        .filter(|actor| actor.workspace_id == id)
    {
        actor.deleted = true;
    }
    for connection in world
        .connections
        .iter_mut()
        .filter(|connection| connection.workspace_id == id)
    {
        connection.deleted = true;
    }
    Ok(Resp::no_content())
}

pub(crate) fn list_organizations(ctx: &Ctx) -> Outcome {
    let world = ctx.world();
    let data: Vec<Value> = world
        .organizations
        .iter()
        .filter(|organization| match &ctx.principal.workspaces {
            None => true,
            Some(allowed) => allowed.iter().any(|id| {
                world
                    .workspace(id)
                    .is_some_and(|workspace| workspace.organization_id == organization.id)
            }),
        })
        .map(OrganizationRec::public_json)
        .collect();
    Ok(Resp::ok(&json!({"data": data})))
}

fn validate_tag(name: &str, color: &str) -> Result<(), Resp> {
    if name.chars().count() > 30 {
        return Err(Resp::problem(
            StatusCode::BAD_REQUEST,
            "Tag name too long",
            Some("error:tag-name-too-long"),
            "Tag name must be at most 30 characters.",
            json!({"name": name}),
        ));
    }
    if color.len() != 6 || !color.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(Resp::problem(
            StatusCode::BAD_REQUEST,
            "Invalid hex color",
            Some("error:tag-invalid-hex-color"),
            "The color must be a 6-digit hexadecimal value such as FF5733.",
            json!({"color": color}),
        ));
    }
    Ok(())
}

fn find_tag<'w>(ctx: &Ctx, world: &'w crate::world::World, id: &str) -> Result<&'w TagRec, Resp> {
    let tag = world
        .tags
        .get(id)
        .ok_or_else(|| Resp::not_found("TAG", id))?;
    ctx.check_workspace(&tag.workspace_id)?;
    Ok(tag)
}

pub(crate) fn list_tags(ctx: &Ctx) -> Outcome {
    let world = ctx.world();
    let workspaces = super::workspace_filter(ctx, &world)?;
    let data: Vec<Value> = world
        .tags
        .iter()
        .filter(|tag| {
            workspaces
                .as_ref()
                .is_none_or(|ids| ids.contains(&tag.workspace_id))
        })
        .map(TagRec::public_json)
        .collect();
    Ok(Resp::ok(&json!({"data": data})))
}

pub(crate) fn get_tag(ctx: &Ctx, id: &str) -> Outcome {
    let world = ctx.world();
    Ok(Resp::ok(&find_tag(ctx, &world, id)?.public_json()))
}

pub(crate) fn create_tag(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<TagCreateRequest>()?;
    let name = body.str_req("name")?;
    let color = body.str_req("color")?;
    let workspace_id = body.str_req("workspaceId")?;
    validate_tag(&name, &color)?;
    let mut world = ctx.world();
    find_workspace(ctx, &world, &workspace_id)?;
    if world
        .tags
        .iter()
        .any(|tag| tag.workspace_id == workspace_id && tag.name == name)
    {
        return Err(Resp::problem(
            StatusCode::CONFLICT,
            "Tag already exists",
            Some("error:tag-already-exists"),
            "A tag with this name already exists in the workspace.",
            json!({"name": name}),
        ));
    }
    let tag = TagRec {
        id: world.new_id(),
        name,
        color,
        workspace_id,
    };
    let response = tag.public_json();
    world.tags.insert(tag);
    Ok(Resp::ok(&response))
}

pub(crate) fn patch_tag(ctx: &Ctx, id: &str) -> Outcome {
    let body = ctx.body::<TagPatchRequest>()?;
    let name = body.str_req("name")?;
    let color = body.str_req("color")?;
    validate_tag(&name, &color)?;
    let mut world = ctx.world();
    find_tag(ctx, &world, id)?;
    let tag = world
        .tags
        .get_mut(id)
        .ok_or_else(|| Resp::not_found("TAG", id))?;
    tag.name = name;
    tag.color = color;
    Ok(Resp::ok(&tag.public_json()))
}

pub(crate) fn delete_tag(ctx: &Ctx, id: &str) -> Outcome {
    let mut world = ctx.world();
    find_tag(ctx, &world, id)?;
    world.tags.remove(id);
    for connection in world.connections.iter_mut() {
        connection.tags.retain(|tag| tag != id);
    }
    Ok(Resp::no_content())
}
