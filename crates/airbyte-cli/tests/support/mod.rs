//! Running the `airbyte` binary against an in-process mock server: through pipes (with a
//! clean environment), or through a pseudo-terminal for what only a terminal shows.

#![allow(dead_code, unreachable_pub, unused_imports)]

use std::path::Path;
use std::time::Duration;

pub use airbyte_mock_server::default_world::*;
pub use airbyte_mock_server::{MockConfig, MockServer, Outcome};
pub use serde_json::{Value, json};

pub const BINARY: &str = env!("CARGO_BIN_EXE_airbyte");
pub const SECRET: &str = airbyte_mock_server::DEFAULT_CLIENT_SECRET;
pub const CLIENT_ID: &str = airbyte_mock_server::DEFAULT_CLIENT_ID;

/// A finished run of the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Stdout as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|error| {
            panic!(
                "stdout is not JSON ({error}): {}\n{}",
                self.stdout, self.stderr
            )
        })
    }

    /// Asserts the exit code, showing the output when it differs.
    pub fn code(&self, expected: i32) -> &Self {
        assert_eq!(
            self.code, expected,
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// The first line of stdout that starts with `prefix` (a table row or a detail line).
    pub fn line(&self, prefix: &str) -> &str {
        self.stdout
            .lines()
            .find(|line| line.starts_with(prefix))
            .unwrap_or_else(|| panic!("no line starts with {prefix:?}:\n{}", self.stdout))
    }

    /// Asserts stdout contains a text.
    pub fn prints(&self, text: &str) -> &Self {
        assert!(
            self.stdout.contains(text),
            "stdout lacks {text:?}:\n{}",
            self.stdout
        );
        self
    }

    /// Asserts stdout does not contain a text (a secret, a control character).
    pub fn never_prints(&self, text: &str) -> &Self {
        assert!(
            !self.stdout.contains(text),
            "stdout holds {text:?}:\n{}",
            self.stdout
        );
        self
    }

    /// Asserts stderr contains a text.
    pub fn says(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "stderr lacks {text:?}:\n{}",
            self.stderr
        );
        self
    }
}

/// A fresh directory, removed when dropped (also when the test fails).
pub fn home() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("airbyte-cli-home-")
        .tempdir()
        .unwrap()
}

/// The command with a clean environment: only PATH, a fresh HOME (given) and `env`.
pub fn command(args: &[&str], env: &[(&str, &str)], home: &Path) -> std::process::Command {
    let mut command = std::process::Command::new(BINARY);
    command
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (key, value) in env {
        command.env(key, value);
    }
    command
}

/// Asserts that no output holds the client secret.
pub fn no_secret(args: &[&str], texts: &[&str]) {
    for text in texts {
        assert!(
            !text.contains(SECRET),
            "the client secret leaked in the output of {args:?}:\n{text}"
        );
    }
}

/// Runs the binary with a clean environment (stdin empty, stdout and stderr piped).
pub async fn run_with_env(args: &[&str], env: &[(&str, &str)]) -> Run {
    let home = home();
    run_in(args, env, home.path()).await
}

/// Like [`run_with_env`], with a given HOME.
pub async fn run_in(args: &[&str], env: &[(&str, &str)], home: &Path) -> Run {
    let mut command = tokio::process::Command::from(command(args, env, home));
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
    no_secret(args, &[&run.stdout, &run.stderr]);
    run
}

/// The settings of the mock server's Production workspace, as environment variables.
pub fn env_for(server: &MockServer) -> Vec<(&'static str, String)> {
    vec![
        ("AIRBYTE_API_ROOT", server.public_api_root()),
        ("AIRBYTE_WORKSPACE_ID", PRODUCTION_WORKSPACE_ID.to_owned()),
        ("AIRBYTE_CLIENT_ID", CLIENT_ID.to_owned()),
        ("AIRBYTE_CLIENT_SECRET", SECRET.to_owned()),
    ]
}

/// Pairs of borrowed strings, as `run_with_env` takes them.
pub fn pairs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter()
        .map(|(key, value)| (*key, value.as_str()))
        .collect()
}

/// Runs against the mock server with `-o json`.
pub async fn airbyte(server: &MockServer, args: &[&str]) -> Run {
    let mut full = vec!["--output", "json"];
    full.extend_from_slice(args);
    plain(server, &full).await
}

/// Runs against the mock server with exactly these arguments (tables by default).
pub async fn plain(server: &MockServer, args: &[&str]) -> Run {
    let env = env_for(server);
    run_with_env(args, &pairs(&env)).await
}

/// Runs with `-o json`, asserts success, returns stdout as JSON (`null` when empty).
pub async fn ok(server: &MockServer, args: &[&str]) -> Value {
    let run = airbyte(server, args).await;
    run.code(0);
    if run.stdout.trim().is_empty() {
        Value::Null
    } else {
        run.json()
    }
}

/// A mock server whose jobs take 300 ms.
pub async fn mock() -> MockServer {
    mock_with(Duration::from_millis(300)).await
}

/// A mock server whose jobs take this long.
pub async fn mock_with(job_duration: Duration) -> MockServer {
    MockServer::start(MockConfig {
        job_duration,
        seed: Some(2),
        ..MockConfig::default()
    })
    .await
    .unwrap()
}

/// Writes a file into a directory and returns its path as text.
pub fn file(dir: &Path, name: &str, content: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path.to_str().unwrap().to_owned()
}

/// Writes a config file readable by its owner only (one that holds a secret must be).
pub fn config_file(dir: &Path, content: &str) -> String {
    let path = file(dir, "config.yaml", content);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path
}

/// A manifest the server accepts.
pub const MANIFEST: &str = "version: 6.7.0\ntype: DeclarativeSource\nstreams:\n  - name: things\nspec:\n  connection_specification:\n    type: object\n";

/// Runs the binary in a pseudo-terminal (stdin, stdout and stderr are the terminal), and
/// hands the session to `drive`; returns what `drive` returns. Blocking: call it from
/// `spawn_blocking` when a mock server runs on the test's runtime.
pub fn in_terminal<T>(
    args: &[&str],
    env: &[(&str, &str)],
    drive: impl FnOnce(&mut expectrl::session::OsSession) -> T,
) -> T {
    let home = home();
    let mut command = command(args, &[], home.path());
    // A capable terminal unless the caller says otherwise.
    command.env("TERM", "xterm-256color");
    command.envs(env.iter().copied());
    let mut session = expectrl::Session::spawn(command).expect("a pseudo-terminal");
    session.set_expect_timeout(Some(Duration::from_secs(60)));
    drive(&mut session)
}

/// Reads a terminal session to its end and returns the text and the exit code.
pub fn finish(session: &mut expectrl::session::OsSession) -> (String, i32) {
    use expectrl::Expect;
    let captured = session.expect(expectrl::Eof).expect("the command ends");
    let text = String::from_utf8_lossy(captured.as_bytes()).into_owned();
    let status = session.get_process().wait().expect("an exit status");
    let code = match status {
        expectrl::process::unix::WaitStatus::Exited(_, code) => code,
        other => panic!("the command did not exit: {other:?}\n{text}"),
    };
    (text, code)
}

/// Runs a create with `-o json`, asserts success, and returns the new resource's `key`
/// (`sourceId`, `connectionId`, ...).
pub async fn created(server: &MockServer, args: &[&str], key: &str) -> String {
    let value = ok(server, args).await;
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("no {key} in {value}"))
        .to_owned()
}

/// Makes the connection's next jobs run until cancelled.
pub fn keep_running(server: &MockServer, connection: &str) {
    server
        .script_connection(connection, Outcome::StayRunning, None)
        .unwrap();
}

/// Starts a job (`sync`, or `reset` / `clear` confirmed) on the faker connection that runs
/// until cancelled (a reset, which the mock always lets succeed, for ten minutes), and
/// returns its ID.
pub async fn running_job(server: &MockServer, command: &str) -> String {
    server
        .script_connection(
            FAKER_CONNECTION_ID,
            Outcome::StayRunning,
            Some(Duration::from_secs(600)),
        )
        .unwrap();
    let job = ok(
        server,
        &["--yes", command, FAKER_CONNECTION_ID, "--no-wait"],
    )
    .await;
    job["jobId"].as_i64().unwrap().to_string()
}

/// Asserts that a job is still pending or running.
pub async fn still_running(server: &MockServer, job: &str) {
    let status = ok(server, &["jobs", "get", job]).await["status"].clone();
    assert!(
        status == "pending" || status == "running",
        "job {job} is {status}"
    );
}

/// Runs a command with `--dry-run` and without (`-o json`), and asserts both fail alike: the
/// same exit code and message, and no plan printed.
pub async fn refused_alike(server: &MockServer, args: &[&str], code: i32, message: &str) {
    let mut dry = args.to_vec();
    dry.push("--dry-run");
    let preview = airbyte(server, &dry).await;
    preview.code(code).says(message);
    assert!(preview.stdout.is_empty(), "{}", preview.stdout);
    let real = airbyte(server, args).await;
    real.code(code).says(message);
}

/// Asserts that the server received no request that changes something (reads, token mints
/// and the Config API's read-only POSTs aside).
pub fn assert_unchanged(server: &MockServer) {
    const READS: &[&str] = &[
        "/applications/token",
        "/state/get",
        "/web_backend/connections/get",
        "/sources/discover_schema",
        "/jobs/get",
        "/jobs/list",
        "/attempt/get_for_job",
        // Config API reads of organizations and users.
        "/workspaces/get_organization_info",
        "/users/get_by_auth_id",
        "/permissions/list_by_user",
        "/organizations/list_by_user_id",
    ];
    let changes: Vec<_> = server
        .journal()
        .into_iter()
        .filter(|entry| {
            entry.method != "GET" && !READS.iter().any(|read| entry.path.ends_with(read))
        })
        .map(|entry| format!("{} {}", entry.method, entry.path))
        .collect();
    assert!(changes.is_empty(), "changed: {changes:?}");
}

/// Runs `airbyte ARGS` (stderr joined to stdout when `with_stderr`) into `| head -1` against
/// the mock server; returns the pipeline's output and the binary's own exit code (kept in a
/// file: `sh` has no PIPESTATUS).
pub async fn into_head(server: &MockServer, args: &str, with_stderr: bool) -> (String, i32) {
    let env = env_for(server);
    let dir = home();
    let code_file = dir.path().join("code");
    let join = if with_stderr { " 2>&1" } else { "" };
    let script = format!("(\"{BINARY}\" {args}{join}; echo $? > \"$CODE_FILE\") | head -1");
    let output = tokio::time::timeout(
        Duration::from_secs(100),
        tokio::process::Command::new("sh")
            .arg("-c")
            .arg(&script)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", dir.path())
            .env("CODE_FILE", &code_file)
            .envs(env.iter().map(|(key, value)| (*key, value.as_str())))
            .output(),
    )
    .await
    .expect("the pipeline ends")
    .unwrap();
    let code = std::fs::read_to_string(&code_file).unwrap();
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        code.trim().parse().unwrap(),
    )
}

/// Creates a faker source of this name (in the Production workspace) and returns its ID.
pub async fn new_source(server: &MockServer, name: &str) -> String {
    created(
        server,
        &[
            "sources", "create", "--name", name, "--type", "faker", "--config", "{}",
        ],
        "sourceId",
    )
    .await
}

/// Creates a dev-null destination of this name and returns its ID.
pub async fn new_destination(server: &MockServer, name: &str) -> String {
    created(
        server,
        &[
            "destinations",
            "create",
            "--name",
            name,
            "--type",
            "dev-null",
            "--config",
            "{}",
        ],
        "destinationId",
    )
    .await
}

/// Creates a connection of this name between a source and a destination; returns its ID.
pub async fn new_connection(
    server: &MockServer,
    source: &str,
    destination: &str,
    name: &str,
) -> String {
    created(
        server,
        &[
            "connections",
            "create",
            "--source",
            source,
            "--destination",
            destination,
            "--name",
            name,
        ],
        "connectionId",
    )
    .await
}

/// A source and a destination shared by connections of these names.
pub struct Shared {
    pub source: String,
    pub destination: String,
    pub connections: Vec<String>,
}

/// Creates the source "shared (delete-me)", the destination "sink (delete-me)" and one
/// connection between them per name.
pub async fn shared(server: &MockServer, connections: &[&str]) -> Shared {
    let source = new_source(server, "shared (delete-me)").await;
    let destination = new_destination(server, "sink (delete-me)").await;
    let mut ids = Vec::new();
    for name in connections {
        ids.push(new_connection(server, &source, &destination, name).await);
    }
    Shared {
        source,
        destination,
        connections: ids,
    }
}

/// Asserts that each of these exists (`KIND get ID` succeeds).
pub async fn all_exist(server: &MockServer, kind: &str, ids: &[&str]) {
    for id in ids {
        let run = airbyte(server, &[kind, "get", id]).await;
        assert_eq!(run.code, 0, "{kind} {id} was deleted:\n{}", run.stderr);
    }
}

/// Asserts that none of these exists any more.
pub async fn none_exist(server: &MockServer, kind: &str, ids: &[&str]) {
    for id in ids {
        let run = airbyte(server, &[kind, "get", id]).await;
        assert_eq!(run.code, 6, "{kind} {id} still exists:\n{}", run.stdout);
    }
}

/// The `(kind, id)` of each resource of a delete's JSON document (`changes` of a dry run,
/// `deleted` or `notDeleted` of a delete), in order.
pub fn resources(document: &Value, key: &str) -> Vec<(String, String)> {
    document[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} in {document}"))
        .iter()
        .map(|item| {
            (
                item["kind"].as_str().unwrap().to_owned(),
                item["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Runs `airbyte ARGS` against the mock server with stdout and stderr piped, reads stderr
/// until `ready` says so (given all read so far), waits `delay`, then sends SIGTERM and waits
/// for the end.
#[cfg(unix)]
pub async fn terminated(
    server: &MockServer,
    args: &[&str],
    ready: impl FnMut(&str) -> bool,
    delay: Duration,
) -> Run {
    acted_on(server, args, ready, |pid| async move {
        tokio::time::sleep(delay).await;
        let kill = std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .unwrap();
        assert!(kill.success());
    })
    .await
}

/// Runs `airbyte ARGS` against the mock server with stdout and stderr piped, reads stderr
/// until `ready` says so (given all read so far), runs `act` (given the process ID: to change
/// the server's behaviour mid-run, or to signal the process), then waits for the end.
pub async fn acted_on<F: std::future::Future<Output = ()>>(
    server: &MockServer,
    args: &[&str],
    mut ready: impl FnMut(&str) -> bool,
    act: impl FnOnce(u32) -> F,
) -> Run {
    use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

    let env = env_for(server);
    let home = home();
    let mut command = tokio::process::Command::from(command(args, &pairs(&env), home.path()));
    command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = command.spawn().unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = String::new();
    while !ready(&seen) {
        let mut line = String::new();
        let read = tokio::time::timeout(Duration::from_secs(60), stderr.read_line(&mut line))
            .await
            .expect("progress")
            .unwrap();
        assert!(read > 0, "the command ended before it was ready: {seen}");
        seen.push_str(&line);
    }
    act(child.id().unwrap()).await;
    let mut rest = String::new();
    stderr.read_to_string(&mut rest).await.unwrap();
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .await
        .unwrap();
    let status = tokio::time::timeout(Duration::from_secs(60), child.wait())
        .await
        .expect("the command ends")
        .unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout,
        stderr: seen + &rest,
    }
}
