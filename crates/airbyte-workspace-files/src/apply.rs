//! The applier: carries out a plan in dependency order with bounded concurrency, recording
//! every success in the lock file at once.
//!
//! Order: tags, then custom definitions, then sources and destinations (together), then
//! connections; then deletes the other way round (connections, sources and destinations,
//! definitions, tags). Within a step, up to `parallel` resources are worked on at once. A
//! resource whose prerequisite failed is skipped, everything else goes on, and the report says
//! what happened to each.
//!
//! Idempotent: the lock file is rewritten (atomically) after every success, so a re-run after a
//! crash plans only what is left. A create whose answer was lost (a connection reset after the
//! request was sent, a 502 from a gateway) may have been applied: the resource is looked for by
//! name first, and adopted if found, so nothing is created twice. Deletes go through the
//! domain layer's checked deletes (safe mode, dependents named, nothing the plan did not name
//! deleted); they are checked up front too, so a refused delete stops the apply before
//! anything is sent. A stream change is a change of the connection's streams, nothing more: no
//! reset or clear is ever started.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::{Mutex, PoisonError};

use airbyte_cloud::{
    CloudDestination, CloudSource, CloudWorkspace, CustomSourceDefinition, DefinitionKind, Manifest,
};
use airbyte_models::{ConnectorConfig, DefinitionId, Tag, TagId};
use futures_util::{StreamExt, stream};
use serde::Serialize;
use serde_json::Value;

use crate::diff::{self, ConnectionIds};
use crate::error::{Error, Result};
use crate::live::LiveDefinitionBody;
use crate::lock::{Guard, LockFile, Locked, Retired};
use crate::model::{ConnectorRef, DefinitionBody, Kind};
use crate::plan::{Action, Plan, PlanItem, without_type_key};
use crate::read::WorkspaceFiles;
use crate::secrets::{self, Resolved};

/// How to apply.
#[derive(Clone, Copy, Debug)]
pub struct ApplyOptions {
    /// How many resources are worked on at once (at least 1; default 4).
    pub parallel: usize,
}

impl Default for ApplyOptions {
    fn default() -> Self {
        Self { parallel: 4 }
    }
}

/// What happened to one resource.
#[derive(Debug, Serialize)]
pub struct Outcome {
    /// The kind.
    pub kind: Kind,
    /// Its key in the files, if it has one.
    pub key: Option<String>,
    /// Its name.
    pub name: String,
    /// What was to happen.
    pub action: Action,
    /// Its ID once done (the new one for a create or replace).
    pub id: Option<String>,
    /// Done, failed or skipped.
    pub status: Status,
}

/// How one resource fared.
#[derive(Debug, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// Done.
    Done,
    /// It failed.
    Failed {
        /// The error.
        #[serde(serialize_with = "error_text")]
        error: Box<Error>,
    },
    /// Not attempted.
    Skipped {
        /// Why.
        reason: String,
    },
}

fn error_text<S: serde::Serializer>(
    error: &Error,
    serializer: S,
) -> std::result::Result<S::Ok, S::Error> {
    serializer.serialize_str(&error.to_string())
}

/// Resource by resource, what an apply did.
#[derive(Debug, Default, Serialize)]
pub struct ApplyReport {
    /// Every resource worked on, in the order they finished within each step.
    pub outcomes: Vec<Outcome>,
}

impl ApplyReport {
    /// Whether everything was done.
    #[must_use]
    pub fn is_complete(&self) -> bool {
        self.outcomes
            .iter()
            .all(|outcome| matches!(outcome.status, Status::Done))
    }

    /// The resources that failed or were skipped.
    pub fn unfinished(&self) -> impl Iterator<Item = &Outcome> {
        self.outcomes
            .iter()
            .filter(|outcome| !matches!(outcome.status, Status::Done))
    }

    /// How many were done.
    #[must_use]
    pub fn done(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|outcome| matches!(outcome.status, Status::Done))
            .count()
    }
}

impl fmt::Display for ApplyReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unfinished: Vec<&Outcome> = self.unfinished().collect();
        write!(
            f,
            "the apply did {} of {} changes; the lock file records them, and running it again finishes the rest:",
            self.done(),
            self.outcomes.len()
        )?;
        for outcome in unfinished {
            let what = format!("{} {} {:?}", outcome.action, outcome.kind, outcome.name);
            match &outcome.status {
                Status::Failed { error } => write!(f, "\n  {what}: failed: {error}")?,
                Status::Skipped { reason } => write!(f, "\n  {what}: skipped: {reason}")?,
                Status::Done => {}
            }
        }
        Ok(())
    }
}

/// The state an apply shares between its tasks.
struct Run<'a> {
    workspace: &'a CloudWorkspace,
    files: &'a WorkspaceFiles,
    plan: &'a Plan,
    lock: Mutex<crate::lock::LockFile>,
    /// Key to ID, as known now (created resources included).
    ids: Mutex<BTreeMap<(Kind, String), String>>,
    /// Keys that failed or were skipped: what depends on them is skipped.
    broken: Mutex<BTreeSet<(Kind, String)>>,
    sources: Mutex<BTreeMap<String, CloudSource>>,
    destinations: Mutex<BTreeMap<String, CloudDestination>>,
    tags: Mutex<BTreeMap<String, Tag>>,
    /// IDs no key may adopt by name (every ID the plan knows).
    claimed: Mutex<BTreeSet<String>>,
}

fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Applies a plan made from `files` for `workspace`.
///
/// # Errors
///
/// [`Error::Refused`] before anything is sent when a delete of the plan would be refused
/// (safe mode, dependents the apply keeps); [`Error::Conflict`] before anything is sent while
/// another apply or export works from the same lock file, or when one ran since the plan was
/// made; [`Error::ApplyIncomplete`] when some resources failed (each with its error) or were
/// skipped; [`Error::Io`] when the lock file cannot be written.
pub async fn apply(
    workspace: &CloudWorkspace,
    files: &WorkspaceFiles,
    plan: &Plan,
    options: ApplyOptions,
) -> Result<ApplyReport> {
    let refusals: Vec<String> = plan
        .refusals()
        .into_iter()
        .map(|item| {
            format!(
                "delete {} {:?}: {}",
                item.kind,
                item.name,
                item.refusal.as_deref().unwrap_or_default()
            )
        })
        .collect();
    if !refusals.is_empty() {
        return Err(Error::Refused { refusals });
    }
    // One apply at a time per lock file, and only of a plan made from the lock file as it is:
    // an apply that ran since this plan was made has created what this one would create.
    let _guard = Guard::take(&plan.lock_path)?;
    if LockFile::read(&plan.lock_path)? != plan.lock {
        return Err(Error::Conflict {
            path: plan.lock_path.clone(),
            message: "it changed since the plan was made (another apply or export ran): plan again"
                .to_owned(),
        });
    }
    let run = Run::new(workspace, files, plan);
    // Everything found (by lock or by name) is recorded first: an adopted workspace gets its
    // lock file even when nothing changes.
    run.record_bindings()?;
    let parallel = options.parallel.max(1);
    let mut report = ApplyReport::default();
    let steps: [&[Kind]; 4] = [
        &[Kind::Tag],
        &[Kind::Definition],
        &[Kind::Source, Kind::Destination],
        &[Kind::Connection],
    ];
    for kinds in steps {
        let items: Vec<&PlanItem> = plan
            .items
            .iter()
            .filter(|item| {
                kinds.contains(&item.kind)
                    && matches!(
                        item.action,
                        Action::Create | Action::Update | Action::Replace
                    )
            })
            .collect();
        let outcomes: Vec<Outcome> = stream::iter(items)
            .map(|item| run.change(item))
            .buffer_unordered(parallel)
            .collect()
            .await;
        report.outcomes.extend(outcomes);
    }
    for kinds in [
        &[Kind::Connection][..],
        &[Kind::Source, Kind::Destination],
        &[Kind::Definition],
        &[Kind::Tag],
    ] {
        let items: Vec<&PlanItem> = plan
            .items
            .iter()
            .filter(|item| kinds.contains(&item.kind) && item.action == Action::Delete)
            .collect();
        let outcomes: Vec<Outcome> = stream::iter(items)
            .map(|item| run.delete(item))
            .buffer_unordered(parallel)
            .collect()
            .await;
        report.outcomes.extend(outcomes);
    }
    if report.is_complete() {
        Ok(report)
    } else {
        Err(Error::ApplyIncomplete {
            report: Box::new(report),
        })
    }
}

impl<'a> Run<'a> {
    fn new(workspace: &'a CloudWorkspace, files: &'a WorkspaceFiles, plan: &'a Plan) -> Self {
        let mut sources = BTreeMap::new();
        let mut destinations = BTreeMap::new();
        let mut tags = BTreeMap::new();
        for ((kind, key), id) in &plan.bindings {
            match kind {
                Kind::Source => {
                    if let Some((source, _)) = plan.live.source(id) {
                        sources.insert(key.clone(), source.clone());
                    }
                }
                Kind::Destination => {
                    if let Some((destination, _)) = plan.live.destination(id) {
                        destinations.insert(key.clone(), destination.clone());
                    }
                }
                Kind::Tag => {
                    if let Some(tag) = plan.live.tag(id) {
                        tags.insert(key.clone(), tag.clone());
                    }
                }
                Kind::Definition | Kind::Connection => {}
            }
        }
        let claimed = Kind::ALL
            .iter()
            .flat_map(|kind| plan.live.refs(*kind))
            .map(|item| item.id)
            .collect();
        Self {
            workspace,
            files,
            plan,
            lock: Mutex::new(plan.lock.clone()),
            ids: Mutex::new(plan.bindings.clone()),
            broken: Mutex::new(BTreeSet::new()),
            sources: Mutex::new(sources),
            destinations: Mutex::new(destinations),
            tags: Mutex::new(tags),
            claimed: Mutex::new(claimed),
        }
    }

    fn write_lock(&self, change: impl FnOnce(&mut crate::lock::WorkspaceLock)) -> Result<()> {
        let mut lock = locked(&self.lock);
        let workspace = lock
            .workspaces
            .entry(self.plan.workspace_id.clone())
            .or_default();
        change(workspace);
        lock.version = 1;
        lock.write(&self.plan.lock_path)
    }

    fn record_bindings(&self) -> Result<()> {
        let bindings = &self.plan.bindings;
        let needed = {
            let lock = locked(&self.lock);
            let workspace = lock.workspaces.get(&self.plan.workspace_id);
            bindings.iter().any(|((kind, key), id)| {
                workspace.is_none_or(|workspace| {
                    workspace.id(*kind, key) != Some(id.as_str())
                        || stale_keys(workspace, *kind, key, id) > 0
                })
            })
        };
        if !needed {
            return Ok(());
        }
        self.write_lock(|workspace| {
            for ((kind, key), id) in bindings {
                forget_other_keys(workspace, *kind, key, id);
                let entry = workspace.of_mut(*kind).entry(key.clone()).or_default();
                if entry.id != *id {
                    *entry = Locked {
                        id: id.clone(),
                        secrets: BTreeMap::new(),
                    };
                }
            }
        })
    }

    fn id(&self, kind: Kind, key: &str) -> Option<String> {
        locked(&self.ids).get(&(kind, key.to_owned())).cloned()
    }

    fn outcome(item: &PlanItem, id: Option<String>, status: Status) -> Outcome {
        Outcome {
            kind: item.kind,
            key: item.key.clone(),
            name: item.name.clone(),
            action: item.action,
            id,
            status,
        }
    }

    /// What this resource needs that did not happen, if anything.
    fn missing_prerequisite(&self, item: &PlanItem) -> Option<String> {
        let key = item.key.as_deref()?;
        let desired = self.files.desired();
        let mut needs: Vec<(Kind, String)> = Vec::new();
        match item.kind {
            Kind::Source => {
                if let Some(ConnectorRef::Definition(definition)) =
                    desired.sources.get(key).map(|spec| &spec.connector)
                {
                    needs.push((Kind::Definition, definition.clone()));
                }
            }
            Kind::Connection => {
                if let Some(spec) = desired.connections.get(key) {
                    needs.push((Kind::Source, spec.source.clone()));
                    needs.push((Kind::Destination, spec.destination.clone()));
                    needs.extend(
                        spec.tags
                            .iter()
                            .flatten()
                            .map(|tag| (Kind::Tag, tag.clone())),
                    );
                }
            }
            _ => {}
        }
        let broken = locked(&self.broken);
        needs
            .into_iter()
            .find(|need| broken.contains(need) || self.id(need.0, &need.1).is_none())
            .map(|(kind, key)| format!("its {kind} {key:?} was not created or updated"))
    }

    async fn change(&self, item: &PlanItem) -> Outcome {
        let key = item.key.clone().unwrap_or_default();
        if let Some(reason) = self.missing_prerequisite(item) {
            locked(&self.broken).insert((item.kind, key));
            return Self::outcome(item, item.id.clone(), Status::Skipped { reason });
        }
        let result = match item.action {
            Action::Create | Action::Replace => self.create(item, &key).await,
            _ => self
                .update(item, &key)
                .await
                .map(|()| item.id.clone().unwrap_or_default()),
        };
        match result {
            Ok(id) => {
                tracing::info!(kind = %item.kind, name = %item.name, action = %item.action, "applied");
                Self::outcome(item, Some(id), Status::Done)
            }
            Err(error) => {
                tracing::warn!(kind = %item.kind, name = %item.name, %error, "failed");
                locked(&self.broken).insert((item.kind, key));
                Self::outcome(
                    item,
                    item.id.clone(),
                    Status::Failed {
                        error: Box::new(error),
                    },
                )
            }
        }
    }

    /// Records a resource's ID (and secret fingerprints) in the lock file, and, for a
    /// replace, the old one as retired.
    fn record(
        &self,
        item: &PlanItem,
        key: &str,
        id: &str,
        secrets: BTreeMap<String, String>,
    ) -> Result<()> {
        locked(&self.ids).insert((item.kind, key.to_owned()), id.to_owned());
        locked(&self.claimed).insert(id.to_owned());
        let old = (item.action == Action::Replace)
            .then(|| item.id.clone())
            .flatten();
        self.write_lock(|workspace| {
            forget_other_keys(workspace, item.kind, key, id);
            workspace.of_mut(item.kind).insert(
                key.to_owned(),
                Locked {
                    id: id.to_owned(),
                    secrets,
                },
            );
            if let Some(old) = old
                && !workspace.retired.iter().any(|retired| retired.id == old)
            {
                workspace.retired.push(Retired {
                    kind: item.kind,
                    id: old,
                    key: key.to_owned(),
                });
            }
        })
    }

    /// Creates a resource; a create whose answer was lost is looked for by name first.
    async fn create(&self, item: &PlanItem, key: &str) -> Result<String> {
        let first = self.send_create(item, key).await;
        let (id, secrets) = match first {
            Ok(done) => done,
            Err(error) if error.may_have_been_applied() => {
                tracing::warn!(kind = %item.kind, name = %item.name, %error, "the answer to a create was lost: looking for it by name");
                match self.find_by_name(item).await? {
                    Some(id) => {
                        let secrets = self.fingerprints_after_adopt(item, key);
                        (id, secrets)
                    }
                    None => self.send_create(item, key).await?,
                }
            }
            Err(error) => return Err(error.into()),
        };
        self.record(item, key, &id, secrets)?;
        Ok(id)
    }

    /// Fingerprints for an adopted create: every secret sent, since the create sent them all.
    fn fingerprints_after_adopt(&self, item: &PlanItem, key: &str) -> BTreeMap<String, String> {
        self.files
            .resolved(item.kind, key)
            .map(|resolved| {
                resolved
                    .secrets
                    .iter()
                    .map(|(pointer, value)| (pointer.clone(), secrets::fingerprint(value)))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The resource of the item's kind and name that no key claims, if one exists.
    ///
    /// # Errors
    ///
    /// Listing errors, and [`airbyte_cloud::Error::InvalidInput`] when several exist.
    async fn find_by_name(&self, item: &PlanItem) -> airbyte_cloud::Result<Option<String>> {
        let ws = self.workspace;
        let candidates: Vec<String> = match item.kind {
            Kind::Tag => ws
                .list_tags()
                .await?
                .into_iter()
                .filter(|tag| tag.name == item.name)
                .map(|tag| {
                    locked(&self.tags).insert(item.key.clone().unwrap_or_default(), tag.clone());
                    tag.tag_id.to_string()
                })
                .collect(),
            Kind::Definition => {
                let mut found = Vec::new();
                for kind in [DefinitionKind::Yaml, DefinitionKind::Docker] {
                    for definition in ws.list_custom_source_definitions(kind).await? {
                        let name = definition
                            .known_declarative()
                            .map(|details| details.name)
                            .or_else(|| definition.known_docker().map(|details| details.name));
                        if name.as_deref() == Some(item.name.as_str()) {
                            found.push(definition.id().to_string());
                        }
                    }
                }
                found
            }
            Kind::Source => {
                let found = ws.list_sources().name(item.name.clone()).collect().await?;
                let key = item.key.clone().unwrap_or_default();
                found
                    .into_iter()
                    .map(|source| {
                        let id = source.id().to_string();
                        locked(&self.sources).insert(key.clone(), source);
                        id
                    })
                    .collect()
            }
            Kind::Destination => {
                let found = ws
                    .list_destinations()
                    .name(item.name.clone())
                    .collect()
                    .await?;
                let key = item.key.clone().unwrap_or_default();
                found
                    .into_iter()
                    .map(|destination| {
                        let id = destination.id().to_string();
                        locked(&self.destinations).insert(key.clone(), destination);
                        id
                    })
                    .collect()
            }
            Kind::Connection => ws
                .list_connections()
                .name(item.name.clone())
                .collect()
                .await?
                .into_iter()
                .map(|connection| connection.id().to_string())
                .collect(),
        };
        let claimed = locked(&self.claimed);
        let unclaimed: Vec<String> = candidates
            .into_iter()
            .filter(|id| !claimed.contains(id))
            .collect();
        match unclaimed.as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(one.clone())),
            // Another caller created the same name meanwhile: which one is this apply's cannot
            // be known, and creating yet another would only add a copy.
            several => Err(invalid(format!(
                "the answer to the create was lost, and {} {}s named {:?} now exist ({}), created since the plan: delete the extra ones, then plan again",
                several.len(),
                item.kind,
                item.name,
                several.join(", ")
            ))),
        }
    }

    async fn send_create(
        &self,
        item: &PlanItem,
        key: &str,
    ) -> airbyte_cloud::Result<(String, BTreeMap<String, String>)> {
        let desired = self.files.desired();
        let ws = self.workspace;
        let name = item.name.clone();
        match item.kind {
            Kind::Tag => {
                let spec = &desired.tags[key];
                let tag = ws.create_tag(&name, &spec.color).await?;
                locked(&self.tags).insert(key.to_owned(), tag.clone());
                Ok((tag.tag_id.to_string(), BTreeMap::new()))
            }
            Kind::Definition => {
                let spec = &desired.definitions[key];
                let publish = match &spec.body {
                    DefinitionBody::Yaml { manifest, .. } => ws.publish_yaml_source_definition(
                        name,
                        Manifest::from_json(manifest.clone()),
                    ),
                    DefinitionBody::Docker {
                        repository,
                        tag,
                        documentation_url,
                    } => {
                        let publish = ws.publish_docker_source_definition(name, repository, tag);
                        match documentation_url {
                            Some(url) => publish.documentation_url(url),
                            None => publish,
                        }
                    }
                };
                let definition = publish.unique(false).await?;
                Ok((definition.id().to_string(), BTreeMap::new()))
            }
            Kind::Source | Kind::Destination => {
                let spec = if item.kind == Kind::Source {
                    &desired.sources[key]
                } else {
                    &desired.destinations[key]
                };
                let resolved = self.resolved(item.kind, key)?;
                let configuration = ConnectorConfig::from(resolved.expose_configuration().clone());
                let (connector_type, definition_id) = match &spec.connector {
                    ConnectorRef::Type(connector_type) => (connector_type.clone(), None),
                    ConnectorRef::Definition(definition) => {
                        let id = self.id(Kind::Definition, definition).ok_or_else(|| {
                            invalid(format!("definition {definition:?} has no ID yet"))
                        })?;
                        ("custom".to_owned(), Some(parse_definition_id(&id)?))
                    }
                    ConnectorRef::DefinitionId(id) => ("custom".to_owned(), Some(id.clone())),
                };
                let (id, live_configuration) = if item.kind == Kind::Source {
                    let mut deploy = ws
                        .deploy_source(name, connector_type, configuration)
                        .unique(false);
                    if let Some(id) = definition_id {
                        deploy = deploy.definition_id(id);
                    }
                    let source = deploy.await?;
                    let details = source.details().await?;
                    locked(&self.sources).insert(key.to_owned(), source.clone());
                    (source.id().to_string(), details.configuration)
                } else {
                    let mut deploy = ws
                        .deploy_destination(name, connector_type, configuration)
                        .unique(false);
                    if let Some(id) = definition_id {
                        deploy = deploy.definition_id(id);
                    }
                    let destination = deploy.await?;
                    let details = destination.details().await?;
                    locked(&self.destinations).insert(key.to_owned(), destination.clone());
                    (destination.id().to_string(), details.configuration)
                };
                let secrets = new_fingerprints(resolved, &live_configuration, &|_| None);
                Ok((id, secrets))
            }
            Kind::Connection => {
                let spec = &desired.connections[key];
                let source = locked(&self.sources)
                    .get(&spec.source)
                    .cloned()
                    .ok_or_else(|| invalid(format!("source {:?} is not known yet", spec.source)))?;
                let destination = locked(&self.destinations)
                    .get(&spec.destination)
                    .cloned()
                    .ok_or_else(|| {
                        invalid(format!(
                            "destination {:?} is not known yet",
                            spec.destination
                        ))
                    })?;
                let mut deploy = ws.deploy_connection(&source, &destination).name(name);
                for stream in &spec.streams {
                    deploy = deploy.stream(diff::stream_configuration(stream, None));
                }
                if let Some(status) = &spec.status {
                    deploy = deploy.status(status.clone());
                }
                if let Some(schedule) = &spec.schedule {
                    deploy = deploy.schedule(match schedule {
                        crate::model::ScheduleSpec::Manual => airbyte_cloud::Schedule::Manual,
                        crate::model::ScheduleSpec::Cron(cron) => {
                            airbyte_cloud::Schedule::Cron(cron.clone())
                        }
                    });
                }
                if let Some(prefix) = &spec.prefix {
                    deploy = deploy.table_prefix(prefix.clone());
                }
                if let Some(namespace) = &spec.namespace {
                    deploy = deploy.namespace(namespace.clone(), spec.namespace_format.clone());
                }
                if let Some(behavior) = &spec.non_breaking_changes {
                    deploy = deploy.non_breaking_changes(behavior.clone());
                }
                if let Some(keys) = &spec.tags {
                    let tags = locked(&self.tags);
                    let chosen: Vec<Tag> = keys
                        .iter()
                        .filter_map(|key| tags.get(key).cloned())
                        .collect();
                    deploy = deploy.tags(chosen);
                }
                let connection = deploy.await?;
                Ok((connection.id().to_string(), BTreeMap::new()))
            }
        }
    }

    fn resolved(&self, kind: Kind, key: &str) -> airbyte_cloud::Result<&'a Resolved> {
        self.files
            .resolved(kind, key)
            .ok_or_else(|| invalid(format!("the secrets of {kind} {key:?} were not read")))
    }

    async fn update(&self, item: &PlanItem, key: &str) -> Result<()> {
        let desired = self.files.desired();
        let id = item.id.clone().unwrap_or_default();
        let live = &self.plan.live;
        match item.kind {
            Kind::Tag => {
                let spec = &desired.tags[key];
                let tag_id = TagId::new(&id).map_err(|error| invalid(error.to_string()))?;
                let tag = self
                    .workspace
                    .update_tag(&tag_id, &item.name, &spec.color)
                    .await?;
                locked(&self.tags).insert(key.to_owned(), tag);
                self.record(item, key, &id, BTreeMap::new())
            }
            Kind::Definition => {
                let spec = &desired.definitions[key];
                let definition = live
                    .definition(&id)
                    .ok_or_else(|| invalid(format!("definition {id} is not listed")))?;
                match (&spec.body, &definition.body) {
                    (DefinitionBody::Yaml { manifest, .. }, LiveDefinitionBody::Yaml(_)) => {
                        definition
                            .handle
                            .update_manifest(&Manifest::from_json(manifest.clone()))
                            .await?;
                    }
                    (DefinitionBody::Docker { tag, .. }, LiveDefinitionBody::Docker(_)) => {
                        definition.handle.set_name_and_tag(&item.name, tag).await?;
                    }
                    _ => return Err(invalid("a definition cannot change its kind in place").into()),
                }
                self.record(item, key, &id, BTreeMap::new())
            }
            Kind::Source | Kind::Destination => {
                let resolved = self.resolved(item.kind, key)?;
                let previous = locked(&self.lock)
                    .workspace(&self.plan.workspace_id)
                    .of(item.kind)
                    .get(key)
                    .filter(|locked| locked.id == id)
                    .map(|locked| locked.secrets.clone())
                    .unwrap_or_default();
                // A server keeps its stored value for the mask only where it masks (the
                // connector's secret fields): elsewhere it would store the mask itself, so a
                // value the server shows is always sent as it is.
                let shown = match item.kind {
                    Kind::Source => live
                        .source(&id)
                        .map(|(_, info)| without_type_key(item.kind, &info.configuration)),
                    _ => live
                        .destination(&id)
                        .map(|(_, info)| without_type_key(item.kind, &info.configuration)),
                }
                .unwrap_or_default();
                let mut masked = Vec::new();
                diff::collect_masked(&shown, String::new(), &mut masked);
                let unchanged = |pointer: &str| {
                    let value = resolved.expose_configuration().pointer(pointer);
                    if !masked.iter().any(|masked| masked == pointer) {
                        return false;
                    }
                    match (previous.get(pointer), value) {
                        (Some(fingerprint), Some(value)) => {
                            secrets::matches(fingerprint, &diff::secret_text(value).into())
                        }
                        _ => false,
                    }
                };
                let configuration = resolved.configuration_keeping(&unchanged);
                let live_configuration = if item.kind == Kind::Source {
                    let (source, _) = live
                        .source(&id)
                        .ok_or_else(|| invalid(format!("source {id} is not listed")))?;
                    source
                        .replace_config(&item.name, configuration)
                        .await?
                        .configuration
                } else {
                    let (destination, _) = live
                        .destination(&id)
                        .ok_or_else(|| invalid(format!("destination {id} is not listed")))?;
                    destination
                        .replace_config(&item.name, configuration)
                        .await?
                        .configuration
                };
                let keep = |pointer: &str| {
                    unchanged(pointer)
                        .then(|| previous.get(pointer).cloned())
                        .flatten()
                };
                let secrets = new_fingerprints(resolved, &live_configuration, &keep);
                self.record(item, key, &id, secrets)
            }
            Kind::Connection => {
                let spec = &desired.connections[key];
                let (connection, info) = live
                    .connection(&id)
                    .ok_or_else(|| invalid(format!("connection {id} is not listed")))?;
                let source = self.id(Kind::Source, &spec.source);
                let destination = self.id(Kind::Destination, &spec.destination);
                let tags = {
                    let known = locked(&self.tags);
                    spec.tags
                        .iter()
                        .flatten()
                        .map(|key| (key.clone(), known.get(key).cloned()))
                        .collect()
                };
                let ids = ConnectionIds {
                    source: source.as_deref(),
                    destination: destination.as_deref(),
                    tags,
                };
                let delta = diff::diff_connection(key, spec, info, &ids);
                if let Some(reason) = delta.replace {
                    return Err(
                        invalid(format!("the connection must be replaced: {reason}")).into(),
                    );
                }
                if !delta.changes.is_empty() {
                    connection.update(delta.patch).await?;
                }
                self.record(item, key, &id, BTreeMap::new())
            }
        }
    }

    async fn delete(&self, item: &PlanItem) -> Outcome {
        let id = item.id.clone().unwrap_or_default();
        if let Some(key) = &item.key
            && item.reason.as_deref() == Some("replaced by a new one")
            && locked(&self.broken).contains(&(item.kind, key.clone()))
        {
            return Self::outcome(
                item,
                Some(id),
                Status::Skipped {
                    reason: "its replacement was not created".to_owned(),
                },
            );
        }
        let safe_mode = self.plan.options.safe_mode;
        let ws = self.workspace;
        let result: Result<()> = async {
            match item.kind {
                Kind::Connection => ws
                    .connection(&id)?
                    .delete()
                    .safe_mode(safe_mode)
                    .await
                    .map(drop),
                Kind::Source => ws
                    .source(&id)?
                    .delete()
                    .safe_mode(safe_mode)
                    .await
                    .map(drop),
                Kind::Destination => ws
                    .destination(&id)?
                    .delete()
                    .safe_mode(safe_mode)
                    .await
                    .map(drop),
                Kind::Definition => {
                    let kind = match self
                        .plan
                        .live
                        .definition(&id)
                        .map(|definition| &definition.body)
                    {
                        Some(LiveDefinitionBody::Docker(_)) => DefinitionKind::Docker,
                        _ => DefinitionKind::Yaml,
                    };
                    definition(ws, &id, kind)?
                        .delete()
                        .safe_mode(safe_mode)
                        .await
                        .map(drop)
                }
                Kind::Tag => {
                    let tag_id = TagId::new(&id).map_err(|error| invalid(error.to_string()))?;
                    ws.delete_tag(&tag_id, safe_mode).await
                }
            }
            .map_err(Error::from)
        }
        .await;
        let result = result.and_then(|()| {
            self.write_lock(|workspace| {
                workspace.retired.retain(|retired| retired.id != id);
                for kind in Kind::ALL {
                    workspace.of_mut(kind).retain(|_, locked| locked.id != id);
                }
            })
        });
        match result {
            Ok(()) => Self::outcome(item, Some(id), Status::Done),
            Err(error) => Self::outcome(
                item,
                Some(id),
                Status::Failed {
                    error: Box::new(error),
                },
            ),
        }
    }
}

/// How many keys other than `key` the lock file gives to the resource `id`.
fn stale_keys(workspace: &crate::lock::WorkspaceLock, kind: Kind, key: &str, id: &str) -> usize {
    workspace
        .of(kind)
        .iter()
        .filter(|(other, locked)| *other != key && locked.id == id)
        .count()
}

/// Drops the keys other than `key` that the lock file gives to the resource `id`: a key
/// changed in the files (the name kept) leaves the old key behind, which a new resource under
/// that key would otherwise take for its own.
fn forget_other_keys(workspace: &mut crate::lock::WorkspaceLock, kind: Kind, key: &str, id: &str) {
    workspace
        .of_mut(kind)
        .retain(|other, locked| other == key || locked.id != id);
}

fn definition(
    workspace: &CloudWorkspace,
    id: &str,
    kind: DefinitionKind,
) -> airbyte_cloud::Result<CustomSourceDefinition> {
    workspace.custom_source_definition(id, kind)
}

fn parse_definition_id(id: &str) -> airbyte_cloud::Result<DefinitionId> {
    DefinitionId::new(id).map_err(|error| invalid(error.to_string()))
}

fn invalid(message: impl Into<String>) -> airbyte_cloud::Error {
    airbyte_cloud::Error::InvalidInput {
        message: message.into(),
    }
}

/// The fingerprints to record after a create or update: for every secret of the files and
/// every value the server masks, a fingerprint of the value sent, or (`keep`) the one already
/// recorded when the value sent was the mask.
fn new_fingerprints(
    resolved: &Resolved,
    live_configuration: &ConnectorConfig,
    keep: &dyn Fn(&str) -> Option<String>,
) -> BTreeMap<String, String> {
    let mut pointers: BTreeSet<String> = resolved.secrets.keys().cloned().collect();
    let mut masked = Vec::new();
    diff::collect_masked(live_configuration.as_value(), String::new(), &mut masked);
    pointers.extend(masked);
    let mut fingerprints = BTreeMap::new();
    for pointer in pointers {
        if let Some(kept) = keep(&pointer) {
            fingerprints.insert(pointer, kept);
            continue;
        }
        let Some(value) = resolved.expose_configuration().pointer(&pointer) else {
            continue;
        };
        if value == &Value::Null {
            continue;
        }
        fingerprints.insert(
            pointer,
            secrets::fingerprint(&diff::secret_text(value).into()),
        );
    }
    fingerprints
}
