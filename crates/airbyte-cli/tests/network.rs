//! The connection flags and variables: `--ca-file`, `AIRBYTE_CA_FILE` and `SSL_CERT_FILE`
//! against the mock server's TLS, `--client-cert`/`--client-key` for mutual TLS, and `--proxy`.

mod support;

use support::*;

/// A TLS mock server and its certificate files.
async fn tls_mock(mutual: bool) -> (MockServer, tempfile::TempDir, airbyte_mock_server::TlsFiles) {
    let server = MockServer::start(MockConfig {
        tls: Some(if mutual {
            airbyte_mock_server::TlsConfig::mutual()
        } else {
            airbyte_mock_server::TlsConfig::new()
        }),
        seed: Some(2),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let dir = home();
    let files = server.tls().unwrap().write_to(dir.path()).unwrap();
    (server, dir, files)
}

async fn sources_with(server: &MockServer, args: &[&str], extra: &[(&'static str, String)]) -> Run {
    let mut env = env_for(server);
    env.extend(extra.iter().cloned());
    let mut full = vec!["--output", "json", "sources", "list"];
    full.extend_from_slice(args);
    run_with_env(&full, &pairs(&env)).await
}

#[tokio::test]
async fn an_untrusted_server_is_refused_with_a_hint_at_ca_file() {
    let (server, _dir, _files) = tls_mock(false).await;
    let run = sources_with(&server, &[], &[]).await;
    assert_ne!(run.code, 0);
    run.says("not trusted").says("--ca-file");
    assert!(server.journal().is_empty());
}

#[tokio::test]
async fn ca_file_trusts_the_servers_authority() {
    let (server, _dir, files) = tls_mock(false).await;
    let ca = files.ca.display().to_string();
    let run = sources_with(&server, &["--ca-file", &ca], &[]).await;
    run.code(0);
    assert!(run.json().as_array().is_some_and(|list| !list.is_empty()));
}

#[tokio::test]
async fn airbyte_ca_file_and_ssl_cert_file_are_honoured() {
    let (server, _dir, files) = tls_mock(false).await;
    let ca = files.ca.display().to_string();
    sources_with(&server, &[], &[("AIRBYTE_CA_FILE", ca.clone())])
        .await
        .code(0);
    // SSL_CERT_FILE replaces the system store's location, as in OpenSSL.
    sources_with(&server, &[], &[("SSL_CERT_FILE", ca.clone())])
        .await
        .code(0);
    // ... which the bundled roots alone do not read.
    let run = sources_with(
        &server,
        &[],
        &[
            ("SSL_CERT_FILE", ca),
            ("AIRBYTE_TRUST_ROOTS", "bundled".to_owned()),
        ],
    )
    .await;
    assert_ne!(run.code, 0, "{}", run.stderr);
}

#[tokio::test]
async fn client_cert_and_key_are_presented_for_mutual_tls() {
    let (server, _dir, files) = tls_mock(true).await;
    let ca = files.ca.display().to_string();
    let certificate = files.client_certificate.display().to_string();
    let key = files.client_key.display().to_string();
    let refused = sources_with(&server, &["--ca-file", &ca], &[]).await;
    assert_ne!(refused.code, 0);
    sources_with(
        &server,
        &[
            "--ca-file",
            &ca,
            "--client-cert",
            &certificate,
            "--client-key",
            &key,
        ],
        &[],
    )
    .await
    .code(0);
    // One without the other is a usage error.
    let run = sources_with(
        &server,
        &["--ca-file", &ca, "--client-cert", &certificate],
        &[],
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
}

#[tokio::test]
async fn proxy_routes_requests_and_never_shows_its_password() {
    let server = mock().await;
    // Nothing listens on port 1: the request fails at the proxy, which the message names.
    let run = sources_with(
        &server,
        &["--proxy", "http://ops:Pr0xy-pw-sentinel@127.0.0.1:1"],
        &[],
    )
    .await;
    assert_ne!(run.code, 0);
    run.says("through the proxy http://127.0.0.1:1:");
    assert!(!run.stderr.contains("Pr0xy-pw-sentinel"), "{}", run.stderr);
    assert!(server.journal().is_empty());

    let run = sources_with(&server, &["--proxy", "socks5://127.0.0.1:1080"], &[]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    run.says("only http:// proxies");
}
