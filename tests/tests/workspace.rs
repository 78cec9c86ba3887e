//! The workspace: connect, info, rename, URLs, listing workspaces, deleting, and checks that
//! resources belong to it.

use airbyte::mock::default_world;
use airbyte::prelude::*;
use airbyte_e2e::*;
use futures_util::TryStreamExt;
use serde_json::json;

#[tokio::test]
async fn connect_info_rename_and_urls() {
    let server = mock().await;
    let workspace = workspace(&server);
    let info = workspace.connect().await.unwrap();
    assert_eq!(info.name, "Production");
    let renamed = workspace.rename("Production (renamed)").await.unwrap();
    assert_eq!(renamed.name, "Production (renamed)");
    assert!(matches!(
        workspace.rename("  ").await,
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(
        workspace.workspace_url().unwrap(),
        format!("{}/workspaces/{WORKSPACE}", server.base_url())
    );
    let cloud = CloudWorkspace::builder()
        .workspace_id("w")
        .bearer_token("t")
        .build()
        .unwrap();
    assert_eq!(
        cloud.workspace_url().unwrap(),
        "https://cloud.airbyte.com/workspaces/w"
    );
}

#[tokio::test]
async fn a_missing_workspace_is_reported_as_missing() {
    let server = mock().await;
    let missing = builder(&server)
        .workspace_id("00000000-0000-4000-8000-000000000000")
        .build()
        .unwrap();
    let error = missing.connect().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::MissingResource {
                kind: ResourceKind::Workspace,
                ..
            }
        ),
        "{error}"
    );
    assert!(error.is_not_found());
}

#[tokio::test]
async fn every_visible_workspace_is_listed() {
    let server = mock().await;
    let names: Vec<String> = workspace(&server)
        .list_workspaces()
        .stream()
        .map_ok(|workspace| workspace.name)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["Production", "Staging"]);
}

#[tokio::test]
async fn resources_of_another_workspace_are_refused() {
    let server = mock().await;
    let staging = builder(&server).workspace_id(STAGING).build().unwrap();
    // The faker connection and source belong to production, not staging.
    let connection = staging
        .connection(default_world::FAKER_CONNECTION_ID)
        .unwrap();
    let error = connection.name().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::WorkspaceMismatch {
                kind: ResourceKind::Connection,
                ..
            }
        ),
        "{error}"
    );
    assert!(!connection.check_is_valid().await.unwrap());
    let source = staging.source(default_world::FAKER_SOURCE_ID).unwrap();
    assert!(matches!(
        source.name().await,
        Err(Error::WorkspaceMismatch {
            kind: ResourceKind::Source,
            ..
        })
    ));
    let destination = staging
        .destination(default_world::WAREHOUSE_DESTINATION_ID)
        .unwrap();
    assert!(matches!(
        destination.info().await,
        Err(Error::WorkspaceMismatch {
            kind: ResourceKind::Destination,
            ..
        })
    ));
}

#[tokio::test]
async fn a_workspace_with_connections_is_not_deleted() {
    let server = mock().await;
    let staging = builder(&server).workspace_id(STAGING).build().unwrap();
    let error = staging.permanently_delete(false).await.unwrap_err();
    assert!(
        matches!(error, Error::WorkspaceNotEmpty { ref connection_ids, .. } if connection_ids.len() == 1),
        "{error}"
    );
    let refused = staging.permanently_delete(true).await.unwrap_err();
    assert_safe_mode_refused(&refused, ResourceKind::Workspace);

    // A new, empty, deletable workspace.
    let created: serde_json::Value = {
        let admin = workspace(&server);
        let response = admin
            .client()
            .execute(airbyte::models::ops::public::workspaces::create(
                &airbyte::models::WorkspaceCreateRequest {
                    name: "scratch (delete-me)".into(),
                    organization_id: None,
                    notifications: None,
                    region_id: None,
                },
            ))
            .await
            .unwrap();
        json!({"id": response.workspace_id.to_string()})
    };
    let scratch = builder(&server)
        .workspace_id(created["id"].as_str().unwrap())
        .build()
        .unwrap();
    scratch.permanently_delete(true).await.unwrap();
    assert!(scratch.connect().await.unwrap_err().is_not_found());
}
