//! Request and response types of the Public API (`https://api.airbyte.com/v1`, or
//! `<host>/api/public/v1` on self-managed Airbyte).

mod auth;
mod connections;
mod definitions;
mod destinations;
mod jobs;
mod organizations;
mod resources;
mod sources;
mod streams;
mod tags;
mod workspaces;

pub use auth::{AccessTokenRequest, AccessTokenResponse, GrantType};
pub use connections::{
    ConfiguredStreamMapper, ConnectionCreateRequest, ConnectionPatchRequest, ConnectionResponse,
    ConnectionSchedule, ConnectionScheduleResponse, ConnectionStatus, ConnectionSyncMode,
    ConnectionsResponse, NamespaceDefinition, NonBreakingSchemaUpdatesBehavior, ScheduleType,
    SelectedFieldInfo, StreamConfiguration, StreamConfigurations, StreamMapperType,
};
pub use definitions::{
    ConnectorDefinitionResponse, ConnectorDefinitionsResponse, ConnectorType,
    CreateDeclarativeSourceDefinitionRequest, CreateDefinitionRequest,
    DeclarativeSourceDefinitionResponse, DeclarativeSourceDefinitionsResponse, DefinitionResponse,
    DefinitionsResponse, UpdateDeclarativeSourceDefinitionRequest, UpdateDefinitionRequest,
};
pub use destinations::{
    DestinationCreateRequest, DestinationPatchRequest, DestinationPutRequest, DestinationResponse,
    DestinationsResponse,
};
pub use jobs::{JobCreateRequest, JobResponse, JobStatus, JobType, JobsResponse};
pub use organizations::{OrganizationResponse, OrganizationsResponse};
pub use resources::{
    JobTypeResourceLimit, ResourceJobType, ResourceRequirements, ScopedResourceRequirements,
};
pub use sources::{
    SourceCreateRequest, SourcePatchRequest, SourcePutRequest, SourceResponse, SourcesResponse,
};
pub use streams::{StreamProperties, StreamPropertiesResponse};
pub use tags::{Tag, TagCreateRequest, TagPatchRequest, TagResponse, TagsResponse};
pub use workspaces::{
    EmailNotificationConfig, NotificationConfig, NotificationsConfig, WebhookNotificationConfig,
    WorkspaceCreateRequest, WorkspaceResponse, WorkspaceUpdateRequest, WorkspacesResponse,
};
