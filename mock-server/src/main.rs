//! `airbyte-mock-server`: a standalone mock of the Airbyte API.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use airbyte_mock_server::{
    BasicCredential, ClientCredential, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, FaultConfig,
    MockConfig, MockServer, Mode, RateLimit, TlsConfig,
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
/// check scripts, unused fixtures, stats). Mock control is open on a loopback address; on any
/// other address the server needs --control-token, which control requests then send in the
/// x-mock-control-token header.
///
/// Default credentials: client ID `mock-client-id`, client secret `mock-client-secret` (token
/// endpoint POST /api/public/v1/applications/token). Basic auth only with --basic-user and
/// --basic-password.
///
/// With --tls it serves HTTPS (HTTP/2 and HTTP/1.1 by ALPN) with a certificate authority made
/// at start and written to DIR/ca.pem (--tls-dir), which clients then trust (for example
/// `airbyte --ca-file DIR/ca.pem`). --tls-client-auth also requires the client certificate
/// DIR/client.pem with its key DIR/client-key.pem.
///
/// After it binds, the first line on stdout is `airbyte-mock-server listening on
/// http(s)://HOST:PORT`.
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
    /// Limit every kind of credential (client, basic, none) to these workspaces
    /// (comma-separated); others answer 403.
    #[arg(long, value_delimiter = ',', value_name = "IDS")]
    scope_workspaces: Option<Vec<String>>,
    /// Accept basic auth with this user (and --basic-password), as self-managed Airbyte does
    /// (its default is `airbyte` / `password`). Off unless given.
    #[arg(long, requires = "basic_password", env = "AIRBYTE_MOCK_BASIC_USER")]
    basic_user: Option<String>,
    /// The basic-auth password.
    #[arg(
        long,
        requires = "basic_user",
        env = "AIRBYTE_MOCK_BASIC_PASSWORD",
        hide_env_values = true
    )]
    basic_password: Option<String>,
    /// Accept requests without credentials.
    #[arg(long)]
    no_auth: bool,
    /// Require this token (header x-mock-control-token) on /_mock/ control routes; needed to
    /// listen on an address that is not loopback.
    #[arg(long, env = "AIRBYTE_MOCK_CONTROL_TOKEN", hide_env_values = true)]
    control_token: Option<String>,
    /// The base of `next`/`previous` links (the real server's AIRBYTE_API_HOST); by default
    /// http://ADDR/api/public.
    #[arg(long, value_name = "URL")]
    api_host: Option<String>,
    /// How long a client may take to send a request's headers, and then its body, in seconds.
    #[arg(long, default_value_t = 30, value_name = "SECS")]
    request_timeout: u64,
    /// Lifetime of issued tokens, in seconds.
    #[arg(long, default_value_t = 900, value_name = "SECS")]
    token_ttl: u64,
    /// Make `expires_in` claim this many seconds while tokens really last --token-ttl.
    #[arg(long, value_name = "SECS")]
    token_ttl_claimed: Option<u64>,
    /// How long a job runs, in milliseconds (at clock speed 1).
    #[arg(long, default_value_t = 3_000, value_name = "MS")]
    job_duration: u64,
    /// Speed of the job clock relative to real time (0 to 1000000).
    #[arg(long, default_value_t = 1.0)]
    clock_speed: f64,
    /// Seed of IDs and fault injection (random when absent).
    #[arg(long)]
    seed: Option<u64>,
    /// Added latency per request, in milliseconds: `MIN-MAX` (for example 20-80) adds a
    /// value drawn uniformly between the two to each request; a single value MAX adds between
    /// 0 and MAX.
    #[arg(long, default_value = "0", value_name = "MS|MIN-MAX", value_parser = parse_latency)]
    latency_ms: (u64, u64),
    /// Limit each credential to this many requests (N/s, N/min or N/h; a bare N is per
    /// second), as a token bucket: requests over the limit get 429 with
    /// {"message":"You are being rate limited."} and no Retry-After, as Airbyte Cloud
    /// answers. The token endpoints and health are not limited.
    #[arg(long, value_name = "N/s")]
    rate_limit: Option<RateLimit>,
    /// The burst of --rate-limit: how many requests a credential may send at once after
    /// being idle (default: one second's worth of the rate, at least 1).
    #[arg(long, value_name = "N", requires = "rate_limit", value_parser = clap::value_parser!(u32).range(1..))]
    rate_limit_burst: Option<u32>,
    /// Rate (0 to 1) of injected 429 answers.
    #[arg(long, default_value_t = 0.0, value_parser = parse_fraction)]
    rate_429: f64,
    /// Send `Retry-After` with injected 429s (the real API sends none).
    #[arg(long, value_name = "SECS")]
    retry_after: Option<u64>,
    /// Rate of injected 500 answers.
    #[arg(long, default_value_t = 0.0, value_parser = parse_fraction)]
    rate_500: f64,
    /// Rate of injected 502 answers.
    #[arg(long, default_value_t = 0.0, value_parser = parse_fraction)]
    rate_502: f64,
    /// Rate of injected 503 answers.
    #[arg(long, default_value_t = 0.0, value_parser = parse_fraction)]
    rate_503: f64,
    /// Rate of connections closed before a request is handled.
    #[arg(long, default_value_t = 0.0, value_parser = parse_fraction)]
    rate_reset_before: f64,
    /// Rate of connections closed after a request is handled (the client never hears).
    #[arg(long, default_value_t = 0.0, value_parser = parse_fraction)]
    rate_reset_after: f64,
    /// Rate of truncated answers.
    #[arg(long, default_value_t = 0.0, value_parser = parse_fraction)]
    rate_truncated: f64,
    /// Rate of malformed JSON answers.
    #[arg(long, default_value_t = 0.0, value_parser = parse_fraction)]
    rate_malformed: f64,
    /// Largest request body accepted, in bytes.
    #[arg(long, default_value_t = 2 * 1024 * 1024)]
    max_body_bytes: usize,
    /// Serve HTTPS with certificates made at start (HTTP/2 and HTTP/1.1 by ALPN).
    #[arg(long)]
    tls: bool,
    /// Where --tls writes ca.pem (the certificate authority to trust), client.pem and
    /// client-key.pem (for --tls-client-auth); default: a new directory under the system's
    /// temporary directory, named on stderr.
    #[arg(long, value_name = "DIR", requires = "tls")]
    tls_dir: Option<PathBuf>,
    /// Require mutual TLS: clients must present DIR/client.pem (with DIR/client-key.pem).
    #[arg(long, requires = "tls")]
    tls_client_auth: bool,
    /// What to log on stderr: `warn` (default), `info` (control actions, recordings), `debug`
    /// (also every request: method, path, query with secrets redacted, status, operation), or
    /// a filter such as `airbyte_mock_server=debug`.
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

/// Parses a fault rate: a number from 0 to 1.
fn parse_fraction(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(format!("{text:?} is not a rate from 0 to 1 (such as 0.05)")),
    }
}

/// Parses `--latency-ms`: `MIN-MAX`, or `MAX` alone (from 0).
fn parse_latency(text: &str) -> Result<(u64, u64), String> {
    let number = |part: &str| {
        part.trim()
            .parse::<u64>()
            .map_err(|_| format!("{text:?} is not MS or MIN-MAX in milliseconds (such as 20-80)"))
    };
    match text.split_once('-') {
        None => Ok((0, number(text)?)),
        Some((min, max)) => {
            let (min, max) = (number(min)?, number(max)?);
            if min > max {
                return Err(format!("the least latency {min} is above the most {max}"));
            }
            Ok((min, max))
        }
    }
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
            basic_auth: self
                .basic_user
                .clone()
                .zip(self.basic_password.clone())
                .map(|(username, password)| BasicCredential {
                    username,
                    password,
                    workspaces: self.scope_workspaces.clone(),
                }),
            allow_anonymous: self.no_auth,
            anonymous_workspaces: self.scope_workspaces.clone(),
            control_token: self.control_token.clone(),
            api_host: self.api_host.clone(),
            request_timeout: Duration::from_secs(self.request_timeout.max(1)),
            token_ttl: Duration::from_secs(self.token_ttl),
            token_ttl_claimed: self.token_ttl_claimed.map(Duration::from_secs),
            job_duration: Duration::from_millis(self.job_duration),
            clock_speed: self.clock_speed,
            faults: FaultConfig {
                latency_min_ms: self.latency_ms.0,
                latency_max_ms: self.latency_ms.1,
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
            rate_limit: self.rate_limit.map(|limit| match self.rate_limit_burst {
                Some(burst) => limit.with_burst(burst),
                None => limit,
            }),
            seed: self.seed,
            max_body_bytes: self.max_body_bytes,
            tls: self.tls.then(|| {
                if self.tls_client_auth {
                    TlsConfig::mutual()
                } else {
                    TlsConfig::new()
                }
            }),
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
    if let Some(tls) = server.tls() {
        let dir = cli.options.tls_dir.clone().unwrap_or_else(|| {
            std::env::temp_dir().join(format!("airbyte-mock-server-tls-{}", std::process::id()))
        });
        match tls.write_to(&dir) {
            Ok(files) => eprintln!(
                "TLS: trust {} (client certificate for mutual TLS: {} with key {})",
                files.ca.display(),
                files.client_certificate.display(),
                files.client_key.display()
            ),
            Err(error) => {
                eprintln!(
                    "airbyte-mock-server: cannot write the TLS files to {}: {error}",
                    dir.display()
                );
                return ExitCode::FAILURE;
            }
        }
    }
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
