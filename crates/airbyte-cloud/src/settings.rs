//! Building a [`CloudWorkspace`]: explicit settings, the environment, and one precedence rule.
//!
//! Each value is taken from the first of: the builder, `AIRBYTE_*`, `AIRBYTE_CLOUD_*`, the
//! default. Empty variables count as unset. Passing one value explicitly never stops the others
//! from being read from the environment. Nothing ever prompts.
//!
//! The connection settings (roots, retries, timeouts, TLS trust, proxies) are the transport's:
//! the builder holds an [`airbyte_transport::ClientBuilder`], made by
//! [`ClientBuilder::from_env`](airbyte_transport::ClientBuilder::from_env) when the environment
//! is read, and [`CloudWorkspaceBuilder::transport`] reaches every one of its settings.

use std::fmt;

use airbyte_models::{OrganizationId, WorkspaceId};
use airbyte_transport::{Client, ClientBuilder, Credentials, RetryConfig, SecretString, Timeouts};

use crate::{CloudWorkspace, Error, Result};

/// The environment variables read, by setting: the `AIRBYTE_*` name first, then the
/// `AIRBYTE_CLOUD_*` name. The connection settings' variables (roots, proxies, certificate
/// authorities) are the transport's, in [`airbyte_transport::env`].
pub mod env {
    pub use airbyte_transport::env::{API_ROOT, CONFIG_API_ROOT, WEB_ROOT};

    /// The workspace ID.
    pub const WORKSPACE_ID: [&str; 2] = ["AIRBYTE_WORKSPACE_ID", "AIRBYTE_CLOUD_WORKSPACE_ID"];
    /// The client ID.
    pub const CLIENT_ID: [&str; 2] = ["AIRBYTE_CLIENT_ID", "AIRBYTE_CLOUD_CLIENT_ID"];
    /// The client secret.
    pub const CLIENT_SECRET: [&str; 2] = ["AIRBYTE_CLIENT_SECRET", "AIRBYTE_CLOUD_CLIENT_SECRET"];
    /// A bearer token.
    pub const BEARER_TOKEN: [&str; 2] = ["AIRBYTE_BEARER_TOKEN", "AIRBYTE_CLOUD_BEARER_TOKEN"];
    /// The organization ID.
    pub const ORGANIZATION_ID: [&str; 2] =
        ["AIRBYTE_ORGANIZATION_ID", "AIRBYTE_CLOUD_ORGANIZATION_ID"];
}

/// One layer of settings (explicit, or read from the environment).
#[derive(Clone, Default)]
struct Layer {
    workspace_id: Option<String>,
    client_id: Option<String>,
    client_secret: Option<SecretString>,
    bearer_token: Option<SecretString>,
    basic: Option<(String, SecretString)>,
    organization_id: Option<String>,
}

impl Layer {
    fn from_source(get: &dyn Fn(&str) -> Option<String>) -> Self {
        let read = |names: [&str; 2]| {
            names
                .iter()
                .filter_map(|name| get(name))
                .map(|value| value.trim().to_owned())
                .find(|value| !value.is_empty())
        };
        Self {
            workspace_id: read(env::WORKSPACE_ID),
            client_id: read(env::CLIENT_ID),
            client_secret: read(env::CLIENT_SECRET).map(SecretString::from),
            bearer_token: read(env::BEARER_TOKEN).map(SecretString::from),
            basic: None,
            organization_id: read(env::ORGANIZATION_ID),
        }
    }

    fn has_client_credentials(&self) -> bool {
        self.client_id.is_some() || self.client_secret.is_some()
    }
}

/// Builds a [`CloudWorkspace`].
///
/// ```
/// use airbyte_cloud::CloudWorkspace;
///
/// let workspace = CloudWorkspace::builder()
///     .workspace_id("9e4a3c1d-1b2f-4c5d-8e6f-7a8b9c0d1e01")
///     .client_credentials("my-client-id", "my-client-secret")
///     .build()
///     .unwrap();
/// assert_eq!(
///     workspace.workspace_url().as_deref(),
///     Some("https://cloud.airbyte.com/workspaces/9e4a3c1d-1b2f-4c5d-8e6f-7a8b9c0d1e01")
/// );
/// ```
#[derive(Clone, Default)]
pub struct CloudWorkspaceBuilder {
    explicit: Layer,
    env: Layer,
    no_auth: bool,
    transport: ClientBuilder,
    client: Option<Client>,
    max_list_items: Option<u64>,
}

impl fmt::Debug for CloudWorkspaceBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudWorkspaceBuilder")
            .field(
                "workspace_id",
                &self
                    .explicit
                    .workspace_id
                    .as_ref()
                    .or(self.env.workspace_id.as_ref()),
            )
            .field(
                "client_id",
                &self
                    .explicit
                    .client_id
                    .as_ref()
                    .or(self.env.client_id.as_ref()),
            )
            .field("secrets", &airbyte_models::REDACTED)
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

impl CloudWorkspaceBuilder {
    /// A builder with no settings; the environment is not read.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// A builder that falls back on the process environment for every value not set
    /// explicitly (see [`mod@env`]).
    #[must_use]
    pub fn from_env() -> Self {
        Self::from_env_source(|name| std::env::var(name).ok())
    }

    /// Like [`CloudWorkspaceBuilder::from_env`], reading variables through `get` (a `.env`
    /// file, a secrets manager, a test's map).
    #[must_use]
    pub fn from_env_source(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            env: Layer::from_source(&get),
            transport: ClientBuilder::from_env_source(&get),
            ..Self::default()
        }
    }

    /// The workspace.
    #[must_use]
    pub fn workspace_id(mut self, id: impl Into<String>) -> Self {
        self.explicit.workspace_id = Some(id.into());
        self
    }

    /// OAuth2 client credentials (an Airbyte application).
    #[must_use]
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.explicit.client_id = Some(client_id.into());
        self.explicit.client_secret = Some(SecretString::from(client_secret.into()));
        self
    }

    /// The client credentials of an application just created
    /// ([`CloudWorkspace::create_application`]): the workspace mints its own tokens, acting as
    /// the application's user.
    #[must_use]
    pub fn application(self, application: &crate::CreatedApplication) -> Self {
        self.client_credentials(
            application.application.client_id.clone(),
            application.client_secret.expose_secret(),
        )
    }

    /// A pre-minted bearer token (never refreshed).
    #[must_use]
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.explicit.bearer_token = Some(SecretString::from(token.into()));
        self
    }

    /// HTTP basic authentication (older self-managed installations).
    #[must_use]
    pub fn basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
        self.explicit.basic = Some((username.into(), SecretString::from(password.into())));
        self
    }

    /// No authentication (a deployment without auth).
    #[must_use]
    pub fn no_auth(mut self) -> Self {
        self.no_auth = true;
        self
    }

    /// The Public API root (default `https://api.airbyte.com/v1`; self-managed:
    /// `http(s)://<host>/api/public/v1`).
    #[must_use]
    pub fn api_root(mut self, root: impl Into<String>) -> Self {
        self.transport = self.transport.api_root(root);
        self
    }

    /// The Config API root (inferred when not set).
    #[must_use]
    pub fn config_api_root(mut self, root: impl Into<String>) -> Self {
        self.transport = self.transport.config_api_root(root);
        self
    }

    /// The web UI root, for links (inferred when not set).
    #[must_use]
    pub fn web_root(mut self, root: impl Into<String>) -> Self {
        self.transport = self.transport.web_root(root);
        self
    }

    /// The organization, when known (saves a lookup).
    #[must_use]
    pub fn organization_id(mut self, id: impl Into<String>) -> Self {
        self.explicit.organization_id = Some(id.into());
        self
    }

    /// Do not use the Config API (logs, state, catalogs, checks and builder projects are then
    /// unavailable).
    #[must_use]
    pub fn without_config_api(mut self) -> Self {
        self.transport = self.transport.without_config_api();
        self
    }

    /// Allow plain `http://` to hosts that are not loopback.
    #[must_use]
    pub fn allow_insecure_http(mut self, allow: bool) -> Self {
        self.transport = self.transport.allow_insecure_http(allow);
        self
    }

    /// Retry settings.
    #[must_use]
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.transport = self.transport.retry(retry);
        self
    }

    /// Timeouts.
    #[must_use]
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.transport = self.transport.timeouts(timeouts);
        self
    }

    /// Text appended to the `User-Agent`.
    #[must_use]
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.transport = self.transport.user_agent_suffix(suffix);
        self
    }

    /// Any connection setting of the transport: certificate authorities, a client certificate,
    /// proxies, HTTP/2, connection pool, response size, and the settings above.
    ///
    /// ```
    /// use airbyte_cloud::CloudWorkspace;
    /// use airbyte_transport::TrustRoots;
    ///
    /// let workspace = CloudWorkspace::builder()
    ///     .workspace_id("9e4a3c1d-1b2f-4c5d-8e6f-7a8b9c0d1e01")
    ///     .bearer_token("token")
    ///     .api_root("https://airbyte.corp.example/api/public/v1")
    ///     .transport(|transport| {
    ///         transport
    ///             .trust_roots(TrustRoots::Bundled)
    ///             .proxy("http://proxy.corp.example:3128")
    ///             .no_proxy(".internal")
    ///     })
    ///     .build()
    ///     .unwrap();
    /// # drop(workspace);
    /// ```
    #[must_use]
    pub fn transport(mut self, configure: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Self {
        self.transport = configure(self.transport);
        self
    }

    /// The most items one list may hold (default [`crate::DEFAULT_MAX_LIST_ITEMS`], ten
    /// million): paging a server that never ends stops there with [`crate::Error::Paging`].
    #[must_use]
    pub fn max_list_items(mut self, limit: u64) -> Self {
        self.max_list_items = Some(limit);
        self
    }

    /// Uses an existing transport client (sharing its connection pool and token cache); the
    /// credential and connection settings of this builder are then ignored.
    #[must_use]
    pub fn client(mut self, client: Client) -> Self {
        self.client = Some(client);
        self
    }

    fn credentials(&self) -> Result<Credentials> {
        let settings_error = |message: String| Error::Settings { message };
        if self.no_auth {
            return Ok(Credentials::None);
        }
        let explicit = &self.explicit;
        let kinds = [
            explicit.bearer_token.is_some(),
            explicit.has_client_credentials(),
            explicit.basic.is_some(),
        ];
        if kinds.iter().filter(|given| **given).count() > 1 {
            return Err(settings_error("give one kind of credentials: client credentials, a bearer token or basic auth, not several".to_owned()));
        }
        if let Some(token) = &explicit.bearer_token {
            return Ok(Credentials::BearerToken(token.clone()));
        }
        if let Some((username, password)) = &explicit.basic {
            return Ok(Credentials::Basic {
                username: username.clone(),
                password: password.clone(),
            });
        }
        let env = &self.env;
        let client_layer = if explicit.has_client_credentials() {
            Some((
                explicit.client_id.clone().or(env.client_id.clone()),
                explicit.client_secret.clone().or(env.client_secret.clone()),
            ))
        } else if env.has_client_credentials() && env.bearer_token.is_some() {
            return Err(settings_error(format!(
                "both a bearer token ({}) and client credentials ({}) are set in the environment: keep one",
                env::BEARER_TOKEN.join(" or "),
                env::CLIENT_ID.join(" or ")
            )));
        } else if let Some(token) = &env.bearer_token {
            return Ok(Credentials::BearerToken(token.clone()));
        } else if env.has_client_credentials() {
            Some((env.client_id.clone(), env.client_secret.clone()))
        } else {
            None
        };
        match client_layer {
            Some((Some(client_id), Some(client_secret))) => Ok(Credentials::ClientCredentials {
                client_id,
                client_secret,
            }),
            Some((None, _)) => Err(settings_error(format!(
                "a client secret is set but no client ID ({})",
                env::CLIENT_ID.join(" or ")
            ))),
            Some((_, None)) => Err(settings_error(format!(
                "a client ID is set but no client secret ({})",
                env::CLIENT_SECRET.join(" or ")
            ))),
            None => Err(settings_error(format!(
                "no credentials: set client credentials ({} and {}) or a bearer token ({}), or choose no_auth() for a deployment without authentication",
                env::CLIENT_ID[1],
                env::CLIENT_SECRET[1],
                env::BEARER_TOKEN[1]
            ))),
        }
    }

    /// Resolves every setting and builds the workspace. No request is sent; use
    /// [`CloudWorkspace::connect`] to check the settings against the server.
    ///
    /// # Errors
    ///
    /// [`Error::Settings`] when the workspace ID or credentials are missing or contradictory;
    /// [`Error::Transport`] with a configuration error when a root is invalid.
    pub fn build(self) -> Result<CloudWorkspace> {
        let workspace_id = self
            .explicit
            .workspace_id
            .clone()
            .or_else(|| self.env.workspace_id.clone())
            .ok_or_else(|| Error::Settings {
                message: format!(
                    "no workspace ID: set it on the builder or in {}",
                    env::WORKSPACE_ID.join(" or ")
                ),
            })?;
        let workspace_id = WorkspaceId::new(&workspace_id).map_err(|error| Error::Settings {
            message: error.to_string(),
        })?;
        if self.max_list_items == Some(0) {
            return Err(Error::Settings {
                message: "max_list_items must be at least 1".to_owned(),
            });
        }
        let organization_id = self
            .explicit
            .organization_id
            .clone()
            .or_else(|| self.env.organization_id.clone())
            .map(|id| {
                OrganizationId::new(id).map_err(|error| Error::Settings {
                    message: error.to_string(),
                })
            })
            .transpose()?;
        let client = match self.client.clone() {
            Some(client) => client,
            None => {
                let credentials = self.credentials()?;
                self.transport.credentials(credentials).build()?
            }
        };
        Ok(CloudWorkspace::from_parts(
            client,
            workspace_id,
            organization_id,
            self.max_list_items.unwrap_or(crate::DEFAULT_MAX_LIST_ITEMS),
        ))
    }
}
