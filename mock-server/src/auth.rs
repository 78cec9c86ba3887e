//! Credentials: tokens issued by the token endpoint, checked like JWTs (signature and expiry,
//! no server-side store), basic auth, and the workspaces each caller may reach.
//!
//! Tokens are stateless as real Airbyte's are: a token names its client, its expiry and the
//! reset generation it was minted in, and carries a keyed hash of them, with keys drawn when
//! the server starts. A client minting tokens in a loop costs no memory. A reset starts a new
//! generation: with a fixed seed the fresh world hands out the same IDs and secrets again, and
//! a token from before must not reach what now carries its old names.

use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};

use crate::answer::Resp;
use crate::config::MockConfig;
use crate::ids::canonical;
use crate::rate_limit::CredentialKey;
use crate::world::World;

/// What kind of credential a caller presented.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CallerKind {
    /// Credentials of the settings (client credentials, basic auth, no credentials): they act
    /// as the world's operator user.
    Operator,
    /// A token of an application: it acts as the application's user, with that user's
    /// permissions.
    Application,
    /// An embedded scoped token: one workspace, nothing else.
    Scoped,
}

/// Who is calling.
#[derive(Clone, Debug)]
pub(crate) struct Principal {
    /// The workspaces the caller may reach; all when `None`.
    pub(crate) workspaces: Option<Vec<String>>,
    /// The user the caller acts as, when it acts as one.
    pub(crate) user_id: Option<String>,
    pub(crate) kind: CallerKind,
    /// Which credential it used (the rate limit is per credential).
    pub(crate) credential: CredentialKey,
}

impl Principal {
    /// A caller that reaches nothing (what a handler sees without the authentication layer's
    /// verdict).
    pub(crate) fn nobody() -> Self {
        Self {
            workspaces: Some(Vec::new()),
            user_id: None,
            kind: CallerKind::Scoped,
            credential: CredentialKey::Anonymous,
        }
    }

    /// A caller presenting credentials of the settings, acting as the operator.
    fn operator(
        workspaces: Option<&Vec<String>>,
        world: &World,
        credential: CredentialKey,
    ) -> Self {
        Self {
            workspaces: workspaces
                .map(|ids| ids.iter().map(|id| canonical(id).into_owned()).collect()),
            user_id: world.operator.clone(),
            kind: CallerKind::Operator,
            credential,
        }
    }

    pub(crate) fn may_access(&self, workspace_id: &str) -> bool {
        self.workspaces
            .as_ref()
            .is_none_or(|allowed| allowed.iter().any(|id| id == workspace_id))
    }

    /// Whether the caller reaches every workspace: credentials of the settings without a
    /// scope (an instance administrator, in the real server's terms).
    pub(crate) fn is_unrestricted(&self) -> bool {
        self.kind == CallerKind::Operator && self.workspaces.is_none()
    }
}

/// What a token grants.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case", tag = "grant")]
pub(crate) enum Grant {
    /// Client credentials of the settings.
    Client,
    /// An application's client credentials.
    Application,
    /// One workspace, on behalf of a user (an embedded scoped token).
    Scoped {
        workspace: String,
        #[serde(default)]
        user: Option<String>,
    },
}

/// The claims a token carries.
#[derive(Clone, Deserialize)]
struct Claims {
    /// The client ID the token was minted with.
    sub: String,
    /// Expiry in milliseconds (the standard `exp` is in seconds, too coarse for short tests).
    exp_ms: u64,
    /// The reset generation the token was minted in.
    #[serde(rename = "gen")]
    generation: u64,
    #[serde(flatten)]
    grant: Grant,
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| {
            u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX)
        })
}

/// How many checked tokens are remembered before the memory is cleared.
const CHECKED_CAPACITY: usize = 4096;

/// Issues and checks tokens with keys drawn at start. Tokens already checked are remembered
/// (their claims, at most [`CHECKED_CAPACITY`]), so that a client reusing its token does not
/// pay for decoding and hashing on every request; an entry proves nothing the token itself
/// does not.
pub(crate) struct Tokens {
    keys: [RandomState; 2],
    issued: AtomicU64,
    /// How many resets there have been: only tokens minted since the last one are valid.
    generation: AtomicU64,
    checked: Mutex<HashMap<Box<str>, Claims>>,
}

impl Tokens {
    pub(crate) fn new() -> Self {
        Self {
            keys: [RandomState::new(), RandomState::new()],
            issued: AtomicU64::new(0),
            generation: AtomicU64::new(0),
            checked: Mutex::new(HashMap::new()),
        }
    }

    fn signature(&self, signed: &str) -> String {
        let [first, second] = &self.keys;
        let tag = [first.hash_one(signed), second.hash_one(signed)];
        URL_SAFE_NO_PAD.encode([tag[0].to_be_bytes(), tag[1].to_be_bytes()].concat())
    }

    /// A JWT-shaped token for the client ID `sub`, granting `grant`, valid for `ttl`; its
    /// `exp` is the real expiry. `auth_user_id` becomes the `user_id` claim, which clients
    /// (PyAirbyte) read to find the user behind the token.
    pub(crate) fn issue(
        &self,
        sub: &str,
        grant: &Grant,
        auth_user_id: Option<&str>,
        ttl: Duration,
    ) -> String {
        let now_ms = unix_ms();
        let exp_ms = now_ms.saturating_add(u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX));
        let serial = self.issued.fetch_add(1, Ordering::Relaxed);
        let mut claims = serde_json::json!({
            "sub": sub,
            "iat": now_ms / 1000,
            "exp": exp_ms / 1000,
            "exp_ms": exp_ms,
            "gen": self.generation.load(Ordering::Acquire),
            "jti": format!("mock-{serial:x}"),
        });
        if let (Some(map), Ok(serde_json::Value::Object(grant))) =
            (claims.as_object_mut(), serde_json::to_value(grant))
        {
            map.extend(grant);
            if let Some(user) = auth_user_id {
                map.insert("user_id".into(), serde_json::Value::from(user));
            }
        }
        let signed = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let signature = self.signature(&signed);
        format!("{signed}.{signature}")
    }

    /// The claims of a token with a valid signature.
    fn claims(&self, token: &str) -> Option<Claims> {
        let mut checked = self
            .checked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(claims) = checked.get(token) {
            return Some(claims.clone());
        }
        let (signed, signature) = token.rsplit_once('.')?;
        if !constant_time_eq(self.signature(signed).as_bytes(), signature.as_bytes()) {
            return None;
        }
        let payload = URL_SAFE_NO_PAD.decode(signed.split_once('.')?.1).ok()?;
        let claims: Claims = serde_json::from_slice(&payload).ok()?;
        if checked.len() >= CHECKED_CAPACITY {
            checked.clear();
        }
        checked.insert(token.into(), claims.clone());
        Some(claims)
    }

    /// The claims of a valid, unexpired token of the current generation.
    fn check(&self, token: &str) -> Option<Claims> {
        let generation = self.generation.load(Ordering::Acquire);
        self.claims(token)
            .filter(|claims| claims.exp_ms > unix_ms() && claims.generation == generation)
    }

    /// Refuses every token issued so far (a reset of the mock).
    pub(crate) fn revoke_all(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.checked
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clear();
    }
}

pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Decodes `Basic base64(user:password)`.
fn decode_basic(credentials: &str) -> Option<(String, String)> {
    let bytes = STANDARD.decode(credentials.trim()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}

/// The principal of a valid token: its grant must still hold (a client still in the
/// settings, an application not deleted, a workspace that still exists).
fn bearer(claims: &Claims, config: &MockConfig, world: &World) -> Option<Principal> {
    match &claims.grant {
        Grant::Client => {
            let client = config
                .clients
                .iter()
                .find(|client| client.client_id == claims.sub)?;
            Some(Principal::operator(
                client.workspaces.as_ref(),
                world,
                CredentialKey::Client(claims.sub.as_str().into()),
            ))
        }
        Grant::Application => {
            let application = world.application_by_client(&claims.sub)?;
            Some(Principal {
                workspaces: world.reach(&application.user_id),
                user_id: Some(application.user_id.clone()),
                kind: CallerKind::Application,
                credential: CredentialKey::Client(claims.sub.as_str().into()),
            })
        }
        Grant::Scoped { workspace, user } => {
            world.workspace(workspace)?;
            Some(Principal {
                workspaces: Some(vec![workspace.clone()]),
                user_id: user.clone(),
                kind: CallerKind::Scoped,
                credential: CredentialKey::Client(claims.sub.as_str().into()),
            })
        }
    }
}

/// Authenticates a request from its `Authorization` header: a bearer token, basic auth when
/// enabled, or nothing when anonymous access is allowed. Every kind of credential has its own
/// workspace scope.
pub(crate) fn authenticate(
    tokens: &Tokens,
    config: &MockConfig,
    world: &World,
    authorization: Option<&str>,
) -> Result<Principal, Resp> {
    let Some(header) = authorization else {
        return if config.allow_anonymous {
            Ok(Principal::operator(
                config.anonymous_workspaces.as_ref(),
                world,
                CredentialKey::Anonymous,
            ))
        } else {
            Err(Resp::unauthorized())
        };
    };
    let (scheme, credentials) = header.split_once(' ').unwrap_or((header, ""));
    if scheme.eq_ignore_ascii_case("bearer") {
        return tokens
            .check(credentials.trim())
            .and_then(|claims| bearer(&claims, config, world))
            .ok_or_else(Resp::unauthorized);
    }
    if scheme.eq_ignore_ascii_case("basic")
        && let (Some((user, password)), Some(expected)) =
            (decode_basic(credentials), config.basic_auth.as_ref())
        && constant_time_eq(user.as_bytes(), expected.username.as_bytes())
        && constant_time_eq(password.as_bytes(), expected.password.as_bytes())
    {
        return Ok(Principal::operator(
            expected.workspaces.as_ref(),
            world,
            CredentialKey::Basic,
        ));
    }
    Err(Resp::unauthorized())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn world() -> World {
        World::empty(1, 1000)
    }

    #[test]
    fn tokens_check_their_signature_expiry_and_client() {
        let tokens = Tokens::new();
        let config = MockConfig::default();
        let world = world();
        let client = &config.clients[0].client_id;
        let token = tokens.issue(client, &Grant::Client, None, Duration::from_secs(60));
        let header = format!("Bearer {token}");
        assert!(authenticate(&tokens, &config, &world, Some(&header)).is_ok());
        // Another server's keys, a changed payload, an expired token: refused.
        assert!(authenticate(&Tokens::new(), &config, &world, Some(&header)).is_err());
        let (head, rest) = token.split_once('.').unwrap();
        let (_, signature) = rest.split_once('.').unwrap();
        let forged = format!(
            "Bearer {head}.{}.{signature}",
            URL_SAFE_NO_PAD
                .encode(r#"{"sub":"mock-client-id","exp_ms":99999999999999,"grant":"client"}"#)
        );
        assert!(authenticate(&tokens, &config, &world, Some(&forged)).is_err());
        let expired = tokens.issue(client, &Grant::Client, None, Duration::ZERO);
        let expired = format!("Bearer {expired}");
        assert!(authenticate(&tokens, &config, &world, Some(&expired)).is_err());
        // A client removed from the settings loses its tokens.
        let other = MockConfig {
            clients: Vec::new(),
            ..MockConfig::default()
        };
        assert!(authenticate(&tokens, &other, &world, Some(&header)).is_err());
    }

    #[test]
    fn a_revocation_refuses_every_earlier_token_even_one_already_checked() {
        let tokens = Tokens::new();
        let config = MockConfig::default();
        let world = world();
        let client = &config.clients[0].client_id;
        let before = format!(
            "Bearer {}",
            tokens.issue(client, &Grant::Client, None, Duration::from_secs(60))
        );
        assert!(authenticate(&tokens, &config, &world, Some(&before)).is_ok());
        tokens.revoke_all();
        assert!(authenticate(&tokens, &config, &world, Some(&before)).is_err());
        let after = format!(
            "Bearer {}",
            tokens.issue(client, &Grant::Client, None, Duration::from_secs(60))
        );
        assert!(authenticate(&tokens, &config, &world, Some(&after)).is_ok());
    }

    #[test]
    fn scoped_tokens_reach_their_workspace_only_while_it_exists() {
        let tokens = Tokens::new();
        let config = MockConfig::default();
        let grant = Grant::Scoped {
            workspace: "w1".into(),
            user: None,
        };
        let token = tokens.issue("c", &grant, None, Duration::from_secs(60));
        let header = format!("Bearer {token}");
        // Without the workspace, the token grants nothing.
        assert!(authenticate(&tokens, &config, &world(), Some(&header)).is_err());
    }

    #[test]
    fn basic_auth_is_refused_unless_enabled_and_carries_its_scope() {
        let tokens = Tokens::new();
        let world = world();
        let header = format!("Basic {}", STANDARD.encode("airbyte:password"));
        assert!(authenticate(&tokens, &MockConfig::default(), &world, Some(&header)).is_err());
        let config = MockConfig {
            basic_auth: Some(crate::BasicCredential {
                workspaces: Some(vec!["w1".into()]),
                ..crate::BasicCredential::airbyte_default()
            }),
            ..MockConfig::default()
        };
        let principal = authenticate(&tokens, &config, &world, Some(&header)).unwrap();
        assert!(principal.may_access("w1") && !principal.may_access("w2"));
        let wrong = format!("Basic {}", STANDARD.encode("airbyte:nope"));
        assert!(authenticate(&tokens, &config, &world, Some(&wrong)).is_err());
    }

    #[test]
    fn anonymous_access_has_its_own_scope() {
        let tokens = Tokens::new();
        let world = world();
        assert!(authenticate(&tokens, &MockConfig::default(), &world, None).is_err());
        let config = MockConfig {
            allow_anonymous: true,
            anonymous_workspaces: Some(vec!["w1".into()]),
            ..MockConfig::default()
        };
        let principal = authenticate(&tokens, &config, &world, None).unwrap();
        assert!(!principal.may_access("w2"));
    }
}
