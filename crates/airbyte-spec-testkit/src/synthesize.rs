//! Builds conforming instances of schemas.

use serde_json::{Map, Value, json};

use crate::Spec;

/// Below this depth only required properties are filled in, so recursive schemas end.
const FULL_DEPTH: usize = 6;
const MAX_DEPTH: usize = 24;

pub(crate) fn synthesize(spec: &Spec, schema: &Value, depth: usize) -> Value {
    let schema = spec.resolve(schema);
    if depth > MAX_DEPTH || !schema.is_object() {
        return Value::Null;
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|v| v.first())
    {
        return first.clone();
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(first) = schema
            .get(keyword)
            .and_then(Value::as_array)
            .and_then(|v| v.first())
        {
            let chosen = synthesize(spec, first, depth + 1);
            if schema.get("properties").is_none() {
                return chosen;
            }
            // A base object whose alternatives only say which of its properties are required
            // (`oneOf: [{required: [a]}, {required: [b]}]`): its required properties and those
            // of the first alternative, and no other, so that exactly one alternative holds.
            let mut wanted = spec.required(schema);
            wanted.extend(spec.required(first));
            let mut out = Map::new();
            for (name, property) in &spec.properties(schema) {
                if wanted.contains(name) {
                    out.insert(name.clone(), synthesize(spec, property, depth + 1));
                }
            }
            if let Value::Object(extra) = chosen {
                out.extend(extra);
            }
            return Value::Object(out);
        }
    }
    let is_object = schema.get("allOf").is_some()
        || schema.get("properties").is_some()
        || schema.get("type").and_then(Value::as_str) == Some("object");
    if is_object {
        let properties = spec.properties(schema);
        let required = spec.required(schema);
        let mut out = Map::new();
        for (name, property) in &properties {
            if depth < FULL_DEPTH || required.contains(name) {
                out.insert(name.clone(), synthesize(spec, property, depth + 1));
            }
        }
        return Value::Object(out);
    }
    let type_name = match schema.get("type") {
        Some(Value::String(name)) => name.as_str(),
        Some(Value::Array(names)) => names
            .iter()
            .filter_map(Value::as_str)
            .find(|name| *name != "null")
            .unwrap_or("null"),
        _ => "",
    };
    match type_name {
        "array" => match schema.get("items") {
            Some(items) => Value::Array(vec![synthesize(spec, items, depth + 1)]),
            None => json!([]),
        },
        "string" => match schema.get("format").and_then(Value::as_str) {
            Some("uuid" | "UUID") => json!("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
            Some("date-time") => json!("2024-05-01T12:30:05Z"),
            Some("date") => json!("2024-05-01"),
            Some("email") => json!("someone@example.com"),
            Some("uri" | "url") => json!("https://example.com/docs"),
            _ => json!("text"),
        },
        "integer" => json!(1),
        "number" => json!(1.5),
        "boolean" => json!(true),
        _ => json!({}),
    }
}
