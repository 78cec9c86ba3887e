//! `config view`: every setting in effect, where it came from, secrets masked.

use airbyte::transport::{ApiRoots, ConfigApi, RootSettings};
use serde_json::{Value, json};

use crate::cli::{ConfigCommand, GlobalArgs};
use crate::error::CliResult;
use crate::output::{Column, Out, text};
use crate::settings::{CONFIG_FILE_ENV, Origin, Setting, Settings};

const COLUMNS: &[Column] = &[
    text("SETTING", "/setting"),
    text("VALUE", "/value"),
    text("SOURCE", "/source"),
];

/// What a secret shows as: the same whatever its length.
const MASK: &str = "********";

fn row(setting: &str, value: Option<String>, origin: &Origin) -> Value {
    json!({"setting": setting, "value": value, "source": origin.to_string()})
}

fn plain(name: &str, setting: Setting) -> Value {
    row(name, setting.value, &setting.origin)
}

fn secret(name: &str, setting: Setting) -> Value {
    row(
        name,
        setting.value.map(|_| MASK.to_owned()),
        &setting.origin,
    )
}

/// A root as the client would take it, or why it would refuse it (the transport's message,
/// which never shows a user or password written into the URL).
fn root(name: &str, setting: Setting) -> Value {
    let Some(value) = setting.value.clone() else {
        return plain(name, setting);
    };
    let settings = if name == "api_root" {
        RootSettings {
            api_root: Some(value.clone()),
            config_api: ConfigApi::Disabled,
            allow_insecure_http: true,
            ..RootSettings::default()
        }
    } else {
        RootSettings {
            config_api_root: Some(value.clone()),
            allow_insecure_http: true,
            ..RootSettings::default()
        }
    };
    let shown = match ApiRoots::resolve(&settings) {
        Ok(_) => value,
        Err(error) => format!("invalid: {error}"),
    };
    row(name, Some(shown), &setting.origin)
}

/// A proxy URL with its user and password masked.
fn without_password(url: &str) -> String {
    match crate::settings::proxy_credentials_split(url) {
        Some((scheme, after)) => format!("{scheme}{MASK}@{after}"),
        None => url.to_owned(),
    }
}

pub(crate) fn run(global: &GlobalArgs, out: &Out, command: &ConfigCommand) -> CliResult {
    let ConfigCommand::View = command;
    let settings = Settings::resolve(global)?;
    let file_origin = if global.config_file.is_some() {
        Origin::Flag("--config-file")
    } else if std::env::var_os(CONFIG_FILE_ENV).is_some_and(|value| !value.is_empty()) {
        Origin::Env(CONFIG_FILE_ENV)
    } else {
        Origin::Default
    };
    let credentials = match settings.credentials() {
        Ok((crate::settings::Credentials::ClientCredentials { .. }, origin)) => row(
            "credentials",
            Some("client credentials".to_owned()),
            &origin,
        ),
        Ok((crate::settings::Credentials::BearerToken(_), origin)) => {
            row("credentials", Some("bearer token".to_owned()), &origin)
        }
        Err(error) => row(
            "credentials",
            Some(format!("invalid: {error}")),
            &Origin::Default,
        ),
    };
    let api_root = settings.api_root();
    let api_root = match api_root.value {
        Some(_) => root("api_root", api_root),
        None => row(
            "api_root",
            Some("https://api.airbyte.com/v1".to_owned()),
            &Origin::Default,
        ),
    };
    let config_api_root = settings.config_api_root();
    let config_api_root = match config_api_root.value {
        Some(_) => root("config_api_root", config_api_root),
        None => row(
            "config_api_root",
            Some("(inferred from api_root)".to_owned()),
            &Origin::Default,
        ),
    };
    let or_default = |name: &str, setting: Setting, default: &str| match setting.value {
        Some(_) => plain(name, setting),
        None => row(name, Some(default.to_owned()), &Origin::Default),
    };
    let proxy = settings.proxy();
    let proxy = row(
        "proxy",
        proxy.value.as_deref().map(without_password),
        &proxy.origin,
    );
    let duration = |name: &str, value: Option<std::time::Duration>, flag: &'static str| match value
    {
        Some(value) => row(
            name,
            Some(crate::output::human::duration(value)),
            &Origin::Flag(flag),
        ),
        None => row(name, None, &Origin::Default),
    };
    let rows = vec![
        row(
            "config_file",
            settings
                .file
                .as_ref()
                .map(|path| path.display().to_string()),
            &file_origin,
        ),
        match &settings.profile {
            Some((name, origin)) => row("profile", Some(name.clone()), origin),
            None => row("profile", None, &Origin::Default),
        },
        row(
            "profiles",
            (!settings.profiles.is_empty()).then(|| settings.profiles.join(", ")),
            &Origin::File,
        ),
        plain("workspace_id", settings.workspace_id()),
        plain("client_id", settings.client_id()),
        secret("client_secret", settings.client_secret()),
        secret("bearer_token", settings.bearer_token()),
        credentials,
        api_root,
        config_api_root,
        or_default("web_root", settings.web_root(), "(inferred from api_root)"),
        or_default("trust_roots", settings.trust_roots(), "bundled+system"),
        plain("ca_file", settings.ca_file()),
        plain("client_cert", settings.client_cert()),
        plain("client_key", settings.client_key()),
        proxy,
        plain("no_proxy", settings.no_proxy()),
        or_default("http2", settings.http2(), "true"),
        duration(
            "request_timeout",
            global.request_timeout,
            "--request-timeout",
        ),
        duration(
            "command_timeout",
            global.command_timeout,
            "--command-timeout",
        ),
    ];
    out.list(&rows, COLUMNS)
}
