//! Shared helpers of the transport tests.

#![allow(dead_code, unreachable_pub)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use airbyte_transport::{Client, ClientBuilder, Credentials, RetryConfig};
use base64::Engine as _;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub const SECRET: &str = "S3CRET-client-secret-sentinel";
pub const TOKEN: &str = "T0KEN-access-token-sentinel";

/// Fast, deterministic retries for tests.
pub fn fast_retries() -> RetryConfig {
    RetryConfig {
        max_attempts: 4,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(40),
        jitter: false,
        ..RetryConfig::default()
    }
}

/// A builder pointed at a mock server in the self-managed layout (`/api/public/v1`).
pub fn builder(server_uri: &str) -> ClientBuilder {
    Client::builder()
        .api_root(format!("{server_uri}/api/public/v1"))
        .retry(fast_retries())
}

pub fn client_with_credentials(server_uri: &str) -> Client {
    builder(server_uri)
        .credentials(Credentials::client_credentials("client-id", SECRET))
        .build()
        .unwrap()
}

/// A JWT whose payload holds `exp`.
pub fn jwt_expiring_at(exp: i64, marker: &str) -> String {
    let encode = |text: String| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
    format!(
        "{}.{}.{marker}",
        encode(r#"{"alg":"RS256","typ":"JWT"}"#.to_owned()),
        encode(format!(r#"{{"sub":"app","exp":{exp}}}"#))
    )
}

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Mounts a token endpoint answering `token` with `expires_in`, after `delay`.
pub async fn mount_token(server: &MockServer, token: &str, expires_in: i64, delay: Duration) {
    Mock::given(method("POST"))
        .and(path("/api/public/v1/applications/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": token, "token_type": "Bearer", "expires_in": expires_in}))
                .set_delay(delay),
        )
        .mount(server)
        .await;
}

/// How many requests the server received on `path`.
pub async fn count(server: &MockServer, wanted: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|request| request.url.path() == wanted)
        .count()
}

/// What a [`RawServer`] does with each connection.
#[derive(Clone, Debug)]
pub enum RawBehaviour {
    /// Read the request, then close the connection without answering.
    DropAfterRead,
    /// Answer with this status line code, content type and body, then close.
    Respond {
        status: u16,
        content_type: String,
        body: Vec<u8>,
    },
    /// Answer 200 with a JSON body sent in chunks (`Transfer-Encoding: chunked`, no length
    /// announced), `pause` apart so that they arrive one by one, then close.
    Chunked {
        chunks: Vec<Vec<u8>>,
        pause: Duration,
    },
    /// Announce a JSON body of this length, send none, and keep the connection open.
    AnnounceOnly { length: u64 },
}

/// A scripted HTTP/1.1 server on loopback for what wiremock cannot do: losing answers and
/// sending arbitrary statuses and bodies.
pub struct RawServer {
    pub uri: String,
    pub requests: Arc<AtomicUsize>,
    /// Behaviours for the next requests, in order; the last one repeats.
    pub behaviour: Arc<Mutex<Vec<RawBehaviour>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RawServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl RawServer {
    pub async fn start(behaviour: RawBehaviour) -> Self {
        Self::start_sequence(vec![behaviour]).await
    }

    /// A server that behaves as listed, request after request, then keeps the last behaviour.
    pub async fn start_sequence(behaviours: Vec<RawBehaviour>) -> Self {
        assert!(!behaviours.is_empty());
        let behaviour = behaviours;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let requests = Arc::new(AtomicUsize::new(0));
        let behaviour = Arc::new(Mutex::new(behaviour));
        let (counter, script) = (requests.clone(), behaviour.clone());
        let task = tokio::spawn(async move {
            loop {
                let Ok((mut socket, _)) = listener.accept().await else {
                    return;
                };
                let (counter, script) = (counter.clone(), script.clone());
                tokio::spawn(async move {
                    if read_request(&mut socket).await.is_none() {
                        return;
                    }
                    counter.fetch_add(1, Ordering::SeqCst);
                    let behaviour = {
                        let mut script = script.lock().unwrap();
                        if script.len() > 1 {
                            script.remove(0)
                        } else {
                            script[0].clone()
                        }
                    };
                    match behaviour {
                        RawBehaviour::DropAfterRead => drop(socket),
                        RawBehaviour::Respond {
                            status,
                            content_type,
                            body,
                        } => {
                            let head = format!(
                                "HTTP/1.1 {status} Scripted\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                                body.len()
                            );
                            let _ = socket.write_all(head.as_bytes()).await;
                            let _ = socket.write_all(&body).await;
                            let _ = socket.shutdown().await;
                        }
                        RawBehaviour::Chunked { chunks, pause } => {
                            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
                            let _ = socket.write_all(head.as_bytes()).await;
                            for chunk in chunks {
                                let _ = socket
                                    .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                                    .await;
                                let _ = socket.write_all(&chunk).await;
                                let _ = socket.write_all(b"\r\n").await;
                                let _ = socket.flush().await;
                                tokio::time::sleep(pause).await;
                            }
                            let _ = socket.write_all(b"0\r\n\r\n").await;
                            let _ = socket.shutdown().await;
                        }
                        RawBehaviour::AnnounceOnly { length } => {
                            let head = format!(
                                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"
                            );
                            let _ = socket.write_all(head.as_bytes()).await;
                            let _ = socket.flush().await;
                            // Held open: a client that waited for the body would wait long.
                            tokio::time::sleep(Duration::from_secs(30)).await;
                        }
                    }
                });
            }
        });
        Self {
            uri: format!("http://{address}"),
            requests,
            behaviour,
            task,
        }
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// Reads one request (head and `Content-Length` body) and returns its head, lower-cased;
/// `None` when the peer closed first.
pub async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        let read = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(position) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break position + 4;
        }
    };
    let head = String::from_utf8_lossy(&buffer[..header_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    while buffer.len() < header_end + length {
        let read = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut chunk))
            .await
            .ok()?
            .ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
    Some(head)
}

/// A `tracing` writer that keeps everything written, for redaction tests.
#[derive(Clone, Default)]
pub struct CapturedLogs(pub Arc<Mutex<Vec<u8>>>);

impl CapturedLogs {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl std::io::Write for CapturedLogs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for CapturedLogs {
    type Writer = CapturedLogs;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}
