//! The live workspace, read from list pages only: tags, custom definitions, sources,
//! destinations and connections. No resource is read on its own, so a plan of a workspace of
//! any size costs its list pages and nothing more.

use airbyte_cloud::{
    CloudConnection, CloudDestination, CloudSource, CloudWorkspace, CustomSourceDefinition,
    DefinitionKind,
};
use airbyte_models::{
    ConnectionResponse, DeclarativeSourceDefinitionResponse, DefinitionResponse,
    DestinationResponse, SourceResponse, Tag,
};
use futures_util::future::try_join5;

use crate::error::Result;
use crate::model::Kind;

/// A custom definition as listed.
#[derive(Clone, Debug)]
pub struct LiveDefinition {
    /// The domain object (cheap to clone; it carries the listed details).
    pub handle: CustomSourceDefinition,
    /// What it runs.
    pub body: LiveDefinitionBody,
}

/// The listed details of a custom definition.
#[derive(Clone, Debug)]
pub enum LiveDefinitionBody {
    /// A declarative definition.
    Yaml(DeclarativeSourceDefinitionResponse),
    /// A Docker definition.
    Docker(DefinitionResponse),
}

impl LiveDefinition {
    /// The name.
    #[must_use]
    pub fn name(&self) -> &str {
        match &self.body {
            LiveDefinitionBody::Yaml(definition) => &definition.name,
            LiveDefinitionBody::Docker(definition) => &definition.name,
        }
    }

    /// The ID.
    #[must_use]
    pub fn id(&self) -> &str {
        self.handle.id().as_str()
    }
}

/// Everything of a workspace that the files describe, as listed.
#[derive(Clone, Debug, Default)]
pub struct Live {
    /// Tags.
    pub tags: Vec<Tag>,
    /// Custom source definitions (YAML and Docker).
    pub definitions: Vec<LiveDefinition>,
    /// Sources, with their listed details.
    pub sources: Vec<(CloudSource, SourceResponse)>,
    /// Destinations, with their listed details.
    pub destinations: Vec<(CloudDestination, DestinationResponse)>,
    /// Connections, with their listed details.
    pub connections: Vec<(CloudConnection, ConnectionResponse)>,
}

/// A live resource, named: its kind, ID and name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LiveRef {
    /// The kind.
    pub kind: Kind,
    /// The ID.
    pub id: String,
    /// The name.
    pub name: String,
}

impl std::fmt::Display for LiveRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {:?} ({})", self.kind, self.name, self.id)
    }
}

impl Live {
    /// Reads the workspace: the five lists at once, every page of each.
    ///
    /// # Errors
    ///
    /// Transport errors, or [`airbyte_cloud::Error::Paging`].
    pub async fn read(workspace: &CloudWorkspace) -> Result<Self> {
        let (tags, yaml, docker, sources, (destinations, connections)) = try_join5(
            workspace.list_tags().collect(),
            workspace
                .list_custom_source_definitions(DefinitionKind::Yaml)
                .collect(),
            workspace
                .list_custom_source_definitions(DefinitionKind::Docker)
                .collect(),
            workspace.list_sources().collect(),
            futures_util::future::try_join(
                workspace.list_destinations().collect(),
                workspace.list_connections().collect(),
            ),
        )
        .await?;
        let mut definitions = Vec::new();
        for handle in yaml.into_iter().chain(docker) {
            let body = match (handle.known_declarative(), handle.known_docker()) {
                (Some(yaml), _) => LiveDefinitionBody::Yaml(yaml),
                (None, Some(docker)) => LiveDefinitionBody::Docker(docker),
                (None, None) => continue,
            };
            definitions.push(LiveDefinition { handle, body });
        }
        let mut live = Self {
            tags,
            definitions,
            sources: Vec::new(),
            destinations: Vec::new(),
            connections: Vec::new(),
        };
        for source in sources {
            // Listed, so the details are known: no request.
            let details = source.details().await?;
            live.sources.push((source, details));
        }
        for destination in destinations {
            let details = destination.details().await?;
            live.destinations.push((destination, details));
        }
        for connection in connections {
            let details = connection.details().await?;
            live.connections.push((connection, details));
        }
        Ok(live)
    }

    /// Every resource of a kind, as (ID, name).
    #[must_use]
    pub fn refs(&self, kind: Kind) -> Vec<LiveRef> {
        let make = |id: &str, name: &str| LiveRef {
            kind,
            id: id.to_owned(),
            name: name.to_owned(),
        };
        match kind {
            Kind::Tag => self
                .tags
                .iter()
                .map(|tag| make(tag.tag_id.as_str(), &tag.name))
                .collect(),
            Kind::Definition => self
                .definitions
                .iter()
                .map(|definition| make(definition.id(), definition.name()))
                .collect(),
            Kind::Source => self
                .sources
                .iter()
                .map(|(_, info)| make(info.source_id.as_str(), &info.name))
                .collect(),
            Kind::Destination => self
                .destinations
                .iter()
                .map(|(_, info)| make(info.destination_id.as_str(), &info.name))
                .collect(),
            Kind::Connection => self
                .connections
                .iter()
                .map(|(_, info)| make(info.connection_id.as_str(), &info.name))
                .collect(),
        }
    }

    /// The resource of a kind with this ID, named.
    #[must_use]
    pub fn find(&self, kind: Kind, id: &str) -> Option<LiveRef> {
        self.refs(kind).into_iter().find(|item| item.id == id)
    }

    pub(crate) fn source(&self, id: &str) -> Option<&(CloudSource, SourceResponse)> {
        self.sources
            .iter()
            .find(|(_, info)| info.source_id.as_str() == id)
    }

    pub(crate) fn destination(&self, id: &str) -> Option<&(CloudDestination, DestinationResponse)> {
        self.destinations
            .iter()
            .find(|(_, info)| info.destination_id.as_str() == id)
    }

    pub(crate) fn connection(&self, id: &str) -> Option<&(CloudConnection, ConnectionResponse)> {
        self.connections
            .iter()
            .find(|(_, info)| info.connection_id.as_str() == id)
    }

    pub(crate) fn definition(&self, id: &str) -> Option<&LiveDefinition> {
        self.definitions
            .iter()
            .find(|definition| definition.id() == id)
    }

    pub(crate) fn tag(&self, id: &str) -> Option<&Tag> {
        self.tags.iter().find(|tag| tag.tag_id.as_str() == id)
    }
}
