//! A fleet run as a [`Stream`] of events, and a handle to stop it or cancel the jobs it
//! started from elsewhere (a Ctrl-C handler).

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll};

use airbyte_models::{ConnectionId, JobId, JobResponse};
use futures_core::Stream;
use futures_util::StreamExt;
use tokio::sync::{mpsc, watch};
use tokio::time::Instant;

use super::outcome::{FleetEvent, FleetJob, FleetStats, FleetSummary};
use crate::{CloudConnection, Result, SyncResult};

/// How to stop a fleet run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopMode {
    /// Start nothing more and stop waiting: the jobs running keep running (each is reported
    /// as [`FleetOutcome::Stopped`](crate::FleetOutcome::Stopped) with the job, so it can be
    /// followed later).
    LeaveRunning,
    /// Start nothing more and cancel the jobs this run started. Jobs it attached to (started by
    /// someone else) are never cancelled this way.
    CancelStarted,
}

/// What the run and its handles share.
pub(crate) struct Shared {
    pub(crate) stop: watch::Sender<Option<StopMode>>,
    /// Jobs started or followed and not yet ended.
    pub(crate) running: Mutex<BTreeMap<JobId, SyncResult>>,
    /// Connections whose job start was sent and not yet answered.
    pub(crate) starting: Mutex<BTreeMap<ConnectionId, CloudConnection>>,
    pub(crate) stats: Mutex<FleetStats>,
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self {
            stop: watch::channel(None).0,
            running: Mutex::new(BTreeMap::new()),
            starting: Mutex::new(BTreeMap::new()),
            stats: Mutex::new(FleetStats::default()),
        })
    }
}

/// A handle on a fleet run: cheap to clone, usable from another task (a signal handler)
/// while the run is read, and after it was dropped.
#[derive(Clone)]
pub struct FleetHandle {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for FleetHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FleetHandle")
            .field("stop", &*self.shared.stop.borrow())
            .field("running", &lock(&self.shared.running).len())
            .field("starting", &lock(&self.shared.starting).len())
            .finish()
    }
}

impl FleetHandle {
    /// Asks the run to stop. The run's stream then reports a result for every connection left
    /// ([`FleetOutcome::NotStarted`](crate::FleetOutcome::NotStarted) or
    /// [`FleetOutcome::Stopped`](crate::FleetOutcome::Stopped)) and ends; a start already
    /// sent is waited for, so that its job is reported too. The first stop asked for counts.
    pub fn stop(&self, mode: StopMode) {
        self.shared.stop.send_if_modified(|stop| {
            if stop.is_none() {
                *stop = Some(mode);
                true
            } else {
                false
            }
        });
    }

    /// The jobs started or followed by the run that have not ended (as far as it knows).
    #[must_use]
    pub fn running(&self) -> Vec<SyncResult> {
        lock(&self.shared.running).values().cloned().collect()
    }

    /// The connections whose job start was sent and not answered yet. While the run is read,
    /// each start is waited for (its job then shows in [`FleetHandle::running`]). Once the run
    /// was dropped (a Ctrl-C), a job may have started on each of these without the run ever
    /// hearing of it: this handle can neither name nor cancel it (a sync found running there
    /// may be another caller's), so tell the user to look at these connections' jobs.
    #[must_use]
    pub fn starting(&self) -> Vec<CloudConnection> {
        lock(&self.shared.starting).values().cloned().collect()
    }

    /// Stops the run (leaving it nothing to start) and cancels, now and all at once, the jobs
    /// it started that have not ended, each given at most
    /// [`CANCEL_AFTER_TIMEOUT_LIMIT`](crate::CANCEL_AFTER_TIMEOUT_LIMIT). For when the run's
    /// stream is no longer read (a Ctrl-C that dropped it); otherwise
    /// [`FleetHandle::stop`] with [`StopMode::CancelStarted`] reports each cancel in the
    /// stream. Jobs the run attached to are left running. Returns each job with its state as
    /// the cancel answered, or `None` when it could not be cancelled. A start that was still
    /// in flight when the run was dropped is not among them: see [`FleetHandle::starting`].
    pub async fn cancel_started(&self) -> Vec<(SyncResult, Option<JobResponse>)> {
        self.stop(StopMode::LeaveRunning);
        let owned: Vec<SyncResult> = self
            .running()
            .into_iter()
            .filter(SyncResult::is_owned)
            .collect();
        let cancels = owned.iter().map(SyncResult::cancel_within_limit);
        let answers = futures_util::future::join_all(cancels).await;
        owned.into_iter().zip(answers).collect()
    }

    /// The run's request counters so far.
    #[must_use]
    pub fn stats(&self) -> FleetStats {
        *lock(&self.shared.stats)
    }
}

/// A fleet run: a [`Stream`] of [`FleetEvent`]s, one [`FleetEvent::Finished`] per connection
/// as soon as its job ends (so in the order the jobs end, not the order they were selected).
///
/// Nothing is sent until the stream is read, and the run advances only while it is read: it
/// is driven by the reader, without a task of its own. Dropping it stops waiting at once and
/// leaves every job running (as dropping a [`RunSync`](crate::RunSync) does); to cancel the
/// jobs it started, use [`FleetHandle::stop`] with [`StopMode::CancelStarted`] and read on
/// (starts already sent are waited for, so their jobs are cancelled too), or
/// [`FleetHandle::cancel_started`] (starts in flight when it was dropped are then only
/// named, by [`FleetHandle::starting`]).
///
/// An `Err` item (the selection could not be read, or the settings are invalid) comes before
/// anything is started, and ends the stream.
#[must_use = "a fleet run does nothing until its stream is read"]
pub struct FleetRun {
    driver: Option<Pin<Box<dyn Future<Output = ()> + Send>>>,
    events: mpsc::UnboundedReceiver<Result<FleetEvent>>,
    shared: Arc<Shared>,
    started: Instant,
}

impl std::fmt::Debug for FleetRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FleetRun")
            .field("running", &self.driver.is_some())
            .finish_non_exhaustive()
    }
}

impl FleetRun {
    pub(crate) fn new(
        shared: Arc<Shared>,
        driver: impl Future<Output = ()> + Send + 'static,
        events: mpsc::UnboundedReceiver<Result<FleetEvent>>,
    ) -> Self {
        Self {
            driver: Some(Box::pin(driver)),
            events,
            shared,
            started: Instant::now(),
        }
    }

    /// A handle to stop the run or cancel its jobs from elsewhere.
    #[must_use]
    pub fn handle(&self) -> FleetHandle {
        FleetHandle {
            shared: self.shared.clone(),
        }
    }

    /// Only the results, one per connection, as each job ends.
    pub fn results(self) -> impl Stream<Item = Result<FleetJob>> + Send {
        self.filter_map(|event| {
            std::future::ready(match event {
                Ok(FleetEvent::Finished(job)) => Some(Ok(*job)),
                Ok(_) => None,
                Err(error) => Some(Err(error)),
            })
        })
    }

    /// Reads the whole run and collects its results.
    ///
    /// # Errors
    ///
    /// The error that kept the run from starting (invalid settings, a selection that could not
    /// be read, unknown connection IDs); a job that failed is a result, not an error.
    pub async fn summary(mut self) -> Result<FleetSummary> {
        let mut jobs = Vec::new();
        while let Some(event) = self.next().await {
            if let FleetEvent::Finished(job) = event? {
                jobs.push(*job);
            }
        }
        Ok(FleetSummary {
            jobs,
            elapsed: self.started.elapsed(),
            stats: *lock(&self.shared.stats),
        })
    }
}

impl Stream for FleetRun {
    type Item = Result<FleetEvent>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Poll::Ready(Some(event)) = self.events.poll_recv(cx) {
            return Poll::Ready(Some(event));
        }
        if let Some(driver) = self.driver.as_mut() {
            if driver.as_mut().poll(cx).is_ready() {
                // The driver is done and has dropped its sender: what is left is in the channel.
                self.driver = None;
            }
            // Events the driver sent while it was polled.
            return self.events.poll_recv(cx);
        }
        self.events.poll_recv(cx)
    }
}
