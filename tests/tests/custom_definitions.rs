//! Custom source definitions: YAML (validated before sending, unique, testing values, Builder
//! project, versions, deploy, delete) and Docker (publish, list, rename, tag, delete).

use airbyte::mock::default_world;
use airbyte::prelude::*;
use airbyte_e2e::*;
use serde_json::json;

fn manifest(stream: &str) -> Manifest {
    Manifest::from_json(json!({
        "version": "6.7.0",
        "type": "DeclarativeSource",
        "streams": [{"type": "DeclarativeStream", "name": stream}],
        "spec": {"type": "Spec", "connection_specification": {"type": "object", "properties": {"api_key": {"type": "string"}}}},
    }))
}

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
    definition.permanently_delete(true).await.unwrap();
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

#[tokio::test]
async fn testing_values_go_to_the_owning_workspace() {
    let server = mock().await;
    let workspace = workspace(&server);
    let definition = workspace
        .get_custom_source_definition(
            default_world::DECLARATIVE_DEFINITION_ID,
            DefinitionKind::Yaml,
        )
        .unwrap();
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
    assert_eq!(update.body["workspaceId"], WORKSPACE);
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
    definition.permanently_delete(true).await.unwrap();
    assert!(definition.docker().await.unwrap_err().is_not_found());
}
