//! The quickstart, settings, completions, man pages and the mock server.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};

use super::parse_duration;

#[derive(Debug, Args)]
pub(crate) struct QuickstartArgs {
    /// Keep the created resources instead of deleting them at the end.
    #[arg(long)]
    pub(crate) keep: bool,
    /// Use the embedded mock server even when an Airbyte is configured.
    #[arg(long)]
    pub(crate) offline: bool,
    /// How long to wait for the sync (0 for no limit).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "10m")]
    pub(crate) timeout: Duration,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConfigCommand {
    /// Every setting in effect, where it came from (flag, variable, file, default), secrets
    /// masked.
    View,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// Write `airbyte.1` and one page per command into this directory.
    #[arg(long, value_name = "DIR")]
    pub(crate) out_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct MockArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8000")]
    pub(crate) addr: std::net::SocketAddr,
    /// How long a job runs (3s, 500ms, ...).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "3s")]
    pub(crate) job_duration: Duration,
    /// A directory of recorded interactions.
    #[arg(long)]
    pub(crate) fixtures: Option<PathBuf>,
    /// Seed of IDs and faults.
    #[arg(long)]
    pub(crate) seed: Option<u64>,
}
