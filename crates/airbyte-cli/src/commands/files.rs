//! `export`, `plan` and `apply`: the workspace as files (configuration as code).

use std::fmt::Write as _;

use airbyte::prelude::CloudWorkspace;
use airbyte::workspace_files::{
    self as files, Action, ApplyOptions, ExportOptions, Plan, PlanItem, PlanOptions,
    ProcessEnvironment, WorkspaceFiles,
};
use serde_json::Value;

use crate::cli::{ApplyArgs, ExportArgs, FilesArgs, GlobalArgs, PlanArgs};
use crate::error::{CliError, CliResult, exit};
use crate::output::{Out, escape, to_value, write_stdout};
use crate::plan::{self as preview, Change};

/// The tool's error for an error of the workspace files.
fn cli_error(error: files::Error) -> CliError {
    match error {
        files::Error::Invalid { .. } | files::Error::Lock { .. } | files::Error::Io { .. } => {
            CliError::bad(error.to_string())
        }
        files::Error::Refused { .. } => CliError::Refused(error.to_string()).hint(
            "rename what may be deleted to contain delete-me, or pass --no-safe-mode; --prune deletes only with it",
        ),
        files::Error::Unrepresentable { .. } => CliError::bad(error.to_string()),
        files::Error::Conflict { .. } => CliError::Refused(error.to_string()),
        files::Error::Cloud(error) => CliError::Sdk(error),
        other => CliError::Code(exit::API, Some(Box::new(CliError::bad(other.to_string())))),
    }
}

/// `airbyte export`.
pub(crate) async fn export(workspace: &CloudWorkspace, out: &Out, args: &ExportArgs) -> CliResult {
    let summary = files::export(
        workspace,
        &args.out,
        ExportOptions {
            lock_file: args.lock_file.clone(),
        },
    )
    .await
    .map_err(cli_error)?;
    if out.is_table() {
        let counts: Vec<String> = summary
            .resources
            .iter()
            .map(|(kind, count)| format!("{count} {}", kind.section()))
            .collect();
        let mut text = format!(
            "Exported {} of workspace {} to {}:\n",
            counts.join(", "),
            workspace.id(),
            escape(&summary.directory.display().to_string())
        );
        for file in &summary.files {
            let _ = writeln!(text, "  {}", escape(&file.display().to_string()));
        }
        write_stdout(&text);
        if !summary.variables.is_empty() {
            out.note(&format!(
                "The secrets are references: set the {} variable(s) of {} where `airbyte plan` and `airbyte apply` run.",
                summary.variables.len(),
                files::TEMPLATE_FILE
            ));
        }
    } else {
        out.document(&to_value(&summary)?);
    }
    Ok(())
}

/// Reads the files (every problem at once) and plans them.
async fn make_plan(
    workspace: &CloudWorkspace,
    args: &FilesArgs,
) -> Result<(WorkspaceFiles, Plan), files::Error> {
    let files = WorkspaceFiles::read(&args.dir, &ProcessEnvironment)?;
    let options = PlanOptions {
        prune: args.prune,
        safe_mode: !args.no_safe_mode,
        check_streams: !args.no_stream_check,
        lock_file: args.lock_file.clone(),
        ..PlanOptions::default()
    };
    let plan = Plan::build(workspace, &files, options).await?;
    Ok((files, plan))
}

/// The exit code of `plan` when there are changes (terraform's `-detailed-exitcode`).
const PLAN_CHANGES: u8 = 2;

/// `airbyte plan`: exit 0 without changes, 2 with changes, 1 on any error (see
/// [`plan_exit_code`]).
pub(crate) async fn plan(workspace: &CloudWorkspace, out: &Out, args: &PlanArgs) -> CliResult {
    let (_, plan) = make_plan(workspace, &args.files).await.map_err(cli_error)?;
    show(&plan, out);
    if plan.has_changes() {
        Err(CliError::Code(PLAN_CHANGES, None))
    } else {
        Ok(())
    }
}

/// The exit code of `plan` for an error: 2 only for changes, so that a script can trust it;
/// every failure (settings, input, the API, a time limit) is 1, and a signal keeps its code.
pub(crate) fn plan_exit_code(error: &CliError) -> u8 {
    match error {
        CliError::Code(PLAN_CHANGES, None) => PLAN_CHANGES,
        CliError::Interrupted | CliError::Terminated => error.exit_code(),
        _ => exit::API,
    }
}

/// `airbyte apply`.
pub(crate) async fn apply(
    workspace: &CloudWorkspace,
    global: &GlobalArgs,
    out: &Out,
    args: &ApplyArgs,
) -> CliResult {
    let (files, plan) = make_plan(workspace, &args.files).await.map_err(cli_error)?;
    show(&plan, out);
    if args.dry_run.dry_run {
        if plan.has_changes() {
            out.note("dry run: nothing was changed");
        }
        return Ok(());
    }
    if !plan.has_changes() {
        // Nothing is sent, but what the plan found by name is recorded in the lock file, so
        // that a rename in the files later is an update of the same resource.
        return files::apply(workspace, &files, &plan, ApplyOptions::default())
            .await
            .map(drop)
            .map_err(cli_error);
    }
    if !plan.refusals().is_empty() {
        // Refused before anything is asked: the same check apply makes before sending.
        return files::apply(workspace, &files, &plan, ApplyOptions::default())
            .await
            .map(drop)
            .map_err(cli_error);
    }
    confirmation(&plan).confirm(global).await?;
    let options = ApplyOptions {
        parallel: usize::from(args.parallel),
    };
    match files::apply(workspace, &files, &plan, options).await {
        Ok(report) => {
            if out.is_table() {
                out.note(&format!("Applied {} change(s).", report.done()));
            } else {
                out.document(&to_value(&report)?);
            }
            Ok(())
        }
        Err(files::Error::ApplyIncomplete { report }) => {
            if !out.is_table() {
                out.document(&to_value(&report)?);
            }
            Err(CliError::Code(
                exit::API,
                Some(Box::new(CliError::bad(report.to_string()))),
            ))
        }
        Err(error) => Err(cli_error(error)),
    }
}

/// What the confirmation lists: every change, one line each.
fn confirmation(plan: &Plan) -> preview::Plan {
    preview::Plan::of_all(
        plan.items
            .iter()
            .filter(|item| item.action != Action::NoOp)
            .map(|item| {
                let action = match item.action {
                    Action::Create | Action::Replace => preview::Action::Create,
                    Action::Update => preview::Action::Update,
                    Action::Delete | Action::NoOp => preview::Action::Delete,
                };
                let mut change = Change::new(action, item.kind.as_str()).name(item.name.clone());
                if let Some(id) = &item.id {
                    change = change.id(id);
                }
                if item.action == Action::Replace {
                    change = change.detail("a new one replaces it; the old one is deleted");
                }
                change
            }),
    )
}

/// Prints a plan: for people, or as JSON or YAML.
fn show(plan: &Plan, out: &Out) {
    if !out.is_table() {
        out.document(&plan.to_json());
        return;
    }
    write_stdout(&render(plan));
}

fn value_text(value: Option<&Value>) -> String {
    match value {
        None => "(none)".to_owned(),
        Some(Value::String(text)) => format!("{:?}", escape(text)),
        Some(other) => escape(&other.to_string()),
    }
}

fn sign(action: Action) -> &'static str {
    match action {
        Action::Create => "+",
        Action::Update => "~",
        Action::Replace => "-/+",
        Action::Delete => "-",
        Action::NoOp => " ",
    }
}

fn render_item(text: &mut String, item: &PlanItem) {
    let _ = write!(
        text,
        "  {} {} {} {:?}",
        sign(item.action),
        item.action,
        item.kind,
        escape(&item.name)
    );
    if let Some(origin) = &item.origin {
        let _ = write!(text, "  ({})", escape(&origin.to_string()));
    }
    text.push('\n');
    if let Some(reason) = &item.reason {
        let _ = writeln!(text, "      because {}", escape(reason));
    }
    for change in &item.changes {
        let _ = write!(
            text,
            "      {}: {} -> {}",
            escape(&change.field),
            value_text(change.old.as_ref()),
            value_text(change.new.as_ref())
        );
        if let Some(note) = &change.note {
            let _ = write!(text, "  ({})", escape(note));
        }
        text.push('\n');
    }
    if !item.dependents.is_empty() {
        let names: Vec<String> = item
            .dependents
            .iter()
            .map(|dependent| escape(&dependent.to_string()))
            .collect();
        let _ = writeln!(text, "      with: {}", names.join(", "));
    }
    if let Some(refusal) = &item.refusal {
        let _ = writeln!(text, "      REFUSED: {}", escape(refusal));
    }
}

/// The plan for people: a summary line, then each change with its fields.
fn render(plan: &Plan) -> String {
    let counts = plan.counts();
    let count = |action| counts.get(&action).copied().unwrap_or(0);
    let mut text = format!(
        "Plan for workspace {}: {} to create, {} to update, {} to replace, {} to delete, {} unchanged.\n",
        plan.workspace_id,
        count(Action::Create),
        count(Action::Update),
        count(Action::Replace),
        count(Action::Delete),
        count(Action::NoOp)
    );
    let changed: Vec<&PlanItem> = plan
        .items
        .iter()
        .filter(|item| item.action != Action::NoOp)
        .collect();
    if changed.is_empty() {
        text.push_str("No changes: the workspace is what the files say.\n");
    } else {
        text.push('\n');
        for item in changed {
            render_item(&mut text, item);
        }
    }
    if !plan.unmanaged.is_empty() {
        let names: Vec<String> = plan
            .unmanaged
            .iter()
            .map(|item| escape(&item.to_string()))
            .collect();
        let _ = writeln!(
            text,
            "\n{} resource(s) of the workspace are not in the files and are left alone (--prune deletes them): {}",
            plan.unmanaged.len(),
            names.join(", ")
        );
    }
    text
}
