//! `POST /applications/token`: exchanging client credentials for an access token.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::macros::open_enum;

open_enum!(
    /// The OAuth2 grant of a token request.
    GrantType {
        /// The client-credentials grant, the only one the API offers.
        ClientCredentials = "client_credentials",
    }
);

/// The body of `POST /applications/token`.
///
/// The spec names the grant property `grant-type` but lists `grant_type` as required; the
/// server reads neither. Both names are sent so that any reading of the spec is satisfied, and
/// either is accepted when decoding. `Debug` hides the client secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessTokenRequest {
    /// The application's client ID.
    pub client_id: String,
    /// The application's client secret.
    pub client_secret: String,
    /// The grant, under the spec's property name `grant-type`.
    #[serde(
        rename = "grant-type",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub grant_type: Option<GrantType>,
    /// The grant again, under the name the spec's `required` list uses.
    #[serde(
        rename = "grant_type",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub grant_type_underscore: Option<GrantType>,
}

impl AccessTokenRequest {
    /// A client-credentials request.
    #[must_use]
    pub fn client_credentials(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            grant_type: Some(GrantType::ClientCredentials),
            grant_type_underscore: Some(GrantType::ClientCredentials),
        }
    }
}

impl AccessTokenRequest {
    /// The grant, under whichever name the client sent it.
    #[must_use]
    pub fn grant(&self) -> Option<&GrantType> {
        self.grant_type
            .as_ref()
            .or(self.grant_type_underscore.as_ref())
    }
}

impl fmt::Debug for AccessTokenRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessTokenRequest")
            .field("client_id", &self.client_id)
            .field("client_secret", &crate::REDACTED)
            .field("grant_type", &self.grant_type)
            .finish()
    }
}

/// The answer of `POST /applications/token`. `Debug` hides the token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessTokenResponse {
    /// The access token, usually a JWT.
    pub access_token: String,
    /// The token type: `Bearer` (compare case-insensitively).
    #[serde(default = "bearer")]
    pub token_type: String,
    /// The token's lifetime in seconds. Required by the spec, but not sent by every server (the
    /// Config API variant omits it), and not always truthful: the JWT `exp` claim can be
    /// earlier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
}

fn bearer() -> String {
    "Bearer".to_owned()
}

impl fmt::Debug for AccessTokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessTokenResponse")
            .field("access_token", &crate::REDACTED)
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}
