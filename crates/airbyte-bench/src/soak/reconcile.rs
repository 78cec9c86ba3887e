//! After the soak: what the server holds (faults off), set against what the clients believe.

use std::collections::{HashMap, HashSet};

use airbyte::cloud::{CloudConnector, ConnectorKind};
use airbyte::prelude::*;

use super::ledger::{Entries, Named};

/// The resources of a workspace by ID, deleted ones included, and which are live.
#[derive(Default)]
pub(crate) struct ServerState {
    pub(crate) all: HashMap<String, Named>,
    pub(crate) live: HashSet<String>,
}

impl ServerState {
    fn note(&mut self, kind: &str, id: String, name: String, live: bool) {
        if live {
            self.live.insert(id.clone());
        }
        self.all.insert(id, (kind.to_owned(), name));
    }

    async fn note_all<K: ConnectorKind>(
        &mut self,
        connectors: Vec<CloudConnector<K>>,
        live: bool,
    ) -> airbyte::Result<()> {
        for connector in connectors {
            let name = connector.name().await?;
            self.note(K::KIND.as_str(), connector.id().to_string(), name, live);
        }
        Ok(())
    }

    /// Reads every source, destination and connection, live and deleted. Sources and
    /// destinations say nothing of their deletion, so they are listed twice (with and without
    /// the deleted ones); connections say it with their status.
    pub(crate) async fn read(workspace: &CloudWorkspace) -> airbyte::Result<Self> {
        let mut state = Self::default();
        for include_deleted in [true, false] {
            let live = !include_deleted;
            let sources = workspace.list_sources().include_deleted(include_deleted);
            state.note_all(sources.collect().await?, live).await?;
            let destinations = workspace
                .list_destinations()
                .include_deleted(include_deleted);
            state.note_all(destinations.collect().await?, live).await?;
        }
        for connection in workspace
            .list_connections()
            .include_deleted(true)
            .collect()
            .await?
        {
            let info = connection.details().await?;
            let live = info.status != ConnectionStatus::Deprecated;
            state.note(
                "connection",
                info.connection_id.to_string(),
                info.name,
                live,
            );
        }
        Ok(state)
    }
}

/// The figures that must be zero, with a line per offender.
#[derive(Default)]
pub(crate) struct Findings {
    /// Resources that exist twice under one name.
    pub(crate) duplicates: Vec<String>,
    /// Live resources no client knows, and resources deleted that still exist.
    pub(crate) lost: Vec<String>,
    /// Resources deleted that no caller asked to delete and no caller was told of.
    pub(crate) unasked_deletions: Vec<String>,
    /// Creates that may have been applied, found by name.
    pub(crate) reconciled: u64,
}

/// Compares the server's state after the soak with the clients' beliefs. Resources that were
/// there before the soak are left out.
pub(crate) fn reconcile(before: &ServerState, after: &ServerState, entries: &Entries) -> Findings {
    let mut findings = Findings::default();
    let new: Vec<(&String, &Named)> = after
        .all
        .iter()
        .filter(|(id, _)| !before.all.contains_key(*id))
        .collect();
    let mut names: HashMap<&Named, usize> = HashMap::new();
    for (_, named) in &new {
        *names.entry(named).or_default() += 1;
    }
    for (named, count) in names {
        if count > 1 {
            findings
                .duplicates
                .push(format!("{} {:?} x{count}", named.0, named.1));
        }
    }
    for (id, named) in &new {
        let known = entries.created.contains_key(*id);
        let maybe = entries.maybe_created.contains(*named);
        let live = after.live.contains(*id);
        if live && !known {
            if maybe {
                findings.reconciled += 1;
            } else {
                findings.lost.push(format!(
                    "{} {:?} ({id}) exists but no client knows it",
                    named.0, named.1
                ));
            }
        }
        if live && entries.confirmed_deleted.contains(*id) {
            findings.lost.push(format!(
                "{} {:?} ({id}) was deleted but still exists",
                named.0, named.1
            ));
        }
        if !live && !entries.asked.contains(*id) && !entries.told.contains(*id) {
            findings.unasked_deletions.push(format!(
                "{} {:?} ({id}) was deleted, but no caller asked for it or was told",
                named.0, named.1
            ));
        }
    }
    for (id, named) in &entries.created {
        if !after.all.contains_key(id) {
            findings.lost.push(format!(
                "{} {:?} ({id}) was created but the server does not know it",
                named.0, named.1
            ));
        }
    }
    findings
}
