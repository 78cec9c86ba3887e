//! The commands about who may do what: `users`, `permissions`, `groups`, `applications`.

use clap::{Args, Subcommand};

use super::{DeleteArgs, DryRun, parse_limit};

/// The organization a command works in.
#[derive(Clone, Debug, Default, Args)]
pub(crate) struct OrganizationArg {
    /// The organization (ID or exact name; default: the configured workspace's organization,
    /// else the only organization the credentials belong to).
    #[arg(long, value_name = "ORG")]
    pub(crate) organization: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum UsersCommand {
    /// The users of an organization.
    List {
        #[command(flatten)]
        organization: OrganizationArg,
        /// Only this user (repeatable).
        #[arg(long = "id", value_name = "ID")]
        ids: Vec<String>,
        /// Only the user with this email address (repeatable).
        #[arg(long = "email", value_name = "EMAIL")]
        emails: Vec<String>,
        /// Only this exact name.
        #[arg(long)]
        name: Option<String>,
        /// At most this many (at least 1).
        #[arg(long, value_parser = parse_limit)]
        limit: Option<usize>,
    },
    /// One user of an organization, by ID or email address.
    Get {
        /// The user (ID or email address).
        user: String,
        #[command(flatten)]
        organization: OrganizationArg,
    },
    /// The user the credentials act as, with its default workspace (Config API).
    Me,
}

/// Where a permission applies: a workspace or an organization.
#[derive(Clone, Debug, Default, Args)]
pub(crate) struct ScopeArgs {
    /// The workspace of a workspace permission (default: the configured workspace).
    #[arg(long, value_name = "ID", conflicts_with = "organization")]
    pub(crate) workspace: Option<String>,
    /// The organization of an organization permission (ID or exact name; default: the
    /// configured workspace's organization, else the only one the credentials belong to).
    #[arg(long, value_name = "ORG")]
    pub(crate) organization: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum PermissionsCommand {
    /// Permissions: without filters the caller's own; another user's need --organization.
    List {
        /// Only this user's (ID or email address; an email needs the organization).
        #[arg(long, value_name = "USER")]
        user: Option<String>,
        /// Only permissions in this organization (ID or exact name): on it and its
        /// workspaces.
        #[arg(long, value_name = "ORG")]
        organization: Option<String>,
        /// At most this many (at least 1).
        #[arg(long, value_parser = parse_limit)]
        limit: Option<usize>,
    },
    /// One permission.
    Get {
        /// The permission's ID.
        id: String,
    },
    /// Grant a user a permission: a workspace type (workspace_admin, workspace_editor,
    /// workspace_runner, workspace_reader) on a workspace, or an organization type
    /// (organization_admin, organization_editor, organization_runner, organization_reader,
    /// organization_member) on an organization.
    Create {
        /// The user (ID or email address).
        #[arg(long, value_name = "USER")]
        user: String,
        /// The permission type.
        #[arg(long = "type", value_name = "TYPE")]
        permission_type: String,
        #[command(flatten)]
        scope: ScopeArgs,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Change a permission's type (to a type of the same scope).
    Update {
        /// The permission's ID.
        id: String,
        /// The new type.
        #[arg(long = "type", value_name = "TYPE")]
        permission_type: String,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Revoke a permission.
    Delete {
        /// The permission's ID.
        id: String,
        /// Succeed when it does not exist.
        #[arg(long)]
        ignore_not_found: bool,
        #[command(flatten)]
        dry_run: DryRun,
    },
}

/// The options of a delete of a named resource (a group, an application).
#[derive(Clone, Copy, Debug, Default, Args)]
pub(crate) struct NamedDeleteArgs {
    /// Delete whatever the name (safe mode wants delete-me or deleteme in it).
    #[arg(long)]
    pub(crate) no_safe_mode: bool,
    /// Succeed when it does not exist.
    #[arg(long)]
    pub(crate) ignore_not_found: bool,
    #[command(flatten)]
    pub(crate) dry_run: DryRun,
}

impl NamedDeleteArgs {
    /// The options as a delete of the tool takes them (nothing depends on these resources).
    pub(crate) fn as_delete_args(self) -> DeleteArgs {
        DeleteArgs {
            no_safe_mode: self.no_safe_mode,
            with_dependents: false,
            ignore_not_found: self.ignore_not_found,
            dry_run: self.dry_run,
        }
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum GroupsCommand {
    /// The groups of an organization.
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
    /// One group.
    Get {
        /// The group (ID or exact name).
        group: String,
        #[command(flatten)]
        organization: OrganizationArg,
    },
    /// Create a group.
    Create {
        /// Its name, unique in the organization.
        name: String,
        /// A description.
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        organization: OrganizationArg,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Rename a group or change its description.
    Update {
        /// The group (ID or exact name).
        group: String,
        /// The new name.
        #[arg(long)]
        name: Option<String>,
        /// The new description.
        #[arg(long)]
        description: Option<String>,
        #[command(flatten)]
        organization: OrganizationArg,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Delete a group (its members lose what it granted them).
    Delete {
        /// The group (ID or exact name).
        group: String,
        #[command(flatten)]
        organization: OrganizationArg,
        #[command(flatten)]
        delete: NamedDeleteArgs,
    },
    /// The members of a group.
    Members {
        /// The group (ID or exact name).
        group: String,
        #[command(flatten)]
        organization: OrganizationArg,
    },
    /// Add a user to a group.
    AddMember {
        /// The group (ID or exact name).
        group: String,
        /// The user (ID or email address).
        user: String,
        #[command(flatten)]
        organization: OrganizationArg,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Remove a user from a group.
    RemoveMember {
        /// The group (ID or exact name).
        group: String,
        /// The user (ID or email address).
        user: String,
        #[command(flatten)]
        organization: OrganizationArg,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// The permissions a group grants its members.
    Permissions {
        /// The group (ID or exact name).
        group: String,
        #[command(flatten)]
        organization: OrganizationArg,
    },
    /// Grant a group's members a permission (types as for `permissions create`).
    Grant {
        /// The group (ID or exact name).
        group: String,
        /// The permission type.
        #[arg(long = "type", value_name = "TYPE")]
        permission_type: String,
        #[command(flatten)]
        scope: ScopeArgs,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Revoke a permission of a group.
    Revoke {
        /// The group (ID or exact name).
        group: String,
        /// The permission's ID.
        permission: String,
        #[command(flatten)]
        organization: OrganizationArg,
        #[command(flatten)]
        dry_run: DryRun,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum ApplicationsCommand {
    /// The applications of the user the credentials act as (never with their secrets).
    List {
        /// Only this exact name.
        #[arg(long)]
        name: Option<String>,
    },
    /// One application (never with its secret).
    Get {
        /// The application (ID or exact name).
        application: String,
    },
    /// Create an application: its client secret is printed this once, and never again.
    Create {
        /// Its name.
        name: String,
        #[command(flatten)]
        dry_run: DryRun,
    },
    /// Delete an application: its tokens stop working.
    Delete {
        /// The application (ID or exact name).
        application: String,
        #[command(flatten)]
        delete: NamedDeleteArgs,
    },
}
