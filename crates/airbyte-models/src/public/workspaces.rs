//! Workspaces.

use serde::{Deserialize, Serialize};

use crate::{ListResponse, OrganizationId, WorkspaceId};

/// Email notification settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailNotificationConfig {
    /// Whether email notifications are on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
}

/// Webhook notification settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhookNotificationConfig {
    /// Whether webhook notifications are on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    /// The webhook URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The settings of one kind of notification.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationConfig {
    /// Email settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<EmailNotificationConfig>,
    /// Webhook settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhook: Option<WebhookNotificationConfig>,
}

/// A workspace's notification settings, by event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationsConfig {
    /// Sync failures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<NotificationConfig>,
    /// Sync successes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success: Option<NotificationConfig>,
    /// Connection updates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_update: Option<NotificationConfig>,
    /// Connection updates that need action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_update_action_required: Option<NotificationConfig>,
    /// Syncs disabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_disabled: Option<NotificationConfig>,
    /// Warnings before syncs get disabled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync_disabled_warning: Option<NotificationConfig>,
}

/// A workspace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceResponse {
    /// The workspace's ID.
    pub workspace_id: WorkspaceId,
    /// The name.
    pub name: String,
    /// The data residency, in lower case (`auto`, `us`, `eu`).
    #[serde(default)]
    pub data_residency: String,
    /// Notification settings.
    #[serde(default)]
    pub notifications: NotificationsConfig,
}

/// A page of workspaces (`GET /workspaces`).
pub type WorkspacesResponse = ListResponse<WorkspaceResponse>;

/// The body of `POST /workspaces`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceCreateRequest {
    /// The name.
    pub name: String,
    /// The organization to create the workspace in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<OrganizationId>,
    /// Notification settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifications: Option<NotificationsConfig>,
    /// The region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_id: Option<String>,
}

/// The body of `PATCH /workspaces/{workspaceId}`: absent fields stay unchanged.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceUpdateRequest {
    /// A new name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New notification settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifications: Option<NotificationsConfig>,
    /// A new region.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region_id: Option<String>,
}
