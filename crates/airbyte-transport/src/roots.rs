//! The three roots of an Airbyte deployment: the Public API, the Config API and the web UI.

use http::Uri;

use crate::Error;

/// The Public API root of Airbyte Cloud.
pub const CLOUD_API_ROOT: &str = "https://api.airbyte.com/v1";
/// The Config API root of Airbyte Cloud.
pub const CLOUD_CONFIG_API_ROOT: &str = "https://cloud.airbyte.com/api/v1";
/// The web UI root of Airbyte Cloud.
pub const CLOUD_WEB_ROOT: &str = "https://cloud.airbyte.com";

/// The suffix of a self-managed Public API root (`http://host:8000/api/public/v1`).
const SELF_MANAGED_PUBLIC_SUFFIX: &str = "/api/public/v1";
/// The Config API root that goes with it (`http://host:8000/api/v1`).
const SELF_MANAGED_CONFIG_SUFFIX: &str = "/api/v1";

/// The resolved, validated roots of one Airbyte deployment. All are normalized without a
/// trailing slash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiRoots {
    public: String,
    config: Option<String>,
    web: Option<String>,
}

/// Whether the Config API is used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigApi {
    /// Use an explicit root, or infer one from the Public API root; fail if neither works.
    #[default]
    Required,
    /// Do not use the Config API: its operations fail with [`Error::InvalidInput`].
    Disabled,
}

/// The settings [`ApiRoots::resolve`] works from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RootSettings {
    /// The Public API root; Airbyte Cloud when `None`.
    pub api_root: Option<String>,
    /// The Config API root; inferred when `None`.
    pub config_api_root: Option<String>,
    /// The web UI root; inferred when `None` (Cloud, or the host of a self-managed root).
    pub web_root: Option<String>,
    /// Whether the Config API is used.
    pub config_api: ConfigApi,
    /// Allow plain `http://` to hosts other than loopback.
    pub allow_insecure_http: bool,
}

impl ApiRoots {
    /// The roots of Airbyte Cloud.
    #[must_use]
    pub fn cloud() -> Self {
        Self {
            public: CLOUD_API_ROOT.to_owned(),
            config: Some(CLOUD_CONFIG_API_ROOT.to_owned()),
            web: Some(CLOUD_WEB_ROOT.to_owned()),
        }
    }

    /// Resolves and validates the roots.
    ///
    /// The Config API root is the explicit one, else inferred: the Cloud Public API root maps to
    /// the Cloud Config API root, and a root ending in `/api/public/v1` maps to the same prefix
    /// with `/api/v1`. The web root is the explicit one, else Cloud's, else the prefix before
    /// `/api/public/v1`.
    ///
    /// # Errors
    ///
    /// [`Error::Config`], naming the setting, when a root is not an absolute `http(s)` URL,
    /// uses plain HTTP to a host that is not loopback (unless allowed), or when the Config API
    /// root cannot be inferred and is required.
    pub fn resolve(settings: &RootSettings) -> Result<Self, Error> {
        let public = match &settings.api_root {
            Some(root) => normalize("api_root", root, settings.allow_insecure_http)?,
            None => CLOUD_API_ROOT.to_owned(),
        };
        let config = match (&settings.config_api_root, settings.config_api) {
            (_, ConfigApi::Disabled) => None,
            (Some(root), ConfigApi::Required) => Some(normalize(
                "config_api_root",
                root,
                settings.allow_insecure_http,
            )?),
            (None, ConfigApi::Required) => {
                Some(infer_config_root(&public).ok_or_else(|| Error::Config {
                    setting: "config_api_root",
                    reason: format!(
                        "cannot infer the Config API root from the Public API root {public}: set \
                         it explicitly (`config_api_root`, or the environment variable \
                         AIRBYTE_CONFIG_API_ROOT or its Cloud form AIRBYTE_CLOUD_CONFIG_API_URL), \
                         or disable the Config API"
                    ),
                })?)
            }
        };
        let web = match &settings.web_root {
            Some(root) => Some(normalize("web_root", root, settings.allow_insecure_http)?),
            None => infer_web_root(&public),
        };
        Ok(Self {
            public,
            config,
            web,
        })
    }

    /// The Public API root, such as `https://api.airbyte.com/v1`.
    #[must_use]
    pub fn public(&self) -> &str {
        &self.public
    }

    /// The Config API root, unless the Config API is disabled.
    #[must_use]
    pub fn config(&self) -> Option<&str> {
        self.config.as_deref()
    }

    /// The web UI root for links, when known.
    #[must_use]
    pub fn web(&self) -> Option<&str> {
        self.web.as_deref()
    }

    /// Whether every root requests go to (Public API, token endpoint, Config API) is plain
    /// `http://`; the web root is only used for links.
    pub(crate) fn all_plain_http(&self) -> bool {
        // Roots keep the case they were given in; the scheme was checked when they were.
        let plain = |root: &str| {
            root.get(..7)
                .is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://"))
        };
        plain(&self.public) && self.config.as_deref().is_none_or(plain)
    }

    /// Whether these are Airbyte Cloud's roots.
    #[must_use]
    pub fn is_cloud(&self) -> bool {
        self.public == CLOUD_API_ROOT
    }

    /// The token endpoint: `{public root}/applications/token`.
    #[must_use]
    pub fn token_url(&self) -> String {
        format!("{}/applications/token", self.public)
    }
}

fn infer_config_root(public: &str) -> Option<String> {
    if public == CLOUD_API_ROOT {
        return Some(CLOUD_CONFIG_API_ROOT.to_owned());
    }
    public
        .strip_suffix(SELF_MANAGED_PUBLIC_SUFFIX)
        .map(|prefix| format!("{prefix}{SELF_MANAGED_CONFIG_SUFFIX}"))
}

fn infer_web_root(public: &str) -> Option<String> {
    if public == CLOUD_API_ROOT {
        return Some(CLOUD_WEB_ROOT.to_owned());
    }
    public
        .strip_suffix(SELF_MANAGED_PUBLIC_SUFFIX)
        .filter(|prefix| prefix.contains("://"))
        .map(str::to_owned)
}

/// Validates a root and removes trailing slashes.
fn normalize(
    setting: &'static str,
    root: &str,
    allow_insecure_http: bool,
) -> Result<String, Error> {
    let invalid = |reason: String| Error::Config { setting, reason };
    let trimmed = root.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        return Err(invalid("the URL is empty".to_owned()));
    }
    // Messages show the root without a user or password, nor a secret query parameter.
    let (shown, has_credentials) = without_credentials(trimmed);
    let shown = airbyte_models::mask_text_secrets(&shown, "***").unwrap_or(shown);
    if has_credentials {
        // hyper never sends them, and the root ends up in messages and in job links.
        return Err(invalid(format!(
            "{shown:?} has credentials in it (USER:PASSWORD@), which are never sent and must \
             not be shown in links; remove them and give the credentials as such (client \
             credentials, a bearer token or basic authentication)"
        )));
    }
    let uri: Uri = trimmed
        .parse()
        .map_err(|error| invalid(format!("{shown:?} is not a valid URL: {error}")))?;
    let scheme = uri.scheme_str().unwrap_or_default();
    let Some(host) = uri.host() else {
        return Err(invalid(format!(
            "{shown:?} is not an absolute URL (expected https://host/...)"
        )));
    };
    if uri.query().is_some() || trimmed.contains('#') {
        return Err(invalid(format!(
            "{shown:?} must not have a query or fragment"
        )));
    }
    match scheme {
        "https" => {}
        "http" if allow_insecure_http || is_loopback(host) => {}
        "http" => {
            return Err(invalid(format!(
                "{shown:?} uses plain HTTP to a host that is not loopback; use https, or allow \
                 insecure HTTP explicitly"
            )));
        }
        other => {
            return Err(invalid(format!(
                "unsupported URL scheme {other:?} in {shown:?}"
            )));
        }
    }
    Ok(trimmed.to_owned())
}

/// A URL with any `USER:PASSWORD@` replaced by `***@`, and whether it had one. Textual, so that
/// it works on URLs that do not parse.
fn without_credentials(url: &str) -> (String, bool) {
    match split_credentials(url) {
        (scheme, Some(_), after) => {
            let prefix = scheme
                .map(|scheme| format!("{scheme}://"))
                .unwrap_or_default();
            (format!("{prefix}***@{after}"), true)
        }
        _ => (url.to_owned(), false),
    }
}

/// A URL's text split around its user information: the scheme (without `://`), the user and
/// password (`None` without any), and what follows them. Textual, so that it works on URLs that
/// do not parse. Everything before the last `@` counts as user information, wherever that `@`
/// is: a password with an unencoded `/`, `?` or `#` ends the URL's authority early (the URL
/// then parses with the user as its host), and must still never be shown.
pub(crate) fn split_credentials(url: &str) -> (Option<&str>, Option<&str>, &str) {
    let (scheme, rest) = match url.split_once("://") {
        Some((scheme, rest)) => (Some(scheme), rest),
        None => (None, url),
    };
    match rest.rsplit_once('@') {
        Some((credentials, after)) => (scheme, Some(credentials), after),
        None => (scheme, None, rest),
    }
}

/// Whether a host names the local machine.
#[must_use]
pub fn is_loopback(host: &str) -> bool {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.eq_ignore_ascii_case("localhost") || host.to_ascii_lowercase().ends_with(".localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|address| address.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve(api: &str) -> Result<ApiRoots, Error> {
        ApiRoots::resolve(&RootSettings {
            api_root: Some(api.to_owned()),
            ..RootSettings::default()
        })
    }

    #[test]
    fn cloud_roots_are_the_default() {
        let roots = ApiRoots::resolve(&RootSettings::default()).unwrap();
        assert_eq!(roots, ApiRoots::cloud());
        assert!(roots.is_cloud());
        assert_eq!(
            roots.token_url(),
            "https://api.airbyte.com/v1/applications/token"
        );
        assert_eq!(
            resolve("https://api.airbyte.com/v1/").unwrap(),
            ApiRoots::cloud()
        );
    }

    #[test]
    fn self_managed_roots_are_inferred() {
        let roots = resolve("http://localhost:8000/api/public/v1/").unwrap();
        assert_eq!(roots.public(), "http://localhost:8000/api/public/v1");
        assert_eq!(roots.config(), Some("http://localhost:8000/api/v1"));
        assert_eq!(roots.web(), Some("http://localhost:8000"));
        let roots = resolve("https://h.example/airbyte/api/public/v1").unwrap();
        assert_eq!(roots.config(), Some("https://h.example/airbyte/api/v1"));
        assert_eq!(roots.web(), Some("https://h.example/airbyte"));
    }

    #[test]
    fn an_uninferable_config_root_fails_at_build_time_naming_the_setting() {
        let error = resolve("https://proxy.example/airbyte").unwrap_err();
        let message = error.to_string();
        for setting in ["AIRBYTE_CONFIG_API_ROOT", "AIRBYTE_CLOUD_CONFIG_API_URL"] {
            assert!(
                message.contains(setting),
                "{message} does not name {setting}"
            );
        }
        assert!(
            matches!(
                error,
                Error::Config {
                    setting: "config_api_root",
                    ..
                }
            ),
            "{error}"
        );
        let roots = ApiRoots::resolve(&RootSettings {
            api_root: Some("https://proxy.example/airbyte".into()),
            config_api: ConfigApi::Disabled,
            ..RootSettings::default()
        })
        .unwrap();
        assert_eq!(roots.config(), None);
        assert_eq!(roots.web(), None);
    }

    #[test]
    fn plain_http_is_refused_except_for_loopback_or_opt_in() {
        assert!(resolve("http://127.0.0.1:8000/api/public/v1").is_ok());
        assert!(resolve("http://[::1]:8000/api/public/v1").is_ok());
        let error = resolve("http://airbyte.internal/api/public/v1").unwrap_err();
        assert!(error.to_string().contains("plain HTTP"), "{error}");
        let allowed = ApiRoots::resolve(&RootSettings {
            api_root: Some("http://airbyte.internal/api/public/v1".into()),
            allow_insecure_http: true,
            ..RootSettings::default()
        });
        assert!(allowed.is_ok());
        assert!(resolve("ftp://x/api/public/v1").is_err());
        assert!(resolve("/api/public/v1").is_err());
        assert!(resolve("https://h/api/public/v1?x=1").is_err());
        assert!(resolve("").is_err());
    }

    #[test]
    fn a_root_with_credentials_is_refused_without_showing_them() {
        // They were never sent (hyper ignores a URL's user and password), and the password
        // was echoed in error messages and in the job links built from the root.
        for (root, setting) in [
            ("http://u:ROOTPW@127.0.0.1:8000/api/public/v1", "api_root"),
            ("https://u:ROOTPW@h.example/api/public/v1", "api_root"),
            ("http://u:ROOTPW@airbyte.internal/api/public/v1", "api_root"),
            ("ftp://u:ROOTPW@h.example/api/public/v1", "api_root"),
            ("http://u:ROOTPW@h x/api/public/v1", "api_root"),
            ("https://ROOTPW@h.example/api/public/v1", "api_root"),
            // A password with a character that should have been percent-encoded: the URL's
            // authority then ends early, but everything up to the last `@` is still secret.
            ("https://u:ROOT/PW@h.example/api/public/v1", "api_root"),
            ("https://u:ROOT?PW@h.example/api/public/v1", "api_root"),
            ("https://u:ROOT#PW@h.example/api/public/v1", "api_root"),
        ] {
            let error = resolve(root).unwrap_err();
            let message = error.to_string();
            assert!(!message.contains("ROOTPW"), "{message}");
            assert!(!message.contains("ROOT"), "{message}");
            assert!(
                matches!(error, Error::Config { setting: s, .. } if s == setting),
                "{error}"
            );
        }
        let message = resolve("https://u:ROOTPW@h.example/api/public/v1")
            .unwrap_err()
            .to_string();
        assert!(message.contains("credentials"), "{message}");
        for (config, web) in [
            (Some("https://u:ROOTPW@h.example/api/v1"), None),
            (None, Some("https://u:ROOTPW@h.example")),
        ] {
            let error = ApiRoots::resolve(&RootSettings {
                api_root: Some("https://h.example/api/public/v1".into()),
                config_api_root: config.map(str::to_owned),
                web_root: web.map(str::to_owned),
                ..RootSettings::default()
            })
            .unwrap_err();
            assert!(!error.to_string().contains("ROOTPW"), "{error}");
        }
    }

    #[test]
    fn a_root_with_a_secret_parameter_is_refused_without_showing_it() {
        for root in [
            "https://h.example/api/public/v1?token=ROOTTOKEN",
            "https://h.example/api/public/v1?x=1&password=ROOTTOKEN#f",
            "http://h.example/api/public/v1?api_key=ROOTTOKEN",
            "gopher://h.example/api/public/v1?secret=ROOTTOKEN",
        ] {
            let message = resolve(root).unwrap_err().to_string();
            assert!(!message.contains("ROOTTOKEN"), "{message}");
            assert!(message.contains("h.example"), "{message}");
        }
    }
}
