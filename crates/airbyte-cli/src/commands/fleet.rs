//! Many connections at once: `sync --all | --tag T | --name GLOB` and `connections status`.

use std::time::Duration;

use airbyte::cloud::{
    ConnectionHealth, ConnectionSelection, FleetEvent, FleetJob, FleetOutcome, SyncMany,
};
use airbyte::prelude::*;
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::cli::SyncArgs;
use crate::error::{CliError, CliResult, exit};
use crate::fleet_watch::FleetView;
use crate::output::{Column, Kind, Out, col, human, text};
use crate::plan::{Action, Change, Plan};
use crate::wait::{self, Cancel};

/// The columns of a fleet run's summary.
const SUMMARY_COLUMNS: &[Column] = &[
    text("CONNECTION", "/name"),
    col("RESULT", "/result", Kind::Status),
    text("JOB", "/jobId"),
    col("ROWS", "/rowsSynced", Kind::Count),
    col("BYTES", "/bytesSynced", Kind::Bytes),
    col("DURATION", "/duration", Kind::Duration),
    text("FAILURE", "/failure"),
];

/// The columns of `connections status`.
const STATUS_COLUMNS: &[Column] = &[
    text("CONNECTION", "/name"),
    col("HEALTH", "/health", Kind::Status),
    col("STATUS", "/status", Kind::Status),
    text("LAST JOB", "/jobId"),
    col("JOB STATUS", "/jobStatus", Kind::Status),
    col("STARTED", "/startTime", Kind::Time),
    col("DURATION", "/duration", Kind::Duration),
    text("FAILURE", "/failure"),
];

/// How many failure reasons are read at once (one Config API read each).
const REASONS_AT_ONCE: usize = 8;
/// How long reading one failure reason may take.
const REASON_LIMIT: Duration = Duration::from_secs(20);

/// The reason of a job's last failed attempt, if the Config API tells it in time.
async fn failure_reason(sync: &SyncResult) -> Option<String> {
    let attempts = tokio::time::timeout(REASON_LIMIT, sync.attempts())
        .await
        .ok()?
        .ok()?;
    attempts
        .iter()
        .rev()
        .find_map(airbyte::cloud::SyncAttempt::failure_message)
}

/// Why the failed jobs of `items` failed (`failed` gives an item's failed job), in order: the
/// Config API's attempts, a few at a time.
async fn failure_reasons<T: Sync>(
    items: &[T],
    failed: impl Fn(&T) -> Option<&SyncResult> + Sync,
) -> Vec<Option<String>> {
    futures_util::stream::iter(items)
        .map(|item| async {
            match failed(item) {
                Some(sync) => failure_reason(sync).await,
                None => None,
            }
        })
        .buffered(REASONS_AT_ONCE)
        .collect()
        .await
}

/// The selection the flags ask for.
fn selection(args: &SyncArgs) -> CliResult<ConnectionSelection> {
    let selection = if args.all {
        ConnectionSelection::All
    } else if let Some(tag) = &args.tag {
        ConnectionSelection::tag(tag.clone())?
    } else if let Some(pattern) = &args.name {
        ConnectionSelection::name(pattern)?
    } else {
        return Err(CliError::bad(
            "give a connection, or --all, --tag or --name",
        ));
    };
    Ok(selection)
}

/// The selection in the words of its flag: `--tag "nightly"`.
fn described(args: &SyncArgs) -> String {
    match (&args.tag, &args.name) {
        (Some(tag), _) => format!("--tag \"{}\"", crate::output::escape(tag)),
        (None, Some(pattern)) => format!("--name \"{}\"", crate::output::escape(pattern)),
        (None, None) => "--all (the workspace has no connection)".to_owned(),
    }
}

/// One result as printed: the connection, how it ended, the job and its counts.
fn result_json(job: &FleetJob, failure: Option<&str>) -> Value {
    let last = job.job();
    let failure = match job.outcome() {
        FleetOutcome::Error(error) => Some(match job.sync().filter(|_| job.may_still_run()) {
            Some(sync) => format!("{error}; {}", still_running(sync.job_id())),
            None => error.to_string(),
        }),
        _ => failure.map(str::to_owned),
    };
    json!({
        "connectionId": job.connection().id(),
        "name": job.name(),
        "result": job.outcome().label(),
        "jobId": job.sync().map(|sync| sync.job_id()),
        "startedHere": job.sync().map(|sync| sync.is_owned()),
        "status": last.map(|job| job.status.clone()),
        "rowsSynced": last.and_then(|job| job.rows_synced),
        "bytesSynced": last.and_then(|job| job.bytes_synced),
        "duration": last.and_then(|job| job.duration.clone()),
        "jobUrl": job.sync().and_then(SyncResult::job_url),
        "failure": failure,
        "mayStillRun": job.may_still_run(),
    })
}

/// What is said of a job this command stopped following without cancelling it.
fn still_running(job_id: impl std::fmt::Display) -> String {
    format!("job {job_id} may still be running; not cancelled")
}

/// `sync --all | --tag T | --name GLOB`: starts the syncs, `--parallel` at a time, shows
/// them as they run and end, then prints a summary. Exit code 3 when any failed (or could not
/// run), 4 when none failed but some timed out.
pub(crate) async fn sync_many(workspace: &CloudWorkspace, out: &Out, args: &SyncArgs) -> CliResult {
    let options = &args.options;
    if options.no_wait {
        return Err(CliError::bad(
            "--no-wait takes one connection; --all, --tag and --name wait for every sync",
        ));
    }
    let cancel = Cancel {
        on_timeout: options.cancel_on_timeout,
        not_started_here: options.cancel_attached,
    };
    let mut fleet: SyncMany = workspace
        .sync_many(selection(args)?)
        .parallel(args.parallel)
        .wait_options(wait::options(&options.wait, cancel))
        .attach_if_running(options.attach);
    if let Some(rate) = args.max_rate {
        fleet = fleet.max_request_rate(rate);
    }
    if options.dry_run.dry_run {
        let selected = fleet.preview().await?;
        let mut changes = Vec::new();
        for connection in selected.to_sync() {
            // As listed: no request.
            let name = connection.name().await?;
            changes.push(
                Change::new(Action::Start, "job")
                    .name("sync")
                    .detail(format!("of connection \"{name}\" ({})", connection.id())),
            );
        }
        Plan::of_all(changes).preview(options.dry_run, out);
        if !selected.skipped().is_empty() {
            out.note(&format!(
                "{} inactive connection(s) would be skipped",
                selected.skipped().len()
            ));
        }
        return Ok(());
    }
    let started = std::time::Instant::now();
    let mut run = fleet.start();
    let mut view = FleetView::new(
        out,
        run.handle(),
        options.wait.cancel_on_interrupt,
        options.cancel_attached,
    );
    let mut jobs = Vec::new();
    while let Some(event) = run.next().await {
        let event = match event {
            Ok(event) => event,
            Err(error) => {
                view.finish();
                return Err(error.into());
            }
        };
        view.event(&event);
        if let FleetEvent::Finished(job) = event {
            jobs.push(*job);
        }
    }
    let stats = run.handle().stats();
    view.finish();
    let reasons = failure_reasons(&jobs, |job| match job.outcome() {
        FleetOutcome::Failed => job.sync(),
        _ => None,
    })
    .await;
    let rows: Vec<Value> = jobs
        .iter()
        .zip(&reasons)
        .map(|(job, reason)| result_json(job, reason.as_deref()))
        .collect();
    out.list(&rows, SUMMARY_COLUMNS)?;
    let count = |label: &str| {
        jobs.iter()
            .filter(|job| job.outcome().label() == label)
            .count()
    };
    let failed: Vec<&FleetJob> = jobs
        .iter()
        .filter(|job| matches!(job.outcome(), FleetOutcome::Failed | FleetOutcome::Error(_)))
        .collect();
    let timed_out = count("timed out");
    let mut summary = format!(
        "{} connection(s): {} succeeded, {} failed, {timed_out} timed out",
        jobs.len(),
        count("succeeded"),
        failed.len(),
    );
    for (label, shown) in [
        ("skipped", "skipped (inactive)"),
        ("not started", "not started"),
    ] {
        let n = count(label);
        if n > 0 {
            summary.push_str(&format!(", {n} {shown}"));
        }
    }
    summary.push_str(&format!(" in {}", human::duration(started.elapsed())));
    if jobs.is_empty() {
        // A typo in a tag or a pattern must not pass for a quiet night.
        summary.push_str(&format!("; no connection matched {}", described(args)));
    }
    if stats.throttled > 0 {
        summary.push_str(&format!(
            "; rate limited {} time(s), every refused request sent again",
            stats.throttled
        ));
    }
    // A job whose status could no longer be read was left as it was: say so, with its ID.
    for job in &jobs {
        if let (FleetOutcome::Error(_), Some(sync), true) =
            (job.outcome(), job.sync(), job.may_still_run())
        {
            summary.push_str(&format!("; {}", still_running(sync.job_id())));
        }
    }
    out.note(&summary);
    if !failed.is_empty() {
        let names: Vec<String> = failed
            .iter()
            .take(10)
            .map(|job| format!("\"{}\"", crate::output::escape(job.name())))
            .collect();
        let more = failed.len().saturating_sub(names.len());
        let mut message = format!(
            "{} of {} sync(s) failed: {}",
            failed.len(),
            jobs.len(),
            names.join(", ")
        );
        if more > 0 {
            message.push_str(&format!(" and {more} more"));
        }
        return Err(CliError::Code(
            exit::JOB_FAILED,
            Some(Box::new(CliError::bad(message))),
        ));
    }
    if timed_out > 0 {
        let left: Vec<String> = jobs
            .iter()
            .filter(|job| matches!(job.outcome(), FleetOutcome::TimedOut { cancelled: false }))
            .filter_map(|job| job.sync().map(|sync| sync.job_id().to_string()))
            .collect();
        let mut message = format!("{timed_out} sync(s) were still running at the timeout");
        if !left.is_empty() {
            message.push_str(&format!(
                "; still running (not cancelled): job {}",
                left.join(", job ")
            ));
        }
        return Err(CliError::TimedOut(message));
    }
    Ok(())
}

/// `connections status`: the latest sync of every connection, failing ones first, with why
/// they failed.
pub(crate) async fn status(workspace: &CloudWorkspace, out: &Out, failing: bool) -> CliResult {
    let health = workspace.connections_status().only_failing(failing).await?;
    let reasons = failure_reasons(&health, |health| match health.health() {
        airbyte::cloud::Health::Failing => health.latest_sync(),
        _ => None,
    })
    .await;
    let rows: Vec<Value> = health
        .iter()
        .zip(&reasons)
        .map(|(health, reason)| status_json(health, reason.as_deref()))
        .collect();
    out.list(&rows, STATUS_COLUMNS)
}

fn status_json(health: &ConnectionHealth, failure: Option<&str>) -> Value {
    let job = health.latest_job();
    json!({
        "connectionId": health.connection().id(),
        "name": health.name(),
        "health": health.health().label(),
        "status": health.status(),
        "jobId": job.map(|job| job.job_id),
        "jobStatus": job.map(|job| job.status.clone()),
        "startTime": job.map(|job| job.start_time.clone()),
        "duration": job.and_then(|job| job.duration.clone()),
        "rowsSynced": job.and_then(|job| job.rows_synced),
        "jobUrl": health.latest_sync().and_then(SyncResult::job_url),
        "failure": failure,
    })
}
