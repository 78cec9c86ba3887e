//! IDs as the server reads them: UUIDs, found in any letter case. The server parses an ID into
//! a UUID and writes it back in lower case, so the mock lower-cases every UUID-shaped ID where
//! it enters (path, query, body, world file) and stores and compares that form only. Values
//! that are not UUIDs are left as they are.

use std::borrow::Cow;

use serde_json::{Map, Value};

/// Whether a text has the shape of a UUID (`8-4-4-4-12` hexadecimal digits).
fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(index, byte)| match index {
            8 | 13 | 18 | 23 => byte == b'-',
            _ => byte.is_ascii_hexdigit(),
        })
}

/// The stored form of an ID: a UUID in lower case, anything else unchanged.
pub(crate) fn canonical(id: &str) -> Cow<'_, str> {
    if is_uuid(id) && id.bytes().any(|byte| byte.is_ascii_uppercase()) {
        Cow::Owned(id.to_ascii_lowercase())
    } else {
        Cow::Borrowed(id)
    }
}

/// Lower-cases a UUID string in place.
fn canonical_value(value: &mut Value) {
    match value {
        Value::String(text) => {
            if let Cow::Owned(lower) = canonical(text) {
                *text = lower;
            }
        }
        Value::Array(items) => items.iter_mut().for_each(canonical_value),
        _ => {}
    }
}

/// Whether a field or query parameter holds IDs (`workspaceId`, `workspaceIds`, `ids`).
pub(crate) fn is_id_key(key: &str) -> bool {
    key.ends_with("Id") || key.ends_with("Ids") || key == "ids" || key == "id"
}

/// The ID fields of a request body, in their stored form: the top-level `...Id` and `...Ids`
/// fields and the `tagId` of embedded tags. Free-form values (configurations, manifests,
/// state) are never touched: a UUID inside a user's configuration is data, not a reference.
pub(crate) fn canonical_body(body: &mut Map<String, Value>) {
    for (key, value) in body.iter_mut() {
        if is_id_key(key) {
            canonical_value(value);
        } else if key == "tags"
            && let Value::Array(tags) = value
        {
            for tag in tags.iter_mut().filter_map(Value::as_object_mut) {
                if let Some(id) = tag.get_mut("tagId") {
                    canonical_value(id);
                }
            }
        }
    }
}

/// Keys of a world file whose values are free-form data, never references.
const FREE_FORM: &[&str] = &[
    "configuration",
    "connectionSpecification",
    "manifest",
    "testingValues",
    "notifications",
    "billing",
    "metadata",
    "check",
];

/// Every ID of a world file in its stored form, at any depth outside free-form values.
pub(crate) fn canonical_seed(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                if FREE_FORM.contains(&key.as_str()) {
                    continue;
                }
                if is_id_key(key) {
                    canonical_value(inner);
                }
                if inner.is_object() || inner.is_array() {
                    canonical_seed(inner);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(canonical_seed),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn uuids_are_lower_cased_and_other_ids_kept() {
        assert_eq!(
            canonical("9E4A3C1D-1B2F-4C5D-8E6F-7A8B9C0D1E01"),
            "9e4a3c1d-1b2f-4c5d-8e6f-7a8b9c0d1e01"
        );
        assert!(matches!(
            canonical("9e4a3c1d-1b2f-4c5d-8e6f-7a8b9c0d1e01"),
            Cow::Borrowed(_)
        ));
        assert_eq!(canonical("Not-A-UUID"), "Not-A-UUID");
        assert_eq!(
            canonical("ZZZZZZZZ-1B2F-4C5D-8E6F-7A8B9C0D1E01"),
            "ZZZZZZZZ-1B2F-4C5D-8E6F-7A8B9C0D1E01"
        );
    }

    #[test]
    fn bodies_keep_their_free_form_values() {
        let upper = "AAAAAAAA-1B2F-4C5D-8E6F-7A8B9C0D1E01";
        let mut body = json!({
            "workspaceId": upper,
            "workspaceIds": [upper],
            "tags": [{"tagId": upper}],
            "configuration": {"clientId": upper},
        });
        canonical_body(body.as_object_mut().unwrap());
        let lower = upper.to_ascii_lowercase();
        assert_eq!(body["workspaceId"], lower);
        assert_eq!(body["workspaceIds"][0], lower);
        assert_eq!(body["tags"][0]["tagId"], lower);
        assert_eq!(body["configuration"]["clientId"], upper);
        let mut seed =
            json!({"sources": [{"sourceId": upper, "configuration": {"tenantId": upper}}]});
        canonical_seed(&mut seed);
        assert_eq!(seed["sources"][0]["sourceId"], lower);
        assert_eq!(seed["sources"][0]["configuration"]["tenantId"], upper);
    }
}
