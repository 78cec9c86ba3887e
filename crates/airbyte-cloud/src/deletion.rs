//! Deletes that name everything they remove.
//!
//! Deleting a source or a destination makes the server delete every connection that uses it;
//! deleting a custom source definition makes it delete every source that runs it (and their
//! connections). So a delete is first planned: the resource, what a cascade adds, and every
//! dependent the server would delete with them, each read fresh (names included). The plan can
//! be previewed, and a preview that someone approved can be sent as such (`send_approved`:
//! refused with [`Error::PlanChanged`] when the delete would now remove more, or a resource
//! renamed since); sending it checks everything before the first `DELETE`:
//!
//! - safe mode: every name in the plan must contain `delete-me` or `deleteme` (dependents too,
//!   when they are to be deleted);
//! - dependents: unless asked to delete them too, any dependent refuses the whole delete with
//!   [`Error::DependentsExist`], which names each one.
//!
//! Dependents are deleted first, one by one, so that the server's own cascade never removes
//! anything unnamed. Right before a source or destination is deleted, its connections are
//! listed again: one that appeared since the plan (another caller) stops the delete. Right
//! after, they are listed once more: a connection created in the instant between that check and
//! the delete, and so deleted by the server, is reported in [`Error::UnplannedDeletion`]. When
//! the delete stops part way ([`Error::DeleteIncomplete`]), such connections are named there
//! (`unplanned`), whichever step stopped it: a later one, or that `DELETE` itself, applied but
//! unanswered (the connections are listed after a failed `DELETE` too). When they cannot be
//! listed, the error names the source or destination whose connections may be gone unnamed
//! (`unchecked`). A custom definition's delete does the same with the sources (or
//! destinations) that run it: those created after its check, deleted by the server with it,
//! are named with their connections. This race cannot be closed on this API (it has no conditional delete); it is
//! never silent. The report errs on the side of saying too much: a connection that another
//! caller created and deleted itself in the same instant is named too (the list cannot tell
//! who deleted it).

use std::collections::HashSet;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use airbyte_models::ops;
use airbyte_models::{
    ConnectionId, ConnectionResponse, ConnectionStatus, DefinitionId, DestinationId, SourceId,
};

use crate::connector::{ConnectorKind, Destination, Source};
use crate::definition_users::RunsDefinition;
use crate::definitions::DefinitionKind;
use crate::destination_definitions::CustomDestinationDefinition;
use crate::naming::check_safe_mode;
use crate::resource_kind::ResourceKind;
use crate::{
    CloudConnection, CloudConnector, CloudWorkspace, CustomSourceDefinition, DeleteConnection,
    Error, Result,
};

/// A resource, named: its kind, ID and name as read when the delete was planned.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ResourceRef {
    /// The kind.
    pub kind: ResourceKind,
    /// The ID.
    pub id: String,
    /// The name.
    pub name: String,
}

impl ResourceRef {
    pub(crate) fn new(kind: ResourceKind, id: impl AsRef<str>, name: impl Into<String>) -> Self {
        Self {
            kind,
            id: id.as_ref().to_owned(),
            name: name.into(),
        }
    }

    fn connection(connection: &ConnectionResponse) -> Self {
        Self::new(
            ResourceKind::Connection,
            &connection.connection_id,
            connection.name.clone(),
        )
    }
}

impl fmt::Display for ResourceRef {
    /// `source "pg (delete-me)" (0c31…)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {:?} ({})", self.kind, self.name, self.id)
    }
}

/// `connection "a" (1), connection "b" (2)`, or `nothing`.
pub(crate) fn list_names<'a>(resources: impl Iterator<Item = &'a ResourceRef>) -> String {
    let names: Vec<String> = resources.map(ToString::to_string).collect();
    if names.is_empty() {
        "nothing".to_owned()
    } else {
        names.join(", ")
    }
}

/// Why a resource is in a delete plan.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeletionReason {
    /// The delete was asked for it.
    Requested,
    /// A connection's source or destination, asked for with `cascade_source` or
    /// `cascade_destination`.
    Cascade,
    /// It uses a resource of the plan, and the server deletes it with that resource.
    DependentOf(ResourceRef),
}

/// One resource of a delete plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedDeletion {
    /// The resource.
    pub resource: ResourceRef,
    /// Why it is deleted.
    pub reason: DeletionReason,
}

impl PlannedDeletion {
    /// Whether it is in the plan only because it depends on another resource of the plan.
    #[must_use]
    pub fn is_dependent(&self) -> bool {
        matches!(self.reason, DeletionReason::DependentOf(_))
    }
}

/// What the API is asked to delete, for one item of a plan.
#[derive(Clone, Debug)]
enum Target {
    Connection(ConnectionId),
    Source(SourceId),
    Destination(DestinationId),
    Definition(DefinitionId, DefinitionKind),
    DestinationDefinition(DefinitionId),
}

/// Everything one delete removes, in the order the deletes are sent: dependents first, then
/// what was asked for. Returned by the `preview` of a delete (nothing deleted yet) and by the
/// delete itself (everything in it deleted).
#[derive(Clone, Debug)]
pub struct DeletePlan {
    items: Vec<(PlannedDeletion, Target)>,
    safe_mode: bool,
    delete_dependents: bool,
}

impl DeletePlan {
    fn new(safe_mode: bool, delete_dependents: bool) -> Self {
        Self {
            items: Vec::new(),
            safe_mode,
            delete_dependents,
        }
    }

    fn push(&mut self, resource: ResourceRef, reason: DeletionReason, target: Target) {
        if !self.contains(&resource.id) {
            self.items
                .push((PlannedDeletion { resource, reason }, target));
        }
    }

    /// Every resource, in the order the deletes are (or were) sent.
    pub fn items(&self) -> impl ExactSizeIterator<Item = &PlannedDeletion> {
        self.items.iter().map(|(item, _)| item)
    }

    /// The resources asked for (the resource, and a connection's cascade).
    pub fn requested(&self) -> impl Iterator<Item = &ResourceRef> {
        self.items()
            .filter(|item| !item.is_dependent())
            .map(|item| &item.resource)
    }

    /// The resources the server would delete with those asked for.
    pub fn dependents(&self) -> impl Iterator<Item = &PlannedDeletion> {
        self.items().filter(|item| item.is_dependent())
    }

    /// Whether the plan deletes the resource with this ID.
    #[must_use]
    pub fn contains(&self, id: &str) -> bool {
        self.items.iter().any(|(item, _)| item.resource.id == id)
    }

    /// How many resources the plan deletes.
    #[must_use]
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether the plan deletes nothing (never the case for a plan built by this crate).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether safe mode applies.
    #[must_use]
    pub fn safe_mode(&self) -> bool {
        self.safe_mode
    }

    /// Whether dependents are deleted too (otherwise any dependent refuses the delete).
    #[must_use]
    pub fn deletes_dependents(&self) -> bool {
        self.delete_dependents
    }

    /// The refusal the delete would meet, checked without any request: safe mode on every
    /// resource asked for, then dependents (refused unless they are to be deleted too, and
    /// then under safe mode as well).
    ///
    /// # Errors
    ///
    /// [`Error::SafeModeRefusal`] naming the first resource whose name does not pass;
    /// [`Error::DependentsExist`] naming every dependent.
    pub fn check(&self) -> Result<()> {
        for item in self.items().filter(|item| !item.is_dependent()) {
            check_named(self.safe_mode, &item.resource)?;
        }
        let dependents: Vec<PlannedDeletion> = self.dependents().cloned().collect();
        if dependents.is_empty() {
            return Ok(());
        }
        if !self.delete_dependents {
            let resource = self
                .items()
                .find(|item| item.reason == DeletionReason::Requested)
                .map_or_else(
                    || dependents[0].resource.clone(),
                    |item| item.resource.clone(),
                );
            return Err(Error::DependentsExist {
                resource,
                dependents,
            });
        }
        for dependent in &dependents {
            check_named(self.safe_mode, &dependent.resource)?;
        }
        Ok(())
    }

    fn resources(&self) -> impl Iterator<Item = &ResourceRef> {
        self.items().map(|item| &item.resource)
    }

    /// Checks that this (fresh) plan deletes nothing that `approved` does not name, under the
    /// name it had there. Deleting less than approved is fine (another caller deleted some of
    /// it meanwhile).
    ///
    /// # Errors
    ///
    /// [`Error::PlanChanged`] naming what was added and what was renamed.
    fn within(&self, approved: &DeletePlan) -> Result<()> {
        let mut added = Vec::new();
        let mut renamed = Vec::new();
        for item in self.items() {
            let known = approved.items().find(|old| {
                old.resource.kind == item.resource.kind && old.resource.id == item.resource.id
            });
            match known {
                None => added.push(item.clone()),
                Some(old) if old.resource.name != item.resource.name => {
                    renamed.push((old.resource.clone(), item.resource.name.clone()));
                }
                Some(_) => {}
            }
        }
        if added.is_empty() && renamed.is_empty() {
            Ok(())
        } else {
            Err(Error::PlanChanged { added, renamed })
        }
    }
}

fn check_named(safe_mode: bool, resource: &ResourceRef) -> Result<()> {
    check_safe_mode(safe_mode, resource.kind, &resource.id, &resource.name)
}

/// Deletes a connection, with its source and destination when asked; returned by
/// [`CloudConnection::delete`]. Await it (or call [`ConnectionDeletion::send`]), or
/// [`ConnectionDeletion::preview`] it. Safe mode is on by default.
#[must_use = "a delete does nothing until awaited"]
#[derive(Debug)]
pub struct ConnectionDeletion {
    connection: CloudConnection,
    options: DeleteConnection,
}

impl ConnectionDeletion {
    pub(crate) fn new(connection: CloudConnection, options: DeleteConnection) -> Self {
        Self {
            connection,
            options,
        }
    }

    /// Delete the connection's source too (default: no).
    pub fn cascade_source(mut self, cascade: bool) -> Self {
        self.options.cascade_source = cascade;
        self
    }

    /// Delete the connection's destination too (default: no).
    pub fn cascade_destination(mut self, cascade: bool) -> Self {
        self.options.cascade_destination = cascade;
        self
    }

    /// Require `delete-me` or `deleteme` in every name deleted (default: yes).
    pub fn safe_mode(mut self, safe_mode: bool) -> Self {
        self.options.safe_mode = safe_mode;
        self
    }

    /// Delete the other connections of a cascaded source or destination too, instead of
    /// refusing (default: no).
    pub fn delete_dependents(mut self, delete: bool) -> Self {
        self.options.delete_dependents = delete;
        self
    }

    /// What the delete would remove, read fresh, without deleting anything and without
    /// refusing: see [`DeletePlan::check`] for the refusal the delete would meet.
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`], [`Error::WorkspaceMismatch`], or transport errors.
    pub async fn preview(&self) -> Result<DeletePlan> {
        plan_connection(&self.connection, self.options).await
    }

    /// Plans, checks everything, then deletes. Returns what was deleted.
    ///
    /// # Errors
    ///
    /// Before anything is deleted: [`Error::SafeModeRefusal`], [`Error::DependentsExist`],
    /// [`Error::MissingResource`], [`Error::WorkspaceMismatch`], or the first transport error.
    /// Once something is deleted: [`Error::DeleteIncomplete`] when a delete fails or a new
    /// dependent appears, naming what was deleted and what was not, and what the server
    /// deleted besides (or whose connections could not be listed); [`Error::UnplannedDeletion`]
    /// when everything was deleted but the server also deleted connections another caller
    /// created in the meantime.
    ///
    /// A connection another caller creates on a source or destination of the plan after the
    /// last check and before its `DELETE` is deleted by the server with it: the API has no
    /// conditional delete, so this cannot be prevented, but it is always reported, by name, in
    /// one of these two errors (or the error says that the connections could not be listed).
    pub async fn send(self) -> Result<DeletePlan> {
        let plan = self.preview().await?;
        plan.check()?;
        execute(self.connection.workspace(), plan).await
    }

    /// Like [`ConnectionDeletion::send`], but deletes only what `approved` (an earlier
    /// [`preview`](ConnectionDeletion::preview), shown to someone who agreed to it) names: the
    /// delete is planned afresh and refused when it would now delete more, or a resource
    /// renamed since. Use it when a person confirms a preview before the delete.
    ///
    /// # Errors
    ///
    /// [`Error::PlanChanged`] (nothing deleted), then as [`ConnectionDeletion::send`].
    pub async fn send_approved(self, approved: &DeletePlan) -> Result<DeletePlan> {
        let plan = self.preview().await?;
        plan.within(approved)?;
        plan.check()?;
        execute(self.connection.workspace(), plan).await
    }
}

impl IntoFuture for ConnectionDeletion {
    type Output = Result<DeletePlan>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// What a [`Deletion`] deletes.
#[derive(Clone, Debug)]
enum Subject {
    Source(crate::CloudSource),
    Destination(crate::CloudDestination),
    Definition(CustomSourceDefinition),
    DestinationDefinition(CustomDestinationDefinition),
}

/// Deletes a source, a destination or a custom source definition, refusing by default when
/// the server would delete other resources with it; returned by [`CloudConnector::delete`] and
/// [`CustomSourceDefinition::delete`]. Await it (or call [`Deletion::send`]), or
/// [`Deletion::preview`] it. Safe mode is on by default.
#[must_use = "a delete does nothing until awaited"]
#[derive(Debug)]
pub struct Deletion {
    subject: Subject,
    safe_mode: bool,
    delete_dependents: bool,
}

impl Deletion {
    pub(crate) fn source(source: crate::CloudSource) -> Self {
        Self::of(Subject::Source(source))
    }

    pub(crate) fn destination(destination: crate::CloudDestination) -> Self {
        Self::of(Subject::Destination(destination))
    }

    pub(crate) fn definition(definition: CustomSourceDefinition) -> Self {
        Self::of(Subject::Definition(definition))
    }

    pub(crate) fn destination_definition(definition: CustomDestinationDefinition) -> Self {
        Self::of(Subject::DestinationDefinition(definition))
    }

    fn of(subject: Subject) -> Self {
        Self {
            subject,
            safe_mode: true,
            delete_dependents: false,
        }
    }

    /// Require `delete-me` or `deleteme` in every name deleted (default: yes).
    pub fn safe_mode(mut self, safe_mode: bool) -> Self {
        self.safe_mode = safe_mode;
        self
    }

    /// Delete the dependents too (the connections of a source or destination; the sources of
    /// a definition and their connections), instead of refusing (default: no).
    pub fn delete_dependents(mut self, delete: bool) -> Self {
        self.delete_dependents = delete;
        self
    }

    /// What the delete would remove, read fresh, without deleting anything and without
    /// refusing: see [`DeletePlan::check`] for the refusal the delete would meet.
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`], [`Error::WorkspaceMismatch`], or transport errors.
    pub async fn preview(&self) -> Result<DeletePlan> {
        let mut plan = DeletePlan::new(self.safe_mode, self.delete_dependents);
        match &self.subject {
            Subject::Source(source) => {
                plan_connector(&mut plan, source, DeletionReason::Requested).await?
            }
            Subject::Destination(destination) => {
                plan_connector(&mut plan, destination, DeletionReason::Requested).await?;
            }
            Subject::Definition(definition) => plan_definition(&mut plan, definition).await?,
            Subject::DestinationDefinition(definition) => {
                plan_destination_definition(&mut plan, definition).await?;
            }
        }
        Ok(plan)
    }

    /// Plans, checks everything, then deletes. Returns what was deleted.
    ///
    /// # Errors
    ///
    /// As [`ConnectionDeletion::send`].
    pub async fn send(self) -> Result<DeletePlan> {
        let plan = self.preview().await?;
        plan.check()?;
        execute(self.workspace(), plan).await
    }

    /// Like [`Deletion::send`], but deletes only what `approved` (an earlier
    /// [`preview`](Deletion::preview), shown to someone who agreed to it) names: the delete is
    /// planned afresh and refused when it would now delete more (a connection created since),
    /// or a resource renamed since.
    ///
    /// # Errors
    ///
    /// [`Error::PlanChanged`] (nothing deleted), then as [`Deletion::send`].
    pub async fn send_approved(self, approved: &DeletePlan) -> Result<DeletePlan> {
        let plan = self.preview().await?;
        plan.within(approved)?;
        plan.check()?;
        execute(self.workspace(), plan).await
    }

    fn workspace(&self) -> &CloudWorkspace {
        match &self.subject {
            Subject::Source(source) => source.workspace(),
            Subject::Destination(destination) => destination.workspace(),
            Subject::Definition(definition) => definition.workspace(),
            Subject::DestinationDefinition(definition) => definition.workspace(),
        }
    }
}

impl IntoFuture for Deletion {
    type Output = Result<DeletePlan>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Plans a connection's delete: the connection (read fresh), the cascaded source and
/// destination (read fresh), and every other connection that uses them.
async fn plan_connection(
    connection: &CloudConnection,
    options: DeleteConnection,
) -> Result<DeletePlan> {
    let mut plan = DeletePlan::new(options.safe_mode, options.delete_dependents);
    let cascading = options.cascade_source || options.cascade_destination;
    // Names decide only under safe mode, and the source and destination IDs only for a
    // cascade: otherwise the known details do (their workspace still checked).
    let info = if options.safe_mode || cascading {
        connection.info().await?
    } else {
        connection.verify_before_write().await?;
        connection.details().await?
    };
    let this = ResourceRef::connection(&info);
    let workspace = connection.workspace();
    let mut cascade = Vec::new();
    if options.cascade_source {
        let source = workspace.source(&info.source_id)?;
        cascade.push(connector_ref(&source).await?);
    }
    if options.cascade_destination {
        let destination = workspace.destination(&info.destination_id)?;
        cascade.push(connector_ref(&destination).await?);
    }
    if cascading {
        let users = workspace
            .connections_where(false, |candidate| {
                candidate.connection_id != info.connection_id
                    && (options.cascade_source && candidate.source_id == info.source_id
                        || options.cascade_destination
                            && candidate.destination_id == info.destination_id)
            })
            .await?;
        for user in &users {
            let of = if options.cascade_source && user.source_id == info.source_id {
                &cascade[0].0
            } else {
                &cascade[cascade.len() - 1].0
            };
            plan.push(
                ResourceRef::connection(user),
                DeletionReason::DependentOf(of.clone()),
                Target::Connection(user.connection_id.clone()),
            );
        }
    }
    plan.push(
        this,
        DeletionReason::Requested,
        Target::Connection(info.connection_id.clone()),
    );
    for (resource, target) in cascade {
        plan.push(resource, DeletionReason::Cascade, target);
    }
    Ok(plan)
}

/// A source or destination, read fresh, as a plan item.
async fn connector_ref<K: ConnectorKind>(
    connector: &CloudConnector<K>,
) -> Result<(ResourceRef, Target)> {
    let info = connector.info().await?;
    let id = connector.id().as_ref();
    let target = match K::KIND {
        ResourceKind::Destination => Target::Destination(
            DestinationId::new(id).map_err(|error| Error::invalid(error.to_string()))?,
        ),
        _ => Target::Source(SourceId::new(id).map_err(|error| Error::invalid(error.to_string()))?),
    };
    Ok((ResourceRef::new(K::KIND, id, K::name_of(&info)), target))
}

/// Adds a source or destination (read fresh), for `reason`, after the connections that use it.
async fn plan_connector<K: ConnectorKind>(
    plan: &mut DeletePlan,
    connector: &CloudConnector<K>,
    reason: DeletionReason,
) -> Result<()> {
    let (resource, target) = connector_ref(connector).await?;
    let users = connector
        .workspace()
        .connections_where(false, |candidate| K::is_used_by(connector.id(), candidate))
        .await?;
    for user in &users {
        plan.push(
            ResourceRef::connection(user),
            DeletionReason::DependentOf(resource.clone()),
            Target::Connection(user.connection_id.clone()),
        );
    }
    plan.push(resource, reason, target);
    Ok(())
}

/// Adds a definition (its name read fresh), the sources that run it and their connections.
async fn plan_definition(plan: &mut DeletePlan, definition: &CustomSourceDefinition) -> Result<()> {
    let resource = ResourceRef::new(
        ResourceKind::CustomSourceDefinition,
        definition.id(),
        definition.name().await?,
    );
    for source in definition.dependent_sources().await? {
        plan_connector(plan, &source, DeletionReason::DependentOf(resource.clone())).await?;
    }
    plan.push(
        resource,
        DeletionReason::Requested,
        Target::Definition(definition.id().clone(), definition.kind()),
    );
    Ok(())
}

/// Adds a custom destination definition (its name read fresh), the destinations that run it
/// and their connections.
async fn plan_destination_definition(
    plan: &mut DeletePlan,
    definition: &CustomDestinationDefinition,
) -> Result<()> {
    let resource = ResourceRef::new(
        ResourceKind::CustomDestinationDefinition,
        definition.id(),
        definition.name().await?,
    );
    for destination in definition.dependent_destinations().await? {
        plan_connector(
            plan,
            &destination,
            DeletionReason::DependentOf(resource.clone()),
        )
        .await?;
    }
    plan.push(
        resource,
        DeletionReason::Requested,
        Target::DestinationDefinition(definition.id().clone()),
    );
    Ok(())
}

/// Deletes a custom destination definition after checking that no destination runs it that
/// is not in the plan, and returns the destinations (and their connections) the server
/// deleted with it that were created in the instant between that check and the delete.
async fn delete_destination_definition(
    workspace: &CloudWorkspace,
    plan: &DeletePlan,
    item: &PlannedDeletion,
    id: &DefinitionId,
) -> Result<Vec<ResourceRef>, StepFailure> {
    let definition = workspace.custom_destination_definition(id)?;
    let before = definition_users::<Destination>(workspace, id).await?;
    let appeared: Vec<PlannedDeletion> = definition
        .dependent_destinations()
        .await?
        .iter()
        .filter(|destination| !plan.contains(destination.id().as_str()))
        .map(|destination| PlannedDeletion {
            resource: ResourceRef::new(
                ResourceKind::Destination,
                destination.id(),
                destination.cached_name().unwrap_or_default(),
            ),
            reason: DeletionReason::DependentOf(item.resource.clone()),
        })
        .collect();
    if !appeared.is_empty() {
        return Err(Error::DependentsExist {
            resource: item.resource.clone(),
            dependents: appeared,
        }
        .into());
    }
    let sent = workspace
        .execute(ops::public::destination_definitions::delete(
            workspace.id(),
            id,
        ))
        .await
        .map(drop);
    let (extra, ()) = look_after(
        item,
        sent,
        deleted_with_definition::<Destination>(workspace, plan, id, &before),
    )
    .await?;
    Ok(extra)
}

/// What the executor knows about the connections of the workspace between two deletes.
struct Snapshot {
    connections: Vec<ConnectionResponse>,
}

impl Snapshot {
    /// Every connection of the workspace, deleted ones included (their status says so).
    async fn take(workspace: &CloudWorkspace) -> Result<Self> {
        Ok(Self {
            connections: workspace.connections_where(true, |_| true).await?,
        })
    }

    fn users<'a>(
        &'a self,
        target: &'a Target,
    ) -> impl Iterator<Item = &'a ConnectionResponse> + 'a {
        self.connections
            .iter()
            .filter(move |connection| target.is_used_by(connection))
    }
}

fn is_deleted(connection: &ConnectionResponse) -> bool {
    connection.status == ConnectionStatus::Deprecated
}

impl Target {
    fn is_used_by(&self, connection: &ConnectionResponse) -> bool {
        match self {
            Self::Source(id) => connection.source_id == *id,
            Self::Destination(id) => connection.destination_id == *id,
            Self::Connection(_) | Self::Definition(..) | Self::DestinationDefinition(_) => false,
        }
    }
}

/// A step of a delete that failed: whether its resource was deleted all the same, and what
/// the server deleted with it that the plan does not name (or that this could not be listed).
struct StepFailure {
    deleted: bool,
    unplanned: Vec<ResourceRef>,
    unchecked: bool,
    error: Error,
}

impl From<Error> for StepFailure {
    fn from(error: Error) -> Self {
        Self {
            deleted: false,
            unplanned: Vec::new(),
            unchecked: false,
            error,
        }
    }
}

/// Sends the deletes of a checked plan, in order. A resource already gone counts as deleted.
///
/// # Errors
///
/// [`Error::DeleteIncomplete`] as soon as a step fails (a delete, a new dependent, a check
/// that could not run), naming what was deleted and what was not, even when that is nothing:
/// a delete whose answer was lost may have been applied. It also names the connections the
/// server deleted besides the plan at the steps before (and at the failed one, when its
/// `DELETE` went through unanswered), or the source or destination whose connections could
/// not be listed. [`Error::UnplannedDeletion`] when everything was deleted but the server also
/// deleted connections another caller created in the meantime.
async fn execute(workspace: &CloudWorkspace, plan: DeletePlan) -> Result<DeletePlan> {
    let mut deleted: Vec<ResourceRef> = Vec::new();
    let mut unplanned: Vec<ResourceRef> = Vec::new();
    let mut snapshot: Option<Snapshot> = None;
    for (index, (item, target)) in plan.items.iter().enumerate() {
        let outcome = match target {
            Target::Source(_) | Target::Destination(_) => {
                delete_connector(workspace, &plan, item, target, &mut snapshot)
                    .await
                    .map(|extra| unplanned.extend(extra))
            }
            Target::Definition(id, kind) => {
                snapshot = None;
                delete_definition(workspace, &plan, item, id, *kind)
                    .await
                    .map(|extra| unplanned.extend(extra))
            }
            Target::DestinationDefinition(id) => {
                snapshot = None;
                delete_destination_definition(workspace, &plan, item, id)
                    .await
                    .map(|extra| unplanned.extend(extra))
            }
            Target::Connection(id) => {
                // The next source or destination looks at the connections afresh.
                snapshot = None;
                gone_is_fine(
                    workspace
                        .execute(ops::public::connections::delete(id))
                        .await,
                )
                .map_err(StepFailure::from)
            }
        };
        match outcome {
            Ok(()) => {
                tracing::info!(resource = %item.resource, "deleted");
                deleted.push(item.resource.clone());
            }
            Err(failure) => {
                let mut rest = plan.resources().skip(index).cloned();
                if failure.deleted {
                    deleted.extend(rest.next());
                }
                // What the server deleted besides at the steps before, and at this one: a
                // stop must not hide it (the caller would never learn of it).
                unplanned.extend(failure.unplanned);
                return Err(Error::DeleteIncomplete {
                    deleted,
                    not_deleted: rest.collect(),
                    unplanned,
                    unchecked: failure.unchecked.then(|| Box::new(item.resource.clone())),
                    source: Box::new(failure.error),
                });
            }
        }
    }
    if !unplanned.is_empty() {
        return Err(Error::UnplannedDeletion { deleted, unplanned });
    }
    Ok(plan)
}

/// A delete that found nothing to delete: someone else deleted it, which is the outcome asked
/// for.
fn gone_is_fine(result: Result<()>) -> Result<()> {
    match result {
        Err(error) if error.is_not_found() => Ok(()),
        other => other,
    }
}

/// Deletes a source or destination between two looks at the connections that use it: refuses
/// when one appeared since the plan, and returns the connections the server deleted with it
/// that were created in the instant between the last look and the delete.
///
/// The second look is taken also when the `DELETE` fails: its answer may have been lost after
/// the server applied it (a retry that then fails for good), and the connections deleted with
/// it must be named all the same. When that look cannot be taken, the failure says so
/// (`unchecked`).
async fn delete_connector(
    workspace: &CloudWorkspace,
    plan: &DeletePlan,
    item: &PlannedDeletion,
    target: &Target,
    snapshot: &mut Option<Snapshot>,
) -> Result<Vec<ResourceRef>, StepFailure> {
    let before = match snapshot.take() {
        Some(snapshot) => snapshot,
        None => Snapshot::take(workspace).await?,
    };
    let appeared: Vec<PlannedDeletion> = before
        .users(target)
        .filter(|user| !is_deleted(user) && !plan.contains(user.connection_id.as_str()))
        .map(|user| PlannedDeletion {
            resource: ResourceRef::connection(user),
            reason: DeletionReason::DependentOf(item.resource.clone()),
        })
        .collect();
    if !appeared.is_empty() {
        return Err(Error::DependentsExist {
            resource: item.resource.clone(),
            dependents: appeared,
        }
        .into());
    }
    let sent = match target {
        Target::Source(id) => workspace.execute(ops::public::sources::delete(id)).await,
        Target::Destination(id) => {
            workspace
                .execute(ops::public::destinations::delete(id))
                .await
        }
        Target::Connection(_) | Target::Definition(..) | Target::DestinationDefinition(_) => Ok(()),
    };
    let (extra, after) = look_after(item, sent, async {
        let after = Snapshot::take(workspace).await?;
        Ok((deleted_besides(plan, target, &before, &after), after))
    })
    .await?;
    *snapshot = Some(after);
    Ok(extra)
}

/// Looks (`look`) at what the server deleted with the resource of a `DELETE` (answered
/// `sent`) besides the plan, and returns it with what the look read.
///
/// The look is taken also when the `DELETE` failed: its answer may have been lost after the
/// server applied it (a retry that then fails for good), and what the server deleted with it
/// must be named all the same. When the look fails, the failure says so (`unchecked`); once
/// deleted, a failed look must not hide that the resource is gone.
async fn look_after<T>(
    item: &PlannedDeletion,
    sent: Result<()>,
    look: impl Future<Output = Result<(Vec<ResourceRef>, T)>>,
) -> Result<(Vec<ResourceRef>, T), StepFailure> {
    let sent = gone_is_fine(sent);
    let looked = look.await;
    match (sent, looked) {
        (Ok(()), Ok(found)) => Ok(found),
        (Ok(()), Err(error)) => {
            tracing::warn!(resource = %item.resource, %error, "deleted, but what the server may have deleted with it could not be listed");
            Err(StepFailure {
                deleted: true,
                unplanned: Vec::new(),
                unchecked: true,
                error,
            })
        }
        // Perhaps applied: name what the server deleted with the failure.
        (Err(error), Ok((unplanned, _))) => Err(StepFailure {
            deleted: false,
            unplanned,
            unchecked: false,
            error,
        }),
        (Err(error), Err(listing)) => {
            tracing::warn!(resource = %item.resource, %error, %listing, "the delete failed, and what the server may have deleted with it could not be listed");
            Err(StepFailure {
                deleted: false,
                unplanned: Vec::new(),
                unchecked: true,
                error,
            })
        }
    }
}

/// The connectors of kind `K` in the workspace, deleted ones included, that may run
/// `definition`: their IDs, taken before the definition's check so that any created after it
/// is told apart.
async fn definition_users<K>(
    workspace: &CloudWorkspace,
    definition: &DefinitionId,
) -> Result<HashSet<String>>
where
    K: ConnectorKind<Response: RunsDefinition>,
{
    Ok(workspace
        .connectors_maybe_running::<K>(definition, true)
        .await?
        .iter()
        .map(|connector| K::id_of(connector).as_ref().to_owned())
        .collect())
}

/// What the server deleted with `definition` that the plan does not name: the connectors of
/// kind `K` that name it and were not there before (`before`, see [`definition_users`]), with
/// the connections that use them. A connector whose answer leaves out its definition (older
/// servers) cannot be told apart, and is not named.
async fn deleted_with_definition<K>(
    workspace: &CloudWorkspace,
    plan: &DeletePlan,
    definition: &DefinitionId,
    before: &HashSet<String>,
) -> Result<(Vec<ResourceRef>, ())>
where
    K: ConnectorKind<Response: RunsDefinition>,
{
    let new: Vec<K::Response> = workspace
        .connectors_maybe_running::<K>(definition, true)
        .await?
        .into_iter()
        .filter(|connector| {
            let id = K::id_of(connector).as_ref();
            connector.definition() == Some(definition) && !before.contains(id) && !plan.contains(id)
        })
        .collect();
    let mut unplanned = Vec::new();
    if new.is_empty() {
        return Ok((unplanned, ()));
    }
    // Their connections went with them: all created after the check, so all named.
    let connections = Snapshot::take(workspace).await?;
    for connector in &new {
        let id = K::id_of(connector);
        unplanned.push(ResourceRef::new(K::KIND, id, K::name_of(connector)));
        unplanned.extend(
            connections
                .connections
                .iter()
                .filter(|connection| {
                    K::is_used_by(id, connection)
                        && is_deleted(connection)
                        && !plan.contains(connection.connection_id.as_str())
                })
                .map(ResourceRef::connection),
        );
    }
    Ok((unplanned, ()))
}

/// The connections that use `target`, deleted between the two snapshots, that the plan does
/// not name: the server deleted them with `target`.
fn deleted_besides(
    plan: &DeletePlan,
    target: &Target,
    before: &Snapshot,
    after: &Snapshot,
) -> Vec<ResourceRef> {
    let known: HashSet<&str> = before
        .users(target)
        .filter(|user| is_deleted(user))
        .map(|user| user.connection_id.as_str())
        .collect();
    after
        .users(target)
        .filter(|user| {
            is_deleted(user)
                && !known.contains(user.connection_id.as_str())
                && !plan.contains(user.connection_id.as_str())
        })
        .map(ResourceRef::connection)
        .collect()
}

/// Deletes a definition after checking that no source runs it that is not in the plan, and
/// returns the sources (and their connections) the server deleted with it that were created
/// in the instant between that check and the delete (see [`look_after`]).
async fn delete_definition(
    workspace: &CloudWorkspace,
    plan: &DeletePlan,
    item: &PlannedDeletion,
    id: &DefinitionId,
    kind: DefinitionKind,
) -> Result<Vec<ResourceRef>, StepFailure> {
    let definition = workspace.custom_source_definition(id, kind)?;
    let before = definition_users::<Source>(workspace, id).await?;
    let appeared: Vec<PlannedDeletion> = definition
        .dependent_sources()
        .await?
        .iter()
        .filter(|source| !plan.contains(source.id().as_str()))
        .map(|source| PlannedDeletion {
            resource: ResourceRef::new(
                ResourceKind::Source,
                source.id(),
                source.cached_name().unwrap_or_default(),
            ),
            reason: DeletionReason::DependentOf(item.resource.clone()),
        })
        .collect();
    if !appeared.is_empty() {
        return Err(Error::DependentsExist {
            resource: item.resource.clone(),
            dependents: appeared,
        }
        .into());
    }
    let workspace_id = workspace.id();
    let sent = match kind {
        DefinitionKind::Yaml => workspace
            .execute(ops::public::declarative_source_definitions::delete(
                workspace_id,
                id,
            ))
            .await
            .map(drop),
        DefinitionKind::Docker => workspace
            .execute(ops::public::source_definitions::delete(workspace_id, id))
            .await
            .map(drop),
    };
    let (extra, ()) = look_after(
        item,
        sent,
        deleted_with_definition::<Source>(workspace, plan, id, &before),
    )
    .await?;
    Ok(extra)
}

impl CloudConnection {
    /// A delete of this connection, and of its source and destination when asked (see
    /// [`ConnectionDeletion`]): preview it, or await it.
    ///
    /// ```no_run
    /// # async fn demo(connection: airbyte_cloud::CloudConnection) -> airbyte_cloud::Result<()> {
    /// let delete = connection.delete().cascade_source(true).cascade_destination(true);
    /// let plan = delete.preview().await?;
    /// for item in plan.items() {
    ///     println!("would delete {}", item.resource);
    /// }
    /// plan.check()?; // the refusal the delete would meet, if any
    /// let deleted = delete.await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn delete(&self) -> ConnectionDeletion {
        ConnectionDeletion::new(self.clone(), DeleteConnection::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(kind: ResourceKind, id: &str, name: &str) -> ResourceRef {
        ResourceRef::new(kind, id, name)
    }

    /// A connection cascading to its source, which carries `other`.
    fn plan(safe_mode: bool, delete_dependents: bool, other: &str) -> DeletePlan {
        let mut plan = DeletePlan::new(safe_mode, delete_dependents);
        let source = resource(ResourceKind::Source, "s1", "src (delete-me)");
        plan.push(
            resource(ResourceKind::Connection, "c2", other),
            DeletionReason::DependentOf(source.clone()),
            Target::Connection("c2".parse().unwrap()),
        );
        plan.push(
            resource(ResourceKind::Connection, "c1", "temp (delete-me)"),
            DeletionReason::Requested,
            Target::Connection("c1".parse().unwrap()),
        );
        plan.push(
            source,
            DeletionReason::Cascade,
            Target::Source("s1".parse().unwrap()),
        );
        plan
    }

    #[test]
    fn dependents_refuse_unless_they_are_to_be_deleted() {
        let error = plan(true, false, "prod").check().unwrap_err();
        let Error::DependentsExist {
            resource,
            dependents,
        } = &error
        else {
            panic!("{error}")
        };
        assert_eq!(resource.id, "c1", "the refusal names what was asked for");
        assert_eq!(dependents.len(), 1);
        assert_eq!(
            error.to_string(),
            "refusing to delete connection \"temp (delete-me)\" (c1): the server would also delete 1 connection that depends on it: connection \"prod\" (c2); delete them first, or ask to delete dependents too"
        );
        // Without safe mode, a dependent's name does not matter once dependents are asked for.
        assert!(plan(false, true, "prod").check().is_ok());
        // With safe mode, it does.
        assert!(matches!(
            plan(true, true, "prod").check(),
            Err(Error::SafeModeRefusal { .. })
        ));
        assert!(plan(true, true, "old (delete-me)").check().is_ok());
    }

    #[test]
    fn names_of_what_was_asked_for_are_checked_first() {
        let mut plan = plan(true, false, "prod");
        plan.items[1].0.resource.name = "precious".to_owned();
        assert!(matches!(
            plan.check(),
            Err(Error::SafeModeRefusal { name, .. }) if name == "precious"
        ));
    }

    #[test]
    fn a_resource_is_planned_once_in_the_order_given() {
        let mut plan = plan(false, true, "prod");
        plan.push(
            resource(ResourceKind::Connection, "c2", "prod"),
            DeletionReason::Requested,
            Target::Connection("c2".parse().unwrap()),
        );
        assert_eq!(plan.len(), 3);
        let ids: Vec<&str> = plan.items().map(|item| item.resource.id.as_str()).collect();
        assert_eq!(ids, ["c2", "c1", "s1"]);
        assert_eq!(plan.requested().count(), 2);
        assert_eq!(plan.dependents().count(), 1);
        assert_eq!(
            list_names(plan.resources()),
            "connection \"prod\" (c2), connection \"temp (delete-me)\" (c1), source \"src (delete-me)\" (s1)"
        );
        assert_eq!(list_names(std::iter::empty()), "nothing");
    }
}
