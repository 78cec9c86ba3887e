//! The steps of `cargo xtask test` and the runner that executes them in order.

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::watchdog::{self, Ended};

/// One command of a task, with the environment it needs.
pub(crate) struct Step {
    /// Short name printed before and after the step.
    pub(crate) name: &'static str,
    /// The program: cargo itself when `None`.
    pub(crate) program: Option<PathBuf>,
    /// Arguments.
    pub(crate) cargo_args: Vec<String>,
    /// Extra environment variables.
    pub(crate) env: Vec<(&'static str, &'static str)>,
}

impl Step {
    /// A cargo command.
    pub(crate) fn cargo(name: &'static str, args: &[&str]) -> Self {
        Self {
            name,
            program: None,
            cargo_args: args.iter().map(|arg| (*arg).to_owned()).collect(),
            env: Vec::new(),
        }
    }

    /// Another program.
    pub(crate) fn program(name: &'static str, program: PathBuf, args: Vec<String>) -> Self {
        Self {
            name,
            program: Some(program),
            cargo_args: args,
            env: Vec::new(),
        }
    }

    fn command_line(&self) -> String {
        let program = self
            .program
            .as_ref()
            .map_or_else(|| "cargo".to_owned(), |path| path.display().to_string());
        format!("{program} {}", self.cargo_args.join(" "))
    }
}

/// The cargo binary that runs this xtask (so a toolchain override is honoured).
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// The workspace root: the parent of this crate's manifest directory. Read at run time
/// (`cargo xtask` runs through `cargo run`, which sets it) before the value compiled in: a
/// binary built in another checkout (a target directory copied into a worktree) would
/// otherwise test that checkout.
pub(crate) fn workspace_root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    manifest_dir
        .parent()
        .map(PathBuf::from)
        .unwrap_or(manifest_dir)
}

/// Whether `cargo nextest` is installed.
fn has_nextest() -> bool {
    Command::new(cargo())
        .args(["nextest", "--version"])
        .output()
        .map(|out| out.status.success())
        .unwrap_or(false)
}

/// The ordered steps of `cargo xtask test`.
pub(crate) fn test_plan() -> Vec<Step> {
    let tests = if has_nextest() {
        Step::cargo(
            "tests (cargo-nextest)",
            &[
                "nextest",
                "run",
                "--workspace",
                "--all-targets",
                "--no-fail-fast",
            ],
        )
    } else {
        Step::cargo(
            "tests (cargo test; install cargo-nextest for faster runs)",
            &["test", "--workspace", "--all-targets", "--no-fail-fast"],
        )
    };
    let mut docs = Step::cargo(
        "docs (cargo doc, warnings denied)",
        &["doc", "--workspace", "--no-deps"],
    );
    docs.env.push(("RUSTDOCFLAGS", "-D warnings"));
    vec![
        Step::cargo("format (cargo fmt --check)", &["fmt", "--all", "--check"]),
        Step::cargo(
            "lints (cargo clippy -D warnings)",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        tests,
        Step::cargo("doctests", &["test", "--workspace", "--doc"]),
        docs,
        Step::cargo(
            "soak (10 s of workflows under injected faults)",
            &[
                "run",
                "--quiet",
                "-p",
                "airbyte-bench",
                "--",
                "soak",
                "--duration",
                "10",
            ],
        ),
    ]
}

/// The directory cargo builds into.
pub(crate) fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace_root().join("target"), PathBuf::from)
}

/// Runs every step in order and stops at the first failure. Each step may take at most the
/// limit of [`watchdog::step_limit`]: one that hangs is stopped, and fails the run.
pub(crate) fn run_all(steps: &[Step]) -> ExitCode {
    let setting = std::env::var(watchdog::LIMIT_VARIABLE).ok();
    let limit = match watchdog::step_limit(setting.as_deref()) {
        Ok(limit) => limit,
        Err(message) => {
            eprintln!("xtask: {message}");
            return ExitCode::FAILURE;
        }
    };
    let root = workspace_root();
    let started = Instant::now();
    let total = steps.len();
    for (index, step) in steps.iter().enumerate() {
        let number = index + 1;
        eprintln!("\n==> [{number}/{total}] {}", step.name);
        eprintln!("    $ {}", step.command_line());
        let step_started = Instant::now();
        let program = step
            .program
            .clone()
            .unwrap_or_else(|| PathBuf::from(cargo()));
        let mut command = Command::new(program);
        command
            .args(&step.cargo_args)
            .envs(step.env.iter().copied())
            .current_dir(&root);
        match watchdog::run_bounded(&mut command, limit) {
            Ok(Ended::Exited(status)) if status.success() => {
                eprintln!(
                    "==> [{number}/{total}] {} passed in {:.1}s",
                    step.name,
                    step_started.elapsed().as_secs_f64()
                );
            }
            Ok(Ended::Exited(status)) => {
                eprintln!(
                    "\nxtask FAILED at step {number}/{total}: {} ({status}).\n\
                     Re-run `{}` to see the failure alone.",
                    step.name,
                    step.command_line()
                );
                return ExitCode::FAILURE;
            }
            Ok(Ended::TimedOut) => {
                eprintln!(
                    "\nxtask FAILED at step {number}/{total}: {} did not finish within {} s and \
                     was stopped, with the processes it started: something hangs (a test, \
                     most likely; the last one named above). Re-run `{}` to find it; on a \
                     slower machine, raise the limit with {}=SECONDS.",
                    step.name,
                    limit.as_secs(),
                    step.command_line(),
                    watchdog::LIMIT_VARIABLE
                );
                return ExitCode::FAILURE;
            }
            Err(error) => {
                eprintln!(
                    "\nxtask FAILED at step {number}/{total}: {}: could not start it: {error}",
                    step.name
                );
                return ExitCode::FAILURE;
            }
        }
    }
    eprintln!(
        "\nxtask: all {total} steps passed in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
