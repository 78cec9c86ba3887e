//! Printing results: tables on a terminal, JSON for scripts. Messages go to stderr so that
//! stdout holds only results.

use std::io::{IsTerminal, Write};

use serde::Serialize;
use serde_json::Value;

use crate::cli::OutputFormat;
use crate::error::{CliError, CliResult};

/// A column: a header and a JSON pointer into each item.
pub(crate) type Column = (&'static str, &'static str);

/// Where results go.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Out {
    pub(crate) format: OutputFormat,
}

fn cell(item: &Value, pointer: &str) -> String {
    match item.pointer(pointer) {
        None | Some(Value::Null) => "-".to_owned(),
        Some(Value::String(text)) => text.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .map_or_else(|| item.to_string(), str::to_owned)
            })
            .collect::<Vec<_>>()
            .join(","),
        Some(other) => other.to_string(),
    }
}

fn to_value<T: Serialize>(value: &T) -> CliResult<Value> {
    serde_json::to_value(value)
        .map_err(|error| CliError::bad(format!("cannot encode the result: {error}")))
}

impl Out {
    fn write(text: &str) {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(text.as_bytes());
        let _ = stdout.flush();
    }

    /// Prints a list.
    pub(crate) fn list<T: Serialize>(&self, items: &[T], columns: &[Column]) -> CliResult {
        let values: Vec<Value> = items.iter().map(to_value).collect::<CliResult<_>>()?;
        match self.format {
            OutputFormat::Json => Self::write(&format!("{}\n", Value::Array(values))),
            OutputFormat::Table => {
                let rows: Vec<Vec<String>> = values
                    .iter()
                    .map(|item| {
                        columns
                            .iter()
                            .map(|(_, pointer)| cell(item, pointer))
                            .collect()
                    })
                    .collect();
                let headers: Vec<&str> = columns.iter().map(|(header, _)| *header).collect();
                Self::write(&render_table(&headers, &rows));
            }
        }
        Ok(())
    }

    /// Prints one item: JSON, or `key: value` lines.
    pub(crate) fn one<T: Serialize>(&self, item: &T, columns: &[Column]) -> CliResult {
        let value = to_value(item)?;
        match self.format {
            OutputFormat::Json => Self::write(&format!("{value}\n")),
            OutputFormat::Table => {
                let width = columns
                    .iter()
                    .map(|(header, _)| header.len())
                    .max()
                    .unwrap_or(0);
                let mut text = String::new();
                for (header, pointer) in columns {
                    text.push_str(&format!("{header:<width$}  {}\n", cell(&value, pointer)));
                }
                Self::write(&text);
            }
        }
        Ok(())
    }

    /// Prints a document as it is (pretty JSON in both formats).
    pub(crate) fn document(&self, value: &Value) {
        let text = match self.format {
            OutputFormat::Json => value.to_string(),
            OutputFormat::Table => serde_json::to_string_pretty(value).unwrap_or_default(),
        };
        Self::write(&format!("{text}\n"));
    }

    /// Prints plain text (logs).
    pub(crate) fn text(&self, text: &str) {
        if !text.is_empty() {
            Self::write(&format!("{text}\n"));
        }
    }

    /// A message for people, on stderr (never mixed with results).
    pub(crate) fn note(&self, message: &str) {
        eprintln!("{message}");
    }

    /// Whether stderr is a terminal (for live progress).
    pub(crate) fn interactive(&self) -> bool {
        std::io::stderr().is_terminal()
    }
}

/// A text table with aligned columns.
pub(crate) fn render_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers
        .iter()
        .map(|header| header.chars().count())
        .collect();
    for row in rows {
        for (index, value) in row.iter().enumerate() {
            widths[index] = widths[index].max(value.chars().count());
        }
    }
    let line = |values: Vec<&str>| {
        let cells: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(index, value)| format!("{value:<width$}", width = widths[index]))
            .collect();
        format!("{}\n", cells.join("  ").trim_end())
    };
    let mut out = line(headers.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    if rows.is_empty() {
        out.push_str("(none)\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_columns() {
        let table = render_table(
            &["ID", "NAME"],
            &[
                vec!["1".into(), "alpha".into()],
                vec!["22".into(), "b".into()],
            ],
        );
        assert_eq!(table, "ID  NAME\n1   alpha\n22  b\n");
        assert!(render_table(&["ID"], &[]).contains("(none)"));
    }

    #[test]
    fn cells_render_values() {
        let item = serde_json::json!({"a": "x", "n": 3, "list": ["p", "q"], "null": null});
        assert_eq!(cell(&item, "/a"), "x");
        assert_eq!(cell(&item, "/n"), "3");
        assert_eq!(cell(&item, "/list"), "p,q");
        assert_eq!(cell(&item, "/null"), "-");
        assert_eq!(cell(&item, "/missing"), "-");
    }
}
