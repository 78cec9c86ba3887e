//! The state of every connection at a glance: its latest sync, failures first.
//!
//! The latest syncs are read from the workspace's job list, newest first, until every
//! connection has been seen or the scan reaches its limit (a workspace whose syncs are busy
//! shows every connection in the first pages); the connections not seen by then are asked
//! about one by one, a few at a time. Every list is bounded.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use airbyte_models::ops::{self, JobListParams, JobOrder};
use airbyte_models::{ConnectionId, ConnectionStatus, JobResponse, JobStatus, JobType};
use futures_util::{StreamExt, TryStreamExt};

use crate::paging::paginate;
use crate::{CloudConnection, CloudWorkspace, Result, SyncResult};

/// What the latest sync of a connection says, in the order they are listed (failures first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Health {
    /// The latest sync failed.
    Failing,
    /// The latest sync was cancelled.
    Cancelled,
    /// A sync runs (pending, running, or between attempts).
    Running,
    /// The connection was never synced.
    NeverSynced,
    /// The latest sync succeeded.
    Healthy,
}

impl Health {
    /// The health a latest job gives.
    fn of(job: Option<&JobResponse>) -> Self {
        match job.map(|job| &job.status) {
            None => Self::NeverSynced,
            Some(JobStatus::Succeeded) => Self::Healthy,
            Some(JobStatus::Cancelled) => Self::Cancelled,
            Some(status) if status.is_in_progress() => Self::Running,
            // Failed (a status this SDK does not know counts as in progress, above).
            Some(_) => Self::Failing,
        }
    }

    /// A word for tables: `failing`, `cancelled`, `running`, `never synced`, `healthy`.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Failing => "failing",
            Self::Cancelled => "cancelled",
            Self::Running => "running",
            Self::NeverSynced => "never synced",
            Self::Healthy => "healthy",
        }
    }
}

/// One connection with its latest sync.
#[derive(Clone, Debug)]
pub struct ConnectionHealth {
    connection: CloudConnection,
    name: String,
    status: ConnectionStatus,
    latest: Option<SyncResult>,
    job: Option<JobResponse>,
    health: Health,
}

impl ConnectionHealth {
    /// The connection.
    #[must_use]
    pub fn connection(&self) -> &CloudConnection {
        &self.connection
    }

    /// Its name, as listed.
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether it is active, inactive, ...
    #[must_use]
    pub fn status(&self) -> &ConnectionStatus {
        &self.status
    }

    /// What its latest sync says.
    #[must_use]
    pub fn health(&self) -> Health {
        self.health
    }

    /// The latest sync, as listed.
    #[must_use]
    pub fn latest_job(&self) -> Option<&JobResponse> {
        self.job.as_ref()
    }

    /// The latest sync, to read its attempts and logs (for example the reason of a failure:
    /// [`SyncResult::attempts`]); not owned.
    #[must_use]
    pub fn latest_sync(&self) -> Option<&SyncResult> {
        self.latest.as_ref()
    }
}

/// Reads the latest sync of every connection of the workspace; returned by
/// [`CloudWorkspace::connections_status`]. Await it (or call [`ConnectionsStatus::collect`]).
#[must_use = "a status query does nothing until awaited"]
#[derive(Debug)]
pub struct ConnectionsStatus {
    workspace: CloudWorkspace,
    only_failing: bool,
    scan_limit: usize,
    parallel: usize,
}

impl ConnectionsStatus {
    /// Only connections whose latest sync failed (default: every connection).
    pub fn only_failing(mut self, only: bool) -> Self {
        self.only_failing = only;
        self
    }

    /// How many of the workspace's latest syncs to read before asking about the connections
    /// not seen one by one (default 1,000).
    pub fn scan_limit(mut self, jobs: usize) -> Self {
        self.scan_limit = jobs;
        self
    }

    /// How many connections to ask about at once after the scan (default 8; at least 1).
    pub fn parallel(mut self, parallel: usize) -> Self {
        self.parallel = parallel.max(1);
        self
    }

    /// Every connection (deleted ones aside) with its latest sync: failing first (the most
    /// recent failure first), then cancelled, running, never synced and healthy ones; by name
    /// within each.
    ///
    /// # Errors
    ///
    /// The first error of a list or a read ([`Error::Paging`](crate::Error::Paging) when a
    /// list does not end).
    pub async fn collect(self) -> Result<Vec<ConnectionHealth>> {
        let connections = self.workspace.list_connections().collect().await?;
        let wanted: HashSet<ConnectionId> = connections
            .iter()
            .map(|connection| connection.id().clone())
            .collect();
        let mut latest = self.scan(&wanted).await?;
        let unseen: Vec<CloudConnection> = connections
            .iter()
            .filter(|connection| !latest.contains_key(connection.id()))
            .cloned()
            .collect();
        let asked: Vec<(ConnectionId, Option<SyncResult>)> = futures_util::stream::iter(unseen)
            .map(|connection| async move {
                let last = connection
                    .job_history()
                    .limit(Some(1))
                    .job_type(JobType::Sync)
                    .collect()
                    .await?
                    .into_iter()
                    .next();
                Ok::<_, crate::Error>((connection.id().clone(), last))
            })
            .buffer_unordered(self.parallel)
            .try_collect()
            .await?;
        let mut histories: HashMap<ConnectionId, SyncResult> = asked
            .into_iter()
            .filter_map(|(id, sync)| sync.map(|sync| (id, sync)))
            .collect();
        let mut health: Vec<ConnectionHealth> = connections
            .into_iter()
            .map(|connection| {
                let info = connection.cached_info();
                let (latest, job) = match latest.remove(connection.id()) {
                    Some(job) => (Some(connection.sync_result_listed(job.clone())), Some(job)),
                    None => match histories.remove(connection.id()) {
                        Some(sync) => {
                            let job = sync.cached_job();
                            (Some(sync), job)
                        }
                        None => (None, None),
                    },
                };
                ConnectionHealth {
                    name: info
                        .as_ref()
                        .map(|info| info.name.clone())
                        .unwrap_or_default(),
                    status: info.map_or(ConnectionStatus::Active, |info| info.status),
                    health: Health::of(job.as_ref()),
                    connection,
                    latest,
                    job,
                }
            })
            .filter(|health| !self.only_failing || health.health == Health::Failing)
            .collect();
        health.sort_by(|a, b| {
            let started = |health: &ConnectionHealth| {
                Reverse(
                    health
                        .job
                        .as_ref()
                        .and_then(|job| job.start_time.to_datetime()),
                )
            };
            (a.health, started(a), &a.name).cmp(&(b.health, started(b), &b.name))
        });
        Ok(health)
    }

    /// The latest sync of each wanted connection found in the first `scan_limit` syncs of the
    /// workspace, newest first; stops as soon as every connection was seen.
    async fn scan(
        &self,
        wanted: &HashSet<ConnectionId>,
    ) -> Result<HashMap<ConnectionId, JobResponse>> {
        let mut latest = HashMap::new();
        if wanted.is_empty() || self.scan_limit == 0 {
            return Ok(latest);
        }
        let workspace = self.workspace.clone();
        let spec = self
            .workspace
            .page_spec("jobs", |job: &JobResponse| job.job_id);
        let jobs = paginate(spec, 0, move |offset, limit| {
            let workspace = workspace.clone();
            async move {
                let params = JobListParams {
                    workspace_ids: vec![workspace.id().clone()],
                    job_type: Some(JobType::Sync),
                    order_by: Some(JobOrder::NEWEST_FIRST),
                    limit,
                    offset,
                    ..JobListParams::default()
                };
                workspace.execute(ops::public::jobs::list(&params)).await
            }
        })
        .take(self.scan_limit);
        let mut jobs = std::pin::pin!(jobs);
        while let Some(job) = jobs.next().await {
            let job = job?;
            // Only the connections listed: a job of another connection is not this workspace's.
            if wanted.contains(&job.connection_id) && !latest.contains_key(&job.connection_id) {
                latest.insert(job.connection_id.clone(), job);
                if latest.len() == wanted.len() {
                    break;
                }
            }
        }
        Ok(latest)
    }
}

impl IntoFuture for ConnectionsStatus {
    type Output = Result<Vec<ConnectionHealth>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.collect())
    }
}

impl CloudWorkspace {
    /// Every connection with its latest sync, failures first: the "which connections are
    /// failing" view. See [`ConnectionsStatus`].
    #[doc(alias = "failing_connections")]
    pub fn connections_status(&self) -> ConnectionsStatus {
        ConnectionsStatus {
            workspace: self.clone(),
            only_failing: false,
            scan_limit: 1_000,
            parallel: 8,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_sort_first_and_running_jobs_are_not_failures() {
        let mut order = [
            Health::Healthy,
            Health::NeverSynced,
            Health::Running,
            Health::Cancelled,
            Health::Failing,
        ];
        order.sort();
        assert_eq!(order[0], Health::Failing);
        assert_eq!(order[4], Health::Healthy);
        assert_eq!(Health::of(None), Health::NeverSynced);
    }
}
