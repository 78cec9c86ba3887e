//! Mock control and emulation details: token lifetimes, workspace scopes, job scripts, the
//! clock, checks, faults and the journal.

mod support;

use std::time::Duration;

use airbyte_mock_server::default_world::*;
use airbyte_mock_server::{
    ClientCredential, FaultAction, FaultConfig, MAX_CLOCK_SPEED, MockConfig, MockServer,
};
use serde_json::json;
use support::*;

#[tokio::test]
async fn tokens_expire_after_their_ttl_and_may_overstate_it() {
    let server = MockServer::start(MockConfig {
        token_ttl: Duration::from_secs(1),
        token_ttl_claimed: Some(Duration::from_secs(900)),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let raw = Raw::authenticated(&server.base_url()).await;
    let token = Raw::new(&server.base_url())
        .post(
            "/api/public/v1/applications/token",
            json!({"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}),
        )
        .await
        .json();
    assert_eq!(token["expires_in"], 900, "the claimed lifetime");
    assert_eq!(raw.get("/api/public/v1/workspaces").await.status, 200);
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    assert_eq!(
        raw.get("/api/public/v1/workspaces").await.status,
        401,
        "the real lifetime"
    );
}

#[tokio::test]
async fn scoped_credentials_get_403_outside_their_workspaces() {
    let server = MockServer::start(MockConfig {
        clients: vec![ClientCredential {
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            workspaces: Some(vec![STAGING_WORKSPACE_ID.into()]),
        }],
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let raw = Raw::authenticated(&server.base_url()).await;
    assert_eq!(
        raw.get(&format!("/api/public/v1/workspaces/{STAGING_WORKSPACE_ID}"))
            .await
            .status,
        200
    );
    let forbidden = raw
        .get(&format!("/api/public/v1/sources/{FAKER_SOURCE_ID}"))
        .await;
    assert_eq!(forbidden.status, 403);
    assert_eq!(forbidden.json()["title"], "forbidden");
    let listed = raw.get("/api/public/v1/sources").await.json();
    assert_only_in(&listed, STAGING_WORKSPACE_ID);
    assert_eq!(
        raw.get(&format!(
            "/api/public/v1/sources?workspaceIds={PRODUCTION_WORKSPACE_ID}"
        ))
        .await
        .status,
        403
    );
}

#[tokio::test]
async fn scripted_jobs_fail_or_go_through_incomplete() {
    let (_server, raw) = started().await;
    let put = |outcome: &str| {
        let raw = raw.clone();
        let outcome = outcome.to_owned();
        async move {
            let answer = raw
                .send(
                    "PUT",
                    &format!("/_mock/connections/{FAKER_CONNECTION_ID}/script"),
                    Some(json!({"outcome": outcome, "durationMs": 600})),
                )
                .await;
            assert_eq!(answer.status, 200);
        }
    };
    put("incomplete_then_succeed").await;
    let job_id = start_sync(&raw, FAKER_CONNECTION_ID).await;
    let mut seen = Vec::new();
    for _ in 0..200 {
        let status = raw
            .get(&format!("/api/public/v1/jobs/{job_id}"))
            .await
            .json()["status"]
            .as_str()
            .unwrap()
            .to_owned();
        if seen.last() != Some(&status) {
            seen.push(status.clone());
        }
        if status == "succeeded" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(seen.contains(&"incomplete".to_owned()), "{seen:?}");
    assert_eq!(seen.last().map(String::as_str), Some("succeeded"));
    let info = raw
        .post("/api/v1/jobs/get", json!({"id": job_id}))
        .await
        .json();
    assert_eq!(info["attempts"].as_array().unwrap().len(), 2);
    assert_eq!(info["attempts"][0]["attempt"]["status"], "failed");

    put("fail").await;
    let job_id = start_sync(&raw, FAKER_CONNECTION_ID).await;
    assert_eq!(wait_for_job(&raw, job_id).await["status"], "failed");
}

#[tokio::test]
async fn the_clock_can_be_sped_up_and_advanced() {
    let server = MockServer::start(MockConfig {
        job_duration: Duration::from_secs(3600),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let raw = Raw::authenticated(&server.base_url()).await;
    let job = raw
        .post(
            "/api/public/v1/jobs",
            json!({"connectionId": FAKER_CONNECTION_ID, "jobType": "sync"}),
        )
        .await
        .json();
    let job_id = job["jobId"].as_i64().unwrap();
    assert_eq!(
        raw.post("/_mock/clock/advance", json!({"seconds": 1800}))
            .await
            .status,
        200
    );
    assert_eq!(
        raw.get(&format!("/api/public/v1/jobs/{job_id}"))
            .await
            .json()["status"],
        "running"
    );
    assert_eq!(
        raw.send("PUT", "/_mock/clock", Some(json!({"speed": 100000.0})))
            .await
            .status,
        200
    );
    assert_eq!(wait_for_job(&raw, job_id).await["status"], "succeeded");
}

#[tokio::test]
async fn checks_can_be_scripted() {
    let (_server, raw) = started().await;
    let ok = raw
        .post(
            "/api/v1/sources/check_connection",
            json!({"sourceId": FAKER_SOURCE_ID}),
        )
        .await
        .json();
    assert_eq!(ok["status"], "succeeded");
    let failed = raw
        .post(
            "/api/v1/sources/check_connection",
            json!({"sourceId": FAILING_CHECK_SOURCE_ID}),
        )
        .await
        .json();
    assert_eq!(failed["status"], "failed");
    assert!(failed["message"].as_str().unwrap().contains("revoked"));
    raw.send(
        "PUT",
        &format!("/_mock/checks/{DEV_NULL_DESTINATION_ID}"),
        Some(json!({"status": "crash", "message": "boom"})),
    )
    .await;
    let crashed = raw
        .post(
            "/api/v1/destinations/check_connection",
            json!({"destinationId": DEV_NULL_DESTINATION_ID}),
        )
        .await
        .json();
    assert!(
        crashed.get("status").is_none(),
        "a crashed check has no status"
    );
    assert_eq!(crashed["jobInfo"]["succeeded"], false);
    assert_eq!(
        crashed["jobInfo"]["failureReason"]["externalMessage"],
        "boom"
    );
}

#[tokio::test]
async fn faults_are_injected_from_a_script_and_the_server_keeps_serving() {
    let (server, raw) = started().await;
    server.set_faults(FaultConfig {
        script: vec![
            FaultAction::Status {
                status: 429,
                retry_after_secs: Some(2),
            },
            FaultAction::Status {
                status: 503,
                retry_after_secs: None,
            },
            FaultAction::Malformed,
        ],
        ..FaultConfig::default()
    });
    let limited = raw.get("/api/public/v1/workspaces").await;
    assert_eq!(limited.status, 429);
    assert_eq!(
        limited.json(),
        json!({"message": "You are being rate limited."})
    );
    assert_eq!(limited.headers.get("retry-after").unwrap(), "2");
    assert_eq!(raw.get("/api/public/v1/workspaces").await.status, 503);
    let malformed = raw.get("/api/public/v1/workspaces").await;
    assert_eq!(malformed.status, 200);
    assert!(serde_json::from_slice::<serde_json::Value>(&malformed.bytes).is_err());
    assert_eq!(
        raw.get("/api/public/v1/workspaces").await.status,
        200,
        "the script is used up"
    );

    // Rates are deterministic under the seed: the same run twice injects the same faults.
    let run = || async {
        let server = start_fast().await;
        let raw = Raw::authenticated(&server.base_url()).await;
        server.set_faults(FaultConfig {
            rate_503: 0.3,
            rate_429: 0.2,
            ..FaultConfig::default()
        });
        let mut statuses = Vec::new();
        for _ in 0..40 {
            statuses.push(raw.get("/api/public/v1/workspaces").await.status);
        }
        statuses
    };
    let (first, second) = (run().await, run().await);
    assert_eq!(first, second);
    assert!(first.contains(&503) && first.contains(&429) && first.contains(&200));
}

#[tokio::test]
async fn the_journal_records_requests_with_secrets_redacted() {
    let (_server, raw) = started().await;
    raw.post(
        "/api/public/v1/sources",
        json!({"name": "j", "workspaceId": PRODUCTION_WORKSPACE_ID,
        "configuration": {"sourceType": "faker", "password": "hunter2-journal"}}),
    )
    .await;
    let journal = raw.get("/_mock/journal").await;
    let text = String::from_utf8_lossy(&journal.bytes).into_owned();
    assert!(!text.contains("hunter2-journal"));
    assert!(!text.contains(CLIENT_SECRET));
    let entries = journal.json();
    let entries = entries.as_array().unwrap();
    assert!(entries.iter().any(|e| e["path"] == "/api/public/v1/sources"
        && e["method"] == "POST"
        && e["status"] == 200));
    assert!(
        !text.contains("/_mock/"),
        "control requests are not journaled"
    );
    assert_eq!(raw.send("DELETE", "/_mock/journal", None).await.status, 204);
    assert_eq!(raw.get("/_mock/journal").await.json(), json!([]));
}

/// Numbers `f64` cannot hold and strings that start with the mock's private marker, as a
/// client sends them in a body.
fn exact_numbers_body() -> String {
    format!(
        "{{\"name\": \"\u{e000}-\", \"workspaceId\": \"{PRODUCTION_WORKSPACE_ID}\", \"configuration\": {{\"sourceType\": \"faker\", \"count\": 12345678901234567890123456789, \"ratio\": 0.1000000000000000055511151231257827, \"price\": 1.50}}}}"
    )
}

/// Asserts that JSON text holds the numbers of [`exact_numbers_body`] digit for digit.
fn assert_numbers_as_sent(text: &str) {
    for number in [
        "\"count\":12345678901234567890123456789",
        "\"ratio\":0.1000000000000000055511151231257827",
        "\"price\":1.50",
    ] {
        assert!(text.contains(number), "{number} in {text}");
    }
}

#[tokio::test]
async fn the_library_journal_gives_numbers_as_numbers_and_exact_text() {
    let (server, raw) = started().await;
    let sent = raw
        .send_raw(
            "POST",
            "/api/public/v1/sources",
            Some(exact_numbers_body().into()),
            Some("application/json"),
        )
        .await;
    assert_eq!(sent.status, 200, "{:?}", sent.bytes);
    let journal = server.journal();
    let entry = journal
        .iter()
        .rfind(|entry| entry.method == "POST" && entry.path == "/api/public/v1/sources")
        .unwrap();
    let configuration = &entry.body["configuration"];
    for key in ["count", "ratio", "price"] {
        assert!(configuration[key].is_number(), "{key}: {configuration}");
    }
    assert_eq!(configuration["price"], json!(1.5));
    assert_eq!(
        entry.body["name"], "\u{e000}-",
        "a sent string comes back as sent"
    );
    let text = entry.body_text.as_deref().unwrap();
    assert_numbers_as_sent(text);
    assert!(text.contains("\"name\":\"\u{e000}-\""), "{text}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(text).unwrap(),
        entry.body
    );
}

#[tokio::test]
async fn the_journal_route_gives_numbers_exactly_as_sent() {
    let (_server, raw) = started().await;
    raw.send_raw(
        "POST",
        "/api/public/v1/sources",
        Some(exact_numbers_body().into()),
        Some("application/json"),
    )
    .await;
    let journal = raw.get("/_mock/journal").await;
    let text = String::from_utf8_lossy(&journal.bytes).into_owned();
    assert_numbers_as_sent(&text);
    let entries = journal.json();
    let entry = entries.as_array().unwrap().last().unwrap().clone();
    assert_eq!(entry["body"]["name"], "\u{e000}-");
    assert!(entry.get("bodyText").is_none(), "the body is given once");
}

#[tokio::test]
async fn reset_restores_the_default_world() {
    let (server, raw) = started().await;
    raw.send(
        "DELETE",
        &format!("/api/public/v1/sources/{FAKER_SOURCE_ID}"),
        None,
    )
    .await;
    assert_eq!(
        raw.get(&format!("/api/public/v1/sources/{FAKER_SOURCE_ID}"))
            .await
            .status,
        404
    );
    assert_eq!(raw.post("/_mock/reset", json!({})).await.status, 200);
    // A reset refuses earlier tokens: a new one.
    let raw = Raw::authenticated(&server.base_url()).await;
    assert_eq!(
        raw.get(&format!("/api/public/v1/sources/{FAKER_SOURCE_ID}"))
            .await
            .status,
        200
    );
}

#[tokio::test]
async fn reset_restores_a_world_loaded_from_a_file() {
    let dir = tempfile::Builder::new()
        .prefix("mock-reset-world-")
        .tempdir()
        .unwrap();
    let file = dir.path().join("world.json");
    std::fs::write(&file, include_str!("../fixtures/default-world.json")).unwrap();
    let server = MockServer::start(MockConfig {
        world_file: Some(file.clone()),
        ..MockConfig::default()
    })
    .await
    .unwrap();
    // The world comes from the text read at start, even when the file changes or goes.
    std::fs::remove_file(&file).unwrap();
    let raw = Raw::authenticated(&server.base_url()).await;
    let created = raw
        .post(
            "/api/public/v1/sources",
            json!({"name": "added", "workspaceId": PRODUCTION_WORKSPACE_ID,
                "configuration": {"sourceType": "faker", "count": 1}}),
        )
        .await
        .json();
    let created_path = format!(
        "/api/public/v1/sources/{}",
        created["sourceId"].as_str().unwrap()
    );
    let faker_path = format!("/api/public/v1/sources/{FAKER_SOURCE_ID}");
    raw.send("DELETE", &faker_path, None).await;
    assert_eq!(raw.post("/_mock/reset", json!({})).await.status, 200);
    let raw = Raw::authenticated(&server.base_url()).await;
    assert_eq!(raw.get(&faker_path).await.status, 200);
    assert_eq!(raw.get(&created_path).await.status, 404);
}

#[tokio::test]
async fn patch_merges_configurations_and_keeps_masked_secrets() {
    let (_server, raw) = started().await;
    let source = raw.post("/api/public/v1/sources", json!({"name": "m", "workspaceId": PRODUCTION_WORKSPACE_ID,
        "configuration": {"sourceType": "postgres", "host": "a", "password": "p-1", "ssl": {"mode": "require"}}})).await.json();
    let id = source["sourceId"].as_str().unwrap();
    let patched = raw.send("PATCH", &format!("/api/public/v1/sources/{id}"), Some(json!({"configuration": {"host": "b", "password": "**********", "ssl": {"ca": "x"}}}))).await.json();
    assert_eq!(
        patched["configuration"],
        json!({"host": "b", "password": "**********", "ssl": {"mode": "require", "ca": "x"}})
    );
    let replaced = raw
        .send(
            "PUT",
            &format!("/api/public/v1/sources/{id}"),
            Some(json!({"name": "m2", "configuration": {"host": "c"}})),
        )
        .await
        .json();
    assert_eq!(replaced["configuration"], json!({"host": "c"}));
}

#[tokio::test]
async fn dropped_connections_apply_the_request_or_not_as_scripted() {
    let (server, raw) = started().await;
    let create = |name: &str| json!({"name": name, "workspaceId": STAGING_WORKSPACE_ID, "configuration": {"destinationType": "dev-null"}});
    server.set_faults(FaultConfig {
        script: vec![
            FaultAction::ResetBeforeRead,
            FaultAction::ResetAfterRead,
            FaultAction::Truncated,
        ],
        ..FaultConfig::default()
    });
    assert!(
        raw.try_send(
            "POST",
            "/api/public/v1/destinations",
            Some(create("before"))
        )
        .await
        .is_none()
    );
    assert!(
        raw.try_send("POST", "/api/public/v1/destinations", Some(create("after")))
            .await
            .is_none()
    );
    assert!(
        raw.try_send(
            "POST",
            "/api/public/v1/destinations",
            Some(create("truncated"))
        )
        .await
        .is_none()
    );
    let names: Vec<String> = raw
        .get(&format!(
            "/api/public/v1/destinations?workspaceIds={STAGING_WORKSPACE_ID}"
        ))
        .await
        .json()["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        !names.contains(&"before".to_owned()),
        "dropped before: not applied"
    );
    assert!(
        names.contains(&"after".to_owned()),
        "dropped after: applied"
    );
    assert!(
        names.contains(&"truncated".to_owned()),
        "truncated: applied"
    );
    let journal = server.journal();
    assert_eq!(journal.iter().filter(|entry| entry.status == 0).count(), 2);
}

#[tokio::test]
async fn absurd_clock_speeds_are_refused_at_the_control_route() {
    let (_server, raw) = started().await;
    for speed in [1e308, MAX_CLOCK_SPEED * 2.0, -1.0] {
        let refused = raw
            .send("PUT", "/_mock/clock", Some(json!({"speed": speed})))
            .await;
        assert_eq!(refused.status, 400, "{speed}");
        let message = refused.json()["data"]["message"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(message.contains("1000000"), "the bound is named: {message}");
    }
    assert_eq!(raw.get("/_mock/clock").await.json()["speed"], 1.0);
    let fastest = raw
        .send(
            "PUT",
            "/_mock/clock",
            Some(json!({"speed": MAX_CLOCK_SPEED})),
        )
        .await;
    assert_eq!(fastest.status, 200);
    assert_eq!(fastest.json()["speed"], MAX_CLOCK_SPEED);
}

#[tokio::test]
async fn absurd_clock_speeds_are_refused_at_start() {
    for speed in [1e308, f64::INFINITY, f64::NAN, -1.0] {
        let refused = MockServer::start(MockConfig {
            clock_speed: speed,
            ..MockConfig::default()
        })
        .await;
        match refused {
            Err(airbyte_mock_server::Error::Config { reason }) => {
                assert!(reason.contains("clock speed"), "{speed}: {reason}");
            }
            Err(other) => panic!("{speed}: {other}"),
            Ok(_) => panic!("{speed}: started"),
        }
    }
}

#[tokio::test]
async fn a_clock_far_in_the_future_still_gives_timestamps() {
    let (_server, raw) = started().await;
    // Each jump is allowed; together they take the clock past what a date can say.
    for _ in 0..3 {
        assert_eq!(
            raw.post("/_mock/clock/advance", json!({"seconds": 1e12}))
                .await
                .status,
            200
        );
    }
    raw.send(
        "PUT",
        "/_mock/clock",
        Some(json!({"speed": MAX_CLOCK_SPEED})),
    )
    .await;
    let now = raw.get("/_mock/clock").await.json()["nowMs"]
        .as_i64()
        .unwrap();
    assert!(now <= 253_402_300_799_999, "{now}");
    // Time stops at the end of the dates: a job started there stays where it is, and says
    // when it started.
    let job_id = start_sync(&raw, FAKER_CONNECTION_ID).await;
    let job = raw
        .get(&format!("/api/public/v1/jobs/{job_id}"))
        .await
        .json();
    assert!(
        job["startTime"].as_str().unwrap().starts_with("9999-"),
        "{job}"
    );
    let listed = raw
        .get(&format!(
            "/api/public/v1/jobs?connectionId={FAKER_CONNECTION_ID}"
        ))
        .await
        .json();
    for job in listed["data"].as_array().unwrap() {
        assert!(job["startTime"].is_string(), "{job}");
    }
    let config = raw
        .post("/api/v1/jobs/get", json!({"id": job_id}))
        .await
        .json();
    assert!(config["job"]["createdAt"].is_i64(), "{config}");
}

/// A client holding a token minted with these credentials.
async fn minted(server: &MockServer, client_id: &str, client_secret: &str) -> Raw {
    let mut raw = Raw::new(&server.base_url());
    let answer = raw
        .post(
            "/api/public/v1/applications/token",
            json!({"client_id": client_id, "client_secret": client_secret}),
        )
        .await;
    assert_eq!(answer.status, 200, "{:?}", answer.bytes);
    raw.token = Some(answer.json()["access_token"].as_str().unwrap().to_owned());
    raw
}

/// Creates an application and returns its client ID and secret.
async fn new_application(raw: &Raw) -> (String, String) {
    let created = raw
        .post("/api/public/v1/applications", json!({"name": "ci"}))
        .await;
    assert_eq!(created.status, 200, "{:?}", created.bytes);
    let created = created.json();
    (
        created["clientId"].as_str().unwrap().to_owned(),
        created["clientSecret"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn tokens_minted_before_a_reset_are_refused_after_it_even_with_the_same_seed() {
    // A fixed seed: after the reset the world hands out the very same IDs and secrets.
    let server = start_fast().await;
    let operator = minted(&server, CLIENT_ID, CLIENT_SECRET).await;
    let (client_id, client_secret) = new_application(&operator).await;
    let application = minted(&server, &client_id, &client_secret).await;
    let scoped = operator
        .post(
            "/api/public/v1/embedded/scoped_token",
            json!({"workspaceId": PRODUCTION_WORKSPACE_ID}),
        )
        .await
        .json()["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut embedded = Raw::new(&server.base_url());
    embedded.token = Some(scoped);
    let workspace = format!("/api/public/v1/workspaces/{PRODUCTION_WORKSPACE_ID}");
    for raw in [&operator, &application, &embedded] {
        assert_eq!(raw.get(&workspace).await.status, 200);
    }

    assert_eq!(
        Raw::new(&server.base_url())
            .post("/_mock/reset", json!({}))
            .await
            .status,
        200
    );
    for raw in [&operator, &application, &embedded] {
        assert_eq!(raw.get(&workspace).await.status, 401);
    }
    // The same application again, with the same credentials: its old token stays refused,
    // a new one works.
    let operator = minted(&server, CLIENT_ID, CLIENT_SECRET).await;
    assert_eq!(
        new_application(&operator).await,
        (client_id.clone(), client_secret.clone())
    );
    assert_eq!(application.get(&workspace).await.status, 401);
    let renewed = minted(&server, &client_id, &client_secret).await;
    assert_eq!(renewed.get(&workspace).await.status, 200);

    // The library's reset is the same reset.
    server.reset().unwrap();
    assert_eq!(renewed.get(&workspace).await.status, 401);
    assert_eq!(operator.get(&workspace).await.status, 401);
}

#[tokio::test]
async fn every_list_answers_403_for_an_unreachable_workspace_and_404_for_an_unknown_one() {
    const SCOPED_ID: &str = "scoped-client";
    const SCOPED_SECRET: &str = "scoped-secret";
    let server = MockServer::start(MockConfig {
        clients: vec![
            ClientCredential::unrestricted(CLIENT_ID, CLIENT_SECRET),
            ClientCredential {
                client_id: SCOPED_ID.into(),
                client_secret: SCOPED_SECRET.into(),
                workspaces: Some(vec![STAGING_WORKSPACE_ID.into()]),
            },
        ],
        ..MockConfig::default()
    })
    .await
    .unwrap();
    let operator = minted(&server, CLIENT_ID, CLIENT_SECRET).await;
    let scoped = minted(&server, SCOPED_ID, SCOPED_SECRET).await;
    let unknown = "0f0f0f0f-0000-4000-8000-000000000000";
    for list in [
        "workspaces",
        "sources",
        "destinations",
        "connections",
        "jobs",
        "tags",
    ] {
        let path = |workspace: &str| format!("/api/public/v1/{list}?workspaceIds={workspace}");
        let status = |raw: &Raw, workspace: &str| {
            let (raw, path) = (raw.clone(), path(workspace));
            async move { raw.get(&path).await.status }
        };
        assert_eq!(status(&operator, unknown).await, 404, "{list}: unknown");
        assert_eq!(
            status(&scoped, PRODUCTION_WORKSPACE_ID).await,
            403,
            "{list}: out of reach"
        );
        assert_eq!(
            status(&scoped, unknown).await,
            403,
            "{list}: unknown and out of reach: existence is not revealed"
        );
        assert_eq!(
            status(&operator, PRODUCTION_WORKSPACE_ID).await,
            200,
            "{list}: known and reachable"
        );
        assert_eq!(
            status(&scoped, STAGING_WORKSPACE_ID).await,
            200,
            "{list}: within the scope"
        );
        // Several workspaces, in both spellings: one unknown among known ones is still 404.
        for several in [
            format!("{PRODUCTION_WORKSPACE_ID},{unknown}"),
            format!("{PRODUCTION_WORKSPACE_ID}&workspaceIds={unknown}"),
        ] {
            assert_eq!(status(&operator, &several).await, 404, "{list}: {several}");
        }
    }
}
