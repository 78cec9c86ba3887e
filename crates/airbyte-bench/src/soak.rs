//! `airbyte-bench soak`: concurrent workflows through the facade against a mock server that
//! injects faults, then a reconciliation of what the server holds with what the clients
//! believe.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use airbyte::mock::{FaultConfig, MockConfig, MockServer, default_world};
use airbyte::prelude::*;
use serde_json::json;

/// Settings of a soak run.
pub(crate) struct SoakOptions {
    pub(crate) duration: Duration,
    pub(crate) workers: usize,
    pub(crate) seed: u64,
}

/// What one resource's creation became, in the clients' eyes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Belief {
    /// Created (the client has its ID).
    Created,
    /// The create may have been applied: no answer arrived.
    Maybe,
    /// Deleted by the client.
    Deleted,
    /// The delete may have been applied.
    MaybeDeleted,
}

#[derive(Default)]
struct Tally {
    attempted: u64,
    succeeded: u64,
    failed: BTreeMap<String, u64>,
    beliefs: HashMap<(String, String), Belief>,
}

impl Tally {
    fn outcome<T>(&mut self, operation: &str, result: &airbyte::Result<T>) {
        self.attempted += 1;
        match result {
            Ok(_) => self.succeeded += 1,
            Err(error) => {
                *self
                    .failed
                    .entry(format!("{operation}: {}", kind(error)))
                    .or_default() += 1
            }
        }
    }
}

fn kind(error: &airbyte::Error) -> String {
    use airbyte::transport::Error as T;
    match error {
        airbyte::Error::Transport(T::Api(api)) => format!("HTTP {}", api.status.as_u16()),
        airbyte::Error::Transport(T::Timeout { kind, .. }) => format!("{kind} timeout"),
        airbyte::Error::Transport(T::Transport {
            may_have_been_applied: true,
            ..
        }) => "connection lost, may have been applied".to_owned(),
        airbyte::Error::Transport(T::Transport { .. }) => "connection lost".to_owned(),
        airbyte::Error::Transport(T::Connect { .. }) => "connect".to_owned(),
        airbyte::Error::Transport(T::Decode { .. }) => "decode".to_owned(),
        airbyte::Error::Transport(T::Authentication { .. }) => "authentication".to_owned(),
        airbyte::Error::Transport(other) => format!("transport: {other}"),
        airbyte::Error::SyncFailed { .. } => "sync failed".to_owned(),
        airbyte::Error::SyncTimedOut { .. } => "sync timed out".to_owned(),
        airbyte::Error::SyncAlreadyRunning { .. } => "sync already running".to_owned(),
        airbyte::Error::MissingResource { .. } => "missing".to_owned(),
        other => format!("{other}"),
    }
}

fn record_create<T>(
    tally: &Mutex<Tally>,
    resource: &str,
    name: &str,
    operation: &str,
    result: &airbyte::Result<T>,
) {
    let mut tally = tally
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    tally.outcome(operation, result);
    let belief = match result {
        Ok(_) => Some(Belief::Created),
        Err(error) if error.may_have_been_applied() => Some(Belief::Maybe),
        Err(_) => None,
    };
    if let Some(belief) = belief {
        tally
            .beliefs
            .insert((resource.to_owned(), name.to_owned()), belief);
    }
}

fn record_delete(tally: &Mutex<Tally>, names: &[(&str, &str)], result: &airbyte::Result<()>) {
    let mut tally = tally
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    tally.outcome("delete connection with cascade", result);
    for (resource, name) in names {
        let belief = if result.is_ok() {
            Belief::Deleted
        } else {
            Belief::MaybeDeleted
        };
        tally
            .beliefs
            .insert(((*resource).to_owned(), (*name).to_owned()), belief);
    }
}

async fn one_workflow(workspace: &CloudWorkspace, tally: &Mutex<Tally>, worker: usize, round: u64) {
    let name = |what: &str| format!("soak-{worker}-{round}-{what} (delete-me)");
    let (source_name, destination_name, connection_name) = (name("src"), name("dst"), name("conn"));
    let source = workspace
        .deploy_source(&source_name, "faker", json!({"count": 5}))
        .await;
    record_create(tally, "source", &source_name, "deploy source", &source);
    let destination = workspace
        .deploy_destination(&destination_name, "dev-null", json!({}))
        .await;
    record_create(
        tally,
        "destination",
        &destination_name,
        "deploy destination",
        &destination,
    );
    let (Ok(source), Ok(destination)) = (source, destination) else {
        return;
    };
    let connection = workspace
        .deploy_connection(&source, &destination)
        .name(&connection_name)
        .streams(["users"])
        .await;
    record_create(
        tally,
        "connection",
        &connection_name,
        "deploy connection",
        &connection,
    );
    let Ok(connection) = connection else { return };
    let sync = connection
        .run_sync()
        .attach_if_running(true)
        .wait_options(WaitOptions {
            poll_interval: Duration::from_millis(50),
            max_poll_interval: Duration::from_millis(300),
            timeout: Some(Duration::from_secs(60)),
            ..WaitOptions::default()
        })
        .await;
    tally
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .outcome("sync and wait", &sync);
    if let Ok(sync) = sync {
        let attempts = sync.attempts().await;
        tally
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .outcome("read logs", &attempts);
    }
    let listed = workspace.list_connections().collect().await;
    tally
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .outcome("list connections", &listed);
    let deleted = connection
        .permanently_delete(DeleteConnection {
            cascade_source: true,
            cascade_destination: true,
            safe_mode: true,
            delete_dependents: false,
        })
        .await;
    record_delete(
        tally,
        &[
            ("connection", &connection_name),
            ("source", &source_name),
            ("destination", &destination_name),
        ],
        &deleted,
    );
}

/// Names of the live resources of the workspace, by kind (faults off).
async fn server_names(
    workspace: &CloudWorkspace,
) -> airbyte::Result<HashMap<(String, String), usize>> {
    let mut names: HashMap<(String, String), usize> = HashMap::new();
    for source in workspace.list_sources().collect().await? {
        *names
            .entry(("source".into(), source.name().await?))
            .or_default() += 1;
    }
    for destination in workspace.list_destinations().collect().await? {
        *names
            .entry(("destination".into(), destination.name().await?))
            .or_default() += 1;
    }
    for connection in workspace.list_connections().collect().await? {
        *names
            .entry(("connection".into(), connection.name().await?))
            .or_default() += 1;
    }
    Ok(names)
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
    let workspace_id = default_world::STAGING_WORKSPACE_ID;
    let before = {
        let clean = CloudWorkspace::builder()
            .api_root(server.public_api_root())
            .workspace_id(workspace_id)
            .client_credentials(
                airbyte::mock::DEFAULT_CLIENT_ID,
                airbyte::mock::DEFAULT_CLIENT_SECRET,
            )
            .build()
            .expect("a workspace");
        server_names(&clean).await.expect("the world before")
    };
    server.set_faults(FaultConfig {
        latency_min_ms: 0,
        latency_max_ms: 15,
        rate_502: 0.05,
        rate_503: 0.05,
        rate_429: 0.05,
        retry_after_secs: Some(1),
        rate_reset_before: 0.02,
        rate_reset_after: 0.01,
        ..FaultConfig::default()
    });
    let workspace = CloudWorkspace::builder()
        .api_root(server.public_api_root())
        .workspace_id(workspace_id)
        .client_credentials(
            airbyte::mock::DEFAULT_CLIENT_ID,
            airbyte::mock::DEFAULT_CLIENT_SECRET,
        )
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
    let tally = Arc::new(Mutex::new(Tally::default()));
    let started = Instant::now();
    let deadline = started + options.duration;
    let mut workers = Vec::new();
    for worker in 0..options.workers {
        let (workspace, tally) = (workspace.clone(), tally.clone());
        workers.push(tokio::spawn(async move {
            let mut panics = 0u64;
            let mut round = 0;
            while Instant::now() < deadline {
                round += 1;
                let (workspace, tally) = (workspace.clone(), tally.clone());
                let outcome =
                    tokio::spawn(
                        async move { one_workflow(&workspace, &tally, worker, round).await },
                    )
                    .await;
                if let Err(error) = outcome
                    && error.is_panic()
                {
                    panics += 1;
                }
            }
            panics
        }));
    }
    let mut panics = 0;
    for worker in workers {
        match worker.await {
            Ok(count) => panics += count,
            Err(_) => panics += 1,
        }
    }
    let elapsed = started.elapsed();
    server.set_faults(FaultConfig::default());
    let stats = workspace.client().stats();
    let after = server_names(&workspace)
        .await
        .expect("the world after (faults off)");
    let tally = std::mem::take(
        &mut *tally
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );

    // Reconciliation: every live resource that is new since the start must be one the clients
    // created or may have created; none may exist twice; none the clients believe alive may be
    // missing.
    let mut duplicates = Vec::new();
    let mut lost = Vec::new();
    let mut reconciled = 0u64;
    for (key, count) in &after {
        if before.contains_key(key) {
            continue;
        }
        if *count > 1 {
            duplicates.push(format!("{} {:?} x{count}", key.0, key.1));
        }
        match tally.beliefs.get(key) {
            Some(Belief::Created) => {}
            Some(Belief::Maybe) => reconciled += 1,
            Some(Belief::MaybeDeleted) => reconciled += 1,
            Some(Belief::Deleted) => lost.push(format!(
                "{} {:?} was deleted but still exists",
                key.0, key.1
            )),
            None => lost.push(format!(
                "{} {:?} exists but no client knows it",
                key.0, key.1
            )),
        }
    }
    let mut known_alive: HashSet<&(String, String)> = HashSet::new();
    for (key, belief) in &tally.beliefs {
        if *belief == Belief::Created {
            known_alive.insert(key);
            if !after.contains_key(key) {
                lost.push(format!("{} {:?} was created but is gone", key.0, key.1));
            }
        }
    }
    let failed: u64 = tally.failed.values().sum();
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
        "soak: {:.1} s, {} workers, seed {}",
        elapsed.as_secs_f64(),
        options.workers,
        options.seed
    );
    println!("  operations attempted      {}", tally.attempted);
    println!("  operations succeeded      {}", tally.succeeded);
    println!("  operations failed         {failed}");
    for (kind, count) in &tally.failed {
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
    println!("  may-have-been-applied reconciled by name  {reconciled}");
    println!(
        "  resources created twice   {} (must be 0)",
        duplicates.len()
    );
    println!("  resources lost track of   {} (must be 0)", lost.len());
    println!("  panics                    {panics} (must be 0)");
    for line in duplicates.iter().chain(&lost).take(20) {
        println!("    {line}");
    }
    server.shutdown().await;
    let healthy = duplicates.is_empty() && lost.is_empty() && panics == 0 && tally.succeeded > 0;
    if !healthy {
        println!("soak: FAILED");
    }
    healthy
}
