//! `jobs/get`: a job with its attempts and their logs.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::macros::open_enum;
use crate::{
    EpochMillis, EpochSeconds, FailureReason, JobConfigType, JobId, JobStatus, LogFormatType,
    StreamDescriptor,
};

/// `{"id": <job id>}`: the body of `jobs/get` and `jobs/cancel`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobIdRequest {
    /// The job.
    pub id: JobId,
}

/// Totals of a job.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobAggregatedStats {
    /// Records emitted by the source.
    #[serde(default)]
    pub records_emitted: i64,
    /// Bytes emitted by the source.
    #[serde(default)]
    pub bytes_emitted: i64,
    /// Records committed by the destination.
    #[serde(default)]
    pub records_committed: i64,
    /// Bytes committed by the destination.
    #[serde(default)]
    pub bytes_committed: i64,
    /// Records rejected.
    #[serde(default)]
    pub records_rejected: i64,
}

/// A job as the Config API describes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobRead {
    /// The job's ID.
    pub id: JobId,
    /// The kind of job.
    pub config_type: JobConfigType,
    /// What the job runs for (the connection ID for syncs).
    pub config_id: String,
    /// The streams the job covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled_streams: Option<Vec<StreamDescriptor>>,
    /// When the job was created (epoch seconds).
    #[serde(default, skip_serializing_if = "EpochSeconds::is_absent")]
    pub created_at: EpochSeconds,
    /// When the job last changed (epoch seconds).
    #[serde(default, skip_serializing_if = "EpochSeconds::is_absent")]
    pub updated_at: EpochSeconds,
    /// When the job started (epoch seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<EpochSeconds>,
    /// The status.
    pub status: JobStatus,
    /// Reset settings, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset_config: Option<Value>,
    /// Refresh settings, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_config: Option<Value>,
    /// Totals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aggregated_stats: Option<JobAggregatedStats>,
    /// Totals per stream, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_aggregated_stats: Option<Value>,
}

open_enum!(
    /// The status of an attempt.
    AttemptStatus {
        /// Running.
        Running = "running",
        /// Failed.
        Failed = "failed",
        /// Succeeded.
        Succeeded = "succeeded",
    }
);

/// Statistics of an attempt.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttemptStats {
    /// Records emitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records_emitted: Option<i64>,
    /// Bytes emitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes_emitted: Option<i64>,
    /// State messages emitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state_messages_emitted: Option<i64>,
    /// Bytes committed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes_committed: Option<i64>,
    /// Records committed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records_committed: Option<i64>,
    /// Records rejected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records_rejected: Option<i64>,
    /// Estimated records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_records: Option<i64>,
    /// Estimated bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_bytes: Option<i64>,
}

/// Statistics of one stream in an attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttemptStreamStats {
    /// The stream's name.
    pub stream_name: String,
    /// The stream's namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_namespace: Option<String>,
    /// The statistics.
    #[serde(default)]
    pub stats: AttemptStats,
}

/// The failures of an attempt.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttemptFailureSummary {
    /// The failures.
    #[serde(default)]
    pub failures: Vec<FailureReason>,
    /// Whether some data was committed anyway.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial_success: Option<bool>,
}

/// One attempt of a job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttemptRead {
    /// The server's attempt ID (not its position in the list).
    pub id: i64,
    /// The status.
    pub status: AttemptStatus,
    /// When it was created (epoch seconds).
    #[serde(default, skip_serializing_if = "EpochSeconds::is_absent")]
    pub created_at: EpochSeconds,
    /// When it last changed (epoch seconds).
    #[serde(default, skip_serializing_if = "EpochSeconds::is_absent")]
    pub updated_at: EpochSeconds,
    /// When it ended (epoch seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<EpochSeconds>,
    /// Bytes synced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes_synced: Option<i64>,
    /// Records synced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub records_synced: Option<i64>,
    /// Totals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_stats: Option<AttemptStats>,
    /// Totals per stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_stats: Option<Vec<AttemptStreamStats>>,
    /// Failures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_summary: Option<AttemptFailureSummary>,
}

open_enum!(
    /// The level of a log event.
    LogLevel {
        /// Debug.
        Debug = "debug",
        /// Error.
        Error = "error",
        /// Info.
        Info = "info",
        /// Trace.
        Trace = "trace",
        /// Warning.
        Warn = "warn",
    }
);

open_enum!(
    /// Which component wrote a log event.
    LogSource {
        /// The destination connector.
        Destination = "destination",
        /// The source connector.
        Source = "source",
        /// The platform.
        Platform = "platform",
        /// The replication orchestrator.
        ReplicationOrchestrator = "replication-orchestrator",
    }
);

/// One structured log event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEvent {
    /// When it was written (epoch milliseconds).
    #[serde(default, skip_serializing_if = "EpochMillis::is_absent")]
    pub timestamp: EpochMillis,
    /// The message.
    #[serde(default)]
    pub message: String,
    /// The level; required by the spec, tolerated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<LogLevel>,
    /// The writer; required by the spec, tolerated when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_source: Option<LogSource>,
    /// The calling code location, as JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caller: Option<Value>,
    /// A stack trace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack_trace: Option<String>,
}

/// The logs of an attempt or synchronous job: structured `events` (`LogEvents`) or plain
/// `logLines` (`LogRead`). Both are optional so that either shape, or a mix, decodes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttemptLogs {
    /// Structured events.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<LogEvent>>,
    /// The events format version (`"1"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Plain lines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_lines: Option<Vec<String>>,
}

impl AttemptLogs {
    /// The log as text, one line per event or log line. Events render as
    /// `<RFC 3339 time> <LEVEL> <message>`; events take precedence when both forms are present.
    #[must_use]
    pub fn to_text(&self) -> String {
        if let Some(events) = &self.events {
            let mut out = String::new();
            for event in events {
                let when = event
                    .timestamp
                    .to_datetime()
                    .map(crate::format_server_datetime)
                    .unwrap_or_else(|| event.timestamp.raw().to_string());
                let level = event
                    .level
                    .as_ref()
                    .map_or_else(|| "INFO".to_owned(), |level| level.as_str().to_uppercase());
                let _ = writeln!(out, "{when} {level} {}", event.message);
            }
            out.pop();
            return out;
        }
        self.log_lines
            .as_ref()
            .map(|lines| lines.join("\n"))
            .unwrap_or_default()
    }

    /// The number of lines [`AttemptLogs::to_text`] produces.
    #[must_use]
    pub fn line_count(&self) -> usize {
        match (&self.events, &self.log_lines) {
            (Some(events), _) => events.len(),
            (None, Some(lines)) => lines.len(),
            (None, None) => 0,
        }
    }
}

/// One attempt with its logs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttemptInfoRead {
    /// The attempt.
    pub attempt: AttemptRead,
    /// The log format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_type: Option<LogFormatType>,
    /// The logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logs: Option<AttemptLogs>,
}

/// The answer of `jobs/get`: the job and its attempts, oldest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobInfoRead {
    /// The job.
    pub job: JobRead,
    /// The attempts.
    #[serde(default)]
    pub attempts: Vec<AttemptInfoRead>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_log_shapes_render_as_text() {
        let events: AttemptLogs = serde_json::from_value(json!({
            "events": [
                {"timestamp": 1714566600000i64, "message": "started", "level": "info", "logSource": "platform"},
                {"timestamp": 1714566601000i64, "message": "boom", "level": "error", "logSource": "source"}
            ],
            "version": "1"
        }))
        .unwrap();
        assert_eq!(
            events.to_text(),
            "2024-05-01T12:30Z INFO started\n2024-05-01T12:30:01Z ERROR boom"
        );
        let lines: AttemptLogs = serde_json::from_value(json!({"logLines": ["l1", "l2"]})).unwrap();
        assert_eq!(lines.to_text(), "l1\nl2");
        assert_eq!(lines.line_count(), 2);
        assert_eq!(AttemptLogs::default().to_text(), "");
    }
}
