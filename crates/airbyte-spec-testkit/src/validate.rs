//! A small JSON Schema validator for the subset of OpenAPI the Airbyte specs use.

use serde_json::Value;

use crate::Spec;

const MAX_DEPTH: usize = 64;

fn type_names(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(name)) => vec![name.as_str()],
        Some(Value::Array(names)) => names.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn matches_type(name: &str, value: &Value) -> bool {
    match name {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "null" => value.is_null(),
        _ => true,
    }
}

pub(crate) fn validate(
    spec: &Spec,
    schema: &Value,
    value: &Value,
    path: &str,
    errors: &mut Vec<String>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    let schema = spec.resolve(schema);
    if !schema.is_object() {
        return;
    }
    let nullable = schema.get("nullable").and_then(Value::as_bool) == Some(true);
    if value.is_null() && nullable {
        return;
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        for part in parts {
            validate(spec, part, value, path, errors, depth + 1);
        }
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(options) = schema.get(keyword).and_then(Value::as_array) {
            let any_ok = options.iter().any(|option| {
                let mut option_errors = Vec::new();
                validate(spec, option, value, path, &mut option_errors, depth + 1);
                option_errors.is_empty()
            });
            if !any_ok && !options.is_empty() {
                errors.push(format!("{path}: matches none of the {keyword} options"));
            }
        }
    }
    let types = type_names(schema);
    if !types.is_empty() && !types.iter().any(|name| matches_type(name, value)) {
        errors.push(format!(
            "{path}: expected {}, got {value}",
            types.join(" or ")
        ));
        return;
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        // A nullable null returned early above; anything else must be listed.
        if !allowed.contains(value) {
            errors.push(format!(
                "{path}: {value} is not one of {}",
                Value::Array(allowed.clone())
            ));
        }
    }
    match value {
        Value::Object(map) => {
            for name in spec.required(schema) {
                if !map.contains_key(&name) && spec.properties(schema).contains_key(&name) {
                    errors.push(format!("{path}: missing required property `{name}`"));
                }
            }
            let properties = spec.properties(schema);
            for (name, child) in map {
                if let Some(child_schema) = properties.get(name) {
                    validate(
                        spec,
                        child_schema,
                        child,
                        &format!("{path}.{name}"),
                        errors,
                        depth + 1,
                    );
                } else if let Some(additional) =
                    schema.get("additionalProperties").filter(|a| a.is_object())
                {
                    validate(
                        spec,
                        additional,
                        child,
                        &format!("{path}.{name}"),
                        errors,
                        depth + 1,
                    );
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (index, item) in items.iter().enumerate() {
                    validate(
                        spec,
                        item_schema,
                        item,
                        &format!("{path}[{index}]"),
                        errors,
                        depth + 1,
                    );
                }
            }
        }
        _ => {}
    }
}
