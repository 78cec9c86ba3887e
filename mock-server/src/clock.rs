//! The job clock: wall time at start, then real time multiplied by a speed, plus manual jumps.
//! Jobs derive their status from it at read time, so no background task is needed and a
//! speed-up makes every running job progress faster at once.

use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

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
                speed: speed.max(0.0),
            }),
        }
    }

    /// Back to wall time at `speed`, as at start.
    pub(crate) fn reset(&self, speed: f64) {
        let mut state = self.lock();
        state.anchor_virtual_ms = wall_ms();
        state.anchor = Instant::now();
        state.speed = speed.max(0.0);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ClockState> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Virtual milliseconds since the Unix epoch.
    pub(crate) fn now_ms(&self) -> i64 {
        let state = self.lock();
        let elapsed = state.anchor.elapsed().as_secs_f64() * 1000.0 * state.speed;
        (state.anchor_virtual_ms + elapsed) as i64
    }

    /// Changes the speed from now on.
    pub(crate) fn set_speed(&self, speed: f64) {
        let mut state = self.lock();
        let elapsed = state.anchor.elapsed().as_secs_f64() * 1000.0 * state.speed;
        state.anchor_virtual_ms += elapsed;
        state.anchor = Instant::now();
        state.speed = speed.max(0.0);
    }

    /// The current speed.
    pub(crate) fn speed(&self) -> f64 {
        self.lock().speed
    }

    /// Jumps forward.
    pub(crate) fn advance(&self, by: Duration) {
        self.lock().anchor_virtual_ms += by.as_secs_f64() * 1000.0;
    }
}
