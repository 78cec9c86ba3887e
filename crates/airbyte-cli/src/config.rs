//! Settings: flags, then environment variables, then a config file.

use std::path::{Path, PathBuf};

use airbyte::cloud::settings::env;
use airbyte::prelude::CloudWorkspace;
use serde::Deserialize;

use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};

/// The config file's content.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    workspace_id: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    bearer_token: Option<String>,
    api_root: Option<String>,
    config_api_root: Option<String>,
}

/// The resolved settings.
#[derive(Clone, Default)]
pub(crate) struct Settings {
    pub(crate) workspace_id: Option<String>,
    pub(crate) client_id: Option<String>,
    pub(crate) client_secret: Option<String>,
    pub(crate) bearer_token: Option<String>,
    pub(crate) api_root: Option<String>,
    pub(crate) config_api_root: Option<String>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("workspace_id", &self.workspace_id)
            .field("client_id", &self.client_id)
            .field("api_root", &self.api_root)
            .finish_non_exhaustive()
    }
}

fn env_value(names: [&str; 2]) -> Option<String> {
    names
        .iter()
        .filter_map(|name| std::env::var(name).ok())
        .map(|value| value.trim().to_owned())
        .find(|value| !value.is_empty())
}

fn default_config_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("AIRBYTE_CONFIG_FILE") {
        return Some(PathBuf::from(path));
    }
    let home = std::env::var_os("HOME")?;
    Some(
        PathBuf::from(home)
            .join(".config")
            .join("airbyte")
            .join("config.yaml"),
    )
}

/// Refuses a config file that holds a secret and that others may read.
#[cfg(unix)]
fn check_permissions(path: &Path) -> CliResult {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|error| CliError::bad(format!("cannot read {}: {error}", path.display())))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        return Err(CliError::bad(format!(
            "the config file {} holds a secret but others can read it (mode {:o}); run `chmod 600 {}`",
            path.display(),
            mode & 0o777,
            path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_permissions(_path: &Path) -> CliResult {
    Ok(())
}

fn load_file(path: &Path) -> CliResult<FileSettings> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        CliError::bad(format!(
            "cannot read the config file {}: {error}",
            path.display()
        ))
    })?;
    let settings: FileSettings = serde_yaml_ng::from_str(&text).map_err(|error| {
        CliError::bad(format!(
            "the config file {} is invalid: {error}",
            path.display()
        ))
    })?;
    if settings.client_secret.is_some() || settings.bearer_token.is_some() {
        check_permissions(path)?;
    }
    Ok(settings)
}

impl Settings {
    /// Flags, then `AIRBYTE_*`, then `AIRBYTE_CLOUD_*`, then the config file.
    pub(crate) fn resolve(global: &GlobalArgs) -> CliResult<Self> {
        let file = match &global.config_file {
            Some(path) => load_file(path)?,
            None => match default_config_path().filter(|path| path.exists()) {
                Some(path) => load_file(&path)?,
                None => FileSettings::default(),
            },
        };
        let pick = |flag: &Option<String>, names: [&str; 2], from_file: &Option<String>| {
            flag.clone()
                .filter(|value| !value.trim().is_empty())
                .or_else(|| env_value(names))
                .or_else(|| from_file.clone())
        };
        Ok(Self {
            workspace_id: pick(&global.workspace_id, env::WORKSPACE_ID, &file.workspace_id),
            client_id: pick(&global.client_id, env::CLIENT_ID, &file.client_id),
            client_secret: pick(
                &global.client_secret,
                env::CLIENT_SECRET,
                &file.client_secret,
            ),
            bearer_token: pick(&global.bearer_token, env::BEARER_TOKEN, &file.bearer_token),
            api_root: pick(&global.api_root, env::API_ROOT, &file.api_root),
            config_api_root: pick(
                &global.config_api_root,
                env::CONFIG_API_ROOT,
                &file.config_api_root,
            ),
        })
    }

    /// Whether an Airbyte is configured at all (credentials or an API root).
    pub(crate) fn is_configured(&self) -> bool {
        self.client_id.is_some()
            || self.client_secret.is_some()
            || self.bearer_token.is_some()
            || self.api_root.is_some()
    }

    /// The workspace these settings describe.
    pub(crate) fn workspace(&self) -> CliResult<CloudWorkspace> {
        let mut builder = CloudWorkspace::builder()
            .user_agent_suffix(concat!("airbyte-cli/", env!("CARGO_PKG_VERSION")));
        let workspace_id = self.workspace_id.clone().ok_or_else(|| {
            CliError::bad("no workspace: pass --workspace-id or set AIRBYTE_WORKSPACE_ID (or AIRBYTE_CLOUD_WORKSPACE_ID)")
        })?;
        builder = builder.workspace_id(workspace_id);
        if let Some(root) = &self.api_root {
            builder = builder.api_root(root.clone());
        }
        if let Some(root) = &self.config_api_root {
            builder = builder.config_api_root(root.clone());
        }
        builder = match (&self.bearer_token, &self.client_id, &self.client_secret) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                return Err(CliError::bad(
                    "give client credentials or a bearer token, not both",
                ));
            }
            (Some(token), None, None) => builder.bearer_token(token.clone()),
            (None, Some(id), Some(secret)) => {
                builder.client_credentials(id.clone(), secret.clone())
            }
            (None, Some(_), None) => {
                return Err(CliError::bad(
                    "a client ID is set but no client secret (AIRBYTE_CLIENT_SECRET)",
                ));
            }
            (None, None, Some(_)) => {
                return Err(CliError::bad(
                    "a client secret is set but no client ID (AIRBYTE_CLIENT_ID)",
                ));
            }
            (None, None, None) => {
                return Err(CliError::bad(
                    "no credentials: set AIRBYTE_CLIENT_ID and AIRBYTE_CLIENT_SECRET, or AIRBYTE_BEARER_TOKEN (or try `airbyte quickstart`, which needs none)",
                ));
            }
        };
        Ok(builder.build()?)
    }
}
