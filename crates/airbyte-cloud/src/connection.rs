//! Connections: deploying, reading, changing streams, prefix, schedule and status, deleting.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use airbyte_models::ops::{self, ConnectionListParams, ListParams};
use airbyte_models::{
    ConnectionCreateRequest, ConnectionId, ConnectionPatchRequest, ConnectionResponse,
    ConnectionSchedule, ConnectionStatus, DestinationId, ListResponse, NamespaceDefinition,
    NonBreakingSchemaUpdatesBehavior, ScheduleType, SourceId, StreamConfiguration,
    StreamConfigurations, Tag, WorkspaceId,
};

use crate::ResourceKind;
use crate::cache::Cached;
use crate::connector::{ConnectorKind, Destination, Source};
use crate::cron::QuartzCron;
use crate::deletion::ConnectionDeletion;
use crate::error::missing_on_404;
use crate::listing::{ItemKeys, ListItems, ListRequest, Paging};
use crate::{CloudConnector, CloudDestination, CloudSource, CloudWorkspace, Error, Result};

/// When a connection syncs.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Schedule {
    /// Only when triggered.
    Manual,
    /// On a Quartz cron expression (UTC).
    Cron(QuartzCron),
    /// Every N time units (legacy, read-only): the server's text such as `Every 24 HOURS`.
    Basic(String),
    /// A schedule type this version does not know, or a cron expression it cannot read.
    Unknown(String),
}

impl Schedule {
    /// A cron schedule, checked as a Quartz expression.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming what is wrong with the expression.
    pub fn cron(expression: &str) -> Result<Self> {
        QuartzCron::parse(expression)
            .map(Self::Cron)
            .map_err(|error| Error::invalid(error.to_string()))
    }

    /// The schedule a connection response describes (the ` UTC` the server appends to cron
    /// expressions dropped).
    #[must_use]
    pub fn from_response(schedule: &airbyte_models::ConnectionScheduleResponse) -> Self {
        match &schedule.schedule_type {
            ScheduleType::Manual => Self::Manual,
            ScheduleType::Cron => match schedule.cron_expression_and_zone() {
                Some((expression, _zone)) => QuartzCron::parse(expression)
                    .map_or_else(|_| Self::Unknown(expression.to_owned()), Self::Cron),
                None => Self::Unknown("cron".to_owned()),
            },
            ScheduleType::Basic => Self::Basic(schedule.basic_timing.clone().unwrap_or_default()),
            other => Self::Unknown(other.as_str().to_owned()),
        }
    }

    fn to_request(&self) -> Result<ConnectionSchedule> {
        match self {
            Self::Manual => Ok(ConnectionSchedule::manual()),
            Self::Cron(cron) => Ok(ConnectionSchedule::cron(cron.as_str())),
            Self::Basic(_) => Err(Error::invalid(
                "basic schedules cannot be written through the Public API; use a cron schedule",
            )),
            Self::Unknown(text) => Err(Error::invalid(format!(
                "cannot write an unknown schedule {text:?}"
            ))),
        }
    }
}

/// A connection of a workspace. Building one makes no request: details are fetched when first
/// needed and cached; getters that must be current (status, schedule) always fetch.
#[derive(Clone)]
pub struct CloudConnection {
    workspace: CloudWorkspace,
    id: ConnectionId,
    cached: Cached<ConnectionResponse>,
}

impl fmt::Debug for CloudConnection {
    /// Never does IO.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.cached_info().map(|info| info.name);
        f.debug_struct("CloudConnection")
            .field("id", &self.id)
            .field("workspace_id", self.workspace.id())
            .field("name", &name)
            .finish()
    }
}

impl From<&CloudConnection> for ConnectionId {
    fn from(connection: &CloudConnection) -> Self {
        connection.id.clone()
    }
}

/// What [`CloudConnection::permanently_delete`] deletes besides the connection, and how it is
/// guarded. The default deletes the connection alone, under safe mode.
///
/// Deleting a source or destination makes the server delete every connection that uses it, so
/// a cascade refuses ([`Error::DependentsExist`], naming them) when other connections use the
/// cascaded source or destination, unless `delete_dependents` is set. Every check (names under
/// safe mode, dependents) runs before the first delete.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeleteConnection {
    /// Delete the source too.
    pub cascade_source: bool,
    /// Delete the destination too.
    pub cascade_destination: bool,
    /// Require `delete-me` or `deleteme` in every deleted name (dependents included), read
    /// fresh; all names are checked before the first delete is sent.
    pub safe_mode: bool,
    /// Delete the other connections of a cascaded source or destination too, instead of
    /// refusing.
    pub delete_dependents: bool,
}

impl Default for DeleteConnection {
    fn default() -> Self {
        Self {
            cascade_source: false,
            cascade_destination: false,
            safe_mode: true,
            delete_dependents: false,
        }
    }
}

/// A source or destination given to [`CloudWorkspace::deploy_connection`]: an object (whose
/// known workspace is reused) or an ID (read once, before the connection is created, to check
/// its workspace).
#[derive(Clone, Debug)]
pub struct ConnectionEndpoint<K: ConnectorKind> {
    id: K::Id,
    known_workspace: Option<WorkspaceId>,
}

impl<K: ConnectorKind> From<&CloudConnector<K>> for ConnectionEndpoint<K> {
    fn from(connector: &CloudConnector<K>) -> Self {
        Self {
            id: connector.id().clone(),
            known_workspace: connector.known_workspace(),
        }
    }
}

impl<K: ConnectorKind> From<CloudConnector<K>> for ConnectionEndpoint<K> {
    fn from(connector: CloudConnector<K>) -> Self {
        Self::from(&connector)
    }
}

macro_rules! endpoint_from_id {
    ($kind:ty, $id:ty) => {
        impl From<$id> for ConnectionEndpoint<$kind> {
            fn from(id: $id) -> Self {
                Self {
                    id,
                    known_workspace: None,
                }
            }
        }

        impl From<&$id> for ConnectionEndpoint<$kind> {
            fn from(id: &$id) -> Self {
                Self::from(id.clone())
            }
        }
    };
}

endpoint_from_id!(Source, SourceId);
endpoint_from_id!(Destination, DestinationId);

impl<K: ConnectorKind> ConnectionEndpoint<K> {
    /// Checks that the source or destination belongs to `workspace`, with a read unless its
    /// workspace is known.
    async fn verify(&self, workspace: &CloudWorkspace) -> Result<()> {
        match &self.known_workspace {
            Some(known) => workspace.verify_workspace(K::KIND, self.id.as_ref(), known, false),
            None => CloudConnector::<K>::new(workspace.clone(), self.id.clone(), None)
                .info()
                .await
                .map(drop),
        }
    }
}

impl CloudConnection {
    pub(crate) fn new(
        workspace: CloudWorkspace,
        id: ConnectionId,
        cached: Option<ConnectionResponse>,
    ) -> Self {
        Self {
            workspace,
            id,
            cached: Cached::new(cached),
        }
    }

    /// The ID.
    #[must_use]
    pub fn id(&self) -> &ConnectionId {
        &self.id
    }

    /// The workspace it was reached through.
    #[must_use]
    pub fn workspace(&self) -> &CloudWorkspace {
        &self.workspace
    }

    /// The connection in the web UI: `{workspace url}/connections/{id}`. No request.
    #[must_use]
    pub fn connection_url(&self) -> Option<String> {
        self.workspace
            .workspace_url()
            .map(|url| format!("{url}/connections/{}", self.id))
    }

    /// The connection's job history in the web UI: `{connection url}/timeline`. No request.
    #[must_use]
    pub fn job_history_url(&self) -> Option<String> {
        self.connection_url().map(|url| format!("{url}/timeline"))
    }

    pub(crate) fn cached_info(&self) -> Option<ConnectionResponse> {
        self.cached.get()
    }

    /// Keeps an answer after checking its workspace. `after_write`: the answer is that of a
    /// write, so a mismatch means the change was applied.
    fn store(&self, response: ConnectionResponse, after_write: bool) -> Result<ConnectionResponse> {
        self.workspace.verify_workspace(
            ResourceKind::Connection,
            self.id.as_str(),
            &response.workspace_id,
            after_write,
        )?;
        self.cached.set(response.clone());
        Ok(response)
    }

    /// Checks, before a write (a change, a job, a state or catalog access), that the
    /// connection belongs to the workspace: from the cached details when there are some (a
    /// resource's workspace never changes), else with a read.
    pub(crate) async fn verify_before_write(&self) -> Result<()> {
        match self.cached_info() {
            Some(info) => self.workspace.verify_workspace(
                ResourceKind::Connection,
                self.id.as_str(),
                &info.workspace_id,
                false,
            ),
            None => self.info().await.map(drop),
        }
    }

    /// Fetches the connection (always a request) and checks it belongs to the workspace.
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`], [`Error::WorkspaceMismatch`], or transport errors.
    pub async fn info(&self) -> Result<ConnectionResponse> {
        let response = self
            .workspace
            .client()
            .execute(ops::public::connections::get(&self.id))
            .await
            .map_err(missing_on_404(ResourceKind::Connection, self.id.as_str()))?;
        self.store(response, false)
    }

    /// The cached details, fetched on first use.
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::info`].
    pub async fn details(&self) -> Result<ConnectionResponse> {
        match self.cached_info() {
            Some(info) => Ok(info),
            None => self.info().await,
        }
    }

    /// Whether the connection exists and belongs to the workspace.
    ///
    /// # Errors
    ///
    /// Transport errors other than "not found".
    pub async fn check_is_valid(&self) -> Result<bool> {
        match self.info().await {
            Ok(_) => Ok(true),
            Err(Error::MissingResource { .. } | Error::WorkspaceMismatch { .. }) => Ok(false),
            Err(error) => Err(error),
        }
    }

    /// The name.
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::info`].
    pub async fn name(&self) -> Result<String> {
        Ok(self.details().await?.name)
    }

    /// The source's ID.
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::info`].
    pub async fn source_id(&self) -> Result<SourceId> {
        Ok(self.details().await?.source_id)
    }

    /// The destination's ID.
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::info`].
    pub async fn destination_id(&self) -> Result<DestinationId> {
        Ok(self.details().await?.destination_id)
    }

    /// The source.
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::info`].
    pub async fn source(&self) -> Result<CloudSource> {
        self.workspace.source(self.source_id().await?)
    }

    /// The destination.
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::info`].
    pub async fn destination(&self) -> Result<CloudDestination> {
        self.workspace.destination(self.destination_id().await?)
    }

    /// The configured streams (fresh).
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::info`].
    pub async fn streams(&self) -> Result<Vec<StreamConfiguration>> {
        Ok(self.info().await?.configurations.streams)
    }

    /// The names of the selected streams (fresh).
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::info`].
    pub async fn stream_names(&self) -> Result<Vec<String>> {
        Ok(self
            .streams()
            .await?
            .into_iter()
            .map(|stream| stream.name)
            .collect())
    }

    /// The table prefix (fresh).
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::info`].
    pub async fn table_prefix(&self) -> Result<String> {
        Ok(self.info().await?.prefix.unwrap_or_default())
    }

    /// The schedule (fresh).
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::info`].
    pub async fn schedule(&self) -> Result<Schedule> {
        Ok(Schedule::from_response(&self.info().await?.schedule))
    }

    /// The status (fresh).
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::info`].
    pub async fn status(&self) -> Result<ConnectionStatus> {
        Ok(self.info().await?.status)
    }

    /// Whether the connection is active (fresh).
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::info`].
    pub async fn enabled(&self) -> Result<bool> {
        Ok(self.status().await? == ConnectionStatus::Active)
    }

    pub(crate) async fn patch(
        &self,
        request: ConnectionPatchRequest,
    ) -> Result<ConnectionResponse> {
        self.verify_before_write().await?;
        let response = self
            .workspace
            .client()
            .execute(ops::public::connections::patch(&self.id, &request))
            .await
            .map_err(missing_on_404(ResourceKind::Connection, self.id.as_str()))?;
        self.store(response, true)
    }

    /// Renames the connection.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty name; transport errors.
    pub async fn rename(&self, name: &str) -> Result<ConnectionResponse> {
        if name.trim().is_empty() {
            return Err(Error::invalid("a connection name must not be empty"));
        }
        self.patch(ConnectionPatchRequest {
            name: Some(name.to_owned()),
            ..ConnectionPatchRequest::default()
        })
        .await
    }

    /// Sets the prefix of destination table names.
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn set_table_prefix(&self, prefix: &str) -> Result<ConnectionResponse> {
        self.patch(ConnectionPatchRequest {
            prefix: Some(prefix.to_owned()),
            ..ConnectionPatchRequest::default()
        })
        .await
    }

    /// Selects streams by name. Streams that stay selected keep their settings (sync mode,
    /// cursor, primary key, selected fields); new ones take the server's defaults.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty or duplicated list; transport errors (the server
    /// refuses streams the source does not offer).
    pub async fn set_selected_streams<I, S>(&self, names: I) -> Result<ConnectionResponse>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let names: Vec<String> = names.into_iter().map(Into::into).collect();
        check_stream_names(&names)?;
        let current = self.streams().await?;
        let streams = names
            .into_iter()
            .map(|name| {
                current
                    .iter()
                    .find(|stream| stream.name == name)
                    .cloned()
                    .unwrap_or_else(|| StreamConfiguration::named(name))
            })
            .collect();
        self.set_streams(streams).await
    }

    /// Replaces the stream configurations.
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn set_streams(
        &self,
        streams: Vec<StreamConfiguration>,
    ) -> Result<ConnectionResponse> {
        self.patch(ConnectionPatchRequest {
            configurations: Some(StreamConfigurations { streams }),
            ..ConnectionPatchRequest::default()
        })
        .await
    }

    /// Sets a cron schedule (Quartz syntax, UTC), checked before it is sent.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an invalid expression; transport errors.
    pub async fn set_schedule(&self, cron_expression: &str) -> Result<ConnectionResponse> {
        self.set_schedule_to(&Schedule::cron(cron_expression)?)
            .await
    }

    /// Makes the connection sync only when triggered.
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn set_manual_schedule(&self) -> Result<ConnectionResponse> {
        self.set_schedule_to(&Schedule::Manual).await
    }

    /// Sets a schedule.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a schedule the API cannot take; transport errors.
    pub async fn set_schedule_to(&self, schedule: &Schedule) -> Result<ConnectionResponse> {
        self.patch(ConnectionPatchRequest {
            schedule: Some(schedule.to_request()?),
            ..ConnectionPatchRequest::default()
        })
        .await
    }

    /// Activates or deactivates the connection. When it already is as asked, nothing is sent
    /// and the call succeeds if `ignore_noop`, fails otherwise.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] on a no-op without `ignore_noop`; transport errors.
    pub async fn set_enabled(
        &self,
        enabled: bool,
        ignore_noop: bool,
    ) -> Result<ConnectionResponse> {
        let current = self.info().await?;
        let is_enabled = current.status == ConnectionStatus::Active;
        if is_enabled == enabled {
            if ignore_noop {
                return Ok(current);
            }
            return Err(Error::invalid(format!(
                "connection {} is already {} (status {})",
                self.id,
                if enabled { "enabled" } else { "disabled" },
                current.status
            )));
        }
        self.patch(ConnectionPatchRequest {
            status: Some(if enabled {
                ConnectionStatus::Active
            } else {
                ConnectionStatus::Inactive
            }),
            ..ConnectionPatchRequest::default()
        })
        .await
    }

    /// Changes several fields in one request: what `changes` sets changes, the rest stays.
    /// Checked first like the single-field setters: a name must not be blank, a cron
    /// expression must be a valid Quartz expression, streams must not repeat.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] or [`Error::WorkspaceMismatch`] (nothing sent); transport errors.
    pub async fn update(&self, changes: ConnectionPatchRequest) -> Result<ConnectionResponse> {
        if let Some(name) = &changes.name
            && name.trim().is_empty()
        {
            return Err(Error::invalid("a connection name must not be empty"));
        }
        if let Some(schedule) = &changes.schedule
            && schedule.schedule_type == ScheduleType::Cron
        {
            Schedule::cron(schedule.cron_expression.as_deref().unwrap_or_default())?;
        }
        if let Some(configurations) = &changes.configurations {
            let names: Vec<String> = configurations
                .streams
                .iter()
                .map(|stream| stream.name.clone())
                .collect();
            check_stream_names(&names)?;
        }
        self.patch(changes).await
    }

    /// Deletes the connection, and its source and destination when asked. With safe mode,
    /// every name to delete (read fresh) must contain `delete-me` or `deleteme`. A cascade
    /// refuses when other connections use the source or destination, unless
    /// `delete_dependents` is set. Everything is checked before the first delete; see
    /// [`CloudConnection::delete`] to preview a delete or to learn what it deleted.
    ///
    /// # Errors
    ///
    /// [`Error::SafeModeRefusal`] or [`Error::DependentsExist`] (nothing deleted),
    /// [`Error::WorkspaceMismatch`], [`Error::MissingResource`], [`Error::DeleteIncomplete`],
    /// [`Error::UnplannedDeletion`], or transport errors.
    pub async fn permanently_delete(&self, options: DeleteConnection) -> Result<()> {
        ConnectionDeletion::new(self.clone(), options)
            .send()
            .await
            .map(drop)
    }
}

fn check_stream_names(names: &[String]) -> Result<()> {
    if names.is_empty() {
        return Err(Error::invalid("select at least one stream"));
    }
    let mut seen = std::collections::HashSet::new();
    for name in names {
        if name.trim().is_empty() {
            return Err(Error::invalid("a stream name must not be empty"));
        }
        if !seen.insert(name) {
            return Err(Error::invalid(format!("stream {name:?} is selected twice")));
        }
    }
    Ok(())
}

/// Deploys a connection; returned by [`CloudWorkspace::deploy_connection`]. Await it (or call
/// [`DeployConnection::send`]).
#[must_use = "a deploy does nothing until awaited"]
#[derive(Debug)]
pub struct DeployConnection {
    workspace: CloudWorkspace,
    source: ConnectionEndpoint<Source>,
    destination: ConnectionEndpoint<Destination>,
    request: ConnectionCreateRequest,
    stream_names: Vec<String>,
    streams: Vec<StreamConfiguration>,
    schedule: Option<Schedule>,
}

impl DeployConnection {
    /// The connection's name (the server derives one when absent).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.request.name = Some(name.into());
        self
    }

    /// Selects streams by name, with the server's default settings.
    pub fn streams<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.stream_names.extend(names.into_iter().map(Into::into));
        self
    }

    /// Selects a stream with explicit settings (sync mode, cursor, primary key, ...).
    pub fn stream(mut self, stream: StreamConfiguration) -> Self {
        self.streams.push(stream);
        self
    }

    /// The prefix of destination table names.
    pub fn table_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.request.prefix = Some(prefix.into());
        self
    }

    /// The schedule (manual when not set).
    pub fn schedule(mut self, schedule: Schedule) -> Self {
        self.schedule = Some(schedule);
        self
    }

    /// The initial status.
    pub fn status(mut self, status: ConnectionStatus) -> Self {
        self.request.status = Some(status);
        self
    }

    /// Where destination namespaces come from, with the custom format when that is the choice.
    pub fn namespace(mut self, definition: NamespaceDefinition, format: Option<String>) -> Self {
        self.request.namespace_definition = Some(definition);
        self.request.namespace_format = format;
        self
    }

    /// What happens on non-breaking schema changes.
    pub fn non_breaking_changes(mut self, behavior: NonBreakingSchemaUpdatesBehavior) -> Self {
        self.request.non_breaking_schema_updates_behavior = Some(behavior);
        self
    }

    /// Tags of the workspace to put on the connection (see
    /// [`CloudWorkspace::list_tags`]).
    pub fn tags(mut self, tags: Vec<Tag>) -> Self {
        self.request.tags = Some(tags);
        self
    }

    /// Deploys.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (duplicated streams, a schedule the API cannot take) before any
    /// request; [`Error::WorkspaceMismatch`] or [`Error::MissingResource`] when the source or
    /// the destination is not in the workspace (checked before the connection is created);
    /// transport errors.
    pub async fn send(self) -> Result<CloudConnection> {
        let mut request = self.request;
        let mut streams = self.streams;
        streams.extend(
            self.stream_names
                .into_iter()
                .map(StreamConfiguration::named),
        );
        if !streams.is_empty() {
            let names: Vec<String> = streams.iter().map(|stream| stream.name.clone()).collect();
            check_stream_names(&names)?;
            request.configurations = Some(StreamConfigurations { streams });
        }
        if let Some(schedule) = &self.schedule {
            request.schedule = Some(schedule.to_request()?);
        }
        if let Some(name) = &request.name
            && name.trim().is_empty()
        {
            return Err(Error::invalid("a connection name must not be empty"));
        }
        self.source.verify(&self.workspace).await?;
        self.destination.verify(&self.workspace).await?;
        let response = self
            .workspace
            .execute(ops::public::connections::create(&request))
            .await?;
        let connection =
            CloudConnection::new(self.workspace.clone(), response.connection_id.clone(), None);
        connection.store(response, true)?;
        Ok(connection)
    }
}

impl IntoFuture for DeployConnection {
    type Output = Result<CloudConnection>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

fn list_operation(params: &ListParams) -> ops::Operation<ListResponse<ConnectionResponse>> {
    ops::public::connections::list(&ConnectionListParams {
        list: params.clone(),
        tag_ids: Vec::new(),
    })
}

impl CloudWorkspace {
    /// Deploys a connection between a source and a destination (objects or IDs). Both are
    /// checked to belong to this workspace before the connection is created.
    pub fn deploy_connection(
        &self,
        source: impl Into<ConnectionEndpoint<Source>>,
        destination: impl Into<ConnectionEndpoint<Destination>>,
    ) -> DeployConnection {
        let (source, destination) = (source.into(), destination.into());
        DeployConnection {
            workspace: self.clone(),
            request: ConnectionCreateRequest::new(source.id.clone(), destination.id.clone()),
            source,
            destination,
            stream_names: Vec::new(),
            streams: Vec::new(),
            schedule: None,
        }
    }

    /// A connection of this workspace, without a request.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty ID.
    #[doc(alias = "get_connection")]
    pub fn connection(&self, id: impl AsRef<str>) -> Result<CloudConnection> {
        let id =
            ConnectionId::new(id.as_ref()).map_err(|error| Error::invalid(error.to_string()))?;
        Ok(CloudConnection::new(self.clone(), id, None))
    }

    /// Lists the workspace's connections (every page; see [`ListItems`] for filters).
    pub fn list_connections(&self) -> ListItems<ConnectionResponse, CloudConnection> {
        let keys = ItemKeys {
            id: |connection: &ConnectionResponse| connection.connection_id.to_string(),
            name: Some(|connection| &connection.name),
        };
        ListItems::new(
            self,
            Paging::Offset,
            "connections",
            keys,
            (),
            |request: ListRequest<()>| {
                let operation = list_operation(&request.params());
                async move { request.workspace.execute(operation).await }
            },
        )
        .map(|workspace, response| {
            Ok(CloudConnection::new(
                workspace.clone(),
                response.connection_id.clone(),
                Some(response),
            ))
        })
    }

    /// Deletes a connection; see [`CloudConnection::permanently_delete`].
    ///
    /// # Errors
    ///
    /// As [`CloudConnection::permanently_delete`].
    pub async fn permanently_delete_connection(
        &self,
        connection: &CloudConnection,
        options: DeleteConnection,
    ) -> Result<()> {
        connection.permanently_delete(options).await
    }
}
