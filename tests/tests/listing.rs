//! One list shape for every collection: paged lists and lists answered in one request take the
//! same filters (name, predicate, limit, offset) and the same bound (`max_items`).

use airbyte::cloud::{DefinitionKind, PagingProblem};
use airbyte::mock::default_world;
use airbyte::models::{JobStatus, JobType, OffsetDateTime, OrganizationId};
use airbyte::prelude::*;
use airbyte_e2e::*;

/// Creates tags `a-tag`, `b-tag`, `c-tag` in the workspace.
async fn three_tags(workspace: &CloudWorkspace) {
    for name in ["a-tag", "b-tag", "c-tag"] {
        workspace.create_tag(name, "E53935").await.unwrap();
    }
}

#[tokio::test]
async fn a_one_shot_list_is_read_in_one_request_whatever_the_page_size() {
    let server = mock().await;
    let workspace = workspace(&server);
    three_tags(&workspace).await;
    let before = requests(&server, "GET", "/tags");
    let tags = workspace.list_tags().page_size(1).collect().await.unwrap();
    assert!(tags.len() >= 3, "{tags:?}");
    assert_eq!(requests(&server, "GET", "/tags") - before, 1);
}

#[tokio::test]
async fn a_one_shot_list_filters_by_exact_name() {
    let server = mock().await;
    let workspace = workspace(&server);
    three_tags(&workspace).await;
    let found = workspace.list_tags().name("b-tag").collect().await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name, "b-tag");
    assert!(
        workspace
            .list_tags()
            .name("b-ta")
            .first()
            .await
            .unwrap()
            .is_none(),
        "the name is matched exactly"
    );
}

#[tokio::test]
async fn a_one_shot_list_takes_a_limit_an_offset_and_a_predicate() {
    let server = mock().await;
    let workspace = workspace(&server);
    three_tags(&workspace).await;
    let all = workspace.list_tags().await.unwrap();
    let limited = workspace.list_tags().limit(2).await.unwrap();
    assert_eq!(limited, all[..2]);
    let skipped = workspace.list_tags().offset(1).await.unwrap();
    assert_eq!(skipped, all[1..]);
    let matching = workspace
        .list_tags()
        .filter(|tag| tag.name.starts_with('c') && tag.name.ends_with("-tag"))
        .await
        .unwrap();
    assert_eq!(matching.len(), 1);
    assert_eq!(matching[0].name, "c-tag");
}

#[tokio::test]
async fn a_one_shot_list_larger_than_max_items_is_refused_whole() {
    let server = mock().await;
    let workspace = workspace(&server);
    three_tags(&workspace).await;
    let count = workspace.list_tags().await.unwrap().len() as u64;
    let error = workspace
        .list_tags()
        .max_items(count - 1)
        .limit(1)
        .collect()
        .await
        .unwrap_err();
    assert!(
        matches!(
            &error,
            Error::Paging {
                list: "tags",
                problem: PagingProblem::TooManyItems { limit },
            } if *limit == count - 1
        ),
        "{error}"
    );
    let exact = workspace.list_tags().max_items(count).await.unwrap();
    assert_eq!(
        exact.len() as u64,
        count,
        "a list of exactly max_items is read"
    );
}

#[tokio::test]
async fn the_max_items_of_the_workspace_bound_one_shot_lists_too() {
    let server = mock().await;
    let bounded = builder(&server).max_list_items(1).build().unwrap();
    three_tags(&bounded).await;
    let error = bounded.list_tags().collect().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Paging {
                problem: PagingProblem::TooManyItems { limit: 1 },
                ..
            }
        ),
        "{error}"
    );
}

#[tokio::test]
async fn custom_definitions_are_listed_with_the_list_filters() {
    let server = mock().await;
    let workspace = workspace(&server);
    for name in ["first-def (delete-me)", "second-def (delete-me)"] {
        workspace
            .publish_yaml_source_definition(name, manifest("items"))
            .await
            .unwrap();
    }
    let second = workspace
        .list_custom_source_definitions(DefinitionKind::Yaml)
        .name("second-def (delete-me)")
        .first()
        .await
        .unwrap()
        .expect("listed");
    assert_eq!(second.name().await.unwrap(), "second-def (delete-me)");
    assert_eq!(second.kind(), DefinitionKind::Yaml);
    let error = workspace
        .list_custom_source_definitions(DefinitionKind::Yaml)
        .max_items(1)
        .collect()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::Paging { .. }), "{error}");
}

#[tokio::test]
async fn workspaces_are_listed_with_the_list_filters() {
    let server = mock().await;
    let workspace = workspace(&server);
    let staging = workspace
        .list_workspaces()
        .name("Staging")
        .first()
        .await
        .unwrap()
        .expect("listed");
    assert_eq!(staging.workspace_id.as_str(), STAGING);
    assert_eq!(workspace.list_workspaces().limit(1).await.unwrap().len(), 1);
}

#[tokio::test]
async fn organization_workspaces_are_listed_with_the_list_filters() {
    let server = mock().await;
    let workspace = workspace(&server);
    let organization: OrganizationId = default_world::ORGANIZATION_ID.parse().unwrap();
    let production = workspace
        .list_organization_workspaces(&organization)
        .name("Production")
        .collect()
        .await
        .unwrap();
    assert_eq!(production.len(), 1);
    let one = workspace
        .list_organization_workspaces(&organization)
        .limit(1)
        .await
        .unwrap();
    assert_eq!(one.len(), 1);
}

#[tokio::test]
async fn job_history_filters_by_status_type_and_time_on_the_server() {
    let server = mock().await;
    let workspace = workspace(&server);
    let connection = faker(&workspace);
    connection
        .run_sync()
        .wait_options(fast_wait())
        .await
        .unwrap();
    let succeeded = connection
        .job_history()
        .job_type(JobType::Sync)
        .status(JobStatus::Succeeded)
        .limit(None)
        .await
        .unwrap();
    assert!(!succeeded.is_empty());
    for job in &succeeded {
        let job = job.job().await.unwrap();
        assert_eq!(job.status, JobStatus::Succeeded);
        assert_eq!(job.job_type, JobType::Sync);
    }
    let query = server
        .journal()
        .iter()
        .rev()
        .find(|entry| entry.path.ends_with("/jobs"))
        .map(|entry| entry.query.clone())
        .unwrap();
    assert!(query.contains("status=succeeded"), "{query}");
    assert!(query.contains("jobType=sync"), "{query}");
    let future = OffsetDateTime::now_utc() + std::time::Duration::from_secs(86_400);
    let none = connection
        .job_history()
        .created_after(future)
        .await
        .unwrap();
    assert!(none.is_empty());
    let all_before = connection
        .job_history()
        .created_before(future)
        .limit(None)
        .await
        .unwrap();
    assert!(all_before.len() >= succeeded.len());
}

#[tokio::test]
async fn a_name_filter_on_jobs_is_refused_before_anything_is_sent() {
    let server = mock().await;
    let workspace = workspace(&server);
    let before = server.journal().len();
    let error = faker(&workspace)
        .job_history()
        .name("nightly")
        .collect()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidInput { .. }), "{error}");
    assert_eq!(server.journal().len(), before);
}
