//! Proxies: which requests go through one (the builder's, or `HTTPS_PROXY`, `HTTP_PROXY`,
//! `ALL_PROXY` and `NO_PROXY`), and the connector that reaches a server through it. Through an
//! HTTP proxy: a CONNECT tunnel for `https://` (TLS then runs end to end through the tunnel),
//! absolute-form requests for `http://`. Through a SOCKS5 proxy ([`socks`]): a connection the
//! proxy relays, for either scheme.
//!
//! A proxy URL may hold a user and password (`http://user:password@proxy:3128`): they are kept
//! as a secret, sent only to the proxy (`Proxy-Authorization: Basic`, or SOCKS5's RFC 1929
//! authentication), and never shown; messages name a proxy by scheme, host and port alone.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use http::Uri;
use http::uri::Scheme;
use hyper_util::client::legacy::connect::proxy::Tunnel;
use hyper_util::client::legacy::connect::{Connected, Connection, HttpConnector};
use hyper_util::client::proxy::matcher::{Intercept, Matcher};
use hyper_util::rt::TokioIo;
use secrecy::{ExposeSecret, SecretString};
use tokio::net::TcpStream;
use tower_service::Service;

use crate::Error;
use crate::error::BoxError;
use crate::roots::split_credentials;

mod socks;

/// Hosts a proxy taken from the environment never applies to: this machine. A server on
/// loopback (the mock server, a local Airbyte) is out of a company proxy's reach, and a
/// `HTTP_PROXY` meant for the internet must not break it. A proxy set on the builder has no such
/// exception (use [`crate::ClientBuilder::no_proxy`]).
const LOOPBACK: &str = "localhost,127.0.0.0/8,::1";

/// One proxy URL and where it was set, for messages.
#[derive(Clone)]
struct ProxyUrl {
    url: SecretString,
    setting: &'static str,
}

/// The proxy settings of a client. `Debug` shows proxies by scheme, host and port only.
#[derive(Clone, Default)]
pub(crate) struct ProxySettings {
    http: Option<ProxyUrl>,
    https: Option<ProxyUrl>,
    no_proxy: Option<String>,
    /// The proxies come from the environment: loopback is never proxied.
    from_env: bool,
}

impl fmt::Debug for ProxySettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown = |proxy: &Option<ProxyUrl>| {
            proxy
                .as_ref()
                .map(|proxy| display_url(proxy.url.expose_secret()))
        };
        f.debug_struct("ProxySettings")
            .field("http", &shown(&self.http))
            .field("https", &shown(&self.https))
            .field("no_proxy", &self.no_proxy)
            .field("from_env", &self.from_env)
            .finish()
    }
}

impl ProxySettings {
    /// One proxy for every request.
    pub(crate) fn set_all(&mut self, url: String) {
        let proxy = ProxyUrl {
            url: SecretString::from(url),
            setting: "proxy",
        };
        self.http = Some(proxy.clone());
        self.https = Some(proxy);
        self.from_env = false;
    }

    pub(crate) fn set_no_proxy(&mut self, list: String) {
        self.no_proxy = Some(list);
    }

    /// No proxy at all, whatever the environment says.
    pub(crate) fn clear(&mut self) {
        *self = Self::default();
    }

    /// The proxies of the environment: `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY`,
    /// each upper case first, then lower case; empty values count as unset. As in curl and Go,
    /// a CGI program (`REQUEST_METHOD` set) ignores `HTTP_PROXY`, which a client can set through
    /// a `Proxy:` request header.
    pub(crate) fn from_env(get: &dyn Fn(&str) -> Option<String>) -> Self {
        let read = |names: [&'static str; 2]| {
            names.into_iter().find_map(|name| {
                get(name)
                    .map(|value| value.trim().to_owned())
                    .filter(|value| !value.is_empty())
                    .map(|value| (name, value))
            })
        };
        let proxy = |found: Option<(&'static str, String)>| {
            found.map(|(setting, url)| ProxyUrl {
                url: SecretString::from(url),
                setting,
            })
        };
        let cgi = get("REQUEST_METHOD").is_some();
        let all = proxy(read(["ALL_PROXY", "all_proxy"]));
        let http = if cgi {
            read(["http_proxy", "http_proxy"])
        } else {
            read(["HTTP_PROXY", "http_proxy"])
        };
        Self {
            http: proxy(http).or_else(|| all.clone()),
            https: proxy(read(["HTTPS_PROXY", "https_proxy"])).or(all),
            no_proxy: read(["NO_PROXY", "no_proxy"]).map(|(_, list)| list),
            from_env: true,
        }
    }

    /// Whether any proxy is set.
    pub(crate) fn is_set(&self) -> bool {
        self.http.is_some() || self.https.is_some()
    }

    /// The proxies to use, validated; `None` when there are none.
    pub(crate) fn resolve(&self) -> Result<Option<Proxies>, Error> {
        if !self.is_set() {
            return Ok(None);
        }
        let mut builder = Matcher::builder();
        if let Some(proxy) = &self.http {
            builder = builder.http(validate(proxy)?);
        }
        if let Some(proxy) = &self.https {
            builder = builder.https(validate(proxy)?);
        }
        let (mut no_proxy, with_ports) = split_no_proxy(self.no_proxy.as_deref().unwrap_or(""));
        if self.from_env {
            if !no_proxy.is_empty() {
                no_proxy.push(',');
            }
            no_proxy.push_str(LOOPBACK);
        }
        builder = builder.no(no_proxy);
        Ok(Some(Proxies {
            matcher: Arc::new(builder.build()),
            direct_ports: with_ports.into(),
        }))
    }
}

/// A `NO_PROXY` entry with a port: the host (a domain with its subdomains, or an address) is
/// reached directly on that port only.
#[derive(Clone, Debug, PartialEq, Eq)]
struct HostPort {
    host: String,
    port: u16,
}

impl HostPort {
    fn matches(&self, host: &str, port: u16) -> bool {
        port == self.port
            && (host == self.host
                || host
                    .strip_suffix(&self.host)
                    .is_some_and(|head| head.ends_with('.')))
    }
}

/// Reads a `NO_PROXY` list in the forms other tools accept beyond what hyper-util's matcher
/// reads: `*.example.com` (as `.example.com`), `[fd00::1]` (as `fd00::1`), and `host:port`,
/// `[address]:port` entries, which the matcher would never match and are kept apart. Returns
/// the list for the matcher, and the entries with a port.
fn split_no_proxy(list: &str) -> (String, Vec<HostPort>) {
    let mut plain = Vec::new();
    let mut with_ports = Vec::new();
    for entry in list
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
    {
        // `*.example.com` as `.example.com`.
        let entry = entry
            .strip_prefix('*')
            .filter(|rest| rest.starts_with('.'))
            .unwrap_or(entry);
        let (host, port) = match entry.strip_prefix('[') {
            Some(rest) => match rest.split_once(']') {
                Some((address, tail)) => (address, tail.strip_prefix(':')),
                None => (entry, None),
            },
            // One colon: a host and a port (an IPv6 address has several).
            None => match entry.split_once(':') {
                Some((host, port)) if !port.contains(':') => (host, Some(port)),
                _ => (entry, None),
            },
        };
        match port.map(str::parse::<u16>) {
            Some(Ok(port)) => with_ports.push(HostPort {
                host: host.trim_start_matches('.').to_ascii_lowercase(),
                port,
            }),
            // Not a port: given to the matcher as it is, which then never matches it.
            Some(Err(_)) => plain.push(entry),
            None => plain.push(host),
        }
    }
    (plain.join(","), with_ports)
}

/// A proxy URL checked and put in the form the matcher reads: `http://` added when the scheme
/// is missing, a SOCKS proxy's port (1080) when the port is.
fn validate(proxy: &ProxyUrl) -> Result<String, Error> {
    let text = proxy.url.expose_secret().trim();
    let with_scheme = match text.split_once("://") {
        // Schemes are case-insensitive; the matcher reads lower case only.
        Some((scheme, rest)) => format!("{}://{rest}", scheme.to_ascii_lowercase()),
        None => format!("http://{text}"),
    };
    let invalid = |reason: &str| Error::Config {
        setting: proxy.setting,
        reason: format!("{}: {reason}", display_url(&with_scheme)),
    };
    if split_credentials(&with_scheme)
        .1
        .is_some_and(|credentials| credentials.contains(['/', '?', '#']))
    {
        return Err(invalid(
            "a `/`, `?` or `#` in the user or password must be percent-encoded (%2F, %3F, %23)",
        ));
    }
    let uri: Uri = with_scheme.parse().map_err(|_| {
        invalid("not a valid proxy URL (expected http://HOST:PORT, socks5://HOST:PORT or socks5h://HOST:PORT)")
    })?;
    let Some(authority) = uri
        .authority()
        .filter(|_| uri.host().is_some_and(|host| !host.is_empty()))
    else {
        return Err(invalid("the proxy URL has no host"));
    };
    match uri.scheme_str().unwrap_or_default() {
        "http" => Ok(with_scheme),
        scheme if socks::is_socks5(scheme) => {
            if let Some((user, password)) =
                parsed(&with_scheme).as_ref().and_then(Intercept::raw_auth)
                && (user.len() > socks::MAX_CREDENTIAL_BYTES
                    || password.len() > socks::MAX_CREDENTIAL_BYTES)
            {
                return Err(invalid(
                    "a SOCKS5 proxy's user and password are at most 255 bytes each (RFC 1929)",
                ));
            }
            if uri.port().is_some() {
                return Ok(with_scheme);
            }
            Ok(format!(
                "{scheme}://{authority}:{}{}",
                socks::DEFAULT_PORT,
                uri.path_and_query().map_or("", |path| path.as_str())
            ))
        }
        "socks4" | "socks4a" => Err(invalid(
            "SOCKS4 proxies are not supported: use a SOCKS5 proxy (socks5:// or socks5h://) or an HTTP proxy (http://)",
        )),
        scheme => Err(invalid(&format!(
            "{scheme}:// proxies are not supported: use http://, socks5:// or socks5h:// (HTTPS goes through an http:// proxy in a CONNECT tunnel)",
        ))),
    }
}

/// A proxy URL as the matcher reads it (its user and password percent-decoded).
fn parsed(url: &str) -> Option<Intercept> {
    Matcher::builder()
        .all(url.to_owned())
        .build()
        .intercept(&Uri::from_static("https://example.invalid/"))
}

/// A proxy URL as it may be shown: scheme, host and port; never a user or password (see
/// [`split_credentials`] for what counts as one).
pub(crate) fn display_url(text: &str) -> String {
    let (mut scheme, mut credentials, mut after) = split_credentials(text);
    // Not a scheme (RFC 3986 allows letters, digits, `+`, `-` and `.`): a user and password
    // holding `://` (`ops:pw://x@proxy`) would show as one.
    if scheme.is_some_and(|scheme| {
        !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    }) {
        scheme = Some("?");
        (credentials, after) = text
            .rsplit_once('@')
            .map_or((None, text), |(credentials, after)| {
                (Some(credentials), after)
            });
    }
    let host = after.split(['/', '?', '#']).next().unwrap_or_default();
    let credentials = if credentials.is_some() {
        " (with credentials)"
    } else {
        ""
    };
    format!("{}://{host}{credentials}", scheme.unwrap_or("http"))
}

/// The validated proxies of a client.
#[derive(Clone)]
pub(crate) struct Proxies {
    matcher: Arc<Matcher>,
    /// `NO_PROXY` entries with a port (the matcher ignores ports).
    direct_ports: Arc<[HostPort]>,
}

impl Proxies {
    /// The proxy for a destination, if one applies.
    pub(crate) fn intercept(&self, destination: &Uri) -> Option<Intercept> {
        if !self.direct_ports.is_empty()
            && let Some(host) = destination.host()
        {
            let host = host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_ascii_lowercase();
            let port =
                destination
                    .port_u16()
                    .unwrap_or(if destination.scheme() == Some(&Scheme::HTTPS) {
                        443
                    } else {
                        80
                    });
            if self
                .direct_ports
                .iter()
                .any(|entry| entry.matches(&host, port))
            {
                return None;
            }
        }
        self.matcher.intercept(destination)
    }
}

/// Opens TCP connections, directly or through a proxy. Wrapped by the TLS connector, which
/// runs TLS over whatever this returns for `https://` destinations.
#[derive(Clone)]
pub(crate) struct Connector {
    http: HttpConnector,
    proxies: Option<Proxies>,
}

impl Connector {
    pub(crate) fn new(http: HttpConnector, proxies: Option<Proxies>) -> Self {
        Self { http, proxies }
    }
}

/// Why a connection through a proxy failed, naming the proxy (never its credentials).
#[derive(Debug)]
pub(crate) struct ProxyError {
    /// The proxy as it may be shown.
    proxy: String,
    /// The proxy's scheme (`http`, `socks5`, `socks5h`).
    scheme: String,
    /// The `host:port` the tunnel was asked for.
    destination: String,
    /// Whether the proxy URL held a user and password.
    with_credentials: bool,
    source: BoxError,
}

impl ProxyError {
    /// Whether an HTTP proxy answered 407 to the tunnel's CONNECT: the credentials are wrong
    /// or missing, and trying again will not change that. (hyper-util's tunnel error type is
    /// not public; its message is the only way to tell.)
    fn credentials_refused(&self) -> bool {
        self.source
            .to_string()
            .contains("proxy authorization required")
    }

    /// Whether an HTTP proxy answered the tunnel's CONNECT with another error status (403: a
    /// destination it does not allow; 502 or 504: one it cannot reach). hyper-util keeps the
    /// status to itself.
    fn tunnel_refused(&self) -> bool {
        !socks::is_socks5(&self.scheme) && self.source.to_string().contains("unsuccessful")
    }

    /// When no retry can help (the proxy refused the credentials, its rules refuse the
    /// destination, it does not speak the protocol of its URL), what to tell the user, which
    /// may be nothing beyond the message; `None` when trying again may succeed.
    pub(crate) fn hopeless(&self) -> Option<String> {
        if let Some(socks) = self.source.downcast_ref::<socks::SocksFailure>() {
            return socks.hopeless(&self.scheme);
        }
        if !self.credentials_refused() {
            return None;
        }
        Some(if self.with_credentials {
            "the proxy refused the credentials in its URL".to_owned()
        } else {
            format!(
                "the proxy asks for credentials: give them in its URL, {}://USER:PASSWORD@HOST:PORT, percent-encoded",
                self.scheme
            )
        })
    }
}

impl fmt::Display for ProxyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "through the proxy {}: {}", self.proxy, self.source)?;
        if self.tunnel_refused() {
            write!(
                f,
                " (the proxy would not open a tunnel to {}: check that it allows and can reach it)",
                self.destination
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for ProxyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.source)
    }
}

type Connecting = Pin<Box<dyn Future<Output = Result<ProxyStream, BoxError>> + Send>>;

impl Service<Uri> for Connector {
    type Response = ProxyStream;
    type Error = BoxError;
    // Boxed: a connection is opened rarely, and an unboxed future would make every request's
    // future larger.
    type Future = Connecting;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.http.poll_ready(cx).map_err(Into::into)
    }

    fn call(&mut self, destination: Uri) -> Self::Future {
        let intercept = self
            .proxies
            .as_ref()
            .and_then(|proxies| proxies.intercept(&destination));
        let mut http = self.http.clone();
        Box::pin(async move {
            let Some(intercept) = intercept else {
                let io = http.call(destination).await?;
                return Ok(ProxyStream { io, proxied: false });
            };
            let proxy = display_url(&intercept.uri().to_string());
            let scheme = intercept.uri().scheme_str().unwrap_or("http").to_owned();
            let with_credentials =
                intercept.basic_auth().is_some() || intercept.raw_auth().is_some();
            let target = destination
                .authority()
                .map(ToString::to_string)
                .unwrap_or_default();
            let through = |source: BoxError| -> BoxError {
                Box::new(ProxyError {
                    proxy: proxy.clone(),
                    scheme: scheme.clone(),
                    destination: target.clone(),
                    with_credentials,
                    source,
                })
            };
            if socks::is_socks5(&scheme) {
                // The same for both schemes: the proxy carries bytes, TLS runs over them.
                let io = socks::connect(http, intercept, destination)
                    .await
                    .map_err(through)?;
                Ok(ProxyStream { io, proxied: false })
            } else if destination.scheme() == Some(&Scheme::HTTPS) {
                let mut tunnel = Tunnel::new(intercept.uri().clone(), http);
                if let Some(auth) = intercept.basic_auth() {
                    tunnel = tunnel.with_auth(auth.clone());
                }
                let io = tunnel
                    .call(destination)
                    .await
                    .map_err(|error| through(Box::new(error)))?;
                Ok(ProxyStream { io, proxied: false })
            } else {
                let io = http
                    .call(intercept.uri().clone())
                    .await
                    .map_err(|error| through(Box::new(error)))?;
                Ok(ProxyStream { io, proxied: true })
            }
        })
    }
}

/// A TCP connection, to the server or to a proxy that forwards plain HTTP requests (which are
/// then written in absolute form).
pub(crate) struct ProxyStream {
    io: TokioIo<TcpStream>,
    proxied: bool,
}

impl Connection for ProxyStream {
    fn connected(&self) -> Connected {
        self.io.connected().proxy(self.proxied)
    }
}

impl hyper::rt::Read for ProxyStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl hyper::rt::Write for ProxyStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.io).poll_write_vectored(cx, bufs)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn from(vars: &[(&str, &str)]) -> ProxySettings {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        ProxySettings::from_env(&|name| map.get(name).cloned())
    }

    fn proxy_for(settings: &ProxySettings, url: &str) -> Option<String> {
        let proxies = settings.resolve().expect("valid")?;
        proxies
            .intercept(&url.parse().unwrap())
            .map(|intercept| intercept.uri().to_string())
    }

    #[test]
    fn https_and_http_proxies_apply_to_their_schemes() {
        let settings = from(&[
            ("HTTPS_PROXY", "http://secure-proxy:3128"),
            ("HTTP_PROXY", "http://plain-proxy:8080"),
        ]);
        assert_eq!(
            proxy_for(&settings, "https://api.airbyte.com/v1").as_deref(),
            Some("http://secure-proxy:3128/")
        );
        assert_eq!(
            proxy_for(&settings, "http://airbyte.internal:8000/api/public/v1").as_deref(),
            Some("http://plain-proxy:8080/")
        );
    }

    #[test]
    fn lower_case_names_are_read_when_upper_case_ones_are_unset() {
        let settings = from(&[("https_proxy", "proxy:3128"), ("no_proxy", ".internal")]);
        assert_eq!(
            proxy_for(&settings, "https://api.airbyte.com/v1").as_deref(),
            Some("http://proxy:3128/")
        );
        assert_eq!(proxy_for(&settings, "https://airbyte.internal/v1"), None);
    }

    #[test]
    fn upper_case_names_win_and_empty_values_count_as_unset() {
        let settings = from(&[
            ("HTTPS_PROXY", "http://upper:1"),
            ("https_proxy", "http://lower:2"),
            ("NO_PROXY", " "),
            ("no_proxy", "api.airbyte.com"),
        ]);
        assert_eq!(proxy_for(&settings, "https://api.airbyte.com/v1"), None);
        assert_eq!(
            proxy_for(&settings, "https://cloud.airbyte.com/api/v1").as_deref(),
            Some("http://upper:1/")
        );
    }

    #[test]
    fn all_proxy_fills_in_for_either_scheme() {
        let settings = from(&[
            ("ALL_PROXY", "http://all:3128"),
            ("HTTP_PROXY", "http://h:1"),
        ]);
        assert_eq!(
            proxy_for(&settings, "https://api.airbyte.com/v1").as_deref(),
            Some("http://all:3128/")
        );
        assert_eq!(
            proxy_for(&settings, "http://airbyte.lan/v1").as_deref(),
            Some("http://h:1/")
        );
    }

    #[test]
    fn no_proxy_matches_domains_subdomains_addresses_and_ranges() {
        let settings = from(&[
            ("HTTPS_PROXY", "http://proxy:3128"),
            ("NO_PROXY", "corp.example, 10.1.0.0/16 ,airbyte.lan"),
        ]);
        for direct in [
            "https://corp.example/v1",
            "https://airbyte.corp.example/v1",
            "https://10.1.2.3/v1",
            "https://airbyte.lan:8443/v1",
        ] {
            assert_eq!(proxy_for(&settings, direct), None, "{direct}");
        }
        for proxied in ["https://notcorp.example/v1", "https://10.2.0.1/v1"] {
            assert!(proxy_for(&settings, proxied).is_some(), "{proxied}");
        }
        let everything = from(&[("HTTPS_PROXY", "http://proxy:3128"), ("NO_PROXY", "*")]);
        assert_eq!(proxy_for(&everything, "https://api.airbyte.com/v1"), None);
    }

    #[test]
    fn no_proxy_takes_ports_wildcard_domains_and_bracketed_addresses() {
        let settings = from(&[
            ("HTTPS_PROXY", "http://proxy:3128"),
            (
                "NO_PROXY",
                "airbyte.lan:8443, *.corp.example, [fd00::1], 10.9.8.7:8000, [fd00::2]:8443",
            ),
        ]);
        for direct in [
            "https://airbyte.lan:8443/v1",
            "https://AIRBYTE.lan:8443/v1",
            "https://eu.airbyte.lan:8443/v1",
            "https://a.corp.example/v1",
            "https://[fd00::1]:8443/v1",
            "https://10.9.8.7:8000/v1",
            "https://[fd00::2]:8443/v1",
        ] {
            assert_eq!(proxy_for(&settings, direct), None, "{direct}");
        }
        for proxied in [
            "https://airbyte.lan/v1",
            "https://airbyte.lan:9443/v1",
            "https://notairbyte.lan:8443/v1",
            "https://corp.example.org/v1",
            "https://10.9.8.7:8001/v1",
            "https://[fd00::2]/v1",
        ] {
            assert!(proxy_for(&settings, proxied).is_some(), "{proxied}");
        }
        // A port given with a scheme's default port matches the URL without one.
        let settings = from(&[
            ("HTTPS_PROXY", "http://proxy:3128"),
            ("NO_PROXY", "airbyte.lan:443"),
        ]);
        assert_eq!(proxy_for(&settings, "https://airbyte.lan/v1"), None);
    }

    #[test]
    fn a_proxy_from_the_environment_never_applies_to_loopback() {
        let settings = from(&[
            ("HTTPS_PROXY", "http://proxy:3128"),
            ("HTTP_PROXY", "http://proxy:3128"),
        ]);
        for local in [
            "http://127.0.0.1:8000/api/public/v1",
            "http://localhost:8000/api/public/v1",
            "https://[::1]:8443/api/public/v1",
            "http://127.3.2.1:80/",
        ] {
            assert_eq!(proxy_for(&settings, local), None, "{local}");
        }
        let mut explicit = ProxySettings::default();
        explicit.set_all("http://proxy:3128".to_owned());
        assert!(proxy_for(&explicit, "http://127.0.0.1:8000/").is_some());
    }

    #[test]
    fn a_cgi_program_ignores_upper_case_http_proxy() {
        let settings = from(&[
            ("REQUEST_METHOD", "GET"),
            ("HTTP_PROXY", "http://attacker:80"),
        ]);
        assert_eq!(proxy_for(&settings, "http://airbyte.lan/v1"), None);
        let lower = from(&[("REQUEST_METHOD", "GET"), ("http_proxy", "http://ops:80")]);
        assert!(proxy_for(&lower, "http://airbyte.lan/v1").is_some());
    }

    #[test]
    fn credentials_are_sent_as_basic_auth_and_never_shown() {
        let settings = from(&[("HTTPS_PROXY", "http://alice:s3cr%40t@proxy:3128")]);
        let shown = format!("{settings:?}");
        assert!(!shown.contains("s3cr"), "{shown}");
        assert!(!shown.contains("alice"), "{shown}");
        let proxies = settings.resolve().unwrap().unwrap();
        let intercept = proxies
            .intercept(&"https://api.airbyte.com/v1".parse().unwrap())
            .unwrap();
        assert!(!intercept.uri().to_string().contains("s3cr"));
        // "alice:s3cr@t", percent-decoded, in base64.
        assert_eq!(intercept.basic_auth().unwrap(), "Basic YWxpY2U6czNjckB0");
        assert!(intercept.basic_auth().unwrap().is_sensitive());
    }

    #[test]
    fn unsupported_or_malformed_proxies_are_refused_without_their_password() {
        for (url, expected) in [
            (
                "socks4://bob:pw-123@proxy:1080",
                "SOCKS4 proxies are not supported",
            ),
            (
                "socks4a://bob:pw-123@proxy:1080",
                "SOCKS4 proxies are not supported",
            ),
            (
                "https://bob:pw-123@proxy:443",
                "https:// proxies are not supported",
            ),
            ("http://bob:pw-123@", "not a valid proxy URL"),
            ("http://bob:pw-123@pro xy:80", "not a valid proxy URL"),
            ("socks5h://bob:pw-123@", "not a valid proxy URL"),
        ] {
            let mut settings = ProxySettings::default();
            settings.set_all(url.to_owned());
            let error = settings.resolve().err().expect(url).to_string();
            assert!(error.contains(expected), "{url}: {error}");
            assert!(error.contains("`proxy`"), "{url}: {error}");
            assert!(!error.contains("pw-123"), "{url}: {error}");
            if !expected.contains("valid") {
                // The schemes that work are named.
                assert!(error.contains("socks5h://"), "{url}: {error}");
            }
        }
        let error = from(&[("HTTPS_PROXY", "ftp://proxy:21")])
            .resolve()
            .err()
            .unwrap()
            .to_string();
        assert!(error.contains("HTTPS_PROXY"), "{error}");
        assert!(
            error.contains("http://, socks5:// or socks5h://"),
            "{error}"
        );
    }

    #[test]
    fn socks5_proxies_are_taken_with_their_port_or_1080() {
        for (url, expected) in [
            ("socks5://proxy:9050", "socks5://proxy:9050/"),
            ("socks5h://proxy", "socks5h://proxy:1080/"),
            ("SOCKS5H://Proxy:1081", "socks5h://Proxy:1081/"),
            ("socks5://[fd00::7]", "socks5://[fd00::7]:1080/"),
        ] {
            let mut settings = ProxySettings::default();
            settings.set_all(url.to_owned());
            assert_eq!(
                proxy_for(&settings, "https://api.airbyte.com/v1").as_deref(),
                Some(expected),
                "{url}"
            );
        }
        let settings = from(&[
            ("ALL_PROXY", "socks5h://tunnel:1080"),
            ("NO_PROXY", ".internal"),
        ]);
        assert!(proxy_for(&settings, "http://airbyte.lan/v1").is_some());
        assert!(proxy_for(&settings, "https://airbyte.internal/v1").is_none());
    }

    #[test]
    fn socks5_credentials_are_decoded_checked_and_never_shown() {
        let mut settings = ProxySettings::default();
        settings.set_all("socks5h://alice:s3cr%40t@proxy".to_owned());
        let shown = format!("{settings:?}");
        assert!(
            !shown.contains("s3cr") && !shown.contains("alice"),
            "{shown}"
        );
        assert!(
            shown.contains("socks5h://proxy (with credentials)"),
            "{shown}"
        );
        let proxies = settings.resolve().unwrap().unwrap();
        let intercept = proxies
            .intercept(&"https://api.airbyte.com/v1".parse().unwrap())
            .unwrap();
        assert!(!intercept.uri().to_string().contains("s3cr"));
        assert_eq!(intercept.raw_auth(), Some(("alice", "s3cr@t")));
        assert!(intercept.basic_auth().is_none());

        // RFC 1929 carries at most 255 bytes of each: longer ones were cut short on the wire.
        let long = "p".repeat(256);
        for url in [
            format!("socks5://alice:{long}@proxy:1080"),
            format!("socks5://{long}:pw@proxy:1080"),
        ] {
            let mut settings = ProxySettings::default();
            settings.set_all(url.clone());
            let error = settings.resolve().err().expect("too long").to_string();
            assert!(error.contains("at most 255 bytes"), "{error}");
            assert!(!error.contains("ppp"), "{error}");
        }
        let mut settings = ProxySettings::default();
        settings.set_all(format!("socks5://alice:{}@proxy:1080", "p".repeat(255)));
        assert!(settings.resolve().is_ok());
    }

    #[test]
    fn a_password_with_characters_that_must_be_encoded_is_refused_and_never_shown() {
        // `/`, `?` and `#` end a URL's authority: left unencoded in a password, they made the
        // URL parse with a wrong host, and the user and the start of the password were shown
        // as that host.
        for url in [
            "http://ops:Zq/cr3t@proxy:3128",
            "http://ops:Zq?cr3t@proxy:3128",
            "http://ops:Zq#cr3t@proxy:3128",
            "ops:Zq/cr3t@proxy:3128",
            "http://ops:Zq/cr3t@proxy:3128/",
        ] {
            let mut settings = ProxySettings::default();
            settings.set_all(url.to_owned());
            let shown = format!("{settings:?}");
            assert!(!shown.contains("ops") && !shown.contains("Zq"), "{shown}");
            assert!(shown.contains("proxy:3128 (with credentials)"), "{shown}");
            let error = settings.resolve().err().expect(url).to_string();
            assert!(!error.contains("ops") && !error.contains("Zq"), "{error}");
            assert!(error.contains("percent-encoded"), "{error}");
        }
        assert_eq!(
            display_url("http://u:p@ss@proxy:3128"),
            "http://proxy:3128 (with credentials)"
        );
    }

    #[test]
    fn proxies_are_displayed_by_scheme_host_and_port() {
        assert_eq!(
            display_url("http://u:p@proxy.corp:3128/path?q"),
            "http://proxy.corp:3128 (with credentials)"
        );
        assert_eq!(display_url("proxy:3128"), "http://proxy:3128");
        assert_eq!(
            display_url("socks5h://u:p@[fd00::1]:1080"),
            "socks5h://[fd00::1]:1080 (with credentials)"
        );
        // A password holding `://` is no scheme.
        assert_eq!(
            display_url("ops:pw-z://q@proxy:1080"),
            "?://proxy:1080 (with credentials)"
        );
        let mut settings = ProxySettings::default();
        settings.set_all("ops:pw-z://q@proxy:1080".to_owned());
        let error = settings.resolve().err().unwrap().to_string();
        assert!(!error.contains("pw-z"), "{error}");
    }
}
