//! The command line: every command, flag and help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Manage Airbyte (Cloud or self-managed) from a terminal.
///
/// Configuration comes from flags, then environment variables (AIRBYTE_WORKSPACE_ID,
/// AIRBYTE_CLIENT_ID, AIRBYTE_CLIENT_SECRET, AIRBYTE_BEARER_TOKEN, AIRBYTE_API_ROOT,
/// AIRBYTE_CONFIG_API_ROOT, or their AIRBYTE_CLOUD_* forms), then a config file (--config-file,
/// or $AIRBYTE_CONFIG_FILE, or ~/.config/airbyte/config.yaml). A config file that holds a secret
/// must not be readable by others.
///
///
/// Exit codes: 0 success; 1 API or network error; 2 bad input; 3 a sync (or other job) failed;
/// 4 a wait timed out; 5 refused (safe mode, or a destructive command not confirmed).
#[derive(Debug, Parser)]
#[command(name = "airbyte", version, about, long_about)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Output formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// A readable table (the default on a terminal).
    #[default]
    Table,
    /// JSON, stable for scripts.
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// The workspace to work in.
    #[arg(long, global = true, value_name = "ID")]
    pub(crate) workspace_id: Option<String>,
    /// The Public API root (default https://api.airbyte.com/v1; self-managed:
    /// http(s)://HOST/api/public/v1).
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) api_root: Option<String>,
    /// The Config API root (inferred from the Public API root when not set).
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) config_api_root: Option<String>,
    /// The application's client ID.
    #[arg(long, global = true, value_name = "ID")]
    pub(crate) client_id: Option<String>,
    /// The application's client secret (prefer AIRBYTE_CLIENT_SECRET: flags show in process lists).
    #[arg(long, global = true, value_name = "SECRET", hide_env_values = true)]
    pub(crate) client_secret: Option<String>,
    /// A bearer token (prefer AIRBYTE_BEARER_TOKEN).
    #[arg(long, global = true, value_name = "TOKEN", hide_env_values = true)]
    pub(crate) bearer_token: Option<String>,
    /// A config file (YAML or JSON) with workspace_id, api_root, config_api_root, client_id,
    /// client_secret or bearer_token.
    #[arg(long, global = true, value_name = "FILE")]
    pub(crate) config_file: Option<PathBuf>,
    /// Output format (default: table).
    #[arg(long, short = 'o', global = true, value_enum, default_value = "table")]
    pub(crate) output: OutputFormat,
    /// Do not ask for confirmation before destructive commands.
    #[arg(long, short = 'y', global = true)]
    pub(crate) yes: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run the whole lifecycle (deploy, check, connect, sync, logs, history, clean up); on the
    /// embedded mock server when no Airbyte is configured.
    Quickstart(QuickstartArgs),
    /// Workspaces.
    #[command(subcommand)]
    Workspaces(WorkspacesCommand),
    /// Sources.
    #[command(subcommand)]
    Sources(ConnectorCommand),
    /// Destinations.
    #[command(subcommand)]
    Destinations(ConnectorCommand),
    /// Connections.
    #[command(subcommand)]
    Connections(ConnectionsCommand),
    /// Start a sync of a connection and, by default, wait for it with live progress.
    Sync(SyncArgs),
    /// Jobs (syncs, resets, clears).
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Custom source definitions (YAML manifests and Docker images).
    #[command(subcommand)]
    Definitions(DefinitionsCommand),
    /// A connection's state.
    #[command(subcommand)]
    State(TransferCommand),
    /// A connection's catalog.
    #[command(subcommand)]
    Catalog(TransferCommand),
    /// Run the offline mock server in the foreground.
    Mock(MockArgs),
}

#[derive(Debug, Args)]
pub(crate) struct QuickstartArgs {
    /// Keep the created resources instead of deleting them at the end.
    #[arg(long)]
    pub(crate) keep: bool,
    /// Use the embedded mock server even when an Airbyte is configured.
    #[arg(long)]
    pub(crate) offline: bool,
    /// How long to wait for the sync, in seconds.
    #[arg(long, default_value_t = 600)]
    pub(crate) timeout: u64,
}

#[derive(Debug, Subcommand)]
pub(crate) enum WorkspacesCommand {
    /// Every workspace the credentials can see.
    List,
    /// One workspace (the configured one by default).
    Get {
        /// The workspace.
        id: Option<String>,
    },
}

/// Where a JSON or YAML document comes from: inline text, `@file`, or a file path.
pub(crate) type Document = String;

#[derive(Debug, Subcommand)]
pub(crate) enum ConnectorCommand {
    /// List them.
    List {
        /// Only this exact name.
        #[arg(long)]
        name: Option<String>,
    },
    /// Show one.
    Get {
        /// The ID.
        id: String,
    },
    /// Create one from a configuration (JSON or YAML, inline, `@file` or a path).
    Create {
        /// The name.
        #[arg(long)]
        name: String,
        /// The connector type (`faker`, `postgres`, `bigquery`, ...).
        #[arg(long = "type", required_unless_present = "definition_id")]
        connector_type: Option<String>,
        /// A custom definition to run instead of a catalog type.
        #[arg(long)]
        definition_id: Option<String>,
        /// The configuration.
        #[arg(long, value_name = "JSON|YAML|@FILE")]
        config: Document,
        /// Allow a second one with the same name.
        #[arg(long)]
        allow_duplicate: bool,
    },
    /// Rename one.
    Rename {
        /// The ID.
        id: String,
        /// The new name.
        name: String,
    },
    /// Change configuration keys (merged into the current configuration).
    UpdateConfig {
        /// The ID.
        id: String,
        /// The keys to change.
        #[arg(long, value_name = "JSON|YAML|@FILE")]
        config: Document,
    },
    /// Run the connection check.
    Check {
        /// The ID.
        id: String,
    },
    /// Delete one (safe mode: the name must contain delete-me or deleteme).
    Delete {
        /// The ID.
        id: String,
        /// Delete whatever the name.
        #[arg(long)]
        no_safe_mode: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConnectionsCommand {
    /// List them.
    List {
        /// Only this exact name.
        #[arg(long)]
        name: Option<String>,
    },
    /// Show one.
    Get {
        /// The ID.
        id: String,
    },
    /// Create one.
    Create {
        /// The source.
        #[arg(long)]
        source: String,
        /// The destination.
        #[arg(long)]
        destination: String,
        /// The name.
        #[arg(long)]
        name: Option<String>,
        /// The streams to sync (comma-separated); all when absent.
        #[arg(long, value_delimiter = ',')]
        streams: Vec<String>,
        /// The prefix of destination tables.
        #[arg(long)]
        prefix: Option<String>,
        /// A Quartz cron schedule (UTC), such as "0 0 12 * * ?".
        #[arg(long)]
        cron: Option<String>,
    },
    /// Rename one.
    Rename {
        /// The ID.
        id: String,
        /// The new name.
        name: String,
    },
    /// Select streams (comma-separated); streams that stay keep their settings.
    SetStreams {
        /// The ID.
        id: String,
        /// The streams.
        #[arg(value_delimiter = ',', required = true)]
        streams: Vec<String>,
    },
    /// Set the prefix of destination tables.
    SetPrefix {
        /// The ID.
        id: String,
        /// The prefix.
        prefix: String,
    },
    /// Set the schedule.
    SetSchedule {
        /// The ID.
        id: String,
        /// A Quartz cron expression (UTC).
        #[arg(long, conflicts_with = "manual", required_unless_present = "manual")]
        cron: Option<String>,
        /// Sync only when triggered.
        #[arg(long)]
        manual: bool,
    },
    /// Activate.
    Enable {
        /// The ID.
        id: String,
    },
    /// Deactivate.
    Disable {
        /// The ID.
        id: String,
    },
    /// Delete (safe mode: names must contain delete-me or deleteme).
    Delete {
        /// The ID.
        id: String,
        /// Delete the source and destination too.
        #[arg(long)]
        cascade: bool,
        /// Delete whatever the names.
        #[arg(long)]
        no_safe_mode: bool,
    },
}

#[derive(Debug, Args)]
pub(crate) struct SyncArgs {
    /// The connection.
    pub(crate) connection: String,
    /// Start the sync and return without waiting.
    #[arg(long)]
    pub(crate) no_wait: bool,
    /// Give up waiting after this many seconds.
    #[arg(long, default_value_t = 1800)]
    pub(crate) timeout: u64,
    /// Cancel the job when the wait times out.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set)]
    pub(crate) cancel_on_timeout: bool,
    /// When a sync already runs, follow it instead of failing.
    #[arg(long)]
    pub(crate) attach: bool,
    /// The first wait between status polls, in milliseconds.
    #[arg(long, default_value_t = 2000)]
    pub(crate) poll_ms: u64,
}

#[derive(Debug, Subcommand)]
pub(crate) enum JobsCommand {
    /// A connection's jobs, newest first.
    List {
        /// The connection.
        connection: String,
        /// At most this many.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// One job.
    Get {
        /// The job.
        job: i64,
    },
    /// Cancel a running job.
    Cancel {
        /// The job.
        job: i64,
    },
    /// A job's logs.
    Logs {
        /// The job.
        job: i64,
        /// Only this attempt (from 1); the last by default.
        #[arg(long)]
        attempt: Option<usize>,
        /// Only the last N lines.
        #[arg(long)]
        tail: Option<usize>,
    },
}

/// Kinds of custom definitions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum KindArg {
    /// Declarative (YAML manifest).
    Yaml,
    /// Docker image.
    Docker,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DefinitionsCommand {
    /// List them.
    List {
        /// The kind.
        #[arg(long, value_enum, default_value = "yaml")]
        kind: KindArg,
    },
    /// Show one.
    Get {
        /// The ID.
        id: String,
        /// The kind.
        #[arg(long, value_enum, default_value = "yaml")]
        kind: KindArg,
    },
    /// Publish a YAML manifest.
    PublishYaml {
        /// The name.
        #[arg(long)]
        name: String,
        /// The manifest file (YAML or JSON).
        #[arg(long)]
        manifest: PathBuf,
        /// Testing values for the Builder project.
        #[arg(long, value_name = "JSON|YAML|@FILE")]
        testing_values: Option<Document>,
    },
    /// Publish a Docker image.
    PublishDocker {
        /// The name.
        #[arg(long)]
        name: String,
        /// The image repository (myorg/source-foo).
        #[arg(long)]
        image: String,
        /// The image tag.
        #[arg(long)]
        tag: String,
    },
    /// Publish a new manifest version.
    UpdateManifest {
        /// The ID.
        id: String,
        /// The manifest file.
        #[arg(long)]
        manifest: PathBuf,
    },
    /// Change a Docker definition's image tag.
    UpdateTag {
        /// The ID.
        id: String,
        /// The tag.
        tag: String,
    },
    /// Rename a Docker definition.
    Rename {
        /// The ID.
        id: String,
        /// The name.
        name: String,
    },
    /// Delete one (safe mode: the name must contain delete-me or deleteme).
    Delete {
        /// The ID.
        id: String,
        /// The kind.
        #[arg(long, value_enum, default_value = "yaml")]
        kind: KindArg,
        /// Delete whatever the name.
        #[arg(long)]
        no_safe_mode: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum TransferCommand {
    /// Write it to a file (or stdout).
    Export {
        /// The connection.
        connection: String,
        /// The file; stdout when absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Replace it with a file's content.
    Import {
        /// The connection.
        connection: String,
        /// The file (JSON or YAML).
        #[arg(long)]
        file: PathBuf,
    },
}

#[derive(Debug, Args)]
pub(crate) struct MockArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8000")]
    pub(crate) addr: std::net::SocketAddr,
    /// How long a job runs, in milliseconds.
    #[arg(long, default_value_t = 3000)]
    pub(crate) job_duration: u64,
    /// A directory of recorded interactions.
    #[arg(long)]
    pub(crate) fixtures: Option<PathBuf>,
    /// Seed of IDs and faults.
    #[arg(long)]
    pub(crate) seed: Option<u64>,
}
