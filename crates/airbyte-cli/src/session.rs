//! A session: the API client built from the settings, and the workspace when one is needed.

use std::time::Duration;

use airbyte::cloud::settings::env;
use airbyte::models::WorkspaceId;
use airbyte::prelude::CloudWorkspace;
use airbyte::transport::{Client, ClientBuilder, Timeouts, TrustRoots};

use crate::error::{CliError, CliResult};
use crate::settings::{Credentials, Origin, Setting, Settings};

/// Whether `text` is a UUID (the form of every Airbyte resource ID).
pub(crate) fn is_uuid(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 36
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            8 | 13 | 18 | 23 => *byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        })
}

/// The canonical (lower-case) form of a UUID given on the command line, `None` when `text`
/// is not a UUID. The API answers in lower case and compares IDs as text in places (filters,
/// ownership checks), so an upper-case ID must not be sent or compared as it was typed.
pub(crate) fn uuid_of(text: &str) -> Option<String> {
    is_uuid(text).then(|| text.to_ascii_lowercase())
}

/// Checks an ID given on the command line before anything is sent.
pub(crate) fn check_uuid(kind: &str, text: &str, origin: &str) -> CliResult {
    if is_uuid(text) {
        return Ok(());
    }
    Err(CliError::bad(format!(
        "invalid {kind} {:?} (from {origin}): expected a UUID such as 9e4a3c1d-1b2f-4c5d-8e6f-7a8b9c0d1e01",
        crate::output::escape(text)
    )))
}

/// The timeouts for `--request-timeout`: each HTTP request, long-running ones included; a
/// whole operation (with its retries) gets at least as long.
pub(crate) fn timeouts(request_timeout: Option<Duration>) -> CliResult<Timeouts> {
    let mut timeouts = Timeouts::default();
    if let Some(timeout) = request_timeout {
        if timeout.is_zero() {
            return Err(CliError::bad("--request-timeout must be longer than zero"));
        }
        timeouts.attempt = timeout;
        timeouts.long_running_attempt = timeout;
        timeouts.operation = timeouts.operation.max(timeout);
        timeouts.long_running_operation = timeouts.long_running_operation.max(timeout);
    }
    Ok(timeouts)
}

/// The transport's builder for the settings in effect, without credentials. The transport's own
/// `ClientBuilder::from_env_source` reads every connection setting (roots, certificate
/// authorities, client certificate, proxies), each taken from the level that set it (flag,
/// variable, profile or file), so the config file's values follow the variables' rules; a
/// `--proxy` goes on top, for every host.
///
/// # Errors
///
/// A setting the transport would misread: `trust_roots` or `http2` with an unknown value, or
/// half a client certificate.
pub(crate) fn client_builder(
    settings: &Settings,
    request_timeout: Option<Duration>,
) -> CliResult<ClientBuilder> {
    let invalid = |name: &str, setting: &Setting, reason: &str| {
        CliError::bad(format!(
            "invalid {name} {:?} (from {}): {reason}",
            setting.value.as_deref().unwrap_or_default(),
            setting.origin
        ))
    };
    let trust = settings.trust_roots();
    if let Some(value) = &trust.value {
        value
            .parse::<TrustRoots>()
            .map_err(|reason| invalid("trust_roots", &trust, &reason))?;
    }
    settings.client_identity()?;
    let mut builder = ClientBuilder::from_env_source(|name| settings.transport_variable(name))
        .timeouts(timeouts(request_timeout)?)
        .user_agent_suffix(concat!("airbyte-cli/", env!("CARGO_PKG_VERSION")));
    let http2 = settings.http2();
    if let Some(value) = &http2.value {
        let enabled = match value.trim().to_ascii_lowercase().as_str() {
            "true" => true,
            "false" => false,
            _ => return Err(invalid("http2", &http2, "expected true or false")),
        };
        builder = builder.http2(enabled);
    }
    let proxy = settings.proxy();
    if let (Some(url), Origin::Flag(_)) = (proxy.value, &proxy.origin) {
        builder = builder.proxy(url);
    }
    Ok(builder)
}

/// The variables of a setting read from the environment: `FIRST (or SECOND)`.
fn variables(names: &[&str]) -> String {
    match names {
        [first, rest @ ..] if !rest.is_empty() => format!("{first} (or {})", rest.join(" or ")),
        names => names.join(""),
    }
}

/// What to check when the transport refuses a setting: the flag, variable or config file that
/// set it, since the transport can only name its own variables.
fn config_hint(settings: &Settings, setting: &str) -> Option<String> {
    let from = |setting: Setting| match setting.origin {
        Origin::Default => String::new(),
        origin => format!(" (set by {origin})"),
    };
    Some(match setting {
        "config_api_root" => format!(
            "set the Config API root with --config-api-root, {} or config_api_root in the config file",
            variables(&env::CONFIG_API_ROOT)
        ),
        "api_root" => format!(
            "set the Public API root with --api-root, {} or api_root in the config file (self-managed: http(s)://HOST/api/public/v1)",
            variables(&env::API_ROOT)
        ),
        "ca_file" => format!(
            "check the CA file{}: a PEM file of certificates (--ca-file, AIRBYTE_CA_FILE or ca_file in the config file)",
            from(settings.ca_file())
        ),
        "client_identity" => format!(
            "check the client certificate{} and its key{}: PEM files (--client-cert and --client-key, AIRBYTE_CLIENT_CERT and AIRBYTE_CLIENT_KEY, or client_cert and client_key in the config file)",
            from(settings.client_cert()),
            from(settings.client_key())
        ),
        name if name == "proxy"
            || name.eq_ignore_ascii_case("https_proxy")
            || name.eq_ignore_ascii_case("http_proxy")
            || name.eq_ignore_ascii_case("all_proxy") =>
        {
            format!(
                "check the proxy{}: http://[USER:PASSWORD@]HOST:PORT, or socks5:// or socks5h:// for SOCKS5 (--proxy, HTTPS_PROXY and the like, or proxy in the config file)",
                from(settings.proxy())
            )
        }
        _ => return None,
    })
}

/// An API client and, when configured, the workspace to work in.
pub(crate) struct Session {
    client: Client,
    workspace_id: Option<WorkspaceId>,
}

impl Session {
    /// Builds the client (no request is sent). The workspace ID, when set, must be a UUID.
    ///
    /// # Errors
    ///
    /// Missing or contradictory credentials, an invalid root or workspace ID.
    pub(crate) fn new(settings: &Settings, request_timeout: Option<Duration>) -> CliResult<Self> {
        let workspace = settings.workspace_id();
        let workspace_id = match workspace.value {
            Some(id) => {
                check_uuid("workspace ID", &id, &workspace.origin.to_string())?;
                let id = id.to_ascii_lowercase();
                Some(WorkspaceId::new(&id).map_err(|error| CliError::bad(error.to_string()))?)
            }
            None => None,
        };
        let (credentials, _) = settings.credentials()?;
        let credentials = match credentials {
            Credentials::ClientCredentials { id, secret } => {
                airbyte::transport::Credentials::client_credentials(id, secret)
            }
            Credentials::BearerToken(token) => airbyte::transport::Credentials::bearer_token(token),
        };
        let client = client_builder(settings, request_timeout)?
            .credentials(credentials)
            .build()
            .map_err(|error| {
                let hint = match &error {
                    airbyte::transport::Error::Config { setting, .. } => {
                        config_hint(settings, setting)
                    }
                    _ => None,
                };
                let error = CliError::from(error);
                match hint {
                    Some(hint) => error.hint(hint),
                    None => error,
                }
            })?;
        Ok(Self {
            client,
            workspace_id,
        })
    }

    /// The client.
    pub(crate) fn client(&self) -> &Client {
        &self.client
    }

    /// The configured workspace.
    ///
    /// # Errors
    ///
    /// When no workspace ID is set.
    pub(crate) fn workspace(&self) -> CliResult<CloudWorkspace> {
        let id = self.workspace_id.clone().ok_or_else(|| {
            CliError::bad(
                "no workspace: pass --workspace-id, set AIRBYTE_WORKSPACE_ID (or AIRBYTE_CLOUD_WORKSPACE_ID), or use a profile with a workspace_id",
            )
        })?;
        Ok(CloudWorkspace::with_client(self.client.clone(), id))
    }

    /// A workspace of this client by ID.
    pub(crate) fn workspace_by_id(&self, id: WorkspaceId) -> CloudWorkspace {
        CloudWorkspace::with_client(self.client.clone(), id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_recognised() {
        assert!(is_uuid("9e4a3c1d-1b2f-4c5d-8e6f-7a8b9c0d1e01"));
        assert!(is_uuid("9E4A3C1D-1B2F-4C5D-8E6F-7A8B9C0D1E01"));
        assert!(!is_uuid("not-a-uuid"));
        assert!(!is_uuid("9e4a3c1d1b2f4c5d8e6f7a8b9c0d1e01"));
        assert!(!is_uuid("9e4a3c1d-1b2f-4c5d-8e6f-7a8b9c0d1e0g"));
        assert!(!is_uuid(""));
        assert_eq!(
            uuid_of("9E4A3C1D-1B2F-4C5D-8E6F-7A8B9C0D1E01").unwrap(),
            "9e4a3c1d-1b2f-4c5d-8e6f-7a8b9c0d1e01"
        );
        assert!(uuid_of("Faker demo").is_none());
    }

    #[test]
    fn a_request_timeout_bounds_every_request() {
        let timeouts = timeouts(Some(Duration::from_secs(5))).unwrap();
        assert_eq!(timeouts.attempt, Duration::from_secs(5));
        assert_eq!(timeouts.long_running_attempt, Duration::from_secs(5));
        let long = timeouts_for(Duration::from_secs(3_600));
        assert!(long.operation >= Duration::from_secs(3_600));
        assert!(super::timeouts(Some(Duration::ZERO)).is_err());
    }

    fn timeouts_for(duration: Duration) -> Timeouts {
        timeouts(Some(duration)).unwrap()
    }
}
