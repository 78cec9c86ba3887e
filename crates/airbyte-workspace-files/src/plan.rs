//! Plans: what an apply would do, resource by resource, from the files, the lock file and
//! the live workspace (read from list pages only).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::PathBuf;

use airbyte_cloud::{CloudWorkspace, is_safe_to_delete};
use airbyte_models::{ConnectorConfig, Tag};
use futures_util::{StreamExt, stream};
use serde::Serialize;
use serde_json::{Value, json};

use crate::diff::{self, ConnectionIds, FieldChange};
use crate::error::{Error, Problems, Result};
use crate::live::{Live, LiveDefinitionBody, LiveRef};
use crate::lock::{LOCK_FILE, LockFile, WorkspaceLock};
use crate::model::{ConnectorRef, DefinitionBody, Desired, Kind, Origin};
use crate::read::{WorkspaceFiles, origin_of};

/// What happens to a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Nothing: it is as the files say.
    NoOp,
    /// Created.
    Create,
    /// Changed in place.
    Update,
    /// Created anew and the old one deleted: the API cannot change what differs.
    Replace,
    /// Deleted (with `prune`, or left behind by a replace).
    Delete,
}

impl Action {
    /// `no-op`, `create`, `update`, `replace`, `delete`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::NoOp => "no-op",
            Self::Create => "create",
            Self::Update => "update",
            Self::Replace => "replace",
            Self::Delete => "delete",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One resource of a plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanItem {
    /// The kind.
    pub kind: Kind,
    /// Its key in the files (`None` for a resource only the workspace has).
    pub key: Option<String>,
    /// Its name (the new one for a rename).
    pub name: String,
    /// Its live ID (for a replace, the one deleted).
    pub id: Option<String>,
    /// What happens.
    pub action: Action,
    /// The fields that change.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<FieldChange>,
    /// Why (a replace's cause, a create of something deleted outside, a resource found by
    /// name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// For a delete: every resource the server would delete with it, or that loses it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub dependents: Vec<LiveRef>,
    /// For a delete that apply would refuse (safe mode, dependents left behind): why.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
    /// Where the files define it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<Origin>,
}

/// How to plan.
#[derive(Clone, Debug)]
pub struct PlanOptions {
    /// Delete what the workspace has and the files do not (default: no; such resources are
    /// listed as unmanaged).
    pub prune: bool,
    /// Refuse to delete a resource (pruned, or replaced) whose name lacks `delete-me` or
    /// `deleteme` (default: yes).
    pub safe_mode: bool,
    /// Read the streams each source offers, for connections whose streams are sent, and
    /// report streams it does not offer (default: yes; one request per such source).
    pub check_streams: bool,
    /// How many requests at once when checking streams (default 8).
    pub parallel: usize,
    /// The lock file (default: `airbyte.lock` in the directory).
    pub lock_file: Option<PathBuf>,
}

impl Default for PlanOptions {
    fn default() -> Self {
        Self {
            prune: false,
            safe_mode: true,
            check_streams: true,
            parallel: 8,
            lock_file: None,
        }
    }
}

/// What an apply would do: every resource of the files (no-op included), the deletes, and
/// the resources the workspace has that the files do not.
#[derive(Debug)]
pub struct Plan {
    /// The workspace.
    pub workspace_id: String,
    /// Creates, updates and replaces in the order they are applied (tags, definitions,
    /// sources and destinations, connections), then deletes (the other way round).
    pub items: Vec<PlanItem>,
    /// Resources of the workspace the files do not have, left alone (without `prune`).
    pub unmanaged: Vec<LiveRef>,
    pub(crate) options: PlanOptions,
    pub(crate) lock_path: PathBuf,
    pub(crate) lock: LockFile,
    pub(crate) bindings: BTreeMap<(Kind, String), String>,
    pub(crate) live: Live,
}

impl Plan {
    /// Whether applying would change anything.
    #[must_use]
    pub fn has_changes(&self) -> bool {
        self.items.iter().any(|item| item.action != Action::NoOp)
    }

    /// How many resources of each action.
    #[must_use]
    pub fn counts(&self) -> BTreeMap<Action, usize> {
        let mut counts = BTreeMap::new();
        for item in &self.items {
            *counts.entry(item.action).or_insert(0) += 1;
        }
        counts
    }

    /// The deletes apply would refuse, each with why.
    #[must_use]
    pub fn refusals(&self) -> Vec<&PlanItem> {
        self.items
            .iter()
            .filter(|item| item.refusal.is_some())
            .collect()
    }

    /// The plan as JSON (what `airbyte plan -o json` prints).
    #[must_use]
    pub fn to_json(&self) -> Value {
        let counts: BTreeMap<&str, usize> = self
            .counts()
            .into_iter()
            .map(|(action, count)| (action.as_str(), count))
            .collect();
        json!({
            "workspaceId": self.workspace_id,
            "changes": self.has_changes(),
            "counts": counts,
            "items": self.items,
            "unmanaged": self.unmanaged,
        })
    }

    /// Plans the files of a directory against a workspace. The files are checked first, all of
    /// them (see [`WorkspaceFiles::read`]); then the workspace is read from its list pages and
    /// compared resource by resource; then the streams of connections whose streams would be
    /// sent are checked against what their sources offer.
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] listing every problem (of the files, or of streams a source does not
    /// offer, or of names that match several live resources); [`Error::Lock`]; transport errors.
    pub async fn build(
        workspace: &CloudWorkspace,
        files: &WorkspaceFiles,
        options: PlanOptions,
    ) -> Result<Self> {
        let lock_path = options
            .lock_file
            .clone()
            .unwrap_or_else(|| files.directory().join(LOCK_FILE));
        let lock = LockFile::read(&lock_path)?;
        let live = Live::read(workspace).await?;
        let planner = Planner::new(workspace.id().as_str(), files, &lock, &live, &options)?;
        let mut plan = planner.plan(lock_path.clone());
        plan.lock = lock;
        plan.live = live;
        if options.check_streams {
            check_streams(&plan, files, options.parallel.max(1)).await?;
        }
        Ok(plan)
    }
}

/// Builds the items of a plan.
struct Planner<'a> {
    workspace_id: &'a str,
    files: &'a WorkspaceFiles,
    desired: &'a Desired,
    lock: WorkspaceLock,
    live: &'a Live,
    options: &'a PlanOptions,
    bindings: BTreeMap<(Kind, String), String>,
    found_by_name: BTreeSet<(Kind, String)>,
    recreated: BTreeSet<(Kind, String)>,
}

impl<'a> Planner<'a> {
    fn new(
        workspace_id: &'a str,
        files: &'a WorkspaceFiles,
        lock: &LockFile,
        live: &'a Live,
        options: &'a PlanOptions,
    ) -> Result<Self> {
        let mut planner = Self {
            workspace_id,
            files,
            desired: files.desired(),
            lock: lock.workspace(workspace_id),
            live,
            options,
            bindings: BTreeMap::new(),
            found_by_name: BTreeSet::new(),
            recreated: BTreeSet::new(),
        };
        planner.bind()?;
        Ok(planner)
    }

    /// Finds the live resource of every key: through the lock file, else by name among the
    /// resources no key claims (a workspace adopted from an export, a create whose answer was
    /// lost, a lock file lost).
    fn bind(&mut self) -> Result<()> {
        let mut problems = Problems::default();
        for kind in Kind::ALL {
            let refs = self.live.refs(kind);
            let mut claimed: BTreeSet<String> = self
                .lock
                .retired
                .iter()
                .filter(|retired| retired.kind == kind)
                .map(|retired| retired.id.clone())
                .collect();
            let keys = self.desired.keys(kind);
            for key in &keys {
                if let Some(id) = self.lock.id(kind, key) {
                    if refs.iter().any(|item| item.id == id) && !claimed.contains(id) {
                        claimed.insert(id.to_owned());
                        self.bindings
                            .insert((kind, (*key).to_owned()), id.to_owned());
                    } else {
                        self.recreated.insert((kind, (*key).to_owned()));
                    }
                }
            }
            for key in &keys {
                if self.bindings.contains_key(&(kind, (*key).to_owned())) {
                    continue;
                }
                let name = self.desired.name_of(kind, key).unwrap_or_default();
                let matches: Vec<&LiveRef> = refs
                    .iter()
                    .filter(|item| item.name == name && !claimed.contains(&item.id))
                    .collect();
                match matches.as_slice() {
                    [] => {}
                    [one] => {
                        claimed.insert(one.id.clone());
                        self.bindings.insert((kind, (*key).to_owned()), one.id.clone());
                        self.found_by_name.insert((kind, (*key).to_owned()));
                    }
                    several => problems.push(
                        origin_of(self.desired, kind, key),
                        format!(
                            "{} {kind}s of the workspace are named {name:?} ({}) and the lock file names none of them: rename all but one, or delete the lock entry's ambiguity by recording the right ID in {}",
                            several.len(),
                            several.iter().map(|item| item.id.as_str()).collect::<Vec<_>>().join(", "),
                            LOCK_FILE
                        ),
                    ),
                }
            }
        }
        problems.into_result()
    }

    fn id(&self, kind: Kind, key: &str) -> Option<&str> {
        self.bindings
            .get(&(kind, key.to_owned()))
            .map(String::as_str)
    }

    fn item(&self, kind: Kind, key: &str) -> PlanItem {
        let found = self.found_by_name.contains(&(kind, key.to_owned()));
        let recreated = self.recreated.contains(&(kind, key.to_owned()));
        PlanItem {
            kind,
            key: Some(key.to_owned()),
            name: self.desired.name_of(kind, key).unwrap_or_default(),
            id: self.id(kind, key).map(str::to_owned),
            action: Action::NoOp,
            changes: Vec::new(),
            reason: if found {
                Some("found by name (not in the lock file yet)".to_owned())
            } else if recreated {
                Some(
                    "the lock file's ID no longer exists in the workspace (deleted outside)"
                        .to_owned(),
                )
            } else {
                None
            },
            dependents: Vec::new(),
            refusal: None,
            origin: Some(origin_of(self.desired, kind, key)),
        }
    }

    fn finish(item: &mut PlanItem, changes: Vec<FieldChange>, replace: Option<String>) {
        if item.id.is_none() {
            item.action = Action::Create;
            return;
        }
        if let Some(reason) = replace {
            item.action = Action::Replace;
            item.reason = Some(reason);
            item.changes = changes;
            return;
        }
        if !changes.is_empty() {
            item.action = Action::Update;
        }
        item.changes = changes;
    }

    fn plan(self, lock_path: PathBuf) -> Plan {
        let mut items: Vec<PlanItem> = Vec::new();
        let mut replaced: BTreeSet<(Kind, String)> = BTreeSet::new();
        for (key, spec) in &self.desired.tags {
            let mut item = self.item(Kind::Tag, key);
            let mut changes = Vec::new();
            if let Some(live) = item.id.as_deref().and_then(|id| self.live.tag(id)) {
                let name = spec.name.clone().unwrap_or_else(|| key.clone());
                if live.name != name {
                    changes.push(FieldChange::new(
                        "name",
                        Some(json!(live.name)),
                        Some(json!(name)),
                    ));
                }
                if !live.color.eq_ignore_ascii_case(&spec.color) {
                    changes.push(FieldChange::new(
                        "color",
                        Some(json!(live.color)),
                        Some(json!(spec.color)),
                    ));
                }
            }
            Self::finish(&mut item, changes, None);
            items.push(item);
        }
        for (key, spec) in &self.desired.definitions {
            let mut item = self.item(Kind::Definition, key);
            let (changes, replace) =
                match item.id.as_deref().and_then(|id| self.live.definition(id)) {
                    Some(live) => definition_delta(key, spec, &live.body),
                    None => (Vec::new(), None),
                };
            Self::finish(&mut item, changes, replace);
            if item.action == Action::Replace || item.action == Action::Create {
                replaced.insert((Kind::Definition, key.clone()));
            }
            items.push(item);
        }
        for (kind, specs) in [
            (Kind::Source, &self.desired.sources),
            (Kind::Destination, &self.desired.destinations),
        ] {
            for (key, spec) in specs {
                let mut item = self.item(kind, key);
                let mut changes = Vec::new();
                let mut replace = None;
                // A bound ID is always one of the live list.
                let live = item.id.as_deref().and_then(|id| match kind {
                    Kind::Source => self.live.source(id).map(|(_, info)| {
                        (
                            info.name.clone(),
                            info.definition_id.as_ref().map(ToString::to_string),
                            info.source_type.clone(),
                            info.configuration.clone(),
                        )
                    }),
                    _ => self.live.destination(id).map(|(_, info)| {
                        (
                            info.name.clone(),
                            info.definition_id.as_ref().map(ToString::to_string),
                            info.destination_type.clone(),
                            info.configuration.clone(),
                        )
                    }),
                });
                if let (Some(id), Some((name, definition_id, live_type, configuration))) =
                    (item.id.clone(), live)
                {
                    replace = match &spec.connector {
                        ConnectorRef::Type(wanted) if *wanted != live_type => Some(format!(
                            "its connector type changes from {live_type:?} to {wanted:?}, which the API cannot change in place"
                        )),
                        // A server that omits the live definition ID cannot show a change.
                        ConnectorRef::Definition(definition) => {
                            let wanted = self.id(Kind::Definition, definition);
                            (replaced.contains(&(Kind::Definition, definition.clone()))
                                || definition_id.as_deref().is_some_and(|live| wanted != Some(live)))
                            .then(|| format!("it runs definition {definition:?}, which is created or replaced, or is not the one it runs"))
                        }
                        ConnectorRef::DefinitionId(wanted)
                            if definition_id
                                .as_deref()
                                .is_some_and(|live| live != wanted.as_str()) =>
                        {
                            Some(format!(
                                "its definition changes to {wanted}, which the API cannot change in place"
                            ))
                        }
                        _ => None,
                    };
                    let wanted_name = spec.name.clone().unwrap_or_else(|| key.clone());
                    if name != wanted_name {
                        changes.push(FieldChange::new(
                            "name",
                            Some(json!(name)),
                            Some(json!(wanted_name)),
                        ));
                    }
                    let live_configuration = without_type_key(kind, &configuration);
                    let fingerprints = self
                        .lock
                        .of(kind)
                        .get(key)
                        .filter(|locked| locked.id == id)
                        .map(|locked| locked.secrets.clone())
                        .unwrap_or_default();
                    if let Some(resolved) = self.files.resolved(kind, key) {
                        changes.extend(diff::diff_configuration(
                            &spec.configuration,
                            resolved,
                            &live_configuration,
                            &fingerprints,
                        ));
                    }
                }
                Self::finish(&mut item, changes, replace);
                if matches!(item.action, Action::Replace | Action::Create) {
                    replaced.insert((kind, key.clone()));
                }
                items.push(item);
            }
        }
        for (key, spec) in &self.desired.connections {
            let mut item = self.item(Kind::Connection, key);
            let mut changes = Vec::new();
            let mut replace = None;
            if let Some((_, live)) = item.id.as_deref().and_then(|id| self.live.connection(id)) {
                let endpoint = |kind: Kind, endpoint_key: &str| {
                    (!replaced.contains(&(kind, endpoint_key.to_owned())))
                        .then(|| self.id(kind, endpoint_key))
                        .flatten()
                };
                let ids = ConnectionIds {
                    source: endpoint(Kind::Source, &spec.source),
                    destination: endpoint(Kind::Destination, &spec.destination),
                    tags: self.tag_ids(spec.tags.iter().flatten()),
                };
                let delta = diff::diff_connection(key, spec, live, &ids);
                changes = delta.changes;
                replace = delta.replace;
            }
            Self::finish(&mut item, changes, replace);
            items.push(item);
        }
        let (deletes, unmanaged) = self.deletes(&items);
        items.extend(deletes);
        let mut bindings = self.bindings;
        // A replaced resource's old ID is deleted, not kept.
        for item in &items {
            if item.action == Action::Replace
                && let Some(key) = &item.key
            {
                bindings.remove(&(item.kind, key.clone()));
            }
        }
        Plan {
            workspace_id: self.workspace_id.to_owned(),
            items,
            unmanaged,
            options: self.options.clone(),
            lock_path,
            lock: LockFile::default(),
            bindings,
            live: Live::default(),
        }
    }

    /// The tags of the workspace for keys of the files (`None` for a tag to create).
    fn tag_ids<'k>(&self, keys: impl Iterator<Item = &'k String>) -> BTreeMap<String, Option<Tag>> {
        keys.map(|key| {
            let tag = self
                .id(Kind::Tag, key)
                .and_then(|id| self.live.tag(id))
                .cloned();
            (key.clone(), tag)
        })
        .collect()
    }

    /// Deletes: replaced resources' old versions, resources retired by an earlier replace,
    /// and (with prune) everything the files do not have; the rest is unmanaged.
    fn deletes(&self, items: &[PlanItem]) -> (Vec<PlanItem>, Vec<LiveRef>) {
        let mut doomed: Vec<(LiveRef, Option<String>, String)> = Vec::new();
        for item in items.iter().filter(|item| item.action == Action::Replace) {
            if let (Some(id), Some(key)) = (&item.id, &item.key)
                && let Some(live) = self.live.find(item.kind, id)
            {
                doomed.push((live, Some(key.clone()), "replaced by a new one".to_owned()));
            }
        }
        for retired in &self.lock.retired {
            if let Some(live) = self.live.find(retired.kind, &retired.id) {
                doomed.push((
                    live,
                    Some(retired.key.clone()),
                    "replaced by an earlier apply".to_owned(),
                ));
            }
        }
        let bound: BTreeSet<&String> = self.bindings.values().collect();
        let mut unmanaged = Vec::new();
        for kind in Kind::ALL {
            for live in self.live.refs(kind) {
                let known = bound.contains(&live.id)
                    || doomed.iter().any(|(doomed, _, _)| doomed.id == live.id);
                if known {
                    continue;
                }
                if self.options.prune {
                    doomed.push((live, None, "not in the files (prune)".to_owned()));
                } else {
                    unmanaged.push(live);
                }
            }
        }
        let doomed_ids: BTreeSet<String> =
            doomed.iter().map(|(live, _, _)| live.id.clone()).collect();
        let mut deletes = Vec::new();
        for (live, key, reason) in doomed {
            let dependents = self.dependents(&live);
            let mut refusals = Vec::new();
            // A dependent deleted by this apply is an item of its own, checked there.
            if self.options.safe_mode && !is_safe_to_delete(&live.name) {
                refusals.push(format!(
                    "safe mode: the name of {live} lacks delete-me or deleteme"
                ));
            }
            let left: Vec<String> = dependents
                .iter()
                .filter(|dependent| live.kind != Kind::Tag && !doomed_ids.contains(&dependent.id))
                .map(ToString::to_string)
                .collect();
            if !left.is_empty() {
                refusals.push(format!(
                    "the server would also delete {}, which this apply keeps",
                    left.join(", ")
                ));
            }
            deletes.push(PlanItem {
                kind: live.kind,
                key,
                name: live.name.clone(),
                id: Some(live.id.clone()),
                action: Action::Delete,
                changes: Vec::new(),
                reason: Some(reason),
                dependents,
                refusal: (!refusals.is_empty()).then(|| refusals.join("; ")),
                origin: None,
            });
        }
        deletes.sort_by_key(|item| std::cmp::Reverse(delete_rank(item.kind)));
        (deletes, unmanaged)
    }

    /// What goes with a resource when it is deleted: the connections of a source or
    /// destination, the sources of a definition and their connections, the connections that
    /// lose a tag.
    fn dependents(&self, resource: &LiveRef) -> Vec<LiveRef> {
        let connection = |info: &airbyte_models::ConnectionResponse| LiveRef {
            kind: Kind::Connection,
            id: info.connection_id.to_string(),
            name: info.name.clone(),
        };
        let mut found = Vec::new();
        match resource.kind {
            Kind::Source => found.extend(
                self.live
                    .connections
                    .iter()
                    .filter(|(_, info)| info.source_id.as_str() == resource.id)
                    .map(|(_, info)| connection(info)),
            ),
            Kind::Destination => found.extend(
                self.live
                    .connections
                    .iter()
                    .filter(|(_, info)| info.destination_id.as_str() == resource.id)
                    .map(|(_, info)| connection(info)),
            ),
            Kind::Definition => {
                for (_, source) in self.live.sources.iter().filter(|(_, info)| {
                    info.definition_id
                        .as_ref()
                        .is_some_and(|id| id.as_str() == resource.id)
                }) {
                    let source = LiveRef {
                        kind: Kind::Source,
                        id: source.source_id.to_string(),
                        name: source.name.clone(),
                    };
                    let connections = self.dependents(&source);
                    found.push(source);
                    found.extend(connections);
                }
            }
            Kind::Tag => found.extend(
                self.live
                    .connections
                    .iter()
                    .filter(|(_, info)| {
                        info.tags
                            .iter()
                            .any(|tag| tag.tag_id.as_str() == resource.id)
                    })
                    .map(|(_, info)| connection(info)),
            ),
            Kind::Connection => {}
        }
        found
    }
}

/// Deletes run connections first, then sources and destinations, then definitions and tags.
fn delete_rank(kind: Kind) -> u8 {
    match kind {
        Kind::Connection => 4,
        Kind::Source | Kind::Destination => 3,
        Kind::Definition => 2,
        Kind::Tag => 1,
    }
}

/// A live configuration without the connector-type key some servers echo back.
pub(crate) fn without_type_key(kind: Kind, configuration: &ConnectorConfig) -> Value {
    let mut value = configuration.as_value().clone();
    if let Some(map) = value.as_object_mut() {
        map.remove(if kind == Kind::Source {
            "sourceType"
        } else {
            "destinationType"
        });
    }
    value
}

/// The changes of a definition, and why it must be replaced, if so.
fn definition_delta(
    key: &str,
    spec: &crate::model::DefinitionSpec,
    live: &LiveDefinitionBody,
) -> (Vec<FieldChange>, Option<String>) {
    let name = spec.name.clone().unwrap_or_else(|| key.to_owned());
    let mut changes = Vec::new();
    match (&spec.body, live) {
        (DefinitionBody::Yaml { manifest, .. }, LiveDefinitionBody::Yaml(live)) => {
            let mut replace = None;
            if live.name != name {
                changes.push(FieldChange::new(
                    "name",
                    Some(json!(live.name)),
                    Some(json!(name)),
                ));
                replace = Some("the API cannot rename a YAML definition".to_owned());
            }
            diff::diff_json("manifest", &live.manifest, manifest, &mut changes);
            (changes, replace)
        }
        (
            DefinitionBody::Docker {
                repository,
                tag,
                documentation_url,
            },
            LiveDefinitionBody::Docker(live),
        ) => {
            let mut replace = None;
            if live.name != name {
                changes.push(FieldChange::new(
                    "name",
                    Some(json!(live.name)),
                    Some(json!(name)),
                ));
            }
            if live.docker_image_tag != *tag {
                changes.push(FieldChange::new(
                    "docker_image_tag",
                    Some(json!(live.docker_image_tag)),
                    Some(json!(tag)),
                ));
            }
            if live.docker_repository != *repository {
                changes.push(FieldChange::new(
                    "docker_repository",
                    Some(json!(live.docker_repository)),
                    Some(json!(repository)),
                ));
                replace = Some("the API cannot change a definition's Docker repository".to_owned());
            }
            if documentation_url.is_some() && live.documentation_url != *documentation_url {
                changes.push(FieldChange::new(
                    "documentation_url",
                    live.documentation_url.clone().map(Value::from),
                    documentation_url.clone().map(Value::from),
                ));
                replace = Some("the API cannot change a definition's documentation URL".to_owned());
            }
            (changes, replace)
        }
        (DefinitionBody::Yaml { .. }, LiveDefinitionBody::Docker(_)) => {
            kind_change("docker", "yaml")
        }
        (DefinitionBody::Docker { .. }, LiveDefinitionBody::Yaml(_)) => {
            kind_change("yaml", "docker")
        }
    }
}

/// A definition that changes kind: replaced.
fn kind_change(old: &str, new: &str) -> (Vec<FieldChange>, Option<String>) {
    (
        vec![FieldChange::new("kind", Some(json!(old)), Some(json!(new)))],
        Some(format!("a {old} definition cannot become a {new} one")),
    )
}

/// Checks the streams of connections whose streams would be sent against what their
/// (existing) sources offer: one request per such source, `parallel` at once.
async fn check_streams(plan: &Plan, files: &WorkspaceFiles, parallel: usize) -> Result<()> {
    let desired = files.desired();
    let mut wanted: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for item in &plan.items {
        let sends_streams = match item.action {
            Action::Create | Action::Replace => true,
            Action::Update => item
                .changes
                .iter()
                .any(|change| change.field.starts_with("streams")),
            Action::NoOp | Action::Delete => false,
        };
        if item.kind != Kind::Connection || !sends_streams {
            continue;
        }
        let Some(key) = &item.key else { continue };
        let Some(spec) = desired.connections.get(key) else {
            continue;
        };
        if let Some(source_id) = plan.bindings.get(&(Kind::Source, spec.source.clone())) {
            wanted.entry(source_id.clone()).or_default().push(key);
        }
    }
    let offered: Vec<(String, Option<Vec<airbyte_models::StreamProperties>>)> =
        stream::iter(wanted.keys().cloned())
            .map(|source_id| async move {
                let properties = match plan.live.source(&source_id) {
                    // A source whose streams cannot be read (not discovered yet, a failing
                    // connector) is checked by the server instead.
                    Some((source, _)) => source.stream_properties(None, false).await.ok(),
                    None => None,
                };
                (source_id, properties)
            })
            .buffer_unordered(parallel)
            .collect()
            .await;
    let mut problems = Problems::default();
    for (source_id, properties) in offered {
        let Some(properties) = properties else {
            continue;
        };
        for key in &wanted[&source_id] {
            let spec = &desired.connections[*key];
            for stream in &spec.streams {
                let offer = properties.iter().find(|offered| {
                    offered.stream_name.as_deref() == Some(stream.name.as_str())
                        && stream.namespace.as_ref().is_none_or(|namespace| {
                            offered.stream_namespace.as_ref() == Some(namespace)
                        })
                });
                let origin = Origin {
                    file: spec.origin.file.clone(),
                    line: stream.line,
                };
                match offer {
                    None => {
                        let names: Vec<&str> = properties
                            .iter()
                            .filter_map(|offered| offered.stream_name.as_deref())
                            .collect();
                        problems.push(
                            origin,
                            format!(
                                "connection {key:?}: source {:?} offers no stream {} (it offers: {})",
                                spec.source,
                                stream.label(),
                                names.join(", ")
                            ),
                        );
                    }
                    Some(offer) => {
                        if let (Some(mode), Some(modes)) = (&stream.sync_mode, &offer.sync_modes)
                            && !modes.contains(mode)
                        {
                            problems.push(
                                origin,
                                format!(
                                    "connection {key:?}: stream {} does not support sync mode {mode} (it supports: {})",
                                    stream.label(),
                                    modes.iter().map(|mode| mode.as_str()).collect::<Vec<_>>().join(", ")
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
    problems.into_result()
}

impl From<Problems> for Error {
    fn from(problems: Problems) -> Self {
        Self::Invalid { problems }
    }
}
