//! Test support for contract tests against the official Airbyte OpenAPI specifications.
//!
//! The specifications are reference material outside this repository (`../shared/reference/`
//! next to the checkout, or the directory named by `AIRBYTE_SPEC_DIR`); they are read at test
//! time and never copied in. When they are absent, [`Spec::load`] returns `None` and tests skip
//! with a message that says so; in CI (the `CI` environment variable set), it fails instead, so
//! that contract tests cannot silently stop running.
//!
//! The validator checks what contract tests need: types, required properties, enum values,
//! arrays, `allOf`/`oneOf`/`anyOf` and `$ref`. It ignores formats and additional properties,
//! which the server itself does not enforce.

mod synthesize;
mod validate;

use std::path::PathBuf;

use serde_json::{Map, Value};

/// One of the reference specifications.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SpecFile {
    /// `airbyte-public-api.yaml`, the Public API.
    PublicApi,
    /// `airbyte-config-api.yaml`, the Config API.
    ConfigApi,
    /// `airbyte-api-problems.yaml`, the error bodies.
    Problems,
}

impl SpecFile {
    /// The file name.
    #[must_use]
    pub fn file_name(self) -> &'static str {
        match self {
            Self::PublicApi => "airbyte-public-api.yaml",
            Self::ConfigApi => "airbyte-config-api.yaml",
            Self::Problems => "airbyte-api-problems.yaml",
        }
    }
}

/// The directory the specifications are read from: `AIRBYTE_SPEC_DIR`, else
/// `../shared/reference` beside the workspace root.
#[must_use]
pub fn spec_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("AIRBYTE_SPEC_DIR") {
        return PathBuf::from(dir);
    }
    // crates/airbyte-spec-testkit → workspace root → its parent.
    let manifest_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let workspace_root = manifest_dir
        .parent()
        .and_then(|crates| crates.parent())
        .map_or_else(|| manifest_dir.clone(), PathBuf::from);
    workspace_root.join("..").join("shared").join("reference")
}

/// Whether the value of `CI` says this is a CI run: set, and not empty, `false` or `0`.
fn is_ci(ci: Option<&std::ffi::OsStr>) -> bool {
    ci.is_some_and(|value| {
        let value = value.to_string_lossy();
        let value = value.trim();
        !(value.is_empty() || value == "0" || value.eq_ignore_ascii_case("false"))
    })
}

/// An example found in a specification.
#[derive(Clone, Debug)]
pub struct Example {
    /// Where it was found, for messages.
    pub location: String,
    /// The name of the schema it illustrates.
    pub schema_name: String,
    /// The example value.
    pub value: Value,
}

/// A loaded specification.
#[derive(Clone, Debug)]
pub struct Spec {
    file: SpecFile,
    root: Value,
}

impl Spec {
    /// Loads a specification, or returns `None` (after printing why) when the file is absent.
    ///
    /// # Panics
    ///
    /// When the file exists but is not valid YAML: a broken reference is a test failure. When
    /// the file is absent and the `CI` environment variable is set (and not `false` or `0`):
    /// in CI, a contract test that skips is a contract test that does not run.
    #[must_use]
    pub fn load(file: SpecFile) -> Option<Self> {
        Self::load_from(&spec_dir(), file, std::env::var_os("CI").as_deref())
    }

    /// [`Spec::load`] from `dir`, with the value of `CI` given.
    fn load_from(
        dir: &std::path::Path,
        file: SpecFile,
        ci: Option<&std::ffi::OsStr>,
    ) -> Option<Self> {
        let path = dir.join(file.file_name());
        let Ok(text) = std::fs::read_to_string(&path) else {
            assert!(
                !is_ci(ci),
                "the reference specification {} was not found at {}, and CI is set: contract \
                 tests must run in CI; check out ../shared next to the repository or set \
                 AIRBYTE_SPEC_DIR",
                file.file_name(),
                path.display()
            );
            eprintln!(
                "SKIPPED: the reference specification {} was not found at {}; set AIRBYTE_SPEC_DIR \
                 or check out ../shared next to the repository to run this contract test",
                file.file_name(),
                path.display()
            );
            return None;
        };
        let root: Value = serde_yaml_ng::from_str(&text)
            .unwrap_or_else(|error| panic!("{} is not valid YAML: {error}", path.display()));
        Some(Self { file, root })
    }

    /// Which file this is.
    #[must_use]
    pub fn file(&self) -> SpecFile {
        self.file
    }

    /// The whole document.
    #[must_use]
    pub fn root(&self) -> &Value {
        &self.root
    }

    /// A schema of `components.schemas` by name.
    #[must_use]
    pub fn schema(&self, name: &str) -> Option<&Value> {
        self.root.pointer(&format!("/components/schemas/{name}"))
    }

    /// Follows `$ref` links (local ones, `#/...`) until a schema without one.
    #[must_use]
    pub fn resolve<'a>(&'a self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..32 {
            let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
                return schema;
            };
            match reference
                .strip_prefix('#')
                .and_then(|pointer| self.root.pointer(pointer))
            {
                Some(target) => schema = target,
                None => return &Value::Null,
            }
        }
        schema
    }

    /// The properties of an object schema, merged over `allOf`.
    #[must_use]
    pub fn properties(&self, schema: &Value) -> Map<String, Value> {
        let schema = self.resolve(schema);
        let mut out = Map::new();
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            for part in parts {
                out.extend(self.properties(part));
            }
        }
        if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
            out.extend(properties.clone());
        }
        out
    }

    /// The required property names of an object schema, merged over `allOf`.
    #[must_use]
    pub fn required(&self, schema: &Value) -> Vec<String> {
        let schema = self.resolve(schema);
        let mut out: Vec<String> = Vec::new();
        if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
            for part in parts {
                out.extend(self.required(part));
            }
        }
        if let Some(required) = schema.get("required").and_then(Value::as_array) {
            out.extend(required.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        out.sort();
        out.dedup();
        out
    }

    /// The required names of a schema that are not among its properties: defects of the
    /// specification (a generator cannot produce them either).
    #[must_use]
    pub fn phantom_required(&self, schema: &Value) -> Vec<String> {
        let properties = self.properties(schema);
        self.required(schema)
            .into_iter()
            .filter(|name| !properties.contains_key(name))
            .collect()
    }

    /// The schema of an operation's JSON response for a status (`"200"`, `"204"`, ...).
    #[must_use]
    pub fn response_schema(&self, path: &str, method: &str, status: &str) -> Option<&Value> {
        let operation = self.operation(path, method)?;
        let response = self.resolve(operation.get("responses")?.get(status)?);
        response.pointer("/content/application~1json/schema")
    }

    /// The status codes an operation documents.
    #[must_use]
    pub fn response_statuses(&self, path: &str, method: &str) -> Vec<String> {
        self.operation(path, method)
            .and_then(|operation| operation.get("responses"))
            .and_then(Value::as_object)
            .map(|responses| responses.keys().cloned().collect())
            .unwrap_or_default()
    }

    /// An operation by path template and lower-case method.
    #[must_use]
    pub fn operation(&self, path: &str, method: &str) -> Option<&Value> {
        self.root.get("paths")?.get(path)?.get(method)
    }

    /// The examples that illustrate named schemas: `example`/`examples` on a schema of
    /// `components.schemas`, and media-type examples whose schema is a `$ref` to one.
    #[must_use]
    pub fn examples(&self) -> Vec<Example> {
        let mut out = Vec::new();
        if let Some(schemas) = self
            .root
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        {
            for (name, schema) in schemas {
                if let Some(example) = schema.get("example") {
                    out.push(Example {
                        location: format!("components.schemas.{name}.example"),
                        schema_name: name.clone(),
                        value: example.clone(),
                    });
                }
                if let Some(examples) = schema.get("examples").and_then(Value::as_array) {
                    for (index, example) in examples.iter().enumerate() {
                        out.push(Example {
                            location: format!("components.schemas.{name}.examples[{index}]"),
                            schema_name: name.clone(),
                            value: example.clone(),
                        });
                    }
                }
            }
        }
        collect_media_examples(&self.root, "", &mut out);
        out
    }

    /// Checks a value against a schema; returns one message per problem, each with the JSON
    /// path of the offending value. An empty list means the value conforms.
    #[must_use]
    pub fn validate(&self, schema: &Value, value: &Value) -> Vec<String> {
        let mut errors = Vec::new();
        validate::validate(self, schema, value, "$", &mut errors, 0);
        errors
    }

    /// Builds a value that conforms to a schema, with every property filled in (down to a
    /// nesting depth, below which only required properties are), for contract tests.
    #[must_use]
    pub fn synthesize(&self, schema: &Value) -> Value {
        synthesize::synthesize(self, schema, 0)
    }
}

/// Walks `paths` for `content.<media type>.example(s)` whose schema is a named `$ref`.
fn collect_media_examples(node: &Value, location: &str, out: &mut Vec<Example>) {
    match node {
        Value::Object(map) => {
            if let Some(schema_name) = map
                .get("schema")
                .and_then(|schema| schema.get("$ref"))
                .and_then(Value::as_str)
                .and_then(|reference| reference.strip_prefix("#/components/schemas/"))
            {
                if let Some(example) = map.get("example") {
                    out.push(Example {
                        location: format!("{location}.example"),
                        schema_name: schema_name.to_owned(),
                        value: example.clone(),
                    });
                }
                if let Some(examples) = map.get("examples").and_then(Value::as_object) {
                    for (name, example) in examples {
                        if let Some(value) = example.get("value") {
                            out.push(Example {
                                location: format!("{location}.examples.{name}"),
                                schema_name: schema_name.to_owned(),
                                value: value.clone(),
                            });
                        }
                    }
                }
            }
            for (key, child) in map {
                if key == "components" && location.is_empty() {
                    continue;
                }
                collect_media_examples(child, &format!("{location}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                collect_media_examples(child, &format!("{location}[{index}]"), out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn ci_is_any_value_but_empty_false_or_zero() {
        assert!(!is_ci(None));
        for off in ["", " ", "0", "false", "FALSE"] {
            assert!(!is_ci(Some(OsStr::new(off))), "{off:?}");
        }
        for on in ["true", "1", "yes", "github"] {
            assert!(is_ci(Some(OsStr::new(on))), "{on:?}");
        }
    }

    #[test]
    fn an_absent_specification_is_skipped_outside_ci() {
        let missing = std::path::Path::new("/nonexistent/airbyte-reference");
        assert!(Spec::load_from(missing, SpecFile::PublicApi, None).is_none());
        assert!(Spec::load_from(missing, SpecFile::PublicApi, Some(OsStr::new("false"))).is_none());
    }

    #[test]
    #[should_panic(expected = "CI is set")]
    fn an_absent_specification_fails_in_ci() {
        let missing = std::path::Path::new("/nonexistent/airbyte-reference");
        let _ = Spec::load_from(missing, SpecFile::PublicApi, Some(OsStr::new("true")));
    }
}
