//! Tables: columns that point into JSON items, with a kind that says how to show each value.

use std::time::SystemTime;

use anstyle::Style;
use serde_json::Value;
use unicode_width::UnicodeWidthStr;

use super::human::{self, escape};
use super::style;

/// How a column's values are shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Text as it is (escaped).
    Text,
    /// An instant: an age in lists, the local time and age in detail views.
    Time,
    /// An ISO-8601 duration: `3m 10s`.
    Duration,
    /// A byte count: `1.5 MiB`.
    Bytes,
    /// A count: `1,234`.
    Count,
    /// A status word, coloured.
    Status,
}

/// A column: a header, a JSON pointer into each item, and a kind.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Column {
    pub(crate) header: &'static str,
    pub(crate) pointer: &'static str,
    pub(crate) kind: Kind,
}

/// A column of text.
pub(crate) const fn text(header: &'static str, pointer: &'static str) -> Column {
    Column {
        header,
        pointer,
        kind: Kind::Text,
    }
}

/// A column of another kind.
pub(crate) const fn col(header: &'static str, pointer: &'static str, kind: Kind) -> Column {
    Column {
        header,
        pointer,
        kind,
    }
}

/// One rendered cell: its text and, when coloured, its style.
struct Cell {
    text: String,
    style: Option<Style>,
}

fn plain(value: &Value) -> String {
    match value {
        Value::Null => "-".to_owned(),
        Value::String(text) if text.is_empty() => "-".to_owned(),
        Value::String(text) => escape(text),
        Value::Array(items) if items.is_empty() => "-".to_owned(),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(text) => escape(text),
                // A field path (a cursor, a primary key part): `address.city`.
                Value::Array(path) if path.iter().all(Value::is_string) => escape(
                    &path
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join("."),
                ),
                other => escape(&other.to_string()),
            })
            .collect::<Vec<_>>()
            .join(", "),
        other => escape(&other.to_string()),
    }
}

fn cell(item: &Value, column: &Column, detail: bool, now: SystemTime) -> Cell {
    let value = item.pointer(column.pointer).unwrap_or(&Value::Null);
    let text = match column.kind {
        Kind::Text | Kind::Status => None,
        Kind::Time => human::instant(value).map(|then| {
            if detail {
                human::local_time(then, now)
            } else {
                human::age(then, now)
            }
        }),
        Kind::Duration => human::api_duration(value),
        Kind::Bytes => value.as_i64().map(human::bytes),
        Kind::Count => value.as_i64().map(human::count),
    }
    .unwrap_or_else(|| plain(value));
    let style = (column.kind == Kind::Status)
        .then(|| style::status(&text))
        .flatten();
    Cell { text, style }
}

/// Renders items as an aligned table (kubectl's style: no borders, two spaces between
/// columns), or `(none)` under the headers when there are none.
pub(crate) fn render_list(items: &[Value], columns: &[Column], color: bool) -> String {
    let now = SystemTime::now();
    let rows: Vec<Vec<Cell>> = items
        .iter()
        .map(|item| {
            columns
                .iter()
                .map(|column| cell(item, column, false, now))
                .collect()
        })
        .collect();
    let mut widths: Vec<usize> = columns.iter().map(|column| column.header.width()).collect();
    for row in &rows {
        for (index, cell) in row.iter().enumerate() {
            widths[index] = widths[index].max(cell.text.width());
        }
    }
    let line = |cells: Vec<(&str, Option<Style>)>| {
        let last = cells.len().saturating_sub(1);
        let mut out = String::new();
        for (index, (text, style)) in cells.into_iter().enumerate() {
            let padding = if index == last {
                0
            } else {
                widths[index] - text.width() + 2
            };
            match style.filter(|_| color) {
                Some(style) => out.push_str(&style::paint(text, style)),
                None => out.push_str(text),
            }
            out.push_str(&" ".repeat(padding));
        }
        format!("{}\n", out.trim_end())
    };
    let mut out = line(
        columns
            .iter()
            .map(|column| (column.header, Some(style::header())))
            .collect(),
    );
    for row in &rows {
        out.push_str(&line(
            row.iter()
                .map(|cell| (cell.text.as_str(), cell.style))
                .collect(),
        ));
    }
    if rows.is_empty() {
        out.push_str("(none)\n");
    }
    out
}

/// Renders one item as `HEADER  value` lines.
pub(crate) fn render_one(item: &Value, columns: &[Column], color: bool) -> String {
    let now = SystemTime::now();
    let width = columns
        .iter()
        .map(|column| column.header.width())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for column in columns {
        let cell = cell(item, column, true, now);
        let header = format!("{:<width$}", column.header);
        let header = if color {
            style::paint(&header, style::header())
        } else {
            header
        };
        let value = match cell.style.filter(|_| color) {
            Some(style) => style::paint(&cell.text, style),
            None => cell.text,
        };
        out.push_str(&format!("{header}  {value}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const COLUMNS: &[Column] = &[text("ID", "/id"), text("NAME", "/name")];

    #[test]
    fn tables_align_columns() {
        let items = [
            json!({"id": "1", "name": "alpha"}),
            json!({"id": "22", "name": "b"}),
        ];
        assert_eq!(
            render_list(&items, COLUMNS, false),
            "ID  NAME\n1   alpha\n22  b\n"
        );
        assert!(render_list(&[], COLUMNS, false).contains("(none)"));
    }

    #[test]
    fn wide_characters_keep_columns_aligned() {
        let items = [
            json!({"id": "日本", "name": "x"}),
            json!({"id": "a", "name": "y"}),
        ];
        assert_eq!(
            render_list(&items, COLUMNS, false),
            "ID    NAME\n日本  x\na     y\n"
        );
    }

    #[test]
    fn a_name_cannot_forge_a_row_or_reach_the_terminal() {
        let items = [json!({"id": "1", "name": "evil\n2   forged\u{1b}]0;title\u{7}"})];
        let table = render_list(&items, COLUMNS, false);
        assert_eq!(table.lines().count(), 2, "{table}");
        assert!(!table.contains('\u{1b}'));
        assert!(table.contains("evil\\n2   forged\\x1b]0;title\\x07"));
    }

    #[test]
    fn cells_render_values() {
        let item = json!({"a": "x", "n": 3, "list": ["p", "q"], "null": null, "bytes": 2048, "d": "PT1H2M"});
        let show = |column: Column| cell(&item, &column, false, SystemTime::now()).text;
        assert_eq!(show(text("", "/a")), "x");
        assert_eq!(show(text("", "/n")), "3");
        assert_eq!(show(text("", "/list")), "p, q");
        let keys = json!({"keys": [["id"], ["address", "city"]]});
        assert_eq!(plain(keys.pointer("/keys").unwrap()), "id, address.city");
        assert_eq!(show(text("", "/null")), "-");
        assert_eq!(show(text("", "/missing")), "-");
        assert_eq!(show(col("", "/bytes", Kind::Bytes)), "2.0 KiB");
        assert_eq!(show(col("", "/d", Kind::Duration)), "1h 2m");
    }

    #[test]
    fn colour_is_added_only_when_asked() {
        let items = [json!({"id": "1", "name": "failed"})];
        let columns = [text("ID", "/id"), col("NAME", "/name", Kind::Status)];
        assert!(!render_list(&items, &columns, false).contains('\u{1b}'));
        assert!(render_list(&items, &columns, true).contains("\u{1b}["));
    }
}
