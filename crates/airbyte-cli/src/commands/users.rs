//! `users`: the users of an organization, and the user the credentials act as.

use crate::cli::UsersCommand;
use crate::commands::access::Access;
use crate::error::{CliError, CliResult};
use crate::output::{Column, Out, text};
use crate::session::uuid_of;

const COLUMNS: &[Column] = &[
    text("ID", "/id"),
    text("NAME", "/name"),
    text("EMAIL", "/email"),
];

const ME_COLUMNS: &[Column] = &[
    text("ID", "/userId"),
    text("NAME", "/name"),
    text("EMAIL", "/email"),
    text("STATUS", "/status"),
    text("DEFAULT WORKSPACE", "/defaultWorkspaceId"),
];

pub(crate) async fn run(access: &Access, out: &Out, command: UsersCommand) -> CliResult {
    match command {
        UsersCommand::List {
            organization,
            ids,
            emails,
            name,
            limit,
        } => {
            let organization = access
                .organization(organization.organization.as_deref())
                .await?;
            let ids = ids
                .iter()
                .map(|id| super::access::parse_id("user ID", id))
                .collect::<CliResult<Vec<_>>>()?;
            let mut list = access
                .sdk()
                .list_users(&organization)
                .ids(&ids)
                .emails(emails)
                .limit(limit);
            if let Some(name) = name {
                list = list.name(name);
            }
            out.list(&list.await?, COLUMNS)
        }
        UsersCommand::Get { user, organization } => {
            let organization = access
                .organization(organization.organization.as_deref())
                .await?;
            let list = access.sdk().list_users(&organization);
            let found = match uuid_of(&user) {
                Some(id) => {
                    let id = super::access::parse_id("user ID", &id)?;
                    list.ids([&id]).first().await?
                }
                None if user.contains('@') => list.emails([user.as_str()]).first().await?,
                None => {
                    return Err(CliError::bad("give a user ID (a UUID) or an email address"));
                }
            };
            match found {
                Some(found) => out.one(&found, COLUMNS),
                None => Err(CliError::not_found("user", user)),
            }
        }
        UsersCommand::Me => out.one(&access.sdk().current_user().await?, ME_COLUMNS),
    }
}
