//! Applications through the transport: created with a client secret that is a `Secret` (never
//! in `Debug`), listed and read by their user only, minting tokens that act as their user, and
//! revoked with their tokens on delete.

use airbyte::mock::MockServer;
use airbyte::mock::default_world;
use airbyte::models::ops::{ListParams, public};
use airbyte::models::{ApplicationCreate, ApplicationId, ApplicationRead, SourceId};
use airbyte::prelude::Credentials;
use airbyte_e2e::*;

fn create(name: &str) -> ApplicationCreate {
    ApplicationCreate {
        name: name.to_owned(),
    }
}

/// A transport client that signs in with an application's own client ID and secret.
fn client_of(server: &MockServer, app: &ApplicationRead) -> airbyte::transport::Client {
    api_as(
        server,
        Credentials::client_credentials(app.client_id.clone(), app.client_secret.expose_secret()),
    )
}

#[tokio::test]
async fn applications_are_created_listed_read_and_deleted() {
    let server = mock().await;
    let api = api(&server);
    let created = api
        .execute(public::applications::create(&create("ci")))
        .await
        .unwrap();
    assert_eq!(created.name, "ci");
    assert!(!created.client_secret.is_empty());
    let shown = format!("{created:?}");
    assert!(
        !shown.contains(created.client_secret.expose_secret()),
        "{shown}"
    );
    assert!(
        created
            .created_at
            .value()
            .is_some_and(|at| at > 1_600_000_000)
    );

    let listed = api.execute(public::applications::list()).await.unwrap();
    assert!(listed.applications.contains(&created));
    // Carol's application is hers: the operator does not see it.
    assert!(
        !listed
            .applications
            .iter()
            .any(|app| app.id == default_world::CAROL_APPLICATION_ID)
    );
    let read = api
        .execute(public::applications::get(&created.id))
        .await
        .unwrap();
    assert_eq!(read, created);

    let deleted = api
        .execute(public::applications::delete(&created.id))
        .await
        .unwrap();
    assert_eq!(deleted.id, created.id);
    assert_eq!(
        failed_with(api.execute(public::applications::get(&created.id)).await),
        404
    );
}

#[tokio::test]
async fn an_application_without_a_name_is_refused_before_it_is_sent() {
    let server = mock().await;
    let error = api(&server)
        .execute(public::applications::create(&create("  ")))
        .await
        .unwrap_err();
    assert!(
        matches!(error, airbyte::transport::Error::InvalidInput { .. }),
        "{error}"
    );
    assert_eq!(requests(&server, "POST", "/applications"), 0);
}

#[tokio::test]
async fn another_users_application_is_not_found() {
    let server = mock().await;
    let carol_app: ApplicationId = default_world::CAROL_APPLICATION_ID.parse().unwrap();
    assert_eq!(
        failed_with(
            api(&server)
                .execute(public::applications::get(&carol_app))
                .await
        ),
        404
    );
    assert_eq!(
        failed_with(
            api(&server)
                .execute(public::applications::delete(&carol_app))
                .await
        ),
        404
    );
}

#[tokio::test]
async fn an_application_mints_tokens_that_act_as_its_user() {
    let server = mock().await;
    // Carol reaches Staging only (reader, and editor through her group).
    let carol = carol(&server);
    let workspaces = carol
        .execute(public::workspaces::list(&ListParams::default()))
        .await
        .unwrap();
    let names: Vec<&str> = workspaces.data.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(names, ["Staging"]);
    let production_source: SourceId = default_world::FAKER_SOURCE_ID.parse().unwrap();
    assert_eq!(
        failed_with(
            carol
                .execute(public::sources::get(&production_source))
                .await
        ),
        403
    );
    let own = carol.execute(public::applications::list()).await.unwrap();
    assert_eq!(own.applications.len(), 1);
    assert_eq!(own.applications[0].id, default_world::CAROL_APPLICATION_ID);
}

#[tokio::test]
async fn a_new_application_mints_with_its_own_client_id_and_secret() {
    let server = mock().await;
    let created = api(&server)
        .execute(public::applications::create(&create("deploys")))
        .await
        .unwrap();
    let app = client_of(&server, &created);
    // It acts as the operator, organization admin: every workspace of the organization.
    let workspaces = app
        .execute(public::workspaces::list(&ListParams::default()))
        .await
        .unwrap();
    assert_eq!(workspaces.data.len(), 2);
    // A wrong secret is refused by the token endpoint.
    let wrong = api_as(
        &server,
        Credentials::client_credentials(created.client_id.clone(), "not-the-secret"),
    );
    assert_eq!(
        failed_with(
            wrong
                .execute(public::workspaces::list(&ListParams::default()))
                .await
        ),
        401
    );
}

#[tokio::test]
async fn deleting_an_application_revokes_its_tokens() {
    let server = mock().await;
    let created = api(&server)
        .execute(public::applications::create(&create("short-lived")))
        .await
        .unwrap();
    let app = client_of(&server, &created);
    app.execute(public::workspaces::list(&ListParams::default()))
        .await
        .unwrap();
    api(&server)
        .execute(public::applications::delete(&created.id))
        .await
        .unwrap();
    // The cached token is refused, and minting a new one fails too.
    assert_eq!(
        failed_with(
            app.execute(public::workspaces::list(&ListParams::default()))
                .await
        ),
        401
    );
}
