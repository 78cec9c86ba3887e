//! Writing YAML deterministically: the same tree always gives the same bytes.
//!
//! Mappings keep the order they are built in (the file format chooses it: fields in a fixed
//! order, resources and JSON keys sorted), lists of plain values are written inline
//! (`[id, name]`), and a string is written plain only when reading it back gives the same
//! string under YAML 1.2 and does not look like a YAML 1.1 boolean; otherwise it is
//! double-quoted with JSON escapes, which every YAML reader understands.

use std::fmt::Write as _;

use serde_json::{Number, Value};

/// A tree to write.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Out {
    Null,
    Bool(bool),
    Number(Number),
    Str(String),
    Seq(Vec<Out>),
    Map(Vec<(String, Out)>),
}

impl Out {
    /// A mapping from entries in the order given.
    pub(crate) fn map(entries: Vec<(&str, Out)>) -> Self {
        Self::Map(
            entries
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value))
                .collect(),
        )
    }

    /// A string.
    pub(crate) fn str(text: impl Into<String>) -> Self {
        Self::Str(text.into())
    }

    /// A list of strings.
    pub(crate) fn strs<I: IntoIterator<Item = S>, S: Into<String>>(items: I) -> Self {
        Self::Seq(
            items
                .into_iter()
                .map(|item| Self::Str(item.into()))
                .collect(),
        )
    }

    fn is_scalar(&self) -> bool {
        !matches!(self, Self::Seq(_) | Self::Map(_))
    }

    /// Whether a list is written inline: its items are plain values, or lists of plain values.
    fn is_flow_seq(items: &[Out]) -> bool {
        items.iter().all(|item| match item {
            Self::Seq(inner) => inner.iter().all(Self::is_scalar),
            other => other.is_scalar(),
        })
    }
}

impl From<&Value> for Out {
    /// JSON as it is, object keys sorted (serde_json's maps are ordered by key).
    fn from(value: &Value) -> Self {
        match value {
            Value::Null => Self::Null,
            Value::Bool(flag) => Self::Bool(*flag),
            Value::Number(number) => Self::Number(number.clone()),
            Value::String(text) => Self::Str(text.clone()),
            Value::Array(items) => Self::Seq(items.iter().map(Self::from).collect()),
            Value::Object(map) => Self::Map(
                map.iter()
                    .map(|(key, value)| (key.clone(), Self::from(value)))
                    .collect(),
            ),
        }
    }
}

/// The YAML text of a document, after `header` (comment lines, each given without `# `).
pub(crate) fn document(header: &[&str], root: &Out) -> String {
    let mut text = String::new();
    for line in header {
        if line.is_empty() {
            text.push_str("#\n");
        } else {
            let _ = writeln!(text, "# {line}");
        }
    }
    match root {
        Out::Map(entries) if !entries.is_empty() => write_map(&mut text, entries, 0),
        Out::Seq(items) if !items.is_empty() && !Out::is_flow_seq(items) => {
            write_seq(&mut text, items, 0);
        }
        other => {
            text.push_str(&inline(other));
            text.push('\n');
        }
    }
    text
}

fn indent(text: &mut String, level: usize) {
    for _ in 0..level {
        text.push_str("  ");
    }
}

fn write_map(text: &mut String, entries: &[(String, Out)], level: usize) {
    for (key, value) in entries {
        indent(text, level);
        text.push_str(&scalar_text(key));
        text.push(':');
        write_value_after_key(text, value, level);
    }
}

/// A value after `key:` (or after `- ` for a list item's first entry).
fn write_value_after_key(text: &mut String, value: &Out, level: usize) {
    match value {
        Out::Map(entries) if !entries.is_empty() => {
            text.push('\n');
            write_map(text, entries, level + 1);
        }
        Out::Seq(items) if !items.is_empty() && !Out::is_flow_seq(items) => {
            text.push('\n');
            write_seq(text, items, level + 1);
        }
        other => {
            text.push(' ');
            text.push_str(&inline(other));
            text.push('\n');
        }
    }
}

fn write_seq(text: &mut String, items: &[Out], level: usize) {
    for item in items {
        indent(text, level);
        text.push('-');
        match item {
            Out::Map(entries) if !entries.is_empty() => {
                // The first entry on the dash's line, the others aligned with it.
                let (key, value) = &entries[0];
                text.push(' ');
                text.push_str(&scalar_text(key));
                text.push(':');
                write_value_after_key(text, value, level + 1);
                write_map(text, &entries[1..], level + 1);
            }
            Out::Seq(inner) if !inner.is_empty() && !Out::is_flow_seq(inner) => {
                text.push('\n');
                write_seq(text, inner, level + 1);
            }
            other => {
                text.push(' ');
                text.push_str(&inline(other));
                text.push('\n');
            }
        }
    }
}

/// A value written on one line: a scalar, `{}`, `[]`, or a flow list.
fn inline(value: &Out) -> String {
    match value {
        Out::Null => "null".to_owned(),
        Out::Bool(flag) => flag.to_string(),
        Out::Number(number) => number.to_string(),
        Out::Str(text) => scalar_text(text),
        Out::Seq(items) => {
            let inner: Vec<String> = items.iter().map(inline).collect();
            format!("[{}]", inner.join(", "))
        }
        Out::Map(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(key, value)| format!("{}: {}", scalar_text(key), inline(value)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// Words that YAML 1.1 readers take for booleans or null.
const YAML_1_1_WORDS: &[&str] = &[
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
];

/// A string as a plain scalar when that is safe, else double-quoted.
pub(crate) fn scalar_text(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_owned()
    } else {
        serde_json::to_string(text).unwrap_or_else(|_| "\"\"".to_owned())
    }
}

fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if text.trim() != text
        || text.chars().any(|c| c.is_control())
        || "-?:,[]{}#&*!|>'\"%@`".contains(first)
        || text.chars().any(|c| ",[]{}\"\\".contains(c))
        || text.contains(": ")
        || text.contains(" #")
        || text.ends_with(':')
        || YAML_1_1_WORDS.contains(&text.to_ascii_lowercase().as_str())
        || first.is_ascii_digit()
        || first == '.'
        || first == '+'
    {
        return false;
    }
    // Whatever the rules above miss, the parser catches: the text must read back as itself.
    matches!(
        crate::yaml::parse(&format!("k: {text}\n")),
        Ok(Some(crate::yaml::Node { value: crate::yaml::NodeValue::Map(entries), .. }))
            if entries.len() == 1 && entries[0].value.value == crate::yaml::NodeValue::Str(text.to_owned())
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn documents_are_block_style_with_inline_plain_lists() {
        let root = Out::map(vec![
            (
                "sources",
                Out::map(vec![(
                    "Orders database",
                    Out::map(vec![
                        ("type", Out::str("postgres")),
                        (
                            "configuration",
                            Out::from(
                                &json!({"port": 5432, "host": "db", "ssl": {"mode": "require"}, "empty": {}, "list": []}),
                            ),
                        ),
                    ]),
                )]),
            ),
            (
                "streams",
                Out::Seq(vec![Out::map(vec![
                    ("name", Out::str("users")),
                    ("primary_key", Out::Seq(vec![Out::strs(["id"])])),
                ])]),
            ),
        ]);
        let text = document(&["header"], &root);
        assert_eq!(
            text,
            "# header\nsources:\n  Orders database:\n    type: postgres\n    configuration:\n      empty: {}\n      host: db\n      list: []\n      port: 5432\n      ssl:\n        mode: require\nstreams:\n  - name: users\n    primary_key: [[id]]\n"
        );
        let back = crate::yaml::parse(&text)
            .unwrap()
            .unwrap()
            .to_json()
            .unwrap();
        assert_eq!(back["streams"][0]["primary_key"], json!([["id"]]));
        assert_eq!(
            back["sources"]["Orders database"]["configuration"]["port"],
            5432
        );
    }

    #[test]
    fn strings_that_would_read_back_differently_are_quoted() {
        for (text, expected) in [
            ("plain text", "plain text"),
            ("Faker → Warehouse", "Faker → Warehouse"),
            ("https://example.com/a", "https://example.com/a"),
            ("yes", "\"yes\""),
            ("No", "\"No\""),
            ("null", "\"null\""),
            ("123", "\"123\""),
            ("1e5", "\"1e5\""),
            (".5", "\".5\""),
            ("", "\"\""),
            (" padded", "\" padded\""),
            ("a: b", "\"a: b\""),
            ("a #b", "\"a #b\""),
            ("-dash", "\"-dash\""),
            ("${env:PG_PASSWORD}", "\"${env:PG_PASSWORD}\""),
            ("two\nlines", "\"two\\nlines\""),
            ("0 0 12 * * ?", "\"0 0 12 * * ?\""),
            ("*star", "\"*star\""),
        ] {
            assert_eq!(scalar_text(text), expected, "{text:?}");
            let doc = format!("k: {}\n", scalar_text(text));
            let back = crate::yaml::parse(&doc)
                .unwrap()
                .unwrap()
                .to_json()
                .unwrap();
            assert_eq!(back["k"], text, "{doc}");
        }
    }

    #[test]
    fn the_same_tree_gives_the_same_bytes() {
        let value = json!({"b": [1, 2.5, {"x": null}], "a": {"nested": [["k"]]}, "t": true});
        let once = document(&[], &Out::from(&value));
        let twice = document(&[], &Out::from(&value));
        assert_eq!(once, twice);
        let back = crate::yaml::parse(&once)
            .unwrap()
            .unwrap()
            .to_json()
            .unwrap();
        assert_eq!(back, value);
    }
}
