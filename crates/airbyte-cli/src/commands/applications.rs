//! `applications`: client credentials that act as their user. The client secret is printed
//! once, by `applications create`, and never by `list` or `get`.

use airbyte::cloud::{Application, ResourceKind};
use airbyte::models::ApplicationId;
use serde_json::json;

use crate::cli::{ApplicationsCommand, GlobalArgs};
use crate::commands::access::{Access, ambiguous, check_safe_mode, parse_id};
use crate::delete::found_or_skip;
use crate::error::{CliError, CliResult};
use crate::output::{Column, Kind, Out, col, text};
use crate::plan::{Action, Change, Plan};
use crate::session::uuid_of;

const COLUMNS: &[Column] = &[
    text("ID", "/id"),
    text("NAME", "/name"),
    text("CLIENT ID", "/clientId"),
    col("CREATED", "/createdAt", Kind::Time),
];

const CREATED_COLUMNS: &[Column] = &[
    text("ID", "/id"),
    text("NAME", "/name"),
    text("CLIENT ID", "/clientId"),
    text("CLIENT SECRET", "/clientSecret"),
];

/// An application named by ID or exact name.
async fn find(access: &Access, text: &str) -> CliResult<Application> {
    let sdk = access.sdk();
    if let Some(id) = uuid_of(text) {
        let id: ApplicationId = parse_id("application ID", &id)?;
        return Ok(sdk.fetch_application(&id).await?);
    }
    let named = sdk.list_applications().name(text).await?;
    match named.as_slice() {
        [] => Err(CliError::not_found("application", text)),
        [one] => Ok(one.clone()),
        many => Err(ambiguous(
            "applications",
            text,
            many.iter().map(|application| application.id.as_str()),
        )),
    }
}

pub(crate) async fn run(
    access: &Access,
    global: &GlobalArgs,
    out: &Out,
    command: ApplicationsCommand,
) -> CliResult {
    let sdk = access.sdk();
    match command {
        ApplicationsCommand::List { name } => {
            let mut list = sdk.list_applications();
            if let Some(name) = name {
                list = list.name(name);
            }
            out.list(&list.await?, COLUMNS)
        }
        ApplicationsCommand::Get { application } => {
            out.one(&find(access, &application).await?, COLUMNS)
        }
        ApplicationsCommand::Create { name, dry_run } => {
            if name.trim().is_empty() {
                return Err(CliError::bad("an application name must not be empty"));
            }
            let plan = Plan::of(Change::new(Action::Create, "application").name(name.clone()));
            if plan.preview(dry_run, out) {
                return Ok(());
            }
            let created = sdk.create_application(&name).await?;
            let application = &created.application;
            out.one(
                &json!({
                    "id": application.id,
                    "name": application.name,
                    "clientId": application.client_id,
                    "createdAt": application.created_at,
                    "clientSecret": created.client_secret.expose_secret(),
                }),
                CREATED_COLUMNS,
            )?;
            out.note("Store the client secret now: it is not shown again.");
            Ok(())
        }
        ApplicationsCommand::Delete {
            application,
            delete,
        } => {
            let args = delete.as_delete_args();
            let found = find(access, &application)
                .await
                .map_err(|error| match error {
                    CliError::Sdk(error) if error.is_not_found() => {
                        CliError::not_found("application", application.clone())
                    }
                    other => other,
                });
            let Some(current) = found_or_skip(found, &args, out, "application", &application)?
            else {
                return Ok(());
            };
            check_safe_mode(
                delete.no_safe_mode,
                ResourceKind::Application,
                current.id.as_str(),
                &current.name,
            )?;
            let plan = Plan::of(
                Change::new(Action::Delete, "application")
                    .id(&current.id)
                    .name(current.name.clone())
                    .detail("its tokens stop working"),
            );
            if plan.preview(delete.dry_run, out) {
                return Ok(());
            }
            plan.confirm(global).await?;
            sdk.delete_application(&current.id, !delete.no_safe_mode)
                .await?;
            out.note(&format!(
                "deleted application \"{}\" ({})",
                current.name, current.id
            ));
            Ok(())
        }
    }
}
