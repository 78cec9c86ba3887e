//! The whole stack through a proxy (a small one on loopback, in `airbyte_e2e::proxy`): CONNECT
//! tunnels for HTTPS with TLS end to end, absolute-form plain HTTP, basic proxy authentication,
//! `NO_PROXY`, the environment's proxies, and the proxy's password kept out of every `Debug`,
//! error and log line.

use airbyte::prelude::*;
use airbyte_e2e::proxy::LoopbackProxy;
use airbyte_e2e::*;
use base64::Engine as _;

const USER: &str = "proxy-user";
const PASSWORD: &str = "Pr0xy-pa55word-sentinel";

fn basic(user: &str, password: &str) -> String {
    let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
    format!("Basic {token}")
}

/// A workspace of a TLS mock server, trusting its CA, through the proxy at `url`.
fn through(
    server: &airbyte::mock::MockServer,
    url: String,
    direct: Option<&'static str>,
) -> CloudWorkspace {
    let ca = ca_of(server);
    builder(server)
        .transport(|transport| {
            let transport = transport.add_ca_pem(ca).proxy(url);
            match direct {
                Some(hosts) => transport.no_proxy(hosts),
                None => transport,
            }
        })
        .build()
        .unwrap()
}

#[tokio::test]
async fn https_goes_through_a_connect_tunnel_with_tls_end_to_end() {
    let server = tls_mock(false).await;
    let proxy = LoopbackProxy::start().await;
    let workspace = through(&server, proxy.url(), None);
    read_some(&workspace)
        .await
        .expect("reads through the proxy");
    let seen = proxy.seen();
    assert_eq!(seen.len(), 1, "one tunnel carries every request: {seen:?}");
    assert_eq!(seen[0].method, "CONNECT");
    assert_eq!(seen[0].target, server.addr().to_string());
    assert_eq!(seen[0].authorization, None);
    // TLS ran through the tunnel, with HTTP/2 chosen by the client and the server themselves.
    assert!(http_versions(&server).iter().all(|v| v == "HTTP/2.0"));
}

#[tokio::test]
async fn proxy_credentials_go_in_the_connect_request() {
    let server = tls_mock(false).await;
    let proxy = LoopbackProxy::requiring(USER, PASSWORD).await;
    let workspace = through(&server, proxy.url_with(USER, PASSWORD), None);
    read_some(&workspace)
        .await
        .expect("reads through the proxy");
    let seen = proxy.seen();
    assert!(seen.iter().all(|request| request.allowed), "{seen:?}");
    assert_eq!(
        seen[0].authorization.as_deref(),
        Some(basic(USER, PASSWORD).as_str())
    );
}

#[tokio::test]
async fn percent_encoded_credentials_are_decoded_before_they_are_sent() {
    let server = tls_mock(false).await;
    let proxy = LoopbackProxy::requiring("ops@corp", "p:w/d").await;
    let workspace = through(&server, proxy.url_with("ops%40corp", "p%3Aw%2Fd"), None);
    read_some(&workspace)
        .await
        .expect("reads through the proxy");
}

#[tokio::test]
async fn plain_http_is_sent_in_absolute_form_with_proxy_authorization() {
    let server = mock().await;
    let proxy = LoopbackProxy::requiring(USER, PASSWORD).await;
    let url = proxy.url_with(USER, PASSWORD);
    let workspace = builder(&server)
        .transport(|transport| transport.proxy(url))
        .build()
        .unwrap();
    read_some(&workspace)
        .await
        .expect("reads through the proxy");
    let seen = proxy.seen();
    assert!(!seen.is_empty());
    let first = &seen[0];
    assert_eq!(first.method, "POST");
    assert_eq!(
        first.target,
        format!("{}/applications/token", server.public_api_root())
    );
    assert_eq!(
        first.authorization.as_deref(),
        Some(basic(USER, PASSWORD).as_str())
    );
    assert!(
        server.journal().len() >= 3,
        "the mock answered every request"
    );
}

#[tokio::test]
async fn refused_proxy_credentials_fail_at_once_and_are_never_shown() {
    let server = tls_mock(false).await;
    let proxy = LoopbackProxy::requiring(USER, "the-right-one").await;
    let ca = ca_of(&server);
    let url = proxy.url_with(USER, PASSWORD);
    let builder = builder(&server).transport(|transport| transport.add_ca_pem(ca).proxy(url));
    let message = refused_proxy_credentials(
        &server,
        builder,
        &proxy.url(),
        || proxy.seen().len(),
        PASSWORD,
    )
    .await;
    assert!(
        message.contains("proxy authorization required"),
        "{message}"
    );
}

#[tokio::test]
async fn a_proxy_asking_for_credentials_none_were_given_for_says_so() {
    let server = tls_mock(false).await;
    let proxy = LoopbackProxy::requiring(USER, PASSWORD).await;
    let workspace = through(&server, proxy.url(), None);
    let error = read_some(&workspace).await.expect_err("407").to_string();
    assert!(error.contains("proxy authorization required"), "{error}");
    // It said "refused the credentials in its URL" when the URL had none.
    assert!(!error.contains("refused the credentials"), "{error}");
    assert!(error.contains("USER:PASSWORD@"), "{error}");
    assert_eq!(proxy.seen().len(), 1, "not retried");
}

#[tokio::test]
async fn a_proxy_that_will_not_open_the_tunnel_is_named_with_the_destination() {
    let proxy = LoopbackProxy::start().await;
    // Nothing listens there: the proxy answers the CONNECT with 502.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = closed.local_addr().unwrap();
    drop(closed);
    let workspace = CloudWorkspace::builder()
        .api_root(format!("https://{addr}/api/public/v1"))
        .workspace_id(WORKSPACE)
        .bearer_token("test-token")
        .transport(|transport| transport.proxy(proxy.url()))
        .build()
        .unwrap();
    let error = read_some(&workspace).await.expect_err("502").to_string();
    // It said "tunnel error: unsuccessful" and nothing more.
    assert!(error.contains("would not open a tunnel"), "{error}");
    assert!(error.contains(&addr.to_string()), "{error}");
    assert!(error.contains(&proxy.url()), "{error}");
}

#[tokio::test]
async fn a_proxy_that_never_answers_the_tunnel_is_bounded_by_the_connect_timeout() {
    // It takes the connection and never answers the CONNECT: each attempt waited out the
    // attempt timeout (60 s by default), and the error named no proxy.
    let peer = airbyte_e2e::loopback::LoopbackServer::silent().await;
    let proxy = format!("http://{}", peer.addr());
    assert_bounded_by_connect_timeout("https://airbyte.example.test/api/public/v1", Some(proxy))
        .await;
}

#[tokio::test]
async fn hosts_in_no_proxy_are_reached_directly() {
    let server = tls_mock(false).await;
    let proxy = LoopbackProxy::start().await;
    let workspace = through(&server, proxy.url(), Some("127.0.0.1"));
    read_some(&workspace).await.expect("direct reads");
    assert!(proxy.seen().is_empty());
}

#[tokio::test]
async fn a_proxy_from_the_environment_reaches_a_host_only_it_can_resolve() {
    let server = mock().await;
    // `airbyte.proxy-only.test` resolves nowhere: only the proxy knows where it is.
    let proxy = LoopbackProxy::resolving("airbyte.proxy-only.test", server.addr()).await;
    let workspace = at_unknown_host_through("airbyte.proxy-only.test", "http_proxy", proxy.url());
    read_some(&workspace)
        .await
        .expect("reads through the proxy");
    assert!(
        proxy.seen()[0]
            .target
            .starts_with("http://airbyte.proxy-only.test:8000/api/public/v1/")
    );
}

#[tokio::test]
async fn a_proxy_from_the_environment_never_carries_loopback_traffic() {
    let server = tls_mock(false).await;
    let proxy = LoopbackProxy::start().await;
    let ca = ca_of(&server);
    let workspace = env_builder(vec![
        ("HTTPS_PROXY", proxy.url()),
        ("HTTP_PROXY", proxy.url()),
        ("AIRBYTE_API_ROOT", server.public_api_root()),
    ])
    .transport(|transport| transport.add_ca_pem(ca))
    .build()
    .unwrap();
    read_some(&workspace).await.expect("direct reads");
    assert!(proxy.seen().is_empty());
}

#[tokio::test]
async fn without_proxy_connects_directly_whatever_was_set_before() {
    let server = mock().await;
    let proxy = LoopbackProxy::start().await;
    let url = proxy.url();
    let workspace = builder(&server)
        .transport(|transport| transport.proxy(url).without_proxy())
        .build()
        .unwrap();
    read_some(&workspace).await.expect("direct reads");
    assert!(proxy.seen().is_empty());
}
