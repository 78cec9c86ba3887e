//! Building answers' JSON the way the server writes it.

use serde_json::{Map, Value};

/// A JSON object from pairs, skipping `None` values (the server omits nulls in 2xx bodies).
pub(crate) fn object(pairs: Vec<(&str, Option<Value>)>) -> Value {
    let map: Map<String, Value> = pairs
        .into_iter()
        .filter_map(|(key, value)| value.map(|value| (key.to_owned(), value)))
        .collect();
    Value::Object(map)
}
