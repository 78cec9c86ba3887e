//! State is safe under concurrent requests: 500 concurrent creates make 500 distinct resources,
//! all listed afterwards.

mod support;

use std::collections::HashSet;

use airbyte_mock_server::default_world::STAGING_WORKSPACE_ID;
use serde_json::json;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_hundred_concurrent_creates_make_five_hundred_resources() {
    let server = start_fast().await;
    let raw = Raw::authenticated(&server.base_url()).await;
    let tasks: Vec<_> = (0..500)
        .map(|index| {
            let raw = raw.clone();
            tokio::spawn(async move {
                let answer = raw
                    .post(
                        "/api/public/v1/destinations",
                        json!({
                            "name": format!("concurrent-{index}"),
                            "workspaceId": STAGING_WORKSPACE_ID,
                            "configuration": {"destinationType": "dev-null"},
                        }),
                    )
                    .await;
                assert_eq!(answer.status, 200);
                answer.json()["destinationId"].as_str().unwrap().to_owned()
            })
        })
        .collect();
    let mut created = HashSet::new();
    for task in tasks {
        created.insert(task.await.unwrap());
    }
    assert_eq!(created.len(), 500, "every create made a distinct resource");

    let mut listed = HashSet::new();
    let mut offset = 0;
    for _ in 0..20 {
        let page = raw
            .get(&format!("/api/public/v1/destinations?workspaceIds={STAGING_WORKSPACE_ID}&limit=100&offset={offset}"))
            .await
            .json();
        let data = page["data"].as_array().unwrap();
        if data.is_empty() {
            break;
        }
        listed.extend(
            data.iter()
                .map(|d| d["destinationId"].as_str().unwrap().to_owned()),
        );
        offset += 100;
    }
    assert!(
        created.is_subset(&listed),
        "{} of 500 listed",
        created.intersection(&listed).count()
    );
    assert_eq!(
        listed.len(),
        501,
        "the 500 plus the default world's one staging destination"
    );
}
