//! The `airbyte` binary against a mock server: every command group, JSON output, exit codes,
//! the quickstart, config-file permissions, and no secret in any output.

use std::time::Duration;

use airbyte_mock_server::default_world::*;
use airbyte_mock_server::{MockConfig, MockServer, Outcome};
use serde_json::Value;

const BINARY: &str = env!("CARGO_BIN_EXE_airbyte");
const SECRET: &str = airbyte_mock_server::DEFAULT_CLIENT_SECRET;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
            panic!(
                "stdout is not JSON ({error}): {}\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// A fresh directory, removed when dropped (also when the test fails).
fn home() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("airbyte-cli-home-")
        .tempdir()
        .unwrap()
}

/// Runs the binary with a clean environment: only what is given (plus PATH and a fresh HOME).
async fn run_with_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let home = home();
    let mut command = tokio::process::Command::new(BINARY);
    command
        .args(args)
        .env_clear()
        .env("HOME", home.path())
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (key, value) in env {
        command.env(key, value);
    }
    command.stdin(std::process::Stdio::null());
    let output = tokio::time::timeout(Duration::from_secs(120), command.output())
        .await
        .expect("the command ends")
        .unwrap();
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    for text in [&run.stdout, &run.stderr] {
        assert!(
            !text.contains(SECRET),
            "the client secret leaked in the output of {args:?}:\n{text}"
        );
    }
    run
}

fn env_for(server: &MockServer) -> Vec<(&'static str, String)> {
    vec![
        ("AIRBYTE_API_ROOT", server.public_api_root()),
        ("AIRBYTE_WORKSPACE_ID", PRODUCTION_WORKSPACE_ID.to_owned()),
        (
            "AIRBYTE_CLIENT_ID",
            airbyte_mock_server::DEFAULT_CLIENT_ID.to_owned(),
        ),
        ("AIRBYTE_CLIENT_SECRET", SECRET.to_owned()),
    ]
}

async fn airbyte(server: &MockServer, args: &[&str]) -> Run {
    let env = env_for(server);
    let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut full = vec!["--output", "json"];
    full.extend_from_slice(args);
    run_with_env(&full, &pairs).await
}

async fn ok(server: &MockServer, args: &[&str]) -> Value {
    let run = airbyte(server, args).await;
    assert_eq!(
        run.code, 0,
        "{args:?} failed:\n{}\n{}",
        run.stdout, run.stderr
    );
    if run.stdout.trim().is_empty() {
        Value::Null
    } else {
        run.json()
    }
}

async fn mock() -> MockServer {
    MockServer::start(MockConfig {
        job_duration: Duration::from_millis(300),
        seed: Some(2),
        ..MockConfig::default()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspaces_sources_and_destinations() {
    let server = mock().await;
    let workspaces = ok(&server, &["workspaces", "list"]).await;
    assert_eq!(workspaces.as_array().unwrap().len(), 2);
    assert_eq!(
        ok(&server, &["workspaces", "get"]).await["name"],
        "Production"
    );

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
    let duplicate = airbyte(
        &server,
        &[
            "sources",
            "create",
            "--name",
            "cli src (delete-me)",
            "--type",
            "faker",
            "--config",
            "{}",
        ],
    )
    .await;
    assert_eq!(duplicate.code, 1, "{}", duplicate.stderr);
    assert!(duplicate.stderr.contains("already exists"));
    assert_eq!(
        ok(&server, &["sources", "get", &id]).await["name"],
        "cli src (delete-me)"
    );
    assert_eq!(
        ok(
            &server,
            &["sources", "list", "--name", "cli src (delete-me)"]
        )
        .await
        .as_array()
        .unwrap()
        .len(),
        1
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
    assert_eq!(failed_check.code, 1);
    assert_eq!(failed_check.json()["success"], false);

    // Deleting needs --yes without a terminal, and safe mode applies.
    let unconfirmed = airbyte(&server, &["sources", "delete", &id]).await;
    assert_eq!(unconfirmed.code, 5, "{}", unconfirmed.stderr);
    let refused = airbyte(&server, &["--yes", "sources", "delete", FAKER_SOURCE_ID]).await;
    assert_eq!(refused.code, 5, "{}", refused.stderr);
    assert!(refused.stderr.contains("delete-me"));
    ok(&server, &["--yes", "sources", "delete", &id]).await;
    assert_eq!(airbyte(&server, &["sources", "get", &id]).await.code, 1);

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
async fn connections_sync_jobs_state_and_catalog() {
    let server = mock().await;
    let connection = ok(
        &server,
        &[
            "connections",
            "create",
            "--source",
            FAKER_SOURCE_ID,
            "--destination",
            DEV_NULL_DESTINATION_ID,
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
    let id = connection["connectionId"].as_str().unwrap().to_owned();
    assert_eq!(connection["schedule"]["cronExpression"], "0 0 6 * * ? UTC");
    assert_eq!(
        ok(
            &server,
            &["connections", "list", "--name", "cli conn (delete-me)"]
        )
        .await
        .as_array()
        .unwrap()
        .len(),
        1
    );
    ok(
        &server,
        &["connections", "rename", &id, "cli conn 2 (delete-me)"],
    )
    .await;
    let streams = ok(
        &server,
        &["connections", "set-streams", &id, "users,purchases"],
    )
    .await;
    assert_eq!(
        streams["configurations"]["streams"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        ok(&server, &["connections", "set-prefix", &id, "p_"]).await["prefix"],
        "p_"
    );
    assert_eq!(
        ok(&server, &["connections", "set-schedule", &id, "--manual"]).await["schedule"]["scheduleType"],
        "manual"
    );
    let bad_cron = airbyte(
        &server,
        &["connections", "set-schedule", &id, "--cron", "0 12 * * *"],
    )
    .await;
    assert_eq!(bad_cron.code, 2, "{}", bad_cron.stderr);
    assert!(bad_cron.stderr.contains("Quartz"));
    assert_eq!(
        ok(&server, &["connections", "disable", &id]).await["status"],
        "inactive"
    );
    assert_eq!(
        ok(&server, &["connections", "enable", &id]).await["status"],
        "active"
    );

    let sync = ok(
        &server,
        &["sync", &id, "--poll-ms", "50", "--timeout", "30"],
    )
    .await;
    assert_eq!(sync["status"], "succeeded");
    let job = sync["jobId"].as_i64().unwrap().to_string();
    assert!(sync["rowsSynced"].as_i64().unwrap() > 0);
    let jobs = ok(&server, &["jobs", "list", &id]).await;
    assert_eq!(jobs.as_array().unwrap().len(), 1);
    assert_eq!(
        ok(&server, &["jobs", "get", &job]).await["status"],
        "succeeded"
    );
    let logs = airbyte(&server, &["jobs", "logs", &job, "--tail", "2"]).await;
    assert_eq!(logs.code, 0);
    assert_eq!(logs.stdout.lines().count(), 2);
    assert!(logs.stdout.contains("succeeded"));
    let not_running = airbyte(&server, &["jobs", "cancel", &job]).await;
    assert_eq!(
        not_running.code, 1,
        "cancelling a finished job is a conflict"
    );

    let home = home();
    let dir = home.path();
    let state_file = dir.join("state.json");
    ok(
        &server,
        &[
            "state",
            "export",
            &id,
            "--out",
            state_file.to_str().unwrap(),
        ],
    )
    .await;
    let state: Value =
        serde_json::from_str(&std::fs::read_to_string(&state_file).unwrap()).unwrap();
    assert_eq!(state["connectionId"], id.as_str());
    ok(
        &server,
        &[
            "state",
            "import",
            &id,
            "--file",
            state_file.to_str().unwrap(),
        ],
    )
    .await;
    let catalog_file = dir.join("catalog.json");
    ok(
        &server,
        &[
            "catalog",
            "export",
            &id,
            "--out",
            catalog_file.to_str().unwrap(),
        ],
    )
    .await;
    let catalog: Value =
        serde_json::from_str(&std::fs::read_to_string(&catalog_file).unwrap()).unwrap();
    assert_eq!(catalog["streams"].as_array().unwrap().len(), 3);
    ok(
        &server,
        &[
            "catalog",
            "import",
            &id,
            "--file",
            catalog_file.to_str().unwrap(),
        ],
    )
    .await;
    let exported = ok(&server, &["state", "export", &id]).await;
    assert_eq!(exported["connectionId"], id.as_str());

    ok(&server, &["--yes", "connections", "delete", &id]).await;
    assert_eq!(airbyte(&server, &["connections", "get", &id]).await.code, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_codes_for_failure_timeout_and_bad_input() {
    let server = mock().await;
    server
        .script_connection(FAKER_CONNECTION_ID, Outcome::Fail, None)
        .unwrap();
    let failed = airbyte(&server, &["sync", FAKER_CONNECTION_ID, "--poll-ms", "50"]).await;
    assert_eq!(failed.code, 3, "{}", failed.stderr);
    assert_eq!(failed.json()["status"], "failed");

    server
        .script_connection(FAKER_CONNECTION_ID, Outcome::StayRunning, None)
        .unwrap();
    let timed_out = airbyte(
        &server,
        &[
            "sync",
            FAKER_CONNECTION_ID,
            "--poll-ms",
            "50",
            "--timeout",
            "1",
        ],
    )
    .await;
    assert_eq!(timed_out.code, 4, "{}", timed_out.stderr);
    assert!(
        timed_out.stderr.contains("cancelled"),
        "{}",
        timed_out.stderr
    );

    let bad_json = airbyte(
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
    .await;
    assert_eq!(bad_json.code, 2);
    let bad_flag = airbyte(&server, &["sources", "frobnicate"]).await;
    assert_eq!(bad_flag.code, 2);
    let no_workspace = run_with_env(&["sources", "list"], &[("AIRBYTE_BEARER_TOKEN", "t")]).await;
    assert_eq!(no_workspace.code, 2);
    assert!(no_workspace.stderr.contains("AIRBYTE_WORKSPACE_ID"));
    let missing = airbyte(
        &server,
        &["sources", "get", "00000000-0000-4000-8000-000000000000"],
    )
    .await;
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("does not exist"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn definitions_are_managed() {
    let server = mock().await;
    let home = home();
    let dir = home.path();
    let manifest = dir.join("manifest.yaml");
    std::fs::write(&manifest, "version: 6.7.0\ntype: DeclarativeSource\nstreams:\n  - name: things\nspec:\n  connection_specification:\n    type: object\n").unwrap();
    let published = ok(
        &server,
        &[
            "definitions",
            "publish-yaml",
            "--name",
            "cli yaml (delete-me)",
            "--manifest",
            manifest.to_str().unwrap(),
            "--testing-values",
            r#"{"k": "v"}"#,
        ],
    )
    .await;
    let id = published["id"].as_str().unwrap().to_owned();
    assert_eq!(published["version"], 1);
    assert_eq!(
        ok(
            &server,
            &[
                "definitions",
                "update-manifest",
                &id,
                "--manifest",
                manifest.to_str().unwrap()
            ]
        )
        .await["version"],
        2
    );
    assert_eq!(
        ok(&server, &["definitions", "list"])
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        ok(&server, &["definitions", "get", &id]).await["name"],
        "cli yaml (delete-me)"
    );
    ok(&server, &["--yes", "definitions", "delete", &id]).await;

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
    let docker_id = docker["id"].as_str().unwrap().to_owned();
    assert_eq!(
        ok(&server, &["definitions", "update-tag", &docker_id, "0.2.0"]).await["dockerImageTag"],
        "0.2.0"
    );
    assert_eq!(
        ok(
            &server,
            &[
                "definitions",
                "rename",
                &docker_id,
                "cli docker 2 (delete-me)"
            ]
        )
        .await["name"],
        "cli docker 2 (delete-me)"
    );
    assert_eq!(
        ok(&server, &["definitions", "list", "--kind", "docker"])
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
    ok(
        &server,
        &[
            "--yes",
            "definitions",
            "delete",
            &docker_id,
            "--kind",
            "docker",
        ],
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quickstart_runs_offline_end_to_end() {
    let run = run_with_env(&["--output", "json", "quickstart"], &[]).await;
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("offline"),
        "it says it runs on the embedded mock server"
    );
    assert!(run.stderr.contains("Done."));
    let summary = run.json();
    assert_eq!(summary["offline"], true);
    assert_eq!(summary["job"]["status"], "succeeded");
    assert_eq!(summary["cleanedUp"], true);
    assert!(!summary["history"].as_array().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_readable_config_file_with_a_secret_is_refused() {
    let server = mock().await;
    let home = home();
    let dir = home.path();
    let file = dir.join("config.yaml");
    std::fs::write(&file, format!(
        "workspace_id: {PRODUCTION_WORKSPACE_ID}\napi_root: {}\nclient_id: {}\nclient_secret: {SECRET}\n",
        server.public_api_root(),
        airbyte_mock_server::DEFAULT_CLIENT_ID
    ))
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let refused = run_with_env(
            &["--config-file", file.to_str().unwrap(), "workspaces", "get"],
            &[],
        )
        .await;
        assert_eq!(refused.code, 2, "{}", refused.stderr);
        assert!(refused.stderr.contains("chmod 600"), "{}", refused.stderr);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let accepted = run_with_env(
        &[
            "--config-file",
            file.to_str().unwrap(),
            "--output",
            "json",
            "workspaces",
            "get",
        ],
        &[],
    )
    .await;
    assert_eq!(accepted.code, 0, "{}", accepted.stderr);
    assert_eq!(accepted.json()["name"], "Production");
    // Flags beat the environment, which beats the file.
    let flagged = run_with_env(
        &[
            "--config-file",
            file.to_str().unwrap(),
            "--workspace-id",
            STAGING_WORKSPACE_ID,
            "--output",
            "json",
            "workspaces",
            "get",
        ],
        &[("AIRBYTE_WORKSPACE_ID", "from-env")],
    )
    .await;
    assert_eq!(flagged.json()["name"], "Staging");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mock_command_serves_in_the_foreground() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let mut child = tokio::process::Command::new(BINARY)
        .args(["mock", "--addr", "127.0.0.1:0", "--seed", "1"])
        .env_clear()
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = tokio::time::timeout(Duration::from_secs(20), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let base = first
        .strip_prefix("airbyte-mock-server listening on ")
        .unwrap()
        .to_owned();
    let run = run_with_env(
        &["--output", "json", "workspaces", "list"],
        &[
            ("AIRBYTE_API_ROOT", &format!("{base}/api/public/v1")),
            ("AIRBYTE_WORKSPACE_ID", PRODUCTION_WORKSPACE_ID),
            ("AIRBYTE_CLIENT_ID", airbyte_mock_server::DEFAULT_CLIENT_ID),
            ("AIRBYTE_CLIENT_SECRET", SECRET),
        ],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    child.start_kill().unwrap();
}

#[test]
fn every_level_has_help() {
    for args in [
        vec!["--help"],
        vec!["sources", "--help"],
        vec!["connections", "create", "--help"],
        vec!["sync", "--help"],
        vec!["jobs", "logs", "--help"],
        vec!["definitions", "--help"],
        vec!["state", "export", "--help"],
        vec!["quickstart", "--help"],
        vec!["mock", "--help"],
    ] {
        let output = std::process::Command::new(BINARY)
            .args(&args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}");
        assert!(
            String::from_utf8_lossy(&output.stdout).contains("Usage"),
            "{args:?}"
        );
    }
    let help = String::from_utf8(
        std::process::Command::new(BINARY)
            .arg("--help")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(help.contains("Exit codes"));
}
