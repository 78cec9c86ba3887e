//! `definitions`: custom source definitions, YAML and Docker.

use airbyte::cloud::DefinitionKind;
use airbyte::prelude::*;
use serde_json::json;

use crate::cli::{DefinitionsCommand, GlobalArgs, KindArg};
use crate::delete::{self, found_or_skip};
use crate::error::{CliError, CliResult};
use crate::input::{not_blank, read_object};
use crate::output::{Column, Out, escape, text};
use crate::plan::{Action, Change, Plan};
use crate::resolve::{self, DefinitionRow, kind_name};

const COLUMNS: &[Column] = &[
    text("ID", "/id"),
    text("KIND", "/kind"),
    text("NAME", "/name"),
    text("VERSION", "/version"),
    text("IMAGE", "/dockerRepository"),
    text("TAG", "/dockerImageTag"),
];

/// Shows a definition as it is now.
async fn show(
    workspace: &CloudWorkspace,
    out: &Out,
    definition: &CustomSourceDefinition,
) -> CliResult {
    match resolve::definition_row(workspace, definition.id(), definition.kind()).await? {
        Some(row) => out.one(&row.value, COLUMNS),
        None => Err(CliError::not_found(
            "custom source definition",
            definition.id().to_string(),
        )),
    }
}

/// Prints the definition of this kind and name when there is one (`--if-not-exists`).
async fn existing(
    workspace: &CloudWorkspace,
    out: &Out,
    kind: KindArg,
    name: &str,
) -> CliResult<bool> {
    let found: Vec<DefinitionRow> = resolve::definitions(workspace, Some(kind))
        .await?
        .into_iter()
        .filter(|row| row.name == name)
        .collect();
    match found.as_slice() {
        [] => Ok(false),
        [row] => {
            out.note(&format!(
                "{} definition \"{}\" ({}) already exists; nothing was published",
                kind_name(row.kind),
                escape(name),
                escape(&row.id)
            ));
            out.one(&row.value, COLUMNS)?;
            Ok(true)
        }
        many => Err(CliError::bad(format!(
            "{} definitions are named \"{}\"; give another name",
            many.len(),
            escape(name)
        ))),
    }
}

/// What a real publish checks first: a definition of the kind with the name already exists.
async fn refuse_taken(workspace: &CloudWorkspace, kind: KindArg, name: &str) -> CliResult {
    let taken = resolve::definitions(workspace, Some(kind))
        .await?
        .into_iter()
        .find(|row| row.name == name);
    match taken {
        Some(row) => Err(airbyte::Error::DuplicateResource {
            kind: airbyte::cloud::ResourceKind::CustomSourceDefinition,
            name: name.to_owned(),
            existing_id: row.id,
        }
        .into()),
        None => Ok(()),
    }
}

fn change(action: Action, row: &DefinitionRow) -> Change {
    Change::new(action, "custom source definition")
        .id(&row.id)
        .name(row.name.clone())
}

fn require(row: &DefinitionRow, kind: DefinitionKind, what: &str) -> CliResult {
    if row.kind == kind {
        return Ok(());
    }
    Err(CliError::bad(format!(
        "definition {} is a {} definition; {what} needs a {} one",
        escape(&row.id),
        kind_name(row.kind),
        kind_name(kind)
    )))
}

pub(crate) async fn run(
    workspace: &CloudWorkspace,
    global: &GlobalArgs,
    out: &Out,
    command: DefinitionsCommand,
) -> CliResult {
    match command {
        DefinitionsCommand::List { kind, name } => {
            let mut rows = resolve::definitions(workspace, kind).await?;
            if let Some(name) = name {
                rows.retain(|row| row.name == name);
            }
            let values: Vec<_> = rows.into_iter().map(|row| row.value).collect();
            out.list(&values, COLUMNS)
        }
        DefinitionsCommand::Get { id, kind } => {
            let (_, row) = resolve::definition(workspace, &id, kind).await?;
            out.one(&row.value, COLUMNS)
        }
        DefinitionsCommand::PublishYaml {
            name,
            manifest,
            testing_values,
            if_not_exists,
            dry_run,
        } => {
            // Everything is checked before anything is created: a definition must never be
            // left behind by input that was bad from the start.
            not_blank("a definition name", &name)?;
            let manifest = Manifest::from_path(&manifest)?;
            manifest.validate()?;
            let values = testing_values
                .map(|values| read_object(&values, "testing values"))
                .transpose()?;
            if if_not_exists && existing(workspace, out, KindArg::Yaml, &name).await? {
                return Ok(());
            }
            let mut change = Change::new(Action::Create, "custom source definition")
                .name(name.clone())
                .detail("a YAML manifest");
            if let Some(values) = &values {
                change =
                    change.request(json!({"testingValues": airbyte::models::redact_json(values)}));
            }
            if dry_run.dry_run {
                refuse_taken(workspace, KindArg::Yaml, &name).await?;
            }
            if Plan::of(change).preview(dry_run, out) {
                return Ok(());
            }
            let mut publish = workspace.publish_yaml_source_definition(name, manifest);
            if let Some(values) = values {
                publish = publish.testing_values(values);
            }
            let definition = publish.send().await?;
            show(workspace, out, &definition).await
        }
        DefinitionsCommand::PublishDocker {
            name,
            image,
            tag,
            if_not_exists,
            dry_run,
        } => {
            not_blank("a definition name", &name)?;
            if image.trim().is_empty() || tag.trim().is_empty() {
                return Err(CliError::bad(
                    "a Docker definition needs an image repository and a tag",
                ));
            }
            if if_not_exists && existing(workspace, out, KindArg::Docker, &name).await? {
                return Ok(());
            }
            let change = Change::new(Action::Create, "custom source definition")
                .name(name.clone())
                .detail(format!("Docker image {image}:{tag}"));
            if dry_run.dry_run {
                refuse_taken(workspace, KindArg::Docker, &name).await?;
            }
            if Plan::of(change).preview(dry_run, out) {
                return Ok(());
            }
            let definition = workspace
                .publish_docker_source_definition(name, image, tag)
                .send()
                .await?;
            show(workspace, out, &definition).await
        }
        DefinitionsCommand::UpdateManifest {
            id,
            manifest,
            dry_run,
        } => {
            let manifest = Manifest::from_path(&manifest)?;
            manifest.validate()?;
            // Found whatever its kind, so that a Docker one is said to be one, not missing.
            let (definition, row) = resolve::definition(workspace, &id, None).await?;
            require(&row, DefinitionKind::Yaml, "a new manifest")?;
            if Plan::of(change(Action::Update, &row).detail("a new manifest version"))
                .preview(dry_run, out)
            {
                return Ok(());
            }
            definition.update_manifest(&manifest).await?;
            show(workspace, out, &definition).await
        }
        DefinitionsCommand::UpdateTag { id, tag, dry_run } => {
            not_blank("a Docker image tag", &tag)?;
            let (definition, row) = resolve::definition(workspace, &id, None).await?;
            require(&row, DefinitionKind::Docker, "an image tag")?;
            let current = row.value["dockerImageTag"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if Plan::of(change(Action::Update, &row).detail(format!("tag {current} -> {tag}")))
                .preview(dry_run, out)
            {
                return Ok(());
            }
            definition.update_docker_tag(&tag).await?;
            show(workspace, out, &definition).await
        }
        DefinitionsCommand::Rename {
            id,
            name,
            allow_duplicate,
            dry_run,
        } => {
            not_blank("a definition name", &name)?;
            let (definition, row) = resolve::definition(workspace, &id, None).await?;
            require(&row, DefinitionKind::Docker, "renaming")?;
            if !allow_duplicate && name != row.name {
                refuse_taken(workspace, KindArg::Docker, &name).await?;
            }
            let detail = format!("name \"{}\" -> \"{name}\"", row.name);
            if Plan::of(change(Action::Update, &row).detail(detail)).preview(dry_run, out) {
                return Ok(());
            }
            definition.rename(&name).await?;
            show(workspace, out, &definition).await
        }
        DefinitionsCommand::Delete { id, kind, delete } => {
            let found = resolve::definition(workspace, &id, kind).await;
            let Some((definition, _)) =
                found_or_skip(found, &delete, out, "custom source definition", &id)?
            else {
                return Ok(());
            };
            delete::run(definition.delete(), &delete, global, out).await
        }
    }
}
