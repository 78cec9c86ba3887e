//! Whatever status and body the server sends, the client returns `Ok` or `Err`, never panics.

mod support;

use airbyte_models::{SourceId, WorkspaceId, ops};
use airbyte_transport::{Credentials, RetryConfig};
use proptest::prelude::*;
use support::*;

fn content_type() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("application/json".to_owned()),
        Just("application/problem+json".to_owned()),
        Just("text/html".to_owned()),
        Just("text/plain; charset=utf-8".to_owned()),
        Just(String::new()),
        "[ -~]{0,20}",
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        Just(
            br#"{"workspaceId":"w1","name":"n","dataResidency":"auto","notifications":{}}"#
                .to_vec()
        ),
        Just(br#"{"status":404,"title":"resource-not-found","data":null}"#.to_vec()),
        Just(br#"{"errorId":"e"}"#.to_vec()),
        Just(b"<html></html>".to_vec()),
        Just(br#"{"access_token":"t","token_type":"Bearer","expires_in":-5}"#.to_vec()),
        "[ -~]{0,64}".prop_map(String::into_bytes),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_statuses_and_bodies_never_panic(
        status in 100u16..600,
        content_type in content_type(),
        body in body(),
        with_token in any::<bool>(),
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async move {
            let server = RawServer::start(RawBehaviour::Respond { status, content_type, body }).await;
            let mut builder = builder(&server.uri)
                .retry(RetryConfig::disabled())
                .attempt_timeout(std::time::Duration::from_secs(2));
            if with_token {
                builder = builder.credentials(Credentials::client_credentials("id", "secret"));
            }
            let client = builder.build().unwrap();
            let workspace = WorkspaceId::new("w1").unwrap();
            let _ = client.execute(ops::public::workspaces::get(&workspace)).await;
            let _ = client.execute(ops::public::sources::delete(&SourceId::new("s").unwrap())).await;
            let _ = client.execute(ops::public::jobs::list(&Default::default())).await;
            let _ = client.execute(ops::config::get_job(airbyte_models::JobId::new(1).unwrap())).await;
        });
    }
}
