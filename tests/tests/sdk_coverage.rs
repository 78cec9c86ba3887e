//! Which registry operations the SDK reaches: a workflow through the SDK only, then the mock's
//! journal names every operation it served; each operation a family lists must be among them.
//! A family adds its operations and the SDK calls that reach them (the platform family's are
//! here; the pattern extends to the others).

use std::collections::BTreeSet;

use airbyte::cloud::ConnectorType;
use airbyte::mock::default_world;
use airbyte::models::ops::Api;
use airbyte::models::ops::registry::{self, OperationDef};
use airbyte::models::{OrganizationId, RegionPatchRequest, WorkspaceUpdateRequest};
use airbyte_e2e::*;
use serde_json::json;

/// The operations of the platform family (issue 14, part B).
const PLATFORM: &[&OperationDef] = &[
    registry::GET_DOCUMENTATION,
    registry::HEALTH,
    registry::CREATE_WORKSPACE,
    registry::UPDATE_WORKSPACE,
    registry::LIST_REGIONS,
    registry::CREATE_REGION,
    registry::GET_REGION,
    registry::UPDATE_REGION,
    registry::DELETE_REGION,
    registry::LIST_DATAPLANES,
    registry::CREATE_DATAPLANE,
    registry::GET_DATAPLANE,
    registry::UPDATE_DATAPLANE,
    registry::DELETE_DATAPLANE,
    registry::LIST_CONNECTOR_DEFINITIONS,
    registry::INITIATE_OAUTH,
    registry::OAUTH_CALLBACK,
    registry::CREATE_OR_UPDATE_WORKSPACE_OAUTH_CREDENTIALS,
    registry::DELETE_WORKSPACE_OAUTH_CREDENTIALS,
    registry::CREATE_OR_UPDATE_ORGANIZATION_OAUTH_CREDENTIALS,
    registry::DELETE_ORGANIZATION_OAUTH_CREDENTIALS,
    registry::GET_STREAM_PROPERTIES,
    registry::LIST_TAGS,
    registry::CREATE_TAG,
    registry::GET_TAG,
    registry::UPDATE_TAG,
    registry::DELETE_TAG,
    registry::LIST_DESTINATION_DEFINITIONS,
    registry::CREATE_DESTINATION_DEFINITION,
    registry::GET_DESTINATION_DEFINITION,
    registry::UPDATE_DESTINATION_DEFINITION,
    registry::DELETE_DESTINATION_DEFINITION,
    registry::CONFIG_CREATE_SOURCE,
    registry::CONFIG_CREATE_DESTINATION,
];

/// Runs the platform family's SDK calls (successful ones: a refused call proves nothing).
async fn platform_workflow(workspace: &airbyte::cloud::CloudWorkspace) {
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

#[tokio::test]
async fn the_sdk_reaches_every_operation_of_the_platform_family() {
    let server = mock().await;
    platform_workflow(&workspace(&server)).await;
    // The journal names an operation by its specification's ID, unique within one API; the
    // path tells the APIs apart.
    let served: BTreeSet<(bool, String)> = server
        .journal()
        .into_iter()
        .filter(|entry| entry.status < 400)
        .filter_map(|entry| {
            let config = entry.path.starts_with("/api/v1/");
            entry.operation.map(|operation| (config, operation))
        })
        .collect();
    let unreached: Vec<&str> = PLATFORM
        .iter()
        .filter(|def| {
            let key = (def.api == Api::Config, def.operation_id.to_owned());
            !served.contains(&key)
        })
        .map(|def| def.name)
        .collect();
    assert!(
        unreached.is_empty(),
        "operations no SDK call reached: {unreached:?} (served: {served:?})"
    );
}
