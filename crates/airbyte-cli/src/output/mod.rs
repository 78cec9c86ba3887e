//! Printing: results on stdout (a table, JSON or YAML), messages and progress on stderr.
//!
//! A closed pipe (`airbyte sync C | head -1`) must not stop a command half-way, least of all
//! one that watches a job: a reader that went away is not an error. Any other failure to
//! write a result (a full disk, an I/O error) is remembered, and the command then fails
//! instead of reporting success with its output lost.

pub(crate) mod human;
mod style;
pub(crate) mod table;

use std::io::{IsTerminal, Write};
use std::sync::Mutex;

use serde::Serialize;
use serde_json::Value;

pub(crate) use human::{escape, escaped};
pub(crate) use table::{Column, Kind, col, text};

use crate::cli::{ColorWhen, OutputFormat};
use crate::error::{CliError, CliResult};

/// Where results and messages go, and how they look.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Out {
    /// The format of results.
    pub(crate) format: OutputFormat,
    color: bool,
    stdout_terminal: bool,
    stderr_terminal: bool,
}

/// The first failure to write to stdout other than a closed pipe.
static STDOUT_FAILURE: Mutex<Option<String>> = Mutex::new(None);

/// Writes to stdout; `false` when nobody reads it any more (a closed pipe) or it failed.
/// A failure other than a closed pipe is kept for [`stdout_failure`].
pub(crate) fn write_stdout(text: &str) -> bool {
    let mut stdout = std::io::stdout().lock();
    let result = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    match result {
        Ok(()) => true,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => false,
        Err(error) => {
            let mut failure = STDOUT_FAILURE
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            failure.get_or_insert_with(|| error.to_string());
            false
        }
    }
}

/// Why results could not be written to stdout (other than a closed pipe), if they could not.
pub(crate) fn stdout_failure() -> Option<String> {
    STDOUT_FAILURE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone()
}

/// Writes to stderr, ignoring errors.
pub(crate) fn write_stderr(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ = stderr.write_all(text.as_bytes());
    let _ = stderr.flush();
}

/// Any serializable result as JSON.
pub(crate) fn to_value<T: Serialize>(value: &T) -> CliResult<Value> {
    serde_json::to_value(value)
        .map_err(|error| CliError::bad(format!("cannot encode the result: {error}")))
}

impl Out {
    /// Output in `format`, coloured as `color` says.
    pub(crate) fn new(format: OutputFormat, color: ColorWhen) -> Self {
        let stdout_terminal = std::io::stdout().is_terminal();
        Self {
            format,
            color: style::enabled(color, stdout_terminal),
            stdout_terminal,
            stderr_terminal: std::io::stderr().is_terminal(),
        }
    }

    /// Whether results are shown as tables (so derived, human columns are worth computing).
    pub(crate) fn is_table(&self) -> bool {
        self.format == OutputFormat::Table
    }

    /// Whether live progress can be drawn on stderr: a terminal that can move its cursor (not
    /// `TERM=dumb`, where the progress library draws nothing at all).
    pub(crate) fn live_progress(&self) -> bool {
        self.stderr_terminal && !style::dumb_terminal()
    }

    /// A JSON or YAML document of a value; JSON is indented on a terminal.
    fn encode(&self, value: &Value) -> String {
        match self.format {
            OutputFormat::Yaml => serde_yaml_ng::to_string(value).unwrap_or_default(),
            OutputFormat::Json if !self.stdout_terminal => format!("{value}\n"),
            OutputFormat::Json | OutputFormat::Table => {
                format!(
                    "{}\n",
                    serde_json::to_string_pretty(value).unwrap_or_default()
                )
            }
        }
    }

    /// Prints a list.
    pub(crate) fn list<T: Serialize>(&self, items: &[T], columns: &[Column]) -> CliResult {
        let values: Vec<Value> = items.iter().map(to_value).collect::<CliResult<_>>()?;
        match self.format {
            OutputFormat::Table => {
                write_stdout(&table::render_list(&values, columns, self.color));
            }
            _ => {
                write_stdout(&self.encode(&Value::Array(values)));
            }
        }
        Ok(())
    }

    /// Prints one item: `HEADER  value` lines, or the whole item as JSON or YAML.
    pub(crate) fn one<T: Serialize>(&self, item: &T, columns: &[Column]) -> CliResult {
        let value = to_value(item)?;
        let text = match self.format {
            OutputFormat::Table => table::render_one(&value, columns, self.color),
            _ => self.encode(&value),
        };
        write_stdout(&text);
        Ok(())
    }

    /// Prints a document as it is: JSON (indented in tables and on a terminal) or YAML.
    pub(crate) fn document(&self, value: &Value) {
        write_stdout(&self.encode(value));
    }

    /// The text of a document, as [`Out::document`] prints it (for files).
    pub(crate) fn document_text(&self, value: &Value) -> String {
        match self.format {
            OutputFormat::Yaml => self.encode(value),
            _ => format!(
                "{}\n",
                serde_json::to_string_pretty(value).unwrap_or_default()
            ),
        }
    }

    /// Prints lines of server text (logs) with their control characters escaped (tabs kept),
    /// into a pipe or file too: piped logs end up on a terminal (`| less -R`, `| tee`, `cat`
    /// later), where a hostile line must not set the title or clear the screen. The exact
    /// text is in `-o json`. `false` when nobody reads them any more.
    pub(crate) fn lines(&self, lines: &[String]) -> bool {
        let mut text = String::new();
        for line in lines {
            text.push_str(&human::escape_log_line(line));
            text.push('\n');
        }
        write_stdout(&text)
    }

    /// A message for people, on stderr (never mixed with results).
    pub(crate) fn note(&self, message: &str) {
        write_stderr(&format!("{message}\n"));
    }
}
