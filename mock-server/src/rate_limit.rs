//! A rate limit per credential, as Airbyte Cloud applies one: a token bucket for each client
//! (each set of client credentials, the basic-auth user, requests without credentials), and a
//! 429 with `{"message":"You are being rate limited."}` and no `Retry-After` for a request
//! that finds its bucket empty.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::time::Instant;

/// A rate limit: `per_second` requests per second on average, in bursts of at most `burst`.
///
/// Each credential has its own bucket, which starts full (`burst` tokens) and refills at
/// `per_second` tokens per second up to `burst`. A request takes a token; a request that finds
/// none is answered 429 and takes nothing, so a client that is refused does not dig itself
/// deeper. Over any period of `t` seconds, a credential gets at most `burst + per_second * t`
/// requests through.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimit {
    /// The average rate allowed, in requests per second.
    pub per_second: f64,
    /// The most requests allowed at once (the bucket's size); at least 1.
    pub burst: u32,
}

impl RateLimit {
    /// `per_second` requests per second with a burst of one second's worth (at least 1).
    ///
    /// # Errors
    ///
    /// When the rate is not a finite number above zero.
    pub fn per_second(per_second: f64) -> Result<Self, String> {
        if !per_second.is_finite() || per_second <= 0.0 {
            return Err(format!(
                "a rate limit must be a number of requests per second above zero, not {per_second}"
            ));
        }
        Ok(Self {
            per_second,
            burst: default_burst(per_second),
        })
    }

    /// Checks a limit whose fields were set directly: a rate that is a finite number above
    /// zero (the burst is taken as at least 1).
    ///
    /// # Errors
    ///
    /// As [`RateLimit::per_second`].
    pub fn validate(&self) -> Result<(), String> {
        Self::per_second(self.per_second).map(drop)
    }

    /// The same rate with another burst (at least 1).
    #[must_use]
    pub fn with_burst(self, burst: u32) -> Self {
        Self {
            burst: burst.max(1),
            ..self
        }
    }
}

/// One second's worth of requests, at least 1.
fn default_burst(per_second: f64) -> u32 {
    // Saturating: a rate beyond u32 is as good as no limit.
    (per_second.ceil() as u32).max(1)
}

/// Parses `N/s` (also `N/sec`, `N/second`), `N/m` (`N/min`, `N/minute`) or `N/h` (`N/hour`),
/// with a whole or decimal `N`; a bare `N` is per second. The burst is one second's worth.
impl FromStr for RateLimit {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let (count, unit) = text.split_once('/').unwrap_or((text, "s"));
        let seconds = match unit.trim().to_ascii_lowercase().as_str() {
            "s" | "sec" | "second" => 1.0,
            "m" | "min" | "minute" => 60.0,
            "h" | "hour" => 3_600.0,
            other => {
                return Err(format!(
                    "unknown unit {other:?} in the rate limit {text:?}; give N/s, N/min or N/h"
                ));
            }
        };
        let count: f64 = count.trim().parse().map_err(|_| {
            format!("the rate limit {text:?} is not a number of requests per unit, such as 50/s")
        })?;
        Self::per_second(count / seconds)
    }
}

impl fmt::Display for RateLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/s (burst {})", self.per_second, self.burst)
    }
}

/// Who a bucket belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum CredentialKey {
    /// The client ID a token was minted with (client credentials of the settings or of an
    /// application; an embedded token's): the tokens of one client share its bucket.
    Client(Box<str>),
    /// The basic-auth user.
    Basic,
    /// Requests without credentials.
    Anonymous,
}

struct Bucket {
    tokens: f64,
    refilled: Instant,
}

/// The buckets of every credential seen (a handful: one per credential of the settings).
pub(crate) struct Buckets {
    limit: Option<RateLimit>,
    buckets: HashMap<CredentialKey, Bucket>,
    refused: u64,
}

impl Buckets {
    pub(crate) fn new(limit: Option<RateLimit>) -> Self {
        Self {
            limit,
            buckets: HashMap::new(),
            refused: 0,
        }
    }

    /// Takes a token for a request of `key` at `now`; `false` when the request must be refused.
    pub(crate) fn admit(&mut self, key: &CredentialKey, now: Instant) -> bool {
        let Some(limit) = self.limit else {
            return true;
        };
        let burst = f64::from(limit.burst.max(1));
        if !self.buckets.contains_key(key) {
            self.buckets.insert(
                key.clone(),
                Bucket {
                    tokens: burst,
                    refilled: now,
                },
            );
        }
        let Some(bucket) = self.buckets.get_mut(key) else {
            return true;
        };
        let elapsed = now.saturating_duration_since(bucket.refilled);
        bucket.tokens = (bucket.tokens + elapsed.as_secs_f64() * limit.per_second).min(burst);
        bucket.refilled = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            self.refused += 1;
            false
        }
    }

    /// How many requests were refused since start (or the last reset).
    pub(crate) fn refused(&self) -> u64 {
        self.refused
    }

    /// The limit in force.
    pub(crate) fn limit(&self) -> Option<RateLimit> {
        self.limit
    }

    /// Replaces the limit; every bucket starts full again.
    pub(crate) fn set_limit(&mut self, limit: Option<RateLimit>) {
        self.limit = limit;
        self.buckets.clear();
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// How long a bucket takes to refill one token.
    fn token_interval(limit: RateLimit) -> Duration {
        Duration::from_secs_f64(1.0 / limit.per_second)
    }

    #[test]
    fn rates_parse_with_their_unit_and_a_burst_of_one_second() {
        let limit: RateLimit = "50/s".parse().unwrap();
        assert_eq!(limit.per_second, 50.0);
        assert_eq!(limit.burst, 50);
        assert_eq!("120/min".parse::<RateLimit>().unwrap().per_second, 2.0);
        assert_eq!("7200/h".parse::<RateLimit>().unwrap().per_second, 2.0);
        assert_eq!("2.5".parse::<RateLimit>().unwrap().burst, 3);
        assert_eq!("30/m".parse::<RateLimit>().unwrap().burst, 1);
        for bad in ["", "0/s", "-1/s", "fast", "10/d", "NaN/s", "inf/s"] {
            assert!(bad.parse::<RateLimit>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_bucket_lets_its_burst_through_then_its_rate() {
        let limit = RateLimit::per_second(10.0).unwrap().with_burst(3);
        let mut buckets = Buckets::new(Some(limit));
        let start = Instant::now();
        let key = &CredentialKey::Client("client".into());
        let admitted = (0..5).filter(|_| buckets.admit(key, start)).count();
        assert_eq!(admitted, 3, "the burst, then nothing");
        assert_eq!(buckets.refused(), 2);
        // Another credential has its own bucket.
        assert!(buckets.admit(&CredentialKey::Basic, start));
        // One token comes back every 100 ms, never more than the burst.
        assert!(buckets.admit(key, start + token_interval(limit)));
        assert!(!buckets.admit(key, start + token_interval(limit)));
        let later = start + Duration::from_secs(60);
        let admitted = (0..10).filter(|_| buckets.admit(key, later)).count();
        assert_eq!(admitted, 3);
    }

    #[test]
    fn without_a_limit_everything_passes() {
        let mut buckets = Buckets::new(None);
        let now = Instant::now();
        assert!((0..10_000).all(|_| buckets.admit(&CredentialKey::Anonymous, now)));
        assert_eq!(buckets.limit(), None);
        buckets.set_limit(Some(RateLimit::per_second(1.0).unwrap()));
        assert!(buckets.admit(&CredentialKey::Anonymous, now));
        assert!(!buckets.admit(&CredentialKey::Anonymous, now));
    }
}
