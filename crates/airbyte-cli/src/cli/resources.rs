//! Workspaces, organizations, sources, destinations, connections, definitions, state and
//! catalogs.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use super::{DeleteArgs, DryRun, parse_limit};

/// Where a JSON or YAML document comes from: inline text, `@file`, or a file path.
pub(crate) type Document = String;

#[derive(Debug, Subcommand)]
pub(crate) enum WorkspacesCommand {
    /// Every workspace the credentials can see (no workspace ID needed).
    List {
        /// Only this exact name.
        #[arg(long)]
        name: Option<String>,
        /// At most this many (at least 1).
        #[arg(long, value_parser = parse_limit)]
        limit: Option<usize>,
        /// Only the workspaces the user behind the credentials reaches through a permission
        /// of this scope, with that permission (Config API).
        #[arg(long, value_enum)]
        scope: Option<WorkspaceScope>,
    },
    /// One workspace: the configured one, or one named by ID or exact name.
    Get {
        /// The workspace (ID or name).
        workspace: Option<String>,
    },
    /// The default workspace of the user behind the credentials (Config API).
    Default,
    /// Make the configured workspace the default of the user behind the credentials.
    SetDefault {
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Rename the configured workspace.
    Rename {
        /// The new name.
        name: String,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Create a workspace (no workspace ID needed).
    Create {
        /// The name.
        name: String,
        /// The organization to create it in (default: the server's choice).
        #[arg(long, value_name = "ID")]
        organization_id: Option<String>,
        /// The region its syncs run in (one of the organization's).
        #[arg(long, value_name = "ID")]
        region_id: Option<String>,
        #[command(flatten)]
        dry_run: DryRun,
    },
}

/// The scope of the permissions `workspaces list --scope` counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum WorkspaceScope {
    /// Permissions held on the workspace itself.
    Workspace,
    /// Permissions held on its organization.
    Organization,
    /// Both.
    All,
}

#[derive(Debug, Subcommand)]
pub(crate) enum OrganizationsCommand {
    /// The organizations the credentials can see (no workspace ID needed).
    List,
}

/// The filters of source and destination lists.
#[derive(Debug, Args)]
pub(crate) struct ConnectorFilters {
    /// Only this exact name.
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// Only this connector type (`faker`, `postgres`, ...).
    #[arg(long = "type", value_name = "TYPE")]
    pub(crate) connector_type: Option<String>,
    /// At most this many (at least 1).
    #[arg(long, value_parser = parse_limit)]
    pub(crate) limit: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConnectorCommand {
    /// List them.
    List(ConnectorFilters),
    /// Show one.
    Get {
        /// The ID or exact name.
        id: String,
    },
    /// Create one from a configuration (JSON or YAML, inline, `@file` or a path).
    Create {
        /// The name.
        #[arg(long)]
        name: String,
        /// The connector type (`faker`, `postgres`, `bigquery`, ...).
        #[arg(
            long = "type",
            value_name = "TYPE",
            required_unless_present = "definition_id",
            conflicts_with = "definition_id"
        )]
        connector_type: Option<String>,
        /// A definition to run instead of a type (custom connectors).
        #[arg(long, value_name = "ID")]
        definition_id: Option<String>,
        /// The configuration.
        #[arg(long, value_name = "JSON|YAML|@FILE")]
        config: Document,
        /// Allow a second one with the same name.
        #[arg(long, conflicts_with = "if_not_exists")]
        allow_duplicate: bool,
        /// When one of this name exists (with the same type), show it instead of failing.
        #[arg(long)]
        if_not_exists: bool,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Rename one.
    Rename {
        /// The ID or exact name.
        id: String,
        /// The new name.
        name: String,
        /// Allow a name another one already has (names stand for IDs on the command line,
        /// so a second one makes them ambiguous).
        #[arg(long)]
        allow_duplicate: bool,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Change configuration keys (merged into the current configuration).
    UpdateConfig {
        /// The ID or exact name.
        id: String,
        /// The keys to change.
        #[arg(long, value_name = "JSON|YAML|@FILE")]
        config: Document,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Run the connection check.
    Check {
        /// The ID or exact name.
        id: String,
    },
    /// Delete one; refused while connections use it, unless --with-dependents (safe mode: every
    /// name deleted must contain delete-me or deleteme).
    Delete {
        /// The ID or exact name.
        id: String,
        #[command(flatten)]
        delete: DeleteArgs,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum SourcesCommand {
    #[command(flatten)]
    Common(ConnectorCommand),
    /// The streams a source offers, with their sync modes, cursor and primary key.
    Streams {
        /// The ID or exact name.
        id: String,
        /// Only the sync modes this destination supports too (ID or exact name).
        #[arg(long)]
        destination: Option<String>,
        /// Discover again instead of using the cached catalog (slow).
        #[arg(long)]
        refresh: bool,
    },
}

/// Connection statuses to filter on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ConnectionStatusArg {
    /// Syncing on schedule.
    Active,
    /// Paused.
    Inactive,
    /// Deprecated.
    Deprecated,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConnectionsCommand {
    /// List them.
    List {
        /// Only this exact name.
        #[arg(long)]
        name: Option<String>,
        /// Only this status.
        #[arg(long, value_enum)]
        status: Option<ConnectionStatusArg>,
        /// Only connections of this source (ID or exact name).
        #[arg(long)]
        source: Option<String>,
        /// Only connections to this destination (ID or exact name).
        #[arg(long)]
        destination: Option<String>,
        /// At most this many (at least 1).
        #[arg(long, value_parser = parse_limit)]
        limit: Option<usize>,
    },
    /// Show one, with its streams.
    Get {
        /// The ID or exact name.
        id: String,
    },
    /// The latest sync of every connection, failing ones first (with why they failed).
    Status {
        /// Only connections whose latest sync failed.
        #[arg(long)]
        failing: bool,
    },
    /// Create one.
    Create {
        /// The source (ID or exact name).
        #[arg(long)]
        source: String,
        /// The destination (ID or exact name).
        #[arg(long)]
        destination: String,
        /// The name.
        #[arg(long, required_if_eq("if_not_exists", "true"))]
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
        /// When a connection of this name exists (between the same source and destination),
        /// show it instead of creating another.
        #[arg(long)]
        if_not_exists: bool,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Rename one.
    Rename {
        /// The ID or exact name.
        id: String,
        /// The new name.
        name: String,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Select streams (comma-separated); streams that stay keep their settings.
    SetStreams {
        /// The ID or exact name.
        id: String,
        /// The streams.
        #[arg(value_delimiter = ',', required = true)]
        streams: Vec<String>,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Set the prefix of destination tables.
    SetPrefix {
        /// The ID or exact name.
        id: String,
        /// The prefix.
        prefix: String,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Set the schedule.
    SetSchedule {
        /// The ID or exact name.
        id: String,
        /// A Quartz cron expression (UTC).
        #[arg(long, conflicts_with = "manual", required_unless_present = "manual")]
        cron: Option<String>,
        /// Sync only when triggered.
        #[arg(long)]
        manual: bool,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Activate.
    Enable {
        /// The ID or exact name.
        id: String,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Deactivate.
    Disable {
        /// The ID or exact name.
        id: String,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Delete; with --cascade, refused while other connections use the source or destination,
    /// unless --with-dependents (safe mode: every name deleted must contain delete-me or
    /// deleteme).
    Delete {
        /// The ID or exact name.
        id: String,
        /// Delete the source and destination too.
        #[arg(long)]
        cascade: bool,
        #[command(flatten)]
        delete: DeleteArgs,
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
    /// List them (both kinds unless --kind).
    List {
        /// Only this kind.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// Only this exact name.
        #[arg(long)]
        name: Option<String>,
    },
    /// Show one (either kind unless --kind).
    Get {
        /// The ID or exact name.
        id: String,
        /// Only look among this kind.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
    },
    /// Publish a YAML manifest.
    PublishYaml {
        /// The name.
        #[arg(long)]
        name: String,
        /// The manifest file (YAML or JSON).
        #[arg(long)]
        manifest: PathBuf,
        /// Testing values for the Builder project (a JSON or YAML object).
        #[arg(long, value_name = "JSON|YAML|@FILE")]
        testing_values: Option<Document>,
        /// When a YAML definition of this name exists, show it instead of failing.
        #[arg(long)]
        if_not_exists: bool,
        #[command(flatten)]
        dry_run: DryRun,
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
        /// When a Docker definition of this name exists, show it instead of failing.
        #[arg(long)]
        if_not_exists: bool,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Publish a new manifest version of a YAML definition.
    UpdateManifest {
        /// The ID or exact name.
        id: String,
        /// The manifest file.
        #[arg(long)]
        manifest: PathBuf,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Change a Docker definition's image tag.
    UpdateTag {
        /// The ID or exact name.
        id: String,
        /// The tag.
        tag: String,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Rename a Docker definition.
    Rename {
        /// The ID or exact name.
        id: String,
        /// The name.
        name: String,
        /// Allow a name another one already has (names stand for IDs on the command line,
        /// so a second one makes them ambiguous).
        #[arg(long)]
        allow_duplicate: bool,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Delete one; refused while sources run it, unless --with-dependents (safe mode: every
    /// name deleted must contain delete-me or deleteme).
    Delete {
        /// The ID or exact name.
        id: String,
        /// Only look among this kind.
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        #[command(flatten)]
        delete: DeleteArgs,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum TransferCommand {
    /// Write it to a file (or stdout): JSON, or YAML with -o yaml.
    Export {
        /// The connection (ID or exact name).
        connection: String,
        /// The file; stdout when absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Replace it with a file's content.
    Import {
        /// The connection (ID or exact name).
        connection: String,
        /// The file (JSON or YAML).
        #[arg(long)]
        file: PathBuf,
        /// Import even what is refused by default: state of another connection or of streams
        /// this one does not have or does not select, a catalog that selects no stream or a
        /// stream this one does not have.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        dry_run: DryRun,
    },
}
