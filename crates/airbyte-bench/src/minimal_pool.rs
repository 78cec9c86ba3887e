//! The leanest pooled HTTP/1.1 client this harness knows how to write on hyper's connection
//! API: a mutex over idle connections, nothing else (no timeouts, no retries, no checks). It is
//! the floor the facade is also compared with, to show what the facade's own work costs.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::client::conn::http1::{self, SendRequest};
use hyper_util::rt::TokioIo;

/// Idle connections to one server.
#[derive(Clone)]
pub(crate) struct MinimalPool {
    idle: Arc<Mutex<Vec<SendRequest<Empty<Bytes>>>>>,
    /// `host:port`.
    host: Arc<str>,
}

impl MinimalPool {
    /// A pool for the server at `base` (`http://host:port`).
    pub(crate) fn new(base: &str) -> Self {
        Self {
            idle: Arc::default(),
            host: base.trim_start_matches("http://").into(),
        }
    }

    /// `GET path` with an `Authorization` header; the body of a successful answer.
    pub(crate) async fn get(&self, path: &str, authorization: &str) -> Bytes {
        let mut sender = self.connection().await;
        let request = http::Request::builder()
            .uri(path)
            .header("host", &*self.host)
            .header("authorization", authorization)
            .header("accept", "application/json")
            .body(Empty::new())
            .expect("a request");
        let response = sender.send_request(request).await.expect("an answer");
        assert!(
            response.status().is_success(),
            "status {}",
            response.status()
        );
        let body = response
            .into_body()
            .collect()
            .await
            .expect("a body")
            .to_bytes();
        self.idle.lock().expect("the pool lock").push(sender);
        body
    }

    /// An idle connection that is ready, or a new one.
    async fn connection(&self) -> SendRequest<Empty<Bytes>> {
        loop {
            let popped = self.idle.lock().expect("the pool lock").pop();
            let Some(mut sender) = popped else { break };
            if sender.ready().await.is_ok() {
                return sender;
            }
        }
        let stream = tokio::net::TcpStream::connect(&*self.host)
            .await
            .expect("a connection");
        stream.set_nodelay(true).expect("TCP_NODELAY");
        let (sender, connection) = http1::handshake(TokioIo::new(stream))
            .await
            .expect("a handshake");
        tokio::spawn(connection);
        sender
    }
}
