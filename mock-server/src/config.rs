//! The mock server's settings.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::faults::FaultConfig;

/// The default client ID the mock accepts.
pub const DEFAULT_CLIENT_ID: &str = "mock-client-id";
/// The default client secret the mock accepts.
pub const DEFAULT_CLIENT_SECRET: &str = "mock-client-secret";
/// The basic-auth user of a default self-managed Airbyte, for [`BasicCredential::airbyte_default`].
pub const DEFAULT_BASIC_USER: &str = "airbyte";
/// The basic-auth password of a default self-managed Airbyte.
pub const DEFAULT_BASIC_PASSWORD: &str = "password";
/// The header that carries the control token on `/_mock/` routes.
pub const CONTROL_TOKEN_HEADER: &str = "x-mock-control-token";

/// How requests are answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// A stateful emulation of the API; a matching recorded interaction takes precedence.
    #[default]
    Emulate,
    /// Only recorded interactions are served.
    Replay,
}

/// A set of client credentials the mock accepts. `Debug` hides the secret.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientCredential {
    /// The client ID.
    pub client_id: String,
    /// The client secret.
    pub client_secret: String,
    /// The workspaces a token of these credentials may reach; every workspace when `None`.
    /// Others answer 403.
    pub workspaces: Option<Vec<String>>,
}

impl std::fmt::Debug for ClientCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredential")
            .field("client_id", &self.client_id)
            .field("client_secret", &airbyte_models::REDACTED)
            .field("workspaces", &self.workspaces)
            .finish()
    }
}

impl ClientCredential {
    /// Credentials that reach every workspace.
    pub fn unrestricted(client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            workspaces: None,
        }
    }
}

/// A basic-auth user and password the mock accepts (as self-managed Airbyte does).
#[derive(Clone, PartialEq, Eq)]
pub struct BasicCredential {
    /// The user.
    pub username: String,
    /// The password.
    pub password: String,
    /// The workspaces these credentials may reach; every workspace when `None`.
    pub workspaces: Option<Vec<String>>,
}

impl BasicCredential {
    /// Credentials that reach every workspace.
    pub fn unrestricted(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self {
            username: username.into(),
            password: password.into(),
            workspaces: None,
        }
    }

    /// `airbyte` / `password`, the credentials of a default self-managed install.
    #[must_use]
    pub fn airbyte_default() -> Self {
        Self::unrestricted(DEFAULT_BASIC_USER, DEFAULT_BASIC_PASSWORD)
    }
}

impl std::fmt::Debug for BasicCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BasicCredential")
            .field("username", &self.username)
            .field("password", &airbyte_models::REDACTED)
            .field("workspaces", &self.workspaces)
            .finish()
    }
}

/// Settings of a [`MockServer`](crate::MockServer). `Debug` hides the control token.
#[derive(Clone)]
pub struct MockConfig {
    /// The address to listen on; port 0 picks a free port.
    pub addr: SocketAddr,
    /// Emulate (default) or replay.
    pub mode: Mode,
    /// In replay mode, answer an unmatched request with an error naming the closest fixture.
    pub strict: bool,
    /// A directory of recorded interactions (JSON files).
    pub fixtures_dir: Option<PathBuf>,
    /// A world file replacing the built-in default world.
    pub world_file: Option<PathBuf>,
    /// Accepted client credentials.
    pub clients: Vec<ClientCredential>,
    /// Accepted basic-auth credentials; `None` (the default) refuses basic auth.
    pub basic_auth: Option<BasicCredential>,
    /// Whether requests without credentials are accepted (a deployment without auth).
    pub allow_anonymous: bool,
    /// The workspaces requests without credentials may reach (with `allow_anonymous`); every
    /// workspace when `None`.
    pub anonymous_workspaces: Option<Vec<String>>,
    /// The token that `/_mock/` control routes require in the `x-mock-control-token` header.
    /// Without one, control routes are open, which the server allows on a loopback address
    /// only: it refuses to start on any other address without a token. A blank token counts
    /// as none.
    pub control_token: Option<String>,
    /// Where `next` and `previous` links point, as the real server's `AIRBYTE_API_HOST`
    /// (`http://localhost:8000/api/public`): a link is this followed by the request's path
    /// without `/api/public`. By default, the server's own address with `/api/public`; never
    /// the request's `Host` header, which a client chooses.
    pub api_host: Option<String>,
    /// The lifetime of issued tokens.
    pub token_ttl: Duration,
    /// When set, `expires_in` claims this lifetime instead of the real one (the server has been
    /// seen to report 900 s for a 180 s token); the JWT `exp` stays truthful.
    pub token_ttl_claimed: Option<Duration>,
    /// How long a job runs (at clock speed 1).
    pub job_duration: Duration,
    /// How fast the job clock runs relative to real time: `0` (stopped) to
    /// [`MAX_CLOCK_SPEED`](crate::MAX_CLOCK_SPEED); [`MockServer::start`](crate::MockServer::start)
    /// refuses any other value.
    pub clock_speed: f64,
    /// Faults to inject.
    pub faults: FaultConfig,
    /// A rate limit per credential (a token bucket each): requests over it get 429 with
    /// `{"message":"You are being rate limited."}` and no `Retry-After`, as Airbyte Cloud
    /// answers. `None` (the default): no limit.
    pub rate_limit: Option<crate::RateLimit>,
    /// The seed of IDs and faults; random when `None`.
    pub seed: Option<u64>,
    /// The largest request body accepted.
    pub max_body_bytes: usize,
    /// How long a request may take to arrive: its headers, then its body. A client slower than
    /// this gets 408 and the connection is closed.
    pub request_timeout: Duration,
    /// Serve HTTPS (HTTP/2 and HTTP/1.1 by ALPN) with certificates made at start; plain HTTP
    /// when `None` (the default).
    pub tls: Option<crate::TlsConfig>,
    /// How many journal entries are kept (the oldest are dropped).
    pub journal_capacity: usize,
    /// How many bytes the journal's entries may hold in all (the oldest are dropped).
    pub journal_max_bytes: usize,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            mode: Mode::Emulate,
            strict: false,
            fixtures_dir: None,
            world_file: None,
            clients: vec![ClientCredential::unrestricted(
                DEFAULT_CLIENT_ID,
                DEFAULT_CLIENT_SECRET,
            )],
            basic_auth: None,
            allow_anonymous: false,
            anonymous_workspaces: None,
            control_token: None,
            api_host: None,
            token_ttl: Duration::from_secs(900),
            token_ttl_claimed: None,
            job_duration: Duration::from_millis(3_000),
            clock_speed: 1.0,
            faults: FaultConfig::default(),
            rate_limit: None,
            seed: None,
            max_body_bytes: 2 * 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            tls: None,
            journal_capacity: 10_000,
            journal_max_bytes: 16 * 1024 * 1024,
        }
    }
}

impl MockConfig {
    /// The control token, unless it is blank (an environment variable set to nothing): a blank
    /// token would let any client that sends an empty header in.
    pub(crate) fn required_control_token(&self) -> Option<&str> {
        self.control_token
            .as_deref()
            .filter(|token| !token.trim().is_empty())
    }
}

impl std::fmt::Debug for MockConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockConfig")
            .field("addr", &self.addr)
            .field("mode", &self.mode)
            .field("fixtures_dir", &self.fixtures_dir)
            .field("world_file", &self.world_file)
            .field("clients", &self.clients)
            .field("basic_auth", &self.basic_auth)
            .field("allow_anonymous", &self.allow_anonymous)
            .field(
                "control_token",
                &self
                    .control_token
                    .as_ref()
                    .map(|_| airbyte_models::REDACTED),
            )
            .field("faults", &self.faults)
            .field("rate_limit", &self.rate_limit)
            .field("seed", &self.seed)
            .field("tls", &self.tls)
            .finish_non_exhaustive()
    }
}
