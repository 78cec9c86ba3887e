//! Large worlds for the mock server: one workspace with N sources.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// The workspace of generated worlds.
pub(crate) const WORKSPACE: &str = "7b6a5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c21";
const ORGANIZATION: &str = "7b6a5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c20";
const FAKER: &str = "dfd88b22-b603-4c3d-aad7-3701784586b1";

/// Writes a world with `sources` sources into `dir` and returns its path.
pub(crate) fn write(dir: &Path, sources: usize) -> PathBuf {
    let items: Vec<Value> = (0..sources)
        .map(|index| {
            json!({
                "id": format!("00000000-0000-4000-8000-{index:012}"),
                "workspaceId": WORKSPACE,
                "name": format!("generated source {index}"),
                "definitionId": FAKER,
                "configuration": {"count": index, "seed": 7, "api_key": "generated-secret"},
            })
        })
        .collect();
    let world = json!({
        "organizations": [{"organizationId": ORGANIZATION, "organizationName": "Bench", "email": "bench@example.test"}],
        "workspaces": [{"workspaceId": WORKSPACE, "name": "Bench", "organizationId": ORGANIZATION}],
        "connectorDefinitions": [{"definitionId": FAKER, "type": "source", "name": "faker", "streams": [{"name": "users"}]}],
        "sources": items,
    });
    let path = dir.join(format!("world-{sources}.json"));
    std::fs::write(&path, world.to_string()).expect("write the world file");
    path
}
