//! Applications (Public API `/applications`): named client ID and secret pairs that mint
//! access tokens acting as the user who created them.
//!
//! The server sends an application's client secret with every read; this crate hands it out
//! once, when the application is created ([`CreatedApplication`]), and never again: lists and
//! reads give an [`Application`], which has no secret, so a secret cannot leak through a
//! listing, a log or a serialized record.

use airbyte_models::ops;
use airbyte_models::{
    ApplicationCreate, ApplicationId, ApplicationRead, EpochSeconds, ListResponse, Secret,
};
use airbyte_transport::Credentials;
use serde::Serialize;

use crate::error::missing_on_404;
use crate::listing::{ItemKeys, ListItems, ListRequest, Paging};
use crate::naming::check_safe_mode;
use crate::{CloudWorkspace, Error, ResourceKind, Result};

/// An application, without its client secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Application {
    /// The ID.
    pub id: ApplicationId,
    /// The name.
    pub name: String,
    /// The client ID it mints tokens with.
    pub client_id: String,
    /// When it was created.
    pub created_at: EpochSeconds,
}

impl From<ApplicationRead> for Application {
    fn from(read: ApplicationRead) -> Self {
        Self {
            id: read.id,
            name: read.name,
            client_id: read.client_id,
            created_at: read.created_at,
        }
    }
}

/// An application just created, with its client secret: the only time this crate hands the
/// secret out. `Debug` hides it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct CreatedApplication {
    /// The application.
    pub application: Application,
    /// Its client secret.
    pub client_secret: Secret,
}

impl CreatedApplication {
    /// The application's client credentials, to build a client or a workspace that mints its
    /// own tokens (see also [`CloudWorkspaceBuilder::application`](crate::CloudWorkspaceBuilder::application)).
    #[must_use]
    pub fn credentials(&self) -> Credentials {
        Credentials::client_credentials(
            self.application.client_id.clone(),
            self.client_secret.expose_secret(),
        )
    }
}

impl CloudWorkspace {
    /// The applications of the user the credentials act as, answered in one request (see
    /// [`ListItems`] for filters), without their secrets.
    pub fn list_applications(&self) -> ListItems<ApplicationRead, Application> {
        let keys = ItemKeys {
            id: |application: &ApplicationRead| application.id.to_string(),
            name: Some(|application| &application.name),
        };
        ListItems::new(
            self,
            Paging::OneShot,
            "applications",
            keys,
            (),
            |request: ListRequest<()>| async move {
                let list = request
                    .workspace
                    .execute(ops::public::applications::list())
                    .await?;
                Ok(ListResponse::new(list.applications))
            },
        )
        .map(|_, read| Ok(Application::from(read)))
    }

    /// Creates an application; the answer holds its client secret, which this crate never
    /// hands out again. Not idempotent: a create sent twice makes two applications.
    ///
    /// ```no_run
    /// # async fn demo(workspace: airbyte_cloud::CloudWorkspace) -> airbyte_cloud::Result<()> {
    /// let created = workspace.create_application("nightly-deploys").await?;
    /// // Store created.client_secret now; then act as the application:
    /// let as_application = airbyte_cloud::CloudWorkspace::builder()
    ///     .workspace_id(workspace.id().as_str())
    ///     .application(&created)
    ///     .build()?;
    /// println!("acting as {}", as_application.current_user().await?.email);
    /// # Ok(())
    /// # }
    /// ```
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (nothing sent) for a blank name; transport errors.
    pub async fn create_application(&self, name: &str) -> Result<CreatedApplication> {
        if name.trim().is_empty() {
            return Err(Error::invalid("an application name must not be empty"));
        }
        let request = ApplicationCreate {
            name: name.to_owned(),
        };
        let created = self
            .execute(ops::public::applications::create(&request))
            .await?;
        let client_secret = created.client_secret.clone();
        if client_secret.is_empty() {
            return Err(Error::invalid(format!(
                "the server created application {} without a client secret",
                created.id
            )));
        }
        Ok(CreatedApplication {
            application: created.into(),
            client_secret,
        })
    }

    /// Reads an application of the user the credentials act as (without its secret).
    ///
    /// # Errors
    ///
    /// [`Error::MissingResource`] (also for another user's application); transport errors.
    #[doc(alias = "get_application")]
    pub async fn fetch_application(&self, application_id: &ApplicationId) -> Result<Application> {
        self.client()
            .execute(ops::public::applications::get(application_id))
            .await
            .map(Application::from)
            .map_err(missing_on_404(
                ResourceKind::Application,
                application_id.as_str(),
            ))
    }

    /// Deletes an application: its tokens stop working. It is read first and, with
    /// `safe_mode`, its name must contain `delete-me` or `deleteme`. An application already
    /// gone counts as deleted.
    ///
    /// # Errors
    ///
    /// [`Error::SafeModeRefusal`] (nothing sent); transport errors.
    pub async fn delete_application(
        &self,
        application_id: &ApplicationId,
        safe_mode: bool,
    ) -> Result<()> {
        let application = match self.fetch_application(application_id).await {
            Ok(application) => application,
            Err(error) if error.is_not_found() => return Ok(()),
            Err(error) => return Err(error),
        };
        check_safe_mode(
            safe_mode,
            ResourceKind::Application,
            application_id.as_str(),
            &application.name,
        )?;
        match self
            .execute(ops::public::applications::delete(application_id))
            .await
        {
            Err(error) if error.is_not_found() => Ok(()),
            Err(error) => Err(error),
            Ok(_) => Ok(()),
        }
    }
}
