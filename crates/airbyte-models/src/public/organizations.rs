//! `GET /organizations`: the organizations the caller belongs to.

use serde::{Deserialize, Serialize};

use crate::OrganizationId;

/// An organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationResponse {
    /// The organization's ID.
    pub organization_id: OrganizationId,
    /// The organization's name.
    pub organization_name: String,
    /// The organization's contact email.
    #[serde(default)]
    pub email: String,
}

/// The answer of `GET /organizations` (not paginated).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationsResponse {
    /// The organizations.
    #[serde(default)]
    pub data: Vec<OrganizationResponse>,
}
