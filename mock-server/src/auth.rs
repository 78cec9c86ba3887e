//! Credentials: tokens issued by the token endpoint, checked like JWTs (signature and expiry,
//! no server-side store), basic auth, and the workspaces each caller may reach.
//!
//! Tokens are stateless as real Airbyte's are: a token names its client and its expiry and
//! carries a keyed hash of both, with keys drawn when the server starts. So a reset of the
//! world does not log clients out, and a client minting tokens in a loop costs no memory.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::Deserialize;

use crate::answer::Resp;
use crate::config::{ClientCredential, MockConfig};
use crate::rate_limit::CredentialKey;

/// Who is calling.
#[derive(Clone, Debug)]
pub(crate) struct Principal {
    /// The workspaces the caller may reach; all when `None`.
    pub(crate) workspaces: Option<Vec<String>>,
    /// Which credential it used (the rate limit is per credential).
    pub(crate) credential: CredentialKey,
}

impl Principal {
    pub(crate) fn may_access(&self, workspace_id: &str) -> bool {
        self.workspaces
            .as_ref()
            .is_none_or(|allowed| allowed.iter().any(|id| id == workspace_id))
    }
}

/// The claims a token carries.
#[derive(Deserialize)]
struct Claims {
    sub: String,
    /// Expiry in milliseconds (the standard `exp` is in seconds, too coarse for short tests).
    exp_ms: u64,
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
        })
}

/// What a checked token says: its client (an index into the settings' clients) and expiry.
#[derive(Clone, Copy)]
struct Checked {
    client: usize,
    exp_ms: u64,
}

/// How many checked tokens are remembered before the memory is cleared.
const CHECKED_CAPACITY: usize = 4096;

/// Issues and checks tokens with keys drawn at start. Tokens already checked are remembered
/// (client ID and expiry, at most [`CHECKED_CAPACITY`]), so that a client reusing its token
/// does not pay for decoding and hashing on every request; an entry proves nothing the token
/// itself does not.
pub(crate) struct Tokens {
    keys: [RandomState; 2],
    issued: AtomicU64,
    checked: Mutex<HashMap<Box<str>, Checked>>,
}

impl Tokens {
    pub(crate) fn new() -> Self {
        Self {
            keys: [RandomState::new(), RandomState::new()],
            issued: AtomicU64::new(0),
            checked: Mutex::new(HashMap::new()),
        }
    }

    fn signature(&self, signed: &str) -> String {
        let [first, second] = &self.keys;
        let tag = [first.hash_one(signed), second.hash_one(signed)];
        URL_SAFE_NO_PAD.encode([tag[0].to_be_bytes(), tag[1].to_be_bytes()].concat())
    }

    /// A JWT-shaped token for `client`, valid for `ttl`; its `exp` is the real expiry.
    pub(crate) fn issue(&self, client: &ClientCredential, ttl: Duration) -> String {
        let now_ms = unix_ms();
        let exp_ms = now_ms.saturating_add(u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX));
        let serial = self.issued.fetch_add(1, Ordering::Relaxed);
        let claims = serde_json::json!({
            "sub": client.client_id,
            "iat": now_ms / 1000,
            "exp": exp_ms / 1000,
            "exp_ms": exp_ms,
            "jti": format!("mock-{serial:x}"),
        });
        let signed = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = self.signature(&signed);
        format!("{signed}.{signature}")
    }

    /// The client and expiry of a token with a valid signature, of a client of the settings.
    fn claims(&self, token: &str, config: &MockConfig) -> Option<Checked> {
        let mut checked = self
            .checked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(claims) = checked.get(token) {
            return Some(*claims);
        }
        let (signed, signature) = token.rsplit_once('.')?;
        if !constant_time_eq(self.signature(signed).as_bytes(), signature.as_bytes()) {
            return None;
        }
        let payload = URL_SAFE_NO_PAD.decode(signed.split_once('.')?.1).ok()?;
        let claims: Claims = serde_json::from_slice(&payload).ok()?;
        let client = config
            .clients
            .iter()
            .position(|client| client.client_id == claims.sub)?;
        if checked.len() >= CHECKED_CAPACITY {
            checked.clear();
        }
        let found = Checked {
            client,
            exp_ms: claims.exp_ms,
        };
        checked.insert(token.into(), found);
        Some(found)
    }

    /// The client of a valid, unexpired token, with its position in the settings.
    fn check<'c>(
        &self,
        token: &str,
        config: &'c MockConfig,
    ) -> Option<(usize, &'c ClientCredential)> {
        let checked = self.claims(token, config)?;
        if checked.exp_ms <= unix_ms() {
            return None;
        }
        config
            .clients
            .get(checked.client)
            .map(|client| (checked.client, client))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Decodes `Basic base64(user:password)`.
fn decode_basic(credentials: &str) -> Option<(String, String)> {
    let bytes = STANDARD.decode(credentials.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// Authenticates a request from its `Authorization` header: a bearer token, basic auth when
/// enabled, or nothing when anonymous access is allowed. Every kind of credential has its own
/// workspace scope.
pub(crate) fn authenticate(
    tokens: &Tokens,
    config: &MockConfig,
    authorization: Option<&str>,
) -> Result<Principal, Resp> {
    let Some(header) = authorization else {
        return if config.allow_anonymous {
            Ok(Principal {
                workspaces: config.anonymous_workspaces.clone(),
                credential: CredentialKey::Anonymous,
            })
        } else {
            Err(Resp::unauthorized())
        };
    };
    let (scheme, credentials) = header.split_once(' ').unwrap_or((header, ""));
    if scheme.eq_ignore_ascii_case("bearer") {
        return tokens
            .check(credentials.trim(), config)
            .map(|(index, client)| Principal {
                workspaces: client.workspaces.clone(),
                credential: CredentialKey::Client(index),
            })
            .ok_or_else(Resp::unauthorized);
    }
    if scheme.eq_ignore_ascii_case("basic")
        && let (Some((user, password)), Some(expected)) =
            (decode_basic(credentials), config.basic_auth.as_ref())
        && constant_time_eq(user.as_bytes(), expected.username.as_bytes())
        && constant_time_eq(password.as_bytes(), expected.password.as_bytes())
    {
        return Ok(Principal {
            workspaces: expected.workspaces.clone(),
            credential: CredentialKey::Basic,
        });
    }
    Err(Resp::unauthorized())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_check_their_signature_expiry_and_client() {
        let tokens = Tokens::new();
        let config = MockConfig::default();
        let client = &config.clients[0];
        let token = tokens.issue(client, Duration::from_secs(60));
        assert!(tokens.check(&token, &config).is_some());
        // Another server's keys, a changed payload, an expired token: refused.
        assert!(Tokens::new().check(&token, &config).is_none());
        let (header, rest) = token.split_once('.').unwrap();
        let (_, signature) = rest.split_once('.').unwrap();
        let forged = format!(
            "{header}.{}.{signature}",
            URL_SAFE_NO_PAD.encode(r#"{"sub":"mock-client-id","exp_ms":99999999999999}"#)
        );
        assert!(tokens.check(&forged, &config).is_none());
        let expired = tokens.issue(client, Duration::ZERO);
        assert!(tokens.check(&expired, &config).is_none());
        // A client removed from the settings loses its tokens.
        let other = MockConfig {
            clients: Vec::new(),
            ..MockConfig::default()
        };
        assert!(tokens.check(&token, &other).is_none());
    }

    #[test]
    fn basic_auth_is_refused_unless_enabled_and_carries_its_scope() {
        let tokens = Tokens::new();
        let header = format!("Basic {}", STANDARD.encode("airbyte:password"));
        assert!(authenticate(&tokens, &MockConfig::default(), Some(&header)).is_err());
        let config = MockConfig {
            basic_auth: Some(crate::BasicCredential {
                workspaces: Some(vec!["w1".into()]),
                ..crate::BasicCredential::airbyte_default()
            }),
            ..MockConfig::default()
        };
        let principal = authenticate(&tokens, &config, Some(&header)).unwrap();
        assert!(principal.may_access("w1") && !principal.may_access("w2"));
        let wrong = format!("Basic {}", STANDARD.encode("airbyte:nope"));
        assert!(authenticate(&tokens, &config, Some(&wrong)).is_err());
    }

    #[test]
    fn anonymous_access_has_its_own_scope() {
        let tokens = Tokens::new();
        assert!(authenticate(&tokens, &MockConfig::default(), None).is_err());
        let config = MockConfig {
            allow_anonymous: true,
            anonymous_workspaces: Some(vec!["w1".into()]),
            ..MockConfig::default()
        };
        let principal = authenticate(&tokens, &config, None).unwrap();
        assert!(!principal.may_access("w2"));
    }
}
