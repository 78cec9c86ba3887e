//! The commands.

mod connections;
mod connectors;
mod definitions;
mod jobs;
mod mock;
mod quickstart;
mod transfer;

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use serde_json::Value;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::config::Settings;
use crate::error::{CliError, CliResult};
use crate::output::Out;

/// Runs a parsed command line.
pub(crate) async fn run(cli: Cli) -> CliResult {
    let out = Out {
        format: cli.global.output,
    };
    let global = &cli.global;
    match cli.command {
        Command::Quickstart(args) => quickstart::run(global, &out, &args).await,
        Command::Mock(args) => mock::run(&out, &args).await,
        command => {
            let workspace = Settings::resolve(global)?.workspace()?;
            match command {
                Command::Workspaces(command) => {
                    connectors::workspaces(&workspace, &out, command).await
                }
                Command::Sources(command) => {
                    connectors::run::<airbyte::cloud::Source>(&workspace, global, &out, command)
                        .await
                }
                Command::Destinations(command) => {
                    connectors::run::<airbyte::cloud::Destination>(
                        &workspace, global, &out, command,
                    )
                    .await
                }
                Command::Connections(command) => {
                    connections::run(&workspace, global, &out, command).await
                }
                Command::Sync(args) => jobs::sync(&workspace, &out, &args).await,
                Command::Jobs(command) => jobs::run(&workspace, &out, command).await,
                Command::Definitions(command) => {
                    definitions::run(&workspace, global, &out, command).await
                }
                Command::State(command) => transfer::state(&workspace, &out, command).await,
                Command::Catalog(command) => transfer::catalog(&workspace, &out, command).await,
                Command::Quickstart(_) | Command::Mock(_) => Ok(()),
            }
        }
    }
}

/// Reads a JSON or YAML document: `@path`, an existing file's path, or the text itself.
pub(crate) fn read_document(text: &str) -> CliResult<Value> {
    let content = if let Some(path) = text.strip_prefix('@') {
        std::fs::read_to_string(path)
            .map_err(|error| CliError::bad(format!("cannot read {path}: {error}")))?
    } else if !text.trim_start().starts_with(['{', '[']) && Path::new(text).is_file() {
        std::fs::read_to_string(text)
            .map_err(|error| CliError::bad(format!("cannot read {text}: {error}")))?
    } else {
        text.to_owned()
    };
    read_document_text(&content)
}

/// Parses JSON, else YAML.
pub(crate) fn read_document_text(content: &str) -> CliResult<Value> {
    serde_json::from_str(content)
        .or_else(|_| serde_yaml_ng::from_str::<Value>(content))
        .map_err(|error| CliError::bad(format!("not valid JSON or YAML: {error}")))
}

/// Asks before a destructive command: `--yes` skips the question; without a terminal, the
/// command is refused rather than run unasked.
pub(crate) fn confirm(global: &GlobalArgs, action: &str) -> CliResult {
    if global.yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Refused(format!(
            "refusing to {action} without confirmation: pass --yes"
        )));
    }
    eprint!("{action}? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|error| CliError::bad(format!("cannot read the answer: {error}")))?;
    if matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
        Ok(())
    } else {
        Err(CliError::Refused(format!(
            "not confirmed: did not {action}"
        )))
    }
}

/// Bytes for people.
pub(crate) fn human_bytes(bytes: i64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes.max(0) as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_json_or_yaml() {
        assert_eq!(
            read_document(r#"{"a": 1}"#).unwrap(),
            serde_json::json!({"a": 1})
        );
        assert_eq!(
            read_document("a: 1\nb: [x]").unwrap(),
            serde_json::json!({"a": 1, "b": ["x"]})
        );
        assert!(read_document("@/definitely/not/here.json").is_err());
        assert!(read_document("{unclosed").is_err());
    }

    #[test]
    fn bytes_read_well() {
        assert_eq!(human_bytes(512), "512 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(5 * 1024 * 1024), "5.0 MiB");
    }
}
