//! Secrets: references in the files, their values, and salted fingerprints in the lock file.
//!
//! A secret is never written in the files. Where a configuration holds one, the files hold a
//! reference, the whole string:
//!
//! - `${env:PG_PASSWORD}`: the environment variable `PG_PASSWORD` (an empty one counts as
//!   unset);
//! - `${file:secrets/pg-password}`: the contents of a file, relative to the directory (one
//!   trailing newline dropped).
//!
//! A string that must start with `${` as it is is written with one more `$` (`$${literal}`).
//!
//! The lock file records, for each secret applied, a salted PBKDF2-HMAC-SHA256 fingerprint of
//! its value (never the value): a secret is a change only when the value now referenced no
//! longer matches the fingerprint. Each fingerprint has its own random salt, so equal secrets
//! do not show as equal, and the key stretching makes guessing a value from a committed lock
//! file slow.

use std::collections::BTreeMap;
use std::fmt;
use std::num::NonZeroU32;
use std::path::{Path, PathBuf};

use airbyte_models::SERVER_SECRET_MASK;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

/// Where a secret's value comes from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SecretRef {
    /// An environment variable.
    Env(String),
    /// A file (relative to the directory, or absolute).
    File(PathBuf),
}

impl fmt::Display for SecretRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Env(name) => write!(f, "${{env:{name}}}"),
            Self::File(path) => write!(f, "${{file:{}}}", path.display()),
        }
    }
}

/// Whether a string is a reference: `Some(Ok(..))` for a reference, `Some(Err(..))` for one
/// that is malformed (`${env:}`, `${vault:x}`), `None` for a plain value.
#[must_use]
pub fn parse_reference(text: &str) -> Option<Result<SecretRef, String>> {
    let inner = text.strip_prefix("${")?.strip_suffix('}');
    let Some(inner) = inner else {
        return Some(Err(format!(
            "{text:?} starts like a secret reference but does not end with `}}` (write `$${{` for a string that starts with `${{`)"
        )));
    };
    let parsed = match inner.split_once(':') {
        Some(("env", name)) if is_env_name(name) => Ok(SecretRef::Env(name.to_owned())),
        Some(("env", name)) => Err(format!(
            "{name:?} is not an environment variable name (letters, digits and `_`, not starting with a digit)"
        )),
        Some(("file", path)) if !path.trim().is_empty() => Ok(SecretRef::File(PathBuf::from(path))),
        Some(("file", _)) => Err("a file reference needs a path: `${file:PATH}`".to_owned()),
        _ => Err(format!(
            "{text:?} is not a secret reference: use `${{env:VAR}}` or `${{file:PATH}}` (or `$${{` for a string that starts with `${{`)"
        )),
    };
    Some(parsed)
}

fn is_env_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// How many `$` a string starts with when they are followed by `{`.
fn leading_dollars(text: &str) -> usize {
    let dollars = text.chars().take_while(|c| *c == '$').count();
    if text[dollars..].starts_with('{') {
        dollars
    } else {
        0
    }
}

/// A plain string as written in the files: one more `$` before a leading `${`.
#[must_use]
pub fn escape(text: &str) -> String {
    if leading_dollars(text) >= 1 {
        format!("${text}")
    } else {
        text.to_owned()
    }
}

/// A plain string as written in the files, read back (see [`escape`]).
#[must_use]
pub fn unescape(text: &str) -> String {
    if leading_dollars(text) >= 2 {
        text[1..].to_owned()
    } else {
        text.to_owned()
    }
}

/// Where environment variables are read from: the process's, or a map (for tests and
/// programs that hold secrets elsewhere).
pub trait Environment: Send + Sync {
    /// The value of a variable; `None` when unset.
    fn var(&self, name: &str) -> Option<String>;
}

/// The process's environment.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcessEnvironment;

impl Environment for ProcessEnvironment {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok()
    }
}

impl Environment for BTreeMap<String, String> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

impl Environment for std::collections::HashMap<String, String> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).cloned()
    }
}

/// Every reference of a configuration, by JSON pointer, in pointer order; malformed ones as
/// errors.
pub(crate) fn references(value: &Value) -> BTreeMap<String, Result<SecretRef, String>> {
    let mut found = BTreeMap::new();
    walk(value, String::new(), &mut found);
    found
}

fn walk(value: &Value, pointer: String, found: &mut BTreeMap<String, Result<SecretRef, String>>) {
    match value {
        Value::String(text) => {
            if let Some(reference) = parse_reference(text) {
                found.insert(pointer, reference);
            }
        }
        Value::Object(map) => {
            for (key, inner) in map {
                walk(inner, format!("{pointer}/{}", escape_pointer(key)), found);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                walk(inner, format!("{pointer}/{index}"), found);
            }
        }
        _ => {}
    }
}

/// A JSON pointer token for a key.
pub(crate) fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Whether a string a server answered is a masked secret: the mask, or a string whose every
/// inner secret is the mask (a URL's password, a `password=` connection parameter: servers
/// that mask inside connection strings).
pub(crate) fn is_masked(text: &str) -> bool {
    text == SERVER_SECRET_MASK
        || airbyte_models::mask_text_secrets(text, SERVER_SECRET_MASK).as_deref() == Some(text)
}

/// Why a plain string of a configuration is a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Literal {
    /// A value under a key that holds secrets (`password`, `api_key`, ...).
    SecretKey,
    /// A URL with a password (`postgres://app:PASSWORD@db/shop`).
    UrlPassword,
    /// Connection parameters with a secret (`password=PASSWORD&ssl=true`).
    Parameter,
}

/// The pointers of the secrets a configuration holds as they are (not as references): every
/// non-empty string under a secret-looking key, and every string with a secret inside (a URL
/// with a password, connection parameters with a `password=`). Such values
/// must never be written in files.
pub(crate) fn literal_secrets(value: &Value) -> Vec<(String, Literal)> {
    fn walk(value: &Value, pointer: String, secret_key: bool, out: &mut Vec<(String, Literal)>) {
        match value {
            Value::String(text) if text.is_empty() || parse_reference(text).is_some() => {}
            Value::String(_) if secret_key => out.push((pointer, Literal::SecretKey)),
            Value::String(text) if airbyte_models::mask_url_password(text, "").is_some() => {
                out.push((pointer, Literal::UrlPassword));
            }
            Value::String(text) if airbyte_models::mask_text_secrets(text, "").is_some() => {
                out.push((pointer, Literal::Parameter));
            }
            Value::Object(map) => {
                for (key, inner) in map {
                    let pointer = format!("{pointer}/{}", escape_pointer(key));
                    walk(inner, pointer, airbyte_models::is_secret_key(key), out);
                }
            }
            Value::Array(items) => {
                for (index, inner) in items.iter().enumerate() {
                    walk(inner, format!("{pointer}/{index}"), secret_key, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), false, &mut out);
    out
}

/// A configuration with its secrets read: what is sent, and each secret by JSON pointer.
pub struct Resolved {
    /// The configuration with every reference replaced by its value and escaped strings
    /// unescaped. Never printed: it holds secrets.
    configuration: Value,
    /// The secrets, by JSON pointer.
    pub secrets: BTreeMap<String, SecretString>,
}

impl fmt::Debug for Resolved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolved")
            .field("secrets", &self.secrets.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Resolved {
    /// The configuration to send, with every secret in it.
    #[must_use]
    pub fn expose_configuration(&self) -> &Value {
        &self.configuration
    }

    /// The configuration to send to an existing resource: secrets whose value the server
    /// already holds (`unchanged` says which) are sent as the server's mask, which keeps the
    /// stored value, so that only changed secrets travel.
    #[must_use]
    pub fn configuration_keeping(&self, unchanged: &dyn Fn(&str) -> bool) -> Value {
        let mut value = self.configuration.clone();
        for pointer in self.secrets.keys() {
            if unchanged(pointer)
                && let Some(slot) = value.pointer_mut(pointer)
            {
                *slot = Value::String(airbyte_models::SERVER_SECRET_MASK.to_owned());
            }
        }
        value
    }
}

/// The largest secret file read (a certificate chain or a service account key is a few
/// kilobytes; a device such as `/dev/zero` is refused, as anything but a regular file is).
const MAX_SECRET_FILE_BYTES: u64 = 1024 * 1024;

/// Reads every secret of a configuration. Problems are returned by JSON pointer, all of them.
pub(crate) fn resolve(
    configuration: &Value,
    directory: &Path,
    environment: &dyn Environment,
) -> Result<Resolved, Vec<(String, String)>> {
    let mut problems = Vec::new();
    let mut secrets = BTreeMap::new();
    let mut resolved = unescape_all(configuration);
    for (pointer, reference) in references(configuration) {
        let value = match reference {
            Err(message) => Err(message),
            Ok(SecretRef::Env(name)) => match environment.var(&name) {
                Some(value) if !value.is_empty() => Ok(value),
                _ => Err(format!(
                    "the environment variable {name} is not set (it holds this secret; see the template of variables)"
                )),
            },
            Ok(SecretRef::File(path)) => {
                let full = if path.is_absolute() {
                    path.clone()
                } else {
                    directory.join(&path)
                };
                match crate::read::bounded_text(&full, MAX_SECRET_FILE_BYTES) {
                    Ok(text) => {
                        let text = text
                            .strip_suffix("\r\n")
                            .or_else(|| text.strip_suffix('\n'))
                            .unwrap_or(&text)
                            .to_owned();
                        if text.is_empty() {
                            Err(format!("the secret file {} is empty", path.display()))
                        } else {
                            Ok(text)
                        }
                    }
                    Err(error) => Err(format!(
                        "cannot read the secret file {}: {error}",
                        path.display()
                    )),
                }
            }
        };
        match value {
            Ok(value) => {
                if let Some(slot) = resolved.pointer_mut(&pointer) {
                    *slot = Value::String(value.clone());
                }
                secrets.insert(pointer, SecretString::from(value));
            }
            Err(message) => problems.push((pointer, message)),
        }
    }
    if problems.is_empty() {
        Ok(Resolved {
            configuration: resolved,
            secrets,
        })
    } else {
        Err(problems)
    }
}

/// The configuration with escaped strings read back (references stay as they are).
pub(crate) fn unescape_all(value: &Value) -> Value {
    match value {
        Value::String(text) if parse_reference(text).is_none() => Value::String(unescape(text)),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, inner)| (key.clone(), unescape_all(inner)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(unescape_all).collect()),
        other => other.clone(),
    }
}

/// The configuration as written in files: plain strings escaped (see [`escape`]).
pub(crate) fn escape_all(value: &Value) -> Value {
    match value {
        Value::String(text) => Value::String(escape(text)),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(key, inner)| (key.clone(), escape_all(inner)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(escape_all).collect()),
        other => other.clone(),
    }
}

/// PBKDF2 rounds of a new fingerprint. Each fingerprint records its own, so this can grow.
pub const FINGERPRINT_ROUNDS: u32 = 10_000;
/// The most rounds a recorded fingerprint may ask for: the lock file is a committed file, and
/// a hostile one must not make every plan compute for hours.
const MAX_FINGERPRINT_ROUNDS: u32 = 100 * FINGERPRINT_ROUNDS;
const SALT_BYTES: usize = 16;
const HASH_BYTES: usize = 32;
const SCHEME: &str = "pbkdf2-sha256";

/// A salted fingerprint of a secret: `pbkdf2-sha256$ROUNDS$SALT$HASH` (base64).
///
/// # Panics
///
/// Never in practice: only if the system's random generator fails.
#[must_use]
pub fn fingerprint(secret: &SecretString) -> String {
    use ring::rand::SecureRandom as _;
    let mut salt = [0u8; SALT_BYTES];
    ring::rand::SystemRandom::new()
        .fill(&mut salt)
        .expect("the system's random generator works");
    fingerprint_with(secret, &salt, FINGERPRINT_ROUNDS)
}

fn fingerprint_with(secret: &SecretString, salt: &[u8], rounds: u32) -> String {
    let mut hash = [0u8; HASH_BYTES];
    let rounds_nz = NonZeroU32::new(rounds.max(1)).unwrap_or(NonZeroU32::MIN);
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        rounds_nz,
        salt,
        secret.expose_secret().as_bytes(),
        &mut hash,
    );
    format!(
        "{SCHEME}${rounds}${}${}",
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(hash)
    )
}

/// Whether a secret's value matches a recorded fingerprint (in constant time). A fingerprint
/// that cannot be read, or that asks for more than a hundred times the rounds this version
/// writes, matches nothing.
#[must_use]
pub fn matches(fingerprint: &str, secret: &SecretString) -> bool {
    let parts: Vec<&str> = fingerprint.split('$').collect();
    let [scheme, rounds, salt, hash] = parts.as_slice() else {
        return false;
    };
    let (Ok(rounds), Ok(salt), Ok(hash)) = (
        rounds.parse::<u32>(),
        STANDARD_NO_PAD.decode(salt),
        STANDARD_NO_PAD.decode(hash),
    ) else {
        return false;
    };
    if rounds > MAX_FINGERPRINT_ROUNDS {
        return false;
    }
    let Some(rounds) = NonZeroU32::new(rounds) else {
        return false;
    };
    *scheme == SCHEME
        && ring::pbkdf2::verify(
            ring::pbkdf2::PBKDF2_HMAC_SHA256,
            rounds,
            &salt,
            secret.expose_secret().as_bytes(),
            &hash,
        )
        .is_ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn references_are_whole_strings_of_two_kinds() {
        assert_eq!(
            parse_reference("${env:PG_PASSWORD}"),
            Some(Ok(SecretRef::Env("PG_PASSWORD".to_owned())))
        );
        assert_eq!(
            parse_reference("${file:secrets/pg.txt}"),
            Some(Ok(SecretRef::File(PathBuf::from("secrets/pg.txt"))))
        );
        assert_eq!(parse_reference("plain"), None);
        assert_eq!(parse_reference("a ${env:X}"), None);
        assert!(matches!(parse_reference("${env:1X}"), Some(Err(_))));
        assert!(matches!(parse_reference("${vault:x}"), Some(Err(_))));
        assert!(matches!(parse_reference("${env:X"), Some(Err(_))));
        assert!(matches!(parse_reference("${file:}"), Some(Err(_))));
    }

    #[test]
    fn escaping_is_reversible() {
        for text in ["${env:X}", "$${x}", "$$${x}", "${", "$x", "plain", "", "$"] {
            assert_eq!(unescape(&escape(text)), text, "{text:?}");
            assert!(
                parse_reference(&escape(text)).is_none(),
                "an escaped string is never a reference: {text:?}"
            );
        }
    }

    #[test]
    fn secrets_resolve_from_the_environment_and_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("key.txt"), "from-file\n").unwrap();
        let env: BTreeMap<String, String> = [("PG".to_owned(), "pw".to_owned())].into();
        let configuration = json!({
            "host": "db",
            "password": "${env:PG}",
            "nested": {"api_key": "${file:key.txt}", "list": ["$${not a ref}"]},
        });
        let resolved = resolve(&configuration, dir.path(), &env).unwrap();
        assert_eq!(
            resolved.expose_configuration(),
            &json!({"host": "db", "password": "pw", "nested": {"api_key": "from-file", "list": ["${not a ref}"]}})
        );
        assert_eq!(
            resolved.secrets.keys().collect::<Vec<_>>(),
            ["/nested/api_key", "/password"]
        );
        let kept = resolved.configuration_keeping(&|pointer| pointer == "/password");
        assert_eq!(kept["password"], "**********");
        assert_eq!(kept["nested"]["api_key"], "from-file");
        assert!(!format!("{resolved:?}").contains("pw"));
    }

    #[test]
    fn every_missing_secret_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let env: BTreeMap<String, String> = [("EMPTY".to_owned(), String::new())].into();
        let configuration =
            json!({"a": "${env:MISSING}", "b": "${env:EMPTY}", "c": "${file:nope}", "d": "${bad}"});
        let problems = resolve(&configuration, dir.path(), &env).unwrap_err();
        let pointers: Vec<&str> = problems
            .iter()
            .map(|(pointer, _)| pointer.as_str())
            .collect();
        assert_eq!(pointers, ["/a", "/b", "/c", "/d"]);
        assert!(problems[0].1.contains("MISSING"));
    }

    #[test]
    fn fingerprints_are_salted_and_verifiable() {
        let secret = SecretString::from("hunter2");
        let first = fingerprint(&secret);
        let second = fingerprint(&secret);
        assert_ne!(first, second, "each fingerprint has its own salt");
        assert!(!first.contains("hunter2"));
        assert!(first.starts_with("pbkdf2-sha256$10000$"));
        assert!(matches(&first, &secret));
        assert!(matches(&second, &secret));
        assert!(!matches(&first, &SecretString::from("hunter3")));
        assert!(!matches("garbage", &secret));
        assert!(!matches("pbkdf2-sha256$0$AAAA$AAAA", &secret));
        // A lock file is a committed file: rounds beyond any this tool writes would make a
        // plan compute for hours, so they match nothing (and cost nothing).
        let started = std::time::Instant::now();
        let hostile = "pbkdf2-sha256$4000000000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        assert!(!matches(hostile, &secret));
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        let fixed = fingerprint_with(&secret, b"0123456789abcdef", 2);
        assert_eq!(fixed, fingerprint_with(&secret, b"0123456789abcdef", 2));
    }
}
