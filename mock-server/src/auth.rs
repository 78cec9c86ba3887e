//! Tokens: issued by the token endpoint with a lifetime, checked on every other route.

use std::collections::HashMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;

use crate::config::ClientCredential;

/// Who is calling.
#[derive(Clone, Debug)]
pub(crate) struct Principal {
    /// The workspaces the caller may reach; all when `None`.
    pub(crate) workspaces: Option<Vec<String>>,
}

impl Principal {
    pub(crate) fn unrestricted() -> Self {
        Self { workspaces: None }
    }

    pub(crate) fn may_access(&self, workspace_id: &str) -> bool {
        self.workspaces
            .as_ref()
            .is_none_or(|allowed| allowed.iter().any(|id| id == workspace_id))
    }
}

struct IssuedToken {
    expires_at: Instant,
    workspaces: Option<Vec<String>>,
}

/// Why a request was not authenticated.
pub(crate) enum AuthFailure {
    Unknown,
    Expired,
}

/// Issued tokens.
pub(crate) struct AuthState {
    tokens: HashMap<String, IssuedToken>,
    counter: u64,
}

impl AuthState {
    pub(crate) fn new() -> Self {
        Self {
            tokens: HashMap::new(),
            counter: 0,
        }
    }

    /// Issues a JWT-shaped token whose `exp` is the real expiry.
    pub(crate) fn issue(&mut self, client: &ClientCredential, ttl: Duration, salt: u64) -> String {
        let now = Instant::now();
        self.tokens.retain(|_, token| token.expires_at > now);
        self.counter += 1;
        let unix_now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        let encode = |text: String| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
        let token = format!(
            "{}.{}.mock{:x}",
            encode(r#"{"alg":"none","typ":"JWT"}"#.to_owned()),
            encode(format!(
                r#"{{"sub":"{}","iat":{unix_now},"exp":{},"jti":"{}-{salt:x}"}}"#,
                client.client_id.replace('"', ""),
                unix_now + ttl.as_secs(),
                self.counter
            )),
            salt
        );
        self.tokens.insert(
            token.clone(),
            IssuedToken {
                expires_at: now + ttl,
                workspaces: client.workspaces.clone(),
            },
        );
        token
    }

    /// Checks a bearer token.
    pub(crate) fn check(&self, token: &str) -> Result<Principal, AuthFailure> {
        let issued = self.tokens.get(token).ok_or(AuthFailure::Unknown)?;
        if issued.expires_at <= Instant::now() {
            return Err(AuthFailure::Expired);
        }
        Ok(Principal {
            workspaces: issued.workspaces.clone(),
        })
    }
}

/// Decodes `Basic base64(user:password)`.
pub(crate) fn decode_basic(credentials: &str) -> Option<(String, String)> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(credentials.trim())
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_owned(), password.to_owned()))
}
