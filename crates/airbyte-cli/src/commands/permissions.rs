//! `permissions`: list, show, grant, change and revoke the permissions of users.

use airbyte::models::{PermissionCreateRequest, PermissionId, PermissionScope};

use crate::cli::{DeleteArgs, GlobalArgs, PermissionsCommand, ScopeArgs};
use crate::commands::access::{Access, parse_id, permission_type};
use crate::delete::found_or_skip;
use crate::error::{CliError, CliResult, or_not_found};
use crate::output::{Column, Out, text, to_value};
use crate::plan::{Action, Change, Plan};

const LIST_COLUMNS: &[Column] = &[
    text("ID", "/permissionId"),
    text("TYPE", "/permissionType"),
    text("USER", "/userId"),
    text("SCOPE", "/scope"),
    text("SCOPE ID", "/scopeId"),
];

pub(crate) const COLUMNS: &[Column] = &[
    text("ID", "/permissionId"),
    text("TYPE", "/permissionType"),
    text("USER", "/userId"),
    text("WORKSPACE", "/workspaceId"),
    text("ORGANIZATION", "/organizationId"),
];

/// Where a permission of `kind` applies, from `--workspace` or `--organization` (or their
/// defaults): `(workspace, organization)`.
pub(crate) async fn scope_of(
    access: &Access,
    kind: &airbyte::models::PermissionType,
    scope: &ScopeArgs,
) -> CliResult<(
    Option<airbyte::models::WorkspaceId>,
    Option<airbyte::models::OrganizationId>,
)> {
    match (kind.scope(), &scope.workspace, &scope.organization) {
        (PermissionScope::Organization, None, organization) => Ok((
            None,
            Some(access.organization(organization.as_deref()).await?),
        )),
        (PermissionScope::Workspace, workspace, None) => {
            Ok((Some(access.workspace_id(workspace.as_deref())?), None))
        }
        // A scope that does not fit the type: the SDK names what is wrong.
        (_, workspace, organization) => Ok((
            workspace
                .as_deref()
                .map(|id| parse_id("workspace ID", id))
                .transpose()?,
            match organization {
                Some(text) => Some(access.organization(Some(text)).await?),
                None => None,
            },
        )),
    }
}

pub(crate) async fn run(
    access: &Access,
    global: &GlobalArgs,
    out: &Out,
    command: PermissionsCommand,
) -> CliResult {
    let sdk = access.sdk();
    match command {
        PermissionsCommand::List {
            user,
            organization,
            limit,
        } => {
            let mut list = sdk.list_permissions().limit(limit);
            if let Some(organization) = &organization {
                list = list.organization(&access.organization(Some(organization)).await?);
            }
            if let Some(user) = &user {
                list = list.user(&access.user(organization.as_deref(), user).await?);
            }
            out.list(&list.await?, LIST_COLUMNS)
        }
        PermissionsCommand::Get { id } => {
            let id: PermissionId = parse_id("permission ID", &id)?;
            out.one(&sdk.fetch_permission(&id).await?, COLUMNS)
        }
        PermissionsCommand::Create {
            user,
            permission_type: kind,
            scope,
            dry_run,
        } => {
            let kind = permission_type(&kind)?;
            let user_id = access.user(scope.organization.as_deref(), &user).await?;
            let (workspace_id, organization_id) = scope_of(access, &kind, &scope).await?;
            let request = PermissionCreateRequest {
                permission_type: kind.clone(),
                user_id,
                workspace_id,
                organization_id,
            };
            if let Some(problem) = request.problem() {
                return Err(CliError::bad(problem));
            }
            let plan = Plan::of(
                Change::new(Action::Create, "permission")
                    .detail(format!("{kind} for user {}", request.user_id))
                    .request(to_value(&request)?),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            out.one(&sdk.create_permission(&request).await?, COLUMNS)
        }
        PermissionsCommand::Update {
            id,
            permission_type: kind,
            dry_run,
        } => {
            let id: PermissionId = parse_id("permission ID", &id)?;
            let kind = permission_type(&kind)?;
            let current = sdk.fetch_permission(&id).await?;
            // Checked as the SDK checks it, so that a dry run refuses alike.
            if !kind.is_grantable() {
                return Err(CliError::bad(format!(
                    "permission type {kind} cannot be granted through the Public API"
                )));
            }
            if let Some(problem) = kind.scope_problem(
                current.workspace_id.is_some(),
                current.organization_id.is_some(),
            ) {
                return Err(CliError::bad(format!(
                    "{problem}: permission {id} is a {} permission",
                    current.permission_type.scope()
                )));
            }
            let plan = Plan::of(
                Change::new(Action::Update, "permission")
                    .id(&id)
                    .detail(format!("type {} -> {kind}", current.permission_type)),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            out.one(&sdk.update_permission(&id, kind).await?, COLUMNS)
        }
        PermissionsCommand::Delete {
            id,
            ignore_not_found,
            dry_run,
        } => {
            let args = DeleteArgs {
                ignore_not_found,
                dry_run,
                ..DeleteArgs::default()
            };
            let id: PermissionId = parse_id("permission ID", &id)?;
            let found = or_not_found(sdk.fetch_permission(&id).await, "permission", id.as_str());
            let Some(permission) = found_or_skip(found, &args, out, "permission", id.as_str())?
            else {
                return Ok(());
            };
            let place = permission
                .workspace_id
                .as_ref()
                .map(|workspace| format!("workspace {workspace}"))
                .or_else(|| {
                    permission
                        .organization_id
                        .as_ref()
                        .map(|organization| format!("organization {organization}"))
                })
                .unwrap_or_else(|| "the instance".to_owned());
            let plan = Plan::of(
                Change::new(Action::Delete, "permission")
                    .id(&id)
                    .detail(format!(
                        "{} of user {} on {place}",
                        permission.permission_type, permission.user_id
                    )),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            plan.confirm(global).await?;
            sdk.delete_permission(&id).await?;
            out.note(&format!("deleted permission {id}"));
            Ok(())
        }
    }
}
