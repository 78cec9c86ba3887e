//! Operations of the Public API, one module per resource.

mod access;
mod oauth_ops;
mod platform;

pub use access::{applications, embedded, groups, permissions, users};
pub use oauth_ops::oauth;
pub use platform::{dataplanes, regions};

use super::params::{format_query_datetime, validate_page};
use super::{ConnectionListParams, JobListParams, ListParams, Operation, registry};
use crate::{
    AccessTokenRequest, AccessTokenResponse, ConnectionId, DefinitionId, DestinationId, JobId,
    SourceId, TagId, WorkspaceId,
};

fn id(value: &impl AsRef<str>) -> String {
    value.as_ref().to_owned()
}

/// Adds the shared list filters: exploded `workspaceIds`, `includeDeleted`, `limit`, `offset`.
fn with_list_params<R>(mut op: Operation<R>, params: &ListParams) -> Operation<R> {
    for workspace_id in &params.workspace_ids {
        op = op.query("workspaceIds", workspace_id);
    }
    op.query("includeDeleted", params.include_deleted)
        .query("limit", params.limit)
        .query("offset", params.offset)
        .invalid_if(params.validate())
}

/// `POST /applications/token`, `GET /health` and `GET /`.
pub mod auth {
    use super::*;
    use crate::Redirect;

    /// `GET /`: answers `302` to the API documentation; the result is the `Location`.
    #[must_use]
    pub fn documentation() -> Operation<Redirect> {
        Operation::new(registry::GET_DOCUMENTATION, vec![]).redirect_response()
    }

    /// `POST /applications/token`: exchanges client credentials for an access token.
    #[must_use]
    pub fn token(request: &AccessTokenRequest) -> Operation<AccessTokenResponse> {
        // Minting a token twice is harmless, so it may be retried.
        Operation::new(registry::CREATE_ACCESS_TOKEN, vec![]).json(request)
    }

    /// `GET /health`: whether the server is up. The body is ignored.
    #[must_use]
    pub fn health() -> Operation<()> {
        Operation::new(registry::HEALTH, vec![]).empty_response()
    }
}

/// Workspaces.
pub mod workspaces {
    use super::*;
    use crate::{
        WorkspaceCreateRequest, WorkspaceResponse, WorkspaceUpdateRequest, WorkspacesResponse,
    };

    /// `GET /workspaces`.
    #[must_use]
    pub fn list(params: &ListParams) -> Operation<WorkspacesResponse> {
        with_list_params(Operation::new(registry::LIST_WORKSPACES, vec![]), params)
    }

    /// `GET /workspaces/{workspaceId}`.
    #[must_use]
    pub fn get(workspace_id: &WorkspaceId) -> Operation<WorkspaceResponse> {
        Operation::new(registry::GET_WORKSPACE, vec![id(workspace_id)])
    }

    /// `POST /workspaces`.
    #[must_use]
    pub fn create(request: &WorkspaceCreateRequest) -> Operation<WorkspaceResponse> {
        Operation::new(registry::CREATE_WORKSPACE, vec![]).json(request)
    }

    /// `PATCH /workspaces/{workspaceId}`.
    #[must_use]
    pub fn update(
        workspace_id: &WorkspaceId,
        request: &WorkspaceUpdateRequest,
    ) -> Operation<WorkspaceResponse> {
        Operation::new(registry::UPDATE_WORKSPACE, vec![id(workspace_id)]).json(request)
    }

    /// `DELETE /workspaces/{workspaceId}` (204).
    #[must_use]
    pub fn delete(workspace_id: &WorkspaceId) -> Operation<()> {
        Operation::new(registry::DELETE_WORKSPACE, vec![id(workspace_id)]).empty_response()
    }
}

/// Sources.
pub mod sources {
    use super::*;
    use crate::{
        SourceCreateRequest, SourcePatchRequest, SourcePutRequest, SourceResponse, SourcesResponse,
    };

    /// `GET /sources`.
    #[must_use]
    pub fn list(params: &ListParams) -> Operation<SourcesResponse> {
        with_list_params(Operation::new(registry::LIST_SOURCES, vec![]), params)
    }

    /// `GET /sources/{sourceId}`.
    #[must_use]
    pub fn get(source_id: &SourceId) -> Operation<SourceResponse> {
        Operation::new(registry::GET_SOURCE, vec![id(source_id)])
    }

    /// `POST /sources`. Not idempotent: a re-sent create makes a second source.
    #[must_use]
    pub fn create(request: &SourceCreateRequest) -> Operation<SourceResponse> {
        Operation::new(registry::CREATE_SOURCE, vec![]).json(request)
    }

    /// `PATCH /sources/{sourceId}`.
    #[must_use]
    pub fn patch(source_id: &SourceId, request: &SourcePatchRequest) -> Operation<SourceResponse> {
        Operation::new(registry::PATCH_SOURCE, vec![id(source_id)]).json(request)
    }

    /// `PUT /sources/{sourceId}`.
    #[must_use]
    pub fn put(source_id: &SourceId, request: &SourcePutRequest) -> Operation<SourceResponse> {
        Operation::new(registry::PUT_SOURCE, vec![id(source_id)]).json(request)
    }

    /// `DELETE /sources/{sourceId}` (204).
    #[must_use]
    pub fn delete(source_id: &SourceId) -> Operation<()> {
        Operation::new(registry::DELETE_SOURCE, vec![id(source_id)]).empty_response()
    }
}

/// Destinations.
pub mod destinations {
    use super::*;
    use crate::{
        DestinationCreateRequest, DestinationPatchRequest, DestinationPutRequest,
        DestinationResponse, DestinationsResponse,
    };

    /// `GET /destinations`.
    #[must_use]
    pub fn list(params: &ListParams) -> Operation<DestinationsResponse> {
        with_list_params(Operation::new(registry::LIST_DESTINATIONS, vec![]), params)
    }

    /// `GET /destinations/{destinationId}`.
    #[must_use]
    pub fn get(destination_id: &DestinationId) -> Operation<DestinationResponse> {
        Operation::new(registry::GET_DESTINATION, vec![id(destination_id)])
    }

    /// `POST /destinations`. Not idempotent.
    #[must_use]
    pub fn create(request: &DestinationCreateRequest) -> Operation<DestinationResponse> {
        Operation::new(registry::CREATE_DESTINATION, vec![]).json(request)
    }

    /// `PATCH /destinations/{destinationId}`.
    #[must_use]
    pub fn patch(
        destination_id: &DestinationId,
        request: &DestinationPatchRequest,
    ) -> Operation<DestinationResponse> {
        Operation::new(registry::PATCH_DESTINATION, vec![id(destination_id)]).json(request)
    }

    /// `PUT /destinations/{destinationId}`.
    #[must_use]
    pub fn put(
        destination_id: &DestinationId,
        request: &DestinationPutRequest,
    ) -> Operation<DestinationResponse> {
        Operation::new(registry::PUT_DESTINATION, vec![id(destination_id)]).json(request)
    }

    /// `DELETE /destinations/{destinationId}` (204).
    #[must_use]
    pub fn delete(destination_id: &DestinationId) -> Operation<()> {
        Operation::new(registry::DELETE_DESTINATION, vec![id(destination_id)]).empty_response()
    }
}

/// Connections.
pub mod connections {
    use super::*;
    use crate::{
        ConnectionCreateRequest, ConnectionPatchRequest, ConnectionResponse, ConnectionsResponse,
    };

    /// `GET /connections`.
    #[must_use]
    pub fn list(params: &ConnectionListParams) -> Operation<ConnectionsResponse> {
        let mut op = Operation::new(registry::LIST_CONNECTIONS, vec![]);
        for tag_id in &params.tag_ids {
            op = op.query("tagIds", tag_id);
        }
        with_list_params(op, &params.list)
    }

    /// `GET /connections/{connectionId}`.
    #[must_use]
    pub fn get(connection_id: &ConnectionId) -> Operation<ConnectionResponse> {
        Operation::new(registry::GET_CONNECTION, vec![id(connection_id)])
    }

    /// `POST /connections`. Not idempotent. Slow: the server may discover the source schema.
    #[must_use]
    pub fn create(request: &ConnectionCreateRequest) -> Operation<ConnectionResponse> {
        Operation::new(registry::CREATE_CONNECTION, vec![])
            .json(request)
            .long_running()
    }

    /// `PATCH /connections/{connectionId}`.
    #[must_use]
    pub fn patch(
        connection_id: &ConnectionId,
        request: &ConnectionPatchRequest,
    ) -> Operation<ConnectionResponse> {
        Operation::new(registry::PATCH_CONNECTION, vec![id(connection_id)])
            .json(request)
            .long_running()
    }

    /// `DELETE /connections/{connectionId}` (204).
    #[must_use]
    pub fn delete(connection_id: &ConnectionId) -> Operation<()> {
        Operation::new(registry::DELETE_CONNECTION, vec![id(connection_id)]).empty_response()
    }
}

/// Jobs.
pub mod jobs {
    use super::*;
    use crate::{JobCreateRequest, JobResponse, JobsResponse};

    /// `GET /jobs`.
    #[must_use]
    pub fn list(params: &JobListParams) -> Operation<JobsResponse> {
        let mut op = Operation::new(registry::LIST_JOBS, vec![])
            .query_opt("connectionId", params.connection_id.as_ref());
        for workspace_id in &params.workspace_ids {
            op = op.query("workspaceIds", workspace_id);
        }
        op.query_opt("jobType", params.job_type.as_ref())
            .query_opt("status", params.status.as_ref())
            .query_opt(
                "createdAtStart",
                params.created_at_start.map(format_query_datetime),
            )
            .query_opt(
                "createdAtEnd",
                params.created_at_end.map(format_query_datetime),
            )
            .query_opt(
                "updatedAtStart",
                params.updated_at_start.map(format_query_datetime),
            )
            .query_opt(
                "updatedAtEnd",
                params.updated_at_end.map(format_query_datetime),
            )
            .query_opt("orderBy", params.order_by)
            .query("limit", params.limit)
            .query("offset", params.offset)
            .invalid_if(validate_page(params.limit, params.offset))
    }

    /// `GET /jobs/{jobId}`.
    #[must_use]
    pub fn get(job_id: JobId) -> Operation<JobResponse> {
        Operation::new(registry::GET_JOB, vec![job_id.to_string()])
    }

    /// `POST /jobs`: starts a sync, reset or clear. Not idempotent. The Public API refuses
    /// `refresh` with 422, so such a request is marked invalid and never sent.
    #[must_use]
    pub fn create(request: &JobCreateRequest) -> Operation<JobResponse> {
        let refused = (request.job_type == crate::JobType::Refresh)
            .then(|| "the Public API does not support refresh jobs (it answers 422)".to_owned());
        Operation::new(registry::CREATE_JOB, vec![])
            .json(request)
            .invalid_if(refused)
    }

    /// `DELETE /jobs/{jobId}`: cancels a running job and returns it (200).
    #[must_use]
    pub fn cancel(job_id: JobId) -> Operation<JobResponse> {
        Operation::new(registry::CANCEL_JOB, vec![job_id.to_string()])
    }
}

/// Streams.
pub mod streams {
    use super::*;
    use crate::StreamPropertiesResponse;

    /// `GET /streams`: the streams a source offers, optionally intersected with what a
    /// destination supports. Slow when `ignore_cache` forces a discovery.
    #[must_use]
    pub fn get(
        source_id: &SourceId,
        destination_id: Option<&DestinationId>,
        ignore_cache: bool,
    ) -> Operation<StreamPropertiesResponse> {
        Operation::new(registry::GET_STREAM_PROPERTIES, vec![])
            .query("sourceId", source_id)
            .query_opt("destinationId", destination_id)
            .query("ignoreCache", ignore_cache)
            .long_running()
    }
}

/// Organizations.
pub mod organizations {
    use super::*;
    use crate::OrganizationsResponse;

    /// `GET /organizations`: the caller's organizations (not paginated).
    #[must_use]
    pub fn list() -> Operation<OrganizationsResponse> {
        Operation::new(registry::LIST_ORGANIZATIONS_FOR_USER, vec![])
    }
}

/// Tags.
pub mod tags {
    use super::*;
    use crate::{TagCreateRequest, TagPatchRequest, TagResponse, TagsResponse};

    /// `GET /tags` (not paginated).
    #[must_use]
    pub fn list(workspace_ids: &[WorkspaceId]) -> Operation<TagsResponse> {
        workspace_ids.iter().fold(
            Operation::new(registry::LIST_TAGS, vec![]),
            |op, workspace_id| op.query("workspaceIds", workspace_id),
        )
    }

    /// `GET /tags/{tagId}`.
    #[must_use]
    pub fn get(tag_id: &TagId) -> Operation<TagResponse> {
        Operation::new(registry::GET_TAG, vec![id(tag_id)])
    }

    /// `POST /tags`.
    #[must_use]
    pub fn create(request: &TagCreateRequest) -> Operation<TagResponse> {
        Operation::new(registry::CREATE_TAG, vec![]).json(request)
    }

    /// `PATCH /tags/{tagId}`.
    #[must_use]
    pub fn patch(tag_id: &TagId, request: &TagPatchRequest) -> Operation<TagResponse> {
        Operation::new(registry::UPDATE_TAG, vec![id(tag_id)]).json(request)
    }

    /// `DELETE /tags/{tagId}` (204).
    #[must_use]
    pub fn delete(tag_id: &TagId) -> Operation<()> {
        Operation::new(registry::DELETE_TAG, vec![id(tag_id)]).empty_response()
    }
}

/// Declarative (YAML manifest) source definitions of a workspace.
pub mod declarative_source_definitions {
    use super::*;
    use crate::{
        CreateDeclarativeSourceDefinitionRequest, DeclarativeSourceDefinitionResponse,
        DeclarativeSourceDefinitionsResponse, UpdateDeclarativeSourceDefinitionRequest,
    };

    /// `GET .../definitions/declarative_sources`.
    #[must_use]
    pub fn list(workspace_id: &WorkspaceId) -> Operation<DeclarativeSourceDefinitionsResponse> {
        Operation::new(
            registry::LIST_DECLARATIVE_SOURCE_DEFINITIONS,
            vec![id(workspace_id)],
        )
    }

    /// `GET .../definitions/declarative_sources/{definitionId}`.
    #[must_use]
    pub fn get(
        workspace_id: &WorkspaceId,
        definition_id: &DefinitionId,
    ) -> Operation<DeclarativeSourceDefinitionResponse> {
        Operation::new(
            registry::GET_DECLARATIVE_SOURCE_DEFINITION,
            vec![id(workspace_id), id(definition_id)],
        )
    }

    /// `POST .../definitions/declarative_sources`. Not idempotent.
    #[must_use]
    pub fn create(
        workspace_id: &WorkspaceId,
        request: &CreateDeclarativeSourceDefinitionRequest,
    ) -> Operation<DeclarativeSourceDefinitionResponse> {
        Operation::new(
            registry::CREATE_DECLARATIVE_SOURCE_DEFINITION,
            vec![id(workspace_id)],
        )
        .json(request)
    }

    /// `PUT .../definitions/declarative_sources/{definitionId}`: publishes a new manifest
    /// version. Not idempotent: each call adds a version.
    #[must_use]
    pub fn update(
        workspace_id: &WorkspaceId,
        definition_id: &DefinitionId,
        request: &UpdateDeclarativeSourceDefinitionRequest,
    ) -> Operation<DeclarativeSourceDefinitionResponse> {
        Operation::new(
            registry::UPDATE_DECLARATIVE_SOURCE_DEFINITION,
            vec![id(workspace_id), id(definition_id)],
        )
        .json(request)
    }

    /// `DELETE .../definitions/declarative_sources/{definitionId}`: answers 200 with the
    /// deleted definition.
    #[must_use]
    pub fn delete(
        workspace_id: &WorkspaceId,
        definition_id: &DefinitionId,
    ) -> Operation<DeclarativeSourceDefinitionResponse> {
        Operation::new(
            registry::DELETE_DECLARATIVE_SOURCE_DEFINITION,
            vec![id(workspace_id), id(definition_id)],
        )
    }
}

macro_rules! docker_definitions {
    ($module:ident, $kind:literal, $list:ident, $create:ident, $get:ident, $update:ident, $delete:ident) => {
        #[doc = concat!("Custom Docker ", $kind, " definitions of a workspace.")]
        pub mod $module {
            use super::*;
            use crate::{
                CreateDefinitionRequest, DefinitionResponse, DefinitionsResponse,
                UpdateDefinitionRequest,
            };

            #[doc = concat!("`GET /workspaces/{workspaceId}/definitions/", $kind, "s`.")]
            #[must_use]
            pub fn list(workspace_id: &WorkspaceId) -> Operation<DefinitionsResponse> {
                Operation::new(registry::$list, vec![id(workspace_id)])
            }

            #[doc = concat!("`GET /workspaces/{workspaceId}/definitions/", $kind, "s/{definitionId}`.")]
            #[must_use]
            pub fn get(
                workspace_id: &WorkspaceId,
                definition_id: &DefinitionId,
            ) -> Operation<DefinitionResponse> {
                Operation::new(registry::$get, vec![id(workspace_id), id(definition_id)])
            }

            #[doc = concat!("`POST /workspaces/{workspaceId}/definitions/", $kind, "s`. Not idempotent.")]
            #[must_use]
            pub fn create(
                workspace_id: &WorkspaceId,
                request: &CreateDefinitionRequest,
            ) -> Operation<DefinitionResponse> {
                Operation::new(registry::$create, vec![id(workspace_id)]).json(request)
            }

            #[doc = concat!("`PUT /workspaces/{workspaceId}/definitions/", $kind, "s/{definitionId}`: a new name and image tag.")]
            #[must_use]
            pub fn update(
                workspace_id: &WorkspaceId,
                definition_id: &DefinitionId,
                request: &UpdateDefinitionRequest,
            ) -> Operation<DefinitionResponse> {
                Operation::new(registry::$update, vec![id(workspace_id), id(definition_id)])
                    .json(request)
            }

            #[doc = concat!("`DELETE /workspaces/{workspaceId}/definitions/", $kind, "s/{definitionId}`: answers 200 with the deleted definition.")]
            #[must_use]
            pub fn delete(
                workspace_id: &WorkspaceId,
                definition_id: &DefinitionId,
            ) -> Operation<DefinitionResponse> {
                Operation::new(registry::$delete, vec![id(workspace_id), id(definition_id)])
            }
        }
    };
}

docker_definitions!(
    source_definitions,
    "source",
    LIST_SOURCE_DEFINITIONS,
    CREATE_SOURCE_DEFINITION,
    GET_SOURCE_DEFINITION,
    UPDATE_SOURCE_DEFINITION,
    DELETE_SOURCE_DEFINITION
);
docker_definitions!(
    destination_definitions,
    "destination",
    LIST_DESTINATION_DEFINITIONS,
    CREATE_DESTINATION_DEFINITION,
    GET_DESTINATION_DEFINITION,
    UPDATE_DESTINATION_DEFINITION,
    DELETE_DESTINATION_DEFINITION
);

/// The catalog of connector definitions.
pub mod connector_definitions {
    use super::*;
    use crate::{ConnectorDefinitionsResponse, ConnectorType};

    /// `GET /connector_definitions?type=...`.
    #[must_use]
    pub fn list(
        connector_type: &ConnectorType,
        workspace_id: Option<&WorkspaceId>,
    ) -> Operation<ConnectorDefinitionsResponse> {
        Operation::new(registry::LIST_CONNECTOR_DEFINITIONS, vec![])
            .query("type", connector_type)
            .query_opt("workspaceId", workspace_id)
    }
}
