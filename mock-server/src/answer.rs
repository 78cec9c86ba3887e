//! Answers as the handlers build them, and the API's error bodies.

use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};

/// An answer.
#[derive(Clone, Debug)]
pub(crate) struct Resp {
    pub(crate) status: StatusCode,
    pub(crate) content_type: Option<&'static str>,
    pub(crate) body: Bytes,
    pub(crate) headers: Vec<(&'static str, String)>,
}

impl Resp {
    /// 200 with a JSON body.
    pub(crate) fn ok<T: Serialize>(body: &T) -> Self {
        Self::json(StatusCode::OK, body)
    }

    /// A JSON body with a status; numbers the client sent come back exactly as sent.
    pub(crate) fn json<T: Serialize>(status: StatusCode, body: &T) -> Self {
        // Most answers are a few hundred bytes: one allocation in practice.
        let mut bytes = Vec::with_capacity(512);
        match serde_json::to_writer(&mut bytes, body) {
            Ok(()) => Self {
                status,
                content_type: Some("application/json"),
                body: Bytes::from(crate::lossless::restore(bytes)),
                headers: Vec::new(),
            },
            Err(_) => Self::error_id(StatusCode::INTERNAL_SERVER_ERROR),
        }
    }

    /// 204 with no body.
    pub(crate) fn no_content() -> Self {
        Self {
            status: StatusCode::NO_CONTENT,
            content_type: None,
            body: Bytes::new(),
            headers: Vec::new(),
        }
    }

    /// A plain-text answer.
    pub(crate) fn text(status: StatusCode, text: &'static str) -> Self {
        Self {
            status,
            content_type: Some("text/plain"),
            body: Bytes::from_static(text.as_bytes()),
            headers: Vec::new(),
        }
    }

    /// Adds a header.
    pub(crate) fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    /// The bare `{"errorId": ...}` body of validation and parsing failures.
    pub(crate) fn error_id(status: StatusCode) -> Self {
        Self::json(
            status,
            &json!({"errorId": random_uuid(&mut fastrand::Rng::new())}),
        )
    }

    /// A problem body (sent as `application/json`, with explicit nulls, as the server does).
    pub(crate) fn problem(
        status: StatusCode,
        title: &str,
        fragment: Option<&str>,
        detail: &str,
        data: Value,
    ) -> Self {
        let problem_type = match fragment {
            Some(fragment) if fragment.starts_with("error:") => fragment.to_owned(),
            Some(fragment) => format!("https://reference.airbyte.com/reference/errors#{fragment}"),
            None => "https://reference.airbyte.com/reference/errors".to_owned(),
        };
        Self::json(
            status,
            &json!({
                "status": status.as_u16(),
                "type": problem_type,
                "title": title,
                "detail": detail,
                "documentationUrl": null,
                "data": data,
            }),
        )
    }

    /// 404 `resource-not-found`.
    pub(crate) fn not_found(resource_type: &str, id: &str) -> Self {
        Self::problem(
            StatusCode::NOT_FOUND,
            "resource-not-found",
            Some("resource-not-found"),
            "The requested resource could not be found.",
            json!({"resourceType": resource_type, "resourceId": id}),
        )
    }

    /// 400 `bad-request`.
    pub(crate) fn bad_request(message: &str) -> Self {
        Self::problem(
            StatusCode::BAD_REQUEST,
            "bad-request",
            Some("bad-request"),
            "The request could not be understood by the server due to malformed syntax.",
            json!({"message": message}),
        )
    }

    /// 422 `unprocessable-entity`.
    pub(crate) fn unprocessable(message: Option<&str>) -> Self {
        Self::problem(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unprocessable-entity",
            Some("unprocessable-entity"),
            "The body of the request was not understood",
            message.map_or(Value::Null, |message| json!({"message": message})),
        )
    }

    /// 403 `forbidden`.
    pub(crate) fn forbidden(message: &str) -> Self {
        Self::problem(
            StatusCode::FORBIDDEN,
            "forbidden",
            Some("forbidden"),
            "The request is forbidden.",
            json!({"message": message}),
        )
    }

    /// 401 `invalid-api-key`.
    pub(crate) fn unauthorized() -> Self {
        Self::problem(
            StatusCode::UNAUTHORIZED,
            "invalid-api-key",
            Some("invalid-api-key"),
            "The API key in the Authorization header is invalid.",
            Value::Null,
        )
    }

    /// A Config API known exception (`{"message", "details", "errorId"}`).
    pub(crate) fn known_exception(status: StatusCode, message: &str) -> Self {
        Self::json(
            status,
            &json!({"message": message, "details": {}, "errorId": random_uuid(&mut fastrand::Rng::new())}),
        )
    }
}

/// A random UUID (version 4 layout).
pub(crate) fn random_uuid(rng: &mut fastrand::Rng) -> String {
    let mut bytes = [0u8; 16];
    for byte in &mut bytes {
        *byte = rng.u8(..);
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

impl IntoResponse for Resp {
    fn into_response(self) -> Response {
        let mut builder = Response::builder().status(self.status);
        if let Some(content_type) = self.content_type {
            builder = builder.header(http::header::CONTENT_TYPE, content_type);
        }
        for (name, value) in &self.headers {
            builder = builder.header(*name, value.as_str());
        }
        builder
            .body(axum::body::Body::from(self.body))
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_look_like_uuids() {
        let id = random_uuid(&mut fastrand::Rng::with_seed(1));
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
    }

    #[test]
    fn problems_spell_out_their_type_and_nulls() {
        let answer = Resp::not_found("SOURCE_CONNECTION", "x");
        let body: Value = serde_json::from_slice(&answer.body).unwrap();
        assert_eq!(answer.status, StatusCode::NOT_FOUND);
        assert_eq!(
            body["type"],
            "https://reference.airbyte.com/reference/errors#resource-not-found"
        );
        assert_eq!(body["documentationUrl"], Value::Null);
        assert_eq!(body["data"]["resourceId"], "x");
    }
}
