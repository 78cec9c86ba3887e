//! `definitions`.

mod support;

use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_yaml_definition_is_published_updated_and_deleted() {
    let server = mock().await;
    let home = home();
    let manifest = file(home.path(), "manifest.yaml", MANIFEST);
    let published = ok(
        &server,
        &[
            "definitions",
            "publish-yaml",
            "--name",
            "cli yaml (delete-me)",
            "--manifest",
            &manifest,
            "--testing-values",
            r#"{"k": "v"}"#,
        ],
    )
    .await;
    let id = published["id"].as_str().unwrap().to_owned();
    assert_eq!(published["version"], 1);
    assert_eq!(published["kind"], "yaml");
    assert_eq!(
        ok(
            &server,
            &[
                "definitions",
                "update-manifest",
                &id,
                "--manifest",
                &manifest
            ]
        )
        .await["version"],
        2
    );
    assert_eq!(
        ok(&server, &["definitions", "get", "cli yaml (delete-me)"]).await["id"],
        id.as_str()
    );
    ok(&server, &["--yes", "definitions", "delete", &id]).await;
    airbyte(&server, &["definitions", "get", &id]).await.code(6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_testing_values_create_nothing() {
    // B3: validated before the definition is created.
    let server = mock().await;
    let home = home();
    let manifest = file(home.path(), "manifest.yaml", MANIFEST);
    let run = airbyte(
        &server,
        &[
            "definitions",
            "publish-yaml",
            "--name",
            "n",
            "--manifest",
            &manifest,
            "--testing-values",
            "[1]",
        ],
    )
    .await;
    run.code(2)
        .says("testing values must be a JSON or YAML object");
    let listed = ok(&server, &["definitions", "list", "--name", "n"]).await;
    assert!(
        listed.as_array().unwrap().is_empty(),
        "nothing was created: {listed}"
    );
    assert!(
        server
            .journal()
            .iter()
            .all(|entry| entry.method != "POST" || entry.path.ends_with("/applications/token")),
        "nothing was created"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_definition_is_found_whatever_its_kind() {
    // B17: no --kind needed.
    let server = mock().await;
    let docker = ok(&server, &["definitions", "get", DOCKER_DEFINITION_ID]).await;
    assert_eq!(docker["kind"], "docker");
    assert_eq!(docker["name"], "Acme Internal API");
    assert_eq!(
        ok(&server, &["definitions", "get", DECLARATIVE_DEFINITION_ID]).await["kind"],
        "yaml"
    );
    assert_eq!(
        ok(&server, &["definitions", "get", "Acme Internal API"]).await["id"],
        DOCKER_DEFINITION_ID
    );
    airbyte(
        &server,
        &["definitions", "get", DOCKER_DEFINITION_ID, "--kind", "yaml"],
    )
    .await
    .code(6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn both_kinds_are_listed_unless_one_is_asked_for() {
    let server = mock().await;
    let all = ok(&server, &["definitions", "list"]).await;
    let kinds: Vec<&str> = all
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"yaml") && kinds.contains(&"docker"),
        "{kinds:?}"
    );
    let docker = ok(&server, &["definitions", "list", "--kind", "docker"]).await;
    assert!(
        docker
            .as_array()
            .unwrap()
            .iter()
            .all(|row| row["kind"] == "docker")
    );
    assert!(
        all.as_array()
            .unwrap()
            .iter()
            .all(|row| row.get("manifest").is_none()),
        "manifests stay out of lists"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_docker_definition_is_published_retagged_renamed_and_deleted() {
    let server = mock().await;
    let docker = ok(
        &server,
        &[
            "definitions",
            "publish-docker",
            "--name",
            "cli docker (delete-me)",
            "--image",
            "acme/source-cli",
            "--tag",
            "0.1.0",
        ],
    )
    .await;
    let id = docker["id"].as_str().unwrap().to_owned();
    assert_eq!(
        ok(&server, &["definitions", "update-tag", &id, "0.2.0"]).await["dockerImageTag"],
        "0.2.0"
    );
    assert_eq!(
        ok(
            &server,
            &[
                "definitions",
                "rename",
                "cli docker (delete-me)",
                "cli docker 2 (delete-me)"
            ]
        )
        .await["name"],
        "cli docker 2 (delete-me)"
    );
    airbyte(
        &server,
        &["definitions", "update-tag", DECLARATIVE_DEFINITION_ID, "1"],
    )
    .await
    .code(2)
    .says("needs a docker one");
    ok(&server, &["--yes", "definitions", "delete", &id]).await;
    airbyte(
        &server,
        &["--yes", "definitions", "delete", &id, "--ignore-not-found"],
    )
    .await
    .code(0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_twice_with_if_not_exists_keeps_one() {
    let server = mock().await;
    let args = [
        "definitions",
        "publish-docker",
        "--name",
        "once",
        "--image",
        "acme/x",
        "--tag",
        "1",
        "--if-not-exists",
    ];
    let first = ok(&server, &args).await;
    let again = airbyte(&server, &args).await;
    again.code(0).says("already exists");
    assert_eq!(again.json()["id"], first["id"]);
    airbyte(
        &server,
        &[
            "definitions",
            "publish-docker",
            "--name",
            "once",
            "--image",
            "acme/x",
            "--tag",
            "1",
        ],
    )
    .await
    .code(1)
    .says("already exists");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dry_runs_publish_and_change_nothing() {
    let server = mock().await;
    let home = home();
    let manifest = file(home.path(), "manifest.yaml", MANIFEST);
    for args in [
        vec![
            "definitions",
            "publish-yaml",
            "--name",
            "dry",
            "--manifest",
            &manifest,
            "--dry-run",
        ],
        vec![
            "definitions",
            "publish-docker",
            "--name",
            "dry",
            "--image",
            "a/b",
            "--tag",
            "1",
            "--dry-run",
        ],
        vec![
            "definitions",
            "update-tag",
            DOCKER_DEFINITION_ID,
            "9.9.9",
            "--dry-run",
        ],
        vec![
            "definitions",
            "rename",
            DOCKER_DEFINITION_ID,
            "dry",
            "--dry-run",
        ],
        vec![
            "definitions",
            "update-manifest",
            DECLARATIVE_DEFINITION_ID,
            "--manifest",
            &manifest,
            "--dry-run",
        ],
        vec![
            "definitions",
            "delete",
            DOCKER_DEFINITION_ID,
            "--no-safe-mode",
            "--with-dependents",
            "--dry-run",
        ],
    ] {
        assert_eq!(ok(&server, &args).await["dryRun"], true, "{args:?}");
    }
    let docker = ok(&server, &["definitions", "get", DOCKER_DEFINITION_ID]).await;
    assert_eq!(docker["dockerImageTag"], "1.4.0");
    assert_eq!(docker["name"], "Acme Internal API");
    assert!(
        ok(&server, &["definitions", "list", "--name", "dry"])
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_refuses_what_the_real_publish_refuses() {
    // A dry run approved an empty tag and a name already taken; the real command refused.
    let server = mock().await;
    let home = home();
    let manifest = file(home.path(), "manifest.yaml", MANIFEST);
    let docker = |name: &'static str, tag: &'static str| {
        vec![
            "definitions",
            "publish-docker",
            "--name",
            name,
            "--image",
            "acme/x",
            "--tag",
            tag,
        ]
    };
    refused_alike(&server, &docker("", "1"), 2, "name must not be empty").await;
    refused_alike(
        &server,
        &docker("new", " "),
        2,
        "image repository and a tag",
    )
    .await;
    refused_alike(
        &server,
        &docker("Acme Internal API", "1"),
        1,
        "already exists",
    )
    .await;
    refused_alike(
        &server,
        &[
            "definitions",
            "publish-yaml",
            "--name",
            "Rick and Morty (YAML)",
            "--manifest",
            &manifest,
        ],
        1,
        "already exists",
    )
    .await;
    refused_alike(
        &server,
        &["definitions", "update-tag", DOCKER_DEFINITION_ID, ""],
        2,
        "tag must not be empty",
    )
    .await;
    refused_alike(
        &server,
        &["definitions", "rename", DOCKER_DEFINITION_ID, " "],
        2,
        "name must not be empty",
    )
    .await;
    assert_unchanged(&server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_for_the_other_kind_names_the_kind() {
    // `definitions update-manifest $DOCKER_ID` said the definition did not exist (exit 6).
    let server = mock().await;
    let home = home();
    let manifest = file(home.path(), "manifest.yaml", MANIFEST);
    airbyte(
        &server,
        &[
            "definitions",
            "update-manifest",
            DOCKER_DEFINITION_ID,
            "--manifest",
            &manifest,
        ],
    )
    .await
    .code(2)
    .says("is a docker definition");
    airbyte(
        &server,
        &[
            "definitions",
            "update-tag",
            DECLARATIVE_DEFINITION_ID,
            "2.0",
        ],
    )
    .await
    .code(2)
    .says("is a yaml definition");
    assert_unchanged(&server);
}

/// Publishes the Docker definition "acme (delete-me)" and returns its ID.
async fn docker_definition(server: &MockServer) -> String {
    created(
        server,
        &[
            "definitions",
            "publish-docker",
            "--name",
            "acme (delete-me)",
            "--image",
            "acme/source-acme",
            "--tag",
            "0.1.0",
        ],
        "id",
    )
    .await
}

/// Publishes the Docker definition "acme (delete-me)", a source "acme orders (delete-me)"
/// that runs it and a connection of that source; returns their IDs.
async fn definition_in_use(server: &MockServer) -> (String, String, String) {
    let definition = docker_definition(server).await;
    let source = created(
        server,
        &[
            "sources",
            "create",
            "--name",
            "acme orders (delete-me)",
            "--definition-id",
            &definition,
            "--config",
            "{}",
        ],
        "sourceId",
    )
    .await;
    let connection = new_connection(
        server,
        &source,
        DEV_NULL_DESTINATION_ID,
        "acme → black hole (delete-me)",
    )
    .await;
    (definition, source, connection)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_definition_that_sources_run_is_kept_and_they_are_named() {
    // B20: `definitions delete $DEF --yes` while a source used it deleted it silently.
    let server = mock().await;
    let (definition, source, connection) = definition_in_use(&server).await;
    let run = airbyte(&server, &["--yes", "definitions", "delete", &definition]).await;
    run.code(5)
        .says(&format!("source \"acme orders (delete-me)\" ({source})"))
        .says(&connection)
        .says("--with-dependents");
    ok(&server, &["definitions", "get", &definition]).await;
    all_exist(&server, "sources", &[&source]).await;
    all_exist(&server, "connections", &[&connection]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_dependents_a_definition_goes_with_its_sources_and_their_connections() {
    let server = mock().await;
    let (definition, source, connection) = definition_in_use(&server).await;
    let args = [
        "definitions",
        "delete",
        definition.as_str(),
        "--with-dependents",
    ];
    let planned = [
        ("connection".to_owned(), connection.clone()),
        ("source".to_owned(), source.clone()),
        ("custom source definition".to_owned(), definition.clone()),
    ];
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    assert_eq!(resources(&ok(&server, &dry).await, "changes"), planned);
    let mut confirmed = vec!["--yes"];
    confirmed.extend(args);
    assert_eq!(
        resources(&ok(&server, &confirmed).await, "deleted"),
        planned
    );
    airbyte(&server, &["definitions", "get", &definition])
        .await
        .code(6);
    none_exist(&server, "sources", &[&source]).await;
    none_exist(&server, "connections", &[&connection]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rename_to_a_taken_name_is_refused_unless_allowed() {
    // Publishing refused a second definition of a name; renaming made one silently.
    let server = mock().await;
    for name in ["first docker", "taken docker"] {
        ok(
            &server,
            &[
                "definitions",
                "publish-docker",
                "--name",
                name,
                "--image",
                "acme/source-cli",
                "--tag",
                "0.1.0",
            ],
        )
        .await;
    }
    let args = ["definitions", "rename", "first docker", "taken docker"];
    refused_alike(&server, &args, 1, "already exists").await;
    let patches = server
        .journal()
        .into_iter()
        .filter(|entry| entry.method == "PUT" || entry.method == "PATCH")
        .count();
    assert_eq!(patches, 0, "a change was sent");
    ok(&server, &["definitions", "get", "first docker"]).await;
    let mut allowed = args.to_vec();
    allowed.push("--allow-duplicate");
    ok(&server, &allowed).await;
}
