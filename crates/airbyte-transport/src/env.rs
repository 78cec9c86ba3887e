//! The environment variables [`ClientBuilder::from_env`](crate::ClientBuilder::from_env) reads.
//! Where a setting has two names, the first one set wins.

/// The Public API root.
pub const API_ROOT: [&str; 2] = ["AIRBYTE_API_ROOT", "AIRBYTE_CLOUD_API_URL"];
/// The Config API root.
pub const CONFIG_API_ROOT: [&str; 2] = ["AIRBYTE_CONFIG_API_ROOT", "AIRBYTE_CLOUD_CONFIG_API_URL"];
/// The web UI root (for links).
pub const WEB_ROOT: [&str; 2] = ["AIRBYTE_WEB_ROOT", "AIRBYTE_CLOUD_WEB_URL"];
/// Which certificate authorities are trusted: `bundled`, `system` or `bundled+system` (the
/// default); see [`TrustRoots`](crate::TrustRoots).
pub const TRUST_ROOTS: &str = "AIRBYTE_TRUST_ROOTS";
/// A PEM file of certificate authorities trusted in addition to the others.
pub const CA_FILE: &str = "AIRBYTE_CA_FILE";
/// A PEM file with the client certificate for mutual TLS (with [`CLIENT_KEY`]).
pub const CLIENT_CERT: &str = "AIRBYTE_CLIENT_CERT";
/// A PEM file with the private key of [`CLIENT_CERT`].
pub const CLIENT_KEY: &str = "AIRBYTE_CLIENT_KEY";
/// The proxy of `https://` requests (then `https_proxy`). Proxy variables take the URLs
/// [`ClientBuilder::proxy`](crate::ClientBuilder::proxy) takes: `http://`, `socks5://` or
/// `socks5h://`.
pub const HTTPS_PROXY: &str = "HTTPS_PROXY";
/// The proxy of `http://` requests (then `http_proxy`; only the lower-case name in a CGI
/// program).
pub const HTTP_PROXY: &str = "HTTP_PROXY";
/// The proxy of either, when the specific one is not set (then `all_proxy`).
pub const ALL_PROXY: &str = "ALL_PROXY";
/// The hosts reached without a proxy (then `no_proxy`). This machine (`localhost`,
/// `127.0.0.0/8`, `::1`) never goes through a proxy from the environment.
pub const NO_PROXY: &str = "NO_PROXY";
/// Honoured through the system store: when set, the system's certificates are read from this
/// PEM file instead of the platform's default locations (as in OpenSSL).
pub const SSL_CERT_FILE: &str = "SSL_CERT_FILE";
/// Like [`SSL_CERT_FILE`], directories of certificates (`:`-separated).
pub const SSL_CERT_DIR: &str = "SSL_CERT_DIR";
