//! Custom source definitions: declarative (YAML manifest) and Docker.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use airbyte_models::ops;
use airbyte_models::{
    BuilderProjectForDefinitionRequest, BuilderProjectId, BuilderProjectRead,
    BuilderProjectRequest, ConnectorConfig, CreateDeclarativeSourceDefinitionRequest,
    CreateDefinitionRequest, DeclarativeSourceDefinitionResponse, DefinitionId, DefinitionResponse,
    ListResponse, SourceRead, SourceResponse, UpdateDeclarativeSourceDefinitionRequest,
    UpdateDefinitionRequest, UpdateTestingValuesRequest, WorkspaceId,
};
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::ResourceKind;
use crate::cache::Cached;
use crate::connector::{DeployConnector, Source};
use crate::deletion::{Deletion, ResourceRef};
use crate::listing::{ItemKeys, ListItems, ListRequest, Paging};
use crate::{CloudSource, CloudWorkspace, Error, Result};

/// How many sources without a definition are asked about at once (Config API `sources/get`):
/// older servers leave the definition out of every source.
const DEFINITION_LOOKUPS: usize = 8;

/// A declarative source manifest (the Connector Builder's YAML), as JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest(Value);

impl Manifest {
    /// A manifest given as JSON.
    #[must_use]
    pub fn from_json(value: Value) -> Self {
        Self(value)
    }

    /// A manifest given as YAML text.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the text is not YAML.
    #[cfg(feature = "yaml")]
    pub fn from_yaml(text: &str) -> Result<Self> {
        serde_yaml_ng::from_str(text)
            .map(Self)
            .map_err(|error| Error::invalid(format!("the manifest is not valid YAML: {error}")))
    }

    /// A manifest read from a file: JSON for `.json`, YAML otherwise.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when the file cannot be read or parsed.
    pub fn from_path(path: impl AsRef<std::path::Path>) -> Result<Self> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|error| {
            Error::invalid(format!(
                "cannot read the manifest {}: {error}",
                path.display()
            ))
        })?;
        if path
            .extension()
            .is_some_and(|ext| ext.eq_ignore_ascii_case("json"))
        {
            return serde_json::from_str(&text).map(Self).map_err(|error| {
                Error::invalid(format!("{} is not valid JSON: {error}", path.display()))
            });
        }
        #[cfg(feature = "yaml")]
        {
            Self::from_yaml(&text)
        }
        #[cfg(not(feature = "yaml"))]
        {
            Err(Error::invalid(
                "reading YAML manifests needs the `yaml` feature",
            ))
        }
    }

    /// The manifest as JSON.
    #[must_use]
    pub fn as_value(&self) -> &Value {
        &self.0
    }

    /// Checks what the server requires before anything is sent: an object with `version`,
    /// `type: DeclarativeSource`, streams and `spec.connection_specification`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] naming what is missing.
    pub fn validate(&self) -> Result<()> {
        let Some(map) = self.0.as_object() else {
            return Err(Error::invalid(
                "a manifest must be a mapping (a JSON object)",
            ));
        };
        let missing: Vec<&str> = ["version", "type"]
            .into_iter()
            .filter(|key| !map.contains_key(*key))
            .collect();
        if !missing.is_empty() {
            return Err(Error::invalid(format!(
                "the manifest misses {}",
                missing.join(" and ")
            )));
        }
        if map.get("type").and_then(Value::as_str) != Some("DeclarativeSource") {
            return Err(Error::invalid(format!(
                "the manifest's type must be DeclarativeSource, got {}",
                map["type"]
            )));
        }
        if !map.get("streams").is_some_and(Value::is_array)
            && !map.get("dynamic_streams").is_some_and(Value::is_array)
        {
            return Err(Error::invalid("the manifest declares no streams"));
        }
        if self.0.pointer("/spec/connection_specification").is_none() {
            return Err(Error::invalid(
                "the manifest misses spec.connection_specification",
            ));
        }
        Ok(())
    }

    /// Checks testing values against the manifest before anything is sent: an object, whose
    /// keys that the specification declares have a value of the declared JSON type.
    fn check_testing_values(&self, values: &ConnectorConfig) -> Result<()> {
        let Some(values) = values.as_value().as_object() else {
            return Err(Error::invalid("testing values must be a JSON object"));
        };
        let properties = self
            .0
            .pointer("/spec/connection_specification/properties")
            .and_then(Value::as_object);
        for (key, value) in values {
            let Some(declared) = properties
                .and_then(|properties| properties.get(key))
                .and_then(|property| property.get("type"))
            else {
                continue;
            };
            let types: Vec<&str> = match declared {
                Value::String(name) => vec![name.as_str()],
                Value::Array(names) => names.iter().filter_map(Value::as_str).collect(),
                _ => continue,
            };
            if !types.is_empty() && !types.iter().any(|name| json_type_matches(name, value)) {
                return Err(Error::invalid(format!(
                    "testing value {key:?} must be of type {}, as the manifest's spec declares",
                    types.join(" or ")
                )));
            }
        }
        Ok(())
    }

    /// The connector specification the Builder expects with testing values.
    fn builder_spec(&self) -> Value {
        match self.0.get("spec") {
            Some(spec) if spec.as_object().is_some_and(|map| !map.is_empty()) => json!({
                "documentationUrl": spec.get("documentation_url"),
                "connectionSpecification": spec.get("connection_specification").cloned().unwrap_or(json!({})),
                "advancedAuth": spec.get("advanced_auth"),
            }),
            _ => json!({}),
        }
    }
}

/// Whether a JSON value has the JSON-schema type `name`; unknown names match anything.
fn json_type_matches(name: &str, value: &Value) -> bool {
    match name {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "null" => value.is_null(),
        _ => true,
    }
}

impl From<Value> for Manifest {
    fn from(value: Value) -> Self {
        Self(value)
    }
}

/// The kind of a custom source definition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DefinitionKind {
    /// A declarative (YAML manifest) definition.
    Yaml,
    /// A Docker image definition.
    Docker,
}

/// A custom source definition as the API lists it: what
/// [`CloudWorkspace::list_custom_source_definitions`] filters on.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum DefinitionDetails {
    /// A declarative (YAML manifest) definition.
    Yaml(DeclarativeSourceDefinitionResponse),
    /// A Docker image definition.
    Docker(DefinitionResponse),
}

impl DefinitionDetails {
    /// The definition's name.
    #[must_use]
    pub fn name(&self) -> &str {
        match self {
            Self::Yaml(definition) => &definition.name,
            Self::Docker(definition) => &definition.name,
        }
    }

    /// The definition's ID.
    #[must_use]
    pub fn id(&self) -> &DefinitionId {
        match self {
            Self::Yaml(definition) => &definition.id,
            Self::Docker(definition) => &definition.id,
        }
    }
}

/// A page of a definition list, as [`DefinitionDetails`].
fn details_of<R>(
    list: ListResponse<R>,
    wrap: fn(R) -> DefinitionDetails,
) -> ListResponse<DefinitionDetails> {
    ListResponse {
        data: list.data.into_iter().map(wrap).collect(),
        next: list.next,
        previous: list.previous,
    }
}

/// A custom source definition of a workspace.
#[derive(Clone)]
pub struct CustomSourceDefinition {
    workspace: CloudWorkspace,
    id: DefinitionId,
    kind: DefinitionKind,
    cached: Cached<DefinitionDetails>,
    builder_project: Cached<(BuilderProjectId, WorkspaceId)>,
}

impl fmt::Debug for CustomSourceDefinition {
    /// Never does IO.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self
            .cached_details()
            .map(|details| details.name().to_owned());
        f.debug_struct("CustomSourceDefinition")
            .field("id", &self.id)
            .field("kind", &self.kind)
            .field("name", &name)
            .finish()
    }
}

impl CustomSourceDefinition {
    fn new(
        workspace: CloudWorkspace,
        id: DefinitionId,
        kind: DefinitionKind,
        details: Option<DefinitionDetails>,
    ) -> Self {
        Self {
            workspace,
            id,
            kind,
            cached: Cached::new(details),
            builder_project: Cached::new(None),
        }
    }

    /// The ID.
    #[must_use]
    pub fn id(&self) -> &DefinitionId {
        &self.id
    }

    /// YAML or Docker.
    #[must_use]
    pub fn kind(&self) -> DefinitionKind {
        self.kind
    }

    /// The workspace it was reached through.
    #[must_use]
    pub fn workspace(&self) -> &CloudWorkspace {
        &self.workspace
    }

    /// Reads the definition through its workspace unless it was already (definitions are
    /// scoped to a workspace: one of another workspace is not found), before a write.
    async fn verify_before_write(&self) -> Result<()> {
        if self.cached_details().is_none() {
            self.fetch().await?;
        }
        Ok(())
    }

    /// The sources of the workspace that run this definition (every page, read fresh): the
    /// server deletes them, and their connections, when the definition is deleted.
    ///
    /// A source whose definition the server leaves out (older servers do) is asked about
    /// through the Config API (`sources/get`). When even that cannot tell, the answer is
    /// unknown, and an error rather than a guess: a source missed here would be deleted with
    /// the definition unnamed.
    ///
    /// # Errors
    ///
    /// [`Error::DependentsUnknown`] naming the sources whose definition cannot be determined;
    /// transport errors, or [`Error::Paging`].
    pub async fn dependent_sources(&self) -> Result<Vec<CloudSource>> {
        let workspace = &self.workspace;
        let sources = workspace
            .connectors_maybe_running::<Source>(&self.id, false)
            .await?;
        let answers: Vec<(SourceResponse, Option<Result<SourceRead>>)> =
            futures_util::stream::iter(sources)
                .map(|source| async move {
                    if source.definition_id.is_some() {
                        return (source, None);
                    }
                    let read = workspace
                        .execute(ops::config::get_source(&source.source_id))
                        .await;
                    (source, Some(read))
                })
                .buffered(DEFINITION_LOOKUPS)
                .collect()
                .await;
        let mut dependents = Vec::new();
        let mut unknown = Vec::new();
        let mut cause = None;
        for (mut source, answer) in answers {
            let definition = match answer {
                None => source.definition_id.clone(),
                Some(Ok(read)) => read.source_definition_id,
                Some(Err(error)) => {
                    cause.get_or_insert_with(|| Box::new(error));
                    None
                }
            };
            match definition {
                Some(definition) if definition == self.id => {
                    source.definition_id = Some(definition);
                    dependents.push(crate::CloudConnector::new(
                        workspace.clone(),
                        source.source_id.clone(),
                        Some(source),
                    ));
                }
                Some(_) => {}
                None => unknown.push(ResourceRef {
                    kind: ResourceKind::Source,
                    id: source.source_id.to_string(),
                    name: source.name,
                }),
            }
        }
        if !unknown.is_empty() {
            return Err(Error::DependentsUnknown {
                definition_id: self.id.clone(),
                sources: unknown,
                cause,
            });
        }
        Ok(dependents)
    }

    fn cached_details(&self) -> Option<DefinitionDetails> {
        self.cached.get()
    }

    fn store(&self, details: DefinitionDetails) {
        self.cached.set(details);
    }

    async fn fetch(&self) -> Result<DefinitionDetails> {
        let workspace_id = self.workspace.id();
        let details = match self.kind {
            DefinitionKind::Yaml => DefinitionDetails::Yaml(
                self.workspace
                    .client()
                    .execute(ops::public::declarative_source_definitions::get(
                        workspace_id,
                        &self.id,
                    ))
                    .await
                    .map_err(crate::error::missing_on_404(
                        ResourceKind::CustomSourceDefinition,
                        self.id.as_str(),
                    ))?,
            ),
            DefinitionKind::Docker => DefinitionDetails::Docker(
                self.workspace
                    .client()
                    .execute(ops::public::source_definitions::get(workspace_id, &self.id))
                    .await
                    .map_err(crate::error::missing_on_404(
                        ResourceKind::CustomSourceDefinition,
                        self.id.as_str(),
                    ))?,
            ),
        };
        self.store(details.clone());
        Ok(details)
    }

    /// The name (always read again: definitions are renamed in the UI too).
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn name(&self) -> Result<String> {
        Ok(self.fetch().await?.name().to_owned())
    }

    /// The declarative definition (YAML only).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a Docker definition; transport errors.
    pub async fn declarative(&self) -> Result<DeclarativeSourceDefinitionResponse> {
        match self.fetch().await? {
            DefinitionDetails::Yaml(definition) => Ok(definition),
            DefinitionDetails::Docker(_) => {
                Err(Error::invalid("a Docker definition has no manifest"))
            }
        }
    }

    /// The Docker definition (Docker only).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a YAML definition; transport errors.
    pub async fn docker(&self) -> Result<DefinitionResponse> {
        match self.fetch().await? {
            DefinitionDetails::Docker(definition) => Ok(definition),
            DefinitionDetails::Yaml(_) => {
                Err(Error::invalid("a YAML definition has no Docker image"))
            }
        }
    }

    /// The active manifest (YAML only).
    ///
    /// # Errors
    ///
    /// As [`CustomSourceDefinition::declarative`].
    pub async fn manifest(&self) -> Result<Manifest> {
        Ok(Manifest(self.declarative().await?.manifest))
    }

    /// Publishes a new manifest version (YAML only), checked first.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an invalid manifest or a Docker definition; transport errors.
    pub async fn update_manifest(
        &self,
        manifest: &Manifest,
    ) -> Result<DeclarativeSourceDefinitionResponse> {
        if self.kind != DefinitionKind::Yaml {
            return Err(Error::invalid("a Docker definition has no manifest"));
        }
        manifest.validate()?;
        self.verify_before_write().await?;
        let request = UpdateDeclarativeSourceDefinitionRequest {
            manifest: manifest.0.clone(),
        };
        let response = self
            .workspace
            .execute(ops::public::declarative_source_definitions::update(
                self.workspace.id(),
                &self.id,
                &request,
            ))
            .await?;
        self.store(DefinitionDetails::Yaml(response.clone()));
        Ok(response)
    }

    /// Renames a Docker definition.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a YAML definition or an empty name; transport errors.
    pub async fn rename(&self, name: &str) -> Result<DefinitionResponse> {
        if name.trim().is_empty() {
            return Err(Error::invalid("a definition name must not be empty"));
        }
        let current = self.docker().await?;
        self.update_docker(name.to_owned(), current.docker_image_tag)
            .await
    }

    /// Changes the Docker image tag of a Docker definition.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a YAML definition or an empty tag; transport errors.
    pub async fn update_docker_tag(&self, tag: &str) -> Result<DefinitionResponse> {
        if tag.trim().is_empty() {
            return Err(Error::invalid("a Docker image tag must not be empty"));
        }
        let current = self.docker().await?;
        self.update_docker(current.name, tag.to_owned()).await
    }

    /// Sets a Docker definition's name and image tag in one request (the API takes both),
    /// after checking them; the definition is read first unless it already was.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a YAML definition, an empty name or tag; transport errors.
    pub async fn set_name_and_tag(&self, name: &str, tag: &str) -> Result<DefinitionResponse> {
        if self.kind != DefinitionKind::Docker {
            return Err(Error::invalid("a YAML definition has no Docker image"));
        }
        if name.trim().is_empty() || tag.trim().is_empty() {
            return Err(Error::invalid(
                "a Docker definition needs a name and an image tag",
            ));
        }
        self.verify_before_write().await?;
        self.update_docker(name.to_owned(), tag.to_owned()).await
    }

    /// The declarative definition as last read (listed or fetched), without a request; `None`
    /// for a Docker definition or one not read yet.
    #[must_use]
    pub fn known_declarative(&self) -> Option<DeclarativeSourceDefinitionResponse> {
        match self.cached_details()? {
            DefinitionDetails::Yaml(definition) => Some(definition),
            DefinitionDetails::Docker(_) => None,
        }
    }

    /// The Docker definition as last read (listed or fetched), without a request; `None` for a
    /// YAML definition or one not read yet.
    #[must_use]
    pub fn known_docker(&self) -> Option<DefinitionResponse> {
        match self.cached_details()? {
            DefinitionDetails::Docker(definition) => Some(definition),
            DefinitionDetails::Yaml(_) => None,
        }
    }

    async fn update_docker(
        &self,
        name: String,
        docker_image_tag: String,
    ) -> Result<DefinitionResponse> {
        let request = UpdateDefinitionRequest {
            name,
            docker_image_tag,
        };
        let response = self
            .workspace
            .execute(ops::public::source_definitions::update(
                self.workspace.id(),
                &self.id,
                &request,
            ))
            .await?;
        self.store(DefinitionDetails::Docker(response.clone()));
        Ok(response)
    }

    /// The Connector Builder project behind a YAML definition and the workspace that owns it
    /// (which may differ from this one); `None` when the definition was published without the
    /// Builder. Cached after the first lookup.
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn builder_project(&self) -> Result<Option<(BuilderProjectId, WorkspaceId)>> {
        if self.kind != DefinitionKind::Yaml {
            return Ok(None);
        }
        if let Some(project) = self.builder_project.get() {
            return Ok(Some(project));
        }
        let request = BuilderProjectForDefinitionRequest {
            actor_definition_id: self.id.clone(),
            workspace_id: self.workspace.id().clone(),
        };
        let answer = self
            .workspace
            .execute(ops::config::builder_project_for_definition(&request))
            .await?;
        let project = answer.builder_project_id.map(|id| {
            (
                id,
                answer
                    .workspace_id
                    .unwrap_or_else(|| self.workspace.id().clone()),
            )
        });
        if let Some(project) = &project {
            self.builder_project.set(project.clone());
        }
        Ok(project)
    }

    /// The Connector Builder project behind a YAML definition, read from the workspace that
    /// owns it: its details (`has_draft`, the active manifest version), the manifest it shows
    /// (the draft when there is one) and its testing values. `None` without a Builder project.
    ///
    /// # Errors
    ///
    /// Transport errors.
    #[doc(alias = "get_builder_project_data")]
    pub async fn builder_project_details(&self) -> Result<Option<BuilderProjectRead>> {
        let Some((project, owner)) = self.builder_project().await? else {
            return Ok(None);
        };
        let request = BuilderProjectRequest {
            workspace_id: owner,
            builder_project_id: project,
            version: None,
        };
        self.workspace
            .execute(ops::config::builder_project_with_manifest(&request))
            .await
            .map(Some)
    }

    /// Whether the Builder project has an unpublished draft (`false` without a project).
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn has_draft(&self) -> Result<bool> {
        Ok(self
            .builder_project_details()
            .await?
            .is_some_and(|read| read.builder_project.has_draft))
    }

    /// The Builder project's unpublished draft manifest, if it has one.
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn draft_manifest(&self) -> Result<Option<Manifest>> {
        let Some(read) = self.builder_project_details().await? else {
            return Ok(None);
        };
        if !read.builder_project.has_draft {
            return Ok(None);
        }
        Ok(read
            .declarative_manifest
            .filter(|manifest| manifest.is_draft == Some(true))
            .and_then(|manifest| manifest.manifest)
            .map(Manifest))
    }

    /// The Builder project in the web UI, in the workspace that owns it.
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn builder_project_url(&self) -> Result<Option<String>> {
        let Some((project, owner)) = self.builder_project().await? else {
            return Ok(None);
        };
        Ok(self
            .workspace
            .roots()
            .web()
            .map(|web| format!("{web}/workspaces/{owner}/connector-builder/edit/{project}")))
    }

    /// Where to see the definition in the web UI: its Builder project, else the workspace's
    /// source settings.
    ///
    /// # Errors
    ///
    /// Transport errors.
    pub async fn definition_url(&self) -> Result<Option<String>> {
        if let Some(url) = self.builder_project_url().await? {
            return Ok(Some(url));
        }
        Ok(self
            .workspace
            .workspace_url()
            .map(|url| format!("{url}/settings/source")))
    }

    /// Sets the Builder project's testing values (YAML definitions with a Builder project).
    /// The owning workspace is used consistently.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] when there is no Builder project; transport errors.
    pub async fn set_testing_values(
        &self,
        values: impl Into<ConnectorConfig>,
    ) -> Result<ConnectorConfig> {
        let values = values.into();
        if !values.as_value().is_object() {
            return Err(Error::invalid("testing values must be a JSON object"));
        }
        let manifest = self.manifest().await?;
        manifest.check_testing_values(&values)?;
        let Some((project, owner)) = self.builder_project().await? else {
            return Err(Error::invalid(format!(
                "definition {} has no Connector Builder project",
                self.id
            )));
        };
        let request = UpdateTestingValuesRequest {
            workspace_id: owner,
            builder_project_id: project,
            spec: manifest.builder_spec(),
            testing_values: values,
        };
        self.workspace
            .execute(ops::config::update_testing_values(&request))
            .await
    }

    /// Deploys a source running this definition.
    pub fn deploy_source(
        &self,
        name: impl Into<String>,
        configuration: impl Into<ConnectorConfig>,
    ) -> DeployConnector<Source> {
        self.workspace
            .deploy_source(name, "custom", configuration)
            .definition_id(self.id.clone())
    }

    /// A delete of this definition (see [`Deletion`]): by default it refuses when sources run
    /// the definition (the server would delete them and their connections), naming them;
    /// [`Deletion::delete_dependents`] deletes them first. Preview it, or await it.
    pub fn delete(&self) -> Deletion {
        Deletion::definition(self.clone())
    }

    /// Deletes the definition unless sources run it. With `safe_mode`, its name (always read
    /// again) must contain `delete-me` or `deleteme`. See [`CustomSourceDefinition::delete`]
    /// to preview the delete or to delete the sources too.
    ///
    /// # Errors
    ///
    /// [`Error::SafeModeRefusal`], [`Error::DependentsExist`], or transport errors.
    pub async fn permanently_delete(&self, safe_mode: bool) -> Result<()> {
        self.delete().safe_mode(safe_mode).send().await.map(drop)
    }
}

/// Publishes a custom source definition; returned by
/// [`CloudWorkspace::publish_yaml_source_definition`] and
/// [`CloudWorkspace::publish_docker_source_definition`].
#[must_use = "a publish does nothing until awaited"]
#[derive(Debug)]
pub struct PublishDefinition {
    workspace: CloudWorkspace,
    name: String,
    source: PublishSource,
    unique: bool,
    pre_validate: bool,
    testing_values: Option<ConnectorConfig>,
}

#[derive(Debug)]
enum PublishSource {
    Yaml(Manifest),
    Docker {
        repository: String,
        tag: String,
        documentation_url: Option<String>,
    },
}

impl PublishDefinition {
    /// Refuse when a definition of the same kind and name exists (default: on).
    pub fn unique(mut self, unique: bool) -> Self {
        self.unique = unique;
        self
    }

    /// Check the manifest before anything is sent (default: on).
    pub fn pre_validate(mut self, validate: bool) -> Self {
        self.pre_validate = validate;
        self
    }

    /// Testing values to set on the new definition's Builder project.
    pub fn testing_values(mut self, values: impl Into<ConnectorConfig>) -> Self {
        self.testing_values = Some(values.into());
        self
    }

    /// A documentation link (Docker definitions).
    pub fn documentation_url(mut self, url: impl Into<String>) -> Self {
        if let PublishSource::Docker {
            documentation_url, ..
        } = &mut self.source
        {
            *documentation_url = Some(url.into());
        }
        self
    }

    /// Publishes. Everything that can be checked is checked before anything is created, so
    /// bad input never leaves a definition half made.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (empty name, invalid manifest, empty image or tag, testing values
    /// that are not an object or do not match the manifest's spec, testing values for a Docker
    /// definition) before any request; [`Error::DuplicateResource`] (every page of the
    /// definitions is read); transport errors.
    pub async fn send(self) -> Result<CustomSourceDefinition> {
        if self.name.trim().is_empty() {
            return Err(Error::invalid("a definition name must not be empty"));
        }
        let kind = match &self.source {
            PublishSource::Yaml(manifest) => {
                if self.pre_validate {
                    manifest.validate()?;
                }
                if let Some(values) = &self.testing_values {
                    manifest.check_testing_values(values)?;
                }
                DefinitionKind::Yaml
            }
            PublishSource::Docker {
                repository, tag, ..
            } => {
                if repository.trim().is_empty() || tag.trim().is_empty() {
                    return Err(Error::invalid(
                        "a Docker definition needs an image repository and a tag",
                    ));
                }
                if self.testing_values.is_some() {
                    return Err(Error::invalid(
                        "testing values belong to a YAML definition's Builder project; a Docker definition has none",
                    ));
                }
                DefinitionKind::Docker
            }
        };
        if self.unique {
            let existing = self
                .workspace
                .list_custom_source_definitions(kind)
                .name(self.name.clone())
                .first()
                .await?;
            if let Some(definition) = existing {
                return Err(Error::DuplicateResource {
                    kind: ResourceKind::CustomSourceDefinition,
                    name: self.name,
                    existing_id: definition.id.to_string(),
                });
            }
        }
        let workspace_id = self.workspace.id().clone();
        let definition = match self.source {
            PublishSource::Yaml(manifest) => {
                let request = CreateDeclarativeSourceDefinitionRequest {
                    name: self.name,
                    manifest: manifest.0,
                    workspace_id: Some(workspace_id.clone()),
                };
                let response = self
                    .workspace
                    .execute(ops::public::declarative_source_definitions::create(
                        &workspace_id,
                        &request,
                    ))
                    .await?;
                CustomSourceDefinition::new(
                    self.workspace.clone(),
                    response.id.clone(),
                    kind,
                    Some(DefinitionDetails::Yaml(response)),
                )
            }
            PublishSource::Docker {
                repository,
                tag,
                documentation_url,
            } => {
                let request = CreateDefinitionRequest {
                    name: self.name,
                    docker_repository: repository,
                    docker_image_tag: tag,
                    documentation_url,
                };
                let response = self
                    .workspace
                    .execute(ops::public::source_definitions::create(
                        &workspace_id,
                        &request,
                    ))
                    .await?;
                CustomSourceDefinition::new(
                    self.workspace.clone(),
                    response.id.clone(),
                    kind,
                    Some(DefinitionDetails::Docker(response)),
                )
            }
        };
        if let Some(values) = self.testing_values {
            definition.set_testing_values(values).await?;
        }
        Ok(definition)
    }
}

impl IntoFuture for PublishDefinition {
    type Output = Result<CustomSourceDefinition>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl CloudWorkspace {
    /// Publishes a declarative (YAML manifest) source definition.
    pub fn publish_yaml_source_definition(
        &self,
        name: impl Into<String>,
        manifest: Manifest,
    ) -> PublishDefinition {
        PublishDefinition {
            workspace: self.clone(),
            name: name.into(),
            source: PublishSource::Yaml(manifest),
            unique: true,
            pre_validate: true,
            testing_values: None,
        }
    }

    /// Publishes a Docker source definition (`myorg/source-foo`, `1.2.3`).
    pub fn publish_docker_source_definition(
        &self,
        name: impl Into<String>,
        repository: impl Into<String>,
        tag: impl Into<String>,
    ) -> PublishDefinition {
        PublishDefinition {
            workspace: self.clone(),
            name: name.into(),
            source: PublishSource::Docker {
                repository: repository.into(),
                tag: tag.into(),
                documentation_url: None,
            },
            unique: true,
            pre_validate: true,
            testing_values: None,
        }
    }

    /// The custom source definitions of a kind, answered in one request (see [`ListItems`]
    /// for filters). Servers do not page these lists today; when one announces a next page,
    /// it is read too (by the offset its link names), within
    /// [`max_items`](ListItems::max_items).
    pub fn list_custom_source_definitions(
        &self,
        kind: DefinitionKind,
    ) -> ListItems<DefinitionDetails, CustomSourceDefinition> {
        let keys = ItemKeys {
            id: |definition: &DefinitionDetails| definition.id().to_string(),
            name: Some(DefinitionDetails::name),
        };
        let list = match kind {
            DefinitionKind::Yaml => "declarative source definitions",
            DefinitionKind::Docker => "source definitions",
        };
        ListItems::new(
            self,
            Paging::OneShot,
            list,
            keys,
            (),
            move |request: ListRequest<()>| async move {
                let workspace = &request.workspace;
                Ok(match kind {
                    DefinitionKind::Yaml => {
                        let operation =
                            ops::public::declarative_source_definitions::list(workspace.id());
                        details_of(
                            workspace.execute(request.with_page(operation)).await?,
                            DefinitionDetails::Yaml,
                        )
                    }
                    DefinitionKind::Docker => {
                        let operation = ops::public::source_definitions::list(workspace.id());
                        details_of(
                            workspace.execute(request.with_page(operation)).await?,
                            DefinitionDetails::Docker,
                        )
                    }
                })
            },
        )
        .map(move |workspace, details| {
            Ok(CustomSourceDefinition::new(
                workspace.clone(),
                details.id().clone(),
                kind,
                Some(details),
            ))
        })
    }

    /// A custom source definition, without a request.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty ID.
    #[doc(alias = "get_custom_source_definition")]
    pub fn custom_source_definition(
        &self,
        id: impl AsRef<str>,
        kind: DefinitionKind,
    ) -> Result<CustomSourceDefinition> {
        let id =
            DefinitionId::new(id.as_ref()).map_err(|error| Error::invalid(error.to_string()))?;
        Ok(CustomSourceDefinition::new(self.clone(), id, kind, None))
    }
}
