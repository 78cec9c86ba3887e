//! Where work runs: the regions (data plane groups) of an organization and their data planes.

use super::super::{Operation, registry};
use super::id;

/// Regions.
pub mod regions {
    use super::*;
    use crate::{
        OrganizationId, RegionCreateRequest, RegionId, RegionPatchRequest, RegionResponse,
        RegionsResponse,
    };

    /// `GET /regions?organizationId=...` (not paginated).
    #[must_use]
    pub fn list(organization_id: &OrganizationId) -> Operation<RegionsResponse> {
        Operation::new(registry::LIST_REGIONS, vec![]).query("organizationId", organization_id)
    }

    /// `POST /regions`. Not idempotent.
    #[must_use]
    pub fn create(request: &RegionCreateRequest) -> Operation<RegionResponse> {
        Operation::new(registry::CREATE_REGION, vec![]).json(request)
    }

    /// `GET /regions/{regionId}`.
    #[must_use]
    pub fn get(region_id: &RegionId) -> Operation<RegionResponse> {
        Operation::new(registry::GET_REGION, vec![id(region_id)])
    }

    /// `PATCH /regions/{regionId}`.
    #[must_use]
    pub fn update(region_id: &RegionId, request: &RegionPatchRequest) -> Operation<RegionResponse> {
        Operation::new(registry::UPDATE_REGION, vec![id(region_id)]).json(request)
    }

    /// `DELETE /regions/{regionId}`: answers 200 with the deleted region.
    #[must_use]
    pub fn delete(region_id: &RegionId) -> Operation<RegionResponse> {
        Operation::new(registry::DELETE_REGION, vec![id(region_id)])
    }
}

/// Data planes.
pub mod dataplanes {
    use super::*;
    use crate::{
        DataplaneCreateRequest, DataplaneCreateResponse, DataplaneId, DataplanePatchRequest,
        DataplaneResponse, DataplanesResponse, RegionId,
    };

    /// `GET /dataplanes`: the data planes of these regions, or of every region the caller
    /// reaches when empty (not paginated).
    #[must_use]
    pub fn list(region_ids: &[RegionId]) -> Operation<DataplanesResponse> {
        region_ids.iter().fold(
            Operation::new(registry::LIST_DATAPLANES, vec![]),
            |op, region_id| op.query("regionIds", region_id),
        )
    }

    /// `POST /dataplanes`: answers the new data plane's own client credentials. Not
    /// idempotent.
    #[must_use]
    pub fn create(request: &DataplaneCreateRequest) -> Operation<DataplaneCreateResponse> {
        Operation::new(registry::CREATE_DATAPLANE, vec![]).json(request)
    }

    /// `GET /dataplanes/{dataplaneId}`.
    #[must_use]
    pub fn get(dataplane_id: &DataplaneId) -> Operation<DataplaneResponse> {
        Operation::new(registry::GET_DATAPLANE, vec![id(dataplane_id)])
    }

    /// `PATCH /dataplanes/{dataplaneId}`.
    #[must_use]
    pub fn update(
        dataplane_id: &DataplaneId,
        request: &DataplanePatchRequest,
    ) -> Operation<DataplaneResponse> {
        Operation::new(registry::UPDATE_DATAPLANE, vec![id(dataplane_id)]).json(request)
    }

    /// `DELETE /dataplanes/{dataplaneId}`: answers 200 with the deleted data plane.
    #[must_use]
    pub fn delete(dataplane_id: &DataplaneId) -> Operation<DataplaneResponse> {
        Operation::new(registry::DELETE_DATAPLANE, vec![id(dataplane_id)])
    }
}
