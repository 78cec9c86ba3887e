//! `GET /streams`: the streams a source offers.

use serde::{Deserialize, Serialize};

use crate::ConnectionSyncMode;

/// One stream a source offers, with the sync modes the source and destination support.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamProperties {
    /// The stream's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_name: Option<String>,
    /// The sync modes available for the stream.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_modes: Option<Vec<ConnectionSyncMode>>,
    /// The stream's namespace. The wire name is all lower case: `streamnamespace`.
    #[serde(
        rename = "streamnamespace",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub stream_namespace: Option<String>,
    /// The default cursor field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_cursor_field: Option<Vec<String>>,
    /// Whether the source defines the cursor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_defined_cursor_field: Option<bool>,
    /// The primary key the source defines.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_defined_primary_key: Option<Vec<Vec<String>>>,
    /// The stream's field paths.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub property_fields: Option<Vec<Vec<String>>>,
}

/// The answer of `GET /streams`: a bare JSON array.
pub type StreamPropertiesResponse = Vec<StreamProperties>;
