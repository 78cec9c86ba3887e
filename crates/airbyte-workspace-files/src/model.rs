//! The desired state: what the files say the workspace holds.
//!
//! Every resource is known by its *key*: the name it is listed under in the files. Its
//! Airbyte name is the key unless a `name` field says otherwise, so that renaming a resource
//! is a change of its `name` (an update of the same resource, found again through the lock
//! file) while references between files keep using the key. IDs never appear here.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;

use airbyte_cloud::cron::QuartzCron;
use airbyte_models::{
    ConnectionStatus, ConnectionSyncMode, DefinitionId, NamespaceDefinition,
    NonBreakingSchemaUpdatesBehavior,
};
use serde::Serialize;
use serde_json::Value;

/// Where something was written: a file and a line, for problems and plans.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Origin {
    /// The file (relative to the directory when read from one).
    pub file: PathBuf,
    /// The 1-based line; 0 when unknown.
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file.display())
        } else {
            write!(f, "{}:{}", self.file.display(), self.line)
        }
    }
}

/// The kinds of resource the files describe, in the order they are applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A tag of connections.
    Tag,
    /// A custom source definition (YAML manifest or Docker image).
    Definition,
    /// A source.
    Source,
    /// A destination.
    Destination,
    /// A connection.
    Connection,
}

impl Kind {
    /// Every kind, in the order they are created (deletes go the other way).
    pub const ALL: [Self; 5] = [
        Self::Tag,
        Self::Definition,
        Self::Source,
        Self::Destination,
        Self::Connection,
    ];

    /// `tag`, `definition`, `source`, `destination`, `connection`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Tag => "tag",
            Self::Definition => "definition",
            Self::Source => "source",
            Self::Destination => "destination",
            Self::Connection => "connection",
        }
    }

    /// The top-level key of the files and the lock file (`sources`, ...).
    #[must_use]
    pub fn section(self) -> &'static str {
        match self {
            Self::Tag => "tags",
            Self::Definition => "definitions",
            Self::Source => "sources",
            Self::Destination => "destinations",
            Self::Connection => "connections",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A whole workspace as the files describe it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Desired {
    /// Tags, by key.
    pub tags: BTreeMap<String, TagSpec>,
    /// Custom source definitions, by key.
    pub definitions: BTreeMap<String, DefinitionSpec>,
    /// Sources, by key.
    pub sources: BTreeMap<String, ConnectorSpec>,
    /// Destinations, by key.
    pub destinations: BTreeMap<String, ConnectorSpec>,
    /// Connections, by key.
    pub connections: BTreeMap<String, ConnectionSpec>,
}

impl Desired {
    /// How many resources of every kind.
    #[must_use]
    pub fn len(&self) -> usize {
        self.tags.len()
            + self.definitions.len()
            + self.sources.len()
            + self.destinations.len()
            + self.connections.len()
    }

    /// Whether there is no resource at all.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The keys of one kind.
    #[must_use]
    pub fn keys(&self, kind: Kind) -> Vec<&str> {
        match kind {
            Kind::Tag => self.tags.keys().map(String::as_str).collect(),
            Kind::Definition => self.definitions.keys().map(String::as_str).collect(),
            Kind::Source => self.sources.keys().map(String::as_str).collect(),
            Kind::Destination => self.destinations.keys().map(String::as_str).collect(),
            Kind::Connection => self.connections.keys().map(String::as_str).collect(),
        }
    }

    /// The Airbyte name of a resource (its `name`, else its key).
    #[must_use]
    pub fn name_of(&self, kind: Kind, key: &str) -> Option<String> {
        let name = match kind {
            Kind::Tag => self.tags.get(key).map(|spec| spec.name.clone()),
            Kind::Definition => self.definitions.get(key).map(|spec| spec.name.clone()),
            Kind::Source => self.sources.get(key).map(|spec| spec.name.clone()),
            Kind::Destination => self.destinations.get(key).map(|spec| spec.name.clone()),
            Kind::Connection => self.connections.get(key).map(|spec| spec.name.clone()),
        }?;
        Some(name.unwrap_or_else(|| key.to_owned()))
    }
}

/// A tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagSpec {
    /// The name, when it differs from the key.
    pub name: Option<String>,
    /// The colour: six hexadecimal digits (`E53935`), compared without regard to case.
    pub color: String,
    /// Where it is written.
    pub origin: Origin,
}

/// A custom source definition.
#[derive(Clone, Debug, PartialEq)]
pub struct DefinitionSpec {
    /// The name, when it differs from the key.
    pub name: Option<String>,
    /// A YAML manifest or a Docker image.
    pub body: DefinitionBody,
    /// Where it is written.
    pub origin: Origin,
}

/// What a custom definition runs.
#[derive(Clone, Debug, PartialEq)]
pub enum DefinitionBody {
    /// A declarative manifest (the Connector Builder's YAML), as JSON.
    Yaml {
        /// The manifest.
        manifest: Value,
        /// The file it was read from, relative to the directory (`manifest_file`), if not
        /// written inline.
        manifest_file: Option<PathBuf>,
    },
    /// A Docker image.
    Docker {
        /// The repository (`acme/source-internal-api`); it cannot be changed in place.
        repository: String,
        /// The image tag (`1.4.0`).
        tag: String,
        /// A documentation link; it cannot be changed in place.
        documentation_url: Option<String>,
    },
}

/// A source or a destination.
#[derive(Clone, Debug, PartialEq)]
pub struct ConnectorSpec {
    /// The name, when it differs from the key.
    pub name: Option<String>,
    /// Which connector it runs; it cannot be changed in place.
    pub connector: ConnectorRef,
    /// The configuration as written: secrets are references (`${env:VAR}`, `${file:PATH}`).
    pub configuration: Value,
    /// Where it is written.
    pub origin: Origin,
    /// The line of every secret reference, by JSON pointer into the configuration.
    pub secret_lines: BTreeMap<String, usize>,
}

/// The connector a source or destination runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConnectorRef {
    /// A connector of the catalog by type (`postgres`, `faker`, `bigquery`).
    Type(String),
    /// A custom definition of these files, by key.
    Definition(String),
    /// A definition by ID: a catalog definition that has no type name.
    DefinitionId(DefinitionId),
}

/// A connection.
#[derive(Clone, Debug, PartialEq)]
pub struct ConnectionSpec {
    /// The name, when it differs from the key.
    pub name: Option<String>,
    /// The source, by key; it cannot be changed in place.
    pub source: String,
    /// The destination, by key; it cannot be changed in place.
    pub destination: String,
    /// Active or inactive; the server's choice (active) when absent.
    pub status: Option<ConnectionStatus>,
    /// The schedule; the server's choice (manual) when absent.
    pub schedule: Option<ScheduleSpec>,
    /// The prefix of destination table names; the server's choice when absent.
    pub prefix: Option<String>,
    /// Where destination namespaces come from; the server's choice when absent.
    pub namespace: Option<NamespaceDefinition>,
    /// The custom namespace format (with `namespace: custom_format`).
    pub namespace_format: Option<String>,
    /// What happens on non-breaking schema changes; the server's choice when absent.
    pub non_breaking_changes: Option<NonBreakingSchemaUpdatesBehavior>,
    /// The tags, by key; not managed when absent.
    pub tags: Option<BTreeSet<String>>,
    /// The selected streams, sorted by name and namespace.
    pub streams: Vec<StreamSpec>,
    /// Where it is written.
    pub origin: Origin,
}

/// When a connection syncs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScheduleSpec {
    /// Only when triggered.
    Manual,
    /// On a Quartz cron expression (UTC).
    Cron(QuartzCron),
}

impl fmt::Display for ScheduleSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Manual => f.write_str("manual"),
            Self::Cron(cron) => f.write_str(cron.as_str()),
        }
    }
}

/// One selected stream of a connection. Fields left out take the server's defaults and are
/// not compared; selected fields left out mean every field.
#[derive(Clone, Debug, PartialEq)]
pub struct StreamSpec {
    /// The stream's name.
    pub name: String,
    /// The stream's namespace.
    pub namespace: Option<String>,
    /// The sync mode.
    pub sync_mode: Option<ConnectionSyncMode>,
    /// The cursor field path.
    pub cursor_field: Option<Vec<String>>,
    /// The primary key: field paths.
    pub primary_key: Option<Vec<Vec<String>>>,
    /// The selected field paths, sorted; every field when absent.
    pub selected_fields: Option<Vec<Vec<String>>>,
    /// Whether raw files move too.
    pub include_files: Option<bool>,
    /// The destination object name (data activation).
    pub destination_object_name: Option<String>,
    /// Mappers, as JSON, in order.
    pub mappers: Option<Vec<Value>>,
    /// The line it is written on.
    pub line: usize,
}

impl StreamSpec {
    /// A stream with only a name.
    #[must_use]
    pub fn named(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            namespace: None,
            sync_mode: None,
            cursor_field: None,
            primary_key: None,
            selected_fields: None,
            include_files: None,
            destination_object_name: None,
            mappers: None,
            line: 0,
        }
    }

    /// `namespace.name`, or the name.
    #[must_use]
    pub fn label(&self) -> String {
        match &self.namespace {
            Some(namespace) => format!("{namespace}.{}", self.name),
            None => self.name.clone(),
        }
    }

    /// The order of streams in files and plans.
    pub(crate) fn sort_key(&self) -> (String, String) {
        (
            self.name.clone(),
            self.namespace.clone().unwrap_or_default(),
        )
    }
}
