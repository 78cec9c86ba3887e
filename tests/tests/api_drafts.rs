//! Drafts through the Config API creates: a source or destination created without its
//! credentials answers `isDraft: true`; a draft carrying a secret is refused with the
//! platform's `deferred-credential-setup` problem; checking a draft fails until its
//! credentials are set, and completing them ends the draft.

use airbyte::mock::default_world;
use airbyte::models::ops::{ListParams, config, public};
use airbyte::models::{
    CheckConnectionStatus, ConnectorConfig, DefinitionId, DestinationCreate, SourceCreate,
    SourceId, SourcePatchRequest, WorkspaceId,
};
use airbyte_e2e::*;
use serde_json::json;

fn production() -> WorkspaceId {
    WORKSPACE.parse().unwrap()
}

fn ads_draft(configuration: serde_json::Value) -> SourceCreate {
    SourceCreate {
        workspace_id: production(),
        name: "Ads (to finish)".to_owned(),
        source_definition_id: default_world::GOOGLE_ADS_DEFINITION_ID.parse().unwrap(),
        connection_configuration: ConnectorConfig::new(configuration),
        secret_id: None,
        resource_allocation: None,
        create_as_draft: Some(true),
    }
}

#[tokio::test]
async fn a_draft_source_is_created_without_its_credentials() {
    let server = mock().await;
    let api = api(&server);
    let draft = api
        .execute(config::create_source(&ads_draft(
            json!({"customer_id": "123-456"}),
        )))
        .await
        .unwrap();
    assert_eq!(draft.is_draft, Some(true));
    assert_eq!(draft.source_name, "google-ads");
    // It is a source like any other on the Public API.
    let listed = api
        .execute(public::sources::list(&ListParams::in_workspace(
            production(),
            100,
        )))
        .await
        .unwrap();
    assert!(
        listed
            .data
            .iter()
            .any(|source| source.source_id == draft.source_id)
    );
    // Its check fails until a person sets the credentials.
    let check = api
        .execute(config::check_source(&draft.source_id))
        .await
        .unwrap();
    assert_eq!(
        check.status,
        Some(CheckConnectionStatus::Failed),
        "{check:?}"
    );
    assert!(
        check
            .message
            .as_deref()
            .unwrap_or_default()
            .contains("draft")
    );
    let completed = SourcePatchRequest {
        configuration: Some(ConnectorConfig::new(json!({"credentials": {
            "developer_token": "d", "client_id": "c", "client_secret": "s", "refresh_token": "r",
        }}))),
        ..SourcePatchRequest::default()
    };
    api.execute(public::sources::patch(&draft.source_id, &completed))
        .await
        .unwrap();
    let check = api
        .execute(config::check_source(&draft.source_id))
        .await
        .unwrap();
    assert_eq!(
        check.status,
        Some(CheckConnectionStatus::Succeeded),
        "{check:?}"
    );
}

#[tokio::test]
async fn a_draft_carrying_a_secret_is_refused_naming_the_field() {
    let server = mock().await;
    let api = api(&server);
    let error = api
        .execute(config::create_source(&ads_draft(json!({
            "customer_id": "1",
            "credentials": {"client_id": "c", "refresh_token": "leaked"},
        }))))
        .await
        .unwrap_err();
    let airbyte::transport::Error::Api(problem) = &error else {
        panic!("{error}");
    };
    assert_eq!(problem.status.as_u16(), 422);
    assert_eq!(problem.title(), Some("deferred-credential-setup"));
    let body = problem.body.as_ref().unwrap();
    assert_eq!(
        body.problem_type.as_deref(),
        Some("https://reference.airbyte.com/reference/errors#deferred-credential-setup")
    );
    let data = body.data.as_ref().unwrap();
    assert_eq!(data["reason"], "secret_input_not_allowed");
    assert_eq!(
        data["issues"],
        json!([{"path": "/credentials/refresh_token", "code": "omit_secret"}])
    );
    // The secret is nowhere in the answer.
    assert!(!problem.body_excerpt.contains("leaked"));
    assert_eq!(requests(&server, "POST", "/api/v1/sources/create"), 1);
}

#[tokio::test]
async fn a_draft_still_needs_what_is_not_a_secret() {
    let server = mock().await;
    let error = api(&server)
        .execute(config::create_source(&ads_draft(json!({}))))
        .await
        .unwrap_err();
    let airbyte::transport::Error::Api(problem) = &error else {
        panic!("{error}");
    };
    let data = problem.body.as_ref().unwrap().data.as_ref().unwrap();
    assert_eq!(data["reason"], "configuration_invalid");
    assert_eq!(
        data["issues"],
        json!([{"path": "/customer_id", "code": "required"}])
    );
}

#[tokio::test]
async fn a_draft_destination_and_a_complete_source_answer_is_draft() {
    let server = mock().await;
    let api = api(&server);
    let destination = api
        .execute(config::create_destination(&DestinationCreate {
            workspace_id: production(),
            name: "Warehouse (to finish)".to_owned(),
            destination_definition_id: "22f6c74f-5699-40ff-833c-4a879ea40133".parse().unwrap(),
            connection_configuration: ConnectorConfig::new(
                json!({"project_id": "p", "dataset_id": "d", "dataset_location": "EU"}),
            ),
            resource_allocation: None,
            create_as_draft: Some(true),
        }))
        .await
        .unwrap();
    assert_eq!(destination.is_draft, Some(true));
    assert_eq!(destination.destination_name, "bigquery");
    let faker: DefinitionId = default_world::FAKER_DEFINITION_ID.parse().unwrap();
    let complete = api
        .execute(config::create_source(&SourceCreate {
            workspace_id: production(),
            name: "Faker 2".to_owned(),
            source_definition_id: faker,
            connection_configuration: ConnectorConfig::new(json!({"count": 5})),
            secret_id: None,
            resource_allocation: None,
            create_as_draft: None,
        }))
        .await
        .unwrap();
    assert_eq!(complete.is_draft, Some(false));
    let check = api
        .execute(config::check_source(&complete.source_id))
        .await
        .unwrap();
    assert_eq!(check.status, Some(CheckConnectionStatus::Succeeded));
    let _: SourceId = complete.source_id;
}

#[tokio::test]
async fn config_creates_need_a_known_definition_of_their_kind_and_a_reachable_workspace() {
    let server = mock().await;
    let api = api(&server);
    let mut wrong_kind = ads_draft(json!({"customer_id": "1"}));
    wrong_kind.source_definition_id = default_world::DEV_NULL_DEFINITION_ID.parse().unwrap();
    assert_eq!(
        failed_with(api.execute(config::create_source(&wrong_kind)).await),
        404
    );
    let mut unknown_workspace = ads_draft(json!({"customer_id": "1"}));
    unknown_workspace.workspace_id = "00000000-0000-4000-8000-000000000013".parse().unwrap();
    assert_eq!(
        failed_with(api.execute(config::create_source(&unknown_workspace)).await),
        404
    );
}
