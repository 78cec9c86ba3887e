//! The running server: binding, the stack of router and layers, and the handle tests and
//! tools hold.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::Error;
use crate::config::MockConfig;
use crate::fixtures::record::Recorder;
use crate::journal::JournalEntry;
use crate::listener::{accept_loop, spawn_connection};
use crate::state::{App, Shared, lock};
use crate::tls::TlsMaterial;

/// The whole application: mock control, then the APIs with their layers. A request arrives
/// within twice the request timeout or not at all: its headers within it (hyper), then its
/// body within it (the body layer); handling it takes no wait but injected latency.
fn application(app: &App) -> Router {
    let api = crate::layers::api(app, crate::routes::router(app.clone()));
    crate::control::router(app).merge(api)
}

/// A running mock server.
pub struct MockServer {
    addr: SocketAddr,
    tls: Option<TlsMaterial>,
    shared: App,
    shutdown: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for MockServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl MockServer {
    /// Starts a server in emulate or replay mode.
    ///
    /// # Errors
    ///
    /// [`Error::Insecure`] when the address is not a loopback address and no control token is
    /// set; [`Error::Bind`] when the address cannot be bound; [`Error::Fixture`] naming the
    /// file and the reason when a world file or fixture is invalid; [`Error::Config`] when a
    /// fault rate is outside 0 to 1, the least latency is above the most, or the rate limit is
    /// not above zero ([`FaultConfig::validate`](crate::FaultConfig::validate),
    /// [`RateLimit::validate`](crate::RateLimit::validate)).
    pub async fn start(config: MockConfig) -> Result<Self, Error> {
        Self::start_with(config, None).await
    }

    /// Starts a recording proxy: every request is forwarded to `upstream` (a base URL such as
    /// `https://api.airbyte.com`) and the exchanges are written, scrubbed, to
    /// `out_dir/recording.json`.
    ///
    /// # Errors
    ///
    /// As [`MockServer::start`], and [`Error::Fixture`] when the output directory is unusable.
    pub async fn record(
        config: MockConfig,
        upstream: &str,
        out_dir: std::path::PathBuf,
    ) -> Result<Self, Error> {
        let recorder =
            Recorder::new(upstream, out_dir.clone()).map_err(|reason| Error::Fixture {
                file: out_dir.display().to_string(),
                reason,
            })?;
        Self::start_with(config, Some(recorder)).await
    }

    async fn start_with(config: MockConfig, recorder: Option<Recorder>) -> Result<Self, Error> {
        config
            .faults
            .validate()
            .and_then(|()| {
                config
                    .rate_limit
                    .as_ref()
                    .map_or(Ok(()), crate::RateLimit::validate)
            })
            .and_then(|()| crate::clock::validate_speed(config.clock_speed))
            .map_err(|reason| Error::Config { reason })?;
        if !config.addr.ip().is_loopback() && config.required_control_token().is_none() {
            return Err(Error::Insecure {
                addr: config.addr,
                reason: "mock control (/_mock/) would be open to the network: set a control token that is not blank (--control-token or AIRBYTE_MOCK_CONTROL_TOKEN)".to_owned(),
            });
        }
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|source| Error::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| Error::Bind {
            addr: config.addr,
            source,
        })?;
        let tls = config
            .tls
            .map(|tls| crate::tls::setup(addr, tls))
            .transpose()?;
        let (acceptor, material) = match tls {
            Some(setup) => (Some(setup.acceptor), Some(setup.material)),
            None => (None, None),
        };
        let shared: App = Arc::new(Shared::build(config, addr, recorder)?);
        let router = application(&shared);
        let (shutdown, stopped) = watch::channel(false);
        let app = shared.clone();
        let task = tokio::spawn(async move {
            let mut connections = JoinSet::new();
            accept_loop(
                || async { listener.accept().await.map(|(stream, _)| stream) },
                |stream| {
                    spawn_connection(&mut connections, stream, &app, &router, acceptor.as_ref());
                },
                stopped,
            )
            .await;
            connections.shutdown().await;
        });
        Ok(Self {
            addr,
            tls: material,
            shared,
            shutdown,
            task: Some(task),
        })
    }

    /// The address the server listens on.
    #[must_use]
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The certificates made at start, when the server speaks TLS ([`MockConfig::tls`]): a
    /// client trusts the server with [`TlsMaterial::ca_pem`].
    #[must_use]
    pub fn tls(&self) -> Option<&TlsMaterial> {
        self.tls.as_ref()
    }

    /// Writes the announcement `airbyte-mock-server listening on http(s)://HOST:PORT` as the first
    /// line of stdout, flushed, so that a parent process can wait for it.
    pub fn announce(&self) {
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(
            stdout,
            "airbyte-mock-server listening on {}",
            self.base_url()
        );
        let _ = stdout.flush();
    }

    /// `http://HOST:PORT`, or `https://HOST:PORT` with TLS (the server's certificate names
    /// this address, `localhost` and the loopback addresses).
    #[must_use]
    pub fn base_url(&self) -> String {
        if self.tls.is_some() {
            format!("https://{}", self.addr)
        } else {
            format!("http://{}", self.addr)
        }
    }

    /// The Public API root in the self-managed layout: `http://HOST:PORT/api/public/v1` (the
    /// Cloud layout `http://HOST:PORT/v1` is served too).
    #[must_use]
    pub fn public_api_root(&self) -> String {
        format!("{}/api/public/v1", self.base_url())
    }

    /// The Config API root: `http://HOST:PORT/api/v1`.
    #[must_use]
    pub fn config_api_root(&self) -> String {
        format!("{}/api/v1", self.base_url())
    }

    /// The journal of received API requests (mock-control requests are not journaled).
    #[must_use]
    pub fn journal(&self) -> Vec<JournalEntry> {
        lock(&self.shared.journal).entries()
    }

    /// How many TCP connections the server has accepted.
    #[must_use]
    pub fn connections_accepted(&self) -> u64 {
        self.shared
            .stats
            .connections_accepted
            .load(Ordering::Relaxed)
    }

    /// Puts every state holder back as it was at start (as `POST /_mock/reset`); tokens minted
    /// before are refused from then on (401): clients mint new ones.
    ///
    /// # Errors
    ///
    /// [`Error::Fixture`] when the world can no longer be built (it was valid at start, so
    /// this does not happen in practice).
    pub fn reset(&self) -> Result<(), Error> {
        self.shared.reset().map_err(|reason| Error::Fixture {
            file: "the world".to_owned(),
            reason,
        })
    }

    /// Replaces the fault settings.
    pub fn set_faults(&self, faults: crate::faults::FaultConfig) {
        lock(&self.shared.faults).replace(faults);
    }

    /// Replaces the rate limit per credential (`None`: no limit); every bucket starts full.
    /// A reset puts back the limit of the settings.
    pub fn set_rate_limit(&self, limit: Option<crate::RateLimit>) {
        lock(&self.shared.rate_limit).set_limit(limit);
    }

    /// Sets how fast the job clock runs: a speed outside `0..=MAX_CLOCK_SPEED` is taken as
    /// the nearest bound (`NaN` as 0). [`MAX_CLOCK_SPEED`](crate::MAX_CLOCK_SPEED).
    pub fn set_clock_speed(&self, speed: f64) {
        self.shared.clock.set_speed(speed);
    }

    /// Moves the job clock forward (as `POST /_mock/clock/advance`). With the clock stopped
    /// (`set_clock_speed(0.0)`), a test steps a job through each of its states in turn,
    /// whatever the machine's load.
    pub fn advance_clock(&self, by: Duration) {
        self.shared.clock.advance(by);
    }

    /// Sets how the next jobs of a connection end, and optionally how long they run.
    ///
    /// # Errors
    ///
    /// When the connection does not exist.
    pub fn script_connection(
        &self,
        connection_id: &str,
        outcome: crate::jobs::Outcome,
        duration: Option<Duration>,
    ) -> Result<(), Error> {
        let mut world = lock(&self.shared.world);
        let connection =
            world
                .connections
                .get_mut(connection_id)
                .ok_or_else(|| Error::NotFound {
                    what: format!("connection {connection_id}"),
                })?;
        connection.outcome = outcome;
        connection.job_duration_ms =
            duration.map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        Ok(())
    }

    /// Sets how connection checks of a source or destination answer.
    ///
    /// # Errors
    ///
    /// When the source or destination does not exist.
    pub fn script_check(
        &self,
        actor_id: &str,
        script: crate::world::CheckScript,
    ) -> Result<(), Error> {
        let mut world = lock(&self.shared.world);
        let actor = world
            .actors
            .get_mut(actor_id)
            .ok_or_else(|| Error::NotFound {
                what: format!("source or destination {actor_id}"),
            })?;
        actor.check = Some(script);
        Ok(())
    }

    /// Stops accepting connections and closes the open ones.
    pub async fn shutdown(mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
