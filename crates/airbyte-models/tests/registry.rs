//! The registry of operations against the official specifications and the operation
//! constructors: every entry exists in its specification with the same method and operation ID,
//! every Public API operation of the specification is in the registry or in the counted
//! `NOT_YET` list, and every entry has a constructor that builds it with the same method and
//! path.

use std::collections::{BTreeMap, BTreeSet};

use airbyte_models::ops::registry::{NOT_YET, OperationDef, REGISTRY};
use airbyte_models::ops::{self, Api, Method, Operation};
use airbyte_models::*;
use airbyte_spec_testkit::{Spec, SpecFile};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// `(method, path) -> operationId` of a specification; Config API paths lose their `/v1`.
fn spec_operations(spec: &Spec, strip: &str) -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    let paths = spec.root()["paths"].as_object().expect("paths");
    for (path, item) in paths {
        let Some(path) = path.strip_prefix(strip) else {
            continue;
        };
        for (method, operation) in item.as_object().into_iter().flatten() {
            if let Some(id) = operation.get("operationId").and_then(Value::as_str) {
                out.insert(
                    (method.to_ascii_uppercase(), path.to_owned()),
                    id.to_owned(),
                );
            }
        }
    }
    out
}

fn key(def: &OperationDef) -> (String, String) {
    (def.method.as_str().to_owned(), def.path.to_owned())
}

#[test]
fn every_registry_entry_is_in_its_specification_with_the_same_method_and_id() {
    let (Some(public), Some(config)) = (
        Spec::load(SpecFile::PublicApi),
        Spec::load(SpecFile::ConfigApi),
    ) else {
        return;
    };
    let public_ops = spec_operations(&public, "");
    let config_ops = spec_operations(&config, "/v1");
    let mut failures = Vec::new();
    for def in REGISTRY {
        let ops = match def.api {
            Api::Public => &public_ops,
            _ => &config_ops,
        };
        match ops.get(&key(def)) {
            Some(id) if id == def.operation_id => {}
            Some(id) => failures.push(format!(
                "{} {}: the spec's operationId is {id}, the registry's {}",
                def.method, def.path, def.operation_id
            )),
            None => failures.push(format!(
                "{} {} ({:?} API) is not in the specification",
                def.method, def.path, def.api
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_public_operation_of_the_specification_is_registered_or_counted_as_not_yet() {
    let Some(public) = Spec::load(SpecFile::PublicApi) else {
        return;
    };
    let spec_ops = spec_operations(&public, "");
    let registered: BTreeSet<(String, String)> =
        ops::registry::of_api(Api::Public).map(key).collect();
    let not_yet: BTreeSet<(String, String)> = NOT_YET.iter().map(key).collect();
    let mut failures = Vec::new();
    for ((method, path), id) in &spec_ops {
        let pair = (method.clone(), path.clone());
        match (registered.contains(&pair), not_yet.contains(&pair)) {
            (true, true) => {
                failures.push(format!("{method} {path} is both registered and not yet"))
            }
            (false, false) => failures.push(format!(
                "{method} {path} ({id}) is neither in the registry nor in NOT_YET"
            )),
            _ => {}
        }
    }
    for def in NOT_YET {
        match spec_ops.get(&key(def)) {
            Some(id) if id == def.operation_id => {}
            _ => failures.push(format!(
                "NOT_YET lists {} {} ({}), which the specification does not have",
                def.method, def.path, def.operation_id
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(registered.len() + not_yet.len(), spec_ops.len());
    // The whole Public API is described: nothing is left for later.
    assert_eq!((registered.len(), spec_ops.len()), (92, 92));
    assert!(NOT_YET.is_empty(), "{NOT_YET:?}");
    eprintln!(
        "Public API: {} of {} operations registered, {} not yet",
        registered.len(),
        spec_ops.len(),
        not_yet.len()
    );
}

fn body<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a valid request body")
}

/// What the test needs of an operation, whatever its answer type.
struct Built {
    def: &'static OperationDef,
    method: Method,
    template: &'static str,
    path: String,
}

fn built<R>(op: Operation<R>) -> Built {
    Built {
        def: op.def(),
        method: op.method(),
        template: op.path_template(),
        path: op.path(),
    }
}

/// One operation from every constructor of the crate.
fn every_constructor() -> Vec<Built> {
    use ops::public::*;
    let ws: WorkspaceId = "w-1".parse().unwrap();
    let source: SourceId = "s-1".parse().unwrap();
    let destination: DestinationId = "d-1".parse().unwrap();
    let connection: ConnectionId = "c-1".parse().unwrap();
    let tag: TagId = "t-1".parse().unwrap();
    let definition: DefinitionId = "def-1".parse().unwrap();
    let organization: OrganizationId = "o-1".parse().unwrap();
    let user: UserId = "u-1".parse().unwrap();
    let job = JobId::new(7).unwrap();
    let token = AccessTokenRequest::client_credentials("id", "secret");
    let list = ops::ListParams::default();
    let config = ConnectorConfig::empty_object();
    let docker = || -> CreateDefinitionRequest {
        body(json!({"name": "n", "dockerRepository": "r", "dockerImageTag": "1"}))
    };
    let docker_update =
        || -> UpdateDefinitionRequest { body(json!({"name": "n", "dockerImageTag": "2"})) };
    let state: ConnectionStateCreateOrUpdate = body(json!({
        "connectionId": "c-1",
        "connectionState": {"stateType": "not_set", "connectionId": "c-1"},
    }));
    vec![
        built(auth::health()),
        built(auth::token(&token)),
        built(jobs::list(&ops::JobListParams::default())),
        built(jobs::create(&body(
            json!({"connectionId": "c-1", "jobType": "sync"}),
        ))),
        built(jobs::get(job)),
        built(jobs::cancel(job)),
        built(connector_definitions::list(
            &ConnectorType::Source,
            Some(&ws),
        )),
        built(declarative_source_definitions::list(&ws)),
        built(declarative_source_definitions::create(
            &ws,
            &body(json!({"name": "n", "manifest": {}})),
        )),
        built(declarative_source_definitions::get(&ws, &definition)),
        built(declarative_source_definitions::update(
            &ws,
            &definition,
            &body(json!({"manifest": {}})),
        )),
        built(declarative_source_definitions::delete(&ws, &definition)),
        built(source_definitions::list(&ws)),
        built(source_definitions::create(&ws, &docker())),
        built(source_definitions::get(&ws, &definition)),
        built(source_definitions::update(
            &ws,
            &definition,
            &docker_update(),
        )),
        built(source_definitions::delete(&ws, &definition)),
        built(destination_definitions::list(&ws)),
        built(destination_definitions::create(&ws, &docker())),
        built(destination_definitions::get(&ws, &definition)),
        built(destination_definitions::update(
            &ws,
            &definition,
            &docker_update(),
        )),
        built(destination_definitions::delete(&ws, &definition)),
        built(sources::list(&list)),
        built(sources::create(&SourceCreateRequest::new(
            "n",
            ws.clone(),
            config.clone(),
        ))),
        built(sources::get(&source)),
        built(sources::patch(&source, &SourcePatchRequest::default())),
        built(sources::put(
            &source,
            &body(json!({"name": "n", "configuration": {}})),
        )),
        built(sources::delete(&source)),
        built(destinations::list(&list)),
        built(destinations::create(&body(
            json!({"name": "n", "workspaceId": "w-1", "configuration": {}}),
        ))),
        built(destinations::get(&destination)),
        built(destinations::patch(&destination, &body(json!({})))),
        built(destinations::put(
            &destination,
            &body(json!({"name": "n", "configuration": {}})),
        )),
        built(destinations::delete(&destination)),
        built(connections::list(&ops::ConnectionListParams::default())),
        built(connections::create(&ConnectionCreateRequest::new(
            source.clone(),
            destination.clone(),
        ))),
        built(connections::get(&connection)),
        built(connections::patch(&connection, &body(json!({})))),
        built(connections::delete(&connection)),
        built(streams::get(&source, Some(&destination), false)),
        built(workspaces::list(&list)),
        built(workspaces::create(&body(json!({"name": "n"})))),
        built(workspaces::get(&ws)),
        built(workspaces::update(&ws, &body(json!({"name": "n"})))),
        built(workspaces::delete(&ws)),
        built(organizations::list()),
        built(tags::list(std::slice::from_ref(&ws))),
        built(tags::create(&body(
            json!({"name": "n", "color": "FF0000", "workspaceId": "w-1"}),
        ))),
        built(tags::get(&tag)),
        built(tags::delete(&tag)),
        built(tags::patch(
            &tag,
            &body(json!({"name": "n", "color": "FF0000"})),
        )),
        built(ops::config::token(&token)),
        built(ops::config::get_source(&source)),
        built(ops::config::check_source(&source)),
        built(ops::config::check_destination(&destination)),
        built(ops::config::get_job(job)),
        built(ops::config::get_job_without_logs(job)),
        built(ops::config::cancel_job(job)),
        built(ops::config::get_state(&connection)),
        built(ops::config::create_or_update_state(&state)),
        built(ops::config::create_or_update_state_safe(&state)),
        built(ops::config::get_web_backend_connection(&body(
            json!({"connectionId": "c-1"}),
        ))),
        built(ops::config::update_web_backend_connection(&body(
            json!({"connectionId": "c-1"}),
        ))),
        built(ops::config::get_workspace(&ws)),
        built(ops::config::workspace_organization_info(&ws)),
        built(ops::config::organization_info(&organization)),
        built(ops::config::list_workspaces_in_organization(&body(
            json!({"organizationId": "o-1"}),
        ))),
        built(ops::config::builder_project_for_definition(&body(
            json!({"actorDefinitionId": "def-1", "workspaceId": "w-1"}),
        ))),
        built(ops::config::builder_project_with_manifest(&body(
            json!({"workspaceId": "w-1", "builderProjectId": "b-1"}),
        ))),
        built(ops::config::update_testing_values(&body(
            json!({"workspaceId": "w-1", "builderProjectId": "b-1", "spec": {}, "testingValues": {}}),
        ))),
        built(ops::config::get_user_by_auth_id(&body(
            json!({"authUserId": "auth|1"}),
        ))),
        built(ops::config::update_user(&UserUpdate::default_workspace(
            user.clone(),
            ws.clone(),
        ))),
        built(ops::config::list_permissions_by_user(&user)),
        built(ops::config::list_organizations_by_user(&body(
            json!({"userId": "u-1"}),
        ))),
        built(ops::config::create_source(&body(json!({
            "workspaceId": "w-1", "name": "n", "sourceDefinitionId": "def-1",
            "connectionConfiguration": {}, "createAsDraft": true,
        })))),
        built(ops::config::create_destination(&body(json!({
            "workspaceId": "w-1", "name": "n", "destinationDefinitionId": "def-1",
            "connectionConfiguration": {},
        })))),
        built(ops::config::get_source_definition(&definition)),
    ]
}

/// One operation from every constructor of the surface added with the whole Public API.
fn every_admin_constructor() -> Vec<Built> {
    use ops::public::*;
    let ws: WorkspaceId = "w-1".parse().unwrap();
    let organization: OrganizationId = "o-1".parse().unwrap();
    let user: UserId = "u-1".parse().unwrap();
    let application: ApplicationId = "a-1".parse().unwrap();
    let permission: PermissionId = "p-1".parse().unwrap();
    let group: GroupId = "g-1".parse().unwrap();
    let region: RegionId = "r-1".parse().unwrap();
    let dataplane: DataplaneId = "dp-1".parse().unwrap();
    let page = ops::PageParams::default();
    let overrides: OAuthCredentialsRequest =
        body(json!({"actorType": "source", "name": "google-ads", "configuration": {}}));
    vec![
        built(auth::documentation()),
        built(applications::list()),
        built(applications::create(&ApplicationCreate {
            name: "n".into(),
        })),
        built(applications::get(&application)),
        built(applications::delete(&application)),
        built(regions::list(&organization)),
        built(regions::create(&body(
            json!({"name": "n", "organizationId": "o-1"}),
        ))),
        built(regions::get(&region)),
        built(regions::update(&region, &RegionPatchRequest::default())),
        built(regions::delete(&region)),
        built(dataplanes::list(std::slice::from_ref(&region))),
        built(dataplanes::create(&body(
            json!({"name": "n", "regionId": "r-1"}),
        ))),
        built(dataplanes::get(&dataplane)),
        built(dataplanes::update(
            &dataplane,
            &DataplanePatchRequest::default(),
        )),
        built(dataplanes::delete(&dataplane)),
        built(oauth::callback("s", "c")),
        built(oauth::initiate(&InitiateOauthRequest::new(
            "google-ads",
            "https://example.com/done",
            ws.clone(),
        ))),
        built(oauth::set_workspace_credentials(&ws, &overrides)),
        built(oauth::delete_workspace_credentials(
            &ws,
            &ActorType::Source,
            "google-ads",
        )),
        built(oauth::set_organization_credentials(
            &organization,
            &overrides,
        )),
        built(oauth::delete_organization_credentials(
            &organization,
            &ActorType::Source,
            "google-ads",
        )),
        built(permissions::get(&permission)),
        built(permissions::update(
            &permission,
            &PermissionUpdateRequest {
                permission_type: PermissionType::WorkspaceReader,
            },
        )),
        built(permissions::delete(&permission)),
        built(permissions::list(&ops::PermissionListParams::default())),
        built(permissions::create(&PermissionCreateRequest::on_workspace(
            user.clone(),
            PermissionType::WorkspaceReader,
            ws.clone(),
        ))),
        built(users::list(&ops::UserListParams::in_organization(
            organization.clone(),
        ))),
        built(groups::list(&organization, page)),
        built(groups::create(&body(
            json!({"name": "n", "organizationId": "o-1"}),
        ))),
        built(groups::get(&group)),
        built(groups::update(&group, &GroupUpdateRequest::default())),
        built(groups::delete(&group)),
        built(groups::members(&group, page)),
        built(groups::add_member(
            &group,
            &GroupMemberAddRequest {
                user_id: user.clone(),
            },
        )),
        built(groups::remove_member(&group, &user)),
        built(groups::permissions(&group)),
        built(groups::create_permission(
            &group,
            &GroupPermissionCreateRequest::on_workspace(
                PermissionType::WorkspaceReader,
                ws.clone(),
            ),
        )),
        built(groups::delete_permission(&group, &permission)),
        built(embedded::widget_token(&body(json!({
            "allowedOrigin": "https://app.example.com", "externalUserId": "x", "organizationId": "o-1",
        })))),
        built(embedded::scoped_token(&EmbeddedScopedTokenRequest {
            workspace_id: ws,
        })),
        built(embedded::organizations()),
    ]
}

/// The path a template gives when every parameter is replaced by `value`.
fn fill(template: &str, values: &mut dyn Iterator<Item = &'static str>) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').expect("a closed parameter");
        out.push_str(values.next().unwrap_or("?"));
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

#[test]
fn every_registry_entry_has_a_constructor_with_the_same_method_and_path() {
    let mut built = every_constructor();
    built.extend(every_admin_constructor());
    let mut failures = Vec::new();
    for def in REGISTRY {
        let Some(op) = built.iter().find(|op| op.def == *def) else {
            failures.push(format!("{}: no constructor builds it", def.operation_id));
            continue;
        };
        if op.method != def.method || op.template != def.path {
            failures.push(format!(
                "{}: the constructor sends {} {}, the registry says {} {}",
                def.operation_id, op.method, op.template, def.method, def.path
            ));
        }
        // The encoded path has the template's shape: the same literal segments, one segment
        // per parameter.
        let ids = [
            "w-1",
            "s-1",
            "d-1",
            "c-1",
            "t-1",
            "def-1",
            "7",
            "o-1",
            "b-1",
            "u-1",
            "a-1",
            "p-1",
            "g-1",
            "r-1",
            "dp-1",
            "source",
            "google-ads",
        ];
        let matches = (0..def.path_params().len())
            .map(|_| ids.iter().copied())
            .fold(vec![Vec::new()], |sets: Vec<Vec<&'static str>>, options| {
                sets.iter()
                    .flat_map(|set| {
                        options.clone().map(move |id| {
                            let mut set = set.clone();
                            set.push(id);
                            set
                        })
                    })
                    .collect()
            })
            .into_iter()
            .any(|values| fill(def.path, &mut values.into_iter()) == op.path);
        if !matches {
            failures.push(format!(
                "{}: the encoded path {} does not follow {}",
                def.operation_id, op.path, def.path
            ));
        }
    }
    for op in &built {
        if !REGISTRY.contains(&op.def) {
            failures.push(format!(
                "{}: built from an entry that is not in REGISTRY",
                op.def.operation_id
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
