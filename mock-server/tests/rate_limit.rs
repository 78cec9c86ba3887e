//! The rate limit per credential and the latency range, as a client sees them on the wire.

mod support;

use std::time::{Duration, Instant};

use airbyte_mock_server::{ClientCredential, FaultConfig, MockConfig, MockServer, RateLimit};
use serde_json::json;
use support::{CLIENT_ID, CLIENT_SECRET, Raw};

const SOURCES: &str = "/api/public/v1/sources";

/// A limit so slow that no token comes back during a test: only the burst passes.
fn burst_only(burst: u32) -> RateLimit {
    RateLimit::per_second(0.001).unwrap().with_burst(burst)
}

async fn limited(limit: RateLimit, clients: Vec<ClientCredential>) -> MockServer {
    MockServer::start(MockConfig {
        rate_limit: Some(limit),
        clients,
        seed: Some(3),
        ..MockConfig::default()
    })
    .await
    .unwrap()
}

/// A client authenticated with these credentials.
async fn client_of(server: &MockServer, id: &str, secret: &str) -> Raw {
    let mut raw = Raw::new(&server.base_url());
    let answer = raw
        .post(
            "/api/public/v1/applications/token",
            json!({"client_id": id, "client_secret": secret}),
        )
        .await;
    assert_eq!(answer.status, 200, "{:?}", answer.bytes);
    raw.token = Some(answer.json()["access_token"].as_str().unwrap().to_owned());
    raw
}

#[tokio::test]
async fn requests_over_the_limit_get_429_with_the_real_body_and_no_retry_after() {
    let server = limited(
        burst_only(3),
        vec![ClientCredential::unrestricted(CLIENT_ID, CLIENT_SECRET)],
    )
    .await;
    let raw = client_of(&server, CLIENT_ID, CLIENT_SECRET).await;
    let mut statuses = Vec::new();
    for _ in 0..5 {
        statuses.push(raw.get(SOURCES).await);
    }
    let codes: Vec<u16> = statuses.iter().map(|answer| answer.status).collect();
    assert_eq!(codes, [200, 200, 200, 429, 429]);
    let refused = &statuses[3];
    assert_eq!(
        refused.json(),
        json!({"message": "You are being rate limited."})
    );
    assert_eq!(refused.content_type.as_deref(), Some("application/json"));
    assert!(
        refused.headers.get("retry-after").is_none(),
        "Airbyte Cloud sends no Retry-After: {:?}",
        refused.headers
    );
    // A refused request changed nothing: a create over the limit creates nothing.
    let create = raw
        .post(
            SOURCES,
            json!({"name": "refused", "workspaceId": airbyte_mock_server::default_world::PRODUCTION_WORKSPACE_ID,
                   "configuration": {"sourceType": "faker", "count": 1}}),
        )
        .await;
    assert_eq!(create.status, 429);
    let stats = Raw::new(&server.base_url())
        .get("/_mock/stats")
        .await
        .json();
    assert_eq!(stats["rateLimited"], 3, "{stats}");
    // The journal shows each refusal.
    let journal = Raw::new(&server.base_url())
        .get("/_mock/journal")
        .await
        .json();
    let refused_in_journal = journal
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["status"] == 429)
        .count();
    assert_eq!(refused_in_journal, 3);
}

#[tokio::test]
async fn the_bucket_refills_at_its_rate() {
    // 20 per second, a burst of 1: after a refusal, a token is back within 50 ms.
    let server = limited(
        RateLimit::per_second(20.0).unwrap().with_burst(1),
        vec![ClientCredential::unrestricted(CLIENT_ID, CLIENT_SECRET)],
    )
    .await;
    let raw = client_of(&server, CLIENT_ID, CLIENT_SECRET).await;
    assert_eq!(raw.get(SOURCES).await.status, 200);
    assert_eq!(raw.get(SOURCES).await.status, 429);
    tokio::time::sleep(Duration::from_millis(60)).await;
    assert_eq!(raw.get(SOURCES).await.status, 200);
}

#[tokio::test]
async fn each_credential_has_its_own_bucket_and_tokens_are_not_limited() {
    let server = limited(
        burst_only(2),
        vec![
            ClientCredential::unrestricted(CLIENT_ID, CLIENT_SECRET),
            ClientCredential::unrestricted("second-client", "second-secret"),
        ],
    )
    .await;
    let first = client_of(&server, CLIENT_ID, CLIENT_SECRET).await;
    for expected in [200, 200, 429] {
        assert_eq!(first.get(SOURCES).await.status, expected);
    }
    // A new token of the same client shares its bucket: minting again does not reset it.
    let again = client_of(&server, CLIENT_ID, CLIENT_SECRET).await;
    assert_eq!(again.get(SOURCES).await.status, 429);
    // Another client is not held back by the first one's traffic.
    let second = client_of(&server, "second-client", "second-secret").await;
    assert_eq!(second.get(SOURCES).await.status, 200);
    // A request without valid credentials is refused for that, not counted.
    let anonymous = Raw::new(&server.base_url());
    assert_eq!(anonymous.get(SOURCES).await.status, 401);
}

#[tokio::test]
async fn a_reset_refills_every_bucket() {
    let server = limited(
        burst_only(1),
        vec![ClientCredential::unrestricted(CLIENT_ID, CLIENT_SECRET)],
    )
    .await;
    let raw = client_of(&server, CLIENT_ID, CLIENT_SECRET).await;
    assert_eq!(raw.get(SOURCES).await.status, 200);
    assert_eq!(raw.get(SOURCES).await.status, 429);
    let control = Raw::new(&server.base_url());
    assert_eq!(control.post("/_mock/reset", json!({})).await.status, 200);
    // Tokens from before the reset are refused: a new one, for the same credential's bucket.
    let raw = client_of(&server, CLIENT_ID, CLIENT_SECRET).await;
    assert_eq!(raw.get(SOURCES).await.status, 200);
    assert_eq!(control.get("/_mock/stats").await.json()["rateLimited"], 0);
}

#[tokio::test]
async fn without_a_limit_nothing_is_refused() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let raw = Raw::authenticated(&server.base_url()).await;
    for _ in 0..50 {
        assert_eq!(raw.get(SOURCES).await.status, 200);
    }
}

#[tokio::test]
async fn a_latency_range_delays_every_request_by_at_least_its_least_value() {
    let server = MockServer::start(MockConfig {
        faults: FaultConfig {
            latency_min_ms: 40,
            latency_max_ms: 60,
            ..FaultConfig::default()
        },
        seed: Some(5),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let raw = Raw::authenticated(&server.base_url()).await;
    for _ in 0..5 {
        let started = Instant::now();
        assert_eq!(raw.get(SOURCES).await.status, 200);
        assert!(
            started.elapsed() >= Duration::from_millis(40),
            "{:?}",
            started.elapsed()
        );
    }
}

#[tokio::test]
async fn the_limit_can_be_set_and_lifted_at_run_time_and_a_reset_restores_it() {
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let raw = Raw::authenticated(&server.base_url()).await;
    let control = Raw::new(&server.base_url());
    assert_eq!(control.get("/_mock/rate-limit").await.json(), json!(null));
    server.set_rate_limit(Some(burst_only(1)));
    assert_eq!(raw.get(SOURCES).await.status, 200);
    assert_eq!(raw.get(SOURCES).await.status, 429);
    let lifted = control
        .send("PUT", "/_mock/rate-limit", Some(json!(null)))
        .await;
    assert_eq!(lifted.status, 200);
    assert_eq!(raw.get(SOURCES).await.status, 200);
    let set = control
        .send(
            "PUT",
            "/_mock/rate-limit",
            Some(json!({"perSecond": 0.001, "burst": 2})),
        )
        .await;
    assert_eq!(set.status, 200, "{:?}", set.bytes);
    assert_eq!(control.get("/_mock/rate-limit").await.json()["burst"], 2);
    for expected in [200, 200, 429] {
        assert_eq!(raw.get(SOURCES).await.status, expected);
    }
    let refused = control
        .send(
            "PUT",
            "/_mock/rate-limit",
            Some(json!({"perSecond": -1, "burst": 2})),
        )
        .await;
    assert_eq!(refused.status, 400);
    // A reset puts back the settings' limit: none.
    assert_eq!(control.post("/_mock/reset", json!({})).await.status, 200);
    let raw = client_of(&server, CLIENT_ID, CLIENT_SECRET).await;
    for _ in 0..5 {
        assert_eq!(raw.get(SOURCES).await.status, 200);
    }
}

#[tokio::test]
async fn bad_limits_rates_and_latency_ranges_given_as_a_library_are_refused_at_start() {
    let faults = |faults: FaultConfig| MockConfig {
        faults,
        ..MockConfig::default()
    };
    let limit = |per_second: f64| MockConfig {
        rate_limit: Some(RateLimit {
            per_second,
            burst: 5,
        }),
        ..MockConfig::default()
    };
    // The least latency above the most was lowered silently (and with no most, dropped).
    for (config, says) in [
        (
            faults(FaultConfig {
                latency_min_ms: 80,
                latency_max_ms: 20,
                ..FaultConfig::default()
            }),
            "latency",
        ),
        (
            faults(FaultConfig {
                latency_min_ms: 50,
                ..FaultConfig::default()
            }),
            "latency",
        ),
        (
            faults(FaultConfig {
                rate_429: 1.5,
                ..FaultConfig::default()
            }),
            "rate_429",
        ),
        (
            faults(FaultConfig {
                rate_500: -0.1,
                ..FaultConfig::default()
            }),
            "rate_500",
        ),
        (
            faults(FaultConfig {
                rate_503: f64::NAN,
                ..FaultConfig::default()
            }),
            "rate_503",
        ),
        (limit(0.0), "rate limit"),
        (limit(f64::NAN), "rate limit"),
        (limit(-3.0), "rate limit"),
    ] {
        let error = MockServer::start(config).await.expect_err(says).to_string();
        assert!(error.contains(says), "{error}");
    }
    // The control route refuses them too, and keeps what it had.
    let server = MockServer::start(MockConfig::default()).await.unwrap();
    let control = Raw::new(&server.base_url());
    for body in [
        json!({"latencyMinMs": 80, "latencyMaxMs": 20}),
        json!({"rate429": 2}),
    ] {
        let answer = control.send("PUT", "/_mock/faults", Some(body)).await;
        assert_eq!(answer.status, 400, "{:?}", answer.bytes);
    }
    assert_eq!(control.get("/_mock/faults").await.json()["latencyMinMs"], 0);
}
