//! Sources and destinations: deploy, unique names across pages, lists past 250 items, checks,
//! changes, and safe-mode deletes.

use airbyte::mock::default_world;
use airbyte::prelude::*;
use airbyte_e2e::*;
use futures_util::StreamExt;
use serde_json::json;

#[tokio::test]
async fn deploy_read_change_and_delete_a_source() {
    let server = mock().await;
    let workspace = workspace(&server);
    let source = workspace
        .deploy_source(
            "orders (delete-me)",
            "source-postgres",
            json!({"host": "db", "password": "p4ss-word-x"}),
        )
        .await
        .unwrap();
    let info = source.details().await.unwrap();
    assert_eq!(
        info.source_type, "postgres",
        "the source- prefix is dropped"
    );
    assert_eq!(info.configuration.get("password").unwrap(), "**********");
    assert_eq!(
        source.connector_url().unwrap(),
        format!(
            "{}/workspaces/{WORKSPACE}/source/{}",
            server.base_url(),
            source.id()
        )
    );
    assert!(!format!("{source:?}").contains("p4ss"));

    source.rename("orders v2 (delete-me)").await.unwrap();
    assert_eq!(source.name().await.unwrap(), "orders v2 (delete-me)");
    let updated = source
        .update_config(json!({"host": "db2", "password": "**********"}))
        .await
        .unwrap();
    assert_eq!(updated.configuration.get("host").unwrap(), "db2");
    let replaced = source
        .replace_config("orders v3 (delete-me)", json!({"host": "db3"}))
        .await
        .unwrap();
    assert!(replaced.configuration.get("password").is_none());

    source.permanently_delete(true).await.unwrap();
    assert!(source.info().await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    let server = mock().await;
    let workspace = workspace(&server);
    let before = server.journal().len();
    assert!(matches!(
        workspace.deploy_source("", "faker", json!({})).await,
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        workspace.deploy_source("x", " ", json!({})).await,
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        workspace
            .deploy_destination("x", "dev-null", json!([1]))
            .await,
        Err(Error::InvalidInput { .. })
    ));
    assert!(matches!(
        workspace.source(""),
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(server.journal().len(), before, "nothing was sent");
}

#[tokio::test]
async fn lists_read_past_250_items_and_unique_names_are_checked_on_every_page() {
    let server = mock().await;
    let workspace = builder(&server).workspace_id(STAGING).build().unwrap();
    for index in 0..260 {
        workspace
            .deploy_destination(format!("bulk-{index:03}"), "dev-null", json!({}))
            .unique(false)
            .await
            .unwrap();
    }
    let all = workspace.list_destinations().collect().await.unwrap();
    assert_eq!(all.len(), 261, "260 plus the world's one");
    // The requests were pages of 100.
    let pages = server
        .journal()
        .iter()
        .filter(|entry| entry.method == "GET" && entry.path.ends_with("/destinations"))
        .count();
    assert_eq!(pages, 3);

    // The last item sits on the third page: a uniqueness check must find it.
    let error = workspace
        .deploy_destination("bulk-259", "dev-null", json!({}))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::DuplicateResource {
                kind: ResourceKind::Destination,
                ..
            }
        ),
        "{error}"
    );

    // Exact names and predicates, lazily.
    let named = workspace
        .list_destinations()
        .name("bulk-007")
        .collect()
        .await
        .unwrap();
    assert_eq!(named.len(), 1);
    let mut stream = workspace
        .list_destinations()
        .filter(|d| d.name.ends_with('5'))
        .limit(3)
        .stream();
    let mut seen = 0;
    while let Some(item) = stream.next().await {
        item.unwrap();
        seen += 1;
    }
    assert_eq!(seen, 3);
    let suffixed = workspace
        .deploy_destination("bulk-259", "dev-null", json!({}))
        .random_name_suffix(true)
        .await
        .unwrap();
    assert!(suffixed.name().await.unwrap().starts_with("bulk-259 (ID: "));
}

#[tokio::test]
async fn checks_report_success_failure_and_crashes() {
    let server = mock().await;
    let workspace = workspace(&server);
    let ok = workspace
        .source(default_world::FAKER_SOURCE_ID)
        .unwrap()
        .check()
        .await
        .unwrap();
    assert!(ok.success);
    let failing = workspace
        .source(default_world::FAILING_CHECK_SOURCE_ID)
        .unwrap();
    let failed = failing.check().await.unwrap();
    assert!(!failed.success);
    assert!(failed.reason().contains("revoked"));
    let error = failing.check_or_error().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::CheckFailed {
                kind: ResourceKind::Source,
                ..
            }
        ),
        "{error}"
    );

    let destination = workspace
        .destination(default_world::DEV_NULL_DESTINATION_ID)
        .unwrap();
    server
        .script_check(
            default_world::DEV_NULL_DESTINATION_ID,
            airbyte::mock::CheckScript::Crash {
                message: "the check pod died".into(),
            },
        )
        .unwrap();
    let crashed = destination.check().await.unwrap();
    assert!(!crashed.success);
    assert_eq!(
        crashed.internal_error.as_deref(),
        Some("the check pod died")
    );
}

#[tokio::test]
async fn safe_mode_refuses_and_deletes_nothing() {
    let server = mock().await;
    let workspace = workspace(&server);
    let source = workspace.source(default_world::FAKER_SOURCE_ID).unwrap();
    let error = workspace
        .permanently_delete_source(&source, true)
        .await
        .unwrap_err();
    assert_safe_mode_refused(&error, ResourceKind::Source);
    assert_eq!(
        requests(&server, "DELETE", default_world::FAKER_SOURCE_ID),
        0
    );
    source.info().await.unwrap();
}

#[tokio::test]
async fn info_refreshes_the_cached_details_when_the_source_changed_elsewhere() {
    // A read keeps the copy it has when the answer did not change, and replaces it when it
    // did: the cache never holds less than the latest read.
    let server = mock().await;
    let ours = workspace(&server)
        .source(default_world::FAKER_SOURCE_ID)
        .unwrap();
    let first = ours.info().await.unwrap();
    assert_eq!(ours.info().await.unwrap(), first);
    assert_eq!(ours.details().await.unwrap(), first);
    workspace(&server)
        .source(default_world::FAKER_SOURCE_ID)
        .unwrap()
        .rename("renamed by another caller")
        .await
        .unwrap();
    assert_eq!(
        ours.details().await.unwrap().name,
        first.name,
        "details are the cache, not a read"
    );
    assert_eq!(ours.info().await.unwrap().name, "renamed by another caller");
    assert_eq!(
        ours.details().await.unwrap().name,
        "renamed by another caller"
    );
}
