//! `airbyte-mock-server`: a standalone mock of the Airbyte API.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use airbyte_mock_server::{
    ClientCredential, DEFAULT_BASIC_PASSWORD, DEFAULT_BASIC_USER, DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET, FaultConfig, MockConfig, MockServer, Mode,
};
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ModeArg {
    /// A stateful emulation of the API (recorded interactions take precedence).
    Emulate,
    /// Only recorded interactions answer.
    Replay,
}

/// A standalone mock of the Airbyte Public API and Config API.
///
/// Routes: the Public API under /api/public/v1 (self-managed layout) and /v1 (Cloud layout), the
/// Config API under /api/v1, mock control under /_mock/ (reset, journal, faults, clock, job and
/// check scripts, unused fixtures, stats).
///
/// Default credentials: client ID `mock-client-id`, client secret `mock-client-secret` (token
/// endpoint POST /api/public/v1/applications/token), or basic auth `airbyte` / `password`.
///
/// After it binds, the first line on stdout is `airbyte-mock-server listening on http://HOST:PORT`.
/// It stops cleanly on SIGINT or SIGTERM.
#[derive(Debug, Parser)]
#[command(name = "airbyte-mock-server", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    options: ServerOptions,
}

#[derive(Debug, clap::Args)]
struct ServerOptions {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:0", env = "AIRBYTE_MOCK_ADDR")]
    addr: SocketAddr,
    /// Directory of recorded interactions (JSON fixture files).
    #[arg(long, value_name = "DIR")]
    fixtures: Option<PathBuf>,
    /// A world file replacing the built-in default world.
    #[arg(long, value_name = "FILE")]
    world: Option<PathBuf>,
    /// Emulate the API (default) or replay recorded interactions only.
    #[arg(long, value_enum, default_value = "emulate")]
    mode: ModeArg,
    /// In replay mode, answer an unmatched request with an error naming the closest fixture.
    #[arg(long)]
    strict: bool,
    /// Client ID accepted by the token endpoint.
    #[arg(long, default_value = DEFAULT_CLIENT_ID, requires = "client_secret")]
    client_id: String,
    /// Client secret accepted by the token endpoint.
    #[arg(long, default_value = DEFAULT_CLIENT_SECRET)]
    client_secret: String,
    /// Limit the credentials to these workspaces (comma-separated); others answer 403.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    scope_workspaces: Option<Vec<String>>,
    /// Basic-auth user accepted (with --basic-password).
    #[arg(long, default_value = DEFAULT_BASIC_USER)]
    basic_user: String,
    /// Basic-auth password accepted.
    #[arg(long, default_value = DEFAULT_BASIC_PASSWORD)]
    basic_password: String,
    /// Accept requests without credentials.
    #[arg(long)]
    no_auth: bool,
    /// Lifetime of issued tokens, in seconds.
    #[arg(long, default_value_t = 900, value_name = "SECS")]
    token_ttl: u64,
    /// Make `expires_in` claim this many seconds while tokens really last --token-ttl.
    #[arg(long, value_name = "SECS")]
    token_ttl_claimed: Option<u64>,
    /// How long a job runs, in milliseconds (at clock speed 1).
    #[arg(long, default_value_t = 3_000, value_name = "MS")]
    job_duration: u64,
    /// Speed of the job clock relative to real time.
    #[arg(long, default_value_t = 1.0)]
    clock_speed: f64,
    /// Seed of IDs and fault injection (random when absent).
    #[arg(long)]
    seed: Option<u64>,
    /// Added latency: a random value between 0 and this many milliseconds per request.
    #[arg(long, default_value_t = 0, value_name = "MS")]
    latency_ms: u64,
    /// Rate (0 to 1) of injected 429 answers.
    #[arg(long, default_value_t = 0.0)]
    rate_429: f64,
    /// Send `Retry-After` with injected 429s (the real API sends none).
    #[arg(long, value_name = "SECS")]
    retry_after: Option<u64>,
    /// Rate of injected 500 answers.
    #[arg(long, default_value_t = 0.0)]
    rate_500: f64,
    /// Rate of injected 502 answers.
    #[arg(long, default_value_t = 0.0)]
    rate_502: f64,
    /// Rate of injected 503 answers.
    #[arg(long, default_value_t = 0.0)]
    rate_503: f64,
    /// Rate of connections closed before a request is handled.
    #[arg(long, default_value_t = 0.0)]
    rate_reset_before: f64,
    /// Rate of connections closed after a request is handled (the client never hears).
    #[arg(long, default_value_t = 0.0)]
    rate_reset_after: f64,
    /// Rate of truncated answers.
    #[arg(long, default_value_t = 0.0)]
    rate_truncated: f64,
    /// Rate of malformed JSON answers.
    #[arg(long, default_value_t = 0.0)]
    rate_malformed: f64,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = 2 * 1024 * 1024)]
    max_body_bytes: usize,
    /// Log requests to stderr (`info`, `debug`, ...).
    #[arg(long, default_value = "warn", env = "AIRBYTE_MOCK_LOG")]
    log: String,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Proxy to a real Airbyte and write the exchanges, secrets scrubbed, as fixtures.
    Record {
        /// The upstream base URL (for example https://api.airbyte.com or http://host:8000).
        #[arg(long)]
        upstream: String,
        /// Where to write recording.json.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
}

impl ServerOptions {
    fn config(&self) -> MockConfig {
        MockConfig {
            addr: self.addr,
            mode: match self.mode {
                ModeArg::Emulate => Mode::Emulate,
                ModeArg::Replay => Mode::Replay,
            },
            strict: self.strict,
            fixtures_dir: self.fixtures.clone(),
            world_file: self.world.clone(),
            clients: vec![ClientCredential {
                client_id: self.client_id.clone(),
                client_secret: self.client_secret.clone(),
                workspaces: self.scope_workspaces.clone(),
            }],
            basic_auth: Some((self.basic_user.clone(), self.basic_password.clone())),
            allow_anonymous: self.no_auth,
            token_ttl: Duration::from_secs(self.token_ttl),
            token_ttl_claimed: self.token_ttl_claimed.map(Duration::from_secs),
            job_duration: Duration::from_millis(self.job_duration),
            clock_speed: self.clock_speed,
            faults: FaultConfig {
                latency_min_ms: 0,
                latency_max_ms: self.latency_ms,
                rate_429: self.rate_429,
                retry_after_secs: self.retry_after,
                rate_500: self.rate_500,
                rate_502: self.rate_502,
                rate_503: self.rate_503,
                rate_reset_before: self.rate_reset_before,
                rate_reset_after: self.rate_reset_after,
                rate_truncated: self.rate_truncated,
                rate_malformed: self.rate_malformed,
                ..FaultConfig::default()
            },
            seed: self.seed,
            max_body_bytes: self.max_body_bytes,
            ..MockConfig::default()
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = tracing_subscriber::EnvFilter::try_new(&cli.options.log)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    let config = cli.options.config();
    let started = match &cli.command {
        None => MockServer::start(config).await,
        Some(Command::Record { upstream, out }) => {
            MockServer::record(config, upstream, out.clone()).await
        }
    };
    let server = match started {
        Ok(server) => server,
        Err(error) => {
            eprintln!("airbyte-mock-server: {error}");
            return ExitCode::FAILURE;
        }
    };
    let stop = airbyte_mock_server::StopSignals::install();
    server.announce();
    eprintln!(
        "Public API: {}  Config API: {}  credentials: {} / {}",
        server.public_api_root(),
        server.config_api_root(),
        cli.options.client_id,
        if cli.options.client_secret == DEFAULT_CLIENT_SECRET {
            DEFAULT_CLIENT_SECRET
        } else {
            "<as given>"
        }
    );
    stop.wait().await;
    server.shutdown().await;
    ExitCode::SUCCESS
}
