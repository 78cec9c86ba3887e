//! Settings from the environment and their precedence, credentials, token expiry during a long
//! wait, and a workflow that sees injected 503s and 429s without an error or a duplicate.

use std::collections::HashMap;
use std::time::Duration;

use airbyte::mock::{FaultConfig, MockConfig, default_world};
use airbyte::prelude::*;
use airbyte_e2e::*;
use serde_json::json;

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

#[tokio::test]
async fn explicit_settings_beat_airbyte_which_beat_airbyte_cloud() {
    let server = mock().await;
    let root = server.public_api_root();
    let vars = [
        ("AIRBYTE_CLOUD_WORKSPACE_ID", "from-cloud-var"),
        ("AIRBYTE_WORKSPACE_ID", WORKSPACE),
        ("AIRBYTE_CLOUD_API_URL", root.as_str()),
        ("AIRBYTE_CLOUD_CLIENT_ID", airbyte::mock::DEFAULT_CLIENT_ID),
        (
            "AIRBYTE_CLIENT_SECRET",
            airbyte::mock::DEFAULT_CLIENT_SECRET,
        ),
        ("AIRBYTE_CLOUD_CLIENT_SECRET", "a-wrong-secret"),
    ];
    let workspace = airbyte::cloud::CloudWorkspaceBuilder::from_env_source(env(&vars))
        .build()
        .unwrap();
    assert_eq!(
        workspace.id().as_str(),
        WORKSPACE,
        "AIRBYTE_* wins over AIRBYTE_CLOUD_*"
    );
    workspace
        .connect()
        .await
        .expect("the AIRBYTE_CLIENT_SECRET was used");

    let explicit = airbyte::cloud::CloudWorkspaceBuilder::from_env_source(env(&vars))
        .workspace_id(STAGING)
        .build()
        .unwrap();
    assert_eq!(explicit.id().as_str(), STAGING, "explicit wins");
    assert_eq!(
        explicit.roots().public(),
        root,
        "an explicit value does not stop other env lookups"
    );

    // An explicit token keeps the workspace and root from the environment.
    let with_token = airbyte::cloud::CloudWorkspaceBuilder::from_env_source(env(&vars))
        .bearer_token("t")
        .build()
        .unwrap();
    assert_eq!(with_token.id().as_str(), WORKSPACE);
    assert_eq!(with_token.client().credentials_kind(), "bearer token");
}

#[test]
fn contradictory_or_missing_settings_are_clear_errors() {
    let build = |pairs: &[(&str, &str)]| {
        airbyte::cloud::CloudWorkspaceBuilder::from_env_source(env(pairs)).build()
    };
    let both = build(&[
        ("AIRBYTE_CLOUD_WORKSPACE_ID", "w"),
        ("AIRBYTE_CLOUD_BEARER_TOKEN", "t"),
        ("AIRBYTE_CLOUD_CLIENT_ID", "i"),
        ("AIRBYTE_CLOUD_CLIENT_SECRET", "s"),
    ])
    .unwrap_err();
    assert!(both.to_string().contains("both a bearer token"), "{both}");
    let half = build(&[
        ("AIRBYTE_CLOUD_WORKSPACE_ID", "w"),
        ("AIRBYTE_CLOUD_CLIENT_ID", "i"),
    ])
    .unwrap_err();
    assert!(half.to_string().contains("no client secret"), "{half}");
    let none = build(&[("AIRBYTE_CLOUD_WORKSPACE_ID", "w")]).unwrap_err();
    assert!(
        none.to_string().contains("AIRBYTE_CLOUD_CLIENT_ID"),
        "{none}"
    );
    let empty_is_unset = build(&[
        ("AIRBYTE_CLOUD_WORKSPACE_ID", "w"),
        ("AIRBYTE_BEARER_TOKEN", ""),
        ("AIRBYTE_CLOUD_BEARER_TOKEN", "t"),
    ])
    .unwrap();
    assert_eq!(empty_is_unset.client().credentials_kind(), "bearer token");
    let no_workspace = build(&[("AIRBYTE_CLOUD_BEARER_TOKEN", "t")]).unwrap_err();
    assert!(
        no_workspace
            .to_string()
            .contains("AIRBYTE_CLOUD_WORKSPACE_ID"),
        "{no_workspace}"
    );
    let explicit_both = CloudWorkspace::builder()
        .workspace_id("w")
        .bearer_token("t")
        .client_credentials("i", "s")
        .build()
        .unwrap_err();
    assert!(
        matches!(explicit_both, Error::Settings { .. }),
        "{explicit_both}"
    );
    let bad_root = build(&[
        ("AIRBYTE_CLOUD_WORKSPACE_ID", "w"),
        ("AIRBYTE_CLOUD_BEARER_TOKEN", "t"),
        ("AIRBYTE_CLOUD_API_URL", "https://proxy.example/airbyte"),
    ])
    .unwrap_err();
    assert!(
        bad_root.to_string().contains("config_api_root"),
        "the root is checked at build time: {bad_root}"
    );
    CloudWorkspace::builder()
        .workspace_id("w")
        .no_auth()
        .build()
        .unwrap();
}

#[test]
fn secrets_stay_out_of_debug_output() {
    let builder = CloudWorkspace::builder()
        .workspace_id("w")
        .client_credentials("id", "SECRET-sentinel-42");
    assert!(!format!("{builder:?}").contains("SECRET-sentinel-42"));
    let workspace = builder.build().unwrap();
    assert!(!format!("{workspace:?}").contains("SECRET-sentinel-42"));
    assert!(!format!("{:?}", workspace.client()).contains("SECRET-sentinel-42"));
}

#[tokio::test]
async fn wrong_credentials_are_an_authentication_error() {
    let server = mock().await;
    let workspace = builder(&server)
        .client_credentials(airbyte::mock::DEFAULT_CLIENT_ID, "wrong")
        .build()
        .unwrap();
    let error = workspace.connect().await.unwrap_err();
    assert!(
        error
            .transport()
            .is_some_and(airbyte::transport::Error::is_authentication),
        "{error}"
    );
}

#[tokio::test]
async fn a_token_that_expires_during_a_long_wait_is_renewed() {
    // The server says its tokens live 1 s but accepts them for 10 minutes: the client must
    // renew on the lifetime it was told, and no request can race a real expiry (a request
    // sent just before the expiry and read just after it was refused, now and then, under
    // load).
    let server = mock_with(MockConfig {
        token_ttl: Duration::from_secs(600),
        token_ttl_claimed: Some(Duration::from_secs(1)),
        ..MockConfig::default()
    })
    .await;
    // The job ends 2.5 s after it starts on the mock's clock, which runs at wall speed and
    // only ever later under load: the poll that sees it end comes more than a token lifetime
    // after the first token was minted (before the job was started).
    server
        .script_connection(
            default_world::FAKER_CONNECTION_ID,
            airbyte::mock::Outcome::Succeed,
            Some(Duration::from_millis(2_500)),
        )
        .unwrap();
    let workspace = workspace(&server);
    let connection = workspace
        .connection(default_world::FAKER_CONNECTION_ID)
        .unwrap();
    let sync = connection
        .run_sync()
        .wait_options(fast_wait())
        .await
        .unwrap();
    assert_eq!(sync.status().await.unwrap(), JobStatus::Succeeded);
    // The server refused nothing, so every token after the first was a renewal on the
    // client's own schedule: a client that never renews, or renews only on a 401, mints one.
    assert!(
        server.journal().iter().all(|entry| entry.status != 401),
        "a token was refused"
    );
    let tokens = requests(&server, "POST", "/applications/token");
    assert!(
        tokens >= 2,
        "the token was renewed during the wait ({tokens} token requests)"
    );
}

#[tokio::test]
async fn injected_503s_and_429s_never_surface_nor_duplicate() {
    let server = mock().await;
    server.set_faults(FaultConfig {
        rate_503: 0.10,
        rate_429: 0.05,
        ..FaultConfig::default()
    });
    let workspace = builder(&server)
        .retry(RetryConfig {
            max_attempts: 10,
            ..fast_retry()
        })
        .build()
        .unwrap();
    for round in 0..5 {
        let source = workspace
            .deploy_source(format!("faulty-{round} (delete-me)"), "faker", json!({}))
            .await
            .unwrap();
        let destination = workspace
            .deploy_destination(format!("faulty-{round} (delete-me)"), "dev-null", json!({}))
            .await
            .unwrap();
        let connection = workspace
            .deploy_connection(&source, &destination)
            .name(format!("faulty-{round} (delete-me)"))
            .streams(["users"])
            .await
            .unwrap();
        connection
            .run_sync()
            .wait_options(fast_wait())
            .await
            .unwrap();
        assert!(!connection.job_history().collect().await.unwrap().is_empty());
        assert_eq!(
            workspace
                .list_sources()
                .name(format!("faulty-{round} (delete-me)"))
                .collect()
                .await
                .unwrap()
                .len(),
            1,
            "no duplicate source"
        );
        assert_eq!(
            workspace
                .list_destinations()
                .name(format!("faulty-{round} (delete-me)"))
                .collect()
                .await
                .unwrap()
                .len(),
            1
        );
        connection
            .permanently_delete(DeleteConnection {
                cascade_source: true,
                cascade_destination: true,
                safe_mode: true,
                delete_dependents: false,
            })
            .await
            .unwrap();
    }
    let injected = server
        .journal()
        .iter()
        .filter(|entry| matches!(entry.status, 429 | 503))
        .count();
    assert!(injected >= 5, "faults were injected ({injected})");
    assert!(workspace.client().stats().retries >= injected as u64);
}
