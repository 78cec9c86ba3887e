//! Settings and where each comes from: flags, then environment variables, then the selected
//! profile of the config file, then the file's top level. A profile chosen with `--profile`
//! ranks above the environment variables.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use airbyte::cloud::settings::env;
use airbyte::transport::env as net;
use serde::Deserialize;

use crate::cli::GlobalArgs;
use crate::error::{CliError, CliResult};

/// The variable that selects a profile.
pub(crate) const PROFILE_ENV: &str = "AIRBYTE_PROFILE";
/// The variable that names the config file.
pub(crate) const CONFIG_FILE_ENV: &str = "AIRBYTE_CONFIG_FILE";

/// Declares the settings a level of the precedence can set, once: each is a field of
/// [`Values`] and, with the same name, a key of the config file's top level and of each of its
/// profiles.
macro_rules! settings {
    ($($(#[$attr:meta])* $name:ident,)*) => {
        /// One group of settings, as the config file writes them.
        #[derive(Clone, Debug, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Values {
            $($(#[$attr])* $name: Option<String>,)*
        }

        /// The config file: settings at the top level, named profiles, and the default profile.
        #[derive(Debug, Default, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct FileSettings {
            $($(#[$attr])* $name: Option<String>,)*
            default_profile: Option<String>,
            #[serde(default)]
            profiles: BTreeMap<String, Values>,
        }

        impl FileSettings {
            fn top(&self) -> Values {
                Values {
                    $($name: self.$name.clone(),)*
                }
            }
        }
    };
}

settings! {
    workspace_id,
    client_id,
    client_secret,
    bearer_token,
    api_root,
    config_api_root,
    web_root,
    trust_roots,
    ca_file,
    client_cert,
    client_key,
    proxy,
    no_proxy,
    #[serde(default, deserialize_with = "bool_or_text")]
    http2,
}

impl Values {
    fn has_secret(&self) -> bool {
        self.client_secret.is_some()
            || self.bearer_token.is_some()
            || self.proxy.as_deref().is_some_and(proxy_has_credentials)
    }

    /// Relative certificate paths of the config file are relative to the file's directory
    /// (as in a kubeconfig), not to wherever the command runs.
    fn anchor_paths(mut self, dir: &Path) -> Self {
        for path in [
            &mut self.ca_file,
            &mut self.client_cert,
            &mut self.client_key,
        ]
        .into_iter()
        .flatten()
        {
            if Path::new(path.as_str()).is_relative() {
                *path = dir.join(path.as_str()).display().to_string();
            }
        }
        self
    }
}

/// Reads `http2: false` (a YAML boolean) as well as `http2: "false"`.
fn bool_or_text<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    struct Visitor;
    impl serde::de::Visitor<'_> for Visitor {
        type Value = Option<String>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("true or false")
        }
        fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<Self::Value, E> {
            Ok(Some(value.to_string()))
        }
        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
            Ok(Some(value.to_owned()))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    deserializer.deserialize_any(Visitor)
}

/// A proxy URL split at its user and password (`http://user:password@proxy:3128`): what comes
/// before them (the scheme and `://`, or nothing), and what follows them (host, port, ...),
/// when it has any. Everything before the last `@` counts: a password with an unencoded `/`,
/// `?` or `#` ends the URL's authority early, and must still count as a secret.
pub(crate) fn proxy_credentials_split(url: &str) -> Option<(&str, &str)> {
    let start = url.find("://").map_or(0, |at| at + 3);
    let at = url[start..].rfind('@')? + start;
    Some((&url[..start], &url[at + 1..]))
}

/// Whether a proxy URL carries a user or password (`http://user:password@proxy:3128`).
pub(crate) fn proxy_has_credentials(url: &str) -> bool {
    proxy_credentials_split(url).is_some()
}

/// The variables that set a proxy, in the transport's order. A CGI program (`REQUEST_METHOD`
/// set) ignores `HTTP_PROXY`, which a client can set through a `Proxy:` request header.
const PROXY_VARS: &[&str] = &[
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
];
const PROXY_VARS_CGI: &[&str] = &[
    "HTTPS_PROXY",
    "https_proxy",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
];
const NO_PROXY_VARS: &[&str] = &["NO_PROXY", "no_proxy"];

fn proxy_vars() -> &'static [&'static str] {
    if std::env::var_os("REQUEST_METHOD").is_some() {
        PROXY_VARS_CGI
    } else {
        PROXY_VARS
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

/// The settings in effect.
pub(crate) struct Settings {
    levels: Vec<Level>,
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

fn env_value(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// The first of the variables that is set, with its name.
fn env_pair(names: &[&'static str]) -> Option<(&'static str, String)> {
    names
        .iter()
        .copied()
        .find_map(|name| env_value(name).map(|value| (name, value)))
}

/// A path given by a flag, as the text the other levels give (a path that is not UTF-8 is
/// refused rather than mangled).
fn flag_path(path: Option<&PathBuf>, flag: &str) -> CliResult<Option<String>> {
    path.map(|path| {
        path.to_str().map(str::to_owned).ok_or_else(|| {
            CliError::bad(format!(
                "{flag}: the path {} is not valid UTF-8",
                path.display()
            ))
        })
    })
    .transpose()
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
        let file_dir = path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default();
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
                ca_file: flag_path(global.ca_file.as_ref(), "--ca-file")?,
                client_cert: flag_path(global.client_cert.as_ref(), "--client-cert")?,
                client_key: flag_path(global.client_key.as_ref(), "--client-key")?,
                proxy: global.proxy.as_ref().map(|proxy| proxy.0.clone()),
                ..Values::default()
            },
        }];
        let from_env = |names: &[&'static str]| env_pair(names).map(|(_, value)| value);
        let env_level = Level {
            origin: Origin::Env(""),
            values: Values {
                workspace_id: from_env(&env::WORKSPACE_ID),
                client_id: from_env(&env::CLIENT_ID),
                client_secret: from_env(&env::CLIENT_SECRET),
                bearer_token: from_env(&env::BEARER_TOKEN),
                api_root: from_env(&env::API_ROOT),
                config_api_root: from_env(&env::CONFIG_API_ROOT),
                web_root: from_env(&env::WEB_ROOT),
                trust_roots: from_env(&[net::TRUST_ROOTS]),
                ca_file: from_env(&[net::CA_FILE]),
                client_cert: from_env(&[net::CLIENT_CERT]),
                client_key: from_env(&[net::CLIENT_KEY]),
                proxy: from_env(proxy_vars()),
                no_proxy: from_env(NO_PROXY_VARS),
                http2: None,
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
                values: values.clone().anchor_paths(&file_dir),
            });
        }
        levels.extend(env_level.take());
        levels.push(Level {
            origin: Origin::File,
            values: file.top().anchor_paths(&file_dir),
        });
        Ok(Self {
            levels,
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
        vars: &[&'static str],
    ) -> Setting {
        for level in &self.levels {
            if let Some(value) = get(&level.values) {
                let origin = match &level.origin {
                    Origin::Flag(_) => Origin::Flag(flag),
                    Origin::Env(_) => Origin::Env(env_pair(vars).map_or_else(
                        || vars.first().copied().unwrap_or_default(),
                        |(name, _)| name,
                    )),
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
        self.pick(|v| &v.workspace_id, "--workspace-id", &env::WORKSPACE_ID)
    }

    /// The client ID.
    pub(crate) fn client_id(&self) -> Setting {
        self.pick(|v| &v.client_id, "--client-id", &env::CLIENT_ID)
    }

    /// The client secret.
    pub(crate) fn client_secret(&self) -> Setting {
        self.pick(|v| &v.client_secret, "--client-secret", &env::CLIENT_SECRET)
    }

    /// The bearer token.
    pub(crate) fn bearer_token(&self) -> Setting {
        self.pick(|v| &v.bearer_token, "--bearer-token", &env::BEARER_TOKEN)
    }

    /// The Public API root.
    pub(crate) fn api_root(&self) -> Setting {
        self.pick(|v| &v.api_root, "--api-root", &env::API_ROOT)
    }

    /// The Config API root.
    pub(crate) fn config_api_root(&self) -> Setting {
        self.pick(
            |v| &v.config_api_root,
            "--config-api-root",
            &env::CONFIG_API_ROOT,
        )
    }

    /// The web UI root, for links.
    pub(crate) fn web_root(&self) -> Setting {
        self.pick(|v| &v.web_root, "", &env::WEB_ROOT)
    }

    /// Which certificate authorities are trusted (`bundled`, `system`, `bundled+system`).
    pub(crate) fn trust_roots(&self) -> Setting {
        self.pick(|v| &v.trust_roots, "", &[net::TRUST_ROOTS])
    }

    /// A PEM file of certificate authorities trusted in addition.
    pub(crate) fn ca_file(&self) -> Setting {
        self.pick(|v| &v.ca_file, "--ca-file", &[net::CA_FILE])
    }

    /// The client certificate for mutual TLS.
    pub(crate) fn client_cert(&self) -> Setting {
        self.pick(|v| &v.client_cert, "--client-cert", &[net::CLIENT_CERT])
    }

    /// The private key of the client certificate.
    pub(crate) fn client_key(&self) -> Setting {
        self.pick(|v| &v.client_key, "--client-key", &[net::CLIENT_KEY])
    }

    /// The proxy (a URL that may hold a password).
    pub(crate) fn proxy(&self) -> Setting {
        self.pick(|v| &v.proxy, "--proxy", proxy_vars())
    }

    /// The hosts reached without the proxy.
    pub(crate) fn no_proxy(&self) -> Setting {
        self.pick(|v| &v.no_proxy, "", NO_PROXY_VARS)
    }

    /// Whether HTTP/2 is offered on TLS connections (`true` or `false`).
    pub(crate) fn http2(&self) -> Setting {
        self.pick(|v| &v.http2, "", &[])
    }

    /// The client certificate and its key: from the highest level that sets either, which
    /// must set both (like credentials, a pair is never put together from two levels).
    ///
    /// # Errors
    ///
    /// One of the two set without the other.
    pub(crate) fn client_identity(&self) -> CliResult<Option<(Setting, Setting)>> {
        let Some(level) = self
            .levels
            .iter()
            .find(|level| level.values.client_cert.is_some() || level.values.client_key.is_some())
        else {
            return Ok(None);
        };
        let (certificate, key) = (self.client_cert(), self.client_key());
        if level.values.client_cert.is_none() || level.values.client_key.is_none() {
            let (set, missing) = if level.values.client_cert.is_some() {
                (&certificate, "client_key")
            } else {
                (&key, "client_cert")
            };
            return Err(CliError::bad(format!(
                "a client certificate needs both client_cert and client_key, but {} sets no {missing}",
                set.origin
            )));
        }
        Ok(Some((certificate, key)))
    }

    /// What the transport's `ClientBuilder::from_env_source` reads for the variable `name`: the
    /// setting the variable stands for, from whichever level set it. The transport then applies
    /// a value of the config file with the rules of the variable (a proxy of the file, like one
    /// of the environment, never carries traffic to this machine). A proxy set by `--proxy` is
    /// not given here: the caller sets it on the builder, where it applies to every host.
    pub(crate) fn transport_variable(&self, name: &str) -> Option<String> {
        let first_of = |names: &[&str], setting: Setting| {
            (names.first() == Some(&name))
                .then_some(setting.value)
                .flatten()
        };
        if env::API_ROOT.contains(&name) {
            return first_of(&env::API_ROOT, self.api_root());
        }
        if env::CONFIG_API_ROOT.contains(&name) {
            return first_of(&env::CONFIG_API_ROOT, self.config_api_root());
        }
        if env::WEB_ROOT.contains(&name) {
            return first_of(&env::WEB_ROOT, self.web_root());
        }
        if NO_PROXY_VARS.contains(&name) {
            return first_of(NO_PROXY_VARS, self.no_proxy());
        }
        if PROXY_VARS.contains(&name) {
            let proxy = self.proxy();
            return match proxy.origin {
                Origin::Env(_) => env_value(name),
                Origin::Profile(_) | Origin::File => first_of(&[net::ALL_PROXY], proxy),
                Origin::Flag(_) | Origin::Default => None,
            };
        }
        match name {
            net::TRUST_ROOTS => self.trust_roots().value,
            net::CA_FILE => self.ca_file().value,
            net::CLIENT_CERT => self.client_cert().value,
            net::CLIENT_KEY => self.client_key().value,
            other => env_value(other),
        }
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
