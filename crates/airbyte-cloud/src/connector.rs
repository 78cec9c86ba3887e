//! Sources and destinations: deploying, listing, reading, checking, changing and deleting.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use airbyte_models::ops::{self, ListParams, Operation};
use airbyte_models::{
    CheckConnectionRead, CheckConnectionStatus, ConnectionResponse, ConnectorConfig, DefinitionId,
    DestinationCreateRequest, DestinationId, DestinationPatchRequest, DestinationPutRequest,
    DestinationResponse, ListResponse, Secret, SourceCreateRequest, SourceId, SourcePatchRequest,
    SourcePutRequest, SourceResponse, WorkspaceId,
};
use serde_json::Value;

use crate::ResourceKind;
use crate::cache::Cached;
use crate::deletion::Deletion;
use crate::error::missing_on_404;
use crate::listing::{ItemKeys, ListItems, ListRequest, Paging};
use crate::naming::with_random_suffix;
use crate::{CloudConnection, CloudWorkspace, Error, Result};

mod sealed {
    pub trait Sealed {}
}

/// What distinguishes sources from destinations; implemented by [`Source`] and
/// [`Destination`] only.
pub trait ConnectorKind: sealed::Sealed + Send + Sync + 'static {
    /// The ID type.
    type Id: Clone + fmt::Debug + fmt::Display + AsRef<str> + PartialEq + Send + Sync + 'static;
    /// The API's representation.
    type Response: Clone
        + fmt::Debug
        + PartialEq
        + serde::de::DeserializeOwned
        + Send
        + Sync
        + 'static;
    /// [`ResourceKind::Source`] or [`ResourceKind::Destination`]: what errors and delete
    /// plans name.
    const KIND: ResourceKind;
    /// The configuration key naming the connector type (`sourceType`, `destinationType`).
    const TYPE_KEY: &'static str;
    /// The prefix of connector names (`source-faker`).
    const NAME_PREFIX: &'static str;
    /// The list's name, for errors (`sources`, `destinations`).
    const LIST: &'static str;

    #[doc(hidden)]
    fn parse_id(text: &str) -> Result<Self::Id>;
    #[doc(hidden)]
    fn id_of(response: &Self::Response) -> &Self::Id;
    #[doc(hidden)]
    fn name_of(response: &Self::Response) -> &str;
    #[doc(hidden)]
    fn workspace_of(response: &Self::Response) -> &WorkspaceId;
    #[doc(hidden)]
    fn get(id: &Self::Id) -> Operation<Self::Response>;
    #[doc(hidden)]
    fn list(params: &ListParams) -> Operation<ListResponse<Self::Response>>;
    #[doc(hidden)]
    fn create(
        name: String,
        workspace_id: WorkspaceId,
        configuration: ConnectorConfig,
        definition_id: Option<DefinitionId>,
        secret_id: Option<String>,
    ) -> Operation<Self::Response>;
    #[doc(hidden)]
    fn patch(
        id: &Self::Id,
        name: Option<String>,
        configuration: Option<ConnectorConfig>,
    ) -> Operation<Self::Response>;
    #[doc(hidden)]
    fn put(
        id: &Self::Id,
        name: String,
        configuration: ConnectorConfig,
    ) -> Operation<Self::Response>;
    #[doc(hidden)]
    fn delete(id: &Self::Id) -> Operation<()>;
    #[doc(hidden)]
    fn check(id: &Self::Id) -> Operation<CheckConnectionRead>;
    #[doc(hidden)]
    fn is_used_by(id: &Self::Id, connection: &ConnectionResponse) -> bool;
    #[doc(hidden)]
    fn deletion(connector: CloudConnector<Self>) -> Deletion
    where
        Self: Sized;
}

/// Marker for sources.
#[derive(Debug)]
pub enum Source {}
/// Marker for destinations.
#[derive(Debug)]
pub enum Destination {}

impl sealed::Sealed for Source {}
impl sealed::Sealed for Destination {}

impl ConnectorKind for Source {
    type Id = SourceId;
    type Response = SourceResponse;
    const KIND: ResourceKind = ResourceKind::Source;
    const TYPE_KEY: &'static str = "sourceType";
    const NAME_PREFIX: &'static str = "source-";
    const LIST: &'static str = "sources";

    fn parse_id(text: &str) -> Result<SourceId> {
        SourceId::new(text).map_err(|error| Error::invalid(error.to_string()))
    }
    fn id_of(response: &SourceResponse) -> &SourceId {
        &response.source_id
    }
    fn name_of(response: &SourceResponse) -> &str {
        &response.name
    }
    fn workspace_of(response: &SourceResponse) -> &WorkspaceId {
        &response.workspace_id
    }
    fn get(id: &SourceId) -> Operation<SourceResponse> {
        ops::public::sources::get(id)
    }
    fn list(params: &ListParams) -> Operation<ListResponse<SourceResponse>> {
        ops::public::sources::list(params)
    }
    fn create(
        name: String,
        workspace_id: WorkspaceId,
        configuration: ConnectorConfig,
        definition_id: Option<DefinitionId>,
        secret_id: Option<String>,
    ) -> Operation<SourceResponse> {
        let mut request = SourceCreateRequest::new(name, workspace_id, configuration);
        request.definition_id = definition_id;
        request.secret_id = secret_id;
        ops::public::sources::create(&request)
    }
    fn patch(
        id: &SourceId,
        name: Option<String>,
        configuration: Option<ConnectorConfig>,
    ) -> Operation<SourceResponse> {
        let request = SourcePatchRequest {
            name,
            configuration,
            ..SourcePatchRequest::default()
        };
        ops::public::sources::patch(id, &request)
    }
    fn put(
        id: &SourceId,
        name: String,
        configuration: ConnectorConfig,
    ) -> Operation<SourceResponse> {
        ops::public::sources::put(
            id,
            &SourcePutRequest {
                name,
                configuration,
                resource_allocation: None,
            },
        )
    }
    fn delete(id: &SourceId) -> Operation<()> {
        ops::public::sources::delete(id)
    }
    fn check(id: &SourceId) -> Operation<CheckConnectionRead> {
        ops::config::check_source(id)
    }
    fn is_used_by(id: &SourceId, connection: &ConnectionResponse) -> bool {
        connection.source_id == *id
    }
    fn deletion(connector: CloudSource) -> Deletion {
        Deletion::source(connector)
    }
}

impl ConnectorKind for Destination {
    type Id = DestinationId;
    type Response = DestinationResponse;
    const KIND: ResourceKind = ResourceKind::Destination;
    const TYPE_KEY: &'static str = "destinationType";
    const NAME_PREFIX: &'static str = "destination-";
    const LIST: &'static str = "destinations";

    fn parse_id(text: &str) -> Result<DestinationId> {
        DestinationId::new(text).map_err(|error| Error::invalid(error.to_string()))
    }
    fn id_of(response: &DestinationResponse) -> &DestinationId {
        &response.destination_id
    }
    fn name_of(response: &DestinationResponse) -> &str {
        &response.name
    }
    fn workspace_of(response: &DestinationResponse) -> &WorkspaceId {
        &response.workspace_id
    }
    fn get(id: &DestinationId) -> Operation<DestinationResponse> {
        ops::public::destinations::get(id)
    }
    fn list(params: &ListParams) -> Operation<ListResponse<DestinationResponse>> {
        ops::public::destinations::list(params)
    }
    fn create(
        name: String,
        workspace_id: WorkspaceId,
        configuration: ConnectorConfig,
        definition_id: Option<DefinitionId>,
        // Destinations have no OAuth flow: the builder offers a secret ID for sources only.
        _secret_id: Option<String>,
    ) -> Operation<DestinationResponse> {
        let mut request = DestinationCreateRequest::new(name, workspace_id, configuration);
        request.definition_id = definition_id;
        ops::public::destinations::create(&request)
    }
    fn patch(
        id: &DestinationId,
        name: Option<String>,
        configuration: Option<ConnectorConfig>,
    ) -> Operation<DestinationResponse> {
        let request = DestinationPatchRequest {
            name,
            configuration,
            resource_allocation: None,
        };
        ops::public::destinations::patch(id, &request)
    }
    fn put(
        id: &DestinationId,
        name: String,
        configuration: ConnectorConfig,
    ) -> Operation<DestinationResponse> {
        ops::public::destinations::put(
            id,
            &DestinationPutRequest {
                name,
                configuration,
                resource_allocation: None,
            },
        )
    }
    fn delete(id: &DestinationId) -> Operation<()> {
        ops::public::destinations::delete(id)
    }
    fn check(id: &DestinationId) -> Operation<CheckConnectionRead> {
        ops::config::check_destination(id)
    }
    fn is_used_by(id: &DestinationId, connection: &ConnectionResponse) -> bool {
        connection.destination_id == *id
    }
    fn deletion(connector: CloudDestination) -> Deletion {
        Deletion::destination(connector)
    }
}

/// A source or destination of a workspace. Building one makes no request: details are fetched
/// when first needed and cached; [`CloudConnector::info`] always fetches.
pub struct CloudConnector<K: ConnectorKind> {
    workspace: CloudWorkspace,
    id: K::Id,
    cached: Cached<K::Response>,
}

/// A source of a workspace.
pub type CloudSource = CloudConnector<Source>;
/// A destination of a workspace.
pub type CloudDestination = CloudConnector<Destination>;

impl<K: ConnectorKind> Clone for CloudConnector<K> {
    fn clone(&self) -> Self {
        Self {
            workspace: self.workspace.clone(),
            id: self.id.clone(),
            cached: self.cached.clone(),
        }
    }
}

impl<K: ConnectorKind> fmt::Debug for CloudConnector<K> {
    /// Never does IO; shows the cached name when there is one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.cached_info().map(|info| K::name_of(&info).to_owned());
        f.debug_struct(if K::KIND == ResourceKind::Source {
            "CloudSource"
        } else {
            "CloudDestination"
        })
        .field("id", &self.id)
        .field("workspace_id", self.workspace.id())
        .field("name", &name)
        .finish()
    }
}

impl From<&CloudSource> for SourceId {
    fn from(source: &CloudSource) -> Self {
        source.id.clone()
    }
}

impl From<&CloudDestination> for DestinationId {
    fn from(destination: &CloudDestination) -> Self {
        destination.id.clone()
    }
}

/// The outcome of a connection check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckResult {
    /// Whether the connector could connect.
    pub success: bool,
    /// The connector's message (why it could not connect).
    pub message: Option<String>,
    /// When the check job itself crashed (no status), why.
    pub internal_error: Option<String>,
    /// The Config API's answer.
    pub raw: CheckConnectionRead,
}

impl CheckResult {
    fn from_read(read: CheckConnectionRead) -> Self {
        let success = read.status == Some(CheckConnectionStatus::Succeeded);
        let internal_error = match &read.status {
            None => Some(
                read.job_info
                    .failure_reason
                    .as_ref()
                    .and_then(|reason| {
                        reason
                            .external_message
                            .clone()
                            .or_else(|| reason.internal_message.clone())
                    })
                    .unwrap_or_else(|| "the check job failed without a reason".to_owned()),
            ),
            Some(CheckConnectionStatus::Unknown(status)) => {
                Some(format!("unknown check status {status:?}"))
            }
            Some(_) => None,
        };
        Self {
            success,
            message: read.message.clone(),
            internal_error,
            raw: read,
        }
    }

    /// A one-line reason for a failed check.
    #[must_use]
    pub fn reason(&self) -> String {
        self.message
            .clone()
            .or_else(|| self.internal_error.clone())
            .unwrap_or_else(|| "no reason given".to_owned())
    }
}

impl<K: ConnectorKind> CloudConnector<K> {
    pub(crate) fn new(workspace: CloudWorkspace, id: K::Id, cached: Option<K::Response>) -> Self {
        Self {
            workspace,
            id,
            cached: Cached::new(cached),
        }
    }

    /// The ID.
    #[must_use]
    pub fn id(&self) -> &K::Id {
        &self.id
    }

    /// The workspace it was reached through.
    #[must_use]
    pub fn workspace(&self) -> &CloudWorkspace {
        &self.workspace
    }

    /// The connector in the web UI: `{workspace url}/{source|destination}/{id}`. No request.
    #[must_use]
    pub fn connector_url(&self) -> Option<String> {
        self.workspace
            .workspace_url()
            .map(|url| format!("{url}/{}/{}", K::KIND, self.id))
    }

    fn cached_info(&self) -> Option<K::Response> {
        self.cached.get()
    }

    /// The workspace of the cached details, if any (no request).
    pub(crate) fn known_workspace(&self) -> Option<WorkspaceId> {
        self.cached_info()
            .map(|info| K::workspace_of(&info).clone())
    }

    /// The name from the cached details, if any (no request).
    pub(crate) fn cached_name(&self) -> Option<String> {
        self.cached_info().map(|info| K::name_of(&info).to_owned())
    }

    /// Keeps an answer after checking its workspace. `after_write`: the answer is that of a
    /// write, so a mismatch means the change was applied.
    /// Checks the answer's workspace and keeps a copy. (By reference: the answer is large, and
    /// every read passes here.)
    fn store(&self, response: &K::Response, after_write: bool) -> Result<()> {
        self.workspace.verify_workspace(
            K::KIND,
            self.id.as_ref(),
            K::workspace_of(response),
            after_write,
        )?;
        let mut cached = self.cached.lock();
        // Reads of a resource that did not change (polling) keep the copy they have: comparing
        // costs less than copying every string of the answer and freeing the old ones.
        if cached.as_ref() != Some(response) {
            *cached = Some(response.clone());
        }
        Ok(())
    }

    /// Checks, before a write, that the connector belongs to the workspace: from the cached
    /// details when there are some (a resource's workspace never changes), else with a read.
    async fn verify_before_write(&self) -> Result<()> {
        match self.cached_info() {
            Some(info) => self.workspace.verify_workspace(
                K::KIND,
                self.id.as_ref(),
                K::workspace_of(&info),
                false,
            ),
            None => self.info().await.map(drop),
        }
    }

    /// Sends a write (after [`Self::verify_before_write`]) and keeps its answer.
    async fn write(&self, operation: Operation<K::Response>) -> Result<K::Response> {
        self.verify_before_write().await?;
        let response = self
            .workspace
            .client()
            .execute(operation)
            .await
            .map_err(missing_on_404(K::KIND, self.id.as_ref()))?;
        self.store(&response, true)?;
        Ok(response)
    }

    /// Fetches the connector (always a request) and checks it belongs to the workspace.
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`], [`Error::WorkspaceMismatch`], or transport errors.
    pub async fn info(&self) -> Result<K::Response> {
        // A match rather than `map_err` and `?`: the answer is large, and each of those moves
        // it once more (this is every read's path).
        match self.workspace.client().execute(K::get(&self.id)).await {
            Ok(response) => {
                self.store(&response, false)?;
                Ok(response)
            }
            Err(error) => Err(missing_on_404(K::KIND, self.id.as_ref())(error)),
        }
    }

    /// The cached details, fetched on first use.
    ///
    /// # Errors
    ///
    /// As [`CloudConnector::info`].
    pub async fn details(&self) -> Result<K::Response> {
        match self.cached_info() {
            Some(info) => Ok(info),
            None => self.info().await,
        }
    }

    /// The name (fetched on first use).
    ///
    /// # Errors
    ///
    /// As [`CloudConnector::info`].
    pub async fn name(&self) -> Result<String> {
        Ok(K::name_of(&self.details().await?).to_owned())
    }

    /// Runs the connector's connection check (Config API), after checking that the connector
    /// belongs to the workspace. A failed check is `Ok` with `success: false`; see
    /// [`CloudConnector::check_or_error`].
    ///
    /// # Errors
    ///
    /// [`Error::WorkspaceMismatch`] before the check is sent; transport errors (the check itself
    /// could not be run).
    pub async fn check(&self) -> Result<CheckResult> {
        self.verify_before_write().await?;
        let read = self
            .workspace
            .client()
            .execute(K::check(&self.id))
            .await
            .map_err(missing_on_404(K::KIND, self.id.as_ref()))?;
        Ok(CheckResult::from_read(read))
    }

    /// Runs the check and turns a failure into [`Error::CheckFailed`].
    ///
    /// # Errors
    ///
    /// [`Error::CheckFailed`], or transport errors.
    pub async fn check_or_error(&self) -> Result<CheckResult> {
        let result = self.check().await?;
        if result.success {
            Ok(result)
        } else {
            Err(Error::CheckFailed {
                kind: K::KIND,
                id: self.id.to_string(),
                message: result.reason(),
            })
        }
    }

    /// Renames the connector, after checking that it belongs to the workspace.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty name; [`Error::WorkspaceMismatch`] (nothing sent);
    /// [`Error::MissingResource`]; transport errors.
    pub async fn rename(&self, name: &str) -> Result<K::Response> {
        if name.trim().is_empty() {
            return Err(Error::invalid(format!(
                "a {} name must not be empty",
                K::KIND
            )));
        }
        self.write(K::patch(&self.id, Some(name.to_owned()), None))
            .await
    }

    /// Changes configuration keys: objects are merged key by key, other values replaced; a
    /// secret sent back as `**********` keeps its stored value. The connector's workspace is
    /// checked first.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the configuration is not an object;
    /// [`Error::WorkspaceMismatch`] (nothing sent); transport errors.
    pub async fn update_config(&self, changes: impl Into<ConnectorConfig>) -> Result<K::Response> {
        let changes = changes.into();
        if !changes.as_value().is_object() {
            return Err(Error::invalid("a configuration must be a JSON object"));
        }
        self.write(K::patch(&self.id, None, Some(changes))).await
    }

    /// Replaces the name and the whole configuration.
    ///
    /// # Errors
    ///
    /// As [`CloudConnector::update_config`].
    pub async fn replace_config(
        &self,
        name: &str,
        configuration: impl Into<ConnectorConfig>,
    ) -> Result<K::Response> {
        if name.trim().is_empty() {
            return Err(Error::invalid(format!(
                "a {} name must not be empty",
                K::KIND
            )));
        }
        let configuration = configuration.into();
        if !configuration.as_value().is_object() {
            return Err(Error::invalid("a configuration must be a JSON object"));
        }
        self.write(K::put(&self.id, name.to_owned(), configuration))
            .await
    }

    /// The connections of the workspace that use this connector (every page, read fresh): the
    /// server deletes them when the connector is deleted.
    ///
    /// # Errors
    ///
    /// Transport errors, or [`Error::Paging`].
    pub async fn dependent_connections(&self) -> Result<Vec<CloudConnection>> {
        let users = self
            .workspace
            .connections_where(false, |connection| K::is_used_by(&self.id, connection))
            .await?;
        Ok(users
            .into_iter()
            .map(|info| {
                CloudConnection::new(
                    self.workspace.clone(),
                    info.connection_id.clone(),
                    Some(info),
                )
            })
            .collect())
    }

    /// A delete of this connector (see [`Deletion`]): by default it refuses when connections
    /// use the connector, naming them; [`Deletion::delete_dependents`] deletes them first.
    /// Preview it, or await it.
    pub fn delete(&self) -> Deletion {
        K::deletion(self.clone())
    }

    /// Deletes the connector unless connections use it (the server would delete them too).
    /// With `safe_mode`, its name, read again now, must contain `delete-me` or `deleteme`.
    /// Everything is checked before the `DELETE`; see [`CloudConnector::delete`] to preview the
    /// delete or to delete the connections too.
    ///
    /// # Errors
    ///
    /// [`Error::SafeModeRefusal`], [`Error::DependentsExist`] (naming every connection that uses
    /// it), [`Error::MissingResource`], [`Error::WorkspaceMismatch`], or transport errors.
    pub async fn permanently_delete(&self, safe_mode: bool) -> Result<()> {
        self.delete().safe_mode(safe_mode).send().await.map(drop)
    }
}

/// How a connector to deploy is chosen.
#[derive(Clone, Debug)]
enum ConnectorChoice {
    /// A catalog connector by type (`faker`, `postgres`).
    Type(String),
    /// A definition (custom connectors need this).
    Definition(DefinitionId),
}

/// Deploys a source or destination; returned by [`CloudWorkspace::deploy_source`] and
/// [`CloudWorkspace::deploy_destination`]. Await it (or call [`DeployConnector::send`]).
#[must_use = "a deploy does nothing until awaited"]
pub struct DeployConnector<K: ConnectorKind> {
    workspace: CloudWorkspace,
    name: String,
    choice: ConnectorChoice,
    configuration: ConnectorConfig,
    unique: bool,
    random_name_suffix: bool,
    // Platform family: drafts, OAuth secrets, checked deploys.
    draft: bool,
    secret_id: Option<Secret>,
    verify: bool,
    _kind: std::marker::PhantomData<K>,
}

impl<K: ConnectorKind> fmt::Debug for DeployConnector<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeployConnector")
            .field("kind", &K::KIND)
            .field("name", &self.name)
            .field("connector", &self.choice)
            .field("configuration", &self.configuration)
            .field("unique", &self.unique)
            .field("draft", &self.draft)
            .field("secret_id", &self.secret_id)
            .field("verify", &self.verify)
            .finish()
    }
}

impl<K: ConnectorKind> DeployConnector<K> {
    /// Refuse to deploy when a connector of this kind and name already exists (default: on).
    /// The check reads every page, but it is best-effort: the server has no uniqueness
    /// constraint, so two concurrent deploys can both succeed.
    pub fn unique(mut self, unique: bool) -> Self {
        self.unique = unique;
        self
    }

    /// Append ` (ID: <9 characters>)` to the name (before the uniqueness check).
    pub fn random_name_suffix(mut self, suffix: bool) -> Self {
        self.random_name_suffix = suffix;
        self
    }

    /// Runs the connector of a definition (required for custom connectors).
    pub fn definition_id(mut self, definition_id: DefinitionId) -> Self {
        self.choice = ConnectorChoice::Definition(definition_id);
        self
    }

    /// Deploy a draft (default: no): the connector without its credentials, for a person to
    /// complete later in Airbyte (the Config API's `createAsDraft`; the server answers
    /// `isDraft: true`). The configuration must hold no secret ([`Error::InvalidInput`]
    /// before anything is sent); a connector given by type is found in the catalogue
    /// ([`CloudWorkspace::find_connector_definition`]).
    #[doc(alias = "create_as_draft")]
    pub fn draft(mut self, draft: bool) -> Self {
        self.draft = draft;
        self
    }

    /// Check the connector's setup as part of the deploy (default: no): the connection check
    /// runs right after the create, and a connector that cannot connect is deleted again
    /// and reported as [`Error::CheckFailed`], so that no broken setup is left behind.
    /// Not for drafts, which cannot connect until completed.
    pub fn verify(mut self, verify: bool) -> Self {
        self.verify = verify;
        self
    }

    /// Deploys.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (empty name or type, configuration not an object) before any
    /// request; [`Error::DuplicateResource`] when `unique` finds the name; transport errors.
    pub async fn send(self) -> Result<CloudConnector<K>> {
        if self.draft && self.verify {
            return Err(Error::invalid(format!(
                "a draft {} cannot be checked before a person completes it; deploy it without verify",
                K::KIND
            )));
        }
        let name = if self.random_name_suffix {
            with_random_suffix(&self.name)
        } else {
            self.name.clone()
        };
        if name.trim().is_empty() {
            return Err(Error::invalid(format!(
                "a {} name must not be empty",
                K::KIND
            )));
        }
        let mut configuration = self.configuration;
        if !configuration.as_value().is_object() {
            return Err(Error::invalid(format!(
                "a {} configuration must be a JSON object",
                K::KIND
            )));
        }
        let mut type_name = None;
        let definition_id = match self.choice {
            ConnectorChoice::Definition(id) => {
                configuration.remove(K::TYPE_KEY);
                Some(id)
            }
            ConnectorChoice::Type(connector_type) => {
                let trimmed = connector_type.trim();
                let short = trimmed.strip_prefix(K::NAME_PREFIX).unwrap_or(trimmed);
                if short.is_empty() {
                    return Err(Error::invalid(format!(
                        "a {} connector type must not be empty",
                        K::KIND
                    )));
                }
                configuration.insert(K::TYPE_KEY, Value::String(short.to_owned()));
                type_name = Some(short.to_owned());
                None
            }
        };
        if self.draft {
            crate::drafts::check_draft_configuration(K::KIND, &configuration)?;
            configuration.remove(K::TYPE_KEY);
        }
        if self.unique
            && let Some(existing) = connectors::<K>(&self.workspace)
                .name(name.clone())
                .first()
                .await?
        {
            return Err(Error::DuplicateResource {
                kind: K::KIND,
                name,
                existing_id: existing.id.to_string(),
            });
        }
        if self.draft {
            let definition_id = crate::drafts::draft_definition::<K>(
                &self.workspace,
                definition_id,
                type_name.as_deref(),
            )
            .await?;
            let id = crate::drafts::create_draft::<K>(
                &self.workspace,
                name,
                definition_id,
                configuration,
                self.secret_id,
            )
            .await?;
            return Ok(CloudConnector::new(self.workspace, id, None));
        }
        let response = self
            .workspace
            .execute(K::create(
                name,
                self.workspace.id().clone(),
                configuration,
                definition_id,
                self.secret_id
                    .map(|secret| secret.expose_secret().to_owned()),
            ))
            .await?;
        let id = K::id_of(&response).clone();
        let connector = CloudConnector::new(self.workspace, id, Some(response));
        if self.verify {
            return crate::drafts::keep_if_it_connects(connector).await;
        }
        Ok(connector)
    }
}

impl DeployConnector<Source> {
    /// Deploy the source with the credentials of a completed OAuth flow: the `secret_id`
    /// of [`CloudWorkspace::complete_oauth`] (or of the redirect the user landed on).
    pub fn secret_id(mut self, secret_id: Secret) -> Self {
        self.secret_id = Some(secret_id);
        self
    }
}

impl<K: ConnectorKind> IntoFuture for DeployConnector<K> {
    type Output = Result<CloudConnector<K>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl CloudWorkspace {
    /// Deploys a source of a catalog connector type (`faker`, `postgres`, or
    /// `source-postgres`). The type is sent as `configuration.sourceType`; use
    /// [`DeployConnector::definition_id`] for custom connectors.
    pub fn deploy_source(
        &self,
        name: impl Into<String>,
        connector_type: impl Into<String>,
        configuration: impl Into<ConnectorConfig>,
    ) -> DeployConnector<Source> {
        deploy(
            self,
            name.into(),
            ConnectorChoice::Type(connector_type.into()),
            configuration.into(),
        )
    }

    /// Deploys a destination of a catalog connector type (`bigquery`, `dev-null`, ...).
    pub fn deploy_destination(
        &self,
        name: impl Into<String>,
        connector_type: impl Into<String>,
        configuration: impl Into<ConnectorConfig>,
    ) -> DeployConnector<Destination> {
        deploy(
            self,
            name.into(),
            ConnectorChoice::Type(connector_type.into()),
            configuration.into(),
        )
    }

    /// A source of this workspace, without a request.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty ID.
    #[doc(alias = "get_source")]
    pub fn source(&self, id: impl AsRef<str>) -> Result<CloudSource> {
        Ok(CloudConnector::new(
            self.clone(),
            Source::parse_id(id.as_ref())?,
            None,
        ))
    }

    /// A destination of this workspace, without a request.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty ID.
    #[doc(alias = "get_destination")]
    pub fn destination(&self, id: impl AsRef<str>) -> Result<CloudDestination> {
        Ok(CloudConnector::new(
            self.clone(),
            Destination::parse_id(id.as_ref())?,
            None,
        ))
    }

    /// Lists the workspace's sources (every page; see [`ListItems`] for filters).
    pub fn list_sources(&self) -> ListItems<SourceResponse, CloudSource> {
        connectors::<Source>(self)
    }

    /// Lists the workspace's destinations (every page; see [`ListItems`] for filters).
    pub fn list_destinations(&self) -> ListItems<DestinationResponse, CloudDestination> {
        connectors::<Destination>(self)
    }

    /// Deletes a source; see [`CloudConnector::permanently_delete`].
    ///
    /// # Errors
    ///
    /// As [`CloudConnector::permanently_delete`].
    pub async fn permanently_delete_source(
        &self,
        source: &CloudSource,
        safe_mode: bool,
    ) -> Result<()> {
        source.permanently_delete(safe_mode).await
    }

    /// Deletes a destination; see [`CloudConnector::permanently_delete`].
    ///
    /// # Errors
    ///
    /// As [`CloudConnector::permanently_delete`].
    pub async fn permanently_delete_destination(
        &self,
        destination: &CloudDestination,
        safe_mode: bool,
    ) -> Result<()> {
        destination.permanently_delete(safe_mode).await
    }
}

fn connectors<K: ConnectorKind>(
    workspace: &CloudWorkspace,
) -> ListItems<K::Response, CloudConnector<K>> {
    let keys = ItemKeys {
        id: |response| K::id_of(response).as_ref().to_owned(),
        name: Some(K::name_of),
    };
    ListItems::new(
        workspace,
        Paging::Offset,
        K::LIST,
        keys,
        (),
        |request: ListRequest<()>| {
            let operation = K::list(&request.params());
            async move { request.workspace.execute(operation).await }
        },
    )
    .map(|workspace, response| {
        Ok(CloudConnector::new(
            workspace.clone(),
            K::id_of(&response).clone(),
            Some(response),
        ))
    })
}

fn deploy<K: ConnectorKind>(
    workspace: &CloudWorkspace,
    name: String,
    choice: ConnectorChoice,
    configuration: ConnectorConfig,
) -> DeployConnector<K> {
    DeployConnector {
        workspace: workspace.clone(),
        name,
        choice,
        configuration,
        unique: true,
        random_name_suffix: false,
        draft: false,
        secret_id: None,
        verify: false,
        _kind: std::marker::PhantomData,
    }
}
