//! What the access commands share: the workspace they borrow a client from, and how an
//! organization, a user, a group or a permission type named on the command line is found.

use std::str::FromStr;

use airbyte::cloud::CloudWorkspace;
use airbyte::models::{GroupId, OrganizationId, PermissionType, UserId, WorkspaceId};

use crate::error::{CliError, CliResult};
use crate::output::escape;
use crate::session::{Session, check_uuid, uuid_of};

/// The nil UUID: the workspace of a handle that only lends its client. Users, permissions,
/// groups and applications belong to organizations and users, and no access command sends
/// anything about this workspace.
const NO_WORKSPACE: &str = "00000000-0000-0000-0000-000000000000";

/// The client of the access commands, and the configured workspace when there is one.
pub(crate) struct Access {
    workspace: CloudWorkspace,
    configured: bool,
}

impl Access {
    pub(crate) fn new(session: &Session) -> CliResult<Self> {
        Ok(match session.workspace() {
            Ok(workspace) => Self {
                workspace,
                configured: true,
            },
            Err(_) => Self {
                workspace: session.workspace_by_id(parse_id("workspace ID", NO_WORKSPACE)?),
                configured: false,
            },
        })
    }

    /// The SDK's entry point.
    pub(crate) fn sdk(&self) -> &CloudWorkspace {
        &self.workspace
    }

    /// The configured workspace.
    pub(crate) fn configured_workspace(&self) -> CliResult<&CloudWorkspace> {
        if self.configured {
            Ok(&self.workspace)
        } else {
            Err(CliError::bad(
                "no workspace: pass --workspace, or configure one (--workspace-id, AIRBYTE_WORKSPACE_ID)",
            ))
        }
    }

    /// A workspace given with `--workspace`, else the configured one.
    pub(crate) fn workspace_id(&self, arg: Option<&str>) -> CliResult<WorkspaceId> {
        match arg {
            Some(text) => parse_id("workspace ID", text),
            None => Ok(self.configured_workspace()?.id().clone()),
        }
    }

    /// The organization named on the command line (ID or exact name); without one, the
    /// configured workspace's organization, else the only organization of the credentials.
    pub(crate) async fn organization(&self, arg: Option<&str>) -> CliResult<OrganizationId> {
        if let Some(text) = arg {
            if let Some(id) = uuid_of(text) {
                return parse_id("organization ID", &id);
            }
            let named = self.workspace.list_organizations().name(text).await?;
            return match named.as_slice() {
                [] => Err(CliError::not_found("organization", text)),
                [one] => Ok(one.organization_id.clone()),
                many => Err(ambiguous(
                    "organizations",
                    text,
                    many.iter().map(|item| item.organization_id.as_str()),
                )),
            };
        }
        if self.configured
            && let Some(organization) = self.workspace.try_organization().await
        {
            return Ok(organization.id);
        }
        let all = self.workspace.list_organizations().await?;
        match all.as_slice() {
            [one] => Ok(one.organization_id.clone()),
            [] => Err(CliError::bad(
                "the credentials belong to no organization; pass --organization",
            )),
            many => Err(CliError::bad(format!(
                "the credentials belong to {} organizations ({}); pass --organization",
                many.len(),
                many.iter()
                    .map(|item| format!("\"{}\"", escape(&item.organization_name)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// A user named by ID, or by email address in an organization.
    pub(crate) async fn user(
        &self,
        organization_arg: Option<&str>,
        text: &str,
    ) -> CliResult<UserId> {
        if let Some(id) = uuid_of(text) {
            return parse_id("user ID", &id);
        }
        if !text.contains('@') {
            return Err(CliError::bad(format!(
                "invalid user {:?}: give a user ID (a UUID) or an email address",
                escape(text)
            )));
        }
        let organization = self.organization(organization_arg).await?;
        match self
            .workspace
            .fetch_user_by_email(&organization, text)
            .await?
        {
            Some(user) => Ok(user.id),
            None => Err(CliError::not_found("user", text)),
        }
    }

    /// A group named by ID, or by exact name in an organization.
    pub(crate) async fn group(
        &self,
        organization_arg: Option<&str>,
        text: &str,
    ) -> CliResult<GroupId> {
        if let Some(id) = uuid_of(text) {
            return parse_id("group ID", &id);
        }
        let organization = self.organization(organization_arg).await?;
        let named = self.workspace.list_groups(&organization).name(text).await?;
        match named.as_slice() {
            [] => Err(CliError::not_found("group", text)),
            [one] => Ok(one.group_id.clone()),
            many => Err(ambiguous(
                "groups",
                text,
                many.iter().map(|group| group.group_id.as_str()),
            )),
        }
    }
}

/// An ID given on the command line, checked before anything is sent.
pub(crate) fn parse_id<T>(kind: &str, text: &str) -> CliResult<T>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    check_uuid(kind, text, "the command line")?;
    text.to_ascii_lowercase()
        .parse()
        .map_err(|error: T::Err| CliError::bad(error.to_string()))
}

/// A permission type: any value is taken (types stay open); the SDK refuses those that
/// cannot be granted before anything is sent.
pub(crate) fn permission_type(text: &str) -> CliResult<PermissionType> {
    let text = text.trim();
    if text.is_empty() {
        return Err(CliError::bad("a permission type must not be empty"));
    }
    Ok(PermissionType::from_wire(&text.to_ascii_lowercase()))
}

/// Several resources share a name.
pub(crate) fn ambiguous<'a>(
    kinds: &str,
    name: &str,
    ids: impl Iterator<Item = &'a str>,
) -> CliError {
    let ids: Vec<String> = ids.map(escape).collect();
    CliError::bad(format!(
        "{} {kinds} are named \"{}\": {}; give an ID",
        ids.len(),
        escape(name),
        ids.join(", ")
    ))
}

/// Refuses, before anything is shown or sent, to delete a resource whose name safe mode
/// does not allow.
pub(crate) fn check_safe_mode(
    no_safe_mode: bool,
    kind: airbyte::cloud::ResourceKind,
    id: &str,
    name: &str,
) -> CliResult {
    if no_safe_mode || airbyte::cloud::is_safe_to_delete(name) {
        return Ok(());
    }
    Err(CliError::from(airbyte::Error::SafeModeRefusal {
        kind,
        id: id.to_owned(),
        name: name.to_owned(),
    })
    .hint("rename it, or pass --no-safe-mode to delete whatever the name"))
}
