//! Section 6, configuration as code: `apply` of 500 connections with their sources and
//! destinations against a mock server with 20-80 ms of latency per request, sequential against
//! concurrent, and the requests of a plan of the unchanged workspace.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::{Duration, Instant};

use airbyte::prelude::CloudWorkspace;
use airbyte::workspace_files::{ApplyOptions, Plan, PlanOptions, WorkspaceFiles, apply};
use bytes::Bytes;
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

/// How many connections (and sources, and destinations) the workspace holds.
const CONNECTIONS: usize = 500;
/// The concurrency measured against one at a time.
const PARALLEL: usize = 16;
const LATENCY: (u64, u64) = (20, 80);

/// The files of a workspace of `CONNECTIONS` connections, each with its own source and
/// destination; every destination has a secret.
fn files_text() -> String {
    let mut text = String::from("sources:\n");
    for index in 0..CONNECTIONS {
        let _ = writeln!(
            text,
            "  source {index:03}:\n    type: faker\n    configuration:\n      count: {index}"
        );
    }
    text.push_str("destinations:\n");
    for index in 0..CONNECTIONS {
        let _ = writeln!(
            text,
            "  destination {index:03}:\n    type: postgres\n    configuration:\n      host: db{index}.internal\n      password: ${{env:BENCH_PASSWORD}}"
        );
    }
    text.push_str("connections:\n");
    for index in 0..CONNECTIONS {
        let _ = writeln!(
            text,
            "  connection {index:03}:\n    source: source {index:03}\n    destination: destination {index:03}\n    schedule: 0 0 {} * * ?\n    streams:\n      - name: users\n        sync_mode: incremental_append\n      - name: products",
            index % 24
        );
    }
    text
}

/// Sends a request with a JSON body to the mock's control API.
pub(crate) async fn control(base: &str, method: &str, path: &str, body: &Value) -> Value {
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let request = http::Request::builder()
        .method(method)
        .uri(format!("{base}{path}"))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("a request");
    let response = client.request(request).await.expect("an answer");
    assert!(
        response.status().is_success(),
        "{method} {path}: {}",
        response.status()
    );
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .expect("a body")
        .to_bytes();
    serde_json::from_slice(&body).unwrap_or(Value::Null)
}

/// A new, empty workspace of the mock server's default organization.
pub(crate) async fn new_workspace(base: &str, name: &str) -> CloudWorkspace {
    let any =
        crate::report::workspace_for(base, airbyte::mock::default_world::PRODUCTION_WORKSPACE_ID);
    let created = any.create_workspace(name).await.expect("a workspace");
    any.other_workspace(created.workspace_id)
}

/// Plans and applies the files into a new workspace: (plan time, apply time, changes done).
async fn timed_apply(
    base: &str,
    files: &WorkspaceFiles,
    parallel: usize,
) -> (Duration, Duration, usize) {
    let workspace = new_workspace(base, &format!("bench apply x{parallel}")).await;
    workspace.connect().await.expect("the workspace");
    let started = Instant::now();
    let plan = Plan::build(
        &workspace,
        files,
        PlanOptions {
            parallel,
            ..PlanOptions::default()
        },
    )
    .await
    .expect("a plan");
    let planned = started.elapsed();
    let started = Instant::now();
    let report = apply(&workspace, files, &plan, ApplyOptions { parallel })
        .await
        .expect("the apply succeeds");
    (planned, started.elapsed(), report.done())
}

/// The section.
pub(crate) async fn section(binary: &Path) -> String {
    let mock = crate::report::start_mock(binary, &[]).await;
    let base = mock.base_url.clone();
    let dir = std::env::temp_dir().join(format!("airbyte-bench-apply-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temp dir");
    std::fs::write(dir.join("workspace.yaml"), files_text()).expect("the files");
    let env: BTreeMap<String, String> =
        [("BENCH_PASSWORD".to_owned(), "bench-secret".to_owned())].into();
    let files = WorkspaceFiles::read(&dir, &env).expect("valid files");
    // The lock file is per workspace: both applies share the directory without meeting.
    control(
        &base,
        "PUT",
        "/_mock/faults",
        &json!({"latencyMinMs": LATENCY.0, "latencyMaxMs": LATENCY.1, "includeTokenEndpoint": false}),
    )
    .await;
    eprintln!("bench: apply, {PARALLEL} at once");
    let (plan_parallel, concurrent, done) = timed_apply(&base, &files, PARALLEL).await;
    eprintln!(
        "bench: apply, one at a time (about {} s)",
        CONNECTIONS as u64 * 3 * (LATENCY.0 + LATENCY.1) / 2 / 1000
    );
    let (plan_sequential, sequential, _) = timed_apply(&base, &files, 1).await;
    let speedup = sequential.as_secs_f64() / concurrent.as_secs_f64();

    // The plan of the unchanged workspace (the last one applied), counted in requests.
    let workspace_id = files_workspace(&dir);
    let workspace = crate::report::workspace_for(&base, &workspace_id);
    control(&base, "DELETE", "/_mock/journal", &Value::Null).await;
    let started = Instant::now();
    let plan = Plan::build(&workspace, &files, PlanOptions::default())
        .await
        .expect("a plan");
    let unchanged_plan = started.elapsed();
    assert!(!plan.has_changes(), "the applied workspace plans no change");
    let journal = control(&base, "GET", "/_mock/journal", &Value::Null).await;
    drop(mock);
    let _ = std::fs::remove_dir_all(&dir);
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_resource = 0;
    for entry in journal.as_array().into_iter().flatten() {
        let path = entry["path"].as_str().unwrap_or_default();
        let segments: Vec<&str> = path.split('/').collect();
        let is_id = |segment: &&str| segment.len() > 20;
        if segments.iter().any(is_id) && !path.contains("/definitions/") {
            per_resource += 1;
        }
        let template: Vec<&str> = segments
            .iter()
            .map(|segment| if is_id(segment) { "{id}" } else { segment })
            .collect();
        *counts
            .entry(format!(
                "{} {}",
                entry["method"].as_str().unwrap_or_default(),
                template.join("/")
            ))
            .or_default() += 1;
    }
    let total: usize = counts.values().sum();
    let verdict = if speedup >= 10.0 { "meets" } else { "misses" };
    let plan_verdict = if per_resource == 0 { "meets" } else { "misses" };
    let mut body = format!(
        "`apply` of a workspace of {CONNECTIONS} connections, each with its own source and destination (a faker source, a postgres destination with a secret from the environment, two streams), {total_resources} creates in all, into a new workspace of the mock server with {}–{} ms of latency on every request (`PUT /_mock/faults` `latencyMinMs`/`latencyMaxMs`), through the SDK's `airbyte_workspace_files::apply` (what `airbyte apply` runs). One run of each (the sequential one takes minutes).\n\n\
         | run | plan (list pages, empty workspace) | apply |\n|---|---|---|\n\
         | `--parallel {PARALLEL}` | {:.2} s | **{:.1} s** |\n\
         | `--parallel 1` (sequential) | {:.2} s | {:.1} s |\n\n\
         Speed-up of `--parallel {PARALLEL}` over sequential: **{speedup:.1}x** (target ≥ 10x: {verdict}). Changes applied: {done}. Two steps (sources and destinations, then connections) and the lock file rewritten after each success keep the speed-up below {PARALLEL}x.\n\n\
         Plan of the unchanged workspace (everything applied; its time is mostly the {CONNECTIONS} destination secrets checked against their PBKDF2 fingerprints): {:.2} s, **{total} requests, {per_resource} for a single resource** (target: list pages only: {plan_verdict}):\n\n| request | count |\n|---|---|\n",
        LATENCY.0,
        LATENCY.1,
        plan_parallel.as_secs_f64(),
        concurrent.as_secs_f64(),
        plan_sequential.as_secs_f64(),
        sequential.as_secs_f64(),
        unchanged_plan.as_secs_f64(),
        total_resources = CONNECTIONS * 3,
    );
    for (key, count) in &counts {
        let _ = writeln!(body, "| `{key}` | {count} |");
    }
    body.push_str("\nPages hold 100 items: each list of 500 is read in pages of 100 until a short page. Tags and custom definitions are one request each; no resource is read on its own, and streams are read only for connections whose streams an apply would send (none here).\n");
    body
}

/// The workspace of the last apply, from the lock file (the sequential one).
fn files_workspace(dir: &Path) -> String {
    let lock =
        airbyte::workspace_files::LockFile::read(&dir.join(airbyte::workspace_files::LOCK_FILE))
            .expect("the lock file");
    lock.workspaces
        .iter()
        .max_by_key(|(_, section)| section.connections.len())
        .map(|(id, _)| id.clone())
        .expect("a workspace in the lock file")
}
