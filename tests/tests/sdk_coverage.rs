//! Which registry operations the SDK reaches: workflows through the SDK only, then the mock's
//! journal names every operation it served; every operation of the registry must be among
//! them (the Public API's 92 and the Config API's), but for the few Config API operations the
//! SDK leaves alone on purpose, listed with the reason.

use std::collections::BTreeSet;

use airbyte::cloud::{AccessScope, ConnectorType, DefinitionKind};
use airbyte::mock::{MockConfig, MockServer, Outcome, default_world};
use airbyte::models::ops::Api;
use airbyte::models::ops::registry::{self, OperationDef, REGISTRY};
use airbyte::models::{
    GroupId, GroupPermissionCreateRequest, OrganizationId, PermissionCreateRequest, PermissionType,
    RegionPatchRequest, WorkspaceId, WorkspaceUpdateRequest,
};
use airbyte::prelude::*;
use airbyte_e2e::*;
use serde_json::json;

/// The Config API operations the SDK does not send, and why. Each must stay unreached: a
/// workflow that reaches one means it leaves this list.
const LEFT_ALONE: &[(&OperationDef, &str)] = &[
    (
        registry::CONFIG_CREATE_ACCESS_TOKEN,
        "tokens are minted at the Public API's endpoint, which every deployment serves",
    ),
    (
        registry::GET_JOB_INFO_WITHOUT_LOGS,
        "job status comes from the Public API; attempts are read with their logs",
    ),
    (
        registry::CONFIG_CANCEL_JOB,
        "jobs are cancelled through the Public API",
    ),
    (
        registry::CREATE_OR_UPDATE_STATE,
        "state is written only with the safe variant, which refuses while a sync runs",
    ),
    (
        registry::GET_ORG_INFO,
        "a workspace's organization is read with workspaces/get_organization_info",
    ),
    (
        registry::CONFIG_GET_SOURCE_DEFINITION,
        "definitions are read through the Public API",
    ),
];

/// Runs the platform family's SDK calls (successful ones: a refused call proves nothing).
async fn platform_workflow(workspace: &CloudWorkspace) {
    let organization: OrganizationId = default_world::ORGANIZATION_ID.parse().unwrap();
    workspace.check_health().await.unwrap();
    workspace.fetch_documentation_url().await.unwrap();
    let created = workspace.create_workspace("coverage").await.unwrap();
    workspace
        .other_workspace(created.workspace_id)
        .update(WorkspaceUpdateRequest {
            name: Some("coverage 2".to_owned()),
            ..WorkspaceUpdateRequest::default()
        })
        .await
        .unwrap();
    let region = workspace
        .create_region(&organization, "cov (delete-me)")
        .await
        .unwrap();
    workspace.list_regions(&organization).await.unwrap();
    workspace
        .update_region(
            &region.region_id,
            &RegionPatchRequest {
                enabled: Some(false),
                ..RegionPatchRequest::default()
            },
        )
        .await
        .unwrap();
    let plane = workspace
        .create_dataplane(&region.region_id, "cov-dp (delete-me)")
        .await
        .unwrap();
    workspace
        .list_dataplanes(std::slice::from_ref(&region.region_id))
        .await
        .unwrap();
    workspace
        .update_dataplane(
            &plane.dataplane_id,
            &airbyte::models::DataplanePatchRequest {
                enabled: Some(false),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    workspace
        .delete_dataplane(&plane.dataplane_id, true)
        .await
        .unwrap();
    workspace
        .delete_region(&region.region_id, true)
        .await
        .unwrap();
    workspace
        .list_connector_definitions(ConnectorType::Source)
        .await
        .unwrap();
    let consent = workspace
        .initiate_source_oauth("google-ads", "https://app.example/done")
        .await
        .unwrap();
    let state = airbyte::models::Redirect { location: consent }
        .query_param("state")
        .unwrap();
    workspace.complete_oauth(&state, "code").await.unwrap();
    let credentials = json!({"client_id": "c", "client_secret": "s"});
    workspace
        .set_oauth_override(ConnectorType::Source, "github", credentials.clone())
        .await
        .unwrap();
    workspace
        .delete_oauth_override(ConnectorType::Source, "github")
        .await
        .unwrap();
    workspace
        .set_organization_oauth_override(
            &organization,
            ConnectorType::Source,
            "github",
            credentials,
        )
        .await
        .unwrap();
    workspace
        .delete_organization_oauth_override(&organization, ConnectorType::Source, "github")
        .await
        .unwrap();
    workspace
        .source(default_world::FAKER_SOURCE_ID)
        .unwrap()
        .available_streams()
        .await
        .unwrap();
    workspace.list_tags().await.unwrap();
    let tag = workspace
        .create_tag("cov (delete-me)", "123456")
        .await
        .unwrap();
    workspace
        .update_tag(&tag.tag_id, "cov 2 (delete-me)", "654321")
        .await
        .unwrap();
    faker(workspace)
        .add_tags(std::slice::from_ref(&tag.tag_id))
        .await
        .unwrap();
    workspace.delete_tag(&tag.tag_id, true).await.unwrap();
    let definition = workspace
        .publish_docker_destination_definition("cov (delete-me)", "acme/destination-cov", "1.0")
        .await
        .unwrap();
    definition.update("cov (delete-me)", "1.1").await.unwrap();
    definition.permanently_delete(true).await.unwrap();
    workspace
        .deploy_source("cov draft", "github", json!({"repositories": ["a/b"]}))
        .draft(true)
        .await
        .unwrap();
    workspace
        .deploy_destination(
            "cov draft",
            "dev-null",
            json!({"test_destination": {"test_destination_type": "SILENT"}}),
        )
        .draft(true)
        .await
        .unwrap();
}

/// Workspaces, sources, destinations, connections, jobs, state and catalogs.
async fn workspace_workflow(server: &MockServer, workspace: &CloudWorkspace) {
    workspace.info().await.unwrap();
    workspace.list_workspaces().await.unwrap();
    let created = workspace
        .create_workspace("cov workspace (delete-me)")
        .await
        .unwrap();
    let created = workspace.other_workspace(created.workspace_id);
    created.rename("cov workspace 2 (delete-me)").await.unwrap();
    created.permanently_delete(true).await.unwrap();

    let source = workspace
        .deploy_source("cov source (delete-me)", "faker", json!({"count": 5}))
        .await
        .unwrap();
    let destination = workspace
        .deploy_destination("cov sink (delete-me)", "dev-null", json!({}))
        .await
        .unwrap();
    workspace.list_sources().await.unwrap();
    workspace.list_destinations().await.unwrap();
    source.info().await.unwrap();
    destination.info().await.unwrap();
    source.check().await.unwrap();
    destination.check().await.unwrap();
    source.update_config(json!({"count": 6})).await.unwrap();
    destination.update_config(json!({})).await.unwrap();
    source
        .replace_config("cov source 2 (delete-me)", json!({"count": 7}))
        .await
        .unwrap();
    destination
        .replace_config("cov sink 2 (delete-me)", json!({}))
        .await
        .unwrap();

    let connection = workspace
        .deploy_connection(&source, &destination)
        .name("cov connection (delete-me)")
        .streams(["users"])
        .await
        .unwrap();
    workspace.list_connections().await.unwrap();
    connection.info().await.unwrap();
    connection
        .rename("cov connection 2 (delete-me)")
        .await
        .unwrap();
    let sync = connection
        .run_sync()
        .wait_options(fast_wait())
        .await
        .unwrap();
    sync.job_info().await.unwrap();
    workspace.fetch_job(sync.job_id()).await.unwrap();
    connection.job_history().await.unwrap();
    let state = connection.dump_raw_state().await.unwrap();
    connection.import_raw_state(state).await.unwrap();
    let catalog = connection.dump_raw_catalog().await.unwrap().unwrap();
    connection.import_raw_catalog(catalog).await.unwrap();
    server
        .script_connection(connection.id().as_str(), Outcome::StayRunning, None)
        .unwrap();
    let running = connection.run_sync().wait(false).await.unwrap();
    running.cancel().await.unwrap();
    connection
        .permanently_delete(DeleteConnection {
            cascade_source: true,
            cascade_destination: true,
            ..DeleteConnection::default()
        })
        .await
        .unwrap();
}

/// Custom source definitions (YAML with their Builder projects, and Docker).
async fn definitions_workflow(workspace: &CloudWorkspace) {
    let yaml = workspace
        .publish_yaml_source_definition("cov yaml (delete-me)", manifest("items"))
        .await
        .unwrap();
    workspace
        .list_custom_source_definitions(DefinitionKind::Yaml)
        .await
        .unwrap();
    yaml.declarative().await.unwrap();
    yaml.update_manifest(&manifest("items_v2")).await.unwrap();
    yaml.dependent_sources().await.unwrap();
    yaml.permanently_delete(true).await.unwrap();

    let with_project = workspace
        .custom_source_definition(
            default_world::DECLARATIVE_DEFINITION_ID,
            DefinitionKind::Yaml,
        )
        .unwrap();
    with_project.builder_project_details().await.unwrap();
    with_project
        .set_testing_values(json!({"base_url": "https://example.test"}))
        .await
        .unwrap();

    let docker = workspace
        .publish_docker_source_definition("cov docker (delete-me)", "acme/source-cov", "1.0")
        .await
        .unwrap();
    workspace
        .list_custom_source_definitions(DefinitionKind::Docker)
        .await
        .unwrap();
    docker.docker().await.unwrap();
    docker.update_docker_tag("1.1").await.unwrap();
    docker.permanently_delete(true).await.unwrap();
}

/// Organizations, users, permissions, groups, applications, Embedded, and the user behind the
/// credentials.
async fn access_workflow(server: &MockServer, workspace: &CloudWorkspace) {
    let organization = organization();
    let staging_id: WorkspaceId = STAGING.parse().unwrap();
    workspace.list_organizations().await.unwrap();
    workspace.organization().await.unwrap();
    workspace
        .list_organization_workspaces(&organization)
        .await
        .unwrap();
    workspace.list_users(&organization).await.unwrap();
    let ada = workspace.current_user().await.unwrap();
    workspace
        .fetch_user_permissions(&ada.user_id)
        .await
        .unwrap();
    workspace
        .list_user_organizations(&ada.user_id)
        .await
        .unwrap();
    workspace
        .accessible_workspaces(AccessScope::All)
        .await
        .unwrap();
    // Carol reaches Staging through a workspace permission: it is read workspace by workspace.
    let carol = carol_workspace(server, STAGING);
    carol
        .accessible_workspaces(AccessScope::Workspace)
        .await
        .unwrap();
    workspace.set_default_workspace().await.unwrap();

    let dave = user(default_world::DAVE_USER_ID);
    workspace
        .list_permissions()
        .organization(&organization)
        .await
        .unwrap();
    let granted = workspace
        .create_permission(&PermissionCreateRequest::on_workspace(
            dave.clone(),
            PermissionType::WorkspaceReader,
            staging_id.clone(),
        ))
        .await
        .unwrap();
    workspace
        .fetch_permission(&granted.permission_id)
        .await
        .unwrap();
    workspace
        .update_permission(&granted.permission_id, PermissionType::WorkspaceEditor)
        .await
        .unwrap();
    workspace
        .delete_permission(&granted.permission_id)
        .await
        .unwrap();

    let group = workspace
        .create_group(&organization, "cov group (delete-me)")
        .await
        .unwrap();
    let group_id: GroupId = group.group_id;
    workspace.list_groups(&organization).await.unwrap();
    workspace.fetch_group(&group_id).await.unwrap();
    workspace
        .update_group(&group_id)
        .description("covered")
        .await
        .unwrap();
    workspace.add_group_member(&group_id, &dave).await.unwrap();
    workspace.list_group_members(&group_id).await.unwrap();
    workspace
        .remove_group_member(&group_id, &dave)
        .await
        .unwrap();
    let group_grant = workspace
        .create_group_permission(
            &group_id,
            &GroupPermissionCreateRequest::on_workspace(
                PermissionType::WorkspaceReader,
                staging_id,
            ),
        )
        .await
        .unwrap();
    workspace.list_group_permissions(&group_id).await.unwrap();
    workspace
        .delete_group_permission(&group_id, &group_grant.permission_id)
        .await
        .unwrap();
    workspace.delete_group(&group_id, true).await.unwrap();

    let application = workspace
        .create_application("cov app (delete-me)")
        .await
        .unwrap();
    workspace.list_applications().await.unwrap();
    workspace
        .fetch_application(&application.application.id)
        .await
        .unwrap();
    workspace
        .delete_application(&application.application.id, true)
        .await
        .unwrap();

    workspace
        .create_widget_token(&organization, "customer-42", "https://app.example.com")
        .await
        .unwrap();
    staging(server).create_scoped_token().await.unwrap();
    workspace.list_embedded_organizations().await.unwrap();
}

/// A mock server whose source list leaves out the sources' definitions, as older servers
/// do (the faker source), with the fixture directory that makes it so.
async fn older_server() -> (MockServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let interactions = json!({"interactions": [{
        "request": {"method": "GET", "path": "/api/public/v1/sources"},
        "response": {"status": 200, "body": {"data": [
            source_json(default_world::FAKER_SOURCE_ID, "Faker demo", None),
        ]}},
    }]});
    std::fs::write(dir.path().join("older.json"), interactions.to_string()).unwrap();
    let server = mock_with(MockConfig {
        fixtures_dir: Some(dir.path().to_owned()),
        ..MockConfig::default()
    })
    .await;
    (server, dir)
}

/// What is asked of the Config API when the Public API leaves something out.
async fn older_server_workflow(workspace: &CloudWorkspace) {
    // Whether the faker source runs the definition is asked of `sources/get`.
    let definition = workspace
        .custom_source_definition(
            default_world::DECLARATIVE_DEFINITION_ID,
            DefinitionKind::Yaml,
        )
        .unwrap();
    assert!(definition.dependent_sources().await.unwrap().is_empty());
}

/// What the mock served, as (Config API?, operation ID): the ID is unique within one API, the
/// path tells the APIs apart. Refused calls prove nothing and are left out.
fn served(server: &MockServer) -> BTreeSet<(bool, String)> {
    server
        .journal()
        .into_iter()
        .filter(|entry| entry.status < 400)
        .filter_map(|entry| {
            let config = entry.path.starts_with("/api/v1/");
            entry.operation.map(|operation| (config, operation))
        })
        .collect()
}

fn key(def: &OperationDef) -> (bool, String) {
    (def.api == Api::Config, def.operation_id.to_owned())
}

#[tokio::test]
async fn the_sdk_reaches_every_operation_of_the_registry() {
    let server = mock().await;
    let workspace = workspace(&server);
    platform_workflow(&workspace).await;
    workspace_workflow(&server, &workspace).await;
    definitions_workflow(&workspace).await;
    access_workflow(&server, &workspace).await;
    let (older, _fixtures) = older_server().await;
    older_server_workflow(&airbyte_e2e::workspace(&older)).await;
    let mut reached = served(&server);
    reached.extend(served(&older));
    let left_alone: Vec<&OperationDef> = LEFT_ALONE.iter().map(|(def, _)| *def).collect();
    let unreached: Vec<&str> = REGISTRY
        .iter()
        .filter(|def| !left_alone.contains(def) && !reached.contains(&key(def)))
        .map(|def| def.name)
        .collect();
    assert!(
        unreached.is_empty(),
        "operations no SDK call reached: {unreached:?}"
    );
    let used: Vec<&str> = left_alone
        .iter()
        .filter(|def| reached.contains(&key(def)))
        .map(|def| def.name)
        .collect();
    assert!(
        used.is_empty(),
        "listed as left alone but reached (take them off the list): {used:?}"
    );
    // Every Public API operation is reached: none is left alone.
    assert!(left_alone.iter().all(|def| def.api == Api::Config));
    assert_eq!(
        REGISTRY.iter().filter(|def| def.api == Api::Public).count(),
        92
    );
}
