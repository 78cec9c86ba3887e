//! Regions and data planes through the transport: owned by organizations, unique names, a
//! region kept while it has data planes, data plane credentials shown once, and workspaces
//! placed in a region of their organization.

use airbyte::mock::default_world;
use airbyte::models::ops::public;
use airbyte::models::{
    DataplaneCreateRequest, DataplaneId, DataplanePatchRequest, OrganizationId,
    RegionCreateRequest, RegionId, RegionPatchRequest, WorkspaceCreateRequest, WorkspaceId,
    WorkspaceUpdateRequest,
};
use airbyte_e2e::*;

fn region(name: &str) -> RegionCreateRequest {
    RegionCreateRequest {
        name: name.to_owned(),
        organization_id: organization(),
        enabled: None,
    }
}

#[tokio::test]
async fn regions_are_created_listed_updated_and_deleted() {
    let server = mock().await;
    let api = api(&server);
    let created = api
        .execute(public::regions::create(&region("us-private")))
        .await
        .unwrap();
    assert!(created.enabled);
    assert!(created.created_at.to_datetime().is_some());
    let listed = api
        .execute(public::regions::list(&organization()))
        .await
        .unwrap();
    let names: Vec<&str> = listed
        .data
        .iter()
        .map(|region| region.name.as_str())
        .collect();
    assert_eq!(names, ["acme-private-eu", "us-private"]);
    let disabled = api
        .execute(public::regions::update(
            &created.region_id,
            &RegionPatchRequest {
                name: None,
                enabled: Some(false),
            },
        ))
        .await
        .unwrap();
    assert!(!disabled.enabled);
    assert_eq!(disabled.name, "us-private");
    let deleted = api
        .execute(public::regions::delete(&created.region_id))
        .await
        .unwrap();
    assert_eq!(deleted.region_id, created.region_id);
    assert_eq!(
        failed_with(api.execute(public::regions::get(&created.region_id)).await),
        404
    );
}

#[tokio::test]
async fn region_names_are_unique_in_their_organization() {
    let server = mock().await;
    let (status, title) = problem_of(
        api(&server)
            .execute(public::regions::create(&region("ACME-private-eu")))
            .await,
    );
    assert_eq!(
        (status, title.as_deref()),
        (409, Some("Data plane group name already exists"))
    );
}

#[tokio::test]
async fn only_organization_admins_change_regions() {
    let server = mock().await;
    let carol = carol(&server);
    assert_eq!(
        carol
            .execute(public::regions::list(&organization()))
            .await
            .unwrap()
            .data
            .len(),
        1
    );
    assert_eq!(
        failed_with(
            carol
                .execute(public::regions::create(&region("mine")))
                .await
        ),
        403
    );
    let other: OrganizationId = default_world::OTHER_ORGANIZATION_ID.parse().unwrap();
    assert_eq!(
        failed_with(carol.execute(public::regions::list(&other)).await),
        403
    );
    let unknown: OrganizationId = "00000000-0000-4000-8000-00000000000b".parse().unwrap();
    assert_eq!(
        failed_with(api(&server).execute(public::regions::list(&unknown)).await),
        404
    );
}

#[tokio::test]
async fn data_planes_live_in_regions_and_show_their_secret_once() {
    let server = mock().await;
    let api = api(&server);
    let region_id: RegionId = default_world::REGION_ID.parse().unwrap();
    let created = api
        .execute(public::dataplanes::create(&DataplaneCreateRequest {
            region_id: region_id.clone(),
            name: "acme-dp-eu-2".to_owned(),
            enabled: Some(false),
        }))
        .await
        .unwrap();
    assert_eq!(created.region_id, region_id);
    assert!(!created.client_id.is_empty() && !created.client_secret.is_empty());
    assert!(!format!("{created:?}").contains(created.client_secret.expose_secret()));
    let read = api
        .execute(public::dataplanes::get(&created.dataplane_id))
        .await
        .unwrap();
    assert!(!read.enabled);
    let listed = api
        .execute(public::dataplanes::list(std::slice::from_ref(&region_id)))
        .await
        .unwrap();
    assert_eq!(listed.data.len(), 2);
    let everything = api.execute(public::dataplanes::list(&[])).await.unwrap();
    assert_eq!(everything.data.len(), 2);
    let renamed = api
        .execute(public::dataplanes::update(
            &created.dataplane_id,
            &DataplanePatchRequest {
                name: Some("acme-dp-eu-b".to_owned()),
                enabled: Some(true),
            },
        ))
        .await
        .unwrap();
    assert!(renamed.enabled);
    // Names are unique within a region.
    let (status, _) = problem_of(
        api.execute(public::dataplanes::update(
            &created.dataplane_id,
            &DataplanePatchRequest {
                name: Some("acme-dp-eu-1".to_owned()),
                enabled: None,
            },
        ))
        .await,
    );
    assert_eq!(status, 409);
    let deleted = api
        .execute(public::dataplanes::delete(&created.dataplane_id))
        .await
        .unwrap();
    assert_eq!(deleted.name, "acme-dp-eu-b");
}

#[tokio::test]
async fn a_region_with_data_planes_is_not_deleted() {
    let server = mock().await;
    let api = api(&server);
    let region_id: RegionId = default_world::REGION_ID.parse().unwrap();
    let (status, title) = problem_of(api.execute(public::regions::delete(&region_id)).await);
    assert_eq!((status, title.as_deref()), (409, Some("state-conflict")));
    let dataplane: DataplaneId = default_world::DATAPLANE_ID.parse().unwrap();
    api.execute(public::dataplanes::delete(&dataplane))
        .await
        .unwrap();
    api.execute(public::regions::delete(&region_id))
        .await
        .unwrap();
}

#[tokio::test]
async fn data_planes_of_unknown_regions_are_not_found() {
    let server = mock().await;
    let unknown: RegionId = "00000000-0000-4000-8000-00000000000c".parse().unwrap();
    let api = api(&server);
    assert_eq!(
        failed_with(
            api.execute(public::dataplanes::list(std::slice::from_ref(&unknown)))
                .await
        ),
        404
    );
    assert_eq!(
        failed_with(
            api.execute(public::dataplanes::create(&DataplaneCreateRequest {
                region_id: unknown,
                name: "x".to_owned(),
                enabled: None,
            }))
            .await
        ),
        404
    );
}

#[tokio::test]
async fn workspaces_are_placed_in_a_region_of_their_organization() {
    let server = mock().await;
    let api = api(&server);
    let created = api
        .execute(public::workspaces::create(&WorkspaceCreateRequest {
            name: "Private".to_owned(),
            organization_id: Some(organization()),
            notifications: None,
            region_id: Some(default_world::REGION_ID.to_owned()),
        }))
        .await
        .unwrap();
    assert_eq!(created.data_residency, "acme-private-eu");
    // A region of the organization can be set later too, never another organization's.
    let other = api
        .execute(public::regions::create(&RegionCreateRequest {
            name: "initech-only".to_owned(),
            organization_id: default_world::OTHER_ORGANIZATION_ID.parse().unwrap(),
            enabled: None,
        }))
        .await
        .unwrap();
    let staging: WorkspaceId = STAGING.parse().unwrap();
    assert_eq!(
        failed_with(
            api.execute(public::workspaces::update(
                &staging,
                &WorkspaceUpdateRequest {
                    region_id: Some(other.region_id.to_string()),
                    ..WorkspaceUpdateRequest::default()
                },
            ))
            .await
        ),
        400
    );
}
