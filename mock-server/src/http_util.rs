//! Requests and responses as the handlers see them, and the API's error bodies.

use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use percent_encoding::percent_decode_str;
use serde::Serialize;
use serde_json::{Value, json};

/// Which API a request addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ApiKind {
    /// The Public API (`/v1/...` or `/api/public/v1/...`).
    Public,
    /// The Config API (`/api/v1/...`).
    Config,
    /// Mock control (`/_mock/...`).
    Control,
}

/// A request, decoded for the handlers.
#[derive(Clone, Debug)]
pub(crate) struct Req {
    pub(crate) method: http::Method,
    pub(crate) api: ApiKind,
    /// The prefix the request used (`/v1`, `/api/public/v1`, `/api/v1`, `/_mock`), for links.
    pub(crate) prefix: &'static str,
    /// Decoded path segments after the prefix.
    pub(crate) segments: Vec<String>,
    /// The raw path.
    pub(crate) raw_path: String,
    /// The raw query string.
    pub(crate) raw_query: String,
    /// Decoded query pairs, in order.
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl Req {
    /// Splits a raw path into API, prefix and decoded segments; `None` for unknown prefixes.
    pub(crate) fn route(raw_path: &str) -> Option<(ApiKind, &'static str, Vec<String>)> {
        let (api, prefix, rest) = if let Some(rest) = raw_path.strip_prefix("/api/public/v1") {
            (ApiKind::Public, "/api/public/v1", rest)
        } else if let Some(rest) = raw_path.strip_prefix("/v1") {
            (ApiKind::Public, "/v1", rest)
        } else if let Some(rest) = raw_path.strip_prefix("/api/v1") {
            (ApiKind::Config, "/api/v1", rest)
        } else if let Some(rest) = raw_path.strip_prefix("/_mock") {
            (ApiKind::Control, "/_mock", rest)
        } else {
            return None;
        };
        if !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        let segments = rest
            .split('/')
            .filter(|segment| !segment.is_empty())
            .map(|segment| percent_decode_str(segment).decode_utf8_lossy().into_owned())
            .collect();
        Some((api, prefix, segments))
    }

    /// The segments as string slices, for matching.
    pub(crate) fn path(&self) -> Vec<&str> {
        self.segments.iter().map(String::as_str).collect()
    }

    /// All values of a query parameter; comma-separated values are split (the API accepts
    /// both `a&a` and `a,b`).
    pub(crate) fn query_all(&self, key: &str) -> Vec<String> {
        self.query
            .iter()
            .filter(|(name, _)| name == key)
            .flat_map(|(_, value)| value.split(',').map(str::to_owned).collect::<Vec<_>>())
            .filter(|value| !value.is_empty())
            .collect()
    }

    /// The first value of a query parameter.
    pub(crate) fn query_one(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_str())
    }

    /// The `Host` header, for absolute links.
    pub(crate) fn host(&self) -> String {
        self.headers
            .get(http::header::HOST)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("localhost")
            .to_owned()
    }

    /// The content type, lower case, without parameters.
    pub(crate) fn content_type(&self) -> String {
        self.headers
            .get(http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    }

    /// The body as JSON, checking the content type; the error is the answer to send.
    pub(crate) fn json(&self) -> Result<Value, Resp> {
        let content_type = self.content_type();
        if !content_type.is_empty()
            && content_type != "application/json"
            && !content_type.ends_with("+json")
        {
            return Err(Resp::error_id(StatusCode::UNSUPPORTED_MEDIA_TYPE));
        }
        if self.body.is_empty() {
            return Err(Resp::error_id(StatusCode::BAD_REQUEST));
        }
        let text =
            std::str::from_utf8(&self.body).map_err(|_| Resp::error_id(StatusCode::BAD_REQUEST))?;
        serde_json::from_str(text).map_err(|_| Resp::error_id(StatusCode::UNPROCESSABLE_ENTITY))
    }
}

/// Parses a query string into decoded pairs (`+` is a space).
pub(crate) fn parse_query(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |text: &str| {
                percent_decode_str(&text.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(key), decode(value))
        })
        .collect()
}

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

    /// A JSON body with a status.
    pub(crate) fn json<T: Serialize>(status: StatusCode, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => Self {
                status,
                content_type: Some("application/json"),
                body: Bytes::from(bytes),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_route_to_their_api() {
        let (api, prefix, segments) = Req::route("/api/public/v1/sources/a%2Fb").unwrap();
        assert_eq!((api, prefix), (ApiKind::Public, "/api/public/v1"));
        assert_eq!(segments, ["sources", "a/b"]);
        assert_eq!(Req::route("/v1/jobs").unwrap().0, ApiKind::Public);
        assert_eq!(Req::route("/api/v1/state/get").unwrap().0, ApiKind::Config);
        assert_eq!(Req::route("/_mock/journal").unwrap().0, ApiKind::Control);
        assert!(Req::route("/v10/jobs").is_none());
        assert!(Req::route("/elsewhere").is_none());
    }

    #[test]
    fn queries_decode() {
        let pairs = parse_query("orderBy=createdAt%7CDESC&workspaceIds=a&workspaceIds=b%2Cc&x=a+b");
        assert_eq!(pairs[0], ("orderBy".into(), "createdAt|DESC".into()));
        assert_eq!(pairs[3], ("x".into(), "a b".into()));
    }

    #[test]
    fn uuids_look_like_uuids() {
        let id = random_uuid(&mut fastrand::Rng::with_seed(1));
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
    }
}
