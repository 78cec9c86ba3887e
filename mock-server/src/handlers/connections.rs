//! Connections (`/connections`).

use airbyte_models::{
    ConnectionCreateRequest, ConnectionPatchRequest, ConnectionStatus, NamespaceDefinition,
    NonBreakingSchemaUpdatesBehavior, ScheduleType,
};
use http::StatusCode;
use serde_json::{Value, json};

use super::{
    Body, Ctx, Outcome, envelope, page, query_bool, workspace_filter, workspace_link_query,
};
use crate::answer::Resp;
use crate::jobs::Outcome as JobOutcome;
use crate::world::catalog::{stream_config, supported_modes, sync_mode_names};
use crate::world::{ActorKind, ConnectionRec, Schedule, World};

/// The connection, or the answer to send.
pub(crate) fn find<'w>(ctx: &Ctx, world: &'w World, id: &str) -> Result<&'w ConnectionRec, Resp> {
    let connection = world
        .connection(id)
        .ok_or_else(|| Resp::not_found("STANDARD_SYNC", id))?;
    ctx.check_workspace(&connection.workspace_id)?;
    Ok(connection)
}

/// A cron expression as the server stores it (without the ` UTC` it appends), or the
/// server's 400 for an expression its Quartz parser rejects.
fn validate_cron(expression: &str) -> Result<String, Resp> {
    airbyte_models::QuartzCron::parse(expression)
        .map(|cron| cron.as_str().to_owned())
        .map_err(|error| {
            Resp::problem(
                StatusCode::BAD_REQUEST,
                "Invalid cron expression",
                Some("error:cron-validation/invalid-expression"),
                "The provided cron expression is invalid.",
                json!({"cronExpression": error.expression, "validationErrorMessage": error.reason}),
            )
        })
}

fn schedule_from(body: &Body) -> Result<Option<Schedule>, Resp> {
    let Some(schedule) = body.object_opt("schedule")? else {
        return Ok(None);
    };
    let schedule = Body(schedule);
    // `basic` is readable, never writable.
    let writable = [ScheduleType::Manual, ScheduleType::Cron];
    match schedule.enum_req("scheduleType", &writable)? {
        ScheduleType::Cron => {
            let Some(expression) = schedule.str_opt("cronExpression")? else {
                return Err(Resp::bad_request("a cron schedule needs a cronExpression"));
            };
            Ok(Some(Schedule::Cron(validate_cron(&expression)?)))
        }
        _ => Ok(Some(Schedule::Manual)),
    }
}

/// Validates configured streams against what the source offers.
fn streams_from(
    world: &World,
    source_id: &str,
    configurations: &Value,
) -> Result<Vec<Value>, Resp> {
    let source = world
        .actor(ActorKind::Source, source_id)
        .ok_or_else(|| Resp::not_found("source", source_id))?;
    let offered = world.source_streams(source);
    let Some(items) = configurations.get("streams") else {
        return Ok(Vec::new());
    };
    let Some(items) = items.as_array() else {
        return Err(Resp::error_id(StatusCode::UNPROCESSABLE_ENTITY));
    };
    let mut seen = std::collections::HashSet::new();
    let mut streams = Vec::new();
    for item in items {
        let Value::Object(map) = item else {
            return Err(Resp::error_id(StatusCode::UNPROCESSABLE_ENTITY));
        };
        let item = Body(map.clone());
        let name = item.str_req("name")?;
        let namespace = item.str_opt("namespace")?;
        let mode = item.enum_opt("syncMode", &sync_mode_names())?;
        let Some(definition) = offered.iter().find(|stream| stream.name == name) else {
            return Err(Resp::bad_request(&format!(
                "Invalid stream found. The stream {name} is not in the source's catalog."
            )));
        };
        if !seen.insert(name.clone()) {
            return Err(Resp::bad_request(&format!(
                "Duplicate stream found in configuration for: {name}."
            )));
        }
        let mode = mode.unwrap_or("full_refresh_overwrite");
        if !supported_modes(definition).contains(&mode) {
            return Err(Resp::bad_request(&format!(
                "Cannot set sync mode to {mode} for stream {name}."
            )));
        }
        let mut stream = stream_config(definition, namespace, mode);
        if let Some(out) = stream.as_object_mut() {
            for key in [
                "cursorField",
                "primaryKey",
                "selectedFields",
                "mappers",
                "includeFiles",
                "destinationObjectName",
            ] {
                if let Some(value) = map.get(key).filter(|value| !value.is_null()) {
                    out.insert(key.to_owned(), value.clone());
                }
            }
        }
        streams.push(stream);
    }
    Ok(streams)
}

fn tags_from(world: &World, body: &Body, workspace_id: &str) -> Result<Option<Vec<String>>, Resp> {
    let Some(items) = body.array_opt("tags")? else {
        return Ok(None);
    };
    let mut tags = Vec::new();
    for item in items {
        let Some(id) = item.get("tagId").and_then(Value::as_str) else {
            return Err(Resp::error_id(StatusCode::BAD_REQUEST));
        };
        let tag = world
            .tags
            .get(id)
            .ok_or_else(|| Resp::not_found("TAG", id))?;
        if tag.workspace_id != workspace_id {
            return Err(Resp::bad_request(&format!(
                "Tag {id} belongs to another workspace"
            )));
        }
        tags.push(id.to_owned());
    }
    Ok(Some(tags))
}

/// The fields that create and patch share, validated.
struct Fields {
    name: Option<String>,
    configurations: Option<serde_json::Map<String, Value>>,
    schedule: Option<Schedule>,
    namespace_definition: Option<NamespaceDefinition>,
    namespace_format: Option<String>,
    prefix: Option<String>,
    non_breaking: Option<NonBreakingSchemaUpdatesBehavior>,
    status: Option<ConnectionStatus>,
}

impl Fields {
    fn parse(body: &Body) -> Result<Self, Resp> {
        let fields = Self {
            name: body.str_opt("name")?,
            configurations: body.object_opt("configurations")?,
            schedule: schedule_from(body)?,
            namespace_definition: body
                .enum_opt("namespaceDefinition", NamespaceDefinition::KNOWN)?,
            namespace_format: body.str_opt("namespaceFormat")?,
            prefix: body.str_opt("prefix")?,
            non_breaking: body.enum_opt(
                "nonBreakingSchemaUpdatesBehavior",
                NonBreakingSchemaUpdatesBehavior::KNOWN,
            )?,
            status: body.enum_opt("status", ConnectionStatus::KNOWN)?,
        };
        // Deprecated and ignored, but still type-checked.
        body.str_opt("dataResidency")?;
        Ok(fields)
    }
}

pub(crate) fn list(ctx: &Ctx) -> Outcome {
    let (limit, offset) = page(&ctx.req)?;
    let include_deleted = query_bool(&ctx.req, "includeDeleted")?;
    let tag_ids = ctx.req.query_all("tagIds");
    let world = ctx.world();
    let workspaces = workspace_filter(ctx, &world)?;
    let data: Vec<Value> = world
        .connections
        .iter()
        .filter(|connection| include_deleted || !connection.deleted)
        .filter(|connection| {
            workspaces
                .as_ref()
                .is_none_or(|allowed| allowed.contains(&connection.workspace_id))
        })
        .filter(|connection| tag_ids.iter().all(|tag| connection.tags.contains(tag)))
        .skip(offset)
        .take(limit)
        .map(|connection| connection.public_json(&world))
        .collect();
    Ok(Resp::ok(&envelope(
        ctx,
        "connections",
        data,
        limit,
        offset,
        &workspace_link_query(ctx, include_deleted),
    )))
}

pub(crate) fn get(ctx: &Ctx, id: &str) -> Outcome {
    let world = ctx.world();
    let connection = find(ctx, &world, id)?;
    Ok(Resp::ok(&connection.public_json(&world)))
}

pub(crate) fn create(ctx: &Ctx) -> Outcome {
    let body = ctx.body::<ConnectionCreateRequest>()?;
    let source_id = body.str_req("sourceId")?;
    let destination_id = body.str_req("destinationId")?;
    let Fields {
        name,
        configurations,
        schedule,
        namespace_definition,
        namespace_format,
        prefix,
        non_breaking,
        status,
    } = Fields::parse(&body)?;
    let mut world = ctx.world();
    // This route names the missing resource `source`/`destination`, unlike the others.
    let source = world
        .actor(ActorKind::Source, &source_id)
        .ok_or_else(|| Resp::not_found("source", &source_id))?
        .clone();
    let destination = world
        .actor(ActorKind::Destination, &destination_id)
        .ok_or_else(|| Resp::not_found("destination", &destination_id))?
        .clone();
    ctx.check_workspace(&source.workspace_id)?;
    ctx.check_workspace(&destination.workspace_id)?;
    if source.workspace_id != destination.workspace_id {
        return Err(Resp::bad_request(
            "The source and the destination belong to different workspaces.",
        ));
    }
    let streams = match &configurations {
        Some(configurations) => {
            streams_from(&world, &source_id, &Value::Object(configurations.clone()))?
        }
        None => Vec::new(),
    };
    // Without configurations, every stream is enabled as full_refresh_overwrite.
    let streams = if configurations.is_none() {
        world
            .source_streams(&source)
            .iter()
            .map(|stream| stream_config(stream, None, "full_refresh_overwrite"))
            .collect()
    } else {
        streams
    };
    let tags = tags_from(&world, &body, &source.workspace_id)?.unwrap_or_default();
    let mut connection = ConnectionRec {
        id: world.new_id(),
        name: name.unwrap_or_else(|| format!("{} → {}", source.name, destination.name)),
        workspace_id: source.workspace_id.clone(),
        source_id,
        destination_id,
        status: status.unwrap_or(ConnectionStatus::Active),
        schedule: schedule.unwrap_or(Schedule::Manual),
        namespace_definition: namespace_definition.unwrap_or(NamespaceDefinition::Destination),
        namespace_format,
        prefix: prefix.unwrap_or_default(),
        non_breaking: non_breaking.unwrap_or(NonBreakingSchemaUpdatesBehavior::Ignore),
        streams,
        tags,
        created_at: ctx.now_s(),
        outcome: JobOutcome::Succeed,
        job_duration_ms: None,
        state: Value::Null,
        deleted: false,
    };
    connection.state = json!({"stateType": "not_set", "connectionId": connection.id});
    let response = connection.public_json(&world);
    world.connections.insert(connection);
    Ok(Resp::ok(&response))
}

pub(crate) fn patch(ctx: &Ctx, id: &str) -> Outcome {
    let body = ctx.body::<ConnectionPatchRequest>()?;
    let fields = Fields::parse(&body)?;
    let mut world = ctx.world();
    let existing = find(ctx, &world, id)?.clone();
    let streams = match &fields.configurations {
        Some(configurations) => Some(streams_from(
            &world,
            &existing.source_id,
            &Value::Object(configurations.clone()),
        )?),
        None => None,
    };
    let tags = tags_from(&world, &body, &existing.workspace_id)?;
    let connection = world
        .connections
        .get_mut(id)
        .ok_or_else(|| Resp::not_found("STANDARD_SYNC", id))?;
    if let Some(name) = fields.name {
        connection.name = name;
    }
    if let Some(streams) = streams {
        connection.streams = streams;
    }
    if let Some(schedule) = fields.schedule {
        connection.schedule = schedule;
    }
    if let Some(value) = fields.namespace_definition {
        connection.namespace_definition = value;
    }
    if fields.namespace_format.is_some() {
        connection.namespace_format = fields.namespace_format;
    }
    if let Some(prefix) = fields.prefix {
        connection.prefix = prefix;
    }
    if let Some(value) = fields.non_breaking {
        connection.non_breaking = value;
    }
    if let Some(status) = fields.status {
        connection.status = status;
    }
    if let Some(tags) = tags {
        connection.tags = tags;
    }
    let connection = connection.clone();
    Ok(Resp::ok(&connection.public_json(&world)))
}

pub(crate) fn delete(ctx: &Ctx, id: &str) -> Outcome {
    let mut world = ctx.world();
    find(ctx, &world, id)?;
    if let Some(connection) = world.connections.get_mut(id) {
        connection.deleted = true;
        connection.status = ConnectionStatus::Deprecated;
    }
    Ok(Resp::no_content())
}
