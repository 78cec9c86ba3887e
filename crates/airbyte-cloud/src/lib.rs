//! Airbyte Cloud and self-managed Airbyte, as Rust objects.
//!
//! The entry point is a [`CloudWorkspace`], built from explicit settings or the environment.
//! From it: sources and destinations ([`CloudSource`], [`CloudDestination`]), connections
//! ([`CloudConnection`]) with their streams, schedules, state and catalogs, syncs and other jobs
//! ([`SyncResult`]) with attempts and logs, custom source definitions
//! ([`CustomSourceDefinition`]) and the organization ([`CloudOrganization`]).
//!
//! Who may do what is reached from the workspace too (these belong to organizations and users,
//! not to the workspace, so they are not checked against it):
//!
//! | What | Methods of [`CloudWorkspace`] |
//! |---|---|
//! | Organizations | [`list_organizations`](CloudWorkspace::list_organizations), [`list_user_organizations`](CloudWorkspace::list_user_organizations) |
//! | Users | [`list_users`](CloudWorkspace::list_users) ([`OrganizationUsers`]), [`fetch_user_by_email`](CloudWorkspace::fetch_user_by_email) |
//! | Permissions | [`list_permissions`](CloudWorkspace::list_permissions) ([`Permissions`]), [`create_permission`](CloudWorkspace::create_permission), [`fetch_permission`](CloudWorkspace::fetch_permission), [`update_permission`](CloudWorkspace::update_permission), [`delete_permission`](CloudWorkspace::delete_permission) |
//! | Groups | [`list_groups`](CloudWorkspace::list_groups), [`create_group`](CloudWorkspace::create_group), [`fetch_group`](CloudWorkspace::fetch_group), [`update_group`](CloudWorkspace::update_group), [`delete_group`](CloudWorkspace::delete_group), [`list_group_members`](CloudWorkspace::list_group_members), [`add_group_member`](CloudWorkspace::add_group_member), [`remove_group_member`](CloudWorkspace::remove_group_member), [`list_group_permissions`](CloudWorkspace::list_group_permissions), [`create_group_permission`](CloudWorkspace::create_group_permission), [`delete_group_permission`](CloudWorkspace::delete_group_permission) |
//! | Applications | [`list_applications`](CloudWorkspace::list_applications), [`create_application`](CloudWorkspace::create_application) (the secret, once: [`CreatedApplication`]), [`fetch_application`](CloudWorkspace::fetch_application), [`delete_application`](CloudWorkspace::delete_application); [`CloudWorkspaceBuilder::application`] |
//! | Embedded | [`create_widget_token`](CloudWorkspace::create_widget_token), [`create_scoped_token`](CloudWorkspace::create_scoped_token), [`list_embedded_organizations`](CloudWorkspace::list_embedded_organizations) |
//! | The caller | [`current_user`](CloudWorkspace::current_user), [`fetch_default_workspace_id`](CloudWorkspace::fetch_default_workspace_id), [`set_default_workspace`](CloudWorkspace::set_default_workspace), [`fetch_user_permissions`](CloudWorkspace::fetch_user_permissions), [`accessible_workspaces`](CloudWorkspace::accessible_workspaces) |
//!
//! It offers what PyAirbyte's `airbyte.cloud` offers, and fixes what it gets wrong: one
//! transport with retries, timeouts and a shared token cache; lists that read every page,
//! lazily, and always end; waits that back off, time out and cancel only the job they started;
//! one typed error; workspace checks on every resource before any write; cron schedules checked
//! before they are sent; Docker definitions. And what it lacks: many syncs at once under one
//! scheduler that adapts to rate limits, and the failing connections at a glance
//! ([`fleet`]).
//!
//! Deletes name everything they remove. Deleting a source or a destination makes the server
//! delete the connections that use it (deleting a custom definition, the sources that run it),
//! so every delete is planned first with every dependent, read fresh; it refuses
//! ([`Error::DependentsExist`]) unless asked to delete the dependents too, applies safe mode
//! to every name it would delete, and checks everything before the first `DELETE`. A plan can
//! be previewed without deleting anything ([`ConnectionDeletion::preview`],
//! [`Deletion::preview`]).
//!
//! Every collection is a [`ListItems`]: lazy, bounded, with the same filters whatever the
//! endpoint (see [Conventions](#conventions)).
//!
//! ```no_run
//! use airbyte_cloud::{CloudWorkspace, Result};
//! use serde_json::json;
//!
//! # async fn demo() -> Result<()> {
//! let workspace = CloudWorkspace::from_env()?;
//! let source = workspace.deploy_source("faker", "faker", json!({"count": 100})).await?;
//! let destination = workspace.deploy_destination("sink", "dev-null", json!({})).await?;
//! let connection = workspace
//!     .deploy_connection(&source, &destination)
//!     .streams(["users"])
//!     .await?;
//! let sync = connection.run_sync().await?;
//! println!("synced {} records", sync.records_synced().await?);
//! # Ok(())
//! # }
//! ```
//!
//! # Around the workspace
//!
//! | Area | Methods |
//! |---|---|
//! | Server | [`CloudWorkspace::check_health`], [`CloudWorkspace::fetch_documentation_url`] |
//! | Workspaces | [`CloudWorkspace::create_workspace`] ([`CreateWorkspace`]), [`CloudWorkspace::other_workspace`], [`CloudWorkspace::update`] |
//! | Regions and data planes | [`CloudWorkspace::list_regions`], [`CloudWorkspace::create_region`], [`CloudWorkspace::fetch_region`], [`CloudWorkspace::update_region`], [`CloudWorkspace::delete_region`]; [`CloudWorkspace::list_dataplanes`], [`CloudWorkspace::create_dataplane`], [`CloudWorkspace::fetch_dataplane`], [`CloudWorkspace::update_dataplane`], [`CloudWorkspace::delete_dataplane`] |
//! | Catalogue | [`CloudWorkspace::list_connector_definitions`] ([`ConnectorDefinitions::name_contains`]), [`CloudWorkspace::find_connector_definition`] |
//! | OAuth | [`CloudWorkspace::initiate_source_oauth`] ([`InitiateOAuth`]), [`CloudWorkspace::complete_oauth`], [`DeployConnector::secret_id`], [`CloudWorkspace::set_oauth_override`], [`CloudWorkspace::delete_oauth_override`], [`CloudWorkspace::set_organization_oauth_override`], [`CloudWorkspace::delete_organization_oauth_override`] |
//! | Connection tags | [`CloudConnection::tags`], [`CloudConnection::set_tags`], [`CloudConnection::add_tags`], [`CloudConnection::remove_tags`] |
//! | Destination definitions | [`CloudWorkspace::publish_docker_destination_definition`], [`CloudWorkspace::list_custom_destination_definitions`], [`CloudWorkspace::custom_destination_definition`] ([`CustomDestinationDefinition`]) |
//! | Drafts, checked deploys | [`DeployConnector::draft`], [`DeployConnector::verify`] |
//!
//! # Conventions
//!
//! The whole surface follows these rules; code that reaches a new part of the API follows
//! them too.
//!
//! **Names say whether a call goes over the network.** A plain `fn` never sends a request:
//! handle constructors only check an ID and build a handle, and are named for the resource
//! ([`CloudWorkspace::source`], [`CloudWorkspace::connection`],
//! [`CloudConnection::sync_result`], [`CloudWorkspace::custom_source_definition`]). An
//! `async fn` may send requests and is named for what it does: `info()` (the resource's own
//! record), `fetch_*` (read something by ID: [`CloudWorkspace::fetch_tag`],
//! [`CloudWorkspace::fetch_job`]), `list_*`, `create_*`/`deploy_*`/`publish_*`, `update_*`,
//! `rename`, `delete*`/`permanently_delete`. Nothing is named `get_*`; the PyAirbyte name of a
//! method is a `#[doc(alias = "get_…")]` on it, so searching the docs for it finds the method.
//!
//! **Every collection is a [`ListItems`].** A `list_*` method (or a noun such as
//! [`CloudConnection::job_history`]) is a plain `fn` returning a lazy [`ListItems<T, C, Q>`]:
//! `T` is the API's record (what [`ListItems::filter`] sees), `C` what is handed out (a handle,
//! or `T` itself), `Q` the list's own server-side filters (`()` for most lists). Every list
//! takes [`name`](ListItems::name) (exact), [`filter`](ListItems::filter),
//! [`limit`](ListItems::limit), [`offset`](ListItems::offset),
//! [`include_deleted`](ListItems::include_deleted) and [`max_items`](ListItems::max_items),
//! and is read with [`stream`](ListItems::stream), [`collect`](ListItems::collect),
//! [`first`](ListItems::first) or a plain `.await` (which collects). Inside the crate a list is
//! made with `ListItems::new(workspace, Paging::Offset, …)` (the server pages it by offset) or
//! `Paging::OneShot` (the server answers with everything in one request; a `next` link is
//! still followed by its offset), given the list's name for errors, how to tell items apart and name them
//! (`ItemKeys`), its query and a fetcher that sends one request; `.map(…)` turns records
//! into handles. Both kinds stop at `max_items` and end a hostile server's list with
//! [`Error::Paging`]. Arguments that fix the scope (the organization of
//! [`CloudWorkspace::list_organization_workspaces`]) are method arguments; optional
//! server-side filters are builder methods on a type alias of the list with its own `Q`
//! ([`JobHistory::status`], [`OrganizationWorkspaces::name_contains`]). Sets that are
//! computed to be complete for a delete ([`CloudConnector::dependent_connections`],
//! [`CustomSourceDefinition::dependent_sources`]) and parts of one resource (its streams,
//! attempts, state) are plain `Vec`s.
//!
//! **Errors name resources with [`ResourceKind`].** Every error variant that names a resource
//! carries a `kind: ResourceKind` (not a string) and its ID; `Display` reads as the same words
//! (`custom source definition d1 does not exist`). A new kind of resource gets a variant of
//! the `#[non_exhaustive]` enum. A lookup maps a 404 to [`Error::MissingResource`] with its
//! kind; a resource reached through a workspace is checked to belong to it
//! ([`Error::WorkspaceMismatch`]) before anything is written; a delete checks safe mode
//! ([`Error::SafeModeRefusal`]) and names what it removes.
//!
//! **Creates with options are builders that are futures.** A create that takes options
//! returns a builder ([`DeployConnector`], [`DeployConnection`], [`PublishDefinition`],
//! [`RunSync`], [`Deletion`]) whose setters take and return `self` and which implements
//! `IntoFuture`, so `.await` sends it: `workspace.deploy_source(…).unique(false).await`. Input
//! is checked before anything is sent ([`Error::InvalidInput`]); nothing is half-created.
//! A create without options is a plain `async fn` ([`CloudWorkspace::create_tag`]).

mod access;
mod cache;
mod connection;
mod connector;
pub mod cron;
mod definition_users;
mod definitions;
mod deletion;
mod discovery;
mod error;
pub mod fleet;
mod listing;
mod naming;
mod organization;
mod paging;
mod resource_kind;
pub mod settings;
pub mod state;
mod sync;
mod tags;
mod workspace;
// Platform family: the server, workspaces, regions and data planes, the catalogue, OAuth,
// connection tags, custom destination definitions, drafts.
mod catalogue;
mod connection_tags;
mod destination_definitions;
mod drafts;
mod oauth;
mod platform;

// Access: organizations' users, permissions, groups, applications, Embedded, the caller.
pub use access::{
    AccessScope, Application, CreateGroup, CreatedApplication, GroupMembers, OrganizationUsers,
    PermissionSearch, Permissions, UpdateGroup, UserOrganizations, UserOrganizationsSearch,
    UserSearch, WorkspaceAccess, check_allowed_origin,
};
pub use connection::{
    CloudConnection, ConnectionEndpoint, DeleteConnection, DeployConnection, Schedule,
};
pub use connector::{
    CheckResult, CloudConnector, CloudDestination, CloudSource, ConnectorKind, DeployConnector,
    Destination, Source,
};
pub use definitions::{
    CustomSourceDefinition, DefinitionDetails, DefinitionKind, Manifest, PublishDefinition,
};
pub use deletion::{
    ConnectionDeletion, DeletePlan, Deletion, DeletionReason, PlannedDeletion, ResourceRef,
};
pub use error::{Error, Result};
pub use fleet::{
    ConnectionHealth, ConnectionSelection, ConnectionsStatus, FleetEvent, FleetHandle, FleetJob,
    FleetOutcome, FleetRun, FleetStats, FleetSummary, Health, NameGlob, SelectedConnections,
    StopMode, SyncMany,
};
pub use listing::{ListItems, Predicate, ResultStream};
pub use naming::{is_safe_to_delete, random_suffix};
pub use organization::{CloudOrganization, OrganizationWorkspaces, WorkspaceSearch};
pub use paging::{DEFAULT_MAX_LIST_ITEMS, DEFAULT_PAGE_SIZE, PagingProblem};
pub use resource_kind::ResourceKind;
pub use settings::CloudWorkspaceBuilder;
pub use state::ImportOptions;
pub use sync::{
    CANCEL_AFTER_TIMEOUT_LIMIT, JobFilters, JobHistory, RunSync, SyncAttempt, SyncResult,
    WaitOptions,
};
pub use tags::{MAX_TAG_NAME_CHARS, check_tag};
pub use workspace::CloudWorkspace;
// Platform family.
pub use airbyte_models::ConnectorType;
pub use catalogue::{CatalogueSearch, ConnectorDefinitions};
pub use destination_definitions::{CustomDestinationDefinition, PublishDestinationDefinition};
pub use oauth::{InitiateOAuth, OAuthCompletion};
pub use platform::CreateWorkspace;
