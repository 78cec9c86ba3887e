//! An Airbyte workspace as files: reviewed in version control, planned and applied from CI,
//! with zero drift.
//!
//! A directory of YAML files describes a workspace: tags, custom source definitions (YAML
//! manifests and Docker images), sources, destinations and connections (streams, sync modes,
//! cursors, primary keys, selected fields, schedule, status, prefix, namespace rules,
//! non-breaking-change behaviour, tags). This crate reads such a directory
//! ([`WorkspaceFiles`]), compares it with the live workspace ([`Plan`]), makes the workspace
//! what the files say ([`apply()`]) and writes a workspace as files ([`export()`]).
//!
//! # Why this name
//!
//! `airbyte-workspace-files` is about *files that describe a workspace*. It is not the Config
//! API (Airbyte's internal API, which `airbyte-models` covers in part), not the declarative
//! manifests of the Connector Builder (which these files can hold, as a definition's
//! manifest), and not a connection's state (its sync cursors).
//!
//! # The promises
//!
//! - **Deterministic files.** An export writes resources, keys, streams and selected fields
//!   in a fixed order: exporting an unchanged workspace gives the same bytes, and exporting a
//!   workspace applied from files gives those files back.
//! - **No secret in the files.** A secret is a reference (`${env:PG_PASSWORD}`,
//!   `${file:secrets/pg}`); an export writes the template of the variables needed. A secret
//!   written as it is refuses the files.
//! - **No ID in the files.** The lock file (`airbyte.lock`) maps each key to its ID, per
//!   workspace, and records a salted fingerprint of every secret applied: a rename is an
//!   update, and a secret is a change only when its value's fingerprint differs.
//! - **Zero drift.** A plan right after an apply is empty, secrets included; a change made in
//!   the UI shows as an update back to what the files say; stream and field order never count.
//! - **Everything checked first.** Every problem of the directory is reported at once with its
//!   file and line, before anything is sent.
//! - **Plans read list pages only**: no request per resource (streams are read only for
//!   connections whose streams would be sent).
//! - **Applies converge**: in dependency order, with bounded concurrency, the lock file
//!   rewritten atomically after each success; a create whose answer was lost is found by name
//!   before it is retried; deletes are the domain layer's checked deletes (safe mode,
//!   dependents named and refused); no reset or clear is ever started.
//! - **One at a time**: an apply or export holds its lock file (an advisory lock on
//!   `.airbyte.lock.guard` beside it, released when the process ends however it ends); a
//!   second one is refused, as is an apply of a plan made before another apply ran.
//!
//! # Example
//!
//! ```no_run
//! use airbyte_cloud::CloudWorkspace;
//! use airbyte_workspace_files::{
//!     ApplyOptions, Plan, PlanOptions, ProcessEnvironment, WorkspaceFiles, apply,
//! };
//!
//! # async fn demo() -> airbyte_workspace_files::Result<()> {
//! let workspace = CloudWorkspace::from_env()?;
//! let files = WorkspaceFiles::read("airbyte/", &ProcessEnvironment)?;
//! let plan = Plan::build(&workspace, &files, PlanOptions::default()).await?;
//! for item in plan.items.iter().filter(|item| item.action != airbyte_workspace_files::Action::NoOp) {
//!     println!("{} {} {:?}", item.action, item.kind, item.name);
//! }
//! let report = apply(&workspace, &files, &plan, ApplyOptions { parallel: 8 }).await?;
//! println!("{} changes applied", report.done());
//! # Ok(())
//! # }
//! ```
//!
//! # The files
//!
//! Any `*.yaml` file at the top of the directory may hold any of the sections `tags`,
//! `definitions`, `sources`, `destinations` and `connections`; an export writes each resource
//! back to the file that defines it, new ones to one file per section, and manifests under
//! `manifests/`. See the README for the format.

mod apply;
mod diff;
mod emit;
mod error;
mod export;
mod live;
mod lock;
mod model;
mod plan;
mod read;
mod schedule;
mod secrets;
mod yaml;

pub use apply::{ApplyOptions, ApplyReport, Outcome, Status, apply};
pub use diff::FieldChange;
pub use error::{Error, Problem, Problems, Result};
pub use export::{ExportOptions, ExportSummary, MANIFEST_DIR, TEMPLATE_FILE, export};
pub use live::{Live, LiveDefinition, LiveDefinitionBody, LiveRef};
pub use lock::{LOCK_FILE, LockFile, Locked, Retired, WorkspaceLock};
pub use model::{
    ConnectionSpec, ConnectorRef, ConnectorSpec, DefinitionBody, DefinitionSpec, Desired, Kind,
    Origin, ScheduleSpec, StreamSpec, TagSpec,
};
pub use plan::{Action, Plan, PlanItem, PlanOptions};
pub use read::WorkspaceFiles;
pub use schedule::basic_to_cron;
pub use secrets::{
    Environment, FINGERPRINT_ROUNDS, ProcessEnvironment, Resolved, SecretRef, escape, fingerprint,
    matches, parse_reference, unescape,
};
