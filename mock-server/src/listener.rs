//! Connections: the accept loop, which backs off when accepting fails (out of file
//! descriptors, out of memory) instead of spinning, and the outer hyper service of each
//! connection, which carries out the faults that act on the connection itself.

use std::convert::Infallible;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt as _;

use crate::layers::ConnectionFault;
use crate::state::App;

/// The first pause after a failed accept, doubled up to [`MAX_BACKOFF`] while accepting fails.
const MIN_BACKOFF: Duration = Duration::from_millis(5);
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// Whether an accept error concerns only the connection being accepted (retry at once) rather
/// than the process (file descriptors or memory exhausted: pause before retrying).
fn is_per_connection(error: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        error.kind(),
        ErrorKind::ConnectionAborted
            | ErrorKind::ConnectionReset
            | ErrorKind::ConnectionRefused
            | ErrorKind::Interrupted
    )
}

/// Accepts connections until `stopped` changes, handing each to `serve`; on errors that are
/// not about one connection, waits with exponential backoff (reset by the next success).
pub(crate) async fn accept_loop<C, A>(
    mut accept: impl FnMut() -> A,
    mut serve: impl FnMut(C),
    mut stopped: watch::Receiver<bool>,
) where
    A: Future<Output = std::io::Result<C>>,
{
    let mut backoff = MIN_BACKOFF;
    loop {
        let accepted = tokio::select! {
            accepted = accept() => accepted,
            _ = stopped.changed() => return,
        };
        match accepted {
            Ok(connection) => {
                backoff = MIN_BACKOFF;
                serve(connection);
            }
            Err(error) if is_per_connection(&error) => {}
            Err(error) => {
                tracing::warn!(%error, pause_ms = backoff.as_millis() as u64, "accepting a connection failed; pausing");
                tokio::select! {
                    () = tokio::time::sleep(backoff) => {}
                    _ = stopped.changed() => return,
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
        }
    }
}

/// Why a connection is dropped on purpose.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DropConnection {}

/// A body that sends half of `bytes` and then fails, so the connection ends mid-answer
/// although `Content-Length` announced the whole.
struct TruncatedBody {
    half: Option<Bytes>,
}

impl http_body::Body for TruncatedBody {
    type Data = Bytes;
    type Error = DropConnection;

    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Self::Error>>> {
        std::task::Poll::Ready(Some(match self.half.take() {
            Some(half) => Ok(http_body::Frame::data(half)),
            None => Err(DropConnection),
        }))
    }
}

async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    parts
        .headers
        .insert(http::header::CONTENT_LENGTH, bytes.len().into());
    let half = bytes.slice(..bytes.len() / 2);
    Response::from_parts(parts, Body::new(TruncatedBody { half: Some(half) }))
}

/// The requests of one connection: how many are being handled, and whether one started since
/// the last look. hyper bounds the wait for HTTP/1.1 headers only; with this, an HTTP/2
/// connection on which nothing happens (no preface, a header block that never ends, no
/// request at all) is closed too.
#[derive(Default)]
struct Activity {
    in_flight: AtomicUsize,
    started: AtomicBool,
}

/// A request being handled; counted until dropped.
struct InFlight(Arc<Activity>);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Activity {
    fn begin(self: &Arc<Self>) -> InFlight {
        self.in_flight.fetch_add(1, Ordering::Relaxed);
        self.started.store(true, Ordering::Relaxed);
        InFlight(self.clone())
    }

    /// Whether no request started since the last look and none is being handled.
    fn idle_since_last_look(&self) -> bool {
        !self.started.swap(false, Ordering::Relaxed) && self.in_flight.load(Ordering::Relaxed) == 0
    }
}

/// Serves one connection: HTTP/1.1 with keep-alive, headers within the request timeout; with
/// TLS (handshake within the request timeout), HTTP/2 when the client chose it by ALPN, closed
/// once no request was made for a whole request timeout.
///
/// The connection faults act at this level on both versions: a dropped connection ends the
/// HTTP/1.1 connection, and resets the request's stream on HTTP/2 (the client hears nothing
/// more of it either way); a truncated answer ends early.
pub(crate) async fn serve_connection(
    stream: TcpStream,
    app: App,
    router: Router,
    tls: Option<TlsAcceptor>,
) {
    let _ = stream.set_nodelay(true);
    let timeout = app.config.request_timeout;
    let activity = Arc::new(Activity::default());
    let requests = activity.clone();
    let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
        let router = router.clone();
        let app = app.clone();
        let in_flight = requests.begin();
        async move {
            let _in_flight = in_flight;
            app.stats.requests.fetch_add(1, Ordering::Relaxed);
            let response = router
                .oneshot(request.map(Body::new))
                .await
                .unwrap_or_else(|never: Infallible| match never {});
            match response.extensions().get::<ConnectionFault>().copied() {
                Some(ConnectionFault::Drop) => Err(DropConnection),
                Some(ConnectionFault::Truncate) => Ok(truncate(response).await),
                None => Ok(response),
            }
        }
    });
    let Some(acceptor) = tls else {
        return serve_http1(TokioIo::new(stream), service, timeout).await;
    };
    let stream = match tokio::time::timeout(timeout, acceptor.accept(stream)).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(error)) => {
            tracing::debug!(%error, "TLS handshake failed");
            return;
        }
        Err(_) => {
            tracing::debug!("TLS handshake timed out");
            return;
        }
    };
    if stream.get_ref().1.alpn_protocol() == Some(b"h2") {
        serve_http2(TokioIo::new(stream), service, &activity, timeout).await;
    } else {
        serve_http1(TokioIo::new(stream), service, timeout).await;
    }
}

/// HTTP/2 until the client closes, or until a whole `timeout` passes without a request: then
/// the client is asked to go (GOAWAY), and the connection is dropped one `timeout` later.
async fn serve_http2<I, S>(io: I, service: S, activity: &Activity, timeout: Duration)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    S: hyper::service::HttpService<Incoming, ResBody = Body> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let connection = hyper::server::conn::http2::Builder::new(TokioExecutor::new())
        .timer(TokioTimer::new())
        .serve_connection(io, service);
    tokio::pin!(connection);
    let mut looks = tokio::time::interval_at(tokio::time::Instant::now() + timeout, timeout);
    loop {
        tokio::select! {
            _ = connection.as_mut() => return,
            _ = looks.tick() => {
                if activity.idle_since_last_look() {
                    break;
                }
            }
        }
    }
    tracing::debug!("closing an idle HTTP/2 connection");
    connection.as_mut().graceful_shutdown();
    let _ = tokio::time::timeout(timeout, connection).await;
}

async fn serve_http1<I, S>(io: I, service: S, timeout: Duration)
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin,
    S: hyper::service::HttpService<Incoming, ResBody = Body>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(timeout)
        .keep_alive(true)
        .serve_connection(io, service);
    let _ = connection.await;
}

/// Spawns connection tasks into `connections`, reaping finished ones so the set stays small.
pub(crate) fn spawn_connection(
    connections: &mut JoinSet<()>,
    stream: TcpStream,
    app: &App,
    router: &Router,
    tls: Option<&TlsAcceptor>,
) {
    app.stats
        .connections_accepted
        .fetch_add(1, Ordering::Relaxed);
    connections.spawn(serve_connection(
        stream,
        app.clone(),
        router.clone(),
        tls.cloned(),
    ));
    while connections.try_join_next().is_some() {}
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;

    use super::*;

    #[tokio::test(start_paused = true)]
    async fn accept_errors_back_off_instead_of_spinning() {
        let attempts = Arc::new(AtomicUsize::new(0));
        let counted = attempts.clone();
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept_loop::<(), _>(
            move || {
                counted.fetch_add(1, Ordering::Relaxed);
                std::future::ready(Err(std::io::Error::from_raw_os_error(24))) // EMFILE
            },
            |()| {},
            stopped,
        ));
        tokio::time::sleep(Duration::from_secs(10)).await;
        let made = attempts.load(Ordering::Relaxed);
        // 5 ms doubling to 1 s: about 17 attempts in 10 s, not millions.
        assert!((5..=25).contains(&made), "{made} attempts in 10 s");
        stop.send(true).unwrap();
        task.await.unwrap();
    }

    #[tokio::test(start_paused = true)]
    async fn per_connection_errors_do_not_pause_and_success_resets_the_backoff() {
        let attempts = Arc::new(AtomicUsize::new(0));
        let counted = attempts.clone();
        let served = Arc::new(AtomicUsize::new(0));
        let count_served = served.clone();
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(accept_loop::<u32, _>(
            move || {
                let n = counted.fetch_add(1, Ordering::Relaxed);
                std::future::ready(match n % 3 {
                    0 => Err(std::io::Error::from(std::io::ErrorKind::ConnectionAborted)),
                    1 => Ok(1),
                    _ => Err(std::io::Error::from_raw_os_error(24)),
                })
            },
            move |_| {
                count_served.fetch_add(1, Ordering::Relaxed);
            },
            stopped,
        ));
        tokio::time::sleep(Duration::from_millis(100)).await;
        // Each cycle pauses only after the EMFILE, and only MIN_BACKOFF since it succeeded.
        assert!(served.load(Ordering::Relaxed) >= 15, "{served:?}");
        stop.send(true).unwrap();
        task.await.unwrap();
    }
}
