//! The whole stack through a SOCKS5 proxy (a small one on loopback, in `airbyte_e2e::socks`):
//! TLS end to end over the proxy (HTTP/2 and HTTP/1.1), plain HTTP, who resolves the name
//! (`socks5://`: this machine; `socks5h://`: the proxy), user and password authentication,
//! `NO_PROXY`, the environment's proxies, refusals told apart from failures worth a retry,
//! a proxy that never answers, and the password kept out of every `Debug`, error and log line.

use std::time::Duration;

use airbyte::prelude::*;
use airbyte_e2e::loopback::LoopbackServer;
use airbyte_e2e::socks::{Destination, LoopbackSocks};
use airbyte_e2e::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const USER: &str = "socks-user";
const PASSWORD: &str = "S0cks-pa55word-sentinel";

/// The mock server's Public API root under the name `localhost` (its certificate names it):
/// the proxy gets a name to resolve, or an address this machine resolved it to.
fn by_name(server: &airbyte::mock::MockServer) -> String {
    server.public_api_root().replace("127.0.0.1", "localhost")
}

/// The production workspace of `server` by name, through the proxy at `url` (trusting the
/// server's CA when it speaks TLS).
fn through(
    server: &airbyte::mock::MockServer,
    url: String,
) -> airbyte::cloud::CloudWorkspaceBuilder {
    let ca = server.tls().map(|_| ca_of(server));
    builder(server)
        .api_root(by_name(server))
        .transport(move |transport| {
            let transport = transport.proxy(url);
            match ca {
                Some(ca) => transport.add_ca_pem(ca),
                None => transport,
            }
        })
}

/// A workspace of a server that does not exist, with a bearer token (no token request), fast
/// retries and a short connect timeout, through the proxy at `url`.
fn nowhere_through(url: String) -> CloudWorkspace {
    CloudWorkspace::builder()
        .api_root("https://airbyte.example.test/api/public/v1")
        .workspace_id(WORKSPACE)
        .bearer_token("test-token")
        .retry(fast_retry())
        .transport(|transport| {
            transport
                .proxy(url)
                .connect_timeout(Duration::from_millis(500))
        })
        .build()
        .unwrap()
}

#[tokio::test]
async fn https_goes_through_socks5h_with_tls_end_to_end_over_http2() {
    let server = tls_mock(false).await;
    let proxy = LoopbackSocks::start().await;
    let workspace = through(&server, proxy.url()).build().unwrap();
    read_some(&workspace)
        .await
        .expect("reads through the proxy");
    let seen = proxy.seen();
    assert_eq!(
        seen.len(),
        1,
        "one connection carries every request: {seen:?}"
    );
    // The proxy got the name and resolved it.
    assert_eq!(
        seen[0].destination,
        Some(Destination::Name(
            "localhost".to_owned(),
            server.addr().port()
        ))
    );
    assert_eq!(seen[0].user, None);
    // TLS ran through the proxy, with HTTP/2 chosen by the client and the server themselves.
    let versions = http_versions(&server);
    assert!(versions.len() >= 3, "{versions:?}");
    assert!(versions.iter().all(|v| v == "HTTP/2.0"), "{versions:?}");
}

#[tokio::test]
async fn https_goes_through_socks5h_over_http1_when_http2_is_off() {
    let server = tls_mock(false).await;
    let proxy = LoopbackSocks::start().await;
    let workspace = through(&server, proxy.url())
        .transport(|transport| transport.http2(false))
        .build()
        .unwrap();
    read_some(&workspace)
        .await
        .expect("reads through the proxy");
    let versions = http_versions(&server);
    assert!(versions.iter().all(|v| v == "HTTP/1.1"), "{versions:?}");
    assert!(proxy.seen().iter().all(|request| request.reply == Some(0)));
}

#[tokio::test]
async fn socks5_resolves_the_name_on_this_machine_and_sends_an_address() {
    let server = tls_mock(false).await;
    // `localhost` may resolve to 127.0.0.1 or ::1, and the mock listens on the first only:
    // the proxy takes every connection to it, and records what it was asked.
    let proxy = LoopbackSocks::forwarding_to(server.addr()).await;
    let workspace = through(&server, proxy.url_as("socks5", None))
        .build()
        .unwrap();
    read_some(&workspace)
        .await
        .expect("reads through the proxy");
    let seen = proxy.seen();
    assert!(!seen.is_empty());
    for request in seen {
        match request.destination {
            Some(Destination::Address(address)) => {
                assert!(address.ip().is_loopback(), "{address}");
                assert_eq!(address.port(), server.addr().port());
            }
            other => panic!("the client resolved no name: {other:?}"),
        }
    }
}

#[tokio::test]
async fn plain_http_goes_through_socks5_too() {
    let server = mock().await;
    let proxy = LoopbackSocks::start().await;
    let workspace = through(&server, proxy.url_as("socks5h", None))
        .build()
        .unwrap();
    read_some(&workspace)
        .await
        .expect("reads through the proxy");
    assert!(!proxy.seen().is_empty());
    // Origin-form requests: the server, not a proxy, reads them.
    assert!(server.journal().len() >= 3);
}

#[tokio::test]
async fn socks5h_from_the_environment_reaches_a_host_only_the_proxy_can_resolve() {
    let server = mock().await;
    // `airbyte.socks-only.test` resolves nowhere: only the proxy knows where it is.
    let proxy = LoopbackSocks::resolving("airbyte.socks-only.test", server.addr()).await;
    let workspace = at_unknown_host_through("airbyte.socks-only.test", "ALL_PROXY", proxy.url());
    read_some(&workspace)
        .await
        .expect("reads through the proxy");
    assert_eq!(
        proxy.seen()[0].destination,
        Some(Destination::Name(
            "airbyte.socks-only.test".to_owned(),
            8000
        ))
    );
}

#[tokio::test]
async fn a_socks5_proxy_from_the_environment_never_carries_loopback_traffic() {
    let server = tls_mock(false).await;
    let proxy = LoopbackSocks::start().await;
    let ca = ca_of(&server);
    let workspace = env_builder(vec![
        ("https_proxy", proxy.url()),
        ("all_proxy", proxy.url()),
        ("AIRBYTE_API_ROOT", by_name(&server)),
    ])
    .transport(|transport| transport.add_ca_pem(ca))
    .build()
    .unwrap();
    read_some(&workspace).await.expect("direct reads");
    assert!(proxy.seen().is_empty());
}

#[tokio::test]
async fn hosts_in_no_proxy_bypass_the_socks5_proxy() {
    let server = tls_mock(false).await;
    let proxy = LoopbackSocks::start().await;
    let workspace = through(&server, proxy.url())
        .transport(|transport| transport.no_proxy("localhost"))
        .build()
        .unwrap();
    read_some(&workspace).await.expect("direct reads");
    assert!(proxy.seen().is_empty());
}

#[tokio::test]
async fn socks5_credentials_are_decoded_and_sent() {
    let server = tls_mock(false).await;
    let proxy = LoopbackSocks::requiring("ops@corp", "p:w/d").await;
    let url = proxy.url_as("socks5h", Some(("ops%40corp", "p%3Aw%2Fd")));
    let workspace = through(&server, url).build().unwrap();
    read_some(&workspace)
        .await
        .expect("reads through the proxy");
    let seen = proxy.seen();
    assert_eq!(seen[0].user.as_deref(), Some("ops@corp"));
    assert_eq!(seen[0].reply, Some(0));
}

#[tokio::test]
async fn refused_socks5_credentials_fail_at_once_and_are_never_shown() {
    let server = tls_mock(false).await;
    let proxy = LoopbackSocks::requiring(USER, "the-right-one").await;
    let builder = through(&server, proxy.url_as("socks5h", Some((USER, PASSWORD))));
    let message = refused_proxy_credentials(
        &server,
        builder,
        &proxy.url(),
        || proxy.seen().len(),
        PASSWORD,
    )
    .await;
    assert!(
        message.contains("SOCKS5 authentication refused"),
        "{message}"
    );
    assert!(
        message.contains("refused the credentials in its URL"),
        "{message}"
    );
    // The destination, beside the proxy.
    assert!(
        message.contains(&format!("localhost:{}", server.addr().port())),
        "{message}"
    );
}

#[tokio::test]
async fn a_socks5_proxy_asking_for_credentials_none_were_given_for_says_so() {
    let server = tls_mock(false).await;
    let proxy = LoopbackSocks::requiring(USER, PASSWORD).await;
    let workspace = through(&server, proxy.url()).build().unwrap();
    let error = read_some(&workspace)
        .await
        .expect_err("refused")
        .to_string();
    assert!(error.contains("asks for credentials"), "{error}");
    assert!(error.contains("socks5h://USER:PASSWORD@"), "{error}");
    assert!(!error.contains("refused the credentials"), "{error}");
    assert_eq!(proxy.seen().len(), 1, "not retried");
}

#[tokio::test]
async fn refusals_no_retry_can_change_fail_at_once_naming_proxy_and_destination() {
    for (code, words, hint) in [
        (2, "connection not allowed (reply 2)", "rules do not allow"),
        (7, "command not supported (reply 7)", ""),
        (
            8,
            "address type not supported (reply 8)",
            "give it as socks5://",
        ),
    ] {
        let proxy = LoopbackSocks::refusing(code).await;
        let workspace = nowhere_through(proxy.url());
        let error = read_some(&workspace).await.expect_err("refused");
        assert!(!error.is_transient(), "{error}");
        let error = error.to_string();
        assert!(error.contains(words), "{error}");
        assert!(error.contains(hint), "{error}");
        assert!(error.contains("airbyte.example.test:443"), "{error}");
        assert!(error.contains(&proxy.url()), "{error}");
        assert!(!error.contains("attempts"), "not retried: {error}");
        assert_eq!(proxy.seen().len(), 1);
    }
}

#[tokio::test]
async fn credentials_a_socks5_proxy_does_not_take_fail_at_once() {
    // hyper-util offers the one method the URL calls for: user and password here, which a
    // proxy without authentication refuses.
    let proxy = LoopbackSocks::start().await;
    let workspace = nowhere_through(proxy.url_as("socks5h", Some((USER, PASSWORD))));
    let error = read_some(&workspace)
        .await
        .expect_err("refused")
        .to_string();
    assert!(error.contains("takes no user and password"), "{error}");
    assert!(!error.contains(PASSWORD), "{error}");
    assert_eq!(proxy.seen().len(), 1, "not retried");
}

#[tokio::test]
async fn a_socks5_proxy_that_hangs_up_mid_handshake_is_retried() {
    // Reads the greeting, then closes the connection.
    let peer = LoopbackServer::start(|mut stream| async move {
        let _ = stream.read(&mut [0; 3]).await;
    })
    .await;
    let url = format!("socks5h://{}", peer.addr());
    let error = read_some(&nowhere_through(url)).await.expect_err("hung up");
    assert!(error.is_transient(), "{error}");
    let error = error.to_string();
    assert!(
        error.contains("handshake for airbyte.example.test:443 broke off"),
        "{error}"
    );
    assert_eq!(peer.accepted(), fast_retry().max_attempts as usize);
}

#[tokio::test]
async fn an_unreachable_destination_is_retried_like_a_connection_failure() {
    let proxy = LoopbackSocks::refusing(4).await;
    let workspace = nowhere_through(proxy.url());
    let error = read_some(&workspace).await.expect_err("unreachable");
    assert!(error.is_transient(), "{error}");
    let message = error.to_string();
    assert!(message.contains("host unreachable (reply 4)"), "{message}");
    assert!(message.contains("airbyte.example.test:443"), "{message}");
    let attempts = fast_retry().max_attempts as usize;
    assert!(
        message.contains(&format!("after {attempts} attempts")),
        "{message}"
    );
    assert_eq!(proxy.seen().len(), attempts, "bounded by the retry policy");
}

#[tokio::test]
async fn a_proxy_that_does_not_speak_socks5_is_told_apart() {
    // An HTTP proxy given as socks5h://: it answers the greeting with an HTTP error.
    let peer = LoopbackServer::start(|mut stream| async move {
        let _ = stream
            .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            .await;
    })
    .await;
    let url = format!("socks5h://{}", peer.addr());
    let error = read_some(&nowhere_through(url.clone()))
        .await
        .expect_err("not SOCKS5")
        .to_string();
    assert!(error.contains("not SOCKS5"), "{error}");
    assert!(error.contains("http://HOST:PORT"), "{error}");
    assert!(error.contains(&url), "{error}");
    assert_eq!(peer.accepted(), 1, "not retried");
}

#[tokio::test]
async fn a_socks5_proxy_out_of_reach_is_named() {
    // Nothing listens there.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let url = format!("socks5h://{USER}:{PASSWORD}@{addr}");
    let error = read_some(&nowhere_through(url))
        .await
        .expect_err("no proxy")
        .to_string();
    assert!(
        error.contains(&format!(
            "through the proxy socks5h://{addr}: tcp connect error"
        )),
        "{error}"
    );
    assert!(!error.contains(PASSWORD), "{error}");
}

#[tokio::test]
async fn a_socks5_proxy_that_never_answers_the_greeting_is_bounded_by_the_connect_timeout() {
    // It takes the connection and never answers: each attempt would wait out the attempt
    // timeout.
    let peer = LoopbackServer::silent().await;
    let url = format!("socks5h://{}", peer.addr());
    assert_bounded_by_connect_timeout("https://airbyte.example.test/api/public/v1", Some(url))
        .await;
}
