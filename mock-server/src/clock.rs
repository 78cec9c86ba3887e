//! The job clock: wall time at start, then real time multiplied by a speed, plus manual jumps.
//! Jobs derive their status from it at read time, so no background task is needed and a
//! speed-up makes every running job progress faster at once.
//!
//! The speed is bounded ([`MAX_CLOCK_SPEED`]) and the time saturates at [`MAX_VIRTUAL_MS`]
//! (the start of the year 9999): however long the mock runs and however far it is advanced,
//! every time it reports can still be written as a date, with room for a job's duration after it.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The fastest the job clock may run relative to real time: a day of real time is then some
/// 2,700 years of virtual time.
pub const MAX_CLOCK_SPEED: f64 = 1_000_000.0;

/// The latest virtual time, in milliseconds since the Unix epoch: 9999-01-01T00:00:00Z.
pub(crate) const MAX_VIRTUAL_MS: i64 = 253_370_764_800_000;

/// Whether `speed` is a speed the clock accepts: `0` (stopped) to [`MAX_CLOCK_SPEED`].
///
/// # Errors
///
/// The reason, naming the bound, when it is not.
pub(crate) fn validate_speed(speed: f64) -> Result<(), String> {
    if speed.is_finite() && (0.0..=MAX_CLOCK_SPEED).contains(&speed) {
        Ok(())
    } else {
        Err(format!(
            "the clock speed must be a number from 0 to {MAX_CLOCK_SPEED} (got {speed})"
        ))
    }
}

/// A speed within the clock's bounds (`NaN`: stopped).
fn bounded(speed: f64) -> f64 {
    if speed.is_nan() {
        0.0
    } else {
        speed.clamp(0.0, MAX_CLOCK_SPEED)
    }
}

/// The range of epoch milliseconds that can be written as a date (years 1 to 9999): a time
/// past it (a job scripted to run for ages) is written as its nearest bound, never as `null`.
pub(crate) fn writable_ms(ms: i64) -> i64 {
    const EARLIEST: i64 = -62_135_596_800_000;
    const LATEST: i64 = 253_402_300_799_999;
    ms.clamp(EARLIEST, LATEST)
}

struct ClockState {
    /// Virtual milliseconds since the epoch at `anchor`.
    anchor_virtual_ms: f64,
    anchor: Instant,
    speed: f64,
}

/// The mock's virtual clock.
pub(crate) struct Clock {
    state: Mutex<ClockState>,
}

fn wall_ms() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |elapsed| elapsed.as_secs_f64() * 1000.0)
}

impl Clock {
    pub(crate) fn new(speed: f64) -> Self {
        Self {
            state: Mutex::new(ClockState {
                anchor_virtual_ms: wall_ms(),
                anchor: Instant::now(),
                speed: bounded(speed),
            }),
        }
    }

    /// Back to wall time at `speed`, as at start.
    pub(crate) fn reset(&self, speed: f64) {
        let mut state = self.lock();
        state.anchor_virtual_ms = wall_ms();
        state.anchor = Instant::now();
        state.speed = bounded(speed);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ClockState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Virtual milliseconds since the Unix epoch, at most [`MAX_VIRTUAL_MS`].
    pub(crate) fn now_ms(&self) -> i64 {
        let state = self.lock();
        let elapsed = state.anchor.elapsed().as_secs_f64() * 1000.0 * state.speed;
        // `as` saturates; the bound keeps every reported time a writable date.
        ((state.anchor_virtual_ms + elapsed) as i64).clamp(0, MAX_VIRTUAL_MS)
    }

    /// Changes the speed from now on, within `0..=MAX_CLOCK_SPEED`.
    pub(crate) fn set_speed(&self, speed: f64) {
        let mut state = self.lock();
        let elapsed = state.anchor.elapsed().as_secs_f64() * 1000.0 * state.speed;
        state.anchor_virtual_ms += elapsed;
        state.anchor = Instant::now();
        state.speed = bounded(speed);
    }

    /// The current speed.
    pub(crate) fn speed(&self) -> f64 {
        self.lock().speed
    }

    /// Jumps forward (no further than [`MAX_VIRTUAL_MS`]).
    pub(crate) fn advance(&self, by: Duration) {
        let mut state = self.lock();
        state.anchor_virtual_ms =
            (state.anchor_virtual_ms + by.as_secs_f64() * 1000.0).min(MAX_VIRTUAL_MS as f64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_saturates_instead_of_overflowing() {
        let clock = Clock::new(MAX_CLOCK_SPEED);
        for _ in 0..10 {
            clock.advance(Duration::from_secs(1_000_000_000_000));
        }
        assert_eq!(clock.now_ms(), MAX_VIRTUAL_MS);
        clock.set_speed(f64::INFINITY);
        assert!((clock.speed() - MAX_CLOCK_SPEED).abs() < f64::EPSILON);
        assert_eq!(clock.now_ms(), MAX_VIRTUAL_MS);
        clock.set_speed(f64::NAN);
        assert!(clock.speed().abs() < f64::EPSILON);
    }

    #[test]
    fn times_past_the_dates_range_are_written_as_its_bounds() {
        assert_eq!(writable_ms(i64::MAX), 253_402_300_799_999);
        assert_eq!(writable_ms(i64::MIN), -62_135_596_800_000);
        assert_eq!(writable_ms(MAX_VIRTUAL_MS), MAX_VIRTUAL_MS);
    }

    #[test]
    fn speeds_out_of_bounds_are_named_with_the_bound() {
        for speed in [0.0, 1.0, MAX_CLOCK_SPEED] {
            assert!(validate_speed(speed).is_ok(), "{speed}");
        }
        for speed in [-1.0, 1e308, f64::INFINITY, f64::NAN] {
            let reason = validate_speed(speed).unwrap_err();
            assert!(reason.contains("1000000"), "{reason}");
        }
    }
}
