//! Syncs and other jobs: starting them, waiting (with backoff, a timeout and cancel on
//! timeout), attaching to a running sync, attempts and their logs, and job history.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use airbyte_models::ops::{self, JobListParams, JobOrder};
use airbyte_models::{
    AttemptInfoRead, AttemptStatus, JobCreateRequest, JobId, JobInfoRead, JobResponse, JobStatus,
    JobType, OffsetDateTime,
};
use futures_util::{StreamExt, TryStreamExt};
use tokio::time::Instant;

use crate::listing::ResultStream;
use crate::paging::paginate;
use crate::{CloudConnection, Error, Result};

/// How to wait for a job.
#[derive(Clone, Debug, PartialEq)]
pub struct WaitOptions {
    /// The first wait between two polls (default 2 s).
    pub poll_interval: Duration,
    /// The longest wait between two polls (default 30 s).
    pub max_poll_interval: Duration,
    /// How much the wait grows after each poll (default 1.5).
    pub backoff_factor: f64,
    /// Give up after this long (default 30 minutes); `None` waits forever.
    pub timeout: Option<Duration>,
    /// Cancel the job when the timeout is reached (default: yes).
    pub cancel_on_timeout: bool,
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
            max_consecutive_poll_errors: 10,
        }
    }
}

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
/// cached, and attempts are read again until the job is final.
#[derive(Clone)]
pub struct SyncResult {
    connection: CloudConnection,
    job_id: JobId,
    last: Arc<Mutex<Option<JobResponse>>>,
    final_info: Arc<Mutex<Option<JobInfoRead>>>,
}

impl fmt::Debug for SyncResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self.cached().map(|job| job.status);
        f.debug_struct("SyncResult")
            .field("job_id", &self.job_id)
            .field("connection_id", self.connection.id())
            .field("last_status", &status)
            .finish()
    }
}

impl SyncResult {
    pub(crate) fn new(
        connection: CloudConnection,
        job_id: JobId,
        job: Option<JobResponse>,
    ) -> Self {
        Self {
            connection,
            job_id,
            last: Arc::new(Mutex::new(job)),
            final_info: Arc::new(Mutex::new(None)),
        }
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

    fn cached(&self) -> Option<JobResponse> {
        self.last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The job, read again unless a final status was already seen.
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn job(&self) -> Result<JobResponse> {
        if let Some(job) = self.cached().filter(|job| job.status.is_final()) {
            return Ok(job);
        }
        let job = self
            .connection
            .workspace()
            .execute(ops::public::jobs::get(self.job_id))
            .await?;
        *self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(job.clone());
        Ok(job)
    }

    /// The current status.
    ///
    /// # Errors
    ///
    /// Transport errors.
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

    /// Cancels the job.
    ///
    /// # Errors
    ///
    /// Transport errors; a job that is not running gives a conflict (409).
    pub async fn cancel(&self) -> Result<JobResponse> {
        let job = self
            .connection
            .workspace()
            .execute(ops::public::jobs::cancel(self.job_id))
            .await?;
        *self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(job.clone());
        Ok(job)
    }

    /// The job with its attempts and logs (Config API), read again until the job is final.
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn job_info(&self) -> Result<JobInfoRead> {
        if let Some(info) = self
            .final_info
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
        {
            return Ok(info);
        }
        let info = self
            .connection
            .workspace()
            .execute(ops::config::get_job(self.job_id))
            .await?;
        if info.job.status.is_final() {
            *self
                .final_info
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(info.clone());
        }
        Ok(info)
    }

    /// The attempts, oldest first.
    ///
    /// # Errors
    ///
    /// Transport errors.
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

    /// Waits until the job is final and returns it, whatever its status. See [`WaitOptions`].
    ///
    /// # Errors
    ///
    /// [`Error::SyncTimedOut`] (after cancelling the job, unless that was turned off), or
    /// transport errors when polls keep failing.
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
        let started = Instant::now();
        let mut interval = options.poll_interval;
        let mut consecutive_errors = 0;
        let mut last_status = self.cached().map_or(JobStatus::Pending, |job| job.status);
        loop {
            match self.job().await {
                Ok(job) if job.status.is_final() => {
                    on_poll(&job);
                    return Ok(job);
                }
                Ok(job) => {
                    on_poll(&job);
                    consecutive_errors = 0;
                    last_status = job.status;
                }
                Err(error)
                    if error.is_transient()
                        && consecutive_errors < options.max_consecutive_poll_errors =>
                {
                    consecutive_errors += 1;
                    tracing::warn!(job_id = %self.job_id, %error, "could not read the job's status; still waiting");
                }
                Err(error) => return Err(error),
            }
            let elapsed = started.elapsed();
            if let Some(timeout) = options.timeout
                && elapsed >= timeout
            {
                return Err(self.time_out(options, timeout, last_status).await);
            }
            let remaining = options
                .timeout
                .map_or(interval, |timeout| timeout.saturating_sub(elapsed));
            tokio::time::sleep(interval.min(remaining)).await;
            let next = interval.as_secs_f64() * options.backoff_factor.max(1.0);
            interval = Duration::from_secs_f64(next).min(options.max_poll_interval);
        }
    }

    async fn time_out(&self, options: &WaitOptions, timeout: Duration, status: JobStatus) -> Error {
        let mut cancelled = false;
        if options.cancel_on_timeout {
            match self.cancel().await {
                Ok(_) => cancelled = true,
                Err(error) => {
                    tracing::warn!(job_id = %self.job_id, %error, "could not cancel the job after the timeout")
                }
            }
        }
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

    /// Cancel the job when the wait times out (default: yes).
    pub fn cancel_on_timeout(mut self, cancel: bool) -> Self {
        self.options.cancel_on_timeout = cancel;
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

    /// When a sync is already running, follow it instead of failing (default: no).
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
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for `refresh` (the Public API refuses it) before sending;
    /// [`Error::SyncAlreadyRunning`] when another job runs (unless attaching);
    /// [`Error::SyncFailed`]; [`Error::SyncTimedOut`]; transport errors.
    pub async fn send(self) -> Result<SyncResult> {
        if self.job_type == JobType::Refresh {
            return Err(Error::invalid(
                "refresh jobs cannot be started through the Public API (it answers 422); use a reset or clear",
            ));
        }
        let workspace = self.connection.workspace().clone();
        let request = JobCreateRequest {
            connection_id: self.connection.id().clone(),
            job_type: self.job_type.clone(),
        };
        let result = match workspace
            .client()
            .execute(ops::public::jobs::create(&request))
            .await
        {
            Ok(job) => SyncResult::new(self.connection.clone(), job.job_id, Some(job)),
            Err(error) if error.is_conflict() => {
                let running = if self.attach_if_running {
                    running_job(&self.connection).await?
                } else {
                    None
                };
                match running {
                    Some(running) => {
                        tracing::info!(job_id = %running.job_id(), "a sync is already running; following it");
                        running
                    }
                    None => {
                        return Err(Error::SyncAlreadyRunning {
                            connection_id: self.connection.id().clone(),
                            source: Box::new(error),
                        });
                    }
                }
            }
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
}

impl IntoFuture for RunSync {
    type Output = Result<SyncResult>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// The newest job of the connection that is not final, if any.
async fn running_job(connection: &CloudConnection) -> Result<Option<SyncResult>> {
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
        .find(|job| job.status.is_in_progress())
        .map(|job| SyncResult::new(connection.clone(), job.job_id, Some(job))))
}

/// Reads a connection's job history; returned by [`CloudConnection::job_history`].
#[must_use = "a history does nothing until streamed or collected"]
#[derive(Debug)]
pub struct JobHistory {
    connection: CloudConnection,
    limit: Option<usize>,
    offset: u32,
    newest_first: bool,
    job_type: Option<JobType>,
}

impl JobHistory {
    /// At most this many jobs (default 20; `None` for all).
    pub fn limit(mut self, limit: Option<usize>) -> Self {
        self.limit = limit;
        self
    }

    /// Skip this many jobs first.
    pub fn offset(mut self, offset: u32) -> Self {
        self.offset = offset;
        self
    }

    /// Newest first (default) or oldest first.
    pub fn newest_first(mut self, newest_first: bool) -> Self {
        self.newest_first = newest_first;
        self
    }

    /// Only jobs of this type (the server lists syncs and resets when unset).
    pub fn job_type(mut self, job_type: JobType) -> Self {
        self.job_type = Some(job_type);
        self
    }

    /// The jobs, fetched page by page as the stream is read.
    pub fn stream(self) -> ResultStream<SyncResult> {
        let connection = self.connection.clone();
        let page_size = self.limit.map_or(100, |limit| limit.clamp(1, 100) as u32);
        let order = if self.newest_first {
            JobOrder::NEWEST_FIRST
        } else {
            JobOrder::OLDEST_FIRST
        };
        let job_type = self.job_type.clone();
        let fetcher = connection.clone();
        let pages = paginate(page_size, self.offset, move |offset, limit| {
            let connection = fetcher.clone();
            let job_type = job_type.clone();
            async move {
                let params = JobListParams {
                    connection_id: Some(connection.id().clone()),
                    job_type,
                    order_by: Some(order),
                    limit,
                    offset,
                    ..JobListParams::default()
                };
                connection
                    .workspace()
                    .execute(ops::public::jobs::list(&params))
                    .await
            }
        });
        let results =
            pages.map_ok(move |job| SyncResult::new(connection.clone(), job.job_id, Some(job)));
        match self.limit {
            Some(limit) => Box::pin(results.take(limit)),
            None => Box::pin(results),
        }
    }

    /// The jobs.
    ///
    /// # Errors
    ///
    /// The first error while paging.
    pub async fn collect(self) -> Result<Vec<SyncResult>> {
        self.stream().try_collect().await
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

    /// The connection's job history (default: the 20 newest jobs).
    pub fn job_history(&self) -> JobHistory {
        JobHistory {
            connection: self.clone(),
            limit: Some(20),
            offset: 0,
            newest_first: true,
            job_type: None,
        }
    }

    /// Previous jobs with their logs reachable: `limit` jobs from `offset`, newest first when
    /// `from_tail`, optionally of one type.
    ///
    /// # Errors
    ///
    /// The first error while paging.
    pub async fn get_previous_sync_logs(
        &self,
        limit: Option<usize>,
        offset: u32,
        from_tail: bool,
        job_type: Option<JobType>,
    ) -> Result<Vec<SyncResult>> {
        let mut history = self
            .job_history()
            .limit(limit)
            .offset(offset)
            .newest_first(from_tail);
        if let Some(job_type) = job_type {
            history = history.job_type(job_type);
        }
        history.collect().await
    }

    /// A job of this connection, without a request.
    #[must_use]
    pub fn get_sync_result(&self, job_id: JobId) -> SyncResult {
        SyncResult::new(self.clone(), job_id, None)
    }

    /// The newest job, if there is one.
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn last_sync_result(&self) -> Result<Option<SyncResult>> {
        Ok(self
            .job_history()
            .limit(Some(1))
            .collect()
            .await?
            .into_iter()
            .next())
    }
}
