//! Sources and destinations (`/sources`, `/destinations`).

use serde_json::{Value, json};

use super::{
    Body, Ctx, Outcome, envelope, mask_secrets, merge_config, page, query_bool, workspace_filter,
    workspace_link_query,
};
use crate::http_util::Resp;
use crate::world::{ActorKind, ActorRec, World};

fn names(kind: ActorKind) -> (&'static str, &'static str, &'static str, &'static str) {
    match kind {
        ActorKind::Source => ("sources", "sourceId", "sourceType", "SOURCE_CONNECTION"),
        ActorKind::Destination => (
            "destinations",
            "destinationId",
            "destinationType",
            "DESTINATION_CONNECTION",
        ),
    }
}

/// The API representation of a source or destination, secrets masked.
pub(crate) fn actor_json(world: &World, actor: &ActorRec) -> Value {
    let (_, id_key, type_key, _) = names(actor.kind);
    json!({
        id_key: actor.id,
        "name": actor.name,
        type_key: world.actor_type_name(actor),
        "definitionId": actor.definition_id,
        "workspaceId": actor.workspace_id,
        "configuration": mask_secrets(&actor.configuration),
        "createdAt": actor.created_at,
    })
}

/// The actor, or the answer to send: 404 when missing, 403 when out of reach.
pub(crate) fn find<'w>(
    ctx: &Ctx<'_>,
    world: &'w World,
    kind: ActorKind,
    id: &str,
) -> Result<&'w ActorRec, Resp> {
    let (_, _, _, resource_type) = names(kind);
    let actor = world
        .actor(kind, id)
        .ok_or_else(|| Resp::not_found(resource_type, id))?;
    ctx.check_workspace(&actor.workspace_id)?;
    Ok(actor)
}

pub(crate) fn list(ctx: &Ctx<'_>, kind: ActorKind) -> Outcome {
    let (limit, offset) = page(ctx.req)?;
    let include_deleted = query_bool(ctx.req, "includeDeleted")?;
    let workspaces = workspace_filter(ctx)?;
    let world = ctx.world();
    let data: Vec<Value> = world
        .actors
        .iter()
        .filter(|actor| actor.kind == kind && (include_deleted || !actor.deleted))
        .filter(|actor| {
            workspaces
                .as_ref()
                .is_none_or(|allowed| allowed.contains(&actor.workspace_id))
        })
        .skip(offset)
        .take(limit)
        .map(|actor| actor_json(&world, actor))
        .collect();
    let (resource, ..) = names(kind);
    Ok(Resp::ok(&envelope(
        ctx.req,
        resource,
        data,
        limit,
        offset,
        &workspace_link_query(ctx, include_deleted),
    )))
}

pub(crate) fn get(ctx: &Ctx<'_>, kind: ActorKind, id: &str) -> Outcome {
    let world = ctx.world();
    let actor = find(ctx, &world, kind, id)?;
    Ok(Resp::ok(&actor_json(&world, actor)))
}

pub(crate) fn create(ctx: &Ctx<'_>, kind: ActorKind) -> Outcome {
    let body = Body::of(ctx.req)?;
    let name = body.str_req("name")?;
    let workspace_id = body.str_req("workspaceId")?;
    let mut configuration = Value::Object(body.object_req("configuration")?);
    let definition_id = body.str_opt("definitionId")?;
    body.str_opt("secretId")?;
    body.object_opt("resourceAllocation")?;
    let (_, _, type_key, _) = names(kind);
    let mut world = ctx.world();
    if world.workspace(&workspace_id).is_none() {
        return Err(Resp::not_found("STANDARD_WORKSPACE", &workspace_id));
    }
    ctx.check_workspace(&workspace_id)?;
    let definition_id = match definition_id {
        Some(id) => {
            let definition = world
                .definitions
                .get(&id)
                .filter(|definition| definition.kind == kind)
                .filter(|definition| {
                    definition
                        .workspace_id
                        .as_ref()
                        .is_none_or(|owner| *owner == workspace_id)
                })
                .ok_or_else(|| {
                    Resp::not_found(
                        &format!("STANDARD_{}_DEFINITION", kind.as_str().to_uppercase()),
                        &id,
                    )
                })?;
            definition.id.clone()
        }
        None => {
            let Some(type_name) = configuration
                .get(type_key)
                .and_then(Value::as_str)
                .map(str::to_owned)
            else {
                return Err(Resp::unprocessable(None));
            };
            let definition = world.definition_by_name(kind, &type_name).ok_or_else(|| {
                Resp::problem(
                    http::StatusCode::BAD_REQUEST,
                    "value-not-found",
                    None,
                    "The submitted value could not be found.",
                    json!({"value": type_name}),
                )
            })?;
            let id = definition.id.clone();
            if let Some(map) = configuration.as_object_mut() {
                map.remove(type_key);
            }
            id
        }
    };
    let actor = ActorRec {
        id: world.new_id(),
        kind,
        name,
        workspace_id,
        definition_id,
        configuration,
        created_at: ctx.now_s(),
        check: None,
        deleted: false,
    };
    let response = actor_json(&world, &actor);
    world.actors.insert(actor);
    Ok(Resp::ok(&response))
}

pub(crate) fn patch(ctx: &Ctx<'_>, kind: ActorKind, id: &str) -> Outcome {
    let body = Body::of(ctx.req)?;
    let name = body.str_opt("name")?;
    let configuration = body.object_opt("configuration")?;
    let new_workspace = if kind == ActorKind::Source {
        body.str_opt("workspaceId")?
    } else {
        None
    };
    body.str_opt("secretId")?;
    body.object_opt("resourceAllocation")?;
    let mut world = ctx.world();
    find(ctx, &world, kind, id)?;
    if let Some(workspace) = &new_workspace {
        if world.workspace(workspace).is_none() {
            return Err(Resp::not_found("STANDARD_WORKSPACE", workspace));
        }
        ctx.check_workspace(workspace)?;
    }
    let actor = world
        .actors
        .get_mut(id)
        .ok_or_else(|| Resp::not_found("SOURCE_CONNECTION", id))?;
    if let Some(name) = name {
        actor.name = name;
    }
    if let Some(configuration) = configuration {
        merge_config(&mut actor.configuration, &Value::Object(configuration));
    }
    if let Some(workspace) = new_workspace {
        actor.workspace_id = workspace;
    }
    let actor = actor.clone();
    Ok(Resp::ok(&actor_json(&world, &actor)))
}

pub(crate) fn put(ctx: &Ctx<'_>, kind: ActorKind, id: &str) -> Outcome {
    let body = Body::of(ctx.req)?;
    let name = body.str_req("name")?;
    let configuration = body.object_req("configuration")?;
    body.object_opt("resourceAllocation")?;
    let mut world = ctx.world();
    find(ctx, &world, kind, id)?;
    let actor = world
        .actors
        .get_mut(id)
        .ok_or_else(|| Resp::not_found("SOURCE_CONNECTION", id))?;
    actor.name = name;
    // A PUT replaces the configuration, except secrets sent back masked.
    let mut replaced = Value::Object(configuration);
    restore_masked(&mut replaced, &actor.configuration);
    actor.configuration = replaced;
    let actor = actor.clone();
    Ok(Resp::ok(&actor_json(&world, &actor)))
}

/// Puts stored secrets back where a new configuration carries the mask.
fn restore_masked(new: &mut Value, stored: &Value) {
    if let (Value::Object(new), Value::Object(stored)) = (new, stored) {
        for (key, value) in new.iter_mut() {
            if value.as_str() == Some(airbyte_models::SERVER_SECRET_MASK) {
                if let Some(original) = stored.get(key) {
                    *value = original.clone();
                }
            } else if let Some(original) = stored.get(key) {
                restore_masked(value, original);
            }
        }
    }
}

pub(crate) fn delete(ctx: &Ctx<'_>, kind: ActorKind, id: &str) -> Outcome {
    let mut world = ctx.world();
    find(ctx, &world, kind, id)?;
    if let Some(actor) = world.actors.get_mut(id) {
        actor.deleted = true;
    }
    // Connections that use a deleted source or destination are deleted with it.
    for connection in world.connections.iter_mut() {
        if connection.source_id == id || connection.destination_id == id {
            connection.deleted = true;
            connection.status = "deprecated".to_owned();
        }
    }
    Ok(Resp::no_content())
}
