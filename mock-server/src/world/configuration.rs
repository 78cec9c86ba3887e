//! Connector configurations as the server stores them: PATCH merges, PUT replaces but keeps
//! masked secrets, the connector type key never stays, and a configuration must have what its
//! connector's specification requires. Pure functions, below the handlers.

use serde_json::Value;

use super::ActorKind;

/// The configuration key that names the connector type on create (`sourceType` or
/// `destinationType`); the server reads it, then never stores it.
pub(crate) fn type_key(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Source => "sourceType",
        ActorKind::Destination => "destinationType",
    }
}

/// Removes the connector type key: real Airbyte strips it on create, PATCH and PUT (generated
/// SDKs always send it).
pub(crate) fn strip_type_key(kind: ActorKind, configuration: &mut Value) {
    if let Some(map) = configuration.as_object_mut() {
        map.remove(type_key(kind));
    }
}

/// Merges a PATCH configuration into a stored one: objects key by key, everything else
/// replaced, and the mask `**********` keeps the stored secret.
pub(crate) fn merge(stored: &mut Value, patch: &Value) {
    match (stored, patch) {
        (Value::Object(stored), Value::Object(patch)) => {
            for (key, value) in patch {
                if value.as_str() == Some(airbyte_models::SERVER_SECRET_MASK)
                    && stored.contains_key(key)
                {
                    continue;
                }
                match stored.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge(existing, value);
                    }
                    _ => {
                        stored.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (stored, patch) => *stored = patch.clone(),
    }
}

/// Puts stored secrets back where a replacing configuration carries the mask.
pub(crate) fn restore_masked(new: &mut Value, stored: &Value) {
    if let (Value::Object(new), Value::Object(stored)) = (new, stored) {
        for (key, value) in new.iter_mut() {
            if value.as_str() == Some(airbyte_models::SERVER_SECRET_MASK) {
                if let Some(original) = stored.get(key) {
                    *value = original.clone();
                }
            } else if let Some(original) = stored.get(key) {
                restore_masked(value, original);
            }
        }
    }
}

/// The paths of the fields a connection specification (a JSON schema) requires that the
/// configuration lacks, at any depth; for a `oneOf`, the closest alternative's.
pub(crate) fn missing_required(specification: &Value, configuration: &Value) -> Vec<String> {
    let mut missing = Vec::new();
    collect_missing(specification, configuration, "", &mut missing);
    missing
}

fn collect_missing(schema: &Value, value: &Value, path: &str, missing: &mut Vec<String>) {
    if let Some(alternatives) = schema.get("oneOf").and_then(Value::as_array) {
        let best = alternatives
            .iter()
            .map(|alternative| {
                let mut found = Vec::new();
                collect_missing(alternative, value, path, &mut found);
                found
            })
            .min_by_key(Vec::len);
        missing.extend(best.unwrap_or_default());
        return;
    }
    let Some(object) = value.as_object() else {
        return;
    };
    for name in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if object.get(name).is_none_or(Value::is_null) {
            missing.push(format!("{path}{name}"));
        }
    }
    for (name, property) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(inner) = object.get(name) {
            collect_missing(property, inner, &format!("{path}{name}."), missing);
        }
    }
}

/// The properties a schema gives an object, its `oneOf` alternatives' included.
fn properties_of<'s>(schema: &'s Value, name: &str) -> Vec<&'s Value> {
    let mut found: Vec<&Value> = schema
        .get("properties")
        .and_then(|properties| properties.get(name))
        .into_iter()
        .collect();
    for alternative in schema
        .get("oneOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        found.extend(properties_of(alternative, name));
    }
    found
}

fn marked_secret(schemas: &[&Value]) -> bool {
    schemas
        .iter()
        .any(|schema| schema.get("airbyte_secret").and_then(Value::as_bool) == Some(true))
}

/// The JSON pointers (`/credentials/api_key`) of the secret values a configuration carries:
/// fields its specification marks `airbyte_secret`, and fields whose name looks secret. An
/// empty value or the server's mask is not a secret value.
pub(crate) fn secret_pointers(specification: Option<&Value>, configuration: &Value) -> Vec<String> {
    let mut found = Vec::new();
    collect_secrets(specification, configuration, "", &mut found);
    found
}

fn collect_secrets(schema: Option<&Value>, value: &Value, pointer: &str, found: &mut Vec<String>) {
    let Some(object) = value.as_object() else {
        return;
    };
    for (key, inner) in object {
        let here = format!("{pointer}/{key}");
        let schemas: Vec<&Value> = schema
            .map(|schema| properties_of(schema, key))
            .unwrap_or_default();
        let holds_value = match inner {
            Value::String(text) => !text.is_empty() && text != airbyte_models::SERVER_SECRET_MASK,
            Value::Number(_) => true,
            _ => false,
        };
        if holds_value && (marked_secret(&schemas) || airbyte_models::is_secret_key(key)) {
            found.push(here);
        } else if inner.is_object() {
            collect_secrets(schemas.first().copied(), inner, &here, found);
        }
    }
}

/// Whether a schema has a secret anywhere inside (`credentials` of an OAuth connector).
fn holds_secret(schema: &Value, name: &str) -> bool {
    if airbyte_models::is_secret_key(name)
        || schema.get("airbyte_secret").and_then(Value::as_bool) == Some(true)
    {
        return true;
    }
    let nested = schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .any(|(key, inner)| holds_secret(inner, key));
    nested
        || schema
            .get("oneOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|alternative| holds_secret(alternative, ""))
}

/// The required fields a draft's configuration lacks that it cannot leave for later: every
/// missing required field but those that are, or hold, secrets. JSON pointers.
pub(crate) fn missing_outside_secrets(specification: &Value, configuration: &Value) -> Vec<String> {
    missing_required(specification, configuration)
        .into_iter()
        .filter(|path| {
            let mut schema = specification;
            let segments: Vec<&str> = path.split('.').collect();
            for segment in &segments {
                match properties_of(schema, segment).first() {
                    Some(inner) => schema = inner,
                    None => return !airbyte_models::is_secret_key(segment),
                }
            }
            !holds_secret(schema, segments.last().copied().unwrap_or_default())
        })
        .map(|path| format!("/{}", path.replace('.', "/")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn patches_merge_and_keep_masked_secrets() {
        let mut stored = json!({"host": "a", "password": "p", "ssl": {"mode": "require", "ca": "x"}, "list": [1]});
        merge(
            &mut stored,
            &json!({"host": "b", "password": "**********", "ssl": {"mode": "disable"}, "list": [2, 3]}),
        );
        assert_eq!(
            stored,
            json!({"host": "b", "password": "p", "ssl": {"mode": "disable", "ca": "x"}, "list": [2, 3]})
        );
    }

    #[test]
    fn replacements_keep_masked_secrets_only() {
        let mut new =
            json!({"host": "c", "password": "**********", "tunnel": {"key": "**********"}});
        restore_masked(
            &mut new,
            &json!({"host": "a", "password": "p", "tunnel": {"key": "k"}, "gone": 1}),
        );
        assert_eq!(
            new,
            json!({"host": "c", "password": "p", "tunnel": {"key": "k"}})
        );
    }

    #[test]
    fn secrets_are_found_by_specification_and_by_name() {
        let specification = json!({"properties": {
            "token_value": {"type": "string", "airbyte_secret": true},
            "tunnel": {"properties": {"ssh_key": {"type": "string"}}},
        }});
        let configuration = json!({
            "token_value": "t", "tunnel": {"ssh_key": "k", "host": "h"},
            "password": "**********", "host": "db", "empty_secret": "",
        });
        assert_eq!(
            secret_pointers(Some(&specification), &configuration),
            ["/token_value", "/tunnel/ssh_key"]
        );
        assert_eq!(
            secret_pointers(None, &json!({"api_key": "k"})),
            ["/api_key"]
        );
    }

    #[test]
    fn drafts_may_lack_only_secrets() {
        let specification = json!({
            "required": ["customer_id", "credentials", "api_key"],
            "properties": {
                "customer_id": {"type": "string"},
                "credentials": {"properties": {"refresh_token": {"airbyte_secret": true}}},
            },
        });
        assert_eq!(
            missing_outside_secrets(&specification, &json!({})),
            ["/customer_id"]
        );
        assert!(missing_outside_secrets(&specification, &json!({"customer_id": "1"})).is_empty());
    }

    #[test]
    fn required_fields_are_found_at_any_depth_and_in_the_closest_alternative() {
        let specification = json!({
            "required": ["project_id", "dataset_location"],
            "properties": {
                "loading": {"oneOf": [
                    {"required": ["method", "bucket"]},
                    {"required": ["method"]},
                ]},
                "tunnel": {"required": ["host"]},
            },
        });
        assert_eq!(
            missing_required(
                &specification,
                &json!({"project_id": "p", "loading": {}, "tunnel": {"port": 1}})
            ),
            ["dataset_location", "loading.method", "tunnel.host"]
        );
        assert!(
            missing_required(
                &specification,
                &json!({"project_id": "p", "dataset_location": "US", "loading": {"method": "Standard"}})
            )
            .is_empty()
        );
    }
}
