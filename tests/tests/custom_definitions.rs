//! Custom source definitions: YAML (validated before sending, unique, testing values, Builder
//! project, versions, deploy, delete) and Docker (publish, list, rename, tag, delete).

use airbyte::mock::{MockConfig, MockServer, default_world};
use airbyte::prelude::*;
use airbyte_e2e::*;
use serde_json::json;

#[tokio::test]
async fn yaml_definitions_are_published_used_and_deleted() {
    let server = mock().await;
    let workspace = workspace(&server);
    let yaml = "version: 6.7.0\ntype: DeclarativeSource\nstreams:\n  - name: issues\nspec:\n  connection_specification:\n    type: object\n";
    let definition = workspace
        .publish_yaml_source_definition(
            "issues api (delete-me)",
            Manifest::from_yaml(yaml).unwrap(),
        )
        .testing_values(json!({"api_key": "test-key-123"}))
        .await
        .unwrap();
    assert_eq!(definition.kind(), DefinitionKind::Yaml);
    assert_eq!(definition.declarative().await.unwrap().version, 1);
    let (project, owner) = definition.builder_project().await.unwrap().unwrap();
    assert_eq!(owner.as_str(), WORKSPACE);
    let url = definition.builder_project_url().await.unwrap().unwrap();
    assert!(
        url.ends_with(&format!(
            "/workspaces/{WORKSPACE}/connector-builder/edit/{project}"
        )),
        "{url}"
    );
    assert_eq!(definition.definition_url().await.unwrap(), Some(url));

    let updated = definition
        .update_manifest(&manifest("issues_v2"))
        .await
        .unwrap();
    assert_eq!(updated.version, 2);

    let source = definition
        .deploy_source("issues source (delete-me)", json!({"api_key": "k"}))
        .await
        .unwrap();
    let info = source.details().await.unwrap();
    assert_eq!(info.definition_id, Some(definition.id().clone()));
    assert_eq!(info.source_type, "", "custom connectors have no type name");

    let duplicate = workspace
        .publish_yaml_source_definition("issues api (delete-me)", manifest("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(duplicate, Error::DuplicateResource { .. }),
        "{duplicate}"
    );

    let listed = workspace
        .list_custom_source_definitions(DefinitionKind::Yaml)
        .await
        .unwrap();
    assert_eq!(listed.len(), 2, "the world's one and ours");
    // The source that runs it would go with it: refused unless asked, then deleted first.
    let refused = definition.permanently_delete(true).await.unwrap_err();
    assert!(
        matches!(&refused, Error::DependentsExist { dependents, .. }
            if dependents.len() == 1 && dependents[0].resource.id == source.id().as_str()),
        "{refused}"
    );
    let deleted = definition.delete().delete_dependents(true).await.unwrap();
    assert_eq!(deleted.len(), 2);
    assert!(source.info().await.unwrap_err().is_not_found());
    assert_eq!(
        workspace
            .list_custom_source_definitions(DefinitionKind::Yaml)
            .await
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn invalid_manifests_are_refused_before_any_request() {
    let server = mock().await;
    let workspace = workspace(&server);
    let before = server.journal().len();
    for (bad, expected) in [
        (json!([1, 2]), "mapping"),
        (
            json!({"type": "DeclarativeSource", "streams": []}),
            "version",
        ),
        (
            json!({"version": "1", "type": "Other", "streams": []}),
            "DeclarativeSource",
        ),
        (
            json!({"version": "1", "type": "DeclarativeSource"}),
            "streams",
        ),
        (
            json!({"version": "1", "type": "DeclarativeSource", "streams": []}),
            "connection_specification",
        ),
    ] {
        let error = workspace
            .publish_yaml_source_definition("bad", Manifest::from_json(bad))
            .await
            .unwrap_err();
        assert!(error.to_string().contains(expected), "{error}");
    }
    assert!(Manifest::from_yaml("key: [unclosed").is_err());
    assert_eq!(
        server.journal().len(),
        before,
        "nothing was sent, not even the uniqueness check"
    );
}

/// A mock server whose answers for the default world's Builder project come from recorded
/// interactions: the project belongs to the Staging workspace (a definition shared with the
/// caller's workspace), and the draft is `draft`.
async fn mock_with_project_in_staging(
    draft: Option<serde_json::Value>,
) -> (MockServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let project = default_world::BUILDER_PROJECT_ID;
    let mut interactions = vec![
        json!({
            "request": {"method": "POST", "path": "/api/v1/connector_builder_projects/get_for_definition_id"},
            "response": {"status": 200, "body": {"builderProjectId": project, "workspaceId": STAGING}},
        }),
        json!({
            "request": {"method": "POST", "path": "/api/v1/connector_builder_projects/update_testing_values"},
            "response": {"status": 200, "body": {"base_url": "https://example.test"}},
        }),
    ];
    if let Some(draft) = draft {
        interactions.push(json!({
            "request": {"method": "POST", "path": "/api/v1/connector_builder_projects/get_with_manifest"},
            "response": {"status": 200, "body": {
                "builderProject": {
                    "name": "Rick and Morty (YAML)", "builderProjectId": project, "hasDraft": true,
                    "updatedAt": 1_714_566_600, "activeDeclarativeManifestVersion": 1,
                    "sourceDefinitionId": default_world::DECLARATIVE_DEFINITION_ID,
                },
                "declarativeManifest": {"manifest": draft, "isDraft": true, "version": 2},
            }},
        }));
    }
    std::fs::write(
        dir.path().join("builder.json"),
        json!({"interactions": interactions}).to_string(),
    )
    .unwrap();
    let server = mock_with(MockConfig {
        fixtures_dir: Some(dir.path().to_owned()),
        ..MockConfig::default()
    })
    .await;
    (server, dir)
}

/// The default world's declarative definition, with a Builder project.
fn rick_and_morty(workspace: &CloudWorkspace) -> CustomSourceDefinition {
    workspace
        .custom_source_definition(
            default_world::DECLARATIVE_DEFINITION_ID,
            DefinitionKind::Yaml,
        )
        .unwrap()
}

#[tokio::test]
async fn testing_values_go_to_the_owning_workspace() {
    let (server, _fixtures) = mock_with_project_in_staging(None).await;
    let workspace = workspace(&server);
    let definition = rick_and_morty(&workspace);
    let (_, owner) = definition.builder_project().await.unwrap().unwrap();
    assert_eq!(owner.as_str(), STAGING, "the project is not the caller's");
    let stored = definition
        .set_testing_values(json!({"base_url": "https://example.test"}))
        .await
        .unwrap();
    assert_eq!(stored.get("base_url").unwrap(), "https://example.test");
    let update = server
        .journal()
        .into_iter()
        .find(|entry| entry.path.ends_with("/update_testing_values"))
        .unwrap();
    assert_eq!(
        update.body["workspaceId"], STAGING,
        "sent to the workspace that owns the project, not the caller's ({WORKSPACE})"
    );
    assert_eq!(
        update.body["builderProjectId"],
        default_world::BUILDER_PROJECT_ID
    );
    assert!(update.body["spec"]["connectionSpecification"].is_object());
    assert!(definition.manifest().await.unwrap().as_value()["streams"].is_array());
    let error = definition.permanently_delete(true).await.unwrap_err();
    assert!(matches!(error, Error::SafeModeRefusal { .. }), "{error}");
}

#[tokio::test]
async fn testing_values_of_the_wrong_type_are_refused_before_sending() {
    let server = mock().await;
    let workspace = workspace(&server);
    let definition = rick_and_morty(&workspace);
    let error = definition
        .set_testing_values(json!({"base_url": 42}))
        .await
        .unwrap_err();
    assert!(error.to_string().contains("base_url"), "{error}");
    assert_eq!(requests(&server, "POST", "/update_testing_values"), 0);
}

#[tokio::test]
async fn the_builder_project_and_its_draft_are_readable() {
    let server = mock().await;
    let workspace = workspace(&server);
    let definition = rick_and_morty(&workspace);
    let project = definition.builder_project_details().await.unwrap().unwrap();
    assert_eq!(
        project.builder_project.builder_project_id.as_str(),
        default_world::BUILDER_PROJECT_ID
    );
    assert!(!definition.has_draft().await.unwrap());
    assert!(definition.draft_manifest().await.unwrap().is_none());

    let draft =
        json!({"version": "6.7.0", "type": "DeclarativeSource", "streams": [{"name": "episodes"}]});
    let (server, _fixtures) = mock_with_project_in_staging(Some(draft.clone())).await;
    let definition = rick_and_morty(&airbyte_e2e::workspace(&server));
    assert!(definition.has_draft().await.unwrap());
    assert_eq!(
        definition
            .draft_manifest()
            .await
            .unwrap()
            .unwrap()
            .as_value(),
        &draft
    );
    let read = server
        .journal()
        .into_iter()
        .find(|entry| entry.path.ends_with("/get_with_manifest"))
        .unwrap();
    assert_eq!(read.body["workspaceId"], STAGING, "read from the owner");

    // Docker definitions have no Builder project.
    let docker = workspace
        .custom_source_definition(default_world::DOCKER_DEFINITION_ID, DefinitionKind::Docker)
        .unwrap();
    assert!(!docker.has_draft().await.unwrap());
}

#[tokio::test]
async fn docker_definitions_are_published_renamed_retagged_and_deleted() {
    let server = mock().await;
    let workspace = workspace(&server);
    let definition = workspace
        .publish_docker_source_definition("crm (delete-me)", "acme/source-crm", "1.0.0")
        .documentation_url("https://docs.example/crm")
        .await
        .unwrap();
    assert_eq!(definition.kind(), DefinitionKind::Docker);
    assert_eq!(
        definition.docker().await.unwrap().docker_repository,
        "acme/source-crm"
    );
    definition.update_docker_tag("1.1.0").await.unwrap();
    definition.rename("crm v2 (delete-me)").await.unwrap();
    let current = definition.docker().await.unwrap();
    assert_eq!(
        (current.name.as_str(), current.docker_image_tag.as_str()),
        ("crm v2 (delete-me)", "1.1.0")
    );
    assert!(matches!(
        definition.manifest().await,
        Err(Error::InvalidInput { .. })
    ));
    let names: Vec<String> = {
        let mut names = Vec::new();
        for definition in workspace
            .list_custom_source_definitions(DefinitionKind::Docker)
            .await
            .unwrap()
        {
            names.push(definition.name().await.unwrap());
        }
        names
    };
    assert!(
        names.contains(&"Acme Internal API".to_owned())
            && names.contains(&"crm v2 (delete-me)".to_owned())
    );
    let source = definition
        .deploy_source("crm source", json!({}))
        .await
        .unwrap();
    assert_eq!(
        source.details().await.unwrap().definition_id,
        Some(definition.id().clone())
    );
    // Safe mode covers the dependents too: "crm source" has no marker.
    let refused = definition
        .delete()
        .delete_dependents(true)
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, Error::SafeModeRefusal { name, .. } if name == "crm source"),
        "{refused}"
    );
    source.permanently_delete(false).await.unwrap();
    definition.permanently_delete(true).await.unwrap();
    assert!(definition.docker().await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn bad_testing_values_are_refused_before_anything_is_created() {
    let server = mock().await;
    let workspace = workspace(&server);
    let typed = Manifest::from_json(json!({
        "version": "6.7.0",
        "type": "DeclarativeSource",
        "streams": [{"type": "DeclarativeStream", "name": "things"}],
        "spec": {"connection_specification": {"type": "object", "properties": {"page_size": {"type": "integer"}}}},
    }));
    for (manifest, values) in [
        (manifest("things"), json!(["not", "an", "object"])),
        (typed, json!({"page_size": "ten"})),
    ] {
        let error = workspace
            .publish_yaml_source_definition("half made (delete-me)", manifest)
            .testing_values(values)
            .await
            .unwrap_err();
        assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    }
    let docker = workspace
        .publish_docker_source_definition("half made docker (delete-me)", "acme/x", "1")
        .testing_values(json!({"k": "v"}))
        .await
        .unwrap_err();
    assert!(matches!(docker, Error::InvalidInput { .. }), "{docker}");
    assert_eq!(writes(&server), 0, "nothing was created");
}

#[tokio::test]
async fn a_definition_still_used_by_sources_is_not_deleted() {
    let server = mock().await;
    let workspace = workspace(&server);
    let definition = workspace
        .publish_docker_source_definition("crm (delete-me)", "acme/source-crm", "1.0.0")
        .await
        .unwrap();
    let source = definition
        .deploy_source("crm source (delete-me)", json!({}))
        .await
        .unwrap();
    let before = requests(&server, "DELETE", "");
    let error = definition.permanently_delete(true).await.unwrap_err();
    assert!(
        error.to_string().contains("crm source (delete-me)"),
        "the refusal names the source: {error}"
    );
    assert_eq!(
        requests(&server, "DELETE", ""),
        before,
        "nothing was deleted"
    );
    definition.docker().await.unwrap();
    source.info().await.unwrap();
    assert_eq!(definition.dependent_sources().await.unwrap().len(), 1);
    let preview = definition.delete().preview().await.unwrap();
    assert_eq!(preview.len(), 2);
    assert!(preview.check().is_err());
}
