//! Deletes: the SDK plans them (the resource, a connection's cascade, and everything the
//! server deletes with them) and decides whether they may go ahead (safe mode on every name,
//! dependents refused unless `--with-dependents`); the tool shows the plan, asks, and says
//! exactly what was deleted, also when a delete stops part way.

use airbyte::cloud::{ConnectionDeletion, DeletePlan, Deletion, DeletionReason, ResourceRef};
use serde_json::json;

use crate::cli::{DeleteArgs, GlobalArgs};
use crate::error::{CliError, CliResult};
use crate::output::{Out, escape};
use crate::plan::{Plan, Resource, named};

/// A delete the SDK plans and carries out.
pub(crate) trait Delete: Sized {
    /// The delete with the command line's options.
    fn with(self, args: &DeleteArgs) -> Self;
    /// What it would delete, read now (nothing deleted).
    async fn preview(&self) -> airbyte::Result<DeletePlan>;
    /// Deletes what `approved` names, and nothing else: the SDK refuses with
    /// `Error::PlanChanged` (nothing deleted) when the delete would now remove more, or a
    /// resource renamed since. What was deleted.
    async fn send_approved(self, approved: &DeletePlan) -> airbyte::Result<DeletePlan>;
}

/// The two SDK deletes have the same options and calls.
macro_rules! sdk_delete {
    ($($delete:ty),+) => {$(
        impl Delete for $delete {
            fn with(self, args: &DeleteArgs) -> Self {
                self.safe_mode(!args.no_safe_mode)
                    .delete_dependents(args.with_dependents)
            }

            async fn preview(&self) -> airbyte::Result<DeletePlan> {
                <$delete>::preview(self).await
            }

            async fn send_approved(self, approved: &DeletePlan) -> airbyte::Result<DeletePlan> {
                <$delete>::send_approved(self, approved).await
            }
        }
    )+};
}

sdk_delete!(ConnectionDeletion, Deletion);

/// What to delete, when it exists: with `--ignore-not-found`, a missing one is said and
/// skipped (`None`).
///
/// # Errors
///
/// The lookup's error, unless it is "not found" and that is ignored.
pub(crate) fn found_or_skip<T>(
    result: CliResult<T>,
    args: &DeleteArgs,
    out: &Out,
    kind: &str,
    id: &str,
) -> CliResult<Option<T>> {
    match result {
        Ok(found) => Ok(Some(found)),
        Err(CliError::NotFound { .. }) if args.ignore_not_found => {
            out.note(&format!(
                "{kind} {} does not exist; nothing to delete",
                escape(id)
            ));
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

/// An error of a planned delete, with what to do about a refusal on this command line.
fn refused(error: airbyte::Error, plan: &DeletePlan) -> CliError {
    let hint = match &error {
        airbyte::Error::DependentsExist { .. } => {
            "delete them first, or pass --with-dependents to delete them too (safe mode applies to them)".to_owned()
        }
        airbyte::Error::SafeModeRefusal { id, .. } => {
            let reason = plan
                .items()
                .find(|item| item.resource.id == *id)
                .map(|item| &item.reason);
            match reason {
                Some(DeletionReason::DependentOf(of)) => format!(
                    "the server would delete it with {}; pass --no-safe-mode to delete whatever the names",
                    named(of)
                ),
                _ => "rename it, or pass --no-safe-mode to delete whatever the names".to_owned(),
            }
        }
        airbyte::Error::DependentsUnknown { .. } => {
            "delete those sources first, or make the Config API reachable (--config-api-root) so that it can tell".to_owned()
        }
        airbyte::Error::PlanChanged { .. } => {
            "run the command again to see the plan as it is now".to_owned()
        }
        _ => return CliError::from(error),
    };
    CliError::from(error).hint(hint)
}

/// Runs a delete: the SDK's plan is checked (its refusal is the command's), previewed with
/// `--dry-run` or confirmed, then sent as approved: exactly what was shown (or checked, with
/// `--yes`) is deleted, and nothing else; everything deleted is named.
///
/// # Errors
///
/// The SDK's refusals (exit 5), a refused confirmation, a plan that changed since it was shown
/// (the SDK's `PlanChanged`: grown, or a resource renamed; nothing deleted), a delete that
/// stopped part way (naming what was and was not deleted), or the errors of the requests.
pub(crate) async fn run(
    request: impl Delete,
    args: &DeleteArgs,
    global: &GlobalArgs,
    out: &Out,
) -> CliResult {
    let request = request.with(args);
    let planned = match request.preview().await {
        Ok(planned) => planned,
        Err(error) if error.is_not_found() && args.ignore_not_found => {
            out.note(&format!("{}; nothing to delete", CliError::from(error)));
            return Ok(());
        }
        Err(error) => return Err(error.into()),
    };
    planned.check().map_err(|error| refused(error, &planned))?;
    let shown = Plan::deletion(&planned);
    if shown.preview(args.dry_run, out) {
        return Ok(());
    }
    // The answer may take minutes: the SDK deletes what was confirmed, or nothing.
    shown.confirm(global).await?;
    match request.send_approved(&planned).await {
        Ok(deleted) => {
            let resources: Vec<&ResourceRef> = deleted.items().map(|item| &item.resource).collect();
            for resource in &resources {
                out.note(&format!("deleted {}", named(resource)));
            }
            document(out, &[("deleted", &resources)]);
            Ok(())
        }
        Err(error) if error.is_not_found() && args.ignore_not_found => Ok(()),
        Err(error) => {
            match &error {
                airbyte::Error::DeleteIncomplete {
                    deleted,
                    not_deleted,
                    unplanned,
                    unchecked,
                    ..
                } => document(
                    out,
                    &[
                        ("deleted", &deleted.iter().collect::<Vec<_>>()),
                        ("notDeleted", &not_deleted.iter().collect::<Vec<_>>()),
                        ("unplanned", &unplanned.iter().collect::<Vec<_>>()),
                        ("unchecked", &unchecked.as_deref().into_iter().collect()),
                    ],
                ),
                airbyte::Error::UnplannedDeletion { deleted, unplanned } => document(
                    out,
                    &[
                        ("deleted", &deleted.iter().collect::<Vec<_>>()),
                        ("unplanned", &unplanned.iter().collect::<Vec<_>>()),
                    ],
                ),
                _ => {}
            }
            Err(refused(error, &planned))
        }
    }
}

/// With `-o json` or `yaml`, the outcome for scripts: lists of resources by key (a table's
/// reader has the messages on stderr).
fn document(out: &Out, lists: &[(&str, &Vec<&ResourceRef>)]) {
    if out.is_table() {
        return;
    }
    let mut value = json!({});
    for (key, resources) in lists {
        let resources: Vec<Resource> = resources
            .iter()
            .map(|resource| (*resource).into())
            .collect();
        value[*key] = json!(resources);
    }
    out.document(&value);
}
