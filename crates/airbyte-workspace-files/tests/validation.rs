//! The whole directory is checked before anything is sent, and every problem is reported at
//! once with its file and line.

mod support;

use airbyte_workspace_files::{Error, PlanOptions, WorkspaceFiles};
use support::*;

fn problems(error: &Error) -> Vec<String> {
    let Error::Invalid { problems } = error else {
        panic!("not a validation error: {error}")
    };
    problems.0.iter().map(ToString::to_string).collect()
}

fn has(problems: &[String], prefix: &str, text: &str) {
    assert!(
        problems
            .iter()
            .any(|problem| problem.starts_with(prefix) && problem.contains(text)),
        "no problem at {prefix} about {text:?} in:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_problem_is_reported_at_once_with_its_file_and_line() {
    let dir = directory();
    write(
        dir.path(),
        "a.yaml",
        r#"sources:
  pg:
    type: postgres
    colour: blue
    configuration:
      password: ${env:MISSING_PASSWORD}
      api_key: written-as-is
connections:
  link:
    source: nowhere
    destination: sink
    schedule: 0 12 * * *
    streams:
      - name: users
      - name: users
destinations:
  sink:
    type: dev-null
"#,
    );
    write(
        dir.path(),
        "b.yml",
        r#"sources:
  pg:
    type: faker
tags:
  critical:
    color: red
unknown_section: {}
"#,
    );
    write(dir.path(), "notes.txt", "not read: only YAML files are");
    let error = WorkspaceFiles::read(dir.path(), &env(&[])).unwrap_err();
    let found = problems(&error);
    has(&found, "a.yaml:4:", "unknown field \"colour\"");
    has(&found, "a.yaml:6:", "MISSING_PASSWORD is not set");
    has(&found, "a.yaml:7:", "a secret is written as it is");
    has(
        &found,
        "a.yaml:10:",
        "names source \"nowhere\", which these files do not define",
    );
    has(&found, "a.yaml:12:", "5 fields, like a Unix cron");
    has(&found, "a.yaml:15:", "stream users is listed twice");
    has(
        &found,
        "b.yml:2:",
        "source \"pg\" is defined twice (first at a.yaml:2)",
    );
    has(&found, "b.yml:6:", "six hexadecimal digits");
    has(&found, "b.yml:7:", "unknown field \"unknown_section\"");
    assert!(found.len() >= 9, "{}", found.join("\n"));
    let text = error.to_string();
    assert!(text.starts_with("the files have"), "{text}");
    assert!(
        !text.contains("written-as-is"),
        "a secret written as it is is not repeated: {text}"
    );
}

#[test]
fn syntax_errors_and_manifest_problems_name_their_file_and_line() {
    let dir = directory();
    write(dir.path(), "broken.yaml", "sources:\n  pg: [unclosed\n");
    write(
        dir.path(),
        "definitions.yaml",
        "definitions:\n  custom:\n    manifest_file: manifests/custom.yaml\n  both:\n    manifest: {}\n    docker_repository: acme/x\n",
    );
    write(
        dir.path(),
        "manifests/custom.yaml",
        "version: 1\ntype: NotDeclarative\n",
    );
    let found = problems(&WorkspaceFiles::read(dir.path(), &env(&[])).unwrap_err());
    has(&found, "broken.yaml:", "");
    has(&found, "definitions.yaml:3:", "DeclarativeSource");
    has(
        &found,
        "definitions.yaml:6:",
        "a definition is one or the other",
    );
}

#[test]
fn secrets_can_come_from_files_and_strings_can_start_with_a_dollar() {
    let dir = directory();
    write(
        dir.path(),
        "sources.yaml",
        "sources:\n  pg:\n    type: postgres\n    configuration:\n      password: ${file:pw.txt}\n      template: $${not a reference}\n",
    );
    write(dir.path(), "pw.txt", "from a file\n");
    let files = WorkspaceFiles::read(dir.path(), &env(&[])).unwrap();
    let resolved = files
        .resolved(airbyte_workspace_files::Kind::Source, "pg")
        .unwrap();
    assert_eq!(resolved.expose_configuration()["password"], "from a file");
    assert_eq!(
        resolved.expose_configuration()["template"],
        "${not a reference}"
    );
    assert!(!format!("{files:?}").contains("from a file"));
}

#[test]
fn secrets_written_as_they_are_are_refused_wherever_they_are() {
    let dir = directory();
    write(
        dir.path(),
        "sources.yaml",
        r#"sources:
  pg:
    type: postgres
    configuration:
      jdbc_url: postgres://app:hunter2@db:5432/shop
      api_keys: [key-one]
      masked_url: postgres://app:**********@db/shop
      docs: https://example.com/a:b@c
      ok_url: postgres://app@db/shop
      jdbc_url_params: password=hunter3&ssl=true
      ok_params: ssl=true&connectTimeout=10
"#,
    );
    let error = WorkspaceFiles::read(dir.path(), &env(&[])).unwrap_err();
    let found = problems(&error);
    has(
        &found,
        "sources.yaml:5:",
        "a URL is written with its password",
    );
    has(&found, "sources.yaml:6:", "a secret is written as it is");
    has(
        &found,
        "sources.yaml:7:",
        "a URL is written with its password",
    );
    has(
        &found,
        "sources.yaml:10:",
        "a secret connection parameter is written as it is",
    );
    assert_eq!(found.len(), 4, "{}", found.join("\n"));
    assert!(!error.to_string().contains("hunter2"), "{error}");
    assert!(!error.to_string().contains("hunter3"), "{error}");
}

#[test]
fn an_empty_field_selection_is_refused() {
    let dir = directory();
    write(
        dir.path(),
        "a.yaml",
        "sources:\n  s:\n    type: faker\ndestinations:\n  d:\n    type: dev-null\nconnections:\n  c:\n    source: s\n    destination: d\n    streams:\n      - name: users\n        selected_fields: []\n",
    );
    let found = problems(&WorkspaceFiles::read(dir.path(), &env(&[])).unwrap_err());
    has(&found, "a.yaml:13:", "leave selected_fields out");
}

#[test]
fn secret_and_manifest_files_must_be_regular_files_of_bounded_size() {
    let dir = directory();
    write(
        dir.path(),
        "sources.yaml",
        "sources:\n  pg:\n    type: postgres\n    configuration:\n      password: ${file:/dev/zero}\n      token: ${file:secrets}\n      key: ${file:big.pem}\n",
    );
    std::fs::create_dir_all(dir.path().join("secrets")).unwrap();
    std::fs::write(dir.path().join("big.pem"), vec![b'k'; 2 * 1024 * 1024]).unwrap();
    write(
        dir.path(),
        "definitions.yaml",
        "definitions:\n  endless:\n    manifest_file: /dev/zero\n",
    );
    let found = problems(&WorkspaceFiles::read(dir.path(), &env(&[])).unwrap_err());
    has(&found, "sources.yaml:5:", "not a regular file");
    has(&found, "sources.yaml:6:", "not a regular file");
    has(&found, "sources.yaml:7:", "larger than");
    has(&found, "definitions.yaml:3:", "not a regular file");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_a_source_does_not_offer_are_reported_before_any_write() {
    let server = mock().await;
    let dir = directory();
    write(
        dir.path(),
        "workspace.yaml",
        r#"sources:
  Orders database:
    type: postgres
    configuration:
      host: db.internal
      port: 5432
      database: shop
      username: reader
      password: ${env:PG}
destinations:
  Black hole:
    type: dev-null
    configuration:
      test_destination:
        test_destination_type: SILENT
connections:
  audit:
    source: Orders database
    destination: Black hole
    streams:
      - name: audit_log
        sync_mode: incremental_append
      - name: invoices
      - name: customers
"#,
    );
    let workspace = production(&server);
    let before = writes(&server);
    let error = support::plan(
        &workspace,
        dir.path(),
        &env(&[("PG", "pw")]),
        PlanOptions::default(),
    )
    .await
    .unwrap_err();
    let found = problems(&error);
    has(
        &found,
        "workspace.yaml:21:",
        "does not support sync mode incremental_append",
    );
    has(
        &found,
        "workspace.yaml:23:",
        "offers no stream invoices (it offers: customers, orders, audit_log)",
    );
    assert_eq!(found.len(), 2, "{}", found.join("\n"));
    assert_eq!(writes(&server), before, "nothing was sent");
}

#[test]
fn the_file_format_reads_names_types_colours_and_namespaces() {
    let dir = directory();
    write(
        dir.path(),
        "workspace.yaml",
        r#"tags:
  nightly:
    name: nightly runs
    color: 00ff00
sources:
  pg:
    name: Orders database
    type: source-postgres
destinations:
  sink:
    type: dev-null
connections:
  link:
    source: pg
    destination: sink
    namespace: custom_format
    namespace_format: "${SOURCE_NAMESPACE}_raw"
    schedule: 0 0 12 * * ? UTC
    streams:
      - name: users
        cursor_field: updated_at
        selected_fields: [[b], [a]]
"#,
    );
    let files = WorkspaceFiles::read(dir.path(), &env(&[])).unwrap();
    let desired = files.desired();
    assert_eq!(desired.tags["nightly"].color, "00FF00");
    assert_eq!(
        desired
            .name_of(airbyte_workspace_files::Kind::Tag, "nightly")
            .unwrap(),
        "nightly runs"
    );
    assert_eq!(
        desired
            .name_of(airbyte_workspace_files::Kind::Source, "pg")
            .unwrap(),
        "Orders database"
    );
    assert_eq!(
        desired.sources["pg"].connector,
        airbyte_workspace_files::ConnectorRef::Type("postgres".to_owned())
    );
    let link = &desired.connections["link"];
    assert_eq!(
        link.namespace_format.as_deref(),
        Some("${SOURCE_NAMESPACE}_raw")
    );
    assert_eq!(link.schedule.as_ref().unwrap().to_string(), "0 0 12 * * ?");
    assert_eq!(
        link.streams[0].cursor_field.as_deref(),
        Some(&["updated_at".to_owned()][..])
    );
    assert_eq!(
        link.streams[0].selected_fields,
        Some(vec![vec!["a".to_owned()], vec!["b".to_owned()]]),
        "selected fields are sorted"
    );
}

#[test]
fn names_must_be_unique_and_namespace_rules_hold() {
    let dir = directory();
    write(
        dir.path(),
        "workspace.yaml",
        r#"sources:
  a:
    type: faker
  b:
    name: a
    type: faker
destinations:
  sink:
    type: dev-null
connections:
  link:
    source: a
    destination: sink
    namespace: custom_format
    streams:
      - name: users
        mappers:
          - {not: a mapper}
"#,
    );
    let found = problems(&WorkspaceFiles::read(dir.path(), &env(&[])).unwrap_err());
    has(
        &found,
        "workspace.yaml:4:",
        "has the name \"a\", as source \"a\" does",
    );
    has(&found, "workspace.yaml:14:", "no namespace_format");
    has(&found, "workspace.yaml:18:", "is not a mapper");
}
