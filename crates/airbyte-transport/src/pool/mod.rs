//! The connection pools under [`Client`](crate::Client), and one HTTP exchange on them: send a
//! request, read the whole answer within a size limit.
//!
//! Plain HTTP (every API root `http://`: a self-managed Airbyte on the same host or LAN, the mock
//! server) uses this crate's own HTTP/1.1 pool ([`plain`]), where the client's CPU per request
//! matters most because the network is fast. Anything with TLS uses hyper-util's pool, which
//! negotiates HTTP/2 by ALPN; its per-request bookkeeping is small next to a TLS round trip.

mod plain;

use std::time::Duration;

use bytes::Bytes;
use http::header::CONTENT_LENGTH;
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::error::BoxError;
use crate::roots::ApiRoots;
use crate::{Error, Result};

use plain::PlainPool;

/// The answer of one attempt.
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
}

/// Why one attempt got no answer.
pub(crate) enum SendError {
    /// No connection: nothing was sent.
    Connect(BoxError),
    /// The connection failed after the request may have been written.
    Send(BoxError),
    /// The answer exceeded the size limit.
    TooLarge,
}

/// One connection pool, plain or TLS-capable.
pub(crate) enum Pool {
    /// Every root is `http://`.
    Plain(PlainPool),
    /// At least one root is `https://`; this client also speaks plain HTTP.
    Tls(Box<HyperClient<HttpsConnector<HttpConnector>, Full<Bytes>>>),
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
        if roots.all_plain_http() {
            return Ok(Self::Plain(PlainPool::new(connector, pool_idle_timeout)));
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
        let client = HyperClient::builder(TokioExecutor::new())
            .pool_idle_timeout(pool_idle_timeout)
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new())
            .build(https);
        Ok(Self::Tls(Box::new(client)))
    }

    /// Sends a request with an absolute URI and reads the whole answer; an answer larger than
    /// `max_bytes` is refused (by its announced length before reading, when it has one).
    pub(crate) async fn exchange(
        &self,
        request: Request<Full<Bytes>>,
        max_bytes: usize,
    ) -> std::result::Result<RawResponse, SendError> {
        match self {
            Self::Plain(pool) => {
                let (response, lease) = pool.send(request).await?;
                let answer = read_whole(response, max_bytes).await?;
                // Only a connection whose answer was read to the end can carry another request.
                pool.release(lease);
                Ok(answer)
            }
            Self::Tls(client) => {
                let response = client.request(request).await.map_err(|error| {
                    if error.is_connect() {
                        SendError::Connect(Box::new(error))
                    } else {
                        SendError::Send(Box::new(error))
                    }
                })?;
                read_whole(response, max_bytes).await
            }
        }
    }

    /// Whether this pool can speak TLS.
    #[cfg(test)]
    pub(crate) fn speaks_tls(&self) -> bool {
        matches!(self, Self::Tls(_))
    }
}

/// Reads an answer's body to the end, within `max_bytes`.
async fn read_whole(
    response: Response<Incoming>,
    max_bytes: usize,
) -> std::result::Result<RawResponse, SendError> {
    let (parts, body) = response.into_parts();
    let announced = parts
        .headers
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if announced.is_some_and(|length| length > max_bytes as u64) {
        return Err(SendError::TooLarge);
    }
    let collected = Limited::new(body, max_bytes)
        .collect()
        .await
        .map_err(|error| {
            if error.is::<http_body_util::LengthLimitError>() {
                SendError::TooLarge
            } else {
                SendError::Send(error)
            }
        })?;
    Ok(RawResponse {
        status: parts.status,
        headers: parts.headers,
        body: collected.to_bytes(),
    })
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
