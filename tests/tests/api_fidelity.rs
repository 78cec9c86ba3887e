//! Two fidelity fixes, through the transport: IDs are UUIDs that the server finds in any letter
//! case (answering them in lower case), and a list filtered by a workspace that does not exist
//! answers 404 (403 when the caller cannot see it), not an empty page.

use airbyte::mock::default_world;
use airbyte::models::ops::{ConnectionListParams, JobListParams, ListParams, public};
use airbyte::models::{
    ConnectionId, ConnectorConfig, SourceCreateRequest, SourceId, SourcePatchRequest, TagId,
    WorkspaceId,
};
use airbyte_e2e::*;
use serde_json::json;

fn upper<T: std::str::FromStr>(id: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    id.to_ascii_uppercase().parse().unwrap()
}

#[tokio::test]
async fn ids_are_found_in_any_letter_case() {
    let server = mock().await;
    let api = api(&server);
    let source: SourceId = upper(default_world::FAKER_SOURCE_ID);
    let read = api.execute(public::sources::get(&source)).await.unwrap();
    assert_eq!(
        read.source_id,
        default_world::FAKER_SOURCE_ID,
        "answered in lower case"
    );
    let patched = api
        .execute(public::sources::patch(
            &source,
            &SourcePatchRequest {
                name: Some("Faker (renamed)".to_owned()),
                ..SourcePatchRequest::default()
            },
        ))
        .await
        .unwrap();
    assert_eq!(patched.name, "Faker (renamed)");
    let connection: ConnectionId = upper(default_world::FAKER_CONNECTION_ID);
    api.execute(public::connections::get(&connection))
        .await
        .unwrap();
    // In the query and in bodies too.
    let listed = api
        .execute(public::sources::list(&ListParams::in_workspace(
            upper(WORKSPACE),
            100,
        )))
        .await
        .unwrap();
    assert!(
        listed
            .data
            .iter()
            .any(|source| source.source_id == default_world::FAKER_SOURCE_ID)
    );
    let created = api
        .execute(public::sources::create(&SourceCreateRequest::new(
            "Upper-case workspace",
            upper(WORKSPACE),
            ConnectorConfig::new(
                json!({"sourceType": "faker", "tenant": "ABCDEF12-1B2F-4C5D-8E6F-7A8B9C0D1E01"}),
            ),
        )))
        .await
        .unwrap();
    assert_eq!(created.workspace_id, WORKSPACE);
    // A UUID inside a configuration is data: kept as sent.
    assert_eq!(
        created.configuration.get("tenant"),
        Some(&json!("ABCDEF12-1B2F-4C5D-8E6F-7A8B9C0D1E01"))
    );
    let tag: TagId = upper("3b4c5d6e-7f80-4912-a3b4-c5d6e7f80901");
    assert_eq!(
        api.execute(public::tags::get(&tag)).await.unwrap().name,
        "critical"
    );
}

#[tokio::test]
async fn a_list_of_an_unknown_workspace_is_not_found() {
    let server = mock().await;
    let api = api(&server);
    let unknown: WorkspaceId = "00000000-0000-4000-8000-000000000014".parse().unwrap();
    let params = ListParams::in_workspace(unknown.clone(), 20);
    assert_eq!(
        failed_with(api.execute(public::sources::list(&params)).await),
        404
    );
    assert_eq!(
        failed_with(api.execute(public::destinations::list(&params)).await),
        404
    );
    assert_eq!(
        failed_with(api.execute(public::workspaces::list(&params)).await),
        404
    );
    assert_eq!(
        failed_with(
            api.execute(public::connections::list(&ConnectionListParams {
                list: params.clone(),
                ..ConnectionListParams::default()
            }))
            .await
        ),
        404
    );
    assert_eq!(
        failed_with(
            api.execute(public::jobs::list(&JobListParams {
                workspace_ids: vec![unknown.clone()],
                ..JobListParams::default()
            }))
            .await
        ),
        404
    );
    assert_eq!(
        failed_with(
            api.execute(public::tags::list(std::slice::from_ref(&unknown)))
                .await
        ),
        404
    );
    // One unknown among known workspaces is enough.
    let mixed = ListParams {
        workspace_ids: vec![WORKSPACE.parse().unwrap(), unknown],
        ..ListParams::default()
    };
    assert_eq!(
        failed_with(api.execute(public::sources::list(&mixed)).await),
        404
    );
}

#[tokio::test]
async fn a_list_of_a_workspace_out_of_reach_is_forbidden() {
    let server = mock().await;
    let carol = carol(&server);
    let production = ListParams::in_workspace(WORKSPACE.parse().unwrap(), 20);
    assert_eq!(
        failed_with(carol.execute(public::sources::list(&production)).await),
        403
    );
    // A caller that reaches only some workspaces gets 403 for one that does not exist either:
    // it cannot tell what it cannot see.
    let unknown =
        ListParams::in_workspace("00000000-0000-4000-8000-000000000015".parse().unwrap(), 20);
    assert_eq!(
        failed_with(carol.execute(public::sources::list(&unknown)).await),
        403
    );
    let staging = ListParams::in_workspace(STAGING.parse().unwrap(), 20);
    assert!(carol.execute(public::sources::list(&staging)).await.is_ok());
}
