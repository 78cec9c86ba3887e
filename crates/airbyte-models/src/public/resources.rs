//! Resource allocation of sources and destinations (self-managed only; Cloud refuses it).

use serde::{Deserialize, Serialize};

use crate::macros::open_enum;

/// CPU, memory and storage requests and limits, as Kubernetes quantities (`"500m"`, `"1Gi"`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceRequirements {
    /// CPU request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<String>,
    /// CPU limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cpu_limit: Option<String>,
    /// Memory request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<String>,
    /// Memory limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<String>,
    /// Ephemeral storage request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral_storage_request: Option<String>,
    /// Ephemeral storage limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral_storage_limit: Option<String>,
}

open_enum!(
    /// The kind of job a resource limit applies to (the spec's `JobType`, distinct from the job
    /// types of `POST /jobs`).
    ResourceJobType {
        /// Fetching a connector's specification.
        GetSpec = "get_spec",
        /// Checking a connection.
        CheckConnection = "check_connection",
        /// Discovering a source's schema.
        DiscoverSchema = "discover_schema",
        /// Syncing.
        Sync = "sync",
        /// Resetting a connection.
        ResetConnection = "reset_connection",
        /// Updating a connection.
        ConnectionUpdater = "connection_updater",
        /// Replicating.
        Replicate = "replicate",
    }
);

/// A resource limit for one kind of job.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JobTypeResourceLimit {
    /// The kind of job.
    pub job_type: ResourceJobType,
    /// The requirements for that kind of job.
    pub resource_requirements: ResourceRequirements,
}

/// Default and per-job-type resource requirements.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScopedResourceRequirements {
    /// The default requirements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<ResourceRequirements>,
    /// Requirements for specific kinds of jobs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_specific: Option<Vec<JobTypeResourceLimit>>,
}
