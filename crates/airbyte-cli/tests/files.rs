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

/// A mock server and a fresh directory holding a `workspace.yaml` with these contents.
async fn with_workspace_file(contents: &str) -> (MockServer, tempfile::TempDir) {
    let server = mock().await;
    let home = home();
    file(home.path(), "workspace.yaml", contents);
    (server, home)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn export_plan_apply_then_plan_exits_zero() {
    let server = mock().await;
    let home = home();
    let dir = home.path().join("workspace");
    let dir = dir.to_str().unwrap();
    let run = plain(&server, &["export", "--out", dir]).await;
    run.code(0).says("secrets.env.template");
    run.prints("sources.yaml");
    let template = std::fs::read_to_string(format!("{dir}/secrets.env.template")).unwrap();
    for (variable, _) in SECRETS {
        assert!(template.contains(&format!("{variable}=")), "{template}");
    }
    // The server never shows secrets: the first plan sets them.
    let run = with_secrets(&server, &["plan", "-f", dir]).await;
    run.code(2);
    run.prints("~ update source \"Orders database\"");
    run.prints("configuration/password");
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
    run.prints("No changes");
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
    let (server, home) = with_workspace_file("tags:\n  nightly:\n    color: 00FF00\n").await;
    let dir = home.path().to_str().unwrap();
    let run = plain(&server, &["apply", "-f", dir]).await;
    run.code(5).says("--yes");
    let run = plain(&server, &["apply", "-f", dir, "--dry-run"]).await;
    run.code(0).says("dry run");
    run.prints("+ create tag \"nightly\"");
    assert_unchanged(&server);
    plain(&server, &["apply", "-f", dir, "--yes", "--parallel", "2"])
        .await
        .code(0);
    plain(&server, &["plan", "-f", dir]).await.code(0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_as_json_lists_every_resource_and_change() {
    let (server, home) = with_workspace_file("tags:\n  critical:\n    color: 00FF00\n").await;
    let dir = home.path().to_str().unwrap();
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
    let (server, home) = with_workspace_file("tags:\n  critical:\n    color: E53935\n").await;
    let dir = home.path().to_str().unwrap();
    let run = plain(&server, &["plan", "-f", dir, "--prune"]).await;
    run.code(2);
    run.prints("- delete source \"Faker demo\"");
    run.prints("with: connection \"Faker → Warehouse\"");
    run.prints("REFUSED: safe mode");
    let run = plain(&server, &["apply", "-f", dir, "--prune", "--yes"]).await;
    run.code(5).says("refusing to apply").says("Faker demo");
    assert_unchanged(&server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_exits_one_on_every_error_so_that_two_always_means_changes() {
    let (server, home) = with_workspace_file("tags:\n  critical:\n    color: 00FF00\n").await;
    let dir = home.path().to_str().unwrap();
    // Settings missing: an error, not "changes".
    let env: Vec<(&str, String)> = env_for(&server)
        .into_iter()
        .filter(|(key, _)| *key != "AIRBYTE_WORKSPACE_ID")
        .collect();
    run_with_env(&["plan", "-f", dir], &pairs(&env))
        .await
        .code(1);
    // Arguments the command does not take: an error too.
    plain(&server, &["plan", "-f", dir, "--no-such-flag"])
        .await
        .code(1)
        .says("--no-such-flag");
    plain(&server, &["plan", "-f", dir, "--parallel", "4"])
        .await
        .code(1);
    // Help is no error, and the changes still exit 2.
    plain(&server, &["plan", "--help"]).await.code(0);
    plain(&server, &["plan", "-f", dir]).await.code(2);
    // Other commands keep their codes: bad input is 2 there.
    plain(&server, &["apply", "-f", dir, "--no-such-flag"])
        .await
        .code(2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_without_changes_records_what_it_found_so_that_a_rename_is_an_update() {
    let server = mock().await;
    let home = home();
    let dir = home.path().join("files");
    std::fs::create_dir(&dir).unwrap();
    let files =
        "sources:\n  Faker demo:\n    type: faker\n    configuration: {count: 1000, seed: 42}\n";
    file(&dir, "workspace.yaml", files);
    let dir_text = dir.to_str().unwrap();
    let run = plain(&server, &["apply", "-f", dir_text, "--yes"]).await;
    run.code(0);
    let lock = std::fs::read_to_string(dir.join("airbyte.lock")).expect("the lock file is written");
    assert!(
        lock.contains("1f2e3d4c-5b6a-4789-9abc-def012345601"),
        "{lock}"
    );
    // A dry run writes nothing, not even the lock file.
    let other = home.path().join("dry");
    std::fs::create_dir(&other).unwrap();
    file(&other, "workspace.yaml", files);
    plain(
        &server,
        &["apply", "-f", other.to_str().unwrap(), "--yes", "--dry-run"],
    )
    .await
    .code(0);
    assert!(!other.join("airbyte.lock").exists());
    // Renamed in the files: the same source, renamed.
    file(
        &dir,
        "workspace.yaml",
        &files.replace(
            "    type: faker",
            "    name: Faker renamed\n    type: faker",
        ),
    );
    let run = plain(&server, &["plan", "-f", dir_text]).await;
    run.code(2);
    run.prints("~ update source \"Faker renamed\"");
    run.never_prints("+ create");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apply_while_another_apply_holds_the_lock_file_is_refused() {
    let (server, home) = with_workspace_file("tags:\n  nightly:\n    color: 00FF00\n").await;
    let dir = home.path().to_str().unwrap();
    // Another apply (another process) holds the lock file.
    let guard = std::fs::File::create(home.path().join(".airbyte.lock.guard")).unwrap();
    guard.try_lock().unwrap();
    let run = plain(&server, &["apply", "-f", dir, "--yes"]).await;
    run.code(5).says("another apply or export");
    assert_unchanged(&server);
    plain(&server, &["export", "--out", dir]).await.code(5);
    drop(guard);
    plain(&server, &["apply", "-f", dir, "--yes"]).await.code(0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dash_for_the_files_is_refused_not_taken_as_a_name() {
    // `export --out -` made a directory named `-`: the workspace files are several files, so
    // they cannot go to standard output, nor be read from standard input.
    let server = mock().await;
    let cwd = home();
    let env = env_for(&server);
    // A usage error; `plan` says so with 1, since its 2 means "changes".
    for (args, code) in [
        (vec!["export", "--out", "-"], 2),
        (vec!["export", "--out", "exported", "--lock-file", "-"], 2),
        (vec!["plan", "--dir", "-"], 1),
        (vec!["apply", "--dir", "-", "--yes"], 2),
    ] {
        let mut command = tokio::process::Command::from(command(&args, &pairs(&env), cwd.path()));
        command.current_dir(cwd.path());
        let output = command.output().await.unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(
            stderr.contains("standard") && stderr.contains("-"),
            "{args:?}: {stderr}"
        );
        let left: Vec<_> = std::fs::read_dir(cwd.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name())
            .collect();
        assert!(left.is_empty(), "{args:?} wrote {left:?}");
    }
    assert!(server.journal().is_empty(), "nothing was sent");
}
