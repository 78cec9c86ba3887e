//! Custom destination definitions: Docker images a workspace runs as destinations (the API has
//! no YAML destinations).
//!
//! Deleting a definition makes the server delete every destination that runs it (and their
//! connections), so its delete is planned like the others ([`Deletion`]): it refuses while
//! destinations run it, naming them, unless asked to delete them too.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use airbyte_models::ops;
use airbyte_models::{
    CreateDefinitionRequest, DefinitionId, DefinitionResponse, ListResponse,
    UpdateDefinitionRequest,
};

use crate::ResourceKind;
use crate::cache::Cached;
use crate::connector::{DeployConnector, Destination};
use crate::deletion::{Deletion, ResourceRef};
use crate::error::missing_on_404;
use crate::listing::{ItemKeys, ListItems, ListRequest, Paging};
use crate::{CloudDestination, CloudWorkspace, Error, Result};

/// A custom Docker destination definition of a workspace. Made without a request by
/// [`CloudWorkspace::custom_destination_definition`], or handed out by
/// [`CloudWorkspace::list_custom_destination_definitions`] and
/// [`CloudWorkspace::publish_docker_destination_definition`].
#[derive(Clone)]
pub struct CustomDestinationDefinition {
    workspace: CloudWorkspace,
    id: DefinitionId,
    cached: Cached<DefinitionResponse>,
}

impl fmt::Debug for CustomDestinationDefinition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomDestinationDefinition")
            .field("id", &self.id)
            .field("workspace_id", self.workspace.id())
            .finish_non_exhaustive()
    }
}

impl CustomDestinationDefinition {
    fn new(
        workspace: CloudWorkspace,
        id: DefinitionId,
        cached: Option<DefinitionResponse>,
    ) -> Self {
        Self {
            workspace,
            id,
            cached: Cached::new(cached),
        }
    }

    /// The definition's ID.
    #[must_use]
    pub fn id(&self) -> &DefinitionId {
        &self.id
    }

    /// The workspace it was reached through.
    #[must_use]
    pub fn workspace(&self) -> &CloudWorkspace {
        &self.workspace
    }

    /// The details known without a request (from a list, a publish or an earlier read).
    #[must_use]
    pub fn known_info(&self) -> Option<DefinitionResponse> {
        self.cached.get()
    }

    fn store(&self, response: DefinitionResponse) -> DefinitionResponse {
        self.cached.set(response.clone());
        response
    }

    /// Reads the definition (always a request). The path names the workspace, so a
    /// definition of another workspace is not found.
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`], or transport errors.
    pub async fn info(&self) -> Result<DefinitionResponse> {
        let response = self
            .workspace
            .client()
            .execute(ops::public::destination_definitions::get(
                self.workspace.id(),
                &self.id,
            ))
            .await
            .map_err(missing_on_404(
                ResourceKind::CustomDestinationDefinition,
                self.id.as_str(),
            ))?;
        Ok(self.store(response))
    }

    /// The name, read fresh.
    ///
    /// # Errors
    ///
    /// As [`CustomDestinationDefinition::info`].
    pub async fn name(&self) -> Result<String> {
        Ok(self.info().await?.name)
    }

    /// Gives the definition a new name and Docker image tag (the API takes both).
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (a blank name or tag) before anything is sent;
    /// [`Error::MissingResource`]; transport errors.
    pub async fn update(&self, name: &str, docker_image_tag: &str) -> Result<DefinitionResponse> {
        check_docker_fields(name, "docker", docker_image_tag)?;
        let request = UpdateDefinitionRequest {
            name: name.to_owned(),
            docker_image_tag: docker_image_tag.to_owned(),
        };
        let response = self
            .workspace
            .client()
            .execute(ops::public::destination_definitions::update(
                self.workspace.id(),
                &self.id,
                &request,
            ))
            .await
            .map_err(missing_on_404(
                ResourceKind::CustomDestinationDefinition,
                self.id.as_str(),
            ))?;
        Ok(self.store(response))
    }

    /// The destinations of the workspace that run this definition, read fresh from every
    /// page.
    ///
    /// # Errors
    ///
    /// [`Error::DestinationDependentsUnknown`] naming the destinations whose definition the
    /// server does not say (any of them may run it); transport errors, or [`Error::Paging`].
    pub async fn dependent_destinations(&self) -> Result<Vec<CloudDestination>> {
        let workspace = &self.workspace;
        let candidates = workspace
            .connectors_maybe_running::<Destination>(&self.id, false)
            .await?;
        let (known, unknown): (Vec<_>, Vec<_>) = candidates
            .into_iter()
            .partition(|destination| destination.definition_id.is_some());
        if !unknown.is_empty() {
            return Err(Error::DestinationDependentsUnknown {
                definition_id: self.id.clone(),
                destinations: unknown
                    .into_iter()
                    .map(|destination| {
                        ResourceRef::new(
                            ResourceKind::Destination,
                            &destination.destination_id,
                            destination.name,
                        )
                    })
                    .collect(),
            });
        }
        Ok(known
            .into_iter()
            .map(|destination| {
                crate::CloudConnector::new(
                    workspace.clone(),
                    destination.destination_id.clone(),
                    Some(destination),
                )
            })
            .collect())
    }

    /// Deploys a destination that runs this definition (see [`DeployConnector`]).
    pub fn deploy_destination(
        &self,
        name: impl Into<String>,
        configuration: impl Into<airbyte_models::ConnectorConfig>,
    ) -> DeployConnector<Destination> {
        self.workspace
            .deploy_destination(name, "custom", configuration)
            .definition_id(self.id.clone())
    }

    /// A delete of this definition (see [`Deletion`]): by default it refuses while
    /// destinations run it (the server would delete them and their connections), naming
    /// them; [`Deletion::delete_dependents`] deletes them first. Preview it, or await it.
    pub fn delete(&self) -> Deletion {
        Deletion::destination_definition(self.clone())
    }

    /// Deletes the definition unless destinations run it. With `safe_mode`, its name (read
    /// again) must contain `delete-me` or `deleteme`.
    ///
    /// # Errors
    ///
    /// [`Error::SafeModeRefusal`], [`Error::DependentsExist`],
    /// [`Error::DestinationDependentsUnknown`], or transport errors.
    pub async fn permanently_delete(&self, safe_mode: bool) -> Result<()> {
        self.delete().safe_mode(safe_mode).send().await.map(drop)
    }
}

fn check_docker_fields(name: &str, repository: &str, tag: &str) -> Result<()> {
    for (what, value) in [
        ("name", name),
        ("Docker repository", repository),
        ("Docker image tag", tag),
    ] {
        if value.trim().is_empty() {
            return Err(Error::invalid(format!(
                "a custom destination definition's {what} must not be empty"
            )));
        }
    }
    if tag.contains(char::is_whitespace) || repository.contains(char::is_whitespace) {
        return Err(Error::invalid(
            "a Docker repository or image tag must not contain white space",
        ));
    }
    Ok(())
}

/// Publishes a custom Docker destination definition; returned by
/// [`CloudWorkspace::publish_docker_destination_definition`]. Await it (or call
/// [`PublishDestinationDefinition::send`]).
#[must_use = "a publish does nothing until awaited"]
#[derive(Debug)]
pub struct PublishDestinationDefinition {
    workspace: CloudWorkspace,
    request: CreateDefinitionRequest,
    unique: bool,
}

impl PublishDestinationDefinition {
    /// Refuse when the workspace has a custom destination definition of this name (default:
    /// on; best-effort, as two publishes at once can both pass).
    pub fn unique(mut self, unique: bool) -> Self {
        self.unique = unique;
        self
    }

    /// Where its documentation is.
    pub fn documentation_url(mut self, url: impl Into<String>) -> Self {
        self.request.documentation_url = Some(url.into());
        self
    }

    /// Publishes.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (a blank name, repository or tag) before anything is sent;
    /// [`Error::DuplicateResource`] when `unique` finds the name; transport errors.
    pub async fn send(self) -> Result<CustomDestinationDefinition> {
        check_docker_fields(
            &self.request.name,
            &self.request.docker_repository,
            &self.request.docker_image_tag,
        )?;
        if self.unique
            && let Some(existing) = self
                .workspace
                .list_custom_destination_definitions()
                .name(self.request.name.clone())
                .first()
                .await?
        {
            return Err(Error::DuplicateResource {
                kind: ResourceKind::CustomDestinationDefinition,
                name: self.request.name,
                existing_id: existing.id().to_string(),
            });
        }
        let response = self
            .workspace
            .client()
            .execute(ops::public::destination_definitions::create(
                self.workspace.id(),
                &self.request,
            ))
            .await
            .map_err(missing_on_404(
                ResourceKind::Workspace,
                self.workspace.id().as_str(),
            ))?;
        Ok(CustomDestinationDefinition::new(
            self.workspace,
            response.id.clone(),
            Some(response),
        ))
    }
}

impl IntoFuture for PublishDestinationDefinition {
    type Output = Result<CustomDestinationDefinition>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl CloudWorkspace {
    /// Publishes a Docker image as a custom destination definition of this workspace.
    pub fn publish_docker_destination_definition(
        &self,
        name: impl Into<String>,
        docker_repository: impl Into<String>,
        docker_image_tag: impl Into<String>,
    ) -> PublishDestinationDefinition {
        PublishDestinationDefinition {
            workspace: self.clone(),
            request: CreateDefinitionRequest {
                name: name.into(),
                docker_repository: docker_repository.into(),
                docker_image_tag: docker_image_tag.into(),
                documentation_url: None,
            },
            unique: true,
        }
    }

    /// The workspace's custom destination definitions, answered in one request (see
    /// [`ListItems`] for filters).
    pub fn list_custom_destination_definitions(
        &self,
    ) -> ListItems<DefinitionResponse, CustomDestinationDefinition> {
        let keys = ItemKeys {
            id: |definition: &DefinitionResponse| definition.id.to_string(),
            name: Some(|definition| &definition.name),
        };
        ListItems::new(
            self,
            Paging::OneShot,
            "custom destination definitions",
            keys,
            (),
            |request: ListRequest<()>| async move {
                let workspace = &request.workspace;
                let list = workspace
                    .client()
                    .execute(ops::public::destination_definitions::list(workspace.id()))
                    .await
                    .map_err(missing_on_404(
                        ResourceKind::Workspace,
                        workspace.id().as_str(),
                    ))?;
                Ok(ListResponse::new(list.data))
            },
        )
        .map(|workspace, response| {
            Ok(CustomDestinationDefinition::new(
                workspace.clone(),
                response.id.clone(),
                Some(response),
            ))
        })
    }

    /// A custom destination definition of this workspace, without a request.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for an empty ID.
    #[doc(alias = "get_custom_destination_definition")]
    pub fn custom_destination_definition(
        &self,
        id: impl AsRef<str>,
    ) -> Result<CustomDestinationDefinition> {
        let id =
            DefinitionId::new(id.as_ref()).map_err(|error| Error::invalid(error.to_string()))?;
        Ok(CustomDestinationDefinition::new(self.clone(), id, None))
    }
}
