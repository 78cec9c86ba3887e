//! Custom definitions of a workspace (Docker and declarative) and the connector catalog.

use airbyte_models::{
    CreateDeclarativeSourceDefinitionRequest, CreateDefinitionRequest,
    UpdateDeclarativeSourceDefinitionRequest, UpdateDefinitionRequest,
};
use http::StatusCode;
use serde_json::{Value, json};

use super::{Body, Ctx, Outcome};
use crate::answer::Resp;
use crate::world::catalog::manifest_streams;
use crate::world::{ActorKind, BuilderProjectRec, DeclarativeRec, DefinitionRec, World};

/// The three kinds of `/workspaces/{id}/definitions/{kind}`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Docker(ActorKind),
    Declarative,
}

fn matches(definition: &DefinitionRec, workspace_id: &str, kind: Kind) -> bool {
    definition.workspace_id.as_deref() == Some(workspace_id)
        && match kind {
            Kind::Declarative => definition.declarative.is_some(),
            Kind::Docker(actor) => definition.kind == actor && definition.declarative.is_none(),
        }
}

fn workspace_checked(ctx: &Ctx, world: &World, workspace_id: &str) -> Result<(), Resp> {
    if world.workspace(workspace_id).is_none() {
        return Err(Resp::not_found("STANDARD_WORKSPACE", workspace_id));
    }
    ctx.check_workspace(workspace_id)
}

fn find<'w>(
    world: &'w World,
    workspace_id: &str,
    kind: Kind,
    id: &str,
) -> Result<&'w DefinitionRec, Resp> {
    match world.definitions.get(id) {
        Some(definition) if matches(definition, workspace_id, kind) => Ok(definition),
        Some(definition) if !definition.is_custom() => {
            Err(Resp::bad_request("Public definitions cannot be modified."))
        }
        _ => Err(Resp::not_found("STANDARD_SOURCE_DEFINITION", id)),
    }
}

/// The manifest must be an object with `spec.connection_specification`.
fn check_manifest(manifest: &Value) -> Result<(), Resp> {
    if !manifest.is_object() {
        return Err(Resp::error_id(StatusCode::UNPROCESSABLE_ENTITY));
    }
    if manifest.pointer("/spec/connection_specification").is_none() {
        return Err(Resp::bad_request(
            "The manifest must contain spec.connection_specification",
        ));
    }
    Ok(())
}

pub(crate) fn list(ctx: &Ctx, workspace_id: &str, kind: Kind) -> Outcome {
    let world = ctx.world();
    workspace_checked(ctx, &world, workspace_id)?;
    let data: Vec<Value> = world
        .definitions
        .iter()
        .filter(|definition| matches(definition, workspace_id, kind))
        .map(DefinitionRec::public_json)
        .collect();
    Ok(Resp::ok(&json!({"data": data})))
}

pub(crate) fn get(ctx: &Ctx, workspace_id: &str, kind: Kind, id: &str) -> Outcome {
    let world = ctx.world();
    workspace_checked(ctx, &world, workspace_id)?;
    Ok(Resp::ok(
        &find(&world, workspace_id, kind, id)?.public_json(),
    ))
}

/// The body of a create or update, typed by the operation's request model.
fn typed_body(ctx: &Ctx, kind: Kind, create: bool) -> Result<Body, Resp> {
    match (kind, create) {
        (Kind::Declarative, true) => ctx.body::<CreateDeclarativeSourceDefinitionRequest>(),
        (Kind::Declarative, false) => ctx.body::<UpdateDeclarativeSourceDefinitionRequest>(),
        (Kind::Docker(_), true) => ctx.body::<CreateDefinitionRequest>(),
        (Kind::Docker(_), false) => ctx.body::<UpdateDefinitionRequest>(),
    }
}

pub(crate) fn create(ctx: &Ctx, workspace_id: &str, kind: Kind) -> Outcome {
    let body = typed_body(ctx, kind, true)?;
    let name = body.str_req("name")?;
    let mut world = ctx.world();
    workspace_checked(ctx, &world, workspace_id)?;
    let id = world.new_id();
    let definition = match kind {
        Kind::Declarative => {
            let manifest = body.value_req("manifest")?;
            check_manifest(&manifest)?;
            let project_id = world.new_id();
            world.builder_projects.insert(BuilderProjectRec {
                id: project_id.clone(),
                workspace_id: workspace_id.to_owned(),
                name: name.clone(),
                definition_id: id.clone(),
                testing_values: None,
                updated_at: ctx.now_s(),
            });
            DefinitionRec {
                id,
                kind: ActorKind::Source,
                name,
                version: "0.1.0".to_owned(),
                docker_repository: "airbyte/source-declarative-manifest".to_owned(),
                docker_image_tag: "6.0.0".to_owned(),
                documentation_url: None,
                streams: manifest_streams(&manifest),
                workspace_id: Some(workspace_id.to_owned()),
                declarative: Some(DeclarativeRec {
                    manifest,
                    version: 1,
                    builder_project_id: Some(project_id),
                }),
                specification: None,
                oauth: false,
            }
        }
        Kind::Docker(actor) => DefinitionRec {
            id,
            kind: actor,
            name,
            version: body.str_req("dockerImageTag")?,
            docker_repository: body.str_req("dockerRepository")?,
            docker_image_tag: body.str_req("dockerImageTag")?,
            documentation_url: body.str_opt("documentationUrl")?,
            streams: vec![crate::world::StreamDef {
                name: "records".to_owned(),
                namespace: None,
                incremental: false,
                default_cursor_field: Vec::new(),
                primary_key: vec![vec!["id".to_owned()]],
                fields: vec!["id".to_owned(), "data".to_owned()],
            }],
            workspace_id: Some(workspace_id.to_owned()),
            declarative: None,
            specification: None,
            oauth: false,
        },
    };
    let response = definition.public_json();
    world.definitions.insert(definition);
    Ok(Resp::ok(&response))
}

pub(crate) fn update(ctx: &Ctx, workspace_id: &str, kind: Kind, id: &str) -> Outcome {
    let body = typed_body(ctx, kind, false)?;
    let mut world = ctx.world();
    workspace_checked(ctx, &world, workspace_id)?;
    find(&world, workspace_id, kind, id)?;
    let definition = world
        .definitions
        .get_mut(id)
        .ok_or_else(|| Resp::not_found("STANDARD_SOURCE_DEFINITION", id))?;
    match kind {
        Kind::Declarative => {
            let manifest = body.value_req("manifest")?;
            check_manifest(&manifest)?;
            definition.streams = manifest_streams(&manifest);
            if let Some(declarative) = &mut definition.declarative {
                declarative.manifest = manifest;
                declarative.version += 1;
            }
        }
        Kind::Docker(_) => {
            let name = body.str_req("name")?;
            let tag = body.str_req("dockerImageTag")?;
            definition.name = name;
            definition.docker_image_tag = tag.clone();
            definition.version = tag;
        }
    }
    Ok(Resp::ok(&definition.public_json()))
}

pub(crate) fn delete(ctx: &Ctx, workspace_id: &str, kind: Kind, id: &str) -> Outcome {
    let mut world = ctx.world();
    workspace_checked(ctx, &world, workspace_id)?;
    find(&world, workspace_id, kind, id)?;
    let definition = world
        .definitions
        .remove(id)
        .ok_or_else(|| Resp::not_found("STANDARD_SOURCE_DEFINITION", id))?;
    if let Some(project) = definition
        .declarative
        .as_ref()
        .and_then(|d| d.builder_project_id.clone())
    {
        world.builder_projects.remove(&project);
    }
    // As on Airbyte: the connectors that run the definition are deleted with it, and the
    // connections that use them.
    let mut gone = Vec::new();
    for actor in world.actors.iter_mut() {
        if actor.definition_id == id && !actor.deleted {
            actor.deleted = true;
            gone.push(actor.id.clone());
        }
    }
    for connection in world.connections.iter_mut() {
        if gone.contains(&connection.source_id) || gone.contains(&connection.destination_id) {
            connection.deleted = true;
            connection.status = airbyte_models::ConnectionStatus::Deprecated;
        }
    }
    // The deleted definition is answered with 200 and its body.
    Ok(Resp::ok(&definition.public_json()))
}

/// `GET /connector_definitions?type=source|destination[&workspaceId=...]`.
pub(crate) fn list_catalog(ctx: &Ctx) -> Outcome {
    let kind = match ctx.req.query_one("type") {
        Some("source") => ActorKind::Source,
        Some("destination") => ActorKind::Destination,
        _ => return Err(Resp::error_id(StatusCode::BAD_REQUEST)),
    };
    let workspace_id = ctx.req.query_one("workspaceId").map(str::to_owned);
    let world = ctx.world();
    if let Some(workspace) = &workspace_id {
        ctx.check_workspace(workspace)?;
        if world.workspace(workspace).is_none() {
            return Err(Resp::not_found("STANDARD_WORKSPACE", workspace));
        }
    }
    let data: Vec<Value> = world
        .definitions
        .iter()
        .filter(|definition| definition.kind == kind)
        .filter(|definition| match &definition.workspace_id {
            None => true,
            Some(owner) => workspace_id.as_deref() == Some(owner.as_str()),
        })
        .map(DefinitionRec::catalog_json)
        .collect();
    Ok(Resp::ok(&json!({"data": data})))
}
