//! The life of a job, computed from the clock: no task runs in the background. A job's status,
//! attempts, counts and log lines are a pure function of its script and the current time, so a
//! clock speed-up moves every job along at once.

use airbyte_models::{AttemptStatus, JobStatus, JobType};
use serde::{Deserialize, Serialize};

/// How a job ends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// One attempt that succeeds.
    #[default]
    Succeed,
    /// Two attempts that fail (the job is `incomplete` in between).
    Fail,
    /// A failed attempt (`incomplete`), then one that succeeds.
    IncompleteThenSucceed,
    /// One attempt that never ends (until cancelled).
    StayRunning,
}

/// A job as stored.
#[derive(Clone, Debug)]
pub(crate) struct JobRec {
    pub(crate) id: i64,
    pub(crate) connection_id: String,
    pub(crate) workspace_id: String,
    /// `Sync` or `Reset` (clear jobs are reported as resets, as the server does).
    pub(crate) job_type: JobType,
    pub(crate) created_ms: i64,
    pub(crate) duration_ms: i64,
    pub(crate) outcome: Outcome,
    pub(crate) cancelled_ms: Option<i64>,
    pub(crate) streams: Vec<String>,
    /// Whether final side effects (state) have been applied.
    pub(crate) settled: bool,
}

/// An attempt at a point in time.
#[derive(Clone, Debug)]
pub(crate) struct AttemptSnap {
    pub(crate) number: i64,
    pub(crate) status: AttemptStatus,
    pub(crate) created_ms: i64,
    pub(crate) ended_ms: Option<i64>,
    pub(crate) updated_ms: i64,
    pub(crate) records: i64,
    pub(crate) bytes: i64,
    pub(crate) failure: Option<String>,
    pub(crate) log: Vec<LogLine>,
}

/// One log line.
#[derive(Clone, Debug)]
pub(crate) struct LogLine {
    pub(crate) timestamp_ms: i64,
    pub(crate) level: &'static str,
    pub(crate) source: &'static str,
    pub(crate) message: String,
}

/// A job at a point in time.
#[derive(Clone, Debug)]
pub(crate) struct JobSnap {
    pub(crate) status: JobStatus,
    pub(crate) attempts: Vec<AttemptSnap>,
    pub(crate) updated_ms: i64,
    pub(crate) started_ms: Option<i64>,
    pub(crate) records_committed: i64,
    pub(crate) bytes_committed: i64,
    pub(crate) records_emitted: i64,
    pub(crate) bytes_emitted: i64,
}

impl JobSnap {
    pub(crate) fn is_final(&self) -> bool {
        self.status.is_final()
    }
}

/// Fractions of the duration: pending until 10 %, attempts after.
const PENDING_END: f64 = 0.1;
const FIRST_ATTEMPT_END: f64 = 0.5;
const SECOND_ATTEMPT_START: f64 = 0.55;
const BYTES_PER_RECORD: i64 = 256;

struct PlannedAttempt {
    start: f64,
    end: Option<f64>,
    succeeds: bool,
}

fn plan(outcome: Outcome) -> Vec<PlannedAttempt> {
    let attempt = |start, end: Option<f64>, succeeds| PlannedAttempt {
        start,
        end,
        succeeds,
    };
    match outcome {
        Outcome::Succeed => vec![attempt(PENDING_END, Some(1.0), true)],
        Outcome::Fail => vec![
            attempt(PENDING_END, Some(FIRST_ATTEMPT_END), false),
            attempt(SECOND_ATTEMPT_START, Some(1.0), false),
        ],
        Outcome::IncompleteThenSucceed => vec![
            attempt(PENDING_END, Some(FIRST_ATTEMPT_END), false),
            attempt(SECOND_ATTEMPT_START, Some(1.0), true),
        ],
        Outcome::StayRunning => vec![attempt(PENDING_END, None, true)],
    }
}

impl JobRec {
    /// Records a full run of this job syncs (resets sync none).
    fn total_records(&self) -> i64 {
        if self.job_type == JobType::Sync {
            let streams = i64::try_from(self.streams.len().max(1)).unwrap_or(1);
            streams * 250 + (self.id % 7) * 10
        } else {
            0
        }
    }

    /// The job at `now_ms`.
    pub(crate) fn snapshot(&self, now_ms: i64) -> JobSnap {
        let duration = self.duration_ms.max(1) as f64;
        let at = |fraction: f64| self.created_ms.saturating_add((fraction * duration) as i64);
        let effective_now = match self.cancelled_ms {
            Some(cancelled) => now_ms.min(cancelled),
            None => now_ms,
        };
        let progress = (effective_now - self.created_ms) as f64 / duration;
        let total = self.total_records();
        let mut attempts = Vec::new();
        let mut status = JobStatus::Pending;
        let mut updated_ms = self.created_ms;
        let planned = plan(self.outcome);
        let attempt_count = planned.len();
        for (index, attempt) in planned.into_iter().enumerate() {
            if progress < attempt.start {
                break;
            }
            let number = i64::try_from(index).unwrap_or(0) + 1;
            let started = at(attempt.start);
            let span = attempt.end.map(|end| end - attempt.start);
            let done = attempt.end.is_some_and(|end| progress >= end);
            let fraction = match span {
                Some(span) if span > 0.0 => ((progress - attempt.start) / span).clamp(0.0, 1.0),
                _ => (progress - attempt.start).clamp(0.0, 0.9),
            };
            // Failed attempts stop reading at 60 %.
            let reach = if attempt.succeeds {
                fraction
            } else {
                fraction * 0.6
            };
            let records = (total as f64 * reach) as i64;
            let cancelled_here = self.cancelled_ms.is_some() && !done;
            let (attempt_status, ended_ms, failure) = if done {
                let ended = at(attempt.end.unwrap_or(1.0));
                if attempt.succeeds {
                    (AttemptStatus::Succeeded, Some(ended), None)
                } else {
                    (
                        AttemptStatus::Failed,
                        Some(ended),
                        Some("Source connector failed: connection reset by peer".to_owned()),
                    )
                }
            } else if cancelled_here {
                (
                    AttemptStatus::Failed,
                    Some(effective_now),
                    Some("The job was cancelled".to_owned()),
                )
            } else {
                (AttemptStatus::Running, None, None)
            };
            updated_ms = ended_ms.unwrap_or(effective_now);
            status = match attempt_status {
                AttemptStatus::Running => JobStatus::Running,
                AttemptStatus::Succeeded => JobStatus::Succeeded,
                _ if cancelled_here => JobStatus::Cancelled,
                _ if index + 1 < attempt_count => JobStatus::Incomplete,
                _ => JobStatus::Failed,
            };
            let log = self.log_lines(
                number,
                started,
                fraction,
                &attempt_status,
                failure.as_deref(),
                records,
            );
            attempts.push(AttemptSnap {
                number,
                status: attempt_status,
                created_ms: started,
                ended_ms,
                updated_ms,
                records,
                bytes: records * BYTES_PER_RECORD,
                failure,
                log,
            });
        }
        if let Some(cancelled) = self.cancelled_ms
            && !matches!(status, JobStatus::Succeeded | JobStatus::Failed)
        {
            status = JobStatus::Cancelled;
            updated_ms = cancelled.max(self.created_ms);
        }
        let committed: i64 = attempts
            .iter()
            .filter(|attempt| attempt.status != AttemptStatus::Failed)
            .map(|attempt| attempt.records)
            .sum();
        let emitted: i64 = attempts.iter().map(|attempt| attempt.records).sum();
        JobSnap {
            status,
            started_ms: attempts.first().map(|attempt| attempt.created_ms),
            attempts,
            updated_ms,
            records_committed: committed,
            bytes_committed: committed * BYTES_PER_RECORD,
            records_emitted: emitted,
            bytes_emitted: emitted * BYTES_PER_RECORD,
        }
    }

    /// The log lines an attempt has written by `fraction` of its run.
    fn log_lines(
        &self,
        number: i64,
        started_ms: i64,
        fraction: f64,
        status: &AttemptStatus,
        failure: Option<&str>,
        records: i64,
    ) -> Vec<LogLine> {
        let attempt_ms = (self.duration_ms as f64 * 0.4).max(1.0);
        let line = |at: f64, level, source, message: String| LogLine {
            timestamp_ms: started_ms.saturating_add((at * attempt_ms) as i64),
            level,
            source,
            message,
        };
        let mut planned = vec![
            (
                0.0,
                line(
                    0.0,
                    "info",
                    "platform",
                    format!("Starting attempt {number} of job {}", self.id),
                ),
            ),
            (
                0.02,
                line(
                    0.02,
                    "info",
                    "platform",
                    format!("Connection {} ({} job)", self.connection_id, self.job_type),
                ),
            ),
            (
                0.05,
                line(
                    0.05,
                    "info",
                    "source",
                    format!("Starting read of {} streams", self.streams.len()),
                ),
            ),
        ];
        let stream_count = self.streams.len().max(1) as f64;
        for (index, stream) in self.streams.iter().enumerate() {
            let at = 0.1 + 0.7 * (index as f64 / stream_count);
            planned.push((
                at,
                line(at, "info", "source", format!("Reading stream {stream}")),
            ));
            planned.push((
                at + 0.05,
                line(
                    at + 0.05,
                    "debug",
                    "replication-orchestrator",
                    format!("Stream {stream}: records flowing"),
                ),
            ));
        }
        planned.push((
            0.9,
            line(
                0.9,
                "info",
                "destination",
                format!("Committed {records} records"),
            ),
        ));
        let mut out: Vec<LogLine> = planned
            .into_iter()
            .filter(|(at, _)| *at <= fraction)
            .map(|(_, line)| line)
            .collect();
        match status {
            AttemptStatus::Succeeded => out.push(line(
                1.0,
                "info",
                "platform",
                format!("Attempt {number} succeeded"),
            )),
            AttemptStatus::Failed => out.push(line(
                fraction,
                "error",
                "source",
                format!(
                    "Attempt {number} failed: {}",
                    failure.unwrap_or("unknown error")
                ),
            )),
            _ => {}
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(outcome: Outcome) -> JobRec {
        JobRec {
            id: 2,
            connection_id: "c".into(),
            workspace_id: "w".into(),
            job_type: JobType::Sync,
            created_ms: 0,
            duration_ms: 1_000,
            outcome,
            cancelled_ms: None,
            streams: vec!["users".into(), "orders".into()],
            settled: false,
        }
    }

    fn statuses(job: &JobRec) -> Vec<String> {
        let mut seen: Vec<String> = Vec::new();
        for now in (0..=1_200).step_by(10) {
            let status = job.snapshot(now).status.to_string();
            if seen.last() != Some(&status) {
                seen.push(status);
            }
        }
        seen
    }

    #[test]
    fn every_outcome_follows_its_timeline() {
        assert_eq!(
            statuses(&job(Outcome::Succeed)),
            ["pending", "running", "succeeded"]
        );
        assert_eq!(
            statuses(&job(Outcome::Fail)),
            ["pending", "running", "incomplete", "running", "failed"]
        );
        assert_eq!(
            statuses(&job(Outcome::IncompleteThenSucceed)),
            ["pending", "running", "incomplete", "running", "succeeded"]
        );
        assert_eq!(statuses(&job(Outcome::StayRunning)), ["pending", "running"]);
    }

    #[test]
    fn counts_and_logs_grow_while_running() {
        let job = job(Outcome::Succeed);
        let early = job.snapshot(300);
        let late = job.snapshot(800);
        let done = job.snapshot(1_000);
        assert!(early.records_committed < late.records_committed);
        assert!(late.records_committed < done.records_committed);
        assert!(early.attempts[0].log.len() < done.attempts[0].log.len());
        assert_eq!(done.records_committed, 520);
        assert_eq!(done.bytes_committed, 520 * BYTES_PER_RECORD);
    }

    #[test]
    fn cancellation_freezes_the_job() {
        let mut cancelled = job(Outcome::StayRunning);
        cancelled.cancelled_ms = Some(400);
        let snap = cancelled.snapshot(10_000);
        assert_eq!(snap.status, JobStatus::Cancelled);
        assert_eq!(snap.attempts[0].status, AttemptStatus::Failed);
        assert_eq!(snap.updated_ms, 400);
        assert_eq!(snap.records_committed, 0);
    }
}
