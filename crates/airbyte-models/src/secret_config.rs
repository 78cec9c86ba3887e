//! Free-form connector configuration whose `Debug` output hides secrets.

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// The text that replaces a secret value in redacted output.
pub const REDACTED: &str = "<redacted>";

/// The value the Airbyte server puts in place of a stored secret in responses.
pub const SERVER_SECRET_MASK: &str = "**********";

/// Fragments that mark a configuration key as holding a secret, compared after lower-casing the
/// key and dropping everything but letters and digits (`API-Key`, `api_key` and `apiKey` are one).
const SECRET_KEY_FRAGMENTS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "accesskey",
    "privatekey",
    "secretkey",
    "signingkey",
    "encryptionkey",
    "sessionkey",
    "credential",
    "authorization",
    "cookie",
    "connectionstring",
    "jwt",
    "serviceaccount",
];

/// Keys ending in `key` that name data layout rather than a secret.
const NON_SECRET_KEY_SUFFIXED: &[&str] = &[
    "primarykey",
    "partitionkey",
    "sortkey",
    "clusterkey",
    "clusteringkey",
    "distkey",
    "routingkey",
    "cursorkey",
    "uniquekey",
    "foreignkey",
];

/// Whether a configuration key looks like it holds a secret.
///
/// The rule is deliberately broad: hiding a harmless value in a log is cheap, leaking a secret
/// is not. Besides the fragments above, any key ending in `key` (`ssh_key`, `account_key`,
/// `key`) counts, except a few that name data layout (`primary_key`, `partition_key`, ...).
#[must_use]
pub fn is_secret_key(key: &str) -> bool {
    let normalized: String = key
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let secret_suffix =
        normalized.ends_with("key") && !NON_SECRET_KEY_SUFFIXED.contains(&normalized.as_str());
    secret_suffix
        || normalized == "pat"
        || SECRET_KEY_FRAGMENTS
            .iter()
            .any(|fragment| normalized.contains(fragment))
}

/// A copy of `value` in which every value under a secret-looking key, at any depth, is replaced
/// by [`REDACTED`]. Whole objects and arrays under such a key are replaced too.
#[must_use]
pub fn redact_json(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, inner)| {
                    let redacted = if is_secret_key(key) && !inner.is_null() {
                        Value::String(REDACTED.to_owned())
                    } else {
                        redact_json(inner)
                    };
                    (key.clone(), redacted)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(redact_json).collect()),
        other => other.clone(),
    }
}

/// The values under secret-looking keys in `value`, at any depth (strings, and the text of
/// numbers), so that a client can scrub them from a server message that echoes its input.
#[must_use]
pub fn secret_values(value: &Value) -> Vec<String> {
    fn collect(value: &Value, under_secret: bool, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map {
                    collect(inner, under_secret || is_secret_key(key), out);
                }
            }
            Value::Array(items) => items
                .iter()
                .for_each(|item| collect(item, under_secret, out)),
            Value::String(text) if under_secret && !text.is_empty() => out.push(text.clone()),
            Value::Number(number) if under_secret => out.push(number.to_string()),
            _ => {}
        }
    }
    let mut out = Vec::new();
    collect(value, false, &mut out);
    out.sort();
    out.dedup();
    out
}

/// A connector configuration (or any other free-form JSON that may hold secrets, such as
/// Connector Builder testing values).
///
/// Serialization is exact: what is read is written back unchanged. `Debug` prints the JSON with
/// the values of secret-looking keys replaced (see [`is_secret_key`]), so a configuration can be
/// logged or put in an error without leaking a password.
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

    #[test]
    fn secret_keys_are_recognized_in_any_spelling() {
        for key in [
            "password",
            "Password",
            "client_secret",
            "clientSecret",
            "api_key",
            "API-Key",
            "access_token",
            "refresh_token",
            "private_key",
            "service_account_info",
            "credentials",
            "tunnel_user_password",
            "key",
            "storage_account_key",
        ] {
            assert!(is_secret_key(key), "{key} should be secret");
        }
        for key in [
            "host",
            "port",
            "database",
            "username",
            "schemas",
            "region",
            "primary_key",
            "keys",
        ] {
            assert!(!is_secret_key(key), "{key} should not be secret");
        }
    }

    #[test]
    fn secret_values_are_collected_at_every_depth() {
        let value = json!({
            "host": "h",
            "password": "p1",
            "credentials": {"client_id": "c", "nested": ["p2", {"x": 42}]},
            "list": [{"api_token": "p3"}],
            "empty_secret": "",
        });
        assert_eq!(secret_values(&value), ["42", "c", "p1", "p2", "p3"]);
    }

    #[test]
    fn redaction_reaches_every_depth_and_keeps_structure() {
        let value = json!({
            "host": "h",
            "tunnel": {"method": "SSH", "ssh_key": "K1"},
            "list": [{"api_token": "K2"}, {"name": "n"}],
            "credentials": {"auth_type": "oauth", "x": "K3"},
            "nothing": null,
        });
        let redacted = redact_json(&value);
        let text = redacted.to_string();
        for sentinel in ["K1", "K2", "K3"] {
            assert!(!text.contains(sentinel), "{sentinel} leaked in {text}");
        }
        assert_eq!(redacted["host"], "h");
        assert_eq!(redacted["list"][1]["name"], "n");
        assert_eq!(redacted["nothing"], Value::Null);
    }
}
