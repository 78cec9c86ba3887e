//! After the soak: what the server holds (faults off), set against what the clients believe.

use std::collections::{HashMap, HashSet};

use airbyte::cloud::{CloudConnector, ConnectorKind};
use airbyte::prelude::*;

use super::ledger::{Entries, Named};

/// The resources of a workspace by ID, deleted ones included, which are live, and the source
/// and destination of each connection.
#[derive(Default)]
pub(crate) struct ServerState {
    pub(crate) all: HashMap<String, Named>,
    pub(crate) live: HashSet<String>,
    pub(crate) uses: HashMap<String, [String; 2]>,
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
            state.uses.insert(
                info.connection_id.to_string(),
                [info.source_id.to_string(), info.destination_id.to_string()],
            );
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
    /// Resources deleted that no caller asked to delete and no caller was told of: ID, line.
    pub(crate) unasked_deletions: Vec<(String, String)>,
    /// Connections deleted with a source or destination whose delete said that the
    /// connections deleted with it could not be listed (told, though not by name).
    pub(crate) told_unnamed: u64,
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
            let with_unchecked = after
                .uses
                .get(*id)
                .is_some_and(|uses| uses.iter().any(|used| entries.unchecked.contains(used)));
            if with_unchecked {
                findings.told_unnamed += 1;
            } else {
                findings.unasked_deletions.push((
                    (*id).clone(),
                    format!(
                        "{} {:?} ({id}) was deleted, but no caller asked for it or was told",
                        named.0, named.1
                    ),
                ));
            }
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

#[cfg(test)]
mod tests {
    use airbyte::cloud::{ResourceKind, ResourceRef};

    use super::*;
    use crate::soak::ledger::Ledger;

    fn resource(kind: ResourceKind, id: &str) -> ResourceRef {
        ResourceRef {
            kind,
            id: id.to_owned(),
            name: format!("{id} (delete-me)"),
        }
    }

    /// After the soak: source s1 deleted, and with it connection c1 (of s1) and c2 (of s2).
    fn after() -> ServerState {
        let mut state = ServerState::default();
        state.note("source", "s1".to_owned(), "s1".to_owned(), false);
        for (connection, source) in [("c1", "s1"), ("c2", "s2")] {
            state.note(
                "connection",
                connection.to_owned(),
                connection.to_owned(),
                false,
            );
            state
                .uses
                .insert(connection.to_owned(), [source.to_owned(), "d1".to_owned()]);
        }
        state
    }

    /// A delete of s1 that stopped after deleting it, reporting what the server deleted
    /// besides, or that it could not list it.
    fn stopped(unplanned: Vec<ResourceRef>, unchecked: Option<Box<ResourceRef>>) -> Ledger {
        let ledger = Ledger::default();
        let result = Err(airbyte::Error::DeleteIncomplete {
            deleted: vec![resource(ResourceKind::Source, "s1")],
            not_deleted: Vec::new(),
            unplanned,
            unchecked,
            source: Box::new(airbyte::Error::InvalidInput {
                message: "stopped".to_owned(),
            }),
        });
        ledger.deleted("delete", &result);
        ledger
    }

    fn unasked(ledger: &Ledger) -> (Vec<String>, u64) {
        let findings = reconcile(&ServerState::default(), &after(), &ledger.take());
        let ids = findings
            .unasked_deletions
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        (ids, findings.told_unnamed)
    }

    #[test]
    fn connections_a_stopped_delete_names_were_told() {
        let ledger = stopped(vec![resource(ResourceKind::Connection, "c1")], None);
        assert_eq!(unasked(&ledger), (vec!["c2".to_owned()], 0));
    }

    #[test]
    fn connections_of_a_resource_whose_connections_could_not_be_listed_were_told_unnamed() {
        let ledger = stopped(
            Vec::new(),
            Some(Box::new(resource(ResourceKind::Source, "s1"))),
        );
        // c1 used s1: the caller was told its connections may be gone; c2 did not.
        assert_eq!(unasked(&ledger), (vec!["c2".to_owned()], 1));
    }

    #[test]
    fn a_stopped_delete_that_reports_nothing_besides_tells_nothing() {
        let ledger = stopped(Vec::new(), None);
        let (mut ids, unnamed) = unasked(&ledger);
        ids.sort();
        assert_eq!((ids, unnamed), (vec!["c1".to_owned(), "c2".to_owned()], 0));
    }
}
