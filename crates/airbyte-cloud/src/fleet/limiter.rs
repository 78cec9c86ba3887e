//! How fast a fleet sends: an adaptive limit on its requests in flight (additive increase,
//! multiplicative decrease on each 429, as TCP does with its window), an optional fixed cap on
//! its request rate, and a budget for sending refused requests again.
//!
//! Airbyte Cloud answers 429 without `Retry-After`, so the only signal is the refusal itself:
//! each one halves (roughly) how many requests may be in flight, each success lets one more
//! in a little later. A 429 of a request sent before the last decrease says nothing new (it
//! was sent at the old pace) and is not counted again.

use std::time::Duration;

use tokio::time::Instant;

/// The factor a limit is multiplied by on a 429.
const DECREASE: f64 = 0.7;

/// The adaptive limit on requests in flight.
#[derive(Debug)]
pub(crate) struct Aimd {
    limit: f64,
    max: f64,
    /// Doubling each round trip until the first 429, then growing by one per round trip.
    slow_start: bool,
    /// Bumped by each decrease; a request remembers the generation it was sent in.
    generation: u64,
    lowest: f64,
    peak: f64,
}

impl Aimd {
    /// A limit that starts at `initial` (at most `max`) and never leaves `1..=max`.
    pub(crate) fn new(initial: usize, max: usize) -> Self {
        let max = max.max(1) as f64;
        let limit = (initial.max(1) as f64).min(max);
        Self {
            limit,
            max,
            slow_start: true,
            generation: 0,
            lowest: limit,
            peak: limit,
        }
    }

    /// How many requests may be in flight now.
    pub(crate) fn allowed(&self) -> usize {
        // At least 1: the limit never goes below it.
        self.limit.floor().max(1.0) as usize
    }

    /// The generation requests sent now belong to.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// A request was answered (not refused): grow.
    pub(crate) fn on_success(&mut self) {
        let step = if self.slow_start {
            1.0
        } else {
            1.0 / self.limit
        };
        self.limit = (self.limit + step).min(self.max);
        self.peak = self.peak.max(self.limit);
    }

    /// A request sent in `generation` was refused with 429: shrink, unless a decrease already
    /// answered the pace it was sent at. `true` when the limit shrank.
    pub(crate) fn on_throttled(&mut self, generation: u64) -> bool {
        if generation < self.generation {
            return false;
        }
        self.slow_start = false;
        self.limit = (self.limit * DECREASE).max(1.0);
        self.generation += 1;
        self.lowest = self.lowest.min(self.limit);
        true
    }

    /// The lowest and the highest limit so far.
    pub(crate) fn range(&self) -> (usize, usize) {
        (self.lowest.floor() as usize, self.peak.floor() as usize)
    }
}

/// A fixed cap on the request rate: requests go at least `interval` apart (no burst).
#[derive(Debug)]
pub(crate) struct Pacer {
    interval: Duration,
    next: Option<Instant>,
}

impl Pacer {
    /// A cap of `per_second` requests per second (a finite number above zero, checked before).
    pub(crate) fn new(per_second: f64) -> Self {
        Self {
            interval: Duration::from_secs_f64(1.0 / per_second),
            next: None,
        }
    }

    /// When the next request may go: `None` when it may go now.
    pub(crate) fn wait_until(&self, now: Instant) -> Option<Instant> {
        self.next.filter(|next| *next > now)
    }

    /// A request goes now.
    pub(crate) fn take(&mut self, now: Instant) {
        let from = self.next.map_or(now, |next| next.max(now));
        self.next = Some(from + self.interval);
    }
}

/// The waits before sending a refused or failed request again: exponential from 200 ms up to
/// 10 s, with "equal jitter" (at least half the wait, so a refused request never comes
/// straight back), and how many such resends the whole run may make.
#[derive(Debug)]
pub(crate) struct Resends {
    left: u64,
    rng: fastrand::Rng,
}

/// The first wait before a resend.
const FIRST_RESEND: Duration = Duration::from_millis(200);
/// The longest wait before a resend.
const LONGEST_RESEND: Duration = Duration::from_secs(10);

impl Resends {
    pub(crate) fn new(budget: u64) -> Self {
        Self {
            left: budget,
            rng: fastrand::Rng::new(),
        }
    }

    /// Takes one resend from the budget; `false` when it is spent.
    pub(crate) fn try_take(&mut self) -> bool {
        match self.left.checked_sub(1) {
            Some(left) => {
                self.left = left;
                true
            }
            None => false,
        }
    }

    /// The wait before resend number `tries` (from 1) of one request.
    pub(crate) fn delay(&mut self, tries: u32) -> Duration {
        let base = FIRST_RESEND
            .saturating_mul(1u32 << tries.saturating_sub(1).min(16))
            .min(LONGEST_RESEND);
        let half = base / 2;
        half + half.mul_f64(self.rng.f64())
    }

    /// A random fraction of `span`, to spread the polls of jobs started together.
    pub(crate) fn spread(&mut self, span: Duration) -> Duration {
        span.mul_f64(self.rng.f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_doubles_until_the_first_429_then_grows_by_one_per_round() {
        let mut aimd = Aimd::new(2, 100);
        assert_eq!(aimd.allowed(), 2);
        // A round of 2 answers: +2 in slow start.
        aimd.on_success();
        aimd.on_success();
        assert_eq!(aimd.allowed(), 4);
        assert!(aimd.on_throttled(aimd.generation()));
        assert_eq!(aimd.allowed(), 2, "4 * 0.7 = 2.8");
        // After the first 429, a round of `limit` answers adds about one.
        for _ in 0..3 {
            aimd.on_success();
        }
        assert_eq!(aimd.allowed(), 3);
    }

    #[test]
    fn a_429_of_a_request_sent_before_the_last_decrease_counts_once() {
        let mut aimd = Aimd::new(10, 10);
        let sent_in = aimd.generation();
        assert!(aimd.on_throttled(sent_in));
        let after_one = aimd.allowed();
        // Nine more refusals of requests sent at the old pace: no further decrease.
        for _ in 0..9 {
            assert!(!aimd.on_throttled(sent_in));
        }
        assert_eq!(aimd.allowed(), after_one);
        assert!(aimd.on_throttled(aimd.generation()));
        assert!(aimd.allowed() < after_one);
    }

    #[test]
    fn the_limit_stays_between_one_and_its_maximum() {
        let mut aimd = Aimd::new(50, 8);
        assert_eq!(aimd.allowed(), 8);
        for _ in 0..100 {
            aimd.on_success();
        }
        assert_eq!(aimd.allowed(), 8);
        for _ in 0..100 {
            aimd.on_throttled(aimd.generation());
        }
        assert_eq!(aimd.allowed(), 1);
        assert_eq!(aimd.range(), (1, 8));
    }

    #[test]
    fn the_pacer_spaces_requests_without_a_burst() {
        let start = Instant::now();
        let mut pacer = Pacer::new(10.0);
        assert_eq!(pacer.wait_until(start), None);
        pacer.take(start);
        assert_eq!(
            pacer.wait_until(start),
            Some(start + Duration::from_millis(100))
        );
        // Idle for a while: the next one goes at once, but only one.
        let later = start + Duration::from_secs(5);
        assert_eq!(pacer.wait_until(later), None);
        pacer.take(later);
        assert!(pacer.wait_until(later).is_some());
    }

    #[test]
    fn resends_are_bounded_and_back_off_with_jitter() {
        let mut resends = Resends::new(2);
        assert!(resends.try_take());
        assert!(resends.try_take());
        assert!(!resends.try_take());
        for tries in 1..40 {
            let delay = resends.delay(tries);
            let base = FIRST_RESEND
                .saturating_mul(1 << (tries - 1).min(16))
                .min(LONGEST_RESEND);
            assert!(delay >= base / 2 && delay <= base, "{tries}: {delay:?}");
        }
    }
}
