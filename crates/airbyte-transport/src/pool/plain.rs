//! The connection pool for plain HTTP: HTTP/1.1 connections made with hyper's connection API,
//! kept idle per host between requests.
//!
//! Why not hyper-util's pool here: for each request it races a pool checkout against a lazily
//! built connect future, boxes the whole exchange, and spawns a task that returns the connection
//! to the pool once the answer's body has been read. On a fast network (a self-managed Airbyte on
//! the same host or LAN, the mock server) that bookkeeping is a large share of the client's CPU.
//! This pool does only what a client that reads every body to the end needs: take an idle
//! connection or open one, send, and put the connection back after the body.

use std::sync::{Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use bytes::Bytes;
use http::uri::{Authority, PathAndQuery, Scheme};
use http::{HeaderValue, Request, Response, Uri};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::client::legacy::connect::HttpConnector;
use tokio::time::Instant;
use tower_service::Service;

use super::SendError;

/// How many idle connections to one host are kept at most.
const MAX_IDLE_PER_HOST: usize = 256;

/// How many pooled connections one request tries when each turns out to be closed before the
/// request could be written, before it opens a new one.
const MAX_STALE_TRIES: usize = 4;

/// A pool of HTTP/1.1 connections over plain TCP. Cheap to clone; clones share the pool.
#[derive(Clone)]
pub(crate) struct PlainPool {
    shared: Arc<Shared>,
}

struct Shared {
    connector: HttpConnector,
    idle_timeout: Duration,
    idle: Mutex<Idle>,
}

#[derive(Default)]
struct Idle {
    /// Idle connections by host, most recently used last. A list, not a hash map: a client
    /// talks to one to three hosts (its API roots), and hashing an authority costs more than
    /// comparing a few.
    by_host: Vec<(Authority, Vec<IdleConnection>)>,
    /// Whether the task that closes expired idle connections runs.
    reaper_running: bool,
}

struct IdleConnection {
    sender: SendRequest<Full<Bytes>>,
    since: Instant,
}

impl IdleConnection {
    /// Whether the connection must not carry another request: closed, or idle too long.
    fn is_spent(&self, idle_timeout: Duration) -> bool {
        self.sender.is_closed() || self.since.elapsed() >= idle_timeout
    }
}

/// A connection lent to one request, to be given back with [`PlainPool::release`] once the
/// answer's body has been read. A lease that is dropped instead (the body was not read to the
/// end, or the exchange failed) closes its connection.
pub(crate) struct Lease {
    sender: SendRequest<Full<Bytes>>,
    host: Authority,
}

impl PlainPool {
    pub(crate) fn new(connector: HttpConnector, idle_timeout: Duration) -> Self {
        Self {
            shared: Arc::new(Shared {
                connector,
                idle_timeout,
                idle: Mutex::new(Idle::default()),
            }),
        }
    }

    /// Sends a request with an absolute `http://` URI on a pooled or new connection. The URI is
    /// rewritten to origin form and a `Host` header added, as HTTP/1.1 to a server wants.
    pub(crate) async fn send(
        &self,
        mut request: Request<Full<Bytes>>,
    ) -> Result<(Response<Incoming>, Lease), SendError> {
        let host = request
            .uri()
            .authority()
            .cloned()
            .ok_or_else(|| SendError::Connect("the request URL has no host".into()))?;
        let host_header = HeaderValue::from_str(host_without_userinfo(&host))
            .map_err(|error| SendError::Connect(Box::new(error)))?;
        request
            .headers_mut()
            .insert(http::header::HOST, host_header);
        *request.uri_mut() = origin_form(request.uri());

        let mut stale_tries = 0;
        loop {
            let pooled = if stale_tries < MAX_STALE_TRIES {
                self.checkout(&host).await
            } else {
                None
            };
            let reused = pooled.is_some();
            let mut sender = match pooled {
                Some(sender) => sender,
                // Boxed: opening a connection is rare, and its future would otherwise make
                // every request's future larger.
                None => Box::pin(self.connect(&host)).await?,
            };
            match sender.try_send_request(request).await {
                Ok(response) => return Ok((response, Lease { sender, host })),
                Err(mut error) => match error.take_message() {
                    // The connection closed before the request was written (a server that
                    // dropped an idle keep-alive connection): nothing was sent, so any request
                    // may go out again on another connection.
                    Some(unsent) if reused => {
                        tracing::debug!(error = %error.error(), "pooled connection was closed; trying another");
                        stale_tries += 1;
                        request = unsent;
                    }
                    Some(_) => return Err(SendError::Connect(Box::new(error.into_error()))),
                    None => return Err(SendError::Send(Box::new(error.into_error()))),
                },
            }
        }
    }

    /// Returns a leased connection to the pool.
    pub(crate) fn release(&self, lease: Lease) {
        if lease.sender.is_closed() {
            return;
        }
        let mut idle = self.shared.lock();
        let connections = idle.connections_to(lease.host);
        if connections.len() < MAX_IDLE_PER_HOST {
            connections.push(IdleConnection {
                sender: lease.sender,
                since: Instant::now(),
            });
        }
    }

    /// The most recently used idle connection to `host` that is still open, ready for a request.
    async fn checkout(&self, host: &Authority) -> Option<SendRequest<Full<Bytes>>> {
        loop {
            let popped = {
                let mut idle = self.shared.lock();
                idle.by_host
                    .iter_mut()
                    .find(|(known, _)| known == host)
                    .and_then(|(_, connections)| connections.pop())
            }?;
            if popped.is_spent(self.shared.idle_timeout) {
                continue;
            }
            let mut sender = popped.sender;
            // Given back as soon as its answer was read, a connection may not have taken note
            // yet that the exchange is over; this waits for that (or learns that it closed).
            if sender.ready().await.is_ok() {
                return Some(sender);
            }
        }
    }

    /// Opens a connection to `host` and starts the task that drives it.
    async fn connect(&self, host: &Authority) -> Result<SendRequest<Full<Bytes>>, SendError> {
        let uri = Uri::builder()
            .scheme(Scheme::HTTP)
            .authority(host.clone())
            .path_and_query("/")
            .build()
            .map_err(|error| SendError::Connect(Box::new(error)))?;
        let mut connector = self.shared.connector.clone();
        let io = connector
            .call(uri)
            .await
            .map_err(|error| SendError::Connect(Box::new(error)))?;
        let (sender, connection) = http1::Builder::new()
            .handshake(io)
            .await
            .map_err(|error| SendError::Connect(Box::new(error)))?;
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection closed with an error");
            }
        });
        self.start_reaper();
        Ok(sender)
    }

    /// Starts, once, the task that closes connections idle for longer than the idle timeout.
    /// It holds the pool weakly and ends when the client is dropped.
    fn start_reaper(&self) {
        {
            let mut idle = self.shared.lock();
            if idle.reaper_running {
                return;
            }
            idle.reaper_running = true;
        }
        let pool = Arc::downgrade(&self.shared);
        let period = (self.shared.idle_timeout / 2).max(Duration::from_millis(100));
        tokio::spawn(async move {
            // Also dropped when the runtime shuts down under the task: the next connection,
            // maybe made on another runtime, then starts a new reaper.
            let _running = ReaperRunning(pool.clone());
            loop {
                tokio::time::sleep(period).await;
                let Some(shared) = pool.upgrade() else { break };
                let expired = shared.take_expired();
                // Dropped outside the lock: closing a connection wakes its task.
                drop(expired);
            }
        });
    }
}

impl Idle {
    /// The idle list of `host`, made when missing.
    fn connections_to(&mut self, host: Authority) -> &mut Vec<IdleConnection> {
        let index = match self.by_host.iter().position(|(known, _)| *known == host) {
            Some(index) => index,
            None => {
                self.by_host.push((host, Vec::new()));
                self.by_host.len() - 1
            }
        };
        &mut self.by_host[index].1
    }
}

/// Marks the reaper as stopped when its task ends or is dropped.
struct ReaperRunning(Weak<Shared>);

impl Drop for ReaperRunning {
    fn drop(&mut self) {
        if let Some(shared) = self.0.upgrade() {
            shared.lock().reaper_running = false;
        }
    }
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Idle> {
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Removes the idle connections that expired or closed.
    fn take_expired(&self) -> Vec<IdleConnection> {
        let mut expired = Vec::new();
        let mut idle = self.lock();
        for (_, connections) in &mut idle.by_host {
            expired.extend(
                connections.extract_if(.., |connection| connection.is_spent(self.idle_timeout)),
            );
        }
        idle.by_host
            .retain(|(_, connections)| !connections.is_empty());
        expired
    }
}

/// The `Host` header of an authority (any `user:password@` dropped).
fn host_without_userinfo(authority: &Authority) -> &str {
    let text = authority.as_str();
    text.rsplit_once('@').map_or(text, |(_, host)| host)
}

/// The request target of an HTTP/1.1 request to a server: path and query only.
fn origin_form(uri: &Uri) -> Uri {
    let path = uri
        .path_and_query()
        .cloned()
        .unwrap_or_else(|| PathAndQuery::from_static("/"));
    Uri::from(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_target_is_the_path_and_query() {
        let uri: Uri = "http://127.0.0.1:8000/api/public/v1/sources?limit=5"
            .parse()
            .unwrap();
        assert_eq!(
            origin_form(&uri).to_string(),
            "/api/public/v1/sources?limit=5"
        );
        let bare: Uri = "http://127.0.0.1:8000".parse().unwrap();
        assert_eq!(origin_form(&bare).to_string(), "/");
    }

    #[test]
    fn the_host_header_has_no_user_information() {
        let with: Authority = "user:pw@airbyte.internal:8001".parse().unwrap();
        assert_eq!(host_without_userinfo(&with), "airbyte.internal:8001");
        let without: Authority = "localhost:8000".parse().unwrap();
        assert_eq!(host_without_userinfo(&without), "localhost:8000");
    }
}
