//! `sources` and `destinations`.

mod support;

use support::*;

async fn create_source(server: &MockServer, name: &str) -> String {
    let created = ok(
        server,
        &[
            "sources", "create", "--name", name, "--type", "faker", "--config", "count: 5",
        ],
    )
    .await;
    created["sourceId"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_is_created_read_renamed_updated_and_checked() {
    let server = mock().await;
    let created = ok(
        &server,
        &[
            "sources",
            "create",
            "--name",
            "cli src (delete-me)",
            "--type",
            "faker",
            "--config",
            "count: 5\napi_key: k-12345",
        ],
    )
    .await;
    let id = created["sourceId"].as_str().unwrap().to_owned();
    assert_eq!(created["configuration"]["api_key"], "**********");
    assert_eq!(
        ok(&server, &["sources", "get", &id]).await["name"],
        "cli src (delete-me)"
    );
    ok(
        &server,
        &["sources", "rename", &id, "cli src 2 (delete-me)"],
    )
    .await;
    let updated = ok(
        &server,
        &[
            "sources",
            "update-config",
            &id,
            "--config",
            r#"{"count": 9}"#,
        ],
    )
    .await;
    assert_eq!(updated["configuration"]["count"], 9);
    assert_eq!(
        ok(&server, &["sources", "check", &id]).await["success"],
        true
    );
    let failed_check = airbyte(&server, &["sources", "check", FAILING_CHECK_SOURCE_ID]).await;
    // Not 1 (an API or network error): a script can tell a failed check from an outage.
    failed_check.code(3);
    assert_eq!(failed_check.json()["success"], false);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_source_of_the_same_name_is_refused_unless_allowed() {
    let server = mock().await;
    create_source(&server, "twice").await;
    let args = [
        "sources", "create", "--name", "twice", "--type", "faker", "--config", "{}",
    ];
    airbyte(&server, &args).await.code(1).says("already exists");
    let mut allowed = args.to_vec();
    allowed.push("--allow-duplicate");
    ok(&server, &allowed).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rename_to_a_taken_name_is_refused_unless_allowed() {
    // Create refused a second "twice", but a rename made one silently, and from then on the
    // name (which scripts use in place of the ID) was ambiguous.
    let server = mock().await;
    let first = create_source(&server, "first").await;
    create_source(&server, "twice").await;
    let args = ["sources", "rename", "first", "twice"];
    refused_alike(&server, &args, 1, "already exists").await;
    assert_eq!(
        ok(&server, &["sources", "get", &first]).await["name"],
        "first"
    );
    assert_unchanged_since_creates(&server);
    // Its own name is not taken by another; --allow-duplicate allows the second.
    ok(&server, &["sources", "rename", "first", "first"]).await;
    let mut allowed = args.to_vec();
    allowed.push("--allow-duplicate");
    ok(&server, &allowed).await;
    let listed = ok(&server, &["sources", "list", "--name", "twice"]).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
}

/// Asserts that no PATCH reached the server (the creates of the test's setup aside).
fn assert_unchanged_since_creates(server: &MockServer) {
    let patches: Vec<_> = server
        .journal()
        .into_iter()
        .filter(|entry| entry.method == "PATCH")
        .map(|entry| entry.path)
        .collect();
    assert!(patches.is_empty(), "changed: {patches:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn if_not_exists_returns_the_existing_source() {
    let server = mock().await;
    let id = create_source(&server, "kept").await;
    let args = [
        "sources",
        "create",
        "--name",
        "kept",
        "--type",
        "source-faker",
        "--config",
        "{}",
        "--if-not-exists",
    ];
    let again = airbyte(&server, &args).await;
    again.code(0).says("already exists");
    assert_eq!(again.json()["sourceId"], id.as_str());
    let listed = ok(&server, &["sources", "list", "--name", "kept"]).await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "nothing was created");
    // Another type under the same name is a conflict, not a match.
    airbyte(
        &server,
        &[
            "sources",
            "create",
            "--name",
            "kept",
            "--type",
            "postgres",
            "--config",
            "{}",
            "--if-not-exists",
        ],
    )
    .await
    .code(2)
    .says("with type faker");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn type_and_definition_together_are_refused() {
    // B11.
    let server = mock().await;
    let run = airbyte(
        &server,
        &[
            "sources",
            "create",
            "--name",
            "x",
            "--type",
            "postgres",
            "--definition-id",
            FAKER_DEFINITION_ID,
            "--config",
            "{}",
        ],
    )
    .await;
    run.code(2).says("cannot be used with");
    assert!(
        ok(&server, &["sources", "list", "--name", "x"])
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_configuration_file_is_said_to_be_missing() {
    // B16.
    let server = mock().await;
    for config in ["missing.yaml", "@missing.json"] {
        airbyte(
            &server,
            &[
                "sources", "create", "--name", "x", "--type", "faker", "--config", config,
            ],
        )
        .await
        .code(2)
        .says("does not exist");
    }
    let home = home();
    let path = file(home.path(), "conf.yaml", "count: 3\n");
    let created = ok(
        &server,
        &[
            "sources",
            "create",
            "--name",
            "from file",
            "--type",
            "faker",
            "--config",
            &path,
        ],
    )
    .await;
    assert_eq!(created["configuration"]["count"], 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_directory_or_a_broken_file_is_named_as_such() {
    // `--config /some/dir` said the file did not exist; a broken file's error did not name it.
    let server = mock().await;
    let home = home();
    let dir = home.path().to_str().unwrap().to_owned();
    let broken = file(home.path(), "broken.yaml", "count: [\n");
    let create = |config: &str| {
        vec![
            "sources".to_owned(),
            "create".to_owned(),
            "--name".to_owned(),
            "x".to_owned(),
            "--type".to_owned(),
            "faker".to_owned(),
            "--config".to_owned(),
            config.to_owned(),
        ]
    };
    for (config, says) in [
        (dir.clone(), format!("{dir} is a directory")),
        (format!("@{dir}"), format!("{dir} is a directory")),
        ("@".to_owned(), "give a path after @".to_owned()),
        (broken.clone(), format!("file {broken} is not valid")),
        (format!("@{broken}"), format!("file {broken} is not valid")),
    ] {
        let args = create(&config);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        airbyte(&server, &args).await.code(2).says(&says);
    }
    assert!(server.journal().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_configuration_must_be_an_object() {
    let server = mock().await;
    airbyte(
        &server,
        &[
            "sources", "create", "--name", "x", "--type", "faker", "--config", "[1]",
        ],
    )
    .await
    .code(2)
    .says("must be a JSON or YAML object");
    airbyte(
        &server,
        &[
            "sources",
            "create",
            "--name",
            "x",
            "--type",
            "faker",
            "--config",
            "{unclosed",
        ],
    )
    .await
    .code(2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sources_are_named_by_exact_name() {
    let server = mock().await;
    let shown = ok(&server, &["sources", "get", "Faker demo"]).await;
    assert_eq!(shown["sourceId"], FAKER_SOURCE_ID);
    assert_eq!(
        ok(&server, &["sources", "check", "Faker demo"]).await["success"],
        true
    );
    airbyte(&server, &["sources", "get", "No such source"])
        .await
        .code(6)
        .says("source \"No such source\" does not exist");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ambiguous_name_lists_the_matches() {
    let server = mock().await;
    let first = create_source(&server, "twin").await;
    let second = created(
        &server,
        &[
            "sources",
            "create",
            "--name",
            "twin",
            "--type",
            "faker",
            "--config",
            "{}",
            "--allow-duplicate",
        ],
        "sourceId",
    )
    .await;
    airbyte(&server, &["sources", "get", "twin"])
        .await
        .code(2)
        .says(&first)
        .says(&second)
        .says("give an ID");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_source_has_its_own_exit_code() {
    let server = mock().await;
    let missing = "00000000-0000-4000-8000-000000000000";
    for args in [
        vec!["sources", "get", missing],
        vec!["sources", "rename", missing, "x"],
        vec!["sources", "check", missing],
        vec!["--yes", "sources", "delete", missing],
        vec!["destinations", "get", missing],
    ] {
        airbyte(&server, &args)
            .await
            .code(6)
            .says(&format!("{missing} does not exist"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_filter_by_type_and_limit() {
    let server = mock().await;
    let fakers = ok(&server, &["sources", "list", "--type", "faker"]).await;
    assert!(!fakers.as_array().unwrap().is_empty());
    assert!(
        fakers
            .as_array()
            .unwrap()
            .iter()
            .all(|source| source["sourceType"] == "faker")
    );
    let one = ok(&server, &["sources", "list", "--limit", "1"]).await;
    assert_eq!(one.as_array().unwrap().len(), 1);
    let destinations = ok(&server, &["destinations", "list", "--type", "dev-null"]).await;
    assert_eq!(destinations[0]["destinationId"], DEV_NULL_DESTINATION_ID);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deletes_need_confirmation_and_respect_safe_mode() {
    let server = mock().await;
    let id = create_source(&server, "cli src (delete-me)").await;
    let unconfirmed = airbyte(&server, &["sources", "delete", &id]).await;
    unconfirmed
        .code(5)
        .says("--yes")
        .says(&id)
        .says("delete source \"cli src (delete-me)\"");
    let refused = airbyte(&server, &["--yes", "sources", "delete", FAKER_SOURCE_ID]).await;
    refused.code(5).says("delete-me");
    ok(&server, &["--yes", "sources", "delete", &id]).await;
    airbyte(&server, &["sources", "get", &id]).await.code(6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_delete_deletes_nothing() {
    let server = mock().await;
    let id = create_source(&server, "dry (delete-me)").await;
    let preview = ok(&server, &["sources", "delete", &id, "--dry-run"]).await;
    assert_eq!(preview["dryRun"], true);
    assert_eq!(preview["changes"][0]["action"], "delete");
    assert_eq!(preview["changes"][0]["id"], id.as_str());
    ok(&server, &["sources", "get", &id]).await;
    // Safe mode refuses even a dry run: it says what would happen.
    airbyte(
        &server,
        &["sources", "delete", FAKER_SOURCE_ID, "--dry-run"],
    )
    .await
    .code(5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_create_shows_the_request_without_secrets() {
    let server = mock().await;
    let preview = airbyte(
        &server,
        &[
            "sources",
            "create",
            "--name",
            "new one",
            "--type",
            "faker",
            "--config",
            "password: hunter2-secret\ncount: 1",
            "--dry-run",
        ],
    )
    .await;
    preview.code(0);
    preview.never_prints("hunter2-secret");
    let plan = preview.json();
    assert_eq!(plan["changes"][0]["action"], "create");
    assert_eq!(plan["changes"][0]["request"]["configuration"]["count"], 1);
    assert!(
        ok(&server, &["sources", "list", "--name", "new one"])
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    let renamed = plain(
        &server,
        &["sources", "rename", "Faker demo", "Other", "--dry-run"],
    )
    .await;
    renamed.code(0);
    renamed.prints("dry run");
    renamed.prints("\"Faker demo\" -> \"Other\"");
    assert_eq!(
        ok(&server, &["sources", "get", FAKER_SOURCE_ID]).await["name"],
        "Faker demo"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_refuses_what_the_real_command_refuses() {
    // `sources create --name "" ... --dry-run` said it would create a source; the real
    // command refused the name.
    let server = mock().await;
    let create = |name: &'static str, kind: &'static str| {
        vec![
            "sources", "create", "--name", name, "--type", kind, "--config", "{}",
        ]
    };
    refused_alike(&server, &create("", "faker"), 2, "name must not be empty").await;
    refused_alike(
        &server,
        &create("   ", "faker"),
        2,
        "name must not be empty",
    )
    .await;
    refused_alike(&server, &create("x", " "), 2, "type must not be empty").await;
    refused_alike(&server, &create("Faker demo", "faker"), 1, "already exists").await;
    refused_alike(
        &server,
        &["sources", "rename", "Faker demo", " "],
        2,
        "name must not be empty",
    )
    .await;
    refused_alike(
        &server,
        &["destinations", "rename", "Warehouse", ""],
        2,
        "name must not be empty",
    )
    .await;
    assert_unchanged(&server);
    let allowed = ok(
        &server,
        &[
            "sources",
            "create",
            "--name",
            "Faker demo",
            "--type",
            "faker",
            "--config",
            "{}",
            "--allow-duplicate",
            "--dry-run",
        ],
    )
    .await;
    assert_eq!(allowed["dryRun"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ignore_not_found_makes_deletes_idempotent() {
    let server = mock().await;
    let missing = "00000000-0000-4000-8000-000000000000";
    airbyte(
        &server,
        &["--yes", "sources", "delete", missing, "--ignore-not-found"],
    )
    .await
    .code(0)
    .says("nothing to delete");
    airbyte(
        &server,
        &[
            "--yes",
            "destinations",
            "delete",
            "gone",
            "--ignore-not-found",
        ],
    )
    .await
    .code(0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_lists_its_streams() {
    let server = mock().await;
    let streams = ok(&server, &["sources", "streams", "Faker demo"]).await;
    let names: Vec<&str> = streams
        .as_array()
        .unwrap()
        .iter()
        .map(|stream| stream["streamName"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"users"), "{names:?}");
    assert!(streams[0]["syncModes"].as_array().is_some());
    let table = plain(
        &server,
        &[
            "sources",
            "streams",
            FAKER_SOURCE_ID,
            "--destination",
            "Black hole",
        ],
    )
    .await;
    table.code(0);
    assert!(table.stdout.starts_with("STREAM"), "{}", table.stdout);
    assert!(table.stdout.contains("users"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_from_the_server_cannot_drive_the_terminal() {
    // F7: a name with escapes and a newline is shown escaped in tables.
    let server = mock().await;
    let evil = "evil\u{1b}]0;owned\u{7}\nforged-row\u{1b}[31m";
    ok(
        &server,
        &[
            "sources", "create", "--name", evil, "--type", "faker", "--config", "{}",
        ],
    )
    .await;
    let table = plain(&server, &["sources", "list"]).await;
    table.code(0);
    assert!(!table.stdout.contains('\u{1b}'), "{:?}", table.stdout);
    assert!(!table.stdout.contains('\u{7}'));
    table.prints("evil\\x1b]0;owned\\x07\\nforged-row");
    assert!(
        !table
            .stdout
            .lines()
            .any(|line| line.starts_with("forged-row"))
    );
    // JSON keeps the exact text, escaped by JSON itself.
    let json = ok(&server, &["sources", "list", "--name", evil]).await;
    assert_eq!(json[0]["name"], evil);
    // Messages on stderr are escaped too.
    let refused = plain(&server, &["sources", "delete", evil]).await;
    assert!(!refused.stderr.contains('\u{1b}'), "{:?}", refused.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn destinations_are_created_and_listed() {
    let server = mock().await;
    let destination = ok(
        &server,
        &[
            "destinations",
            "create",
            "--name",
            "cli dst",
            "--type",
            "dev-null",
            "--config",
            "{}",
        ],
    )
    .await;
    assert_eq!(destination["destinationType"], "dev-null");
    let listed = ok(&server, &["destinations", "list"]).await;
    assert_eq!(listed.as_array().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_id_of_another_workspace_is_bad_input() {
    // It exited 1, the code of API and network errors, which a script may retry.
    let server = mock().await;
    for args in [
        vec!["sources", "get", FAKER_SOURCE_ID],
        vec!["sources", "rename", FAKER_SOURCE_ID, "x", "--dry-run"],
        vec!["connections", "get", FAKER_CONNECTION_ID],
        vec!["sync", FAKER_CONNECTION_ID, "--no-wait"],
    ] {
        let mut full = vec!["--workspace-id", STAGING_WORKSPACE_ID];
        full.extend(args);
        airbyte(&server, &full)
            .await
            .code(2)
            .says("belongs to workspace");
    }
    assert_unchanged(&server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_from_the_server_cannot_drive_the_terminal() {
    // F7 for IDs: a hostile server's IDs went raw into "2 sources are named ...: ID, ID".
    let dir = home();
    let source = |id: &str| {
        json!({
            "sourceId": id, "name": "dup", "sourceType": "faker",
            "definitionId": FAKER_DEFINITION_ID, "workspaceId": PRODUCTION_WORKSPACE_ID,
            "configuration": {}, "createdAt": 1,
        })
    };
    let fixture = json!({
        "description": "two sources of one name, with control characters in their IDs",
        "interactions": [{
            "request": {"method": "GET", "path": "/api/public/v1/sources"},
            "response": {"status": 200, "body": {"data": [
                source("a\u{1b}]0;owned\u{7}"),
                source("b\u{1b}[2J"),
            ]}},
        }],
    });
    file(dir.path(), "sources.json", &fixture.to_string());
    let server = MockServer::start(MockConfig {
        fixtures_dir: Some(dir.path().to_owned()),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    for args in [
        &["sources", "get", "dup"][..],
        &["sources", "delete", "dup", "--ignore-not-found"],
        &["connections", "list", "--source", "dup"],
    ] {
        let run = plain(&server, args).await;
        run.code(2).says("a\\x1b]0;owned\\x07, b\\x1b[2J");
        assert!(!run.stderr.contains('\u{1b}'), "{}", run.stderr);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_configuration_change_is_refused() {
    // `update-config X --config '{}'` sent a PATCH that changed nothing, and its dry run
    // listed "configuration keys " (none).
    let server = mock().await;
    refused_alike(
        &server,
        &["sources", "update-config", "Faker demo", "--config", "{}"],
        2,
        "changes no key",
    )
    .await;
    assert_unchanged(&server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invisible_characters_in_names_are_shown() {
    // "Faker demo" and "Faker demo" + a zero-width space looked the same in tables.
    let server = mock().await;
    let lookalike = "Faker demo\u{200b}";
    create_source(&server, lookalike).await;
    let table = plain(&server, &["sources", "list"]).await;
    table.code(0);
    table.prints("Faker demo\\u{200b}");
    assert!(!table.stdout.contains('\u{200b}'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_source_with_connections_is_kept_and_they_are_named() {
    // Issue 11: `sources delete <id> --yes` removed three connections without naming them.
    let server = mock().await;
    let pipeline = shared(&server, &["one", "two", "three"]).await;
    let run = airbyte(&server, &["sources", "delete", &pipeline.source, "--yes"]).await;
    run.code(5).says("3 connections").says("--with-dependents");
    for (id, name) in pipeline.connections.iter().zip(["one", "two", "three"]) {
        run.says(&format!("connection \"{name}\" ({id})"));
    }
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    let ids: Vec<&str> = pipeline.connections.iter().map(String::as_str).collect();
    all_exist(&server, "connections", &ids).await;
    all_exist(&server, "sources", &[&pipeline.source]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_destination_with_connections_is_kept_too() {
    let server = mock().await;
    let pipeline = shared(&server, &["a (delete-me)"]).await;
    airbyte(
        &server,
        &["--yes", "destinations", "delete", &pipeline.destination],
    )
    .await
    .code(5)
    .says(&pipeline.connections[0]);
    all_exist(&server, "destinations", &[&pipeline.destination]).await;
    all_exist(&server, "connections", &[&pipeline.connections[0]]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_dependents_a_source_goes_with_its_connections() {
    let server = mock().await;
    let pipeline = shared(&server, &["a (delete-me)", "b (delete-me)"]).await;
    let preview = ok(
        &server,
        &[
            "sources",
            "delete",
            &pipeline.source,
            "--with-dependents",
            "--dry-run",
        ],
    )
    .await;
    let connection = |index: usize| ("connection".to_owned(), pipeline.connections[index].clone());
    let source = ("source".to_owned(), pipeline.source.clone());
    let planned = [connection(0), connection(1), source];
    assert_eq!(resources(&preview, "changes"), planned);
    let run = airbyte(
        &server,
        &[
            "--yes",
            "sources",
            "delete",
            &pipeline.source,
            "--with-dependents",
        ],
    )
    .await;
    run.code(0);
    assert_eq!(resources(&run.json(), "deleted"), planned);
    let ids: Vec<&str> = pipeline.connections.iter().map(String::as_str).collect();
    none_exist(&server, "connections", &ids).await;
    none_exist(&server, "sources", &[&pipeline.source]).await;
    all_exist(&server, "destinations", &[&pipeline.destination]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delete_that_stops_part_way_says_what_was_deleted_and_what_was_not() {
    // The server refuses the source's DELETE after its connection was deleted.
    let dir = home();
    let fixture = json!({
        "description": "the source cannot be deleted",
        "interactions": [{
            "request": {"method": "DELETE", "path": format!("/api/public/v1/sources/{FAKER_SOURCE_ID}")},
            "response": {"status": 403, "body": {"status": 403, "title": "forbidden", "detail": "not allowed"}},
        }],
    });
    file(dir.path(), "forbidden.json", &fixture.to_string());
    let server = MockServer::start(MockConfig {
        fixtures_dir: Some(dir.path().to_owned()),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let run = airbyte(
        &server,
        &[
            "--yes",
            "sources",
            "delete",
            FAKER_SOURCE_ID,
            "--with-dependents",
            "--no-safe-mode",
        ],
    )
    .await;
    run.code(1)
        .says("stopped part way")
        .says(&format!(
            "deleted:\n    connection \"Faker → Warehouse\" ({FAKER_CONNECTION_ID})"
        ))
        .says(&format!(
            "not deleted:\n    source \"Faker demo\" ({FAKER_SOURCE_ID})"
        ));
    let document = run.json();
    assert_eq!(
        resources(&document, "deleted"),
        [("connection".to_owned(), FAKER_CONNECTION_ID.to_owned())]
    );
    assert_eq!(
        resources(&document, "notDeleted"),
        [("source".to_owned(), FAKER_SOURCE_ID.to_owned())]
    );
    none_exist(&server, "connections", &[FAKER_CONNECTION_ID]).await;
    all_exist(&server, "sources", &[FAKER_SOURCE_ID]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rename_through_another_workspace_leaves_the_source_as_it_was() {
    // Issue 11: the rename was applied in Production, then reported as a failure.
    let server = mock().await;
    for kind in ["sources", "destinations"] {
        let id = if kind == "sources" {
            FAKER_SOURCE_ID
        } else {
            WAREHOUSE_DESTINATION_ID
        };
        airbyte(
            &server,
            &[
                "--workspace-id",
                STAGING_WORKSPACE_ID,
                kind,
                "rename",
                id,
                "renamed from staging",
            ],
        )
        .await
        .code(2)
        .says("belongs to workspace");
        let read = ok(&server, &[kind, "get", id]).await;
        assert_ne!(read["name"], "renamed from staging", "{kind}: {read}");
    }
    assert_eq!(
        ok(&server, &["sources", "get", FAKER_SOURCE_ID]).await["name"],
        "Faker demo"
    );
    assert_unchanged(&server);
}
