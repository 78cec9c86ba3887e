//! Groups of users in an organization (Public API `/groups`): the groups, their members, and
//! the permissions they grant their members.
//!
//! Groups managed by an identity provider (SCIM) are read-only through the API: the server
//! refuses to change them, and the refusal arrives as a transport error.

use std::future::{Future, IntoFuture};
use std::pin::Pin;

use airbyte_models::ops::{self, PageParams};
use airbyte_models::{
    GroupCreateRequest, GroupId, GroupMemberAddRequest, GroupMemberResponse,
    GroupPermissionCreateRequest, GroupPermissionResponse, GroupResponse, GroupUpdateRequest,
    ListResponse, OrganizationId, PermissionId, UserId, WorkspaceId,
};

use crate::error::missing_on_404;
use crate::listing::{ItemKeys, ListItems, ListRequest, Page, Paging};
use crate::naming::check_safe_mode;
use crate::paging::DEFAULT_PAGE_SIZE;
use crate::{CloudWorkspace, Error, ResourceKind, Result};

/// The members of a group: returned by [`CloudWorkspace::list_group_members`].
/// [`ListItems::name`] matches the user's name.
pub type GroupMembers = ListItems<GroupMemberResponse, GroupMemberResponse, GroupId>;

/// The page a paged list asks for (its first request has none).
fn page_params(page: Option<Page>) -> PageParams {
    let page = page.unwrap_or(Page {
        offset: 0,
        limit: DEFAULT_PAGE_SIZE,
    });
    PageParams::new(page.limit, page.offset)
}

fn check_group_name(name: &str) -> Result<()> {
    if name.trim().is_empty() {
        return Err(Error::invalid("a group name must not be empty"));
    }
    Ok(())
}

impl CloudWorkspace {
    /// The groups of an organization, page by page (see [`ListItems`] for filters).
    ///
    /// Streaming it fails with [`Error::MissingResource`] when the organization does not
    /// exist.
    pub fn list_groups(
        &self,
        organization_id: &OrganizationId,
    ) -> ListItems<GroupResponse, GroupResponse, OrganizationId> {
        let keys = ItemKeys {
            id: |group: &GroupResponse| group.group_id.to_string(),
            name: Some(|group| &group.name),
        };
        ListItems::new(
            self,
            Paging::Offset,
            "groups",
            keys,
            organization_id.clone(),
            |request: ListRequest<OrganizationId>| async move {
                let organization = request.query;
                request
                    .workspace
                    .client()
                    .execute(ops::public::groups::list(
                        &organization,
                        page_params(request.page),
                    ))
                    .await
                    .map_err(missing_on_404(
                        ResourceKind::Organization,
                        organization.as_str(),
                    ))
            },
        )
    }

    /// Creates a group in an organization; `.description(…)` sets its description, `.await`
    /// sends it (see [`CreateGroup`]).
    pub fn create_group(
        &self,
        organization_id: &OrganizationId,
        name: impl Into<String>,
    ) -> CreateGroup {
        CreateGroup {
            workspace: self.clone(),
            request: GroupCreateRequest {
                name: name.into(),
                description: None,
                organization_id: organization_id.clone(),
            },
        }
    }

    /// Reads a group.
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`]; transport errors.
    #[doc(alias = "get_group")]
    pub async fn fetch_group(&self, group_id: &GroupId) -> Result<GroupResponse> {
        self.client()
            .execute(ops::public::groups::get(group_id))
            .await
            .map_err(missing_on_404(ResourceKind::Group, group_id.as_str()))
    }

    /// Changes a group's name or description; `.name(…)`, `.description(…)`, then `.await`
    /// (see [`UpdateGroup`]).
    pub fn update_group(&self, group_id: &GroupId) -> UpdateGroup {
        UpdateGroup {
            workspace: self.clone(),
            group_id: group_id.clone(),
            request: GroupUpdateRequest::default(),
        }
    }

    /// Deletes a group: its members lose what it granted them (the users and their own
    /// permissions stay). The group is read first and, with `safe_mode`, its name must
    /// contain `delete-me` or `deleteme`. A group already gone counts as deleted.
    ///
    /// # Errors
    ///
    /// [`Error::SafeModeRefusal`] (nothing sent); transport errors (a group managed by SCIM
    /// is refused).
    pub async fn delete_group(&self, group_id: &GroupId, safe_mode: bool) -> Result<()> {
        let group = match self.fetch_group(group_id).await {
            Ok(group) => group,
            Err(error) if error.is_not_found() => return Ok(()),
            Err(error) => return Err(error),
        };
        check_safe_mode(
            safe_mode,
            ResourceKind::Group,
            group_id.as_str(),
            &group.name,
        )?;
        match self.execute(ops::public::groups::delete(group_id)).await {
            Err(error) if error.is_not_found() => Ok(()),
            other => other,
        }
    }

    /// The members of a group, page by page (see [`GroupMembers`]).
    ///
    /// Streaming it fails with [`Error::MissingResource`] when the group does not exist.
    pub fn list_group_members(&self, group_id: &GroupId) -> GroupMembers {
        let keys = ItemKeys {
            id: |member: &GroupMemberResponse| member.user_id.to_string(),
            name: Some(|member| &member.user_name),
        };
        ListItems::new(
            self,
            Paging::Offset,
            "group members",
            keys,
            group_id.clone(),
            |request: ListRequest<GroupId>| async move {
                let group_id = request.query;
                request
                    .workspace
                    .client()
                    .execute(ops::public::groups::members(
                        &group_id,
                        page_params(request.page),
                    ))
                    .await
                    .map_err(missing_on_404(ResourceKind::Group, group_id.as_str()))
            },
        )
    }

    /// Adds a user of the group's organization to the group.
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`] naming the group or the user that does not exist; transport
    /// errors: 409 when the user is a member already, 400 for a user of another organization
    /// or a group managed by SCIM.
    pub async fn add_group_member(
        &self,
        group_id: &GroupId,
        user_id: &UserId,
    ) -> Result<GroupMemberResponse> {
        let request = GroupMemberAddRequest {
            user_id: user_id.clone(),
        };
        match self
            .execute(ops::public::groups::add_member(group_id, &request))
            .await
        {
            Err(error) if error.is_not_found() => {
                // The group exists: the 404 is about the user.
                self.missing_group_or(group_id, error)
                    .await
                    .map_err(|error| match error {
                        Error::Transport(error) => {
                            missing_on_404(ResourceKind::User, user_id.as_str())(error)
                        }
                        other => other,
                    })
            }
            other => other,
        }
    }

    /// Removes a user from a group (the user and its own permissions stay).
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`] for an unknown group; transport errors: 404 for a user who
    /// is not a member, 400 for a group managed by SCIM.
    pub async fn remove_group_member(&self, group_id: &GroupId, user_id: &UserId) -> Result<()> {
        match self
            .execute(ops::public::groups::remove_member(group_id, user_id))
            .await
        {
            Err(error) if error.is_not_found() => self.missing_group_or(group_id, error).await,
            other => other,
        }
    }

    /// After a 404 from a call on a group: [`Error::MissingResource`] naming the group when
    /// it does not exist (read to tell), else the 404 itself.
    async fn missing_group_or<T>(&self, group_id: &GroupId, error: Error) -> Result<T> {
        match self.fetch_group(group_id).await {
            Err(missing @ Error::MissingResource { .. }) => Err(missing),
            _ => Err(error),
        }
    }

    /// The permissions a group grants its members, answered in one request (see
    /// [`ListItems`] for filters; permissions have no name).
    ///
    /// Streaming it fails with [`Error::MissingResource`] when the group does not exist.
    pub fn list_group_permissions(
        &self,
        group_id: &GroupId,
    ) -> ListItems<GroupPermissionResponse, GroupPermissionResponse, GroupId> {
        let keys = ItemKeys {
            id: |permission: &GroupPermissionResponse| permission.permission_id.to_string(),
            name: None,
        };
        ListItems::new(
            self,
            Paging::OneShot,
            "group permissions",
            keys,
            group_id.clone(),
            |request: ListRequest<GroupId>| async move {
                let group_id = request.query;
                let list = request
                    .workspace
                    .client()
                    .execute(ops::public::groups::permissions(&group_id))
                    .await
                    .map_err(missing_on_404(ResourceKind::Group, group_id.as_str()))?;
                Ok(ListResponse::new(list.data))
            },
        )
    }

    /// Grants a group's members a permission: a workspace type on a workspace
    /// ([`GroupPermissionCreateRequest::on_workspace`]) or an organization type on an
    /// organization ([`GroupPermissionCreateRequest::on_organization`]).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (nothing sent) for a type that cannot be granted, a scope
    /// that does not fit it, or an organization or a workspace of an organization other than
    /// the group's (the group and the workspace's organization are read first);
    /// [`Error::MissingResource`] for an unknown group or workspace; transport errors.
    pub async fn create_group_permission(
        &self,
        group_id: &GroupId,
        request: &GroupPermissionCreateRequest,
    ) -> Result<GroupPermissionResponse> {
        if !request.permission_type.is_grantable() {
            return Err(Error::invalid(format!(
                "permission type {} cannot be granted through the Public API",
                request.permission_type
            )));
        }
        if let Some(problem) = request.problem() {
            return Err(Error::invalid(problem));
        }
        // A group grants only within its organization: read it to refuse another one here.
        let group = self.fetch_group(group_id).await?;
        if let Some(organization_id) = &request.organization_id
            && *organization_id != group.organization_id
        {
            return Err(Error::invalid(format!(
                "group {group_id} belongs to organization {}: it cannot grant a permission on organization {organization_id}",
                group.organization_id
            )));
        }
        if let Some(workspace_id) = &request.workspace_id {
            self.check_workspace_of(&group, workspace_id).await?;
        }
        match self
            .execute(ops::public::groups::create_permission(group_id, request))
            .await
        {
            Err(error) if error.is_not_found() => self.missing_group_or(group_id, error).await,
            other => other,
        }
    }

    /// Refuses a workspace outside the group's organization (the server would answer 400). The
    /// workspace's organization comes from the Config API; when that cannot tell (disabled,
    /// not allowed), the server judges. A workspace the Config API does not know is looked up
    /// in the Public API, so that a missing one is named as such.
    async fn check_workspace_of(
        &self,
        group: &GroupResponse,
        workspace_id: &WorkspaceId,
    ) -> Result<()> {
        let error = match self
            .client()
            .execute(ops::config::workspace_organization_info(workspace_id))
            .await
        {
            Ok(info) if info.organization_id == group.organization_id => return Ok(()),
            Ok(info) => {
                return Err(Error::invalid(format!(
                    "group {} belongs to organization {}: it cannot grant a permission on workspace {workspace_id} of organization {}",
                    group.group_id, group.organization_id, info.organization_id
                )));
            }
            Err(error) => error,
        };
        if error.is_not_found() {
            self.client()
                .execute(ops::public::workspaces::get(workspace_id))
                .await
                .map_err(missing_on_404(
                    ResourceKind::Workspace,
                    workspace_id.as_str(),
                ))?;
        } else {
            tracing::debug!(%error, %workspace_id, "could not read the workspace's organization; the server judges the grant");
        }
        Ok(())
    }

    /// Revokes a permission of a group. A permission already gone counts as revoked.
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`] for an unknown group; transport errors.
    pub async fn delete_group_permission(
        &self,
        group_id: &GroupId,
        permission_id: &PermissionId,
    ) -> Result<()> {
        // Whether a 404 is about the group or the permission is read from the group.
        self.fetch_group(group_id).await?;
        match self
            .execute(ops::public::groups::delete_permission(
                group_id,
                permission_id,
            ))
            .await
        {
            Err(error) if error.is_not_found() => Ok(()),
            other => other,
        }
    }
}

/// Creates a group; returned by [`CloudWorkspace::create_group`], sent by `.await`.
#[must_use = "a create does nothing until awaited"]
#[derive(Debug)]
pub struct CreateGroup {
    workspace: CloudWorkspace,
    request: GroupCreateRequest,
}

impl CreateGroup {
    /// A description of the group.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.request.description = Some(description.into());
        self
    }

    /// Sends the create.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (nothing sent) for a blank name; transport errors (404 for an
    /// unknown organization, 409 when a group of that name exists). Not idempotent.
    pub async fn send(self) -> Result<GroupResponse> {
        check_group_name(&self.request.name)?;
        self.workspace
            .execute(ops::public::groups::create(&self.request))
            .await
    }
}

impl IntoFuture for CreateGroup {
    type Output = Result<GroupResponse>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Changes a group; returned by [`CloudWorkspace::update_group`], sent by `.await`.
#[must_use = "an update does nothing until awaited"]
#[derive(Debug)]
pub struct UpdateGroup {
    workspace: CloudWorkspace,
    group_id: GroupId,
    request: GroupUpdateRequest,
}

impl UpdateGroup {
    /// A new name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.request.name = Some(name.into());
        self
    }

    /// A new description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.request.description = Some(description.into());
        self
    }

    /// Sends the update.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (nothing sent) when nothing is to change or the new name is
    /// blank; [`Error::MissingResource`]; transport errors (a group managed by SCIM is
    /// refused, 409 for a name another group has).
    pub async fn send(self) -> Result<GroupResponse> {
        if self.request == GroupUpdateRequest::default() {
            return Err(Error::invalid(
                "nothing to change: give a new name or description",
            ));
        }
        if let Some(name) = &self.request.name {
            check_group_name(name)?;
        }
        self.workspace
            .client()
            .execute(ops::public::groups::update(&self.group_id, &self.request))
            .await
            .map_err(missing_on_404(ResourceKind::Group, self.group_id.as_str()))
    }
}

impl IntoFuture for UpdateGroup {
    type Output = Result<GroupResponse>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}
