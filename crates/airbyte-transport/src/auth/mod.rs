//! Credentials and the `Authorization` header they produce.

mod expose;
mod jwt;
mod token;

use std::fmt;

use http::HeaderValue;
use secrecy::SecretString;

pub(crate) use token::{MintFlight, MintedToken, TokenCache};

/// How the client authenticates.
///
/// `Debug` never shows a secret; the secrets are [`SecretString`]s from the moment they are
/// given to the client.
#[derive(Clone)]
#[non_exhaustive]
pub enum Credentials {
    /// OAuth2 client credentials: the client mints access tokens at
    /// `{public root}/applications/token`, caches them and refreshes them before they expire.
    ClientCredentials {
        /// The application's client ID.
        client_id: String,
        /// The application's client secret.
        client_secret: SecretString,
    },
    /// A pre-minted access token, sent as `Authorization: Bearer <token>`. It is never
    /// refreshed.
    BearerToken(SecretString),
    /// HTTP basic authentication (older self-managed installations).
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: SecretString,
    },
    /// No authentication (a local deployment without auth).
    None,
}

impl Credentials {
    /// Client credentials.
    pub fn client_credentials(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Self::ClientCredentials {
            client_id: client_id.into(),
            client_secret: SecretString::from(client_secret.into()),
        }
    }

    /// A bearer token.
    pub fn bearer_token(token: impl Into<String>) -> Self {
        Self::BearerToken(SecretString::from(token.into()))
    }

    /// Basic authentication.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Self::Basic {
            username: username.into(),
            password: SecretString::from(password.into()),
        }
    }

    /// The name of the mode, for messages.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::ClientCredentials { .. } => "client credentials",
            Self::BearerToken(_) => "bearer token",
            Self::Basic { .. } => "basic",
            Self::None => "none",
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ClientCredentials { client_id, .. } => f
                .debug_struct("ClientCredentials")
                .field("client_id", client_id)
                .field("client_secret", &airbyte_models::REDACTED)
                .finish(),
            Self::BearerToken(_) => f
                .debug_tuple("BearerToken")
                .field(&airbyte_models::REDACTED)
                .finish(),
            Self::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &airbyte_models::REDACTED)
                .finish(),
            Self::None => f.write_str("None"),
        }
    }
}

/// What an authenticated request carries: the header, and for minted tokens the generation
/// of the token, so that a 401 invalidates exactly the token that was refused.
#[derive(Clone)]
pub(crate) struct AuthHeader {
    pub(crate) value: HeaderValue,
    pub(crate) minted_generation: Option<u64>,
}

/// The runtime form of [`Credentials`].
pub(crate) enum Authenticator {
    Minted {
        client_id: String,
        client_secret: SecretString,
        cache: TokenCache,
    },
    Static(HeaderValue),
    None,
}

impl Authenticator {
    pub(crate) fn new(credentials: Credentials, refresh_margin: std::time::Duration) -> Self {
        match credentials {
            Credentials::ClientCredentials {
                client_id,
                client_secret,
            } => Self::Minted {
                client_id,
                client_secret,
                cache: TokenCache::new(refresh_margin),
            },
            Credentials::BearerToken(token) => Self::Static(expose::bearer_header(&token)),
            Credentials::Basic { username, password } => {
                Self::Static(expose::basic_header(&username, &password))
            }
            Credentials::None => Self::None,
        }
    }

    /// The token request body for client credentials.
    pub(crate) fn token_request(&self) -> Option<airbyte_models::AccessTokenRequest> {
        match self {
            Self::Minted {
                client_id,
                client_secret,
                ..
            } => Some(expose::token_request(client_id, client_secret)),
            _ => None,
        }
    }
}

impl Authenticator {
    /// `text` with the client's own secrets (client secret, tokens, passwords) and the given
    /// request secrets scrubbed out.
    pub(crate) fn scrub(&self, text: &str, request_secrets: &[String]) -> String {
        match self {
            Self::Minted {
                client_secret,
                cache,
                ..
            } => {
                let current = cache.current_header();
                let headers: Vec<&HeaderValue> = current.iter().collect();
                expose::scrub(text, &[client_secret], &headers, request_secrets)
            }
            Self::Static(header) => expose::scrub(text, &[], &[header], request_secrets),
            Self::None => expose::scrub(text, &[], &[], request_secrets),
        }
    }
}

pub(crate) use expose::bearer_header;
pub(crate) use jwt::user_claim;
