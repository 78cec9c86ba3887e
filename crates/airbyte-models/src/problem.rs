//! The error bodies the API sends, in all their shapes.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An error body from either API, decoded leniently: every field is optional.
///
/// The server sends several shapes:
/// - a problem body (`status`, `type`, `title`, `detail`, `documentationUrl`, `data`), with
///   `Content-Type: application/json` rather than `application/problem+json`;
/// - `{"errorId": "<uuid>"}` alone, for validation failures, malformed JSON and bad credentials;
/// - `{"message": "You are being rate limited."}` for load shedding (429);
/// - Config API exception infos (`message`, `exceptionClassName`, `details`,
///   `validationErrors`, ...).
///
/// [`ApiErrorBody::summary`] picks the most useful human sentence from whichever is present.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiErrorBody {
    /// The HTTP status, repeated in problem bodies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Value>,
    /// The problem type: a URL such as `https://reference.airbyte.com/reference/errors#...`, or
    /// a URN-like `error:...`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub problem_type: Option<String>,
    /// The short problem code, such as `resource-not-found` or `try-again-later`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// A human sentence about the problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// A link to documentation about the problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub documentation_url: Option<String>,
    /// Problem-specific data, such as `{"message": ...}` or `{"resourceType", "resourceId"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<Value>,
    /// The server's error ID, useful when asking Airbyte support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_id: Option<String>,
    /// A message (load shedding, Config API exception infos).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The server-side exception class (Config API).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exception_class_name: Option<String>,
    /// Extra details (Config API known exceptions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
    /// Invalid properties (Config API validation errors).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_errors: Option<Vec<InvalidInputProperty>>,
}

/// One invalid property in a Config API validation error.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvalidInputProperty {
    /// The path of the property.
    #[serde(default)]
    pub property_path: String,
    /// The rejected value, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invalid_value: Option<String>,
    /// Why it was rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl ApiErrorBody {
    /// Decodes a body, returning `None` when it is not a JSON object.
    #[must_use]
    pub fn from_slice(body: &[u8]) -> Option<Self> {
        let value: Value = serde_json::from_slice(body).ok()?;
        if !value.is_object() {
            return None;
        }
        serde_json::from_value(value).ok()
    }

    /// The message inside `data`, when the problem carries one.
    #[must_use]
    pub fn data_message(&self) -> Option<&str> {
        self.data.as_ref()?.get("message")?.as_str()
    }

    /// The most specific human-readable message available: `data.message`, `detail`,
    /// `message`, the validation errors, `title`, then the error ID.
    #[must_use]
    pub fn summary(&self) -> Option<String> {
        let non_empty = |text: &str| (!text.trim().is_empty()).then(|| text.to_owned());
        // `data.message` is specific; `detail` is usually the problem type's generic default.
        if let Some(text) = self.data_message().and_then(non_empty) {
            return Some(text);
        }
        if let Some(text) = self.detail.as_deref().and_then(non_empty) {
            return Some(text);
        }
        if let Some(text) = self.message.as_deref().and_then(non_empty) {
            return Some(text);
        }
        if let Some(errors) = self.validation_errors.as_ref().filter(|e| !e.is_empty()) {
            let parts: Vec<String> = errors
                .iter()
                .map(|error| match &error.message {
                    Some(message) => format!("{}: {message}", error.property_path),
                    None => error.property_path.clone(),
                })
                .collect();
            return Some(parts.join("; "));
        }
        if let Some(text) = self.title.as_deref().and_then(non_empty) {
            return Some(text);
        }
        self.error_id
            .as_deref()
            .map(|id| format!("the server reported error ID {id} without details"))
    }

    /// The `resourceType` of a `resource-not-found` problem.
    #[must_use]
    pub fn resource_type(&self) -> Option<&str> {
        self.data.as_ref()?.get("resourceType")?.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_shape_decodes_and_summarizes() {
        let problem = ApiErrorBody::from_slice(
            br#"{"status":404,"type":"https://reference.airbyte.com/reference/errors#resource-not-found","title":"resource-not-found","detail":"The requested resource could not be found.","documentationUrl":null,"data":{"resourceType":"SOURCE_CONNECTION","resourceId":"x"}}"#,
        )
        .unwrap();
        assert_eq!(problem.title.as_deref(), Some("resource-not-found"));
        assert_eq!(problem.resource_type(), Some("SOURCE_CONNECTION"));
        assert_eq!(
            problem.summary().unwrap(),
            "The requested resource could not be found."
        );

        let bare = ApiErrorBody::from_slice(br#"{"errorId":"3f1c"}"#).unwrap();
        assert!(bare.summary().unwrap().contains("3f1c"));

        let shed =
            ApiErrorBody::from_slice(br#"{"message":"You are being rate limited."}"#).unwrap();
        assert_eq!(shed.summary().unwrap(), "You are being rate limited.");

        let conflict = ApiErrorBody::from_slice(
            br#"{"status":409,"title":"try-again-later","detail":"Please try again later.","data":{"message":"A sync is already running for: c"}}"#,
        )
        .unwrap();
        assert_eq!(
            conflict.summary().unwrap(),
            "A sync is already running for: c"
        );

        assert!(ApiErrorBody::from_slice(b"<html></html>").is_none());
        assert!(ApiErrorBody::from_slice(b"[1,2]").is_none());
    }
}
