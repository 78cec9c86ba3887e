//! The workspace: the entry point to everything else.

use std::fmt;
use std::sync::Arc;

use airbyte_models::ops::{self, ListParams, Operation};
use airbyte_models::{
    ConnectionId, ConnectionResponse, ConnectionStatus, OrganizationId, WorkspaceId,
    WorkspaceResponse, WorkspaceUpdateRequest,
};
use airbyte_transport::{ApiRoots, Client, RequestOptions};
use futures_util::TryStreamExt;
use serde::de::DeserializeOwned;

use crate::ResourceKind;
use crate::listing::{ItemKeys, ListItems, ListRequest, Paging};
use crate::naming::check_safe_mode;
use crate::paging::{DEFAULT_MAX_LIST_ITEMS, DEFAULT_PAGE_SIZE, PageSpec, paginate};
use crate::settings::CloudWorkspaceBuilder;
use crate::{Error, Result, error::missing_on_404};

tokio::task_local! {
    /// Transport settings for the calls made inside a scope ([`with_call_options`]), in
    /// place of the client's: the fleet's scheduler sends its requests without the transport's
    /// retries, so that it sees each 429 and adapts its own pace.
    static CALL_OPTIONS: RequestOptions;
}

/// Runs `future` with its calls through [`CloudWorkspace::execute_raw`] made with `options`.
pub(crate) async fn with_call_options<F: std::future::Future>(
    options: RequestOptions,
    future: F,
) -> F::Output {
    CALL_OPTIONS.scope(options, future).await
}

/// An Airbyte workspace, reached through one API client.
///
/// Cheap to clone: clones share the client (its connection pool, token cache and retry
/// budget). Every object this workspace hands out (sources, connections, sync results, ...)
/// keeps a clone, so they can outlive it.
#[derive(Clone)]
pub struct CloudWorkspace {
    inner: Arc<Inner>,
}

struct Inner {
    client: Client,
    workspace_id: WorkspaceId,
    organization_id: Option<OrganizationId>,
    max_list_items: u64,
}

impl fmt::Debug for CloudWorkspace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudWorkspace")
            .field("workspace_id", &self.inner.workspace_id)
            .field("api_root", &self.inner.client.roots().public())
            .finish_non_exhaustive()
    }
}

impl CloudWorkspace {
    /// A builder with explicit settings only.
    #[must_use]
    pub fn builder() -> CloudWorkspaceBuilder {
        CloudWorkspaceBuilder::new()
    }

    /// A workspace configured from the environment (see [`crate::settings::env`]).
    ///
    /// # Errors
    ///
    /// As [`CloudWorkspaceBuilder::build`].
    pub fn from_env() -> Result<Self> {
        CloudWorkspaceBuilder::from_env().build()
    }

    /// A workspace reached through an existing transport client.
    #[must_use]
    pub fn with_client(client: Client, workspace_id: WorkspaceId) -> Self {
        Self::from_parts(client, workspace_id, None, DEFAULT_MAX_LIST_ITEMS)
    }

    pub(crate) fn from_parts(
        client: Client,
        workspace_id: WorkspaceId,
        organization_id: Option<OrganizationId>,
        max_list_items: u64,
    ) -> Self {
        Self {
            inner: Arc::new(Inner {
                client,
                workspace_id,
                organization_id,
                max_list_items,
            }),
        }
    }

    /// The most items one list may hold before paging stops with [`Error::Paging`] (see
    /// [`CloudWorkspaceBuilder::max_list_items`]).
    #[must_use]
    pub fn max_list_items(&self) -> u64 {
        self.inner.max_list_items
    }

    /// How a list of this workspace is paged; `key` tells items apart.
    pub(crate) fn page_spec<F>(&self, list: &'static str, key: F) -> PageSpec<F> {
        PageSpec {
            list,
            page_size: DEFAULT_PAGE_SIZE,
            max_items: self.inner.max_list_items,
            key,
        }
    }

    /// The workspace's ID.
    #[must_use]
    pub fn id(&self) -> &WorkspaceId {
        &self.inner.workspace_id
    }

    /// The organization ID given in the settings, if any.
    #[must_use]
    pub fn configured_organization_id(&self) -> Option<&OrganizationId> {
        self.inner.organization_id.as_ref()
    }

    /// The transport client.
    #[must_use]
    pub fn client(&self) -> &Client {
        &self.inner.client
    }

    /// The API roots.
    #[must_use]
    pub fn roots(&self) -> &ApiRoots {
        self.inner.client.roots()
    }

    /// The workspace in the web UI: `{web root}/workspaces/{id}`; `None` when the web root is
    /// unknown (a self-managed root that does not end in `/api/public/v1`, without an explicit
    /// web root). No request is made.
    #[must_use]
    pub fn workspace_url(&self) -> Option<String> {
        self.roots()
            .web()
            .map(|web| format!("{web}/workspaces/{}", self.inner.workspace_id))
    }

    /// Executes an operation with this workspace's client.
    pub(crate) async fn execute<R: DeserializeOwned>(&self, operation: Operation<R>) -> Result<R> {
        Ok(self.execute_raw(operation).await?)
    }

    /// Executes an operation with this workspace's client, with the transport's error (and the
    /// settings of a [`with_call_options`] scope around the call, if any).
    pub(crate) async fn execute_raw<R: DeserializeOwned>(
        &self,
        operation: Operation<R>,
    ) -> airbyte_transport::Result<R> {
        match CALL_OPTIONS.try_with(RequestOptions::clone) {
            Ok(options) => self.inner.client.execute_with(operation, &options).await,
            Err(_) => self.inner.client.execute(operation).await,
        }
    }

    /// Checks the settings against the server: the credentials work and the workspace exists.
    /// Returns the workspace.
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`] when the workspace does not exist; transport errors
    /// (authentication, connection) otherwise.
    pub async fn connect(&self) -> Result<WorkspaceResponse> {
        self.info().await
    }

    /// The workspace as the API describes it.
    ///
    /// # Errors
    ///
    /// As [`CloudWorkspace::connect`].
    pub async fn info(&self) -> Result<WorkspaceResponse> {
        self.inner
            .client
            .execute(ops::public::workspaces::get(self.id()))
            .await
            .map_err(missing_on_404(ResourceKind::Workspace, self.id().as_str()))
    }

    /// Renames the workspace.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty name; transport errors otherwise.
    pub async fn rename(&self, name: &str) -> Result<WorkspaceResponse> {
        if name.trim().is_empty() {
            return Err(Error::invalid("a workspace name must not be empty"));
        }
        let request = WorkspaceUpdateRequest {
            name: Some(name.to_owned()),
            ..WorkspaceUpdateRequest::default()
        };
        self.execute(ops::public::workspaces::update(self.id(), &request))
            .await
    }

    /// Every workspace the credentials can see (not only this one), page by page (see
    /// [`ListItems`] for filters).
    pub fn list_workspaces(&self) -> ListItems<WorkspaceResponse, WorkspaceResponse> {
        let keys = ItemKeys {
            id: |workspace: &WorkspaceResponse| workspace.workspace_id.to_string(),
            name: Some(|workspace| &workspace.name),
        };
        ListItems::new(
            self,
            Paging::Offset,
            "workspaces",
            keys,
            (),
            |request: ListRequest<()>| {
                // Not only this workspace: every one the credentials reach.
                let params = ListParams {
                    workspace_ids: Vec::new(),
                    ..request.params()
                };
                async move {
                    request
                        .workspace
                        .execute(ops::public::workspaces::list(&params))
                        .await
                }
            },
        )
    }

    /// The connections of this workspace for which `keep` is true, read fresh from every page
    /// (deleted ones too when `include_deleted`; their status is `deprecated`). Memory holds
    /// one page and the matches.
    ///
    /// Deleted connections are always asked for, and left out here when not wanted: the list
    /// is paged by offset, and in a list without them a connection that another caller deletes
    /// on an earlier page moves every later one a place forward, so that the first of the next
    /// page is never seen. A dependent missed that way would be deleted by the server unnamed.
    /// Deleted connections stay in the list that includes them, so its offsets hold.
    pub(crate) async fn connections_where(
        &self,
        include_deleted: bool,
        keep: impl Fn(&ConnectionResponse) -> bool,
    ) -> Result<Vec<ConnectionResponse>> {
        let workspace = self.clone();
        let spec = self.page_spec("connections", |item: &ConnectionResponse| {
            item.connection_id.clone()
        });
        paginate(spec, 0, move |offset, limit| {
            let workspace = workspace.clone();
            async move {
                let params = ops::ConnectionListParams {
                    list: ListParams {
                        workspace_ids: vec![workspace.id().clone()],
                        limit,
                        offset,
                        include_deleted: true,
                    },
                    tag_ids: Vec::new(),
                };
                workspace
                    .execute(ops::public::connections::list(&params))
                    .await
            }
        })
        .try_filter(|connection| {
            let wanted = include_deleted || connection.status != ConnectionStatus::Deprecated;
            std::future::ready(wanted && keep(connection))
        })
        .try_collect()
        .await
    }

    /// Deletes the workspace. With `safe_mode`, its name must contain `delete-me` or
    /// `deleteme`; a workspace that still has connections is never deleted.
    ///
    /// # Errors
    ///
    /// [`Error::SafeModeRefusal`], [`Error::WorkspaceNotEmpty`], or transport errors.
    pub async fn permanently_delete(&self, safe_mode: bool) -> Result<()> {
        if safe_mode {
            let info = self.info().await?;
            check_safe_mode(
                true,
                ResourceKind::Workspace,
                self.id().as_str(),
                &info.name,
            )?;
        }
        let connection_ids: Vec<ConnectionId> = self
            .connections_where(false, |_| true)
            .await?
            .into_iter()
            .map(|connection| connection.connection_id)
            .collect();
        if !connection_ids.is_empty() {
            return Err(Error::WorkspaceNotEmpty {
                workspace_id: self.id().clone(),
                connection_ids,
            });
        }
        self.execute(ops::public::workspaces::delete(self.id()))
            .await
    }

    /// Checks that a resource reached through this workspace belongs to it. `after_write`: the
    /// workspace comes from the answer of a write, which was then applied.
    pub(crate) fn verify_workspace(
        &self,
        kind: ResourceKind,
        resource_id: &str,
        actual: &WorkspaceId,
        after_write: bool,
    ) -> Result<()> {
        if actual == self.id() {
            return Ok(());
        }
        Err(Error::WorkspaceMismatch {
            kind,
            resource_id: resource_id.to_owned(),
            expected: self.id().clone(),
            actual: actual.clone(),
            change_applied: after_write,
        })
    }
}
