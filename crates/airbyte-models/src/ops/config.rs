//! Operations of the Config API. All are `POST` with a JSON body; the reads among them are
//! marked idempotent so a transport may retry them.

use super::{Api, Method, Operation};
use crate::{
    BuilderProjectForDefinitionRequest, BuilderProjectForDefinitionResponse, BuilderProjectRead,
    BuilderProjectRequest, CheckConnectionRead, ConnectionId, ConnectionIdRequest, ConnectionState,
    ConnectionStateCreateOrUpdate, ConnectorConfig, DestinationId, DestinationIdRequest, JobId,
    JobIdRequest, JobInfoRead, ListWorkspacesInOrganizationRequest, OrganizationId,
    OrganizationIdRequest, OrganizationInfoRead, SourceId, SourceIdRequest,
    UpdateTestingValuesRequest, WebBackendConnectionRead, WebBackendConnectionRequest,
    WebBackendConnectionUpdate, WorkspaceId, WorkspaceIdRequest, WorkspaceReadList,
};

fn config<R>(name: &'static str, path: &'static str, idempotent: bool) -> Operation<R> {
    Operation::new(name, Api::Config, Method::Post, path, vec![]).idempotent(idempotent)
}

/// `sources/check_connection` (C1): runs the connector's check. Safe to repeat, and slow.
#[must_use]
pub fn check_source(source_id: &SourceId) -> Operation<CheckConnectionRead> {
    config(
        "sources.check_connection",
        "/sources/check_connection",
        true,
    )
    .json(&SourceIdRequest {
        source_id: source_id.clone(),
    })
    .long_running()
}

/// `destinations/check_connection` (C2).
#[must_use]
pub fn check_destination(destination_id: &DestinationId) -> Operation<CheckConnectionRead> {
    config(
        "destinations.check_connection",
        "/destinations/check_connection",
        true,
    )
    .json(&DestinationIdRequest {
        destination_id: destination_id.clone(),
    })
    .long_running()
}

/// `jobs/get` (C3): a job with its attempts and logs.
#[must_use]
pub fn get_job(job_id: JobId) -> Operation<JobInfoRead> {
    config("jobs.get_info", "/jobs/get", true).json(&JobIdRequest { id: job_id })
}

/// `state/get` (C4).
#[must_use]
pub fn get_state(connection_id: &ConnectionId) -> Operation<ConnectionState> {
    config("state.get", "/state/get", true).json(&ConnectionIdRequest {
        connection_id: connection_id.clone(),
    })
}

/// `state/create_or_update_safe` (C5): replaces the state; 423 while a sync runs. Writing
/// the same state twice has the same effect, so it is idempotent.
#[must_use]
pub fn create_or_update_state_safe(
    request: &ConnectionStateCreateOrUpdate,
) -> Operation<ConnectionState> {
    config(
        "state.create_or_update_safe",
        "/state/create_or_update_safe",
        true,
    )
    .json(request)
}

/// `web_backend/connections/get` (C6): the connection with its full catalog.
#[must_use]
pub fn get_web_backend_connection(
    request: &WebBackendConnectionRequest,
) -> Operation<WebBackendConnectionRead> {
    let op = config(
        "web_backend.connections.get",
        "/web_backend/connections/get",
        true,
    )
    .json(request);
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
    config(
        "web_backend.connections.update",
        "/web_backend/connections/update",
        true,
    )
    .json(request)
    .long_running()
}

/// `workspaces/get_organization_info` (C8).
#[must_use]
pub fn workspace_organization_info(workspace_id: &WorkspaceId) -> Operation<OrganizationInfoRead> {
    config(
        "workspaces.get_organization_info",
        "/workspaces/get_organization_info",
        true,
    )
    .json(&WorkspaceIdRequest {
        workspace_id: workspace_id.clone(),
        include_tombstone: None,
    })
}

/// `organizations/get_organization_info` (C9).
#[must_use]
pub fn organization_info(organization_id: &OrganizationId) -> Operation<OrganizationInfoRead> {
    config(
        "organizations.get_organization_info",
        "/organizations/get_organization_info",
        true,
    )
    .json(&OrganizationIdRequest {
        organization_id: organization_id.clone(),
    })
}

/// `workspaces/list_by_organization_id` (C10).
#[must_use]
pub fn list_workspaces_in_organization(
    request: &ListWorkspacesInOrganizationRequest,
) -> Operation<WorkspaceReadList> {
    config(
        "workspaces.list_by_organization_id",
        "/workspaces/list_by_organization_id",
        true,
    )
    .json(request)
}

/// `connector_builder_projects/get_for_definition_id` (C11).
#[must_use]
pub fn builder_project_for_definition(
    request: &BuilderProjectForDefinitionRequest,
) -> Operation<BuilderProjectForDefinitionResponse> {
    config(
        "connector_builder_projects.get_for_definition_id",
        "/connector_builder_projects/get_for_definition_id",
        true,
    )
    .json(request)
}

/// `connector_builder_projects/get_with_manifest` (C12).
#[must_use]
pub fn builder_project_with_manifest(
    request: &BuilderProjectRequest,
) -> Operation<BuilderProjectRead> {
    config(
        "connector_builder_projects.get_with_manifest",
        "/connector_builder_projects/get_with_manifest",
        true,
    )
    .json(request)
}

/// `connector_builder_projects/update_testing_values` (C13): answers the stored values.
#[must_use]
pub fn update_testing_values(request: &UpdateTestingValuesRequest) -> Operation<ConnectorConfig> {
    config(
        "connector_builder_projects.update_testing_values",
        "/connector_builder_projects/update_testing_values",
        true,
    )
    .json(request)
}
