//! Reading YAML with the line of every node, so that every problem names its file and line.
//!
//! The text is parsed as YAML 1.2 (core schema: `yes` is a string, `0755` a number) by
//! `saphyr`, then turned into a small tree of [`Node`]s that the file format reads.

use saphyr::{LoadableYamlNode, MarkedYamlOwned, ScalarOwned, YamlDataOwned};
use serde_json::{Map, Number, Value};

/// One node of a YAML document, with the (1-based) line it starts on.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Node {
    pub(crate) line: usize,
    pub(crate) value: NodeValue,
}

/// What a node holds.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum NodeValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    /// Entries in the order written: the key, its line, and the value.
    Map(Vec<Entry>),
}

/// One entry of a mapping.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) line: usize,
    pub(crate) value: Node,
}

/// A syntax error: the line and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) line: usize,
    pub(crate) message: String,
}

/// Parses a document. An empty document (or one holding only comments) is `None`.
pub(crate) fn parse(text: &str) -> Result<Option<Node>, SyntaxError> {
    let documents = MarkedYamlOwned::load_from_str(text).map_err(|error| SyntaxError {
        line: error.marker().line(),
        message: error.info().to_owned(),
    })?;
    let mut documents = documents.into_iter();
    let Some(first) = documents.next() else {
        return Ok(None);
    };
    if let Some(second) = documents.next() {
        return Err(SyntaxError {
            line: second.span.start.line(),
            message: "a file holds one YAML document; remove the `---` separator".to_owned(),
        });
    }
    if matches!(first.data, YamlDataOwned::BadValue) {
        return Ok(None);
    }
    convert(first).map(Some)
}

fn convert(node: MarkedYamlOwned) -> Result<Node, SyntaxError> {
    let line = node.span.start.line();
    let error = |message: &str| SyntaxError {
        line,
        message: message.to_owned(),
    };
    let value = match node.data {
        YamlDataOwned::Value(scalar) => scalar_value(scalar),
        YamlDataOwned::Representation(text, _, _) => NodeValue::Str(text),
        YamlDataOwned::Sequence(items) => NodeValue::Seq(
            items
                .into_iter()
                .map(convert)
                .collect::<Result<Vec<_>, _>>()?,
        ),
        YamlDataOwned::Mapping(map) => {
            let mut entries = Vec::with_capacity(map.len());
            for (key, value) in map {
                let key_line = key.span.start.line();
                let key = match convert(key)?.value {
                    NodeValue::Str(text) => text,
                    NodeValue::Int(number) => number.to_string(),
                    NodeValue::Float(number) => number.to_string(),
                    NodeValue::Bool(flag) => flag.to_string(),
                    NodeValue::Null => "null".to_owned(),
                    NodeValue::Seq(_) | NodeValue::Map(_) => {
                        return Err(SyntaxError {
                            line: key_line,
                            message: "a mapping key must be a plain value, not a list or mapping"
                                .to_owned(),
                        });
                    }
                };
                entries.push(Entry {
                    key,
                    line: key_line,
                    value: convert(value)?,
                });
            }
            NodeValue::Map(entries)
        }
        YamlDataOwned::Tagged(_, inner) => return convert(*inner),
        YamlDataOwned::Alias(_) => return Err(error("an alias whose anchor is unknown")),
        YamlDataOwned::BadValue => return Err(error("a value that is not valid YAML")),
    };
    Ok(Node { line, value })
}

fn scalar_value(scalar: ScalarOwned) -> NodeValue {
    match scalar {
        ScalarOwned::Null => NodeValue::Null,
        ScalarOwned::Boolean(flag) => NodeValue::Bool(flag),
        ScalarOwned::Integer(number) => NodeValue::Int(number),
        ScalarOwned::FloatingPoint(number) => NodeValue::Float(number.into_inner()),
        ScalarOwned::String(text) => NodeValue::Str(text),
    }
}

impl Node {
    /// The node as JSON (configurations and manifests are JSON to the API).
    ///
    /// # Errors
    ///
    /// The line and message of a number JSON cannot hold (`.inf`, `.nan`).
    pub(crate) fn to_json(&self) -> Result<Value, SyntaxError> {
        Ok(match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(flag) => Value::Bool(*flag),
            NodeValue::Int(number) => Value::from(*number),
            NodeValue::Float(number) => {
                Value::Number(Number::from_f64(*number).ok_or_else(|| SyntaxError {
                    line: self.line,
                    message: format!("{number} is not a number JSON can hold"),
                })?)
            }
            NodeValue::Str(text) => Value::String(text.clone()),
            NodeValue::Seq(items) => Value::Array(
                items
                    .iter()
                    .map(Self::to_json)
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            NodeValue::Map(entries) => {
                let mut map = Map::new();
                for entry in entries {
                    map.insert(entry.key.clone(), entry.value.to_json()?);
                }
                Value::Object(map)
            }
        })
    }

    /// What kind of value this is, for messages (`a list`, `a number`).
    pub(crate) fn describe(&self) -> &'static str {
        match self.value {
            NodeValue::Null => "nothing (null)",
            NodeValue::Bool(_) => "a boolean",
            NodeValue::Int(_) | NodeValue::Float(_) => "a number",
            NodeValue::Str(_) => "text",
            NodeValue::Seq(_) => "a list",
            NodeValue::Map(_) => "a mapping",
        }
    }

    /// The line of the value at a JSON pointer inside this node (`/credentials/password`),
    /// or of the deepest node on the way.
    pub(crate) fn line_of(&self, pointer: &str) -> usize {
        let mut node = self;
        for token in pointer.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            let next = match &node.value {
                NodeValue::Map(entries) => entries
                    .iter()
                    .find(|entry| entry.key == token)
                    .map(|entry| &entry.value),
                NodeValue::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            match next {
                Some(next) => node = next,
                None => break,
            }
        }
        node.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Node {
        parse(text).unwrap().unwrap()
    }

    #[test]
    fn nodes_carry_their_lines_and_yaml_1_2_types() {
        let node = parsed("a: 1\nb:\n  c: yes\n  d: [1.5, null, true]\n");
        let NodeValue::Map(entries) = &node.value else {
            panic!("{node:?}")
        };
        assert_eq!(entries[0].key, "a");
        assert_eq!(entries[0].line, 1);
        assert_eq!(entries[1].line, 2);
        assert_eq!(node.line_of("/b/c"), 3);
        assert_eq!(node.line_of("/b/d/1"), 4);
        assert_eq!(
            node.line_of("/b/missing"),
            3,
            "the mapping under b starts on line 3"
        );
        assert_eq!(
            node.to_json().unwrap(),
            serde_json::json!({"a": 1, "b": {"c": "yes", "d": [1.5, null, true]}})
        );
    }

    #[test]
    fn syntax_errors_name_their_line() {
        let error = parse("a: 1\nb: [\n").unwrap_err();
        assert!(error.line >= 2, "{error:?}");
        let error = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(error.line, 2, "{error:?}");
        assert!(error.message.contains("duplicate"), "{error:?}");
        let error = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert!(error.message.contains("one YAML document"));
    }

    #[test]
    fn empty_documents_are_nothing() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("# only a comment\n").unwrap(), None);
    }

    #[test]
    fn anchors_are_expanded() {
        let node = parsed("a: &x {k: v}\nb: *x\n");
        assert_eq!(
            node.to_json().unwrap(),
            serde_json::json!({"a": {"k": "v"}, "b": {"k": "v"}})
        );
    }
}
