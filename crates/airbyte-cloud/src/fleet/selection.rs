//! Which connections a fleet operation runs on: a list of IDs, a tag, a name pattern, or all.

use std::collections::HashSet;
use std::fmt;

use airbyte_models::{ConnectionId, ConnectionResponse, ConnectionStatus};

use crate::{CloudConnection, CloudWorkspace, Error, Result};

/// A pattern on connection names: `*` any text, `?` one character, `[abc]` and `[a-z]` one of
/// them, `[!abc]` none of them (case sensitive, like the names).
#[derive(Clone)]
pub struct NameGlob {
    text: String,
    pattern: glob::Pattern,
}

impl NameGlob {
    /// A pattern.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty or malformed pattern (an unclosed `[`, ...).
    pub fn new(pattern: &str) -> Result<Self> {
        if pattern.is_empty() {
            return Err(Error::invalid("a name pattern must not be empty"));
        }
        let compiled = glob::Pattern::new(pattern).map_err(|error| {
            Error::invalid(format!(
                "the name pattern {pattern:?} is malformed: {error}"
            ))
        })?;
        Ok(Self {
            text: pattern.to_owned(),
            pattern: compiled,
        })
    }

    /// Whether a name matches.
    #[must_use]
    pub fn matches(&self, name: &str) -> bool {
        self.pattern.matches(name)
    }

    /// The pattern as given.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Debug for NameGlob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("NameGlob").field(&self.text).finish()
    }
}

/// The connections a fleet operation runs on.
///
/// A tag, a name pattern and `All` take the workspace's connections that are active, and
/// report the inactive ones they match as skipped (the server refuses jobs on them). A list of
/// IDs is taken as it is: each must be a connection of the workspace (otherwise nothing is
/// started), and an inactive one gets its error.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum ConnectionSelection {
    /// Every connection of the workspace.
    All,
    /// These connections.
    Ids(Vec<ConnectionId>),
    /// The connections that carry a tag of this name.
    Tag(String),
    /// The connections whose name matches a pattern.
    Name(NameGlob),
}

impl ConnectionSelection {
    /// These connections (duplicates count once).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty ID, or no IDs at all.
    pub fn ids<I, S>(ids: I) -> Result<Self>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut seen = HashSet::new();
        let mut list = Vec::new();
        for id in ids {
            let id = ConnectionId::new(id.as_ref())
                .map_err(|error| Error::invalid(error.to_string()))?;
            if seen.insert(id.clone()) {
                list.push(id);
            }
        }
        if list.is_empty() {
            return Err(Error::invalid("no connection was given"));
        }
        Ok(Self::Ids(list))
    }

    /// The connections with this tag.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty tag name.
    pub fn tag(name: impl Into<String>) -> Result<Self> {
        let name = name.into();
        if name.trim().is_empty() {
            return Err(Error::invalid("a tag name must not be empty"));
        }
        Ok(Self::Tag(name))
    }

    /// The connections whose name matches `pattern` (see [`NameGlob`]).
    ///
    /// # Errors
    ///
    /// As [`NameGlob::new`].
    pub fn name(pattern: &str) -> Result<Self> {
        NameGlob::new(pattern).map(Self::Name)
    }

    /// Whether a listed connection is selected (IDs are matched separately).
    fn keeps(&self, connection: &ConnectionResponse) -> bool {
        match self {
            Self::All => true,
            Self::Ids(ids) => ids.contains(&connection.connection_id),
            Self::Tag(tag) => connection.tags.iter().any(|t| t.name == *tag),
            Self::Name(pattern) => pattern.matches(&connection.name),
        }
    }
}

/// The connections a selection takes, in the order their jobs start: those to sync, and
/// those skipped (inactive); see [`SyncMany::preview`](crate::SyncMany::preview).
#[derive(Clone, Debug)]
pub struct SelectedConnections {
    pub(crate) run: Vec<CloudConnection>,
    pub(crate) skipped: Vec<CloudConnection>,
}

impl SelectedConnections {
    /// The connections whose syncs would start, with their details as listed.
    #[must_use]
    pub fn to_sync(&self) -> &[CloudConnection] {
        &self.run
    }

    /// The inactive connections the selection matched, which would be skipped.
    #[must_use]
    pub fn skipped(&self) -> &[CloudConnection] {
        &self.skipped
    }
}

/// Reads the workspace's connections (every page, once) and picks the selected ones.
pub(crate) async fn resolve(
    workspace: &CloudWorkspace,
    selection: &ConnectionSelection,
) -> Result<SelectedConnections> {
    let filter = selection.clone();
    let listed = workspace
        .list_connections()
        .filter(move |connection| filter.keeps(connection))
        .collect()
        .await?;
    let mut selected = SelectedConnections {
        run: Vec::new(),
        skipped: Vec::new(),
    };
    if let ConnectionSelection::Ids(ids) = selection {
        let mut by_id: std::collections::HashMap<ConnectionId, CloudConnection> = listed
            .into_iter()
            .map(|connection| (connection.id().clone(), connection))
            .collect();
        let missing: Vec<&str> = ids
            .iter()
            .filter(|id| !by_id.contains_key(*id))
            .map(ConnectionId::as_str)
            .collect();
        if !missing.is_empty() {
            // "connection A, B (in workspace W) does not exist": every unknown one named.
            return Err(Error::MissingResource {
                kind: crate::ResourceKind::Connection,
                id: format!("{} (in workspace {})", missing.join(", "), workspace.id()),
                source: None,
            });
        }
        selected.run = ids.iter().filter_map(|id| by_id.remove(id)).collect();
        return Ok(selected);
    }
    for connection in listed {
        let active = connection
            .cached_info()
            .is_none_or(|info| info.status == ConnectionStatus::Active);
        if active {
            selected.run.push(connection);
        } else {
            selected.skipped.push(connection);
        }
    }
    Ok(selected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_patterns_match_like_shell_globs() {
        let glob = NameGlob::new("prod-*").unwrap();
        assert!(glob.matches("prod-orders"));
        assert!(glob.matches("prod-"));
        assert!(!glob.matches("staging-prod-orders"));
        assert!(!glob.matches("Prod-orders"), "case sensitive");
        let glob = NameGlob::new("db?-[a-c]*").unwrap();
        assert!(glob.matches("db1-alpha"));
        assert!(!glob.matches("db1-delta"));
        assert!(NameGlob::new("a/*").unwrap().matches("a/b/c"));
        assert!(NameGlob::new("").is_err());
        assert!(NameGlob::new("[oops").is_err());
    }

    #[test]
    fn id_lists_refuse_empty_ids_and_drop_duplicates() {
        let id = "4c5d6e7f-8091-4a23-b4c5-d6e7f8091a01";
        match ConnectionSelection::ids([id, id]).unwrap() {
            ConnectionSelection::Ids(ids) => assert_eq!(ids.len(), 1),
            other => panic!("{other:?}"),
        }
        assert!(ConnectionSelection::ids([""]).is_err());
        assert!(ConnectionSelection::ids(Vec::<String>::new()).is_err());
        assert!(ConnectionSelection::tag(" ").is_err());
    }
}
