//! The access-token cache: one token shared by every request of a client (Public and Config
//! API alike), refreshed ahead of expiry, minted by one request at a time.

use std::sync::RwLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderValue;
use secrecy::SecretString;
use tokio::time::Instant;

use super::{AuthHeader, jwt};

/// A token's lifetime when the server says nothing about it: Cloud documents 3 minutes.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(180);

/// A freshly minted token and what the server said about its lifetime.
pub(crate) struct MintedToken {
    pub(crate) access_token: SecretString,
    pub(crate) expires_in: Option<i64>,
    pub(crate) jwt_exp: Option<i64>,
}

impl MintedToken {
    pub(crate) fn new(access_token: String, expires_in: Option<i64>) -> Self {
        let jwt_exp = jwt::expiry_claim(&access_token);
        Self {
            access_token: SecretString::from(access_token),
            expires_in,
            jwt_exp,
        }
    }

    /// The lifetime: the earlier of `expires_in` and the JWT `exp`, measured from now.
    pub(crate) fn lifetime(&self) -> Duration {
        let from_expires_in = self
            .expires_in
            .filter(|seconds| *seconds > 0)
            .map(|seconds| Duration::from_secs(seconds.unsigned_abs()));
        let from_jwt = self.jwt_exp.map(|exp| {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |elapsed| elapsed.as_secs());
            let remaining = exp.saturating_sub(i64::try_from(now).unwrap_or(i64::MAX));
            Duration::from_secs(remaining.max(0).unsigned_abs())
        });
        match (from_expires_in, from_jwt) {
            (Some(a), Some(b)) => a.min(b),
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => DEFAULT_LIFETIME,
        }
    }
}

struct CachedToken {
    header: HeaderValue,
    generation: u64,
    refresh_at: Instant,
    expires_at: Instant,
}

/// The cache. Reads take a short synchronous lock; minting is serialized by an async mutex so
/// that any number of concurrent callers with an expired token cause a single token request.
pub(crate) struct TokenCache {
    current: RwLock<Option<CachedToken>>,
    mint_lock: tokio::sync::Mutex<()>,
    generation: AtomicU64,
    refresh_margin: Duration,
}

impl TokenCache {
    pub(crate) fn new(refresh_margin: Duration) -> Self {
        Self {
            current: RwLock::new(None),
            mint_lock: tokio::sync::Mutex::new(()),
            generation: AtomicU64::new(0),
            refresh_margin,
        }
    }

    /// A token that is not due for refresh.
    fn fresh(&self) -> Option<AuthHeader> {
        let guard = self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let token = guard.as_ref()?;
        (Instant::now() < token.refresh_at).then(|| AuthHeader {
            value: token.header.clone(),
            minted_generation: Some(token.generation),
        })
    }

    /// A token that is due for refresh but not yet expired (used when a refresh fails).
    fn still_valid(&self) -> Option<AuthHeader> {
        let guard = self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let token = guard.as_ref()?;
        (Instant::now() < token.expires_at).then(|| AuthHeader {
            value: token.header.clone(),
            minted_generation: Some(token.generation),
        })
    }

    /// The cached token, or a new one from `mint`. Only one `mint` runs at a time; callers
    /// that waited for it use its result.
    pub(crate) async fn get_or_mint<F, Fut, E>(&self, mint: F) -> Result<AuthHeader, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<MintedToken, E>>,
    {
        if let Some(header) = self.fresh() {
            return Ok(header);
        }
        // Boxed: minting happens once per token lifetime, and its large future would otherwise
        // be part of every request's.
        Box::pin(self.mint_once(mint)).await
    }

    /// Waits for the minting lock, then mints unless a caller before did.
    async fn mint_once<F, Fut, E>(&self, mint: F) -> Result<AuthHeader, E>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<MintedToken, E>>,
    {
        let _minting = self.mint_lock.lock().await;
        if let Some(header) = self.fresh() {
            return Ok(header);
        }
        match mint().await {
            Ok(token) => Ok(self.store(&token)),
            Err(error) => match self.still_valid() {
                // A failed early refresh is not fatal while the old token still works.
                Some(header) => {
                    tracing::warn!(
                        "token refresh failed; using the current token until it expires"
                    );
                    Ok(header)
                }
                None => Err(error),
            },
        }
    }

    fn store(&self, token: &MintedToken) -> AuthHeader {
        let lifetime = token.lifetime();
        let margin = self.refresh_margin.min(lifetime / 5);
        let now = Instant::now();
        let generation = self.generation.fetch_add(1, Ordering::Relaxed) + 1;
        let header = super::bearer_header(&token.access_token);
        let cached = CachedToken {
            header: header.clone(),
            generation,
            refresh_at: now + lifetime.saturating_sub(margin),
            expires_at: now + lifetime,
        };
        tracing::debug!(
            lifetime_s = lifetime.as_secs(),
            refresh_in_s = lifetime.saturating_sub(margin).as_secs(),
            "cached a new access token"
        );
        *self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(cached);
        AuthHeader {
            value: header,
            minted_generation: Some(generation),
        }
    }

    /// The header of the cached token, if any (for scrubbing echoed secrets).
    pub(crate) fn current_header(&self) -> Option<HeaderValue> {
        let guard = self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        guard.as_ref().map(|token| token.header.clone())
    }

    /// Drops the token of `generation` after the server refused it; a newer token minted by
    /// another request in the meantime is kept.
    pub(crate) fn invalidate(&self, generation: u64) {
        let mut guard = self
            .current
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if guard
            .as_ref()
            .is_some_and(|token| token.generation == generation)
        {
            *guard = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifetime_is_the_earlier_of_expires_in_and_the_jwt_exp() {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs() as i64;
        let token = |expires_in, jwt_exp| MintedToken {
            access_token: SecretString::from("t".to_owned()),
            expires_in,
            jwt_exp,
        };
        assert_eq!(token(Some(900), None).lifetime(), Duration::from_secs(900));
        let jwt_first = token(Some(900), Some(now + 180)).lifetime();
        assert!(jwt_first <= Duration::from_secs(180) && jwt_first >= Duration::from_secs(178));
        assert_eq!(
            token(Some(60), Some(now + 180)).lifetime(),
            Duration::from_secs(60)
        );
        assert_eq!(token(None, None).lifetime(), DEFAULT_LIFETIME);
        assert_eq!(token(Some(0), Some(now - 10)).lifetime(), Duration::ZERO);
    }
}
