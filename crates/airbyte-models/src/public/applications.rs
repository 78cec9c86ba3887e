//! Applications: named client ID and secret pairs that mint access tokens
//! (`POST /applications/token`) acting as the user who created them.

use serde::{Deserialize, Serialize};

use crate::{ApplicationId, EpochSeconds, Secret};

/// An application (`ApplicationRead` in the specification). The server sends the client
/// secret with every read, so `Debug` hides it: it is a [`Secret`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApplicationRead {
    /// The application's ID.
    pub id: ApplicationId,
    /// The name.
    pub name: String,
    /// The client ID to mint tokens with.
    pub client_id: String,
    /// The client secret to mint tokens with.
    pub client_secret: Secret,
    /// When the application was created (epoch seconds, although the specification's example
    /// is in milliseconds).
    #[serde(default, skip_serializing_if = "EpochSeconds::is_absent")]
    pub created_at: EpochSeconds,
}

/// The answer of `GET /applications`: the caller's applications (not paginated).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationReadList {
    /// The applications.
    #[serde(default)]
    pub applications: Vec<ApplicationRead>,
}

/// The body of `POST /applications` (`ApplicationCreate` in the specification).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationCreate {
    /// The name of the new application.
    pub name: String,
}
