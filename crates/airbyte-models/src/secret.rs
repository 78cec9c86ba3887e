//! [`Secret`]: a credential the API hands out or takes in a model field (an application's
//! client secret, an embedded access token), kept out of `Debug` and logs.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A secret string in a request or response model.
///
/// `Debug` shows `<redacted>` and there is no `Display`, so a secret never reaches a log by
/// accident; [`expose_secret`](Self::expose_secret) is the one way to read it. It serializes
/// as the plain string (a request must carry it), and compares in constant time. The value is
/// held in a [`SecretString`], which wipes it from memory on drop, and
/// [`into_secret_string`](Self::into_secret_string) hands it to code that keeps credentials
/// that way (the transport's `Credentials`).
///
/// ```
/// use airbyte_models::Secret;
///
/// let secret = Secret::new("s3cr3t");
/// assert_eq!(format!("{secret:?}"), "Secret(\"<redacted>\")");
/// assert_eq!(secret.expose_secret(), "s3cr3t");
/// assert_eq!(serde_json::to_string(&secret).unwrap(), "\"s3cr3t\"");
/// ```
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a secret value.
    #[must_use]
    pub fn new(value: impl Into<String>) -> Self {
        Self(SecretString::from(value.into()))
    }

    /// The secret itself. Every read of a secret goes through here, so that they are easy to
    /// find.
    #[must_use]
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }

    /// Whether the secret is the empty string.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.expose_secret().is_empty()
    }

    /// The secret as a [`SecretString`], for code that keeps credentials in `secrecy` types.
    #[must_use]
    pub fn into_secret_string(self) -> SecretString {
        self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Secret").field(&crate::REDACTED).finish()
    }
}

impl PartialEq for Secret {
    /// Compares in constant time for secrets of equal length.
    fn eq(&self, other: &Self) -> bool {
        let (a, b) = (
            self.expose_secret().as_bytes(),
            other.expose_secret().as_bytes(),
        );
        a.len() == b.len() && a.iter().zip(b).fold(0, |acc, (x, y)| acc | (x ^ y)) == 0
    }
}

impl Eq for Secret {}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl From<Secret> for SecretString {
    fn from(secret: Secret) -> Self {
        secret.0
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose_secret())
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug_and_compare_by_value() {
        let secret: Secret = serde_json::from_str("\"hunter2\"").unwrap();
        assert!(!format!("{secret:?}").contains("hunter2"));
        assert!(!format!("{:?}", Some(&secret)).contains("hunter2"));
        assert_eq!(secret, Secret::new("hunter2"));
        assert_ne!(secret, Secret::new("hunter3"));
        assert_ne!(secret, Secret::new("hunter22"));
        assert_eq!(serde_json::to_value(&secret).unwrap(), "hunter2");
        assert!(Secret::new("").is_empty());
        let kept: SecretString = secret.into_secret_string();
        assert_eq!(kept.expose_secret(), "hunter2");
    }
}
