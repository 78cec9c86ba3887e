//! Shared helpers: a mock server per test, workspaces on it (the default world's production
//! workspace, or a new empty one), fault injection through the mock's `/_mock/` control API,
//! and files written into temporary directories.

#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use airbyte_cloud::CloudWorkspace;
use airbyte_mock_server::{MockConfig, MockServer, default_world};
use airbyte_transport::RetryConfig;
use airbyte_workspace_files::{
    ApplyOptions, ApplyReport, Plan, PlanOptions, Result, WorkspaceFiles, apply,
};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const PRODUCTION: &str = default_world::PRODUCTION_WORKSPACE_ID;

/// A mock server with a fixed seed.
pub async fn mock() -> MockServer {
    MockServer::start(MockConfig {
        seed: Some(7),
        ..MockConfig::default()
    })
    .await
    .expect("the mock server starts")
}

/// Fast retries, so that fault tests stay short.
pub fn fast_retry() -> RetryConfig {
    RetryConfig {
        max_attempts: 6,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(40),
        seed: Some(5),
        ..RetryConfig::default()
    }
}

/// A workspace of the mock server by ID.
pub fn workspace(server: &MockServer, id: &str) -> CloudWorkspace {
    CloudWorkspace::builder()
        .api_root(server.public_api_root())
        .workspace_id(id)
        .client_credentials(
            airbyte_mock_server::DEFAULT_CLIENT_ID,
            airbyte_mock_server::DEFAULT_CLIENT_SECRET,
        )
        .retry(fast_retry())
        .build()
        .expect("the workspace builds")
}

/// The default world's production workspace.
pub fn production(server: &MockServer) -> CloudWorkspace {
    workspace(server, PRODUCTION)
}

/// A new, empty workspace of the default organization.
pub async fn empty_workspace(server: &MockServer, name: &str) -> CloudWorkspace {
    let production = production(server);
    let created = production
        .create_workspace(name)
        .await
        .expect("the workspace is created");
    production.other_workspace(created.workspace_id)
}

/// A fresh directory holding `workspace.yaml` with this text, and a new, empty workspace
/// (named `name`) to plan it against.
pub async fn files_and_workspace(
    server: &MockServer,
    text: &str,
    name: &str,
) -> (tempfile::TempDir, CloudWorkspace) {
    let dir = directory();
    write(dir.path(), "workspace.yaml", text);
    (dir, empty_workspace(server, name).await)
}

/// A fresh directory, removed when dropped.
pub fn directory() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("airbyte-files-")
        .tempdir()
        .expect("a temporary directory")
}

/// Writes a file into a directory (creating parents).
pub fn write(directory: &Path, name: &str, text: &str) -> PathBuf {
    let path = directory.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("a directory");
    }
    std::fs::write(&path, text).expect("the file is written");
    path
}

/// An environment of variables.
pub fn env(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
        .collect()
}

/// The environment an exported template asks for, every variable set to a made-up value.
pub fn env_for_template(directory: &Path) -> BTreeMap<String, String> {
    let template = std::fs::read_to_string(directory.join(airbyte_workspace_files::TEMPLATE_FILE))
        .expect("the template exists");
    template
        .lines()
        .filter(|line| !line.starts_with('#') && line.ends_with('='))
        .map(|line| {
            let name = line.trim_end_matches('=').to_owned();
            let value = format!("value-of-{}", name.to_lowercase());
            (name, value)
        })
        .collect()
}

/// Reads the files and plans them.
pub async fn plan(
    workspace: &CloudWorkspace,
    directory: &Path,
    env: &BTreeMap<String, String>,
    options: PlanOptions,
) -> Result<(WorkspaceFiles, Plan)> {
    let files = WorkspaceFiles::read(directory, env)?;
    let plan = Plan::build(workspace, &files, options).await?;
    Ok((files, plan))
}

/// Reads the files and plans them with the default options, panicking on any error.
pub async fn planned(
    workspace: &CloudWorkspace,
    directory: &Path,
    env: &BTreeMap<String, String>,
) -> Plan {
    let (_, plan) = plan(workspace, directory, env, PlanOptions::default())
        .await
        .expect("a plan");
    plan
}

/// Reads, plans and applies.
pub async fn plan_and_apply(
    workspace: &CloudWorkspace,
    directory: &Path,
    env: &BTreeMap<String, String>,
    parallel: usize,
) -> Result<ApplyReport> {
    let (files, plan) = plan(workspace, directory, env, PlanOptions::default()).await?;
    apply(workspace, &files, &plan, ApplyOptions { parallel }).await
}

/// The changes of a plan, as `action kind name` lines (no-ops left out).
pub fn changes(plan: &Plan) -> Vec<String> {
    plan.items
        .iter()
        .filter(|item| item.action != airbyte_workspace_files::Action::NoOp)
        .map(|item| format!("{} {} {}", item.action, item.kind, item.name))
        .collect()
}

/// Plans the files and asserts that nothing would change.
pub async fn assert_no_changes(
    workspace: &CloudWorkspace,
    directory: &Path,
    env: &BTreeMap<String, String>,
) {
    let plan = planned(workspace, directory, env).await;
    assert_eq!(changes(&plan), Vec::<String>::new(), "{:#?}", plan.items);
}

/// The one item of a plan that changes something (asserting there is exactly one).
pub fn only_change(plan: &Plan) -> &airbyte_workspace_files::PlanItem {
    let changed: Vec<_> = plan
        .items
        .iter()
        .filter(|item| item.action != airbyte_workspace_files::Action::NoOp)
        .collect();
    assert_eq!(changed.len(), 1, "{changed:#?}");
    changed[0]
}

/// Every file of a directory (recursively), relative path to contents, the lock file left out.
pub fn files_of(directory: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).expect("a directory").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path
                .file_name()
                .is_some_and(|name| name != airbyte_workspace_files::LOCK_FILE)
            {
                let relative = path.strip_prefix(root).unwrap().display().to_string();
                out.insert(relative, std::fs::read_to_string(&path).expect("text"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(directory, directory, &mut out);
    out
}

/// Sends a request to the mock's control API (`/_mock/...`) and returns the answer's body.
pub async fn control(server: &MockServer, method: &str, path: &str, body: &Value) -> String {
    let mut stream = tokio::net::TcpStream::connect(server.addr())
        .await
        .expect("the mock server accepts");
    let body = body.to_string();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nhost: {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        server.addr(),
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("sent");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.expect("an answer");
    assert!(
        answer.starts_with("HTTP/1.1 200"),
        "the mock refused {method} {path}: {answer}"
    );
    answer
}

/// Replaces the mock's faults (`PUT /_mock/faults`).
pub async fn set_faults(server: &MockServer, faults: Value) {
    control(server, "PUT", "/_mock/faults", &faults).await;
}

/// How many live resources of a list have this name.
pub async fn named(workspace: &CloudWorkspace, kind: &str, name: &str) -> usize {
    match kind {
        "source" => workspace
            .list_sources()
            .name(name)
            .collect()
            .await
            .unwrap()
            .len(),
        "destination" => workspace
            .list_destinations()
            .name(name)
            .collect()
            .await
            .unwrap()
            .len(),
        "connection" => workspace
            .list_connections()
            .name(name)
            .collect()
            .await
            .unwrap()
            .len(),
        _ => panic!("unknown kind {kind}"),
    }
}

/// Requests of the journal that changed something.
pub fn writes(server: &MockServer) -> usize {
    server
        .journal()
        .iter()
        .filter(|entry| entry.method != "GET" && !entry.path.ends_with("/applications/token"))
        .count()
}
