//! `sync`, `reset`, `clear` and `jobs`.

use std::time::{Duration, Instant};

use airbyte::models::ops::{self, JobListParams, JobOrder};
use airbyte::models::{JobId, JobResponse};
use airbyte::prelude::*;
use serde_json::{Value, json};

use crate::cli::{GlobalArgs, JobStatusArg, JobTypeArg, JobsCommand, StartArgs};
use crate::error::{CliError, CliResult};
use crate::output::{Column, Kind, Out, col, text, to_value, write_stdout};
use crate::plan::{Action, Change, Plan};
use crate::resolve;
use crate::wait::{self, Cancel, RESULT_COLUMNS, result_json};

pub(crate) const JOB_COLUMNS: &[Column] = &[
    text("JOB", "/jobId"),
    text("TYPE", "/jobType"),
    col("STATUS", "/status", Kind::Status),
    col("STARTED", "/startTime", Kind::Time),
    col("DURATION", "/duration", Kind::Duration),
    col("ROWS", "/rowsSynced", Kind::Count),
    col("BYTES", "/bytesSynced", Kind::Bytes),
];

const JOB_DETAIL_COLUMNS: &[Column] = &[
    text("JOB", "/jobId"),
    text("CONNECTION", "/connectionId"),
    text("TYPE", "/jobType"),
    col("STATUS", "/status", Kind::Status),
    col("STARTED", "/startTime", Kind::Time),
    col("UPDATED", "/lastUpdatedAt", Kind::Time),
    col("DURATION", "/duration", Kind::Duration),
    col("ROWS", "/rowsSynced", Kind::Count),
    col("BYTES", "/bytesSynced", Kind::Bytes),
    col("ATTEMPTS", "/_attemptCount", Kind::Count),
    text("FAILURE", "/_failure"),
];

/// The most jobs read by `jobs list`.
const MAX_JOBS: usize = 10_000;

/// A job to start.
pub(crate) enum Start {
    Sync(StartArgs),
    Reset(StartArgs),
    Clear(StartArgs),
}

fn job_id(id: i64) -> CliResult<JobId> {
    JobId::new(id).map_err(|error| CliError::bad(error.to_string()))
}

/// A job by ID, through the SDK's [`CloudWorkspace::fetch_job`]: the job's connection must be
/// of this workspace (a job of another workspace is neither shown nor changed). Every job
/// command that takes a job ID starts here.
async fn find_job(workspace: &CloudWorkspace, id: i64) -> CliResult<(JobResponse, SyncResult)> {
    let id = job_id(id)?;
    let sync = workspace.fetch_job(id).await.map_err(|error| match error {
        airbyte::Error::WorkspaceMismatch { ref actual, .. } => {
            let hint = format!(
                "its connection is of workspace {}: pass --workspace-id {} to reach it",
                crate::output::escaped(actual),
                crate::output::escaped(actual)
            );
            CliError::from(error).hint(hint)
        }
        error => CliError::from(error),
    })?;
    let job = sync.job().await?;
    Ok((job, sync))
}

/// Prints a final job and fails unless it succeeded.
async fn finish(out: &Out, sync: &SyncResult, job: JobResponse) -> CliResult {
    out.one(&result_json(sync, &job), RESULT_COLUMNS)?;
    sync.success_or_error(job).await?;
    Ok(())
}

pub(crate) async fn start(
    workspace: &CloudWorkspace,
    global: &GlobalArgs,
    out: &Out,
    start: Start,
) -> CliResult {
    let (args, kind, destructive): (&StartArgs, &str, bool) = match &start {
        Start::Sync(args) => (args, "sync", false),
        Start::Reset(args) => (args, "reset", true),
        Start::Clear(args) => (args, "clear", true),
    };
    let connection = resolve::connection(workspace, &args.connection).await?;
    let details = connection.details().await?;
    let mut detail = format!(
        "of connection \"{}\" ({})",
        details.name, details.connection_id
    );
    if destructive {
        detail.push_str("; its data in the destination is removed");
    }
    let plan = Plan::of(Change::new(Action::Start, "job").name(kind).detail(detail));
    if plan.preview(args.options.dry_run, out) {
        return Ok(());
    }
    if destructive {
        plan.confirm(global).await?;
    }
    let job = match start {
        Start::Sync(_) => connection.run_sync(),
        Start::Reset(_) => connection.reset(),
        Start::Clear(_) => connection.clear(),
    };
    let id = &details.connection_id;
    let sync = match job
        .wait(false)
        .attach_if_running(args.options.attach)
        .send()
        .await
    {
        Ok(sync) => sync,
        Err(error @ airbyte::Error::SyncAlreadyRunning { .. }) => {
            return Err(CliError::from(error).hint(format!(
                "follow it with `airbyte {kind} {id} --attach`, or see it with `airbyte jobs list {id} --status running`"
            )));
        }
        Err(error @ airbyte::Error::ConnectionInactive { .. }) => {
            return Err(CliError::from(error).hint(format!(
                "enable it with `airbyte connections enable {id}`, then run `airbyte {kind} {id}` again"
            )));
        }
        Err(error @ airbyte::Error::OtherJobRunning { job_id, .. }) => {
            return Err(CliError::from(error).hint(format!(
                "follow it with `airbyte jobs watch {job_id}`, then run `airbyte {kind} {id}` again"
            )));
        }
        Err(error) => return Err(error.into()),
    };
    if !sync.is_owned() {
        out.note(&format!(
            "a {kind} is already running on connection {id} (job {}, started elsewhere){}",
            sync.job_id(),
            if args.options.no_wait {
                ""
            } else {
                "; following it"
            }
        ));
    }
    if args.options.no_wait {
        let job = sync.job().await?;
        if sync.is_owned() {
            out.note(&format!(
                "started job {}; follow it with `airbyte jobs watch {}`",
                sync.job_id(),
                sync.job_id()
            ));
        }
        return out.one(&result_json(&sync, &job), RESULT_COLUMNS);
    }
    let cancel = Cancel {
        on_timeout: args.options.cancel_on_timeout,
        not_started_here: args.options.cancel_attached,
    };
    let job = wait::wait(out, &sync, &args.options.wait, cancel).await?;
    finish(out, &sync, job).await
}

fn job_type(arg: JobTypeArg) -> JobType {
    match arg {
        JobTypeArg::Sync => JobType::Sync,
        JobTypeArg::Reset => JobType::Reset,
        JobTypeArg::Clear => JobType::Clear,
        JobTypeArg::Refresh => JobType::Refresh,
    }
}

fn job_status(arg: JobStatusArg) -> JobStatus {
    match arg {
        JobStatusArg::Pending => JobStatus::Pending,
        JobStatusArg::Running => JobStatus::Running,
        JobStatusArg::Incomplete => JobStatus::Incomplete,
        JobStatusArg::Failed => JobStatus::Failed,
        JobStatusArg::Succeeded => JobStatus::Succeeded,
        JobStatusArg::Cancelled => JobStatus::Cancelled,
    }
}

/// A connection's jobs, newest first, page by page up to `limit`.
async fn list(
    workspace: &CloudWorkspace,
    connection: &CloudConnection,
    limit: usize,
    status: Option<JobStatus>,
    job_type: Option<JobType>,
) -> CliResult<Vec<JobResponse>> {
    super::read_pages(limit.min(MAX_JOBS), |offset, page_size| {
        let params = JobListParams {
            connection_id: Some(connection.id().clone()),
            job_type: job_type.clone(),
            status: status.clone(),
            order_by: Some(JobOrder::NEWEST_FIRST),
            limit: page_size,
            offset,
            ..JobListParams::default()
        };
        async move {
            let page = workspace
                .client()
                .execute(ops::public::jobs::list(&params))
                .await?;
            Ok(page.data)
        }
    })
    .await
}

/// A job with its attempts (Config API): their count and the last failure reason.
async fn describe(job: &JobResponse, sync: &SyncResult) -> CliResult<Value> {
    let mut value = to_value(job)?;
    let attempts = match sync.attempts().await {
        Ok(attempts) => attempts,
        Err(error) => {
            tracing::debug!(%error, "could not read the job's attempts");
            Vec::new()
        }
    };
    let failure = attempts.iter().rev().find_map(SyncAttempt::failure_message);
    if let Some(map) = value.as_object_mut() {
        map.insert(
            "attempts".to_owned(),
            Value::Array(
                attempts
                    .iter()
                    .map(|attempt| {
                        json!({
                            "number": attempt.number(),
                            "status": attempt.status(),
                            "recordsSynced": attempt.records_synced(),
                            "bytesSynced": attempt.bytes_synced(),
                            "failure": attempt.failure_message(),
                        })
                    })
                    .collect(),
            ),
        );
        map.insert("_attemptCount".to_owned(), Value::from(attempts.len()));
        map.insert("_failure".to_owned(), json!(failure));
    }
    Ok(value)
}

pub(crate) async fn run(workspace: &CloudWorkspace, out: &Out, command: JobsCommand) -> CliResult {
    match command {
        JobsCommand::List {
            connection,
            limit,
            status,
            job_type: kind,
        } => {
            let connection = resolve::connection(workspace, &connection).await?;
            let jobs = list(
                workspace,
                &connection,
                limit,
                status.map(job_status),
                kind.map(job_type),
            )
            .await?;
            out.list(&jobs, JOB_COLUMNS)
        }
        JobsCommand::Get { job } => {
            let (job, sync) = find_job(workspace, job).await?;
            let mut value = describe(&job, &sync).await?;
            if !out.is_table()
                && let Some(map) = value.as_object_mut()
            {
                map.remove("_attemptCount");
                map.remove("_failure");
            }
            out.one(&value, JOB_DETAIL_COLUMNS)
        }
        JobsCommand::Cancel { job, dry_run } => {
            let (found, sync) = find_job(workspace, job).await?;
            // Before the preview: a dry run must not promise a cancel that cannot happen.
            if found.status.is_final() {
                return Err(CliError::bad(format!(
                    "job {} is already {}; there is nothing to cancel",
                    found.job_id, found.status
                )));
            }
            let plan = Plan::of(Change::new(Action::Cancel, "job").id(found.job_id).detail(
                format!(
                    "{} of connection {}, now {}",
                    found.job_type, found.connection_id, found.status
                ),
            ));
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            let cancelled = sync.cancel().await?;
            out.one(&result_json(&sync, &cancelled), RESULT_COLUMNS)
        }
        JobsCommand::Watch {
            job,
            cancel_on_timeout,
            wait: args,
        } => {
            let (found, sync) = find_job(workspace, job).await?;
            let job = if found.status.is_final() {
                found
            } else {
                // The flags are about the job named: asking is explicit.
                let cancel = Cancel {
                    on_timeout: cancel_on_timeout,
                    not_started_here: true,
                };
                wait::wait(out, &sync, &args, cancel).await?
            };
            finish(out, &sync, job).await
        }
        JobsCommand::Logs {
            job,
            attempt,
            tail,
            follow,
            poll_interval,
        } => {
            let (found, sync) = find_job(workspace, job).await?;
            if follow {
                return follow_logs(out, &sync, tail, poll_interval).await;
            }
            let attempts = sync.attempts().await?;
            let chosen = match attempt {
                Some(number) => attempts
                    .iter()
                    .find(|candidate| candidate.number() == number)
                    .ok_or_else(|| {
                        CliError::bad(format!(
                            "job {} has {} attempt(s), not {number}",
                            found.job_id,
                            attempts.len()
                        ))
                    })?,
                None => attempts.last().ok_or_else(|| {
                    CliError::bad(format!("job {} has no attempt yet", found.job_id))
                })?,
            };
            let lines = chosen.log_lines();
            let start = tail.map_or(0, |tail| lines.len().saturating_sub(tail));
            let lines = &lines[start..];
            if out.is_table() {
                out.lines(lines);
                Ok(())
            } else {
                out.one(
                    &json!({
                        "jobId": found.job_id,
                        "attempt": chosen.number(),
                        "status": chosen.status(),
                        "lines": lines,
                    }),
                    &[],
                )
            }
        }
    }
}

/// The longest `jobs logs --follow` follows one job.
const FOLLOW_LIMIT: Duration = Duration::from_secs(48 * 3_600);

/// Prints log lines as they appear, attempt after attempt, until the job ends (JSON lines
/// with -o json or yaml: one object per log line).
async fn follow_logs(
    out: &Out,
    sync: &SyncResult,
    tail: Option<usize>,
    poll_interval: Duration,
) -> CliResult {
    let started = Instant::now();
    let mut printed: Vec<usize> = Vec::new();
    let mut first = true;
    loop {
        let done = sync.job().await?.status.is_final();
        let attempts = sync.attempts().await?;
        if first && let Some(tail) = tail {
            // As `tail -f`: start from the last lines of the newest attempt.
            printed = attempts
                .iter()
                .map(|attempt| attempt.log_lines().len())
                .collect();
            if let Some(last) = printed.last_mut() {
                *last = last.saturating_sub(tail);
            }
        }
        first = false;
        for attempt in &attempts {
            let index = attempt.number() - 1;
            if printed.len() <= index {
                printed.resize(index + 1, 0);
                if index > 0 && out.is_table() {
                    out.note(&format!("--- attempt {} ---", attempt.number()));
                }
            }
            let lines = attempt.log_lines();
            if lines.len() > printed[index] {
                let new = &lines[printed[index]..];
                let read = if out.is_table() {
                    out.lines(new)
                } else {
                    let mut text = String::new();
                    for line in new {
                        text.push_str(&json!({"jobId": sync.job_id(), "attempt": attempt.number(), "line": line}).to_string());
                        text.push('\n');
                    }
                    write_stdout(&text)
                };
                if !read {
                    // Nobody reads any more (`| head`, `| grep -m1`): stop following, as
                    // `tail -f` would; the job is not touched.
                    return Ok(());
                }
                printed[index] = lines.len();
            }
        }
        if done {
            return Ok(());
        }
        if started.elapsed() >= FOLLOW_LIMIT {
            return Err(CliError::TimedOut(format!(
                "stopped following job {} after {}; it is still running",
                sync.job_id(),
                crate::output::human::duration(FOLLOW_LIMIT)
            )));
        }
        // At least 10 ms: the flag's parser refuses less.
        tokio::time::sleep(poll_interval).await;
    }
}
