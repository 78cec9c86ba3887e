//! Fault injection: latency, error statuses, dropped connections and broken bodies, from rates
//! or a script, deterministic under a seed.

use std::collections::VecDeque;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// One scripted fault, applied to the next request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FaultAction {
    /// Answer with an error status; 429 carries `Retry-After` when `retry_after_secs` is set.
    Status {
        /// The status: 429, 500, 502 or 503 (others are sent as given).
        status: u16,
        /// `Retry-After` seconds, if any.
        #[serde(default, rename = "retryAfterSecs")]
        retry_after_secs: Option<u64>,
    },
    /// Close the connection before the request is handled: nothing is applied.
    ResetBeforeRead,
    /// Handle the request, then close the connection without answering.
    ResetAfterRead,
    /// Handle the request, then send a body shorter than its `Content-Length`.
    Truncated,
    /// Handle the request, then answer 200 with a body that is not valid JSON.
    Malformed,
    /// Wait before handling the request.
    Latency {
        /// Milliseconds.
        ms: u64,
    },
    /// No fault (keeps a place in a script).
    Pass,
}

/// Fault settings: rates between 0 and 1 (applied in the order listed, at most one per
/// request), latency, and a script that takes precedence over the rates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FaultConfig {
    /// Minimum added latency.
    pub latency_min_ms: u64,
    /// Maximum added latency (a random value in between is added to every request).
    pub latency_max_ms: u64,
    /// Rate of 429 answers.
    pub rate_429: f64,
    /// `Retry-After` of injected 429s; the real API sends none.
    pub retry_after_secs: Option<u64>,
    /// Rate of 500 answers.
    pub rate_500: f64,
    /// Rate of 502 answers.
    pub rate_502: f64,
    /// Rate of 503 answers.
    pub rate_503: f64,
    /// Rate of connections closed before the request is handled.
    pub rate_reset_before: f64,
    /// Rate of connections closed after the request is handled.
    pub rate_reset_after: f64,
    /// Rate of truncated bodies.
    pub rate_truncated: f64,
    /// Rate of malformed bodies.
    pub rate_malformed: f64,
    /// Whether the token endpoint gets faults too.
    pub include_token_endpoint: bool,
    /// Faults for the next requests, in order; they take precedence over the rates.
    pub script: Vec<FaultAction>,
}

impl Default for FaultConfig {
    fn default() -> Self {
        Self {
            latency_min_ms: 0,
            latency_max_ms: 0,
            rate_429: 0.0,
            retry_after_secs: None,
            rate_500: 0.0,
            rate_502: 0.0,
            rate_503: 0.0,
            rate_reset_before: 0.0,
            rate_reset_after: 0.0,
            rate_truncated: 0.0,
            rate_malformed: 0.0,
            include_token_endpoint: true,
            script: Vec::new(),
        }
    }
}

impl FaultConfig {
    /// Checks the settings: each rate a number from 0 to 1, the least latency at most the most.
    ///
    /// # Errors
    ///
    /// What is out of range, named as the field is.
    pub fn validate(&self) -> Result<(), String> {
        if self.latency_min_ms > self.latency_max_ms {
            return Err(format!(
                "the least latency ({} ms) is above the most ({} ms)",
                self.latency_min_ms, self.latency_max_ms
            ));
        }
        for (name, rate) in [
            ("rate_429", self.rate_429),
            ("rate_500", self.rate_500),
            ("rate_502", self.rate_502),
            ("rate_503", self.rate_503),
            ("rate_reset_before", self.rate_reset_before),
            ("rate_reset_after", self.rate_reset_after),
            ("rate_truncated", self.rate_truncated),
            ("rate_malformed", self.rate_malformed),
        ] {
            if !(0.0..=1.0).contains(&rate) {
                return Err(format!("{name} must be a number from 0 to 1, not {rate}"));
            }
        }
        Ok(())
    }

    /// Whether any fault is configured.
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.latency_max_ms > 0
            || !self.script.is_empty()
            || [
                self.rate_429,
                self.rate_500,
                self.rate_502,
                self.rate_503,
                self.rate_reset_before,
                self.rate_reset_after,
                self.rate_truncated,
                self.rate_malformed,
            ]
            .iter()
            .any(|rate| *rate > 0.0)
    }
}

/// What to do with one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Fault {
    None,
    Status {
        status: u16,
        retry_after_secs: Option<u64>,
    },
    ResetBeforeRead,
    ResetAfterRead,
    Truncated,
    Malformed,
}

/// The runtime state: settings, the remaining script and the random numbers.
pub(crate) struct FaultState {
    config: FaultConfig,
    /// Whether any fault is configured or scripted (most runs have none).
    active: bool,
    script: VecDeque<FaultAction>,
    rng: fastrand::Rng,
    seed: u64,
}

impl FaultState {
    pub(crate) fn new(config: FaultConfig, seed: u64) -> Self {
        let script = config.script.iter().cloned().collect();
        Self {
            active: config.is_active(),
            config,
            script,
            rng: fastrand::Rng::with_seed(seed),
            seed,
        }
    }

    pub(crate) fn config(&self) -> FaultConfig {
        let mut config = self.config.clone();
        config.script = self.script.iter().cloned().collect();
        config
    }

    pub(crate) fn replace(&mut self, config: FaultConfig) {
        *self = Self::new(config, self.seed);
    }

    pub(crate) fn push_script(&mut self, actions: Vec<FaultAction>) {
        self.active |= !actions.is_empty();
        self.script.extend(actions);
    }

    /// Decides the fault of one request and the latency to add.
    pub(crate) fn decide(&mut self, token_endpoint: bool) -> (Fault, Duration) {
        if !self.active || (token_endpoint && !self.config.include_token_endpoint) {
            return (Fault::None, Duration::ZERO);
        }
        let mut latency = if self.config.latency_max_ms > 0 {
            let low = self.config.latency_min_ms.min(self.config.latency_max_ms);
            Duration::from_millis(self.rng.u64(low..=self.config.latency_max_ms))
        } else {
            Duration::ZERO
        };
        if let Some(action) = self.script.pop_front() {
            let fault = match action {
                FaultAction::Status {
                    status,
                    retry_after_secs,
                } => Fault::Status {
                    status,
                    retry_after_secs,
                },
                FaultAction::ResetBeforeRead => Fault::ResetBeforeRead,
                FaultAction::ResetAfterRead => Fault::ResetAfterRead,
                FaultAction::Truncated => Fault::Truncated,
                FaultAction::Malformed => Fault::Malformed,
                FaultAction::Latency { ms } => {
                    latency += Duration::from_millis(ms);
                    Fault::None
                }
                FaultAction::Pass => Fault::None,
            };
            return (fault, latency);
        }
        let roll = self.rng.f64();
        let config = &self.config;
        let choices = [
            (
                config.rate_429,
                Fault::Status {
                    status: 429,
                    retry_after_secs: config.retry_after_secs,
                },
            ),
            (
                config.rate_500,
                Fault::Status {
                    status: 500,
                    retry_after_secs: None,
                },
            ),
            (
                config.rate_502,
                Fault::Status {
                    status: 502,
                    retry_after_secs: None,
                },
            ),
            (
                config.rate_503,
                Fault::Status {
                    status: 503,
                    retry_after_secs: None,
                },
            ),
            (config.rate_reset_before, Fault::ResetBeforeRead),
            (config.rate_reset_after, Fault::ResetAfterRead),
            (config.rate_truncated, Fault::Truncated),
            (config.rate_malformed, Fault::Malformed),
        ];
        let mut threshold = 0.0;
        for (rate, fault) in choices {
            threshold += rate.max(0.0);
            if roll < threshold {
                return (fault, latency);
            }
        }
        (Fault::None, latency)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_comes_first_then_rates_apply_deterministically() {
        let config = FaultConfig {
            rate_503: 0.5,
            script: vec![FaultAction::ResetAfterRead, FaultAction::Latency { ms: 5 }],
            ..FaultConfig::default()
        };
        let mut state = FaultState::new(config.clone(), 9);
        assert_eq!(state.decide(false).0, Fault::ResetAfterRead);
        assert_eq!(state.decide(false), (Fault::None, Duration::from_millis(5)));
        let run = |seed| {
            let mut state = FaultState::new(
                FaultConfig {
                    script: vec![],
                    ..config.clone()
                },
                seed,
            );
            (0..200).map(|_| state.decide(false).0).collect::<Vec<_>>()
        };
        assert_eq!(run(3), run(3));
        let injected = run(3).iter().filter(|fault| **fault != Fault::None).count();
        assert!((60..140).contains(&injected), "{injected}");
    }
}
