//! Streams and catalogs, built from what a source definition offers: stream configurations in
//! the Public API's form, the sync modes a stream supports, the streams of a declarative
//! manifest and the Config API catalog of a connection. Pure functions, below the handlers.

use serde_json::{Map, Value, json};

use super::{ActorKind, ConnectionRec, StreamDef, World};
use crate::json::object;

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

pub(crate) fn json_schema(stream: &StreamDef) -> Value {
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
