//! Contract tests against the official specifications in `../shared/reference/`: every schema
//! the models cover has each of its required properties in the model under the same JSON name,
//! and every example the specification gives for those schemas decodes.

mod support;

use std::collections::BTreeMap;

use airbyte_spec_testkit::{Spec, SpecFile};
use serde_json::Value;

fn specs() -> Option<BTreeMap<&'static str, Spec>> {
    let mut out = BTreeMap::new();
    for file in [SpecFile::PublicApi, SpecFile::ConfigApi, SpecFile::Problems] {
        out.insert(file.file_name(), Spec::load(file)?);
    }
    Some(out)
}

/// Required names that are not properties of their schema: defects of the specification,
/// listed in the API notes (§9.3). The test checks each is still a defect, so the list cannot
/// hide a real omission.
const PHANTOM_REQUIRED: &[(&str, &str)] = &[
    ("ApplicationTokenRequestWithGrant", "grant_type"),
    ("CreateDeclarativeSourceDefinitionRequest", "workspaceId"),
    ("AirbyteStream", "json_schema"),
];

#[test]
fn every_required_property_of_the_spec_is_in_the_model() {
    let Some(specs) = specs() else { return };
    let mut failures = Vec::new();
    let mut checked = 0;
    for entry in support::registry() {
        let spec = &specs[entry.file.file_name()];
        let Some(schema) = spec.schema(entry.schema) else {
            failures.push(format!(
                "{}: schema `{}` is not in {}",
                entry.type_name,
                entry.schema,
                entry.file.file_name()
            ));
            continue;
        };
        let instance = spec.synthesize(schema);
        let conforms = spec.validate(schema, &instance);
        assert!(
            conforms.is_empty(),
            "synthesized {} does not conform: {conforms:?}",
            entry.schema
        );
        let encoded = match (entry.codec)(&instance) {
            Ok(encoded) => encoded,
            Err(error) => {
                failures.push(format!(
                    "{} ({}): a conforming instance fails: {error}\n{instance}",
                    entry.type_name, entry.schema
                ));
                continue;
            }
        };
        let properties = spec.properties(schema);
        for name in spec.required(schema) {
            if !properties.contains_key(&name) {
                let listed = PHANTOM_REQUIRED.contains(&(entry.schema, name.as_str()));
                if !listed {
                    failures.push(format!(
                        "{}: `{name}` is required but not a property (a new spec defect?)",
                        entry.schema
                    ));
                }
                continue;
            }
            checked += 1;
            let present = match &encoded {
                Value::Object(map) => map.contains_key(&name),
                // Arrays (`StreamPropertiesResponse`) have no properties.
                _ => true,
            };
            if !present {
                failures.push(format!(
                    "{} ({}): required property `{name}` is lost by the model",
                    entry.type_name, entry.schema
                ));
            }
        }
        // The re-encoded model must still conform to the spec's schema.
        for problem in spec.validate(schema, &encoded) {
            failures.push(format!(
                "{} ({}): the encoded model does not conform: {problem}",
                entry.type_name, entry.schema
            ));
        }
    }
    for (schema_name, name) in PHANTOM_REQUIRED {
        let still_a_defect = specs.values().any(|spec| {
            spec.schema(schema_name)
                .is_some_and(|schema| spec.phantom_required(schema).iter().any(|n| n == name))
        });
        if !still_a_defect {
            failures.push(format!(
                "{schema_name}.{name} is no longer a spec defect: remove it from PHANTOM_REQUIRED"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} contract failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        checked > 150,
        "only {checked} required properties were checked"
    );
    eprintln!(
        "checked {checked} required properties of {} schemas",
        support::registry().len()
    );
}

#[test]
fn every_valid_spec_example_of_a_covered_schema_decodes() {
    let Some(specs) = specs() else { return };
    let registry = support::registry();
    let mut failures = Vec::new();
    let mut decoded = 0;
    let mut spec_defects = Vec::new();
    for spec in specs.values() {
        for example in spec.examples() {
            let Some(entry) = registry
                .iter()
                .find(|entry| entry.file == spec.file() && entry.schema == example.schema_name)
            else {
                continue;
            };
            let Some(schema) = spec.schema(&example.schema_name) else {
                continue;
            };
            let problems = spec.validate(schema, &example.value);
            if !problems.is_empty() {
                // The example contradicts its own schema (the API notes list several, §9.7):
                // it documents the spec, not the API. Still, our models must not panic on it.
                let _ = (entry.codec)(&example.value);
                let shown: Vec<&str> = problems.iter().take(3).map(String::as_str).collect();
                let more = problems.len().saturating_sub(shown.len());
                spec_defects.push(format!(
                    "{}: {} (+{more} more)",
                    example.location,
                    shown.join("; ")
                ));
                continue;
            }
            match (entry.codec)(&example.value) {
                Ok(_) => decoded += 1,
                Err(error) => failures.push(format!(
                    "{} as {}: {error}",
                    example.location, entry.type_name
                )),
            }
        }
    }
    eprintln!(
        "{decoded} spec examples decoded; {} examples skipped because they contradict their own schema:",
        spec_defects.len()
    );
    for defect in &spec_defects {
        eprintln!("  {defect}");
    }
    assert!(
        failures.is_empty(),
        "examples that fail to decode:\n{}",
        failures.join("\n")
    );
    assert!(decoded >= 10, "only {decoded} examples were checked");
}
