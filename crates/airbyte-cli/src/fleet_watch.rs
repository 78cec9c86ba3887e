//! Watching many syncs at once: live progress (a line per running job under a header on a
//! terminal, a line per event otherwise), and what Ctrl-C, SIGTERM or `--command-timeout` do
//! to the jobs of a fleet run.
//!
//! The run is registered here, so that `main`, which owns the signals and the command's time
//! limit, can name the jobs that keep running, or cancel the ones this command started with
//! `--cancel-on-interrupt` (jobs followed with `--attach` only with `--cancel-attached`).

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use airbyte::cloud::{CloudConnection, FleetEvent, FleetHandle, FleetJob, FleetOutcome};
use airbyte::models::{JobId, JobResponse};
use airbyte::prelude::*;
use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::output::{Out, escape, human, write_stderr};
use crate::wait::{Stop, hints};

/// The most job lines drawn at once under the header; the others wait for a line.
const MAX_LINES: usize = 12;

/// How long cancelling the jobs after Ctrl-C may take before the tool gives up.
const CANCEL_LIMIT: Duration = Duration::from_secs(30);

/// The run being watched.
struct Watched {
    handle: FleetHandle,
    cancel_on_interrupt: bool,
    cancel_attached: bool,
    multi: Option<MultiProgress>,
}

static WATCHED: Mutex<Option<Watched>> = Mutex::new(None);

fn watched() -> std::sync::MutexGuard<'static, Option<Watched>> {
    WATCHED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A job's line: `name  job 123  running  12s  1,234 rows`.
fn job_line(name: &str, job: Option<&JobResponse>, job_id: JobId, elapsed: Duration) -> String {
    let (status, rows) = job.map_or(("pending", 0), |job| {
        (job.status.as_str(), job.rows_synced.unwrap_or(0))
    });
    format!(
        "{}  job {job_id}  {status}  {}  {} rows",
        escape(name),
        human::duration(elapsed),
        human::count(rows)
    )
}

/// A finished job's line: `succeeded  name  job 123  3s  1,234 rows`.
pub(crate) fn result_line(job: &FleetJob) -> String {
    let mut line = format!("{:<11} {}", job.outcome().label(), escape(job.name()));
    if let Some(sync) = job.sync() {
        line.push_str(&format!("  job {}", sync.job_id()));
        if !sync.is_owned() {
            line.push_str(" (started elsewhere)");
        }
        if job.sync().is_some() && !matches!(job.outcome(), FleetOutcome::Error(_)) {
            line.push_str(&format!("  {}", human::duration(job.waited())));
        }
    }
    if let Some(rows) = job.job().and_then(|job| job.rows_synced) {
        line.push_str(&format!("  {} rows", human::count(rows)));
    }
    match job.outcome() {
        FleetOutcome::Error(error) => {
            line.push_str(&format!(": {}", escape(&error.to_string())));
            if job.may_still_run() {
                line.push_str("; may still be running; not cancelled");
            }
        }
        FleetOutcome::TimedOut { cancelled } | FleetOutcome::Stopped { cancelled } => {
            line.push_str(if *cancelled {
                "; cancelled"
            } else {
                "; keeps running"
            });
        }
        _ => {}
    }
    line
}

/// Counts for the header and the final note.
#[derive(Default)]
struct Tally {
    total: usize,
    done: usize,
    failed: usize,
    running: usize,
    throttled: usize,
}

impl Tally {
    fn header(&self, started: Instant) -> String {
        let mut text = format!("syncs: {}/{} done", self.done, self.total);
        if self.failed > 0 {
            text.push_str(&format!(", {} failed", self.failed));
        }
        text.push_str(&format!(
            ", {} running, {} waiting  {}",
            self.running,
            self.total.saturating_sub(self.done + self.running),
            human::duration(started.elapsed())
        ));
        if self.throttled > 0 {
            text.push_str(&format!("  (rate limited {} times)", self.throttled));
        }
        text
    }
}

/// A running job as the view knows it.
struct Shown {
    name: String,
    job_id: JobId,
    started: Instant,
    last: Option<JobResponse>,
    /// The status last printed (line mode).
    printed: Option<String>,
}

/// Live progress of a fleet run on stderr.
pub(crate) struct FleetView {
    started: Instant,
    tally: Tally,
    running: HashMap<JobId, Shown>,
    live: Option<Live>,
}

/// The terminal view: a header and up to [`MAX_LINES`] job lines.
struct Live {
    multi: MultiProgress,
    header: ProgressBar,
    lines: HashMap<JobId, ProgressBar>,
    /// Running jobs without a line, oldest first.
    waiting: VecDeque<JobId>,
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

impl FleetView {
    /// A view for `out`: live on a terminal that can draw, lines otherwise. Registers the run
    /// for Ctrl-C and the command's time limit.
    pub(crate) fn new(
        out: &Out,
        handle: FleetHandle,
        cancel_on_interrupt: bool,
        cancel_attached: bool,
    ) -> Self {
        let live = out.live_progress().then(|| {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr());
            let header = multi.add(ProgressBar::new_spinner());
            header.set_style(spinner_style());
            header.set_message("listing the connections");
            header.enable_steady_tick(Duration::from_millis(120));
            Live {
                multi,
                header,
                lines: HashMap::new(),
                waiting: VecDeque::new(),
            }
        });
        *watched() = Some(Watched {
            handle,
            cancel_on_interrupt,
            cancel_attached,
            multi: live.as_ref().map(|live| live.multi.clone()),
        });
        Self {
            started: Instant::now(),
            tally: Tally::default(),
            running: HashMap::new(),
            live,
        }
    }

    /// Shows one event.
    pub(crate) fn event(&mut self, event: &FleetEvent) {
        match event {
            FleetEvent::Selected { total, skipped } => {
                self.tally.total = *total;
                if self.live.is_none() {
                    write_stderr(&format!(
                        "selected {total} connection(s){}\n",
                        if *skipped > 0 {
                            format!(", {skipped} inactive (skipped)")
                        } else {
                            String::new()
                        }
                    ));
                }
            }
            FleetEvent::Started { name, sync } => {
                self.tally.running += 1;
                let job_id = sync.job_id();
                self.running.insert(
                    job_id,
                    Shown {
                        name: name.clone(),
                        job_id,
                        started: Instant::now(),
                        last: None,
                        printed: None,
                    },
                );
                match &mut self.live {
                    Some(live) => {
                        live.waiting.push_back(job_id);
                        self.fill_lines();
                    }
                    None => {
                        let verb = if sync.is_owned() {
                            "started"
                        } else {
                            "following"
                        };
                        write_stderr(&format!(
                            "{verb:<11} {}  job {job_id}{}\n",
                            escape(name),
                            if sync.is_owned() {
                                ""
                            } else {
                                " (started elsewhere)"
                            }
                        ));
                    }
                }
            }
            FleetEvent::Progress { sync, job, .. } => {
                let Some(shown) = self.running.get_mut(&sync.job_id()) else {
                    return;
                };
                shown.last = Some(job.clone());
                let line = job_line(
                    &shown.name,
                    Some(job),
                    shown.job_id,
                    shown.started.elapsed(),
                );
                match &self.live {
                    Some(live) => {
                        if let Some(bar) = live.lines.get(&sync.job_id()) {
                            bar.set_message(line);
                        }
                    }
                    None => {
                        // A line when the status changes, not on every poll.
                        let status = job.status.as_str().to_owned();
                        if shown.printed.as_deref() != Some(&status) {
                            write_stderr(&format!("{:<11} {line}\n", status));
                            shown.printed = Some(status);
                        }
                    }
                }
            }
            FleetEvent::Throttled {
                in_flight,
                per_second,
            } => {
                self.tally.throttled += 1;
                if self.live.is_none() {
                    let pace = per_second
                        .map(|rate| format!(", about {rate:.0} per second"))
                        .unwrap_or_default();
                    write_stderr(&format!(
                        "rate limited (HTTP 429): {in_flight} request(s) at once{pace} from now on\n"
                    ));
                }
            }
            FleetEvent::Finished(job) => self.finished(job),
            _ => {}
        }
        self.refresh();
    }

    fn finished(&mut self, job: &FleetJob) {
        self.tally.done += 1;
        if job.outcome().is_failure() {
            self.tally.failed += 1;
        }
        let line = result_line(job);
        if let Some(sync) = job.sync()
            && self.running.remove(&sync.job_id()).is_some()
        {
            self.tally.running = self.tally.running.saturating_sub(1);
            if let Some(live) = &mut self.live {
                if let Some(bar) = live.lines.remove(&sync.job_id()) {
                    bar.finish_and_clear();
                    live.multi.remove(&bar);
                }
                live.waiting.retain(|id| *id != sync.job_id());
            }
        }
        match &self.live {
            // Above the bars; a terminal that went away is not an error.
            Some(live) => {
                let _ = live.multi.println(line);
            }
            None => write_stderr(&format!("{line}\n")),
        }
        self.fill_lines();
    }

    /// Gives waiting jobs the lines that are free.
    fn fill_lines(&mut self) {
        let Some(live) = &mut self.live else {
            return;
        };
        while live.lines.len() < MAX_LINES {
            let Some(job_id) = live.waiting.pop_front() else {
                break;
            };
            let Some(shown) = self.running.get(&job_id) else {
                continue;
            };
            let bar = live.multi.add(ProgressBar::new_spinner());
            bar.set_style(spinner_style());
            bar.set_message(job_line(
                &shown.name,
                shown.last.as_ref(),
                job_id,
                shown.started.elapsed(),
            ));
            live.lines.insert(job_id, bar);
        }
    }

    fn refresh(&self) {
        if let Some(live) = &self.live {
            let mut header = self.tally.header(self.started);
            if !live.waiting.is_empty() {
                header.push_str(&format!(
                    "  ({} more running, not shown)",
                    live.waiting.len()
                ));
            }
            live.header.set_message(header);
        }
    }

    /// Clears the live view and forgets the run (it ended).
    pub(crate) fn finish(self) {
        watched().take();
        if let Some(live) = &self.live {
            for bar in live.lines.values() {
                bar.finish_and_clear();
            }
            live.header.finish_and_clear();
            let _ = live.multi.clear();
        }
    }
}

fn clear(multi: Option<&MultiProgress>) {
    if let Some(multi) = multi {
        let _ = multi.clear();
        multi.set_draw_target(ProgressDrawTarget::hidden());
    }
}

/// The jobs left running, with how to follow or cancel each.
fn keeps_running(jobs: &[SyncResult], why: &str) -> String {
    let mut text = format!("{} job(s) keep running{why}:\n", jobs.len());
    for sync in jobs {
        text.push_str(&format!(
            "  job {} of connection {}\n",
            sync.job_id(),
            crate::output::escaped(sync.connection().id())
        ));
    }
    if let Some(first) = jobs.first() {
        text.push_str(&format!("{}\n", hints(first.job_id())));
    }
    text
}

/// The connections whose sync start was sent when the run stopped, its answer never heard: a
/// job may have started on each, which this command can neither name nor cancel (a sync found
/// running there may be someone else's).
fn starts_unanswered(connections: &[CloudConnection]) -> String {
    let mut text = String::new();
    if connections.is_empty() {
        return text;
    }
    text.push_str(&format!(
        "{} sync start(s) were sent but not answered: a job may have started (not cancelled) on\n",
        connections.len()
    ));
    for connection in connections {
        let id = crate::output::escaped(connection.id());
        text.push_str(&format!(
            "  connection {id} (see: airbyte jobs list {id} --limit 1)\n"
        ));
    }
    text
}

/// What Ctrl-C or SIGTERM does to a fleet run being watched: its jobs keep running (listed,
/// with how to follow or cancel them), or with `--cancel-on-interrupt` the jobs this command
/// started are cancelled (and jobs followed with `--attach` only with `--cancel-attached`).
/// `false` when no fleet run is watched.
pub(crate) async fn stopped(stop: Stop) -> bool {
    let Some(watched) = watched().take() else {
        return false;
    };
    clear(watched.multi.as_ref());
    let word = stop.word();
    let running = watched.handle.running();
    let unanswered = starts_unanswered(&watched.handle.starting());
    watched.handle.stop(airbyte::cloud::StopMode::LeaveRunning);
    if !watched.cancel_on_interrupt {
        write_stderr(&format!(
            "\n{word}: {}{unanswered}",
            keeps_running(&running, "")
        ));
        return true;
    }
    let (cancel, spared): (Vec<SyncResult>, Vec<SyncResult>) = running
        .into_iter()
        .partition(|sync| sync.is_owned() || watched.cancel_attached);
    write_stderr(&format!(
        "\n{word}: cancelling {} job(s) started here (Ctrl-C again to leave them running)...\n",
        cancel.len()
    ));
    let cancels = futures_util::future::join_all(cancel.iter().map(|sync| async move {
        tokio::time::timeout(CANCEL_LIMIT, sync.cancel())
            .await
            .ok()
            .and_then(Result::ok)
    }));
    let answers = tokio::select! {
        answers = cancels => Some(answers),
        _ = tokio::signal::ctrl_c() => None,
    };
    let mut left = spared.clone();
    match answers {
        Some(answers) => {
            for (sync, answer) in cancel.iter().zip(answers) {
                match answer {
                    Some(_) => write_stderr(&format!("cancelled job {}\n", sync.job_id())),
                    None => {
                        write_stderr(&format!("could not cancel job {}\n", sync.job_id()));
                        left.push(sync.clone());
                    }
                }
            }
        }
        None => left.extend(cancel),
    }
    if !left.is_empty() {
        let why = if spared.is_empty() {
            ""
        } else {
            " (jobs followed with --attach are not cancelled without --cancel-attached)"
        };
        write_stderr(&keeps_running(&left, why));
    }
    write_stderr(&unanswered);
    true
}

/// What `--command-timeout` does to a fleet run: like Ctrl-C without a cancel. The message,
/// when a run was watched.
pub(crate) fn command_timed_out() -> Option<String> {
    let watched = watched().take()?;
    clear(watched.multi.as_ref());
    let running = watched.handle.running();
    let unanswered = starts_unanswered(&watched.handle.starting());
    watched.handle.stop(airbyte::cloud::StopMode::LeaveRunning);
    Some(format!(
        "; {}",
        format!("{}{unanswered}", keeps_running(&running, "")).trim_end()
    ))
}
