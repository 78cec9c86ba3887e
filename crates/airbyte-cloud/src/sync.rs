//! Syncs and other jobs: starting them, waiting (with backoff, a timeout and cancel on
//! timeout), attaching to a running sync, attempts and their logs, and job history.
//!
//! A job is only ever reached through its own connection: every read checks that the job
//! belongs to the connection, and the connection to the workspace, before anything is
//! changed. A wait never cancels a job it did not start unless told to, and its timeout bounds
//! everything, a status poll that hangs included.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use airbyte_models::ops::{self, JobListParams, JobOrder};
use airbyte_models::{
    AttemptInfoRead, AttemptStatus, ConnectionStatus, JobCreateRequest, JobId, JobInfoRead,
    JobResponse, JobStatus, JobType, OffsetDateTime,
};
use tokio::time::Instant;

use crate::ResourceKind;
use crate::cache::Cached;
use crate::error::missing_on_404;
use crate::listing::{ItemKeys, ListItems, ListRequest, Paging};
use crate::{CloudConnection, Error, Result};

/// How to wait for a job.
///
/// Checked before anything is sent ([`WaitOptions::validate`]): a zero poll interval, a backoff
/// factor below 1 or not finite, a longest interval below the first one, or a zero timeout is
/// refused.
#[derive(Clone, Debug, PartialEq)]
pub struct WaitOptions {
    /// The first wait between two polls (default 2 s).
    pub poll_interval: Duration,
    /// The longest wait between two polls (default 30 s).
    pub max_poll_interval: Duration,
    /// How much the wait grows after each poll (default 1.5).
    pub backoff_factor: f64,
    /// Give up after this long (default 30 minutes); `None` (or a duration too long for the
    /// clock, such as `Duration::MAX`) waits forever. It bounds the whole
    /// wait: a status poll in flight gets only what is left.
    pub timeout: Option<Duration>,
    /// Cancel the job when the timeout is reached, if this call started it (default: yes).
    pub cancel_on_timeout: bool,
    /// Cancel the job when the timeout is reached even though this call did not start it (a
    /// job attached to, looked up by ID or read from the history), which may belong to another
    /// caller (default: no).
    pub cancel_unowned_on_timeout: bool,
    /// How many polls in a row may fail with a transient error (the transport has already
    /// retried each) before the wait gives up (default 10).
    pub max_consecutive_poll_errors: u32,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            poll_interval: Duration::from_secs(2),
            max_poll_interval: Duration::from_secs(30),
            backoff_factor: 1.5,
            timeout: Some(Duration::from_secs(30 * 60)),
            cancel_on_timeout: true,
            cancel_unowned_on_timeout: false,
            max_consecutive_poll_errors: 10,
        }
    }
}

impl WaitOptions {
    /// Checks the settings.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a zero poll interval (a busy loop), a backoff factor below 1
    /// or not finite, a longest interval below the first one, or a zero timeout (it would give
    /// up before the first poll, and cancel a job just started).
    pub fn validate(&self) -> Result<()> {
        if self.poll_interval.is_zero() {
            return Err(Error::invalid("the poll interval must be longer than zero"));
        }
        if !self.backoff_factor.is_finite() || self.backoff_factor < 1.0 {
            return Err(Error::invalid(format!(
                "the backoff factor must be a finite number of at least 1, not {}",
                self.backoff_factor
            )));
        }
        if self.timeout.is_some_and(|timeout| timeout.is_zero()) {
            return Err(Error::invalid(
                "a zero timeout gives up (and cancels a job it started) before the first poll; \
                 to start a job without waiting for it, do not wait",
            ));
        }
        if self.max_poll_interval < self.poll_interval {
            return Err(Error::invalid(format!(
                "the longest poll interval ({:?}) must not be shorter than the first ({:?})",
                self.max_poll_interval, self.poll_interval
            )));
        }
        Ok(())
    }

    /// The wait after `interval`: grown by the backoff factor, at most the longest interval
    /// (also when the grown wait is more than a `Duration` holds).
    pub(crate) fn next_interval(&self, interval: Duration) -> Duration {
        let grown = interval.as_secs_f64() * self.backoff_factor;
        Duration::try_from_secs_f64(grown)
            .unwrap_or(Duration::MAX)
            .min(self.max_poll_interval)
    }
}

/// How long cancelling a job after a wait's timeout may take, beyond the timeout.
pub const CANCEL_AFTER_TIMEOUT_LIMIT: Duration = Duration::from_secs(10);

/// How long reading a job may take after a cancel that failed (the job may have ended since
/// its last poll), beyond [`CANCEL_AFTER_TIMEOUT_LIMIT`].
pub(crate) const READ_AFTER_FAILED_CANCEL: Duration = Duration::from_secs(5);

/// One attempt of a job, with its logs (from the Config API).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncAttempt {
    number: usize,
    info: AttemptInfoRead,
}

impl SyncAttempt {
    /// The attempt's position, from 1.
    #[must_use]
    pub fn number(&self) -> usize {
        self.number
    }

    /// The server's attempt ID.
    #[must_use]
    pub fn attempt_id(&self) -> i64 {
        self.info.attempt.id
    }

    /// The status.
    #[must_use]
    pub fn status(&self) -> &AttemptStatus {
        &self.info.attempt.status
    }

    /// Bytes synced.
    #[must_use]
    pub fn bytes_synced(&self) -> i64 {
        self.info.attempt.bytes_synced.unwrap_or(0)
    }

    /// Records synced.
    #[must_use]
    pub fn records_synced(&self) -> i64 {
        self.info.attempt.records_synced.unwrap_or(0)
    }

    /// When the attempt started.
    #[must_use]
    pub fn created_at(&self) -> Option<OffsetDateTime> {
        self.info.attempt.created_at.to_datetime()
    }

    /// When the attempt ended.
    #[must_use]
    pub fn ended_at(&self) -> Option<OffsetDateTime> {
        self.info
            .attempt
            .ended_at
            .as_ref()
            .and_then(airbyte_models::EpochSeconds::to_datetime)
    }

    /// The reason of the attempt's first failure, if it failed.
    #[must_use]
    pub fn failure_message(&self) -> Option<String> {
        let failure = self
            .info
            .attempt
            .failure_summary
            .as_ref()?
            .failures
            .first()?;
        failure
            .external_message
            .clone()
            .or_else(|| failure.internal_message.clone())
    }

    /// The whole log as text (structured events or plain lines, whichever the server sent).
    #[must_use]
    #[doc(alias = "get_full_log_text")]
    pub fn log_text(&self) -> String {
        self.info
            .logs
            .as_ref()
            .map(airbyte_models::AttemptLogs::to_text)
            .unwrap_or_default()
    }

    /// The log lines.
    #[must_use]
    pub fn log_lines(&self) -> Vec<String> {
        let text = self.log_text();
        if text.is_empty() {
            Vec::new()
        } else {
            text.lines().map(str::to_owned).collect()
        }
    }

    /// The Config API's description of the attempt.
    #[must_use]
    pub fn raw(&self) -> &AttemptInfoRead {
        &self.info
    }
}

/// A job of a connection: a sync, a reset or a clear.
///
/// The job is read again whenever it may have changed: a status that is not final is never
/// cached, and attempts are read again until the job is final. Before its first read or
/// change, the job is checked to belong to the connection (and the connection to the
/// workspace): a job ID of another connection gives [`Error::JobMismatch`] and is never
/// cancelled.
#[derive(Clone)]
pub struct SyncResult {
    connection: CloudConnection,
    job_id: JobId,
    owned: bool,
    verified: Arc<AtomicBool>,
    last: Cached<JobResponse>,
    final_info: Cached<JobInfoRead>,
}

impl fmt::Debug for SyncResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.cached().map(|job| job.status);
        f.debug_struct("SyncResult")
            .field("job_id", &self.job_id)
            .field("connection_id", self.connection.id())
            .field("owned", &self.owned)
            .field("last_status", &status)
            .finish()
    }
}

/// Checks that a job the server names (`connection_id` is the connection it says the job runs
/// for) is a job of `connection`.
fn job_of(connection: &CloudConnection, job_id: JobId, connection_id: &str) -> Result<()> {
    if connection_id == connection.id().as_str() {
        Ok(())
    } else {
        Err(Error::JobMismatch {
            job_id,
            expected: connection.id().clone(),
            actual: connection_id.to_owned(),
        })
    }
}

/// How a [`SyncResult`] came to be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    /// This SDK started the job through the result's [`RunSync`].
    Started,
    /// Read from a list of the connection's jobs, or looked up through the workspace with its
    /// connection (already checked to be the connection's).
    Listed,
    /// Attached to, or looked up by ID: not started here, not checked yet.
    Unchecked,
}

impl SyncResult {
    fn new(
        connection: CloudConnection,
        job_id: JobId,
        job: Option<JobResponse>,
        origin: Origin,
    ) -> Self {
        Self {
            connection,
            job_id,
            owned: origin == Origin::Started,
            verified: Arc::new(AtomicBool::new(origin != Origin::Unchecked)),
            last: Cached::new(job),
            final_info: Cached::new(None),
        }
    }

    /// Whether this SDK started the job through this result ([`CloudConnection::run_sync`]
    /// and the like), rather than attaching to it or looking it up. Only such jobs are
    /// cancelled when a wait times out, unless
    /// [`WaitOptions::cancel_unowned_on_timeout`] says otherwise.
    #[must_use]
    pub fn is_owned(&self) -> bool {
        self.owned
    }

    /// The job's ID.
    #[must_use]
    pub fn job_id(&self) -> JobId {
        self.job_id
    }

    /// The connection.
    #[must_use]
    pub fn connection(&self) -> &CloudConnection {
        &self.connection
    }

    /// The job in the web UI (the connection's timeline, anchored on this job). No request.
    #[must_use]
    pub fn job_url(&self) -> Option<String> {
        self.connection
            .job_history_url()
            .map(|url| format!("{url}#{}::0", self.job_id))
    }

    /// The job as last read, without a request.
    pub(crate) fn cached_job(&self) -> Option<JobResponse> {
        self.cached()
    }

    fn cached(&self) -> Option<JobResponse> {
        self.last.get()
    }

    /// Checks that a job read through this result is this connection's.
    fn check_belongs(&self, connection_id: &str) -> Result<()> {
        job_of(&self.connection, self.job_id, connection_id)
    }

    /// Reads the job (always a request), checking it belongs to the connection, and the
    /// connection to the workspace the first time.
    async fn fetch(&self) -> Result<JobResponse> {
        if !self.verified.load(Ordering::Acquire) {
            self.connection.verify_before_write().await?;
        }
        let job: JobResponse = self
            .connection
            .workspace()
            .execute_raw(ops::public::jobs::get(self.job_id))
            .await
            .map_err(missing_on_404(ResourceKind::Job, &self.job_id.to_string()))?;
        self.check_belongs(job.connection_id.as_str())?;
        self.verified.store(true, Ordering::Release);
        self.last.set(job.clone());
        Ok(job)
    }

    /// The job, read again unless a final status was already seen.
    ///
    /// # Errors
    ///
    /// [`Error::JobMismatch`] for a job of another connection; [`Error::MissingResource`];
    /// transport errors.
    pub async fn job(&self) -> Result<JobResponse> {
        if let Some(job) = self.cached().filter(|job| job.status.is_final())
            && self.verified.load(Ordering::Acquire)
        {
            return Ok(job);
        }
        self.fetch().await
    }

    /// The current status.
    ///
    /// # Errors
    ///
    /// Transport errors.
    #[doc(alias = "get_job_status")]
    pub async fn status(&self) -> Result<JobStatus> {
        Ok(self.job().await?.status)
    }

    /// Whether the job is over.
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn is_final(&self) -> Result<bool> {
        Ok(self.status().await?.is_final())
    }

    /// Bytes synced so far.
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn bytes_synced(&self) -> Result<i64> {
        Ok(self.job().await?.bytes_synced.unwrap_or(0))
    }

    /// Records synced so far.
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn records_synced(&self) -> Result<i64> {
        Ok(self.job().await?.rows_synced.unwrap_or(0))
    }

    /// When the job started (`None` when the server's value cannot be read).
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn start_time(&self) -> Result<Option<OffsetDateTime>> {
        Ok(self.job().await?.start_time.to_datetime())
    }

    /// The names of the connection's streams (as configured now).
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn stream_names(&self) -> Result<Vec<String>> {
        self.connection.stream_names().await
    }

    /// Cancels the job, after checking that it belongs to the connection (a job ID of another
    /// connection is never cancelled).
    ///
    /// # Errors
    ///
    /// [`Error::JobMismatch`] (nothing sent); transport errors; a job that is not running gives
    /// a conflict (409).
    pub async fn cancel(&self) -> Result<JobResponse> {
        if !self.verified.load(Ordering::Acquire) {
            self.fetch().await?;
        }
        let job = self
            .connection
            .workspace()
            .execute(ops::public::jobs::cancel(self.job_id))
            .await?;
        self.last.set(job.clone());
        Ok(job)
    }

    /// The job with its attempts and logs (Config API), read again until the job is final.
    /// The job is checked to belong to the connection, like the Public API reads.
    ///
    /// # Errors
    ///
    /// [`Error::JobMismatch`]; transport errors.
    pub async fn job_info(&self) -> Result<JobInfoRead> {
        if let Some(info) = self.final_info.get() {
            return Ok(info);
        }
        if !self.verified.load(Ordering::Acquire) {
            self.connection.verify_before_write().await?;
        }
        let info = self
            .connection
            .workspace()
            .execute(ops::config::get_job(self.job_id))
            .await?;
        self.check_belongs(&info.job.config_id)?;
        self.verified.store(true, Ordering::Release);
        if info.job.status.is_final() {
            self.final_info.set(info.clone());
        }
        Ok(info)
    }

    /// The attempts, oldest first.
    ///
    /// # Errors
    ///
    /// Transport errors.
    #[doc(alias = "get_attempts")]
    pub async fn attempts(&self) -> Result<Vec<SyncAttempt>> {
        Ok(self
            .job_info()
            .await?
            .attempts
            .into_iter()
            .enumerate()
            .map(|(index, info)| SyncAttempt {
                number: index + 1,
                info,
            })
            .collect())
    }

    /// The log of the last attempt (empty when there is none yet).
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn log_text(&self) -> Result<String> {
        Ok(self
            .attempts()
            .await?
            .last()
            .map(SyncAttempt::log_text)
            .unwrap_or_default())
    }

    /// Waits until the job is final and returns it, whatever its status. See [`WaitOptions`]:
    /// the timeout bounds the whole wait, and the job is cancelled on timeout only when this
    /// result started it (or when told to cancel jobs it did not start).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for invalid options (before anything is sent);
    /// [`Error::SyncTimedOut`]; [`Error::JobMismatch`]; transport errors when polls keep
    /// failing.
    pub async fn wait_for_completion(&self, options: &WaitOptions) -> Result<JobResponse> {
        self.wait_with_progress(options, |_| {}).await
    }

    /// Like [`SyncResult::wait_for_completion`], calling `on_poll` with the job after every
    /// successful poll (to show progress).
    ///
    /// # Errors
    ///
    /// As [`SyncResult::wait_for_completion`].
    pub async fn wait_with_progress(
        &self,
        options: &WaitOptions,
        mut on_poll: impl FnMut(&JobResponse) + Send,
    ) -> Result<JobResponse> {
        options.validate()?;
        let started = Instant::now();
        // A timeout too long for the clock (`Duration::MAX`) is no deadline at all.
        let deadline = options
            .timeout
            .and_then(|timeout| started.checked_add(timeout));
        let mut interval = options.poll_interval;
        let mut consecutive_errors = 0;
        let mut last_status = self.cached().map_or(JobStatus::Pending, |job| job.status);
        loop {
            // A poll gets only what is left of the wait.
            let poll = match deadline {
                Some(deadline) => tokio::time::timeout_at(deadline, self.job()).await,
                None => Ok(self.job().await),
            };
            match poll {
                Ok(Ok(job)) if job.status.is_final() => {
                    on_poll(&job);
                    return Ok(job);
                }
                Ok(Ok(job)) => {
                    on_poll(&job);
                    consecutive_errors = 0;
                    last_status = job.status;
                }
                Ok(Err(error))
                    if error.is_transient()
                        && consecutive_errors < options.max_consecutive_poll_errors =>
                {
                    consecutive_errors += 1;
                    tracing::warn!(job_id = %self.job_id, %error, "could not read the job's status; still waiting");
                }
                Ok(Err(error)) => return Err(error),
                Err(_elapsed) => {
                    // How a timeout is reached when polls are slow: expected, not a problem.
                    tracing::debug!(job_id = %self.job_id, "a status poll was still running at the timeout");
                }
            }
            if let (Some(deadline), Some(timeout)) = (deadline, options.timeout) {
                let remaining = deadline.saturating_duration_since(Instant::now());
                if remaining.is_zero() {
                    return self.time_out(options, timeout, last_status).await;
                }
                tokio::time::sleep(interval.min(remaining)).await;
            } else {
                tokio::time::sleep(interval).await;
            }
            interval = options.next_interval(interval);
        }
    }

    /// The end of a wait that reached its timeout: the job cancelled if the rules allow, and
    /// [`Error::SyncTimedOut`]; or the job, when the cancel found it ended since its last poll
    /// (the server refuses to cancel a job that is not running).
    async fn time_out(
        &self,
        options: &WaitOptions,
        timeout: Duration,
        status: JobStatus,
    ) -> Result<JobResponse> {
        let mut cancelled = false;
        if self.may_cancel_on_timeout(options) {
            cancelled = self.cancel_within_limit().await.is_some();
            if !cancelled
                && let Some(job) = tokio::time::timeout(READ_AFTER_FAILED_CANCEL, self.job())
                    .await
                    .ok()
                    .and_then(Result::ok)
                    .filter(|job| job.status.is_final())
            {
                return Ok(job);
            }
        } else if !self.owned {
            tracing::info!(job_id = %self.job_id, "the wait timed out; the job was not started here, so it keeps running");
        }
        Err(self.timed_out(timeout, status, cancelled))
    }

    /// Whether a wait that times out may cancel the job: one this result started when
    /// `cancel_on_timeout` says so, any other only when `cancel_unowned_on_timeout` does.
    pub(crate) fn may_cancel_on_timeout(&self, options: &WaitOptions) -> bool {
        if self.owned {
            options.cancel_on_timeout
        } else {
            options.cancel_unowned_on_timeout
        }
    }

    /// Cancels the job, giving up after [`CANCEL_AFTER_TIMEOUT_LIMIT`]; the job as the cancel
    /// answered, or `None` (with a warning) when it could not be cancelled.
    pub(crate) async fn cancel_within_limit(&self) -> Option<JobResponse> {
        match tokio::time::timeout(CANCEL_AFTER_TIMEOUT_LIMIT, self.cancel()).await {
            Ok(Ok(job)) => Some(job),
            Ok(Err(error)) => {
                tracing::warn!(job_id = %self.job_id, %error, "could not cancel the job");
                None
            }
            Err(_elapsed) => {
                tracing::warn!(job_id = %self.job_id, "cancelling the job took too long");
                None
            }
        }
    }

    /// The error of a wait that ran out of time after `timeout`, the job last seen `status`.
    pub(crate) fn timed_out(&self, timeout: Duration, status: JobStatus, cancelled: bool) -> Error {
        Error::SyncTimedOut {
            connection_id: self.connection.id().clone(),
            job_id: self.job_id,
            status,
            timeout,
            cancelled,
            job_url: self.job_url(),
        }
    }

    /// Waits until the job is final and fails unless it succeeded.
    ///
    /// # Errors
    ///
    /// [`Error::SyncFailed`] (with the last attempt's failure reason when available),
    /// [`Error::SyncTimedOut`], or transport errors.
    pub async fn wait_for_success(&self, options: &WaitOptions) -> Result<JobResponse> {
        let job = self.wait_for_completion(options).await?;
        self.success_or_error(job).await
    }

    /// The job when it succeeded; [`Error::SyncFailed`] (with the last attempt's failure
    /// reason when available) when it ended otherwise.
    ///
    /// # Errors
    ///
    /// [`Error::SyncFailed`].
    pub async fn success_or_error(&self, job: JobResponse) -> Result<JobResponse> {
        if job.status.is_success() {
            return Ok(job);
        }
        let message = match self.attempts().await {
            Ok(attempts) => attempts.iter().rev().find_map(SyncAttempt::failure_message),
            Err(_) => None,
        };
        Err(Error::SyncFailed {
            connection_id: self.connection.id().clone(),
            job_id: self.job_id,
            status: job.status,
            message,
            job_url: self.job_url(),
        })
    }
}

/// Starts a job of a connection; returned by [`CloudConnection::run_sync`],
/// [`CloudConnection::reset`] and [`CloudConnection::clear`]. Await it (or call
/// [`RunSync::send`]).
#[must_use = "a sync does nothing until awaited"]
#[derive(Debug)]
pub struct RunSync {
    connection: CloudConnection,
    job_type: JobType,
    wait: bool,
    options: WaitOptions,
    attach_if_running: bool,
    fail_on_failure: bool,
}

impl RunSync {
    /// Wait for the job to end (default: yes).
    pub fn wait(mut self, wait: bool) -> Self {
        self.wait = wait;
        self
    }

    /// Give up waiting after this long (default 30 minutes).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Wait without a time limit.
    pub fn no_timeout(mut self) -> Self {
        self.options.timeout = None;
        self
    }

    /// Cancel the job when the wait times out, if this call started it (default: yes).
    pub fn cancel_on_timeout(mut self, cancel: bool) -> Self {
        self.options.cancel_on_timeout = cancel;
        self
    }

    /// Cancel a job attached to (see [`RunSync::attach_if_running`]) when the wait times out,
    /// although this call did not start it and it may be another caller's (default: no).
    pub fn cancel_attached_on_timeout(mut self, cancel: bool) -> Self {
        self.options.cancel_unowned_on_timeout = cancel;
        self
    }

    /// The first wait between polls.
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.options.poll_interval = interval;
        self.options.max_poll_interval = self.options.max_poll_interval.max(interval);
        self
    }

    /// All wait settings at once.
    pub fn wait_options(mut self, options: WaitOptions) -> Self {
        self.options = options;
        self
    }

    /// When a job of the same type already runs on the connection (a sync for
    /// [`CloudConnection::run_sync`]; a reset or clear for [`CloudConnection::reset`] and
    /// [`CloudConnection::clear`]), follow it instead of failing (default: no). A running job
    /// of another type is never followed: the call fails with [`Error::OtherJobRunning`]. A job
    /// followed is not cancelled on timeout unless [`RunSync::cancel_attached_on_timeout`].
    pub fn attach_if_running(mut self, attach: bool) -> Self {
        self.attach_if_running = attach;
        self
    }

    /// Return an error when the job ends without success (default: yes); when off, the
    /// result is returned and its status tells.
    pub fn fail_on_failure(mut self, fail: bool) -> Self {
        self.fail_on_failure = fail;
        self
    }

    /// Starts the job, and waits for it unless told not to.
    ///
    /// When another job runs on the connection (the server answers 409), the running job is
    /// looked up: of the same type, it is followed when attaching and refused with
    /// [`Error::SyncAlreadyRunning`] otherwise; of another type (a reset while a sync is asked
    /// for, ...), the call fails with [`Error::OtherJobRunning`] naming it, without waiting:
    /// the caller decides whether to wait for it and start again.
    ///
    /// # Errors
    ///
    /// Before anything is sent: [`Error::InvalidInput`] for `refresh` (the Public API refuses
    /// it) or invalid wait options; [`Error::WorkspaceMismatch`]. Then
    /// [`Error::JobMismatch`] when the server answers with a job of another connection (that
    /// job is neither followed nor cancelled), [`Error::SyncAlreadyRunning`],
    /// [`Error::OtherJobRunning`], [`Error::SyncFailed`], [`Error::SyncTimedOut`], or
    /// transport errors.
    pub async fn send(self) -> Result<SyncResult> {
        if self.job_type == JobType::Refresh {
            return Err(Error::invalid(
                "refresh jobs cannot be started through the Public API (it answers 422); use a reset or clear",
            ));
        }
        if self.wait {
            self.options.validate()?;
        }
        self.connection.verify_before_write().await?;
        let workspace = self.connection.workspace().clone();
        let request = JobCreateRequest {
            connection_id: self.connection.id().clone(),
            job_type: self.job_type.clone(),
        };
        let result = match workspace
            .execute_raw(ops::public::jobs::create(&request))
            .await
        {
            Ok(job) => {
                // A job the server says runs for another connection is neither followed nor
                // cancelled: it is not the one asked for, and may be anyone's.
                job_of(&self.connection, job.job_id, job.connection_id.as_str())?;
                SyncResult::new(
                    self.connection.clone(),
                    job.job_id,
                    Some(job),
                    Origin::Started,
                )
            }
            Err(error) if error.is_conflict() => self.on_conflict(error).await?,
            Err(error) => return Err(error.into()),
        };
        if self.wait {
            if self.fail_on_failure {
                result.wait_for_success(&self.options).await?;
            } else {
                result.wait_for_completion(&self.options).await?;
            }
        }
        Ok(result)
    }

    /// Another job runs: follow it if it is of the requested type and attaching is asked for;
    /// otherwise say which job runs.
    async fn on_conflict(&self, conflict: airbyte_transport::Error) -> Result<SyncResult> {
        let running = running_job(&self.connection).await?;
        match running {
            Some(job) if !same_kind(&job.job_type, &self.job_type) => Err(Error::OtherJobRunning {
                connection_id: self.connection.id().clone(),
                job_id: job.job_id,
                running_type: job.job_type,
                requested: self.job_type.clone(),
            }),
            Some(job) if self.attach_if_running => {
                tracing::info!(job_id = %job.job_id, job_type = %job.job_type, "a job of the requested type is already running; following it");
                Ok(SyncResult::new(
                    self.connection.clone(),
                    job.job_id,
                    Some(job),
                    Origin::Listed,
                ))
            }
            Some(_) => Err(Error::SyncAlreadyRunning {
                connection_id: self.connection.id().clone(),
                source: Box::new(conflict),
            }),
            // Nothing runs, so the conflict is the connection's own state: the server refuses
            // jobs on a connection that is not active. Say so rather than blame a running job.
            None => match self.connection.status().await {
                Ok(status) if status != ConnectionStatus::Active => {
                    Err(Error::ConnectionInactive {
                        connection_id: self.connection.id().clone(),
                        status,
                        source: Box::new(conflict),
                    })
                }
                _ => Err(Error::SyncAlreadyRunning {
                    connection_id: self.connection.id().clone(),
                    source: Box::new(conflict),
                }),
            },
        }
    }
}

/// Whether a running job is of the kind asked for. The server reports clears as resets, so
/// the two are the same kind; unknown types match nothing.
fn same_kind(running: &JobType, requested: &JobType) -> bool {
    match requested {
        JobType::Sync => *running == JobType::Sync,
        JobType::Reset | JobType::Clear => matches!(running, JobType::Reset | JobType::Clear),
        _ => false,
    }
}

impl IntoFuture for RunSync {
    type Output = Result<SyncResult>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// The newest job of the connection that is not final, if any (syncs and resets: the jobs the
/// server lists by default).
async fn running_job(connection: &CloudConnection) -> Result<Option<JobResponse>> {
    let params = JobListParams {
        connection_id: Some(connection.id().clone()),
        order_by: Some(JobOrder::NEWEST_FIRST),
        limit: 10,
        ..JobListParams::default()
    };
    let page = connection
        .workspace()
        .execute(ops::public::jobs::list(&params))
        .await?;
    Ok(page
        .data
        .into_iter()
        .filter(|job| job.connection_id == *connection.id())
        .find(|job| job.status.is_in_progress()))
}

/// A connection's jobs: returned by [`CloudConnection::job_history`]. Besides the filters
/// of every [`ListItems`] (a limit, an offset, a predicate), the server filters jobs by type,
/// status and creation time, and orders them.
pub type JobHistory = ListItems<JobResponse, SyncResult, JobFilters>;

/// The server-side filters of a [`JobHistory`]; set through its builder methods.
#[derive(Clone, Debug)]
pub struct JobFilters {
    job_type: Option<JobType>,
    status: Option<JobStatus>,
    created_after: Option<OffsetDateTime>,
    created_before: Option<OffsetDateTime>,
    newest_first: bool,
}

impl JobHistory {
    /// Newest first (default) or oldest first.
    pub fn newest_first(mut self, newest_first: bool) -> Self {
        self.query_mut().newest_first = newest_first;
        self
    }

    /// Only jobs of this type (the server lists syncs and resets when unset).
    pub fn job_type(mut self, job_type: JobType) -> Self {
        self.query_mut().job_type = Some(job_type);
        self
    }

    /// Only jobs with this status.
    pub fn status(mut self, status: JobStatus) -> Self {
        self.query_mut().status = Some(status);
        self
    }

    /// Only jobs created at or after this time.
    pub fn created_after(mut self, time: OffsetDateTime) -> Self {
        self.query_mut().created_after = Some(time);
        self
    }

    /// Only jobs created at or before this time.
    pub fn created_before(mut self, time: OffsetDateTime) -> Self {
        self.query_mut().created_before = Some(time);
        self
    }
}

impl crate::CloudWorkspace {
    /// A job of this workspace by its ID alone (as a job ID on a command line): the job is
    /// read, then its connection, which must belong to this workspace. The result is not
    /// owned: a wait that times out does not cancel it unless told to.
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`] for an unknown job (or a connection that no longer exists);
    /// [`Error::WorkspaceMismatch`] naming the job when its connection belongs to another
    /// workspace; transport errors.
    #[doc(alias = "get_job")]
    pub async fn fetch_job(&self, job_id: JobId) -> Result<SyncResult> {
        let job: JobResponse = self
            .client()
            .execute(ops::public::jobs::get(job_id))
            .await
            .map_err(missing_on_404(ResourceKind::Job, &job_id.to_string()))?;
        let connection = CloudConnection::new(self.clone(), job.connection_id.clone(), None);
        match connection.info().await {
            Ok(_) => {}
            Err(Error::WorkspaceMismatch {
                expected, actual, ..
            }) => {
                return Err(Error::WorkspaceMismatch {
                    kind: ResourceKind::Job,
                    resource_id: job_id.to_string(),
                    expected,
                    actual,
                    change_applied: false,
                });
            }
            Err(error) => return Err(error),
        }
        Ok(SyncResult::new(
            connection,
            job_id,
            Some(job),
            Origin::Listed,
        ))
    }
}

impl CloudConnection {
    fn job(&self, job_type: JobType) -> RunSync {
        RunSync {
            connection: self.clone(),
            job_type,
            wait: true,
            options: WaitOptions::default(),
            attach_if_running: false,
            fail_on_failure: true,
        }
    }

    /// Starts a sync; by default waits for it and fails unless it succeeds (see [`RunSync`]).
    pub fn run_sync(&self) -> RunSync {
        self.job(JobType::Sync)
    }

    /// Starts a reset (the destination's data of this connection is removed).
    pub fn reset(&self) -> RunSync {
        self.job(JobType::Reset)
    }

    /// Starts a clear (the newer name of a reset).
    pub fn clear(&self) -> RunSync {
        self.job(JobType::Clear)
    }

    /// Would start a refresh; the Public API does not support it, so awaiting this fails
    /// before anything is sent.
    pub fn refresh(&self) -> RunSync {
        self.job(JobType::Refresh)
    }

    /// The connection's jobs (default: the 20 newest; see [`JobHistory`] for filters). The
    /// connection is checked to belong to the workspace before the first page, and every job
    /// to belong to the connection.
    #[doc(alias = "get_previous_sync_logs")]
    pub fn job_history(&self) -> JobHistory {
        let keys = ItemKeys {
            id: |job: &JobResponse| job.job_id.to_string(),
            name: None,
        };
        let filters = JobFilters {
            job_type: None,
            status: None,
            created_after: None,
            created_before: None,
            newest_first: true,
        };
        let connection = self.clone();
        ListItems::new(
            self.workspace(),
            Paging::Offset,
            "jobs",
            keys,
            filters,
            move |request: ListRequest<JobFilters>| {
                let connection = connection.clone();
                async move {
                    // Free once the connection's details are cached.
                    connection.verify_before_write().await?;
                    let page = request.params();
                    let filters = request.query;
                    let params = JobListParams {
                        connection_id: Some(connection.id().clone()),
                        job_type: filters.job_type,
                        status: filters.status,
                        created_at_start: filters.created_after,
                        created_at_end: filters.created_before,
                        order_by: Some(if filters.newest_first {
                            JobOrder::NEWEST_FIRST
                        } else {
                            JobOrder::OLDEST_FIRST
                        }),
                        limit: page.limit,
                        offset: page.offset,
                        ..JobListParams::default()
                    };
                    request
                        .workspace
                        .execute(ops::public::jobs::list(&params))
                        .await
                }
            },
        )
        .map({
            let connection = self.clone();
            move |_, job| {
                let result = SyncResult::new(connection.clone(), job.job_id, None, Origin::Listed);
                result.check_belongs(job.connection_id.as_str())?;
                result.last.set(job);
                Ok(result)
            }
        })
        .limit(20)
    }

    /// A job of this connection, without a request. Its first read checks that the job is
    /// this connection's ([`Error::JobMismatch`] otherwise, and nothing is ever cancelled); it
    /// is not cancelled when a wait times out unless
    /// [`WaitOptions::cancel_unowned_on_timeout`] is set.
    #[must_use]
    #[doc(alias = "get_sync_result")]
    pub fn sync_result(&self, job_id: JobId) -> SyncResult {
        SyncResult::new(self.clone(), job_id, None, Origin::Unchecked)
    }

    /// A job of this connection read from a list of the workspace's jobs, already checked to
    /// be this connection's. Not owned.
    pub(crate) fn sync_result_listed(&self, job: JobResponse) -> SyncResult {
        debug_assert_eq!(job.connection_id, *self.id());
        SyncResult::new(self.clone(), job.job_id, Some(job), Origin::Listed)
    }

    /// The newest job, if there is one.
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn last_sync_result(&self) -> Result<Option<SyncResult>> {
        self.job_history().first().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wait_options_that_would_loop_or_panic_are_refused() {
        assert!(WaitOptions::default().validate().is_ok());
        let bad = [
            WaitOptions {
                poll_interval: Duration::ZERO,
                ..WaitOptions::default()
            },
            WaitOptions {
                backoff_factor: 0.99,
                ..WaitOptions::default()
            },
            WaitOptions {
                backoff_factor: f64::NAN,
                ..WaitOptions::default()
            },
            WaitOptions {
                backoff_factor: f64::INFINITY,
                ..WaitOptions::default()
            },
            WaitOptions {
                max_poll_interval: Duration::from_secs(1),
                ..WaitOptions::default()
            },
            WaitOptions {
                timeout: Some(Duration::ZERO),
                ..WaitOptions::default()
            },
        ];
        for options in bad {
            let error = options.validate().unwrap_err();
            assert!(matches!(error, Error::InvalidInput { .. }), "{options:?}");
        }
    }

    #[test]
    fn the_poll_interval_grows_to_its_maximum_without_overflow() {
        let options = WaitOptions {
            poll_interval: Duration::from_secs(1),
            max_poll_interval: Duration::from_secs(10),
            backoff_factor: 1e300,
            ..WaitOptions::default()
        };
        assert_eq!(
            options.next_interval(Duration::from_secs(1)),
            Duration::from_secs(10)
        );
        let steady = WaitOptions {
            backoff_factor: 1.0,
            ..WaitOptions::default()
        };
        assert_eq!(
            steady.next_interval(Duration::from_secs(2)),
            Duration::from_secs(2)
        );
    }

    #[test]
    fn a_longest_interval_beyond_what_a_duration_holds_does_not_panic() {
        let options = WaitOptions {
            poll_interval: Duration::from_secs(1),
            max_poll_interval: Duration::MAX,
            backoff_factor: 1e300,
            ..WaitOptions::default()
        };
        assert!(options.validate().is_ok());
        assert_eq!(options.next_interval(Duration::from_secs(1)), Duration::MAX);
        let growing = WaitOptions {
            backoff_factor: 2.0,
            ..options
        };
        assert_eq!(
            growing.next_interval(Duration::MAX),
            Duration::MAX,
            "a wait that cannot grow further stays"
        );
    }

    #[test]
    fn clears_and_resets_are_one_kind() {
        assert!(same_kind(&JobType::Reset, &JobType::Clear));
        assert!(same_kind(&JobType::Clear, &JobType::Reset));
        assert!(same_kind(&JobType::Sync, &JobType::Sync));
        assert!(!same_kind(&JobType::Reset, &JobType::Sync));
        assert!(!same_kind(&JobType::Sync, &JobType::Reset));
        assert!(!same_kind(
            &JobType::Unknown("rebuild".to_owned()),
            &JobType::Sync
        ));
    }
}
