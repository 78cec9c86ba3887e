//! Shared test support: every model type, paired with the schema of the specification it
//! implements.

#![allow(dead_code, unreachable_pub)]

use airbyte_models::*;
use airbyte_spec_testkit::SpecFile;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes `value` as `T`, encodes it again, decodes that and checks both decodings are equal.
/// Returns the re-encoded JSON.
pub type Codec = fn(&Value) -> Result<Value, String>;

fn codec<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(
    value: &Value,
) -> Result<Value, String> {
    let first: T =
        serde_json::from_value(value.clone()).map_err(|error| format!("decode: {error}"))?;
    let encoded = serde_json::to_value(&first).map_err(|error| format!("encode: {error}"))?;
    let second: T =
        serde_json::from_value(encoded.clone()).map_err(|error| format!("re-decode: {error}"))?;
    if first != second {
        return Err(format!(
            "round trip changed the value:\n{first:?}\n{second:?}"
        ));
    }
    Ok(encoded)
}

/// Decodes raw bytes as `T`, for never-panic tests.
pub type BytesDecoder = fn(&[u8]) -> bool;

fn decode_bytes<T: DeserializeOwned>(bytes: &[u8]) -> bool {
    serde_json::from_slice::<T>(bytes).is_ok()
}

/// One model type and the schema it implements.
pub struct Entry {
    pub file: SpecFile,
    pub schema: &'static str,
    pub type_name: &'static str,
    pub codec: Codec,
    pub decode_bytes: BytesDecoder,
}

macro_rules! entry {
    ($file:ident, $schema:literal, $ty:ty) => {
        Entry {
            file: SpecFile::$file,
            schema: $schema,
            type_name: stringify!($ty),
            codec: codec::<$ty>,
            decode_bytes: decode_bytes::<$ty>,
        }
    };
}

/// Every model of the crate, with the spec schema it follows.
pub fn registry() -> Vec<Entry> {
    vec![
        // Public API.
        entry!(
            PublicApi,
            "ApplicationTokenRequestWithGrant",
            AccessTokenRequest
        ),
        entry!(PublicApi, "PublicAccessTokenResponse", AccessTokenResponse),
        entry!(PublicApi, "WorkspaceResponse", WorkspaceResponse),
        entry!(PublicApi, "WorkspacesResponse", WorkspacesResponse),
        entry!(PublicApi, "WorkspaceCreateRequest", WorkspaceCreateRequest),
        entry!(PublicApi, "WorkspaceUpdateRequest", WorkspaceUpdateRequest),
        entry!(PublicApi, "NotificationsConfig", NotificationsConfig),
        entry!(PublicApi, "NotificationConfig", NotificationConfig),
        entry!(
            PublicApi,
            "EmailNotificationConfig",
            EmailNotificationConfig
        ),
        entry!(
            PublicApi,
            "WebhookNotificationConfig",
            WebhookNotificationConfig
        ),
        entry!(PublicApi, "SourceResponse", SourceResponse),
        entry!(PublicApi, "SourcesResponse", SourcesResponse),
        entry!(PublicApi, "SourceCreateRequest", SourceCreateRequest),
        entry!(PublicApi, "SourcePatchRequest", SourcePatchRequest),
        entry!(PublicApi, "SourcePutRequest", SourcePutRequest),
        entry!(PublicApi, "DestinationResponse", DestinationResponse),
        entry!(PublicApi, "DestinationsResponse", DestinationsResponse),
        entry!(
            PublicApi,
            "DestinationCreateRequest",
            DestinationCreateRequest
        ),
        entry!(
            PublicApi,
            "DestinationPatchRequest",
            DestinationPatchRequest
        ),
        entry!(PublicApi, "DestinationPutRequest", DestinationPutRequest),
        entry!(
            PublicApi,
            "ScopedResourceRequirements",
            ScopedResourceRequirements
        ),
        entry!(PublicApi, "ResourceRequirements", ResourceRequirements),
        entry!(PublicApi, "JobTypeResourceLimit", JobTypeResourceLimit),
        entry!(PublicApi, "ConnectionResponse", ConnectionResponse),
        entry!(PublicApi, "ConnectionsResponse", ConnectionsResponse),
        entry!(
            PublicApi,
            "ConnectionCreateRequest",
            ConnectionCreateRequest
        ),
        entry!(PublicApi, "ConnectionPatchRequest", ConnectionPatchRequest),
        entry!(
            PublicApi,
            "AirbyteApiConnectionSchedule",
            ConnectionSchedule
        ),
        entry!(
            PublicApi,
            "ConnectionScheduleResponse",
            ConnectionScheduleResponse
        ),
        entry!(PublicApi, "StreamConfigurations", StreamConfigurations),
        entry!(PublicApi, "StreamConfiguration", StreamConfiguration),
        entry!(PublicApi, "SelectedFieldInfo", SelectedFieldInfo),
        entry!(PublicApi, "ConfiguredStreamMapper", ConfiguredStreamMapper),
        entry!(PublicApi, "JobResponse", JobResponse),
        entry!(PublicApi, "JobsResponse", JobsResponse),
        entry!(PublicApi, "JobCreateRequest", JobCreateRequest),
        entry!(PublicApi, "StreamProperties", StreamProperties),
        entry!(
            PublicApi,
            "StreamPropertiesResponse",
            StreamPropertiesResponse
        ),
        entry!(PublicApi, "OrganizationResponse", OrganizationResponse),
        entry!(PublicApi, "OrganizationsResponse", OrganizationsResponse),
        entry!(PublicApi, "DefinitionResponse", DefinitionResponse),
        entry!(PublicApi, "DefinitionsResponse", DefinitionsResponse),
        entry!(
            PublicApi,
            "CreateDefinitionRequest",
            CreateDefinitionRequest
        ),
        entry!(
            PublicApi,
            "UpdateDefinitionRequest",
            UpdateDefinitionRequest
        ),
        entry!(
            PublicApi,
            "DeclarativeSourceDefinitionResponse",
            DeclarativeSourceDefinitionResponse
        ),
        entry!(
            PublicApi,
            "DeclarativeSourceDefinitionsResponse",
            DeclarativeSourceDefinitionsResponse
        ),
        entry!(
            PublicApi,
            "CreateDeclarativeSourceDefinitionRequest",
            CreateDeclarativeSourceDefinitionRequest
        ),
        entry!(
            PublicApi,
            "UpdateDeclarativeSourceDefinitionRequest",
            UpdateDeclarativeSourceDefinitionRequest
        ),
        entry!(
            PublicApi,
            "ConnectorDefinitionResponse",
            ConnectorDefinitionResponse
        ),
        entry!(
            PublicApi,
            "ConnectorDefinitionsResponse",
            ConnectorDefinitionsResponse
        ),
        entry!(PublicApi, "Tag", Tag),
        entry!(PublicApi, "TagResponse", TagResponse),
        entry!(PublicApi, "TagsResponse", TagsResponse),
        entry!(PublicApi, "TagCreateRequest", TagCreateRequest),
        entry!(PublicApi, "TagPatchRequest", TagPatchRequest),
        entry!(PublicApi, "ApplicationRead", ApplicationRead),
        entry!(PublicApi, "ApplicationReadList", ApplicationReadList),
        entry!(PublicApi, "ApplicationCreate", ApplicationCreate),
        entry!(PublicApi, "RegionResponse", RegionResponse),
        entry!(PublicApi, "RegionsResponse", RegionsResponse),
        entry!(PublicApi, "RegionCreateRequest", RegionCreateRequest),
        entry!(PublicApi, "RegionPatchRequest", RegionPatchRequest),
        entry!(PublicApi, "DataplaneResponse", DataplaneResponse),
        entry!(PublicApi, "DataplanesResponse", DataplanesResponse),
        entry!(PublicApi, "DataplaneCreateRequest", DataplaneCreateRequest),
        entry!(PublicApi, "DataplanePatchRequest", DataplanePatchRequest),
        entry!(PublicApi, "InitiateOauthRequest", InitiateOauthRequest),
        entry!(
            PublicApi,
            "WorkspaceOAuthCredentialsRequest",
            WorkspaceOAuthCredentialsRequest
        ),
        entry!(
            PublicApi,
            "OrganizationOAuthCredentialsRequest",
            OrganizationOAuthCredentialsRequest
        ),
        entry!(PublicApi, "PermissionResponse", PermissionResponse),
        entry!(PublicApi, "PermissionResponseRead", PermissionResponseRead),
        entry!(PublicApi, "PermissionsResponse", PermissionsResponse),
        entry!(
            PublicApi,
            "PermissionCreateRequest",
            PermissionCreateRequest
        ),
        entry!(
            PublicApi,
            "PermissionUpdateRequest",
            PermissionUpdateRequest
        ),
        entry!(PublicApi, "UserResponse", UserResponse),
        entry!(PublicApi, "UsersResponse", UsersResponse),
        entry!(PublicApi, "GroupResponse", GroupResponse),
        entry!(PublicApi, "GroupsResponse", GroupsResponse),
        entry!(PublicApi, "GroupCreateRequest", GroupCreateRequest),
        entry!(PublicApi, "GroupUpdateRequest", GroupUpdateRequest),
        entry!(PublicApi, "GroupMemberResponse", GroupMemberResponse),
        entry!(PublicApi, "GroupMembersResponse", GroupMembersResponse),
        entry!(PublicApi, "GroupMemberAddRequest", GroupMemberAddRequest),
        entry!(
            PublicApi,
            "GroupPermissionResponse",
            GroupPermissionResponse
        ),
        entry!(
            PublicApi,
            "GroupPermissionsResponse",
            GroupPermissionsResponse
        ),
        entry!(
            PublicApi,
            "GroupPermissionCreateRequest",
            GroupPermissionCreateRequest
        ),
        entry!(PublicApi, "EmbeddedWidgetRequest", EmbeddedWidgetRequest),
        entry!(PublicApi, "EmbeddedWidgetResponse", EmbeddedWidgetResponse),
        entry!(
            PublicApi,
            "EmbeddedScopedTokenRequest",
            EmbeddedScopedTokenRequest
        ),
        entry!(
            PublicApi,
            "EmbeddedScopedTokenResponse",
            EmbeddedScopedTokenResponse
        ),
        entry!(
            PublicApi,
            "EmbeddedOrganizationsList",
            EmbeddedOrganizationsList
        ),
        entry!(
            PublicApi,
            "EmbeddedOrganizationListItem",
            EmbeddedOrganizationListItem
        ),
        // Error bodies.
        entry!(Problems, "BaseProblemFields", ApiErrorBody),
        entry!(ConfigApi, "KnownExceptionInfo", ApiErrorBody),
        entry!(ConfigApi, "NotFoundKnownExceptionInfo", ApiErrorBody),
        entry!(ConfigApi, "InvalidInputExceptionInfo", ApiErrorBody),
        // Config API.
        entry!(ConfigApi, "SourceIdRequestBody", SourceIdRequest),
        entry!(ConfigApi, "SourceRead", SourceRead),
        entry!(ConfigApi, "DestinationIdRequestBody", DestinationIdRequest),
        entry!(ConfigApi, "CheckConnectionRead", CheckConnectionRead),
        entry!(ConfigApi, "SynchronousJobRead", SynchronousJobRead),
        entry!(ConfigApi, "FailureReason", FailureReason),
        entry!(ConfigApi, "JobIdRequestBody", JobIdRequest),
        entry!(ConfigApi, "JobInfoRead", JobInfoRead),
        entry!(ConfigApi, "JobRead", JobRead),
        entry!(ConfigApi, "JobAggregatedStats", JobAggregatedStats),
        entry!(ConfigApi, "AttemptInfoRead", AttemptInfoRead),
        entry!(ConfigApi, "AttemptRead", AttemptRead),
        entry!(ConfigApi, "AttemptStats", AttemptStats),
        entry!(ConfigApi, "AttemptStreamStats", AttemptStreamStats),
        entry!(ConfigApi, "AttemptFailureSummary", AttemptFailureSummary),
        entry!(ConfigApi, "LogEvents", AttemptLogs),
        entry!(ConfigApi, "LogRead", AttemptLogs),
        entry!(ConfigApi, "LogEvent", LogEvent),
        entry!(ConfigApi, "ConnectionIdRequestBody", ConnectionIdRequest),
        entry!(ConfigApi, "ConnectionState", ConnectionState),
        entry!(
            ConfigApi,
            "ConnectionStateCreateOrUpdate",
            ConnectionStateCreateOrUpdate
        ),
        entry!(ConfigApi, "StreamState", StreamState),
        entry!(ConfigApi, "GlobalState", GlobalState),
        entry!(ConfigApi, "StreamDescriptor", StreamDescriptor),
        entry!(
            ConfigApi,
            "WebBackendConnectionRequestBody",
            WebBackendConnectionRequest
        ),
        entry!(
            ConfigApi,
            "WebBackendConnectionRead",
            WebBackendConnectionRead
        ),
        entry!(
            ConfigApi,
            "WebBackendConnectionUpdate",
            WebBackendConnectionUpdate
        ),
        entry!(ConfigApi, "AirbyteCatalog", AirbyteCatalog),
        entry!(
            ConfigApi,
            "AirbyteStreamAndConfiguration",
            AirbyteStreamAndConfiguration
        ),
        entry!(ConfigApi, "AirbyteStream", AirbyteStream),
        entry!(
            ConfigApi,
            "AirbyteStreamConfiguration",
            AirbyteStreamConfiguration
        ),
        entry!(ConfigApi, "WorkspaceIdRequestBody", WorkspaceIdRequest),
        entry!(
            ConfigApi,
            "OrganizationIdRequestBody",
            OrganizationIdRequest
        ),
        entry!(ConfigApi, "OrganizationInfoRead", OrganizationInfoRead),
        entry!(
            ConfigApi,
            "ListWorkspacesInOrganizationRequestBody",
            ListWorkspacesInOrganizationRequest
        ),
        entry!(ConfigApi, "Pagination", Pagination),
        entry!(ConfigApi, "WorkspaceReadList", WorkspaceReadList),
        entry!(ConfigApi, "WorkspaceRead", WorkspaceRead),
        entry!(
            ConfigApi,
            "BuilderProjectForDefinitionRequestBody",
            BuilderProjectForDefinitionRequest
        ),
        entry!(
            ConfigApi,
            "BuilderProjectForDefinitionResponse",
            BuilderProjectForDefinitionResponse
        ),
        entry!(
            ConfigApi,
            "ConnectorBuilderProjectIdWithWorkspaceId",
            BuilderProjectRequest
        ),
        entry!(ConfigApi, "ConnectorBuilderProjectRead", BuilderProjectRead),
        entry!(
            ConfigApi,
            "ConnectorBuilderProjectDetailsRead",
            BuilderProjectDetails
        ),
        entry!(
            ConfigApi,
            "DeclarativeManifestRead",
            DeclarativeManifestRead
        ),
        entry!(
            ConfigApi,
            "ConnectorBuilderProjectTestingValuesUpdate",
            UpdateTestingValuesRequest
        ),
        entry!(
            ConfigApi,
            "ConnectorBuilderProjectTestingValues",
            ConnectorConfig
        ),
        entry!(
            ConfigApi,
            "DataplaneCreateResponseBody",
            DataplaneCreateResponse
        ),
        entry!(ConfigApi, "OAuthConsentRead", InitiateOauthResponse),
        entry!(ConfigApi, "UserAuthIdRequestBody", UserAuthIdRequest),
        entry!(ConfigApi, "UserRead", UserRead),
        entry!(ConfigApi, "UserUpdate", UserUpdate),
        entry!(ConfigApi, "UserIdRequestBody", UserIdRequest),
        entry!(ConfigApi, "PermissionRead", PermissionRead),
        entry!(ConfigApi, "PermissionReadList", PermissionReadList),
        entry!(
            ConfigApi,
            "ListOrganizationsByUserRequestBody",
            ListOrganizationsByUserRequest
        ),
        entry!(ConfigApi, "OrganizationRead", OrganizationRead),
        entry!(ConfigApi, "OrganizationReadList", OrganizationReadList),
        entry!(ConfigApi, "SourceCreate", SourceCreate),
        entry!(ConfigApi, "SourceRead", SourceRead),
        entry!(ConfigApi, "DestinationCreate", DestinationCreate),
        entry!(ConfigApi, "DestinationRead", DestinationRead),
        entry!(
            ConfigApi,
            "SourceDefinitionIdRequestBody",
            SourceDefinitionIdRequest
        ),
        entry!(ConfigApi, "SourceDefinitionRead", SourceDefinitionRead),
    ]
}
