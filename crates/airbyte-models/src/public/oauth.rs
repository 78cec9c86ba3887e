//! OAuth: starting a connector's consent flow (`POST /sources/initiateOAuth`, then the
//! identity provider sends the user to `GET /oauth/callback`), and the OAuth client
//! credentials a workspace or an organization uses instead of Airbyte's own.

use serde::{Deserialize, Serialize};

use crate::{ConnectorConfig, ConnectorType, WorkspaceId};

/// Whether an OAuth credential override is for a source or a destination connector
/// (`ActorTypeEnum`, the same values as [`ConnectorType`]).
pub type ActorType = ConnectorType;

/// The body of `POST /sources/initiateOAuth`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InitiateOauthRequest {
    /// The connector to authenticate to (`google-ads`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_type: Option<String>,
    /// The connector, under its deprecated name; prefer `source_type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where the user is sent once consent is given, with `secret_id` in the query string:
    /// create the source with that secret ID.
    pub redirect_url: String,
    /// The workspace the secret, and later the source, belong to.
    pub workspace_id: WorkspaceId,
    /// Input some connectors need before the flow (a subdomain, say). `Debug` hides secrets.
    #[serde(
        default,
        rename = "oAuthInputConfiguration",
        skip_serializing_if = "Option::is_none"
    )]
    pub oauth_input_configuration: Option<ConnectorConfig>,
    /// Scopes to ask for instead of the connector's defaults.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_scopes: Option<Vec<String>>,
    /// Optional scopes to ask for (with `requested_scopes` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_optional_scopes: Option<Vec<String>>,
}

impl InitiateOauthRequest {
    /// Starts the flow of the `source_type` connector for a workspace.
    #[must_use]
    pub fn new(
        source_type: impl Into<String>,
        redirect_url: impl Into<String>,
        workspace_id: WorkspaceId,
    ) -> Self {
        Self {
            source_type: Some(source_type.into()),
            name: None,
            redirect_url: redirect_url.into(),
            workspace_id,
            oauth_input_configuration: None,
            requested_scopes: None,
            requested_optional_scopes: None,
        }
    }
}

/// The answer of `POST /sources/initiateOAuth`: the identity provider's consent URL to send
/// the user to. The specification gives it no schema and calls the property `redirect_url`;
/// servers send `consentUrl`. Both are read.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InitiateOauthResponse {
    /// The consent URL.
    #[serde(default, alias = "redirect_url", alias = "redirectUrl")]
    pub consent_url: String,
}

/// The body of `PUT /workspaces/{workspaceId}/oauthCredentials` and
/// `PUT /organizations/{organizationId}/oauthCredentials`: the OAuth client a connector's
/// flows use in that workspace or organization instead of Airbyte's. `Debug` hides the
/// configuration's secrets.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuthCredentialsRequest {
    /// Source or destination.
    pub actor_type: ActorType,
    /// The connector (`google-ads`).
    pub name: String,
    /// The OAuth part of the connector's configuration, such as
    /// `{"credentials": {"client_id": ..., "client_secret": ...}}`.
    pub configuration: ConnectorConfig,
}

/// The body of `PUT /workspaces/{workspaceId}/oauthCredentials`.
pub type WorkspaceOAuthCredentialsRequest = OAuthCredentialsRequest;

/// The body of `PUT /organizations/{organizationId}/oauthCredentials`.
pub type OrganizationOAuthCredentialsRequest = OAuthCredentialsRequest;

/// A `302` answer: where the server sends the client (`GET /` to the documentation,
/// `GET /oauth/callback` to the redirect URL of the flow with its `secret_id`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redirect {
    /// The `Location` header.
    #[serde(default)]
    pub location: String,
}

impl Redirect {
    /// The value of a query parameter of the location (`secret_id` after an OAuth callback),
    /// percent-decoded.
    #[must_use]
    pub fn query_param(&self, key: &str) -> Option<String> {
        let (_, query) = self.location.split_once('?')?;
        let query = query.split('#').next().unwrap_or_default();
        query.split('&').find_map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (name == key).then(|| {
                percent_encoding::percent_decode_str(&value.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_consent_url_is_read_under_either_name() {
        for body in [
            r#"{"consentUrl":"https://idp/x"}"#,
            r#"{"redirect_url":"https://idp/x"}"#,
        ] {
            let answer: InitiateOauthResponse = serde_json::from_str(body).unwrap();
            assert_eq!(answer.consent_url, "https://idp/x");
        }
    }

    #[test]
    fn redirects_read_their_query() {
        let redirect = Redirect {
            location: "https://app.example/done?a=1&secret_id=airbyte%5Fx+y#frag".to_owned(),
        };
        assert_eq!(
            redirect.query_param("secret_id").as_deref(),
            Some("airbyte_x y")
        );
        assert_eq!(redirect.query_param("a").as_deref(), Some("1"));
        assert_eq!(redirect.query_param("missing"), None);
    }
}
