//! The client builder and its settings.

use std::time::Duration;

use crate::roots::{ApiRoots, ConfigApi, RootSettings};
use crate::{Client, Credentials, Error, RetryConfig};

/// Timeouts. Defaults: connect 10 s; one attempt 60 s; a whole operation, retries included,
/// 3 minutes. Operations the server may take long on (connection checks, creating a
/// connection, schema discovery) get 10 minutes per attempt and 15 in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing a connection (TCP and TLS).
    pub connect: Duration,
    /// One attempt: sending the request and reading the whole answer.
    pub attempt: Duration,
    /// A whole operation: waiting for an access token (this caller's mint or another's), every
    /// attempt and every wait between attempts. Each attempt gets only what is left of it.
    pub operation: Duration,
    /// One attempt of a long-running operation.
    pub long_running_attempt: Duration,
    /// A whole long-running operation.
    pub long_running_operation: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            attempt: Duration::from_secs(60),
            operation: Duration::from_secs(180),
            long_running_attempt: Duration::from_secs(600),
            long_running_operation: Duration::from_secs(900),
        }
    }
}

/// The default limit on the size of one answer: 64 MiB (job logs can be large).
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// Builds a [`Client`].
///
/// ```
/// use airbyte_transport::{Client, Credentials, RetryConfig};
/// use std::time::Duration;
///
/// let client = Client::builder()
///     .credentials(Credentials::client_credentials("my-client-id", "my-client-secret"))
///     .attempt_timeout(Duration::from_secs(30))
///     .retry(RetryConfig { max_attempts: 5, ..RetryConfig::default() })
///     .build()
///     .unwrap();
/// assert_eq!(client.roots().public(), "https://api.airbyte.com/v1");
/// assert_eq!(client.roots().config(), Some("https://cloud.airbyte.com/api/v1"));
/// ```
#[derive(Clone, Debug)]
pub struct ClientBuilder {
    pub(crate) credentials: Credentials,
    pub(crate) roots: RootSettings,
    pub(crate) retry: RetryConfig,
    pub(crate) timeouts: Timeouts,
    pub(crate) max_response_bytes: usize,
    pub(crate) user_agent_suffix: Option<String>,
    pub(crate) token_refresh_margin: Duration,
    pub(crate) pool_idle_timeout: Duration,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        Self {
            credentials: Credentials::None,
            roots: RootSettings::default(),
            retry: RetryConfig::default(),
            timeouts: Timeouts::default(),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            user_agent_suffix: None,
            token_refresh_margin: Duration::from_secs(60),
            pool_idle_timeout: Duration::from_secs(60),
        }
    }
}

impl ClientBuilder {
    /// A builder for Airbyte Cloud without credentials.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The credentials.
    #[must_use]
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// The Public API root (default: Airbyte Cloud, `https://api.airbyte.com/v1`; self-managed:
    /// `http(s)://<host>/api/public/v1`).
    #[must_use]
    pub fn api_root(mut self, root: impl Into<String>) -> Self {
        self.roots.api_root = Some(root.into());
        self
    }

    /// The Config API root; inferred from the Public API root when not set.
    #[must_use]
    pub fn config_api_root(mut self, root: impl Into<String>) -> Self {
        self.roots.config_api_root = Some(root.into());
        self
    }

    /// The web UI root for links; inferred when not set.
    #[must_use]
    pub fn web_root(mut self, root: impl Into<String>) -> Self {
        self.roots.web_root = Some(root.into());
        self
    }

    /// Do not use the Config API (for deployments that do not expose it). Config API
    /// operations then fail with [`Error::InvalidInput`] before sending anything.
    #[must_use]
    pub fn without_config_api(mut self) -> Self {
        self.roots.config_api = ConfigApi::Disabled;
        self
    }

    /// Allow plain `http://` to hosts that are not loopback (off by default: credentials would
    /// travel unencrypted).
    #[must_use]
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.roots.allow_insecure_http = allow;
        self
    }

    /// The retry settings.
    #[must_use]
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// All timeouts.
    #[must_use]
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The connect timeout.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = timeout;
        self
    }

    /// The timeout of one attempt.
    #[must_use]
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.attempt = timeout;
        self
    }

    /// The timeout of a whole operation, retries included.
    #[must_use]
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.operation = timeout;
        self
    }

    /// The largest answer accepted, in bytes.
    #[must_use]
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Text appended to the `User-Agent` (`my-orchestrator/2.1`).
    #[must_use]
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// How long before expiry a token is refreshed, at most (default 60 s; never more than a
    /// fifth of the token's lifetime).
    #[must_use]
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = margin;
        self
    }

    /// How long an idle pooled connection is kept (default 60 s).
    #[must_use]
    pub fn pool_idle_timeout(mut self, timeout: Duration) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// Validates the settings and builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the setting at fault: an invalid root, plain HTTP to a host that
    /// is not loopback, a Config API root that cannot be inferred, empty client credentials, a
    /// zero timeout, or a TLS setup failure.
    pub fn build(self) -> Result<Client, Error> {
        let roots = ApiRoots::resolve(&self.roots)?;
        if let Credentials::ClientCredentials { client_id, .. } = &self.credentials
            && client_id.trim().is_empty()
        {
            return Err(Error::Config {
                setting: "client_id",
                reason: "the client ID is empty".to_owned(),
            });
        }
        for (setting, value) in [
            ("connect_timeout", self.timeouts.connect),
            ("attempt_timeout", self.timeouts.attempt),
            ("operation_timeout", self.timeouts.operation),
        ] {
            if value.is_zero() {
                return Err(Error::Config {
                    setting,
                    reason: "a timeout must be longer than zero".to_owned(),
                });
            }
        }
        if self.retry.max_attempts == 0 {
            return Err(Error::Config {
                setting: "retry.max_attempts",
                reason: "at least one attempt is needed (1 disables retries)".to_owned(),
            });
        }
        Client::from_builder(self, roots)
    }
}
