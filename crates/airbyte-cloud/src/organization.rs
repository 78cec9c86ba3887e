//! Organizations.

use airbyte_models::ops;
use airbyte_models::{
    ListResponse, ListWorkspacesInOrganizationRequest, OrganizationBilling, OrganizationId,
    OrganizationResponse, Pagination, PaymentStatus, SubscriptionStatus, WorkspaceRead,
};

use crate::listing::{ItemKeys, ListItems, ListRequest, Page, Paging};
use crate::paging::DEFAULT_PAGE_SIZE;
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
    #[doc(alias = "get_organization")]
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

    /// The organizations the credentials belong to (Public API `GET /organizations`), answered
    /// in one request (see [`ListItems`] for filters).
    pub fn list_organizations(&self) -> ListItems<OrganizationResponse, OrganizationResponse> {
        let keys = ItemKeys {
            id: |organization: &OrganizationResponse| organization.organization_id.to_string(),
            name: Some(|organization| &organization.organization_name),
        };
        ListItems::new(
            self,
            Paging::OneShot,
            "organizations",
            keys,
            (),
            |request: ListRequest<()>| async move {
                let list = request
                    .workspace
                    .execute(ops::public::organizations::list())
                    .await?;
                Ok(ListResponse::new(list.data))
            },
        )
    }

    /// The workspaces of an organization (Config API), page by page; see
    /// [`OrganizationWorkspaces`] for its server-side name filter and [`ListItems`] for the
    /// others.
    pub fn list_organization_workspaces(
        &self,
        organization_id: &OrganizationId,
    ) -> OrganizationWorkspaces {
        let keys = ItemKeys {
            id: |workspace: &WorkspaceRead| workspace.workspace_id.to_string(),
            name: Some(|workspace| &workspace.name),
        };
        let query = WorkspaceSearch {
            organization_id: organization_id.clone(),
            name_contains: None,
        };
        ListItems::new(
            self,
            Paging::Offset,
            "organization workspaces",
            keys,
            query,
            |request: ListRequest<WorkspaceSearch>| async move {
                let (page, pagination) = config_page(request.page);
                let body = ListWorkspacesInOrganizationRequest {
                    organization_id: request.query.organization_id,
                    pagination: Some(pagination),
                    name_contains: request.query.name_contains,
                };
                let list = request
                    .workspace
                    .execute(ops::config::list_workspaces_in_organization(&body))
                    .await?;
                Ok(config_list_response(list.workspaces, page))
            },
        )
    }
}

/// The page a Config API list asks for, and its `pagination` body.
pub(crate) fn config_page(page: Option<Page>) -> (Page, Pagination) {
    let page = page.unwrap_or(Page {
        offset: 0,
        limit: DEFAULT_PAGE_SIZE,
    });
    let pagination = Pagination {
        page_size: i32::try_from(page.limit).ok(),
        row_offset: i32::try_from(page.offset).ok(),
    };
    (page, pagination)
}

/// One page of a Config API list as a [`ListResponse`]. The Config API has no `next`: a full
/// page may be followed by another, a short one is the last.
pub(crate) fn config_list_response<T>(data: Vec<T>, page: Page) -> ListResponse<T> {
    let full = data.len() >= page.limit as usize;
    ListResponse {
        data,
        next: full.then(|| "more".to_owned()),
        previous: None,
    }
}

/// The workspaces of an organization: returned by
/// [`CloudWorkspace::list_organization_workspaces`], with a server-side name filter besides
/// those of every [`ListItems`].
pub type OrganizationWorkspaces = ListItems<WorkspaceRead, WorkspaceRead, WorkspaceSearch>;

/// The server-side filters of [`OrganizationWorkspaces`]; set through its builder methods.
#[derive(Clone, Debug)]
pub struct WorkspaceSearch {
    organization_id: OrganizationId,
    name_contains: Option<String>,
}

impl OrganizationWorkspaces {
    /// Only workspaces whose name contains `text` (filtered by the server).
    pub fn name_contains(mut self, text: impl Into<String>) -> Self {
        self.query_mut().name_contains = Some(text.into());
        self
    }
}
