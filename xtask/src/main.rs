//! Repository automation for the Airbyte Rust SDK, run through the cargo alias `cargo xtask`.
//!
//! `cargo xtask test` is the single entry point of the offline test suite: formatting, lints,
//! every test of the workspace, doctests and documentation. CI runs exactly this command.

mod steps;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <task>

tasks:
  test    run the whole offline suite: fmt, clippy, tests, doctests, docs
  help    print this message
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("test") => steps::run_all(&steps::test_plan()),
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
