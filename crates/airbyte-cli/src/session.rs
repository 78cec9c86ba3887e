//! A session: the API client built from the settings, and the workspace when one is needed.

use std::time::Duration;

use airbyte::models::WorkspaceId;
use airbyte::prelude::CloudWorkspace;
use airbyte::transport::{Client, ClientBuilder, ClientIdentity, Timeouts};

use crate::error::{CliError, CliResult};
use crate::settings::{Credentials, Settings};

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
        // The connection settings of the environment (proxies, certificate authorities, client
        // certificate) are read by the SDK's own code; the flags go on top.
        let mut builder = ClientBuilder::from_env()
            .credentials(credentials)
            .timeouts(timeouts(request_timeout)?)
            .user_agent_suffix(concat!("airbyte-cli/", env!("CARGO_PKG_VERSION")));
        if let Some(root) = settings.api_root().value {
            builder = builder.api_root(root);
        }
        if let Some(root) = settings.config_api_root().value {
            builder = builder.config_api_root(root);
        }
        let network = &settings.network;
        if let Some(path) = &network.ca_file {
            builder = builder.add_ca_file(path);
        }
        if let Some(proxy) = &network.proxy {
            builder = builder.proxy(proxy.0.clone());
        }
        if let Some((certificate, key)) = &network.client_identity {
            builder = builder.client_identity(ClientIdentity::from_pem_files(certificate, key));
        }
        let client = builder.build().map_err(|error| {
            // The transport names the SDK's ways to set a root; say the tool's.
            let hint = match &error {
                airbyte::transport::Error::Config { setting, .. } => match *setting {
                    "config_api_root" => Some(
                        "set the Config API root with --config-api-root, AIRBYTE_CONFIG_API_ROOT or config_api_root in the config file",
                    ),
                    "api_root" => Some(
                        "set the Public API root with --api-root, AIRBYTE_API_ROOT or api_root in the config file (self-managed: http(s)://HOST/api/public/v1)",
                    ),
                    "ca_file" => Some("check --ca-file or AIRBYTE_CA_FILE: a PEM file of certificates"),
                    "proxy" => Some("check --proxy: http://[USER:PASSWORD@]HOST:PORT"),
                    _ => None,
                },
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
