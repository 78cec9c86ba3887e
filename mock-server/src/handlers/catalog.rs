//! Streams: what sources offer (`GET /streams`), and the connection's streams after a Config
//! API catalog update.

use serde_json::{Value, json};

use super::{Ctx, Outcome, actors};
use crate::answer::Resp;
use crate::json::object;
use crate::world::catalog::{SYNC_MODES, stream_config, supported_modes};
use crate::world::{ActorKind, ConnectionRec, World};

/// `GET /streams?sourceId=...`.
pub(crate) fn stream_properties(ctx: &Ctx) -> Outcome {
    let Some(source_id) = ctx.req.query_one("sourceId").map(str::to_owned) else {
        return Err(Resp::bad_request("sourceId is required"));
    };
    super::query_bool(&ctx.req, "ignoreCache")?;
    let world = ctx.world();
    let source = actors::find(ctx, &world, ActorKind::Source, &source_id)?;
    if let Some(destination_id) = ctx.req.query_one("destinationId") {
        actors::find(ctx, &world, ActorKind::Destination, destination_id)?;
    }
    let properties: Vec<Value> = world
        .source_streams(source)
        .iter()
        .map(|stream| {
            object(vec![
                ("streamName", Some(json!(stream.name))),
                ("syncModes", Some(json!(supported_modes(stream)))),
                ("streamnamespace", stream.namespace.clone().map(Value::from)),
                (
                    "defaultCursorField",
                    Some(json!(stream.default_cursor_field)),
                ),
                ("sourceDefinedCursorField", Some(json!(false))),
                ("sourceDefinedPrimaryKey", Some(json!(stream.primary_key))),
                (
                    "propertyFields",
                    Some(json!(
                        stream
                            .fields
                            .iter()
                            .map(|field| vec![field])
                            .collect::<Vec<_>>()
                    )),
                ),
            ])
        })
        .collect();
    Ok(Resp::ok(&properties))
}

/// The connection's stream list after a catalog update: the selected streams, with their modes
/// mapped back to the Public API's names. Errors name the offending stream.
pub(crate) fn streams_from_catalog(
    world: &World,
    connection: &ConnectionRec,
    catalog: &Value,
) -> Result<Vec<Value>, Resp> {
    let offered = world
        .actor(ActorKind::Source, &connection.source_id)
        .map(|source| world.source_streams(source))
        .unwrap_or_default();
    let Some(entries) = catalog.get("streams").and_then(Value::as_array) else {
        return Err(Resp::known_exception(
            http::StatusCode::UNPROCESSABLE_ENTITY,
            "syncCatalog.streams is required",
        ));
    };
    let mut streams = Vec::new();
    for entry in entries {
        let config = entry.get("config").cloned().unwrap_or(Value::Null);
        if config.get("selected").and_then(Value::as_bool) == Some(false) {
            continue;
        }
        let Some(name) = entry.pointer("/stream/name").and_then(Value::as_str) else {
            return Err(Resp::known_exception(
                http::StatusCode::UNPROCESSABLE_ENTITY,
                "every stream needs stream.name",
            ));
        };
        let Some(definition) = offered.iter().find(|stream| stream.name == name) else {
            return Err(Resp::known_exception(
                http::StatusCode::BAD_REQUEST,
                &format!("Invalid stream found: {name}"),
            ));
        };
        let source_mode = config
            .get("syncMode")
            .and_then(Value::as_str)
            .unwrap_or("full_refresh");
        let destination_mode = config
            .get("destinationSyncMode")
            .and_then(Value::as_str)
            .unwrap_or("overwrite");
        let Some((mode, _, _)) = SYNC_MODES.iter().find(|(_, source, destination)| {
            *source == source_mode && *destination == destination_mode
        }) else {
            return Err(Resp::known_exception(
                http::StatusCode::UNPROCESSABLE_ENTITY,
                &format!(
                    "unsupported sync modes {source_mode}/{destination_mode} for stream {name}"
                ),
            ));
        };
        let mut stream = stream_config(
            definition,
            entry
                .pointer("/stream/namespace")
                .and_then(Value::as_str)
                .map(str::to_owned),
            mode,
        );
        let non_empty = |key: &str| {
            config
                .get(key)
                .filter(|value| value.as_array().is_some_and(|items| !items.is_empty()))
                .cloned()
        };
        if let Some(map) = stream.as_object_mut() {
            if let Some(cursor) =
                non_empty("cursorField").filter(|_| mode.starts_with("incremental"))
            {
                map.insert("cursorField".into(), cursor);
            }
            if let Some(key) = non_empty("primaryKey") {
                map.insert("primaryKey".into(), key);
            }
        }
        streams.push(stream);
    }
    Ok(streams)
}
