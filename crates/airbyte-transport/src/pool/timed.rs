//! The connect timeout over everything that opens a connection: the TCP connection, a
//! proxy's tunnel (its CONNECT exchange, or the SOCKS5 handshake, with the name resolved here
//! for `socks5://`), and the TLS handshake. hyper-util's TCP connector
//! bounds only the first, so a proxy or a server that takes the connection and then says
//! nothing held each attempt for the whole attempt timeout.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use http::Uri;
use tower_service::Service;

use crate::error::BoxError;
use crate::proxy::{Proxies, display_url};

/// A connector whose connections must be open within `timeout`.
#[derive(Clone)]
pub(crate) struct Timed<C> {
    inner: C,
    timeout: Duration,
    /// To name the proxy a connection went through in the error.
    proxies: Option<Proxies>,
}

impl<C> Timed<C> {
    pub(crate) fn new(inner: C, timeout: Duration, proxies: Option<Proxies>) -> Self {
        Self {
            inner,
            timeout,
            proxies,
        }
    }
}

/// No connection within the connect timeout.
#[derive(Debug)]
pub(crate) struct ConnectTimedOut {
    timeout: Duration,
    /// The proxy the connection went through, as it may be shown.
    proxy: Option<String>,
}

impl fmt::Display for ConnectTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "no connection within the connect timeout ({:?})",
            self.timeout
        )?;
        if let Some(proxy) = &self.proxy {
            write!(
                f,
                " through the proxy {proxy} (it did not open the tunnel, or the server did not answer through it)"
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ConnectTimedOut {}

type Connecting<T> = Pin<Box<dyn Future<Output = Result<T, BoxError>> + Send>>;

impl<C> Service<Uri> for Timed<C>
where
    C: Service<Uri>,
    C::Future: Send + 'static,
    C::Error: Into<BoxError>,
    C::Response: Send + 'static,
{
    type Response = C::Response;
    type Error = BoxError;
    // Boxed: a connection is opened rarely.
    type Future = Connecting<C::Response>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, destination: Uri) -> Self::Future {
        let proxy = self
            .proxies
            .as_ref()
            .and_then(|proxies| proxies.intercept(&destination))
            .map(|intercept| display_url(&intercept.uri().to_string()));
        let timeout = self.timeout;
        let connecting = self.inner.call(destination);
        Box::pin(async move {
            match tokio::time::timeout(timeout, connecting).await {
                Ok(connected) => connected.map_err(Into::into),
                // A timed-out IO error, as the TCP connector's own: the client reports it as a
                // connect timeout (the proxy shows in the debug log of the attempt).
                Err(_elapsed) => Err(Box::new(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    ConnectTimedOut { timeout, proxy },
                )) as BoxError),
            }
        })
    }
}
