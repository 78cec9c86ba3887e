//! The platform family's commands: `tags`, `connector-definitions`, `destination-definitions`,
//! `workspaces create`, `regions`, `dataplanes`.

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

// Regions and data planes.

fn names(listed: &Value) -> Vec<&str> {
    listed
        .as_array()
        .unwrap_or_else(|| panic!("a list: {listed}"))
        .iter()
        .map(|item| item["name"].as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn regions_are_listed_shown_created_updated_and_deleted_by_name() {
    let server = mock().await;
    assert_eq!(
        names(&ok(&server, &["regions", "list"]).await),
        ["acme-private-eu"]
    );
    assert!(
        ok(
            &server,
            &["regions", "list", "--organization", "Initech Analytics"]
        )
        .await
        .as_array()
        .unwrap()
        .is_empty(),
        "another organization's regions are its own"
    );
    assert_eq!(
        ok(&server, &["regions", "get", "acme-private-eu"]).await["regionId"],
        REGION_ID
    );
    assert_eq!(
        ok(&server, &["regions", "get", REGION_ID]).await["name"],
        "acme-private-eu"
    );
    // A dry run shows the change and makes none.
    let preview = ok(&server, &["regions", "create", "us-east", "--dry-run"]).await;
    assert_eq!(preview["changes"][0]["name"], "us-east");
    assert_eq!(names(&ok(&server, &["regions", "list"]).await).len(), 1);
    let created = ok(&server, &["regions", "create", "us-east"]).await;
    assert_eq!(created["enabled"], true);
    let id = created["regionId"].as_str().unwrap().to_owned();
    let preview = ok(
        &server,
        &["regions", "update", "us-east", "--disable", "--dry-run"],
    )
    .await;
    assert!(
        preview["changes"][0]["detail"]
            .as_str()
            .unwrap()
            .contains("enabled true -> false"),
        "{preview}"
    );
    assert_eq!(ok(&server, &["regions", "get", &id]).await["enabled"], true);
    let updated = ok(
        &server,
        &[
            "regions",
            "update",
            "us-east",
            "--name",
            "us-east (delete-me)",
            "--disable",
        ],
    )
    .await;
    assert_eq!(updated["name"], "us-east (delete-me)");
    assert_eq!(updated["enabled"], false);
    let table = plain(&server, &["regions", "list"]).await;
    table.code(0);
    assert!(table.stdout.starts_with("ID"), "{}", table.stdout);
    assert!(
        table.line(&id).contains("us-east (delete-me)"),
        "{}",
        table.stdout
    );
    ok(
        &server,
        &["--yes", "regions", "delete", "us-east (delete-me)"],
    )
    .await;
    airbyte(&server, &["regions", "get", &id])
        .await
        .code(6)
        .says("does not exist");
    airbyte(
        &server,
        &["--yes", "regions", "delete", &id, "--ignore-not-found"],
    )
    .await
    .code(0)
    .says("nothing to delete");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_region_with_data_planes_or_an_unsafe_name_is_not_deleted() {
    let server = mock().await;
    refused_alike(
        &server,
        &["--yes", "regions", "delete", "acme-private-eu"],
        5,
        "safe mode",
    )
    .await;
    refused_alike(
        &server,
        &[
            "--yes",
            "regions",
            "delete",
            "acme-private-eu",
            "--no-safe-mode",
        ],
        2,
        "still has 1 data plane(s): \"acme-dp-eu-1\"",
    )
    .await;
    for bad in [
        &["regions", "create", " "][..],
        &["regions", "update", "acme-private-eu"],
        &[
            "regions",
            "update",
            "acme-private-eu",
            "--enable",
            "--disable",
        ],
        &["regions", "update", "acme-private-eu", "--name", ""],
        &["dataplanes", "update", "acme-dp-eu-1"],
        &["dataplanes", "create", "dp", "--region", "no-such-region"],
    ] {
        let run = airbyte(&server, bad).await;
        assert!(matches!(run.code, 2 | 6), "{bad:?}: {}", run.stderr);
    }
    airbyte(&server, &["regions", "get", "no-such-region"])
        .await
        .code(6);
    assert_unchanged(&server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_data_plane_secret_is_printed_once_and_the_data_plane_is_managed_by_name() {
    let server = mock().await;
    assert_eq!(
        names(&ok(&server, &["dataplanes", "list"]).await),
        ["acme-dp-eu-1"]
    );
    assert_eq!(
        names(
            &ok(
                &server,
                &["dataplanes", "list", "--region", "acme-private-eu"]
            )
            .await
        ),
        ["acme-dp-eu-1"]
    );
    assert_eq!(
        ok(&server, &["dataplanes", "get", "acme-dp-eu-1"]).await["dataplaneId"],
        DATAPLANE_ID
    );
    let preview = ok(
        &server,
        &[
            "dataplanes",
            "create",
            "dp-2",
            "--region",
            "acme-private-eu",
            "--dry-run",
        ],
    )
    .await;
    assert_eq!(preview["changes"][0]["name"], "dp-2");
    assert_unchanged(&server);
    let created = ok(
        &server,
        &[
            "dataplanes",
            "create",
            "dp-2",
            "--region",
            "acme-private-eu",
        ],
    )
    .await;
    let secret = created["clientSecret"].as_str().unwrap().to_owned();
    assert!(!secret.is_empty());
    assert!(
        created["clientId"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    let id = created["dataplaneId"].as_str().unwrap().to_owned();
    for args in [
        vec!["dataplanes", "list"],
        vec!["dataplanes", "get", &id],
        vec!["dataplanes", "get", "dp-2"],
    ] {
        let run = airbyte(&server, &args).await;
        run.code(0);
        assert!(run.stdout.contains("dp-2"), "{args:?}: {}", run.stdout);
        assert!(!run.stdout.contains(&secret), "{args:?}: {}", run.stdout);
    }
    let table = plain(
        &server,
        &["dataplanes", "create", "dp-3", "--region", REGION_ID],
    )
    .await;
    table.code(0).says("not shown again");
    assert!(table.stdout.contains("CLIENT SECRET"), "{}", table.stdout);
    let updated = ok(
        &server,
        &[
            "dataplanes",
            "update",
            "dp-2",
            "--name",
            "dp-2-delete-me",
            "--disable",
        ],
    )
    .await;
    assert_eq!(updated["enabled"], false);
    refused_alike(
        &server,
        &["--yes", "dataplanes", "delete", "dp-3"],
        5,
        "safe mode",
    )
    .await;
    let preview = ok(
        &server,
        &["dataplanes", "delete", "dp-2-delete-me", "--dry-run"],
    )
    .await;
    assert_eq!(preview["changes"][0]["name"], "dp-2-delete-me");
    airbyte(&server, &["dataplanes", "delete", "dp-2-delete-me"])
        .await
        .code(5)
        .says("--yes");
    ok(
        &server,
        &["--yes", "dataplanes", "delete", "dp-2-delete-me"],
    )
    .await;
    ok(
        &server,
        &["--yes", "dataplanes", "delete", "dp-3", "--no-safe-mode"],
    )
    .await;
    assert_eq!(
        names(&ok(&server, &["dataplanes", "list"]).await),
        ["acme-dp-eu-1"]
    );
    // With its last data plane gone, the region goes too.
    ok(
        &server,
        &[
            "--yes",
            "dataplanes",
            "delete",
            DATAPLANE_ID,
            "--no-safe-mode",
        ],
    )
    .await;
    ok(
        &server,
        &[
            "--yes",
            "regions",
            "delete",
            "acme-private-eu",
            "--no-safe-mode",
        ],
    )
    .await;
    assert!(
        ok(&server, &["dataplanes", "list"])
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
}
