//! Sources and destinations (`/sources`, `/destinations`).

use airbyte_models::{
    DestinationCreateRequest, DestinationPatchRequest, DestinationPutRequest, SourceCreateRequest,
    SourcePatchRequest, SourcePutRequest,
};
use serde_json::{Value, json};

use super::{
    Body, Ctx, Outcome, envelope, page, query_bool, workspace_filter, workspace_link_query,
};
use crate::answer::Resp;
use crate::world::configuration::{
    merge, missing_required, restore_masked, strip_type_key, type_key,
};
use crate::world::{ActorKind, ActorRec, World};

fn resource(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Source => "sources",
        ActorKind::Destination => "destinations",
    }
}

fn resource_type(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Source => "SOURCE_CONNECTION",
        ActorKind::Destination => "DESTINATION_CONNECTION",
    }
}

/// The actor, or the answer to send: 404 when missing, 403 when out of reach.
pub(crate) fn find<'w>(
    ctx: &Ctx,
    world: &'w World,
    kind: ActorKind,
    id: &str,
) -> Result<&'w ActorRec, Resp> {
    let actor = world
        .actor(kind, id)
        .ok_or_else(|| Resp::not_found(resource_type(kind), id))?;
    ctx.check_workspace(&actor.workspace_id)?;
    Ok(actor)
}

/// The body of a create, patch or put, typed by the operation's request model.
fn typed_body(ctx: &Ctx, kind: ActorKind, write: Write) -> Result<Body, Resp> {
    match (kind, write) {
        (ActorKind::Source, Write::Create) => ctx.body::<SourceCreateRequest>(),
        (ActorKind::Source, Write::Patch) => ctx.body::<SourcePatchRequest>(),
        (ActorKind::Source, Write::Put) => ctx.body::<SourcePutRequest>(),
        (ActorKind::Destination, Write::Create) => ctx.body::<DestinationCreateRequest>(),
        (ActorKind::Destination, Write::Patch) => ctx.body::<DestinationPatchRequest>(),
        (ActorKind::Destination, Write::Put) => ctx.body::<DestinationPutRequest>(),
    }
}

#[derive(Clone, Copy)]
enum Write {
    Create,
    Patch,
    Put,
}

pub(crate) fn list(ctx: &Ctx, kind: ActorKind) -> Outcome {
    let (limit, offset) = page(&ctx.req)?;
    let include_deleted = query_bool(&ctx.req, "includeDeleted")?;
    let world = ctx.world();
    let workspaces = workspace_filter(ctx, &world)?;
    let data: Vec<_> = world
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
        .map(|actor| actor.public_json(&world))
        .collect();
    Ok(Resp::ok(&envelope(
        ctx,
        resource(kind),
        data,
        limit,
        offset,
        &workspace_link_query(ctx, include_deleted),
    )))
}

pub(crate) fn get(ctx: &Ctx, kind: ActorKind, id: &str) -> Outcome {
    let world = ctx.world();
    let actor = find(ctx, &world, kind, id)?;
    Ok(Resp::ok(&actor.public_json(&world)))
}

pub(crate) fn create(ctx: &Ctx, kind: ActorKind) -> Outcome {
    let body = typed_body(ctx, kind, Write::Create)?;
    let name = body.str_req("name")?;
    let workspace_id = body.str_req("workspaceId")?;
    let mut configuration = Value::Object(body.object_req("configuration")?);
    let definition_id = body.str_opt("definitionId")?;
    let secret_id = if kind == ActorKind::Source {
        body.str_opt("secretId")?
    } else {
        None
    };
    let mut world = ctx.world();
    if world.workspace(&workspace_id).is_none() {
        return Err(Resp::not_found("STANDARD_WORKSPACE", &workspace_id));
    }
    ctx.check_workspace(&workspace_id)?;
    let definition_id = match definition_id {
        Some(id) => world
            .definitions
            .get(&id)
            .filter(|definition| definition.kind == kind)
            .filter(|definition| {
                definition
                    .workspace_id
                    .as_ref()
                    .is_none_or(|owner| *owner == workspace_id)
            })
            .map(|definition| definition.id.clone())
            .ok_or_else(|| {
                Resp::not_found(
                    &format!("STANDARD_{}_DEFINITION", kind.as_str().to_uppercase()),
                    &id,
                )
            })?,
        None => {
            let Some(type_name) = configuration
                .get(type_key(kind))
                .and_then(Value::as_str)
                .map(str::to_owned)
            else {
                return Err(Resp::unprocessable(None));
            };
            world
                .definition_by_name(kind, &type_name)
                .map(|definition| definition.id.clone())
                .ok_or_else(|| {
                    Resp::problem(
                        http::StatusCode::BAD_REQUEST,
                        "value-not-found",
                        None,
                        "The submitted value could not be found.",
                        json!({"value": type_name}),
                    )
                })?
        }
    };
    strip_type_key(kind, &mut configuration);
    if let Some(secret) = &secret_id {
        let credentials =
            super::oauth::secret_configuration(&world, secret, &workspace_id, &definition_id)?;
        merge(&mut configuration, &credentials);
    }
    let actor = ActorRec {
        id: world.new_id(),
        kind,
        name,
        workspace_id,
        definition_id,
        configuration,
        created_at: ctx.now_s(),
        check: None,
        draft: false,
        deleted: false,
    };
    let response = Resp::ok(&actor.public_json(&world));
    world.actors.insert(actor);
    Ok(response)
}

pub(crate) fn patch(ctx: &Ctx, kind: ActorKind, id: &str) -> Outcome {
    let body = typed_body(ctx, kind, Write::Patch)?;
    let name = body.str_opt("name")?;
    let configuration = body.object_opt("configuration")?;
    let new_workspace = if kind == ActorKind::Source {
        body.str_opt("workspaceId")?
    } else {
        None
    };
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
        .ok_or_else(|| Resp::not_found(resource_type(kind), id))?;
    if let Some(name) = name {
        actor.name = name;
    }
    if let Some(configuration) = configuration {
        let mut patch = Value::Object(configuration);
        strip_type_key(kind, &mut patch);
        merge(&mut actor.configuration, &patch);
    }
    if let Some(workspace) = new_workspace {
        actor.workspace_id = workspace;
    }
    let actor = actor.clone();
    settle_draft(&mut world, &actor.id);
    Ok(Resp::ok(&actor.public_json(&world)))
}

pub(crate) fn put(ctx: &Ctx, kind: ActorKind, id: &str) -> Outcome {
    let body = typed_body(ctx, kind, Write::Put)?;
    let name = body.str_req("name")?;
    let configuration = body.object_req("configuration")?;
    let mut world = ctx.world();
    find(ctx, &world, kind, id)?;
    let actor = world
        .actors
        .get_mut(id)
        .ok_or_else(|| Resp::not_found(resource_type(kind), id))?;
    actor.name = name;
    // A PUT replaces the configuration, except secrets sent back masked.
    let mut replaced = Value::Object(configuration);
    strip_type_key(kind, &mut replaced);
    restore_masked(&mut replaced, &actor.configuration);
    actor.configuration = replaced;
    let actor = actor.clone();
    settle_draft(&mut world, &actor.id);
    Ok(Resp::ok(&actor.public_json(&world)))
}

/// A draft is complete once its configuration has everything its connector requires (when
/// the world gives the connector's specification; otherwise once it is written at all).
fn settle_draft(world: &mut World, id: &str) {
    let Some(actor) = world.actors.get(id).filter(|actor| actor.draft) else {
        return;
    };
    let complete = world
        .definitions
        .get(&actor.definition_id)
        .and_then(|definition| definition.specification.as_ref())
        .is_none_or(|specification| {
            missing_required(specification, &actor.configuration).is_empty()
        });
    if complete && let Some(actor) = world.actors.get_mut(id) {
        actor.draft = false;
    }
}

pub(crate) fn delete(ctx: &Ctx, kind: ActorKind, id: &str) -> Outcome {
    let mut world = ctx.world();
    find(ctx, &world, kind, id)?;
    if let Some(actor) = world.actors.get_mut(id) {
        actor.deleted = true;
    }
    // Connections that use a deleted source or destination are deleted with it.
    for connection in world.connections.iter_mut() {
        if connection.source_id == id || connection.destination_id == id {
            connection.deleted = true;
            connection.status = airbyte_models::ConnectionStatus::Deprecated;
        }
    }
    Ok(Resp::no_content())
}
