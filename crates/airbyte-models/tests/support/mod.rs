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

/// The schema an entry follows: its own name unless another is given.
macro_rules! schema {
    ($ty:ident) => {
        stringify!($ty)
    };
    ($ty:ident $schema:literal) => {
        $schema
    };
}

/// The entries of the registry, grouped by specification file: `Type` where the schema has the
/// type's name, `"Schema" => Type` where it has another.
macro_rules! entries {
    ($($file:ident { $($($schema:literal =>)? $ty:ident,)* })*) => {
        vec![$($(Entry {
            file: SpecFile::$file,
            schema: schema!($ty $($schema)?),
            type_name: stringify!($ty),
            codec: codec::<$ty>,
            decode_bytes: decode_bytes::<$ty>,
        },)*)*]
    };
}

/// Every model of the crate, with the spec schema it follows.
pub fn registry() -> Vec<Entry> {
    entries! {
        // Public API.
        PublicApi {
            "ApplicationTokenRequestWithGrant" => AccessTokenRequest,
            "PublicAccessTokenResponse" => AccessTokenResponse,
            WorkspaceResponse,
            WorkspacesResponse,
            WorkspaceCreateRequest,
            WorkspaceUpdateRequest,
            NotificationsConfig,
            NotificationConfig,
            EmailNotificationConfig,
            WebhookNotificationConfig,
            SourceResponse,
            SourcesResponse,
            SourceCreateRequest,
            SourcePatchRequest,
            SourcePutRequest,
            DestinationResponse,
            DestinationsResponse,
            DestinationCreateRequest,
            DestinationPatchRequest,
            DestinationPutRequest,
            ScopedResourceRequirements,
            ResourceRequirements,
            JobTypeResourceLimit,
            ConnectionResponse,
            ConnectionsResponse,
            ConnectionCreateRequest,
            ConnectionPatchRequest,
            "AirbyteApiConnectionSchedule" => ConnectionSchedule,
            ConnectionScheduleResponse,
            StreamConfigurations,
            StreamConfiguration,
            SelectedFieldInfo,
            ConfiguredStreamMapper,
            JobResponse,
            JobsResponse,
            JobCreateRequest,
            StreamProperties,
            StreamPropertiesResponse,
            OrganizationResponse,
            OrganizationsResponse,
            DefinitionResponse,
            DefinitionsResponse,
            CreateDefinitionRequest,
            UpdateDefinitionRequest,
            DeclarativeSourceDefinitionResponse,
            DeclarativeSourceDefinitionsResponse,
            CreateDeclarativeSourceDefinitionRequest,
            UpdateDeclarativeSourceDefinitionRequest,
            ConnectorDefinitionResponse,
            ConnectorDefinitionsResponse,
            Tag,
            TagResponse,
            TagsResponse,
            TagCreateRequest,
            TagPatchRequest,
            ApplicationRead,
            ApplicationReadList,
            ApplicationCreate,
            RegionResponse,
            RegionsResponse,
            RegionCreateRequest,
            RegionPatchRequest,
            DataplaneResponse,
            DataplanesResponse,
            DataplaneCreateRequest,
            DataplanePatchRequest,
            InitiateOauthRequest,
            WorkspaceOAuthCredentialsRequest,
            OrganizationOAuthCredentialsRequest,
            PermissionResponse,
            PermissionResponseRead,
            PermissionsResponse,
            PermissionCreateRequest,
            PermissionUpdateRequest,
            UserResponse,
            UsersResponse,
            GroupResponse,
            GroupsResponse,
            GroupCreateRequest,
            GroupUpdateRequest,
            GroupMemberResponse,
            GroupMembersResponse,
            GroupMemberAddRequest,
            GroupPermissionResponse,
            GroupPermissionsResponse,
            GroupPermissionCreateRequest,
            EmbeddedWidgetRequest,
            EmbeddedWidgetResponse,
            EmbeddedScopedTokenRequest,
            EmbeddedScopedTokenResponse,
            EmbeddedOrganizationsList,
            EmbeddedOrganizationListItem,
        }
        // Error bodies.
        Problems {
            "BaseProblemFields" => ApiErrorBody,
        }
        ConfigApi {
            "KnownExceptionInfo" => ApiErrorBody,
            "NotFoundKnownExceptionInfo" => ApiErrorBody,
            "InvalidInputExceptionInfo" => ApiErrorBody,
        }
        // Config API.
        ConfigApi {
            "SourceIdRequestBody" => SourceIdRequest,
            SourceRead,
            "DestinationIdRequestBody" => DestinationIdRequest,
            CheckConnectionRead,
            SynchronousJobRead,
            FailureReason,
            "JobIdRequestBody" => JobIdRequest,
            JobInfoRead,
            JobRead,
            JobAggregatedStats,
            AttemptInfoRead,
            AttemptRead,
            AttemptStats,
            AttemptStreamStats,
            AttemptFailureSummary,
            "LogEvents" => AttemptLogs,
            "LogRead" => AttemptLogs,
            LogEvent,
            "ConnectionIdRequestBody" => ConnectionIdRequest,
            ConnectionState,
            ConnectionStateCreateOrUpdate,
            StreamState,
            GlobalState,
            StreamDescriptor,
            "WebBackendConnectionRequestBody" => WebBackendConnectionRequest,
            WebBackendConnectionRead,
            WebBackendConnectionUpdate,
            AirbyteCatalog,
            AirbyteStreamAndConfiguration,
            AirbyteStream,
            AirbyteStreamConfiguration,
            "WorkspaceIdRequestBody" => WorkspaceIdRequest,
            "OrganizationIdRequestBody" => OrganizationIdRequest,
            OrganizationInfoRead,
            "ListWorkspacesInOrganizationRequestBody" => ListWorkspacesInOrganizationRequest,
            Pagination,
            WorkspaceReadList,
            WorkspaceRead,
            "BuilderProjectForDefinitionRequestBody" => BuilderProjectForDefinitionRequest,
            BuilderProjectForDefinitionResponse,
            "ConnectorBuilderProjectIdWithWorkspaceId" => BuilderProjectRequest,
            "ConnectorBuilderProjectRead" => BuilderProjectRead,
            "ConnectorBuilderProjectDetailsRead" => BuilderProjectDetails,
            DeclarativeManifestRead,
            "ConnectorBuilderProjectTestingValuesUpdate" => UpdateTestingValuesRequest,
            "ConnectorBuilderProjectTestingValues" => ConnectorConfig,
            "DataplaneCreateResponseBody" => DataplaneCreateResponse,
            "OAuthConsentRead" => InitiateOauthResponse,
            "UserAuthIdRequestBody" => UserAuthIdRequest,
            UserRead,
            UserUpdate,
            "UserIdRequestBody" => UserIdRequest,
            PermissionRead,
            PermissionReadList,
            "ListOrganizationsByUserRequestBody" => ListOrganizationsByUserRequest,
            OrganizationRead,
            OrganizationReadList,
            SourceCreate,
            SourceRead,
            DestinationCreate,
            DestinationRead,
            "SourceDefinitionIdRequestBody" => SourceDefinitionIdRequest,
            SourceDefinitionRead,
        }
    }
}
