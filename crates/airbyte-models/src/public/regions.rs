//! Regions (data plane groups of an organization) and their data planes.

use serde::{Deserialize, Serialize};

use crate::{ApiDateTime, DataplaneId, OrganizationId, RegionId, Secret};

/// A region (`GET /regions/{regionId}` and the other region routes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionResponse {
    /// The region's ID.
    pub region_id: RegionId,
    /// The name.
    pub name: String,
    /// The organization that owns the region.
    pub organization_id: OrganizationId,
    /// Whether workloads may run in the region.
    #[serde(default)]
    pub enabled: bool,
    /// When it was created: a string of unspecified format (kept verbatim).
    #[serde(default, skip_serializing_if = "ApiDateTime::is_absent")]
    pub created_at: ApiDateTime,
    /// When it was last changed: a string of unspecified format (kept verbatim).
    #[serde(default, skip_serializing_if = "ApiDateTime::is_absent")]
    pub updated_at: ApiDateTime,
}

/// The answer of `GET /regions` (not paginated).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionsResponse {
    /// The regions.
    #[serde(default)]
    pub data: Vec<RegionResponse>,
}

/// The body of `POST /regions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegionCreateRequest {
    /// The name, unique within the organization.
    pub name: String,
    /// The organization to create the region in.
    pub organization_id: OrganizationId,
    /// Whether it is enabled (the server's default when absent: enabled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// The body of `PATCH /regions/{regionId}`: absent fields stay unchanged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegionPatchRequest {
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Enables or disables the region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// A data plane (`GET /dataplanes/{dataplaneId}` and the other data plane routes).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataplaneResponse {
    /// The data plane's ID.
    pub dataplane_id: DataplaneId,
    /// The name.
    pub name: String,
    /// The region it belongs to.
    pub region_id: RegionId,
    /// Whether it takes work.
    #[serde(default)]
    pub enabled: bool,
    /// When it was created: a string of unspecified format (kept verbatim).
    #[serde(default, skip_serializing_if = "ApiDateTime::is_absent")]
    pub created_at: ApiDateTime,
    /// When it was last changed: a string of unspecified format (kept verbatim).
    #[serde(default, skip_serializing_if = "ApiDateTime::is_absent")]
    pub updated_at: ApiDateTime,
}

/// The answer of `GET /dataplanes` (not paginated).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataplanesResponse {
    /// The data planes.
    #[serde(default)]
    pub data: Vec<DataplaneResponse>,
}

/// The body of `POST /dataplanes`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataplaneCreateRequest {
    /// The region to create the data plane in.
    pub region_id: RegionId,
    /// The name, unique within the region.
    pub name: String,
    /// Whether it is enabled (the server's default when absent: enabled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// The body of `PATCH /dataplanes/{dataplaneId}`: absent fields stay unchanged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataplanePatchRequest {
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Enables or disables the data plane.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// The answer of `POST /dataplanes` (`DataplaneCreateResponseBody`, a schema the Public API
/// specification refers to but only the Config API's defines): the new data plane's own
/// credentials, which it uses to reach the control plane. The secret is shown only here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DataplaneCreateResponse {
    /// The new data plane's ID.
    pub dataplane_id: DataplaneId,
    /// Its region.
    pub region_id: RegionId,
    /// The client ID of the data plane's credentials.
    pub client_id: String,
    /// The client secret of the data plane's credentials.
    pub client_secret: Secret,
}
