//! How fast a fleet sends: an adaptive limit on its requests in flight (additive increase,
//! multiplicative decrease on each 429, as TCP does with its window), a pace (an optional
//! fixed cap on the request rate, and after a 429 an adaptive one), and a budget for sending
//! refused requests again.
//!
//! Airbyte Cloud answers 429 without `Retry-After`, so the only signal is the refusal itself:
//! each one halves (roughly) how many requests may be in flight, each success lets one more
//! in a little later. A 429 of a request sent before the last decrease says nothing new (it
//! was sent at the old pace) and is not counted again.

use std::collections::VecDeque;
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

/// The pace of requests: a fixed cap when the caller sets one, and after the first 429 an
/// adaptive one. The adaptive pace starts just under the rate the server answered during the
/// second before the 429 (what its limit let through), and grows by 3 % a second (at least one
/// request per second each second) until the next 429. Requests go one interval apart, except
/// that after a late wake up to 100 ms of missed pace (at least one request) go at once.
///
/// The limit on requests in flight alone would find the rate only to the nearest request in
/// flight: with 50 ms answers and a limit of 50 a second, 2 in flight are 40 a second and 3
/// are 60, so it would swing between too slow and refused.
#[derive(Debug)]
pub(crate) struct Pacer {
    cap: Option<f64>,
    adaptive: Option<f64>,
    next: Option<Instant>,
    /// When requests were answered (not refused) during the last second.
    answered: VecDeque<Instant>,
    grown_at: Option<Instant>,
}

/// How far under the rate measured before a 429 the pace is set.
const PACE_AFTER_429: f64 = 0.9;
/// How much the adaptive pace grows each second, relative to itself.
const PACE_GROWTH: f64 = 0.03;
/// The least answers in the last second to measure a rate from.
const LEAST_SAMPLES: usize = 10;
/// The slowest pace, requests per second.
const SLOWEST: f64 = 0.5;
/// How much of a pace a late scheduler may catch up on.
const CATCH_UP: Duration = Duration::from_millis(100);

impl Pacer {
    /// A pacer with an optional cap (requests per second, a finite number above zero,
    /// checked before).
    pub(crate) fn new(cap: Option<f64>) -> Self {
        Self {
            cap,
            adaptive: None,
            next: None,
            answered: VecDeque::new(),
            grown_at: None,
        }
    }

    /// The pace in force, requests per second; `None`: as fast as the gate allows.
    pub(crate) fn rate(&self) -> Option<f64> {
        match (self.cap, self.adaptive) {
            (Some(cap), Some(adaptive)) => Some(cap.min(adaptive)),
            (cap, adaptive) => cap.or(adaptive),
        }
    }

    /// When the next request may go: `None` when it may go now.
    pub(crate) fn wait_until(&self, now: Instant) -> Option<Instant> {
        self.rate()?;
        self.next.filter(|next| *next > now)
    }

    /// A request goes now.
    pub(crate) fn take(&mut self, now: Instant) {
        let Some(rate) = self.rate() else {
            return;
        };
        // A cap is at least one request an hour (checked before), an adaptive pace at least
        // `SLOWEST`; the fallback only keeps the arithmetic total.
        let interval = Duration::try_from_secs_f64(1.0 / rate).unwrap_or(Duration::from_secs(3600));
        // A scheduler that woke late (a busy machine) may catch up on what it missed, at most
        // `CATCH_UP` (or one interval) of it: a pace is kept on average, not lost to each late
        // wake, and a burst stays small.
        let slack = interval.max(CATCH_UP);
        let from = self
            .next
            .map_or(now, |next| next.max(now.checked_sub(slack).unwrap_or(now)));
        self.next = from.checked_add(interval);
    }

    /// A request was answered: remember it, and let the adaptive pace grow.
    pub(crate) fn on_answered(&mut self, now: Instant) {
        self.answered.push_back(now);
        while self
            .answered
            .front()
            .is_some_and(|at| now.saturating_duration_since(*at) > Duration::from_secs(1))
        {
            self.answered.pop_front();
        }
        if let (Some(adaptive), Some(grown_at)) = (self.adaptive.as_mut(), self.grown_at) {
            let seconds = now.saturating_duration_since(grown_at).as_secs_f64();
            *adaptive += seconds * (*adaptive * PACE_GROWTH).max(1.0);
            self.grown_at = Some(now);
        }
    }

    /// The server refused a request (429) sent at the current pace: slow to just under what it
    /// answered during the last second, or by the same factor when too little was answered
    /// to tell.
    pub(crate) fn on_throttled(&mut self, now: Instant) {
        let measured = (self.answered.len() >= LEAST_SAMPLES).then(|| {
            let oldest = self.answered.front().copied().unwrap_or(now);
            let window = now
                .saturating_duration_since(oldest)
                .max(Duration::from_millis(100));
            self.answered.len() as f64 / window.as_secs_f64().clamp(0.1, 1.0)
        });
        let slower = match (measured, self.adaptive) {
            (Some(measured), _) => Some(measured * PACE_AFTER_429),
            (None, Some(adaptive)) => Some(adaptive * PACE_AFTER_429),
            (None, None) => None,
        };
        if let Some(slower) = slower {
            self.adaptive = Some(slower.max(SLOWEST));
            self.grown_at = Some(now);
        }
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
    fn a_fixed_cap_spaces_requests_and_catches_up_only_a_little() {
        let start = Instant::now();
        let mut pacer = Pacer::new(Some(50.0));
        assert_eq!(pacer.wait_until(start), None);
        pacer.take(start);
        assert_eq!(
            pacer.wait_until(start),
            Some(start + Duration::from_millis(20))
        );
        // Woken 10 ms late: the next one goes at once, then one every 20 ms from the time it
        // should have gone.
        let late = start + Duration::from_millis(30);
        assert_eq!(pacer.wait_until(late), None);
        pacer.take(late);
        assert_eq!(
            pacer.wait_until(late),
            Some(start + Duration::from_millis(40))
        );
        // Idle for a while: no more than 100 ms of pace (5 requests) and one more go at once.
        let later = start + Duration::from_secs(5);
        let mut at_once = 0;
        while pacer.wait_until(later).is_none() {
            pacer.take(later);
            at_once += 1;
        }
        assert_eq!(at_once, 6);
        // A slow pace catches up one request at most.
        let mut slow = Pacer::new(Some(1.0));
        slow.take(start);
        let later = start + Duration::from_secs(60);
        slow.take(later);
        slow.take(later);
        assert!(slow.wait_until(later).is_some());
    }

    #[test]
    fn the_adaptive_pace_starts_under_what_was_answered_and_grows_again() {
        let start = Instant::now();
        let mut pacer = Pacer::new(None);
        assert_eq!(pacer.rate(), None, "no pace before a 429");
        // 50 answers in the second before the 429.
        for index in 0..50 {
            pacer.on_answered(start + Duration::from_millis(20 * index));
        }
        let refused_at = start + Duration::from_secs(1);
        pacer.on_throttled(refused_at);
        let rate = pacer.rate().unwrap();
        assert!((44.0..=46.5).contains(&rate), "{rate}");
        // Ten seconds of answers later, it grew (at least a request per second each second).
        pacer.on_answered(refused_at + Duration::from_secs(10));
        assert!(pacer.rate().unwrap() >= rate + 10.0, "{:?}", pacer.rate());
        // A cap stays the most.
        let mut capped = Pacer::new(Some(20.0));
        for index in 0..50 {
            capped.on_answered(start + Duration::from_millis(20 * index));
        }
        capped.on_throttled(refused_at);
        assert_eq!(capped.rate(), Some(20.0));
    }

    #[test]
    fn a_429_after_too_few_answers_slows_an_adaptive_pace_by_a_factor() {
        let start = Instant::now();
        let mut pacer = Pacer::new(None);
        pacer.on_answered(start);
        pacer.on_throttled(start);
        assert_eq!(
            pacer.rate(),
            None,
            "nothing measured: the limit in flight acts alone"
        );
        for index in 0..20 {
            pacer.on_answered(start + Duration::from_millis(10 * index));
        }
        pacer.on_throttled(start + Duration::from_millis(200));
        let first = pacer.rate().unwrap();
        pacer.answered.clear();
        pacer.on_throttled(start + Duration::from_millis(200));
        assert!((pacer.rate().unwrap() - first * 0.9).abs() < 1e-9);
        for _ in 0..100 {
            pacer.on_throttled(start + Duration::from_millis(200));
        }
        assert_eq!(pacer.rate(), Some(SLOWEST));
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
