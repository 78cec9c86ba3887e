//! The error type of the domain layer: the transport's errors, plus what only the domain knows.

use std::time::Duration;

use airbyte_models::{ConnectionId, DefinitionId, JobId, JobStatus, JobType, WorkspaceId};

use crate::deletion::{PlannedDeletion, ResourceRef, list_names};
use crate::paging::PagingProblem;
use crate::resource_kind::ResourceKind;

/// What can go wrong when working with Airbyte through this crate.
///
/// Transport failures (connection, timeout, API errors, authentication) arrive as
/// [`Error::Transport`] with the transport error as the source; the other variants are
/// decisions of the domain layer, most of them taken before anything is sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The HTTP layer failed, or the API answered with an error.
    #[error(transparent)]
    Transport(#[from] airbyte_transport::Error),

    /// Input refused before anything was sent.
    #[error("invalid input: {message}")]
    InvalidInput {
        /// What is wrong.
        message: String,
    },

    /// The settings (explicit or from the environment) are incomplete or contradictory.
    #[error("invalid settings: {message}")]
    Settings {
        /// What is wrong, naming the setting or environment variable.
        message: String,
    },

    /// A resource with the same name already exists (when uniqueness was asked for).
    #[error("a {kind} named {name:?} already exists ({existing_id})")]
    DuplicateResource {
        /// The kind of resource.
        kind: ResourceKind,
        /// The name.
        name: String,
        /// The ID of the existing resource.
        existing_id: String,
    },

    /// A resource does not exist.
    #[error("{kind} {id} does not exist")]
    MissingResource {
        /// The kind of resource.
        kind: ResourceKind,
        /// Its ID or name.
        id: String,
        /// The API error, when the server said so.
        #[source]
        source: Option<Box<airbyte_transport::Error>>,
    },

    /// A resource belongs to another workspace than the one it was reached through. Writes
    /// check this before anything is sent, so `change_applied` is false unless the only check
    /// possible came after the write (the server's answer named another workspace).
    #[error("{kind} {resource_id} belongs to workspace {actual}, not {expected}{}",
        if *change_applied { "; the change was applied (the answer showed the other workspace)" } else { "; nothing was changed" })]
    WorkspaceMismatch {
        /// The kind of resource.
        kind: ResourceKind,
        /// Its ID.
        resource_id: String,
        /// The workspace it was reached through.
        expected: WorkspaceId,
        /// The workspace it belongs to.
        actual: WorkspaceId,
        /// Whether a write was applied before the mismatch could be seen.
        change_applied: bool,
    },

    /// A job was reached through another connection than its own.
    #[error("job {job_id} belongs to connection {actual}, not {expected}; nothing was changed")]
    JobMismatch {
        /// The job.
        job_id: JobId,
        /// The connection it was reached through.
        expected: ConnectionId,
        /// The connection it belongs to.
        actual: String,
    },

    /// A delete was refused: other resources depend on what would be deleted, and the server
    /// would delete them with it. Nothing was deleted.
    #[error("refusing to delete {resource}: the server would also delete {} that depend{} on it: {}; delete them first, or ask to delete dependents too",
        dependents_phrase(dependents), if dependents.len() == 1 { "s" } else { "" },
        list_names(dependents.iter().map(|dependent| &dependent.resource)))]
    DependentsExist {
        /// What the delete was asked for.
        resource: ResourceRef,
        /// Every resource the server would delete with it, each with what it depends on.
        dependents: Vec<PlannedDeletion>,
    },

    /// A custom source definition's dependents cannot be known: the server did not say which
    /// definition some sources of the workspace run (older servers leave `definitionId` out of
    /// the Public API's sources), and the Config API could not tell either. Any of them may run
    /// the definition, and the server would delete those with it (and their connections), so
    /// the delete is refused. Nothing was deleted.
    #[error("refusing to delete custom source definition {definition_id}: cannot tell whether {} run{} it (the server names no definition for {}, and the Config API could not tell); the server would delete any that do, with their connections; nothing was deleted",
        list_names(sources.iter()), if sources.len() == 1 { "s" } else { "" }, if sources.len() == 1 { "it" } else { "them" })]
    DependentsUnknown {
        /// The definition.
        definition_id: DefinitionId,
        /// The sources whose definition is unknown, as listed.
        sources: Vec<ResourceRef>,
        /// Why the Config API could not tell, for the first source it failed on (`None` when
        /// it answered without a definition).
        #[source]
        cause: Option<Box<Error>>,
    },

    /// A custom destination definition's dependents cannot be known: the server did not say
    /// which definition some destinations of the workspace run. Any of them may run it, and
    /// the server would delete those with it (and their connections), so the delete is
    /// refused. Nothing was deleted.
    #[error("refusing to delete custom destination definition {definition_id}: cannot tell whether {} run{} it (the server names no definition for {}); the server would delete any that do, with their connections; nothing was deleted",
        list_names(destinations.iter()), if destinations.len() == 1 { "s" } else { "" }, if destinations.len() == 1 { "it" } else { "them" })]
    DestinationDependentsUnknown {
        /// The definition.
        definition_id: DefinitionId,
        /// The destinations whose definition is unknown, as listed.
        destinations: Vec<ResourceRef>,
    },

    /// A delete stopped once it had begun (every check had passed): what was deleted, what was
    /// not, and what the server deleted besides. The first item not deleted may have been
    /// deleted all the same when the error is a lost answer.
    ///
    /// Nothing the server removed goes unsaid: the connections it deleted with a source or
    /// destination of the plan, and the sources or destinations (with their connections) it
    /// deleted with a custom definition of the plan, that the plan does not name (created by
    /// another caller after the last check) are in `unplanned`, also when the delete stopped at
    /// a later step or at that very `DELETE` (whose answer was lost); when they could not be
    /// listed, `unchecked` names the resource whose dependents may be gone unnamed.
    #[error("{}", incomplete(deleted, not_deleted, unplanned, unchecked.as_deref(), source))]
    DeleteIncomplete {
        /// What was deleted, in order.
        deleted: Vec<ResourceRef>,
        /// What was planned and is not deleted.
        not_deleted: Vec<ResourceRef>,
        /// What the server deleted besides the plan (connections with a source or destination
        /// the delete removed; sources or destinations, and their connections, with a custom
        /// definition), found before it stopped.
        unplanned: Vec<ResourceRef>,
        /// A source, destination or custom definition that was deleted (or may have been: its
        /// `DELETE` failed) without its dependents being listed afterwards: the server may
        /// have deleted connections that use it (or connectors that run it) that are named
        /// nowhere.
        unchecked: Option<Box<ResourceRef>>,
        /// Why it stopped.
        #[source]
        source: Box<Error>,
    },

    /// A delete went through, but the server deleted more than was planned: resources created
    /// by another caller between the last check and the delete. They are named so that nothing
    /// disappears unreported.
    #[error("deleted {}, but the server also deleted {} that appeared after the check: {}",
        list_names(deleted.iter()), unplanned_phrase(unplanned), list_names(unplanned.iter()))]
    UnplannedDeletion {
        /// What was planned and deleted.
        deleted: Vec<ResourceRef>,
        /// What the server deleted besides.
        unplanned: Vec<ResourceRef>,
    },

    /// A delete sent against an approved plan (`send_approved` of a delete) would now delete
    /// resources the plan does not name (created since, by another caller), or resources
    /// renamed since the plan was made. Nothing was deleted: preview again and approve anew.
    #[error("{}", plan_changes(added, renamed))]
    PlanChanged {
        /// What the delete would now remove besides the approved plan, each with why.
        added: Vec<PlannedDeletion>,
        /// Resources of the plan renamed since: as approved, and the name they have now.
        renamed: Vec<(ResourceRef, String)>,
    },

    /// A workspace still has connections.
    #[error("workspace {workspace_id} is not empty: it has {} connection(s)", connection_ids.len())]
    WorkspaceNotEmpty {
        /// The workspace.
        workspace_id: WorkspaceId,
        /// Its connections.
        connection_ids: Vec<ConnectionId>,
    },

    /// A sync (or reset, or clear) ended without success.
    #[error("job {job_id} of connection {connection_id} ended with status {status}{}{}",
        message.as_ref().map(|m| format!(": {m}")).unwrap_or_default(),
        job_url.as_ref().map(|u| format!(" ({u})")).unwrap_or_default())]
    SyncFailed {
        /// The connection.
        connection_id: ConnectionId,
        /// The job.
        job_id: JobId,
        /// Its final status (`failed` or `cancelled`).
        status: JobStatus,
        /// The reason of the last failed attempt, when the Config API gave one.
        message: Option<String>,
        /// A link to the job in the web UI.
        job_url: Option<String>,
    },

    /// A wait for a job ran out of time.
    #[error("job {job_id} of connection {connection_id} was still {status} after {timeout:?}{}",
        if *cancelled { "; it was cancelled" } else { "; it keeps running" })]
    SyncTimedOut {
        /// The connection.
        connection_id: ConnectionId,
        /// The job.
        job_id: JobId,
        /// Its last known status.
        status: JobStatus,
        /// How long the wait lasted.
        timeout: Duration,
        /// Whether the job was cancelled because of the timeout.
        cancelled: bool,
        /// A link to the job in the web UI.
        job_url: Option<String>,
    },

    /// A job of another type than the one asked for runs on the connection (a reset while a
    /// sync is asked for, ...). The job asked for is not started, and the running one is
    /// neither followed nor touched: wait for it (see [`crate::SyncResult::wait_for_completion`])
    /// and start again.
    #[error(
        "a {running_type} (job {job_id}) is running on connection {connection_id}; the {requested} was not started: wait for the {running_type} to end, then start it again"
    )]
    OtherJobRunning {
        /// The connection.
        connection_id: ConnectionId,
        /// The running job.
        job_id: JobId,
        /// Its type.
        running_type: JobType,
        /// The type asked for.
        requested: JobType,
    },

    /// Paging through a list stopped: the server repeated a page, announced a page the client
    /// cannot follow, or sent more items than the configured limit. Memory held one page.
    #[error("listing {list} stopped: {problem}")]
    Paging {
        /// What was being listed (`sources`, `jobs`, ...).
        list: &'static str,
        /// What went wrong.
        problem: PagingProblem,
    },

    /// An import was refused because it would damage the connection; nothing was sent. The
    /// caller can force it.
    #[error(
        "refusing to import this {what} into connection {connection_id}: {reason}; force the import to do it anyway"
    )]
    ImportRefused {
        /// `state` or `catalog`.
        what: &'static str,
        /// The connection.
        connection_id: ConnectionId,
        /// Why.
        reason: String,
    },

    /// The server refused to start a job because the connection is not active (HTTP 409 on
    /// `POST /jobs` with no job running): enable it first
    /// ([`crate::CloudConnection::set_enabled`]).
    #[error(
        "jobs cannot be started on connection {connection_id}: its status is {status}, not active; enable it first"
    )]
    ConnectionInactive {
        /// The connection.
        connection_id: ConnectionId,
        /// Its status when the job was refused.
        status: airbyte_models::ConnectionStatus,
        /// The API error.
        #[source]
        source: Box<airbyte_transport::Error>,
    },

    /// A job of the requested type is already running for the connection (HTTP 409 on
    /// `POST /jobs`), and attaching to it was not asked for; or the running job could not be
    /// identified.
    #[error("a job is already running for connection {connection_id}")]
    SyncAlreadyRunning {
        /// The connection.
        connection_id: ConnectionId,
        /// The API error.
        #[source]
        source: Box<airbyte_transport::Error>,
    },

    /// The connection's state cannot change while a sync runs (HTTP 423).
    #[error(
        "the state of connection {connection_id} cannot be changed while a sync is running; wait for it to finish"
    )]
    SyncActive {
        /// The connection.
        connection_id: ConnectionId,
        /// The API error.
        #[source]
        source: Box<airbyte_transport::Error>,
    },

    /// A delete was refused by safe mode: the name must contain `delete-me` or `deleteme`.
    #[error(
        "safe mode refused to delete {kind} {name:?} ({id}): its name must contain 'delete-me' or 'deleteme' (case insensitive); rename it or turn safe mode off"
    )]
    SafeModeRefusal {
        /// The kind of resource.
        kind: ResourceKind,
        /// Its ID.
        id: String,
        /// Its name.
        name: String,
    },

    /// A connection check failed (when the caller asked for an error on failure).
    #[error("the connection check of {kind} {id} failed: {message}")]
    CheckFailed {
        /// [`ResourceKind::Source`] or [`ResourceKind::Destination`].
        kind: ResourceKind,
        /// The ID.
        id: String,
        /// The connector's message, or the reason the check job crashed.
        message: String,
    },
}

impl Error {
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::InvalidInput {
            message: message.into(),
        }
    }

    /// The transport error, if this is one (or what stopped a delete part way).
    #[must_use]
    pub fn transport(&self) -> Option<&airbyte_transport::Error> {
        match self {
            Self::Transport(error) => Some(error),
            Self::MissingResource { source, .. } => source.as_deref(),
            Self::SyncAlreadyRunning { source, .. }
            | Self::SyncActive { source, .. }
            | Self::ConnectionInactive { source, .. } => Some(source),
            Self::DeleteIncomplete { source, .. } => source.transport(),
            _ => None,
        }
    }

    /// Whether something does not exist.
    #[must_use]
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::MissingResource { .. })
            || self
                .transport()
                .is_some_and(airbyte_transport::Error::is_not_found)
    }

    /// Whether trying again later may succeed (transient transport failures, also when one
    /// stopped a delete part way).
    #[must_use]
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Transport(error) => error.is_transient(),
            Self::DeleteIncomplete { source, .. } => source.is_transient(),
            _ => false,
        }
    }

    /// Whether a create may have been applied although no answer arrived.
    #[must_use]
    pub fn may_have_been_applied(&self) -> bool {
        matches!(self, Self::Transport(error) if error.may_have_been_applied())
    }
}

fn dependents_phrase(dependents: &[PlannedDeletion]) -> String {
    let count = |kind| {
        dependents
            .iter()
            .filter(|dependent| dependent.resource.kind == kind)
            .count()
    };
    let mut parts = Vec::new();
    for kind in [ResourceKind::Source, ResourceKind::Connection] {
        match count(kind) {
            0 => {}
            1 => parts.push(format!("1 {kind}")),
            n => parts.push(format!("{n} {kind}s")),
        }
    }
    parts.join(" and ")
}

/// A `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Maps a 404 from a lookup to [`Error::MissingResource`].
pub(crate) fn missing_on_404<'a>(
    kind: ResourceKind,
    id: &'a str,
) -> impl FnOnce(airbyte_transport::Error) -> Error + 'a {
    move |error| {
        if error.is_not_found() {
            Error::MissingResource {
                kind,
                id: id.to_owned(),
                source: Some(Box::new(error)),
            }
        } else {
            Error::Transport(error)
        }
    }
}

/// `the delete stopped after deleting 1 of 3: ...`, naming what was deleted, what was not, and
/// what the server deleted besides (or could not be checked).
fn incomplete(
    deleted: &[ResourceRef],
    not_deleted: &[ResourceRef],
    unplanned: &[ResourceRef],
    unchecked: Option<&ResourceRef>,
    source: &Error,
) -> String {
    let mut text = format!(
        "the delete stopped after deleting {} of {}: {source}; deleted: {}; not deleted: {}",
        deleted.len(),
        deleted.len() + not_deleted.len(),
        list_names(deleted.iter()),
        list_names(not_deleted.iter())
    );
    if !unplanned.is_empty() {
        text.push_str(&format!(
            "; the server also deleted {} that appeared after the check: {}",
            unplanned_phrase(unplanned),
            list_names(unplanned.iter())
        ));
    }
    if let Some(resource) = unchecked {
        let what = match resource.kind {
            ResourceKind::CustomSourceDefinition => "sources (and their connections) that run",
            ResourceKind::CustomDestinationDefinition => {
                "destinations (and their connections) that run"
            }
            _ => "connections that use",
        };
        text.push_str(&format!(
            "; the server may also have deleted {what} {resource} (created after the last check), which could not be listed"
        ));
    }
    text
}

/// `1 connection`, `2 connections`; `3 resources` when not all are connections (the sources or
/// destinations of a definition, and their connections).
fn unplanned_phrase(unplanned: &[ResourceRef]) -> String {
    let count = unplanned.len();
    let noun = if unplanned
        .iter()
        .all(|resource| resource.kind == ResourceKind::Connection)
    {
        "connection"
    } else {
        "resource"
    };
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// `the delete no longer matches the approved plan ...`, naming every change.
fn plan_changes(added: &[PlannedDeletion], renamed: &[(ResourceRef, String)]) -> String {
    let mut changes = Vec::new();
    if !added.is_empty() {
        changes.push(format!(
            "it would now also delete {}",
            list_names(added.iter().map(|item| &item.resource))
        ));
    }
    for (resource, name) in renamed {
        changes.push(format!("{resource} is now named {name:?}"));
    }
    format!(
        "the delete no longer matches the approved plan, so nothing was deleted: {}; preview it again",
        changes.join("; ")
    )
}
