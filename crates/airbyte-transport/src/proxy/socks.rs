//! SOCKS5 proxies (`socks5://` and `socks5h://`). The protocol is hyper-util's [`SocksV5`];
//! this module decides who resolves the destination's name, opens the TCP connection to the
//! proxy itself (hyper-util's connector would describe a proxy out of reach only as "failed to
//! create underlying connection"), and turns what the proxy answered into a [`SocksFailure`]
//! that says whether trying again can help.

use std::fmt;
use std::future::{Ready, ready};
use std::io;
use std::task::{Context, Poll};

use http::Uri;
use http::uri::Scheme;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::connect::proxy::SocksV5;
use hyper_util::client::proxy::matcher::Intercept;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;
use tower_service::Service;

use crate::error::BoxError;

/// The port of a SOCKS proxy whose URL gives none (as in curl).
pub(super) const DEFAULT_PORT: u16 = 1080;

/// The longest user or password RFC 1929 can carry (its lengths are one byte).
pub(super) const MAX_CREDENTIAL_BYTES: usize = 255;

/// `socks5`: names are resolved on this machine. `socks5h`: the proxy resolves them.
pub(super) fn is_socks5(scheme: &str) -> bool {
    scheme == "socks5" || scheme == "socks5h"
}

type Stream = TokioIo<TcpStream>;

/// Hands hyper-util's SOCKS connector the connection to the proxy, already open.
struct Opened(Option<Stream>);

impl Service<Uri> for Opened {
    type Response = Stream;
    type Error = io::Error;
    type Future = Ready<io::Result<Stream>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, _proxy: Uri) -> Self::Future {
        ready(
            self.0
                .take()
                .ok_or_else(|| io::Error::other("the connection to the proxy was used already")),
        )
    }
}

/// What hyper-util's SOCKS connector fails with (its type is not exported, only reachable
/// through the service).
type HandshakeError = <SocksV5<Opened> as Service<Uri>>::Error;

/// Opens a connection to `destination` through the SOCKS5 proxy of `intercept`: resolves the
/// destination's name here for `socks5://` (the first address, as curl does), connects to the
/// proxy, authenticates with the URL's user and password when it has some (RFC 1929), and asks
/// for the destination. What comes back carries bytes to and from the destination (TLS runs
/// over it for `https://`).
///
/// # Errors
///
/// The connection to the proxy failed ([`BoxError`] of the TCP connector), or a
/// [`SocksFailure`].
pub(super) async fn connect(
    mut http: HttpConnector,
    intercept: Intercept,
    destination: Uri,
) -> Result<Stream, BoxError> {
    let host = destination.host().unwrap_or_default();
    let port = destination
        .port_u16()
        .unwrap_or(if destination.scheme() == Some(&Scheme::HTTPS) {
            443
        } else {
            80
        });
    let named = format!("{host}:{port}");
    let failure = |kind| -> BoxError {
        Box::new(SocksFailure {
            destination: named.clone(),
            kind,
        })
    };
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let proxy_resolves = intercept.uri().scheme_str() == Some("socks5h");
    // hyper-util's own local resolution blocks the runtime's thread; this one does not.
    let target = if proxy_resolves || bare.parse::<std::net::IpAddr>().is_ok() {
        named.clone()
    } else {
        let resolved = tokio::net::lookup_host((bare, port))
            .await
            .and_then(|mut addresses| {
                addresses
                    .next()
                    .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no address"))
            });
        match resolved {
            Ok(address) => address.to_string(),
            Err(source) => return Err(failure(Kind::Resolve(source))),
        }
    };
    let target: Uri = format!("http://{target}/")
        .parse()
        .map_err(|_| failure(Kind::Other("not a valid destination".to_owned())))?;
    let tcp = http.call(intercept.uri().clone()).await?;
    let mut socks = SocksV5::new(intercept.uri().clone(), Opened(Some(tcp)));
    let sent_credentials = intercept.raw_auth().is_some();
    if let Some((user, password)) = intercept.raw_auth() {
        socks = socks.with_auth(user.to_owned(), password.to_owned());
    }
    socks
        .call(target)
        .await
        .map_err(|error| failure(classify(error, sent_credentials, proxy_resolves)))
}

/// The SOCKS5 reply codes (RFC 1928, section 6) with hyper-util's words for them.
const REPLIES: [(u8, &str); 8] = [
    (1, "general server failure"),
    (2, "connection not allowed"),
    (3, "network unreachable"),
    (4, "host unreachable"),
    (5, "connection refused"),
    (6, "ttl expired"),
    (7, "command not supported"),
    (8, "address type not supported"),
];

fn classify(error: HandshakeError, sent_credentials: bool, proxy_resolves: bool) -> Kind {
    match error {
        HandshakeError::Io(source) => Kind::Handshake(source),
        HandshakeError::Parsing(_) => Kind::NotSocks,
        HandshakeError::V5(error) => {
            // hyper-util keeps the details to itself; its words are the only way to tell.
            let text = error.to_string();
            match text.as_str() {
                "server does not support user/pass authentication" if sent_credentials => {
                    Kind::AuthMethodRefused
                }
                // No credentials offered: the proxy wants some, by refusing every method
                // offered or by choosing user and password anyway.
                "server does not support user/pass authentication"
                | "server implements authentication incorrectly"
                    if !sent_credentials =>
                {
                    Kind::CredentialsRequired
                }
                "credentials not accepted" => Kind::CredentialsRefused,
                _ => REPLIES.iter().find(|(_, words)| *words == text).map_or(
                    Kind::Other(text.clone()),
                    |&(code, words)| Kind::Reply {
                        code,
                        words,
                        proxy_resolves,
                    },
                ),
            }
        }
        other => Kind::Other(other.to_string()),
    }
}

/// Why a SOCKS5 proxy did not connect to the destination.
#[derive(Debug)]
pub(crate) struct SocksFailure {
    /// The `host:port` asked for (as given, before any resolution here).
    destination: String,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// `socks5://`: the destination's name could not be resolved on this machine.
    Resolve(io::Error),
    /// The proxy broke off the handshake (closed the connection, reset it).
    Handshake(io::Error),
    /// The proxy answered something that is not SOCKS5.
    NotSocks,
    /// The proxy wants a user and password; the URL has none.
    CredentialsRequired,
    /// The URL has a user and password; the proxy takes none.
    AuthMethodRefused,
    /// The proxy refused the URL's user and password.
    CredentialsRefused,
    /// The proxy answered the CONNECT with an error code.
    Reply {
        code: u8,
        words: &'static str,
        proxy_resolves: bool,
    },
    /// Anything else hyper-util reports.
    Other(String),
}

impl SocksFailure {
    /// When no retry can help, what to tell the user (possibly nothing more than the
    /// message); `None` when trying again may succeed (the proxy or the destination may come
    /// back). `scheme` is the proxy's, for examples.
    pub(crate) fn hopeless(&self, scheme: &str) -> Option<String> {
        Some(match &self.kind {
            Kind::Resolve(_) | Kind::Handshake(_) => return None,
            Kind::Reply { code: 1 | 3..=6, .. } => return None,
            Kind::NotSocks => format!(
                "it did not answer as a SOCKS5 proxy: an HTTP proxy is given as http://HOST:PORT, not {scheme}://"
            ),
            Kind::CredentialsRequired => format!(
                "the proxy asks for credentials: give them in its URL, {scheme}://USER:PASSWORD@HOST:PORT, percent-encoded"
            ),
            Kind::AuthMethodRefused => "the proxy takes no user and password (RFC 1929): check the proxy's URL".to_owned(),
            Kind::CredentialsRefused => "the proxy refused the credentials in its URL".to_owned(),
            Kind::Reply { code: 2, .. } => {
                format!("the proxy's rules do not allow connections to {}", self.destination)
            }
            Kind::Reply { code: 8, proxy_resolves: true, .. } => {
                "the proxy does not resolve host names: give it as socks5://HOST:PORT to resolve them on this machine".to_owned()
            }
            Kind::Reply { .. } | Kind::Other(_) => String::new(),
        })
    }
}

impl fmt::Display for SocksFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let destination = &self.destination;
        match &self.kind {
            Kind::Resolve(_) => write!(
                f,
                "could not resolve {destination} on this machine (socks5:// resolves names here; socks5h:// lets the proxy resolve them)"
            ),
            Kind::Handshake(_) => write!(f, "the SOCKS5 handshake for {destination} broke off"),
            Kind::NotSocks => write!(
                f,
                "the SOCKS5 handshake for {destination} failed: the proxy's answer is not SOCKS5"
            ),
            Kind::CredentialsRequired | Kind::AuthMethodRefused | Kind::CredentialsRefused => {
                write!(
                    f,
                    "SOCKS5 authentication refused (on the way to {destination})"
                )
            }
            Kind::Reply { code, words, .. } => write!(
                f,
                "the SOCKS5 proxy would not connect to {destination}: {words} (reply {code})"
            ),
            Kind::Other(text) => write!(f, "SOCKS5 connection to {destination} failed: {text}"),
        }
    }
}

impl std::error::Error for SocksFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            Kind::Resolve(source) | Kind::Handshake(source) => Some(source),
            _ => None,
        }
    }
}
