//! Waiting for jobs: live progress on a terminal (a line per change otherwise), and what
//! Ctrl-C, SIGTERM or the command's time limit do to a job being watched.
//!
//! The job being watched is registered here, so that `main`, which owns Ctrl-C, SIGTERM and
//! `--command-timeout`, can say which job keeps running and how to attach to it or cancel
//! it, or cancel it with `--cancel-on-interrupt`.
//!
//! A job this command did not start (followed with `--attach`: someone else's) is never
//! cancelled, on timeout or on Ctrl-C, unless the command line says so for such a job
//! (`--cancel-attached`; `jobs watch`, whose flags are about the job it names).

use std::sync::Mutex;
use std::time::{Duration, Instant};

use airbyte::models::JobResponse;
use airbyte::prelude::*;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Value, json};

use crate::cli::WaitArgs;
use crate::error::{CliError, CliResult};
use crate::output::{Column, Kind, Out, col, human, text, write_stderr};

/// The columns of a job's result.
pub(crate) const RESULT_COLUMNS: &[Column] = &[
    text("JOB", "/jobId"),
    text("TYPE", "/jobType"),
    col("STATUS", "/status", Kind::Status),
    col("ROWS", "/rowsSynced", Kind::Count),
    col("BYTES", "/bytesSynced", Kind::Bytes),
    col("DURATION", "/duration", Kind::Duration),
    text("URL", "/jobUrl"),
];

/// How long a cancel after Ctrl-C may take before the tool gives up on it.
const CANCEL_LIMIT: Duration = Duration::from_secs(30);

/// What a wait may cancel.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cancel {
    /// Cancel the job when the wait times out (`--cancel-on-timeout`).
    pub(crate) on_timeout: bool,
    /// Also when this command did not start it (the SDK's rule otherwise: a job followed is
    /// someone else's, and only the job started is cancelled).
    pub(crate) not_started_here: bool,
}

impl Cancel {
    /// Whether this job may be cancelled at all.
    fn allows(self, sync: &SyncResult) -> bool {
        sync.is_owned() || self.not_started_here
    }
}

/// Why a job followed keeps running although a cancel was asked for.
const NOT_STARTED_HERE: &str =
    "it was not started by this command, so it is not cancelled without --cancel-attached";

/// The job being watched.
struct Watched {
    sync: SyncResult,
    /// `--cancel-on-interrupt`, as asked.
    cancel_on_interrupt: bool,
    /// Whether the rules let this job be cancelled.
    may_cancel: bool,
    last: Option<JobResponse>,
    progress: Option<ProgressBar>,
    out: Out,
}

static WATCHED: Mutex<Option<Watched>> = Mutex::new(None);

fn watched() -> std::sync::MutexGuard<'static, Option<Watched>> {
    WATCHED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A job's result as printed: its ID, type, status, counts, duration and link.
pub(crate) fn result_json(sync: &SyncResult, job: &JobResponse) -> Value {
    json!({
        "jobId": job.job_id,
        "connectionId": job.connection_id,
        "jobType": job.job_type,
        "status": job.status,
        "rowsSynced": job.rows_synced.unwrap_or(0),
        "bytesSynced": job.bytes_synced.unwrap_or(0),
        "duration": job.duration,
        "startTime": job.start_time,
        "jobUrl": sync.job_url(),
    })
}

/// The commands that follow or cancel a job.
pub(crate) fn hints(job_id: impl std::fmt::Display) -> String {
    format!("  follow it: airbyte jobs watch {job_id}\n  cancel it: airbyte jobs cancel {job_id}")
}

/// The SDK's wait options for `--timeout` (0: no limit), `--poll-interval` and what may be
/// cancelled on timeout.
pub(crate) fn options(args: &WaitArgs, cancel: Cancel) -> WaitOptions {
    // At least 10 ms: the flag's parser refuses less.
    let poll = args.poll_interval;
    WaitOptions {
        poll_interval: poll,
        max_poll_interval: poll.max(Duration::from_secs(30)),
        timeout: (!args.timeout.is_zero()).then_some(args.timeout),
        cancel_on_timeout: cancel.on_timeout,
        cancel_unowned_on_timeout: cancel.on_timeout && cancel.not_started_here,
        ..WaitOptions::default()
    }
}

fn progress_line(job: &JobResponse, elapsed: Duration) -> String {
    format!(
        "job {} {} {}  {} rows  {}",
        job.job_id,
        job.status.as_str(),
        human::duration(elapsed),
        human::count(job.rows_synced.unwrap_or(0)),
        human::bytes(job.bytes_synced.unwrap_or(0))
    )
}

/// Waits for a job with progress, and returns it whatever its final status.
///
/// # Errors
///
/// [`CliError::TimedOut`] after printing the job; SDK errors when polls keep failing.
pub(crate) async fn wait(
    out: &Out,
    sync: &SyncResult,
    args: &WaitArgs,
    cancel: Cancel,
) -> CliResult<JobResponse> {
    let started = Instant::now();
    let progress = out.live_progress().then(|| {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(format!("job {} starting", sync.job_id()));
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });
    *watched() = Some(Watched {
        sync: sync.clone(),
        cancel_on_interrupt: args.cancel_on_interrupt,
        may_cancel: cancel.allows(sync),
        last: None,
        progress: progress.clone(),
        out: *out,
    });
    let mut last_line = String::new();
    let result = sync
        .wait_with_progress(&options(args, cancel), |job| {
            tracing::debug!(job_id = %job.job_id, status = %job.status, "polled the job");
            if let Some(watched) = watched().as_mut() {
                watched.last = Some(job.clone());
            }
            match &progress {
                Some(bar) => bar.set_message(progress_line(job, started.elapsed())),
                None => {
                    let summary = format!(
                        "job {} {} {} rows {}",
                        job.job_id,
                        job.status.as_str(),
                        job.rows_synced.unwrap_or(0),
                        human::bytes(job.bytes_synced.unwrap_or(0))
                    );
                    if summary != last_line {
                        write_stderr(&format!("{}\n", progress_line(job, started.elapsed())));
                        last_line = summary;
                    }
                }
            }
        })
        .await;
    let last = watched().take().and_then(|watched| watched.last);
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    match result {
        Ok(job) => Ok(job),
        Err(airbyte::Error::SyncTimedOut {
            timeout, cancelled, ..
        }) => {
            let job = match sync.job().await {
                Ok(job) => Some(job),
                Err(_) => last,
            };
            if let Some(job) = &job {
                out.one(&result_json(sync, job), RESULT_COLUMNS)?;
            }
            let mut message = format!(
                "job {} was still running after {}",
                sync.job_id(),
                human::duration(timeout)
            );
            if cancelled {
                message.push_str("; it was cancelled");
            } else {
                message.push_str("; it keeps running");
                if !cancel.allows(sync) {
                    message.push_str(&format!(" ({NOT_STARTED_HERE})"));
                }
                message.push_str(&format!("\n{}", hints(sync.job_id())));
            }
            Err(CliError::TimedOut(message))
        }
        Err(error) => Err(error.into()),
    }
}

/// What stops a command from outside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Stop {
    /// Ctrl-C (SIGINT).
    Interrupt,
    /// SIGTERM: a CI job cancelled, a container stopped.
    Terminate,
}

impl Stop {
    pub(crate) fn word(self) -> &'static str {
        match self {
            Self::Interrupt => "interrupted",
            Self::Terminate => "terminated",
        }
    }

    fn error(self) -> CliError {
        match self {
            Self::Interrupt => CliError::Interrupted,
            Self::Terminate => CliError::Terminated,
        }
    }
}

/// What Ctrl-C or SIGTERM does: the job being watched keeps running (its ID and the commands
/// to follow or cancel it are printed) or, with `--cancel-on-interrupt`, is cancelled. A job
/// that ended since the last poll is reported as it ended: nothing keeps running, and there
/// is nothing to cancel.
pub(crate) async fn stopped(stop: Stop) -> CliError {
    if crate::fleet_watch::stopped(stop).await {
        return stop.error();
    }
    let word = stop.word();
    let Some(watched) = watched().take() else {
        write_stderr(&format!("\n{word}\n"));
        return stop.error();
    };
    if let Some(bar) = &watched.progress {
        bar.finish_and_clear();
    }
    let sync = &watched.sync;
    let job_id = sync.job_id();
    // Read again first: the last poll can be a poll interval old.
    let fresh = tokio::select! {
        result = tokio::time::timeout(Duration::from_secs(5), sync.job()) => result.ok().and_then(Result::ok),
        _ = tokio::signal::ctrl_c() => None,
    };
    if let Some(job) = fresh.as_ref().filter(|job| job.status.is_final()) {
        let _ = watched.out.one(&result_json(sync, job), RESULT_COLUMNS);
        write_stderr(&format!(
            "\n{word}: the job had already {}\n",
            job.status.as_str()
        ));
        return stop.error();
    }
    if watched.cancel_on_interrupt && watched.may_cancel {
        write_stderr(&format!(
            "\n{word}: cancelling job {job_id} (Ctrl-C again to leave it running)...\n"
        ));
        let cancel = tokio::select! {
            result = tokio::time::timeout(CANCEL_LIMIT, sync.cancel()) => result.ok(),
            _ = tokio::signal::ctrl_c() => None,
        };
        match cancel {
            Some(Ok(job)) => {
                let _ = watched.out.one(&result_json(sync, &job), RESULT_COLUMNS);
                write_stderr(&format!("cancelled job {job_id}\n"));
            }
            Some(Err(error)) => write_stderr(&format!(
                "could not cancel job {job_id}: {}\n{}\n",
                CliError::from(error),
                hints(job_id)
            )),
            None => write_stderr(&format!("job {job_id} keeps running\n{}\n", hints(job_id))),
        }
        return stop.error();
    }
    if let Some(job) = fresh.as_ref().or(watched.last.as_ref()) {
        let _ = watched.out.one(&result_json(sync, job), RESULT_COLUMNS);
    }
    let why = if watched.cancel_on_interrupt {
        format!(" ({NOT_STARTED_HERE})")
    } else {
        String::new()
    };
    write_stderr(&format!(
        "\n{word}: job {job_id} of connection {} keeps running{why}\n{}\n",
        crate::output::escaped(sync.connection().id()),
        hints(job_id)
    ));
    stop.error()
}

/// What `--command-timeout` does: like Ctrl-C without a cancel.
pub(crate) fn command_timed_out(limit: Duration) -> CliError {
    let mut message = format!(
        "the command did not finish within {}",
        human::duration(limit)
    );
    if let Some(fleet) = crate::fleet_watch::command_timed_out() {
        message.push_str(&fleet);
    }
    if let Some(watched) = watched().take() {
        if let Some(bar) = &watched.progress {
            bar.finish_and_clear();
        }
        if let Some(job) = &watched.last {
            let _ = watched
                .out
                .one(&result_json(&watched.sync, job), RESULT_COLUMNS);
        }
        let job_id = watched.sync.job_id();
        message.push_str(&format!("; job {job_id} keeps running\n{}", hints(job_id)));
    }
    CliError::TimedOut(message)
}

/// Resolves on Ctrl-C; never where signals cannot be handled.
async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Resolves on SIGTERM; never where there is no such signal or it cannot be handled.
async fn terminate() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut terminate) = signal(SignalKind::terminate())
            && terminate.recv().await.is_some()
        {
            return;
        }
    }
    std::future::pending::<()>().await;
}

/// Waits for Ctrl-C or SIGTERM. The caller stops the command (drops its future) before it
/// handles the stop with [`stopped`], so that the command cannot finish meanwhile (a wait that
/// sees the job it watched cancelled, a run told to stop) and take the exit code.
pub(crate) async fn stop_signal() -> Stop {
    tokio::select! {
        () = ctrl_c() => Stop::Interrupt,
        () = terminate() => Stop::Terminate,
    }
}
