//! The platform around workspaces: the server's health and documentation, creating
//! workspaces, and the regions (data plane groups) and data planes of an organization.
//!
//! Regions and data planes belong to organizations, not to the workspace they are reached
//! through: their methods take the organization or region they work in, and the server checks
//! that the caller administers it.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use airbyte_models::ops;
use airbyte_models::{
    DataplaneCreateRequest, DataplaneCreateResponse, DataplaneId, DataplanePatchRequest,
    DataplaneResponse, ListResponse, NotificationsConfig, OrganizationId, RegionCreateRequest,
    RegionId, RegionPatchRequest, RegionResponse, WorkspaceCreateRequest, WorkspaceId,
    WorkspaceResponse, WorkspaceUpdateRequest,
};

use crate::ResourceKind;
use crate::error::missing_on_404;
use crate::listing::{ItemKeys, ListItems, ListRequest, Paging};
use crate::naming::check_safe_mode;
use crate::{CloudWorkspace, Error, Result};

/// A name the server would refuse: blank.
fn check_name(kind: ResourceKind, name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid(format!("a {kind} name must not be empty")));
    }
    Ok(())
}

impl CloudWorkspace {
    /// Whether the server is up (`GET /health`, sent without credentials).
    ///
    /// # Errors
    ///
    /// Transport errors: the server cannot be reached or answers with an error.
    #[doc(alias = "health")]
    pub async fn check_health(&self) -> Result<()> {
        self.execute(ops::public::auth::health()).await
    }

    /// Where the API's documentation is: the `Location` that `GET /` redirects to. The
    /// redirect is not followed.
    ///
    /// # Errors
    ///
    /// Transport errors (an answer that is not a redirect among them).
    pub async fn fetch_documentation_url(&self) -> Result<String> {
        let redirect = self.execute(ops::public::auth::documentation()).await?;
        Ok(redirect.location)
    }

    /// Another workspace, reached with this one's client and settings, without a request (the
    /// workspace [`create_workspace`](Self::create_workspace) made, say).
    #[must_use]
    pub fn other_workspace(&self, workspace_id: WorkspaceId) -> CloudWorkspace {
        CloudWorkspace::from_parts(
            self.client().clone(),
            workspace_id,
            self.configured_organization_id().cloned(),
            self.max_list_items(),
        )
    }

    /// Creates a workspace: in the organization given with [`CreateWorkspace::organization`],
    /// else the configured one, else the server's choice. Await the builder; use
    /// [`other_workspace`](Self::other_workspace) to work in the new workspace.
    ///
    /// ```no_run
    /// # async fn demo(workspace: airbyte_cloud::CloudWorkspace) -> airbyte_cloud::Result<()> {
    /// let created = workspace.create_workspace("analytics").await?;
    /// let analytics = workspace.other_workspace(created.workspace_id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn create_workspace(&self, name: impl Into<String>) -> CreateWorkspace {
        CreateWorkspace {
            workspace: self.clone(),
            request: WorkspaceCreateRequest {
                name: name.into(),
                organization_id: self.configured_organization_id().cloned(),
                notifications: None,
                region_id: None,
            },
        }
    }

    /// Changes the workspace's name, region or notifications: what `changes` sets changes,
    /// the rest stays (see [`rename`](Self::rename) for the name alone).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (nothing to change, a blank name) before anything is sent;
    /// [`Error::MissingResource`]; transport errors.
    pub async fn update(&self, changes: WorkspaceUpdateRequest) -> Result<WorkspaceResponse> {
        if changes == WorkspaceUpdateRequest::default() {
            return Err(Error::invalid("a workspace update must change something"));
        }
        if let Some(name) = &changes.name {
            check_name(ResourceKind::Workspace, name)?;
        }
        if changes
            .region_id
            .as_deref()
            .is_some_and(|id| id.trim().is_empty())
        {
            return Err(Error::invalid("a region ID must not be empty"));
        }
        self.client()
            .execute(ops::public::workspaces::update(self.id(), &changes))
            .await
            .map_err(missing_on_404(ResourceKind::Workspace, self.id().as_str()))
    }

    /// The regions of an organization, answered in one request (see [`ListItems`] for
    /// filters).
    pub fn list_regions(
        &self,
        organization_id: &OrganizationId,
    ) -> ListItems<RegionResponse, RegionResponse> {
        let keys = ItemKeys {
            id: |region: &RegionResponse| region.region_id.to_string(),
            name: Some(|region| &region.name),
        };
        ListItems::new(self, Paging::OneShot, "regions", keys, (), {
            let organization = organization_id.clone();
            move |request: ListRequest<()>| {
                let organization = organization.clone();
                async move {
                    let regions = request
                        .workspace
                        .client()
                        .execute(ops::public::regions::list(&organization))
                        .await
                        .map_err(missing_on_404(
                            ResourceKind::Organization,
                            organization.as_str(),
                        ))?;
                    // A region of another organization is never handed out.
                    let mut data = regions.data;
                    data.retain(|region| region.organization_id == organization);
                    Ok(ListResponse::new(data))
                }
            }
        })
    }

    /// Creates a region in an organization (enabled; see [`update_region`](Self::update_region)).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a blank name (nothing sent); transport errors (409 when
    /// the organization has a region of that name, 403 for a caller who does not administer
    /// it).
    pub async fn create_region(
        &self,
        organization_id: &OrganizationId,
        name: &str,
    ) -> Result<RegionResponse> {
        check_name(ResourceKind::Region, name)?;
        let request = RegionCreateRequest {
            name: name.to_owned(),
            organization_id: organization_id.clone(),
            enabled: None,
        };
        self.execute(ops::public::regions::create(&request)).await
    }

    /// Reads a region.
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`], or transport errors.
    #[doc(alias = "get_region")]
    pub async fn fetch_region(&self, region_id: &RegionId) -> Result<RegionResponse> {
        self.client()
            .execute(ops::public::regions::get(region_id))
            .await
            .map_err(missing_on_404(ResourceKind::Region, region_id.as_str()))
    }

    /// Renames, enables or disables a region: what `changes` sets changes.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (nothing to change, a blank name) before anything is sent;
    /// [`Error::MissingResource`]; transport errors.
    pub async fn update_region(
        &self,
        region_id: &RegionId,
        changes: &RegionPatchRequest,
    ) -> Result<RegionResponse> {
        if changes == &RegionPatchRequest::default() {
            return Err(Error::invalid("a region update must change something"));
        }
        if let Some(name) = &changes.name {
            check_name(ResourceKind::Region, name)?;
        }
        self.client()
            .execute(ops::public::regions::update(region_id, changes))
            .await
            .map_err(missing_on_404(ResourceKind::Region, region_id.as_str()))
    }

    /// Deletes a region, which must have no data planes left (the server refuses with 409).
    /// The region is read first; with `safe_mode`, its name must contain `delete-me` or
    /// `deleteme`. Returns the deleted region.
    ///
    /// # Errors
    ///
    /// [`Error::SafeModeRefusal`] (nothing sent), [`Error::MissingResource`], or transport
    /// errors.
    pub async fn delete_region(
        &self,
        region_id: &RegionId,
        safe_mode: bool,
    ) -> Result<RegionResponse> {
        let region = self.fetch_region(region_id).await?;
        check_safe_mode(
            safe_mode,
            ResourceKind::Region,
            region_id.as_str(),
            &region.name,
        )?;
        self.client()
            .execute(ops::public::regions::delete(region_id))
            .await
            .map_err(missing_on_404(ResourceKind::Region, region_id.as_str()))
    }

    /// The data planes of these regions (of every region the caller reaches when empty),
    /// answered in one request (see [`ListItems`] for filters).
    pub fn list_dataplanes(
        &self,
        region_ids: &[RegionId],
    ) -> ListItems<DataplaneResponse, DataplaneResponse> {
        let keys = ItemKeys {
            id: |dataplane: &DataplaneResponse| dataplane.dataplane_id.to_string(),
            name: Some(|dataplane| &dataplane.name),
        };
        ListItems::new(self, Paging::OneShot, "data planes", keys, (), {
            let regions = region_ids.to_vec();
            move |request: ListRequest<()>| {
                let regions = regions.clone();
                async move {
                    let dataplanes = request
                        .workspace
                        .execute(ops::public::dataplanes::list(&regions))
                        .await?;
                    let mut data = dataplanes.data;
                    if !regions.is_empty() {
                        data.retain(|dataplane| regions.contains(&dataplane.region_id));
                    }
                    Ok(ListResponse::new(data))
                }
            }
        })
    }

    /// Creates a data plane in a region (enabled). The answer holds the data plane's own
    /// client credentials, the secret as a [`Secret`](airbyte_models::Secret): the server
    /// shows it only here.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a blank name (nothing sent); [`Error::MissingResource`]
    /// for an unknown region; transport errors (409 when the region has a data plane of that
    /// name).
    pub async fn create_dataplane(
        &self,
        region_id: &RegionId,
        name: &str,
    ) -> Result<DataplaneCreateResponse> {
        check_name(ResourceKind::Dataplane, name)?;
        let request = DataplaneCreateRequest {
            region_id: region_id.clone(),
            name: name.to_owned(),
            enabled: None,
        };
        self.client()
            .execute(ops::public::dataplanes::create(&request))
            .await
            .map_err(missing_on_404(ResourceKind::Region, region_id.as_str()))
    }

    /// Reads a data plane.
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`], or transport errors.
    #[doc(alias = "get_dataplane")]
    pub async fn fetch_dataplane(&self, dataplane_id: &DataplaneId) -> Result<DataplaneResponse> {
        self.client()
            .execute(ops::public::dataplanes::get(dataplane_id))
            .await
            .map_err(missing_on_404(
                ResourceKind::Dataplane,
                dataplane_id.as_str(),
            ))
    }

    /// Renames, enables or disables a data plane: what `changes` sets changes.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (nothing to change, a blank name) before anything is sent;
    /// [`Error::MissingResource`]; transport errors.
    pub async fn update_dataplane(
        &self,
        dataplane_id: &DataplaneId,
        changes: &DataplanePatchRequest,
    ) -> Result<DataplaneResponse> {
        if changes == &DataplanePatchRequest::default() {
            return Err(Error::invalid("a data plane update must change something"));
        }
        if let Some(name) = &changes.name {
            check_name(ResourceKind::Dataplane, name)?;
        }
        self.client()
            .execute(ops::public::dataplanes::update(dataplane_id, changes))
            .await
            .map_err(missing_on_404(
                ResourceKind::Dataplane,
                dataplane_id.as_str(),
            ))
    }

    /// Deletes a data plane. It is read first; with `safe_mode`, its name must contain
    /// `delete-me` or `deleteme`. Returns the deleted data plane.
    ///
    /// # Errors
    ///
    /// [`Error::SafeModeRefusal`] (nothing sent), [`Error::MissingResource`], or transport
    /// errors.
    pub async fn delete_dataplane(
        &self,
        dataplane_id: &DataplaneId,
        safe_mode: bool,
    ) -> Result<DataplaneResponse> {
        let dataplane = self.fetch_dataplane(dataplane_id).await?;
        check_safe_mode(
            safe_mode,
            ResourceKind::Dataplane,
            dataplane_id.as_str(),
            &dataplane.name,
        )?;
        self.client()
            .execute(ops::public::dataplanes::delete(dataplane_id))
            .await
            .map_err(missing_on_404(
                ResourceKind::Dataplane,
                dataplane_id.as_str(),
            ))
    }
}

/// Creates a workspace; returned by [`CloudWorkspace::create_workspace`]. Await it (or call
/// [`CreateWorkspace::send`]).
#[must_use = "a create does nothing until awaited"]
#[derive(Debug)]
pub struct CreateWorkspace {
    workspace: CloudWorkspace,
    request: WorkspaceCreateRequest,
}

impl CreateWorkspace {
    /// The organization to create it in (default: the configured one, else the server's
    /// choice).
    pub fn organization(mut self, organization_id: OrganizationId) -> Self {
        self.request.organization_id = Some(organization_id);
        self
    }

    /// The region its syncs run in (one of the organization's, see
    /// [`CloudWorkspace::list_regions`]).
    pub fn region(mut self, region_id: &RegionId) -> Self {
        self.request.region_id = Some(region_id.to_string());
        self
    }

    /// Its notification settings.
    pub fn notifications(mut self, notifications: NotificationsConfig) -> Self {
        self.request.notifications = Some(notifications);
        self
    }

    /// Creates the workspace and returns it as the API describes it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a blank name (nothing sent); [`Error::MissingResource`]
    /// for an unknown organization; transport errors.
    pub async fn send(self) -> Result<WorkspaceResponse> {
        check_name(ResourceKind::Workspace, &self.request.name)?;
        let organization = self.request.organization_id.clone();
        self.workspace
            .client()
            .execute(ops::public::workspaces::create(&self.request))
            .await
            .map_err(|error| match &organization {
                Some(organization) => {
                    missing_on_404(ResourceKind::Organization, organization.as_str())(error)
                }
                None => Error::Transport(error),
            })
    }
}

impl IntoFuture for CreateWorkspace {
    type Output = Result<WorkspaceResponse>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
