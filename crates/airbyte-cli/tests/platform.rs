//! The platform family's commands: `tags`, `connector-definitions`, `destination-definitions`,
//! `workspaces create`.

mod support;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tags_are_created_updated_listed_and_deleted() {
    let server = mock().await;
    let created = ok(&server, &["tags", "create", "nightly", "1E88E5"]).await;
    assert_eq!(created["name"], "nightly");
    let updated = ok(
        &server,
        &["tags", "update", "nightly", "--name", "nightly (delete-me)"],
    )
    .await;
    assert_eq!(updated["color"], "1E88E5");
    let listed = ok(&server, &["tags", "list"]).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    ok(&server, &["--yes", "tags", "delete", "nightly (delete-me)"]).await;
    let listed = ok(&server, &["tags", "list", "--name", "nightly (delete-me)"]).await;
    assert!(listed.as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_tag_or_an_unsafe_delete_changes_nothing() {
    let server = mock().await;
    airbyte(&server, &["tags", "create", "x", "red"])
        .await
        .code(2);
    airbyte(&server, &["--yes", "tags", "delete", "critical"])
        .await
        .code(5);
    airbyte(&server, &["tags", "delete", "critical", "--no-safe-mode"])
        .await
        .code(5)
        .says("--yes");
    airbyte(&server, &["--yes", "tags", "delete", "no-such-tag"])
        .await
        .code(6);
    assert_eq!(
        ok(&server, &["tags", "list"])
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_is_tagged_and_untagged_by_names() {
    let server = mock().await;
    ok(&server, &["tags", "create", "nightly", "1E88E5"]).await;
    let dry = ok(
        &server,
        &["tags", "add", "Faker → Warehouse", "nightly", "--dry-run"],
    )
    .await;
    assert_eq!(dry["dryRun"], true);
    let tagged = ok(
        &server,
        &["tags", "set", "Faker → Warehouse", "critical", "nightly"],
    )
    .await;
    assert_eq!(tagged["tagNames"], "critical, nightly");
    let left = ok(
        &server,
        &["tags", "remove", "Faker → Warehouse", "critical"],
    )
    .await;
    assert_eq!(left["tagNames"], "nightly");
    airbyte(
        &server,
        &["tags", "add", "Faker → Warehouse", "no-such-tag"],
    )
    .await
    .code(6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_catalogue_is_searched_by_name() {
    let server = mock().await;
    let found = ok(
        &server,
        &[
            "connector-definitions",
            "list",
            "--type",
            "destination",
            "--search",
            "POST",
        ],
    )
    .await;
    let names: Vec<&str> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|definition| definition["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["postgres"]);
    let table = plain(
        &server,
        &["connector-definitions", "list", "--search", "fak"],
    )
    .await;
    table.code(0);
    table.prints("faker");
    assert!(
        table.stdout.contains("VERSION"),
        "a table: {}",
        table.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destination_definitions_are_published_updated_and_deleted_with_their_destinations() {
    let server = mock().await;
    let published = ok(
        &server,
        &[
            "destination-definitions",
            "publish-docker",
            "--name",
            "Lake (delete-me)",
            "--image",
            "acme/destination-lake",
            "--tag",
            "0.1.0",
        ],
    )
    .await;
    let id = published["id"].as_str().unwrap().to_owned();
    let updated = ok(
        &server,
        &[
            "destination-definitions",
            "update",
            "Lake (delete-me)",
            "--tag",
            "0.2.0",
        ],
    )
    .await;
    assert_eq!(updated["dockerImageTag"], "0.2.0");
    assert_eq!(
        ok(&server, &["destination-definitions", "get", &id]).await["name"],
        "Lake (delete-me)"
    );
    ok(
        &server,
        &[
            "destinations",
            "create",
            "--name",
            "lake sink (delete-me)",
            "--definition-id",
            &id,
            "--config",
            "{}",
        ],
    )
    .await;
    airbyte(
        &server,
        &["--yes", "destination-definitions", "delete", &id],
    )
    .await
    .code(5)
    .says("lake sink");
    ok(
        &server,
        &[
            "--yes",
            "destination-definitions",
            "delete",
            &id,
            "--with-dependents",
        ],
    )
    .await;
    airbyte(&server, &["destination-definitions", "get", &id])
        .await
        .code(6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workspace_is_created_and_a_dry_run_creates_nothing() {
    let server = mock().await;
    let dry = ok(&server, &["workspaces", "create", "Analytics", "--dry-run"]).await;
    assert_eq!(dry["dryRun"], true);
    let created = ok(&server, &["workspaces", "create", "Analytics"]).await;
    assert_eq!(created["name"], "Analytics");
    let listed = ok(&server, &["workspaces", "list", "--name", "Analytics"]).await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "one, not two");
    airbyte(&server, &["workspaces", "create", " "])
        .await
        .code(2);
}
