//! The Config API subset: checks, job details with logs, state, catalogs, organization info and
//! Connector Builder projects. Every route is a `POST` with a JSON body, typed by the model of
//! its request.

use airbyte_models::{
    BuilderProjectForDefinitionRequest, BuilderProjectRequest, ConnectionIdRequest,
    ConnectionStateCreateOrUpdate, DestinationIdRequest, JobIdRequest,
    ListWorkspacesInOrganizationRequest, OrganizationIdRequest, SourceIdRequest,
    UpdateTestingValuesRequest, WebBackendConnectionRequest, WebBackendConnectionUpdate,
    WorkspaceIdRequest,
};
use http::StatusCode;
use serde_json::{Value, json};

use super::catalog::streams_from_catalog;
use super::{Body, Ctx, Outcome, actors, connections};
use crate::answer::Resp;
use crate::jobs::JobRec;
use crate::json::object;
use crate::world::{ActorKind, CheckScript, World};

pub(crate) fn not_found(what: &str, id: &str) -> Resp {
    Resp::known_exception(
        StatusCode::NOT_FOUND,
        &format!("Could not find {what} with id: {id}"),
    )
}

/// Maps the Public API's 404 problem of a lookup into the Config API's shape.
fn config_lookup<T>(result: Result<T, Resp>, what: &str, id: &str) -> Result<T, Resp> {
    result.map_err(|answer| {
        if answer.status == StatusCode::NOT_FOUND {
            not_found(what, id)
        } else {
            answer
        }
    })
}

/// `sources/get`: the Config API's `SourceRead`, which names the source's definition.
pub(crate) fn source_read(ctx: &Ctx) -> Outcome {
    let id = ctx.body::<SourceIdRequest>()?.str_req("sourceId")?;
    let world = ctx.world();
    let kind = ActorKind::Source;
    let source = config_lookup(actors::find(ctx, &world, kind, &id), kind.as_str(), &id)?;
    Ok(Resp::ok(&source.config_json(&world)))
}

/// `sources/check_connection` and `destinations/check_connection`.
pub(crate) fn check(ctx: &Ctx, kind: ActorKind) -> Outcome {
    let (body, key) = if kind == ActorKind::Source {
        (ctx.body::<SourceIdRequest>()?, "sourceId")
    } else {
        (ctx.body::<DestinationIdRequest>()?, "destinationId")
    };
    let id = body.str_req(key)?;
    let world = ctx.world();
    let actor = config_lookup(actors::find(ctx, &world, kind, &id), kind.as_str(), &id)?;
    let started = ctx.now_s();
    let job_info = |succeeded: bool, failure: Option<&str>| {
        object(vec![
            (
                "id",
                Some(json!(format!(
                    "{:08x}-0000-4000-8000-{:012x}",
                    started, started
                ))),
            ),
            (
                "configType",
                Some(json!(format!("check_connection_{}", kind.as_str()))),
            ),
            ("configId", Some(json!(id))),
            ("createdAt", Some(json!(started))),
            ("endedAt", Some(json!(started + 2))),
            ("succeeded", Some(json!(succeeded))),
            ("connectorConfigurationUpdated", Some(json!(false))),
            ("logType", Some(json!("formatted"))),
            (
                "logs",
                Some(
                    json!({"logLines": [format!("Checking connection of {} {}", kind.as_str(), actor.name)]}),
                ),
            ),
            (
                "failureReason",
                failure.map(|message| {
                    json!({
                        "failureOrigin": kind.as_str(), "failureType": "system_error",
                        "externalMessage": message, "timestamp": (started + 2) * 1000,
                    })
                }),
            ),
        ])
    };
    let script = match (&actor.check, draft_gap(&world, actor)) {
        (_, Some(missing)) => CheckScript::Failed {
            message: format!(
                "The {} is a draft: its configuration lacks {missing}, to be set in Airbyte before it can connect.",
                kind.as_str()
            ),
        },
        (Some(script), None) => script.clone(),
        (None, None) => CheckScript::Succeeded,
    };
    let answer = match script {
        CheckScript::Succeeded => {
            json!({"status": "succeeded", "message": "Connection succeeded", "jobInfo": job_info(true, None)})
        }
        CheckScript::Failed { message } => {
            json!({"status": "failed", "message": message, "jobInfo": job_info(true, None)})
        }
        CheckScript::Crash { message } => json!({"jobInfo": job_info(false, Some(&message))}),
    };
    Ok(Resp::ok(&answer))
}

/// What a draft still lacks, when the actor is one.
fn draft_gap(world: &World, actor: &crate::world::ActorRec) -> Option<String> {
    if !actor.draft {
        return None;
    }
    let missing = world
        .definitions
        .get(&actor.definition_id)
        .and_then(|definition| definition.specification.as_ref())
        .map(|specification| {
            crate::world::configuration::missing_required(specification, &actor.configuration)
        })
        .unwrap_or_default();
    Some(if missing.is_empty() {
        "its credentials".to_owned()
    } else {
        missing.join(", ")
    })
}

fn find_job<'w>(ctx: &Ctx, world: &'w World, body: &Body) -> Result<&'w JobRec, Resp> {
    let id = body.i64_req("id")?;
    let job = world
        .jobs
        .get(&id)
        .ok_or_else(|| not_found("job", &id.to_string()))?;
    ctx.check_workspace(&job.workspace_id)?;
    Ok(job)
}

/// `jobs/get` and `jobs/get_without_logs`.
pub(crate) fn job_info(ctx: &Ctx, with_logs: bool) -> Outcome {
    let body = ctx.body::<JobIdRequest>()?;
    let world = ctx.world();
    let job = find_job(ctx, &world, &body)?;
    Ok(Resp::ok(&job.config_json(ctx.now_ms, with_logs)))
}

/// `jobs/cancel`.
pub(crate) fn cancel_job(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<JobIdRequest>()?;
    let mut world = ctx.world();
    let job = find_job(ctx, &world, &body)?;
    let id = job.id;
    if !job.snapshot(ctx.now_ms).is_final()
        && let Some(job) = world.jobs.get_mut(&id)
    {
        job.cancelled_ms = Some(ctx.now_ms);
    }
    world.settle(ctx.now_ms);
    let job = world
        .jobs
        .get(&id)
        .ok_or_else(|| not_found("job", &id.to_string()))?;
    Ok(Resp::ok(&job.config_json(ctx.now_ms, true)))
}

/// `state/get`.
pub(crate) fn get_state(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<ConnectionIdRequest>()?;
    let id = body.str_req("connectionId")?;
    let world = ctx.world();
    let connection = config_lookup(connections::find(ctx, &world, &id), "connection", &id)?;
    Ok(Resp::ok(&connection.state))
}

/// Normalizes a state for storage: the connection ID is forced, `sharedState` (which some
/// clients send) is stored under the wire name `shared_state`.
fn normalize_state(connection_id: &str, state: &mut Value) -> Result<(), Resp> {
    let Some(map) = state.as_object_mut() else {
        return Err(Resp::error_id(StatusCode::UNPROCESSABLE_ENTITY));
    };
    match map.get("stateType").and_then(Value::as_str) {
        Some("global" | "stream" | "legacy" | "not_set") => {}
        Some(_) => return Err(Resp::error_id(StatusCode::UNPROCESSABLE_ENTITY)),
        None => return Err(Resp::error_id(StatusCode::BAD_REQUEST)),
    }
    map.insert("connectionId".into(), Value::from(connection_id));
    if let Some(Value::Object(global)) = map.get_mut("globalState")
        && let Some(shared) = global.remove("sharedState")
    {
        global.entry("shared_state").or_insert(shared);
    }
    Ok(())
}

/// `state/create_or_update` and `state/create_or_update_safe` (423 while a sync runs).
pub(crate) fn set_state(ctx: &Ctx, safe: bool) -> Outcome {
    let body = ctx.body::<ConnectionStateCreateOrUpdate>()?;
    let id = body.str_req("connectionId")?;
    let mut state = Value::Object(body.object_req("connectionState")?);
    normalize_state(&id, &mut state)?;
    let mut world = ctx.world();
    config_lookup(connections::find(ctx, &world, &id), "connection", &id)?;
    if safe && world.is_syncing(&id, ctx.now_ms) {
        return Err(Resp::known_exception(
            StatusCode::LOCKED,
            &format!("State cannot be updated while a sync is running for connection {id}"),
        ));
    }
    if let Some(connection) = world.connections.get_mut(&id) {
        connection.state = state.clone();
    }
    Ok(Resp::ok(&state))
}

/// `web_backend/connections/get`.
pub(crate) fn web_backend_get(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<WebBackendConnectionRequest>()?;
    let id = body.str_req("connectionId")?;
    let world = ctx.world();
    let connection = config_lookup(connections::find(ctx, &world, &id), "connection", &id)?;
    Ok(Resp::ok(&connection.config_json(&world, ctx.now_ms)))
}

/// `web_backend/connections/update`.
pub(crate) fn web_backend_update(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<WebBackendConnectionUpdate>()?;
    let id = body.str_req("connectionId")?;
    let catalog = body.object_opt("syncCatalog")?;
    let name = body.str_opt("name")?;
    let prefix = body.str_opt("prefix")?;
    let status = body.enum_opt("status", airbyte_models::ConnectionStatus::KNOWN)?;
    body.bool_opt("skipReset")?;
    let mut world = ctx.world();
    let existing = config_lookup(connections::find(ctx, &world, &id), "connection", &id)?.clone();
    let streams = match &catalog {
        Some(catalog) => Some(streams_from_catalog(
            &world,
            &existing,
            &Value::Object(catalog.clone()),
        )?),
        None => None,
    };
    let connection = world
        .connections
        .get_mut(&id)
        .ok_or_else(|| not_found("connection", &id))?;
    if let Some(streams) = streams {
        connection.streams = streams;
    }
    if let Some(name) = name {
        connection.name = name;
    }
    if let Some(prefix) = prefix {
        connection.prefix = prefix;
    }
    if let Some(status) = status {
        connection.status = status;
    }
    let connection = connection.clone();
    Ok(Resp::ok(&connection.config_json(&world, ctx.now_ms)))
}

/// `workspaces/get`.
pub(crate) fn workspace_read(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<WorkspaceIdRequest>()?;
    let id = body.str_req("workspaceId")?;
    let world = ctx.world();
    let workspace = world
        .workspace(&id)
        .ok_or_else(|| not_found("workspace", &id))?;
    ctx.check_workspace(&id)?;
    Ok(Resp::ok(&workspace.config_json()))
}

/// `workspaces/get_organization_info`.
pub(crate) fn organization_of_workspace(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<WorkspaceIdRequest>()?;
    let id = body.str_req("workspaceId")?;
    body.bool_opt("includeTombstone")?;
    let world = ctx.world();
    let workspace = world
        .workspace(&id)
        .ok_or_else(|| not_found("workspace", &id))?;
    ctx.check_workspace(&id)?;
    let organization = world
        .organizations
        .get(&workspace.organization_id)
        .ok_or_else(|| not_found("organization", &workspace.organization_id))?;
    Ok(Resp::ok(&organization.config_json()))
}

/// `organizations/get_organization_info`.
pub(crate) fn organization_info(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<OrganizationIdRequest>()?;
    let id = body.str_req("organizationId")?;
    let world = ctx.world();
    let organization = world
        .organizations
        .get(&id)
        .ok_or_else(|| not_found("organization", &id))?;
    Ok(Resp::ok(&organization.config_json()))
}

/// `workspaces/list_by_organization_id`.
pub(crate) fn workspaces_of_organization(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<ListWorkspacesInOrganizationRequest>()?;
    let id = body.str_req("organizationId")?;
    let name_contains = body
        .str_opt("nameContains")?
        .map(|text| text.to_lowercase());
    let pagination = body.object_opt("pagination")?.map(Body);
    let (page_size, row_offset) = match &pagination {
        Some(pagination) => (
            pagination
                .0
                .get("pageSize")
                .and_then(Value::as_i64)
                .unwrap_or(1_000),
            pagination
                .0
                .get("rowOffset")
                .and_then(Value::as_i64)
                .unwrap_or(0),
        ),
        None => (1_000, 0),
    };
    let world = ctx.world();
    if world.organizations.get(&id).is_none() {
        return Err(not_found("organization", &id));
    }
    let workspaces: Vec<Value> = world
        .workspaces
        .iter()
        .filter(|workspace| workspace.organization_id == id && !workspace.deleted)
        .filter(|workspace| ctx.principal.may_access(&workspace.id))
        .filter(|workspace| {
            name_contains
                .as_ref()
                .is_none_or(|needle| workspace.name.to_lowercase().contains(needle))
        })
        .skip(usize::try_from(row_offset.max(0)).unwrap_or(0))
        .take(usize::try_from(page_size.max(0)).unwrap_or(0))
        .map(crate::world::WorkspaceRec::config_json)
        .collect();
    Ok(Resp::ok(&json!({"workspaces": workspaces})))
}

/// `connector_builder_projects/get_for_definition_id`.
pub(crate) fn builder_for_definition(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<BuilderProjectForDefinitionRequest>()?;
    let definition_id = body.str_req("actorDefinitionId")?;
    let workspace_id = body.str_req("workspaceId")?;
    ctx.check_workspace(&workspace_id)?;
    let world = ctx.world();
    let project = world
        .builder_projects
        .iter()
        .find(|project| project.definition_id == definition_id);
    Ok(Resp::ok(&json!({
        "builderProjectId": project.map(|p| p.id.clone()),
        "workspaceId": project.map(|p| p.workspace_id.clone()),
    })))
}

/// `connector_builder_projects/get_with_manifest`.
pub(crate) fn builder_with_manifest(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<BuilderProjectRequest>()?;
    let workspace_id = body.str_req("workspaceId")?;
    let project_id = body.str_req("builderProjectId")?;
    ctx.check_workspace(&workspace_id)?;
    let world = ctx.world();
    let project = world
        .builder_projects
        .get(&project_id)
        .filter(|project| project.workspace_id == workspace_id)
        .ok_or_else(|| not_found("connector builder project", &project_id))?;
    Ok(Resp::ok(&project.config_json(&world)))
}

/// `connector_builder_projects/update_testing_values`.
pub(crate) fn update_testing_values(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<UpdateTestingValuesRequest>()?;
    let workspace_id = body.str_req("workspaceId")?;
    let project_id = body.str_req("builderProjectId")?;
    body.object_req("spec")?;
    let values = body.object_req("testingValues")?;
    ctx.check_workspace(&workspace_id)?;
    let now = ctx.now_s();
    let mut world = ctx.world();
    let project = world
        .builder_projects
        .get_mut(&project_id)
        .filter(|project| project.workspace_id == workspace_id)
        .ok_or_else(|| not_found("connector builder project", &project_id))?;
    project.testing_values = Some(Value::Object(values.clone()));
    project.updated_at = now;
    Ok(Resp::ok(&Value::Object(values)))
}
