//! The `airbyte-mock-server` binary: first line on stdout, `--help`, a clean stop on SIGTERM,
//! and `--tls` with its certificate files.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

mod support;

const BINARY: &str = env!("CARGO_BIN_EXE_airbyte-mock-server");

/// Starts the binary with `args` and waits for its announcement: the child and its port.
async fn spawn(args: &[&str], stderr: Stdio) -> (tokio::process::Child, u16) {
    let mut child = tokio::process::Command::new(BINARY)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = tokio::time::timeout(Duration::from_secs(10), lines.next_line())
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let base = first
        .strip_prefix("airbyte-mock-server listening on ")
        .expect(&first)
        .to_owned();
    let tls = args.contains(&"--tls");
    let scheme = if tls { "https" } else { "http" };
    assert!(
        base.starts_with(&format!("{scheme}://127.0.0.1:")),
        "{first}"
    );
    (child, base.rsplit(':').next().unwrap().parse().unwrap())
}

#[tokio::test]
async fn the_binary_announces_its_address_serves_and_stops_on_sigterm() {
    let (mut child, port) = spawn(
        &[
            "--addr",
            "127.0.0.1:0",
            "--job-duration",
            "200",
            "--seed",
            "1",
        ],
        Stdio::null(),
    )
    .await;
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    drop(stream);

    let pid = child.id().unwrap().to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(exit.success(), "clean exit on SIGTERM: {exit:?}");
}

#[tokio::test]
async fn log_debug_logs_every_request_without_its_secrets() {
    let (child, port) = spawn(&["--addr", "127.0.0.1:0", "--log", "debug"], Stdio::piped()).await;
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream
        .write_all(b"GET /api/public/v1/sources?limit=3&api_key=LOG-SECRET HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    assert!(String::from_utf8_lossy(&answer).starts_with("HTTP/1.1 401"));
    let pid = child.id().unwrap().to_string();
    std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    let output = tokio::time::timeout(Duration::from_secs(10), child.wait_with_output())
        .await
        .unwrap()
        .unwrap();
    let log = String::from_utf8_lossy(&output.stderr);
    let line = log
        .lines()
        .find(|line| line.contains("/api/public/v1/sources"))
        .unwrap_or_else(|| panic!("no request was logged:\n{log}"));
    assert!(line.contains("GET") && line.contains("401"), "{line}");
    assert!(!log.contains("LOG-SECRET"), "{log}");
}

#[test]
fn help_documents_every_flag_and_the_default_credentials() {
    let output = std::process::Command::new(BINARY)
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--addr",
        "--fixtures",
        "--mode",
        "--strict",
        "--client-id",
        "--client-secret",
        "--token-ttl",
        "--job-duration",
        "--rate-503",
        "--rate-429",
        "--retry-after",
        "--rate-reset-before",
        "--rate-limit",
        "--rate-limit-burst",
        "--latency-ms",
        "MIN-MAX",
        "--seed",
        "--clock-speed",
        "--token-ttl-claimed",
        "--basic-user",
        "--control-token",
        "--request-timeout",
        "--api-host",
        "mock-client-id",
        "mock-client-secret",
        "record",
    ] {
        assert!(help.contains(flag), "--help does not mention {flag}");
    }
}

/// A GET over TLS trusting `ca`, offering HTTP/2 and HTTP/1.1: the answer's version and status.
async fn get_over_tls(ca: &[u8], url: &str) -> (http::Version, http::StatusCode) {
    use rustls::pki_types::pem::PemObject as _;
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(rustls::pki_types::CertificateDer::from_pem_slice(ca).unwrap())
        .unwrap();
    let config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    let connector = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(config)
        .https_only()
        .enable_http1()
        .enable_http2()
        .build();
    let client: hyper_util::client::legacy::Client<_, http_body_util::Empty<bytes::Bytes>> =
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build(connector);
    let response = client.get(url.parse().unwrap()).await.unwrap();
    (response.version(), response.status())
}

#[tokio::test]
async fn tls_serves_https_and_writes_the_files_clients_need() {
    let dir = tempfile::tempdir().unwrap();
    let dir_text = dir.path().display().to_string();
    let (_child, port) = spawn(
        &["--addr", "127.0.0.1:0", "--tls", "--tls-dir", &dir_text],
        Stdio::null(),
    )
    .await;
    let ca = std::fs::read(dir.path().join("ca.pem")).unwrap();
    assert!(String::from_utf8_lossy(&ca).starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(dir.path().join("client.pem").is_file());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.path().join("client-key.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the key is the owner's alone: {mode:o}");
    }
    for host in ["127.0.0.1", "localhost"] {
        let (version, status) =
            get_over_tls(&ca, &format!("https://{host}:{port}/_mock/stats")).await;
        assert_eq!(status, http::StatusCode::OK);
        assert_eq!(version, http::Version::HTTP_2, "{host}");
    }
}

#[tokio::test]
async fn tls_options_need_tls() {
    let output = std::process::Command::new(BINARY)
        .args(["--tls-client-auth"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[tokio::test]
async fn rate_limit_and_latency_range_flags_take_effect() {
    let (_child, port) = spawn(
        &[
            "--rate-limit",
            "1/min",
            "--rate-limit-burst",
            "2",
            "--latency-ms",
            "5-10",
        ],
        Stdio::null(),
    )
    .await;
    let raw = support::Raw::authenticated(&format!("http://127.0.0.1:{port}")).await;
    let mut codes = Vec::new();
    for _ in 0..3 {
        let started = std::time::Instant::now();
        codes.push(raw.get("/api/public/v1/workspaces").await.status);
        assert!(started.elapsed() >= Duration::from_millis(5));
    }
    assert_eq!(codes, [200, 200, 429]);
}

#[test]
fn bad_rate_limits_and_latency_ranges_are_refused() {
    for args in [
        &["--rate-limit", "0/s"][..],
        &["--rate-limit", "10/day"],
        &["--rate-limit-burst", "5"],
        &["--rate-limit", "5/s", "--rate-limit-burst", "0"],
        &["--latency-ms", "80-20"],
        &["--latency-ms", "fast"],
        &["--latency-ms=-5"],
        &["--rate-429", "2"],
        &["--rate-500", "-0.5"],
        &["--rate-503", "NaN"],
    ] {
        let output = std::process::Command::new(BINARY)
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}
