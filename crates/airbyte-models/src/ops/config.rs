//! Operations of the Config API. All are `POST` with a JSON body; all but the creates are
//! marked idempotent in the registry (reads, or writes of a whole value), so a transport may
//! retry them.

use super::{Operation, registry};
use crate::{
    AccessTokenRequest, AccessTokenResponse, BuilderProjectForDefinitionRequest,
    BuilderProjectForDefinitionResponse, BuilderProjectRead, BuilderProjectRequest,
    CheckConnectionRead, ConnectionId, ConnectionIdRequest, ConnectionState,
    ConnectionStateCreateOrUpdate, ConnectorConfig, DefinitionId, DestinationCreate, DestinationId,
    DestinationIdRequest, DestinationRead, JobId, JobIdRequest, JobInfoRead,
    ListOrganizationsByUserRequest, ListWorkspacesInOrganizationRequest, OrganizationId,
    OrganizationIdRequest, OrganizationInfoRead, OrganizationReadList, PermissionReadList,
    SourceCreate, SourceDefinitionIdRequest, SourceDefinitionRead, SourceId, SourceIdRequest,
    SourceRead, UpdateTestingValuesRequest, UserAuthIdRequest, UserId, UserIdRequest, UserRead,
    UserUpdate, WebBackendConnectionRead, WebBackendConnectionRequest, WebBackendConnectionUpdate,
    WorkspaceId, WorkspaceIdRequest, WorkspaceRead, WorkspaceReadList,
};

/// `sources/get`: a source as the Config API describes it, with the definition it runs (which
/// older servers leave out of the Public API's sources).
#[must_use]
pub fn get_source(source_id: &SourceId) -> Operation<SourceRead> {
    Operation::new(registry::CONFIG_GET_SOURCE, vec![]).json(&SourceIdRequest {
        source_id: source_id.clone(),
    })
}

/// `sources/check_connection` (C1): runs the connector's check. Safe to repeat, and slow.
#[must_use]
pub fn check_source(source_id: &SourceId) -> Operation<CheckConnectionRead> {
    Operation::new(registry::CHECK_CONNECTION_TO_SOURCE, vec![])
        .json(&SourceIdRequest {
            source_id: source_id.clone(),
        })
        .long_running()
}

/// `destinations/check_connection` (C2).
#[must_use]
pub fn check_destination(destination_id: &DestinationId) -> Operation<CheckConnectionRead> {
    Operation::new(registry::CHECK_CONNECTION_TO_DESTINATION, vec![])
        .json(&DestinationIdRequest {
            destination_id: destination_id.clone(),
        })
        .long_running()
}

/// `jobs/get` (C3): a job with its attempts and logs.
#[must_use]
pub fn get_job(job_id: JobId) -> Operation<JobInfoRead> {
    Operation::new(registry::GET_JOB_INFO, vec![]).json(&JobIdRequest { id: job_id })
}

/// `state/get` (C4).
#[must_use]
pub fn get_state(connection_id: &ConnectionId) -> Operation<ConnectionState> {
    Operation::new(registry::GET_STATE, vec![]).json(&ConnectionIdRequest {
        connection_id: connection_id.clone(),
    })
}

/// `state/create_or_update_safe` (C5): replaces the state; 423 while a sync runs. Writing
/// the same state twice has the same effect, so it is idempotent.
#[must_use]
pub fn create_or_update_state_safe(
    request: &ConnectionStateCreateOrUpdate,
) -> Operation<ConnectionState> {
    Operation::new(registry::CREATE_OR_UPDATE_STATE_SAFE, vec![]).json(request)
}

/// `web_backend/connections/get` (C6): the connection with its full catalog.
#[must_use]
pub fn get_web_backend_connection(
    request: &WebBackendConnectionRequest,
) -> Operation<WebBackendConnectionRead> {
    let op = Operation::new(registry::WEB_BACKEND_GET_CONNECTION, vec![]).json(request);
    if request.with_refreshed_catalog == Some(true) {
        op.long_running()
    } else {
        op
    }
}

/// `web_backend/connections/update` (C7).
#[must_use]
pub fn update_web_backend_connection(
    request: &WebBackendConnectionUpdate,
) -> Operation<WebBackendConnectionRead> {
    Operation::new(registry::WEB_BACKEND_UPDATE_CONNECTION, vec![])
        .json(request)
        .long_running()
}

/// `workspaces/get_organization_info` (C8).
#[must_use]
pub fn workspace_organization_info(workspace_id: &WorkspaceId) -> Operation<OrganizationInfoRead> {
    Operation::new(registry::GET_ORGANIZATION_INFO, vec![]).json(&WorkspaceIdRequest {
        workspace_id: workspace_id.clone(),
        include_tombstone: None,
    })
}

/// `organizations/get_organization_info` (C9).
#[must_use]
pub fn organization_info(organization_id: &OrganizationId) -> Operation<OrganizationInfoRead> {
    Operation::new(registry::GET_ORG_INFO, vec![]).json(&OrganizationIdRequest {
        organization_id: organization_id.clone(),
    })
}

/// `workspaces/list_by_organization_id` (C10).
#[must_use]
pub fn list_workspaces_in_organization(
    request: &ListWorkspacesInOrganizationRequest,
) -> Operation<WorkspaceReadList> {
    Operation::new(registry::LIST_WORKSPACES_IN_ORGANIZATION, vec![]).json(request)
}

/// `connector_builder_projects/get_for_definition_id` (C11).
#[must_use]
pub fn builder_project_for_definition(
    request: &BuilderProjectForDefinitionRequest,
) -> Operation<BuilderProjectForDefinitionResponse> {
    Operation::new(
        registry::GET_CONNECTOR_BUILDER_PROJECT_ID_FOR_DEFINITION_ID,
        vec![],
    )
    .json(request)
}

/// `connector_builder_projects/get_with_manifest` (C12).
#[must_use]
pub fn builder_project_with_manifest(
    request: &BuilderProjectRequest,
) -> Operation<BuilderProjectRead> {
    Operation::new(registry::GET_CONNECTOR_BUILDER_PROJECT, vec![]).json(request)
}

/// `connector_builder_projects/update_testing_values` (C13): answers the stored values.
#[must_use]
pub fn update_testing_values(request: &UpdateTestingValuesRequest) -> Operation<ConnectorConfig> {
    Operation::new(
        registry::UPDATE_CONNECTOR_BUILDER_PROJECT_TESTING_VALUES,
        vec![],
    )
    .json(request)
}

/// `applications/token`: the Config API's token endpoint. Its answer carries `access_token`
/// only (no `token_type`, no `expires_in`).
#[must_use]
pub fn token(request: &AccessTokenRequest) -> Operation<AccessTokenResponse> {
    Operation::new(registry::CONFIG_CREATE_ACCESS_TOKEN, vec![]).json(request)
}

/// `jobs/get_without_logs`: a job with its attempts, without their logs.
#[must_use]
pub fn get_job_without_logs(job_id: JobId) -> Operation<JobInfoRead> {
    Operation::new(registry::GET_JOB_INFO_WITHOUT_LOGS, vec![]).json(&JobIdRequest { id: job_id })
}

/// `jobs/cancel`: cancels a running job and answers it with its attempts (a finished job is
/// answered unchanged).
#[must_use]
pub fn cancel_job(job_id: JobId) -> Operation<JobInfoRead> {
    Operation::new(registry::CONFIG_CANCEL_JOB, vec![]).json(&JobIdRequest { id: job_id })
}

/// `state/create_or_update`: replaces the state even while a sync runs (prefer
/// [`create_or_update_state_safe`]).
#[must_use]
pub fn create_or_update_state(
    request: &ConnectionStateCreateOrUpdate,
) -> Operation<ConnectionState> {
    Operation::new(registry::CREATE_OR_UPDATE_STATE, vec![]).json(request)
}

/// `workspaces/get`: the Config API's view of a workspace.
#[must_use]
pub fn get_workspace(workspace_id: &WorkspaceId) -> Operation<WorkspaceRead> {
    Operation::new(registry::CONFIG_GET_WORKSPACE, vec![]).json(&WorkspaceIdRequest {
        workspace_id: workspace_id.clone(),
        include_tombstone: None,
    })
}

/// `users/get_by_auth_id`: the user behind an identity-provider ID (the access token's `sub`
/// or `user_id` claim).
#[must_use]
pub fn get_user_by_auth_id(request: &UserAuthIdRequest) -> Operation<UserRead> {
    Operation::new(registry::GET_USER_BY_AUTH_ID, vec![]).json(request)
}

/// `users/update`: changes a user (its default workspace, say) and answers the user.
#[must_use]
pub fn update_user(request: &UserUpdate) -> Operation<UserRead> {
    Operation::new(registry::UPDATE_USER, vec![]).json(request)
}

/// `permissions/list_by_user`: every permission of a user, workspace and organization ones.
#[must_use]
pub fn list_permissions_by_user(user_id: &UserId) -> Operation<PermissionReadList> {
    Operation::new(registry::LIST_PERMISSIONS_BY_USER, vec![]).json(&UserIdRequest {
        user_id: user_id.clone(),
    })
}

/// `organizations/list_by_user_id`: one page of a user's organizations.
#[must_use]
pub fn list_organizations_by_user(
    request: &ListOrganizationsByUserRequest,
) -> Operation<OrganizationReadList> {
    Operation::new(registry::LIST_ORGANIZATIONS_BY_USER, vec![]).json(request)
}

/// `sources/create`: creates a source, or with `create_as_draft` a draft whose credentials a
/// person completes later. Not idempotent.
#[must_use]
pub fn create_source(request: &SourceCreate) -> Operation<SourceRead> {
    Operation::new(registry::CONFIG_CREATE_SOURCE, vec![]).json(request)
}

/// `destinations/create`: creates a destination, or with `create_as_draft` a draft whose
/// credentials a person completes later. Not idempotent.
#[must_use]
pub fn create_destination(request: &DestinationCreate) -> Operation<DestinationRead> {
    Operation::new(registry::CONFIG_CREATE_DESTINATION, vec![]).json(request)
}

/// `source_definitions/get`: a source definition with its Docker image and support level.
#[must_use]
pub fn get_source_definition(definition_id: &DefinitionId) -> Operation<SourceDefinitionRead> {
    Operation::new(registry::CONFIG_GET_SOURCE_DEFINITION, vec![]).json(
        &SourceDefinitionIdRequest {
            source_definition_id: definition_id.clone(),
        },
    )
}
