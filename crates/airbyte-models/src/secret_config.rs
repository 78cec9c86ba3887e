//! Free-form connector configuration whose `Debug` output hides secrets.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::secrets::redact_json;

/// A connector configuration (or any other free-form JSON that may hold secrets, such as
/// Connector Builder testing values).
///
/// Serialization is exact: what is read is written back unchanged. `Debug` prints the JSON with
/// the values of secret-looking keys replaced (see [`is_secret_key`](crate::is_secret_key)), so
/// a configuration can be logged or put in an error without leaking a password.
///
/// ```
/// use airbyte_models::ConnectorConfig;
/// use serde_json::json;
///
/// let config = ConnectorConfig::from(json!({
///     "host": "db.internal",
///     "credentials": {"password": "hunter2"},
/// }));
/// let debug = format!("{config:?}");
/// assert!(debug.contains("db.internal"));
/// assert!(!debug.contains("hunter2"));
/// assert_eq!(serde_json::to_value(&config).unwrap()["credentials"]["password"], "hunter2");
/// ```
///
/// Cloning is cheap: the JSON is shared, and copied only when a clone is changed (responses are
/// cloned into caches on every read, and configurations can be large).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct ConnectorConfig(Arc<Value>);

impl Serialize for ConnectorConfig {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for ConnectorConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(Self::new)
    }
}

impl ConnectorConfig {
    /// Wraps a JSON value.
    #[must_use]
    pub fn new(value: Value) -> Self {
        Self(Arc::new(value))
    }

    /// An empty JSON object.
    #[must_use]
    pub fn empty_object() -> Self {
        Self::new(Value::Object(Map::new()))
    }

    /// The JSON value.
    #[must_use]
    pub fn as_value(&self) -> &Value {
        &self.0
    }

    /// The JSON value, mutably (copied first when it is shared with a clone).
    pub fn as_value_mut(&mut self) -> &mut Value {
        Arc::make_mut(&mut self.0)
    }

    /// Unwraps the JSON value (copied when it is shared with a clone).
    #[must_use]
    pub fn into_value(self) -> Value {
        Arc::unwrap_or_clone(self.0)
    }

    /// The value of a top-level key.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.get(key)
    }

    /// Sets a top-level key, turning a non-object configuration into an object first.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        let json = self.as_value_mut();
        if !json.is_object() {
            *json = Value::Object(Map::new());
        }
        json.as_object_mut()
            .and_then(|map| map.insert(key.into(), value))
    }

    /// Removes a top-level key.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        // Only a configuration that holds the key is copied out of a shared clone.
        self.0.get(key)?;
        self.as_value_mut()
            .as_object_mut()
            .and_then(|map| map.remove(key))
    }

    /// A copy safe to log: see [`redact_json`].
    #[must_use]
    pub fn redacted(&self) -> Value {
        redact_json(&self.0)
    }
}

impl From<Value> for ConnectorConfig {
    fn from(value: Value) -> Self {
        Self::new(value)
    }
}

impl From<Map<String, Value>> for ConnectorConfig {
    fn from(map: Map<String, Value>) -> Self {
        Self::new(Value::Object(map))
    }
}

impl fmt::Debug for ConnectorConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ConnectorConfig({})", self.redacted())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn clones_share_the_json_until_one_changes() {
        let original = ConnectorConfig::from(json!({"host": "a", "port": 5432}));
        let mut changed = original.clone();
        assert!(std::ptr::eq(original.as_value(), changed.as_value()));
        changed.insert("host", json!("b"));
        assert_eq!(changed.remove("port"), Some(json!(5432)));
        assert_eq!(changed.remove("absent"), None);
        assert_eq!(original.as_value(), &json!({"host": "a", "port": 5432}));
        assert_eq!(changed.as_value(), &json!({"host": "b"}));
        changed.as_value_mut()["extra"] = json!(true);
        assert_eq!(
            original.clone().into_value(),
            json!({"host": "a", "port": 5432})
        );
        assert_eq!(changed.into_value(), json!({"host": "b", "extra": true}));
        let mut scalar = ConnectorConfig::from(json!("not an object"));
        scalar.insert("k", json!(1));
        assert_eq!(scalar.as_value(), &json!({"k": 1}));
    }
}
