//! The connection pool under [`Client`](crate::Client), and one HTTP exchange on it: send a
//! request, read the whole answer within a size limit.
//!
//! hyper-util's pool serves every root. This crate had its own plain-HTTP/1.1 pool, which saved
//! a few microseconds of CPU per request; with 1 ms of latency (a self-managed Airbyte on a
//! local network at best) no user could tell the two apart (BENCHMARKS.md, section 7), so it
//! went. When no root uses TLS the connector has no TLS layer, which keeps it cheap to clone
//! (hyper-util clones it for every request).

mod failure;
mod timed;

use bytes::{Bytes, BytesMut};
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Body as _;
use hyper::body::Incoming;
use hyper_rustls::HttpsConnector;
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use crate::Result;
use crate::config::ClientBuilder;
use crate::error::BoxError;
use crate::proxy::{Connector, Proxies};
use crate::roots::ApiRoots;
use timed::Timed;

pub(crate) use failure::{copy_connect_failure, is_refusal};

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
    /// No connection, for a reason a retry cannot fix (a certificate that is not trusted, a
    /// proxy that refused the credentials): nothing was sent.
    Refused(BoxError),
    /// The connection failed after the request may have been written.
    Send(BoxError),
    /// The answer exceeded the size limit.
    TooLarge,
}

type Hyper<C> = HyperClient<C, Full<Bytes>>;

/// One connection pool: without TLS when every root is `http://`, TLS-capable otherwise.
pub(crate) struct Pool {
    kind: Kind,
    /// The proxies, to add `Proxy-Authorization` to plain HTTP requests sent through one.
    proxies: Option<Proxies>,
}

enum Kind {
    Plain(Box<Hyper<Timed<Connector>>>),
    Tls(Box<Hyper<Timed<HttpsConnector<Connector>>>>),
}

impl Pool {
    /// A pool for these roots and settings. HTTP/2 is negotiated by ALPN on TLS connections
    /// (unless turned off); plain connections use HTTP/1.1.
    pub(crate) fn new(roots: &ApiRoots, settings: &ClientBuilder) -> Result<Self> {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_nodelay(true);
        http.set_connect_timeout(Some(settings.timeouts.connect));
        let proxies = settings.proxy.resolve()?;
        let uses_tls = !roots.all_plain_http();
        // Read even without TLS: a CA file or client certificate that is wrong shows at once.
        let tls = settings.tls.client_config(uses_tls)?;
        let connector = Connector::new(http, proxies.clone());
        let connect_timeout = settings.timeouts.connect;
        let mut builder = HyperClient::builder(TokioExecutor::new());
        builder
            .pool_idle_timeout(settings.pool_idle_timeout)
            .pool_timer(TokioTimer::new())
            .timer(TokioTimer::new());
        let kind = if uses_tls {
            let https = hyper_rustls::HttpsConnectorBuilder::new()
                .with_tls_config(tls)
                .https_or_http()
                .enable_http1();
            let https = if settings.tls.http2 {
                https.enable_http2().wrap_connector(connector)
            } else {
                https.wrap_connector(connector)
            };
            let timed = Timed::new(https, connect_timeout, proxies.clone());
            Kind::Tls(Box::new(builder.build(timed)))
        } else {
            let timed = Timed::new(connector, connect_timeout, proxies.clone());
            Kind::Plain(Box::new(builder.build(timed)))
        };
        Ok(Self { kind, proxies })
    }

    /// Sends a request with an absolute URI and reads the whole answer; an answer larger than
    /// `max_bytes` is refused (by its announced length before reading, when it has one).
    ///
    /// Not an `async fn`: the request is handed to hyper before the future is made, so the
    /// future does not carry it (an `async fn` keeps its arguments for its whole life), which
    /// keeps the future of every request small.
    pub(crate) fn exchange(
        &self,
        request: Request<Full<Bytes>>,
        max_bytes: usize,
    ) -> impl Future<Output = std::result::Result<RawResponse, SendError>> + use<> {
        let mut request = request;
        if let Some(proxies) = &self.proxies {
            add_proxy_authorization(&mut request, proxies);
        }
        let sent = match &self.kind {
            Kind::Plain(client) => client.request(request),
            Kind::Tls(client) => client.request(request),
        };
        async move {
            let response = sent.await.map_err(|error| {
                if error.is_connect() {
                    failure::connect_failed(error)
                } else {
                    SendError::Send(Box::new(error))
                }
            })?;
            read_whole(response, max_bytes).await
        }
    }

    /// Whether this pool can speak TLS.
    #[cfg(test)]
    pub(crate) fn speaks_tls(&self) -> bool {
        matches!(self.kind, Kind::Tls(_))
    }
}

/// A plain HTTP request sent through a proxy that wants credentials carries them in
/// `Proxy-Authorization` (an HTTPS request gives them in the tunnel's CONNECT instead).
fn add_proxy_authorization(request: &mut Request<Full<Bytes>>, proxies: &Proxies) {
    if request.uri().scheme() != Some(&http::uri::Scheme::HTTP) {
        return;
    }
    if let Some(auth) = proxies
        .intercept(request.uri())
        .and_then(|intercept| intercept.basic_auth().cloned())
    {
        request
            .headers_mut()
            .insert(http::header::PROXY_AUTHORIZATION, auth);
    }
}

/// Reads an answer's body to the end, within `max_bytes`. (Not an `async fn`, for the reason
/// given at [`Pool::exchange`]: the future holds the parts and the body, not the response too.)
fn read_whole(
    response: Response<Incoming>,
    max_bytes: usize,
) -> impl Future<Output = std::result::Result<RawResponse, SendError>> {
    let (parts, body) = response.into_parts();
    // Only what the answer keeps: the future is smaller without the rest of the parts.
    let (status, headers) = (parts.status, parts.headers);
    // hyper's body knows the announced `Content-Length` (its size hint's lower bound), parsed
    // once already: no second look at the header.
    let too_large = body.size_hint().lower() > max_bytes as u64;
    async move {
        if too_large {
            return Err(SendError::TooLarge);
        }
        let mut body = Limited::new(body, max_bytes);
        // The data frames, without `collect()`'s room for trailers: this future is part of
        // every request's. A body of one frame (most answers) is kept without a copy.
        let mut first: Option<Bytes> = None;
        let mut more: Option<BytesMut> = None;
        while let Some(frame) = body.frame().await {
            let frame = frame.map_err(|error| {
                if error.is::<http_body_util::LengthLimitError>() {
                    SendError::TooLarge
                } else {
                    SendError::Send(error)
                }
            })?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            match (&mut first, &mut more) {
                (None, _) => first = Some(data),
                (Some(first), None) => {
                    let mut joined = BytesMut::with_capacity(first.len() + data.len());
                    joined.extend_from_slice(first);
                    joined.extend_from_slice(&data);
                    more = Some(joined);
                }
                (Some(_), Some(joined)) => joined.extend_from_slice(&data),
            }
        }
        let body = match (first, more) {
            (_, Some(joined)) => joined.freeze(),
            (first, None) => first.unwrap_or_default(),
        };
        Ok(RawResponse {
            status,
            headers,
            body,
        })
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
        let client = builder.clone().build().expect("a client");
        Pool::new(client.roots(), &builder).expect("a pool")
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
