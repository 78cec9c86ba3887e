//! What a command will change, said before it changes it: `--dry-run` prints the plan and
//! stops; destructive commands list it in their confirmation.
//!
//! A plan lists every resource touched: the named one and those that go with it. A delete's
//! plan is the SDK's ([`DeletePlan`]): a connection's cascade, and every resource the server
//! deletes with what is deleted (the connections of a source, the sources of a definition).

use std::io::IsTerminal;

use airbyte::cloud::{DeletePlan, DeletionReason, PlannedDeletion, ResourceRef};
use serde::Serialize;
use serde_json::json;

use crate::cli::{DryRun, GlobalArgs, OutputFormat};
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

/// A resource as scripts see it in a plan or a delete's outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Resource {
    /// `connection`, `source`, `destination`, `custom source definition`.
    kind: &'static str,
    id: String,
    name: String,
}

impl From<&ResourceRef> for Resource {
    fn from(resource: &ResourceRef) -> Self {
        Self {
            kind: resource.kind.as_str(),
            id: resource.id.clone(),
            name: resource.name.clone(),
        }
    }
}

/// `source "name" (ID)`, escaped for a terminal.
pub(crate) fn named(resource: &ResourceRef) -> String {
    format!(
        "{} \"{}\" ({})",
        resource.kind,
        escape(&resource.name),
        escape(&resource.id)
    )
}

/// Why a resource is deleted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Reason {
    /// Named on the command line.
    Requested,
    /// A connection's source or destination (`--cascade`).
    Cascade,
    /// The server deletes it with a resource it depends on.
    Dependent,
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
    /// Why a resource is deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<Reason>,
    /// What a dependent depends on (deleting that makes the server delete it).
    #[serde(skip_serializing_if = "Option::is_none")]
    depends_on: Option<Resource>,
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
            reason: None,
            depends_on: None,
        }
    }

    /// The delete of one resource of an SDK plan, with why it is deleted.
    fn deletion(item: &PlannedDeletion) -> Self {
        let resource = &item.resource;
        let mut change = Self::new(Action::Delete, resource.kind.as_str())
            .id(&resource.id)
            .name(resource.name.clone());
        match &item.reason {
            DeletionReason::Requested => change.reason = Some(Reason::Requested),
            DeletionReason::Cascade => {
                change.reason = Some(Reason::Cascade);
                change.detail = Some(format!("the connection's {} (--cascade)", resource.kind));
            }
            DeletionReason::DependentOf(of) => {
                change.reason = Some(Reason::Dependent);
                // Plain text: `describe` escapes the detail as a whole.
                change.detail = Some(format!(
                    "depends on {} \"{}\" ({})",
                    of.kind, of.name, of.id
                ));
                change.depends_on = Some(of.into());
            }
            // A reason this version does not know: shown without one.
            _ => {}
        }
        change
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

    /// A plan of several changes, in the order given.
    pub(crate) fn of_all(changes: impl IntoIterator<Item = Change>) -> Self {
        Self {
            changes: changes.into_iter().collect(),
        }
    }

    /// The plan of a delete, as the SDK planned it: every resource it deletes, in the order
    /// the deletes are sent (dependents first).
    pub(crate) fn deletion(plan: &DeletePlan) -> Self {
        Self {
            changes: plan.items().map(Change::deletion).collect(),
        }
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
}
