//! The pooled hyper client under [`Client`](crate::Client): plain HTTP when every API root is
//! `http://`, TLS-capable (rustls) otherwise.
//!
//! Why two: hyper-util boxes a future per request whose size grows with the connector's own
//! futures, and the TLS connector's are large. A client that never talks TLS (a loopback mock
//! server, a self-managed Airbyte on a local network with the explicit opt-in) would copy that
//! weight on every call for nothing. In a perf profile of the concurrency benchmark, the copy
//! made inside hyper-util's `request` fell from 1.0 % to 0.6 % of the client's samples.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::{Client as HyperClient, ResponseFuture};
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::roots::ApiRoots;
use crate::{Error, Result};

/// One connection pool, plain or TLS-capable.
pub(crate) enum Pool {
    /// Every root is `http://`.
    Plain(HyperClient<HttpConnector, Full<Bytes>>),
    /// At least one root is `https://`; this client also speaks plain HTTP.
    Tls(HyperClient<HttpsConnector<HttpConnector>, Full<Bytes>>),
}

impl Pool {
    /// A pool for these roots. HTTP/2 is negotiated by ALPN on TLS connections; plain
    /// connections use HTTP/1.1.
    pub(crate) fn new(
        roots: &ApiRoots,
        connect_timeout: Duration,
        pool_idle_timeout: Duration,
    ) -> Result<Self> {
        let mut connector = HttpConnector::new();
        connector.enforce_http(false);
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(connect_timeout));
        let mut builder = HyperClient::builder(TokioExecutor::new());
        builder
            .pool_idle_timeout(pool_idle_timeout)
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new());
        if roots.all_plain_http() {
            return Ok(Self::Plain(builder.build(connector)));
        }
        let https = hyper_rustls::HttpsConnectorBuilder::new()
            .with_provider_and_webpki_roots(rustls::crypto::ring::default_provider())
            .map_err(|error| Error::Config {
                setting: "tls",
                reason: error.to_string(),
            })?
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(connector);
        Ok(Self::Tls(builder.build(https)))
    }

    /// Sends a request on a pooled connection.
    pub(crate) fn request(&self, request: http::Request<Full<Bytes>>) -> ResponseFuture {
        match self {
            Self::Plain(client) => client.request(request),
            Self::Tls(client) => client.request(request),
        }
    }

    /// Whether this pool can speak TLS.
    #[cfg(test)]
    pub(crate) fn speaks_tls(&self) -> bool {
        matches!(self, Self::Tls(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Client;

    fn pool_for(public: &str, config: Option<&str>) -> Pool {
        let mut builder = Client::builder().api_root(public).allow_insecure_http(true);
        if let Some(config) = config {
            builder = builder.config_api_root(config);
        }
        let client = builder.build().expect("a client");
        Pool::new(
            client.roots(),
            Duration::from_secs(1),
            Duration::from_secs(1),
        )
        .expect("a pool")
    }

    #[test]
    fn plain_roots_get_a_plain_pool_and_any_tls_root_a_tls_pool() {
        assert!(!pool_for("http://127.0.0.1:8000/api/public/v1", None).speaks_tls());
        assert!(pool_for("https://airbyte.example.com/api/public/v1", None).speaks_tls());
        assert!(
            pool_for(
                "http://127.0.0.1:8000/api/public/v1",
                Some("https://airbyte.example.com/api/v1")
            )
            .speaks_tls()
        );
        assert!(pool_for("https://api.airbyte.com/v1", None).speaks_tls());
    }
}
