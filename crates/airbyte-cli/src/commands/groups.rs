//! `groups`: groups of users, their members and the permissions they grant.

use airbyte::cloud::ResourceKind;
use airbyte::models::{GroupId, GroupPermissionCreateRequest, PermissionId, UserId};

use crate::cli::{DryRun, GlobalArgs, GroupsCommand, OrganizationArg};
use crate::commands::access::{Access, check_safe_mode, parse_id, permission_type};
use crate::commands::permissions::scope_of;
use crate::delete::found_or_skip;
use crate::error::{CliError, CliResult, or_not_found};
use crate::output::{Column, Kind, Out, col, text, to_value};
use crate::plan::{Action, Change, Plan};

const COLUMNS: &[Column] = &[
    text("ID", "/groupId"),
    text("NAME", "/name"),
    col("MEMBERS", "/memberCount", Kind::Count),
    text("DESCRIPTION", "/description"),
];

const MEMBER_COLUMNS: &[Column] = &[
    text("USER", "/userId"),
    text("NAME", "/userName"),
    text("EMAIL", "/userEmail"),
];

const PERMISSION_COLUMNS: &[Column] = &[
    text("ID", "/permissionId"),
    text("TYPE", "/permissionType"),
    text("WORKSPACE", "/workspaceId"),
    text("ORGANIZATION", "/organizationId"),
];

pub(crate) async fn run(
    access: &Access,
    global: &GlobalArgs,
    out: &Out,
    command: GroupsCommand,
) -> CliResult {
    let sdk = access.sdk();
    match command {
        GroupsCommand::List {
            organization,
            name,
            limit,
        } => {
            let organization = access
                .organization(organization.organization.as_deref())
                .await?;
            let mut list = sdk.list_groups(&organization).limit(limit);
            if let Some(name) = name {
                list = list.name(name);
            }
            out.list(&list.await?, COLUMNS)
        }
        GroupsCommand::Get {
            group,
            organization,
        } => {
            let id = group_of(access, &organization, &group).await?;
            out.one(&sdk.fetch_group(&id).await?, COLUMNS)
        }
        GroupsCommand::Create {
            name,
            description,
            organization,
            dry_run,
        } => {
            if name.trim().is_empty() {
                return Err(CliError::bad("a group name must not be empty"));
            }
            let organization = access
                .organization(organization.organization.as_deref())
                .await?;
            let mut change = Change::new(Action::Create, "group")
                .name(name.clone())
                .detail(format!("in organization {organization}"));
            if let Some(description) = &description {
                change = change.request(serde_json::json!({
                    "name": name,
                    "description": description,
                    "organizationId": organization,
                }));
            }
            if Plan::of(change).preview(dry_run, out) {
                return Ok(());
            }
            let mut create = sdk.create_group(&organization, name);
            if let Some(description) = description {
                create = create.description(description);
            }
            out.one(&create.await?, COLUMNS)
        }
        GroupsCommand::Update {
            group,
            name,
            description,
            organization,
            dry_run,
        } => {
            if name.is_none() && description.is_none() {
                return Err(CliError::bad(
                    "nothing to change: give --name or --description",
                ));
            }
            if name.as_ref().is_some_and(|name| name.trim().is_empty()) {
                return Err(CliError::bad("a group name must not be empty"));
            }
            let id = group_of(access, &organization, &group).await?;
            let current = sdk.fetch_group(&id).await?;
            let mut details = Vec::new();
            if let Some(name) = &name {
                details.push(format!("name \"{}\" -> \"{name}\"", current.name));
            }
            if let Some(description) = &description {
                details.push(format!(
                    "description \"{}\" -> \"{description}\"",
                    current.description.as_deref().unwrap_or_default()
                ));
            }
            let plan = Plan::of(
                Change::new(Action::Update, "group")
                    .id(&id)
                    .name(current.name.clone())
                    .detail(details.join(", ")),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            let mut update = sdk.update_group(&id);
            if let Some(name) = name {
                update = update.name(name);
            }
            if let Some(description) = description {
                update = update.description(description);
            }
            out.one(&update.await?, COLUMNS)
        }
        GroupsCommand::Delete {
            group,
            organization,
            delete,
        } => {
            let args = delete.as_delete_args();
            let found = match group_of(access, &organization, &group).await {
                Ok(id) => or_not_found(sdk.fetch_group(&id).await, "group", &group),
                Err(error) => Err(error),
            };
            let Some(current) = found_or_skip(found, &args, out, "group", &group)? else {
                return Ok(());
            };
            let id = current.group_id.clone();
            check_safe_mode(
                delete.no_safe_mode,
                ResourceKind::Group,
                id.as_str(),
                &current.name,
            )?;
            let plan = Plan::of(
                Change::new(Action::Delete, "group")
                    .id(&id)
                    .name(current.name.clone())
                    .detail(format!(
                        "{} member(s) lose what it grants",
                        current.member_count
                    )),
            );
            if plan.preview(delete.dry_run, out) {
                return Ok(());
            }
            plan.confirm(global).await?;
            sdk.delete_group(&id, !delete.no_safe_mode).await?;
            out.note(&format!("deleted group \"{}\" ({id})", current.name));
            Ok(())
        }
        GroupsCommand::Members {
            group,
            organization,
        } => {
            let id = group_of(access, &organization, &group).await?;
            out.list(&sdk.list_group_members(&id).await?, MEMBER_COLUMNS)
        }
        GroupsCommand::AddMember {
            group,
            user,
            organization,
            dry_run,
        } => {
            let Some((id, user_id)) =
                membership(access, &organization, &group, &user, "add", dry_run, out).await?
            else {
                return Ok(());
            };
            out.one(&sdk.add_group_member(&id, &user_id).await?, MEMBER_COLUMNS)
        }
        GroupsCommand::RemoveMember {
            group,
            user,
            organization,
            dry_run,
        } => {
            let Some((id, user_id)) =
                membership(access, &organization, &group, &user, "remove", dry_run, out).await?
            else {
                return Ok(());
            };
            plan_membership(&id, &user_id, "remove")
                .confirm(global)
                .await?;
            or_not_found(
                sdk.remove_group_member(&id, &user_id).await,
                "group member",
                user_id.as_str(),
            )?;
            out.note(&format!("removed user {user_id} from group {id}"));
            Ok(())
        }
        GroupsCommand::Permissions {
            group,
            organization,
        } => {
            let id = group_of(access, &organization, &group).await?;
            out.list(&sdk.list_group_permissions(&id).await?, PERMISSION_COLUMNS)
        }
        GroupsCommand::Grant {
            group,
            permission_type: kind,
            scope,
            dry_run,
        } => {
            let kind = permission_type(&kind)?;
            let id = access.group(scope.organization.as_deref(), &group).await?;
            let (workspace_id, organization_id) = scope_of(access, &kind, &scope).await?;
            let request = GroupPermissionCreateRequest {
                permission_type: kind.clone(),
                workspace_id,
                organization_id,
            };
            if !kind.is_grantable() {
                return Err(CliError::bad(format!(
                    "permission type {kind} cannot be granted through the Public API"
                )));
            }
            if let Some(problem) = request.problem() {
                return Err(CliError::bad(problem));
            }
            let plan = Plan::of(
                Change::new(Action::Create, "group permission")
                    .detail(format!("{kind} for group {id}"))
                    .request(to_value(&request)?),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            out.one(
                &sdk.create_group_permission(&id, &request).await?,
                PERMISSION_COLUMNS,
            )
        }
        GroupsCommand::Revoke {
            group,
            permission,
            organization,
            dry_run,
        } => {
            let id = group_of(access, &organization, &group).await?;
            let permission: PermissionId = parse_id("permission ID", &permission)?;
            let granted = sdk.list_group_permissions(&id).await?;
            let Some(found) = granted.iter().find(|item| item.permission_id == permission) else {
                return Err(CliError::not_found("group permission", permission.as_str()));
            };
            let plan = Plan::of(
                Change::new(Action::Delete, "group permission")
                    .id(&permission)
                    .detail(format!("{} of group {id}", found.permission_type)),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            plan.confirm(global).await?;
            sdk.delete_group_permission(&id, &permission).await?;
            out.note(&format!("revoked permission {permission} of group {id}"));
            Ok(())
        }
    }
}

/// A group named by ID, or by exact name in the organization `--organization` names (default:
/// the configured one).
async fn group_of(
    access: &Access,
    organization: &OrganizationArg,
    group: &str,
) -> CliResult<GroupId> {
    access
        .group(organization.organization.as_deref(), group)
        .await
}

/// The plan of adding a member to a group or removing one.
fn plan_membership(group: &GroupId, user: &UserId, verb: &str) -> Plan {
    Plan::of(
        Change::new(Action::Update, "group")
            .id(group)
            .detail(format!("{verb} member {user}")),
    )
}

/// The group and user of a membership change, found by ID, name or email; `None` after a
/// dry run has shown the change.
async fn membership(
    access: &Access,
    organization: &OrganizationArg,
    group: &str,
    user: &str,
    verb: &str,
    dry_run: DryRun,
    out: &Out,
) -> CliResult<Option<(GroupId, UserId)>> {
    let id = group_of(access, organization, group).await?;
    let user_id = access
        .user(organization.organization.as_deref(), user)
        .await?;
    if plan_membership(&id, &user_id, verb).preview(dry_run, out) {
        return Ok(None);
    }
    Ok(Some((id, user_id)))
}
