//! `airbyte`: manage Airbyte from a terminal. See `airbyte --help`.

mod cli;
mod commands;
mod delete;
mod error;
mod fleet_watch;
mod input;
mod logging;
mod output;
mod plan;
mod resolve;
mod session;
mod settings;
mod wait;

use std::process::ExitCode;

use crate::cli::Command;
use crate::output::{Out, write_stderr};

fn main() -> ExitCode {
    let cli = cli::parse();
    logging::init(cli.global.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            write_stderr(&format!("error: cannot start the async runtime: {error}\n"));
            return ExitCode::from(error::exit::API);
        }
    };
    let code = runtime.block_on(run(cli));
    // A blocking read (a prompt's answer) may still wait for input after Ctrl-C: do not
    // wait for it.
    runtime.shutdown_background();
    code
}

async fn run(cli: cli::Cli) -> ExitCode {
    let out = Out::new(cli.global.output, cli.global.color);
    let limit = cli.global.command_timeout;
    // The mock server stops on Ctrl-C and SIGTERM by itself, cleanly; every other command is
    // stopped here, which also reports a job it was watching.
    let own_interrupts = !matches!(cli.command, Command::Mock(_));
    let is_plan = matches!(cli.command, Command::Plan(_));
    let result = tokio::select! {
        result = commands::run(cli, out) => result,
        // The command's future is dropped before the stop is handled (`select!` drops every
        // branch first).
        stop = wait::stop_signal(), if own_interrupts => Err(wait::stopped(stop).await),
        () = sleep_for(limit), if limit.is_some() => {
            Err(wait::command_timed_out(limit.unwrap_or_default()))
        }
    };
    // Results lost to a full disk must not pass for success (a closed pipe is fine).
    let result = result.and_then(|()| match output::stdout_failure() {
        Some(reason) => Err(error::CliError::Output(reason)),
        None => Ok(()),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            if !error.is_silent() {
                write_stderr(&format!("error: {error}\n"));
            }
            if is_plan {
                ExitCode::from(commands::files::plan_exit_code(&error))
            } else {
                ExitCode::from(error.exit_code())
            }
        }
    }
}

async fn sleep_for(limit: Option<std::time::Duration>) {
    match limit {
        Some(limit) => tokio::time::sleep(limit).await,
        None => std::future::pending().await,
    }
}
