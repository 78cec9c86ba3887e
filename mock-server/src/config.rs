//! The mock server's settings.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::faults::FaultConfig;

/// The default client ID the mock accepts.
pub const DEFAULT_CLIENT_ID: &str = "mock-client-id";
/// The default client secret the mock accepts.
pub const DEFAULT_CLIENT_SECRET: &str = "mock-client-secret";
/// The default basic-auth user (as in self-managed Airbyte).
pub const DEFAULT_BASIC_USER: &str = "airbyte";
/// The default basic-auth password (as in self-managed Airbyte).
pub const DEFAULT_BASIC_PASSWORD: &str = "password";

/// How requests are answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// A stateful emulation of the API; a matching recorded interaction takes precedence.
    #[default]
    Emulate,
    /// Only recorded interactions are served.
    Replay,
}

/// A set of client credentials the mock accepts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientCredential {
    /// The client ID.
    pub client_id: String,
    /// The client secret.
    pub client_secret: String,
    /// The workspaces a token of these credentials may reach; every workspace when `None`.
    /// Others answer 403.
    pub workspaces: Option<Vec<String>>,
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

/// Settings of a [`MockServer`](crate::MockServer).
#[derive(Clone, Debug)]
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
    /// Accepted basic-auth user and password; `None` refuses basic auth.
    pub basic_auth: Option<(String, String)>,
    /// Whether requests without credentials are accepted (a deployment without auth).
    pub allow_anonymous: bool,
    /// The lifetime of issued tokens.
    pub token_ttl: Duration,
    /// When set, `expires_in` claims this lifetime instead of the real one (the server has been
    /// seen to report 900 s for a 180 s token); the JWT `exp` stays truthful.
    pub token_ttl_claimed: Option<Duration>,
    /// How long a job runs (at clock speed 1).
    pub job_duration: Duration,
    /// How fast the job clock runs relative to real time.
    pub clock_speed: f64,
    /// Faults to inject.
    pub faults: FaultConfig,
    /// The seed of IDs and faults; random when `None`.
    pub seed: Option<u64>,
    /// The largest request body accepted.
    pub max_body_bytes: usize,
    /// How many journal entries are kept (the oldest are dropped).
    pub journal_capacity: usize,
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
            basic_auth: Some((
                DEFAULT_BASIC_USER.to_owned(),
                DEFAULT_BASIC_PASSWORD.to_owned(),
            )),
            allow_anonymous: false,
            token_ttl: Duration::from_secs(900),
            token_ttl_claimed: None,
            job_duration: Duration::from_millis(3_000),
            clock_speed: 1.0,
            faults: FaultConfig::default(),
            seed: None,
            max_body_bytes: 2 * 1024 * 1024,
            journal_capacity: 10_000,
        }
    }
}
