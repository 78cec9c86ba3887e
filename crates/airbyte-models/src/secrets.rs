//! Recognising secrets in free-form JSON and query strings: one list of secret-looking keys and
//! one rule for strings that carry a secret inside (a URL's password, a `password=` parameter
//! of a connection string), shared by everything that hides secrets (the
//! models' `Debug`, the transport's error messages, the mock server's answers, journal and
//! recordings).

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

/// The text that replaces a secret value in redacted output.
pub const REDACTED: &str = "<redacted>";

/// The value the Airbyte server puts in place of a stored secret in responses.
pub const SERVER_SECRET_MASK: &str = "**********";

/// Fragments that mark a key as holding a secret, compared after lower-casing the key and
/// dropping everything but letters and digits (`API-Key`, `api_key` and `apiKey` are one).
const SECRET_KEY_FRAGMENTS: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "pwd",
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
    "bearer",
    "cookie",
    "connectionstring",
    "connstring",
    "connstr",
    "dsn",
    "jaas",
    "jwt",
    "serviceaccount",
];

/// Endings that mark a key as a secret on their own (`key`, `ssh_key`, `auth`, `basic_auth`,
/// `pass`).
const SECRET_KEY_SUFFIXES: &[&str] = &["key", "auth", "pass"];

/// Keys that are secrets although they match nothing above.
const SECRET_KEYS: &[&str] = &["pat", "pin"];

/// Query parameters that are secrets although the same key in JSON need not be: the
/// authorization code and the state of an OAuth 2.0 callback (RFC 6749, section 4.1.2). No
/// other query parameter of the Airbyte APIs has these names.
const SECRET_QUERY_KEYS: &[&str] = &["code", "state"];

/// Keys ending in `key` that name data layout rather than a secret.
const NON_SECRET_KEYS: &[&str] = &[
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
    "bypass",
];

/// Endings of keys that choose between alternatives (`auth_type`, `tunnel_method`,
/// `option_title`): never secrets, even inside a secret object, where they tell which kind of
/// credential it holds.
const DISCRIMINATOR_SUFFIXES: &[&str] = &["type", "method", "mode", "title", "kind"];

/// A key lower-cased without separators, on the stack for the usual short keys (every value
/// of every configuration answered passes here).
struct Normalized {
    buffer: [u8; 64],
    len: usize,
    long: Option<String>,
}

impl Normalized {
    fn as_str(&self) -> &str {
        match &self.long {
            Some(long) => long,
            // Only ASCII alphanumerics are copied in.
            None => std::str::from_utf8(&self.buffer[..self.len]).unwrap_or_default(),
        }
    }
}

fn normalize(key: &str) -> Normalized {
    let mut normalized = Normalized {
        buffer: [0; 64],
        len: 0,
        long: None,
    };
    for byte in key.bytes().filter(u8::is_ascii_alphanumeric) {
        if normalized.len == normalized.buffer.len() {
            normalized.long = Some(
                key.chars()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|c| c.to_ascii_lowercase())
                    .collect(),
            );
            break;
        }
        normalized.buffer[normalized.len] = byte.to_ascii_lowercase();
        normalized.len += 1;
    }
    normalized
}

fn is_discriminator(normalized: &str) -> bool {
    DISCRIMINATOR_SUFFIXES
        .iter()
        .any(|suffix| normalized.ends_with(suffix))
}

/// Whether a key looks like it holds a secret.
///
/// The rule is deliberately broad: hiding a harmless value in a log is cheap, leaking a secret
/// is not. A key is secret when, lower-cased and without separators, it contains one of the
/// fragments `password`, `pwd`, `secret`, `token`, `credential`, `dsn`, `jaas` (as in
/// `sasl_jaas_config`), `bearer`, `connectionstring`, ... or ends in `key`, `auth` or `pass`,
/// except for keys that name data layout (`primary_key`, `partition_key`, ...) and keys that
/// choose between alternatives (`auth_type`, `tunnel_method`, `option_title`).
#[must_use]
pub fn is_secret_key(key: &str) -> bool {
    let normalized = normalize(key);
    let normalized = normalized.as_str();
    if normalized.is_empty()
        || NON_SECRET_KEYS.contains(&normalized)
        || is_discriminator(normalized)
    {
        return false;
    }
    SECRET_KEYS.contains(&normalized)
        || SECRET_KEY_SUFFIXES
            .iter()
            .any(|suffix| normalized.ends_with(suffix))
        || SECRET_KEY_FRAGMENTS
            .iter()
            .any(|fragment| normalized.contains(fragment))
}

/// The byte range of the password in a URL with user info (`scheme://user:password@host`),
/// when there is a non-empty one.
fn url_password_range(text: &str) -> Option<std::ops::Range<usize>> {
    let authority_start = text.find("://")? + 3;
    let rest = &text[authority_start..];
    let authority_len = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_len];
    let at = authority.rfind('@')?;
    let colon = authority[..at].find(':')?;
    (colon + 1 < at).then(|| authority_start + colon + 1..authority_start + at)
}

/// Whether a byte may be part of a connection parameter's name (`password`, `ssl.key`,
/// `api-token`).
fn is_parameter_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-' | b'.')
}

/// The byte ranges of the values of secret-looking parameters ([`is_secret_key`]) in a
/// connection-parameter string: JDBC URL parameters (`password=p&ssl=true`, after a `?` in a
/// URL, or `;`-separated as SQL Server writes them) and keyword/value strings
/// (`host=db password=p`). A parameter starts the text or follows `&`, `;`, `?` or a space;
/// its value runs to the next `&` or `;` (to the next space in a text with neither), or is
/// quoted (`password='p w'`). A value of nothing but `=` (base64 padding) is no value.
fn parameter_secret_ranges(text: &str, out: &mut Vec<std::ops::Range<usize>>) {
    let bytes = text.as_bytes();
    let spaces_separate = !text.contains(['&', ';']);
    let mut from = 0;
    while let Some(offset) = text[from..].find('=') {
        let equals = from + offset;
        from = equals + 1;
        let name_start = bytes[..equals]
            .iter()
            .rposition(|byte| !is_parameter_name_byte(*byte))
            .map_or(0, |at| at + 1);
        let starts_parameter = name_start == 0
            || matches!(bytes[name_start - 1], b'&' | b';' | b'?')
            || bytes[name_start - 1].is_ascii_whitespace();
        if name_start == equals || !starts_parameter || !is_secret_key(&text[name_start..equals]) {
            continue;
        }
        let value_start = equals + 1;
        let quote = bytes
            .get(value_start)
            .copied()
            .filter(|b| matches!(b, b'\'' | b'"'));
        let range = match quote {
            Some(quote) => {
                let inner = value_start + 1;
                let end = bytes[inner..]
                    .iter()
                    .position(|byte| *byte == quote)
                    .map_or(bytes.len(), |at| inner + at);
                inner..end
            }
            None => {
                let end = bytes[value_start..]
                    .iter()
                    .position(|byte| {
                        matches!(byte, b'&' | b';')
                            || (spaces_separate && byte.is_ascii_whitespace())
                    })
                    .map_or(bytes.len(), |at| value_start + at);
                value_start..end
            }
        };
        from = range.end.max(from);
        if !text[range.clone()].bytes().all(|byte| byte == b'=') {
            out.push(range);
        }
    }
}

/// The byte ranges of the secrets inside one string, in order and apart: a URL's password
/// and the values of secret parameters of a connection-parameter string.
fn text_secret_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    if let Some(range) = url_password_range(text) {
        ranges.push(range);
    }
    if text.contains('=') {
        parameter_secret_ranges(text, &mut ranges);
    }
    ranges.sort_by_key(|range| range.start);
    // Overlapping ranges (a parameter inside a URL's user info) become one.
    let mut merged: Vec<std::ops::Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// `text` with every secret inside it replaced by `replacement`: the password of a URL with
/// user info (as [`mask_url_password`]) and the values of secret-looking parameters of a
/// connection-parameter string (`password=`, `pwd=`, `secret=`, `token=`, ... in JDBC URL
/// parameters or keyword/value strings); `None` when the text holds no such secret. The rule
/// every redaction of free-form strings uses (logs, errors, journals, exports).
///
/// ```
/// use airbyte_models::mask_text_secrets;
///
/// assert_eq!(
///     mask_text_secrets("password=hunter2&ssl=true", "***").as_deref(),
///     Some("password=***&ssl=true")
/// );
/// assert_eq!(
///     mask_text_secrets("jdbc:postgresql://db/shop?user=app&pwd=hunter2", "***").as_deref(),
///     Some("jdbc:postgresql://db/shop?user=app&pwd=***")
/// );
/// assert_eq!(
///     mask_text_secrets("host=db password='p w' dbname=shop", "***").as_deref(),
///     Some("host=db password='***' dbname=shop")
/// );
/// assert_eq!(mask_text_secrets("ssl=true&connectTimeout=10", "***"), None);
/// ```
#[must_use]
pub fn mask_text_secrets(text: &str, replacement: &str) -> Option<String> {
    let ranges = text_secret_ranges(text);
    if ranges.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for range in ranges {
        out.push_str(&text[copied..range.start]);
        out.push_str(replacement);
        copied = range.end;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

/// `text` with the password of a URL with user info replaced by `replacement`
/// (`postgres://app:hunter2@db/x` becomes `postgres://app:**********@db/x`); `None` when the
/// text holds no such password.
///
/// ```
/// use airbyte_models::mask_url_password;
///
/// assert_eq!(
///     mask_url_password("postgresql://app:hunter2@db:5432/shop", "***").as_deref(),
///     Some("postgresql://app:***@db:5432/shop")
/// );
/// assert_eq!(mask_url_password("https://api.example.com/v1", "***"), None);
/// ```
#[must_use]
pub fn mask_url_password(text: &str, replacement: &str) -> Option<String> {
    let range = url_password_range(text)?;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..range.start]);
    out.push_str(replacement);
    out.push_str(&text[range.end..]);
    Some(out)
}

/// A copy of `value` in which every value under a secret-looking key, at any depth, is replaced
/// by [`REDACTED`] (whole objects and arrays too), and every secret inside a string (a URL's
/// password, a `password=` connection parameter: see [`mask_text_secrets`]) by [`REDACTED`].
/// For logs, errors and journals, where structure matters less than certainty.
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
        Value::String(text) => {
            mask_text_secrets(text, REDACTED).map_or_else(|| value.clone(), Value::String)
        }
        other => other.clone(),
    }
}

/// A copy of `value` with secrets replaced by `mask` the way the Airbyte server answers stored
/// configurations: the structure and the non-secret values stay, every string or number under
/// a secret-looking key is masked, also inside objects and arrays under such a key (except the
/// keys that tell which kind of credential an object holds, such as `auth_type`), and secrets
/// inside strings (URL passwords, `password=` connection parameters: see
/// [`mask_text_secrets`]) are masked wherever they appear. Booleans and nulls are kept.
///
/// ```
/// use airbyte_models::{SERVER_SECRET_MASK, mask_secrets};
/// use serde_json::json;
///
/// let stored = json!({
///     "host": "db", "password": "p",
///     "credentials": {"auth_type": "oauth", "client_id": "c", "refresh_token": "r"},
///     "url": "postgres://u:p@db/x",
/// });
/// let m = SERVER_SECRET_MASK;
/// assert_eq!(mask_secrets(&stored, m), json!({
///     "host": "db", "password": m,
///     "credentials": {"auth_type": "oauth", "client_id": m, "refresh_token": m},
///     "url": format!("postgres://u:{m}@db/x"),
/// }));
/// ```
#[must_use]
pub fn mask_secrets(value: &Value, mask: &str) -> Value {
    serde_json::to_value(Masked::new(value, mask)).unwrap_or(Value::Null)
}

/// `value` with its secrets masked as [`mask_secrets`] does, written while it is serialized:
/// nothing is copied, so a server can answer a large configuration without building a masked
/// copy of it first.
///
/// ```
/// use airbyte_models::Masked;
/// use serde_json::json;
///
/// let stored = json!({"host": "db", "password": "p"});
/// let text = serde_json::to_string(&Masked::new(&stored, "***")).unwrap();
/// assert_eq!(text, r#"{"host":"db","password":"***"}"#);
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Masked<'a> {
    value: &'a Value,
    mask: &'a str,
    /// Inside a secret: every string and number is masked, except discriminators.
    secret: bool,
}

impl<'a> Masked<'a> {
    /// Masks `value`'s secrets with `mask`.
    #[must_use]
    pub fn new(value: &'a Value, mask: &'a str) -> Self {
        Self {
            value,
            mask,
            secret: false,
        }
    }

    fn inner(self, value: &'a Value, secret: bool) -> Self {
        Self {
            value,
            mask: self.mask,
            secret,
        }
    }
}

impl Serialize for Masked<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (key, inner) in map {
                    let secret = if self.secret {
                        !is_discriminator(normalize(key).as_str())
                    } else {
                        is_secret_key(key)
                    };
                    out.serialize_entry(key, &self.inner(inner, secret))?;
                }
                out.end()
            }
            Value::Array(items) => {
                let mut out = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    out.serialize_element(&self.inner(item, self.secret))?;
                }
                out.end()
            }
            Value::String(_) | Value::Number(_) if self.secret => {
                serializer.serialize_str(self.mask)
            }
            Value::String(text) => match mask_text_secrets(text, self.mask) {
                Some(masked) => serializer.serialize_str(&masked),
                None => serializer.serialize_str(text),
            },
            other => other.serialize(serializer),
        }
    }
}

/// The values under secret-looking keys in `value`, at any depth (strings, and the text of
/// numbers), and the secrets inside strings anywhere ([`mask_text_secrets`]), so that a client can scrub them from a server
/// message that echoes its input.
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
            Value::String(text) => {
                out.extend(
                    text_secret_ranges(text)
                        .into_iter()
                        .map(|range| text[range].to_owned())
                        .filter(|secret| !secret.is_empty()),
                );
            }
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

/// Whether a query parameter holds a secret: a secret-looking key ([`is_secret_key`]), or the
/// `code` and `state` of an OAuth callback.
///
/// ```
/// use airbyte_models::is_secret_query_key;
///
/// assert!(is_secret_query_key("code") && is_secret_query_key("state"));
/// assert!(is_secret_query_key("client_secret"));
/// assert!(!is_secret_query_key("workspaceIds"));
/// ```
#[must_use]
pub fn is_secret_query_key(key: &str) -> bool {
    is_secret_key(key) || SECRET_QUERY_KEYS.contains(&normalize(key).as_str())
}

/// A query string (without `?`) with the values of secret parameters
/// ([`is_secret_query_key`]), and the secrets inside any value ([`mask_text_secrets`]: URL
/// passwords, `password=` connection parameters), replaced by `replacement`; everything else is kept byte for byte.
///
/// ```
/// use airbyte_models::redact_query;
///
/// assert_eq!(
///     redact_query("limit=5&client_secret=s3cr3t&password=p", "x"),
///     "limit=5&client_secret=x&password=x"
/// );
/// ```
#[must_use]
pub fn redact_query(query: &str, replacement: &str) -> String {
    let encoded_replacement = crate::ops::encode_component(replacement);
    query
        .split('&')
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |text: &str| {
                percent_encoding::percent_decode_str(&text.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            if is_secret_query_key(&decode(key)) && !value.is_empty() {
                format!("{key}={encoded_replacement}")
            } else if let Some(masked) = mask_text_secrets(&decode(value), replacement) {
                format!("{key}={}", crate::ops::encode_component(&masked))
            } else {
                pair.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
            "privateKey",
            "service_account_info",
            "credentials",
            "tunnel_user_password",
            "key",
            "storage_account_key",
            "dsn",
            "sentry_dsn",
            "connection_string",
            "connectionString",
            "sasl_jaas_config",
            "pwd",
            "db_pwd",
            "auth",
            "basic_auth",
            "bearer",
            "bearer_token",
            "pass",
            "pat",
            "a_very_long_configuration_key_that_names_the_service_account_password_of_the_warehouse",
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
            "auth_type",
            "authentication_method",
            "tunnel_method",
            "option_title",
            "token_type",
            "author",
            "bypass",
            "",
        ] {
            assert!(!is_secret_key(key), "{key} should not be secret");
        }
    }

    #[test]
    fn url_passwords_are_found_and_nothing_else() {
        for (text, expected) in [
            ("postgres://u:p@h/db", Some("postgres://u:*@h/db")),
            (
                "jdbc:mysql://root:pw@h:3306/x?ssl=1",
                Some("jdbc:mysql://root:*@h:3306/x?ssl=1"),
            ),
            (
                "mongodb+srv://a:b:c@cluster",
                Some("mongodb+srv://a:*@cluster"),
            ),
            ("https://u@h/x", None),
            ("https://u:@h/x", None),
            ("https://h/x?redirect=a:b@c", None),
            ("not a url", None),
            ("", None),
        ] {
            assert_eq!(mask_url_password(text, "*").as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn secret_connection_parameters_are_masked_and_nothing_else() {
        for (text, expected) in [
            ("password=secret&ssl=true", Some("password=*&ssl=true")),
            ("ssl=true&password=secret", Some("ssl=true&password=*")),
            ("PWD=secret;encrypt=true", Some("PWD=*;encrypt=true")),
            (
                "user=u&secret=s1&token=t1&sslmode=require",
                Some("user=u&secret=*&token=*&sslmode=require"),
            ),
            (
                "jdbc:postgresql://db:5432/shop?user=app&password=secret&ssl=true",
                Some("jdbc:postgresql://db:5432/shop?user=app&password=*&ssl=true"),
            ),
            (
                "jdbc:sqlserver://db:1433;databaseName=shop;password=se cret;encrypt=true",
                Some("jdbc:sqlserver://db:1433;databaseName=shop;password=*;encrypt=true"),
            ),
            (
                "postgres://app:pw@db/shop?sslpassword=kp",
                Some("postgres://app:*@db/shop?sslpassword=*"),
            ),
            (
                "host=db password=secret dbname=shop",
                Some("host=db password=* dbname=shop"),
            ),
            (
                "host=db password='se cret' dbname=shop",
                Some("host=db password='*' dbname=shop"),
            ),
            (
                "https://h/cb?client_secret=s",
                Some("https://h/cb?client_secret=*"),
            ),
            // Names that are not secrets, empty values, base64 padding, prose.
            ("ssl=true&connectTimeout=10&sslmode=require", None),
            ("password=&ssl=true", None),
            ("c2VjcmV0cGFzcw==", None),
            ("the password=x is wrong", Some("the password=* is wrong")),
            ("mypassword:x", None),
            ("notapassword=x", Some("notapassword=*")),
            ("a+password=x", None),
            ("", None),
        ] {
            assert_eq!(mask_text_secrets(text, "*").as_deref(), expected, "{text}");
        }
    }

    #[test]
    fn every_redaction_masks_secret_connection_parameters() {
        let value = json!({
            "host": "db",
            "jdbc_url_params": "password=K1&ssl=true",
            "jdbc_url": "jdbc:mysql://db/shop?user=u&pwd=K2",
            "nested": [{"options": "token=K3;secret=K4"}],
        });
        let redacted = redact_json(&value).to_string();
        let masked = mask_secrets(&value, "*").to_string();
        let shown = serde_json::to_string(&Masked::new(&value, "*")).unwrap();
        for text in [&redacted, &masked, &shown] {
            for sentinel in ["K1", "K2", "K3", "K4"] {
                assert!(!text.contains(sentinel), "{sentinel} leaked in {text}");
            }
            assert!(text.contains("ssl=true"), "{text}");
        }
        assert_eq!(secret_values(&value), ["K1", "K2", "K3", "K4"]);
        assert_eq!(
            redact_query("jdbc_url_params=password%3DK1%26ssl%3Dtrue&limit=5", "*"),
            "jdbc_url_params=password%3D%2A%26ssl%3Dtrue&limit=5"
        );
    }

    #[test]
    fn secret_values_are_collected_at_every_depth() {
        let value = json!({
            "host": "h",
            "password": "p1",
            "credentials": {"client_id": "c", "nested": ["p2", {"x": 42}]},
            "list": [{"api_token": "p3"}],
            "empty_secret": "",
            "url": "redis://u:p4@h",
        });
        assert_eq!(secret_values(&value), ["42", "c", "p1", "p2", "p3", "p4"]);
    }

    #[test]
    fn redaction_reaches_every_depth_and_keeps_structure() {
        let value = json!({
            "host": "h",
            "tunnel": {"method": "SSH", "ssh_key": "K1"},
            "list": [{"api_token": "K2"}, {"name": "n"}],
            "credentials": {"auth_type": "oauth", "x": "K3"},
            "nothing": null,
            "dsn": "K4",
            "uri": "postgres://u:K5@h",
        });
        let redacted = redact_json(&value);
        let text = redacted.to_string();
        for sentinel in ["K1", "K2", "K3", "K4", "K5"] {
            assert!(!text.contains(sentinel), "{sentinel} leaked in {text}");
        }
        assert_eq!(redacted["host"], "h");
        assert_eq!(redacted["list"][1]["name"], "n");
        assert_eq!(redacted["nothing"], Value::Null);
    }

    #[test]
    fn masking_keeps_structure_discriminators_and_flags() {
        let masked = mask_secrets(
            &json!({
                "private_key": {"pem": "K1", "format": "pkcs8"},
                "auth": [{"user": "K2"}],
                "use_password": true,
                "pin": 1234,
                "credentials": {"option_title": "PAT Credentials", "personal_access_token": "K3"},
            }),
            "*",
        );
        assert_eq!(
            masked,
            json!({
                "private_key": {"pem": "*", "format": "*"},
                "auth": [{"user": "*"}],
                "use_password": true,
                "pin": "*",
                "credentials": {"option_title": "PAT Credentials", "personal_access_token": "*"},
            })
        );
    }

    #[test]
    fn queries_keep_their_bytes_except_secrets() {
        assert_eq!(
            redact_query(
                "a=1&api%5Fkey=k&dsn=x&u=postgres%3A%2F%2Fu%3Ap%40h&flag",
                "*"
            ),
            "a=1&api%5Fkey=%2A&dsn=%2A&u=postgres%3A%2F%2Fu%3A%2A%40h&flag"
        );
        assert_eq!(redact_query("", "*"), "");
    }
}
