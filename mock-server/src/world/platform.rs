//! Where work runs: regions (the data plane groups of an organization) and data planes.

use serde_json::{Value, json};

use super::table::Row;

/// Epoch milliseconds as the date-time text regions and data planes carry.
fn timestamp(ms: i64) -> Value {
    airbyte_models::EpochMillis::new(crate::clock::writable_ms(ms))
        .to_datetime()
        .map_or(Value::Null, |instant| {
            Value::from(airbyte_models::format_server_datetime(instant))
        })
}

/// A region of an organization.
#[derive(Clone, Debug)]
pub(crate) struct RegionRec {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) organization_id: String,
    pub(crate) enabled: bool,
    pub(crate) created_ms: i64,
    pub(crate) updated_ms: i64,
}

impl Row for RegionRec {
    fn id(&self) -> &str {
        &self.id
    }
}

impl RegionRec {
    /// `RegionResponse`.
    pub(crate) fn public_json(&self) -> Value {
        json!({
            "regionId": self.id,
            "name": self.name,
            "organizationId": self.organization_id,
            "enabled": self.enabled,
            "createdAt": timestamp(self.created_ms),
            "updatedAt": timestamp(self.updated_ms),
        })
    }
}

/// A data plane of a region, with the credentials it reaches the control plane with.
#[derive(Clone, Debug)]
pub(crate) struct DataplaneRec {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) region_id: String,
    pub(crate) enabled: bool,
    pub(crate) created_ms: i64,
    pub(crate) updated_ms: i64,
    pub(crate) client_id: String,
    pub(crate) client_secret: String,
}

impl Row for DataplaneRec {
    fn id(&self) -> &str {
        &self.id
    }
}

impl DataplaneRec {
    /// `DataplaneResponse`: never the credentials, which only the create answers.
    pub(crate) fn public_json(&self) -> Value {
        json!({
            "dataplaneId": self.id,
            "name": self.name,
            "regionId": self.region_id,
            "enabled": self.enabled,
            "createdAt": timestamp(self.created_ms),
            "updatedAt": timestamp(self.updated_ms),
        })
    }

    /// `DataplaneCreateResponseBody`.
    pub(crate) fn created_json(&self) -> Value {
        json!({
            "dataplaneId": self.id,
            "regionId": self.region_id,
            "clientId": self.client_id,
            "clientSecret": self.client_secret,
        })
    }
}
