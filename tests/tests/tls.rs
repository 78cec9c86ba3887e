//! The whole stack over TLS against the mock server's `--tls`: HTTP/2 by ALPN by default,
//! HTTP/1.1 when HTTP/2 is turned off, trust from an extra CA (builder or `AIRBYTE_CA_FILE`),
//! refusal of a server nobody vouched for, and mutual TLS.

use airbyte::prelude::*;
use airbyte::transport::{ClientIdentity, TrustRoots};
use airbyte_e2e::*;

/// A workspace of a TLS mock server that trusts the mock's certificate authority.
fn trusting(server: &airbyte::mock::MockServer) -> CloudWorkspace {
    let ca = ca_of(server);
    builder(server)
        .transport(|transport| transport.add_ca_pem(ca))
        .build()
        .expect("a workspace")
}

#[tokio::test]
async fn https_uses_http2_when_both_sides_offer_it() {
    let server = tls_mock(false).await;
    assert!(server.base_url().starts_with("https://"));
    read_some(&trusting(&server)).await.expect("reads over TLS");
    let versions = http_versions(&server);
    assert!(!versions.is_empty());
    assert!(versions.iter().all(|v| v == "HTTP/2.0"), "{versions:?}");
    // HTTP/2 multiplexes every request, the token request included, on one connection.
    assert_eq!(server.connections_accepted(), 1);
}

#[tokio::test]
async fn https_uses_http1_when_http2_is_turned_off() {
    let server = tls_mock(false).await;
    let ca = ca_of(&server);
    let workspace = builder(&server)
        .transport(|transport| transport.add_ca_pem(ca).http2(false))
        .build()
        .unwrap();
    read_some(&workspace).await.expect("reads over TLS");
    let versions = http_versions(&server);
    assert!(versions.iter().all(|v| v == "HTTP/1.1"), "{versions:?}");
    // Sequential requests reuse one kept-alive TLS connection.
    assert_eq!(server.connections_accepted(), 1);
}

#[tokio::test]
async fn many_concurrent_calls_share_tls_connections() {
    let server = tls_mock(false).await;
    let workspace = trusting(&server);
    workspace.connect().await.unwrap();
    let calls = (0..40).map(|_| {
        let workspace = workspace.clone();
        async move { workspace.list_sources().collect().await.map(|_| ()) }
    });
    for result in futures_util::future::join_all(calls).await {
        result.expect("a read");
    }
    assert_eq!(server.connections_accepted(), 1, "HTTP/2 multiplexes");
}

#[tokio::test]
async fn a_server_whose_authority_is_not_trusted_is_refused_before_anything_is_sent() {
    let server = tls_mock(false).await;
    for roots in [TrustRoots::Bundled, TrustRoots::BundledAndSystem] {
        let workspace = builder(&server)
            .transport(|transport| transport.trust_roots(roots))
            .build()
            .unwrap();
        let error = read_some(&workspace).await.expect_err("untrusted");
        let text = error.to_string();
        assert!(text.contains("UnknownIssuer"), "{roots}: {text}");
        assert!(text.contains("AIRBYTE_CA_FILE"), "{roots}: {text}");
        // A certificate nobody vouched for stays so: no retry, now or later.
        assert!(!text.contains("attempts"), "{roots}: {text}");
        assert!(!error.is_transient(), "{roots}: {text}");
    }
    assert!(server.journal().is_empty(), "no request reached the server");
}

#[tokio::test]
async fn a_ca_file_given_on_the_builder_or_in_airbyte_ca_file_is_trusted() {
    let server = tls_mock(false).await;
    let dir = tempfile::tempdir().unwrap();
    let files = server.tls().unwrap().write_to(dir.path()).unwrap();

    let by_builder = builder(&server)
        .transport(|transport| {
            transport
                .trust_roots(TrustRoots::Bundled)
                .add_ca_file(&files.ca)
        })
        .build()
        .unwrap();
    read_some(&by_builder)
        .await
        .expect("trusted through the builder");

    let vars = [
        ("AIRBYTE_CA_FILE", files.ca.display().to_string()),
        ("AIRBYTE_TRUST_ROOTS", "bundled".to_owned()),
        ("AIRBYTE_API_ROOT", server.public_api_root()),
        ("AIRBYTE_WORKSPACE_ID", WORKSPACE.to_owned()),
        (
            "AIRBYTE_CLIENT_ID",
            airbyte::mock::DEFAULT_CLIENT_ID.to_owned(),
        ),
        (
            "AIRBYTE_CLIENT_SECRET",
            airbyte::mock::DEFAULT_CLIENT_SECRET.to_owned(),
        ),
    ];
    let by_env = airbyte::cloud::CloudWorkspaceBuilder::from_env_source(|name| {
        vars.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.clone())
    });
    read_some(&by_env.build().unwrap())
        .await
        .expect("trusted through AIRBYTE_CA_FILE");
}

#[tokio::test]
async fn a_ca_file_that_is_not_a_certificate_fails_the_build_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corp-ca.pem");
    std::fs::write(&path, "hello").unwrap();
    let server = tls_mock(false).await;
    let error = builder(&server)
        .transport(|transport| transport.add_ca_file(&path))
        .build()
        .expect_err("not a certificate");
    let text = error.to_string();
    assert!(
        text.contains("ca_file") && text.contains("corp-ca.pem"),
        "{text}"
    );
}

#[tokio::test]
async fn mutual_tls_needs_the_client_certificate() {
    let server = tls_mock(true).await;
    let tls = server.tls().unwrap().clone();

    let without = trusting(&server);
    read_some(&without)
        .await
        .expect_err("refused without a client certificate");
    assert!(server.journal().is_empty(), "{:?}", server.journal());

    let ca = ca_of(&server);
    let with = builder(&server)
        .transport(|transport| {
            transport
                .add_ca_pem(ca)
                .client_identity(ClientIdentity::from_pem(
                    tls.client_certificate_pem(),
                    tls.client_key_pem(),
                ))
        })
        .build()
        .unwrap();
    read_some(&with)
        .await
        .expect("accepted with the certificate");
}

#[tokio::test]
async fn a_client_certificate_from_airbyte_client_cert_and_key_is_presented() {
    let server = tls_mock(true).await;
    let dir = tempfile::tempdir().unwrap();
    let files = server.tls().unwrap().write_to(dir.path()).unwrap();
    let vars = [
        ("AIRBYTE_CA_FILE", files.ca.display().to_string()),
        (
            "AIRBYTE_CLIENT_CERT",
            files.client_certificate.display().to_string(),
        ),
        ("AIRBYTE_CLIENT_KEY", files.client_key.display().to_string()),
        ("AIRBYTE_API_ROOT", server.public_api_root()),
        ("AIRBYTE_WORKSPACE_ID", WORKSPACE.to_owned()),
        (
            "AIRBYTE_CLIENT_ID",
            airbyte::mock::DEFAULT_CLIENT_ID.to_owned(),
        ),
        (
            "AIRBYTE_CLIENT_SECRET",
            airbyte::mock::DEFAULT_CLIENT_SECRET.to_owned(),
        ),
    ];
    let get = |name: &str| {
        vars.iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.clone())
    };
    let workspace = airbyte::cloud::CloudWorkspaceBuilder::from_env_source(get)
        .build()
        .unwrap();
    read_some(&workspace)
        .await
        .expect("accepted with the certificate");

    let only_cert = |name: &str| {
        if name == "AIRBYTE_CLIENT_KEY" {
            None
        } else {
            get(name)
        }
    };
    let error = airbyte::cloud::CloudWorkspaceBuilder::from_env_source(only_cert)
        .build()
        .expect_err("a certificate without its key");
    assert!(error.to_string().contains("AIRBYTE_CLIENT_KEY"), "{error}");
}

#[tokio::test]
async fn a_server_that_never_answers_the_tls_handshake_is_bounded_by_the_connect_timeout() {
    // It takes the connection and never says a word: the connect timeout covered TCP alone,
    // and each attempt waited out the attempt timeout (60 s by default).
    let peer = airbyte_e2e::loopback::LoopbackServer::silent().await;
    assert_bounded_by_connect_timeout(&format!("https://{}/api/public/v1", peer.addr()), None)
        .await;
}
