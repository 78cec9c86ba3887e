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
