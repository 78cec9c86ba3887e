//! The subset of the Config API (`https://cloud.airbyte.com/api/v1`, or `<host>/api/v1` on
//! self-managed Airbyte) that clients need: connection checks, job attempts and logs, state,
//! catalogs, organization info, Connector Builder projects, users and their permissions and
//! organizations, and draft sources and destinations.
//!
//! Every Config API call is a `POST` with a JSON body. Airbyte considers this API internal and
//! deprecated, but logs, state, catalogs, checks and builder projects are only reachable here.

mod actors;
mod builder;
mod catalog;
mod check;
mod jobs;
mod organizations;
mod sources;
mod state;
mod users;

pub use actors::{
    DestinationCreate, DestinationRead, SourceCreate, SourceDefinitionIdRequest,
    SourceDefinitionRead, SourceKind,
};
pub use builder::{
    BuilderProjectDetails, BuilderProjectForDefinitionRequest, BuilderProjectForDefinitionResponse,
    BuilderProjectRead, BuilderProjectRequest, DeclarativeManifestRead, UpdateTestingValuesRequest,
};
pub use catalog::{
    AirbyteCatalog, AirbyteStream, AirbyteStreamAndConfiguration, AirbyteStreamConfiguration,
    ConfigConnectionStatus, ConfigNamespaceDefinition, DestinationSyncMode, SyncMode,
    WebBackendConnectionRead, WebBackendConnectionRequest, WebBackendConnectionUpdate,
};
pub use check::{
    CheckConnectionRead, CheckConnectionStatus, DestinationIdRequest, FailureOrigin, FailureReason,
    FailureType, JobConfigType, LogFormatType, SourceIdRequest, SynchronousJobRead,
};
pub use jobs::{
    AttemptFailureSummary, AttemptInfoRead, AttemptLogs, AttemptRead, AttemptStats, AttemptStatus,
    AttemptStreamStats, JobAggregatedStats, JobIdRequest, JobInfoRead, JobRead, LogEvent, LogLevel,
    LogSource,
};
pub use organizations::{
    AccountType, ListWorkspacesInOrganizationRequest, OrganizationBilling, OrganizationIdRequest,
    OrganizationInfoRead, Pagination, PaymentStatus, SubscriptionStatus, WorkspaceIdRequest,
    WorkspaceRead, WorkspaceReadList,
};
pub use sources::SourceRead;
pub use state::{
    ConnectionIdRequest, ConnectionState, ConnectionStateCreateOrUpdate, ConnectionStateType,
    GlobalState, StreamDescriptor, StreamState,
};
pub use users::{
    ListOrganizationsByUserRequest, OrganizationRead, OrganizationReadList, PermissionRead,
    PermissionReadList, UserAuthIdRequest, UserIdRequest, UserRead, UserStatus, UserUpdate,
};
