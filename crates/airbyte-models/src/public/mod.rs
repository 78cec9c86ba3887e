//! Request and response types of the Public API (`https://api.airbyte.com/v1`, or
//! `<host>/api/public/v1` on self-managed Airbyte).

mod applications;
mod auth;
mod connections;
mod definitions;
mod destinations;
mod embedded;
mod groups;
mod jobs;
mod oauth;
mod organizations;
mod permissions;
mod regions;
mod resources;
mod sources;
mod streams;
mod tags;
mod workspaces;

pub use applications::{ApplicationCreate, ApplicationRead, ApplicationReadList};
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
pub use embedded::{
    EmbeddedOrganizationListItem, EmbeddedOrganizationsList, EmbeddedScopedTokenRequest,
    EmbeddedScopedTokenResponse, EmbeddedWidgetRequest, EmbeddedWidgetResponse,
};
pub use groups::{
    GroupCreateRequest, GroupMemberAddRequest, GroupMemberResponse, GroupMembersResponse,
    GroupPermissionCreateRequest, GroupPermissionResponse, GroupPermissionsResponse, GroupResponse,
    GroupUpdateRequest, GroupsResponse,
};
pub use jobs::{JobCreateRequest, JobResponse, JobStatus, JobType, JobsResponse};
pub use oauth::{
    ActorType, InitiateOauthRequest, InitiateOauthResponse, OAuthCredentialsRequest,
    OrganizationOAuthCredentialsRequest, Redirect, WorkspaceOAuthCredentialsRequest,
};
pub use organizations::{OrganizationResponse, OrganizationsResponse};
pub use permissions::{
    PermissionCreateRequest, PermissionResponse, PermissionResponseRead, PermissionScope,
    PermissionType, PermissionUpdateRequest, PermissionsResponse, UserResponse, UsersResponse,
};
pub use regions::{
    DataplaneCreateRequest, DataplaneCreateResponse, DataplanePatchRequest, DataplaneResponse,
    DataplanesResponse, RegionCreateRequest, RegionPatchRequest, RegionResponse, RegionsResponse,
};
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
