//! The client builder and its settings.

use std::path::PathBuf;
use std::time::Duration;

use crate::proxy::ProxySettings;
use crate::roots::{ApiRoots, ConfigApi, RootSettings};
use crate::tls::{ClientIdentity, TlsSettings, TrustRoots};
use crate::{Client, Credentials, Error, RetryConfig, env};

/// Timeouts. Defaults: connect 10 s; one attempt 60 s; a whole operation, retries included,
/// 3 minutes. Operations the server may take long on (connection checks, creating a
/// connection, schema discovery) get 10 minutes per attempt and 15 in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing a connection: TCP, a proxy's tunnel (HTTP CONNECT or the SOCKS5
    /// handshake), and the TLS handshake, together.
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
    pub(crate) tls: TlsSettings,
    pub(crate) proxy: ProxySettings,
    /// A variable read by [`ClientBuilder::from_env_source`] that could not be used, reported
    /// by [`ClientBuilder::build`].
    env_error: Option<(&'static str, String)>,
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
            tls: TlsSettings::new(),
            proxy: ProxySettings::default(),
            env_error: None,
        }
    }
}

impl ClientBuilder {
    /// A builder for Airbyte Cloud without credentials; the environment is not read.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder with the connection settings of the process environment (see [`mod@env`]): the
    /// API roots, the proxies (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, also in
    /// lower case), the trusted certificate authorities (`AIRBYTE_TRUST_ROOTS`,
    /// `AIRBYTE_CA_FILE`) and the client certificate (`AIRBYTE_CLIENT_CERT`,
    /// `AIRBYTE_CLIENT_KEY`). Credentials are not read here (the domain crate's builder reads
    /// them). Settings made on the builder afterwards replace what the environment said.
    ///
    /// `SSL_CERT_FILE` and `SSL_CERT_DIR` are honoured too: when either is set, the system
    /// store is read from there (as OpenSSL does) instead of the platform's default locations.
    #[must_use]
    pub fn from_env() -> Self {
        Self::from_env_source(|name| std::env::var(name).ok())
    }

    /// Like [`ClientBuilder::from_env`], reading variables through `get` (a `.env` file, a
    /// test's map). Empty values count as unset.
    ///
    /// ```
    /// use airbyte_transport::ClientBuilder;
    ///
    /// let vars = [("AIRBYTE_API_ROOT", "https://airbyte.internal/api/public/v1")];
    /// let client = ClientBuilder::from_env_source(|name| {
    ///     vars.iter().find(|(key, _)| *key == name).map(|(_, value)| value.to_string())
    /// })
    /// .build()
    /// .unwrap();
    /// assert_eq!(client.roots().config(), Some("https://airbyte.internal/api/v1"));
    /// ```
    #[must_use]
    pub fn from_env_source(get: impl Fn(&str) -> Option<String>) -> Self {
        let read = |names: &[&'static str]| {
            names.iter().find_map(|name| {
                get(name)
                    .map(|value| value.trim().to_owned())
                    .filter(|value| !value.is_empty())
                    .map(|value| (*name, value))
            })
        };
        let mut builder = Self::new();
        builder.roots.api_root = read(&env::API_ROOT).map(|(_, value)| value);
        builder.roots.config_api_root = read(&env::CONFIG_API_ROOT).map(|(_, value)| value);
        builder.roots.web_root = read(&env::WEB_ROOT).map(|(_, value)| value);
        builder.proxy = ProxySettings::from_env(&get);
        if let Some((name, value)) = read(&[env::TRUST_ROOTS]) {
            match value.parse::<TrustRoots>() {
                Ok(trust) => builder.tls.trust = trust,
                Err(reason) => builder.env_error = Some((name, reason)),
            }
        }
        if let Some((_, path)) = read(&[env::CA_FILE]) {
            builder.tls.add_ca_file(PathBuf::from(path));
        }
        match (read(&[env::CLIENT_CERT]), read(&[env::CLIENT_KEY])) {
            (Some((_, certificates)), Some((_, key))) => {
                builder.tls.identity = Some(ClientIdentity::from_pem_files(certificates, key));
            }
            (Some((name, _)), None) | (None, Some((name, _))) => {
                builder.env_error = Some((
                    name,
                    format!(
                        "{} and {} go together: set both or neither",
                        env::CLIENT_CERT,
                        env::CLIENT_KEY
                    ),
                ));
            }
            (None, None) => {}
        }
        builder
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

    /// Which certificate authorities are trusted before any extra CA file (default: the
    /// bundled Mozilla roots and the system store).
    #[must_use]
    pub fn trust_roots(mut self, roots: TrustRoots) -> Self {
        self.tls.trust = roots;
        self.forget_env_error(&[env::TRUST_ROOTS]);
        self
    }

    /// Also trusts the certificate authorities of a PEM file (a company's CA, or a self-managed
    /// Airbyte's own). Read when the client is built; may be called more than once.
    #[must_use]
    pub fn add_ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.tls.add_ca_file(path.into());
        self
    }

    /// Also trusts the certificate authorities of PEM text.
    #[must_use]
    pub fn add_ca_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.tls.add_ca_pem(pem.into());
        self
    }

    /// The client certificate presented to servers that require mutual TLS.
    #[must_use]
    pub fn client_identity(mut self, identity: ClientIdentity) -> Self {
        self.tls.identity = Some(identity);
        self.forget_env_error(&[env::CLIENT_CERT, env::CLIENT_KEY]);
        self
    }

    /// Whether HTTP/2 is offered on TLS connections (default: yes, chosen by ALPN when the
    /// server offers it too). Off, every connection uses HTTP/1.1, for a gateway that
    /// mishandles HTTP/2.
    #[must_use]
    pub fn http2(mut self, enabled: bool) -> Self {
        self.tls.http2 = enabled;
        self
    }

    /// Sends every request through this proxy. Replaces any proxy from the environment; hosts
    /// in [`ClientBuilder::no_proxy`] are still reached directly. The URL is checked when the
    /// client is built; its user and password (percent-encoded) are never shown.
    ///
    /// - `http://[user:password@]host:port`: an HTTP proxy. HTTPS requests go through a
    ///   CONNECT tunnel, plain HTTP ones in absolute form; the user and password are sent as
    ///   `Proxy-Authorization: Basic`.
    /// - `socks5://[user:password@]host[:port]`: a SOCKS5 proxy (port 1080 by default). The
    ///   server's name is resolved on this machine (its first address) and the proxy gets the
    ///   address.
    /// - `socks5h://[user:password@]host[:port]`: the same, but the proxy gets the name and
    ///   resolves it (for names only the proxy's network knows).
    ///
    /// A SOCKS5 user and password (at most 255 bytes each) are sent as RFC 1929
    /// authentication. Through either kind, TLS runs end to end between this client and the
    /// server, and the connect timeout covers reaching the proxy, its handshake and TLS.
    /// `socks4://`, `socks4a://` and `https://` proxies are refused.
    ///
    /// ```
    /// use airbyte_transport::Client;
    ///
    /// let client = Client::builder()
    ///     .proxy("socks5h://localhost:1080")
    ///     .no_proxy(".internal")
    ///     .build()
    ///     .unwrap();
    /// # drop(client);
    /// let refused = Client::builder().proxy("socks4://localhost:1080").build();
    /// assert!(refused.unwrap_err().to_string().contains("socks5h://"));
    /// ```
    #[must_use]
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy.set_all(url.into());
        self
    }

    /// The hosts reached without the proxy, as in `NO_PROXY`: comma-separated domains (each
    /// with its subdomains; a leading `.` or `*.` is allowed), IP addresses (IPv6 with or
    /// without brackets), IP ranges (`10.0.0.0/8`), any of them with a port (`airbyte.lan:8443`:
    /// that port only), or `*` for all.
    #[must_use]
    pub fn no_proxy(mut self, hosts: impl Into<String>) -> Self {
        self.proxy.set_no_proxy(hosts.into());
        self
    }

    /// Connects directly, without any proxy, whatever the environment says.
    #[must_use]
    pub fn without_proxy(mut self) -> Self {
        self.proxy.clear();
        self
    }

    /// A setting made on the builder replaces the variable's, and with it the variable's error.
    fn forget_env_error(&mut self, names: &[&str]) {
        if self
            .env_error
            .as_ref()
            .is_some_and(|(name, _)| names.contains(name))
        {
            self.env_error = None;
        }
    }

    /// Validates the settings and builds the client.
    ///
    /// # Errors
    ///
    /// [`Error::Config`] naming the setting at fault: an invalid root, plain HTTP to a host that
    /// is not loopback, a Config API root that cannot be inferred, empty client credentials, a
    /// zero timeout, an unusable proxy URL, a CA file or client certificate that cannot be
    /// read or used, a system store without certificates (with [`TrustRoots::System`]), or a
    /// variable read by [`ClientBuilder::from_env`] that cannot be used.
    pub fn build(self) -> Result<Client, Error> {
        if let Some((setting, reason)) = &self.env_error {
            return Err(Error::Config {
                setting,
                reason: reason.clone(),
            });
        }
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
