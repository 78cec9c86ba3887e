//! What can make the tool fail, the exit code of each, and how a failure reads.

use std::fmt;

use airbyte::cloud::{DeletionReason, PlannedDeletion, ResourceRef};

use crate::output::escape;
use crate::plan::named;

/// Exit codes, documented in `--help` and the README.
pub(crate) mod exit {
    /// An API or network error (or any other failure).
    pub(crate) const API: u8 = 1;
    /// Bad input: arguments, files, settings.
    pub(crate) const BAD_INPUT: u8 = 2;
    /// A sync (or another job) failed or was cancelled, or a connection check failed.
    pub(crate) const JOB_FAILED: u8 = 3;
    /// A wait, or the whole command, timed out.
    pub(crate) const TIMEOUT: u8 = 4;
    /// Refused before anything was changed: safe mode, dependents that a delete would take
    /// with it, an import that would damage the connection, or a destructive command that was
    /// not confirmed.
    pub(crate) const REFUSED: u8 = 5;
    /// What the command names does not exist.
    pub(crate) const NOT_FOUND: u8 = 6;
    /// Interrupted (Ctrl-C), as shells report a SIGINT.
    pub(crate) const INTERRUPTED: u8 = 130;
    /// Terminated (SIGTERM: a CI job cancelled, a pod stopped), as shells report it.
    pub(crate) const TERMINATED: u8 = 143;
}

/// A failure of the tool.
#[derive(Debug)]
pub(crate) enum CliError {
    /// Bad input, found before anything was sent.
    BadInput(String),
    /// Refused before anything was changed.
    Refused(String),
    /// A resource named on the command line does not exist.
    NotFound {
        /// `source`, `connection`, `job`, ...
        kind: &'static str,
        /// The ID or name given.
        id: String,
    },
    /// A wait or the whole command ran out of time (what is known was already printed).
    TimedOut(String),
    /// Ctrl-C (what to do next was already printed).
    Interrupted,
    /// SIGTERM (what to do next was already printed).
    Terminated,
    /// The results could not be written (a full disk, an I/O error; not a closed pipe).
    Output(String),
    /// An error of the SDK.
    Sdk(airbyte::Error),
    /// An error, and what to do about it.
    Hinted(Box<CliError>, String),
    /// An exit code the command chose (`plan`'s: 2 for changes, 1 for any error), with the
    /// error to print, if any.
    Code(u8, Option<Box<CliError>>),
}

impl CliError {
    /// Bad input.
    pub(crate) fn bad(message: impl Into<String>) -> Self {
        Self::BadInput(message.into())
    }

    /// Something named on the command line does not exist.
    pub(crate) fn not_found(kind: &'static str, id: impl Into<String>) -> Self {
        Self::NotFound {
            kind,
            id: id.into(),
        }
    }

    /// The error with a hint of what to do about it.
    pub(crate) fn hint(self, hint: impl Into<String>) -> Self {
        Self::Hinted(Box::new(self), hint.into())
    }

    /// The process exit code.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Self::Hinted(error, _) => error.exit_code(),
            Self::BadInput(_) => exit::BAD_INPUT,
            Self::Refused(_) => exit::REFUSED,
            Self::NotFound { .. } => exit::NOT_FOUND,
            Self::TimedOut(_) => exit::TIMEOUT,
            Self::Interrupted => exit::INTERRUPTED,
            Self::Terminated => exit::TERMINATED,
            Self::Output(_) => exit::API,
            Self::Sdk(error) => sdk_exit_code(error),
            Self::Code(code, _) => *code,
        }
    }

    /// Whether nothing more needs to be said (the command already explained itself).
    pub(crate) fn is_silent(&self) -> bool {
        match self {
            Self::Hinted(error, _) => error.is_silent(),
            Self::Code(_, error) => error.as_ref().is_none_or(|error| error.is_silent()),
            other => matches!(other, Self::Interrupted | Self::Terminated),
        }
    }
}

fn sdk_exit_code(error: &airbyte::Error) -> u8 {
    if error.is_not_found() && !matches!(error, airbyte::Error::DeleteIncomplete { .. }) {
        return exit::NOT_FOUND;
    }
    match error {
        airbyte::Error::InvalidInput { .. } | airbyte::Error::Settings { .. } => exit::BAD_INPUT,
        airbyte::Error::SyncFailed { .. } | airbyte::Error::CheckFailed { .. } => exit::JOB_FAILED,
        // An ID of another workspace (or a job of another connection): the command line is
        // wrong, not the API.
        airbyte::Error::WorkspaceMismatch { .. } | airbyte::Error::JobMismatch { .. } => {
            exit::BAD_INPUT
        }
        airbyte::Error::SyncTimedOut { .. } => exit::TIMEOUT,
        airbyte::Error::SafeModeRefusal { .. }
        | airbyte::Error::DependentsExist { .. }
        | airbyte::Error::ImportRefused { .. }
        | airbyte::Error::PlanChanged { .. }
        | airbyte::Error::DependentsUnknown { .. }
        | airbyte::Error::DestinationDependentsUnknown { .. } => exit::REFUSED,
        // Something was deleted: not a refusal, whatever stopped it (a timeout stays one).
        airbyte::Error::DeleteIncomplete { source, .. } => match sdk_exit_code(source) {
            exit::TIMEOUT => exit::TIMEOUT,
            _ => exit::API,
        },
        airbyte::Error::Transport(
            airbyte::transport::Error::Config { .. }
            | airbyte::transport::Error::InvalidInput { .. },
        ) => exit::BAD_INPUT,
        airbyte::Error::Transport(airbyte::transport::Error::Timeout { .. }) => exit::TIMEOUT,
        _ => exit::API,
    }
}

/// An ID as it is, a name in quotes (both escaped).
fn shown(id: &str) -> String {
    if crate::session::is_uuid(id) || id.parse::<i64>().is_ok() {
        id.to_owned()
    } else {
        format!("\"{}\"", escape(id))
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadInput(message) | Self::Refused(message) | Self::TimedOut(message) => {
                f.write_str(message)
            }
            Self::NotFound { kind, id } => write!(f, "{kind} {} does not exist", shown(id)),
            Self::Interrupted => f.write_str("interrupted"),
            Self::Terminated => f.write_str("terminated"),
            Self::Hinted(error, hint) => write!(f, "{error}\n  hint: {hint}"),
            Self::Code(_, error) => match error {
                Some(error) => write!(f, "{error}"),
                None => Ok(()),
            },
            Self::Output(reason) => write!(f, "cannot write the results to stdout: {reason}"),
            Self::Sdk(error) => write_sdk(f, error),
        }
    }
}

/// `  KIND "name" (ID)` lines, or `  nothing`.
fn write_resources<'a>(
    f: &mut fmt::Formatter<'_>,
    title: &str,
    resources: impl ExactSizeIterator<Item = &'a ResourceRef>,
) -> fmt::Result {
    if resources.len() == 0 {
        return write!(f, "\n  {title}: nothing");
    }
    write!(f, "\n  {title}:")?;
    for resource in resources {
        write!(f, "\n    {}", named(resource))?;
    }
    Ok(())
}

/// `3 connections`, `1 source and 1 connection`.
fn count_by_kind(dependents: &[PlannedDeletion]) -> String {
    let mut kinds: Vec<(&str, usize)> = Vec::new();
    for dependent in dependents {
        let kind = dependent.resource.kind.as_str();
        match kinds.iter_mut().find(|(seen, _)| *seen == kind) {
            Some((_, count)) => *count += 1,
            None => kinds.push((kind, 1)),
        }
    }
    kinds
        .iter()
        .map(|(kind, count)| {
            if *count == 1 {
                format!("1 {kind}")
            } else {
                format!("{count} {kind}s")
            }
        })
        .collect::<Vec<_>>()
        .join(" and ")
}

/// An SDK error for people: what a delete would take or took with it one per line, and the
/// chain of causes; server text escaped. (An outage or rate limiting of the token endpoint is
/// the transport's `TokenUnavailable`, which names itself as such.)
fn write_sdk(f: &mut fmt::Formatter<'_>, error: &airbyte::Error) -> fmt::Result {
    match error {
        airbyte::Error::MissingResource { kind, id, .. } => {
            write!(f, "{kind} {} does not exist", shown(id))
        }
        // The SDK's advice names its own options; the command's hint names the flag.
        airbyte::Error::SafeModeRefusal { kind, id, name } => write!(
            f,
            "safe mode refused to delete {kind} \"{}\" ({}): its name must contain delete-me or deleteme (in any case)",
            escape(name),
            escape(id)
        ),
        // The SDK's advice names its own options; the command's hint names the flag.
        airbyte::Error::ImportRefused {
            what,
            connection_id,
            reason,
        } => write!(
            f,
            "refusing to import this {what} into connection {connection_id}: {}; nothing was changed",
            escape(reason)
        ),
        airbyte::Error::DependentsExist {
            resource,
            dependents,
        } => {
            write!(
                f,
                "refusing to delete {}: the server would also delete {} that depend{} on it; nothing was deleted",
                named(resource),
                count_by_kind(dependents),
                if dependents.len() == 1 { "s" } else { "" }
            )?;
            for dependent in dependents {
                write!(f, "\n    {}", named(&dependent.resource))?;
                if let DeletionReason::DependentOf(of) = &dependent.reason
                    && of != resource
                {
                    write!(f, ", which depends on {}", named(of))?;
                }
            }
            Ok(())
        }
        airbyte::Error::DependentsUnknown {
            definition_id,
            sources,
            cause,
        } => {
            let one = sources.len() == 1;
            write!(
                f,
                "refusing to delete custom source definition {}: cannot tell whether {} it (the server names no definition for {}, and the Config API could not tell); the server would delete any that do, with their connections; nothing was deleted",
                escape(definition_id.as_str()),
                if one {
                    "this source runs"
                } else {
                    "these sources run"
                },
                if one { "it" } else { "them" },
            )?;
            for source in sources {
                write!(f, "\n    {}", named(source))?;
            }
            if let Some(cause) = cause {
                write!(f, "\n  caused by: {}", escape(&cause.to_string()))?;
            }
            Ok(())
        }
        airbyte::Error::PlanChanged { added, renamed } => {
            f.write_str("the delete no longer matches the plan shown, so nothing was deleted:")?;
            for item in added {
                write!(
                    f,
                    "\n    it would now also delete {}",
                    named(&item.resource)
                )?;
                if let DeletionReason::DependentOf(of) = &item.reason {
                    write!(f, ", which depends on {}", named(of))?;
                }
            }
            for (resource, name) in renamed {
                write!(
                    f,
                    "\n    {} is now named \"{}\"",
                    named(resource),
                    escape(name)
                )?;
            }
            Ok(())
        }
        airbyte::Error::DeleteIncomplete {
            deleted,
            not_deleted,
            unplanned,
            unchecked,
            source,
        } => {
            f.write_str("the delete stopped part way: ")?;
            write_sdk(f, source)?;
            write_resources(f, "deleted", deleted.iter())?;
            write_resources(f, "not deleted", not_deleted.iter())?;
            if !unplanned.is_empty() {
                write_resources(
                    f,
                    "also deleted by the server (created by someone else after the check)",
                    unplanned.iter(),
                )?;
            }
            if let Some(resource) = unchecked {
                let what = match resource.kind {
                    airbyte::cloud::ResourceKind::CustomSourceDefinition => {
                        "sources (and their connections) created after the check that run"
                    }
                    airbyte::cloud::ResourceKind::CustomDestinationDefinition => {
                        "destinations (and their connections) created after the check that run"
                    }
                    _ => "connections created after the check that use",
                };
                write!(
                    f,
                    "\n  the server may also have deleted {what} {}: they could not be listed",
                    named(resource)
                )?;
            }
            Ok(())
        }
        airbyte::Error::UnplannedDeletion { deleted, unplanned } => {
            write!(
                f,
                "the server deleted more than planned: resources created by someone else while the delete ran"
            )?;
            write_resources(f, "deleted as planned", deleted.iter())?;
            write_resources(f, "also deleted by the server", unplanned.iter())
        }
        _ => {
            let top = error.to_string();
            f.write_str(&escape(&top))?;
            let mut source = std::error::Error::source(error);
            while let Some(inner) = source {
                let text = inner.to_string();
                if !text.is_empty() && !top.contains(&text) {
                    write!(f, "\n  caused by: {}", escape(&text))?;
                }
                source = inner.source();
            }
            Ok(())
        }
    }
}

impl From<airbyte::Error> for CliError {
    fn from(error: airbyte::Error) -> Self {
        Self::Sdk(error)
    }
}

impl From<airbyte::transport::Error> for CliError {
    fn from(error: airbyte::transport::Error) -> Self {
        Self::Sdk(error.into())
    }
}

/// A `Result` of the tool.
pub(crate) type CliResult<T = ()> = Result<T, CliError>;

/// Turns a 404 of a lookup into "KIND ID does not exist".
pub(crate) fn or_not_found<T>(
    result: airbyte::Result<T>,
    kind: &'static str,
    id: &str,
) -> CliResult<T> {
    result.map_err(|error| {
        if error.is_not_found() {
            CliError::not_found(kind, id)
        } else {
            error.into()
        }
    })
}

#[cfg(test)]
mod tests {
    use airbyte::cloud::{DeletionReason, PlannedDeletion, ResourceKind, ResourceRef};

    use super::*;

    fn resource(kind: ResourceKind, id: &str, name: &str) -> ResourceRef {
        ResourceRef {
            kind,
            id: id.to_owned(),
            name: name.to_owned(),
        }
    }

    fn dependent(resource: ResourceRef, of: &ResourceRef) -> PlannedDeletion {
        PlannedDeletion {
            resource,
            reason: DeletionReason::DependentOf(of.clone()),
        }
    }

    #[test]
    fn a_refused_delete_names_each_dependent_on_its_line_escaped() {
        let definition = resource(ResourceKind::CustomSourceDefinition, "d1", "acme");
        let source = resource(ResourceKind::Source, "s1", "orders\u{1b}]0;owned\u{7}");
        let error = CliError::from(airbyte::Error::DependentsExist {
            resource: definition.clone(),
            dependents: vec![
                dependent(
                    resource(ResourceKind::Connection, "c1", "nightly\nforged row"),
                    &source,
                ),
                dependent(source, &definition),
            ],
        });
        assert_eq!(error.exit_code(), exit::REFUSED);
        assert_eq!(
            error.to_string(),
            "refusing to delete custom source definition \"acme\" (d1): the server would also delete 1 connection and 1 source that depend on it; nothing was deleted\n    connection \"nightly\\nforged row\" (c1), which depends on source \"orders\\x1b]0;owned\\x07\" (s1)\n    source \"orders\\x1b]0;owned\\x07\" (s1)"
        );
    }

    #[test]
    fn a_delete_stopped_part_way_says_what_was_and_was_not_deleted() {
        let error = CliError::from(airbyte::Error::DeleteIncomplete {
            deleted: vec![resource(ResourceKind::Connection, "c1", "a (delete-me)")],
            not_deleted: vec![resource(ResourceKind::Source, "s1", "s (delete-me)")],
            unplanned: Vec::new(),
            unchecked: None,
            source: Box::new(airbyte::Error::SafeModeRefusal {
                kind: ResourceKind::Source,
                id: "s1".to_owned(),
                name: "s".to_owned(),
            }),
        });
        // Something was deleted: not "refused", whatever stopped it.
        assert_eq!(error.exit_code(), exit::API);
        let text = error.to_string();
        assert!(
            text.starts_with("the delete stopped part way: safe mode refused"),
            "{text}"
        );
        assert!(
            text.ends_with(
                "\n  deleted:\n    connection \"a (delete-me)\" (c1)\n  not deleted:\n    source \"s (delete-me)\" (s1)"
            ),
            "{text}"
        );
        let nothing = CliError::from(airbyte::Error::DeleteIncomplete {
            deleted: Vec::new(),
            not_deleted: vec![resource(ResourceKind::Source, "s1", "s")],
            unplanned: Vec::new(),
            unchecked: None,
            source: Box::new(airbyte::Error::SafeModeRefusal {
                kind: ResourceKind::Source,
                id: "s1".to_owned(),
                name: "s".to_owned(),
            }),
        });
        assert!(
            nothing.to_string().contains("\n  deleted: nothing\n"),
            "{nothing}"
        );
    }

    #[test]
    fn a_delete_stopped_part_way_names_what_the_server_deleted_besides() {
        let error = CliError::from(airbyte::Error::DeleteIncomplete {
            deleted: vec![resource(ResourceKind::Source, "s1", "s (delete-me)")],
            not_deleted: vec![resource(ResourceKind::Destination, "d1", "d (delete-me)")],
            unplanned: vec![resource(ResourceKind::Connection, "c9", "new\u{1b}[2J")],
            unchecked: Some(Box::new(resource(
                ResourceKind::Destination,
                "d1",
                "d (delete-me)",
            ))),
            source: Box::new(airbyte::Error::InvalidInput {
                message: "stopped".to_owned(),
            }),
        });
        assert_eq!(error.exit_code(), exit::API);
        let text = error.to_string();
        assert!(
            text.ends_with(
                "\n  also deleted by the server (created by someone else after the check):\n    connection \"new\\x1b[2J\" (c9)\n  the server may also have deleted connections created after the check that use destination \"d (delete-me)\" (d1): they could not be listed"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_definition_delete_stopped_part_way_says_its_sources_may_be_gone() {
        let definition = resource(
            ResourceKind::CustomSourceDefinition,
            "def1",
            "crm (delete-me)",
        );
        let error = CliError::from(airbyte::Error::DeleteIncomplete {
            deleted: vec![definition.clone()],
            not_deleted: Vec::new(),
            unplanned: Vec::new(),
            unchecked: Some(Box::new(definition)),
            source: Box::new(airbyte::Error::InvalidInput {
                message: "stopped".to_owned(),
            }),
        });
        let text = error.to_string();
        assert!(
            text.contains(
                "the server may also have deleted sources (and their connections) created after the check that run "
            ),
            "{text}"
        );
    }

    fn token_unavailable(status: u16, message: &str) -> CliError {
        let api = airbyte::transport::ApiError {
            request: airbyte::transport::RequestSummary {
                operation: "applications.token",
                method: "POST",
                path: "/api/public/v1/applications/token".to_owned(),
                attempts: 3,
            },
            status: http::StatusCode::from_u16(status).unwrap(),
            body: None,
            message: message.to_owned(),
            body_excerpt: String::new(),
            retry_after: None,
            hint: None,
            may_have_been_applied: false,
        };
        CliError::from(airbyte::transport::Error::TokenUnavailable { api: Box::new(api) })
    }

    #[test]
    fn a_token_endpoint_outage_or_rate_limit_is_no_credentials_problem() {
        let outage = token_unavailable(503, "down\u{1b}[2J");
        assert_eq!(outage.exit_code(), exit::API);
        let text = outage.to_string();
        assert!(text.contains("is unavailable (HTTP 503"), "{text}");
        assert!(text.contains("a server outage"), "{text}");
        assert!(!text.contains('\u{1b}'), "server text is escaped: {text}");
        let limited = token_unavailable(429, "slow down");
        assert_eq!(limited.exit_code(), exit::API);
        let text = limited.to_string();
        assert!(text.contains("rate limiting"), "{text}");
        assert!(!text.contains("outage"), "{text}");
        assert!(!text.contains("refused the client credentials"), "{text}");
    }

    #[test]
    fn sources_of_an_unknown_definition_are_named_each_on_its_line() {
        let error = CliError::from(airbyte::Error::DependentsUnknown {
            definition_id: "d1".parse().unwrap(),
            sources: vec![
                resource(ResourceKind::Source, "s1", "orders\u{1b}[2J"),
                resource(ResourceKind::Source, "s2", "issues"),
            ],
            cause: None,
        });
        assert_eq!(error.exit_code(), exit::REFUSED);
        assert_eq!(
            error.to_string(),
            "refusing to delete custom source definition d1: cannot tell whether these sources run it (the server names no definition for them, and the Config API could not tell); the server would delete any that do, with their connections; nothing was deleted\n    source \"orders\\x1b[2J\" (s1)\n    source \"issues\" (s2)"
        );
    }

    #[test]
    fn connections_the_server_deleted_besides_the_plan_are_named() {
        let error = CliError::from(airbyte::Error::UnplannedDeletion {
            deleted: vec![resource(ResourceKind::Source, "s1", "s (delete-me)")],
            unplanned: vec![resource(ResourceKind::Connection, "c9", "new")],
        });
        assert_eq!(error.exit_code(), exit::API);
        assert!(
            error.to_string().ends_with(
                "\n  deleted as planned:\n    source \"s (delete-me)\" (s1)\n  also deleted by the server:\n    connection \"new\" (c9)"
            ),
            "{error}"
        );
    }
}
