//! `export`, `plan` and `apply`: the workspace as files.

use std::path::PathBuf;

use clap::Args;

use super::DryRun;

/// A path of workspace files. `-` is refused rather than taken as a name: the files are
/// several (a directory, its lock file beside them), so standard input and output cannot hold
/// them.
fn parse_files_path(text: &str) -> Result<PathBuf, String> {
    if text.trim() == "-" {
        return Err(
            "`-` (standard input or output) cannot hold workspace files: they are a directory \
             of several files and a lock file; give a path"
                .to_owned(),
        );
    }
    Ok(PathBuf::from(text))
}

/// `airbyte export`.
#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// The directory to write (created when missing): tags.yaml, definitions.yaml,
    /// sources.yaml, destinations.yaml, connections.yaml, manifests/, airbyte.lock and
    /// secrets.env.template.
    #[arg(long, value_name = "DIR", default_value = ".", value_parser = parse_files_path)]
    pub(crate) out: PathBuf,
    /// The lock file (default: airbyte.lock in the directory).
    #[arg(long, value_name = "FILE", value_parser = parse_files_path)]
    pub(crate) lock_file: Option<PathBuf>,
}

/// What `plan` and `apply` read and how they treat what the files do not have.
#[derive(Debug, Args)]
pub(crate) struct FilesArgs {
    /// The directory of workspace files.
    #[arg(long = "dir", short = 'f', value_name = "DIR", default_value = ".", value_parser = parse_files_path)]
    pub(crate) dir: PathBuf,
    /// Delete what the workspace has and the files do not (listed first, with what depends
    /// on it).
    #[arg(long)]
    pub(crate) prune: bool,
    /// Delete whatever the name (safe mode wants delete-me or deleteme in every name that a
    /// prune or a replace deletes).
    #[arg(long)]
    pub(crate) no_safe_mode: bool,
    /// The lock file (default: airbyte.lock in the directory).
    #[arg(long, value_name = "FILE", value_parser = parse_files_path)]
    pub(crate) lock_file: Option<PathBuf>,
    /// Do not read the streams sources offer to check the files' streams (the server
    /// checks them when they are sent).
    #[arg(long)]
    pub(crate) no_stream_check: bool,
}

/// `airbyte plan`.
#[derive(Debug, Args)]
pub(crate) struct PlanArgs {
    #[command(flatten)]
    pub(crate) files: FilesArgs,
}

/// `airbyte apply`.
#[derive(Debug, Args)]
pub(crate) struct ApplyArgs {
    #[command(flatten)]
    pub(crate) files: FilesArgs,
    /// How many resources to work on at once.
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub(crate) parallel: u16,
    #[command(flatten)]
    pub(crate) dry_run: DryRun,
}
