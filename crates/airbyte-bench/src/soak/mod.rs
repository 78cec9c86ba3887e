//! `airbyte-bench soak`: concurrent workflows through the facade against a mock server that
//! injects faults, then a reconciliation of what the server holds with what the clients
//! believe.
//!
//! Most rounds share a source or a destination between several workers' connections, and every
//! round ends with a cascade delete, so cascades from several workers meet resources other
//! connections still use. The figures that must be zero: resources created twice, resources
//! lost track of, resources deleted that no caller asked to delete (server-side cascades the
//! caller was not told about included), and panics.

mod evidence;
mod ledger;
mod reconcile;
mod workflow;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use airbyte::mock::{FaultConfig, MockConfig, MockServer, default_world};
use airbyte::prelude::*;

use ledger::Ledger;
use reconcile::{ServerState, reconcile};
use workflow::{SharedPool, one_workflow};

/// Settings of a soak run.
pub(crate) struct SoakOptions {
    pub(crate) duration: Duration,
    pub(crate) workers: usize,
    pub(crate) seed: u64,
    /// The most latency the server adds to a request (each gets a random amount up to it):
    /// more widens the instants in which concurrent callers race, as a loaded machine does.
    pub(crate) max_latency: Duration,
}

fn builder(server: &MockServer) -> airbyte::cloud::CloudWorkspaceBuilder {
    CloudWorkspace::builder()
        .api_root(server.public_api_root())
        .workspace_id(default_world::STAGING_WORKSPACE_ID)
        .client_credentials(
            airbyte::mock::DEFAULT_CLIENT_ID,
            airbyte::mock::DEFAULT_CLIENT_SECRET,
        )
}

/// Runs the workers until the deadline; returns the number of panics.
async fn run_workers(
    workspace: &CloudWorkspace,
    ledger: &Arc<Ledger>,
    workers: usize,
    deadline: Instant,
) -> u64 {
    let pool = Arc::new(SharedPool::default());
    let mut handles = Vec::new();
    for worker in 0..workers {
        let (workspace, ledger, pool) = (workspace.clone(), ledger.clone(), pool.clone());
        handles.push(tokio::spawn(async move {
            let mut panics = 0u64;
            let mut round = 0;
            while Instant::now() < deadline {
                round += 1;
                let (workspace, ledger, pool) = (workspace.clone(), ledger.clone(), pool.clone());
                let outcome = tokio::spawn(async move {
                    one_workflow(&workspace, &pool, &ledger, worker, round).await;
                })
                .await;
                if outcome.is_err_and(|error| error.is_panic()) {
                    panics += 1;
                }
            }
            panics
        }));
    }
    let mut panics = 0;
    for handle in handles {
        match handle.await {
            Ok(count) => panics += count,
            Err(_) => panics += 1,
        }
    }
    panics
}

/// Runs the soak; returns whether every must-be-zero figure is zero.
pub(crate) async fn run(options: SoakOptions) -> bool {
    let server = MockServer::start(MockConfig {
        job_duration: Duration::from_millis(300),
        token_ttl: Duration::from_secs(3),
        seed: Some(options.seed),
        ..MockConfig::default()
    })
    .await
    .expect("the mock server starts");
    let before = {
        let clean = builder(&server).build().expect("a workspace");
        ServerState::read(&clean).await.expect("the world before")
    };
    server.set_faults(FaultConfig {
        latency_min_ms: 0,
        latency_max_ms: u64::try_from(options.max_latency.as_millis()).unwrap_or(u64::MAX),
        rate_502: 0.05,
        rate_503: 0.05,
        rate_429: 0.05,
        retry_after_secs: Some(1),
        rate_reset_before: 0.02,
        rate_reset_after: 0.01,
        ..FaultConfig::default()
    });
    let workspace = builder(&server)
        .retry(RetryConfig {
            max_attempts: 8,
            initial_backoff: Duration::from_millis(20),
            max_backoff: Duration::from_millis(400),
            max_retry_after: Duration::from_secs(5),
            seed: Some(options.seed),
            ..RetryConfig::default()
        })
        .timeouts(Timeouts {
            attempt: Duration::from_secs(10),
            operation: Duration::from_secs(60),
            ..Timeouts::default()
        })
        .build()
        .expect("a workspace");
    let ledger = Arc::new(Ledger::default());
    let started = Instant::now();
    let panics = run_workers(
        &workspace,
        &ledger,
        options.workers,
        started + options.duration,
    )
    .await;
    let elapsed = started.elapsed();
    server.set_faults(FaultConfig::default());
    let stats = workspace.client().stats();
    let after = ServerState::read(&workspace)
        .await
        .expect("the world after (faults off)");
    let entries = ledger.take();
    let findings = reconcile(&before, &after, &entries);

    let failed: u64 = entries.failed.values().sum();
    let journal = server.journal();
    let injected = journal
        .iter()
        .filter(|entry| matches!(entry.status, 0 | 429 | 502 | 503))
        .count();
    let tokens = journal
        .iter()
        .filter(|entry| entry.path.ends_with("/applications/token"))
        .count();
    println!(
        "soak: {:.1} s, {} workers, seed {}, latency up to {} ms",
        elapsed.as_secs_f64(),
        options.workers,
        options.seed,
        options.max_latency.as_millis()
    );
    println!("  operations attempted      {}", entries.attempted);
    println!("  operations succeeded      {}", entries.succeeded);
    println!("  operations failed         {failed}");
    for (kind, count) in &entries.failed {
        println!("    {count:>5}  {kind}");
    }
    println!("  requests sent             {}", stats.attempts);
    println!("  faults injected           {injected}");
    println!("  retries                   {}", stats.retries);
    println!("  retry budget refusals     {}", stats.budget_exhausted);
    println!(
        "  token requests            {} ({} minted by the client, token TTL 3 s)",
        tokens, stats.token_requests
    );
    println!("  re-authentications (401)  {}", stats.reauthentications);
    println!(
        "  cascades refused (shared resource in use)  {}",
        entries.cascades_refused
    );
    println!(
        "  dependents deleted on request              {}",
        entries.dependents_deleted
    );
    // What only a report names: no caller asked for it (another may also have deleted one
    // the report names, in the instant between its two looks at the connections).
    let told_only = |told: &HashSet<String>| {
        let mut ids: Vec<String> = told.difference(&entries.asked).cloned().collect();
        ids.sort();
        ids
    };
    println!(
        "  deletions reported as unplanned            {} ({} asked by no caller)",
        entries.told.len(),
        told_only(&entries.told).len()
    );
    let stopped_only = told_only(&entries.told_by_stopped);
    println!(
        "    by a delete that stopped part way        {} ({} asked by no caller)",
        entries.told_by_stopped.len(),
        stopped_only.len()
    );
    for id in stopped_only.iter().take(5) {
        let name = after.all.get(id).map_or("", |(_, name)| name.as_str());
        println!("      connection {name:?} ({id})");
        for request in evidence::evidence(&journal, id, name, after.uses.get(id)) {
            println!("        {request}");
        }
    }
    println!(
        "  deleted with a resource whose connections could not be listed (told, unnamed)  {}",
        findings.told_unnamed
    );
    println!(
        "  may-have-been-applied reconciled by name   {}",
        findings.reconciled
    );
    println!(
        "  resources created twice   {} (must be 0)",
        findings.duplicates.len()
    );
    println!(
        "  resources lost track of   {} (must be 0)",
        findings.lost.len()
    );
    println!(
        "  resources deleted that no caller asked to delete  {} (must be 0)",
        findings.unasked_deletions.len()
    );
    println!("  panics                    {panics} (must be 0)");
    for line in findings.duplicates.iter().chain(&findings.lost).take(20) {
        println!("    {line}");
    }
    for (id, line) in findings.unasked_deletions.iter().take(20) {
        println!("    {line}");
        let name = after.all.get(id).map_or("", |(_, name)| name.as_str());
        for request in evidence::evidence(&journal, id, name, after.uses.get(id)) {
            println!("      {request}");
        }
    }
    server.shutdown().await;
    let healthy = findings.duplicates.is_empty()
        && findings.lost.is_empty()
        && findings.unasked_deletions.is_empty()
        && panics == 0
        && entries.succeeded > 0;
    if !healthy {
        println!("soak: FAILED");
    }
    healthy
}
