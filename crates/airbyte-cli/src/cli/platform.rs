//! The platform family's commands: tags, the connector definitions catalogue, custom
//! destination definitions, regions and data planes.

use clap::{Args, Subcommand, ValueEnum};

use super::{DeleteArgs, DryRun, NamedDeleteArgs, OrganizationArg, parse_limit};

#[derive(Debug, Subcommand)]
pub(crate) enum TagsCommand {
    /// List the workspace's tags.
    List {
        /// Only this exact name.
        #[arg(long)]
        name: Option<String>,
    },
    /// Create a tag.
    Create {
        /// The name (at most 30 characters).
        name: String,
        /// The colour: six hexadecimal digits (FF5733). Not `--color`, which is the global
        /// output option.
        #[arg(value_name = "RRGGBB")]
        rgb: String,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Rename a tag or change its colour.
    Update {
        /// The tag (ID or exact name).
        tag: String,
        /// The new name.
        #[arg(long)]
        name: Option<String>,
        /// The new colour: six hexadecimal digits (`--color` is the global output option).
        #[arg(long, value_name = "RRGGBB")]
        rgb: Option<String>,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Delete a tag (connections lose it; nothing else is deleted).
    Delete {
        /// The tag (ID or exact name).
        tag: String,
        #[command(flatten)]
        delete: DeleteArgs,
    },
    /// Add tags to a connection (keeping those it has).
    Add {
        /// The connection (ID or exact name).
        connection: String,
        /// The tags (IDs or exact names).
        #[arg(required = true)]
        tags: Vec<String>,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Remove tags from a connection.
    Remove {
        /// The connection (ID or exact name).
        connection: String,
        /// The tags (IDs or exact names).
        #[arg(required = true)]
        tags: Vec<String>,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Make these the connection's tags (none: remove them all).
    Set {
        /// The connection (ID or exact name).
        connection: String,
        /// The tags (IDs or exact names).
        tags: Vec<String>,
        #[command(flatten)]
        dry_run: DryRun,
    },
}

/// Sources or destinations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ConnectorTypeArg {
    /// Source connectors.
    Source,
    /// Destination connectors.
    Destination,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConnectorDefinitionsCommand {
    /// The connectors the workspace may run (Airbyte's and its own), searchable by name.
    List {
        /// Sources or destinations.
        #[arg(long = "type", value_enum, default_value = "source")]
        connector_type: ConnectorTypeArg,
        /// Only names that contain this text (ignoring case).
        #[arg(long)]
        search: Option<String>,
        /// At most this many (at least 1).
        #[arg(long, value_parser = parse_limit)]
        limit: Option<usize>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum DestinationDefinitionsCommand {
    /// List the workspace's custom destination definitions.
    List {
        /// Only this exact name.
        #[arg(long)]
        name: Option<String>,
    },
    /// Show one.
    Get {
        /// The ID or exact name.
        id: String,
    },
    /// Publish a Docker image as a destination definition.
    PublishDocker {
        /// The name.
        #[arg(long)]
        name: String,
        /// The image repository (myorg/destination-foo).
        #[arg(long)]
        image: String,
        /// The image tag.
        #[arg(long)]
        tag: String,
        /// Where its documentation is.
        #[arg(long)]
        documentation_url: Option<String>,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Give a definition a new name or image tag.
    Update {
        /// The ID or exact name.
        id: String,
        /// The new name.
        #[arg(long)]
        name: Option<String>,
        /// The new image tag.
        #[arg(long)]
        tag: Option<String>,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Delete a definition (refused while destinations run it, unless --with-dependents).
    Delete {
        /// The ID or exact name.
        id: String,
        #[command(flatten)]
        delete: DeleteArgs,
    },
}

/// `--enable` or `--disable`: whether a region or data plane takes work.
#[derive(Clone, Copy, Debug, Default, Args)]
pub(crate) struct EnabledArgs {
    /// Let it take work.
    #[arg(long, conflicts_with = "disable")]
    pub(crate) enable: bool,
    /// Stop it taking work.
    #[arg(long)]
    pub(crate) disable: bool,
}

impl EnabledArgs {
    /// The change asked for, if any.
    pub(crate) fn enabled(self) -> Option<bool> {
        match (self.enable, self.disable) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        }
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum RegionsCommand {
    /// The regions (data plane groups) of an organization.
    List {
        #[command(flatten)]
        organization: OrganizationArg,
        /// Only this exact name.
        #[arg(long)]
        name: Option<String>,
        /// At most this many (at least 1).
        #[arg(long, value_parser = parse_limit)]
        limit: Option<usize>,
    },
    /// One region.
    Get {
        /// The region (ID, or exact name in the organization).
        region: String,
        #[command(flatten)]
        organization: OrganizationArg,
    },
    /// Create a region in an organization (enabled).
    Create {
        /// Its name, unique in the organization.
        name: String,
        #[command(flatten)]
        organization: OrganizationArg,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Rename, enable or disable a region.
    Update {
        /// The region (ID, or exact name in the organization).
        region: String,
        /// The new name.
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        enabled: EnabledArgs,
        #[command(flatten)]
        organization: OrganizationArg,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Delete a region (refused while it has data planes: delete them first).
    Delete {
        /// The region (ID, or exact name in the organization).
        region: String,
        #[command(flatten)]
        organization: OrganizationArg,
        #[command(flatten)]
        delete: NamedDeleteArgs,
    },
}

/// The region a data plane command works in.
#[derive(Clone, Debug, Default, Args)]
pub(crate) struct RegionArg {
    /// The region (ID, or exact name in the organization; default: every region of the
    /// organization).
    #[arg(long, value_name = "REGION")]
    pub(crate) region: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum DataplanesCommand {
    /// The data planes of a region, or of every region of the organization.
    List {
        #[command(flatten)]
        region: RegionArg,
        #[command(flatten)]
        organization: OrganizationArg,
        /// Only this exact name.
        #[arg(long)]
        name: Option<String>,
        /// At most this many (at least 1).
        #[arg(long, value_parser = parse_limit)]
        limit: Option<usize>,
    },
    /// One data plane.
    Get {
        /// The data plane (ID, or exact name in the region or organization).
        dataplane: String,
        #[command(flatten)]
        region: RegionArg,
        #[command(flatten)]
        organization: OrganizationArg,
    },
    /// Create a data plane in a region (enabled). Its client secret is printed once, now.
    Create {
        /// Its name, unique in the region.
        name: String,
        /// The region (ID, or exact name in the organization).
        #[arg(long, value_name = "REGION")]
        region: String,
        #[command(flatten)]
        organization: OrganizationArg,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Rename, enable or disable a data plane.
    Update {
        /// The data plane (ID, or exact name in the region or organization).
        dataplane: String,
        /// The new name.
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        enabled: EnabledArgs,
        #[command(flatten)]
        region: RegionArg,
        #[command(flatten)]
        organization: OrganizationArg,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Delete a data plane (its credentials stop working).
    Delete {
        /// The data plane (ID, or exact name in the region or organization).
        dataplane: String,
        #[command(flatten)]
        region: RegionArg,
        #[command(flatten)]
        organization: OrganizationArg,
        #[command(flatten)]
        delete: NamedDeleteArgs,
    },
}
