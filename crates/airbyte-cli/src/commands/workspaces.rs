//! `workspaces` and `organizations`: what the credentials can see.

use airbyte::models::ops::{self, ListParams};
use airbyte::models::{OrganizationId, WorkspaceCreateRequest, WorkspaceId, WorkspaceResponse};

use airbyte::cloud::AccessScope;
use serde_json::json;

use crate::cli::{OrganizationsCommand, WorkspaceScope, WorkspacesCommand};
use crate::error::{CliError, CliResult, or_not_found};
use crate::output::{Column, Out, escape, text};
use crate::plan::{Action, Change, Plan};
use crate::session::{Session, uuid_of};

const COLUMNS: &[Column] = &[
    text("ID", "/workspaceId"),
    text("NAME", "/name"),
    text("RESIDENCY", "/dataResidency"),
];

const SCOPED_COLUMNS: &[Column] = &[
    text("ID", "/workspaceId"),
    text("NAME", "/name"),
    text("PERMISSION", "/permissionType"),
    text("THROUGH", "/scope"),
];

const DEFAULT_COLUMNS: &[Column] = &[
    text("USER", "/userId"),
    text("DEFAULT WORKSPACE", "/defaultWorkspaceId"),
];

const ORGANIZATION_COLUMNS: &[Column] = &[
    text("ID", "/organizationId"),
    text("NAME", "/organizationName"),
    text("EMAIL", "/email"),
];

/// The most workspaces read, so that a server that never stops paging cannot loop forever.
const MAX_WORKSPACES: usize = 100_000;

/// Every workspace the credentials can see, page by page (no workspace ID needed).
async fn all_workspaces(
    session: &Session,
    limit: Option<usize>,
) -> CliResult<Vec<WorkspaceResponse>> {
    let limit = limit.unwrap_or(MAX_WORKSPACES).min(MAX_WORKSPACES);
    super::read_pages(limit, |offset, page_size| async move {
        let params = ListParams {
            limit: page_size,
            offset,
            ..ListParams::default()
        };
        let page = session
            .client()
            .execute(ops::public::workspaces::list(&params))
            .await?;
        Ok(page.data)
    })
    .await
}

pub(crate) async fn run(session: &Session, out: &Out, command: WorkspacesCommand) -> CliResult {
    match command {
        WorkspacesCommand::List {
            name,
            limit,
            scope: Some(scope),
        } => {
            let scope = match scope {
                WorkspaceScope::Workspace => AccessScope::Workspace,
                WorkspaceScope::Organization => AccessScope::Organization,
                WorkspaceScope::All => AccessScope::All,
            };
            let reached = super::access::Access::new(session)?
                .sdk()
                .accessible_workspaces(scope)
                .await?;
            let mut rows: Vec<_> = reached
                .iter()
                .filter(|access| {
                    name.as_ref()
                        .is_none_or(|name| &access.workspace.name == name)
                })
                .map(|access| {
                    json!({
                        "workspaceId": access.workspace.workspace_id,
                        "name": access.workspace.name,
                        "organizationId": access.workspace.organization_id,
                        "permissionType": access.permission_type,
                        "scope": access.scope,
                    })
                })
                .collect();
            if let Some(limit) = limit {
                rows.truncate(limit);
            }
            out.list(&rows, SCOPED_COLUMNS)
        }
        WorkspacesCommand::Default => {
            let user = super::access::Access::new(session)?
                .sdk()
                .current_user()
                .await?;
            out.one(&user, DEFAULT_COLUMNS)
        }
        WorkspacesCommand::SetDefault { dry_run } => {
            let workspace = session.workspace()?;
            let plan = Plan::of(
                Change::new(Action::Update, "user")
                    .detail(format!("default workspace -> {}", workspace.id())),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            out.one(&workspace.set_default_workspace().await?, DEFAULT_COLUMNS)
        }
        WorkspacesCommand::List {
            name,
            limit,
            scope: None,
        } => {
            let mut all =
                all_workspaces(session, if name.is_some() { None } else { limit }).await?;
            if let Some(name) = &name {
                all.retain(|workspace| &workspace.name == name);
                if let Some(limit) = limit {
                    all.truncate(limit);
                }
            }
            out.list(&all, COLUMNS)
        }
        WorkspacesCommand::Get { workspace: None } => {
            out.one(&session.workspace()?.info().await?, COLUMNS)
        }
        WorkspacesCommand::Get {
            workspace: Some(arg),
        } => {
            if let Some(id) = uuid_of(&arg) {
                let id = WorkspaceId::new(&id).map_err(|error| CliError::bad(error.to_string()))?;
                let info =
                    or_not_found(session.workspace_by_id(id).info().await, "workspace", &arg)?;
                return out.one(&info, COLUMNS);
            }
            let matches: Vec<WorkspaceResponse> = all_workspaces(session, None)
                .await?
                .into_iter()
                .filter(|workspace| workspace.name == arg)
                .collect();
            match matches.as_slice() {
                [] => Err(CliError::not_found("workspace", arg)),
                [one] => out.one(one, COLUMNS),
                many => Err(CliError::bad(format!(
                    "{} workspaces are named \"{}\": {}; give an ID",
                    many.len(),
                    escape(&arg),
                    many.iter()
                        .map(|workspace| escape(workspace.workspace_id.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))),
            }
        }
        WorkspacesCommand::Rename { name, dry_run } => {
            let workspace = session.workspace()?;
            if name.trim().is_empty() {
                return Err(CliError::bad("a workspace name must not be empty"));
            }
            let current =
                or_not_found(workspace.info().await, "workspace", workspace.id().as_str())?;
            let plan = Plan::of(
                Change::new(Action::Update, "workspace")
                    .id(workspace.id())
                    .name(current.name.clone())
                    .detail(format!("name \"{}\" -> \"{}\"", current.name, name)),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            out.one(&workspace.rename(&name).await?, COLUMNS)
        }
        WorkspacesCommand::Create {
            name,
            organization_id,
            region_id,
            dry_run,
        } => {
            if name.trim().is_empty() {
                return Err(CliError::bad("a workspace name must not be empty"));
            }
            let organization_id = organization_id
                .map(|id| OrganizationId::new(id).map_err(|error| CliError::bad(error.to_string())))
                .transpose()?;
            let request = WorkspaceCreateRequest {
                name: name.clone(),
                organization_id,
                notifications: None,
                region_id,
            };
            let plan = Plan::of(
                Change::new(Action::Create, "workspace")
                    .name(name)
                    .request(serde_json::to_value(&request).unwrap_or_default()),
            );
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            let created = session
                .client()
                .execute(ops::public::workspaces::create(&request))
                .await?;
            out.one(&created, COLUMNS)
        }
    }
}

pub(crate) async fn organizations(
    session: &Session,
    out: &Out,
    command: OrganizationsCommand,
) -> CliResult {
    let OrganizationsCommand::List = command;
    let list = session
        .client()
        .execute(ops::public::organizations::list())
        .await?;
    out.list(&list.data, ORGANIZATION_COLUMNS)
}
