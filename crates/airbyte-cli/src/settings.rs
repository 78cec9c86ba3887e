//! Settings and where each comes from: flags, then environment variables, then the selected
//! profile of the config file, then the file's top level. A profile chosen with `--profile`
//! ranks above the environment variables.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use airbyte::cloud::settings::env;
use serde::Deserialize;

use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};

/// The variable that selects a profile.
pub(crate) const PROFILE_ENV: &str = "AIRBYTE_PROFILE";
/// The variable that names the config file.
pub(crate) const CONFIG_FILE_ENV: &str = "AIRBYTE_CONFIG_FILE";

/// One group of settings, as the config file writes them.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Values {
    workspace_id: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    bearer_token: Option<String>,
    api_root: Option<String>,
    config_api_root: Option<String>,
}

impl Values {
    fn has_secret(&self) -> bool {
        self.client_secret.is_some() || self.bearer_token.is_some()
    }
}

/// The config file: settings at the top level, named profiles, and the default profile.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    workspace_id: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
    bearer_token: Option<String>,
    api_root: Option<String>,
    config_api_root: Option<String>,
    default_profile: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, Values>,
}

impl FileSettings {
    fn top(&self) -> Values {
        Values {
            workspace_id: self.workspace_id.clone(),
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            bearer_token: self.bearer_token.clone(),
            api_root: self.api_root.clone(),
            config_api_root: self.config_api_root.clone(),
        }
    }
}

/// Where a setting came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A command-line flag.
    Flag(&'static str),
    /// An environment variable.
    Env(&'static str),
    /// A profile of the config file.
    Profile(String),
    /// The top level of the config file.
    File,
    /// Not set: the built-in default applies.
    Default,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Flag(flag) => write!(f, "flag {flag}"),
            Self::Env(name) => write!(f, "variable {name}"),
            Self::Profile(name) => write!(f, "config file (profile {name})"),
            Self::File => f.write_str("config file"),
            Self::Default => f.write_str("default"),
        }
    }
}

/// A setting's value and origin.
#[derive(Clone, Debug)]
pub(crate) struct Setting {
    pub(crate) value: Option<String>,
    pub(crate) origin: Origin,
}

/// One level of the precedence: the values it sets for each setting.
struct Level {
    origin: Origin,
    values: Values,
}

/// The connection flags, put on top of what the transport reads from the environment.
#[derive(Clone, Debug, Default)]
pub(crate) struct NetworkFlags {
    pub(crate) ca_file: Option<PathBuf>,
    pub(crate) proxy: Option<crate::cli::ProxyArg>,
    pub(crate) client_identity: Option<(PathBuf, PathBuf)>,
}

/// The settings in effect.
pub(crate) struct Settings {
    levels: Vec<Level>,
    /// `--ca-file`, `--proxy`, `--client-cert` and `--client-key`.
    pub(crate) network: NetworkFlags,
    /// The config file read, if any.
    pub(crate) file: Option<PathBuf>,
    /// The profile selected, and where that choice came from.
    pub(crate) profile: Option<(String, Origin)>,
    /// The profiles the file defines.
    pub(crate) profiles: Vec<String>,
}

/// Which credentials to use, and where they came from.
pub(crate) enum Credentials {
    ClientCredentials { id: String, secret: String },
    BearerToken(String),
}

impl fmt::Debug for Settings {
    /// Never shows a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Settings")
            .field("workspace_id", &self.workspace_id().value)
            .field("api_root", &self.api_root().value)
            .field("file", &self.file)
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

fn env_value(name: &'static str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// The first of the variables that is set, with its name.
fn env_pair(names: [&'static str; 2]) -> Option<(&'static str, String)> {
    names
        .into_iter()
        .find_map(|name| env_value(name).map(|value| (name, value)))
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
    if text.trim().is_empty() {
        return Ok(FileSettings::default());
    }
    let settings: FileSettings = serde_yaml_ng::from_str(&text).map_err(|error| {
        CliError::bad(format!(
            "the config file {} is invalid: {error}",
            path.display()
        ))
    })?;
    if settings.top().has_secret() || settings.profiles.values().any(Values::has_secret) {
        check_permissions(path)?;
    }
    Ok(settings)
}

/// The config file to read: the flag's, else the variable's (both must exist), else the
/// default path when it exists.
fn config_path(global: &GlobalArgs) -> CliResult<Option<PathBuf>> {
    let named = match &global.config_file {
        Some(path) => Some((path.clone(), "--config-file".to_owned())),
        None => std::env::var_os(CONFIG_FILE_ENV)
            .filter(|value| !value.is_empty())
            .map(|path| (PathBuf::from(path), format!("${CONFIG_FILE_ENV}"))),
    };
    if let Some((path, from)) = named {
        if path.is_dir() {
            return Err(CliError::bad(format!(
                "the config file {} (from {from}) is a directory",
                path.display()
            )));
        }
        if !path.is_file() {
            return Err(CliError::bad(format!(
                "the config file {} (from {from}) does not exist",
                path.display()
            )));
        }
        return Ok(Some(path));
    }
    let Some(home) = std::env::var_os("HOME") else {
        return Ok(None);
    };
    let path = PathBuf::from(home)
        .join(".config")
        .join("airbyte")
        .join("config.yaml");
    Ok(path.is_file().then_some(path))
}

impl Settings {
    /// Reads the flags, the environment and the config file.
    ///
    /// # Errors
    ///
    /// A named config file that does not exist or cannot be read, a readable file with a
    /// secret, or an unknown profile.
    pub(crate) fn resolve(global: &GlobalArgs) -> CliResult<Self> {
        let path = config_path(global)?;
        let file = match &path {
            Some(path) => load_file(path)?,
            None => FileSettings::default(),
        };
        let profiles: Vec<String> = file.profiles.keys().cloned().collect();
        let profile = match (&global.profile, env_value(PROFILE_ENV)) {
            (Some(name), _) => Some((name.clone(), Origin::Flag("--profile"))),
            (None, Some(name)) => Some((name, Origin::Env(PROFILE_ENV))),
            (None, None) => file
                .default_profile
                .clone()
                .map(|name| (name, Origin::File)),
        };
        let flag = |value: &Option<String>| {
            value
                .as_ref()
                .map(|value| value.trim().to_owned())
                .filter(|value| !value.is_empty())
        };
        let mut levels = vec![Level {
            origin: Origin::Flag(""),
            values: Values {
                workspace_id: flag(&global.workspace_id),
                client_id: flag(&global.client_id),
                client_secret: flag(&global.client_secret),
                bearer_token: flag(&global.bearer_token),
                api_root: flag(&global.api_root),
                config_api_root: flag(&global.config_api_root),
            },
        }];
        let env_level = Level {
            origin: Origin::Env(""),
            values: Values {
                workspace_id: env_pair(env::WORKSPACE_ID).map(|(_, value)| value),
                client_id: env_pair(env::CLIENT_ID).map(|(_, value)| value),
                client_secret: env_pair(env::CLIENT_SECRET).map(|(_, value)| value),
                bearer_token: env_pair(env::BEARER_TOKEN).map(|(_, value)| value),
                api_root: env_pair(env::API_ROOT).map(|(_, value)| value),
                config_api_root: env_pair(env::CONFIG_API_ROOT).map(|(_, value)| value),
            },
        };
        let mut env_level = Some(env_level);
        // A profile named on the command line is a choice made for this very command: it
        // beats the environment (`--profile staging` must not run against the production
        // workspace of AIRBYTE_WORKSPACE_ID). One chosen by $AIRBYTE_PROFILE or the file's
        // default ranks below the environment.
        let profile_by_flag = matches!(&profile, Some((_, Origin::Flag(_))));
        if !profile_by_flag {
            levels.extend(env_level.take());
        }
        if let Some((name, _)) = &profile {
            let Some(values) = file.profiles.get(name) else {
                let known = if profiles.is_empty() {
                    match &path {
                        Some(path) => format!("{} defines no profiles", path.display()),
                        None => "there is no config file".to_owned(),
                    }
                } else {
                    format!("known profiles: {}", profiles.join(", "))
                };
                return Err(CliError::bad(format!("unknown profile {name:?} ({known})")));
            };
            levels.push(Level {
                origin: Origin::Profile(name.clone()),
                values: values.clone(),
            });
        }
        levels.extend(env_level.take());
        levels.push(Level {
            origin: Origin::File,
            values: file.top(),
        });
        Ok(Self {
            levels,
            network: NetworkFlags {
                ca_file: global.ca_file.clone(),
                proxy: global.proxy.clone(),
                client_identity: global.client_cert.clone().zip(global.client_key.clone()),
            },
            file: path,
            profile,
            profiles,
        })
    }

    /// The first level that sets a value, with the exact flag or variable.
    fn pick(
        &self,
        get: fn(&Values) -> &Option<String>,
        flag: &'static str,
        vars: [&'static str; 2],
    ) -> Setting {
        for level in &self.levels {
            if let Some(value) = get(&level.values) {
                let origin = match &level.origin {
                    Origin::Flag(_) => Origin::Flag(flag),
                    Origin::Env(_) => Origin::Env(env_pair(vars).map_or(vars[0], |(name, _)| name)),
                    other => other.clone(),
                };
                return Setting {
                    value: Some(value.clone()),
                    origin,
                };
            }
        }
        Setting {
            value: None,
            origin: Origin::Default,
        }
    }

    /// The workspace ID.
    pub(crate) fn workspace_id(&self) -> Setting {
        self.pick(|v| &v.workspace_id, "--workspace-id", env::WORKSPACE_ID)
    }

    /// The client ID.
    pub(crate) fn client_id(&self) -> Setting {
        self.pick(|v| &v.client_id, "--client-id", env::CLIENT_ID)
    }

    /// The client secret.
    pub(crate) fn client_secret(&self) -> Setting {
        self.pick(|v| &v.client_secret, "--client-secret", env::CLIENT_SECRET)
    }

    /// The bearer token.
    pub(crate) fn bearer_token(&self) -> Setting {
        self.pick(|v| &v.bearer_token, "--bearer-token", env::BEARER_TOKEN)
    }

    /// The Public API root.
    pub(crate) fn api_root(&self) -> Setting {
        self.pick(|v| &v.api_root, "--api-root", env::API_ROOT)
    }

    /// The Config API root.
    pub(crate) fn config_api_root(&self) -> Setting {
        self.pick(
            |v| &v.config_api_root,
            "--config-api-root",
            env::CONFIG_API_ROOT,
        )
    }

    /// Whether an Airbyte is configured at all (credentials or an API root).
    pub(crate) fn is_configured(&self) -> bool {
        [
            self.client_id(),
            self.client_secret(),
            self.bearer_token(),
            self.api_root(),
        ]
        .iter()
        .any(|setting| setting.value.is_some())
    }

    /// The credentials: those of the highest level that sets any (flags, then variables,
    /// then the profile, then the file). A client ID and secret may come from different
    /// levels, but a bearer token and client credentials at the same level are an error.
    ///
    /// # Errors
    ///
    /// Contradictory or incomplete credentials, or none.
    pub(crate) fn credentials(&self) -> CliResult<(Credentials, Origin)> {
        let level = self.levels.iter().find(|level| {
            let values = &level.values;
            values.bearer_token.is_some()
                || values.client_id.is_some()
                || values.client_secret.is_some()
        });
        let Some(level) = level else {
            return Err(CliError::bad(
                "no credentials: set AIRBYTE_CLIENT_ID and AIRBYTE_CLIENT_SECRET, or AIRBYTE_BEARER_TOKEN, or use a profile (or try `airbyte quickstart`, which needs none)",
            ));
        };
        let values = &level.values;
        let describe = |origin: &Origin| match origin {
            Origin::Flag(_) => "flags".to_owned(),
            Origin::Env(_) => "environment variables".to_owned(),
            other => other.to_string(),
        };
        if let Some(token) = &values.bearer_token {
            if values.client_id.is_some() || values.client_secret.is_some() {
                return Err(CliError::bad(format!(
                    "both a bearer token and client credentials are set in the {}: keep one",
                    describe(&level.origin)
                )));
            }
            let origin = self.bearer_token().origin;
            return Ok((Credentials::BearerToken(token.clone()), origin));
        }
        let id = self.client_id();
        let secret = self.client_secret();
        match (id.value, secret.value) {
            (Some(id_value), Some(secret_value)) => Ok((
                Credentials::ClientCredentials {
                    id: id_value,
                    secret: secret_value,
                },
                id.origin,
            )),
            (Some(_), None) => Err(CliError::bad(
                "a client ID is set but no client secret (AIRBYTE_CLIENT_SECRET)",
            )),
            (None, _) => Err(CliError::bad(
                "a client secret is set but no client ID (AIRBYTE_CLIENT_ID)",
            )),
        }
    }
}
