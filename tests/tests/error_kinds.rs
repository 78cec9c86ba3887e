//! Errors name the kind of resource with `ResourceKind`, and read as the same words.

use airbyte::cloud::DefinitionKind;
use airbyte::models::TagId;
use airbyte::prelude::*;
use airbyte_e2e::*;

const UNKNOWN: &str = "00000000-0000-4000-8000-00000000dead";

#[tokio::test]
async fn an_unknown_tag_is_a_missing_tag() {
    let server = mock().await;
    let tag_id: TagId = UNKNOWN.parse().unwrap();
    let error = workspace(&server).fetch_tag(&tag_id).await.unwrap_err();
    assert_missing(&error, ResourceKind::Tag, UNKNOWN);
    assert_eq!(error.to_string(), format!("tag {UNKNOWN} does not exist"));
}

#[tokio::test]
async fn a_tag_of_another_workspace_is_a_tag_mismatch() {
    let server = mock().await;
    let tag = staging(&server)
        .create_tag("theirs", "E53935")
        .await
        .unwrap();
    let error = workspace(&server).fetch_tag(&tag.tag_id).await.unwrap_err();
    assert_other_workspace(&error, ResourceKind::Tag);
    assert!(error.to_string().starts_with("tag "), "{error}");
}

#[tokio::test]
async fn safe_mode_names_the_tag_it_refuses_to_delete() {
    let server = mock().await;
    let workspace = workspace(&server);
    let tag = workspace.create_tag("keep", "E53935").await.unwrap();
    let error = workspace.delete_tag(&tag.tag_id, true).await.unwrap_err();
    assert_safe_mode_refused(&error, ResourceKind::Tag);
    assert!(
        error
            .to_string()
            .starts_with("safe mode refused to delete tag \"keep\""),
        "{error}"
    );
}

#[tokio::test]
async fn definition_errors_name_a_custom_source_definition() {
    let server = mock().await;
    let workspace = workspace(&server);
    let missing = workspace
        .custom_source_definition(UNKNOWN, DefinitionKind::Yaml)
        .unwrap()
        .name()
        .await
        .unwrap_err();
    assert!(
        matches!(
            missing,
            Error::MissingResource {
                kind: ResourceKind::CustomSourceDefinition,
                ..
            }
        ),
        "{missing}"
    );
    let manifest = manifest("items");
    workspace
        .publish_yaml_source_definition("twice (delete-me)", manifest.clone())
        .await
        .unwrap();
    let duplicate = workspace
        .publish_yaml_source_definition("twice (delete-me)", manifest)
        .await
        .unwrap_err();
    assert!(
        matches!(
            duplicate,
            Error::DuplicateResource {
                kind: ResourceKind::CustomSourceDefinition,
                ..
            }
        ),
        "{duplicate}"
    );
    assert!(
        duplicate
            .to_string()
            .starts_with("a custom source definition named \"twice (delete-me)\""),
        "{duplicate}"
    );
}
