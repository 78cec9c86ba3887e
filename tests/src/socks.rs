//! A small SOCKS5 proxy on loopback for the SOCKS tests (RFC 1928 CONNECT, RFC 1929 user and
//! password), with a record of what it was asked: whether the client sent a host name (the
//! proxy resolves it: `socks5h://`) or an address (the client resolved it: `socks5://`). A
//! name in its host table is sent to the address given there, so that a test can reach the
//! mock server under a name no resolver knows. It can also refuse every CONNECT with a reply
//! code, as a proxy whose rules forbid the destination does.

use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::loopback::LoopbackServer;

/// Where a client asked to go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Destination {
    /// A host name, for the proxy to resolve.
    Name(String, u16),
    /// An address the client resolved (or was given).
    Address(SocketAddr),
}

/// One connection the proxy received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SocksRequest {
    /// The user the client authenticated as, if it did.
    pub user: Option<String>,
    /// Where it asked to go; `None` when it never got that far.
    pub destination: Option<Destination>,
    /// The reply code sent to the CONNECT (0: success).
    pub reply: Option<u8>,
}

/// A running loopback SOCKS5 proxy; stops when dropped.
pub struct LoopbackSocks {
    server: LoopbackServer,
    seen: Arc<Mutex<Vec<SocksRequest>>>,
}

#[derive(Default)]
struct Settings {
    /// The user and password required, when authentication is.
    credentials: Option<(String, String)>,
    hosts: HashMap<String, SocketAddr>,
    /// Where every CONNECT goes, whatever it asked for.
    everything_to: Option<SocketAddr>,
    /// The reply code every CONNECT gets instead of a connection.
    refuse_with: Option<u8>,
}

impl LoopbackSocks {
    /// A proxy without authentication that lets everything through.
    ///
    /// # Panics
    ///
    /// When it cannot listen.
    pub async fn start() -> Self {
        Self::start_with(Settings::default()).await
    }

    /// A proxy that requires `user` and `password`.
    ///
    /// # Panics
    ///
    /// When it cannot listen.
    pub async fn requiring(user: &str, password: &str) -> Self {
        Self::start_with(Settings {
            credentials: Some((user.to_owned(), password.to_owned())),
            ..Settings::default()
        })
        .await
    }

    /// A proxy that connects requests for `name` (any port) to `addr`.
    ///
    /// # Panics
    ///
    /// When it cannot listen.
    pub async fn resolving(name: &str, addr: SocketAddr) -> Self {
        Self::start_with(Settings {
            hosts: HashMap::from([(name.to_owned(), addr)]),
            ..Settings::default()
        })
        .await
    }

    /// A proxy that connects every request to `addr`, whatever it asks for (and records what
    /// that was): a client that resolved a name itself may have picked any of its addresses.
    ///
    /// # Panics
    ///
    /// When it cannot listen.
    pub async fn forwarding_to(addr: SocketAddr) -> Self {
        Self::start_with(Settings {
            everything_to: Some(addr),
            ..Settings::default()
        })
        .await
    }

    /// A proxy that answers every CONNECT with the reply `code` (2: not allowed by its rules,
    /// 4: host unreachable, ...).
    ///
    /// # Panics
    ///
    /// When it cannot listen.
    pub async fn refusing(code: u8) -> Self {
        Self::start_with(Settings {
            refuse_with: Some(code),
            ..Settings::default()
        })
        .await
    }

    async fn start_with(settings: Settings) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let settings = Arc::new(settings);
        let record = seen.clone();
        let server = LoopbackServer::start(move |client| {
            let (settings, record) = (settings.clone(), record.clone());
            async move {
                let _ = serve(client, &settings, &record).await;
            }
        })
        .await;
        Self { server, seen }
    }

    /// `socks5h://127.0.0.1:PORT` (the proxy resolves names).
    #[must_use]
    pub fn url(&self) -> String {
        format!("socks5h://{}", self.server.addr())
    }

    /// `SCHEME://127.0.0.1:PORT`, with a user and password when given (used as they are:
    /// percent-encode them first when needed).
    #[must_use]
    pub fn url_as(&self, scheme: &str, credentials: Option<(&str, &str)>) -> String {
        match credentials {
            Some((user, password)) => {
                format!("{scheme}://{user}:{password}@{}", self.server.addr())
            }
            None => format!("{scheme}://{}", self.server.addr()),
        }
    }

    /// What the proxy was asked so far, one entry per connection.
    #[must_use]
    pub fn seen(&self) -> Vec<SocksRequest> {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Reads a one-byte length and that many bytes, as text.
async fn read_text(client: &mut TcpStream) -> std::io::Result<String> {
    let length = client.read_u8().await?;
    let mut bytes = vec![0; usize::from(length)];
    client.read_exact(&mut bytes).await?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A reply to the CONNECT, with an IPv4 bound address.
async fn reply(client: &mut TcpStream, code: u8, bound: SocketAddr) -> std::io::Result<()> {
    let ip = match bound {
        SocketAddr::V4(v4) => *v4.ip(),
        SocketAddr::V6(_) => Ipv4Addr::UNSPECIFIED,
    };
    let mut message = vec![5, code, 0, 1];
    message.extend_from_slice(&ip.octets());
    message.extend_from_slice(&bound.port().to_be_bytes());
    client.write_all(&message).await
}

async fn serve(
    mut client: TcpStream,
    settings: &Settings,
    record: &Mutex<Vec<SocksRequest>>,
) -> std::io::Result<()> {
    let mut request = SocksRequest {
        user: None,
        destination: None,
        reply: None,
    };
    let outcome = handshake(&mut client, settings, &mut request).await;
    record
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(request);
    let Some(mut upstream) = outcome? else {
        return Ok(());
    };
    tokio::io::copy_bidirectional(&mut client, &mut upstream).await?;
    Ok(())
}

/// The greeting, the authentication and the CONNECT; the connection to the destination when
/// it was made.
async fn handshake(
    client: &mut TcpStream,
    settings: &Settings,
    request: &mut SocksRequest,
) -> std::io::Result<Option<TcpStream>> {
    if client.read_u8().await? != 5 {
        return Ok(None);
    }
    let count = client.read_u8().await?;
    let mut methods = vec![0; usize::from(count)];
    client.read_exact(&mut methods).await?;
    let wanted = if settings.credentials.is_some() { 2 } else { 0 };
    if !methods.contains(&wanted) {
        client.write_all(&[5, 0xFF]).await?;
        return Ok(None);
    }
    client.write_all(&[5, wanted]).await?;
    if let Some((user, password)) = &settings.credentials {
        let _version = client.read_u8().await?;
        let given = (read_text(client).await?, read_text(client).await?);
        let accepted = given.0 == *user && given.1 == *password;
        request.user = Some(given.0);
        client.write_all(&[1, u8::from(!accepted)]).await?;
        if !accepted {
            return Ok(None);
        }
    }
    let mut head = [0; 4];
    client.read_exact(&mut head).await?;
    let destination = match head[3] {
        1 => {
            let mut ip = [0; 4];
            client.read_exact(&mut ip).await?;
            Destination::Address(SocketAddr::new(
                Ipv4Addr::from(ip).into(),
                client.read_u16().await?,
            ))
        }
        3 => Destination::Name(read_text(client).await?, client.read_u16().await?),
        4 => {
            let mut ip = [0; 16];
            client.read_exact(&mut ip).await?;
            Destination::Address(SocketAddr::new(
                Ipv6Addr::from(ip).into(),
                client.read_u16().await?,
            ))
        }
        _ => return Ok(None),
    };
    request.destination = Some(destination.clone());
    let unbound = SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0));
    let code = match (head[1], settings.refuse_with) {
        // Only CONNECT.
        (command, _) if command != 1 => Some(7),
        (_, refused) => refused,
    };
    if let Some(code) = code {
        request.reply = Some(code);
        reply(client, code, unbound).await?;
        return Ok(None);
    }
    let upstream = match (&destination, settings.everything_to) {
        (_, Some(addr)) => TcpStream::connect(addr).await,
        (Destination::Name(name, port), None) => match settings.hosts.get(name) {
            Some(addr) => TcpStream::connect(addr).await,
            None => TcpStream::connect((name.as_str(), *port)).await,
        },
        (Destination::Address(addr), None) => TcpStream::connect(addr).await,
    };
    match upstream {
        Ok(upstream) => {
            request.reply = Some(0);
            reply(client, 0, upstream.local_addr().unwrap_or(unbound)).await?;
            Ok(Some(upstream))
        }
        Err(_) => {
            // Connection refused.
            request.reply = Some(5);
            reply(client, 5, unbound).await?;
            Ok(None)
        }
    }
}
