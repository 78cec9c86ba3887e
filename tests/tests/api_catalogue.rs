//! The connector definitions catalogue (`GET /connector_definitions`) through the transport:
//! one kind at a time, a workspace's own definitions only when that workspace is named, and a
//! workspace that does not exist or is out of reach refused.

use airbyte::mock::default_world;
use airbyte::models::ops::public;
use airbyte::models::{ConnectorDefinitionsResponse, ConnectorType, WorkspaceId};
use airbyte_e2e::*;

/// The custom source definition "Acme Internal API" of Production.
const CUSTOM_SOURCE: &str = "Acme Internal API";

fn names(catalogue: &ConnectorDefinitionsResponse) -> Vec<&str> {
    catalogue
        .data
        .iter()
        .map(|definition| definition.name.as_str())
        .collect()
}

#[tokio::test]
async fn the_catalogue_lists_one_kind_of_connector() {
    let server = mock().await;
    let api = api(&server);
    let sources = api
        .execute(public::connector_definitions::list(
            &ConnectorType::Source,
            None,
        ))
        .await
        .unwrap();
    assert!(
        sources
            .data
            .iter()
            .all(|definition| definition.connector_definition_type == ConnectorType::Source)
    );
    let google_ads = sources
        .data
        .iter()
        .find(|definition| definition.name == "google-ads")
        .expect("google-ads is in the catalogue");
    assert_eq!(google_ads.id, default_world::GOOGLE_ADS_DEFINITION_ID);
    assert_eq!(google_ads.version, "3.7.4");
    assert!(!names(&sources).contains(&"snowflake"));
    // A workspace's own definitions are not in the catalogue of everyone.
    assert!(!names(&sources).contains(&CUSTOM_SOURCE));
    let destinations = api
        .execute(public::connector_definitions::list(
            &ConnectorType::Destination,
            None,
        ))
        .await
        .unwrap();
    assert!(names(&destinations).contains(&"snowflake"));
    assert!(!names(&destinations).contains(&"google-ads"));
}

#[tokio::test]
async fn a_workspace_sees_its_own_definitions_in_the_catalogue() {
    let server = mock().await;
    let api = api(&server);
    let production: WorkspaceId = WORKSPACE.parse().unwrap();
    let staging: WorkspaceId = STAGING.parse().unwrap();
    let of =
        |workspace| public::connector_definitions::list(&ConnectorType::Source, Some(workspace));
    let in_production = api.execute(of(&production)).await.unwrap();
    assert!(names(&in_production).contains(&CUSTOM_SOURCE));
    assert!(names(&in_production).contains(&"google-ads"));
    let in_staging = api.execute(of(&staging)).await.unwrap();
    assert!(!names(&in_staging).contains(&CUSTOM_SOURCE));
}

#[tokio::test]
async fn the_catalogue_of_an_unknown_or_unreachable_workspace_is_refused() {
    let server = mock().await;
    let unknown: WorkspaceId = "00000000-0000-4000-8000-000000000016".parse().unwrap();
    let production: WorkspaceId = WORKSPACE.parse().unwrap();
    let list =
        |workspace| public::connector_definitions::list(&ConnectorType::Source, Some(workspace));
    assert_eq!(failed_with(api(&server).execute(list(&unknown)).await), 404);
    // Carol reaches Staging only.
    let carol = carol(&server);
    assert_eq!(failed_with(carol.execute(list(&production)).await), 403);
    assert!(carol.execute(list(&STAGING.parse().unwrap())).await.is_ok());
}
