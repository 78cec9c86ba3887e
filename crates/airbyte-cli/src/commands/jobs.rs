//! `sync` and `jobs`.

use std::time::{Duration, Instant};

use airbyte::models::{JobId, JobResponse, ops};
use airbyte::prelude::*;
use serde_json::json;

use super::human_bytes;
use crate::cli::{JobsCommand, SyncArgs};
use crate::error::{CliError, CliResult};
use crate::output::{Column, Out};

pub(crate) const JOB_COLUMNS: &[Column] = &[
    ("JOB", "/jobId"),
    ("TYPE", "/jobType"),
    ("STATUS", "/status"),
    ("STARTED", "/startTime"),
    ("DURATION", "/duration"),
    ("ROWS", "/rowsSynced"),
    ("BYTES", "/bytesSynced"),
];

const RESULT_COLUMNS: &[Column] = &[
    ("JOB", "/jobId"),
    ("STATUS", "/status"),
    ("ROWS", "/rowsSynced"),
    ("BYTES", "/bytesSynced"),
    ("DURATION", "/duration"),
    ("URL", "/jobUrl"),
];

fn job_id(id: i64) -> CliResult<JobId> {
    JobId::new(id).map_err(|error| CliError::bad(error.to_string()))
}

/// Waits for a job, showing progress: a live line on a terminal, a line per change otherwise.
pub(crate) async fn wait_with_progress(
    out: &Out,
    sync: &SyncResult,
    options: &WaitOptions,
) -> CliResult<JobResponse> {
    let started = Instant::now();
    let interactive = out.interactive();
    let mut last = String::new();
    let job = sync
        .wait_with_progress(options, |job| {
            let rows = job.rows_synced.unwrap_or(0);
            let bytes = job.bytes_synced.unwrap_or(0);
            let summary = format!("{} rows {rows} bytes {}", job.status, human_bytes(bytes));
            let line = format!(
                "job {} {:>9} {:>6.1}s  {rows} rows  {}",
                sync.job_id(),
                job.status.as_str(),
                started.elapsed().as_secs_f64(),
                human_bytes(bytes)
            );
            if interactive {
                eprint!("\r\x1b[2K{line}");
            } else if summary != last {
                eprintln!("{line}");
            }
            last = summary;
        })
        .await;
    if interactive {
        eprintln!();
    }
    Ok(job?)
}

fn result_json(sync: &SyncResult, job: &JobResponse) -> serde_json::Value {
    json!({
        "jobId": job.job_id,
        "connectionId": job.connection_id,
        "jobType": job.job_type,
        "status": job.status,
        "rowsSynced": job.rows_synced.unwrap_or(0),
        "bytesSynced": job.bytes_synced.unwrap_or(0),
        "duration": job.duration,
        "jobUrl": sync.job_url(),
    })
}

pub(crate) async fn sync(workspace: &CloudWorkspace, out: &Out, args: &SyncArgs) -> CliResult {
    let connection = workspace.get_connection(&args.connection)?;
    let options = WaitOptions {
        poll_interval: Duration::from_millis(args.poll_ms.max(10)),
        timeout: Some(Duration::from_secs(args.timeout)),
        cancel_on_timeout: args.cancel_on_timeout,
        ..WaitOptions::default()
    };
    let sync = connection
        .run_sync()
        .wait(false)
        .attach_if_running(args.attach)
        .send()
        .await?;
    if args.no_wait {
        let job = sync.job().await?;
        return out.one(&result_json(&sync, &job), RESULT_COLUMNS);
    }
    let job = wait_with_progress(out, &sync, &options).await?;
    out.one(&result_json(&sync, &job), RESULT_COLUMNS)?;
    sync.success_or_error(job).await?;
    Ok(())
}

pub(crate) async fn run(workspace: &CloudWorkspace, out: &Out, command: JobsCommand) -> CliResult {
    match command {
        JobsCommand::List { connection, limit } => {
            let jobs = workspace
                .get_connection(&connection)?
                .job_history()
                .limit(Some(limit))
                .collect()
                .await?;
            let mut rows = Vec::new();
            for job in jobs {
                rows.push(job.job().await?);
            }
            out.list(&rows, JOB_COLUMNS)
        }
        JobsCommand::Get { job } => {
            let job = workspace
                .client()
                .execute(ops::public::jobs::get(job_id(job)?))
                .await?;
            out.one(&job, JOB_COLUMNS)
        }
        JobsCommand::Cancel { job } => {
            let job = workspace
                .client()
                .execute(ops::public::jobs::cancel(job_id(job)?))
                .await?;
            out.one(&job, JOB_COLUMNS)
        }
        JobsCommand::Logs { job, attempt, tail } => {
            let job = workspace
                .client()
                .execute(ops::public::jobs::get(job_id(job)?))
                .await?;
            let sync = workspace
                .get_connection(job.connection_id.as_str())?
                .get_sync_result(job.job_id);
            let attempts = sync.attempts().await?;
            let chosen = match attempt {
                Some(number) => attempts
                    .iter()
                    .find(|candidate| candidate.number() == number)
                    .ok_or_else(|| {
                        CliError::bad(format!(
                            "job {} has {} attempt(s), not {number}",
                            job.job_id,
                            attempts.len()
                        ))
                    })?,
                None => attempts.last().ok_or_else(|| {
                    CliError::bad(format!("job {} has no attempt yet", job.job_id))
                })?,
            };
            let lines = chosen.log_lines();
            let start = tail.map_or(0, |tail| lines.len().saturating_sub(tail));
            out.text(&lines[start..].join("\n"));
            Ok(())
        }
    }
}
