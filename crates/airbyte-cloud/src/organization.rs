//! Organizations.

use airbyte_models::ops;
use airbyte_models::{
    ListResponse, ListWorkspacesInOrganizationRequest, OrganizationBilling, OrganizationId,
    Pagination, PaymentStatus, SubscriptionStatus, WorkspaceRead,
};
use futures_util::TryStreamExt;

use crate::paging::paginate;
use crate::{CloudWorkspace, Result};

/// An organization: its name, and where the API gives them, its email and billing status.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CloudOrganization {
    /// The ID.
    pub id: OrganizationId,
    /// The name.
    pub name: String,
    /// The contact email (from the Public API; `None` when the credentials cannot list
    /// organizations).
    pub email: Option<String>,
    /// Billing information (Cloud).
    pub billing: Option<OrganizationBilling>,
    /// Whether single sign-on is on.
    pub sso: bool,
    /// Whether SCIM provisioning is on.
    pub scim: bool,
}

impl CloudOrganization {
    /// The payment status, when known.
    #[must_use]
    pub fn payment_status(&self) -> Option<&PaymentStatus> {
        self.billing.as_ref().map(|billing| &billing.payment_status)
    }

    /// The subscription status, when known.
    #[must_use]
    pub fn subscription_status(&self) -> Option<&SubscriptionStatus> {
        self.billing.as_ref()?.subscription_status.as_ref()
    }

    /// Whether the account is locked or disabled (syncs do not run).
    #[must_use]
    pub fn is_account_locked(&self) -> bool {
        matches!(
            self.payment_status(),
            Some(PaymentStatus::Locked | PaymentStatus::Disabled)
        )
    }
}

impl CloudWorkspace {
    /// The workspace's organization (Config API), with its email from the Public API when the
    /// credentials may list organizations.
    ///
    /// # Errors
    ///
    /// Transport errors (a Config API that is disabled or unreachable, for instance).
    pub async fn organization(&self) -> Result<CloudOrganization> {
        let info = self
            .execute(ops::config::workspace_organization_info(self.id()))
            .await?;
        let email = match self
            .client()
            .execute(ops::public::organizations::list())
            .await
        {
            Ok(list) => list
                .data
                .into_iter()
                .find(|organization| organization.organization_id == info.organization_id)
                .map(|organization| organization.email)
                .filter(|email| !email.is_empty()),
            Err(error) => {
                tracing::debug!(%error, "could not list organizations; the email stays unknown");
                None
            }
        };
        Ok(CloudOrganization {
            id: info.organization_id,
            name: info.organization_name,
            email,
            billing: info.billing,
            sso: info.sso,
            scim: info.scim,
        })
    }

    /// Like [`CloudWorkspace::organization`], but `None` (logged) instead of an error.
    pub async fn try_organization(&self) -> Option<CloudOrganization> {
        match self.organization().await {
            Ok(organization) => Some(organization),
            Err(error) => {
                tracing::warn!(%error, "could not read the workspace's organization");
                None
            }
        }
    }

    /// The workspaces of an organization (Config API), every page; `name_contains` filters by
    /// substring on the server. Paging ends like every list's (see [`crate::Error::Paging`]).
    ///
    /// # Errors
    ///
    /// Transport errors, or [`crate::Error::Paging`].
    pub async fn list_organization_workspaces(
        &self,
        organization_id: &OrganizationId,
        name_contains: Option<&str>,
    ) -> Result<Vec<WorkspaceRead>> {
        let spec = self.page_spec("organization workspaces", |workspace: &WorkspaceRead| {
            workspace.workspace_id.clone()
        });
        paginate(spec, 0, |offset, limit| {
            let request = ListWorkspacesInOrganizationRequest {
                organization_id: organization_id.clone(),
                pagination: Some(Pagination {
                    page_size: i32::try_from(limit).ok(),
                    row_offset: i32::try_from(offset).ok(),
                }),
                name_contains: name_contains.map(str::to_owned),
            };
            async move {
                let list = self
                    .execute(ops::config::list_workspaces_in_organization(&request))
                    .await?;
                // The Config API has no `next`: a full page may be followed by another.
                let full = list.workspaces.len() >= limit as usize;
                Ok(ListResponse {
                    data: list.workspaces,
                    next: full.then(|| "more".to_owned()),
                    previous: None,
                })
            }
        })
        .try_collect()
        .await
    }
}
