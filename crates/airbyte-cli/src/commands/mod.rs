//! The commands, one module per group.

mod config;
mod connections;
mod connectors;
mod definitions;
mod jobs;
mod mock;
mod quickstart;
mod tools;
mod transfer;
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
                Command::Sync(args) => {
                    jobs::start(&session.workspace()?, global, &out, jobs::Start::Sync(args)).await
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
                Command::Definitions(command) => {
                    definitions::run(&session.workspace()?, global, &out, command).await
                }
                Command::State(command) => {
                    transfer::state(&session.workspace()?, &out, command).await
                }
                Command::Catalog(command) => {
                    transfer::catalog(&session.workspace()?, &out, command).await
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
