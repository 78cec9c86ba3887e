//! What a fleet operation reports: events as it goes, one result per connection as each job
//! ends, and a summary at the end.

use std::time::Duration;

use airbyte_models::{JobResponse, JobStatus};

use crate::{CloudConnection, Error, SyncResult};

/// How the job of one connection ended, as far as this run is concerned.
#[derive(Debug)]
#[non_exhaustive]
pub enum FleetOutcome {
    /// The job succeeded.
    Succeeded,
    /// The job ended without success (failed, or cancelled by someone); see
    /// [`FleetJob::job`] for its status.
    Failed,
    /// The wait reached its timeout; the job was cancelled when the rules allowed it (a job
    /// this run started, or any job with
    /// [`WaitOptions::cancel_unowned_on_timeout`](crate::WaitOptions::cancel_unowned_on_timeout)).
    /// A job found ended when it was to be cancelled (it ended after its last poll) is
    /// reported as it ended instead.
    TimedOut {
        /// Whether the job was cancelled.
        cancelled: bool,
    },
    /// The run was stopped while the job ran ([`FleetHandle::stop`](crate::FleetHandle::stop)
    /// or the run's own time limit); it was cancelled only if this run started it and
    /// cancelling was asked for.
    Stopped {
        /// Whether the job was cancelled.
        cancelled: bool,
    },
    /// The run was stopped before this connection's job was started: nothing was sent for it.
    NotStarted,
    /// The connection is not active, so no job was started (a tag, a name pattern or `All`
    /// selected it; the server refuses jobs on an inactive connection).
    Skipped,
    /// The job could not be started or followed: the error says why (another job running, a
    /// rate limit that outlasted the resends, polls that kept failing, ...). A job that was
    /// started (or followed) and then could no longer be read is not cancelled: it may still be
    /// running on the server, and [`FleetJob::may_still_run`] says so.
    Error(Error),
}

impl FleetOutcome {
    /// A short word for tables: `succeeded`, `failed`, `timed out`, `stopped`, `not started`,
    /// `skipped`, `error`.
    #[must_use]
    pub fn label(&self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::TimedOut { .. } => "timed out",
            Self::Stopped { .. } => "stopped",
            Self::NotStarted => "not started",
            Self::Skipped => "skipped",
            Self::Error(_) => "error",
        }
    }

    /// Whether the job failed, timed out or could not run: what makes a fleet run fail.
    /// Skipped connections and a run stopped on request are not failures.
    #[must_use]
    pub fn is_failure(&self) -> bool {
        matches!(self, Self::Failed | Self::TimedOut { .. } | Self::Error(_))
    }
}

/// The result for one connection: its job (if one was started or followed), how it ended, and
/// how the wait went.
#[derive(Debug)]
pub struct FleetJob {
    pub(crate) connection: CloudConnection,
    pub(crate) name: String,
    pub(crate) sync: Option<SyncResult>,
    pub(crate) job: Option<JobResponse>,
    pub(crate) outcome: FleetOutcome,
    pub(crate) polls: u32,
    pub(crate) waited: Duration,
    pub(crate) timeout: Option<Duration>,
}

impl FleetJob {
    /// The connection.
    #[must_use]
    pub fn connection(&self) -> &CloudConnection {
        &self.connection
    }

    /// The connection's name, as listed.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The job, when one was started or followed. [`SyncResult::is_owned`] tells whether this
    /// run started it.
    #[must_use]
    pub fn sync(&self) -> Option<&SyncResult> {
        self.sync.as_ref()
    }

    /// The job as last read (final unless the wait ended first).
    #[must_use]
    pub fn job(&self) -> Option<&JobResponse> {
        self.job.as_ref()
    }

    /// How it ended.
    #[must_use]
    pub fn outcome(&self) -> &FleetOutcome {
        &self.outcome
    }

    /// Whether the job succeeded.
    #[must_use]
    pub fn is_success(&self) -> bool {
        matches!(self.outcome, FleetOutcome::Succeeded)
    }

    /// Whether the job may still be running on the server although this run stopped
    /// following it without cancelling it: its wait timed out or the run was stopped and it
    /// was not cancelled ([`FleetOutcome::TimedOut`] or [`FleetOutcome::Stopped`] with
    /// `cancelled: false`), or its status polls kept failing ([`FleetOutcome::Error`] after
    /// the job was started or followed). Such a job runs on until it ends or someone cancels
    /// it ([`SyncResult::cancel`] on [`sync`](Self::sync)); a job last read as ended is never
    /// left running.
    #[must_use]
    pub fn may_still_run(&self) -> bool {
        let left = matches!(
            self.outcome,
            FleetOutcome::TimedOut { cancelled: false }
                | FleetOutcome::Stopped { cancelled: false }
                | FleetOutcome::Error(_)
        );
        left && self.sync.is_some() && !self.job.as_ref().is_some_and(|job| job.status.is_final())
    }

    /// How many times the job's status was read.
    #[must_use]
    pub fn polls(&self) -> u32 {
        self.polls
    }

    /// How long the job was waited for (from its start, or from the attach).
    #[must_use]
    pub fn waited(&self) -> Duration {
        self.waited
    }

    /// The result as the single-connection calls give it: the job when it succeeded, else the
    /// error a [`RunSync`](crate::RunSync) would have returned ([`Error::SyncFailed`] without
    /// the failure reason, which [`SyncResult::success_or_error`] reads; [`Error::SyncTimedOut`];
    /// the error that stopped it), or [`Error::InvalidInput`] for a connection skipped or
    /// never started.
    ///
    /// # Errors
    ///
    /// As described.
    pub fn into_result(self) -> crate::Result<SyncResult> {
        let status = self
            .job
            .as_ref()
            .map_or(JobStatus::Pending, |job| job.status.clone());
        match (self.outcome, self.sync) {
            (FleetOutcome::Succeeded, Some(sync)) => Ok(sync),
            (FleetOutcome::Error(error), _) => Err(error),
            (FleetOutcome::Failed, Some(sync)) => Err(Error::SyncFailed {
                connection_id: sync.connection().id().clone(),
                job_id: sync.job_id(),
                status,
                message: None,
                job_url: sync.job_url(),
            }),
            (
                FleetOutcome::TimedOut { cancelled } | FleetOutcome::Stopped { cancelled },
                Some(sync),
            ) => Err(sync.timed_out(self.timeout.unwrap_or(self.waited), status, cancelled)),
            (outcome, _) => Err(Error::invalid(format!(
                "connection {} ({}): {}",
                self.name,
                self.connection.id(),
                outcome.label()
            ))),
        }
    }
}

/// What happens during a fleet run, in order. Each selected connection gets exactly one
/// [`FleetEvent::Finished`].
#[derive(Debug)]
#[non_exhaustive]
pub enum FleetEvent {
    /// The connections were selected: `total` results will follow, `skipped` of them for
    /// inactive connections.
    Selected {
        /// How many connections were selected.
        total: usize,
        /// How many of them are skipped (inactive).
        skipped: usize,
    },
    /// A job was started (or, when attaching, a running one followed: see
    /// [`SyncResult::is_owned`]).
    Started {
        /// The connection's name.
        name: String,
        /// The job.
        sync: SyncResult,
    },
    /// A job's status was read and it is still running.
    Progress {
        /// The connection's name.
        name: String,
        /// The job.
        sync: SyncResult,
        /// The job as read.
        job: JobResponse,
    },
    /// The server refused a request with 429: fewer requests are sent at once, and more
    /// slowly, from now on (both grow again while the server answers).
    Throttled {
        /// How many requests may be in flight now.
        in_flight: usize,
        /// The pace now kept, requests per second (`None` until enough answers came to
        /// measure the server's rate).
        per_second: Option<f64>,
    },
    /// A connection's result, as soon as it is known.
    Finished(Box<FleetJob>),
}

/// Counters of a fleet run's own requests (starts and status polls; cancels and the list of
/// connections go through the transport's usual retries and are not counted).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FleetStats {
    /// Requests sent (429s and resends included).
    pub requests: u64,
    /// Requests refused with 429.
    pub throttled: u64,
    /// Requests sent again after a 429 or a transient failure.
    pub resends: u64,
    /// The least requests allowed in flight at once during the run.
    pub lowest_in_flight: usize,
    /// The most requests allowed in flight at once during the run.
    pub peak_in_flight: usize,
}

/// Every result of a fleet run, in the order the jobs ended.
#[derive(Debug)]
pub struct FleetSummary {
    pub(crate) jobs: Vec<FleetJob>,
    pub(crate) elapsed: Duration,
    pub(crate) stats: FleetStats,
}

impl FleetSummary {
    /// The results, in the order the jobs ended.
    #[must_use]
    pub fn jobs(&self) -> &[FleetJob] {
        &self.jobs
    }

    /// The results, taken out.
    #[must_use]
    pub fn into_jobs(self) -> Vec<FleetJob> {
        self.jobs
    }

    /// How long the run took.
    #[must_use]
    pub fn elapsed(&self) -> Duration {
        self.elapsed
    }

    /// The run's request counters.
    #[must_use]
    pub fn stats(&self) -> FleetStats {
        self.stats
    }

    /// How many results have this label ([`FleetOutcome::label`]).
    #[must_use]
    pub fn count(&self, label: &str) -> usize {
        self.jobs
            .iter()
            .filter(|job| job.outcome.label() == label)
            .count()
    }

    /// Whether any job failed, timed out or could not run.
    #[must_use]
    pub fn has_failures(&self) -> bool {
        self.jobs.iter().any(|job| job.outcome.is_failure())
    }
}
