//! Airbyte Embedded: tokens for the embedded widget and for one workspace, and the caller's
//! organizations.

use serde::{Deserialize, Serialize};

use crate::{OrganizationId, PermissionType, Secret, WorkspaceId};

/// The body of `POST /embedded/widget_token`: a token for the widget an end user of your
/// product sees. The server gives each external user a workspace of their own in the
/// organization.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmbeddedWidgetRequest {
    /// The web origin the widget is embedded in (`https://app.example.com`).
    pub allowed_origin: String,
    /// Your product's ID of the end user.
    pub external_user_id: String,
    /// The organization the end user's workspace belongs to.
    pub organization_id: OrganizationId,
}

/// The answer of `POST /embedded/widget_token`. The token is opaque to clients and a
/// credential: it is a [`Secret`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbeddedWidgetResponse {
    /// The widget token.
    pub token: Secret,
}

/// The body of `POST /embedded/scoped_token`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmbeddedScopedTokenRequest {
    /// The only workspace the token may reach.
    pub workspace_id: WorkspaceId,
}

/// The answer of `POST /embedded/scoped_token`: an access token limited to one workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbeddedScopedTokenResponse {
    /// The access token (send it as `Authorization: Bearer`).
    pub token: Secret,
}

/// One organization of `GET /embedded/organizations`, with the caller's permission in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EmbeddedOrganizationListItem {
    /// The organization's ID.
    pub organization_id: OrganizationId,
    /// Its name.
    #[serde(default)]
    pub organization_name: String,
    /// The caller's permission in it.
    pub permission: PermissionType,
}

/// The answer of `GET /embedded/organizations`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbeddedOrganizationsList {
    /// The organizations.
    #[serde(default)]
    pub organizations: Vec<EmbeddedOrganizationListItem>,
}
