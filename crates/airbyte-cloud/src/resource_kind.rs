//! The kinds of resource that errors, plans and lists name.

use std::fmt;

/// A kind of resource: what an error ([`crate::Error::MissingResource`],
/// [`crate::Error::WorkspaceMismatch`], ...) or a delete plan ([`crate::ResourceRef`]) names.
/// `Display` gives the word people read (`custom source definition`). New kinds are added as
/// the SDK reaches more of the API, so matches need a wildcard arm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ResourceKind {
    /// A workspace.
    Workspace,
    /// An organization.
    Organization,
    /// A source.
    Source,
    /// A destination.
    Destination,
    /// A connection.
    Connection,
    /// A job (a sync, a reset, a clear...).
    Job,
    /// A tag.
    Tag,
    /// A custom source definition (YAML or Docker).
    CustomSourceDefinition,
    /// A custom destination definition (Docker).
    CustomDestinationDefinition,
    /// A connector definition of the catalogue.
    ConnectorDefinition,
    // Access: users, permissions, groups, applications.
    /// A user.
    User,
    /// A permission of a user or a group.
    Permission,
    /// A group of users.
    Group,
    /// An application (client credentials).
    Application,
    // Platform family: regions, data planes, OAuth overrides.
    /// A region (a data plane group of an organization).
    Region,
    /// A data plane of a region.
    Dataplane,
    /// The OAuth client credentials of a connector, overriding Airbyte's own in a workspace
    /// or an organization.
    OAuthOverride,
}

impl ResourceKind {
    /// The word people read: `source`, `custom source definition`, ...
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Workspace => "workspace",
            Self::Organization => "organization",
            Self::Source => "source",
            Self::Destination => "destination",
            Self::Connection => "connection",
            Self::Job => "job",
            Self::Tag => "tag",
            Self::CustomSourceDefinition => "custom source definition",
            Self::CustomDestinationDefinition => "custom destination definition",
            Self::ConnectorDefinition => "connector definition",
            Self::User => "user",
            Self::Permission => "permission",
            Self::Group => "group",
            Self::Application => "application",
            Self::Region => "region",
            Self::Dataplane => "data plane",
            Self::OAuthOverride => "OAuth credential override",
        }
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ResourceKind;

    #[test]
    fn kinds_read_as_words() {
        assert_eq!(ResourceKind::Source.to_string(), "source");
        assert_eq!(
            ResourceKind::CustomSourceDefinition.to_string(),
            "custom source definition"
        );
        assert_eq!(ResourceKind::Tag.to_string(), "tag");
        assert_eq!(ResourceKind::Job.as_str(), "job");
    }
}
