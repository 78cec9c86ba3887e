//! The access-token cache: one token shared by every request of a client (Public and Config
//! API alike), refreshed ahead of expiry, minted by one request at a time.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::HeaderValue;
use secrecy::SecretString;
use tokio::sync::watch;
use tokio::time::Instant;

use super::{AuthHeader, jwt};

/// A token's lifetime when the server says nothing about it: Cloud documents 3 minutes.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(180);

/// The longest a token is kept, whatever the server claims: a day. Refreshing a long-lived
/// token early costs one request; a claimed lifetime of `i64::MAX` seconds overflowed the
/// clock.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

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

    /// The lifetime: the earlier of `expires_in` and the JWT `exp`, measured from now, and
    /// never more than [`MAX_LIFETIME`].
    pub(crate) fn lifetime(&self) -> Duration {
        self.claimed_lifetime().min(MAX_LIFETIME)
    }

    fn claimed_lifetime(&self) -> Duration {
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

/// The outcome of one mint, as the callers that waited for it see it. A failure is shared:
/// every waiter gets a copy of the same error.
type MintOutcome = Result<AuthHeader, Arc<crate::Error>>;

/// The cache. Reads take a short synchronous lock. Minting is single-flight: the first caller
/// that finds no usable token starts a mint; any caller that arrives while that mint is in
/// flight waits for its outcome, success or failure, instead of minting again. So any number of concurrent
/// callers cause one token request (with its retries), and a dead token endpoint fails them
/// all together; the next call after that tries again.
pub(crate) struct TokenCache {
    current: RwLock<Option<CachedToken>>,
    /// The mint in flight, if any: waiters subscribe to its outcome.
    flight: Mutex<Option<watch::Receiver<Option<MintOutcome>>>>,
    generation: AtomicU64,
    refresh_margin: Duration,
}

/// What a caller does when no fresh token is cached.
enum Role {
    /// Start the mint.
    Lead(MintFlight),
    /// Wait for the mint in flight.
    Follow(watch::Receiver<Option<MintOutcome>>),
}

/// The right and the duty to publish the outcome of one mint. Dropped unpublished (the minting
/// task was aborted), the waiters see the channel close, and the next caller starts another
/// mint.
pub(crate) struct MintFlight {
    sender: watch::Sender<Option<MintOutcome>>,
}

impl MintFlight {
    /// Stores a new token (or keeps the current one when a refresh failed but the token still
    /// works), clears the flight and gives the outcome to every waiter.
    pub(crate) fn finish(self, cache: &TokenCache, minted: crate::Result<MintedToken>) {
        let outcome = match minted {
            Ok(token) => Ok(cache.store(&token)),
            // A failed early refresh is not fatal while the old token still works.
            Err(error) => match cache.still_valid() {
                Some(header) => {
                    tracing::warn!(
                        %error,
                        "token refresh failed; using the current token until it expires"
                    );
                    Ok(header)
                }
                None => Err(Arc::new(error)),
            },
        };
        cache.clear_flight();
        // Nobody left waiting is fine: the outcome is not needed.
        let _ = self.sender.send(Some(outcome));
    }
}

impl TokenCache {
    pub(crate) fn new(refresh_margin: Duration) -> Self {
        Self {
            current: RwLock::new(None),
            flight: Mutex::new(None),
            generation: AtomicU64::new(0),
            refresh_margin,
        }
    }

    /// A token that is not due for refresh.
    pub(crate) fn fresh(&self) -> Option<AuthHeader> {
        self.fresh_at(Instant::now())
    }

    /// [`TokenCache::fresh`] at `now`, a clock reading the caller already has (every request
    /// asks, so a second reading of the clock would be a cost on every request).
    pub(crate) fn fresh_at(&self, now: Instant) -> Option<AuthHeader> {
        let guard = self
            .current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let token = guard.as_ref()?;
        (now < token.refresh_at).then(|| AuthHeader {
            value: token.header.clone(),
            minted_generation: Some(token.generation),
        })
    }

    /// A token that may be due for refresh but is not yet expired: used while its refresh runs,
    /// and when a refresh fails.
    pub(crate) fn still_valid(&self) -> Option<AuthHeader> {
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

    fn clear_flight(&self) {
        *self
            .flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// A fresh token, or the role of this caller: start a mint, or wait for the one in flight.
    fn fresh_or_role(&self) -> Result<AuthHeader, Role> {
        let mut flight = self
            .flight
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Checked under the lock: a mint that just ended stored its token before clearing
        // the flight.
        if let Some(header) = self.fresh() {
            return Ok(header);
        }
        if let Some(receiver) = &*flight {
            // A flight whose minting task vanished without an outcome is over.
            let abandoned = receiver.has_changed().is_err() && receiver.borrow().is_none();
            if !abandoned {
                return Err(Role::Follow(receiver.clone()));
            }
        }
        let (sender, receiver) = watch::channel(None);
        *flight = Some(receiver);
        Err(Role::Lead(MintFlight { sender }))
    }

    /// Starts a mint with `start` (as [`TokenCache::get_or_mint`] does) unless one is in flight
    /// or the token is fresh, without waiting for it: a refresh while the current token still
    /// works.
    pub(crate) fn refresh_in_background(&self, start: impl FnOnce(MintFlight)) {
        if let Err(Role::Lead(flight)) = self.fresh_or_role() {
            tracing::debug!("the access token is due for refresh; refreshing in the background");
            start(flight);
        }
    }

    /// The cached token, or the outcome of a mint: the one in flight, or one started now with
    /// `start`, which must run the mint apart from this caller (a task of its own) and hand its
    /// result to [`MintFlight::finish`]. So a caller that gives up (its deadline passed) does not
    /// abandon the mint that others wait for, and a mint that failed fails every caller that
    /// waited for it. The wait has no bound of its own: the caller bounds it (the client runs it
    /// within the operation's deadline), and the mint is bounded by its own operation timeout.
    pub(crate) async fn get_or_mint(
        &self,
        start: impl FnOnce(MintFlight),
    ) -> crate::Result<AuthHeader> {
        let mut start = Some(start);
        // A turn ends with an outcome, or when a minting task vanished without one (its runtime
        // is shutting down); then this caller starts one mint itself, at most once.
        loop {
            let mut receiver = match self.fresh_or_role() {
                Ok(header) => return Ok(header),
                Err(Role::Follow(receiver)) => receiver,
                Err(Role::Lead(flight)) => {
                    let receiver = flight.sender.subscribe();
                    match start.take() {
                        Some(start) => start(flight),
                        None => {
                            return Err(crate::Error::Authentication {
                                reason: "the access token could not be minted: the minting task stopped without an outcome".to_owned(),
                                api: None,
                            });
                        }
                    }
                    receiver
                }
            };
            loop {
                if let Some(outcome) = receiver.borrow_and_update().clone() {
                    return outcome.map_err(|error| error.duplicate());
                }
                if receiver.changed().await.is_err() {
                    break;
                }
            }
            // The sender is gone; it may have published just before.
            if let Some(outcome) = receiver.borrow().clone() {
                return outcome.map_err(|error| error.duplicate());
            }
            tracing::debug!("the token mint stopped without an outcome; trying again");
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

    fn refused() -> crate::Error {
        crate::Error::Authentication {
            reason: "refused".to_owned(),
            api: None,
        }
    }

    #[tokio::test]
    async fn waiters_share_the_outcome_of_one_mint_success_or_failure() {
        let cache = std::sync::Arc::new(TokenCache::new(Duration::from_secs(1)));
        let started = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let mut callers = Vec::new();
        for _ in 0..5 {
            let (cache, started) = (cache.clone(), started.clone());
            callers.push(tokio::spawn(async move {
                cache
                    .get_or_mint(|flight| started.lock().unwrap().push(flight))
                    .await
                    .map(|_| ())
                    .map_err(|error| error.to_string())
            }));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        let flight = {
            let mut started = started.lock().unwrap();
            assert_eq!(started.len(), 1, "one mint for five callers");
            started.pop().unwrap()
        };
        flight.finish(&cache, Err(refused()));
        for caller in callers {
            let error = caller.await.unwrap().unwrap_err();
            assert!(error.contains("refused"), "{error}");
        }

        // A failure is not kept: the next caller mints, and its token serves the others.
        let minted = cache
            .get_or_mint(|flight| {
                flight.finish(
                    &cache,
                    Ok(MintedToken::new("next-token".to_owned(), Some(900))),
                );
            })
            .await
            .unwrap();
        assert_eq!(minted.minted_generation, Some(1));
        assert!(cache.fresh().is_some());
    }

    #[tokio::test]
    async fn a_mint_that_vanishes_fails_its_caller_and_the_next_caller_mints_again() {
        let cache = TokenCache::new(Duration::from_secs(1));
        // The minting task is dropped without an outcome (its runtime shut down).
        let outcome = cache.get_or_mint(drop).await;
        assert!(outcome.is_err_and(|error| error.is_authentication()));
        let minted = cache
            .get_or_mint(|flight| {
                flight.finish(&cache, Ok(MintedToken::new("t".to_owned(), None)));
            })
            .await;
        assert!(minted.is_ok());
    }
}
