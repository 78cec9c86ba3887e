//! The commands, one module per group.

mod access;
mod applications;
mod config;
mod connections;
mod connectors;
mod definitions;
pub(crate) mod files;
mod fleet;
mod groups;
mod jobs;
mod mock;
mod permissions;
mod platform;
mod quickstart;
mod regions;
mod tools;
mod transfer;
mod users;
mod workspaces;

use airbyte::cloud::{Destination, Source};

use crate::cli::{Cli, Command, SourcesCommand};
use crate::error::CliResult;
use crate::output::Out;
use crate::session::Session;
use crate::settings::Settings;

/// Runs a parsed command line.
pub(crate) async fn run(cli: Cli, out: Out) -> CliResult {
    let global = &cli.global;
    match cli.command {
        Command::Quickstart(args) => quickstart::run(global, &out, &args).await,
        Command::Mock(args) => mock::run(&out, &args).await,
        Command::Config(command) => config::run(global, &out, &command),
        Command::Completions(args) => {
            tools::completions(&args);
            Ok(())
        }
        Command::Man(args) => tools::man(&args),
        command => {
            let settings = Settings::resolve(global)?;
            let session = Session::new(&settings, global.request_timeout)?;
            match command {
                Command::Workspaces(command) => workspaces::run(&session, &out, command).await,
                Command::Organizations(command) => {
                    workspaces::organizations(&session, &out, command).await
                }
                Command::Sources(SourcesCommand::Common(command)) => {
                    connectors::run::<Source>(&session.workspace()?, global, &out, command).await
                }
                Command::Sources(SourcesCommand::Streams {
                    id,
                    destination,
                    refresh,
                }) => {
                    connectors::streams(&session.workspace()?, &out, &id, destination, refresh)
                        .await
                }
                Command::Destinations(command) => {
                    connectors::run::<Destination>(&session.workspace()?, global, &out, command)
                        .await
                }
                Command::Connections(command) => {
                    connections::run(&session.workspace()?, global, &out, command).await
                }
                Command::Sync(args) if args.is_many() => {
                    fleet::sync_many(&session.workspace()?, &out, &args).await
                }
                Command::Sync(args) => {
                    let Some(connection) = args.connection else {
                        return Err(crate::error::CliError::bad(
                            "give a connection, or --all, --tag or --name",
                        ));
                    };
                    let start = crate::cli::StartArgs {
                        connection,
                        options: args.options,
                    };
                    jobs::start(
                        &session.workspace()?,
                        global,
                        &out,
                        jobs::Start::Sync(start),
                    )
                    .await
                }
                Command::Reset(args) => {
                    jobs::start(
                        &session.workspace()?,
                        global,
                        &out,
                        jobs::Start::Reset(args),
                    )
                    .await
                }
                Command::Clear(args) => {
                    jobs::start(
                        &session.workspace()?,
                        global,
                        &out,
                        jobs::Start::Clear(args),
                    )
                    .await
                }
                Command::Jobs(command) => jobs::run(&session.workspace()?, &out, command).await,
                Command::Export(args) => files::export(&session.workspace()?, &out, &args).await,
                Command::Plan(args) => files::plan(&session.workspace()?, &out, &args).await,
                Command::Apply(args) => {
                    files::apply(&session.workspace()?, global, &out, &args).await
                }
                Command::Definitions(command) => {
                    definitions::run(&session.workspace()?, global, &out, command).await
                }
                // Platform family.
                Command::DestinationDefinitions(command) => {
                    platform::destination_definitions(&session.workspace()?, global, &out, command)
                        .await
                }
                Command::ConnectorDefinitions(command) => {
                    platform::connector_definitions(&session.workspace()?, &out, command).await
                }
                Command::Tags(command) => {
                    platform::tags(&session.workspace()?, global, &out, command).await
                }
                Command::State(command) => {
                    transfer::state(&session.workspace()?, &out, command).await
                }
                Command::Catalog(command) => {
                    transfer::catalog(&session.workspace()?, &out, command).await
                }
                // Access: users, permissions, groups, applications.
                Command::Users(command) => {
                    users::run(&access::Access::new(&session)?, &out, command).await
                }
                Command::Permissions(command) => {
                    permissions::run(&access::Access::new(&session)?, global, &out, command).await
                }
                Command::Groups(command) => {
                    groups::run(&access::Access::new(&session)?, global, &out, command).await
                }
                Command::Regions(command) => {
                    regions::regions(&access::Access::new(&session)?, global, &out, command).await
                }
                Command::Dataplanes(command) => {
                    regions::dataplanes(&access::Access::new(&session)?, global, &out, command)
                        .await
                }
                Command::Applications(command) => {
                    applications::run(&access::Access::new(&session)?, global, &out, command).await
                }
                Command::Quickstart(_)
                | Command::Mock(_)
                | Command::Config(_)
                | Command::Completions(_)
                | Command::Man(_) => Ok(()),
            }
        }
    }
}

/// Reads up to `limit` items page by page (pages of at most 100), stopping at a short page:
/// `fetch(offset, page_size)` reads one page.
///
/// # Errors
///
/// The first error of a page.
pub(crate) async fn read_pages<T, F, Fut>(limit: usize, mut fetch: F) -> CliResult<Vec<T>>
where
    F: FnMut(u32, u32) -> Fut,
    Fut: std::future::Future<Output = CliResult<Vec<T>>>,
{
    let page_size = u32::try_from(limit.clamp(1, 100)).unwrap_or(100);
    let mut items = Vec::new();
    let mut offset = 0u32;
    while items.len() < limit {
        let page = fetch(offset, page_size).await?;
        let received = page.len();
        items.extend(page);
        if received < page_size as usize {
            break;
        }
        offset = offset.saturating_add(page_size);
    }
    items.truncate(limit);
    Ok(items)
}
