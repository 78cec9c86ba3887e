//! OAuth through the transport: the documentation redirect, a consent flow from
//! `initiateOAuth` through the callback to a source created with the flow's secret, and the
//! OAuth credential overrides of workspaces and organizations that change the client the
//! consent URL names.

use airbyte::mock::default_world;
use airbyte::models::ops::public;
use airbyte::models::{
    ActorType, ConnectorConfig, InitiateOauthRequest, OAuthCredentialsRequest, SourceCreateRequest,
    SourceId, WorkspaceId,
};
use airbyte_e2e::*;
use serde_json::json;

fn production() -> WorkspaceId {
    WORKSPACE.parse().unwrap()
}

fn initiate(connector: &str) -> InitiateOauthRequest {
    InitiateOauthRequest::new(
        connector,
        "https://app.example.com/oauth/done?step=2",
        production(),
    )
}

/// The value of a query parameter of a URL.
fn param(url: &str, key: &str) -> Option<String> {
    airbyte::models::Redirect {
        location: url.to_owned(),
    }
    .query_param(key)
}

fn client_override(client_id: &str) -> OAuthCredentialsRequest {
    OAuthCredentialsRequest {
        actor_type: ActorType::Source,
        name: "google-ads".to_owned(),
        configuration: ConnectorConfig::new(
            json!({"credentials": {"client_id": client_id, "client_secret": "shh"}}),
        ),
    }
}

/// Starts a Google Ads consent flow; the URL the user is sent to.
async fn consent_url(api: &airbyte::transport::Client) -> String {
    api.execute(public::oauth::initiate(&initiate("google-ads")))
        .await
        .unwrap()
        .consent_url
}

#[tokio::test]
async fn the_api_root_redirects_to_the_documentation() {
    let server = mock().await;
    let redirect = api(&server)
        .execute(public::auth::documentation())
        .await
        .unwrap();
    assert_eq!(
        redirect.location,
        "https://reference.airbyte.com/reference/start"
    );
}

#[tokio::test]
async fn the_journal_keeps_no_callback_code_or_state() {
    const CODE: &str = "C0DE-from-the-provider";
    let server = mock().await;
    let api = api(&server);
    let consent = consent_url(&api).await;
    let state = param(&consent, "state").unwrap();
    api.execute(public::oauth::callback(&state, CODE))
        .await
        .unwrap();
    let journal = server.journal();
    let callback = journal
        .iter()
        .find(|entry| entry.path.ends_with("/oauth/callback"))
        .expect("the callback was journaled");
    assert_eq!(callback.status, 302);
    let recorded = format!("{journal:?}");
    for secret in [CODE, state.as_str()] {
        assert!(!recorded.contains(secret), "{secret} in {recorded}");
    }
    assert!(callback.query.contains("code=") && callback.query.contains("state="));
}

#[tokio::test]
async fn a_consent_flow_ends_in_a_source_with_its_credentials() {
    let server = mock().await;
    let api = api(&server);
    let consent = consent_url(&api).await;
    assert!(consent.contains("/google-ads/authorize"), "{consent}");
    assert_eq!(
        param(&consent, "client_id").as_deref(),
        Some("airbyte-google-ads-oauth-client")
    );
    let redirect_uri = param(&consent, "redirect_uri").unwrap();
    assert!(
        redirect_uri.ends_with("/v1/oauth/callback"),
        "{redirect_uri}"
    );
    let state = param(&consent, "state").unwrap();
    // The identity provider sends the user to the callback, which needs no credentials.
    let callback = api
        .execute(public::oauth::callback(&state, "code-from-the-provider"))
        .await
        .unwrap();
    assert!(
        callback
            .location
            .starts_with("https://app.example.com/oauth/done?step=2&secret_id="),
        "{}",
        callback.location
    );
    let secret_id = callback.query_param("secret_id").unwrap();
    let mut request = SourceCreateRequest::new(
        "Ads",
        production(),
        ConnectorConfig::new(json!({"customer_id": "123"})),
    );
    request.definition_id = Some(default_world::GOOGLE_ADS_DEFINITION_ID.parse().unwrap());
    request.secret_id = Some(secret_id.clone());
    // Without the flow's secret the source has no credentials.
    let mut without = request.clone();
    without.secret_id = None;
    let bare = api
        .execute(public::sources::create(&without))
        .await
        .unwrap();
    assert_eq!(bare.configuration.get("credentials"), None);
    let source = api
        .execute(public::sources::create(&request))
        .await
        .unwrap();
    // The flow supplied every credential; under `credentials` the server masks them all.
    let credentials = source.configuration.get("credentials").unwrap();
    for key in ["client_id", "refresh_token"] {
        assert_eq!(credentials[key], "**********", "{key}");
    }
    // The state was used once: a second callback fails like the server's.
    let (status, title) = problem_of(api.execute(public::oauth::callback(&state, "again")).await);
    assert_eq!(
        (status, title.as_deref()),
        (500, Some("oauth-callback-failure"))
    );
    // The secret belongs to its workspace.
    let mut elsewhere = request.clone();
    elsewhere.workspace_id = STAGING.parse().unwrap();
    assert_eq!(
        failed_with(api.execute(public::sources::create(&elsewhere)).await),
        400
    );
    let _: SourceId = source.source_id;
}

#[tokio::test]
async fn connectors_without_oauth_cannot_start_a_flow() {
    let server = mock().await;
    let api = api(&server);
    assert_eq!(
        failed_with(
            api.execute(public::oauth::initiate(&initiate("faker")))
                .await
        ),
        400
    );
    let (status, title) = problem_of(
        api.execute(public::oauth::initiate(&initiate("no-such-connector")))
            .await,
    );
    assert_eq!((status, title.as_deref()), (400, Some("value-not-found")));
    // A redirect URL that is not absolute is refused before anything is sent.
    let mut relative = initiate("google-ads");
    relative.redirect_url = "/done".to_owned();
    let error = api
        .execute(public::oauth::initiate(&relative))
        .await
        .unwrap_err();
    assert!(
        matches!(error, airbyte::transport::Error::InvalidInput { .. }),
        "{error}"
    );
    // An unknown workspace is not found.
    let mut unknown = initiate("google-ads");
    unknown.workspace_id = "00000000-0000-4000-8000-00000000000d".parse().unwrap();
    assert_eq!(
        failed_with(api.execute(public::oauth::initiate(&unknown)).await),
        404
    );
}

/// The client ID of the consent URL a Google Ads flow in Production starts with.
async fn consent_client(api: &airbyte::transport::Client) -> String {
    let consent = consent_url(api).await;
    param(&consent, "client_id").unwrap()
}

#[tokio::test]
async fn overrides_choose_the_client_of_the_consent_url() {
    let server = mock().await;
    let api = api(&server);
    api.execute(public::oauth::set_organization_credentials(
        &organization(),
        &client_override("acme-org-client"),
    ))
    .await
    .unwrap();
    assert_eq!(consent_client(&api).await, "acme-org-client");
    api.execute(public::oauth::set_workspace_credentials(
        &production(),
        &client_override("production-client"),
    ))
    .await
    .unwrap();
    // Writing the same override again replaces it.
    api.execute(public::oauth::set_workspace_credentials(
        &production(),
        &client_override("production-client-2"),
    ))
    .await
    .unwrap();
    assert_eq!(consent_client(&api).await, "production-client-2");
    api.execute(public::oauth::delete_workspace_credentials(
        &production(),
        &ActorType::Source,
        "google-ads",
    ))
    .await
    .unwrap();
    assert_eq!(consent_client(&api).await, "acme-org-client");
    api.execute(public::oauth::delete_organization_credentials(
        &organization(),
        &ActorType::Source,
        "google-ads",
    ))
    .await
    .unwrap();
    assert_eq!(
        consent_client(&api).await,
        "airbyte-google-ads-oauth-client"
    );
}

#[tokio::test]
async fn overrides_need_an_oauth_connector_and_deleting_nothing_is_not_found() {
    let server = mock().await;
    let api = api(&server);
    let mut faker = client_override("x");
    faker.name = "faker".to_owned();
    assert_eq!(
        failed_with(
            api.execute(public::oauth::set_workspace_credentials(
                &production(),
                &faker
            ))
            .await
        ),
        400
    );
    assert_eq!(
        failed_with(
            api.execute(public::oauth::delete_workspace_credentials(
                &production(),
                &ActorType::Source,
                "google-ads",
            ))
            .await
        ),
        404
    );
    assert_eq!(
        failed_with(
            api.execute(public::oauth::delete_organization_credentials(
                &organization(),
                &ActorType::from("connector"),
                "google-ads",
            ))
            .await
        ),
        400
    );
    // An unknown workspace is not found.
    let unknown: WorkspaceId = "00000000-0000-4000-8000-00000000000e".parse().unwrap();
    assert_eq!(
        failed_with(
            api.execute(public::oauth::set_workspace_credentials(
                &unknown,
                &client_override("c")
            ))
            .await
        ),
        404
    );
}

#[tokio::test]
async fn readers_cannot_set_overrides() {
    let server = mock().await;
    let carol = carol(&server);
    let staging: WorkspaceId = STAGING.parse().unwrap();
    assert_eq!(
        failed_with(
            carol
                .execute(public::oauth::set_workspace_credentials(
                    &staging,
                    &client_override("c")
                ))
                .await
        ),
        403
    );
    assert_eq!(
        failed_with(
            carol
                .execute(public::oauth::set_organization_credentials(
                    &organization(),
                    &client_override("c"),
                ))
                .await
        ),
        403
    );
}
