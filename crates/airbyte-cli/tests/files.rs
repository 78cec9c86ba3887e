//! `export`, `plan` and `apply`: the workspace as files, from the command line.

mod support;

use support::*;

/// The secrets the default world's export asks for, with made-up values.
const SECRETS: &[(&str, &str)] = &[
    ("SOURCE_ORDERS_DATABASE_PASSWORD", "pw"),
    (
        "SOURCE_GITHUB_ISSUES_CREDENTIALS_PERSONAL_ACCESS_TOKEN",
        "token",
    ),
    ("SOURCE_INTERNAL_API_API_KEY", "key"),
    ("DESTINATION_WAREHOUSE_CREDENTIALS_JSON", "{}"),
];

/// Runs against the mock server with the secrets set.
async fn with_secrets(server: &MockServer, args: &[&str]) -> Run {
    let mut env = env_for(server);
    env.extend(
        SECRETS
            .iter()
            .map(|(key, value)| (*key, (*value).to_owned())),
    );
    run_with_env(args, &pairs(&env)).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_plan_apply_then_plan_exits_zero() {
    let server = mock().await;
    let home = home();
    let dir = home.path().join("workspace");
    let dir = dir.to_str().unwrap();
    let run = plain(&server, &["export", "--out", dir]).await;
    run.code(0).says("secrets.env.template");
    assert!(run.stdout.contains("sources.yaml"), "{}", run.stdout);
    let template = std::fs::read_to_string(format!("{dir}/secrets.env.template")).unwrap();
    for (variable, _) in SECRETS {
        assert!(template.contains(&format!("{variable}=")), "{template}");
    }
    // The server never shows secrets: the first plan sets them.
    let run = with_secrets(&server, &["plan", "-f", dir]).await;
    run.code(2);
    assert!(
        run.stdout.contains("~ update source \"Orders database\""),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("configuration/password"),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("\"pw\""),
        "a secret is never shown: {}",
        run.stdout
    );
    with_secrets(&server, &["apply", "-f", dir, "--yes"])
        .await
        .code(0);
    let run = with_secrets(&server, &["plan", "-f", dir]).await;
    run.code(0);
    assert!(run.stdout.contains("No changes"), "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_exits_one_on_any_error_even_bad_input() {
    let server = mock().await;
    let home = home();
    let dir = home.path().to_str().unwrap();
    file(
        home.path(),
        "sources.yaml",
        "sources:\n  pg:\n    type: postgres\n    colour: blue\n",
    );
    let run = plain(&server, &["plan", "-f", dir]).await;
    run.code(1).says("sources.yaml:4: unknown field \"colour\"");
    let run = with_secrets(&server, &["plan", "-f", "/nonexistent/airbyte-files"]).await;
    run.code(1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_asks_first_and_off_a_terminal_needs_yes() {
    let server = mock().await;
    let home = home();
    let dir = home.path().to_str().unwrap();
    file(
        home.path(),
        "workspace.yaml",
        "tags:\n  nightly:\n    color: 00FF00\n",
    );
    let run = plain(&server, &["apply", "-f", dir]).await;
    run.code(5).says("--yes");
    let run = plain(&server, &["apply", "-f", dir, "--dry-run"]).await;
    run.code(0).says("dry run");
    assert!(
        run.stdout.contains("+ create tag \"nightly\""),
        "{}",
        run.stdout
    );
    assert_unchanged(&server);
    plain(&server, &["apply", "-f", dir, "--yes", "--parallel", "2"])
        .await
        .code(0);
    plain(&server, &["plan", "-f", dir]).await.code(0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_as_json_lists_every_resource_and_change() {
    let server = mock().await;
    let home = home();
    let dir = home.path().to_str().unwrap();
    file(
        home.path(),
        "workspace.yaml",
        "tags:\n  critical:\n    color: 00FF00\n",
    );
    let run = airbyte(&server, &["plan", "-f", dir]).await;
    run.code(2);
    let plan = run.json();
    assert_eq!(plan["changes"], true);
    assert_eq!(plan["items"][0]["action"], "update");
    assert_eq!(plan["items"][0]["changes"][0]["field"], "color");
    assert_eq!(plan["items"][0]["changes"][0]["old"], "E53935");
    assert_eq!(plan["unmanaged"].as_array().unwrap().len(), 10, "{plan}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_with_prune_is_refused_under_safe_mode_naming_dependents() {
    let server = mock().await;
    let home = home();
    let dir = home.path().to_str().unwrap();
    file(
        home.path(),
        "workspace.yaml",
        "tags:\n  critical:\n    color: E53935\n",
    );
    let run = plain(&server, &["plan", "-f", dir, "--prune"]).await;
    run.code(2);
    assert!(
        run.stdout.contains("- delete source \"Faker demo\""),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("with: connection \"Faker → Warehouse\""),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("REFUSED: safe mode"), "{}", run.stdout);
    let run = plain(&server, &["apply", "-f", dir, "--prune", "--yes"]).await;
    run.code(5).says("refusing to apply").says("Faker demo");
    assert_unchanged(&server);
}
