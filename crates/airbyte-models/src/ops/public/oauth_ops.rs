//! OAuth consent flows and OAuth credential overrides.

use super::super::{Operation, registry};
use super::id;

/// OAuth: the consent flow of a source connector, and the OAuth clients a workspace or an
/// organization uses instead of Airbyte's.
pub mod oauth {
    use super::*;
    use crate::{
        ActorType, InitiateOauthRequest, InitiateOauthResponse, OAuthCredentialsRequest,
        OrganizationId, Redirect, WorkspaceId,
    };

    /// `POST /sources/initiateOAuth`: the consent URL to send the user to. A request without
    /// a connector (`source_type` or `name`) or with a redirect URL that is not an absolute
    /// `http(s)` URL is invalid and never sent.
    #[must_use]
    pub fn initiate(request: &InitiateOauthRequest) -> Operation<InitiateOauthResponse> {
        let no_connector = request.source_type.is_none() && request.name.is_none();
        let refused = if no_connector {
            Some("name the connector to authenticate to (source_type)".to_owned())
        } else if !(request.redirect_url.starts_with("https://")
            || request.redirect_url.starts_with("http://"))
        {
            Some(format!(
                "the redirect URL must be an absolute http(s) URL, got {:?}",
                request.redirect_url
            ))
        } else {
            None
        };
        Operation::new(registry::INITIATE_OAUTH, vec![])
            .json(request)
            .invalid_if(refused)
    }

    /// `GET /oauth/callback?state=...&code=...`: where the identity provider sends the user
    /// after consent. Sent without credentials; answers `302` to the flow's redirect URL with
    /// the `secret_id` to create the source with.
    #[must_use]
    pub fn callback(state: &str, code: &str) -> Operation<Redirect> {
        Operation::new(registry::OAUTH_CALLBACK, vec![])
            .query("state", state)
            .query("code", code)
            .redirect_response()
    }

    /// `PUT /workspaces/{workspaceId}/oauthCredentials` (200, no body): the OAuth client of
    /// a connector in a workspace. Writing the same override twice is harmless.
    #[must_use]
    pub fn set_workspace_credentials(
        workspace_id: &WorkspaceId,
        request: &OAuthCredentialsRequest,
    ) -> Operation<()> {
        Operation::new(
            registry::CREATE_OR_UPDATE_WORKSPACE_OAUTH_CREDENTIALS,
            vec![id(workspace_id)],
        )
        .json(request)
        .empty_response()
    }

    /// `DELETE /workspaces/{workspaceId}/oauthCredentials/{actorType}/{name}` (204).
    #[must_use]
    pub fn delete_workspace_credentials(
        workspace_id: &WorkspaceId,
        actor_type: &ActorType,
        name: &str,
    ) -> Operation<()> {
        Operation::new(
            registry::DELETE_WORKSPACE_OAUTH_CREDENTIALS,
            vec![id(workspace_id), actor_type.to_string(), name.to_owned()],
        )
        .empty_response()
    }

    /// `PUT /organizations/{organizationId}/oauthCredentials` (200, no body): the OAuth
    /// client of a connector in every workspace of an organization without its own.
    #[must_use]
    pub fn set_organization_credentials(
        organization_id: &OrganizationId,
        request: &OAuthCredentialsRequest,
    ) -> Operation<()> {
        Operation::new(
            registry::CREATE_OR_UPDATE_ORGANIZATION_OAUTH_CREDENTIALS,
            vec![id(organization_id)],
        )
        .json(request)
        .empty_response()
    }

    /// `DELETE /organizations/{organizationId}/oauthCredentials/{actorType}/{name}` (204).
    #[must_use]
    pub fn delete_organization_credentials(
        organization_id: &OrganizationId,
        actor_type: &ActorType,
        name: &str,
    ) -> Operation<()> {
        Operation::new(
            registry::DELETE_ORGANIZATION_OAUTH_CREDENTIALS,
            vec![id(organization_id), actor_type.to_string(), name.to_owned()],
        )
        .empty_response()
    }
}
