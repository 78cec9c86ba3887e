//! What the soak's clients did and believe: operation outcomes by kind, the resources they
//! created (or may have created), and every resource a delete asked for or reported.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Mutex;

use airbyte::cloud::{DeletePlan, ResourceRef};

/// A resource by kind and name (soak names are unique per create call).
pub(crate) type Named = (String, String);

/// Everything the clients know, shared by the workers.
#[derive(Default)]
pub(crate) struct Ledger {
    inner: Mutex<Entries>,
}

#[derive(Default)]
pub(crate) struct Entries {
    pub(crate) attempted: u64,
    pub(crate) succeeded: u64,
    pub(crate) failed: BTreeMap<String, u64>,
    /// Created, by ID.
    pub(crate) created: HashMap<String, Named>,
    /// Created without an answer: may exist, under this name.
    pub(crate) maybe_created: HashSet<Named>,
    /// IDs a delete was sent for, or planned to be sent for when it stopped part way.
    pub(crate) asked: HashSet<String>,
    /// IDs a delete reported deleted (every item of a delete that succeeded).
    pub(crate) confirmed_deleted: HashSet<String>,
    /// IDs the server deleted besides, that a delete reported (`UnplannedDeletion`, and the
    /// `unplanned` of `DeleteIncomplete`).
    pub(crate) told: HashSet<String>,
    /// Sources and destinations deleted (or perhaps deleted) whose connections a delete could
    /// not list afterwards, and said so (the `unchecked` of `DeleteIncomplete`).
    pub(crate) unchecked: HashSet<String>,
    /// Of `told`, those a delete that stopped part way reported (`DeleteIncomplete`).
    pub(crate) told_by_stopped: HashSet<String>,
    /// Cascades refused because a shared source or destination was in use.
    pub(crate) cascades_refused: u64,
    /// Dependents deleted because a delete asked for them.
    pub(crate) dependents_deleted: u64,
}

impl Ledger {
    pub(crate) fn with<T>(&self, f: impl FnOnce(&mut Entries) -> T) -> T {
        f(&mut self
            .inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    pub(crate) fn take(&self) -> Entries {
        self.with(std::mem::take)
    }

    /// Counts an operation's outcome.
    pub(crate) fn outcome<T>(&self, operation: &str, result: &airbyte::Result<T>) {
        self.with(|entries| entries.outcome(operation, result));
    }

    /// Counts a create and remembers what it made.
    pub(crate) fn created<T>(
        &self,
        kind: &str,
        name: &str,
        operation: &str,
        result: &airbyte::Result<T>,
        id_of: impl FnOnce(&T) -> String,
    ) {
        self.with(|entries| {
            entries.outcome(operation, result);
            let named = (kind.to_owned(), name.to_owned());
            match result {
                Ok(created) => {
                    entries.created.insert(id_of(created), named);
                }
                Err(error) if error.may_have_been_applied() => {
                    entries.maybe_created.insert(named);
                }
                Err(_) => {}
            }
        });
    }

    /// Counts a delete and remembers what it asked for and what it reported.
    pub(crate) fn deleted(&self, operation: &str, result: &airbyte::Result<DeletePlan>) {
        self.with(|entries| {
            entries.outcome(operation, result);
            let ids = |resources: &mut dyn Iterator<Item = &ResourceRef>| {
                resources
                    .map(|resource| resource.id.clone())
                    .collect::<Vec<_>>()
            };
            match result {
                Ok(plan) => {
                    let all = ids(&mut plan.items().map(|item| &item.resource));
                    entries.asked.extend(all.iter().cloned());
                    entries.confirmed_deleted.extend(all);
                    entries.dependents_deleted += plan.dependents().count() as u64;
                }
                Err(airbyte::Error::DeleteIncomplete {
                    deleted,
                    not_deleted,
                    unplanned,
                    unchecked,
                    ..
                }) => {
                    entries
                        .asked
                        .extend(ids(&mut deleted.iter().chain(not_deleted)));
                    entries.told.extend(ids(&mut unplanned.iter()));
                    entries.told_by_stopped.extend(ids(&mut unplanned.iter()));
                    entries
                        .unchecked
                        .extend(ids(&mut unchecked.as_deref().into_iter()));
                }
                Err(airbyte::Error::UnplannedDeletion { deleted, unplanned }) => {
                    entries.asked.extend(ids(&mut deleted.iter()));
                    entries.told.extend(ids(&mut unplanned.iter()));
                }
                Err(airbyte::Error::DependentsExist { .. }) => entries.cascades_refused += 1,
                Err(_) => {}
            }
        });
    }
}

impl Entries {
    fn outcome<T>(&mut self, operation: &str, result: &airbyte::Result<T>) {
        self.attempted += 1;
        match result {
            Ok(_) => self.succeeded += 1,
            Err(error) => {
                *self
                    .failed
                    .entry(format!("{operation}: {}", kind(error)))
                    .or_default() += 1;
            }
        }
    }
}

/// A short description of an error, for the failure table.
fn kind(error: &airbyte::Error) -> String {
    use airbyte::transport::Error as T;
    match error {
        airbyte::Error::Transport(T::Api(api)) => format!("HTTP {}", api.status.as_u16()),
        airbyte::Error::Transport(T::Timeout { kind, .. }) => format!("{kind} timeout"),
        airbyte::Error::Transport(T::Transport {
            may_have_been_applied: true,
            ..
        }) => "connection lost, may have been applied".to_owned(),
        airbyte::Error::Transport(T::Transport { .. }) => "connection lost".to_owned(),
        airbyte::Error::Transport(T::Connect { .. }) => "connect".to_owned(),
        airbyte::Error::Transport(T::Decode { .. }) => "decode".to_owned(),
        airbyte::Error::Transport(T::Authentication { .. }) => "authentication".to_owned(),
        airbyte::Error::Transport(other) => format!("transport: {other}"),
        airbyte::Error::SyncFailed { .. } => "sync failed".to_owned(),
        airbyte::Error::SyncTimedOut { .. } => "sync timed out".to_owned(),
        airbyte::Error::SyncAlreadyRunning { .. } => "a job already running".to_owned(),
        airbyte::Error::OtherJobRunning { .. } => "a job of another type running".to_owned(),
        airbyte::Error::MissingResource { .. } => "missing".to_owned(),
        airbyte::Error::DependentsExist { .. } => {
            "refused: other connections use it (expected for shared resources)".to_owned()
        }
        airbyte::Error::UnplannedDeletion { .. } => {
            "the server deleted connections created meanwhile (reported)".to_owned()
        }
        airbyte::Error::DeleteIncomplete { source, .. } => {
            format!("stopped part way: {}", kind(source))
        }
        other => format!("{other}"),
    }
}
