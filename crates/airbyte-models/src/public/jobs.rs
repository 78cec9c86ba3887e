//! Jobs: sync, reset, refresh and clear runs of a connection.

use serde::{Deserialize, Serialize};

use crate::macros::open_enum;
use crate::{ApiDateTime, ConnectionId, IsoDuration, JobId, ListResponse};

open_enum!(
    /// The status of a job. Use [`JobStatus::is_final`] rather than matching: the server adds
    /// values (`queued` arrived late and broke strict clients).
    JobStatus {
        /// Created, not started.
        Pending = "pending",
        /// Waiting for capacity.
        Queued = "queued",
        /// Running.
        Running = "running",
        /// An attempt failed and the job will retry; not final.
        Incomplete = "incomplete",
        /// Failed for good.
        Failed = "failed",
        /// Finished successfully.
        Succeeded = "succeeded",
        /// Cancelled.
        Cancelled = "cancelled",
    }
);

impl JobStatus {
    /// The statuses after which a job never changes again.
    pub const FINAL: &'static [Self] = &[Self::Succeeded, Self::Failed, Self::Cancelled];

    /// Whether the job is over: `succeeded`, `failed` or `cancelled`. Unknown values count as
    /// not final, so a waiting client keeps polling (and its timeout still applies).
    #[must_use]
    pub fn is_final(&self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Cancelled)
    }

    /// Whether the job may still change: `pending`, `queued`, `running`, `incomplete`, or a
    /// value this version does not know.
    #[must_use]
    pub fn is_in_progress(&self) -> bool {
        !self.is_final()
    }

    /// Whether the job succeeded.
    #[must_use]
    pub fn is_success(&self) -> bool {
        matches!(self, Self::Succeeded)
    }

    /// Whether the job ended without success (`failed` or `cancelled`).
    #[must_use]
    pub fn is_failure(&self) -> bool {
        matches!(self, Self::Failed | Self::Cancelled)
    }
}

open_enum!(
    /// The type of a job.
    JobType {
        /// Copy data.
        Sync = "sync",
        /// Reset the destination data (the older name of `clear`).
        Reset = "reset",
        /// Refresh: re-sync from scratch while keeping data. The Public API refuses it.
        Refresh = "refresh",
        /// Clear the destination data.
        Clear = "clear",
    }
);

/// A job, as returned by `GET /jobs/{jobId}`, `POST /jobs` and `DELETE /jobs/{jobId}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobResponse {
    /// The job's ID.
    pub job_id: JobId,
    /// The status.
    pub status: JobStatus,
    /// The type.
    pub job_type: JobType,
    /// When the job was created; the server drops zero seconds (`"2024-05-01T12:30Z"`).
    #[serde(default, skip_serializing_if = "ApiDateTime::is_absent")]
    pub start_time: ApiDateTime,
    /// The connection the job runs for.
    pub connection_id: ConnectionId,
    /// When the job last changed; set only once it is final.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_at: Option<ApiDateTime>,
    /// How long the job ran (ISO-8601, `"PT11M7S"`); absent while pending.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<IsoDuration>,
    /// Bytes committed; absent when there are no statistics yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes_synced: Option<i64>,
    /// Records committed; absent when there are no statistics yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows_synced: Option<i64>,
}

/// A page of jobs (`GET /jobs`).
pub type JobsResponse = ListResponse<JobResponse>;

/// The body of `POST /jobs`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobCreateRequest {
    /// The connection to run.
    pub connection_id: ConnectionId,
    /// What to run.
    pub job_type: JobType,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_and_in_progress_statuses() {
        for status in ["succeeded", "failed", "cancelled"] {
            assert!(JobStatus::from_wire(status).is_final(), "{status}");
        }
        for status in [
            "pending",
            "queued",
            "running",
            "incomplete",
            "paused-by-martians",
        ] {
            assert!(JobStatus::from_wire(status).is_in_progress(), "{status}");
        }
        assert!(JobStatus::Cancelled.is_failure());
        assert!(!JobStatus::Succeeded.is_failure());
    }

    #[test]
    fn unknown_statuses_survive_a_round_trip() {
        let status: JobStatus = serde_json::from_str("\"paused\"").unwrap();
        assert_eq!(status, JobStatus::Unknown("paused".to_owned()));
        assert_eq!(serde_json::to_string(&status).unwrap(), "\"paused\"");
        let queued: JobStatus = serde_json::from_str("\"queued\"").unwrap();
        assert_eq!(queued, JobStatus::Queued);
    }
}
