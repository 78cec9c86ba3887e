//! The platform family through the SDK against the mock server: health and documentation,
//! workspace create and update, regions and data planes, the connector definitions catalogue,
//! OAuth (flow and overrides), connection tags, custom destination definitions, drafts and
//! checked deploys.

use airbyte::cloud::{ConnectorType, Error, ResourceKind};
use airbyte::mock::default_world;
use airbyte::models::{
    DataplaneId, DataplanePatchRequest, RegionId, RegionPatchRequest, TagId, WorkspaceUpdateRequest,
};
use airbyte_e2e::*;
use serde_json::json;

fn region_id() -> RegionId {
    default_world::REGION_ID.parse().unwrap()
}

// Health and documentation.

#[tokio::test]
async fn the_health_check_passes_on_a_live_server() {
    let server = mock().await;
    workspace(&server).check_health().await.unwrap();
    assert_eq!(requests(&server, "GET", "/health"), 1);
}

#[tokio::test]
async fn the_documentation_url_is_the_redirect_not_followed() {
    let server = mock().await;
    let url = workspace(&server).fetch_documentation_url().await.unwrap();
    assert!(url.starts_with("https://reference.airbyte.com/"), "{url}");
    assert_eq!(
        server.journal().len(),
        1,
        "one request, the redirect not followed"
    );
}

// Workspaces.

#[tokio::test]
async fn a_created_workspace_is_reachable_and_can_be_updated() {
    let server = mock().await;
    let workspace = workspace(&server);
    let created = workspace
        .create_workspace("Analytics")
        .organization(organization())
        .region(&region_id())
        .await
        .unwrap();
    assert_eq!(created.name, "Analytics");
    let analytics = workspace.other_workspace(created.workspace_id.clone());
    assert_eq!(analytics.info().await.unwrap().name, "Analytics");
    let renamed = analytics
        .update(WorkspaceUpdateRequest {
            name: Some("Analytics EU".to_owned()),
            ..WorkspaceUpdateRequest::default()
        })
        .await
        .unwrap();
    assert_eq!(renamed.name, "Analytics EU");
    let names: Vec<String> = workspace
        .list_workspaces()
        .await
        .unwrap()
        .into_iter()
        .map(|workspace| workspace.name)
        .collect();
    assert!(names.contains(&"Analytics EU".to_owned()), "{names:?}");
}

#[tokio::test]
async fn a_workspace_without_a_name_or_a_change_is_refused_before_anything_is_sent() {
    let server = mock().await;
    let workspace = workspace(&server);
    let error = workspace.create_workspace("  ").await.unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    let error = workspace
        .update(WorkspaceUpdateRequest::default())
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    assert_eq!(writes(&server), 0);
}

#[tokio::test]
async fn a_workspace_in_an_unknown_organization_names_the_organization() {
    let server = mock().await;
    let unknown = "0b0f2e52-6c8a-4d3e-9a4e-2f0c61b0afff";
    let error = workspace(&server)
        .create_workspace("Nowhere")
        .organization(unknown.parse().unwrap())
        .await
        .unwrap_err();
    // The server may answer 404 (named) or refuse the caller outright (403).
    match &error {
        Error::MissingResource { kind, id, .. } => {
            assert_eq!((*kind, id.as_str()), (ResourceKind::Organization, unknown));
        }
        other => assert_eq!(status_of(other), 403, "{other}"),
    }
}

// Regions.

#[tokio::test]
async fn regions_are_listed_created_read_updated_and_deleted() {
    let server = mock().await;
    let workspace = workspace(&server);
    let listed = workspace.list_regions(&organization()).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, "acme-private-eu");
    let created = workspace
        .create_region(&organization(), "us-private (delete-me)")
        .await
        .unwrap();
    assert!(created.enabled);
    let read = workspace.fetch_region(&created.region_id).await.unwrap();
    assert_eq!(read, created);
    let disabled = workspace
        .update_region(
            &created.region_id,
            &RegionPatchRequest {
                enabled: Some(false),
                ..RegionPatchRequest::default()
            },
        )
        .await
        .unwrap();
    assert!(!disabled.enabled);
    let found = workspace
        .list_regions(&organization())
        .name("us-private (delete-me)")
        .first()
        .await
        .unwrap();
    assert_eq!(
        found.map(|region| region.region_id),
        Some(created.region_id.clone())
    );
    let deleted = workspace
        .delete_region(&created.region_id, true)
        .await
        .unwrap();
    assert_eq!(deleted.region_id, created.region_id);
    assert_eq!(
        workspace.list_regions(&organization()).await.unwrap().len(),
        1
    );
}

#[tokio::test]
async fn safe_mode_keeps_a_region_whose_name_does_not_say_delete_me() {
    let server = mock().await;
    let workspace = workspace(&server);
    let error = workspace
        .delete_region(&region_id(), true)
        .await
        .unwrap_err();
    assert_safe_mode_refused(&error, ResourceKind::Region);
    assert_eq!(writes(&server), 0);
}

#[tokio::test]
async fn a_region_with_data_planes_is_not_deleted() {
    let server = mock().await;
    let error = workspace(&server)
        .delete_region(&region_id(), false)
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), 409, "{error}");
    assert_eq!(
        workspace(&server)
            .fetch_region(&region_id())
            .await
            .unwrap()
            .name,
        "acme-private-eu"
    );
}

#[tokio::test]
async fn an_unknown_region_or_data_plane_is_named() {
    let server = mock().await;
    let workspace = workspace(&server);
    let id = "8b4d3f6e-0a5c-4b1d-8e9f-4a5b6c7d8eff";
    let error = workspace
        .fetch_region(&id.parse().unwrap())
        .await
        .unwrap_err();
    assert_missing(&error, ResourceKind::Region, id);
    let error = workspace
        .update_region(
            &id.parse().unwrap(),
            &RegionPatchRequest {
                name: Some("x".to_owned()),
                ..RegionPatchRequest::default()
            },
        )
        .await
        .unwrap_err();
    assert_missing(&error, ResourceKind::Region, id);
    let error = workspace
        .fetch_dataplane(&id.parse().unwrap())
        .await
        .unwrap_err();
    assert_missing(&error, ResourceKind::Dataplane, id);
    let error = workspace
        .create_dataplane(&id.parse().unwrap(), "dp")
        .await
        .unwrap_err();
    assert_missing(&error, ResourceKind::Region, id);
}

#[tokio::test]
async fn a_member_who_does_not_administer_the_organization_cannot_change_its_regions() {
    let server = mock().await;
    let error = carol_workspace(&server, STAGING)
        .create_region(&organization(), "carol-region")
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), 403, "{error}");
    let names: Vec<String> = workspace(&server)
        .list_regions(&organization())
        .await
        .unwrap()
        .into_iter()
        .map(|region| region.name)
        .collect();
    assert_eq!(names, ["acme-private-eu"]);
}

#[tokio::test]
async fn empty_region_and_data_plane_changes_are_refused_before_anything_is_sent() {
    let server = mock().await;
    let workspace = workspace(&server);
    let refused = [
        workspace
            .update_region(&region_id(), &RegionPatchRequest::default())
            .await
            .unwrap_err(),
        workspace
            .create_region(&organization(), " ")
            .await
            .unwrap_err(),
        workspace
            .create_dataplane(&region_id(), "")
            .await
            .unwrap_err(),
        workspace
            .update_dataplane(
                &default_world::DATAPLANE_ID.parse().unwrap(),
                &DataplanePatchRequest::default(),
            )
            .await
            .unwrap_err(),
    ];
    for error in refused {
        assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    }
    assert!(server.journal().is_empty(), "nothing was sent");
}

// Data planes.

#[tokio::test]
async fn data_planes_are_created_with_their_secret_listed_updated_and_deleted() {
    let server = mock().await;
    let workspace = workspace(&server);
    let created = workspace
        .create_dataplane(&region_id(), "acme-dp-eu-2 (delete-me)")
        .await
        .unwrap();
    let secret = created.client_secret.expose_secret().to_owned();
    assert!(!secret.is_empty());
    assert!(
        !format!("{created:?}").contains(&secret),
        "Debug hides the secret"
    );
    let listed = workspace.list_dataplanes(&[region_id()]).await.unwrap();
    let names: Vec<&str> = listed.iter().map(|plane| plane.name.as_str()).collect();
    assert_eq!(names, ["acme-dp-eu-1", "acme-dp-eu-2 (delete-me)"]);
    assert_eq!(workspace.list_dataplanes(&[]).await.unwrap().len(), 2);
    let renamed = workspace
        .update_dataplane(
            &created.dataplane_id,
            &DataplanePatchRequest {
                name: Some("acme-dp-eu-3 (delete-me)".to_owned()),
                ..DataplanePatchRequest::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.name, "acme-dp-eu-3 (delete-me)");
    assert_eq!(
        workspace
            .fetch_dataplane(&created.dataplane_id)
            .await
            .unwrap(),
        renamed
    );
    workspace
        .delete_dataplane(&created.dataplane_id, true)
        .await
        .unwrap();
    let error = workspace
        .fetch_dataplane(&created.dataplane_id)
        .await
        .unwrap_err();
    assert_missing(
        &error,
        ResourceKind::Dataplane,
        created.dataplane_id.as_str(),
    );
}

#[tokio::test]
async fn safe_mode_keeps_a_data_plane_whose_name_does_not_say_delete_me() {
    let server = mock().await;
    let dataplane: DataplaneId = default_world::DATAPLANE_ID.parse().unwrap();
    let error = workspace(&server)
        .delete_dataplane(&dataplane, true)
        .await
        .unwrap_err();
    assert_safe_mode_refused(&error, ResourceKind::Dataplane);
    assert_eq!(writes(&server), 0);
}

// The catalogue.

#[tokio::test]
async fn the_catalogue_lists_one_kind_with_the_workspace_s_own_definitions() {
    let server = mock().await;
    let sources = workspace(&server)
        .list_connector_definitions(ConnectorType::Source)
        .await
        .unwrap();
    let names: Vec<&str> = sources
        .iter()
        .map(|definition| definition.name.as_str())
        .collect();
    assert!(
        names.contains(&"faker") && names.contains(&"Acme Internal API"),
        "{names:?}"
    );
    assert!(!names.contains(&"dev-null"), "no destination among sources");
    let staging = staging(&server)
        .list_connector_definitions(ConnectorType::Source)
        .await
        .unwrap();
    assert!(
        staging
            .iter()
            .all(|definition| definition.name != "Acme Internal API"),
        "another workspace's custom definition is not offered"
    );
}

#[tokio::test]
async fn the_catalogue_is_searched_by_name_ignoring_case() {
    let server = mock().await;
    let found = workspace(&server)
        .list_connector_definitions(ConnectorType::Destination)
        .name_contains("POST")
        .await
        .unwrap();
    let names: Vec<&str> = found
        .iter()
        .map(|definition| definition.name.as_str())
        .collect();
    assert_eq!(names, ["postgres"]);
}

#[tokio::test]
async fn a_connector_type_is_found_in_the_catalogue_or_named_as_missing() {
    let server = mock().await;
    let workspace = workspace(&server);
    let faker = workspace
        .find_connector_definition(ConnectorType::Source, "source-faker")
        .await
        .unwrap();
    assert_eq!(faker.as_str(), default_world::FAKER_DEFINITION_ID);
    let dev_null = workspace
        .find_connector_definition(ConnectorType::Destination, "Dev Null")
        .await
        .unwrap();
    assert_eq!(dev_null.as_str(), default_world::DEV_NULL_DEFINITION_ID);
    let error = workspace
        .find_connector_definition(ConnectorType::Source, "no-such-connector")
        .await
        .unwrap_err();
    assert_missing(
        &error,
        ResourceKind::ConnectorDefinition,
        "no-such-connector",
    );
}

// OAuth.

fn state_of(consent_url: &str) -> String {
    let redirect = airbyte::models::Redirect {
        location: consent_url.to_owned(),
    };
    redirect
        .query_param("state")
        .expect("the consent URL has a state")
}

#[tokio::test]
async fn an_oauth_flow_gives_a_secret_id_that_deploys_a_source() {
    let server = mock().await;
    let workspace = workspace(&server);
    let consent = workspace
        .initiate_source_oauth("source-google-ads", "https://app.example/oauth/done")
        .scopes(["adwords"])
        .await
        .unwrap();
    assert!(consent.contains("scope=adwords"), "{consent}");
    let completion = workspace
        .complete_oauth(&state_of(&consent), "the-code")
        .await
        .unwrap();
    assert!(
        completion
            .location
            .starts_with("https://app.example/oauth/done?")
    );
    let debug = format!("{completion:?}");
    let secret = completion.secret_id.expect("a secret ID");
    assert!(!debug.contains(secret.expose_secret()), "{debug}");
    let source = workspace
        .deploy_source("Ads", "google-ads", json!({"customer_id": "123"}))
        .secret_id(secret)
        .await
        .unwrap();
    assert_eq!(source.info().await.unwrap().name, "Ads");
    // A flow completes once.
    let error = workspace
        .complete_oauth(&state_of(&consent), "the-code")
        .await
        .unwrap_err();
    assert!(status_of(&error) >= 400, "{error}");
}

#[tokio::test]
async fn a_bad_oauth_start_is_refused_before_anything_is_sent() {
    let server = mock().await;
    let workspace = workspace(&server);
    for (connector, redirect) in [
        ("google-ads", "app.example/done"),
        ("google-ads", "https:///done"),
        ("  ", "https://app.example/done"),
    ] {
        let error = workspace
            .initiate_source_oauth(connector, redirect)
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    }
    let error = workspace.complete_oauth("", "code").await.unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    assert!(server.journal().is_empty());
}

#[tokio::test]
async fn a_connector_without_oauth_cannot_start_a_flow() {
    let server = mock().await;
    let error = workspace(&server)
        .initiate_source_oauth("faker", "https://app.example/done")
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), 400, "{error}");
}

#[tokio::test]
async fn a_workspace_override_replaces_the_organization_s_and_airbyte_s_client() {
    let server = mock().await;
    let workspace = workspace(&server);
    let consent = || async {
        let url = workspace
            .initiate_source_oauth("google-ads", "https://app.example/done")
            .await
            .unwrap();
        airbyte::models::Redirect { location: url }
            .query_param("client_id")
            .unwrap()
    };
    assert!(consent().await == "airbyte-google-ads-oauth-client");
    workspace
        .set_organization_oauth_override(
            &organization(),
            ConnectorType::Source,
            "google-ads",
            json!({"client_id": "org-client", "client_secret": "org-secret"}),
        )
        .await
        .unwrap();
    assert!(consent().await == "org-client");
    workspace
        .set_oauth_override(
            ConnectorType::Source,
            "google-ads",
            json!({"client_id": "ws-client", "client_secret": "ws-secret"}),
        )
        .await
        .unwrap();
    assert!(consent().await == "ws-client");
    workspace
        .delete_oauth_override(ConnectorType::Source, "google-ads")
        .await
        .unwrap();
    assert!(consent().await == "org-client");
    workspace
        .delete_organization_oauth_override(&organization(), ConnectorType::Source, "google-ads")
        .await
        .unwrap();
    assert!(consent().await == "airbyte-google-ads-oauth-client");
}

#[tokio::test]
async fn a_missing_override_is_named_and_bad_overrides_are_refused_before_sending() {
    let server = mock().await;
    let workspace = workspace(&server);
    let error = workspace
        .delete_oauth_override(ConnectorType::Source, "github")
        .await
        .unwrap_err();
    assert_missing(&error, ResourceKind::OAuthOverride, "source github");
    let before = server.journal().len();
    let error = workspace
        .set_oauth_override(ConnectorType::Source, "github", json!("not an object"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    let error = workspace
        .set_oauth_override(ConnectorType::Source, " ", json!({}))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    assert_eq!(server.journal().len(), before);
}

#[tokio::test]
async fn a_member_cannot_override_the_organization_s_oauth_client() {
    let server = mock().await;
    let error = carol_workspace(&server, STAGING)
        .set_organization_oauth_override(
            &organization(),
            ConnectorType::Source,
            "github",
            json!({"client_id": "c", "client_secret": "s"}),
        )
        .await
        .unwrap_err();
    assert_eq!(status_of(&error), 403, "{error}");
}

// Connection tags.

#[tokio::test]
async fn a_connection_s_tags_are_set_added_and_removed() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connection = faker(&workspace);
    let critical = workspace
        .list_tags()
        .name("critical")
        .first()
        .await
        .unwrap()
        .unwrap();
    let nightly = workspace.create_tag("nightly", "1E88E5").await.unwrap();
    let tagged = connection
        .set_tags(std::slice::from_ref(&critical.tag_id))
        .await
        .unwrap();
    let names = |tags: &[airbyte::models::Tag]| -> Vec<String> {
        tags.iter().map(|tag| tag.name.clone()).collect()
    };
    assert_eq!(names(&tagged.tags), ["critical"]);
    let both = connection
        .add_tags(&[nightly.tag_id.clone(), critical.tag_id.clone()])
        .await
        .unwrap();
    assert_eq!(names(&both.tags), ["critical", "nightly"]);
    let left = connection
        .remove_tags(std::slice::from_ref(&critical.tag_id))
        .await
        .unwrap();
    assert_eq!(names(&left.tags), ["nightly"]);
    assert_eq!(names(&connection.info().await.unwrap().tags), ["nightly"]);
    let none = connection.set_tags(&[]).await.unwrap();
    assert!(none.tags.is_empty());
}

#[tokio::test]
async fn a_tag_of_another_workspace_is_refused_before_the_connection_changes() {
    let server = mock().await;
    let workspace = workspace(&server);
    let other = staging(&server)
        .create_tag("staging-only", "43A047")
        .await
        .unwrap();
    let tags_before = faker(&workspace).info().await.unwrap().tags;
    let writes_before = writes(&server);
    let error = faker(&workspace)
        .add_tags(std::slice::from_ref(&other.tag_id))
        .await
        .unwrap_err();
    assert_other_workspace(&error, ResourceKind::Tag);
    assert_eq!(writes(&server), writes_before);
    assert_eq!(faker(&workspace).info().await.unwrap().tags, tags_before);
}

#[tokio::test]
async fn unknown_and_repeated_tags_are_refused() {
    let server = mock().await;
    let workspace = workspace(&server);
    let unknown: TagId = "3b4c5d6e-7f80-4912-a3b4-c5d6e7f809ff".parse().unwrap();
    let error = faker(&workspace)
        .set_tags(std::slice::from_ref(&unknown))
        .await
        .unwrap_err();
    assert_missing(&error, ResourceKind::Tag, unknown.as_str());
    let error = faker(&workspace)
        .set_tags(&[unknown.clone(), unknown])
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    assert_eq!(writes(&server), 0);
}

// Custom destination definitions.

#[tokio::test]
async fn destination_definitions_are_published_listed_read_updated_and_deleted() {
    let server = mock().await;
    let workspace = workspace(&server);
    let definition = workspace
        .publish_docker_destination_definition("Lake (delete-me)", "acme/destination-lake", "0.1.0")
        .documentation_url("https://docs.acme.example/lake")
        .await
        .unwrap();
    let listed = workspace
        .list_custom_destination_definitions()
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id(), definition.id());
    let info = definition.info().await.unwrap();
    assert_eq!(
        (
            info.docker_repository.as_str(),
            info.docker_image_tag.as_str()
        ),
        ("acme/destination-lake", "0.1.0")
    );
    let updated = definition
        .update("Lake (delete-me)", "0.2.0")
        .await
        .unwrap();
    assert_eq!(updated.docker_image_tag, "0.2.0");
    definition.permanently_delete(true).await.unwrap();
    let error = workspace
        .custom_destination_definition(definition.id())
        .unwrap()
        .info()
        .await
        .unwrap_err();
    assert_missing(
        &error,
        ResourceKind::CustomDestinationDefinition,
        definition.id().as_str(),
    );
}

#[tokio::test]
async fn a_destination_definition_in_use_is_kept_unless_its_destinations_go_too() {
    let server = mock().await;
    let workspace = workspace(&server);
    let definition = workspace
        .publish_docker_destination_definition("Lake (delete-me)", "acme/destination-lake", "0.1.0")
        .await
        .unwrap();
    let destination = definition
        .deploy_destination("lake sink (delete-me)", json!({}))
        .await
        .unwrap();
    let dependents = definition.dependent_destinations().await.unwrap();
    assert_eq!(dependents.len(), 1);
    assert_eq!(dependents[0].id(), destination.id());
    let error = definition.permanently_delete(true).await.unwrap_err();
    let Error::DependentsExist { dependents, .. } = &error else {
        panic!("{error}")
    };
    assert_eq!(dependents[0].resource.id, destination.id().as_str());
    assert!(definition.info().await.is_ok(), "nothing was deleted");
    let deleted = definition.delete().delete_dependents(true).await.unwrap();
    assert_eq!(deleted.len(), 2);
    assert!(destination.info().await.is_err());
}

#[tokio::test]
async fn a_destination_definition_is_checked_before_it_is_published() {
    let server = mock().await;
    let workspace = workspace(&server);
    for (name, repository, tag) in [
        ("", "acme/x", "1"),
        ("x", "acme/x", " "),
        ("x", "acme x", "1"),
    ] {
        let error = workspace
            .publish_docker_destination_definition(name, repository, tag)
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    }
    assert_eq!(writes(&server), 0);
    workspace
        .publish_docker_destination_definition("Lake", "acme/destination-lake", "0.1.0")
        .await
        .unwrap();
    let error = workspace
        .publish_docker_destination_definition("Lake", "acme/destination-lake", "0.1.0")
        .await
        .unwrap_err();
    assert!(matches!(error, Error::DuplicateResource { .. }), "{error}");
}

#[tokio::test]
async fn another_workspace_s_destination_definition_is_not_found() {
    let server = mock().await;
    let definition = workspace(&server)
        .publish_docker_destination_definition("Lake", "acme/destination-lake", "0.1.0")
        .await
        .unwrap();
    let error = staging(&server)
        .custom_destination_definition(definition.id())
        .unwrap()
        .update("Stolen", "9.9.9")
        .await
        .unwrap_err();
    assert_missing(
        &error,
        ResourceKind::CustomDestinationDefinition,
        definition.id().as_str(),
    );
    assert_eq!(definition.info().await.unwrap().name, "Lake");
}

// Drafts and checked deploys.

#[tokio::test]
async fn a_draft_source_is_deployed_without_credentials_and_cannot_connect_yet() {
    let server = mock().await;
    let workspace = workspace(&server);
    let draft = workspace
        .deploy_source(
            "GitHub draft",
            "github",
            json!({"repositories": ["acme/app"]}),
        )
        .draft(true)
        .await
        .unwrap();
    assert_eq!(requests(&server, "POST", "/api/v1/sources/create"), 1);
    assert_eq!(draft.info().await.unwrap().name, "GitHub draft");
    let check = draft.check().await.unwrap();
    assert!(!check.success, "a draft lacks its credentials");
}

#[tokio::test]
async fn a_draft_destination_is_found_in_the_catalogue_by_type() {
    let server = mock().await;
    let draft = workspace(&server)
        .deploy_destination(
            "sink draft",
            "dev-null",
            json!({"test_destination": {"test_destination_type": "SILENT"}}),
        )
        .draft(true)
        .await
        .unwrap();
    let info = draft.info().await.unwrap();
    assert_eq!(
        info.definition_id.as_ref().map(|id| id.as_str()),
        Some(default_world::DEV_NULL_DEFINITION_ID)
    );
}

#[tokio::test]
async fn a_draft_with_a_secret_is_refused_before_anything_is_sent() {
    let server = mock().await;
    let error = workspace(&server)
        .deploy_source(
            "leaky draft",
            "postgres",
            json!({"host": "db", "password": "hunter2"}),
        )
        .draft(true)
        .unique(false)
        .await
        .unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::InvalidInput { .. }), "{message}");
    assert!(
        message.contains("/password") && !message.contains("hunter2"),
        "{message}"
    );
    assert!(server.journal().is_empty());
}

#[tokio::test]
async fn a_checked_deploy_keeps_a_connector_that_connects() {
    let server = mock().await;
    let source = workspace(&server)
        .deploy_source("checked faker", "faker", json!({"count": 10}))
        .verify(true)
        .await
        .unwrap();
    assert_eq!(requests(&server, "POST", "/sources/check_connection"), 1);
    assert_eq!(source.info().await.unwrap().name, "checked faker");
}

#[tokio::test]
async fn a_draft_cannot_be_checked_before_it_is_completed() {
    let server = mock().await;
    let error = workspace(&server)
        .deploy_source("d", "github", json!({}))
        .draft(true)
        .verify(true)
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    assert!(server.journal().is_empty());
}

#[tokio::test]
async fn a_checked_deploy_removes_a_connector_that_cannot_connect() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, ResponseTemplate};
    let server = wiremock::MockServer::start().await;
    let id = "1f2e3d4c-5b6a-4789-9abc-def0123456ff";
    let source = source_json(id, "broken", Some(default_world::FAKER_DEFINITION_ID));
    for (verb, route) in [
        ("POST", "/api/public/v1/sources".to_owned()),
        ("GET", format!("/api/public/v1/sources/{id}")),
    ] {
        Mock::given(method(verb))
            .and(path(route))
            .respond_with(ResponseTemplate::new(200).set_body_json(&source))
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/api/public/v1/sources"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v1/sources/check_connection"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status": "failed",
            "message": "Could not connect: connection refused",
            "jobInfo": {"id": "5b1f0a4e-5d1a-4a8e-9a3c-7f4f0d7a2b10", "configType": "check_connection_source",
                        "createdAt": 1_714_566_600, "endedAt": 1_714_566_612, "succeeded": true},
        })))
        .mount(&server)
        .await;
    scripted::no_connections(&server).await;
    scripted::accept_deletes(&server).await;
    let error = scripted_workspace(&server.uri())
        .deploy_source("broken", "faker", json!({}))
        .verify(true)
        .await
        .unwrap_err();
    let Error::CheckFailed {
        kind,
        id: failed,
        message,
    } = &error
    else {
        panic!("{error}")
    };
    assert_eq!((*kind, failed.as_str()), (ResourceKind::Source, id));
    assert!(
        message.contains("connection refused") && message.contains("removed again"),
        "{message}"
    );
    assert_eq!(
        scripted::deletes(&server).await,
        1,
        "the broken source was deleted"
    );
}
