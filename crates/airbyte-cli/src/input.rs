//! Input given on the command line: JSON or YAML documents (inline, `@file`, or a path) and
//! lists of names.

use std::path::Path;

use serde_json::Value;

use crate::error::{CliError, CliResult};

fn read_file(path: &Path, what: &str) -> CliResult<String> {
    if path.as_os_str().is_empty() {
        return Err(CliError::bad(format!(
            "no {what} file named: give a path after @"
        )));
    }
    if path.is_dir() {
        return Err(CliError::bad(format!(
            "{} is a directory, not a {what} file",
            path.display()
        )));
    }
    std::fs::read_to_string(path).map_err(|error| {
        if error.kind() == std::io::ErrorKind::NotFound {
            CliError::bad(format!("the {what} file {} does not exist", path.display()))
        } else {
            CliError::bad(format!(
                "cannot read the {what} file {}: {error}",
                path.display()
            ))
        }
    })
}

/// Whether text meant as a document is more likely a file name: one line, no `key: value`,
/// and a document's extension or a path separator.
fn looks_like_path(text: &str) -> bool {
    let text = text.trim();
    if text.contains('\n') || text.starts_with(['{', '[', '"']) {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    let extension = [".json", ".yaml", ".yml"]
        .iter()
        .any(|extension| lower.ends_with(extension));
    extension || (!text.contains(": ") && (text.contains('/') || text.contains('\\')))
}

/// Reads a JSON or YAML document: `@path`, an existing file's path, or the text itself. A
/// file that does not exist is said to not exist, not reported as bad JSON.
pub(crate) fn read_document(text: &str, what: &str) -> CliResult<Value> {
    let path = match text.strip_prefix('@') {
        Some(path) => Some(Path::new(path)),
        None => {
            let path = Path::new(text);
            (path.is_file() || path.is_dir()).then_some(path)
        }
    };
    if let Some(path) = path {
        return read_document_file(path, what);
    }
    let content = if looks_like_path(text) {
        return Err(CliError::bad(format!(
            "the {what} file {text} does not exist (inline {what} must be a JSON or YAML object)"
        )));
    } else {
        text.to_owned()
    };
    read_document_text(&content, what)
}

/// Reads a document that must be an object (a configuration, testing values).
pub(crate) fn read_object(text: &str, what: &str) -> CliResult<Value> {
    let value = read_document(text, what)?;
    if !value.is_object() {
        return Err(CliError::bad(format!(
            "the {what} must be a JSON or YAML object (key: value), not {}",
            kind_of(&value)
        )));
    }
    Ok(value)
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Parses JSON, else YAML.
fn parse(content: &str) -> Result<Value, serde_yaml_ng::Error> {
    serde_json::from_str(content).or_else(|_| serde_yaml_ng::from_str::<Value>(content))
}

/// Parses JSON, else YAML.
pub(crate) fn read_document_text(content: &str, what: &str) -> CliResult<Value> {
    parse(content)
        .map_err(|error| CliError::bad(format!("the {what} is not valid JSON or YAML: {error}")))
}

/// Reads a file holding a JSON or YAML document; a parse error names the file.
pub(crate) fn read_document_file(path: &Path, what: &str) -> CliResult<Value> {
    parse(&read_file(path, what)?).map_err(|error| {
        CliError::bad(format!(
            "the {what} file {} is not valid JSON or YAML: {error}",
            path.display()
        ))
    })
}

/// Text the server needs (a name, a type, a tag): not blank. Checked before a dry run, so that
/// a dry run never approves what the real command would refuse.
///
/// # Errors
///
/// [`CliError::BadInput`] naming `what` (`a source name`).
pub(crate) fn not_blank(what: &str, value: &str) -> CliResult {
    if value.trim().is_empty() {
        return Err(CliError::bad(format!("{what} must not be empty")));
    }
    Ok(())
}

/// Names given as a comma-separated list (or several arguments): trimmed, none empty, none
/// twice.
pub(crate) fn names(items: &[String], what: &str) -> CliResult<Vec<String>> {
    let mut names: Vec<String> = Vec::new();
    for item in items {
        let name = item.trim();
        if name.is_empty() {
            return Err(CliError::bad(format!(
                "an empty {what} name in {:?}",
                items.join(",")
            )));
        }
        if names.iter().any(|seen| seen == name) {
            return Err(CliError::bad(format!("{what} {name:?} is given twice")));
        }
        names.push(name.to_owned());
    }
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_json_or_yaml() {
        assert_eq!(
            read_document(r#"{"a": 1}"#, "x").unwrap(),
            serde_json::json!({"a": 1})
        );
        assert_eq!(
            read_document("a: 1\nb: [x]", "x").unwrap(),
            serde_json::json!({"a": 1, "b": ["x"]})
        );
        assert!(read_document("{unclosed", "x").is_err());
    }

    #[test]
    fn a_missing_file_is_said_to_be_missing() {
        for text in ["@/definitely/not/here.json", "missing.yaml", "./conf/x"] {
            let error = read_document(text, "configuration")
                .unwrap_err()
                .to_string();
            assert!(error.contains("does not exist"), "{text}: {error}");
        }
    }

    #[test]
    fn a_directory_is_not_a_document() {
        let dir = std::env::temp_dir();
        let text = dir.to_str().unwrap();
        for given in [text.to_owned(), format!("@{text}")] {
            let error = read_document(&given, "configuration")
                .unwrap_err()
                .to_string();
            assert!(error.contains("is a directory"), "{given}: {error}");
        }
        let error = read_document("@", "configuration").unwrap_err().to_string();
        assert!(error.contains("give a path after @"), "{error}");
    }

    #[test]
    fn objects_are_required_where_objects_go() {
        assert!(
            read_object("[1]", "testing values")
                .unwrap_err()
                .to_string()
                .contains("a list")
        );
        assert!(read_object("a: 1", "x").is_ok());
    }

    #[test]
    fn names_are_trimmed() {
        let given = vec!["customers".to_owned(), " orders".to_owned()];
        assert_eq!(names(&given, "stream").unwrap(), ["customers", "orders"]);
        assert!(names(&["a".to_owned(), " ".to_owned()], "stream").is_err());
        assert!(names(&["a".to_owned(), " a".to_owned()], "stream").is_err());
    }
}
