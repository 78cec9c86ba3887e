//! The only place where secrets leave their `SecretString`: building the `Authorization`
//! header (marked sensitive, so `Debug` hides it and HTTP/2 never indexes it) and the body of
//! the token request. `grep expose_secret` finds nothing else in this crate.

use base64::Engine as _;
use http::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

/// `Authorization: Bearer <token>`.
pub(crate) fn bearer_header(token: &SecretString) -> HeaderValue {
    sensitive(&format!("Bearer {}", token.expose_secret()))
}

/// `Authorization: Basic base64(user:password)`.
pub(crate) fn basic_header(username: &str, password: &SecretString) -> HeaderValue {
    let credentials = format!("{username}:{}", password.expose_secret());
    let encoded = base64::engine::general_purpose::STANDARD.encode(credentials);
    sensitive(&format!("Basic {encoded}"))
}

/// The body of `POST /applications/token`.
pub(crate) fn token_request(
    client_id: &str,
    client_secret: &SecretString,
) -> airbyte_models::AccessTokenRequest {
    airbyte_models::AccessTokenRequest::client_credentials(client_id, client_secret.expose_secret())
}

/// `text` with every occurrence of one of `secrets` replaced, so that a server echoing a
/// credential in an error message cannot make the client print it.
pub(crate) fn scrub(
    text: &str,
    secrets: &[&SecretString],
    header_secrets: &[&HeaderValue],
    other: &[String],
) -> String {
    let from_headers = header_secrets.iter().filter_map(|value| {
        let text = value.to_str().ok()?;
        text.split_once(' ').map(|(_scheme, credential)| credential)
    });
    let exposed = secrets.iter().map(|secret| secret.expose_secret());
    let all = exposed
        .chain(from_headers)
        .chain(other.iter().map(String::as_str));
    crate::body::scrub_values(text, all)
}

fn sensitive(text: &str) -> HeaderValue {
    // A header value cannot hold control characters; replacing them keeps a malformed secret
    // from panicking and makes the server refuse it, which surfaces as an auth error.
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '?'
            }
        })
        .collect();
    let mut value = HeaderValue::from_str(&cleaned)
        .unwrap_or_else(|_| HeaderValue::from_static("Bearer invalid"));
    value.set_sensitive(true);
    value
}
