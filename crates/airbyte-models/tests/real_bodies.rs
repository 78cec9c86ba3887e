//! Bodies that real Airbyte servers sent (`../shared/corpus/real-responses/`, read at test time,
//! never copied in) decode with the type of the operation their file name names. Real servers
//! omit fields the specification marks required and send values it does not list, so a failure
//! here is a forward-compatibility bug of the models.
//!
//! File names are `<api>-<METHOD>-<path with - for />[-data|-dataitem]__<origin>.json`: the
//! whole answer, its bare `data` array, or one element of it.

use std::path::PathBuf;

use airbyte_models::ops::registry::{self, NOT_YET};
use airbyte_models::ops::{Api, Method};
use airbyte_models::*;
use serde::de::DeserializeOwned;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus/real-responses")
}

/// What part of an answer a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Part {
    Whole,
    Data,
    DataItem,
}

struct Name {
    api: Api,
    method: Method,
    path: String,
    part: Part,
}

fn parse_name(file: &str) -> Option<Name> {
    let stem = file.strip_suffix(".json")?.split("__").next()?;
    let mut pieces = stem.splitn(3, '-');
    let api = match pieces.next()? {
        "public" => Api::Public,
        "config" => Api::Config,
        _ => return None,
    };
    let method = match pieces.next()? {
        "GET" => Method::Get,
        "POST" => Method::Post,
        "PUT" => Method::Put,
        "PATCH" => Method::Patch,
        "DELETE" => Method::Delete,
        _ => return None,
    };
    let rest = pieces.next()?;
    let (rest, part) = if let Some(rest) = rest.strip_suffix("-dataitem") {
        (rest, Part::DataItem)
    } else if let Some(rest) = rest.strip_suffix("-data") {
        (rest, Part::Data)
    } else {
        (rest, Part::Whole)
    };
    Some(Name {
        api,
        method,
        path: format!("/{}", rest.replace('-', "/")),
        part,
    })
}

type Decode = fn(&str) -> Result<(), String>;

fn decode<T: DeserializeOwned>(text: &str) -> Result<(), String> {
    serde_json::from_str::<T>(text)
        .map(drop)
        .map_err(|error| error.to_string())
}

/// The decoders of an operation's answer: the whole body, and one element of its `data`.
fn decoders(operation_id: &str, api: Api) -> Option<(Decode, Option<Decode>)> {
    Some(match (api, operation_id) {
        (Api::Public, "listSources") => (decode::<SourcesResponse>, Some(decode::<SourceResponse>)),
        (Api::Public, "listDestinations") => (
            decode::<DestinationsResponse>,
            Some(decode::<DestinationResponse>),
        ),
        (Api::Public, "listConnections") => (
            decode::<ConnectionsResponse>,
            Some(decode::<ConnectionResponse>),
        ),
        (Api::Public, "listWorkspaces") => (
            decode::<WorkspacesResponse>,
            Some(decode::<WorkspaceResponse>),
        ),
        (Api::Public, "listOrganizationsForUser") => (
            decode::<OrganizationsResponse>,
            Some(decode::<OrganizationResponse>),
        ),
        (Api::Public, "listTags") => (decode::<TagsResponse>, Some(decode::<Tag>)),
        (Api::Public, "listUsersWithinAnOrganization") => {
            (decode::<UsersResponse>, Some(decode::<UserResponse>))
        }
        (Api::Public, "listPermissions") => (
            decode::<PermissionsResponse>,
            Some(decode::<PermissionResponseRead>),
        ),
        (Api::Config, "getSourceDefinition") => (decode::<SourceDefinitionRead>, None),
        (Api::Config, "webBackendGetConnection") => (decode::<WebBackendConnectionRead>, None),
        (Api::Config, "getWorkspace") => (decode::<WorkspaceRead>, None),
        _ => return None,
    })
}

#[test]
fn every_real_body_decodes_with_the_type_its_file_name_names() {
    let dir = corpus_dir();
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!(
            "SKIPPED: the corpus of real responses was not found at {}",
            dir.display()
        );
        return;
    };
    let mut files: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    files.sort();
    let (mut decoded, mut not_yet, mut failures) = (0, Vec::new(), Vec::new());
    for file in &files {
        let Some(name) = parse_name(file) else {
            failures.push(format!(
                "{file}: the name does not follow the corpus's pattern"
            ));
            continue;
        };
        let def = registry::of_api(name.api)
            .find(|def| def.method == name.method && def.path == name.path);
        let Some(def) = def else {
            let pending = NOT_YET
                .iter()
                .any(|def| def.method == name.method && def.path == name.path);
            if pending {
                not_yet.push(file.clone());
            } else {
                failures.push(format!(
                    "{file}: {} {} is neither registered nor listed as not yet modelled",
                    name.method, name.path
                ));
            }
            continue;
        };
        let Some((whole, item)) = decoders(def.operation_id, def.api) else {
            failures.push(format!("{file}: no decoder for {}", def.operation_id));
            continue;
        };
        let text = std::fs::read_to_string(dir.join(file)).expect("readable");
        let result = match (name.part, item) {
            (Part::Whole, _) => whole(&text),
            (Part::DataItem, Some(item)) => item(&text),
            (Part::Data, Some(item)) => serde_json::from_str::<Vec<serde_json::Value>>(&text)
                .map_err(|error| error.to_string())
                .and_then(|items| items.iter().try_for_each(|value| item(&value.to_string()))),
            (_, None) => Err(format!("{} has no `data` list", def.operation_id)),
        };
        match result {
            Ok(()) => decoded += 1,
            Err(error) => failures.push(format!("{file} ({}): {error}", def.operation_id)),
        }
    }
    eprintln!(
        "{decoded} real bodies decoded; {} of operations not modelled yet: {not_yet:?}",
        not_yet.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every body of the corpus has a model now: none is skipped.
    assert!(not_yet.is_empty(), "not decoded: {not_yet:?}");
    assert_eq!(decoded, files.len(), "every body decodes");
    assert!(decoded >= 11, "only {decoded} bodies decoded");
}

#[test]
fn file_names_map_to_operations() {
    let name = parse_name("config-POST-web_backend-connections-get__airbyte-webapp.json").unwrap();
    assert_eq!(
        (name.api, name.method, name.path.as_str(), name.part),
        (
            Api::Config,
            Method::Post,
            "/web_backend/connections/get",
            Part::Whole
        )
    );
    let name = parse_name("public-GET-sources-dataitem__cartography.json").unwrap();
    assert_eq!(
        (name.path.as_str(), name.part),
        ("/sources", Part::DataItem)
    );
    let name = parse_name("public-GET-users-data__cartography.json").unwrap();
    assert_eq!((name.path.as_str(), name.part), ("/users", Part::Data));
}

#[test]
fn real_permission_types_outside_the_specification_are_kept() {
    let path = corpus_dir().join("public-GET-permissions-data__cartography.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("SKIPPED: {} was not found", path.display());
        return;
    };
    let permissions: Vec<PermissionResponseRead> = serde_json::from_str(&text).unwrap();
    let member = permissions
        .iter()
        .find(|permission| permission.permission_type.as_str() == "workspace_member")
        .expect("the corpus has a workspace_member permission");
    assert_eq!(member.permission_type, PermissionType::WorkspaceMember);
    assert_eq!(member.scope, PermissionScope::Workspace);
    // A type no version of the API has yet stays open, and goes back out unchanged.
    let future: PermissionType = serde_json::from_str("\"workspace_auditor\"").unwrap();
    assert!(future.is_unknown());
    assert_eq!(future.scope(), PermissionScope::Workspace);
    assert_eq!(
        serde_json::to_string(&future).unwrap(),
        "\"workspace_auditor\""
    );
}
