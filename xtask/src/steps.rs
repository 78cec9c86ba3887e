//! The steps of `cargo xtask test` and the runner that executes them in order.

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::Instant;

/// One command of the suite, with the environment it needs.
pub(crate) struct Step {
    /// Short name printed before and after the step.
    pub(crate) name: &'static str,
    /// Arguments passed to cargo.
    pub(crate) cargo_args: Vec<&'static str>,
    /// Extra environment variables.
    pub(crate) env: Vec<(&'static str, &'static str)>,
}

/// The cargo binary that runs this xtask (so a toolchain override is honoured).
fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// The workspace root: the parent of this crate's manifest directory.
fn workspace_root() -> PathBuf {
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
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
        Step {
            name: "tests (cargo-nextest)",
            cargo_args: vec![
                "nextest",
                "run",
                "--workspace",
                "--all-targets",
                "--no-fail-fast",
            ],
            env: vec![],
        }
    } else {
        Step {
            name: "tests (cargo test; install cargo-nextest for faster runs)",
            cargo_args: vec!["test", "--workspace", "--all-targets", "--no-fail-fast"],
            env: vec![],
        }
    };
    vec![
        Step {
            name: "format (cargo fmt --check)",
            cargo_args: vec!["fmt", "--all", "--check"],
            env: vec![],
        },
        Step {
            name: "lints (cargo clippy -D warnings)",
            cargo_args: vec![
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
            env: vec![],
        },
        tests,
        Step {
            name: "doctests",
            cargo_args: vec!["test", "--workspace", "--doc"],
            env: vec![],
        },
        Step {
            name: "docs (cargo doc, warnings denied)",
            cargo_args: vec!["doc", "--workspace", "--no-deps"],
            env: vec![("RUSTDOCFLAGS", "-D warnings")],
        },
    ]
}

/// Runs every step in order and stops at the first failure.
pub(crate) fn run_all(steps: &[Step]) -> ExitCode {
    let root = workspace_root();
    let started = Instant::now();
    let total = steps.len();
    for (index, step) in steps.iter().enumerate() {
        let number = index + 1;
        eprintln!("\n==> [{number}/{total}] {}", step.name);
        eprintln!("    $ cargo {}", step.cargo_args.join(" "));
        let step_started = Instant::now();
        let status = Command::new(cargo())
            .args(&step.cargo_args)
            .envs(step.env.iter().copied())
            .current_dir(&root)
            .status();
        match status {
            Ok(status) if status.success() => {
                eprintln!(
                    "==> [{number}/{total}] {} passed in {:.1}s",
                    step.name,
                    step_started.elapsed().as_secs_f64()
                );
            }
            Ok(status) => {
                eprintln!(
                    "\nxtask test FAILED at step {number}/{total}: {} ({status}).\n\
                     Re-run `cargo {}` to see the failure alone.",
                    step.name,
                    step.cargo_args.join(" ")
                );
                return ExitCode::FAILURE;
            }
            Err(error) => {
                eprintln!(
                    "\nxtask test FAILED at step {number}/{total}: {}: could not start cargo: {error}",
                    step.name
                );
                return ExitCode::FAILURE;
            }
        }
    }
    eprintln!(
        "\nxtask test: all {total} steps passed in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
