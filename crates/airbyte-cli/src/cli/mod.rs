//! The command line: every command, flag and help text.

mod access;
mod files;
mod jobs;
mod platform;
mod resources;
mod tools;

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

pub(crate) use access::*;
pub(crate) use files::*;
pub(crate) use jobs::*;
pub(crate) use platform::*;
pub(crate) use resources::*;
pub(crate) use tools::*;

/// The heading of options that every command takes.
const GLOBAL: &str = "Global options";

/// Manage Airbyte (Cloud or self-managed) from a terminal.
///
/// Settings come from flags, then environment variables (AIRBYTE_WORKSPACE_ID,
/// AIRBYTE_CLIENT_ID, AIRBYTE_CLIENT_SECRET, AIRBYTE_BEARER_TOKEN, AIRBYTE_API_ROOT,
/// AIRBYTE_CONFIG_API_ROOT; PyAirbyte's AIRBYTE_CLOUD_WORKSPACE_ID, AIRBYTE_CLOUD_CLIENT_ID,
/// AIRBYTE_CLOUD_CLIENT_SECRET, AIRBYTE_CLOUD_BEARER_TOKEN, AIRBYTE_CLOUD_API_URL and
/// AIRBYTE_CLOUD_CONFIG_API_URL work too), then the selected profile of the config file, then
/// its top level; a profile chosen with --profile ranks above the
/// environment variables. The config file is --config-file, else $AIRBYTE_CONFIG_FILE,
/// else ~/.config/airbyte/config.yaml; a profile is chosen with --profile or $AIRBYTE_PROFILE.
/// `airbyte config view` shows every setting and where it came from. A config file that holds
/// a secret must not be readable by others.
///
/// Sources, destinations, connections and definitions can be named by ID or by exact name.
///
/// Exit codes: 0 success; 1 API or network error; 2 bad input (also an ambiguous name or an
/// ID of another workspace); 3 a sync (or other job) or a connection check failed; 4 a wait or
/// the command timed out; 5 refused before anything changed (safe mode, dependents a delete
/// would take with it or that cannot be known, a delete that changed since it was shown, an
/// import that would damage the connection, or a destructive command not confirmed); 6 not found; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM, which is
/// handled like Ctrl-C). A delete that stopped part way exits 1 (4 on a timeout).
#[derive(Debug, Parser)]
#[command(name = "airbyte", version, about, long_about, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub(crate) global: GlobalArgs,
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Parses the command line (exiting with clap's message on an error). `--color` governs clap's
/// own help and errors too, so it is read before the rest.
pub(crate) fn parse() -> Cli {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let choice = match color_flag(&args) {
        Some(ColorWhen::Always) => clap::ColorChoice::Always,
        Some(ColorWhen::Never) => clap::ColorChoice::Never,
        Some(ColorWhen::Auto) | None => clap::ColorChoice::Auto,
    };
    let matches = match Cli::command().color(choice).try_get_matches_from(&args) {
        Ok(matches) => matches,
        Err(error) => exit_on_parse_error(&error, &args),
    };
    Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit())
}

/// Exits with clap's message. `plan` keeps terraform's `-detailed-exitcode` contract, where 2
/// means "changes": there, arguments it cannot parse exit 1, as every other error of `plan`.
fn exit_on_parse_error(error: &clap::Error, args: &[std::ffi::OsString]) -> ! {
    let is_plan = Cli::command()
        .ignore_errors(true)
        .try_get_matches_from(args)
        .is_ok_and(|matches| matches.subcommand_name() == Some("plan"));
    if is_plan && error.use_stderr() {
        let _ = error.print();
        std::process::exit(i32::from(crate::error::exit::API));
    }
    error.exit()
}

/// The last `--color WHEN` or `--color=WHEN` before a `--`, if any is valid.
fn color_flag(args: &[std::ffi::OsString]) -> Option<ColorWhen> {
    let mut found = None;
    let mut args = args.iter().skip(1).filter_map(|arg| arg.to_str());
    while let Some(arg) = args.next() {
        let value = match arg {
            "--" => break,
            "--color" => args.next(),
            _ => arg.strip_prefix("--color="),
        };
        if let Some(value) = value {
            found = ColorWhen::from_str(value, true).ok().or(found);
        }
    }
    found
}

/// Output formats.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum OutputFormat {
    /// Aligned columns for people.
    #[default]
    Table,
    /// JSON for scripts (indented on a terminal).
    Json,
    /// YAML.
    Yaml,
}

/// When to colour output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The longest duration accepted anywhere: longer ones are typos (and would overflow the
/// clock's arithmetic).
const MAX_DURATION: Duration = Duration::from_secs(365 * 24 * 3_600);

/// Parses a duration for people: `30s`, `10m`, `2h`, `1h 30m`, `500ms`; a bare number is
/// seconds. At most a year.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let duration = match text.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => humantime::parse_duration(text).map_err(|error| {
            format!(
                "{error}; give a duration such as 30s, 10m, 2h or 1h30m (a bare number is seconds)"
            )
        })?,
    };
    if duration > MAX_DURATION {
        return Err("longer than a year (365d); give a shorter duration".to_owned());
    }
    Ok(duration)
}

/// The shortest wait between two status polls: shorter would hammer the server (and zero is a
/// busy loop, which the SDK refuses too).
pub(crate) const MIN_POLL_INTERVAL: Duration = Duration::from_millis(10);

/// Parses a poll interval: a duration of at least [`MIN_POLL_INTERVAL`].
pub(crate) fn parse_poll_interval(text: &str) -> Result<Duration, String> {
    let duration = parse_duration(text)?;
    if duration < MIN_POLL_INTERVAL {
        return Err(format!(
            "must be at least {}: a shorter wait between polls would keep the server busy for nothing",
            humantime::format_duration(MIN_POLL_INTERVAL)
        ));
    }
    Ok(duration)
}

/// Parses a duration that must be longer than zero (a time limit of nothing would stop the
/// command before it starts).
pub(crate) fn parse_positive_duration(text: &str) -> Result<Duration, String> {
    let duration = parse_duration(text)?;
    if duration.is_zero() {
        return Err("must be longer than zero (leave the flag out for no limit)".to_owned());
    }
    Ok(duration)
}

/// Parses a setting given as a flag: an empty value (`--workspace-id "$UNSET"`) is a
/// mistake, not a request to fall back to the environment or the config file.
pub(crate) fn parse_setting(text: &str) -> Result<String, String> {
    let value = text.trim();
    if value.is_empty() {
        return Err("an empty value; give one, or leave the flag out".to_owned());
    }
    Ok(value.to_owned())
}

/// A proxy URL given with `--proxy`. `Debug` hides it: it may hold a password.
#[derive(Clone)]
pub(crate) struct ProxyArg(pub(crate) String);

impl std::fmt::Debug for ProxyArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(airbyte::models::REDACTED)
    }
}

/// Parses `--proxy` (checked when the client is built, with the transport's rules).
pub(crate) fn parse_proxy(text: &str) -> Result<ProxyArg, String> {
    parse_setting(text).map(ProxyArg)
}

/// Parses `--limit`: a count of at least 1 (`--limit 0` printing nothing is a trap in a
/// script).
pub(crate) fn parse_limit(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(0) => Err("a limit must be at least 1".to_owned()),
        Ok(limit) => Ok(limit),
        Err(error) => Err(format!("{error}; give a count such as 20")),
    }
}

#[derive(Debug, Args)]
#[command(next_help_heading = GLOBAL)]
pub(crate) struct GlobalArgs {
    /// The workspace to work in (a UUID).
    #[arg(long, global = true, value_parser = parse_setting, value_name = "ID", help_heading = GLOBAL)]
    pub(crate) workspace_id: Option<String>,
    /// The profile of the config file to use (default: $AIRBYTE_PROFILE, else the file's
    /// `default_profile`).
    #[arg(long, global = true, value_parser = parse_setting, value_name = "NAME", help_heading = GLOBAL)]
    pub(crate) profile: Option<String>,
    /// The Public API root (default https://api.airbyte.com/v1; self-managed:
    /// http(s)://HOST/api/public/v1).
    #[arg(long, global = true, value_parser = parse_setting, value_name = "URL", help_heading = GLOBAL)]
    pub(crate) api_root: Option<String>,
    /// The Config API root (inferred from the Public API root when not set).
    #[arg(long, global = true, value_parser = parse_setting, value_name = "URL", help_heading = GLOBAL)]
    pub(crate) config_api_root: Option<String>,
    /// The application's client ID.
    #[arg(long, global = true, value_parser = parse_setting, value_name = "ID", help_heading = GLOBAL)]
    pub(crate) client_id: Option<String>,
    /// The application's client secret (prefer AIRBYTE_CLIENT_SECRET: flags show in process
    /// lists).
    #[arg(long, global = true, value_parser = parse_setting, value_name = "SECRET", help_heading = GLOBAL)]
    pub(crate) client_secret: Option<String>,
    /// A bearer token (prefer AIRBYTE_BEARER_TOKEN).
    #[arg(long, global = true, value_parser = parse_setting, value_name = "TOKEN", help_heading = GLOBAL)]
    pub(crate) bearer_token: Option<String>,
    /// Also trust the certificate authorities of this PEM file (a company's, or a self-managed
    /// Airbyte's own) (default: AIRBYTE_CA_FILE, else `ca_file` of the config file);
    /// AIRBYTE_TRUST_ROOTS (or `trust_roots`) and SSL_CERT_FILE are read too.
    #[arg(long, global = true, value_name = "FILE", help_heading = GLOBAL)]
    pub(crate) ca_file: Option<PathBuf>,
    /// Send requests through this proxy, for every host: http://[USER:PASSWORD@]HOST:PORT, or
    /// SOCKS5 as socks5://… (names resolved here) or socks5h://… (by the proxy) (default:
    /// HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY, else `proxy` and `no_proxy` of the
    /// config file; prefer those for credentials: flags show in process lists).
    #[arg(long, global = true, value_name = "URL", value_parser = parse_proxy, help_heading = GLOBAL)]
    pub(crate) proxy: Option<ProxyArg>,
    /// A client certificate (PEM) for servers that require mutual TLS, with --client-key
    /// (default: AIRBYTE_CLIENT_CERT, else `client_cert` of the config file).
    #[arg(long, global = true, value_name = "FILE", requires = "client_key", help_heading = GLOBAL)]
    pub(crate) client_cert: Option<PathBuf>,
    /// The private key (PEM) of --client-cert (default: AIRBYTE_CLIENT_KEY, else `client_key`
    /// of the config file).
    #[arg(long, global = true, value_name = "FILE", requires = "client_cert", help_heading = GLOBAL)]
    pub(crate) client_key: Option<PathBuf>,
    /// The config file (YAML or JSON): settings in snake case at the top level and under
    /// `profiles.NAME` (credentials, roots, and the connection settings `ca_file`,
    /// `client_cert`, `client_key`, `trust_roots`, `proxy`, `no_proxy`, `http2`; relative paths
    /// are relative to the file).
    #[arg(long, global = true, value_name = "FILE", help_heading = GLOBAL)]
    pub(crate) config_file: Option<PathBuf>,
    /// The format of results.
    #[arg(long, short = 'o', global = true, value_enum, default_value_t, help_heading = GLOBAL)]
    pub(crate) output: OutputFormat,
    /// When to colour output; NO_COLOR turns `auto` off.
    #[arg(long, global = true, value_enum, default_value_t, value_name = "WHEN", help_heading = GLOBAL)]
    pub(crate) color: ColorWhen,
    /// Do not ask for confirmation before destructive commands.
    #[arg(long, short = 'y', global = true, help_heading = GLOBAL)]
    pub(crate) yes: bool,
    /// Log requests, retries, token mints and waits to stderr (-vv for more; RUST_LOG
    /// overrides).
    #[arg(long, short = 'v', global = true, action = ArgAction::Count, help_heading = GLOBAL)]
    pub(crate) verbose: u8,
    /// The longest one HTTP request may take (30s, 2m, ...).
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_positive_duration, help_heading = GLOBAL)]
    pub(crate) request_timeout: Option<Duration>,
    /// The longest the whole command may take; then it stops with exit code 4 (a job it
    /// started keeps running).
    #[arg(long, global = true, value_name = "DURATION", value_parser = parse_positive_duration, help_heading = GLOBAL)]
    pub(crate) command_timeout: Option<Duration>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run the whole lifecycle (deploy, check, connect, sync, logs, history, clean up); on the
    /// embedded mock server when no Airbyte is configured.
    Quickstart(QuickstartArgs),
    /// Workspaces.
    #[command(subcommand)]
    Workspaces(WorkspacesCommand),
    /// Organizations.
    #[command(subcommand)]
    Organizations(OrganizationsCommand),
    /// Sources.
    #[command(subcommand)]
    Sources(SourcesCommand),
    /// Destinations.
    #[command(subcommand)]
    Destinations(ConnectorCommand),
    /// Connections.
    #[command(subcommand)]
    Connections(ConnectionsCommand),
    /// Start a sync of a connection, or of many (--all, --tag, --name) at once, and by default
    /// wait with live progress. With many: a line per job on a terminal (a line per event
    /// otherwise), then a summary table; exit code 3 if any failed.
    Sync(SyncArgs),
    /// Start a reset of a connection (its data in the destination is removed) and wait.
    Reset(StartArgs),
    /// Start a clear of a connection (its data in the destination is removed) and wait.
    Clear(StartArgs),
    /// Jobs (syncs, resets, clears).
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Custom source definitions (YAML manifests and Docker images).
    #[command(subcommand)]
    Definitions(DefinitionsCommand),
    // Platform family.
    /// Custom destination definitions (Docker images).
    #[command(subcommand)]
    DestinationDefinitions(DestinationDefinitionsCommand),
    /// The connector definitions catalogue: what the workspace may run, searchable by name.
    #[command(subcommand)]
    ConnectorDefinitions(ConnectorDefinitionsCommand),
    /// Tags, and the tags of connections.
    #[command(subcommand)]
    Tags(TagsCommand),
    /// The regions (data plane groups) of an organization.
    #[command(subcommand)]
    Regions(RegionsCommand),
    /// The data planes of an organization's regions.
    #[command(subcommand)]
    Dataplanes(DataplanesCommand),
    /// A connection's state.
    #[command(subcommand)]
    State(TransferCommand),
    /// A connection's catalog.
    #[command(subcommand)]
    Catalog(TransferCommand),
    /// Write the workspace as files (YAML, a lock file of IDs, the template of secret
    /// variables): adopting a workspace is an export.
    Export(ExportArgs),
    /// Show what `apply` would change, resource by resource. Exit code 0: no changes, 2:
    /// changes, 1: an error.
    Plan(PlanArgs),
    /// Make the workspace what the files say: creates, updates and replaces in dependency
    /// order, deletes with --prune.
    Apply(ApplyArgs),
    /// The settings in effect.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Write the man pages (to stdout, or one file per command with --out-dir).
    Man(ManArgs),
    /// Run the offline mock server in the foreground.
    Mock(MockArgs),
    // Access: who may do what.
    /// The users of an organization, and the user the credentials act as.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Permissions of users on workspaces and organizations.
    #[command(subcommand)]
    Permissions(PermissionsCommand),
    /// Groups of users, their members and permissions.
    #[command(subcommand)]
    Groups(GroupsCommand),
    /// Applications: client credentials that act as their user.
    #[command(subcommand)]
    Applications(ApplicationsCommand),
}

/// `--dry-run`: show what would change, change nothing.
#[derive(Clone, Copy, Debug, Default, Args)]
pub(crate) struct DryRun {
    /// Print what would be created, changed or deleted, and change nothing.
    #[arg(long)]
    pub(crate) dry_run: bool,
}

/// The options of every delete.
#[derive(Clone, Copy, Debug, Default, Args)]
pub(crate) struct DeleteArgs {
    /// Delete whatever the names (safe mode wants delete-me or deleteme in the name of
    /// everything deleted, dependents included).
    #[arg(long)]
    pub(crate) no_safe_mode: bool,
    /// Also delete what the server deletes with it (the connections of a source or
    /// destination; the sources of a definition and their connections). Without it, a delete
    /// that would take anything else with it is refused, naming each one.
    #[arg(long)]
    pub(crate) with_dependents: bool,
    /// Succeed when it does not exist.
    #[arg(long)]
    pub(crate) ignore_not_found: bool,
    #[command(flatten)]
    pub(crate) dry_run: DryRun,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn the_colour_flag_is_found_before_parsing() {
        let args = |text: &str| -> Vec<std::ffi::OsString> {
            text.split(' ').map(std::ffi::OsString::from).collect()
        };
        assert_eq!(
            color_flag(&args("airbyte --color never sorces")),
            Some(ColorWhen::Never)
        );
        assert_eq!(
            color_flag(&args("airbyte sources list --color=always")),
            Some(ColorWhen::Always)
        );
        assert_eq!(color_flag(&args("airbyte --color")), None);
        assert_eq!(color_flag(&args("airbyte -- --color never")), None);
    }

    #[test]
    fn durations_are_human_or_seconds() {
        assert_eq!(parse_duration("90").unwrap(), Duration::from_secs(90));
        assert_eq!(parse_duration("10m").unwrap(), Duration::from_secs(600));
        assert_eq!(parse_duration("1h 30m").unwrap(), Duration::from_secs(5400));
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert!(parse_duration("soon").unwrap_err().contains("30s"));
        assert_eq!(parse_duration("365d").unwrap(), MAX_DURATION);
        assert!(parse_duration("366d").unwrap_err().contains("year"));
        assert!(parse_duration("18446744073709551615").is_err());
        assert_eq!(
            parse_poll_interval("10ms").unwrap(),
            Duration::from_millis(10)
        );
        for refused in ["0", "0s", "9ms"] {
            assert!(
                parse_poll_interval(refused)
                    .unwrap_err()
                    .contains("at least 10ms")
            );
        }
    }

    /// Every command that changes something takes `--dry-run`.
    #[test]
    fn every_change_can_be_previewed() {
        const READ_ONLY: &[&str] = &[
            "quickstart",
            "workspaces list",
            "workspaces get",
            "organizations list",
            "sources list",
            "sources get",
            "sources check",
            "sources streams",
            "destinations list",
            "destinations get",
            "destinations check",
            "connections list",
            "connections get",
            "connections status",
            "jobs list",
            "jobs get",
            "jobs watch",
            "jobs logs",
            "definitions list",
            "definitions get",
            // Platform family.
            "destination-definitions list",
            "destination-definitions get",
            "connector-definitions list",
            "tags list",
            "regions list",
            "regions get",
            "dataplanes list",
            "dataplanes get",
            "state export",
            "catalog export",
            "config view",
            "export",
            "plan",
            "completions",
            "man",
            "mock",
            // Access.
            "users list",
            "users get",
            "users me",
            "permissions list",
            "permissions get",
            "groups list",
            "groups get",
            "groups members",
            "groups permissions",
            "applications list",
            "applications get",
            "workspaces default",
        ];
        fn walk(command: &clap::Command, path: String, missing: &mut Vec<String>) {
            if command.get_subcommands().next().is_none() {
                let has = command.get_arguments().any(|arg| arg.get_id() == "dry_run");
                if !has && !READ_ONLY.contains(&path.trim()) {
                    missing.push(path);
                }
                return;
            }
            for sub in command.get_subcommands() {
                walk(sub, format!("{path} {}", sub.get_name()), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&Cli::command(), String::new(), &mut missing);
        assert!(missing.is_empty(), "no --dry-run on: {missing:?}");
    }
}
