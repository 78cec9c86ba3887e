//! Fleet operations: many syncs started and waited for at once, and the state of every
//! connection at a glance.
//!
//! [`CloudWorkspace::sync_many`] starts the syncs of a selection of connections (a list, a
//! tag, a name pattern, or all) with at most `parallel` running at once, and waits for all of
//! them with one scheduler: the status polls of every job come from one queue of timers, each
//! job on its own backoff, and every request passes one gate. Airbyte Cloud answers 429
//! without `Retry-After`; each 429 lowers how many requests the run sends at once, which then
//! grows again as answers come (additive increase, multiplicative decrease), and the refused
//! request is sent again after a backoff, within a budget. A 429 that does carry
//! `Retry-After` holds every request of the run that long (at most two minutes, as the
//! transport honours it; a start refused for longer is reported as an error, nothing started).
//! A fixed cap on the request rate is an option. Results come as a [`Stream`](futures_core::Stream), each as soon as its job
//! ends; [`FleetRun::summary`] collects them.
//!
//! Jobs are owned as single syncs own theirs: a job this run started is cancelled on a
//! timeout (unless told not to) and on [`StopMode::CancelStarted`]; a job it attached to
//! (with [`SyncMany::attach_if_running`]) never is, unless the wait options say so for a
//! timeout.
//!
//! ```no_run
//! use airbyte_cloud::{CloudWorkspace, ConnectionSelection, FleetEvent};
//! use futures_util::StreamExt;
//!
//! # async fn demo() -> airbyte_cloud::Result<()> {
//! let workspace = CloudWorkspace::from_env()?;
//! let mut run = workspace
//!     .sync_many(ConnectionSelection::tag("nightly")?)
//!     .parallel(20)
//!     .start();
//! while let Some(event) = run.next().await {
//!     if let FleetEvent::Finished(job) = event? {
//!         println!("{}: {}", job.name(), job.outcome().label());
//!     }
//! }
//! # Ok(())
//! # }
//! ```
//!
//! [`CloudWorkspace::connections_status`] reads the latest sync of every connection, failures
//! first.

mod limiter;
mod outcome;
mod run;
mod scheduler;
mod selection;
mod status;

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

pub use outcome::{FleetEvent, FleetJob, FleetOutcome, FleetStats, FleetSummary};
pub use run::{FleetHandle, FleetRun, StopMode};
pub use selection::{ConnectionSelection, NameGlob, SelectedConnections};
pub use status::{ConnectionHealth, ConnectionsStatus, Health};

use crate::{CloudWorkspace, Result, WaitOptions};

/// Starts the syncs of many connections and waits for them; returned by
/// [`CloudWorkspace::sync_many`]. Await it for a [`FleetSummary`], or call
/// [`SyncMany::start`] for the events as they come.
///
/// The settings are checked before anything is sent: `parallel` of at least 1, valid
/// [`WaitOptions`], a rate cap above zero.
#[must_use = "a fleet sync does nothing until started or awaited"]
#[derive(Debug)]
pub struct SyncMany {
    workspace: CloudWorkspace,
    selection: ConnectionSelection,
    settings: scheduler::Settings,
}

impl SyncMany {
    /// At most this many jobs running at once (default 10). The run sends at most this many
    /// requests at once, fewer while the server answers 429.
    pub fn parallel(mut self, parallel: usize) -> Self {
        self.settings.parallel = parallel;
        self
    }

    /// How to wait for each job: its poll interval and backoff, its timeout (counted from its
    /// start), what to cancel on timeout, how many failed polls in a row end the wait. Default:
    /// [`WaitOptions::default`].
    pub fn wait_options(mut self, options: WaitOptions) -> Self {
        self.settings.wait = options;
        self
    }

    /// Give up waiting for a job this long after its start (default 30 minutes); the job is
    /// then cancelled if this run started it (see [`SyncMany::cancel_on_timeout`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.settings.wait.timeout = Some(timeout);
        self
    }

    /// The first wait between two polls of a job (it grows up to the longest interval of the
    /// wait options).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.settings.wait.poll_interval = interval;
        self.settings.wait.max_poll_interval = self.settings.wait.max_poll_interval.max(interval);
        self
    }

    /// Cancel a job this run started when its wait times out (default: yes).
    pub fn cancel_on_timeout(mut self, cancel: bool) -> Self {
        self.settings.wait.cancel_on_timeout = cancel;
        self
    }

    /// When a sync already runs on a connection, follow it instead of reporting
    /// [`Error::SyncAlreadyRunning`](crate::Error::SyncAlreadyRunning) (default: no). A job
    /// followed was started by someone else: it is not cancelled on a timeout unless
    /// [`SyncMany::cancel_attached_on_timeout`], and never by a stop.
    pub fn attach_if_running(mut self, attach: bool) -> Self {
        self.settings.attach_if_running = attach;
        self
    }

    /// Cancel a job followed with [`SyncMany::attach_if_running`] when its wait times out,
    /// although someone else started it (default: no).
    pub fn cancel_attached_on_timeout(mut self, cancel: bool) -> Self {
        self.settings.wait.cancel_unowned_on_timeout = cancel;
        self
    }

    /// Never send more than this many requests per second (starts and polls), whatever the
    /// server allows (default: no cap; the pace adapts to 429s). Requests go one interval
    /// apart; after a late wake (a busy machine) the run catches up on at most a tenth of a
    /// second's worth (at least one request) at once, so a cap set to a server's rate limit
    /// avoids 429s when that limit allows bursts of that size. At least one request an hour
    /// (`1.0 / 3600.0`); the run refuses a lower cap, or one that is not a finite number.
    /// Cancels (on a timeout or a stop) are not held back by it.
    pub fn max_request_rate(mut self, per_second: f64) -> Self {
        self.settings.max_request_rate = Some(per_second);
        self
    }

    /// How many requests the whole run may send again after a 429 or a transient failure
    /// (default: 100 plus 10 per connection). One request is sent at most 30 times.
    pub fn resend_budget(mut self, resends: u64) -> Self {
        self.settings.resend_budget = Some(resends);
        self
    }

    /// Stop the whole run after this long (default: no limit beyond each job's timeout):
    /// connections not started by then are reported as not started, and running jobs time out
    /// (and are cancelled as [`SyncMany::cancel_on_timeout`] says).
    pub fn run_timeout(mut self, timeout: Duration) -> Self {
        self.settings.run_timeout = Some(timeout);
        self
    }

    /// The connections the run would sync (and those it would skip), read now; nothing is
    /// started. For a dry run, or to confirm before starting.
    ///
    /// # Errors
    ///
    /// As the run's first error: a list that fails, unknown connection IDs.
    pub async fn preview(&self) -> Result<SelectedConnections> {
        selection::resolve(&self.workspace, &self.selection).await
    }

    /// The run, as a stream of events. Nothing is sent until it is read.
    pub fn start(self) -> FleetRun {
        let shared = run::Shared::new();
        let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
        let driver = scheduler::drive(
            self.workspace,
            self.selection,
            self.settings,
            shared.clone(),
            sender,
        );
        FleetRun::new(shared, driver, receiver)
    }

    /// Runs to the end and collects every result.
    ///
    /// # Errors
    ///
    /// As [`FleetRun::summary`].
    pub async fn summary(self) -> Result<FleetSummary> {
        self.start().summary().await
    }
}

impl IntoFuture for SyncMany {
    type Output = Result<FleetSummary>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.summary())
    }
}

impl CloudWorkspace {
    /// Starts a sync of every selected connection and waits for them all, with at most
    /// [`SyncMany::parallel`] running at once; see the [module](crate::fleet) for how.
    pub fn sync_many(&self, selection: ConnectionSelection) -> SyncMany {
        SyncMany {
            workspace: self.clone(),
            selection,
            settings: scheduler::Settings {
                parallel: 10,
                wait: WaitOptions::default(),
                attach_if_running: false,
                max_request_rate: None,
                resend_budget: None,
                run_timeout: None,
            },
        }
    }
}
