//! Repository automation for the Airbyte Rust SDK, run through the cargo alias `cargo xtask`.
//!
//! - `cargo xtask test` is the single entry point of the offline test suite: formatting, lints,
//!   every test of the workspace, doctests, documentation and a short soak. CI runs exactly
//!   this command.
//! - `cargo xtask bench` runs the benchmarks and writes `BENCHMARKS.md`.
//! - `cargo xtask soak [--duration SECS]` runs workflows under injected faults and fails when a
//!   resource is duplicated or lost, or something panics.
//! - `cargo xtask man [--out-dir DIR]` writes the `airbyte` man pages (default `target/man`).
//!
//! Every step runs for at most an hour (`XTASK_STEP_TIMEOUT_SECS` changes it): a step that
//! hangs is stopped with the processes it started, and the task fails saying so.

mod steps;
mod watchdog;

use std::process::ExitCode;

use steps::{Step, run_all, target_dir, test_plan, workspace_root};

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  test                       the whole offline suite: fmt, clippy, tests, doctests, docs, a 10 s soak
  bench [--rounds N] [--seconds S]
                             benchmarks (release build); writes BENCHMARKS.md
  soak [--duration SECS] [--workers N] [--seed N] [--latency MS]
                             workflows under injected faults (release build; default 60 s)
  man [--out-dir DIR]        the airbyte man pages, one per command (default target/man)
  help                       this message

Each step may run for an hour at most; XTASK_STEP_TIMEOUT_SECS=N changes the limit.
";

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|arg| arg == name)
        .and_then(|index| args.get(index + 1))
        .cloned()
}

fn bench(args: &[String]) -> ExitCode {
    let build = Step::cargo(
        "build the mock server and the harness (release)",
        &[
            "build",
            "--release",
            "-p",
            "airbyte-mock-server",
            "-p",
            "airbyte-bench",
        ],
    );
    let release = target_dir().join("release");
    let root = workspace_root();
    let mut report_args = vec![
        "report".to_owned(),
        "--mock-bin".to_owned(),
        release.join("airbyte-mock-server").display().to_string(),
        "--out".to_owned(),
        root.join("BENCHMARKS.md").display().to_string(),
        "--findings".to_owned(),
        root.join("crates/airbyte-bench/findings.md")
            .display()
            .to_string(),
    ];
    let mut command = "cargo xtask bench".to_owned();
    for name in ["--rounds", "--seconds"] {
        if let Some(value) = flag(args, name) {
            report_args.extend([name.to_owned(), value.clone()]);
            command.push_str(&format!(" {name} {value}"));
        }
    }
    report_args.extend(["--command".to_owned(), command]);
    let report = Step::program(
        "run the benchmarks",
        release.join("airbyte-bench"),
        report_args,
    );
    run_all(&[build, report])
}

fn soak(args: &[String]) -> ExitCode {
    let mut step = Step::cargo(
        "soak",
        &[
            "run",
            "--release",
            "--quiet",
            "-p",
            "airbyte-bench",
            "--",
            "soak",
        ],
    );
    for name in ["--duration", "--workers", "--seed", "--latency"] {
        if let Some(value) = flag(args, name) {
            step.cargo_args.extend([name.to_owned(), value]);
        }
    }
    run_all(&[step])
}

/// The man pages come from the command line's own definition: the CLI renders them (with
/// clap_mangen), so this crate stays free of dependencies.
fn man(args: &[String]) -> ExitCode {
    let out_dir =
        flag(args, "--out-dir").unwrap_or_else(|| target_dir().join("man").display().to_string());
    let step = Step::cargo(
        "man pages",
        &[
            "run",
            "--quiet",
            "-p",
            "airbyte-cli",
            "--",
            "man",
            "--out-dir",
            &out_dir,
        ],
    );
    run_all(&[step])
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("test") => run_all(&test_plan()),
        Some("bench") => bench(&args[1..]),
        Some("soak") => soak(&args[1..]),
        Some("man") => man(&args[1..]),
        Some("help" | "--help" | "-h") | None => {
            eprint!("{USAGE}");
            ExitCode::SUCCESS
        }
        Some(other) => {
            eprintln!("xtask: unknown task `{other}`\n");
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
