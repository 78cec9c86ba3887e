//! The `airbyte-mock-server` binary: first line on stdout, `--help`, a clean stop on SIGTERM.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};

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
    assert!(base.starts_with("http://127.0.0.1:"), "{first}");
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
