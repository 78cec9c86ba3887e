//! One soak workflow: deploy (or share) a source and a destination, connect them, sync, read
//! the logs, list, and delete with cascade. Sources and destinations are shared by several
//! workers' connections in most rounds, so cascades meet resources other connections use.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use airbyte::cloud::{ConnectorKind, DeletePlan};
use airbyte::prelude::*;
use serde_json::json;

use super::ledger::Ledger;

/// How many shared sources and shared destinations there are at a time.
const SHARED_SLOTS: usize = 2;

/// Sources and destinations shared by several connections. A slot is filled by the first
/// worker that needs it and emptied by the cascade that deletes its resource (the last user).
#[derive(Default)]
pub(crate) struct SharedPool {
    sources: [Mutex<Option<CloudSource>>; SHARED_SLOTS],
    destinations: [Mutex<Option<CloudDestination>>; SHARED_SLOTS],
    generation: AtomicU64,
}

impl SharedPool {
    /// The shared connector of a slot, deployed when the slot is empty.
    async fn get<K: ConnectorKind>(
        &self,
        slots: &[Mutex<Option<airbyte::cloud::CloudConnector<K>>>; SHARED_SLOTS],
        slot: usize,
        deploy: impl AsyncFnOnce(String) -> airbyte::Result<airbyte::cloud::CloudConnector<K>>,
        ledger: &Ledger,
    ) -> Option<airbyte::cloud::CloudConnector<K>> {
        let slot = &slots[slot % SHARED_SLOTS];
        if let Some(existing) = lock(slot).clone() {
            return Some(existing);
        }
        let generation = self.generation.fetch_add(1, Ordering::Relaxed);
        let name = format!("soak-shared-{}-{generation} (delete-me)", K::KIND);
        let deployed = deploy(name.clone()).await;
        ledger.created(
            K::KIND.as_str(),
            &name,
            "deploy shared",
            &deployed,
            |connector| connector.id().to_string(),
        );
        let deployed = deployed.ok()?;
        // Another worker may have filled the slot meanwhile: keep the first, use ours once.
        let mut guard = lock(slot);
        Some(guard.get_or_insert(deployed).clone())
    }

    /// Empties the slots whose resource a delete removed (or that the server no longer has).
    fn forget(&self, gone: &[&str]) {
        for slot in &self.sources {
            let mut guard = lock(slot);
            if guard
                .as_ref()
                .is_some_and(|source| gone.contains(&source.id().as_str()))
            {
                *guard = None;
            }
        }
        for slot in &self.destinations {
            let mut guard = lock(slot);
            if guard
                .as_ref()
                .is_some_and(|destination| gone.contains(&destination.id().as_str()))
            {
                *guard = None;
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Which of the round's source and destination are shared.
fn sharing(worker: usize, round: u64) -> (bool, bool) {
    match (worker as u64 + round) % 4 {
        0 => (false, false),
        1 => (true, false),
        2 => (false, true),
        _ => (true, true),
    }
}

pub(crate) async fn one_workflow(
    workspace: &CloudWorkspace,
    pool: &SharedPool,
    ledger: &Ledger,
    worker: usize,
    round: u64,
) {
    let name = |what: &str| format!("soak-{worker}-{round}-{what} (delete-me)");
    let (share_source, share_destination) = sharing(worker, round);
    let slot = worker + round as usize;
    let source = if share_source {
        pool.get(
            &pool.sources,
            slot,
            async |name| {
                workspace
                    .deploy_source(name, "faker", json!({"count": 5}))
                    .await
            },
            ledger,
        )
        .await
    } else {
        let source_name = name("src");
        let source = workspace
            .deploy_source(&source_name, "faker", json!({"count": 5}))
            .await;
        ledger.created("source", &source_name, "deploy source", &source, |source| {
            source.id().to_string()
        });
        source.ok()
    };
    let destination = if share_destination {
        pool.get(
            &pool.destinations,
            slot,
            async |name| {
                workspace
                    .deploy_destination(name, "dev-null", json!({}))
                    .await
            },
            ledger,
        )
        .await
    } else {
        let destination_name = name("dst");
        let destination = workspace
            .deploy_destination(&destination_name, "dev-null", json!({}))
            .await;
        ledger.created(
            "destination",
            &destination_name,
            "deploy destination",
            &destination,
            |destination| destination.id().to_string(),
        );
        destination.ok()
    };
    let (Some(source), Some(destination)) = (source, destination) else {
        return;
    };
    let connection_name = name("conn");
    let connection = workspace
        .deploy_connection(&source, &destination)
        .name(&connection_name)
        .streams(["users"])
        .await;
    ledger.created(
        "connection",
        &connection_name,
        "deploy connection",
        &connection,
        |connection| connection.id().to_string(),
    );
    let connection = match connection {
        Ok(connection) => connection,
        Err(error) => {
            if error.is_not_found() {
                // A shared source or destination was deleted by its last user's cascade.
                pool.forget(&[source.id().as_str(), destination.id().as_str()]);
            }
            return;
        }
    };
    let sync = connection
        .run_sync()
        .attach_if_running(true)
        .wait_options(WaitOptions {
            poll_interval: Duration::from_millis(50),
            max_poll_interval: Duration::from_millis(300),
            timeout: Some(Duration::from_secs(60)),
            ..WaitOptions::default()
        })
        .await;
    ledger.outcome("sync and wait", &sync);
    if let Ok(sync) = sync {
        ledger.outcome("read logs", &sync.attempts().await);
    }
    ledger.outcome(
        "list connections",
        &workspace.list_connections().collect().await,
    );

    // Cascade to the source and destination; every fifth round, delete the other connections
    // that use them too (asked for), otherwise a shared one in use refuses the cascade.
    let delete_dependents = round.is_multiple_of(5);
    let cascade = connection
        .delete()
        .cascade_source(true)
        .cascade_destination(true)
        .delete_dependents(delete_dependents)
        .await;
    let operation = if delete_dependents {
        "delete with cascade and dependents"
    } else {
        "delete with cascade"
    };
    ledger.deleted(operation, &cascade);
    forget_deleted(pool, &cascade);
    match cascade {
        Err(airbyte::Error::DependentsExist { .. }) => {
            // A shared resource is in use: delete the connection alone, and what is private.
            let alone = connection.delete().await;
            ledger.deleted("delete connection alone", &alone);
            if !share_source {
                ledger.deleted("delete private source", &source.delete().await);
            }
            if !share_destination {
                ledger.deleted("delete private destination", &destination.delete().await);
            }
        }
        Err(error) if error.is_not_found() => {
            // Another worker deleted this connection with its dependents: clean up the rest.
            if !share_source {
                ledger.deleted("delete private source", &source.delete().await);
            }
            if !share_destination {
                ledger.deleted("delete private destination", &destination.delete().await);
            }
        }
        _ => {}
    }
}

/// Empties the shared slots a delete removed.
fn forget_deleted(pool: &SharedPool, result: &airbyte::Result<DeletePlan>) {
    let ids: Vec<String> = match result {
        Ok(plan) => plan.items().map(|item| item.resource.id.clone()).collect(),
        Err(airbyte::Error::UnplannedDeletion { deleted, .. }) => {
            deleted.iter().map(|resource| resource.id.clone()).collect()
        }
        Err(airbyte::Error::DeleteIncomplete { deleted, .. }) => {
            deleted.iter().map(|resource| resource.id.clone()).collect()
        }
        Err(_) => return,
    };
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    pool.forget(&ids);
}
