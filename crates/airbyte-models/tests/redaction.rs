//! Secrets never appear in `Debug` output of models, however deep they sit.

use airbyte_models::*;
use serde_json::json;

const SENTINEL: &str = "S3NT1NEL-do-not-leak";

fn config_with_sentinels() -> ConnectorConfig {
    ConnectorConfig::from(json!({
        "host": "db.internal",
        "password": SENTINEL,
        "tunnel_method": {"tunnel_method": "SSH_KEY_AUTH", "ssh_key": SENTINEL},
        "credentials": {"auth_type": "OAuth2.0", "client_id": "id", "client_secret": SENTINEL,
                        "refresh_token": SENTINEL},
        "replication": [{"slots": [{"api_key": SENTINEL, "name": "fine"}]}],
        "jdbc": {"nested": {"deeper": {"Private-Key": SENTINEL}}},
        "service_account_info": SENTINEL,
    }))
}

#[test]
fn connector_config_debug_hides_secrets_at_every_depth() {
    let config = config_with_sentinels();
    let debug = format!("{config:?}");
    assert!(!debug.contains(SENTINEL), "{debug}");
    assert!(debug.contains("db.internal"));
    assert!(debug.contains("fine"));
    // Serialization stays exact.
    let encoded = serde_json::to_string(&config).unwrap();
    assert_eq!(encoded.matches(SENTINEL).count(), 7);
}

#[test]
fn models_that_carry_configurations_or_tokens_hide_them() {
    let source = SourceResponse {
        source_id: "s".parse().unwrap(),
        name: "pg".into(),
        source_type: "postgres".into(),
        definition_id: Some("d".parse().unwrap()),
        workspace_id: "w".parse().unwrap(),
        configuration: config_with_sentinels(),
        created_at: EpochSeconds::new(0),
        resource_allocation: None,
    };
    let create = SourceCreateRequest::new("pg", "w".parse().unwrap(), config_with_sentinels());
    let testing = UpdateTestingValuesRequest {
        workspace_id: "w".parse().unwrap(),
        builder_project_id: "b".parse().unwrap(),
        spec: json!({}),
        testing_values: config_with_sentinels(),
    };
    let token_request = AccessTokenRequest::client_credentials("client", SENTINEL);
    let token_response = AccessTokenResponse {
        access_token: SENTINEL.into(),
        token_type: "Bearer".into(),
        expires_in: Some(900),
    };
    let create_op = ops::public::sources::create(&create);
    for debug in [
        format!("{source:?}"),
        format!("{create:?}"),
        format!("{testing:?}"),
        format!("{token_request:?}"),
        format!("{token_response:?}"),
        format!("{create_op:?}"),
        format!("{:?}", ops::public::auth::token(&token_request)),
    ] {
        assert!(!debug.contains(SENTINEL), "leaked: {debug}");
    }
}
