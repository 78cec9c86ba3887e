//! Small serde helpers shared by the models.

use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// Decodes an optional JSON value so that an explicit `null` stays `Some(Value::Null)` and only
/// an absent field is `None`: an opaque blob written back keeps its `null`.
pub(crate) fn keep_null<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}
