//! Hostile clients: the journal cannot be filled without credentials, slow requests are cut,
//! credentials of every kind keep their scope, secrets stay out of the journal and answers,
//! recorded answers and mock control need what the API needs.

mod support;

use std::time::Duration;

use airbyte_mock_server::default_world::*;
use airbyte_mock_server::{BasicCredential, CONTROL_TOKEN_HEADER, Error, MockConfig, MockServer};
use bytes::Bytes;
use serde_json::{Value, json};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn stats(raw: &Raw) -> Value {
    raw.get("/_mock/stats").await.json()
}

#[tokio::test]
async fn unauthenticated_bodies_never_reach_the_journal() {
    let server = start_fast().await;
    let anonymous = Raw::new(&server.base_url());
    let big = Bytes::from(format!(
        "{{\"name\": \"{}\"}}",
        "x".repeat(2 * 1024 * 1024 - 64)
    ));
    for _ in 0..8 {
        let answer = anonymous
            .send_raw(
                "POST",
                "/api/public/v1/sources",
                Some(big.clone()),
                Some("application/json"),
            )
            .await;
        assert_eq!(answer.status, 401);
    }
    let journal = server.journal();
    assert_eq!(journal.len(), 8);
    assert!(
        journal
            .iter()
            .all(|entry| entry.body.is_null() && !entry.authenticated)
    );
    let raw = Raw::authenticated(&server.base_url()).await;
    let bytes = stats(&raw).await["journalBytes"].as_u64().unwrap();
    assert!(bytes < 10_000, "the journal holds {bytes} bytes");
}

#[tokio::test]
async fn bodies_of_unrouted_requests_are_not_kept() {
    let (server, raw) = started().await;
    raw.post("/api/public/v1/nowhere", json!({"name": "x".repeat(1000)}))
        .await;
    let entry = server.journal().pop().unwrap();
    assert_eq!(entry.status, 404);
    assert!(entry.body.is_null() && entry.authenticated);
}

#[tokio::test]
async fn the_journal_stays_within_its_byte_budget() {
    let server = MockServer::start(MockConfig {
        journal_max_bytes: 256 * 1024,
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let raw = Raw::authenticated(&server.base_url()).await;
    for index in 0..20 {
        let answer = raw
            .post(
                "/api/public/v1/workspaces",
                json!({"name": format!("w{index}"), "notifications": {"failure": {"webhook": {"url": "y".repeat(100_000)}}}}),
            )
            .await;
        assert_eq!(answer.status, 200);
        let bytes = stats(&raw).await["journalBytes"].as_u64().unwrap();
        assert!(bytes <= 256 * 1024, "{bytes} bytes after {index} requests");
    }
    // The newest are kept, with their bodies.
    let last = server.journal().pop().unwrap();
    assert_eq!(last.body["name"], "w19");
}

/// Sends raw bytes on a fresh connection and reads until the server closes it (bounded).
async fn exchange(addr: std::net::SocketAddr, head: &str, body_part: &[u8]) -> (String, Duration) {
    let started = std::time::Instant::now();
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body_part).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("the server closes a stalled connection")
        .ok();
    (
        String::from_utf8_lossy(&answer).into_owned(),
        started.elapsed(),
    )
}

fn quick_timeouts() -> MockConfig {
    MockConfig {
        request_timeout: Duration::from_millis(300),
        ..MockConfig::default()
    }
}

#[tokio::test]
async fn a_body_that_stalls_gets_408_and_the_connection_closes() {
    let server = MockServer::start(quick_timeouts()).await.unwrap();
    let token = Raw::authenticated(&server.base_url()).await.token.unwrap();
    let head = format!(
        "POST /api/public/v1/sources HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n"
    );
    let (answer, _) = exchange(server.addr(), &head, b"{\"name\":").await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("errorId"), "{answer}");
}

#[tokio::test]
async fn a_body_sent_drop_by_drop_is_cut_after_the_request_timeout() {
    let server = MockServer::start(quick_timeouts()).await.unwrap();
    let token = Raw::authenticated(&server.base_url()).await.token.unwrap();
    let mut stream = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    stream
        .write_all(format!("POST /api/public/v1/sources HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {token}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n").as_bytes())
        .await
        .unwrap();
    // One byte every 50 ms would take 50 s; the server answers long before.
    let dripping = async {
        for _ in 0..1000 {
            if stream.write_all(b" ").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    let _ = tokio::time::timeout(Duration::from_secs(3), dripping).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(2), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
}

#[tokio::test]
async fn headers_that_never_end_are_cut() {
    let server = MockServer::start(quick_timeouts()).await.unwrap();
    let (answer, elapsed) = exchange(
        server.addr(),
        "GET /api/public/v1/sources HTTP/1.1\r\nhost: x\r\n",
        b"",
    )
    .await;
    assert!(!answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn scopes_apply_to_basic_and_anonymous_callers_too() {
    let scoped = || Some(vec![STAGING_WORKSPACE_ID.to_owned()]);
    let server = MockServer::start(MockConfig {
        basic_auth: Some(BasicCredential {
            workspaces: scoped(),
            ..BasicCredential::airbyte_default()
        }),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let mut basic = Raw::new(&server.base_url());
    basic.authorization = Some("Basic YWlyYnl0ZTpwYXNzd29yZA==".into());
    let production = format!("/api/public/v1/sources/{FAKER_SOURCE_ID}");
    assert_eq!(basic.get(&production).await.status, 403);
    assert_eq!(
        basic
            .get(&format!("/api/public/v1/workspaces/{STAGING_WORKSPACE_ID}"))
            .await
            .status,
        200
    );
    let open = MockServer::start(MockConfig {
        allow_anonymous: true,
        anonymous_workspaces: scoped(),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let anonymous = Raw::new(&open.base_url());
    assert_eq!(anonymous.get(&production).await.status, 403);
    let listed = anonymous.get("/api/public/v1/sources").await.json();
    assert_only_in(&listed, STAGING_WORKSPACE_ID);
}

#[tokio::test]
async fn secret_query_parameters_are_redacted_in_the_journal() {
    let (server, raw) = started().await;
    raw.get("/api/public/v1/sources?limit=5&client_secret=QS-1&password=QS-2&dsn=postgres%3A%2F%2Fu%3AQS-3%40h")
        .await;
    let journal = raw.get("/_mock/journal").await;
    let text = String::from_utf8_lossy(&journal.bytes);
    for secret in ["QS-1", "QS-2", "QS-3"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    let entry = server.journal().pop().unwrap();
    assert!(
        entry.query.starts_with("limit=5&client_secret="),
        "{}",
        entry.query
    );
}

#[tokio::test]
async fn recorded_answers_are_served_only_after_authentication() {
    let scratch = tempfile::tempdir().unwrap();
    std::fs::write(
        scratch.path().join("x.json"),
        json!({"interactions": [{"request": {"method": "GET", "path": "/v1/workspaces"}, "response": {"status": 200, "body": {"data": []}}}]}).to_string(),
    )
    .unwrap();
    for mode in [
        airbyte_mock_server::Mode::Emulate,
        airbyte_mock_server::Mode::Replay,
    ] {
        let server = MockServer::start(MockConfig {
            mode,
            fixtures_dir: Some(scratch.path().to_path_buf()),
            ..MockConfig::default()
        })
        .await
        .unwrap();
        let anonymous = Raw::new(&server.base_url());
        assert_eq!(
            anonymous.get("/v1/workspaces").await.status,
            401,
            "{mode:?}"
        );
        let raw = Raw::authenticated(&server.base_url()).await;
        assert_eq!(raw.get("/v1/workspaces").await.json(), json!({"data": []}));
    }
}

#[tokio::test]
async fn control_routes_need_the_token_when_one_is_set() {
    let server = MockServer::start(MockConfig {
        control_token: Some("ctl-123".into()),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let anonymous = Raw::new(&server.base_url());
    for (method, path) in [
        ("GET", "/_mock/journal"),
        ("POST", "/_mock/reset"),
        ("GET", "/_mock/stats"),
    ] {
        let refused = anonymous.send(method, path, None).await;
        assert_eq!(refused.status, 401, "{method} {path}");
    }
    let mut wrong = Raw::new(&server.base_url());
    wrong
        .extra_headers
        .push((CONTROL_TOKEN_HEADER.into(), "ctl-124".into()));
    assert_eq!(wrong.get("/_mock/stats").await.status, 401);
    let mut allowed = Raw::new(&server.base_url());
    allowed
        .extra_headers
        .push((CONTROL_TOKEN_HEADER.into(), "ctl-123".into()));
    assert_eq!(allowed.get("/_mock/stats").await.status, 200);
    // Without a token, on loopback, control is open.
    let open = start_fast().await;
    assert_eq!(
        Raw::new(&open.base_url()).get("/_mock/stats").await.status,
        200
    );
}

#[tokio::test]
async fn the_server_refuses_a_public_address_without_a_control_token() {
    // Refused before anything is bound: nothing listens beyond loopback in this test.
    let error = MockServer::start(MockConfig {
        addr: "0.0.0.0:0".parse().unwrap(),
        ..MockConfig::default()
    })
    .await
    .unwrap_err();
    assert!(matches!(error, Error::Insecure { .. }), "{error}");
    assert!(error.to_string().contains("control token"), "{error}");
}

#[tokio::test]
async fn an_empty_control_token_does_not_open_a_public_address() {
    // An empty token (an environment variable set to nothing) would let any client that
    // sends an empty header control the server: it counts as no token.
    for token in ["", "   "] {
        let error = MockServer::start(MockConfig {
            addr: "0.0.0.0:0".parse().unwrap(),
            control_token: Some(token.to_owned()),
            ..MockConfig::default()
        })
        .await
        .unwrap_err();
        assert!(matches!(error, Error::Insecure { .. }), "{error}");
    }
}

#[tokio::test]
async fn secrets_the_shared_list_knows_are_masked_in_answers_and_the_journal() {
    let (_server, raw) = started().await;
    let configuration = json!({
        "sourceType": "faker",
        "dsn": "SECRET-1",
        "sasl_jaas_config": "SECRET-2",
        "pwd": "SECRET-3",
        "private_key": {"pem": "SECRET-4"},
        "auth": "SECRET-5",
        "bearer": "SECRET-6",
        "connection_string": "SECRET-7",
        "url": "postgres://app:SECRET-8@db/x",
        "host": "kept",
    });
    let created = raw
        .post("/api/public/v1/sources", json!({"name": "s", "workspaceId": PRODUCTION_WORKSPACE_ID, "configuration": configuration}))
        .await;
    assert_eq!(created.status, 200, "{:?}", created.bytes);
    let id = created.json()["sourceId"].as_str().unwrap().to_owned();
    let read = raw.get(&format!("/api/public/v1/sources/{id}")).await;
    let journal = raw.get("/_mock/journal").await;
    for text in [
        String::from_utf8_lossy(&created.bytes).into_owned(),
        String::from_utf8_lossy(&read.bytes).into_owned(),
        String::from_utf8_lossy(&journal.bytes).into_owned(),
    ] {
        assert!(!text.contains("SECRET-"), "a secret leaked: {text}");
        assert!(text.contains("kept"), "{text}");
    }
    assert_eq!(
        read.json()["configuration"]["url"],
        "postgres://app:**********@db/x"
    );
}

/// A create body for a faker source, from JSON texts (so that numbers and escapes stay as
/// written).
fn faker_source(name: &str, configuration: &str) -> Bytes {
    Bytes::from(format!(
        r#"{{"name":{name},"workspaceId":"{PRODUCTION_WORKSPACE_ID}","definitionId":"{FAKER_DEFINITION_ID}","configuration":{configuration}}}"#
    ))
}

#[tokio::test]
async fn strings_that_start_like_a_kept_number_come_back_as_strings() {
    let (_server, raw) = started().await;
    let post = |body: Bytes| {
        let raw = raw.clone();
        async move {
            raw.send_raw(
                "POST",
                "/api/public/v1/sources",
                Some(body),
                Some("application/json"),
            )
            .await
        }
    };
    // A number kept as text: from now on every answer is scanned for kept numbers.
    let big = post(faker_source(
        "\"big\"",
        r#"{"count":1000000000000000000000000000000}"#,
    ))
    .await;
    assert_eq!(big.status, 200, "{:?}", big.bytes);
    // Strings that start with the character kept numbers are marked with: escaped or raw,
    // alone or followed by what looks like a number, and after an escaped quote.
    let hostile = post(faker_source(
        r#""\ue000-""#,
        "{\"a\":\"\\uE0001e5\",\"b\":\"x\\\"\\ue000123\",\"c\":\"\u{e000}7\",\"d\":\"\u{e000}\u{e000}\"}",
    ))
    .await;
    assert_eq!(hostile.status, 200, "{:?}", hostile.bytes);
    let expected = json!({"a": "\u{e000}1e5", "b": "x\"\u{e000}123", "c": "\u{e000}7", "d": "\u{e000}\u{e000}"});
    let created = hostile.json();
    assert_eq!(created["name"], "\u{e000}-");
    assert_eq!(created["configuration"], expected);
    // Every client listing sources still gets valid JSON, with the kept number intact.
    let listed = raw.get("/api/public/v1/sources?limit=100").await;
    let text = String::from_utf8_lossy(&listed.bytes).into_owned();
    assert!(
        text.contains(r#""count":1000000000000000000000000000000"#),
        "{text}"
    );
    let listed = listed.json();
    let again = listed["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|source| source["sourceId"] == created["sourceId"])
        .unwrap();
    assert_eq!(again["name"], "\u{e000}-");
    assert_eq!(again["configuration"], expected);
}

/// A TLS client offering HTTP/2 only, trusting the server's certificate authority.
fn h2_connector(server: &MockServer) -> tokio_rustls::TlsConnector {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject as _;
    let mut roots = rustls::RootCertStore::empty();
    for certificate in CertificateDer::pem_slice_iter(server.tls().unwrap().ca_pem().as_bytes()) {
        roots.add(certificate.unwrap()).unwrap();
    }
    let mut config = rustls::ClientConfig::builder_with_provider(std::sync::Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_root_certificates(roots)
    .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec()];
    tokio_rustls::TlsConnector::from(std::sync::Arc::new(config))
}

async fn h2_stream(server: &MockServer) -> tokio_rustls::client::TlsStream<tokio::net::TcpStream> {
    let tcp = tokio::net::TcpStream::connect(server.addr()).await.unwrap();
    let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
    let tls = h2_connector(server).connect(name, tcp).await.unwrap();
    assert_eq!(tls.get_ref().1.alpn_protocol(), Some(&b"h2"[..]));
    tls
}

/// A TLS server (HTTP/2 offered) with short request timeouts.
async fn tls_with_quick_timeouts() -> MockServer {
    MockServer::start(MockConfig {
        tls: Some(airbyte_mock_server::TlsConfig::new()),
        ..quick_timeouts()
    })
    .await
    .unwrap()
}

const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0";

#[tokio::test]
async fn idle_and_stalled_http2_connections_are_closed() {
    let server = tls_with_quick_timeouts().await;
    // Nothing after the handshake; only the preface; a header block that never ends.
    let partial_headers = [H2_PREFACE, b"\0\0\x01\x01\0\0\0\0\x01\x82"].concat();
    for (what, sent) in [
        ("nothing", &b""[..]),
        ("the preface", H2_PREFACE),
        ("a partial header block", &partial_headers[..]),
    ] {
        let mut tls = h2_stream(&server).await;
        tls.write_all(sent).await.unwrap();
        let mut sink = Vec::new();
        let closed = tokio::time::timeout(Duration::from_secs(5), tls.read_to_end(&mut sink)).await;
        assert!(
            closed.is_ok(),
            "an HTTP/2 connection sending {what} is held open"
        );
    }
}

#[tokio::test]
async fn a_busy_http2_connection_is_not_cut() {
    let server = tls_with_quick_timeouts().await;
    let io = hyper_util::rt::TokioIo::new(h2_stream(&server).await);
    let (mut sender, connection) =
        hyper::client::conn::http2::handshake(hyper_util::rt::TokioExecutor::new(), io)
            .await
            .unwrap();
    tokio::spawn(connection);
    // One request slower than the request timeout (handled, not idle)...
    server.set_faults(airbyte_mock_server::FaultConfig {
        script: vec![airbyte_mock_server::FaultAction::Latency { ms: 1_000 }],
        ..airbyte_mock_server::FaultConfig::default()
    });
    // ...then requests over three times the request timeout, on one connection.
    for _ in 0..10 {
        let request = http::Request::get(format!("{}/api/public/v1/health", server.base_url()))
            .body(http_body_util::Empty::<Bytes>::new())
            .unwrap();
        let answer = sender
            .send_request(request)
            .await
            .expect("the connection stays open");
        assert_eq!(answer.status(), 200);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
