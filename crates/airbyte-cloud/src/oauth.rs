//! OAuth: a source connector's consent flow, and the OAuth clients a workspace or an
//! organization uses instead of Airbyte's (credential overrides).
//!
//! The flow: [`CloudWorkspace::initiate_source_oauth`] answers the identity provider's consent
//! URL; after consent the provider sends the user to Airbyte's callback, which redirects to
//! the `redirect_url` given with a `secret_id` ([`CloudWorkspace::complete_oauth`] plays the
//! provider's part when the callback is reached from code). A source deployed with that
//! secret ID ([`DeployConnector::secret_id`](crate::DeployConnector::secret_id)) gets the
//! flow's credentials.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use airbyte_models::ops::{self, Operation};
use airbyte_models::{
    ConnectorConfig, ConnectorType, InitiateOauthRequest, OAuthCredentialsRequest, OrganizationId,
    Secret,
};

use crate::ResourceKind;
use crate::error::missing_on_404;
use crate::{CloudWorkspace, Error, Result};

/// What the OAuth callback answered: where it sends the user, and the secret ID to deploy the
/// source with (absent when the flow failed). `Debug` hides the secret ID, in the location's
/// query too.
#[derive(Clone)]
#[non_exhaustive]
pub struct OAuthCompletion {
    /// The redirect URL given to [`CloudWorkspace::initiate_source_oauth`], with the outcome
    /// in its query (the `secret_id` among it: treat it as a secret).
    pub location: String,
    /// The `secret_id` of the redirect: the credentials the flow obtained, stored by the
    /// server.
    pub secret_id: Option<Secret>,
}

impl fmt::Debug for OAuthCompletion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthCompletion")
            .field("location", &redact_secret_id(&self.location))
            .field("secret_id", &self.secret_id)
            .finish()
    }
}

/// `location` with the value of its `secret_id` query parameter replaced by
/// [`REDACTED`](airbyte_models::REDACTED), whatever its encoding.
fn redact_secret_id(location: &str) -> String {
    let Some((base, rest)) = location.split_once('?') else {
        return location.to_owned();
    };
    let (query, fragment) = match rest.split_once('#') {
        Some((query, fragment)) => (query, Some(fragment)),
        None => (rest, None),
    };
    let query: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some(("secret_id", _)) => format!("secret_id={}", airbyte_models::REDACTED),
            _ => pair.to_owned(),
        })
        .collect();
    let mut out = format!("{base}?{}", query.join("&"));
    if let Some(fragment) = fragment {
        out.push('#');
        out.push_str(fragment);
    }
    out
}

/// The connector an override is for: a known kind and a name that is not blank.
fn check_connector(actor_type: &ConnectorType, connector: &str) -> Result<()> {
    if !matches!(
        actor_type,
        ConnectorType::Source | ConnectorType::Destination
    ) {
        return Err(Error::invalid(format!(
            "an OAuth override is for a source or a destination, not {actor_type}"
        )));
    }
    if connector.trim().is_empty() {
        return Err(Error::invalid(
            "name the connector of the OAuth override (google-ads, ...)",
        ));
    }
    Ok(())
}

fn override_request(
    actor_type: ConnectorType,
    connector: &str,
    configuration: ConnectorConfig,
) -> Result<OAuthCredentialsRequest> {
    check_connector(&actor_type, connector)?;
    if !configuration.as_value().is_object() {
        return Err(Error::invalid(
            "OAuth override credentials must be a JSON object (client_id, client_secret, ...)",
        ));
    }
    Ok(OAuthCredentialsRequest {
        actor_type,
        name: connector.to_owned(),
        configuration,
    })
}

/// How a missing override is named in errors: `source google-ads`.
fn override_id(actor_type: &ConnectorType, connector: &str) -> String {
    format!("{actor_type} {connector}")
}

impl CloudWorkspace {
    /// Starts the OAuth consent flow of a source connector (`google-ads`, `github`, ...) in
    /// this workspace. Await the builder for the consent URL to send the user to; after
    /// consent, the user lands on `redirect_url` with a `secret_id` in its query.
    ///
    /// ```no_run
    /// # async fn demo(workspace: airbyte_cloud::CloudWorkspace) -> airbyte_cloud::Result<()> {
    /// let consent_url = workspace
    ///     .initiate_source_oauth("google-ads", "https://app.example/oauth/done")
    ///     .scopes(["https://www.googleapis.com/auth/adwords"])
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn initiate_source_oauth(
        &self,
        source_type: impl Into<String>,
        redirect_url: impl Into<String>,
    ) -> InitiateOAuth {
        let source_type = source_type.into();
        let short = source_type
            .trim()
            .strip_prefix("source-")
            .unwrap_or(source_type.trim())
            .to_owned();
        InitiateOAuth {
            workspace: self.clone(),
            request: InitiateOauthRequest::new(short, redirect_url, self.id().clone()),
        }
    }

    /// Completes an OAuth flow as the identity provider does: sends `state` and `code` to
    /// Airbyte's callback (without credentials) and reads where it redirects, without
    /// following the redirect.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] for a blank state or code (nothing sent); transport errors (an
    /// unknown or already completed flow among them).
    pub async fn complete_oauth(&self, state: &str, code: &str) -> Result<OAuthCompletion> {
        if state.trim().is_empty() || code.trim().is_empty() {
            return Err(Error::invalid(
                "the OAuth callback needs the state and the code the identity provider sent",
            ));
        }
        let redirect = self
            .execute(ops::public::oauth::callback(state, code))
            .await?;
        let secret_id = redirect.query_param("secret_id").map(Secret::new);
        Ok(OAuthCompletion {
            location: redirect.location,
            secret_id,
        })
    }

    /// Makes this workspace authenticate a connector with its own OAuth client
    /// (`configuration` holds `client_id`, `client_secret`, ...; `Debug` hides secrets)
    /// instead of its organization's or Airbyte's. Setting it again replaces it.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (an unknown kind, a blank connector, credentials that are not
    /// an object) before anything is sent; transport errors (400 for a connector without
    /// OAuth, 403 for a caller who does not administer the workspace).
    #[doc(alias = "create_or_update_workspace_oauth_credentials")]
    pub async fn set_oauth_override(
        &self,
        actor_type: ConnectorType,
        connector: &str,
        configuration: impl Into<ConnectorConfig>,
    ) -> Result<()> {
        let request = override_request(actor_type, connector, configuration.into())?;
        self.client()
            .execute(ops::public::oauth::set_workspace_credentials(
                self.id(),
                &request,
            ))
            .await
            .map_err(missing_on_404(ResourceKind::Workspace, self.id().as_str()))
    }

    /// Removes this workspace's OAuth client of a connector: its organization's, or
    /// Airbyte's, applies again.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] before anything is sent; [`Error::MissingResource`] when the
    /// workspace has no override for the connector; transport errors.
    pub async fn delete_oauth_override(
        &self,
        actor_type: ConnectorType,
        connector: &str,
    ) -> Result<()> {
        let delete =
            ops::public::oauth::delete_workspace_credentials(self.id(), &actor_type, connector);
        self.delete_override(&actor_type, connector, delete).await
    }

    /// Makes every workspace of an organization without its own override authenticate a
    /// connector with this OAuth client.
    ///
    /// # Errors
    ///
    /// As [`CloudWorkspace::set_oauth_override`]; [`Error::MissingResource`] for an unknown
    /// organization.
    #[doc(alias = "create_or_update_organization_oauth_credentials")]
    pub async fn set_organization_oauth_override(
        &self,
        organization_id: &OrganizationId,
        actor_type: ConnectorType,
        connector: &str,
        configuration: impl Into<ConnectorConfig>,
    ) -> Result<()> {
        let request = override_request(actor_type, connector, configuration.into())?;
        self.client()
            .execute(ops::public::oauth::set_organization_credentials(
                organization_id,
                &request,
            ))
            .await
            .map_err(missing_on_404(
                ResourceKind::Organization,
                organization_id.as_str(),
            ))
    }

    /// Removes an organization's OAuth client of a connector.
    ///
    /// # Errors
    ///
    /// As [`CloudWorkspace::delete_oauth_override`].
    pub async fn delete_organization_oauth_override(
        &self,
        organization_id: &OrganizationId,
        actor_type: ConnectorType,
        connector: &str,
    ) -> Result<()> {
        let delete = ops::public::oauth::delete_organization_credentials(
            organization_id,
            &actor_type,
            connector,
        );
        self.delete_override(&actor_type, connector, delete).await
    }

    /// Sends `delete`, the delete of an override of `connector`, once the connector is
    /// checked: a 404 answer is no such override.
    async fn delete_override(
        &self,
        actor_type: &ConnectorType,
        connector: &str,
        delete: Operation<()>,
    ) -> Result<()> {
        check_connector(actor_type, connector)?;
        self.client().execute(delete).await.map_err(missing_on_404(
            ResourceKind::OAuthOverride,
            &override_id(actor_type, connector),
        ))
    }
}

/// Starts a source's OAuth consent flow; returned by [`CloudWorkspace::initiate_source_oauth`].
/// Await it (or call [`InitiateOAuth::send`]) for the consent URL.
#[must_use = "an OAuth flow does nothing until awaited"]
pub struct InitiateOAuth {
    workspace: CloudWorkspace,
    request: InitiateOauthRequest,
}

impl fmt::Debug for InitiateOAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InitiateOAuth")
            .field("workspace_id", self.workspace.id())
            .field("source_type", &self.request.source_type)
            .field("redirect_url", &self.request.redirect_url)
            .finish_non_exhaustive()
    }
}

impl InitiateOAuth {
    /// The scopes to ask the user for.
    pub fn scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.request.requested_scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// Scopes the user may decline.
    pub fn optional_scopes<I, S>(mut self, scopes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.request.requested_optional_scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// What the connector needs before consent (a subdomain, say); `Debug` hides secrets.
    pub fn input_configuration(mut self, configuration: impl Into<ConnectorConfig>) -> Self {
        self.request.oauth_input_configuration = Some(configuration.into());
        self
    }

    /// Starts the flow and returns the consent URL.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidInput`] (a blank connector, a redirect URL that is not an absolute
    /// `http(s)` URL, input that is not an object) before anything is sent;
    /// [`Error::MissingResource`] for an unknown workspace; transport errors (400 for a
    /// connector without OAuth).
    pub async fn send(self) -> Result<String> {
        let connector = self.request.source_type.as_deref().unwrap_or_default();
        if connector.is_empty() {
            return Err(Error::invalid(
                "name the source connector to authenticate to (google-ads, ...)",
            ));
        }
        let url = self.request.redirect_url.trim();
        let absolute = ["https://", "http://"].iter().any(|scheme| {
            url.strip_prefix(scheme)
                .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'))
        });
        if !absolute {
            return Err(Error::invalid(format!(
                "the redirect URL must be an absolute http(s) URL, got {url:?}"
            )));
        }
        if self
            .request
            .oauth_input_configuration
            .as_ref()
            .is_some_and(|input| !input.as_value().is_object())
        {
            return Err(Error::invalid(
                "the OAuth input configuration must be a JSON object",
            ));
        }
        let workspace_id = self.workspace.id().clone();
        let answer = self
            .workspace
            .client()
            .execute(ops::public::oauth::initiate(&self.request))
            .await
            .map_err(missing_on_404(
                ResourceKind::Workspace,
                workspace_id.as_str(),
            ))?;
        Ok(answer.consent_url)
    }
}

impl IntoFuture for InitiateOAuth {
    type Output = Result<String>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_oauth_completion_hides_its_secret_id_in_debug_even_inside_the_location() {
        // Real servers need not percent-encode the secret ID's underscores.
        let completion = OAuthCompletion {
            location: "https://app.example/done?a=1&secret_id=airbyte_workspace_w_secret_s_v1#x"
                .to_owned(),
            secret_id: Some(Secret::new("airbyte_workspace_w_secret_s_v1")),
        };
        let debug = format!("{completion:?}");
        assert!(
            !debug.contains("airbyte_workspace_w_secret_s_v1"),
            "{debug}"
        );
        assert!(
            debug.contains("https://app.example/done?a=1&secret_id="),
            "{debug}"
        );
        assert!(debug.contains("#x"), "{debug}");
    }
}
