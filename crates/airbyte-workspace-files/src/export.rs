//! Export: a live workspace written as files, with the lock file and the template of the
//! variables its secrets need. Adopting an existing workspace is an export.
//!
//! The output is deterministic: resources, JSON keys, streams and selected fields in a fixed
//! order, no timestamps, no IDs. Exporting an unchanged workspace gives the same bytes, and
//! exporting a workspace that was applied from files gives those files back. Secrets become
//! references: the ones the directory's files already use where they are there, else
//! `${env:NAME}` with a name made from the resource and the field.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use airbyte_cloud::CloudWorkspace;
use airbyte_models::{ConnectionStatus, NamespaceDefinition, SERVER_SECRET_MASK};
use serde::Serialize;
use serde_json::Value;

use crate::diff;
use crate::emit::{self, Out};
use crate::error::{Error, Result};
use crate::live::{Live, LiveDefinitionBody};
use crate::lock::{Guard, LOCK_FILE, LockFile, Locked, WorkspaceLock, write_atomically};
use crate::model::{DefinitionBody, Desired, Kind};
use crate::read::{Existing, read_existing};
use crate::schedule;
use crate::secrets::{self, SecretRef};

/// The template of variables an export writes.
pub const TEMPLATE_FILE: &str = "secrets.env.template";
/// Where exported manifests go, relative to the directory.
pub const MANIFEST_DIR: &str = "manifests";

const HEADER: &[&str] = &[
    "Airbyte workspace files, written by `airbyte export`.",
    "Edit them, review them, then `airbyte plan` shows what `airbyte apply` would change.",
    "Resources are keyed by name; a `name` field renames one. Secrets are references",
    "(${env:VAR} or ${file:PATH}); secrets.env.template lists the variables.",
];
const MANIFEST_HEADER: &str =
    "Declarative manifest of a custom source definition, written by `airbyte export`.";

/// How to export.
#[derive(Clone, Debug, Default)]
pub struct ExportOptions {
    /// The lock file (default: `airbyte.lock` in the directory).
    pub lock_file: Option<PathBuf>,
}

/// What an export wrote.
#[derive(Clone, Debug, Serialize)]
pub struct ExportSummary {
    /// The directory.
    pub directory: PathBuf,
    /// Every file written, relative to the directory, sorted.
    pub files: Vec<PathBuf>,
    /// How many resources of each kind.
    pub resources: BTreeMap<Kind, usize>,
    /// The environment variables the secrets need.
    pub variables: Vec<String>,
}

/// Exports a workspace into `directory` (created when missing): the resource files, one
/// manifest file per YAML definition, the lock file (the IDs of this workspace; other
/// workspaces' sections are kept) and the template of variables. Nothing is written when
/// something cannot be exported.
///
/// # Errors
///
/// [`Error::Unrepresentable`] naming every connection whose schedule has no cron equivalent
/// (nothing written); [`Error::Invalid`] when a file of the directory is not YAML (which
/// resources it defines is unknown; nothing written); [`Error::Conflict`] while an apply or
/// another export works from the same lock file; [`Error::Io`]; transport errors.
pub async fn export(
    workspace: &CloudWorkspace,
    directory: impl AsRef<Path>,
    options: ExportOptions,
) -> Result<ExportSummary> {
    let directory = directory.as_ref().to_path_buf();
    // Read before the workspace, so that files an export cannot read cost no request.
    let existing = if directory.is_dir() {
        Some(read_existing(&directory)?)
    } else {
        None
    };
    let lock_path = options
        .lock_file
        .clone()
        .unwrap_or_else(|| directory.join(LOCK_FILE));
    if let Some(parent) = lock_path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent).map_err(|error| Error::io(parent, error))?;
    }
    let _guard = Guard::take(&lock_path)?;
    let mut lock = LockFile::read(&lock_path)?;
    let live = Live::read(workspace).await?;
    let previous = lock.workspace(workspace.id().as_str());
    let exported = Exporter::new(&live, &previous, existing.as_ref()).build()?;
    std::fs::create_dir_all(directory.join(MANIFEST_DIR))
        .map_err(|error| Error::io(directory.join(MANIFEST_DIR), error))?;
    let mut written = Vec::new();
    for (path, text) in &exported.files {
        write_atomically(&directory.join(path), text.as_bytes())?;
        written.push(path.clone());
    }
    remove_stale_manifests(&directory, &exported.files)?;
    let section = lock
        .workspaces
        .entry(workspace.id().to_string())
        .or_default();
    let retired = std::mem::take(&mut section.retired);
    *section = exported.lock;
    section.retired = retired;
    lock.version = 1;
    lock.write(&lock_path)?;
    written.push(
        lock_path
            .strip_prefix(&directory)
            .unwrap_or(&lock_path)
            .to_path_buf(),
    );
    written.sort();
    Ok(ExportSummary {
        directory,
        files: written,
        resources: exported.counts,
        variables: exported.variables,
    })
}

/// Removes manifest files an earlier export wrote that this one did not.
fn remove_stale_manifests(directory: &Path, files: &[(PathBuf, String)]) -> Result<()> {
    let dir = directory.join(MANIFEST_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(());
    };
    let current: BTreeSet<PathBuf> = files.iter().map(|(path, _)| directory.join(path)).collect();
    for entry in entries.flatten() {
        let path = entry.path();
        if current.contains(&path) {
            continue;
        }
        let ours = std::fs::read_to_string(&path)
            .is_ok_and(|text| text.starts_with(&format!("# {MANIFEST_HEADER}")));
        if ours {
            std::fs::remove_file(&path).map_err(|error| Error::io(&path, error))?;
        }
    }
    Ok(())
}

struct Exported {
    files: Vec<(PathBuf, String)>,
    lock: WorkspaceLock,
    counts: BTreeMap<Kind, usize>,
    variables: Vec<String>,
}

struct Exporter<'a> {
    live: &'a Live,
    previous: &'a WorkspaceLock,
    existing: Option<&'a Desired>,
    /// The file that defines each key now (an export writes it back there).
    layout: Option<&'a BTreeMap<(Kind, String), PathBuf>>,
    /// Live ID to key, by kind.
    keys: BTreeMap<(Kind, String), String>,
    /// The variable names taken.
    variables: BTreeSet<String>,
    /// The variables the directory's files already use: a new variable never takes one, or
    /// two secrets would read the same value.
    reserved: BTreeSet<String>,
    /// Template lines, in order.
    template: Vec<String>,
}

impl<'a> Exporter<'a> {
    fn new(live: &'a Live, previous: &'a WorkspaceLock, existing: Option<&'a Existing>) -> Self {
        Self {
            live,
            previous,
            existing: existing.map(|existing| &existing.desired),
            layout: existing.map(|existing| &existing.files),
            keys: BTreeMap::new(),
            variables: BTreeSet::new(),
            reserved: existing
                .map(|existing| env_variables(&existing.desired))
                .unwrap_or_default(),
            template: Vec::new(),
        }
    }

    /// Chooses a key for every live resource: its key in the lock file, else its name, else
    /// its name with ` #2`, ` #3`... in creation order.
    fn choose_keys(&mut self) {
        for kind in Kind::ALL {
            let mut refs = self.live.refs(kind);
            refs.sort_by_key(|item| {
                (
                    item.name.clone(),
                    self.created_at(kind, &item.id),
                    item.id.clone(),
                )
            });
            let by_id: BTreeMap<&str, &str> = self
                .previous
                .of(kind)
                .iter()
                .map(|(key, locked)| (locked.id.as_str(), key.as_str()))
                .collect();
            let mut taken: BTreeSet<String> = BTreeSet::new();
            for item in &refs {
                if let Some(key) = by_id.get(item.id.as_str())
                    && taken.insert((*key).to_owned())
                {
                    self.keys.insert((kind, item.id.clone()), (*key).to_owned());
                }
            }
            for item in &refs {
                if self.keys.contains_key(&(kind, item.id.clone())) {
                    continue;
                }
                let mut key = item.name.clone();
                let mut count = 1;
                while taken.contains(&key) || key.trim().is_empty() {
                    count += 1;
                    key = format!("{} #{count}", item.name);
                }
                taken.insert(key.clone());
                self.keys.insert((kind, item.id.clone()), key);
            }
        }
    }

    fn created_at(&self, kind: Kind, id: &str) -> i64 {
        match kind {
            Kind::Source => self
                .live
                .source(id)
                .map_or(0, |(_, info)| info.created_at.value().unwrap_or(0)),
            Kind::Destination => self
                .live
                .destination(id)
                .map_or(0, |(_, info)| info.created_at.value().unwrap_or(0)),
            Kind::Connection => self
                .live
                .connection(id)
                .map_or(0, |(_, info)| info.created_at.value().unwrap_or(0)),
            Kind::Tag | Kind::Definition => 0,
        }
    }

    fn key(&self, kind: Kind, id: &str) -> Option<String> {
        self.keys.get(&(kind, id.to_owned())).cloned()
    }

    /// `name` when the name differs from the key.
    fn name_entry(key: &str, name: &str) -> Vec<(&'static str, Out)> {
        if key == name {
            Vec::new()
        } else {
            vec![("name", Out::str(name))]
        }
    }

    fn build(mut self) -> Result<Exported> {
        self.choose_keys();
        let mut files = Vec::new();
        let mut lock = WorkspaceLock::default();
        let mut counts = BTreeMap::new();
        let mut unrepresentable = Vec::new();

        let mut tags = Vec::new();
        for tag in &self.live.tags {
            let key = self.key(Kind::Tag, tag.tag_id.as_str()).unwrap_or_default();
            let mut entries = Self::name_entry(&key, &tag.name);
            entries.push(("color", Out::str(tag.color.to_ascii_uppercase())));
            tags.push((key, Out::map(entries)));
        }
        let mut definitions = Vec::new();
        // The manifest files the directory's files chose are kept (each used once); the others
        // are named after their definition.
        let mut chosen: BTreeMap<String, PathBuf> = BTreeMap::new();
        let mut used: BTreeSet<PathBuf> = BTreeSet::new();
        for definition in &self.live.definitions {
            let key = self
                .key(Kind::Definition, definition.id())
                .unwrap_or_default();
            if let Some(path) = self.manifest_file(&key)
                && used.insert(path.clone())
            {
                chosen.insert(key, path);
            }
        }
        for definition in &self.live.definitions {
            let key = self
                .key(Kind::Definition, definition.id())
                .unwrap_or_default();
            let mut entries = Self::name_entry(&key, definition.name());
            match &definition.body {
                LiveDefinitionBody::Yaml(yaml) => {
                    let path = match chosen.get(&key) {
                        Some(path) => path.clone(),
                        None => {
                            let base = slugify(&key);
                            let mut path = PathBuf::from(MANIFEST_DIR).join(format!("{base}.yaml"));
                            let mut count = 1;
                            while !used.insert(path.clone()) {
                                count += 1;
                                path = PathBuf::from(MANIFEST_DIR)
                                    .join(format!("{base}-{count}.yaml"));
                            }
                            path
                        }
                    };
                    files.push((
                        path.clone(),
                        emit::document(&[MANIFEST_HEADER], &Out::from(&yaml.manifest)),
                    ));
                    entries.push((
                        "manifest_file",
                        Out::str(path.to_string_lossy().replace('\\', "/")),
                    ));
                }
                LiveDefinitionBody::Docker(docker) => {
                    entries.push(("docker_repository", Out::str(&docker.docker_repository)));
                    entries.push(("docker_image_tag", Out::str(&docker.docker_image_tag)));
                    if let Some(url) = &docker.documentation_url {
                        entries.push(("documentation_url", Out::str(url)));
                    }
                }
            }
            definitions.push((key, Out::map(entries)));
        }
        // In key order, so that the variables of the template come in a stable order.
        let mut live_sources: Vec<&airbyte_models::SourceResponse> =
            self.live.sources.iter().map(|(_, info)| info).collect();
        live_sources.sort_by_key(|info| self.key(Kind::Source, info.source_id.as_str()));
        let mut live_destinations: Vec<&airbyte_models::DestinationResponse> = self
            .live
            .destinations
            .iter()
            .map(|(_, info)| info)
            .collect();
        live_destinations
            .sort_by_key(|info| self.key(Kind::Destination, info.destination_id.as_str()));
        let mut sources = Vec::new();
        for info in live_sources {
            let id = info.source_id.as_str();
            let key = self.key(Kind::Source, id).unwrap_or_default();
            let configuration = crate::plan::without_type_key(Kind::Source, &info.configuration);
            let entry = self.connector(
                Kind::Source,
                id,
                &key,
                &info.name,
                &info.source_type,
                info.definition_id.as_ref().map(|id| id.as_str()),
                &configuration,
            );
            sources.push((key, entry));
        }
        let mut destinations = Vec::new();
        for info in live_destinations {
            let id = info.destination_id.as_str();
            let key = self.key(Kind::Destination, id).unwrap_or_default();
            let configuration =
                crate::plan::without_type_key(Kind::Destination, &info.configuration);
            let entry = self.connector(
                Kind::Destination,
                id,
                &key,
                &info.name,
                &info.destination_type,
                info.definition_id.as_ref().map(|id| id.as_str()),
                &configuration,
            );
            destinations.push((key, entry));
        }
        let mut connections = Vec::new();
        for (_, info) in &self.live.connections {
            let key = self
                .key(Kind::Connection, info.connection_id.as_str())
                .unwrap_or_default();
            let (Some(source), Some(destination)) = (
                self.key(Kind::Source, info.source_id.as_str()),
                self.key(Kind::Destination, info.destination_id.as_str()),
            ) else {
                unrepresentable.push(format!(
                    "connection {:?} uses a source or destination that is not in the workspace's lists",
                    info.name
                ));
                continue;
            };
            let mut entries = Self::name_entry(&key, &info.name);
            entries.push(("source", Out::str(source)));
            entries.push(("destination", Out::str(destination)));
            if matches!(
                info.status,
                ConnectionStatus::Active | ConnectionStatus::Inactive
            ) {
                entries.push(("status", Out::str(info.status.as_str())));
            }
            match schedule::observed(&info.schedule) {
                Ok(schedule) => entries.push(("schedule", Out::str(schedule.to_string()))),
                Err(message) => {
                    unrepresentable.push(format!("connection {:?}: {message}", info.name))
                }
            }
            entries.push(("prefix", Out::str(info.prefix.clone().unwrap_or_default())));
            let namespace = info
                .namespace_definition
                .clone()
                .unwrap_or(NamespaceDefinition::Destination);
            entries.push(("namespace", Out::str(namespace.as_str())));
            if namespace == NamespaceDefinition::CustomFormat
                && let Some(format) = &info.namespace_format
            {
                entries.push(("namespace_format", Out::str(format)));
            }
            if let Some(behavior) = &info.non_breaking_schema_updates_behavior {
                entries.push(("non_breaking_changes", Out::str(behavior.as_str())));
            }
            let mut tag_keys: Vec<String> = info
                .tags
                .iter()
                .filter_map(|tag| self.key(Kind::Tag, tag.tag_id.as_str()))
                .collect();
            tag_keys.sort();
            entries.push(("tags", Out::strs(tag_keys)));
            let mut streams: Vec<&airbyte_models::StreamConfiguration> =
                info.configurations.streams.iter().collect();
            streams.sort_by_key(|stream| {
                (
                    stream.name.clone(),
                    stream.namespace.clone().unwrap_or_default(),
                )
            });
            entries.push((
                "streams",
                Out::Seq(streams.into_iter().map(stream_out).collect()),
            ));
            connections.push((key, Out::map(entries)));
        }
        if !unrepresentable.is_empty() {
            return Err(Error::Unrepresentable {
                message: unrepresentable.join("; "),
            });
        }
        // Each resource goes back to the file that defines it; new ones to their section's
        // file. Every file that defined resources is written, so that none is defined twice.
        let mut by_file: BTreeMap<PathBuf, BTreeMap<Kind, Vec<(String, Out)>>> = BTreeMap::new();
        for kind in Kind::ALL {
            by_file
                .entry(section_file(kind))
                .or_default()
                .insert(kind, Vec::new());
        }
        for path in self.layout.into_iter().flat_map(BTreeMap::values) {
            by_file.entry(path.clone()).or_default();
        }
        for (kind, entries) in [
            (Kind::Tag, tags),
            (Kind::Definition, definitions),
            (Kind::Source, sources),
            (Kind::Destination, destinations),
            (Kind::Connection, connections),
        ] {
            counts.insert(kind, entries.len());
            for (key, entry) in entries {
                let file = self
                    .layout
                    .and_then(|layout| layout.get(&(kind, key.clone())))
                    .cloned()
                    .unwrap_or_else(|| section_file(kind));
                by_file
                    .entry(file)
                    .or_default()
                    .entry(kind)
                    .or_default()
                    .push((key, entry));
            }
        }
        for (path, sections) in by_file {
            let sections = sections
                .into_iter()
                .map(|(kind, mut entries)| {
                    entries.sort_by(|a, b| a.0.cmp(&b.0));
                    (kind.section().to_owned(), Out::Map(entries))
                })
                .collect();
            files.push((path, emit::document(HEADER, &Out::Map(sections))));
        }
        for ((kind, id), key) in &self.keys {
            let secrets = self
                .previous
                .of(*kind)
                .get(key)
                .filter(|locked| locked.id == *id)
                .map(|locked| locked.secrets.clone())
                .unwrap_or_default();
            lock.of_mut(*kind).insert(
                key.clone(),
                Locked {
                    id: id.clone(),
                    secrets,
                },
            );
        }
        let mut template = String::from(
            "# The environment variables that the secret references of these files read (written\n# by `airbyte export`). Set each one where `airbyte plan` and `airbyte apply` run (a CI\n# secret, a vault); never commit their values.\n",
        );
        for line in &self.template {
            template.push('\n');
            template.push_str(line);
        }
        files.push((PathBuf::from(TEMPLATE_FILE), template));
        files.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(Exported {
            files,
            lock,
            counts,
            variables: self.variables.into_iter().collect(),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn connector(
        &mut self,
        kind: Kind,
        id: &str,
        key: &str,
        name: &str,
        connector_type: &str,
        definition_id: Option<&str>,
        configuration: &Value,
    ) -> Out {
        let mut entries = Self::name_entry(key, name);
        let custom = definition_id.and_then(|id| self.key(Kind::Definition, id));
        if let Some(definition) = custom {
            entries.push(("definition", Out::str(definition)));
        } else if !connector_type.is_empty() || definition_id.is_none() {
            entries.push(("type", Out::str(connector_type)));
        } else if let Some(id) = definition_id {
            entries.push(("definition_id", Out::str(id)));
        }
        let mut written = secrets::escape_all(configuration);
        for pointer in self.secret_pointers(kind, id, key, configuration) {
            let reference = self.reference(kind, key, name, &pointer);
            if let Some(slot) = written.pointer_mut(&pointer) {
                *slot = Value::String(reference);
            }
        }
        entries.push(("configuration", Out::from(&written)));
        Out::map(entries)
    }

    /// The manifest file the directory's files use for a YAML definition, when it is a file
    /// below the directory (never above it, never at its top, where it would be read as a
    /// workspace file).
    fn manifest_file(&self, key: &str) -> Option<PathBuf> {
        let spec = self.existing?.definitions.get(key)?;
        let DefinitionBody::Yaml {
            manifest_file: Some(path),
            ..
        } = &spec.body
        else {
            return None;
        };
        let below = path.components().count() > 1
            && path
                .components()
                .all(|component| matches!(component, std::path::Component::Normal(_)));
        below.then(|| path.clone())
    }

    /// Where a live configuration holds secrets, which the files hold as references: what the
    /// server masks; what it shows but the lock file or the directory's files know as a
    /// secret (a reference applied to a field the server does not mask); and what the reader
    /// would refuse as a secret written as it is (a value under a secret-looking key that a
    /// server did not mask, a URL with a password).
    fn secret_pointers(
        &self,
        kind: Kind,
        id: &str,
        key: &str,
        configuration: &Value,
    ) -> BTreeSet<String> {
        let mut pointers = Vec::new();
        diff::collect_masked(configuration, String::new(), &mut pointers);
        pointers.extend(
            secrets::literal_secrets(configuration)
                .into_iter()
                .map(|(pointer, _)| pointer),
        );
        if let Some(locked) = self
            .previous
            .of(kind)
            .get(key)
            .filter(|locked| locked.id == id)
        {
            pointers.extend(locked.secrets.keys().cloned());
        }
        if let Some(desired) = self.existing {
            let specs = if kind == Kind::Source {
                &desired.sources
            } else {
                &desired.destinations
            };
            if let Some(spec) = specs.get(key) {
                pointers.extend(
                    secrets::references(&spec.configuration)
                        .into_iter()
                        .filter(|(_, reference)| reference.is_ok())
                        .map(|(pointer, _)| pointer),
                );
            }
        }
        pointers
            .into_iter()
            .filter(|pointer| {
                configuration
                    .pointer(pointer)
                    .is_some_and(|value| !value.is_null())
            })
            .collect()
    }

    /// The reference of a secret: the one the files already use there, else a new variable.
    fn reference(&mut self, kind: Kind, key: &str, name: &str, pointer: &str) -> String {
        let existing = self.existing.and_then(|desired| {
            let specs = if kind == Kind::Source {
                &desired.sources
            } else {
                &desired.destinations
            };
            specs
                .get(key)?
                .configuration
                .pointer(pointer)
                .and_then(Value::as_str)
                .and_then(|text| {
                    matches!(secrets::parse_reference(text), Some(Ok(_))).then(|| text.to_owned())
                })
        });
        let field = pointer.trim_start_matches('/').replace('/', ".");
        let what = format!("{kind} {name:?}, configuration.{field}");
        let reference = match existing {
            Some(reference) => reference,
            None => {
                let base = variable_name(&format!("{kind}_{key}_{field}"));
                let mut variable = base.clone();
                let mut count = 1;
                while self.variables.contains(&variable) || self.reserved.contains(&variable) {
                    count += 1;
                    variable = format!("{base}_{count}");
                }
                SecretRef::Env(variable).to_string()
            }
        };
        match secrets::parse_reference(&reference) {
            Some(Ok(SecretRef::Env(variable))) if self.variables.insert(variable.clone()) => {
                self.template.push(format!("# {what}\n{variable}=\n"));
            }
            Some(Ok(SecretRef::File(path))) => {
                self.template
                    .push(format!("# {what}: read from the file {}\n", path.display()));
            }
            _ => {}
        }
        debug_assert_ne!(reference, SERVER_SECRET_MASK);
        reference
    }
}

/// A stream as the files write it.
fn stream_out(stream: &airbyte_models::StreamConfiguration) -> Out {
    let mut entries = vec![("name", Out::str(&stream.name))];
    if let Some(namespace) = &stream.namespace {
        entries.push(("namespace", Out::str(namespace)));
    }
    if let Some(mode) = &stream.sync_mode {
        entries.push(("sync_mode", Out::str(mode.as_str())));
    }
    if let Some(cursor) = stream
        .cursor_field
        .as_ref()
        .filter(|cursor| !cursor.is_empty())
    {
        entries.push(("cursor_field", Out::strs(cursor.clone())));
    }
    if let Some(key) = &stream.primary_key {
        entries.push((
            "primary_key",
            Out::Seq(key.iter().map(|path| Out::strs(path.clone())).collect()),
        ));
    }
    if let Some(fields) = &stream.selected_fields {
        let mut paths: Vec<Vec<String>> = fields
            .iter()
            .filter_map(|field| field.field_path.clone())
            .collect();
        paths.sort();
        if !paths.is_empty() {
            entries.push((
                "selected_fields",
                Out::Seq(paths.into_iter().map(Out::strs).collect()),
            ));
        }
    }
    if let Some(include) = stream.include_files {
        entries.push(("include_files", Out::Bool(include)));
    }
    if let Some(name) = &stream.destination_object_name {
        entries.push(("destination_object_name", Out::str(name)));
    }
    let mappers = diff::live_mappers(stream);
    if !mappers.is_empty() {
        entries.push(("mappers", Out::from(&Value::Array(mappers))));
    }
    Out::map(entries)
}

/// Every environment variable the secrets of sources and destinations refer to.
fn env_variables(desired: &Desired) -> BTreeSet<String> {
    desired
        .sources
        .values()
        .chain(desired.destinations.values())
        .flat_map(|spec| secrets::references(&spec.configuration).into_values())
        .filter_map(|reference| match reference {
            Ok(SecretRef::Env(variable)) => Some(variable),
            _ => None,
        })
        .collect()
}

/// The file an export writes a kind's new resources to (`sources.yaml`, ...).
fn section_file(kind: Kind) -> PathBuf {
    PathBuf::from(format!("{}.yaml", kind.section()))
}

/// An environment variable name from text: upper case, `_` between words.
fn variable_name(text: &str) -> String {
    let mut name = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_uppercase());
        } else if !name.ends_with('_') {
            name.push('_');
        }
    }
    let name = name.trim_matches('_').to_owned();
    if name.starts_with(|c: char| c.is_ascii_digit()) || name.is_empty() {
        format!("_{name}")
    } else {
        name
    }
}

/// A file name from a key: lower case, `-` between words.
fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_owned();
    if slug.is_empty() {
        "definition".to_owned()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use airbyte_models::ConnectionResponse;
    use serde_json::json;

    use super::*;

    /// A workspace of one source, one destination and connections with these basic
    /// schedules, as listed (no server: nothing is requested).
    fn live_with_basic_schedules(timings: &[&str]) -> Live {
        let workspace = CloudWorkspace::builder()
            .api_root("http://127.0.0.1:9/api/public/v1")
            .workspace_id("w")
            .bearer_token("t")
            .build()
            .unwrap();
        let source: airbyte_models::SourceResponse = serde_json::from_value(json!({
            "sourceId": "s", "name": "src", "sourceType": "faker", "definitionId": "d",
            "workspaceId": "w", "configuration": {}, "createdAt": 1
        }))
        .unwrap();
        let destination: airbyte_models::DestinationResponse = serde_json::from_value(json!({
            "destinationId": "t", "name": "dst", "destinationType": "dev-null", "definitionId": "e",
            "workspaceId": "w", "configuration": {}, "createdAt": 1
        }))
        .unwrap();
        let mut live = Live::default();
        live.sources.push((workspace.source("s").unwrap(), source));
        live.destinations
            .push((workspace.destination("t").unwrap(), destination));
        for (index, timing) in timings.iter().enumerate() {
            let connection: ConnectionResponse = serde_json::from_value(json!({
                "connectionId": format!("c{index}"), "name": format!("every {timing}"),
                "sourceId": "s", "destinationId": "t", "workspaceId": "w", "status": "active",
                "schedule": {"scheduleType": "basic", "basicTiming": timing},
                "configurations": {"streams": [{"name": "users"}]}, "createdAt": 1
            }))
            .unwrap();
            live.connections.push((
                workspace.connection(format!("c{index}")).unwrap(),
                connection,
            ));
        }
        live
    }

    #[test]
    fn basic_schedules_are_exported_as_the_equivalent_cron() {
        let live = live_with_basic_schedules(&["Every 24 HOURS", "Every 30 MINUTES"]);
        let lock = WorkspaceLock::default();
        let exported = Exporter::new(&live, &lock, None).build().unwrap();
        let (_, connections) = exported
            .files
            .iter()
            .find(|(path, _)| path.as_os_str() == "connections.yaml")
            .unwrap();
        assert!(
            connections.contains("schedule: \"0 0 0 * * ?\""),
            "{connections}"
        );
        assert!(
            connections.contains("schedule: \"0 0/30 * * * ?\""),
            "{connections}"
        );
    }

    #[test]
    fn basic_schedules_without_a_cron_equivalent_refuse_the_export_naming_each() {
        let live = live_with_basic_schedules(&["Every 7 HOURS", "Every 24 HOURS", "Every 2 DAYS"]);
        let lock = WorkspaceLock::default();
        let Err(error) = Exporter::new(&live, &lock, None).build() else {
            panic!("the export must refuse")
        };
        let text = error.to_string();
        assert!(matches!(error, Error::Unrepresentable { .. }));
        assert!(text.contains("\"every Every 7 HOURS\""), "{text}");
        assert!(text.contains("\"every Every 2 DAYS\""), "{text}");
        assert!(!text.contains("24 HOURS"), "{text}");
    }

    #[test]
    fn secrets_a_server_shows_unmasked_are_written_as_references() {
        // A server masks by the connector's specification: a secret field the specification
        // does not mark, or a password inside a URL, comes back as it is.
        let mut live = live_with_basic_schedules(&[]);
        let configuration = json!({
            "count": 1,
            "api_token": "plain-token-value",
            "jdbc_url": "postgres://app:plain-url-password@db:5432/shop",
            "jdbc_url_params": "password=plain-param-password&ssl=true",
            "credentials": {"auth_type": "oauth", "client_secret": "plain-client-secret"},
            "api_keys": ["plain-key-one"],
        });
        live.sources[0].1.configuration = serde_json::from_value(configuration).unwrap();
        let lock = WorkspaceLock::default();
        let exported = Exporter::new(&live, &lock, None).build().unwrap();
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in &exported.files {
            assert!(!text.contains("plain-"), "{path:?}: {text}");
            std::fs::create_dir_all(dir.path().join(path).parent().unwrap()).unwrap();
            std::fs::write(dir.path().join(path), text).unwrap();
        }
        let (_, sources) = exported
            .files
            .iter()
            .find(|(path, _)| path.as_os_str() == "sources.yaml")
            .unwrap();
        for reference in [
            "api_token: \"${env:SOURCE_SRC_API_TOKEN}\"",
            "jdbc_url: \"${env:SOURCE_SRC_JDBC_URL}\"",
            "jdbc_url_params: \"${env:SOURCE_SRC_JDBC_URL_PARAMS}\"",
            "client_secret: \"${env:SOURCE_SRC_CREDENTIALS_CLIENT_SECRET}\"",
            "auth_type: oauth",
            "api_keys: [\"${env:SOURCE_SRC_API_KEYS_0}\"]",
        ] {
            assert!(sources.contains(reference), "{reference}: {sources}");
        }
        // The files read back: no secret written as it is.
        crate::read::WorkspaceFiles::read_without_secrets(dir.path()).unwrap();
    }

    #[test]
    fn a_new_variable_never_takes_the_name_a_file_already_uses_for_another_secret() {
        let mut live = live_with_basic_schedules(&[]);
        let (handle, first) = live.sources[0].clone();
        let mut second = first.clone();
        second.source_id = airbyte_models::SourceId::new("s2").unwrap();
        second.name = "b".to_owned();
        let mut first = first;
        first.name = "a".to_owned();
        for info in [&mut first, &mut second] {
            info.configuration =
                serde_json::from_value(json!({"password": SERVER_SECRET_MASK})).unwrap();
        }
        live.sources = vec![(handle.clone(), first), (handle, second)];
        // The files chose, for source "b", the name a new variable of source "a" would get.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("sources.yaml"),
            "sources:\n  b:\n    type: faker\n    configuration:\n      password: ${env:SOURCE_A_PASSWORD}\n",
        )
        .unwrap();
        let existing = crate::read::read_existing(dir.path()).unwrap();
        let lock = WorkspaceLock::default();
        let exported = Exporter::new(&live, &lock, Some(&existing))
            .build()
            .unwrap();
        let (_, sources) = exported
            .files
            .iter()
            .find(|(path, _)| path.as_os_str() == "sources.yaml")
            .unwrap();
        assert!(
            sources.contains("  a:\n    type: faker\n    configuration:\n      password: \"${env:SOURCE_A_PASSWORD_2}\""),
            "{sources}"
        );
        assert!(
            sources.contains("  b:\n    type: faker\n    configuration:\n      password: \"${env:SOURCE_A_PASSWORD}\""),
            "{sources}"
        );
        assert_eq!(
            exported.variables,
            ["SOURCE_A_PASSWORD", "SOURCE_A_PASSWORD_2"]
        );
    }

    #[test]
    fn names_become_variables_and_file_names() {
        assert_eq!(
            variable_name("source_Orders database_credentials.password"),
            "SOURCE_ORDERS_DATABASE_CREDENTIALS_PASSWORD"
        );
        assert_eq!(variable_name("→"), "_");
        assert_eq!(slugify("Rick and Morty (YAML)"), "rick-and-morty-yaml");
        assert_eq!(slugify("→"), "definition");
    }
}
