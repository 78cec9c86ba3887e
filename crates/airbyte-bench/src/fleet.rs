//! Section 9, fleet operations: syncs of 500 connections started and waited for through
//! `CloudWorkspace::sync_many` against a mock server with 20-80 ms of latency and a rate limit
//! of R requests per second, against the bound the rate limit sets and a sequential loop.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::future::IntoFuture;
use std::path::Path;
use std::time::{Duration, Instant};

use airbyte::cloud::{ConnectionSelection, FleetSummary};
use airbyte::prelude::*;
use futures_util::{StreamExt, TryStreamExt};
use serde_json::{Value, json};

use crate::apply::{control, new_workspace};

/// How many connections are synced.
const CONNECTIONS: usize = 500;
/// The mock's rate limit, requests per second (burst: one second's worth).
const RATE: f64 = 50.0;
/// The latency of every request, in milliseconds.
const LATENCY: (u64, u64) = (20, 80);
/// Jobs run between these durations, in milliseconds (spread evenly over the connections).
const JOB_MS: (u64, u64) = (1_000, 5_000);
/// How many jobs run at once.
const PARALLEL: usize = 200;
/// The connections the sequential loop syncs, to extrapolate from.
const SEQUENTIAL_SAMPLE: usize = 10;

/// Deploys `CONNECTIONS` connections (one source and one destination for all) into a new
/// workspace, each with its own job duration.
async fn setup(base: &str) -> (CloudWorkspace, Vec<CloudConnection>) {
    let workspace = new_workspace(base, "bench fleet").await;
    let source = workspace
        .deploy_source("fleet source", "faker", json!({"count": 10}))
        .await
        .expect("a source");
    let destination = workspace
        .deploy_destination("fleet sink", "dev-null", json!({}))
        .await
        .expect("a destination");
    let connections: Vec<CloudConnection> = futures_util::stream::iter(0..CONNECTIONS)
        .map(|index| {
            workspace
                .deploy_connection(&source, &destination)
                .name(format!("fleet {index:03}"))
                .streams(["users"])
                .into_future()
        })
        .buffer_unordered(16)
        .try_collect()
        .await
        .expect("the connections");
    for (index, connection) in connections.iter().enumerate() {
        // Durations shuffled over the connections (7919 is prime to 500: a permutation), so
        // that the longest jobs are not all started last.
        let span = JOB_MS.1 - JOB_MS.0;
        let place = (index as u64 * 7_919) % CONNECTIONS as u64;
        let duration = JOB_MS.0 + span * place / (CONNECTIONS as u64 - 1);
        control(
            base,
            "PUT",
            &format!("/_mock/connections/{}/script", connection.id()),
            &json!({"outcome": "succeed", "durationMs": duration}),
        )
        .await;
    }
    (workspace, connections)
}

/// Latency on every request (tokens aside) and the rate limit; a fresh journal.
async fn limit(base: &str) {
    control(
        base,
        "PUT",
        "/_mock/faults",
        &json!({"latencyMinMs": LATENCY.0, "latencyMaxMs": LATENCY.1, "includeTokenEndpoint": false}),
    )
    .await;
    control(
        base,
        "PUT",
        "/_mock/rate-limit",
        &json!({"perSecond": RATE, "burst": RATE as u32}),
    )
    .await;
    // The buckets start full: let the setup's traffic be forgotten.
    tokio::time::sleep(Duration::from_secs(1)).await;
    control(base, "DELETE", "/_mock/journal", &Value::Null).await;
}

/// What the server saw during one run.
#[derive(Debug, Default)]
struct Served {
    /// Requests answered (not refused), by kind.
    answered: BTreeMap<&'static str, usize>,
    refused: usize,
    /// Answers other than success and 429.
    errors: usize,
    starts: usize,
}

impl Served {
    fn answered_total(&self) -> usize {
        self.answered.values().sum()
    }
}

async fn served(base: &str) -> Served {
    let journal = control(base, "GET", "/_mock/journal", &Value::Null).await;
    let mut served = Served::default();
    for entry in journal.as_array().into_iter().flatten() {
        let path = entry["path"].as_str().unwrap_or_default();
        let method = entry["method"].as_str().unwrap_or_default();
        let status = entry["status"].as_u64().unwrap_or_default();
        if path.ends_with("/applications/token") {
            continue;
        }
        if status == 429 {
            served.refused += 1;
            continue;
        }
        if !(200..300).contains(&status) {
            served.errors += 1;
        }
        let kind = match (method, path) {
            ("POST", path) if path.ends_with("/jobs") => {
                served.starts += 1;
                "POST /jobs (start)"
            }
            ("GET", path) if path.contains("/jobs/") => "GET /jobs/{id} (poll)",
            ("GET", path) if path.ends_with("/connections") => "GET /connections (selection)",
            _ => "other",
        };
        *served.answered.entry(kind).or_default() += 1;
    }
    served
}

/// One fleet run, `cap` the optional request-rate cap.
async fn fleet_run(
    base: &str,
    workspace: &CloudWorkspace,
    cap: Option<f64>,
) -> (FleetSummary, Served) {
    limit(base).await;
    let mut fleet = workspace
        .sync_many(ConnectionSelection::All)
        .parallel(PARALLEL)
        .timeout(Duration::from_secs(600));
    if let Some(cap) = cap {
        fleet = fleet.max_request_rate(cap);
    }
    let summary = fleet.await.expect("the fleet run");
    let served = served(base).await;
    (summary, served)
}

/// Syncs a sample of the connections (their jobs' durations spread like the whole fleet's)
/// one at a time, as a loop over `run_sync` does.
async fn sequential(base: &str, connections: &[CloudConnection]) -> (Duration, usize) {
    limit(base).await;
    let started = Instant::now();
    for connection in connections.iter().step_by(CONNECTIONS / SEQUENTIAL_SAMPLE) {
        connection.run_sync().await.expect("a sync");
    }
    let elapsed = started.elapsed();
    let served = served(base).await;
    (elapsed, served.answered_total() + served.refused)
}

fn row(label: &str, summary: &FleetSummary, served: &Served) -> (String, f64) {
    let answered = served.answered_total();
    let bound = answered as f64 / RATE;
    let wall = summary.elapsed().as_secs_f64();
    let ratio = wall / bound;
    let stats = summary.stats();
    let text = format!(
        "| {label} | **{wall:.1} s** | {answered} | {bound:.1} s | **{ratio:.2}x** | {} | {} of {} | {}–{} |",
        served.refused,
        summary.count("succeeded"),
        summary.jobs().len(),
        stats.lowest_in_flight,
        stats.peak_in_flight,
    );
    (text, ratio)
}

/// The section.
pub(crate) async fn section(binary: &Path) -> String {
    let job_ms = (JOB_MS.0 + JOB_MS.1) / 2;
    let mock = crate::report::start_mock(binary, &["--job-duration", &job_ms.to_string()]).await;
    let base = mock.base_url.clone();
    eprintln!("bench: fleet, deploying {CONNECTIONS} connections");
    let (workspace, connections) = setup(&base).await;
    eprintln!("bench: fleet, {CONNECTIONS} syncs at {RATE}/s, adaptive");
    let (adaptive, adaptive_served) = fleet_run(&base, &workspace, None).await;
    eprintln!("bench: fleet, {CONNECTIONS} syncs at {RATE}/s, capped");
    let (capped, capped_served) = fleet_run(&base, &workspace, Some(RATE)).await;
    eprintln!("bench: fleet, {SEQUENTIAL_SAMPLE} syncs one at a time");
    let (sample, sample_requests) = sequential(&base, &connections).await;
    drop(mock);

    let minimum = CONNECTIONS * 2 + CONNECTIONS.div_ceil(100) + 1;
    let (adaptive_row, adaptive_ratio) = row(
        "adaptive (no cap; the pace follows the 429s)",
        &adaptive,
        &adaptive_served,
    );
    let (capped_row, capped_ratio) = row(
        &format!("capped (`max_request_rate({RATE})`)"),
        &capped,
        &capped_served,
    );
    let extrapolated = sample.as_secs_f64() * CONNECTIONS as f64 / SEQUENTIAL_SAMPLE as f64;
    let verdict = |ratio: f64, summary: &FleetSummary, served: &Served| {
        let complete = summary.count("succeeded") == CONNECTIONS
            && served.errors == 0
            && served.starts == CONNECTIONS;
        if ratio <= 1.25 && complete {
            "meets"
        } else {
            "misses"
        }
    };
    let mut body = format!(
        "`CloudWorkspace::sync_many(ConnectionSelection::All).parallel({PARALLEL})` (what `airbyte sync --all --parallel {PARALLEL}` runs) over {CONNECTIONS} connections of a new workspace of the mock server, every request delayed by {}–{} ms (`latencyMinMs`/`latencyMaxMs`) and limited to **{RATE} requests per second** for the credentials (`PUT /_mock/rate-limit`, a token bucket with a burst of one second's worth, answering 429 `{{\"message\":\"You are being rate limited.\"}}` without `Retry-After`, as Airbyte Cloud does). The jobs last {:.0} to {:.0} s (evenly spread, in shuffled order); each is polled from 2 s after its start, the wait growing by 1.5x (the default wait options). One run of each.\n\n\
         The bound is what the rate limit allows: the requests the run needed (those answered: the selection's pages, the starts and every poll; 429s excluded) divided by {RATE}/s. Fewer polls per job would lower it; the least possible is one start and one poll per job, {minimum} requests ({:.1} s).\n\n\
         | run | wall time | requests answered | bound | wall / bound | 429s | succeeded | requests in flight (lowest–peak) |\n|---|---|---|---|---|---|---|---|\n\
         {adaptive_row}\n{capped_row}\n\n",
        LATENCY.0,
        LATENCY.1,
        JOB_MS.0 as f64 / 1000.0,
        JOB_MS.1 as f64 / 1000.0,
        minimum as f64 / RATE,
    );
    let _ = writeln!(
        body,
        "Target within 1.25x of the bound, no failed job, no request beyond the limit's retries: adaptive **{}**, capped **{}**. Server-side errors other than 429: {} and {}; jobs started: {} and {} (one per connection, none twice). Every 429 was sent again by the run (resends: {} and {}), nothing else was.\n",
        verdict(adaptive_ratio, &adaptive, &adaptive_served),
        verdict(capped_ratio, &capped, &capped_served),
        adaptive_served.errors,
        capped_served.errors,
        adaptive_served.starts,
        capped_served.starts,
        adaptive.stats().resends,
        capped.stats().resends,
    );
    let _ = writeln!(
        body,
        "Requests answered, by kind (adaptive run):\n\n| request | count |\n|---|---|"
    );
    for (kind, count) in &adaptive_served.answered {
        let _ = writeln!(body, "| `{kind}` | {count} |");
    }
    let _ = writeln!(
        body,
        "\nSequential loop (`run_sync()` one connection at a time, default wait options), measured on a sample of {SEQUENTIAL_SAMPLE} connections (every {}th, so their jobs' durations spread like the fleet's) and extrapolated, since a full run would take about {:.0} minutes: {:.1} s for {SEQUENTIAL_SAMPLE} ({sample_requests} requests), so about **{:.0} s for {CONNECTIONS}**. The fleet run is **{:.0}x** faster (adaptive) and {:.0}x (capped).",
        CONNECTIONS / SEQUENTIAL_SAMPLE,
        extrapolated / 60.0,
        sample.as_secs_f64(),
        extrapolated,
        extrapolated / adaptive.elapsed().as_secs_f64(),
        extrapolated / capped.elapsed().as_secs_f64(),
    );
    body
}
