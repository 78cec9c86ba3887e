//! Reading a directory of files into the desired state, finding every problem at once.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use airbyte_cloud::cron::QuartzCron;
use airbyte_models::{
    ConnectionStatus, ConnectionSyncMode, DefinitionId, NamespaceDefinition,
    NonBreakingSchemaUpdatesBehavior,
};
use serde_json::Value;

use crate::error::{Error, Problems, Result};
use crate::model::{
    ConnectionSpec, ConnectorRef, ConnectorSpec, DefinitionBody, DefinitionSpec, Desired, Kind,
    Origin, ScheduleSpec, StreamSpec, TagSpec,
};
use crate::secrets::{self, Environment, Literal, Resolved};
use crate::yaml::{self, Entry, Node, NodeValue};

/// The files of a workspace, read and checked: the desired state and every secret's value.
pub struct WorkspaceFiles {
    directory: PathBuf,
    desired: Desired,
    resolved: BTreeMap<(Kind, String), Resolved>,
}

impl std::fmt::Debug for WorkspaceFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkspaceFiles")
            .field("directory", &self.directory)
            .field("resources", &self.desired.len())
            .finish_non_exhaustive()
    }
}

impl WorkspaceFiles {
    /// Reads every `*.yaml` and `*.yml` file at the top of `directory` (each holds any of the
    /// sections `tags`, `definitions`, `sources`, `destinations` and `connections`), and
    /// checks them all before anything is sent: syntax, unknown fields, values, duplicate keys
    /// and names, references to resources that are not defined, cron expressions, manifests,
    /// and every secret reference (the variable is set, the file can be read).
    ///
    /// # Errors
    ///
    /// [`Error::Invalid`] listing every problem with its file and line; [`Error::Io`] when
    /// the directory cannot be read.
    pub fn read(directory: impl AsRef<Path>, environment: &dyn Environment) -> Result<Self> {
        let directory = directory.as_ref().to_path_buf();
        let mut problems = Problems::default();
        let desired = read_desired(&directory, &mut problems)?;
        let mut resolved = BTreeMap::new();
        for (kind, specs) in [
            (Kind::Source, &desired.sources),
            (Kind::Destination, &desired.destinations),
        ] {
            for (key, spec) in specs {
                match secrets::resolve(&spec.configuration, &directory, environment) {
                    Ok(values) => {
                        resolved.insert((kind, key.clone()), values);
                    }
                    Err(found) => {
                        for (pointer, message) in found {
                            let line = spec
                                .secret_lines
                                .get(&pointer)
                                .copied()
                                .unwrap_or(spec.origin.line);
                            problems.push(
                                Origin {
                                    file: spec.origin.file.clone(),
                                    line,
                                },
                                format!("{kind} {key:?}, configuration{pointer}: {message}"),
                            );
                        }
                    }
                }
            }
        }
        problems.into_result()?;
        Ok(Self {
            directory,
            desired,
            resolved,
        })
    }

    /// Reads the files without reading secrets (export uses it to keep the references already
    /// chosen). Problems other than secrets are still errors.
    ///
    /// # Errors
    ///
    /// As [`WorkspaceFiles::read`], without the secret checks.
    pub fn read_without_secrets(directory: impl AsRef<Path>) -> Result<Desired> {
        let mut problems = Problems::default();
        let desired = read_desired(directory.as_ref(), &mut problems)?;
        problems.into_result()?;
        Ok(desired)
    }

    /// The directory.
    #[must_use]
    pub fn directory(&self) -> &Path {
        &self.directory
    }

    /// The desired state.
    #[must_use]
    pub fn desired(&self) -> &Desired {
        &self.desired
    }

    /// The configuration of a source or destination with its secrets read.
    #[must_use]
    pub fn resolved(&self, kind: Kind, key: &str) -> Option<&Resolved> {
        self.resolved.get(&(kind, key.to_owned()))
    }
}

/// The YAML files of a directory, sorted by name.
pub(crate) fn yaml_files(directory: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(directory).map_err(|error| Error::io(directory, error))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| Error::io(directory, error))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_yaml = path
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml");
        if is_yaml && !name.starts_with('.') && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// What an export keeps of a directory's files: the resources as far as they can be read (the
/// references their secrets use), and the file that defines each key, so that an export
/// writes every resource back where it is and never defines one twice.
pub(crate) struct Existing {
    pub(crate) desired: Desired,
    pub(crate) files: BTreeMap<(Kind, String), PathBuf>,
}

/// Reads a directory for an export. Problems of resources are tolerated (an export may well
/// repair them); a file that is not YAML is not, since the resources it defines are unknown.
pub(crate) fn read_existing(directory: &Path) -> Result<Existing> {
    let mut files = BTreeMap::new();
    let mut syntax = Problems::default();
    for path in yaml_files(directory)? {
        let relative = path.strip_prefix(directory).unwrap_or(&path).to_path_buf();
        let text = read_text(&path, MAX_FILE_BYTES)?;
        let root = match yaml::parse(&text) {
            Ok(Some(root)) => root,
            Ok(None) => continue,
            Err(error) => {
                syntax.push(
                    Origin {
                        file: relative,
                        line: error.line,
                    },
                    format!("{} (an export cannot tell which resources this file defines: fix it, or export into another directory)", error.message),
                );
                continue;
            }
        };
        let NodeValue::Map(sections) = &root.value else {
            continue;
        };
        for kind in Kind::ALL {
            let Some(section) = sections.iter().find(|entry| entry.key == kind.section()) else {
                continue;
            };
            if let NodeValue::Map(entries) = &section.value.value {
                for entry in entries {
                    files
                        .entry((kind, entry.key.clone()))
                        .or_insert_with(|| relative.clone());
                }
            }
        }
    }
    syntax.into_result()?;
    let mut ignored = Problems::default();
    let desired = read_desired(directory, &mut ignored)?;
    Ok(Existing { desired, files })
}

/// The largest workspace file or manifest read (a hostile directory cannot exhaust memory).
pub(crate) const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A text file, refused when it is not a regular file (a device such as `/dev/zero`, a FIFO
/// that never ends) or larger than `limit` bytes.
pub(crate) fn read_text(path: &Path, limit: u64) -> Result<String> {
    bounded_text(path, limit).map_err(|error| Error::io(path, error))
}

/// As [`read_text`], with the `io::Error` alone.
pub(crate) fn bounded_text(path: &Path, limit: u64) -> std::io::Result<String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let mut text = String::new();
    file.take(limit + 1).read_to_string(&mut text)?;
    if text.len() as u64 > limit {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!("larger than {limit} bytes"),
        ));
    }
    Ok(text)
}

fn read_desired(directory: &Path, problems: &mut Problems) -> Result<Desired> {
    let mut desired = Desired::default();
    let mut seen: BTreeMap<(Kind, String), Origin> = BTreeMap::new();
    let mut references = Vec::new();
    for path in yaml_files(directory)? {
        let relative = path.strip_prefix(directory).unwrap_or(&path).to_path_buf();
        let text = read_text(&path, MAX_FILE_BYTES)?;
        let mut reader = Reader {
            directory,
            file: relative,
            problems: &mut *problems,
            references: &mut references,
        };
        let root = match yaml::parse(&text) {
            Ok(Some(root)) => root,
            Ok(None) => continue,
            Err(error) => {
                reader.problem(error.line, error.message);
                continue;
            }
        };
        reader.file_sections(&root, &mut desired, &mut seen);
    }
    check_references(&desired, &references, problems);
    check_names(&desired, problems);
    Ok(desired)
}

/// Reads one file, recording problems.
struct Reader<'a> {
    directory: &'a Path,
    file: PathBuf,
    problems: &'a mut Problems,
    /// What connections refer to, recorded even when a connection has other problems, so
    /// that every problem is found in one read.
    references: &'a mut Vec<Reference>,
}

/// A reference from a connection to a resource of another kind.
struct Reference {
    from: String,
    kind: Kind,
    key: String,
    origin: Origin,
}

/// The fields of one mapping: lookups, and unknown fields reported.
struct Fields<'n> {
    entries: &'n [Entry],
}

impl<'n> Fields<'n> {
    fn get(&self, name: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|entry| entry.key == name)
            .map(|entry| &entry.value)
    }
}

impl Reader<'_> {
    fn origin(&self, line: usize) -> Origin {
        Origin {
            file: self.file.clone(),
            line,
        }
    }

    fn problem(&mut self, line: usize, message: impl Into<String>) {
        let origin = self.origin(line);
        self.problems.push(origin, message);
    }

    /// The entries of a mapping node, with unknown fields reported; `None` (reported) when the
    /// node is not a mapping.
    fn fields<'n>(&mut self, node: &'n Node, what: &str, known: &[&str]) -> Option<Fields<'n>> {
        let NodeValue::Map(entries) = &node.value else {
            self.problem(
                node.line,
                format!("{what} must be a mapping, not {}", node.describe()),
            );
            return None;
        };
        for entry in entries {
            if !known.contains(&entry.key.as_str()) {
                self.problem(
                    entry.line,
                    format!(
                        "unknown field {:?} in {what} (known fields: {})",
                        entry.key,
                        known.join(", ")
                    ),
                );
            }
        }
        Some(Fields { entries })
    }

    /// Text that must not be blank.
    fn string(&mut self, node: &Node, what: &str) -> Option<String> {
        let text = self.text(node, what)?;
        if text.trim().is_empty() {
            self.problem(node.line, format!("{what} must not be empty"));
            return None;
        }
        Some(text)
    }

    /// Any text, empty included (prefixes may be empty).
    fn text(&mut self, node: &Node, what: &str) -> Option<String> {
        if let NodeValue::Str(text) = &node.value {
            return Some(text.clone());
        }
        self.problem(
            node.line,
            format!("{what} must be text, not {}", node.describe()),
        );
        None
    }

    fn boolean(&mut self, node: &Node, what: &str) -> Option<bool> {
        if let NodeValue::Bool(flag) = node.value {
            return Some(flag);
        }
        self.problem(
            node.line,
            format!("{what} must be true or false, not {}", node.describe()),
        );
        None
    }

    /// A value of a closed list (`status: active`).
    fn choice<T>(
        &mut self,
        node: &Node,
        what: &str,
        choices: &[&str],
        make: impl Fn(&str) -> T,
    ) -> Option<T> {
        let text = self.string(node, what)?;
        if choices.contains(&text.as_str()) {
            return Some(make(&text));
        }
        self.problem(
            node.line,
            format!("{what} {text:?} is not one of: {}", choices.join(", ")),
        );
        None
    }

    /// A field path: `[a, b]`, or `a` for a top-level field.
    fn path(&mut self, node: &Node, what: &str) -> Option<Vec<String>> {
        match &node.value {
            NodeValue::Str(text) if !text.is_empty() => Some(vec![text.clone()]),
            NodeValue::Seq(items) if !items.is_empty() => {
                let mut path = Vec::new();
                for item in items {
                    path.push(self.string(item, what)?);
                }
                Some(path)
            }
            _ => {
                self.problem(
                    node.line,
                    format!(
                        "{what} must be a field path such as [updated_at] or [data, id], not {}",
                        node.describe()
                    ),
                );
                None
            }
        }
    }

    fn paths(&mut self, node: &Node, what: &str) -> Option<Vec<Vec<String>>> {
        let NodeValue::Seq(items) = &node.value else {
            self.problem(
                node.line,
                format!(
                    "{what} must be a list of field paths such as [[id], [data, key]], not {}",
                    node.describe()
                ),
            );
            return None;
        };
        let mut paths = Vec::new();
        for item in items {
            paths.push(self.path(item, what)?);
        }
        Some(paths)
    }

    fn json(&mut self, node: &Node) -> Option<Value> {
        match node.to_json() {
            Ok(value) => Some(value),
            Err(error) => {
                self.problem(error.line, error.message);
                None
            }
        }
    }

    fn file_sections(
        &mut self,
        root: &Node,
        desired: &mut Desired,
        seen: &mut BTreeMap<(Kind, String), Origin>,
    ) {
        let sections: Vec<&str> = Kind::ALL.iter().map(|kind| kind.section()).collect();
        let Some(fields) = self.fields(root, "a workspace file", &sections) else {
            return;
        };
        for kind in Kind::ALL {
            let Some(section) = fields.get(kind.section()) else {
                continue;
            };
            let entries = match &section.value {
                NodeValue::Map(entries) => entries.as_slice(),
                NodeValue::Null => &[],
                _ => {
                    self.problem(
                        section.line,
                        format!(
                            "{} must be a mapping of resources by name, not {}",
                            kind.section(),
                            section.describe()
                        ),
                    );
                    continue;
                }
            };
            for entry in entries {
                let origin = self.origin(entry.line);
                if entry.key.trim().is_empty() {
                    self.problem(entry.line, format!("a {kind} needs a non-empty name"));
                    continue;
                }
                if let Some(first) = seen.get(&(kind, entry.key.clone())) {
                    self.problem(
                        entry.line,
                        format!("{kind} {:?} is defined twice (first at {first})", entry.key),
                    );
                    continue;
                }
                seen.insert((kind, entry.key.clone()), origin.clone());
                let key = entry.key.clone();
                match kind {
                    Kind::Tag => {
                        if let Some(spec) = self.tag(&key, &entry.value, origin) {
                            desired.tags.insert(key, spec);
                        }
                    }
                    Kind::Definition => {
                        if let Some(spec) = self.definition(&key, &entry.value, origin) {
                            desired.definitions.insert(key, spec);
                        }
                    }
                    Kind::Source | Kind::Destination => {
                        if let Some(spec) = self.connector(kind, &key, &entry.value, origin) {
                            if kind == Kind::Source {
                                desired.sources.insert(key, spec);
                            } else {
                                desired.destinations.insert(key, spec);
                            }
                        }
                    }
                    Kind::Connection => {
                        if let Some(spec) = self.connection(&key, &entry.value, origin) {
                            desired.connections.insert(key, spec);
                        }
                    }
                }
            }
        }
    }

    fn name(&mut self, fields: &Fields<'_>, kind: Kind, key: &str) -> Option<String> {
        let node = fields.get("name")?;
        let name = self.string(node, &format!("the name of {kind} {key:?}"))?;
        (name != key).then_some(name)
    }

    fn tag(&mut self, key: &str, node: &Node, origin: Origin) -> Option<TagSpec> {
        let what = format!("tag {key:?}");
        let fields = self.fields(node, &what, &["name", "color"])?;
        let name = self.name(&fields, Kind::Tag, key);
        let Some(color_node) = fields.get("color") else {
            self.problem(node.line, format!("{what} needs a color (such as E53935)"));
            return None;
        };
        let color = match &color_node.value {
            NodeValue::Int(number) => number.to_string(),
            _ => self.string(color_node, &format!("the color of {what}"))?,
        };
        let shown = name.clone().unwrap_or_else(|| key.to_owned());
        if let Err(error) = airbyte_cloud::check_tag(&shown, &color) {
            self.problem(
                color_node.line.min(node.line).max(origin.line),
                format!("{what}: {error}"),
            );
            return None;
        }
        Some(TagSpec {
            name,
            color: color.to_ascii_uppercase(),
            origin,
        })
    }

    fn definition(&mut self, key: &str, node: &Node, origin: Origin) -> Option<DefinitionSpec> {
        let what = format!("definition {key:?}");
        let fields = self.fields(
            node,
            &what,
            &[
                "name",
                "manifest",
                "manifest_file",
                "docker_repository",
                "docker_image_tag",
                "documentation_url",
            ],
        )?;
        let name = self.name(&fields, Kind::Definition, key);
        let manifest = fields.get("manifest");
        let manifest_file = fields.get("manifest_file");
        let repository = fields.get("docker_repository");
        let body = match (manifest, manifest_file, repository) {
            (Some(_), Some(file), _) => {
                self.problem(
                    file.line,
                    format!("{what} has both manifest and manifest_file: keep one"),
                );
                return None;
            }
            (Some(_), None, Some(repository)) | (None, Some(_), Some(repository)) => {
                self.problem(
                    repository.line,
                    format!(
                        "{what} has a manifest and a Docker image: a definition is one or the other"
                    ),
                );
                return None;
            }
            (Some(manifest), None, None) => {
                let value = self.json(manifest)?;
                self.manifest(&what, manifest.line, value, None)?
            }
            (None, Some(file), None) => {
                let path =
                    PathBuf::from(self.string(file, &format!("the manifest_file of {what}"))?);
                let full = self.directory.join(&path);
                let text = match bounded_text(&full, MAX_FILE_BYTES) {
                    Ok(text) => text,
                    Err(error) => {
                        self.problem(
                            file.line,
                            format!(
                                "cannot read the manifest of {what}, {}: {error}",
                                path.display()
                            ),
                        );
                        return None;
                    }
                };
                let parsed = yaml::parse(&text)
                    .and_then(|node| node.map_or(Ok(Value::Null), |node| node.to_json()));
                let value = match parsed {
                    Ok(value) => value,
                    Err(error) => {
                        let origin = Origin {
                            file: path.clone(),
                            line: error.line,
                        };
                        self.problems.push(origin, error.message);
                        return None;
                    }
                };
                self.manifest(&what, file.line, value, Some(path))?
            }
            (None, None, Some(repository)) => {
                let repository =
                    self.string(repository, &format!("the docker_repository of {what}"))?;
                let Some(tag) = fields.get("docker_image_tag") else {
                    self.problem(node.line, format!("{what} needs a docker_image_tag"));
                    return None;
                };
                let tag = match &tag.value {
                    NodeValue::Int(number) => number.to_string(),
                    NodeValue::Float(number) => number.to_string(),
                    _ => self.string(tag, &format!("the docker_image_tag of {what}"))?,
                };
                let documentation_url = match fields.get("documentation_url") {
                    Some(url) => {
                        Some(self.string(url, &format!("the documentation_url of {what}"))?)
                    }
                    None => None,
                };
                DefinitionBody::Docker {
                    repository,
                    tag,
                    documentation_url,
                }
            }
            (None, None, None) => {
                self.problem(
                    node.line,
                    format!("{what} needs a manifest (manifest or manifest_file) or a Docker image (docker_repository and docker_image_tag)"),
                );
                return None;
            }
        };
        if matches!(body, DefinitionBody::Yaml { .. }) {
            for field in ["docker_image_tag", "documentation_url"] {
                if let Some(node) = fields.get(field) {
                    self.problem(
                        node.line,
                        format!("{field} belongs to Docker definitions, not to the YAML {what}"),
                    );
                }
            }
        }
        Some(DefinitionSpec { name, body, origin })
    }

    fn manifest(
        &mut self,
        what: &str,
        line: usize,
        value: Value,
        manifest_file: Option<PathBuf>,
    ) -> Option<DefinitionBody> {
        if let Err(error) = airbyte_cloud::Manifest::from_json(value.clone()).validate() {
            self.problem(line, format!("the manifest of {what}: {error}"));
            return None;
        }
        Some(DefinitionBody::Yaml {
            manifest: value,
            manifest_file,
        })
    }

    fn connector(
        &mut self,
        kind: Kind,
        key: &str,
        node: &Node,
        origin: Origin,
    ) -> Option<ConnectorSpec> {
        let what = format!("{kind} {key:?}");
        let fields = self.fields(
            node,
            &what,
            &[
                "name",
                "type",
                "definition",
                "definition_id",
                "configuration",
            ],
        )?;
        let name = self.name(&fields, kind, key);
        let choices: Vec<(&str, &Node)> = ["type", "definition", "definition_id"]
            .into_iter()
            .filter_map(|field| fields.get(field).map(|node| (field, node)))
            .collect();
        let connector = match choices.as_slice() {
            [("type", node)] => {
                let text = self.string(node, &format!("the type of {what}"))?;
                let prefix = format!("{kind}-");
                ConnectorRef::Type(text.strip_prefix(&prefix).unwrap_or(&text).to_owned())
            }
            [("definition", node)] => {
                ConnectorRef::Definition(self.string(node, &format!("the definition of {what}"))?)
            }
            [("definition_id", node)] => {
                let text = self.string(node, &format!("the definition_id of {what}"))?;
                match DefinitionId::new(&text) {
                    Ok(id) => ConnectorRef::DefinitionId(id),
                    Err(error) => {
                        self.problem(node.line, format!("{what}: {error}"));
                        return None;
                    }
                }
            }
            [] => {
                self.problem(
                    node.line,
                    format!("{what} needs a type (such as postgres), or the definition of these files it runs"),
                );
                return None;
            }
            [_, (_, second), ..] => {
                self.problem(
                    second.line,
                    format!("{what} names its connector twice: keep one of type, definition and definition_id"),
                );
                return None;
            }
            [(_, _)] => return None,
        };
        let configuration_node = fields.get("configuration");
        let configuration = match configuration_node {
            Some(node) => {
                let value = self.json(node)?;
                if !value.is_object() {
                    self.problem(
                        node.line,
                        format!(
                            "the configuration of {what} must be a mapping, not {}",
                            node.describe()
                        ),
                    );
                    return None;
                }
                value
            }
            None => Value::Object(serde_json::Map::new()),
        };
        let mut secret_lines = BTreeMap::new();
        for (pointer, reference) in secrets::references(&configuration) {
            let line = configuration_node.map_or(node.line, |node| node.line_of(&pointer));
            if let Err(message) = reference {
                self.problem(line, format!("{what}, configuration{pointer}: {message}"));
            }
            secret_lines.insert(pointer, line);
        }
        if let Some(node) = configuration_node {
            for (pointer, literal) in secrets::literal_secrets(&configuration) {
                let what_is_written = match literal {
                    Literal::SecretKey => "a secret is written as it is",
                    Literal::UrlPassword => "a URL is written with its password",
                    Literal::Parameter => "a secret connection parameter is written as it is",
                };
                self.problem(
                    node.line_of(&pointer),
                    format!("{what}, configuration{pointer}: {what_is_written}; write a reference instead (${{env:VAR}} or ${{file:PATH}}, holding the whole value), so that it never reaches version control"),
                );
            }
        }
        Some(ConnectorSpec {
            name,
            connector,
            configuration,
            origin,
            secret_lines,
        })
    }

    fn connection(&mut self, key: &str, node: &Node, origin: Origin) -> Option<ConnectionSpec> {
        let what = format!("connection {key:?}");
        let fields = self.fields(
            node,
            &what,
            &[
                "name",
                "source",
                "destination",
                "status",
                "schedule",
                "prefix",
                "namespace",
                "namespace_format",
                "non_breaking_changes",
                "tags",
                "streams",
            ],
        )?;
        let name = self.name(&fields, Kind::Connection, key);
        let mut ok = true;
        let mut required = |reader: &mut Self, field: &str| -> Option<String> {
            let found = match fields.get(field) {
                Some(node) => reader.string(node, &format!("the {field} of {what}")),
                None => {
                    reader.problem(
                        node.line,
                        format!("{what} needs a {field} (its name in these files)"),
                    );
                    None
                }
            };
            ok &= found.is_some();
            found
        };
        let source = required(self, "source");
        let destination = required(self, "destination");
        for (field, kind, value) in [
            ("source", Kind::Source, &source),
            ("destination", Kind::Destination, &destination),
        ] {
            if let (Some(value), Some(node)) = (value, fields.get(field)) {
                let origin = self.origin(node.line);
                self.references.push(Reference {
                    from: key.to_owned(),
                    kind,
                    key: value.clone(),
                    origin,
                });
            }
        }
        let status = fields.get("status").and_then(|node| {
            self.choice(
                node,
                &format!("the status of {what}"),
                &["active", "inactive"],
                |text| ConnectionStatus::from(text),
            )
        });
        let schedule = match fields.get("schedule") {
            Some(node) => {
                let text = self.string(node, &format!("the schedule of {what}"))?;
                if text == "manual" {
                    Some(ScheduleSpec::Manual)
                } else {
                    match QuartzCron::parse(&text) {
                        Ok(cron) => Some(ScheduleSpec::Cron(cron)),
                        Err(error) => {
                            self.problem(
                                node.line,
                                format!("the schedule of {what} is `manual` or a Quartz cron expression: {error}"),
                            );
                            ok = false;
                            None
                        }
                    }
                }
            }
            None => None,
        };
        let prefix = fields
            .get("prefix")
            .and_then(|node| self.text(node, &format!("the prefix of {what}")));
        let namespace = fields.get("namespace").and_then(|node| {
            self.choice(
                node,
                &format!("the namespace of {what}"),
                &["source", "destination", "custom_format"],
                |text| NamespaceDefinition::from(text),
            )
        });
        let namespace_format = fields
            .get("namespace_format")
            .and_then(|node| self.string(node, &format!("the namespace_format of {what}")));
        let namespace_line = fields.get("namespace").map_or(node.line, |node| node.line);
        match (&namespace, &namespace_format) {
            (Some(NamespaceDefinition::CustomFormat), None) => {
                self.problem(
                    namespace_line,
                    format!("{what} has namespace: custom_format but no namespace_format"),
                );
            }
            (Some(definition), Some(_)) if *definition != NamespaceDefinition::CustomFormat => {
                self.problem(
                    namespace_line,
                    format!(
                        "{what} has a namespace_format, which only namespace: custom_format uses"
                    ),
                );
            }
            _ => {}
        }
        let non_breaking_changes = fields.get("non_breaking_changes").and_then(|node| {
            self.choice(
                node,
                &format!("the non_breaking_changes of {what}"),
                &[
                    "ignore",
                    "disable_connection",
                    "propagate_columns",
                    "propagate_fully",
                ],
                |text| NonBreakingSchemaUpdatesBehavior::from(text),
            )
        });
        let tags = match fields.get("tags") {
            Some(node) => match &node.value {
                NodeValue::Seq(items) => {
                    let mut tags = BTreeSet::new();
                    for item in items {
                        if let Some(tag) = self.string(item, &format!("a tag of {what}")) {
                            let origin = self.origin(item.line);
                            self.references.push(Reference {
                                from: key.to_owned(),
                                kind: Kind::Tag,
                                key: tag.clone(),
                                origin,
                            });
                            if !tags.insert(tag.clone()) {
                                self.problem(
                                    item.line,
                                    format!("tag {tag:?} is listed twice in {what}"),
                                );
                            }
                        }
                    }
                    Some(tags)
                }
                _ => {
                    self.problem(
                        node.line,
                        format!("the tags of {what} must be a list of tag names"),
                    );
                    None
                }
            },
            None => None,
        };
        let streams = match fields.get("streams") {
            Some(node) => self.streams(&what, node)?,
            None => {
                self.problem(
                    node.line,
                    format!("{what} needs streams (the streams to sync)"),
                );
                return None;
            }
        };
        if !ok {
            return None;
        }
        Some(ConnectionSpec {
            name,
            source: source?,
            destination: destination?,
            status,
            schedule,
            prefix,
            namespace,
            namespace_format,
            non_breaking_changes,
            tags,
            streams,
            origin,
        })
    }

    fn streams(&mut self, what: &str, node: &Node) -> Option<Vec<StreamSpec>> {
        let NodeValue::Seq(items) = &node.value else {
            self.problem(
                node.line,
                format!(
                    "the streams of {what} must be a list (- name: users), not {}",
                    node.describe()
                ),
            );
            return None;
        };
        if items.is_empty() {
            self.problem(node.line, format!("{what} selects no stream"));
            return None;
        }
        let mut streams: Vec<StreamSpec> = Vec::new();
        let mut ok = true;
        for item in items {
            match self.stream(what, item) {
                Some(stream) => {
                    if let Some(first) = streams
                        .iter()
                        .find(|other| other.sort_key() == stream.sort_key())
                    {
                        self.problem(
                            item.line,
                            format!(
                                "stream {} is listed twice in {what} (first on line {})",
                                stream.label(),
                                first.line
                            ),
                        );
                        ok = false;
                    }
                    streams.push(stream);
                }
                None => ok = false,
            }
        }
        streams.sort_by_key(StreamSpec::sort_key);
        ok.then_some(streams)
    }

    fn stream(&mut self, what: &str, node: &Node) -> Option<StreamSpec> {
        let fields = self.fields(
            node,
            &format!("a stream of {what}"),
            &[
                "name",
                "namespace",
                "sync_mode",
                "cursor_field",
                "primary_key",
                "selected_fields",
                "include_files",
                "destination_object_name",
                "mappers",
            ],
        )?;
        let Some(name_node) = fields.get("name") else {
            self.problem(node.line, format!("a stream of {what} needs a name"));
            return None;
        };
        let name = self.string(name_node, &format!("a stream name of {what}"))?;
        let what = format!("stream {name:?} of {what}");
        let mut stream = StreamSpec::named(name);
        stream.line = node.line;
        stream.namespace = fields
            .get("namespace")
            .and_then(|node| self.string(node, &format!("the namespace of {what}")));
        if let Some(node) = fields.get("sync_mode") {
            let modes = [
                "full_refresh_overwrite",
                "full_refresh_overwrite_deduped",
                "full_refresh_append",
                "full_refresh_update",
                "full_refresh_soft_delete",
                "incremental_append",
                "incremental_deduped_history",
                "incremental_update",
                "incremental_soft_delete",
            ];
            stream.sync_mode = Some(self.choice(
                node,
                &format!("the sync_mode of {what}"),
                &modes,
                |text| ConnectionSyncMode::from(text),
            )?);
        }
        if let Some(node) = fields.get("cursor_field") {
            stream.cursor_field = Some(self.path(node, &format!("the cursor_field of {what}"))?);
        }
        if let Some(node) = fields.get("primary_key") {
            stream.primary_key = Some(self.paths(node, &format!("the primary_key of {what}"))?);
        }
        if let Some(node) = fields.get("selected_fields") {
            let mut paths = self.paths(node, &format!("the selected_fields of {what}"))?;
            if paths.is_empty() {
                // The server reads an empty selection as every field: written so, it would
                // differ from what the server answers on every plan.
                self.problem(
                    node.line,
                    format!("the selected_fields of {what} select no field; leave selected_fields out to sync every field"),
                );
                return None;
            }
            paths.sort();
            if paths.windows(2).any(|pair| pair[0] == pair[1]) {
                self.problem(
                    node.line,
                    format!("the selected_fields of {what} repeat a field"),
                );
                return None;
            }
            stream.selected_fields = Some(paths);
        }
        if let Some(node) = fields.get("include_files") {
            stream.include_files =
                Some(self.boolean(node, &format!("the include_files of {what}"))?);
        }
        if let Some(node) = fields.get("destination_object_name") {
            stream.destination_object_name =
                Some(self.string(node, &format!("the destination_object_name of {what}"))?);
        }
        if let Some(node) = fields.get("mappers") {
            let value = self.json(node)?;
            let Value::Array(mappers) = value else {
                self.problem(node.line, format!("the mappers of {what} must be a list"));
                return None;
            };
            for (index, mapper) in mappers.iter().enumerate() {
                if let Err(error) =
                    serde_json::from_value::<airbyte_models::ConfiguredStreamMapper>(mapper.clone())
                {
                    self.problem(
                        node.line_of(&format!("/{index}")),
                        format!("mapper {index} of {what} is not a mapper (type and mapper_configuration): {error}"),
                    );
                    return None;
                }
            }
            stream.mappers = Some(mappers);
        }
        Some(stream)
    }
}

/// References between resources: every one must name a resource of these files.
fn check_references(desired: &Desired, references: &[Reference], problems: &mut Problems) {
    for (key, spec) in desired.sources.iter().chain(&desired.destinations) {
        if let ConnectorRef::Definition(definition) = &spec.connector
            && !desired.definitions.contains_key(definition)
        {
            problems.push(
                spec.origin.clone(),
                format!("{key:?} runs definition {definition:?}, which these files do not define"),
            );
        }
    }
    for (key, spec) in &desired.destinations {
        if let ConnectorRef::Definition(_) = &spec.connector {
            problems.push(
                spec.origin.clone(),
                format!("destination {key:?} names a custom definition; custom definitions are sources only (use type or definition_id)"),
            );
        }
    }
    for reference in references {
        let defined = match reference.kind {
            Kind::Source => desired.sources.contains_key(&reference.key),
            Kind::Destination => desired.destinations.contains_key(&reference.key),
            Kind::Tag => desired.tags.contains_key(&reference.key),
            Kind::Definition | Kind::Connection => true,
        };
        if !defined {
            problems.push(
                reference.origin.clone(),
                format!(
                    "connection {:?} names {} {:?}, which these files do not define",
                    reference.from, reference.kind, reference.key
                ),
            );
        }
    }
}

/// Two resources of a kind with the same Airbyte name (one renamed onto another's key, say)
/// could not be told apart.
fn check_names(desired: &Desired, problems: &mut Problems) {
    for kind in Kind::ALL {
        let mut names: BTreeMap<String, String> = BTreeMap::new();
        for key in desired.keys(kind) {
            let name = desired.name_of(kind, key).unwrap_or_default();
            let origin = origin_of(desired, kind, key);
            if let Some(first) = names.insert(name.clone(), key.to_owned()) {
                problems.push(
                    origin,
                    format!("{kind} {key:?} has the name {name:?}, as {kind} {first:?} does: names must be unique"),
                );
            }
        }
    }
}

pub(crate) fn origin_of(desired: &Desired, kind: Kind, key: &str) -> Origin {
    match kind {
        Kind::Tag => desired.tags.get(key).map(|spec| spec.origin.clone()),
        Kind::Definition => desired.definitions.get(key).map(|spec| spec.origin.clone()),
        Kind::Source => desired.sources.get(key).map(|spec| spec.origin.clone()),
        Kind::Destination => desired
            .destinations
            .get(key)
            .map(|spec| spec.origin.clone()),
        Kind::Connection => desired.connections.get(key).map(|spec| spec.origin.clone()),
    }
    .unwrap_or_default()
}
