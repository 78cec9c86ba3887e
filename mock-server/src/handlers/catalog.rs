//! Streams: what sources offer (`GET /streams`), stream configurations of connections, and
//! the Config API catalog built from them.

use serde_json::{Map, Value, json};

use super::{Ctx, Outcome, actors, object};
use crate::http_util::Resp;
use crate::world::{ActorKind, ConnectionRec, StreamDef, World};

/// The Public API sync modes and their (source, destination) pairs in the Config API.
pub(crate) const SYNC_MODES: &[(&str, &str, &str)] = &[
    ("full_refresh_overwrite", "full_refresh", "overwrite"),
    (
        "full_refresh_overwrite_deduped",
        "full_refresh",
        "overwrite_dedup",
    ),
    ("full_refresh_append", "full_refresh", "append"),
    ("full_refresh_update", "full_refresh", "update"),
    ("full_refresh_soft_delete", "full_refresh", "soft_delete"),
    ("incremental_append", "incremental", "append"),
    ("incremental_deduped_history", "incremental", "append_dedup"),
    ("incremental_update", "incremental", "update"),
    ("incremental_soft_delete", "incremental", "soft_delete"),
];

/// The Public API sync-mode names.
pub(crate) fn sync_mode_names() -> Vec<&'static str> {
    SYNC_MODES.iter().map(|(name, _, _)| *name).collect()
}

/// The sync modes a stream supports.
pub(crate) fn supported_modes(stream: &StreamDef) -> Vec<&'static str> {
    SYNC_MODES
        .iter()
        .filter(|(_, source_mode, _)| stream.incremental || *source_mode == "full_refresh")
        .map(|(name, _, _)| *name)
        .collect()
}

/// A stream configuration in the Public API's form, with the stream's defaults filled in.
pub(crate) fn stream_config(stream: &StreamDef, namespace: Option<String>, mode: &str) -> Value {
    let incremental = mode.starts_with("incremental");
    let deduped = mode.contains("dedup");
    object(vec![
        ("name", Some(json!(stream.name))),
        (
            "namespace",
            namespace
                .or_else(|| stream.namespace.clone())
                .map(Value::from),
        ),
        ("syncMode", Some(json!(mode))),
        (
            "cursorField",
            (incremental && !stream.default_cursor_field.is_empty())
                .then(|| json!(stream.default_cursor_field)),
        ),
        (
            "primaryKey",
            (deduped || !stream.primary_key.is_empty()).then(|| json!(stream.primary_key)),
        ),
    ])
}

/// The streams a declarative manifest declares (`streams[].name`).
pub(crate) fn manifest_streams(manifest: &Value) -> Vec<StreamDef> {
    manifest
        .get("streams")
        .and_then(Value::as_array)
        .map(|streams| {
            streams
                .iter()
                .filter_map(|stream| stream.get("name").and_then(Value::as_str))
                .map(|name| StreamDef {
                    name: name.to_owned(),
                    namespace: None,
                    incremental: false,
                    default_cursor_field: Vec::new(),
                    primary_key: vec![vec!["id".to_owned()]],
                    fields: vec!["id".to_owned()],
                })
                .collect()
        })
        .unwrap_or_default()
}

/// `GET /streams?sourceId=...`.
pub(crate) fn stream_properties(ctx: &Ctx<'_>) -> Outcome {
    let Some(source_id) = ctx.req.query_one("sourceId").map(str::to_owned) else {
        return Err(Resp::bad_request("sourceId is required"));
    };
    super::query_bool(ctx.req, "ignoreCache")?;
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

fn json_schema(stream: &StreamDef) -> Value {
    let properties: Map<String, Value> = stream
        .fields
        .iter()
        .map(|field| (field.clone(), json!({"type": ["null", "string"]})))
        .collect();
    json!({"type": "object", "$schema": "http://json-schema.org/draft-07/schema#", "properties": properties})
}

/// The Config API catalog of a connection: every stream the source offers, with the
/// connection's settings for the selected ones.
pub(crate) fn sync_catalog(world: &World, connection: &ConnectionRec) -> Value {
    let streams = world
        .actor(ActorKind::Source, &connection.source_id)
        .map(|source| world.source_streams(source))
        .unwrap_or_default();
    let entries: Vec<Value> = streams
        .iter()
        .map(|stream| {
            let configured = connection.streams.iter().find(|configured| {
                configured.get("name").and_then(Value::as_str) == Some(stream.name.as_str())
            });
            let mode = configured
                .and_then(|configured| configured.get("syncMode"))
                .and_then(Value::as_str)
                .unwrap_or("full_refresh_overwrite");
            let (_, source_mode, destination_mode) = SYNC_MODES
                .iter()
                .find(|(name, _, _)| *name == mode)
                .copied()
                .unwrap_or(SYNC_MODES[0]);
            let supported: Vec<&str> = if stream.incremental {
                vec!["full_refresh", "incremental"]
            } else {
                vec!["full_refresh"]
            };
            let stream_json = object(vec![
                ("name", Some(json!(stream.name))),
                ("jsonSchema", Some(json_schema(stream))),
                ("supportedSyncModes", Some(json!(supported))),
                ("sourceDefinedCursor", Some(json!(false))),
                (
                    "defaultCursorField",
                    Some(json!(stream.default_cursor_field)),
                ),
                ("sourceDefinedPrimaryKey", Some(json!(stream.primary_key))),
                ("namespace", stream.namespace.clone().map(Value::from)),
                ("isResumable", Some(json!(stream.incremental))),
            ]);
            let config_json = object(vec![
                ("syncMode", Some(json!(source_mode))),
                ("destinationSyncMode", Some(json!(destination_mode))),
                (
                    "cursorField",
                    configured
                        .and_then(|c| c.get("cursorField").cloned())
                        .or_else(|| Some(json!(stream.default_cursor_field))),
                ),
                (
                    "primaryKey",
                    configured
                        .and_then(|c| c.get("primaryKey").cloned())
                        .or_else(|| Some(json!(stream.primary_key))),
                ),
                ("aliasName", Some(json!(stream.name))),
                ("selected", Some(json!(configured.is_some()))),
                ("suggested", Some(json!(true))),
                ("fieldSelectionEnabled", Some(json!(false))),
            ]);
            json!({"stream": stream_json, "config": config_json})
        })
        .collect();
    json!({"streams": entries})
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
