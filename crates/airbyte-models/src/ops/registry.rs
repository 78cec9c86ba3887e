//! The registry: one table of every operation this crate describes, as the official
//! specifications name it (method, path template, operation ID, API, idempotency, whether it
//! needs credentials).
//!
//! Everything else is checked against this table: the operation constructors in
//! [`public`](super::public) and [`config`](super::config) take their method and path from it,
//! the mock server builds its routes from it, and tests compare it with the specifications in
//! `../shared/reference/`. Adding an operation means one entry here, one model, one constructor,
//! one mock handler; a test fails while any of them is missing.
//!
//! The registry describes all 92 operations of the Public API specification. Operations a
//! later specification adds would be listed, counted, in [`NOT_YET`] until they are described,
//! so that the registry and that list together always cover the whole specification.
//!
//! ```
//! use airbyte_models::ops::registry::{self, REGISTRY};
//! use airbyte_models::ops::{Api, Method};
//!
//! let get = registry::GET_SOURCE;
//! assert_eq!((get.method, get.path, get.operation_id), (Method::Get, "/sources/{sourceId}", "getSource"));
//! assert!(REGISTRY.iter().any(|def| def.api == Api::Config && def.operation_id == "getState"));
//! assert_eq!(registry::find(Api::Public, "createJob"), Some(registry::CREATE_JOB));
//! ```

use super::{Api, Method};

/// One operation of the API, as the specification names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct OperationDef {
    /// The API, and so the root the path is relative to.
    pub api: Api,
    /// The HTTP method.
    pub method: Method,
    /// The path template relative to the API root, with `{name}` parameters as in the
    /// specification (`/sources/{sourceId}`).
    pub path: &'static str,
    /// The specification's `operationId` (`getSource`); unique within one API.
    pub operation_id: &'static str,
    /// A stable name for logs and metrics (`sources.get`).
    pub name: &'static str,
    /// Whether sending the operation twice has the same effect as sending it once.
    pub idempotent: bool,
    /// Whether the operation needs credentials (all but the token endpoints and health).
    pub authenticated: bool,
}

impl OperationDef {
    /// An authenticated operation; everything but `POST` is idempotent.
    const fn new(
        api: Api,
        method: Method,
        path: &'static str,
        operation_id: &'static str,
        name: &'static str,
    ) -> Self {
        Self {
            api,
            method,
            path,
            operation_id,
            name,
            idempotent: !matches!(method, Method::Post),
            authenticated: true,
        }
    }

    /// Safe to re-send although its method is `POST` (a read, or a write of a whole value).
    const fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    /// Not safe to re-send although its method is not `POST` (each call adds a version).
    const fn not_idempotent(mut self) -> Self {
        self.idempotent = false;
        self
    }

    /// Sent without credentials.
    const fn open(mut self) -> Self {
        self.authenticated = false;
        self
    }

    /// The names of the path parameters, in order (`["workspaceId", "definitionId"]`).
    #[must_use]
    pub fn path_params(&self) -> Vec<&'static str> {
        let mut names = Vec::new();
        let mut rest = self.path;
        while let Some(start) = rest.find('{') {
            let Some(end) = rest[start..].find('}') else {
                break;
            };
            names.push(&rest[start + 1..start + end]);
            rest = &rest[start + end + 1..];
        }
        names
    }
}

/// Defines one `pub const` per entry and the [`REGISTRY`] that lists them all, so that an
/// operation is added in exactly one place.
macro_rules! registry {
    ($( $konst:ident: $api:ident $method:ident $path:literal $id:literal $name:literal $( $flag:ident )*; )+) => {
        $(
            #[doc = concat!("`", stringify!($method), " ", $path, "` (", stringify!($api), " API, `", $id, "`).")]
            pub const $konst: &OperationDef =
                &OperationDef::new(Api::$api, Method::$method, $path, $id, $name) $( .$flag() )*;
        )+

        /// Every operation this crate describes, Public API first, in the order of the
        /// specification.
        pub const REGISTRY: &[&OperationDef] = &[$($konst),+];
    };
}

registry! {
    GET_DOCUMENTATION: Public Get "/" "getDocumentation" "documentation" open;
    HEALTH: Public Get "/health" "getHealthCheck" "health" open;
    LIST_APPLICATIONS: Public Get "/applications" "listApplications" "applications.list";
    CREATE_APPLICATION: Public Post "/applications" "createApplication" "applications.create";
    GET_APPLICATION: Public Get "/applications/{applicationId}" "getApplication" "applications.get";
    DELETE_APPLICATION: Public Delete "/applications/{applicationId}" "deleteApplication" "applications.delete";
    CREATE_ACCESS_TOKEN: Public Post "/applications/token" "createAccessToken" "applications.token" idempotent open;
    LIST_JOBS: Public Get "/jobs" "listJobs" "jobs.list";
    CREATE_JOB: Public Post "/jobs" "createJob" "jobs.create";
    GET_JOB: Public Get "/jobs/{jobId}" "getJob" "jobs.get";
    CANCEL_JOB: Public Delete "/jobs/{jobId}" "cancelJob" "jobs.cancel";
    LIST_REGIONS: Public Get "/regions" "listRegions" "regions.list";
    CREATE_REGION: Public Post "/regions" "createRegion" "regions.create";
    GET_REGION: Public Get "/regions/{regionId}" "getRegion" "regions.get";
    UPDATE_REGION: Public Patch "/regions/{regionId}" "updateRegion" "regions.update";
    DELETE_REGION: Public Delete "/regions/{regionId}" "deleteRegion" "regions.delete";
    LIST_DATAPLANES: Public Get "/dataplanes" "listDataplanes" "dataplanes.list";
    CREATE_DATAPLANE: Public Post "/dataplanes" "createDataplane" "dataplanes.create";
    GET_DATAPLANE: Public Get "/dataplanes/{dataplaneId}" "getDataplane" "dataplanes.get";
    UPDATE_DATAPLANE: Public Patch "/dataplanes/{dataplaneId}" "updateDataplane" "dataplanes.update";
    DELETE_DATAPLANE: Public Delete "/dataplanes/{dataplaneId}" "deleteDataplane" "dataplanes.delete";
    LIST_CONNECTOR_DEFINITIONS: Public Get "/connector_definitions" "listConnectorDefinitions" "connector_definitions.list";
    LIST_DECLARATIVE_SOURCE_DEFINITIONS: Public Get "/workspaces/{workspaceId}/definitions/declarative_sources" "listDeclarativeSourceDefinitions" "declarative_source_definitions.list";
    CREATE_DECLARATIVE_SOURCE_DEFINITION: Public Post "/workspaces/{workspaceId}/definitions/declarative_sources" "createDeclarativeSourceDefinition" "declarative_source_definitions.create";
    GET_DECLARATIVE_SOURCE_DEFINITION: Public Get "/workspaces/{workspaceId}/definitions/declarative_sources/{definitionId}" "getDeclarativeSourceDefinition" "declarative_source_definitions.get";
    UPDATE_DECLARATIVE_SOURCE_DEFINITION: Public Put "/workspaces/{workspaceId}/definitions/declarative_sources/{definitionId}" "updateDeclarativeSourceDefinition" "declarative_source_definitions.update" not_idempotent;
    DELETE_DECLARATIVE_SOURCE_DEFINITION: Public Delete "/workspaces/{workspaceId}/definitions/declarative_sources/{definitionId}" "deleteDeclarativeSourceDefinition" "declarative_source_definitions.delete";
    LIST_SOURCE_DEFINITIONS: Public Get "/workspaces/{workspaceId}/definitions/sources" "listSourceDefinitions" "source_definitions.list";
    CREATE_SOURCE_DEFINITION: Public Post "/workspaces/{workspaceId}/definitions/sources" "createSourceDefinition" "source_definitions.create";
    GET_SOURCE_DEFINITION: Public Get "/workspaces/{workspaceId}/definitions/sources/{definitionId}" "getSourceDefinition" "source_definitions.get";
    UPDATE_SOURCE_DEFINITION: Public Put "/workspaces/{workspaceId}/definitions/sources/{definitionId}" "updateSourceDefinition" "source_definitions.update";
    DELETE_SOURCE_DEFINITION: Public Delete "/workspaces/{workspaceId}/definitions/sources/{definitionId}" "deleteSourceDefinition" "source_definitions.delete";
    LIST_DESTINATION_DEFINITIONS: Public Get "/workspaces/{workspaceId}/definitions/destinations" "listDestinationDefinitions" "destination_definitions.list";
    CREATE_DESTINATION_DEFINITION: Public Post "/workspaces/{workspaceId}/definitions/destinations" "createDestinationDefinition" "destination_definitions.create";
    GET_DESTINATION_DEFINITION: Public Get "/workspaces/{workspaceId}/definitions/destinations/{definitionId}" "getDestinationDefinition" "destination_definitions.get";
    UPDATE_DESTINATION_DEFINITION: Public Put "/workspaces/{workspaceId}/definitions/destinations/{definitionId}" "updateDestinationDefinition" "destination_definitions.update";
    DELETE_DESTINATION_DEFINITION: Public Delete "/workspaces/{workspaceId}/definitions/destinations/{definitionId}" "deleteDestinationDefinition" "destination_definitions.delete";
    LIST_SOURCES: Public Get "/sources" "listSources" "sources.list";
    CREATE_SOURCE: Public Post "/sources" "createSource" "sources.create";
    GET_SOURCE: Public Get "/sources/{sourceId}" "getSource" "sources.get";
    PATCH_SOURCE: Public Patch "/sources/{sourceId}" "patchSource" "sources.patch";
    PUT_SOURCE: Public Put "/sources/{sourceId}" "putSource" "sources.put";
    DELETE_SOURCE: Public Delete "/sources/{sourceId}" "deleteSource" "sources.delete";
    OAUTH_CALLBACK: Public Get "/oauth/callback" "oauthCallback" "oauth.callback" open;
    INITIATE_OAUTH: Public Post "/sources/initiateOAuth" "initiateOAuth" "sources.initiate_oauth";
    LIST_DESTINATIONS: Public Get "/destinations" "listDestinations" "destinations.list";
    CREATE_DESTINATION: Public Post "/destinations" "createDestination" "destinations.create";
    GET_DESTINATION: Public Get "/destinations/{destinationId}" "getDestination" "destinations.get";
    DELETE_DESTINATION: Public Delete "/destinations/{destinationId}" "deleteDestination" "destinations.delete";
    PATCH_DESTINATION: Public Patch "/destinations/{destinationId}" "patchDestination" "destinations.patch";
    PUT_DESTINATION: Public Put "/destinations/{destinationId}" "putDestination" "destinations.put";
    CREATE_CONNECTION: Public Post "/connections" "createConnection" "connections.create";
    LIST_CONNECTIONS: Public Get "/connections" "listConnections" "connections.list";
    GET_CONNECTION: Public Get "/connections/{connectionId}" "getConnection" "connections.get";
    PATCH_CONNECTION: Public Patch "/connections/{connectionId}" "patchConnection" "connections.patch";
    DELETE_CONNECTION: Public Delete "/connections/{connectionId}" "deleteConnection" "connections.delete";
    GET_STREAM_PROPERTIES: Public Get "/streams" "getStreamProperties" "streams.get";
    LIST_WORKSPACES: Public Get "/workspaces" "listWorkspaces" "workspaces.list";
    CREATE_WORKSPACE: Public Post "/workspaces" "createWorkspace" "workspaces.create";
    GET_WORKSPACE: Public Get "/workspaces/{workspaceId}" "getWorkspace" "workspaces.get";
    UPDATE_WORKSPACE: Public Patch "/workspaces/{workspaceId}" "updateWorkspace" "workspaces.update";
    DELETE_WORKSPACE: Public Delete "/workspaces/{workspaceId}" "deleteWorkspace" "workspaces.delete";
    CREATE_OR_UPDATE_WORKSPACE_OAUTH_CREDENTIALS: Public Put "/workspaces/{workspaceId}/oauthCredentials" "createOrUpdateWorkspaceOAuthCredentials" "workspaces.oauth_credentials.put";
    DELETE_WORKSPACE_OAUTH_CREDENTIALS: Public Delete "/workspaces/{workspaceId}/oauthCredentials/{actorType}/{name}" "deleteWorkspaceOAuthCredentials" "workspaces.oauth_credentials.delete";
    GET_PERMISSION: Public Get "/permissions/{permissionId}" "getPermission" "permissions.get";
    UPDATE_PERMISSION: Public Patch "/permissions/{permissionId}" "updatePermission" "permissions.update";
    DELETE_PERMISSION: Public Delete "/permissions/{permissionId}" "deletePermission" "permissions.delete";
    LIST_PERMISSIONS: Public Get "/permissions" "listPermissions" "permissions.list";
    CREATE_PERMISSION: Public Post "/permissions" "createPermission" "permissions.create";
    LIST_ORGANIZATIONS_FOR_USER: Public Get "/organizations" "listOrganizationsForUser" "organizations.list";
    CREATE_OR_UPDATE_ORGANIZATION_OAUTH_CREDENTIALS: Public Put "/organizations/{organizationId}/oauthCredentials" "createOrUpdateOrganizationOAuthCredentials" "organizations.oauth_credentials.put";
    DELETE_ORGANIZATION_OAUTH_CREDENTIALS: Public Delete "/organizations/{organizationId}/oauthCredentials/{actorType}/{name}" "deleteOrganizationOAuthCredentials" "organizations.oauth_credentials.delete";
    LIST_USERS_WITHIN_AN_ORGANIZATION: Public Get "/users" "listUsersWithinAnOrganization" "users.list";
    LIST_TAGS: Public Get "/tags" "listTags" "tags.list";
    CREATE_TAG: Public Post "/tags" "createTag" "tags.create";
    GET_TAG: Public Get "/tags/{tagId}" "getTag" "tags.get";
    DELETE_TAG: Public Delete "/tags/{tagId}" "deleteTag" "tags.delete";
    UPDATE_TAG: Public Patch "/tags/{tagId}" "updateTag" "tags.patch";
    LIST_GROUPS: Public Get "/groups" "listGroups" "groups.list";
    CREATE_GROUP: Public Post "/groups" "createGroup" "groups.create";
    GET_GROUP: Public Get "/groups/{groupId}" "getGroup" "groups.get";
    UPDATE_GROUP: Public Patch "/groups/{groupId}" "updateGroup" "groups.update";
    DELETE_GROUP: Public Delete "/groups/{groupId}" "deleteGroup" "groups.delete";
    LIST_GROUP_MEMBERS: Public Get "/groups/{groupId}/members" "listGroupMembers" "groups.members.list";
    ADD_GROUP_MEMBER: Public Post "/groups/{groupId}/members" "addGroupMember" "groups.members.add";
    REMOVE_GROUP_MEMBER: Public Delete "/groups/{groupId}/members/{userId}" "removeGroupMember" "groups.members.remove";
    LIST_GROUP_PERMISSIONS: Public Get "/groups/{groupId}/permissions" "listGroupPermissions" "groups.permissions.list";
    CREATE_GROUP_PERMISSION: Public Post "/groups/{groupId}/permissions" "createGroupPermission" "groups.permissions.create";
    DELETE_GROUP_PERMISSION: Public Delete "/groups/{groupId}/permissions/{permissionId}" "deleteGroupPermission" "groups.permissions.delete";
    GET_EMBEDDED_WIDGET: Public Post "/embedded/widget_token" "getEmbeddedWidget" "embedded.widget_token" idempotent;
    GENERATE_EMBEDDED_SCOPED_TOKEN: Public Post "/embedded/scoped_token" "generateEmbeddedScopedToken" "embedded.scoped_token" idempotent;
    LIST_EMBEDDED_ORGANIZATIONS_BY_USER: Public Get "/embedded/organizations" "listEmbeddedOrganizationsByUser" "embedded.organizations";

    CONFIG_CREATE_ACCESS_TOKEN: Config Post "/applications/token" "applicationTokenRequest" "config.applications.token" idempotent open;
    CONFIG_GET_SOURCE: Config Post "/sources/get" "getSource" "sources.get_read" idempotent;
    CHECK_CONNECTION_TO_SOURCE: Config Post "/sources/check_connection" "checkConnectionToSource" "sources.check_connection" idempotent;
    CHECK_CONNECTION_TO_DESTINATION: Config Post "/destinations/check_connection" "checkConnectionToDestination" "destinations.check_connection" idempotent;
    GET_JOB_INFO: Config Post "/jobs/get" "getJobInfo" "jobs.get_info" idempotent;
    GET_JOB_INFO_WITHOUT_LOGS: Config Post "/jobs/get_without_logs" "getJobInfoWithoutLogs" "jobs.get_info_without_logs" idempotent;
    CONFIG_CANCEL_JOB: Config Post "/jobs/cancel" "cancelJob" "jobs.cancel_info" idempotent;
    GET_STATE: Config Post "/state/get" "getState" "state.get" idempotent;
    CREATE_OR_UPDATE_STATE: Config Post "/state/create_or_update" "createOrUpdateState" "state.create_or_update" idempotent;
    CREATE_OR_UPDATE_STATE_SAFE: Config Post "/state/create_or_update_safe" "createOrUpdateStateSafe" "state.create_or_update_safe" idempotent;
    WEB_BACKEND_GET_CONNECTION: Config Post "/web_backend/connections/get" "webBackendGetConnection" "web_backend.connections.get" idempotent;
    WEB_BACKEND_UPDATE_CONNECTION: Config Post "/web_backend/connections/update" "webBackendUpdateConnection" "web_backend.connections.update" idempotent;
    CONFIG_GET_WORKSPACE: Config Post "/workspaces/get" "getWorkspace" "workspaces.get_read" idempotent;
    GET_ORGANIZATION_INFO: Config Post "/workspaces/get_organization_info" "getOrganizationInfo" "workspaces.get_organization_info" idempotent;
    GET_ORG_INFO: Config Post "/organizations/get_organization_info" "getOrgInfo" "organizations.get_organization_info" idempotent;
    LIST_WORKSPACES_IN_ORGANIZATION: Config Post "/workspaces/list_by_organization_id" "listWorkspacesInOrganization" "workspaces.list_by_organization_id" idempotent;
    GET_CONNECTOR_BUILDER_PROJECT_ID_FOR_DEFINITION_ID: Config Post "/connector_builder_projects/get_for_definition_id" "getConnectorBuilderProjectIdForDefinitionId" "connector_builder_projects.get_for_definition_id" idempotent;
    GET_CONNECTOR_BUILDER_PROJECT: Config Post "/connector_builder_projects/get_with_manifest" "getConnectorBuilderProject" "connector_builder_projects.get_with_manifest" idempotent;
    UPDATE_CONNECTOR_BUILDER_PROJECT_TESTING_VALUES: Config Post "/connector_builder_projects/update_testing_values" "updateConnectorBuilderProjectTestingValues" "connector_builder_projects.update_testing_values" idempotent;
    GET_USER_BY_AUTH_ID: Config Post "/users/get_by_auth_id" "getUserByAuthId" "users.get_by_auth_id" idempotent;
    UPDATE_USER: Config Post "/users/update" "updateUser" "users.update" idempotent;
    LIST_PERMISSIONS_BY_USER: Config Post "/permissions/list_by_user" "listPermissionsByUser" "permissions.list_by_user" idempotent;
    LIST_ORGANIZATIONS_BY_USER: Config Post "/organizations/list_by_user_id" "listOrganizationsByUser" "organizations.list_by_user_id" idempotent;
    CONFIG_CREATE_SOURCE: Config Post "/sources/create" "createSource" "config.sources.create";
    CONFIG_CREATE_DESTINATION: Config Post "/destinations/create" "createDestination" "config.destinations.create";
    CONFIG_GET_SOURCE_DEFINITION: Config Post "/source_definitions/get" "getSourceDefinition" "config.source_definitions.get" idempotent;
}

/// Defines [`NOT_YET`] from `METHOD "path" "operationId"` lines.
macro_rules! not_yet {
    ($( $method:ident $path:literal $id:literal; )*) => {
        /// The Public API operations of the specification that this crate does not describe yet
        /// (no model, no constructor, no mock handler): the registry and this list together
        /// cover the whole specification, which a test checks. The mock server answers them
        /// with 501 and a problem body that names the operation.
        pub const NOT_YET: &[OperationDef] = &[
            $( OperationDef::new(Api::Public, Method::$method, $path, $id, $id), )*
        ];
    };
}

not_yet! {}

/// The registry entry of an API with this operation ID.
#[must_use]
pub fn find(api: Api, operation_id: &str) -> Option<&'static OperationDef> {
    REGISTRY
        .iter()
        .copied()
        .find(|def| def.api == api && def.operation_id == operation_id)
}

/// The entries of one API.
pub fn of_api(api: Api) -> impl Iterator<Item = &'static OperationDef> {
    REGISTRY.iter().copied().filter(move |def| def.api == api)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_and_routes_are_unique_within_an_api() {
        let mut ids = std::collections::HashSet::new();
        let mut routes = std::collections::HashSet::new();
        for def in REGISTRY.iter().copied().chain(NOT_YET.iter()) {
            assert!(
                ids.insert((def.api, def.operation_id)),
                "{} is listed twice",
                def.operation_id
            );
            assert!(
                routes.insert((def.api, def.method, def.path)),
                "{} {} is listed twice",
                def.method,
                def.path
            );
        }
    }

    #[test]
    fn path_parameters_are_read_in_order() {
        assert_eq!(
            GET_DECLARATIVE_SOURCE_DEFINITION.path_params(),
            ["workspaceId", "definitionId"]
        );
        assert!(LIST_SOURCES.path_params().is_empty());
    }

    #[test]
    fn idempotency_follows_the_method_unless_marked() {
        assert!(GET_SOURCE.idempotent && !CREATE_SOURCE.idempotent);
        assert!(CREATE_ACCESS_TOKEN.idempotent && !CREATE_ACCESS_TOKEN.authenticated);
        assert!(!UPDATE_DECLARATIVE_SOURCE_DEFINITION.idempotent);
        assert!(of_api(Api::Config).all(|def| def.method == Method::Post));
        // Every Config API call is a read or a write of a whole value, but the creates.
        assert!(of_api(Api::Config).all(|def| def.idempotent != def.path.ends_with("/create")));
        assert!(GET_DOCUMENTATION.idempotent && !GET_DOCUMENTATION.authenticated);
        assert!(OAUTH_CALLBACK.idempotent && !OAUTH_CALLBACK.authenticated);
    }
}
