//! Reading answers: size limits, content types and redacted excerpts for errors and logs.

use http::HeaderMap;
use http::header::CONTENT_TYPE;

/// How much of a body an error or log line shows.
const EXCERPT_CHARS: usize = 512;

/// The content type of an answer, or `""`.
pub(crate) fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

/// Whether a content type announces JSON (`application/json`, `application/problem+json`).
pub(crate) fn is_json_content_type(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence
            .rsplit_once('+')
            .is_some_and(|(_, suffix)| suffix.eq_ignore_ascii_case("json"))
}

/// Whether the body is an HTML page rather than an API answer. (Every answer passes here, so
/// nothing is allocated.)
pub(crate) fn looks_like_html(content_type: &str, body: &[u8]) -> bool {
    // What nearly every answer says: JSON, whose parameters (`; charset=utf-8`) are not
    // searched for "html".
    const JSON: &[u8] = b"application/json";
    let announces_json = content_type
        .as_bytes()
        .get(..JSON.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(JSON));
    if !announces_json
        && content_type
            .as_bytes()
            .windows(4)
            .any(|window| window.eq_ignore_ascii_case(b"html"))
    {
        return true;
    }
    let start = body
        .iter()
        .position(|byte| !byte.is_ascii_whitespace())
        .unwrap_or(body.len());
    body[start..].starts_with(b"<")
}

/// The start of a body, safe to show: JSON is redacted (values of secret-looking keys
/// replaced), anything else is truncated, and control characters are escaped.
pub(crate) fn excerpt(body: &[u8]) -> String {
    if body.is_empty() {
        return String::new();
    }
    let text = match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(value) => airbyte_models::redact_json(&value).to_string(),
        Err(_) => String::from_utf8_lossy(&body[..body.len().min(EXCERPT_CHARS * 4)]).into_owned(),
    };
    let mut out: String = text
        .chars()
        .take(EXCERPT_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

/// `text` with each of `values` replaced by the redaction marker. Values shorter than four
/// characters are left alone: scrubbing them would garble ordinary words.
pub(crate) fn scrub_values<'a>(text: &str, values: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = text.to_owned();
    for value in values {
        if value.len() >= 4 && out.contains(value) {
            out = out.replace(value, airbyte_models::REDACTED);
        }
    }
    out
}

/// The hint given when an answer is not JSON.
pub(crate) fn wrong_root_hint(root: &str) -> String {
    format!(
        "the API root {root} may be wrong: it must point at the Airbyte API (Cloud: \
         https://api.airbyte.com/v1; self-managed: http(s)://<host>/api/public/v1)"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_excerpts_are_redacted() {
        let body =
            br#"{"message":"bad","configuration":{"password":"hunter2"},"access_token":"tok"}"#;
        let text = excerpt(body);
        assert!(text.contains("bad"));
        assert!(!text.contains("hunter2"));
        assert!(!text.contains("tok\""));
    }

    #[test]
    fn long_and_binary_bodies_are_cut_and_cleaned() {
        let long = vec![b'a'; 5000];
        assert_eq!(excerpt(&long).chars().count(), EXCERPT_CHARS + 1);
        let binary = [0u8, 159, 146, 150, b'\n', b'x'];
        assert!(!excerpt(&binary).contains('\n'));
    }

    #[test]
    fn html_is_recognized() {
        assert!(looks_like_html("text/html; charset=utf-8", b"whatever"));
        assert!(looks_like_html("", b"  \n<!doctype html>"));
        assert!(!looks_like_html("application/json", b"{}"));
        assert!(is_json_content_type("application/json; charset=utf-8"));
        assert!(is_json_content_type("application/problem+json"));
        assert!(is_json_content_type("Application/JSON; charset=UTF-8"));
        assert!(is_json_content_type("application/vnd.api+JSON"));
        assert!(!is_json_content_type("json"));
        assert!(looks_like_html("TEXT/HTML", b"{}"));
        assert!(looks_like_html("application/xhtml+xml", b"{}"));
        assert!(!looks_like_html("application/json; charset=utf-8", b" {}"));
        assert!(looks_like_html("Application/JSON", b"\n <html>"));
        assert!(!is_json_content_type("text/plain"));
    }
}
