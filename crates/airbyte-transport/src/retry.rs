//! Retry policy: which failures are retried, how long to wait, and the budget that keeps an
//! outage from being amplified.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use http::StatusCode;

/// Retry settings. The defaults retry up to 3 times (4 attempts) with exponential backoff and
/// full jitter, starting at 250 ms and capped at 20 s per wait.
///
/// What is retried:
/// - HTTP 429 and 503, for every request: the server refused it without acting on it;
/// - HTTP 502 and 504, connection failures after the request was sent, and attempt timeouts,
///   only for idempotent requests: a create may already have been applied;
/// - a connection that could not be established, for every request: nothing was sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    /// Attempts in total, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// The backoff before the first retry (before jitter).
    pub initial_backoff: Duration,
    /// The longest backoff between two attempts (before jitter).
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured; a server asking for more gets its error returned.
    pub max_retry_after: Duration,
    /// Full jitter: wait a random duration between zero and the backoff. Turn off for
    /// deterministic tests.
    pub jitter: bool,
    /// The seed of the jitter's random numbers; random when `None`.
    pub seed: Option<u64>,
    /// The budget shared by all requests of a client.
    pub budget: RetryBudgetConfig,
}

impl Default for RetryConfig {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(120),
            jitter: true,
            seed: None,
            budget: RetryBudgetConfig::default(),
        }
    }
}

impl RetryConfig {
    /// No retries: every request is sent once.
    #[must_use]
    pub fn disabled() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Whether retries are on.
    #[must_use]
    pub fn is_enabled(&self) -> bool {
        self.max_attempts > 1
    }
}

/// A token bucket shared by the requests of a client: each retry spends tokens, each success
/// returns one. When the bucket is empty, failures are returned instead of retried, so a
/// server that is down is not flooded by every caller retrying at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryBudgetConfig {
    /// The bucket's size (and initial content).
    pub capacity: u32,
    /// Tokens a retry after an error answer or a connection failure costs.
    pub retry_cost: u32,
    /// Tokens a retry after a timeout costs.
    pub timeout_retry_cost: u32,
    /// Tokens a success returns.
    pub success_refund: u32,
}

impl Default for RetryBudgetConfig {
    fn default() -> Self {
        Self {
            capacity: 500,
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refund: 1,
        }
    }
}

/// The runtime bucket.
///
/// An atomic rather than a lock: every successful request refunds, from every task, and a full
/// bucket (the usual state) is then only read, so concurrent requests do not fight over it.
pub(crate) struct RetryBudget {
    config: RetryBudgetConfig,
    tokens: AtomicU32,
}

impl RetryBudget {
    pub(crate) fn new(config: RetryBudgetConfig) -> Self {
        Self {
            config,
            tokens: AtomicU32::new(config.capacity),
        }
    }

    /// Takes the cost of one retry; `false` when the budget cannot pay for it.
    pub(crate) fn try_spend(&self, after_timeout: bool) -> bool {
        let cost = if after_timeout {
            self.config.timeout_retry_cost
        } else {
            self.config.retry_cost
        };
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| {
                tokens.checked_sub(cost)
            })
            .is_ok()
    }

    pub(crate) fn refund_success(&self) {
        let capacity = self.config.capacity;
        if self.tokens.load(Ordering::Relaxed) >= capacity {
            return;
        }
        let refund = self.config.success_refund;
        // `None` (nothing to change) only when another refund filled the bucket meanwhile.
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| {
                (tokens < capacity).then(|| tokens.saturating_add(refund).min(capacity))
            });
    }
}

/// Why an attempt failed, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Failure {
    /// An error status.
    Status(StatusCode),
    /// The connection could not be established: nothing was sent.
    ConnectFailed,
    /// The connection failed after the request may have been written.
    SendFailed,
    /// The attempt timed out.
    AttemptTimeout,
}

/// Whether `failure` may be retried for a request of this idempotency.
pub(crate) fn is_retryable(failure: Failure, idempotent: bool) -> bool {
    match failure {
        Failure::Status(status) => match status.as_u16() {
            429 | 503 => true,
            502 | 504 => idempotent,
            _ => false,
        },
        Failure::ConnectFailed => true,
        Failure::SendFailed | Failure::AttemptTimeout => idempotent,
    }
}

/// Computes waits between attempts.
pub(crate) struct Backoff {
    rng: Mutex<fastrand::Rng>,
}

impl Backoff {
    pub(crate) fn new(seed: Option<u64>) -> Self {
        Self {
            rng: Mutex::new(seed.map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed)),
        }
    }

    /// The wait after failed attempt number `attempt` (1-based). Rate limits without
    /// `Retry-After` use "equal jitter" (at least half the backoff), so a limited caller never
    /// comes straight back.
    pub(crate) fn delay(&self, config: &RetryConfig, attempt: u32, failure: Failure) -> Duration {
        let exponent = attempt.saturating_sub(1).min(30);
        let base = config
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(config.max_backoff);
        if !config.jitter || base.is_zero() {
            return base;
        }
        let nanos = u64::try_from(base.as_nanos()).unwrap_or(u64::MAX);
        let mut rng = self
            .rng
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if failure == Failure::Status(StatusCode::TOO_MANY_REQUESTS) {
            Duration::from_nanos(nanos / 2 + rng.u64(0..=nanos / 2))
        } else {
            Duration::from_nanos(rng.u64(0..=nanos))
        }
    }
}

/// Parses `Retry-After`: delay seconds, or an HTTP date.
pub(crate) fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_respects_idempotency() {
        let status = |code| Failure::Status(StatusCode::from_u16(code).unwrap());
        for idempotent in [true, false] {
            assert!(is_retryable(status(429), idempotent));
            assert!(is_retryable(status(503), idempotent));
            assert!(is_retryable(Failure::ConnectFailed, idempotent));
            assert!(!is_retryable(status(500), idempotent));
            assert!(!is_retryable(status(404), idempotent));
        }
        assert!(is_retryable(status(502), true));
        assert!(!is_retryable(status(502), false));
        assert!(is_retryable(status(504), true));
        assert!(!is_retryable(status(504), false));
        assert!(is_retryable(Failure::SendFailed, true));
        assert!(!is_retryable(Failure::SendFailed, false));
        assert!(!is_retryable(Failure::AttemptTimeout, false));
    }

    #[test]
    fn backoff_grows_is_capped_and_jitter_is_seeded() {
        let config = RetryConfig {
            jitter: false,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(700),
            ..RetryConfig::default()
        };
        let backoff = Backoff::new(Some(7));
        let delays: Vec<u128> = (1..=5)
            .map(|attempt| {
                backoff
                    .delay(&config, attempt, Failure::ConnectFailed)
                    .as_millis()
            })
            .collect();
        assert_eq!(delays, [100, 200, 400, 700, 700]);

        let jittered = RetryConfig {
            jitter: true,
            ..config
        };
        let run = |seed| {
            let backoff = Backoff::new(Some(seed));
            (1..=5)
                .map(|attempt| backoff.delay(&jittered, attempt, Failure::ConnectFailed))
                .collect::<Vec<_>>()
        };
        assert_eq!(run(42), run(42));
        assert!(
            run(42)
                .iter()
                .zip([100, 200, 400, 700, 700])
                .all(|(d, cap)| d.as_millis() <= cap)
        );
        let limited = Backoff::new(Some(1)).delay(
            &jittered,
            1,
            Failure::Status(StatusCode::TOO_MANY_REQUESTS),
        );
        assert!(limited >= Duration::from_millis(50));
    }

    #[test]
    fn budget_is_spent_and_refunded() {
        let budget = RetryBudget::new(RetryBudgetConfig {
            capacity: 10,
            retry_cost: 5,
            timeout_retry_cost: 10,
            success_refund: 1,
        });
        assert!(budget.try_spend(false));
        assert!(budget.try_spend(false));
        assert!(!budget.try_spend(false));
        budget.refund_success();
        assert!(!budget.try_spend(false));
        for _ in 0..20 {
            budget.refund_success();
        }
        assert!(budget.try_spend(true));
        assert!(!budget.try_spend(false));
    }

    #[test]
    fn retry_after_accepts_seconds_and_dates() {
        assert_eq!(parse_retry_after("7"), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 "), Some(Duration::ZERO));
        let future = SystemTime::now() + Duration::from_secs(30);
        let parsed = parse_retry_after(&httpdate::fmt_http_date(future)).unwrap();
        assert!(parsed <= Duration::from_secs(30) && parsed >= Duration::from_secs(28));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon"), None);
        assert_eq!(parse_retry_after("-5"), None);
    }
}
