//! Requests as the handlers see them: which API and prefix, the decoded query, the body.

use airbyte_models::ops::Api;
use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use percent_encoding::percent_decode_str;
use serde_json::Value;

use crate::answer::Resp;

/// The prefixes the Public API is served under: the self-managed layout, then Cloud's.
pub(crate) const PUBLIC_PREFIXES: &[&str] = &["/api/public/v1", "/v1"];
/// The prefix of the Config API.
pub(crate) const CONFIG_PREFIX: &str = "/api/v1";

/// The prefixes an API is served under.
pub(crate) fn prefixes(api: Api) -> &'static [&'static str] {
    match api {
        Api::Public => PUBLIC_PREFIXES,
        _ => &[CONFIG_PREFIX],
    }
}

/// The API, prefix and the rest of a raw path (`/api/public/v1/sources/x` gives the Public
/// API, `/api/public/v1` and `/sources/x`); `None` outside the APIs.
pub(crate) fn split_api_path(path: &str) -> Option<(Api, &'static str, &str)> {
    let candidates = PUBLIC_PREFIXES
        .iter()
        .map(|prefix| (Api::Public, *prefix))
        .chain([(Api::Config, CONFIG_PREFIX)]);
    for (api, prefix) in candidates {
        if let Some(rest) = path.strip_prefix(prefix)
            && (rest.is_empty() || rest.starts_with('/'))
        {
            return Some((api, prefix, rest));
        }
    }
    None
}

/// The decoded segments of a path, so that two spellings of one route compare equal.
pub(crate) fn segments(rest: &str) -> Vec<String> {
    rest.split('/')
        .filter(|segment| !segment.is_empty())
        .map(|segment| percent_decode_str(segment).decode_utf8_lossy().into_owned())
        .collect()
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

/// The content type of headers, lower case, without parameters.
pub(crate) fn content_type(headers: &HeaderMap) -> String {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// A request, decoded for the handlers.
#[derive(Clone, Debug)]
pub(crate) struct ApiReq {
    /// Decoded query pairs, in order.
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

impl ApiReq {
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

    /// The content type, lower case, without parameters.
    pub(crate) fn content_type(&self) -> String {
        content_type(&self.headers)
    }

    /// The body as JSON, checking the content type; the error is the answer to send. Numbers
    /// are kept exactly as sent.
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
        if std::str::from_utf8(&self.body).is_err() {
            return Err(Resp::error_id(StatusCode::BAD_REQUEST));
        }
        let mut value = crate::lossless::parse(&self.body)
            .map_err(|_| Resp::error_id(StatusCode::UNPROCESSABLE_ENTITY))?;
        if let Value::Object(map) = &mut value {
            crate::ids::canonical_body(map);
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_split_into_their_api() {
        assert_eq!(
            split_api_path("/api/public/v1/sources/a%2Fb"),
            Some((Api::Public, "/api/public/v1", "/sources/a%2Fb"))
        );
        assert_eq!(segments("/sources/a%2Fb"), ["sources", "a/b"]);
        assert_eq!(split_api_path("/v1/jobs").map(|s| s.0), Some(Api::Public));
        assert_eq!(
            split_api_path("/api/v1/state/get").map(|s| s.0),
            Some(Api::Config)
        );
        assert!(split_api_path("/v10/jobs").is_none());
        assert!(split_api_path("/_mock/journal").is_none());
    }

    #[test]
    fn queries_decode() {
        let pairs = parse_query("orderBy=createdAt%7CDESC&workspaceIds=a&workspaceIds=b%2Cc&x=a+b");
        assert_eq!(pairs[0], ("orderBy".into(), "createdAt|DESC".into()));
        assert_eq!(pairs[3], ("x".into(), "a b".into()));
    }
}
