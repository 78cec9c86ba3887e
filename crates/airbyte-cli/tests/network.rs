//! The connection flags and variables: `--ca-file`, `AIRBYTE_CA_FILE` and `SSL_CERT_FILE`
//! against the mock server's TLS, `--client-cert`/`--client-key` for mutual TLS, and `--proxy`
//! (HTTP and SOCKS5).

mod support;

use airbyte_e2e::socks::{Destination, LoopbackSocks};
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

    let run = sources_with(&server, &["--proxy", "socks4://127.0.0.1:1080"], &[]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    run.says("SOCKS4 proxies are not supported")
        .says("socks5h://");
}

#[tokio::test]
async fn a_socks5h_proxy_carries_requests_and_never_shows_its_password() {
    let (server, _dir, files) = tls_mock(false).await;
    let proxy = LoopbackSocks::requiring("ops", "S0cks-pw-sentinel").await;
    let ca = files.ca.display().to_string();
    // By name: the proxy resolves it.
    let root = server.public_api_root().replace("127.0.0.1", "localhost");
    let url = proxy.url_as("socks5h", Some(("ops", "S0cks-pw-sentinel")));
    let args = ["--ca-file", &ca, "--api-root", &root, "--proxy", &url];
    let run = sources_with(&server, &args, &[]).await;
    run.code(0);
    assert!(run.json().as_array().is_some_and(|list| !list.is_empty()));
    let seen = proxy.seen();
    assert_eq!(seen[0].user.as_deref(), Some("ops"));
    assert_eq!(
        seen[0].destination,
        Some(Destination::Name(
            "localhost".to_owned(),
            server.addr().port()
        ))
    );

    // A wrong password: refused at once, and shown nowhere.
    let wrong = proxy.url_as("socks5h", Some(("ops", "Wr0ng-pw-sentinel")));
    let args = ["--ca-file", &ca, "--api-root", &root, "--proxy", &wrong];
    let run = sources_with(&server, &args, &[]).await;
    assert_ne!(run.code, 0);
    run.says(&format!("through the proxy {}", proxy.url()))
        .says("refused the credentials");
    let output = format!("{}{}", run.stdout, run.stderr);
    assert!(!output.contains("Wr0ng-pw-sentinel"), "{output}");
    assert_eq!(proxy.seen().len(), seen.len() + 1, "not retried");
}

/// A config file in `dir` (next to the certificate files) for `server`, with `extra` after the
/// credentials.
fn config_for(dir: &std::path::Path, api_root: &str, extra: &str) -> String {
    config_file(
        dir,
        &format!(
            "api_root: {api_root}\nworkspace_id: {PRODUCTION_WORKSPACE_ID}\nclient_id: {CLIENT_ID}\nclient_secret: {SECRET}\n{extra}"
        ),
    )
}

async fn sources_from_file(path: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut full = vec!["--config-file", path, "--output", "json"];
    full.extend_from_slice(args);
    full.extend(["sources", "list"]);
    run_with_env(&full, env).await
}

#[tokio::test]
async fn the_config_file_sets_the_ca_and_client_certificate_relative_to_itself() {
    let (server, dir, _files) = tls_mock(true).await;
    // Relative paths are the file's neighbours, wherever the command runs.
    let path = config_for(
        dir.path(),
        &server.public_api_root(),
        "ca_file: ca.pem\nclient_cert: client.pem\nclient_key: client-key.pem\n",
    );
    sources_from_file(&path, &[], &[]).await.code(0);
    // Without the client certificate, the server refuses.
    let path = config_for(dir.path(), &server.public_api_root(), "ca_file: ca.pem\n");
    let refused = sources_from_file(&path, &[], &[]).await;
    assert_ne!(refused.code, 0, "{}", refused.stderr);
}

#[tokio::test]
async fn network_settings_of_the_file_take_their_place_in_the_precedence() {
    let (server, dir, files) = tls_mock(false).await;
    let ca = files.ca.display().to_string();
    let path = config_for(
        dir.path(),
        &server.public_api_root(),
        "ca_file: /nonexistent/top-level-ca.pem\nprofiles:\n  tls:\n    ca_file: ca.pem\n",
    );
    let wrong_env = [("AIRBYTE_CA_FILE", "/nonexistent/env-ca.pem")];
    // A profile named on the command line beats the environment ...
    sources_from_file(&path, &["--profile", "tls"], &wrong_env)
        .await
        .code(0);
    // ... one chosen by $AIRBYTE_PROFILE does not; the error says who set the file.
    let run = sources_from_file(&path, &[], &[("AIRBYTE_PROFILE", "tls"), wrong_env[0]]).await;
    run.code(2)
        .says("env-ca.pem")
        .says("set by variable AIRBYTE_CA_FILE");
    // The profile beats the file's top level, and a flag beats them all.
    sources_from_file(&path, &[], &[("AIRBYTE_PROFILE", "tls")])
        .await
        .code(0);
    let run = sources_from_file(&path, &[], &[]).await;
    run.code(2)
        .says("top-level-ca.pem")
        .says("set by config file)");
    sources_from_file(&path, &["--ca-file", &ca], &[])
        .await
        .code(0);
}

#[tokio::test]
async fn a_proxy_of_the_config_file_is_used_like_one_of_the_environment() {
    let home = home();
    let password = "Pr0xy-pw-sentinel";
    let proxy = format!("proxy: http://ops:{password}@127.0.0.1:1\n");
    // Nothing listens on port 1: a request that goes through the proxy fails there.
    let path = config_for(home.path(), "https://airbyte.invalid/api/public/v1", &proxy);
    let run = sources_from_file(&path, &[], &[]).await;
    assert_ne!(run.code, 0);
    run.says("through the proxy http://127.0.0.1:1");
    assert!(!run.stderr.contains(password), "{}", run.stderr);
    // As with HTTPS_PROXY, this machine is reached directly (the mock server, a local
    // Airbyte); `no_proxy` exempts more hosts.
    let server = mock().await;
    let path = config_for(home.path(), &server.public_api_root(), &proxy);
    sources_from_file(&path, &[], &[]).await.code(0);
    let path = config_for(
        home.path(),
        "https://airbyte.invalid/api/public/v1",
        &format!("{proxy}no_proxy: airbyte.invalid\n"),
    );
    let run = sources_from_file(&path, &[], &[]).await;
    assert!(!run.stderr.contains("through the proxy"), "{}", run.stderr);
    // The environment's proxy beats the file's.
    let path = config_for(home.path(), "https://airbyte.invalid/api/public/v1", &proxy);
    let run = sources_from_file(&path, &[], &[("HTTPS_PROXY", "http://127.0.0.1:2")]).await;
    run.says("through the proxy http://127.0.0.1:2");
}

#[tokio::test]
async fn a_readable_config_file_with_a_proxy_password_is_refused() {
    let home = home();
    let path = config_file(
        home.path(),
        "proxy: http://ops:Pr0xy-pw-sentinel@127.0.0.1:1\n",
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let run = run_with_env(&["--config-file", &path, "config", "view"], &[]).await;
        run.code(2).says("others can read it");
    }
    // Without a password the proxy is no secret.
    let path = config_file(home.path(), "proxy: http://127.0.0.1:1\n");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    run_with_env(&["--config-file", &path, "config", "view"], &[])
        .await
        .code(0);
}

#[tokio::test]
async fn unusable_network_values_name_where_they_were_set() {
    let (server, dir, _files) = tls_mock(false).await;
    let root = server.public_api_root();
    let cases: [(&str, &[&str], &str); 3] = [
        (
            "trust_roots: nonsense\n",
            &[],
            "invalid trust_roots \"nonsense\" (from config file)",
        ),
        (
            "profiles:\n  p:\n    http2: maybe\n",
            &["--profile", "p"],
            "invalid http2 \"maybe\" (from config file (profile p))",
        ),
        (
            "client_cert: client.pem\n",
            &[],
            "config file sets no client_key",
        ),
    ];
    for (extra, args, says) in cases {
        let path = config_for(dir.path(), &root, extra);
        sources_from_file(&path, args, &[]).await.code(2).says(says);
        assert!(server.journal().is_empty());
    }
    // HTTP/2 can be turned off (for a gateway that mishandles it); the server still answers.
    let path = config_for(dir.path(), &root, "ca_file: ca.pem\nhttp2: false\n");
    sources_from_file(&path, &[], &[]).await.code(0);
    let path = config_for(dir.path(), &root, "ca_file: ca.pem\ntrust_roots: bundled\n");
    sources_from_file(&path, &[], &[]).await.code(0);
}

#[tokio::test]
async fn config_view_shows_network_settings_with_their_source_and_no_password() {
    let home = home();
    let path = config_for(
        home.path(),
        "https://airbyte.example/api/public/v1",
        "ca_file: certs/ca.pem\nno_proxy: .internal\nprofiles:\n  p:\n    http2: false\n",
    );
    let run = run_with_env(
        &[
            "--config-file",
            &path,
            "--profile",
            "p",
            "-o",
            "json",
            "config",
            "view",
        ],
        &[(
            "https_proxy",
            "http://ops:Pr0xy-pw-sentinel@proxy.example:3128",
        )],
    )
    .await;
    run.code(0);
    run.never_prints("Pr0xy-pw-sentinel");
    let rows = run.json();
    let row = |name: &str| {
        rows.as_array()
            .unwrap()
            .iter()
            .find(|row| row["setting"] == name)
            .unwrap_or_else(|| panic!("no {name} row: {rows}"))
            .clone()
    };
    assert_eq!(
        row("ca_file")["value"],
        home.path().join("certs/ca.pem").display().to_string()
    );
    assert_eq!(row("ca_file")["source"], "config file");
    assert_eq!(row("proxy")["value"], "http://********@proxy.example:3128");
    assert_eq!(row("proxy")["source"], "variable https_proxy");
    assert_eq!(row("no_proxy")["value"], ".internal");
    assert_eq!(row("http2")["value"], "false");
    assert_eq!(row("http2")["source"], "config file (profile p)");
    assert_eq!(row("trust_roots")["value"], "bundled+system");
    assert_eq!(row("trust_roots")["source"], "default");
}

#[tokio::test]
async fn a_proxy_password_with_a_slash_is_masked_and_counts_as_a_secret() {
    // A `/`, `?` or `#` left unencoded in a password ends the URL's authority early: the
    // password must still be found, masked, and make a readable config file refused.
    let home = home();
    let run = run_with_env(
        &["-o", "json", "config", "view"],
        &[(
            "https_proxy",
            "http://ops:Pr0xy/pw-sentinel@proxy.example:3128",
        )],
    )
    .await;
    run.code(0);
    run.never_prints("Pr0xy");
    run.never_prints("ops:");
    run.prints("@proxy.example:3128");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let path = config_file(
            home.path(),
            "proxy: http://ops:Pr0xy#pw-sentinel@127.0.0.1:1\n",
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let run = run_with_env(&["--config-file", &path, "config", "view"], &[]).await;
        run.code(2).says("others can read it");
        assert!(!run.stderr.contains("Pr0xy"), "{}", run.stderr);
    }
}
