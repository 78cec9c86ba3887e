//! A small HTTP proxy on loopback for the proxy tests: CONNECT tunnels and absolute-form
//! forwarding, optional basic authentication, and a record of what it was asked. A name in
//! its host table is sent to the address given there, so that a test can reach the mock server
//! under a name no resolver knows, which only a proxy can reach.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use base64::Engine as _;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

use crate::loopback::LoopbackServer;

/// The largest request head the proxy reads.
const MAX_HEAD_BYTES: usize = 16 * 1024;

/// One request the proxy received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxiedRequest {
    /// `CONNECT`, `GET`, ...
    pub method: String,
    /// The request target: `host:port` for CONNECT, an absolute URL otherwise.
    pub target: String,
    /// The `Proxy-Authorization` header, if any.
    pub authorization: Option<String>,
    /// Whether the proxy let it through.
    pub allowed: bool,
}

/// A running loopback proxy; stops when dropped.
pub struct LoopbackProxy {
    server: LoopbackServer,
    seen: Arc<Mutex<Vec<ProxiedRequest>>>,
}

struct Settings {
    /// `Basic …` expected in `Proxy-Authorization`, when authentication is required.
    expected: Option<String>,
    hosts: HashMap<String, SocketAddr>,
}

impl LoopbackProxy {
    /// A proxy that lets everything through.
    ///
    /// # Panics
    ///
    /// When it cannot listen.
    pub async fn start() -> Self {
        Self::start_with(None, HashMap::new()).await
    }

    /// A proxy that requires `user` and `password` (basic authentication).
    ///
    /// # Panics
    ///
    /// When it cannot listen.
    pub async fn requiring(user: &str, password: &str) -> Self {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        Self::start_with(Some(format!("Basic {token}")), HashMap::new()).await
    }

    /// A proxy that sends requests for `name` (with any port) to `addr`.
    ///
    /// # Panics
    ///
    /// When it cannot listen.
    pub async fn resolving(name: &str, addr: SocketAddr) -> Self {
        Self::start_with(None, HashMap::from([(name.to_owned(), addr)])).await
    }

    async fn start_with(expected: Option<String>, hosts: HashMap<String, SocketAddr>) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let settings = Arc::new(Settings { expected, hosts });
        let record = seen.clone();
        let server = LoopbackServer::start(move |client| {
            let (settings, record) = (settings.clone(), record.clone());
            async move { serve(client, &settings, &record).await }
        })
        .await;
        Self { server, seen }
    }

    /// `http://127.0.0.1:PORT`.
    #[must_use]
    pub fn url(&self) -> String {
        format!("http://{}", self.server.addr())
    }

    /// `http://USER:PASSWORD@127.0.0.1:PORT`.
    #[must_use]
    pub fn url_with(&self, user: &str, password: &str) -> String {
        format!("http://{user}:{password}@{}", self.server.addr())
    }

    /// What the proxy was asked so far.
    #[must_use]
    pub fn seen(&self) -> Vec<ProxiedRequest> {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Reads one request head (up to the blank line).
async fn read_head(reader: &mut BufReader<TcpStream>) -> Option<Vec<String>> {
    let mut lines = Vec::new();
    let mut total = 0;
    loop {
        let mut line = String::new();
        let read = reader.read_line(&mut line).await.ok()?;
        total += read;
        if read == 0 || total > MAX_HEAD_BYTES {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']).to_owned();
        if line.is_empty() {
            return Some(lines);
        }
        lines.push(line);
    }
}

async fn serve(client: TcpStream, settings: &Settings, record: &Mutex<Vec<ProxiedRequest>>) {
    let mut reader = BufReader::new(client);
    let Some(head) = read_head(&mut reader).await else {
        return;
    };
    let mut parts = head
        .first()
        .map(|line| line.split(' '))
        .into_iter()
        .flatten();
    let (method, target) = (
        parts.next().unwrap_or_default().to_owned(),
        parts.next().unwrap_or_default().to_owned(),
    );
    let authorization = head.iter().skip(1).find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.eq_ignore_ascii_case("proxy-authorization")
            .then(|| value.trim().to_owned())
    });
    let allowed = settings
        .expected
        .as_ref()
        .is_none_or(|expected| authorization.as_ref() == Some(expected));
    record
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(ProxiedRequest {
            method: method.clone(),
            target: target.clone(),
            authorization,
            allowed,
        });
    if !allowed {
        let _ = reader
            .get_mut()
            .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            .await;
        return;
    }
    let authority = if method == "CONNECT" {
        target.clone()
    } else {
        target
            .strip_prefix("http://")
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default()
            .to_owned()
    };
    let host = authority
        .rsplit_once(':')
        .map_or(authority.as_str(), |(host, _)| host);
    let upstream = match settings.hosts.get(host) {
        Some(addr) => TcpStream::connect(addr).await,
        None => TcpStream::connect(&authority).await,
    };
    let Ok(mut upstream) = upstream else {
        let _ = reader
            .get_mut()
            .write_all(
                b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            )
            .await;
        return;
    };
    if method == "CONNECT" {
        if reader
            .get_mut()
            .write_all(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            .await
            .is_err()
        {
            return;
        }
    } else {
        // The request goes on as received (absolute form, which servers accept), without the
        // proxy's own header.
        let mut text = String::new();
        for line in &head {
            if !line
                .to_ascii_lowercase()
                .starts_with("proxy-authorization:")
            {
                text.push_str(line);
                text.push_str("\r\n");
            }
        }
        text.push_str("\r\n");
        if upstream.write_all(text.as_bytes()).await.is_err() {
            return;
        }
    }
    // Bytes the reader already took past the head belong to the upstream.
    let buffered = reader.buffer().to_vec();
    if !buffered.is_empty() && upstream.write_all(&buffered).await.is_err() {
        return;
    }
    let mut client = reader.into_inner();
    let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
    let _ = client.read(&mut [0u8; 1]).await;
}
