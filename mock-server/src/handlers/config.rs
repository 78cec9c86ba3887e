//! The Config API subset: checks, job details with logs, state, catalogs, organization info and
//! Connector Builder projects. Every route is a `POST` with a JSON body.

use http::StatusCode;
use serde_json::{Value, json};

use super::catalog::{streams_from_catalog, sync_catalog};
use super::{Body, Ctx, Outcome, actors, connections, object};
use crate::http_util::Resp;
use crate::jobs::JobRec;
use crate::world::{ActorKind, CheckScript, World};

/// The routes served, relative to `/api/v1`.
pub(crate) const ROUTES: &[&str] = &[
    "sources/check_connection",
    "destinations/check_connection",
    "jobs/get",
    "jobs/get_without_logs",
    "jobs/cancel",
    "state/get",
    "state/create_or_update_safe",
    "state/create_or_update",
    "web_backend/connections/get",
    "web_backend/connections/update",
    "workspaces/get",
    "workspaces/get_organization_info",
    "organizations/get_organization_info",
    "workspaces/list_by_organization_id",
    "connector_builder_projects/get_for_definition_id",
    "connector_builder_projects/get_with_manifest",
    "connector_builder_projects/update_testing_values",
];

pub(crate) fn handle(ctx: &Ctx<'_>, route: &str) -> Outcome {
    let body = Body::of(ctx.req)?;
    match route {
        "sources/check_connection" => check(ctx, &body, ActorKind::Source),
        "destinations/check_connection" => check(ctx, &body, ActorKind::Destination),
        "jobs/get" => job_info(ctx, &body, true),
        "jobs/get_without_logs" => job_info(ctx, &body, false),
        "jobs/cancel" => cancel_job(ctx, &body),
        "state/get" => get_state(ctx, &body),
        "state/create_or_update_safe" => set_state(ctx, &body, true),
        "state/create_or_update" => set_state(ctx, &body, false),
        "web_backend/connections/get" => web_backend_get(ctx, &body),
        "web_backend/connections/update" => web_backend_update(ctx, &body),
        "workspaces/get" => workspace_read(ctx, &body),
        "workspaces/get_organization_info" => organization_of_workspace(ctx, &body),
        "organizations/get_organization_info" => organization_info(ctx, &body),
        "workspaces/list_by_organization_id" => workspaces_of_organization(ctx, &body),
        "connector_builder_projects/get_for_definition_id" => builder_for_definition(ctx, &body),
        "connector_builder_projects/get_with_manifest" => builder_with_manifest(ctx, &body),
        "connector_builder_projects/update_testing_values" => update_testing_values(ctx, &body),
        _ => Err(super::unknown_route(ctx.req)),
    }
}

fn not_found(what: &str, id: &str) -> Resp {
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

fn check(ctx: &Ctx<'_>, body: &Body, kind: ActorKind) -> Outcome {
    let key = if kind == ActorKind::Source {
        "sourceId"
    } else {
        "destinationId"
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
    let answer = match actor.check.clone().unwrap_or(CheckScript::Succeeded) {
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

fn attempt_json(job: &JobRec, attempt: &crate::jobs::AttemptSnap, with_logs: bool) -> Value {
    let seconds = |ms: i64| ms.div_euclid(1000);
    let stats = json!({
        "recordsEmitted": attempt.records, "bytesEmitted": attempt.bytes,
        "recordsCommitted": if attempt.status == "failed" { 0 } else { attempt.records },
        "bytesCommitted": if attempt.status == "failed" { 0 } else { attempt.bytes },
        "recordsRejected": 0,
    });
    let attempt_json = object(vec![
        ("id", Some(json!(attempt.number))),
        ("status", Some(json!(attempt.status))),
        ("createdAt", Some(json!(seconds(attempt.created_ms)))),
        ("updatedAt", Some(json!(seconds(attempt.updated_ms)))),
        ("endedAt", attempt.ended_ms.map(|ms| json!(seconds(ms)))),
        ("bytesSynced", Some(json!(attempt.bytes))),
        ("recordsSynced", Some(json!(attempt.records))),
        ("totalStats", Some(stats)),
        ("failureSummary", attempt.failure.as_ref().map(|message| json!({
            "failures": [{"failureOrigin": "source", "failureType": "system_error",
                          "externalMessage": message, "timestamp": attempt.ended_ms.unwrap_or(attempt.updated_ms)}],
            "partialSuccess": false,
        }))),
    ]);
    // Even job IDs log structured events, odd ones plain lines: clients must read both.
    let structured = job.id % 2 == 0;
    let logs = if !with_logs {
        json!({"logLines": []})
    } else if structured {
        let events: Vec<Value> = attempt
            .log
            .iter()
            .map(|line| json!({"timestamp": line.timestamp_ms, "message": line.message, "level": line.level, "logSource": line.source}))
            .collect();
        json!({"events": events, "version": "1"})
    } else {
        let lines: Vec<String> = attempt
            .log
            .iter()
            .map(|line| {
                let when = airbyte_models::EpochMillis::new(line.timestamp_ms)
                    .to_datetime()
                    .map(airbyte_models::format_server_datetime)
                    .unwrap_or_default();
                format!("{when} {} {}", line.level.to_uppercase(), line.message)
            })
            .collect();
        json!({"logLines": lines})
    };
    json!({
        "attempt": attempt_json,
        "logType": if structured { "structured" } else { "formatted" },
        "logs": logs,
    })
}

fn job_info_json(job: &JobRec, now_ms: i64, with_logs: bool) -> Value {
    let snapshot = job.snapshot(now_ms);
    let seconds = |ms: i64| ms.div_euclid(1000);
    let streams: Vec<Value> = job
        .streams
        .iter()
        .map(|name| json!({"name": name}))
        .collect();
    let job_json = object(vec![
        ("id", Some(json!(job.id))),
        (
            "configType",
            Some(json!(if job.job_type == "sync" {
                "sync"
            } else {
                "reset_connection"
            })),
        ),
        ("configId", Some(json!(job.connection_id))),
        ("enabledStreams", Some(json!(streams))),
        ("createdAt", Some(json!(seconds(job.created_ms)))),
        ("updatedAt", Some(json!(seconds(snapshot.updated_ms)))),
        (
            "startedAt",
            snapshot.started_ms.map(|ms| json!(seconds(ms))),
        ),
        ("status", Some(json!(snapshot.status))),
        (
            "aggregatedStats",
            Some(json!({
                "recordsEmitted": snapshot.records_emitted, "bytesEmitted": snapshot.bytes_emitted,
                "recordsCommitted": snapshot.records_committed, "bytesCommitted": snapshot.bytes_committed,
                "recordsRejected": 0,
            })),
        ),
    ]);
    let attempts: Vec<Value> = snapshot
        .attempts
        .iter()
        .map(|attempt| attempt_json(job, attempt, with_logs))
        .collect();
    json!({"job": job_json, "attempts": attempts})
}

fn find_job<'w>(ctx: &Ctx<'_>, world: &'w World, body: &Body) -> Result<&'w JobRec, Resp> {
    let id = body.i64_req("id")?;
    let job = world
        .jobs
        .get(&id)
        .ok_or_else(|| not_found("job", &id.to_string()))?;
    ctx.check_workspace(&job.workspace_id)?;
    Ok(job)
}

fn job_info(ctx: &Ctx<'_>, body: &Body, with_logs: bool) -> Outcome {
    let world = ctx.world();
    let job = find_job(ctx, &world, body)?;
    Ok(Resp::ok(&job_info_json(job, ctx.now_ms, with_logs)))
}

fn cancel_job(ctx: &Ctx<'_>, body: &Body) -> Outcome {
    let mut world = ctx.world();
    let job = find_job(ctx, &world, body)?;
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
    Ok(Resp::ok(&job_info_json(job, ctx.now_ms, true)))
}

fn get_state(ctx: &Ctx<'_>, body: &Body) -> Outcome {
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

fn set_state(ctx: &Ctx<'_>, body: &Body, safe: bool) -> Outcome {
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

fn web_backend_json(
    ctx: &Ctx<'_>,
    world: &World,
    connection: &crate::world::ConnectionRec,
) -> Value {
    let source = world.actor(ActorKind::Source, &connection.source_id);
    let destination = world.actor(ActorKind::Destination, &connection.destination_id);
    let actor_read = |actor: Option<&crate::world::ActorRec>, kind: &str| {
        actor.map_or(Value::Null, |actor| {
            json!({
                format!("{kind}DefinitionId"): actor.definition_id,
                format!("{kind}Id"): actor.id,
                "workspaceId": actor.workspace_id,
                "connectionConfiguration": super::mask_secrets(&actor.configuration),
                "name": actor.name,
                format!("{kind}Name"): world.actor_type_name(actor),
                "createdAt": actor.created_at,
            })
        })
    };
    let latest = world
        .jobs
        .values()
        .rev()
        .find(|job| job.connection_id == connection.id && job.job_type == "sync");
    let version = |id: &str| json!({"actorDefinitionVersionId": id, "dockerRepository": "airbyte/connector", "dockerImageTag": "1.0.0", "supportsRefreshes": false, "supportState": "supported", "isVersionOverrideApplied": false, "supportsFileTransfer": false, "supportsDataActivation": false});
    let schedule_data = connection
        .cron_expression
        .as_ref()
        .map(|cron| json!({"cron": {"cronExpression": cron, "cronTimeZone": "UTC"}}));
    object(vec![
        ("connectionId", Some(json!(connection.id))),
        ("name", Some(json!(connection.name))),
        ("namespaceDefinition", Some(json!(connection.namespace_definition.replace("custom_format", "customformat")))),
        ("namespaceFormat", connection.namespace_format.clone().map(Value::from)),
        ("prefix", Some(json!(connection.prefix))),
        ("sourceId", Some(json!(connection.source_id))),
        ("destinationId", Some(json!(connection.destination_id))),
        ("syncCatalog", Some(sync_catalog(world, connection))),
        ("scheduleType", Some(json!(connection.schedule_type))),
        ("scheduleData", schedule_data),
        ("status", Some(json!(connection.status))),
        ("source", Some(actor_read(source, "source"))),
        ("destination", Some(actor_read(destination, "destination"))),
        ("operations", Some(json!([]))),
        ("latestSyncJobCreatedAt", latest.map(|job| json!(job.created_ms.div_euclid(1000)))),
        ("latestSyncJobStatus", latest.map(|job| json!(job.snapshot(ctx.now_ms).status))),
        ("isSyncing", Some(json!(world.is_syncing(&connection.id, ctx.now_ms)))),
        ("schemaChange", Some(json!("no_change"))),
        ("notifySchemaChanges", Some(json!(false))),
        ("notifySchemaChangesByEmail", Some(json!(false))),
        ("nonBreakingChangesPreference", Some(json!(connection.non_breaking.replace("disable_connection", "disable")))),
        ("sourceActorDefinitionVersion", Some(version(source.map_or("", |s| s.definition_id.as_str())))),
        ("destinationActorDefinitionVersion", Some(version(destination.map_or("", |d| d.definition_id.as_str())))),
        ("tags", Some(json!(connection.tags.iter().filter_map(|id| world.tags.get(id)).map(|tag| json!({"tagId": tag.id, "workspaceId": tag.workspace_id, "name": tag.name, "color": tag.color})).collect::<Vec<_>>()))),
        ("onDemandEnabled", Some(json!(false))),
        ("createdAt", Some(json!(connection.created_at))),
    ])
}

fn web_backend_get(ctx: &Ctx<'_>, body: &Body) -> Outcome {
    let id = body.str_req("connectionId")?;
    body.bool_opt("withRefreshedCatalog")?;
    let world = ctx.world();
    let connection = config_lookup(connections::find(ctx, &world, &id), "connection", &id)?;
    Ok(Resp::ok(&web_backend_json(ctx, &world, connection)))
}

fn web_backend_update(ctx: &Ctx<'_>, body: &Body) -> Outcome {
    let id = body.str_req("connectionId")?;
    let catalog = body.object_opt("syncCatalog")?;
    let name = body.str_opt("name")?;
    let prefix = body.str_opt("prefix")?;
    let status = body.enum_opt("status", &["active", "inactive", "deprecated", "locked"])?;
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
        connection.status = status.to_owned();
    }
    let connection = connection.clone();
    Ok(Resp::ok(&web_backend_json(ctx, &world, &connection)))
}

fn workspace_read_json(world: &World, workspace: &crate::world::WorkspaceRec) -> Value {
    let _ = world;
    json!({
        "workspaceId": workspace.id,
        "customerId": workspace.id,
        "name": workspace.name,
        "slug": workspace.name.to_lowercase().replace(' ', "-"),
        "initialSetupComplete": true,
        "organizationId": workspace.organization_id,
        "tombstone": workspace.deleted,
        "dataplaneGroupId": workspace.data_residency,
        "notifications": [],
    })
}

fn workspace_read(ctx: &Ctx<'_>, body: &Body) -> Outcome {
    let id = body.str_req("workspaceId")?;
    let world = ctx.world();
    let workspace = world
        .workspace(&id)
        .ok_or_else(|| not_found("workspace", &id))?;
    ctx.check_workspace(&id)?;
    Ok(Resp::ok(&workspace_read_json(&world, workspace)))
}

fn organization_info_json(organization: &crate::world::OrganizationRec) -> Value {
    object(vec![
        ("organizationId", Some(json!(organization.id))),
        ("organizationName", Some(json!(organization.name))),
        ("sso", Some(json!(false))),
        ("scim", Some(json!(false))),
        ("billing", organization.billing.clone()),
    ])
}

fn organization_of_workspace(ctx: &Ctx<'_>, body: &Body) -> Outcome {
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
    Ok(Resp::ok(&organization_info_json(organization)))
}

fn organization_info(ctx: &Ctx<'_>, body: &Body) -> Outcome {
    let id = body.str_req("organizationId")?;
    let world = ctx.world();
    let organization = world
        .organizations
        .get(&id)
        .ok_or_else(|| not_found("organization", &id))?;
    Ok(Resp::ok(&organization_info_json(organization)))
}

fn workspaces_of_organization(ctx: &Ctx<'_>, body: &Body) -> Outcome {
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
        .map(|workspace| workspace_read_json(&world, workspace))
        .collect();
    Ok(Resp::ok(&json!({"workspaces": workspaces})))
}

fn builder_for_definition(ctx: &Ctx<'_>, body: &Body) -> Outcome {
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

fn builder_with_manifest(ctx: &Ctx<'_>, body: &Body) -> Outcome {
    let workspace_id = body.str_req("workspaceId")?;
    let project_id = body.str_req("builderProjectId")?;
    ctx.check_workspace(&workspace_id)?;
    let world = ctx.world();
    let project = world
        .builder_projects
        .get(&project_id)
        .filter(|project| project.workspace_id == workspace_id)
        .ok_or_else(|| not_found("connector builder project", &project_id))?;
    let declarative = world
        .definitions
        .get(&project.definition_id)
        .and_then(|definition| definition.declarative.clone());
    let details = object(vec![
        ("name", Some(json!(project.name))),
        ("builderProjectId", Some(json!(project.id))),
        ("sourceDefinitionId", Some(json!(project.definition_id))),
        (
            "activeDeclarativeManifestVersion",
            declarative.as_ref().map(|d| json!(d.version)),
        ),
        ("hasDraft", Some(json!(false))),
        ("updatedAt", Some(json!(project.updated_at))),
    ]);
    Ok(Resp::ok(&object(vec![
        ("builderProject", Some(details)),
        ("declarativeManifest", declarative.map(|d| json!({
            "manifest": d.manifest, "isDraft": false, "version": d.version, "description": "published",
        }))),
        ("testingValues", project.testing_values.clone()),
    ])))
}

fn update_testing_values(ctx: &Ctx<'_>, body: &Body) -> Outcome {
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
