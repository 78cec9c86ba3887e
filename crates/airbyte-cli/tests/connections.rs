//! `connections`.

mod support;

use support::*;

async fn create(server: &MockServer, name: &str) -> String {
    let connection = ok(
        server,
        &[
            "connections",
            "create",
            "--source",
            FAKER_SOURCE_ID,
            "--destination",
            DEV_NULL_DESTINATION_ID,
            "--name",
            name,
            "--streams",
            "users,products",
        ],
    )
    .await;
    connection["connectionId"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_is_created_between_named_resources() {
    let server = mock().await;
    let connection = ok(
        &server,
        &[
            "connections",
            "create",
            "--source",
            "Faker demo",
            "--destination",
            "Black hole",
            "--name",
            "cli conn (delete-me)",
            "--streams",
            "users,products",
            "--prefix",
            "cli_",
            "--cron",
            "0 0 6 * * ?",
        ],
    )
    .await;
    assert_eq!(connection["sourceId"], FAKER_SOURCE_ID);
    assert_eq!(connection["destinationId"], DEV_NULL_DESTINATION_ID);
    assert_eq!(connection["schedule"]["cronExpression"], "0 0 6 * * ? UTC");
    assert_eq!(connection["prefix"], "cli_");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_lists_are_trimmed() {
    // B12.
    let server = mock().await;
    let id = create(&server, "trim").await;
    let updated = ok(
        &server,
        &["connections", "set-streams", &id, "users, purchases"],
    )
    .await;
    let names: Vec<&str> = updated["configurations"]["streams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|stream| stream["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["users", "purchases"]);
    let created = ok(
        &server,
        &[
            "connections",
            "create",
            "--source",
            FAKER_SOURCE_ID,
            "--destination",
            DEV_NULL_DESTINATION_ID,
            "--streams",
            " users , products",
        ],
    )
    .await;
    assert_eq!(created["configurations"]["streams"][1]["name"], "products");
    airbyte(
        &server,
        &["connections", "set-streams", &id, "users,,products"],
    )
    .await
    .code(2)
    .says("empty stream name");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_stream_is_refused_with_the_valid_names() {
    let server = mock().await;
    let id = create(&server, "streams").await;
    let run = airbyte(
        &server,
        &["connections", "set-streams", &id, "users,customerz"],
    )
    .await;
    run.code(2)
        .says("\"customerz\"")
        .says("users, products, purchases");
    let create = airbyte(
        &server,
        &[
            "connections",
            "create",
            "--source",
            FAKER_SOURCE_ID,
            "--destination",
            DEV_NULL_DESTINATION_ID,
            "--streams",
            "nope",
        ],
    )
    .await;
    create.code(2).says("its streams are: users");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tables_show_names_schedules_and_streams() {
    let server = mock().await;
    let list = plain(&server, &["connections", "list"]).await;
    list.code(0);
    let header = list.stdout.lines().next().unwrap();
    for column in [
        "NAME",
        "STATUS",
        "SOURCE",
        "DESTINATION",
        "SCHEDULE",
        "CREATED",
    ] {
        assert!(header.contains(column), "{header}");
    }
    let row = list.line(FAKER_CONNECTION_ID);
    assert!(
        row.contains("Faker demo") && row.contains("Warehouse"),
        "{row}"
    );
    assert!(row.contains("cron 0 0 12 * * ? UTC"), "{row}");
    let detail = plain(&server, &["connections", "get", FAKER_CONNECTION_ID]).await;
    detail.code(0);
    assert!(
        detail
            .stdout
            .contains(&format!("Faker demo ({FAKER_SOURCE_ID})")),
        "{}",
        detail.stdout
    );
    let streams = detail.line("STREAMS");
    assert!(
        streams.contains("users (incremental_deduped_history)"),
        "{streams}"
    );
    assert!(
        detail
            .stdout
            .lines()
            .any(|line| line.starts_with("PREFIX") && line.contains("faker_"))
    );
    // Local time with its zone, and the age.
    let created = detail.line("CREATED");
    assert!(created.contains(" ago)"), "{created}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn times_are_shown_in_the_local_zone() {
    let server = mock().await;
    let env = env_for(&server);
    let mut with_zone = pairs(&env);
    with_zone.push(("TZ", "Asia/Tokyo"));
    let tokyo = run_with_env(&["connections", "get", FAKER_CONNECTION_ID], &with_zone).await;
    tokyo.code(0);
    let line = tokyo.line("CREATED").to_owned();
    assert!(line.contains("JST"), "{line}");
    with_zone.pop();
    with_zone.push(("TZ", "UTC"));
    let utc = run_with_env(&["connections", "get", FAKER_CONNECTION_ID], &with_zone).await;
    let utc_line = utc.line("CREATED");
    assert!(utc_line.contains("UTC"), "{utc_line}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_filter_by_status_source_destination_and_limit() {
    let server = mock().await;
    let id = create(&server, "filtered").await;
    ok(&server, &["connections", "disable", &id]).await;
    let inactive = ok(&server, &["connections", "list", "--status", "inactive"]).await;
    assert_eq!(inactive.as_array().unwrap().len(), 1);
    assert_eq!(inactive[0]["connectionId"], id.as_str());
    let by_destination = ok(
        &server,
        &["connections", "list", "--destination", "Black hole"],
    )
    .await;
    assert!(
        by_destination
            .as_array()
            .unwrap()
            .iter()
            .all(|connection| connection["destinationId"] == DEV_NULL_DESTINATION_ID)
    );
    let by_source = ok(&server, &["connections", "list", "--source", "Faker demo"]).await;
    assert!(
        by_source
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["connectionId"] == FAKER_CONNECTION_ID)
    );
    assert!(
        by_source
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["sourceId"] == FAKER_SOURCE_ID)
    );
    let limited = ok(&server, &["connections", "list", "--limit", "1"]).await;
    assert_eq!(limited.as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_change_by_name_and_preview_with_dry_run() {
    let server = mock().await;
    create(&server, "settings").await;
    ok(
        &server,
        &["connections", "rename", "settings", "settings 2"],
    )
    .await;
    assert_eq!(
        ok(&server, &["connections", "set-prefix", "settings 2", "p_"]).await["prefix"],
        "p_"
    );
    assert_eq!(
        ok(
            &server,
            &["connections", "set-schedule", "settings 2", "--manual"]
        )
        .await["schedule"]["scheduleType"],
        "manual"
    );
    airbyte(
        &server,
        &[
            "connections",
            "set-schedule",
            "settings 2",
            "--cron",
            "0 12 * * *",
        ],
    )
    .await
    .code(2)
    .says("Quartz");
    assert_eq!(
        ok(&server, &["connections", "disable", "settings 2"]).await["status"],
        "inactive"
    );
    let preview = ok(
        &server,
        &["connections", "enable", "settings 2", "--dry-run"],
    )
    .await;
    assert_eq!(preview["changes"][0]["detail"], "status inactive -> active");
    assert_eq!(
        ok(&server, &["connections", "get", "settings 2"]).await["status"],
        "inactive"
    );
    assert_eq!(
        ok(&server, &["connections", "enable", "settings 2"]).await["status"],
        "active"
    );
    for args in [
        vec!["connections", "rename", "settings 2", "x", "--dry-run"],
        vec!["connections", "set-prefix", "settings 2", "q_", "--dry-run"],
        vec![
            "connections",
            "set-streams",
            "settings 2",
            "users",
            "--dry-run",
        ],
        vec![
            "connections",
            "set-schedule",
            "settings 2",
            "--cron",
            "0 0 1 * * ?",
            "--dry-run",
        ],
    ] {
        assert_eq!(ok(&server, &args).await["dryRun"], true, "{args:?}");
    }
    let unchanged = ok(&server, &["connections", "get", "settings 2"]).await;
    assert_eq!(unchanged["prefix"], "p_");
    assert_eq!(
        unchanged["configurations"]["streams"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn if_not_exists_returns_the_existing_connection() {
    let server = mock().await;
    let id = create(&server, "once").await;
    let args = [
        "connections",
        "create",
        "--source",
        "Faker demo",
        "--destination",
        "Black hole",
        "--name",
        "once",
        "--if-not-exists",
    ];
    let again = airbyte(&server, &args).await;
    again.code(0).says("already exists");
    assert_eq!(again.json()["connectionId"], id.as_str());
    airbyte(
        &server,
        &[
            "connections",
            "create",
            "--source",
            "Faker demo",
            "--destination",
            "Warehouse",
            "--name",
            "once",
            "--if-not-exists",
        ],
    )
    .await
    .code(2)
    .says("another source and destination");
    airbyte(
        &server,
        &[
            "connections",
            "create",
            "--source",
            "Faker demo",
            "--destination",
            "Warehouse",
            "--if-not-exists",
        ],
    )
    .await
    .code(2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cascading_delete_lists_everything_it_deletes() {
    let server = mock().await;
    let source = created(
        &server,
        &[
            "sources",
            "create",
            "--name",
            "s (delete-me)",
            "--type",
            "faker",
            "--config",
            "{}",
        ],
        "sourceId",
    )
    .await;
    let destination = created(
        &server,
        &[
            "destinations",
            "create",
            "--name",
            "d (delete-me)",
            "--type",
            "dev-null",
            "--config",
            "{}",
        ],
        "destinationId",
    )
    .await;
    let id = created(
        &server,
        &[
            "connections",
            "create",
            "--source",
            &source,
            "--destination",
            &destination,
            "--name",
            "c (delete-me)",
        ],
        "connectionId",
    )
    .await;
    let refused = airbyte(&server, &["connections", "delete", &id, "--cascade"]).await;
    refused.code(5).says(&id).says(&source).says(&destination);
    let preview = ok(
        &server,
        &["connections", "delete", &id, "--cascade", "--dry-run"],
    )
    .await;
    let kinds: Vec<&str> = preview["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| change["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["connection", "source", "destination"]);
    ok(&server, &["connections", "get", &id]).await;
    ok(
        &server,
        &["--yes", "connections", "delete", &id, "--cascade"],
    )
    .await;
    airbyte(&server, &["connections", "get", &id]).await.code(6);
    airbyte(&server, &["sources", "get", &source]).await.code(6);
    airbyte(
        &server,
        &["--yes", "connections", "delete", &id, "--ignore-not-found"],
    )
    .await
    .code(0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn safe_mode_is_checked_for_cascaded_resources_before_anything_is_deleted() {
    let server = mock().await;
    let id = created(
        &server,
        &[
            "connections",
            "create",
            "--source",
            FAKER_SOURCE_ID,
            "--destination",
            DEV_NULL_DESTINATION_ID,
            "--name",
            "c (delete-me)",
        ],
        "connectionId",
    )
    .await;
    airbyte(
        &server,
        &["--yes", "connections", "delete", &id, "--cascade"],
    )
    .await
    .code(5)
    .says("Faker demo");
    ok(&server, &["connections", "get", &id]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_refuses_a_blank_name_like_the_real_command() {
    let server = mock().await;
    refused_alike(
        &server,
        &["connections", "rename", FAKER_CONNECTION_ID, "  "],
        2,
        "name must not be empty",
    )
    .await;
    refused_alike(
        &server,
        &[
            "connections",
            "create",
            "--source",
            FAKER_SOURCE_ID,
            "--destination",
            DEV_NULL_DESTINATION_ID,
            "--name",
            "",
        ],
        2,
        "name must not be empty",
    )
    .await;
    assert_unchanged(&server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upper_case_ids_work_like_lower_case_ones() {
    // `connections list --source <UPPER-CASE ID>` listed nothing: the ID was compared as typed
    // with the server's lower-case one.
    let server = mock().await;
    let upper = |id: &str| id.to_ascii_uppercase();
    let listed = ok(
        &server,
        &[
            "--workspace-id",
            &upper(PRODUCTION_WORKSPACE_ID),
            "connections",
            "list",
            "--source",
            &upper(FAKER_SOURCE_ID),
        ],
    )
    .await;
    let ids: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|connection| connection["connectionId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [FAKER_CONNECTION_ID]);
    let connection = ok(
        &server,
        &["connections", "get", &upper(FAKER_CONNECTION_ID)],
    )
    .await;
    assert_eq!(connection["connectionId"], FAKER_CONNECTION_ID);
    let definition = ok(
        &server,
        &["definitions", "get", &upper(DOCKER_DEFINITION_ID)],
    )
    .await;
    assert_eq!(definition["id"], DOCKER_DEFINITION_ID);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn if_not_exists_with_two_of_the_name_says_so() {
    // It said the connection was "between another source and destination" when two
    // connections of the name joined the very same ones.
    let server = mock().await;
    let first = create(&server, "twin").await;
    let second = create(&server, "twin").await;
    let again = [
        "connections",
        "create",
        "--source",
        FAKER_SOURCE_ID,
        "--destination",
        DEV_NULL_DESTINATION_ID,
        "--name",
        "twin",
        "--if-not-exists",
    ];
    let run = airbyte(&server, &again).await;
    run.code(2).says("2 connections are named \"twin\"");
    assert!(
        run.stderr.contains(&first) && run.stderr.contains(&second),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("another source"), "{}", run.stderr);
}

/// The connection that a cascade of another one must not take with it (issue 11).
const IMPORTANT: &str = "IMPORTANT production pipeline";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cascade_refuses_to_take_a_connection_sharing_the_source_with_it() {
    // Issue 11: `--yes connections delete <temp> --cascade` exited 0, and the server deleted
    // "IMPORTANT production pipeline" with the shared source and destination.
    let server = mock().await;
    let pipeline = shared(&server, &["temp (delete-me)", IMPORTANT]).await;
    let (temp, important) = (&pipeline.connections[0], &pipeline.connections[1]);
    airbyte(
        &server,
        &["--yes", "connections", "delete", temp, "--cascade"],
    )
    .await
    .code(5)
    .says(IMPORTANT)
    .says(important)
    .says("--with-dependents");
    all_exist(&server, "connections", &[temp, important]).await;
    all_exist(&server, "sources", &[&pipeline.source]).await;
    all_exist(&server, "destinations", &[&pipeline.destination]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn safe_mode_covers_the_dependents_a_cascade_deletes() {
    let server = mock().await;
    let pipeline = shared(&server, &["temp (delete-me)", IMPORTANT]).await;
    let temp = &pipeline.connections[0];
    airbyte(
        &server,
        &[
            "--yes",
            "connections",
            "delete",
            temp,
            "--cascade",
            "--with-dependents",
        ],
    )
    .await
    .code(5)
    .says("safe mode")
    .says(IMPORTANT);
    let ids: Vec<&str> = pipeline.connections.iter().map(String::as_str).collect();
    all_exist(&server, "connections", &ids).await;
    all_exist(&server, "sources", &[&pipeline.source]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cascade_dry_run_names_the_connections_the_server_would_delete() {
    let server = mock().await;
    let pipeline = shared(&server, &["temp (delete-me)", "other (delete-me)"]).await;
    let (temp, other) = (&pipeline.connections[0], &pipeline.connections[1]);
    // Without the flag, the dry run refuses like the delete would, naming the other one.
    refused_alike(
        &server,
        &["connections", "delete", temp, "--cascade"],
        5,
        other,
    )
    .await;
    let dry_run = [
        "connections",
        "delete",
        temp.as_str(),
        "--cascade",
        "--with-dependents",
        "--dry-run",
    ];
    let preview = ok(&server, &dry_run).await;
    let connection = |id: &String| ("connection".to_owned(), id.clone());
    assert_eq!(
        resources(&preview, "changes"),
        [
            connection(other),
            connection(temp),
            ("source".to_owned(), pipeline.source.clone()),
            ("destination".to_owned(), pipeline.destination.clone()),
        ]
    );
    let dependent = &preview["changes"][0];
    assert_eq!(dependent["reason"], "dependent");
    assert_eq!(dependent["name"], "other (delete-me)");
    assert_eq!(dependent["dependsOn"]["id"], pipeline.source.as_str());
    assert_eq!(preview["changes"][2]["reason"], "cascade");
    let table = plain(&server, &dry_run).await;
    table.code(0);
    table.prints(&format!(
        "delete connection \"other (delete-me)\" ({other})"
    ));
    let ids: Vec<&str> = pipeline.connections.iter().map(String::as_str).collect();
    all_exist(&server, "connections", &ids).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_dependents_a_cascade_deletes_and_lists_everything() {
    let server = mock().await;
    let pipeline = shared(&server, &["temp (delete-me)", "other (delete-me)"]).await;
    let (temp, other) = (&pipeline.connections[0], &pipeline.connections[1]);
    let run = airbyte(
        &server,
        &[
            "--yes",
            "connections",
            "delete",
            temp,
            "--cascade",
            "--with-dependents",
        ],
    )
    .await;
    run.code(0)
        .says(&format!(
            "deleted connection \"other (delete-me)\" ({other})"
        ))
        .says(&format!(
            "deleted source \"shared (delete-me)\" ({})",
            pipeline.source
        ));
    let deleted = resources(&run.json(), "deleted");
    assert_eq!(deleted.len(), 4, "{deleted:?}");
    none_exist(&server, "connections", &[temp, other]).await;
    none_exist(&server, "sources", &[&pipeline.source]).await;
    none_exist(&server, "destinations", &[&pipeline.destination]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rename_through_another_workspace_changes_nothing() {
    // Issue 11: with the workspace set to Staging, a Production rename exited 1 ("belongs to
    // workspace"), yet Production showed the new name.
    let server = mock().await;
    airbyte(
        &server,
        &[
            "--workspace-id",
            STAGING_WORKSPACE_ID,
            "connections",
            "rename",
            FAKER_CONNECTION_ID,
            "renamed from staging",
        ],
    )
    .await
    .code(2)
    .says("belongs to workspace");
    let connection = ok(&server, &["connections", "get", FAKER_CONNECTION_ID]).await;
    assert_eq!(connection["name"], "Faker → Warehouse");
}
