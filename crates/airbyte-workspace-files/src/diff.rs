//! The differ: what differs between a resource of the files and the same resource live, field
//! by field. Pure functions, without IO, shared by the plan (which shows the changes) and the
//! apply (which sends them, computed again with the IDs known by then).
//!
//! Comparisons ignore what carries no meaning: the order of streams and of selected fields,
//! the order of JSON keys, `1` against `1.0`, the case of a tag's colour, the ` UTC` the
//! server appends to cron expressions. A field the files leave out takes the server's value
//! and is not compared (selected fields left out mean every field). A secret is compared
//! through the fingerprint recorded when it was applied, since the server never shows it.

use std::collections::{BTreeMap, BTreeSet};

use airbyte_models::{
    ConfiguredStreamMapper, ConnectionPatchRequest, ConnectionResponse, ConnectionSchedule,
    NamespaceDefinition, SERVER_SECRET_MASK, SelectedFieldInfo, StreamConfiguration,
    StreamConfigurations, Tag,
};
use serde::Serialize;
use serde_json::{Value, json};

use crate::model::{ConnectionSpec, ScheduleSpec, StreamSpec};
use crate::schedule;
use crate::secrets::{self, Resolved};

/// One field that changes: its path, the live value and the value of the files. Secrets are
/// never shown: a changed secret shows the reference the files hold and a note.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldChange {
    /// `name`, `configuration/host`, `streams[users].sync_mode`, ...
    pub field: String,
    /// The live value (`None`: absent).
    pub old: Option<Value>,
    /// The value the files ask for (`None`: to remove).
    pub new: Option<Value>,
    /// What people need to know (a secret's change, a stream's default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl FieldChange {
    pub(crate) fn new(field: impl Into<String>, old: Option<Value>, new: Option<Value>) -> Self {
        Self {
            field: field.into(),
            old,
            new,
            note: None,
        }
    }
}

/// JSON equality where `1` equals `1.0`.
pub(crate) fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y || matches!((x.as_f64(), y.as_f64()), (Some(x), Some(y)) if x == y)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_eq(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, value)| y.get(key).is_some_and(|other| json_eq(value, other)))
        }
        _ => a == b,
    }
}

/// The leaves that differ between two JSON values, as changes under `prefix`.
pub(crate) fn diff_json(prefix: &str, old: &Value, new: &Value, out: &mut Vec<FieldChange>) {
    diff_json_at(prefix, String::new(), Some(old), Some(new), out);
}

fn diff_json_at(
    prefix: &str,
    pointer: String,
    old: Option<&Value>,
    new: Option<&Value>,
    out: &mut Vec<FieldChange>,
) {
    if let (Some(Value::Object(old)), Some(Value::Object(new))) = (old, new) {
        let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
        for key in keys {
            diff_json_at(
                prefix,
                format!("{pointer}/{}", secrets::escape_pointer(key)),
                old.get(key),
                new.get(key),
                out,
            );
        }
        return;
    }
    let same = match (old, new) {
        (Some(old), Some(new)) => json_eq(old, new),
        (None, None) => true,
        _ => false,
    };
    if !same {
        out.push(FieldChange::new(
            format!("{prefix}{pointer}"),
            old.cloned(),
            new.cloned(),
        ));
    }
}

/// The configuration changes of a source or destination: `written` is the configuration as
/// the files hold it (references), `resolved` with its secrets read, `live` as the server
/// shows it (secrets masked), `fingerprints` those recorded by pointer.
pub(crate) fn diff_configuration(
    written: &Value,
    resolved: &Resolved,
    live: &Value,
    fingerprints: &BTreeMap<String, String>,
) -> Vec<FieldChange> {
    let mut raw = Vec::new();
    diff_json_at(
        "",
        String::new(),
        Some(live),
        Some(resolved.expose_configuration()),
        &mut raw,
    );
    // Secrets differ as values whenever the server masks them: compare those through the
    // fingerprints instead, and never show a value.
    let mut changes = Vec::new();
    let mut masked = Vec::new();
    collect_masked(live, String::new(), &mut masked);
    for pointer in &masked {
        let Some(value) = resolved.expose_configuration().pointer(pointer) else {
            // Gone from the files while its parent stays: the secret is removed. (When the
            // parent goes too, the parent's removal is the change.)
            let parent = pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
            if resolved.expose_configuration().pointer(parent).is_some() {
                changes.push(FieldChange {
                    field: format!("configuration{pointer}"),
                    old: Some(Value::String(SERVER_SECRET_MASK.to_owned())),
                    new: None,
                    note: Some("the secret is removed".to_owned()),
                });
            }
            continue;
        };
        let text = secret_text(value);
        let same = fingerprints
            .get(pointer)
            .is_some_and(|fingerprint| secrets::matches(fingerprint, &text.into()));
        if !same {
            let note = if fingerprints.contains_key(pointer) {
                "the secret's value differs from the one applied"
            } else {
                "the secret was not applied from these files yet (the server never shows it)"
            };
            changes.push(FieldChange {
                field: format!("configuration{pointer}"),
                old: Some(Value::String(SERVER_SECRET_MASK.to_owned())),
                new: written.pointer(pointer).cloned(),
                note: Some(note.to_owned()),
            });
        }
    }
    for change in raw {
        let pointer = change.field.clone();
        if masked
            .iter()
            .any(|secret| pointer == *secret || pointer.starts_with(&format!("{secret}/")))
        {
            continue;
        }
        let hidden = resolved
            .secrets
            .keys()
            .any(|secret| pointer == *secret || pointer.starts_with(&format!("{secret}/")));
        let new = if hidden {
            written.pointer(&pointer).cloned()
        } else {
            written.pointer(&pointer).map(secrets::unescape_all)
        };
        changes.push(FieldChange {
            field: format!("configuration{pointer}"),
            old: if hidden {
                Some(Value::String("(hidden)".to_owned()))
            } else {
                change.old
            },
            new,
            note: hidden.then(|| "a secret".to_owned()),
        });
    }
    changes.sort_by(|a, b| a.field.cmp(&b.field));
    changes
}

/// The text fingerprinted for a secret value (a string as it is, anything else as JSON).
pub(crate) fn secret_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// The pointers of every masked value.
pub(crate) fn collect_masked(value: &Value, pointer: String, out: &mut Vec<String>) {
    match value {
        Value::String(text) if secrets::is_masked(text) => out.push(pointer),
        Value::Object(map) => {
            for (key, inner) in map {
                collect_masked(
                    inner,
                    format!("{pointer}/{}", secrets::escape_pointer(key)),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                collect_masked(inner, format!("{pointer}/{index}"), out);
            }
        }
        _ => {}
    }
}

/// The IDs a connection's comparison needs: its source's and destination's (`None` when they
/// are yet to be created or replaced), and its tags' (by key; `None` when to be created).
pub(crate) struct ConnectionIds<'a> {
    pub(crate) source: Option<&'a str>,
    pub(crate) destination: Option<&'a str>,
    pub(crate) tags: BTreeMap<String, Option<Tag>>,
}

/// What differs in a connection, and the patch that makes the live one what the files say.
pub(crate) struct ConnectionDelta {
    pub(crate) changes: Vec<FieldChange>,
    /// Why it must be replaced rather than updated, if so.
    pub(crate) replace: Option<String>,
    pub(crate) patch: ConnectionPatchRequest,
}

/// The differences of a connection.
pub(crate) fn diff_connection(
    key: &str,
    spec: &ConnectionSpec,
    live: &ConnectionResponse,
    ids: &ConnectionIds<'_>,
) -> ConnectionDelta {
    let mut changes = Vec::new();
    let mut patch = ConnectionPatchRequest::default();
    let mut replace = None;
    if ids.source != Some(live.source_id.as_str()) {
        replace = Some(format!(
            "its source changes (to {:?}), which the API cannot change in place",
            spec.source
        ));
    } else if ids.destination != Some(live.destination_id.as_str()) {
        replace = Some(format!(
            "its destination changes (to {:?}), which the API cannot change in place",
            spec.destination
        ));
    }
    let name = spec.name.clone().unwrap_or_else(|| key.to_owned());
    if name != live.name {
        changes.push(FieldChange::new(
            "name",
            Some(json!(live.name)),
            Some(json!(name)),
        ));
        patch.name = Some(name);
    }
    if let Some(status) = &spec.status
        && *status != live.status
    {
        changes.push(FieldChange::new(
            "status",
            Some(json!(live.status)),
            Some(json!(status)),
        ));
        patch.status = Some(status.clone());
    }
    if let Some(desired) = &spec.schedule {
        let current = schedule::live(&live.schedule);
        if !schedule::same(desired, &current) {
            changes.push(FieldChange::new(
                "schedule",
                Some(json!(schedule::shown(&current))),
                Some(json!(desired.to_string())),
            ));
            patch.schedule = Some(match desired {
                ScheduleSpec::Manual => ConnectionSchedule::manual(),
                ScheduleSpec::Cron(cron) => ConnectionSchedule::cron(cron.as_str()),
            });
        }
    }
    if let Some(prefix) = &spec.prefix {
        let current = live.prefix.clone().unwrap_or_default();
        if *prefix != current {
            changes.push(FieldChange::new(
                "prefix",
                Some(json!(current)),
                Some(json!(prefix)),
            ));
            patch.prefix = Some(prefix.clone());
        }
    }
    if let Some(namespace) = &spec.namespace {
        let current = live
            .namespace_definition
            .clone()
            .unwrap_or(NamespaceDefinition::Destination);
        let format_differs = *namespace == NamespaceDefinition::CustomFormat
            && spec.namespace_format != live.namespace_format;
        if *namespace != current || format_differs {
            if *namespace != current {
                changes.push(FieldChange::new(
                    "namespace",
                    Some(json!(current)),
                    Some(json!(namespace)),
                ));
            }
            if format_differs {
                changes.push(FieldChange::new(
                    "namespace_format",
                    live.namespace_format.clone().map(Value::from),
                    spec.namespace_format.clone().map(Value::from),
                ));
            }
            patch.namespace_definition = Some(namespace.clone());
            patch.namespace_format.clone_from(&spec.namespace_format);
        }
    }
    if let Some(behavior) = &spec.non_breaking_changes
        && live.non_breaking_schema_updates_behavior.as_ref() != Some(behavior)
    {
        changes.push(FieldChange::new(
            "non_breaking_changes",
            live.non_breaking_schema_updates_behavior
                .as_ref()
                .map(|value| json!(value)),
            Some(json!(behavior)),
        ));
        patch.non_breaking_schema_updates_behavior = Some(behavior.clone());
    }
    if let Some(keys) = &spec.tags {
        let live_names: BTreeSet<&str> = live.tags.iter().map(|tag| tag.name.as_str()).collect();
        let live_ids: BTreeSet<&str> = live.tags.iter().map(|tag| tag.tag_id.as_str()).collect();
        let desired: Vec<Option<&Tag>> = keys
            .iter()
            .map(|key| ids.tags.get(key).and_then(Option::as_ref))
            .collect();
        let desired_ids: BTreeSet<&str> = desired
            .iter()
            .flatten()
            .map(|tag| tag.tag_id.as_str())
            .collect();
        if desired.iter().any(Option::is_none) || desired_ids != live_ids {
            changes.push(FieldChange::new(
                "tags",
                Some(json!(live_names)),
                Some(json!(keys)),
            ));
            if desired.iter().all(Option::is_some) {
                patch.tags = Some(desired.into_iter().flatten().cloned().collect());
            }
        }
    }
    let (stream_changes, streams) = diff_streams(&spec.streams, &live.configurations.streams);
    if !stream_changes.is_empty() {
        changes.extend(stream_changes);
        patch.configurations = Some(StreamConfigurations { streams });
    }
    ConnectionDelta {
        changes,
        replace,
        patch,
    }
}

/// Whether a live stream is the one a stream of the files names.
fn same_stream(spec: &StreamSpec, live: &StreamConfiguration) -> bool {
    spec.name == live.name
        && spec
            .namespace
            .as_ref()
            .is_none_or(|namespace| live.namespace.as_ref() == Some(namespace))
}

fn sorted_paths(fields: &[SelectedFieldInfo]) -> Vec<Vec<String>> {
    let mut paths: Vec<Vec<String>> = fields
        .iter()
        .filter_map(|field| field.field_path.clone())
        .collect();
    paths.sort();
    paths
}

/// The stream changes, and the complete stream list to send: a stream that stays keeps the
/// live settings the files leave out.
pub(crate) fn diff_streams(
    desired: &[StreamSpec],
    live: &[StreamConfiguration],
) -> (Vec<FieldChange>, Vec<StreamConfiguration>) {
    let mut changes = Vec::new();
    let mut streams = Vec::new();
    let mut matched = vec![false; live.len()];
    for spec in desired {
        let label = spec.label();
        let found = live
            .iter()
            .enumerate()
            .find(|(index, stream)| !matched[*index] && same_stream(spec, stream));
        let Some((index, current)) = found else {
            changes.push(FieldChange::new(
                format!("streams[{label}]"),
                None,
                Some(stream_summary(spec)),
            ));
            streams.push(stream_configuration(spec, None));
            continue;
        };
        matched[index] = true;
        let field = |name: &str| format!("streams[{label}].{name}");
        if let Some(mode) = &spec.sync_mode
            && current.sync_mode.as_ref() != Some(mode)
        {
            changes.push(FieldChange::new(
                field("sync_mode"),
                current.sync_mode.as_ref().map(|mode| json!(mode)),
                Some(json!(mode)),
            ));
        }
        if let Some(cursor) = &spec.cursor_field
            && current.cursor_field.as_ref() != Some(cursor)
        {
            changes.push(FieldChange::new(
                field("cursor_field"),
                current.cursor_field.as_ref().map(|value| json!(value)),
                Some(json!(cursor)),
            ));
        }
        if let Some(key) = &spec.primary_key
            && current.primary_key.as_ref() != Some(key)
        {
            changes.push(FieldChange::new(
                field("primary_key"),
                current.primary_key.as_ref().map(|value| json!(value)),
                Some(json!(key)),
            ));
        }
        let live_fields = current
            .selected_fields
            .as_deref()
            .map(sorted_paths)
            .filter(|paths| !paths.is_empty());
        if spec.selected_fields != live_fields {
            let shown = |paths: &Option<Vec<Vec<String>>>| {
                Some(
                    paths
                        .as_ref()
                        .map_or(json!("all fields"), |paths| json!(paths)),
                )
            };
            changes.push(FieldChange::new(
                field("selected_fields"),
                shown(&live_fields),
                shown(&spec.selected_fields),
            ));
        }
        if let Some(include) = spec.include_files
            && current.include_files != Some(include)
        {
            changes.push(FieldChange::new(
                field("include_files"),
                current.include_files.map(Value::from),
                Some(json!(include)),
            ));
        }
        if let Some(name) = &spec.destination_object_name
            && current.destination_object_name.as_ref() != Some(name)
        {
            changes.push(FieldChange::new(
                field("destination_object_name"),
                current.destination_object_name.clone().map(Value::from),
                Some(json!(name)),
            ));
        }
        if let Some(mappers) = &spec.mappers {
            let live_mappers = live_mappers(current);
            if !json_eq(&json!(live_mappers), &json!(mappers)) {
                changes.push(FieldChange::new(
                    field("mappers"),
                    Some(json!(live_mappers)),
                    Some(json!(mappers)),
                ));
            }
        }
        streams.push(stream_configuration(spec, Some(current)));
    }
    for (index, stream) in live.iter().enumerate() {
        if !matched[index] {
            let label = match &stream.namespace {
                Some(namespace) => format!("{namespace}.{}", stream.name),
                None => stream.name.clone(),
            };
            changes.push(FieldChange::new(
                format!("streams[{label}]"),
                Some(json!({"sync_mode": stream.sync_mode})),
                None,
            ));
        }
    }
    (changes, streams)
}

/// A live stream's mappers as the files write them: without the IDs the server assigns.
pub(crate) fn live_mappers(stream: &StreamConfiguration) -> Vec<Value> {
    stream
        .mappers
        .iter()
        .flatten()
        .map(|mapper| {
            let mut value = json!(mapper);
            if let Some(map) = value.as_object_mut() {
                map.remove("id");
            }
            value
        })
        .collect()
}

fn stream_summary(spec: &StreamSpec) -> Value {
    let mut map = serde_json::Map::new();
    if let Some(mode) = &spec.sync_mode {
        map.insert("sync_mode".to_owned(), json!(mode));
    }
    if let Some(fields) = &spec.selected_fields {
        map.insert("selected_fields".to_owned(), json!(fields));
    }
    Value::Object(map)
}

/// The stream configuration to send: the files' settings over the live ones.
pub(crate) fn stream_configuration(
    spec: &StreamSpec,
    current: Option<&StreamConfiguration>,
) -> StreamConfiguration {
    let mut stream = current
        .cloned()
        .unwrap_or_else(|| StreamConfiguration::named(&spec.name));
    if spec.namespace.is_some() {
        stream.namespace.clone_from(&spec.namespace);
    }
    if spec.sync_mode.is_some() {
        stream.sync_mode.clone_from(&spec.sync_mode);
    }
    if spec.cursor_field.is_some() {
        stream.cursor_field.clone_from(&spec.cursor_field);
    }
    if spec.primary_key.is_some() {
        stream.primary_key.clone_from(&spec.primary_key);
    }
    stream.selected_fields = spec.selected_fields.as_ref().map(|paths| {
        paths
            .iter()
            .map(|path| SelectedFieldInfo {
                field_path: Some(path.clone()),
            })
            .collect()
    });
    if spec.include_files.is_some() {
        stream.include_files = spec.include_files;
    }
    if spec.destination_object_name.is_some() {
        stream
            .destination_object_name
            .clone_from(&spec.destination_object_name);
    }
    if let Some(mappers) = &spec.mappers {
        stream.mappers = Some(
            mappers
                .iter()
                .filter_map(|mapper| {
                    serde_json::from_value::<ConfiguredStreamMapper>(mapper.clone()).ok()
                })
                .collect(),
        );
    }
    stream
}

#[cfg(test)]
mod tests {
    use airbyte_models::ConnectionSyncMode;

    use super::*;

    fn stream(name: &str, mode: &str, fields: Option<Vec<&str>>) -> StreamSpec {
        let mut spec = StreamSpec::named(name);
        spec.sync_mode = Some(ConnectionSyncMode::from(mode));
        spec.selected_fields = fields.map(|fields| {
            let mut paths: Vec<Vec<String>> = fields
                .into_iter()
                .map(|field| vec![field.to_owned()])
                .collect();
            paths.sort();
            paths
        });
        spec
    }

    fn live_stream(name: &str, mode: &str, fields: Option<Vec<&str>>) -> StreamConfiguration {
        StreamConfiguration {
            sync_mode: Some(ConnectionSyncMode::from(mode)),
            cursor_field: Some(vec!["updated_at".to_owned()]),
            selected_fields: fields.map(|fields| {
                fields
                    .into_iter()
                    .map(|field| SelectedFieldInfo {
                        field_path: Some(vec![field.to_owned()]),
                    })
                    .collect()
            }),
            ..StreamConfiguration::named(name)
        }
    }

    #[test]
    fn stream_order_and_field_order_are_not_changes() {
        let desired = vec![
            stream("products", "full_refresh_overwrite", None),
            stream("users", "incremental_append", Some(vec!["email", "id"])),
        ];
        let live = vec![
            live_stream("users", "incremental_append", Some(vec!["id", "email"])),
            live_stream("products", "full_refresh_overwrite", None),
        ];
        let (changes, _) = diff_streams(&desired, &live);
        assert!(changes.is_empty(), "{changes:?}");
    }

    #[test]
    fn one_changed_stream_field_is_one_change_and_unmanaged_settings_are_kept() {
        let desired = vec![stream("users", "incremental_deduped_history", None)];
        let live = vec![live_stream("users", "incremental_append", None)];
        let (changes, streams) = diff_streams(&desired, &live);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].field, "streams[users].sync_mode");
        assert_eq!(changes[0].old, Some(json!("incremental_append")));
        assert_eq!(
            streams[0].cursor_field,
            Some(vec!["updated_at".to_owned()]),
            "the cursor the files leave out stays as it is"
        );
    }

    #[test]
    fn streams_added_removed_and_field_selection_are_changes() {
        let desired = vec![stream("orders", "full_refresh_overwrite", Some(vec!["id"]))];
        let live = vec![
            live_stream("orders", "full_refresh_overwrite", None),
            live_stream("users", "full_refresh_overwrite", None),
        ];
        let (changes, streams) = diff_streams(&desired, &live);
        let fields: Vec<&str> = changes.iter().map(|change| change.field.as_str()).collect();
        assert_eq!(
            fields,
            ["streams[orders].selected_fields", "streams[users]"]
        );
        assert_eq!(changes[0].old, Some(json!("all fields")));
        assert_eq!(changes[1].new, None);
        assert_eq!(streams.len(), 1);
        let (changes, _) = diff_streams(&[stream("new", "full_refresh_overwrite", None)], &[]);
        assert_eq!(changes[0].field, "streams[new]");
        assert_eq!(changes[0].old, None);
    }

    #[test]
    fn json_leaves_are_compared_without_regard_to_key_order_or_number_form() {
        let mut out = Vec::new();
        diff_json(
            "configuration",
            &json!({"a": 1, "b": {"c": "x", "d": [1, 2]}, "gone": true}),
            &json!({"b": {"d": [1, 2], "c": "y"}, "a": 1.0, "new": null}),
            &mut out,
        );
        let fields: Vec<&str> = out.iter().map(|change| change.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "configuration/b/c",
                "configuration/gone",
                "configuration/new"
            ]
        );
        assert_eq!(out[1].new, None);
        assert_eq!(out[2].old, None);
    }

    #[test]
    fn secrets_are_compared_by_fingerprint_and_never_shown() {
        let dir = tempfile::tempdir().unwrap();
        let env: BTreeMap<String, String> = [("PW".to_owned(), "s3cret".to_owned())].into();
        let written = json!({"host": "db", "password": "${env:PW}"});
        let resolved = secrets::resolve(&written, dir.path(), &env).unwrap();
        let live = json!({"host": "db", "password": "**********"});
        let none = BTreeMap::new();
        let changes = diff_configuration(&written, &resolved, &live, &none);
        assert_eq!(changes.len(), 1);
        assert_eq!(changes[0].field, "configuration/password");
        assert_eq!(changes[0].new, Some(json!("${env:PW}")));
        assert!(changes[0].note.as_deref().unwrap().contains("not applied"));
        let recorded: BTreeMap<String, String> = [(
            "/password".to_owned(),
            secrets::fingerprint(&"s3cret".into()),
        )]
        .into();
        assert!(diff_configuration(&written, &resolved, &live, &recorded).is_empty());
        let stale: BTreeMap<String, String> =
            [("/password".to_owned(), secrets::fingerprint(&"old".into()))].into();
        let changes = diff_configuration(&written, &resolved, &live, &stale);
        assert_eq!(changes.len(), 1);
        assert!(changes[0].note.as_deref().unwrap().contains("differs"));
        let text = serde_json::to_string(&changes).unwrap();
        assert!(!text.contains("s3cret"), "{text}");
    }

    #[test]
    fn a_plain_change_next_to_a_secret_is_one_change() {
        let dir = tempfile::tempdir().unwrap();
        let env: BTreeMap<String, String> = [("PW".to_owned(), "s3cret".to_owned())].into();
        let written = json!({"host": "db2", "password": "${env:PW}", "note": "$${x}"});
        let resolved = secrets::resolve(&written, dir.path(), &env).unwrap();
        let live = json!({"host": "db", "password": "**********", "note": "${x}"});
        let recorded: BTreeMap<String, String> = [(
            "/password".to_owned(),
            secrets::fingerprint(&"s3cret".into()),
        )]
        .into();
        let changes = diff_configuration(&written, &resolved, &live, &recorded);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].field, "configuration/host");
        assert_eq!(changes[0].new, Some(json!("db2")));
    }
}
