//! Output formats, help, completions, man pages, logging and error reporting.

mod support;

use std::time::Duration;

use support::*;

fn help(args: &[&str]) -> String {
    let output = std::process::Command::new(BINARY)
        .args(args)
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn every_level_has_help() {
    for args in [
        vec!["--help"],
        vec!["sources", "--help"],
        vec!["sources", "streams", "--help"],
        vec!["connections", "create", "--help"],
        vec!["sync", "--help"],
        vec!["jobs", "logs", "--help"],
        vec!["jobs", "watch", "--help"],
        vec!["definitions", "--help"],
        vec!["state", "export", "--help"],
        vec!["config", "view", "--help"],
        vec!["quickstart", "--help"],
        vec!["mock", "--help"],
    ] {
        assert!(help(&args).contains("Usage"), "{args:?}");
    }
    let top = help(&["--help"]);
    assert!(top.contains("Exit codes") && top.contains("6 not found") && top.contains("130"));
}

#[test]
fn every_environment_variable_read_is_named_in_help() {
    // The help said "their AIRBYTE_CLOUD_* forms", but the Cloud form of AIRBYTE_API_ROOT is
    // AIRBYTE_CLOUD_API_URL.
    use airbyte::cloud::settings::env;
    let top = help(&["--help"]);
    for names in [
        env::WORKSPACE_ID,
        env::CLIENT_ID,
        env::CLIENT_SECRET,
        env::BEARER_TOKEN,
        env::API_ROOT,
        env::CONFIG_API_ROOT,
    ] {
        for name in names {
            assert!(top.contains(name), "{name} is not in --help:\n{top}");
        }
    }
}

#[test]
fn the_output_option_states_its_default_once_and_truly() {
    // B18.
    let top = help(&["--help"]);
    assert_eq!(top.matches("default: table").count(), 1, "{top}");
    assert!(!top.contains("default on a terminal"), "{top}");
    assert!(top.contains("yaml"));
}

#[test]
fn global_options_have_their_own_heading_in_every_help() {
    for args in [
        vec!["--help"],
        vec!["sources", "list", "--help"],
        vec!["sync", "--help"],
    ] {
        let text = help(&args);
        let heading = text
            .find("Global options:")
            .unwrap_or_else(|| panic!("{args:?}:\n{text}"));
        let global = &text[heading..];
        for flag in [
            "--workspace-id",
            "--output",
            "--profile",
            "--verbose",
            "--request-timeout",
        ] {
            assert!(
                global.contains(flag),
                "{flag} under the heading in {args:?}"
            );
        }
    }
    let sync = help(&["sync", "--help"]);
    let options = &sync[..sync.find("Global options:").unwrap()];
    assert!(options.contains("--timeout") && !options.contains("--workspace-id"));
}

#[test]
fn mistyped_commands_get_suggestions() {
    let output = std::process::Command::new(BINARY)
        .args(["sourcse", "list"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("sources"), "{stderr}");
    let output = std::process::Command::new(BINARY)
        .args(["connections", "lst"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains("list"));
}

#[test]
fn completions_are_printed_for_each_shell() {
    for (shell, marker) in [
        ("bash", "_airbyte()"),
        ("zsh", "#compdef airbyte"),
        ("fish", "complete -c airbyte"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = help(&["completions", shell]);
        assert!(script.contains(marker), "{shell}");
        assert!(
            script.contains("connections"),
            "{shell} completes subcommands"
        );
    }
    if let Ok(output) = std::process::Command::new("bash")
        .arg("-n")
        .arg("-c")
        .arg(help(&["completions", "bash"]))
        .output()
    {
        assert!(
            output.status.success(),
            "the bash script parses: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn man_pages_are_generated() {
    let page = help(&["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH airbyte"),
        "{}",
        &page[..200.min(page.len())]
    );
    assert!(page.contains("connections"));
    let dir = home();
    let output = std::process::Command::new(BINARY)
        .args(["man", "--out-dir", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success());
    for name in [
        "airbyte.1",
        "airbyte-sources.1",
        "airbyte-sources-create.1",
        "airbyte-jobs-watch.1",
    ] {
        let text =
            std::fs::read_to_string(dir.path().join(name)).unwrap_or_else(|_| panic!("{name}"));
        assert!(text.contains(".TH"), "{name}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn yaml_output_is_yaml() {
    let server = mock().await;
    let run = plain(&server, &["-o", "yaml", "sources", "get", FAKER_SOURCE_ID]).await;
    run.code(0);
    let value: Value = serde_yaml_ng::from_str(&run.stdout).unwrap();
    assert_eq!(value["sourceId"], FAKER_SOURCE_ID);
    run.prints("sourceId: ");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_into_a_pipe_is_one_compact_line() {
    let server = mock().await;
    let run = airbyte(&server, &["sources", "get", FAKER_SOURCE_ID]).await;
    run.code(0);
    assert_eq!(run.stdout.trim_end().lines().count(), 1, "{}", run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_colour_into_a_pipe_unless_forced() {
    let server = mock().await;
    let piped = plain(&server, &["jobs", "list", FAKER_CONNECTION_ID]).await;
    assert!(!piped.stdout.contains('\u{1b}'));
    let forced = plain(
        &server,
        &["--color", "always", "jobs", "list", FAKER_CONNECTION_ID],
    )
    .await;
    assert!(forced.stdout.contains("\u{1b}[32m"), "{:?}", forced.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verbose_logs_requests_and_token_mints_without_secrets() {
    let server = mock().await;
    let quiet = plain(&server, &["sources", "list"]).await;
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
    let run = plain(
        &server,
        &[
            "-v",
            "sources",
            "create",
            "--name",
            "v",
            "--type",
            "faker",
            "--config",
            "password: pw-should-not-show",
        ],
    )
    .await;
    run.code(0);
    assert!(
        run.stderr.contains("http.method=\"GET\"") && run.stderr.contains("url.path=\"/sources\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("status=200") && run.stderr.contains("latency_ms="),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("access token"),
        "token mints are logged: {}",
        run.stderr
    );
    let bodies = plain(
        &server,
        &[
            "-vv",
            "sources",
            "create",
            "--name",
            "vv",
            "--type",
            "faker",
            "--config",
            "password: pw-should-not-show",
        ],
    )
    .await;
    bodies.code(0);
    assert!(bodies.stderr.contains("request body"), "{}", bodies.stderr);
    for text in [&run.stderr, &bodies.stderr] {
        assert!(!text.contains("pw-should-not-show"), "{text}");
        assert!(!text.contains("Bearer ey"), "{text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_and_their_reason_are_logged() {
    let server = mock().await;
    server.set_faults(airbyte_mock_server::FaultConfig {
        script: vec![airbyte_mock_server::FaultAction::Status {
            status: 503,
            retry_after_secs: None,
        }],
        include_token_endpoint: false,
        ..Default::default()
    });
    let run = plain(&server, &["-v", "sources", "list"]).await;
    run.code(0);
    assert!(run.stderr.contains("retrying"), "{}", run.stderr);
    assert!(run.stderr.contains("503"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_log_replaces_the_verbosity() {
    let server = mock().await;
    let env = env_for(&server);
    let mut with_log = pairs(&env);
    with_log.push(("RUST_LOG", "airbyte_transport=debug"));
    let run = run_with_env(&["sources", "list"], &with_log).await;
    run.code(0);
    assert!(run.stderr.contains("status=200"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_is_reported_as_an_outage() {
    // B13: 503 everywhere, the token endpoint included, is not "bad credentials".
    let server = mock().await;
    server.set_faults(airbyte_mock_server::FaultConfig {
        rate_503: 1.0,
        ..Default::default()
    });
    let run = plain(&server, &["--request-timeout", "5s", "sources", "list"]).await;
    run.code(1).says("unavailable").says("503");
    assert!(
        !run.stderr.contains("refused the client credentials"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limiting_is_not_called_an_outage() {
    // A 429 of the token endpoint was reported as "a server outage".
    let server = mock().await;
    server.set_faults(airbyte_mock_server::FaultConfig {
        rate_429: 1.0,
        retry_after_secs: Some(3_600),
        ..Default::default()
    });
    let run = plain(&server, &["sources", "list"]).await;
    run.code(1).says("rate limiting").says("429");
    assert!(
        !run.stderr.contains("outage") && !run.stderr.contains("refused the client credentials"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_server_hits_the_request_timeout() {
    let server = mock().await;
    server.set_faults(airbyte_mock_server::FaultConfig {
        latency_min_ms: 3_000,
        latency_max_ms: 3_000,
        include_token_endpoint: false,
        ..Default::default()
    });
    let started = std::time::Instant::now();
    let run = plain(&server, &["--request-timeout", "300ms", "sources", "list"]).await;
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert!(run.stderr.contains("timeout"), "{}", run.stderr);
    assert!(started.elapsed() < Duration::from_secs(60));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zero_limit_is_refused() {
    // `sources list --limit 0` printed an empty table and exited 0.
    let server = mock().await;
    for args in [
        &["workspaces", "list", "--limit", "0"][..],
        &["sources", "list", "--limit", "0"],
        &["destinations", "list", "--limit", "0"],
        &["connections", "list", "--limit", "0"],
        &["jobs", "list", FAKER_CONNECTION_ID, "--limit", "0"],
    ] {
        plain(&server, args).await.code(2).says("at least 1");
    }
    assert!(server.journal().is_empty());
    let one = ok(&server, &["sources", "list", "--limit", "1"]).await;
    assert_eq!(one.as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_zero_command_timeout_is_refused() {
    // `--command-timeout 0` stopped every command at once with "did not finish within 0s".
    let server = mock().await;
    for flag in ["--command-timeout", "--request-timeout"] {
        plain(&server, &[flag, "0", "sources", "list"])
            .await
            .code(2)
            .says("longer than zero");
    }
    assert!(server.journal().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_absurd_duration_is_refused_before_anything_is_sent() {
    // `--request-timeout 18446744073709551615` panicked (an instant overflowed) after the
    // command had started.
    let server = mock().await;
    for args in [
        &[
            "--request-timeout",
            "18446744073709551615",
            "sources",
            "list",
        ][..],
        &["--command-timeout", "400d", "sources", "list"],
        &["sync", FAKER_CONNECTION_ID, "--timeout", "9999999999h"],
        &[
            "jobs",
            "logs",
            "1",
            "-f",
            "--poll-interval",
            "18446744073709551615",
        ],
    ] {
        let run = plain(&server, args).await;
        run.code(2).says("longer than a year");
    }
    assert!(server.journal().is_empty(), "{:?}", server.journal());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_timeout_bounds_the_whole_command() {
    let server = mock().await;
    keep_running(&server, FAKER_CONNECTION_ID);
    let run = airbyte(
        &server,
        &[
            "--command-timeout",
            "1s",
            "sync",
            FAKER_CONNECTION_ID,
            "--poll-interval",
            "50ms",
        ],
    )
    .await;
    run.code(4)
        .says("did not finish within 1s")
        .says("airbyte jobs watch");
    assert_eq!(run.json()["status"], "running");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_pipe_ends_the_sync_cleanly() {
    // B2: `airbyte sync C 2>&1 | head -1` exited 101 (a panic) and left the job unwatched.
    let server = mock_with(Duration::from_millis(800)).await;
    let (output, code) = into_head(
        &server,
        &format!("sync {FAKER_CONNECTION_ID} --poll-interval 50ms"),
        true,
    )
    .await;
    assert_eq!(output.lines().count(), 1);
    assert_eq!(
        code, 0,
        "the sync was watched to its end and exited cleanly"
    );
    let jobs = ok(
        &server,
        &["jobs", "list", FAKER_CONNECTION_ID, "--limit", "1"],
    )
    .await;
    assert_eq!(jobs[0]["status"], "succeeded");
}

/// Runs against the mock with stdout and stderr going where asked (stdin empty); returns the
/// exit code and stderr when it is piped.
async fn run_into(
    server: &MockServer,
    args: &[&str],
    stdout: std::process::Stdio,
    stderr: std::process::Stdio,
) -> i32 {
    let env = env_for(server);
    let home = home();
    let mut command = tokio::process::Command::from(command(args, &pairs(&env), home.path()));
    command
        .stdin(std::process::Stdio::null())
        .stdout(stdout)
        .stderr(stderr);
    let status = tokio::time::timeout(Duration::from_secs(120), command.status())
        .await
        .expect("the command ends")
        .unwrap();
    status.code().unwrap_or(-1)
}

/// `/dev/full` refuses every write with "no space left on device".
#[cfg(target_os = "linux")]
fn full() -> std::process::Stdio {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap()
        .into()
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_that_cannot_be_written_do_not_crash_the_command() {
    // `airbyte -v sources list 2>&1 | head -0` exited 101: the logger's complaint about the
    // failed write was itself written with a panicking `eprintln!`.
    let server = mock().await;
    let code = run_into(
        &server,
        &["-v", "sources", "list"],
        std::process::Stdio::null(),
        full(),
    )
    .await;
    assert_eq!(code, 0);
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_lost_to_a_full_disk_fail_the_command() {
    // `airbyte state export C > backup.json` on a full disk exited 0 with nothing saved.
    let server = mock().await;
    let dir = home();
    let errors = dir.path().join("stderr");
    let code = run_into(
        &server,
        &["-o", "json", "state", "export", FAKER_CONNECTION_ID],
        full(),
        std::fs::File::create(&errors).unwrap().into(),
    )
    .await;
    let stderr = std::fs::read_to_string(&errors).unwrap();
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("cannot write the results") && stderr.contains("No space left"),
        "{stderr}"
    );
}
