//! The router: a route for every entry of the models' registry of operations (under each
//! prefix of its API), a 501 for each operation the registry counts as not yet described, a
//! 404 for everything else, and 405 with `Allow` from the router. Adding an operation is one
//! registry entry (in `airbyte-models`) and one line of [`handler`] here; the tests walk the
//! registry and fail on a missing route.

use airbyte_models::ops::registry::{NOT_YET, OperationDef, REGISTRY};
use airbyte_models::ops::{Api, Method};
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path, Request};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use http::StatusCode;
use http::request::Parts;
use serde_json::json;

use crate::answer::Resp;
use crate::handlers::definitions::Kind;
use crate::handlers::{
    Ctx, access, actors, applications, catalog, config, connections, definitions, drafts, groups,
    jobs, misc, oauth, platform, token,
};
use crate::ids::canonical;
use crate::request::prefixes;
use crate::state::App;
use crate::world::ActorKind;

/// Marks an answer as served by the emulation's route for an operation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Routed(pub(crate) &'static OperationDef);

fn filter(method: Method) -> MethodFilter {
    match method {
        Method::Get => MethodFilter::GET,
        Method::Post => MethodFilter::POST,
        Method::Put => MethodFilter::PUT,
        Method::Patch => MethodFilter::PATCH,
        _ => MethodFilter::DELETE,
    }
}

/// A path parameter, in stored form (UUIDs in lower case, as the server reads them).
pub(crate) struct Id(String);

/// Two path parameters, in stored form.
pub(crate) struct Ids(String, String);

/// Three path parameters (an override's owner, actor type and connector), the owner in
/// stored form.
pub(crate) struct Ids3(String, String, String);

fn stored(id: String) -> String {
    canonical(&id).into_owned()
}

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = PathRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(id) = Path::<String>::from_request_parts(parts, state).await?;
        Ok(Self(stored(id)))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ids {
    type Rejection = PathRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path((a, b)) = Path::<(String, String)>::from_request_parts(parts, state).await?;
        Ok(Self(stored(a), stored(b)))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ids3 {
    type Rejection = PathRejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path((a, b, c)) =
            Path::<(String, String, String)>::from_request_parts(parts, state).await?;
        Ok(Self(stored(a), b, c))
    }
}

const SOURCE: ActorKind = ActorKind::Source;
const DESTINATION: ActorKind = ActorKind::Destination;
const DECLARATIVE: Kind = Kind::Declarative;
const DOCKER_SOURCE: Kind = Kind::Docker(ActorKind::Source);
const DOCKER_DESTINATION: Kind = Kind::Docker(ActorKind::Destination);

/// The handler of a registry entry, by API and operation ID; `None` when the mock has none
/// (which the registry test reports).
#[allow(clippy::too_many_lines)]
fn handler(def: &OperationDef) -> Option<MethodRouter<App>> {
    let m = filter(def.method);
    Some(match (def.api, def.operation_id) {
        (Api::Public, "getDocumentation") => on(m, || async { oauth::documentation() }),
        (Api::Public, "getHealthCheck") => on(m, || async { token::health() }),
        (Api::Public, "listApplications") => on(m, |c: Ctx| async move { applications::list(&c) }),
        (Api::Public, "createApplication") => {
            on(m, |c: Ctx| async move { applications::create(&c) })
        }
        (Api::Public, "getApplication") => {
            on(
                m,
                |Id(id): Id, c: Ctx| async move { applications::get(&c, &id) },
            )
        }
        (Api::Public, "deleteApplication") => on(m, |Id(id): Id, c: Ctx| async move {
            applications::delete(&c, &id)
        }),
        (Api::Public, "listRegions") => on(m, |c: Ctx| async move { platform::list_regions(&c) }),
        (Api::Public, "createRegion") => on(m, |c: Ctx| async move { platform::create_region(&c) }),
        (Api::Public, "getRegion") => on(m, |Id(id): Id, c: Ctx| async move {
            platform::get_region(&c, &id)
        }),
        (Api::Public, "updateRegion") => on(m, |Id(id): Id, c: Ctx| async move {
            platform::update_region(&c, &id)
        }),
        (Api::Public, "deleteRegion") => on(m, |Id(id): Id, c: Ctx| async move {
            platform::delete_region(&c, &id)
        }),
        (Api::Public, "listDataplanes") => {
            on(m, |c: Ctx| async move { platform::list_dataplanes(&c) })
        }
        (Api::Public, "createDataplane") => {
            on(m, |c: Ctx| async move { platform::create_dataplane(&c) })
        }
        (Api::Public, "getDataplane") => on(m, |Id(id): Id, c: Ctx| async move {
            platform::get_dataplane(&c, &id)
        }),
        (Api::Public, "updateDataplane") => on(m, |Id(id): Id, c: Ctx| async move {
            platform::update_dataplane(&c, &id)
        }),
        (Api::Public, "deleteDataplane") => on(m, |Id(id): Id, c: Ctx| async move {
            platform::delete_dataplane(&c, &id)
        }),
        (Api::Public, "oauthCallback") => on(m, |c: Ctx| async move { oauth::callback(&c) }),
        (Api::Public, "initiateOAuth") => on(m, |c: Ctx| async move { oauth::initiate(&c) }),
        (Api::Public, "createOrUpdateWorkspaceOAuthCredentials") => {
            on(m, |Id(w): Id, c: Ctx| async move {
                oauth::put_workspace_override(&c, &w)
            })
        }
        (Api::Public, "deleteWorkspaceOAuthCredentials") => {
            on(m, |Ids3(w, kind, name): Ids3, c: Ctx| async move {
                oauth::delete_workspace_override(&c, &w, &kind, &name)
            })
        }
        (Api::Public, "createOrUpdateOrganizationOAuthCredentials") => {
            on(m, |Id(o): Id, c: Ctx| async move {
                oauth::put_organization_override(&c, &o)
            })
        }
        (Api::Public, "deleteOrganizationOAuthCredentials") => {
            on(m, |Ids3(o, kind, name): Ids3, c: Ctx| async move {
                oauth::delete_organization_override(&c, &o, &kind, &name)
            })
        }
        (Api::Public, "getPermission") => on(m, |Id(id): Id, c: Ctx| async move {
            access::get_permission(&c, &id)
        }),
        (Api::Public, "updatePermission") => on(m, |Id(id): Id, c: Ctx| async move {
            access::update_permission(&c, &id)
        }),
        (Api::Public, "deletePermission") => on(m, |Id(id): Id, c: Ctx| async move {
            access::delete_permission(&c, &id)
        }),
        (Api::Public, "listPermissions") => {
            on(m, |c: Ctx| async move { access::list_permissions(&c) })
        }
        (Api::Public, "createPermission") => {
            on(m, |c: Ctx| async move { access::create_permission(&c) })
        }
        (Api::Public, "listUsersWithinAnOrganization") => {
            on(m, |c: Ctx| async move { access::list_users(&c) })
        }
        (Api::Public, "listGroups") => on(m, |c: Ctx| async move { groups::list(&c) }),
        (Api::Public, "createGroup") => on(m, |c: Ctx| async move { groups::create(&c) }),
        (Api::Public, "getGroup") => {
            on(m, |Id(id): Id, c: Ctx| async move { groups::get(&c, &id) })
        }
        (Api::Public, "updateGroup") => {
            on(
                m,
                |Id(id): Id, c: Ctx| async move { groups::update(&c, &id) },
            )
        }
        (Api::Public, "deleteGroup") => {
            on(
                m,
                |Id(id): Id, c: Ctx| async move { groups::delete(&c, &id) },
            )
        }
        (Api::Public, "listGroupMembers") => {
            on(
                m,
                |Id(id): Id, c: Ctx| async move { groups::members(&c, &id) },
            )
        }
        (Api::Public, "addGroupMember") => on(m, |Id(id): Id, c: Ctx| async move {
            groups::add_member(&c, &id)
        }),
        (Api::Public, "removeGroupMember") => on(m, |Ids(id, user): Ids, c: Ctx| async move {
            groups::remove_member(&c, &id, &user)
        }),
        (Api::Public, "listGroupPermissions") => on(m, |Id(id): Id, c: Ctx| async move {
            groups::permissions(&c, &id)
        }),
        (Api::Public, "createGroupPermission") => on(m, |Id(id): Id, c: Ctx| async move {
            groups::create_permission(&c, &id)
        }),
        (Api::Public, "deleteGroupPermission") => {
            on(m, |Ids(id, permission): Ids, c: Ctx| async move {
                groups::delete_permission(&c, &id, &permission)
            })
        }
        (Api::Public, "getEmbeddedWidget") => on(m, |c: Ctx| async move {
            applications::embedded_widget_token(&c)
        }),
        (Api::Public, "generateEmbeddedScopedToken") => on(m, |c: Ctx| async move {
            applications::embedded_scoped_token(&c)
        }),
        (Api::Public, "listEmbeddedOrganizationsByUser") => {
            on(
                m,
                |c: Ctx| async move { access::embedded_organizations(&c) },
            )
        }
        (Api::Public, "createAccessToken") => on(m, |c: Ctx| async move { token::public(&c) }),
        (Api::Public, "listJobs") => on(m, |c: Ctx| async move { jobs::list(&c) }),
        (Api::Public, "createJob") => on(m, |c: Ctx| async move { jobs::create(&c) }),
        (Api::Public, "getJob") => on(m, |Id(id): Id, c: Ctx| async move { jobs::get(&c, &id) }),
        (Api::Public, "cancelJob") => {
            on(m, |Id(id): Id, c: Ctx| async move { jobs::cancel(&c, &id) })
        }
        (Api::Public, "listConnectorDefinitions") => {
            on(m, |c: Ctx| async move { definitions::list_catalog(&c) })
        }
        (Api::Public, "listDeclarativeSourceDefinitions") => {
            on(m, |Id(w): Id, c: Ctx| async move {
                definitions::list(&c, &w, DECLARATIVE)
            })
        }
        (Api::Public, "createDeclarativeSourceDefinition") => {
            on(m, |Id(w): Id, c: Ctx| async move {
                definitions::create(&c, &w, DECLARATIVE)
            })
        }
        (Api::Public, "getDeclarativeSourceDefinition") => {
            on(m, |Ids(w, id): Ids, c: Ctx| async move {
                definitions::get(&c, &w, DECLARATIVE, &id)
            })
        }
        (Api::Public, "updateDeclarativeSourceDefinition") => {
            on(m, |Ids(w, id): Ids, c: Ctx| async move {
                definitions::update(&c, &w, DECLARATIVE, &id)
            })
        }
        (Api::Public, "deleteDeclarativeSourceDefinition") => {
            on(m, |Ids(w, id): Ids, c: Ctx| async move {
                definitions::delete(&c, &w, DECLARATIVE, &id)
            })
        }
        (Api::Public, "listSourceDefinitions") => on(m, |Id(w): Id, c: Ctx| async move {
            definitions::list(&c, &w, DOCKER_SOURCE)
        }),
        (Api::Public, "createSourceDefinition") => on(m, |Id(w): Id, c: Ctx| async move {
            definitions::create(&c, &w, DOCKER_SOURCE)
        }),
        (Api::Public, "getSourceDefinition") => on(m, |Ids(w, id): Ids, c: Ctx| async move {
            definitions::get(&c, &w, DOCKER_SOURCE, &id)
        }),
        (Api::Public, "updateSourceDefinition") => on(m, |Ids(w, id): Ids, c: Ctx| async move {
            definitions::update(&c, &w, DOCKER_SOURCE, &id)
        }),
        (Api::Public, "deleteSourceDefinition") => on(m, |Ids(w, id): Ids, c: Ctx| async move {
            definitions::delete(&c, &w, DOCKER_SOURCE, &id)
        }),
        (Api::Public, "listDestinationDefinitions") => on(m, |Id(w): Id, c: Ctx| async move {
            definitions::list(&c, &w, DOCKER_DESTINATION)
        }),
        (Api::Public, "createDestinationDefinition") => on(m, |Id(w): Id, c: Ctx| async move {
            definitions::create(&c, &w, DOCKER_DESTINATION)
        }),
        (Api::Public, "getDestinationDefinition") => on(m, |Ids(w, id): Ids, c: Ctx| async move {
            definitions::get(&c, &w, DOCKER_DESTINATION, &id)
        }),
        (Api::Public, "updateDestinationDefinition") => {
            on(m, |Ids(w, id): Ids, c: Ctx| async move {
                definitions::update(&c, &w, DOCKER_DESTINATION, &id)
            })
        }
        (Api::Public, "deleteDestinationDefinition") => {
            on(m, |Ids(w, id): Ids, c: Ctx| async move {
                definitions::delete(&c, &w, DOCKER_DESTINATION, &id)
            })
        }
        (Api::Public, "listSources") => on(m, |c: Ctx| async move { actors::list(&c, SOURCE) }),
        (Api::Public, "createSource") => on(m, |c: Ctx| async move { actors::create(&c, SOURCE) }),
        (Api::Public, "getSource") => on(m, |Id(id): Id, c: Ctx| async move {
            actors::get(&c, SOURCE, &id)
        }),
        (Api::Public, "patchSource") => on(m, |Id(id): Id, c: Ctx| async move {
            actors::patch(&c, SOURCE, &id)
        }),
        (Api::Public, "putSource") => on(m, |Id(id): Id, c: Ctx| async move {
            actors::put(&c, SOURCE, &id)
        }),
        (Api::Public, "deleteSource") => on(m, |Id(id): Id, c: Ctx| async move {
            actors::delete(&c, SOURCE, &id)
        }),
        (Api::Public, "listDestinations") => {
            on(m, |c: Ctx| async move { actors::list(&c, DESTINATION) })
        }
        (Api::Public, "createDestination") => {
            on(m, |c: Ctx| async move { actors::create(&c, DESTINATION) })
        }
        (Api::Public, "getDestination") => on(m, |Id(id): Id, c: Ctx| async move {
            actors::get(&c, DESTINATION, &id)
        }),
        (Api::Public, "patchDestination") => on(m, |Id(id): Id, c: Ctx| async move {
            actors::patch(&c, DESTINATION, &id)
        }),
        (Api::Public, "putDestination") => on(m, |Id(id): Id, c: Ctx| async move {
            actors::put(&c, DESTINATION, &id)
        }),
        (Api::Public, "deleteDestination") => on(m, |Id(id): Id, c: Ctx| async move {
            actors::delete(&c, DESTINATION, &id)
        }),
        (Api::Public, "createConnection") => on(m, |c: Ctx| async move { connections::create(&c) }),
        (Api::Public, "listConnections") => on(m, |c: Ctx| async move { connections::list(&c) }),
        (Api::Public, "getConnection") => {
            on(
                m,
                |Id(id): Id, c: Ctx| async move { connections::get(&c, &id) },
            )
        }
        (Api::Public, "patchConnection") => on(m, |Id(id): Id, c: Ctx| async move {
            connections::patch(&c, &id)
        }),
        (Api::Public, "deleteConnection") => on(m, |Id(id): Id, c: Ctx| async move {
            connections::delete(&c, &id)
        }),
        (Api::Public, "getStreamProperties") => {
            on(m, |c: Ctx| async move { catalog::stream_properties(&c) })
        }
        (Api::Public, "listWorkspaces") => on(m, |c: Ctx| async move { misc::list_workspaces(&c) }),
        (Api::Public, "createWorkspace") => {
            on(m, |c: Ctx| async move { misc::create_workspace(&c) })
        }
        (Api::Public, "getWorkspace") => on(m, |Id(id): Id, c: Ctx| async move {
            misc::get_workspace(&c, &id)
        }),
        (Api::Public, "updateWorkspace") => on(m, |Id(id): Id, c: Ctx| async move {
            misc::update_workspace(&c, &id)
        }),
        (Api::Public, "deleteWorkspace") => on(m, |Id(id): Id, c: Ctx| async move {
            misc::delete_workspace(&c, &id)
        }),
        (Api::Public, "listOrganizationsForUser") => {
            on(m, |c: Ctx| async move { misc::list_organizations(&c) })
        }
        (Api::Public, "listTags") => on(m, |c: Ctx| async move { misc::list_tags(&c) }),
        (Api::Public, "createTag") => on(m, |c: Ctx| async move { misc::create_tag(&c) }),
        (Api::Public, "getTag") => on(
            m,
            |Id(id): Id, c: Ctx| async move { misc::get_tag(&c, &id) },
        ),
        (Api::Public, "deleteTag") => {
            on(
                m,
                |Id(id): Id, c: Ctx| async move { misc::delete_tag(&c, &id) },
            )
        }
        (Api::Public, "updateTag") => {
            on(
                m,
                |Id(id): Id, c: Ctx| async move { misc::patch_tag(&c, &id) },
            )
        }
        (Api::Config, "applicationTokenRequest") => {
            on(m, |c: Ctx| async move { token::config(&c) })
        }
        (Api::Config, "getSource") => on(m, |c: Ctx| async move { config::source_read(&c) }),
        (Api::Config, "checkConnectionToSource") => {
            on(m, |c: Ctx| async move { config::check(&c, SOURCE) })
        }
        (Api::Config, "checkConnectionToDestination") => {
            on(m, |c: Ctx| async move { config::check(&c, DESTINATION) })
        }
        (Api::Config, "getJobInfo") => on(m, |c: Ctx| async move { config::job_info(&c, true) }),
        (Api::Config, "getJobInfoWithoutLogs") => {
            on(m, |c: Ctx| async move { config::job_info(&c, false) })
        }
        (Api::Config, "cancelJob") => on(m, |c: Ctx| async move { config::cancel_job(&c) }),
        (Api::Config, "getState") => on(m, |c: Ctx| async move { config::get_state(&c) }),
        (Api::Config, "createOrUpdateState") => {
            on(m, |c: Ctx| async move { config::set_state(&c, false) })
        }
        (Api::Config, "createOrUpdateStateSafe") => {
            on(m, |c: Ctx| async move { config::set_state(&c, true) })
        }
        (Api::Config, "webBackendGetConnection") => {
            on(m, |c: Ctx| async move { config::web_backend_get(&c) })
        }
        (Api::Config, "webBackendUpdateConnection") => {
            on(m, |c: Ctx| async move { config::web_backend_update(&c) })
        }
        (Api::Config, "getWorkspace") => on(m, |c: Ctx| async move { config::workspace_read(&c) }),
        (Api::Config, "getOrganizationInfo") => {
            on(
                m,
                |c: Ctx| async move { config::organization_of_workspace(&c) },
            )
        }
        (Api::Config, "getOrgInfo") => on(m, |c: Ctx| async move { config::organization_info(&c) }),
        (Api::Config, "listWorkspacesInOrganization") => {
            on(
                m,
                |c: Ctx| async move { config::workspaces_of_organization(&c) },
            )
        }
        (Api::Config, "getConnectorBuilderProjectIdForDefinitionId") => on(
            m,
            |c: Ctx| async move { config::builder_for_definition(&c) },
        ),
        (Api::Config, "getConnectorBuilderProject") => {
            on(m, |c: Ctx| async move { config::builder_with_manifest(&c) })
        }
        (Api::Config, "updateConnectorBuilderProjectTestingValues") => {
            on(m, |c: Ctx| async move { config::update_testing_values(&c) })
        }
        (Api::Config, "getUserByAuthId") => {
            on(m, |c: Ctx| async move { access::user_by_auth_id(&c) })
        }
        (Api::Config, "updateUser") => on(m, |c: Ctx| async move { access::update_user(&c) }),
        (Api::Config, "listPermissionsByUser") => {
            on(m, |c: Ctx| async move { access::permissions_by_user(&c) })
        }
        (Api::Config, "listOrganizationsByUser") => {
            on(m, |c: Ctx| async move { access::organizations_by_user(&c) })
        }
        (Api::Config, "createSource") => on(m, |c: Ctx| async move { drafts::create(&c, SOURCE) }),
        (Api::Config, "createDestination") => {
            on(m, |c: Ctx| async move { drafts::create(&c, DESTINATION) })
        }
        (Api::Config, "getSourceDefinition") => {
            on(m, |c: Ctx| async move { drafts::source_definition(&c) })
        }
        _ => return None,
    })
}

/// 501 for an operation the mock does not emulate (yet), naming it.
fn not_implemented(def: &'static OperationDef) -> MethodRouter<App> {
    on(filter(def.method), move || async move {
        Resp::problem(
            StatusCode::NOT_IMPLEMENTED,
            "not-implemented",
            Some("error:mock/not-implemented"),
            &format!(
                "The mock server does not emulate {} ({} {}) yet.",
                def.operation_id, def.method, def.path
            ),
            json!({"operationId": def.operation_id}),
        )
    })
}

/// 404 for a path no route serves.
pub(crate) async fn unknown_route(request: Request) -> Resp {
    Resp::problem(
        StatusCode::NOT_FOUND,
        "resource-not-found",
        Some("resource-not-found"),
        "The requested resource could not be found.",
        json!({"message": format!("no route for {} {}", request.method(), request.uri().path())}),
    )
}

/// Answers the router produces itself (405, a path parameter that is not UTF-8) get the API's
/// `{"errorId"}` body; the `Allow` header of a 405 stays.
pub(crate) fn api_error_bodies(response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get(http::header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"application/json"));
    if !status.is_client_error() || is_json {
        return response;
    }
    let (mut parts, _) = response.into_parts();
    let shaped = Resp::error_id(status).into_response();
    let (shaped_parts, body) = shaped.into_parts();
    parts.headers.remove(http::header::CONTENT_LENGTH);
    for (name, value) in &shaped_parts.headers {
        parts.headers.insert(name, value.clone());
    }
    Response::from_parts(parts, body)
}

/// The router of the emulated APIs.
pub(crate) fn router(app: App) -> Router {
    let mut router = Router::new();
    for def in REGISTRY.iter().copied() {
        let method_router = handler(def).unwrap_or_else(|| not_implemented(def));
        let method_router = method_router.route_layer(axum::middleware::map_response(
            move |mut response: Response| async move {
                response.extensions_mut().insert(Routed(def));
                response
            },
        ));
        for prefix in prefixes(def.api) {
            router = router.route(&format!("{prefix}{}", def.path), method_router.clone());
            if def.path == "/" {
                // The API root answers without its trailing slash too.
                router = router.route(prefix, method_router.clone());
            }
        }
    }
    for def in NOT_YET {
        for prefix in prefixes(def.api) {
            router = router.route(&format!("{prefix}{}", def.path), not_implemented(def));
        }
    }
    router.fallback(unknown_route).with_state(app)
}
