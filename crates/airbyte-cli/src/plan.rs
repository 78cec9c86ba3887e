//! What a command will change, said before it changes it: `--dry-run` prints the plan and
//! stops; destructive commands list it in their confirmation.
//!
//! A plan lists every resource touched, the named one and those that go with it (today the
//! source and destination of `connections delete --cascade`; the server-side dependents of a
//! delete are added here as the SDK reports them).

use std::io::IsTerminal;

use serde::Serialize;
use serde_json::json;

use crate::cli::{DeleteArgs, DryRun, GlobalArgs, OutputFormat};
use crate::error::{CliError, CliResult};
use crate::output::{Out, escape, write_stderr};

/// What happens to a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Action {
    Create,
    Update,
    Delete,
    Start,
    Cancel,
    Import,
}

impl Action {
    fn verb(self) -> &'static str {
        match self {
            Self::Create => "create",
            Self::Update => "update",
            Self::Delete => "delete",
            Self::Start => "start",
            Self::Cancel => "cancel",
            Self::Import => "import into",
        }
    }
}

/// One change to one resource.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Change {
    pub(crate) action: Action,
    /// `source`, `connection`, `sync job`, ...
    pub(crate) kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) name: Option<String>,
    /// What changes, for people: `name: "a" -> "b"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) detail: Option<String>,
    /// The request body that would be sent, when there is one (secrets as sent: masked
    /// values stay masked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) request: Option<serde_json::Value>,
}

impl Change {
    /// A change of a resource.
    pub(crate) fn new(action: Action, kind: &'static str) -> Self {
        Self {
            action,
            kind,
            id: None,
            name: None,
            detail: None,
            request: None,
        }
    }

    /// Its ID.
    pub(crate) fn id(mut self, id: impl ToString) -> Self {
        self.id = Some(id.to_string());
        self
    }

    /// Its name.
    pub(crate) fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// What changes.
    pub(crate) fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// The request that would be sent.
    pub(crate) fn request(mut self, request: serde_json::Value) -> Self {
        self.request = Some(request);
        self
    }

    fn describe(&self) -> String {
        let mut text = format!("{} {}", self.action.verb(), self.kind);
        if let Some(name) = &self.name {
            text.push_str(&format!(" \"{}\"", escape(name)));
        }
        if let Some(id) = &self.id {
            text.push_str(&format!(" ({})", escape(id)));
        }
        if let Some(detail) = &self.detail {
            text.push_str(&format!(": {}", escape(detail)));
        }
        text
    }
}

/// The changes of one command.
#[derive(Clone, Debug, Default)]
pub(crate) struct Plan {
    changes: Vec<Change>,
}

impl Plan {
    /// A plan of one change.
    pub(crate) fn of(change: Change) -> Self {
        Self {
            changes: vec![change],
        }
    }

    /// Adds a change (a dependent that goes with the first).
    pub(crate) fn push(&mut self, change: Change) {
        self.changes.push(change);
    }

    fn lines(&self) -> String {
        self.changes
            .iter()
            .map(|change| format!("  {}\n", change.describe()))
            .collect()
    }

    /// With `--dry-run`, prints the plan (stdout: it is the result) and says to stop.
    pub(crate) fn preview(&self, dry_run: DryRun, out: &Out) -> bool {
        if !dry_run.dry_run {
            return false;
        }
        match out.format {
            OutputFormat::Table => {
                crate::output::write_stdout(&format!(
                    "dry run: nothing was changed; this would\n{}",
                    self.lines()
                ));
            }
            _ => out.document(&json!({"dryRun": true, "changes": self.changes})),
        }
        true
    }

    /// Asks before a destructive command, listing everything it will change: `--yes` skips
    /// the question; without a terminal to ask on and answer from, the command is refused
    /// rather than run unasked.
    ///
    /// # Errors
    ///
    /// [`CliError::Refused`] when not confirmed.
    pub(crate) async fn confirm(&self, global: &GlobalArgs) -> CliResult {
        if global.yes {
            return Ok(());
        }
        let summary = self.lines();
        // Ask only where someone can read the question (stderr) and answer it (stdin).
        if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
            return Err(CliError::Refused(format!(
                "refusing without confirmation (pass --yes); this would\n{}",
                summary.trim_end()
            )));
        }
        write_stderr(&format!("This will\n{summary}Continue? [y/N] "));
        let answer = tokio::task::spawn_blocking(|| {
            let mut answer = String::new();
            std::io::stdin().read_line(&mut answer).map(|_| answer)
        })
        .await
        .map_err(|error| CliError::bad(format!("cannot read the answer: {error}")))?
        .map_err(|error| CliError::bad(format!("cannot read the answer: {error}")))?;
        if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
            Ok(())
        } else {
            Err(CliError::Refused(
                "not confirmed: nothing was changed".to_owned(),
            ))
        }
    }

    /// The way to a delete: safe mode checked for every resource deleted (before anything
    /// is asked or sent), then the preview of `--dry-run`, then the confirmation. `true` when
    /// the delete should go ahead.
    ///
    /// # Errors
    ///
    /// [`airbyte::Error::SafeModeRefusal`] or [`CliError::Refused`].
    pub(crate) async fn approve_delete(
        &self,
        delete: &DeleteArgs,
        global: &GlobalArgs,
        out: &Out,
    ) -> CliResult<bool> {
        if !delete.no_safe_mode {
            for change in self.changes.iter().filter(|c| c.action == Action::Delete) {
                let name = change.name.clone().unwrap_or_default();
                if !airbyte::cloud::is_safe_to_delete(&name) {
                    return Err(airbyte::Error::SafeModeRefusal {
                        resource_type: change.kind,
                        id: change.id.clone().unwrap_or_default(),
                        name,
                    }
                    .into());
                }
            }
        }
        if self.preview(delete.dry_run, out) {
            return Ok(false);
        }
        self.confirm(global).await?;
        Ok(true)
    }
}

/// What to delete, when it exists: with `--ignore-not-found`, a missing one is said and
/// skipped (`None`).
///
/// # Errors
///
/// The lookup's error, unless it is "not found" and that is ignored.
pub(crate) fn found_or_skip<T>(
    result: CliResult<T>,
    delete: &DeleteArgs,
    out: &Out,
    kind: &str,
    id: &str,
) -> CliResult<Option<T>> {
    match result {
        Ok(found) => Ok(Some(found)),
        Err(CliError::NotFound { .. }) if delete.ignore_not_found => {
            out.note(&format!(
                "{kind} {} does not exist; nothing to delete",
                escape(id)
            ));
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

/// The outcome of a delete: with `--ignore-not-found`, one that was gone meanwhile is done.
///
/// # Errors
///
/// The delete's error, unless it is "not found" and that is ignored.
pub(crate) fn deleted(result: airbyte::Result<()>, delete: &DeleteArgs) -> CliResult {
    match result {
        Err(error) if error.is_not_found() && delete.ignore_not_found => Ok(()),
        other => Ok(other?),
    }
}
