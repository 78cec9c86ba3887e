//! `airbyte-bench report`: every benchmark, written as Markdown.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use airbyte::prelude::*;
use bytes::Bytes;
use futures_util::StreamExt;
use http_body_util::{BodyExt, Empty, Full};
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::{Connect, HttpConnector};
use hyper_util::rt::TokioExecutor;
use serde_json::{Value, json};

use crate::load::LoadResult;
use crate::minimal_pool::MinimalPool;
use crate::procs::{Started, cpu_seconds, median, proc_status_kib, start_listening};
use crate::workflow;
use crate::world_gen;

/// Settings of a report run.
pub(crate) struct ReportOptions {
    pub(crate) mock_binary: PathBuf,
    pub(crate) out: PathBuf,
    pub(crate) findings: Option<PathBuf>,
    pub(crate) rounds: usize,
    pub(crate) seconds: u64,
    pub(crate) command: String,
    /// Sections to run (`overhead`, `concurrency`, `tls`, `latency`, `workflow`, `paging`,
    /// `mock`, `apply`, `fleet`); all when empty.
    pub(crate) only: Vec<String>,
}

type Bare = Client<HttpConnector, Empty<Bytes>>;

fn bare_client() -> Bare {
    Client::builder(TokioExecutor::new()).build_http()
}

/// How the benchmarks reach the mock server: plain HTTP/1.1, or TLS trusting `ca` with
/// HTTP/2 offered or not.
#[derive(Clone)]
struct Link {
    base: String,
    ca: Option<Arc<Vec<u8>>>,
    http2: bool,
}

impl Link {
    fn plain(base: &str) -> Self {
        Self {
            base: base.to_owned(),
            ca: None,
            http2: false,
        }
    }

    fn describe(&self) -> &'static str {
        match (&self.ca, self.http2) {
            (None, _) => "plain HTTP/1.1",
            (Some(_), false) => "TLS with HTTP/1.1",
            (Some(_), true) => "TLS with HTTP/2",
        }
    }
}

/// A bare hyper-util client: plain, or with hyper-rustls trusting the link's CA and offering
/// HTTP/2 when the link does (what a hyper user with TLS reaches for).
#[derive(Clone)]
enum BareClient {
    Plain(Bare),
    Tls(Client<HttpsConnector<HttpConnector>, Empty<Bytes>>),
}

/// hyper-rustls trusting `ca`, offering HTTP/2 or not.
fn tls_connector(ca: &[u8], http2: bool) -> HttpsConnector<HttpConnector> {
    let mut roots = rustls::RootCertStore::empty();
    let certificate = rustls::pki_types::pem::PemObject::from_pem_slice(ca).expect("a CA");
    roots.add(certificate).expect("a usable CA");
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_root_certificates(roots)
    .with_no_client_auth();
    let mut http = HttpConnector::new();
    http.set_nodelay(true);
    http.enforce_http(false);
    let builder = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(config)
        .https_only()
        .enable_http1();
    if http2 {
        builder.enable_http2().wrap_connector(http)
    } else {
        builder.wrap_connector(http)
    }
}

impl BareClient {
    fn for_link(link: &Link) -> Self {
        match &link.ca {
            None => Self::Plain(bare_client()),
            Some(ca) => Self::Tls(
                Client::builder(TokioExecutor::new()).build(tls_connector(ca, link.http2)),
            ),
        }
    }

    async fn get(&self, url: &str, authorization: &str) -> Bytes {
        match self {
            Self::Plain(client) => bare_get(client, url, authorization).await,
            Self::Tls(client) => bare_get(client, url, authorization).await,
        }
    }
}

/// Sends a request on a hyper-util client and reads the body of its successful answer.
async fn fetch<C, B>(client: &Client<C, B>, request: http::Request<B>) -> Bytes
where
    C: Connect + Clone + Send + Sync + 'static,
    B: hyper::body::Body + Send + Unpin + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let response = client.request(request).await.expect("an answer");
    assert!(
        response.status().is_success(),
        "status {}",
        response.status()
    );
    response
        .into_body()
        .collect()
        .await
        .expect("a body")
        .to_bytes()
}

async fn bare_get<C>(client: &Client<C, Empty<Bytes>>, url: &str, authorization: &str) -> Bytes
where
    C: Connect + Clone + Send + Sync + 'static,
{
    let request = http::Request::builder()
        .uri(url)
        .header("authorization", authorization)
        .header("accept", "application/json")
        .body(Empty::new())
        .expect("a request");
    fetch(client, request).await
}

async fn mint(base: &str) -> String {
    let client: Client<HttpConnector, Full<Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    mint_on(&client, base).await
}

/// A token, minted over the link (its TLS when it has one).
async fn mint_over(link: &Link) -> String {
    match &link.ca {
        None => mint(&link.base).await,
        Some(ca) => {
            let client: Client<HttpsConnector<HttpConnector>, Full<Bytes>> =
                Client::builder(TokioExecutor::new()).build(tls_connector(ca, link.http2));
            mint_on(&client, &link.base).await
        }
    }
}

async fn mint_on<C>(client: &Client<C, Full<Bytes>>, base: &str) -> String
where
    C: Connect + Clone + Send + Sync + 'static,
{
    let body = json!({"client_id": airbyte::mock::DEFAULT_CLIENT_ID, "client_secret": airbyte::mock::DEFAULT_CLIENT_SECRET});
    let request = http::Request::builder()
        .method("POST")
        .uri(format!("{base}/api/public/v1/applications/token"))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(body.to_string())))
        .expect("a request");
    let value: Value = serde_json::from_slice(&fetch(client, request).await).expect("JSON");
    format!(
        "Bearer {}",
        value["access_token"].as_str().expect("a token")
    )
}

/// A JSON document of the mock server's control API (`/_mock/stats`, `/_mock/journal`).
async fn mock_control(client: &Bare, base: &str, path: &str) -> Value {
    let request = http::Request::builder()
        .uri(format!("{base}{path}"))
        .body(Empty::new())
        .expect("a request");
    serde_json::from_slice(&fetch(client, request).await).expect("JSON")
}

pub(crate) async fn start_mock(binary: &Path, extra: &[&str]) -> Started {
    let mut args: Vec<String> = [
        "--addr",
        "127.0.0.1:0",
        "--seed",
        "1",
        "--token-ttl",
        "86400",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    start_listening(binary, &args).await
}

pub(crate) fn workspace_for(base: &str, workspace_id: &str) -> CloudWorkspace {
    workspace_over(&Link::plain(base), workspace_id)
}

/// A workspace over the link: trusting its CA, with HTTP/2 offered when the link offers it.
fn workspace_over(link: &Link, workspace_id: &str) -> CloudWorkspace {
    let (ca, http2) = (link.ca.clone(), link.http2);
    CloudWorkspace::builder()
        .api_root(format!("{}/api/public/v1", link.base))
        .transport(move |transport| match ca {
            Some(ca) => transport.add_ca_pem(ca.to_vec()).http2(http2),
            None => transport,
        })
        .workspace_id(workspace_id)
        .client_credentials(
            airbyte::mock::DEFAULT_CLIENT_ID,
            airbyte::mock::DEFAULT_CLIENT_SECRET,
        )
        .build()
        .expect("a workspace")
}

/// Runs a load generator in a child process (this binary's `load` command).
async fn load_child(
    base: &str,
    paths: &[String],
    authorization: Option<&str>,
    seconds: u64,
) -> LoadResult {
    let exe = std::env::current_exe().expect("this binary");
    let mut args = vec![
        "load".to_owned(),
        "--base".to_owned(),
        base.to_owned(),
        "--connections".to_owned(),
        "64".to_owned(),
        "--seconds".to_owned(),
        seconds.to_string(),
        "--paths".to_owned(),
        paths.join(","),
    ];
    if let Some(authorization) = authorization {
        args.push("--authorization".to_owned());
        args.push(authorization.to_owned());
    }
    let output = tokio::process::Command::new(exe)
        .args(&args)
        .output()
        .await
        .expect("the load generator runs");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "the load generator's output ({error}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

struct Section {
    title: &'static str,
    body: String,
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|line| line.starts_with("model name"))
                .map(|line| line.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned());
    format!("{cores} cores ({model}), {}", std::env::consts::OS)
}

/// Who makes the `GET /sources/{id}` calls of sections 1 and 2.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Contender {
    /// `CloudSource::info()`.
    Facade,
    /// A pooled hyper client that reads the body and decodes it into the same
    /// `SourceResponse` type: the least any client must do to get a source.
    BareDecoded,
    /// A pooled hyper client that reads the body and stops there.
    BareBody,
    /// The leanest pool on hyper's connection API, decoding into `SourceResponse`: the floor.
    MinimalPoolDecoded,
}

const CONTENDERS: [Contender; 4] = [
    Contender::Facade,
    Contender::BareDecoded,
    Contender::BareBody,
    Contender::MinimalPoolDecoded,
];

impl Contender {
    fn label(self) -> &'static str {
        match self {
            Self::Facade => "facade (`airbyte`, `CloudSource::info()`)",
            Self::BareDecoded => "bare hyper + `serde_json` into `SourceResponse`",
            Self::BareBody => "bare hyper, body read only",
            Self::MinimalPoolDecoded => {
                "minimal pool on hyper's connection API + `serde_json` into `SourceResponse`"
            }
        }
    }
}

/// What one contender needs to call.
#[derive(Clone)]
struct Callers {
    source: CloudSource,
    bare: BareClient,
    minimal: Option<MinimalPool>,
    url: Arc<String>,
    path: Arc<String>,
    authorization: Arc<String>,
}

impl Callers {
    async fn call(&self, contender: Contender) {
        match contender {
            Contender::Facade => {
                self.source.info().await.expect("a source");
            }
            Contender::BareDecoded => {
                let body = self.bare.get(&self.url, &self.authorization).await;
                let decoded: airbyte::models::SourceResponse =
                    serde_json::from_slice(&body).expect("a source");
                std::hint::black_box(decoded);
            }
            Contender::BareBody => {
                std::hint::black_box(self.bare.get(&self.url, &self.authorization).await);
            }
            Contender::MinimalPoolDecoded => {
                let minimal = self.minimal.as_ref().expect("plain HTTP");
                let body = minimal.get(&self.path, &self.authorization).await;
                let decoded: airbyte::models::SourceResponse =
                    serde_json::from_slice(&body).expect("a source");
                std::hint::black_box(decoded);
            }
        }
    }
}

async fn callers(link: &Link, source_id: &str, workspace_id: &str) -> Callers {
    let workspace = workspace_over(link, workspace_id);
    let base = &link.base;
    Callers {
        source: workspace.source(source_id).expect("an id"),
        bare: BareClient::for_link(link),
        minimal: link.ca.is_none().then(|| MinimalPool::new(base)),
        url: Arc::new(format!("{base}/api/public/v1/sources/{source_id}")),
        path: Arc::new(format!("/api/public/v1/sources/{source_id}")),
        authorization: Arc::new(mint_over(link).await),
    }
}

const BASELINE_NOTE: &str = concat!(
    "The target compares the facade with a bare hyper client doing the same work: reading the ",
    "body and decoding it into the same `SourceResponse` type, without which no client has a ",
    "source. \"Bare hyper\" is hyper-util's pooled client, the one a hyper user reaches for. ",
    "The body-only row shows decoding's share. The minimal-pool row is the floor: a mutex over ",
    "idle connections on hyper's connection API, with no timeouts, retries or checks; the ",
    "facade's distance from it is the price of what the facade does per request (an attempt ",
    "timeout, the retry loop, the token cache, tracing spans, answer checks, the cache update).",
);

/// Median latencies of sequential `get source` calls, the contenders interleaved one by one.
async fn sequential_medians(
    callers: &Callers,
    contenders: &[Contender],
    rounds: usize,
    per_round: usize,
) -> Vec<f64> {
    for _ in 0..200 {
        for contender in contenders {
            callers.call(*contender).await;
        }
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); contenders.len()];
    for _ in 0..rounds {
        for turn in 0..per_round {
            // Each contender goes first in turn: a call pays for what the call before it left
            // running (a connection task finishing on another thread), so a fixed order would
            // charge the first contender for the last one's tail.
            for offset in 0..contenders.len() {
                let index = (turn + offset) % contenders.len();
                let started = Instant::now();
                callers.call(contenders[index]).await;
                samples[index].push(started.elapsed().as_secs_f64() * 1e6);
            }
        }
    }
    samples
        .into_iter()
        .map(|mut samples| median(&mut samples))
        .collect()
}

/// [`sequential_medians`] on a runtime of one thread (on a thread of its own, with clients of
/// its own): no call waits for another thread to wake up, so the figures hold the clients'
/// own work, not the host's wake-up latency (which, on a virtual machine, moves by tens of
/// microseconds with the host's load and swings a multi-thread runtime's figures by ±5 %).
async fn sequential_medians_one_thread(
    link: &Link,
    (source_id, workspace_id): (&str, &str),
    contenders: &'static [Contender],
    rounds: usize,
    per_round: usize,
) -> Vec<f64> {
    let link = link.clone();
    let (source_id, workspace_id) = (source_id.to_owned(), workspace_id.to_owned());
    tokio::task::spawn_blocking(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(async move {
                let callers = callers(&link, &source_id, &workspace_id).await;
                sequential_medians(&callers, contenders, rounds, per_round).await
            })
    })
    .await
    .expect("the one-thread runtime ran")
}

fn latency_table(contenders: &[Contender], medians: &[f64]) -> String {
    let mut table = String::from("| client | median latency |\n|---|---|\n");
    for (contender, value) in contenders.iter().zip(medians) {
        let _ = writeln!(table, "| {} | {value:.1} µs |", contender.label());
    }
    table
}

/// Section 1, sequential `get source`: the facade against bare hyper, interleaved, on tokio's
/// multi-thread runtime and on a runtime of one thread.
async fn overhead(base: &str, source_id: &str, workspace_id: &str, rounds: usize) -> Section {
    let link = Link::plain(base);
    let callers = callers(&link, source_id, workspace_id).await;
    let per_round = 500;
    let medians = sequential_medians(&callers, &CONTENDERS, rounds, per_round).await;
    let one_thread = sequential_medians_one_thread(
        &link,
        (source_id, workspace_id),
        &CONTENDERS,
        rounds,
        per_round,
    )
    .await;
    let verdict = |ratio: f64| if ratio <= 1.10 { "meets" } else { "misses" };
    let ratios = |medians: &[f64]| {
        let ratio = medians[0] / medians[1];
        format!(
            "Ratio facade / bare hyper with decoding: **{ratio:.3}** (target ≤ 1.10: {}). Facade / body only: {:.3}. Facade / minimal pool: {:.3}.",
            verdict(ratio),
            medians[0] / medians[2],
            medians[0] / medians[3]
        )
    };
    Section {
        title: "1. Overhead per call",
        body: format!(
            "Sequential `GET /sources/{{id}}` ({} calls each, interleaved one by one, each contender first in turn, same mock server, same process); the facade call is `CloudSource::info()` (request, JSON decoding, workspace check, cache update). Measured twice: on tokio's multi-thread runtime (what `#[tokio::main]` gives; the calls wait for connection tasks on other threads to wake up) and on a runtime of one thread (no such wait: the clients' own work).\n\n\
             ### Multi-thread runtime\n\n{}\n{}\n\n\
             ### One thread\n\n{}\n{}\n\n{BASELINE_NOTE}\n",
            rounds * per_round,
            latency_table(&CONTENDERS, &medians),
            ratios(&medians),
            latency_table(&CONTENDERS, &one_thread),
            ratios(&one_thread),
        ),
    }
}

/// The median of `a[i] / b[i]`, and the ratios as text.
fn paired_ratio(a: &[f64], b: &[f64]) -> (f64, String) {
    let mut ratios: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(a, b)| if *b > 0.0 { a / b } else { 0.0 })
        .collect();
    let text = ratios
        .iter()
        .map(|ratio| format!("{ratio:.2}"))
        .collect::<Vec<_>>()
        .join(", ");
    (median(&mut ratios), text)
}

/// What 64 tasks achieved per contender: throughput, CPU per request, connections opened.
struct Throughput {
    /// Requests per second, per contender and run.
    rates: Vec<Vec<f64>>,
    client_cpu: Vec<f64>,
    server_cpu: Vec<f64>,
    /// New TCP connections the facade opened, per run.
    connections: Vec<u64>,
}

/// 64 tasks per contender, `rounds` interleaved runs of `seconds`.
async fn throughput(
    callers: &Callers,
    link: &Link,
    mock_pid: u32,
    contenders: &[Contender],
    rounds: usize,
    seconds: u64,
) -> Throughput {
    let base = &link.base;
    callers.call(Contender::Facade).await;
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); contenders.len()];
    // CPU microseconds per request, client process and mock server process.
    let mut client_cpu: Vec<Vec<f64>> = vec![Vec::new(); contenders.len()];
    let mut server_cpu: Vec<Vec<f64>> = vec![Vec::new(); contenders.len()];
    let mut connections = Vec::new();
    let me = std::process::id();
    // One connection for the statistics, opened here, so that the counts below are the
    // contenders' own.
    let stats = BareClient::for_link(link);
    let accepted = async || {
        let body = stats.get(&format!("{base}/_mock/stats"), "none").await;
        serde_json::from_slice::<Value>(&body).expect("JSON")["connectionsAccepted"]
            .as_u64()
            .unwrap_or(0)
    };
    accepted().await;
    for round in 0..rounds {
        // Alternate the order, so that no contender always runs first or last in a round.
        let mut order: Vec<(usize, Contender)> = contenders.iter().copied().enumerate().collect();
        if round % 2 == 1 {
            order.reverse();
        }
        for (index, contender) in order {
            let before = accepted().await;
            let count = Arc::new(AtomicU64::new(0));
            let (client_before, server_before) = (
                cpu_seconds(me).unwrap_or(0.0),
                cpu_seconds(mock_pid).unwrap_or(0.0),
            );
            let deadline = Instant::now() + Duration::from_secs(seconds);
            let mut tasks = Vec::new();
            for _ in 0..64 {
                let count = count.clone();
                let mut callers = callers.clone();
                tasks.push(tokio::spawn(async move {
                    // Each task has its own handle, as an application's tasks would.
                    callers.source = callers
                        .source
                        .workspace()
                        .source(callers.source.id().as_ref())
                        .expect("an id");
                    while Instant::now() < deadline {
                        callers.call(contender).await;
                        count.fetch_add(1, Ordering::Relaxed);
                    }
                }));
            }
            for task in tasks {
                task.await.expect("a task");
            }
            let requests = count.load(Ordering::Relaxed).max(1) as f64;
            client_cpu[index]
                .push((cpu_seconds(me).unwrap_or(0.0) - client_before) * 1e6 / requests);
            server_cpu[index]
                .push((cpu_seconds(mock_pid).unwrap_or(0.0) - server_before) * 1e6 / requests);
            rates[index].push(requests / seconds as f64);
            let after = accepted().await;
            if contender == Contender::Facade {
                connections.push(after.saturating_sub(before));
            }
        }
    }
    let medians = |samples: Vec<Vec<f64>>| -> Vec<f64> {
        samples
            .into_iter()
            .map(|mut samples| median(&mut samples))
            .collect()
    };
    Throughput {
        rates,
        client_cpu: medians(client_cpu),
        server_cpu: medians(server_cpu),
        connections,
    }
}

impl Throughput {
    fn median_rate(&self, index: usize) -> f64 {
        median(&mut self.rates[index].clone())
    }

    fn table(&self, contenders: &[Contender]) -> String {
        let mut table = String::from(
            "| client | median throughput | client CPU per request | mock server CPU per request |\n|---|---|---|---|\n",
        );
        for (index, contender) in contenders.iter().enumerate() {
            let _ = writeln!(
                table,
                "| {} | {:.0} req/s | {:.1} µs | {:.1} µs |",
                contender.label(),
                self.median_rate(index),
                self.client_cpu[index],
                self.server_cpu[index]
            );
        }
        table
    }
}

/// 2. 64 tasks sharing one workspace, against 64 tasks sharing a bare client.
async fn concurrency(
    base: &str,
    mock_pid: u32,
    source_id: &str,
    workspace_id: &str,
    rounds: usize,
    seconds: u64,
) -> Section {
    let link = Link::plain(base);
    let callers = callers(&link, source_id, workspace_id).await;
    let measured = throughput(&callers, &link, mock_pid, &CONTENDERS, rounds, seconds).await;
    // Each round's contenders run back to back, so the ratio is taken within each round and
    // its median reported: drifts of the machine between rounds cancel.
    let (ratio, round_ratios) = paired_ratio(&measured.rates[0], &measured.rates[1]);
    let (ratio_body, _) = paired_ratio(&measured.rates[0], &measured.rates[2]);
    let (ratio_floor, _) = paired_ratio(&measured.rates[0], &measured.rates[3]);
    let verdict = if ratio >= 0.9 { "meets" } else { "misses" };
    let table = measured.table(&CONTENDERS);
    let connections = &measured.connections;
    Section {
        title: "2. Concurrency",
        body: format!(
            "64 tasks sharing one `CloudWorkspace` against 64 tasks sharing one bare pooled hyper client, {seconds} s per run, {rounds} interleaved runs each, same mock server. Client and mock server share the machine's cores, so CPU spent in the client is throughput lost by both.\n\n\
             {table}\n\
             Ratio facade / bare hyper with decoding, the median of the runs' ratios: **{ratio:.3}** (target ≥ 0.9: {verdict}; per run: {round_ratios}). Facade / body only: {ratio_body:.3}. Facade / minimal pool: {ratio_floor:.3}. New TCP connections opened by the facade per run: {connections:?} (in the first run, what 64 tasks need less the one a warm-up call opened; none after: the pool keeps and reuses them).\n\n{BASELINE_NOTE}\n"
        ),
    }
}

/// The three contenders over TLS: the minimal pool speaks plain HTTP/1.1 only.
const TLS_CONTENDERS: [Contender; 3] = [
    Contender::Facade,
    Contender::BareDecoded,
    Contender::BareBody,
];

/// 6. The facade against bare hyper-util over TLS, with HTTP/1.1 and with HTTP/2.
async fn over_tls(binary: &Path, rounds: usize, seconds: u64) -> Section {
    let dir = std::env::temp_dir().join(format!("airbyte-bench-tls-{}", std::process::id()));
    let dir_text = dir.display().to_string();
    let mock = start_mock(binary, &["--tls", "--tls-dir", &dir_text]).await;
    let ca = Arc::new(std::fs::read(dir.join("ca.pem")).expect("the mock's CA file"));
    let pid = mock.child.id().expect("a running mock server");
    let workspace_id = airbyte::mock::default_world::PRODUCTION_WORKSPACE_ID;
    let source_id = airbyte::mock::default_world::FAKER_SOURCE_ID;
    let per_round = 500;
    let mut body = format!(
        "The mock server with `--tls` (a certificate made at start, HTTP/2 and HTTP/1.1 offered by ALPN); the facade trusts its CA with `add_ca_pem`, HTTP/2 turned off with `http2(false)` for the HTTP/1.1 runs. \"Bare hyper\" is hyper-util's pooled client over hyper-rustls (ring), trusting the same CA and offering the same protocols: what a hyper user with TLS writes. Sequential: {} calls each, interleaved one by one, each first in turn; concurrency: 64 tasks, {seconds} s per run, {rounds} interleaved runs, the ratio the median of the runs' ratios.\n\n",
        rounds * per_round
    );
    let mut summary = String::from(
        "| protocol | per call, multi-thread runtime: facade / bare hyper with decoding | per call, one thread | throughput: facade / bare hyper with decoding |\n|---|---|---|---|\n",
    );
    for http2 in [false, true] {
        let link = Link {
            base: mock.base_url.clone(),
            ca: Some(ca.clone()),
            http2,
        };
        let callers = callers(&link, source_id, workspace_id).await;
        let medians = sequential_medians(&callers, &TLS_CONTENDERS, rounds, per_round).await;
        let one_thread = sequential_medians_one_thread(
            &link,
            (source_id, workspace_id),
            &TLS_CONTENDERS,
            rounds,
            per_round,
        )
        .await;
        let measured = throughput(&callers, &link, pid, &TLS_CONTENDERS, rounds, seconds).await;
        let ratio = medians[0] / medians[1];
        let ratio_one_thread = one_thread[0] / one_thread[1];
        let (rate_ratio, round_ratios) = paired_ratio(&measured.rates[0], &measured.rates[1]);
        let verdict = |meets: bool| if meets { "meets" } else { "misses" };
        let _ = writeln!(
            summary,
            "| {} | **{ratio:.3}** (target ≤ 1.10: {}) | **{ratio_one_thread:.3}** (target ≤ 1.10: {}) | **{rate_ratio:.3}** (target ≥ 0.9: {}) |",
            link.describe(),
            verdict(ratio <= 1.10),
            verdict(ratio_one_thread <= 1.10),
            verdict(rate_ratio >= 0.9)
        );
        let _ = write!(
            body,
            "### {}\n\nSequential, multi-thread runtime:\n\n{}\nSequential, one thread:\n\n{}\n{}\nThroughput ratio per run: {round_ratios}. New connections opened by the facade per run: {:?}.\n\n",
            link.describe(),
            latency_table(&TLS_CONTENDERS, &medians),
            latency_table(&TLS_CONTENDERS, &one_thread),
            measured.table(&TLS_CONTENDERS),
            measured.connections
        );
    }
    drop(mock);
    let _ = std::fs::remove_dir_all(&dir);
    Section {
        title: "6. Over TLS, HTTP/1.1 and HTTP/2",
        body: format!("{body}### Ratios\n\n{summary}"),
    }
}

/// Sets the mock server's faults through its control API.
async fn put_faults(base: &str, faults: &Value) {
    let client: Client<HttpConnector, Full<Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    let request = http::Request::builder()
        .method("PUT")
        .uri(format!("{base}/_mock/faults"))
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(faults.to_string())))
        .expect("a request");
    fetch(&client, request).await;
}

/// The contenders with latency: the facade, bare hyper-util, and the minimal hand-written pool
/// (the approach of the plain-HTTP pool the transport had).
const LATENCY_CONTENDERS: [Contender; 3] = [
    Contender::Facade,
    Contender::BareDecoded,
    Contender::MinimalPoolDecoded,
];

/// 7. Plain HTTP with 1 ms of latency on every answer.
///
/// Does a hand-written pool beat hyper-util's by a margin a user would notice?
async fn with_latency(binary: &Path, rounds: usize, seconds: u64) -> Section {
    let mock = start_mock(binary, &[]).await;
    put_faults(
        &mock.base_url,
        &json!({"latencyMinMs": 1, "latencyMaxMs": 1}),
    )
    .await;
    let pid = mock.child.id().expect("a running mock server");
    let link = Link::plain(&mock.base_url);
    let callers = callers(
        &link,
        airbyte::mock::default_world::FAKER_SOURCE_ID,
        airbyte::mock::default_world::PRODUCTION_WORKSPACE_ID,
    )
    .await;
    let per_round = 100;
    let medians = sequential_medians(&callers, &LATENCY_CONTENDERS, rounds, per_round).await;
    let measured = throughput(&callers, &link, pid, &LATENCY_CONTENDERS, rounds, seconds).await;
    drop(mock);
    let (rate_bare, _) = paired_ratio(&measured.rates[0], &measured.rates[1]);
    let (rate_minimal, round_ratios) = paired_ratio(&measured.rates[0], &measured.rates[2]);
    Section {
        title: "7. Plain HTTP with 1 ms of latency",
        body: format!(
            "The mock server answers every request 1 ms late (`/_mock/faults` with `latencyMinMs` = `latencyMaxMs` = 1; tokio's timer makes it 1 to 2 ms), as a self-managed Airbyte on a local network would at best. Sequential: {} calls each, interleaved one by one, each first in turn; concurrency: 64 tasks, {seconds} s per run, {rounds} interleaved runs. The minimal pool is a mutex over idle HTTP/1.1 connections on hyper's connection API, the approach of the plain-HTTP pool the transport had before this section was written.\n\n{}\n{}\n\
             Per call: facade / bare hyper-util **{:.3}**, facade / minimal pool **{:.3}**. Throughput: facade / bare hyper-util **{rate_bare:.3}**, facade / minimal pool **{rate_minimal:.3}** (per run: {round_ratios}).\n",
            rounds * per_round,
            latency_table(&LATENCY_CONTENDERS, &medians),
            measured.table(&LATENCY_CONTENDERS),
            medians[0] / medians[1],
            medians[0] / medians[2],
        ),
    }
}

/// 3. Requests of a standard workflow, from the mock server's journal.
async fn requests_per_workflow(binary: &Path) -> Section {
    let mock = start_mock(binary, &["--job-duration", "500"]).await;
    let base = mock.base_url.clone();
    let workspace = workspace_for(&base, airbyte::mock::default_world::STAGING_WORKSPACE_ID);
    workflow::standard(&workspace, Duration::from_millis(100))
        .await
        .expect("the workflow runs");
    let journal: Vec<Value> =
        serde_json::from_value(mock_control(&bare_client(), &base, "/_mock/journal").await)
            .expect("a journal");
    let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for entry in &journal {
        let path = entry["path"].as_str().unwrap_or_default();
        let template: Vec<String> = path
            .split('/')
            .map(|segment| {
                if segment.len() > 20 || segment.parse::<u64>().is_ok() {
                    "{id}".to_owned()
                } else {
                    segment.to_owned()
                }
            })
            .collect();
        *counts
            .entry(format!(
                "{} {}",
                entry["method"].as_str().unwrap_or_default(),
                template.join("/")
            ))
            .or_default() += 1;
    }
    let tokens = counts
        .iter()
        .filter(|(key, _)| key.contains("applications/token"))
        .map(|(_, n)| *n)
        .sum::<usize>();
    let mut body = format!(
        "One standard workflow through the facade (deploy a source and a destination with uniqueness checks, create a connection, sync and wait with 100 ms polls, read the attempts and logs, list sources, destinations, connections and jobs, delete everything), counted from the mock server's journal: **{} requests, {tokens} token request(s)** (target: one per token lifetime).\n\n| request | count |\n|---|---|\n",
        journal.len()
    );
    for (key, count) in &counts {
        let _ = writeln!(body, "| `{key}` | {count} |");
    }
    body.push_str("\nThe `GET /jobs/{id}` count is the polling of the running sync (one per poll, backing off). `GET /connections` is the workflow's own list, then the cascade delete's: the connections that use the source or the destination, listed before anything is deleted (a dependent refuses the delete), and again around each of their deletes (one created meanwhile by another caller is refused or reported). Every other read happens once.\n");
    drop(mock);
    Section {
        title: "3. Requests per workflow",
        body,
    }
}

/// Starts the mock server `runs` times: each startup in milliseconds, and the resident memory
/// after the last start in KiB.
async fn startup_runs(binary: &Path, extra: &[&str], runs: usize) -> (Vec<f64>, u64) {
    let mut times = Vec::new();
    let mut rss_kib = 0;
    for _ in 0..runs {
        let mock = start_mock(binary, extra).await;
        times.push(mock.startup.as_secs_f64() * 1000.0);
        rss_kib = mock
            .child
            .id()
            .and_then(|pid| proc_status_kib(pid, "VmRSS"))
            .unwrap_or(0);
    }
    (times, rss_kib)
}

/// 4 and 5 (startup, memory): large worlds.
async fn paging_and_memory(binary: &Path) -> (Section, String) {
    let dir = std::env::temp_dir().join(format!("airbyte-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let mut startup = String::from(
        "| world | median startup (spawn to listening) | resident memory after start |\n|---|---|---|\n",
    );
    let ten_thousand = world_gen::write(&dir, 10_000);
    for (label, extra, runs) in [
        ("default world", Vec::new(), 5),
        (
            "10,000 sources",
            vec!["--world", ten_thousand.to_str().expect("a path")],
            3,
        ),
    ] {
        let (mut startup_ms, rss_kib) = startup_runs(binary, &extra, runs).await;
        let _ = writeln!(
            startup,
            "| {label} | {:.1} ms | {:.1} MiB |",
            median(&mut startup_ms),
            rss_kib as f64 / 1024.0
        );
    }

    let hundred_thousand = world_gen::write(&dir, 100_000);
    let mock = start_mock(
        binary,
        &["--world", hundred_thousand.to_str().expect("a path")],
    )
    .await;
    let pid = mock.child.id().expect("a pid");
    let server_rss_start = proc_status_kib(pid, "VmRSS").unwrap_or(0);
    let _ = writeln!(
        startup,
        "| 100,000 sources | {:.1} ms | {:.1} MiB |",
        mock.startup.as_secs_f64() * 1000.0,
        server_rss_start as f64 / 1024.0
    );

    // The client streams everything in a child process, so its memory is its own.
    let exe = std::env::current_exe().expect("this binary");
    let output = tokio::process::Command::new(exe)
        .args([
            "page",
            "--base",
            &mock.base_url,
            "--workspace",
            world_gen::WORKSPACE,
        ])
        .output()
        .await
        .expect("the paging client runs");
    let paging: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "paging output ({error}): {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let server_hwm = proc_status_kib(pid, "VmHWM").unwrap_or(0);
    drop(mock);
    let _ = std::fs::remove_dir_all(&dir);
    let count = paging["count"].as_u64().unwrap_or(0);
    let before = paging["vmHwmBeforeKib"].as_u64().unwrap_or(0) as f64 / 1024.0;
    let after = paging["vmHwmAfterKib"].as_u64().unwrap_or(0) as f64 / 1024.0;
    let page_bytes = paging["largestPageBytes"].as_u64().unwrap_or(0) as f64 / 1024.0;
    let total_bytes = paging["totalBytes"].as_u64().unwrap_or(0) as f64 / (1024.0 * 1024.0);
    let section = Section {
        title: "4. Paging",
        body: format!(
            "A client process streams every source of a workspace of 100,000 (`list_sources().stream()`, pages of 100) from the mock server in another process.\n\n\
             | figure | value |\n|---|---|\n| sources streamed | {count} |\n| pages | {} |\n| JSON received in all | {total_bytes:.1} MiB |\n| largest page | {page_bytes:.1} KiB |\n| client peak memory (`VmHWM`) before streaming | {before:.1} MiB |\n| client peak memory (`VmHWM`) after streaming | {after:.1} MiB |\n| seconds | {:.2} |\n\n\
             The peak grows by {:.1} MiB while {total_bytes:.1} MiB went through: memory is bounded by a page, not by the total.\n",
            paging["pages"],
            paging["seconds"].as_f64().unwrap_or(0.0),
            after - before
        ),
    };
    let peak_mib = server_hwm as f64 / 1024.0;
    let verdict = if peak_mib < 200.0 { "meets" } else { "misses" };
    let memory = format!(
        "{startup}\nMock server memory with 100,000 sources: {:.1} MiB resident after start, **{peak_mib:.1} MiB** peak after serving all of them (target < 200 MiB: {verdict}). Startup with the default world: target < 100 ms.\n",
        server_rss_start as f64 / 1024.0,
    );
    (section, memory)
}

/// 5. Mock server throughput against a static hyper server.
async fn mock_throughput(binary: &Path, rounds: usize, seconds: u64) -> String {
    let dir = std::env::temp_dir().join(format!("airbyte-bench-rps-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let world = world_gen::write(&dir, 10_000);
    let mock = start_mock(binary, &["--world", world.to_str().expect("a path")]).await;
    let base = mock.base_url.clone();
    let authorization = mint(&base).await;
    let source_path = "/api/public/v1/sources/00000000-0000-4000-8000-000000000042".to_owned();
    let sample = bare_get(
        &bare_client(),
        &format!("{base}{source_path}"),
        &authorization,
    )
    .await;
    let exe = std::env::current_exe().expect("this binary");
    let static_server = start_listening(
        &exe,
        &[
            "static-server".to_owned(),
            "--bytes".to_owned(),
            sample.len().to_string(),
        ],
    )
    .await;
    let list_paths: Vec<String> = (0..50)
        .map(|page| {
            format!(
                "/api/public/v1/sources?workspaceIds={}&limit=20&offset={}",
                world_gen::WORKSPACE,
                page * 20
            )
        })
        .collect();
    let (mut get_rates, mut list_rates, mut static_rates) = (Vec::new(), Vec::new(), Vec::new());
    let mut errors = 0;
    for _ in 0..rounds {
        let result = load_child(&static_server.base_url, &["/".to_owned()], None, seconds).await;
        errors += result.errors;
        static_rates.push(result.requests_per_second);
        let result = load_child(
            &base,
            std::slice::from_ref(&source_path),
            Some(&authorization),
            seconds,
        )
        .await;
        errors += result.errors;
        get_rates.push(result.requests_per_second);
        let result = load_child(&base, &list_paths, Some(&authorization), seconds).await;
        errors += result.errors;
        list_rates.push(result.requests_per_second);
    }
    drop(mock);
    drop(static_server);
    let _ = std::fs::remove_dir_all(&dir);
    let (get, list, fixed) = (
        median(&mut get_rates),
        median(&mut list_rates),
        median(&mut static_rates),
    );
    let ratio = get / fixed;
    let verdict = if ratio >= 0.5 { "meets" } else { "misses" };
    format!(
        "Load from a separate process (this harness's `load` command: 64 keep-alive HTTP/1.1 connections, {seconds} s per run, {rounds} interleaved runs, median), against the mock server (10,000 sources, authenticated) and a minimal hyper server returning a static body of the same size ({} bytes):\n\n\
         | target | median throughput |\n|---|---|\n| static hyper server | {fixed:.0} req/s |\n| mock `GET /sources/{{id}}` | {get:.0} req/s |\n| mock `GET /sources?limit=20&offset=…` (50 pages) | {list:.0} req/s |\n\n\
         Ratio mock `GET` / static: **{ratio:.3}** (target ≥ 0.5: {verdict}). Failed requests: {errors}.\n",
        sample.len()
    )
}

/// Runs the selected sections and writes the report.
pub(crate) async fn run(options: ReportOptions) {
    let started = Instant::now();
    let wanted = |key: &str| options.only.is_empty() || options.only.iter().any(|only| only == key);
    let binary = options.mock_binary.clone();
    let mut sections = Vec::new();
    if wanted("overhead") || wanted("concurrency") {
        eprintln!("bench: overhead and concurrency");
        let mock = start_mock(&binary, &[]).await;
        let workspace_id = airbyte::mock::default_world::PRODUCTION_WORKSPACE_ID;
        let source_id = airbyte::mock::default_world::FAKER_SOURCE_ID;
        if wanted("overhead") {
            sections.push(overhead(&mock.base_url, source_id, workspace_id, options.rounds).await);
        }
        if wanted("concurrency") {
            sections.push(
                concurrency(
                    &mock.base_url,
                    mock.child.id().expect("a running mock server"),
                    source_id,
                    workspace_id,
                    options.rounds,
                    options.seconds,
                )
                .await,
            );
        }
    }
    if wanted("workflow") {
        eprintln!("bench: requests per workflow");
        sections.push(requests_per_workflow(&binary).await);
    }
    // The large worlds serve both section 4 (the client's paging) and section 5 (the mock
    // server's startup and memory).
    let mut memory = String::new();
    if wanted("paging") || wanted("mock") {
        eprintln!("bench: paging, startup and memory");
        let paging;
        (paging, memory) = paging_and_memory(&binary).await;
        if wanted("paging") {
            sections.push(paging);
        }
    }
    if wanted("mock") {
        eprintln!("bench: mock server throughput");
        let throughput = mock_throughput(&binary, options.rounds, options.seconds).await;
        sections.push(Section {
            title: "5. Mock server",
            body: format!("### Throughput\n\n{throughput}\n### Startup and memory\n\n{memory}"),
        });
    }
    if wanted("tls") {
        eprintln!("bench: over TLS");
        sections.push(over_tls(&binary, options.rounds, options.seconds).await);
    }
    if wanted("latency") {
        eprintln!("bench: plain HTTP with 1 ms of latency");
        sections.push(with_latency(&binary, options.rounds, options.seconds).await);
    }
    if wanted("apply") {
        eprintln!("bench: configuration as code (apply and plan)");
        sections.push(Section {
            title: "8. Configuration as code",
            body: crate::apply::section(&binary).await,
        });
    }
    if wanted("fleet") {
        eprintln!("bench: fleet operations (500 syncs under a rate limit)");
        sections.push(Section {
            title: "9. Fleet operations",
            body: crate::fleet::section(&binary).await,
        });
    }
    let mut text = format!(
        "# Benchmarks\n\nProduced by `{}` on {}, in {:.0} s. Figures are medians of interleaved runs, so that machine noise cancels in the ratios. Regenerate them with the same command; the harness is `crates/airbyte-bench`.\n\n",
        options.command,
        machine(),
        started.elapsed().as_secs_f64()
    );
    for section in sections {
        let _ = write!(text, "## {}\n\n{}\n", section.title, section.body);
    }
    if let Some(extra) = options
        .findings
        .as_ref()
        .and_then(|path| std::fs::read_to_string(path).ok())
    {
        text.push_str(&extra);
    }
    std::fs::write(&options.out, text).expect("write the report");
    eprintln!("bench: wrote {}", options.out.display());
}

/// `airbyte-bench page`: streams a workspace's sources and reports memory.
pub(crate) async fn page(base: &str, workspace_id: &str) {
    let workspace = workspace_for(base, workspace_id);
    workspace.connect().await.expect("the workspace");
    let before = crate::procs::self_status_kib("VmHWM").unwrap_or(0);
    let started = Instant::now();
    let mut stream = workspace.list_sources().stream();
    let mut count = 0u64;
    let mut total_bytes = 0u64;
    while let Some(source) = stream.next().await {
        let source = source.expect("a source");
        total_bytes += serde_json::to_vec(&source.details().await.expect("cached"))
            .map_or(0, |bytes| bytes.len() as u64);
        count += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    let after = crate::procs::self_status_kib("VmHWM").unwrap_or(0);
    let pages = count.div_ceil(100);
    println!(
        "{}",
        json!({
            "count": count,
            "pages": pages,
            "seconds": seconds,
            "totalBytes": total_bytes,
            "largestPageBytes": total_bytes / pages.max(1),
            "vmHwmBeforeKib": before,
            "vmHwmAfterKib": after,
        })
    );
}

/// `airbyte-bench calls`: one contender's sequential `get source` calls for `seconds` (or
/// `count` calls), alone, so that a profiler sees nothing else: `perf record`, or callgrind,
/// whose instruction counts the machine's load does not change (the difference between runs
/// of two counts is the cost of the calls in between). Prints the mean latency and CPU.
pub(crate) async fn calls(
    binary: &Path,
    contender: &str,
    link: &str,
    seconds: u64,
    count: Option<u64>,
) {
    let contender = match contender {
        "facade" => Contender::Facade,
        "bare" => Contender::BareDecoded,
        "body" => Contender::BareBody,
        "minimal" => Contender::MinimalPoolDecoded,
        other => panic!("unknown contender {other:?} (facade, bare, body, minimal)"),
    };
    let dir = std::env::temp_dir().join(format!("airbyte-bench-calls-{}", std::process::id()));
    let dir_text = dir.display().to_string();
    let (extra, http2): (&[&str], bool) = match link {
        "plain" => (&[], false),
        "tls1" => (&["--tls", "--tls-dir", &dir_text], false),
        "tls2" => (&["--tls", "--tls-dir", &dir_text], true),
        other => panic!("unknown link {other:?} (plain, tls1, tls2)"),
    };
    let mock = start_mock(binary, extra).await;
    let link = Link {
        base: mock.base_url.clone(),
        ca: (link != "plain")
            .then(|| Arc::new(std::fs::read(dir.join("ca.pem")).expect("the mock's CA file"))),
        http2,
    };
    let callers = callers(
        &link,
        airbyte::mock::default_world::FAKER_SOURCE_ID,
        airbyte::mock::default_world::PRODUCTION_WORKSPACE_ID,
    )
    .await;
    for _ in 0..500 {
        callers.call(contender).await;
    }
    let pid = std::process::id();
    eprintln!("bench: calling (pid {pid})");
    let cpu_before = cpu_seconds(pid).unwrap_or_default();
    let started = Instant::now();
    let mut done = 0_u64;
    while match count {
        Some(count) => done < count,
        None => started.elapsed() < Duration::from_secs(seconds),
    } {
        callers.call(contender).await;
        done += 1;
    }
    let count = done;
    let per_call = |seconds: f64| seconds * 1e6 / count.max(1) as f64;
    let mean = per_call(started.elapsed().as_secs_f64());
    let cpu = per_call(cpu_seconds(pid).unwrap_or_default() - cpu_before);
    println!(
        "{} over {}: {count} calls, mean {mean:.1} µs, client CPU {cpu:.1} µs per call",
        contender.label(),
        link.describe()
    );
    drop(mock);
    let _ = std::fs::remove_dir_all(&dir);
}
