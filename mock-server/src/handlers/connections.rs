//! Connections (`/connections`).

use http::StatusCode;
use serde_json::{Value, json};

use super::catalog::{stream_config, supported_modes, sync_mode_names};
use super::{
    Body, Ctx, Outcome, envelope, object, page, query_bool, workspace_filter, workspace_link_query,
};
use crate::http_util::Resp;
use crate::jobs::Outcome as JobOutcome;
use crate::world::{ActorKind, ConnectionRec, World};

const STATUSES: &[&str] = &["active", "inactive", "deprecated", "locked"];
const NAMESPACE_DEFINITIONS: &[&str] = &["source", "destination", "custom_format"];
const NON_BREAKING: &[&str] = &[
    "ignore",
    "disable_connection",
    "propagate_columns",
    "propagate_fully",
];
const SCHEDULE_TYPES: &[&str] = &["manual", "cron"];

/// The API representation of a connection.
pub(crate) fn connection_json(world: &World, connection: &ConnectionRec) -> Value {
    let schedule = match connection.schedule_type.as_str() {
        // The server stores cron expressions in UTC and says so.
        "cron" => {
            json!({"scheduleType": "cron", "cronExpression": format!("{} UTC", connection.cron_expression.clone().unwrap_or_default())})
        }
        other => json!({"scheduleType": other}),
    };
    let tags: Vec<Value> = connection
        .tags
        .iter()
        .filter_map(|id| world.tags.get(id))
        .map(|tag| json!({"tagId": tag.id, "workspaceId": tag.workspace_id, "name": tag.name, "color": tag.color}))
        .collect();
    object(vec![
        ("connectionId", Some(json!(connection.id))),
        ("name", Some(json!(connection.name))),
        ("sourceId", Some(json!(connection.source_id))),
        ("destinationId", Some(json!(connection.destination_id))),
        ("workspaceId", Some(json!(connection.workspace_id))),
        ("status", Some(json!(connection.status))),
        ("schedule", Some(schedule)),
        (
            "nonBreakingSchemaUpdatesBehavior",
            Some(json!(connection.non_breaking)),
        ),
        (
            "namespaceDefinition",
            Some(json!(connection.namespace_definition)),
        ),
        (
            "namespaceFormat",
            connection.namespace_format.clone().map(Value::from),
        ),
        ("prefix", Some(json!(connection.prefix))),
        (
            "configurations",
            Some(json!({"streams": connection.streams})),
        ),
        ("createdAt", Some(json!(connection.created_at))),
        ("tags", Some(json!(tags))),
    ])
}

/// The connection, or the answer to send.
pub(crate) fn find<'w>(
    ctx: &Ctx<'_>,
    world: &'w World,
    id: &str,
) -> Result<&'w ConnectionRec, Resp> {
    let connection = world
        .connection(id)
        .ok_or_else(|| Resp::not_found("STANDARD_SYNC", id))?;
    ctx.check_workspace(&connection.workspace_id)?;
    Ok(connection)
}

/// Checks a Quartz cron expression the way Airbyte's validator broadly does: six or seven
/// fields of digits, names and the characters `* ? / , - L W #`.
fn validate_cron(expression: &str) -> Result<String, Resp> {
    let expression = expression.trim().trim_end_matches(" UTC").trim().to_owned();
    let fields: Vec<&str> = expression.split_whitespace().collect();
    let valid_chars = fields.iter().all(|field| {
        field
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '*' | '?' | '/' | ',' | '-' | '#'))
    });
    if !(6..=7).contains(&fields.len()) || !valid_chars {
        return Err(Resp::problem(
            StatusCode::BAD_REQUEST,
            "Invalid cron expression",
            Some("error:cron-validation/invalid-expression"),
            "The provided cron expression is invalid.",
            json!({"cronExpression": expression, "validationErrorMessage": "expected 6 or 7 Quartz fields"}),
        ));
    }
    Ok(expression)
}

fn schedule_from(body: &Body) -> Result<Option<(String, Option<String>)>, Resp> {
    let Some(schedule) = body.object_opt("schedule")? else {
        return Ok(None);
    };
    let schedule = Body(schedule);
    let schedule_type = schedule.enum_req("scheduleType", SCHEDULE_TYPES)?;
    match schedule_type {
        "cron" => {
            let Some(expression) = schedule.str_opt("cronExpression")? else {
                return Err(Resp::bad_request("a cron schedule needs a cronExpression"));
            };
            Ok(Some(("cron".to_owned(), Some(validate_cron(&expression)?))))
        }
        other => Ok(Some((other.to_owned(), None))),
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
    schedule: Option<(String, Option<String>)>,
    namespace_definition: Option<&'static str>,
    namespace_format: Option<String>,
    prefix: Option<String>,
    non_breaking: Option<&'static str>,
    status: Option<&'static str>,
}

impl Fields {
    fn parse(body: &Body) -> Result<Self, Resp> {
        let fields = Self {
            name: body.str_opt("name")?,
            configurations: body.object_opt("configurations")?,
            schedule: schedule_from(body)?,
            namespace_definition: body.enum_opt("namespaceDefinition", NAMESPACE_DEFINITIONS)?,
            namespace_format: body.str_opt("namespaceFormat")?,
            prefix: body.str_opt("prefix")?,
            non_breaking: body.enum_opt("nonBreakingSchemaUpdatesBehavior", NON_BREAKING)?,
            status: body.enum_opt("status", STATUSES)?,
        };
        // Deprecated and ignored, but still type-checked.
        body.str_opt("dataResidency")?;
        Ok(fields)
    }
}

pub(crate) fn list(ctx: &Ctx<'_>) -> Outcome {
    let (limit, offset) = page(ctx.req)?;
    let include_deleted = query_bool(ctx.req, "includeDeleted")?;
    let workspaces = workspace_filter(ctx)?;
    let tag_ids = ctx.req.query_all("tagIds");
    let world = ctx.world();
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
        .map(|connection| connection_json(&world, connection))
        .collect();
    Ok(Resp::ok(&envelope(
        ctx.req,
        "connections",
        data,
        limit,
        offset,
        &workspace_link_query(ctx, include_deleted),
    )))
}

pub(crate) fn get(ctx: &Ctx<'_>, id: &str) -> Outcome {
    let world = ctx.world();
    let connection = find(ctx, &world, id)?;
    Ok(Resp::ok(&connection_json(&world, connection)))
}

pub(crate) fn create(ctx: &Ctx<'_>) -> Outcome {
    let body = Body::of(ctx.req)?;
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
    let (schedule_type, cron_expression) = schedule.unwrap_or(("manual".to_owned(), None));
    let mut connection = ConnectionRec {
        id: world.new_id(),
        name: name.unwrap_or_else(|| format!("{} → {}", source.name, destination.name)),
        workspace_id: source.workspace_id.clone(),
        source_id,
        destination_id,
        status: status.unwrap_or("active").to_owned(),
        schedule_type,
        cron_expression,
        namespace_definition: namespace_definition.unwrap_or("destination").to_owned(),
        namespace_format,
        prefix: prefix.unwrap_or_default(),
        non_breaking: non_breaking.unwrap_or("ignore").to_owned(),
        streams,
        tags,
        created_at: ctx.now_s(),
        outcome: JobOutcome::Succeed,
        job_duration_ms: None,
        state: Value::Null,
        deleted: false,
    };
    connection.state = json!({"stateType": "not_set", "connectionId": connection.id});
    let response = connection_json(&world, &connection);
    world.connections.insert(connection);
    Ok(Resp::ok(&response))
}

pub(crate) fn patch(ctx: &Ctx<'_>, id: &str) -> Outcome {
    let body = Body::of(ctx.req)?;
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
    if let Some((schedule_type, cron)) = fields.schedule {
        connection.schedule_type = schedule_type;
        connection.cron_expression = cron;
    }
    if let Some(value) = fields.namespace_definition {
        connection.namespace_definition = value.to_owned();
    }
    if fields.namespace_format.is_some() {
        connection.namespace_format = fields.namespace_format;
    }
    if let Some(prefix) = fields.prefix {
        connection.prefix = prefix;
    }
    if let Some(value) = fields.non_breaking {
        connection.non_breaking = value.to_owned();
    }
    if let Some(status) = fields.status {
        connection.status = status.to_owned();
    }
    if let Some(tags) = tags {
        connection.tags = tags;
    }
    let connection = connection.clone();
    Ok(Resp::ok(&connection_json(&world, &connection)))
}

pub(crate) fn delete(ctx: &Ctx<'_>, id: &str) -> Outcome {
    let mut world = ctx.world();
    find(ctx, &world, id)?;
    if let Some(connection) = world.connections.get_mut(id) {
        connection.deleted = true;
        connection.status = "deprecated".to_owned();
    }
    Ok(Resp::no_content())
}
