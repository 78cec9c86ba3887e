//! The one scheduler of a fleet run: it starts the jobs (at most `parallel` running at once),
//! polls each on its own backoff from a single queue of timers, sends every request through
//! one gate (the adaptive limit on requests in flight, and the optional rate cap), sends
//! refused requests again within a budget, and times each wait out at its deadline.
//!
//! Nothing sleeps per job: the run is one loop that waits for the next answer, the next timer
//! or a stop, whichever comes first. Jobs are started, read and cancelled through the SDK's
//! own calls ([`crate::RunSync`], [`SyncResult::job`], [`SyncResult::cancel`]), so the rules
//! of job ownership hold: only a job this run started is cancelled on a timeout or a stop
//! (unless the wait options say to cancel jobs attached to as well), and a job is followed
//! only when it is the connection's own.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use airbyte_models::{JobResponse, JobStatus};
use airbyte_transport::{RequestOptions, RetryConfig};
use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use tokio::sync::mpsc;
use tokio::time::Instant;

use super::limiter::{Aimd, Pacer, Resends};
use super::outcome::{FleetEvent, FleetJob, FleetOutcome, FleetStats};
use super::run::{Shared, StopMode, lock};
use super::selection::{ConnectionSelection, resolve};
use crate::sync::READ_AFTER_FAILED_CANCEL;
use crate::workspace::with_call_options;
use crate::{CloudConnection, CloudWorkspace, Error, Result, SyncResult, WaitOptions};

/// The most times one request is sent again (after 429s or transient failures).
const MAX_TRIES: u32 = 30;

/// How much of a poll interval the first poll of a job is moved by at random, so that jobs
/// started together are not all read together.
const FIRST_POLL_SPREAD: f64 = 0.1;

/// The longest `Retry-After` honoured, as the transport honours it for single calls: a start
/// refused for longer is reported as an error (nothing was started), and a poll waits this
/// long at most (its job's timeout still ends the wait).
const LONGEST_RETRY_AFTER: Duration = Duration::from_secs(120);

/// The lowest request rate cap: one request an hour. Below it a run would send its first
/// request and then nothing for longer than any wait.
pub(crate) const LOWEST_REQUEST_RATE: f64 = 1.0 / 3600.0;

/// The settings of a run (checked before it starts).
#[derive(Clone, Debug)]
pub(crate) struct Settings {
    pub(crate) parallel: usize,
    pub(crate) wait: WaitOptions,
    pub(crate) attach_if_running: bool,
    pub(crate) max_request_rate: Option<f64>,
    pub(crate) resend_budget: Option<u64>,
    pub(crate) run_timeout: Option<Duration>,
}

impl Settings {
    pub(crate) fn validate(&self) -> Result<()> {
        if self.parallel == 0 {
            return Err(Error::invalid(
                "at least one job must be allowed to run at once",
            ));
        }
        self.wait.validate()?;
        if let Some(rate) = self.max_request_rate
            && (!rate.is_finite() || rate < LOWEST_REQUEST_RATE)
        {
            return Err(Error::invalid(format!(
                "a request rate cap must be a number of requests per second of at least one an \
                 hour ({LOWEST_REQUEST_RATE:.6}), not {rate}"
            )));
        }
        if self.run_timeout.is_some_and(|timeout| timeout.is_zero()) {
            return Err(Error::invalid(
                "a zero run timeout would stop the run before anything starts",
            ));
        }
        Ok(())
    }
}

type Events = mpsc::UnboundedSender<Result<FleetEvent>>;

/// Runs a fleet operation to its end, sending its events.
pub(crate) async fn drive(
    workspace: CloudWorkspace,
    selection: ConnectionSelection,
    settings: Settings,
    shared: Arc<Shared>,
    events: Events,
) {
    let started = Instant::now();
    if let Err(error) = settings.validate() {
        let _ = events.send(Err(error));
        return;
    }
    let run_deadline = settings
        .run_timeout
        .and_then(|timeout| started.checked_add(timeout));
    let resolved = match run_deadline {
        Some(deadline) => tokio::time::timeout_at(deadline, resolve(&workspace, &selection))
            .await
            .unwrap_or_else(|_| {
                Err(Error::invalid(
                    "the run's time limit passed while the connections were being listed",
                ))
            }),
        None => resolve(&workspace, &selection).await,
    };
    let selected = match resolved {
        Ok(selected) => selected,
        Err(error) => {
            let _ = events.send(Err(error));
            return;
        }
    };
    let _ = events.send(Ok(FleetEvent::Selected {
        total: selected.run.len() + selected.skipped.len(),
        skipped: selected.skipped.len(),
    }));
    for connection in selected.skipped {
        let name = name_of(&connection);
        let _ = events.send(Ok(FleetEvent::Finished(Box::new(FleetJob {
            connection,
            name,
            sync: None,
            job: None,
            outcome: FleetOutcome::Skipped,
            polls: 0,
            waited: Duration::ZERO,
            timeout: None,
        }))));
    }
    let mut scheduler = Scheduler::new(selected.run, settings, run_deadline, shared, events);
    scheduler.run().await;
}

/// `from + after`, or thirty years from `from` when the clock cannot hold the sum (a poll
/// interval of `Duration::MAX` means "never"; adding it panicked).
fn later(from: Instant, after: Duration) -> Instant {
    const FAR_FUTURE: Duration = Duration::from_secs(30 * 365 * 24 * 60 * 60);
    from.checked_add(after).unwrap_or_else(|| from + FAR_FUTURE)
}

fn name_of(connection: &CloudConnection) -> String {
    connection
        .cached_info()
        .map(|info| info.name)
        .unwrap_or_default()
}

/// A job being waited for.
struct Running {
    sync: SyncResult,
    started: Instant,
    deadline: Option<Instant>,
    interval: Duration,
    last: Option<JobResponse>,
    poll: PollState,
}

/// Where a job's next status poll is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PollState {
    /// None scheduled: the deadline comes first.
    None,
    /// Waiting for its time, or for the gate.
    Queued,
    /// Sent.
    InFlight,
}

/// Why a job is being cancelled.
#[derive(Clone, Copy, Debug)]
enum Ending {
    TimedOut,
    Stopped,
}

enum Phase {
    /// Not started yet.
    Waiting,
    /// Its start is queued (`in_flight: false`) or sent.
    Starting {
        in_flight: bool,
    },
    Running(Box<Running>),
    /// A cancel is in flight.
    Cancelling(Box<Running>, Ending),
    Done,
}

struct Slot {
    connection: CloudConnection,
    name: String,
    phase: Phase,
    /// Resends of the current request.
    tries: u32,
    /// Polls in a row that failed.
    poll_errors: u32,
    polls: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Timer {
    Start(usize),
    Poll(usize),
    Deadline(usize),
}

/// A request's answer, or a cancel's.
enum Done {
    Started {
        slot: usize,
        generation: u64,
        result: Result<SyncResult>,
    },
    Polled {
        slot: usize,
        generation: u64,
        /// `None`: the wait's deadline came first.
        result: Option<Result<JobResponse>>,
    },
    Cancelled {
        slot: usize,
        /// The job as the cancel answered, or as read after a cancel that failed.
        job: Option<JobResponse>,
        /// Whether the cancel was accepted.
        accepted: bool,
    },
}

/// Why the run stops early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stopping {
    Asked(StopMode),
    RunTimedOut,
}

struct Scheduler {
    slots: Vec<Slot>,
    waiting: VecDeque<usize>,
    /// Polls due, then starts due; each goes when the gate lets it.
    polls_due: VecDeque<usize>,
    starts_due: VecDeque<usize>,
    timers: BinaryHeap<Reverse<(Instant, u64, Timer)>>,
    timer_seq: u64,
    in_flight: FuturesUnordered<Pin<Box<dyn Future<Output = Done> + Send>>>,
    /// Requests in flight through the gate (cancels go around it).
    requests_in_flight: usize,
    /// Nothing goes through the gate before this: a 429 said when to come back.
    hold_until: Option<Instant>,
    /// Jobs starting or running: at most `parallel`.
    active: usize,
    aimd: Aimd,
    pacer: Pacer,
    resends: Resends,
    settings: Settings,
    run_deadline: Option<Instant>,
    stopping: Option<Stopping>,
    stop: tokio::sync::watch::Receiver<Option<StopMode>>,
    shared: Arc<Shared>,
    events: Events,
    stats: FleetStats,
    unfinished: usize,
}

/// The fleet's requests skip the transport's retries: the scheduler sees every 429 and
/// decides itself when to send again (the transport would wait holding a place in flight).
fn call_options() -> RequestOptions {
    RequestOptions {
        retry: Some(RetryConfig::disabled()),
        ..RequestOptions::default()
    }
}

/// Whether an error is a rate limit (429).
fn is_throttled(error: &Error) -> bool {
    error
        .transport()
        .and_then(airbyte_transport::Error::api_error)
        .is_some_and(|api| api.status.as_u16() == 429)
}

/// The `Retry-After` of a refused request, if it came with one.
fn retry_after(error: &Error) -> Option<Duration> {
    error
        .transport()
        .and_then(airbyte_transport::Error::api_error)
        .and_then(|api| api.retry_after)
}

/// Whether a start that failed may be sent again: it surely was not applied (refused with
/// 429 or 503, or failed before it was sent). A 500, 502 or 504, or a failure after sending,
/// may come after the job was made: sent again, the start could make a second sync, or find
/// the first one running and take it for someone else's. (The transport does not send such a
/// POST again for a single `run_sync` either.)
fn start_may_resend(error: &Error) -> bool {
    let Some(transport) = error.transport() else {
        return false;
    };
    match transport.api_error() {
        Some(api) => matches!(api.status.as_u16(), 429 | 503),
        None => transport.is_transient() && !transport.may_have_been_applied(),
    }
}

impl Scheduler {
    fn new(
        connections: Vec<CloudConnection>,
        settings: Settings,
        run_deadline: Option<Instant>,
        shared: Arc<Shared>,
        events: Events,
    ) -> Self {
        let count = connections.len();
        let slots = connections
            .into_iter()
            .map(|connection| Slot {
                name: name_of(&connection),
                connection,
                phase: Phase::Waiting,
                tries: 0,
                poll_errors: 0,
                polls: 0,
            })
            .collect();
        let parallel = settings.parallel;
        let budget = settings
            .resend_budget
            .unwrap_or_else(|| 100 + 10 * count as u64);
        Self {
            slots,
            waiting: (0..count).collect(),
            polls_due: VecDeque::new(),
            starts_due: VecDeque::new(),
            timers: BinaryHeap::new(),
            timer_seq: 0,
            in_flight: FuturesUnordered::new(),
            requests_in_flight: 0,
            hold_until: None,
            active: 0,
            aimd: Aimd::new(parallel.min(4), parallel),
            pacer: Pacer::new(settings.max_request_rate),
            resends: Resends::new(budget),
            stop: shared.stop.subscribe(),
            settings,
            run_deadline,
            stopping: None,
            shared,
            events,
            stats: FleetStats::default(),
            unfinished: count,
        }
    }

    async fn run(&mut self) {
        while self.unfinished > 0 {
            let now = Instant::now();
            self.check_stop(now);
            self.fire_timers(now);
            self.queue_starts();
            let pacer_wait = self.launch(now);
            if self.unfinished == 0 {
                break;
            }
            let wake = [
                self.timers.peek().map(|Reverse((at, _, _))| *at),
                pacer_wait,
                self.run_deadline.filter(|_| self.stopping.is_none()),
            ]
            .into_iter()
            .flatten()
            .min();
            let watching_stop = self.stopping.is_none();
            tokio::select! {
                Some(done) = self.in_flight.next(), if !self.in_flight.is_empty() => self.on_done(done),
                () = sleep_until(wake) => {}
                // The sender lives in `shared`, which this scheduler holds: never an error.
                _ = self.stop.changed(), if watching_stop => {}
            }
            self.publish_stats();
        }
        self.publish_stats();
    }

    fn publish_stats(&mut self) {
        let (lowest, peak) = self.aimd.range();
        self.stats.lowest_in_flight = lowest;
        self.stats.peak_in_flight = peak;
        *lock(&self.shared.stats) = self.stats;
    }

    fn timer(&mut self, at: Instant, timer: Timer) {
        self.timer_seq += 1;
        self.timers.push(Reverse((at, self.timer_seq, timer)));
    }

    fn send(&self, event: FleetEvent) {
        // The reader is the run's owner: when it is gone, so is this scheduler.
        let _ = self.events.send(Ok(event));
    }

    /// A stop asked for, or the run's time limit reached: start nothing more, settle every job.
    fn check_stop(&mut self, now: Instant) {
        if self.stopping.is_some() {
            return;
        }
        let stopping = if let Some(mode) = *self.stop.borrow() {
            Stopping::Asked(mode)
        } else if self.run_deadline.is_some_and(|deadline| now >= deadline) {
            Stopping::RunTimedOut
        } else {
            return;
        };
        tracing::info!(?stopping, "the fleet run stops");
        self.stopping = Some(stopping);
        self.polls_due.clear();
        self.starts_due.clear();
        for slot in 0..self.slots.len() {
            match &self.slots[slot].phase {
                Phase::Waiting | Phase::Starting { in_flight: false } => {
                    self.finish_unstarted(slot);
                }
                Phase::Running(_) => self.settle_on_stop(slot),
                Phase::Starting { in_flight: true } | Phase::Cancelling(..) | Phase::Done => {}
            }
        }
        self.waiting.clear();
    }

    /// A running job when the run stops: cancelled or left, as the stop says.
    fn settle_on_stop(&mut self, slot: usize) {
        match self.stopping {
            Some(Stopping::RunTimedOut) => self.time_out(slot),
            Some(Stopping::Asked(StopMode::CancelStarted)) => {
                let owned = match &self.slots[slot].phase {
                    Phase::Running(running) => running.sync.is_owned(),
                    _ => false,
                };
                if owned {
                    self.cancel(slot, Ending::Stopped);
                } else {
                    self.finish_running(slot, FleetOutcome::Stopped { cancelled: false });
                }
            }
            Some(Stopping::Asked(_)) | None => {
                self.finish_running(slot, FleetOutcome::Stopped { cancelled: false });
            }
        }
    }

    fn fire_timers(&mut self, now: Instant) {
        while let Some(Reverse((at, _, timer))) = self.timers.peek().copied() {
            if at > now {
                break;
            }
            self.timers.pop();
            match timer {
                Timer::Start(slot) => {
                    if matches!(self.slots[slot].phase, Phase::Starting { in_flight: false })
                        && self.stopping.is_none()
                    {
                        self.starts_due.push_back(slot);
                    }
                }
                Timer::Poll(slot) => {
                    if matches!(&self.slots[slot].phase, Phase::Running(running) if running.poll == PollState::Queued)
                    {
                        self.polls_due.push_back(slot);
                    }
                }
                Timer::Deadline(slot) => {
                    // A poll in flight is cut at the deadline by itself.
                    let due = matches!(&self.slots[slot].phase, Phase::Running(running)
                        if running.poll != PollState::InFlight);
                    if due {
                        self.polls_due.retain(|queued| *queued != slot);
                        self.time_out(slot);
                    }
                }
            }
        }
    }

    /// Queues the start of waiting connections while fewer than `parallel` jobs run.
    fn queue_starts(&mut self) {
        if self.stopping.is_some() {
            return;
        }
        while self.active < self.settings.parallel {
            let Some(slot) = self.waiting.pop_front() else {
                break;
            };
            self.active += 1;
            self.slots[slot].phase = Phase::Starting { in_flight: false };
            self.starts_due.push_back(slot);
        }
    }

    /// Sends what the gate lets through, polls first (they free places when jobs end).
    /// Returns when the rate cap lets the next request go, if that is what holds it back.
    fn launch(&mut self, now: Instant) -> Option<Instant> {
        loop {
            if self.polls_due.is_empty() && self.starts_due.is_empty() {
                return None;
            }
            if self.requests_in_flight >= self.aimd.allowed() {
                return None;
            }
            if let Some(hold) = self.hold_until.filter(|hold| *hold > now) {
                return Some(hold);
            }
            if let Some(at) = self.pacer.wait_until(now) {
                return Some(at);
            }
            let sent = if let Some(slot) = self.polls_due.pop_front() {
                self.send_poll(slot)
            } else if let Some(slot) = self.starts_due.pop_front() {
                self.send_start(slot)
            } else {
                false
            };
            if sent {
                self.pacer.take(now);
            }
        }
    }

    fn gated(&mut self, request: impl Future<Output = Done> + Send + 'static) {
        self.requests_in_flight += 1;
        self.stats.requests += 1;
        self.in_flight
            .push(Box::pin(with_call_options(call_options(), request)));
    }

    /// Sends the start of `slot`'s job; `false` when it is no longer to be started.
    fn send_start(&mut self, slot: usize) -> bool {
        let state = &mut self.slots[slot];
        if !matches!(state.phase, Phase::Starting { in_flight: false }) {
            return false;
        }
        state.phase = Phase::Starting { in_flight: true };
        lock(&self.shared.starting).insert(state.connection.id().clone(), state.connection.clone());
        let start = state
            .connection
            .run_sync()
            .wait(false)
            .attach_if_running(self.settings.attach_if_running);
        let generation = self.aimd.generation();
        self.gated(async move {
            Done::Started {
                slot,
                generation,
                result: start.send().await,
            }
        });
        true
    }

    /// Sends a status poll of `slot`'s job; `false` when it no longer waits for one.
    fn send_poll(&mut self, slot: usize) -> bool {
        let Phase::Running(running) = &mut self.slots[slot].phase else {
            return false;
        };
        if running.poll != PollState::Queued {
            return false;
        }
        running.poll = PollState::InFlight;
        let sync = running.sync.clone();
        let deadline = running.deadline;
        let generation = self.aimd.generation();
        self.gated(async move {
            // A poll gets only what is left of the wait.
            let result = match deadline {
                Some(deadline) => tokio::time::timeout_at(deadline, sync.job()).await.ok(),
                None => Some(sync.job().await),
            };
            Done::Polled {
                slot,
                generation,
                result,
            }
        });
        true
    }

    fn on_done(&mut self, done: Done) {
        match done {
            Done::Started {
                slot,
                generation,
                result,
            } => {
                self.requests_in_flight -= 1;
                lock(&self.shared.starting).remove(self.slots[slot].connection.id());
                self.on_started(slot, generation, result);
            }
            Done::Polled {
                slot,
                generation,
                result,
            } => {
                self.requests_in_flight -= 1;
                self.on_polled(slot, generation, result);
            }
            Done::Cancelled {
                slot,
                job,
                accepted,
            } => self.on_cancelled(slot, job, accepted),
        }
    }

    /// A request was answered (not refused): the limits grow.
    fn answered(&mut self) {
        self.aimd.on_success();
        self.pacer.on_answered(Instant::now());
    }

    /// A 429: slow down, and say so when the limits shrank.
    fn throttled(&mut self, generation: u64) {
        self.stats.throttled += 1;
        if self.aimd.on_throttled(generation) {
            self.pacer.on_throttled(Instant::now());
            tracing::debug!(
                in_flight = self.aimd.allowed(),
                "rate limited (HTTP 429); fewer requests at once"
            );
            self.send(FleetEvent::Throttled {
                in_flight: self.aimd.allowed(),
                per_second: self.pacer.rate(),
            });
        }
    }

    /// Whether the request of `slot` may be sent again; if so, when: after its backoff, and
    /// not before a `Retry-After` the server asked for.
    fn resend_at(&mut self, slot: usize) -> Option<Instant> {
        let state = &mut self.slots[slot];
        if state.tries >= MAX_TRIES || !self.resends.try_take() {
            return None;
        }
        state.tries += 1;
        self.stats.resends += 1;
        let at = later(Instant::now(), self.resends.delay(state.tries));
        Some(self.hold_until.map_or(at, |hold| hold.max(at)))
    }

    /// A 429 with `Retry-After`: nothing more goes before that (at most
    /// [`LONGEST_RETRY_AFTER`]); the server asked the client, not one request, to wait.
    fn hold(&mut self, after: Duration) {
        let until = Instant::now() + after.min(LONGEST_RETRY_AFTER);
        self.hold_until = Some(self.hold_until.map_or(until, |hold| hold.max(until)));
    }

    fn on_started(&mut self, slot: usize, generation: u64, result: Result<SyncResult>) {
        let sync = match result {
            Ok(sync) => {
                self.answered();
                sync
            }
            Err(error) => {
                let throttled = is_throttled(&error);
                if throttled {
                    self.throttled(generation);
                }
                if self.stopping.is_some() {
                    self.finish_unstarted(slot);
                    return;
                }
                if let Some(after) = retry_after(&error) {
                    if after > LONGEST_RETRY_AFTER {
                        tracing::debug!(connection = %self.slots[slot].connection.id(), retry_after_s = after.as_secs(), "the server asked to wait longer than allowed; not starting again");
                        self.finish_unstarted_with(slot, FleetOutcome::Error(error));
                        return;
                    }
                    self.hold(after);
                }
                if start_may_resend(&error)
                    && let Some(at) = self.resend_at(slot)
                {
                    tracing::debug!(connection = %self.slots[slot].connection.id(), %error, "starting again later");
                    self.slots[slot].phase = Phase::Starting { in_flight: false };
                    self.timer(at, Timer::Start(slot));
                    return;
                }
                self.finish_unstarted_with(slot, FleetOutcome::Error(error));
                return;
            }
        };
        let now = Instant::now();
        let state = &mut self.slots[slot];
        state.tries = 0;
        lock(&self.shared.running).insert(sync.job_id(), sync.clone());
        let wait = &self.settings.wait;
        let deadline = wait.timeout.and_then(|timeout| now.checked_add(timeout));
        state.phase = Phase::Running(Box::new(Running {
            sync: sync.clone(),
            started: now,
            deadline,
            interval: wait.poll_interval,
            last: None,
            poll: PollState::None,
        }));
        let name = state.name.clone();
        self.send(FleetEvent::Started { name, sync });
        if self.stopping.is_some() {
            self.settle_on_stop(slot);
            return;
        }
        let first = wait.poll_interval.saturating_add(
            self.resends
                .spread(wait.poll_interval.mul_f64(FIRST_POLL_SPREAD)),
        );
        self.schedule_poll(slot, now.checked_add(first));
        if let Some(deadline) = deadline {
            self.timer(deadline, Timer::Deadline(slot));
        }
    }

    /// The next poll, unless the deadline comes first (its timer then ends the wait). `None`:
    /// a time too far for the clock, never.
    fn schedule_poll(&mut self, slot: usize, at: Option<Instant>) {
        let Phase::Running(running) = &mut self.slots[slot].phase else {
            return;
        };
        let Some(at) = at.filter(|at| running.deadline.is_none_or(|deadline| *at < deadline))
        else {
            running.poll = PollState::None;
            return;
        };
        running.poll = PollState::Queued;
        self.timer(at, Timer::Poll(slot));
    }

    fn on_polled(&mut self, slot: usize, generation: u64, result: Option<Result<JobResponse>>) {
        let Phase::Running(running) = &mut self.slots[slot].phase else {
            // Stopped or timed out meanwhile.
            return;
        };
        running.poll = PollState::None;
        let Some(result) = result else {
            tracing::debug!(job_id = %running.sync.job_id(), "a status poll was still running at the timeout");
            self.time_out(slot);
            return;
        };
        match result {
            Ok(job) => {
                self.answered();
                let state = &mut self.slots[slot];
                state.polls += 1;
                state.poll_errors = 0;
                state.tries = 0;
                if job.status.is_final() {
                    let outcome = if job.status.is_success() {
                        FleetOutcome::Succeeded
                    } else {
                        FleetOutcome::Failed
                    };
                    if let Phase::Running(running) = &mut state.phase {
                        running.last = Some(job);
                    }
                    self.finish_running(slot, outcome);
                    return;
                }
                let Phase::Running(running) = &mut state.phase else {
                    return;
                };
                running.last = Some(job.clone());
                let event = FleetEvent::Progress {
                    name: state.name.clone(),
                    sync: running.sync.clone(),
                    job,
                };
                let at = Instant::now().checked_add(running.interval);
                running.interval = self.settings.wait.next_interval(running.interval);
                self.send(event);
                self.schedule_poll(slot, at);
            }
            Err(error) => {
                let throttled = is_throttled(&error);
                if let Some(after) = retry_after(&error) {
                    self.hold(after);
                }
                if throttled {
                    self.throttled(generation);
                    if let Some(at) = self.resend_at(slot) {
                        self.schedule_poll(slot, Some(at));
                        return;
                    }
                }
                let state = &mut self.slots[slot];
                if (throttled || error.is_transient())
                    && state.poll_errors < self.settings.wait.max_consecutive_poll_errors
                {
                    state.poll_errors += 1;
                    tracing::warn!(connection = %state.connection.id(), %error, "could not read the job's status; still waiting");
                    let at = self
                        .resend_at(slot)
                        .or_else(|| Instant::now().checked_add(self.settings.wait.poll_interval));
                    self.schedule_poll(slot, at);
                    return;
                }
                self.finish_running(slot, FleetOutcome::Error(error));
            }
        }
    }

    /// The wait of a job ran out: cancel it if the rules allow, else leave it.
    fn time_out(&mut self, slot: usize) {
        let Phase::Running(running) = &self.slots[slot].phase else {
            return;
        };
        if running.sync.may_cancel_on_timeout(&self.settings.wait) {
            self.cancel(slot, Ending::TimedOut);
        } else {
            if !running.sync.is_owned() {
                tracing::info!(job_id = %running.sync.job_id(), "the wait timed out; the job was not started here, so it keeps running");
            }
            self.finish_running(slot, FleetOutcome::TimedOut { cancelled: false });
        }
    }

    /// Cancels the job of `slot` (around the gate: a cancel must not wait behind polls).
    fn cancel(&mut self, slot: usize, ending: Ending) {
        let phase = std::mem::replace(&mut self.slots[slot].phase, Phase::Done);
        let Phase::Running(running) = phase else {
            self.slots[slot].phase = phase;
            return;
        };
        let sync = running.sync.clone();
        self.slots[slot].phase = Phase::Cancelling(running, ending);
        self.in_flight.push(Box::pin(async move {
            match sync.cancel_within_limit().await {
                Some(job) => Done::Cancelled {
                    slot,
                    job: Some(job),
                    accepted: true,
                },
                // The job may have ended since its last poll (a cancel then gets 409, not
                // running): read it, to report it as it ended rather than as running.
                None => Done::Cancelled {
                    slot,
                    job: tokio::time::timeout(READ_AFTER_FAILED_CANCEL, sync.job())
                        .await
                        .ok()
                        .and_then(Result::ok),
                    accepted: false,
                },
            }
        }));
    }

    fn on_cancelled(&mut self, slot: usize, job: Option<JobResponse>, accepted: bool) {
        let phase = std::mem::replace(&mut self.slots[slot].phase, Phase::Done);
        let Phase::Cancelling(mut running, ending) = phase else {
            self.slots[slot].phase = phase;
            return;
        };
        let status = job.as_ref().map(|job| job.status.clone());
        if let Some(job) = job {
            running.last = Some(job);
        }
        self.slots[slot].phase = Phase::Running(running);
        let outcome = match status {
            // It ended by itself before the cancel: as it ended.
            Some(JobStatus::Succeeded) => FleetOutcome::Succeeded,
            Some(JobStatus::Failed) => FleetOutcome::Failed,
            // Cancelled by someone else first.
            Some(JobStatus::Cancelled) if !accepted => FleetOutcome::Failed,
            _ => match ending {
                Ending::TimedOut => FleetOutcome::TimedOut {
                    cancelled: accepted,
                },
                Ending::Stopped => FleetOutcome::Stopped {
                    cancelled: accepted,
                },
            },
        };
        self.finish_running(slot, outcome);
    }

    /// Reports the result of a job that was started or followed.
    fn finish_running(&mut self, slot: usize, outcome: FleetOutcome) {
        let phase = std::mem::replace(&mut self.slots[slot].phase, Phase::Done);
        let (Phase::Running(running) | Phase::Cancelling(running, _)) = phase else {
            return;
        };
        lock(&self.shared.running).remove(&running.sync.job_id());
        let Running {
            sync,
            started,
            last,
            ..
        } = *running;
        self.active = self.active.saturating_sub(1);
        self.report(slot, Some(sync), last, outcome, started.elapsed());
    }

    /// Reports a connection whose job was not started (the run stopped first).
    fn finish_unstarted(&mut self, slot: usize) {
        self.finish_unstarted_with(slot, FleetOutcome::NotStarted);
    }

    fn finish_unstarted_with(&mut self, slot: usize, outcome: FleetOutcome) {
        let was = std::mem::replace(&mut self.slots[slot].phase, Phase::Done);
        match was {
            Phase::Done => return,
            Phase::Starting { .. } => self.active = self.active.saturating_sub(1),
            _ => {}
        }
        self.report(slot, None, None, outcome, Duration::ZERO);
    }

    fn report(
        &mut self,
        slot: usize,
        sync: Option<SyncResult>,
        job: Option<JobResponse>,
        outcome: FleetOutcome,
        waited: Duration,
    ) {
        self.unfinished -= 1;
        let state = &self.slots[slot];
        let status = job.as_ref().map(|job| job.status.clone());
        tracing::debug!(connection = %state.connection.id(), outcome = outcome.label(), ?status, "a fleet job ended");
        self.send(FleetEvent::Finished(Box::new(FleetJob {
            connection: state.connection.clone(),
            name: state.name.clone(),
            sync,
            job,
            outcome,
            polls: state.polls,
            waited,
            timeout: self.settings.wait.timeout,
        })));
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
